package routing

import (
	"errors"
	"time"
)

// Channel is a contact's media channel. The zero value is Voice.
type Channel uint8

// The channels Amazon Connect routes. NumChannels sizes per-channel arrays.
const (
	Voice Channel = iota
	Chat
	Task
	Email
	NumChannels
)

var channelNames = [NumChannels]string{"VOICE", "CHAT", "TASK", "EMAIL"}

// String returns the Connect spelling (VOICE, CHAT, TASK, EMAIL).
func (c Channel) String() string {
	if c < NumChannels {
		return channelNames[c]
	}
	return "UNKNOWN"
}

// MarshalText renders the Connect spelling, so channels read well in JSON.
func (c Channel) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// ParseChannel maps a Connect channel name to a Channel.
func ParseChannel(s string) (Channel, bool) {
	for i, n := range channelNames {
		if n == s {
			return Channel(i), true
		}
	}
	return 0, false
}

// CrossChannel is a media concurrency's CrossChannelBehavior. The zero value
// is the Connect default, ROUTE_CURRENT_CHANNEL_ONLY.
type CrossChannel uint8

// Cross-channel behaviours of a routing profile's media concurrency.
const (
	// RouteCurrentChannelOnly: while the agent holds a contact on this
	// channel, only further contacts of this channel may be offered.
	RouteCurrentChannelOnly CrossChannel = iota
	// RouteAnyChannel: contacts on this channel do not stop the agent from
	// being offered contacts on other channels.
	RouteAnyChannel
)

// String returns the Connect spelling.
func (b CrossChannel) String() string {
	if b == RouteAnyChannel {
		return "ROUTE_ANY_CHANNEL"
	}
	return "ROUTE_CURRENT_CHANNEL_ONLY"
}

// AvailabilityTimer is a routing profile's AgentAvailabilityTimer: which
// clock ranks agents when several could take a contact.
type AvailabilityTimer uint8

// Agent availability timers. The zero value is the Connect default.
const (
	// TimeSinceLastActivity ranks by the last time the agent became
	// routable, was offered a contact or had a contact slot freed.
	TimeSinceLastActivity AvailabilityTimer = iota
	// TimeSinceLastInbound ranks by the last time the agent was offered a
	// routed contact (status changes and outbound work do not count).
	TimeSinceLastInbound
)

// QueueConfig puts one queue+channel in an agent's routing profile.
type QueueConfig struct {
	QueueID string
	Channel Channel
	// Priority is 1..99; 1 is served first. Values outside are clamped.
	Priority int
	// Delay is how long a contact must have been in the queue before this
	// agent is considered for it (Connect: 0..9999 s).
	Delay time.Duration
}

// Concurrency is a routing profile's media concurrency for one channel.
type Concurrency struct {
	// Slots is how many contacts of the channel the agent may hold at once
	// (VOICE 1, others up to 10). 0 means the channel is not in the profile.
	Slots        int
	CrossChannel CrossChannel
}

// Proficiency is one predefined-attribute proficiency of an agent.
type Proficiency struct {
	Name, Value string
	Level       float64 // 1.0..5.0
}

// AgentParams configures an agent: its routing profile and proficiencies.
// Status (routable or not) and held contacts are set separately because they
// change far more often.
type AgentParams struct {
	ID     string
	Queues []QueueConfig
	// Concurrency is indexed by Channel; a zero Slots leaves the channel out.
	Concurrency       [NumChannels]Concurrency
	AvailabilityTimer AvailabilityTimer
	Proficiencies     []Proficiency
}

// Operator is an AttributeCondition's ComparisonOperator.
type Operator string

// Comparison operators of routing-criteria conditions.
const (
	OpGreaterOrEqual Operator = "NumberGreaterOrEqualTo"
	OpRange          Operator = "Range"
	OpMatch          Operator = "Match"
)

