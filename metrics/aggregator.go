package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/google/uuid"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// Persistence guarantee. The aggregates cannot be written in the
// transaction of the contact change (contact events are published after
// the commit), so they are written behind: events update memory at once
// and mark cells dirty; a flush every FlushEvery writes the dirty cells and
// a watermark (the domain time of the flush) in one store transaction, and
// Close flushes a last time and marks the watermark clean.
//
// On start the cells are loaded. After a clean shutdown that is all. After
// a crash (watermark not clean) every bucket from five minutes before the
// watermark on is recomputed from the stored contacts: the cells of those
// buckets are deleted and each contact with a timestamp in them is
// replayed. Because every contribution lands in the bucket of its own
// event's time and depends only on the contact, the replay rebuilds those
// buckets whole. What a crash can still lose: the completion (after-contact
// work) of a contact that disconnected more than replayLookback before the
// watermark, and a contact's CONTACTS_CREATED when it was initiated before
// the recomputed range but first queued after the watermark. With no
// watermark at all (first start over existing contacts) the last Retention
// is recomputed the same way.

// stateKind is the record holding the watermark (account level, no
// migration needed for a new kind).
const stateKind domain.Kind = "metrics-state"

// replayLookback bounds how long before the recomputed range a contact may
// have disconnected and still have its after-contact work recovered.
const replayLookback = 2 * time.Hour

type watermark struct {
	Time  time.Time
	Clean bool
}

// ProfileResolver returns the routing profile of an agent (user) now.
type ProfileResolver func(instanceID, agentID string) string

// Options configure an Aggregator.
type Options struct {
	Store domain.Store
	Clock clock.Clock
	// Profile resolves agents' routing profiles for the agent cells; nil
	// leaves the profile dimension empty.
	Profile ProfileResolver
	// FlushEvery is the write-behind period (real time); 0 means 2 s.
	FlushEvery time.Duration
	Log        *slog.Logger
	// Resources answers whether instances exist and what resources' ARNs
	// are (the domain service).
	Resources Resources
}

// Resources is what queries need of the domain.
type Resources interface {
	DescribeInstance(ctx context.Context, instanceID string) (*domain.Instance, error)
	ResourceARN(instanceID string, kind domain.Kind, id string) string
	InstanceARN(instanceID string) string
}

