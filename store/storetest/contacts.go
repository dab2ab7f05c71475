package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// contact builds a row with every column set, then applies mod.
func contact(inst, id string, mod func(c *domain.ContactRow)) domain.ContactRow {
	c := domain.ContactRow{
		InstanceID: inst, ID: id, InitialContactID: id, PreviousContactID: "", RelatedContactID: "",
		Channel: "TASK", InitiationMethod: "API", QueueID: "q1", AgentID: "", Active: true,
		InitiationTime: at(0), Data: []byte(fmt.Sprintf(`{"Id":%q}`, id)),
	}
	mod(&c)
	return c
}

func putContacts(t *testing.T, s domain.Store, cs ...domain.ContactRow) {
	t.Helper()
	update(t, s, func(tx domain.Tx) error {
		for _, c := range cs {
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		return nil
	})
}

func checkContact(t *testing.T, got, want domain.ContactRow) {
	t.Helper()
	g, w := got, want
	times := func(c domain.ContactRow) []time.Time {
		return []time.Time{c.InitiationTime, c.ScheduledTime, c.EnqueueTime, c.ConnectedToAgentTime, c.DisconnectTime, c.ExpiryTime}
	}
	gt, wt := times(g), times(w)
	for i := range gt {
		if !sameTime(gt[i], wt[i]) {
			t.Errorf("contact %s time %d = %v, want %v", w.ID, i, gt[i], wt[i])
		}
	}
	g.InitiationTime, g.ScheduledTime, g.EnqueueTime, g.ConnectedToAgentTime, g.DisconnectTime, g.ExpiryTime =
		time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	w.InitiationTime, w.ScheduledTime, w.EnqueueTime, w.ConnectedToAgentTime, w.DisconnectTime, w.ExpiryTime =
		time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	gd, wd := g.Data, w.Data
	g.Data, w.Data = nil, nil
	if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) || !bytes.Equal(gd, wd) {
		t.Errorf("contact mismatch:\n got  %+v %s\n want %+v %s", g, gd, w, wd)
	}
}

func getContact(t *testing.T, s domain.Store, inst, id string) (domain.ContactRow, error) {
	t.Helper()
	var c domain.ContactRow
	var gerr error
	view(t, s, func(tx domain.ReadTx) error {
		c, gerr = tx.GetContact(inst, id)
		return nil
	})
	return c, gerr
}

func testContactPutGet(t *testing.T, h *harness) {
	d := h.db(t)
	full := contact("i1", "c1", func(c *domain.ContactRow) {
		c.InitialContactID, c.PreviousContactID, c.RelatedContactID = "c0", "cp", "cr"
		c.Channel, c.InitiationMethod, c.QueueID, c.AgentID = "VOICE", "TRANSFER", "q9", "a1"
		c.InitiationTime, c.ScheduledTime, c.EnqueueTime = at(1), at(2), at(3)
		c.ConnectedToAgentTime, c.DisconnectTime, c.ExpiryTime = at(4), at(5), at(6)
		c.Active = false
	})
	// Every time zero: every one comes back zero.
	bare := domain.ContactRow{InstanceID: "i1", ID: "c2"}
	putContacts(t, d, full, bare)
	for _, want := range []domain.ContactRow{full, bare} {
		got, err := getContact(t, d, "i1", want.ID)
		if err != nil {
			t.Fatalf("GetContact %s: %v", want.ID, err)
		}
		checkContact(t, got, want)
	}
}

func testContactReplace(t *testing.T, h *harness) {
	d := h.db(t)
	c := contact("i1", "c1", func(c *domain.ContactRow) { c.EnqueueTime = at(3) })
	putContacts(t, d, c)
	c.Active, c.AgentID, c.DisconnectTime, c.EnqueueTime = false, "a1", at(9), time.Time{}
	c.Data = []byte(`{"v":2}`)
	putContacts(t, d, c)
	got, err := getContact(t, d, "i1", "c1")
	if err != nil {
		t.Fatal(err)
	}
	c.Rev = 1 // written once before: the store counts the writes
	checkContact(t, got, c)
	view(t, d, func(tx domain.ReadTx) error {
		if n, err := tx.CountContacts(domain.ContactQuery{InstanceID: "i1"}); err != nil || n != 1 {
			t.Errorf("CountContacts = %d, %v; want 1", n, err)
		}
		return nil
	})
}

