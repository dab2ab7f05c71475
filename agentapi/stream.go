package agentapi

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-cc/switchboard/clock"
)

// Stream message types the API itself sends, next to the UpdateType values
// a backend produces.
const (
	MessageHello     = "hello"     // first message: session and snapshot
	MessageHeartbeat = "heartbeat" // every HeartbeatInterval
	MessageClosed    = "closed"    // last message: why the stream ends
)

// StreamMessage is one message of a stream, WebSocket text frame or SSE
// "data:" line alike. Type says which other fields are set.
type StreamMessage struct {
	Type string `json:"type"`
	// Seq numbers the stream's messages from 1 (the SSE id too), so a
	// client can tell it missed none. A new stream starts again at 1.
	Seq  uint64    `json:"seq"`
	Time time.Time `json:"time"`
	// hello
	Session  *SessionInfo   `json:"session,omitempty"`
	Snapshot *AgentSnapshot `json:"snapshot,omitempty"`
	// offer, contact, contact_removed
	Contact *AgentContact `json:"contact,omitempty"`
	// status
	Status *AgentStatus `json:"status,omitempty"`
	// notification
	Notification *Notification `json:"notification,omitempty"`
	// contact, contact_removed, status: why (optional); closed: a code
	// (closeReason) and a message saying what to do.
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
}

// closeReason says why a stream ends, on the wire and in the WebSocket
// close frame (whose reason is limited to 123 bytes, hence the short code).
type closeReason struct {
	code    string
	message string
	status  websocket.StatusCode
}

var (
	closeLoggedOut = closeReason{"logged_out", "The session was logged out.", websocket.StatusNormalClosure}
	closeExpired   = closeReason{"session_expired", "The session expired: log in again, then reconnect.", websocket.StatusNormalClosure}
	closeShutdown  = closeReason{"server_shutdown", "The server is shutting down: reconnect in a moment.", websocket.StatusGoingAway}
	closeSlow      = closeReason{"slow_consumer", "The client did not keep up with its updates: reconnect, and start again from the new snapshot.", websocket.StatusPolicyViolation}
	closeNoPong    = closeReason{"ping_timeout", "The client did not answer a ping in time: reconnect.", websocket.StatusPolicyViolation}
	closeEnded     = closeReason{"stream_ended", "The contact center ended this agent's updates: reconnect.", websocket.StatusTryAgainLater}
)

// stream is one open WebSocket or SSE connection. Updates flow
//
//	backend channel → pump goroutine → queue (bounded) → writer (handler goroutine) → client
//
// and the pump never blocks: when the queue is full the stream is closed as
// a slow consumer and the pump discards whatever else arrives, so one stuck
// client cannot hold up the runtime.
type stream struct {
	sess      *session
	queue     chan AgentUpdate
	heartbeat chan struct{} // capacity 1: beats do not pile up
	done      chan struct{} // closed by close
	stopSub   context.CancelFunc

	once   sync.Once
	reason closeReason // set before done is closed

	timerMu sync.Mutex
	timer   clock.Timer
	stopped bool
	seq     uint64 // writer goroutine only
}

// close ends the stream with reason; the first reason wins. It also ends
// the backend subscription at once, rather than when the writer notices.
func (st *stream) close(reason closeReason) {
	st.once.Do(func() {
		st.reason = reason
		close(st.done)
		st.stopSub()
	})
}

// armHeartbeat schedules the next heartbeat on the server's clock; each beat
// re-arms, until stopHeartbeat.
func (st *stream) armHeartbeat(clk clock.Clock, every time.Duration) {
	st.timerMu.Lock()
	defer st.timerMu.Unlock()
	if st.stopped {
		return
	}
	st.timer = clk.AfterFunc(every, func() {
		select {
		case st.heartbeat <- struct{}{}:
		default:
		}
		st.armHeartbeat(clk, every)
	})
}

