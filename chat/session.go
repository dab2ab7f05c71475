package chat

import (
	"context"
	"crypto/subtle"
	"errors"
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
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		out, setupItems, ended = &Connection{}, nil, false
		var c *domain.Contact
		var p *Participant
		row, err := tx.GetChatParticipantByToken(hashToken(kindParticipant, req.ParticipantToken))
		switch {
		case err == nil:
			if c, err = getContact(tx, row.InstanceID, row.ContactID); err != nil {
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
