package awsapi_test

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func gte(name, value string, level float32) *types.AttributeCondition {
	return &types.AttributeCondition{Name: aws.String(name), Value: aws.String(value), ProficiencyLevel: aws.Float32(level), ComparisonOperator: aws.String("NumberGreaterOrEqualTo")}
}

func between(name, value string, lo, hi float32) *types.AttributeCondition {
	return &types.AttributeCondition{Name: aws.String(name), Value: aws.String(value), ComparisonOperator: aws.String("Range"),
		Range: &types.Range{MinProficiencyLevel: aws.Float32(lo), MaxProficiencyLevel: aws.Float32(hi)}}
}

func match(agents ...string) *types.AttributeCondition {
	return &types.AttributeCondition{ComparisonOperator: aws.String("Match"), MatchCriteria: &types.MatchCriteria{AgentsCriteria: &types.AgentsCriteria{AgentIds: agents}}}
}

func steps(ex ...types.Expression) *types.RoutingCriteriaInput {
	rc := &types.RoutingCriteriaInput{}
	for i := range ex {
		rc.Steps = append(rc.Steps, types.RoutingCriteriaInputStep{Expression: &ex[i]})
	}
	return rc
}

func TestUpdateContactRoutingData(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	id := e.task("route me")
	set := func(in *connect.UpdateContactRoutingDataInput) error {
		in.InstanceId = aws.String(e.iid)
		if in.ContactId == nil {
			in.ContactId = aws.String(id)
		}
		_, err := e.Raw.UpdateContactRoutingData(e.ctx(), in)
		return err
	}
	ctEq(t, "default QueuePriority", aws.ToInt64(e.describe(id).QueuePriority), 5)

	e.Clock.Advance(time.Minute)
	if err := set(&connect.UpdateContactRoutingDataInput{QueuePriority: aws.Int64(1)}); err != nil {
		t.Fatal(err)
	}
	c := e.describe(id)
	ctEq(t, "QueuePriority", aws.ToInt64(c.QueuePriority), 1)
	ctTime(t, "LastUpdateTimestamp", c.LastUpdateTimestamp, sbtest.Start.Add(time.Minute))
	if err := set(&connect.UpdateContactRoutingDataInput{QueueTimeAdjustmentSeconds: aws.Int32(-30)}); err != nil {
		t.Fatal(err)
	}
	c = e.describe(id)
	ctEq(t, "QueueTimeAdjustmentSeconds", aws.ToInt32(c.QueueTimeAdjustmentSeconds), -30)
	ctEq(t, "QueuePriority kept", aws.ToInt64(c.QueuePriority), 1)

	criteria := &types.RoutingCriteriaInput{Steps: []types.RoutingCriteriaInputStep{
		{Expiry: &types.RoutingCriteriaInputStepExpiry{DurationInSeconds: aws.Int32(30)}, Expression: &types.Expression{AttributeCondition: gte("Language", "French", 3)}},
		{Expression: &types.Expression{AndExpression: []types.Expression{
			{AttributeCondition: between("Technology", "Billing", 2, 4)},
			{NotAttributeCondition: gte("Language", "German", 1)},
		}}},
		{Expression: &types.Expression{OrExpression: []types.Expression{
			{AndExpression: []types.Expression{{AttributeCondition: gte("Language", "English", 5)}}},
			{AttributeCondition: match("agent-1", "agent-2")},
		}}},
	}}
	if err := set(&connect.UpdateContactRoutingDataInput{RoutingCriteria: criteria}); err != nil {
		t.Fatal(err)
	}
	rc := e.describe(id).RoutingCriteria
	if rc == nil || len(rc.Steps) != 3 {
		t.Fatalf("RoutingCriteria = %+v", rc)
	}
	ctEq(t, "Index", aws.ToInt32(rc.Index), 0)
	// The contact is not in a queue, so no step is active yet.
	ctTime(t, "ActivationTimestamp", rc.ActivationTimestamp, time.Time{})
	for i, st := range rc.Steps {
		ctEq(t, fmt.Sprintf("Steps[%d].Status", i), st.Status, types.RoutingCriteriaStepStatusInactive)
		if !reflect.DeepEqual(st.Expression, criteria.Steps[i].Expression) {
			t.Errorf("Steps[%d].Expression round trip:\n got %#v\nwant %#v", i, st.Expression, criteria.Steps[i].Expression)
		}
	}
	if x := rc.Steps[0].Expiry; x == nil || aws.ToInt32(x.DurationInSeconds) != 30 || x.ExpiryTimestamp != nil {
		t.Errorf("Steps[0].Expiry = %+v", x)
	}
	if rc.Steps[1].Expiry != nil {
		t.Errorf("Steps[1].Expiry = %+v, want none", rc.Steps[1].Expiry)
	}
	if err := set(&connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AttributeCondition: match("agent-9")})}); err != nil {
		t.Fatal(err)
	}
	ctEq(t, "Index after a second set", aws.ToInt32(e.describe(id).RoutingCriteria.Index), 1)

	too := func(n int, mk func(int) types.Expression) []types.Expression {
		out := make([]types.Expression, n)
		for i := range out {
			out[i] = mk(i)
		}
		return out
	}
	leaf := func(i int) types.Expression {
		return types.Expression{AttributeCondition: gte("Skill", fmt.Sprint(i), 1)}
	}
	agents := make([]string, 11)
	for i := range agents {
		agents[i] = fmt.Sprint("agent-", i)
	}
	for _, tc := range []struct {
		name   string
		in     connect.UpdateContactRoutingDataInput
		exc    string
		status int
		says   string
	}{
		{"priority and adjustment", connect.UpdateContactRoutingDataInput{QueuePriority: aws.Int64(2), QueueTimeAdjustmentSeconds: aws.Int32(5)}, "InvalidParameterException", 400, "not both"},
		{"nothing", connect.UpdateContactRoutingDataInput{}, "InvalidParameterException", 400, "at least one"},
		{"priority 0 (model)", connect.UpdateContactRoutingDataInput{QueuePriority: aws.Int64(0)}, "InvalidParameterException", 400, "QueuePriority"},
		{"no steps", connect.UpdateContactRoutingDataInput{RoutingCriteria: &types.RoutingCriteriaInput{}}, "InvalidParameterException", 400, "at least one step"},
		{"6 steps", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(too(6, leaf)...)}, "InvalidParameterException", 400, "at most 5"},
		{"empty expression", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{})}, "InvalidParameterException", 400, "empty"},
		{"condition and not", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AttributeCondition: gte("a", "b", 1), NotAttributeCondition: gte("a", "c", 1)})}, "InvalidParameterException", 400, "more than one"},
		{"or inside and", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AndExpression: []types.Expression{{OrExpression: too(2, leaf)}}})}, "InvalidParameterException", 400, "OR is only allowed"},
		{"and inside and", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AndExpression: []types.Expression{{AndExpression: too(2, leaf)}}})}, "InvalidParameterException", 400, "nests another"},
		{"or inside or", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{OrExpression: []types.Expression{{OrExpression: too(2, leaf)}}})}, "InvalidParameterException", 400, "OR is only allowed"},
		{"4 or branches", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{OrExpression: too(4, leaf)})}, "InvalidParameterException", 400, "1 to 3"},
		{"9 and conditions", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AndExpression: too(9, leaf)})}, "InvalidParameterException", 400, "1 to 8"},
		{"proficiency 5.5", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AttributeCondition: gte("a", "b", 5.5)})}, "InvalidParameterException", 400, "less than or equal to 5"},
		{"proficiency missing", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AttributeCondition: &types.AttributeCondition{Name: aws.String("a"), Value: aws.String("b"), ComparisonOperator: aws.String("NumberGreaterOrEqualTo")}})}, "InvalidParameterException", 400, "ProficiencyLevel"},
		{"range reversed", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AttributeCondition: between("a", "b", 4, 2)})}, "InvalidParameterException", 400, "greater than"},
		{"range without bounds", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AttributeCondition: &types.AttributeCondition{Name: aws.String("a"), Value: aws.String("b"), ComparisonOperator: aws.String("Range")}})}, "InvalidParameterException", 400, "MinProficiencyLevel"},
		{"match 11 agents", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AttributeCondition: match(agents...)})}, "InvalidParameterException", 400, "at most 10"},
		{"match no agents", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AttributeCondition: match()})}, "InvalidParameterException", 400, "AgentIds"},
		{"not match", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{NotAttributeCondition: match("a")})}, "InvalidParameterException", 400, "Match"},
		{"unknown operator", connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AttributeCondition: &types.AttributeCondition{Name: aws.String("a"), Value: aws.String("b"), ComparisonOperator: aws.String("Equals")}})}, "InvalidParameterException", 400, "Equals"},
		{"negative expiry", connect.UpdateContactRoutingDataInput{RoutingCriteria: &types.RoutingCriteriaInput{Steps: []types.RoutingCriteriaInputStep{
			{Expiry: &types.RoutingCriteriaInputStepExpiry{DurationInSeconds: aws.Int32(-1)}, Expression: &types.Expression{AttributeCondition: gte("a", "b", 1)}}}}}, "InvalidParameterException", 400, "DurationInSeconds"},
		{"unknown contact", connect.UpdateContactRoutingDataInput{ContactId: aws.String("nope"), QueuePriority: aws.Int64(2)}, "ResourceNotFoundException", 404, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			ctContains(t, sbtest.APIError(t, set(&in), tc.exc, tc.status), tc.says)
		})
	}
	// Both AND and OR side by side are accepted and combined with AND.
	if err := set(&connect.UpdateContactRoutingDataInput{RoutingCriteria: steps(types.Expression{AndExpression: too(2, leaf), OrExpression: too(2, leaf)})}); err != nil {
		t.Errorf("AND beside OR: %v", err)
	}
	e.stop(id)
	err := set(&connect.UpdateContactRoutingDataInput{QueuePriority: aws.Int64(3)})
	ctContains(t, sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict), "ended")
}
