package events

import (
	"encoding/json"
	"slices"
	"time"
)

// AgentEvent is one agent event stream record, as Connect writes to Kinesis.
// Keys are PascalCase and absent values are written as null, both as in real
// records; fields are declared in the alphabetical order the records use.
// Build one with NewAgentEvent so Version is right.
type AgentEvent struct {
	AWSAccountID         string         `json:"AWSAccountId"`
	AgentARN             string         `json:"AgentARN"`
	CurrentAgentSnapshot *AgentSnapshot `json:"CurrentAgentSnapshot"`
	EventID              string         `json:"EventId"` // a UUID; receivers dedupe on it
	EventTimestamp       Timestamp      `json:"EventTimestamp"`
	EventType            string         `json:"EventType"` // LOGIN | LOGOUT | STATE_CHANGE | HEART_BEAT
	InstanceARN          string         `json:"InstanceARN"`
	// PreviousAgentSnapshot is the agent before the change (STATE_CHANGE),
	// or null when there is no earlier state to report.
	PreviousAgentSnapshot *AgentSnapshot `json:"PreviousAgentSnapshot"`
	Version               string         `json:"Version"` // "2019-05-25"
}

// AgentSnapshot is the agent's status, configuration and contacts at one
// moment.
type AgentSnapshot struct {
	AgentStatus   AgentStatus        `json:"AgentStatus"`
	Configuration AgentConfiguration `json:"Configuration"`
	// Contacts is never null: an agent without contacts has [], as in real
	// records.
	Contacts        []AgentContact   `json:"Contacts"`
	NextAgentStatus *NextAgentStatus `json:"NextAgentStatus"`
}

// MarshalJSON writes nil Contacts as [], so callers need not remember to.
func (s AgentSnapshot) MarshalJSON() ([]byte, error) {
	type plain AgentSnapshot // drops this method, so Marshal does not recurse
	p := plain(s)
	if p.Contacts == nil {
		p.Contacts = []AgentContact{}
	}
	return json.Marshal(p)
}

// AgentStatus is the status set in the CCP (spec §3.5).
type AgentStatus struct {
	ARN            string    `json:"ARN"`
	Name           string    `json:"Name"`
	StartTimestamp Timestamp `json:"StartTimestamp"`
	Type           string    `json:"Type"` // ROUTABLE | CUSTOM | OFFLINE
}

// NextAgentStatus is the status the agent asked for while busy; routing of
// new contacts is paused from EnqueueTimestamp until it applies.
type NextAgentStatus struct {
	ARN              string    `json:"ARN"`
	Name             string    `json:"Name"`
	EnqueueTimestamp Timestamp `json:"EnqueueTimestamp"`
}

// AgentConfiguration is the agent's user configuration.
type AgentConfiguration struct {
	AgentHierarchyGroups *AgentHierarchyGroups `json:"AgentHierarchyGroups"`
	FirstName            string                `json:"FirstName"`
	LastName             string                `json:"LastName"`
	// Proficiencies are left out when the agent has none, rather than null,
	// because older consumers predate the key.
	Proficiencies  []Proficiency  `json:"Proficiencies,omitempty"`
	RoutingProfile RoutingProfile `json:"RoutingProfile"`
	Username       string         `json:"Username"`
}

// AgentHierarchyGroups are the agent's hierarchy groups; unused levels are
// null.
type AgentHierarchyGroups struct {
	Level1 *HierarchyGroup `json:"Level1"`
	Level2 *HierarchyGroup `json:"Level2"`
	Level3 *HierarchyGroup `json:"Level3"`
	Level4 *HierarchyGroup `json:"Level4"`
	Level5 *HierarchyGroup `json:"Level5"`
}

// HierarchyGroup is one hierarchy group.
type HierarchyGroup struct {
	ARN  string `json:"ARN"`
	Name string `json:"Name"`
}

// Proficiency is a predefined attribute the agent has at a level.
type Proficiency struct {
	Level float64 `json:"Level"`
	Name  string  `json:"Name"`
	Value string  `json:"Value"`
}

// RoutingProfile is the agent's routing profile.
type RoutingProfile struct {
	ARN                  string               `json:"ARN"`
	Concurrency          []ChannelConcurrency `json:"Concurrency"`
	DefaultOutboundQueue Queue                `json:"DefaultOutboundQueue"`
	InboundQueues        []Queue              `json:"InboundQueues"`
	Name                 string               `json:"Name"`
}

// ChannelConcurrency is how many contacts of a channel the agent may hold
// and how many more it can take now.
type ChannelConcurrency struct {
	AvailableSlots int    `json:"AvailableSlots"`
	Channel        string `json:"Channel"`
	MaximumSlots   int    `json:"MaximumSlots"`
}

// Queue names a queue. Channels appears on routing-profile queues only, so
// it is left out when empty (a contact's Queue has just ARN and Name).
type Queue struct {
	ARN      string   `json:"ARN"`
	Channels []string `json:"Channels,omitempty"`
	Name     string   `json:"Name"`
}

// AgentContact is one contact the agent holds, with its agent-side state
// (spec §1.4).
type AgentContact struct {
	Channel                   string     `json:"Channel"`
	ConnectedToAgentTimestamp Timestamp  `json:"ConnectedToAgentTimestamp"`
	ContactID                 string     `json:"ContactId"`
	InitialContactID          NullString `json:"InitialContactId"`
	InitiationMethod          string     `json:"InitiationMethod"`
	Queue                     *Queue     `json:"Queue"`
	QueueTimestamp            Timestamp  `json:"QueueTimestamp"`
	State                     string     `json:"State"` // INCOMING | PENDING | CONNECTING | CONNECTED | CONNECTED_ONHOLD | MISSED | ERROR | ENDED | REJECTED | PAUSED
	StateStartTimestamp       Timestamp  `json:"StateStartTimestamp"`
}

// NewAgentEvent returns an agent event of type eventType with the stream's
// Version set; the caller fills the snapshots.
func NewAgentEvent(eventID, eventType, accountID, instanceARN, agentARN string, at time.Time) *AgentEvent {
	return &AgentEvent{
		AWSAccountID:   accountID,
		AgentARN:       agentARN,
		EventID:        eventID,
		EventTimestamp: At(at),
		EventType:      eventType,
		InstanceARN:    instanceARN,
		Version:        agentEventStreamVersion,
	}
}

// Meta implements Event. An agent event's channels are those of the contacts
// in either snapshot, so a channel filter keeps the STATE_CHANGE that
// removes a chat as well as the ones that add it.
func (e *AgentEvent) Meta() Meta {
	var ch []string
	for _, s := range []*AgentSnapshot{e.CurrentAgentSnapshot, e.PreviousAgentSnapshot} {
		if s == nil {
			continue
		}
		for _, c := range s.Contacts {
			if c.Channel != "" && !slices.Contains(ch, c.Channel) {
				ch = append(ch, c.Channel)
			}
		}
	}
	return Meta{
		Kind:       KindAgent,
		Type:       e.EventType,
		ID:         e.EventID,
		InstanceID: InstanceID(e.InstanceARN),
		Channels:   ch,
		Time:       e.EventTimestamp.Time(),
	}
}

func (*AgentEvent) isEvent() {}
