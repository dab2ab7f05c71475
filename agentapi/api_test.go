package agentapi_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/agentapi"
)

const (
	loginPath = "/agent/v1/instances/inst-1/login"
	inst1     = "/agent/v1/instances/inst-1"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		e := mustOpenEnv(t, agentapi.Options{})
		r := e.do(t, "POST", loginPath, "", `{"username":"alice","password":"correct horse"}`)
		wantStatus(t, r, 200)
		var lr agentapi.LoginResponse
		r.decode(t, &lr)
		if !strings.HasPrefix(lr.Token, "sba_") || len(lr.Token) != len("sba_")+43 {
			t.Fatalf("token %q: want sba_ and 43 base64url characters (32 bytes)", lr.Token)
		}
		want := agentapi.LoginResponse{Token: lr.Token, TokenType: "Bearer", ExpiresAt: epoch.Add(12 * time.Hour),
			InstanceID: "inst-1", UserID: "user-alice", Username: "alice"}
		if lr != want {
			t.Fatalf("got %+v, want %+v", lr, want)
		}
		r = e.do(t, "GET", "/agent/v1/session", lr.Token, nil)
		wantStatus(t, r, 200)
		var si agentapi.SessionInfo
		r.decode(t, &si)
		if si != (agentapi.SessionInfo{InstanceID: "inst-1", UserID: "user-alice", Username: "alice", ExpiresAt: want.ExpiresAt}) {
			t.Fatalf("session %+v", si)
		}
		if e.mustLogin(t, "inst-1", "alice", "correct horse") == lr.Token {
			t.Fatal("two logins got the same token")
		}
	})
	cases := []struct {
		name   string
		path   string
		body   string
		status int
		code   agentapi.Code
	}{
		{"ErrWrongPassword", loginPath, `{"username":"alice","password":"nope"}`, 401, agentapi.CodeInvalidCredentials},
		{"ErrUnknownUser", loginPath, `{"username":"mallory","password":"x"}`, 401, agentapi.CodeInvalidCredentials},
		{"ErrOtherInstance", "/agent/v1/instances/inst-2/login", `{"username":"alice","password":"correct horse"}`, 401, agentapi.CodeInvalidCredentials},
		{"ErrEmptyBody", loginPath, ``, 400, agentapi.CodeInvalidRequest},
		{"ErrBadJSON", loginPath, `{"username":`, 400, agentapi.CodeInvalidRequest},
		{"ErrNotObject", loginPath, `["alice"]`, 400, agentapi.CodeInvalidRequest},
		{"ErrWrongType", loginPath, `{"username":7,"password":"x"}`, 400, agentapi.CodeInvalidRequest},
		{"ErrUnknownField", loginPath, `{"user":"alice","password":"x"}`, 400, agentapi.CodeInvalidRequest},
		{"ErrTrailingData", loginPath, `{"username":"alice","password":"x"} {}`, 400, agentapi.CodeInvalidRequest},
		{"ErrMissingUsername", loginPath, `{"password":"x"}`, 400, agentapi.CodeInvalidRequest},
		{"ErrMissingPassword", loginPath, `{"username":"alice"}`, 400, agentapi.CodeInvalidRequest},
		{"ErrControlCharacter", loginPath, `{"username":"al\u0000ice","password":"x"}`, 400, agentapi.CodeInvalidRequest},
		{"ErrLongUsername", loginPath, `{"username":"` + strings.Repeat("a", 101) + `","password":"x"}`, 400, agentapi.CodeInvalidRequest},
		{"ErrTooLarge", loginPath, `{"username":"alice","password":"` + strings.Repeat("x", 20000) + `"}`, 413, agentapi.CodeRequestTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := mustOpenEnv(t, agentapi.Options{})
			wantError(t, e.do(t, "POST", tc.path, "", tc.body), tc.status, tc.code)
		})
	}
	t.Run("ErrMethod", func(t *testing.T) {
		t.Parallel()
		e := mustOpenEnv(t, agentapi.Options{})
		r := e.do(t, "GET", loginPath, "", nil)
		wantError(t, r, 405, agentapi.CodeMethodNotAllowed)
		if r.header.Get("Allow") != "POST" {
			t.Fatalf("Allow %q", r.header.Get("Allow"))
		}
	})
	t.Run("ErrBackend", func(t *testing.T) {
		t.Parallel()
		e := mustOpenEnv(t, agentapi.Options{LoginFailureLimit: 1})
		e.be.setFail(errBoom)
		r := e.do(t, "POST", loginPath, "", `{"username":"alice","password":"correct horse"}`)
		wantError(t, r, 500, agentapi.CodeInternal)
		if strings.Contains(string(r.body), "fire") {
			t.Fatalf("internal error leaked: %s", r.body)
		}
		// A backend failure does not count against the username.
		e.mustLogin(t, "inst-1", "alice", "correct horse")
	})
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	e := mustOpenEnv(t, agentapi.Options{LoginFailureLimit: 3, LoginFailureWindow: time.Minute})
	bad := `{"username":"alice","password":"guess"}`
	for range 3 {
		wantError(t, e.do(t, "POST", loginPath, "", bad), 401, agentapi.CodeInvalidCredentials)
	}
	e.clk.Advance(20 * time.Second)
	r := e.do(t, "POST", loginPath, "", `{"username":"alice","password":"correct horse"}`)
	wantError(t, r, 429, agentapi.CodeTooManyRequests)
	if r.header.Get("Retry-After") != "40" {
		t.Fatalf("Retry-After %q, want 40", r.header.Get("Retry-After"))
	}
	// Case does not buy a fresh budget; other users and instances keep theirs.
	wantError(t, e.do(t, "POST", loginPath, "", `{"username":"ALICE","password":"x"}`), 429, agentapi.CodeTooManyRequests)
	e.mustLogin(t, "inst-1", "bob", "battery staple")
	e.mustLogin(t, "inst-2", "carol", "pw")

	e.clk.Advance(40 * time.Second)
	e.mustLogin(t, "inst-1", "alice", "correct horse")
	// Success resets the count.
	for range 2 {
		wantError(t, e.do(t, "POST", loginPath, "", bad), 401, agentapi.CodeInvalidCredentials)
	}
	e.mustLogin(t, "inst-1", "alice", "correct horse")
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	e := mustOpenEnv(t, agentapi.Options{SessionTTL: time.Hour})
	tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
	e.clk.Advance(time.Hour - time.Second)
	wantStatus(t, e.do(t, "GET", inst1+"/snapshot", tok, nil), 200)
	e.clk.Advance(time.Second)
	wantError(t, e.do(t, "GET", inst1+"/snapshot", tok, nil), 401, agentapi.CodeUnauthenticated)
	wantError(t, e.do(t, "POST", "/agent/v1/logout", tok, nil), 401, agentapi.CodeUnauthenticated)
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	e := mustOpenEnv(t, agentapi.Options{})
	tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
	wantError(t, e.do(t, "GET", inst1+"/snapshot", "", nil), 401, agentapi.CodeUnauthenticated)
	wantError(t, e.do(t, "GET", inst1+"/snapshot", "sba_forged", nil), 401, agentapi.CodeUnauthenticated)
	wantError(t, e.do(t, "GET", "/agent/v1/instances/inst-2/snapshot", tok, nil), 403, agentapi.CodeWrongInstance)
	wantError(t, e.do(t, "POST", "/agent/v1/instances/inst-2/contacts/c1/accept", tok, nil), 403, agentapi.CodeWrongInstance)
	// The query token is for streams only.
	wantError(t, e.do(t, "GET", inst1+"/snapshot?token="+tok, "", nil), 401, agentapi.CodeUnauthenticated)

	wantStatus(t, e.do(t, "POST", "/agent/v1/logout", tok, nil), 204)
	wantError(t, e.do(t, "GET", inst1+"/snapshot", tok, nil), 401, agentapi.CodeUnauthenticated)
	wantError(t, e.do(t, "GET", "/agent/v1/nothing", tok, nil), 404, agentapi.CodeNotFound)
}

