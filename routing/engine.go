package routing

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Engine decides which agent gets which waiting contact. Create it with New.
// Its methods are safe for concurrent use: each takes one mutex for its whole
// run, so calls are applied one at a time in lock order, and each returns a
// Result that belongs to the caller.
type Engine struct {
	mu sync.Mutex

	now   int64  // engine time, ns since the Unix epoch; never goes back
	seq   uint64 // enqueue sequence, the last tie-breaker
	token uint64 // last timer token handed out

	agentIDs  map[string]int32
	agents    []*agent
	attrs     map[attrKey]int32
	attrNames []attrKey

	contacts  map[string]*contact
	slots     []*contact // by contact slot; nil when free
	freeSlots []int32
	held      map[string]heldRef // accepted or held contacts → slot owner

	queues map[string]*queue
	exprs  map[string]*cexpr

	cArena *arena[ckey]
	aArena *arena[akey]
	timers timerHeap

	res *Result // the result of the call in progress
}

type attrKey struct{ name, value string }

type heldRef struct {
	agent int32
	ch    Channel
}

// New returns an empty engine.
func New() *Engine {
	return &Engine{
		agentIDs: map[string]int32{},
		attrs:    map[attrKey]int32{},
		contacts: map[string]*contact{},
		held:     map[string]heldRef{},
		queues:   map[string]*queue{},
		exprs:    map[string]*cexpr{},
		cArena:   newArena(cmpCKey),
		aArena:   newArena(cmpAKey),
	}
}

func toNanos(t time.Time) int64 { return t.UnixNano() }
func toTime(ns int64) time.Time { return time.Unix(0, ns).UTC() }

// begin starts a call at now: the engine first catches up with every timer
// due by then, so the call sees the state the clock implies.
func (e *Engine) begin(now time.Time) {
	e.res = &Result{}
	e.advance(toNanos(now))
}

// end settles timers made due by the call itself (a zero-second step
// expiry) and hands the result over.
func (e *Engine) end() Result {
	e.advance(e.now)
	r := e.res
	e.res = nil
	if at, ok := e.nextWake(); ok {
		r.Wake = toTime(at)
	}
	return *r
}

// advance processes due timers in time order, each at its own due time, as
// if the runtime had woken exactly then. A now earlier than engine time is
// treated as engine time.
func (e *Engine) advance(now int64) {
	for len(e.timers) > 0 && e.timers[0].at <= now {
		tm := e.timers.pop()
		c := e.slots[tm.slot]
		if c == nil || c.token != tm.token {
			continue
		}
		c.token = 0
		e.now = max(e.now, tm.at)
		e.expireSteps(c, true)
		e.route(c)
		if !c.offered {
			e.schedule(c)
		}
	}
	e.now = max(e.now, now)
}

func (e *Engine) nextWake() (int64, bool) {
	for len(e.timers) > 0 {
		tm := e.timers[0]
		if c := e.slots[tm.slot]; c != nil && c.token == tm.token {
			return tm.at, true
		}
		e.timers.pop()
	}
	return 0, false
}

// Advance processes everything due by now: step expiries (reported in
// Result.Steps) and queue delays elapsing, with the offers they allow. Every
// other method does the same before its own work, so Advance is only needed
// when the runtime's wake-up (Result.Wake, NextWake) fires.
func (e *Engine) Advance(now time.Time) Result {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.begin(now)
	return e.end()
}

// NextWake reports when Advance next has work to do.
func (e *Engine) NextWake() (time.Time, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	at, ok := e.nextWake()
	if !ok {
		return time.Time{}, false
	}
	return toTime(at), true
}

