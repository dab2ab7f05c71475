package routing

import (
	"fmt"
	"slices"
)

// agent is the engine's view of one agent. Agents are never freed: an index
// also names IDs that only appear in Match criteria (live == false), so a
// preferred agent who logs in later is matched without recompiling anything.
type agent struct {
	id   string
	idx  int32
	live bool // configured by PutAgent and not removed

	entries  []entry // routing-profile queues, sorted by priority
	conc     [NumChannels]Concurrency
	timer    AvailabilityTimer
	profs    []prof
	routable bool
	held     [NumChannels]int // slots in use: offered, accepted or Hold

	activity, inbound int64 // for the availability timers
	// key is the idle key under which the agent sits in ready sets for the
	// channels marked in indexed; syncReady keeps both current.
	key     int64
	indexed [NumChannels]bool

	offered []int32  // slots of contacts offered to the agent
	holding []string // IDs of accepted / held contacts, for RemoveAgent
	agentQ  []int32  // slots of waiting contacts in the agent's agent queue
}

// entry is one queue+channel of an agent's routing profile.
type entry struct {
	qc    *qchan
	prio  int
	delay int64
	tier  *tier
}

type prof struct {
	attr  int32
	level float64
}

// akey orders agents in ready sets: longest idle first, then by index so
// that ties are deterministic.
type akey struct {
	t   int64
	idx int32
}

func cmpAKey(a, b akey) int {
	switch {
	case a.t < b.t:
		return -1
	case a.t > b.t:
		return 1
	case a.idx < b.idx:
		return -1
	case a.idx > b.idx:
		return 1
	}
	return 0
}

func (a *agent) level(attr int32) (float64, bool) {
	for _, p := range a.profs {
		if p.attr == attr {
			return p.level, true
		}
	}
	return 0, false
}

func (a *agent) idleKey() int64 {
	if a.timer == TimeSinceLastInbound {
		return a.inbound
	}
	return a.activity
}

// blocker returns a channel whose held contacts stop the agent from being
// offered ch (spec §3.3 point 5), or NumChannels if none does.
func (a *agent) blocker(ch Channel) Channel {
	for o := range NumChannels {
		if o != ch && a.held[o] > 0 && a.conc[o].CrossChannel != RouteAnyChannel {
			return o
		}
	}
	return NumChannels
}

// canTake reports whether a contact on ch fits: a free slot on ch and no
// held contact on a ROUTE_CURRENT_CHANNEL_ONLY channel other than ch.
func (a *agent) canTake(ch Channel) bool {
	return a.held[ch] < a.conc[ch].Slots && a.blocker(ch) == NumChannels
}

// agentIndex interns an agent ID.
func (e *Engine) agentIndex(id string) int32 {
	if i, ok := e.agentIDs[id]; ok {
		return i
	}
	i := int32(len(e.agents))
	e.agents = append(e.agents, &agent{id: id, idx: i})
	e.agentIDs[id] = i
	return i
}

func (e *Engine) liveAgent(id string) (*agent, error) {
	if i, ok := e.agentIDs[id]; ok && e.agents[i].live {
		return e.agents[i], nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownAgent, id)
}

func (e *Engine) attrIndex(name, value string) int32 {
	k := attrKey{name, value}
	if i, ok := e.attrs[k]; ok {
		return i
	}
	i := int32(len(e.attrNames))
	e.attrs[k] = i
	e.attrNames = append(e.attrNames, k)
	return i
}

// syncReady brings the agent's ready-set membership in line with its state:
// it sits in the ready set of every profile entry whose channel it can take
// now, keyed by its idle key. Called after every change to an agent and
// before any search that relies on ready sets.
func (e *Engine) syncReady(a *agent) {
	key := a.idleKey()
	for ch := range NumChannels {
		want := a.live && a.routable && a.canTake(ch)
		have := a.indexed[ch]
		if want == have && (!want || key == a.key) {
			continue
		}
		for i := range a.entries {
			en := &a.entries[i]
			if en.qc.ch != ch {
				continue
			}
			if have {
				en.tier.ready.remove(e.aArena, akey{a.key, a.idx})
			}
			if want {
				en.tier.ready.insert(e.aArena, akey{key, a.idx}, 0)
			}
		}
		a.indexed[ch] = want
	}
	a.key = key
}

func (e *Engine) unindex(a *agent) {
	for ch := range NumChannels {
		if !a.indexed[ch] {
			continue
		}
		for i := range a.entries {
			if en := &a.entries[i]; en.qc.ch == ch {
				en.tier.ready.remove(e.aArena, akey{a.key, a.idx})
			}
		}
		a.indexed[ch] = false
	}
}

