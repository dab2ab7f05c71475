package awsapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/delivery"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// newDeliveryCT is newCT with delivery sinks.
func newDeliveryCT(t *testing.T, dc app.DeliveryConfig, dataDir ...string) *ctEnv {
	t.Helper()
	o := sbtest.Options{Delivery: dc}
	if len(dataDir) > 0 {
		o.DataDir = dataDir[0]
	}
	env := sbtest.New(t, o)
	iid := env.Instance(t)
	e := &ctEnv{Env: env, t: t, iid: iid}
	e.flow = resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)
	return e
}

// hook is an HTTP receiver: it answers 500 to the first failures requests
// and hands every body it accepts to got.
type hook struct {
	*httptest.Server
	failures atomic.Int32
	attempts atomic.Int32
	got      chan hookReq
}

type hookReq struct {
	header http.Header
	body   []byte
}

func newHook(t *testing.T, failures int) *hook {
	h := &hook{got: make(chan hookReq, 100)}
	h.failures.Store(int32(failures))
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.attempts.Add(1)
		if h.failures.Add(-1) >= 0 {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		h.got <- hookReq{header: r.Header.Clone(), body: body}
	}))
	t.Cleanup(h.Close)
	return h
}

// next waits for the next accepted request.
func (h *hook) next(t *testing.T) hookReq {
	t.Helper()
	select {
	case r := <-h.got:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery within 10 s")
		return hookReq{}
	}
}

// snsNote is the part of an SNS notification the tests read.
type snsNote struct {
	Type, MessageId, TopicArn, Message, Timestamp string
	MessageAttributes                             map[string]struct{ Type, Value string }
}

// streamedItem decodes a notification and its Message (the chat item).
func streamedItem(t *testing.T, r hookReq) (snsNote, map[string]any) {
	t.Helper()
	var n snsNote
	if err := json.Unmarshal(r.body, &n); err != nil {
		t.Fatalf("notification %s: %v", r.body, err)
	}
	var item map[string]any
	if err := json.Unmarshal([]byte(n.Message), &item); err != nil {
		t.Fatalf("Message %q is not a JSON item: %v", n.Message, err)
	}
	return n, item
}

const (
	topicA = "arn:aws:sns:us-east-1:123456789012:chat-a"
	topicB = "arn:aws:sns:us-east-1:123456789012:chat-b"
	topicC = "arn:aws:sns:us-east-1:123456789012:chat-c"
)

func streamingInput(e *ctEnv, contactID, arn, token string) *connect.StartContactStreamingInput {
	return &connect.StartContactStreamingInput{InstanceId: aws.String(e.iid), ContactId: aws.String(contactID),
		ChatStreamingConfiguration: &types.ChatStreamingConfiguration{StreamingEndpointArn: aws.String(arn)}, ClientToken: aws.String(token)}
}

