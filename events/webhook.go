package events

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
)

// Webhook defaults, applied by WebhookConfig.WithDefaults to zero fields.
const (
	WebhookMaxAttemptsDefault    = 8
	WebhookMaxAgeDefault         = 15 * time.Minute
	WebhookInitialBackoffDefault = time.Second
	WebhookMaxBackoffDefault     = 2 * time.Minute
	WebhookTimeoutDefault        = 10 * time.Second
)

// Headers on every webhook request. The body is the event's JSON (a
// ContactEvent or an AgentEvent, exactly as documented on those types); the
// headers repeat what a receiver needs to route it without parsing.
const (
	// SignatureHeader carries "sha256=" + lowercase hex of
	// HMAC-SHA256(secret, raw request body) when the sink has a secret.
	// Receivers recompute it over the bytes they received, before decoding,
	// and compare in constant time (VerifySignature does both). The body
	// holds the event id and time, so a receiver that remembers recent ids
	// and rejects old times also defeats replays; no separate timestamp is
	// signed.
	SignatureHeader = "X-Switchboard-Signature"
	// EventIDHeader is the event id (envelope id / EventId). A retried
	// delivery carries the same id: dedupe on it.
	EventIDHeader = "X-Switchboard-Event-Id"
	// EventKindHeader is "contact" or "agent".
	EventKindHeader = "X-Switchboard-Event-Kind"
	// EventTypeHeader is the event type, e.g. QUEUED or STATE_CHANGE.
	EventTypeHeader = "X-Switchboard-Event-Type"
	// AttemptHeader is the 1-based delivery attempt of this event.
	AttemptHeader = "X-Switchboard-Delivery-Attempt"
)

// maxDrainBytes bounds how much of a response body we read so the
// connection can be reused without letting a receiver stream forever.
const maxDrainBytes = 64 << 10

// WebhookConfig describes one webhook subscription. ParseWebhookSpec builds
// one from the `--events-webhook` flag.
type WebhookConfig struct {
	// URL receives the POSTs; http or https.
	URL string
	// Secret, when set, signs every body (see SignatureHeader).
	Secret string
	// Filter selects the events to deliver.
	Filter Filter
	// MaxAttempts bounds the requests per event, the first one included.
	MaxAttempts int
	// MaxAge bounds how long one event is retried, counted from when the
	// sink took it; a retry that would start later is not made.
	MaxAge time.Duration
	// InitialBackoff is the wait before the first retry; it doubles per
	// retry up to MaxBackoff, and the wait is then jittered to between half
	// and all of that.
	InitialBackoff, MaxBackoff time.Duration
	// Timeout bounds one request (wall-clock, via the request context).
	Timeout time.Duration
	// Buffer is the subscription buffer (SubscribeOpts.Buffer).
	Buffer int
}

// WithDefaults returns a copy of c with zero fields set to the defaults.
func (c WebhookConfig) WithDefaults() WebhookConfig {
	if c.MaxAttempts == 0 {
		c.MaxAttempts = WebhookMaxAttemptsDefault
	}
	if c.MaxAge == 0 {
		c.MaxAge = WebhookMaxAgeDefault
	}
	if c.InitialBackoff == 0 {
		c.InitialBackoff = WebhookInitialBackoffDefault
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = max(WebhookMaxBackoffDefault, c.InitialBackoff)
	}
	if c.Timeout == 0 {
		c.Timeout = WebhookTimeoutDefault
	}
	if c.Buffer == 0 {
		c.Buffer = BufferDefault
	}
	return c
}

