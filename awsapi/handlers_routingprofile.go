package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

func concurrenciesIn(in []cw.MediaConcurrency) []domain.MediaConcurrency {
	out := make([]domain.MediaConcurrency, 0, len(in))
	for _, mc := range in {
		d := domain.MediaConcurrency{Channel: string(mc.Channel), Concurrency: int(deref(mc.Concurrency))}
		if mc.CrossChannelBehavior != nil {
			d.CrossChannelBehavior = string(mc.CrossChannelBehavior.BehaviorType)
		}
		out = append(out, d)
	}
	return out
}

func queueConfigsIn(in []cw.RoutingProfileQueueConfig) []domain.RoutingProfileQueueConfig {
	out := make([]domain.RoutingProfileQueueConfig, 0, len(in))
	for _, c := range in {
		d := domain.RoutingProfileQueueConfig{Priority: int(deref(c.Priority)), Delay: int(deref(c.Delay))}
		if r := c.QueueReference; r != nil {
			d.QueueID, d.Channel = deref(r.QueueId), string(r.Channel)
		}
		out = append(out, d)
	}
	return out
}

func queueRefsIn(in []cw.RoutingProfileQueueReference) []domain.QueueChannel {
	out := make([]domain.QueueChannel, 0, len(in))
	for _, r := range in {
		out = append(out, domain.QueueChannel{QueueID: deref(r.QueueId), Channel: string(r.Channel)})
	}
	return out
}

func manualQueuesIn(in []cw.RoutingProfileManualAssignmentQueueConfig) []domain.QueueChannel {
	out := make([]domain.QueueChannel, 0, len(in))
	for _, c := range in {
		if c.QueueReference != nil {
			out = append(out, domain.QueueChannel{QueueID: deref(c.QueueReference.QueueId), Channel: string(c.QueueReference.Channel)})
		}
	}
	return out
}

// routingProfileOut renders a profile; full adds the members Search leaves
// out (connect's documentation: CrossChannelBehavior, the timer and the
// modification time are Describe-only).
func routingProfileOut(h *Handlers, p *domain.RoutingProfileInfo, full bool) cw.RoutingProfile {
	out := cw.RoutingProfile{InstanceId: ref(p.InstanceID), Name: ref(p.Name), RoutingProfileArn: ref(p.Arn), RoutingProfileId: ref(p.ID),
		Description: ptr(p.Description), DefaultOutboundQueueId: ref(p.DefaultOutboundQueueID), Tags: p.Tags,
		NumberOfAssociatedQueues:                 ref(int64(len(p.AssociatedQueueIDs))),
		NumberOfAssociatedManualAssignmentQueues: ref(int64(len(p.AssociatedManualQueueIDs))),
		NumberOfAssociatedUsers:                  ref(int64(p.NumberOfAssociatedUsers)),
		IsDefault:                                ref(p.IsDefault), AssociatedQueueIds: p.AssociatedQueueIDs,
		AssociatedManualAssignmentQueueIds: p.AssociatedManualQueueIDs, MediaConcurrencies: []cw.MediaConcurrency{}}
	for _, mc := range p.MediaConcurrencies {
		m := cw.MediaConcurrency{Channel: cw.Channel(mc.Channel), Concurrency: ref(int32(mc.Concurrency))}
		if full {
			m.CrossChannelBehavior = &cw.CrossChannelBehavior{BehaviorType: cw.BehaviorType(mc.CrossChannelBehavior)}
		}
		out.MediaConcurrencies = append(out.MediaConcurrencies, m)
	}
	if full {
		out.AgentAvailabilityTimer = cw.AgentAvailabilityTimer(p.AgentAvailabilityTimer)
		out.LastModifiedTime, out.LastModifiedRegion = wtime(p.LastModifiedTime), ref(h.svc.HomeRegion())
	}
	return out
}

// CreateRoutingProfile handles the operation of the same name.
func (h *Handlers) CreateRoutingProfile(ctx context.Context, in *cw.CreateRoutingProfileRequest) (*cw.CreateRoutingProfileResponse, error) {
	rp, err := h.svc.CreateRoutingProfile(ctx, deref(in.InstanceId), domain.RoutingProfileParams{
		Name: deref(in.Name), Description: deref(in.Description), DefaultOutboundQueueID: deref(in.DefaultOutboundQueueId),
		MediaConcurrencies: concurrenciesIn(in.MediaConcurrencies), QueueConfigs: queueConfigsIn(in.QueueConfigs),
		ManualAssignmentQueues: manualQueuesIn(in.ManualAssignmentQueueConfigs), AgentAvailabilityTimer: string(in.AgentAvailabilityTimer), Tags: in.Tags,
	})
	if err != nil {
		return nil, err
	}
	return &cw.CreateRoutingProfileResponse{RoutingProfileId: ref(rp.ID), RoutingProfileArn: ref(rp.Arn)}, nil
}

