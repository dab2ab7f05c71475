package chat

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/domain"
)

// messageLimits are the per-content-type length limits of SendMessage
// (characters); the model's 16,384 applies to every type on top.
var messageLimits = map[string]int{
	"text/plain":          1024,
	"text/markdown":       1024,
	"application/json":    12000,
	CTInteractiveResponse: 12288,
}

// Sent is the result of SendMessage and SendEvent.
type Sent struct {
	ID           string
	AbsoluteTime string
}

// idempotency entries of participant calls live under these operations,
// keyed by participant and ClientToken.
const (
	opSendMessage = "participant:SendMessage"
	opDisconnect  = "participant:DisconnectParticipant"
)

func requestHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// claim claims a participant call's ClientToken before the call writes
// anything, recording result (made beforehand) under it in one statement,
// as the Connect operations do (domain's claimToken): it returns the
// earlier result of the same call, nil when the token is new (or older
// than domain.IdempotencyWindow), or a ValidationException when the token
// was used for a different request. A call that fails gives its token
// back with the rest of its writes. Claiming rather than looking up and
// recording at the end saves a statement on the single writer for every
// message, and keeps two nodes from both taking a retried call.
func claim(tx domain.Tx, ss *session, op, clientToken, hash string, result *Sent, now time.Time) (*Sent, error) {
	if clientToken == "" {
		return nil, nil
	}
	prior, claimed, err := tx.ClaimIdempotency(domain.Idempotency{InstanceID: ss.contact.InstanceID, Operation: op,
		Token: ss.participant.ID + "/" + clientToken, RequestHash: hash, ResultID: result.ID + "|" + result.AbsoluteTime, CreatedAt: now},
		now.Add(-domain.IdempotencyWindow))
	if err != nil || claimed {
		return nil, err
	}
	if prior.RequestHash != hash {
		return nil, errorf(ErrValidation, "ClientToken %q was already used for a different request; use a new ClientToken for a new request.", clientToken)
	}
	id, at, _ := strings.Cut(prior.ResultID, "|")
	return &Sent{ID: id, AbsoluteTime: at}, nil
}

// remember replaces the result claimed under a token when the call ended
// up with another.
func remember(tx domain.Tx, ss *session, op, clientToken, hash string, out *Sent, now time.Time) error {
	if clientToken == "" {
		return nil
	}
	return tx.PutIdempotency(domain.Idempotency{InstanceID: ss.contact.InstanceID, Operation: op,
		Token: ss.participant.ID + "/" + clientToken, RequestHash: hash, ResultID: out.ID + "|" + out.AbsoluteTime, CreatedAt: now})
}

// supportedTypes are the message content types the chat accepts: those
// StartChatContact listed, text/plain when it listed none.
func supportedTypes(c *domain.Contact) []string {
	if c.Chat != nil && len(c.Chat.SupportedContentTypes) > 0 {
		return c.Chat.SupportedContentTypes
	}
	return []string{"text/plain"}
}

