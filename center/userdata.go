package center

import (
	"context"
	"slices"

	"github.com/switchboard-cc/switchboard/domain"
)

var _ domain.LiveView = (*Center)(nil)

// UserData implements domain.LiveView for GetCurrentUserData.
func (c *Center) UserData(ctx context.Context, instanceID string, f domain.UserDataFilter) ([]domain.UserData, error) {
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		return nil, err
	}
	defer in.unlock()
	var out []domain.UserData
	for id, a := range in.agents {
		if !in.selected(id, a, f) {
			continue
		}
		out = append(out, in.userData(id, a))
	}
	return out, nil
}

// selected applies GetCurrentUserData's filters to an agent. Called with
// in.mu held.
func (in *inst) selected(id string, a *agent, f domain.UserDataFilter) bool {
	if a.snap.Status.Type == "OFFLINE" && len(a.contacts) == 0 {
		return false
	}
	switch {
	case len(f.Agents) > 0:
		if !slices.Contains(f.Agents, id) {
			return false
		}
	case len(f.RoutingProfiles) > 0:
		if !slices.Contains(f.RoutingProfiles, a.snap.RoutingProfile.ID) {
			return false
		}
	case len(f.Queues) > 0:
		found := slices.Contains(f.Queues, a.snap.AgentQueueID)
		for _, qc := range a.snap.RoutingProfile.QueueConfigs {
			found = found || slices.Contains(f.Queues, qc.QueueID)
		}
		if !found {
			return false
		}
	case len(f.HierarchyGroups) > 0:
		// An agent in one of the groups or under one of them.
		if !slices.ContainsFunc(a.snap.HierarchyPath, func(id string) bool { return slices.Contains(f.HierarchyGroups, id) }) {
			return false
		}
	}
	if len(f.ContactStates) > 0 {
		for _, hc := range a.contacts {
			if slices.Contains(f.ContactStates, hc.state) {
				return true
			}
		}
		return false
	}
	return true
}

// userData renders an agent's live state. Called with in.mu held.
func (in *inst) userData(id string, a *agent) domain.UserData {
	svc := in.c.svc
	st := a.snap.Status
	d := domain.UserData{
		UserID: id, UserArn: svc.ResourceARN(in.id, domain.KindUser, id),
		RoutingProfileID: a.snap.RoutingProfile.ID, RoutingProfileArn: a.snap.RoutingProfile.Arn,
		StatusArn: svc.ResourceARN(in.id, domain.KindAgentStatus, st.StatusID), StatusName: st.Name, StatusStart: st.Since,
		MaxSlots: map[string]int{}, ActiveSlots: map[string]int{}, AvailableSlots: map[string]int{},
	}
	for _, g := range a.snap.HierarchyPath {
		d.HierarchyPath = append(d.HierarchyPath, domain.GroupRef{ID: g, Arn: svc.ResourceARN(in.id, domain.KindHierarchyGroup, g)})
	}
	exclusive := "" // a channel held with ROUTE_CURRENT_CHANNEL_ONLY
	cross := map[string]string{}
	for _, mc := range a.snap.RoutingProfile.MediaConcurrencies {
		d.MaxSlots[mc.Channel] = mc.Concurrency
		d.ActiveSlots[mc.Channel] = 0
		cross[mc.Channel] = mc.CrossChannelBehavior
	}
	for _, hc := range a.contacts {
		ct := domain.AgentContactData{ContactID: hc.id, Channel: hc.channel, InitiationMethod: hc.initiationMethod, State: hc.state,
			StateStart: hc.since, QueueID: hc.queueID}
		if hc.queueID != "" {
			ct.QueueArn = svc.ResourceARN(in.id, domain.KindQueue, hc.queueID)
			if hc.queueID == a.snap.AgentQueueID {
				ct.QueueArn = svc.AgentQueueARN(in.id, id)
			}
		}
		if hc.state == "CONNECTED" || hc.state == "ENDED" {
			ct.ConnectedToAgent = hc.connectedAt
		}
		d.Contacts = append(d.Contacts, ct)
		if hc.state == "CONNECTING" || hc.state == "CONNECTED" || hc.state == "ENDED" {
			d.ActiveSlots[hc.channel]++
			if cross[hc.channel] != "ROUTE_ANY_CHANNEL" {
				exclusive = hc.channel
			}
		}
	}
	for ch, max := range d.MaxSlots {
		free := max - d.ActiveSlots[ch]
		if !a.routable || free < 0 || (exclusive != "" && exclusive != ch) {
			free = 0
		}
		d.AvailableSlots[ch] = free
	}
	return d
}
