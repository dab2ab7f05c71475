package center_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// Scenarios of flows deciding where a contact goes, through the SDK and the
// agent API.

func equalsBranch(value, next string) map[string]any {
	return map[string]any{"NextAction": next, "Condition": map[string]any{"Operator": "Equals", "Operands": []string{value}}}
}

func transitions(next string, conds ...map[string]any) string {
	b := `{"NextAction":"` + next + `","Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"},{"NextAction":"bye","ErrorType":"NoMatchingCondition"}],"Conditions":[`
	for i, c := range conds {
		if i > 0 {
			b += ","
		}
		b += mustJSON(c)
	}
	return b + "]}"
}

// TestChatAndEmailRoutedByFlow: one flow sends chats to the chat queue and
// emails to the email queue by $.Channel; each reaches the one agent whose
// profile serves that queue and channel.
func TestChatAndEmailRoutedByFlow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	chatQ, emailQ := w.newQueue("chat", 0), w.newQueue("email", 0)
	ada, ta := w.agentOn("ada", w.newProfile("chat desk", []mc{{channel: types.ChannelChat, slots: 2}}, []qc{{queue: chatQ, channel: types.ChannelChat, priority: 1}}))
	bob, tb := w.agentOn("bob", w.newProfile("email desk", []mc{{channel: types.ChannelEmail, slots: 1}}, []qc{{queue: emailQ, channel: types.ChannelEmail, priority: 1}}))
	flow := w.newFlow("by channel",
		action("channel", "Compare", map[string]string{"ComparisonValue": "$.Channel"}, transitions("bye", equalsBranch("CHAT", "chatq"), equalsBranch("EMAIL", "emailq"))),
		action("chatq", "UpdateContactTargetQueue", map[string]string{"QueueId": chatQ}, next("xfer")),
		action("emailq", "UpdateContactTargetQueue", map[string]string{"QueueId": emailQ}, next("xfer")),
		action("xfer", "TransferContactToQueue", map[string]string{}, next("bye")),
		action("bye", "DisconnectParticipant", map[string]string{}, ""),
	)
	w.setStatus(ada, w.available)
	w.setStatus(bob, w.available)

	chat := w.chatOn(flow, "Ana")
	_, err := w.Client.CreateEmailAddress(sbtest.Ctx(t), &connect.CreateEmailAddressInput{InstanceId: &w.iid, EmailAddress: aws.String("help@example.com")})
	must(t, err)
	out, err := w.Client.StartEmailContact(sbtest.Ctx(t), &connect.StartEmailContactInput{
		InstanceId: &w.iid, ContactFlowId: &flow, DestinationEmailAddress: aws.String("help@example.com"),
		FromEmailAddress: &types.EmailAddressInfo{EmailAddress: aws.String("ana@customer.example")},
		EmailMessage: &types.InboundEmailContent{MessageSourceType: types.InboundMessageSourceTypeRaw,
			RawMessage: &types.InboundRawMessage{Subject: aws.String("Order 17"), Body: aws.String("Where is it?"), ContentType: aws.String("text/plain")}},
	})
	must(t, err)
	email := *out.ContactId

	w.expectHeld("ada", ta, chat, "CONNECTING")
	w.expectHeld("bob", tb, email, "CONNECTING")
	if c := w.describe(chat); c.QueueInfo == nil || *c.QueueInfo.Id != chatQ || c.Channel != types.ChannelChat {
		t.Fatalf("chat %s in %+v", c.Channel, c.QueueInfo)
	}
	if c := w.describe(email); c.QueueInfo == nil || *c.QueueInfo.Id != emailQ || c.Channel != types.ChannelEmail {
		t.Fatalf("email %s in %+v", c.Channel, c.QueueInfo)
	}
	w.act(tb, email, "accept", 204)
	if c := w.describe(email); c.AgentInfo == nil || *c.AgentInfo.Id != bob {
		t.Fatalf("email AgentInfo %+v", c.AgentInfo)
	}
}

