package flow_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/flow"
)

func TestParseKeepsUnknownTypesAndIgnoresSemantics(t *testing.T) {
	// Publish-time rules do not apply: an interpreter must still load this.
	content := `{"Version":"2019-10-30","StartAction":"a","Metadata":{"entryPointPosition":{"x":1,"y":2}},"Actions":[` +
		act("a", "FutureAction", `"Count":3,"On":true,"Name":"n","List":[1]`,
			`"NextAction":"gone","Errors":[{"NextAction":"b","ErrorType":"NoMatchingError"},{"NextAction":"c","ErrorType":"QueueAtCapacity"}],`+
				`"Conditions":[{"NextAction":"b","Condition":{"Operator":"Equals","Operands":["x",2]}}]`) + `]}`
	f, problems := flow.Parse(content)
	if problems != nil {
		t.Fatalf("Parse: %v", messages(problems))
	}
	a, ok := f.Action("a")
	if !ok || a.Type != "FutureAction" {
		t.Fatalf("Action(a) = %+v, %v", a, ok)
	}
	if flow.KnownActionType(a.Type) {
		t.Errorf("FutureAction reported as known")
	}
	for name, want := range map[string]string{"Count": "3", "On": "True", "Name": "n"} {
		if got, ok := a.Param(name); !ok || got != want {
			t.Errorf("Param(%s) = %q, %v; want %q", name, got, ok, want)
		}
	}
	if _, ok := a.Param("List"); ok {
		t.Errorf("Param(List) reported a scalar")
	}
	if got := a.Transitions.Conditions[0].Operands; strings.Join(got, ",") != "x,2" {
		t.Errorf("Operands = %q", got)
	}
	if next, ok := a.Transitions.ErrorTarget("QueueAtCapacity"); !ok || next != "c" {
		t.Errorf("ErrorTarget(QueueAtCapacity) = %q, %v", next, ok)
	}
	if next, ok := a.Transitions.ErrorTarget("Other"); !ok || next != "b" {
		t.Errorf("ErrorTarget(Other) = %q, %v; want the NoMatchingError branch", next, ok)
	}
	if string(f.Metadata) != `{"entryPointPosition":{"x":1,"y":2}}` {
		t.Errorf("Metadata = %s", f.Metadata)
	}
	if _, ok := f.Action("missing"); ok {
		t.Errorf("Action(missing) found")
	}
}

