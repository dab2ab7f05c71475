package events

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// BufferDefault is a subscription's buffer when SubscribeOpts.Buffer is 0:
// enough to ride out a burst of a few hundred contacts while a webhook
// receiver answers one slow request.
const BufferDefault = 1024

// Filter selects the events a subscription receives. Each non-empty list
// must match (AND across lists, OR within one); an empty list matches
// everything.
type Filter struct {
	// Instances are instance ids or instance ARNs.
	Instances []string
	// Kinds are KindContact and/or KindAgent.
	Kinds []Kind
	// Types are contact and/or agent event types (QUEUED, STATE_CHANGE…).
	Types []string
	// Channels are VOICE, CHAT, TASK, EMAIL. A contact event matches on its
	// channel; an agent event matches when a contact on one of the channels
	// is in either snapshot, so agent events without contacts (LOGIN,
	// LOGOUT, an idle HEART_BEAT) do not pass a channel filter.
	Channels []string
}

// Validate reports every problem with f, one error per rule, so that a
// flag with three mistakes is fixed in one go.
func (f Filter) Validate() error {
	var errs []error
	for _, k := range f.Kinds {
		if k != KindContact && k != KindAgent {
			errs = append(errs, fmt.Errorf("event kind %q is not %q or %q", k, KindContact, KindAgent))
		}
	}
	for _, t := range f.Types {
		switch kind := kindOfType(t); {
		case kind == "":
			errs = append(errs, fmt.Errorf("event type %q is neither a contact event type (%s) nor an agent event type (%s)", t, contactTypesForMessages, agentTypesForMessages))
		case len(f.Kinds) > 0 && !slices.Contains(f.Kinds, kind):
			errs = append(errs, fmt.Errorf("event type %s belongs to %s events, but only %s events are selected; add %s to events or drop the type", t, kind, joinKinds(f.Kinds), kind))
		}
	}
	for _, c := range f.Channels {
		if !slices.Contains(Channels, c) {
			errs = append(errs, fmt.Errorf("channel %q is not one of %s", c, channelsForMessages))
		}
	}
	for _, i := range f.Instances {
		if strings.TrimSpace(InstanceID(i)) == "" {
			errs = append(errs, fmt.Errorf("instance %q has no instance id", i))
		}
	}
	return errors.Join(errs...)
}

func joinKinds(ks []Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, "+")
}

// Match reports whether an event with meta m passes f.
func (f Filter) Match(m Meta) bool {
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, m.Kind) {
		return false
	}
	if len(f.Types) > 0 && !slices.Contains(f.Types, m.Type) {
		return false
	}
	if len(f.Instances) > 0 && !slices.ContainsFunc(f.Instances, func(i string) bool { return InstanceID(i) == m.InstanceID }) {
		return false
	}
	if len(f.Channels) > 0 && !slices.ContainsFunc(m.Channels, func(c string) bool { return slices.Contains(f.Channels, c) }) {
		return false
	}
	return true
}

// normalized returns f with instance ARNs reduced to ids, so Match compares
// ids only, and with its slices copied so the caller may reuse its own.
func (f Filter) normalized() Filter {
	g := Filter{Kinds: slices.Clone(f.Kinds), Types: slices.Clone(f.Types), Channels: slices.Clone(f.Channels)}
	for _, i := range f.Instances {
		g.Instances = append(g.Instances, InstanceID(i))
	}
	return g
}

// SubscribeOpts tunes one subscription.
type SubscribeOpts struct {
	// Name labels the subscription in Stats (and, later, in metrics).
	Name string
	// Buffer is how many events may wait for the reader before new ones are
	// dropped; 0 means BufferDefault.
	Buffer int
}

// Bus fans published events out to subscriptions. The zero Bus is not
// usable; call NewBus. All methods are safe for concurrent use.
type Bus struct {
	// mu serialises Publish against itself, Subscribe and Close: that gives
	// every subscriber the same order, and makes "close the channel" safe
	// because no send can be in progress. Holding it costs little because
	// Publish only ever does non-blocking sends under it. It is the package's
	// only lock, so there is no lock order to keep.
	mu        sync.Mutex
	subs      []*Subscription
	closed    bool
	nextID    uint64
	published atomic.Uint64
}

// NewBus returns an empty bus.
func NewBus() *Bus { return &Bus{} }

