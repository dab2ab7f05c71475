package center

import (
	"sync"

	"github.com/switchboard-cc/switchboard/flowrun"
)

// Flow log limits: the entries kept per contact, and the contacts kept.
// Flow logs are kept in memory, newest contacts first; they are for looking
// at what a flow did, not an archive.
const (
	maxFlowLogEntries  = 1000
	maxFlowLogContacts = 10000
)

// flowLogs keeps the flow logs of recent contacts.
type flowLogs struct {
	mu    sync.Mutex
	byKey map[string][]flowrun.LogEntry
	order []string // keys, oldest first
}

func newFlowLogs() *flowLogs { return &flowLogs{byKey: map[string][]flowrun.LogEntry{}} }

func (l *flowLogs) add(instanceID, contactID string, e flowrun.LogEntry) {
	key := instanceID + "/" + contactID
	l.mu.Lock()
	defer l.mu.Unlock()
	entries, ok := l.byKey[key]
	if !ok {
		l.order = append(l.order, key)
		if len(l.order) > maxFlowLogContacts {
			delete(l.byKey, l.order[0])
			l.order = l.order[1:]
		}
	}
	if len(entries) >= maxFlowLogEntries {
		entries = entries[1:]
	}
	l.byKey[key] = append(entries, e)
}

// FlowLogs returns the flow log entries recorded for a contact, oldest
// first (only contacts whose flows had logging on have any).
func (c *Center) FlowLogs(instanceID, contactID string) []flowrun.LogEntry {
	c.logs.mu.Lock()
	defer c.logs.mu.Unlock()
	return append([]flowrun.LogEntry(nil), c.logs.byKey[instanceID+"/"+contactID]...)
}

// intn returns a random number in [0, n) for DistributeByPercentage.
func (c *Center) intn(n int) int {
	c.rand.mu.Lock()
	defer c.rand.mu.Unlock()
	return c.rand.r.IntN(n)
}