func TestParseReportsShapeProblems(t *testing.T) {
	tests := []struct {
		name, content string
		want          []string
	}{
		{"NotJSON", `nope`, []string{`Flow content is not valid JSON: invalid character 'o' in literal null (expecting 'u') (at byte offset 2)`}},
		{"StartActionNumber", `{"StartAction":1}`, []string{`StartAction must be a string, not a number`}},
		{"ConditionNotObject", `{"Actions":[{"Identifier":"a","Transitions":{"Conditions":[1],"Errors":[{"ErrorType":false}]}}]}`,
			[]string{`Action "a": Transitions.Errors[0].ErrorType must be a string, not a boolean`, `Action "a": Transitions.Conditions[0] must be a JSON object, not a number`}},
		{"OperandsNotArray", `{"Actions":[{"Identifier":"a","Transitions":{"Conditions":[{"Condition":{"Operands":"x"}}]}}]}`,
			[]string{`Action "a": Transitions.Conditions[0].Condition.Operands must be an array of strings, not a string`}},
		{"DeepNesting", `{"Metadata":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`,
			[]string{`Flow content is not valid JSON: invalid character '[' exceeded max depth (at byte offset 10012)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, problems := flow.Parse(tt.content)
			if f != nil {
				t.Errorf("Parse returned a flow with problems")
			}
			if got := messages(problems); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n got: %q\nwant: %q", got, tt.want)
			}
		})
	}
}

func TestDefaultContentValidates(t *testing.T) {
	const queue = "arn:aws:connect:us-east-1:123456789012:instance/i-1/queue/q-\"1\""
	types := []string{"CONTACT_FLOW", "CUSTOMER_QUEUE", "CUSTOMER_HOLD", "CUSTOMER_WHISPER", "AGENT_HOLD",
		"AGENT_WHISPER", "OUTBOUND_WHISPER", "AGENT_TRANSFER", "QUEUE_TRANSFER", "CAMPAIGN"}
	for _, typ := range types {
		for _, q := range []string{queue, ""} {
			t.Run(typ+"/queue="+q, func(t *testing.T) {
				content := flow.DefaultContent(typ, q)
				f, problems := flow.Validate(typ, content)
				if problems != nil {
					t.Fatalf("%s\n%s", content, strings.Join(messages(problems), "\n"))
				}
				if typ == "CONTACT_FLOW" && q != "" {
					a, ok := f.Action("set-queue")
					if got, _ := a.Param("QueueId"); !ok || got != queue {
						t.Errorf("QueueId = %q, want %q", got, queue)
					}
				}
			})
		}
	}
	if got := flow.DefaultContent("NOPE", ""); got != "" {
		t.Errorf("DefaultContent(NOPE) = %q, want empty", got)
	}
}

func TestFlowMarshalsBackToTheLanguage(t *testing.T) {
	f, problems := flow.Validate("CONTACT_FLOW", readFile(t, "testdata/spec-inbound-chat.json"))
	if problems != nil {
		t.Fatal(messages(problems))
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	g, problems := flow.Validate("CONTACT_FLOW", string(b))
	if problems != nil {
		t.Fatalf("re-marshalled flow: %v\n%s", messages(problems), b)
	}
	hours, _ := g.Action("hours")
	if c := hours.Transitions.Conditions[0]; c.Operator != "Equals" || c.Operands[0] != "True" || c.NextAction != "staff" {
		t.Errorf("condition after round trip = %+v", c)
	}
}

func TestReferences(t *testing.T) {
	content := doc(
		act("start", "UpdateContactTargetQueue", `"QueueId":"arn:aws:connect:r:1:instance/i/queue/q1"`, `"NextAction":"hooks"`),
		act("hooks", "UpdateContactEventHooks", `"EventHooks":{"CustomerQueue":"cq"}`, `"NextAction":"dyn"`),
		act("dyn", "TransferToFlow", `"ContactFlowId":"$.Attributes.flow"`, `"NextAction":"loop"`),
		act("loop", "MessageParticipantIteratively", `"Messages":[{"Text":"x"},{"PromptId":"p2"}]`, ""),
		act("hours", "CheckHoursOfOperation", `"HoursOfOperationId":"h1"`, ""),
	)
	f, problems := flow.Parse(content)
	if problems != nil {
		t.Fatal(messages(problems))
	}
	var got []string
	for _, r := range f.References() {
		got = append(got, r.Action+" "+r.Parameter+" "+string(r.Kind)+" "+r.ID())
	}
	want := []string{
		"start QueueId queue q1",
		"hooks EventHooks.CustomerQueue contact-flow cq",
		"loop Messages[1].PromptId prompt p2",
		"hours HoursOfOperationId hours-of-operation h1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("References:\n got: %q\nwant: %q", got, want)
	}
}

func TestValidateLargeInputsStayBounded(t *testing.T) {
	// Inputs at the size limit must be answered quickly; none of these may
	// take more than a small fraction of a second, but the assertion is
	// only that they finish and report, to keep timing out of unit tests.
	huge := `{"Version":"2019-10-30","StartAction":"a","Actions":[` + strings.Repeat(`{},`, 85000) + `{}]}`
	deep := `{"Actions":[{"Parameters":{"x":` + strings.Repeat(`{"a":`, 9000) + `1` + strings.Repeat(`}`, 9000) + `}}]}`
	wide := `{"Actions":[` + strings.Repeat(act("a", "Compare", `"ComparisonValue":"$.X"`, `"Conditions":[`+strings.Repeat(`{},`, 50)+`{}]`)+",", 200) + `{}]}`
	for name, content := range map[string]string{"huge": huge, "deep": deep, "wide": wide} {
		if len(content) > flow.MaxContentLength {
			t.Fatalf("%s: test input is %d bytes, over the limit", name, len(content))
		}
		start := time.Now()
		_, problems := flow.Validate("CONTACT_FLOW", content)
		if len(problems) == 0 {
			t.Errorf("%s: no problems", name)
		}
		t.Logf("%s: %d problems in %v", name, len(problems), time.Since(start))
	}
}

func TestValidateLongIdentifierWithManyProblems(t *testing.T) {
	// Every problem quotes the identifier; quoting must not cost its length.
	id := strings.Repeat("y", 120000)
	content := `{"Actions":[` + act(id, "Compare", "", `"Conditions":[`+strings.Repeat(`{},`, 40000)+`{}]`) + `]}`
	_, problems := flow.Validate("CONTACT_FLOW", content)
	if len(problems) < 80000 {
		t.Fatalf("%d problems, want one per missing field", len(problems))
	}
}
