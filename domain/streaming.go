package domain

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"time"
)

// KindContactStreams holds a chat's real-time message streams
// (StartContactStreaming), keyed by the chat's initial contact: as in
// Connect, a stream follows the chat into the contacts it goes on in (a
// transfer, a disconnect flow), whichever of its contacts it was started
// with.
const KindContactStreams Kind = "contact-streams"

// MaxStreamsPerContact is Connect's limit of SNS topics per contact.
const MaxStreamsPerContact = 2

// ContactStreams are the streams of one chat contact, active and stopped,
// and the devices registered for its push notifications (push.go).
type ContactStreams struct {
	// AccountID fills the AccountId message attribute of notifications.
	AccountID string
	Streams   []ContactStream
	Push      []PushRegistration `json:",omitempty"`
}

// ContactStream is one StartContactStreaming.
type ContactStream struct {
	ID          string
	EndpointARN string
	StartedAt   time.Time
	StoppedAt   time.Time `json:",omitzero"`
}

// Active reports whether the stream still publishes.
func (st *ContactStream) Active() bool { return st.StoppedAt.IsZero() }

// ActiveStreams returns the streams still publishing.
func (cs *ContactStreams) ActiveStreams() []ContactStream {
	var out []ContactStream
	for _, st := range cs.Streams {
		if st.Active() {
			out = append(out, st)
		}
	}
	return out
}

// GetContactStreams reads the streams of c's chat inside a transaction;
// nil when it never had one.
func GetContactStreams(tx ReadTx, c *Contact) (*ContactStreams, error) {
	cs, err := getDoc[ContactStreams](tx, KindContactStreams, c.InstanceID, c.InitialContactID)
	if errors.Is(err, ErrStoreNotFound) {
		return nil, nil
	}
	return cs, err
}

// PutContactStreams writes the streams of c's chat inside a transaction.
func PutContactStreams(tx Tx, c *Contact, cs *ContactStreams, now time.Time) error {
	return putDoc(tx, KindContactStreams, c.InstanceID, c.InitialContactID, "", now, now, cs)
}

