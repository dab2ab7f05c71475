package events_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/events"
)

// received is one request as the receiver saw it, with the virtual time it
// arrived at.
type received struct {
	body   []byte
	header http.Header
	at     time.Time
}

// harness is a bus, a webhook sink on a virtual clock, and an httptest
// receiver whose n-th answer (1-based) is decided by respond.
type harness struct {
	bus      *events.Bus
	clk      *clock.Virtual
	sink     *events.WebhookSink
	attempts chan events.Attempt

	mu   sync.Mutex
	reqs []received
}

func MustSink(tb testing.TB, cfg events.WebhookConfig, respond func(n int, w http.ResponseWriter, r *http.Request)) *harness {
	tb.Helper()
	h := &harness{bus: events.NewBus(), clk: clock.NewVirtual(t0), attempts: make(chan events.Attempt, 100)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.reqs = append(h.reqs, received{body: body, header: r.Header.Clone(), at: h.clk.Now()})
		n := len(h.reqs)
		h.mu.Unlock()
		respond(n, w, r)
	}))
	cfg.URL = srv.URL + "/hook"
	sink, err := events.StartWebhook(h.bus, cfg, events.WebhookOpts{
		Clock:     h.clk,
		Client:    srv.Client(),
		OnAttempt: func(a events.Attempt) { h.attempts <- a },
	})
	if err != nil {
		tb.Fatal(err)
	}
	h.sink = sink
	tb.Cleanup(func() {
		_ = sink.Close(context.Background())
		srv.Close()
	})
	return h
}

// next waits for the sink to report its next request.
func (h *harness) next(tb testing.TB) events.Attempt {
	tb.Helper()
	select {
	case a := <-h.attempts:
		return a
	case <-time.After(10 * time.Second): // a guard against hanging, not a wait
		tb.Fatal("no delivery attempt reported")
		return events.Attempt{}
	}
}

func (h *harness) requests() []received {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]received(nil), h.reqs...)
}

func status(code int) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
}

func TestWebhookDelivers(t *testing.T) {
	t.Parallel()
	h := MustSink(t, events.WebhookConfig{}, status(http.StatusNoContent))
	e := MustQueuedVoiceEvent(t)
	h.bus.Publish(e)
	if a := h.next(t); a.Outcome != events.Delivered || a.Number != 1 || a.StatusCode != 204 {
		t.Fatalf("attempt = %+v", a)
	}
	reqs := h.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	want, _ := json.Marshal(e)
	if string(reqs[0].body) != string(want) {
		t.Errorf("body = %s\nwant %s", reqs[0].body, want)
	}
	for k, v := range map[string]string{
		"Content-Type":         "application/json",
		events.EventIDHeader:   e.ID,
		events.EventKindHeader: "contact",
		events.EventTypeHeader: "QUEUED",
		events.AttemptHeader:   "1",
		events.SignatureHeader: "", // no secret, no signature
	} {
		if got := reqs[0].header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if st := h.sink.Stats(); st.Delivered != 1 || st.Attempts != 1 || st.Failed() != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestWebhookRetries5xxAfterBackoff(t *testing.T) {
	t.Parallel()
	h := MustSink(t, events.WebhookConfig{InitialBackoff: 2 * time.Second}, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	h.bus.Publish(agentEvent("a1", events.AgentLogin, testInstance))
	a := h.next(t)
	if a.Outcome != events.Retrying || a.StatusCode != 500 {
		t.Fatalf("first attempt = %+v", a)
	}
	// Equal jitter: between half and all of the 2 s backoff.
	if a.RetryIn < time.Second || a.RetryIn > 2*time.Second {
		t.Errorf("RetryIn = %s, want 1s..2s", a.RetryIn)
	}
	if n := len(h.requests()); n != 1 {
		t.Fatalf("%d requests before the clock moved", n)
	}
	h.clk.Advance(a.RetryIn)
	if a := h.next(t); a.Outcome != events.Delivered || a.Number != 2 {
		t.Fatalf("second attempt = %+v", a)
	}
	reqs := h.requests()
	if got := reqs[1].at.Sub(t0); got != a.RetryIn {
		t.Errorf("retry sent at +%s, want +%s", got, a.RetryIn)
	}
	if reqs[1].header.Get(events.AttemptHeader) != "2" || reqs[1].header.Get(events.EventIDHeader) != "a1" {
		t.Errorf("retry headers = %v", reqs[1].header)
	}
	if string(reqs[0].body) != string(reqs[1].body) {
		t.Error("retry body differs from the first attempt")
	}
}

func TestWebhookRetryAfter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		value func(now time.Time) string
		want  time.Duration
	}{
		{"seconds", func(time.Time) string { return "7" }, 7 * time.Second},
		{"HTTP date", func(now time.Time) string { return now.Add(10 * time.Second).UTC().Format(http.TimeFormat) }, 9*time.Second + 465*time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var h *harness
			h = MustSink(t, events.WebhookConfig{}, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n == 1 {
					w.Header().Set("Retry-After", tc.value(h.clk.Now()))
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				w.WriteHeader(http.StatusOK)
			})
			h.bus.Publish(agentEvent("a1", events.AgentLogin, testInstance))
			a := h.next(t)
			// The HTTP date has whole seconds, so from t0 (…26.535) "now+10s"
			// rounds down to 9.465 s away.
			if a.Outcome != events.Retrying || a.StatusCode != 429 || a.RetryIn != tc.want {
				t.Fatalf("attempt = %+v, want retrying in %s", a, tc.want)
			}
			h.clk.Advance(tc.want)
			if a := h.next(t); a.Outcome != events.Delivered {
				t.Fatalf("second attempt = %+v", a)
			}
			if got := h.requests()[1].at.Sub(t0); got != tc.want {
				t.Errorf("retry sent at +%s, want +%s", got, tc.want)
			}
		})
	}
}

