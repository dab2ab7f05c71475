package center_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/events"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func (w *world) pause(contact string, flow ...string) {
	w.t.Helper()
	in := &connect.PauseContactInput{InstanceId: &w.iid, ContactId: &contact}
	if len(flow) > 0 {
		in.ContactFlowId = &flow[0]
	}
	_, err := w.Client.PauseContact(sbtest.Ctx(w.t), in)
	must(w.t, err)
}

func (w *world) resume(contact string, flow ...string) {
	w.t.Helper()
	in := &connect.ResumeContactInput{InstanceId: &w.iid, ContactId: &contact}
	if len(flow) > 0 {
		in.ContactFlowId = &flow[0]
	}
	_, err := w.Client.ResumeContact(sbtest.Ctx(w.t), in)
	must(w.t, err)
}

// contactEvents collects the types of the contact events of one contact
// published so far.
func contactEvents(t *testing.T, sub *events.Subscription, contact string) []string {
	t.Helper()
	var out []string
	for {
		select {
		case e := <-sub.C():
			if ce, ok := e.(*events.ContactEvent); ok && ce.Detail.ContactID == contact {
				out = append(out, ce.Detail.EventType)
			}
		default:
			return out
		}
	}
}

// TestPauseQueuedTask: a task paused in its queue leaves it, so the agent
// is offered the task behind it; resumed, it goes to the back of the queue,
// and DescribeContact counts the pause and its length.
func TestPauseQueuedTask(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sub := w.App.Events.Subscribe(events.Filter{Kinds: []events.Kind{events.KindContact}}, events.SubscribeOpts{Buffer: 256})
	defer sub.Close()
	ada := w.user("ada")
	token := w.login("ada")
	first := w.task("first")
	second := w.task("second")

	w.Clock.Advance(time.Minute)
	w.pause(first)
	c := w.describe(first)
	if c.TotalPauseCount == nil || *c.TotalPauseCount != 1 || !c.LastPausedTimestamp.Equal(at(time.Minute)) || c.LastResumedTimestamp != nil {
		t.Fatalf("paused task: count %v paused %v resumed %v", aws.ToInt32(c.TotalPauseCount), c.LastPausedTimestamp, c.LastResumedTimestamp)
	}
	w.setStatus(ada, w.available)
	w.expectHeld("ada", token, second, "CONNECTING")
	w.act(token, second, "accept", 204)

	w.Clock.Advance(90 * time.Second)
	w.resume(first)
	c = w.describe(first)
	if !c.LastResumedTimestamp.Equal(at(150*time.Second)) || aws.ToInt32(c.TotalPauseDurationInSeconds) != 90 ||
		c.QueueInfo == nil || *c.QueueInfo.Id != w.queue || !c.QueueInfo.EnqueueTimestamp.Equal(at(150*time.Second)) {
		t.Fatalf("resumed task: resumed %v, paused for %ds, queue %+v", c.LastResumedTimestamp, aws.ToInt32(c.TotalPauseDurationInSeconds), c.QueueInfo)
	}
	w.act(token, second, "end", 204)
	w.act(token, second, "complete", 204)
	w.expectHeld("ada", token, first, "CONNECTING")

	got := strings.Join(contactEvents(t, sub, first), " ")
	if want := "INITIATED CONNECTED_TO_SYSTEM QUEUED PAUSED RESUMED"; got != want {
		t.Errorf("events of the paused task: %s, want %s", got, want)
	}
}

// TestPauseOfferedTask: pausing a task offered to an agent withdraws the
// offer.
func TestPauseOfferedTask(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	w.setStatus(ada, w.available)
	id := w.task("offered")
	w.expectHeld("ada", token, id, "CONNECTING")
	w.pause(id)
	w.expectHeld("ada", token)
	w.resume(id)
	w.expectHeld("ada", token, id, "CONNECTING")
}

