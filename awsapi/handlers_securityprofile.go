package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// listPage turns a list request's paging members into a domain.Page.
func listPage(nextToken *string, maxResults *int32) domain.Page {
	return domain.Page{NextToken: deref(nextToken), MaxResults: int(deref(maxResults))}
}

// enumStrings turns a list of wire enum values into plain strings.
func enumStrings[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// ListSecurityProfiles handles the operation of the same name.
func (h *Handlers) ListSecurityProfiles(ctx context.Context, in *cw.ListSecurityProfilesRequest) (*cw.ListSecurityProfilesResponse, error) {
	list, next, err := h.svc.ListSecurityProfiles(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListSecurityProfilesResponse{NextToken: ptr(next), SecurityProfileSummaryList: []cw.SecurityProfileSummary{}}
	for _, p := range list {
		out.SecurityProfileSummaryList = append(out.SecurityProfileSummaryList, cw.SecurityProfileSummary{
			Id: ref(p.ID), Arn: ref(p.Arn), Name: ref(p.Name), LastModifiedTime: wtime(p.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()),
		})
	}
	return out, nil
}

// DescribeSecurityProfile handles the operation of the same name.
func (h *Handlers) DescribeSecurityProfile(ctx context.Context, in *cw.DescribeSecurityProfileRequest) (*cw.DescribeSecurityProfileResponse, error) {
	p, err := h.svc.DescribeSecurityProfile(ctx, deref(in.InstanceId), deref(in.SecurityProfileId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeSecurityProfileResponse{SecurityProfile: &cw.SecurityProfile{
		Id: ref(p.ID), Arn: ref(p.Arn), OrganizationResourceId: ref(p.InstanceID), SecurityProfileName: ref(p.Name),
		Description: ptr(p.Description), Tags: p.Tags, LastModifiedTime: wtime(p.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()),
		AllowedAccessControlTags: p.AllowedAccessControlTags, TagRestrictedResources: p.TagRestrictedResources,
		HierarchyRestrictedResources: p.HierarchyRestrictedResources, AllowedAccessControlHierarchyGroupId: ptr(p.AllowedAccessControlHierarchyGroupID),
	}}, nil
}

// securityProfileIn converts the members CreateSecurityProfile and
// UpdateSecurityProfile share. GranularAccessControlConfiguration governs
// data tables, which Switchboard does not have, so it is refused rather
// than kept without effect.
func securityProfileIn(description *string, permissions []string, tags map[string]string, tagRestricted, hierarchyRestricted []string,
	hierarchyGroup *string, apps []cw.Application, modules []cw.FlowModule, granular *cw.GranularAccessControlConfiguration) (domain.SecurityProfileParams, error) {
	if granular != nil {
		return domain.SecurityProfileParams{}, domain.Errorf(domain.ErrInvalidRequest, "GranularAccessControlConfiguration controls access to data tables, which Switchboard does not implement; omit it.")
	}
	p := domain.SecurityProfileParams{Description: description, Permissions: permissions, AllowedAccessControlTags: tags,
		TagRestrictedResources: tagRestricted, HierarchyRestrictedResources: hierarchyRestricted, AllowedAccessControlHierarchyGroupID: hierarchyGroup}
	if apps != nil {
		p.Applications = []domain.SecurityProfileApplication{}
		for _, a := range apps {
			p.Applications = append(p.Applications, domain.SecurityProfileApplication{Namespace: deref(a.Namespace), Type: string(a.Type), Permissions: a.ApplicationPermissions})
		}
	}
	if modules != nil {
		p.AllowedFlowModules = []domain.SecurityProfileFlowModule{}
		for _, m := range modules {
			p.AllowedFlowModules = append(p.AllowedFlowModules, domain.SecurityProfileFlowModule{Type: string(m.Type), ID: deref(m.FlowModuleId)})
		}
	}
	return p, nil
}

// CreateSecurityProfile handles the operation of the same name.
func (h *Handlers) CreateSecurityProfile(ctx context.Context, in *cw.CreateSecurityProfileRequest) (*cw.CreateSecurityProfileResponse, error) {
	p, err := securityProfileIn(in.Description, in.Permissions, in.AllowedAccessControlTags, in.TagRestrictedResources, in.HierarchyRestrictedResources,
		in.AllowedAccessControlHierarchyGroupId, in.Applications, in.AllowedFlowModules, in.GranularAccessControlConfiguration)
	if err != nil {
		return nil, err
	}
	p.Name, p.Tags = deref(in.SecurityProfileName), in.Tags
	sp, err := h.svc.CreateSecurityProfile(ctx, deref(in.InstanceId), p)
	if err != nil {
		return nil, err
	}
	return &cw.CreateSecurityProfileResponse{SecurityProfileId: ref(sp.ID), SecurityProfileArn: ref(sp.Arn)}, nil
}

// UpdateSecurityProfile handles the operation of the same name.
func (h *Handlers) UpdateSecurityProfile(ctx context.Context, in *cw.UpdateSecurityProfileRequest) (*cw.UpdateSecurityProfileResponse, error) {
	p, err := securityProfileIn(in.Description, in.Permissions, in.AllowedAccessControlTags, in.TagRestrictedResources, in.HierarchyRestrictedResources,
		in.AllowedAccessControlHierarchyGroupId, in.Applications, in.AllowedFlowModules, in.GranularAccessControlConfiguration)
	if err != nil {
		return nil, err
	}
	if err := h.svc.UpdateSecurityProfile(ctx, deref(in.InstanceId), deref(in.SecurityProfileId), p); err != nil {
		return nil, err
	}
	return &cw.UpdateSecurityProfileResponse{}, nil
}

// DeleteSecurityProfile handles the operation of the same name.
func (h *Handlers) DeleteSecurityProfile(ctx context.Context, in *cw.DeleteSecurityProfileRequest) (*cw.DeleteSecurityProfileResponse, error) {
	if err := h.svc.DeleteSecurityProfile(ctx, deref(in.InstanceId), deref(in.SecurityProfileId)); err != nil {
		return nil, err
	}
	return &cw.DeleteSecurityProfileResponse{}, nil
}

// ListSecurityProfilePermissions handles the operation of the same name.
func (h *Handlers) ListSecurityProfilePermissions(ctx context.Context, in *cw.ListSecurityProfilePermissionsRequest) (*cw.ListSecurityProfilePermissionsResponse, error) {
	list, next, modified, err := h.svc.ListSecurityProfilePermissions(ctx, deref(in.InstanceId), deref(in.SecurityProfileId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &cw.ListSecurityProfilePermissionsResponse{Permissions: append([]string{}, list...), NextToken: ptr(next),
		LastModifiedTime: wtime(modified), LastModifiedRegion: ref(h.svc.HomeRegion())}, nil
}

// ListSecurityProfileApplications handles the operation of the same name.
func (h *Handlers) ListSecurityProfileApplications(ctx context.Context, in *cw.ListSecurityProfileApplicationsRequest) (*cw.ListSecurityProfileApplicationsResponse, error) {
	list, next, modified, err := h.svc.ListSecurityProfileApplications(ctx, deref(in.InstanceId), deref(in.SecurityProfileId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListSecurityProfileApplicationsResponse{Applications: []cw.Application{}, NextToken: ptr(next),
		LastModifiedTime: wtime(modified), LastModifiedRegion: ref(h.svc.HomeRegion())}
	for _, a := range list {
		out.Applications = append(out.Applications, cw.Application{Namespace: ref(a.Namespace), Type: cw.ApplicationType(a.Type), ApplicationPermissions: a.Permissions})
	}
	return out, nil
}

// ListSecurityProfileFlowModules handles the operation of the same name.
func (h *Handlers) ListSecurityProfileFlowModules(ctx context.Context, in *cw.ListSecurityProfileFlowModulesRequest) (*cw.ListSecurityProfileFlowModulesResponse, error) {
	list, next, modified, err := h.svc.ListSecurityProfileFlowModules(ctx, deref(in.InstanceId), deref(in.SecurityProfileId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListSecurityProfileFlowModulesResponse{AllowedFlowModules: []cw.FlowModule{}, NextToken: ptr(next),
		LastModifiedTime: wtime(modified), LastModifiedRegion: ref(h.svc.HomeRegion())}
	for _, m := range list {
		out.AllowedFlowModules = append(out.AllowedFlowModules, cw.FlowModule{Type: cw.FlowModuleType(m.Type), FlowModuleId: ref(m.ID)})
	}
	return out, nil
}

// SearchSecurityProfiles handles the operation of the same name.
func (h *Handlers) SearchSecurityProfiles(ctx context.Context, in *cw.SearchSecurityProfilesRequest) (*cw.SearchSecurityProfilesResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = tagFilterIn(in.SearchFilter.TagFilter)
	}
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.SecurityProfileSearchCriteria) ([]cw.SecurityProfileSearchCriteria, []cw.SecurityProfileSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchSecurityProfiles(ctx, deref(in.InstanceId), criteria, filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchSecurityProfilesResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), SecurityProfiles: []cw.SecurityProfileSearchSummary{}}
	for _, p := range list {
		out.SecurityProfiles = append(out.SecurityProfiles, cw.SecurityProfileSearchSummary{Id: ref(p.ID), Arn: ref(p.Arn),
			OrganizationResourceId: ref(p.InstanceID), SecurityProfileName: ref(p.Name), Description: ptr(p.Description), Tags: p.Tags})
	}
	return out, nil
}

// profileIDsIn reads a list of SecurityProfileItem.
func profileIDsIn(items []cw.SecurityProfileItem) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, deref(it.Id))
	}
	return out
}

// AssociateSecurityProfiles handles the operation of the same name.
func (h *Handlers) AssociateSecurityProfiles(ctx context.Context, in *cw.AssociateSecurityProfilesRequest) (*cw.AssociateSecurityProfilesResponse, error) {
	if err := h.svc.AssociateSecurityProfiles(ctx, deref(in.InstanceId), string(in.EntityType), deref(in.EntityArn), profileIDsIn(in.SecurityProfiles)); err != nil {
		return nil, err
	}
	return &cw.AssociateSecurityProfilesResponse{}, nil
}

// DisassociateSecurityProfiles handles the operation of the same name.
func (h *Handlers) DisassociateSecurityProfiles(ctx context.Context, in *cw.DisassociateSecurityProfilesRequest) (*cw.DisassociateSecurityProfilesResponse, error) {
	if err := h.svc.DisassociateSecurityProfiles(ctx, deref(in.InstanceId), string(in.EntityType), deref(in.EntityArn), profileIDsIn(in.SecurityProfiles)); err != nil {
		return nil, err
	}
	return &cw.DisassociateSecurityProfilesResponse{}, nil
}

// ListEntitySecurityProfiles handles the operation of the same name.
func (h *Handlers) ListEntitySecurityProfiles(ctx context.Context, in *cw.ListEntitySecurityProfilesRequest) (*cw.ListEntitySecurityProfilesResponse, error) {
	ids, next, err := h.svc.ListEntitySecurityProfiles(ctx, deref(in.InstanceId), string(in.EntityType), deref(in.EntityArn), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListEntitySecurityProfilesResponse{NextToken: ptr(next), SecurityProfiles: []cw.SecurityProfileItem{}}
	for _, id := range ids {
		out.SecurityProfiles = append(out.SecurityProfiles, cw.SecurityProfileItem{Id: ref(id)})
	}
	return out, nil
}
