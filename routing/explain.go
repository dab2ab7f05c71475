package routing

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Explanation says why a contact has not been routed (or to whom it is
// offered). It is plain data meant to be rendered as JSON; durations are
// nanoseconds there, as time.Duration marshals.
type Explanation struct {
	ContactID string
	QueueID   string
	Channel   Channel
	// State is WAITING or OFFERED.
	State     string
	OfferedTo string `json:",omitempty"`
	// AgentID is set for a contact in an agent queue.
	AgentID       string `json:",omitempty"`
	EnqueuedAt    time.Time
	WaitTime      time.Duration // now - EnqueuedAt, what metrics report
	RoutingAge    time.Duration // WaitTime + QueueTimeAdjustment, what ordering uses
	QueuePriority int64
	// Position is 1 for the contact served next among the waiting contacts
	// of its queue and channel (0 while offered); Waiting counts them.
	Position int
	Waiting  int
	// Step is the active routing step; nil without criteria or once every
	// step expired (then StepsExpired is true).
	Step         *StepExplanation `json:",omitempty"`
	StepsExpired bool             `json:",omitempty"`
	// Agents covers every agent with the queue+channel in its routing
	// profile (for an agent-queue contact, the target agent), by ID.
	Agents []AgentExplanation
}

// StepExplanation describes the active routing step.
type StepExplanation struct {
	Index       int
	Of          int // number of steps
	Status      StepStatus
	Expression  Expression
	ActiveSince time.Time
	// ExpiresAt is nil for a step that never expires.
	ExpiresAt *time.Time `json:",omitempty"`
}

// AgentExplanation is one agent's side of an Explanation. Eligible is the
// conjunction of the other checks; Reasons lists, in words, those that fail.
type AgentExplanation struct {
	AgentID  string
	Eligible bool
	Routable bool
	// Priority and Delay are the queue's settings in the agent's profile;
	// DelayRemaining is how long until the contact counts for the agent.
	Priority       int           `json:",omitempty"`
	Delay          time.Duration `json:",omitempty"`
	DelayRemaining time.Duration `json:",omitempty"`
	SlotsUsed      int
	Slots          int
	FreeSlot       bool
	// BlockedByChannel names a channel whose held contacts are
	// ROUTE_CURRENT_CHANNEL_ONLY and so stop this channel being offered.
	BlockedByChannel string `json:",omitempty"`
	MatchesStep      bool
	// FailedConditions gives, per OR branch, the first condition the agent
	// fails.
	FailedConditions string   `json:",omitempty"`
	Reasons          []string `json:",omitempty"`
}

// Explain reports a contact's queue position, active step and, for every
// agent who could serve it, what stands in the way. It changes nothing: it
// does not process timers (their offers would be lost to the runtime), so
// the step shown is the engine's; times are measured at now. Call Advance
// first for a view consistent with now. Errors: ErrUnknownContact.
func (e *Engine) Explain(contactID string, now time.Time) (Explanation, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	at := max(e.now, toNanos(now))
	c, ok := e.contacts[contactID]
	if !ok {
		return Explanation{}, fmt.Errorf("%w %q", ErrUnknownContact, contactID)
	}
	x := Explanation{
		ContactID: c.id, QueueID: c.qc.q.id, Channel: c.ch, State: "WAITING",
		EnqueuedAt: toTime(c.enq), WaitTime: time.Duration(at - c.enq),
		RoutingAge: time.Duration(at - c.enq + c.adj), QueuePriority: c.prio,
		Waiting: c.qc.waiting,
	}
	if c.offered {
		x.State, x.OfferedTo = "OFFERED", e.agents[c.agent].id
	} else {
		x.Position = e.position(c)
	}
	if c.target >= 0 {
		a := e.agents[c.target]
		x.AgentID = a.id
		x.Waiting = len(a.agentQ)
		x.Agents = []AgentExplanation{e.explainAgent(c, a, 0, 0, true, at)}
		return x, nil
	}
	if i := c.activeStep(); i >= 0 {
		s := c.steps[i]
		st := &StepExplanation{Index: i, Of: len(c.steps), Status: StepActive,
			Expression: cloneExpr(s.expr.src), ActiveSince: toTime(c.stepSince)}
		if s.has {
			t := toTime(c.stepSince + s.expiry)
			st.ExpiresAt = &t
		}
		x.Step = st
	} else if len(c.steps) > 0 {
		x.StepsExpired = true
	}
	ids := make([]int32, 0, len(c.qc.members))
	for i := range c.qc.members {
		ids = append(ids, i)
	}
	slices.SortFunc(ids, func(p, q int32) int { return strings.Compare(e.agents[p].id, e.agents[q].id) })
	for _, i := range ids {
		a := e.agents[i]
		prio := 0
		for _, en := range a.entries {
			if en.qc == c.qc {
				prio = en.prio
			}
		}
		x.Agents = append(x.Agents, e.explainAgent(c, a, prio, c.qc.members[i], false, at))
	}
	return x, nil
}

// position ranks a waiting contact among its queue+channel's waiting
// contacts (or its agent queue's), 1-based.
func (e *Engine) position(c *contact) int {
	k := c.key()
	if c.target >= 0 {
		n := 1
		for _, s := range e.agents[c.target].agentQ {
			if cmpCKey(e.slots[s].key(), k) < 0 {
				n++
			}
		}
		return n
	}
	n := 1 + c.qc.plain.rank(e.cArena, k)
	for _, g := range c.qc.groups {
		n += g.t.rank(e.cArena, k)
	}
	return n
}

// explainAgent re-derives eligibility from first principles, independently
// of the ready sets, so it doubles as a check on them in tests.
func (e *Engine) explainAgent(c *contact, a *agent, prio int, delay int64, agentQueue bool, now int64) AgentExplanation {
	x := AgentExplanation{AgentID: a.id, Routable: a.live && a.routable, Priority: prio,
		Delay: time.Duration(delay), SlotsUsed: a.held[c.ch], Slots: a.conc[c.ch].Slots}
	var why []string
	if !a.live {
		why = append(why, "agent is not configured")
	} else if !a.routable {
		why = append(why, "agent status is not routable")
	}
	x.FreeSlot = a.held[c.ch] < a.conc[c.ch].Slots
	switch {
	case a.conc[c.ch].Slots == 0:
		why = append(why, "routing profile has no "+c.ch.String()+" concurrency")
	case !x.FreeSlot:
		why = append(why, fmt.Sprintf("all %d %s slots are in use", x.Slots, c.ch))
	}
	if b := a.blocker(c.ch); b != NumChannels {
		x.BlockedByChannel = b.String()
		why = append(why, "agent holds a "+b.String()+" contact and "+b.String()+" is ROUTE_CURRENT_CHANNEL_ONLY")
	}
	if rem := c.enq + delay - now; rem > 0 {
		x.DelayRemaining = time.Duration(rem)
		why = append(why, fmt.Sprintf("queue delay for this agent has %s left", x.DelayRemaining))
	}
	x.MatchesStep = true
	if ce := c.activeExpr(); ce != nil && !agentQueue && !ce.matches(a) {
		x.MatchesStep = false
		x.FailedConditions = ce.why(a, func(i int32) string {
			k := e.attrNames[i]
			return k.name + "=" + k.value
		})
		why = append(why, "does not match the active routing step: "+x.FailedConditions)
	}
	if c.offered && c.agent == a.idx {
		why = append(why, "contact is offered to this agent")
	}
	x.Eligible = len(why) == 0 && !c.offered
	x.Reasons = why
	return x
}

// ChannelStats are the counts of one queue+channel.
type ChannelStats struct {
	Channel Channel
	// Waiting are not offered; Offered are reserved for an agent and not yet
	// accepted. Both are "in queue" as Connect counts it.
	Waiting, Offered int
	// OldestEnqueuedAt is the earliest enqueue time among them (zero if
	// none).
	OldestEnqueuedAt time.Time
	// Agents have the queue+channel in their profile; Ready could take a
	// contact of it now.
	Agents, Ready int
}

// QueueStats returns, for each channel the engine has seen on the queue,
// its counts. It is O(channels × delay tiers) and processes no timers.
func (e *Engine) QueueStats(queueID string) []ChannelStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	q := e.queues[queueID]
	if q == nil {
		return nil
	}
	var out []ChannelStats
	for _, qc := range q.ch {
		if qc == nil {
			continue
		}
		s := ChannelStats{Channel: qc.ch, Waiting: qc.waiting, Offered: qc.offered, Agents: len(qc.members)}
		if k, _, ok := qc.oldest.min(e.cArena); ok {
			s.OldestEnqueuedAt = toTime(k.age)
		}
		for _, t := range qc.tiers {
			s.Ready += t.ready.len(e.aArena)
		}
		out = append(out, s)
	}
	return out
}
