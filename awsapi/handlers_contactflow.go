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
	return &cw.DescribeContactFlowResponse{ContactFlow: &cw.ContactFlow{
		Id: ref(f.ID), Arn: ref(f.Arn), Name: ref(f.Name), Type: cw.ContactFlowType(f.Type), State: cw.ContactFlowState(f.State),
		Status: cw.ContactFlowStatus(f.Status), Description: ptr(f.Description), Content: ref(f.Content), Tags: f.Tags,
		FlowContentSha256: ref(f.ContentSHA256()), Version: ref(f.Version), LastModifiedTime: wtime(f.LastModifiedTime),
		LastModifiedRegion: ref(h.svc.HomeRegion()),
	}}, nil
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
