package metrics

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// benchResources stands in for the domain: one instance, ARNs by format.
type benchResources struct{}

func (benchResources) DescribeInstance(context.Context, string) (*domain.Instance, error) {
	return &domain.Instance{}, nil
}
func (benchResources) ResourceARN(inst string, k domain.Kind, id string) string {
	return "arn:aws:connect:us-east-1:123456789012:instance/" + inst + "/" + string(k) + "/" + id
}
func (benchResources) InstanceARN(inst string) string {
	return "arn:aws:connect:us-east-1:123456789012:instance/" + inst
}

// loaded returns an aggregator holding 1,000,000 contacts' worth of
// aggregates over the last 24 hours: 20 queues, 3 channels, 200 agents in
// 10 routing profiles; 90 % answered after 0-600 s, 10 % abandoned.
func loaded(b *testing.B) (*Aggregator, time.Time) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	a := New(Options{Clock: clock.NewVirtual(now), Resources: benchResources{}})
	rng := rand.New(rand.NewPCG(1, 2))
	channels := []string{"VOICE", "CHAT", "TASK"}
	a.mu.Lock()
	for i := range 1_000_000 {
		init := now.Add(-24 * time.Hour).Add(time.Duration(rng.Int64N(int64(24*time.Hour - 20*time.Minute))))
		agent := rng.IntN(200)
		c := domain.Contact{ID: fmt.Sprint(i), InstanceID: "inst", Channel: channels[rng.IntN(3)], InitiationMethod: "API",
			QueueID: fmt.Sprintf("queue-%02d", rng.IntN(20)), InitiationTime: init, EnqueueTime: init.Add(2 * time.Second)}
		a.apply(domain.EventInitiated, &c, "")
		a.apply(domain.EventQueued, &c, "")
		wait := time.Duration(rng.IntN(600)) * time.Second
		if rng.IntN(10) == 0 {
			c.DisconnectTime = c.EnqueueTime.Add(wait)
			a.apply(domain.EventDisconnected, &c, "")
			continue
		}
		profile := fmt.Sprintf("profile-%d", agent%10)
		c.AgentID, c.ConnectedToAgentTime = fmt.Sprintf("agent-%03d", agent), c.EnqueueTime.Add(wait)
		a.apply(domain.EventConnectedToAgent, &c, profile)
		c.DisconnectTime = c.ConnectedToAgentTime.Add(time.Duration(30+rng.IntN(300)) * time.Second)
		c.AfterContactWorkStart, c.AfterContactWorkEnd = c.DisconnectTime, c.DisconnectTime.Add(time.Duration(rng.IntN(60))*time.Second)
		c.DisconnectReason = "AGENT_DISCONNECT"
		a.apply(domain.EventDisconnected, &c, profile)
		a.apply(domain.EventCompleted, &c, profile)
	}
	clear(a.dirty)
	a.packLocked(now) // as the flushes of a running server would have
	a.mu.Unlock()
	return a, now
}

