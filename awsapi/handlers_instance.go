package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// CreateInstance handles the operation of the same name.
func (h *Handlers) CreateInstance(ctx context.Context, in *cw.CreateInstanceRequest) (*cw.CreateInstanceResponse, error) {
	inst, err := h.svc.CreateInstance(ctx, domain.CreateInstanceParams{
		ClientToken:            deref(in.ClientToken),
		IdentityManagementType: string(in.IdentityManagementType),
		Alias:                  deref(in.InstanceAlias),
		DirectoryID:            deref(in.DirectoryId),
		InboundCallsEnabled:    deref(in.InboundCallsEnabled),
		OutboundCallsEnabled:   deref(in.OutboundCallsEnabled),
		Tags:                   in.Tags,
	})
	if err != nil {
		return nil, err
	}
	return &cw.CreateInstanceResponse{Id: ref(inst.ID), Arn: ref(inst.Arn)}, nil
}

// DescribeInstance handles the operation of the same name.
func (h *Handlers) DescribeInstance(ctx context.Context, in *cw.DescribeInstanceRequest) (*cw.DescribeInstanceResponse, error) {
	inst, err := h.svc.DescribeInstance(ctx, deref(in.InstanceId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeInstanceResponse{Instance: &cw.Instance{
		Id: ref(inst.ID), Arn: ref(inst.Arn), IdentityManagementType: cw.DirectoryType(inst.IdentityManagementType),
		InstanceAlias: ptr(inst.Alias), CreatedTime: wtime(inst.CreatedTime), ServiceRole: ref(h.svc.ServiceRole()),
		InstanceStatus: cw.InstanceStatus(inst.Status), InboundCallsEnabled: ref(inst.InboundCallsEnabled),
		OutboundCallsEnabled: ref(inst.OutboundCallsEnabled), InstanceAccessUrl: ptr(inst.AccessURL()), Tags: inst.Tags,
	}}, nil
}

// ListInstances handles the operation of the same name.
func (h *Handlers) ListInstances(ctx context.Context, in *cw.ListInstancesRequest) (*cw.ListInstancesResponse, error) {
	list, next, err := h.svc.ListInstances(ctx, domain.Page{NextToken: deref(in.NextToken), MaxResults: int(deref(in.MaxResults))})
	if err != nil {
		return nil, err
	}
	out := &cw.ListInstancesResponse{NextToken: ptr(next), InstanceSummaryList: []cw.InstanceSummary{}}
	for _, inst := range list {
		out.InstanceSummaryList = append(out.InstanceSummaryList, cw.InstanceSummary{
			Id: ref(inst.ID), Arn: ref(inst.Arn), IdentityManagementType: cw.DirectoryType(inst.IdentityManagementType),
			InstanceAlias: ptr(inst.Alias), CreatedTime: wtime(inst.CreatedTime), ServiceRole: ref(h.svc.ServiceRole()),
			InstanceStatus: cw.InstanceStatus(inst.Status), InboundCallsEnabled: ref(inst.InboundCallsEnabled),
			OutboundCallsEnabled: ref(inst.OutboundCallsEnabled), InstanceAccessUrl: ptr(inst.AccessURL()),
		})
	}
	return out, nil
}

// DeleteInstance handles the operation of the same name.
func (h *Handlers) DeleteInstance(ctx context.Context, in *cw.DeleteInstanceRequest) (*cw.DeleteInstanceResponse, error) {
	if err := h.svc.DeleteInstance(ctx, deref(in.InstanceId)); err != nil {
		return nil, err
	}
	return &cw.DeleteInstanceResponse{}, nil
}

// DescribeInstanceAttribute handles the operation of the same name.
func (h *Handlers) DescribeInstanceAttribute(ctx context.Context, in *cw.DescribeInstanceAttributeRequest) (*cw.DescribeInstanceAttributeResponse, error) {
	a, err := h.svc.DescribeInstanceAttribute(ctx, deref(in.InstanceId), string(in.AttributeType))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeInstanceAttributeResponse{Attribute: &cw.Attribute{AttributeType: cw.InstanceAttributeType(a.Type), Value: ref(a.Value)}}, nil
}

// ListInstanceAttributes handles the operation of the same name.
func (h *Handlers) ListInstanceAttributes(ctx context.Context, in *cw.ListInstanceAttributesRequest) (*cw.ListInstanceAttributesResponse, error) {
	list, next, err := h.svc.ListInstanceAttributes(ctx, deref(in.InstanceId), domain.Page{NextToken: deref(in.NextToken), MaxResults: int(deref(in.MaxResults))})
	if err != nil {
		return nil, err
	}
	out := &cw.ListInstanceAttributesResponse{NextToken: ptr(next), Attributes: []cw.Attribute{}}
	for _, a := range list {
		out.Attributes = append(out.Attributes, cw.Attribute{AttributeType: cw.InstanceAttributeType(a.Type), Value: ref(a.Value)})
	}
	return out, nil
}

// UpdateInstanceAttribute handles the operation of the same name. Setting
// a value is idempotent by itself, so the ClientToken needs no record.
func (h *Handlers) UpdateInstanceAttribute(ctx context.Context, in *cw.UpdateInstanceAttributeRequest) (*cw.UpdateInstanceAttributeResponse, error) {
	if err := h.svc.UpdateInstanceAttribute(ctx, deref(in.InstanceId), string(in.AttributeType), deref(in.Value)); err != nil {
		return nil, err
	}
	return &cw.UpdateInstanceAttributeResponse{}, nil
}