func TestStatus(t *testing.T) {
	t.Parallel()
	e := mustOpenEnv(t, agentapi.Options{})
	tok := e.mustLogin(t, "inst-1", "alice", "correct horse")

	var got struct{ Status agentapi.AgentStatus }
	e.do(t, "GET", inst1+"/status", tok, nil).decode(t, &got)
	if got.Status != offline {
		t.Fatalf("initial status %+v", got.Status)
	}
	e.clk.Advance(time.Minute)
	wantStatus(t, e.do(t, "PUT", inst1+"/status", tok, `{"statusId":"st-available"}`), 204)
	var snap agentapi.AgentSnapshot
	e.do(t, "GET", inst1+"/snapshot", tok, nil).decode(t, &snap)
	want := available
	want.Since = epoch.Add(time.Minute)
	if snap.Status != want || len(snap.Statuses) != 3 || snap.Contacts == nil || snap.UserID != "user-alice" {
		t.Fatalf("snapshot %+v", snap)
	}

	wantError(t, e.do(t, "PUT", inst1+"/status", tok, `{"statusId":"st-nope"}`), 404, agentapi.CodeStatusNotFound)
	wantError(t, e.do(t, "PUT", inst1+"/status", tok, `{"statusId":""}`), 400, agentapi.CodeInvalidRequest)
	wantError(t, e.do(t, "PUT", inst1+"/status", tok, `{"statusName":"Available"}`), 400, agentapi.CodeInvalidRequest)
	wantError(t, e.do(t, "PUT", inst1+"/status", tok, `nope`), 400, agentapi.CodeInvalidRequest)
	wantError(t, e.do(t, "DELETE", inst1+"/status", tok, nil), 405, agentapi.CodeMethodNotAllowed)
	e.be.setFail(errBoom)
	wantError(t, e.do(t, "GET", inst1+"/snapshot", tok, nil), 500, agentapi.CodeInternal)
	e.be.setFail(agentapi.Errorf(agentapi.CodeUnavailable, "Runtime restarting."))
	wantError(t, e.do(t, "GET", inst1+"/status", tok, nil), 503, agentapi.CodeUnavailable)
	e.be.setFail(agentapi.Errorf("made_up", "A code the API does not know."))
	wantError(t, e.do(t, "GET", inst1+"/status", tok, nil), 500, agentapi.CodeInternal)
}

