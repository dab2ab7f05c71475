package flow_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/flow"
)

// act writes one action; params and transitions are JSON object bodies.
func act(id, typ, params, transitions string) string {
	return `{"Identifier":"` + id + `","Type":"` + typ + `","Parameters":{` + params +
		`},"Transitions":{` + transitions + `}}`
}

// doc writes a flow starting at the first action, which must have id "start".
func doc(actions ...string) string {
	return `{"Version":"2019-10-30","StartAction":"start","Metadata":{},"Actions":[` +
		strings.Join(actions, ",") + `]}`
}

// end is a terminal action most test flows branch to.
var end = act("end", "DisconnectParticipant", "", "")

func messages(ps []flow.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Message)
	}
	return out
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestValidateAcceptsValidFlows(t *testing.T) {
	tests := []struct {
		name, flowType, content string
	}{
		{"SpecDocumentStructure", "CONTACT_FLOW", readFile(t, "testdata/spec-document-structure.json")},
		{"SpecInboundChat", "CONTACT_FLOW", readFile(t, "testdata/spec-inbound-chat.json")},
		{"SpecInboundChatAsCampaign", "CAMPAIGN", readFile(t, "testdata/spec-inbound-chat.json")},
		{"CustomerQueueChat", "CUSTOMER_QUEUE", doc(
			act("start", "MessageParticipant", `"Text":"You are in line."`, `"NextAction":"wait"`),
			act("wait", "Wait", `"TimeoutSeconds":"60","Events":["CustomerReturned"]`,
				`"Conditions":[{"NextAction":"stop","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}},`+
					`{"NextAction":"stop","Condition":{"Operator":"Equals","Operands":["CustomerReturned"]}}],`+
					`"Errors":[{"NextAction":"stop","ErrorType":"NoMatchingError"}]`),
			act("stop", "EndFlowExecution", "", ""))},
		{"ChatForm", "CONTACT_FLOW", doc(
			act("start", "ShowView", `"ViewResource":{"Id":"arn:aws:connect:us-east-1:aws:view/form","Version":"$.Attributes.formVersion"},`+
				`"InvocationTimeLimitSeconds":"300","ViewData":{"Heading":"Hi $.Attributes.name","Rows":[{"k":"v"}]},"SensitiveDataConfiguration":{"HideResponseOn":["TRANSCRIPT"]}`,
				`"NextAction":"stop","Conditions":[{"NextAction":"stop","Condition":{"Operator":"Equals","Operands":["Submit"]}}],`+
					`"Errors":[{"NextAction":"stop","ErrorType":"TimeLimitExceeded"},{"NextAction":"stop","ErrorType":"NoMatchingError"}]`),
			act("stop", "EndFlowExecution", "", ""))},
		{"CustomerQueueDequeue", "CUSTOMER_QUEUE", doc(
			act("start", "DequeueContactAndTransferToQueue", `"QueueId":"$.Attributes.overflow"`,
				`"Errors":[{"NextAction":"end","ErrorType":"QueueAtCapacity"},{"NextAction":"end","ErrorType":"NoMatchingError"}]`),
			end)},
		{"TaskFlow", "CONTACT_FLOW", doc(
			act("start", "Compare", `"ComparisonValue":"$.References['priority'].Value"`,
				`"NextAction":"setq","Conditions":[{"NextAction":"setq","Condition":{"Operator":"TextStartsWith","Operands":["urgent"]}}],`+
					`"Errors":[{"NextAction":"setq","ErrorType":"NoMatchingCondition"}]`),
			act("setq", "UpdateContactTargetQueue", `"QueueId":"arn:aws:connect:us-east-1:123456789012:instance/i/queue/q"`, `"NextAction":"xfer"`),
			act("xfer", "TransferContactToQueue", "", `"NextAction":"end"`),
			end)},
		{"EmailFlowWithTask", "CONTACT_FLOW", doc(
			act("start", "UpdateContactAttributes", `"Attributes":{"source":"email"},"TargetContact":"Current"`, `"NextAction":"task"`),
			act("task", "CreateTask", `"ContactFlowId":"f1","Name":"Follow up $.Name","DelaySeconds":"3600","References":{"mail":{"Type":"URL","Value":"https://x"}}`,
				`"NextAction":"setq","Errors":[{"NextAction":"setq","ErrorType":"NoMatchingError"}]`),
			act("setq", "UpdateContactTargetQueue", `"AgentId":"agent-1"`, `"NextAction":"xfer"`),
			act("xfer", "TransferContactToQueue", "", `"NextAction":"end"`),
			end)},
		{"LambdaLoopDistribute", "CONTACT_FLOW", doc(
			act("start", "InvokeLambdaFunction", `"LambdaFunctionARN":"arn:aws:lambda:us-east-1:1:function:f","InvocationTimeLimitSeconds":8,"InvocationType":"SYNCHRONOUS","LambdaInvocationAttributes":{"id":"$.ContactId"},"ResponseValidation":{"ResponseType":"JSON"}`,
				`"NextAction":"loop","Errors":[{"NextAction":"end","ErrorType":"NoMatchingError"}]`),
			act("loop", "Loop", `"LoopCount":"3"`,
				`"Conditions":[{"NextAction":"split","Condition":{"Operator":"Equals","Operands":["ContinueLooping"]}},`+
					`{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["DoneLooping"]}}]`),
			act("split", "DistributeByPercentage", "",
				`"Conditions":[{"NextAction":"loop","Condition":{"Operator":"NumberLessThan","Operands":["31"]}},`+
					`{"NextAction":"loop","Condition":{"Operator":"NumberLessThan","Operands":["71"]}}],`+
					`"Errors":[{"NextAction":"loop","ErrorType":"NoMatchingCondition"}]`),
			end)},
		{"DTMFInputAndLex", "CONTACT_FLOW", doc(
			act("start", "GetParticipantInput", `"Text":"Press 1","InputTimeLimitSeconds":"5","StoreInput":"False"`,
				`"Conditions":[{"NextAction":"lex","Condition":{"Operator":"Equals","Operands":["1"]}}],`+
					`"Errors":[{"NextAction":"end","ErrorType":"InputTimeLimitExceeded"},{"NextAction":"end","ErrorType":"NoMatchingCondition"},{"NextAction":"end","ErrorType":"NoMatchingError"}]`),
			act("lex", "ConnectParticipantWithLexBot", `"Text":"How can I help?","LexV2Bot":{"AliasArn":"arn:aws:lex:us-east-1:1:bot-alias/B/A"},"LexSessionAttributes":{"k":"v"}`,
				`"Conditions":[{"NextAction":"store","Condition":{"Operator":"Equals","Operands":["Billing"]}}],"Errors":[{"NextAction":"end","ErrorType":"NoMatchingCondition"}]`),
			act("store", "GetParticipantInput", `"SSML":"<speak>Number?</speak>","StoreInput":true,"InputValidation":{"PhoneNumberValidation":{"NumberFormat":"E164"}}`,
				`"NextAction":"end","Errors":[{"NextAction":"end","ErrorType":"InvalidPhoneNumber"}]`),
			end)},
		{"HooksRoutingVoiceLogging", "CONTACT_FLOW", doc(
			act("start", "UpdateContactEventHooks", `"EventHooks":{"CustomerQueue":"arn:aws:connect:r:1:instance/i/contact-flow/cq"}`, `"NextAction":"prio"`),
			act("prio", "UpdateContactRoutingBehavior", `"QueueTimeAdjustmentSeconds":"-30"`, `"NextAction":"crit"`),
			act("crit", "UpdateRoutingCriteria", `"RoutingCriteria":{"Steps":[{"Expression":{"AttributeCondition":{"Name":"Language","Value":"English","ProficiencyLevel":"4","ComparisonOperator":"NumberGreaterOrEqualTo"}},"Expiry":{"DurationInSeconds":"30"}}]}`, `"NextAction":"voice"`),
			act("voice", "UpdateContactTextToSpeechVoice", `"TextToSpeechVoice":"Joanna","TextToSpeechEngine":"Neural"`, `"NextAction":"rec"`),
			act("rec", "UpdateContactRecordingBehavior", `"RecordingBehavior":{"RecordedParticipants":["Agent","Customer"]}`, `"NextAction":"metric"`),
			act("metric", "CheckMetricData", `"MetricType":"NumberOfContactsInQueue","QueueId":"q1"`,
				`"NextAction":"flow","Conditions":[{"NextAction":"end","Condition":{"Operator":"NumberGreaterOrEqualTo","Operands":["10"]}}]`),
			act("flow", "TransferToFlow", `"ContactFlowId":"$.Attributes.next"`, `"Errors":[{"NextAction":"end","ErrorType":"NoMatchingError"}]`),
			end)},
		{"UnreachableActionAllowed", "CONTACT_FLOW", doc(act("start", "DisconnectParticipant", "", ""),
			act("orphan", "MessageParticipant", `"Text":"never shown"`, ""))},
		{"TerminalWithNextActionAllowed", "CONTACT_FLOW", doc(
			act("start", "DisconnectParticipant", "", `"NextAction":"end"`), end)},
		{"SelfLoopAllowed", "CONTACT_FLOW", doc(
			act("start", "Wait", `"TimeoutSeconds":"$.Attributes.wait"`,
				`"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}]`))},
		{"UnknownErrorTypeAccepted", "CONTACT_FLOW", doc(
			act("start", "MessageParticipant", `"Text":"hi","TextToSpeechType":"text"`, `"Errors":[{"NextAction":"end","ErrorType":"SomethingNew"}]`), end)},
		{"ScalarsAsJSONNumbersAndBools", "CONTACT_FLOW", doc(
			act("start", "UpdateContactRoutingBehavior", `"QueuePriority":1`, `"NextAction":"end"`), end)},
		{"AgentWhisper", "AGENT_WHISPER", doc(act("start", "MessageParticipant", `"Text":"$.Queue.Name"`, `"NextAction":"stop"`), act("stop", "EndFlowExecution", "", ""))},
		{"CustomerHold", "CUSTOMER_HOLD", doc(act("start", "MessageParticipantIteratively", `"Messages":[{"PromptId":"p1"},{"Text":"Still holding"}],"InterruptFrequencySeconds":"30"`,
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["MessagesInterrupted"]}}]`))},
		{"AgentTransfer", "AGENT_TRANSFER", doc(act("start", "TransferContactToAgent", "", `"Errors":[{"NextAction":"end","ErrorType":"NoMatchingError"}]`), end)},
		{"QueueTransferHours", "QUEUE_TRANSFER", doc(act("start", "CheckHoursOfOperation", `"HoursOfOperationId":"h1"`,
			`"Conditions":[{"NextAction":"x","Condition":{"Operator":"Equals","Operands":["True"]}},{"NextAction":"end","Condition":{"Operator":"Equals","Operands":["False"]}}]`),
			act("x", "TransferContactToQueue", "", `"NextAction":"end"`), end)},
		{"OutboundWhisperTags", "OUTBOUND_WHISPER", doc(act("start", "TagContact", `"Tags":{"team":"sales"}`, `"NextAction":"untag"`),
			act("untag", "UnTagContact", `"TagKeys":["old"]`, `"NextAction":"end"`), end)},
		{"AgentHoldAttributes", "AGENT_HOLD", doc(act("start", "UpdateFlowAttributes", `"FlowAttributes":{"n":{"Value":"1"}}`, `"NextAction":"data"`),
			act("data", "UpdateContactData", `"Name":"n","LanguageCode":"en-US","References":{"r":{"Type":"STRING","Value":"v"}}`, `"NextAction":"end"`), end)},
		{"CustomerWhisperStub", "CUSTOMER_WHISPER", doc(act("start", "CreateWisdomSession", `"anything":["goes"]`, `"NextAction":"end"`), end)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, problems := flow.Validate(tt.flowType, tt.content)
			if problems != nil {
				t.Fatalf("Validate: unexpected problems:\n%s", strings.Join(messages(problems), "\n"))
			}
			if f == nil || len(f.Actions) == 0 {
				t.Fatalf("Validate returned no flow")
			}
		})
	}
}

func TestValidateReportsProblems(t *testing.T) {
	// Each case breaks one rule, so want is that rule's exact message.
	tests := []struct {
		name, flowType, content string
		want                    []string
	}{
		// Document.
		{"Empty", "CONTACT_FLOW", ``, []string{`Flow content is empty; provide a flow document in JSON`}},
		{"TooLong", "CONTACT_FLOW", `"` + strings.Repeat("é", flow.MaxContentLength) + `"`,
			[]string{`Flow content is 256002 characters long; the maximum is 256000`}},
		{"InvalidJSON", "CONTACT_FLOW", `{"Version":}`,
			[]string{`Flow content is not valid JSON: invalid character '}' looking for beginning of value (at byte offset 12)`}},
		{"TruncatedJSON", "CONTACT_FLOW", `{"Version":"2019-10-30"`,
			[]string{`Flow content is not valid JSON: the document ends early (at byte offset 23)`}},
		{"TrailingData", "CONTACT_FLOW", doc(end) + `{}`,
			[]string{`Flow content is not valid JSON: unexpected data after the flow document`}},
		{"NotAnObject", "CONTACT_FLOW", `[1,2]`, []string{`Flow content must be a JSON object, not an array`}},
		{"UnknownFlowType", "INBOUND", doc(act("start", "EndFlowExecution", "", "")),
			[]string{`Flow type "INBOUND" is not valid; use one of CONTACT_FLOW, CUSTOMER_QUEUE, CUSTOMER_HOLD, CUSTOMER_WHISPER, AGENT_HOLD, AGENT_WHISPER, OUTBOUND_WHISPER, AGENT_TRANSFER, QUEUE_TRANSFER, CAMPAIGN`}},
		{"VersionMissing", "CONTACT_FLOW", `{"StartAction":"end","Actions":[` + end + `]}`,
			[]string{`Version is required; set it to "2019-10-30"`}},
		{"VersionUnsupported", "CONTACT_FLOW", `{"Version":"2020-01-01","StartAction":"end","Actions":[` + end + `]}`,
			[]string{`Version "2020-01-01" is not supported; set it to "2019-10-30"`}},
		{"VersionNotString", "CONTACT_FLOW", `{"Version":2019,"StartAction":"end","Actions":[` + end + `]}`,
			[]string{`Version must be a string, not a number`}},
		{"StartActionMissing", "CONTACT_FLOW", `{"Version":"2019-10-30","Actions":[` + end + `]}`,
			[]string{`StartAction is required; set it to the Identifier of the first action to run`}},
		{"StartActionDangling", "CONTACT_FLOW", `{"Version":"2019-10-30","StartAction":"nope","Actions":[` + end + `]}`,
			[]string{`StartAction "nope" does not match the Identifier of any action`}},
		{"ActionsMissing", "CONTACT_FLOW", `{"Version":"2019-10-30","StartAction":"end"}`,
			[]string{`Actions is required; add an array with at least one action`, `StartAction "end" does not match the Identifier of any action`}},
		{"ActionsEmpty", "CONTACT_FLOW", `{"Version":"2019-10-30","StartAction":"end","Actions":[]}`,
			[]string{`Actions is empty; add at least one action`, `StartAction "end" does not match the Identifier of any action`}},
		{"ActionsNotArray", "CONTACT_FLOW", `{"Version":"2019-10-30","StartAction":"end","Actions":{}}`,
			[]string{`Actions must be an array of action objects, not an object`, `StartAction "end" does not match the Identifier of any action`}},
		{"TooManyActions", "CONTACT_FLOW", manyActions(flow.MaxActions + 1),
			[]string{`Actions has 251 actions; the maximum is 250`}},

		// Action shape and identifiers.
		{"ActionNotObject", "CONTACT_FLOW", doc(act("start", "EndFlowExecution", "", ""), `"x"`),
			[]string{`Actions[1]: must be a JSON object, not a string`}},
		{"IdentifierMissing", "CONTACT_FLOW", doc(act("start", "EndFlowExecution", "", ""), `{"Type":"EndFlowExecution","Parameters":{},"Transitions":{}}`),
			[]string{`Actions[1] (EndFlowExecution): Identifier is required; give the action a name unique in this flow`}},
		{"IdentifierNotString", "CONTACT_FLOW", doc(act("start", "EndFlowExecution", "", ""), `{"Identifier":7,"Type":"EndFlowExecution"}`),
			[]string{`Actions[1]: Identifier must be a string, not a number`}},
		{"IdentifierTooLong", "CONTACT_FLOW", doc(act("start", "EndFlowExecution", "", ""), act(strings.Repeat("ü", 51), "EndFlowExecution", "", "")),
			[]string{`Action "` + strings.Repeat("ü", 49) + `…" (EndFlowExecution): Identifier is 51 characters long; the maximum is 50`}},
		{"IdentifierForbiddenCharacter", "CONTACT_FLOW", doc(act("start", "EndFlowExecution", "", ""), act("a:b", "EndFlowExecution", "", "")),
			[]string{`Action "a:b" (EndFlowExecution): Identifier must not contain ':'; none of %:()\/=$,;[]{} may be used`}},
		{"IdentifierReserved", "CONTACT_FLOW", doc(act("start", "EndFlowExecution", "", ""), act("constructor", "EndFlowExecution", "", "")),
			[]string{`Action "constructor" (EndFlowExecution): Identifier "constructor" is a reserved name; choose another`}},
		{"IdentifierDuplicate", "CONTACT_FLOW", doc(act("start", "EndFlowExecution", "", ""), act("start", "DisconnectParticipant", "", "")),
			[]string{`Action "start" (DisconnectParticipant): Identifier "start" is already used by Actions[0]; identifiers must be unique`}},
		{"TypeMissing", "CONTACT_FLOW", doc(`{"Identifier":"start","Parameters":{},"Transitions":{}}`),
			[]string{`Action "start": Type is required; set it to an action type such as MessageParticipant`}},
		{"TypeUnknown", "CONTACT_FLOW", doc(act("start", "PlayPrompt", "", "")),
			[]string{`Action "start" (PlayPrompt): Type "PlayPrompt" is not a known action type`}},
		{"ParametersNotObject", "CONTACT_FLOW", doc(`{"Identifier":"start","Type":"EndFlowExecution","Parameters":[],"Transitions":{}}`),
			[]string{`Action "start" (EndFlowExecution): Parameters must be a JSON object (use {} for none), not an array`}},
		{"TransitionsNotObject", "CONTACT_FLOW", doc(`{"Identifier":"start","Type":"EndFlowExecution","Parameters":{},"Transitions":"end"}`),
			[]string{`Action "start" (EndFlowExecution): Transitions must be a JSON object (use {} for none), not a string`}},

		// Transitions.
		{"NextActionDangling", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":"hi"`, `"NextAction":"gone"`)),
			[]string{`Action "start" (MessageParticipant): Transitions.NextAction "gone" does not match the Identifier of any action`}},
		{"NextActionNotString", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":"hi"`, `"NextAction":{}`)),
			[]string{`Action "start" (MessageParticipant): Transitions.NextAction must be a string, not an object`}},
		{"ErrorTargetDangling", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":"hi"`, `"Errors":[{"NextAction":"gone","ErrorType":"NoMatchingError"}]`)),
			[]string{`Action "start" (MessageParticipant): Transitions.Errors[0].NextAction "gone" does not match the Identifier of any action`}},
		{"ErrorTargetMissing", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":"hi"`, `"Errors":[{"ErrorType":"NoMatchingError"}]`)),
			[]string{`Action "start" (MessageParticipant): Transitions.Errors[0].NextAction is required; set it to the Identifier of the action to go to`}},
		{"ErrorTypeMissing", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":"hi"`, `"Errors":[{"NextAction":"start"}]`)),
			[]string{`Action "start" (MessageParticipant): Transitions.Errors[0].ErrorType is required; use NoMatchingError to catch every error`}},
		{"ErrorTypeDuplicate", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":"hi"`,
			`"Errors":[{"NextAction":"start","ErrorType":"NoMatchingError"},{"NextAction":"start","ErrorType":"NoMatchingError"}]`)),
			[]string{`Action "start" (MessageParticipant): Transitions.Errors[1].ErrorType "NoMatchingError" appears more than once; keep one branch per error type`}},
		{"ErrorsNotArray", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":"hi"`, `"Errors":{}`)),
			[]string{`Action "start" (MessageParticipant): Transitions.Errors must be an array, not an object`}},
		{"ConditionTargetDangling", "CONTACT_FLOW", doc(compare(`{"NextAction":"gone","Condition":{"Operator":"Equals","Operands":["a"]}}`)),
			[]string{`Action "start" (Compare): Transitions.Conditions[0].NextAction "gone" does not match the Identifier of any action`}},
		{"ConditionOperatorUnknown", "CONTACT_FLOW", doc(compare(`{"NextAction":"start","Condition":{"Operator":"GreaterThan","Operands":["1"]}}`)),
			[]string{`Action "start" (Compare): Transitions.Conditions[0].Condition.Operator "GreaterThan" is not supported; use one of Equals, TextStartsWith, TextEndsWith, TextContains, NumberGreaterThan, NumberGreaterOrEqualTo, NumberLessThan, NumberLessOrEqualTo`}},
		{"ConditionOperatorMissing", "CONTACT_FLOW", doc(compare(`{"NextAction":"start","Condition":{"Operands":["1"]}}`)),
			[]string{`Action "start" (Compare): Transitions.Conditions[0].Condition.Operator is required; use one of Equals, TextStartsWith, TextEndsWith, TextContains, NumberGreaterThan, NumberGreaterOrEqualTo, NumberLessThan, NumberLessOrEqualTo`}},
		{"ConditionOperandCount", "CONTACT_FLOW", doc(compare(`{"NextAction":"start","Condition":{"Operator":"Equals","Operands":[]}}`)),
			[]string{`Action "start" (Compare): Transitions.Conditions[0].Condition.Operands must hold exactly one value, not 0`}},
		{"ConditionOperandNotNumber", "CONTACT_FLOW", doc(compare(`{"NextAction":"start","Condition":{"Operator":"NumberLessThan","Operands":["ten"]}}`)),
			[]string{`Action "start" (Compare): Transitions.Conditions[0].Condition.Operands[0] "ten" must be a number for NumberLessThan`}},
		{"ConditionCompoundOperand", "CONTACT_FLOW", doc(compare(`{"NextAction":"start","Condition":{"Operator":"Equals","Operands":[{"Operator":"Equals","Operands":["a"]}]}}`)),
			[]string{`Action "start" (Compare): Transitions.Conditions[0].Condition.Operands[0] must be a string, not an object; compound conditions are not supported`,
				`Action "start" (Compare): Transitions.Conditions[0].Condition.Operands must hold exactly one value, not 0`}},
		{"ConditionsOnActionWithoutResult", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":"hi"`,
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["a"]}}]`)),
			[]string{`Action "start" (MessageParticipant): remove Transitions.Conditions; MessageParticipant has no result to compare`}},

		// Flow-type availability.
		{"MessageInHold", "CUSTOMER_HOLD", doc(act("start", "MessageParticipant", `"Text":"hi"`, "")),
			[]string{`Action "start" (MessageParticipant): this action cannot be used in CUSTOMER_HOLD flows; it is available in CONTACT_FLOW, CUSTOMER_QUEUE, CUSTOMER_WHISPER, AGENT_WHISPER, OUTBOUND_WHISPER, AGENT_TRANSFER, QUEUE_TRANSFER, CAMPAIGN flows`}},
		{"SetQueueInWhisper", "AGENT_WHISPER", doc(act("start", "UpdateContactTargetQueue", `"QueueId":"q"`, "")),
			[]string{`Action "start" (UpdateContactTargetQueue): this action cannot be used in AGENT_WHISPER flows; it is available in CONTACT_FLOW, AGENT_TRANSFER, QUEUE_TRANSFER, CAMPAIGN flows`}},
		{"TransferToQueueInCustomerQueue", "CUSTOMER_QUEUE", doc(act("start", "TransferContactToQueue", "", "")),
			[]string{`Action "start" (TransferContactToQueue): this action cannot be used in CUSTOMER_QUEUE flows; it is available in CONTACT_FLOW, AGENT_TRANSFER, QUEUE_TRANSFER, CAMPAIGN flows`}},
		{"DequeueInInbound", "CONTACT_FLOW", doc(act("start", "DequeueContactAndTransferToQueue", `"QueueId":"q"`, "")),
			[]string{`Action "start" (DequeueContactAndTransferToQueue): this action cannot be used in CONTACT_FLOW flows; it is available in CUSTOMER_QUEUE flows`}},
		{"LoopPromptsInInbound", "CONTACT_FLOW", doc(act("start", "MessageParticipantIteratively", `"Messages":[{"Text":"hi"}]`, "")),
			[]string{`Action "start" (MessageParticipantIteratively): this action cannot be used in CONTACT_FLOW flows; it is available in CUSTOMER_QUEUE, CUSTOMER_HOLD, AGENT_HOLD flows`}},
		{"DistributeInWhisper", "CUSTOMER_WHISPER", doc(act("start", "DistributeByPercentage", "", "")),
			[]string{`Action "start" (DistributeByPercentage): this action cannot be used in CUSTOMER_WHISPER flows; it is available in CONTACT_FLOW, CUSTOMER_QUEUE, AGENT_TRANSFER, QUEUE_TRANSFER, CAMPAIGN flows`}},
		{"RoutingBehaviorInQueueTransfer", "QUEUE_TRANSFER", doc(act("start", "UpdateContactRoutingBehavior", `"QueuePriority":"1"`, "")),
			[]string{`Action "start" (UpdateContactRoutingBehavior): this action cannot be used in QUEUE_TRANSFER flows; it is available in CONTACT_FLOW, CAMPAIGN flows`}},
		{"TransferToFlowInCustomerQueue", "CUSTOMER_QUEUE", doc(act("start", "TransferToFlow", `"ContactFlowId":"f"`, "")),
			[]string{`Action "start" (TransferToFlow): this action cannot be used in CUSTOMER_QUEUE flows; it is available in CONTACT_FLOW, AGENT_TRANSFER, QUEUE_TRANSFER, CAMPAIGN flows`}},
		{"TransferToAgentInInbound", "CONTACT_FLOW", doc(act("start", "TransferContactToAgent", "", "")),
			[]string{`Action "start" (TransferContactToAgent): this action cannot be used in CONTACT_FLOW flows; it is available in AGENT_TRANSFER, QUEUE_TRANSFER flows`}},
		{"HoursInHold", "AGENT_HOLD", doc(act("start", "CheckHoursOfOperation", "", hoursConditions)),
			[]string{`Action "start" (CheckHoursOfOperation): this action cannot be used in AGENT_HOLD flows; it is available in CONTACT_FLOW, CUSTOMER_QUEUE, AGENT_TRANSFER, QUEUE_TRANSFER, CAMPAIGN flows`}},

		// Parameter rules.
		{"MessageNoPrompt", "CONTACT_FLOW", doc(act("start", "MessageParticipant", "", "")),
			[]string{`Action "start" (MessageParticipant): set one of parameters Text, SSML, PromptId or Media`}},
		{"MessageTwoPrompts", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":"a","SSML":"b"`, "")),
			[]string{`Action "start" (MessageParticipant): set only one of parameters Text or SSML; they exclude each other`}},
		{"MessageEmptyText", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":"  "`, "")),
			[]string{`Action "start" (MessageParticipant): parameter Text must not be empty`}},
		{"MessageTextNotString", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Text":["a"]`, "")),
			[]string{`Action "start" (MessageParticipant): parameter Text must be a string, not an array`}},
		{"MessagePromptIdWithText", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"PromptId":"prompt-$.Attributes.lang"`, "")),
			[]string{`Action "start" (MessageParticipant): parameter PromptId must be a literal or a single reference such as $.Attributes.x, with no surrounding text`}},
		{"MessageMediaShape", "CONTACT_FLOW", doc(act("start", "MessageParticipant", `"Media":{"Uri":"s3://b/k","SourceType":"HTTP"}`, "")),
			[]string{`Action "start" (MessageParticipant): parameter Media.SourceType must be one of S3, not "HTTP"`,
				`Action "start" (MessageParticipant): parameter Media.MediaType is required`}},
		{"SetQueueMissing", "CONTACT_FLOW", doc(act("start", "UpdateContactTargetQueue", "", "")),
			[]string{`Action "start" (UpdateContactTargetQueue): set one of parameters QueueId or AgentId`}},
		{"SetQueueBoth", "CONTACT_FLOW", doc(act("start", "UpdateContactTargetQueue", `"QueueId":"q","AgentId":"a"`, "")),
			[]string{`Action "start" (UpdateContactTargetQueue): set only one of parameters QueueId or AgentId; they exclude each other`}},
		{"SetQueueEmpty", "CONTACT_FLOW", doc(act("start", "UpdateContactTargetQueue", `"QueueId":""`, "")),
			[]string{`Action "start" (UpdateContactTargetQueue): parameter QueueId must not be empty`}},
		{"AttributesMissing", "CONTACT_FLOW", doc(act("start", "UpdateContactAttributes", "", "")),
			[]string{`Action "start" (UpdateContactAttributes): parameter Attributes is required`}},
		{"AttributesEmpty", "CONTACT_FLOW", doc(act("start", "UpdateContactAttributes", `"Attributes":{}`, "")),
			[]string{`Action "start" (UpdateContactAttributes): parameter Attributes must have at least one entry`}},
		{"AttributeValueObject", "CONTACT_FLOW", doc(act("start", "UpdateContactAttributes", `"Attributes":{"a":{"b":"c"}},"TargetContact":"Other"`, "")),
			[]string{`Action "start" (UpdateContactAttributes): parameter Attributes.a must be a string, not an object`,
				`Action "start" (UpdateContactAttributes): parameter TargetContact must be one of Current, Related, not "Other"`}},
		{"RoutingPriorityZero", "CONTACT_FLOW", doc(act("start", "UpdateContactRoutingBehavior", `"QueuePriority":"0"`, "")),
			[]string{`Action "start" (UpdateContactRoutingBehavior): parameter QueuePriority must be a whole number of at least 1, not "0"`}},
		{"RoutingPriorityReference", "CONTACT_FLOW", doc(act("start", "UpdateContactRoutingBehavior", `"QueuePriority":"$.Attributes.p"`, "")),
			[]string{`Action "start" (UpdateContactRoutingBehavior): parameter QueuePriority must be a literal value, not a reference such as $.Attributes.x`}},
		{"RoutingAdjustmentNotNumber", "CONTACT_FLOW", doc(act("start", "UpdateContactRoutingBehavior", `"QueueTimeAdjustmentSeconds":"soon"`, "")),
			[]string{`Action "start" (UpdateContactRoutingBehavior): parameter QueueTimeAdjustmentSeconds must be a whole number, not "soon"`}},
		{"CompareLiteral", "CONTACT_FLOW", doc(act("start", "Compare", `"ComparisonValue":"gold"`, "")),
			[]string{`Action "start" (Compare): parameter ComparisonValue must be a single reference such as $.Attributes.x, not "gold"`}},
		{"HoursConditionsIncomplete", "CONTACT_FLOW", doc(act("start", "CheckHoursOfOperation", "",
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["True"]}}]`)),
			[]string{`Action "start" (CheckHoursOfOperation): add a condition Equals "False" to Transitions.Conditions; CheckHoursOfOperation needs a branch for each result`}},
		{"HoursConditionWrongValue", "CONTACT_FLOW", doc(act("start", "CheckHoursOfOperation", "",
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["True"]}},{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["False"]}},{"NextAction":"start","Condition":{"Operator":"TextContains","Operands":["Open"]}}]`)),
			[]string{`Action "start" (CheckHoursOfOperation): Transitions.Conditions[2] must use Equals with one of True, False`}},
		{"MetricTypeUnknown", "CONTACT_FLOW", doc(act("start", "CheckMetricData", `"MetricType":"Busy"`, "")),
			[]string{`Action "start" (CheckMetricData): parameter MetricType must be one of NumberOfAgentsAvailable, NumberOfAgentsStaffed, NumberOfAgentsOnline, OldestContactInQueueAgeSeconds, NumberOfContactsInQueue, not "Busy"`}},
		{"MetricAgentsCondition", "CONTACT_FLOW", doc(act("start", "CheckMetricData", `"MetricType":"NumberOfAgentsAvailable"`,
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"NumberGreaterThan","Operands":["2"]}}]`)),
			[]string{`Action "start" (CheckMetricData): Transitions.Conditions[0] must be NumberGreaterThan "0" for NumberOfAgentsAvailable`}},
		{"MetricTextOperator", "CONTACT_FLOW", doc(act("start", "CheckMetricData", `"MetricType":"OldestContactInQueueAgeSeconds"`,
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"TextContains","Operands":["2"]}}]`)),
			[]string{`Action "start" (CheckMetricData): Transitions.Conditions[0] uses TextContains; CheckMetricData conditions may use only Equals, NumberGreaterThan, NumberGreaterOrEqualTo, NumberLessThan, NumberLessOrEqualTo`}},
		{"MetricQueueAndAgent", "CONTACT_FLOW", doc(act("start", "GetMetricData", `"QueueId":"q","AgentId":"a"`, "")),
			[]string{`Action "start" (GetMetricData): set only one of parameters QueueId or AgentId; they exclude each other`}},
		{"DistributeNotCumulative", "CONTACT_FLOW", doc(act("start", "DistributeByPercentage", "",
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"NumberLessThan","Operands":["50"]}},{"NextAction":"start","Condition":{"Operator":"NumberLessThan","Operands":["40"]}}]`)),
			[]string{`Action "start" (DistributeByPercentage): Transitions.Conditions[1] threshold 40 must be greater than the one before it (50); thresholds are cumulative`}},
		{"DistributeThresholdRange", "CONTACT_FLOW", doc(act("start", "DistributeByPercentage", "",
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"NumberLessThan","Operands":["150"]}},{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["5"]}}]`)),
			[]string{`Action "start" (DistributeByPercentage): Transitions.Conditions[0] threshold "150" must be a whole number from 2 to 101`,
				`Action "start" (DistributeByPercentage): Transitions.Conditions[1] must use NumberLessThan with a cumulative percentage threshold`}},
		{"LoopCountRange", "CONTACT_FLOW", doc(act("start", "Loop", `"LoopCount":"101"`, loopConditions)),
			[]string{`Action "start" (Loop): parameter LoopCount must be a whole number from 0 to 100, not "101"`}},
		{"LoopBranchMissing", "CONTACT_FLOW", doc(act("start", "Loop", `"LoopCount":"2"`,
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["ContinueLooping"]}}]`)),
			[]string{`Action "start" (Loop): add a condition Equals "DoneLooping" to Transitions.Conditions; Loop needs a branch for each result`}},
		{"ShowViewParameters", "CONTACT_FLOW", doc(act("start", "ShowView", `"ViewResource":{"Version":"1"},"InvocationTimeLimitSeconds":"0","ViewData":"x","SensitiveDataConfiguration":{"HideResponseOn":["EMAIL"]}`, "")),
			[]string{`Action "start" (ShowView): parameter ViewResource.Id is required`,
				`Action "start" (ShowView): parameter InvocationTimeLimitSeconds must be a whole number from 1 to 604800, not "0"`,
				`Action "start" (ShowView): parameter ViewData must be a JSON object, not a string`,
				`Action "start" (ShowView): parameter SensitiveDataConfiguration.HideResponseOn may hold only TRANSCRIPT`}},
		{"ShowViewInHold", "CUSTOMER_HOLD", doc(act("start", "ShowView", `"ViewResource":{"Id":"v"}`, "")),
			[]string{`Action "start" (ShowView): this action cannot be used in CUSTOMER_HOLD flows; it is available in CONTACT_FLOW, CUSTOMER_QUEUE, CAMPAIGN flows`}},
		{"ShowViewNoResource", "CUSTOMER_QUEUE", doc(act("start", "ShowView", ``, "")),
			[]string{`Action "start" (ShowView): parameter ViewResource is required`}},
		{"WaitTimeoutMissingAndEventUnknown", "CONTACT_FLOW", doc(act("start", "Wait", `"Events":["AgentJoined"]`, waitCompleted)),
			[]string{`Action "start" (Wait): parameter TimeoutSeconds is required`,
				`Action "start" (Wait): parameter Events may hold only CustomerReturned, BotParticipantDisconnected`}},
		{"WaitEventBranchMissing", "CONTACT_FLOW", doc(act("start", "Wait", `"TimeoutSeconds":"604801","Events":["CustomerReturned"]`, waitCompleted)),
			[]string{`Action "start" (Wait): parameter TimeoutSeconds must be a whole number from 1 to 604800, not "604801"`,
				`Action "start" (Wait): add a condition Equals "CustomerReturned" to Transitions.Conditions; Wait needs a branch for each result`}},
		{"WaitUnexpectedResult", "CONTACT_FLOW", doc(act("start", "Wait", `"TimeoutSeconds":"5"`,
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}},{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["CustomerReturned"]}}]`)),
			[]string{`Action "start" (Wait): Transitions.Conditions[1] compares with "CustomerReturned"; Wait only results in WaitCompleted`}},
		{"InputStoreWithoutValidation", "CONTACT_FLOW", doc(act("start", "GetParticipantInput", `"Text":"Number?","StoreInput":"True"`, "")),
			[]string{`Action "start" (GetParticipantInput): parameter InputValidation is required`}},
		{"InputStoreWithConditions", "CONTACT_FLOW", doc(act("start", "GetParticipantInput", `"Text":"Number?","StoreInput":"True","InputValidation":{"CustomValidation":{"MaximumLength":"0"}}`,
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["1"]}}]`)),
			[]string{`Action "start" (GetParticipantInput): parameter InputValidation.CustomValidation.MaximumLength must be a whole number of at least 1, not "0"`,
				`Action "start" (GetParticipantInput): remove Transitions.Conditions; with StoreInput "True" the input is stored, not compared`}},
		{"InputDTMFCondition", "CONTACT_FLOW", doc(act("start", "GetParticipantInput", `"Text":"Press","StoreInput":"yes","InputTimeLimitSeconds":"0"`,
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["12"]}}]`)),
			[]string{`Action "start" (GetParticipantInput): parameter InputTimeLimitSeconds must be a whole number of at least 1, not "0"`,
				`Action "start" (GetParticipantInput): parameter StoreInput must be one of True, False, not "yes"`,
				`Action "start" (GetParticipantInput): Transitions.Conditions[0] compares with "12"; GetParticipantInput only results in 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, *, #`}},
		{"InputPhoneFormat", "CONTACT_FLOW", doc(act("start", "GetParticipantInput", `"PromptId":"p","StoreInput":"True","InputValidation":{"PhoneNumberValidation":{"NumberFormat":"National"}},"InputEncryption":{"Key":"k"}`, "")),
			[]string{`Action "start" (GetParticipantInput): parameter InputValidation.PhoneNumberValidation.NumberFormat must be one of Local, E164, not "National"`,
				`Action "start" (GetParticipantInput): parameter InputEncryption.EncryptionKeyId is required`}},
		{"LexBotMissing", "CONTACT_FLOW", doc(act("start", "ConnectParticipantWithLexBot", `"Text":"Hi"`,
			`"Conditions":[{"NextAction":"start","Condition":{"Operator":"TextContains","Operands":["Bill"]}}]`)),
			[]string{`Action "start" (ConnectParticipantWithLexBot): set one of parameters LexBot or LexV2Bot`,
				`Action "start" (ConnectParticipantWithLexBot): Transitions.Conditions[0] uses TextContains; ConnectParticipantWithLexBot conditions may use only Equals`}},
		{"LexV1Incomplete", "CONTACT_FLOW", doc(act("start", "ConnectParticipantWithLexBot", `"LexBot":{"Name":"b","Region":"us-east-1"}`, "")),
			[]string{`Action "start" (ConnectParticipantWithLexBot): parameter LexBot.Alias is required`}},
		{"IterativelyNoMessages", "CUSTOMER_QUEUE", doc(act("start", "MessageParticipantIteratively", `"Messages":[]`, "")),
			[]string{`Action "start" (MessageParticipantIteratively): parameter Messages must be an array of at least one message`}},
		{"IterativelyBadMessage", "CUSTOMER_QUEUE", doc(act("start", "MessageParticipantIteratively", `"Messages":[{"Text":"a","PromptId":"p"},"x"]`, "")),
			[]string{`Action "start" (MessageParticipantIteratively): set only one of parameters Messages[0].Text or Messages[0].PromptId; they exclude each other`,
				`Action "start" (MessageParticipantIteratively): parameter Messages[1] must be a JSON object, not a string`}},
		{"EventHooksTwo", "CONTACT_FLOW", doc(act("start", "UpdateContactEventHooks", `"EventHooks":{"CustomerQueue":"f1","Disconnect":"f2"}`, "")),
			[]string{`Action "start" (UpdateContactEventHooks): parameter EventHooks must set exactly one hook, not 2; use one action per hook`,
				`Action "start" (UpdateContactEventHooks): unknown hook "Disconnect" in parameter EventHooks; use CustomerQueue, CustomerHold, CustomerWhisper, AgentHold, AgentWhisper, CustomerRemaining, DefaultAgentUI, DisconnectAgentUI, PauseContact, ResumeContact`}},
		{"EventHooksMissing", "CONTACT_FLOW", doc(act("start", "UpdateContactEventHooks", `"EventHooks":"f1"`, "")),
			[]string{`Action "start" (UpdateContactEventHooks): parameter EventHooks must be a JSON object, not a string`}},
		{"LoggingValue", "CONTACT_FLOW", doc(act("start", "UpdateFlowLoggingBehavior", `"FlowLoggingBehavior":"On"`, "")),
			[]string{`Action "start" (UpdateFlowLoggingBehavior): parameter FlowLoggingBehavior must be one of Enabled, Disabled, not "On"`}},
		{"LoggingReference", "CONTACT_FLOW", doc(act("start", "UpdateFlowLoggingBehavior", `"FlowLoggingBehavior":"$.Attributes.log"`, "")),
			[]string{`Action "start" (UpdateFlowLoggingBehavior): parameter FlowLoggingBehavior must be a literal value, not a reference such as $.Attributes.x`}},
		{"TransferToFlowMissing", "CONTACT_FLOW", doc(act("start", "TransferToFlow", "", "")),
			[]string{`Action "start" (TransferToFlow): parameter ContactFlowId is required`}},
		{"LambdaTimeout", "CONTACT_FLOW", doc(act("start", "InvokeLambdaFunction", `"LambdaFunctionARN":"arn:f","InvocationTimeLimitSeconds":"9","ResponseValidation":{"ResponseType":"XML"}`, "")),
			[]string{`Action "start" (InvokeLambdaFunction): parameter InvocationTimeLimitSeconds must be a whole number from 1 to 8, not "9"`,
				`Action "start" (InvokeLambdaFunction): parameter ResponseValidation.ResponseType must be one of STRING_MAP, JSON, not "XML"`}},
		{"LambdaAsyncLongTimeout", "CONTACT_FLOW", doc(act("start", "InvokeLambdaFunction", `"InvocationType":"ASYNCHRONOUS","InvocationTimeLimitSeconds":"60"`, "")),
			[]string{`Action "start" (InvokeLambdaFunction): parameter LambdaFunctionARN is required`}},
		{"CreateTaskDelayAndSchedule", "CONTACT_FLOW", doc(act("start", "CreateTask", `"ContactFlowId":"f","Name":"n","DelaySeconds":"600000","ScheduledTime":"2030-01-01T00:00:00Z"`, "")),
			[]string{`Action "start" (CreateTask): set only one of parameters DelaySeconds or ScheduledTime; they exclude each other`,
				`Action "start" (CreateTask): parameter DelaySeconds must be a whole number from 1 to 518400, not "600000"`}},
		{"CreateTaskTemplateReference", "CONTACT_FLOW", doc(act("start", "CreateTask", `"ContactFlowId":"f","Name":"n","TaskTemplateId":"$.Attributes.t","References":{"r":{"Value":"v"}}`, "")),
			[]string{`Action "start" (CreateTask): parameter References.r.Type is required`,
				`Action "start" (CreateTask): parameter TaskTemplateId must be a literal value, not a reference such as $.Attributes.x`}},
		{"CallbackNumberLiteral", "CONTACT_FLOW", doc(act("start", "UpdateContactCallbackNumber", `"CallbackNumber":"+15550100"`, "")),
			[]string{`Action "start" (UpdateContactCallbackNumber): parameter CallbackNumber must be a single reference such as $.Attributes.x, not "+15550100"`}},
		{"RecordingParticipants", "CONTACT_FLOW", doc(act("start", "UpdateContactRecordingBehavior", `"RecordingBehavior":{"RecordedParticipants":["Supervisor"]}`, "")),
			[]string{`Action "start" (UpdateContactRecordingBehavior): parameter RecordingBehavior.RecordedParticipants may hold only "Agent" and "Customer"`}},
		{"VoiceMissing", "CONTACT_FLOW", doc(act("start", "UpdateContactTextToSpeechVoice", `"TextToSpeechEngine":"Turbo"`, "")),
			[]string{`Action "start" (UpdateContactTextToSpeechVoice): parameter TextToSpeechVoice is required`,
				`Action "start" (UpdateContactTextToSpeechVoice): parameter TextToSpeechEngine must be one of Neural, Standard, neural, standard, not "Turbo"`}},
		{"RoutingCriteriaNoSteps", "CONTACT_FLOW", doc(act("start", "UpdateRoutingCriteria", `"RoutingCriteria":{"Steps":[]}`, "")),
			[]string{`Action "start" (UpdateRoutingCriteria): parameter RoutingCriteria.Steps must be an array of at least one step`}},
		{"RoutingCriteriaNoExpression", "CONTACT_FLOW", doc(act("start", "UpdateRoutingCriteria", `"RoutingCriteria":{"Steps":[{"Expiry":{}}]}`, "")),
			[]string{`Action "start" (UpdateRoutingCriteria): parameter RoutingCriteria.Steps[0].Expression is required`}},
		{"TagsEmptyAndUntagMissing", "CONTACT_FLOW", doc(act("start", "TagContact", `"Tags":{}`, `"NextAction":"u"`), act("u", "UnTagContact", "", "")),
			[]string{`Action "start" (TagContact): parameter Tags must have at least one entry`,
				`Action "u" (UnTagContact): parameter TagKeys is required`}},

		// Several problems come back together, in document then action order.
		{"ManyProblemsInOrder", "CONTACT_FLOW",
			`{"Version":"1","StartAction":"x","Actions":[` + act("a", "Nope", "", `"NextAction":"b"`) + `,{"Identifier":"b","Type":5},` + act("a", "EndFlowExecution", "", "") + `]}`,
			[]string{
				`Version "1" is not supported; set it to "2019-10-30"`,
				`StartAction "x" does not match the Identifier of any action`,
				`Action "a" (Nope): Type "Nope" is not a known action type`,
				`Action "b": Type must be a string, not a number`,
				`Action "a" (EndFlowExecution): Identifier "a" is already used by Actions[0]; identifiers must be unique`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, problems := flow.Validate(tt.flowType, tt.content)
			if f != nil {
				t.Errorf("Validate returned a flow with problems")
			}
			got := messages(problems)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n got: %q\nwant: %q", got, tt.want)
			}
		})
	}
}

