package app

import (
	"encoding/json"

	"github.com/google/uuid"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/events"
)

// contactEvents turns the domain's contact events into EventBridge-shaped
// events on the bus.
type contactEvents struct {
	bus               *events.Bus
	svc               *domain.Service
	region, accountID string
}

var _ domain.EventSink = (*contactEvents)(nil)

// ContactEvent implements domain.EventSink.
func (e *contactEvents) ContactEvent(eventType string, c domain.Contact, _ map[string]string, updated []string) {
	if !e.bus.Wants(events.KindContact) {
		return
	}
	d := events.ContactDetail{
		EventType: eventType, ContactID: c.ID, InitialContactID: c.InitialContactID, PreviousContactID: c.PreviousContactID,
		RelatedContactID: c.RelatedContactID, Channel: c.Channel, InstanceARN: e.svc.InstanceARN(c.InstanceID),
		InitiationMethod: c.InitiationMethod, InitiationTimestamp: events.At(c.InitiationTime),
		ConnectedToSystemTimestamp: events.At(c.ConnectedToSystemTime), DisconnectTimestamp: events.At(c.DisconnectTime),
		ScheduledTimestamp: events.At(c.ScheduledTime), UpdatedProperties: updated, DisconnectReason: c.DisconnectReason, Tags: c.AllTags(),
	}
	if c.QueueID != "" {
		qt, arn := "STANDARD", e.svc.ResourceARN(c.InstanceID, domain.KindQueue, c.QueueID)
		if c.AgentID != "" && c.QueueID == c.AgentID {
			qt, arn = "AGENT", e.svc.AgentQueueARN(c.InstanceID, c.AgentID)
		}
		d.QueueInfo = &events.QueueInfo{QueueARN: arn, QueueType: qt, EnqueueTimestamp: events.At(c.EnqueueTime)}
	}
	if c.AgentID != "" && !c.ConnectedToAgentTime.IsZero() {
		a := &events.AgentInfo{AgentARN: e.svc.ResourceARN(c.InstanceID, domain.KindUser, c.AgentID), ConnectedToAgentTimestamp: events.At(c.ConnectedToAgentTime)}
		if !c.AfterContactWorkStart.IsZero() && eventType == domain.EventCompleted {
			a.AfterContactWorkStartTimestamp = events.At(c.AfterContactWorkStart)
			a.AfterContactWorkEndTimestamp = events.At(c.AfterContactWorkEnd)
			secs := int64(c.AfterContactWorkEnd.Sub(c.AfterContactWorkStart).Seconds())
			a.AfterContactWorkDuration = &secs
		}
		d.AgentInfo = a
	}
	if len(c.SegmentAttributes) > 0 {
		d.SegmentAttributes = map[string]events.SegmentAttributeValue{}
		for k, v := range c.SegmentAttributes {
			d.SegmentAttributes[k] = segment(v)
		}
	}
	if rc := c.RoutingCriteria; rc != nil {
		r := &events.RoutingCriteria{ActivationTimestamp: events.At(rc.ActivationTime), Index: rc.Index, Steps: []events.RoutingStep{}}
		for _, st := range rc.Steps {
			expr, _ := json.Marshal(st.Expression)
			s := events.RoutingStep{Expression: expr, Status: st.Status}
			if st.ExpirySeconds != nil {
				s.Expiry = &events.RoutingStepExpiry{DurationInSeconds: int64(*st.ExpirySeconds), ExpiryTimestamp: events.At(st.ExpiryTime)}
			}
			r.Steps = append(r.Steps, s)
		}
		d.RoutingCriteria = r
	}
	e.bus.Publish(events.NewContactEvent(uuid.NewString(), e.accountID, e.region, e.svc.Clock().Now(), d))
}

func segment(v domain.SegmentValue) events.SegmentAttributeValue {
	out := events.SegmentAttributeValue{ValueString: v.String, ValueArn: v.Arn}
	if v.Integer != nil {
		i := int64(*v.Integer)
		out.ValueInteger = &i
	}
	if v.Map != nil {
		out.ValueMap = map[string]events.SegmentAttributeValue{}
		for k, m := range v.Map {
			out.ValueMap[k] = segment(m)
		}
	}
	for _, l := range v.List {
		out.ValueList = append(out.ValueList, segment(l))
	}
	return out
}
