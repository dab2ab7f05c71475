package awsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
)

// AdminPrefix is where Switchboard's own endpoints live, beside the Connect
// API on the same port. They are authenticated like the Connect API (SigV4
// with the root credentials; `curl --aws-sigv4 "aws:amz:us-east-1:connect"
// --user KEY:SECRET` signs them, and so does `switchboard clock`), except
// FilesPath, whose URLs carry their own signature.
const AdminPrefix = "/switchboard/"

// ClockPath reads (GET) or moves (POST) the server's clock.
const ClockPath = AdminPrefix + "v1/clock"

// InstancesPath is the prefix of per-instance inspection endpoints:
//
//	GET /switchboard/v1/instances/{instanceId}/contacts/{contactId}/routing
//	GET /switchboard/v1/instances/{instanceId}/contacts/{contactId}/flow-logs
const InstancesPath = AdminPrefix + "v1/instances/"

// Inspector answers questions about the live contact center.
type Inspector interface {
	// Explain says why a contact has (not) been routed.
	Explain(ctx context.Context, instanceID, contactID string) (any, error)
	// FlowLogs returns the flow log entries of a contact.
	FlowLogs(instanceID, contactID string) any
}

// SetInspector connects the runtime's inspection answers.
func (s *Server) SetInspector(i Inspector) { s.inspector = i }

// serveInspect handles InstancesPath.
func (s *Server) serveInspect(r *http.Request, path string) (any, error) {
	parts := strings.Split(strings.TrimPrefix(path, InstancesPath), "/")
	if r.Method != http.MethodGet || len(parts) != 4 || parts[1] != "contacts" || parts[0] == "" || parts[2] == "" {
		return nil, &protocolError{Name: "UnknownOperationException", Status: http.StatusNotFound,
			Message: "Use GET " + InstancesPath + "{instanceId}/contacts/{contactId}/routing or …/flow-logs."}
	}
	if s.inspector == nil {
		return nil, &protocolError{Name: "ConflictException", Status: http.StatusConflict, Message: "The server runs without the contact runtime; nothing is routed."}
	}
	iid, err := url.PathUnescape(parts[0])
	if err != nil {
		return nil, badClock("The instance ID is not a valid path segment.")
	}
	cid, err := url.PathUnescape(parts[2])
	if err != nil {
		return nil, badClock("The contact ID is not a valid path segment.")
	}
	switch parts[3] {
	case "routing":
		return s.inspector.Explain(r.Context(), iid, cid)
	case "flow-logs":
		if _, err := s.handlers.svc.DescribeContact(r.Context(), iid, cid); err != nil {
			return nil, err
		}
		return map[string]any{"contactId": cid, "entries": s.inspector.FlowLogs(iid, cid)}, nil
	}
	return nil, &protocolError{Name: "UnknownOperationException", Status: http.StatusNotFound, Message: "Ask for …/routing or …/flow-logs."}
}

// ClockRequest moves a virtual clock: by Advance (a Go duration such as
// "90s" or "36h"), or to Set (RFC 3339). Time never moves backwards.
type ClockRequest struct {
	Advance string `json:"advance,omitempty"`
	Set     string `json:"set,omitempty"`
}

// ClockResponse tells the server's time.
type ClockResponse struct {
	Now     time.Time `json:"now"`
	Virtual bool      `json:"virtual"`
}

// serveClock handles ClockPath. Moving the clock runs, before it answers,
// everything that fell due (schedules, expiries, routing-step timeouts), so
// a test that advances time can assert the effects right away.
func (s *Server) serveClock(r *http.Request, body []byte) (any, error) {
	vc, virtual := s.clock.(*clock.Virtual)
	switch r.Method {
	case http.MethodGet:
		return ClockResponse{Now: s.clock.Now().UTC(), Virtual: virtual}, nil
	case http.MethodPost:
	default:
		return nil, &protocolError{Name: "UnknownOperationException", Status: http.StatusNotFound, Message: "The clock endpoint accepts GET and POST."}
	}
	if !virtual {
		return nil, &protocolError{Name: "ConflictException", Status: http.StatusConflict,
			Message: "The server runs on the real clock; start it with --clock=virtual to move time by hand."}
	}
	var req ClockRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, &protocolError{Name: "SerializationException", Status: http.StatusBadRequest, Message: "The body must be JSON like {\"advance\": \"90s\"} or {\"set\": \"2026-03-02T09:00:00Z\"}: " + err.Error()}
	}
	switch {
	case req.Advance != "" && req.Set != "":
		return nil, badClock("Give advance or set, not both.")
	case req.Advance != "":
		d, err := time.ParseDuration(req.Advance)
		if err != nil || d < 0 {
			return nil, badClock(fmt.Sprintf("advance %q is not a non-negative duration such as \"90s\", \"15m\" or \"36h\".", req.Advance))
		}
		vc.Advance(d)
	case req.Set != "":
		t, err := time.Parse(time.RFC3339Nano, req.Set)
		if err != nil {
			return nil, badClock(fmt.Sprintf("set %q is not an RFC 3339 time such as \"2026-03-02T09:00:00Z\".", req.Set))
		}
		if t.Before(vc.Now()) {
			return nil, badClock(fmt.Sprintf("set %s is before the clock's time %s; time only moves forward.", t.Format(time.RFC3339), vc.Now().UTC().Format(time.RFC3339)))
		}
		vc.Set(t)
	default:
		return nil, badClock("Give advance (a duration) or set (an RFC 3339 time).")
	}
	return ClockResponse{Now: vc.Now().UTC(), Virtual: true}, nil
}

func badClock(msg string) error {
	return &protocolError{Name: "InvalidParameterException", Status: http.StatusBadRequest, Message: msg}
}
