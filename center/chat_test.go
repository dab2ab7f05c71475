package center_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// Both sides of a chat: the customer through StartChatContact's token,
// the agent through the token the agent API shows once they accept, each
// speaking the participant service's wire protocol over HTTP and
// WebSocket, in virtual time.

// party is one participant of a chat, connected to the participant
// service.
type party struct {
	w    *world
	conn string // ConnectionToken
	ws   *websocket.Conn
}

// participant calls the participant service with a bearer token and
// decodes the answer into out (when not nil); it returns the status.
func (w *world) participant(path, bearer string, body, out any) int {
	w.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", w.URL+path, bytes.NewReader(b))
	req.Header.Set("X-Amz-Bearer", bearer)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(w.t, err)
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == 200 {
		must(w.t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

// join connects a participant token (customer or agent) with a socket
// subscribed to aws/chat.
func (w *world) join(participantToken string) *party {
	w.t.Helper()
	var out struct {
		Websocket             struct{ Url string }
		ConnectionCredentials struct{ ConnectionToken string }
	}
	if st := w.participant("/participant/connection", participantToken, map[string]any{"Type": []string{"WEBSOCKET", "CONNECTION_CREDENTIALS"}}, &out); st != 200 {
		w.t.Fatalf("CreateParticipantConnection: %d", st)
	}
	ws, _, err := websocket.Dial(sbtest.Ctx(w.t), out.Websocket.Url, nil)
	must(w.t, err)
	w.t.Cleanup(func() { ws.CloseNow() })
	p := &party{w: w, conn: out.ConnectionCredentials.ConnectionToken, ws: ws}
	must(w.t, ws.Write(sbtest.Ctx(w.t), websocket.MessageText, []byte(`{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}`)))
	if f := p.frame(); f["topic"] != "aws/subscribe" {
		w.t.Fatalf("subscribe answered %v", f)
	}
	return p
}

func (p *party) frame() map[string]any {
	p.w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, data, err := p.ws.Read(ctx)
	if err != nil {
		p.w.t.Fatalf("read socket: %v", err)
	}
	var f map[string]any
	must(p.w.t, json.Unmarshal(data, &f))
	return f
}

// next reads pushes until one that is not a CONNECTION_ACK.
func (p *party) next() chat.Item {
	p.w.t.Helper()
	for {
		f := p.frame()
		var it chat.Item
		s, _ := f["content"].(string)
		must(p.w.t, json.Unmarshal([]byte(s), &it))
		if it.Type != chat.TypeConnectionAck {
			return it
		}
	}
}

// expect reads the next pushes and checks them, rendered by render.
func (p *party) expect(want ...string) {
	p.w.t.Helper()
	for _, w := range want {
		if got := render(p.next()); got != w {
			p.w.t.Fatalf("pushed %q, want %q", got, w)
		}
	}
}

// closed checks that the server closed the socket.
func (p *party) closed() {
	p.w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		if _, _, err := p.ws.Read(ctx); err != nil {
			if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
				p.w.t.Fatalf("socket ended with %v, want a normal closure", err)
			}
			return
		}
	}
}

func (p *party) say(text string) {
	p.w.t.Helper()
	if st := p.w.participant("/participant/message", p.conn, map[string]string{"ContentType": "text/plain", "Content": text}, nil); st != 200 {
		p.w.t.Fatalf("SendMessage %q: %d", text, st)
	}
}

// transcript reads the whole transcript, oldest first, rendered.
func (p *party) transcript() []string {
	p.w.t.Helper()
	var out struct{ Transcript []chat.Item }
	if st := p.w.participant("/participant/transcript", p.conn, map[string]any{"MaxResults": 100, "SortOrder": "ASCENDING"}, &out); st != 200 {
		p.w.t.Fatalf("GetTranscript: %d", st)
	}
	var r []string
	for _, it := range out.Transcript {
		r = append(r, render(it))
	}
	return r
}

// render shows an item as ROLE:name:text or ROLE:name:event.
func render(it chat.Item) string {
	what := it.Content
	if it.Type == chat.TypeEvent {
		what = it.ContentType[len("application/vnd.amazonaws.connect.event."):]
	}
	return string(it.ParticipantRole) + ":" + it.DisplayName + ":" + what
}

// chatDesk is a world with a chat queue and one chat agent, Available.
type chatDesk struct {
	*world
	queue, flow, agent, token string
}

func newChatDesk(t *testing.T, pre ...string) *chatDesk {
	w := newWorld(t)
	return newChatDeskOn(w, w.newQueue("chat", 0), pre...)
}

// newChatDeskOn is newChatDesk in a world with its chat queue made.
func newChatDeskOn(w *world, q string, pre ...string) *chatDesk {
	id, tok := w.agentOn("ada", w.newProfile("chat desk", []mc{{channel: types.ChannelChat, slots: 2}}, []qc{{queue: q, channel: types.ChannelChat, priority: 1}}))
	w.setStatus(id, w.available)
	return &chatDesk{world: w, queue: q, flow: w.queueFlow("to chat", q, pre...), agent: id, token: tok}
}

// start starts a chat for Jane and returns its id and customer token.
func (d *chatDesk) start(mod ...func(*connect.StartChatContactInput)) (string, string) {
	d.t.Helper()
	in := &connect.StartChatContactInput{InstanceId: &d.iid, ContactFlowId: &d.flow,
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Jane")}}
	for _, m := range mod {
		m(in)
	}
	out, err := d.Client.StartChatContact(sbtest.Ctx(d.t), in)
	must(d.t, err)
	return *out.ContactId, *out.ParticipantToken
}

// accept accepts the offered chat and returns what the agent sees of it.
func (d *chatDesk) accept(id string) agentapi.AgentContact {
	d.t.Helper()
	if got := d.offeredTo("ada", d.token); got != id {
		d.t.Fatalf("offered %s, want %s", got, id)
	}
	d.act(d.token, id, "accept", 204)
	return d.holding(d.token, id)
}

// connected starts a chat for Jane, connects her, and has ada accept it:
// the chat, Jane's ParticipantToken and party (who has seen ada join), and
// ada's seat.
func (d *chatDesk) connected() (id, tok string, customer *party, seat agentapi.AgentContact) {
	d.t.Helper()
	id, tok = d.start()
	customer = d.join(tok)
	seat = d.accept(id)
	customer.expect("AGENT:ada:participant.joined")
	return id, tok, customer, seat
}

// holding returns what an agent sees of a contact they hold.
func (w *world) holding(token, id string) agentapi.AgentContact {
	w.t.Helper()
	for _, c := range w.snapshot(token).Contacts {
		if c.ContactID == id {
			return c
		}
	}
	w.t.Fatalf("contact %s is not with the agent", id)
	return agentapi.AgentContact{}
}

func (d *chatDesk) reason(id string) string {
	c := d.describe(id)
	if c.DisconnectTimestamp == nil {
		d.t.Fatalf("contact %s is not disconnected", id)
	}
	return aws.ToString(c.DisconnectReason)
}

// TestChatAgentAndCustomerConverse: accepting a chat makes the agent a
// participant (participant.joined under their first name), the agent API
// shows the agent's participant token, and both sides see each other's
// messages live and in the transcript. The offer itself carries no token.
func TestChatAgentAndCustomerConverse(t *testing.T) {
	t.Parallel()
	d := newChatDesk(t)
	id, tok := d.start()
	customer := d.join(tok)
	for _, c := range d.snapshot(d.token).Contacts {
		if c.ParticipantToken != "" || c.ParticipantID != "" {
			t.Fatalf("an offer shows a chat seat: %+v", c)
		}
	}
	seat := d.accept(id)
	if seat.ParticipantToken == "" || seat.ParticipantID == "" || seat.Channel != "CHAT" {
		t.Fatalf("accepted chat %+v, want a participant token and id", seat)
	}
	customer.expect("AGENT:ada:participant.joined")
	agent := d.join(seat.ParticipantToken)

	customer.say("my order is late")
	customer.expect("CUSTOMER:Jane:my order is late")
	agent.expect("CUSTOMER:Jane:my order is late")
	agent.say("let me look")
	customer.expect("AGENT:ada:let me look")
	agent.expect("AGENT:ada:let me look")

	want := []string{"CUSTOMER:Jane:participant.joined", "AGENT:ada:participant.joined", "CUSTOMER:Jane:my order is late", "AGENT:ada:let me look"}
	if got := customer.transcript(); !slices.Equal(got, want) {
		t.Errorf("customer's transcript %q, want %q", got, want)
	}
	if got := agent.transcript(); !slices.Equal(got, want) {
		t.Errorf("agent's transcript %q, want %q", got, want)
	}
}

// TestChatAgentEnds: the agent ending the contact leaves the chat
// (participant.left, then chat.ended), the contact ends with
// AGENT_DISCONNECT, sockets close, and the agent is in after-contact work
// with no seat shown; completing frees the slot.
func TestChatAgentEnds(t *testing.T) {
	t.Parallel()
	d := newChatDesk(t)
	id, _, customer, seat := d.connected()
	agent := d.join(seat.ParticipantToken)

	d.act(d.token, id, "end", 204)
	customer.expect("AGENT:ada:participant.left", "SYSTEM:SYSTEM_MESSAGE:chat.ended")
	customer.closed()
	agent.closed()
	if r := d.reason(id); r != "AGENT_DISCONNECT" {
		t.Errorf("disconnect reason %q", r)
	}
	d.expectHeld("ada", d.token, id, "ENDED")
	if c := d.snapshot(d.token).Contacts[0]; c.ParticipantToken != "" {
		t.Errorf("an ended chat still shows a token: %+v", c)
	}
	if st := d.participant("/participant/connection", seat.ParticipantToken, map[string]any{"Type": []string{"WEBSOCKET"}}, nil); st != 403 {
		t.Errorf("the agent's token after the end: %d, want 403", st)
	}
	d.act(d.token, id, "complete", 204)
	d.expectHeld("ada", d.token)
}

// TestChatCustomerDisconnects: the customer leaving ends the chat and the
// contact (CUSTOMER_DISCONNECT) and puts the agent in after-contact work,
// with and without DisconnectOnCustomerExit.
func TestChatCustomerDisconnects(t *testing.T) {
	t.Parallel()
	for name, exit := range map[string][]string{"plain": nil, "DisconnectOnCustomerExit": {"AGENT"}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := newChatDesk(t)
			id, tok := d.start(func(in *connect.StartChatContactInput) {
				for _, r := range exit {
					in.DisconnectOnCustomerExit = append(in.DisconnectOnCustomerExit, types.DisconnectOnCustomerExitParticipantType(r))
				}
			})
			customer := d.join(tok)
			seat := d.accept(id)
			customer.expect("AGENT:ada:participant.joined")
			agent := d.join(seat.ParticipantToken)
			if st := d.participant("/participant/disconnect", customer.conn, map[string]any{}, nil); st != 200 {
				t.Fatalf("DisconnectParticipant: %d", st)
			}
			agent.expect("CUSTOMER:Jane:participant.left", "SYSTEM:SYSTEM_MESSAGE:chat.ended")
			agent.closed()
			if r := d.reason(id); r != "CUSTOMER_DISCONNECT" {
				t.Errorf("disconnect reason %q", r)
			}
			d.expectHeld("ada", d.token, id, "ENDED")
			// The agent may still read what was said.
			if got := agent.transcript(); len(got) != 4 || got[3] != "SYSTEM:SYSTEM_MESSAGE:chat.ended" {
				t.Errorf("agent's transcript after the end %q", got)
			}
		})
	}
}

