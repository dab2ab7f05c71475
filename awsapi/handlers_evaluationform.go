package awsapi

import (
	"context"
	"encoding/json"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// evalDefinition is the content of an evaluation form version as the
// caller wrote it, kept whole and shown back by DescribeEvaluationForm.
type evalDefinition struct {
	Items                       []cw.EvaluationFormItem                       `json:"Items"`
	ScoringStrategy             *cw.EvaluationFormScoringStrategy             `json:"ScoringStrategy,omitempty"`
	AutoEvaluationConfiguration *cw.EvaluationFormAutoEvaluationConfiguration `json:"AutoEvaluationConfiguration,omitempty"`
	ReviewConfiguration         *cw.EvaluationReviewConfiguration             `json:"ReviewConfiguration,omitempty"`
	TargetConfiguration         *cw.EvaluationFormTargetConfiguration         `json:"TargetConfiguration,omitempty"`
	LanguageConfiguration       *cw.EvaluationFormLanguageConfiguration       `json:"LanguageConfiguration,omitempty"`
}

// evalContentIn turns a request's form content into the domain's: what
// its rules check, and the definition to keep.
func evalContentIn(d evalDefinition) (domain.EvalFormContent, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return domain.EvalFormContent{}, err
	}
	c := domain.EvalFormContent{Items: evalItemsIn(d.Items), Definition: raw}
	if s := d.ScoringStrategy; s != nil && s.Status == cw.EvaluationFormScoringStatusEnabled {
		c.ScoringMode = string(s.Mode)
	}
	return c, nil
}

func evalItemsIn(items []cw.EvaluationFormItem) []domain.EvalItem {
	out := make([]domain.EvalItem, 0, len(items))
	for _, it := range items {
		var d domain.EvalItem
		if s := it.Section; s != nil {
			d.Section = &domain.EvalSection{RefID: deref(s.RefId), Title: deref(s.Title), Items: evalItemsIn(s.Items), Weight: s.Weight,
				Excluded: deref(s.IsExcludedFromScoring)}
		}
		if q := it.Question; q != nil {
			dq := &domain.EvalQuestion{RefID: deref(q.RefId), Title: deref(q.Title), Type: string(q.QuestionType), Weight: q.Weight,
				NotApplicable: deref(q.NotApplicableEnabled)}
			if sc := q.ScoringConfiguration; sc != nil {
				dq.Excluded = deref(sc.IsExcludedFromScoring)
			}
			if p := q.QuestionTypeProperties; p != nil {
				switch {
				case p.Numeric != nil:
					dq.Properties, dq.Min, dq.Max = "Numeric", p.Numeric.MinValue, p.Numeric.MaxValue
					for _, o := range p.Numeric.Options {
						dq.Options = append(dq.Options, domain.EvalOption{Min: o.MinValue, Max: o.MaxValue, Score: deref(o.Score), AutoFail: deref(o.AutomaticFail)})
					}
				case p.SingleSelect != nil:
					dq.Properties = "SingleSelect"
					for _, o := range p.SingleSelect.Options {
						dq.Options = append(dq.Options, domain.EvalOption{RefID: deref(o.RefId), Score: deref(o.Score), AutoFail: deref(o.AutomaticFail)})
					}
				case p.MultiSelect != nil:
					dq.Properties = "MultiSelect"
					for _, o := range p.MultiSelect.Options {
						dq.Options = append(dq.Options, domain.EvalOption{RefID: deref(o.RefId), Score: deref(o.Score), AutoFail: deref(o.AutomaticFail)})
					}
				case p.Text != nil:
					dq.Properties = "Text"
				}
			}
			d.Question = dq
		}
		out = append(out, d)
	}
	return out
}

