package flowrun

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// under builds the action under test, "a": success goes to ok, each error
// type to its marker.
func under(typ, params string, conds ...string) string {
	c := ""
	if len(conds) > 0 {
		c = `,"Conditions":[` + strings.Join(conds, ",") + `]`
	}
	return `{"Identifier":"a","Type":"` + typ + `","Parameters":` + params + `,"Transitions":{"NextAction":"ok","Errors":[` +
		`{"NextAction":"full","ErrorType":"QueueAtCapacity"},{"NextAction":"nomatch","ErrorType":"NoMatchingCondition"},` +
		`{"NextAction":"err","ErrorType":"NoMatchingError"}]` + c + `}}`
}

func cond(next, op string, operands ...string) string {
	return `{"NextAction":"` + next + `","Condition":{"Operator":"` + op + `","Operands":["` + strings.Join(operands, `","`) + `"]}}`
}

type actionCase struct {
	name   string
	action string
	setup  func(*fakeEnv)
	// want is the identifier of the last action run: a marker, or "a"
	// when the action itself ends the flow.
	want   string
	reason EndReason
	check  func(t *testing.T, f *fakeEnv, r Result)
}

func runCases(t *testing.T, cases []actionCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newFake()
			if tc.setup != nil {
				tc.setup(env)
			}
			in, _ := newInterp(epoch)
			res := runFlow(t, env, in, doc("a", append([]string{tc.action}, markers...)...))
			if !res.Ended() {
				t.Fatalf("flow suspended: %+v", res.Suspended)
			}
			want := tc.reason
			if want == "" {
				want = EndFlowEnded
			}
			if res.Reason != want {
				t.Errorf("reason = %s (%v), want %s", res.Reason, res.Err, want)
			}
			if got := env.reached(); got != tc.want {
				t.Errorf("reached %q, want %q; path %q; log %+v", got, tc.want, env.path(), env.logs)
			}
			if tc.check != nil {
				tc.check(t, env, res)
			}
		})
	}
}

var errBoom = errors.New("boom")

func TestParticipantActions(t *testing.T) {
	runCases(t, []actionCase{
		{name: "message interpolates", action: under("MessageParticipant", `{"Text":"Hi $.Attributes.name, via $.Channel."}`), want: "ok",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if len(f.messages) != 1 || f.messages[0].Text != "Hi Ana, via CHAT." {
					t.Errorf("messages %+v", f.messages)
				}
				if e, _ := f.entry("a"); e.Parameters["Text"] != "Hi Ana, via CHAT." {
					t.Errorf("logged parameters %v", e.Parameters)
				}
			}},
		{name: "message missing reference reads empty", action: under("MessageParticipant", `{"Text":"[$.Attributes.nope]"}`), want: "ok",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if f.messages[0].Text != "[]" {
					t.Errorf("text %q", f.messages[0].Text)
				}
			}},
		{name: "message on a task has no effect", action: under("MessageParticipant", `{"Text":"x"}`), want: "ok",
			setup: func(f *fakeEnv) { f.cd.Channel = "TASK" },
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if len(f.messages) != 0 {
					t.Errorf("sent %+v", f.messages)
				}
			}},
		{name: "message send fails", action: under("MessageParticipant", `{"Text":"x"}`), want: "err",
			setup: func(f *fakeEnv) { f.fail["SendMessage"] = errBoom }},
		{name: "message without content", action: under("MessageParticipant", `{}`), want: "err"},
		{name: "loop prompts in chat error at once", action: under("MessageParticipantIteratively", `{"Messages":[{"Text":"wait"}]}`), want: "err"},
		{name: "DTMF input in chat errors", action: under("GetParticipantInput", `{"Text":"press 1"}`), want: "err"},
		{name: "disconnect", action: under("DisconnectParticipant", `{}`), want: "a", reason: EndDisconnected,
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if f.disconnect != 1 {
					t.Errorf("disconnects %d", f.disconnect)
				}
			}},
		{name: "disconnect fails", action: under("DisconnectParticipant", `{}`), want: "err",
			setup: func(f *fakeEnv) { f.fail["Disconnect"] = errBoom }},
		{name: "end flow execution", action: under("EndFlowExecution", `{}`), want: "a"},
	})
}