// TestChatAgentDisconnectsParticipant: an agent client that disconnects
// its participant (rather than ending the contact through the agent API)
// ends the chat and the contact with AGENT_DISCONNECT.
func TestChatAgentDisconnectsParticipant(t *testing.T) {
	t.Parallel()
	d := newChatDesk(t)
	id, _, customer, seat := d.connected()
	agent := d.join(seat.ParticipantToken)
	if st := d.participant("/participant/disconnect", agent.conn, map[string]any{}, nil); st != 200 {
		t.Fatalf("DisconnectParticipant: %d", st)
	}
	customer.expect("AGENT:ada:participant.left", "SYSTEM:SYSTEM_MESSAGE:chat.ended")
	customer.closed()
	if r := d.reason(id); r != "AGENT_DISCONNECT" {
		t.Errorf("disconnect reason %q", r)
	}
	d.expectHeld("ada", d.token, id, "ENDED")
}

// TestChatFlowMessages: a flow's MessageParticipant reaches the chat as a
// SYSTEM message before the agent joins.
func TestChatFlowMessages(t *testing.T) {
	t.Parallel()
	d := newChatDesk(t, action("hello", "MessageParticipant", map[string]string{"Text": "Hi $.Customer.Name, an agent will be with you."}, next("ssml")),
		action("ssml", "MessageParticipant", map[string]string{"SSML": "<speak>Thanks for <emphasis>waiting</emphasis>.</speak>"}, next("setq")))
	_, _, customer, _ := d.connected()
	got := customer.transcript()
	if len(got) != 4 || got[1][:len("SYSTEM:SYSTEM_MESSAGE:")] != "SYSTEM:SYSTEM_MESSAGE:" || got[2] != "SYSTEM:SYSTEM_MESSAGE:Thanks for waiting." {
		t.Errorf("transcript %q", got)
	}
}