const (
	hoursConditions = `"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["True"]}},` +
		`{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["False"]}}]`
	loopConditions = `"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["ContinueLooping"]}},` +
		`{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["DoneLooping"]}}]`
	waitCompleted = `"Conditions":[{"NextAction":"start","Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}]`
)

// compare writes a Compare action "start" with the given conditions.
func compare(conditions string) string {
	return act("start", "Compare", `"ComparisonValue":"$.Attributes.tier"`, `"Conditions":[`+conditions+`]`)
}

// manyActions writes a valid chain of n actions.
func manyActions(n int) string {
	actions := make([]string, n)
	for i := range actions {
		id := "start"
		if i > 0 {
			id = "a" + strconv.Itoa(i)
		}
		actions[i] = act(id, "EndFlowExecution", "", "")
	}
	return doc(actions...)
}

func TestValidateProblemMessagesFitTheWire(t *testing.T) {
	// ProblemDetail.message is 1..256 characters; user text is clipped.
	long := strings.Repeat("x", 300)
	content := `{"Version":"` + long + `","StartAction":"` + long + `","Actions":[` +
		act(long, long, `"QueueId":"`+long+`"`, `"NextAction":"`+long+`"`) + `]}`
	_, problems := flow.Validate(long, content)
	if len(problems) == 0 {
		t.Fatal("no problems")
	}
	for _, p := range problems {
		if n := len([]rune(p.Message)); n == 0 || n > 256 {
			t.Errorf("message is %d characters: %q", n, p.Message)
		}
	}
}
