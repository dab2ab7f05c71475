// Package clock is the single source of time for Switchboard.
//
// Every component that needs "now" or a timer takes a Clock, so that tests
// (ours and our users', through `serve --clock=virtual`) can move time by hand
// and observe expiries, schedules and routing-step timeouts exactly and
// instantly, without sleeping.
package clock

import (
	"container/heap"
	"sync"
	"time"
)

// Clock tells the time and arranges callbacks at a future time.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f in its own goroutine once the clock reaches Now()+d.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc callback.
type Timer interface {
	// Stop prevents the callback from running; it reports whether it did so.
	Stop() bool
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// AfterFunc wraps time.AfterFunc.
func (Real) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Virtual is a clock that only moves when told to. Callbacks due at or before
// the new time run, in due order, during Advance/Set, so that when Advance
// returns every effect of the passage of time has been started.
//
// Timers sit in a min-heap ordered by (due time, creation order); a stopped
// timer stays in the heap, marked, until it reaches the top. Moving the
// clock across k due timers of n pending costs O(k log n), so a long jump
// over many contacts' timers stays fast.
type Virtual struct {
	mu     sync.Mutex
	now    time.Time
	timers timerHeap
	seq    int
}

type virtualTimer struct {
	c    *Virtual
	at   time.Time
	seq  int
	f    func()
	done bool
}

// NewVirtual returns a virtual clock reading start.
func NewVirtual(start time.Time) *Virtual { return &Virtual{now: start} }

// Now returns the virtual time.
func (c *Virtual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f at Now()+d. A non-positive d runs f on the next
// Advance (even Advance(0)), never synchronously, matching time.AfterFunc.
func (c *Virtual) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &virtualTimer{c: c, at: c.now.Add(d), seq: c.seq, f: f}
	heap.Push(&c.timers, t)
	return t
}

// Stop cancels the timer.
func (t *virtualTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	return true
}

// Advance moves the clock forward by d and runs what fell due.
func (c *Virtual) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// Set moves the clock to t (never backwards) and runs the callbacks that fell
// due, each synchronously and in due order, with the clock reading the
// callback's due time while it runs. Callbacks may schedule further timers;
// those that fall due by t run too.
func (c *Virtual) Set(t time.Time) {
	for {
		c.mu.Lock()
		if t.Before(c.now) {
			t = c.now
		}
		var next *virtualTimer
		for c.timers.Len() > 0 {
			head := c.timers[0]
			if head.done {
				heap.Pop(&c.timers)
				continue
			}
			if !head.at.After(t) {
				next = heap.Pop(&c.timers).(*virtualTimer)
			}
			break
		}
		if next == nil {
			c.now = t
			c.mu.Unlock()
			return
		}
		next.done = true
		if next.at.After(c.now) {
			c.now = next.at
		}
		c.mu.Unlock()
		next.f()
	}
}

// timerHeap orders timers by due time, then creation order.
type timerHeap []*virtualTimer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(*virtualTimer)) }
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return t
}