// TestChatDurationEndsConversation: at ChatDurationInMinutes the runtime's
// expiry ends the contact; both sides see chat.ended, their sockets close
// and the agent goes to after-contact work.
func TestChatDurationEndsConversation(t *testing.T) {
	t.Parallel()
	d := newChatDesk(t)
	id, tok := d.start(func(in *connect.StartChatContactInput) { in.ChatDurationInMinutes = aws.Int32(60) })
	customer := d.join(tok)
	seat := d.accept(id)
	customer.expect("AGENT:ada:participant.joined")
	agent := d.join(seat.ParticipantToken)
	d.Clock.Advance(59 * time.Minute)
	agent.say("still there?")
	customer.expect("AGENT:ada:still there?")
	d.Clock.Advance(time.Minute)
	customer.expect("SYSTEM:SYSTEM_MESSAGE:chat.ended")
	agent.expect("AGENT:ada:still there?", "SYSTEM:SYSTEM_MESSAGE:chat.ended")
	customer.closed()
	agent.closed()
	c := d.describe(id)
	if c.DisconnectTimestamp == nil || !c.DisconnectTimestamp.Equal(at(time.Hour)) {
		t.Errorf("disconnected at %v, want %v", c.DisconnectTimestamp, at(time.Hour))
	}
	d.expectHeld("ada", d.token, id, "ENDED")
}

