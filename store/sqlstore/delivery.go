package sqlstore

import (
	"database/sql"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// Delivery outbox rows (domain.OutboxRow). Statements use ? and are
// rebound per call: the outbox is written next to chat messages and read by
// one worker, and the statement cache is for the contact hot paths.

const outboxCols = "seq, stream, target, instance_id, attempts, next_attempt, created_at, data"

func (t *readTx) ListOutbox(afterSeq int64, limit int) ([]domain.OutboxRow, error) {
	const op = "list outbox"
	if err := t.check(); err != nil {
		return nil, err
	}
	q, args := "SELECT "+outboxCols+" FROM delivery_outbox WHERE seq > ? ORDER BY seq", []any{afterSeq}
	if limit > 0 {
		q, args = q+" LIMIT ?", append(args, limit)
	}
	rows, err := t.tx.QueryContext(bg, t.s.d.rebind(q), args...)
	if err != nil {
		return nil, t.wrap(op, err)
	}
	defer rows.Close()
	var out []domain.OutboxRow
	for rows.Next() {
		var r domain.OutboxRow
		var next, created sql.NullInt64
		if err := rows.Scan(&r.Seq, &r.Stream, &r.Target, &r.InstanceID, &r.Attempts, &next, &created, &r.Data); err != nil {
			return nil, t.wrap(op, err)
		}
		r.NextAttempt, r.CreatedAt = timeOf(next), timeOf(created)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap(op, err)
	}
	return out, nil
}

func (t *writeTx) AppendOutbox(rows ...domain.OutboxRow) error {
	q := t.s.d.rebind("INSERT INTO delivery_outbox (stream, target, instance_id, attempts, next_attempt, created_at, data)" +
		" VALUES (?, ?, ?, ?, ?, ?, ?)")
	for _, r := range rows {
		if _, err := t.exec("append outbox", q, r.Stream, r.Target, r.InstanceID, r.Attempts,
			timeArg(r.NextAttempt), timeArg(r.CreatedAt), dataArg(r.Data)); err != nil {
			return err
		}
	}
	return nil
}

func (t *writeTx) RetryOutbox(seq int64, attempts int, next time.Time) error {
	res, err := t.exec("retry outbox", t.s.d.rebind("UPDATE delivery_outbox SET attempts = ?, next_attempt = ? WHERE seq = ?"),
		attempts, timeArg(next), seq)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return t.wrap("retry outbox", err)
	}
	if n == 0 {
		return domain.ErrStoreNotFound
	}
	return nil
}

func (t *writeTx) DeleteOutbox(seq int64) error {
	_, err := t.exec("delete outbox", t.s.d.rebind("DELETE FROM delivery_outbox WHERE seq = ?"), seq)
	return err
}
