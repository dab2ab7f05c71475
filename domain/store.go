package domain

import (
	"context"
	"time"
)

// Kind names a kind of configuration resource kept as a Record.
type Kind string

// The kinds of records the store keeps. Adding a kind needs no migration:
// records are documents keyed by (kind, instance, id).
const (
	KindInstance               Kind = "instance"
	KindHoursOfOperation       Kind = "hours-of-operation"
	KindQueue                  Kind = "queue"
	KindContactFlow            Kind = "contact-flow"
	KindEmailAddress           Kind = "email-address"
	KindPhoneNumber            Kind = "phone-number"
	KindTaskTemplate           Kind = "task-template"
	KindQuickConnect           Kind = "quick-connect"
	KindSecurityProfile        Kind = "security-profile"
	KindAgentStatus            Kind = "agent-status"
	KindRoutingProfile         Kind = "routing-profile"
	KindUser                   Kind = "user"
	KindFlowModule             Kind = "flow-module"
	KindHierarchyGroup         Kind = "hierarchy-group"
	KindPrompt                 Kind = "prompt"
	KindVocabulary             Kind = "vocabulary"
	KindIntegrationAssociation Kind = "integration-association"
	KindUseCase                Kind = "use-case"
	KindView                   Kind = "view"
	KindRule                   Kind = "rule"
	// KindHierarchyStructure holds an instance's one hierarchy structure
	// (its levels), under the ID "structure".
	KindHierarchyStructure Kind = "hierarchy-structure"
	// KindPredefinedAttribute records are keyed by the attribute's name,
	// which is its identifier on the wire.
	KindPredefinedAttribute Kind = "predefined-attribute"
	// KindUserStatus holds a user's current agent status, keyed by the
	// user's ID, apart from the user so that status changes (frequent) do
	// not rewrite the user's configuration.
	KindUserStatus Kind = "user-status"
	// KindAttributes holds the user-defined attributes of a contact chain,
	// keyed by the chain's InitialContactId (attributes are shared by every
	// segment of a chain, as in Connect). A chain that started with small
	// attributes has none until they change: its first contact's row keeps
	// them (Contact.ChainAttributes; read through ChainAttributes).
	KindAttributes Kind = "contact-attributes"
	// KindAgentSession holds a login of the agent API (package agentapi),
	// account-level, keyed by the hex SHA-256 of its token, so that a
	// restart does not log agents out (app/agentsessions.go).
	KindAgentSession Kind = "agent-session"
)

