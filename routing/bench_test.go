package routing

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// The benchmarks build the state the issue sets as the target (10,000
// agents, 100,000 waiting contacts, 500 queues, mixed criteria) before the
// timer starts, time each decision individually and report decisions/s
// (over engine time only), p99 latency and heap bytes per waiting contact.
// A "small" world (20 agents, 200 contacts, 10 queues) runs the same code as
// a baseline. Results and the machine they ran on are in BENCHMARKS.md.

type benchScale struct {
	name            string
	agents, queues  int
	contacts        int
	freeQueues      int // queues served only by free agents (offer on enqueue)
	freeAgents      int
	queuesPerAgent  int
	matchCandidates int
}

var scales = []benchScale{
	{name: "small", agents: 20, queues: 10, contacts: 200, freeQueues: 2, freeAgents: 4, queuesPerAgent: 4},
	{name: "10k-agents-100k-contacts", agents: 10_000, queues: 500, contacts: 100_000, freeQueues: 50, freeAgents: 1000, queuesPerAgent: 8},
}

// benchWorld is a built engine plus what the loops need to keep it steady.
type benchWorld struct {
	sc              benchScale
	e               *Engine
	now             time.Time
	r               *rand.Rand
	next            int
	held            []string // contacts held by busy agents, released by the loop
	exprs           [][]Step
	bytesPerContact float64
}

var (
	worldsMu sync.Mutex
	worlds   = map[string]*benchWorld{}
)

// worldFor builds (once per benchmark and scale) the steady state. Each
// benchmark gets its own world because the loops change it.
func worldFor(b *testing.B, bench string, sc benchScale) *benchWorld {
	worldsMu.Lock()
	defer worldsMu.Unlock()
	if w, ok := worlds[bench+sc.name]; ok {
		return w
	}
	w := buildWorld(b, sc)
	worlds[bench+sc.name] = w
	return w
}

func busyQueue(sc benchScale, i int) string { return fmt.Sprintf("q%d", i%(sc.queues-sc.freeQueues)) }
func freeQueue(sc benchScale, i int) string {
	return fmt.Sprintf("q%d", sc.queues-sc.freeQueues+i%sc.freeQueues)
}

