package center_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestGetCurrentUserData follows an agent through an offer, a connected
// contact and after-contact work, as GetCurrentUserData reports them.
func TestGetCurrentUserData(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	ctx := sbtest.Ctx(t)
	get := func(f *types.UserDataFilters) []types.UserData {
		t.Helper()
		out, err := w.Client.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &w.iid, Filters: f})
		must(t, err)
		return out.UserDataList
	}
	byAgent := &types.UserDataFilters{Agents: []string{ada}}
	if l := get(byAgent); len(l) != 0 {
		t.Fatalf("an offline agent without contacts is listed: %+v", l)
	}
	w.Clock.Advance(time.Minute)
	w.setStatus(ada, w.available)
	l := get(&types.UserDataFilters{Queues: []string{w.queue}})
	if len(l) != 1 || *l[0].User.Id != ada || *l[0].Status.StatusName != "Available" || !l[0].Status.StatusStartTimestamp.Equal(sbtest.Start.Add(time.Minute)) {
		t.Fatalf("available agent by queue: %+v", l)
	}
	if l[0].MaxSlotsByChannel["TASK"] != 1 || l[0].AvailableSlotsByChannel["TASK"] != 1 || l[0].ActiveSlotsByChannel["TASK"] != 0 {
		t.Fatalf("slots of an idle agent: max %v active %v available %v", l[0].MaxSlotsByChannel, l[0].ActiveSlotsByChannel, l[0].AvailableSlotsByChannel)
	}

	id := w.task("look")
	l = get(byAgent)
	if len(l[0].Contacts) != 1 || l[0].Contacts[0].AgentContactState != types.ContactStateConnecting || l[0].ActiveSlotsByChannel["TASK"] != 1 || l[0].AvailableSlotsByChannel["TASK"] != 0 {
		t.Fatalf("offered contact: %+v slots %v/%v", l[0].Contacts, l[0].ActiveSlotsByChannel, l[0].AvailableSlotsByChannel)
	}
	w.act(token, id, "accept", 204)
	l = get(&types.UserDataFilters{Agents: []string{ada}, ContactFilter: &types.ContactFilter{ContactStates: []types.ContactState{types.ContactStateConnected}}})
	if len(l) != 1 || *l[0].Contacts[0].ContactId != id || !l[0].Contacts[0].ConnectedToAgentTimestamp.Equal(sbtest.Start.Add(time.Minute)) || *l[0].Contacts[0].Queue.Id != w.queue {
		t.Fatalf("connected contact: %+v", l)
	}
	w.act(token, id, "end", 204)
	if l := get(&types.UserDataFilters{Agents: []string{ada}, ContactFilter: &types.ContactFilter{ContactStates: []types.ContactState{types.ContactStateEnded}}}); len(l) != 1 {
		t.Fatalf("agent in ACW not listed with state ENDED: %+v", l)
	}

	// Filters: one resource type at a time, and at least one.
	_, err := w.Raw.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &w.iid, Filters: &types.UserDataFilters{Agents: []string{ada}, Queues: []string{w.queue}}})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	_, err = w.Raw.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &w.iid, Filters: &types.UserDataFilters{}})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	_, err = w.Raw.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &w.iid, Filters: &types.UserDataFilters{Queues: []string{"nope"}}})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}

