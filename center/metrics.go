package center

import (
	"context"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/routing"
)

var _ domain.MetricsView = (*Center)(nil)

// CurrentMetrics implements domain.MetricsView for GetCurrentMetricData:
// it counts, under the instance lock, the live agents and the contacts of
// the routing engine's queues in the scope the domain resolved.
func (c *Center) CurrentMetrics(ctx context.Context, instanceID string, sc *domain.MetricsScope) ([]domain.MetricsCell, time.Time, error) {
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer in.unlock()
	now := c.clock.Now()
	return in.currentMetrics(sc), now, nil
}

// cellKey is a group: the dimensions not grouped by are left empty.
type cellKey struct{ queue, channel, profile, status string }

// metricsCount accumulates the groups of one request. Its maps and slices
// are scratch space reused from one request to the next (see
// metricsScratch): the count used to allocate them afresh every call, and
// the garbage collector's share of that was a large part of the tail.
type metricsCount struct {
	byQueue, byChannel, byProfile, byStatus bool
	index                                   map[cellKey]int
	cells                                   []domain.MetricsCell
	// pairs numbers the scope's queue+channel pairs, and pairCells holds
	// each one's group once known (-1 before): grouped by queue and/or
	// channel only, a pair is always the same group, so one lookup of the
	// pair finds it without hashing a cellKey too.
	pairs     map[domain.QueueChannel]int
	pairCells []int
	// pairIsCell is set when grouped by exactly queue and channel: each
	// pair is then its own group, made without the index map (whose
	// cellKey hashing was a tenth of the count). Every lookup of a pair's
	// group must then go through pairCell; groups of pairs outside the
	// scope (scheduled contacts) have other keys and still use cell.
	pairIsCell bool
	// plans holds the plan of each profile (and status, when grouped by
	// it); used lists them in creation order, and spare keeps the plans of
	// earlier requests for reuse.
	plans       map[planKey]*agentPlan
	used, spare []*agentPlan
	// Used by countQueues: the queues already asked for, and, grouped by
	// routing profile, the filtered profiles serving each pair.
	doneQueues map[string]bool
	profilesOf map[domain.QueueChannel][]string
	found      []int
	stats      []routing.QueueCounts
	// recent finds an agent's plan by where its profile ID's (and, grouped
	// by status, its status ID's) bytes are stored rather than by hashing
	// the strings: agents of one profile normally share that storage,
	// copied from one snapshot, and hashing the strings per agent was a
	// quarter of the count's time. (Agents loaded together share their
	// profile's strings, see domain.Service.AgentsForRouting.) It is
	// direct-mapped on the address, 256 entries (a power of two: the
	// index is the hash's top byte); entries are checked against the IDs,
	// and a miss falls back to plans.
	recent [256]recentPlan
}

type recentPlan struct {
	profile, status *byte
	plan            *agentPlan
}

// slot is where the plan of these ID strings goes in recent.
func (m *metricsCount) slot(profile, status *byte) *recentPlan {
	// Fibonacci hashing: short IDs are packed 8 or 16 bytes apart by the
	// allocator, so the address's low bits alone would collide.
	h := uint64(uintptr(unsafe.Pointer(profile))) ^ uint64(uintptr(unsafe.Pointer(status)))*31
	return &m.recent[(h*0x9E3779B97F4A7C15)>>56]
}

// metricsScratch keeps metricsCounts between requests. A pool rather than
// a field of inst because requests of different instances run at once
// and an idle instance should not pin its last request's buffers.
var metricsScratch = sync.Pool{New: func() any {
	return &metricsCount{index: map[cellKey]int{},
		pairs: map[domain.QueueChannel]int{}, plans: map[planKey]*agentPlan{}, doneQueues: map[string]bool{}}
}}

// reset empties m for a new request, keeping its capacity.
func (m *metricsCount) reset() {
	clear(m.index)
	clear(m.cells) // drop the strings of the last request's groups
	m.cells = m.cells[:0]
	clear(m.pairs)
	m.pairCells = m.pairCells[:0]
	clear(m.plans)
	m.recent = [len(m.recent)]recentPlan{}
	m.spare = append(m.spare, m.used...)
	clear(m.used)
	m.used = m.used[:0]
	clear(m.doneQueues)
	clear(m.profilesOf)
}

func (m *metricsCount) key(queue, channel, profile, status string) cellKey {
	var k cellKey
	if m.byQueue {
		k.queue = queue
	}
	if m.byChannel {
		k.channel = channel
	}
	if m.byProfile {
		k.profile = profile
	}
	if m.byStatus {
		k.status = status
	}
	return k
}

