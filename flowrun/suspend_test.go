package flowrun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/flow"
)

var ctx = context.Background()

// act builds an action going to next.
func act(id, typ, params, next string) string {
	return `{"Identifier":"` + id + `","Type":"` + typ + `","Parameters":` + params +
		`,"Transitions":{"NextAction":"` + next + `","Errors":[{"NextAction":"err","ErrorType":"NoMatchingError"}]}}`
}

func TestReferencesSeeEarlierWrites(t *testing.T) {
	env := newFake()
	env.lambda = func(LambdaRequest) (map[string]any, error) {
		return map[string]any{"vip": "yes", "nested": map[string]any{"k": "v"}}, nil
	}
	in, _ := newInterp(epoch)
	res := runFlow(t, env, in, doc("set",
		act("set", "UpdateContactAttributes", `{"Attributes":{"greeting":"Hello $.Attributes.name"}}`, "fa"),
		act("fa", "UpdateFlowAttributes", `{"FlowAttributes":{"step":{"Value":"two"}}}`, "fn"),
		act("fn", "InvokeLambdaFunction", `{"LambdaFunctionARN":"f","ResponseValidation":{"ResponseType":"JSON"}}`, "q"),
		act("q", "UpdateContactTargetQueue", `{"QueueId":"q-sales"}`, "task"),
		act("task", "CreateTask", `{"ContactFlowId":"tf","Name":"t"}`, "say"),
		act("say", "MessageParticipant", `{"Text":"$.Attributes.greeting|$.External.vip|$.External.nested.k|$.Queue.Name|$.Task.ContactId|$.FlowAttributes.step|$['AwsRegion']|$.Attributes['tier']"}`, "end"),
		end("end"), end("err")))
	if res.Reason != EndFlowEnded || env.reached() != "end" {
		t.Fatalf("result %+v, path %s, logs %+v", res, env.path(), env.logs)
	}
	want := "Hello Ana|yes|v|Sales|task-1|two|us-east-1|gold"
	if got := env.messages[0].Text; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestReferenceNamespaces(t *testing.T) {
	env := newFake()
	cd := &env.cd
	cd.PreviousContactID, cd.RelatedContactID = "p-1", "r-1"
	cd.Name, cd.Description, cd.CustomerID, cd.LanguageCode = "Task", "Desc", "cust", "en_US"
	cd.SystemEndpoint = &Endpoint{Address: "+1800", Type: "TELEPHONE_NUMBER", DisplayName: "Line"}
	cd.References = map[string]Reference{"url": {Type: "URL", Value: "https://x"}}
	cd.SegmentAttributes = map[string]any{
		"connect:Subtype":       map[string]any{"ValueString": "connect:Chat"},
		"connect:ContactExpiry": map[string]any{"ValueMap": map[string]any{"ExpiryDuration": map[string]any{"ValueInteger": json.Number("60")}}},
	}
	cd.Agent = &AgentInfo{UserName: "jo"}
	cd.Queue = &QueueInfo{Name: "Sales", ARN: "arn:q", OutboundCallerID: &Endpoint{Address: "+1999"}}
	cd.Extra = map[string]any{"Lex": map[string]any{"IntentName": "Book", "AlternateIntents": []any{map[string]any{"IntentName": "Cancel"}}}}
	r := &run{in: &Interpreter{}, ctx: ctx, env: env, cd: *cd}
	for ref, want := range map[string]string{
		"$.ContactId": "c-1", "$.InitialContactId": "c-1", "$.PreviousContactId": "p-1", "$.RelatedContactId": "r-1",
		"$.Channel": "CHAT", "$.InitiationMethod": "API", "$.InstanceARN": cd.InstanceARN, "$.AwsRegion": "us-east-1",
		"$.Name": "Task", "$.Description": "Desc", "$.CustomerId": "cust", "$.LanguageCode": "en_US",
		"$.SystemEndpoint.Address": "+1800", "$.SystemEndpoint.DisplayName": "Line", "$.CustomerEndpoint.Address": "",
		"$.References.url.Value": "https://x", "$.References.url.Type": "URL", "$.References.nope.Value": "",
		"$.SegmentAttributes['connect:Subtype']":                      "connect:Chat",
		"$.SegmentAttributes['connect:ContactExpiry'].ExpiryDuration": "60",
		"$.Agent.UserName": "jo", "$.Queue.ARN": "arn:q", "$.Queue.OutboundCallerId.Address": "+1999",
		"$.Lex.IntentName": "Book", "$.Lex.AlternateIntents.0.IntentName": "Cancel", "$.Lex.AlternateIntents[0].IntentName": "Cancel",
		"$.Attributes": "", "$.Nope.x": "", "$.External.x": "", "$.Task.ContactId": "",
		"cost: $5 $. $[ $.":  "cost: $5 $. $[ $.",
		"$.Attributes.name.": "Ana.", "($.Attributes.name)": "(Ana)", `$.Attributes["name"]`: "Ana",
	} {
		if got := r.interpolate(ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
}

func waitFlow(events string) string {
	return doc("w",
		`{"Identifier":"w","Type":"Wait","Parameters":{"TimeoutSeconds":"30"`+events+`},"Transitions":{"Errors":[{"NextAction":"err","ErrorType":"NoMatchingError"}],"Conditions":[`+
			cond("timeout", "Equals", "WaitCompleted")+","+cond("back", "Equals", "CustomerReturned")+`]}}`,
		end("timeout"), end("back"), end("err"))
}

func TestWaitSuspendsAndResumes(t *testing.T) {
	env := newFake()
	in, clk := newInterp(epoch)
	res := runFlow(t, env, in, waitFlow(`,"Events":["CustomerReturned"]`))
	s := res.Suspended
	if s == nil {
		t.Fatalf("not suspended: %+v", res)
	}
	if !s.Until.Equal(epoch.Add(30*time.Second)) || !reflect.DeepEqual(s.Events, []string{"CustomerReturned"}) || s.State.Action != "w" || s.State.FlowID != "main" {
		t.Fatalf("suspension %+v", s)
	}
	// A timer that fires early and an event nobody waits for change nothing.
	if r := in.Resume(ctx, env, s.State, ""); r.Suspended == nil || !r.Suspended.Until.Equal(s.Until) {
		t.Fatalf("early timer resumed: %+v", r)
	}
	if r := in.Resume(ctx, env, s.State, "BotParticipantDisconnected"); r.Suspended == nil {
		t.Fatalf("unexpected event resumed: %+v", r)
	}
	// The runtime persists the state as JSON.
	b, err := json.Marshal(s.State)
	if err != nil {
		t.Fatal(err)
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	clk.Advance(30 * time.Second)
	if r := in.Resume(ctx, env, st, ""); r.Reason != EndFlowEnded || env.reached() != "timeout" {
		t.Fatalf("timeout: %+v, path %s", r, env.path())
	}
	if e, _ := env.entry("w"); e.Branch != "Suspended" {
		t.Errorf("first Wait log %+v", e)
	}
	// The event before the timeout takes its own branch.
	if r := in.Resume(ctx, env, st, "CustomerReturned"); r.Reason != EndFlowEnded || env.reached() != "back" {
		t.Fatalf("event: %+v, path %s", r, env.path())
	}
}

func TestWaitOnTaskOnlyTimesOut(t *testing.T) {
	env := newFake()
	env.cd.Channel = "TASK"
	in, _ := newInterp(epoch)
	res := runFlow(t, env, in, waitFlow(`,"Events":["CustomerReturned"]`))
	if res.Suspended == nil || len(res.Suspended.Events) != 0 {
		t.Fatalf("result %+v", res.Suspended)
	}
}

// TestLoopWithWait is a customer queue flow: say something, wait, three
// times, then give up. Loop counters must survive each Resume.
func TestLoopWithWait(t *testing.T) {
	env := newFake()
	in, clk := newInterp(epoch)
	content := doc("loop",
		`{"Identifier":"loop","Type":"Loop","Parameters":{"LoopCount":"$.Attributes.tries"},"Transitions":{"Errors":[{"NextAction":"err","ErrorType":"NoMatchingError"}],"Conditions":[`+
			cond("say", "Equals", "ContinueLooping")+","+cond("done", "Equals", "DoneLooping")+`]}}`,
		act("say", "MessageParticipant", `{"Text":"Still waiting"}`, "w"),
		`{"Identifier":"w","Type":"Wait","Parameters":{"TimeoutSeconds":"60"},"Transitions":{"Conditions":[`+cond("loop", "Equals", "WaitCompleted")+`]}}`,
		end("done"), end("err"))
	env.cd.Attributes["tries"] = "3"
	res := runFlow(t, env, in, content)
	waits := 0
	for res.Suspended != nil {
		waits++
		if waits > 10 {
			t.Fatal("loop does not end")
		}
		b, _ := json.Marshal(res.Suspended.State)
		var st State
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		clk.Set(res.Suspended.Until)
		res = in.Resume(ctx, env, st, "")
	}
	if waits != 3 || len(env.messages) != 3 || env.reached() != "done" {
		t.Fatalf("waits %d, messages %d, path %s", waits, len(env.messages), env.path())
	}
	if !clk.Now().Equal(epoch.Add(3 * time.Minute)) {
		t.Errorf("clock %v", clk.Now())
	}
}

func TestLoopCountsResetAfterDone(t *testing.T) {
	env := newFake()
	in, _ := newInterp(epoch)
	// Outer pass twice through an inner loop of two: 2×(2 continue + done).
	content := doc("outer",
		`{"Identifier":"outer","Type":"Loop","Parameters":{"LoopCount":"2"},"Transitions":{"Conditions":[`+
			cond("inner", "Equals", "ContinueLooping")+","+cond("done", "Equals", "DoneLooping")+`]}}`,
		`{"Identifier":"inner","Type":"Loop","Parameters":{"LoopCount":2},"Transitions":{"Conditions":[`+
			cond("say", "Equals", "ContinueLooping")+","+cond("outer", "Equals", "DoneLooping")+`]}}`,
		act("say", "MessageParticipant", `{"Text":"x"}`, "inner"),
		end("done"), end("err"))
	res := runFlow(t, env, in, content)
	if res.Reason != EndFlowEnded || len(env.messages) != 4 {
		t.Fatalf("result %+v, messages %d, path %s", res, len(env.messages), env.path())
	}
}

func TestTransferToFlow(t *testing.T) {
	env := newFake()
	in, _ := newInterp(epoch)
	env.flows["second"] = doc("hello",
		act("hello", "MessageParticipant", `{"Text":"in second, $.External.x"}`, "bye"),
		`{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}`, end("err"))
	env.lambda = func(LambdaRequest) (map[string]any, error) { return map[string]any{"x": "kept"}, nil }
	res := runFlow(t, env, in, doc("fn",
		act("fn", "InvokeLambdaFunction", `{"LambdaFunctionARN":"f"}`, "go"),
		act("go", "TransferToFlow", `{"ContactFlowId":"arn:aws:connect:us-east-1:1:instance/i/contact-flow/second"}`, "after"),
		end("after"), end("err")))
	if res.Reason != EndDisconnected || res.FlowID != "second" {
		t.Fatalf("result %+v, path %s", res, env.path())
	}
	if env.path() != "fn go hello bye" {
		t.Errorf("path %s", env.path())
	}
	if env.messages[0].Text != "in second, kept" {
		t.Errorf("message %q", env.messages[0].Text)
	}
	if e, _ := env.entry("go"); e.FlowID != "main" || e.Branch != "TransferToFlow" {
		t.Errorf("transfer log %+v", e)
	}
	if e, _ := env.entry("hello"); e.FlowID != "second" || e.FlowName != "flow second" {
		t.Errorf("target log %+v", e)
	}
}

// TestWaitAfterTransferToFlow resumes in the flow transferred to.
func TestWaitAfterTransferToFlow(t *testing.T) {
	env := newFake()
	in, clk := newInterp(epoch)
	env.flows["second"] = waitFlow("")
	res := runFlow(t, env, in, doc("go", act("go", "TransferToFlow", `{"ContactFlowId":"second"}`, ""), end("err")))
	if res.Suspended == nil || res.Suspended.State.FlowID != "second" {
		t.Fatalf("result %+v", res)
	}
	clk.Advance(time.Hour)
	if r := in.Resume(ctx, env, res.Suspended.State, EventTimeout); r.Reason != EndFlowEnded || env.reached() != "timeout" {
		t.Fatalf("resume %+v path %s", r, env.path())
	}
}

func TestStepBudget(t *testing.T) {
	env := newFake()
	in, _ := newInterp(epoch)
	in.MaxSteps = 50
	res := runFlow(t, env, in, doc("a", act("a", "Compare", `{"ComparisonValue":"x"}`, "b"), act("b", "UpdateFlowAttributes", `{"FlowAttributes":{"k":"v"}}`, "a"), end("err")))
	if res.Reason != EndError || res.Steps != 50 || !strings.Contains(res.Err.Error(), "step budget") {
		t.Fatalf("result %+v", res)
	}
	last := env.logs[len(env.logs)-1]
	if last.Level != "ERROR" || !strings.Contains(last.Error, "step budget") {
		t.Errorf("last log %+v", last)
	}
	// The default budget is 1,000 and also applies with logging off.
	env = newFake()
	env.cd.FlowLogging = false
	in.MaxSteps = 0
	res = runFlow(t, env, in, doc("a", act("a", "Loop", `{"LoopCount":"100"}`, "a"), end("err")))
	if res.Reason != EndError || res.Steps != DefaultMaxSteps || len(env.logs) != 1 {
		t.Fatalf("result %+v, %d logs", res, len(env.logs))
	}
}

func TestFlowLoggingBehavior(t *testing.T) {
	env := newFake()
	env.cd.FlowLogging = false
	in, _ := newInterp(epoch)
	res := runFlow(t, env, in, doc("quiet",
		act("quiet", "Compare", `{"ComparisonValue":"x"}`, "on"),
		act("on", "UpdateFlowLoggingBehavior", `{"FlowLoggingBehavior":"Enabled"}`, "loud"),
		act("loud", "MessageParticipant", `{"Text":"hi $.Attributes.name"}`, "off"),
		act("off", "UpdateFlowLoggingBehavior", `{"FlowLoggingBehavior":"Disabled"}`, "quiet2"),
		act("quiet2", "Compare", `{"ComparisonValue":"x"}`, "end"),
		end("end"), end("err")))
	if res.Reason != EndFlowEnded {
		t.Fatalf("result %+v", res)
	}
	if env.path() != "on loud off" {
		t.Errorf("logged %q", env.path())
	}
	if !reflect.DeepEqual(env.logging, []bool{true, false}) {
		t.Errorf("SetFlowLogging calls %v", env.logging)
	}
	e, _ := env.entry("loud")
	if e.ContactID != "c-1" || e.FlowID != "main" || e.ActionType != "MessageParticipant" || e.Parameters["Text"] != "hi Ana" ||
		e.Branch != "NextAction" || e.Next != "off" || !e.Timestamp.Equal(epoch) || e.Level != "INFO" {
		t.Errorf("entry %+v", e)
	}
	if _, err := json.Marshal(env.logs); err != nil {
		t.Errorf("logs do not marshal: %v", err)
	}
}

func TestRunFailures(t *testing.T) {
	in, _ := newInterp(epoch)
	env := newFake()
	if r := in.Run(ctx, env, "missing"); r.Reason != EndError || len(env.logs) != 1 || env.logs[0].Level != "ERROR" {
		t.Errorf("missing flow: %+v logs %+v", r, env.logs)
	}
	env = newFake()
	env.fail["ContactData"] = errors.New("gone")
	if r := runFlow(t, env, in, doc("x", end("x"))); r.Reason != EndError {
		t.Errorf("no contact: %+v", r)
	}
	env = newFake()
	if r := runFlow(t, env, in, doc("nowhere", end("x"))); r.Reason != EndError || !strings.Contains(r.Err.Error(), "nowhere") {
		t.Errorf("dangling start: %+v", r)
	}
	// A flow republished without the waiting action cannot resume.
	env = newFake()
	res := runFlow(t, env, in, waitFlow(""))
	env.flows["main"] = doc("x", end("x"))
	in.Clock.(interface{ Advance(time.Duration) }).Advance(time.Hour)
	if r := in.Resume(ctx, env, res.Suspended.State, ""); r.Reason != EndError {
		t.Errorf("resume into changed flow: %+v", r)
	}
	// Nor can one whose waiting action became something else.
	env = newFake()
	res = runFlow(t, env, in, waitFlow(""))
	env.flows["main"] = doc("w", end("w"))
	in.Clock.(interface{ Advance(time.Duration) }).Advance(time.Hour)
	if r := in.Resume(ctx, env, res.Suspended.State, ""); r.Reason != EndError || !strings.Contains(r.Err.Error(), "not a Wait") {
		t.Errorf("resume at a non-Wait: %+v", r)
	}
	// An error with no branch ends the flow and is logged with logging off.
	env = newFake()
	env.cd.FlowLogging = false
	r := runFlow(t, env, in, doc("q", `{"Identifier":"q","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"nope"},"Transitions":{"NextAction":"x"}}`, end("x")))
	if r.Reason != EndError || len(env.logs) != 1 || env.logs[0].Level != "ERROR" || !strings.Contains(env.logs[0].Error, "no error branch") {
		t.Errorf("unbranched error: %+v, logs %+v", r, env.logs)
	}
	// A cancelled context stops the run.
	env = newFake()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	env.flows["main"] = doc("x", end("x"))
	if r := in.Run(cctx, env, "main"); r.Reason != EndError {
		t.Errorf("cancelled: %+v", r)
	}
}

// TestDefaultFlows runs the flows Connect provisions, as package flow
// writes them.
func TestDefaultFlows(t *testing.T) {
	in, _ := newInterp(epoch)
	env := newFake()
	res := runFlow(t, env, in, flow.DefaultContent("CONTACT_FLOW", "q-sales"))
	if res.Reason != EndTransferredToQueue || len(env.messages) != 1 || env.transfers[0] != "" {
		t.Errorf("inbound: %+v, path %s", res, env.path())
	}
	env = newFake()
	res = runFlow(t, env, in, flow.DefaultContent("CONTACT_FLOW", ""))
	if res.Reason != EndDisconnected || env.messages[1].Text != "We could not route your contact. Please try again later." {
		t.Errorf("inbound without queue: %+v, path %s", res, env.path())
	}
	env = newFake()
	res = runFlow(t, env, in, flow.DefaultContent("CUSTOMER_QUEUE", ""))
	if res.Reason != EndFlowEnded || env.path() != "queue-prompt end" {
		t.Errorf("customer queue: %+v, path %s", res, env.path())
	}
}

// TestSpecSkeleton runs the spec's §8 inbound chat flow through each route.
func TestSpecSkeleton(t *testing.T) {
	content := strings.ReplaceAll(`{"Version":"2019-10-30","StartAction":"log","Metadata":{},"Actions":[
 {"Identifier":"log","Type":"UpdateFlowLoggingBehavior","Parameters":{"FlowLoggingBehavior":"Enabled"},"Transitions":{"NextAction":"attrs"}},
 {"Identifier":"attrs","Type":"UpdateContactAttributes","Parameters":{"Attributes":{"entry":"web"}},"Transitions":{"NextAction":"greet","Errors":[{"NextAction":"greet","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"greet","Type":"MessageParticipant","Parameters":{"Text":"Hi $.Attributes.customerName"},"Transitions":{"NextAction":"setq","Errors":[{"NextAction":"setq","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"setq","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":"<queue-id-or-arn>"},"Transitions":{"NextAction":"hours","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"hours","Type":"CheckHoursOfOperation","Parameters":{},"Transitions":{"NextAction":"closed","Conditions":[
    {"NextAction":"staff","Condition":{"Operator":"Equals","Operands":["True"]}},{"NextAction":"closed","Condition":{"Operator":"Equals","Operands":["False"]}}],
   "Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"staff","Type":"CheckMetricData","Parameters":{"MetricType":"NumberOfAgentsStaffed"},"Transitions":{"NextAction":"closed","Conditions":[
    {"NextAction":"prio","Condition":{"Operator":"NumberGreaterThan","Operands":["0"]}}],
   "Errors":[{"NextAction":"closed","ErrorType":"NoMatchingCondition"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"prio","Type":"UpdateContactRoutingBehavior","Parameters":{"QueuePriority":"2"},"Transitions":{"NextAction":"xfer"}},
 {"Identifier":"xfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"bye","Errors":[{"NextAction":"full","ErrorType":"QueueAtCapacity"},
   {"NextAction":"bye","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"full","Type":"MessageParticipant","Parameters":{"Text":"All agents are busy."},"Transitions":{"NextAction":"bye"}},
 {"Identifier":"closed","Type":"MessageParticipant","Parameters":{"Text":"We are closed."},"Transitions":{"NextAction":"bye"}},
 {"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`, "<queue-id-or-arn>", "q-sales")
	if _, problems := flow.Validate("CONTACT_FLOW", content); problems != nil {
		t.Fatalf("skeleton does not validate: %v", problems)
	}
	cases := []struct {
		name   string
		at     time.Time
		staff  int
		full   bool
		reason EndReason
		path   string
	}{
		{"queued", epoch, 1, false, EndTransferredToQueue, "log attrs greet setq hours staff prio xfer"},
		{"closed", epoch.Add(10 * time.Hour), 1, false, EndDisconnected, "log attrs greet setq hours closed bye"},
		{"unstaffed", epoch, 0, false, EndDisconnected, "log attrs greet setq hours staff closed bye"},
		{"full", epoch, 1, true, EndDisconnected, "log attrs greet setq hours staff prio xfer full bye"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newFake()
			env.cd.FlowLogging = false
			env.hours["queue:q-sales"] = Hours{TimeZone: "Europe/London", Config: []HoursInterval{{Day: "MONDAY", StartHours: 8, EndHours: 18}}}
			env.metrics.AgentsStaffed = tc.staff
			if tc.full {
				env.transferTo = TransferAtCapacity
			}
			in, _ := newInterp(tc.at)
			res := runFlow(t, env, in, content)
			if res.Reason != tc.reason || env.path() != tc.path {
				t.Errorf("reason %s, path %q; want %s, %q", res.Reason, env.path(), tc.reason, tc.path)
			}
			if env.attrs["Current"]["entry"] != "web" || env.messages[0].Text != "Hi " {
				t.Errorf("attrs %v messages %v", env.attrs, env.messages)
			}
		})
	}
}

func ExampleInterpreter_Resume() {
	env := newFake()
	env.cd.FlowLogging = false
	env.flows["queue-flow"] = doc("w",
		`{"Identifier":"w","Type":"Wait","Parameters":{"TimeoutSeconds":"45"},"Transitions":{"Conditions":[`+cond("bye", "Equals", "WaitCompleted")+`]}}`,
		`{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}`)
	in, clk := newInterp(epoch)
	res := in.Run(ctx, env, "queue-flow")
	fmt.Println("waiting until", res.Suspended.Until.Format(time.TimeOnly))
	clk.Set(res.Suspended.Until)
	res = in.Resume(ctx, env, res.Suspended.State, "")
	fmt.Println("ended:", res.Reason)
	// Output:
	// waiting until 10:00:45
	// ended: Disconnected
}

func TestGetMetricDataFillsMetrics(t *testing.T) {
	env := newFake()
	env.cd.Queue = &QueueInfo{ID: "q-sales"}
	env.metrics = QueueMetrics{QueueName: "Sales", ContactsInQueue: 4, OldestContactAge: 90 * time.Second, AgentsAvailable: 2}
	in, _ := newInterp(epoch)
	runFlow(t, env, in, doc("m",
		act("m", "GetMetricData", `{"QueueChannel":"Chat"}`, "say"),
		act("say", "MessageParticipant", `{"Text":"$.Metrics.Queue.Name $.Metrics.Queue.Size $.Metrics.Queue.OldestContactAge $.Metrics.Agents.Available.Count"}`, "end"),
		end("end"), end("err")))
	if env.messages[0].Text != "Sales 4 90 2" {
		t.Errorf("message %q", env.messages[0].Text)
	}
}

func TestScheduledTimeFormats(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2024-02-01T09:00:00+01:00": time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC),
		"1700000000":                time.Unix(1700000000, 0),
	} {
		got, err := parseTime(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := parseTime("tomorrow"); err == nil {
		t.Error("tomorrow parsed")
	}
}

// minimalEnv is a runtime that supports only what it must.
type minimalEnv struct {
	UnimplementedEnv
	content string
	logs    []LogEntry
}

func (m *minimalEnv) ContactData(context.Context) (ContactData, error) {
	return ContactData{ContactID: "c", Channel: "CHAT"}, nil
}

func (m *minimalEnv) LoadFlow(_ context.Context, id string) (LoadedFlow, error) {
	fl, _ := flow.Parse(m.content)
	return LoadedFlow{ID: id, Flow: fl}, nil
}

func (m *minimalEnv) Log(e LogEntry) { m.logs = append(m.logs, e) }

func TestUnimplementedEnvTakesErrorBranches(t *testing.T) {
	env := &minimalEnv{content: flow.DefaultContent("CONTACT_FLOW", "q")}
	in, _ := newInterp(epoch)
	res := in.Run(ctx, env, "f")
	// Every effect fails, so the flow falls through to disconnecting,
	// which fails too and has no branch.
	if res.Reason != EndError || !errors.Is(res.Err, ErrUnsupported) {
		t.Fatalf("result %+v", res)
	}
	if len(env.logs) != 1 || env.logs[0].Identifier != "disconnect" {
		t.Errorf("logs %+v", env.logs)
	}
}
