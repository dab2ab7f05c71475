package routing

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// scenario is one named routing story: run drives the harness, want is every
// offer made, in order, as "contact>agent".
type scenario struct {
	name  string
	run   func(h *harness)
	want  []string
	steps []string // if non-nil, every step change as "contact#step:STATUS@s"
}

func runScenarios(t *testing.T, cases []scenario) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			tc.run(h)
			if got := h.decisions(); !slices.Equal(got, tc.want) {
				t.Errorf("offers = %q, want %q", got, tc.want)
			}
			if tc.steps != nil {
				if got := h.stepLog(); !slices.Equal(got, tc.steps) {
					t.Errorf("steps = %q, want %q", got, tc.steps)
				}
			}
			checkInvariants(t, h.e)
			checkSettled(t, h.e, h.now)
		})
	}
}

func TestQueueOrdering(t *testing.T) {
	t.Parallel()
	a1 := mustAgent("a1", serves("q", Voice, 1, 0))
	runScenarios(t, []scenario{
		{
			name: "oldest first",
			run: func(h *harness) {
				h.enqueue(mustContact("c1", "q"))
				h.advance(time.Second)
				h.enqueue(mustContact("c2", "q"))
				h.agent(a1)
			},
			want: []string{"c1>a1"},
		},
		{
			name: "lower QueuePriority beats age",
			run: func(h *harness) {
				h.enqueue(mustContact("c1", "q"))
				h.advance(time.Second)
				h.enqueue(mustContact("c2", "q", priority(1)))
				h.agent(a1)
			},
			want: []string{"c2>a1"},
		},
		{
			name: "age adjustment at enqueue reorders",
			run: func(h *harness) {
				h.enqueue(mustContact("c1", "q"))
				h.advance(10 * time.Second)
				h.enqueue(mustContact("c2", "q", adjusted(11)))
				h.agent(a1)
			},
			want: []string{"c2>a1"},
		},
		{
			name: "age adjustment too small keeps order",
			run: func(h *harness) {
				h.enqueue(mustContact("c1", "q"))
				h.advance(10 * time.Second)
				h.enqueue(mustContact("c2", "q", adjusted(9)))
				h.agent(a1)
			},
			want: []string{"c1>a1"},
		},
		{
			name: "UpdateContact age reorders, wait time unchanged",
			run: func(h *harness) {
				h.enqueue(mustContact("c1", "q"))
				h.advance(10 * time.Second)
				h.enqueue(mustContact("c2", "q"))
				adj := 30 * time.Second
				h.update("c2", ContactUpdate{QueueTimeAdjustment: &adj})
				x := h.explain("c2")
				if x.WaitTime != 0 || x.RoutingAge != 30*time.Second || x.Position != 1 {
					h.tb.Errorf("c2 wait=%s age=%s pos=%d, want 0s 30s 1", x.WaitTime, x.RoutingAge, x.Position)
				}
				h.agent(a1)
			},
			want: []string{"c2>a1"},
		},
		{
			name: "UpdateContact priority reorders",
			run: func(h *harness) {
				h.enqueue(mustContact("c1", "q"))
				h.enqueue(mustContact("c2", "q"))
				h.enqueue(mustContact("c3", "q"))
				p := int64(2)
				h.update("c3", ContactUpdate{QueuePriority: &p})
				h.agent(a1)
			},
			want: []string{"c3>a1"},
		},
		{
			name: "equal keys served in arrival order",
			run: func(h *harness) {
				h.enqueue(mustContact("c1", "q"))
				h.enqueue(mustContact("c2", "q"))
				h.agent(a1)
				h.accept("c1")
				h.release("c1")
			},
			want: []string{"c1>a1", "c2>a1"},
		},
	})
}

