// Package chat is the chat side of Switchboard's contacts: the participants
// of a CHAT contact, their connection tokens, the durable transcript
// (messages, events, attachments), and the WebSocket hub that pushes new
// items to every connected participant the way amazon-connect-chatjs
// expects.
//
// The participant service (package participantapi) is its HTTP front end;
// the live runtime (package center) drives it through AddParticipant,
// RemoveParticipant, SendSystemMessage and EndChat, and learns about
// participants leaving through a Hook.
//
// Every write goes through the store's Update before the call returns, so
// a successful call means the item is stored; pushes to WebSockets happen
// after the commit and never block the caller.
package chat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// Role is a participant's role in a chat.
type Role string

// Participant roles (the model's ParticipantRole).
const (
	RoleCustomer   Role = "CUSTOMER"
	RoleAgent      Role = "AGENT"
	RoleSupervisor Role = "SUPERVISOR"
	RoleSystem     Role = "SYSTEM"
	RoleCustomBot  Role = "CUSTOM_BOT"
)

// Item types and content types of the items Switchboard writes.
const (
	TypeMessage         = "MESSAGE"
	TypeEvent           = "EVENT"
	TypeAttachment      = "ATTACHMENT"
	TypeConnectionAck   = "CONNECTION_ACK"
	TypeMessageMetadata = "MESSAGEMETADATA"

	ctPrefix               = "application/vnd.amazonaws.connect."
	CTTyping               = ctPrefix + "event.typing"
	CTDelivered            = ctPrefix + "event.message.delivered"
	CTRead                 = ctPrefix + "event.message.read"
	CTConnectionAck        = ctPrefix + "event.connection.acknowledged"
	CTParticipantJoined    = ctPrefix + "event.participant.joined"
	CTParticipantLeft      = ctPrefix + "event.participant.left"
	CTChatEnded            = ctPrefix + "event.chat.ended"
	CTTransferSucceeded    = ctPrefix + "event.transfer.succeeded"
	CTMessageMetadata      = ctPrefix + "event.message.metadata"
	CTInteractive          = ctPrefix + "message.interactive"
	CTInteractiveResponse  = ctPrefix + "message.interactive.response"
	systemDisplayName      = "SYSTEM_MESSAGE"
	connectionTokenTTL     = 24 * time.Hour
	websocketURLTTL        = 100 * time.Second
	maxSocketsPerPartipant = 5
)

// TimeFormat is how the participant service writes times: ISO-8601 UTC
// with milliseconds (AbsoluteTime, Expiry, ConnectionExpiry).
const TimeFormat = "2006-01-02T15:04:05.000Z"

// FormatTime renders t in TimeFormat.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// Item is one transcript entry, with the JSON member names of the wire
// (it is pushed to WebSockets as is).
type Item struct {
	AbsoluteTime     string           `json:"AbsoluteTime"`
	Content          string           `json:"Content,omitempty"`
	ContentType      string           `json:"ContentType"`
	Id               string           `json:"Id"`
	Type             string           `json:"Type"`
	ParticipantId    string           `json:"ParticipantId,omitempty"`
	DisplayName      string           `json:"DisplayName,omitempty"`
	ParticipantRole  Role             `json:"ParticipantRole,omitempty"`
	Attachments      []AttachmentItem `json:"Attachments,omitempty"`
	MessageMetadata  *MessageMetadata `json:"MessageMetadata,omitempty"`
	RelatedContactId string           `json:"RelatedContactId,omitempty"`
	ContactId        string           `json:"ContactId,omitempty"`
	// InitialContactId is on every pushed copy: chatjs filters incoming
	// items by ContactId or InitialContactId.
	InitialContactId string `json:"InitialContactId,omitempty"`

	at time.Time // AbsoluteTime before formatting
}

// AttachmentItem describes an attachment of an ATTACHMENT item.
type AttachmentItem struct {
	ContentType    string `json:"ContentType"`
	AttachmentId   string `json:"AttachmentId"`
	AttachmentName string `json:"AttachmentName"`
	Status         string `json:"Status"`
}

// MessageMetadata carries the delivery and read receipts of a message.
type MessageMetadata struct {
	MessageId               string    `json:"MessageId"`
	Receipts                []Receipt `json:"Receipts,omitempty"`
	MessageProcessingStatus string    `json:"MessageProcessingStatus,omitempty"`
}

// Receipt is one recipient's delivery/read times.
type Receipt struct {
	DeliveredTimestamp     string `json:"DeliveredTimestamp,omitempty"`
	ReadTimestamp          string `json:"ReadTimestamp,omitempty"`
	RecipientParticipantId string `json:"RecipientParticipantId"`
}

// Participant is one member of a chat.
type Participant struct {
	ID          string
	Role        Role
	DisplayName string
	JoinedAt    time.Time
	LeftAt      time.Time `json:",omitzero"`
	// Timers is the chat's timer configuration, kept on the customer
	// participant (UpdateParticipantRoleConfig; timers.go).
	Timers *TimerConfig `json:",omitempty"`
	// Silent marks a supervisor monitoring the chat (MonitorContact):
	// they read everything, nobody sees them join or leave, and they may
	// not write until they barge (monitor.go).
	Silent bool `json:",omitempty"`
}

