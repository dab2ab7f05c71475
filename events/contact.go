package events

import (
	"encoding/json"
	"fmt"
	"time"
)

// ContactEvent is one EventBridge "Amazon Connect Contact Event". The
// envelope keys are EventBridge's; Detail carries Connect's camelCase fields.
// Build one with NewContactEvent so the constant envelope fields are right.
type ContactEvent struct {
	Version    string        `json:"version"`     // EventBridge envelope version, "0"
	ID         string        `json:"id"`          // unique per event; receivers dedupe on it
	DetailType string        `json:"detail-type"` // "Amazon Connect Contact Event"
	Source     string        `json:"source"`      // "aws.connect"
	Account    string        `json:"account"`     // 12-digit account id
	Time       time.Time     `json:"time"`        // written with whole seconds, like EventBridge
	Region     string        `json:"region"`
	Resources  []string      `json:"resources"` // [instance ARN, contact ARN]
	Detail     ContactDetail `json:"detail"`
}

// ContactDetail is the event's detail. Unset fields are left out, as Connect
// leaves out what does not apply (queueInfo for outbound voice, agentInfo
// before an agent connects, …).
type ContactDetail struct {
	EventType                  string                           `json:"eventType"`
	ContactID                  string                           `json:"contactId"`
	InitialContactID           string                           `json:"initialContactId,omitempty"`
	PreviousContactID          string                           `json:"previousContactId,omitempty"`
	RelatedContactID           string                           `json:"relatedContactId,omitempty"`
	Channel                    string                           `json:"channel"`
	InstanceARN                string                           `json:"instanceArn"`
	InitiationMethod           string                           `json:"initiationMethod"`
	InitiationTimestamp        Timestamp                        `json:"initiationTimestamp,omitzero"`
	ConnectedToSystemTimestamp Timestamp                        `json:"connectedToSystemTimestamp,omitzero"`
	DisconnectTimestamp        Timestamp                        `json:"disconnectTimestamp,omitzero"`
	ScheduledTimestamp         Timestamp                        `json:"scheduledTimestamp,omitzero"`
	QueueInfo                  *QueueInfo                       `json:"queueInfo,omitempty"`
	AgentInfo                  *AgentInfo                       `json:"agentInfo,omitempty"`
	UpdatedProperties          []string                         `json:"updatedProperties,omitempty"` // CONTACT_DATA_UPDATED only
	SegmentAttributes          map[string]SegmentAttributeValue `json:"segmentAttributes,omitempty"`
	RoutingCriteria            *RoutingCriteria                 `json:"routingCriteria,omitempty"`
	DisconnectReason           string                           `json:"disconnectReason,omitempty"`
	Tags                       map[string]string                `json:"tags,omitempty"`
}

// QueueInfo says where the contact waits.
type QueueInfo struct {
	QueueARN         string    `json:"queueArn"`
	QueueType        string    `json:"queueType"` // STANDARD | AGENT
	EnqueueTimestamp Timestamp `json:"enqueueTimestamp,omitzero"`
}

// AgentInfo says which agent has the contact. The after-contact-work fields
// appear on COMPLETED when the agent did ACW (spec §1.3).
type AgentInfo struct {
	AgentARN                       string           `json:"agentArn"`
	ConnectedToAgentTimestamp      Timestamp        `json:"connectedToAgentTimestamp,omitzero"`
	HierarchyGroups                *HierarchyGroups `json:"hierarchyGroups,omitempty"`
	AfterContactWorkStartTimestamp Timestamp        `json:"afterContactWorkStartTimestamp,omitzero"`
	AfterContactWorkEndTimestamp   Timestamp        `json:"afterContactWorkEndTimestamp,omitzero"`
	AfterContactWorkDuration       *int64           `json:"afterContactWorkDuration,omitempty"` // whole seconds; a pointer because 0 s is a real value
}

// HierarchyGroups are the agent's hierarchy groups, level 1 to 5.
type HierarchyGroups struct {
	Level1 *HierarchyGroupRef `json:"level1,omitempty"`
	Level2 *HierarchyGroupRef `json:"level2,omitempty"`
	Level3 *HierarchyGroupRef `json:"level3,omitempty"`
	Level4 *HierarchyGroupRef `json:"level4,omitempty"`
	Level5 *HierarchyGroupRef `json:"level5,omitempty"`
}

