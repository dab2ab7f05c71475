package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// TokenSweepEvery is how often the server removes ClientTokens past their
// 7-day window. Hourly keeps each sweep small (a busy chat server records
// one token per message) without adding work a test's virtual clock would
// have to run through often when it jumps a week.
const TokenSweepEvery = time.Hour

// tokenSweeper removes expired ClientTokens on a timer of the server's
// clock.
type tokenSweeper struct {
	svc    *domain.Service
	clock  clock.Clock
	log    *slog.Logger
	ctx    context.Context // ends with stop, so a long sweep (a backlog) ends too
	cancel context.CancelFunc

	mu     sync.Mutex // held by a sweep, so that stop waits for it
	timer  clock.Timer
	closed bool
}

func startTokenSweeper(svc *domain.Service, clk clock.Clock, log *slog.Logger) *tokenSweeper {
	t := &tokenSweeper{svc: svc, clock: clk, log: log}
	t.ctx, t.cancel = context.WithCancel(context.Background())
	t.timer = clk.AfterFunc(TokenSweepEvery, t.sweep)
	return t
}

func (t *tokenSweeper) sweep() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	if n, err := t.svc.ForgetExpiredTokens(t.ctx); err != nil && t.ctx.Err() == nil {
		t.log.Error("expired ClientTokens not removed; the next sweep tries again", "error", err, "removed", n)
	} else if n > 0 {
		t.log.Debug("expired ClientTokens removed", "removed", n)
	}
	t.timer = t.clock.AfterFunc(TokenSweepEvery, t.sweep)
}

// stop cancels the next sweep, ends one under way after its current
// batch, and waits for it.
func (t *tokenSweeper) stop() {
	t.cancel()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	t.timer.Stop()
}
