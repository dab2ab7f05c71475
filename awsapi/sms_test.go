package awsapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/delivery"
	"github.com/switchboard-cc/switchboard/domain"
)

var smsSecret = []byte("sms-test-secret")

// postSMS posts an inbound text, signed at ts with secret.
func postSMS(t *testing.T, e *ctEnv, secret []byte, ts int64, body string) (int, map[string]string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.URL+delivery.SMSInboundPath, strings.NewReader(body))
	req.Header.Set(delivery.TimestampHeader, strconv.FormatInt(ts, 10))
	req.Header.Set(delivery.SignatureHeader, delivery.Sign(secret, ts, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestSMSRoundTrip(t *testing.T) {
	t.Parallel()
	texts := newHook(t, 0)
	stream := newHook(t, 0)
	e := newDeliveryCT(t, app.DeliveryConfig{SMSWebhook: texts.URL, SMSSecret: smsSecret,
		StreamingEndpoints: map[string]delivery.Endpoint{topicA: {Kind: "webhook", URL: stream.URL}}})
	src := e.phoneNumber("+12065550100")
	in := e.outboundInput(src)
	in.InitialSystemMessage = &types.ChatMessage{ContentType: aws.String("text/plain"), Content: aws.String("Your order shipped. Questions? Reply here.")}
	out, err := e.Client.StartOutboundChatContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	chat := *out.ContactId

	// The first text is the InitialSystemMessage, signed.
	r := texts.next(t)
	var sms domain.OutboundSMS
	if err := json.Unmarshal(r.body, &sms); err != nil {
		t.Fatal(err)
	}
	if sms.From != "+12065550100" || sms.To != "+14155550100" || sms.Body != "Your order shipped. Questions? Reply here." || sms.ContactID != chat || sms.MessageID == "" {
		t.Errorf("text %+v", sms)
	}
	ts, _ := strconv.ParseInt(r.header.Get(delivery.TimestampHeader), 10, 64)
	if r.header.Get(delivery.SignatureHeader) != delivery.Sign(smsSecret, ts, r.body) {
		t.Errorf("outgoing text not signed with the shared secret")
	}
	if _, err := e.Client.StartContactStreaming(e.ctx(), streamingInput(e, chat, topicA, "s")); err != nil {
		t.Fatal(err)
	}

	// The customer answers by SMS: a CUSTOMER message of the chat, not
	// texted back.
	now := e.Clock.Now().Unix()
	status, res := postSMS(t, e, smsSecret, now, `{"from":"+14155550100","to":"+12065550100","body":"When does it arrive?"}`)
	if status != 200 || res["contactId"] != chat || res["messageId"] == "" {
		t.Fatalf("inbound: %d %v", status, res)
	}
	_, item := streamedItem(t, stream.next(t))
	if item["ParticipantRole"] != "CUSTOMER" || item["Content"] != "When does it arrive?" || item["Id"] != res["messageId"] {
		t.Errorf("streamed %v", item)
	}
	// The agent's (here the flow's) answer goes out as a text.
	if _, err := e.App.Chat.SendSystemMessage(e.ctx(), e.iid, chat, "text/plain", "Tomorrow."); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(texts.next(t).body, &sms); err != nil || sms.Body != "Tomorrow." {
		t.Errorf("second text %+v %v", sms, err)
	}

	for _, tc := range []struct {
		name   string
		secret []byte
		ts     int64
		body   string
		status int
	}{
		{"wrong secret", []byte("guess"), now, `{"from":"+14155550100","to":"+12065550100","body":"x"}`, 401},
		{"replayed later", smsSecret, now - 600, `{"from":"+14155550100","to":"+12065550100","body":"x"}`, 401},
		{"no open chat", smsSecret, now, `{"from":"+14155550199","to":"+12065550100","body":"x"}`, 404},
		{"too long", smsSecret, now, `{"from":"+14155550100","to":"+12065550100","body":"` + strings.Repeat("x", 1025) + `"}`, 400},
		{"not JSON", smsSecret, now, `from=+1`, 400},
	} {
		if status, res := postSMS(t, e, tc.secret, tc.ts, tc.body); status != tc.status {
			t.Errorf("%s: %d %v, want %d", tc.name, status, res, tc.status)
		}
	}
	e.stop(chat)
	if status, _ := postSMS(t, e, smsSecret, now, `{"from":"+14155550100","to":"+12065550100","body":"hello?"}`); status != 404 {
		t.Errorf("after the chat ended: %d, want 404", status)
	}
	e.App.Delivery().WaitIdle()
	select {
	case r := <-texts.got:
		t.Errorf("unexpected text %s", r.body)
	default:
	}
}

func TestSMSInboundNeedsSecret(t *testing.T) {
	t.Parallel()
	e := newDeliveryCT(t, app.DeliveryConfig{})
	resp, err := http.Post(e.URL+delivery.SMSInboundPath, "application/json", bytes.NewReader([]byte(`{}`)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("status %d, want 403 without SWITCHBOARD_SMS_SECRET", resp.StatusCode)
	}
}
