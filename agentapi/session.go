package agentapi

import (
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
	timer      clock.Timer
	streams    map[*stream]struct{}
}

// newToken returns a fresh random token and its hash.
func newToken() (string, [32]byte) {
	var raw [32]byte
	rand.Read(raw[:]) // never fails (crypto/rand panics rather than return short)
	tok := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	return tok, sha256.Sum256([]byte(tok))
}

// createSession stores a session for a successful login and arms its
// expiry, which also closes the session's streams.
func (s *Server) createSession(instanceID, userID, username string) (string, *session, error) {
	tok, h := newToken()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", nil, errShuttingDown
	}
	sess := &session{hash: h, instanceID: instanceID, userID: userID, username: username,
		expiresAt: s.clk.Now().Add(s.opts.SessionTTL), streams: map[*stream]struct{}{}}
	sess.timer = s.clk.AfterFunc(s.opts.SessionTTL, func() {
		s.endSession(sess, closeExpired)
	})
	s.sessions[h] = sess
	return tok, sess, nil
}

// endSession removes a session and closes its streams with reason. It is
// idempotent: logout and expiry may race.
func (s *Server) endSession(sess *session, reason closeReason) {
	s.mu.Lock()
	if s.sessions[sess.hash] != sess {
		s.mu.Unlock()
		return
	}
	delete(s.sessions, sess.hash)
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

// authenticate finds the session of a bearer token.
func (s *Server) authenticate(token string) (*session, error) {
	if token == "" {
		return nil, Errorf(CodeUnauthenticated, "Missing token: log in with POST /agent/v1/instances/{instanceId}/login and send the token as \"Authorization: Bearer <token>\".")
	}
	h := sha256.Sum256([]byte(token))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errShuttingDown
	}
	sess := s.sessions[h]
	if sess == nil {
		return nil, Errorf(CodeUnauthenticated, "Unknown or revoked token: log in again.")
	}
	// The expiry timer normally removed it already; this covers a clock
	// that has passed the deadline but not yet run the callback.
	if !s.clk.Now().Before(sess.expiresAt) {
		return nil, Errorf(CodeUnauthenticated, "The session expired: log in again.")
	}
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
