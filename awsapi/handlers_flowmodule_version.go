package awsapi

import (
	"context"
	"strconv"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// CreateContactFlowModuleVersion handles the operation of the same name.
func (h *Handlers) CreateContactFlowModuleVersion(ctx context.Context, in *cw.CreateContactFlowModuleVersionRequest) (*cw.CreateContactFlowModuleVersionResponse, error) {
	m, v, err := h.svc.CreateContactFlowModuleVersion(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId), deref(in.Description), deref(in.FlowModuleContentSha256))
	if err != nil {
		return nil, err
	}
	return &cw.CreateContactFlowModuleVersionResponse{ContactFlowModuleArn: ref(m.Arn), Version: ref(v)}, nil
}

// ListContactFlowModuleVersions handles the operation of the same name.
func (h *Handlers) ListContactFlowModuleVersions(ctx context.Context, in *cw.ListContactFlowModuleVersionsRequest) (*cw.ListContactFlowModuleVersionsResponse, error) {
	m, list, next, err := h.svc.ListContactFlowModuleVersions(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListContactFlowModuleVersionsResponse{ContactFlowModuleVersionSummaryList: make([]cw.ContactFlowModuleVersionSummary, len(list)), NextToken: ptr(next)}
	for i, v := range list {
		out.ContactFlowModuleVersionSummaryList[i] = cw.ContactFlowModuleVersionSummary{Arn: ref(versionARN(m, v.Version)),
			VersionDescription: ptr(v.Description), Version: ref(v.Version)}
	}
	return out, nil
}

// versionARN is a module version's ARN: the module's, qualified.
func versionARN(m *domain.FlowModule, version int64) string {
	return m.Arn + ":" + strconv.FormatInt(version, 10)
}

// DeleteContactFlowModuleVersion handles the operation of the same name.
func (h *Handlers) DeleteContactFlowModuleVersion(ctx context.Context, in *cw.DeleteContactFlowModuleVersionRequest) (*cw.DeleteContactFlowModuleVersionResponse, error) {
	if err := h.svc.DeleteContactFlowModuleVersion(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId), deref(in.ContactFlowModuleVersion)); err != nil {
		return nil, err
	}
	return &cw.DeleteContactFlowModuleVersionResponse{}, nil
}

// CreateContactFlowModuleAlias handles the operation of the same name.
func (h *Handlers) CreateContactFlowModuleAlias(ctx context.Context, in *cw.CreateContactFlowModuleAliasRequest) (*cw.CreateContactFlowModuleAliasResponse, error) {
	m, a, err := h.svc.CreateContactFlowModuleAlias(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId), deref(in.AliasName), deref(in.Description), deref(in.ContactFlowModuleVersion))
	if err != nil {
		return nil, err
	}
	return &cw.CreateContactFlowModuleAliasResponse{ContactFlowModuleArn: ref(m.Arn), Id: ref(a.ID)}, nil
}

// DescribeContactFlowModuleAlias handles the operation of the same name.
func (h *Handlers) DescribeContactFlowModuleAlias(ctx context.Context, in *cw.DescribeContactFlowModuleAliasRequest) (*cw.DescribeContactFlowModuleAliasResponse, error) {
	m, a, err := h.svc.DescribeContactFlowModuleAlias(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId), deref(in.AliasId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeContactFlowModuleAliasResponse{ContactFlowModuleAlias: &cw.ContactFlowModuleAliasInfo{
		ContactFlowModuleId: ref(m.ID), ContactFlowModuleArn: ref(m.Arn), AliasId: ref(a.ID), Version: ref(a.Version), Name: ref(a.Name),
		Description: ptr(a.Description), LastModifiedRegion: ref(h.svc.HomeRegion()), LastModifiedTime: wtime(a.LastModifiedTime)}}, nil
}

// ListContactFlowModuleAliases handles the operation of the same name.
func (h *Handlers) ListContactFlowModuleAliases(ctx context.Context, in *cw.ListContactFlowModuleAliasesRequest) (*cw.ListContactFlowModuleAliasesResponse, error) {
	m, list, next, err := h.svc.ListContactFlowModuleAliases(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListContactFlowModuleAliasesResponse{ContactFlowModuleAliasSummaryList: make([]cw.ContactFlowModuleAliasSummary, len(list)), NextToken: ptr(next)}
	for i, a := range list {
		out.ContactFlowModuleAliasSummaryList[i] = cw.ContactFlowModuleAliasSummary{Arn: ref(m.Arn + ":" + a.Name), AliasId: ref(a.ID),
			Version: ref(a.Version), AliasName: ref(a.Name), AliasDescription: ptr(a.Description), LastModifiedTime: wtime(a.LastModifiedTime)}
	}
	return out, nil
}

// UpdateContactFlowModuleAlias handles the operation of the same name.
func (h *Handlers) UpdateContactFlowModuleAlias(ctx context.Context, in *cw.UpdateContactFlowModuleAliasRequest) (*cw.UpdateContactFlowModuleAliasResponse, error) {
	if err := h.svc.UpdateContactFlowModuleAlias(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId), deref(in.AliasId), in.Name, in.Description, in.ContactFlowModuleVersion); err != nil {
		return nil, err
	}
	return &cw.UpdateContactFlowModuleAliasResponse{}, nil
}

// DeleteContactFlowModuleAlias handles the operation of the same name.
func (h *Handlers) DeleteContactFlowModuleAlias(ctx context.Context, in *cw.DeleteContactFlowModuleAliasRequest) (*cw.DeleteContactFlowModuleAliasResponse, error) {
	if err := h.svc.DeleteContactFlowModuleAlias(ctx, deref(in.InstanceId), deref(in.ContactFlowModuleId), deref(in.AliasId)); err != nil {
		return nil, err
	}
	return &cw.DeleteContactFlowModuleAliasResponse{}, nil
}
