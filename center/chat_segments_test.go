package center_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/delivery"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// A chat's disconnect flow (UpdateContactEventHooks CustomerRemaining):
// when the agent leaves, the customer stays, and the chat goes on in a
// new contact (InitiationMethod DISCONNECT) that runs the flow — a
// post-chat survey, or Connect's sample "the agent left; write within 15
// minutes and we find you another agent".

// waitReturn is a Wait block for the customer to come back: CustomerReturned
// goes to back, the timeout to timeout.
func waitReturn(id, back, timeout string, seconds int) string {
	return fmt.Sprintf(`{"Identifier":%q,"Type":"Wait","Parameters":{"TimeoutSeconds":"%d","Events":["CustomerReturned"]},
 "Transitions":{"NextAction":%q,"Conditions":[
  {"NextAction":%q,"Condition":{"Operator":"Equals","Operands":["CustomerReturned"]}},
  {"NextAction":%q,"Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}],
 "Errors":[{"NextAction":%q,"ErrorType":"NoMatchingError"}]}}`, id, seconds, timeout, back, timeout, timeout)
}

func say(id, text, then string) string {
	return action(id, "MessageParticipant", map[string]string{"Text": text}, next(then))
}

// disconnectDesk is a chat desk whose inbound flow sets the disconnect
// flow built from actions (ending in "bye", a Disconnect).
func disconnectDesk(t *testing.T, actions ...string) *chatDesk {
	return disconnectDeskQ(t, func(string) []string { return actions })
}

// disconnectDeskQ is disconnectDesk with a disconnect flow that names the
// chat queue.
func disconnectDeskQ(t *testing.T, actions func(queue string) []string) *chatDesk {
	w := newWorld(t)
	q := w.newQueue("chat", 0)
	hook := w.newFlow("after the agent", append(actions(q), action("bye", "DisconnectParticipant", map[string]string{}, ""))...)
	return newChatDeskOn(w, q, action("hook", "UpdateContactEventHooks", map[string]any{"EventHooks": map[string]string{"CustomerRemaining": hook}}, next("setq")))
}

// leave makes the agent leave the chat: through the agent API ("end"), or
// by disconnecting their participant.
func (d *chatDesk) leave(how string, id string, agent *party) {
	d.t.Helper()
	switch how {
	case "end":
		d.act(d.token, id, "end", 204)
	case "disconnect":
		if st := d.participant("/participant/disconnect", agent.conn, map[string]any{}, nil); st != 200 {
			d.t.Fatalf("DisconnectParticipant: %d", st)
		}
	}
}

// agentLeaves has ada take a chat and end it: the chat, Jane's
// ParticipantToken and party, and the contact the disconnect flow runs in,
// whose first message Jane has read.
func (d *chatDesk) agentLeaves() (first, tok string, customer *party, second string) {
	d.t.Helper()
	first, tok, customer, _ = d.connected()
	d.act(d.token, first, "end", 204)
	customer.expect("AGENT:ada:participant.left")
	return first, tok, customer, customer.next().ContactId
}

