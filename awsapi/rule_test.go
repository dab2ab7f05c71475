package awsapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// notifyAction sends a notification to users.
func notifyAction(users ...string) types.RuleAction {
	return types.RuleAction{ActionType: types.ActionTypeSendNotification, SendNotificationAction: &types.SendNotificationActionDefinition{
		DeliveryMethod: types.NotificationDeliveryTypeEmail, Subject: aws.String("Low score"), Content: aws.String("Agent $.ContactLens.ContactEvaluation.Agent.AgentId scored low"),
		ContentType: types.NotificationContentTypePlainText, Recipient: &types.NotificationRecipientType{UserIds: users}}}
}

func TestRuleLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	flow := resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)
	created, err := env.Client.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: in, Name: aws.String("low-scores"),
		TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnContactEvaluationSubmit},
		Function:           aws.String(`{"Version":"2022-11-25","RuleFunction":"$.ContactLens.ContactEvaluation.Score < 50"}`),
		Actions: []types.RuleAction{notifyAction("$.ContactLens.ContactEvaluation.Agent.AgentId"),
			{ActionType: types.ActionTypeCreateTask, TaskAction: &types.TaskActionDefinition{Name: aws.String("Coach agent"), ContactFlowId: &flow}}},
		PublishStatus: types.RulePublishStatusDraft})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(*created.RuleArn, ":instance/"+iid+"/rule/"+*created.RuleId) {
		t.Errorf("RuleArn %s", *created.RuleArn)
	}
	d, err := env.Client.DescribeRule(ctx, &connect.DescribeRuleInput{InstanceId: in, RuleId: created.RuleId})
	if err != nil {
		t.Fatal(err)
	}
	r := d.Rule
	if *r.Name != "low-scores" || r.TriggerEventSource.EventSourceName != types.EventSourceNameOnContactEvaluationSubmit || r.PublishStatus != types.RulePublishStatusDraft ||
		len(r.Actions) != 2 || *r.Actions[0].SendNotificationAction.Subject != "Low score" || *r.Actions[1].TaskAction.ContactFlowId != flow ||
		!strings.HasSuffix(*r.LastUpdatedBy, ":root") || r.CreatedTime == nil {
		t.Fatalf("DescribeRule = %+v", r)
	}

	if _, err := env.Client.UpdateRule(ctx, &connect.UpdateRuleInput{InstanceId: in, RuleId: created.RuleId, Name: aws.String("low-scores"),
		Function: r.Function, Actions: r.Actions[:1], PublishStatus: types.RulePublishStatusPublished}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: in, Name: aws.String("busy-queue"),
		TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnMetricDataUpdate}, Function: aws.String("x"),
		Actions:       []types.RuleAction{{ActionType: types.ActionTypeGenerateEventbridgeEvent, EventBridgeAction: &types.EventBridgeActionDefinition{Name: aws.String("busy")}}},
		PublishStatus: types.RulePublishStatusDraft}); err != nil {
		t.Fatal(err)
	}
	published, err := env.Client.ListRules(ctx, &connect.ListRulesInput{InstanceId: in, PublishStatus: types.RulePublishStatusPublished})
	if err != nil || len(published.RuleSummaryList) != 1 || *published.RuleSummaryList[0].Name != "low-scores" ||
		len(published.RuleSummaryList[0].ActionSummaries) != 1 {
		t.Fatalf("ListRules PUBLISHED = %+v, %v", published, err)
	}
	metric, err := env.Client.ListRules(ctx, &connect.ListRulesInput{InstanceId: in, EventSourceName: types.EventSourceNameOnMetricDataUpdate})
	if err != nil || len(metric.RuleSummaryList) != 1 || *metric.RuleSummaryList[0].Name != "busy-queue" {
		t.Fatalf("ListRules OnMetricDataUpdate = %+v, %v", metric, err)
	}
	if _, err := env.Client.DeleteRule(ctx, &connect.DeleteRuleInput{InstanceId: in, RuleId: created.RuleId}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribeRule(ctx, &connect.DescribeRuleInput{InstanceId: in, RuleId: created.RuleId})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestRuleErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{Rules: 2})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	create := func(name string, source types.EventSourceName, integration string, actions ...types.RuleAction) error {
		var ia *string
		if integration != "" {
			ia = aws.String(integration)
		}
		_, err := env.Raw.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: in, Name: aws.String(name),
			TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: source, IntegrationAssociationId: ia},
			Function:           aws.String("f"), Actions: actions, PublishStatus: types.RulePublishStatusDraft})
		return err
	}
	eb := types.RuleAction{ActionType: types.ActionTypeGenerateEventbridgeEvent, EventBridgeAction: &types.EventBridgeActionDefinition{Name: aws.String("e")}}
	for name, tc := range map[string]struct {
		err        error
		code       string
		status     int
		mentioning string
	}{
		"no actions":          {create("r", types.EventSourceNameOnMetricDataUpdate, ""), "InvalidRequestException", 400, "Actions"},
		"definition missing":  {create("r", types.EventSourceNameOnMetricDataUpdate, "", types.RuleAction{ActionType: types.ActionTypeSendNotification}), "InvalidRequestException", 400, "SendNotificationAction"},
		"two definitions":     {create("r", types.EventSourceNameOnMetricDataUpdate, "", types.RuleAction{ActionType: types.ActionTypeGenerateEventbridgeEvent, EventBridgeAction: eb.EventBridgeAction, EndAssociatedTasksAction: &types.EndAssociatedTasksActionDefinition{}}), "InvalidRequestException", 400, "EndAssociatedTasksAction"},
		"action not for it":   {create("r", types.EventSourceNameOnCaseCreate, "", eb), "InvalidRequestException", 400, "OnCaseCreate"},
		"unknown flow":        {create("r", types.EventSourceNameOnMetricDataUpdate, "", types.RuleAction{ActionType: types.ActionTypeCreateTask, TaskAction: &types.TaskActionDefinition{Name: aws.String("t"), ContactFlowId: aws.String("nope")}}), "ResourceNotFoundException", 404, "nope"},
		"unknown user":        {create("r", types.EventSourceNameOnMetricDataUpdate, "", notifyAction("nobody")), "ResourceNotFoundException", 404, "nobody"},
		"integration missing": {create("r", types.EventSourceNameOnZendeskTicketCreate, "", types.RuleAction{ActionType: types.ActionTypeAssignContactCategory, AssignContactCategoryAction: &types.AssignContactCategoryActionDefinition{}}), "InvalidRequestException", 400, "IntegrationAssociationId"},
		"integration unknown": {create("r", types.EventSourceNameOnZendeskTicketCreate, "nope", types.RuleAction{ActionType: types.ActionTypeAssignContactCategory, AssignContactCategoryAction: &types.AssignContactCategoryActionDefinition{}}), "ResourceNotFoundException", 404, "nope"},
		"bad name":            {create(" leading space", types.EventSourceNameOnMetricDataUpdate, "", eb), "InvalidRequestException", 400, "Name"},
		"no such rule": {func() error {
			_, err := env.Raw.DescribeRule(ctx, &connect.DescribeRuleInput{InstanceId: in, RuleId: aws.String("nope")})
			return err
		}(), "ResourceNotFoundException", 404, "nope"},
		"no such instance": {func() error {
			_, err := env.Raw.ListRules(ctx, &connect.ListRulesInput{InstanceId: aws.String("nope")})
			return err
		}(), "ResourceNotFoundException", 404, "nope"},
	} {
		t.Run(name, func(t *testing.T) {
			msg := sbtest.APIError(t, tc.err, tc.code, tc.status)
			if !strings.Contains(msg, tc.mentioning) {
				t.Errorf("message %q does not mention %q", msg, tc.mentioning)
			}
		})
	}
	if err := create("first", types.EventSourceNameOnMetricDataUpdate, "", eb); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create("first", types.EventSourceNameOnMetricDataUpdate, "", eb), "ResourceConflictException", http.StatusConflict)
	if err := create("second", types.EventSourceNameOnMetricDataUpdate, "", eb); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create("third", types.EventSourceNameOnMetricDataUpdate, "", eb), "ServiceQuotaExceededException", http.StatusPaymentRequired)
	list, err := env.Client.ListRules(ctx, &connect.ListRulesInput{InstanceId: in})
	if err != nil || len(list.RuleSummaryList) != 2 {
		t.Fatalf("ListRules = %+v, %v", list, err)
	}
	_, err = env.Raw.UpdateRule(ctx, &connect.UpdateRuleInput{InstanceId: in, RuleId: list.RuleSummaryList[0].RuleId, Name: aws.String("renamed"),
		Function: aws.String("f"), Actions: []types.RuleAction{eb}, PublishStatus: types.RulePublishStatusDraft})
	if msg := sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest); !strings.Contains(msg, "renamed") {
		t.Errorf("rename message %q", msg)
	}
}
