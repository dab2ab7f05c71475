package agentapi_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-cc/switchboard/agentapi"
)

// transports runs f once per way of opening a stream.
func transports(t *testing.T, f func(t *testing.T, e *testEnv, open func(token string) streamClient)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		open func(tb testing.TB, e *testEnv, token string) streamClient
	}{
		{"WebSocketHeader", func(tb testing.TB, e *testEnv, tok string) streamClient { return e.dialWS(tb, tok, true) }},
		{"WebSocketQuery", func(tb testing.TB, e *testEnv, tok string) streamClient { return e.dialWS(tb, tok, false) }},
		{"SSEHeader", func(tb testing.TB, e *testEnv, tok string) streamClient { return e.openSSE(tb, tok, true) }},
		{"SSEQuery", func(tb testing.TB, e *testEnv, tok string) streamClient { return e.openSSE(tb, tok, false) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := mustOpenEnv(t, agentapi.Options{HeartbeatInterval: 15 * time.Second})
			f(t, e, func(tok string) streamClient { return tc.open(t, e, tok) })
		})
	}
}

func TestStreamOfferAcceptEndComplete(t *testing.T) {
	t.Parallel()
	transports(t, func(t *testing.T, e *testEnv, open func(string) streamClient) {
		tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
		wantStatus(t, e.do(t, "PUT", inst1+"/status", tok, `{"statusId":"st-available"}`), 204)
		c := open(tok)

		hello := wantMessage(t, c, agentapi.MessageHello)
		if hello.Seq != 1 || hello.Session.UserID != "user-alice" || hello.Snapshot.Status.ID != "st-available" || !hello.Time.Equal(epoch) {
			t.Fatalf("hello %+v", hello)
		}
		offered := e.be.offer("user-alice", "c1")
		m := wantMessage(t, c, "offer")
		if m.Seq != 2 || m.Contact == nil || m.Contact.ContactID != "c1" || m.Contact.State != agentapi.StateConnecting ||
			m.Contact.Queue.Name != "Sales" || m.Contact.InitiationMethod != "API" ||
			m.Contact.Attributes["customer"] != "Ada" || !m.Contact.ExpiresAt.Equal(offered.ExpiresAt) {
			t.Fatalf("offer %+v %+v", m, m.Contact)
		}

		wantStatus(t, e.do(t, "POST", inst1+"/contacts/c1/accept", tok, nil), 204)
		if m := wantMessage(t, c, "contact"); m.Contact.State != agentapi.StateConnected {
			t.Fatalf("after accept %+v", m.Contact)
		}
		wantStatus(t, e.do(t, "POST", inst1+"/contacts/c1/end", tok, nil), 204)
		if m := wantMessage(t, c, "contact"); m.Contact.State != agentapi.StateEnded {
			t.Fatalf("after end %+v", m.Contact)
		}
		wantStatus(t, e.do(t, "POST", inst1+"/contacts/c1/complete", tok, nil), 204)
		if m := wantMessage(t, c, "contact_removed"); m.Contact.ContactID != "c1" {
			t.Fatalf("after complete %+v", m.Contact)
		}
		wantStatus(t, e.do(t, "PUT", inst1+"/status", tok, `{"statusId":"st-break"}`), 204)
		if m := wantMessage(t, c, "status"); m.Status.Name != "Break" || m.Seq != 6 {
			t.Fatalf("status %+v", m)
		}
	})
}

func TestStreamHeartbeat(t *testing.T) {
	t.Parallel()
	transports(t, func(t *testing.T, e *testEnv, open func(string) streamClient) {
		tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
		c := open(tok)
		wantMessage(t, c, agentapi.MessageHello)
		for i := range 2 {
			e.clk.Advance(15 * time.Second)
			m := wantMessage(t, c, agentapi.MessageHeartbeat)
			if want := epoch.Add(time.Duration(i+1) * 15 * time.Second); !m.Time.Equal(want) || m.Seq != uint64(i+2) {
				t.Fatalf("heartbeat %+v, want time %v", m, want)
			}
		}
	})
}

func TestStreamClosedByLogoutExpiryAndShutdown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		end    func(t *testing.T, e *testEnv, tok string)
		reason string
		ws     websocket.StatusCode
	}{
		{"Logout", func(t *testing.T, e *testEnv, tok string) {
			wantStatus(t, e.do(t, "POST", "/agent/v1/logout", tok, nil), 204)
		}, "logged_out", websocket.StatusNormalClosure},
		{"Expiry", func(t *testing.T, e *testEnv, tok string) {
			e.clk.Advance(12 * time.Hour)
		}, "session_expired", websocket.StatusNormalClosure},
		{"Shutdown", func(t *testing.T, e *testEnv, tok string) {
			// Close waits for the goodbyes, which the client reads below.
			go e.srv.Close()
		}, "server_shutdown", websocket.StatusGoingAway},
	} {
		t.Run(tc.name+"/WebSocket", func(t *testing.T) {
			t.Parallel()
			e := mustOpenEnv(t, agentapi.Options{})
			tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
			c := e.dialWS(t, tok, true)
			wantMessage(t, c, agentapi.MessageHello)
			tc.end(t, e, tok)
			if m := skipHeartbeats(t, c); m.Type != agentapi.MessageClosed || m.Reason != tc.reason || m.Message == "" {
				t.Fatalf("closed %+v", m)
			}
			if code, reason := c.closeStatus(t); code != tc.ws || reason != tc.reason {
				t.Fatalf("close frame %v %q", code, reason)
			}
			waitFor(t, e.be.unsubscribed, "the subscription to end")
		})
		t.Run(tc.name+"/SSE", func(t *testing.T) {
			t.Parallel()
			e := mustOpenEnv(t, agentapi.Options{})
			tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
			c := e.openSSE(t, tok, true)
			wantMessage(t, c, agentapi.MessageHello)
			tc.end(t, e, tok)
			if m := skipHeartbeats(t, c); m.Type != agentapi.MessageClosed || m.Reason != tc.reason {
				t.Fatalf("closed %+v", m)
			}
			if _, err := c.r.ReadByte(); err != io.EOF {
				t.Fatalf("after closed: %v, want EOF", err)
			}
			waitFor(t, e.be.unsubscribed, "the subscription to end")
		})
	}
	t.Run("ShutdownRefusesLater", func(t *testing.T) {
		t.Parallel()
		e := mustOpenEnv(t, agentapi.Options{})
		tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
		e.srv.Close()
		wantError(t, e.do(t, "GET", inst1+"/snapshot", tok, nil), 503, agentapi.CodeUnavailable)
		wantError(t, e.do(t, "POST", loginPath, "", `{"username":"alice","password":"correct horse"}`), 503, agentapi.CodeUnavailable)
	})
}