// configure replaces an agent's routing profile and proficiencies.
func (e *Engine) configure(a *agent, p AgentParams) {
	e.unindex(a)
	for i := range a.entries {
		e.leave(a, &a.entries[i])
	}
	a.entries = a.entries[:0]
	for _, q := range p.Queues {
		qc := e.qchan(q.QueueID, q.Channel)
		en := entry{qc: qc, prio: min(max(q.Priority, 1), 99), delay: int64(q.Delay)}
		en.tier = e.join(a, qc, en.delay)
		a.entries = append(a.entries, en)
	}
	// Stable, so equal priorities keep profile order (only ties between
	// queues of equal priority are affected, and those compare contacts).
	slices.SortStableFunc(a.entries, func(x, y entry) int { return x.prio - y.prio })
	a.conc = p.Concurrency
	a.timer = p.AvailabilityTimer
	a.profs = a.profs[:0]
	for _, pr := range p.Proficiencies {
		a.profs = append(a.profs, prof{e.attrIndex(pr.Name, pr.Value), pr.Level})
	}
}

// findContact is the agent-side decision: the contact the agent should get
// now, or nil. Agent-queue contacts come first; then profile queues by
// priority, a lower priority being looked at only when no higher one has an
// eligible contact; within a priority the smallest (QueuePriority, routing
// age, sequence) wins across queues and channels.
func (e *Engine) findContact(a *agent) *contact {
	var allowed [NumChannels]bool
	anyAllowed := false
	for ch := range NumChannels {
		allowed[ch] = a.canTake(ch)
		anyAllowed = anyAllowed || allowed[ch]
	}
	if !anyAllowed {
		return nil
	}
	var best *contact
	for _, s := range a.agentQ {
		c := e.slots[s]
		if allowed[c.ch] && (best == nil || cmpCKey(c.key(), best.key()) < 0) {
			best = c
		}
	}
	if best != nil {
		return best
	}
	for i := 0; i < len(a.entries); {
		p := a.entries[i].prio
		var bk ckey
		for ; i < len(a.entries) && a.entries[i].prio == p; i++ {
			en := &a.entries[i]
			if allowed[en.qc.ch] {
				best, bk = e.bestIn(en.qc, a, en.delay, best, bk)
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// bestIn improves (best, bk) with the best contact of qc the agent may take:
// delay elapsed for this agent and active step matched. Each group is
// scanned in order and abandoned as soon as it cannot beat the current best,
// so a queue without delays or criteria costs one tree descent.
func (e *Engine) bestIn(qc *qchan, a *agent, delay int64, best *contact, bk ckey) (*contact, ckey) {
	maxEnq := e.now - delay
	// beaten reports, in O(1), that nothing in t can beat the best so far;
	// checked before evaluating a group's expression, it prunes most groups
	// once the plain contacts have set a bound.
	beaten := func(t *tree[ckey]) bool {
		k, _, ok := t.min(e.cArena)
		return !ok || (best != nil && cmpCKey(k, bk) >= 0)
	}
	scan := func(t *tree[ckey]) {
		if beaten(t) {
			return
		}
		// Fast path: the head is usually old enough for the agent's delay.
		k, v, _ := t.min(e.cArena)
		if c := e.slots[v]; c.enq <= maxEnq {
			best, bk = c, k
			return
		}
		t.ascend(e.cArena, func(k ckey, v int32) bool {
			if best != nil && cmpCKey(k, bk) >= 0 {
				return false
			}
			c := e.slots[v]
			if c.enq > maxEnq {
				return true // too young for this agent's delay
			}
			best, bk = c, k
			return false
		})
	}
	scan(&qc.plain)
	for _, g := range qc.open {
		if !beaten(&g.t) && g.expr.matches(a) {
			scan(&g.t)
		}
	}
	if len(qc.byAgent) > 0 {
		for _, g := range qc.byAgent[a.idx] {
			if !beaten(&g.t) && g.expr.matches(a) {
				scan(&g.t)
			}
		}
	}
	return best, bk
}

// findAgent is the contact-side decision: the longest-idle agent who may
// take the contact now, or nil. In a settled engine no ready agent is
// eligible for any waiting contact, so the contact cannot be stealing an
// agent from a higher-priority queue.
func (e *Engine) findAgent(c *contact) *agent {
	if c.target >= 0 {
		a := e.agents[c.target]
		if a.live && a.indexed[c.ch] {
			return a
		}
		return nil
	}
	qc, age, ce := c.qc, e.now-c.enq, c.activeExpr()
	var best *agent
	if ce != nil && ce.cands != nil {
		// Preferred agents: look them up instead of scanning the queue.
		for _, i := range ce.cands {
			a := e.agents[i]
			if d, ok := qc.members[i]; !ok || d > age || !a.indexed[c.ch] || !ce.matches(a) {
				continue
			}
			if best == nil || cmpAKey(akey{a.key, a.idx}, akey{best.key, best.idx}) < 0 {
				best = a
			}
		}
		return best
	}
	var bk akey
	for _, t := range qc.tiers {
		if t.delay > age {
			break
		}
		t.ready.ascend(e.aArena, func(k akey, _ int32) bool {
			if best != nil && cmpAKey(k, bk) >= 0 {
				return false
			}
			if a := e.agents[k.idx]; ce.matches(a) {
				best, bk = a, k
				return false
			}
			return true
		})
	}
	return best
}

// evalAgent offers the agent contacts until it has no room or nothing fits,
// then re-files it in the ready sets.
func (e *Engine) evalAgent(a *agent) {
	for a.live && a.routable {
		c := e.findContact(a)
		if c == nil {
			break
		}
		e.offer(c, a)
	}
	e.syncReady(a)
}
