package participantapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
	pw "github.com/switchboard-cc/switchboard/participantapi/participantwire"
)

const (
	joined = "application/vnd.amazonaws.connect.event.participant.joined"
	left   = "application/vnd.amazonaws.connect.event.participant.left"
	ended  = "application/vnd.amazonaws.connect.event.chat.ended"
)

func TestCreateParticipantConnection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.chat()
	out := e.connect(tok)
	url := aws.ToString(out.Websocket.Url)
	if !strings.HasPrefix(url, "ws://127.0.0.1:") || !strings.Contains(url, "/participant/ws?token=") {
		t.Errorf("Websocket.Url = %q, want ws://127.0.0.1:<port>/participant/ws?token=…", url)
	}
	if got, want := aws.ToString(out.Websocket.ConnectionExpiry), "2026-03-02T09:01:40.000Z"; got != want {
		t.Errorf("ConnectionExpiry = %s, want %s (100 s to open the socket)", got, want)
	}
	if got, want := aws.ToString(out.ConnectionCredentials.Expiry), "2026-03-03T09:00:00.000Z"; got != want {
		t.Errorf("Expiry = %s, want %s (one day)", got, want)
	}
	if aws.ToString(out.ConnectionCredentials.ConnectionToken) == "" {
		t.Error("no ConnectionToken")
	}
	// Only the requested parts; nothing at all without Type (agents'
	// ConnectParticipant acknowledgement).
	r := e.call("POST", "/participant/connection", tok, map[string]any{"Type": []string{"CONNECTION_CREDENTIALS"}})
	e.ok(r, nil)
	if strings.Contains(string(r.Body), "Websocket") {
		t.Errorf("CONNECTION_CREDENTIALS only answered %s", r.Body)
	}
	r = e.call("POST", "/participant/connection", tok, map[string]any{"ConnectParticipant": true})
	e.ok(r, nil)
	if string(r.Body) != "{}" {
		t.Errorf("no Type answered %s, want {}", r.Body)
	}
	// Every call mints a new token; older ones keep working.
	second := e.connToken(tok)
	e.send(aws.ToString(out.ConnectionCredentials.ConnectionToken), "from the first token")
	e.send(second, "from the second token")

	e.fails(e.call("POST", "/participant/connection", "not-a-token", map[string]any{"Type": []string{"WEBSOCKET"}}), "AccessDeniedException", 403)
	e.fails(e.call("POST", "/participant/connection", "", map[string]any{"Type": []string{"WEBSOCKET"}}), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/connection", tok, map[string]any{"Type": []string{"PIGEON"}}), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/connection", tok, map[string]any{"Type": []string{}}), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/connection", tok, map[string]any{"Type": []string{"WEBRTC_CONNECTION"}}), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/connection", tok, `{"Type":`), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/connection", tok, `{"Type":"WEBSOCKET"}`), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/connection", strings.Repeat("x", 1001), nil), "ValidationException", 400)
}

func TestUnknownOperationsAndViews(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.chat()
	conn := e.connToken(tok)
	r := e.call("POST", "/participant/authentication-url", conn, map[string]string{"SessionId": "x", "RedirectUri": "y"})
	if msg := e.fails(r, "UnknownOperationException", 404); !strings.Contains(msg, "GetAuthenticationUrl") {
		t.Errorf("message %q does not name the operation", msg)
	}
	e.fails(e.call("POST", "/participant/nothing", conn, nil), "UnknownOperationException", 404)
	r = e.call("GET", "/participant/views/view-1", conn, nil)
	e.fails(r, "ResourceNotFoundException", 404)
	if !strings.Contains(string(r.Body), `"ResourceId":"view-1"`) {
		t.Errorf("ResourceNotFoundException body %s lacks ResourceId", r.Body)
	}
	e.fails(e.call("GET", "/participant/views/view-1", "bad", nil), "AccessDeniedException", 403)
}

