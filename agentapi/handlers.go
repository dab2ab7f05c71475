package agentapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Field limits. They are generous bounds against abuse, not Connect's
// validation, which is the backend's.
const (
	maxUsername = 100 // Connect's Username maximum
	maxPassword = 256
	maxID       = 256 // ids and ARNs
)

// loginRequest is the body of POST .../login.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// LoginResponse is what a successful login returns.
type LoginResponse struct {
	Token      string    `json:"token"`
	TokenType  string    `json:"tokenType"` // always "Bearer"
	ExpiresAt  time.Time `json:"expiresAt"`
	InstanceID string    `json:"instanceId"`
	UserID     string    `json:"userId"`
	Username   string    `json:"username"`
}

// SessionInfo describes the session of a token (GET /agent/v1/session, and
// the hello message of a stream).
type SessionInfo struct {
	InstanceID string    `json:"instanceId"`
	UserID     string    `json:"userId"`
	Username   string    `json:"username"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

// statusRequest is the body of PUT .../status.
type statusRequest struct {
	StatusID string `json:"statusId"`
}

// statusResponse is GET .../status: the current status alone, for clients
// that do not need the whole snapshot.
type statusResponse struct {
	Status AgentStatus `json:"status"`
}

func (s *Server) login(r *http.Request, _ *session) (any, error) {
	instanceID, err := pathID(r, "instanceId")
	if err != nil {
		return nil, err
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	req, err := decodeLogin(body)
	if err != nil {
		return nil, err
	}
	// Before the password: a blocked address learns nothing about it.
	if err := s.checkIP(r, instanceID); err != nil {
		return nil, err
	}
	key := throttleKey(instanceID, req.Username)
	if err := s.reserveLogin(key); err != nil {
		return nil, err
	}
	userID, err := s.backend.Authenticate(r.Context(), instanceID, req.Username, req.Password)
	if err != nil {
		// Only a refused credential keeps its reservation; a backend outage
		// must not lock agents out.
		if CodeOf(err) == CodeInvalidCredentials {
			return nil, Errorf(CodeInvalidCredentials, "Wrong username or password for this instance: check both (the username is the Connect user's, not an email) and try again.")
		}
		s.releaseLogin(key, false)
		return nil, err
	}
	s.releaseLogin(key, true)
	tok, sess, err := s.createSession(r.Context(), instanceID, userID, req.Username)
	if err != nil {
		return nil, err
	}
	return LoginResponse{Token: tok, TokenType: "Bearer", ExpiresAt: sess.expiresAt,
		InstanceID: instanceID, UserID: userID, Username: req.Username}, nil
}

// logout revokes the token and closes its streams. It does not change the
// agent's status: §3.5 has statuses change only by the agent or a
// supervisor, so a client sets Offline first if that is what it wants.
func (s *Server) logout(_ *http.Request, sess *session) (any, error) {
	s.endSession(sess, closeLoggedOut)
	return nil, nil
}

func (s *Server) getSession(_ *http.Request, sess *session) (any, error) {
	return sess.info(), nil
}

func (sess *session) info() SessionInfo {
	return SessionInfo{InstanceID: sess.instanceID, UserID: sess.userID, Username: sess.username, ExpiresAt: sess.expiresAt}
}

func (s *Server) getSnapshot(r *http.Request, sess *session) (any, error) {
	snap, err := s.backend.Snapshot(r.Context(), sess.instanceID, sess.userID)
	if err != nil {
		return nil, err
	}
	return normalize(snap), nil
}

// normalize makes empty lists [] rather than null, so clients need not
// check for both.
func normalize(snap AgentSnapshot) AgentSnapshot {
	if snap.Statuses == nil {
		snap.Statuses = []AgentStatus{}
	}
	if snap.Contacts == nil {
		snap.Contacts = []AgentContact{}
	}
	if snap.Slots == nil {
		snap.Slots = []ChannelSlots{}
	}
	return snap
}

func (s *Server) getStatus(r *http.Request, sess *session) (any, error) {
	snap, err := s.backend.Snapshot(r.Context(), sess.instanceID, sess.userID)
	if err != nil {
		return nil, err
	}
	return statusResponse{Status: snap.Status}, nil
}

func (s *Server) putStatus(r *http.Request, sess *session) (any, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	req, err := decodeStatus(body)
	if err != nil {
		return nil, err
	}
	return nil, s.backend.SetStatus(r.Context(), sess.instanceID, sess.userID, req.StatusID)
}

// ChatJoiner is implemented by backends that let a user join a chat in
// progress as a supervisor (Backend implementations need not).
type ChatJoiner interface {
	// JoinChat adds userID to the chat contactID as a supervisor and
	// returns the participant ID and token to connect with through the
	// participant service.
	JoinChat(ctx context.Context, instanceID, contactID, userID string) (participantID, participantToken string, err error)
}

// Transferer is implemented by backends that let an agent transfer a
// contact they are connected to through a quick connect (Backend
// implementations need not).
type Transferer interface {
	// Transfer hands contactID to the quick connect's destination: the
	// agent's side ends and goes to after-contact work, and the contact
	// goes on, with its customer, in a new contact that runs the quick
	// connect's flow. Returns CodeInvalidState when the agent is not
	// connected to the contact, CodeNotFound for an unknown quick connect.
	Transfer(ctx context.Context, instanceID, userID, contactID, quickConnectID string) error
}

// EmailReader is implemented by backends that show agents the email of an
// email contact (Backend implementations need not).
type EmailReader interface {
	// ContactEmail returns the message of contactID. Returns
	// CodeContactNotFound when the agent does not hold the contact, and
	// CodeInvalidState when it is not an email the agent has accepted (it
	// may be in after-contact work on it).
	ContactEmail(ctx context.Context, instanceID, userID, contactID string) (ContactEmail, error)
}

// getContactEmail serves GET .../contacts/{contactId}/email.
func (s *Server) getContactEmail(r *http.Request, sess *session) (any, error) {
	contactID, err := pathID(r, "contactId")
	if err != nil {
		return nil, err
	}
	er, ok := s.backend.(EmailReader)
	if !ok {
		return nil, Errorf(CodeNotFound, "This server does not show emails through the agent API.")
	}
	e, err := er.ContactEmail(r.Context(), sess.instanceID, sess.userID, contactID)
	if err != nil {
		return nil, err
	}
	// Lists and maps are never null, as in the snapshot.
	if e.To == nil {
		e.To = []EmailAddress{}
	}
	if e.Cc == nil {
		e.Cc = []EmailAddress{}
	}
	if e.Headers == nil {
		e.Headers = map[string]string{}
	}
	if e.Attachments == nil {
		e.Attachments = []EmailAttachment{}
	}
	return e, nil
}

// transferRequest is the body of POST .../contacts/{contactId}/transfer.
type transferRequest struct {
	QuickConnectID string `json:"quickConnectId"`
}

// decodeTransfer parses and validates a transfer body; pure, so fuzzed.
func decodeTransfer(body []byte) (transferRequest, error) {
	var req transferRequest
	if err := decodeStrict(body, &req, `{"quickConnectId": "..."}`); err != nil {
		return req, err
	}
	if err := checkText("quickConnectId", req.QuickConnectID, maxID); err != nil {
		return req, err
	}
	return req, nil
}

// JoinedChat answers a join: how to connect to the chat.
type JoinedChat struct {
	ParticipantID    string `json:"participantId"`
	ParticipantToken string `json:"participantToken"`
}

// Pauser is implemented by backends that let an agent pause a task they
// are connected to, freeing its slot, and resume it (Backend
// implementations need not).
type Pauser interface {
	// Pause pauses a CONNECTED task of the agent's; Resume returns a
	// PAUSED one to CONNECTED. Both return CodeInvalidState for a contact
	// in another state, CodeInvalidRequest for one that is not a task.
	Pause(ctx context.Context, instanceID, userID, contactID string) error
	Resume(ctx context.Context, instanceID, userID, contactID string) error
}

// contactAction serves POST .../contacts/{contactId}/{accept|reject|end|complete|join|transfer|pause|resume}.
// The bodies are empty but for transfer's; anything sent is ignored beyond
// the size limit.
func (s *Server) contactAction(r *http.Request, sess *session) (any, error) {
	contactID, err := pathID(r, "contactId")
	if err != nil {
		return nil, err
	}
	var act func(b Backend) error
	ctx, inst, user := r.Context(), sess.instanceID, sess.userID
	if r.PathValue("action") == "join" {
		j, ok := s.backend.(ChatJoiner)
		if !ok {
			return nil, Errorf(CodeNotFound, "This server does not let users join chats.")
		}
		if _, err := readBody(r); err != nil {
			return nil, err
		}
		id, token, err := j.JoinChat(ctx, inst, contactID, user)
		if err != nil {
			return nil, err
		}
		return JoinedChat{ParticipantID: id, ParticipantToken: token}, nil
	}
	if r.PathValue("action") == "transfer" {
		tr, ok := s.backend.(Transferer)
		if !ok {
			return nil, Errorf(CodeNotFound, "This server does not transfer contacts through the agent API.")
		}
		body, err := readBody(r)
		if err != nil {
			return nil, err
		}
		req, err := decodeTransfer(body)
		if err != nil {
			return nil, err
		}
		return nil, tr.Transfer(ctx, inst, user, contactID, req.QuickConnectID)
	}
	pauser, canPause := s.backend.(Pauser)
	switch r.PathValue("action") {
	case "pause", "resume":
		if !canPause {
			return nil, Errorf(CodeNotFound, "This server does not pause tasks through the agent API.")
		}
		if r.PathValue("action") == "pause" {
			act = func(Backend) error { return pauser.Pause(ctx, inst, user, contactID) }
		} else {
			act = func(Backend) error { return pauser.Resume(ctx, inst, user, contactID) }
		}
	case "accept":
		act = func(b Backend) error { return b.Accept(ctx, inst, user, contactID) }
	case "reject":
		act = func(b Backend) error { return b.Reject(ctx, inst, user, contactID) }
	case "end":
		act = func(b Backend) error { return b.EndContact(ctx, inst, user, contactID) }
	case "complete":
		act = func(b Backend) error { return b.CompleteContact(ctx, inst, user, contactID) }
	default:
		return nil, Errorf(CodeNotFound, "Unknown contact action %q: use accept, reject, end, complete, join, transfer, pause or resume.", r.PathValue("action"))
	}
	if _, err := readBody(r); err != nil {
		return nil, err
	}
	return nil, act(s.backend)
}

// pathID validates an id taken from the path.
func pathID(r *http.Request, name string) (string, error) {
	v := r.PathValue(name)
	if err := checkText(name, v, maxID); err != nil {
		return "", err
	}
	return v, nil
}

// readBody reads a body bounded by the MaxBytesReader the router installed.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, Errorf(CodeRequestTooLarge, "The request body is too large: this API's bodies are a few hundred bytes.")
		}
		return nil, Errorf(CodeInvalidRequest, "Could not read the request body: %v.", err)
	}
	return b, nil
}

// decodeLogin parses and validates a login body. It is pure so that it
// can be fuzzed: every failure is an *Error with CodeInvalidRequest.
func decodeLogin(body []byte) (loginRequest, error) {
	var req loginRequest
	if err := decodeStrict(body, &req, `{"username": "...", "password": "..."}`); err != nil {
		return req, err
	}
	if err := checkText("username", req.Username, maxUsername); err != nil {
		return req, err
	}
	// Passwords may contain anything printable, spaces included; only
	// their presence and length are ours to check.
	if req.Password == "" {
		return req, Errorf(CodeInvalidRequest, "Missing field \"password\".")
	}
	if len(req.Password) > maxPassword {
		return req, Errorf(CodeInvalidRequest, "Field \"password\" is longer than %d bytes.", maxPassword)
	}
	return req, nil
}

// decodeStatus parses and validates a status body.
func decodeStatus(body []byte) (statusRequest, error) {
	var req statusRequest
	if err := decodeStrict(body, &req, `{"statusId": "..."}`); err != nil {
		return req, err
	}
	if err := checkText("statusId", req.StatusID, maxID); err != nil {
		return req, err
	}
	return req, nil
}

// decodeStrict decodes exactly one JSON object into dst, refusing unknown
// fields (a typo should fail loudly, not be ignored) and trailing data.
// shape is shown in messages so that the client knows what to send.
func decodeStrict(body []byte, dst any, shape string) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return Errorf(CodeInvalidRequest, "The request body is empty: send %s.", shape)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err, shape)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errorf(CodeInvalidRequest, "Unexpected data after the JSON object: send only %s.", shape)
	}
	return nil
}

// jsonError turns a decoding error into a message that says what to fix.
func jsonError(err error, shape string) error {
	if e, ok := errors.AsType[*json.SyntaxError](err); ok {
		return Errorf(CodeInvalidRequest, "The request body is not valid JSON (at byte %d): send %s.", e.Offset, shape)
	}
	if e, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if e.Field == "" {
			return Errorf(CodeInvalidRequest, "The request body must be a JSON object: send %s.", shape)
		}
		return Errorf(CodeInvalidRequest, "Field %q must be a %s, not a JSON %s.", e.Field, e.Type.Kind(), e.Value)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return Errorf(CodeInvalidRequest, "Unknown field %s: send %s.", name, shape)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return Errorf(CodeInvalidRequest, "The request body is truncated JSON: send %s.", shape)
	}
	return Errorf(CodeInvalidRequest, "The request body could not be decoded (%v): send %s.", err, shape)
}

// checkText requires a non-empty, bounded, valid UTF-8 value without
// control characters, which have no place in names and ids and would
// corrupt logs.
func checkText(field, v string, maxLen int) error {
	switch {
	case v == "":
		return Errorf(CodeInvalidRequest, "Missing field %q.", field)
	case len(v) > maxLen:
		return Errorf(CodeInvalidRequest, "Field %q is longer than %d bytes.", field, maxLen)
	case !utf8.ValidString(v):
		return Errorf(CodeInvalidRequest, "Field %q is not valid UTF-8.", field)
	case strings.ContainsFunc(v, unicode.IsControl):
		return Errorf(CodeInvalidRequest, "Field %q contains control characters.", field)
	}
	return nil
}
