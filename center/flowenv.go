package center

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/flowrun"
	"github.com/switchboard-cc/switchboard/routing"
)

// flowEnv is what a running flow sees of the contact center. It reads
// through the domain service and the routing engine, and collects the
// contact's changes in fx, which the runtime commits in one go when the
// flow ends or waits.
type flowEnv struct {
	flowrun.UnimplementedEnv
	c     *Center
	in    *inst
	ct    *domain.Contact
	attrs map[string]string
	fx    domain.FlowEffects
	// queue is the target queue set by UpdateContactTargetQueue.
	queue *flowrun.QueueInfo
}

var _ flowrun.Env = (*flowEnv)(nil)

func (e *flowEnv) ContactData(ctx context.Context) (flowrun.ContactData, error) {
	ct := e.ct
	d := flowrun.ContactData{
		ContactID: ct.ID, InitialContactID: ct.InitialContactID, PreviousContactID: ct.PreviousContactID,
		RelatedContactID: ct.RelatedContactID, Channel: ct.Channel, InitiationMethod: ct.InitiationMethod,
		InstanceARN: e.c.svc.InstanceARN(ct.InstanceID), Name: ct.Name, Description: ct.Description,
		CustomerID: ct.CustomerID, Attributes: e.attrs, Queue: e.queue, FlowLogging: ct.FlowLogging || boolOf(e.fx.FlowLogging),
		SegmentAttributes: map[string]any{}, References: map[string]flowrun.Reference{},
	}
	for k, v := range ct.SegmentAttributes {
		if v.String != nil {
			d.SegmentAttributes[k] = map[string]any{"ValueString": *v.String}
		}
	}
	for k, r := range ct.References {
		d.References[k] = flowrun.Reference{Type: r.Type, Value: r.Value}
	}
	if ep := ct.CustomerEndpoint; ep != nil {
		d.CustomerEndpoint = &flowrun.Endpoint{Address: ep.Address, Type: ep.Type, DisplayName: ep.DisplayName}
	}
	if ep := ct.SystemEndpoint; ep != nil {
		d.SystemEndpoint = &flowrun.Endpoint{Address: ep.Address, Type: ep.Type, DisplayName: ep.DisplayName}
	}
	return d, nil
}

func (e *flowEnv) LoadFlow(ctx context.Context, idOrARN string) (flowrun.LoadedFlow, error) {
	return e.c.loadFlow(ctx, e.ct.InstanceID, idOrARN)
}

func (e *flowEnv) LoadFlowModule(ctx context.Context, idOrARN string) (flowrun.LoadedFlow, error) {
	return e.c.loadModule(ctx, e.ct.InstanceID, idOrARN)
}

func (e *flowEnv) SetAttributes(ctx context.Context, target string, attrs map[string]string) error {
	if target != "" && !strings.EqualFold(target, "Current") {
		return fmt.Errorf("setting attributes on the %s contact is not supported", target)
	}
	if e.fx.Attributes == nil {
		e.fx.Attributes = map[string]string{}
	}
	next := make(map[string]string, len(e.attrs)+len(attrs))
	for k, v := range e.attrs {
		next[k] = v
	}
	for k, v := range attrs {
		next[k] = v
	}
	// The Set contact attributes block takes its error branch past the
	// size limit instead of failing the contact.
	if err := domain.ValidateAttributes(next); err != nil {
		return err
	}
	for k, v := range attrs {
		e.fx.Attributes[k] = v
	}
	e.attrs = next
	return nil
}

func (e *flowEnv) UpdateContactData(ctx context.Context, u flowrun.ContactUpdate) error {
	if u.Name != nil {
		e.fx.Name, e.ct.Name = u.Name, *u.Name
	}
	if u.Description != nil {
		e.fx.Description, e.ct.Description = u.Description, *u.Description
	}
	return nil
}

func (e *flowEnv) SetTargetQueue(ctx context.Context, t flowrun.QueueTarget) (flowrun.QueueInfo, error) {
	if t.AgentID != "" {
		u, err := e.c.svc.DescribeUser(ctx, e.ct.InstanceID, t.AgentID)
		if err != nil {
			return flowrun.QueueInfo{}, err
		}
		e.fx.TargetQueueID, e.fx.TargetAgentID = u.ID, u.ID
		e.queue = &flowrun.QueueInfo{ID: u.ID, ARN: e.c.svc.AgentQueueARN(e.ct.InstanceID, u.ID), Name: u.Username}
		return *e.queue, nil
	}
	q, err := e.c.queue(ctx, e.ct.InstanceID, t.QueueID)
	if err != nil {
		return flowrun.QueueInfo{}, err
	}
	e.fx.TargetQueueID, e.fx.TargetAgentID = q.ID, ""
	e.queue = &flowrun.QueueInfo{ID: q.ID, ARN: q.Arn, Name: q.Name}
	return *e.queue, nil
}