// TestQueueAtCapacityBranch: with the small queue's MaxContacts of 1 taken,
// the next contact takes TransferContactToQueue's QueueAtCapacity branch,
// which records it and sends it to BasicQueue instead. Attributes set by the
// flow show in DescribeContact.
func TestQueueAtCapacityBranch(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	small := w.newQueue("small", 1)
	flow := w.newFlow("overflow",
		action("entry", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{"entry": "api"}}, next("setq")),
		action("setq", "UpdateContactTargetQueue", map[string]string{"QueueId": small}, next("xfer")),
		action("xfer", "TransferContactToQueue", map[string]string{}, `{"NextAction":"bye","Errors":[{"NextAction":"full","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}`),
		action("full", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{"overflow": "true"}}, next("basic")),
		action("basic", "UpdateContactTargetQueue", map[string]string{"QueueId": w.queue}, next("xfer2")),
		action("xfer2", "TransferContactToQueue", map[string]string{}, next("bye")),
		action("bye", "DisconnectParticipant", map[string]string{}, ""),
	)
	first := w.taskOn(flow, "first")
	second := w.taskOn(flow, "second")
	c1, c2 := w.describe(first), w.describe(second)
	if c1.QueueInfo == nil || *c1.QueueInfo.Id != small || c1.Attributes["entry"] != "api" || c1.Attributes["overflow"] != "" {
		t.Fatalf("first: queue %+v attributes %v, want the small queue and entry=api only", c1.QueueInfo, c1.Attributes)
	}
	if c2.QueueInfo == nil || *c2.QueueInfo.Id != w.queue || c2.Attributes["entry"] != "api" || c2.Attributes["overflow"] != "true" {
		t.Fatalf("second: queue %+v attributes %v, want BasicQueue and overflow=true", c2.QueueInfo, c2.Attributes)
	}
	// Capacity frees when the first leaves the queue.
	_, err := w.Client.StopContact(sbtest.Ctx(t), &connect.StopContactInput{InstanceId: &w.iid, ContactId: &first})
	must(t, err)
	third := w.taskOn(flow, "third")
	if c := w.describe(third); c.QueueInfo == nil || *c.QueueInfo.Id != small {
		t.Fatalf("third: queue %+v, want the small queue again", c.QueueInfo)
	}
}

// TestClosedHoursBranch: a queue whose hours are Sunday 01:00–02:00 is
// closed on Monday 09:00 (the virtual start); CheckHoursOfOperation takes
// the False branch, which tags the contact and disconnects it.
func TestClosedHoursBranch(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	hours, err := w.Client.CreateHoursOfOperation(sbtest.Ctx(t), &connect.CreateHoursOfOperationInput{InstanceId: &w.iid, Name: aws.String("Sunday night"),
		TimeZone: aws.String("UTC"), Config: []types.HoursOfOperationConfig{{Day: types.HoursOfOperationDaysSunday,
			StartTime: &types.HoursOfOperationTimeSlice{Hours: aws.Int32(1), Minutes: aws.Int32(0)},
			EndTime:   &types.HoursOfOperationTimeSlice{Hours: aws.Int32(2), Minutes: aws.Int32(0)}}}})
	must(t, err)
	closedQ := w.newQueueHours("night", *hours.HoursOfOperationId, 0)
	flow := w.newFlow("hours",
		action("setq", "UpdateContactTargetQueue", map[string]string{"QueueId": closedQ}, next("hours")),
		action("hours", "CheckHoursOfOperation", map[string]string{}, transitions("bye", equalsBranch("True", "xfer"), equalsBranch("False", "closed"))),
		action("closed", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{"hours": "closed"}}, next("bye")),
		action("xfer", "TransferContactToQueue", map[string]string{}, next("bye")),
		action("bye", "DisconnectParticipant", map[string]string{}, ""),
	)
	id := w.taskOn(flow, "after hours")
	c := w.describe(id)
	if c.Attributes["hours"] != "closed" || c.DisconnectTimestamp == nil || !c.DisconnectTimestamp.Equal(at(0)) || aws.ToString(c.DisconnectReason) != "CONTACT_FLOW_DISCONNECT" {
		t.Fatalf("attributes %v disconnect %v reason %q, want hours=closed, ended at start by the flow", c.Attributes, c.DisconnectTimestamp, aws.ToString(c.DisconnectReason))
	}
}