func TestCORS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req, _ := http.NewRequest("OPTIONS", e.URL+"/participant/message", nil)
	req.Header.Set("Origin", "https://shop.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-amz-bearer,amz-sdk-invocation-id")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		t.Fatalf("preflight status %d", res.StatusCode)
	}
	h := res.Header
	if h.Get("Access-Control-Allow-Origin") != "https://shop.example" {
		t.Errorf("Allow-Origin = %q", h.Get("Access-Control-Allow-Origin"))
	}
	for _, want := range []string{"x-amz-bearer", "amz-sdk-invocation-id", "amz-sdk-request", "x-amz-user-agent", "content-type"} {
		if !strings.Contains(h.Get("Access-Control-Allow-Headers"), want) {
			t.Errorf("Allow-Headers %q lacks %s", h.Get("Access-Control-Allow-Headers"), want)
		}
	}
	if !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("Allow-Methods = %q", h.Get("Access-Control-Allow-Methods"))
	}
	// Actual responses, errors included, carry CORS and expose the error type.
	r := e.call("POST", "/participant/message", "bad", map[string]string{"ContentType": "text/plain", "Content": "x"})
	if r.Header.Get("Access-Control-Allow-Origin") == "" || !strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "x-amzn-errortype") {
		t.Errorf("error response CORS headers: %v", r.Header)
	}
}

func TestSendMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cid, tok := e.chat(func(in *connect.StartChatContactInput) {
		in.InitialMessage = &types.ChatMessage{ContentType: aws.String("text/plain"), Content: aws.String("I need help")}
		in.SupportedMessagingContentTypes = []string{"text/plain", "application/json"}
	})
	conn := e.connToken(tok)
	e.Clock.Advance(1500 * time.Millisecond)
	sent := e.send(conn, "Hello")
	if aws.ToString(sent.Id) == "" || aws.ToString(sent.AbsoluteTime) != "2026-03-02T09:00:01.500Z" {
		t.Errorf("SendMessage = %+v, want an Id and AbsoluteTime 2026-03-02T09:00:01.500Z", sent)
	}
	tr := e.transcript(conn, map[string]any{"SortOrder": "ASCENDING"})
	if got := contents(tr.Transcript); !slices.Equal(got, []string{joined, "I need help", "Hello"}) {
		t.Fatalf("transcript %v", got)
	}
	if aws.ToString(tr.InitialContactId) != cid {
		t.Errorf("InitialContactId = %v", tr.InitialContactId)
	}
	msg := tr.Transcript[2]
	if msg.Type != "MESSAGE" || msg.ParticipantRole != "CUSTOMER" || aws.ToString(msg.DisplayName) != "Jane" ||
		aws.ToString(msg.ContactId) != cid || aws.ToString(msg.Id) != aws.ToString(sent.Id) || aws.ToString(msg.ParticipantId) == "" {
		t.Errorf("message item %+v", msg)
	}
	if first := tr.Transcript[1]; aws.ToString(first.AbsoluteTime) != "2026-03-02T09:00:00.000Z" {
		t.Errorf("InitialMessage at %v, want the start time", first.AbsoluteTime)
	}
	// JSON content is allowed here, with its own limit.
	e.ok(e.call("POST", "/participant/message", conn, map[string]string{"ContentType": "application/json", "Content": `{"a":1}`}), nil)

	// Idempotency: the same ClientToken returns the first answer.
	req := map[string]string{"ContentType": "text/plain", "Content": "once", "ClientToken": "ct-1"}
	var a, b pw.SendMessageResponse
	e.ok(e.call("POST", "/participant/message", conn, req), &a)
	e.Clock.Advance(time.Second)
	e.ok(e.call("POST", "/participant/message", conn, req), &b)
	if *a.Id != *b.Id || *a.AbsoluteTime != *b.AbsoluteTime {
		t.Errorf("retry answered %+v, first %+v", b, a)
	}
	if n := strings.Count(strings.Join(contents(e.transcript(conn, map[string]any{"MaxResults": 100}).Transcript), "|"), "once"); n != 1 {
		t.Errorf("message stored %d times", n)
	}
	req["Content"] = "different"
	e.fails(e.call("POST", "/participant/message", conn, req), "ValidationException", 400)

	for name, body := range map[string]map[string]string{
		"text too long":         {"ContentType": "text/plain", "Content": strings.Repeat("é", 1025)},
		"json too long":         {"ContentType": "application/json", "Content": strings.Repeat("1", 12001)},
		"over the model limit":  {"ContentType": "text/plain", "Content": strings.Repeat("a", 16385)},
		"not supported by chat": {"ContentType": "text/markdown", "Content": "**hi**"},
		"not a message type":    {"ContentType": "image/png", "Content": "x"},
		"empty content":         {"ContentType": "text/plain", "Content": ""},
		"no content type":       {"Content": "x"},
		"long ClientToken":      {"ContentType": "text/plain", "Content": "x", "ClientToken": strings.Repeat("c", 501)},
	} {
		t.Run(name, func(t *testing.T) {
			e.fails(e.call("POST", "/participant/message", conn, body), "ValidationException", 400)
		})
	}
	// 1,024 characters of text is allowed, multi-byte or not.
	e.ok(e.call("POST", "/participant/message", conn, map[string]string{"ContentType": "text/plain", "Content": strings.Repeat("é", 1024)}), nil)
	e.fails(e.call("POST", "/participant/message", tok, map[string]string{"ContentType": "text/plain", "Content": "x"}), "AccessDeniedException", 403)
	e.fails(e.call("POST", "/participant/message", "", map[string]string{"ContentType": "text/plain", "Content": "x"}), "ValidationException", 400)
	// A ConnectionToken expires after a day.
	e.Clock.Advance(24 * time.Hour)
	e.fails(e.call("POST", "/participant/message", conn, map[string]string{"ContentType": "text/plain", "Content": "x"}), "AccessDeniedException", 403)
}