// PutAgent creates an agent or replaces its routing profile, concurrency and
// proficiencies; status and held contacts are kept. A new agent is not
// routable until SetRoutable. The agent is offered whatever now fits.
// Errors: ErrInvalid (empty ID, negative slots or delay, a queue+channel
// listed twice).
func (e *Engine) PutAgent(p AgentParams, now time.Time) (Result, error) {
	if err := validateAgent(p); err != nil {
		return Result{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.begin(now)
	a := e.agents[e.agentIndex(p.ID)]
	if !a.live {
		a.live = true
		a.activity, a.inbound = e.now, e.now
		a.routable = false
	}
	e.configure(a, p)
	e.evalAgent(a)
	// Contacts whose queues just gained a delay tier may be due now.
	return e.end(), nil
}

func validateAgent(p AgentParams) error {
	if p.ID == "" {
		return fmt.Errorf("%w: agent ID is empty", ErrInvalid)
	}
	for ch, c := range p.Concurrency {
		if c.Slots < 0 {
			return fmt.Errorf("%w: agent %q has negative %s concurrency", ErrInvalid, p.ID, Channel(ch))
		}
	}
	type qk struct {
		id string
		ch Channel
	}
	seen := map[qk]bool{}
	for _, q := range p.Queues {
		if q.QueueID == "" || q.Channel >= NumChannels || q.Delay < 0 {
			return fmt.Errorf("%w: agent %q has a queue config without queue, with an unknown channel or a negative delay", ErrInvalid, p.ID)
		}
		if seen[qk{q.QueueID, q.Channel}] {
			return fmt.Errorf("%w: agent %q lists queue %q %s twice", ErrInvalid, p.ID, q.QueueID, q.Channel)
		}
		seen[qk{q.QueueID, q.Channel}] = true
	}
	return nil
}

// RemoveAgent deletes an agent. Its pending offers are withdrawn (reported
// in Result.Withdrawn) and those contacts go back to their queues; its held
// slots are dropped; contacts waiting in its agent queue stay there until the
// agent is put again or they are removed. Errors: ErrUnknownAgent.
func (e *Engine) RemoveAgent(agentID string, now time.Time) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, err := e.liveAgent(agentID)
	if err != nil {
		return Result{}, err
	}
	e.begin(now)
	e.unindex(a)
	for i := range a.entries {
		e.leave(a, &a.entries[i])
	}
	a.entries, a.profs, a.live, a.routable = nil, nil, false, false
	for _, id := range a.holding {
		delete(e.held, id)
	}
	a.holding = nil
	offered := slices.Clone(a.offered)
	for _, s := range offered {
		c := e.slots[s]
		e.res.Withdrawn = append(e.res.Withdrawn, e.offerOf(c, a))
		e.unoffer(c)
		e.requeue(c)
	}
	a.held = [NumChannels]int{}
	return e.end(), nil
}

// SetRoutable sets whether the agent's status is routable (Available). An
// agent becoming routable starts its idle time now and is offered whatever
// fits. Errors: ErrUnknownAgent.
func (e *Engine) SetRoutable(agentID string, routable bool, now time.Time) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, err := e.liveAgent(agentID)
	if err != nil {
		return Result{}, err
	}
	e.begin(now)
	if routable && !a.routable {
		a.activity = e.now
	}
	a.routable = routable
	e.evalAgent(a)
	return e.end(), nil
}

// Hold occupies one of the agent's slots on ch with a contact the engine did
// not route (an outbound call, or an accepted contact restored after a
// restart) until Release. It may exceed the concurrency. Errors:
// ErrUnknownAgent, ErrDuplicate, ErrInvalid.
func (e *Engine) Hold(agentID, contactID string, ch Channel, now time.Time) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, err := e.liveAgent(agentID)
	if err != nil {
		return Result{}, err
	}
	if ch >= NumChannels || contactID == "" {
		return Result{}, fmt.Errorf("%w: hold needs a contact ID and a known channel", ErrInvalid)
	}
	if _, ok := e.held[contactID]; ok {
		return Result{}, fmt.Errorf("%w %q", ErrDuplicate, contactID)
	}
	if _, ok := e.contacts[contactID]; ok {
		return Result{}, fmt.Errorf("%w %q", ErrDuplicate, contactID)
	}
	e.begin(now)
	e.held[contactID] = heldRef{a.idx, ch}
	a.holding = append(a.holding, contactID)
	a.held[ch]++
	a.activity = e.now
	e.syncReady(a)
	return e.end(), nil
}

