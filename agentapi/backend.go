// Package agentapi is Switchboard's agent side: the API a web workspace,
// a script or a test uses to act as an agent. Amazon Connect keeps its own
// agent side (the CCP and its Streams protocol) private, so this one is ours,
// documented in README.md: an agent logs in with the user's credentials,
// sets a status, receives offers in real time over a WebSocket or
// Server-Sent Events, accepts or rejects them, ends contacts and completes
// after-contact work.
//
// The package is only the protocol. Everything an agent does is delegated to
// a Backend, which the contact-center runtime implements; the package keeps
// nothing but sessions, login throttling and the open streams.
package agentapi

import (
	"context"
	"time"
)

// Backend is what the agent API needs from the contact-center runtime.
//
// Every method returns either nil, an *Error whose Code the API maps to an
// HTTP status (see the codes listed on each method), or some other error,
// which the API logs and reports to the client as an opaque "internal"
// failure. Messages of *Error values are shown to the agent verbatim, so they
// should say what to do.
//
// Methods are called concurrently, from request goroutines; ctx is the
// request's context.
type Backend interface {
	// Authenticate checks a CONNECT_MANAGED user's username and password in
	// an instance and returns the user's id. It must compare secrets in
	// constant time. An unknown instance, an unknown user and a wrong
	// password all return CodeInvalidCredentials, so that a caller cannot
	// tell which one was wrong. CodeAccessDenied is for a real user who may
	// not act as an agent (no routing profile, say).
	Authenticate(ctx context.Context, instanceID, username, password string) (userID string, err error)

	// SetStatus sets the agent's status by id, never by name: §3.5 lets the
	// default statuses be renamed, ids are stable, and the snapshot lists
	// the id of every status the agent may choose. Returns
	// CodeStatusNotFound for an unknown or disabled status.
	SetStatus(ctx context.Context, instanceID, userID, statusID string) error

	// Snapshot returns the agent's current status, contacts and slots.
	Snapshot(ctx context.Context, instanceID, userID string) (AgentSnapshot, error)

	// Accept connects an offered contact (state CONNECTING or INCOMING) to
	// the agent. Returns CodeContactNotFound when the agent has no such
	// contact and CodeInvalidState when it is not on offer to them (already
	// accepted, missed, withdrawn...).
	Accept(ctx context.Context, instanceID, userID, contactID string) error

	// Reject declines an offer: the runtime re-queues the contact for
	// another agent (§3.3), and the agent keeps it as REJECTED (MISSED for
	// voice, §1.4) until CompleteContact. Errors as for Accept.
	Reject(ctx context.Context, instanceID, userID, contactID string) error

	// EndContact ends the agent's conversation: the contact goes to ENDED
	// and the agent into after-contact work. Returns CodeInvalidState when
	// the contact is not connected.
	EndContact(ctx context.Context, instanceID, userID, contactID string) error

	// CompleteContact clears after-contact work (or a MISSED/REJECTED/ERROR
	// contact) and frees the slot. Returns CodeInvalidState while the
	// contact is still on offer or connected.
	CompleteContact(ctx context.Context, instanceID, userID, contactID string) error

	// Subscribe streams the agent's updates until ctx ends. The backend
	// must never block on a send for long (the API reads promptly, but
	// select on ctx.Done() too) and must close the channel once ctx is done;
	// the API keeps draining the channel until then. Updates are
	// best-effort: a client that reconnects starts again from a snapshot.
	Subscribe(ctx context.Context, instanceID, userID string) (<-chan AgentUpdate, error)
}

// The JSON tags below are this API's documented wire shapes (README.md):
// these types exist only for the agent API, so they are not domain types
// with a shape dictated by someone else.

// AgentSnapshot is an agent's state at one moment.
type AgentSnapshot struct {
	UserID string `json:"userId"`
	// Status is the status the agent chose (or a supervisor set).
	Status AgentStatus `json:"status"`
	// Statuses are the enabled statuses the agent may choose from, in
	// display order, so a client can offer them by name and set them by id.
	Statuses []AgentStatus `json:"statuses"`
	// Contacts are the contacts the agent holds in any state, offers
	// included, oldest first.
	Contacts []AgentContact `json:"contacts"`
	// Slots are the agent's concurrency per channel.
	Slots []ChannelSlots `json:"slots"`
}

// AgentStatus is an agent status (§3.5).
type AgentStatus struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Type is ROUTABLE, CUSTOM or OFFLINE.
	Type string `json:"type"`
	// Since is when the agent entered the status; zero in Statuses.
	Since time.Time `json:"since,omitzero"`
}

// ChannelSlots is one channel's concurrency for the agent.
type ChannelSlots struct {
	// Channel is VOICE, CHAT, TASK or EMAIL.
	Channel string `json:"channel"`
	// Max comes from the routing profile; Used counts contacts holding a
	// slot (offered, connected or in after-contact work).
	Max  int `json:"max"`
	Used int `json:"used"`
}

// ContactState is the agent-side state of a contact (§1.4).
type ContactState string