// DescribeRoutingProfile handles the operation of the same name.
func (h *Handlers) DescribeRoutingProfile(ctx context.Context, in *cw.DescribeRoutingProfileRequest) (*cw.DescribeRoutingProfileResponse, error) {
	rp, err := h.svc.DescribeRoutingProfile(ctx, deref(in.InstanceId), deref(in.RoutingProfileId))
	if err != nil {
		return nil, err
	}
	out := routingProfileOut(h, rp, true)
	return &cw.DescribeRoutingProfileResponse{RoutingProfile: &out}, nil
}

// ListRoutingProfiles handles the operation of the same name.
func (h *Handlers) ListRoutingProfiles(ctx context.Context, in *cw.ListRoutingProfilesRequest) (*cw.ListRoutingProfilesResponse, error) {
	list, next, err := h.svc.ListRoutingProfiles(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListRoutingProfilesResponse{NextToken: ptr(next), RoutingProfileSummaryList: []cw.RoutingProfileSummary{}}
	for _, p := range list {
		out.RoutingProfileSummaryList = append(out.RoutingProfileSummaryList, cw.RoutingProfileSummary{Id: ref(p.ID), Arn: ref(p.Arn), Name: ref(p.Name),
			LastModifiedTime: wtime(p.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())})
	}
	return out, nil
}

// SearchRoutingProfiles handles the operation of the same name.
func (h *Handlers) SearchRoutingProfiles(ctx context.Context, in *cw.SearchRoutingProfilesRequest) (*cw.SearchRoutingProfilesResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = tagFilterIn(in.SearchFilter.TagFilter)
	}
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.RoutingProfileSearchCriteria) ([]cw.RoutingProfileSearchCriteria, []cw.RoutingProfileSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchRoutingProfiles(ctx, deref(in.InstanceId), criteria, filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchRoutingProfilesResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), RoutingProfiles: []cw.RoutingProfile{}}
	for i := range list {
		out.RoutingProfiles = append(out.RoutingProfiles, routingProfileOut(h, &list[i], false))
	}
	return out, nil
}

