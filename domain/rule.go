package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Rules (CreateRule and the rest). A rule names an event source, a
// condition in Connect's rules function language and the actions to take.
// Switchboard keeps rules, checks what can be checked without running
// them, and lists them; none of the sources fires here (Contact Lens
// analyses, cases, evaluations, third-party tickets and metric rules are
// not emulated), so no rule runs.

// Rule is a rule of an instance.
type Rule struct {
	ID, Arn, InstanceID string
	Name                string
	EventSource         string
	// IntegrationAssociationID is the third-party integration a ticket or
	// case event source comes from.
	IntegrationAssociationID string `json:",omitempty"`
	Function                 string
	Actions                  []RuleAction
	PublishStatus            string
	Tags                     map[string]string `json:",omitempty"`
	CreatedTime              time.Time
	LastUpdatedTime          time.Time
	LastUpdatedBy            string
}

func (r *Rule) recordKey() (string, string) { return r.ID, r.Name }

// RuleAction is one action of a rule. Definition is the action as the
// caller wrote it (its wire JSON), kept to be shown back; the fields
// before it are what the rules here check.
type RuleAction struct {
	Type string
	// Members are the definition members present (TaskAction, …).
	Members []string
	// FlowID is TaskAction.ContactFlowId; UserIDs the notification's
	// recipients and exclusions given by ID.
	FlowID     string   `json:",omitempty"`
	UserIDs    []string `json:",omitempty"`
	Definition json.RawMessage
}

// Rule event sources.
const (
	sourceZendeskCreate  = "OnZendeskTicketCreate"
	sourceZendeskStatus  = "OnZendeskTicketStatusUpdate"
	sourceSalesforceCase = "OnSalesforceCaseCreate"
	sourceEvaluation     = "OnContactEvaluationSubmit"
	sourceMetricUpdate   = "OnMetricDataUpdate"
	sourcePostCall       = "OnPostCallAnalysisAvailable"
	sourceRealTimeCall   = "OnRealTimeCallAnalysisAvailable"
	sourceRealTimeChat   = "OnRealTimeChatAnalysisAvailable"
	sourcePostChat       = "OnPostChatAnalysisAvailable"
	sourceCaseCreate     = "OnCaseCreate"
	sourceCaseUpdate     = "OnCaseUpdate"
)

// thirdPartySources are the event sources of an integration: their rules
// name the integration association, and only their names can change.
var thirdPartySources = []string{sourceZendeskCreate, sourceZendeskStatus, sourceSalesforceCase}

// ruleActionKinds gives each action type its definition member and the
// event sources it is documented for (nil: any).
var ruleActionKinds = map[string]struct {
	member  string
	sources []string
}{
	"CREATE_TASK": {"TaskAction", nil},
	"GENERATE_EVENTBRIDGE_EVENT": {"EventBridgeAction", []string{sourcePostCall, sourceRealTimeCall, sourceRealTimeChat, sourcePostChat,
		sourceEvaluation, sourceMetricUpdate}},
	"ASSIGN_CONTACT_CATEGORY": {"AssignContactCategoryAction", []string{sourcePostCall, sourceRealTimeCall, sourceRealTimeChat, sourcePostChat,
		sourceZendeskCreate, sourceZendeskStatus, sourceSalesforceCase}},
	"SEND_NOTIFICATION": {"SendNotificationAction", []string{sourcePostCall, sourceRealTimeCall, sourceRealTimeChat, sourcePostChat,
		sourceEvaluation, sourceMetricUpdate}},
	"CREATE_CASE":            {"CreateCaseAction", []string{sourcePostCall, sourcePostChat}},
	"UPDATE_CASE":            {"UpdateCaseAction", []string{sourceCaseCreate, sourceCaseUpdate}},
	"ASSIGN_SLA":             {"AssignSlaAction", nil},
	"END_ASSOCIATED_TASKS":   {"EndAssociatedTasksAction", []string{sourceCaseUpdate}},
	"SUBMIT_AUTO_EVALUATION": {"SubmitAutoEvaluationAction", nil},
}

// RuleParams are CreateRule's and UpdateRule's inputs.
type RuleParams struct {
	ClientToken              string
	Name                     string
	EventSource              string
	IntegrationAssociationID string
	Function                 string
	Actions                  []RuleAction
	PublishStatus            string
}

// checkRule applies the rules that need no store.
func checkRule(source string, p RuleParams) error {
	if strings.TrimSpace(p.Function) == "" {
		return Errorf(ErrInvalidRequest, "Function is empty; write the rule's condition in the rules function language.")
	}
	if len(p.Actions) == 0 {
		return Errorf(ErrInvalidRequest, "Actions is empty; a rule needs at least one action.")
	}
	for i, a := range p.Actions {
		kind, ok := ruleActionKinds[a.Type]
		if !ok {
			return Errorf(ErrInvalidRequest, "Actions[%d].ActionType %q is not an action type.", i, clip(a.Type, 64))
		}
		if !slices.Contains(a.Members, kind.member) {
			return Errorf(ErrInvalidRequest, "Actions[%d] is %s and needs %s.", i, a.Type, kind.member)
		}
		if len(a.Members) > 1 {
			return Errorf(ErrInvalidRequest, "Actions[%d] is %s and takes %s only; it also has %s.", i, a.Type, kind.member,
				strings.Join(slices.DeleteFunc(slices.Clone(a.Members), func(m string) bool { return m == kind.member }), ", "))
		}
		if kind.sources != nil && !slices.Contains(kind.sources, source) {
			return Errorf(ErrInvalidRequest, "Actions[%d]: %s is not supported for event source %s; it is for %s.", i, a.Type, source, strings.Join(kind.sources, ", "))
		}
	}
	return nil
}