func TestProfilePriorityAndDelay(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{
			name: "higher profile priority dominates older contact",
			run: func(h *harness) {
				h.enqueue(mustContact("old", "low"))
				h.advance(time.Minute)
				h.enqueue(mustContact("new", "high", priority(9)))
				h.agent(mustAgent("a1", serves("low", Voice, 2, 0), serves("high", Voice, 1, 0)))
			},
			want: []string{"new>a1"},
		},
		{
			name: "equal profile priority compares across queues",
			run: func(h *harness) {
				h.enqueue(mustContact("old", "q1"))
				h.advance(time.Minute)
				h.enqueue(mustContact("new", "q2"))
				h.agent(mustAgent("a1", serves("q1", Voice, 1, 0), serves("q2", Voice, 1, 0)))
			},
			want: []string{"old>a1"},
		},
		{
			name: "contact within its delay does not block a lower priority",
			run: func(h *harness) {
				h.enqueue(mustContact("low", "q2"))
				h.enqueue(mustContact("high", "q1"))
				h.agent(mustAgent("a1", serves("q1", Voice, 1, 30), serves("q2", Voice, 2, 0)))
			},
			want: []string{"low>a1"},
		},
		{
			name: "delay elapsing offers at the exact second",
			run: func(h *harness) {
				h.agent(mustAgent("a1", serves("q", Voice, 1, 30)))
				h.enqueue(mustContact("c1", "q"))
				if !h.last.Wake.Equal(t0.Add(30 * time.Second)) {
					h.tb.Errorf("wake = %s, want +30s", h.last.Wake)
				}
				h.advance(29 * time.Second)
				if len(h.offers) != 0 {
					h.tb.Errorf("offered before the delay: %v", h.decisions())
				}
				h.advance(time.Second)
			},
			want: []string{"c1>a1"},
		},
		{
			name: "no-delay agent first, delayed agent after its delay",
			run: func(h *harness) {
				h.agent(mustAgent("late", serves("q", Voice, 1, 20)))
				h.advance(time.Second)
				h.agent(mustAgent("now", serves("q", Voice, 1, 0)))
				h.enqueue(mustContact("c1", "q"))
				h.enqueue(mustContact("c2", "q"))
				h.advance(19 * time.Second)
				h.advance(time.Second)
			},
			want: []string{"c1>now", "c2>late"},
		},
		{
			name: "delay is real time in queue, not adjusted age",
			run: func(h *harness) {
				h.agent(mustAgent("a1", serves("q", Voice, 1, 30)))
				h.enqueue(mustContact("c1", "q", adjusted(60)))
				h.advance(29 * time.Second)
				h.advance(time.Second)
			},
			want: []string{"c1>a1"},
		},
		{
			name: "profile change adding a delayed queue schedules waiting contacts",
			run: func(h *harness) {
				h.enqueue(mustContact("c1", "q"))
				h.agent(mustAgent("a1", serves("other", Voice, 1, 0)))
				h.advance(5 * time.Second)
				h.do(h.e.PutAgent(mustAgent("a1", serves("q", Voice, 1, 10)), h.now))
				h.advance(4 * time.Second)
				h.advance(time.Second)
			},
			want: []string{"c1>a1"},
		},
	})
}