// TestChatSupervisorJoins: a supervisor joins a chat in progress as a
// SUPERVISOR participant and sees the conversation.
func TestChatSupervisorJoins(t *testing.T) {
	t.Parallel()
	d := newChatDesk(t)
	id, _, customer, _ := d.connected()
	boss := d.user("boss")
	_, ptok, err := d.Center.JoinChat(sbtest.Ctx(t), d.iid, id, boss)
	must(t, err)
	customer.expect("SUPERVISOR:boss:participant.joined")
	sup := d.join(ptok)
	customer.say("hello?")
	sup.expect("CUSTOMER:Jane:hello?")
	// Supervisors leave alone: the chat goes on.
	if st := d.participant("/participant/disconnect", sup.conn, map[string]any{}, nil); st != 200 {
		t.Fatalf("DisconnectParticipant: %d", st)
	}
	customer.expect("CUSTOMER:Jane:hello?", "SUPERVISOR:boss:participant.left")
	d.expectHeld("ada", d.token, id, "CONNECTED")
	if _, _, err := d.Center.JoinChat(sbtest.Ctx(t), d.iid, d.task("not a chat"), boss); err == nil {
		t.Error("joined a task as a chat")
	}
}

// TestChatCustomBotJoins: CreateParticipant adds a CUSTOM_BOT to a chat
// before an agent takes it; the bot connects with its token and talks to
// the customer. Only CUSTOM_BOT may be added, to a live chat.
func TestChatCustomBotJoins(t *testing.T) {
	t.Parallel()
	d := newChatDesk(t)
	d.setStatus(d.agent, d.offline) // keep the chat with the bot
	id, tok := d.start()
	customer := d.join(tok)
	ctx := sbtest.Ctx(t)
	out, err := d.Client.CreateParticipant(ctx, &connect.CreateParticipantInput{InstanceId: &d.iid, ContactId: &id,
		ParticipantDetails: &types.ParticipantDetailsToAdd{ParticipantRole: types.ParticipantRoleCustomBot, DisplayName: aws.String("Helper")}})
	must(t, err)
	if out.ParticipantId == nil || out.ParticipantCredentials == nil || *out.ParticipantCredentials.ParticipantToken == "" ||
		!strings.HasSuffix(aws.ToString(out.ParticipantCredentials.Expiry), "Z") {
		t.Fatalf("CreateParticipant = %+v", out)
	}
	customer.expect("CUSTOM_BOT:Helper:participant.joined")
	bot := d.join(*out.ParticipantCredentials.ParticipantToken)
	bot.say("Hi, what can I do?")
	customer.expect("CUSTOM_BOT:Helper:Hi, what can I do?")
	customer.say("track my order")
	bot.expect("CUSTOM_BOT:Helper:Hi, what can I do?", "CUSTOMER:Jane:track my order")

	_, err = d.Raw.CreateParticipant(ctx, &connect.CreateParticipantInput{InstanceId: &d.iid, ContactId: &id,
		ParticipantDetails: &types.ParticipantDetailsToAdd{ParticipantRole: types.ParticipantRoleAgent, DisplayName: aws.String("x")}})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	task := d.task("not a chat")
	_, err = d.Raw.CreateParticipant(ctx, &connect.CreateParticipantInput{InstanceId: &d.iid, ContactId: &task,
		ParticipantDetails: &types.ParticipantDetailsToAdd{ParticipantRole: types.ParticipantRoleCustomBot}})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = d.Raw.CreateParticipant(ctx, &connect.CreateParticipantInput{InstanceId: &d.iid, ContactId: aws.String("00000000-0000-0000-0000-000000000000"),
		ParticipantDetails: &types.ParticipantDetailsToAdd{ParticipantRole: types.ParticipantRoleCustomBot}})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = d.Client.StopContact(ctx, &connect.StopContactInput{InstanceId: &d.iid, ContactId: &id})
	must(t, err)
	_, err = d.Raw.CreateParticipant(ctx, &connect.CreateParticipantInput{InstanceId: &d.iid, ContactId: &id,
		ParticipantDetails: &types.ParticipantDetailsToAdd{ParticipantRole: types.ParticipantRoleCustomBot}})
	sbtest.APIError(t, err, "ConflictException", 409)
}