func BenchmarkGetMetricData24h(b *testing.B) {
	a, now := loaded(b)
	queues := make([]string, 20)
	for i := range queues {
		queues[i] = fmt.Sprintf("queue-%02d", i)
	}
	r := V1Request{InstanceID: "inst", Start: now.Add(-24 * time.Hour).Add(5 * time.Minute), End: now, Queues: queues,
		Groupings: []string{"QUEUE", "CHANNEL"}}
	for name := range v1Defs {
		if name != "SERVICE_LEVEL" {
			r.Metrics = append(r.Metrics, V1Metric{Name: name})
		}
	}
	for _, x := range []float64{10, 20, 30, 60, 120, 300, 600, 3600, 86400, 604800} {
		r.Metrics = append(r.Metrics, V1Metric{Name: "SERVICE_LEVEL", Threshold: &V1Threshold{Comparison: "LT", Value: &x}})
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := a.GetMetricData(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetMetricDataV2_24h(b *testing.B) {
	a, now := loaded(b)
	queues := make([]string, 20)
	for i := range queues {
		queues[i] = fmt.Sprintf("queue-%02d", i)
	}
	var ms []V2Metric
	for _, n := range []string{"CONTACTS_CREATED", "CONTACTS_HANDLED", "CONTACTS_ABANDONED", "CONTACTS_QUEUED", "AVG_HANDLE_TIME", "AVG_HOLD_TIME",
		"AVG_AFTER_CONTACT_WORK_TIME", "AVG_QUEUE_ANSWER_TIME", "AVG_INTERACTION_TIME", "ABANDONMENT_RATE", "MAX_QUEUED_TIME"} {
		ms = append(ms, V2Metric{Name: n})
	}
	x := 60.0
	ms = append(ms, V2Metric{Name: "SERVICE_LEVEL", Thresholds: []V2Threshold{{Comparison: "LT", Value: &x}}})
	for _, tc := range []struct {
		name      string
		period    string
		filterKey string
		values    []string
		groupings []string
	}{
		{"queues-by-queue-channel-hourly", "HOUR", "QUEUE", queues, []string{"QUEUE", "CHANNEL"}},
		{"queues-total", "TOTAL", "QUEUE", queues, nil},
		{"profile-by-agent-fifteen-min", "FIFTEEN_MIN", "ROUTING_PROFILE", []string{"profile-1", "profile-2", "profile-3"}, []string{"AGENT"}},
		{"queues-by-agent-total", "TOTAL", "QUEUE", queues, []string{"AGENT"}},
		{"queues-by-agent-hourly", "HOUR", "QUEUE", queues, []string{"AGENT"}},
		{"queues-by-agent-fifteen-min", "FIFTEEN_MIN", "QUEUE", queues, []string{"AGENT"}},
		// Channel kept: rollups drop it, so these read the 5-minute
		// agent detail cells.
		{"queues-chat-by-agent-hourly", "HOUR", "QUEUE", queues, []string{"AGENT"}},
		{"queues-by-agent-channel-total", "TOTAL", "QUEUE", queues, []string{"AGENT", "CHANNEL"}},
		// No channel level of 15 minutes: 5-minute cells (rollup.go).
		{"queues-chat-by-agent-fifteen-min", "FIFTEEN_MIN", "QUEUE", queues, []string{"AGENT"}},
		{"queues-by-agent-channel-fifteen-min", "FIFTEEN_MIN", "QUEUE", queues, []string{"AGENT", "CHANNEL"}},
		// The same three from 5-minute cells only: the baseline the
		// rollups are measured against, in the same run.
		{"queues-by-agent-total-no-rollups", "TOTAL", "QUEUE", queues, []string{"AGENT"}},
		{"queues-by-agent-hourly-no-rollups", "HOUR", "QUEUE", queues, []string{"AGENT"}},
		{"queues-by-agent-fifteen-min-no-rollups", "FIFTEEN_MIN", "QUEUE", queues, []string{"AGENT"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			a.noRollups = strings.HasSuffix(tc.name, "-no-rollups")
			r := V2Request{ResourceArn: benchResources{}.InstanceARN("inst"), Start: now.Add(-24 * time.Hour), End: now, IntervalPeriod: tc.period,
				Filters: []V2Filter{{Key: tc.filterKey, Values: tc.values}}, Groupings: tc.groupings, Metrics: ms}
			if strings.HasPrefix(tc.name, "queues-chat-") {
				r.Filters = append(r.Filters, V2Filter{Key: "CHANNEL", Values: []string{"CHAT"}})
			}
			for b.Loop() {
				if _, err := a.GetMetricDataV2(context.Background(), r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoadedMemory reports what the aggregates of the benchmark's
// 1,000,000 contacts hold: cells by family and level, and the heap.
func BenchmarkLoadedMemory(b *testing.B) {
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	a, _ := loaded(b)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	for b.Loop() {
	}
	ic := a.inst["inst"]
	detail := 0
	for _, bc := range ic.buckets {
		detail += len(bc.keys)
	}
	b.ReportMetric(float64(detail), "detail-cells")
	for l, lv := range rollupLevels {
		n := 0
		for _, bc := range ic.rollups[l] {
			n += len(bc.keys)
		}
		name := fmt.Sprintf("rollup-%ds", lv.size)
		if lv.channel {
			name += "-channel"
		}
		b.ReportMetric(float64(n), name+"-cells")
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
	runtime.KeepAlive(a)
}
