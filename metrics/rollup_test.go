package metrics

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/store/sqlite"
)

// The rollups are an optimisation only: every query must answer exactly
// what the 5-minute cells answer. These tests compare the two on random
// traffic and random queries, and check that the rollups held in memory
// are what the detail cells derive after every path that changes cells
// (live events, packing, restart, recomputation).

var rollupNow = time.Date(2026, 3, 4, 17, 40, 0, 0, time.UTC)

// randomContacts makes n finished contacts over the 3 days before now:
// some abandoned, some transferred, some without after-contact work.
func randomContacts(rng *rand.Rand, n int, now time.Time) map[string]*domain.Contact {
	channels := []string{"VOICE", "CHAT", "TASK"}
	methods := []string{"INBOUND", "API", "CALLBACK", "TRANSFER"}
	out := map[string]*domain.Contact{}
	for i := range n {
		init := now.Add(-72 * time.Hour).Add(time.Duration(rng.Int64N(int64(72*time.Hour - 30*time.Minute))))
		c := &domain.Contact{ID: fmt.Sprint("c", i), InstanceID: "inst", Channel: channels[rng.IntN(3)], InitiationMethod: methods[rng.IntN(4)],
			QueueID: fmt.Sprintf("queue-%d", rng.IntN(6)), InitiationTime: init, EnqueueTime: init.Add(time.Duration(rng.IntN(20)) * time.Second),
			State: domain.StateEnded}
		wait := time.Duration(rng.IntN(700)) * time.Second
		if rng.IntN(5) == 0 {
			c.DisconnectTime = c.EnqueueTime.Add(wait)
		} else {
			c.AgentID = fmt.Sprintf("agent-%d", rng.IntN(12))
			c.ConnectedToAgentTime = c.EnqueueTime.Add(wait)
			c.DisconnectTime = c.ConnectedToAgentTime.Add(time.Duration(rng.IntN(900)) * time.Second)
			c.DisconnectReason = []string{"AGENT_DISCONNECT", "CUSTOMER_DISCONNECT", "TRANSFER"}[rng.IntN(3)]
			if rng.IntN(3) > 0 {
				c.AfterContactWorkStart = c.DisconnectTime
				c.AfterContactWorkEnd = c.DisconnectTime.Add(time.Duration(rng.IntN(120)) * time.Second)
			}
		}
		out[c.ID] = c
	}
	return out
}

func profileOfAgent(agent string) string {
	if agent == "" {
		return ""
	}
	return "profile-" + agent[len(agent)-1:]
}

func contactProfiles(cs map[string]*domain.Contact) map[[2]string]string {
	out := map[[2]string]string{}
	for _, c := range cs {
		out[[2]string{c.InstanceID, c.AgentID}] = profileOfAgent(c.AgentID)
	}
	return out
}

// applyAll feeds every event of the contacts to a, packing now and then
// as flushes do (the blocks then change again after being packed).
func applyAll(rng *rand.Rand, a *Aggregator, cs map[string]*domain.Contact) {
	a.mu.Lock()
	defer a.mu.Unlock()
	i := 0
	for _, c := range cs {
		for _, ev := range []string{domain.EventInitiated, domain.EventQueued, domain.EventConnectedToAgent, domain.EventDisconnected, domain.EventCompleted} {
			a.apply(ev, c, profileOfAgent(c.AgentID))
		}
		if i++; rng.IntN(200) == 0 {
			a.packLocked(a.o.Clock.Now())
		}
	}
}