// Release frees the slot of an accepted or held contact, when it leaves
// after-contact work, and offers the agent whatever now fits. Errors:
// ErrUnknownContact.
func (e *Engine) Release(contactID string, now time.Time) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	h, ok := e.held[contactID]
	if !ok {
		return Result{}, fmt.Errorf("%w %q holds no slot", ErrUnknownContact, contactID)
	}
	e.begin(now)
	delete(e.held, contactID)
	a := e.agents[h.agent]
	a.holding = slices.DeleteFunc(a.holding, func(id string) bool { return id == contactID })
	a.held[h.ch]--
	a.activity = e.now
	e.evalAgent(a)
	return e.end(), nil
}

// Enqueue adds a contact to a queue (or, with AgentID, to that agent's agent
// queue) and offers it if an agent may take it now. Errors: ErrInvalid,
// ErrDuplicate.
func (e *Engine) Enqueue(p ContactParams, now time.Time) (Result, error) {
	if p.ID == "" || p.QueueID == "" || p.Channel >= NumChannels || p.QueuePriority < 0 {
		return Result{}, fmt.Errorf("%w: contact needs an ID, a queue, a known channel and a QueuePriority >= 0", ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.contacts[p.ID]; ok {
		return Result{}, fmt.Errorf("%w %q", ErrDuplicate, p.ID)
	}
	if _, ok := e.held[p.ID]; ok {
		return Result{}, fmt.Errorf("%w %q", ErrDuplicate, p.ID)
	}
	e.begin(now)
	c := &contact{id: p.ID, ch: p.Channel, target: -1, agent: -1, offerStp: -1,
		prio: p.QueuePriority, adj: int64(p.QueueTimeAdjustment), enq: e.now}
	if c.prio == 0 {
		c.prio = DefaultQueuePriority
	}
	if !p.EnqueuedAt.IsZero() {
		c.enq = toNanos(p.EnqueuedAt)
	}
	if p.AgentID != "" {
		c.target = e.agentIndex(p.AgentID)
	}
	e.seq++
	c.seq = e.seq
	if n := len(e.freeSlots); n > 0 {
		c.slot = e.freeSlots[n-1]
		e.freeSlots = e.freeSlots[:n-1]
		e.slots[c.slot] = c
	} else {
		c.slot = int32(len(e.slots))
		e.slots = append(e.slots, c)
	}
	e.contacts[c.id] = c
	c.qc = e.qchan(p.QueueID, p.Channel)
	c.qc.oldest.insert(e.cArena, c.oldKey(), c.slot)
	act := c.enq
	if !p.CriteriaActivatedAt.IsZero() {
		act = toNanos(p.CriteriaActivatedAt)
	}
	e.setCriteria(c, p.Criteria, act)
	e.requeue(c)
	return e.end(), nil
}

// UpdateContact changes a contact's QueuePriority, QueueTimeAdjustment or
// routing criteria. Priority and age changes reorder the queue and never
// change the enqueue time. Changes to an offered contact's priority or age
// apply if it comes back; replacing its criteria is refused. Errors:
// ErrUnknownContact, ErrOffered, ErrInvalid.
func (e *Engine) UpdateContact(contactID string, u ContactUpdate, now time.Time) (Result, error) {
	if u.QueuePriority != nil && *u.QueuePriority < 0 {
		return Result{}, fmt.Errorf("%w: QueuePriority must be >= 0", ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, ok := e.contacts[contactID]
	if !ok {
		return Result{}, fmt.Errorf("%w %q", ErrUnknownContact, contactID)
	}
	if c.offered && u.Criteria != nil {
		return Result{}, fmt.Errorf("%w %q: its routing criteria cannot change until the offer ends", ErrOffered, contactID)
	}
	e.begin(now)
	if !c.offered {
		e.unplace(c)
	}
	if u.QueuePriority != nil {
		c.prio = *u.QueuePriority
		if c.prio == 0 {
			c.prio = DefaultQueuePriority
		}
	}
	if u.QueueTimeAdjustment != nil {
		c.adj = int64(*u.QueueTimeAdjustment)
	}
	if c.offered {
		return e.end(), nil
	}
	e.place(c)
	if u.Criteria != nil {
		// New criteria change who is eligible: route and re-arm the timer.
		e.unplace(c)
		e.setCriteria(c, *u.Criteria, e.now)
		e.place(c)
		e.route(c)
		if !c.offered {
			e.schedule(c)
		}
	}
	return e.end(), nil
}

// Accept records that the agent accepted an offered contact: it leaves the
// queue, its step becomes JOINED, and the agent keeps the slot until
// Release. Errors: ErrUnknownContact, ErrNotOffered.
func (e *Engine) Accept(contactID string, now time.Time) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c, ok := e.contacts[contactID]
	if !ok {
		return Result{}, fmt.Errorf("%w %q", ErrUnknownContact, contactID)
	}
	if !c.offered {
		return Result{}, fmt.Errorf("%w %q", ErrNotOffered, contactID)
	}
	e.begin(now)
	a := e.agents[c.agent]
	if c.offerStp >= 0 {
		e.stepEvent(c, c.offerStp, StepJoined, e.now)
	}
	a.offered = slices.DeleteFunc(a.offered, func(s int32) bool { return s == c.slot })
	a.holding = append(a.holding, c.id)
	e.held[c.id] = heldRef{a.idx, c.ch}
	c.qc.offered--
	e.forget(c)
	return e.end(), nil
}

// OfferTo offers a waiting contact to one agent, whatever the agent's
// status, queues and free slots, as Connect's AssociateContactWithUser
// does; a contact already on offer to another agent is withdrawn from them
// first. The offer has no routing step (Step -1). Accept, Reject and Remove
// then treat it as any offer. Errors: ErrUnknownContact, ErrUnknownAgent.
func (e *Engine) OfferTo(contactID, agentID string, now time.Time) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c, ok := e.contacts[contactID]
	if !ok {
		return Result{}, fmt.Errorf("%w %q", ErrUnknownContact, contactID)
	}
	a, err := e.liveAgent(agentID)
	if err != nil {
		return Result{}, err
	}
	e.begin(now)
	var prev *agent
	if c.offered {
		if c.agent == a.idx {
			return e.end(), nil
		}
		e.res.Withdrawn = append(e.res.Withdrawn, e.offerOf(c, e.agents[c.agent]))
		prev = e.unoffer(c)
		// Back in its place for a moment, so that offer takes it out the
		// way it takes out any waiting contact.
		c.qc.waiting++
		e.place(c)
	}
	e.offer(c, a)
	c.offerStp = -1
	e.res.Offers[len(e.res.Offers)-1].Step = -1
	e.syncReady(a)
	if prev != nil {
		// The slot the withdrawn offer held is free for something else.
		e.evalAgent(prev)
	}
	return e.end(), nil
}

// Reject records that an offer was rejected, missed or timed out: the
// contact goes back to its original position (same enqueue time and
// sequence) and is routed again, and the agent becomes non-routable, as
// Connect puts it in a Missed/Rejected state, until SetRoutable. Errors:
// ErrUnknownContact, ErrNotOffered.
func (e *Engine) Reject(contactID string, now time.Time) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c, ok := e.contacts[contactID]
	if !ok {
		return Result{}, fmt.Errorf("%w %q", ErrUnknownContact, contactID)
	}
	if !c.offered {
		return Result{}, fmt.Errorf("%w %q", ErrNotOffered, contactID)
	}
	e.begin(now)
	a := e.unoffer(c)
	a.routable = false
	e.syncReady(a)
	e.requeue(c)
	return e.end(), nil
}

// Remove takes a waiting or offered contact out of routing (abandoned,
// stopped, transferred elsewhere). An offered contact's slot is freed and
// its agent, still routable, is offered whatever fits. Errors:
// ErrUnknownContact.
func (e *Engine) Remove(contactID string, now time.Time) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c, ok := e.contacts[contactID]
	if !ok {
		return Result{}, fmt.Errorf("%w %q", ErrUnknownContact, contactID)
	}
	e.begin(now)
	if c.offered {
		a := e.unoffer(c)
		e.forget(c)
		e.evalAgent(a)
	} else {
		e.unplace(c)
		c.qc.waiting--
		e.forget(c)
	}
	return e.end(), nil
}
