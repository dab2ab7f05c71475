package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/store/sqlite"
	"github.com/switchboard-cc/switchboard/store/sqlite/migrations"
	"github.com/switchboard-cc/switchboard/store/sqlstore"
)

// TestSecondOpenRefused: the store keeps the idempotency key in memory, so
// a second store on the same file (in this process or another) must not
// start; once the first closes, the file opens again.
func TestSecondOpenRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.db")
	s := open(t, path)
	if s2, err := sqlite.Open(path); err == nil {
		s2.Close()
		t.Fatal("a second Open of an open database succeeded")
	} else if !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("second Open: %v; want a message saying the database is in use", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, path)
	s.Close()
}

// TestIdempotencyKeyLeavesTheDatabase: a database written before migration
// 011, whose idempotency table had its key in the database, opens with
// every entry found through the key in memory, live entries still refusing
// a claim.
func TestIdempotencyKeyLeavesTheDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	old := fstest.MapFS{}
	entries, err := fs.ReadDir(migrations.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() >= "011" {
			continue
		}
		b, err := fs.ReadFile(migrations.FS, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		old[e.Name()] = &fstest.MapFile{Data: b}
	}
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	oldDialect := *sqlite.Dialect
	oldDialect.Migrations, oldDialect.TokenIndexInMemory = old, false
	s, err := sqlstore.New(context.Background(), sqlstore.Config{Dialect: &oldDialect, Writer: db, Reader: db})
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	want := []domain.Idempotency{
		{InstanceID: "i1", Operation: "StartTaskContact", Token: "a", RequestHash: "h1", ResultID: "c1", CreatedAt: created},
		{InstanceID: "i1", Operation: "StartChatContact", Token: "a", RequestHash: "h2", ResultID: "c2", CreatedAt: created.Add(time.Second)},
		{InstanceID: "i2", Operation: "StartTaskContact", Token: "b", RequestHash: "h3", ResultID: "c3", CreatedAt: created.Add(2 * time.Second)},
	}
	err = s.Update(context.Background(), func(tx domain.Tx) error {
		for _, e := range want {
			if err := tx.PutIdempotency(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := open(t, path)
	defer s2.Close()
	err = s2.View(context.Background(), func(tx domain.ReadTx) error {
		for _, e := range want {
			got, err := tx.GetIdempotency(e.InstanceID, e.Operation, e.Token)
			if err != nil || got.ResultID != e.ResultID || got.RequestHash != e.RequestHash || !got.CreatedAt.Equal(e.CreatedAt) {
				t.Errorf("after the migration %s/%s/%s = %+v, %v", e.InstanceID, e.Operation, e.Token, got, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s2.Update(context.Background(), func(tx domain.Tx) error {
		again := want[0]
		again.ResultID = "other"
		prior, claimed, err := tx.ClaimIdempotency(again, created.Add(-time.Hour))
		if err == nil && (claimed || prior.ResultID != "c1") {
			t.Errorf("claim over a migrated live entry: claimed %v, prior %+v", claimed, prior)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOpenReportsRebuild: the rebuild of the idempotency key tells how far
// it is, for serve to log while a large store opens.
func TestOpenReportsRebuild(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	fillTokens(t, path, 2_500)
	var msgs []string
	s, err := sqlite.OpenWith(path, sqlite.Options{Progress: func(m string) { msgs = append(msgs, m) }, ProgressEvery: 1000})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(msgs) != 2 || !strings.Contains(msgs[0], "1000 so far") || !strings.Contains(msgs[1], "2000 so far") {
		t.Errorf("progress reports %q, want them at 1000 and 2000", msgs)
	}
}

// fillTokens creates the database at path with n idempotency entries,
// tokens and IDs of a UUID's length as the SDKs and the store make them.
func fillTokens(tb testing.TB, path string, n int) {
	tb.Helper()
	rawExec(tb, path, `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?)
		INSERT INTO idempotency (instance_id, operation, token, request_hash, result_id, created_at)
		SELECT 'f0e1d2c3-b4a5-4697-8877-665544332211', 'StartTaskContact', lower(hex(randomblob(18))),
		       lower(hex(randomblob(32))), lower(hex(randomblob(18))), 1700000000000000 + x FROM n`, n)
}

// rawExec creates the store's database at path (if it is not there) and
// runs query on it with a plain connection, behind the store's back: how
// these tests set up what no store operation would.
func rawExec(tb testing.TB, path, query string, args ...any) {
	tb.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkOpenWithTokens: what the idempotency key in memory costs when
// the store opens with a week of entries: the time to rebuild it and the
// heap it keeps, per entry. 1,000,000 entries is a week at 1.65 tasks a
// second, around the clock.
//
//	go test -run XXX -bench OpenWithTokens -benchtime 3x ./store/sqlite
func BenchmarkOpenWithTokens(b *testing.B) {
	const entries = 1_000_000
	path := filepath.Join(b.TempDir(), "tokens.db")
	fillTokens(b, path, entries)
	var heap uint64
	b.ResetTimer()
	for range b.N {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := sqlite.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = after.HeapAlloc - before.HeapAlloc
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/entries, "heap-B/entry")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/entries, "open-ns/entry")
}

// TestOpenRefusesNewerSchema: a database a newer build has migrated is
// refused with a message saying so, not opened to fail on its first write.
func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.db")
	rawExec(t, path, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_from_the_future.sql', 0)")
	if s, err := sqlite.Open(path); err == nil {
		s.Close()
		t.Fatal("a database from a newer build opened")
	} else if !errors.Is(err, sqlstore.ErrSchemaNewer) || !strings.Contains(err.Error(), "9999") {
		t.Errorf("Open: %v; want ErrSchemaNewer naming migration 9999", err)
	}
}

// TestFailedCommitForgetsItsTokens: when a batch's COMMIT fails, none of
// its claims reach the key in memory (the database did not keep them), and
// the writer goes on. A deferred foreign key that the commit finds broken
// stands in for a failing disk.
func TestFailedCommitForgetsItsTokens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	rawExec(t, path, `CREATE TABLE poison_parent (id TEXT PRIMARY KEY);
		CREATE TABLE poison_child (pid TEXT REFERENCES poison_parent(id) DEFERRABLE INITIALLY DEFERRED);
		CREATE TRIGGER poison AFTER INSERT ON idempotency WHEN NEW.token = 'poison'
		BEGIN INSERT INTO poison_child VALUES ('none'); END;`)
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	claim := func(tok string) (bool, error) {
		var claimed bool
		err := st.Update(ctx, func(tx domain.Tx) error {
			var err error
			_, claimed, err = tx.ClaimIdempotency(domain.Idempotency{InstanceID: "i", Operation: "op", Token: tok,
				RequestHash: "h", ResultID: tok, CreatedAt: time.Unix(100, 0)}, time.Unix(0, 0))
			return err
		})
		return claimed, err
	}
	// Hold the writer so that both claims share the next batch.
	gate, entered := make(chan struct{}), make(chan struct{})
	go st.Update(ctx, func(domain.Tx) error { close(entered); <-gate; return nil })
	<-entered
	errs := make(chan error, 2)
	for i, tok := range []string{"bystander", "poison"} {
		go func() { _, err := claim(tok); errs <- err }()
		for st.Queued() < i+1 {
			runtime.Gosched() // queued in this order
		}
	}
	close(gate)
	for range 2 {
		if err := <-errs; err == nil {
			t.Error("a claim in the batch whose commit failed succeeded")
		}
	}
	// The writer goes on, and what the failed commit held is free.
	if claimed, err := claim("bystander"); err != nil || !claimed {
		t.Errorf("claim after the failed commit: claimed %v, %v; want a new claim", claimed, err)
	}
	err = st.View(ctx, func(tx domain.ReadTx) error {
		if _, err := tx.GetIdempotency("i", "op", "poison"); !errors.Is(err, domain.ErrStoreNotFound) {
			t.Errorf("the poisoned claim is found: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
