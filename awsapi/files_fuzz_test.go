package awsapi

import (
	"context"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// FuzzFileURL: file URLs come from anyone who holds (or guesses) one.
// Parsing any path and query never panics, and a URL the server renders
// parses back to what it names.
func FuzzFileURL(f *testing.F) {
	f.Add("i-1", "f-1", int64(1700000000), "ab12", "/switchboard/files/i/f?Expires=1&Signature=x")
	f.Add("a/b", "%zz", int64(-1), "", "/switchboard/files//?Expires=&Signature=")
	f.Add("é", "f f", int64(1<<40), "sig", "/switchboard/files/a/b/c?Expires=1e3")
	f.Fuzz(func(t *testing.T, iid, fid string, exp int64, sig, raw string) {
		if u, err := url.Parse(raw); err == nil {
			r := httptest.NewRequest("GET", "/", nil)
			r.URL = u
			parseFileURL(r)
		}
		if iid == "" || fid == "" || sig == "" {
			return
		}
		in := domain.FileURL{InstanceID: iid, FileID: fid, Expires: time.Unix(exp, 0).UTC(), Signature: sig}
		u, err := url.Parse(fileURL(context.Background(), in))
		if err != nil {
			t.Fatalf("rendered URL does not parse: %v", err)
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.URL = u
		out, ok := parseFileURL(r)
		if !ok || out != in {
			t.Fatalf("round trip: %+v → %s → %+v (%v)", in, u, out, ok)
		}
	})
}