// TestFlowInvokesModule: a flow calls a flow module created with
// CreateContactFlowModule; the module's attribute shows on the contact and
// the flow goes on after the invoke to queue the task. Once the module is
// archived, the invoke takes its error branch.
func TestFlowInvokesModule(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	module := `{"Version":"2019-10-30","StartAction":"tag","Metadata":{},"Actions":[` +
		action("tag", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{"screened": "by module"}}, `{"NextAction":"ret","Errors":[{"NextAction":"ret","ErrorType":"NoMatchingError"}]}`) + "," +
		action("ret", "EndFlowModuleExecution", map[string]string{}, "") + `]}`
	m, err := w.Client.CreateContactFlowModule(sbtest.Ctx(t), &connect.CreateContactFlowModuleInput{InstanceId: &w.iid, Name: aws.String("screen"), Content: aws.String(module)})
	must(t, err)
	flow := w.queueFlow("screened", w.queue,
		action("call", "InvokeFlowModule", map[string]string{"FlowModuleId": *m.Arn}, `{"NextAction":"after","Errors":[{"NextAction":"failed","ErrorType":"NoMatchingError"}]}`),
		action("after", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{"returned": "yes"}}, next("setq")),
		action("failed", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{"returned": "no"}}, next("setq")),
	)
	task := w.taskOn(flow, "screen me")
	if c := w.describe(task); c.Attributes["screened"] != "by module" || c.Attributes["returned"] != "yes" || c.QueueInfo == nil || *c.QueueInfo.Id != w.queue {
		t.Fatalf("after the module: attributes %v, queue %+v", c.Attributes, c.QueueInfo)
	}

	_, err = w.Client.UpdateContactFlowModuleMetadata(sbtest.Ctx(t), &connect.UpdateContactFlowModuleMetadataInput{InstanceId: &w.iid,
		ContactFlowModuleId: m.Id, State: types.ContactFlowModuleStateArchived})
	must(t, err)
	task = w.taskOn(flow, "archived")
	if c := w.describe(task); c.Attributes["screened"] != "" || c.Attributes["returned"] != "no" {
		t.Fatalf("with the module archived: attributes %v", c.Attributes)
	}
}

// TestCheckHoursHonoursOverrides: Basic Hours are open all day every day,
// until a CLOSED override for the day (2026-03-02, a Monday) says
// otherwise; CheckHoursOfOperation follows it, and follows it no more once
// it is deleted.
func TestCheckHoursHonoursOverrides(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	hours := w.basicHours()
	flow := w.queueFlow("hours", w.queue,
		action("check", "CheckHoursOfOperation", map[string]string{"HoursOfOperationId": hours}, transitions("bye", equalsBranch("True", "open"), equalsBranch("False", "closed"))),
		action("open", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{"hours": "open"}}, next("setq")),
		action("closed", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{"hours": "closed"}}, next("setq")),
	)
	if c := w.describe(w.taskOn(flow, "before")); c.Attributes["hours"] != "open" {
		t.Fatalf("without an override: %v", c.Attributes)
	}
	o, err := w.Client.CreateHoursOfOperationOverride(ctx, &connect.CreateHoursOfOperationOverrideInput{InstanceId: &w.iid, HoursOfOperationId: &hours,
		Name: aws.String("Closed today"), EffectiveFrom: aws.String("2026-03-02"), EffectiveTill: aws.String("2026-03-02"), OverrideType: types.OverrideTypeClosed,
		Config: []types.HoursOfOperationOverrideConfig{{Day: types.OverrideDaysMonday,
			StartTime: &types.OverrideTimeSlice{Hours: aws.Int32(0), Minutes: aws.Int32(0)}, EndTime: &types.OverrideTimeSlice{Hours: aws.Int32(0), Minutes: aws.Int32(0)}}}})
	must(t, err)
	if c := w.describe(w.taskOn(flow, "during")); c.Attributes["hours"] != "closed" {
		t.Fatalf("with a CLOSED override for today: %v", c.Attributes)
	}
	_, err = w.Client.DeleteHoursOfOperationOverride(ctx, &connect.DeleteHoursOfOperationOverrideInput{InstanceId: &w.iid, HoursOfOperationId: &hours,
		HoursOfOperationOverrideId: o.HoursOfOperationOverrideId})
	must(t, err)
	if c := w.describe(w.taskOn(flow, "after")); c.Attributes["hours"] != "open" {
		t.Fatalf("after deleting the override: %v", c.Attributes)
	}
}