// randomV2 is a query that reads the agent detail family: a QUEUE filter
// or grouping with AGENT or ROUTING_PROFILE, in any interval, zone and
// range (aligned or not), with every contact metric.
func randomV2(rng *rand.Rand, now time.Time) V2Request {
	periods := []string{"TOTAL", "FIFTEEN_MIN", "THIRTY_MIN", "HOUR", "DAY", "WEEK"}
	zones := []string{"", "America/Los_Angeles", "Asia/Kathmandu", "Asia/Kolkata", "Europe/Berlin"}
	r := V2Request{ResourceArn: benchResources{}.InstanceARN("inst"), IntervalPeriod: periods[rng.IntN(len(periods))],
		TimeZone: zones[rng.IntN(len(zones))], MaxResults: 1 << 20}
	align := func(t time.Time) time.Time {
		switch rng.IntN(4) {
		case 0, 1:
			return t.Truncate(time.Hour)
		case 2:
			return t.Truncate(BucketSize)
		}
		return t.Truncate(time.Second)
	}
	r.End = align(now.Add(-time.Duration(rng.Int64N(int64(8 * time.Hour)))))
	length := time.Duration(rng.Int64N(int64(70*time.Hour))) + time.Minute // aligned, still at most 3 days
	r.Start = align(r.End.Add(-length))
	if !r.Start.Before(r.End) {
		r.Start = r.End.Add(-time.Hour)
	}
	subset := func(prefix string, n int) []string {
		var vs []string
		for i := range n {
			if rng.IntN(2) == 0 {
				vs = append(vs, fmt.Sprintf("%s-%d", prefix, i))
			}
		}
		return append(vs, fmt.Sprintf("%s-%d", prefix, rng.IntN(n)))
	}
	switch rng.IntN(4) {
	case 0:
		r.Filters = []V2Filter{{Key: "AGENT", Values: subset("agent", 12)}, {Key: "QUEUE", Values: subset("queue", 6)}}
	case 1:
		r.Filters = []V2Filter{{Key: "ROUTING_PROFILE", Values: subset("profile", 10)}}
		r.Groupings = []string{"QUEUE"}
	default:
		r.Filters = []V2Filter{{Key: "QUEUE", Values: subset("queue", 6)}}
	}
	// Channel and method, in filters or groupings, send the query to the
	// rollup levels that keep them.
	switch rng.IntN(6) {
	case 0:
		r.Filters = append(r.Filters, V2Filter{Key: "CHANNEL", Values: []string{"CHAT", "TASK"}[:1+rng.IntN(2)]})
	case 1:
		r.Filters = append(r.Filters, V2Filter{Key: "INITIATION_METHOD", Values: []string{"API"}})
	}
	for _, g := range []string{"AGENT", "ROUTING_PROFILE", "QUEUE", "CHANNEL", "INITIATION_METHOD"} {
		if len(r.Groupings) < 3 && rng.IntN(3) == 0 && (g != "CHANNEL" && g != "INITIATION_METHOD" || rng.IntN(3) == 0) && !contains(r.Groupings, g) {
			r.Groupings = append(r.Groupings, g)
		}
	}
	if len(r.Filters) == 1 && r.Filters[0].Key == "QUEUE" && !contains(r.Groupings, "AGENT") && !contains(r.Groupings, "ROUTING_PROFILE") {
		r.Groupings = append(r.Groupings, "AGENT")
	}
	for name, def := range v2Defs {
		if def.agentTime {
			continue
		}
		m := V2Metric{Name: name}
		if rng.IntN(20) == 0 {
			m.MetricFilters = []V2MetricFilter{{Key: "INITIATION_METHOD", Values: []string{"INBOUND", "TRANSFER"}, Negate: rng.IntN(2) == 0}}
		}
		if def.threshold != nil {
			x := float64(1 + rng.IntN(700))
			m.Thresholds = []V2Threshold{{Comparison: []string{"LT", "LTE"}[rng.IntN(2)], Value: &x}}
		}
		r.Metrics = append(r.Metrics, m)
	}
	return r
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// answer runs r from rollups (or from 5-minute cells only).
func answer(t *testing.T, a *Aggregator, r V2Request, rollups bool) *V2Page {
	t.Helper()
	a.noRollups = !rollups
	defer func() { a.noRollups = false }()
	p, err := a.GetMetricDataV2(context.Background(), r)
	if err != nil {
		t.Fatalf("%+v: %v", r, err)
	}
	return p
}

// sameAnswers checks that every query answers the same from rollups as
// from 5-minute cells, and from a as from b (nil: a only).
func sameAnswers(t *testing.T, what string, a, b *Aggregator, qs []V2Request) {
	t.Helper()
	for i, r := range qs {
		want := answer(t, a, r, false)
		if got := answer(t, a, r, true); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: query %d (%s %s %s..%s by %v, filters %+v): rollups answer\n%s\n5-minute cells answer\n%s", what, i, r.IntervalPeriod, r.TimeZone,
				r.Start, r.End, r.Groupings, r.Filters, pageString(got), pageString(want))
		}
		if b != nil {
			if got := answer(t, b, r, true); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: query %d differs between the two aggregators:\n%s\n%s", what, i, pageString(got), pageString(want))
			}
		}
	}
}

