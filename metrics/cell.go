// Package metrics keeps the aggregates behind GetMetricData (V1) and
// GetMetricDataV2 (connect-semantics.md §4.2, §4.3). It consumes contact
// events as they happen and adds each one's contribution to a cell: the
// counters and sums of one 5-minute bucket for one combination of
// dimensions. A query sums the cells of its range, so its cost depends on
// the range and the number of distinct dimension combinations, never on how
// many contacts are stored.
//
// Every contribution goes to the bucket holding the time of the event that
// produced it (the contact's own timestamp, not the wall clock when the
// event was seen), and is a function of the contact alone. That is what
// makes the aggregates recomputable from stored contacts after a crash
// (see Aggregator).
package metrics

import (
	"slices"
	"strings"
	"time"
)

// BucketSize is the resolution of every aggregate and of every query.
const BucketSize = 5 * time.Minute

// Retention is how far back the aggregates are kept: GetMetricDataV2
// serves three months of history.
const Retention = 93 * 24 * time.Hour

// bucketOf is the start (Unix seconds) of the bucket holding t.
func bucketOf(t time.Time) int64 {
	s := t.Unix()
	return s - mod(s, int64(BucketSize/time.Second))
}

func mod(a, b int64) int64 { return ((a % b) + b) % b }

// Key names the dimensions of a cell. There are two families: queue cells
// (ByAgent false) carry every contribution with the contact's queue,
// channel and initiation method; agent cells (ByAgent true) repeat the
// contributions made once an agent has the contact, with the agent and the
// agent's routing profile as well. Queries without an agent or routing
// profile in their filters or groupings read only the much smaller queue
// family. Agent summary cells (ByAgent and Summary) hold the same agent
// contributions with no queue, channel or method, and agent time: queries
// by agent or routing profile alone read them, a few per agent per bucket
// instead of one per agent, queue, channel and method. Values are interned
// names (see names).
type Key struct {
	Queue, Channel, Method uint32
	Agent, Profile         uint32
	ByAgent, Summary       bool
}

// Cell holds the counters and sums of one bucket and Key. Durations are in
// milliseconds; queue times in the histograms are whole seconds (Connect
// reports queue duration in whole seconds, §1.5), which makes the
// service-level thresholds (whole seconds 1..604,800) exact.
type Cell struct {
	Created   int64 `json:"cr,omitempty"` // at initiation
	Queued    int64 `json:"q,omitempty"`  // at enqueue
	Handled   int64 `json:"h,omitempty"`  // at connection to an agent
	Abandoned int64 `json:"ab,omitempty"` // at disconnection while queued
	AbandonMs int64 `json:"abm,omitempty"`
	// Answered counts queued contacts connected to an agent, with their
	// time in queue (AnswerMs), at the connection.
	Answered    int64 `json:"an,omitempty"`
	AnswerMs    int64 `json:"anm,omitempty"`
	MaxQueuedMs int64 `json:"mq,omitempty"` // at removal from the queue
	// AnsweredIn and AbandonedIn count removals from the queue by whole
	// seconds spent in it.
	AnsweredIn  Hist `json:"ai,omitempty"`
	AbandonedIn Hist `json:"bi,omitempty"`
	// Completed counts contacts an agent handled, at completion (after
	// their after-contact work), with their times.
	Completed        int64 `json:"co,omitempty"`
	HandleMs         int64 `json:"hm,omitempty"`
	InteractionMs    int64 `json:"im,omitempty"`
	HoldMs           int64 `json:"hom,omitempty"`
	Held             int64 `json:"ho,omitempty"`
	ACWMs            int64 `json:"am,omitempty"`
	AgentHungUpFirst int64 `json:"hu,omitempty"` // at disconnection
	TransferredOut   int64 `json:"to,omitempty"` // at disconnection
	// Agent time (agent cells with no queue, channel or method): time
	// online, on at least one contact while online, and idle (in a
	// routable status with no contact), accrued into the bucket it falls in.
	OnlineMs  int64 `json:"om,omitempty"`
	ContactMs int64 `json:"cm,omitempty"`
	IdleMs    int64 `json:"id,omitempty"`
}

