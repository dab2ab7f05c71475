package participantapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// socket is a test client speaking chatjs's frames.
type socket struct {
	t  *testing.T
	ws *websocket.Conn
}

func (e *env) dial(participantToken string) *socket {
	e.t.Helper()
	url := aws.ToString(e.connect(participantToken).Websocket.Url)
	ws, _, err := websocket.Dial(sbtest.Ctx(e.t), url, nil)
	if err != nil {
		e.t.Fatalf("dial %s: %v", url, err)
	}
	e.t.Cleanup(func() { ws.CloseNow() })
	return &socket{t: e.t, ws: ws}
}

func (s *socket) write(frame string) {
	s.t.Helper()
	if err := s.ws.Write(sbtest.Ctx(s.t), websocket.MessageText, []byte(frame)); err != nil {
		s.t.Fatalf("write: %v", err)
	}
}

func (s *socket) read() map[string]any {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, data, err := s.ws.Read(ctx)
	if err != nil {
		s.t.Fatalf("read: %v", err)
	}
	var f map[string]any
	if err := json.Unmarshal(data, &f); err != nil {
		s.t.Fatalf("frame %s: %v", data, err)
	}
	return f
}

// item reads an aws/chat push and decodes its content string.
func (s *socket) item() chat.Item {
	s.t.Helper()
	f := s.read()
	if f["topic"] != "aws/chat" || f["contentType"] != "application/json" {
		s.t.Fatalf("not a chat push: %v", f)
	}
	content, ok := f["content"].(string)
	if !ok {
		s.t.Fatalf("push content is not a JSON string: %v", f)
	}
	var it chat.Item
	if err := json.Unmarshal([]byte(content), &it); err != nil {
		s.t.Fatalf("push content %s: %v", content, err)
	}
	return it
}

func (s *socket) subscribe() {
	s.t.Helper()
	s.write(`{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}`)
	f := s.read()
	b, _ := json.Marshal(f)
	if string(b) != `{"content":{"status":"success","topics":["aws/chat"]},"topic":"aws/subscribe"}` {
		s.t.Fatalf("subscribe answered %s", b)
	}
}

func TestWebsocketProtocol(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cid, tok := e.chat()
	conn := e.connToken(tok)
	s := e.dial(tok)
	s.subscribe()

	s.write(`{"topic":"aws/heartbeat"}`)
	if f := s.read(); f["topic"] != "aws/heartbeat" || len(f) != 1 {
		t.Errorf("heartbeat answered %v", f)
	}
	s.write(`{"topic":"aws/ping"}`)
	if f := s.read(); f["topic"] != "aws/ping" || f["statusCode"] != float64(200) {
		t.Errorf("ping answered %v", f)
	}
	s.write(`not json`)
	if f := s.read(); f["topic"] != nil || f["message"] == nil {
		t.Errorf("bad frame answered %v", f)
	}
	s.write(`{"topic":"aws/subscribe","content":{"topics":["aws/other"]}}`)
	if f := s.read(); f["content"].(map[string]any)["status"] != "failure" {
		t.Errorf("unknown topic subscription answered %v", f)
	}

	sent := e.send(conn, "hello")
	it := s.item()
	if it.Content != "hello" || it.Id != *sent.Id || it.Type != "MESSAGE" || it.ParticipantRole != "CUSTOMER" ||
		it.ContactId != cid || it.InitialContactId != cid || it.AbsoluteTime != *sent.AbsoluteTime {
		t.Errorf("pushed message %+v", it)
	}

	// An agent joins, types, and reads: everyone sees it, the sender too.
	agentID, agentTok, err := e.App.Chat.AddParticipant(sbtest.Ctx(t), e.iid, cid, chat.RoleAgent, "Agent")
	if err != nil {
		t.Fatal(err)
	}
	if it := s.item(); it.ContentType != joined || it.ParticipantRole != "AGENT" || it.ParticipantId != agentID {
		t.Errorf("agent joined push %+v", it)
	}
	as := e.dial(agentTok)
	as.subscribe()
	agent := e.connToken(agentTok)
	e.ok(e.call("POST", "/participant/event", agent, map[string]string{"ContentType": "application/vnd.amazonaws.connect.event.typing"}), nil)
	for _, sock := range []*socket{s, as} {
		if it := sock.item(); it.ContentType != "application/vnd.amazonaws.connect.event.typing" || it.ParticipantRole != "AGENT" {
			t.Errorf("typing push %+v", it)
		}
	}
	e.ok(e.call("POST", "/participant/event", agent, map[string]string{"ContentType": "application/vnd.amazonaws.connect.event.message.read",
		"Content": `{"messageId":"` + *sent.Id + `"}`}), nil)
	md := s.item()
	if md.Type != "MESSAGEMETADATA" || md.MessageMetadata == nil || md.MessageMetadata.MessageId != *sent.Id ||
		md.MessageMetadata.Receipts[0].RecipientParticipantId != agentID || md.MessageMetadata.Receipts[0].ReadTimestamp == "" {
		t.Errorf("receipt push %+v", md)
	}
	as.item()
	// ConnectParticipant acknowledges on the participant's own sockets.
	e.ok(e.call("POST", "/participant/connection", agentTok, map[string]any{"ConnectParticipant": true}), nil)
	if it := as.item(); it.Type != "CONNECTION_ACK" {
		t.Errorf("ack push %+v", it)
	}

	// The customer leaves: left, chat.ended, then a normal close.
	e.ok(e.call("POST", "/participant/disconnect", conn, nil), nil)
	for _, sock := range []*socket{s, as} {
		if it := sock.item(); it.ContentType != left {
			t.Errorf("first push after disconnect %+v", it)
		}
		if it := sock.item(); it.ContentType != ended {
			t.Errorf("second push after disconnect %+v", it)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, _, err := sock.ws.Read(ctx)
		cancel()
		if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
			t.Errorf("socket after chat end: %v, want close 1000", err)
		}
	}
}

func TestWebsocketRejectsBadTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.chat()
	url := aws.ToString(e.connect(tok).Websocket.Url)
	_, res, err := websocket.Dial(sbtest.Ctx(t), e.URL+"/participant/ws?token=nope", nil)
	if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("bad token: %v %v", err, res)
	}
	// The URL must be opened within 100 seconds.
	e.Clock.Advance(101 * time.Second)
	_, res, err = websocket.Dial(sbtest.Ctx(t), url, nil)
	if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("stale URL: %v %v", err, res)
	}
}

func TestWebsocketUnsubscribedGetsNoPushes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.chat()
	conn := e.connToken(tok)
	s := e.dial(tok)
	e.send(conn, "before subscribing")
	s.subscribe() // the next frame must be the ack, not the push
	e.send(conn, "after")
	if it := s.item(); it.Content != "after" {
		t.Errorf("push %+v", it)
	}
	s.write(`{"topic":"aws/unsubscribe","content":{"topics":["aws/chat"]}}`)
	if f := s.read(); f["topic"] != "aws/unsubscribe" {
		t.Errorf("unsubscribe answered %v", f)
	}
	e.send(conn, "unheard")
	s.write(`{"topic":"aws/heartbeat"}`)
	if f := s.read(); f["topic"] != "aws/heartbeat" {
		t.Errorf("after unsubscribe got %v, want only the heartbeat answer", f)
	}
}
