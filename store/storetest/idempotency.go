package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/switchboard-cc/switchboard/domain"
)

// testIdempotencyBatched: claims made by requests that share one commit
// see each other as a database would: among requests claiming one token
// exactly one wins and the rest are shown its entry; a request's claim
// dies with the request when it fails, even though its batch commits; and
// what is kept survives a restart. (A store that keeps the key outside the
// database, as the SQLite store keeps it in memory, must stage it exactly
// as the database stages the rows.)
func testIdempotencyBatched(t *testing.T, h *harness) {
	d := h.db(t)
	const n = 24
	type outcome struct {
		prior   domain.Idempotency
		claimed bool
		err     error
	}
	out := make([]outcome, n)
	release := holdWriter(t, d)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := &out[i]
			o.err = d.Update(ctx, func(tx domain.Tx) error {
				e := domain.Idempotency{InstanceID: "i1", Operation: "op", RequestHash: "h", ResultID: fmt.Sprint("r", i), CreatedAt: at(10)}
				if i%2 == 1 {
					// Odd requests claim a token of their own, then fail.
					e.Token = fmt.Sprint("lost", i)
					if _, _, err := tx.ClaimIdempotency(e, at(0)); err != nil {
						return err
					}
					// The request sees its own claim before it fails.
					got, err := tx.GetIdempotency("i1", "op", e.Token)
					if err != nil || got.ResultID != e.ResultID {
						return fmt.Errorf("own claim not visible: %+v, %v", got, err)
					}
					return &typedErr{i}
				}
				e.Token = "shared"
				var err error
				o.prior, o.claimed, err = tx.ClaimIdempotency(e, at(0))
				return err
			})
		}()
	}
	release()
	wg.Wait()

	winner := ""
	for i, o := range out {
		if i%2 == 1 {
			var te *typedErr
			if !errors.As(o.err, &te) {
				t.Errorf("request %d: %v, want its typed error", i, o.err)
			}
			continue
		}
		if o.err != nil {
			t.Fatalf("request %d: %v", i, o.err)
		}
		if o.claimed {
			if winner != "" {
				t.Errorf("token claimed twice: by %s and r%d", winner, i)
			}
			winner = fmt.Sprint("r", i)
		}
	}
	if winner == "" {
		t.Fatal("no request claimed the shared token")
	}
	for i, o := range out {
		if i%2 == 0 && !o.claimed && o.prior.ResultID != winner {
			t.Errorf("request %d was shown %+v, want the winner %s", i, o.prior, winner)
		}
	}
	check := func(when string) {
		t.Helper()
		view(t, d, func(tx domain.ReadTx) error {
			got, err := tx.GetIdempotency("i1", "op", "shared")
			if err != nil || got.ResultID != winner {
				t.Errorf("%s: shared token = %+v, %v; want %s", when, got, err, winner)
			}
			for i := 1; i < n; i += 2 {
				_, err := tx.GetIdempotency("i1", "op", fmt.Sprint("lost", i))
				wantErr(t, fmt.Sprintf("%s: claim of failed request %d", when, i), err, domain.ErrStoreNotFound)
			}
			return nil
		})
	}
	check("after the batch")
	d.restart(t)
	check("after a restart")
	// A token whose claim was lost is free.
	update(t, d, func(tx domain.Tx) error {
		_, claimed, err := tx.ClaimIdempotency(domain.Idempotency{InstanceID: "i1", Operation: "op", Token: "lost1",
			RequestHash: "h", ResultID: "again", CreatedAt: at(20)}, at(0))
		if err == nil && !claimed {
			t.Error("a token whose claim was rolled back could not be claimed")
		}
		return err
	})
}

// testIdempotencyDeleteThenClaim: within one request, entries removed by
// the age sweep or by DeleteInstance can be claimed again at once, and
// stay removed after a restart.
func testIdempotencyDeleteThenClaim(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error {
		for _, inst := range []string{"i1", "i2"} {
			if err := tx.PutIdempotency(domain.Idempotency{InstanceID: inst, Operation: "op", Token: "old",
				RequestHash: "h", ResultID: "x", CreatedAt: at(0)}); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, d, func(tx domain.Tx) error {
		if n, err := tx.DeleteIdempotencyBefore(at(5), 10); err != nil || n != 2 {
			return fmt.Errorf("sweep removed %d, %v; want 2", n, err)
		}
		if _, err := tx.GetIdempotency("i1", "op", "old"); !errors.Is(err, domain.ErrStoreNotFound) {
			return fmt.Errorf("swept entry still found in its request: %v", err)
		}
		_, claimed, err := tx.ClaimIdempotency(domain.Idempotency{InstanceID: "i1", Operation: "op", Token: "old",
			RequestHash: "h", ResultID: "new", CreatedAt: at(10)}, at(-100))
		if err == nil && !claimed {
			return errors.New("a swept token could not be claimed")
		}
		return err
	})
	update(t, d, func(tx domain.Tx) error {
		if err := tx.DeleteInstance("i1"); err != nil {
			return err
		}
		if _, err := tx.GetIdempotency("i1", "op", "old"); !errors.Is(err, domain.ErrStoreNotFound) {
			return fmt.Errorf("entry of a deleted instance still found in its request: %v", err)
		}
		return tx.PutIdempotency(domain.Idempotency{InstanceID: "i2", Operation: "op", Token: "old",
			RequestHash: "h", ResultID: "i2new", CreatedAt: at(10)})
	})
	d.restart(t)
	view(t, d, func(tx domain.ReadTx) error {
		_, err := tx.GetIdempotency("i1", "op", "old")
		wantErr(t, "entry of the deleted instance after restart", err, domain.ErrStoreNotFound)
		if got, err := tx.GetIdempotency("i2", "op", "old"); err != nil || got.ResultID != "i2new" {
			t.Errorf("i2's entry after restart = %+v, %v", got, err)
		}
		return nil
	})
}

// testIdempotencyExpireAfterReplace: an entry replaced is as old as its
// replacement, so the sweep takes entries older than it first.
func testIdempotencyExpireAfterReplace(t *testing.T, h *harness) {
	d := h.db(t)
	put := func(tok string, sec int) {
		update(t, d, func(tx domain.Tx) error {
			return tx.PutIdempotency(domain.Idempotency{InstanceID: "i1", Operation: "op", Token: tok, CreatedAt: at(sec)})
		})
	}
	put("t0", 0)
	put("t1", 10)
	put("t0", 30) // replaced: now the youngest
	update(t, d, func(tx domain.Tx) error {
		n, err := tx.DeleteIdempotencyBefore(at(20), 1)
		if err == nil && n != 1 {
			t.Errorf("sweep removed %d, want 1", n)
		}
		return err
	})
	view(t, d, func(tx domain.ReadTx) error {
		_, err := tx.GetIdempotency("i1", "op", "t1")
		wantErr(t, "t1, the oldest, after the sweep", err, domain.ErrStoreNotFound)
		if got, err := tx.GetIdempotency("i1", "op", "t0"); err != nil || !sameTime(got.CreatedAt, at(30)) {
			t.Errorf("t0, replaced, after the sweep = %+v, %v", got, err)
		}
		return nil
	})
}