// add sums o into c (histograms excluded: queries read them per threshold).
func (c *Cell) add(o *Cell) {
	c.Created += o.Created
	c.Queued += o.Queued
	c.Handled += o.Handled
	c.Abandoned += o.Abandoned
	c.AbandonMs += o.AbandonMs
	c.Answered += o.Answered
	c.AnswerMs += o.AnswerMs
	c.MaxQueuedMs = max(c.MaxQueuedMs, o.MaxQueuedMs)
	c.Completed += o.Completed
	c.HandleMs += o.HandleMs
	c.InteractionMs += o.InteractionMs
	c.HoldMs += o.HoldMs
	c.Held += o.Held
	c.ACWMs += o.ACWMs
	c.AgentHungUpFirst += o.AgentHungUpFirst
	c.TransferredOut += o.TransferredOut
	c.OnlineMs += o.OnlineMs
	c.ContactMs += o.ContactMs
	c.IdleMs += o.IdleMs
}

// Hist is a sparse cumulative histogram: (whole seconds, count of values
// <= those seconds) pairs sorted by seconds, flattened. Cumulative counts
// make Below a binary search, which keeps service-level queries cheap
// however many distinct durations a bucket saw; its size is bounded by
// those distinct durations, a few hundred at most in practice.
type Hist []int64

// search is the index of the first pair whose seconds are >= sec.
func (h Hist) search(sec int64) int {
	lo, hi := 0, len(h)/2
	for lo < hi {
		m := (lo + hi) / 2
		if h[2*m] < sec {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Add counts one value.
func (h *Hist) Add(sec int64) { h.addN(sec, 1) }

// addN counts n values of sec.
func (h *Hist) addN(sec, n int64) {
	s := *h
	i := s.search(sec)
	if i == len(s)/2 || s[2*i] != sec {
		var before int64
		if i > 0 {
			before = s[2*i-1]
		}
		s = slices.Insert(s, 2*i, sec, before)
	}
	for j := 2*i + 1; j < len(s); j += 2 {
		s[j] += n
	}
	*h = s
}

// Below counts values < limit.
func (h Hist) Below(limit int64) int64 {
	if i := h.search(limit); i > 0 {
		return h[2*i-1]
	}
	return 0
}

// names interns dimension values so that cells compare and filter on small
// integers. 0 is the empty name.
type names struct {
	ids  map[string]uint32
	list []string
}

func newNames() *names { return &names{ids: map[string]uint32{"": 0}, list: []string{""}} }

func (n *names) id(s string) uint32 {
	if id, ok := n.ids[s]; ok {
		return id
	}
	id := uint32(len(n.list))
	n.ids[s] = id
	n.list = append(n.list, s)
	return id
}

// lookup returns the id of s, or false when s was never seen.
func (n *names) lookup(s string) (uint32, bool) {
	id, ok := n.ids[s]
	return id, ok
}

// encodeKey is the store's form of a key: the family, then the names,
// separated by '|' (IDs are UUIDs and the rest are enum values, so no name
// contains it).
func (n *names) encodeKey(k Key) string {
	if k.Summary {
		return strings.Join([]string{"s", n.list[k.Agent], n.list[k.Profile]}, "|")
	}
	if k.ByAgent {
		return strings.Join([]string{"a", n.list[k.Agent], n.list[k.Profile], n.list[k.Queue], n.list[k.Channel], n.list[k.Method]}, "|")
	}
	return strings.Join([]string{"q", n.list[k.Queue], n.list[k.Channel], n.list[k.Method]}, "|")
}

func (n *names) decodeKey(s string) (Key, bool) {
	p := strings.Split(s, "|")
	switch {
	case len(p) == 4 && p[0] == "q":
		return Key{Queue: n.id(p[1]), Channel: n.id(p[2]), Method: n.id(p[3])}, true
	case len(p) == 3 && p[0] == "s":
		return Key{ByAgent: true, Summary: true, Agent: n.id(p[1]), Profile: n.id(p[2])}, true
	case len(p) == 6 && p[0] == "a":
		return Key{ByAgent: true, Agent: n.id(p[1]), Profile: n.id(p[2]), Queue: n.id(p[3]), Channel: n.id(p[4]), Method: n.id(p[5])}, true
	}
	return Key{}, false
}
