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

// lingerFill stops as soon as the batch is full, however long the linger.
func TestLingerFillStopsWhenFull(t *testing.T) {
	s := &Store{maxBatch: 4, linger: time.Hour, reqs: queued(5)}
	batch := s.lingerFill([]*request{{}, {}})
	if len(batch) != 4 || len(s.reqs) != 3 {
		t.Fatalf("batch %d, left queued %d; want 4 and 3", len(batch), len(s.reqs))
	}
}

// It stops when the queue is closed (shutdown), and skips requests whose
// callers gave up.
func TestLingerFillClosedAndAbandoned(t *testing.T) {
	s := &Store{maxBatch: 10, linger: time.Hour, reqs: queued(2)}
	gone := <-s.reqs
	gone.state.Store(reqAbandoned)
	s.reqs <- gone
	close(s.reqs)
	batch := s.lingerFill([]*request{{}, {}})
	if len(batch) != 3 {
		t.Fatalf("batch %d, want 3 (one abandoned request skipped)", len(batch))
	}
}
