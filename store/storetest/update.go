package storetest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// typedErr stands for the domain's typed errors, which must come back
// from Update unchanged (same value, not wrapped beyond recognition).
type typedErr struct{ n int }

func (e *typedErr) Error() string { return fmt.Sprint("typed error ", e.n) }

func testUpdateErrorRollsBack(t *testing.T, h *harness) {
	d := h.db(t)
	putRecords(t, d, rec(domain.KindQueue, "i1", "keep", "Keep"))
	want := &typedErr{1}
	err := d.Update(ctx, func(tx domain.Tx) error {
		if err := tx.PutRecord(rec(domain.KindQueue, "i1", "q1", "New")); err != nil {
			return err
		}
		if err := tx.DeleteRecord(domain.KindQueue, "i1", "keep"); err != nil {
			return err
		}
		if err := tx.PutContact(contact("i1", "c1", func(*domain.ContactRow) {})); err != nil {
			return err
		}
		if err := tx.PutIdempotency(domain.Idempotency{InstanceID: "i1", Operation: "op", Token: "t"}); err != nil {
			return err
		}
		return want
	})
	if err != want {
		t.Errorf("Update returned %v (%T), want fn's error unchanged", err, err)
	}
	view(t, d, func(tx domain.ReadTx) error {
		_, err := tx.GetRecord(domain.KindQueue, "i1", "q1")
		wantErr(t, "record put by failed fn", err, domain.ErrStoreNotFound)
		if _, err := tx.GetRecord(domain.KindQueue, "i1", "keep"); err != nil {
			t.Errorf("record deleted by failed fn: %v", err)
		}
		_, err = tx.GetContact("i1", "c1")
		wantErr(t, "contact put by failed fn", err, domain.ErrStoreNotFound)
		_, err = tx.GetIdempotency("i1", "op", "t")
		wantErr(t, "idempotency put by failed fn", err, domain.ErrStoreNotFound)
		return nil
	})
	// ErrStoreNotFound from a Tx method, returned by fn, is still itself.
	err = d.Update(ctx, func(tx domain.Tx) error { return tx.DeleteRecord(domain.KindQueue, "i1", "nope") })
	wantErr(t, "store error through Update", err, domain.ErrStoreNotFound)
}

// holdWriter starts an Update whose fn blocks until release is called, so
// that Updates started meanwhile queue up and are committed together by a
// group-committing store. (A store without group commit passes too; the
// test then checks plain atomicity.)
func holdWriter(t *testing.T, s domain.Store) (release func()) {
	t.Helper()
	entered, gate := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Update(ctx, func(tx domain.Tx) error {
			close(entered)
			<-gate
			return tx.PutRecord(rec(domain.KindQueue, "hold", "hold", ""))
		})
	}()
	<-entered
	return func() {
		close(gate)
		if err := <-done; err != nil {
			t.Errorf("holding Update: %v", err)
		}
	}
}

