package routing

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// world generates random but small routing worlds so that every kind of
// interaction (delays, criteria, cross-channel, agent queues) happens often.
type world struct {
	r      *rand.Rand
	agents []string
	queues []string
	exprs  []Expression
}

func newWorld(seed uint64) *world {
	w := &world{r: rand.New(rand.NewPCG(seed, 7))}
	for i := range 6 {
		w.agents = append(w.agents, fmt.Sprintf("a%d", i))
	}
	w.queues = []string{"q0", "q1", "q2"}
	w.exprs = []Expression{
		ge("lang", "en", 3),
		between("lang", "en", 1, 2),
		match("a1", "a4"),
		not(ge("lang", "fr", 1)),
		and(ge("lang", "en", 1), ge("tech", "x", 2)),
		or(ge("lang", "fr", 4), and(match("a2"), ge("lang", "en", 1))),
	}
	return w
}

func (w *world) agentParams(id string) AgentParams {
	p := mustAgent(id)
	for _, q := range w.queues {
		for _, ch := range []Channel{Voice, Chat} {
			if w.r.IntN(3) > 0 {
				serves(q, ch, 1+w.r.IntN(3), []int{0, 0, 5, 10}[w.r.IntN(4)])(&p)
			}
		}
	}
	slots(Chat, w.r.IntN(4), CrossChannel(w.r.IntN(2)))(&p)
	slots(Voice, w.r.IntN(2), CrossChannel(w.r.IntN(2)))(&p)
	if w.r.IntN(2) == 0 {
		skill("lang", "en", float64(1+w.r.IntN(5)))(&p)
	}
	if w.r.IntN(3) == 0 {
		skill("lang", "fr", float64(1+w.r.IntN(5)))(&p)
	}
	if w.r.IntN(2) == 0 {
		skill("tech", "x", float64(1+w.r.IntN(5)))(&p)
	}
	p.AvailabilityTimer = AvailabilityTimer(w.r.IntN(2))
	return p
}

func (w *world) contactParams(id string) ContactParams {
	p := mustContact(id, w.queues[w.r.IntN(len(w.queues))], on([]Channel{Voice, Chat}[w.r.IntN(2)]))
	p.QueuePriority = int64(w.r.IntN(3))
	p.QueueTimeAdjustment = time.Duration(w.r.IntN(21)-10) * time.Second
	switch w.r.IntN(4) {
	case 0:
		p.AgentID = w.agents[w.r.IntN(len(w.agents))]
		p.QueueID = "agent-" + p.AgentID
	case 1, 2:
		for range 1 + w.r.IntN(3) {
			p.Criteria = append(p.Criteria, step(w.exprs[w.r.IntN(len(w.exprs))], []int{-1, 0, 3, 8}[w.r.IntN(4)]))
		}
	}
	return p
}

// model is the test's own bookkeeping of offers and slots, checked against
// every Result the engine returns.
type model struct {
	tb      testing.TB
	conc    map[string][NumChannels]Concurrency
	offered map[string]string // contact → agent
	chOf    map[string]Channel
	held    map[string]string // accepted contact → agent
	waiting map[string]bool
}

func (m *model) apply(r Result) {
	m.tb.Helper()
	for _, o := range r.Withdrawn {
		delete(m.offered, o.ContactID)
		m.waiting[o.ContactID] = true
	}
	for _, o := range r.Offers {
		if prev, ok := m.offered[o.ContactID]; ok {
			m.tb.Fatalf("contact %s offered to %s while still offered to %s", o.ContactID, o.AgentID, prev)
		}
		if !m.waiting[o.ContactID] {
			m.tb.Fatalf("contact %s offered but not waiting", o.ContactID)
		}
		delete(m.waiting, o.ContactID)
		m.offered[o.ContactID] = o.AgentID
		if n := m.used(o.AgentID, o.Channel); n > m.conc[o.AgentID][o.Channel].Slots {
			m.tb.Fatalf("agent %s holds %d %s contacts with %d slots", o.AgentID, n, o.Channel, m.conc[o.AgentID][o.Channel].Slots)
		}
	}
}

func (m *model) used(agent string, ch Channel) int {
	n := 0
	for c, a := range m.offered {
		if a == agent && m.chOf[c] == ch {
			n++
		}
	}
	for c, a := range m.held {
		if a == agent && m.chOf[c] == ch {
			n++
		}
	}
	return n
}

func pick[K comparable, V any](r *rand.Rand, m map[K]V) (K, bool) {
	var zero K
	if len(m) == 0 {
		return zero, false
	}
	i := r.IntN(len(m))
	for k := range m {
		if i == 0 {
			return k, true
		}
		i--
	}
	return zero, false
}

