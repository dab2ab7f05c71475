package chat

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// ContactEvent implements domain.EventSink so that the chat follows its
// contact: a new chat gets its customer participant and first items at
// once, and a chat whose contact ended (StopContact, expiry, a flow's
// Disconnect, a customer disconnect) gets chat.ended and its sockets
// closed. The domain calls it after each commit, outside transactions.
func (s *Service) ContactEvent(eventType string, c domain.Contact, _ map[string]string, _ []string) {
	if c.Channel != "CHAT" || c.Chat == nil {
		return
	}
	ctx := context.Background()
	switch eventType {
	case domain.EventInitiated:
		if (c.InitiationMethod == "DISCONNECT" || c.InitiationMethod == "TRANSFER") && c.PreviousContactID != "" {
			// The agent left, or transferred the chat, and it goes on
			// in this contact. continueChat gets a copy: taking c's own
			// address would move c to the heap on every call, a
			// contact's worth of garbage for each event of any channel.
			cc := c
			if err := s.continueChat(ctx, &cc); err != nil {
				s.log.Warn("continue chat", "contact", c.ID, "from", c.PreviousContactID, "err", err)
			}
			return
		}
		if err := s.ensureSetup(ctx, c.InstanceID, c.ID); err != nil {
			// The first connection repairs it (findCustomer).
			s.log.Warn("chat setup", "contact", c.ID, "err", err)
		}
	case domain.EventDisconnected:
		if err := s.EndChat(ctx, c.InstanceID, c.ID); err != nil {
			s.log.Warn("end chat", "contact", c.ID, "err", err)
		}
	}
}

var _ domain.EventSink = (*Service)(nil)

// continueChat moves a chat's customer from the contact the agent left
// into c, the contact the chat goes on in (domain.EndAgentSide for a
// disconnect flow, domain.TransferChat for a transfer): the customer's
// participant, its ConnectionTokens and its open sockets now belong to c,
// so the customer keeps chatting without reconnecting, and what c's flow
// and agent send reaches them. A transfer is announced first in the old
// contact (transfer.succeeded, to the customer and to the agent, whose
// sockets then close with the old contact). The transcript stays with its
// segments: the old contact's items under it (GetTranscript with its
// ContactId reads them), c's from here on. Moving a customer who already
// moved is a no-op; one who left stays.
func (s *Service) continueChat(ctx context.Context, c *domain.Contact) error {
	if c.Chat == nil {
		return nil
	}
	from := c.PreviousContactID
	var participantID string
	var items []*Item
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		participantID, items = "", nil
		row, err := tx.GetChatParticipantByToken(hashToken(kindParticipant, c.Chat.ParticipantToken))
		if errors.Is(err, domain.ErrStoreNotFound) {
			return nil // never set up: the first connection does it, in c
		}
		if err != nil {
			return err
		}
		if row.InstanceID != c.InstanceID || row.ContactID != from {
			return nil
		}
		p, err := decodeParticipant(row)
		if err != nil || p.Left() {
			return err
		}
		if c.InitiationMethod == "TRANSFER" {
			old, err := getContact(tx, c.InstanceID, from)
			if err != nil {
				return err
			}
			items = []*Item{{Id: s.newID(), Type: TypeEvent, ContentType: CTTransferSucceeded, ParticipantRole: RoleSystem,
				DisplayName: systemDisplayName, at: s.now()}}
			if err := appendItems(tx, old, items...); err != nil {
				return err
			}
		}
		participantID = p.ID
		return tx.MoveChatParticipant(c.InstanceID, from, p.ID, c.ID)
	})
	if err != nil || participantID == "" {
		return err
	}
	s.publish(c.InstanceID, from, items...)
	// The cached resolutions of the customer's ConnectionTokens name the
	// old contact; they stop matching the rows and are resolved again on
	// the next message (cachedSession), so nothing needs dropping here.
	s.hub.move(chatKey(c.InstanceID, from), chatKey(c.InstanceID, c.ID), participantID)
	return nil
}