func buildWorld(b *testing.B, sc benchScale) *benchWorld {
	b.Helper()
	w := &benchWorld{sc: sc, e: New(), now: t0, r: rand.New(rand.NewPCG(1, 2))}
	langs := []string{"en", "es", "fr", "de"}
	// A pool of criteria as flows would set them: 24 proficiency criteria
	// (some multi-step), plus preferred-agent criteria built per contact.
	for i := range 24 {
		l, lvl := langs[i%4], float64(1+i%5)
		switch i % 4 {
		case 0:
			w.exprs = append(w.exprs, []Step{step(ge("lang", l, lvl), 86400)})
		case 1:
			w.exprs = append(w.exprs, []Step{step(and(ge("lang", l, lvl), ge("tech", "net", 2)), 86400), step(ge("lang", l, 1), -1)})
		case 2:
			w.exprs = append(w.exprs, []Step{step(or(ge("lang", l, lvl), and(ge("lang", "en", 4), not(ge("tech", "billing", 3)))), 86400)})
		case 3:
			w.exprs = append(w.exprs, []Step{step(between("lang", l, 2, lvl+1), -1)})
		}
	}
	busyAgents := sc.agents - sc.freeAgents
	for i := range sc.agents {
		p := mustAgent(fmt.Sprintf("agent-%d", i), slots(Chat, 3, RouteAnyChannel))
		seen := map[string]bool{}
		if i < busyAgents {
			team := i % (sc.queues - sc.freeQueues)
			for j := range sc.queuesPerAgent {
				q := busyQueue(sc, team+j*7)
				if seen[q] {
					continue
				}
				seen[q] = true
				prio := 1 + j/3
				delay := 0
				if j == sc.queuesPerAgent-1 {
					delay = 30
				}
				serves(q, Voice, prio, delay)(&p)
				if j%2 == 0 {
					serves(q, Chat, prio, delay)(&p)
				}
			}
		} else {
			for j := range min(3, sc.freeQueues) {
				serves(freeQueue(sc, i+j), Voice, 1, 0)(&p)
				serves(freeQueue(sc, i+j), Chat, 1, 0)(&p)
			}
		}
		skill("lang", langs[i%4], float64(1+i%5))(&p)
		skill("tech", []string{"net", "billing"}[i%2], float64(1+(i/2)%5))(&p)
		if _, err := w.e.PutAgent(p, w.now); err != nil {
			b.Fatal(err)
		}
		if _, err := w.e.SetRoutable(p.ID, true, w.now); err != nil {
			b.Fatal(err)
		}
		if i < busyAgents {
			// Busy on a voice call, which (current channel only) blocks
			// everything else until the loop releases it.
			id := fmt.Sprintf("held-%d", i)
			if _, err := w.e.Hold(p.ID, id, Voice, w.now); err != nil {
				b.Fatal(err)
			}
			w.held = append(w.held, id)
		}
	}
	// Contacts are generated inside the measured span: what the engine
	// keeps counts, the generator's garbage is collected before "after".
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range sc.contacts {
		w.now = w.now.Add(time.Millisecond)
		r, err := w.e.Enqueue(w.contact(busyQueue(sc, w.r.IntN(sc.queues))), w.now)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Offers) != 0 {
			b.Fatalf("contact %d was offered while building: %+v", i, r.Offers)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	w.bytesPerContact = float64(after.HeapAlloc-before.HeapAlloc) / float64(sc.contacts)
	return w
}

// contact makes the next contact of the mix: 40% plain, 45% proficiency
// criteria from the pool, 10% preferred agents then anyone, 5% with a
// raised QueuePriority; 70% voice, 30% chat.
func (w *benchWorld) contact(queue string) ContactParams {
	w.next++
	p := mustContact(fmt.Sprintf("contact-%d", w.next), queue)
	if w.r.IntN(10) < 3 {
		p.Channel = Chat
	}
	switch k := w.r.IntN(20); {
	case k < 8:
	case k < 17:
		p.Criteria = w.exprs[w.r.IntN(len(w.exprs))]
	case k < 19:
		ids := []string{fmt.Sprintf("agent-%d", w.r.IntN(w.sc.agents)), fmt.Sprintf("agent-%d", w.r.IntN(w.sc.agents))}
		p.Criteria = []Step{step(match(ids...), 86400)}
	default:
		p.QueuePriority = 1
	}
	return p
}

// settle accepts every offer (the agent keeps the slot, to be released by
// a later iteration) and enqueues a replacement contact for each, accepting
// any offers those make in turn.
func (w *benchWorld) settle(b *testing.B, r Result) {
	pending := r.Offers
	for len(pending) > 0 {
		o := pending[0]
		pending = pending[1:]
		if _, err := w.e.Accept(o.ContactID, w.now); err != nil {
			b.Fatal(err)
		}
		w.held = append(w.held, o.ContactID)
		r, err := w.e.Enqueue(w.contact(busyQueue(w.sc, w.r.IntN(w.sc.queues))), w.now)
		if err != nil {
			b.Fatal(err)
		}
		pending = append(pending, r.Offers...)
	}
}

type latencies []time.Duration

// cpuMeter sums per-thread CPU time around timed calls.
type cpuMeter struct{ total, start time.Duration }

func (m *cpuMeter) begin() { m.start = threadCPU() }
func (m *cpuMeter) end()   { m.total += threadCPU() - m.start }

func (m *cpuMeter) report(b *testing.B) {
	if m.total > 0 {
		b.ReportMetric(float64(b.N)/m.total.Seconds(), "decisions/cpu-s")
	}
}

func (l latencies) report(b *testing.B) {
	b.Helper()
	var sum time.Duration
	for _, d := range l {
		sum += d
	}
	slices.Sort(l)
	b.ReportMetric(float64(l[len(l)*99/100].Nanoseconds()), "p99-ns")
	b.ReportMetric(float64(l[len(l)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(len(l))/sum.Seconds(), "decisions/s")
}

// BenchmarkAgentAvailable: a busy agent's contact leaves ACW (Release) and
// the engine picks its next contact among the waiting ones. Untimed: the
// offers are accepted (the agent stays busy) and as many new contacts are
// enqueued, so the waiting population stays constant.
func BenchmarkAgentAvailable(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			w := worldFor(b, "available", sc)
			lat := make(latencies, 0, b.N)
			var cpu cpuMeter
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			offers := 0
			b.ResetTimer()
			for range b.N {
				w.now = w.now.Add(time.Millisecond)
				i := w.r.IntN(len(w.held))
				id := w.held[i]
				cpu.begin()
				start := time.Now()
				r, err := w.e.Release(id, w.now)
				lat = append(lat, time.Since(start))
				cpu.end()
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				w.held[i] = w.held[len(w.held)-1]
				w.held = w.held[:len(w.held)-1]
				offers += len(r.Offers)
				w.settle(b, r)
				for len(w.held) == 0 {
					// Tiny worlds can run out of busy agents: start an
					// outbound call on one.
					w.next++
					id := fmt.Sprintf("out-%d", w.next)
					if _, err := w.e.Hold(fmt.Sprintf("agent-%d", w.r.IntN(sc.agents-sc.freeAgents)), id, Voice, w.now); err != nil {
						b.Fatal(err)
					}
					w.held = append(w.held, id)
				}
				b.StartTimer()
			}
			b.StopTimer()
			lat.report(b)
			cpu.report(b)
			b.ReportMetric(float64(offers)/float64(b.N), "offers/op")
			b.ReportMetric(w.bytesPerContact, "B/waiting-contact")
		})
	}
}

