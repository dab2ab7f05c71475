package awsapi

import (
	"context"
	"encoding/json"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// evaluationChangeIn reads the answers and notes of an update or submit.
func evaluationChangeIn(answers map[string]cw.EvaluationAnswerInput, notes map[string]cw.EvaluationNote, by *cw.EvaluatorUserUnion) domain.EvaluationChange {
	ch := domain.EvaluationChange{Answers: map[string]domain.EvalAnswer{}, Notes: map[string]string{}}
	for ref, a := range answers {
		var d domain.EvalAnswer
		if v := a.Value; v != nil {
			d = domain.EvalAnswer{String: v.StringValue, Number: v.NumericValue, Strings: v.StringValues, DateTime: v.DateTimeValue, NotApplicable: deref(v.NotApplicable)}
		}
		ch.Answers[ref] = d
	}
	for ref, n := range notes {
		ch.Notes[ref] = deref(n.Value)
	}
	if by != nil {
		ch.By = deref(by.ConnectUserArn)
	}
	return ch
}

func scoreOut(s *domain.EvalScore) *cw.EvaluationScore {
	if s == nil {
		return nil
	}
	out := &cw.EvaluationScore{NotApplicable: ptr(s.NotApplicable), AutomaticFail: ptr(s.AutomaticFail)}
	if !s.NotApplicable {
		out.Percentage = ref(s.Percentage)
	}
	return out
}

// StartContactEvaluation handles the operation of the same name.
func (h *Handlers) StartContactEvaluation(ctx context.Context, in *cw.StartContactEvaluationRequest) (*cw.StartContactEvaluationResponse, error) {
	e, err := h.svc.StartContactEvaluation(ctx, deref(in.InstanceId), deref(in.ContactId), deref(in.EvaluationFormId), deref(in.ClientToken), in.Tags)
	if err != nil {
		return nil, err
	}
	return &cw.StartContactEvaluationResponse{EvaluationId: ref(e.ID), EvaluationArn: ref(e.Arn)}, nil
}

// UpdateContactEvaluation handles the operation of the same name.
func (h *Handlers) UpdateContactEvaluation(ctx context.Context, in *cw.UpdateContactEvaluationRequest) (*cw.UpdateContactEvaluationResponse, error) {
	e, err := h.svc.UpdateContactEvaluation(ctx, deref(in.InstanceId), deref(in.EvaluationId), evaluationChangeIn(in.Answers, in.Notes, in.UpdatedBy))
	if err != nil {
		return nil, err
	}
	return &cw.UpdateContactEvaluationResponse{EvaluationId: ref(e.ID), EvaluationArn: ref(e.Arn)}, nil
}

// SubmitContactEvaluation handles the operation of the same name.
func (h *Handlers) SubmitContactEvaluation(ctx context.Context, in *cw.SubmitContactEvaluationRequest) (*cw.SubmitContactEvaluationResponse, error) {
	e, err := h.svc.SubmitContactEvaluation(ctx, deref(in.InstanceId), deref(in.EvaluationId), evaluationChangeIn(in.Answers, in.Notes, in.SubmittedBy))
	if err != nil {
		return nil, err
	}
	return &cw.SubmitContactEvaluationResponse{EvaluationId: ref(e.ID), EvaluationArn: ref(e.Arn)}, nil
}

// DescribeContactEvaluation handles the operation of the same name.
func (h *Handlers) DescribeContactEvaluation(ctx context.Context, in *cw.DescribeContactEvaluationRequest) (*cw.DescribeContactEvaluationResponse, error) {
	e, f, v, err := h.svc.DescribeContactEvaluation(ctx, deref(in.InstanceId), deref(in.EvaluationId))
	if err != nil {
		return nil, err
	}
	ev := &cw.Evaluation{EvaluationId: ref(e.ID), EvaluationArn: ref(e.Arn), Status: cw.EvaluationStatus(e.Status), Tags: e.Tags,
		Metadata: &cw.EvaluationMetadata{ContactId: ref(e.ContactID), EvaluatorArn: ref(e.EvaluatorArn), ContactAgentId: ptr(e.ContactAgentID), Score: scoreOut(e.Score)},
		Answers:  map[string]cw.EvaluationAnswerOutput{}, Notes: map[string]cw.EvaluationNote{},
		CreatedTime: wtime(e.CreatedTime), LastModifiedTime: wtime(e.LastModifiedTime)}
	for rid, a := range e.Answers {
		ev.Answers[rid] = cw.EvaluationAnswerOutput{Value: &cw.EvaluationAnswerData{StringValue: a.String, NumericValue: a.Number,
			StringValues: a.Strings, DateTimeValue: a.DateTime, NotApplicable: ptr(a.NotApplicable)}}
	}
	for rid, n := range e.Notes {
		ev.Notes[rid] = cw.EvaluationNote{Value: ref(n)}
	}
	if e.Scores != nil {
		ev.Scores = map[string]cw.EvaluationScore{}
		for rid, s := range e.Scores {
			ev.Scores[rid] = *scoreOut(&s)
		}
	}
	var d evalDefinition
	if err := json.Unmarshal(v.Content.Definition, &d); err != nil {
		return nil, err
	}
	return &cw.DescribeContactEvaluationResponse{Evaluation: ev, EvaluationForm: &cw.EvaluationFormContent{EvaluationFormVersion: ref(v.Version),
		EvaluationFormId: ref(f.ID), EvaluationFormArn: ref(f.Arn), Title: ref(v.Title), Description: ptr(v.Description), Items: d.Items,
		ScoringStrategy: d.ScoringStrategy, AutoEvaluationConfiguration: d.AutoEvaluationConfiguration, TargetConfiguration: d.TargetConfiguration,
		LanguageConfiguration: d.LanguageConfiguration, ReviewConfiguration: d.ReviewConfiguration}}, nil
}

// ListContactEvaluations handles the operation of the same name.
func (h *Handlers) ListContactEvaluations(ctx context.Context, in *cw.ListContactEvaluationsRequest) (*cw.ListContactEvaluationsResponse, error) {
	list, next, err := h.svc.ListContactEvaluations(ctx, deref(in.InstanceId), deref(in.ContactId), listPage(in.NextToken, nil))
	if err != nil {
		return nil, err
	}
	out := &cw.ListContactEvaluationsResponse{NextToken: ptr(next), EvaluationSummaryList: []cw.EvaluationSummary{}}
	for i := range list {
		e := &list[i]
		out.EvaluationSummaryList = append(out.EvaluationSummaryList, cw.EvaluationSummary{EvaluationId: ref(e.ID), EvaluationArn: ref(e.Arn),
			EvaluationFormTitle: ref(e.FormTitle), EvaluationFormId: ref(e.FormID), Status: cw.EvaluationStatus(e.Status),
			EvaluatorArn: ref(e.EvaluatorArn), Score: scoreOut(e.Score), CreatedTime: wtime(e.CreatedTime), LastModifiedTime: wtime(e.LastModifiedTime)})
	}
	return out, nil
}

// DeleteContactEvaluation handles the operation of the same name.
func (h *Handlers) DeleteContactEvaluation(ctx context.Context, in *cw.DeleteContactEvaluationRequest) (*cw.DeleteContactEvaluationResponse, error) {
	if err := h.svc.DeleteContactEvaluation(ctx, deref(in.InstanceId), deref(in.EvaluationId)); err != nil {
		return nil, err
	}
	return &cw.DeleteContactEvaluationResponse{}, nil
}
