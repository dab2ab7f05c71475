package center_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestConcurrentRoutingStress runs, under the race detector, goroutines
// that start and stop tasks while agents log in, change status, accept,
// reject, end and complete, and another that moves the virtual clock so
// offers time out. It checks as it goes that no contact is accepted by two
// agents and no agent holds more than its slots, then drains everything and
// checks that every contact ended in one consistent state.
func TestConcurrentRoutingStress(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const agents, starters, perStarter = 6, 4, 12
	names := make([]string, agents)
	ids := make([]string, agents)
	for i := range names {
		names[i] = fmt.Sprintf("agent%d", i)
		ids[i] = w.user(names[i])
	}

	var (
		mu       sync.Mutex
		accepted = map[string]string{} // contact → agent whose accept succeeded
		started  []string
		stopped  = map[string]bool{}
	)
	// checkSlots flags an agent holding more than its slots on a channel.
	checkSlots := func(who string, s agentapi.AgentSnapshot) {
		held := map[string]int{}
		for _, c := range s.Contacts {
			switch c.State {
			case agentapi.StateConnecting, agentapi.StateConnected, agentapi.StateEnded:
				held[c.Channel]++
			}
		}
		for _, sl := range s.Slots {
			if sl.Used > sl.Max || held[sl.Channel] > sl.Max {
				t.Errorf("%s holds %d %s contacts (slots say %d used) of %d", who, held[sl.Channel], sl.Channel, sl.Used, sl.Max)
			}
		}
	}
	// post calls an agent action and tells whether it succeeded; 404 and
	// 409 are normal races (the contact moved on meanwhile).
	post := func(token, contact, action string) bool {
		code, out := w.agentAPI("POST", "/agent/v1/instances/"+w.iid+"/contacts/"+contact+"/"+action, token, nil)
		switch code {
		case 204:
			return true
		case 404, 409:
			return false
		}
		t.Errorf("%s %s: %d %v", action, contact, code, out)
		return false
	}

	var wg sync.WaitGroup
	done := make(chan struct{})
	for s := range starters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perStarter {
				name := fmt.Sprintf("s%d-%d", s, i)
				out, err := w.Client.StartTaskContact(sbtest.Ctx(t), &connect.StartTaskContactInput{InstanceId: &w.iid, ContactFlowId: &w.flow, Name: &name})
				if err != nil {
					t.Errorf("start %s: %v", name, err)
					return
				}
				mu.Lock()
				started = append(started, *out.ContactId)
				mu.Unlock()
				if i%5 == 4 {
					// Stop some tasks in whatever state they are.
					if _, err := w.Client.StopContact(sbtest.Ctx(t), &connect.StopContactInput{InstanceId: &w.iid, ContactId: out.ContactId}); err == nil {
						mu.Lock()
						stopped[*out.ContactId] = true
						mu.Unlock()
					}
				}
			}
		}()
	}
	var agentWG sync.WaitGroup
	for i := range agents {
		agentWG.Add(1)
		go func() {
			defer agentWG.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			token := w.login(names[i])
			for round := 0; ; round++ {
				select {
				case <-done:
					return
				default:
				}
				if rng.IntN(6) == 0 {
					st := w.available
					if rng.IntN(3) == 0 {
						st = w.offline
					}
					w.agentStatus(token, st)
				}
				s := w.snapshot(token)
				checkSlots(names[i], s)
				for _, c := range s.Contacts {
					switch c.State {
					case agentapi.StateConnecting:
						if rng.IntN(4) == 0 {
							post(token, c.ContactID, "reject")
						} else if post(token, c.ContactID, "accept") {
							mu.Lock()
							if prev, ok := accepted[c.ContactID]; ok {
								t.Errorf("contact %s accepted by %s and by %s", c.ContactID, prev, names[i])
							}
							accepted[c.ContactID] = ids[i]
							mu.Unlock()
						}
					case agentapi.StateConnected:
						post(token, c.ContactID, "end")
					default:
						post(token, c.ContactID, "complete")
					}
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 40 {
			w.Clock.Advance(3 * time.Second)
			runtime.Gosched() // let the others interleave; correctness does not depend on it
		}
	}()
	wg.Wait()
	close(done)
	agentWG.Wait()

	// Drain: every agent available, taking and finishing whatever comes.
	tokens := make([]string, agents)
	for i := range tokens {
		tokens[i] = w.login(names[i])
	}
	for round := 0; ; round++ {
		if round == 100 {
			t.Fatalf("contacts still held or waiting after %d drain rounds", round)
		}
		busy := false
		for i, token := range tokens {
			w.agentStatus(token, w.available)
			s := w.snapshot(token)
			checkSlots(names[i], s)
			for _, c := range s.Contacts {
				busy = true
				switch c.State {
				case agentapi.StateConnecting:
					if post(token, c.ContactID, "accept") {
						mu.Lock()
						if prev, ok := accepted[c.ContactID]; ok {
							t.Errorf("contact %s accepted by %s and by %s", c.ContactID, prev, names[i])
						}
						accepted[c.ContactID] = ids[i]
						mu.Unlock()
					}
				case agentapi.StateConnected:
					post(token, c.ContactID, "end")
				default:
					post(token, c.ContactID, "complete")
				}
			}
		}
		if !busy {
			waiting := 0
			for _, id := range started {
				if c := w.describe(id); c.DisconnectTimestamp == nil {
					waiting++
				}
			}
			if waiting == 0 {
				break
			}
		}
	}

	if len(started) != starters*perStarter {
		t.Fatalf("started %d tasks, want %d", len(started), starters*perStarter)
	}
	for _, id := range started {
		c, err := w.Service.DescribeContact(sbtest.Ctx(t), w.iid, id)
		must(t, err)
		switch {
		case !c.Ended():
			t.Errorf("contact %s not ended: %s", id, c.State)
		case c.AgentID != "" && accepted[id] != c.AgentID:
			t.Errorf("contact %s connected to %s but accepted by %q", id, c.AgentID, accepted[id])
		case c.AgentID != "" && c.AfterContactWorkEnd.IsZero():
			t.Errorf("contact %s of %s never left after-contact work", id, c.AgentID)
		case c.AgentID == "" && !stopped[id]:
			t.Errorf("contact %s ended without an agent and was not stopped (reason %q)", id, c.DisconnectReason)
		case c.AgentID == "" && accepted[id] != "":
			t.Errorf("contact %s accepted by %s but has no agent", id, accepted[id])
		}
	}
	for i, token := range tokens {
		s := w.snapshot(token)
		if len(s.Contacts) != 0 {
			t.Errorf("%s still holds %+v", names[i], s.Contacts)
		}
		for _, sl := range s.Slots {
			if sl.Used != 0 {
				t.Errorf("%s has %d %s slots used after the drain", names[i], sl.Used, sl.Channel)
			}
		}
	}
}
