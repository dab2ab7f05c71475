// Package delivery sends what the server says to the outside world: chat
// streaming notifications (to HTTP webhooks and NATS subjects standing in
// for SNS topics), SMS texts (to an SMS webhook) and email (to an SMTP
// relay); and it takes in what the outside world says back: inbound SMS
// through an authenticated webhook, inbound email through an SMTP listener.
//
// Outgoing messages go through the store's outbox (domain.OutboxRow),
// written in the transaction of the change that causes them. The Worker
// delivers the rows:
//
//   - at least once: a row is deleted only after its sink accepted it, so a
//     crash or restart between the send and the delete sends it again
//     (receivers deduplicate by the SNS MessageId, the SMS messageId, the
//     email Message-ID; the NATS sink sets Nats-Msg-Id for JetStream);
//   - in order per stream (one contact's messages to one endpoint): a row
//     is attempted only when every earlier row of its stream is delivered;
//   - with retries forever, backing off exponentially from 1 s to 5 min
//     per row; a failing stream holds back only itself.
//
// One worker per database is assumed: with several nodes on one PostgreSQL
// database each node delivers, which keeps at-least-once but may send a
// row twice and out of order.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// Sink sends one outbox row's Data. A nil error means the receiver has it.
type Sink interface {
	Send(ctx context.Context, row domain.OutboxRow) error
}

// ErrNoSink is what a row without a configured sink fails with.
var errNoSink = errors.New("no sink configured for this target")

// Backoff bounds.
const (
	firstRetry = time.Second
	maxRetry   = 5 * time.Minute
	// pageSize bounds the rows read per store query.
	pageSize = 500
	// parallel bounds the streams delivered at once.
	parallel = 16
)

// backoff is the wait after the n-th failed attempt (n >= 1).
func backoff(n int) time.Duration {
	d := firstRetry
	for i := 1; i < n && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}

// Worker delivers the outbox.
type Worker struct {
	store domain.Store
	clock clock.Clock
	log   *slog.Logger
	sinks func(target string) (Sink, bool)
	// dropUnrouted lists targets whose rows are dropped (logged) when no
	// sink is configured: SMS, email and push are optional features, while a
	// streaming endpoint that disappears from the configuration may come
	// back, so its rows wait.
	dropUnrouted map[string]bool

	kickc chan struct{}
	stop  chan struct{}
	done  chan struct{}

	mu      sync.Mutex
	idle    *sync.Cond
	pending bool
	running bool
	timer   clock.Timer
	closed  atomic.Bool
}

// NewWorker returns a worker; Start starts it.
func NewWorker(st domain.Store, clk clock.Clock, log *slog.Logger, sinks func(target string) (Sink, bool)) *Worker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{store: st, clock: clk, log: log, sinks: sinks, kickc: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{}),
		dropUnrouted: map[string]bool{domain.OutboxSMS: true, domain.OutboxEmail: true, domain.OutboxPush: true}}
	w.idle = sync.NewCond(&w.mu)
	return w
}

// Start delivers what the outbox holds (rows left by an earlier run
// included) and then whatever Kick announces.
func (w *Worker) Start() {
	go w.run()
	w.Kick()
}

// Kick tells the worker the outbox has new rows.
func (w *Worker) Kick() {
	if w.closed.Load() {
		return
	}
	w.mu.Lock()
	w.pending = true
	w.mu.Unlock()
	select {
	case w.kickc <- struct{}{}:
	default:
	}
}

// WaitIdle waits until the worker has no pass running or announced: every
// row is delivered or waits for its retry time (tests use it before
// advancing a virtual clock).
func (w *Worker) WaitIdle() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for (w.pending || w.running) && !w.closed.Load() {
		w.idle.Wait()
	}
}

// Close stops the worker after its current pass; rows not delivered stay
// in the outbox for the next start.
func (w *Worker) Close() {
	if w.closed.Swap(true) {
		return
	}
	close(w.stop)
	<-w.done
	w.mu.Lock()
	if w.timer != nil {
		w.timer.Stop()
	}
	w.idle.Broadcast()
	w.mu.Unlock()
}

func (w *Worker) run() {
	defer close(w.done)
	for {
		select {
		case <-w.stop:
			return
		case <-w.kickc:
		}
		w.mu.Lock()
		w.pending, w.running = false, true
		w.mu.Unlock()
		next := w.pass()
		w.mu.Lock()
		w.running = false
		if w.timer != nil {
			w.timer.Stop()
			w.timer = nil
		}
		if !next.IsZero() && !w.closed.Load() {
			w.timer = w.clock.AfterFunc(max(next.Sub(w.clock.Now()), 0), w.Kick)
		}
		if !w.pending {
			w.idle.Broadcast()
		}
		w.mu.Unlock()
	}
}

