package chat

import (
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/coder/websocket"
)

// FuzzWebsocketFrame feeds arbitrary client frames to the frame handler:
// it must never panic, answer only with JSON objects, and change the
// subscription only on a well-formed (un)subscribe naming aws/chat.
func FuzzWebsocketFrame(f *testing.F) {
	for _, s := range []string{
		`{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}`,
		`{"topic":"aws/unsubscribe","content":{"topics":["aws/chat"]}}`,
		`{"topic":"aws/heartbeat"}`, `{"topic":"aws/ping"}`, `{"topic":"aws/subscribe","content":{"topics":"x"}}`,
		`{"topic":"aws/subscribe"}`, `{"topic":5}`, `[]`, `null`, `"x"`, ``, `{`, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reply, change := handleFrame(data)
		if reply != nil {
			var obj map[string]any
			if err := json.Unmarshal(reply, &obj); err != nil {
				t.Fatalf("reply %q is not a JSON object: %v", reply, err)
			}
			if _, hasTopic := obj["topic"]; !hasTopic && obj["message"] == nil {
				t.Fatalf("reply %s has neither topic nor message", reply)
			}
		}
		if change != subNone {
			var fr clientFrame
			var tc topicsContent
			if json.Unmarshal(data, &fr) != nil || json.Unmarshal(fr.Content, &tc) != nil {
				t.Fatalf("subscription changed by a malformed frame %q", data)
			}
			if (change == subOn) != (fr.Topic == topicSubscribe) {
				t.Fatalf("change %v for topic %q", change, fr.Topic)
			}
		}
	})
}

func TestHubDropsSlowSockets(t *testing.T) {
	h := newHub(discard())
	slow, fast := newConn("p1"), newConn("p2")
	slow.subscribed.Store(true)
	fast.subscribed.Store(true)
	h.register("k", slow)
	h.register("k", fast)
	it := &Item{Id: "x", Type: TypeMessage, ContentType: "text/plain", Content: "hi"}
	for range sendQueue + 1 {
		h.publish("k", it)
		// The fast socket's writer keeps up.
		fast.mu.Lock()
		fast.queue = nil
		fast.mu.Unlock()
	}
	select {
	case <-slow.done:
	default:
		t.Fatal("a socket that does not read was not dropped")
	}
	if slow.code != websocket.StatusPolicyViolation {
		t.Errorf("close code %v", slow.code)
	}
	select {
	case <-fast.done:
		t.Fatal("the reading socket was dropped too")
	default:
	}
}

func TestHubLimitsSocketsPerParticipant(t *testing.T) {
	h := newHub(discard())
	var cs []*conn
	for range maxSocketsPerPartipant + 1 {
		c := newConn("p1")
		cs = append(cs, c)
		h.register("k", c)
	}
	select {
	case <-cs[0].done:
	default:
		t.Fatal("the oldest socket beyond the limit stays open")
	}
	if n := h.sockets("k"); n != maxSocketsPerPartipant {
		t.Errorf("%d sockets registered", n)
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
