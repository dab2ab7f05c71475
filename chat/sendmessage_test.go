package chat

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/store/sqlite"
)

// SendMessage resolves a ConnectionToken once and caches it (session.go).
// These tests change the chat behind a cached token, through other tokens
// and straight in the store, and check that every message is still
// accepted or refused exactly as a fresh lookup would decide.

type sendEnv struct {
	t     *testing.T
	ctx   context.Context
	st    domain.Store
	clk   *clock.Virtual
	s     *Service
	c     domain.Contact
	ptTok string
}

func newSendEnv(t *testing.T) *sendEnv {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewVirtual(time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC))
	e := &sendEnv{t: t, ctx: context.Background(), st: st, clk: clk, s: New(Config{Store: st, Clock: clk}), ptTok: "participant-token"}
	e.c = domain.Contact{InstanceID: "inst", ID: "contact", InitialContactID: "contact", Channel: "CHAT",
		State: domain.StateConnected, InitiationTime: clk.Now(),
		Chat: &domain.ChatDetails{ParticipantID: "customer", ParticipantToken: e.ptTok, DisplayName: "Jane"}}
	e.putContact()
	if err := e.s.ensureSetup(e.ctx, "inst", "contact"); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *sendEnv) putContact() {
	e.t.Helper()
	data, err := json.Marshal(e.c)
	if err != nil {
		e.t.Fatal(err)
	}
	err = e.st.Update(e.ctx, func(tx domain.Tx) error {
		return tx.PutContact(domain.ContactRow{InstanceID: e.c.InstanceID, ID: e.c.ID, InitialContactID: e.c.ID,
			Channel: "CHAT", Active: !e.c.Ended(), InitiationTime: e.c.InitiationTime, Data: data})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// connect returns a new ConnectionToken of a participant.
func (e *sendEnv) connect(participantToken string) string {
	e.t.Helper()
	out, err := e.s.Connect(e.ctx, ConnectRequest{ParticipantToken: participantToken, Credentials: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.ConnectionToken
}

func (e *sendEnv) send(tok, contentType string) (*Sent, error) {
	return e.s.SendMessage(e.ctx, tok, contentType, "hello", "")
}

// ok sends and wants success; denied sends and wants the error code.
func (e *sendEnv) ok(tok string) {
	e.t.Helper()
	if _, err := e.send(tok, "text/plain"); err != nil {
		e.t.Fatalf("SendMessage: %v", err)
	}
}

func (e *sendEnv) denied(tok, code string) {
	e.t.Helper()
	n := e.items()
	_, err := e.send(tok, "text/plain")
	if !IsChatError(err, code) {
		e.t.Fatalf("SendMessage: got %v, want %s", err, code)
	}
	if e.items() != n {
		e.t.Fatalf("refused message was stored")
	}
}

func (e *sendEnv) items() int {
	e.t.Helper()
	var n int
	err := e.st.View(e.ctx, func(tx domain.ReadTx) error {
		rows, err := tx.ListChatItems(domain.ChatItemQuery{InstanceID: "inst", ContactID: "contact"})
		n = len(rows)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *sendEnv) cached(tok string) bool {
	ce, _ := e.s.conns.get(hashToken(kindConnection, tok))
	return ce != nil
}

func TestSendMessageCachedTokenSeesLeave(t *testing.T) {
	e := newSendEnv(t)
	_, agentTok, err := e.s.AddParticipant(e.ctx, "inst", "contact", RoleAgent, "Agent")
	if err != nil {
		t.Fatal(err)
	}
	a1, a2, cust := e.connect(agentTok), e.connect(agentTok), e.connect(e.ptTok)
	e.ok(a1)
	e.ok(a2)
	if !e.cached(a2) {
		t.Fatal("token not cached after a message")
	}
	// The agent leaves through its other connection: a2's entry still
	// describes a participant who has not left.
	if err := e.s.Disconnect(e.ctx, a1, ""); err != nil {
		t.Fatal(err)
	}
	e.denied(a2, ErrAccessDenied)
	if e.cached(a2) {
		t.Fatal("refused token still cached")
	}
	e.ok(cust)
}

func TestSendMessageCachedTokenSeesEnd(t *testing.T) {
	t.Run("chat.ended", func(t *testing.T) {
		e := newSendEnv(t)
		tok := e.connect(e.ptTok)
		e.ok(tok)
		if err := e.s.EndChat(e.ctx, "inst", "contact"); err != nil {
			t.Fatal(err)
		}
		e.denied(tok, ErrAccessDenied)
	})
	t.Run("contact ended, chat.ended not yet written", func(t *testing.T) {
		e := newSendEnv(t)
		tok := e.connect(e.ptTok)
		e.ok(tok)
		e.c.State = domain.StateEnded
		e.putContact()
		e.denied(tok, ErrAccessDenied)
	})
	t.Run("chat duration reached", func(t *testing.T) {
		e := newSendEnv(t)
		tok := e.connect(e.ptTok)
		e.ok(tok)
		e.c.ExpiryTime = e.clk.Now().Add(time.Minute)
		e.putContact()
		e.ok(tok)
		e.clk.Advance(time.Minute)
		e.denied(tok, ErrAccessDenied)
	})
}

func TestSendMessageCachedTokenExpiresAndGoes(t *testing.T) {
	e := newSendEnv(t)
	tok := e.connect(e.ptTok)
	e.ok(tok)
	e.clk.Advance(connectionTokenTTL)
	_, err := e.send(tok, "text/plain")
	if err != errBadConnectionToken {
		t.Fatalf("expired token: got %v", err)
	}

	e = newSendEnv(t)
	tok = e.connect(e.ptTok)
	e.ok(tok)
	if err := e.st.Update(e.ctx, func(tx domain.Tx) error { return tx.DeleteInstance("inst") }); err != nil {
		t.Fatal(err)
	}
	if _, err := e.send(tok, "text/plain"); err != errBadConnectionToken {
		t.Fatalf("token of a deleted instance: got %v", err)
	}
}

// A changed contact document is decoded again, not served from the cache.
func TestSendMessageCachedTokenSeesContactChange(t *testing.T) {
	e := newSendEnv(t)
	tok := e.connect(e.ptTok)
	e.ok(tok)
	if _, err := e.send(tok, "text/markdown"); !IsChatError(err, ErrValidation) {
		t.Fatalf("text/markdown before it is supported: got %v", err)
	}
	e.c.Chat.SupportedContentTypes = []string{"text/plain", "text/markdown"}
	e.putContact()
	if _, err := e.send(tok, "text/markdown"); err != nil {
		t.Fatalf("text/markdown once supported: %v", err)
	}
	_, cs := e.s.conns.get(hashToken(kindConnection, tok))
	if cs == nil || len(supportedTypes(cs.c)) != 2 {
		t.Fatal("cache kept the old contact")
	}
}

func TestSendMessageReplayWithCache(t *testing.T) {
	e := newSendEnv(t)
	tok := e.connect(e.ptTok)
	first, err := e.s.SendMessage(e.ctx, tok, "text/plain", "hi", "client-token")
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.s.SendMessage(e.ctx, tok, "text/plain", "hi", "client-token")
	if err != nil || again.ID != first.ID {
		t.Fatalf("replay: %v %v, want %v", again, err, first)
	}
	if _, err := e.s.SendMessage(e.ctx, tok, "text/plain", "other", "client-token"); !IsChatError(err, ErrValidation) {
		t.Fatalf("reused ClientToken: got %v", err)
	}
	// A retry after the chat ended still answers with the stored result.
	if err := e.s.EndChat(e.ctx, "inst", "contact"); err != nil {
		t.Fatal(err)
	}
	if again, err := e.s.SendMessage(e.ctx, tok, "text/plain", "hi", "client-token"); err != nil || again.ID != first.ID {
		t.Fatalf("replay after end: %v %v", again, err)
	}
}

// The cache is bounded: past maxCachedConns an entry goes, and the chat's
// shared contact with the last of its tokens.
func TestConnCacheBound(t *testing.T) {
	var cc connCache
	cs := &contactSnap{c: &domain.Contact{}}
	for i := range maxCachedConns + 10 {
		cc.put(string(rune(i)), &connEntry{instanceID: "i", contactID: string(rune(i % 7))}, cs)
	}
	if n := len(cc.conns); n != maxCachedConns {
		t.Fatalf("%d entries, want %d", n, maxCachedConns)
	}
	for h := range cc.conns {
		cc.drop(h)
	}
	if len(cc.chats) != 0 {
		t.Fatalf("%d chats left after every token went", len(cc.chats))
	}
}

// CreateParticipantConnection caches the token it issues, with the
// contact's write count, so the first message needs no lookup.
func TestConnectWarmsCache(t *testing.T) {
	e := newSendEnv(t)
	tok := e.connect(e.ptTok)
	ce, cs := e.s.conns.get(hashToken(kindConnection, tok))
	if ce == nil || cs == nil || cs.rev < 0 || ce.participantID != "customer" || ce.contactID != "contact" {
		t.Fatalf("after Connect: entry %+v contact %+v", ce, cs)
	}
	e.ok(tok)
	// A write of the contact after the warm entry was made is seen.
	tok2 := e.connect(e.ptTok)
	e.c.State = domain.StateEnded
	e.putContact()
	e.denied(tok2, ErrAccessDenied)
}

// A message stamped later than its clock (no earlier than the chat's last
// item, as after another node's clock ran ahead) answers its retries with
// that stamp, not the one its token was claimed with.
func TestSendMessageReplayKeepsBumpedTime(t *testing.T) {
	e := newSendEnv(t)
	tok := e.connect(e.ptTok)
	ahead := &Item{Id: "ahead", Type: TypeMessage, ContentType: "text/plain", Content: "from a clock ahead",
		ParticipantId: "customer", ParticipantRole: RoleCustomer, at: e.clk.Now().Add(time.Minute)}
	if err := e.st.Update(e.ctx, func(tx domain.Tx) error { return appendItems(tx, &e.c, ahead) }); err != nil {
		t.Fatal(err)
	}
	sent, err := e.s.SendMessage(e.ctx, tok, "text/plain", "second", "tok-2")
	if err != nil {
		t.Fatal(err)
	}
	if sent.AbsoluteTime != ahead.AbsoluteTime {
		t.Fatalf("stamped %s, want %s, the last item's", sent.AbsoluteTime, ahead.AbsoluteTime)
	}
	again, err := e.s.SendMessage(e.ctx, tok, "text/plain", "second", "tok-2")
	if err != nil || *again != *sent {
		t.Fatalf("retry: %+v %v, want %+v", again, err, sent)
	}
}

// endedBy skips decoding items that cannot be chat.ended, but a message
// that merely mentions the content type is still decoded and told apart.
func TestEndedBy(t *testing.T) {
	row := func(v any) []domain.ChatItemRow {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return []domain.ChatItemRow{{ID: "i", Data: b}}
	}
	for _, tc := range []struct {
		name string
		last []domain.ChatItemRow
		want bool
	}{
		{"no item", nil, false},
		{"a message", row(Item{Id: "m", Type: TypeMessage, ContentType: "text/plain", Content: "hi"}), false},
		{"a message naming chat.ended", row(Item{Id: "m", Type: TypeMessage, ContentType: "text/plain", Content: CTChatEnded}), false},
		{"chat.ended", row(Item{Id: "e", Type: TypeEvent, ContentType: CTChatEnded}), true},
	} {
		got, err := endedBy(tc.last)
		if err != nil || got != tc.want {
			t.Errorf("%s: %v %v, want %v", tc.name, got, err, tc.want)
		}
	}
}
