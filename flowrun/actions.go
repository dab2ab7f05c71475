package flowrun

import (
	"errors"
	"fmt"
	"maps"
	"strconv"
	"time"

	"github.com/switchboard-cc/switchboard/flow"
)

// handler runs one action type.
type handler func(r *run, p *params) outcome

// handlers are the action types the engine runs. A type missing here takes
// its error branch with an unsupportedError, logged even with logging off.
var handlers = map[string]handler{
	"MessageParticipant":             messageParticipant,
	"MessageParticipantIteratively":  noParticipantInput,
	"GetParticipantInput":            noParticipantInput,
	"ShowView":                       showView,
	"DisconnectParticipant":          disconnectParticipant,
	"UpdateContactAttributes":        updateContactAttributes,
	"UpdateContactData":              updateContactData,
	"UpdateContactTextToSpeechVoice": updateTextToSpeechVoice,
	"UpdateContactTargetQueue":       updateContactTargetQueue,
	"TransferContactToQueue":         transferContactToQueue,
	// In a transfer-to-agent flow the working queue is the agent's queue
	// (set by the quick connect or TransferContact that started it), so
	// transferring to the agent is transferring to that queue.
	"TransferContactToAgent":                     transferContactToQueue,
	"UpdateContactRoutingBehavior":               updateRoutingBehavior,
	"UpdateRoutingCriteria":                      updateRoutingBehavior,
	"UpdateContactEventHooks":                    updateEventHooks,
	"UpdateContactRecordingBehavior":             acknowledge,
	"UpdateContactRecordingAndAnalyticsBehavior": acknowledge,
	"CreateTask":                                 createTask,
	"Compare":                                    compare,
	"CheckHoursOfOperation":                      checkHoursOfOperation,
	"CheckMetricData":                            checkMetricData,
	"GetMetricData":                              getMetricData,
	"DistributeByPercentage":                     distributeByPercentage,
	"Loop":                                       loop,
	"Wait":                                       wait,
	"EndFlowExecution":                           endFlowExecution,
	"TransferToFlow":                             transferToFlow,
	"InvokeFlowModule":                           invokeFlowModule,
	"EndFlowModuleExecution":                     endFlowModule,
	"UpdateFlowLoggingBehavior":                  updateFlowLogging,
	"UpdateFlowAttributes":                       updateFlowAttributes,
	"InvokeLambdaFunction":                       invokeLambda,
}

// do runs action a.
func (r *run) do(a *flow.Action, p *params) outcome {
	h, ok := handlers[a.Type]
	if !ok {
		msg := fmt.Sprintf("action type %q is not a flow-language action", a.Type)
		if flow.KnownActionType(a.Type) {
			msg = fmt.Sprintf("action type %q is not supported by this engine", a.Type)
		}
		return failed(flow.ErrNoMatchingError, &unsupportedError{msg})
	}
	return h(r, p)
}

// noParticipant reports whether the contact has no one to show a message
// to: tasks and emails take MessageParticipant's success branch unchanged.
func (r *run) noParticipant() bool {
	return r.cd.Channel == "TASK" || r.cd.Channel == "EMAIL"
}

func messageParticipant(r *run, p *params) outcome {
	var m Message
	var has bool
	for _, f := range []struct {
		name string
		dst  *string
	}{{"Text", &m.Text}, {"SSML", &m.SSML}, {"PromptId", &m.PromptID}} {
		if v, ok := p.value(f.name); ok {
			*f.dst, has = v, true
		}
	}
	if media, ok := p.object("Media"); ok {
		uri, _ := scalar(media["Uri"])
		m.MediaURI, has = r.interpolate(uri), true
		p.resolved["Media.Uri"] = m.MediaURI
	}
	if !has {
		return failure("MessageParticipant has no Text, SSML, PromptId or Media")
	}
	if r.noParticipant() {
		return outcome{}
	}
	if err := r.env.SendMessage(r.ctx, m); err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	return outcome{}
}

// noParticipantInput is Connect's behaviour outside voice, the only channel
// the engine serves: DTMF input and looping prompts take the error branch
// at once (in a queue flow the contact then just waits in queue).
func noParticipantInput(r *run, p *params) outcome {
	return failure("%s needs a voice participant; channel %s takes the error branch", p.a.Type, r.cd.Channel)
}