func TestSendEventTypingAndReceipts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cid, tok := e.chat()
	conn := e.connToken(tok)
	agentID, agentTok, err := e.App.Chat.AddParticipant(sbtest.Ctx(t), e.iid, cid, chat.RoleAgent, "Agent Smith")
	if err != nil {
		t.Fatal(err)
	}
	agent := e.connToken(agentTok)
	msg := e.send(conn, "hi")

	var typing pw.SendEventResponse
	e.ok(e.call("POST", "/participant/event", agent, map[string]string{"ContentType": "application/vnd.amazonaws.connect.event.typing"}), &typing)
	if aws.ToString(typing.Id) == "" || aws.ToString(typing.AbsoluteTime) == "" {
		t.Errorf("typing answered %+v", typing)
	}
	e.ok(e.call("POST", "/participant/event", agent, map[string]string{"ContentType": "application/vnd.amazonaws.connect.event.connection.acknowledged"}), nil)
	e.Clock.Advance(time.Second)
	receipt := func(ct string) resp {
		return e.call("POST", "/participant/event", agent, map[string]string{"ContentType": "application/vnd.amazonaws.connect.event.message." + ct,
			"Content": fmt.Sprintf(`{"messageId":%q}`, *msg.Id)})
	}
	e.ok(receipt("delivered"), nil)
	e.Clock.Advance(time.Second)
	e.ok(receipt("read"), nil)
	e.ok(receipt("read"), nil) // the first read time stays

	tr := e.transcript(conn, map[string]any{"SortOrder": "ASCENDING"})
	got := contents(tr.Transcript)
	if !slices.Equal(got, []string{joined, joined, "hi"}) {
		t.Fatalf("transcript %v (typing and receipts are not items)", got)
	}
	if p := tr.Transcript[1]; p.ParticipantRole != "AGENT" || aws.ToString(p.DisplayName) != "Agent Smith" || aws.ToString(p.ParticipantId) != agentID {
		t.Errorf("agent joined item %+v", p)
	}
	md := tr.Transcript[2].MessageMetadata
	if md == nil || len(md.Receipts) != 1 {
		t.Fatalf("message metadata %+v", md)
	}
	r := md.Receipts[0]
	if aws.ToString(r.RecipientParticipantId) != agentID || aws.ToString(r.DeliveredTimestamp) != "2026-03-02T09:00:01.000Z" ||
		aws.ToString(r.ReadTimestamp) != "2026-03-02T09:00:02.000Z" {
		t.Errorf("receipt %+v", r)
	}

	e.fails(e.call("POST", "/participant/event", agent, map[string]string{"ContentType": "text/plain", "Content": "x"}), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/event", agent, map[string]string{"ContentType": "application/vnd.amazonaws.connect.event.message.read", "Content": "not json"}), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/event", agent, map[string]string{"ContentType": "application/vnd.amazonaws.connect.event.message.read", "Content": `{"messageId":"nope"}`}), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/event", agent, map[string]string{"Content": "x"}), "ValidationException", 400)
	e.fails(e.call("POST", "/participant/event", "bad", map[string]string{"ContentType": "application/vnd.amazonaws.connect.event.typing"}), "AccessDeniedException", 403)

	// Receipts are refused with more than two participants in the chat.
	if _, _, err := e.App.Chat.AddParticipant(sbtest.Ctx(t), e.iid, cid, chat.RoleSupervisor, "Boss"); err != nil {
		t.Fatal(err)
	}
	e.fails(receipt("read"), "ConflictException", 409)
}