// TestPauseConnectedTask: a task paused with its agent frees the agent's
// slot for the next task and stays on the agent's list as PAUSED. Resumed,
// it takes a slot again although the agent is busy with the other task;
// the agent may also end a paused task, which enters after-contact work.
func TestPauseConnectedTask(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	w.setStatus(ada, w.available)
	first := w.task("first")
	w.act(token, first, "accept", 204)
	second := w.task("second")
	w.expectHeld("ada", token, first, "CONNECTED")

	w.pause(first)
	w.expectHeld("ada", token, first, "PAUSED", second, "CONNECTING")
	slots := func() int32 {
		t.Helper()
		out, err := w.Client.GetCurrentUserData(sbtest.Ctx(t), &connect.GetCurrentUserDataInput{InstanceId: &w.iid, Filters: &types.UserDataFilters{Agents: []string{ada}}})
		must(t, err)
		return out.UserDataList[0].ActiveSlotsByChannel["TASK"]
	}
	if n := slots(); n != 1 {
		t.Fatalf("active task slots with one paused and one offered: %d, want 1", n)
	}
	w.act(token, second, "accept", 204)
	w.act(token, first, "accept", 409) // a paused task is not an offer

	w.Clock.Advance(time.Minute)
	w.resume(first)
	w.expectHeld("ada", token, first, "CONNECTED", second, "CONNECTED")
	if n := slots(); n != 2 {
		t.Fatalf("active task slots after the resume: %d, want 2 (over the concurrency of 1)", n)
	}
	if c := w.describe(first); c.AgentInfo == nil || *c.AgentInfo.Id != ada || aws.ToInt32(c.TotalPauseDurationInSeconds) != 60 ||
		aws.ToInt32(c.AgentInfo.AgentPauseDurationInSeconds) != 60 {
		t.Fatalf("resumed task: agent %+v, paused for %ds", c.AgentInfo, aws.ToInt32(c.TotalPauseDurationInSeconds))
	}

	// Paused again, the agent ends it: after-contact work, with the second
	// pause counted.
	w.pause(first)
	w.Clock.Advance(30 * time.Second)
	w.act(token, first, "end", 204)
	w.expectHeld("ada", token, first, "ENDED", second, "CONNECTED")
	c := w.describe(first)
	if c.DisconnectTimestamp == nil || c.AgentInfo.AfterContactWorkStartTimestamp == nil || aws.ToInt32(c.TotalPauseCount) != 2 || aws.ToInt32(c.TotalPauseDurationInSeconds) != 90 ||
		aws.ToInt32(c.AgentInfo.AgentPauseDurationInSeconds) != 90 {
		t.Fatalf("task ended while paused: disconnected %v, ACW %v, pauses %d for %ds", c.DisconnectTimestamp, c.AgentInfo.AfterContactWorkStartTimestamp,
			aws.ToInt32(c.TotalPauseCount), aws.ToInt32(c.TotalPauseDurationInSeconds))
	}
	w.act(token, first, "complete", 204)
	w.expectHeld("ada", token, second, "CONNECTED")
}

// TestPauseAndResumeFlows: PauseContact's flow runs beside the paused task
// and leaves it paused; ResumeContact's flow may transfer the task it
// returned to its queue to another queue, as a customer queue flow can.
func TestPauseAndResumeFlows(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	note := w.newFlow("note the pause",
		action("note", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{"paused": "yes"}}, next("end")),
		action("end", "EndFlowExecution", map[string]string{}, ""),
		action("bye", "DisconnectParticipant", map[string]string{}, ""))
	other := w.newQueue("Escalations", 0)
	escalate := w.queueFlow("escalate", other)
	id := w.task("waiting for approval")

	w.pause(id, note)
	attrs, err := w.Client.GetContactAttributes(ctx, &connect.GetContactAttributesInput{InstanceId: &w.iid, InitialContactId: &id})
	must(t, err)
	if attrs.Attributes["paused"] != "yes" {
		t.Fatalf("the pause flow did not run: attributes %v", attrs.Attributes)
	}
	c := w.describe(id)
	if c.DisconnectTimestamp != nil {
		t.Fatalf("the pause flow's end ended the task at %v", c.DisconnectTimestamp)
	}
	_, err = w.Raw.PauseContact(ctx, &connect.PauseContactInput{InstanceId: &w.iid, ContactId: &id})
	sbtest.APIError(t, err, "ConflictException", 409) // still paused

	w.resume(id, escalate)
	if c := w.describe(id); c.QueueInfo == nil || *c.QueueInfo.Id != other {
		t.Fatalf("after the resume flow the task is in %+v, want queue %s", c.QueueInfo, other)
	}
}

