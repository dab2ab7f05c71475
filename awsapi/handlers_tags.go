package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
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

// TagContact handles the operation of the same name.
func (h *Handlers) TagContact(ctx context.Context, in *cw.TagContactRequest) (*cw.TagContactResponse, error) {
	if err := h.svc.TagContact(ctx, deref(in.InstanceId), deref(in.ContactId), in.Tags); err != nil {
		return nil, err
	}
	return &cw.TagContactResponse{}, nil
}

// UntagContact handles the operation of the same name.
func (h *Handlers) UntagContact(ctx context.Context, in *cw.UntagContactRequest) (*cw.UntagContactResponse, error) {
	if err := h.svc.UntagContact(ctx, deref(in.InstanceId), deref(in.ContactId), in.TagKeys); err != nil {
		return nil, err
	}
	return &cw.UntagContactResponse{}, nil
}

// SearchResourceTags handles the operation of the same name.
func (h *Handlers) SearchResourceTags(ctx context.Context, in *cw.SearchResourceTagsRequest) (*cw.SearchResourceTagsResponse, error) {
	var search *domain.TagSearch
	if in.SearchCriteria != nil && in.SearchCriteria.TagSearchCondition != nil {
		c := in.SearchCriteria.TagSearchCondition
		search = &domain.TagSearch{Key: deref(c.TagKey), Value: deref(c.TagValue), KeyComparison: string(c.TagKeyComparisonType),
			ValueComparison: string(c.TagValueComparisonType)}
	}
	tags, next, err := h.svc.SearchResourceTags(ctx, deref(in.InstanceId), in.ResourceTypes, search, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchResourceTagsResponse{NextToken: ptr(next), Tags: []cw.TagSet{}}
	for _, t := range tags {
		out.Tags = append(out.Tags, cw.TagSet{Key: ref(t.Key), Value: ref(t.Value)})
	}
	return out, nil
}
