package awsapi

import (
	"context"
	"encoding/json"
	"slices"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// Workspaces (domain/workspace.go). The theme is kept as its wire JSON:
// the model checks it and nothing else reads it.

func themeIn(t *cw.WorkspaceTheme) json.RawMessage {
	if t == nil {
		return nil
	}
	b, _ := json.Marshal(t)
	return b
}

func themeOut(raw json.RawMessage) *cw.WorkspaceTheme {
	if len(raw) == 0 {
		return nil
	}
	var t cw.WorkspaceTheme
	if json.Unmarshal(raw, &t) != nil {
		return nil
	}
	return &t
}

// CreateWorkspace handles the operation of the same name.
func (h *Handlers) CreateWorkspace(ctx context.Context, in *cw.CreateWorkspaceRequest) (*cw.CreateWorkspaceResponse, error) {
	w, err := h.svc.CreateWorkspace(ctx, deref(in.InstanceId), domain.WorkspaceParams{Name: in.Name, Description: in.Description,
		Title: in.Title, Theme: themeIn(in.Theme), Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return &cw.CreateWorkspaceResponse{WorkspaceId: ref(w.ID), WorkspaceArn: ref(w.Arn)}, nil
}

// DescribeWorkspace handles the operation of the same name.
func (h *Handlers) DescribeWorkspace(ctx context.Context, in *cw.DescribeWorkspaceRequest) (*cw.DescribeWorkspaceResponse, error) {
	w, err := h.svc.DescribeWorkspace(ctx, deref(in.InstanceId), deref(in.WorkspaceId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeWorkspaceResponse{Workspace: &cw.Workspace{Visibility: cw.Visibility(w.Visibility), Id: ref(w.ID), Name: ref(w.Name),
		Arn: ref(w.Arn), Description: ptr(w.Description), Theme: themeOut(w.Theme), Title: ptr(w.Title), LastModifiedTime: wtime(w.LastModifiedTime),
		LastModifiedRegion: ref(h.svc.HomeRegion()), Tags: w.Tags}}, nil
}

// ListWorkspaces handles the operation of the same name.
func (h *Handlers) ListWorkspaces(ctx context.Context, in *cw.ListWorkspacesRequest) (*cw.ListWorkspacesResponse, error) {
	list, next, err := h.svc.ListWorkspaces(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListWorkspacesResponse{NextToken: ptr(next), WorkspaceSummaryList: []cw.WorkspaceSummary{}}
	for _, w := range list {
		out.WorkspaceSummaryList = append(out.WorkspaceSummaryList, cw.WorkspaceSummary{Id: ref(w.ID), Name: ref(w.Name), Arn: ref(w.Arn),
			LastModifiedTime: wtime(w.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())})
	}
	return out, nil
}

// SearchWorkspaces handles the operation of the same name.
func (h *Handlers) SearchWorkspaces(ctx context.Context, in *cw.SearchWorkspacesRequest) (*cw.SearchWorkspacesResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = attributeFilterIn(in.SearchFilter.AttributeFilter)
	}
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.WorkspaceSearchCriteria) ([]cw.WorkspaceSearchCriteria, []cw.WorkspaceSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchWorkspaces(ctx, deref(in.InstanceId), criteria, filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchWorkspacesResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), Workspaces: []cw.WorkspaceSearchSummary{}}
	for _, w := range list {
		out.Workspaces = append(out.Workspaces, cw.WorkspaceSearchSummary{Id: ref(w.ID), Name: ref(w.Name), Visibility: cw.Visibility(w.Visibility),
			Description: ptr(w.Description), Title: ptr(w.Title), Arn: ref(w.Arn), CreatedAt: wtime(w.CreatedTime), Tags: w.Tags})
	}
	return out, nil
}

// DeleteWorkspace handles the operation of the same name.
func (h *Handlers) DeleteWorkspace(ctx context.Context, in *cw.DeleteWorkspaceRequest) (*cw.DeleteWorkspaceResponse, error) {
	if err := h.svc.DeleteWorkspace(ctx, deref(in.InstanceId), deref(in.WorkspaceId)); err != nil {
		return nil, err
	}
	return &cw.DeleteWorkspaceResponse{}, nil
}

// UpdateWorkspaceMetadata handles the operation of the same name.
func (h *Handlers) UpdateWorkspaceMetadata(ctx context.Context, in *cw.UpdateWorkspaceMetadataRequest) (*cw.UpdateWorkspaceMetadataResponse, error) {
	err := h.svc.UpdateWorkspaceMetadata(ctx, deref(in.InstanceId), deref(in.WorkspaceId),
		domain.WorkspaceParams{Name: in.Name, Description: in.Description, Title: in.Title})
	if err != nil {
		return nil, err
	}
	return &cw.UpdateWorkspaceMetadataResponse{}, nil
}

// UpdateWorkspaceTheme handles the operation of the same name.
func (h *Handlers) UpdateWorkspaceTheme(ctx context.Context, in *cw.UpdateWorkspaceThemeRequest) (*cw.UpdateWorkspaceThemeResponse, error) {
	if err := h.svc.UpdateWorkspaceTheme(ctx, deref(in.InstanceId), deref(in.WorkspaceId), themeIn(in.Theme)); err != nil {
		return nil, err
	}
	return &cw.UpdateWorkspaceThemeResponse{}, nil
}

// UpdateWorkspaceVisibility handles the operation of the same name.
func (h *Handlers) UpdateWorkspaceVisibility(ctx context.Context, in *cw.UpdateWorkspaceVisibilityRequest) (*cw.UpdateWorkspaceVisibilityResponse, error) {
	if err := h.svc.UpdateWorkspaceVisibility(ctx, deref(in.InstanceId), deref(in.WorkspaceId), string(in.Visibility)); err != nil {
		return nil, err
	}
	return &cw.UpdateWorkspaceVisibilityResponse{}, nil
}

// CreateWorkspacePage handles the operation of the same name.
func (h *Handlers) CreateWorkspacePage(ctx context.Context, in *cw.CreateWorkspacePageRequest) (*cw.CreateWorkspacePageResponse, error) {
	err := h.svc.CreateWorkspacePage(ctx, deref(in.InstanceId), deref(in.WorkspaceId), domain.WorkspacePage{Page: deref(in.Page),
		ResourceArn: deref(in.ResourceArn), Slug: deref(in.Slug), InputData: deref(in.InputData)})
	if err != nil {
		return nil, err
	}
	return &cw.CreateWorkspacePageResponse{}, nil
}

// UpdateWorkspacePage handles the operation of the same name.
func (h *Handlers) UpdateWorkspacePage(ctx context.Context, in *cw.UpdateWorkspacePageRequest) (*cw.UpdateWorkspacePageResponse, error) {
	if err := h.svc.UpdateWorkspacePage(ctx, deref(in.InstanceId), deref(in.WorkspaceId), deref(in.Page), in.NewPage, in.ResourceArn, in.Slug, in.InputData); err != nil {
		return nil, err
	}
	return &cw.UpdateWorkspacePageResponse{}, nil
}

// DeleteWorkspacePage handles the operation of the same name.
func (h *Handlers) DeleteWorkspacePage(ctx context.Context, in *cw.DeleteWorkspacePageRequest) (*cw.DeleteWorkspacePageResponse, error) {
	if err := h.svc.DeleteWorkspacePage(ctx, deref(in.InstanceId), deref(in.WorkspaceId), deref(in.Page)); err != nil {
		return nil, err
	}
	return &cw.DeleteWorkspacePageResponse{}, nil
}

// ListWorkspacePages handles the operation of the same name.
func (h *Handlers) ListWorkspacePages(ctx context.Context, in *cw.ListWorkspacePagesRequest) (*cw.ListWorkspacePagesResponse, error) {
	list, next, err := h.svc.ListWorkspacePages(ctx, deref(in.InstanceId), deref(in.WorkspaceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListWorkspacePagesResponse{NextToken: ptr(next), WorkspacePageList: []cw.WorkspacePage{}}
	for _, p := range list {
		out.WorkspacePageList = append(out.WorkspacePageList, cw.WorkspacePage{ResourceArn: ref(p.ResourceArn), Page: ref(p.Page),
			Slug: ptr(p.Slug), InputData: ptr(p.InputData)})
	}
	return out, nil
}

// ImportWorkspaceMedia handles the operation of the same name.
func (h *Handlers) ImportWorkspaceMedia(ctx context.Context, in *cw.ImportWorkspaceMediaRequest) (*cw.ImportWorkspaceMediaResponse, error) {
	if err := h.svc.ImportWorkspaceMedia(ctx, deref(in.InstanceId), deref(in.WorkspaceId), string(in.MediaType), deref(in.MediaSource)); err != nil {
		return nil, err
	}
	return &cw.ImportWorkspaceMediaResponse{}, nil
}

// DeleteWorkspaceMedia handles the operation of the same name.
func (h *Handlers) DeleteWorkspaceMedia(ctx context.Context, in *cw.DeleteWorkspaceMediaRequest) (*cw.DeleteWorkspaceMediaResponse, error) {
	if err := h.svc.DeleteWorkspaceMedia(ctx, deref(in.InstanceId), deref(in.WorkspaceId), string(in.MediaType)); err != nil {
		return nil, err
	}
	return &cw.DeleteWorkspaceMediaResponse{}, nil
}

// ListWorkspaceMedia handles the operation of the same name.
func (h *Handlers) ListWorkspaceMedia(ctx context.Context, in *cw.ListWorkspaceMediaRequest) (*cw.ListWorkspaceMediaResponse, error) {
	w, err := h.svc.DescribeWorkspace(ctx, deref(in.InstanceId), deref(in.WorkspaceId))
	if err != nil {
		return nil, err
	}
	out := &cw.ListWorkspaceMediaResponse{Media: []cw.MediaItem{}}
	types := make([]string, 0, len(w.Media))
	for t := range w.Media {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		out.Media = append(out.Media, cw.MediaItem{Type: cw.MediaType(t), Source: ref(w.Media[t])})
	}
	return out, nil
}

func assignmentsOut(list []domain.WorkspaceAssignment) ([]cw.SuccessfulBatchAssociationSummary, []cw.FailedBatchAssociationSummary) {
	ok, failed := []cw.SuccessfulBatchAssociationSummary{}, []cw.FailedBatchAssociationSummary{}
	for _, a := range list {
		if a.Message != "" {
			failed = append(failed, cw.FailedBatchAssociationSummary{ResourceArn: ref(a.ResourceArn), ErrorCode: ref(a.Code), ErrorMessage: ref(a.Message)})
			continue
		}
		ok = append(ok, cw.SuccessfulBatchAssociationSummary{ResourceArn: ref(a.ResourceArn)})
	}
	return ok, failed
}

// AssociateWorkspace handles the operation of the same name.
func (h *Handlers) AssociateWorkspace(ctx context.Context, in *cw.AssociateWorkspaceRequest) (*cw.AssociateWorkspaceResponse, error) {
	list, err := h.svc.AssociateWorkspace(ctx, deref(in.InstanceId), deref(in.WorkspaceId), in.ResourceArns)
	if err != nil {
		return nil, err
	}
	out := &cw.AssociateWorkspaceResponse{}
	out.SuccessfulList, out.FailedList = assignmentsOut(list)
	return out, nil
}

// DisassociateWorkspace handles the operation of the same name.
func (h *Handlers) DisassociateWorkspace(ctx context.Context, in *cw.DisassociateWorkspaceRequest) (*cw.DisassociateWorkspaceResponse, error) {
	list, err := h.svc.DisassociateWorkspace(ctx, deref(in.InstanceId), deref(in.WorkspaceId), in.ResourceArns)
	if err != nil {
		return nil, err
	}
	out := &cw.DisassociateWorkspaceResponse{}
	out.SuccessfulList, out.FailedList = assignmentsOut(list)
	return out, nil
}

// SearchWorkspaceAssociations handles the operation of the same name.
func (h *Handlers) SearchWorkspaceAssociations(ctx context.Context, in *cw.SearchWorkspaceAssociationsRequest) (*cw.SearchWorkspaceAssociationsResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = attributeFilterIn(in.SearchFilter.AttributeFilter)
	}
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.WorkspaceAssociationSearchCriteria) ([]cw.WorkspaceAssociationSearchCriteria, []cw.WorkspaceAssociationSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchWorkspaceAssociations(ctx, deref(in.InstanceId), criteria, filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchWorkspaceAssociationsResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), WorkspaceAssociations: []cw.WorkspaceAssociationSearchSummary{}}
	for _, a := range list {
		out.WorkspaceAssociations = append(out.WorkspaceAssociations, cw.WorkspaceAssociationSearchSummary{WorkspaceId: ref(a.WorkspaceID),
			WorkspaceArn: ref(a.WorkspaceArn), ResourceId: ref(a.ResourceID), ResourceArn: ref(a.ResourceArn), ResourceType: ref(a.ResourceType),
			ResourceName: ptr(a.ResourceName)})
	}
	return out, nil
}