// ListRoutingProfileQueues handles the operation of the same name.
func (h *Handlers) ListRoutingProfileQueues(ctx context.Context, in *cw.ListRoutingProfileQueuesRequest) (*cw.ListRoutingProfileQueuesResponse, error) {
	list, next, modified, err := h.svc.ListRoutingProfileQueues(ctx, deref(in.InstanceId), deref(in.RoutingProfileId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListRoutingProfileQueuesResponse{NextToken: ptr(next), RoutingProfileQueueConfigSummaryList: []cw.RoutingProfileQueueConfigSummary{},
		LastModifiedTime: wtime(modified), LastModifiedRegion: ref(h.svc.HomeRegion())}
	for _, q := range list {
		out.RoutingProfileQueueConfigSummaryList = append(out.RoutingProfileQueueConfigSummaryList, cw.RoutingProfileQueueConfigSummary{
			QueueId: ref(q.QueueID), QueueArn: ref(q.QueueArn), QueueName: ref(q.QueueName), Priority: ref(int32(q.Priority)),
			Delay: ref(int32(q.Delay)), Channel: cw.Channel(q.Channel)})
	}
	return out, nil
}

// AssociateRoutingProfileQueues handles the operation of the same name.
func (h *Handlers) AssociateRoutingProfileQueues(ctx context.Context, in *cw.AssociateRoutingProfileQueuesRequest) (*cw.AssociateRoutingProfileQueuesResponse, error) {
	err := h.svc.AssociateRoutingProfileQueues(ctx, deref(in.InstanceId), deref(in.RoutingProfileId), queueConfigsIn(in.QueueConfigs), manualQueuesIn(in.ManualAssignmentQueueConfigs))
	if err != nil {
		return nil, err
	}
	return &cw.AssociateRoutingProfileQueuesResponse{}, nil
}

// DisassociateRoutingProfileQueues handles the operation of the same name.
func (h *Handlers) DisassociateRoutingProfileQueues(ctx context.Context, in *cw.DisassociateRoutingProfileQueuesRequest) (*cw.DisassociateRoutingProfileQueuesResponse, error) {
	err := h.svc.DisassociateRoutingProfileQueues(ctx, deref(in.InstanceId), deref(in.RoutingProfileId), queueRefsIn(in.QueueReferences), queueRefsIn(in.ManualAssignmentQueueReferences))
	if err != nil {
		return nil, err
	}
	return &cw.DisassociateRoutingProfileQueuesResponse{}, nil
}

// UpdateRoutingProfileQueues handles the operation of the same name.
func (h *Handlers) UpdateRoutingProfileQueues(ctx context.Context, in *cw.UpdateRoutingProfileQueuesRequest) (*cw.UpdateRoutingProfileQueuesResponse, error) {
	if err := h.svc.UpdateRoutingProfileQueues(ctx, deref(in.InstanceId), deref(in.RoutingProfileId), queueConfigsIn(in.QueueConfigs)); err != nil {
		return nil, err
	}
	return &cw.UpdateRoutingProfileQueuesResponse{}, nil
}

// UpdateRoutingProfileConcurrency handles the operation of the same name.
func (h *Handlers) UpdateRoutingProfileConcurrency(ctx context.Context, in *cw.UpdateRoutingProfileConcurrencyRequest) (*cw.UpdateRoutingProfileConcurrencyResponse, error) {
	if err := h.svc.UpdateRoutingProfileConcurrency(ctx, deref(in.InstanceId), deref(in.RoutingProfileId), concurrenciesIn(in.MediaConcurrencies)); err != nil {
		return nil, err
	}
	return &cw.UpdateRoutingProfileConcurrencyResponse{}, nil
}

// UpdateRoutingProfileDefaultOutboundQueue handles the operation of the same name.
func (h *Handlers) UpdateRoutingProfileDefaultOutboundQueue(ctx context.Context, in *cw.UpdateRoutingProfileDefaultOutboundQueueRequest) (*cw.UpdateRoutingProfileDefaultOutboundQueueResponse, error) {
	if err := h.svc.UpdateRoutingProfileDefaultOutboundQueue(ctx, deref(in.InstanceId), deref(in.RoutingProfileId), deref(in.DefaultOutboundQueueId)); err != nil {
		return nil, err
	}
	return &cw.UpdateRoutingProfileDefaultOutboundQueueResponse{}, nil
}

// UpdateRoutingProfileName handles the operation of the same name.
func (h *Handlers) UpdateRoutingProfileName(ctx context.Context, in *cw.UpdateRoutingProfileNameRequest) (*cw.UpdateRoutingProfileNameResponse, error) {
	if err := h.svc.UpdateRoutingProfileName(ctx, deref(in.InstanceId), deref(in.RoutingProfileId), in.Name, in.Description); err != nil {
		return nil, err
	}
	return &cw.UpdateRoutingProfileNameResponse{}, nil
}

// UpdateRoutingProfileAgentAvailabilityTimer handles the operation of the same name.
func (h *Handlers) UpdateRoutingProfileAgentAvailabilityTimer(ctx context.Context, in *cw.UpdateRoutingProfileAgentAvailabilityTimerRequest) (*cw.UpdateRoutingProfileAgentAvailabilityTimerResponse, error) {
	if err := h.svc.UpdateRoutingProfileAgentAvailabilityTimer(ctx, deref(in.InstanceId), deref(in.RoutingProfileId), string(in.AgentAvailabilityTimer)); err != nil {
		return nil, err
	}
	return &cw.UpdateRoutingProfileAgentAvailabilityTimerResponse{}, nil
}

// DeleteRoutingProfile handles the operation of the same name.
func (h *Handlers) DeleteRoutingProfile(ctx context.Context, in *cw.DeleteRoutingProfileRequest) (*cw.DeleteRoutingProfileResponse, error) {
	if err := h.svc.DeleteRoutingProfile(ctx, deref(in.InstanceId), deref(in.RoutingProfileId)); err != nil {
		return nil, err
	}
	return &cw.DeleteRoutingProfileResponse{}, nil
}

// ListRoutingProfileManualAssignmentQueues handles the operation of the
// same name.
func (h *Handlers) ListRoutingProfileManualAssignmentQueues(ctx context.Context, in *cw.ListRoutingProfileManualAssignmentQueuesRequest) (*cw.ListRoutingProfileManualAssignmentQueuesResponse, error) {
	list, next, modified, err := h.svc.ListRoutingProfileManualAssignmentQueues(ctx, deref(in.InstanceId), deref(in.RoutingProfileId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListRoutingProfileManualAssignmentQueuesResponse{NextToken: ptr(next), LastModifiedTime: wtime(modified), LastModifiedRegion: ref(h.svc.HomeRegion()),
		RoutingProfileManualAssignmentQueueConfigSummaryList: []cw.RoutingProfileManualAssignmentQueueConfigSummary{}}
	for _, q := range list {
		out.RoutingProfileManualAssignmentQueueConfigSummaryList = append(out.RoutingProfileManualAssignmentQueueConfigSummaryList,
			cw.RoutingProfileManualAssignmentQueueConfigSummary{QueueId: ref(q.QueueID), QueueArn: ref(q.QueueArn), QueueName: ref(q.QueueName), Channel: cw.Channel(q.Channel)})
	}
	return out, nil
}
