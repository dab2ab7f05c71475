package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"
)

// IdempotencyWindow is how long a ClientToken is remembered. Connect documents
// 7 days for the start-contact operations; we apply it to every operation
// that takes a token, as the spec recommends.
const IdempotencyWindow = 7 * 24 * time.Hour

// checkToken looks up a ClientToken. It returns the ID of the resource an
// earlier identical request created, "" when the token is new (or expired),
// or an IdempotencyException when the token was used with other parameters.
// params is the request as the domain received it; it is hashed, so it must
// encode deterministically (structs and maps do with encoding/json).
func (s *Service) checkToken(tx ReadTx, instanceID, op, token string, params any, now time.Time) (string, error) {
	if token == "" {
		return "", nil
	}
	rec, err := tx.GetIdempotency(instanceID, op, token)
	if errors.Is(err, ErrStoreNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if now.Sub(rec.CreatedAt) >= IdempotencyWindow {
		return "", nil
	}
	if rec.RequestHash != hashParams(params) {
		return "", tokenReused(token, op)
	}
	return rec.ResultID, nil
}

// clientToken is a request's ClientToken with the hash of its parameters.
// It is made before the write, so the hashing is the caller's work rather
// than the single writer's.
type clientToken struct {
	op, token, hash string
}

// newClientToken hashes params (as checkToken would) when token is set.
func newClientToken(op, token string, params any) clientToken {
	if token == "" {
		return clientToken{op: op}
	}
	return clientToken{op: op, token: token, hash: hashParams(params)}
}

// claimToken is checkToken and rememberToken in one statement, for an
// operation that knows the ID of what it will create before creating it
// (the contact-starting operations): it records resultID under the token
// and returns "" when the token is new (or expired), the ID an earlier
// identical request created, or an IdempotencyException when the token
// was used with other parameters. Should the operation fail afterwards,
// the claim is rolled back with the rest of its writes.
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

// rememberToken records the result of a request made with a ClientToken.
func (s *Service) rememberToken(tx Tx, instanceID, op, token string, params any, resultID string, now time.Time) error {
	if token == "" {
		return nil
	}
	return tx.PutIdempotency(Idempotency{InstanceID: instanceID, Operation: op, Token: token, RequestHash: hashParams(params), ResultID: resultID, CreatedAt: now})
}

func tokenReused(token, op string) error {
	return Errorf(ErrIdempotency, "The ClientToken %q was already used within the last 7 days for a %s request with different parameters; use a new ClientToken for a new request.", clip(token, 64), op)
}

func hashParams(params any) string {
	b, _ := json.Marshal(params)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