// Validate reports every problem with c, one error per rule. Call it after
// WithDefaults: zero limits are errors here.
func (c WebhookConfig) Validate() error {
	var errs []error
	if u, err := url.Parse(c.URL); c.URL == "" {
		errs = append(errs, errors.New("url is required"))
	} else if err != nil {
		errs = append(errs, fmt.Errorf("url %q does not parse: %v", redactURL(c.URL), err))
	} else if u.Scheme != "http" && u.Scheme != "https" {
		errs = append(errs, fmt.Errorf("url %q must start with http:// or https://", redactURL(c.URL)))
	} else if u.Host == "" {
		errs = append(errs, fmt.Errorf("url %q has no host", redactURL(c.URL)))
	}
	if c.MaxAttempts < 1 {
		errs = append(errs, fmt.Errorf("attempts must be at least 1, not %d", c.MaxAttempts))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"max-age", c.MaxAge}, {"backoff", c.InitialBackoff}, {"max-backoff", c.MaxBackoff}, {"timeout", c.Timeout}} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, not %s", d.name, d.v))
		}
	}
	if c.InitialBackoff > 0 && c.MaxBackoff > 0 && c.InitialBackoff > c.MaxBackoff {
		errs = append(errs, fmt.Errorf("backoff %s is longer than max-backoff %s", c.InitialBackoff, c.MaxBackoff))
	}
	if c.Buffer < 1 {
		errs = append(errs, fmt.Errorf("buffer must be at least 1, not %d", c.Buffer))
	}
	if err := c.Filter.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// String describes c for logs without the secret or the URL's query and
// credentials, which often carry tokens.
func (c WebhookConfig) String() string {
	s := "webhook " + redactURL(c.URL)
	if c.Secret != "" {
		s += " (signed)"
	}
	return s
}

// redactURL keeps scheme, host and path.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "<invalid url>"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// Sign returns the SignatureHeader value for body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// VerifySignature reports whether header is the signature of body under
// secret, comparing in constant time. Receivers written in Go can use it
// as is; it is also the reference for other languages.
func VerifySignature(secret string, body []byte, header string) bool {
	return hmac.Equal([]byte(header), []byte(Sign(secret, body)))
}

// WebhookOpts are the sink's collaborators.
type WebhookOpts struct {
	// Clock times backoff waits and ages; nil means the wall clock.
	Clock clock.Clock
	// Client sends the requests; nil means a fresh http.Client. Its own
	// Timeout, if any, applies on top of WebhookConfig.Timeout.
	Client *http.Client
	// Logger receives failures (rejected, gave up, abandoned); nil discards.
	Logger *slog.Logger
	// OnAttempt, if set, is called after every request, from the sink's
	// goroutine, once any retry timer is armed. Metrics can count with it;
	// tests wait on it instead of sleeping (guideline 32). It must not block
	// for long: delivery waits for it.
	OnAttempt func(Attempt)
}

// Outcome is what became of one request.
type Outcome string

// Outcomes of a request.
const (
	// Delivered: the receiver answered 2xx.
	Delivered Outcome = "delivered"
	// Retrying: a network error, 5xx or 429; the next attempt is armed.
	Retrying Outcome = "retrying"
	// Rejected: any other answer (4xx but 429, 1xx, 3xx); not retried,
	// because sending the same body again would get the same answer.
	Rejected Outcome = "rejected"
	// GaveUp: retryable, but the attempt or age budget is spent.
	GaveUp Outcome = "gave-up"
	// Abandoned: retryable, but the sink is closing.
	Abandoned Outcome = "abandoned"
)

// Attempt reports one request.
type Attempt struct {
	EventID    string
	Number     int // 1-based
	StatusCode int // 0 when the request failed without a response
	Err        error
	Outcome    Outcome
	RetryIn    time.Duration // the wait before the next attempt, when Retrying
}

// WebhookStats counts events (not requests, except Attempts).
type WebhookStats struct {
	Delivered uint64
	Rejected  uint64 // non-retryable answer
	GaveUp    uint64 // attempts or age exhausted
	// Abandoned counts events dropped by Close: the one being retried and
	// those still buffered in the subscription.
	Abandoned uint64
	// Invalid counts events that could not be encoded (a bug, logged).
	Invalid  uint64
	Attempts uint64 // HTTP requests made
}

// Failed is every event that did not reach the receiver while the sink ran.
func (s WebhookStats) Failed() uint64 { return s.Rejected + s.GaveUp + s.Invalid }