func disconnectParticipant(r *run, _ *params) outcome {
	if err := r.env.Disconnect(r.ctx); err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	return outcome{end: EndDisconnected}
}

// target reads TargetContact: Current (the default) or Related.
func (p *params) target() (string, error) {
	t, ok := p.literal("TargetContact")
	if !ok || t == "" {
		return "Current", nil
	}
	if t != "Current" && t != "Related" {
		return "", fmt.Errorf("TargetContact %q must be Current or Related", t)
	}
	return t, nil
}

func updateContactAttributes(r *run, p *params) outcome {
	attrs, present, err := p.stringMap("Attributes")
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if !present || len(attrs) == 0 {
		return failure("UpdateContactAttributes needs at least one attribute")
	}
	target, err := p.target()
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if err := r.env.SetAttributes(r.ctx, target, attrs); err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if target == "Current" {
		r.cd.Attributes = maps.Clone(r.cd.Attributes)
		if r.cd.Attributes == nil {
			r.cd.Attributes = map[string]string{}
		}
		for k, v := range attrs {
			if v == "" {
				delete(r.cd.Attributes, k)
			} else {
				r.cd.Attributes[k] = v
			}
		}
	}
	return outcome{}
}

// contactDataFields are UpdateContactData's modelled fields; the rest go
// to ContactUpdate.Other.
var contactDataFields = map[string]bool{
	"Name": true, "Description": true, "LanguageCode": true, "CustomerId": true,
	"References": true, "TargetContact": true,
}

func updateContactData(r *run, p *params) outcome {
	target, err := p.target()
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	u := ContactUpdate{Target: target}
	for _, f := range []struct {
		name string
		dst  **string
	}{{"Name", &u.Name}, {"Description", &u.Description}, {"LanguageCode", &u.LanguageCode}, {"CustomerId", &u.CustomerID}} {
		if v, ok := p.value(f.name); ok {
			*f.dst = &v
		}
	}
	if u.References, err = p.references("References"); err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	for _, k := range sortedKeys(p.a.Parameters) {
		if contactDataFields[k] {
			continue
		}
		if v, ok := p.value(k); ok {
			if u.Other == nil {
				u.Other = map[string]string{}
			}
			u.Other[k] = v
		}
	}
	if err := r.env.UpdateContactData(r.ctx, u); err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if target == "Current" {
		cd := &r.cd
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&cd.Name, u.Name)
		set(&cd.Description, u.Description)
		set(&cd.LanguageCode, u.LanguageCode)
		set(&cd.CustomerID, u.CustomerID)
		if len(u.References) > 0 {
			cd.References = maps.Clone(cd.References)
			if cd.References == nil {
				cd.References = map[string]Reference{}
			}
			maps.Copy(cd.References, u.References)
		}
	}
	return outcome{}
}

func updateTextToSpeechVoice(r *run, p *params) outcome {
	voice, ok := p.value("TextToSpeechVoice")
	if !ok || voice == "" {
		return failure("UpdateContactTextToSpeechVoice needs TextToSpeechVoice")
	}
	u := ContactUpdate{Target: "Current", TextToSpeechVoice: &voice}
	if engine, ok := p.literal("TextToSpeechEngine"); ok {
		u.TextToSpeechEngine = &engine
	}
	if err := r.env.UpdateContactData(r.ctx, u); err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	r.cd.TextToSpeechVoiceID = voice
	return outcome{}
}

func updateContactTargetQueue(r *run, p *params) outcome {
	q, _ := p.value("QueueId")
	agent, _ := p.value("AgentId")
	if (q == "") == (agent == "") {
		return failure("UpdateContactTargetQueue needs exactly one of QueueId and AgentId")
	}
	info, err := r.env.SetTargetQueue(r.ctx, QueueTarget{QueueID: q, AgentID: agent})
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	r.cd.Queue = &info
	return outcome{}
}

// ErrQueueAtCapacity is TransferContactToQueue's error type for a full
// queue.
const ErrQueueAtCapacity = "QueueAtCapacity"

