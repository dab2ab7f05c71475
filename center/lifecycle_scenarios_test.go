package center_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// Scenarios of a contact's life around its agent (auto-accept, after-contact
// work limits, reject) and of its own timers (schedule, expiry), all in
// virtual time.

// TestAutoAcceptConnectsWithoutOffer: with auto-accept on TASK the task is
// connected the moment it is routed; the agent never sees an offer.
func TestAutoAcceptConnectsWithoutOffer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	w.userConfig(ada, types.ChannelTask, true, 0)
	w.Clock.Advance(3 * time.Second)
	w.setStatus(ada, w.available)
	id := w.task("auto")
	w.expectHeld("ada", token, id, "CONNECTED")
	c := w.describe(id)
	if c.AgentInfo == nil || *c.AgentInfo.Id != ada || !c.AgentInfo.ConnectedToAgentTimestamp.Equal(at(3*time.Second)) {
		t.Fatalf("AgentInfo %+v, want ada connected at %s", c.AgentInfo, at(3*time.Second))
	}
	// The offer timeout has nothing to time out.
	w.Clock.Advance(time.Minute)
	w.expectHeld("ada", token, id, "CONNECTED")
}

// TestAutoAcceptFromCreateUser: AutoAcceptConfigs given to CreateUser work
// like UpdateUserConfig's.
func TestAutoAcceptFromCreateUser(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	out, err := w.Client.CreateUser(sbtest.Ctx(t), &connect.CreateUserInput{
		InstanceId: &w.iid, Username: aws.String("ada"), Password: aws.String("Passw0rd!"),
		IdentityInfo:     &types.UserIdentityInfo{FirstName: aws.String("Ada"), LastName: aws.String("Agent")},
		RoutingProfileId: &w.rp, SecurityProfileIds: []string{w.agt},
		AutoAcceptConfigs: []types.AutoAcceptConfig{{Channel: types.ChannelTask, AutoAccept: true}},
	})
	must(t, err)
	ada := *out.UserId
	token := w.login("ada")
	w.setStatus(ada, w.available)
	id := w.task("auto")
	w.expectHeld("ada", token, id, "CONNECTED")
}

// TestACWTimeLimitCompletes: a 15 s ACW limit on TASK completes the
// after-contact work 15 s after the end, frees the slot and routes the next
// task; DescribeContact shows the exact ACW timestamps.
func TestACWTimeLimitCompletes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	w.userConfig(ada, types.ChannelTask, false, 15)
	w.setStatus(ada, w.available)
	id := w.task("first")
	w.act(token, id, "accept", 204)
	w.Clock.Advance(10 * time.Second)
	w.act(token, id, "end", 204) // 10 s
	second := w.task("second")
	w.Clock.Advance(14 * time.Second)
	w.expectHeld("ada", token, id, "ENDED")
	w.Clock.Advance(time.Second) // 25 s
	w.expectHeld("ada", token, second, "CONNECTING")
	// DescribeContact does not render AgentInfo's after-contact-work fields
	// yet (awsapi), so the stored contact is checked.
	c, err := w.Service.DescribeContact(sbtest.Ctx(t), w.iid, id)
	must(t, err)
	if !c.AfterContactWorkStart.Equal(at(10*time.Second)) || !c.AfterContactWorkEnd.Equal(at(25*time.Second)) {
		t.Fatalf("ACW %s – %s, want %s – %s", c.AfterContactWorkStart, c.AfterContactWorkEnd, at(10*time.Second), at(25*time.Second))
	}
}

