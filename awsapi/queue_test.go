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

func TestQueueLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	hours := resHours(t, env, iid, "Weekdays")
	basicHours, _ := resBasic(t, env, iid)
	whisper := resDefaultFlow(t, env, iid, types.ContactFlowTypeOutboundWhisper)
	pn, err := env.Client.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+12065550100")})
	if err != nil {
		t.Fatal(err)
	}
	email, err := env.Client.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: aws.String(iid), EmailAddress: aws.String("help@example.com")})
	if err != nil {
		t.Fatal(err)
	}

	created, err := env.Client.CreateQueue(ctx, &connect.CreateQueueInput{
		InstanceId: aws.String(iid), Name: aws.String("Sales"), Description: aws.String("sales line"), HoursOfOperationId: aws.String(hours),
		MaxContacts:          aws.Int32(25),
		OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("ACME"), OutboundCallerIdNumberId: pn.PhoneNumberId, OutboundFlowId: aws.String(whisper)},
		OutboundEmailConfig:  &types.OutboundEmailConfig{OutboundEmailAddressId: email.EmailAddressId},
		Tags:                 map[string]string{"k": "v"},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := *created.QueueId
	if !strings.HasSuffix(*created.QueueArn, ":instance/"+iid+"/queue/"+id) {
		t.Errorf("queue ARN %s", *created.QueueArn)
	}
	describe := func() *types.Queue {
		t.Helper()
		d, err := env.Client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(iid), QueueId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		return d.Queue
	}
	q := describe()
	if *q.Name != "Sales" || *q.Description != "sales line" || *q.HoursOfOperationId != hours || *q.MaxContacts != 25 ||
		q.Status != types.QueueStatusEnabled || q.Tags["k"] != "v" || *q.OutboundCallerConfig.OutboundCallerIdName != "ACME" ||
		*q.OutboundCallerConfig.OutboundCallerIdNumberId != *pn.PhoneNumberId || *q.OutboundCallerConfig.OutboundFlowId != whisper ||
		*q.OutboundEmailConfig.OutboundEmailAddressId != *email.EmailAddressId {
		t.Errorf("Describe = %+v", q)
	}

	steps := []struct {
		name  string
		call  func() error
		check func(q *types.Queue) bool
	}{
		{"name", func() error {
			_, err := env.Client.UpdateQueueName(ctx, &connect.UpdateQueueNameInput{InstanceId: aws.String(iid), QueueId: aws.String(id), Name: aws.String("Sales EU")})
			return err
		}, func(q *types.Queue) bool { return *q.Name == "Sales EU" && *q.Description == "sales line" }},
		{"hours", func() error {
			_, err := env.Client.UpdateQueueHoursOfOperation(ctx, &connect.UpdateQueueHoursOfOperationInput{InstanceId: aws.String(iid), QueueId: aws.String(id), HoursOfOperationId: aws.String(basicHours)})
			return err
		}, func(q *types.Queue) bool { return *q.HoursOfOperationId == basicHours }},
		{"max contacts", func() error {
			_, err := env.Client.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: aws.String(iid), QueueId: aws.String(id), MaxContacts: aws.Int32(0)})
			return err
		}, func(q *types.Queue) bool { return q.MaxContacts != nil && *q.MaxContacts == 0 }},
		{"max contacts removed", func() error {
			_, err := env.Client.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: aws.String(iid), QueueId: aws.String(id)})
			return err
		}, func(q *types.Queue) bool { return q.MaxContacts == nil }},
		{"status", func() error {
			_, err := env.Client.UpdateQueueStatus(ctx, &connect.UpdateQueueStatusInput{InstanceId: aws.String(iid), QueueId: aws.String(id), Status: types.QueueStatusDisabled})
			return err
		}, func(q *types.Queue) bool { return q.Status == types.QueueStatusDisabled }},
		{"caller config", func() error {
			_, err := env.Client.UpdateQueueOutboundCallerConfig(ctx, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: aws.String(iid), QueueId: aws.String(id),
				OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdName: aws.String("Other")}})
			return err
		}, func(q *types.Queue) bool {
			c := q.OutboundCallerConfig
			return c != nil && *c.OutboundCallerIdName == "Other" && c.OutboundCallerIdNumberId == nil && c.OutboundFlowId == nil
		}},
		{"email config", func() error {
			_, err := env.Client.UpdateQueueOutboundEmailConfig(ctx, &connect.UpdateQueueOutboundEmailConfigInput{InstanceId: aws.String(iid), QueueId: aws.String(id),
				OutboundEmailConfig: &types.OutboundEmailConfig{}})
			return err
		}, func(q *types.Queue) bool { return q.OutboundEmailConfig == nil }},
	}
	for _, s := range steps {
		if err := s.call(); err != nil {
			t.Fatalf("update %s: %v", s.name, err)
		}
		if q := describe(); !s.check(q) {
			t.Errorf("after update %s: %+v", s.name, q)
		}
	}

	// The number, no longer a caller ID, can be released.
	if _, err := env.Client.ReleasePhoneNumber(ctx, &connect.ReleasePhoneNumberInput{PhoneNumberId: pn.PhoneNumberId}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.DeleteQueue(ctx, &connect.DeleteQueueInput{InstanceId: aws.String(iid), QueueId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(iid), QueueId: aws.String(id)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestListQueues(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	hours := resHours(t, env, iid, "H")
	for _, n := range []string{"A", "B", "C"} {
		resQueue(t, env, iid, n, hours)
	}
	tests := []struct {
		name  string
		types []types.QueueType
		want  int
	}{
		{"all", nil, 4},
		{"standard", []types.QueueType{types.QueueTypeStandard}, 4},
		{"agent queues do not exist yet", []types.QueueType{types.QueueTypeAgent}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen := map[string]bool{}
			p := connect.NewListQueuesPaginator(env.Client, &connect.ListQueuesInput{InstanceId: aws.String(iid), QueueTypes: tc.types, MaxResults: aws.Int32(3)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(page.QueueSummaryList) > 3 {
					t.Fatalf("page of %d", len(page.QueueSummaryList))
				}
				for _, s := range page.QueueSummaryList {
					if seen[*s.Id] || s.QueueType != types.QueueTypeStandard {
						t.Errorf("summary %+v repeated or not STANDARD", s)
					}
					seen[*s.Id] = true
				}
			}
			if len(seen) != tc.want {
				t.Errorf("listed %d queues, want %d", len(seen), tc.want)
			}
		})
	}
}

func TestBasicQueueProvisioned(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	hours, queue := resBasic(t, env, iid)
	d, err := env.Client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(iid), QueueId: aws.String(queue)})
	if err != nil {
		t.Fatal(err)
	}
	if *d.Queue.HoursOfOperationId != hours || d.Queue.Status != types.QueueStatusEnabled || d.Queue.OutboundCallerConfig == nil {
		t.Errorf("BasicQueue = %+v", d.Queue)
	}
	_, err = env.Client.DeleteQueue(ctx, &connect.DeleteQueueInput{InstanceId: aws.String(iid), QueueId: aws.String(queue)})
	sbtest.APIError(t, err, "ResourceInUseException", http.StatusConflict)
}

func TestQueueErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{Queues: 3})
	ctx := sbtest.Ctx(t)
	hours := resHours(t, env, iid, "H")
	existing := resQueue(t, env, iid, "Taken", hours)
	qt := resDefaultFlow(t, env, iid, types.ContactFlowTypeQueueTransfer)
	create := func(c *connect.Client, in connect.CreateQueueInput) error {
		in.InstanceId = aws.String(iid)
		_, err := c.CreateQueue(ctx, &in)
		return err
	}
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"unknown hours", func() error {
			return create(env.Client, connect.CreateQueueInput{Name: aws.String("x"), HoursOfOperationId: aws.String("nope")})
		}, "ResourceNotFoundException", 404},
		{"unknown phone number", func() error {
			return create(env.Client, connect.CreateQueueInput{Name: aws.String("x"), HoursOfOperationId: aws.String(hours),
				OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdNumberId: aws.String("nope")}})
		}, "ResourceNotFoundException", 404},
		{"unknown outbound flow", func() error {
			return create(env.Client, connect.CreateQueueInput{Name: aws.String("x"), HoursOfOperationId: aws.String(hours),
				OutboundCallerConfig: &types.OutboundCallerConfig{OutboundFlowId: aws.String("nope")}})
		}, "ResourceNotFoundException", 404},
		{"unknown quick connect", func() error {
			return create(env.Client, connect.CreateQueueInput{Name: aws.String("x"), HoursOfOperationId: aws.String(hours), QuickConnectIds: []string{"nope"}})
		}, "ResourceNotFoundException", 404},
		{"unknown email address", func() error {
			return create(env.Client, connect.CreateQueueInput{Name: aws.String("x"), HoursOfOperationId: aws.String(hours),
				OutboundEmailConfig: &types.OutboundEmailConfig{OutboundEmailAddressId: aws.String("nope")}})
		}, "ResourceNotFoundException", 404},
		{"duplicate name", func() error {
			return create(env.Client, connect.CreateQueueInput{Name: aws.String("Taken"), HoursOfOperationId: aws.String(hours)})
		}, "DuplicateResourceException", 409},
		{"negative MaxContacts", func() error {
			return create(env.Raw, connect.CreateQueueInput{Name: aws.String("x"), HoursOfOperationId: aws.String(hours), MaxContacts: aws.Int32(-1)})
		}, "InvalidParameterException", 400},
		{"missing HoursOfOperationId", func() error {
			return create(env.Raw, connect.CreateQueueInput{Name: aws.String("x")})
		}, "InvalidParameterException", 400},
		{"name too long", func() error {
			return create(env.Raw, connect.CreateQueueInput{Name: aws.String(strings.Repeat("q", 128)), HoursOfOperationId: aws.String(hours)})
		}, "InvalidParameterException", 400},
		{"describe unknown", func() error {
			_, err := env.Client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(iid), QueueId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"list bad type", func() error {
			_, err := env.Raw.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String(iid), QueueTypes: []types.QueueType{"PRIVATE"}})
			return err
		}, "InvalidParameterException", 400},
		{"rename to taken", func() error {
			_, err := env.Client.UpdateQueueName(ctx, &connect.UpdateQueueNameInput{InstanceId: aws.String(iid), QueueId: aws.String(existing), Name: aws.String(domain.DefaultQueueName)})
			return err
		}, "DuplicateResourceException", 409},
		{"rename without name or description", func() error {
			_, err := env.Client.UpdateQueueName(ctx, &connect.UpdateQueueNameInput{InstanceId: aws.String(iid), QueueId: aws.String(existing)})
			return err
		}, "InvalidRequestException", 400},
		{"hours unknown", func() error {
			_, err := env.Client.UpdateQueueHoursOfOperation(ctx, &connect.UpdateQueueHoursOfOperationInput{InstanceId: aws.String(iid), QueueId: aws.String(existing), HoursOfOperationId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"hours missing", func() error {
			_, err := env.Raw.UpdateQueueHoursOfOperation(ctx, &connect.UpdateQueueHoursOfOperationInput{InstanceId: aws.String(iid), QueueId: aws.String(existing)})
			return err
		}, "InvalidParameterException", 400},
		{"max contacts negative", func() error {
			_, err := env.Raw.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: aws.String(iid), QueueId: aws.String(existing), MaxContacts: aws.Int32(-5)})
			return err
		}, "InvalidParameterException", 400},
		{"status bad enum", func() error {
			_, err := env.Raw.UpdateQueueStatus(ctx, &connect.UpdateQueueStatusInput{InstanceId: aws.String(iid), QueueId: aws.String(existing), Status: "PAUSED"})
			return err
		}, "InvalidParameterException", 400},
		{"caller config missing", func() error {
			_, err := env.Raw.UpdateQueueOutboundCallerConfig(ctx, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: aws.String(iid), QueueId: aws.String(existing)})
			return err
		}, "InvalidParameterException", 400},
		{"caller config unknown flow", func() error {
			_, err := env.Client.UpdateQueueOutboundCallerConfig(ctx, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: aws.String(iid), QueueId: aws.String(existing),
				OutboundCallerConfig: &types.OutboundCallerConfig{OutboundFlowId: aws.String("nope")}})
			return err
		}, "ResourceNotFoundException", 404},
		{"email config unknown address", func() error {
			_, err := env.Client.UpdateQueueOutboundEmailConfig(ctx, &connect.UpdateQueueOutboundEmailConfigInput{InstanceId: aws.String(iid), QueueId: aws.String(existing),
				OutboundEmailConfig: &types.OutboundEmailConfig{OutboundEmailAddressId: aws.String("nope")}})
			return err
		}, "ResourceNotFoundException", 404},
		{"email config missing", func() error {
			_, err := env.Raw.UpdateQueueOutboundEmailConfig(ctx, &connect.UpdateQueueOutboundEmailConfigInput{InstanceId: aws.String(iid), QueueId: aws.String(existing)})
			return err
		}, "InvalidParameterException", 400},
		{"delete unknown", func() error {
			_, err := env.Client.DeleteQueue(ctx, &connect.DeleteQueueInput{InstanceId: aws.String(iid), QueueId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"delete queue of a quick connect", func() error {
			qc, err := env.Client.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: aws.String(iid), Name: aws.String("to taken"),
				QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue,
					QueueConfig: &types.QueueQuickConnectConfig{QueueId: aws.String(existing), ContactFlowId: aws.String(qt)}}})
			if err != nil {
				t.Fatal(err)
			}
			defer env.Client.DeleteQuickConnect(ctx, &connect.DeleteQuickConnectInput{InstanceId: aws.String(iid), QuickConnectId: qc.QuickConnectId})
			_, err = env.Client.DeleteQueue(ctx, &connect.DeleteQueueInput{InstanceId: aws.String(iid), QueueId: aws.String(existing)})
			return err
		}, "ResourceInUseException", 409},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
	// BasicQueue and Taken hold 2 of 3; the model gives CreateQueue
	// LimitExceededException for the quota.
	if err := create(env.Client, connect.CreateQueueInput{Name: aws.String("third"), HoursOfOperationId: aws.String(hours)}); err != nil {
		t.Fatal(err)
	}
	err := create(env.Client, connect.CreateQueueInput{Name: aws.String("fourth"), HoursOfOperationId: aws.String(hours)})
	sbtest.APIError(t, err, "LimitExceededException", http.StatusTooManyRequests)
}
