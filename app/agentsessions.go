package app

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// storeSessions keeps the agent API's logins in the store
// (agentapi.SessionStore), so that a restart does not log agents out.
// Only the SHA-256 of each token is stored, as in memory.
type storeSessions struct {
	store domain.Store
	clock clock.Clock
}

var _ agentapi.SessionStore = storeSessions{}

// sessionDoc is a stored session's document.
type sessionDoc struct {
	InstanceID, UserID, Username string
	ExpiresAt                    time.Time
}

func (s storeSessions) PutSession(ctx context.Context, ss agentapi.StoredSession) error {
	data, err := json.Marshal(sessionDoc{InstanceID: ss.InstanceID, UserID: ss.UserID, Username: ss.Username, ExpiresAt: ss.ExpiresAt})
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.store.Update(ctx, func(tx domain.Tx) error {
		return tx.PutRecord(domain.Record{Kind: domain.KindAgentSession, ID: hex.EncodeToString(ss.Hash[:]), Data: data, CreatedAt: now, UpdatedAt: now})
	})
}

// GetSession answers a session only while its instance exists. Sessions
// are account-level records, which DeleteInstance does not reach; a token
// of a deleted instance is forgotten here instead, the next time it is
// checked (at most 5 s later on a node that serves it, agentapi), and the
// start-up sweep removes those nobody uses.
func (s storeSessions) GetSession(ctx context.Context, h [32]byte) (agentapi.StoredSession, bool, error) {
	id := hex.EncodeToString(h[:])
	var rec domain.Record
	var d sessionDoc
	instanceExists := false
	err := s.store.View(ctx, func(tx domain.ReadTx) error {
		var err error
		if rec, err = tx.GetRecord(domain.KindAgentSession, "", id); err != nil {
			return err
		}
		if err := json.Unmarshal(rec.Data, &d); err != nil {
			return fmt.Errorf("decode agent session: %w", err)
		}
		instanceExists, err = tx.HasRecord(domain.KindInstance, "", d.InstanceID)
		return err
	})
	if errors.Is(err, domain.ErrStoreNotFound) {
		return agentapi.StoredSession{}, false, nil
	}
	if err != nil {
		return agentapi.StoredSession{}, false, err
	}
	if !instanceExists {
		return agentapi.StoredSession{}, false, s.DeleteSession(ctx, h)
	}
	return agentapi.StoredSession{Hash: h, InstanceID: d.InstanceID, UserID: d.UserID, Username: d.Username, ExpiresAt: d.ExpiresAt}, true, nil
}

func (s storeSessions) DeleteSession(ctx context.Context, h [32]byte) error {
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		return tx.DeleteRecord(domain.KindAgentSession, "", hex.EncodeToString(h[:]))
	})
	if errors.Is(err, domain.ErrStoreNotFound) {
		return nil
	}
	return err
}

// sweepSessions removes the stored sessions that expired while the server
// was down, and those whose instance was deleted: nothing else would,
// since only a request with their token looks them up.
func (s storeSessions) sweepSessions(ctx context.Context, log *slog.Logger) {
	now := s.clock.Now()
	after := ""
	for {
		var recs []domain.Record
		err := s.store.View(ctx, func(tx domain.ReadTx) error {
			var err error
			recs, err = tx.ListRecords(domain.KindAgentSession, "", after, 256)
			return err
		})
		if err != nil {
			log.Error("stored agent sessions could not be listed", "error", err)
			return
		}
		if len(recs) == 0 {
			return
		}
		var gone []string
		err = s.store.View(ctx, func(tx domain.ReadTx) error {
			for _, r := range recs {
				var d sessionDoc
				if json.Unmarshal(r.Data, &d) != nil || !now.Before(d.ExpiresAt) {
					gone = append(gone, r.ID)
					continue
				}
				ok, err := tx.HasRecord(domain.KindInstance, "", d.InstanceID)
				if err != nil {
					return err
				}
				if !ok {
					gone = append(gone, r.ID)
				}
			}
			return nil
		})
		if err != nil {
			log.Error("agent sessions' instances could not be checked", "error", err)
			return
		}
		if len(gone) > 0 {
			err := s.store.Update(ctx, func(tx domain.Tx) error {
				for _, id := range gone {
					if err := tx.DeleteRecord(domain.KindAgentSession, "", id); err != nil && !errors.Is(err, domain.ErrStoreNotFound) {
						return err
					}
				}
				return nil
			})
			if err != nil {
				log.Error("stale agent sessions could not be removed", "error", err)
				return
			}
		}
		after = recs[len(recs)-1].ID
	}
}