// cell returns the index of a group, creating it on first use: only groups
// with data are ever created.
func (m *metricsCount) cell(k cellKey) int {
	if i, ok := m.index[k]; ok {
		return i
	}
	i := len(m.cells)
	m.index[k] = i
	m.cells = append(m.cells, domain.MetricsCell{QueueID: k.queue, Channel: k.channel, RoutingProfileID: k.profile, AgentStatusID: k.status})
	return i
}

// pairCell returns the group of pair p (numbered pi in m.pairs) for an
// agent of profile in status, creating it on first use.
func (m *metricsCount) pairCell(pi int, p domain.QueueChannel, profile, status string) int {
	if m.byProfile || m.byStatus {
		return m.cell(m.key(p.QueueID, p.Channel, profile, status))
	}
	if m.pairCells[pi] < 0 {
		if m.pairIsCell {
			m.pairCells[pi] = len(m.cells)
			m.cells = append(m.cells, domain.MetricsCell{QueueID: p.QueueID, Channel: p.Channel})
		} else {
			m.pairCells[pi] = m.cell(m.key(p.QueueID, p.Channel, "", ""))
		}
	}
	return m.pairCells[pi]
}

// planKey identifies agents that count in the same groups.
type planKey struct{ profile, status string }

// agentPlan is where an agent of a profile counts: each group once (an
// agent serving several pairs of a group is one agent there), and its free
// slots once per group and channel (without a channel grouping an agent's
// chat and task slots add up, but two queues of one channel share the same
// slots).
//
// Every agent of a plan adds to the same groups, so the agents' figures
// are summed on the plan (totals, free) and added to the groups once at
// the end: the per-agent work no longer grows with the number of queues
// the profile serves (20 groups per profile in the benchmark).
type agentPlan struct {
	// skip is set for profiles outside the routing-profile filter, so that
	// one map lookup per agent settles both questions.
	skip bool
	// key is what the plan was made for.
	key   planKey
	cells []int
	slots []slotTarget
	// kinds are the distinct (channel, slots) of slots: an agent's free
	// slots depend on nothing else, so free[i] sums kinds[i] over the
	// plan's routable agents.
	kinds []slotKind
	free  []int
	// exclusive[ch] is true when holding a contact of ch blocks the other
	// channels (ROUTE_CURRENT_CHANNEL_ONLY).
	exclusive [8]bool
	totals    domain.CurrentCounts
}

type slotKind struct {
	slots   int
	channel routing.Channel
}

type slotTarget struct {
	cell, kind int
}

// newPlan returns an empty plan, reusing one from an earlier request.
func (m *metricsCount) newPlan() *agentPlan {
	var pl *agentPlan
	if n := len(m.spare); n > 0 {
		pl = m.spare[n-1]
		m.spare = m.spare[:n-1]
		*pl = agentPlan{cells: pl.cells[:0], slots: pl.slots[:0], kinds: pl.kinds[:0], free: pl.free[:0]}
	} else {
		pl = &agentPlan{}
	}
	m.used = append(m.used, pl)
	return pl
}

// plan works out the groups of a profile's agents in status.
func (m *metricsCount) plan(rp *domain.RoutingProfile, status string) *agentPlan {
	pl := m.newPlan()
	for _, mc := range rp.MediaConcurrencies {
		pl.exclusive[channelOf(mc.Channel)] = mc.CrossChannelBehavior != "ROUTE_ANY_CHANNEL"
	}
	for _, qc := range rp.QueueConfigs {
		p := domain.QueueChannel{QueueID: qc.QueueID, Channel: qc.Channel}
		pi, ok := m.pairs[p]
		if !ok {
			continue
		}
		ci := m.pairCell(pi, p, rp.ID, status)
		if !slices.Contains(pl.cells, ci) {
			pl.cells = append(pl.cells, ci)
		}
		// The last entry for a channel sets its concurrency, as a map
		// filled in order would.
		conc := 0
		for _, mc := range rp.MediaConcurrencies {
			if mc.Channel == qc.Channel {
				conc = mc.Concurrency
			}
		}
		k := slotKind{slots: conc, channel: channelOf(qc.Channel)}
		ki := slices.Index(pl.kinds, k)
		if ki < 0 {
			ki = len(pl.kinds)
			pl.kinds = append(pl.kinds, k)
			pl.free = append(pl.free, 0)
		}
		if t := (slotTarget{cell: ci, kind: ki}); !slices.Contains(pl.slots, t) {
			pl.slots = append(pl.slots, t)
		}
	}
	return pl
}

