package sqlite_test

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
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