// TestChatDisconnectFlowSurvey: the agent leaving (either way) ends the
// contact with AGENT_DISCONNECT and puts the agent in after-contact work;
// the customer stays on the same sockets and tokens, the flow's survey
// question arrives from a new contact chained to the old one, the answer
// resumes the flow (CustomerReturned), and the flow's Disconnect ends the
// chat. Each contact's transcript holds its own segment.
func TestChatDisconnectFlowSurvey(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"end", "disconnect"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			d := disconnectDesk(t,
				say("ask", "The agent has left. How did we do, 1 to 5?", "wait"),
				waitReturn("wait", "thanks", "bye", 900),
				say("thanks", "Thank you for your answer.", "bye"))
			first, tok := d.start(func(in *connect.StartChatContactInput) { in.Attributes = map[string]string{"order": "A-17"} })
			customer := d.join(tok)
			seat := d.accept(first)
			customer.expect("AGENT:ada:participant.joined")
			agent := d.join(seat.ParticipantToken)

			d.leave(how, first, agent)
			customer.expect("AGENT:ada:participant.left")
			ask := customer.next()
			if render(ask) != "SYSTEM:SYSTEM_MESSAGE:The agent has left. How did we do, 1 to 5?" {
				t.Fatalf("after the agent left the customer got %q", render(ask))
			}
			agent.closed()
			second := ask.ContactId
			if second == "" || second == first || ask.InitialContactId != first {
				t.Fatalf("the survey came from contact %q (initial %q); want a new contact chained to %s", second, ask.InitialContactId, first)
			}
			if r := d.reason(first); r != "AGENT_DISCONNECT" {
				t.Errorf("the agent's contact ended with %q, want AGENT_DISCONNECT", r)
			}
			d.expectHeld("ada", d.token, first, "ENDED")
			c := d.describe(second)
			if c.InitiationMethod != "DISCONNECT" || aws.ToString(c.PreviousContactId) != first || aws.ToString(c.InitialContactId) != first ||
				c.Channel != "CHAT" || c.DisconnectTimestamp != nil || c.AgentInfo != nil {
				t.Errorf("the disconnect flow's contact = %s", mustJSON(c))
			}
			attrs, err := d.Client.GetContactAttributes(sbtest.Ctx(t), &connect.GetContactAttributesInput{InstanceId: &d.iid, InitialContactId: &second})
			must(t, err)
			if attrs.Attributes["order"] != "A-17" {
				t.Errorf("attributes of the new contact %v, want the chain's", attrs.Attributes)
			}

			// The customer's ConnectionToken from before goes on working.
			customer.say("5")
			customer.expect("CUSTOMER:Jane:5", "SYSTEM:SYSTEM_MESSAGE:Thank you for your answer.", "SYSTEM:SYSTEM_MESSAGE:chat.ended")
			customer.closed()
			if c := d.describe(second); c.DisconnectTimestamp == nil {
				t.Errorf("the disconnect flow's Disconnect left its contact open: %s", mustJSON(c))
			}
			want := []string{"SYSTEM:SYSTEM_MESSAGE:The agent has left. How did we do, 1 to 5?", "CUSTOMER:Jane:5",
				"SYSTEM:SYSTEM_MESSAGE:Thank you for your answer.", "SYSTEM:SYSTEM_MESSAGE:chat.ended"}
			if got := customer.transcript(); !slices.Equal(got, want) {
				t.Errorf("the customer's transcript %q, want %q", got, want)
			}
			wantFirst := []string{"CUSTOMER:Jane:participant.joined", "AGENT:ada:participant.joined", "AGENT:ada:participant.left"}
			if got := customer.transcriptOf(first); !slices.Equal(got, wantFirst) {
				t.Errorf("the first contact's transcript %q, want %q", got, wantFirst)
			}
			d.act(d.token, first, "complete", 204)
			d.expectHeld("ada", d.token)
		})
	}
}

// TestChatDisconnectFlowBackToQueue is Connect's sample disconnect flow:
// a customer who writes within the wait is queued again, reaches an
// agent in the same chat, and talks with them; the agent's earlier
// contact stays in after-contact work meanwhile.
func TestChatDisconnectFlowBackToQueue(t *testing.T) {
	t.Parallel()
	d := disconnectDeskQ(t, func(q string) []string {
		return []string{
			say("tell", "The agent has left the chat. Write within 15 minutes to reach another agent.", "wait"),
			waitReturn("wait", "setq2", "bye", 900),
			action("setq2", "UpdateContactTargetQueue", map[string]string{"QueueId": q}, next("xfer2")),
			action("xfer2", "TransferContactToQueue", map[string]string{}, `{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}`),
		}
	})
	first, _, customer, second := d.agentLeaves()

	d.Clock.Advance(10 * time.Minute)
	customer.say("wait, one more thing")
	customer.expect("CUSTOMER:Jane:wait, one more thing")
	// ada still has a free chat slot beside the first chat's after-contact
	// work: the chat comes back to her as the new contact.
	seat := d.accept(second)
	customer.expect("AGENT:ada:participant.joined")
	agent := d.join(seat.ParticipantToken)
	agent.say("I'm back, what is it?")
	customer.expect("AGENT:ada:I'm back, what is it?")
	c := d.describe(second)
	if c.AgentInfo == nil || c.QueueInfo == nil || aws.ToString(c.QueueInfo.Id) != d.queue {
		t.Errorf("the returning chat = %s; want it queued and connected", mustJSON(c))
	}
	d.expectHeld("ada", d.token, first, "ENDED", second, "CONNECTED")

	// Without a disconnect flow set on it, the second contact ends
	// plainly when the agent ends it.
	d.act(d.token, second, "end", 204)
	customer.expect("AGENT:ada:participant.left", "SYSTEM:SYSTEM_MESSAGE:chat.ended")
	customer.closed()
	if r := d.reason(second); r != "AGENT_DISCONNECT" {
		t.Errorf("second contact ended with %q", r)
	}
}