// flush adds the plan's summed agents to its groups.
func (pl *agentPlan) flush(cells []domain.MetricsCell) {
	t := &pl.totals
	for _, ci := range pl.cells {
		cn := &cells[ci].Counts
		cn.AgentsOnline += t.AgentsOnline
		cn.AgentsStaffed += t.AgentsStaffed
		cn.AgentsNonProductive += t.AgentsNonProductive
		cn.AgentsAvailable += t.AgentsAvailable
		cn.AgentsOnContact += t.AgentsOnContact
		cn.AgentsError += t.AgentsError
	}
	for _, st := range pl.slots {
		cells[st.cell].Counts.SlotsAvailable += pl.free[st.kind]
	}
}

// slotUse is how an agent's held contacts use its slots.
type slotUse struct {
	// held counts, per channel, the contacts that occupy a slot: offered,
	// connected, in after-contact work, or missed/rejected and not yet
	// cleared.
	held [8]int
	// exclusive has bit ch set for each channel ch held with
	// ROUTE_CURRENT_CHANNEL_ONLY: no other channel may be offered
	// meanwhile. A set rather than one channel because outbound and
	// transferred contacts can leave an agent holding two such channels,
	// and then neither has room (a single field made the answer depend on
	// map order).
	exclusive uint8
}

// currentMetrics counts the groups of sc. Called with in.mu held.
//
// Agents count in a group when their routing profile serves a queue+channel
// of the scope in that group (once per group however many pairs they
// serve there); a contact an agent holds counts in the group of its own
// queue+channel; queued and scheduled contacts in the group of their pair.
// The cost is one pass over the agents (a map lookup and a few additions
// each, plus their held contacts), one plan per profile, and one
// QueueStats per queue in scope.
func (in *inst) currentMetrics(sc *domain.MetricsScope) []domain.MetricsCell {
	m := metricsScratch.Get().(*metricsCount)
	defer metricsScratch.Put(m)
	m.reset()
	m.byQueue, m.byChannel = sc.Grouped(domain.GroupQueue), sc.Grouped(domain.GroupChannel)
	m.byProfile, m.byStatus = sc.Grouped(domain.GroupRoutingProfile), sc.Grouped(domain.GroupAgentStatus)
	m.pairIsCell = m.byQueue && m.byChannel && !m.byProfile && !m.byStatus
	for _, p := range sc.Pairs {
		if _, ok := m.pairs[p]; !ok {
			m.pairs[p] = len(m.pairCells)
			m.pairCells = append(m.pairCells, -1)
		}
	}
	for _, a := range in.agents {
		st := &a.snap.Status
		rp := &a.snap.RoutingProfile
		pk := planKey{profile: rp.ID}
		var statusData *byte
		if m.byStatus {
			pk.status = st.StatusID
			statusData = unsafe.StringData(st.StatusID)
		}
		r := m.slot(unsafe.StringData(rp.ID), statusData)
		pl := r.plan
		if pl == nil || pl.key != pk {
			pl = m.plans[pk]
			if pl == nil {
				if _, ok := sc.Profiles[rp.ID]; sc.Profiles != nil && !ok {
					pl = m.newPlan()
					pl.skip = true
				} else {
					pl = m.plan(rp, st.StatusID)
				}
				pl.key = pk
				m.plans[pk] = pl
			}
			*r = recentPlan{profile: unsafe.StringData(rp.ID), status: statusData, plan: pl}
		}
		if pl.skip {
			continue
		}
		if len(sc.AgentStatuses) > 0 && !slices.Contains(sc.AgentStatuses, st.StatusID) {
			continue
		}
		if st.Type == "OFFLINE" && len(a.contacts) == 0 {
			continue
		}
		if len(pl.cells) == 0 && len(a.contacts) == 0 {
			continue // serves nothing in scope and holds nothing
		}
		var onContact, inError bool
		var use slotUse
		for _, hc := range a.contacts {
			if hc.state == "PAUSED" {
				continue // a paused task holds no slot
			}
			switch hc.state {
			case "CONNECTED", "ENDED":
				onContact = true
			case "MISSED", "REJECTED":
				inError = true
			}
			ch := channelOf(hc.channel)
			use.held[ch]++
			if (hc.state == "CONNECTING" || hc.state == "CONNECTED" || hc.state == "ENDED") && pl.exclusive[ch] {
				use.exclusive |= 1 << ch
			}
			// A connected contact, or one in after-contact work, counts
			// in the group of its own queue+channel. Done in this loop
			// rather than a second one over the map: starting a map
			// iteration costs about as much as the work inside.
			if hc.state != "CONNECTED" && hc.state != "ENDED" {
				continue
			}
			p := domain.QueueChannel{QueueID: hc.queueID, Channel: hc.channel}
			pi, ok := m.pairs[p]
			if !ok {
				continue
			}
			cn := &m.cells[m.pairCell(pi, p, rp.ID, st.StatusID)].Counts
			cn.SlotsActive++
			if hc.state == "ENDED" {
				cn.ContactsInACW++
			}
		}
		t := &pl.totals
		routable := st.Type == "ROUTABLE"
		if st.Type != "OFFLINE" {
			t.AgentsOnline++
		}
		if routable {
			t.AgentsStaffed++
		}
		if st.Type == "CUSTOM" {
			t.AgentsNonProductive++
		}
		// Available means able to take a contact now: routable, holding
		// nothing, and not blocked by a missed offer.
		if routable && a.routable && len(a.contacts) == 0 {
			t.AgentsAvailable++
		}
		if onContact {
			t.AgentsOnContact++
		}
		if inError {
			t.AgentsError++
		}
		if a.routable {
			for i, k := range pl.kinds {
				pl.free[i] += use.free(k)
			}
		}
	}
	for _, pl := range m.used {
		pl.flush(m.cells)
	}
	in.countQueues(m, sc)
	// An agent held only in an offer and offline has nothing to show. The
	// result is copied out of the scratch cells, which go back to the pool,
	// into a slice of exactly the groups shown.
	n := 0
	for i := range m.cells {
		if m.cells[i].Counts != (domain.CurrentCounts{}) {
			n++
		}
	}
	out := make([]domain.MetricsCell, 0, n)
	for i := range m.cells {
		if m.cells[i].Counts != (domain.CurrentCounts{}) {
			out = append(out, m.cells[i])
		}
	}
	return out
}