// WebhookSink posts the events of one subscription to a URL.
//
// Delivery: one event per request (a batch would make one bad event fail
// its neighbours and complicate receivers' dedupe), events in subscription
// order, one request at a time so the receiver sees that order too. A
// request succeeds on any 2xx. Network errors, 5xx and 429 are retried with
// exponential backoff and jitter, or after Retry-After (seconds or an HTTP
// date) when the answer has one; any other status is final. An event is
// given up after MaxAttempts requests or when the next try would start
// after MaxAge. While one event is retried, later ones wait in the
// subscription buffer and are dropped there if it fills, so a receiver that
// is down for long loses events rather than stalling the server.
type WebhookSink struct {
	cfg    WebhookConfig
	sub    *Subscription
	clock  clock.Clock
	client *http.Client
	log    *slog.Logger
	hook   func(Attempt)

	// reqCtx is the parent of every request; cancel aborts the one in
	// flight when Close's deadline passes.
	reqCtx context.Context
	cancel context.CancelFunc

	mu      sync.Mutex // guards started and closing
	started bool
	closing bool
	stop    chan struct{} // closed by Close
	done    chan struct{} // closed when the goroutine (or a never-started sink) is finished

	delivered, rejected, gaveUp, abandoned, invalid, attempts atomic.Uint64
}

