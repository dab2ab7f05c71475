package awsapi

import (
	"context"
	"encoding/json"
	"slices"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// ruleActionsIn turns a request's actions into the domain's: what the
// rules check, and each action's wire JSON to show back.
func ruleActionsIn(in []cw.RuleAction) ([]domain.RuleAction, error) {
	out := make([]domain.RuleAction, 0, len(in))
	for _, a := range in {
		raw, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		d := domain.RuleAction{Type: string(a.ActionType), Definition: raw}
		for name, present := range map[string]bool{
			"TaskAction": a.TaskAction != nil, "EventBridgeAction": a.EventBridgeAction != nil,
			"AssignContactCategoryAction": a.AssignContactCategoryAction != nil, "SendNotificationAction": a.SendNotificationAction != nil,
			"CreateCaseAction": a.CreateCaseAction != nil, "UpdateCaseAction": a.UpdateCaseAction != nil,
			"AssignSlaAction": a.AssignSlaAction != nil, "EndAssociatedTasksAction": a.EndAssociatedTasksAction != nil,
			"SubmitAutoEvaluationAction": a.SubmitAutoEvaluationAction != nil,
		} {
			if present {
				d.Members = append(d.Members, name)
			}
		}
		slices.Sort(d.Members)
		if a.TaskAction != nil {
			d.FlowID = deref(a.TaskAction.ContactFlowId)
		}
		if n := a.SendNotificationAction; n != nil {
			for _, r := range []*cw.NotificationRecipientType{n.Recipient, n.Exclusion} {
				if r != nil {
					d.UserIDs = append(d.UserIDs, r.UserIds...)
				}
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// ruleActionsOut shows the actions as they were written.
func ruleActionsOut(in []domain.RuleAction) []cw.RuleAction {
	out := make([]cw.RuleAction, 0, len(in))
	for _, a := range in {
		var w cw.RuleAction
		if err := json.Unmarshal(a.Definition, &w); err != nil {
			w = cw.RuleAction{ActionType: cw.ActionType(a.Type)}
		}
		out = append(out, w)
	}
	return out
}

func triggerOut(r *domain.Rule) *cw.RuleTriggerEventSource {
	return &cw.RuleTriggerEventSource{EventSourceName: cw.EventSourceName(r.EventSource), IntegrationAssociationId: ptr(r.IntegrationAssociationID)}
}

// CreateRule handles the operation of the same name.
func (h *Handlers) CreateRule(ctx context.Context, in *cw.CreateRuleRequest) (*cw.CreateRuleResponse, error) {
	actions, err := ruleActionsIn(in.Actions)
	if err != nil {
		return nil, err
	}
	p := domain.RuleParams{ClientToken: deref(in.ClientToken), Name: deref(in.Name), Function: deref(in.Function), Actions: actions,
		PublishStatus: string(in.PublishStatus)}
	if t := in.TriggerEventSource; t != nil {
		p.EventSource, p.IntegrationAssociationID = string(t.EventSourceName), deref(t.IntegrationAssociationId)
	}
	r, err := h.svc.CreateRule(ctx, deref(in.InstanceId), p)
	if err != nil {
		return nil, err
	}
	return &cw.CreateRuleResponse{RuleId: ref(r.ID), RuleArn: ref(r.Arn)}, nil
}

// DescribeRule handles the operation of the same name.
func (h *Handlers) DescribeRule(ctx context.Context, in *cw.DescribeRuleRequest) (*cw.DescribeRuleResponse, error) {
	r, err := h.svc.DescribeRule(ctx, deref(in.InstanceId), deref(in.RuleId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeRuleResponse{Rule: &cw.Rule{Name: ref(r.Name), RuleId: ref(r.ID), RuleArn: ref(r.Arn), TriggerEventSource: triggerOut(r),
		Function: ref(r.Function), Actions: ruleActionsOut(r.Actions), PublishStatus: cw.RulePublishStatus(r.PublishStatus),
		CreatedTime: wtime(r.CreatedTime), LastUpdatedTime: wtime(r.LastUpdatedTime), LastUpdatedBy: ref(r.LastUpdatedBy), Tags: r.Tags}}, nil
}

// ListRules handles the operation of the same name.
func (h *Handlers) ListRules(ctx context.Context, in *cw.ListRulesRequest) (*cw.ListRulesResponse, error) {
	list, next, err := h.svc.ListRules(ctx, deref(in.InstanceId), string(in.PublishStatus), string(in.EventSourceName), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListRulesResponse{NextToken: ptr(next), RuleSummaryList: []cw.RuleSummary{}}
	for i := range list {
		r := &list[i]
		s := cw.RuleSummary{Name: ref(r.Name), RuleId: ref(r.ID), RuleArn: ref(r.Arn), EventSourceName: cw.EventSourceName(r.EventSource),
			PublishStatus: cw.RulePublishStatus(r.PublishStatus), ActionSummaries: []cw.ActionSummary{},
			CreatedTime: wtime(r.CreatedTime), LastUpdatedTime: wtime(r.LastUpdatedTime)}
		for _, a := range r.Actions {
			s.ActionSummaries = append(s.ActionSummaries, cw.ActionSummary{ActionType: cw.ActionType(a.Type)})
		}
		out.RuleSummaryList = append(out.RuleSummaryList, s)
	}
	return out, nil
}

// UpdateRule handles the operation of the same name.
func (h *Handlers) UpdateRule(ctx context.Context, in *cw.UpdateRuleRequest) (*cw.UpdateRuleResponse, error) {
	actions, err := ruleActionsIn(in.Actions)
	if err != nil {
		return nil, err
	}
	err = h.svc.UpdateRule(ctx, deref(in.InstanceId), deref(in.RuleId), domain.RuleParams{Name: deref(in.Name), Function: deref(in.Function),
		Actions: actions, PublishStatus: string(in.PublishStatus)})
	if err != nil {
		return nil, err
	}
	return &cw.UpdateRuleResponse{}, nil
}

// DeleteRule handles the operation of the same name.
func (h *Handlers) DeleteRule(ctx context.Context, in *cw.DeleteRuleRequest) (*cw.DeleteRuleResponse, error) {
	if err := h.svc.DeleteRule(ctx, deref(in.InstanceId), deref(in.RuleId)); err != nil {
		return nil, err
	}
	return &cw.DeleteRuleResponse{}, nil
}
