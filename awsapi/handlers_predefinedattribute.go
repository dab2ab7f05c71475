package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

func predefinedAttributeParams(values *cw.PredefinedAttributeValues, purposes []string, cfg *cw.InputPredefinedAttributeConfiguration) domain.PredefinedAttributeParams {
	p := domain.PredefinedAttributeParams{Purposes: purposes, HasPurposes: purposes != nil}
	if values != nil {
		p.Values, p.HasValues = values.StringList, true
		if p.Values == nil {
			p.Values = []string{}
		}
	}
	if cfg != nil {
		p.ValidateValues = cfg.EnableValueValidationOnAssociation
	}
	return p
}

func predefinedAttributeOut(h *Handlers, a *domain.PredefinedAttribute) cw.PredefinedAttribute {
	out := cw.PredefinedAttribute{Name: ref(a.Name), Values: &cw.PredefinedAttributeValues{StringList: a.Values}, Purposes: a.Purposes,
		LastModifiedTime: wtime(a.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())}
	if out.Values.StringList == nil {
		out.Values.StringList = []string{}
	}
	if a.ValidateValues != nil {
		out.AttributeConfiguration = &cw.PredefinedAttributeConfiguration{EnableValueValidationOnAssociation: a.ValidateValues, IsReadOnly: ref(false)}
	}
	return out
}

// CreatePredefinedAttribute handles the operation of the same name.
func (h *Handlers) CreatePredefinedAttribute(ctx context.Context, in *cw.CreatePredefinedAttributeRequest) (*cw.CreatePredefinedAttributeResponse, error) {
	_, err := h.svc.CreatePredefinedAttribute(ctx, deref(in.InstanceId), deref(in.Name), predefinedAttributeParams(in.Values, in.Purposes, in.AttributeConfiguration))
	if err != nil {
		return nil, err
	}
	return &cw.CreatePredefinedAttributeResponse{}, nil
}

// DescribePredefinedAttribute handles the operation of the same name.
func (h *Handlers) DescribePredefinedAttribute(ctx context.Context, in *cw.DescribePredefinedAttributeRequest) (*cw.DescribePredefinedAttributeResponse, error) {
	a, err := h.svc.DescribePredefinedAttribute(ctx, deref(in.InstanceId), deref(in.Name))
	if err != nil {
		return nil, err
	}
	out := predefinedAttributeOut(h, a)
	return &cw.DescribePredefinedAttributeResponse{PredefinedAttribute: &out}, nil
}

// ListPredefinedAttributes handles the operation of the same name.
func (h *Handlers) ListPredefinedAttributes(ctx context.Context, in *cw.ListPredefinedAttributesRequest) (*cw.ListPredefinedAttributesResponse, error) {
	list, next, err := h.svc.ListPredefinedAttributes(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListPredefinedAttributesResponse{NextToken: ptr(next), PredefinedAttributeSummaryList: []cw.PredefinedAttributeSummary{}}
	for _, a := range list {
		out.PredefinedAttributeSummaryList = append(out.PredefinedAttributeSummaryList, cw.PredefinedAttributeSummary{Name: ref(a.Name),
			LastModifiedTime: wtime(a.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())})
	}
	return out, nil
}

// UpdatePredefinedAttribute handles the operation of the same name.
func (h *Handlers) UpdatePredefinedAttribute(ctx context.Context, in *cw.UpdatePredefinedAttributeRequest) (*cw.UpdatePredefinedAttributeResponse, error) {
	err := h.svc.UpdatePredefinedAttribute(ctx, deref(in.InstanceId), deref(in.Name), predefinedAttributeParams(in.Values, in.Purposes, in.AttributeConfiguration))
	if err != nil {
		return nil, err
	}
	return &cw.UpdatePredefinedAttributeResponse{}, nil
}

// DeletePredefinedAttribute handles the operation of the same name.
func (h *Handlers) DeletePredefinedAttribute(ctx context.Context, in *cw.DeletePredefinedAttributeRequest) (*cw.DeletePredefinedAttributeResponse, error) {
	if err := h.svc.DeletePredefinedAttribute(ctx, deref(in.InstanceId), deref(in.Name)); err != nil {
		return nil, err
	}
	return &cw.DeletePredefinedAttributeResponse{}, nil
}

// SearchPredefinedAttributes handles the operation of the same name.
func (h *Handlers) SearchPredefinedAttributes(ctx context.Context, in *cw.SearchPredefinedAttributesRequest) (*cw.SearchPredefinedAttributesResponse, error) {
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.PredefinedAttributeSearchCriteria) ([]cw.PredefinedAttributeSearchCriteria, []cw.PredefinedAttributeSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchPredefinedAttributes(ctx, deref(in.InstanceId), criteria, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchPredefinedAttributesResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), PredefinedAttributes: []cw.PredefinedAttribute{}}
	for i := range list {
		out.PredefinedAttributes = append(out.PredefinedAttributes, predefinedAttributeOut(h, &list[i]))
	}
	return out, nil
}
