package observe

import (
	"context"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/store/sqlstore"
)

// InstrumentStore returns st with its transactions timed (Store), and
// exposes its writer's counters and commit durations when it keeps them
// (the SQLite and PostgreSQL stores do).
func (m *Metrics) InstrumentStore(st domain.Store) domain.Store {
	if w, ok := st.(interface {
		Stats() sqlstore.Stats
		ObserveCommits(func(time.Duration))
	}); ok {
		m.GroupCommit(w.Stats)
		w.ObserveCommits(m.CommitDurations())
	}
	return m.Store(st)
}

// Store wraps a store so that its transactions are timed. It changes
// nothing else: the wrapped store's guarantees (durable Update, group
// commit, retries) are its own.
func (m *Metrics) Store(st domain.Store) domain.Store {
	return &timedStore{Store: st, update: m.storeTx.WithLabelValues("update"), view: m.storeTx.WithLabelValues("view"),
		updateErr: m.storeErr.WithLabelValues("update"), viewErr: m.storeErr.WithLabelValues("view")}
}

type observer interface{ Observe(float64) }

type timedStore struct {
	domain.Store
	update, view       observer
	updateErr, viewErr interface{ Inc() }
}

func (s *timedStore) Update(ctx context.Context, fn func(tx domain.Tx) error) error {
	start := time.Now()
	err := s.Store.Update(ctx, fn)
	s.update.Observe(time.Since(start).Seconds())
	if err != nil {
		s.updateErr.Inc()
	}
	return err
}

func (s *timedStore) View(ctx context.Context, fn func(tx domain.ReadTx) error) error {
	start := time.Now()
	err := s.Store.View(ctx, fn)
	s.view.Observe(time.Since(start).Seconds())
	if err != nil {
		s.viewErr.Inc()
	}
	return err
}