func TestWebhook4xxNotRetried(t *testing.T) {
	t.Parallel()
	h := MustSink(t, events.WebhookConfig{}, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	h.bus.Publish(agentEvent("bad", events.AgentLogin, testInstance))
	h.bus.Publish(agentEvent("good", events.AgentLogout, testInstance))
	if a := h.next(t); a.Outcome != events.Rejected || a.StatusCode != 400 || a.EventID != "bad" {
		t.Fatalf("first attempt = %+v", a)
	}
	// The next request is already the next event: "bad" was not retried.
	if a := h.next(t); a.Outcome != events.Delivered || a.EventID != "good" || a.Number != 1 {
		t.Fatalf("second attempt = %+v", a)
	}
	if st := h.sink.Stats(); st.Rejected != 1 || st.Delivered != 1 || st.Attempts != 2 || st.Failed() != 1 {
		t.Errorf("stats = %+v", st)
	}
}

func TestWebhookGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	h := MustSink(t, events.WebhookConfig{MaxAttempts: 3}, status(http.StatusServiceUnavailable))
	h.bus.Publish(agentEvent("a1", events.AgentLogin, testInstance))
	for i := 1; i <= 2; i++ {
		a := h.next(t)
		if a.Outcome != events.Retrying || a.Number != i {
			t.Fatalf("attempt %d = %+v", i, a)
		}
		h.clk.Advance(a.RetryIn)
	}
	if a := h.next(t); a.Outcome != events.GaveUp || a.Number != 3 {
		t.Fatalf("last attempt = %+v", a)
	}
	if st := h.sink.Stats(); st.GaveUp != 1 || st.Attempts != 3 || st.Failed() != 1 {
		t.Errorf("stats = %+v", st)
	}
}

func TestWebhookGivesUpAfterMaxAge(t *testing.T) {
	t.Parallel()
	cfg := events.WebhookConfig{MaxAttempts: 100, MaxAge: 5 * time.Second, InitialBackoff: 4 * time.Second, MaxBackoff: 4 * time.Second}
	h := MustSink(t, cfg, status(http.StatusBadGateway))
	h.bus.Publish(agentEvent("a1", events.AgentLogin, testInstance))
	for {
		a := h.next(t)
		if a.Outcome == events.GaveUp {
			// Waits are 2..4 s, so the budget of 5 s allows 2 or 3 requests.
			if a.Number < 2 || a.Number > 3 {
				t.Errorf("gave up after %d attempts", a.Number)
			}
			break
		}
		if a.Outcome != events.Retrying {
			t.Fatalf("attempt = %+v", a)
		}
		h.clk.Advance(a.RetryIn)
	}
	for _, r := range h.requests() {
		if r.at.Sub(t0) > cfg.MaxAge {
			t.Errorf("request at +%s, after max-age", r.at.Sub(t0))
		}
	}
}

