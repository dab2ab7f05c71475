package center

import (
	"sort"

	"github.com/google/uuid"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/events"
)

// publishAgent puts an agent event stream record (STATE_CHANGE) on the bus
// after a change the agent can see: a status, an offer, a contact's state.
// Called with in.mu held.
func (in *inst) publishAgent(a *agent, eventType string) {
	bus := in.c.opts.Events
	if bus == nil {
		return
	}
	now := in.c.clock.Now()
	cur := in.agentSnapshot(a)
	e := events.NewAgentEvent(uuid.NewString(), eventType, in.c.svc.AccountID(), in.c.svc.InstanceARN(in.id),
		in.c.svc.ResourceARN(in.id, domain.KindUser, a.snap.UserID), now)
	e.CurrentAgentSnapshot, e.PreviousAgentSnapshot = cur, a.lastEvent
	a.lastEvent = cur
	bus.Publish(e)
}

// agentSnapshot renders an agent as the agent event stream shows it.
func (in *inst) agentSnapshot(a *agent) *events.AgentSnapshot {
	svc := in.c.svc
	st := a.snap.Status
	rp := a.snap.RoutingProfile
	s := &events.AgentSnapshot{
		AgentStatus: events.AgentStatus{ARN: svc.ResourceARN(in.id, domain.KindAgentStatus, st.StatusID), Name: st.Name,
			StartTimestamp: events.At(st.Since), Type: st.Type},
		Configuration: events.AgentConfiguration{Username: a.snap.Username,
			RoutingProfile: events.RoutingProfile{ARN: rp.Arn, Name: rp.Name,
				DefaultOutboundQueue: events.Queue{ARN: svc.ResourceARN(in.id, domain.KindQueue, rp.DefaultOutboundQueueID)}}},
		Contacts: []events.AgentContact{},
	}
	d := in.userData(a.snap.UserID, a)
	for _, mc := range rp.MediaConcurrencies {
		s.Configuration.RoutingProfile.Concurrency = append(s.Configuration.RoutingProfile.Concurrency,
			events.ChannelConcurrency{Channel: mc.Channel, MaximumSlots: mc.Concurrency, AvailableSlots: d.AvailableSlots[mc.Channel]})
	}
	byQueue := map[string][]string{}
	for _, qc := range rp.QueueConfigs {
		byQueue[qc.QueueID] = append(byQueue[qc.QueueID], qc.Channel)
	}
	for q, chs := range byQueue {
		s.Configuration.RoutingProfile.InboundQueues = append(s.Configuration.RoutingProfile.InboundQueues,
			events.Queue{ARN: svc.ResourceARN(in.id, domain.KindQueue, q), Channels: chs})
	}
	sort.Slice(s.Configuration.RoutingProfile.InboundQueues, func(i, j int) bool {
		return s.Configuration.RoutingProfile.InboundQueues[i].ARN < s.Configuration.RoutingProfile.InboundQueues[j].ARN
	})
	for _, p := range a.snap.Proficiencies {
		s.Configuration.Proficiencies = append(s.Configuration.Proficiencies, events.Proficiency{Name: p.AttributeName, Value: p.AttributeValue, Level: p.Level})
	}
	for _, c := range d.Contacts {
		ac := events.AgentContact{Channel: c.Channel, ContactID: c.ContactID, InitiationMethod: c.InitiationMethod, State: c.State,
			StateStartTimestamp: events.At(c.StateStart), ConnectedToAgentTimestamp: events.At(c.ConnectedToAgent)}
		if c.QueueArn != "" {
			ac.Queue = &events.Queue{ARN: c.QueueArn}
		}
		s.Contacts = append(s.Contacts, ac)
	}
	sort.Slice(s.Contacts, func(i, j int) bool { return s.Contacts[i].ContactID < s.Contacts[j].ContactID })
	return s
}