func testUpdateAtomicWhenBatched(t *testing.T, h *harness) {
	d := h.db(t)
	putRecords(t, d, rec(domain.KindQueue, "i1", "taken", "Taken"))
	const n = 60
	release := holdWriter(t, d)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = d.Update(ctx, func(tx domain.Tx) error {
				id := fmt.Sprint("c", i)
				if err := tx.PutContact(contact("i1", id, func(*domain.ContactRow) {})); err != nil {
					return err
				}
				if err := tx.PutRecord(rec(domain.KindUser, "i1", id, "user-"+id)); err != nil {
					return err
				}
				switch i % 3 {
				case 1: // fails after writing
					return &typedErr{i}
				case 2: // fails on a duplicate name after writing
					return tx.PutRecord(rec(domain.KindQueue, "i1", id, "Taken"))
				}
				return nil
			})
		}()
	}
	// Let the goroutines queue behind the held writer, where the store
	// can say so; a store that cannot still passes, as one without group
	// commit does.
	if q, ok := d.Store.(interface{ Queued() int }); ok {
		for q.Queued() < n {
			runtime.Gosched()
		}
	}
	release()
	wg.Wait()
	view(t, d, func(tx domain.ReadTx) error {
		for i := 0; i < n; i++ {
			id := fmt.Sprint("c", i)
			_, cerr := tx.GetContact("i1", id)
			_, rerr := tx.GetRecord(domain.KindUser, "i1", id)
			switch i % 3 {
			case 0:
				if errs[i] != nil || cerr != nil || rerr != nil {
					t.Errorf("update %d: err %v; contact %v, record %v", i, errs[i], cerr, rerr)
				}
			case 1:
				var te *typedErr
				if !errors.As(errs[i], &te) || te.n != i {
					t.Errorf("update %d returned %v, want typed error %d", i, errs[i], i)
				}
			case 2:
				wantErr(t, fmt.Sprint("update ", i), errs[i], domain.ErrStoreDuplicate)
			}
			if i%3 != 0 && (!errors.Is(cerr, domain.ErrStoreNotFound) || !errors.Is(rerr, domain.ErrStoreNotFound)) {
				t.Errorf("failed update %d left writes: contact %v, record %v", i, cerr, rerr)
			}
		}
		if c, err := tx.CountContacts(domain.ContactQuery{InstanceID: "i1"}); err != nil || c != n/3 {
			t.Errorf("CountContacts = %d, %v; want %d", c, err, n/3)
		}
		return nil
	})
}

func testUpdateConcurrent(t *testing.T, h *harness) {
	d := h.db(t)
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("c%03d", i)
			err := d.Update(ctx, func(tx domain.Tx) error {
				if err := tx.PutContact(contact("i1", id, func(c *domain.ContactRow) { c.InitiationTime = at(i) })); err != nil {
					return err
				}
				// Read-modify-write of a shared row: updates must be
				// serialised for the counter to end at n.
				r, err := tx.GetRecord(domain.KindQueue, "i1", "counter")
				if errors.Is(err, domain.ErrStoreNotFound) {
					r = rec(domain.KindQueue, "i1", "counter", "")
					r.Data = []byte("0")
				} else if err != nil {
					return err
				}
				var v int
				fmt.Sscan(string(r.Data), &v)
				r.Data = []byte(fmt.Sprint(v + 1))
				return tx.PutRecord(r)
			})
			if err != nil {
				errs <- fmt.Errorf("update %s: %w", id, err)
				return
			}
			// Committed means visible to every later read.
			if _, err := getContact(t, d, "i1", id); err != nil {
				errs <- fmt.Errorf("contact %s after its Update: %w", id, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	check := func(when string) {
		view(t, d, func(tx domain.ReadTx) error {
			if c, err := tx.CountContacts(domain.ContactQuery{InstanceID: "i1"}); err != nil || c != n {
				t.Errorf("%s: CountContacts = %d, %v; want %d", when, c, err, n)
			}
			r, err := tx.GetRecord(domain.KindQueue, "i1", "counter")
			if err != nil || string(r.Data) != fmt.Sprint(n) {
				t.Errorf("%s: counter = %q, %v; want %d", when, r.Data, err, n)
			}
			return nil
		})
	}
	check("before restart")
	d.restart(t)
	check("after restart")
}

func testUpdateCanceledContext(t *testing.T, h *harness) {
	d := h.db(t)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	err := d.Update(cctx, func(tx domain.Tx) error {
		ran = true
		return tx.PutRecord(rec(domain.KindQueue, "i1", "q1", ""))
	})
	if err == nil && ran {
		// A store may run fn anyway; then the write must be committed.
		if _, err := getRecord(t, d, domain.KindQueue, "i1", "q1"); err != nil {
			t.Errorf("Update succeeded but its write is missing: %v", err)
		}
	} else if !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a canceled context = %v, want context.Canceled", err)
	} else if _, gerr := getRecord(t, d, domain.KindQueue, "i1", "q1"); !errors.Is(gerr, domain.ErrStoreNotFound) {
		t.Errorf("canceled Update left its write: %v", gerr)
	}

	// Cancelled while queued behind a busy writer: the caller gets the
	// context's error, and if so fn's writes are not committed later.
	release := holdWriter(t, d)
	qctx, qcancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer qcancel()
	err = d.Update(qctx, func(tx domain.Tx) error { return tx.PutRecord(rec(domain.KindQueue, "i1", "q2", "")) })
	release()
	if err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("queued Update whose context ended = %v, want DeadlineExceeded", err)
		}
		// One more Update flushes anything still queued.
		putRecords(t, d, rec(domain.KindQueue, "i1", "q3", ""))
		if _, gerr := getRecord(t, d, domain.KindQueue, "i1", "q2"); !errors.Is(gerr, domain.ErrStoreNotFound) {
			t.Errorf("abandoned Update was committed anyway: %v", gerr)
		}
	}
}

