package awsapi

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
)

// FuzzAdminRequests: the clock endpoint's body and the inspection paths
// come from clients; any input gives an answer or a 4xx, never a panic.
func FuzzAdminRequests(f *testing.F) {
	f.Add(`{"advance":"90s"}`, "i/contacts/c/routing")
	f.Add(`{"set":"2030-01-01T00:00:00Z"}`, "%zz/contacts/c/flow-logs")
	f.Add(`{"advance":"-1h","set":""}`, "/contacts//")
	f.Add(`[`, "")
	f.Fuzz(func(t *testing.T, body, path string) {
		vc := clock.NewVirtual(time.Unix(0, 0))
		s := &Server{clock: vc}
		req := httptest.NewRequest("POST", ClockPath, strings.NewReader(body))
		if _, err := s.serveClock(req, []byte(body)); err != nil {
			if we := toWireError(nil, err, nil); we.Status >= 500 {
				t.Fatalf("clock body %q: %d %s", body, we.Status, we.Message)
			}
		}
		req = httptest.NewRequest("GET", "/", nil)
		if _, err := s.serveInspect(req, InstancesPath+path); err != nil {
			if we := toWireError(nil, err, nil); we.Status >= 500 {
				t.Fatalf("inspect path %q: %d %s", path, we.Status, we.Message)
			}
		}
	})
}
