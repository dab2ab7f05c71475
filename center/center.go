// Package center is the live contact center: it runs contacts' flows, keeps
// each instance's queues and agents in a routing engine (package routing),
// offers contacts to agents and moves them through their lives — offered,
// connected, ended, after-contact work, complete — persisting every step
// through the domain service, which keeps the rules.
//
// It implements domain.Runtime (the service tells it about committed
// changes) and agentapi.Backend (agents act through it).
//
// # Concurrency
//
// Each instance has one mutex, held while a decision is made and its
// effects persisted, so the engine's view and the store never disagree.
// Flows run without it (they may call out to Lambda endpoints). Locks:
// Center.mu (the instance map) is never held while taking an instance's mu.
//
// # Time
//
// All time comes from the injected clock: offer timeouts, after-contact
// work limits, scheduled tasks, routing-step expiries and queue delays are
// clock timers, so a virtual clock moves them exactly.
package center

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/events"
	"github.com/switchboard-cc/switchboard/flowrun"
	"github.com/switchboard-cc/switchboard/routing"
)

// DefaultOfferTimeout is how long an agent has to accept an offered contact
// before it is missed (Connect rings voice for about 20 s).
const DefaultOfferTimeout = 20 * time.Second

// Options tune a Center.
type Options struct {
	// OfferTimeout bounds how long an offer waits for the agent; 0 means
	// DefaultOfferTimeout.
	OfferTimeout time.Duration
	Log          *slog.Logger
	// Lambda invokes the functions flows call (InvokeLambdaFunction); nil
	// makes every invocation take the error branch.
	Lambda LambdaInvoker
	// Seed seeds the randomness of DistributeByPercentage, so that a run
	// can be replayed; 0 uses a fixed default.
	Seed uint64
	// Events, if set, receives agent event stream records.
	Events *events.Bus
}

// LambdaInvoker calls a Lambda function for a flow (flowrun.HTTPInvoker
// posts to a configured URL per function).
type LambdaInvoker interface {
	InvokeLambda(ctx context.Context, r flowrun.LambdaRequest) (map[string]any, error)
}

// Center is the runtime of every instance of a server.
type Center struct {
	svc   *domain.Service
	clock clock.Clock
	log   *slog.Logger
	opts  Options

	interp *flowrun.Interpreter
	logs   *flowLogs
	cache  *configCache
	rand   randSource

	mu    sync.Mutex
	insts map[string]*inst

	// chat links accepted chats to the chat service (chat.go).
	chat chatSide
}