func TestWebhookNetworkErrorRetried(t *testing.T) {
	t.Parallel()
	h := MustSink(t, events.WebhookConfig{}, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			// Drop the connection without an answer.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	h.bus.Publish(agentEvent("a1", events.AgentLogin, testInstance))
	a := h.next(t)
	if a.Outcome != events.Retrying || a.Err == nil || a.StatusCode != 0 {
		t.Fatalf("attempt = %+v", a)
	}
	h.clk.Advance(a.RetryIn)
	if a := h.next(t); a.Outcome != events.Delivered {
		t.Fatalf("second attempt = %+v", a)
	}
}

func TestWebhookSignature(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t"
	h := MustSink(t, events.WebhookConfig{Secret: secret}, status(http.StatusOK))
	h.bus.Publish(MustChatStateChange(t))
	if a := h.next(t); a.Outcome != events.Delivered {
		t.Fatalf("attempt = %+v", a)
	}
	r := h.requests()[0]
	sig := r.header.Get(events.SignatureHeader)
	// Recompute as a receiver in any language would: HMAC-SHA256 over the
	// raw body, hex, "sha256=" prefix.
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(r.body)
	if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); sig != want {
		t.Errorf("signature = %q, want %q", sig, want)
	}
	if !events.VerifySignature(secret, r.body, sig) {
		t.Error("VerifySignature rejects the sink's own signature")
	}
	if events.VerifySignature("wrong", r.body, sig) || events.VerifySignature(secret, append(r.body, ' '), sig) {
		t.Error("VerifySignature accepts a wrong secret or a changed body")
	}
}

func TestWebhookCloseFinishesInFlight(t *testing.T) {
	t.Parallel()
	arrived, release := make(chan struct{}), make(chan struct{})
	h := MustSink(t, events.WebhookConfig{}, func(_ int, w http.ResponseWriter, _ *http.Request) {
		close(arrived)
		<-release
		w.WriteHeader(http.StatusOK)
	})
	h.bus.Publish(agentEvent("in-flight", events.AgentLogin, testInstance))
	h.bus.Publish(agentEvent("queued", events.AgentLogout, testInstance))
	<-arrived
	closed := make(chan error)
	go func() { closed <- h.sink.Close(context.Background()) }()
	<-h.sink.Stopping() // Close has begun while the request is in flight
	close(release)
	if err := <-closed; err != nil {
		t.Fatalf("Close = %v", err)
	}
	if st := h.sink.Stats(); st.Delivered != 1 || st.Abandoned != 1 || st.Attempts != 1 {
		t.Errorf("stats = %+v, want the in-flight event delivered and the queued one abandoned", st)
	}
}

func TestWebhookCloseDeadlineCancels(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{})
	h := MustSink(t, events.WebhookConfig{}, func(_ int, w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done() // never answers; ends when the sink cancels
	})
	h.bus.Publish(agentEvent("stuck", events.AgentLogin, testInstance))
	<-arrived
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the deadline has already passed
	if err := h.sink.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close = %v, want context.Canceled", err)
	}
	if st := h.sink.Stats(); st.Abandoned != 1 || st.Delivered != 0 {
		t.Errorf("stats = %+v", st)
	}
	if err := h.sink.Close(context.Background()); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestWebhookCloseDuringBackoff(t *testing.T) {
	t.Parallel()
	h := MustSink(t, events.WebhookConfig{}, status(http.StatusInternalServerError))
	h.bus.Publish(agentEvent("a1", events.AgentLogin, testInstance))
	if a := h.next(t); a.Outcome != events.Retrying {
		t.Fatalf("attempt = %+v", a)
	}
	// No Advance: Close must not wait for the backoff timer.
	if err := h.sink.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := h.sink.Stats(); st.Abandoned != 1 || st.Attempts != 1 {
		t.Errorf("stats = %+v", st)
	}
}

func TestWebhookConfigValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  events.WebhookConfig
		want string
	}{
		{"no url", events.WebhookConfig{}, "url is required"},
		{"ftp", events.WebhookConfig{URL: "ftp://h/x"}, `url "ftp://h/x" must start with http:// or https://`},
		{"backoff above cap", events.WebhookConfig{URL: "http://h", InitialBackoff: time.Minute, MaxBackoff: time.Second}, "backoff 1m0s is longer than max-backoff 1s"},
		{"negative attempts", events.WebhookConfig{URL: "http://h", MaxAttempts: -1}, "attempts must be at least 1, not -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.cfg.WithDefaults().Validate()
			if err == nil || err.Error() != tc.want {
				t.Errorf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
	if s := (events.WebhookConfig{URL: "https://u:p@h.example/x?token=t", Secret: "k"}).String(); s != "webhook https://h.example/x (signed)" {
		t.Errorf("String = %q leaks or mangles", s)
	}
}
