package agentapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/clock"
)

var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testEnv is a server on a random port over a fake backend and a virtual
// clock.
type testEnv struct {
	srv *agentapi.Server
	ts  *httptest.Server
	clk *clock.Virtual
	be  *fakeBackend
}

func mustOpenEnv(tb testing.TB, opts agentapi.Options) *testEnv {
	tb.Helper()
	clk := clock.NewVirtual(epoch)
	be := newFakeBackend(clk.Now)
	srv := agentapi.New(be, clk, opts)
	mux := http.NewServeMux()
	mux.Handle("/agent/", srv) // mounted as the real server does
	ts := httptest.NewServer(mux)
	tb.Cleanup(func() {
		srv.Close()
		ts.Close()
	})
	return &testEnv{srv: srv, ts: ts, clk: clk, be: be}
}

// response is a decoded reply.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request; body is JSON-encoded unless it is a string.
func (e *testEnv) do(tb testing.TB, method, path, token string, body any) response {
	tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.ts.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// mustLogin logs in and returns the token.
func (e *testEnv) mustLogin(tb testing.TB, instance, username, password string) string {
	tb.Helper()
	r := e.do(tb, "POST", "/agent/v1/instances/"+instance+"/login", "", map[string]string{"username": username, "password": password})
	if r.status != 200 {
		tb.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	var lr agentapi.LoginResponse
	r.decode(tb, &lr)
	return lr.Token
}

// wantError checks an error reply's status and code, and that it has a
// message.
func wantError(tb testing.TB, r response, status int, code agentapi.Code) {
	tb.Helper()
	var e struct {
		Code    agentapi.Code `json:"code"`
		Message string        `json:"message"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		tb.Fatalf("error body %q is not JSON: %v", r.body, err)
	}
	if r.status != status || e.Code != code || e.Message == "" {
		tb.Fatalf("got %d %s %q, want %d %s", r.status, e.Code, e.Message, status, code)
	}
}

// wantStatus checks a reply's status.
func wantStatus(tb testing.TB, r response, status int) {
	tb.Helper()
	if r.status != status {
		tb.Fatalf("got %d %s, want %d", r.status, r.body, status)
	}
}

// streamClient reads stream messages whatever the transport.
type streamClient interface {
	next(tb testing.TB) agentapi.StreamMessage
}

// readTimeout guards against a hung test; no test waits on it when green.
const readTimeout = 10 * time.Second

type wsClient struct{ c *websocket.Conn }

func (e *testEnv) dialWS(tb testing.TB, token string, header bool) *wsClient {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	u := "ws" + strings.TrimPrefix(e.ts.URL, "http") + "/agent/v1/stream"
	opts := &websocket.DialOptions{HTTPClient: e.ts.Client()}
	if header {
		opts.HTTPHeader = http.Header{"Authorization": {"Bearer " + token}}
	} else {
		u += "?token=" + token
	}
	c, _, err := websocket.Dial(ctx, u, opts)
	if err != nil {
		tb.Fatalf("dial: %v", err)
	}
	tb.Cleanup(func() { c.CloseNow() })
	return &wsClient{c: c}
}

func (w *wsClient) next(tb testing.TB) agentapi.StreamMessage {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	typ, b, err := w.c.Read(ctx)
	if err != nil {
		tb.Fatalf("read: %v", err)
	}
	if typ != websocket.MessageText {
		tb.Fatalf("message type %v, want text", typ)
	}
	var m agentapi.StreamMessage
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatalf("message %s: %v", b, err)
	}
	return m
}

// closeStatus reads until the connection closes and returns its status.
func (w *wsClient) closeStatus(tb testing.TB) (websocket.StatusCode, string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	for {
		_, b, err := w.c.Read(ctx)
		if err != nil {
			ce, ok := errors.AsType[websocket.CloseError](err)
			if !ok {
				tb.Fatalf("read ended with %v, want a close frame", err)
			}
			return ce.Code, ce.Reason
		}
		tb.Logf("message before close: %s", b)
	}
}

type sseClient struct {
	res    *http.Response
	r      *bufio.Reader
	lastID string
}

func (e *testEnv) openSSE(tb testing.TB, token string, header bool) *sseClient {
	tb.Helper()
	u := e.ts.URL + "/agent/v1/stream"
	if !header {
		u += "?token=" + token
	}
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept", "text/event-stream")
	if header {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		tb.Fatalf("sse: %v", err)
	}
	tb.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		b, _ := io.ReadAll(res.Body)
		tb.Fatalf("sse: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	return &sseClient{res: res, r: bufio.NewReader(res.Body)}
}

// next reads one event. The read has no deadline of its own, so a hung
// server fails the test through the go test timeout rather than a sleep.
func (s *sseClient) next(tb testing.TB) agentapi.StreamMessage {
	tb.Helper()
	m, err := readSSE(s.r, &s.lastID)
	if err != nil {
		tb.Fatalf("sse read: %v", err)
	}
	return m
}

// readSSE parses one "id:/data:" event as the server writes it.
func readSSE(r *bufio.Reader, lastID *string) (agentapi.StreamMessage, error) {
	var m agentapi.StreamMessage
	var data string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return m, err
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if data == "" {
				continue
			}
			err := json.Unmarshal([]byte(data), &m)
			if err == nil && *lastID != strconv.FormatUint(m.Seq, 10) {
				err = io.ErrUnexpectedEOF
			}
			return m, err
		case strings.HasPrefix(line, "id: "):
			*lastID = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		}
	}
}

// wantMessage reads the next message and checks its type.
func wantMessage(tb testing.TB, c streamClient, typ string) agentapi.StreamMessage {
	tb.Helper()
	m := c.next(tb)
	if m.Type != typ {
		tb.Fatalf("message %+v, want type %s", m, typ)
	}
	return m
}

// within fails the test if f does not return in time: used where the
// point is that something must not block.
func within(tb testing.TB, what string, f func()) {
	tb.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(readTimeout):
		tb.Fatalf("%s blocked", what)
	}
}

// waitFor receives from ch or fails after readTimeout.
func waitFor[T any](tb testing.TB, ch <-chan T, what string) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(readTimeout):
		tb.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}
