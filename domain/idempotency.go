package domain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// IdempotencyWindow is how long a ClientToken is remembered. Connect documents
// 7 days for the start-contact operations; we apply it to every operation
// that takes a token, as the spec recommends.
const IdempotencyWindow = 7 * 24 * time.Hour

// clientToken is a request's ClientToken with the hash of its parameters.
// It is made before the write, so the hashing is the caller's work rather
// than the single writer's.
type clientToken struct {
	op, token, hash string
}

// newClientToken hashes params when token is set. params is the request
// as the domain received it; it must encode deterministically (structs and
// maps do with encoding/json).
func newClientToken(op, token string, params any) clientToken {
	if token == "" {
		return clientToken{op: op}
	}
	return clientToken{op: op, token: token, hash: hashParams(params)}
}

// claimToken is how every operation that takes a ClientToken starts its
// write: in one statement it records resultID (the ID of what the
// operation will create, made before) under the token and returns "" when
// the token is new (or expired), the ID an earlier identical request
// created, or an IdempotencyException when the token was used with other
// parameters. Should the operation fail afterwards, the claim is rolled
// back with the rest of its writes. Claiming first, rather than looking
// the token up and recording it at the end, is what keeps two nodes
// sharing a PostgreSQL store from both creating: the second waits on the
// first's entry and then finds it.
func (s *Service) claimToken(tx Tx, instanceID string, t clientToken, resultID string, now time.Time) (string, error) {
	if t.token == "" {
		return "", nil
	}
	prior, claimed, err := tx.ClaimIdempotency(Idempotency{InstanceID: instanceID, Operation: t.op, Token: t.token,
		RequestHash: t.hash, ResultID: resultID, CreatedAt: now}, now.Add(-IdempotencyWindow))
	if err != nil || claimed {
		return "", err
	}
	if prior.RequestHash != t.hash {
		return "", tokenReused(t.token, t.op)
	}
	return prior.ResultID, nil
}

// newClaim is where an operation that creates something under a
// ClientToken starts its write (claimNew).
type newClaim struct {
	now        time.Time
	instanceID string // the instance, found
	id         string // the ID of what this request creates
	prior      string // what an earlier identical request created; "" when this one creates id
}

// claimNew finds the instance, makes the new resource's ID and claims the
// token for it (claimToken): the opening every such operation shares.
func (s *Service) claimNew(tx Tx, instanceID string, t clientToken) (newClaim, error) {
	iid, err := s.instanceID(tx, instanceID)
	if err != nil {
		return newClaim{}, err
	}
	c := newClaim{now: s.now(), instanceID: iid, id: s.newID()}
	c.prior, err = s.claimToken(tx, iid, t, c.id, c.now)
	return c, err
}

// rememberToken replaces the result recorded under a token this request
// has claimed, when the operation ended up with another (an earlier
// result no longer exists and is made again; a stream that already ran).
func (s *Service) rememberToken(tx Tx, instanceID string, t clientToken, resultID string, now time.Time) error {
	if t.token == "" {
		return nil
	}
	return tx.PutIdempotency(Idempotency{InstanceID: instanceID, Operation: t.op, Token: t.token, RequestHash: t.hash, ResultID: resultID, CreatedAt: now})
}

func tokenReused(token, op string) error {
	return Errorf(ErrIdempotency, "The ClientToken %q was already used within the last 7 days for a %s request with different parameters; use a new ClientToken for a new request.", clip(token, 64), op)
}

func hashParams(params any) string {
	b, _ := json.Marshal(params)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// tokenSweepBatch bounds how many expired ClientTokens one transaction
// removes, so that a sweep holds the single writer only briefly at a time
// and other writes go between its batches.
const tokenSweepBatch = 500

// ForgetExpiredTokens removes the ClientTokens older than
// IdempotencyWindow, which nothing can claim any more, and says how many it
// removed. Without it every token ever sent would stay in the store, and
// chat clients send one with every message. It stops between batches when
// ctx ends.
func (s *Service) ForgetExpiredTokens(ctx context.Context) (int, error) {
	before := s.now().Add(-IdempotencyWindow)
	total := 0
	for ctx.Err() == nil {
		var n int
		err := s.update(ctx, func(tx Tx) error {
			var err error
			n, err = tx.DeleteIdempotencyBefore(before, tokenSweepBatch)
			return err
		})
		total += n
		if err != nil || n < tokenSweepBatch {
			return total, err
		}
	}
	return total, ctx.Err()
}

// claimOrReplay claims t for id, the ID of the resource of kind the
// request is about to create. When an earlier identical request created
// one that still exists, it returns that one (the request is a retry).
// When that one was deleted since, the token moves to id and it returns
// nil, so that the retry makes the resource again.
func claimOrReplay[T any](s *Service, tx Tx, kind Kind, instanceID string, t clientToken, id string, now time.Time) (*T, error) {
	prior, err := s.claimToken(tx, instanceID, t, id, now)
	if err != nil || prior == "" {
		return nil, err
	}
	doc, err := getDoc[T](tx, kind, instanceID, prior)
	if err == nil || !isNotFound(err) {
		return doc, err
	}
	return nil, s.rememberToken(tx, instanceID, t, id, now)
}

// newIn opens a create operation that takes a ClientToken: it resolves
// the instance, makes the new resource's ID and claims the token with it.
// prior is what an earlier identical request created: the operation
// answers it and creates nothing.
func newIn[T any](s *Service, tx Tx, kind Kind, instanceID string, tok clientToken) (iid, id string, now time.Time, prior *T, err error) {
	if iid, err = s.resolveInstance(tx, instanceID); err != nil {
		return "", "", time.Time{}, nil, err
	}
	now, id = s.now(), s.newID()
	prior, err = claimOrReplay[T](s, tx, kind, iid, tok, id, now)
	return iid, id, now, prior, err
}
