package events_test

import (
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/events"
)

// FuzzParseWebhookSpec: any flag value either parses into a valid config or
// fails with a message naming the flag, and never panics (guideline 31).
func FuzzParseWebhookSpec(f *testing.F) {
	for _, s := range []string{
		"url=https://h.example/x,events=contact|agent,types=QUEUED+LOGIN,instance=i,secret=k",
		"url=http://h,attempts=3,max-age=1m,backoff=1s,max-backoff=2s,timeout=5s,buffer=9",
		"url=,=,,==,types=+|+",
	} {
		f.Add(s)
	}
	noEnv := func(string) (string, bool) { return "", false }
	f.Fuzz(func(t *testing.T, spec string) {
		cfg, err := events.ParseWebhookSpec(spec, noEnv)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "events-webhook: ") {
				t.Errorf("error lacks the flag name: %v", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Errorf("parsed config does not validate: %v", err)
		}
	})
}
