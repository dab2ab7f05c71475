package agentapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
)

var decoderSeeds = []string{
	`{"username":"alice","password":"correct horse"}`,
	`{"statusId":"st-available"}`,
	`{"status":"READ"}`, `{"status":"read"}`,
	``, ` `, `null`, `[]`, `{}`, `"x"`, `{"username":`, `{"username":1}`,
	`{"username":"a","password":"b"} {}`, `{"username":"a\u0000","password":"b"}`,
	`{"username":"\ud800","password":"b"}`, `{"statusId":null}`, `{"extra":true}`,
	`{"username":"a","username":"b","password":"c"}`, `{"statusId":"` + strings.Repeat("s", 300) + `"}`,
}

// checkDecoded is the decoders' contract: success means valid fields,
// failure is always a client error with a message.
func checkDecoded(t *testing.T, err error, valid bool) {
	t.Helper()
	if err == nil {
		if !valid {
			t.Fatal("decoder accepted an invalid value")
		}
		return
	}
	e, ok := err.(*Error)
	if !ok || e.Code != CodeInvalidRequest || e.Message == "" {
		t.Fatalf("decoder error %#v, want *Error invalid_request with a message", err)
	}
}

func FuzzDecodeLogin(f *testing.F) {
	for _, s := range decoderSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeLogin(body)
		checkDecoded(t, err, checkText("username", req.Username, maxUsername) == nil &&
			req.Password != "" && len(req.Password) <= maxPassword)
	})
}

func FuzzDecodeStatus(f *testing.F) {
	for _, s := range decoderSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeStatus(body)
		checkDecoded(t, err, checkText("statusId", req.StatusID, maxID) == nil)
	})
}

func FuzzDecodeTransfer(f *testing.F) {
	for _, s := range decoderSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"quickConnectId": "qc-1"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeTransfer(body)
		checkDecoded(t, err, checkText("quickConnectId", req.QuickConnectID, maxID) == nil)
	})
}

// refusingBackend refuses every login and knows no status: whatever the
// client sends, only 4xx answers are possible.
type refusingBackend struct{ Backend }

func (refusingBackend) Authenticate(context.Context, string, string, string) (string, error) {
	return "", Errorf(CodeInvalidCredentials, "no")
}

// FuzzLoginHandler drives the whole login path with arbitrary bodies and
// usernames in the path: client input must never produce a 5xx or a
// non-JSON error.
func FuzzLoginHandler(f *testing.F) {
	for _, s := range decoderSeeds {
		f.Add("inst-1", []byte(s))
	}
	f.Add("inst%00", []byte(`{"username":"a","password":"b"}`))
	f.Add(strings.Repeat("i", 300), []byte(`{"username":"a","password":"b"}`))
	srv := New(refusingBackend{}, clock.NewVirtual(time.Unix(0, 0)), Options{LoginFailureLimit: 1 << 30})
	f.Fuzz(func(t *testing.T, instance string, body []byte) {
		if strings.ContainsAny(instance, "/?#") {
			return // would be another path altogether
		}
		req, err := http.NewRequest("POST", "/agent/v1/instances/"+instance+"/login", strings.NewReader(string(body)))
		if err != nil {
			return // not a URL a client could send
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q %q: %s", rec.Code, instance, body, rec.Body)
		}
		// ServeMux redirects unclean paths ("instances//login", "..") to
		// their clean form; those are not errors.
		if rec.Code/100 != 3 && !strings.HasPrefix(rec.Body.String(), `{"code":"`) {
			t.Fatalf("non-JSON error %d: %s", rec.Code, rec.Body)
		}
	})
}

func FuzzDecodeNotificationStatus(f *testing.F) {
	for _, s := range decoderSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeNotificationStatus(body)
		checkDecoded(t, err, req.Status == "READ" || req.Status == "UNREAD" || req.Status == "HIDDEN")
	})
}
