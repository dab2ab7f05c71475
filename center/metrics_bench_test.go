//go:build linux

// Linux only: the CPU figures read the calling thread's usage with
// getrusage(RUSAGE_THREAD) and CLOCK_THREAD_CPUTIME_ID.

package center

import (
	"fmt"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/routing"
)

// benchCenter builds, without a store, an instance of 500 queues and 5,000
// agents: 50 routing profiles of 10 queues on CHAT (3 slots) and TASK (1),
// agents 60% Available, 20% on a break, 20% Offline; a third of the
// working agents hold a contact (connected or in after-contact work), and
// 2,000 contacts wait or are offered.
func benchCenter(b *testing.B) (*inst, []string, []string) {
	now := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	in := &inst{engine: routing.New(), agents: map[string]*agent{}, offers: map[string]*offer{}}
	var queues, profiles []string
	for i := range 500 {
		queues = append(queues, fmt.Sprintf("q%03d", i))
	}
	rps := map[string]domain.RoutingProfile{}
	for p := range 50 {
		rp := domain.RoutingProfile{ID: fmt.Sprintf("rp%02d", p), MediaConcurrencies: []domain.MediaConcurrency{
			{Channel: "CHAT", Concurrency: 3, CrossChannelBehavior: "ROUTE_CURRENT_CHANNEL_ONLY"},
			{Channel: "TASK", Concurrency: 1, CrossChannelBehavior: "ROUTE_CURRENT_CHANNEL_ONLY"}}}
		for _, q := range queues[p*10 : p*10+10] {
			for _, ch := range []string{"CHAT", "TASK"} {
				rp.QueueConfigs = append(rp.QueueConfigs, domain.RoutingProfileQueueConfig{QueueID: q, Channel: ch, Priority: 1})
			}
		}
		rps[rp.ID] = rp
		profiles = append(profiles, rp.ID)
	}
	for i := range 2000 {
		ch := routing.Channel(1 + i%2) // CHAT, TASK
		if _, err := in.engine.Enqueue(routing.ContactParams{ID: fmt.Sprintf("w%d", i), QueueID: queues[i%500], Channel: ch, EnqueuedAt: now.Add(-time.Duration(i) * time.Second)}, now); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 5000 {
		id := fmt.Sprintf("a%04d", i)
		st := domain.CurrentStatus{StatusID: "available", Type: "ROUTABLE"}
		switch (i / 50) % 5 { // every profile has every kind of agent
		case 3:
			st = domain.CurrentStatus{StatusID: "break", Type: "CUSTOM"}
		case 4:
			st = domain.CurrentStatus{StatusID: "offline", Type: "OFFLINE"}
		}
		snap := domain.AgentSnapshot{UserID: id, RoutingProfile: rps[profiles[i%50]], Status: st}
		a := &agent{snap: snap, contacts: map[string]*heldContact{}, routable: st.Type == "ROUTABLE"}
		if i%3 == 0 && st.Type != "OFFLINE" {
			state := "CONNECTED"
			if i%2 == 0 {
				state = "ENDED"
			}
			cid := "h" + id
			a.contacts[cid] = &heldContact{id: cid, queueID: snap.RoutingProfile.QueueConfigs[0].QueueID, channel: "CHAT", state: state}
		}
		in.agents[id] = a
		if _, err := in.engine.PutAgent(agentParams(snap), now); err != nil {
			b.Fatal(err)
		}
		if a.routable {
			if _, err := in.engine.SetRoutable(id, true, now); err != nil {
				b.Fatal(err)
			}
		}
	}
	return in, queues, profiles
}

// BenchmarkGetCurrentMetricData measures the runtime's count for one
// request, the part done under the instance lock, in two shapes: the
// largest queue filter (100 queues) grouped by queue, and a routing-profile
// filter covering all 500 queues grouped by queue and channel.
func BenchmarkGetCurrentMetricData(b *testing.B) {
	in, queues, profiles := benchCenter(b)
	pairsOf := func(qs []string) []domain.QueueChannel {
		var out []domain.QueueChannel
		for _, q := range qs {
			for _, ch := range []string{"VOICE", "CHAT", "TASK", "EMAIL"} {
				out = append(out, domain.QueueChannel{QueueID: q, Channel: ch})
			}
		}
		return out
	}
	byProfile := map[string][]domain.QueueChannel{}
	var all []domain.QueueChannel
	for _, id := range profiles {
		for _, a := range in.agents {
			if a.snap.RoutingProfile.ID == id {
				for _, qc := range a.snap.RoutingProfile.QueueConfigs {
					byProfile[id] = append(byProfile[id], domain.QueueChannel{QueueID: qc.QueueID, Channel: qc.Channel})
				}
				all = append(all, byProfile[id]...)
				break
			}
		}
	}
	cases := []struct {
		name string
		sc   domain.MetricsScope
		rows int
	}{
		{"100queues/byQueue", domain.MetricsScope{Pairs: pairsOf(queues[:100]), Groupings: []string{domain.GroupQueue}}, 100},
		{"50profiles/byQueueChannel", domain.MetricsScope{Pairs: all, Profiles: byProfile, Groupings: []string{domain.GroupQueue, domain.GroupChannel}}, 1000},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if n := len(in.currentMetrics(&c.sc)); n != c.rows {
				b.Fatalf("%d rows, want %d", n, c.rows)
			}
			// Wall time includes being descheduled by other load on the
			// machine; the thread's CPU time does not, so both are kept.
			// The goroutine is locked to its thread so that the CPU clocks
			// read the thread that ran the call.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var wall, cpu []time.Duration
			var ru cpuMeter
			b.ResetTimer()
			for b.Loop() {
				ru.begin()
				c0 := threadClock()
				t0 := time.Now()
				in.currentMetrics(&c.sc)
				wall = append(wall, time.Since(t0))
				cpu = append(cpu, threadClock()-c0)
				ru.end()
			}
			b.StopTimer()
			reportQuantiles(b, wall, "wall")
			reportQuantiles(b, cpu, "cpu")
			b.ReportMetric(float64(ru.total.Nanoseconds())/1e3/float64(len(wall)), "rusage-cpu-mean-µs")
		})
	}
}