// TestRejectReturnsToPosition: a rejected task goes back to the head of the
// queue with its original EnqueueTimestamp and is the next one offered; the
// rejecting agent gets nothing until they set a status.
func TestRejectReturnsToPosition(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada, bob := w.user("ada"), w.user("bob")
	ta, tb := w.login("ada"), w.login("bob")
	first := w.task("first")
	w.Clock.Advance(time.Second)
	second := w.task("second")
	w.Clock.Advance(time.Second)
	w.setStatus(ada, w.available)
	w.expectHeld("ada", ta, first, "CONNECTING")
	w.act(ta, first, "reject", 204)
	w.expectHeld("ada", ta, first, "REJECTED")
	if c := w.describe(first); c.AgentInfo != nil || c.QueueInfo == nil || !c.QueueInfo.EnqueueTimestamp.Equal(at(0)) {
		t.Fatalf("rejected task: agent %+v queue %+v, want waiting since %s", c.AgentInfo, c.QueueInfo, at(0))
	}
	w.setStatus(bob, w.available)
	w.expectHeld("bob", tb, first, "CONNECTING")
	// ada leaves the Rejected state by choosing Available again (the
	// status she never left) and gets the second.
	w.agentStatus(ta, w.available)
	w.expectHeld("ada", ta, second, "CONNECTING")
}

// TestRejectedOnlyAgentGetsItBack: the only agent of the queue rejects; after
// setting a status again the same task is offered to them.
func TestRejectedOnlyAgentGetsItBack(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	w.setStatus(ada, w.available)
	id := w.task("boomerang")
	w.act(token, id, "reject", 204)
	w.act(token, id, "complete", 204) // clear the rejected contact
	w.expectHeld("ada", token)
	w.Clock.Advance(time.Minute) // clearing alone does not make her routable
	w.expectHeld("ada", token)
	w.agentStatus(token, w.available)
	w.expectHeld("ada", token, id, "CONNECTING")
}

func (w *world) scheduledTask(name string, when time.Time, expiryMinutes int32) string {
	w.t.Helper()
	in := &connect.StartTaskContactInput{InstanceId: &w.iid, ContactFlowId: &w.flow, Name: &name}
	if !when.IsZero() {
		in.ScheduledTime = aws.Time(when)
	}
	if expiryMinutes > 0 {
		in.SegmentAttributes = map[string]types.SegmentAttributeValue{
			"connect:ContactExpiry": {ValueMap: map[string]types.SegmentAttributeValue{"ExpiryDuration": {ValueInteger: aws.Int32(expiryMinutes)}}}}
	}
	out, err := w.Client.StartTaskContact(sbtest.Ctx(w.t), in)
	must(w.t, err)
	return *out.ContactId
}

// TestScheduledTaskRoutedAtItsTime: a task scheduled 10 min ahead runs its
// flow and is routed exactly then, not a second before.
func TestScheduledTaskRoutedAtItsTime(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	w.setStatus(ada, w.available)
	id := w.scheduledTask("later", at(10*time.Minute), 0)
	w.expectHeld("ada", token)
	if c := w.describe(id); c.QueueInfo != nil || c.ScheduledTimestamp == nil || !c.ScheduledTimestamp.Equal(at(10*time.Minute)) {
		t.Fatalf("scheduled task: queue %+v scheduled %v", c.QueueInfo, c.ScheduledTimestamp)
	}
	w.Clock.Advance(10*time.Minute - time.Second)
	w.expectHeld("ada", token)
	w.Clock.Advance(time.Second)
	w.expectHeld("ada", token, id, "CONNECTING")
	if c := w.describe(id); c.QueueInfo == nil || !c.QueueInfo.EnqueueTimestamp.Equal(at(10*time.Minute)) {
		t.Fatalf("queue info %+v, want enqueued at %s", c.QueueInfo, at(10*time.Minute))
	}
}

