package clock

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestVirtualRunsDueTimersInOrder(t *testing.T) {
	c := NewVirtual(t0)
	var got []string
	var at []time.Time
	add := func(d time.Duration, name string) Timer {
		return c.AfterFunc(d, func() { got = append(got, name); at = append(at, c.Now()) })
	}
	add(3*time.Second, "c")
	add(time.Second, "a")
	stopped := add(2*time.Second, "stopped")
	add(time.Second, "a2") // same due time: creation order
	add(10*time.Second, "late")
	if !stopped.Stop() || stopped.Stop() {
		t.Fatal("Stop should succeed once")
	}
	c.Advance(5 * time.Second)
	want := []string{"a", "a2", "c"}
	if len(got) != len(want) {
		t.Fatalf("ran %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ran %v, want %v", got, want)
		}
	}
	if !at[2].Equal(t0.Add(3*time.Second)) || !c.Now().Equal(t0.Add(5*time.Second)) {
		t.Fatalf("callback saw %v; clock reads %v", at[2], c.Now())
	}
}

func TestVirtualCallbacksScheduleMore(t *testing.T) {
	c := NewVirtual(t0)
	n := 0
	var tick func()
	tick = func() {
		n++
		c.AfterFunc(time.Minute, tick)
	}
	c.AfterFunc(time.Minute, tick)
	c.Advance(24 * time.Hour)
	if n != 24*60 {
		t.Fatalf("ticked %d times in a day, want %d", n, 24*60)
	}
	c.Set(t0) // never backwards
	if !c.Now().Equal(t0.Add(24 * time.Hour)) {
		t.Fatalf("clock moved back to %v", c.Now())
	}
}

func TestVirtualZeroDelayWaitsForAdvance(t *testing.T) {
	c := NewVirtual(t0)
	ran := false
	c.AfterFunc(0, func() { ran = true })
	if ran {
		t.Fatal("ran synchronously")
	}
	c.Advance(0)
	if !ran {
		t.Fatal("did not run on Advance(0)")
	}
}

// BenchmarkVirtualAdvanceManyTimers: jumping a day over 10,000 pending
// timers (contacts' expiries) that are not due.
func BenchmarkVirtualAdvanceManyTimers(b *testing.B) {
	c := NewVirtual(t0)
	for i := 0; i < 10000; i++ {
		c.AfterFunc(30*24*time.Hour+time.Duration(i), func() {})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.AfterFunc(time.Second, func() {})
		c.Advance(time.Second)
	}
}