// New returns a Center over svc and connects it to svc as its runtime.
func New(svc *domain.Service, clk clock.Clock, opts Options) *Center {
	if opts.OfferTimeout <= 0 {
		opts.OfferTimeout = DefaultOfferTimeout
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	c := &Center{svc: svc, clock: clk, log: opts.Log, opts: opts, insts: map[string]*inst{},
		interp: &flowrun.Interpreter{Clock: clk}, logs: newFlowLogs(), cache: newConfigCache()}
	c.rand.r = rand.New(rand.NewPCG(opts.Seed, 0x5b))
	svc.SetRuntime(c)
	return c
}

// inst is the live state of one instance.
type inst struct {
	c      *Center
	id     string
	mu     sync.Mutex
	loaded bool
	engine *routing.Engine
	// wake is the pending timer for the engine's next time-based work.
	wake   clock.Timer
	wakeAt time.Time
	agents map[string]*agent
	// offers holds offered contacts by contact ID.
	offers map[string]*offer
	// timers holds the per-contact timers (schedule, expiry, ACW limit).
	timers map[string]clock.Timer
	// deferred is work to run once the lock is released (flows started by
	// timers must not run under it); see unlock.
	deferred []func()
	// accepts are the recent accept times per queue+channel, for the
	// estimated wait time (waitestimate.go).
	accepts map[string][]time.Time
	// monitors are the supervisors monitoring chats, by monitoring
	// contact (monitor.go).
	monitors map[string]*monitorSeat
}

// agent is an agent's live state.
type agent struct {
	snap     domain.AgentSnapshot
	routable bool
	// missed is true after an offer timed out: the agent is not routable
	// until they set a status again.
	missed   bool
	contacts map[string]*heldContact
	subs     map[int]chan agentapi.AgentUpdate
	nextSub  int
	// lastEvent is the snapshot of the last agent event, the next one's
	// PreviousAgentSnapshot.
	lastEvent *events.AgentSnapshot
}

// heldContact is a contact an agent has: offered, connected, or in
// after-contact work.
type heldContact struct {
	id, queueID, channel, initiationMethod string
	state                                  string // CONNECTING, CONNECTED, ENDED (ACW), MISSED, REJECTED
	since                                  time.Time
	connectedAt                            time.Time
	expiresAt                              time.Time
	step                                   int
}

// offer is a pending offer.
type offer struct {
	o     routing.Offer
	timer clock.Timer
}

// LoadInstances loads every instance's live state now, rather than on its
// first use: after a restart, timers (scheduled tasks, expiries, waiting
// flows, after-contact work limits) must run even for an instance nobody
// calls, and a chat customer's message must find the flow that waits for
// it. Errors are logged; the instance is loaded again on its next use.
func (c *Center) LoadInstances(ctx context.Context) {
	var interrupted []interruptedFlow
	defer func() { c.rerun(interrupted) }()
	page := domain.Page{}
	for {
		insts, next, err := c.svc.ListInstances(ctx, page)
		if err != nil {
			c.log.Error("list instances to load", "err", err)
			return
		}
		for _, i := range insts {
			in, err := c.loadInstance(ctx, i.ID, &interrupted)
			if err != nil {
				c.log.Error("load instance", "instance", i.ID, "err", err)
				continue
			}
			in.unlock()
		}
		if next == "" {
			return
		}
		page.NextToken = next
	}
}

// interruptedFlow is a contact whose flow a stop cut short (inst.load).
type interruptedFlow struct {
	in *inst
	ct *domain.Contact
}

// rerun runs interrupted flows again from their start, all at once (one
// may wait seconds on a Lambda function), and returns when all have run to
// their end or their first wait.
func (c *Center) rerun(flows []interruptedFlow) {
	var wg sync.WaitGroup
	for _, f := range flows {
		c.log.Info("running an interrupted flow again from its start", "instance", f.in.id, "contact", f.ct.ID, "flow", f.ct.ContactFlowID)
		wg.Go(func() { f.in.runFlow(context.Background(), f.ct, f.ct.ContactFlowID) })
	}
	wg.Wait()
}

// instance returns the live state of an instance, loading it from the
// store on first use (and after a restart). It returns it locked.
func (c *Center) instance(ctx context.Context, instanceID string) (*inst, error) {
	return c.loadInstance(ctx, instanceID, nil)
}

// loadInstance is instance; with interrupted it also collects the contacts
// whose flow a stop cut short (load), which only the start-up pass may do:
// a lazy load runs beside the start operation of a contact whose flow is
// about to run.
func (c *Center) loadInstance(ctx context.Context, instanceID string, interrupted *[]interruptedFlow) (*inst, error) {
	c.mu.Lock()
	in, ok := c.insts[instanceID]
	if !ok {
		in = &inst{c: c, id: instanceID, engine: routing.New(), agents: map[string]*agent{}, offers: map[string]*offer{}, timers: map[string]clock.Timer{}}
		c.insts[instanceID] = in
	}
	c.mu.Unlock()
	in.mu.Lock()
	if !in.loaded {
		if err := in.load(ctx, interrupted); err != nil {
			in.unlock()
			return nil, err
		}
		in.loaded = true
	}
	return in, nil
}

// load rebuilds an instance's engine from the store: its agents, then the
// contacts that were waiting, scheduled or held when the server stopped.
// Offers in flight at a stop are not restored: those contacts are simply
// waiting again, as a missed offer leaves them.
//
// A contact still INITIATED with a flow and no wait had its flow cut
// short: the server stopped while the flow ran (a Lambda call, say), or
// between the start operation's commit and the flow's first block. With
// interrupted, load adds it there for the caller to run its flow again
// from the start, so that it is routed rather than left INITIATED until it
// expires; blocks it had already run run again (at-least-once,
// docs/differences.md).
func (in *inst) load(ctx context.Context, interrupted *[]interruptedFlow) error {
	now := in.c.clock.Now()
	agents, err := in.c.svc.AgentsForRouting(ctx, in.id, false)
	if err != nil {
		return fmt.Errorf("load agents of %s: %w", in.id, err)
	}
	for _, a := range agents {
		in.agents[a.UserID] = &agent{snap: a, contacts: map[string]*heldContact{}, subs: map[int]chan agentapi.AgentUpdate{}}
		if _, err := in.engine.PutAgent(agentParams(a), now); err != nil {
			return err
		}
	}
	live, err := in.c.svc.LiveContacts(ctx, in.id)
	if err != nil {
		return fmt.Errorf("load contacts of %s: %w", in.id, err)
	}
	for i := range live {
		ct := &live[i]
		switch ct.State {
		case domain.StateScheduled:
			in.scheduleStart(ct)
		case domain.StateQueued:
			if _, err := in.engine.Enqueue(contactParams(ct), now); err != nil {
				in.c.log.Warn("restore queued contact", "contact", ct.ID, "err", err)
			}
		case domain.StatePaused:
			// A task paused with its agent stays on the agent's list and
			// holds no slot.
			if a := in.agents[ct.AgentID]; a != nil && ct.PausedFrom == domain.StateConnected {
				a.contacts[ct.ID] = &heldContact{id: ct.ID, queueID: ct.QueueID, channel: ct.Channel, initiationMethod: ct.InitiationMethod,
					state: string(agentapi.StatePaused), since: ct.LastPausedTime, connectedAt: ct.ConnectedToAgentTime}
			}
		case domain.StateConnected, domain.StateEnded:
			// Connected contacts, and ended ones in after-contact work,
			// keep holding their agent's slot. A supervisor's monitoring
			// takes none.
			if a := in.agents[ct.AgentID]; a != nil && ct.InitiationMethod != "MONITOR" {
				if _, err := in.engine.Hold(ct.AgentID, ct.ID, channelOf(ct.Channel), now); err == nil {
					hc := &heldContact{id: ct.ID, queueID: ct.QueueID, channel: ct.Channel, initiationMethod: ct.InitiationMethod,
						state: "CONNECTED", since: ct.ConnectedToAgentTime, connectedAt: ct.ConnectedToAgentTime}
					if ct.State == domain.StateEnded {
						hc.state, hc.since = "ENDED", ct.AfterContactWorkStart
						if limit := a.snap.Channels[ct.Channel].ACWTimeLimit; limit > 0 {
							id, ag := ct.ID, a
							in.setTimer("acw:"+id, ct.AfterContactWorkStart.Add(limit).Sub(now), func(ctx context.Context) routing.Result {
								return in.complete(ctx, ag, id)
							})
						}
					}
					a.contacts[ct.ID] = hc
				}
			}
		}
		if ct.FlowWait != nil && (ct.State == domain.StateInitiated || ct.State == domain.StateQueued || ct.State == domain.StatePaused) {
			// Its flow was waiting (a Wait block, a customer queue
			// flow's pause): it waits on.
			in.restoreWait(ct)
		}
		if interrupted != nil && ct.State == domain.StateInitiated && ct.FlowWait == nil && ct.ContactFlowID != "" {
			*interrupted = append(*interrupted, interruptedFlow{in, ct})
		}
		in.scheduleExpiry(ct)
	}
	// Agents become routable last so restored contacts are offered in
	// queue order, not in the order they were read.
	var res routing.Result
	for _, a := range in.agents {
		if a.snap.Status.Type == "ROUTABLE" {
			r, err := in.engine.SetRoutable(a.snap.UserID, true, now)
			if err != nil {
				return err
			}
			a.routable = true
			res = mergeResults(res, r)
		}
	}
	in.apply(ctx, res)
	return nil
}

// agentParams converts an agent snapshot to the engine's parameters.
func agentParams(a domain.AgentSnapshot) routing.AgentParams {
	p := routing.AgentParams{ID: a.UserID}
	for _, q := range a.RoutingProfile.QueueConfigs {
		p.Queues = append(p.Queues, routing.QueueConfig{QueueID: q.QueueID, Channel: channelOf(q.Channel), Priority: q.Priority, Delay: time.Duration(q.Delay) * time.Second})
	}
	for _, mc := range a.RoutingProfile.MediaConcurrencies {
		cc := routing.RouteCurrentChannelOnly
		if mc.CrossChannelBehavior == "ROUTE_ANY_CHANNEL" {
			cc = routing.RouteAnyChannel
		}
		p.Concurrency[channelOf(mc.Channel)] = routing.Concurrency{Slots: mc.Concurrency, CrossChannel: cc}
	}
	if a.RoutingProfile.AgentAvailabilityTimer == "TIME_SINCE_LAST_INBOUND" {
		p.AvailabilityTimer = routing.TimeSinceLastInbound
	}
	for _, pr := range a.Proficiencies {
		p.Proficiencies = append(p.Proficiencies, routing.Proficiency{Name: pr.AttributeName, Value: pr.AttributeValue, Level: pr.Level})
	}
	return p
}

// contactParams converts a queued contact to the engine's parameters.
func contactParams(ct *domain.Contact) routing.ContactParams {
	p := routing.ContactParams{
		ID: ct.ID, QueueID: ct.QueueID, Channel: channelOf(ct.Channel), EnqueuedAt: ct.EnqueueTime,
		QueuePriority: ct.QueuePriority, QueueTimeAdjustment: time.Duration(ct.QueueTimeAdjustmentSeconds) * time.Second,
	}
	if ct.AgentID != "" {
		p.AgentID = ct.AgentID
	}
	if rc := ct.RoutingCriteria; rc != nil && len(rc.Steps) > 0 {
		p.Criteria = stepsOf(rc)
		p.CriteriaActivatedAt = rc.ActivationTime
	}
	return p
}

func stepsOf(rc *domain.RoutingCriteria) []routing.Step {
	out := make([]routing.Step, len(rc.Steps))
	for i, st := range rc.Steps {
		out[i] = routing.Step{Expression: exprOf(st.Expression), ExpirySeconds: st.ExpirySeconds}
	}
	return out
}

func exprOf(e domain.Expression) routing.Expression {
	r := routing.Expression{AttributeCondition: condOf(e.Attribute), NotAttributeCondition: condOf(e.Not)}
	for _, s := range e.And {
		r.AndExpression = append(r.AndExpression, exprOf(s))
	}
	for _, s := range e.Or {
		r.OrExpression = append(r.OrExpression, exprOf(s))
	}
	return r
}

func condOf(c *domain.AttributeCondition) *routing.Condition {
	if c == nil {
		return nil
	}
	r := &routing.Condition{Name: c.Name, Value: c.Value, ComparisonOperator: routing.Operator(c.ComparisonOperator), AgentIDs: c.AgentIDs}
	if c.ProficiencyLevel != nil {
		r.ProficiencyLevel = *c.ProficiencyLevel
	}
	if c.MinLevel != nil {
		r.MinProficiencyLevel = *c.MinLevel
	}
	if c.MaxLevel != nil {
		r.MaxProficiencyLevel = *c.MaxLevel
	}
	return r
}

func channelOf(s string) routing.Channel {
	ch, _ := routing.ParseChannel(s)
	return ch
}

func mergeResults(a, b routing.Result) routing.Result {
	a.Offers = append(a.Offers, b.Offers...)
	a.Steps = append(a.Steps, b.Steps...)
	a.Withdrawn = append(a.Withdrawn, b.Withdrawn...)
	if !b.Wake.IsZero() {
		a.Wake = b.Wake
	}
	return a
}

// errIgnore reports engine errors that only mean the engine already agrees
// (a contact it no longer knows, an agent already removed).
func errIgnore(err error) bool {
	return err == nil || errors.Is(err, routing.ErrUnknownContact) || errors.Is(err, routing.ErrUnknownAgent)
}
