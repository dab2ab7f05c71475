package events_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/events"
)

// contactEvent returns a minimal contact event; id doubles as a sequence
// number in ordering tests.
func contactEvent(id, eventType, channel, instanceARN string) *events.ContactEvent {
	return events.NewContactEvent(id, testAccount, "us-east-1", t0, events.ContactDetail{
		EventType: eventType, ContactID: "c-" + id, Channel: channel, InstanceARN: instanceARN, InitiationMethod: "API",
	})
}

// agentEvent returns an agent event whose current snapshot holds contacts
// on the given channels.
func agentEvent(id, eventType, instanceARN string, channels ...string) *events.AgentEvent {
	e := events.NewAgentEvent(id, eventType, testAccount, instanceARN, instanceARN+"/agent/u", t0)
	e.CurrentAgentSnapshot = &events.AgentSnapshot{}
	for _, c := range channels {
		e.CurrentAgentSnapshot.Contacts = append(e.CurrentAgentSnapshot.Contacts, events.AgentContact{Channel: c, ContactID: "c-" + c})
	}
	return e
}

// drain returns the ids buffered in s without blocking.
func drain(s *events.Subscription) []string {
	var ids []string
	for {
		select {
		case e, ok := <-s.C():
			if !ok {
				return ids
			}
			ids = append(ids, e.Meta().ID)
		default:
			return ids
		}
	}
}

const otherInstance = "arn:aws:connect:us-east-1:111122223333:instance/other"

func TestBusFanOut(t *testing.T) {
	t.Parallel()
	bus := events.NewBus()
	a := bus.Subscribe(events.Filter{}, events.SubscribeOpts{Name: "a"})
	b := bus.Subscribe(events.Filter{}, events.SubscribeOpts{Name: "b"})
	bus.Publish(contactEvent("1", events.ContactQueued, "VOICE", testInstance))
	bus.Publish(agentEvent("2", events.AgentLogin, testInstance))
	for _, s := range []*events.Subscription{a, b} {
		if got := fmt.Sprint(drain(s)); got != "[1 2]" {
			t.Errorf("%s got %s, want [1 2]", s.Stats().Name, got)
		}
	}
	if st := bus.Stats(); st.Published != 2 || len(st.Subscriptions) != 2 {
		t.Errorf("bus stats = %+v", st)
	}
}