func (st *stream) stopHeartbeat() {
	st.timerMu.Lock()
	defer st.timerMu.Unlock()
	st.stopped = true
	if st.timer != nil {
		st.timer.Stop()
	}
}

// sink is the transport under a stream.
type sink interface {
	// send writes one message; it must give up after the write timeout.
	send(ctx context.Context, seq uint64, msg []byte) error
	// beat runs after a heartbeat message: a WebSocket pings as well.
	beat(ctx context.Context, st *stream)
	// finish ends the connection after the closed message.
	finish(reason closeReason)
}

// serveStream serves GET /agent/v1/stream as a WebSocket or as SSE.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request) {
	// Browsers can set no header on a WebSocket or an EventSource, so the
	// token may come in the query; prefer the header when both are there.
	tok := cmp.Or(bearerToken(r), r.URL.Query().Get("token"))
	sess, err := s.authorize(r, tok)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	isWS := headerHas(r.Header, "Connection", "upgrade") && headerHas(r.Header, "Upgrade", "websocket")
	if !isWS && !headerHas(r.Header, "Accept", "text/event-stream") {
		s.writeError(w, r, Errorf(CodeNotAcceptable, "Open the stream as a WebSocket (Upgrade: websocket) or as Server-Sent Events (Accept: text/event-stream)."))
		return
	}

	subCtx, stopSub := context.WithCancel(r.Context())
	defer stopSub()
	st := &stream{sess: sess, queue: make(chan AgentUpdate, s.opts.StreamBuffer),
		heartbeat: make(chan struct{}, 1), done: make(chan struct{}), stopSub: stopSub}
	if err := s.addStream(st); err != nil {
		s.writeError(w, r, err)
		return
	}
	defer s.removeStream(st)

	// Subscribe before the snapshot, so nothing falls between the two;
	// an update may then repeat what the snapshot shows, which is harmless
	// because updates carry whole states.
	updates, err := s.backend.Subscribe(subCtx, sess.instanceID, sess.userID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	go st.pump(updates)
	snap, err := s.backend.Snapshot(r.Context(), sess.instanceID, sess.userID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	snap = normalize(snap)
	info := sess.info()
	hello := StreamMessage{Type: MessageHello, Session: &info, Snapshot: &snap}

	var out sink
	ctx := r.Context()
	if isWS {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: s.opts.OriginPatterns})
		if err != nil {
			return // Accept wrote the HTTP error
		}
		// The stream is one-way: actions go over HTTP. CloseRead answers
		// pings and close frames, and its context ends when the client
		// goes away.
		ctx = c.CloseRead(ctx)
		out = &wsSink{c: c, timeout: s.opts.WriteTimeout}
	} else {
		sse := &sseSink{w: w, rc: http.NewResponseController(w), timeout: s.opts.WriteTimeout}
		sse.start()
		out = sse
	}
	st.armHeartbeat(s.clk, s.opts.HeartbeatInterval)
	defer st.stopHeartbeat()
	s.run(ctx, st, out, hello)
}

// pump moves updates from the backend to the queue without ever blocking.
// It runs until the backend closes the channel, which the backend does once
// the subscription's context ends.
func (st *stream) pump(updates <-chan AgentUpdate) {
	for u := range updates {
		select {
		case <-st.done:
			continue // drain, so the backend is never stuck on us
		default:
		}
		select {
		case st.queue <- u:
		default:
			st.close(closeSlow)
		}
	}
	st.close(closeEnded)
}