// NewWebhookSink returns a sink that will deliver sub's events per cfg once
// started. cfg gets WithDefaults and must then Validate; cfg.Filter and
// cfg.Buffer are not used (sub is already filtered). The sink owns sub and
// closes it on Close.
func NewWebhookSink(sub *Subscription, cfg WebhookConfig, opts WebhookOpts) (*WebhookSink, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	w := &WebhookSink{
		cfg: cfg, sub: sub, clock: opts.Clock, client: opts.Client, log: opts.Logger, hook: opts.OnAttempt,
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	if w.clock == nil {
		w.clock = clock.Real{}
	}
	if w.client == nil {
		w.client = &http.Client{}
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	w.log = w.log.With("sink", cfg.String())
	w.reqCtx, w.cancel = context.WithCancel(context.Background())
	return w, nil
}

// StartWebhook validates cfg, subscribes to bus with cfg.Filter and starts a
// sink: what the server does for each --events-webhook flag.
func StartWebhook(bus *Bus, cfg WebhookConfig, opts WebhookOpts) (*WebhookSink, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sub := bus.Subscribe(cfg.Filter, SubscribeOpts{Name: cfg.String(), Buffer: cfg.Buffer})
	w, err := NewWebhookSink(sub, cfg, opts)
	if err != nil {
		sub.Close()
		return nil, err
	}
	w.Start()
	return w, nil
}

// Start begins delivery in a goroutine. It is idempotent, and does nothing
// after Close.
func (w *WebhookSink) Start() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.started || w.closing {
		return
	}
	w.started = true
	go w.run()
}

// Close stops delivery and unsubscribes. A request in flight may finish
// until ctx is done, then it is cancelled; an event waiting for a retry, and
// the events still buffered, are abandoned (and counted) rather than holding
// shutdown for a backoff. Close returns ctx.Err() if it had to cancel, and
// is idempotent.
func (w *WebhookSink) Close(ctx context.Context) error {
	w.mu.Lock()
	if !w.closing {
		w.closing = true
		close(w.stop)
		w.sub.Close()
		if !w.started {
			// No goroutine will count what is buffered; do it here.
			for range w.sub.C() {
				w.abandoned.Add(1)
			}
			close(w.done)
		}
	}
	w.mu.Unlock()
	select {
	case <-w.done:
		w.cancel()
		return nil
	case <-ctx.Done():
		w.cancel()
		<-w.done
		return ctx.Err()
	}
}

// Stats returns the sink's counters.
func (w *WebhookSink) Stats() WebhookStats {
	return WebhookStats{
		Delivered: w.delivered.Load(), Rejected: w.rejected.Load(), GaveUp: w.gaveUp.Load(),
		Abandoned: w.abandoned.Load(), Invalid: w.invalid.Load(), Attempts: w.attempts.Load(),
	}
}

func (w *WebhookSink) stopping() bool {
	select {
	case <-w.stop:
		return true
	default:
		return false
	}
}

func (w *WebhookSink) run() {
	defer close(w.done)
	for {
		// Check stop first: select picks at random among ready cases, and a
		// closing sink must not start on a buffered event.
		if w.stopping() {
			break
		}
		select {
		case e, ok := <-w.sub.C():
			if !ok {
				return // bus closed: nothing buffered remains
			}
			w.deliver(e)
		case <-w.stop:
		}
	}
	// Close has closed the subscription, so this ends after the buffer.
	for range w.sub.C() {
		w.abandoned.Add(1)
	}
}

// deliver posts e until it is delivered, final, out of budget or abandoned.
func (w *WebhookSink) deliver(e Event) {
	m := e.Meta()
	body, err := json.Marshal(e)
	if err != nil {
		w.invalid.Add(1)
		w.log.Error("event not delivered: cannot encode", "event_id", m.ID, "err", err)
		return
	}
	deadline := w.clock.Now().Add(w.cfg.MaxAge)
	for n := 1; ; n++ {
		status, retryAfter, err := w.post(body, m, n)
		a := Attempt{EventID: m.ID, Number: n, StatusCode: status, Err: err}
		switch {
		case err == nil && status >= 200 && status < 300:
			a.Outcome = Delivered
			w.delivered.Add(1)
		case err == nil && status != http.StatusTooManyRequests && status < 500:
			a.Outcome = Rejected
			w.rejected.Add(1)
			w.log.Warn("event rejected by receiver, not retried", "event_id", m.ID, "status", status)
		case w.stopping():
			a.Outcome = Abandoned
			w.abandoned.Add(1)
		case n >= w.cfg.MaxAttempts:
			a.Outcome = GaveUp
			w.gaveUp.Add(1)
			w.log.Warn("event not delivered: attempts exhausted", "event_id", m.ID, "attempts", n, "status", status, "err", err)
		default:
			wait := w.backoff(n)
			if retryAfter >= 0 {
				wait = retryAfter // the receiver knows its own recovery better than our curve
			}
			if w.clock.Now().Add(wait).After(deadline) {
				a.Outcome = GaveUp
				w.gaveUp.Add(1)
				w.log.Warn("event not delivered: max age reached", "event_id", m.ID, "attempts", n, "status", status, "err", err)
				break
			}
			a.Outcome, a.RetryIn = Retrying, wait
			fire := make(chan struct{})
			t := w.clock.AfterFunc(wait, func() { close(fire) })
			w.report(a) // after arming, so a test may Advance as soon as it hears
			select {
			case <-fire:
				continue
			case <-w.stop:
				t.Stop()
				w.abandoned.Add(1)
				return
			}
		}
		w.report(a)
		return
	}
}

func (w *WebhookSink) report(a Attempt) {
	if w.hook != nil {
		w.hook(a)
	}
}

// backoff returns the wait after the n-th failed request: InitialBackoff
// doubled per retry, capped at MaxBackoff, then "equal jitter" (half fixed,
// half random) so receivers coming back up are not hit by every sender at
// the same instant, while the wait never collapses to zero.
func (w *WebhookSink) backoff(n int) time.Duration {
	d := w.cfg.InitialBackoff
	for i := 1; i < n && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.cfg.MaxBackoff)
	half := d / 2
	return half + rand.N(d-half+1)
}

// post makes one request. retryAfter is -1 without a usable Retry-After.
func (w *WebhookSink) post(body []byte, m Meta, n int) (status int, retryAfter time.Duration, err error) {
	w.attempts.Add(1)
	ctx, cancel := context.WithTimeout(w.reqCtx, w.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return 0, -1, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Switchboard-Webhook/1")
	req.Header.Set(EventIDHeader, m.ID)
	req.Header.Set(EventKindHeader, string(m.Kind))
	req.Header.Set(EventTypeHeader, m.Type)
	req.Header.Set(AttemptHeader, strconv.Itoa(n))
	if w.cfg.Secret != "" {
		req.Header.Set(SignatureHeader, Sign(w.cfg.Secret, body))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, -1, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrainBytes))
	return resp.StatusCode, parseRetryAfter(resp.Header.Get("Retry-After"), w.clock.Now()), nil
}

// parseRetryAfter reads delay-seconds or an HTTP date (RFC 9110 §10.2.3);
// -1 when absent or unreadable, 0 for a date in the past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 || s > int64(24*time.Hour/time.Second) {
			return -1 // nonsense; our own backoff is safer than overflow
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return -1
}
