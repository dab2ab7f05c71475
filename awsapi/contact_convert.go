package awsapi

import (
	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// Conversions of the contact value objects between the wire and the domain.

func refsIn(in map[string]cw.Reference) map[string]domain.Reference {
	if in == nil {
		return nil
	}
	out := make(map[string]domain.Reference, len(in))
	for k, r := range in {
		out[k] = domain.Reference{Type: string(r.Type), Value: deref(r.Value), Status: string(r.Status), Arn: deref(r.Arn), StatusReason: deref(r.StatusReason)}
	}
	return out
}

func segIn(in map[string]cw.SegmentAttributeValue) map[string]domain.SegmentValue {
	if in == nil {
		return nil
	}
	out := make(map[string]domain.SegmentValue, len(in))
	for k, v := range in {
		out[k] = segValueIn(v)
	}
	return out
}

func segValueIn(v cw.SegmentAttributeValue) domain.SegmentValue {
	d := domain.SegmentValue{String: v.ValueString, Integer: v.ValueInteger, Arn: v.ValueArn, Map: segIn(v.ValueMap)}
	if v.ValueList != nil {
		d.List = make([]domain.SegmentValue, len(v.ValueList))
		for i, e := range v.ValueList {
			d.List[i] = segValueIn(e)
		}
	}
	return d
}

func segOut(in map[string]domain.SegmentValue) map[string]cw.SegmentAttributeValue {
	if in == nil {
		return nil
	}
	out := make(map[string]cw.SegmentAttributeValue, len(in))
	for k, v := range in {
		out[k] = segValueOut(v)
	}
	return out
}

func segValueOut(v domain.SegmentValue) cw.SegmentAttributeValue {
	w := cw.SegmentAttributeValue{ValueString: v.String, ValueInteger: v.Integer, ValueArn: v.Arn, ValueMap: segOut(v.Map)}
	if v.List != nil {
		w.ValueList = make([]cw.SegmentAttributeValue, len(v.List))
		for i, e := range v.List {
			w.ValueList[i] = segValueOut(e)
		}
	}
	return w
}

// searchSegOut keeps what ContactSearchSummary can carry (strings and maps).
func searchSegOut(in map[string]domain.SegmentValue) map[string]cw.ContactSearchSummarySegmentAttributeValue {
	if in == nil {
		return nil
	}
	out := make(map[string]cw.ContactSearchSummarySegmentAttributeValue, len(in))
	for k, v := range in {
		if v.String == nil && v.Map == nil {
			continue
		}
		out[k] = cw.ContactSearchSummarySegmentAttributeValue{ValueString: v.String, ValueMap: segOut(v.Map)}
	}
	return out
}

func criteriaIn(in *cw.RoutingCriteriaInput) *domain.RoutingCriteria {
	if in == nil {
		return nil
	}
	rc := &domain.RoutingCriteria{Steps: make([]domain.RoutingStep, len(in.Steps))}
	for i, st := range in.Steps {
		var d domain.RoutingStep
		if st.Expiry != nil {
			d.ExpirySeconds = st.Expiry.DurationInSeconds
		}
		if st.Expression != nil {
			d.Expression = exprIn(*st.Expression)
		}
		rc.Steps[i] = d
	}
	return rc
}

func exprIn(e cw.Expression) domain.Expression {
	d := domain.Expression{Attribute: condIn(e.AttributeCondition), Not: condIn(e.NotAttributeCondition)}
	if e.AndExpression != nil {
		d.And = make([]domain.Expression, len(e.AndExpression))
		for i, s := range e.AndExpression {
			d.And[i] = exprIn(s)
		}
	}
	if e.OrExpression != nil {
		d.Or = make([]domain.Expression, len(e.OrExpression))
		for i, s := range e.OrExpression {
			d.Or[i] = exprIn(s)
		}
	}
	return d
}

func condIn(c *cw.AttributeCondition) *domain.AttributeCondition {
	if c == nil {
		return nil
	}
	d := &domain.AttributeCondition{Name: deref(c.Name), Value: deref(c.Value), ProficiencyLevel: c.ProficiencyLevel, ComparisonOperator: deref(c.ComparisonOperator)}
	if c.Range != nil {
		d.HasRange, d.MinLevel, d.MaxLevel = true, c.Range.MinProficiencyLevel, c.Range.MaxProficiencyLevel
	}
	if c.MatchCriteria != nil {
		d.HasMatchCriteria = true
		if c.MatchCriteria.AgentsCriteria != nil {
			d.AgentIDs = c.MatchCriteria.AgentsCriteria.AgentIds
		}
	}
	return d
}

func criteriaOut(rc *domain.RoutingCriteria) *cw.RoutingCriteria {
	if rc == nil {
		return nil
	}
	out := &cw.RoutingCriteria{ActivationTimestamp: wtime(rc.ActivationTime), Index: ref(int32(rc.Index)), Steps: make([]cw.Step, len(rc.Steps))}
	for i, st := range rc.Steps {
		e := exprOut(st.Expression)
		w := cw.Step{Expression: &e, Status: cw.RoutingCriteriaStepStatus(st.Status)}
		if st.ExpirySeconds != nil {
			w.Expiry = &cw.Expiry{DurationInSeconds: st.ExpirySeconds, ExpiryTimestamp: wtime(st.ExpiryTime)}
		}
		out.Steps[i] = w
	}
	return out
}

func exprOut(e domain.Expression) cw.Expression {
	w := cw.Expression{AttributeCondition: condOut(e.Attribute), NotAttributeCondition: condOut(e.Not)}
	if e.And != nil {
		w.AndExpression = make([]cw.Expression, len(e.And))
		for i, s := range e.And {
			w.AndExpression[i] = exprOut(s)
		}
	}
	if e.Or != nil {
		w.OrExpression = make([]cw.Expression, len(e.Or))
		for i, s := range e.Or {
			w.OrExpression[i] = exprOut(s)
		}
	}
	return w
}

func condOut(c *domain.AttributeCondition) *cw.AttributeCondition {
	if c == nil {
		return nil
	}
	w := &cw.AttributeCondition{Name: ptr(c.Name), Value: ptr(c.Value), ProficiencyLevel: c.ProficiencyLevel, ComparisonOperator: ptr(c.ComparisonOperator)}
	if c.HasRange {
		w.Range = &cw.Range{MinProficiencyLevel: c.MinLevel, MaxProficiencyLevel: c.MaxLevel}
	}
	if c.HasMatchCriteria {
		w.MatchCriteria = &cw.MatchCriteria{AgentsCriteria: &cw.AgentsCriteria{AgentIds: c.AgentIDs}}
	}
	return w
}

func endpointIn(e *cw.Endpoint) *domain.Endpoint {
	if e == nil {
		return nil
	}
	return &domain.Endpoint{Type: string(e.Type), Address: deref(e.Address)}
}

func endpointOut(e *domain.Endpoint) *cw.EndpointInfo {
	if e == nil {
		return nil
	}
	return &cw.EndpointInfo{Type: cw.EndpointType(e.Type), Address: ptr(e.Address), DisplayName: ptr(e.DisplayName)}
}

func emailInfosIn(in []cw.EmailAddressInfo) []domain.Endpoint {
	out := make([]domain.Endpoint, 0, len(in))
	for _, e := range in {
		out = append(out, domain.Endpoint{Type: "EMAIL_ADDRESS", Address: deref(e.EmailAddress), DisplayName: deref(e.DisplayName)})
	}
	return out
}

func recipientsOut(in []domain.Endpoint) []cw.EmailRecipient {
	if len(in) == 0 {
		return nil
	}
	out := make([]cw.EmailRecipient, len(in))
	for i, e := range in {
		out[i] = cw.EmailRecipient{Address: ptr(e.Address), DisplayName: ptr(e.DisplayName)}
	}
	return out
}