// TestPropertyRandomOperations runs random operation sequences and checks,
// after every step, that no contact is offered twice, no agent exceeds its
// slots, the indexes agree with the primary state, and the engine is settled
// (no waiting contact has an eligible agent, per Explain).
func TestPropertyRandomOperations(t *testing.T) {
	t.Parallel()
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			w := newWorld(uint64(seed))
			e, now := New(), t0
			m := &model{tb: t, conc: map[string][NumChannels]Concurrency{}, offered: map[string]string{},
				chOf: map[string]Channel{}, held: map[string]string{}, waiting: map[string]bool{}}
			live := map[string]bool{}
			must := func(r Result, err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
				m.apply(r)
			}
			next := 0
			for op := range 400 {
				switch k := w.r.IntN(12); {
				case k < 3:
					next++
					p := w.contactParams(fmt.Sprint("c", next))
					m.chOf[p.ID] = p.Channel
					m.waiting[p.ID] = true
					must(e.Enqueue(p, now))
				case k == 3:
					now = now.Add(time.Duration(w.r.IntN(8)) * time.Second)
					must(e.Advance(now), nil)
				case k == 4:
					id := w.agents[w.r.IntN(len(w.agents))]
					p := w.agentParams(id)
					if r, err := e.PutAgent(p, now); err == nil {
						m.conc[id] = p.Concurrency
						live[id] = true
						m.apply(r)
					}
				case k == 5:
					if id, ok := pick(w.r, live); ok {
						must(e.SetRoutable(id, w.r.IntN(3) > 0, now))
					}
				case k == 6:
					if c, ok := pick(w.r, m.offered); ok {
						m.held[c] = m.offered[c]
						delete(m.offered, c)
						must(e.Accept(c, now))
					}
				case k == 7:
					if c, ok := pick(w.r, m.offered); ok {
						delete(m.offered, c)
						m.waiting[c] = true
						must(e.Reject(c, now))
					}
				case k == 8:
					if c, ok := pick(w.r, m.held); ok {
						delete(m.held, c)
						must(e.Release(c, now))
					}
				case k == 9:
					c, ok := pick(w.r, m.waiting)
					if !ok {
						c, ok = pick(w.r, m.offered)
					}
					if ok {
						delete(m.waiting, c)
						delete(m.offered, c)
						must(e.Remove(c, now))
					}
				case k == 10:
					if c, ok := pick(w.r, m.waiting); ok {
						p := int64(w.r.IntN(4))
						adj := time.Duration(w.r.IntN(30)) * time.Second
						must(e.UpdateContact(c, ContactUpdate{QueuePriority: &p, QueueTimeAdjustment: &adj}, now))
					}
				case k == 11:
					if id, ok := pick(w.r, live); ok && w.r.IntN(4) == 0 {
						delete(live, id)
						for c, a := range m.held {
							if a == id {
								delete(m.held, c)
							}
						}
						must(e.RemoveAgent(id, now))
					}
				}
				checkInvariants(t, e)
				checkSettled(t, e, now)
				_ = op
			}
		})
	}
}

// TestConcurrentCallers hammers one engine from several goroutines (run with
// -race). Callers race each other, so Accept/Reject may find an offer
// already gone; those errors are expected. Offer uniqueness is checked step
// by step by TestPropertyRandomOperations; here the slot and offer
// invariants and settledness must hold once the dust settles.
func TestConcurrentCallers(t *testing.T) {
	t.Parallel()
	e := New()
	w := newWorld(99)
	for _, id := range w.agents {
		p := w.agentParams(id)
		p.Concurrency[Chat] = Concurrency{Slots: 3, CrossChannel: RouteAnyChannel}
		p.Concurrency[Voice] = Concurrency{Slots: 1}
		if _, err := e.PutAgent(p, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := e.SetRoutable(id, true, t0); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu      sync.Mutex
		offered = map[string]bool{}
		held    = map[string]bool{}
	)
	// note records offers so callers can pick contacts to accept or reject.
	note := func(r Result) {
		mu.Lock()
		defer mu.Unlock()
		for _, o := range r.Withdrawn {
			delete(offered, o.ContactID)
		}
		for _, o := range r.Offers {
			offered[o.ContactID] = true
		}
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorld(uint64(g)) // the generator is not goroutine-safe
			r := w.r
			now := t0
			for i := range 500 {
				now = now.Add(time.Duration(r.IntN(3)) * time.Second)
				switch r.IntN(5) {
				case 0, 1:
					p := w.contactParams(fmt.Sprintf("g%d-%d", g, i))
					res, err := e.Enqueue(p, now)
					if err == nil {
						note(res)
					}
				case 2:
					mu.Lock()
					c, ok := pick(r, offered)
					if ok {
						delete(offered, c)
						held[c] = true
					}
					mu.Unlock()
					if ok {
						if res, err := e.Accept(c, now); err == nil {
							note(res)
						}
					}
				case 3:
					mu.Lock()
					c, ok := pick(r, offered)
					if ok {
						delete(offered, c)
					}
					mu.Unlock()
					if ok {
						if res, err := e.Reject(c, now); err == nil {
							note(res)
						} else if !errors.Is(err, ErrNotOffered) && !errors.Is(err, ErrUnknownContact) {
							t.Error(err)
						}
						res, _ := e.SetRoutable(w.agents[r.IntN(len(w.agents))], true, now)
						note(res)
					}
				case 4:
					mu.Lock()
					c, ok := pick(r, held)
					delete(held, c)
					mu.Unlock()
					if ok {
						if res, err := e.Release(c, now); err == nil {
							note(res)
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	checkInvariants(t, e)
	e.mu.Lock()
	now := toTime(e.now)
	e.mu.Unlock()
	checkSettled(t, e, now)
}