// agentLeftWaiting starts a chat whose disconnect flow tells the customer
// the agent left and waits 15 minutes for them; the agent takes the chat
// and ends it. It returns the customer and the disconnect flow's contact,
// whose first message the customer has read.
func agentLeftWaiting(t *testing.T) (*chatDesk, *party, string) {
	t.Helper()
	d := disconnectDesk(t,
		say("tell", "The agent has left the chat.", "wait"),
		waitReturn("wait", "bye", "bye", 900))
	_, _, customer, second := d.agentLeaves()
	return d, customer, second
}

// TestChatDisconnectFlowTimesOut: nobody writes, the wait times out and
// the flow's Disconnect ends the chat.
func TestChatDisconnectFlowTimesOut(t *testing.T) {
	t.Parallel()
	d, customer, second := agentLeftWaiting(t)
	d.Clock.Advance(899 * time.Second)
	if c := d.describe(second); c.DisconnectTimestamp != nil {
		t.Fatalf("ended before the wait was over")
	}
	d.Clock.Advance(time.Second)
	customer.expect("SYSTEM:SYSTEM_MESSAGE:chat.ended")
	customer.closed()
	c := d.describe(second)
	if c.DisconnectTimestamp == nil || !c.DisconnectTimestamp.Equal(at(900*time.Second)) {
		t.Errorf("the disconnect flow's contact ended at %v, want %v", c.DisconnectTimestamp, at(900*time.Second))
	}
}

// TestChatDisconnectFlowCustomerLeaves: the customer closing the chat
// during the disconnect flow ends the new contact with
// CUSTOMER_DISCONNECT; the wait does not fire later.
func TestChatDisconnectFlowCustomerLeaves(t *testing.T) {
	t.Parallel()
	d, customer, second := agentLeftWaiting(t)
	if st := d.participant("/participant/disconnect", customer.conn, map[string]any{}, nil); st != 200 {
		t.Fatalf("DisconnectParticipant: %d", st)
	}
	customer.closed()
	if r := d.reason(second); r != "CUSTOMER_DISCONNECT" {
		t.Errorf("the disconnect flow's contact ended with %q, want CUSTOMER_DISCONNECT", r)
	}
	d.Clock.Advance(time.Hour)
	if r := d.reason(second); r != "CUSTOMER_DISCONNECT" {
		t.Errorf("after the wait's time the reason is %q", r)
	}
}

// transcriptOf reads another contact of the chat (GetTranscript's
// ContactId), oldest first, rendered.
func (p *party) transcriptOf(contactID string) []string {
	p.w.t.Helper()
	var out struct{ Transcript []chat.Item }
	if st := p.w.participant("/participant/transcript", p.conn, map[string]any{"ContactId": contactID, "MaxResults": 100, "SortOrder": "ASCENDING"}, &out); st != 200 {
		p.w.t.Fatalf("GetTranscript of %s: %d", contactID, st)
	}
	var r []string
	for _, it := range out.Transcript {
		r = append(r, render(it))
	}
	return r
}