func testContactNotFound(t *testing.T, h *harness) {
	d := h.db(t)
	putContacts(t, d, contact("i1", "c1", func(*domain.ContactRow) {}))
	for _, k := range [][2]string{{"i1", "c2"}, {"i2", "c1"}} {
		_, err := getContact(t, d, k[0], k[1])
		wantErr(t, fmt.Sprint("GetContact", k), err, domain.ErrStoreNotFound)
	}
}

// queryIDs runs q and CountContacts(q), checking that the count agrees
// with an unpaged run of the same query.
func queryIDs(t *testing.T, s domain.Store, q domain.ContactQuery) []string {
	t.Helper()
	var ids []string
	view(t, s, func(tx domain.ReadTx) error {
		rows, err := tx.QueryContacts(q)
		if err != nil {
			return fmt.Errorf("QueryContacts(%+v): %w", q, err)
		}
		for _, r := range rows {
			if r.InstanceID != q.InstanceID {
				t.Errorf("row of instance %q in a query of %q", r.InstanceID, q.InstanceID)
			}
			ids = append(ids, r.ID)
		}
		unpaged := q
		unpaged.Offset, unpaged.Limit = 0, 0
		all, err := tx.QueryContacts(unpaged)
		if err != nil {
			return err
		}
		n, err := tx.CountContacts(q)
		if err != nil {
			return fmt.Errorf("CountContacts(%+v): %w", q, err)
		}
		if n != len(all) {
			t.Errorf("CountContacts(%+v) = %d, unpaged query has %d rows", q, n, len(all))
		}
		return nil
	})
	return ids
}

func sorted(ids []string) []string {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}

func expectIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func testContactQueryFilters(t *testing.T, h *harness) {
	d := h.db(t)
	putContacts(t, d,
		contact("i1", "c1", func(c *domain.ContactRow) {}),
		contact("i1", "c2", func(c *domain.ContactRow) {
			c.Channel, c.InitiationMethod, c.QueueID, c.AgentID = "VOICE", "INBOUND", "q2", "a1"
		}),
		contact("i1", "c3", func(c *domain.ContactRow) {
			c.InitialContactID, c.PreviousContactID, c.InitiationMethod = "c1", "c1", "TRANSFER"
			c.AgentID, c.Active = "a2", false
		}),
		contact("i1", "c4", func(c *domain.ContactRow) {
			c.Channel, c.QueueID, c.Active = "CHAT", "q3", false
			c.InitialContactID, c.PreviousContactID = "c1", "c3"
		}),
		contact("i2", "c5", func(c *domain.ContactRow) {}),
	)
	q := func(mod func(q *domain.ContactQuery)) []string {
		qq := domain.ContactQuery{InstanceID: "i1"}
		mod(&qq)
		return sorted(queryIDs(t, d, qq))
	}
	expectIDs(t, "no filter", q(func(*domain.ContactQuery) {}), "c1", "c2", "c3", "c4")
	expectIDs(t, "other instance", sorted(queryIDs(t, d, domain.ContactQuery{InstanceID: "i2"})), "c5")
	expectIDs(t, "unknown instance", queryIDs(t, d, domain.ContactQuery{InstanceID: "nope"}))
	expectIDs(t, "channels", q(func(q *domain.ContactQuery) { q.Channels = []string{"VOICE", "CHAT"} }), "c2", "c4")
	expectIDs(t, "one channel", q(func(q *domain.ContactQuery) { q.Channels = []string{"TASK"} }), "c1", "c3")
	expectIDs(t, "initiation methods", q(func(q *domain.ContactQuery) { q.InitiationMethods = []string{"INBOUND", "TRANSFER"} }), "c2", "c3")
	expectIDs(t, "queues", q(func(q *domain.ContactQuery) { q.QueueIDs = []string{"q2", "q3"} }), "c2", "c4")
	expectIDs(t, "agents", q(func(q *domain.ContactQuery) { q.AgentIDs = []string{"a1", "a2"} }), "c2", "c3")
	expectIDs(t, "previous", q(func(q *domain.ContactQuery) { q.PreviousContactID = "c1" }), "c3")
	expectIDs(t, "initial", q(func(q *domain.ContactQuery) { q.InitialContactID = "c1" }), "c1", "c3", "c4")
	expectIDs(t, "active only", q(func(q *domain.ContactQuery) { q.ActiveOnly = true }), "c1", "c2")
	expectIDs(t, "combined", q(func(q *domain.ContactQuery) {
		q.Channels, q.ActiveOnly, q.InitialContactID = []string{"TASK", "CHAT"}, true, "c1"
	}), "c1")
	expectIDs(t, "no match", q(func(q *domain.ContactQuery) { q.Channels = []string{"EMAIL"} }))
	// The empty string is not a filter value for the ID filters.
	expectIDs(t, "empty previous", q(func(q *domain.ContactQuery) { q.PreviousContactID = "" }), "c1", "c2", "c3", "c4")
}

