package chat

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// setup creates a chat's customer participant and its first items
// (participant.joined, then the InitialMessage) unless they exist. The
// items carry the contact's initiation time: they happened when
// StartChatContact was called, however late they are written.
func (s *Service) setup(tx domain.Tx, c *domain.Contact) (*Participant, []*Item, error) {
	if c.Chat == nil {
		return nil, nil, errorf(ErrAccessDenied, "Contact %s is a %s contact, not a chat.", c.ID, c.Channel)
	}
	hash := hashToken(kindParticipant, c.Chat.ParticipantToken)
	row, err := tx.GetChatParticipantByToken(hash)
	if err == nil {
		p, err := decodeParticipant(row)
		return p, nil, err
	}
	if !errors.Is(err, domain.ErrStoreNotFound) {
		return nil, nil, err
	}
	at := c.InitiationTime.UTC().Truncate(time.Millisecond)
	p := &Participant{ID: c.Chat.ParticipantID, Role: RoleCustomer, DisplayName: c.Chat.DisplayName, JoinedAt: at}
	if err := putParticipant(tx, c.InstanceID, c.ID, hash, p); err != nil {
		return nil, nil, err
	}
	items := []*Item{s.eventItem(p, CTParticipantJoined, at)}
	if c.Chat.InitialMessage != "" {
		first := &Item{Id: s.newID(), Type: TypeMessage, ContentType: c.Chat.InitialMessageType,
			Content: c.Chat.InitialMessage, ParticipantId: p.ID, DisplayName: p.DisplayName, ParticipantRole: RoleCustomer, at: at}
		if outboundChat(c) {
			// StartOutboundChatContact's InitialSystemMessage is the
			// system's first text to the customer.
			first.ParticipantId, first.DisplayName, first.ParticipantRole = "", systemDisplayName, RoleSystem
		}
		items = append(items, first)
	}
	if err := appendItems(tx, c, items...); err != nil {
		return nil, nil, err
	}
	return p, items, nil
}

// ensureSetup runs setup in its own Update (the contact-event path).
func (s *Service) ensureSetup(ctx context.Context, instanceID, contactID string) error {
	return s.store.Update(ctx, func(tx domain.Tx) error {
		c, err := getContact(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		_, _, err = s.setup(tx, c)
		return err
	})
}

// findCustomer finds the chat whose customer holds token when the chat
// was never set up (the write after StartChatContact did not happen, e.g.
// the server stopped in between): it looks through the active chats. Only
// the first connection of such a customer pays for it.
func findCustomer(tx domain.ReadTx, token string) (*domain.Contact, error) {
	insts, err := tx.ListRecords(domain.KindInstance, "", "", 0)
	if err != nil {
		return nil, err
	}
	for _, in := range insts {
		rows, err := tx.QueryContacts(domain.ContactQuery{InstanceID: in.ID, Channels: []string{"CHAT"}, ActiveOnly: true})
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			c, err := decodeContact(r)
			if err != nil {
				return nil, err
			}
			if c.Chat != nil && subtle.ConstantTimeCompare([]byte(c.Chat.ParticipantToken), []byte(token)) == 1 {
				return c, nil
			}
		}
	}
	return nil, nil
}

// ConnectRequest is CreateParticipantConnection's input.
type ConnectRequest struct {
	ParticipantToken   string
	Websocket          bool
	Credentials        bool
	ConnectParticipant bool
	// WebsocketURL turns the one-time socket token into the URL to return.
	WebsocketURL func(token string) string
}

// Connection is CreateParticipantConnection's result; empty parts were
// not requested.
type Connection struct {
	WebsocketURL, WebsocketExpiry string
	ConnectionToken, Expiry       string
}

var errBadParticipantToken = errorf(ErrAccessDenied, "The ParticipantToken in X-Amz-Bearer is not valid; use the ParticipantToken returned by StartChatContact (or given to the agent).")