func transferContactToQueue(r *run, p *params) outcome {
	override, _ := p.value("QueueId")
	if override == "" && r.cd.Queue == nil {
		return failure("no working queue is set; use UpdateContactTargetQueue before TransferContactToQueue")
	}
	res, err := r.env.TransferToQueue(r.ctx, override)
	switch {
	case err != nil:
		return failed(flow.ErrNoMatchingError, err)
	case res == TransferAtCapacity:
		return failed(ErrQueueAtCapacity, errors.New("the queue is at capacity"))
	}
	return outcome{end: EndTransferredToQueue}
}

// updateRoutingBehavior serves UpdateContactRoutingBehavior (priority, age
// and, in newer exports, routing criteria) and UpdateRoutingCriteria.
func updateRoutingBehavior(r *run, p *params) outcome {
	var u RoutingUpdate
	n, present, err := p.intParam("QueuePriority", 1, maxWhole)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if present {
		u.QueuePriority = &n
	}
	adj, present, err := p.intParam("QueueTimeAdjustmentSeconds", -maxWhole, maxWhole)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if present {
		u.QueueTimeAdjustmentSeconds = &adj
	}
	if raw, ok := p.raw("RoutingCriteria"); ok {
		rc, err := p.routingCriteria(raw)
		if err != nil {
			return failed(flow.ErrNoMatchingError, err)
		}
		u.RoutingCriteria = rc
		p.resolved["RoutingCriteria"] = rc
	}
	if u.QueuePriority == nil && u.QueueTimeAdjustmentSeconds == nil && u.RoutingCriteria == nil {
		return failure("%s sets none of QueuePriority, QueueTimeAdjustmentSeconds and RoutingCriteria", p.a.Type)
	}
	if err := r.env.UpdateRouting(r.ctx, u); err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	return outcome{}
}

// maxWhole bounds whole-number parameters (QueuePriority is 1..2^63-1).
const maxWhole = 1<<63 - 1

func updateEventHooks(r *run, p *params) outcome {
	hooks, ok := p.object("EventHooks")
	if !ok || len(hooks) == 0 {
		return failure("UpdateContactEventHooks needs EventHooks with one hook")
	}
	set := map[string]string{}
	for _, k := range sortedKeys(hooks) {
		s, ok := scalar(hooks[k])
		if s = r.interpolate(s); !ok || s == "" {
			return failure("event hook %s needs a flow id or ARN", k)
		}
		set[k] = s
	}
	p.resolved["EventHooks"] = set
	for _, k := range sortedKeys(set) {
		if err := r.env.SetEventHook(r.ctx, k, set[k]); err != nil {
			return failed(flow.ErrNoMatchingError, err)
		}
	}
	return outcome{}
}

// acknowledge succeeds without effect: recording and analytics have no
// meaning without audio or Contact Lens, and nothing reads them back.
func acknowledge(*run, *params) outcome { return outcome{} }

// maxTaskDelay is CreateTask's DelaySeconds limit (6 days).
const maxTaskDelay = 518400

func createTask(r *run, p *params) outcome {
	var t TaskRequest
	t.ContactFlowID, _ = p.value("ContactFlowId")
	t.TaskTemplateID, _ = p.literal("TaskTemplateId")
	if t.ContactFlowID == "" && t.TaskTemplateID == "" {
		return failure("CreateTask needs ContactFlowId")
	}
	t.Name, _ = p.value("Name")
	if t.Name == "" {
		return failure("CreateTask needs a Name")
	}
	t.Description, _ = p.value("Description")
	var err error
	if t.Attributes, _, err = p.stringMap("Attributes"); err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if t.References, err = p.references("References"); err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	delay, hasDelay, err := p.intParam("DelaySeconds", 1, maxTaskDelay)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	sched, hasSched := p.value("ScheduledTime")
	switch {
	case hasDelay && hasSched:
		return failure("CreateTask takes DelaySeconds or ScheduledTime, not both")
	case hasDelay:
		t.ScheduledTime = r.now().Add(time.Duration(delay) * time.Second)
	case hasSched:
		when, err := parseTime(sched)
		if err != nil {
			return failed(flow.ErrNoMatchingError, err)
		}
		t.ScheduledTime = when
	}
	t.PreviousContactID = r.cd.ContactID
	id, err := r.env.CreateTask(r.ctx, t)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	r.st.TaskContactID = id
	return outcome{}
}

