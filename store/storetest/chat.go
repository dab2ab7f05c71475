package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/switchboard-cc/switchboard/domain"
)

// chatTests are the chat storage rules (domain.ChatReadTx / ChatTx); Run
// runs them with the rest of the suite.
var chatTests = []struct {
	name string
	fn   func(t *testing.T, h *harness)
}{
	{"ChatParticipants", testChatParticipants},
	{"ChatParticipantTokenUnique", testChatParticipantTokenUnique},
	{"ChatConnections", testChatConnections},
	{"ChatMoveParticipant", testChatMoveParticipant},
	{"ChatItemsOrderAndBounds", testChatItemsOrderAndBounds},
	{"ChatItemReplaceAndDuplicateID", testChatItemReplaceAndDuplicateID},
	{"ChatAttachments", testChatAttachments},
	{"ChatDurableAndDeleteInstance", testChatDurableAndDeleteInstance},
	{"ChatSendState", testChatSendState},
}

func chatItem(inst, contact string, seq int64) domain.ChatItemRow {
	return domain.ChatItemRow{InstanceID: inst, ContactID: contact, Seq: seq,
		ID: fmt.Sprintf("item-%03d", seq), Time: at(int(seq)), Data: []byte(fmt.Sprintf(`{"n":%d}`, seq))}
}

func seqs(rows []domain.ChatItemRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.Seq
	}
	return out
}

func expectSeqs(t *testing.T, what string, got []domain.ChatItemRow, want ...int64) {
	t.Helper()
	g := seqs(got)
	if fmt.Sprint(g) != fmt.Sprint(want) {
		t.Errorf("%s: seqs %v, want %v", what, g, want)
	}
}

func testChatParticipants(t *testing.T, h *harness) {
	d := h.db(t)
	cust := domain.ChatParticipantRow{InstanceID: "i1", ContactID: "c1", ParticipantID: "p-cust", TokenHash: "h-cust", Data: []byte(`{"role":"CUSTOMER"}`)}
	agent := domain.ChatParticipantRow{InstanceID: "i1", ContactID: "c1", ParticipantID: "p-agent", TokenHash: "h-agent", Data: []byte(`{"role":"AGENT"}`)}
	other := domain.ChatParticipantRow{InstanceID: "i1", ContactID: "c2", ParticipantID: "p-x", TokenHash: "h-x", Data: []byte(`{}`)}
	update(t, d, func(tx domain.Tx) error {
		for _, p := range []domain.ChatParticipantRow{cust, agent, other} {
			if err := tx.PutChatParticipant(p); err != nil {
				return err
			}
		}
		return nil
	})
	// Replacing keeps one row per participant and updates its document.
	cust.Data = []byte(`{"role":"CUSTOMER","left":true}`)
	update(t, d, func(tx domain.Tx) error { return tx.PutChatParticipant(cust) })
	view(t, d, func(tx domain.ReadTx) error {
		got, err := tx.GetChatParticipantByToken("h-cust")
		if err != nil {
			t.Fatalf("GetChatParticipantByToken: %v", err)
		}
		if got.InstanceID != "i1" || got.ContactID != "c1" || got.ParticipantID != "p-cust" || !bytes.Equal(got.Data, cust.Data) {
			t.Errorf("participant = %+v", got)
		}
		_, err = tx.GetChatParticipantByToken("nope")
		wantErr(t, "unknown token", err, domain.ErrStoreNotFound)
		list, err := tx.ListChatParticipants("i1", "c1")
		if err != nil {
			t.Fatalf("ListChatParticipants: %v", err)
		}
		if len(list) != 2 || list[0].ParticipantID != "p-agent" || list[1].ParticipantID != "p-cust" {
			t.Errorf("participants of c1 = %+v, want p-agent, p-cust", list)
		}
		none, err := tx.ListChatParticipants("i2", "c1")
		if err != nil || len(none) != 0 {
			t.Errorf("participants of another instance = %v, %v", none, err)
		}
		return nil
	})
}

