package events_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/events"
)

func TestParseWebhookSpec(t *testing.T) {
	t.Parallel()
	env := func(k string) (string, bool) {
		v, ok := map[string]string{"HOOK_SECRET": "from-env", "EMPTY": ""}[k]
		return v, ok
	}
	for _, tc := range []struct {
		name string
		spec string
		want func(c *events.WebhookConfig) // edits the expected config, starting from defaults
	}{
		{"url only", "url=https://hooks.example.com/connect", nil},
		{"full", "url=https://h.example/x?a=1%2C2,events=contact,types=QUEUED+CONNECTED_TO_AGENT,instance=i-1,channels=VOICE+CHAT,secret=k,attempts=3,max-age=1m,backoff=500ms,max-backoff=10s,timeout=2s,buffer=16",
			func(c *events.WebhookConfig) {
				c.URL = "https://h.example/x?a=1%2C2"
				c.Filter = events.Filter{Kinds: []events.Kind{"contact"}, Types: []string{"QUEUED", "CONNECTED_TO_AGENT"}, Instances: []string{"i-1"}, Channels: []string{"VOICE", "CHAT"}}
				c.Secret, c.MaxAttempts, c.MaxAge, c.InitialBackoff, c.MaxBackoff, c.Timeout, c.Buffer = "k", 3, time.Minute, 500*time.Millisecond, 10*time.Second, 2*time.Second, 16
			}},
		{"pipe lists, lower case, spaces, trailing comma", " url=http://h , events=contact|agent , types=queued|login ,",
			func(c *events.WebhookConfig) {
				c.URL = "http://h"
				c.Filter = events.Filter{Kinds: []events.Kind{"contact", "agent"}, Types: []string{"QUEUED", "LOGIN"}}
			}},
		{"instance ARN", "url=http://h,instance=" + testInstance, func(c *events.WebhookConfig) {
			c.URL = "http://h"
			c.Filter.Instances = []string{testInstance}
		}},
		{"secret from env", "url=http://h,secret-env=HOOK_SECRET", func(c *events.WebhookConfig) { c.URL, c.Secret = "http://h", "from-env" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := events.ParseWebhookSpec(tc.spec, env)
			if err != nil {
				t.Fatal(err)
			}
			want := events.WebhookConfig{URL: "https://hooks.example.com/connect"}
			if tc.want != nil {
				tc.want(&want)
			}
			want = want.WithDefaults()
			if g, w := describe(got), describe(want); g != w {
				t.Errorf("got  %s\nwant %s", g, w)
			}
		})
	}
}

// describe prints every field, secret included: the conversion drops
// WebhookConfig.String, which redacts.
func describe(c events.WebhookConfig) string {
	type plain events.WebhookConfig
	return fmt.Sprintf("%+v", plain(c))
}

func TestParseWebhookSpecErrors(t *testing.T) {
	t.Parallel()
	env := func(k string) (string, bool) { return map[string]string{"EMPTY": ""}[k], k == "EMPTY" }
	for _, tc := range []struct {
		name string
		spec string
		want []string // each must appear in the error
	}{
		{"empty", "", []string{"events-webhook: empty; expected at least url=…"}},
		{"no url", "events=contact", []string{"url is required"}},
		{"not key=value", "url=http://h,QUEUED", []string{`"QUEUED" is not key=value`}},
		{"unknown key", "url=http://h,evnts=contact", []string{`unknown key "evnts"; known keys: url, events,`}},
		{"duplicate key", "url=http://h,types=QUEUED,types=LOGIN", []string{"key types given twice; join list values with '+'"}},
		{"empty value", "url=http://h,types=", []string{"key types has an empty value"}},
		{"bad scheme", "url=ftp://h", []string{`url "ftp://h" must start with http:// or https://`}},
		{"unknown kind", "url=http://h,events=contacts", []string{`event kind "contacts" is not "contact" or "agent"`}},
		{"unknown type", "url=http://h,types=QUEUD", []string{`event type "QUEUD" is neither a contact event type (INITIATED,`, "agent event type (LOGIN, LOGOUT"}},
		{"type of unselected kind", "url=http://h,events=contact,types=QUEUED+LOGIN", []string{"event type LOGIN belongs to agent events, but only contact events are selected; add agent to events or drop the type"}},
		{"bad channel", "url=http://h,channels=SMS", []string{`channel "SMS" is not one of VOICE, CHAT, TASK, EMAIL`}},
		{"bad numbers", "url=http://h,attempts=0,buffer=many,max-age=soon,timeout=-1s", []string{
			`attempts must be a whole number of at least 1, not "0"`,
			`buffer must be a whole number of at least 1, not "many"`,
			`max-age must be a positive duration such as 30s or 5m, not "soon"`,
			`timeout must be a positive duration such as 30s or 5m, not "-1s"`,
		}},
		{"backoff above cap", "url=http://h,backoff=1m,max-backoff=1s", []string{"backoff 1m0s is longer than max-backoff 1s"}},
		{"secret and secret-env", "url=http://h,secret=x,secret-env=EMPTY", []string{"give secret or secret-env, not both"}},
		{"secret-env unset", "url=http://h,secret-env=NOPE", []string{"secret-env: environment variable NOPE is not set or empty"}},
		{"several at once", "url=http://h,types=QUEUD,channels=SMS", []string{`"QUEUD"`, `"SMS"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := events.ParseWebhookSpec(tc.spec, env)
			if err == nil {
				t.Fatalf("no error for %q", tc.spec)
			}
			if !strings.HasPrefix(err.Error(), "events-webhook: ") {
				t.Errorf("error lacks the flag name: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
}

func TestParseWebhookSpecNeverEchoesSecret(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{
		"url=http://h,secret=hunter2,part2",     // a comma inside the secret
		"url=ftp://h,secret=hunter2,attempts=0", // other errors next to a secret
	} {
		_, err := events.ParseWebhookSpec(spec, nil)
		if err == nil {
			t.Fatalf("no error for %q", spec)
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "part2") {
			t.Errorf("error echoes the secret: %v", err)
		}
	}
}