// TestUpdateContactScheduleMovesRouting: rescheduling from 10 to 30 minutes
// means nothing happens at 10 and the task is routed at 30; moving it earlier
// works as well.
func TestUpdateContactScheduleMovesRouting(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	w.setStatus(ada, w.available)
	later := w.scheduledTask("later", at(10*time.Minute), 0)
	sooner := w.scheduledTask("sooner", at(20*time.Minute), 0)
	reschedule := func(id string, when time.Time) {
		_, err := w.Client.UpdateContactSchedule(sbtest.Ctx(t), &connect.UpdateContactScheduleInput{InstanceId: &w.iid, ContactId: &id, ScheduledTime: aws.Time(when)})
		must(t, err)
	}
	reschedule(later, at(30*time.Minute))
	reschedule(sooner, at(5*time.Minute))
	w.Clock.Advance(5 * time.Minute)
	w.expectHeld("ada", token, sooner, "CONNECTING")
	w.act(token, sooner, "accept", 204)
	w.act(token, sooner, "end", 204)
	w.act(token, sooner, "complete", 204)
	w.Clock.Advance(25*time.Minute - time.Second)
	w.expectHeld("ada", token)
	if c := w.describe(later); c.ScheduledTimestamp == nil || !c.ScheduledTimestamp.Equal(at(30*time.Minute)) || c.QueueInfo != nil {
		t.Fatalf("rescheduled task: scheduled %v queue %+v", c.ScheduledTimestamp, c.QueueInfo)
	}
	w.Clock.Advance(time.Second)
	w.expectHeld("ada", token, later, "CONNECTING")
}

// TestExpiryEndsQueuedTask: a task with a 2-minute lifetime that nobody takes
// ends with DisconnectReason EXPIRED exactly 2 minutes after it started, and
// is never offered afterwards.
func TestExpiryEndsQueuedTask(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	id := w.scheduledTask("short-lived", time.Time{}, 2)
	w.Clock.Advance(2*time.Minute - time.Second)
	if c := w.describe(id); c.DisconnectTimestamp != nil {
		t.Fatalf("ended early at %v", c.DisconnectTimestamp)
	}
	w.Clock.Advance(time.Second)
	c := w.describe(id)
	if aws.ToString(c.DisconnectReason) != "EXPIRED" || c.DisconnectTimestamp == nil || !c.DisconnectTimestamp.Equal(at(2*time.Minute)) {
		t.Fatalf("after expiry: reason %q at %v, want EXPIRED at %s", aws.ToString(c.DisconnectReason), c.DisconnectTimestamp, at(2*time.Minute))
	}
	w.setStatus(ada, w.available)
	w.expectHeld("ada", token)
}

// TestExpiryWhileOfferedWithdrawsOffer: a task that expires while on offer
// is taken back from the agent, who stays available for the next one.
func TestExpiryWhileOfferedWithdrawsOffer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	id := w.scheduledTask("short-lived", time.Time{}, 1)
	w.Clock.Advance(50 * time.Second)
	w.setStatus(ada, w.available)
	w.expectHeld("ada", token, id, "CONNECTING")
	w.Clock.Advance(10 * time.Second)
	w.expectHeld("ada", token)
	if c := w.describe(id); aws.ToString(c.DisconnectReason) != "EXPIRED" || c.AgentInfo != nil {
		t.Fatalf("reason %q agent %+v", aws.ToString(c.DisconnectReason), c.AgentInfo)
	}
	next := w.task("next")
	w.expectHeld("ada", token, next, "CONNECTING")
}

// TestUpdateContactExpiryReschedules: UpdateContact's connect:ContactExpiry
// on a queued task changes when it expires.
func TestUpdateContactExpiryReschedules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.task("shortened")
	_, err := w.Client.UpdateContact(sbtest.Ctx(t), &connect.UpdateContactInput{InstanceId: &w.iid, ContactId: &id,
		SegmentAttributes: map[string]types.SegmentAttributeValue{
			"connect:ContactExpiry": {ValueMap: map[string]types.SegmentAttributeValue{"ExpiryDuration": {ValueInteger: aws.Int32(5)}}}}})
	must(t, err)
	w.Clock.Advance(5 * time.Minute)
	c := w.describe(id)
	if aws.ToString(c.DisconnectReason) != "EXPIRED" || c.DisconnectTimestamp == nil || !c.DisconnectTimestamp.Equal(at(5*time.Minute)) {
		t.Fatalf("reason %q at %v, want EXPIRED at %s", aws.ToString(c.DisconnectReason), c.DisconnectTimestamp, at(5*time.Minute))
	}
}