// Connect authenticates a ParticipantToken and issues a ConnectionToken
// and/or a WebSocket URL. Participants that left, and chats that ended,
// get AccessDeniedException: chatjs reads that as "the chat ended while I
// was away".
func (s *Service) Connect(ctx context.Context, req ConnectRequest) (*Connection, error) {
	out := &Connection{}
	var instanceID, contactID, participantID string
	var setupItems []*Item
	ended := false
	var warm *connEntry // the new ConnectionToken's cache entry
	var warmContact *contactSnap
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		out, setupItems, ended, warm, warmContact = &Connection{}, nil, false, nil, nil
		var c *domain.Contact
		var p *Participant
		rev := int64(-1) // c's row's write count, when known
		partHash := hashToken(kindParticipant, req.ParticipantToken)
		row, err := tx.GetChatParticipantByToken(partHash)
		switch {
		case err == nil:
			if c, rev, err = getContactRev(tx, row.InstanceID, row.ContactID); err != nil {
				return err
			}
			if p, err = decodeParticipant(row); err != nil {
				return err
			}
		case errors.Is(err, domain.ErrStoreNotFound):
			if c, err = findCustomer(tx, req.ParticipantToken); err != nil {
				return err
			}
			if c == nil {
				return errBadParticipantToken
			}
			if p, setupItems, err = s.setup(tx, c); err != nil {
				return err
			}
		default:
			return err
		}
		instanceID, contactID, participantID = c.InstanceID, c.ID, p.ID
		if p.Left() {
			return errorf(ErrAccessDenied, "Participant %s left chat %s; it cannot connect again.", p.ID, c.ID)
		}
		if done, err := s.over(tx, c, now); err != nil {
			return err
		} else if done {
			ended = true
			return errorf(ErrAccessDenied, "Chat %s has ended.", c.ID)
		}
		// Expired tokens go when new ones are made, which bounds the table
		// by the tokens of the last day.
		if err := tx.DeleteChatConnectionsBefore(now.Add(-time.Hour)); err != nil {
			return err
		}
		if req.Credentials {
			tok, exp := newToken(), now.Add(connectionTokenTTL)
			if err := tx.PutChatConnection(domain.ChatConnectionRow{TokenHash: hashToken(kindConnection, tok),
				InstanceID: c.InstanceID, ContactID: c.ID, ParticipantID: p.ID, ExpiresAt: exp}); err != nil {
				return err
			}
			out.ConnectionToken, out.Expiry = tok, FormatTime(exp)
			// SendMessage would resolve the token on its first message;
			// everything it needs is at hand. The participant's stored
			// bytes and the contact's rev are known when the participant
			// existed (setup, for a new one, writes only chat rows); what
			// is not known the first message reads, in its write, as it
			// does for any changed row.
			warm = &connEntry{instanceID: c.InstanceID, contactID: c.ID, participantID: p.ID,
				partHash: partHash, expires: exp, part: &participantSnap{raw: row.Data, p: p}}
			warmContact = &contactSnap{rev: rev, c: c}
		}
		if req.Websocket {
			tok, exp := newToken(), now.Add(websocketURLTTL)
			if err := tx.PutChatConnection(domain.ChatConnectionRow{TokenHash: hashToken(kindWebsocket, tok),
				InstanceID: c.InstanceID, ContactID: c.ID, ParticipantID: p.ID, ExpiresAt: exp}); err != nil {
				return err
			}
			out.WebsocketURL, out.WebsocketExpiry = req.WebsocketURL(tok), FormatTime(exp)
		}
		return nil
	})
	if len(setupItems) > 0 && err == nil {
		s.publish(instanceID, contactID, setupItems...)
	}
	if ended {
		// A chat past its duration that nobody ended yet (no runtime): end
		// it now so every participant hears of it.
		if e := s.EndChat(ctx, instanceID, contactID); e != nil {
			s.log.Warn("end expired chat", "contact", contactID, "err", e)
		}
	}
	if err != nil {
		return nil, err
	}
	if warm != nil {
		s.conns.put(hashToken(kindConnection, out.ConnectionToken), warm, warmContact)
	}
	if req.ConnectParticipant {
		// Acknowledge the connection on the participant's sockets, as the
		// service does for ConnectParticipant.
		s.hub.publishTo(chatKey(instanceID, contactID), participantID, s.ackItem(instanceID, contactID, participantID))
	}
	return out, nil
}

// ackItem is the CONNECTION_ACK pushed to a participant (never stored).
func (s *Service) ackItem(instanceID, contactID, participantID string) *Item {
	it := &Item{Id: s.newID(), Type: TypeConnectionAck, ContentType: CTConnectionAck, ParticipantId: participantID, at: s.now()}
	it.AbsoluteTime, it.ContactId = FormatTime(it.at), contactID
	return it
}

// openLive is how a write to a chat that must still be going starts: it
// loads the contact, creates what a chat's first touch creates (setup:
// the customer participant and the items returned, for the caller to
// publish with its own), and answers ConflictException when the chat is
// over, with why saying what that prevents.
func (s *Service) openLive(tx domain.Tx, instanceID, contactID string, now time.Time, why string) (*domain.Contact, *Participant, []*Item, error) {
	c, err := getContact(tx, instanceID, contactID)
	if err != nil {
		return nil, nil, nil, err
	}
	p, setupItems, err := s.setup(tx, c)
	if err != nil {
		return nil, nil, nil, err
	}
	done, err := s.over(tx, c, now)
	if err != nil {
		return nil, nil, nil, err
	}
	if done {
		return nil, nil, nil, errorf(ErrConflict, "Chat %s has ended%s.", c.ID, why)
	}
	return c, p, setupItems, nil
}

