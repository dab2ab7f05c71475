package storetest

import (
	"errors"
	"testing"

	"github.com/switchboard-cc/switchboard/domain"
)

// deliveryTests are the delivery outbox rules (domain.ReadTx ListOutbox,
// domain.Tx AppendOutbox, RetryOutbox, DeleteOutbox); Run runs them with
// the rest of the suite.
var deliveryTests = []struct {
	name string
	fn   func(t *testing.T, h *harness)
}{
	{"OutboxAppendListOrder", testOutboxAppendListOrder},
	{"OutboxRetryDelete", testOutboxRetryDelete},
	{"OutboxSeqNeverReused", testOutboxSeqNeverReused},
	{"OutboxDurableAcrossReopen", testOutboxDurableAcrossReopen},
	{"OutboxDeleteInstance", testOutboxDeleteInstance},
}

// DeleteInstance drops the instance's waiting rows and no other's.
func testOutboxDeleteInstance(t *testing.T, h *harness) {
	d := h.db(t)
	a, b := outRow("s1", "a"), outRow("s2", "b")
	a.InstanceID, b.InstanceID = "i1", "i2"
	update(t, d, func(tx domain.Tx) error { return tx.AppendOutbox(a, b) })
	update(t, d, func(tx domain.Tx) error { return tx.DeleteInstance("i1") })
	if got := outboxData(listOutbox(t, d, 0, 0)); len(got) != 1 || got[0] != "b" {
		t.Fatalf("after deleting i1: %v, want [b]", got)
	}
}

func outRow(stream, data string) domain.OutboxRow {
	return domain.OutboxRow{Seq: 999, Stream: stream, Target: "sms", InstanceID: "i1", NextAttempt: at(1), CreatedAt: at(0), Data: []byte(data)}
}

func listOutbox(t *testing.T, s domain.Store, after int64, limit int) []domain.OutboxRow {
	t.Helper()
	var out []domain.OutboxRow
	view(t, s, func(tx domain.ReadTx) error {
		var err error
		out, err = tx.ListOutbox(after, limit)
		return err
	})
	return out
}

func outboxData(rows []domain.OutboxRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, string(r.Data))
	}
	return out
}

func testOutboxAppendListOrder(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error { return tx.AppendOutbox(outRow("a", "1"), outRow("b", "2")) })
	update(t, d, func(tx domain.Tx) error { return tx.AppendOutbox(outRow("a", "3")) })
	rows := listOutbox(t, d, 0, 0)
	if got := outboxData(rows); len(got) != 3 || got[0] != "1" || got[1] != "2" || got[2] != "3" {
		t.Fatalf("rows %v, want 1 2 3 in order", got)
	}
	if !(rows[0].Seq < rows[1].Seq && rows[1].Seq < rows[2].Seq) || rows[0].Seq == 999 {
		t.Errorf("seqs %d %d %d: want store-assigned and increasing", rows[0].Seq, rows[1].Seq, rows[2].Seq)
	}
	r := rows[0]
	if r.Stream != "a" || r.Target != "sms" || r.InstanceID != "i1" || r.Attempts != 0 || !r.NextAttempt.Equal(at(1)) || !r.CreatedAt.Equal(at(0)) {
		t.Errorf("row %+v does not round-trip", r)
	}
	if got := outboxData(listOutbox(t, d, rows[0].Seq, 1)); len(got) != 1 || got[0] != "2" {
		t.Errorf("after first, limit 1: %v, want [2]", got)
	}
}

func testOutboxRetryDelete(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error { return tx.AppendOutbox(outRow("a", "1"), outRow("a", "2")) })
	rows := listOutbox(t, d, 0, 0)
	update(t, d, func(tx domain.Tx) error { return tx.RetryOutbox(rows[0].Seq, 3, at(60)) })
	got := listOutbox(t, d, 0, 0)
	if got[0].Attempts != 3 || !got[0].NextAttempt.Equal(at(60)) {
		t.Errorf("after retry: %+v", got[0])
	}
	update(t, d, func(tx domain.Tx) error { return tx.DeleteOutbox(rows[0].Seq) })
	update(t, d, func(tx domain.Tx) error { return tx.DeleteOutbox(rows[0].Seq) }) // gone already: fine
	if got := outboxData(listOutbox(t, d, 0, 0)); len(got) != 1 || got[0] != "2" {
		t.Errorf("after delete: %v, want [2]", got)
	}
	err := d.Update(ctx, func(tx domain.Tx) error { return tx.RetryOutbox(rows[0].Seq, 1, at(1)) })
	if !errors.Is(err, domain.ErrStoreNotFound) {
		t.Errorf("retry of a deleted row: %v, want ErrStoreNotFound", err)
	}
}

func testOutboxSeqNeverReused(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error { return tx.AppendOutbox(outRow("a", "1")) })
	first := listOutbox(t, d, 0, 0)[0].Seq
	update(t, d, func(tx domain.Tx) error { return tx.DeleteOutbox(first) })
	update(t, d, func(tx domain.Tx) error { return tx.AppendOutbox(outRow("a", "2")) })
	if next := listOutbox(t, d, 0, 0)[0].Seq; next <= first {
		t.Errorf("seq %d after deleting %d: a later row must sort after every earlier one", next, first)
	}
}

func testOutboxDurableAcrossReopen(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error { return tx.AppendOutbox(outRow("a", "1")) })
	d.restart(t)
	if got := outboxData(listOutbox(t, d, 0, 0)); len(got) != 1 || got[0] != "1" {
		t.Errorf("after reopen: %v", got)
	}
	err := d.Update(ctx, func(tx domain.Tx) error {
		if err := tx.AppendOutbox(outRow("a", "rolled back")); err != nil {
			return err
		}
		return errors.New("abort")
	})
	if err == nil || len(listOutbox(t, d, 0, 0)) != 1 {
		t.Errorf("a failed Update must not leave its outbox rows")
	}
}