// checkRuleReferences checks what a rule's actions name in the instance.
func checkRuleReferences(tx ReadTx, iid string, p RuleParams) error {
	for i, a := range p.Actions {
		if a.FlowID != "" {
			if err := exists(tx, KindContactFlow, iid, a.FlowID, fmt.Sprintf("Actions[%d].TaskAction.ContactFlowId", i)); err != nil {
				return err
			}
		}
		for _, u := range a.UserIDs {
			if strings.HasPrefix(u, "$.") {
				continue // injected when the rule runs
			}
			if err := exists(tx, KindUser, iid, u, fmt.Sprintf("Actions[%d].SendNotificationAction recipient", i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// CreateRule creates a rule.
func (s *Service) CreateRule(ctx context.Context, instanceID string, p RuleParams) (*Rule, error) {
	if err := checkRule(p.EventSource, p); err != nil {
		return nil, err
	}
	third := slices.Contains(thirdPartySources, p.EventSource)
	if third && p.IntegrationAssociationID == "" {
		return nil, Errorf(ErrInvalidRequest, "Event source %s comes from an integration; name it in TriggerEventSource.IntegrationAssociationId.", p.EventSource)
	}
	var r *Rule
	tok := newClientToken("CreateRule", p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		iid, id, now, prior, err := newIn[Rule](s, tx, KindRule, instanceID, tok)
		if err != nil || prior != nil {
			r = prior
			return err
		}
		if err := checkQuota(tx, KindRule, iid, s.quotas.Rules, ErrQuotaExceeded, "rules"); err != nil {
			return err
		}
		if p.IntegrationAssociationID != "" {
			if err := exists(tx, KindIntegrationAssociation, iid, p.IntegrationAssociationID, "TriggerEventSource.IntegrationAssociationId"); err != nil {
				return err
			}
		}
		if err := checkRuleReferences(tx, iid, p); err != nil {
			return err
		}
		r = &Rule{ID: id, Arn: s.newARN(KindRule, iid, id), InstanceID: iid, Name: p.Name, EventSource: p.EventSource,
			IntegrationAssociationID: p.IntegrationAssociationID, Function: p.Function, Actions: p.Actions, PublishStatus: p.PublishStatus,
			CreatedTime: now, LastUpdatedTime: now, LastUpdatedBy: s.rootARN()}
		return ruleSaved(save(tx, KindRule, iid, r, now, now), p.Name)
	})
	return r, err
}

// ruleSaved turns a taken name into ResourceConflictException, the
// exception the rule operations list for it.
func ruleSaved(err error, name string) error {
	if errors.Is(err, ErrStoreDuplicate) || CodeOf(err) == ErrDuplicate {
		return Errorf(ErrResourceConflict, "A rule named %q already exists in this instance; choose another name.", clip(name, 200))
	}
	return err
}

// rootARN is the identity every caller signs as, the account's root.
func (s *Service) rootARN() string { return fmt.Sprintf("arn:aws:iam::%s:root", s.cfg.AccountID) }

// DescribeRule returns a rule.
func (s *Service) DescribeRule(ctx context.Context, instanceID, ruleID string) (*Rule, error) {
	return describe[Rule](s, ctx, KindRule, instanceID, ruleID)
}

// ListRules pages through the rules of a publish status and event source
// ("" for any).
func (s *Service) ListRules(ctx context.Context, instanceID, status, source string, page Page) ([]Rule, string, error) {
	return listIn(s, ctx, KindRule, instanceID, page, func(r *Rule) bool {
		return (status == "" || r.PublishStatus == status) && (source == "" || r.EventSource == source)
	})
}

// UpdateRule replaces a rule's name, function, actions and status. Only a
// third-party event source's rule may be renamed.
func (s *Service) UpdateRule(ctx context.Context, instanceID, ruleID string, p RuleParams) error {
	_, err := modify(s, ctx, KindRule, instanceID, ruleID, func(tx Tx, iid string, now time.Time, r *Rule) error {
		if err := checkRule(r.EventSource, p); err != nil {
			return err
		}
		if p.Name != r.Name && !slices.Contains(thirdPartySources, r.EventSource) {
			return Errorf(ErrInvalidRequest, "Rule %s cannot be renamed: only rules of %s can; pass its name, %q.", r.ID, strings.Join(thirdPartySources, ", "), r.Name)
		}
		if err := checkRuleReferences(tx, iid, p); err != nil {
			return err
		}
		r.Name, r.Function, r.Actions, r.PublishStatus = p.Name, p.Function, p.Actions, p.PublishStatus
		r.LastUpdatedTime, r.LastUpdatedBy = now, s.rootARN()
		return nil
	})
	return ruleSaved(err, p.Name)
}

// DeleteRule deletes a rule.
func (s *Service) DeleteRule(ctx context.Context, instanceID, ruleID string) error {
	return s.remove(ctx, KindRule, instanceID, ruleID, nil)
}