// over reports whether the chat can no longer be used: the contact ended,
// chat.ended was written, or the chat outlived ChatDurationInMinutes.
func (s *Service) over(tx domain.ReadTx, c *domain.Contact, now time.Time) (bool, error) {
	if c.Ended() || (!c.ExpiryTime.IsZero() && !now.Before(c.ExpiryTime)) {
		return true, nil
	}
	return chatEnded(tx, c)
}

// session is an authenticated ConnectionToken.
type session struct {
	contact     *domain.Contact
	participant *Participant
	tokenHash   string // the participant's ParticipantToken hash
}

var errBadConnectionToken = errorf(ErrAccessDenied, "The ConnectionToken in X-Amz-Bearer is not valid or has expired; call CreateParticipantConnection for a new one.")

// authenticate resolves a ConnectionToken (or, with kind, a WebSocket
// token) to its participant and contact.
func (s *Service) authenticate(tx domain.ReadTx, kind, token string, now time.Time) (*session, error) {
	conn, err := tx.GetChatConnection(hashToken(kind, token))
	if errors.Is(err, domain.ErrStoreNotFound) {
		return nil, errBadConnectionToken
	}
	if err != nil {
		return nil, err
	}
	if !now.Before(conn.ExpiresAt) {
		return nil, errBadConnectionToken
	}
	c, err := getContact(tx, conn.InstanceID, conn.ContactID)
	if err != nil {
		return nil, err
	}
	ps, hashes, err := participants(tx, conn.InstanceID, conn.ContactID)
	if err != nil {
		return nil, err
	}
	for i, p := range ps {
		if p.ID == conn.ParticipantID {
			return &session{contact: c, participant: p, tokenHash: hashes[i]}, nil
		}
	}
	return nil, errBadConnectionToken
}

// live checks that the session may still act in the chat.
func (s *Service) live(tx domain.ReadTx, ss *session, now time.Time) error {
	if ss.participant.Left() {
		return errorf(ErrAccessDenied, "Participant %s has left the chat.", ss.participant.ID)
	}
	done, err := s.over(tx, ss.contact, now)
	if err != nil {
		return err
	}
	if done {
		return errorf(ErrAccessDenied, "Chat %s has ended.", ss.contact.ID)
	}
	return nil
}

// CheckConnection authenticates a ConnectionToken (operations that only
// need a valid caller).
func (s *Service) CheckConnection(ctx context.Context, connectionToken string) error {
	return s.store.View(ctx, func(tx domain.ReadTx) error {
		_, err := s.authenticate(tx, kindConnection, connectionToken, s.now())
		return err
	})
}

// SendMessage's connection cache.
//
// Resolving a ConnectionToken (connection → contact → participants, two
// JSON documents decoded) was a third of the single writer's time under
// chat load, and none of it needs the writer. So a token's resolution is
// kept here: CreateParticipantConnection puts it when it issues the token,
// and SendMessage resolves a token it does not find once, in a View.
// Nothing cached is trusted for a decision: inside the write SendMessage
// reads, in one statement (GetChatSendState), the contact row's write
// count, the participant row and the last item, reuses the cached contact
// only when the row has not been written since it was decoded and the
// cached participant only when its stored bytes are identical, then checks
// "left", "ended" and "expired" on those current values, and the chat.ended
// item on the last item, which it appends after. So a message committed
// after the chat ended or the participant left is refused exactly as
// before, on this node or any other sharing the store, and the cache needs
// no invalidation for correctness: entries are only dropped to bound
// memory.

// maxCachedConns bounds the cache; past it an arbitrary entry goes (a
// miss only costs a View).
const maxCachedConns = 1 << 15

// contactSnap is a contact decoded when its row had been written rev
// times (domain.ChatSendState.ContactRev); immutable. rev is -1 when not
// known, which the first message settles by reading the row.
type contactSnap struct {
	rev int64
	c   *domain.Contact
}

// participantSnap is a participant row's document and its decoding.
type participantSnap struct {
	raw []byte
	p   *Participant
}

// connEntry is what a ConnectionToken resolved to. The identity fields
// never change for a token (tokens are random and rows are only ever
// inserted, or deleted once expired or with their instance).
type connEntry struct {
	instanceID, contactID, participantID string
	partHash                             string // the participant's ParticipantToken hash (its row's key)
	expires                              time.Time
	part                                 *participantSnap
}

// chatSnapRef shares one contact snapshot among a chat's cached tokens.
type chatSnapRef struct {
	refs    int
	contact *contactSnap
}

type connCache struct {
	mu    sync.Mutex
	conns map[string]*connEntry   // by connection token hash; entries are replaced, never changed
	chats map[string]*chatSnapRef // by chatKey
}