// TestPauseContactRules: only live task contacts can be paused, at most 10
// times, and only a paused one resumed; each refusal has Connect's
// exception and status.
func TestPauseContactRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	pause := func(id string, flow *string) error {
		_, err := w.Raw.PauseContact(ctx, &connect.PauseContactInput{InstanceId: &w.iid, ContactId: &id, ContactFlowId: flow})
		return err
	}
	resume := func(id string, flow *string) error {
		_, err := w.Raw.ResumeContact(ctx, &connect.ResumeContactInput{InstanceId: &w.iid, ContactId: &id, ContactFlowId: flow})
		return err
	}
	id := w.task("t")

	sbtest.APIError(t, resume(id, nil), "ConflictException", 409) // not paused
	sbtest.APIError(t, pause("00000000-0000-0000-0000-000000000000", nil), "ResourceNotFoundException", 404)
	sbtest.APIError(t, resume("00000000-0000-0000-0000-000000000000", nil), "ResourceNotFoundException", 404)
	sbtest.APIError(t, pause(id, aws.String("no-such-flow")), "ResourceNotFoundException", 404)
	sbtest.APIError(t, pause(id, aws.String(strings.Repeat("f", 501))), "InvalidParameterException", 400)
	sbtest.APIError(t, pause("", nil), "InvalidParameterException", 400)
	_, err := w.Raw.PauseContact(ctx, &connect.PauseContactInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000"), ContactId: &id})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)

	chat := w.chat("not a task")
	sbtest.APIError(t, pause(chat, nil), "InvalidRequestException", 400)
	sbtest.APIError(t, resume(chat, nil), "InvalidRequestException", 400)

	later, err := w.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &w.iid, ContactFlowId: &w.flow, Name: aws.String("later"),
		ScheduledTime: aws.Time(sbtest.Start.Add(time.Hour))})
	must(t, err)
	sbtest.APIError(t, pause(*later.ContactId, nil), "ConflictException", 409)

	for i := 0; i < 10; i++ {
		must(t, pause(id, nil))
		must(t, resume(id, nil))
	}
	sbtest.APIError(t, pause(id, nil), "LimitExceededException", 429)
	if c := w.describe(id); aws.ToInt32(c.TotalPauseCount) != 10 {
		t.Fatalf("TotalPauseCount %d, want 10", aws.ToInt32(c.TotalPauseCount))
	}

	_, err = w.Client.StopContact(ctx, &connect.StopContactInput{InstanceId: &w.iid, ContactId: &id})
	must(t, err)
	sbtest.APIError(t, pause(id, nil), "ConflictException", 409)
	sbtest.APIError(t, resume(id, nil), "ConflictException", 409)
}

// TestRestartKeepsPausedTasks: a task paused with its agent and one paused
// in its queue are paused still after a restart, and resume as before.
func TestRestartKeepsPausedTasks(t *testing.T) {
	dir := t.TempDir()
	w := newWorldIn(t, dir)
	ada := w.user("ada")
	token := w.login("ada")
	w.setStatus(ada, w.available)
	withAgent := w.task("with the agent")
	w.act(token, withAgent, "accept", 204)
	w.pause(withAgent)
	queued := w.task("queued")
	w.pause(queued)
	w.expectHeld("ada", token, withAgent, "PAUSED")
	w.Env.Close()

	w2 := reopenWorld(t, dir, w)
	w2.expectHeld("ada", token, withAgent, "PAUSED")
	w2.resume(withAgent)
	w2.expectHeld("ada", token, withAgent, "CONNECTED")
	w2.act(token, withAgent, "end", 204)
	w2.act(token, withAgent, "complete", 204)
	w2.expectHeld("ada", token)
	w2.resume(queued)
	w2.expectHeld("ada", token, queued, "CONNECTING")
}

// TestAgentPausesTask: the agent API's pause and resume, as the CCP's
// Pause button: only a connected task can be paused, only a paused one
// resumed, and the agent may transfer a paused task.
func TestAgentPausesTask(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	w.setStatus(ada, w.available)
	id := w.task("needs approval")
	w.act(token, id, "pause", 409) // an offer
	w.act(token, id, "accept", 204)
	w.act(token, id, "resume", 409) // not paused
	w.act(token, id, "pause", 204)
	w.expectHeld("ada", token, id, "PAUSED")
	if c := w.describe(id); aws.ToInt32(c.TotalPauseCount) != 1 {
		t.Fatalf("TotalPauseCount %d after the agent's pause", aws.ToInt32(c.TotalPauseCount))
	}
	w.act(token, id, "pause", 409)
	w.act(token, id, "resume", 204)
	w.expectHeld("ada", token, id, "CONNECTED")
	w.act(token, id, "pause", 204)

	flows, err := w.Client.ListContactFlows(sbtest.Ctx(t), &connect.ListContactFlowsInput{InstanceId: &w.iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeQueueTransfer}})
	must(t, err)
	qc, err := w.Client.CreateQuickConnect(sbtest.Ctx(t), &connect.CreateQuickConnectInput{InstanceId: &w.iid, Name: aws.String("back to queue"),
		QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue,
			QueueConfig: &types.QueueQuickConnectConfig{QueueId: &w.queue, ContactFlowId: flows.ContactFlowSummaryList[0].Id}}})
	must(t, err)
	if status, out := w.agentAPI("POST", "/agent/v1/instances/"+w.iid+"/contacts/"+id+"/transfer", token, map[string]string{"quickConnectId": *qc.QuickConnectId}); status != 204 {
		t.Fatalf("transfer of a paused task: %d %v", status, out)
	}
	w.expectHeld("ada", token, id, "ENDED")
	if c := w.describe(id); aws.ToString(c.DisconnectReason) != "TRANSFER" {
		t.Fatalf("transferred paused task: DisconnectReason %q", aws.ToString(c.DisconnectReason))
	}
}
