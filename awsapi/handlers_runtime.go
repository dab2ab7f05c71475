package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// TransferContact handles the operation of the same name.
func (h *Handlers) TransferContact(ctx context.Context, in *cw.TransferContactRequest) (*cw.TransferContactResponse, error) {
	c, err := h.svc.TransferContact(ctx, domain.TransferParams{
		InstanceID: deref(in.InstanceId), ContactID: deref(in.ContactId), QueueID: deref(in.QueueId),
		UserID: deref(in.UserId), ContactFlowID: deref(in.ContactFlowId), ClientToken: deref(in.ClientToken),
	})
	if err != nil {
		return nil, err
	}
	return &cw.TransferContactResponse{ContactId: ref(c.ID), ContactArn: ref(c.Arn)}, nil
}

// GetCurrentUserData handles the operation of the same name.
func (h *Handlers) GetCurrentUserData(ctx context.Context, in *cw.GetCurrentUserDataRequest) (*cw.GetCurrentUserDataResponse, error) {
	var f domain.UserDataFilter
	if fl := in.Filters; fl != nil {
		f = domain.UserDataFilter{Queues: fl.Queues, RoutingProfiles: fl.RoutingProfiles, Agents: fl.Agents, HierarchyGroups: fl.UserHierarchyGroups}
		if fl.ContactFilter != nil {
			for _, s := range fl.ContactFilter.ContactStates {
				f.ContactStates = append(f.ContactStates, string(s))
			}
		}
	}
	list, next, total, err := h.svc.GetCurrentUserData(ctx, deref(in.InstanceId), f, domain.Page{NextToken: deref(in.NextToken), MaxResults: int(deref(in.MaxResults))})
	if err != nil {
		return nil, err
	}
	out := &cw.GetCurrentUserDataResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), UserDataList: []cw.UserData{}}
	for _, d := range list {
		u := cw.UserData{
			User:                    &cw.UserReference{Id: ref(d.UserID), Arn: ref(d.UserArn)},
			RoutingProfile:          &cw.RoutingProfileReference{Id: ref(d.RoutingProfileID), Arn: ptr(d.RoutingProfileArn)},
			Status:                  &cw.AgentStatusReference{StatusArn: ref(d.StatusArn), StatusName: ref(d.StatusName), StatusStartTimestamp: wtime(d.StatusStart)},
			MaxSlotsByChannel:       slots(d.MaxSlots),
			ActiveSlotsByChannel:    slots(d.ActiveSlots),
			AvailableSlotsByChannel: slots(d.AvailableSlots),
			Contacts:                []cw.AgentContactReference{},
		}
		if len(d.HierarchyPath) > 0 {
			p := &cw.HierarchyPathReference{}
			setLevels([]**cw.HierarchyGroupSummaryReference{&p.LevelOne, &p.LevelTwo, &p.LevelThree, &p.LevelFour, &p.LevelFive}, len(d.HierarchyPath),
				func(i int) *cw.HierarchyGroupSummaryReference {
					return &cw.HierarchyGroupSummaryReference{Id: ref(d.HierarchyPath[i].ID), Arn: ref(d.HierarchyPath[i].Arn)}
				})
			u.HierarchyPath = p
		}
		for _, c := range d.Contacts {
			r := cw.AgentContactReference{ContactId: ref(c.ContactID), Channel: cw.Channel(c.Channel), InitiationMethod: cw.ContactInitiationMethod(c.InitiationMethod),
				AgentContactState: cw.ContactState(c.State), StateStartTimestamp: wtime(c.StateStart), ConnectedToAgentTimestamp: wtime(c.ConnectedToAgent)}
			if c.QueueID != "" {
				r.Queue = &cw.QueueReference{Id: ref(c.QueueID), Arn: ptr(c.QueueArn)}
			}
			u.Contacts = append(u.Contacts, r)
		}
		out.UserDataList = append(out.UserDataList, u)
	}
	return out, nil
}

func slots(m map[string]int) map[string]int32 {
	out := make(map[string]int32, len(m))
	for k, v := range m {
		out[k] = int32(v)
	}
	return out
}

// DismissUserContact handles the operation of the same name.
func (h *Handlers) DismissUserContact(ctx context.Context, in *cw.DismissUserContactRequest) (*cw.DismissUserContactResponse, error) {
	if err := h.svc.DismissUserContact(ctx, deref(in.InstanceId), deref(in.UserId), deref(in.ContactId)); err != nil {
		return nil, err
	}
	return &cw.DismissUserContactResponse{}, nil
}

// AssociateContactWithUser handles the operation of the same name.
func (h *Handlers) AssociateContactWithUser(ctx context.Context, in *cw.AssociateContactWithUserRequest) (*cw.AssociateContactWithUserResponse, error) {
	if err := h.svc.AssociateContactWithUser(ctx, deref(in.InstanceId), deref(in.ContactId), deref(in.UserId)); err != nil {
		return nil, err
	}
	return &cw.AssociateContactWithUserResponse{}, nil
}

// GetContactMetrics handles the operation of the same name.
func (h *Handlers) GetContactMetrics(ctx context.Context, in *cw.GetContactMetricsRequest) (*cw.GetContactMetricsResponse, error) {
	names := make([]string, 0, len(in.Metrics))
	for _, m := range in.Metrics {
		names = append(names, string(m.Name))
	}
	c, results, err := h.svc.GetContactMetrics(ctx, deref(in.InstanceId), deref(in.ContactId), names)
	if err != nil {
		return nil, err
	}
	out := &cw.GetContactMetricsResponse{Id: ref(c.ID), Arn: ref(c.Arn), MetricResults: []cw.ContactMetricResult{}}
	for _, r := range results {
		out.MetricResults = append(out.MetricResults, cw.ContactMetricResult{Name: cw.ContactMetricName(r.Name), Value: &cw.ContactMetricValue{Number: ref(r.Value)}})
	}
	return out, nil
}

// MonitorContact handles the operation of the same name.
func (h *Handlers) MonitorContact(ctx context.Context, in *cw.MonitorContactRequest) (*cw.MonitorContactResponse, error) {
	c, err := h.svc.MonitorContact(ctx, deref(in.InstanceId), deref(in.ContactId), deref(in.UserId), enumStrings(in.AllowedMonitorCapabilities), deref(in.ClientToken))
	if err != nil {
		return nil, err
	}
	return &cw.MonitorContactResponse{ContactId: ref(c.ID), ContactArn: ref(c.Arn)}, nil
}