// Record is the stored form of a configuration resource: a document (Data,
// the JSON encoding of the domain type) with the keys the store indexes.
//
// InstanceID is "" for account-level records such as instances. Name, when
// not empty, is unique per (Kind, InstanceID); PutRecord answers
// ErrStoreDuplicate when another record holds it. Name uniqueness is
// case-sensitive.
type Record struct {
	Kind       Kind
	InstanceID string
	ID         string
	Name       string
	Data       []byte
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ContactRow is the stored form of a contact: the document (Data, the JSON
// of domain.Contact) plus the columns SearchContacts and the quota rules
// filter on. Zero times are stored as NULL.
type ContactRow struct {
	InstanceID        string
	ID                string
	InitialContactID  string
	PreviousContactID string
	RelatedContactID  string
	Channel           string
	InitiationMethod  string
	QueueID           string
	AgentID           string
	// Active is true until the contact is disconnected or completed; the
	// concurrency quotas count active contacts.
	Active               bool
	InitiationTime       time.Time
	ScheduledTime        time.Time
	EnqueueTime          time.Time
	ConnectedToAgentTime time.Time
	DisconnectTime       time.Time
	ExpiryTime           time.Time
	Data                 []byte
	// Rev is how many times the row had been written before this one,
	// as the store counts them (ChatSendState.ContactRev): set by reads,
	// ignored by PutContact.
	Rev int64
}

// ContactTimeField names the timestamp column a contact query ranges over.
type ContactTimeField string

// Timestamp columns of ContactRow usable in queries.
const (
	TimeInitiation       ContactTimeField = "initiation"
	TimeScheduled        ContactTimeField = "scheduled"
	TimeEnqueue          ContactTimeField = "enqueue"
	TimeConnectedToAgent ContactTimeField = "connected_to_agent"
	TimeDisconnect       ContactTimeField = "disconnect"
	TimeExpiry           ContactTimeField = "expiry"
)

// ContactQuery selects contacts of one instance. Empty filters match all.
// Rows come back ordered by (SortField, ID), SortField defaulting to
// TimeInitiation, descending when Descending is set; rows whose sort column
// is NULL sort last. Offset and Limit page through the result (Limit 0 means
// no limit).
type ContactQuery struct {
	InstanceID        string
	TimeField         ContactTimeField // with From/To: From <= t < To; "" = no range
	From, To          time.Time
	Channels          []string
	InitiationMethods []string
	QueueIDs          []string
	AgentIDs          []string
	PreviousContactID string
	InitialContactID  string
	ActiveOnly        bool
	SortField         ContactTimeField
	Descending        bool
	Offset, Limit     int
}

// Idempotency remembers the result of a request made with a ClientToken.
// RequestHash identifies the request's parameters so that a reuse of the
// token with different parameters can be refused.
type Idempotency struct {
	InstanceID  string
	Operation   string
	Token       string
	RequestHash string
	ResultID    string
	CreatedAt   time.Time
}

// ---- Chat storage (package chat) ----
//
// Chats keep their participants, connection tokens, transcript items and
// attachments in tables of their own. Rows are keyed by contact; the
// documents (Data) are the chat package's JSON, opaque to the store.

// ChatParticipantRow is one participant of a chat contact. TokenHash (the
// SHA-256 of the participant's ParticipantToken, hex) is unique across the
// store so that a token finds its participant with one lookup.
type ChatParticipantRow struct {
	InstanceID    string
	ContactID     string
	ParticipantID string
	TokenHash     string
	Data          []byte
}

// ChatConnectionRow is a ConnectionToken (by its hash) issued to a
// participant by CreateParticipantConnection, valid until ExpiresAt.
type ChatConnectionRow struct {
	TokenHash     string
	InstanceID    string
	ContactID     string
	ParticipantID string
	ExpiresAt     time.Time
}

// ChatItemRow is one transcript item. Seq orders the items of a contact
// (1, 2, …, assigned by the chat package); ID is unique per contact.
type ChatItemRow struct {
	InstanceID string
	ContactID  string
	Seq        int64
	ID         string
	Time       time.Time
	Data       []byte
}

// ChatItemQuery selects items of one contact ordered by Seq, ascending or
// (Descending) descending. AfterSeq and BeforeSeq are exclusive bounds, 0
// meaning none; a non-zero FromTime keeps items with Time >= FromTime.
// Limit 0 means no limit.
type ChatItemQuery struct {
	InstanceID, ContactID string
	AfterSeq, BeforeSeq   int64
	FromTime              time.Time
	Descending            bool
	Limit                 int
}

// ChatAttachmentRow is an attachment's metadata (Data); its bytes are
// stored apart (PutChatAttachmentContent) so that metadata reads stay small.
type ChatAttachmentRow struct {
	InstanceID string
	ContactID  string
	ID         string
	CreatedAt  time.Time
	Data       []byte
}

// ChatSendState is what a participant's write to a chat is checked
// against, read in one statement by GetChatSendState because SendMessage
// needs all of it on every message, on the single writer.
type ChatSendState struct {
	// ContactRev counts the writes of the contact row (every PutContact
	// adds one), so a caller holding a decoded copy of the contact knows
	// whether it is still current without reading the document.
	ContactRev int64
	// Participant is the participant holding the token hash asked about,
	// nil when none does (it may belong to another contact: check).
	Participant *ChatParticipantRow
	// Last is the contact's item with the highest Seq, nil when it has none.
	Last *ChatItemRow
	// HasStreams reports whether the contact's chat has a
	// KindContactStreams record, keyed by its initial contact
	// (StartContactStreaming was called on the chat at some point).
	HasStreams bool
}

// ChatReadTx reads chat rows; ReadTx embeds it. Methods return
// ErrStoreNotFound for a missing row.
type ChatReadTx interface {
	// GetChatSendState reads a contact's ChatSendState with the
	// participant of a token hash; ErrStoreNotFound when the contact does
	// not exist.
	GetChatSendState(instanceID, contactID, participantTokenHash string) (ChatSendState, error)
	GetChatParticipantByToken(tokenHash string) (ChatParticipantRow, error)
	// ListChatParticipants returns a contact's participants by ID.
	ListChatParticipants(instanceID, contactID string) ([]ChatParticipantRow, error)
	GetChatConnection(tokenHash string) (ChatConnectionRow, error)
	GetChatItem(instanceID, contactID, id string) (ChatItemRow, error)
	ListChatItems(q ChatItemQuery) ([]ChatItemRow, error)
	GetChatAttachment(instanceID, contactID, id string) (ChatAttachmentRow, error)
	// CountChatAttachments counts a contact's attachments.
	CountChatAttachments(instanceID, contactID string) (int, error)
	// GetChatAttachmentContent returns the uploaded bytes (empty before
	// the upload).
	GetChatAttachmentContent(instanceID, contactID, id string) ([]byte, error)
}

// ChatTx writes chat rows; Tx embeds it. DeleteInstance removes an
// instance's chat rows too.
type ChatTx interface {
	// PutChatParticipant inserts or replaces a participant (by instance,
	// contact and participant ID); ErrStoreDuplicate when another
	// participant holds the token hash.
	PutChatParticipant(p ChatParticipantRow) error
	// PutChatConnection inserts or replaces a connection token.
	PutChatConnection(c ChatConnectionRow) error
	// MoveChatParticipant gives a participant, and the connection tokens
	// issued to it, to another contact: a chat that goes on in a new
	// contact keeps its customer. ErrStoreNotFound when the participant is
	// not in fromContactID.
	MoveChatParticipant(instanceID, fromContactID, participantID, toContactID string) error
	// DeleteChatConnectionsBefore removes tokens that expired before t.
	DeleteChatConnectionsBefore(t time.Time) error
	// PutChatItem inserts or replaces the item at (instance, contact,
	// Seq); ErrStoreDuplicate when another Seq of the contact has the ID.
	PutChatItem(i ChatItemRow) error
	// PutChatAttachment inserts or replaces an attachment's metadata,
	// keeping its content.
	PutChatAttachment(a ChatAttachmentRow) error
	// PutChatAttachmentContent stores the bytes of an existing attachment;
	// ErrStoreNotFound when there is no such attachment.
	PutChatAttachmentContent(instanceID, contactID, id string, content []byte) error
}

// ---- end of chat storage ----

// MetricCellRow is one aggregate of historical metrics (package metrics):
// the counters of one 5-minute bucket for one combination of dimensions
// (Key, the metrics package's encoding). Data is that package's encoding,
// opaque to the store.
type MetricCellRow struct {
	InstanceID string
	Bucket     time.Time
	Key        string
	Data       []byte
}

// Store is durable storage. It holds no business rules: it stores and
// indexes what the domain gives it. Implementations: store/sqlite (the
// default, embedded) and store/postgres (for several nodes); both pass the
// conformance suite in store/storetest.
type Store interface {
	// Update runs fn in a read-write transaction and returns once its
	// writes are durable (committed and synced), or with fn's error having
	// discarded all of fn's writes. Concurrent Updates may be committed
	// together (group commit); each keeps its own all-or-nothing outcome.
	// fn may be called more than once if the store retries; it must not
	// have effects outside tx.
	Update(ctx context.Context, fn func(tx Tx) error) error
	// View runs fn in a read-only transaction over committed data.
	View(ctx context.Context, fn func(tx ReadTx) error) error
	// Close waits for in-flight Updates to finish and releases resources.
	Close() error
}

// ReadTx reads within a transaction. Methods return ErrStoreNotFound for a
// missing row.
type ReadTx interface {
	GetRecord(kind Kind, instanceID, id string) (Record, error)
	// HasRecord reports whether the record exists, without reading it.
	HasRecord(kind Kind, instanceID, id string) (bool, error)
	GetRecordByName(kind Kind, instanceID, name string) (Record, error)
	// ListRecords returns up to limit records of a kind in an instance with
	// ID > afterID, ordered by ID. limit <= 0 means no limit.
	ListRecords(kind Kind, instanceID, afterID string, limit int) ([]Record, error)
	// CountRecords counts the records of a kind in an instance.
	CountRecords(kind Kind, instanceID string) (int, error)
	GetContact(instanceID, id string) (ContactRow, error)
	QueryContacts(q ContactQuery) ([]ContactRow, error)
	// CountContacts counts the rows matching q, ignoring Offset and Limit.
	CountContacts(q ContactQuery) (int, error)
	GetIdempotency(instanceID, operation, token string) (Idempotency, error)
	ChatReadTx // chat storage, see above
	// ---- historical metrics (package metrics) ----
	// ListMetricCells returns every cell, of every instance, whose bucket
	// starts at or after from, ordered by (bucket, instance, key).
	ListMetricCells(from time.Time) ([]MetricCellRow, error)
	// ---- end of historical metrics ----
	// ---- delivery outbox (package delivery; OutboxRow in delivery.go) ----
	// ListOutbox returns up to limit rows with Seq > afterSeq, ordered by
	// Seq. limit <= 0 means no limit.
	ListOutbox(afterSeq int64, limit int) ([]OutboxRow, error)
	// ---- end of delivery outbox ----
}

// Tx writes within a transaction.
type Tx interface {
	ReadTx
	// PutRecord inserts or replaces the record with r's (Kind, InstanceID,
	// ID). It answers ErrStoreDuplicate when r.Name is held by another
	// record of the same kind and instance.
	PutRecord(r Record) error
	// DeleteRecord removes a record; ErrStoreNotFound when absent.
	DeleteRecord(kind Kind, instanceID, id string) error
	// DeleteInstance removes every record, contact and idempotency entry of
	// an instance, its outbox rows, and the instance record itself.
	DeleteInstance(instanceID string) error
	// PutContact inserts or replaces a contact.
	PutContact(c ContactRow) error
	// PutIdempotency inserts or replaces an idempotency entry.
	PutIdempotency(i Idempotency) error
	// ClaimIdempotency stores i unless a live entry holds its key; an
	// entry created at or before expiredBy has expired and is replaced.
	// It reports whether i was stored, and otherwise returns the live
	// entry: one statement instead of a lookup and an insert on the
	// single writer.
	ClaimIdempotency(i Idempotency, expiredBy time.Time) (prior Idempotency, claimed bool, err error)
	// DeleteIdempotencyBefore removes up to limit entries created before
	// t, the oldest first, and says how many it removed.
	DeleteIdempotencyBefore(t time.Time, limit int) (int, error)
	ChatTx // chat storage, see above
	// ---- historical metrics (package metrics) ----
	// PutMetricCells inserts or replaces cells by (instance, bucket, key).
	PutMetricCells(cells []MetricCellRow) error
	// DeleteMetricCells removes the cells of every instance with
	// from <= bucket < to; a zero bound is open. DeleteInstance removes an
	// instance's cells too.
	DeleteMetricCells(from, to time.Time) error
	// ---- end of historical metrics ----
	// ---- delivery outbox (package delivery; OutboxRow in delivery.go) ----
	// AppendOutbox stores rows, giving each a Seq greater than any Seq
	// given before (the rows' own Seq is ignored).
	AppendOutbox(rows ...OutboxRow) error
	// RetryOutbox records a failed attempt of a row: its attempt count and
	// when to try again. ErrStoreNotFound when the row is gone.
	RetryOutbox(seq int64, attempts int, next time.Time) error
	// DeleteOutbox removes a delivered row; removing a missing row is not
	// an error (another delivery got there first).
	DeleteOutbox(seq int64) error
	// ---- end of delivery outbox ----
}
