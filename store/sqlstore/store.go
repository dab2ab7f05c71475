// Package sqlstore implements domain.Store over database/sql, shared by the
// SQLite and PostgreSQL stores, which differ only by a Dialect.
//
// Writes go through group commit: Update hands its fn to a single writer
// goroutine, which runs every request already queued (up to MaxBatch) in
// one transaction, each inside its own savepoint, and commits once. The
// fsync (SQLite) or WAL flush (PostgreSQL) is then paid once per batch
// rather than once per request, which is what lets a small machine sustain
// a high rate of durable writes without weakening durability: Update still
// returns only after the commit that holds its writes.
//
// Reads (View) run on a separate pool and never wait for the writer.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// ErrClosed is returned by Update and View once Close has been called.
var ErrClosed = errors.New("store: closed")

// DefaultMaxBatch bounds how many Updates share one commit. Past a few
// hundred the commit cost is already negligible per request, and a bigger
// batch only lengthens the latency of its first request.
const DefaultMaxBatch = 256

// DefaultLinger is Config.Linger's default: how long the writer waits for
// more requests to join a batch that already holds lingerFrom of them, so
// that requests arriving together under heavy load share one commit (one
// fsync) instead of paying one each.
const DefaultLinger = 200 * time.Microsecond

// lingerFrom is the batch size from which the writer lingers. A batch that
// big means requests are queueing for the writer, and more are on their
// way. A smaller one commits at once: a Go timer this short fires up to
// a millisecond late when the process has little else to do, so lingering
// on a batch of two (as the writer once did) cost chat messages at 2,000/s
// 0.6–0.8 ms of p50 and p99, for batches that hardly grew, and the
// half-load p99 of StartTaskContact was no better for it (BENCHMARKS.md,
// chat/BENCHMARKS.md).
const lingerFrom = 8

// Config assembles a Store.
type Config struct {
	Dialect *Dialect
	// Writer is used by the writer goroutine only; one connection suffices.
	Writer *sql.DB
	// Reader serves View. It may be the same *sql.DB as Writer.
	Reader *sql.DB
	// MaxBatch bounds the requests per commit; 0 means DefaultMaxBatch.
	MaxBatch int
	// Linger is how long the writer waits for more requests once it
	// holds lingerFrom or more (requests are queueing) before it
	// commits; 0 means DefaultLinger, a negative value none.
	Linger time.Duration
	// Maintain, if set, runs in its own goroutine for the life of the
	// store (SQLite checkpoints its WAL there, off the writer's path); its
	// context is cancelled by Close, which waits for it to return.
	Maintain func(ctx context.Context)
	// Closed, if set, runs at the end of Close, once the pools are closed
	// (SQLite releases its lock on the file there).
	Closed func()
	// Progress, if set, is told how New's longer work is going (the
	// rebuild of the idempotency key in memory), to show the operator,
	// every ProgressEvery entries (0 means DefaultProgressEvery).
	Progress      func(msg string)
	ProgressEvery int
}

// Store is a domain.Store over database/sql.
type Store struct {
	d        *Dialect
	w, r     *sql.DB
	maxBatch int
	linger   time.Duration
	q        queries
	wc, rc   *stmtCache
	// tokens is the idempotency key in memory, when the dialect keeps it
	// there (Dialect.TokenIndexInMemory); nil otherwise.
	tokens *tokenIndex

	// mu guards closed and the send side of reqs: Close takes it
	// exclusively to close reqs, so no Update can send on a closed channel.
	mu     sync.RWMutex
	closed bool
	reqs   chan *request
	done   chan struct{} // closed when the writer goroutine has drained and exited

	closeOnce sync.Once
	closeErr  error

	updates, batches, commits atomic.Uint64
	// busy and committing add up, in nanoseconds, the writer's time with a
	// batch open and its time in COMMIT (the durable flush).
	busy, committing atomic.Int64
	// onCommit, when set, is told each commit's duration (ObserveCommits).
	onCommit atomic.Pointer[func(time.Duration)]

	stopMaintain context.CancelFunc
	maintainDone chan struct{}
	onClosed     func()
}

var _ domain.Store = (*Store)(nil)

