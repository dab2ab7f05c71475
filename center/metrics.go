package center

import (
	"context"
	"slices"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
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
	// seen[i] is the last agent counted in cell i, so that an agent
	// serving several pairs of one group counts once there.
	seen []int
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
	m.seen = append(m.seen, -1)
	return i
}

// slotUse is how an agent's held contacts use its slots.
type slotUse struct {
	// held counts, per channel, the contacts that occupy a slot: offered,
	// connected, in after-contact work, or missed/rejected and not yet
	// cleared.
	held [8]int
	// exclusive is a channel held with ROUTE_CURRENT_CHANNEL_ONLY: no other
	// channel may be offered meanwhile.
	exclusive string
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
		byProfile: sc.Grouped(domain.GroupRoutingProfile), byStatus: sc.Grouped(domain.GroupAgentStatus), index: map[cellKey]int{}}
	pairs := make(map[domain.QueueChannel]bool, len(sc.Pairs))
	for _, p := range sc.Pairs {
		pairs[p] = true
	}
	var visited []int // cell*8+channel pairs an agent's free slots went to
	seq := 0
	for _, a := range in.agents {
		st := a.snap.Status
		rp := a.snap.RoutingProfile
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
		seq++
		var onContact, inError bool
		var use slotUse
		for _, hc := range a.contacts {
			switch hc.state {
			case "CONNECTED", "ENDED":
				onContact = true
			case "MISSED", "REJECTED":
				inError = true
			}
			use.held[channelOf(hc.channel)]++
			if hc.state == "CONNECTING" || hc.state == "CONNECTED" || hc.state == "ENDED" {
				for _, mc := range rp.MediaConcurrencies {
					if mc.Channel == hc.channel && mc.CrossChannelBehavior != "ROUTE_ANY_CHANNEL" {
						use.exclusive = hc.channel
					}
				}
			}
		}
		visited = visited[:0]
		for _, qc := range rp.QueueConfigs {
			if !pairs[domain.QueueChannel{QueueID: qc.QueueID, Channel: qc.Channel}] {
				continue
			}
			ci := m.cell(m.key(qc.QueueID, qc.Channel, rp.ID, st.StatusID))
			cn := &m.cells[ci].Counts
			if m.seen[ci] != seq {
				m.seen[ci] = seq
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
			// Free slots count once per group and channel: without a
			// channel grouping an agent's chat and task slots add up, but
			// two queues of one channel share the same slots.
			v := ci*8 + int(channelOf(qc.Channel))
			if !slices.Contains(visited, v) {
				visited = append(visited, v)
				cn.SlotsAvailable += freeSlots(a, &use, qc.Channel)
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

// freeSlots is how many more contacts of ch the agent could be offered
// now: none unless routable (custom status, offline or blocked by a missed
// offer), none on a channel the profile has no concurrency for, and none
// while another channel is held exclusively.
func freeSlots(a *agent, use *slotUse, ch string) int {
	if !a.routable || (use.exclusive != "" && use.exclusive != ch) {
		return 0
	}
	for _, mc := range a.snap.RoutingProfile.MediaConcurrencies {
		if mc.Channel == ch {
			return max(mc.Concurrency-use.held[channelOf(ch)], 0)
		}
	}
	return 0
}