// movedOn reports whether c's chat went on in another contact: its
// customer's participant belongs to another contact now.
func movedOn(tx domain.ReadTx, c *domain.Contact) (bool, error) {
	row, err := tx.GetChatParticipantByToken(hashToken(kindParticipant, c.Chat.ParticipantToken))
	if errors.Is(err, domain.ErrStoreNotFound) {
		return false, nil
	}
	return err == nil && row.ContactID != c.ID, err
}

// EndChat ends a chat: every participant still in it leaves, chat.ended is
// stored and pushed, and the contact's sockets are closed (code 1000). It
// does not end the contact itself: the runtime calls it when it ends a
// chat contact (the contact event does too). Ending an ended chat is a
// no-op.
//
// A contact whose chat went on in another contact (continueChat) only
// lets go of the participants still in it (a supervisor, a bot): the chat
// itself did not end, so there is no chat.ended.
func (s *Service) EndChat(ctx context.Context, instanceID, contactID string) error {
	var items []*Item
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		items = nil
		c, err := getContact(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		if _, _, err := s.setup(tx, c); err != nil {
			return err
		}
		if done, err := chatEnded(tx, c); err != nil || done {
			return err
		}
		items, err = s.endItems(tx, c)
		if err != nil {
			return err
		}
		if moved, err := movedOn(tx, c); err != nil || moved {
			items = nil
			return err
		}
		return appendItems(tx, c, items...)
	})
	if err != nil {
		return err
	}
	s.publish(instanceID, contactID, items...)
	s.hub.closeChat(chatKey(instanceID, contactID))
	return nil
}

// endItems marks every remaining participant as left and returns the
// chat.ended event. Participants are not sent participant.left here: the
// chat ending is what happened to them.
func (s *Service) endItems(tx domain.Tx, c *domain.Contact) ([]*Item, error) {
	now := s.now()
	ps, hashes, err := participants(tx, c.InstanceID, c.ID)
	if err != nil {
		return nil, err
	}
	for i, p := range ps {
		if p.Left() {
			continue
		}
		p.LeftAt = now
		if err := putParticipant(tx, c.InstanceID, c.ID, hashes[i], p); err != nil {
			return nil, err
		}
	}
	ended := &Item{Id: s.newID(), Type: TypeEvent, ContentType: CTChatEnded, ParticipantRole: RoleSystem,
		DisplayName: systemDisplayName, at: now}
	return []*Item{ended}, nil
}

// Disconnect is DisconnectParticipant: the participant leaves. When the
// customer leaves the chat ends (participant.left then chat.ended) and the
// contact is ended through the Hook, or through the domain without one.
// A retry with the same ClientToken after success succeeds again.
func (s *Service) Disconnect(ctx context.Context, connectionToken, clientToken string) error {
	var items []*Item
	var instanceID, contactID, participantID string
	var role Role
	replayed := false
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		items, replayed = nil, false
		ss, err := s.authenticate(tx, kindConnection, connectionToken, now)
		if err != nil {
			return err
		}
		c, p := ss.contact, ss.participant
		instanceID, contactID, participantID, role = c.InstanceID, c.ID, p.ID, p.Role
		hash := requestHash()
		if prior, err := claim(tx, ss, opDisconnect, clientToken, hash, &Sent{ID: participantID}, now); err != nil || prior != nil {
			replayed = prior != nil
			return err
		}
		if err := s.live(tx, ss, now); err != nil {
			return err
		}
		p.LeftAt = now
		if err := putParticipant(tx, c.InstanceID, c.ID, ss.tokenHash, p); err != nil {
			return err
		}
		if !p.Silent {
			items = []*Item{s.eventItem(p, CTParticipantLeft, now)}
		}
		if p.Role == RoleCustomer {
			end, err := s.endItems(tx, c)
			if err != nil {
				return err
			}
			items = append(items, end...)
		}
		return appendItems(tx, c, items...)
	})
	if err != nil || replayed {
		return err
	}
	s.left(ctx, instanceID, contactID, participantID, role, items)
	return nil
}

