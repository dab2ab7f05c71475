package flow_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/flow"
)

// FuzzValidate checks that any content and flow type gets an answer, never
// a panic, and that the answer keeps the API's promises.
func FuzzValidate(f *testing.F) {
	for _, typ := range []string{"CONTACT_FLOW", "CUSTOMER_QUEUE", "AGENT_WHISPER", "QUEUE_TRANSFER"} {
		f.Add(typ, flow.DefaultContent(typ, "arn:aws:connect:r:1:instance/i/queue/q"))
	}
	f.Add("CONTACT_FLOW", `{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"Loop","Parameters":{"LoopCount":"x"},"Transitions":{"Conditions":[{"NextAction":"a","Condition":{"Operator":"Equals","Operands":[{"Operator":"Equals"}]}}]}}]}`)
	f.Add("CONTACT_FLOW", `{"Actions":[{"Identifier":"a","Type":"GetParticipantInput","Parameters":{"StoreInput":true,"InputValidation":{"CustomValidation":{}}}}]}`)
	f.Add("CUSTOMER_HOLD", `{"Actions":[{"Type":"MessageParticipantIteratively","Parameters":{"Messages":[{"Media":{}}]}},1,null]}`)
	f.Add("", strings.Repeat("[", 10001))
	f.Add("X", `{"Version":null,"StartAction":[],"Metadata":"m","Actions":[{"Identifier":"__proto__","Type":"Wait","Parameters":{"Events":"x"}}]}`)
	f.Fuzz(func(t *testing.T, flowType, content string) {
		fl, problems := flow.Validate(flowType, content)
		if (fl == nil) == (problems == nil) {
			t.Fatalf("Validate returned flow %v with %d problems; want exactly one of them", fl != nil, len(problems))
		}
		for _, p := range problems {
			if n := utf8.RuneCountInString(p.Message); n == 0 || n > 256 {
				t.Fatalf("message of %d characters: %q", n, p.Message)
			}
		}
		// Stable order: the same input gives the same answer.
		_, again := flow.Validate(flowType, content)
		if strings.Join(messages(problems), "\n") != strings.Join(messages(again), "\n") {
			t.Fatalf("problems differ between runs")
		}
		// Parse is the lenient half of Validate: whatever validates parses,
		// and whatever Parse refuses, Validate refuses too.
		parsed, parseProblems := flow.Parse(content)
		if fl != nil && parseProblems != nil {
			t.Fatalf("valid content does not parse: %v", messages(parseProblems))
		}
		if parsed == nil && problems == nil {
			t.Fatalf("Parse refused content Validate accepted")
		}
		if parsed != nil {
			parsed.References()
		}
	})
}
