package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

func agentStatusOut(h *Handlers, a *domain.AgentStatus) cw.AgentStatus {
	out := cw.AgentStatus{AgentStatusARN: ref(a.Arn), AgentStatusId: ref(a.ID), Name: ref(a.Name), Description: ptr(a.Description),
		Type: cw.AgentStatusType(a.Type), State: cw.AgentStatusState(a.State), Tags: a.Tags,
		LastModifiedTime: wtime(a.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())}
	if a.DisplayOrder > 0 {
		out.DisplayOrder = ref(int32(a.DisplayOrder))
	}
	return out
}

// CreateAgentStatus handles the operation of the same name.
func (h *Handlers) CreateAgentStatus(ctx context.Context, in *cw.CreateAgentStatusRequest) (*cw.CreateAgentStatusResponse, error) {
	a, err := h.svc.CreateAgentStatus(ctx, deref(in.InstanceId), domain.AgentStatusParams{Name: deref(in.Name), Description: deref(in.Description),
		State: string(in.State), DisplayOrder: intPtr(in.DisplayOrder), Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return &cw.CreateAgentStatusResponse{AgentStatusId: ref(a.ID), AgentStatusARN: ref(a.Arn)}, nil
}

// DescribeAgentStatus handles the operation of the same name.
func (h *Handlers) DescribeAgentStatus(ctx context.Context, in *cw.DescribeAgentStatusRequest) (*cw.DescribeAgentStatusResponse, error) {
	a, err := h.svc.DescribeAgentStatus(ctx, deref(in.InstanceId), deref(in.AgentStatusId))
	if err != nil {
		return nil, err
	}
	out := agentStatusOut(h, a)
	return &cw.DescribeAgentStatusResponse{AgentStatus: &out}, nil
}

// ListAgentStatuses handles the operation of the same name.
func (h *Handlers) ListAgentStatuses(ctx context.Context, in *cw.ListAgentStatusRequest) (*cw.ListAgentStatusResponse, error) {
	list, next, err := h.svc.ListAgentStatuses(ctx, deref(in.InstanceId), enumStrings(in.AgentStatusTypes), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListAgentStatusResponse{NextToken: ptr(next), AgentStatusSummaryList: []cw.AgentStatusSummary{}}
	for _, a := range list {
		out.AgentStatusSummaryList = append(out.AgentStatusSummaryList, cw.AgentStatusSummary{Id: ref(a.ID), Arn: ref(a.Arn), Name: ref(a.Name),
			Type: cw.AgentStatusType(a.Type), LastModifiedTime: wtime(a.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())})
	}
	return out, nil
}

// UpdateAgentStatus handles the operation of the same name.
func (h *Handlers) UpdateAgentStatus(ctx context.Context, in *cw.UpdateAgentStatusRequest) (*cw.UpdateAgentStatusResponse, error) {
	u := domain.AgentStatusUpdate{Name: in.Name, Description: in.Description, DisplayOrder: intPtr(in.DisplayOrder), ResetOrderNumber: deref(in.ResetOrderNumber)}
	if in.State != "" {
		u.State = ref(string(in.State))
	}
	if err := h.svc.UpdateAgentStatus(ctx, deref(in.InstanceId), deref(in.AgentStatusId), u); err != nil {
		return nil, err
	}
	return &cw.UpdateAgentStatusResponse{}, nil
}

// attributeFilterIn turns a ControlPlaneAttributeFilter (tags only) into a
// tag filter.
func attributeFilterIn(f *cw.ControlPlaneAttributeFilter) *domain.TagFilter {
	if f == nil {
		return nil
	}
	out := &domain.TagFilter{}
	for _, and := range f.OrConditions {
		out.Or = append(out.Or, tagConditionsIn(and.TagConditions))
	}
	if f.AndCondition != nil {
		out.And = tagConditionsIn(f.AndCondition.TagConditions)
	}
	if f.TagCondition != nil {
		out.Tag = &domain.TagCondition{Key: deref(f.TagCondition.TagKey), Value: deref(f.TagCondition.TagValue)}
	}
	return out
}

// stringConditionIn converts a leaf string condition.
func stringConditionIn(sc *cw.StringCondition) *domain.StringCondition {
	if sc == nil {
		return nil
	}
	return &domain.StringCondition{FieldName: deref(sc.FieldName), Value: deref(sc.Value), ComparisonType: string(sc.ComparisonType)}
}

// stringCriteriaIn converts the search criteria shapes that hold only string
// conditions (agent statuses, routing profiles, predefined attributes);
// they differ in type but not in form.
func stringCriteriaIn[T any](c *T, parts func(*T) (or, and []T, sc *cw.StringCondition)) *domain.SearchCriteria {
	if c == nil {
		return nil
	}
	or, and, sc := parts(c)
	out := &domain.SearchCriteria{String: stringConditionIn(sc)}
	for i := range and {
		out.And = append(out.And, *stringCriteriaIn(&and[i], parts))
	}
	for i := range or {
		out.Or = append(out.Or, *stringCriteriaIn(&or[i], parts))
	}
	return out
}

// SearchAgentStatuses handles the operation of the same name.
func (h *Handlers) SearchAgentStatuses(ctx context.Context, in *cw.SearchAgentStatusesRequest) (*cw.SearchAgentStatusesResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = attributeFilterIn(in.SearchFilter.AttributeFilter)
	}
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.AgentStatusSearchCriteria) ([]cw.AgentStatusSearchCriteria, []cw.AgentStatusSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchAgentStatuses(ctx, deref(in.InstanceId), criteria, filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchAgentStatusesResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), AgentStatuses: []cw.AgentStatus{}}
	for i := range list {
		out.AgentStatuses = append(out.AgentStatuses, agentStatusOut(h, &list[i]))
	}
	return out, nil
}

// PutUserStatus handles the operation of the same name.
func (h *Handlers) PutUserStatus(ctx context.Context, in *cw.PutUserStatusRequest) (*cw.PutUserStatusResponse, error) {
	if err := h.svc.PutUserStatus(ctx, deref(in.InstanceId), deref(in.UserId), deref(in.AgentStatusId)); err != nil {
		return nil, err
	}
	return &cw.PutUserStatusResponse{}, nil
}