// HierarchyGroupRef names one hierarchy group by ARN.
type HierarchyGroupRef struct {
	ARN string `json:"arn"`
}

// SegmentAttributeValue is one segment attribute, with the Connect API's own
// member names (ValueString, …), which the events reuse unchanged.
type SegmentAttributeValue struct {
	ValueString  *string                          `json:"ValueString,omitempty"`
	ValueMap     map[string]SegmentAttributeValue `json:"ValueMap,omitempty"`
	ValueInteger *int64                           `json:"ValueInteger,omitempty"`
	ValueList    []SegmentAttributeValue          `json:"ValueList,omitempty"`
	ValueArn     *string                          `json:"ValueArn,omitempty"`
}

// RoutingCriteria is the contact's routing criteria at the time of the event.
type RoutingCriteria struct {
	Steps               []RoutingStep `json:"steps"`
	ActivationTimestamp Timestamp     `json:"activationTimestamp,omitzero"`
	Index               int           `json:"index"`
}

// RoutingStep is one step of the criteria.
type RoutingStep struct {
	Expiry *RoutingStepExpiry `json:"expiry,omitempty"`
	// Expression is kept as raw JSON: the routing package owns the expression
	// grammar, and re-modelling it here would only let the two drift apart.
	Expression json.RawMessage `json:"expression,omitempty"`
	Status     string          `json:"status"` // ACTIVE | INACTIVE | JOINED | EXPIRED
}

// RoutingStepExpiry is when a step stops applying.
type RoutingStepExpiry struct {
	DurationInSeconds int64     `json:"durationInSeconds"`
	ExpiryTimestamp   Timestamp `json:"expiryTimestamp,omitzero"`
}

// NewContactEvent wraps detail in an EventBridge envelope: the constant
// fields, the time (at), and resources [instance ARN, contact ARN] derived
// from detail, as Connect fills them.
func NewContactEvent(id, account, region string, at time.Time, detail ContactDetail) *ContactEvent {
	return &ContactEvent{
		Version:    contactEventVersion,
		ID:         id,
		DetailType: contactEventDetailType,
		Source:     contactEventSource,
		Account:    account,
		Time:       at,
		Region:     region,
		Resources:  []string{detail.InstanceARN, detail.InstanceARN + "/contact/" + detail.ContactID},
		Detail:     detail,
	}
}

// Meta implements Event.
func (e *ContactEvent) Meta() Meta {
	var ch []string
	if e.Detail.Channel != "" {
		ch = []string{e.Detail.Channel}
	}
	return Meta{
		Kind:       KindContact,
		Type:       e.Detail.EventType,
		ID:         e.ID,
		InstanceID: InstanceID(e.Detail.InstanceARN),
		Channels:   ch,
		Time:       e.Time,
	}
}

func (*ContactEvent) isEvent() {}

// contactEventWire is the envelope as EventBridge writes it. It repeats the
// fields, rather than embedding an alias, so that "time" keeps its place
// between account and region.
type contactEventWire struct {
	Version    string        `json:"version"`
	ID         string        `json:"id"`
	DetailType string        `json:"detail-type"`
	Source     string        `json:"source"`
	Account    string        `json:"account"`
	Time       string        `json:"time"`
	Region     string        `json:"region"`
	Resources  []string      `json:"resources"`
	Detail     ContactDetail `json:"detail"`
}

// MarshalJSON writes the envelope time with whole seconds in UTC.
func (e ContactEvent) MarshalJSON() ([]byte, error) {
	return json.Marshal(contactEventWire{
		Version: e.Version, ID: e.ID, DetailType: e.DetailType, Source: e.Source, Account: e.Account,
		Time: e.Time.UTC().Format(envelopeTimeLayout), Region: e.Region, Resources: e.Resources, Detail: e.Detail,
	})
}

// UnmarshalJSON reads what MarshalJSON (or EventBridge) writes.
func (e *ContactEvent) UnmarshalJSON(b []byte) error {
	var w contactEventWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var t time.Time
	if w.Time != "" {
		var err error
		if t, err = time.Parse(time.RFC3339Nano, w.Time); err != nil {
			return fmt.Errorf("contact event time: %w", err)
		}
	}
	*e = ContactEvent{
		Version: w.Version, ID: w.ID, DetailType: w.DetailType, Source: w.Source, Account: w.Account,
		Time: t, Region: w.Region, Resources: w.Resources, Detail: w.Detail,
	}
	return nil
}