func TestContactActions(t *testing.T) {
	runCases(t, []actionCase{
		{name: "set attributes resolves keys and values", action: under("UpdateContactAttributes",
			`{"Attributes":{"copy":"$.Attributes.tier","from-$.Channel":"v","n":7}}`), want: "ok",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				got := f.attrs["Current"]
				if got["copy"] != "gold" || got["from-CHAT"] != "v" || got["n"] != "7" {
					t.Errorf("attributes %v", got)
				}
			}},
		{name: "set attributes on the related contact", action: under("UpdateContactAttributes",
			`{"Attributes":{"k":"v"},"TargetContact":"Related"}`), want: "ok",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if f.attrs["Related"]["k"] != "v" || f.attrs["Current"] != nil {
					t.Errorf("attributes %v", f.attrs)
				}
			}},
		{name: "set attributes fails", action: under("UpdateContactAttributes", `{"Attributes":{"k":"v"}}`), want: "err",
			setup: func(f *fakeEnv) { f.fail["SetAttributes"] = errBoom }},
		{name: "set attributes nested value", action: under("UpdateContactAttributes", `{"Attributes":{"k":{"x":1}}}`), want: "err"},
		{name: "contact data", action: under("UpdateContactData",
			`{"Name":"Case for $.Attributes.name","Description":"d","References":{"doc":{"Type":"URL","Value":"https://x/$.ContactId"}},"IsFraudDetectionEnabled":"TRUE"}`),
			want: "ok", check: func(t *testing.T, f *fakeEnv, _ Result) {
				u := f.updates[0]
				if *u.Name != "Case for Ana" || *u.Description != "d" || u.References["doc"].Value != "https://x/c-1" ||
					u.Other["IsFraudDetectionEnabled"] != "TRUE" || u.Target != "Current" || u.LanguageCode != nil {
					t.Errorf("update %+v", u)
				}
			}},
		{name: "contact data fails", action: under("UpdateContactData", `{"Name":"n"}`), want: "err",
			setup: func(f *fakeEnv) { f.fail["UpdateContactData"] = errBoom }},
		{name: "voice", action: under("UpdateContactTextToSpeechVoice", `{"TextToSpeechVoice":"Joanna"}`), want: "ok"},
		{name: "target queue by ARN", action: under("UpdateContactTargetQueue",
			`{"QueueId":"arn:aws:connect:us-east-1:111122223333:instance/inst/queue/q-sales"}`), want: "ok"},
		{name: "target queue from an attribute", action: under("UpdateContactTargetQueue", `{"QueueId":"$.Attributes.q"}`), want: "ok",
			setup: func(f *fakeEnv) { f.cd.Attributes["q"] = "q-sales" }},
		{name: "target queue unknown", action: under("UpdateContactTargetQueue", `{"QueueId":"q-none"}`), want: "err"},
		{name: "target agent queue", action: under("UpdateContactTargetQueue", `{"AgentId":"agent-7"}`), want: "ok",
			setup: func(f *fakeEnv) { f.queues["agent:agent-7"] = QueueInfo{ID: "aq-7", Name: "agent-7"} }},
		{name: "target queue needs one of queue and agent", action: under("UpdateContactTargetQueue", `{}`), want: "err"},
		{name: "transfer queues and ends the flow", action: under("TransferContactToQueue", `{}`), want: "a", reason: EndTransferredToQueue,
			setup: func(f *fakeEnv) { f.cd.Queue = &QueueInfo{ID: "q-sales"} },
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if len(f.transfers) != 1 || f.transfers[0] != "" {
					t.Errorf("transfers %q", f.transfers)
				}
			}},
		{name: "transfer at capacity", action: under("TransferContactToQueue", `{}`), want: "full",
			setup: func(f *fakeEnv) { f.cd.Queue = &QueueInfo{ID: "q-sales"}; f.transferTo = TransferAtCapacity }},
		{name: "transfer fails", action: under("TransferContactToQueue", `{}`), want: "err",
			setup: func(f *fakeEnv) { f.cd.Queue = &QueueInfo{ID: "q-sales"}; f.fail["TransferToQueue"] = errBoom }},
		{name: "transfer without a working queue", action: under("TransferContactToQueue", `{}`), want: "err",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if len(f.transfers) != 0 {
					t.Errorf("transferred %q", f.transfers)
				}
			}},
		{name: "transfer with a queue override", action: under("TransferContactToQueue", `{"QueueId":"q-other"}`), want: "a",
			reason: EndTransferredToQueue, check: func(t *testing.T, f *fakeEnv, _ Result) {
				if f.transfers[0] != "q-other" {
					t.Errorf("transfers %q", f.transfers)
				}
			}},
		{name: "routing priority", action: under("UpdateContactRoutingBehavior", `{"QueuePriority":"2"}`), want: "ok",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if u := f.routing[0]; *u.QueuePriority != 2 || u.QueueTimeAdjustmentSeconds != nil || u.RoutingCriteria != nil {
					t.Errorf("routing %+v", u)
				}
			}},
		{name: "routing age", action: under("UpdateContactRoutingBehavior", `{"QueueTimeAdjustmentSeconds":-30}`), want: "ok",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if u := f.routing[0]; *u.QueueTimeAdjustmentSeconds != -30 {
					t.Errorf("routing %+v", u)
				}
			}},
		{name: "routing priority invalid", action: under("UpdateContactRoutingBehavior", `{"QueuePriority":"0"}`), want: "err"},
		{name: "routing nothing to set", action: under("UpdateContactRoutingBehavior", `{}`), want: "err"},
		{name: "routing criteria", action: under("UpdateContactRoutingBehavior", `{"RoutingCriteria":{"Steps":[
			{"Expression":{"AttributeCondition":{"Name":"Language","Value":"$.Attributes.tier","ProficiencyLevel":"4","ComparisonOperator":"NumberGreaterOrEqualTo"}},"Expiry":{"DurationInSeconds":"30"}},
			{"Expression":{"OrExpression":[{"AttributeCondition":{"Name":"Skill","Value":"x","ComparisonOperator":"Range","Range":{"MinProficiencyLevel":1,"MaxProficiencyLevel":3}}},
			  {"AttributeCondition":{"ComparisonOperator":"Match","MatchCriteria":{"AgentsCriteria":{"AgentIds":["ag-1"]}}}}]}}]}}`),
			want: "ok", check: func(t *testing.T, f *fakeEnv, _ Result) {
				rc := f.routing[0].RoutingCriteria
				if rc == nil || len(rc.Steps) != 2 {
					t.Fatalf("criteria %+v", rc)
				}
				c := rc.Steps[0].Expression.AttributeCondition
				if c.Value != "gold" || *c.ProficiencyLevel != 4 || *rc.Steps[0].ExpirySeconds != 30 || rc.Steps[1].ExpirySeconds != nil {
					t.Errorf("step 0 %+v", rc.Steps[0])
				}
				or := rc.Steps[1].Expression.OrExpression
				if len(or) != 2 || *or[0].AttributeCondition.MaxProficiencyLevel != 3 || or[1].AttributeCondition.AgentIDs[0] != "ag-1" {
					t.Errorf("step 1 %+v", rc.Steps[1])
				}
			}},
		{name: "routing criteria malformed", action: under("UpdateRoutingCriteria", `{"RoutingCriteria":{"Steps":[{"Expression":{}}]}}`), want: "err"},
		{name: "routing update fails", action: under("UpdateContactRoutingBehavior", `{"QueuePriority":"1"}`), want: "err",
			setup: func(f *fakeEnv) { f.fail["UpdateRouting"] = errBoom }},
		{name: "event hook", action: under("UpdateContactEventHooks", `{"EventHooks":{"CustomerQueue":"arn:aws:connect:::instance/i/contact-flow/qf"}}`), want: "ok",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if f.hooks["CustomerQueue"] != "arn:aws:connect:::instance/i/contact-flow/qf" {
					t.Errorf("hooks %v", f.hooks)
				}
			}},
		{name: "event hook fails", action: under("UpdateContactEventHooks", `{"EventHooks":{"CustomerQueue":"qf"}}`), want: "err",
			setup: func(f *fakeEnv) { f.fail["SetEventHook"] = errBoom }},
		{name: "event hook empty", action: under("UpdateContactEventHooks", `{"EventHooks":{}}`), want: "err"},
		{name: "recording is acknowledged", action: under("UpdateContactRecordingBehavior", `{"RecordingBehavior":{"RecordedParticipants":[]}}`), want: "ok"},
		{name: "create task with delay", action: under("CreateTask",
			`{"ContactFlowId":"tf","Name":"Follow up $.Attributes.name","Attributes":{"k":"$.Attributes.tier"},"References":{"r":{"Type":"STRING","Value":"$.ContactId"}},"DelaySeconds":"60"}`),
			want: "ok", check: func(t *testing.T, f *fakeEnv, _ Result) {
				tk := f.tasks[0]
				if tk.Name != "Follow up Ana" || tk.Attributes["k"] != "gold" || tk.References["r"].Value != "c-1" ||
					!tk.ScheduledTime.Equal(epoch.Add(time.Minute)) || tk.PreviousContactID != "c-1" || tk.ContactFlowID != "tf" {
					t.Errorf("task %+v", tk)
				}
			}},
		{name: "create task scheduled", action: under("CreateTask", `{"ContactFlowId":"tf","Name":"n","ScheduledTime":"2024-02-01T09:00:00Z"}`), want: "ok",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if !f.tasks[0].ScheduledTime.Equal(time.Date(2024, 2, 1, 9, 0, 0, 0, time.UTC)) {
					t.Errorf("task %+v", f.tasks[0])
				}
			}},
		{name: "create task both delay and time", action: under("CreateTask", `{"ContactFlowId":"tf","Name":"n","ScheduledTime":"1700000000","DelaySeconds":"5"}`), want: "err"},
		{name: "create task without name", action: under("CreateTask", `{"ContactFlowId":"tf"}`), want: "err"},
		{name: "create task fails", action: under("CreateTask", `{"ContactFlowId":"tf","Name":"n"}`), want: "err",
			setup: func(f *fakeEnv) { f.fail["CreateTask"] = errBoom }},
	})
}