// BenchmarkContactEnqueued: a contact enters a queue with free agents and
// is offered at once. Untimed: the agent accepts and releases, so the free
// pool stays free; a contact nobody free matches is removed.
func BenchmarkContactEnqueued(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			w := worldFor(b, "enqueued", sc)
			lat := make(latencies, 0, b.N)
			var cpu cpuMeter
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			offers := 0
			b.ResetTimer()
			for range b.N {
				w.now = w.now.Add(time.Millisecond)
				p := w.contact(freeQueue(sc, w.r.IntN(sc.freeQueues)))
				cpu.begin()
				start := time.Now()
				r, err := w.e.Enqueue(p, w.now)
				lat = append(lat, time.Since(start))
				cpu.end()
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if len(r.Offers) == 0 {
					if _, err := w.e.Remove(p.ID, w.now); err != nil {
						b.Fatal(err)
					}
				}
				for _, o := range r.Offers {
					offers++
					if _, err := w.e.Accept(o.ContactID, w.now); err != nil {
						b.Fatal(err)
					}
					if _, err := w.e.Release(o.ContactID, w.now); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
			b.StopTimer()
			lat.report(b)
			cpu.report(b)
			b.ReportMetric(float64(offers)/float64(b.N), "offers/op")
			b.ReportMetric(w.bytesPerContact, "B/waiting-contact")
		})
	}
}

// BenchmarkEnqueueNoAgent: a contact enters a queue whose agents are all
// busy; the decision is "wait". Untimed: it is removed again.
func BenchmarkEnqueueNoAgent(b *testing.B) {
	for _, sc := range scales {
		b.Run(sc.name, func(b *testing.B) {
			w := worldFor(b, "noagent", sc)
			lat := make(latencies, 0, b.N)
			var cpu cpuMeter
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			for range b.N {
				w.now = w.now.Add(time.Millisecond)
				p := w.contact(busyQueue(sc, w.r.IntN(sc.queues)))
				cpu.begin()
				start := time.Now()
				_, err := w.e.Enqueue(p, w.now)
				lat = append(lat, time.Since(start))
				cpu.end()
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if _, err := w.e.Remove(p.ID, w.now); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.StopTimer()
			lat.report(b)
			cpu.report(b)
		})
	}
}
