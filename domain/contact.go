package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"
)

// Contact is one segment of a customer interaction (Connect creates a new
// contact for every transfer; segments are chained by InitialContactID and
// PreviousContactID).
//
// Stored as JSON: empty fields are left out (omitzero), which keeps the
// document small and its encoding fast; decoding restores the zero values.
type Contact struct {
	ID, Arn, InstanceID  string `json:",omitzero"`
	InitialContactID     string `json:",omitzero"`
	PreviousContactID    string `json:",omitzero"`
	RelatedContactID     string `json:",omitzero"`
	ContactAssociationID string `json:",omitzero"`
	Channel              string // VOICE | CHAT | TASK | EMAIL
	InitiationMethod     string `json:",omitzero"`
	Name, Description    string `json:",omitzero"`
	// State is the contact's place in its life: INITIATED, SCHEDULED,
	// QUEUED, CONNECTED, ENDED (the runtime adds more). It is ours, not a
	// Connect field; DescribeContact shows its effects through timestamps.
	State                      string                  `json:",omitzero"`
	ContactFlowID              string                  `json:",omitzero"`
	QueueID                    string                  `json:",omitzero"`
	EnqueueTime                time.Time               `json:",omitzero"`
	AgentID                    string                  `json:",omitzero"`
	ConnectedToAgentTime       time.Time               `json:",omitzero"`
	AfterContactWorkStart      time.Time               `json:",omitzero"`
	AfterContactWorkEnd        time.Time               `json:",omitzero"`
	InitiationTime             time.Time               `json:",omitzero"`
	ConnectedToSystemTime      time.Time               `json:",omitzero"`
	DisconnectTime             time.Time               `json:",omitzero"`
	LastUpdateTime             time.Time               `json:",omitzero"`
	ScheduledTime              time.Time               `json:",omitzero"`
	ExpiryTime                 time.Time               `json:",omitzero"`
	QueuePriority              int64                   `json:",omitzero"`
	QueueTimeAdjustmentSeconds int32                   `json:",omitzero"`
	References                 map[string]Reference    `json:",omitempty"`
	SegmentAttributes          map[string]SegmentValue `json:",omitempty"`
	RoutingCriteria            *RoutingCriteria        `json:",omitempty"`
	CustomerEndpoint           *Endpoint               `json:",omitempty"`
	SystemEndpoint             *Endpoint               `json:",omitempty"`
	CustomerID                 string                  `json:",omitzero"`
	DisconnectReason           string                  `json:",omitzero"`
	TaskTemplateID             string                  `json:",omitzero"`
	TaskTemplateName           string                  `json:",omitzero"`
	Tags                       map[string]string       `json:",omitempty"`
	Attachments                []Attachment            `json:",omitempty"`
	Reschedules                int                     `json:",omitzero"`
	// PausedFrom is the state a paused task was in (QUEUED or CONNECTED):
	// ResumeContact returns it there.
	PausedFrom      string    `json:",omitzero"`
	LastPausedTime  time.Time `json:",omitzero"`
	LastResumedTime time.Time `json:",omitzero"`
	PauseCount      int       `json:",omitzero"`
	// PausedSeconds is the length of the task's finished pauses, and
	// AgentPausedSeconds that of those it spent paused with its agent.
	PausedSeconds      int64 `json:",omitzero"`
	AgentPausedSeconds int64 `json:",omitzero"`
	// RunFlowID is a flow PauseContact or ResumeContact asks the runtime
	// to run beside the contact. Not stored.
	RunFlowID string `json:"-"`
	// Transfers counts TransferContact calls along the chain.
	Transfers int `json:",omitzero"`
	// TransferQueueID and TransferAgentID are the destination of the
	// TransferContact that created this contact: its flow starts with them
	// as the target queue.
	TransferQueueID, TransferAgentID string `json:",omitzero"`
	UserID                           string `json:",omitzero"`
	// EventHooks name the flows that run at points of the contact's life
	// (CustomerQueue, …), set by UpdateContactEventHooks in a flow.
	EventHooks map[string]string `json:",omitempty"`
	// FlowWait is the contact's flow waiting (a Wait block), kept so that a
	// restart resumes it; nil when no flow waits.
	FlowWait *FlowWait `json:",omitempty"`
	// FlowDone says the contact's first flow ran in its creating
	// transaction (PreFlowRunner). Not stored.
	FlowDone bool `json:"-"`
	// StartAttributes are the chain's attributes as a start operation
	// committed them, handed to the runtime so the first flow run need not
	// read them back. Not stored.
	StartAttributes map[string]string `json:"-"`
	// ChainAttributes, on a contact that starts a chain, are the chain's
	// attributes as it started, when they are small (inlineAttributesMax):
	// they stay in this row until they first change, when the chain's
	// attribute record (KindAttributes) is written and from then on wins.
	// Starting a chain thus writes one row instead of two (see
	// ChainAttributes, the function).
	ChainAttributes map[string]string `json:",omitempty"`
	// FlowLogging is whether the contact's flows write flow logs.
	FlowLogging bool          `json:",omitzero"`
	Chat        *ChatDetails  `json:",omitempty"`
	Email       *EmailDetails `json:",omitempty"`
}

