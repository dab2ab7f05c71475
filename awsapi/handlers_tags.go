package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
)

// TagResource handles the operation of the same name.
func (h *Handlers) TagResource(ctx context.Context, in *cw.TagResourceRequest) (*cw.TagResourceResponse, error) {
	if err := h.svc.TagResource(ctx, deref(in.ResourceArn), in.Tags); err != nil {
		return nil, err
	}
	return &cw.TagResourceResponse{}, nil
}

// UntagResource handles the operation of the same name.
func (h *Handlers) UntagResource(ctx context.Context, in *cw.UntagResourceRequest) (*cw.UntagResourceResponse, error) {
	if err := h.svc.UntagResource(ctx, deref(in.ResourceArn), in.TagKeys); err != nil {
		return nil, err
	}
	return &cw.UntagResourceResponse{}, nil
}

// ListTagsForResource handles the operation of the same name.
func (h *Handlers) ListTagsForResource(ctx context.Context, in *cw.ListTagsForResourceRequest) (*cw.ListTagsForResourceResponse, error) {
	tags, err := h.svc.ListTagsForResource(ctx, deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	return &cw.ListTagsForResourceResponse{Tags: tags}, nil
}