// Stats counts the writer's work, to observe how well commits are grouped
// and how close the single writer is to saturation.
type Stats struct {
	Updates uint64 // fns run by the writer
	Batches uint64 // transactions opened
	Commits uint64 // transactions committed (a batch where every fn failed is rolled back)
	// Busy is the writer's total time with a batch in hand, from opening
	// its transaction to answering its callers. Its rate is the writer's
	// utilisation: near 1, every write waits for the ones before it.
	Busy time.Duration
	// Committing is the part of Busy spent in COMMIT, which on SQLite is
	// the fsync of the WAL: the disk's share of every write's latency.
	Committing time.Duration
	// TokensInMemory is how many idempotency keys the store keeps in
	// memory (Dialect.TokenIndexInMemory; 0 when it keeps them on disk):
	// what that index costs grows with it.
	TokensInMemory int
}

// Stats reports the writer's counters.
func (s *Store) Stats() Stats {
	st := Stats{Updates: s.updates.Load(), Batches: s.batches.Load(), Commits: s.commits.Load(),
		Busy: time.Duration(s.busy.Load()), Committing: time.Duration(s.committing.Load())}
	if s.tokens != nil {
		st.TokensInMemory = s.tokens.len()
	}
	return st
}

// Queued reports how many Updates wait for the writer, not counting the
// batch it is running: the writer's backlog. Tests use it to know that
// requests have queued behind a held writer, without sleeping.
func (s *Store) Queued() int { return len(s.reqs) }

// ObserveCommits has f told the duration of every commit from now on, in
// place of any observer set before (nil stops it). f runs on the writer, between a commit and the answers to its
// callers, so it must be quick: a histogram's Observe, not I/O. The tail of
// these durations is where a slow disk shows: one 100 ms flush delays every
// write queued behind it.
func (s *Store) ObserveCommits(f func(time.Duration)) {
	if f == nil {
		s.onCommit.Store(nil)
		return
	}
	s.onCommit.Store(&f)
}

// New applies the dialect's pending migrations through cfg.Writer and
// starts the writer. The Store owns both pools and closes them on Close.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Dialect == nil || cfg.Writer == nil || cfg.Reader == nil {
		return nil, errors.New("sqlstore: Config needs Dialect, Writer and Reader")
	}
	if err := migrate(ctx, cfg.Dialect, cfg.Writer); err != nil {
		return nil, err
	}
	n := cfg.MaxBatch
	if n <= 0 {
		n = DefaultMaxBatch
	}
	if cfg.Linger == 0 {
		cfg.Linger = DefaultLinger
	}
	s := &Store{
		d:        cfg.Dialect,
		w:        cfg.Writer,
		r:        cfg.Reader,
		maxBatch: n,
		linger:   cfg.Linger,
		q:        newQueries(cfg.Dialect),
		// The queue is deeper than a batch so that callers arriving during a
		// commit queue up for the next batch instead of blocking on send.
		reqs: make(chan *request, 4*n),
		done: make(chan struct{}),
	}
	var err error
	if s.wc, err = newStmtCache(ctx, s.w, s.q.write()); err != nil {
		return nil, fmt.Errorf("%s: %w", s.d.Name, err)
	}
	if s.rc, err = newStmtCache(ctx, s.r, s.q.read()); err != nil {
		s.wc.close()
		return nil, fmt.Errorf("%s: %w", s.d.Name, err)
	}
	if cfg.Dialect.TokenIndexInMemory {
		s.tokens = &tokenIndex{}
		p := progress{say: cfg.Progress, every: cfg.ProgressEvery}
		if p.every <= 0 {
			p.every = DefaultProgressEvery
		}
		if err := s.tokens.load(ctx, s.w, s.q.tok.load, p); err != nil {
			s.wc.close()
			s.rc.close()
			return nil, fmt.Errorf("%s: load idempotency tokens: %w", s.d.Name, err)
		}
	}
	s.onClosed = cfg.Closed
	go s.writer()
	if cfg.Maintain != nil {
		mctx, cancel := context.WithCancel(context.Background())
		s.stopMaintain = cancel
		s.maintainDone = make(chan struct{})
		go func() {
			defer close(s.maintainDone)
			cfg.Maintain(mctx)
		}()
	}
	return s, nil
}

// request states: a request is either taken by the writer or abandoned by
// its caller, whichever happens first; the CAS decides.
const (
	reqWaiting int32 = iota
	reqTaken
	reqAbandoned
)

type request struct {
	fn    func(domain.Tx) error
	state atomic.Int32
	res   chan result // buffered: the writer never blocks answering
}

type result struct {
	err      error
	panicked bool
	panicVal any
}