// ChatDetails are the chat-specific parts of a contact.
type ChatDetails struct {
	ParticipantID            string
	ParticipantToken         string
	DisplayName              string
	DurationMinutes          int
	SupportedContentTypes    []string
	InitialMessageType       string
	InitialMessage           string
	ResponseMode             string
	DisconnectOnCustomerExit []string
	ContinuedFromContactID   string
	RehydrationType          string
}

// EmailDetails are the email-specific parts of a contact.
type EmailDetails struct {
	From              Endpoint
	Destination       string
	To, Cc            []Endpoint
	Subject, Body     string
	ContentType       string
	Headers           map[string]string
	Attachments       []Attachment
	MessageSourceType string
}

// Contact states.
const (
	StateInitiated = "INITIATED"
	StateScheduled = "SCHEDULED"
	StateQueued    = "QUEUED"
	StateConnected = "CONNECTED"
	// StatePaused is a task PauseContact took out of its queue or off its
	// agent's slot.
	StatePaused = "PAUSED"
	StateEnded  = "ENDED"
)

// DefaultQueuePriority is the routing priority of a contact nobody set one
// for (lower routes first).
const DefaultQueuePriority = 5

// Ended reports whether the contact is over.
func (c *Contact) Ended() bool { return c.State == StateEnded }

// attributesOf returns the contact's user-defined attributes (shared by
// its chain), a map the caller may change.
func (s *Service) attributesOf(tx ReadTx, c *Contact) (map[string]string, error) {
	if c.ID != c.InitialContactID {
		return ChainAttributes(tx, c.InstanceID, c.InitialContactID)
	}
	attrs, err := getDoc[map[string]string](tx, KindAttributes, c.InstanceID, c.ID)
	if errors.Is(err, ErrStoreNotFound) {
		// Still as the chain started: kept in this very contact's row.
		attrs := maps.Clone(c.ChainAttributes)
		if attrs == nil {
			attrs = map[string]string{}
		}
		return attrs, nil
	}
	if err != nil {
		return nil, err
	}
	return *attrs, nil
}

// ChainAttributes returns the user-defined attributes of the chain that
// initialContactID started: its attribute record once they have changed,
// else those its first contact's row kept as the chain started
// (Contact.ChainAttributes), else none.
func ChainAttributes(tx ReadTx, instanceID, initialContactID string) (map[string]string, error) {
	attrs, err := getDoc[map[string]string](tx, KindAttributes, instanceID, initialContactID)
	if err == nil {
		return *attrs, nil
	}
	if !errors.Is(err, ErrStoreNotFound) {
		return nil, err
	}
	row, err := tx.GetContact(instanceID, initialContactID)
	if errors.Is(err, ErrStoreNotFound) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	var first struct{ ChainAttributes map[string]string }
	if err := json.Unmarshal(row.Data, &first); err != nil {
		return nil, fmt.Errorf("decode contact %s: %w", initialContactID, err)
	}
	if first.ChainAttributes == nil {
		return map[string]string{}, nil
	}
	return first.ChainAttributes, nil
}

// inlineAttributesMax bounds, in bytes of keys and values, the attributes a
// new chain keeps in its first contact's row instead of a record of their
// own. Every later write of that row carries them, so large ones get their
// record at once.
const inlineAttributesMax = 1024

// putAttributes stores the attributes of a chain.
func (s *Service) putAttributes(tx Tx, instanceID, initialContactID string, attrs map[string]string, now time.Time) error {
	if attrs == nil {
		attrs = map[string]string{}
	}
	return putDoc(tx, KindAttributes, instanceID, initialContactID, "", now, now, attrs)
}

// getContact loads a contact; unknown → ResourceNotFoundException.
func (s *Service) getContact(tx ReadTx, instanceID, contactID string) (*Contact, error) {
	row, err := tx.GetContact(instanceID, contactID)
	if errors.Is(err, ErrStoreNotFound) {
		return nil, Errorf(ErrNotFound, "Contact not found: %s in instance %s.", clip(contactID, 256), instanceID)
	}
	if err != nil {
		return nil, err
	}
	return decodeContact(row)
}

// endPause adds a pause that ends at now to the task's pause totals.
func (c *Contact) endPause(now time.Time) {
	d := int64(now.Sub(c.LastPausedTime) / time.Second)
	c.PausedSeconds += d
	if c.PausedFrom == StateConnected {
		c.AgentPausedSeconds += d
	}
}

// contactIn resolves an instance (ID or ARN) and loads one of its
// contacts: how the operations on one contact open.
func (s *Service) contactIn(tx ReadTx, instanceID, contactID string) (string, *Contact, error) {
	iid, err := s.instanceID(tx, instanceID)
	if err != nil {
		return "", nil, err
	}
	c, err := s.getContact(tx, iid, contactID)
	return iid, c, err
}