func testChatParticipantTokenUnique(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error {
		return tx.PutChatParticipant(domain.ChatParticipantRow{InstanceID: "i1", ContactID: "c1", ParticipantID: "p1", TokenHash: "same"})
	})
	err := d.Update(ctx, func(tx domain.Tx) error {
		err := tx.PutChatParticipant(domain.ChatParticipantRow{InstanceID: "i1", ContactID: "c2", ParticipantID: "p2", TokenHash: "same"})
		wantErr(t, "second participant with the same token", err, domain.ErrStoreDuplicate)
		// The transaction stays usable after the expected conflict.
		return tx.PutChatParticipant(domain.ChatParticipantRow{InstanceID: "i1", ContactID: "c2", ParticipantID: "p2", TokenHash: "other"})
	})
	if err != nil {
		t.Fatalf("Update after a duplicate token: %v", err)
	}
	view(t, d, func(tx domain.ReadTx) error {
		if p, err := tx.GetChatParticipantByToken("other"); err != nil || p.ParticipantID != "p2" {
			t.Errorf("participant written after the conflict: %+v, %v", p, err)
		}
		return nil
	})
}

func testChatConnections(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error {
		for i, exp := range []int{10, 20, 30} {
			c := domain.ChatConnectionRow{TokenHash: fmt.Sprintf("t%d", i), InstanceID: "i1", ContactID: "c1", ParticipantID: "p1", ExpiresAt: at(exp)}
			if err := tx.PutChatConnection(c); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, d, func(tx domain.ReadTx) error {
		c, err := tx.GetChatConnection("t1")
		if err != nil {
			t.Fatalf("GetChatConnection: %v", err)
		}
		if c.ContactID != "c1" || c.ParticipantID != "p1" || !sameTime(c.ExpiresAt, at(20)) {
			t.Errorf("connection = %+v", c)
		}
		return nil
	})
	update(t, d, func(tx domain.Tx) error { return tx.DeleteChatConnectionsBefore(at(20)) })
	view(t, d, func(tx domain.ReadTx) error {
		_, err := tx.GetChatConnection("t0")
		wantErr(t, "expired connection", err, domain.ErrStoreNotFound)
		for _, h := range []string{"t1", "t2"} {
			if _, err := tx.GetChatConnection(h); err != nil {
				t.Errorf("connection %s expiring at or after the cut: %v", h, err)
			}
		}
		return nil
	})
}

func testChatMoveParticipant(t *testing.T, h *harness) {
	d := h.db(t)
	cust := domain.ChatParticipantRow{InstanceID: "i1", ContactID: "c1", ParticipantID: "p-cust", TokenHash: "h-cust", Data: []byte(`{"n":1}`)}
	agent := domain.ChatParticipantRow{InstanceID: "i1", ContactID: "c1", ParticipantID: "p-agent", TokenHash: "h-agent", Data: []byte(`{}`)}
	update(t, d, func(tx domain.Tx) error {
		for _, p := range []domain.ChatParticipantRow{cust, agent} {
			if err := tx.PutChatParticipant(p); err != nil {
				return err
			}
		}
		conns := []domain.ChatConnectionRow{
			{TokenHash: "t-cust1", InstanceID: "i1", ContactID: "c1", ParticipantID: "p-cust", ExpiresAt: at(50)},
			{TokenHash: "t-cust2", InstanceID: "i1", ContactID: "c1", ParticipantID: "p-cust", ExpiresAt: at(60)},
			{TokenHash: "t-agent", InstanceID: "i1", ContactID: "c1", ParticipantID: "p-agent", ExpiresAt: at(50)},
		}
		for _, c := range conns {
			if err := tx.PutChatConnection(c); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, d, func(tx domain.Tx) error { return tx.MoveChatParticipant("i1", "c1", "p-cust", "c2") })
	view(t, d, func(tx domain.ReadTx) error {
		p, err := tx.GetChatParticipantByToken("h-cust")
		if err != nil || p.ContactID != "c2" || !bytes.Equal(p.Data, cust.Data) {
			t.Errorf("moved participant = %+v, %v; want it in c2 with its document", p, err)
		}
		if list, err := tx.ListChatParticipants("i1", "c1"); err != nil || len(list) != 1 || list[0].ParticipantID != "p-agent" {
			t.Errorf("participants left in c1 = %+v, %v; want only p-agent", list, err)
		}
		for hash, want := range map[string]string{"t-cust1": "c2", "t-cust2": "c2", "t-agent": "c1"} {
			c, err := tx.GetChatConnection(hash)
			if err != nil || c.ContactID != want || c.ParticipantID == "" {
				t.Errorf("connection %s = %+v, %v; want contact %s", hash, c, err, want)
			}
		}
		return nil
	})
	// The participant is no longer in c1.
	err := d.Update(ctx, func(tx domain.Tx) error { return tx.MoveChatParticipant("i1", "c1", "p-cust", "c3") })
	wantErr(t, "moving a participant from a contact it left", err, domain.ErrStoreNotFound)
}

func testChatItemsOrderAndBounds(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error {
		// Written out of order: the store orders by Seq, not insertion.
		for _, s := range []int64{3, 1, 5, 2, 4} {
			if err := tx.PutChatItem(chatItem("i1", "c1", s)); err != nil {
				return err
			}
		}
		return tx.PutChatItem(chatItem("i1", "c2", 1))
	})
	view(t, d, func(tx domain.ReadTx) error {
		list := func(q domain.ChatItemQuery) []domain.ChatItemRow {
			t.Helper()
			q.InstanceID, q.ContactID = "i1", "c1"
			rows, err := tx.ListChatItems(q)
			if err != nil {
				t.Fatalf("ListChatItems(%+v): %v", q, err)
			}
			return rows
		}
		expectSeqs(t, "all ascending", list(domain.ChatItemQuery{}), 1, 2, 3, 4, 5)
		expectSeqs(t, "all descending", list(domain.ChatItemQuery{Descending: true}), 5, 4, 3, 2, 1)
		expectSeqs(t, "after 2, limit 2", list(domain.ChatItemQuery{AfterSeq: 2, Limit: 2}), 3, 4)
		expectSeqs(t, "before 4, descending", list(domain.ChatItemQuery{BeforeSeq: 4, Descending: true}), 3, 2, 1)
		expectSeqs(t, "between", list(domain.ChatItemQuery{AfterSeq: 1, BeforeSeq: 5}), 2, 3, 4)
		expectSeqs(t, "from time", list(domain.ChatItemQuery{FromTime: at(3), Limit: 1}), 3)
		expectSeqs(t, "newest", list(domain.ChatItemQuery{Descending: true, Limit: 1}), 5)
		rows := list(domain.ChatItemQuery{AfterSeq: 4})
		if len(rows) != 1 || rows[0].ID != "item-005" || !sameTime(rows[0].Time, at(5)) || string(rows[0].Data) != `{"n":5}` {
			t.Errorf("item 5 = %+v", rows)
		}
		got, err := tx.GetChatItem("i1", "c1", "item-002")
		if err != nil || got.Seq != 2 {
			t.Errorf("GetChatItem = %+v, %v", got, err)
		}
		_, err = tx.GetChatItem("i1", "c2", "item-002")
		wantErr(t, "item of another contact", err, domain.ErrStoreNotFound)
		return nil
	})
}

func testChatItemReplaceAndDuplicateID(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error {
		if err := tx.PutChatItem(chatItem("i1", "c1", 1)); err != nil {
			return err
		}
		return tx.PutChatItem(chatItem("i1", "c1", 2))
	})
	// Same Seq and ID: a replacement (read receipts rewrite a message).
	it := chatItem("i1", "c1", 1)
	it.Data = []byte(`{"n":1,"read":true}`)
	update(t, d, func(tx domain.Tx) error { return tx.PutChatItem(it) })
	err := d.Update(ctx, func(tx domain.Tx) error {
		dup := chatItem("i1", "c1", 3)
		dup.ID = "item-001"
		err := tx.PutChatItem(dup)
		wantErr(t, "new seq with an existing id", err, domain.ErrStoreDuplicate)
		return tx.PutChatItem(chatItem("i1", "c1", 3))
	})
	if err != nil {
		t.Fatalf("Update after duplicate item id: %v", err)
	}
	view(t, d, func(tx domain.ReadTx) error {
		got, err := tx.GetChatItem("i1", "c1", "item-001")
		if err != nil || string(got.Data) != `{"n":1,"read":true}` {
			t.Errorf("replaced item = %+v, %v", got, err)
		}
		rows, err := tx.ListChatItems(domain.ChatItemQuery{InstanceID: "i1", ContactID: "c1"})
		if err != nil {
			return err
		}
		expectSeqs(t, "items", rows, 1, 2, 3)
		return nil
	})
}

func testChatAttachments(t *testing.T, h *harness) {
	d := h.db(t)
	a := domain.ChatAttachmentRow{InstanceID: "i1", ContactID: "c1", ID: "a1", CreatedAt: at(1), Data: []byte(`{"name":"x.txt"}`)}
	update(t, d, func(tx domain.Tx) error {
		if err := tx.PutChatAttachment(a); err != nil {
			return err
		}
		return tx.PutChatAttachmentContent("i1", "c1", "a1", []byte("hello"))
	})
	// Rewriting the metadata keeps the content.
	a.Data = []byte(`{"name":"x.txt","status":"APPROVED"}`)
	update(t, d, func(tx domain.Tx) error { return tx.PutChatAttachment(a) })
	err := d.Update(ctx, func(tx domain.Tx) error { return tx.PutChatAttachmentContent("i1", "c1", "nope", []byte("x")) })
	wantErr(t, "content of an unknown attachment", err, domain.ErrStoreNotFound)
	view(t, d, func(tx domain.ReadTx) error {
		got, err := tx.GetChatAttachment("i1", "c1", "a1")
		if err != nil || string(got.Data) != string(a.Data) || !sameTime(got.CreatedAt, at(1)) {
			t.Errorf("attachment = %+v, %v", got, err)
		}
		b, err := tx.GetChatAttachmentContent("i1", "c1", "a1")
		if err != nil || string(b) != "hello" {
			t.Errorf("content = %q, %v", b, err)
		}
		n, err := tx.CountChatAttachments("i1", "c1")
		if err != nil || n != 1 {
			t.Errorf("count = %d, %v", n, err)
		}
		_, err = tx.GetChatAttachment("i1", "c1", "nope")
		wantErr(t, "unknown attachment", err, domain.ErrStoreNotFound)
		_, err = tx.GetChatAttachmentContent("i1", "c1", "nope")
		wantErr(t, "unknown attachment content", err, domain.ErrStoreNotFound)
		return nil
	})
}

func testChatDurableAndDeleteInstance(t *testing.T, h *harness) {
	d := h.db(t)
	update(t, d, func(tx domain.Tx) error {
		for _, inst := range []string{"i1", "i2"} {
			errs := []error{
				tx.PutChatParticipant(domain.ChatParticipantRow{InstanceID: inst, ContactID: "c1", ParticipantID: "p1", TokenHash: "h-" + inst}),
				tx.PutChatConnection(domain.ChatConnectionRow{TokenHash: "t-" + inst, InstanceID: inst, ContactID: "c1", ParticipantID: "p1", ExpiresAt: at(100)}),
				tx.PutChatItem(chatItem(inst, "c1", 1)),
				tx.PutChatAttachment(domain.ChatAttachmentRow{InstanceID: inst, ContactID: "c1", ID: "a1", Data: []byte(`{}`)}),
			}
			if err := errors.Join(errs...); err != nil {
				return err
			}
		}
		return nil
	})
	d.restart(t)
	update(t, d, func(tx domain.Tx) error { return tx.DeleteInstance("i1") })
	view(t, d, func(tx domain.ReadTx) error {
		_, err := tx.GetChatParticipantByToken("h-i1")
		wantErr(t, "participant of deleted instance", err, domain.ErrStoreNotFound)
		_, err = tx.GetChatConnection("t-i1")
		wantErr(t, "connection of deleted instance", err, domain.ErrStoreNotFound)
		_, err = tx.GetChatItem("i1", "c1", "item-001")
		wantErr(t, "item of deleted instance", err, domain.ErrStoreNotFound)
		_, err = tx.GetChatAttachment("i1", "c1", "a1")
		wantErr(t, "attachment of deleted instance", err, domain.ErrStoreNotFound)
		// The other instance's chat survived the restart and the delete.
		if _, err := tx.GetChatParticipantByToken("h-i2"); err != nil {
			t.Errorf("participant of i2: %v", err)
		}
		if _, err := tx.GetChatConnection("t-i2"); err != nil {
			t.Errorf("connection of i2: %v", err)
		}
		if _, err := tx.GetChatItem("i2", "c1", "item-001"); err != nil {
			t.Errorf("item of i2: %v", err)
		}
		if _, err := tx.GetChatAttachment("i2", "c1", "a1"); err != nil {
			t.Errorf("attachment of i2: %v", err)
		}
		return nil
	})
}

func sendState(t *testing.T, s domain.Store, inst, contact, tokenHash string) (domain.ChatSendState, error) {
	t.Helper()
	return read(t, s, func(tx domain.ReadTx) (domain.ChatSendState, error) {
		return tx.GetChatSendState(inst, contact, tokenHash)
	})
}

// GetChatSendState reads the contact row's write count, the token's
// participant, the last item and whether streams exist, in one go.
func testChatSendState(t *testing.T, h *harness) {
	d := h.db(t)
	if _, err := sendState(t, d, "i1", "c1", "h-cust"); !errors.Is(err, domain.ErrStoreNotFound) {
		t.Fatalf("missing contact: got %v, want ErrStoreNotFound", err)
	}
	putContacts(t, d, contact("i1", "c1", func(*domain.ContactRow) {}))
	st, err := sendState(t, d, "i1", "c1", "h-cust")
	if err != nil {
		t.Fatal(err)
	}
	if st.Participant != nil || st.Last != nil || st.HasStreams {
		t.Fatalf("new contact: %+v", st)
	}
	rev0 := st.ContactRev

	cust := domain.ChatParticipantRow{InstanceID: "i1", ContactID: "c1", ParticipantID: "p-cust", TokenHash: "h-cust", Data: []byte(`{"role":"CUSTOMER"}`)}
	update(t, d, func(tx domain.Tx) error {
		if err := tx.PutChatParticipant(cust); err != nil {
			return err
		}
		for seq := int64(1); seq <= 3; seq++ {
			if err := tx.PutChatItem(chatItem("i1", "c1", seq)); err != nil {
				return err
			}
		}
		// Another contact's items and streams are not this contact's.
		if err := tx.PutChatItem(chatItem("i1", "c2", 9)); err != nil {
			return err
		}
		return tx.PutRecord(rec(domain.KindContactStreams, "i1", "c2", ""))
	})
	st, err = sendState(t, d, "i1", "c1", "h-cust")
	if err != nil {
		t.Fatal(err)
	}
	if st.Participant == nil || st.Participant.ParticipantID != "p-cust" || st.Participant.ContactID != "c1" ||
		st.Participant.TokenHash != "h-cust" || !bytes.Equal(st.Participant.Data, cust.Data) {
		t.Errorf("participant: %+v", st.Participant)
	}
	want := chatItem("i1", "c1", 3)
	if st.Last == nil || st.Last.Seq != 3 || st.Last.ID != want.ID || !sameTime(st.Last.Time, want.Time) || !bytes.Equal(st.Last.Data, want.Data) {
		t.Errorf("last item: %+v, want %+v", st.Last, want)
	}
	if st.HasStreams || st.ContactRev != rev0 {
		t.Errorf("streams %v rev %d, want false and %d", st.HasStreams, st.ContactRev, rev0)
	}
	// A token of a participant of another contact is still reported: the
	// caller compares the contact.
	if st, err := sendState(t, d, "i1", "c2-missing", "h-cust"); !errors.Is(err, domain.ErrStoreNotFound) {
		t.Errorf("other contact: %+v %v", st, err)
	}

	// Each write of the contact row counts, whatever it changes.
	putContacts(t, d, contact("i1", "c1", func(c *domain.ContactRow) { c.Active = false }))
	putContacts(t, d, contact("i1", "c1", func(c *domain.ContactRow) { c.Active = false }))
	update(t, d, func(tx domain.Tx) error { return tx.PutRecord(rec(domain.KindContactStreams, "i1", "c1", "")) })
	st, err = sendState(t, d, "i1", "c1", "h-other")
	if err != nil {
		t.Fatal(err)
	}
	if st.ContactRev != rev0+2 || !st.HasStreams || st.Participant != nil {
		t.Errorf("after two writes and a stream: %+v (rev0 %d)", st, rev0)
	}
	// A later contact of the same chat (a transfer) has its chat's
	// streams, which are kept under the initial contact.
	putContacts(t, d, contact("i1", "c3", func(c *domain.ContactRow) { c.InitialContactID = "c1" }))
	if st, err := sendState(t, d, "i1", "c3", "h-other"); err != nil || !st.HasStreams {
		t.Errorf("a later contact of a streamed chat: %+v %v, want HasStreams", st, err)
	}
}