func TestAgentSelection(t *testing.T) {
	t.Parallel()
	chatAgent := func(id string, n int) AgentParams {
		return mustAgent(id, serves("q", Chat, 1, 0), slots(Chat, n, RouteCurrentChannelOnly))
	}
	runScenarios(t, []scenario{
		{
			name: "longest idle wins",
			run: func(h *harness) {
				h.agent(mustAgent("b", serves("q", Voice, 1, 0)))
				h.advance(time.Second)
				h.agent(mustAgent("a", serves("q", Voice, 1, 0)))
				h.enqueue(mustContact("c1", "q"))
				h.enqueue(mustContact("c2", "q"))
			},
			want: []string{"c1>b", "c2>a"},
		},
		{
			name: "becoming routable again restarts idle time",
			run: func(h *harness) {
				h.agent(mustAgent("a", serves("q", Voice, 1, 0)))
				h.advance(time.Second)
				h.agent(mustAgent("b", serves("q", Voice, 1, 0)))
				h.advance(time.Second)
				h.routable("a", false)
				h.routable("a", true)
				h.enqueue(mustContact("c1", "q"))
			},
			want: []string{"c1>b"},
		},
		{
			name: "finished contact restarts idle time",
			run: func(h *harness) {
				h.agent(mustAgent("a", serves("q", Voice, 1, 0)))
				h.advance(time.Second)
				h.agent(mustAgent("b", serves("q", Voice, 1, 0)))
				h.enqueue(mustContact("c1", "q"))
				h.accept("c1")
				h.advance(time.Second)
				h.release("c1")
				h.enqueue(mustContact("c2", "q"))
			},
			want: []string{"c1>a", "c2>b"},
		},
		{
			name: "time since last inbound ignores status changes",
			run: func(h *harness) {
				h.agent(mustAgent("a", serves("q", Voice, 1, 0), inboundTimer()))
				h.advance(time.Second)
				h.agent(mustAgent("b", serves("q", Voice, 1, 0), inboundTimer()))
				h.advance(time.Second)
				h.routable("a", false)
				h.routable("a", true)
				h.enqueue(mustContact("c1", "q"))
			},
			want: []string{"c1>a"},
		},
		{
			name: "chat concurrency fills slots then waits for release",
			run: func(h *harness) {
				h.agent(chatAgent("a", 2))
				for _, id := range []string{"c1", "c2", "c3"} {
					h.enqueue(mustContact(id, "q", on(Chat)))
				}
				h.accept("c1")
				h.release("c1")
			},
			want: []string{"c1>a", "c2>a", "c3>a"},
		},
		{
			name: "offers rotate between chat agents",
			run: func(h *harness) {
				h.agent(chatAgent("a", 3))
				h.advance(time.Second)
				h.agent(chatAgent("b", 3))
				for _, id := range []string{"c1", "c2", "c3"} {
					h.advance(time.Second)
					h.enqueue(mustContact(id, "q", on(Chat)))
				}
			},
			want: []string{"c1>a", "c2>b", "c3>a"},
		},
		{
			name: "agent with several free slots takes several waiting contacts",
			run: func(h *harness) {
				for _, id := range []string{"c1", "c2", "c3"} {
					h.enqueue(mustContact(id, "q", on(Chat)))
				}
				h.agent(chatAgent("a", 2))
			},
			want: []string{"c1>a", "c2>a"},
		},
		{
			name: "channel absent from concurrency gets nothing",
			run: func(h *harness) {
				h.agent(mustAgent("a", serves("q", Chat, 1, 0)))
				h.enqueue(mustContact("c1", "q", on(Chat)))
			},
			want: []string{},
		},
	})
}

func TestCrossChannel(t *testing.T) {
	t.Parallel()
	multi := func(chat CrossChannel, voice CrossChannel) AgentParams {
		return mustAgent("a", serves("q", Voice, 1, 0), serves("q", Chat, 1, 0),
			slots(Voice, 1, voice), slots(Chat, 2, chat))
	}
	runScenarios(t, []scenario{
		{
			name: "current channel only: chat in hand blocks voice, allows chat",
			run: func(h *harness) {
				h.agent(multi(RouteCurrentChannelOnly, RouteCurrentChannelOnly))
				h.enqueue(mustContact("chat1", "q", on(Chat)))
				h.enqueue(mustContact("voice1", "q", on(Voice)))
				h.enqueue(mustContact("chat2", "q", on(Chat)))
			},
			want: []string{"chat1>a", "chat2>a"},
		},
		{
			name: "any channel: chat in hand allows voice, then voice blocks chat",
			run: func(h *harness) {
				h.agent(multi(RouteAnyChannel, RouteCurrentChannelOnly))
				h.enqueue(mustContact("chat1", "q", on(Chat)))
				h.enqueue(mustContact("voice1", "q", on(Voice)))
				h.enqueue(mustContact("chat2", "q", on(Chat)))
			},
			want: []string{"chat1>a", "voice1>a"},
		},
		{
			name: "idle agent may get any channel; releasing unblocks",
			run: func(h *harness) {
				h.agent(multi(RouteCurrentChannelOnly, RouteCurrentChannelOnly))
				h.enqueue(mustContact("voice1", "q", on(Voice)))
				h.enqueue(mustContact("chat1", "q", on(Chat)))
				h.accept("voice1")
				h.release("voice1")
			},
			want: []string{"voice1>a", "chat1>a"},
		},
		{
			name: "outbound hold blocks other channels",
			run: func(h *harness) {
				h.agent(multi(RouteAnyChannel, RouteCurrentChannelOnly))
				h.do(h.e.Hold("a", "out1", Voice, h.now))
				h.enqueue(mustContact("chat1", "q", on(Chat)))
				h.release("out1")
			},
			want: []string{"chat1>a"},
		},
	})
}

