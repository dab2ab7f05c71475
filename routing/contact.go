package routing

import "slices"

// contact is a contact the engine is routing: waiting in a queue or offered
// to an agent. Accepted and removed contacts are forgotten at once (an
// accepted one only leaves a slot reservation in Engine.held).
type contact struct {
	id     string
	slot   int32  // index in Engine.slots; trees and timers refer to it
	qc     *qchan // queue+channel, also for agent-queue contacts (stats)
	target int32  // agent index for agent-queue contacts, else -1
	ch     Channel

	prio     int64
	adj      int64 // QueueTimeAdjustment, ns
	enq      int64 // enqueue time, ns: delays and reported wait use this
	seq      uint64
	offered  bool
	agent    int32 // while offered
	offerStp int   // step the offer was made under, -1 for none

	steps     []cstep
	active    int   // index of the ACTIVE step; len(steps) once all expired
	stepSince int64 // when the active step became ACTIVE

	token uint64 // identifies the contact's live timer; 0 = none
}

type cstep struct {
	expr   *cexpr
	expiry int64 // ns
	has    bool  // false: never expires
}

// ckey orders waiting contacts: QueuePriority ascending, then routing age
// descending, then arrival. Routing age is now - enq + adj, so ordering by
// enq - adj ascending is the same at every instant and keys never change
// with time. The oldest-contact trees reuse ckey with prio 0 and age = enq.
type ckey struct {
	prio int64
	age  int64
	seq  uint64
}

func cmpCKey(a, b ckey) int {
	switch {
	case a.prio != b.prio:
		if a.prio < b.prio {
			return -1
		}
		return 1
	case a.age != b.age:
		if a.age < b.age {
			return -1
		}
		return 1
	case a.seq < b.seq:
		return -1
	case a.seq > b.seq:
		return 1
	}
	return 0
}

func (c *contact) key() ckey    { return ckey{c.prio, c.enq - c.adj, c.seq} }
func (c *contact) oldKey() ckey { return ckey{0, c.enq, c.seq} }

// activeExpr is the expression agents must match now; nil when the contact
// has no criteria or all steps expired.
func (c *contact) activeExpr() *cexpr {
	if c.active < len(c.steps) {
		return c.steps[c.active].expr
	}
	return nil
}

func (c *contact) activeStep() int {
	if c.active < len(c.steps) {
		return c.active
	}
	return -1
}

// queue is a queue's per-channel state.
type queue struct {
	id string
	ch [NumChannels]*qchan
}

// qchan holds the contacts of one queue+channel and the agents serving it.
type qchan struct {
	q  *queue
	ch Channel

	// Waiting contacts are split by active-step expression: plain holds
	// those without one; each group holds those sharing one. Groups whose
	// expression can only match named agents (Match) are found through
	// byAgent, the others are in open, so an agent looks only at groups it
	// could possibly match.
	plain   tree[ckey]
	groups  map[*cexpr]*group
	open    []*group
	byAgent map[int32][]*group

	oldest           tree[ckey] // waiting and offered, by enqueue time
	waiting, offered int

	members map[int32]int64 // agents with this queue+channel → their delay
	tiers   []*tier         // one per distinct delay, ascending
}

// tier is the set of agents serving a queue+channel with one delay; ready
// holds those who could take a contact of the channel now, longest idle
// first.
type tier struct {
	delay   int64
	members int
	ready   tree[akey]
}

type group struct {
	expr *cexpr
	t    tree[ckey]
}

func (e *Engine) qchan(queueID string, ch Channel) *qchan {
	q := e.queues[queueID]
	if q == nil {
		q = &queue{id: queueID}
		e.queues[queueID] = q
	}
	if q.ch[ch] == nil {
		q.ch[ch] = &qchan{q: q, ch: ch, groups: map[*cexpr]*group{},
			byAgent: map[int32][]*group{}, members: map[int32]int64{}}
	}
	return q.ch[ch]
}

// join adds an agent to the queue+channel's tier for delay. A new distinct
// delay means waiting contacts gain a moment at which they become eligible,
// so their timers are recomputed (profile changes are rare).
func (e *Engine) join(a *agent, qc *qchan, delay int64) *tier {
	qc.members[a.idx] = delay
	i, found := slices.BinarySearchFunc(qc.tiers, delay, func(t *tier, d int64) int {
		return cmpInt(t.delay, d)
	})
	if found {
		qc.tiers[i].members++
		return qc.tiers[i]
	}
	t := &tier{delay: delay, members: 1}
	qc.tiers = slices.Insert(qc.tiers, i, t)
	e.rescheduleAll(qc)
	return t
}