// TestChatDisconnectFlowAfterIdleCustomer: the chat's auto-disconnect
// timer (UpdateParticipantRoleConfig) takes the agent out when the
// customer stops answering, and the disconnect flow runs for the customer,
// as Connect documents.
func TestChatDisconnectFlowAfterIdleCustomer(t *testing.T) {
	t.Parallel()
	d := disconnectDesk(t,
		say("tell", "We closed the conversation because you were away. Write to reach us again.", "wait"),
		waitReturn("wait", "bye", "bye", 600))
	first, tok := d.start()
	_, err := d.Client.UpdateParticipantRoleConfig(sbtest.Ctx(t), &connect.UpdateParticipantRoleConfigInput{InstanceId: &d.iid, ContactId: &first,
		ChannelConfiguration: &types.UpdateParticipantRoleConfigChannelInfoMemberChat{Value: types.ChatParticipantRoleConfig{
			ParticipantTimerConfigList: []types.ParticipantTimerConfiguration{{ParticipantRole: types.TimerEligibleParticipantRolesCustomer,
				TimerType:  types.ParticipantTimerTypeDisconnectNoncustomer,
				TimerValue: &types.ParticipantTimerValueMemberParticipantTimerDurationInMinutes{Value: 5}}}}}})
	must(t, err)
	customer := d.join(tok)
	d.accept(first)
	customer.expect("AGENT:ada:participant.joined")
	d.Clock.Advance(5 * time.Minute)
	customer.expect("CUSTOMER:Jane:participant.autodisconnection", "AGENT:ada:participant.left")
	tell := customer.next()
	if render(tell) != "SYSTEM:SYSTEM_MESSAGE:We closed the conversation because you were away. Write to reach us again." || tell.ContactId == first {
		t.Fatalf("after the auto-disconnect the customer got %q from %s", render(tell), tell.ContactId)
	}
	if r := d.reason(first); r != "AGENT_DISCONNECT" {
		t.Errorf("the agent's contact ended with %q", r)
	}
	d.expectHeld("ada", d.token, first, "ENDED")
}

// transferDesk is a chat desk with a second tier: queue "tier2" served by
// bob, reached through a QUEUE quick connect whose queue transfer flow
// tells the customer and queues the chat.
type transferDesk struct {
	*chatDesk
	tier2, qc, bob, bobToken string
}

func newTransferDesk(t *testing.T) *transferDesk {
	return newTransferDeskOn(newWorld(t))
}

// newTransferDeskOn is newTransferDesk in a world already made.
func newTransferDeskOn(w *world) *transferDesk {
	t := w.t
	d := newChatDeskOn(w, w.newQueue("chat", 0))
	tier2 := d.newQueue("tier2", 0)
	bob, bobToken := d.agentOn("bob", d.newProfile("tier 2", []mc{{channel: types.ChannelChat, slots: 2}, {channel: types.ChannelTask, slots: 1}},
		[]qc{{queue: tier2, channel: types.ChannelChat, priority: 1}, {queue: tier2, channel: types.ChannelTask, priority: 1}}))
	d.setStatus(bob, d.available)
	content := `{"Version":"2019-10-30","StartAction":"tell","Metadata":{},"Actions":[` +
		say("tell", "Transferring you to our specialists.", "xfer") + `,` +
		action("xfer", "TransferContactToQueue", map[string]string{}, `{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}`) + `,` +
		action("bye", "DisconnectParticipant", map[string]string{}, "") + `]}`
	fl, err := d.Client.CreateContactFlow(sbtest.Ctx(t), &connect.CreateContactFlowInput{InstanceId: &d.iid, Name: aws.String("to tier 2"),
		Type: types.ContactFlowTypeQueueTransfer, Content: aws.String(content)})
	must(t, err)
	q, err := d.Client.CreateQuickConnect(sbtest.Ctx(t), &connect.CreateQuickConnectInput{InstanceId: &d.iid, Name: aws.String("Tier 2"),
		QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue,
			QueueConfig: &types.QueueQuickConnectConfig{QueueId: &tier2, ContactFlowId: fl.ContactFlowId}}})
	must(t, err)
	return &transferDesk{chatDesk: d, tier2: tier2, qc: *q.QuickConnectId, bob: bob, bobToken: bobToken}
}

// transfer asks the agent API to transfer a contact to a quick connect.
func (d *transferDesk) transfer(token, contact, quickConnect string, want int) {
	d.t.Helper()
	status, out := d.agentAPI("POST", "/agent/v1/instances/"+d.iid+"/contacts/"+contact+"/transfer", token, map[string]string{"quickConnectId": quickConnect})
	if status != want {
		d.t.Fatalf("transfer %s to %s: %d %v, want %d", contact, quickConnect, status, out, want)
	}
}

