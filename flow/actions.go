package flow

import (
	"slices"
	"strconv"
	"strings"
)

// flowSet is a set of flow types, one bit per ContactFlowType value.
type flowSet uint16

const (
	fContact flowSet = 1 << iota
	fCustomerQueue
	fCustomerHold
	fCustomerWhisper
	fAgentHold
	fAgentWhisper
	fOutboundWhisper
	fAgentTransfer
	fQueueTransfer
	fCampaign
)

// Groups the flow-language documentation speaks of. CAMPAIGN flows are
// outbound-campaign entry flows; the documentation says nothing of them, so
// they count as inbound flows, which is what they run like.
const (
	inbound  = fContact | fCampaign
	transfer = fAgentTransfer | fQueueTransfer
	hold     = fCustomerHold | fAgentHold
	whisper  = fCustomerWhisper | fAgentWhisper | fOutboundWhisper
	anyFlow  = inbound | transfer | hold | whisper | fCustomerQueue
)

// flowTypeNames lists the ContactFlowType enum in the model's order; bit i
// of a flowSet stands for flowTypeNames[i].
var flowTypeNames = []string{
	"CONTACT_FLOW", "CUSTOMER_QUEUE", "CUSTOMER_HOLD", "CUSTOMER_WHISPER", "AGENT_HOLD",
	"AGENT_WHISPER", "OUTBOUND_WHISPER", "AGENT_TRANSFER", "QUEUE_TRANSFER", "CAMPAIGN",
}

var flowTypeBits = func() map[string]flowSet {
	m := make(map[string]flowSet, len(flowTypeNames))
	for i, n := range flowTypeNames {
		m[n] = 1 << i
	}
	return m
}()