func TestCriteriaExpressions(t *testing.T) {
	t.Parallel()
	// Three agents, idle in order a, b, c, with these proficiencies.
	agents := func(h *harness) {
		h.agent(mustAgent("a", serves("q", Voice, 1, 0), skill("lang", "en", 2)))
		h.advance(time.Second)
		h.agent(mustAgent("b", serves("q", Voice, 1, 0), skill("lang", "en", 4), skill("tech", "net", 3)))
		h.advance(time.Second)
		h.agent(mustAgent("c", serves("q", Voice, 1, 0), skill("lang", "fr", 5), skill("tech", "net", 5)))
	}
	cases := []struct {
		name string
		x    Expression
		want string // agent, or "" for nobody
	}{
		{"greater or equal", ge("lang", "en", 3), "b"},
		{"greater or equal, lowest level", ge("lang", "en", 1), "a"},
		{"greater or equal, nobody", ge("lang", "en", 5), ""},
		{"range", between("tech", "net", 4, 5), "c"},
		{"range inclusive bounds", between("lang", "en", 2, 2), "a"},
		{"match", match("c", "b"), "b"},
		{"match unknown agent", match("ghost"), ""},
		{"not excludes", not(ge("lang", "en", 1)), "c"},
		{"and", and(ge("lang", "en", 1), ge("tech", "net", 1)), "b"},
		{"and with not", and(ge("tech", "net", 1), not(ge("lang", "en", 1))), "c"},
		{"or", or(ge("lang", "fr", 1), ge("lang", "en", 4)), "b"},
		{"or of ands", or(and(ge("lang", "en", 1), not(ge("tech", "net", 1))), ge("lang", "fr", 5)), "a"},
		{"and beside or", Expression{AndExpression: []Expression{ge("tech", "net", 1)}, OrExpression: []Expression{ge("lang", "fr", 1), ge("lang", "en", 2)}}, "b"},
		{"match inside and", and(match("a", "c"), ge("tech", "net", 1)), "c"},
		{"empty expression matches all", Expression{}, "a"},
	}
	var sc []scenario
	for _, tc := range cases {
		want := []string{}
		if tc.want != "" {
			want = []string{"c1>" + tc.want}
		}
		// Both directions: contact arrives to idle agents (contact side) and
		// agents arrive to a waiting contact (agent side).
		sc = append(sc, scenario{
			name: tc.name + "/contact arrives",
			run: func(h *harness) {
				agents(h)
				h.enqueue(mustContact("c1", "q", withSteps(step(tc.x, -1))))
			},
			want: want,
		}, scenario{
			name: tc.name + "/agents arrive",
			run: func(h *harness) {
				h.enqueue(mustContact("c1", "q", withSteps(step(tc.x, -1))))
				agents(h)
			},
			want: want,
		})
	}
	runScenarios(t, sc)
}

