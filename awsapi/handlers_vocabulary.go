package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// CreateVocabulary handles the operation of the same name.
func (h *Handlers) CreateVocabulary(ctx context.Context, in *cw.CreateVocabularyRequest) (*cw.CreateVocabularyResponse, error) {
	v, err := h.svc.CreateVocabulary(ctx, deref(in.InstanceId), domain.VocabularyParams{ClientToken: deref(in.ClientToken), Name: deref(in.VocabularyName),
		LanguageCode: string(in.LanguageCode), Content: deref(in.Content), Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return &cw.CreateVocabularyResponse{VocabularyArn: ref(v.Arn), VocabularyId: ref(v.ID), State: cw.VocabularyState(v.State)}, nil
}

// DescribeVocabulary handles the operation of the same name.
func (h *Handlers) DescribeVocabulary(ctx context.Context, in *cw.DescribeVocabularyRequest) (*cw.DescribeVocabularyResponse, error) {
	v, err := h.svc.DescribeVocabulary(ctx, deref(in.InstanceId), deref(in.VocabularyId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeVocabularyResponse{Vocabulary: &cw.Vocabulary{Name: ref(v.Name), Id: ref(v.ID), Arn: ref(v.Arn),
		LanguageCode: cw.VocabularyLanguageCode(v.LanguageCode), State: cw.VocabularyState(v.State), LastModifiedTime: wtime(v.LastModifiedTime),
		Content: ref(v.Content), Tags: v.Tags}}, nil
}

// SearchVocabularies handles the operation of the same name.
func (h *Handlers) SearchVocabularies(ctx context.Context, in *cw.SearchVocabulariesRequest) (*cw.SearchVocabulariesResponse, error) {
	list, next, err := h.svc.SearchVocabularies(ctx, deref(in.InstanceId), string(in.State), deref(in.NameStartsWith), string(in.LanguageCode),
		listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchVocabulariesResponse{NextToken: ptr(next), VocabularySummaryList: []cw.VocabularySummary{}}
	for _, v := range list {
		out.VocabularySummaryList = append(out.VocabularySummaryList, cw.VocabularySummary{Name: ref(v.Name), Id: ref(v.ID), Arn: ref(v.Arn),
			LanguageCode: cw.VocabularyLanguageCode(v.LanguageCode), State: cw.VocabularyState(v.State), LastModifiedTime: wtime(v.LastModifiedTime)})
	}
	return out, nil
}

// DeleteVocabulary handles the operation of the same name.
func (h *Handlers) DeleteVocabulary(ctx context.Context, in *cw.DeleteVocabularyRequest) (*cw.DeleteVocabularyResponse, error) {
	v, err := h.svc.DeleteVocabulary(ctx, deref(in.InstanceId), deref(in.VocabularyId))
	if err != nil {
		return nil, err
	}
	return &cw.DeleteVocabularyResponse{VocabularyArn: ref(v.Arn), VocabularyId: ref(v.ID), State: cw.VocabularyState(v.State)}, nil
}

// AssociateDefaultVocabulary handles the operation of the same name.
func (h *Handlers) AssociateDefaultVocabulary(ctx context.Context, in *cw.AssociateDefaultVocabularyRequest) (*cw.AssociateDefaultVocabularyResponse, error) {
	if err := h.svc.AssociateDefaultVocabulary(ctx, deref(in.InstanceId), string(in.LanguageCode), deref(in.VocabularyId)); err != nil {
		return nil, err
	}
	return &cw.AssociateDefaultVocabularyResponse{}, nil
}

// ListDefaultVocabularies handles the operation of the same name.
func (h *Handlers) ListDefaultVocabularies(ctx context.Context, in *cw.ListDefaultVocabulariesRequest) (*cw.ListDefaultVocabulariesResponse, error) {
	list, next, err := h.svc.ListDefaultVocabularies(ctx, deref(in.InstanceId), string(in.LanguageCode), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListDefaultVocabulariesResponse{NextToken: ptr(next), DefaultVocabularyList: []cw.DefaultVocabulary{}}
	for _, d := range list {
		out.DefaultVocabularyList = append(out.DefaultVocabularyList, cw.DefaultVocabulary{InstanceId: ref(d.InstanceID),
			LanguageCode: cw.VocabularyLanguageCode(d.Language), VocabularyId: ref(d.VocabularyID), VocabularyName: ref(d.VocabularyName)})
	}
	return out, nil
}