// parseTime reads ScheduledTime, whose format the spec leaves open: an
// RFC 3339 timestamp or epoch seconds (how the API's timestamps travel).
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if f, ok := number(s); ok && f > 0 && f < 1e11 {
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("ScheduledTime %q is neither an RFC 3339 time nor epoch seconds", s)
}

func compare(_ *run, p *params) outcome {
	v, ok := p.value("ComparisonValue")
	if !ok {
		return failure("Compare needs ComparisonValue")
	}
	return result(v)
}

func checkHoursOfOperation(r *run, p *params) outcome {
	id, _ := p.value("HoursOfOperationId")
	queue := ""
	if id == "" {
		if queue = r.queueRef(); queue == "" {
			return failure("no HoursOfOperationId and no working queue to take hours from")
		}
	}
	h, err := r.env.HoursOfOperation(r.ctx, id, queue)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	open, err := h.OpenAt(r.now())
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	p.resolved["TimeZone"] = h.TimeZone
	if open {
		return result("True")
	}
	return result("False")
}

// queueRef names the working queue for the Env: its id, else its ARN.
func (r *run) queueRef() string {
	if r.cd.Queue == nil {
		return ""
	}
	if r.cd.Queue.ID != "" {
		return r.cd.Queue.ID
	}
	return r.cd.Queue.ARN
}

// metricsQuery reads QueueId/AgentId, defaulting to the working queue.
func (r *run) metricsQuery(p *params) (MetricsQuery, error) {
	q, _ := p.value("QueueId")
	agent, _ := p.value("AgentId")
	if q != "" && agent != "" {
		return MetricsQuery{}, errors.New("give QueueId or AgentId, not both")
	}
	if q == "" && agent == "" {
		if q = r.queueRef(); q == "" {
			return MetricsQuery{}, errors.New("no QueueId or AgentId and no working queue")
		}
	}
	return MetricsQuery{QueueID: q, AgentID: agent}, nil
}

func checkMetricData(r *run, p *params) outcome {
	metric, _ := p.literal("MetricType")
	q, err := r.metricsQuery(p)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	m, err := r.env.QueueMetrics(r.ctx, q)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	var n int64
	switch metric {
	case "NumberOfAgentsAvailable":
		n = int64(m.AgentsAvailable)
	case "NumberOfAgentsStaffed":
		n = int64(m.AgentsStaffed)
	case "NumberOfAgentsOnline":
		n = int64(m.AgentsOnline)
	case "NumberOfContactsInQueue":
		n = int64(m.ContactsInQueue)
	case "OldestContactInQueueAgeSeconds":
		n = int64(m.OldestContactAge / time.Second)
	default:
		return failure("MetricType %q is not one CheckMetricData knows", metric)
	}
	return result(strconv.FormatInt(n, 10))
}

// getMetricData fills $.Metrics the way Connect names its fields.
func getMetricData(r *run, p *params) outcome {
	q, err := r.metricsQuery(p)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	p.value("QueueChannel")
	m, err := r.env.QueueMetrics(r.ctx, q)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	count := func(n int) map[string]any { return map[string]any{"Count": strconv.Itoa(n)} }
	r.st.Metrics = map[string]any{
		"Queue": map[string]any{
			"Name": m.QueueName, "ARN": m.QueueARN,
			"Size":             strconv.Itoa(m.ContactsInQueue),
			"OldestContactAge": strconv.FormatInt(int64(m.OldestContactAge/time.Second), 10),
		},
		"Agents": map[string]any{
			"Online": count(m.AgentsOnline), "Available": count(m.AgentsAvailable),
			"Staffed": count(m.AgentsStaffed), "AfterContactWork": count(m.AgentsAfterContactWork),
			"Busy": count(m.AgentsBusy),
		},
	}
	return outcome{}
}

// distributeByPercentage draws 1..100; the conditions are cumulative
// NumberLessThan thresholds and the remainder is NoMatchingCondition.
func distributeByPercentage(r *run, _ *params) outcome {
	n := r.env.Intn(100)
	if n < 0 || n > 99 {
		n = 0 // a broken source must not send every contact past the last threshold
	}
	return result(strconv.Itoa(n + 1))
}