// TestTransferContact moves a connected task to another agent: a new
// contact segment is created and routed through the transfer flow to the
// agent's queue, and the first agent goes into after-contact work.
func TestTransferContact(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada, bob := w.user("ada"), w.user("bob")
	adaTok, bobTok := w.login("ada"), w.login("bob")
	ctx := sbtest.Ctx(t)
	w.setStatus(ada, w.available)
	id := w.task("needs bob")
	w.act(adaTok, id, "accept", 204)

	flows, err := w.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &w.iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeAgentTransfer}})
	must(t, err)
	transferFlow := flows.ContactFlowSummaryList[0].Id
	w.Clock.Advance(10 * time.Second)
	in := &connect.TransferContactInput{InstanceId: &w.iid, ContactId: &id, UserId: &bob, ContactFlowId: transferFlow, ClientToken: aws.String("xfer-1")}
	out, err := w.Client.TransferContact(ctx, in)
	must(t, err)
	next := *out.ContactId
	if next == id {
		t.Fatal("transfer did not create a new contact")
	}
	// The same request again names the same new contact (the transferred
	// one has ended, but a replay answers before that matters); the token
	// with other parameters is refused.
	again, err := w.Client.TransferContact(ctx, in)
	must(t, err)
	if *again.ContactId != next {
		t.Fatalf("replayed transfer: %s, want %s", *again.ContactId, next)
	}
	_, err = w.Client.TransferContact(ctx, &connect.TransferContactInput{InstanceId: &w.iid, ContactId: &id, QueueId: &w.queue, ContactFlowId: transferFlow, ClientToken: aws.String("xfer-1")})
	sbtest.APIError(t, err, "IdempotencyException", 409)
	old := w.describe(id)
	if old.DisconnectTimestamp == nil || aws.ToString(old.DisconnectReason) != "TRANSFER" {
		t.Fatalf("transferred contact not ended: %v %v", old.DisconnectTimestamp, aws.ToString(old.DisconnectReason))
	}
	c := w.describe(next)
	if c.InitiationMethod != types.ContactInitiationMethodTransfer || aws.ToString(c.PreviousContactId) != id || aws.ToString(c.InitialContactId) != id {
		t.Fatalf("new segment: method %s previous %v initial %v", c.InitiationMethod, aws.ToString(c.PreviousContactId), aws.ToString(c.InitialContactId))
	}
	if c.QueueInfo == nil || *c.QueueInfo.Id != bob {
		t.Fatalf("new segment not in bob's agent queue: %+v", c.QueueInfo)
	}
	if s := w.snapshot(adaTok); len(s.Contacts) != 1 || s.Contacts[0].State != "ENDED" {
		t.Fatalf("ada not in ACW after transfer: %+v", s.Contacts)
	}
	// Bob gets it once available.
	w.setStatus(bob, w.available)
	if s := w.snapshot(bobTok); len(s.Contacts) != 1 || s.Contacts[0].ContactID != next {
		t.Fatalf("bob not offered the transferred contact: %+v", s.Contacts)
	}

	// Rules.
	chat, err := w.Client.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: &w.iid, ContactFlowId: &w.flow, ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("c")}})
	must(t, err)
	_, err = w.Client.TransferContact(ctx, &connect.TransferContactInput{InstanceId: &w.iid, ContactId: chat.ContactId, QueueId: &w.queue, ContactFlowId: transferFlow})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = w.Client.TransferContact(ctx, &connect.TransferContactInput{InstanceId: &w.iid, ContactId: &id, QueueId: &w.queue, ContactFlowId: transferFlow})
	sbtest.APIError(t, err, "InvalidRequestException", 400) // already ended
	_, err = w.Client.TransferContact(ctx, &connect.TransferContactInput{InstanceId: &w.iid, ContactId: &next, QueueId: &w.queue, UserId: &ada, ContactFlowId: transferFlow})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	qflows, err := w.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &w.iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeCustomerQueue}})
	must(t, err)
	_, err = w.Client.TransferContact(ctx, &connect.TransferContactInput{InstanceId: &w.iid, ContactId: &next, QueueId: &w.queue, ContactFlowId: qflows.ContactFlowSummaryList[0].Id})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = w.Client.TransferContact(ctx, &connect.TransferContactInput{InstanceId: &w.iid, ContactId: aws.String("nope"), QueueId: &w.queue, ContactFlowId: transferFlow})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}

// TestGetCurrentUserDataByHierarchy: the UserHierarchyGroups filter finds
// agents in a group or under it, and each shows its path.
func TestGetCurrentUserDataByHierarchy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	ada, bob := w.user("ada"), w.user("bob")
	_, err := w.Client.UpdateUserHierarchyStructure(ctx, &connect.UpdateUserHierarchyStructureInput{InstanceId: &w.iid,
		HierarchyStructure: &types.HierarchyStructureUpdate{LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")},
			LevelTwo: &types.HierarchyLevelUpdate{Name: aws.String("Team")}}})
	must(t, err)
	region, err := w.Client.CreateUserHierarchyGroup(ctx, &connect.CreateUserHierarchyGroupInput{InstanceId: &w.iid, Name: aws.String("EMEA")})
	must(t, err)
	team, err := w.Client.CreateUserHierarchyGroup(ctx, &connect.CreateUserHierarchyGroupInput{InstanceId: &w.iid, Name: aws.String("Billing"), ParentGroupId: region.HierarchyGroupId})
	must(t, err)
	_, err = w.Client.UpdateUserHierarchy(ctx, &connect.UpdateUserHierarchyInput{InstanceId: &w.iid, UserId: &ada, HierarchyGroupId: team.HierarchyGroupId})
	must(t, err)
	w.setStatus(ada, w.available)
	w.setStatus(bob, w.available)

	out, err := w.Client.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &w.iid,
		Filters: &types.UserDataFilters{UserHierarchyGroups: []string{*region.HierarchyGroupArn}}})
	must(t, err)
	if len(out.UserDataList) != 1 || *out.UserDataList[0].User.Id != ada {
		t.Fatalf("agents under EMEA: %+v", out.UserDataList)
	}
	p := out.UserDataList[0].HierarchyPath
	if p == nil || *p.LevelOne.Id != *region.HierarchyGroupId || *p.LevelTwo.Arn != *team.HierarchyGroupArn || p.LevelThree != nil {
		t.Fatalf("path %+v", p)
	}
	_, err = w.Raw.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: &w.iid, Filters: &types.UserDataFilters{UserHierarchyGroups: []string{"nope"}}})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}