func (e *Engine) leave(a *agent, en *entry) {
	delete(en.qc.members, a.idx)
	if en.tier.members--; en.tier.members == 0 {
		en.qc.tiers = slices.DeleteFunc(en.qc.tiers, func(t *tier) bool { return t == en.tier })
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// forWaiting calls fn for every waiting contact of qc (not agent-queue ones).
// fn must not change the trees.
func (e *Engine) forWaiting(qc *qchan, fn func(c *contact)) {
	visit := func(_ ckey, v int32) bool { fn(e.slots[v]); return true }
	qc.plain.ascend(e.cArena, visit)
	for _, g := range qc.groups {
		g.t.ascend(e.cArena, visit)
	}
}

func (e *Engine) rescheduleAll(qc *qchan) {
	var cs []*contact
	e.forWaiting(qc, func(c *contact) { cs = append(cs, c) })
	for _, c := range cs {
		e.schedule(c)
	}
}

// place files a waiting contact where searches find it.
func (e *Engine) place(c *contact) {
	if c.target >= 0 {
		a := e.agents[c.target]
		a.agentQ = append(a.agentQ, c.slot)
		return
	}
	qc, ce := c.qc, c.activeExpr()
	if ce == nil {
		qc.plain.insert(e.cArena, c.key(), c.slot)
		return
	}
	g := qc.groups[ce]
	if g == nil {
		g = &group{expr: ce}
		qc.groups[ce] = g
		if ce.cands == nil {
			qc.open = append(qc.open, g)
		}
		for _, i := range ce.cands {
			qc.byAgent[i] = append(qc.byAgent[i], g)
		}
	}
	g.t.insert(e.cArena, c.key(), c.slot)
}

// unplace undoes place; the contact's key and active step must not have
// changed in between.
func (e *Engine) unplace(c *contact) {
	if c.target >= 0 {
		a := e.agents[c.target]
		a.agentQ = slices.DeleteFunc(a.agentQ, func(s int32) bool { return s == c.slot })
		return
	}
	qc, ce := c.qc, c.activeExpr()
	if ce == nil {
		qc.plain.remove(e.cArena, c.key())
		return
	}
	g := qc.groups[ce]
	g.t.remove(e.cArena, c.key())
	if g.t.root != 0 {
		return
	}
	delete(qc.groups, ce)
	if ce.cands == nil {
		qc.open = slices.DeleteFunc(qc.open, func(x *group) bool { return x == g })
	}
	for _, i := range ce.cands {
		l := slices.DeleteFunc(qc.byAgent[i], func(x *group) bool { return x == g })
		if len(l) == 0 {
			delete(qc.byAgent, i)
		} else {
			qc.byAgent[i] = l
		}
	}
}

// setCriteria installs routing criteria activated at `at`, releasing any
// previous ones. The contact must not be placed.
func (e *Engine) setCriteria(c *contact, steps []Step, at int64) {
	e.dropCriteria(c)
	if c.target >= 0 || len(steps) == 0 {
		return // criteria never activate in agent queues
	}
	c.steps = make([]cstep, len(steps))
	for i, s := range steps {
		c.steps[i] = cstep{expr: e.internExpr(s.Expression)}
		if s.ExpirySeconds != nil {
			c.steps[i].has = true
			c.steps[i].expiry = int64(max(*s.ExpirySeconds, 0)) * 1e9
		}
	}
	c.active, c.stepSince = 0, at
	e.stepEvent(c, 0, StepActive, at)
}

func (e *Engine) dropCriteria(c *contact) {
	for _, s := range c.steps {
		e.releaseExpr(s.expr)
	}
	c.steps, c.active = nil, 0
}

// expireSteps expires every step whose expiry is due by now. The schedule is
// fixed at activation: each step expires at its own due time even if the
// engine learns of it late (a contact that was offered meanwhile, or a
// runtime that woke late), and the next step starts then. placed says
// whether the contact is filed in its queue (and must be re-filed).
func (e *Engine) expireSteps(c *contact, placed bool) {
	moved := false
	for c.active < len(c.steps) {
		s := c.steps[c.active]
		due := c.stepSince + s.expiry
		if !s.has || due > e.now {
			break
		}
		if !moved && placed {
			e.unplace(c)
		}
		moved = true
		e.stepEvent(c, c.active, StepExpired, due)
		c.active++
		c.stepSince = due
		if c.active < len(c.steps) {
			e.stepEvent(c, c.active, StepActive, due)
		}
	}
	if moved && placed {
		e.place(c)
	}
}

func (e *Engine) stepEvent(c *contact, step int, st StepStatus, at int64) {
	e.res.Steps = append(e.res.Steps, StepChange{ContactID: c.id, Step: step, Status: st, At: toTime(at)})
}

// schedule (re)arms the contact's timer for the next moment something about
// it changes by itself: a delay of some agent serving its queue elapsing, or
// its active step expiring. Offered and agent-queue contacts have none.
func (e *Engine) schedule(c *contact) {
	c.token = 0
	if c.offered || c.target >= 0 {
		return
	}
	at := int64(1<<63 - 1)
	for _, t := range c.qc.tiers {
		if d := c.enq + t.delay; d > e.now {
			at = d
			break
		}
	}
	if c.active < len(c.steps) && c.steps[c.active].has {
		at = min(at, c.stepSince+c.steps[c.active].expiry)
	}
	if at == 1<<63-1 {
		return
	}
	e.token++
	c.token = e.token
	e.timers.push(timer{at: at, slot: c.slot, token: c.token})
}

// route is the contact-side decision for one contact.
func (e *Engine) route(c *contact) {
	if a := e.findAgent(c); a != nil {
		e.offer(c, a)
		e.syncReady(a)
	}
}

// offer reserves the agent's slot and takes the contact out of
// consideration. The caller re-files the agent (syncReady) when done with it.
func (e *Engine) offer(c *contact, a *agent) {
	e.unplace(c)
	c.offered, c.agent, c.offerStp, c.token = true, a.idx, c.activeStep(), 0
	c.qc.waiting--
	c.qc.offered++
	a.held[c.ch]++
	a.activity, a.inbound = e.now, e.now
	a.offered = append(a.offered, c.slot)
	e.res.Offers = append(e.res.Offers, e.offerOf(c, a))
}

func (e *Engine) offerOf(c *contact, a *agent) Offer {
	return Offer{ContactID: c.id, AgentID: a.id, QueueID: c.qc.q.id, Channel: c.ch, Step: c.offerStp, At: toTime(e.now)}
}

// unoffer ends an offer without accepting it: the agent's slot is freed and
// the contact is back where it was. The caller routes it and re-files the
// agent.
func (e *Engine) unoffer(c *contact) *agent {
	a := e.agents[c.agent]
	a.held[c.ch]--
	a.offered = slices.DeleteFunc(a.offered, func(s int32) bool { return s == c.slot })
	c.offered, c.agent = false, -1
	c.qc.offered--
	return a
}

// requeue puts a contact whose offer ended back at its original position
// and routes it.
func (e *Engine) requeue(c *contact) {
	c.qc.waiting++
	e.expireSteps(c, false)
	e.place(c)
	e.route(c)
	if !c.offered {
		e.schedule(c)
	}
}

// forget deletes a contact that is neither waiting nor offered any more.
func (e *Engine) forget(c *contact) {
	c.qc.oldest.remove(e.cArena, c.oldKey())
	e.dropCriteria(c)
	delete(e.contacts, c.id)
	e.slots[c.slot] = nil
	e.freeSlots = append(e.freeSlots, c.slot)
	c.token = 0
}

// timer is a pending wake-up for one contact; stale ones (token mismatch)
// are skipped when they surface, which is cheaper than deleting them.
type timer struct {
	at    int64
	slot  int32
	token uint64
}

type timerHeap []timer

func (h *timerHeap) push(t timer) {
	*h = append(*h, t)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p].at <= s[i].at {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *timerHeap) pop() timer {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && s[l].at < s[m].at {
			m = l
		}
		if l+1 < n && s[l+1].at < s[m].at {
			m = l + 1
		}
		if m == i {
			break
		}
		s[m], s[i] = s[i], s[m]
		i = m
	}
	*h = s
	return top
}