func TestDisconnectParticipant(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cid, tok := e.chat()
	conn := e.connToken(tok)
	_, agentTok, err := e.App.Chat.AddParticipant(sbtest.Ctx(t), e.iid, cid, chat.RoleAgent, "Agent")
	if err != nil {
		t.Fatal(err)
	}
	agent := e.connToken(agentTok)

	// The agent leaves: the customer stays.
	e.ok(e.call("POST", "/participant/disconnect", agent, map[string]string{"ClientToken": "a1"}), nil)
	e.fails(e.call("POST", "/participant/message", agent, map[string]string{"ContentType": "text/plain", "Content": "x"}), "AccessDeniedException", 403)
	e.fails(e.call("POST", "/participant/connection", agentTok, map[string]any{"Type": []string{"WEBSOCKET"}}), "AccessDeniedException", 403)
	e.send(conn, "still here")

	// The customer leaves: the chat and the contact end.
	e.Clock.Advance(time.Minute)
	e.ok(e.call("POST", "/participant/disconnect", conn, map[string]string{"ClientToken": "c1"}), nil)
	e.ok(e.call("POST", "/participant/disconnect", conn, map[string]string{"ClientToken": "c1"}), nil) // a retry
	e.fails(e.call("POST", "/participant/disconnect", conn, map[string]string{"ClientToken": "c2"}), "AccessDeniedException", 403)
	e.fails(e.call("POST", "/participant/message", conn, map[string]string{"ContentType": "text/plain", "Content": "x"}), "AccessDeniedException", 403)
	e.fails(e.call("POST", "/participant/connection", tok, map[string]any{"Type": []string{"WEBSOCKET", "CONNECTION_CREDENTIALS"}}), "AccessDeniedException", 403)
	e.fails(e.call("POST", "/participant/disconnect", conn, map[string]string{"ClientToken": strings.Repeat("x", 501)}), "ValidationException", 400)

	// The transcript stays readable with the connection token.
	tr := e.transcript(conn, map[string]any{"SortOrder": "ASCENDING"})
	got := contents(tr.Transcript)
	if !slices.Equal(got, []string{joined, joined, left, "still here", left, ended}) {
		t.Fatalf("transcript %v", got)
	}
	if tr.Transcript[2].ParticipantRole != "AGENT" || tr.Transcript[4].ParticipantRole != "CUSTOMER" || tr.Transcript[5].ParticipantRole != "SYSTEM" {
		t.Errorf("roles %v %v %v", tr.Transcript[2].ParticipantRole, tr.Transcript[4].ParticipantRole, tr.Transcript[5].ParticipantRole)
	}
	c, err := e.Client.DescribeContact(sbtest.Ctx(t), &connect.DescribeContactInput{InstanceId: aws.String(e.iid), ContactId: aws.String(cid)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Contact.DisconnectTimestamp == nil || !c.Contact.DisconnectTimestamp.Equal(sbtest.Start.Add(time.Minute)) ||
		c.Contact.DisconnectReason == nil || *c.Contact.DisconnectReason != "CUSTOMER_DISCONNECT" {
		t.Errorf("contact after customer disconnect: disconnect %v reason %v", c.Contact.DisconnectTimestamp, c.Contact.DisconnectReason)
	}
}

func TestStopContactEndsChat(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cid, tok := e.chat()
	conn := e.connToken(tok)
	if _, err := e.Client.StopContact(sbtest.Ctx(t), &connect.StopContactInput{InstanceId: aws.String(e.iid), ContactId: aws.String(cid)}); err != nil {
		t.Fatal(err)
	}
	got := contents(e.transcript(conn, map[string]any{"SortOrder": "ASCENDING"}).Transcript)
	if !slices.Equal(got, []string{joined, ended}) {
		t.Errorf("transcript after StopContact %v", got)
	}
	e.fails(e.call("POST", "/participant/message", conn, map[string]string{"ContentType": "text/plain", "Content": "x"}), "AccessDeniedException", 403)
}

func TestChatDurationEndsChat(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.chat(func(in *connect.StartChatContactInput) { in.ChatDurationInMinutes = aws.Int32(60) })
	conn := e.connToken(tok)
	e.Clock.Advance(time.Hour)
	e.fails(e.call("POST", "/participant/message", conn, map[string]string{"ContentType": "text/plain", "Content": "x"}), "AccessDeniedException", 403)
	// Reconnecting after the duration is refused and ends the chat.
	e.fails(e.call("POST", "/participant/connection", tok, map[string]any{"Type": []string{"WEBSOCKET"}}), "AccessDeniedException", 403)
	got := contents(e.transcript(conn, map[string]any{"SortOrder": "ASCENDING"}).Transcript)
	if !slices.Equal(got, []string{joined, ended}) {
		t.Errorf("transcript after the duration %v", got)
	}
}

func TestDurableAcrossRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newEnv(t, sbtest.Options{DataDir: dir})
	_, tok := e.chat(func(in *connect.StartChatContactInput) {
		in.InitialMessage = &types.ChatMessage{ContentType: aws.String("text/plain"), Content: aws.String("first")}
	})
	conn := e.connToken(tok)
	e.send(conn, "second")
	e.Close()

	e2 := &env{Env: sbtest.New(t, sbtest.Options{DataDir: dir}), t: t, iid: e.iid, flow: e.flow}
	got := contents(e2.transcript(conn, map[string]any{"SortOrder": "ASCENDING"}).Transcript)
	if !slices.Equal(got, []string{joined, "first", "second"}) {
		t.Fatalf("transcript after restart %v", got)
	}
	e2.send(conn, "third")
	e2.connToken(tok)
}

func TestCustomerDisconnectWithRuntime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sbtest.Options{Runtime: true})
	cid, tok := e.chat()
	conn := e.connToken(tok)
	e.send(conn, "hi")
	e.ok(e.call("POST", "/participant/disconnect", conn, nil), nil)
	c, err := e.Client.DescribeContact(sbtest.Ctx(t), &connect.DescribeContactInput{InstanceId: aws.String(e.iid), ContactId: aws.String(cid)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Contact.DisconnectTimestamp == nil || aws.ToString(c.Contact.DisconnectReason) != "CUSTOMER_DISCONNECT" {
		t.Errorf("contact after disconnect: %v %v", c.Contact.DisconnectTimestamp, c.Contact.DisconnectReason)
	}
	got := contents(e.transcript(conn, map[string]any{"SortOrder": "ASCENDING"}).Transcript)
	// With the runtime, the default flow's greeting (MessageParticipant)
	// is in the chat as a SYSTEM message.
	if !slices.Equal(got, []string{joined, "Thank you for contacting us. Please wait while we connect you.", "hi", left, ended}) {
		t.Errorf("transcript %v", got)
	}
}
