package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// viewOut is a view as Describe, Create, Update and Search show it.
func viewOut(v *domain.View) *cw.View {
	content := &cw.ViewContent{Template: ref(v.Content.Template), Actions: nonNil(v.Content.Actions), InputSchema: ptr(v.Content.InputSchema)}
	return &cw.View{
		Id: ref(v.ID), Arn: ref(v.Arn), Name: ref(v.Name), Status: cw.ViewStatus(v.Status), Type: cw.ViewType(v.Type),
		Description: ptr(v.Description), Version: ptr(v.Version), VersionDescription: ptr(v.VersionDescription),
		Content: content, ViewContentSha256: ref(v.Content.SHA256()), Tags: v.Tags,
		CreatedTime: wtime(v.CreatedTime), LastModifiedTime: wtime(v.LastModifiedTime),
	}
}

// nonNil answers an empty list rather than none, as Connect lists a
// view's Actions.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// viewContentIn reads a request's Content.
func viewContentIn(c *cw.ViewInputContent) (string, []string) {
	if c == nil {
		return "", nil
	}
	return deref(c.Template), c.Actions
}

// CreateView handles the operation of the same name.
func (h *Handlers) CreateView(ctx context.Context, in *cw.CreateViewRequest) (*cw.CreateViewResponse, error) {
	tpl, actions := viewContentIn(in.Content)
	v, err := h.svc.CreateView(ctx, deref(in.InstanceId), domain.ViewParams{ClientToken: deref(in.ClientToken), Name: deref(in.Name),
		Description: deref(in.Description), Status: string(in.Status), Template: tpl, Actions: actions, Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return &cw.CreateViewResponse{View: viewOut(v)}, nil
}

// DescribeView handles the operation of the same name.
func (h *Handlers) DescribeView(ctx context.Context, in *cw.DescribeViewRequest) (*cw.DescribeViewResponse, error) {
	v, err := h.svc.DescribeView(ctx, deref(in.InstanceId), deref(in.ViewId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeViewResponse{View: viewOut(v)}, nil
}

// ListViews handles the operation of the same name.
func (h *Handlers) ListViews(ctx context.Context, in *cw.ListViewsRequest) (*cw.ListViewsResponse, error) {
	list, next, err := h.svc.ListViews(ctx, deref(in.InstanceId), string(in.Type), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListViewsResponse{NextToken: ptr(next), ViewsSummaryList: []cw.ViewSummary{}}
	for _, v := range list {
		out.ViewsSummaryList = append(out.ViewsSummaryList, cw.ViewSummary{Id: ref(v.ID), Arn: ref(v.Arn), Name: ref(v.Name),
			Type: cw.ViewType(v.Type), Status: cw.ViewStatus(v.Status), Description: ptr(v.Description)})
	}
	return out, nil
}

// UpdateViewContent handles the operation of the same name.
func (h *Handlers) UpdateViewContent(ctx context.Context, in *cw.UpdateViewContentRequest) (*cw.UpdateViewContentResponse, error) {
	tpl, actions := viewContentIn(in.Content)
	v, err := h.svc.UpdateViewContent(ctx, deref(in.InstanceId), deref(in.ViewId), string(in.Status), tpl, actions)
	if err != nil {
		return nil, err
	}
	return &cw.UpdateViewContentResponse{View: viewOut(v)}, nil
}

// UpdateViewMetadata handles the operation of the same name.
func (h *Handlers) UpdateViewMetadata(ctx context.Context, in *cw.UpdateViewMetadataRequest) (*cw.UpdateViewMetadataResponse, error) {
	if err := h.svc.UpdateViewMetadata(ctx, deref(in.InstanceId), deref(in.ViewId), in.Name, in.Description); err != nil {
		return nil, err
	}
	return &cw.UpdateViewMetadataResponse{}, nil
}

// DeleteView handles the operation of the same name.
func (h *Handlers) DeleteView(ctx context.Context, in *cw.DeleteViewRequest) (*cw.DeleteViewResponse, error) {
	if err := h.svc.DeleteView(ctx, deref(in.InstanceId), deref(in.ViewId)); err != nil {
		return nil, err
	}
	return &cw.DeleteViewResponse{}, nil
}

// CreateViewVersion handles the operation of the same name.
func (h *Handlers) CreateViewVersion(ctx context.Context, in *cw.CreateViewVersionRequest) (*cw.CreateViewVersionResponse, error) {
	v, err := h.svc.CreateViewVersion(ctx, deref(in.InstanceId), deref(in.ViewId), deref(in.VersionDescription), deref(in.ViewContentSha256))
	if err != nil {
		return nil, err
	}
	return &cw.CreateViewVersionResponse{View: viewOut(v)}, nil
}

// ListViewVersions handles the operation of the same name.
func (h *Handlers) ListViewVersions(ctx context.Context, in *cw.ListViewVersionsRequest) (*cw.ListViewVersionsResponse, error) {
	list, next, err := h.svc.ListViewVersions(ctx, deref(in.InstanceId), deref(in.ViewId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListViewVersionsResponse{NextToken: ptr(next), ViewVersionSummaryList: []cw.ViewVersionSummary{}}
	for _, v := range list {
		out.ViewVersionSummaryList = append(out.ViewVersionSummaryList, cw.ViewVersionSummary{Id: ref(v.ID), Arn: ref(v.Arn),
			Name: ref(v.Name), Description: ptr(v.Description), Type: cw.ViewType(v.Type), Version: ref(v.Version),
			VersionDescription: ptr(v.VersionDescription)})
	}
	return out, nil
}

// DeleteViewVersion handles the operation of the same name.
func (h *Handlers) DeleteViewVersion(ctx context.Context, in *cw.DeleteViewVersionRequest) (*cw.DeleteViewVersionResponse, error) {
	if err := h.svc.DeleteViewVersion(ctx, deref(in.InstanceId), deref(in.ViewId), deref(in.ViewVersion)); err != nil {
		return nil, err
	}
	return &cw.DeleteViewVersionResponse{}, nil
}

// viewCriteriaIn converts SearchViews' criteria; a ViewTypeCondition or
// ViewStatusCondition beside a node's other condition joins it with AND.
func viewCriteriaIn(c *cw.ViewSearchCriteria) *domain.SearchCriteria {
	if c == nil {
		return nil
	}
	out := &domain.SearchCriteria{String: stringConditionIn(c.StringCondition)}
	for i := range c.AndConditions {
		out.And = append(out.And, *viewCriteriaIn(&c.AndConditions[i]))
	}
	for i := range c.OrConditions {
		out.Or = append(out.Or, *viewCriteriaIn(&c.OrConditions[i]))
	}
	return withEnums(out, domain.EnumCondition{Field: "ViewType", Value: string(c.ViewTypeCondition)},
		domain.EnumCondition{Field: "ViewStatus", Value: string(c.ViewStatusCondition)})
}

// SearchViews handles the operation of the same name.
func (h *Handlers) SearchViews(ctx context.Context, in *cw.SearchViewsRequest) (*cw.SearchViewsResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = attributeFilterIn(in.SearchFilter.AttributeFilter)
	}
	list, next, total, err := h.svc.SearchViews(ctx, deref(in.InstanceId), viewCriteriaIn(in.SearchCriteria), filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchViewsResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), Views: []cw.View{}}
	for i := range list {
		out.Views = append(out.Views, *viewOut(&list[i]))
	}
	return out, nil
}