func TestContactActions(t *testing.T) {
	t.Parallel()
	contact := func(id, action string) string { return inst1 + "/contacts/" + id + "/" + action }
	t.Run("AcceptEndComplete", func(t *testing.T) {
		t.Parallel()
		e := mustOpenEnv(t, agentapi.Options{})
		tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
		e.be.offer("user-alice", "c1")
		wantError(t, e.do(t, "POST", contact("c1", "end"), tok, nil), 409, agentapi.CodeInvalidState)
		wantError(t, e.do(t, "POST", contact("c1", "complete"), tok, nil), 409, agentapi.CodeInvalidState)
		wantStatus(t, e.do(t, "POST", contact("c1", "accept"), tok, nil), 204)
		wantError(t, e.do(t, "POST", contact("c1", "accept"), tok, nil), 409, agentapi.CodeInvalidState)
		wantError(t, e.do(t, "POST", contact("c1", "reject"), tok, nil), 409, agentapi.CodeInvalidState)
		wantStatus(t, e.do(t, "POST", contact("c1", "end"), tok, nil), 204)

		var snap agentapi.AgentSnapshot
		e.do(t, "GET", inst1+"/snapshot", tok, nil).decode(t, &snap)
		if len(snap.Contacts) != 1 || snap.Contacts[0].State != agentapi.StateEnded {
			t.Fatalf("after end: %+v", snap.Contacts)
		}
		wantStatus(t, e.do(t, "POST", contact("c1", "complete"), tok, nil), 204)
		wantError(t, e.do(t, "POST", contact("c1", "complete"), tok, nil), 404, agentapi.CodeContactNotFound)
	})
	t.Run("Reject", func(t *testing.T) {
		t.Parallel()
		e := mustOpenEnv(t, agentapi.Options{})
		tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
		e.be.offer("user-alice", "c2")
		wantStatus(t, e.do(t, "POST", contact("c2", "reject"), tok, nil), 204)
		wantError(t, e.do(t, "POST", contact("c2", "accept"), tok, nil), 409, agentapi.CodeInvalidState)
		wantStatus(t, e.do(t, "POST", contact("c2", "complete"), tok, nil), 204)
		wantError(t, e.do(t, "POST", contact("c2", "accept"), tok, nil), 404, agentapi.CodeContactNotFound)
	})
	t.Run("Errors", func(t *testing.T) {
		t.Parallel()
		e := mustOpenEnv(t, agentapi.Options{})
		tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
		// Another agent's contact is not found for this one.
		e.be.offer("user-bob", "c3")
		wantError(t, e.do(t, "POST", contact("c3", "accept"), tok, nil), 404, agentapi.CodeContactNotFound)
		wantError(t, e.do(t, "POST", contact("c3", "transfer"), tok, nil), 404, agentapi.CodeNotFound)
		wantError(t, e.do(t, "GET", contact("c3", "accept"), tok, nil), 405, agentapi.CodeMethodNotAllowed)
		wantError(t, e.do(t, "POST", contact(strings.Repeat("c", 300), "accept"), tok, nil), 400, agentapi.CodeInvalidRequest)
		wantError(t, e.do(t, "POST", contact("c%01", "accept"), tok, nil), 400, agentapi.CodeInvalidRequest)
		wantError(t, e.do(t, "POST", contact("c3", "accept"), tok, strings.Repeat("x", 20000)), 413, agentapi.CodeRequestTooLarge)
		e.be.setFail(errBoom)
		wantError(t, e.do(t, "POST", contact("c3", "accept"), tok, nil), 500, agentapi.CodeInternal)
	})
	t.Run("EmailWithoutReader", func(t *testing.T) {
		t.Parallel()
		// The fake backend shows no emails: the endpoint says so. The
		// runtime's reader is tested in package center.
		e := mustOpenEnv(t, agentapi.Options{})
		tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
		e.be.offer("user-alice", "c4")
		wantError(t, e.do(t, "GET", contact("c4", "email"), tok, nil), 404, agentapi.CodeNotFound)
		wantError(t, e.do(t, "POST", contact("c4", "email"), tok, nil), 405, agentapi.CodeMethodNotAllowed)
		wantError(t, e.do(t, "GET", contact(strings.Repeat("c", 300), "email"), tok, nil), 400, agentapi.CodeInvalidRequest)
		wantError(t, e.do(t, "GET", "/agent/v1/instances/inst-2/contacts/c4/email", tok, nil), 403, agentapi.CodeWrongInstance)
	})
}

