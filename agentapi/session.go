package agentapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
)

// tokenPrefix marks agent tokens so that secret scanners and humans can tell
// them from other credentials in logs and pastes.
const tokenPrefix = "sba_"

// session is one login. Only the SHA-256 of its token is kept: a memory dump
// or a debug listing does not reveal live credentials, and since tokens are
// 256 random bits a plain hash is enough (no salt or slow KDF needed).
type session struct {
	hash       [32]byte
	instanceID string
	userID     string
	username   string
	expiresAt  time.Time
	// checkedAt is when the session was last found in the SessionStore;
	// with several nodes another one may have ended it since.
	checkedAt time.Time
	timer     clock.Timer
	streams   map[*stream]struct{}
}

// newToken returns a fresh random token and its hash.
func newToken() (string, [32]byte) {
	var raw [32]byte
	rand.Read(raw[:]) // never fails (crypto/rand panics rather than return short)
	tok := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	return tok, sha256.Sum256([]byte(tok))
}

// SessionStore keeps logins across restarts (Options.Sessions). A session
// is known by the SHA-256 of its token only, as in memory.
type SessionStore interface {
	// PutSession stores a new session durably.
	PutSession(ctx context.Context, s StoredSession) error
	// GetSession returns the session of a token hash; ok is false when
	// there is none.
	GetSession(ctx context.Context, hash [32]byte) (_ StoredSession, ok bool, _ error)
	// DeleteSession removes a session; removing one that is not there is
	// no error.
	DeleteSession(ctx context.Context, hash [32]byte) error
}

// StoredSession is what a SessionStore keeps of a login.
type StoredSession struct {
	Hash                         [32]byte
	InstanceID, UserID, Username string
	ExpiresAt                    time.Time
}

