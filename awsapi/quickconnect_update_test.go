package awsapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// A quick connect's name and destination change after creation, under the
// rules CreateQuickConnect applies.
func TestUpdateQuickConnect(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	_, queue := resBasic(t, env, iid)
	queueFlow := resDefaultFlow(t, env, iid, types.ContactFlowTypeQueueTransfer)
	inbound := resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)
	created, err := env.Client.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: aws.String(iid), Name: aws.String("Billing"),
		QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypePhoneNumber,
			PhoneConfig: &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String("+12065550199")}}})
	if err != nil {
		t.Fatal(err)
	}
	id := created.QuickConnectId
	describe := func() *types.QuickConnect {
		t.Helper()
		d, err := env.Client.DescribeQuickConnect(ctx, &connect.DescribeQuickConnectInput{InstanceId: aws.String(iid), QuickConnectId: id})
		if err != nil {
			t.Fatal(err)
		}
		return d.QuickConnect
	}
	before := describe()

	env.Clock.Advance(60e9)
	if _, err := env.Client.UpdateQuickConnectName(ctx, &connect.UpdateQuickConnectNameInput{InstanceId: aws.String(iid), QuickConnectId: id,
		Name: aws.String("Billing desk"), Description: aws.String("second line")}); err != nil {
		t.Fatal(err)
	}
	q := describe()
	if *q.Name != "Billing desk" || *q.Description != "second line" || !q.LastModifiedTime.After(*before.LastModifiedTime) {
		t.Errorf("after UpdateQuickConnectName: %+v", q)
	}
	// Only the description; the name stays. Its ARN works as well as its ID.
	if _, err := env.Client.UpdateQuickConnectName(ctx, &connect.UpdateQuickConnectNameInput{InstanceId: aws.String(iid), QuickConnectId: created.QuickConnectARN,
		Description: aws.String("")}); err != nil {
		t.Fatal(err)
	}
	if q := describe(); *q.Name != "Billing desk" || aws.ToString(q.Description) != "" {
		t.Errorf("after clearing the description: name %q description %q", *q.Name, aws.ToString(q.Description))
	}

	// From a phone number to a queue: the type changes, and the old
	// destination is gone.
	if _, err := env.Client.UpdateQuickConnectConfig(ctx, &connect.UpdateQuickConnectConfigInput{InstanceId: aws.String(iid), QuickConnectId: id,
		QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue,
			QueueConfig: &types.QueueQuickConnectConfig{QueueId: aws.String(queue), ContactFlowId: aws.String(queueFlow)}}}); err != nil {
		t.Fatal(err)
	}
	c := describe().QuickConnectConfig
	if c.QuickConnectType != types.QuickConnectTypeQueue || c.QueueConfig == nil || *c.QueueConfig.QueueId != queue ||
		*c.QueueConfig.ContactFlowId != queueFlow || c.PhoneConfig != nil {
		t.Errorf("after UpdateQuickConnectConfig: %+v", c)
	}

	// What CreateQuickConnect refuses, UpdateQuickConnectConfig refuses,
	// and the quick connect stays as it was.
	for name, tc := range map[string]struct {
		cfg       types.QuickConnectConfig
		exception string
		status    int
	}{
		"config of another type": {types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue,
			FlowConfig: &types.FlowQuickConnectConfig{ContactFlowId: aws.String(inbound)}}, "InvalidParameterException", http.StatusBadRequest},
		"flow of the wrong type": {types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue,
			QueueConfig: &types.QueueQuickConnectConfig{QueueId: aws.String(queue), ContactFlowId: aws.String(inbound)}}, "InvalidRequestException", http.StatusBadRequest},
		"queue that does not exist": {types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue,
			QueueConfig: &types.QueueQuickConnectConfig{QueueId: aws.String("00000000-0000-0000-0000-000000000000"), ContactFlowId: aws.String(queueFlow)}}, "ResourceNotFoundException", http.StatusNotFound},
		"number not in E.164": {types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypePhoneNumber,
			PhoneConfig: &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String("206-555-0199")}}, "InvalidParameterException", http.StatusBadRequest},
	} {
		cfg := tc.cfg
		_, err := env.Raw.UpdateQuickConnectConfig(ctx, &connect.UpdateQuickConnectConfigInput{InstanceId: aws.String(iid), QuickConnectId: id, QuickConnectConfig: &cfg})
		sbtest.APIError(t, err, tc.exception, tc.status)
		if c := describe().QuickConnectConfig; c.QuickConnectType != types.QuickConnectTypeQueue || *c.QueueConfig.QueueId != queue {
			t.Errorf("%s changed the quick connect: %+v", name, c)
		}
	}
	_, err = env.Raw.UpdateQuickConnectConfig(ctx, &connect.UpdateQuickConnectConfigInput{InstanceId: aws.String(iid), QuickConnectId: id})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.UpdateQuickConnectName(ctx, &connect.UpdateQuickConnectNameInput{InstanceId: aws.String(iid), QuickConnectId: id})
	if msg := sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest); !strings.Contains(msg, "Name") {
		t.Errorf("message %q", msg)
	}
	_, err = env.Raw.UpdateQuickConnectName(ctx, &connect.UpdateQuickConnectNameInput{InstanceId: aws.String(iid), QuickConnectId: id, Name: aws.String(strings.Repeat("n", 128))})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Client.UpdateQuickConnectName(ctx, &connect.UpdateQuickConnectNameInput{InstanceId: aws.String(iid),
		QuickConnectId: aws.String("00000000-0000-0000-0000-000000000000"), Name: aws.String("x")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

// A queue offers the quick connects associated with it; ListQueueQuickConnects
// pages through them.
func TestQueueQuickConnects(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	_, queue := resBasic(t, env, iid)
	var qcs []string
	for _, n := range []string{"+12065550101", "+12065550102", "+12065550103"} {
		out, err := env.Client.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: aws.String(iid), Name: aws.String("call " + n),
			QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypePhoneNumber,
				PhoneConfig: &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String(n)}}})
		if err != nil {
			t.Fatal(err)
		}
		qcs = append(qcs, *out.QuickConnectId)
	}
	list := func(queueID string) []string {
		t.Helper()
		var ids []string
		p := connect.NewListQueueQuickConnectsPaginator(env.Client, &connect.ListQueueQuickConnectsInput{InstanceId: aws.String(iid), QueueId: aws.String(queueID), MaxResults: aws.Int32(2)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if page.LastModifiedTime == nil || aws.ToString(page.LastModifiedRegion) != sbtest.Region {
				t.Errorf("page without the queue's LastModifiedTime/Region: %+v", page)
			}
			for _, s := range page.QuickConnectSummaryList {
				if s.QuickConnectType != types.QuickConnectTypePhoneNumber || !strings.HasPrefix(*s.Name, "call ") || s.Arn == nil {
					t.Errorf("summary %+v", s)
				}
				ids = append(ids, *s.Id)
			}
		}
		return ids
	}
	if got := list(queue); len(got) != 0 {
		t.Fatalf("BasicQueue offers %v before any association", got)
	}
	if _, err := env.Client.AssociateQueueQuickConnects(ctx, &connect.AssociateQueueQuickConnectsInput{InstanceId: aws.String(iid), QueueId: aws.String(queue),
		QuickConnectIds: qcs}); err != nil {
		t.Fatal(err)
	}
	// Associating again is no error and adds nothing.
	if _, err := env.Client.AssociateQueueQuickConnects(ctx, &connect.AssociateQueueQuickConnectsInput{InstanceId: aws.String(iid), QueueId: aws.String(queue),
		QuickConnectIds: qcs[:1]}); err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(qcs))
	if got := list(queue); !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	if _, err := env.Client.DisassociateQueueQuickConnects(ctx, &connect.DisassociateQueueQuickConnectsInput{InstanceId: aws.String(iid), QueueId: aws.String(queue),
		QuickConnectIds: []string{qcs[1], "not-associated"}}); err != nil {
		t.Fatal(err)
	}
	want = slices.Sorted(slices.Values([]string{qcs[0], qcs[2]}))
	if got := list(queue); !slices.Equal(got, want) {
		t.Errorf("after disassociating: %v, want %v", got, want)
	}
	// DeleteQuickConnect takes it off the queue.
	if _, err := env.Client.DeleteQuickConnect(ctx, &connect.DeleteQuickConnectInput{InstanceId: aws.String(iid), QuickConnectId: aws.String(qcs[0])}); err != nil {
		t.Fatal(err)
	}
	if got := list(queue); !slices.Equal(got, []string{qcs[2]}) {
		t.Errorf("after DeleteQuickConnect: %v", got)
	}

	// Errors: a quick connect or queue that does not exist, an agent
	// queue, and the model's 1–50 IDs.
	missing := "00000000-0000-0000-0000-000000000000"
	_, err := env.Client.AssociateQueueQuickConnects(ctx, &connect.AssociateQueueQuickConnectsInput{InstanceId: aws.String(iid), QueueId: aws.String(queue), QuickConnectIds: []string{missing}})
	if msg := sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound); !strings.Contains(msg, missing) {
		t.Errorf("message %q", msg)
	}
	_, err = env.Client.AssociateQueueQuickConnects(ctx, &connect.AssociateQueueQuickConnectsInput{InstanceId: aws.String(iid), QueueId: aws.String(missing), QuickConnectIds: qcs[2:]})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Client.ListQueueQuickConnects(ctx, &connect.ListQueueQuickConnectsInput{InstanceId: aws.String(iid), QueueId: aws.String(missing)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.AssociateQueueQuickConnects(ctx, &connect.AssociateQueueQuickConnectsInput{InstanceId: aws.String(iid), QueueId: aws.String(queue), QuickConnectIds: []string{}})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	many := make([]string, 51)
	for i := range many {
		many[i] = qcs[2]
	}
	_, err = env.Raw.DisassociateQueueQuickConnects(ctx, &connect.DisassociateQueueQuickConnectsInput{InstanceId: aws.String(iid), QueueId: aws.String(queue), QuickConnectIds: many})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.ListQueueQuickConnects(ctx, &connect.ListQueueQuickConnectsInput{InstanceId: aws.String(iid), QueueId: aws.String(queue), MaxResults: aws.Int32(101)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)

	// An agent queue belongs to its user and takes no quick connects.
	ids := fuzzResources(t, env) // a user in an instance of its own
	agentQueues, err := env.Client.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String(ids["InstanceId"]), QueueTypes: []types.QueueType{types.QueueTypeAgent}})
	if err != nil || len(agentQueues.QueueSummaryList) == 0 {
		t.Fatalf("no agent queue (%v)", err)
	}
	otherQC, err := env.Client.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: aws.String(ids["InstanceId"]), Name: aws.String("call"),
		QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypePhoneNumber,
			PhoneConfig: &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String("+12065550104")}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.AssociateQueueQuickConnects(ctx, &connect.AssociateQueueQuickConnectsInput{InstanceId: aws.String(ids["InstanceId"]),
		QueueId: agentQueues.QueueSummaryList[0].Id, QuickConnectIds: []string{*otherQC.QuickConnectId}})
	if msg := sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest); !strings.Contains(msg, "agent queue") {
		t.Errorf("message %q", msg)
	}
}
