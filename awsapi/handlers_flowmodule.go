package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// CreateContactFlowModule handles the operation of the same name.
func (h *Handlers) CreateContactFlowModule(ctx context.Context, in *cw.CreateContactFlowModuleRequest) (*cw.CreateContactFlowModuleResponse, error) {
	p := domain.FlowModuleParams{
		ClientToken: deref(in.ClientToken), Name: deref(in.Name), Description: deref(in.Description),
		Content: deref(in.Content), Settings: deref(in.Settings), Tags: in.Tags,
	}
	if in.ExternalInvocationConfiguration != nil {
		p.ExternalInvocation = ref(deref(in.ExternalInvocationConfiguration.Enabled))
	}
	m, err := h.svc.CreateContactFlowModule(ctx, deref(in.InstanceId), p)
	if err != nil {
		return nil, err
	}
	return &cw.CreateContactFlowModuleResponse{Id: ref(m.ID), Arn: ref(m.Arn)}, nil
}

// flowModuleOut is a module as DescribeContactFlowModule and
// SearchContactFlowModules show it.
func flowModuleOut(m *domain.FlowModule) cw.ContactFlowModule {
	out := cw.ContactFlowModule{
		Id: ref(m.ID), Arn: ref(m.Arn), Name: ref(m.Name), Description: ptr(m.Description), Content: ref(m.Content),
		State: cw.ContactFlowModuleState(m.State), Status: cw.ContactFlowModuleStatus(m.Status), Tags: m.Tags,
		FlowModuleContentSha256: ref(m.ContentSHA256()), Settings: ptr(m.Settings),
	}
	if m.Version > 0 {
		// A version's snapshot (DescribeContactFlowModule of "{id}:{n}").
		out.Version, out.VersionDescription = ref(m.Version), ptr(m.VersionDescription)
	}
	if m.ExternalInvocation != nil {
		out.ExternalInvocationConfiguration = &cw.ExternalInvocationConfiguration{Enabled: ref(*m.ExternalInvocation)}
	}
	return out
}

// DescribeContactFlowModule handles the operation of the same name.
func (h *Handlers) DescribeContactFlowModule(ctx context.Context, in *cw.DescribeContactFlowModuleRequest) (*cw.DescribeContactFlowModuleResponse, error) {
	m, err := h.svc.DescribeContactFlowModule(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId))
	if err != nil {
		return nil, err
	}
	out := flowModuleOut(m)
	return &cw.DescribeContactFlowModuleResponse{ContactFlowModule: &out}, nil
}

// ListContactFlowModules handles the operation of the same name.
func (h *Handlers) ListContactFlowModules(ctx context.Context, in *cw.ListContactFlowModulesRequest) (*cw.ListContactFlowModulesResponse, error) {
	list, next, err := h.svc.ListContactFlowModules(ctx, deref(in.InstanceId), string(in.ContactFlowModuleState), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListContactFlowModulesResponse{NextToken: ptr(next), ContactFlowModulesSummaryList: []cw.ContactFlowModuleSummary{}}
	for _, m := range list {
		out.ContactFlowModulesSummaryList = append(out.ContactFlowModulesSummaryList, cw.ContactFlowModuleSummary{
			Id: ref(m.ID), Arn: ref(m.Arn), Name: ref(m.Name), State: cw.ContactFlowModuleState(m.State),
		})
	}
	return out, nil
}

// UpdateContactFlowModuleContent handles the operation of the same name.
func (h *Handlers) UpdateContactFlowModuleContent(ctx context.Context, in *cw.UpdateContactFlowModuleContentRequest) (*cw.UpdateContactFlowModuleContentResponse, error) {
	if err := h.svc.UpdateContactFlowModuleContent(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId), in.Content, in.Settings); err != nil {
		return nil, err
	}
	return &cw.UpdateContactFlowModuleContentResponse{}, nil
}

// UpdateContactFlowModuleMetadata handles the operation of the same name.
func (h *Handlers) UpdateContactFlowModuleMetadata(ctx context.Context, in *cw.UpdateContactFlowModuleMetadataRequest) (*cw.UpdateContactFlowModuleMetadataResponse, error) {
	var state *string
	if in.State != "" {
		state = ref(string(in.State))
	}
	if err := h.svc.UpdateContactFlowModuleMetadata(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId), in.Name, in.Description, state); err != nil {
		return nil, err
	}
	return &cw.UpdateContactFlowModuleMetadataResponse{}, nil
}

// DeleteContactFlowModule handles the operation of the same name.
func (h *Handlers) DeleteContactFlowModule(ctx context.Context, in *cw.DeleteContactFlowModuleRequest) (*cw.DeleteContactFlowModuleResponse, error) {
	if err := h.svc.DeleteContactFlowModule(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId)); err != nil {
		return nil, err
	}
	return &cw.DeleteContactFlowModuleResponse{}, nil
}

// flowModuleCriteriaIn converts SearchContactFlowModules' criteria; a
// StateCondition or StatusCondition beside a node's other condition joins
// it with AND.
func flowModuleCriteriaIn(c *cw.ContactFlowModuleSearchCriteria) *domain.SearchCriteria {
	if c == nil {
		return nil
	}
	out := &domain.SearchCriteria{String: stringConditionIn(c.StringCondition)}
	for i := range c.AndConditions {
		out.And = append(out.And, *flowModuleCriteriaIn(&c.AndConditions[i]))
	}
	for i := range c.OrConditions {
		out.Or = append(out.Or, *flowModuleCriteriaIn(&c.OrConditions[i]))
	}
	return withEnums(out, domain.EnumCondition{Field: "State", Value: string(c.StateCondition)},
		domain.EnumCondition{Field: "Status", Value: string(c.StatusCondition)})
}

// SearchContactFlowModules handles the operation of the same name.
func (h *Handlers) SearchContactFlowModules(ctx context.Context, in *cw.SearchContactFlowModulesRequest) (*cw.SearchContactFlowModulesResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = tagFilterIn(in.SearchFilter.TagFilter)
	}
	list, next, total, err := h.svc.SearchContactFlowModules(ctx, deref(in.InstanceId), flowModuleCriteriaIn(in.SearchCriteria), filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchContactFlowModulesResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), ContactFlowModules: []cw.ContactFlowModule{}}
	for i := range list {
		out.ContactFlowModules = append(out.ContactFlowModules, flowModuleOut(&list[i]))
	}
	return out, nil
}
