package agentapi

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
)

// Options tune the agent API. The zero value of a field selects its default.
type Options struct {
	// SessionTTL is how long a login token lives (default 12h). It is not
	// extended by use: an agent logs in once per shift.
	SessionTTL time.Duration
	// HeartbeatInterval is how often an idle stream gets a heartbeat
	// message (and, on a WebSocket, a ping); default 30s.
	HeartbeatInterval time.Duration
	// StreamBuffer is how many updates may wait for a slow stream client
	// before it is disconnected with reason "slow_consumer" (default 64).
	StreamBuffer int
	// MaxStreamsPerSession bounds concurrent streams per login (default 4:
	// a few browser tabs, not a leak).
	MaxStreamsPerSession int
	// MaxBodyBytes bounds request bodies (default 16 KiB; no request of
	// this API needs more than a few hundred bytes).
	MaxBodyBytes int64
	// LoginFailureLimit failed logins per username within
	// LoginFailureWindow (defaults 10 and 5m) make further attempts fail
	// with 429 until the window ends. It is a brake on guessing, not a
	// lockout policy.
	LoginFailureLimit  int
	LoginFailureWindow time.Duration
	// WriteTimeout bounds one write to a stream client, in real time
	// because it is about the network, not the contact center (default
	// 10s). A client that cannot take a message in that time is dropped.
	WriteTimeout time.Duration
	// OriginPatterns are extra browser origins (host patterns, as in
	// github.com/coder/websocket AcceptOptions) allowed to open the
	// WebSocket; the server's own origin always is. Tokens are never
	// cookies, so this only stops other sites' pages from holding a
	// stream open with a token they stole some other way.
	OriginPatterns []string
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// Sessions, if set, keeps logins across restarts: a token stays
	// valid until it expires or its agent logs out, whatever restarts in
	// between. Nil keeps them in memory only.
	Sessions SessionStore
}

// withDefaults fills in zero (or negative) fields.
func (o Options) withDefaults() Options {
	pos := func(d, def time.Duration) time.Duration { return cmp.Or(max(d, 0), def) }
	o.SessionTTL = pos(o.SessionTTL, 12*time.Hour)
	o.HeartbeatInterval = pos(o.HeartbeatInterval, 30*time.Second)
	o.LoginFailureWindow = pos(o.LoginFailureWindow, 5*time.Minute)
	o.WriteTimeout = pos(o.WriteTimeout, 10*time.Second)
	o.StreamBuffer = cmp.Or(max(o.StreamBuffer, 0), 64)
	o.MaxStreamsPerSession = cmp.Or(max(o.MaxStreamsPerSession, 0), 4)
	o.LoginFailureLimit = cmp.Or(max(o.LoginFailureLimit, 0), 10)
	o.MaxBodyBytes = cmp.Or(max(o.MaxBodyBytes, 0), 16<<10)
	return o
}

// Server serves the agent API under /agent/. It is an http.Handler; mount
// it next to the Connect API with mux.Handle("/agent/", srv), and call Close
// before shutting the HTTP server down (http.Server.Shutdown does not wait
// for WebSockets, which are hijacked connections).
type Server struct {
	backend Backend
	clk     clock.Clock
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux

	mu       sync.Mutex
	closed   bool
	sessions map[[32]byte]*session
	// ended holds the sessions this server ended (logout, expiry) until
	// they would have expired, so that a request that read one from the
	// store just before it was removed cannot bring it back (loadSession).
	ended    map[[32]byte]time.Time
	failures map[string]*loginFailures
	streams  sync.WaitGroup // stream handlers still running
}

var errShuttingDown = Errorf(CodeUnavailable, "The server is shutting down; retry in a moment.")

// New returns an agent API over backend. clk drives token expiry and
// heartbeats, so tests can use clock.NewVirtual.
func New(backend Backend, clk clock.Clock, opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{backend: backend, clk: clk, opts: opts, log: cmp.Or(opts.Logger, discardLogger),
		mux: http.NewServeMux(), sessions: map[[32]byte]*session{}, ended: map[[32]byte]time.Time{}, failures: map[string]*loginFailures{}}
	s.routes()
	return s
}

// endpoint is one method on one path. Handlers return what to encode so
// that this file is the only place that writes responses and errors: a
// handler cannot forget either.
type endpoint struct {
	fn func(r *http.Request, sess *session) (any, error)
	// auth requires a bearer token; when the path has an {instanceId}, the
	// token must belong to it.
	auth bool
}

