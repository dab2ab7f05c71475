package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// CreateContactFlow handles the operation of the same name.
func (h *Handlers) CreateContactFlow(ctx context.Context, in *cw.CreateContactFlowRequest) (*cw.CreateContactFlowResponse, error) {
	f, err := h.svc.CreateContactFlow(ctx, deref(in.InstanceId), domain.ContactFlowParams{
		Name: deref(in.Name), Type: string(in.Type), Description: deref(in.Description), Content: deref(in.Content),
		Status: string(in.Status), Tags: in.Tags,
	})
	if err != nil {
		return nil, err
	}
	return &cw.CreateContactFlowResponse{ContactFlowId: ref(f.ID), ContactFlowArn: ref(f.Arn), FlowContentSha256: ref(f.ContentSHA256())}, nil
}

// DescribeContactFlow handles the operation of the same name.
func (h *Handlers) DescribeContactFlow(ctx context.Context, in *cw.DescribeContactFlowRequest) (*cw.DescribeContactFlowResponse, error) {
	f, err := h.svc.DescribeContactFlow(ctx, deref(in.InstanceId), deref(in.ContactFlowId))
	if err != nil {
		return nil, err
	}
	out := contactFlowOut(h, f)
	return &cw.DescribeContactFlowResponse{ContactFlow: &out}, nil
}

// contactFlowOut is a flow as DescribeContactFlow and SearchContactFlows
// show it.
func contactFlowOut(h *Handlers, f *domain.ContactFlow) cw.ContactFlow {
	return cw.ContactFlow{
		Id: ref(f.ID), Arn: ref(f.Arn), Name: ref(f.Name), Type: cw.ContactFlowType(f.Type), State: cw.ContactFlowState(f.State),
		Status: cw.ContactFlowStatus(f.Status), Description: ptr(f.Description), Content: ref(f.Content), Tags: f.Tags,
		FlowContentSha256: ref(f.ContentSHA256()), Version: ref(f.Version), LastModifiedTime: wtime(f.LastModifiedTime),
		LastModifiedRegion: ref(h.svc.HomeRegion()),
	}
}

// contactFlowCriteriaIn converts SearchContactFlows' criteria; a
// TypeCondition, StateCondition or StatusCondition beside a node's other
// condition joins it with AND.
func contactFlowCriteriaIn(c *cw.ContactFlowSearchCriteria) *domain.SearchCriteria {
	if c == nil {
		return nil
	}
	out := &domain.SearchCriteria{String: stringConditionIn(c.StringCondition)}
	for i := range c.AndConditions {
		out.And = append(out.And, *contactFlowCriteriaIn(&c.AndConditions[i]))
	}
	for i := range c.OrConditions {
		out.Or = append(out.Or, *contactFlowCriteriaIn(&c.OrConditions[i]))
	}
	return withEnums(out, domain.EnumCondition{Field: "Type", Value: string(c.TypeCondition)},
		domain.EnumCondition{Field: "State", Value: string(c.StateCondition)},
		domain.EnumCondition{Field: "Status", Value: string(c.StatusCondition)})
}

func flowAttributeConditionIn(c *cw.ContactFlowAttributeAndCondition) domain.FlowAttributeCondition {
	out := domain.FlowAttributeCondition{Tags: tagConditionsIn(c.TagConditions)}
	if c.ContactFlowTypeCondition != nil {
		out.Type = string(c.ContactFlowTypeCondition.ContactFlowType)
	}
	return out
}

func flowAttributeFilterIn(f *cw.ContactFlowAttributeFilter) *domain.FlowAttributeFilter {
	if f == nil {
		return nil
	}
	out := &domain.FlowAttributeFilter{}
	for i := range f.OrConditions {
		out.Or = append(out.Or, flowAttributeConditionIn(&f.OrConditions[i]))
	}
	if f.AndCondition != nil {
		and := flowAttributeConditionIn(f.AndCondition)
		out.And = &and
	}
	if f.TagCondition != nil {
		out.Tag = &domain.TagCondition{Key: deref(f.TagCondition.TagKey), Value: deref(f.TagCondition.TagValue)}
	}
	if f.ContactFlowTypeCondition != nil {
		out.Type = string(f.ContactFlowTypeCondition.ContactFlowType)
	}
	return out
}

