package chat

import (
	"context"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/switchboard-cc/switchboard/domain"
)

// What leaves the server from a chat: every stored item of a streamed chat
// is published to the chat's streaming endpoints, and the agent's and the
// flow's messages of an SMS chat are texted to the customer. Both are
// written to the store's outbox in the transaction that stores the items
// (appendItems), so nothing a participant was told is stored is lost on
// its way out; package delivery sends the rows after the commit.

// MaxSMSLength is the length limit of SMS messages, each way (characters).
const MaxSMSLength = 1024

// outboundChat reports whether c was started by StartOutboundChatContact
// (SMS or WhatsApp): its InitialSystemMessage is the system's first text
// to the customer, not something the customer said.
func outboundChat(c *domain.Contact) bool {
	return c.CustomerEndpoint != nil && c.CustomerEndpoint.Type == "TELEPHONE_NUMBER" && c.InitiationMethod == "API"
}

// outboxItems writes the outbox rows of items just appended to c's
// transcript.
func outboxItems(tx domain.Tx, c *domain.Contact, items []*Item, mayStream bool) error {
	var rows []domain.OutboxRow
	if c.SMSChat() {
		for _, it := range items {
			if it.Type != TypeMessage || it.ParticipantRole == RoleCustomer || it.ContentType != "text/plain" {
				continue
			}
			data, err := json.Marshal(domain.OutboundSMS{From: c.SystemEndpoint.Address, To: c.CustomerEndpoint.Address,
				Body: it.Content, ContactID: c.ID, MessageID: it.Id})
			if err != nil {
				return err
			}
			rows = append(rows, domain.OutboxRow{Stream: "sms/" + c.InstanceID + "/" + c.ID, Target: domain.OutboxSMS,
				InstanceID: c.InstanceID, NextAttempt: it.at, CreatedAt: it.at, Data: data})
		}
	}
	if mayStream {
		streamed, err := streamRows(tx, c, items, true)
		if err != nil {
			return err
		}
		rows = append(rows, streamed...)
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.AppendOutbox(rows...)
}

// pushRows builds the push notifications of items for the devices
// registered for c's chat (domain.PushRegistration): one for each message
// and attachment sent to the customer by anyone else.
func pushRows(c *domain.Contact, cs *domain.ContactStreams, items []*Item) ([]domain.OutboxRow, error) {
	if len(cs.Push) == 0 {
		return nil, nil
	}
	var rows []domain.OutboxRow
	for _, it := range items {
		if (it.Type != TypeMessage && it.Type != TypeAttachment) || it.ParticipantRole == RoleCustomer {
			continue
		}
		body := it.Content
		if it.Type == TypeAttachment && len(it.Attachments) > 0 {
			body = it.Attachments[0].AttachmentName
		}
		var raw []byte
		for _, r := range cs.Push {
			n := domain.PushNotification{RegistrationID: r.ID, PinpointAppARN: r.PinpointAppARN, DeviceType: r.DeviceType,
				DeviceToken: r.DeviceToken, InstanceID: c.InstanceID, ContactID: c.ID, InitialContactID: c.InitialContactID,
				MessageID: it.Id, Type: it.Type, ContentType: it.ContentType, ParticipantRole: string(it.ParticipantRole),
				DisplayName: it.DisplayName, Body: body, Timestamp: it.at}
			if r.IncludeRawMessage {
				if raw == nil {
					var err error
					if raw, err = json.Marshal(it); err != nil {
						return nil, err
					}
				}
				n.RawMessage = raw
			}
			row, err := domain.PushRow(n)
			if err != nil {
				return nil, err
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// streamRows builds the notifications of items for c's active streams,
// and the push notifications of its registered devices.
// With stop, a chat.ended among the items stops the streams after it: the
// chat ending is the last thing a stream publishes.
func streamRows(tx domain.Tx, c *domain.Contact, items []*Item, stop bool) ([]domain.OutboxRow, error) {
	cs, err := domain.GetContactStreams(tx, c)
	if err != nil || cs == nil {
		return nil, err
	}
	rows, err := pushRows(c, cs, items)
	if err != nil {
		return nil, err
	}
	active := cs.ActiveStreams()
	if len(active) == 0 {
		return rows, nil
	}
	ended := time.Time{}
	for _, it := range items {
		data, err := json.Marshal(it)
		if err != nil {
			return nil, err
		}
		visibility := "ALL"
		for _, st := range active {
			row, err := domain.StreamRow(c.InstanceID, c.ID, st.ID, domain.StreamNotification{
				MessageID: uuid.NewString(), EndpointARN: st.EndpointARN, At: it.at, Item: data,
				Attributes: map[string]string{"InitialContactId": c.InitialContactID, "ContactId": c.ID,
					"ParticipantRole": string(it.ParticipantRole), "InstanceId": c.InstanceID, "AccountId": cs.AccountID,
					"Type": it.Type, "ContentType": it.ContentType, "MessageVisibility": visibility}})
			if err != nil {
				return nil, err
			}
			rows = append(rows, row)
		}
		if it.ContentType == CTChatEnded {
			ended = it.at
		}
	}
	if stop && !ended.IsZero() {
		for i := range cs.Streams {
			if cs.Streams[i].Active() {
				cs.Streams[i].StoppedAt = ended
			}
		}
		if err := domain.PutContactStreams(tx, c, cs, ended); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// streamEphemeral publishes an item that is pushed but not stored (typing)
// to the chat's streams. It is best effort: a failure is logged, not
// returned, as the participant's call already succeeded.
func (s *Service) streamEphemeral(ctx context.Context, c *domain.Contact, it *Item) {
	var active bool
	err := s.store.View(ctx, func(tx domain.ReadTx) error {
		cs, err := domain.GetContactStreams(tx, c)
		active = err == nil && cs != nil && len(cs.ActiveStreams()) > 0
		return err
	})
	if err != nil || !active {
		return
	}
	err = s.store.Update(ctx, func(tx domain.Tx) error {
		rows, err := streamRows(tx, c, []*Item{it}, false)
		if err != nil || len(rows) == 0 {
			return err
		}
		return tx.AppendOutbox(rows...)
	})
	if err != nil {
		s.log.Warn("stream typing event", "contact", c.ID, "err", err)
	}
}

// ReceiveCustomerMessage stores a text the customer sent from outside the
// participant service (an inbound SMS) as a CUSTOMER message of the chat,
// and pushes it.
func (s *Service) ReceiveCustomerMessage(ctx context.Context, instanceID, contactID, contentType, content string) (*Sent, error) {
	if n := utf8.RuneCountInString(content); n == 0 || n > MaxSMSLength {
		return nil, errorf(ErrValidation, "A text message must have 1 to %d characters; it has %d.", MaxSMSLength, n)
	}
	var items []*Item
	var msg *Item
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		c, p, setupItems, err := s.openLive(tx, instanceID, contactID, now, "")
		if err != nil {
			return err
		}
		if p.Left() {
			return errorf(ErrConflict, "Chat %s has ended.", c.ID)
		}
		msg = &Item{Id: s.newID(), Type: TypeMessage, ContentType: contentType, Content: content,
			ParticipantId: p.ID, DisplayName: p.DisplayName, ParticipantRole: RoleCustomer, at: now}
		items = append(setupItems, msg)
		return appendItems(tx, c, msg)
	})
	if err != nil {
		return nil, err
	}
	s.publish(instanceID, contactID, items...)
	return &Sent{ID: msg.Id, AbsoluteTime: msg.AbsoluteTime}, nil
}