// Left reports whether the participant has left the chat.
func (p *Participant) Left() bool { return !p.LeftAt.IsZero() }

// Error is a participant-service error: Code is the model's exception name.
type Error struct {
	Code    string
	Message string
	// ResourceID and ResourceType fill ResourceNotFoundException.
	ResourceID, ResourceType string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Exception names (HTTP statuses are in the model).
const (
	ErrValidation   = "ValidationException"
	ErrAccessDenied = "AccessDeniedException"
	ErrNotFound     = "ResourceNotFoundException"
	ErrConflict     = "ConflictException"
	ErrQuota        = "ServiceQuotaExceededException"
	ErrThrottling   = "ThrottlingException"
)

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Hook is what the chat tells the live runtime. Calls are made after the
// change is stored and pushed, without locks held.
type Hook interface {
	// ParticipantDisconnected reports that a participant left through
	// DisconnectParticipant. For the CUSTOMER the chat has already ended
	// (participant.left and chat.ended are stored and pushed, sockets are
	// closed) and the hook must end the contact (domain EndContact with
	// reason CUSTOMER_DISCONNECT, releasing any agent). For an AGENT or
	// SUPERVISOR the customer stays; the runtime may run the disconnect
	// flow or end the chat with EndChat. participantID says which of the
	// role's participants left (a chat may have several supervisors).
	ParticipantDisconnected(ctx context.Context, instanceID, contactID, participantID string, role Role)
}

// ReturnWatcher is a Hook that also wants to know when a customer writes
// (SendMessage): a flow's Wait block waiting for the customer to return
// (CustomerReturned, as in a disconnect flow after the agent left) ends
// then, and a ShowView block waits for the customer's answer, which is a
// message too (ParseViewAnswer). It is called after every customer
// message, with the message's content type and content, outside
// transactions, so it must be cheap when nothing waits.
type ReturnWatcher interface {
	CustomerReturned(ctx context.Context, instanceID, contactID, contentType, content string)
}

// Config assembles a Service.
type Config struct {
	Domain *domain.Service
	Store  domain.Store
	Clock  clock.Clock
	Log    *slog.Logger
}

// Service is the chat domain.
type Service struct {
	dom   *domain.Service
	store domain.Store
	clock clock.Clock
	log   *slog.Logger
	hub   *Hub
	newID func() string

	mu   sync.RWMutex
	hook Hook

	// conns caches what SendMessage needs of a ConnectionToken (session.go).
	conns connCache

	// timers are the chats' running idle/disconnect timers (timers.go).
	timers timerSet
}

// New returns a chat service.
func New(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{dom: cfg.Domain, store: cfg.Store, clock: cfg.Clock, log: cfg.Log, hub: newHub(cfg.Log),
		newID: func() string { return uuid.NewString() }}
}

// SetHook connects the runtime. Without one, a customer disconnect ends
// the contact through the domain's EndContact.
func (s *Service) SetHook(h Hook) {
	s.mu.Lock()
	s.hook = h
	s.mu.Unlock()
}

func (s *Service) currentHook() Hook {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.hook
}

// Close closes every WebSocket (server shutdown).
func (s *Service) Close() { s.hub.closeAll() }

// now is the service time at millisecond precision, the precision of the
// wire's AbsoluteTime.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

// newToken returns an opaque bearer token.
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// hashToken is how tokens are stored: a leaked database does not leak
// usable tokens. kind keeps the token families apart.
func hashToken(kind, token string) string {
	h := sha256.Sum256([]byte(token))
	return kind + hex.EncodeToString(h[:])
}

// Token kinds (prefixes of stored hashes).
const (
	kindParticipant = ""
	kindConnection  = "c:"
	kindWebsocket   = "w:"
)

// chatKey names a contact's sockets in the hub.
func chatKey(instanceID, contactID string) string { return instanceID + "/" + contactID }

func decodeContact(row domain.ContactRow) (*domain.Contact, error) {
	var c domain.Contact
	if err := json.Unmarshal(row.Data, &c); err != nil {
		return nil, fmt.Errorf("chat: decode contact %s: %w", row.ID, err)
	}
	return &c, nil
}

func getContact(tx domain.ReadTx, instanceID, contactID string) (*domain.Contact, error) {
	c, _, err := getContactRev(tx, instanceID, contactID)
	return c, err
}

// getContactRev is getContact with the row's write count (ContactRow.Rev).
func getContactRev(tx domain.ReadTx, instanceID, contactID string) (*domain.Contact, int64, error) {
	row, err := tx.GetContact(instanceID, contactID)
	if errors.Is(err, domain.ErrStoreNotFound) {
		e := errorf(ErrNotFound, "Contact %s does not exist in instance %s.", contactID, instanceID)
		e.ResourceID, e.ResourceType = contactID, "CONTACT"
		return nil, 0, e
	}
	if err != nil {
		return nil, 0, err
	}
	c, err := decodeContact(row)
	return c, row.Rev, err
}

func decodeParticipant(row domain.ChatParticipantRow) (*Participant, error) {
	var p Participant
	if err := json.Unmarshal(row.Data, &p); err != nil {
		return nil, fmt.Errorf("chat: decode participant %s: %w", row.ParticipantID, err)
	}
	return &p, nil
}

func putParticipant(tx domain.Tx, instanceID, contactID, tokenHash string, p *Participant) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return tx.PutChatParticipant(domain.ChatParticipantRow{InstanceID: instanceID, ContactID: contactID,
		ParticipantID: p.ID, TokenHash: tokenHash, Data: data})
}