// loop answers ContinueLooping for the first LoopCount visits, then
// DoneLooping once and starts counting again. Counters live in State, so
// they survive a Wait inside the loop.
func loop(r *run, p *params) outcome {
	n, present, err := p.intParam("LoopCount", 0, maxWhole)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if !present {
		return failure("Loop needs LoopCount")
	}
	key := r.fl.ID + "/" + p.a.Identifier
	if c := int64(r.st.Loops[key]); c < n {
		if r.st.Loops == nil {
			r.st.Loops = map[string]int{}
		}
		r.st.Loops[key] = int(c + 1)
		p.resolved["Iteration"] = c + 1
		return result("ContinueLooping")
	}
	delete(r.st.Loops, key)
	return result("DoneLooping")
}

// maxWait is Wait's TimeoutSeconds limit (7 days).
const maxWait = 604800

func wait(r *run, p *params) outcome {
	secs, present, err := p.intParam("TimeoutSeconds", 1, maxWait)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if !present {
		return failure("Wait needs TimeoutSeconds")
	}
	events, err := p.stringList("Events")
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if r.cd.Channel == "TASK" {
		// A task has no participant to return or disconnect: it only
		// times out.
		events = nil
	}
	return outcome{wait: &Suspended{Until: r.now().Add(time.Duration(secs) * time.Second), Events: events}}
}

func endFlowExecution(*run, *params) outcome { return outcome{end: EndFlowEnded} }

func transferToFlow(r *run, p *params) outcome {
	id, _ := p.value("ContactFlowId")
	if id == "" {
		return failure("TransferToFlow needs ContactFlowId")
	}
	fl, err := r.env.LoadFlow(r.ctx, id)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if fl.Flow == nil {
		return failure("flow %q could not be loaded", id)
	}
	return outcome{jump: &fl}
}

// invokeFlowModule runs a flow module; its Return (EndFlowModuleExecution)
// continues at this action's NextAction.
func invokeFlowModule(r *run, p *params) outcome {
	id, _ := p.value("FlowModuleId")
	if id == "" {
		return failure("InvokeFlowModule needs FlowModuleId")
	}
	if len(r.st.Calls) >= MaxModuleDepth {
		return failure("flow modules are nested %d deep, the most this engine runs; does a module invoke itself?", MaxModuleDepth)
	}
	fl, err := r.env.LoadFlowModule(r.ctx, id)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if fl.Flow == nil {
		return failure("flow module %q could not be loaded", id)
	}
	return outcome{call: &fl}
}

func endFlowModule(*run, *params) outcome { return outcome{ret: true} }

// updateFlowLogging switches logging; the switching action itself is
// logged both ways, so a log shows where logging stopped.
func updateFlowLogging(r *run, p *params) outcome {
	v, _ := p.literal("FlowLoggingBehavior")
	var on bool
	switch v {
	case "Enabled":
		on = true
	case "Disabled":
	default:
		return failure("FlowLoggingBehavior %q must be Enabled or Disabled", v)
	}
	p.forceLog = r.st.Logging || on
	r.st.Logging = on
	// The action has no error branch; a runtime that cannot record the
	// setting still gets this run's logs, and the failure is logged.
	return outcome{err: r.env.SetFlowLogging(r.ctx, on)}
}

func updateFlowAttributes(r *run, p *params) outcome {
	attrs, ok := p.object("FlowAttributes")
	if !ok || len(attrs) == 0 {
		return failure("UpdateFlowAttributes needs FlowAttributes")
	}
	set := map[string]string{}
	for _, k := range sortedKeys(attrs) {
		v := attrs[k]
		if m, ok := v.(map[string]any); ok {
			v = m["Value"]
		}
		s, ok := scalar(v)
		if !ok {
			return failure("flow attribute %s needs a string Value", k)
		}
		set[k] = r.interpolate(s)
	}
	p.resolved["FlowAttributes"] = set
	r.st.FlowAttributes = maps.Clone(r.st.FlowAttributes)
	if r.st.FlowAttributes == nil {
		r.st.FlowAttributes = map[string]string{}
	}
	maps.Copy(r.st.FlowAttributes, set)
	return outcome{}
}