func testContactQueryTimeRange(t *testing.T, h *harness) {
	d := h.db(t)
	var cs []domain.ContactRow
	// c0..c4 have every time at 10*i seconds; cn has only an initiation time.
	for i := 0; i < 5; i++ {
		ts := at(10 * i)
		cs = append(cs, contact("i1", fmt.Sprint("c", i), func(c *domain.ContactRow) {
			c.InitiationTime, c.ScheduledTime, c.EnqueueTime = ts, ts, ts
			c.ConnectedToAgentTime, c.DisconnectTime, c.ExpiryTime = ts, ts, ts
		}))
	}
	cs = append(cs, contact("i1", "cn", func(c *domain.ContactRow) { c.InitiationTime = at(20) }))
	putContacts(t, d, cs...)
	for _, f := range []domain.ContactTimeField{domain.TimeInitiation, domain.TimeScheduled, domain.TimeEnqueue,
		domain.TimeConnectedToAgent, domain.TimeDisconnect, domain.TimeExpiry} {
		r := func(from, to time.Time) []string {
			return sorted(queryIDs(t, d, domain.ContactQuery{InstanceID: "i1", TimeField: f, From: from, To: to}))
		}
		extra := []string{}
		if f == domain.TimeInitiation {
			extra = []string{"cn"}
		}
		// From is inclusive, To exclusive.
		expectIDs(t, string(f)+" [10,30)", r(at(10), at(30)), append([]string{"c1", "c2"}, extra...)...)
		expectIDs(t, string(f)+" [11,30)", r(at(10).Add(time.Microsecond), at(30)), append([]string{"c2"}, extra...)...)
		expectIDs(t, string(f)+" [10,30µs]", r(at(10), at(30).Add(time.Microsecond)), append([]string{"c1", "c2", "c3"}, extra...)...)
		expectIDs(t, string(f)+" empty", r(at(20), at(20)))
		// A zero bound leaves that side open; a contact without the time
		// never matches a range over it.
		expectIDs(t, string(f)+" [30,∞)", r(at(30), time.Time{}), "c3", "c4")
		expectIDs(t, string(f)+" (-∞,10)", r(time.Time{}, at(10)), "c0")
		expectIDs(t, string(f)+" unbounded", r(time.Time{}, time.Time{}), append([]string{"c0", "c1", "c2", "c3", "c4"}, extra...)...)
		// A time in another zone is the same instant.
		expectIDs(t, string(f)+" zoned", r(at(40).In(time.FixedZone("Y", -7*3600)), time.Time{}), "c4")
	}
	// Without a TimeField, From and To are ignored.
	expectIDs(t, "no field", sorted(queryIDs(t, d, domain.ContactQuery{InstanceID: "i1", From: at(100)})),
		"c0", "c1", "c2", "c3", "c4", "cn")
}