// left finishes a participant's leaving once it is committed: the items
// are pushed, the participant's sockets (all, for the customer) closed,
// and the runtime told through the Hook, or, without one, the contact
// ended through the domain when the customer left.
func (s *Service) left(ctx context.Context, instanceID, contactID, participantID string, role Role, items []*Item) {
	key := chatKey(instanceID, contactID)
	s.publish(instanceID, contactID, items...)
	if role == RoleCustomer {
		s.hub.closeChat(key)
	} else {
		s.hub.closeParticipant(key, participantID)
	}
	if h := s.currentHook(); h != nil {
		h.ParticipantDisconnected(ctx, instanceID, contactID, participantID, role)
		return
	}
	if role == RoleCustomer && s.dom != nil {
		if _, err := s.dom.EndContact(ctx, instanceID, contactID, "CUSTOMER_DISCONNECT"); err != nil {
			// The chat ended and the answer is stored; the contact stays
			// for StopContact or its expiry to end.
			s.log.Error("end contact after customer disconnect", "contact", contactID, "err", err)
		}
	}
}

// CustomerLeft is the customer's DisconnectParticipant from outside the
// participant service (an SMS customer's integration event): the chat
// ends, and the contact with it.
func (s *Service) CustomerLeft(ctx context.Context, instanceID, contactID string) error {
	var items []*Item
	var participantID string
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		c, p, setupItems, err := s.openLive(tx, instanceID, contactID, now, "")
		if err != nil {
			return err
		}
		participantID = p.ID
		left, _, _, err := s.leaveTx(tx, c, p.ID, now)
		if err != nil {
			return err
		}
		items = append(setupItems, left...)
		return appendItems(tx, c, left...)
	})
	if err != nil {
		return err
	}
	s.left(ctx, instanceID, contactID, participantID, RoleCustomer, items)
	return nil
}

// AddParticipant adds an AGENT, SUPERVISOR or CUSTOM_BOT participant to a
// live chat (the runtime calls it when an agent accepts the contact),
// stores and pushes participant.joined, and returns the participant's ID
// and ParticipantToken (for CreateParticipantConnection).
func (s *Service) AddParticipant(ctx context.Context, instanceID, contactID string, role Role, displayName string) (participantID, participantToken string, err error) {
	switch role {
	case RoleAgent, RoleSupervisor, RoleCustomBot:
	default:
		return "", "", errorf(ErrValidation, "A %s cannot be added to a chat; add an AGENT, SUPERVISOR or CUSTOM_BOT.", role)
	}
	return s.addParticipant(ctx, instanceID, contactID, &Participant{Role: role, DisplayName: displayName}, "; nobody can join it")
}

// addParticipant stores p in a live chat and returns its ID and token. A
// participant who is not Silent joins with participant.joined, stored and
// pushed; one who is comes in unseen (monitor.go).
func (s *Service) addParticipant(ctx context.Context, instanceID, contactID string, p *Participant, why string) (participantID, participantToken string, err error) {
	var items []*Item
	err = s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		c, _, setupItems, err := s.openLive(tx, instanceID, contactID, now, why)
		if err != nil {
			return err
		}
		p.ID, p.JoinedAt = s.newID(), now
		participantToken = newToken()
		if err := putParticipant(tx, instanceID, contactID, hashToken(kindParticipant, participantToken), p); err != nil {
			return err
		}
		participantID = p.ID
		items = setupItems
		if !p.Silent {
			items = append(items, s.eventItem(p, CTParticipantJoined, now))
		}
		if len(items) == 0 {
			return nil
		}
		return appendItems(tx, c, items...)
	})
	if err != nil {
		return "", "", err
	}
	s.publish(instanceID, contactID, items...)
	// An agent joining starts the chat's idle timers (timers.go).
	s.timersJoined(instanceID, contactID, p.Role)
	return participantID, participantToken, nil
}

