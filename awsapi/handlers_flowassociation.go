package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// AssociateFlow handles the operation of the same name.
func (h *Handlers) AssociateFlow(ctx context.Context, in *cw.AssociateFlowRequest) (*cw.AssociateFlowResponse, error) {
	if err := h.svc.AssociateFlow(ctx, deref(in.InstanceId), deref(in.ResourceId), deref(in.FlowId), string(in.ResourceType)); err != nil {
		return nil, err
	}
	return &cw.AssociateFlowResponse{}, nil
}

// DisassociateFlow handles the operation of the same name.
func (h *Handlers) DisassociateFlow(ctx context.Context, in *cw.DisassociateFlowRequest) (*cw.DisassociateFlowResponse, error) {
	if err := h.svc.DisassociateFlow(ctx, deref(in.InstanceId), deref(in.ResourceId), string(in.ResourceType)); err != nil {
		return nil, err
	}
	return &cw.DisassociateFlowResponse{}, nil
}

// GetFlowAssociation handles the operation of the same name.
func (h *Handlers) GetFlowAssociation(ctx context.Context, in *cw.GetFlowAssociationRequest) (*cw.GetFlowAssociationResponse, error) {
	a, err := h.svc.GetFlowAssociation(ctx, deref(in.InstanceId), deref(in.ResourceId), string(in.ResourceType))
	if err != nil {
		return nil, err
	}
	return &cw.GetFlowAssociationResponse{ResourceId: ref(a.ResourceArn), FlowId: ref(a.FlowArn), ResourceType: cw.FlowAssociationResourceType(a.ResourceType)}, nil
}

// ListFlowAssociations handles the operation of the same name.
func (h *Handlers) ListFlowAssociations(ctx context.Context, in *cw.ListFlowAssociationsRequest) (*cw.ListFlowAssociationsResponse, error) {
	list, next, err := h.svc.ListFlowAssociations(ctx, deref(in.InstanceId), string(in.ResourceType), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &cw.ListFlowAssociationsResponse{FlowAssociationSummaryList: flowAssociationsOut(list), NextToken: ptr(next)}, nil
}

// BatchGetFlowAssociation handles the operation of the same name.
func (h *Handlers) BatchGetFlowAssociation(ctx context.Context, in *cw.BatchGetFlowAssociationRequest) (*cw.BatchGetFlowAssociationResponse, error) {
	list, err := h.svc.BatchGetFlowAssociation(ctx, deref(in.InstanceId), in.ResourceIds, string(in.ResourceType))
	if err != nil {
		return nil, err
	}
	return &cw.BatchGetFlowAssociationResponse{FlowAssociationSummaryList: flowAssociationsOut(list)}, nil
}

func flowAssociationsOut(list []domain.FlowAssociation) []cw.FlowAssociationSummary {
	out := make([]cw.FlowAssociationSummary, len(list))
	for i, a := range list {
		out[i] = cw.FlowAssociationSummary{ResourceId: ref(a.ResourceArn), FlowId: ref(a.FlowArn), ResourceType: cw.ListFlowAssociationResourceType(a.ResourceType)}
	}
	return out
}