// The route table. Paths are matched without methods so that a wrong method
// gets a JSON 405 instead of ServeMux's plain-text one.
func (s *Server) routes() {
	const inst = "/agent/v1/instances/{instanceId}"
	s.handle(inst+"/login", map[string]endpoint{"POST": {fn: s.login}})
	s.handle("/agent/v1/logout", map[string]endpoint{"POST": {fn: s.logout, auth: true}})
	s.handle("/agent/v1/session", map[string]endpoint{"GET": {fn: s.getSession, auth: true}})
	s.handle(inst+"/snapshot", map[string]endpoint{"GET": {fn: s.getSnapshot, auth: true}})
	s.handle(inst+"/status", map[string]endpoint{
		"GET": {fn: s.getStatus, auth: true},
		"PUT": {fn: s.putStatus, auth: true},
	})
	s.handle(inst+"/contacts/{contactId}/{action}", map[string]endpoint{"POST": {fn: s.contactAction, auth: true}})
	s.handle(inst+"/contacts/{contactId}/email", map[string]endpoint{"GET": {fn: s.getContactEmail, auth: true}})
	s.handle(inst+"/notifications", map[string]endpoint{"GET": {fn: s.getNotifications, auth: true}})
	s.handle(inst+"/notifications/{notificationId}", map[string]endpoint{"PUT": {fn: s.putNotification, auth: true}})
	s.handle(inst+"/monitoring", map[string]endpoint{"GET": {fn: s.getMonitors, auth: true}})
	s.handle(inst+"/monitoring/{contactId}/{action}", map[string]endpoint{"POST": {fn: s.monitorAction, auth: true}})
	// The stream writes its own responses after the upgrade; it only
	// shares the method check.
	s.mux.HandleFunc("/agent/v1/stream", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			s.methodNotAllowed(w, r, "GET")
			return
		}
		s.serveStream(w, r)
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, Errorf(CodeNotFound, "No such endpoint: %s %s. The agent API is documented in agentapi/README.md.", r.Method, r.URL.Path))
	})
}

func (s *Server) handle(pattern string, eps map[string]endpoint) {
	allowed := make([]string, 0, len(eps))
	for m := range eps {
		allowed = append(allowed, m)
	}
	allow := strings.Join(allowed, ", ")
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		ep, ok := eps[r.Method]
		if !ok {
			s.methodNotAllowed(w, r, allow)
			return
		}
		var sess *session
		if ep.auth {
			var err error
			if sess, err = s.authorize(r, bearerToken(r)); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
		out, err := ep.fn(r, sess)
		switch {
		case err != nil:
			s.writeError(w, r, err)
		case out == nil:
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusNoContent)
		default:
			writeJSON(w, http.StatusOK, out)
		}
	})
}

// IPChecker is implemented by backends that restrict where agents may use
// an instance from (Connect's authentication profiles). The agent API asks
// it at login and on every authenticated request, with the address of the
// connection's peer.
type IPChecker interface {
	// CheckIP returns CodeAccessDenied when the instance's agents may not
	// connect from ip.
	CheckIP(ctx context.Context, instanceID string, ip netip.Addr) error
}

// checkIP applies the backend's IPChecker, if it has one, to the request's
// peer.
func (s *Server) checkIP(r *http.Request, instanceID string) error {
	ch, ok := s.backend.(IPChecker)
	if !ok {
		return nil
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		// Not an IP peer (a test's in-memory pipe): nothing to check.
		return nil
	}
	return ch.CheckIP(r.Context(), instanceID, ap.Addr())
}

// authorize authenticates token and checks it against the path's instance
// and the instance's IP ranges.
func (s *Server) authorize(r *http.Request, token string) (*session, error) {
	sess, err := s.authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	if id := r.PathValue("instanceId"); id != "" && id != sess.instanceID {
		return nil, Errorf(CodeWrongInstance, "This token belongs to instance %s, not %s: use that instance's path or log in to this one.", sess.instanceID, id)
	}
	if err := s.checkIP(r, sess.instanceID); err != nil {
		return nil, err
	}
	return sess, nil
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	s.writeError(w, r, Errorf(CodeMethodNotAllowed, "%s is not supported on %s; use %s.", r.Method, r.URL.Path, allow))
}

// ServeHTTP serves the agent API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		s.writeError(w, r, errShuttingDown)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Close ends every session, closes every stream with reason
// "server_shutdown", and waits for the stream handlers to finish their
// goodbye (each bounded by WriteTimeout). Later requests get 503.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.streams.Wait()
		return
	}
	s.closed = true
	sessions := s.sessions
	s.sessions = map[[32]byte]*session{}
	var streams []*stream
	for _, sess := range sessions {
		sess.timer.Stop()
		for st := range sess.streams {
			streams = append(streams, st)
		}
	}
	s.mu.Unlock()
	for _, st := range streams {
		st.close(closeShutdown)
	}
	s.streams.Wait()
}