func TestCriteriaSteps(t *testing.T) {
	t.Parallel()
	novice := mustAgent("novice", serves("q", Voice, 1, 0), skill("lang", "en", 1))
	expert := mustAgent("expert", serves("q", Voice, 1, 0), skill("lang", "en", 5))
	twoSteps := withSteps(step(ge("lang", "en", 5), 10), step(ge("lang", "en", 3), 20))
	runScenarios(t, []scenario{
		{
			name: "expired step falls back to the next",
			run: func(h *harness) {
				h.agent(mustAgent("mid", serves("q", Voice, 1, 0), skill("lang", "en", 3)))
				h.enqueue(mustContact("c1", "q", twoSteps))
				h.advance(9 * time.Second)
				h.advance(time.Second)
			},
			want:  []string{"c1>mid"},
			steps: []string{"c1#0:ACTIVE@0", "c1#0:EXPIRED@10", "c1#1:ACTIVE@10"},
		},
		{
			name: "all steps expired: any agent of the queue",
			run: func(h *harness) {
				h.agent(novice)
				h.enqueue(mustContact("c1", "q", twoSteps))
				h.advance(29 * time.Second)
				h.advance(time.Second)
			},
			want:  []string{"c1>novice"},
			steps: []string{"c1#0:ACTIVE@0", "c1#0:EXPIRED@10", "c1#1:ACTIVE@10", "c1#1:EXPIRED@30"},
		},
		{
			name: "late wake-up reports expiries at their due times",
			run: func(h *harness) {
				h.agent(novice)
				h.enqueue(mustContact("c1", "q", twoSteps))
				h.advance(time.Hour)
			},
			want:  []string{"c1>novice"},
			steps: []string{"c1#0:ACTIVE@0", "c1#0:EXPIRED@10", "c1#1:ACTIVE@10", "c1#1:EXPIRED@30"},
		},
		{
			name: "step without expiry never falls back",
			run: func(h *harness) {
				h.agent(novice)
				h.enqueue(mustContact("c1", "q", withSteps(step(ge("lang", "en", 5), 10), step(ge("lang", "en", 4), -1))))
				h.advance(24 * time.Hour)
				if !h.last.Wake.IsZero() {
					h.tb.Errorf("wake = %s, want none", h.last.Wake)
				}
				h.agent(expert)
			},
			want:  []string{"c1>expert"},
			steps: []string{"c1#0:ACTIVE@0", "c1#0:EXPIRED@10", "c1#1:ACTIVE@10"},
		},
		{
			name: "accept marks the step JOINED",
			run: func(h *harness) {
				h.agent(expert)
				h.enqueue(mustContact("c1", "q", twoSteps))
				h.advance(time.Second)
				h.accept("c1")
			},
			want:  []string{"c1>expert"},
			steps: []string{"c1#0:ACTIVE@0", "c1#0:JOINED@1"},
		},
		{
			name: "step does not expire while offered; expiry reported on return",
			run: func(h *harness) {
				h.agent(expert)
				h.agent(mustAgent("mid", serves("q", Voice, 1, 0), skill("lang", "en", 3)))
				h.enqueue(mustContact("c1", "q", twoSteps))
				h.advance(15 * time.Second)
				h.reject("c1")
			},
			want:  []string{"c1>expert", "c1>mid"},
			steps: []string{"c1#0:ACTIVE@0", "c1#0:EXPIRED@10", "c1#1:ACTIVE@10"},
		},
		{
			name: "zero-second expiry falls back at once",
			run: func(h *harness) {
				h.agent(novice)
				h.enqueue(mustContact("c1", "q", withSteps(step(ge("lang", "en", 5), 0))))
			},
			want:  []string{"c1>novice"},
			steps: []string{"c1#0:ACTIVE@0", "c1#0:EXPIRED@0"},
		},
		{
			name: "new criteria activate now",
			run: func(h *harness) {
				h.agent(novice)
				h.enqueue(mustContact("c1", "q", withSteps(step(ge("lang", "en", 5), -1))))
				h.advance(5 * time.Second)
				s := []Step{step(ge("lang", "en", 1), -1)}
				h.update("c1", ContactUpdate{Criteria: &s})
			},
			want:  []string{"c1>novice"},
			steps: []string{"c1#0:ACTIVE@0", "c1#0:ACTIVE@5"},
		},
		{
			name: "preferred agent, then anyone",
			run: func(h *harness) {
				h.agent(novice)
				h.offline(expert)
				h.enqueue(mustContact("c1", "q", withSteps(step(match("expert"), 20))))
				h.advance(10 * time.Second)
				h.routable("expert", true)
			},
			want: []string{"c1>expert"},
		},
	})
}