func decodeContact(row ContactRow) (*Contact, error) {
	c := new(Contact)
	if err := json.Unmarshal(row.Data, c); err != nil {
		return nil, fmt.Errorf("decode contact %s: %w", row.ID, err)
	}
	return c, nil
}

// putContact stores a contact with its indexed columns.
func (s *Service) putContact(tx Tx, c *Contact) error {
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode contact %s: %w", c.ID, err)
	}
	return tx.PutContact(ContactRow{
		InstanceID: c.InstanceID, ID: c.ID, InitialContactID: c.InitialContactID,
		PreviousContactID: c.PreviousContactID, RelatedContactID: c.RelatedContactID,
		Channel: c.Channel, InitiationMethod: c.InitiationMethod, QueueID: c.QueueID, AgentID: c.AgentID,
		Active: !c.Ended(), InitiationTime: c.InitiationTime, ScheduledTime: c.ScheduledTime,
		EnqueueTime: c.EnqueueTime, ConnectedToAgentTime: c.ConnectedToAgentTime,
		DisconnectTime: c.DisconnectTime, ExpiryTime: c.ExpiryTime, Data: data,
	})
}

// ContactView is a contact with its attributes, as DescribeContact shows it.
type ContactView struct {
	Contact
	Attributes map[string]string
}

// DescribeContact returns a contact and its attributes.
func (s *Service) DescribeContact(ctx context.Context, instanceID, contactID string) (*ContactView, error) {
	var out *ContactView
	err := s.view(ctx, func(tx ReadTx) error {
		_, c, err := s.contactIn(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		attrs, err := s.attributesOf(tx, c)
		if err != nil {
			return err
		}
		out = &ContactView{Contact: *c, Attributes: attrs}
		return nil
	})
	return out, err
}

// ContactARN is the ARN of a contact.
func (s *Service) ContactARN(instanceID, contactID string) string {
	return s.resourceARN(instanceID, "contact", contactID)
}

// newContact returns a contact with the fields every start operation sets.
// id is new (s.newID); the operations that take a ClientToken make it
// first, to claim the token with it.
func (s *Service) newContact(id, instanceID, channel, method string, now time.Time) *Contact {
	return &Contact{
		ID: id, Arn: s.ContactARN(instanceID, id), InstanceID: instanceID, InitialContactID: id,
		ContactAssociationID: id, Channel: channel, InitiationMethod: method, State: StateInitiated,
		InitiationTime: now, LastUpdateTime: now, QueuePriority: DefaultQueuePriority,
	}
}

// The system tags Connect puts on every contact (for granular billing).
// They are not stored: AllTags adds them wherever tags are shown or
// searched, and TagContact and UntagContact cannot touch them (the
// model's key pattern refuses "aws:").
const (
	TagInstanceID     = "aws:connect:instanceId"
	TagSystemEndpoint = "aws:connect:systemEndpoint"
)

// AllTags are the contact's tags as Connect shows them: the user's, plus
// aws:connect:instanceId and, when the contact has a system endpoint (the
// number or address the customer reached, or was reached from),
// aws:connect:systemEndpoint.
func (c *Contact) AllTags() map[string]string {
	out := make(map[string]string, len(c.Tags)+2)
	maps.Copy(out, c.Tags)
	out[TagInstanceID] = c.InstanceID
	if c.SystemEndpoint != nil && c.SystemEndpoint.Address != "" {
		out[TagSystemEndpoint] = c.SystemEndpoint.Address
	}
	return out
}

// countActive counts an instance's active contacts of a channel.
func countActive(tx ReadTx, instanceID, channel string) (int, error) {
	return tx.CountContacts(ContactQuery{InstanceID: instanceID, Channels: []string{channel}, ActiveOnly: true})
}

// flowID resolves a flow ID or ARN to the ID of an existing flow of the
// instance, without reading the flow document.
func (s *Service) flowID(tx ReadTx, instanceID, flowID string) (string, error) {
	id := idFromARN(flowID, "contact-flow")
	ok, err := tx.HasRecord(KindContactFlow, instanceID, id)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", Errorf(ErrNotFound, "Contact flow not found: %s in instance %s. ListContactFlows shows the flows of the instance.", clip(flowID, 500), instanceID)
	}
	return id, nil
}

// relatedAttributes returns the attributes of the related contact (copied
// into a new contact), checking it exists.
func (s *Service) relatedAttributes(tx ReadTx, instanceID, relatedID string) (map[string]string, error) {
	if relatedID == "" {
		return map[string]string{}, nil
	}
	rel, err := s.getContact(tx, instanceID, relatedID)
	if err != nil {
		return nil, err
	}
	attrs, err := s.attributesOf(tx, rel)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(attrs))
	for k, v := range attrs {
		out[k] = v
	}
	return out, nil
}

// mergeAttributes returns base with add applied on top.
func mergeAttributes(base, add map[string]string) map[string]string {
	out := make(map[string]string, len(base)+len(add))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range add {
		out[k] = v
	}
	return out
}

// TaskTemplateARN is the ARN of a task template.
func (s *Service) TaskTemplateARN(instanceID, id string) string {
	return s.resourceARN(instanceID, "task-template", id)
}