func TestStartContactStreamingRules(t *testing.T) {
	t.Parallel()
	h := newHook(t, 0)
	eps := map[string]delivery.Endpoint{}
	for _, arn := range []string{topicA, topicB, topicC, topicA + ".fifo"} {
		eps[arn] = delivery.Endpoint{Kind: "webhook", URL: h.URL}
	}
	e := newDeliveryCT(t, app.DeliveryConfig{StreamingEndpoints: eps})
	chat := *e.chat().ContactId
	start := func(arn, token string) (*connect.StartContactStreamingOutput, error) {
		return e.Raw.StartContactStreaming(e.ctx(), streamingInput(e, chat, arn, token))
	}
	a, err := start(topicA, "t1")
	if err != nil || aws.ToString(a.StreamingId) == "" {
		t.Fatalf("start: %v %v", a, err)
	}
	again, err := start(topicA, "t1")
	if err != nil || *again.StreamingId != *a.StreamingId {
		t.Errorf("same ClientToken: %v %v, want the same StreamingId", again, err)
	}
	same, err := start(topicA, "t2")
	if err != nil || *same.StreamingId != *a.StreamingId {
		t.Errorf("same endpoint, new token: %v %v, want the active stream's StreamingId", same, err)
	}
	_, err = start(topicB, "t1")
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "ClientToken")
	b, err := start(topicB, "t3")
	if err != nil {
		t.Fatal(err)
	}
	_, err = start(topicC, "t4")
	ctContains(t, sbtest.APIError(t, err, "LimitExceededException", 429), "StopContactStreaming")

	// Stopping one frees a place; stopping it again is fine.
	stop := func(id string) error {
		_, err := e.Raw.StopContactStreaming(e.ctx(), &connect.StopContactStreamingInput{InstanceId: aws.String(e.iid), ContactId: aws.String(chat), StreamingId: aws.String(id)})
		return err
	}
	if err := stop(*b.StreamingId); err != nil {
		t.Fatal(err)
	}
	if err := stop(*b.StreamingId); err != nil {
		t.Errorf("second stop: %v", err)
	}
	if _, err := start(topicC, "t5"); err != nil {
		t.Errorf("after a stop: %v", err)
	}
	ctContains(t, sbtest.APIError(t, stop("nope"), "ResourceNotFoundException", 404), "StreamingId")

	for _, tc := range []struct {
		name, contact, arn, exc string
		status                  int
		says                    string
	}{
		{"unconfigured", chat, "arn:aws:sns:us-east-1:123456789012:other", "ResourceNotFoundException", 404, "--streaming-endpoint"},
		{"fifo", chat, topicA + ".fifo", "InvalidParameterException", 400, "FIFO"},
		{"not an SNS ARN", chat, "arn:aws:sqs:us-east-1:123456789012:q", "InvalidParameterException", 400, "SNS topic ARN"},
		{"unknown contact", "00000000-0000-0000-0000-000000000000", topicA, "ResourceNotFoundException", 404, "Contact"},
		{"task", e.task("t"), topicA, "InvalidRequestException", 400, "only chat"},
	} {
		_, err := e.Raw.StartContactStreaming(e.ctx(), streamingInput(e, tc.contact, tc.arn, "x-"+tc.name))
		ctContains(t, sbtest.APIError(t, err, tc.exc, tc.status), tc.says)
	}
	// The model requires ClientToken here (the SDK fills idempotency
	// tokens, so the raw request is sent by hand without one).
	in := streamingInput(e, chat, topicA, "")
	in.ClientToken = nil
	_, err = e.Raw.StartContactStreaming(e.ctx(), in, func(o *connect.Options) { o.IdempotencyTokenProvider = emptyToken{} })
	sbtest.APIError(t, err, "InvalidParameterException", 400)

	e.stop(chat)
	_, err = start(topicB, "t9")
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "ended")
}

// emptyToken makes the SDK send no ClientToken.
type emptyToken struct{}

func (emptyToken) GetIdempotencyToken() (string, error) { return "", nil }