// TransferToQueue places the contact in the target queue, or refuses with
// QueueAtCapacity when the queue holds MaxContacts already.
func (e *flowEnv) TransferToQueue(ctx context.Context, queueIDOrARN string) (flowrun.TransferOutcome, error) {
	if queueIDOrARN != "" {
		if _, err := e.SetTargetQueue(ctx, flowrun.QueueTarget{QueueID: queueIDOrARN}); err != nil {
			return 0, err
		}
	}
	if e.fx.TargetQueueID == "" {
		return 0, errors.New("no target queue is set: use UpdateContactTargetQueue first")
	}
	if e.fx.TargetAgentID == "" {
		q, err := e.c.queue(ctx, e.ct.InstanceID, e.fx.TargetQueueID)
		if err != nil {
			return 0, err
		}
		if q.Status == "DISABLED" {
			return 0, fmt.Errorf("queue %s is disabled", q.Name)
		}
		if q.MaxContacts != nil && waiting(e.in.engine.QueueStats(q.ID)) >= *q.MaxContacts {
			return flowrun.TransferAtCapacity, nil
		}
	}
	e.fx.Enqueue = true
	return flowrun.TransferQueued, nil
}

func waiting(stats []routing.ChannelStats) int {
	n := 0
	for _, s := range stats {
		n += s.Waiting + s.Offered
	}
	return n
}

// SendMessage shows a flow's message in a chat as a SYSTEM message
// (chat.go); other channels have nobody to show it to here.
func (e *flowEnv) SendMessage(ctx context.Context, m flowrun.Message) error {
	return e.c.chatMessage(ctx, e.ct, m)
}

// ShowView sends a published view (or one of its versions) to the chat's
// customer; an unknown or unpublished view takes the error branch.
func (e *flowEnv) ShowView(ctx context.Context, r flowrun.ViewRequest) (string, error) {
	svc := e.c.chatService()
	if svc == nil || e.ct.Channel != "CHAT" {
		return "", errors.New("ShowView needs a chat")
	}
	ref := r.ViewID
	if last := ref[strings.LastIndexByte(ref, '/')+1:]; r.Version != "" && !strings.Contains(last, ":") {
		ref += ":" + r.Version
	}
	v, err := e.c.svc.DescribeView(ctx, e.ct.InstanceID, ref)
	if err != nil {
		return "", err
	}
	return svc.ShowView(ctx, e.ct.InstanceID, e.ct.ID, ref, v, r.Data)
}

var _ flowrun.ViewShower = (*flowEnv)(nil)

func (e *flowEnv) UpdateRouting(ctx context.Context, u flowrun.RoutingUpdate) error {
	if u.QueuePriority != nil {
		p := *u.QueuePriority
		e.fx.QueuePriority = &p
	}
	if u.QueueTimeAdjustmentSeconds != nil {
		a := int32(*u.QueueTimeAdjustmentSeconds)
		e.fx.QueueTimeAdjustmentSeconds = &a
	}
	if rc := u.RoutingCriteria; rc != nil {
		d := &domain.RoutingCriteria{}
		for _, st := range rc.Steps {
			var exp *int32
			if st.ExpirySeconds != nil {
				v := int32(*st.ExpirySeconds)
				exp = &v
			}
			d.Steps = append(d.Steps, domain.RoutingStep{ExpirySeconds: exp, Expression: flowExpr(st.Expression)})
		}
		if err := domain.ValidateRoutingCriteria(d); err != nil {
			return err
		}
		e.fx.RoutingCriteria = d
	}
	return nil
}

func flowExpr(x flowrun.Expression) domain.Expression {
	out := domain.Expression{Attribute: flowCond(x.AttributeCondition), Not: flowCond(x.NotAttributeCondition)}
	for _, s := range x.AndExpression {
		out.And = append(out.And, flowExpr(s))
	}
	for _, s := range x.OrExpression {
		out.Or = append(out.Or, flowExpr(s))
	}
	return out
}