// reportQuantiles reports the p50 and p99 of ds in microseconds.
func reportQuantiles(b *testing.B, ds []time.Duration, what string) {
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Nanoseconds())/1e3, what+"-p50-µs")
	b.ReportMetric(float64(ds[len(ds)*99/100].Nanoseconds())/1e3, what+"-p99-µs")
}

// cpuMeter sums getrusage(RUSAGE_THREAD) around each call, like the
// routing benchmarks' decisions/cpu-s. On this kernel that clock moves in
// scheduler ticks (4 ms), so one call reads 0 or 4 ms: the sum over
// thousands of calls gives a fair mean, but not quantiles.
type cpuMeter struct{ total, start time.Duration }

func (m *cpuMeter) begin() { m.start = threadRusage() }
func (m *cpuMeter) end()   { m.total += threadRusage() - m.start }

// threadRusage is the user+system CPU time of the calling OS thread as
// getrusage reports it. Unlike process CPU time it leaves out the GC
// workers and other threads, so it is the call's own work (plus any GC
// assist charged to it).
func threadRusage() time.Duration {
	const rusageThread = 1 // RUSAGE_THREAD, not exported by package syscall
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadClock is the calling thread's CPU time from
// clock_gettime(CLOCK_THREAD_CPUTIME_ID): the same quantity as
// threadRusage but read from the scheduler's nanosecond runtime rather
// than tick samples, so it can time a single sub-millisecond call. A raw
// syscall because package syscall has no wrapper for it and x/sys is not
// a direct dependency.
func threadClock() time.Duration {
	const clockThreadCPUTimeID = 3 // CLOCK_THREAD_CPUTIME_ID
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