// SendMessage stores a participant's message and pushes it.
func (s *Service) SendMessage(ctx context.Context, connectionToken, contentType, content, clientToken string) (*Sent, error) {
	limit, ok := messageLimits[contentType]
	if !ok {
		return nil, errorf(ErrValidation, "ContentType %q is not a message content type; use text/plain, text/markdown, application/json or %s.", contentType, CTInteractiveResponse)
	}
	if n := utf8.RuneCountInString(content); n > limit {
		return nil, errorf(ErrValidation, "Content of type %s must be at most %d characters; it has %d.", contentType, limit, n)
	}
	hash := requestHash(contentType, content)
	tokenHash := hashToken(kindConnection, connectionToken)
	e, cs := s.conns.get(tokenHash)
	if e == nil {
		// First message on this token: resolve it off the writer.
		err := s.store.View(ctx, func(tx domain.ReadTx) error {
			var err error
			e, cs, err = resolveConn(tx, tokenHash, s.now())
			return err
		})
		if err != nil {
			return nil, err
		}
		if e != nil {
			s.conns.put(tokenHash, e, cs)
		}
	}
	var out *Sent
	var item *Item
	var key string
	var newC *contactSnap
	var newP *participantSnap
	refused := false
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		out, item, newC, newP, refused = nil, nil, nil, nil, false
		var ss *session
		var st *domain.ChatSendState
		if e != nil && now.Before(e.expires) {
			var err error
			if ss, st, newC, newP, err = cachedSession(tx, e, cs); err != nil {
				return err
			}
		}
		if ss == nil {
			// Not cached, expired or no longer matching: the full check
			// gives the exact answer.
			refused = e != nil
			var err error
			if ss, err = s.authenticate(tx, kindConnection, connectionToken, now); err != nil {
				return err
			}
		}
		key = chatKey(ss.contact.InstanceID, ss.contact.ID)
		itemID := s.newID()
		claimed := &Sent{ID: itemID, AbsoluteTime: FormatTime(now)}
		var err error
		if out, err = claim(tx, ss, opSendMessage, clientToken, hash, claimed, now); out != nil || err != nil {
			return err
		}
		// live, with "has the chat ended" read from the last item, which
		// the append needs anyway: checked in the write, so a chat.ended
		// committed before this message refuses it, and one after it
		// follows it in the transcript.
		if ss.participant.Left() {
			refused = true
			return errorf(ErrAccessDenied, "Participant %s has left the chat.", ss.participant.ID)
		}
		if err := mayWrite(ss.participant); err != nil {
			return err
		}
		c := ss.contact
		var last []domain.ChatItemRow
		mayStream := true
		if st != nil {
			// cachedSession read the last item and the streams' existence.
			if st.Last != nil {
				last = []domain.ChatItemRow{*st.Last}
			}
			mayStream = st.HasStreams
		} else if last, err = lastItem(tx, c); err != nil {
			return err
		}
		ended, err := endedBy(last)
		if err != nil {
			return err
		}
		if ended || c.Ended() || (!c.ExpiryTime.IsZero() && !now.Before(c.ExpiryTime)) {
			refused = true
			return errorf(ErrAccessDenied, "Chat %s has ended.", c.ID)
		}
		if !slices.Contains(supportedTypes(c), contentType) {
			return errorf(ErrValidation, "ContentType %s is not supported by this chat; StartChatContact's SupportedMessagingContentTypes allow %s.", contentType, strings.Join(supportedTypes(c), ", "))
		}
		p := ss.participant
		item = &Item{Id: itemID, Type: TypeMessage, ContentType: contentType, Content: content,
			ParticipantId: p.ID, DisplayName: p.DisplayName, ParticipantRole: p.Role, at: now}
		if err := appendKnown(tx, c, last, mayStream, item); err != nil {
			return err
		}
		out = &Sent{ID: item.Id, AbsoluteTime: item.AbsoluteTime}
		if out.AbsoluteTime != claimed.AbsoluteTime {
			// Stamped no earlier than the chat's last item.
			return remember(tx, ss, opSendMessage, clientToken, hash, out, now)
		}
		return nil
	})
	switch {
	case refused:
		// The token can no longer send (or its rows changed beyond what
		// the entry describes): nothing worth keeping.
		s.conns.drop(tokenHash)
	case e != nil && (newC != nil || newP != nil):
		// The contact or participant document changed: keep the new
		// decoding so the next message compares against it.
		ne := *e
		if newP != nil {
			ne.part = newP
		}
		if newC == nil {
			newC = cs
		}
		s.conns.put(tokenHash, &ne, newC)
	}
	if err != nil {
		return nil, err
	}
	if item != nil {
		s.hub.publish(key, item)
		// A message restarts the sender's idle timers (timers.go).
		s.participantActive(key, item.ParticipantId)
		if item.ParticipantRole == RoleCustomer {
			if w, ok := s.currentHook().(ReturnWatcher); ok {
				instanceID, contactID, _ := strings.Cut(key, "/")
				w.CustomerReturned(ctx, instanceID, contactID, item.ContentType, item.Content)
			}
		}
	}
	return out, nil
}

var chatEndedMarker = []byte(CTChatEnded)

// endedBy reports whether last (lastItem's result) is chat.ended: only
// the ContentType is decoded, the item itself is not needed.
func endedBy(last []domain.ChatItemRow) (bool, error) {
	if len(last) == 0 {
		return false, nil
	}
	// Almost every last item is a message or another event: one that does
	// not even contain the marker cannot be chat.ended, and needs no
	// decoding (this runs for every message sent).
	if !bytes.Contains(last[0].Data, chatEndedMarker) {
		return false, nil
	}
	var head struct{ ContentType string }
	if err := json.Unmarshal(last[0].Data, &head); err != nil {
		return false, fmt.Errorf("chat: decode item %s: %w", last[0].ID, err)
	}
	return head.ContentType == CTChatEnded, nil
}