// CreateParticipant adds a custom bot to a live chat, as the Connect
// operation of the same name does: the bot then connects through the
// participant service with the returned ParticipantToken, which is good
// until the chat's end (expires).
func (s *Service) CreateParticipant(ctx context.Context, instanceID, contactID string, role Role, displayName string) (participantID, participantToken string, expires time.Time, err error) {
	if role != RoleCustomBot {
		return "", "", time.Time{}, errorf(ErrValidation, "ParticipantRole %s cannot be added to a chat this way; the role CreateParticipant adds to a chat is CUSTOM_BOT.", role)
	}
	participantID, participantToken, err = s.AddParticipant(ctx, instanceID, contactID, role, displayName)
	if err != nil {
		return "", "", time.Time{}, err
	}
	err = s.store.View(ctx, func(tx domain.ReadTx) error {
		c, err := getContact(tx, instanceID, contactID)
		if err == nil {
			expires = c.ExpiryTime
		}
		return err
	})
	return participantID, participantToken, expires, err
}

// RemoveParticipant makes a participant leave on the runtime's initiative
// (the agent ended the contact on their side): participant.left is stored
// and pushed and the participant's sockets closed. The Hook is not called.
// Removing the customer ends the chat like EndChat.
func (s *Service) RemoveParticipant(ctx context.Context, instanceID, contactID, participantID string) error {
	var items []*Item
	var role Role
	var gone bool
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		c, err := getContact(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		left, r, already, err := s.leaveTx(tx, c, participantID, s.now())
		if err != nil || already {
			// Gone already: nothing to push or close.
			gone = true
			return err
		}
		items, role = left, r
		return appendItems(tx, c, items...)
	})
	if err != nil || gone {
		return err
	}
	key := chatKey(instanceID, contactID)
	s.publish(instanceID, contactID, items...)
	if role == RoleCustomer {
		s.hub.closeChat(key)
	} else {
		s.hub.closeParticipant(key, participantID)
	}
	return nil
}

// leaveTx marks a participant left and returns the items that says
// (participant.left, and the chat's end when it is the customer), for the
// caller to append; already is set when they had left before. A silent
// monitor leaves without a word.
func (s *Service) leaveTx(tx domain.Tx, c *domain.Contact, participantID string, now time.Time) (items []*Item, role Role, already bool, err error) {
	ps, hashes, err := participants(tx, c.InstanceID, c.ID)
	if err != nil {
		return nil, "", false, err
	}
	for i, p := range ps {
		if p.ID != participantID {
			continue
		}
		if p.Left() {
			return nil, p.Role, true, nil
		}
		p.LeftAt = now
		if err := putParticipant(tx, c.InstanceID, c.ID, hashes[i], p); err != nil {
			return nil, "", false, err
		}
		if !p.Silent {
			items = []*Item{s.eventItem(p, CTParticipantLeft, now)}
		}
		if p.Role == RoleCustomer {
			end, err := s.endItems(tx, c)
			if err != nil {
				return nil, "", false, err
			}
			items = append(items, end...)
		}
		return items, p.Role, false, nil
	}
	return nil, "", false, errorf(ErrNotFound, "Participant %s is not in chat %s.", participantID, c.ID)
}

// SendSystemMessage stores and pushes a message from the system (a flow's
// Send message / MessageParticipant block), shown as SYSTEM_MESSAGE.
func (s *Service) SendSystemMessage(ctx context.Context, instanceID, contactID, contentType, content string) (*Item, error) {
	if contentType == "" {
		contentType = "text/plain"
	}
	var items []*Item
	var msg *Item
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		c, _, setupItems, err := s.openLive(tx, instanceID, contactID, now, "")
		if err != nil {
			return err
		}
		msg = &Item{Id: s.newID(), Type: TypeMessage, ContentType: contentType, Content: content,
			ParticipantRole: RoleSystem, DisplayName: systemDisplayName, at: now}
		items = append(setupItems, msg)
		return appendItems(tx, c, msg)
	})
	if err != nil {
		return nil, err
	}
	s.publish(instanceID, contactID, items...)
	return msg, nil
}

// IsChatError reports whether err is a participant-service error with the
// given exception name.
func IsChatError(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