func TestFlowControlActions(t *testing.T) {
	openHours := Hours{TimeZone: "UTC", Config: []HoursInterval{{Day: "MONDAY", StartHours: 9, EndHours: 17}}}
	withQueue := func(f *fakeEnv) {
		f.cd.Queue = &QueueInfo{ID: "q-sales", Name: "Sales"}
		f.hours["queue:q-sales"] = openHours
	}
	yesNo := []string{cond("yes", "Equals", "True"), cond("no", "Equals", "False")}
	runCases(t, []actionCase{
		{name: "compare equals", action: under("Compare", `{"ComparisonValue":"$.Attributes.tier"}`,
			cond("c1", "Equals", "gold"), cond("c2", "Equals", "silver")), want: "c1"},
		{name: "compare second condition", action: under("Compare", `{"ComparisonValue":"$.Attributes.tier"}`,
			cond("c1", "Equals", "silver"), cond("c2", "TextStartsWith", "go")), want: "c2"},
		{name: "compare no match", action: under("Compare", `{"ComparisonValue":"$.Attributes.tier"}`,
			cond("c1", "Equals", "Gold")), want: "nomatch"},
		{name: "compare no match without branch takes NextAction", want: "ok",
			action: `{"Identifier":"a","Type":"Compare","Parameters":{"ComparisonValue":"$.Channel"},"Transitions":{"NextAction":"ok",` +
				`"Errors":[{"NextAction":"err","ErrorType":"NoMatchingError"}],"Conditions":[` + cond("c1", "Equals", "VOICE") + `]}}`},
		{name: "compare missing value is empty", action: under("Compare", `{"ComparisonValue":"$.Attributes.none"}`,
			cond("c1", "Equals", "")), want: "c1"},
		{name: "compare numbers", action: under("Compare", `{"ComparisonValue":"$.Attributes.n"}`,
			cond("c1", "NumberGreaterThan", "10"), cond("c2", "NumberLessOrEqualTo", "9.5")),
			setup: func(f *fakeEnv) { f.cd.Attributes["n"] = "9.5" }, want: "c2"},
		{name: "compare non-number never matches number operators", action: under("Compare", `{"ComparisonValue":"$.Attributes.tier"}`,
			cond("c1", "NumberLessThan", "10"), cond("c2", "NumberGreaterOrEqualTo", "0")), want: "nomatch"},
		{name: "compare contains and ends with", action: under("Compare", `{"ComparisonValue":"$.CustomerEndpoint.Address"}`,
			cond("c1", "TextContains", "555"), cond("c2", "TextEndsWith", "1")),
			setup: func(f *fakeEnv) { f.cd.CustomerEndpoint = &Endpoint{Address: "+15550001", Type: "TELEPHONE_NUMBER"} }, want: "c1"},
		{name: "compare unknown operator is false", action: under("Compare", `{"ComparisonValue":"x"}`, cond("c1", "Matches", "x")), want: "nomatch"},
		{name: "hours open", action: under("CheckHoursOfOperation", `{}`, yesNo...), setup: withQueue, want: "yes"},
		{name: "hours closed", action: under("CheckHoursOfOperation", `{"HoursOfOperationId":"h-night"}`, yesNo...), want: "no",
			setup: func(f *fakeEnv) {
				f.hours["h-night"] = Hours{TimeZone: "UTC", Config: []HoursInterval{{Day: "MONDAY", StartHours: 20, EndHours: 6}}}
			}},
		{name: "hours without queue", action: under("CheckHoursOfOperation", `{}`, yesNo...), want: "err"},
		{name: "hours unknown", action: under("CheckHoursOfOperation", `{"HoursOfOperationId":"h-x"}`, yesNo...), want: "err"},
		{name: "hours bad zone", action: under("CheckHoursOfOperation", `{"HoursOfOperationId":"h-bad"}`, yesNo...), want: "err",
			setup: func(f *fakeEnv) { f.hours["h-bad"] = Hours{TimeZone: "Mars/Olympus"} }},
		{name: "staffed", action: under("CheckMetricData", `{"MetricType":"NumberOfAgentsStaffed"}`, cond("c1", "NumberGreaterThan", "0")),
			setup: func(f *fakeEnv) { withQueue(f); f.metrics.AgentsStaffed = 2 }, want: "c1",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if f.metricsQ[0].QueueID != "q-sales" {
					t.Errorf("query %+v", f.metricsQ)
				}
			}},
		{name: "not staffed", action: under("CheckMetricData", `{"MetricType":"NumberOfAgentsAvailable"}`, cond("c1", "NumberGreaterThan", "0")),
			setup: withQueue, want: "nomatch"},
		{name: "oldest contact", action: under("CheckMetricData", `{"MetricType":"OldestContactInQueueAgeSeconds","QueueId":"q-x"}`,
			cond("c1", "NumberGreaterThan", "60")),
			setup: func(f *fakeEnv) { f.metrics.OldestContactAge = 95 * time.Second }, want: "c1",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if e, _ := f.entry("a"); e.Results != "95" {
					t.Errorf("results %q", e.Results)
				}
			}},
		{name: "contacts in queue", action: under("CheckMetricData", `{"MetricType":"NumberOfContactsInQueue","AgentId":"ag"}`,
			cond("c1", "Equals", "3")),
			setup: func(f *fakeEnv) { f.metrics.ContactsInQueue = 3 }, want: "c1"},
		{name: "metrics fail", action: under("CheckMetricData", `{"MetricType":"NumberOfAgentsOnline"}`), want: "err",
			setup: func(f *fakeEnv) { withQueue(f); f.fail["QueueMetrics"] = errBoom }},
		{name: "metrics need a queue", action: under("CheckMetricData", `{"MetricType":"NumberOfAgentsOnline"}`), want: "err"},
		{name: "metric unknown", action: under("CheckMetricData", `{"MetricType":"Nope"}`), setup: withQueue, want: "err"},
		{name: "distribute first band", action: under("DistributeByPercentage", `{}`, cond("c1", "NumberLessThan", "31"), cond("c2", "NumberLessThan", "71")),
			setup: func(f *fakeEnv) { f.rand = []int{29} }, want: "c1"},
		{name: "distribute second band", action: under("DistributeByPercentage", `{}`, cond("c1", "NumberLessThan", "31"), cond("c2", "NumberLessThan", "71")),
			setup: func(f *fakeEnv) { f.rand = []int{30} }, want: "c2"},
		{name: "distribute remainder", action: under("DistributeByPercentage", `{}`, cond("c1", "NumberLessThan", "31"), cond("c2", "NumberLessThan", "71")),
			setup: func(f *fakeEnv) { f.rand = []int{99} }, want: "nomatch"},
		{name: "wait needs a timeout", action: under("Wait", `{}`), want: "err"},
		{name: "wait timeout out of range", action: under("Wait", `{"TimeoutSeconds":"0"}`), want: "err"},
		{name: "loop count invalid", action: under("Loop", `{"LoopCount":"x"}`), want: "err"},
		{name: "transfer to unknown flow", action: under("TransferToFlow", `{"ContactFlowId":"nowhere"}`), want: "err"},
		{name: "flow attributes", action: under("UpdateFlowAttributes", `{"FlowAttributes":{"step":{"Value":"$.Attributes.tier"}}}`), want: "ok"},
		{name: "unknown action takes error branch", action: under("Teleport", `{}`), want: "err",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				e, _ := f.entry("a")
				if e.Level != "ERROR" || !strings.Contains(e.Error, "Teleport") || e.Branch != "Error:NoMatchingError" || e.Next != "err" {
					t.Errorf("log %+v", e)
				}
			}},
		{name: "known but unsupported action takes error branch", action: under("TagContact", `{"Tags":{"a":"b"}}`), want: "err",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if e, _ := f.entry("a"); !strings.Contains(e.Error, "not supported") {
					t.Errorf("log %+v", e)
				}
			}},
		{name: "unknown action without error branch ends with error", reason: EndError, want: "a",
			action: `{"Identifier":"a","Type":"Teleport","Parameters":{},"Transitions":{"NextAction":"ok"}}`},
	})
}