// Update implements domain.Store. fn runs on the writer goroutine; the tx
// it gets is valid only until fn returns and must not be used from other
// goroutines. fn's error comes back unchanged. Cancelling ctx abandons the
// request only while it is still queued: once the writer has taken it, the
// outcome is awaited so that the caller never believes a committed write
// failed. fn must not call Update (it would wait for the writer it is
// running on); it may call View, which does not see fn's uncommitted writes.
func (s *Store) Update(ctx context.Context, fn func(domain.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &request{fn: fn, res: make(chan result, 1)}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	select {
	case s.reqs <- r:
	case <-ctx.Done():
		s.mu.RUnlock()
		return ctx.Err()
	}
	s.mu.RUnlock()

	select {
	case res := <-r.res:
		return res.deliver()
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqWaiting, reqAbandoned) {
			return ctx.Err()
		}
		return (<-r.res).deliver()
	}
}

// deliver re-raises a panic from fn on the caller's goroutine, where it
// belongs, rather than crashing the writer.
func (r result) deliver() error {
	if r.panicked {
		panic(r.panicVal)
	}
	return r.err
}

// View implements domain.Store.
func (s *Store) View(ctx context.Context, fn func(domain.ReadTx) error) error {
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	opts := s.d.ViewOptions
	tx, err := s.r.BeginTx(ctx, &opts)
	if err != nil {
		return fmt.Errorf("%s: begin view: %w", s.d.Name, err)
	}
	// A read-only transaction has nothing to commit; rolling back ends it
	// the same way and cannot fail because of fn's reads.
	defer tx.Rollback()
	rt := &readTx{s: s, tx: tx, sc: s.rc}
	defer rt.closed.Store(true)
	return fn(rt)
}

// Close implements domain.Store: Updates already queued run to completion,
// new ones fail with ErrClosed, then the pools are closed. Close is safe to
// call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.reqs)
		s.mu.Unlock()
		<-s.done
		if s.stopMaintain != nil {
			// Maintenance (SQLite's checkpointer) uses the database too:
			// it must be finished before the pools close.
			s.stopMaintain()
			<-s.maintainDone
		}
		s.wc.close()
		s.rc.close()
		s.closeErr = s.w.Close()
		if s.r != s.w {
			if err := s.r.Close(); s.closeErr == nil {
				s.closeErr = err
			}
		}
		if s.onClosed != nil {
			s.onClosed()
		}
	})
	return s.closeErr
}

// writer is the only goroutine that writes. It takes the first waiting
// request and whatever else is already queued: under light load every
// Update commits alone with no added latency, and under heavy load the
// queue fills during each commit, so batches grow by themselves when the
// commit is the bottleneck. When it found company for the first request
// it also lingers (Config.Linger) for requests just behind, which keeps
// open-loop arrivals from each paying a commit.
func (s *Store) writer() {
	defer close(s.done)
	batch := make([]*request, 0, s.maxBatch)
	for first := range s.reqs {
		batch = batch[:0]
		if first.state.CompareAndSwap(reqWaiting, reqTaken) {
			batch = append(batch, first)
		}
		batch = s.fill(batch, nil)
		if len(batch) >= lingerFrom && s.linger > 0 {
			// Requests are queueing: give the ones a moment behind a
			// short wait to join this commit, rather than pay a commit
			// (an fsync) of their own right after it.
			t := time.NewTimer(s.linger)
			batch = s.fill(batch, t.C)
			t.Stop()
		}
		if len(batch) > 0 {
			s.runBatch(batch)
		}
	}
}

// fill adds queued requests to batch until it is full or the queue is
// closed, and until none is waiting (until nil) or until fires.
// Requests whose callers gave up while queued are skipped.
func (s *Store) fill(batch []*request, until <-chan time.Time) []*request {
	for len(batch) < s.maxBatch {
		var r *request
		var ok bool
		if until == nil {
			select {
			case r, ok = <-s.reqs:
			default:
				return batch
			}
		} else {
			select {
			case r, ok = <-s.reqs:
			case <-until:
				return batch
			}
		}
		if !ok {
			return batch
		}
		if r.state.CompareAndSwap(reqWaiting, reqTaken) {
			batch = append(batch, r)
		}
	}
	return batch
}