// TestChatTransferThroughQuickConnect: an agent transfers a chat to a
// queue quick connect. Both sides see transfer.succeeded; the agent's
// contact ends (TRANSFER) into after-contact work and their socket closes;
// the customer, on the same socket and tokens, gets the transfer flow's
// message from the new contact (InitiationMethod TRANSFER, chained), which
// is queued in tier 2 and reaches bob, who talks with the customer.
func TestChatTransferThroughQuickConnect(t *testing.T) {
	t.Parallel()
	d := newTransferDesk(t)
	first, _, customer, seat := d.connected()
	agent := d.join(seat.ParticipantToken)

	d.transfer(d.token, first, d.qc, 204)
	customer.expect("SYSTEM:SYSTEM_MESSAGE:transfer.succeeded")
	agent.expect("SYSTEM:SYSTEM_MESSAGE:transfer.succeeded")
	agent.closed()
	tell := customer.next()
	if render(tell) != "SYSTEM:SYSTEM_MESSAGE:Transferring you to our specialists." {
		t.Fatalf("after the transfer the customer got %q", render(tell))
	}
	second := tell.ContactId
	if r := d.reason(first); r != "TRANSFER" {
		t.Errorf("the agent's contact ended with %q, want TRANSFER", r)
	}
	d.expectHeld("ada", d.token, first, "ENDED")
	c := d.describe(second)
	if c.InitiationMethod != "TRANSFER" || aws.ToString(c.PreviousContactId) != first || aws.ToString(c.InitialContactId) != first ||
		c.QueueInfo == nil || aws.ToString(c.QueueInfo.Id) != d.tier2 {
		t.Errorf("the transferred chat = %s", mustJSON(c))
	}

	if got := d.offeredTo("bob", d.bobToken); got != second {
		t.Fatalf("bob was offered %q, want %s", got, second)
	}
	d.act(d.bobToken, second, "accept", 204)
	customer.expect("AGENT:bob:participant.joined")
	specialist := d.join(d.holding(d.bobToken, second).ParticipantToken)
	customer.say("it still does not work")
	customer.expect("CUSTOMER:Jane:it still does not work")
	specialist.expect("CUSTOMER:Jane:it still does not work")
	want := []string{"SYSTEM:SYSTEM_MESSAGE:Transferring you to our specialists.", "AGENT:bob:participant.joined", "CUSTOMER:Jane:it still does not work"}
	if got := specialist.transcript(); !slices.Equal(got, want) {
		t.Errorf("the new contact's transcript %q, want %q", got, want)
	}
	wantFirst := []string{"CUSTOMER:Jane:participant.joined", "AGENT:ada:participant.joined", "SYSTEM:SYSTEM_MESSAGE:transfer.succeeded"}
	if got := customer.transcriptOf(first); !slices.Equal(got, wantFirst) {
		t.Errorf("the first contact's transcript %q, want %q", got, wantFirst)
	}
	d.act(d.token, first, "complete", 204)
}

// TestChatTransferRefused: what the agent API refuses, with the status it
// answers, and that a refused transfer leaves the chat as it was.
func TestChatTransferRefused(t *testing.T) {
	t.Parallel()
	d := newTransferDesk(t)
	first, tok := d.start()
	customer := d.join(tok)
	d.transfer(d.token, first, d.qc, 409) // only offered to the agent, not connected
	seat := d.accept(first)
	customer.expect("AGENT:ada:participant.joined")
	phone, err := d.Client.CreateQuickConnect(sbtest.Ctx(t), &connect.CreateQuickConnectInput{InstanceId: &d.iid, Name: aws.String("Phone"),
		QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypePhoneNumber,
			PhoneConfig: &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String("+12025550100")}}})
	must(t, err)
	d.transfer(d.token, first, *phone.QuickConnectId, 400)
	d.transfer(d.token, first, "no-such-quick-connect", 404)
	d.transfer(d.token, first, "", 400)
	if status, _ := d.agentAPI("POST", "/agent/v1/instances/"+d.iid+"/contacts/"+first+"/transfer", d.token, map[string]string{"queue": "x"}); status != 400 {
		t.Errorf("a body with an unknown field: %d, want 400", status)
	}
	task := d.task("a task")
	d.transfer(d.token, task, d.qc, 404) // not the agent's
	// The chat goes on with ada.
	agent := d.join(seat.ParticipantToken)
	customer.say("hello?")
	agent.expect("CUSTOMER:Jane:hello?")
	d.expectHeld("ada", d.token, first, "CONNECTED")
}