// get returns the entry of a connection token hash and its chat's contact.
func (cc *connCache) get(hash string) (*connEntry, *contactSnap) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	e := cc.conns[hash]
	if e == nil {
		return nil, nil
	}
	return e, cc.chats[chatKey(e.instanceID, e.contactID)].contact
}

// put stores e under hash and makes cs its chat's contact snapshot.
func (cc *connCache) put(hash string, e *connEntry, cs *contactSnap) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.conns == nil {
		cc.conns = make(map[string]*connEntry)
		cc.chats = make(map[string]*chatSnapRef)
	}
	key := chatKey(e.instanceID, e.contactID)
	if _, ok := cc.conns[hash]; !ok {
		if len(cc.conns) >= maxCachedConns {
			for h := range cc.conns {
				cc.dropLocked(h)
				break
			}
		}
		r := cc.chats[key]
		if r == nil {
			r = &chatSnapRef{}
			cc.chats[key] = r
		}
		r.refs++
	}
	cc.conns[hash] = e
	cc.chats[key].contact = cs
}

// drop forgets a token (refused: expired, left, chat over, or gone).
func (cc *connCache) drop(hash string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.dropLocked(hash)
}

func (cc *connCache) dropLocked(hash string) {
	e := cc.conns[hash]
	if e == nil {
		return
	}
	delete(cc.conns, hash)
	key := chatKey(e.instanceID, e.contactID)
	if r := cc.chats[key]; r != nil {
		if r.refs--; r.refs <= 0 {
			delete(cc.chats, key)
		}
	}
}

// resolveConn resolves a connection token hash to a cache entry in a
// read transaction, with authenticate's answers for bad tokens.
func resolveConn(tx domain.ReadTx, hash string, now time.Time) (*connEntry, *contactSnap, error) {
	conn, err := tx.GetChatConnection(hash)
	if errors.Is(err, domain.ErrStoreNotFound) {
		return nil, nil, errBadConnectionToken
	}
	if err != nil {
		return nil, nil, err
	}
	if !now.Before(conn.ExpiresAt) {
		return nil, nil, errBadConnectionToken
	}
	row, err := tx.GetContact(conn.InstanceID, conn.ContactID)
	if err != nil {
		// Let authenticate give its answer (ResourceNotFound) in the write.
		return nil, nil, nil
	}
	c, err := decodeContact(row)
	if err != nil {
		return nil, nil, err
	}
	prows, err := tx.ListChatParticipants(conn.InstanceID, conn.ContactID)
	if err != nil {
		return nil, nil, err
	}
	for _, pr := range prows {
		if pr.ParticipantID != conn.ParticipantID {
			continue
		}
		p, err := decodeParticipant(pr)
		if err != nil {
			return nil, nil, err
		}
		e := &connEntry{instanceID: conn.InstanceID, contactID: conn.ContactID, participantID: conn.ParticipantID,
			partHash: pr.TokenHash, expires: conn.ExpiresAt, part: &participantSnap{raw: pr.Data, p: p}}
		return e, &contactSnap{rev: row.Rev, c: c}, nil
	}
	return nil, nil, errBadConnectionToken
}

// cachedSession rebuilds the session of a cached entry from the rows as
// they are now in tx. It returns a nil session when the rows no longer
// match the entry (the caller then authenticates from scratch); else the
// state it read, for the append, and the snapshots it decoded when the
// cached ones were out of date, for the cache.
func cachedSession(tx domain.ReadTx, e *connEntry, cs *contactSnap) (*session, *domain.ChatSendState, *contactSnap, *participantSnap, error) {
	st, err := tx.GetChatSendState(e.instanceID, e.contactID, e.partHash)
	if errors.Is(err, domain.ErrStoreNotFound) {
		return nil, nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, nil, err
	}
	prow := st.Participant
	if prow == nil || prow.InstanceID != e.instanceID || prow.ContactID != e.contactID || prow.ParticipantID != e.participantID {
		return nil, nil, nil, nil, nil
	}
	var newC *contactSnap
	if cs == nil || cs.rev != st.ContactRev {
		// Written since it was decoded (or never seen with its rev): read
		// it in this transaction, so the decoding matches st exactly.
		row, err := tx.GetContact(e.instanceID, e.contactID)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		c, err := decodeContact(row)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		cs = &contactSnap{rev: st.ContactRev, c: c}
		newC = cs
	}
	ps, newP := e.part, (*participantSnap)(nil)
	if ps == nil || !bytes.Equal(prow.Data, ps.raw) {
		p, err := decodeParticipant(*prow)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		ps = &participantSnap{raw: prow.Data, p: p}
		newP = ps
	}
	// The decodings are shared with concurrent requests: the session is
	// only read (SendMessage), never changed in place.
	return &session{contact: cs.c, participant: ps.p, tokenHash: e.partHash}, &st, newC, newP, nil
}