func flowCond(c *flowrun.AttributeCondition) *domain.AttributeCondition {
	if c == nil {
		return nil
	}
	d := &domain.AttributeCondition{Name: c.Name, Value: c.Value, ComparisonOperator: c.ComparisonOperator, ProficiencyLevel: c.ProficiencyLevel, AgentIDs: c.AgentIDs}
	if c.MinProficiencyLevel != nil || c.MaxProficiencyLevel != nil {
		d.HasRange, d.MinLevel, d.MaxLevel = true, c.MinProficiencyLevel, c.MaxProficiencyLevel
	}
	d.HasMatchCriteria = c.AgentIDs != nil
	return d
}

func (e *flowEnv) SetEventHook(ctx context.Context, hook, flowIDOrARN string) error {
	f, err := e.c.svc.DescribeContactFlow(ctx, e.ct.InstanceID, flowIDOrARN)
	if err != nil {
		return err
	}
	if e.fx.EventHooks == nil {
		e.fx.EventHooks = map[string]string{}
	}
	e.fx.EventHooks[hook] = f.ID
	return nil
}

func (e *flowEnv) HoursOfOperation(ctx context.Context, hoursIDOrARN, queueID string) (flowrun.Hours, error) {
	if hoursIDOrARN == "" {
		if queueID == "" {
			queueID = e.fx.TargetQueueID
		}
		if queueID == "" {
			return flowrun.Hours{}, errors.New("no hours of operation given and no target queue set")
		}
		q, err := e.c.queue(ctx, e.ct.InstanceID, queueID)
		if err != nil {
			return flowrun.Hours{}, err
		}
		hoursIDOrARN = q.HoursOfOperationID
	}
	// The weekly hours with their overrides and their parents'.
	return e.c.svc.Schedule(ctx, e.ct.InstanceID, hoursIDOrARN)
}

func (e *flowEnv) QueueMetrics(ctx context.Context, q flowrun.MetricsQuery) (flowrun.QueueMetrics, error) {
	queueID := q.QueueID
	if queueID == "" {
		queueID = e.fx.TargetQueueID
	}
	if q.AgentID != "" {
		queueID = q.AgentID
	}
	if queueID == "" {
		return flowrun.QueueMetrics{}, errors.New("no queue given and no target queue set")
	}
	return e.in.metrics(queueID, e.c.clock.Now()), nil
}

func (e *flowEnv) CreateTask(ctx context.Context, t flowrun.TaskRequest) (string, error) {
	refs := map[string]domain.Reference{}
	for k, r := range t.References {
		refs[k] = domain.Reference{Type: r.Type, Value: r.Value}
	}
	return e.c.svc.StartTaskContact(ctx, domain.StartTaskParams{
		InstanceID: e.ct.InstanceID, ContactFlowID: t.ContactFlowID, Name: t.Name, Description: t.Description,
		Attributes: t.Attributes, References: refs, TaskTemplateID: t.TaskTemplateID, ScheduledTime: t.ScheduledTime,
		PreviousContactID: t.PreviousContactID,
	})
}

func (e *flowEnv) Disconnect(ctx context.Context) error { return nil }

func (e *flowEnv) InvokeLambda(ctx context.Context, r flowrun.LambdaRequest) (map[string]any, error) {
	if e.c.opts.Lambda == nil {
		return nil, fmt.Errorf("no endpoint is configured for Lambda function %s; start the server with --lambda %s=URL", r.FunctionARN, r.FunctionARN)
	}
	return e.c.opts.Lambda.InvokeLambda(ctx, r)
}

func (e *flowEnv) SetFlowLogging(ctx context.Context, enabled bool) error {
	e.fx.FlowLogging = &enabled
	return nil
}

func (e *flowEnv) Intn(n int) int { return e.c.intn(n) }

func (e *flowEnv) Log(l flowrun.LogEntry) {
	if !(e.ct.FlowLogging || boolOf(e.fx.FlowLogging)) {
		return
	}
	e.c.logs.add(e.ct.InstanceID, e.ct.ID, l)
}

func boolOf(b *bool) bool { return b != nil && *b }

// randSource gives flows their randomness (DistributeByPercentage). It is
// seeded so that a server's decisions can be replayed; Options.Seed sets it.
type randSource struct {
	mu sync.Mutex
	r  *rand.Rand
}