func TestAgentQueue(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{
			name: "agent-queue contact outranks older standard contacts",
			run: func(h *harness) {
				h.enqueue(mustContact("std", "q", priority(1)))
				h.advance(time.Minute)
				h.enqueue(mustContact("mine", "agent-a", toAgent("a")))
				h.agent(mustAgent("a", serves("q", Voice, 1, 0)))
			},
			want: []string{"mine>a"},
		},
		{
			name: "agent-queue contact ignores criteria and delay",
			run: func(h *harness) {
				h.agent(mustAgent("a", serves("q", Voice, 1, 60)))
				h.enqueue(mustContact("mine", "agent-a", toAgent("a"), withSteps(step(ge("x", "y", 5), -1))))
			},
			want:  []string{"mine>a"},
			steps: []string{},
		},
		{
			name: "only the target agent gets it",
			run: func(h *harness) {
				h.agent(mustAgent("b"))
				h.enqueue(mustContact("mine", "agent-a", toAgent("a")))
				h.advance(time.Second)
				h.agent(mustAgent("a"))
			},
			want: []string{"mine>a"},
		},
	})
}

func TestOfferOutcomes(t *testing.T) {
	t.Parallel()
	a := mustAgent("a", serves("q", Voice, 1, 0))
	b := mustAgent("b", serves("q", Voice, 1, 0))
	runScenarios(t, []scenario{
		{
			name: "reject returns the contact to its position and parks the agent",
			run: func(h *harness) {
				h.agent(a)
				h.enqueue(mustContact("c1", "q"))
				h.advance(time.Second)
				h.enqueue(mustContact("c2", "q"))
				h.reject("c1")
				if x := h.explain("c1"); x.Position != 1 || !x.EnqueuedAt.Equal(t0) || x.Agents[0].Routable {
					h.tb.Errorf("after reject: %+v", x)
				}
				h.agent(b)
			},
			want: []string{"c1>a", "c1>b"},
		},
		{
			name: "timeout goes to another available agent at once",
			run: func(h *harness) {
				h.agent(a)
				h.advance(time.Second)
				h.agent(b)
				h.enqueue(mustContact("c1", "q"))
				h.advance(20 * time.Second)
				h.reject("c1")
			},
			want: []string{"c1>a", "c1>b"},
		},
		{
			name: "rejecting agent gets it back once routable and alone",
			run: func(h *harness) {
				h.agent(a)
				h.enqueue(mustContact("c1", "q"))
				h.reject("c1")
				h.routable("a", true)
			},
			want: []string{"c1>a", "c1>a"},
		},
		{
			name: "remove waiting contact",
			run: func(h *harness) {
				h.enqueue(mustContact("c1", "q"))
				h.enqueue(mustContact("c2", "q"))
				h.remove("c1")
				h.agent(a)
			},
			want: []string{"c2>a"},
		},
		{
			name: "remove offered contact frees the slot for the next",
			run: func(h *harness) {
				h.agent(a)
				h.enqueue(mustContact("c1", "q"))
				h.enqueue(mustContact("c2", "q"))
				h.remove("c1")
			},
			want: []string{"c1>a", "c2>a"},
		},
		{
			name: "removing an agent withdraws its offer",
			run: func(h *harness) {
				h.agent(a)
				h.agent(b)
				h.routable("b", false)
				h.enqueue(mustContact("c1", "q"))
				h.routable("b", true)
				h.do(h.e.RemoveAgent("a", h.now))
				if len(h.wd) != 1 || h.wd[0].ContactID != "c1" {
					h.tb.Errorf("withdrawn = %+v", h.wd)
				}
			},
			want: []string{"c1>a", "c1>b"},
		},
	})
}