func TestBusFilter(t *testing.T) {
	t.Parallel()
	all := []events.Event{
		contactEvent("queued-voice", events.ContactQueued, "VOICE", testInstance),
		contactEvent("queued-chat", events.ContactQueued, "CHAT", testInstance),
		contactEvent("connected-chat", events.ContactConnectedToAgent, "CHAT", testInstance),
		contactEvent("queued-other", events.ContactQueued, "VOICE", otherInstance),
		agentEvent("login", events.AgentLogin, testInstance),
		agentEvent("state-chat", events.AgentStateChange, testInstance, "CHAT"),
		agentEvent("state-other", events.AgentStateChange, otherInstance, "VOICE"),
	}
	for _, tc := range []struct {
		name   string
		filter events.Filter
		want   string
	}{
		{"empty matches all", events.Filter{}, "[queued-voice queued-chat connected-chat queued-other login state-chat state-other]"},
		{"contact kind", events.Filter{Kinds: []events.Kind{events.KindContact}}, "[queued-voice queued-chat connected-chat queued-other]"},
		{"agent kind", events.Filter{Kinds: []events.Kind{events.KindAgent}}, "[login state-chat state-other]"},
		{"types across kinds", events.Filter{Types: []string{events.ContactConnectedToAgent, events.AgentLogin}}, "[connected-chat login]"},
		{"instance by id", events.Filter{Instances: []string{"aaaaaaaa-bbbb-cccc-dddd-111111111111"}}, "[queued-voice queued-chat connected-chat login state-chat]"},
		{"instance by ARN", events.Filter{Instances: []string{otherInstance}}, "[queued-other state-other]"},
		{"channel covers agent contacts", events.Filter{Channels: []string{"CHAT"}}, "[queued-chat connected-chat state-chat]"},
		{"all lists ANDed", events.Filter{Kinds: []events.Kind{events.KindContact}, Types: []string{events.ContactQueued}, Channels: []string{"VOICE"}, Instances: []string{testInstance}}, "[queued-voice]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bus := events.NewBus()
			s := bus.Subscribe(tc.filter, events.SubscribeOpts{})
			for _, e := range all {
				bus.Publish(e)
			}
			if got := fmt.Sprint(drain(s)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestSlowSubscriberDoesNotBlock: a subscriber that never reads must cost
// publishers nothing but its own drops (guideline 28).
func TestSlowSubscriberDoesNotBlock(t *testing.T) {
	t.Parallel()
	bus := events.NewBus()
	stuck := bus.Subscribe(events.Filter{}, events.SubscribeOpts{Name: "stuck", Buffer: 4})
	live := bus.Subscribe(events.Filter{}, events.SubscribeOpts{Name: "live", Buffer: 1000})

	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 1000 {
			bus.Publish(contactEvent(fmt.Sprint(i), events.ContactQueued, "VOICE", testInstance))
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second): // a guard against hanging, not a wait
		t.Fatal("Publish blocked on a subscriber that never reads")
	}
	if st := stuck.Stats(); st.Published != 1000 || st.Delivered != 4 || st.Dropped != 996 || st.Buffered != 4 {
		t.Errorf("stuck stats = %+v, want 1000 published, 4 delivered, 996 dropped", st)
	}
	if st := live.Stats(); st.Dropped != 0 || st.Delivered != 1000 {
		t.Errorf("live stats = %+v", st)
	}
	// The stuck subscriber kept the oldest events: drops take the newest, so
	// what it does get is still in order.
	if got := fmt.Sprint(drain(stuck)); got != "[0 1 2 3]" {
		t.Errorf("stuck got %s", got)
	}
}

func TestOrderingPerSubscriber(t *testing.T) {
	t.Parallel()
	bus := events.NewBus()
	const n = 2000
	a := bus.Subscribe(events.Filter{}, events.SubscribeOpts{Buffer: 2 * n})
	b := bus.Subscribe(events.Filter{}, events.SubscribeOpts{Buffer: 2 * n})

	// Two concurrent publishers: each one's events arrive in its order, and
	// both subscribers see the same interleaving.
	var wg sync.WaitGroup
	for _, p := range []string{"x", "y"} {
		wg.Go(func() {
			for i := range n {
				bus.Publish(contactEvent(fmt.Sprintf("%s%d", p, i), events.ContactQueued, "VOICE", testInstance))
			}
		})
	}
	wg.Wait()
	ga, gb := drain(a), drain(b)
	if fmt.Sprint(ga) != fmt.Sprint(gb) {
		t.Fatal("subscribers saw different orders")
	}
	next := map[byte]int{}
	for _, id := range ga {
		var i int
		fmt.Sscanf(id[1:], "%d", &i)
		if i != next[id[0]] {
			t.Fatalf("publisher %c: got event %d, want %d", id[0], i, next[id[0]])
		}
		next[id[0]]++
	}
	if next['x'] != n || next['y'] != n {
		t.Errorf("got %v events per publisher, want %d each", next, n)
	}
}

func TestSubscriptionCloseDuringPublish(t *testing.T) {
	t.Parallel()
	bus := events.NewBus()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				bus.Publish(agentEvent(fmt.Sprint(i), events.AgentHeartBeat, testInstance))
			}
		}
	})
	for range 200 {
		s := bus.Subscribe(events.Filter{}, events.SubscribeOpts{Buffer: 1})
		s.Close()
		s.Close() // idempotent
		for range s.C() {
		} // closed: ends after what was buffered
	}
	close(stop)
	wg.Wait()
	if n := len(bus.Stats().Subscriptions); n != 0 {
		t.Errorf("%d subscriptions left after Close", n)
	}
}

func TestBusClose(t *testing.T) {
	t.Parallel()
	bus := events.NewBus()
	s := bus.Subscribe(events.Filter{}, events.SubscribeOpts{})
	bus.Publish(agentEvent("1", events.AgentLogin, testInstance))
	bus.Close()
	bus.Close()
	bus.Publish(agentEvent("2", events.AgentLogin, testInstance)) // no-op, no panic
	var got []string
	for e := range s.C() {
		got = append(got, e.Meta().ID)
	}
	if fmt.Sprint(got) != "[1]" {
		t.Errorf("after Close got %v, want the buffered [1]", got)
	}
	late := bus.Subscribe(events.Filter{}, events.SubscribeOpts{})
	if _, ok := <-late.C(); ok {
		t.Error("subscription on a closed bus is open")
	}
	s.Close() // after Bus.Close: still safe
}

// Wants tells a publisher whether anyone takes a kind of event, so that it
// can skip building one nobody receives.
func TestBusWants(t *testing.T) {
	bus := events.NewBus()
	if bus.Wants(events.KindContact) || bus.Wants(events.KindAgent) {
		t.Fatal("an empty bus wants events")
	}
	agents := bus.Subscribe(events.Filter{Kinds: []events.Kind{events.KindAgent}}, events.SubscribeOpts{})
	if bus.Wants(events.KindContact) || !bus.Wants(events.KindAgent) {
		t.Fatal("an agent-only subscription: want agent events only")
	}
	all := bus.Subscribe(events.Filter{Channels: []string{"CHAT"}}, events.SubscribeOpts{})
	if !bus.Wants(events.KindContact) {
		t.Fatal("a subscription without kinds takes contact events")
	}
	all.Close()
	agents.Close()
	if bus.Wants(events.KindAgent) {
		t.Fatal("closed subscriptions still count")
	}
}