// snsTopicARN is a standard SNS topic ARN. FIFO topics (".fifo") are
// refused separately with a clearer message.
var snsTopicARN = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$`)

// StartStreamingParams are the inputs of StartContactStreaming.
type StartStreamingParams struct {
	InstanceID, ContactID string
	EndpointARN           string
	ClientToken           string
}

// EndpointHelp tells how a server is given a streaming endpoint; the
// operations quote it when an ARN is not configured.
const EndpointHelp = "start the server with --streaming-endpoint '%s=webhook:https://host/path' (an HTTP endpoint receiving SNS notifications) or --streaming-endpoint '%s=nats:subject' (a NATS subject)"

// StartContactStreaming starts publishing a chat's messages and events to
// an endpoint. configured says whether this server has a sink for the
// endpoint ARN (the server's configuration, not the domain's). Starting
// a stream that is already active on the contact answers its StreamingId.
func (s *Service) StartContactStreaming(ctx context.Context, p StartStreamingParams, configured bool) (string, error) {
	const op = "StartContactStreaming"
	arn := p.EndpointARN
	if p.ClientToken == "" {
		return "", Errorf(ErrInvalidParameter, "ClientToken is required by StartContactStreaming; pass a unique token per request (the SDKs fill one in).")
	}
	if strings.HasSuffix(arn, ".fifo") {
		return "", Errorf(ErrInvalidParameter, "StreamingEndpointArn %s is a FIFO topic; chat streaming publishes to standard SNS topics only.", clip(arn, 350))
	}
	if !snsTopicARN.MatchString(arn) {
		return "", Errorf(ErrInvalidParameter, "StreamingEndpointArn %q is not an SNS topic ARN such as arn:aws:sns:%s:%s:chat-stream.", clip(arn, 350), s.cfg.Region, s.cfg.AccountID)
	}
	if !configured {
		return "", Errorf(ErrNotFound, "StreamingEndpointArn %s is not configured on this server; "+EndpointHelp+".", arn, arn, arn)
	}
	var id string
	tok := newClientToken(op, p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		cl, c, cs, err := s.claimChatStreams(tx, p.InstanceID, p.ContactID, tok, ErrInvalidRequest, "streamed")
		now, iid, newID := cl.now, cl.instanceID, cl.id
		id = cl.prior
		if err != nil || id != "" {
			return err
		}
		active := cs.ActiveStreams()
		for _, st := range active {
			if st.EndpointARN == arn {
				id = st.ID
				return s.rememberToken(tx, iid, tok, id, now)
			}
		}
		if len(active) >= MaxStreamsPerContact {
			return Errorf(ErrLimitExceeded, "Contact %s already streams to %d endpoints, the most a contact may have; stop one with StopContactStreaming first.", c.ID, len(active))
		}
		id = newID
		cs.Streams = append(cs.Streams, ContactStream{ID: id, EndpointARN: arn, StartedAt: now})
		return PutContactStreams(tx, c, cs, now)
	})
	return id, err
}

// claimChatStreams opens an operation that adds to a live chat's streams
// record (a stream, a push registration): it claims the ClientToken
// (cl.prior is the earlier answer of a replay, and nothing else is read
// then), and loads the chat contact and its record, new when it has none.
// code is the exception the operation models for a contact that is no
// live chat; what ends "only chat contacts can be …".
func (s *Service) claimChatStreams(tx Tx, instanceID, contactID string, tok clientToken, code ErrorCode, what string) (newClaim, *Contact, *ContactStreams, error) {
	cl, err := s.claimNew(tx, instanceID, tok)
	if CodeOf(err) == ErrIdempotency {
		// Neither operation models an IdempotencyException.
		err.(*Error).Code = ErrInvalidParameter
	}
	if err != nil || cl.prior != "" {
		return cl, nil, nil, err
	}
	c, err := s.getContact(tx, cl.instanceID, contactID)
	if err != nil {
		return cl, nil, nil, err
	}
	if c.Channel != "CHAT" || c.Chat == nil {
		return cl, nil, nil, Errorf(code, "Contact %s is a %s contact; only chat contacts can be %s.", c.ID, c.Channel, what)
	}
	if c.Ended() {
		return cl, nil, nil, Errorf(code, "Contact %s has ended; only live chats can be %s.", c.ID, what)
	}
	cs, err := GetContactStreams(tx, c)
	if err == nil && cs == nil {
		cs = &ContactStreams{AccountID: s.cfg.AccountID}
	}
	return cl, c, cs, err
}

// changeStreams runs fn, in a transaction, on the streams record of the
// chat contactID belongs to (nil when it has none).
func (s *Service) changeStreams(ctx context.Context, instanceID, contactID string, fn func(tx Tx, c *Contact, cs *ContactStreams, now time.Time) error) error {
	return s.update(ctx, func(tx Tx) error {
		now := s.now()
		_, c, err := s.contactIn(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		cs, err := GetContactStreams(tx, c)
		if err != nil {
			return err
		}
		return fn(tx, c, cs, now)
	})
}

// StopContactStreaming stops a stream. Stopping a stopped stream succeeds:
// the caller's intent is already true.
func (s *Service) StopContactStreaming(ctx context.Context, instanceID, contactID, streamingID string) error {
	return s.changeStreams(ctx, instanceID, contactID, func(tx Tx, c *Contact, cs *ContactStreams, now time.Time) error {
		if cs != nil {
			for i := range cs.Streams {
				st := &cs.Streams[i]
				if st.ID != streamingID {
					continue
				}
				if !st.Active() {
					return nil
				}
				st.StoppedAt = now
				return PutContactStreams(tx, c, cs, now)
			}
		}
		return Errorf(ErrNotFound, "StreamingId %s is not a stream of contact %s; use the StreamingId StartContactStreaming returned.", clip(streamingID, 100), c.ID)
	})
}

// snsAttribute is a String message attribute of an SNS notification.
type snsAttribute struct {
	Type  string `json:"Type"`
	Value string `json:"Value"`
}

// snsNotification is the HTTP/S delivery form of an SNS message. Switchboard
// cannot sign as SNS does, so Signature is empty; receivers that verify SNS
// signatures must not for Switchboard's endpoints.
type snsNotification struct {
	Type              string                  `json:"Type"`
	MessageID         string                  `json:"MessageId"`
	TopicArn          string                  `json:"TopicArn"`
	Message           string                  `json:"Message"`
	Timestamp         string                  `json:"Timestamp"`
	SignatureVersion  string                  `json:"SignatureVersion"`
	Signature         string                  `json:"Signature"`
	SigningCertURL    string                  `json:"SigningCertURL"`
	UnsubscribeURL    string                  `json:"UnsubscribeURL"`
	MessageAttributes map[string]snsAttribute `json:"MessageAttributes"`
}

// StreamNotification is what one stream publishes for one chat item: an
// SNS Notification whose Message is the item's JSON (which carries
// ContactId and InitialContactId) and whose String attributes are those of
// connect-semantics §5.8.
type StreamNotification struct {
	MessageID   string
	EndpointARN string
	At          time.Time
	Item        []byte
	Attributes  map[string]string
}

// StreamRow builds the outbox row publishing n for a contact's stream.
func StreamRow(instanceID, contactID, streamingID string, n StreamNotification) (OutboxRow, error) {
	attrs := make(map[string]snsAttribute, len(n.Attributes))
	for k, v := range n.Attributes {
		if v != "" {
			attrs[k] = snsAttribute{Type: "String", Value: v}
		}
	}
	msg := snsNotification{Type: "Notification", MessageID: n.MessageID, TopicArn: n.EndpointARN, Message: string(n.Item),
		Timestamp: n.At.UTC().Format("2006-01-02T15:04:05.000Z"), SignatureVersion: "1", MessageAttributes: attrs}
	data, err := json.Marshal(msg)
	if err != nil {
		return OutboxRow{}, err
	}
	return OutboxRow{Stream: "stream/" + instanceID + "/" + contactID + "/" + streamingID, Target: OutboxStreamPrefix + n.EndpointARN,
		InstanceID: instanceID, NextAttempt: n.At, CreatedAt: n.At, Data: data}, nil
}
