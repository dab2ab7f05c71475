package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// metricTests are the historical-metric cell rules (domain.ReadTx /
// domain.Tx ListMetricCells, PutMetricCells, DeleteMetricCells); Run runs
// them with the rest of the suite.
var metricTests = []struct {
	name string
	fn   func(t *testing.T, h *harness)
}{
	{"MetricCellsPutListReplace", testMetricCellsPutListReplace},
	{"MetricCellsDeleteRanges", testMetricCellsDeleteRanges},
	{"MetricCellsDurableAndDeleteInstance", testMetricCellsDurableAndDeleteInstance},
}

// bucketAt is the n-th 5-minute bucket after a round base time.
func bucketAt(n int) time.Time {
	return time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * 5 * time.Minute)
}

func cell(inst string, n int, key, data string) domain.MetricCellRow {
	return domain.MetricCellRow{InstanceID: inst, Bucket: bucketAt(n), Key: key, Data: []byte(data)}
}

func putCells(t *testing.T, s domain.Store, cells ...domain.MetricCellRow) {
	t.Helper()
	update(t, s, func(tx domain.Tx) error { return tx.PutMetricCells(cells) })
}

func listCells(t *testing.T, s domain.Store, from time.Time) []domain.MetricCellRow {
	t.Helper()
	var out []domain.MetricCellRow
	view(t, s, func(tx domain.ReadTx) error {
		var err error
		out, err = tx.ListMetricCells(from)
		return err
	})
	return out
}

// cellsString renders cells compactly so that order and content compare at
// once.
func cellsString(cells []domain.MetricCellRow) string {
	s := ""
	for _, c := range cells {
		s += fmt.Sprintf("[%s %s %s %s]", c.InstanceID, c.Bucket.UTC().Format("15:04"), c.Key, c.Data)
	}
	return s
}

func expectCells(t *testing.T, what string, got []domain.MetricCellRow, want ...domain.MetricCellRow) {
	t.Helper()
	if g, w := cellsString(got), cellsString(want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func testMetricCellsPutListReplace(t *testing.T, h *harness) {
	d := h.db(t)
	a := cell("i1", 1, "q|VOICE", `{"n":1}`)
	b := cell("i2", 0, "q|CHAT", `{"n":2}`)
	c := cell("i1", 1, "a|x", `{"n":3}`)
	e := cell("i1", 2, "q|VOICE", `{"n":4}`)
	putCells(t, d, a, b, c, e)
	// Ordered by bucket, then instance, then key, across instances.
	expectCells(t, "all", listCells(t, d, time.Time{}), b, c, a, e)
	expectCells(t, "from bucket 1", listCells(t, d, bucketAt(1)), c, a, e)
	// The time of a bucket round-trips exactly (UTC, whole minutes).
	if got := listCells(t, d, bucketAt(2)); len(got) != 1 || !got[0].Bucket.Equal(bucketAt(2)) {
		t.Errorf("bucket time: %v", got)
	}
	// Putting the same (instance, bucket, key) replaces the data.
	a2 := cell("i1", 1, "q|VOICE", `{"n":10}`)
	putCells(t, d, a2)
	expectCells(t, "after replace", listCells(t, d, bucketAt(1)), c, a2, e)
	// An empty batch is fine.
	putCells(t, d)
}

func testMetricCellsDeleteRanges(t *testing.T, h *harness) {
	d := h.db(t)
	var all []domain.MetricCellRow
	for n := range 6 {
		all = append(all, cell("i1", n, "k", fmt.Sprintf(`{"b":%d}`, n)), cell("i2", n, "k", fmt.Sprintf(`{"b":%d}`, n)))
	}
	putCells(t, d, all...)
	// from <= bucket < to, across instances.
	update(t, d, func(tx domain.Tx) error { return tx.DeleteMetricCells(bucketAt(2), bucketAt(4)) })
	expectCells(t, "middle removed", listCells(t, d, time.Time{}), all[0], all[1], all[2], all[3], all[8], all[9], all[10], all[11])
	// Open lower bound: retention.
	update(t, d, func(tx domain.Tx) error { return tx.DeleteMetricCells(time.Time{}, bucketAt(1)) })
	expectCells(t, "old removed", listCells(t, d, time.Time{}), all[2], all[3], all[8], all[9], all[10], all[11])
	// Open upper bound: recomputation replaces everything from a time on.
	update(t, d, func(tx domain.Tx) error { return tx.DeleteMetricCells(bucketAt(5), time.Time{}) })
	expectCells(t, "recent removed", listCells(t, d, time.Time{}), all[2], all[3], all[8], all[9])
	// A failed Update leaves the cells alone.
	err := d.Update(ctx, func(tx domain.Tx) error {
		if err := tx.DeleteMetricCells(time.Time{}, time.Time{}); err != nil {
			return err
		}
		return fmt.Errorf("abort")
	})
	if err == nil {
		t.Fatal("Update: want the fn's error")
	}
	expectCells(t, "after rollback", listCells(t, d, time.Time{}), all[2], all[3], all[8], all[9])
}

func testMetricCellsDurableAndDeleteInstance(t *testing.T, h *harness) {
	d := h.db(t)
	a, b := cell("i1", 0, "k1", `{"x":1}`), cell("i2", 0, "k1", `{"x":2}`)
	putCells(t, d, a, b)
	d.restart(t)
	expectCells(t, "after restart", listCells(t, d, time.Time{}), a, b)
	update(t, d, func(tx domain.Tx) error { return tx.DeleteInstance("i1") })
	expectCells(t, "after DeleteInstance", listCells(t, d, time.Time{}), b)
}