// SearchContactFlows handles the operation of the same name.
func (h *Handlers) SearchContactFlows(ctx context.Context, in *cw.SearchContactFlowsRequest) (*cw.SearchContactFlowsResponse, error) {
	var tags *domain.TagFilter
	var attrs *domain.FlowAttributeFilter
	if in.SearchFilter != nil {
		tags = tagFilterIn(in.SearchFilter.TagFilter)
		attrs = flowAttributeFilterIn(in.SearchFilter.FlowAttributeFilter)
	}
	list, next, total, err := h.svc.SearchContactFlows(ctx, deref(in.InstanceId), contactFlowCriteriaIn(in.SearchCriteria), tags, attrs, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchContactFlowsResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), ContactFlows: []cw.ContactFlow{}}
	for i := range list {
		out.ContactFlows = append(out.ContactFlows, contactFlowOut(h, &list[i]))
	}
	return out, nil
}

// ListContactFlows handles the operation of the same name.
func (h *Handlers) ListContactFlows(ctx context.Context, in *cw.ListContactFlowsRequest) (*cw.ListContactFlowsResponse, error) {
	list, next, err := h.svc.ListContactFlows(ctx, deref(in.InstanceId), enumStrings(in.ContactFlowTypes), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListContactFlowsResponse{NextToken: ptr(next), ContactFlowSummaryList: []cw.ContactFlowSummary{}}
	for _, f := range list {
		out.ContactFlowSummaryList = append(out.ContactFlowSummaryList, cw.ContactFlowSummary{
			Id: ref(f.ID), Arn: ref(f.Arn), Name: ref(f.Name), ContactFlowType: cw.ContactFlowType(f.Type),
			ContactFlowState: cw.ContactFlowState(f.State), ContactFlowStatus: cw.ContactFlowStatus(f.Status),
		})
	}
	return out, nil
}

// UpdateContactFlowContent handles the operation of the same name.
func (h *Handlers) UpdateContactFlowContent(ctx context.Context, in *cw.UpdateContactFlowContentRequest) (*cw.UpdateContactFlowContentResponse, error) {
	if err := h.svc.UpdateContactFlowContent(ctx, deref(in.InstanceId), deref(in.ContactFlowId), deref(in.Content)); err != nil {
		return nil, err
	}
	return &cw.UpdateContactFlowContentResponse{}, nil
}

// UpdateContactFlowMetadata handles the operation of the same name.
func (h *Handlers) UpdateContactFlowMetadata(ctx context.Context, in *cw.UpdateContactFlowMetadataRequest) (*cw.UpdateContactFlowMetadataResponse, error) {
	var state *string
	if in.ContactFlowState != "" {
		state = ref(string(in.ContactFlowState))
	}
	if err := h.svc.UpdateContactFlowMetadata(ctx, deref(in.InstanceId), deref(in.ContactFlowId), in.Name, in.Description, state); err != nil {
		return nil, err
	}
	return &cw.UpdateContactFlowMetadataResponse{}, nil
}

// UpdateContactFlowName handles the operation of the same name.
func (h *Handlers) UpdateContactFlowName(ctx context.Context, in *cw.UpdateContactFlowNameRequest) (*cw.UpdateContactFlowNameResponse, error) {
	if err := h.svc.UpdateContactFlowName(ctx, deref(in.InstanceId), deref(in.ContactFlowId), in.Name, in.Description); err != nil {
		return nil, err
	}
	return &cw.UpdateContactFlowNameResponse{}, nil
}

// DeleteContactFlow handles the operation of the same name.
func (h *Handlers) DeleteContactFlow(ctx context.Context, in *cw.DeleteContactFlowRequest) (*cw.DeleteContactFlowResponse, error) {
	if err := h.svc.DeleteContactFlow(ctx, deref(in.InstanceId), deref(in.ContactFlowId)); err != nil {
		return nil, err
	}
	return &cw.DeleteContactFlowResponse{}, nil
}