func testContactQuerySort(t *testing.T, h *harness) {
	d := h.db(t)
	putContacts(t, d,
		contact("i1", "b", func(c *domain.ContactRow) { c.InitiationTime, c.EnqueueTime = at(10), at(5) }),
		contact("i1", "a", func(c *domain.ContactRow) { c.InitiationTime, c.EnqueueTime = at(10), time.Time{} }),
		contact("i1", "c", func(c *domain.ContactRow) { c.InitiationTime, c.EnqueueTime = at(5), at(50) }),
		contact("i1", "d", func(c *domain.ContactRow) { c.InitiationTime, c.EnqueueTime = time.Time{}, at(5) }),
		contact("i1", "e", func(c *domain.ContactRow) { c.InitiationTime, c.EnqueueTime = at(20), time.Time{} }),
		contact("i1", "f", func(c *domain.ContactRow) { c.InitiationTime, c.EnqueueTime = time.Time{}, at(1) }),
	)
	s := func(field domain.ContactTimeField, desc bool) []string {
		return queryIDs(t, d, domain.ContactQuery{InstanceID: "i1", SortField: field, Descending: desc})
	}
	// Default: initiation time ascending, ties by ID, NULLs last.
	expectIDs(t, "default", s("", false), "c", "a", "b", "e", "d", "f")
	expectIDs(t, "initiation asc", s(domain.TimeInitiation, false), "c", "a", "b", "e", "d", "f")
	// Descending reverses the ID tie-break too; NULLs stay last.
	expectIDs(t, "initiation desc", s(domain.TimeInitiation, true), "e", "b", "a", "c", "f", "d")
	expectIDs(t, "enqueue asc", s(domain.TimeEnqueue, false), "f", "b", "d", "c", "a", "e")
	expectIDs(t, "enqueue desc", s(domain.TimeEnqueue, true), "c", "d", "b", "f", "e", "a")
	// Rows with no time in the sort column at all are ordered by ID alone.
	expectIDs(t, "disconnect asc", s(domain.TimeDisconnect, false), "a", "b", "c", "d", "e", "f")
	expectIDs(t, "disconnect desc", s(domain.TimeDisconnect, true), "f", "e", "d", "c", "b", "a")
	// Sorting and a range on different fields.
	got := queryIDs(t, d, domain.ContactQuery{InstanceID: "i1", TimeField: domain.TimeInitiation, From: at(0),
		SortField: domain.TimeEnqueue, Descending: true})
	expectIDs(t, "range initiation, sort enqueue desc", got, "c", "b", "e", "a")
}

func testContactQueryPaging(t *testing.T, h *harness) {
	d := h.db(t)
	var cs []domain.ContactRow
	var want []string
	for i := 0; i < 23; i++ {
		id := fmt.Sprintf("c%02d", i)
		ts := at(i / 2) // pairs share a time: paging must follow the ID tie-break
		cs = append(cs, contact("i1", id, func(c *domain.ContactRow) { c.InitiationTime = ts }))
		want = append(want, id)
	}
	putContacts(t, d, cs...)
	for _, desc := range []bool{false, true} {
		exp := slices.Clone(want)
		if desc {
			slices.Reverse(exp)
		}
		var got []string
		for off := 0; off < 30; off += 5 {
			got = append(got, queryIDs(t, d, domain.ContactQuery{InstanceID: "i1", Descending: desc, Offset: off, Limit: 5})...)
		}
		expectIDs(t, fmt.Sprint("paged desc=", desc), got, exp...)
		expectIDs(t, fmt.Sprint("offset only desc=", desc),
			queryIDs(t, d, domain.ContactQuery{InstanceID: "i1", Descending: desc, Offset: 20}), exp[20:]...)
	}
	view(t, d, func(tx domain.ReadTx) error {
		n, err := tx.CountContacts(domain.ContactQuery{InstanceID: "i1", Offset: 20, Limit: 2})
		if err != nil || n != 23 {
			t.Errorf("CountContacts ignoring paging = %d, %v; want 23", n, err)
		}
		return nil
	})
}

func testContactQueryInvalidField(t *testing.T, h *harness) {
	d := h.db(t)
	putContacts(t, d, contact("i1", "c1", func(*domain.ContactRow) {}))
	view(t, d, func(tx domain.ReadTx) error {
		if _, err := tx.QueryContacts(domain.ContactQuery{InstanceID: "i1", SortField: "bogus"}); err == nil {
			t.Error("QueryContacts with an unknown sort field: no error")
		}
		if _, err := tx.QueryContacts(domain.ContactQuery{InstanceID: "i1", TimeField: "bogus; DROP TABLE contacts", From: at(0)}); err == nil {
			t.Error("QueryContacts with an unknown time field: no error")
		}
		if _, err := tx.CountContacts(domain.ContactQuery{InstanceID: "i1", TimeField: "bogus"}); err == nil {
			t.Error("CountContacts with an unknown time field: no error")
		}
		_, err := tx.GetContact("i1", "c1")
		if errors.Is(err, domain.ErrStoreNotFound) {
			t.Error("contact vanished")
		}
		return nil
	})
}
