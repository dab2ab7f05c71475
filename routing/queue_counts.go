package routing

import "time"

// QueueCounts is the part of ChannelStats that GetCurrentMetricData reads
// for every queue in scope.
type QueueCounts struct {
	Channel          Channel
	Waiting, Offered int
	// OldestEnqueuedAt is the earliest enqueue time among the waiting and
	// offered contacts (zero if none).
	OldestEnqueuedAt time.Time
}

// AppendQueueCounts appends to dst the counts of each channel queueID has
// (none for an unknown queue) and returns it. It is QueueStats without the
// ready-agent count, which walks every tier of the queue, and without a
// new slice per call: a metrics request asks this of up to 500 queues
// while holding its instance's lock, reusing one buffer.
func (e *Engine) AppendQueueCounts(dst []QueueCounts, queueID string) []QueueCounts {
	e.mu.Lock()
	defer e.mu.Unlock()
	q := e.queues[queueID]
	if q == nil {
		return dst
	}
	for _, qc := range q.ch {
		if qc == nil {
			continue
		}
		c := QueueCounts{Channel: qc.ch, Waiting: qc.waiting, Offered: qc.offered}
		if k, _, ok := qc.oldest.min(e.cArena); ok {
			c.OldestEnqueuedAt = toTime(k.age)
		}
		dst = append(dst, c)
	}
	return dst
}