// TestOfferTo: AssociateContactWithUser's offers go to the chosen agent
// whatever the agent's status, queues and slots, and end as any offer.
func TestOfferTo(t *testing.T) {
	t.Parallel()
	a := mustAgent("a", serves("q", Voice, 1, 0))
	x := mustAgent("x") // offline, serves no queue
	offerTo := func(h *harness, contact, agent string) {
		h.tb.Helper()
		h.do(h.e.OfferTo(contact, agent, h.now))
	}
	runScenarios(t, []scenario{
		{
			name: "to an offline agent of no queue at full concurrency",
			run: func(h *harness) {
				h.offline(x)
				h.do(h.e.Hold("x", "out", Voice, h.now))
				h.enqueue(mustContact("c1", "q"))
				offerTo(h, "c1", "x")
				if o := h.offers[0]; o.Step != -1 || o.QueueID != "q" {
					h.tb.Errorf("forced offer = %+v", o)
				}
				h.accept("c1")
			},
			want: []string{"c1>x"},
		},
		{
			name: "taken from the agent it was offered to, who gets the next",
			run: func(h *harness) {
				h.agent(a)
				h.offline(x)
				h.enqueue(mustContact("c1", "q"))
				h.enqueue(mustContact("c2", "q"))
				offerTo(h, "c1", "x")
				if len(h.wd) != 1 || h.wd[0].ContactID != "c1" || h.wd[0].AgentID != "a" {
					h.tb.Errorf("withdrawn = %+v", h.wd)
				}
				offerTo(h, "c1", "x") // already theirs: nothing happens
			},
			want: []string{"c1>a", "c1>x", "c2>a"},
		},
		{
			name: "rejected, it goes back to its queue",
			run: func(h *harness) {
				h.offline(x)
				h.enqueue(mustContact("c1", "q"))
				offerTo(h, "c1", "x")
				h.reject("c1")
				h.agent(a)
			},
			want: []string{"c1>x", "c1>a"},
		},
	})
	h := newHarness(t)
	h.offline(x)
	if _, err := h.e.OfferTo("nope", "x", h.now); !errors.Is(err, ErrUnknownContact) {
		t.Errorf("unknown contact: %v", err)
	}
	h.enqueue(mustContact("c1", "q"))
	if _, err := h.e.OfferTo("c1", "nobody", h.now); !errors.Is(err, ErrUnknownAgent) {
		t.Errorf("unknown agent: %v", err)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.agent(mustAgent("a", serves("q", Voice, 1, 0)))
	h.enqueue(mustContact("c1", "q"))
	h.enqueue(mustContact("c2", "q"))
	s := []Step{}
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"duplicate contact", second(h.e.Enqueue(mustContact("c1", "q"), h.now)), ErrDuplicate},
		{"unknown agent", second(h.e.SetRoutable("zz", true, h.now)), ErrUnknownAgent},
		{"unknown contact", second(h.e.Accept("zz", h.now)), ErrUnknownContact},
		{"accept waiting contact", second(h.e.Accept("c2", h.now)), ErrNotOffered},
		{"criteria on offered contact", second(h.e.UpdateContact("c1", ContactUpdate{Criteria: &s}, h.now)), ErrOffered},
		{"release unheld contact", second(h.e.Release("c1", h.now)), ErrUnknownContact},
		{"queue listed twice", second(h.e.PutAgent(mustAgent("x", serves("q", Voice, 1, 0), serves("q", Voice, 2, 0)), h.now)), ErrInvalid},
		{"contact without queue", second(h.e.Enqueue(ContactParams{ID: "x"}, h.now)), ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !errors.Is(tc.err, tc.want) {
				t.Errorf("err = %v, want %v", tc.err, tc.want)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

func TestQueueStats(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.agent(mustAgent("a", serves("q", Voice, 1, 0), serves("q", Chat, 1, 0)))
	h.enqueue(mustContact("c1", "q"))
	h.advance(time.Second)
	h.enqueue(mustContact("c2", "q"))
	h.enqueue(mustContact("c3", "q", on(Chat)))
	got := h.e.QueueStats("q")
	want := []ChannelStats{
		{Channel: Voice, Waiting: 1, Offered: 1, OldestEnqueuedAt: t0, Agents: 1},
		{Channel: Chat, Waiting: 1, OldestEnqueuedAt: t0.Add(time.Second), Agents: 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("stats = %+v\nwant %+v", got, want)
	}
	h.accept("c1")
	if got := h.e.QueueStats("q")[0]; got.Offered != 0 || !got.OldestEnqueuedAt.Equal(t0.Add(time.Second)) {
		t.Errorf("after accept: %+v", got)
	}
}