// The agent-side contact states of §1.4.
const (
	StateIncoming        ContactState = "INCOMING"
	StatePending         ContactState = "PENDING"
	StateConnecting      ContactState = "CONNECTING"
	StateConnected       ContactState = "CONNECTED"
	StateConnectedOnHold ContactState = "CONNECTED_ONHOLD"
	StateMissed          ContactState = "MISSED"
	StateError           ContactState = "ERROR"
	StateEnded           ContactState = "ENDED"
	StateRejected        ContactState = "REJECTED"
	StatePaused          ContactState = "PAUSED"
)

// AgentContact is a contact as its agent sees it.
type AgentContact struct {
	ContactID string       `json:"contactId"`
	Channel   string       `json:"channel"`
	State     ContactState `json:"state"`
	// StateSince is when the contact entered State.
	StateSince       time.Time `json:"stateSince,omitzero"`
	Queue            *QueueRef `json:"queue,omitempty"`
	InitiationMethod string    `json:"initiationMethod,omitempty"`
	// Attributes are the contact's user-defined attributes.
	Attributes map[string]string `json:"attributes,omitempty"`
	// ExpiresAt is when an offer (CONNECTING or INCOMING) times out and the
	// contact becomes MISSED or REJECTED; zero otherwise.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
	// ParticipantID and ParticipantToken are set on a CHAT contact while
	// the agent is connected to it: the agent's participant in the chat.
	// The agent's client joins the conversation through the participant
	// service exactly as a customer does (CreateParticipantConnection with
	// the token in X-Amz-Bearer, then the WebSocket, SendMessage,
	// GetTranscript, DisconnectParticipant).
	ParticipantID    string `json:"participantId,omitempty"`
	ParticipantToken string `json:"participantToken,omitempty"`
}

// ContactEmail is the message of an email contact, as its agent reads it
// to answer it (with CreateContact and StartOutboundEmailContact, or
// SendOutboundEmail, through the Connect API).
type ContactEmail struct {
	ContactID string `json:"contactId"`
	// From is the customer; Destination the instance's address the mail
	// came to; To and Cc the other recipients it named.
	From        EmailAddress      `json:"from"`
	Destination string            `json:"destination"`
	To          []EmailAddress    `json:"to"`
	Cc          []EmailAddress    `json:"cc"`
	Subject     string            `json:"subject"`
	ContentType string            `json:"contentType"` // text/plain or text/html
	Body        string            `json:"body"`
	Headers     map[string]string `json:"headers"` // MESSAGE_ID, IN_REPLY_TO, REFERENCES as received
	Attachments []EmailAttachment `json:"attachments"`
}

// EmailAddress is an address with its display name.
type EmailAddress struct {
	Address     string `json:"address"`
	DisplayName string `json:"displayName,omitempty"`
}

// EmailAttachment is a file the email came with, where it can be fetched.
type EmailAttachment struct {
	FileName string `json:"fileName"`
	URL      string `json:"url"`
}

// QueueRef names the queue a contact came from.
type QueueRef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// UpdateType says what an AgentUpdate reports. It is the "type" of the
// stream message that carries it.
type UpdateType string

// Updates a backend sends. The stream adds its own message types (hello,
// heartbeat, closed; see README.md), which a backend never sends.
const (
	// UpdateOffer: a contact is offered to the agent; Contact is set, in
	// state CONNECTING (or INCOMING for a callback), with ExpiresAt.
	UpdateOffer UpdateType = "offer"
	// UpdateContact: a contact the agent holds changed state (accepted,
	// ended by the customer, missed on timeout...); Contact carries the new
	// state and Reason may say why.
	UpdateContact UpdateType = "contact"
	// UpdateContactRemoved: the contact no longer concerns the agent
	// (completed, withdrawn from an offer); Contact carries its last state.
	UpdateContactRemoved UpdateType = "contact_removed"
	// UpdateStatus: the agent's status changed; Status is set.
	UpdateStatus UpdateType = "status"
	// UpdateNotification: a notification was sent to the agent
	// (CreateNotification); Notification is set.
	UpdateNotification UpdateType = "notification"
)

// Notification is a notification to agents, as the stream carries it.
type Notification struct {
	ID string `json:"notificationId"`
	// Content is the text by locale (en_US, de_DE, …).
	Content   map[string]string `json:"content"`
	Priority  string            `json:"priority"` // URGENT | HIGH | LOW
	CreatedAt time.Time         `json:"createdAt"`
	ExpiresAt time.Time         `json:"expiresAt"`
	// Status is the agent's: UNREAD, READ or HIDDEN (in the list only; a
	// new one on the stream is UNREAD).
	Status string `json:"status,omitempty"`
}

// AgentUpdate is one event of an agent's stream.
type AgentUpdate struct {
	Type         UpdateType
	Contact      *AgentContact
	Status       *AgentStatus
	Notification *Notification
	// Reason is an optional machine-readable cause, such as
	// "customer_disconnected", "offer_timeout", "acw_timeout" or
	// "supervisor".
	Reason string
}
