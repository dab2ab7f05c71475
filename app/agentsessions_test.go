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
	"github.com/switchboard-cc/switchboard/store/sqlite"
)

// Stored agent sessions round-trip, and the start-up sweep removes the
// ones that expired while the server was down, and only those.
func TestStoreSessions(t *testing.T) {
	t.Parallel()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clk := clock.NewVirtual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	s := storeSessions{store: st, clock: clk}
	ctx := context.Background()
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
