package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/store/sqlite"
	"github.com/switchboard-cc/switchboard/store/sqlstore"
	"github.com/switchboard-cc/switchboard/store/storetest"
)

func open(t testing.TB, path string) domain.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (domain.Store, func(t *testing.T) domain.Store) {
		path := filepath.Join(t.TempDir(), "switchboard.db")
		return open(t, path), func(t *testing.T) domain.Store { return open(t, path) }
	})
}

func TestOpenRejectsBadPaths(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db", "/tmp/x.db?mode=ro"} {
		if s, err := sqlite.Open(p); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

// Migrations are recorded and not re-applied on reopen.
func TestMigrationsRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	for i := 0; i < 2; i++ {
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		s.Close()
	}
}

// The behaviours below are sqlstore's own, beyond the domain.Store
// contract; they are tested here because sqlstore needs a real database.

func TestPanicInFnReachesCaller(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "p.db"))
	defer s.Close()
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want boom", p)
			}
		}()
		s.Update(context.Background(), func(tx domain.Tx) error {
			tx.PutRecord(domain.Record{Kind: domain.KindQueue, InstanceID: "i", ID: "p"})
			panic("boom")
		})
	}()
	// The writer survived and the panicking fn's write is gone.
	err := s.View(context.Background(), func(tx domain.ReadTx) error {
		_, err := tx.GetRecord(domain.KindQueue, "i", "p")
		return err
	})
	if !errors.Is(err, domain.ErrStoreNotFound) {
		t.Errorf("write of panicking fn: %v, want not found", err)
	}
}

func TestTxUnusableAfterFn(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "t.db"))
	defer s.Close()
	var kept domain.Tx
	if err := s.Update(context.Background(), func(tx domain.Tx) error { kept = tx; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := kept.PutRecord(domain.Record{Kind: domain.KindQueue, ID: "late"}); err == nil {
		t.Error("write through a Tx after its fn returned succeeded")
	}
}

func TestUpdateAfterClose(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "c.db"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	err := s.Update(context.Background(), func(domain.Tx) error { return nil })
	if !errors.Is(err, sqlstore.ErrClosed) {
		t.Errorf("Update after Close = %v, want ErrClosed", err)
	}
	err = s.View(context.Background(), func(domain.ReadTx) error { return nil })
	if !errors.Is(err, sqlstore.ErrClosed) {
		t.Errorf("View after Close = %v, want ErrClosed", err)
	}
}

// Updates queued behind a busy writer share one commit.
func TestGroupCommit(t *testing.T) {
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	gate, entered := make(chan struct{}), make(chan struct{})
	go s.Update(ctx, func(domain.Tx) error { close(entered); <-gate; return nil })
	<-entered
	before := s.Stats()
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Update(ctx, func(tx domain.Tx) error {
				return tx.PutContact(domain.ContactRow{InstanceID: "i", ID: fmt.Sprint(i)})
			}); err != nil {
				t.Error(err)
			}
		}()
	}
	for s.Queued() < 50 {
		runtime.Gosched() // until every Update waits behind the held one
	}
	close(gate)
	wg.Wait()
	after := s.Stats()
	// The held request's batch plus at most a few for the 50 queued.
	if commits := after.Commits - before.Commits; commits > 5 {
		t.Errorf("50 queued Updates took %d commits; group commit is not grouping", commits)
	}
}

// TestCloseLeavesNoWAL: Close stops the checkpointer and closes every
// connection, so SQLite folds the WAL back into the database and removes it;
// nothing touches the directory afterwards. The lock file stays: removing
// it while another Open may be taking it would let two take a lock each.
func TestCloseLeavesNoWAL(t *testing.T) {
	dir := t.TempDir()
	s := open(t, filepath.Join(dir, "c.db"))
	err := s.Update(context.Background(), func(tx domain.Tx) error {
		return tx.PutRecord(domain.Record{Kind: domain.KindQueue, InstanceID: "i", ID: "q", Data: []byte(`{}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "c.db" && e.Name() != "c.db-lock" {
			t.Errorf("after Close the directory still has %s", e.Name())
		}
	}
}

// TestWriterStats: the writer accounts for its time and tells the commit
// observer of every commit, and of nothing once it is removed.
func TestWriterStats(t *testing.T) {
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	var observed []time.Duration
	s.ObserveCommits(func(d time.Duration) { observed = append(observed, d) })
	before := s.Stats()
	put := func(id string) {
		t.Helper()
		if err := s.Update(ctx, func(tx domain.Tx) error {
			return tx.PutContact(domain.ContactRow{InstanceID: "i", ID: id})
		}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		put(fmt.Sprint(i))
	}
	// A batch that fails is rolled back: busy, but no commit.
	if err := s.Update(ctx, func(domain.Tx) error { return errors.New("no") }); err == nil {
		t.Fatal("failing update succeeded")
	}
	after := s.Stats()
	commits := after.Commits - before.Commits
	if commits != 3 || len(observed) != 3 {
		t.Fatalf("3 committed updates: %d commits, %d observed", commits, len(observed))
	}
	for _, d := range observed {
		if d <= 0 {
			t.Errorf("commit observed with duration %v", d)
		}
	}
	busy, committing := after.Busy-before.Busy, after.Committing-before.Committing
	if committing <= 0 || busy < committing {
		t.Errorf("busy %v, committing %v: want 0 < committing <= busy", busy, committing)
	}
	s.ObserveCommits(nil)
	put("after")
	if len(observed) != 3 {
		t.Errorf("observer removed but told of %d commits", len(observed))
	}
}
