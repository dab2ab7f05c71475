package delivery

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
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// StreamingSpecHelp documents --streaming-endpoint.
const StreamingSpecHelp = "`ARN=webhook:URL` or `ARN=nats:SUBJECT`: chats streamed (StartContactStreaming) to the SNS topic ARN are published to the HTTP(S) URL as SNS Notification POSTs, or to the NATS subject (JetStream when a stream captures it) (repeatable)"

// Endpoint is where a streaming endpoint ARN is published.
type Endpoint struct {
	// Kind is "webhook" or "nats".
	Kind string
	// URL (webhook) or Subject (nats).
	URL, Subject string
}

// ParseEndpointSpec parses "ARN=webhook:URL" or "ARN=nats:SUBJECT".
func ParseEndpointSpec(spec string) (string, Endpoint, error) {
	arn, target, ok := strings.Cut(spec, "=")
	if !ok || !strings.HasPrefix(arn, "arn:") {
		return "", Endpoint{}, fmt.Errorf("want ARN=webhook:URL or ARN=nats:SUBJECT, e.g. arn:aws:sns:us-east-1:000000000000:chat=webhook:https://example.com/sns")
	}
	kind, rest, _ := strings.Cut(target, ":")
	switch kind {
	case "webhook":
		if !strings.HasPrefix(rest, "http://") && !strings.HasPrefix(rest, "https://") {
			return "", Endpoint{}, fmt.Errorf("%s: webhook needs an http(s):// URL", arn)
		}
		return arn, Endpoint{Kind: kind, URL: rest}, nil
	case "nats":
		if rest == "" || strings.ContainsAny(rest, " \t*>") {
			return "", Endpoint{}, fmt.Errorf("%s: nats needs a subject without spaces or wildcards", arn)
		}
		return arn, Endpoint{Kind: kind, Subject: rest}, nil
	}
	return "", Endpoint{}, fmt.Errorf("%s: target %q must start with webhook: or nats:", arn, target)
}

// httpError is a non-2xx answer.
type httpError struct {
	status int
	body   string
}

func (e *httpError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.body) }

func post(ctx context.Context, client *http.Client, url string, body []byte, header http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return &httpError{status: resp.StatusCode, body: strings.TrimSpace(string(msg))}
	}
	return nil
}

// SNSWebhook posts stream notifications as SNS does to an HTTP(S)
// subscription: the Notification JSON as the body, with SNS's headers.
type SNSWebhook struct {
	URL    string
	Client *http.Client
}

// Send implements Sink.
func (s *SNSWebhook) Send(ctx context.Context, row domain.OutboxRow) error {
	var n struct{ MessageId, TopicArn string }
	_ = json.Unmarshal(row.Data, &n)
	h := http.Header{}
	h.Set("Content-Type", "text/plain; charset=UTF-8")
	h.Set("x-amz-sns-message-type", "Notification")
	h.Set("x-amz-sns-message-id", n.MessageId)
	h.Set("x-amz-sns-topic-arn", n.TopicArn)
	return post(ctx, s.Client, s.URL, row.Data, h)
}

// NATSSink publishes stream notifications to a subject. When a JetStream
// stream captures the subject the publish waits for its acknowledgement
// (the message is stored) and carries Nats-Msg-Id so JetStream drops a
// redelivery; otherwise it is a core publish flushed to the server (which
// reaches only subscribers connected at that moment).
type NATSSink struct {
	Conn    *NATSConn
	Subject string
}

// Send implements Sink.
func (s *NATSSink) Send(ctx context.Context, row domain.OutboxRow) error {
	if _, ok := ctx.Deadline(); !ok {
		// Flush and JetStream acknowledgements need a bound.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
	}
	nc, js, err := s.Conn.get()
	if err != nil {
		return err
	}
	var n struct{ MessageId string }
	_ = json.Unmarshal(row.Data, &n)
	msg := nats.NewMsg(s.Subject)
	msg.Data = row.Data
	msg.Header.Set(nats.MsgIdHdr, n.MessageId)
	stream, err := s.Conn.streamOf(js, s.Subject)
	if err != nil {
		return err
	}
	if stream {
		_, err = js.PublishMsg(msg, nats.Context(ctx))
		return err
	}
	if err := nc.PublishMsg(msg); err != nil {
		return err
	}
	return nc.FlushWithContext(ctx)
}

// streamOf reports whether a JetStream stream captures subject. The answer
// is kept for a minute: asking per message would double the round trips,
// and a JetStream publish to a subject without a stream but with core
// subscribers never gets its acknowledgement.
func (c *NATSConn) streamOf(js nats.JetStreamContext, subject string) (bool, error) {
	c.mu.Lock()
	e, ok := c.streams[subject]
	c.mu.Unlock()
	if ok && time.Since(e.at) < time.Minute {
		return e.stream, nil
	}
	_, err := js.StreamNameBySubject(subject)
	stream := err == nil
	if err != nil && !errors.Is(err, nats.ErrNoMatchingStream) && !errors.Is(err, nats.ErrJetStreamNotEnabled) {
		return false, err
	}
	c.mu.Lock()
	if c.streams == nil {
		c.streams = map[string]streamEntry{}
	}
	c.streams[subject] = streamEntry{stream: stream, at: time.Now()}
	c.mu.Unlock()
	return stream, nil
}

type streamEntry struct {
	stream bool
	at     time.Time
}

// NATSConn is a lazily opened, shared NATS connection (the server starts
// even when NATS is down; deliveries retry until it is up).
type NATSConn struct {
	URL string

	mu      sync.Mutex
	nc      *nats.Conn
	js      nats.JetStreamContext
	streams map[string]streamEntry
}

func (c *NATSConn) get() (*nats.Conn, nats.JetStreamContext, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nc != nil && !c.nc.IsClosed() {
		return c.nc, c.js, nil
	}
	nc, err := nats.Connect(c.URL, nats.Name("switchboard"), nats.Timeout(5*time.Second))
	if err != nil {
		return nil, nil, fmt.Errorf("connect to NATS at %s: %w", c.URL, err)
	}
	js, err := nc.JetStream()
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	c.nc, c.js = nc, js
	return nc, js, nil
}

// Close closes the connection.
func (c *NATSConn) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nc != nil {
		c.nc.Close()
		c.nc = nil
	}
}

// Signature headers of the SMS webhooks, both ways, and of the push
// webhook: the HMAC-SHA256, keyed
// with the shared secret, of "<timestamp>.<body>" in lowercase hex as
// "sha256=<hex>", and the Unix timestamp (seconds) it covers.
const (
	SignatureHeader = "X-Switchboard-Signature"
	TimestampHeader = "X-Switchboard-Timestamp"
)

// Sign returns the SignatureHeader value for body at ts.
func Sign(secret []byte, ts int64, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// JSONWebhook posts each row's JSON as it is, signed when a secret is set:
// outgoing texts ({from, to, body, contactId, messageId}) and push
// notifications (domain.PushNotification).
type JSONWebhook struct {
	URL    string
	Secret []byte
	Client *http.Client
	Clock  clock.Clock
}

// Send implements Sink.
func (s *JSONWebhook) Send(ctx context.Context, row domain.OutboxRow) error {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	if len(s.Secret) > 0 {
		ts := s.Clock.Now().Unix()
		h.Set(TimestampHeader, strconv.FormatInt(ts, 10))
		h.Set(SignatureHeader, Sign(s.Secret, ts, row.Data))
	}
	return post(ctx, s.Client, s.URL, row.Data, h)
}
