package domain

import (
	"context"
	"encoding/json"
	"regexp"
	"time"
)

// Push notifications for mobile chat (Create/DeletePushNotificationRegistration):
// a customer's app registers its device token for a chat, and every message
// the customer is sent in that chat (by an agent, a bot or the flow) is then
// pushed to the device. Connect pushes through an AWS End User Messaging
// (Pinpoint) application to APNs or FCM. Switchboard has neither, so the
// notification goes to a webhook (serve --push-webhook) as JSON naming the
// application, the device and the message (PushNotification), through the
// outbox like every other outgoing message.
//
// Registrations are kept in the chat's KindContactStreams record, beside its
// streams: both say where a chat's items go besides its participants, both
// follow the chat into the contacts it goes on in, and sending a message
// already reads that record when it exists, so a registration costs a
// message no further read.

// MaxPushRegistrationsPerContact is how many devices may register for one
// chat. Connect publishes no such quota; this one is Switchboard's, to
// bound what one chat fans out to.
const MaxPushRegistrationsPerContact = 10

// PushRegistration is one device registered for a chat's messages.
type PushRegistration struct {
	ID string
	// ContactID is the contact it was registered with; DeletePushNotificationRegistration
	// names it again.
	ContactID         string
	PinpointAppARN    string
	DeviceToken       string
	DeviceType        string // GCM, APNS or APNS_SANDBOX
	IncludeRawMessage bool   `json:",omitempty"`
	CreatedAt         time.Time
}

// pinpointAppARN is an AWS End User Messaging (formerly Pinpoint)
// application: arn:aws:mobiletargeting:REGION:ACCOUNT:apps/APP_ID.
var pinpointAppARN = regexp.MustCompile(`^arn:aws[a-z-]*:mobiletargeting:[a-z0-9-]+:[0-9]{12}:apps/[A-Za-z0-9]{1,64}$`)

// PushRegistrationParams are the inputs of CreatePushNotificationRegistration.
type PushRegistrationParams struct {
	InstanceID, ContactID string
	PinpointAppARN        string
	DeviceToken           string
	DeviceType            string
	// ParticipantRole is whose messages are pushed; Connect supports only
	// CUSTOMER (the default).
	ParticipantRole   string
	IncludeRawMessage bool
	ClientToken       string
}

// CreatePushNotificationRegistration registers a device for a chat's
// messages and returns the registration's id. Registering the same device
// token for the same chat again answers the registration it already has.
func (s *Service) CreatePushNotificationRegistration(ctx context.Context, p PushRegistrationParams) (string, error) {
	const op = "CreatePushNotificationRegistration"
	if !pinpointAppARN.MatchString(p.PinpointAppARN) {
		return "", Errorf(ErrInvalidParameter, "PinpointAppArn %q is not an AWS End User Messaging application ARN such as arn:aws:mobiletargeting:%s:%s:apps/0123456789abcdef0123456789abcdef.",
			clip(p.PinpointAppARN, 350), s.cfg.Region, s.cfg.AccountID)
	}
	if p.ParticipantRole != "" && p.ParticipantRole != "CUSTOMER" {
		return "", Errorf(ErrInvalidParameter, "ParticipantRole %s is not supported: push notifications go to the chat's customer only; pass CUSTOMER or leave it out.", clip(p.ParticipantRole, 50))
	}
	var id string
	tok := newClientToken(op, p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		cl, c, cs, err := s.claimChatStreams(tx, p.InstanceID, p.ContactID, tok, ErrInvalidParameter, "registered for push notifications")
		if err != nil || cl.prior != "" {
			id = cl.prior
			return err
		}
		for _, r := range cs.Push {
			if r.DeviceToken == p.DeviceToken && r.PinpointAppARN == p.PinpointAppARN {
				id = r.ID
				return s.rememberToken(tx, cl.instanceID, tok, id, cl.now)
			}
		}
		if len(cs.Push) >= MaxPushRegistrationsPerContact {
			return Errorf(ErrQuotaExceeded, "Chat %s already has %d devices registered for push notifications, the most Switchboard allows; delete one with DeletePushNotificationRegistration first.", c.ID, len(cs.Push))
		}
		id = cl.id
		cs.Push = append(cs.Push, PushRegistration{ID: id, ContactID: c.ID, PinpointAppARN: p.PinpointAppARN,
			DeviceToken: p.DeviceToken, DeviceType: p.DeviceType, IncludeRawMessage: p.IncludeRawMessage, CreatedAt: cl.now})
		return PutContactStreams(tx, c, cs, cl.now)
	})
	return id, err
}

// DeletePushNotificationRegistration removes a registration of the chat
// contactID belongs to.
func (s *Service) DeletePushNotificationRegistration(ctx context.Context, instanceID, registrationID, contactID string) error {
	return s.changeStreams(ctx, instanceID, contactID, func(tx Tx, c *Contact, cs *ContactStreams, now time.Time) error {
		if cs != nil {
			for i, r := range cs.Push {
				if r.ID == registrationID {
					cs.Push = append(cs.Push[:i], cs.Push[i+1:]...)
					return PutContactStreams(tx, c, cs, now)
				}
			}
		}
		return Errorf(ErrNotFound, "Push notification registration %s is not registered for the chat of contact %s; use the RegistrationId CreatePushNotificationRegistration returned.", clip(registrationID, 100), c.ID)
	})
}

// PushNotification is an OutboxPush row's Data: the JSON the push webhook
// gets for one message a registered device is told of. Its shape is
// Switchboard's (Connect hands a notification to APNs or FCM instead).
type PushNotification struct {
	RegistrationID   string    `json:"registrationId"`
	PinpointAppARN   string    `json:"pinpointAppArn"`
	DeviceType       string    `json:"deviceType"`
	DeviceToken      string    `json:"deviceToken"`
	InstanceID       string    `json:"instanceId"`
	ContactID        string    `json:"contactId"`
	InitialContactID string    `json:"initialContactId"`
	MessageID        string    `json:"messageId"`
	Type             string    `json:"type"` // MESSAGE or ATTACHMENT
	ContentType      string    `json:"contentType"`
	ParticipantRole  string    `json:"participantRole"` // who sent it
	DisplayName      string    `json:"displayName,omitempty"`
	Body             string    `json:"body"` // a text message's content; an attachment's file name
	Timestamp        time.Time `json:"timestamp"`
	// RawMessage is the chat item as the participant service returns it,
	// for a registration made with IncludeRawMessage.
	RawMessage json.RawMessage `json:"rawMessage,omitempty"`
}

// PushRow builds the outbox row of n. The rows of one registration are
// delivered in order.
func PushRow(n PushNotification) (OutboxRow, error) {
	data, err := json.Marshal(n)
	if err != nil {
		return OutboxRow{}, err
	}
	return OutboxRow{Stream: "push/" + n.InstanceID + "/" + n.InitialContactID + "/" + n.RegistrationID, Target: OutboxPush,
		InstanceID: n.InstanceID, NextAttempt: n.Timestamp, CreatedAt: n.Timestamp, Data: data}, nil
}
