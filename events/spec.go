package events

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WebhookSpecHelp documents the --events-webhook value; the CLI prints it.
const WebhookSpecHelp = `comma-separated key=value pairs; lists are joined with '+' (or '|'):
  url=URL              required; http or https (percent-encode any comma as %2C)
  events=contact+agent event kinds (default: both)
  types=QUEUED+…       contact types INITIATED, CONNECTED_TO_SYSTEM, CONTACT_DATA_UPDATED, QUEUED,
                       CONNECTED_TO_AGENT, DISCONNECTED, COMPLETED, PAUSED, RESUMED;
                       agent types LOGIN, LOGOUT, STATE_CHANGE, HEART_BEAT (default: all)
  instance=ID+…        instance ids or ARNs (default: all)
  channels=VOICE+…     VOICE, CHAT, TASK, EMAIL (default: all)
  secret=S             sign bodies with HMAC-SHA256 (header X-Switchboard-Signature: sha256=<hex>)
  secret-env=NAME      read the secret from environment variable NAME (keeps it out of ps/history)
  attempts=N           requests per event, first included (default 8)
  max-age=DURATION     stop retrying an event after this long (default 15m)
  backoff=DURATION     first retry wait, doubled per retry (default 1s)
  max-backoff=DURATION cap on the retry wait (default 2m)
  timeout=DURATION     per request (default 10s)
  buffer=N             events queued for this webhook before dropping (default 1024)
example: url=https://hooks.example.com/connect,events=contact,types=QUEUED+CONNECTED_TO_AGENT,secret-env=HOOK_SECRET`

// specKeys are the keys ParseWebhookSpec knows, in the order error messages
// list them.
var specKeys = []string{
	"url", "events", "types", "instance", "channels", "secret", "secret-env",
	"attempts", "max-age", "backoff", "max-backoff", "timeout", "buffer",
}

// ParseWebhookSpec reads one --events-webhook value (see WebhookSpecHelp)
// into a config with defaults applied and validated. The error lists every
// problem, each naming the key and what is wrong, prefixed by
// "events-webhook: "; it never repeats a secret. lookupEnv resolves
// secret-env; nil means os.LookupEnv.
//
// Values cannot contain commas: the format stays readable in a shell and
// needs no quoting rules, and a URL can always spell a comma %2C.
func ParseWebhookSpec(spec string, lookupEnv func(string) (string, bool)) (WebhookConfig, error) {
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	var (
		cfg  WebhookConfig
		errs []error
		seen = map[string]bool{}
		last string // previous key, to spot a comma inside a secret
	)
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(spec) == "" {
		return cfg, errors.New("events-webhook: empty; expected at least url=…")
	}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue // tolerate a trailing comma
		}
		key, val, ok := strings.Cut(part, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch {
		case !ok && last == "secret":
			// Never echo it: this fragment is part of the secret.
			bad("the secret contains a comma, which the format cannot carry; use secret-env")
			continue
		case !ok:
			bad("%q is not key=value (a comma inside a value must be written %%2C)", shorten(part))
			continue
		case !slices.Contains(specKeys, key):
			bad("unknown key %q; known keys: %s", key, strings.Join(specKeys, ", "))
			continue
		case seen[key]:
			bad("key %s given twice; join list values with '+'", key)
			continue
		}
		seen[key], last = true, key
		if val == "" {
			bad("key %s has an empty value", key)
			continue
		}
		switch key {
		case "url":
			cfg.URL = val
		case "events":
			for _, k := range splitList(val) {
				cfg.Filter.Kinds = append(cfg.Filter.Kinds, Kind(strings.ToLower(k)))
			}
		case "types":
			cfg.Filter.Types = upperList(val)
		case "instance":
			cfg.Filter.Instances = splitList(val)
		case "channels":
			cfg.Filter.Channels = upperList(val)
		case "secret":
			cfg.Secret = val
		case "secret-env":
			s, ok := lookupEnv(val)
			if !ok || s == "" {
				bad("secret-env: environment variable %s is not set or empty", val)
			}
			cfg.Secret = s
		case "attempts":
			cfg.MaxAttempts = parseCount(key, val, bad)
		case "buffer":
			cfg.Buffer = parseCount(key, val, bad)
		case "max-age":
			cfg.MaxAge = parseDuration(key, val, bad)
		case "backoff":
			cfg.InitialBackoff = parseDuration(key, val, bad)
		case "max-backoff":
			cfg.MaxBackoff = parseDuration(key, val, bad)
		case "timeout":
			cfg.Timeout = parseDuration(key, val, bad)
		}
	}
	if seen["secret"] && seen["secret-env"] {
		bad("give secret or secret-env, not both")
	}
	if !seen["url"] {
		bad("url is required")
	}
	if len(errs) == 0 {
		// Only validate a spec that parsed, or a bad number would also be
		// reported as "must be at least 1".
		cfg = cfg.WithDefaults()
		if err := cfg.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return WebhookConfig{}, fmt.Errorf("events-webhook: %w", err)
	}
	return cfg, nil
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == '+' || r == '|' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// upperList accepts lower-case names: the wire values are upper-case, but
// `types=queued` is an obvious intent, not an error.
func upperList(v string) []string {
	l := splitList(v)
	for i := range l {
		l[i] = strings.ToUpper(l[i])
	}
	return l
}

func parseCount(key, val string, bad func(string, ...any)) int {
	n, err := strconv.Atoi(val)
	if err != nil || n < 1 {
		bad("%s must be a whole number of at least 1, not %q", key, val)
		return 0
	}
	return n
}

func parseDuration(key, val string, bad func(string, ...any)) time.Duration {
	d, err := time.ParseDuration(val)
	if err != nil || d <= 0 {
		bad("%s must be a positive duration such as 30s or 5m, not %q", key, val)
		return 0
	}
	return d
}

// shorten keeps error messages readable when a stray comma splits a long
// value such as a URL with a query.
func shorten(s string) string {
	if len(s) > 12 {
		return s[:8] + "…"
	}
	return s
}