// TestDismissUserContact: a rejected offer blocks the agent until the
// contact is dismissed through the Connect API; then the rejected task,
// back in its queue and the oldest there, is offered again. Dismissing an
// ended contact completes its after-contact work, and the next task
// comes; a contact still ringing cannot be dismissed.
func TestDismissUserContact(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	ada := w.user("ada")
	tok := w.login("ada")
	dismiss := func(contact string) error {
		_, err := w.Raw.DismissUserContact(ctx, &connect.DismissUserContactInput{InstanceId: &w.iid, UserId: &ada, ContactId: &contact})
		return err
	}
	w.setStatus(ada, w.available)
	first := w.task("first")
	w.expectHeld("ada", tok, first, "CONNECTING")
	sbtest.APIError(t, dismiss(first), "InvalidRequestException", 400)
	w.act(tok, first, "reject", 204)
	second := w.task("second")
	w.expectHeld("ada", tok, first, "REJECTED")

	must(t, dismiss(first))
	w.expectHeld("ada", tok, first, "CONNECTING")
	w.act(tok, first, "accept", 204)
	w.act(tok, first, "end", 204)
	w.expectHeld("ada", tok, first, "ENDED")
	must(t, dismiss(first))
	w.expectHeld("ada", tok, second, "CONNECTING")

	sbtest.APIError(t, dismiss(first), "ResourceNotFoundException", 404)
	sbtest.APIError(t, dismiss("00000000-0000-0000-0000-000000000000"), "ResourceNotFoundException", 404)
	_, err := w.Raw.DismissUserContact(ctx, &connect.DismissUserContactInput{InstanceId: &w.iid, UserId: aws.String("nope"), ContactId: &second})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}

// TestGetContactMetrics: a waiting contact's position in its queue, and a
// wait estimated from how fast agents have taken the queue's contacts.
func TestGetContactMetrics(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	ada := w.user("ada")
	tok := w.login("ada")
	metrics := func(id string) map[types.ContactMetricName]float64 {
		t.Helper()
		out, err := w.Client.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: &w.iid, ContactId: &id,
			Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}, {Name: types.ContactMetricNameEstimatedWaitTime}}})
		must(t, err)
		if *out.Id != id {
			t.Fatalf("metrics for %s, asked for %s", *out.Id, id)
		}
		got := map[types.ContactMetricName]float64{}
		for _, r := range out.MetricResults {
			got[r.Name] = r.Value.(*types.ContactMetricValueMemberNumber).Value
		}
		return got
	}
	t1, t2, t3 := w.task("one"), w.task("two"), w.task("three")
	// No agent has taken anything yet: positions, and no estimate.
	for i, id := range []string{t1, t2, t3} {
		got := metrics(id)
		if got[types.ContactMetricNamePositionInQueue] != float64(i+1) {
			t.Errorf("task %d: position %v", i+1, got)
		}
		if _, ok := got[types.ContactMetricNameEstimatedWaitTime]; ok {
			t.Errorf("task %d: an estimate without any service: %v", i+1, got)
		}
	}
	// Ada takes the first two, two minutes apart.
	w.setStatus(ada, w.available)
	w.act(tok, t1, "accept", 204)
	w.Clock.Advance(2 * time.Minute)
	w.act(tok, t1, "end", 204)
	w.act(tok, t1, "complete", 204)
	w.act(tok, t2, "accept", 204)
	t4 := w.task("four")
	if got := metrics(t3); got[types.ContactMetricNamePositionInQueue] != 1 || got[types.ContactMetricNameEstimatedWaitTime] != 120 {
		t.Errorf("third task: %v, want position 1 and 120 s", got)
	}
	if got := metrics(t4); got[types.ContactMetricNamePositionInQueue] != 2 || got[types.ContactMetricNameEstimatedWaitTime] != 240 {
		t.Errorf("fourth task: %v, want position 2 and 240 s", got)
	}
	// Not in a queue: connected to ada.
	_, err := w.Raw.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: &w.iid, ContactId: &t2,
		Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}}})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = w.Raw.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: &w.iid, ContactId: aws.String("00000000-0000-0000-0000-000000000000"),
		Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}}})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = w.Raw.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: &w.iid, ContactId: &t3})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	_, err = w.Raw.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: &w.iid, ContactId: &t3, Metrics: []types.ContactMetricInfo{{Name: "QUEUE_MOOD"}}})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
}