func TestLambdaAction(t *testing.T) {
	runCases(t, []actionCase{
		{name: "lambda success sets External", want: "ok",
			action: under("InvokeLambdaFunction", `{"LambdaFunctionARN":"arn:aws:lambda:us-east-1:1:function:lookup","InvocationTimeLimitSeconds":"5",`+
				`"LambdaInvocationAttributes":{"who":"$.Attributes.name"}}`),
			setup: func(f *fakeEnv) {
				f.lambda = func(r LambdaRequest) (map[string]any, error) {
					return map[string]any{"vip": "yes"}, nil
				}
			},
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				r := f.lambdaReqs[0]
				if r.Timeout != 5*time.Second || r.ResponseType != "STRING_MAP" || r.InvocationType != "SYNCHRONOUS" ||
					r.Event.Details.Parameters["who"] != "Ana" || r.Event.Name != "ContactFlowEvent" ||
					r.Event.Details.ContactData.Attributes["tier"] != "gold" {
					t.Errorf("request %+v", r)
				}
				if e, _ := f.entry("a"); e.ExternalResults["vip"] != "yes" {
					t.Errorf("log %+v", e)
				}
			}},
		{name: "lambda error", action: under("InvokeLambdaFunction", `{"LambdaFunctionARN":"arn:aws:lambda:us-east-1:1:function:x"}`), want: "err",
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if f.lambdaReqs[0].Timeout != DefaultLambdaTimeout {
					t.Errorf("timeout %v", f.lambdaReqs[0].Timeout)
				}
			}},
		{name: "lambda sync timeout above 8 s", action: under("InvokeLambdaFunction", `{"LambdaFunctionARN":"f","InvocationTimeLimitSeconds":"9"}`), want: "err"},
		{name: "lambda async allows longer", action: under("InvokeLambdaFunction",
			`{"LambdaFunctionARN":"f","InvocationType":"ASYNCHRONOUS","InvocationTimeLimitSeconds":"30","ResponseValidation":{"ResponseType":"JSON"}}`), want: "ok",
			setup: func(f *fakeEnv) {
				f.lambda = func(r LambdaRequest) (map[string]any, error) { return nil, nil }
			},
			check: func(t *testing.T, f *fakeEnv, _ Result) {
				if r := f.lambdaReqs[0]; r.Timeout != 30*time.Second || r.ResponseType != "JSON" {
					t.Errorf("request %+v", r)
				}
			}},
	})
}