// Aggregator keeps the cells of every instance. It is a domain.EventSink.
type Aggregator struct {
	o     Options
	mu    sync.RWMutex
	names *names
	inst  map[string]*instCells
	dirty map[dirtyKey]struct{}
	// pending holds contacts initiated without a queue: their
	// CONTACTS_CREATED is counted, in the initiation bucket, once their
	// first queue is known (or they end without one), so that it counts for
	// the queue the contact was created for.
	pending   pendingSet
	profiles  map[[2]string]cachedProfile
	agents    map[[2]string]*agentState
	consumed  atomic.Uint64 // events Consume has applied
	lastPrune time.Time
	// noRollups makes queries read 5-minute cells only, so that tests and
	// benchmarks can compare both ways of answering.
	noRollups bool
	// noSplit makes every scan read its range in one goroutine, so that
	// tests can compare the two.
	noSplit   bool
	flushMu   sync.Mutex
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

type cachedProfile struct {
	id  string
	exp time.Time
}

type instCells struct {
	buckets map[int64]*bucketCells
	// rollups are the agent×queue blocks of each rollupLevels level, by
	// block start (see rollup.go).
	rollups [numRollups]map[int64]*bucketCells
	// unpacked are the blocks changed since they were last packed.
	unpacked map[blockRef]struct{}
}

func newInstCells() *instCells {
	ic := &instCells{buckets: map[int64]*bucketCells{}, unpacked: map[blockRef]struct{}{}}
	for l := range ic.rollups {
		ic.rollups[l] = map[int64]*bucketCells{}
	}
	return ic
}

// bucketCells are the cells of one bucket, in a slice for fast scans.
type bucketCells struct {
	keys  []Key
	cells []*Cell
	index map[Key]int
	// slab is where new cells are allocated: the cells of a bucket lie
	// next to each other in memory, so a scan streams through them
	// instead of missing the cache on every cell (it halved the time of
	// large scans). A full slab is left to its cells and a new one made.
	slab []Cell
	// unpacked: in the instance's unpacked set (see packLocked).
	unpacked bool
	// channels are, once packed, where the agent detail cells of each
	// channel lie in keys and cells (pack orders them so): a scan for some
	// channels reads only theirs. Valid only while !unpacked.
	channels []channelRun
}

// channelRun is the range [lo, hi) of a packed block's agent detail cells
// of one channel.
type channelRun struct {
	channel uint32
	lo, hi  int
}

// add appends a new, empty cell under k.
func (bc *bucketCells) add(k Key) *Cell {
	if len(bc.slab) == cap(bc.slab) {
		bc.slab = make([]Cell, 0, min(max(2*cap(bc.slab), 4), 256))
	}
	bc.slab = bc.slab[:len(bc.slab)+1]
	c := &bc.slab[len(bc.slab)-1]
	bc.index[k] = len(bc.cells)
	bc.keys = append(bc.keys, k)
	bc.cells = append(bc.cells, c)
	return c
}

type dirtyKey struct {
	inst   string
	bucket int64
	key    Key
}

var _ domain.EventSink = (*Aggregator)(nil)

// pendingSet holds contact IDs, the UUIDs among them as 16 bytes: a map
// without pointers is not scanned by the garbage collector, and contacts
// can wait in flows by the ten thousand. Other IDs (tests choose their
// own) go in other.
type pendingSet struct {
	ids   map[[16]byte]struct{}
	other map[string]struct{}
}

func (p pendingSet) add(id string) {
	if u, ok := canonicalUUID(id); ok {
		p.ids[u] = struct{}{}
		return
	}
	p.other[id] = struct{}{}
}

// canonicalUUID parses id when it is a UUID in its one canonical spelling
// (36 characters, lower case), so that no two IDs share a key.
func canonicalUUID(id string) (uuid.UUID, bool) {
	if len(id) != 36 || strings.ToLower(id) != id {
		return uuid.UUID{}, false
	}
	u, err := uuid.Parse(id)
	return u, err == nil
}

// remove deletes id and reports whether it was there.
func (p pendingSet) remove(id string) bool {
	if u, ok := canonicalUUID(id); ok {
		_, ok := p.ids[u]
		delete(p.ids, u)
		return ok
	}
	_, ok := p.other[id]
	delete(p.other, id)
	return ok
}

// New returns an aggregator; call Start to load it and start flushing.
func New(o Options) *Aggregator {
	if o.FlushEvery <= 0 {
		o.FlushEvery = 2 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Aggregator{o: o, names: newNames(), inst: map[string]*instCells{}, dirty: map[dirtyKey]struct{}{},
		pending: pendingSet{ids: map[[16]byte]struct{}{}, other: map[string]struct{}{}}, profiles: map[[2]string]cachedProfile{}, agents: map[[2]string]*agentState{}}
}

// cell returns the cell of (instance, bucket, key), creating it, and marks
// it dirty. Callers hold mu.
func (a *Aggregator) cell(inst string, bucket int64, k Key) *Cell {
	ic := a.inst[inst]
	if ic == nil {
		ic = newInstCells()
		a.inst[inst] = ic
	}
	bc := ic.buckets[bucket]
	if bc == nil {
		bc = &bucketCells{index: map[Key]int{}}
		ic.buckets[bucket] = bc
	}
	a.dirty[dirtyKey{inst, bucket, k}] = struct{}{}
	ic.touched(bc, blockRef{-1, bucket})
	if i, ok := bc.index[k]; ok {
		return bc.cells[i]
	}
	return bc.add(k)
}

// ContactEvent implements domain.EventSink.
func (a *Aggregator) ContactEvent(eventType string, c domain.Contact, _ map[string]string, _ []string) {
	profile := ""
	if c.AgentID != "" && !c.ConnectedToAgentTime.IsZero() {
		profile = a.profileOf(c.InstanceID, c.AgentID)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	switch eventType {
	case domain.EventInitiated:
		if c.QueueID == "" && !c.Ended() {
			a.pending.add(c.ID)
			return
		}
	case domain.EventQueued, domain.EventDisconnected:
		if a.pending.remove(c.ID) {
			a.apply(domain.EventInitiated, &c, profile)
		}
	}
	a.apply(eventType, &c, profile)
}

// profileOf resolves an agent's routing profile, cached for a minute of
// domain time so that a busy agent costs one lookup a minute.
func (a *Aggregator) profileOf(inst, agent string) string {
	if a.o.Profile == nil {
		return ""
	}
	now := a.o.Clock.Now()
	a.mu.RLock()
	p, ok := a.profiles[[2]string{inst, agent}]
	a.mu.RUnlock()
	if ok && now.Before(p.exp) {
		return p.id
	}
	id := a.o.Profile(inst, agent)
	a.mu.Lock()
	a.profiles[[2]string{inst, agent}] = cachedProfile{id: id, exp: now.Add(time.Minute)}
	a.mu.Unlock()
	return id
}

// eventTime is the time an event's contribution is attributed to (zero:
// the event contributes nothing).
func eventTime(eventType string, c *domain.Contact) time.Time {
	switch eventType {
	case domain.EventInitiated:
		return c.InitiationTime
	case domain.EventQueued:
		return c.EnqueueTime
	case domain.EventConnectedToAgent:
		return c.ConnectedToAgentTime
	case domain.EventDisconnected:
		return c.DisconnectTime
	case domain.EventCompleted:
		if c.ConnectedToAgentTime.IsZero() {
			return time.Time{} // only handled contacts have handle times
		}
		if !c.AfterContactWorkEnd.IsZero() {
			return c.AfterContactWorkEnd
		}
		return c.DisconnectTime
	}
	return time.Time{}
}

func ms(d time.Duration) int64 { return d.Milliseconds() }

// apply adds one event's contribution. Callers hold mu. It is the only
// place that defines what an event means for the metrics; live events and
// recomputation both go through it.
func (a *Aggregator) apply(eventType string, c *domain.Contact, profile string) {
	t := eventTime(eventType, c)
	if t.IsZero() {
		return
	}
	b := bucketOf(t)
	qk := Key{Queue: a.names.id(c.QueueID), Channel: a.names.id(c.Channel), Method: a.names.id(c.InitiationMethod)}
	cells := []*Cell{a.cell(c.InstanceID, b, qk)}
	if c.AgentID != "" && !c.ConnectedToAgentTime.IsZero() && eventType != domain.EventInitiated && eventType != domain.EventQueued {
		ak := qk
		ak.ByAgent, ak.Agent, ak.Profile = true, a.names.id(c.AgentID), a.names.id(profile)
		cells = append(cells, a.cell(c.InstanceID, b, ak), a.cell(c.InstanceID, b, Key{ByAgent: true, Summary: true, Agent: ak.Agent, Profile: ak.Profile}))
		cells = a.inst[c.InstanceID].rollupCells(cells, b, ak)
	}
	for _, cl := range cells {
		switch eventType {
		case domain.EventInitiated:
			cl.Created++
		case domain.EventQueued:
			cl.Queued++
		case domain.EventConnectedToAgent:
			cl.Handled++
			if !c.EnqueueTime.IsZero() {
				q := max(t.Sub(c.EnqueueTime), 0)
				cl.Answered++
				cl.AnswerMs += ms(q)
				cl.MaxQueuedMs = max(cl.MaxQueuedMs, ms(q))
				cl.AnsweredIn.Add(int64(q / time.Second))
			}
		case domain.EventDisconnected:
			if c.ConnectedToAgentTime.IsZero() {
				// Stopped while queued: abandoned (callbacks excepted,
				// §4.2). A contact that never reached a queue is not.
				if !c.EnqueueTime.IsZero() && c.InitiationMethod != "CALLBACK" {
					q := max(t.Sub(c.EnqueueTime), 0)
					cl.Abandoned++
					cl.AbandonMs += ms(q)
					cl.MaxQueuedMs = max(cl.MaxQueuedMs, ms(q))
					cl.AbandonedIn.Add(int64(q / time.Second))
				}
			} else if c.DisconnectReason == "AGENT_DISCONNECT" {
				cl.AgentHungUpFirst++
			}
			if c.DisconnectReason == "TRANSFER" {
				cl.TransferredOut++
			}
		case domain.EventCompleted:
			talk := max(c.DisconnectTime.Sub(c.ConnectedToAgentTime), 0)
			var acw time.Duration
			if !c.AfterContactWorkStart.IsZero() && !c.AfterContactWorkEnd.IsZero() {
				acw = max(c.AfterContactWorkEnd.Sub(c.AfterContactWorkStart), 0)
			}
			cl.Completed++
			cl.HandleMs += ms(talk + acw)
			cl.ACWMs += ms(acw)
			// Switchboard has no customer hold, and tasks report no
			// interaction time (§4.2): they count with zero.
			if c.Channel != "TASK" {
				cl.InteractionMs += ms(talk)
			}
		}
	}
}

// Start loads the cells, recomputes what a crash left behind, and starts
// the periodic flush.
func (a *Aggregator) Start(ctx context.Context) error {
	now := a.o.Clock.Now()
	var wm *watermark
	var rows []domain.MetricCellRow
	err := a.o.Store.View(ctx, func(tx domain.ReadTx) error {
		r, err := tx.GetRecord(stateKind, "", "aggregates")
		switch {
		case err == nil:
			wm = &watermark{}
			if err := json.Unmarshal(r.Data, wm); err != nil {
				return fmt.Errorf("metrics watermark: %w", err)
			}
		case !errors.Is(err, domain.ErrStoreNotFound):
			return err
		}
		rows, err = tx.ListMetricCells(now.Add(-Retention))
		return err
	})
	if err != nil {
		return err
	}
	a.mu.Lock()
	for _, r := range rows {
		k, ok := a.names.decodeKey(r.Key)
		if !ok {
			continue
		}
		var c Cell
		if err := json.Unmarshal(r.Data, &c); err != nil {
			a.mu.Unlock()
			return fmt.Errorf("metric cell %s %s: %w", r.InstanceID, r.Key, err)
		}
		*a.cell(r.InstanceID, r.Bucket.Unix(), k) = c
	}
	for _, ic := range a.inst {
		ic.rebuildRollupsLocked(allBuckets)
	}
	clear(a.dirty)
	a.mu.Unlock()
	switch {
	case wm == nil:
		err = a.recompute(ctx, now.Add(-Retention))
	case !wm.Clean:
		err = a.recompute(ctx, wm.Time.Add(-BucketSize))
	}
	if err != nil {
		return err
	}
	// Running from now on: a crash before the next flush must recompute.
	if err := a.Flush(ctx, false); err != nil {
		return err
	}
	a.stop, a.done = make(chan struct{}), make(chan struct{})
	go a.loop()
	return nil
}

func (a *Aggregator) loop() {
	defer close(a.done)
	t := time.NewTicker(a.o.FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-a.stop:
			return
		case <-t.C:
			if err := a.Flush(context.Background(), false); err != nil {
				a.o.Log.Warn("metrics flush failed; will retry", "error", err)
			}
		}
	}
}

// Close stops the periodic flush and writes everything, marking the
// watermark clean. Call it before closing the store.
func (a *Aggregator) Close() error {
	var err error
	a.closeOnce.Do(func() {
		if a.stop != nil {
			close(a.stop)
			<-a.done
		}
		// Clean only if Start succeeded: otherwise the next start must
		// recompute what this run could not load.
		err = a.Flush(context.Background(), a.stop != nil)
	})
	return err
}

// Flush writes the dirty cells and the watermark.
func (a *Aggregator) Flush(ctx context.Context, clean bool) error {
	a.flushMu.Lock()
	defer a.flushMu.Unlock()
	now := a.o.Clock.Now()
	a.mu.Lock()
	keys := make([]dirtyKey, 0, len(a.dirty))
	rows := make([]domain.MetricCellRow, 0, len(a.dirty))
	for dk := range a.dirty {
		bc := a.inst[dk.inst].buckets[dk.bucket]
		data, err := json.Marshal(bc.cells[bc.index[dk.key]])
		if err != nil {
			a.mu.Unlock()
			return err
		}
		keys = append(keys, dk)
		rows = append(rows, domain.MetricCellRow{InstanceID: dk.inst, Bucket: time.Unix(dk.bucket, 0).UTC(), Key: a.names.encodeKey(dk.key), Data: data})
	}
	clear(a.dirty)
	prune := now.Sub(a.lastPrune) > time.Hour
	if prune {
		a.lastPrune = now
		a.pruneLocked(now.Add(-Retention))
	}
	a.packLocked(now)
	a.mu.Unlock()
	wm, _ := json.Marshal(watermark{Time: now, Clean: clean})
	err := a.o.Store.Update(ctx, func(tx domain.Tx) error {
		if prune {
			if err := tx.DeleteMetricCells(time.Time{}, time.Unix(bucketOf(now.Add(-Retention)), 0)); err != nil {
				return err
			}
		}
		if err := tx.PutMetricCells(rows); err != nil {
			return err
		}
		return tx.PutRecord(domain.Record{Kind: stateKind, ID: "aggregates", Data: wm, CreatedAt: now, UpdatedAt: now})
	})
	if err != nil {
		// Written next time; the watermark did not move, so a crash in
		// between recomputes these cells.
		a.mu.Lock()
		for _, k := range keys {
			if ic := a.inst[k.inst]; ic != nil && ic.buckets[k.bucket] != nil {
				a.dirty[k] = struct{}{}
			}
		}
		a.mu.Unlock()
	}
	return err
}

// pruneLocked drops buckets older than before from memory.
func (a *Aggregator) pruneLocked(before time.Time) {
	limit := bucketOf(before)
	for _, ic := range a.inst {
		for b := range ic.buckets {
			if b < limit {
				delete(ic.buckets, b)
			}
		}
		ic.pruneRollups(limit)
	}
	for k := range a.dirty {
		if k.bucket < limit {
			delete(a.dirty, k)
		}
	}
}

// recompute rebuilds every bucket from `from` on out of the stored
// contacts (see the persistence guarantee above).
func (a *Aggregator) recompute(ctx context.Context, from time.Time) error {
	b0 := bucketOf(from)
	start := time.Unix(b0, 0).UTC()
	now := a.o.Clock.Now()
	contacts := map[string]*domain.Contact{}
	err := a.o.Store.View(ctx, func(tx domain.ReadTx) error {
		insts, err := tx.ListRecords(domain.KindInstance, "", "", 0)
		if err != nil {
			return err
		}
		for _, in := range insts {
			for _, f := range []struct {
				field domain.ContactTimeField
				from  time.Time
			}{{domain.TimeInitiation, start}, {domain.TimeEnqueue, start}, {domain.TimeConnectedToAgent, start}, {domain.TimeDisconnect, start.Add(-replayLookback)}} {
				rows, err := tx.QueryContacts(domain.ContactQuery{InstanceID: in.ID, TimeField: f.field, From: f.from, To: now.Add(time.Hour)})
				if err != nil {
					return err
				}
				for _, r := range rows {
					if contacts[r.InstanceID+"/"+r.ID] != nil {
						continue
					}
					var c domain.Contact
					if err := json.Unmarshal(r.Data, &c); err != nil {
						return fmt.Errorf("contact %s: %w", r.ID, err)
					}
					contacts[r.InstanceID+"/"+r.ID] = &c
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	profiles := map[[2]string]string{}
	for _, c := range contacts {
		if c.AgentID != "" {
			if _, ok := profiles[[2]string{c.InstanceID, c.AgentID}]; !ok && a.o.Profile != nil {
				profiles[[2]string{c.InstanceID, c.AgentID}] = a.o.Profile(c.InstanceID, c.AgentID)
			}
		}
	}
	a.mu.Lock()
	a.replayLocked(b0, contacts, profiles)
	a.mu.Unlock()
	a.o.Log.Info("metrics recomputed from contacts", "from", start, "contacts", len(contacts))
	return a.o.Store.Update(ctx, func(tx domain.Tx) error { return tx.DeleteMetricCells(start, time.Time{}) })
}

// replayLocked replaces every bucket from b0 on with the contributions of
// contacts, whose agents have the given routing profiles. Callers hold mu.
func (a *Aggregator) replayLocked(b0 int64, contacts map[string]*domain.Contact, profiles map[[2]string]string) {
	for _, ic := range a.inst {
		for b := range ic.buckets {
			if b >= b0 {
				delete(ic.buckets, b)
			}
		}
	}
	for _, c := range contacts {
		for _, ev := range []string{domain.EventInitiated, domain.EventQueued, domain.EventConnectedToAgent, domain.EventDisconnected, domain.EventCompleted} {
			if ev == domain.EventCompleted && !(c.Ended() && (c.AfterContactWorkStart.IsZero() || !c.AfterContactWorkEnd.IsZero())) {
				continue // still in after-contact work
			}
			if t := eventTime(ev, c); !t.IsZero() && bucketOf(t) >= b0 {
				a.apply(ev, c, profiles[[2]string{c.InstanceID, c.AgentID}])
			}
		}
	}
	// The replay added to the rollup blocks around b0 on top of what they
	// held before it; derive them again from the detail cells, which are
	// now whole.
	for _, ic := range a.inst {
		ic.rebuildRollupsLocked(b0)
	}
}

// RecomputeFrom rebuilds every bucket from `from` on out of the stored
// contacts and writes them, as a start after a crash does.
func (a *Aggregator) RecomputeFrom(ctx context.Context, from time.Time) error {
	if err := a.recompute(ctx, from); err != nil {
		return err
	}
	return a.Flush(ctx, false)
}