// Condition is an AttributeCondition (or the body of a
// NotAttributeCondition).
type Condition struct {
	Name               string   `json:",omitempty"`
	Value              string   `json:",omitempty"`
	ComparisonOperator Operator `json:",omitempty"`
	// ProficiencyLevel is the minimum level for NumberGreaterOrEqualTo.
	ProficiencyLevel float64 `json:",omitempty"`
	// MinProficiencyLevel and MaxProficiencyLevel bound Range (inclusive).
	MinProficiencyLevel float64 `json:",omitempty"`
	MaxProficiencyLevel float64 `json:",omitempty"`
	// AgentIDs are the preferred agents of Match.
	AgentIDs []string `json:",omitempty"`
}

// Expression selects agents for a routing step. Normally one member is set;
// And and Or set together are combined with AND. The domain package
// validates shapes (OR only at the top, AND inside OR); the engine evaluates
// whatever it is given. An empty Expression matches every agent.
type Expression struct {
	AttributeCondition    *Condition   `json:",omitempty"`
	NotAttributeCondition *Condition   `json:",omitempty"`
	AndExpression         []Expression `json:",omitempty"`
	OrExpression          []Expression `json:",omitempty"`
}

// Step is one routing-criteria step.
type Step struct {
	Expression Expression
	// ExpirySeconds is how long the step stays ACTIVE without a join; nil
	// means it never expires (the contact then waits for a matching agent).
	ExpirySeconds *int32
}

// StepStatus is a routing step's status as Connect reports it.
type StepStatus string

// Step statuses the engine reports.
const (
	StepActive   StepStatus = "ACTIVE"
	StepInactive StepStatus = "INACTIVE"
	StepExpired  StepStatus = "EXPIRED"
	StepJoined   StepStatus = "JOINED"
)

// DefaultQueuePriority is Connect's QueuePriority when none is set.
const DefaultQueuePriority = 5

// ContactParams enqueues a contact.
type ContactParams struct {
	ID      string
	QueueID string
	Channel Channel
	// EnqueuedAt is when the contact entered the queue; zero means now.
	// Runtimes restoring state after a restart pass the original time.
	EnqueuedAt time.Time
	// QueuePriority orders contacts, lower first; 0 means
	// DefaultQueuePriority.
	QueuePriority int64
	// QueueTimeAdjustment is added to the routing age (may be negative).
	QueueTimeAdjustment time.Duration
	// AgentID targets the contact at one agent (the agent's agent queue):
	// it outranks every standard queue, has no delay and ignores Criteria.
	AgentID string
	// Criteria are routing-criteria steps, activated at CriteriaActivatedAt
	// (zero: EnqueuedAt).
	Criteria            []Step
	CriteriaActivatedAt time.Time
}

// ContactUpdate changes a queued contact; nil fields are left alone.
type ContactUpdate struct {
	QueuePriority *int64
	// QueueTimeAdjustment replaces (does not add to) the adjustment.
	QueueTimeAdjustment *time.Duration
	// Criteria replaces the routing criteria and activates them now. An
	// empty, non-nil slice clears them.
	Criteria *[]Step
}

// Offer is a routing decision: the contact is reserved for the agent, who
// holds a slot for it until Reject, Remove or (after Accept) Release.
type Offer struct {
	ContactID string
	AgentID   string
	QueueID   string
	Channel   Channel
	// Step is the index of the routing step the agent matched, or -1 when
	// the contact was routed without criteria.
	Step int
	At   time.Time
}

// StepChange reports a routing-step status change, for the runtime's
// CONTACT_DATA_UPDATED event (RoutingCriteria.Step.Status).
type StepChange struct {
	ContactID string
	Step      int
	Status    StepStatus
	At        time.Time
}

// Result is everything a call decided. The caller owns it.
type Result struct {
	Offers []Offer
	Steps  []StepChange
	// Withdrawn lists offers cancelled because their agent was removed.
	Withdrawn []Offer
	// Wake is when the engine next needs Advance; zero if never.
	Wake time.Time
}

// Errors returned by Engine methods (wrapped with the offending ID).
var (
	ErrUnknownAgent   = errors.New("routing: unknown agent")
	ErrUnknownContact = errors.New("routing: unknown contact")
	ErrDuplicate      = errors.New("routing: contact already known")
	ErrNotOffered     = errors.New("routing: contact is not offered")
	ErrOffered        = errors.New("routing: contact is offered to an agent")
	ErrInvalid        = errors.New("routing: invalid argument")
)