// memSessions is a SessionStore in a map, standing for the server's store.
type memSessions struct {
	mu sync.Mutex
	m  map[[32]byte]agentapi.StoredSession
}

func (m *memSessions) PutSession(_ context.Context, s agentapi.StoredSession) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[s.Hash] = s
	return nil
}

func (m *memSessions) GetSession(_ context.Context, h [32]byte) (agentapi.StoredSession, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.m[h]
	return s, ok, nil
}

func (m *memSessions) DeleteSession(_ context.Context, h [32]byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, h)
	return nil
}

func (m *memSessions) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

// With a SessionStore a login outlives the server that made it, until it
// expires or its agent logs out.
func TestSessionsSurviveRestart(t *testing.T) {
	t.Parallel()
	store := &memSessions{m: map[[32]byte]agentapi.StoredSession{}}
	opts := agentapi.Options{Sessions: store, SessionTTL: time.Hour}
	e := mustOpenEnv(t, opts)
	tok := e.mustLogin(t, "inst-1", "alice", "correct horse")
	expiring := e.mustLogin(t, "inst-1", "alice", "correct horse")
	e.clk.Advance(30 * time.Minute)
	e.srv.Close() // a shutdown keeps the stored sessions
	if n := store.len(); n != 2 {
		t.Fatalf("stored sessions after shutdown: %d, want 2", n)
	}

	// The restarted server: a new clock at the old one's time.
	e2 := mustOpenEnv(t, opts)
	e2.clk.Set(e.clk.Now())
	r := e2.do(t, "GET", "/agent/v1/session", tok, nil)
	wantStatus(t, r, 200)
	var info agentapi.SessionInfo
	r.decode(t, &info)
	if info.Username != "alice" || !info.ExpiresAt.Equal(epoch.Add(time.Hour)) {
		t.Errorf("session after restart: %+v", info)
	}
	wantError(t, e2.do(t, "GET", "/agent/v1/instances/inst-2/snapshot", tok, nil), 403, agentapi.CodeWrongInstance)

	wantStatus(t, e2.do(t, "POST", "/agent/v1/logout", tok, nil), 204)
	wantError(t, e2.do(t, "GET", "/agent/v1/session", tok, nil), 401, agentapi.CodeUnauthenticated)

	// The other login expires on the new server's clock, as it would have
	// on the old one's, and leaves the store.
	wantStatus(t, e2.do(t, "GET", "/agent/v1/session", expiring, nil), 200)
	e2.clk.Advance(30 * time.Minute)
	wantError(t, e2.do(t, "GET", "/agent/v1/session", expiring, nil), 401, agentapi.CodeUnauthenticated)
	if n := store.len(); n != 0 {
		t.Errorf("stored sessions after logout and expiry: %d, want 0", n)
	}
	wantError(t, e2.do(t, "GET", "/agent/v1/session", "sba_never-issued", nil), 401, agentapi.CodeUnauthenticated)
}

// Nodes sharing a SessionStore: a login made on one works on the other, and
// a logout on one reaches the other within the recheck interval (5 s).
func TestSessionsAcrossNodes(t *testing.T) {
	t.Parallel()
	a, b := twoNodes(t)
	tok := a.mustLogin(t, "inst-1", "alice", "correct horse")
	wantStatus(t, b.do(t, "GET", "/agent/v1/session", tok, nil), 200)
	wantStatus(t, a.do(t, "POST", "/agent/v1/logout", tok, nil), 204)
	b.clk.Advance(4 * time.Second)
	wantStatus(t, b.do(t, "GET", "/agent/v1/session", tok, nil), 200)
	b.clk.Advance(time.Second)
	wantError(t, b.do(t, "GET", "/agent/v1/session", tok, nil), 401, agentapi.CodeUnauthenticated)
	wantError(t, b.do(t, "GET", "/agent/v1/session", tok, nil), 401, agentapi.CodeUnauthenticated)
}

// twoNodes opens two servers that share a session store, as two nodes on
// one database do.
func twoNodes(t *testing.T) (a, b *testEnv) {
	t.Helper()
	store := &memSessions{m: map[[32]byte]agentapi.StoredSession{}}
	return mustOpenEnv(t, agentapi.Options{Sessions: store}), mustOpenEnv(t, agentapi.Options{Sessions: store})
}