func (s flowSet) String() string {
	var names []string
	for i, n := range flowTypeNames {
		if s&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// resultKind says whether an action produces a value Conditions can test.
type resultKind int

const (
	resultNone resultKind = iota // Conditions are refused
	resultAny                    // Conditions allowed; check may narrow them
)

// actionSpec is what publishing checks for one action type.
type actionSpec struct {
	// flows are the flow types the action may be used in; 0 means all.
	flows   flowSet
	results resultKind
	// check validates Parameters and, where the action restricts them,
	// Conditions. nil means there is nothing more to check.
	check func(*checker)
}

// KnownActionType reports whether Validate accepts actionType. An
// interpreter meeting any other type takes its error branch.
func KnownActionType(actionType string) bool {
	_, ok := catalogue[actionType]
	return ok
}

// catalogue holds every action type of the flow-language spec (§6). The
// parameter rules are the spec's; types the spec lists only as stubs are
// known (so they publish) but their parameters are not checked.
var catalogue = map[string]actionSpec{
	// Participant actions.
	"MessageParticipant": {flows: anyFlow &^ hold, check: func(c *checker) {
		c.prompt(c.top(), true)
	}},
	"GetParticipantInput":             {results: resultAny, check: checkGetParticipantInput},
	"ConnectParticipantWithLexBot":    {results: resultAny, check: checkLexBot},
	"DisconnectParticipant":           {},
	"MessageParticipantIteratively":   {flows: fCustomerQueue | hold, results: resultAny, check: checkIteratively},
	"TransferParticipantToThirdParty": {results: resultAny},
	// ShowView renders a view in the customer's chat; its result is the
	// action the customer chose.
	"ShowView": {flows: inbound | fCustomerQueue, results: resultAny, check: checkShowView},

	// Contact actions.
	"UpdateContactAttributes": {check: func(c *checker) {
		c.stringMap(c.top(), "Attributes", true, true)
		c.enum(c.top(), "TargetContact", false, "Current", "Related")
	}},
	"UpdateContactData": {check: checkContactData},
	"UpdateContactTargetQueue": {flows: inbound | transfer, check: func(c *checker) {
		if key := c.exactlyOne(c.top(), "QueueId", "AgentId"); key != "" {
			c.str(c.top(), key, single, true)
		}
	}},
	"TransferContactToQueue": {flows: inbound | transfer, check: func(c *checker) {
		// QueueId is not documented but hand-written flows use it to
		// override the working queue; accept it in the shape of a queue id.
		c.str(c.top(), "QueueId", single, false)
	}},
	"DequeueContactAndTransferToQueue": {flows: fCustomerQueue, check: func(c *checker) {
		if key := c.exactlyOne(c.top(), "QueueId", "AgentId"); key != "" {
			c.str(c.top(), key, single, true)
		}
	}},
	"TransferContactToAgent": {flows: transfer},
	"UpdateContactRoutingBehavior": {flows: inbound, check: func(c *checker) {
		switch c.exactlyOne(c.top(), "QueuePriority", "QueueTimeAdjustmentSeconds") {
		case "QueuePriority":
			c.number(c.top(), "QueuePriority", static, true, 1, maxWhole)
		case "QueueTimeAdjustmentSeconds":
			c.number(c.top(), "QueueTimeAdjustmentSeconds", static, true, -maxWhole, maxWhole)
		}
	}},
	"UpdateRoutingCriteria":   {check: checkRoutingCriteria},
	"UpdateContactEventHooks": {check: checkEventHooks},
	"UpdateContactRecordingBehavior": {check: func(c *checker) {
		rb, ok := c.nested(c.top(), "RecordingBehavior", false)
		if !ok {
			return
		}
		v, present := rb.obj["RecordedParticipants"]
		if !present {
			return
		}
		list, ok := v.([]any)
		if !ok {
			c.problem("parameter %s must be an array, not %s", rb.name("RecordedParticipants"), kind(v))
			return
		}
		for _, item := range list {
			if s, _ := item.(string); s != "Agent" && s != "Customer" {
				c.problem("parameter %s may hold only \"Agent\" and \"Customer\"", rb.name("RecordedParticipants"))
				return
			}
		}
	}},
	"UpdateContactRecordingAndAnalyticsBehavior": {},
	"UpdateContactTextToSpeechVoice": {check: func(c *checker) {
		c.str(c.top(), "TextToSpeechVoice", single, true)
		c.enum(c.top(), "TextToSpeechEngine", false, "Neural", "Standard", "neural", "standard")
	}},
	"UpdateContactCallbackNumber": {check: func(c *checker) {
		c.str(c.top(), "CallbackNumber", reference, true)
	}},
	"CreateTask": {check: checkCreateTask},
	"TagContact": {check: func(c *checker) {
		c.stringMap(c.top(), "Tags", true, true)
	}},
	"UnTagContact": {check: func(c *checker) {
		v, present := c.a.Parameters["TagKeys"]
		list, ok := v.([]any)
		switch {
		case !present:
			c.problem("parameter TagKeys is required")
		case !ok || len(list) == 0:
			c.problem("parameter TagKeys must be an array of at least one tag key")
		}
	}},
	// Documented only as stubs: known, so they publish, parameters unchecked.
	"StartOutboundChatContact": {results: resultAny},
	"CreateCase":               {results: resultAny},
	"GetCase":                  {results: resultAny},
	"UpdateCase":               {results: resultAny},
	"CreateWisdomSession":      {results: resultAny},
	// Flow modules: an inbound flow (or a module, checked as one) invokes
	// a module, which returns with EndFlowModuleExecution.
	"InvokeFlowModule": {flows: inbound, results: resultAny, check: func(c *checker) {
		c.str(c.top(), "FlowModuleId", single, true)
	}},
	"EndFlowModuleExecution": {},

	// Flow-control actions.
	"Compare": {results: resultAny, check: func(c *checker) {
		c.str(c.top(), "ComparisonValue", reference, true)
	}},
	"CheckHoursOfOperation": {flows: inbound | transfer | fCustomerQueue, results: resultAny, check: func(c *checker) {
		c.str(c.top(), "HoursOfOperationId", single, false)
		c.results("True", "False")
		c.requireResults("True", "False")
	}},
	"CheckMetricData":        {results: resultAny, check: checkMetricData},
	"GetMetricData":          {check: func(c *checker) { c.atMostOne(c.top(), "QueueId", "AgentId") }},
	"DistributeByPercentage": {flows: anyFlow &^ (whisper | hold), results: resultAny, check: checkDistribute},
	"Loop": {results: resultAny, check: func(c *checker) {
		c.number(c.top(), "LoopCount", single, true, 0, 100)
		c.results("ContinueLooping", "DoneLooping")
		c.requireResults("ContinueLooping", "DoneLooping")
	}},
	"Wait":             {results: resultAny, check: checkWait},
	"EndFlowExecution": {},
	"TransferToFlow": {flows: inbound | transfer, check: func(c *checker) {
		c.str(c.top(), "ContactFlowId", single, true)
	}},
	"UpdateFlowLoggingBehavior": {check: func(c *checker) {
		c.enum(c.top(), "FlowLoggingBehavior", true, "Enabled", "Disabled")
	}},
	"UpdateFlowAttributes": {check: func(c *checker) {
		// The value shape is unverified ({Value, ...}); only require entries.
		if m, ok := c.nested(c.top(), "FlowAttributes", true); ok && len(m.obj) == 0 {
			c.problem("parameter FlowAttributes must have at least one entry")
		}
	}},

	// Interactions.
	"InvokeLambdaFunction": {check: checkLambda},
}

// dtmfKeys are the keys a DTMF branch of GetParticipantInput can match.
var dtmfKeys = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"}

func checkGetParticipantInput(c *checker) {
	p := c.top()
	c.prompt(p, true)
	c.number(p, "InputTimeLimitSeconds", static, false, 1, maxWhole)
	store, _ := c.enum(p, "StoreInput", false, "True", "False")
	if v, ok := c.nested(p, "InputValidation", store == "True"); ok {
		switch c.exactlyOne(v, "PhoneNumberValidation", "CustomValidation") {
		case "PhoneNumberValidation":
			if ph, ok := c.nested(v, "PhoneNumberValidation", true); ok {
				c.enum(ph, "NumberFormat", true, "Local", "E164")
				c.str(ph, "CountryCode", static, false)
			}
		case "CustomValidation":
			if cv, ok := c.nested(v, "CustomValidation", true); ok {
				c.number(cv, "MaximumLength", static, true, 1, maxWhole)
			}
		}
	}
	if enc, ok := c.nested(p, "InputEncryption", false); ok {
		c.str(enc, "EncryptionKeyId", static, true)
		c.str(enc, "Key", static, true)
	}
	if dtmf, ok := c.nested(p, "DTMFConfiguration", false); ok {
		c.str(dtmf, "InputTerminationSequence", static, false)
		c.enum(dtmf, "DisableCancelKey", false, "True", "False")
	}
	if store == "True" {
		// Stored input goes to $.StoredCustomerInput; there is no result.
		if len(c.a.Transitions.Conditions) > 0 {
			c.problem("remove Transitions.Conditions; with StoreInput \"True\" the input is stored, not compared")
		}
		return
	}
	c.results(dtmfKeys...)
}

func checkLexBot(c *checker) {
	p := c.top()
	c.prompt(p, false)
	switch c.exactlyOne(p, "LexBot", "LexV2Bot") {
	case "LexBot":
		if bot, ok := c.nested(p, "LexBot", true); ok {
			c.str(bot, "Name", single, true)
			c.str(bot, "Region", single, true)
			c.str(bot, "Alias", single, true)
		}
	case "LexV2Bot":
		if bot, ok := c.nested(p, "LexV2Bot", true); ok {
			c.str(bot, "AliasArn", single, true)
		}
	}
	c.stringMap(p, "LexSessionAttributes", false, false)
	// The result is an intent name, which only Equals makes sense for.
	c.operatorsOnly("Equals")
}

// MaxShowViewSeconds bounds ShowView's InvocationTimeLimitSeconds, like
// Wait's timeout (7 days).
const MaxShowViewSeconds = 604800

func checkShowView(c *checker) {
	p := c.top()
	if view, ok := c.nested(p, "ViewResource", true); ok {
		c.str(view, "Id", single, true)
		c.str(view, "Version", single, false)
	}
	c.number(p, "InvocationTimeLimitSeconds", single, false, 1, MaxShowViewSeconds)
	c.nested(p, "ViewData", false)
	if cfg, ok := c.nested(p, "SensitiveDataConfiguration", false); ok {
		if v, present := cfg.obj["HideResponseOn"]; present {
			list, ok := v.([]any)
			if !ok {
				c.problem("parameter %s must be an array, not %s", cfg.name("HideResponseOn"), kind(v))
			}
			for _, item := range list {
				if s, _ := item.(string); s != "TRANSCRIPT" {
					c.problem("parameter %s may hold only TRANSCRIPT", cfg.name("HideResponseOn"))
					break
				}
			}
		}
	}
}

func checkIteratively(c *checker) {
	v, present := c.a.Parameters["Messages"]
	list, ok := v.([]any)
	switch {
	case !present:
		c.problem("parameter Messages is required")
	case !ok || len(list) == 0:
		c.problem("parameter Messages must be an array of at least one message")
	}
	for i, item := range list {
		name := "Messages[" + strconv.Itoa(i) + "]"
		m, ok := item.(map[string]any)
		if !ok {
			c.problem("parameter %s must be a JSON object, not %s", name, kind(item))
			continue
		}
		c.prompt(params{m, name + "."}, true)
	}
	c.number(c.top(), "InterruptFrequencySeconds", single, false, 1, maxWhole)
	c.results("MessagesInterrupted")
}

func checkContactData(c *checker) {
	p := c.top()
	for _, key := range []string{"Name", "Description", "LanguageCode", "CustomerId"} {
		c.str(p, key, dynamic, false)
	}
	c.references(p)
	c.enum(p, "TargetContact", false, "Current", "Related")
}

// references checks task-style References: {name: {Type, Value}}.
func (c *checker) references(p params) {
	refs, ok := c.nested(p, "References", false)
	if !ok {
		return
	}
	for _, k := range sortedKeys(refs.obj) {
		if r, ok := c.nested(refs, k, true); ok {
			c.str(r, "Type", static, true)
			c.str(r, "Value", dynamic, true)
		}
	}
}

func checkRoutingCriteria(c *checker) {
	rc, ok := c.nested(c.top(), "RoutingCriteria", true)
	if !ok {
		return
	}
	v, present := rc.obj["Steps"]
	steps, ok := v.([]any)
	if !present || !ok || len(steps) == 0 {
		c.problem("parameter RoutingCriteria.Steps must be an array of at least one step")
		return
	}
	for i, item := range steps {
		name := "RoutingCriteria.Steps[" + strconv.Itoa(i) + "]"
		step, ok := item.(map[string]any)
		if !ok {
			c.problem("parameter %s must be a JSON object, not %s", name, kind(item))
			continue
		}
		c.nested(params{step, name + "."}, "Expression", true)
	}
}

// eventHookKeys are the hooks UpdateContactEventHooks may set.
var eventHookKeys = []string{
	"CustomerQueue", "CustomerHold", "CustomerWhisper", "AgentHold", "AgentWhisper",
	"CustomerRemaining", "DefaultAgentUI", "DisconnectAgentUI", "PauseContact", "ResumeContact",
}

func checkEventHooks(c *checker) {
	hooks, ok := c.nested(c.top(), "EventHooks", true)
	if !ok {
		return
	}
	if len(hooks.obj) != 1 {
		c.problem("parameter EventHooks must set exactly one hook, not %d; use one action per hook", len(hooks.obj))
	}
	for _, k := range sortedKeys(hooks.obj) {
		if !slices.Contains(eventHookKeys, k) {
			c.problem("unknown hook %s in parameter EventHooks; use %s", quote(k), strings.Join(eventHookKeys, ", "))
			continue
		}
		c.str(hooks, k, single, true)
	}
}

func checkCreateTask(c *checker) {
	p := c.top()
	c.str(p, "ContactFlowId", single, true)
	c.str(p, "Name", dynamic, true)
	c.str(p, "Description", dynamic, false)
	c.stringMap(p, "Attributes", false, false)
	c.references(p)
	c.atMostOne(p, "DelaySeconds", "ScheduledTime")
	c.number(p, "DelaySeconds", single, false, 1, 518400)
	c.str(p, "ScheduledTime", single, false)
	c.str(p, "TaskTemplateId", static, false)
}

// agentMetrics are the CheckMetricData metrics that only say whether there
// is anyone, so their only condition is "greater than 0".
var agentMetrics = []string{"NumberOfAgentsAvailable", "NumberOfAgentsStaffed", "NumberOfAgentsOnline"}

func checkMetricData(c *checker) {
	p := c.top()
	metric, ok := c.enum(p, "MetricType", true, append(agentMetrics, "OldestContactInQueueAgeSeconds", "NumberOfContactsInQueue")...)
	c.atMostOne(p, "QueueId", "AgentId")
	c.str(p, "QueueId", dynamic, false)
	c.str(p, "AgentId", dynamic, false)
	if !ok {
		return
	}
	if slices.Contains(agentMetrics, metric) {
		conds := c.a.Transitions.Conditions
		if len(conds) > 1 {
			c.problem("Transitions.Conditions may hold only one condition, NumberGreaterThan \"0\", for %s", metric)
			return
		}
		if len(conds) == 1 && wellFormed(conds[0]) && (conds[0].Operator != "NumberGreaterThan" || conds[0].Operands[0] != "0") {
			c.problem("Transitions.Conditions[0] must be NumberGreaterThan \"0\" for %s", metric)
		}
		return
	}
	c.operatorsOnly("Equals", "NumberGreaterThan", "NumberGreaterOrEqualTo", "NumberLessThan", "NumberLessOrEqualTo")
}

// checkDistribute checks the cumulative thresholds: the action draws 1..100
// and the first condition "NumberLessThan n" that holds wins, so each n
// must exceed the one before or its branch could never be taken.
func checkDistribute(c *checker) {
	prev := int64(1)
	for i, cond := range c.a.Transitions.Conditions {
		if !wellFormed(cond) {
			continue
		}
		if cond.Operator != "NumberLessThan" {
			c.problem("Transitions.Conditions[%d] must use NumberLessThan with a cumulative percentage threshold", i)
			continue
		}
		n, err := strconv.ParseInt(cond.Operands[0], 10, 64)
		switch {
		case err != nil || n < 2 || n > 101:
			c.problem("Transitions.Conditions[%d] threshold %s must be a whole number from 2 to 101", i, quote(cond.Operands[0]))
		case n <= prev:
			c.problem("Transitions.Conditions[%d] threshold %d must be greater than the one before it (%d); thresholds are cumulative", i, n, prev)
		default:
			prev = n
		}
	}
}

// waitEvents are the events Wait may also end on.
var waitEvents = []string{"CustomerReturned", "BotParticipantDisconnected"}

func checkWait(c *checker) {
	p := c.top()
	c.number(p, "TimeoutSeconds", single, true, 1, 604800)
	want := []string{"WaitCompleted"}
	if v, present := p.obj["Events"]; present {
		list, ok := v.([]any)
		if !ok {
			c.problem("parameter Events must be an array, not %s", kind(v))
		}
		for _, item := range list {
			s, _ := item.(string)
			if !slices.Contains(waitEvents, s) {
				c.problem("parameter Events may hold only %s", strings.Join(waitEvents, ", "))
				break
			}
			if !slices.Contains(want, s) {
				want = append(want, s)
			}
		}
	}
	c.results(want...)
	c.requireResults(want...)
}

func checkLambda(c *checker) {
	p := c.top()
	c.str(p, "LambdaFunctionARN", dynamic, true)
	invocation, _ := c.enum(p, "InvocationType", false, "SYNCHRONOUS", "ASYNCHRONOUS")
	if invocation == "ASYNCHRONOUS" {
		c.number(p, "InvocationTimeLimitSeconds", static, false, 1, maxWhole)
	} else {
		// Synchronous calls hold the contact; Connect caps them at 8 s.
		c.number(p, "InvocationTimeLimitSeconds", static, false, 1, 8)
	}
	c.stringMap(p, "LambdaInvocationAttributes", false, false)
	if rv, ok := c.nested(p, "ResponseValidation", false); ok {
		c.enum(rv, "ResponseType", true, "STRING_MAP", "JSON")
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
