package events

import (
	"slices"
	"strings"
	"time"
)

// Kind says which stream an event belongs to.
type Kind string

// The two streams. The values are the words used by Filter and the
// `events=` key of a webhook spec.
const (
	KindContact Kind = "contact"
	KindAgent   Kind = "agent"
)

// Event is a *ContactEvent or an *AgentEvent. The interface is closed (it has
// an unexported method) so that the bus and the sinks can rely on the two
// shapes they know how to filter and serialise.
type Event interface {
	// Meta returns what the bus filters on and what sinks put in headers.
	Meta() Meta
	isEvent()
}

// Meta is the stream-independent view of an event.
type Meta struct {
	Kind       Kind
	Type       string // eventType / EventType, e.g. QUEUED, STATE_CHANGE
	ID         string // the envelope id / EventId; receivers dedupe on it
	InstanceID string // taken from the instance ARN
	// Channels are the channels the event concerns: the contact's channel,
	// or for an agent event every channel of a contact in either snapshot.
	Channels []string
	Time     time.Time
}

// Contact event types (detail.eventType), spec §1.3.
const (
	ContactInitiated         = "INITIATED"
	ContactConnectedToSystem = "CONNECTED_TO_SYSTEM"
	ContactDataUpdated       = "CONTACT_DATA_UPDATED"
	ContactQueued            = "QUEUED"
	ContactConnectedToAgent  = "CONNECTED_TO_AGENT"
	ContactDisconnected      = "DISCONNECTED"
	ContactCompleted         = "COMPLETED"
	ContactPaused            = "PAUSED"
	ContactResumed           = "RESUMED"
	contactTypesForMessages  = "INITIATED, CONNECTED_TO_SYSTEM, CONTACT_DATA_UPDATED, QUEUED, CONNECTED_TO_AGENT, DISCONNECTED, COMPLETED, PAUSED, RESUMED"
	agentTypesForMessages    = "LOGIN, LOGOUT, STATE_CHANGE, HEART_BEAT"
	channelsForMessages      = "VOICE, CHAT, TASK, EMAIL"
	contactEventDetailType   = "Amazon Connect Contact Event"
	contactEventSource       = "aws.connect"
	contactEventVersion      = "0"
	agentEventStreamVersion  = "2019-05-25"
)

// Agent event types (EventType), spec §3.5.
const (
	AgentLogin       = "LOGIN"
	AgentLogout      = "LOGOUT"
	AgentStateChange = "STATE_CHANGE"
	AgentHeartBeat   = "HEART_BEAT"
)

// ContactEventTypes lists the contact event types Switchboard emits.
var ContactEventTypes = []string{
	ContactInitiated, ContactConnectedToSystem, ContactDataUpdated, ContactQueued,
	ContactConnectedToAgent, ContactDisconnected, ContactCompleted, ContactPaused, ContactResumed,
}

// AgentEventTypes lists the agent event stream types.
var AgentEventTypes = []string{AgentLogin, AgentLogout, AgentStateChange, AgentHeartBeat}

// Channels lists the contact channels a Filter may name (spec §1.1).
var Channels = []string{"VOICE", "CHAT", "TASK", "EMAIL"}

// kindOfType says which stream an event type belongs to, or "" if unknown.
func kindOfType(t string) Kind {
	switch {
	case slices.Contains(ContactEventTypes, t):
		return KindContact
	case slices.Contains(AgentEventTypes, t):
		return KindAgent
	}
	return ""
}

// InstanceID returns the instance id inside an ARN such as
// arn:aws:connect:us-east-1:111122223333:instance/<id>[/contact/…], or s
// itself when it is not an ARN, so filters accept either spelling.
func InstanceID(s string) string {
	const marker = ":instance/"
	i := strings.Index(s, marker)
	if i < 0 {
		return s
	}
	rest := s[i+len(marker):]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	return rest
}