// runBatch runs batch in one transaction and answers every request.
func (s *Store) runBatch(batch []*request) {
	// The transaction belongs to no single caller, so it does not follow
	// any caller's context: a request that was taken runs to its end.
	ctx := context.Background()
	s.batches.Add(1)
	s.updates.Add(uint64(len(batch)))
	start := time.Now()
	defer func() { s.busy.Add(int64(time.Since(start))) }()
	results := make([]result, len(batch))
	answer := func() {
		for i, r := range batch {
			r.res <- results[i]
		}
	}
	failAll := func(err error) {
		for i := range results {
			if results[i].err == nil && !results[i].panicked {
				results[i].err = err
			}
		}
		answer()
	}

	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		failAll(fmt.Errorf("%s: begin: %w", s.d.Name, err))
		return
	}
	if s.tokens != nil {
		if err := s.tokens.begin(ctx, tx, s.q.tok.load); err != nil {
			tx.Rollback()
			failAll(fmt.Errorf("%s: reload idempotency tokens: %w", s.d.Name, err))
			return
		}
	}

	// A lone request needs no savepoint: the transaction itself gives it
	// all-or-nothing, and skipping it saves two round trips on PostgreSQL.
	if len(batch) == 1 {
		var tokens tokenChanges
		results[0], tokens = s.call(batch[0], tx)
		if results[0].err != nil || results[0].panicked {
			tx.Rollback()
			answer()
			return
		}
		s.keepTokens(tokens)
		if err := s.commit(tx); err != nil {
			failAll(err)
			return
		}
		answer()
		return
	}

	anyOK := false
	for i, r := range batch {
		if _, err := s.wc.exec(tx, spBegin); err != nil {
			// The transaction is unusable; nothing in it can be committed.
			tx.Rollback()
			for j := i; j < len(batch); j++ {
				results[j].err = fmt.Errorf("%s: savepoint: %w", s.d.Name, err)
			}
			failAll(fmt.Errorf("%s: batch aborted: %w", s.d.Name, err))
			return
		}
		var tokens tokenChanges
		results[i], tokens = s.call(r, tx)
		if results[i].err == nil && !results[i].panicked {
			_, err := s.wc.exec(tx, spRelease)
			if err == nil {
				anyOK = true
				s.keepTokens(tokens)
				continue
			}
			// fn returned nil but the transaction cannot keep its writes
			// (PostgreSQL after a statement error fn swallowed): undo just
			// this request, as if fn had failed.
			results[i].err = fmt.Errorf("%s: release savepoint: %w", s.d.Name, err)
		}
		if _, err := s.wc.exec(tx, spRollback); err != nil {
			tx.Rollback()
			failAll(fmt.Errorf("%s: rollback to savepoint: %w", s.d.Name, err))
			return
		}
		if _, err := s.wc.exec(tx, spRelease); err != nil {
			tx.Rollback()
			failAll(fmt.Errorf("%s: release savepoint: %w", s.d.Name, err))
			return
		}
	}
	if !anyOK {
		// Nothing to keep: a rollback skips the sync a commit would cost.
		tx.Rollback()
		answer()
		return
	}
	if err := s.commit(tx); err != nil {
		failAll(err)
		return
	}
	answer()
}

// keepTokens adds a kept request's idempotency changes to its batch's.
func (s *Store) keepTokens(c tokenChanges) {
	if s.tokens != nil {
		s.tokens.keep(c)
		s.tokens.reclaim(c)
	}
}

// commit commits a batch's transaction and accounts for it; the batch's
// idempotency changes reach the in-memory index only if it committed.
func (s *Store) commit(tx *sql.Tx) error {
	start := time.Now()
	if err := tx.Commit(); err != nil {
		if s.tokens != nil {
			s.tokens.commitFailed()
		}
		return fmt.Errorf("%s: commit: %w", s.d.Name, err)
	}
	d := time.Since(start)
	if s.tokens != nil {
		s.tokens.committed()
	}
	s.commits.Add(1)
	s.committing.Add(int64(d))
	if f := s.onCommit.Load(); f != nil {
		(*f)(d)
	}
	return nil
}

// call runs one fn with a Tx that is invalidated when fn returns, so a fn
// that kept it cannot write into a later request's savepoint.
// It returns the request's changes to the in-memory idempotency index,
// for the caller to keep if it keeps the request's writes.
func (s *Store) call(r *request, tx *sql.Tx) (res result, tokens tokenChanges) {
	wt := &writeTx{readTx: readTx{s: s, tx: tx, sc: s.wc}}
	if s.tokens != nil {
		wt.tokens = s.tokens.lend()
	}
	defer func() {
		wt.closed.Store(true)
		tokens = wt.tokens
		if p := recover(); p != nil {
			res, tokens = result{panicked: true, panicVal: p}, nil
		}
	}()
	return result{err: r.fn(wt)}, nil
}