func TestContactStreamingPublishes(t *testing.T) {
	t.Parallel()
	h := newHook(t, 0)
	e := newDeliveryCT(t, app.DeliveryConfig{StreamingEndpoints: map[string]delivery.Endpoint{topicA: {Kind: "webhook", URL: h.URL}}})
	chat := *e.chat().ContactId
	if _, err := e.Client.StartContactStreaming(e.ctx(), streamingInput(e, chat, topicA, "t")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Chat.SendSystemMessage(e.ctx(), e.iid, chat, "text/plain", "Hello from the flow"); err != nil {
		t.Fatal(err)
	}
	r := h.next(t)
	if r.header.Get("x-amz-sns-message-type") != "Notification" || r.header.Get("x-amz-sns-topic-arn") != topicA {
		t.Errorf("SNS headers %v", r.header)
	}
	n, item := streamedItem(t, r)
	if n.Type != "Notification" || n.TopicArn != topicA || n.MessageId == "" || n.Timestamp == "" {
		t.Errorf("notification %+v", n)
	}
	if item["Content"] != "Hello from the flow" || item["Type"] != "MESSAGE" || item["ContactId"] != chat || item["InitialContactId"] != chat ||
		item["ParticipantRole"] != "SYSTEM" || item["ContentType"] != "text/plain" || item["Id"] == "" || item["AbsoluteTime"] == "" {
		t.Errorf("item %v", item)
	}
	want := map[string]string{"InitialContactId": chat, "ContactId": chat, "ParticipantRole": "SYSTEM", "InstanceId": e.iid,
		"AccountId": sbtest.AccountID, "Type": "MESSAGE", "ContentType": "text/plain", "MessageVisibility": "ALL"}
	for k, v := range want {
		if a := n.MessageAttributes[k]; a.Type != "String" || a.Value != v {
			t.Errorf("attribute %s = %+v, want String %q", k, a, v)
		}
	}
	// The chat ending is published last; then the stream stops.
	e.stop(chat)
	_, item = streamedItem(t, h.next(t))
	if item["ContentType"] != "application/vnd.amazonaws.connect.event.chat.ended" {
		t.Errorf("last item %v, want chat.ended", item)
	}
	e.App.Delivery().WaitIdle()
	select {
	case r := <-h.got:
		t.Errorf("published after the chat ended: %s", r.body)
	default:
	}
}

func TestContactStreamingRetriesInOrder(t *testing.T) {
	t.Parallel()
	h := newHook(t, 2)
	e := newDeliveryCT(t, app.DeliveryConfig{StreamingEndpoints: map[string]delivery.Endpoint{topicA: {Kind: "webhook", URL: h.URL}}})
	chat := *e.chat().ContactId
	if _, err := e.Client.StartContactStreaming(e.ctx(), streamingInput(e, chat, topicA, "t")); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"one", "two"} {
		if _, err := e.App.Chat.SendSystemMessage(e.ctx(), e.iid, chat, "text/plain", m); err != nil {
			t.Fatal(err)
		}
	}
	// First attempt fails: the retry waits 1 s, then 2 s, of virtual time.
	e.App.Delivery().WaitIdle()
	if n := h.attempts.Load(); n != 1 {
		t.Fatalf("%d attempts before the backoff, want 1", n)
	}
	e.Clock.Advance(time.Second)
	waitAttempts(t, e, h, 2)
	e.Clock.Advance(1999 * time.Millisecond)
	e.App.Delivery().WaitIdle()
	if n := h.attempts.Load(); n != 2 {
		t.Fatalf("%d attempts before the second backoff ran out, want 2", n)
	}
	e.Clock.Advance(time.Millisecond)
	for _, want := range []string{"one", "two"} {
		_, item := streamedItem(t, h.next(t))
		if item["Content"] != want {
			t.Errorf("got %v, want %q (order kept)", item["Content"], want)
		}
	}
}

func waitAttempts(t *testing.T, e *ctEnv, h *hook, n int32) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.attempts.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d attempts, want %d", h.attempts.Load(), n)
		}
		e.App.Delivery().WaitIdle()
	}
}

func TestContactStreamingSurvivesRestart(t *testing.T) {
	t.Parallel()
	down := newHook(t, 1<<30)
	dir := t.TempDir()
	eps := func(url string) app.DeliveryConfig {
		return app.DeliveryConfig{StreamingEndpoints: map[string]delivery.Endpoint{topicA: {Kind: "webhook", URL: url}}}
	}
	e := newDeliveryCT(t, eps(down.URL), dir)
	chat := *e.chat().ContactId
	if _, err := e.Client.StartContactStreaming(e.ctx(), streamingInput(e, chat, topicA, "t")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Chat.SendSystemMessage(e.ctx(), e.iid, chat, "text/plain", "kept"); err != nil {
		t.Fatal(err)
	}
	e.App.Delivery().WaitIdle()
	e.Close()

	// The failed attempt's retry is 1 s later; the new server's clock
	// starts where the old one did.
	up := newHook(t, 0)
	e2 := sbtest.New(t, sbtest.Options{DataDir: dir, Delivery: eps(up.URL)})
	e2.App.Delivery().WaitIdle()
	e2.Clock.Advance(time.Second)
	_, item := streamedItem(t, up.next(t))
	if item["Content"] != "kept" || item["ContactId"] != chat {
		t.Errorf("after restart: %v", item)
	}
}
