package awsapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
)

// AdminPrefix is where Switchboard's own endpoints live, beside the Connect
// API on the same port. They are authenticated like the Connect API (SigV4
// with the root credentials; `curl --aws-sigv4 "aws:amz:us-east-1:connect"
// --user KEY:SECRET` signs them, and so does `switchboard clock`).
const AdminPrefix = "/switchboard/"

// ClockPath reads (GET) or moves (POST) the server's clock.
const ClockPath = AdminPrefix + "v1/clock"

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
