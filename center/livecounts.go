package center

import (
	"context"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// LiveCounts is what the runtime holds right now, for monitoring (the
// Prometheus endpoint reads it at each scrape).
type LiveCounts struct {
	Queues []QueueCount
	Agents []AgentCount
}

// QueueCount is one standard queue's contacts in the routing engine.
type QueueCount struct {
	InstanceID, QueueID, QueueName string
	// Waiting are not offered to anyone; Offered are reserved for an agent
	// who has not accepted yet. Connect counts both as in queue.
	Waiting, Offered int
	// OldestEnqueuedAt is the enqueue time of the longest-waiting contact
	// (zero when the queue is empty).
	OldestEnqueuedAt time.Time
}

// AgentCount is how many agents of an instance have a status of a type.
type AgentCount struct {
	InstanceID string
	StatusType string // ROUTABLE | CUSTOM | OFFLINE
	Agents     int
}

// statusTypes are reported for every instance, zero or not, so that a
// series does not vanish when its last agent leaves it.
var statusTypes = []string{"ROUTABLE", "CUSTOM", "OFFLINE"}

// LiveCounts reports the instances the runtime has loaded (an instance
// loads when it is first used after start-up; one nobody has touched has
// nothing live). Agent queues are left out: one per user would make a
// series per agent.
func (c *Center) LiveCounts(ctx context.Context) LiveCounts {
	c.mu.Lock()
	insts := make([]*inst, 0, len(c.insts))
	for _, in := range c.insts {
		insts = append(insts, in)
	}
	c.mu.Unlock()
	var out LiveCounts
	for _, in := range insts {
		// The queue list comes from the store, read before taking the
		// instance lock so that routing never waits on a scrape's I/O.
		queues, err := c.standardQueues(ctx, in.id)
		if err != nil {
			c.log.Debug("live counts: list queues", "instance", in.id, "err", err)
			continue
		}
		in.mu.Lock()
		if !in.loaded {
			in.unlock()
			continue
		}
		byType := map[string]int{}
		for _, a := range in.agents {
			t := a.snap.Status.Type
			if t == "" {
				t = "OFFLINE" // never set a status
			}
			byType[t]++
		}
		for _, q := range queues {
			qc := QueueCount{InstanceID: in.id, QueueID: q.ID, QueueName: q.Name}
			for _, s := range in.engine.QueueStats(q.ID) {
				qc.Waiting += s.Waiting
				qc.Offered += s.Offered
				if !s.OldestEnqueuedAt.IsZero() && (qc.OldestEnqueuedAt.IsZero() || s.OldestEnqueuedAt.Before(qc.OldestEnqueuedAt)) {
					qc.OldestEnqueuedAt = s.OldestEnqueuedAt
				}
			}
			out.Queues = append(out.Queues, qc)
		}
		in.unlock()
		for _, t := range statusTypes {
			out.Agents = append(out.Agents, AgentCount{InstanceID: in.id, StatusType: t, Agents: byType[t]})
		}
	}
	return out
}

// standardQueues lists an instance's STANDARD queues, every page.
func (c *Center) standardQueues(ctx context.Context, instanceID string) ([]domain.Queue, error) {
	var out []domain.Queue
	page := domain.Page{MaxResults: 1000}
	for {
		qs, next, err := c.svc.ListQueues(ctx, instanceID, []string{"STANDARD"}, page)
		if err != nil {
			return nil, err
		}
		out = append(out, qs...)
		if next == "" {
			return out, nil
		}
		page.NextToken = next
	}
}
