package sqlstore

import (
	"database/sql"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// Historical-metric cells (domain.MetricCellRow). Buckets are stored as
// microseconds since the epoch like every other time column. Statements use
// ? and are rebound per call: the metrics package writes in batches every
// few seconds, far from the hot contact paths.

const metricCellCols = "instance_id, bucket, key, data"

func (t *readTx) ListMetricCells(from time.Time) ([]domain.MetricCellRow, error) {
	const op = "list metric cells"
	if err := t.check(); err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(bg, t.s.d.rebind("SELECT "+metricCellCols+
		" FROM metric_cells WHERE bucket >= ? ORDER BY bucket, instance_id, key"), from.UnixMicro())
	if err != nil {
		return nil, t.wrap(op, err)
	}
	defer rows.Close()
	var out []domain.MetricCellRow
	for rows.Next() {
		var c domain.MetricCellRow
		var b sql.NullInt64
		if err := rows.Scan(&c.InstanceID, &b, &c.Key, &c.Data); err != nil {
			return nil, t.wrap(op, err)
		}
		c.Bucket = timeOf(b)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap(op, err)
	}
	return out, nil
}

func (t *writeTx) PutMetricCells(cells []domain.MetricCellRow) error {
	q := t.s.d.rebind("INSERT INTO metric_cells (" + metricCellCols + ") VALUES (?, ?, ?, ?)" +
		" ON CONFLICT (instance_id, bucket, key) DO UPDATE SET data = excluded.data")
	for _, c := range cells {
		if _, err := t.exec("put metric cell", q, c.InstanceID, c.Bucket.UnixMicro(), c.Key, dataArg(c.Data)); err != nil {
			return err
		}
	}
	return nil
}

func (t *writeTx) DeleteMetricCells(from, to time.Time) error {
	q, args := "DELETE FROM metric_cells WHERE 1 = 1", []any{}
	if !from.IsZero() {
		q, args = q+" AND bucket >= ?", append(args, from.UnixMicro())
	}
	if !to.IsZero() {
		q, args = q+" AND bucket < ?", append(args, to.UnixMicro())
	}
	_, err := t.exec("delete metric cells", t.s.d.rebind(q), args...)
	return err
}

// deleteInstanceMetrics removes an instance's cells (DeleteInstance).
func (t *writeTx) deleteInstanceMetrics(instanceID string) error {
	_, err := t.exec("delete instance metric cells", t.s.d.rebind("DELETE FROM metric_cells WHERE instance_id = ?"), instanceID)
	return err
}
