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

func TestQuickConnectLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	_, queue := resBasic(t, env, iid)
	queueFlow := resDefaultFlow(t, env, iid, types.ContactFlowTypeQueueTransfer)
	agentFlow := resDefaultFlow(t, env, iid, types.ContactFlowTypeAgentTransfer)
	inbound := resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)
	configs := []struct {
		name string
		cfg  types.QuickConnectConfig
	}{
		{"to queue", types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue, QueueConfig: &types.QueueQuickConnectConfig{QueueId: aws.String(queue), ContactFlowId: aws.String(queueFlow)}}},
		{"to agent", types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeUser, UserConfig: &types.UserQuickConnectConfig{UserId: aws.String("some-user"), ContactFlowId: aws.String(agentFlow)}}},
		{"to number", types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypePhoneNumber, PhoneConfig: &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String("+12065550199")}}},
		{"to flow", types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeFlow, FlowConfig: &types.FlowQuickConnectConfig{ContactFlowId: aws.String(inbound)}}},
	}
	ids := map[string]string{}
	for _, c := range configs {
		cfg := c.cfg
		out, err := env.Client.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: aws.String(iid), Name: aws.String(c.name),
			Description: aws.String("qc " + c.name), QuickConnectConfig: &cfg, Tags: map[string]string{"t": c.name}})
		if err != nil {
			t.Fatalf("create %s: %v", c.name, err)
		}
		if !strings.HasSuffix(*out.QuickConnectARN, ":instance/"+iid+"/transfer-destination/"+*out.QuickConnectId) {
			t.Errorf("ARN %s", *out.QuickConnectARN)
		}
		ids[c.name] = *out.QuickConnectId
		d, err := env.Client.DescribeQuickConnect(ctx, &connect.DescribeQuickConnectInput{InstanceId: aws.String(iid), QuickConnectId: out.QuickConnectId})
		if err != nil {
			t.Fatal(err)
		}
		q := d.QuickConnect
		got := q.QuickConnectConfig
		if *q.Name != c.name || *q.Description != "qc "+c.name || q.Tags["t"] != c.name || got.QuickConnectType != cfg.QuickConnectType ||
			(got.QueueConfig != nil) != (cfg.QueueConfig != nil) || (got.UserConfig != nil) != (cfg.UserConfig != nil) ||
			(got.PhoneConfig != nil) != (cfg.PhoneConfig != nil) || (got.FlowConfig != nil) != (cfg.FlowConfig != nil) {
			t.Errorf("Describe %s = %+v / %+v", c.name, q, got)
		}
	}

	tests := []struct {
		name  string
		types []types.QuickConnectType
		want  int
	}{
		{"all", nil, 4},
		{"queue and phone", []types.QuickConnectType{types.QuickConnectTypeQueue, types.QuickConnectTypePhoneNumber}, 2},
		{"user", []types.QuickConnectType{types.QuickConnectTypeUser}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			p := connect.NewListQuickConnectsPaginator(env.Client, &connect.ListQuickConnectsInput{InstanceId: aws.String(iid), QuickConnectTypes: tc.types, MaxResults: aws.Int32(1)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				n += len(page.QuickConnectSummaryList)
			}
			if n != tc.want {
				t.Errorf("listed %d, want %d", n, tc.want)
			}
		})
	}

	// A queue offering a quick connect loses it when it is deleted.
	hours, _ := resBasic(t, env, iid)
	q, err := env.Client.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: aws.String(iid), Name: aws.String("Offers"), HoursOfOperationId: aws.String(hours),
		QuickConnectIds: []string{ids["to number"]}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.DeleteQuickConnect(ctx, &connect.DeleteQuickConnectInput{InstanceId: aws.String(iid), QuickConnectId: aws.String(ids["to number"])}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DescribeQuickConnect(ctx, &connect.DescribeQuickConnectInput{InstanceId: aws.String(iid), QuickConnectId: aws.String(ids["to number"])})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	if _, err := env.Client.DeleteQueue(ctx, &connect.DeleteQueueInput{InstanceId: aws.String(iid), QueueId: q.QueueId}); err != nil {
		t.Fatalf("queue whose quick connect was deleted: %v", err)
	}
}

func TestQuickConnectErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{QuickConnects: 2})
	ctx := sbtest.Ctx(t)
	_, queue := resBasic(t, env, iid)
	queueFlow := resDefaultFlow(t, env, iid, types.ContactFlowTypeQueueTransfer)
	create := func(c *connect.Client, name string, cfg *types.QuickConnectConfig) error {
		_, err := c.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: aws.String(iid), Name: aws.String(name), QuickConnectConfig: cfg})
		return err
	}
	toQueue := func(queueID, flowID string) *types.QuickConnectConfig {
		return &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue, QueueConfig: &types.QueueQuickConnectConfig{QueueId: aws.String(queueID), ContactFlowId: aws.String(flowID)}}
	}
	if err := create(env.Client, "Taken", toQueue(queue, queueFlow)); err != nil {
		t.Fatal(err)
	}
	inbound := resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"duplicate name", func() error { return create(env.Client, "Taken", toQueue(queue, queueFlow)) }, "DuplicateResourceException", 409},
		{"unknown queue", func() error { return create(env.Client, "x", toQueue("nope", queueFlow)) }, "ResourceNotFoundException", 404},
		{"unknown flow", func() error { return create(env.Client, "x", toQueue(queue, "nope")) }, "ResourceNotFoundException", 404},
		{"flow of the wrong type", func() error { return create(env.Client, "x", toQueue(queue, inbound)) }, "InvalidRequestException", 400},
		{"unknown user flow", func() error {
			return create(env.Client, "x", &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeUser, UserConfig: &types.UserQuickConnectConfig{UserId: aws.String("u"), ContactFlowId: aws.String("nope")}})
		}, "ResourceNotFoundException", 404},
		{"config missing for type", func() error {
			return create(env.Client, "x", &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeFlow})
		}, "InvalidParameterException", 400},
		{"config of another type", func() error {
			cfg := toQueue(queue, queueFlow)
			cfg.PhoneConfig = &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String("+12065550100")}
			return create(env.Client, "x", cfg)
		}, "InvalidParameterException", 400},
		{"bad type enum", func() error { return create(env.Raw, "x", &types.QuickConnectConfig{QuickConnectType: "FAX"}) }, "InvalidParameterException", 400},
		{"missing config", func() error { return create(env.Raw, "x", nil) }, "InvalidParameterException", 400},
		{"name too long", func() error { return create(env.Raw, strings.Repeat("q", 128), toQueue(queue, queueFlow)) }, "InvalidParameterException", 400},
		{"describe unknown", func() error {
			_, err := env.Client.DescribeQuickConnect(ctx, &connect.DescribeQuickConnectInput{InstanceId: aws.String(iid), QuickConnectId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"list bad type", func() error {
			_, err := env.Raw.ListQuickConnects(ctx, &connect.ListQuickConnectsInput{InstanceId: aws.String(iid), QuickConnectTypes: []types.QuickConnectType{"FAX"}})
			return err
		}, "InvalidParameterException", 400},
		{"delete unknown", func() error {
			_, err := env.Client.DeleteQuickConnect(ctx, &connect.DeleteQuickConnectInput{InstanceId: aws.String(iid), QuickConnectId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
	// Taken and second fill the quota of 2.
	if err := create(env.Client, "second", toQueue(queue, queueFlow)); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create(env.Client, "third", toQueue(queue, queueFlow)), "LimitExceededException", http.StatusTooManyRequests)
}
