package center

import (
	"context"
	"slices"
	"time"

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

// metricsCount accumulates the groups of one request.
type metricsCount struct {
	byQueue, byChannel, byProfile, byStatus bool
	index                                   map[cellKey]int
	cells                                   []domain.MetricsCell
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

// planKey identifies agents that count in the same groups.
type planKey struct{ profile, status string }

// agentPlan is where an agent of a profile counts: each group once (an
// agent serving several pairs of a group is one agent there), and its free
// slots once per group and channel (without a channel grouping an agent's
// chat and task slots add up, but two queues of one channel share the same
// slots).
type agentPlan struct {
	cells []int
	slots []slotTarget
	// exclusive[ch] is true when holding a contact of ch blocks the other
	// channels (ROUTE_CURRENT_CHANNEL_ONLY).
	exclusive [8]bool
}

type slotTarget struct {
	cell, slots int
	channel     routing.Channel
}

// plan works out the groups of a profile's agents in status.
func (m *metricsCount) plan(rp *domain.RoutingProfile, status string, pairs map[domain.QueueChannel]bool) *agentPlan {
	pl := &agentPlan{}
	conc := map[string]int{}
	for _, mc := range rp.MediaConcurrencies {
		conc[mc.Channel] = mc.Concurrency
		pl.exclusive[channelOf(mc.Channel)] = mc.CrossChannelBehavior != "ROUTE_ANY_CHANNEL"
	}
	for _, qc := range rp.QueueConfigs {
		if !pairs[domain.QueueChannel{QueueID: qc.QueueID, Channel: qc.Channel}] {
			continue
		}
		ci := m.cell(m.key(qc.QueueID, qc.Channel, rp.ID, status))
		if !slices.Contains(pl.cells, ci) {
			pl.cells = append(pl.cells, ci)
		}
		if t := (slotTarget{cell: ci, slots: conc[qc.Channel], channel: channelOf(qc.Channel)}); !slices.Contains(pl.slots, t) {
			pl.slots = append(pl.slots, t)
		}
	}
	return pl
}

// slotUse is how an agent's held contacts use its slots.
type slotUse struct {
	// held counts, per channel, the contacts that occupy a slot: offered,
	// connected, in after-contact work, or missed/rejected and not yet
	// cleared.
	held [8]int
	// exclusive is a channel held with ROUTE_CURRENT_CHANNEL_ONLY: no other
	// channel may be offered meanwhile.
	exclusive    routing.Channel
	hasExclusive bool
}

// currentMetrics counts the groups of sc. Called with in.mu held.
//
// Agents count in a group when their routing profile serves a queue+channel
// of the scope in that group (once per group however many pairs they
// serve there); a contact an agent holds counts in the group of its own
// queue+channel; queued and scheduled contacts in the group of their pair.
// The cost is one pass over the agents and their profile entries and one
// QueueStats per queue in scope.
func (in *inst) currentMetrics(sc *domain.MetricsScope) []domain.MetricsCell {
	m := &metricsCount{byQueue: sc.Grouped(domain.GroupQueue), byChannel: sc.Grouped(domain.GroupChannel),
		byProfile: sc.Grouped(domain.GroupRoutingProfile), byStatus: sc.Grouped(domain.GroupAgentStatus),
		index: make(map[cellKey]int, len(sc.Pairs)), cells: make([]domain.MetricsCell, 0, len(sc.Pairs))}
	pairs := make(map[domain.QueueChannel]bool, len(sc.Pairs))
	for _, p := range sc.Pairs {
		pairs[p] = true
	}
	// Agents of one profile (and status, when grouped by it) count in the
	// same groups, so those are worked out once per profile: the per-agent
	// work is then a few additions.
	plans := map[planKey]*agentPlan{}
	for _, a := range in.agents {
		st := a.snap.Status
		rp := &a.snap.RoutingProfile
		if sc.Profiles != nil {
			if _, ok := sc.Profiles[rp.ID]; !ok {
				continue
			}
		}
		if len(sc.AgentStatuses) > 0 && !slices.Contains(sc.AgentStatuses, st.StatusID) {
			continue
		}
		if st.Type == "OFFLINE" && len(a.contacts) == 0 {
			continue
		}
		pk := planKey{profile: rp.ID}
		if m.byStatus {
			pk.status = st.StatusID
		}
		pl := plans[pk]
		if pl == nil {
			pl = m.plan(rp, st.StatusID, pairs)
			plans[pk] = pl
		}
		if len(pl.cells) == 0 && len(a.contacts) == 0 {
			continue // serves nothing in scope and holds nothing
		}
		var onContact, inError bool
		var use slotUse
		for _, hc := range a.contacts {
			switch hc.state {
			case "CONNECTED", "ENDED":
				onContact = true
			case "MISSED", "REJECTED":
				inError = true
			}
			ch := channelOf(hc.channel)
			use.held[ch]++
			if (hc.state == "CONNECTING" || hc.state == "CONNECTED" || hc.state == "ENDED") && pl.exclusive[ch] {
				use.exclusive, use.hasExclusive = ch, true
			}
		}
		for _, ci := range pl.cells {
			cn := &m.cells[ci].Counts
			if st.Type != "OFFLINE" {
				cn.AgentsOnline++
			}
			if st.Type == "ROUTABLE" {
				cn.AgentsStaffed++
			}
			if st.Type == "CUSTOM" {
				cn.AgentsNonProductive++
			}
			// Available means able to take a contact now: routable,
			// holding nothing, and not blocked by a missed offer.
			if st.Type == "ROUTABLE" && a.routable && len(a.contacts) == 0 {
				cn.AgentsAvailable++
			}
			if onContact {
				cn.AgentsOnContact++
			}
			if inError {
				cn.AgentsError++
			}
		}
		if a.routable {
			for _, t := range pl.slots {
				m.cells[t.cell].Counts.SlotsAvailable += use.free(t)
			}
		}
		for _, hc := range a.contacts {
			if hc.state != "CONNECTED" && hc.state != "ENDED" {
				continue
			}
			if !pairs[domain.QueueChannel{QueueID: hc.queueID, Channel: hc.channel}] {
				continue
			}
			cn := &m.cells[m.cell(m.key(hc.queueID, hc.channel, rp.ID, st.StatusID))].Counts
			cn.SlotsActive++
			if hc.state == "ENDED" {
				cn.ContactsInACW++
			}
		}
	}
	in.countQueues(m, sc, pairs)
	// An agent held only in an offer and offline has nothing to show.
	out := m.cells[:0]
	for _, c := range m.cells {
		if c.Counts != (domain.CurrentCounts{}) {
			out = append(out, c)
		}
	}
	return out
}

// countQueues adds the contacts waiting in the engine's queues and the
// scheduled ones. Grouped by agent status there is nothing to add (only
// AGENTS_ONLINE is served there); grouped by routing profile a pair counts
// in each filtered profile that serves it, and without a profile filter
// queue figures are not asked for.
func (in *inst) countQueues(m *metricsCount, sc *domain.MetricsScope, pairs map[domain.QueueChannel]bool) {
	if m.byStatus || (m.byProfile && sc.Profiles == nil) {
		return
	}
	var profilesOf map[domain.QueueChannel][]string
	if m.byProfile {
		profilesOf = map[domain.QueueChannel][]string{}
		for id, ps := range sc.Profiles {
			for _, p := range ps {
				profilesOf[p] = append(profilesOf[p], id)
			}
		}
	}
	keys := func(p domain.QueueChannel) []cellKey {
		if !m.byProfile {
			return []cellKey{m.key(p.QueueID, p.Channel, "", "")}
		}
		var ks []cellKey
		for _, id := range profilesOf[p] {
			ks = append(ks, m.key(p.QueueID, p.Channel, id, ""))
		}
		return ks
	}
	done := map[string]bool{}
	for _, p := range sc.Pairs {
		if done[p.QueueID] {
			continue
		}
		done[p.QueueID] = true
		for _, cs := range in.engine.QueueStats(p.QueueID) {
			qc := domain.QueueChannel{QueueID: p.QueueID, Channel: cs.Channel.String()}
			n := cs.Waiting + cs.Offered
			if n == 0 || !pairs[qc] {
				continue
			}
			for _, k := range keys(qc) {
				cn := &m.cells[m.cell(k)].Counts
				cn.ContactsInQueue += n
				if cn.OldestEnqueued.IsZero() || cs.OldestEnqueuedAt.Before(cn.OldestEnqueued) {
					cn.OldestEnqueued = cs.OldestEnqueuedAt
				}
			}
		}
	}
	for _, p := range sc.Scheduled {
		for _, k := range keys(p) {
			m.cells[m.cell(k)].Counts.Scheduled++
		}
	}
}

// free is how many more contacts of t's channel a routable agent could be
// offered now: none on a channel the profile has no concurrency for, and
// none while another channel is held exclusively. Agents who are not
// routable (custom status, offline, blocked by a missed offer) have none.
func (u *slotUse) free(t slotTarget) int {
	if u.hasExclusive && u.exclusive != t.channel {
		return 0
	}
	return max(t.slots-u.held[t.channel], 0)
}