// run is the writer loop, on the handler goroutine.
func (s *Server) run(ctx context.Context, st *stream, out sink, hello StreamMessage) {
	write := func(m StreamMessage) error {
		st.seq++
		m.Seq, m.Time = st.seq, s.clk.Now()
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return out.send(ctx, m.Seq, b)
	}
	if write(hello) != nil {
		out.finish(closeSlow)
		return
	}
	for {
		// A pending close wins over queued updates: a slow consumer
		// should hear why at once, not after its backlog.
		select {
		case <-st.done:
			write(StreamMessage{Type: MessageClosed, Reason: st.reason.code, Message: st.reason.message})
			out.finish(st.reason)
			return
		default:
		}
		var err error
		select {
		case <-st.done:
			continue
		case <-ctx.Done():
			return // the client left; nobody to tell
		case u := <-st.queue:
			err = write(StreamMessage{Type: string(u.Type), Contact: u.Contact, Status: u.Status, Notification: u.Notification, Reason: u.Reason})
		case <-st.heartbeat:
			// With a shared session store, a logout on another node
			// ends the session here; the next pass says so.
			if CodeOf(s.recheck(ctx, st.sess)) == CodeUnauthenticated {
				continue
			}
			if err = write(StreamMessage{Type: MessageHeartbeat}); err == nil {
				out.beat(ctx, st)
			}
		}
		if err != nil {
			// The write timed out or the connection broke: the client
			// cannot be told anything more.
			st.close(closeSlow)
			out.finish(closeSlow)
			return
		}
	}
}

// addStream registers a stream with its session, within the per-session
// limit.
func (s *Server) addStream(st *stream) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return errShuttingDown
	case s.sessions[st.sess.hash] != st.sess:
		return Errorf(CodeUnauthenticated, "The session ended: log in again.")
	case len(st.sess.streams) >= s.opts.MaxStreamsPerSession:
		return Errorf(CodeTooManyRequests, "This session already has %d open streams: close one first (one stream carries every update).", len(st.sess.streams))
	}
	st.sess.streams[st] = struct{}{}
	s.streams.Add(1)
	return nil
}

func (s *Server) removeStream(st *stream) {
	s.mu.Lock()
	delete(st.sess.streams, st)
	s.mu.Unlock()
	s.streams.Done()
}

// wsSink writes a stream to a WebSocket, one text message per message.
type wsSink struct {
	c       *websocket.Conn
	timeout time.Duration
}

func (o *wsSink) send(ctx context.Context, _ uint64, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	return o.c.Write(ctx, websocket.MessageText, msg)
}

// beat pings in the background: the writer must not wait for the pong,
// and a client that never answers is closed.
func (o *wsSink) beat(ctx context.Context, st *stream) {
	go func() {
		ctx, cancel := context.WithTimeout(ctx, o.timeout)
		defer cancel()
		if err := o.c.Ping(ctx); err != nil && ctx.Err() == context.DeadlineExceeded {
			st.close(closeNoPong)
		}
	}()
}

func (o *wsSink) finish(reason closeReason) {
	// Close waits (a few seconds at most) for the client's close frame;
	// this holds only this handler.
	o.c.Close(reason.status, reason.code)
}

// sseSink writes a stream as Server-Sent Events. Messages carry no "event:"
// field, so an EventSource delivers all of them to onmessage and the client
// switches on the JSON type, exactly as over a WebSocket.
type sseSink struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

func (o *sseSink) start() {
	h := o.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // tell nginx-style proxies not to buffer
	o.w.WriteHeader(http.StatusOK)
	o.rc.Flush()
}

func (o *sseSink) send(_ context.Context, seq uint64, msg []byte) error {
	// A per-write deadline both bounds a stuck client and lifts any
	// http.Server WriteTimeout, which would otherwise cut long streams.
	if err := o.rc.SetWriteDeadline(time.Now().Add(o.timeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	if _, err := fmt.Fprintf(o.w, "id: %d\ndata: %s\n\n", seq, msg); err != nil {
		return err
	}
	return o.rc.Flush()
}

func (o *sseSink) beat(context.Context, *stream) {}

// finish has nothing to do: returning from the handler ends the response.
func (o *sseSink) finish(closeReason) {}

// headerHas reports whether a comma-separated header contains token,
// ignoring case and parameters ("text/event-stream; q=1").
func headerHas(h http.Header, key, token string) bool {
	for _, v := range h.Values(key) {
		for part := range strings.SplitSeq(v, ",") {
			part, _, _ = strings.Cut(part, ";")
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}