func pageString(p *V2Page) string {
	s := ""
	for _, r := range p.Rows {
		s += fmt.Sprintf("%v %s-%s:", r.Dimensions, r.IntervalStart.Format(time.RFC3339), r.IntervalEnd.Format(time.RFC3339))
		for _, v := range r.Values {
			if v == nil {
				s += " null"
			} else {
				s += fmt.Sprintf(" %g", *v)
			}
		}
		s += "\n"
	}
	return s
}

// checkRollups compares the rollups a holds with a derivation from
// scratch out of its detail cells.
func checkRollups(t *testing.T, what string, a *Aggregator) {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	snapshot := func() map[string]Cell {
		out := map[string]Cell{}
		for inst, ic := range a.inst {
			for l := range ic.rollups {
				for blk, bc := range ic.rollups[l] {
					for i, k := range bc.keys {
						c := *bc.cells[i]
						out[fmt.Sprint(inst, l, blk, a.names.encodeKey(k))] = c
					}
				}
			}
		}
		return out
	}
	held := snapshot()
	for _, ic := range a.inst {
		ic.rebuildRollupsLocked(allBuckets)
	}
	derived := snapshot()
	if len(held) != len(derived) {
		t.Fatalf("%s: %d rollup cells held, %d derived", what, len(held), len(derived))
	}
	for k, c := range derived {
		h, ok := held[k]
		if !ok || !reflect.DeepEqual(normHist(h), normHist(c)) {
			t.Fatalf("%s: rollup cell %s held %+v, derived %+v", what, k, h, c)
		}
	}
}

// normHist makes empty histograms nil (packing and merging may leave
// either).
func normHist(c Cell) Cell {
	if len(c.AnsweredIn) == 0 {
		c.AnsweredIn = nil
	}
	if len(c.AbandonedIn) == 0 {
		c.AbandonedIn = nil
	}
	return c
}

func TestHistAddHist(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 50 {
		var a, b, both Hist
		for range rng.IntN(40) {
			v := rng.Int64N(30)
			a.Add(v)
			both.Add(v)
		}
		for range rng.IntN(40) {
			v := rng.Int64N(30)
			b.Add(v)
			both.Add(v)
		}
		a.addHist(b)
		if len(a) != len(both) || (len(a) > 0 && !reflect.DeepEqual(a, both)) {
			t.Fatalf("merged %v, want %v", a, both)
		}
	}
}

// TestRollupsAnswerAsFiveMinuteCells: random traffic, random queries, live
// events with packing in between, then a recomputation from a random
// bucket (mid-hour and mid-day as it falls).
func TestRollupsAnswerAsFiveMinuteCells(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 99))
			a := New(Options{Clock: clock.NewVirtual(rollupNow), Resources: benchResources{}})
			cs := randomContacts(rng, 3000, rollupNow)
			applyAll(rng, a, cs)
			var qs []V2Request
			for range 60 {
				qs = append(qs, randomV2(rng, rollupNow))
			}
			checkRollups(t, "live", a)
			sameAnswers(t, "live", a, nil, qs)

			// A recomputation rebuilds the blocks it touches: the answers
			// stay those of an aggregator that saw every event live.
			b0 := bucketOf(rollupNow.Add(-time.Duration(rng.Int64N(int64(60 * time.Hour)))))
			a.mu.Lock()
			a.replayLocked(b0, cs, contactProfiles(cs))
			a.packLocked(rollupNow)
			a.mu.Unlock()
			checkRollups(t, "recomputed", a)
			fresh := New(Options{Clock: clock.NewVirtual(rollupNow), Resources: benchResources{}})
			applyAll(rng, fresh, cs)
			sameAnswers(t, "recomputed", a, fresh, qs)

			// The rollups are read at all: without them the answers change.
			a.mu.Lock()
			for _, ic := range a.inst {
				for l := range ic.rollups {
					clear(ic.rollups[l])
				}
			}
			a.mu.Unlock()
			differ := 0
			for _, r := range qs {
				if !reflect.DeepEqual(answer(t, a, r, true), answer(t, a, r, false)) {
					differ++
				}
			}
			if differ == 0 {
				t.Fatal("no query read a rollup")
			}
		})
	}
}

