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
		return "", Errorf(ErrIdempotency, "The ClientToken %q was already used within the last 7 days for a %s request with different parameters; use a new ClientToken for a new request.", clip(token, 64), op)
	}
	return rec.ResultID, nil
}

// rememberToken records the result of a request made with a ClientToken.
func (s *Service) rememberToken(tx Tx, instanceID, op, token string, params any, resultID string, now time.Time) error {
	if token == "" {
		return nil
	}
	return tx.PutIdempotency(Idempotency{InstanceID: instanceID, Operation: op, Token: token, RequestHash: hashParams(params), ResultID: resultID, CreatedAt: now})
}

func hashParams(params any) string {
	b, _ := json.Marshal(params)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
