package app

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/store/sqlite"
)

// Stored agent sessions round-trip, and the start-up sweep removes the
// ones that expired while the server was down, and only those.
func TestStoreSessions(t *testing.T) {
	t.Parallel()
	s, st, clk := newStoreSessions(t)
	ctx := context.Background()
	putInstance(t, st, "i")
	live := agentapi.StoredSession{Hash: sha256.Sum256([]byte("live")), InstanceID: "i", UserID: "u", Username: "ada", ExpiresAt: clk.Now().Add(time.Hour)}
	old := agentapi.StoredSession{Hash: sha256.Sum256([]byte("old")), InstanceID: "i", UserID: "u", Username: "ada", ExpiresAt: clk.Now().Add(time.Minute)}
	for _, ss := range []agentapi.StoredSession{live, old} {
		if err := s.PutSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := s.GetSession(ctx, live.Hash)
	if err != nil || !ok || got.Username != "ada" || got.UserID != "u" || got.InstanceID != "i" || !got.ExpiresAt.Equal(live.ExpiresAt) {
		t.Fatalf("GetSession = %+v %v %v", got, ok, err)
	}
	clk.Advance(2 * time.Minute)
	s.sweepSessions(ctx, slog.New(slog.DiscardHandler))
	if _, ok, _ := s.GetSession(ctx, old.Hash); ok {
		t.Error("the expired session survived the sweep")
	}
	if _, ok, _ := s.GetSession(ctx, live.Hash); !ok {
		t.Error("the sweep removed a live session")
	}
	if err := s.DeleteSession(ctx, live.Hash); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, live.Hash); err != nil {
		t.Errorf("deleting a session twice: %v", err)
	}
	if _, ok, _ := s.GetSession(ctx, live.Hash); ok {
		t.Error("a deleted session is still there")
	}
}

// newStoreSessions is a storeSessions on a fresh SQLite store, with the
// store (closed at the test's end) and its virtual clock.
func newStoreSessions(t *testing.T) (storeSessions, domain.Store, *clock.Virtual) {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewVirtual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	return storeSessions{store: st, clock: clk}, st, clk
}

func putInstance(t *testing.T, st domain.Store, id string) {
	t.Helper()
	err := st.Update(context.Background(), func(tx domain.Tx) error {
		return tx.PutRecord(domain.Record{Kind: domain.KindInstance, ID: id, Name: "alias-" + id, Data: []byte(`{}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A session outlives nothing of its instance: once the instance is
// deleted, its sessions are not answered and are removed, whether a
// request asks for one or the start-up sweep finds it.
func TestStoreSessionsOfDeletedInstance(t *testing.T) {
	t.Parallel()
	s, st, clk := newStoreSessions(t)
	ctx := context.Background()
	putInstance(t, st, "i1")
	putInstance(t, st, "i2")
	asked := agentapi.StoredSession{Hash: sha256.Sum256([]byte("asked")), InstanceID: "i1", UserID: "u", Username: "ada", ExpiresAt: clk.Now().Add(time.Hour)}
	idle := agentapi.StoredSession{Hash: sha256.Sum256([]byte("idle")), InstanceID: "i1", UserID: "u", Username: "ada", ExpiresAt: clk.Now().Add(time.Hour)}
	other := agentapi.StoredSession{Hash: sha256.Sum256([]byte("other")), InstanceID: "i2", UserID: "u", Username: "bob", ExpiresAt: clk.Now().Add(time.Hour)}
	for _, ss := range []agentapi.StoredSession{asked, idle, other} {
		if err := s.PutSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Update(ctx, func(tx domain.Tx) error { return tx.DeleteInstance("i1") }); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.GetSession(ctx, asked.Hash); ok || err != nil {
		t.Errorf("a session of a deleted instance: ok %v, err %v; want not found", ok, err)
	}
	stored := func() int {
		t.Helper()
		var n int
		err := st.View(ctx, func(tx domain.ReadTx) error {
			var err error
			n, err = tx.CountRecords(domain.KindAgentSession, "")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	s.sweepSessions(ctx, slog.New(slog.DiscardHandler))
	if _, ok, _ := s.GetSession(ctx, other.Hash); !ok {
		t.Error("the sweep removed a session of a live instance")
	}
	if err := s.DeleteSession(ctx, other.Hash); err != nil {
		t.Fatal(err)
	}
	if n := stored(); n != 0 {
		t.Errorf("%d sessions of the deleted instance are still stored", n)
	}
}
