package sqlstore

import (
	"testing"
	"time"
)

func queued(n int) chan *request {
	ch := make(chan *request, n)
	for range n {
		ch <- &request{}
	}
	return ch
}

// fill stops as soon as the batch is full, however long it may wait.
func TestFillStopsWhenFull(t *testing.T) {
	s := &Store{maxBatch: 4, reqs: queued(5)}
	batch := s.fill([]*request{{}, {}}, time.After(time.Hour))
	if len(batch) != 4 || len(s.reqs) != 3 {
		t.Fatalf("batch %d, left queued %d; want 4 and 3", len(batch), len(s.reqs))
	}
}

// It stops when the queue is closed (shutdown), and skips requests whose
// callers gave up.
func TestFillClosedAndAbandoned(t *testing.T) {
	s := &Store{maxBatch: 10, reqs: queued(2)}
	gone := <-s.reqs
	gone.state.Store(reqAbandoned)
	s.reqs <- gone
	close(s.reqs)
	batch := s.fill([]*request{{}, {}}, time.After(time.Hour))
	if len(batch) != 3 {
		t.Fatalf("batch %d, want 3 (one abandoned request skipped)", len(batch))
	}
}

// Without a deadline fill takes only what is already queued.
func TestFillWithoutWaiting(t *testing.T) {
	s := &Store{maxBatch: 10, reqs: queued(3)}
	if batch := s.fill(nil, nil); len(batch) != 3 {
		t.Fatalf("batch %d, want the 3 queued", len(batch))
	}
}