// countQueues adds the contacts waiting in the engine's queues and the
// scheduled ones. Grouped by agent status there is nothing to add (only
// AGENTS_ONLINE is served there); grouped by routing profile a pair counts
// in each filtered profile that serves it, and without a profile filter
// queue figures are not asked for.
func (in *inst) countQueues(m *metricsCount, sc *domain.MetricsScope) {
	if m.byStatus || (m.byProfile && sc.Profiles == nil) {
		return
	}
	if m.byProfile {
		if m.profilesOf == nil {
			m.profilesOf = map[domain.QueueChannel][]string{}
		}
		for id, ps := range sc.Profiles {
			for _, p := range ps {
				m.profilesOf[p] = append(m.profilesOf[p], id)
			}
		}
	}
	// cells are the groups a pair's contacts count in, in m.found (reused
	// rather than a new slice per pair).
	cells := func(p domain.QueueChannel) []int {
		m.found = m.found[:0]
		if !m.byProfile {
			ci := 0
			if pi, ok := m.pairs[p]; ok {
				ci = m.pairCell(pi, p, "", "")
			} else {
				ci = m.cell(m.key(p.QueueID, p.Channel, "", ""))
			}
			m.found = append(m.found, ci)
			return m.found
		}
		for _, id := range m.profilesOf[p] {
			m.found = append(m.found, m.cell(m.key(p.QueueID, p.Channel, id, "")))
		}
		return m.found
	}
	for _, p := range sc.Pairs {
		if m.doneQueues[p.QueueID] {
			continue
		}
		m.doneQueues[p.QueueID] = true
		m.stats = in.engine.AppendQueueCounts(m.stats[:0], p.QueueID)
		for _, cs := range m.stats {
			qc := domain.QueueChannel{QueueID: p.QueueID, Channel: cs.Channel.String()}
			n := cs.Waiting + cs.Offered
			if n == 0 {
				continue
			}
			if _, ok := m.pairs[qc]; !ok {
				continue
			}
			for _, ci := range cells(qc) {
				cn := &m.cells[ci].Counts
				cn.ContactsInQueue += n
				if cn.OldestEnqueued.IsZero() || cs.OldestEnqueuedAt.Before(cn.OldestEnqueued) {
					cn.OldestEnqueued = cs.OldestEnqueuedAt
				}
			}
		}
	}
	for _, p := range sc.Scheduled {
		for _, ci := range cells(p) {
			m.cells[ci].Counts.Scheduled++
		}
	}
}

// free is how many more contacts of k's channel a routable agent could be
// offered now: none on a channel the profile has no concurrency for, and
// none while another channel is held exclusively. Agents who are not
// routable (custom status, offline, blocked by a missed offer) have none.
func (u *slotUse) free(k slotKind) int {
	if u.exclusive != 0 && u.exclusive != 1<<k.channel {
		return 0
	}
	return max(k.slots-u.held[k.channel], 0)
}
