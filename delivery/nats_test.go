package delivery

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/switchboard-cc/switchboard/domain"
)

// natsURL is the test NATS server (JetStream enabled); tests skip without
// one.
func natsURL(t *testing.T) string {
	u := os.Getenv("SWITCHBOARD_TEST_NATS")
	if u == "" {
		t.Skip("SWITCHBOARD_TEST_NATS is not set (e.g. nats://127.0.0.1:4222)")
	}
	return u
}

func notification(t *testing.T) domain.OutboxRow {
	t.Helper()
	row, err := domain.StreamRow("i", "c", "s", domain.StreamNotification{MessageID: uuid.NewString(),
		EndpointARN: "arn:aws:sns:us-east-1:123456789012:t", At: time.Now(), Item: []byte(`{"Content":"hi"}`)})
	if err != nil {
		t.Fatal(err)
	}
	return row
}

func TestNATSSinkCorePublish(t *testing.T) {
	url := natsURL(t)
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	subject := "switchboard.test.core." + uuid.NewString()
	sub, err := nc.SubscribeSync(subject)
	if err != nil {
		t.Fatal(err)
	}
	conn := &NATSConn{URL: url}
	defer conn.Close()
	row := notification(t)
	if err := (&NATSSink{Conn: conn, Subject: subject}).Send(context.Background(), row); err != nil {
		t.Fatal(err)
	}
	msg, err := sub.NextMsg(5 * time.Second)
	if err != nil || string(msg.Data) != string(row.Data) {
		t.Fatalf("got %v %v", msg, err)
	}
}

func TestNATSSinkJetStreamDeduplicates(t *testing.T) {
	url := natsURL(t)
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := nc.JetStream()
	if err != nil {
		t.Fatal(err)
	}
	name := "SBTEST_" + uuid.NewString()[:8]
	subject := "switchboard.test.js." + name
	if _, err := js.AddStream(&nats.StreamConfig{Name: name, Subjects: []string{subject}, Storage: nats.MemoryStorage, Duplicates: time.Minute}); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = js.DeleteStream(name) }()
	conn := &NATSConn{URL: url}
	defer conn.Close()
	sink := &NATSSink{Conn: conn, Subject: subject}
	row := notification(t)
	// At-least-once redelivery of the same row is stored once.
	for range 2 {
		if err := sink.Send(context.Background(), row); err != nil {
			t.Fatal(err)
		}
	}
	info, err := js.StreamInfo(name)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 {
		t.Errorf("%d messages stored, want 1 (Nats-Msg-Id deduplication)", info.State.Msgs)
	}
}