// Publish offers e to every matching subscription and returns without
// waiting for any of them: a subscription whose buffer is full loses e and
// counts it in Dropped. e must not be modified afterwards, since subscribers
// share it. Publishing on a closed bus does nothing.
func (b *Bus) Publish(e Event) {
	m := e.Meta() // once, not per subscriber
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.published.Add(1)
	for _, s := range b.subs {
		if !s.filter.Match(m) {
			continue
		}
		s.published.Add(1)
		select {
		case s.ch <- e:
		default:
			s.dropped.Add(1)
		}
	}
}

// Wants reports whether an open subscription takes events of kind k.
// A publisher checks it before building an event nobody would receive:
// with no webhook or stream on contact events, building one per contact
// change was a few kilobytes of garbage on every request.
func (b *Bus) Wants(k Kind) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		if len(s.filter.Kinds) == 0 || slices.Contains(s.filter.Kinds, k) {
			return true
		}
	}
	return false
}

// Subscribe returns a subscription receiving, from now on, the events that
// match f. Check f with Validate first where it comes from users; Subscribe
// itself accepts anything (an unknown type simply never matches). On a
// closed bus the subscription's channel is already closed.
func (b *Bus) Subscribe(f Filter, opts SubscribeOpts) *Subscription {
	n := opts.Buffer
	if n <= 0 {
		n = BufferDefault
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.nextID++
	s := &Subscription{bus: b, id: b.nextID, name: opts.Name, filter: f.normalized(), ch: make(chan Event, n)}
	if b.closed {
		s.closed = true
		close(s.ch)
		return s
	}
	b.subs = append(b.subs, s)
	return s
}

// Close closes every subscription (their channels end after the events
// already buffered) and makes later Publish calls no-ops. It is idempotent.
func (b *Bus) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.closed = true
	for _, s := range b.subs {
		s.closed = true
		close(s.ch)
	}
	b.subs = nil
}

// BusStats is a snapshot of the bus counters.
type BusStats struct {
	// Published counts Publish calls on the open bus, matched or not.
	Published     uint64
	Subscriptions []SubscriptionStats
}

// Stats returns the counters of the bus and of its open subscriptions.
func (b *Bus) Stats() BusStats {
	b.mu.Lock()
	subs := slices.Clone(b.subs)
	b.mu.Unlock()
	st := BusStats{Published: b.published.Load()}
	for _, s := range subs {
		st.Subscriptions = append(st.Subscriptions, s.Stats())
	}
	return st
}

// Subscription is one consumer's view of the bus.
type Subscription struct {
	bus    *Bus
	id     uint64
	name   string
	filter Filter
	ch     chan Event
	closed bool // guarded by bus.mu

	published atomic.Uint64 // events that matched and were offered
	dropped   atomic.Uint64 // of those, lost because the buffer was full
}

// C returns the channel the events arrive on. It is closed by Close or
// Bus.Close, after which it still yields the events already buffered.
func (s *Subscription) C() <-chan Event { return s.ch }

// Close unsubscribes; it is idempotent and safe to call concurrently with
// Publish.
func (s *Subscription) Close() {
	b := s.bus
	b.mu.Lock()
	defer b.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	b.subs = slices.DeleteFunc(b.subs, func(x *Subscription) bool { return x == s })
	close(s.ch)
}

// SubscriptionStats is a snapshot of one subscription's counters.
type SubscriptionStats struct {
	ID   uint64
	Name string
	// Published counts events that matched the filter; Delivered of those
	// went into the buffer and Dropped were lost because it was full, so
	// Published = Delivered + Dropped.
	Published, Delivered, Dropped uint64
	// Buffered and Capacity describe the buffer now: a reader that keeps
	// Buffered near Capacity is about to drop.
	Buffered, Capacity int
}

// Stats returns the subscription's counters.
func (s *Subscription) Stats() SubscriptionStats {
	// Load dropped first: a Publish between the two loads then makes
	// Published too high rather than Delivered negative.
	d := s.dropped.Load()
	p := s.published.Load()
	return SubscriptionStats{
		ID: s.id, Name: s.name,
		Published: p, Delivered: p - d, Dropped: d,
		Buffered: len(s.ch), Capacity: cap(s.ch),
	}
}