// participants returns a contact's participants with their token hashes.
func participants(tx domain.ReadTx, instanceID, contactID string) ([]*Participant, []string, error) {
	rows, err := tx.ListChatParticipants(instanceID, contactID)
	if err != nil {
		return nil, nil, err
	}
	ps := make([]*Participant, 0, len(rows))
	hashes := make([]string, 0, len(rows))
	for _, r := range rows {
		p, err := decodeParticipant(r)
		if err != nil {
			return nil, nil, err
		}
		ps = append(ps, p)
		hashes = append(hashes, r.TokenHash)
	}
	return ps, hashes, nil
}

// appendItems stores items after the contact's last one. Times never go
// backwards along the transcript (the clock may), so paging by time and by
// position agree.
func appendItems(tx domain.Tx, c *domain.Contact, items ...*Item) error {
	last, err := lastItem(tx, c)
	if err != nil {
		return err
	}
	return appendAfter(tx, c, last, items...)
}

// lastItem reads the contact's last item (none when empty); appendAfter
// takes it, so a caller that also needs it (SendMessage's "has the chat
// ended") reads it once.
func lastItem(tx domain.ReadTx, c *domain.Contact) ([]domain.ChatItemRow, error) {
	return tx.ListChatItems(domain.ChatItemQuery{InstanceID: c.InstanceID, ContactID: c.ID, Descending: true, Limit: 1})
}

// appendAfter stores items after last, the result of lastItem in the same
// transaction.
func appendAfter(tx domain.Tx, c *domain.Contact, last []domain.ChatItemRow, items ...*Item) error {
	return appendKnown(tx, c, last, true, items...)
}

// appendKnown is appendAfter for a caller that knows, from this
// transaction, whether the contact has streams (ChatSendState.HasStreams):
// with mayStream false the streams are not looked up.
func appendKnown(tx domain.Tx, c *domain.Contact, last []domain.ChatItemRow, mayStream bool, items ...*Item) error {
	var seq int64
	var floor time.Time
	if len(last) == 1 {
		seq, floor = last[0].Seq, last[0].Time
	}
	for _, it := range items {
		seq++
		if it.at.Before(floor) {
			it.at = floor
		}
		floor = it.at
		stamp(it, c)
		if err := putItem(tx, c, seq, it); err != nil {
			return err
		}
	}
	// Streams and SMS get the items in the same transaction (delivery.go).
	return outboxItems(tx, c, items, mayStream)
}

func putItem(tx domain.Tx, c *domain.Contact, seq int64, it *Item) error {
	data, err := json.Marshal(it)
	if err != nil {
		return err
	}
	return tx.PutChatItem(domain.ChatItemRow{InstanceID: c.InstanceID, ContactID: c.ID, Seq: seq, ID: it.Id, Time: it.at, Data: data})
}

// stamp fills the fields every copy of an item carries.
func stamp(it *Item, c *domain.Contact) {
	it.AbsoluteTime = FormatTime(it.at)
	it.ContactId, it.InitialContactId = c.ID, c.InitialContactID
}

func decodeItem(row domain.ChatItemRow) (*Item, error) {
	var it Item
	if err := json.Unmarshal(row.Data, &it); err != nil {
		return nil, fmt.Errorf("chat: decode item %s: %w", row.ID, err)
	}
	it.at = row.Time
	return &it, nil
}

// publish pushes items to the contact's sockets (after the commit).
func (s *Service) publish(instanceID, contactID string, items ...*Item) {
	for _, it := range items {
		s.hub.publish(chatKey(instanceID, contactID), it)
	}
}

// eventItem builds a participant event.
func (s *Service) eventItem(p *Participant, contentType string, at time.Time) *Item {
	return &Item{Id: s.newID(), Type: TypeEvent, ContentType: contentType, ParticipantId: p.ID,
		DisplayName: p.DisplayName, ParticipantRole: p.Role, at: at}
}

// chatEnded reports whether the chat's last item is chat.ended.
func chatEnded(tx domain.ReadTx, c *domain.Contact) (bool, error) {
	last, err := tx.ListChatItems(domain.ChatItemQuery{InstanceID: c.InstanceID, ContactID: c.ID, Descending: true, Limit: 1})
	if err != nil || len(last) == 0 {
		return false, err
	}
	it, err := decodeItem(last[0])
	if err != nil {
		return false, err
	}
	return it.ContentType == CTChatEnded, nil
}