func testReadAfterCommit(t *testing.T, h *harness) {
	d := h.db(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				id := fmt.Sprintf("g%d-%d", g, i)
				if err := d.Update(ctx, func(tx domain.Tx) error {
					return tx.PutRecord(rec(domain.KindUser, "i1", id, id))
				}); err != nil {
					t.Errorf("Update: %v", err)
					return
				}
				if err := d.View(ctx, func(tx domain.ReadTx) error {
					_, err := tx.GetRecordByName(domain.KindUser, "i1", id)
					return err
				}); err != nil {
					t.Errorf("read after commit of %s: %v", id, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func testViewSeesOnlyCommitted(t *testing.T, h *harness) {
	d := h.db(t)
	putRecords(t, d, rec(domain.KindQueue, "i1", "q1", "v1"))
	release := holdWriterWith(t, d, func(tx domain.Tx) error {
		return tx.PutRecord(rec(domain.KindQueue, "i1", "q1", "v2"))
	})
	// The writer is inside fn with v2 written but not committed.
	got, err := getRecord(t, d, domain.KindQueue, "i1", "q1")
	if err != nil || got.Name != "v1" {
		t.Errorf("View during an open Update = %+v, %v; want v1", got, err)
	}
	release()
	got, err = getRecord(t, d, domain.KindQueue, "i1", "q1")
	if err != nil || got.Name != "v2" {
		t.Errorf("View after the Update = %+v, %v; want v2", got, err)
	}
}

// holdWriterWith is holdWriter running write before blocking.
func holdWriterWith(t *testing.T, s domain.Store, write func(tx domain.Tx) error) (release func()) {
	t.Helper()
	entered, gate := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Update(ctx, func(tx domain.Tx) error {
			err := write(tx)
			close(entered)
			<-gate
			return err
		})
	}()
	<-entered
	return func() {
		close(gate)
		if err := <-done; err != nil {
			t.Errorf("holding Update: %v", err)
		}
	}
}

func testDurableAcrossReopen(t *testing.T, h *harness) {
	d := h.db(t)
	r := rec(domain.KindQueue, "i1", "q1", "Support")
	c := contact("i1", "c1", func(c *domain.ContactRow) { c.EnqueueTime, c.AgentID = at(7), "a1" })
	i := domain.Idempotency{InstanceID: "i1", Operation: "op", Token: "t", RequestHash: "h", ResultID: "c1", CreatedAt: at(3)}
	update(t, d, func(tx domain.Tx) error {
		if err := tx.PutRecord(r); err != nil {
			return err
		}
		if err := tx.PutContact(c); err != nil {
			return err
		}
		return tx.PutIdempotency(i)
	})
	d.restart(t)
	got, err := getRecord(t, d, domain.KindQueue, "i1", "q1")
	if err != nil {
		t.Fatalf("record after restart: %v", err)
	}
	checkRecord(t, got, r)
	gc, err := getContact(t, d, "i1", "c1")
	if err != nil {
		t.Fatalf("contact after restart: %v", err)
	}
	checkContact(t, gc, c)
	view(t, d, func(tx domain.ReadTx) error {
		gi, err := tx.GetIdempotency("i1", "op", "t")
		if err != nil || gi.ResultID != "c1" || !sameTime(gi.CreatedAt, at(3)) {
			t.Errorf("idempotency after restart = %+v, %v", gi, err)
		}
		return nil
	})
	// The reopened store is fully usable, constraints included.
	err = d.Update(ctx, func(tx domain.Tx) error { return tx.PutRecord(rec(domain.KindQueue, "i1", "q2", "Support")) })
	wantErr(t, "duplicate after restart", err, domain.ErrStoreDuplicate)
	d.restart(t)
	putRecords(t, d, rec(domain.KindQueue, "i1", "q2", "Sales"))
}

// Close waits for in-flight Updates: every Update that reported success
// is there after a restart.
func testCloseWaitsForUpdates(t *testing.T, h *harness) {
	d := h.db(t)
	s := d.Store
	const n = 100
	var wg sync.WaitGroup
	errs := make([]error, n)
	started := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			errs[i] = s.Update(ctx, func(tx domain.Tx) error {
				return tx.PutContact(contact("i1", fmt.Sprint("c", i), func(*domain.ContactRow) {}))
			})
		}()
	}
	for i := 0; i < n/2; i++ {
		<-started
	}
	d.restart(t) // Close races the Updates
	wg.Wait()
	ok := 0
	view(t, d, func(tx domain.ReadTx) error {
		for i := 0; i < n; i++ {
			_, err := tx.GetContact("i1", fmt.Sprint("c", i))
			if errs[i] == nil {
				ok++
				if err != nil {
					t.Errorf("Update %d succeeded before Close but is lost: %v", i, err)
				}
			}
		}
		return nil
	})
	t.Logf("%d of %d Updates completed around Close", ok, n)
	// After Close, Update fails rather than hanging or panicking.
	if err := s.Update(ctx, func(domain.Tx) error { return nil }); err == nil {
		t.Error("Update on a closed store succeeded")
	}
}

// testUpdateFirstOfBatchFails: the first request of a batch, whose
// failure a group-committing store may undo by rolling back the whole
// transaction, loses only its own writes; those after it in the batch
// are kept or lost by their own outcome alone.
func testUpdateFirstOfBatchFails(t *testing.T, h *harness) {
	d := h.db(t)
	q, ordered := d.Store.(interface{ Queued() int })
	outcomes := []bool{false, false, true, false, true} // whether each request succeeds
	release := holdWriter(t, d)
	errs := make([]error, len(outcomes))
	var wg sync.WaitGroup
	for i, ok := range outcomes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = d.Update(ctx, func(tx domain.Tx) error {
				if err := tx.PutContact(contact("i1", fmt.Sprint("c", i), func(*domain.ContactRow) {})); err != nil {
					return err
				}
				if err := tx.PutIdempotency(domain.Idempotency{InstanceID: "i1", Operation: "op", Token: fmt.Sprint("t", i), CreatedAt: at(i)}); err != nil {
					return err
				}
				if !ok {
					return &typedErr{i}
				}
				return nil
			})
		}()
		if ordered {
			// Queue them in this order, so that the failing ones lead.
			for q.Queued() < i+1 {
				runtime.Gosched()
			}
		}
	}
	release()
	wg.Wait()
	view(t, d, func(tx domain.ReadTx) error {
		for i, ok := range outcomes {
			_, cerr := tx.GetContact("i1", fmt.Sprint("c", i))
			_, ierr := tx.GetIdempotency("i1", "op", fmt.Sprint("t", i))
			if ok && (errs[i] != nil || cerr != nil || ierr != nil) {
				t.Errorf("request %d: %v; contact %v, token %v", i, errs[i], cerr, ierr)
			}
			if !ok && (!errors.Is(cerr, domain.ErrStoreNotFound) || !errors.Is(ierr, domain.ErrStoreNotFound)) {
				t.Errorf("failed request %d left writes: contact %v, token %v", i, cerr, ierr)
			}
		}
		return nil
	})
}