// TestTaskTransferThroughQuickConnect: the agent API's transfer works for
// a task too, as TransferContact: the agent's task ends (TRANSFER) into
// after-contact work, and a new task chained to it runs the quick
// connect's flow and reaches bob in tier 2.
func TestTaskTransferThroughQuickConnect(t *testing.T) {
	t.Parallel()
	d := newTransferDesk(t)
	tasks := d.newQueue("tasks", 0)
	tina, tinaToken := d.agentOn("tina", d.newProfile("tasks", []mc{{channel: types.ChannelTask, slots: 1}}, []qc{{queue: tasks, channel: types.ChannelTask, priority: 1}}))
	d.setStatus(tina, d.available)
	first := d.taskOn(d.queueFlow("to tasks", tasks), "refund")
	if got := d.offeredTo("tina", tinaToken); got != first {
		t.Fatalf("tina was offered %q, want %s", got, first)
	}
	d.act(tinaToken, first, "accept", 204)
	d.transfer(tinaToken, first, d.qc, 204)
	if r := d.reason(first); r != "TRANSFER" {
		t.Errorf("the agent's task ended with %q, want TRANSFER", r)
	}
	d.expectHeld("tina", tinaToken, first, "ENDED")
	second := d.offeredTo("bob", d.bobToken)
	c := d.describe(second)
	if second == "" || c.InitiationMethod != "TRANSFER" || aws.ToString(c.PreviousContactId) != first || aws.ToString(c.Name) != "refund" {
		t.Errorf("the transferred task = %s", mustJSON(c))
	}
}

// TestChatStreamFollowsTheChat: a stream started on a chat keeps
// publishing after the chat went on in another contact (a transfer), as
// Connect's streams follow the chat: the new contact's messages are
// published with their own ContactId and the chat's InitialContactId.
func TestChatStreamFollowsTheChat(t *testing.T) {
	t.Parallel()
	const topic = "arn:aws:sns:us-east-1:123456789012:chat-stream"
	got := make(chan map[string]any, 100)
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n struct{ Message string }
		var item map[string]any
		b, _ := io.ReadAll(r.Body)
		if json.Unmarshal(b, &n) == nil && json.Unmarshal([]byte(n.Message), &item) == nil {
			got <- item
		}
	}))
	t.Cleanup(sink.Close)
	e := sbtest.New(t, sbtest.Options{Runtime: true, Delivery: app.DeliveryConfig{
		StreamingEndpoints: map[string]delivery.Endpoint{topic: {Kind: "webhook", URL: sink.URL}}}})
	d := newTransferDeskOn(lookupWorld(t, e, e.Instance(t)))
	first, tok := d.start()
	_, err := d.Client.StartContactStreaming(sbtest.Ctx(t), &connect.StartContactStreamingInput{InstanceId: &d.iid, ContactId: &first,
		ChatStreamingConfiguration: &types.ChatStreamingConfiguration{StreamingEndpointArn: aws.String(topic)}, ClientToken: aws.String("s1")})
	must(t, err)
	customer := d.join(tok)
	d.accept(first)
	customer.expect("AGENT:ada:participant.joined")
	d.transfer(d.token, first, d.qc, 204)
	customer.expect("SYSTEM:SYSTEM_MESSAGE:transfer.succeeded")
	second := customer.next().ContactId
	// Two messages: the first after the move resolves the customer's
	// token afresh, the second goes through SendMessage's cached path,
	// which learns from the store whether the chat streams.
	customer.say("still there?")
	customer.say("hello?")
	for {
		select {
		case it := <-got:
			if it["Content"] != "hello?" {
				continue
			}
			if it["ContactId"] != second || it["InitialContactId"] != first {
				t.Errorf("streamed %v; want ContactId %s, InitialContactId %s", it, second, first)
			}
			return
		case <-time.After(10 * time.Second):
			t.Fatal("the transferred chat's message was not streamed within 10 s")
		}
	}
}