// pass delivers every due row, stream by stream, and returns when the
// earliest waiting row is due again (zero: none waits).
func (w *Worker) pass() time.Time {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-w.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	streams, order, err := w.load(ctx)
	if err != nil {
		w.log.Error("read delivery outbox", "error", err)
		return w.clock.Now().Add(firstRetry)
	}
	var (
		mu   sync.Mutex
		next time.Time
		wg   sync.WaitGroup
		sem  = make(chan struct{}, parallel)
	)
	for _, key := range order {
		sem <- struct{}{}
		wg.Add(1)
		go func(rows []domain.OutboxRow) {
			defer func() { <-sem; wg.Done() }()
			if t := w.deliverStream(ctx, rows); !t.IsZero() {
				mu.Lock()
				if next.IsZero() || t.Before(next) {
					next = t
				}
				mu.Unlock()
			}
		}(streams[key])
	}
	wg.Wait()
	return next
}

// load reads the outbox grouped by stream, streams in order of their first
// row.
func (w *Worker) load(ctx context.Context) (map[string][]domain.OutboxRow, []string, error) {
	streams := map[string][]domain.OutboxRow{}
	var order []string
	var after int64
	for {
		var page []domain.OutboxRow
		err := w.store.View(ctx, func(tx domain.ReadTx) error {
			var err error
			page, err = tx.ListOutbox(after, pageSize)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		for _, r := range page {
			if _, ok := streams[r.Stream]; !ok {
				order = append(order, r.Stream)
			}
			streams[r.Stream] = append(streams[r.Stream], r)
			after = r.Seq
		}
		if len(page) < pageSize {
			return streams, order, nil
		}
	}
}

// deliverStream sends a stream's rows in order until one fails or is not
// yet due; it returns when that row is due (zero when all went).
func (w *Worker) deliverStream(ctx context.Context, rows []domain.OutboxRow) time.Time {
	for _, r := range rows {
		if ctx.Err() != nil {
			return time.Time{}
		}
		if now := w.clock.Now(); r.NextAttempt.After(now) {
			return r.NextAttempt
		}
		err := w.send(ctx, r)
		if errors.Is(err, errNoSink) && w.dropUnrouted[r.Target] {
			w.log.Warn("outgoing message dropped: no sink is configured for it", "target", r.Target, "stream", r.Stream)
			err = nil
		}
		if err == nil {
			if err := w.store.Update(ctx, func(tx domain.Tx) error { return tx.DeleteOutbox(r.Seq) }); err != nil {
				// Sent but not forgotten: it goes again (at least once).
				w.log.Error("delete delivered outbox row", "seq", r.Seq, "error", err)
				return w.clock.Now().Add(firstRetry)
			}
			continue
		}
		if ctx.Err() != nil {
			return time.Time{}
		}
		attempts := r.Attempts + 1
		next := w.clock.Now().Add(backoff(attempts))
		w.log.Warn("delivery failed; will retry", "target", r.Target, "stream", r.Stream, "attempt", attempts, "retry_at", next, "error", err)
		if err := w.store.Update(ctx, func(tx domain.Tx) error { return tx.RetryOutbox(r.Seq, attempts, next) }); err != nil && !errors.Is(err, domain.ErrStoreNotFound) {
			w.log.Error("record delivery retry", "seq", r.Seq, "error", err)
		}
		return next
	}
	return time.Time{}
}

func (w *Worker) send(ctx context.Context, r domain.OutboxRow) (err error) {
	sink, ok := w.sinks(r.Target)
	if !ok {
		return fmt.Errorf("%w: %s", errNoSink, r.Target)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sink panicked: %v", p)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return sink.Send(ctx, r)
}

// NotifyStore wraps a store so that every committed Update that appended
// outbox rows calls kick: the worker learns of new rows at once instead of
// polling.
func NotifyStore(st domain.Store, kick func()) domain.Store {
	return &notifyStore{Store: st, kick: kick}
}

type notifyStore struct {
	domain.Store
	kick func()
}

func (n *notifyStore) Update(ctx context.Context, fn func(domain.Tx) error) error {
	var appended atomic.Bool
	err := n.Store.Update(ctx, func(tx domain.Tx) error {
		return fn(&notifyTx{Tx: tx, appended: &appended})
	})
	if err == nil && appended.Load() {
		n.kick()
	}
	return err
}

type notifyTx struct {
	domain.Tx
	appended *atomic.Bool
}

func (t *notifyTx) AppendOutbox(rows ...domain.OutboxRow) error {
	if len(rows) > 0 {
		t.appended.Store(true)
	}
	return t.Tx.AppendOutbox(rows...)
}
