package awsapi_test

import (
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/delivery"
)

// A streamed chat's messages reach a NATS subject through the running
// server: StartContactStreaming on an endpoint ARN mapped to the subject,
// a message in the chat, the SNS-shaped notification on the subject.
func TestStreamingToNATS(t *testing.T) {
	t.Parallel()
	url := os.Getenv("SWITCHBOARD_TEST_NATS")
	if url == "" {
		t.Skip("SWITCHBOARD_TEST_NATS is not set (e.g. nats://127.0.0.1:4222); .ci/run sets it")
	}
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatalf("NATS at %s: %v", url, err)
	}
	defer nc.Close()
	subject := "switchboard.test.stream." + uuid.NewString()
	sub, err := nc.SubscribeSync(subject)
	if err != nil {
		t.Fatal(err)
	}
	e := newDeliveryCT(t, app.DeliveryConfig{NATSURL: url,
		StreamingEndpoints: map[string]delivery.Endpoint{topicA: {Kind: "nats", Subject: subject}}})
	chat := *e.chat().ContactId
	if _, err := e.Client.StartContactStreaming(e.ctx(), streamingInput(e, chat, topicA, "nats")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Chat.SendSystemMessage(e.ctx(), e.iid, chat, "text/plain", "Streamed over NATS."); err != nil {
		t.Fatal(err)
	}
	// The chat's earlier items (its start, the customer joining) may come
	// first; the message must arrive, once, with its content.
	deadline := time.Now().Add(10 * time.Second)
	for {
		msg, err := sub.NextMsg(time.Until(deadline))
		if err != nil {
			t.Fatalf("no notification with the message on %s: %v", subject, err)
		}
		n, item := streamedItem(t, hookReq{body: msg.Data})
		if item["Content"] != "Streamed over NATS." {
			continue
		}
		if n.TopicArn != topicA || item["ContactId"] != chat {
			t.Errorf("notification %+v, item %v", n, item)
		}
		return
	}
}
