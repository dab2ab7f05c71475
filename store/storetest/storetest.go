// Package storetest is the conformance suite every domain.Store must pass.
// Both store/sqlite and store/postgres run it, which is what keeps the two
// implementations interchangeable.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// Factory opens a fresh, empty store for one test. reopen opens the same
// database again; the suite calls it only after closing every store it got
// for that database, to check that committed data survives a restart.
//
// The suite closes every store it obtains (from the factory or reopen)
// exactly once, before the factory's own t.Cleanup functions run (cleanups
// run last-registered first), so a factory may register cleanup that
// removes the database.
type Factory func(t *testing.T) (s domain.Store, reopen func(t *testing.T) domain.Store)

// Run runs the conformance suite, one subtest per rule.
func Run(t *testing.T, open Factory) {
	h := &harness{open: open}
	tests := []struct {
		name string
		fn   func(t *testing.T, h *harness)
	}{
		{"RecordPutGet", testRecordPutGet},
		{"RecordReplace", testRecordReplace},
		{"RecordNotFound", testRecordNotFound},
		{"RecordGetByName", testRecordGetByName},
		{"RecordDuplicateName", testRecordDuplicateName},
		{"RecordDuplicateNameTxUsable", testRecordDuplicateNameTxUsable},
		{"RecordRenameFreesName", testRecordRenameFreesName},
		{"RecordNameScope", testRecordNameScope},
		{"RecordList", testRecordList},
		{"RecordCount", testRecordCount},
		{"RecordDelete", testRecordDelete},
		{"ContactPutGet", testContactPutGet},
		{"ContactReplace", testContactReplace},
		{"ContactNotFound", testContactNotFound},
		{"ContactQueryFilters", testContactQueryFilters},
		{"ContactQueryTimeRange", testContactQueryTimeRange},
		{"ContactQuerySort", testContactQuerySort},
		{"ContactQueryPaging", testContactQueryPaging},
		{"ContactQueryInvalidField", testContactQueryInvalidField},
		{"Idempotency", testIdempotency},
		{"IdempotencyExpire", testIdempotencyExpire},
		{"IdempotencyClaim", testIdempotencyClaim},
		{"IdempotencyBatched", testIdempotencyBatched},
		{"IdempotencyDeleteThenClaim", testIdempotencyDeleteThenClaim},
		{"IdempotencyExpireAfterReplace", testIdempotencyExpireAfterReplace},
		{"DeleteInstance", testDeleteInstance},
		{"UpdateErrorRollsBack", testUpdateErrorRollsBack},
		{"UpdateAtomicWhenBatched", testUpdateAtomicWhenBatched},
		{"UpdateFirstOfBatchFails", testUpdateFirstOfBatchFails},
		{"UpdateConcurrent", testUpdateConcurrent},
		{"UpdateCanceledContext", testUpdateCanceledContext},
		{"ReadAfterCommit", testReadAfterCommit},
		{"ViewSeesOnlyCommitted", testViewSeesOnlyCommitted},
		{"DurableAcrossReopen", testDurableAcrossReopen},
		{"CloseWaitsForUpdates", testCloseWaitsForUpdates},
	}
	tests = append(tests, chatTests...)
	tests = append(tests, metricTests...)
	tests = append(tests, deliveryTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, h) })
	}
}

type harness struct{ open Factory }

// db is one test's database: the current store and how to reopen it.
type db struct {
	domain.Store
	reopen func(t *testing.T) domain.Store
}

