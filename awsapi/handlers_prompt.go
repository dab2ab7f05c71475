package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// CreatePrompt handles the operation of the same name.
func (h *Handlers) CreatePrompt(ctx context.Context, in *cw.CreatePromptRequest) (*cw.CreatePromptResponse, error) {
	p, err := h.svc.CreatePrompt(ctx, deref(in.InstanceId), domain.PromptParams{Name: in.Name, Description: in.Description, S3URI: in.S3Uri, Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return &cw.CreatePromptResponse{PromptId: ref(p.ID), PromptARN: ref(p.Arn)}, nil
}

func promptOut(h *Handlers, p *domain.Prompt) cw.Prompt {
	return cw.Prompt{PromptId: ref(p.ID), PromptARN: ref(p.Arn), Name: ref(p.Name), Description: ptr(p.Description), Tags: p.Tags,
		LastModifiedTime: wtime(p.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())}
}

// DescribePrompt handles the operation of the same name.
func (h *Handlers) DescribePrompt(ctx context.Context, in *cw.DescribePromptRequest) (*cw.DescribePromptResponse, error) {
	p, err := h.svc.DescribePrompt(ctx, deref(in.InstanceId), deref(in.PromptId))
	if err != nil {
		return nil, err
	}
	out := promptOut(h, p)
	return &cw.DescribePromptResponse{Prompt: &out}, nil
}

// ListPrompts handles the operation of the same name.
func (h *Handlers) ListPrompts(ctx context.Context, in *cw.ListPromptsRequest) (*cw.ListPromptsResponse, error) {
	list, next, err := h.svc.ListPrompts(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListPromptsResponse{NextToken: ptr(next), PromptSummaryList: []cw.PromptSummary{}}
	for _, p := range list {
		out.PromptSummaryList = append(out.PromptSummaryList, cw.PromptSummary{Id: ref(p.ID), Arn: ref(p.Arn), Name: ref(p.Name),
			LastModifiedTime: wtime(p.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())})
	}
	return out, nil
}

// UpdatePrompt handles the operation of the same name.
func (h *Handlers) UpdatePrompt(ctx context.Context, in *cw.UpdatePromptRequest) (*cw.UpdatePromptResponse, error) {
	p, err := h.svc.UpdatePrompt(ctx, deref(in.InstanceId), deref(in.PromptId), domain.PromptParams{Name: in.Name, Description: in.Description, S3URI: in.S3Uri})
	if err != nil {
		return nil, err
	}
	return &cw.UpdatePromptResponse{PromptId: ref(p.ID), PromptARN: ref(p.Arn)}, nil
}

// DeletePrompt handles the operation of the same name.
func (h *Handlers) DeletePrompt(ctx context.Context, in *cw.DeletePromptRequest) (*cw.DeletePromptResponse, error) {
	if err := h.svc.DeletePrompt(ctx, deref(in.InstanceId), deref(in.PromptId)); err != nil {
		return nil, err
	}
	return &cw.DeletePromptResponse{}, nil
}

// GetPromptFile handles the operation of the same name.
func (h *Handlers) GetPromptFile(ctx context.Context, in *cw.GetPromptFileRequest) (*cw.GetPromptFileResponse, error) {
	u, modified, err := h.svc.PromptFileURL(ctx, deref(in.InstanceId), deref(in.PromptId))
	if err != nil {
		return nil, err
	}
	return &cw.GetPromptFileResponse{PromptPresignedUrl: ref(u), LastModifiedTime: wtime(modified), LastModifiedRegion: ref(h.svc.HomeRegion())}, nil
}

// SearchPrompts handles the operation of the same name.
func (h *Handlers) SearchPrompts(ctx context.Context, in *cw.SearchPromptsRequest) (*cw.SearchPromptsResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = tagFilterIn(in.SearchFilter.TagFilter)
	}
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.PromptSearchCriteria) ([]cw.PromptSearchCriteria, []cw.PromptSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchPrompts(ctx, deref(in.InstanceId), criteria, filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchPromptsResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), Prompts: []cw.Prompt{}}
	for i := range list {
		out.Prompts = append(out.Prompts, promptOut(h, &list[i]))
	}
	return out, nil
}