// TestRollupsSurviveRestart: cells flushed to a store and loaded by a new
// aggregator give it the same rollups and the same answers.
func TestRollupsSurviveRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clk := clock.NewVirtual(rollupNow)
	a := New(Options{Store: st, Clock: clk, Resources: benchResources{}, FlushEvery: time.Hour})
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	applyAll(rng, a, randomContacts(rng, 2000, rollupNow))
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	b := New(Options{Store: st, Clock: clk, Resources: benchResources{}, FlushEvery: time.Hour})
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	checkRollups(t, "loaded", b)
	var qs []V2Request
	for range 40 {
		qs = append(qs, randomV2(rng, rollupNow))
	}
	sameAnswers(t, "restarted", b, a, qs)
}

// A CHANNEL filter reads a packed block only in its channels' runs (pack
// orders cells by channel): the answers are those of a full scan, which
// is what a block marked unpacked gets.
func TestChannelRunsAnswerAsFullScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	a := New(Options{Clock: clock.NewVirtual(rollupNow), Resources: benchResources{}})
	applyAll(rng, a, randomContacts(rng, 3000, rollupNow))
	var qs []V2Request
	for len(qs) < 60 {
		r := randomV2(rng, rollupNow)
		if !slices.ContainsFunc(r.Filters, func(f V2Filter) bool { return f.Key == "CHANNEL" }) {
			r.Filters = append(r.Filters, V2Filter{Key: "CHANNEL", Values: [][]string{{"CHAT"}, {"VOICE", "TASK"}}[rng.IntN(2)]})
		}
		qs = append(qs, r)
	}
	a.mu.Lock()
	a.packLocked(rollupNow)
	runs := 0
	for _, ic := range a.inst {
		for _, bc := range ic.buckets {
			if !bc.unpacked {
				runs += len(bc.channels)
			}
		}
	}
	a.mu.Unlock()
	if runs == 0 {
		t.Fatal("no packed block has channel runs")
	}
	var want []*V2Page
	for _, rollups := range []bool{true, false} {
		for _, r := range qs {
			want = append(want, answer(t, a, r, rollups))
		}
	}
	a.mu.Lock()
	for _, ic := range a.inst {
		for _, bc := range ic.buckets {
			bc.unpacked = true
		}
		for l := range ic.rollups {
			for _, bc := range ic.rollups[l] {
				bc.unpacked = true
			}
		}
	}
	a.mu.Unlock()
	i := 0
	for _, rollups := range []bool{true, false} {
		for _, r := range qs {
			if got := answer(t, a, r, rollups); !reflect.DeepEqual(got, want[i]) {
				t.Fatalf("query %d (%+v, rollups %v): from channel runs\n%s\nfull scan\n%s", i, r.Filters, rollups, pageString(want[i]), pageString(got))
			}
			i++
		}
	}
}

// A scan split in two at an interval boundary answers as one read in one
// goroutine.
func TestSplitScanAnswersAsOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	a := New(Options{Clock: clock.NewVirtual(rollupNow), Resources: benchResources{}})
	applyAll(rng, a, randomContacts(rng, 3000, rollupNow))
	split := 0
	for range 80 {
		r := randomV2(rng, rollupNow)
		for _, rollups := range []bool{true, false} {
			a.noSplit = true
			want := answer(t, a, r, rollups)
			a.noSplit = false
			if got := answer(t, a, r, rollups); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %s..%s by %v: split\n%s\none scan\n%s", r.IntervalPeriod, r.Start, r.End, r.Groupings, pageString(got), pageString(want))
			}
		}
		if r.IntervalPeriod != "TOTAL" && r.End.Sub(r.Start) >= 4*time.Hour {
			split++
		}
	}
	if split < 10 {
		t.Fatalf("only %d queries long enough to split", split)
	}
}