// SendEvent handles a participant event: typing is pushed only; receipts
// are recorded on the message and pushed as MESSAGEMETADATA; the legacy
// connection acknowledgement is answered on the sender's sockets.
func (s *Service) SendEvent(ctx context.Context, connectionToken, contentType, content string) (*Sent, error) {
	switch contentType {
	case CTTyping, CTConnectionAck:
	case CTDelivered, CTRead:
		return s.receipt(ctx, connectionToken, contentType, content)
	default:
		return nil, errorf(ErrValidation, "ContentType %q is not an event participants can send; use %s, %s, %s or %s.", contentType, CTTyping, CTDelivered, CTRead, CTConnectionAck)
	}
	var ss *session
	now := s.now()
	err := s.store.View(ctx, func(tx domain.ReadTx) error {
		var err error
		if ss, err = s.authenticate(tx, kindConnection, connectionToken, now); err != nil {
			return err
		}
		if err := mayWrite(ss.participant); err != nil && contentType != CTConnectionAck {
			return err
		}
		return s.live(tx, ss, now)
	})
	if err != nil {
		return nil, err
	}
	c, p := ss.contact, ss.participant
	key := chatKey(c.InstanceID, c.ID)
	if contentType == CTConnectionAck {
		ack := s.ackItem(c.InstanceID, c.ID, p.ID)
		s.hub.publishTo(key, p.ID, ack)
		return &Sent{ID: ack.Id, AbsoluteTime: ack.AbsoluteTime}, nil
	}
	it := s.eventItem(p, CTTyping, now)
	it.Content = content
	stamp(it, c)
	s.hub.publish(key, it)
	s.streamEphemeral(ctx, c, it)
	return &Sent{ID: it.Id, AbsoluteTime: it.AbsoluteTime}, nil
}

// receipt records a delivered/read receipt of a message.
func (s *Service) receipt(ctx context.Context, connectionToken, contentType, content string) (*Sent, error) {
	var body struct {
		MessageID string `json:"messageId"`
	}
	if err := json.Unmarshal([]byte(content), &body); err != nil || body.MessageID == "" {
		return nil, errorf(ErrValidation, `The Content of a %s event must be JSON {"messageId":"<Id of the message>"}.`, contentType)
	}
	var meta *Item
	var key string
	var out *Sent
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		meta = nil
		ss, err := s.authenticate(tx, kindConnection, connectionToken, now)
		if err != nil {
			return err
		}
		if err := s.live(tx, ss, now); err != nil {
			return err
		}
		c, p := ss.contact, ss.participant
		key = chatKey(c.InstanceID, c.ID)
		ps, _, err := participants(tx, c.InstanceID, c.ID)
		if err != nil {
			return err
		}
		active := 0
		for _, q := range ps {
			if !q.Left() {
				active++
			}
		}
		if active > 2 {
			return errorf(ErrConflict, "Message receipts are not supported while more than two participants are in the chat (%d are).", active)
		}
		row, err := tx.GetChatItem(c.InstanceID, c.ID, body.MessageID)
		if errors.Is(err, domain.ErrStoreNotFound) {
			return errorf(ErrValidation, "Message %s is not in this chat.", body.MessageID)
		}
		if err != nil {
			return err
		}
		msg, err := decodeItem(row)
		if err != nil {
			return err
		}
		if msg.Type != TypeMessage && msg.Type != TypeAttachment {
			return errorf(ErrValidation, "Item %s is a %s, not a message; only messages get receipts.", body.MessageID, msg.Type)
		}
		if msg.MessageMetadata == nil {
			msg.MessageMetadata = &MessageMetadata{MessageId: msg.Id}
		}
		var r *Receipt
		for i := range msg.MessageMetadata.Receipts {
			if msg.MessageMetadata.Receipts[i].RecipientParticipantId == p.ID {
				r = &msg.MessageMetadata.Receipts[i]
			}
		}
		if r == nil {
			msg.MessageMetadata.Receipts = append(msg.MessageMetadata.Receipts, Receipt{RecipientParticipantId: p.ID})
			r = &msg.MessageMetadata.Receipts[len(msg.MessageMetadata.Receipts)-1]
		}
		// A read message was delivered too; the first time of each counts.
		if r.DeliveredTimestamp == "" {
			r.DeliveredTimestamp = FormatTime(now)
		}
		if contentType == CTRead && r.ReadTimestamp == "" {
			r.ReadTimestamp = FormatTime(now)
		}
		if err := putItem(tx, c, row.Seq, msg); err != nil {
			return err
		}
		meta = &Item{Id: s.newID(), Type: TypeMessageMetadata, ContentType: CTMessageMetadata, at: now,
			MessageMetadata: &MessageMetadata{MessageId: msg.Id, Receipts: []Receipt{*r}}}
		stamp(meta, c)
		out = &Sent{ID: meta.Id, AbsoluteTime: meta.AbsoluteTime}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.hub.publish(key, meta)
	return out, nil
}