func (h *harness) db(t *testing.T) *db {
	t.Helper()
	s, reopen := h.open(t)
	d := &db{Store: s, reopen: reopen}
	t.Cleanup(func() {
		if d.Store != nil {
			if err := d.Store.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
	})
	return d
}

// restart closes the current store and opens the database again.
func (d *db) restart(t *testing.T) {
	t.Helper()
	s := d.Store
	d.Store = nil
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	d.Store = d.reopen(t)
}

var ctx = context.Background()

func update(t *testing.T, s domain.Store, fn func(tx domain.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s domain.Store, fn func(tx domain.ReadTx) error) {
	t.Helper()
	if err := s.View(ctx, fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// base is a time with microsecond precision, the precision stores keep.
var base = time.Date(2024, 3, 10, 9, 30, 15, 123456000, time.UTC)

func at(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }

func rec(kind domain.Kind, inst, id, name string) domain.Record {
	return domain.Record{
		Kind: kind, InstanceID: inst, ID: id, Name: name,
		Data:      []byte(fmt.Sprintf(`{"id":%q,"name":%q}`, id, name)),
		CreatedAt: at(1), UpdatedAt: at(2),
	}
}

func putRecords(t *testing.T, s domain.Store, rs ...domain.Record) {
	t.Helper()
	update(t, s, func(tx domain.Tx) error {
		for _, r := range rs {
			if err := tx.PutRecord(r); err != nil {
				return fmt.Errorf("PutRecord %s/%s/%s: %w", r.Kind, r.InstanceID, r.ID, err)
			}
		}
		return nil
	})
}

// read runs one read in a View and returns its result and error, for
// tests that check the error itself.
func read[T any](t *testing.T, s domain.Store, fn func(tx domain.ReadTx) (T, error)) (T, error) {
	t.Helper()
	var v T
	var err error
	view(t, s, func(tx domain.ReadTx) error {
		v, err = fn(tx)
		return nil
	})
	return v, err
}

func getRecord(t *testing.T, s domain.Store, kind domain.Kind, inst, id string) (domain.Record, error) {
	t.Helper()
	return read(t, s, func(tx domain.ReadTx) (domain.Record, error) { return tx.GetRecord(kind, inst, id) })
}

func sameTime(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() && b.IsZero()
	}
	return a.Equal(b)
}

func checkRecord(t *testing.T, got, want domain.Record) {
	t.Helper()
	if got.Kind != want.Kind || got.InstanceID != want.InstanceID || got.ID != want.ID ||
		got.Name != want.Name || !bytes.Equal(got.Data, want.Data) ||
		!sameTime(got.CreatedAt, want.CreatedAt) || !sameTime(got.UpdatedAt, want.UpdatedAt) {
		t.Errorf("record mismatch:\n got  %+v\n want %+v", got, want)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

func testRecordPutGet(t *testing.T, h *harness) {
	d := h.db(t)
	r := rec(domain.KindQueue, "i1", "q1", "Support")
	// A time in another zone is the same instant.
	r.CreatedAt = r.CreatedAt.In(time.FixedZone("X", 5*3600))
	putRecords(t, d, r)
	got, err := getRecord(t, d, domain.KindQueue, "i1", "q1")
	if err != nil {
		t.Fatalf("GetRecord: %v", err)
	}
	checkRecord(t, got, r)

	// Account-level records live under instance "", zero times stay zero,
	// and empty data comes back empty.
	inst := domain.Record{Kind: domain.KindInstance, ID: "i1"}
	putRecords(t, d, inst)
	got, err = getRecord(t, d, domain.KindInstance, "", "i1")
	if err != nil {
		t.Fatalf("GetRecord instance: %v", err)
	}
	checkRecord(t, got, inst)
	if !got.CreatedAt.IsZero() || !got.UpdatedAt.IsZero() || len(got.Data) != 0 {
		t.Errorf("zero record came back as %+v", got)
	}
}

func testRecordReplace(t *testing.T, h *harness) {
	d := h.db(t)
	putRecords(t, d, rec(domain.KindQueue, "i1", "q1", "Old"))
	r := rec(domain.KindQueue, "i1", "q1", "New")
	r.Data = []byte(`{"v":2}`)
	r.UpdatedAt = at(100)
	putRecords(t, d, r)
	got, err := getRecord(t, d, domain.KindQueue, "i1", "q1")
	if err != nil {
		t.Fatal(err)
	}
	checkRecord(t, got, r)
	view(t, d, func(tx domain.ReadTx) error {
		if n, err := tx.CountRecords(domain.KindQueue, "i1"); err != nil || n != 1 {
			t.Errorf("CountRecords = %d, %v; want 1", n, err)
		}
		_, err := tx.GetRecordByName(domain.KindQueue, "i1", "Old")
		wantErr(t, "old name after replace", err, domain.ErrStoreNotFound)
		return nil
	})
}

func testRecordNotFound(t *testing.T, h *harness) {
	d := h.db(t)
	putRecords(t, d, rec(domain.KindQueue, "i1", "q1", "Support"))
	view(t, d, func(tx domain.ReadTx) error {
		_, err := tx.GetRecord(domain.KindQueue, "i1", "nope")
		wantErr(t, "GetRecord missing id", err, domain.ErrStoreNotFound)
		_, err = tx.GetRecord(domain.KindUser, "i1", "q1")
		wantErr(t, "GetRecord other kind", err, domain.ErrStoreNotFound)
		_, err = tx.GetRecord(domain.KindQueue, "i2", "q1")
		wantErr(t, "GetRecord other instance", err, domain.ErrStoreNotFound)
		_, err = tx.GetRecordByName(domain.KindQueue, "i1", "nope")
		wantErr(t, "GetRecordByName missing", err, domain.ErrStoreNotFound)
		for _, c := range []struct {
			kind     domain.Kind
			inst, id string
			want     bool
		}{{domain.KindQueue, "i1", "q1", true}, {domain.KindQueue, "i1", "nope", false},
			{domain.KindUser, "i1", "q1", false}, {domain.KindQueue, "i2", "q1", false}} {
			got, err := tx.HasRecord(c.kind, c.inst, c.id)
			if err != nil || got != c.want {
				t.Errorf("HasRecord(%s, %s, %s) = %v, %v; want %v", c.kind, c.inst, c.id, got, err, c.want)
			}
		}
		return nil
	})
	err := d.Update(ctx, func(tx domain.Tx) error { return tx.DeleteRecord(domain.KindQueue, "i1", "nope") })
	wantErr(t, "DeleteRecord missing", err, domain.ErrStoreNotFound)
}

func testRecordGetByName(t *testing.T, h *harness) {
	d := h.db(t)
	a, b := rec(domain.KindQueue, "i1", "q1", "Support"), rec(domain.KindQueue, "i1", "q2", "Sales")
	unnamed := rec(domain.KindQueue, "i1", "q3", "")
	putRecords(t, d, a, b, unnamed)
	view(t, d, func(tx domain.ReadTx) error {
		got, err := tx.GetRecordByName(domain.KindQueue, "i1", "Sales")
		if err != nil {
			t.Fatalf("GetRecordByName: %v", err)
		}
		checkRecord(t, got, b)
		_, err = tx.GetRecordByName(domain.KindQueue, "i1", "sales")
		wantErr(t, "names are case-sensitive", err, domain.ErrStoreNotFound)
		_, err = tx.GetRecordByName(domain.KindQueue, "i1", "")
		wantErr(t, "the empty name names nothing", err, domain.ErrStoreNotFound)
		return nil
	})
}

func testRecordDuplicateName(t *testing.T, h *harness) {
	d := h.db(t)
	putRecords(t, d, rec(domain.KindQueue, "i1", "q1", "Support"))
	err := d.Update(ctx, func(tx domain.Tx) error {
		return tx.PutRecord(rec(domain.KindQueue, "i1", "q2", "Support"))
	})
	wantErr(t, "insert with taken name", err, domain.ErrStoreDuplicate)
	putRecords(t, d, rec(domain.KindQueue, "i1", "q2", "Other"))
	err = d.Update(ctx, func(tx domain.Tx) error {
		return tx.PutRecord(rec(domain.KindQueue, "i1", "q2", "Support"))
	})
	wantErr(t, "rename to taken name", err, domain.ErrStoreDuplicate)
	got, err := getRecord(t, d, domain.KindQueue, "i1", "q2")
	if err != nil || got.Name != "Other" {
		t.Errorf("q2 after refused rename = %+v, %v; want name Other", got, err)
	}
	// Case differs: a different name.
	putRecords(t, d, rec(domain.KindQueue, "i1", "q3", "support"))
}

// A duplicate is an answer, not a broken transaction: fn may handle it and
// go on writing in the same transaction.
func testRecordDuplicateNameTxUsable(t *testing.T, h *harness) {
	d := h.db(t)
	putRecords(t, d, rec(domain.KindQueue, "i1", "q1", "Support"))
	update(t, d, func(tx domain.Tx) error {
		if err := tx.PutRecord(rec(domain.KindQueue, "i1", "q2", "Support")); !errors.Is(err, domain.ErrStoreDuplicate) {
			return fmt.Errorf("PutRecord = %v, want ErrStoreDuplicate", err)
		}
		if _, err := tx.GetRecord(domain.KindQueue, "i1", "q1"); err != nil {
			return fmt.Errorf("GetRecord after duplicate: %w", err)
		}
		return tx.PutRecord(rec(domain.KindQueue, "i1", "q2", "Support 2"))
	})
	got, err := getRecord(t, d, domain.KindQueue, "i1", "q2")
	if err != nil || got.Name != "Support 2" {
		t.Errorf("q2 = %+v, %v; want name Support 2", got, err)
	}
}

func testRecordRenameFreesName(t *testing.T, h *harness) {
	d := h.db(t)
	putRecords(t, d, rec(domain.KindQueue, "i1", "q1", "Support"))
	putRecords(t, d, rec(domain.KindQueue, "i1", "q1", "Support old"))
	putRecords(t, d, rec(domain.KindQueue, "i1", "q2", "Support"))
	// Swapping names within one transaction, through a free name.
	putRecords(t, d,
		rec(domain.KindQueue, "i1", "q1", "tmp"),
		rec(domain.KindQueue, "i1", "q2", "Support old"),
		rec(domain.KindQueue, "i1", "q1", "Support"))
	view(t, d, func(tx domain.ReadTx) error {
		for name, id := range map[string]string{"Support": "q1", "Support old": "q2"} {
			r, err := tx.GetRecordByName(domain.KindQueue, "i1", name)
			if err != nil || r.ID != id {
				t.Errorf("GetRecordByName(%q) = %q, %v; want %q", name, r.ID, err, id)
			}
		}
		return nil
	})
	// Deleting frees the name too.
	update(t, d, func(tx domain.Tx) error { return tx.DeleteRecord(domain.KindQueue, "i1", "q1") })
	putRecords(t, d, rec(domain.KindQueue, "i1", "q3", "Support"))
}

func testRecordNameScope(t *testing.T, h *harness) {
	d := h.db(t)
	// The same name in another instance or another kind, and any number of
	// unnamed records, are all fine.
	putRecords(t, d,
		rec(domain.KindQueue, "i1", "a", "Support"),
		rec(domain.KindQueue, "i2", "b", "Support"),
		rec(domain.KindRoutingProfile, "i1", "c", "Support"),
		rec(domain.KindQueue, "", "d", "Support"),
		rec(domain.KindQueue, "i1", "e", ""),
		rec(domain.KindQueue, "i1", "f", ""),
	)
	view(t, d, func(tx domain.ReadTx) error {
		for _, c := range []struct {
			kind      domain.Kind
			inst, out string
		}{{domain.KindQueue, "i1", "a"}, {domain.KindQueue, "i2", "b"}, {domain.KindRoutingProfile, "i1", "c"}, {domain.KindQueue, "", "d"}} {
			r, err := tx.GetRecordByName(c.kind, c.inst, "Support")
			if err != nil || r.ID != c.out {
				t.Errorf("GetRecordByName(%s, %q) = %q, %v; want %q", c.kind, c.inst, r.ID, err, c.out)
			}
		}
		return nil
	})
}

func testRecordList(t *testing.T, h *harness) {
	d := h.db(t)
	// IDs whose byte order differs from any locale's order: the store must
	// order by bytes, identically in every implementation.
	ids := []string{"b", "A2", "_x", "a", "A10", "B", "a-1", "é"}
	want := []string{"A10", "A2", "B", "_x", "a", "a-1", "b", "é"}
	var rs []domain.Record
	for _, id := range ids {
		rs = append(rs, rec(domain.KindUser, "i1", id, ""))
	}
	rs = append(rs, rec(domain.KindQueue, "i1", "q", ""), rec(domain.KindUser, "i2", "u", ""))
	putRecords(t, d, rs...)
	list := func(after string, limit int) []string {
		var out []string
		view(t, d, func(tx domain.ReadTx) error {
			got, err := tx.ListRecords(domain.KindUser, "i1", after, limit)
			if err != nil {
				return err
			}
			for _, r := range got {
				if r.Kind != domain.KindUser || r.InstanceID != "i1" || len(r.Data) == 0 {
					t.Errorf("ListRecords returned %+v", r)
				}
				out = append(out, r.ID)
			}
			return nil
		})
		return out
	}
	if got := list("", 0); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ListRecords all = %q, want %q", got, want)
	}
	if got := list("", -1); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ListRecords limit -1 = %q, want %q", got, want)
	}
	// Page through with limit 3.
	var paged []string
	after := ""
	for i := 0; i < 10; i++ {
		page := list(after, 3)
		if len(page) > 3 {
			t.Fatalf("page of %d with limit 3", len(page))
		}
		paged = append(paged, page...)
		if len(page) < 3 {
			break
		}
		after = page[len(page)-1]
	}
	if fmt.Sprint(paged) != fmt.Sprint(want) {
		t.Errorf("paged = %q, want %q", paged, want)
	}
	if got := list("a", 0); fmt.Sprint(got) != fmt.Sprint(want[5:]) {
		t.Errorf("after %q = %q, want %q", "a", got, want[5:])
	}
	if got := list("é", 0); len(got) != 0 {
		t.Errorf("after the last = %q, want none", got)
	}
	view(t, d, func(tx domain.ReadTx) error {
		got, err := tx.ListRecords(domain.KindAgentStatus, "i1", "", 0)
		if err != nil || len(got) != 0 {
			t.Errorf("ListRecords empty kind = %v, %v", got, err)
		}
		return nil
	})
}

func testRecordCount(t *testing.T, h *harness) {
	d := h.db(t)
	putRecords(t, d,
		rec(domain.KindUser, "i1", "a", ""), rec(domain.KindUser, "i1", "b", ""),
		rec(domain.KindUser, "i2", "c", ""), rec(domain.KindQueue, "i1", "d", ""))
	view(t, d, func(tx domain.ReadTx) error {
		for _, c := range []struct {
			kind domain.Kind
			inst string
			n    int
		}{{domain.KindUser, "i1", 2}, {domain.KindUser, "i2", 1}, {domain.KindQueue, "i1", 1}, {domain.KindQueue, "i3", 0}} {
			if n, err := tx.CountRecords(c.kind, c.inst); err != nil || n != c.n {
				t.Errorf("CountRecords(%s, %s) = %d, %v; want %d", c.kind, c.inst, n, err, c.n)
			}
		}
		return nil
	})
}

func testRecordDelete(t *testing.T, h *harness) {
	d := h.db(t)
	putRecords(t, d, rec(domain.KindUser, "i1", "a", "x"), rec(domain.KindUser, "i1", "b", "y"))
	update(t, d, func(tx domain.Tx) error {
		if err := tx.DeleteRecord(domain.KindUser, "i1", "a"); err != nil {
			return err
		}
		// Within the transaction the delete is visible at once.
		if _, err := tx.GetRecord(domain.KindUser, "i1", "a"); !errors.Is(err, domain.ErrStoreNotFound) {
			return fmt.Errorf("GetRecord after delete in tx: %v", err)
		}
		return nil
	})
	_, err := getRecord(t, d, domain.KindUser, "i1", "a")
	wantErr(t, "GetRecord after delete", err, domain.ErrStoreNotFound)
	if _, err := getRecord(t, d, domain.KindUser, "i1", "b"); err != nil {
		t.Errorf("other record: %v", err)
	}
	err = d.Update(ctx, func(tx domain.Tx) error { return tx.DeleteRecord(domain.KindUser, "i1", "a") })
	wantErr(t, "second delete", err, domain.ErrStoreNotFound)
}

func testIdempotency(t *testing.T, h *harness) {
	d := h.db(t)
	e := domain.Idempotency{InstanceID: "i1", Operation: "StartTaskContact", Token: "tok",
		RequestHash: "h1", ResultID: "c1", CreatedAt: at(0)}
	update(t, d, func(tx domain.Tx) error { return tx.PutIdempotency(e) })
	get := func(inst, op, tok string) (domain.Idempotency, error) {
		var got domain.Idempotency
		var gerr error
		view(t, d, func(tx domain.ReadTx) error {
			got, gerr = tx.GetIdempotency(inst, op, tok)
			return nil
		})
		return got, gerr
	}
	got, err := get("i1", "StartTaskContact", "tok")
	if err != nil || got.InstanceID != e.InstanceID || got.Operation != e.Operation || got.Token != e.Token ||
		got.RequestHash != e.RequestHash || got.ResultID != e.ResultID || !sameTime(got.CreatedAt, e.CreatedAt) {
		t.Errorf("GetIdempotency = %+v, %v; want %+v", got, err, e)
	}
	for _, k := range [][3]string{{"i2", "StartTaskContact", "tok"}, {"i1", "Other", "tok"}, {"i1", "StartTaskContact", "TOK"}} {
		_, err := get(k[0], k[1], k[2])
		wantErr(t, fmt.Sprint("GetIdempotency", k), err, domain.ErrStoreNotFound)
	}
	e2 := e
	e2.RequestHash, e2.ResultID, e2.CreatedAt = "h2", "c2", at(5)
	update(t, d, func(tx domain.Tx) error { return tx.PutIdempotency(e2) })
	if got, err := get("i1", "StartTaskContact", "tok"); err != nil || got.ResultID != "c2" ||
		got.RequestHash != "h2" || !sameTime(got.CreatedAt, at(5)) {
		t.Errorf("after replace = %+v, %v", got, err)
	}
}

// testIdempotencyClaim: a claim stores a new token, answers the live entry
// that holds one, replaces an expired one (created at or before the bound),
// and is undone with the update that made it.
func testIdempotencyClaim(t *testing.T, h *harness) {
	d := h.db(t)
	claim := func(e domain.Idempotency, expiredBy time.Time) (domain.Idempotency, bool) {
		t.Helper()
		var prior domain.Idempotency
		var claimed bool
		update(t, d, func(tx domain.Tx) error {
			var err error
			prior, claimed, err = tx.ClaimIdempotency(e, expiredBy)
			return err
		})
		return prior, claimed
	}
	stored := func() domain.Idempotency {
		t.Helper()
		var got domain.Idempotency
		view(t, d, func(tx domain.ReadTx) error {
			var err error
			got, err = tx.GetIdempotency("i1", "op", "tok")
			return err
		})
		return got
	}
	first := domain.Idempotency{InstanceID: "i1", Operation: "op", Token: "tok", RequestHash: "h1", ResultID: "c1", CreatedAt: at(10)}
	if _, claimed := claim(first, at(0)); !claimed {
		t.Fatal("a new token was not claimed")
	}
	if got := stored(); got.ResultID != "c1" || got.RequestHash != "h1" || !sameTime(got.CreatedAt, at(10)) {
		t.Errorf("after the claim: %+v", got)
	}
	// Live (created after the bound): not claimed, and the entry that
	// holds it comes back unchanged.
	second := first
	second.RequestHash, second.ResultID, second.CreatedAt = "h2", "c2", at(20)
	for _, bound := range []time.Time{at(0), at(9)} {
		prior, claimed := claim(second, bound)
		if claimed || prior.ResultID != "c1" || prior.RequestHash != "h1" || !sameTime(prior.CreatedAt, at(10)) {
			t.Errorf("claim over a live entry (expired by %v): claimed %v, prior %+v", bound, claimed, prior)
		}
	}
	if got := stored(); got.ResultID != "c1" {
		t.Errorf("a refused claim changed the entry: %+v", got)
	}
	// Expired (created at the bound): the claim replaces it.
	if _, claimed := claim(second, at(10)); !claimed {
		t.Fatal("an expired token was not claimed")
	}
	if got := stored(); got.ResultID != "c2" || got.RequestHash != "h2" || !sameTime(got.CreatedAt, at(20)) {
		t.Errorf("after claiming an expired entry: %+v", got)
	}
	// A claim in an update that fails is rolled back with it.
	other := domain.Idempotency{InstanceID: "i1", Operation: "op", Token: "other", RequestHash: "h", ResultID: "x", CreatedAt: at(30)}
	err := d.Update(context.Background(), func(tx domain.Tx) error {
		if _, _, err := tx.ClaimIdempotency(other, at(0)); err != nil {
			return err
		}
		return errors.New("fail after the claim")
	})
	if err == nil {
		t.Fatal("failing update succeeded")
	}
	view(t, d, func(tx domain.ReadTx) error {
		_, err := tx.GetIdempotency("i1", "op", "other")
		wantErr(t, "claim of a failed update", err, domain.ErrStoreNotFound)
		return nil
	})
}

func testIdempotencyExpire(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error {
		for i := 0; i < 5; i++ {
			if err := tx.PutIdempotency(domain.Idempotency{InstanceID: "i1", Operation: "op",
				Token: fmt.Sprint("t", i), CreatedAt: at(i * 10)}); err != nil {
				return err
			}
		}
		return nil
	})
	// Strictly before (the entry created at exactly t stays), the oldest
	// first, at most limit at a time.
	sweep := func(limit, want int) {
		t.Helper()
		update(t, d, func(tx domain.Tx) error {
			n, err := tx.DeleteIdempotencyBefore(at(20), limit)
			if err == nil && n != want {
				t.Errorf("limit %d removed %d, want %d", limit, n, want)
			}
			return err
		})
	}
	sweep(1, 1)
	view(t, d, func(tx domain.ReadTx) error {
		_, err0 := tx.GetIdempotency("i1", "op", "t0")
		_, err1 := tx.GetIdempotency("i1", "op", "t1")
		if !errors.Is(err0, domain.ErrStoreNotFound) || err1 != nil {
			t.Errorf("a sweep of one should remove t0, the oldest, and keep t1: %v, %v", err0, err1)
		}
		return nil
	})
	sweep(10, 1)
	sweep(10, 0)
	view(t, d, func(tx domain.ReadTx) error {
		for i := 0; i < 5; i++ {
			_, err := tx.GetIdempotency("i1", "op", fmt.Sprint("t", i))
			if i < 2 {
				wantErr(t, fmt.Sprint("expired t", i), err, domain.ErrStoreNotFound)
			} else if err != nil {
				t.Errorf("t%d should remain: %v", i, err)
			}
		}
		return nil
	})
}

func testDeleteInstance(t *testing.T, h *harness) {
	d := h.db(t)
	seed := func(inst string) {
		putRecords(t, d,
			domain.Record{Kind: domain.KindInstance, ID: inst, Name: "alias-" + inst},
			rec(domain.KindQueue, inst, "q1", "Support"),
			rec(domain.KindUser, inst, "u1", "alice"),
			rec(domain.KindAttributes, inst, "c1", ""))
		update(t, d, func(tx domain.Tx) error {
			if err := tx.PutContact(contact(inst, "c1", func(c *domain.ContactRow) {})); err != nil {
				return err
			}
			return tx.PutIdempotency(domain.Idempotency{InstanceID: inst, Operation: "op", Token: "t", CreatedAt: at(0)})
		})
	}
	seed("i1")
	seed("i2")
	update(t, d, func(tx domain.Tx) error { return tx.DeleteInstance("i1") })
	// Deleting an instance with nothing left is not an error.
	update(t, d, func(tx domain.Tx) error { return tx.DeleteInstance("i1") })
	view(t, d, func(tx domain.ReadTx) error {
		for inst, present := range map[string]bool{"i1": false, "i2": true} {
			check := func(what string, err error) {
				if present && err != nil {
					t.Errorf("%s of %s: %v", what, inst, err)
				}
				if !present && !errors.Is(err, domain.ErrStoreNotFound) {
					t.Errorf("%s of deleted %s: err = %v, want not found", what, inst, err)
				}
			}
			_, err := tx.GetRecord(domain.KindInstance, "", inst)
			check("instance record", err)
			_, err = tx.GetRecord(domain.KindQueue, inst, "q1")
			check("queue", err)
			_, err = tx.GetRecordByName(domain.KindUser, inst, "alice")
			check("user", err)
			_, err = tx.GetRecord(domain.KindAttributes, inst, "c1")
			check("attributes", err)
			_, err = tx.GetContact(inst, "c1")
			check("contact", err)
			_, err = tx.GetIdempotency(inst, "op", "t")
			check("idempotency", err)
			want := 0
			if present {
				want = 1
			}
			if n, err := tx.CountContacts(domain.ContactQuery{InstanceID: inst}); err != nil || n != want {
				t.Errorf("CountContacts(%s) = %d, %v; want %d", inst, n, err, want)
			}
		}
		return nil
	})
	// The deleted instance's names are free again.
	putRecords(t, d, domain.Record{Kind: domain.KindInstance, ID: "i3", Name: "alias-i1"})
}