// CreateEvaluationForm handles the operation of the same name.
func (h *Handlers) CreateEvaluationForm(ctx context.Context, in *cw.CreateEvaluationFormRequest) (*cw.CreateEvaluationFormResponse, error) {
	c, err := evalContentIn(evalDefinition{Items: in.Items, ScoringStrategy: in.ScoringStrategy, AutoEvaluationConfiguration: in.AutoEvaluationConfiguration,
		ReviewConfiguration: in.ReviewConfiguration, TargetConfiguration: in.TargetConfiguration, LanguageConfiguration: in.LanguageConfiguration})
	if err != nil {
		return nil, err
	}
	f, err := h.svc.CreateEvaluationForm(ctx, deref(in.InstanceId), domain.EvalFormParams{ClientToken: deref(in.ClientToken), Title: deref(in.Title),
		Description: deref(in.Description), Content: c, AsDraft: deref(in.AsDraft), Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return &cw.CreateEvaluationFormResponse{EvaluationFormId: ref(f.ID), EvaluationFormArn: ref(f.Arn)}, nil
}

// DescribeEvaluationForm handles the operation of the same name.
func (h *Handlers) DescribeEvaluationForm(ctx context.Context, in *cw.DescribeEvaluationFormRequest) (*cw.DescribeEvaluationFormResponse, error) {
	f, v, err := h.svc.DescribeEvaluationForm(ctx, deref(in.InstanceId), deref(in.EvaluationFormId), deref(in.EvaluationFormVersion))
	if err != nil {
		return nil, err
	}
	var d evalDefinition
	if err := json.Unmarshal(v.Content.Definition, &d); err != nil {
		return nil, err
	}
	if d.Items == nil {
		d.Items = []cw.EvaluationFormItem{}
	}
	return &cw.DescribeEvaluationFormResponse{EvaluationForm: &cw.EvaluationForm{EvaluationFormId: ref(f.ID), EvaluationFormArn: ref(f.Arn),
		EvaluationFormVersion: ref(v.Version), Locked: ref(v.Locked), Title: ref(v.Title), Description: ptr(v.Description),
		Status: cw.EvaluationFormVersionStatus(v.Status), Items: d.Items, ScoringStrategy: d.ScoringStrategy,
		AutoEvaluationConfiguration: d.AutoEvaluationConfiguration, ReviewConfiguration: d.ReviewConfiguration,
		TargetConfiguration: d.TargetConfiguration, LanguageConfiguration: d.LanguageConfiguration, Tags: f.Tags,
		CreatedTime: wtime(v.CreatedTime), CreatedBy: ref(v.CreatedBy), LastModifiedTime: wtime(v.LastModifiedTime), LastModifiedBy: ref(v.LastModifiedBy)}}, nil
}

// ListEvaluationForms handles the operation of the same name.
func (h *Handlers) ListEvaluationForms(ctx context.Context, in *cw.ListEvaluationFormsRequest) (*cw.ListEvaluationFormsResponse, error) {
	list, next, err := h.svc.ListEvaluationForms(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListEvaluationFormsResponse{NextToken: ptr(next), EvaluationFormSummaryList: []cw.EvaluationFormSummary{}}
	for _, f := range list {
		out.EvaluationFormSummaryList = append(out.EvaluationFormSummaryList, cw.EvaluationFormSummary{EvaluationFormId: ref(f.ID),
			EvaluationFormArn: ref(f.Arn), Title: ref(f.Title), CreatedTime: wtime(f.CreatedTime), CreatedBy: ref(f.CreatedBy),
			LastModifiedTime: wtime(f.LastModifiedTime), LastModifiedBy: ref(f.LastModifiedBy), LastActivatedTime: wtime(f.LastActivatedTime),
			LastActivatedBy: ptr(f.LastActivatedBy), LatestVersion: ref(f.LatestVersion), ActiveVersion: ptr(f.ActiveVersion)})
	}
	return out, nil
}

// ListEvaluationFormVersions handles the operation of the same name.
func (h *Handlers) ListEvaluationFormVersions(ctx context.Context, in *cw.ListEvaluationFormVersionsRequest) (*cw.ListEvaluationFormVersionsResponse, error) {
	f, list, next, err := h.svc.ListEvaluationFormVersions(ctx, deref(in.InstanceId), deref(in.EvaluationFormId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListEvaluationFormVersionsResponse{NextToken: ptr(next), EvaluationFormVersionSummaryList: []cw.EvaluationFormVersionSummary{}}
	for _, v := range list {
		out.EvaluationFormVersionSummaryList = append(out.EvaluationFormVersionSummaryList, cw.EvaluationFormVersionSummary{
			EvaluationFormArn: ref(f.Arn), EvaluationFormId: ref(f.ID), EvaluationFormVersion: ref(v.Version), Locked: ref(v.Locked),
			Status: cw.EvaluationFormVersionStatus(v.Status), CreatedTime: wtime(v.CreatedTime), CreatedBy: ref(v.CreatedBy),
			LastModifiedTime: wtime(v.LastModifiedTime), LastModifiedBy: ref(v.LastModifiedBy)})
	}
	return out, nil
}

// UpdateEvaluationForm handles the operation of the same name.
func (h *Handlers) UpdateEvaluationForm(ctx context.Context, in *cw.UpdateEvaluationFormRequest) (*cw.UpdateEvaluationFormResponse, error) {
	c, err := evalContentIn(evalDefinition{Items: in.Items, ScoringStrategy: in.ScoringStrategy, AutoEvaluationConfiguration: in.AutoEvaluationConfiguration,
		ReviewConfiguration: in.ReviewConfiguration, TargetConfiguration: in.TargetConfiguration, LanguageConfiguration: in.LanguageConfiguration})
	if err != nil {
		return nil, err
	}
	f, version, err := h.svc.UpdateEvaluationForm(ctx, deref(in.InstanceId), deref(in.EvaluationFormId), deref(in.EvaluationFormVersion),
		deref(in.CreateNewVersion), domain.EvalFormParams{Title: deref(in.Title), Description: deref(in.Description), Content: c, AsDraft: deref(in.AsDraft)})
	if err != nil {
		return nil, err
	}
	return &cw.UpdateEvaluationFormResponse{EvaluationFormId: ref(f.ID), EvaluationFormArn: ref(f.Arn), EvaluationFormVersion: ref(version)}, nil
}

// ActivateEvaluationForm handles the operation of the same name.
func (h *Handlers) ActivateEvaluationForm(ctx context.Context, in *cw.ActivateEvaluationFormRequest) (*cw.ActivateEvaluationFormResponse, error) {
	f, err := h.svc.ActivateEvaluationForm(ctx, deref(in.InstanceId), deref(in.EvaluationFormId), deref(in.EvaluationFormVersion))
	if err != nil {
		return nil, err
	}
	return &cw.ActivateEvaluationFormResponse{EvaluationFormId: ref(f.ID), EvaluationFormArn: ref(f.Arn), EvaluationFormVersion: in.EvaluationFormVersion}, nil
}

// DeactivateEvaluationForm handles the operation of the same name.
func (h *Handlers) DeactivateEvaluationForm(ctx context.Context, in *cw.DeactivateEvaluationFormRequest) (*cw.DeactivateEvaluationFormResponse, error) {
	f, err := h.svc.DeactivateEvaluationForm(ctx, deref(in.InstanceId), deref(in.EvaluationFormId), deref(in.EvaluationFormVersion))
	if err != nil {
		return nil, err
	}
	return &cw.DeactivateEvaluationFormResponse{EvaluationFormId: ref(f.ID), EvaluationFormArn: ref(f.Arn), EvaluationFormVersion: in.EvaluationFormVersion}, nil
}

// DeleteEvaluationForm handles the operation of the same name.
func (h *Handlers) DeleteEvaluationForm(ctx context.Context, in *cw.DeleteEvaluationFormRequest) (*cw.DeleteEvaluationFormResponse, error) {
	if err := h.svc.DeleteEvaluationForm(ctx, deref(in.InstanceId), deref(in.EvaluationFormId), deref(in.EvaluationFormVersion)); err != nil {
		return nil, err
	}
	return &cw.DeleteEvaluationFormResponse{}, nil
}