// createSession stores a session for a successful login and arms its
// expiry, which also closes the session's streams. With a SessionStore the
// session is stored before the token is handed out, so that a restart
// right after the login does not undo it.
func (s *Server) createSession(ctx context.Context, instanceID, userID, username string) (string, *session, error) {
	tok, h := newToken()
	now := s.clk.Now()
	sess := &session{hash: h, instanceID: instanceID, userID: userID, username: username,
		expiresAt: now.Add(s.opts.SessionTTL), checkedAt: now, streams: map[*stream]struct{}{}}
	if st := s.opts.Sessions; st != nil {
		if err := st.PutSession(ctx, sess.stored()); err != nil {
			return "", nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", nil, errShuttingDown
	}
	s.register(sess)
	return tok, sess, nil
}

func (sess *session) stored() StoredSession {
	return StoredSession{Hash: sess.hash, InstanceID: sess.instanceID, UserID: sess.userID, Username: sess.username, ExpiresAt: sess.expiresAt}
}

// register adds a session to the live ones and arms its expiry. s.mu is
// held.
func (s *Server) register(sess *session) {
	sess.timer = s.clk.AfterFunc(sess.expiresAt.Sub(s.clk.Now()), func() {
		s.endSession(sess, closeExpired)
	})
	s.sessions[sess.hash] = sess
}

// endSession removes a session and closes its streams with reason. It is
// idempotent: logout and expiry may race.
func (s *Server) endSession(sess *session, reason closeReason) {
	s.mu.Lock()
	if s.sessions[sess.hash] != sess {
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	// The stored copy goes first: once the session has left memory, no
	// request may find it in the store and bring it back.
	if st := s.opts.Sessions; st != nil {
		if err := st.DeleteSession(context.Background(), sess.hash); err != nil {
			s.log.Error("agent session could not be removed from the store; it ends here but would be valid again after a restart until it expires",
				"user", sess.userID, "expires", sess.expiresAt, "error", err)
		}
	}
	s.mu.Lock()
	if s.sessions[sess.hash] != sess {
		s.mu.Unlock()
		return
	}
	delete(s.sessions, sess.hash)
	if s.opts.Sessions != nil {
		now := s.clk.Now()
		for h, until := range s.ended {
			if !now.Before(until) {
				delete(s.ended, h)
			}
		}
		s.ended[sess.hash] = sess.expiresAt
	}
	streams := make([]*stream, 0, len(sess.streams))
	for st := range sess.streams {
		streams = append(streams, st)
	}
	s.mu.Unlock()
	sess.timer.Stop()
	for _, st := range streams {
		st.close(reason)
	}
}

// authenticate finds the session of a bearer token: a live one, or with a
// SessionStore one stored before a restart.
func (s *Server) authenticate(ctx context.Context, token string) (*session, error) {
	if token == "" {
		return nil, Errorf(CodeUnauthenticated, "Missing token: log in with POST /agent/v1/instances/{instanceId}/login and send the token as \"Authorization: Bearer <token>\".")
	}
	h := sha256.Sum256([]byte(token))
	s.mu.Lock()
	closed, sess := s.closed, s.sessions[h]
	s.mu.Unlock()
	if closed {
		return nil, errShuttingDown
	}
	if sess == nil {
		var err error
		if sess, err = s.loadSession(ctx, h); err != nil {
			return nil, err
		}
	}
	if sess == nil {
		return nil, Errorf(CodeUnauthenticated, "Unknown or revoked token: log in again.")
	}
	// The expiry timer normally removed it already; this covers a clock
	// that has passed the deadline but not yet run the callback.
	if !s.clk.Now().Before(sess.expiresAt) {
		return nil, Errorf(CodeUnauthenticated, "The session expired: log in again.")
	}
	if err := s.recheck(ctx, sess); err != nil {
		return nil, err
	}
	return sess, nil
}

// sessionRecheck is how long a live session is trusted without looking at
// the SessionStore again. Nodes that share a store see a logout on another
// node within this time.
const sessionRecheck = 5 * time.Second

// recheck ends a session that has left the SessionStore (another node
// ended it) since it was last checked.
func (s *Server) recheck(ctx context.Context, sess *session) error {
	st := s.opts.Sessions
	if st == nil {
		return nil
	}
	now := s.clk.Now()
	s.mu.Lock()
	due := now.Sub(sess.checkedAt) >= sessionRecheck
	s.mu.Unlock()
	if !due {
		return nil
	}
	if _, ok, err := st.GetSession(ctx, sess.hash); err != nil {
		return err
	} else if !ok {
		s.endSession(sess, closeLoggedOut)
		return Errorf(CodeUnauthenticated, "Unknown or revoked token: log in again.")
	}
	s.mu.Lock()
	sess.checkedAt = now
	s.mu.Unlock()
	return nil
}

// loadSession brings a stored session back to life (after a restart); nil
// when the store has none, or only an expired one, which it then forgets.
func (s *Server) loadSession(ctx context.Context, h [32]byte) (*session, error) {
	st := s.opts.Sessions
	if st == nil {
		return nil, nil
	}
	rec, ok, err := st.GetSession(ctx, h)
	if err != nil || !ok {
		return nil, err
	}
	if !s.clk.Now().Before(rec.ExpiresAt) {
		if err := st.DeleteSession(ctx, h); err != nil {
			s.log.Error("expired agent session could not be removed from the store", "user", rec.UserID, "error", err)
		}
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errShuttingDown
	}
	if live := s.sessions[h]; live != nil {
		return live, nil // another request loaded it meanwhile
	}
	if _, ok := s.ended[h]; ok {
		return nil, nil // ended after this request read it from the store
	}
	sess := &session{hash: h, instanceID: rec.InstanceID, userID: rec.UserID, username: rec.Username,
		expiresAt: rec.ExpiresAt, checkedAt: s.clk.Now(), streams: map[*stream]struct{}{}}
	s.register(sess)
	return sess, nil
}

// bearerToken extracts the token from "Authorization: Bearer <token>".
func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// loginFailures counts failed logins for one username in one window.
type loginFailures struct {
	count int
	until time.Time // end of the window that started with the first failure
}

// maxTrackedUsernames bounds the failure table; past it, expired windows
// are swept, so usernames an attacker invents cannot grow it forever.
const maxTrackedUsernames = 10000

func throttleKey(instanceID, username string) string {
	// Case-folded so that "Alice" and "alice" share one budget, whatever
	// the backend's own case rules.
	return instanceID + "\x00" + strings.ToLower(username)
}

// reserveLogin counts an attempt as a failure before it is made, so that a
// burst of parallel attempts cannot exceed the limit; releaseLogin undoes it
// on success or on a failure that was not about credentials.
func (s *Server) reserveLogin(key string) error {
	now := s.clk.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.failures[key]
	if f != nil && !now.Before(f.until) {
		f = nil
	}
	if f == nil {
		if len(s.failures) >= maxTrackedUsernames {
			for k, v := range s.failures {
				if !now.Before(v.until) {
					delete(s.failures, k)
				}
			}
		}
		f = &loginFailures{until: now.Add(s.opts.LoginFailureWindow)}
		s.failures[key] = f
	}
	if f.count >= s.opts.LoginFailureLimit {
		wait := int(math.Ceil(f.until.Sub(now).Seconds()))
		return &Error{Code: CodeTooManyRequests, RetryAfter: wait,
			Message: "Too many failed logins for this username: wait " + strconv.Itoa(wait) + " seconds (Retry-After) and try again, or ask an administrator to reset the password."}
	}
	f.count++
	return nil
}

// releaseLogin settles a reserved attempt: success clears the username's
// record, any other outcome that was not a credential failure gives the
// attempt back.
func (s *Server) releaseLogin(key string, success bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if success {
		delete(s.failures, key)
		return
	}
	if f := s.failures[key]; f != nil && f.count > 0 {
		f.count--
	}
}