// skipHeartbeats returns the next message that is not a heartbeat: moving
// the clock by hours fires heartbeats on the way.
func skipHeartbeats(tb testing.TB, c streamClient) agentapi.StreamMessage {
	tb.Helper()
	for {
		if m := c.next(tb); m.Type != agentapi.MessageHeartbeat {
			return m
		}
	}
}

func TestStreamErrors(t *testing.T) {
	t.Parallel()
	e := mustOpenEnv(t, agentapi.Options{MaxStreamsPerSession: 1})
	tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
	sse := func(token string) response {
		t.Helper()
		req, _ := http.NewRequest("GET", e.ts.URL+"/agent/v1/stream?token="+token, nil)
		req.Header.Set("Accept", "text/event-stream")
		res, err := e.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return response{status: res.StatusCode, header: res.Header, body: b}
	}
	wantError(t, sse(""), 401, agentapi.CodeUnauthenticated)
	wantError(t, sse("sba_forged"), 401, agentapi.CodeUnauthenticated)
	wantError(t, e.do(t, "GET", "/agent/v1/stream", tok, nil), 406, agentapi.CodeNotAcceptable)
	wantError(t, e.do(t, "POST", "/agent/v1/stream", tok, nil), 405, agentapi.CodeMethodNotAllowed)
	e.be.setFail(errBoom)
	wantError(t, sse(tok), 500, agentapi.CodeInternal)

	c := e.openSSE(t, tok, true)
	wantMessage(t, c, agentapi.MessageHello)
	wantError(t, sse(tok), 429, agentapi.CodeTooManyRequests)
}

// stuckWriter is a ResponseWriter whose writes block until released: a
// client that stopped reading, without depending on socket buffer sizes.
type stuckWriter struct {
	header  http.Header
	release chan struct{}
	mu      sync.Mutex
	buf     bytes.Buffer
}

func (w *stuckWriter) Header() http.Header { return w.header }
func (w *stuckWriter) WriteHeader(int)     {}
func (w *stuckWriter) Flush()              {}
func (w *stuckWriter) Write(p []byte) (int, error) {
	<-w.release
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func TestStreamSlowClientDisconnected(t *testing.T) {
	t.Parallel()
	e := mustOpenEnv(t, agentapi.Options{StreamBuffer: 4})
	tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, "GET", "/agent/v1/stream", nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+tok)
	w := &stuckWriter{header: http.Header{}, release: make(chan struct{})}
	served := make(chan struct{})
	go func() {
		defer close(served)
		e.srv.ServeHTTP(w, req)
	}()
	waitFor(t, e.be.subscribed, "the subscription")

	// The writer is stuck on the hello; the backend must still be able to
	// publish far more than the buffer holds.
	within(t, "publishing to a stuck client", func() {
		for i := range 20 {
			e.be.offer("user-alice", fmt.Sprintf("c%d", i))
		}
	})
	// The overflow ended the subscription at once, with the writer still
	// stuck: the runtime stops doing work for a client that is gone.
	waitFor(t, e.be.unsubscribed, "the subscription to end")

	close(w.release)
	waitFor(t, served, "the handler to return")
	r := bufio.NewReader(bytes.NewReader(w.buf.Bytes()))
	var last string
	var got []agentapi.StreamMessage
	for {
		m, err := readSSE(r, &last)
		if err != nil {
			break
		}
		got = append(got, m)
	}
	// The close is reported before the backlog, which is dropped.
	if len(got) != 2 || got[0].Type != agentapi.MessageHello || got[1].Type != agentapi.MessageClosed || got[1].Reason != "slow_consumer" {
		t.Fatalf("messages %+v", got)
	}
}

// Nodes sharing a session store: a stream open on one node closes at its
// next heartbeat once the agent logged out on another.
func TestStreamClosedByLogoutOnAnotherNode(t *testing.T) {
	t.Parallel()
	a, b := twoNodes(t)
	tok := a.mustLogin(t, "inst-1", "alice", "correct horse")
	c := b.dialWS(t, tok, true)
	wantMessage(t, c, agentapi.MessageHello)
	wantStatus(t, a.do(t, "POST", "/agent/v1/logout", tok, nil), 204)
	b.clk.Advance(30 * time.Second)
	if m := skipHeartbeats(t, c); m.Type != agentapi.MessageClosed || m.Reason != "logged_out" {
		t.Fatalf("closed %+v", m)
	}
	waitFor(t, b.be.unsubscribed, "the subscription to end")
}
