package awsapi_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/delivery"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

const pinpointApp = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef0123456789abcdef"

func pushInput(e *ctEnv, contactID, device, token string) *connect.CreatePushNotificationRegistrationInput {
	return &connect.CreatePushNotificationRegistrationInput{InstanceId: aws.String(e.iid), PinpointAppArn: aws.String(pinpointApp),
		DeviceToken: aws.String(device), DeviceType: types.DeviceTypeApns, ClientToken: aws.String(token),
		ContactConfiguration: &types.ContactConfiguration{ContactId: aws.String(contactID), ParticipantRole: types.ParticipantRoleCustomer}}
}

// pushed is the part of a push notification the tests read.
type pushed struct {
	RegistrationID  string          `json:"registrationId"`
	PinpointAppARN  string          `json:"pinpointAppArn"`
	DeviceType      string          `json:"deviceType"`
	DeviceToken     string          `json:"deviceToken"`
	ContactID       string          `json:"contactId"`
	MessageID       string          `json:"messageId"`
	Type            string          `json:"type"`
	ParticipantRole string          `json:"participantRole"`
	Body            string          `json:"body"`
	RawMessage      json.RawMessage `json:"rawMessage"`
}

func nextPush(t *testing.T, h *hook, secret string) pushed {
	t.Helper()
	r := h.next(t)
	ts, _ := strconv.ParseInt(r.header.Get(delivery.TimestampHeader), 10, 64)
	if got, want := r.header.Get(delivery.SignatureHeader), delivery.Sign([]byte(secret), ts, r.body); got != want {
		t.Errorf("signature %q, want %q", got, want)
	}
	var p pushed
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("push %s: %v", r.body, err)
	}
	return p
}

func TestPushNotificationRegistration(t *testing.T) {
	t.Parallel()
	h := newHook(t, 0)
	e := newDeliveryCT(t, app.DeliveryConfig{PushWebhook: h.URL, PushSecret: []byte("push-secret")})
	chat := *e.chat().ContactId
	reg, err := e.Client.CreatePushNotificationRegistration(e.ctx(), pushInput(e, chat, "device-1", "t1"))
	if err != nil || aws.ToString(reg.RegistrationId) == "" {
		t.Fatalf("create: %v %v", reg, err)
	}
	id := *reg.RegistrationId
	again, err := e.Client.CreatePushNotificationRegistration(e.ctx(), pushInput(e, chat, "device-1", "t1"))
	if err != nil || *again.RegistrationId != id {
		t.Errorf("same ClientToken: %v %v, want %s", again, err, id)
	}
	same, err := e.Client.CreatePushNotificationRegistration(e.ctx(), pushInput(e, chat, "device-1", "t2"))
	if err != nil || *same.RegistrationId != id {
		t.Errorf("same device, new token: %v %v, want the registration it has", same, err)
	}
	_, err = e.Raw.CreatePushNotificationRegistration(e.ctx(), pushInput(e, chat, "device-2", "t1"))
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "ClientToken")

	// A message to the customer is pushed, signed; the customer's own is
	// not (it would have come first: one registration's pushes keep
	// their order).
	if _, err := e.App.Chat.ReceiveCustomerMessage(e.ctx(), e.iid, chat, "text/plain", "I'm here"); err != nil {
		t.Fatal(err)
	}
	msg, err := e.App.Chat.SendSystemMessage(e.ctx(), e.iid, chat, "text/plain", "An agent will be with you shortly")
	if err != nil {
		t.Fatal(err)
	}
	p := nextPush(t, h, "push-secret")
	if p.RegistrationID != id || p.DeviceToken != "device-1" || p.DeviceType != "APNS" || p.PinpointAppARN != pinpointApp ||
		p.ContactID != chat || p.MessageID != msg.Id || p.Type != "MESSAGE" || p.ParticipantRole != "SYSTEM" ||
		p.Body != "An agent will be with you shortly" || p.RawMessage != nil {
		t.Errorf("push %+v", p)
	}

	// A second device asks for the raw message too; both are told.
	in := pushInput(e, chat, "device-2", "t3")
	in.DeviceType = types.DeviceTypeGcm
	in.ContactConfiguration.IncludeRawMessage = true
	in.ContactConfiguration.ParticipantRole = ""
	reg2, err := e.Client.CreatePushNotificationRegistration(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Chat.SendSystemMessage(e.ctx(), e.iid, chat, "text/plain", "Still there?"); err != nil {
		t.Fatal(err)
	}
	got := map[string]pushed{}
	for range 2 {
		p := nextPush(t, h, "push-secret")
		got[p.DeviceToken] = p
	}
	var raw struct{ Content, Type string }
	if err := json.Unmarshal(got["device-2"].RawMessage, &raw); err != nil || raw.Content != "Still there?" || raw.Type != "MESSAGE" ||
		got["device-2"].DeviceType != "GCM" || got["device-2"].RegistrationID != *reg2.RegistrationId {
		t.Errorf("raw push %+v (%v)", got["device-2"], err)
	}
	if got["device-1"].Body != "Still there?" {
		t.Errorf("first device: %+v", got["device-1"])
	}

	// Deleting stops the pushes to that device.
	del := func(reg, contact string) error {
		_, err := e.Raw.DeletePushNotificationRegistration(e.ctx(), &connect.DeletePushNotificationRegistrationInput{
			InstanceId: aws.String(e.iid), RegistrationId: aws.String(reg), ContactId: aws.String(contact)})
		return err
	}
	if err := del(id, chat); err != nil {
		t.Fatal(err)
	}
	ctContains(t, sbtest.APIError(t, del(id, chat), "ResourceNotFoundException", 404), "RegistrationId")
	ctContains(t, sbtest.APIError(t, del(*reg2.RegistrationId, e.task("t")), "ResourceNotFoundException", 404), "RegistrationId")
	sbtest.APIError(t, del(*reg2.RegistrationId, "00000000-0000-0000-0000-000000000000"), "ResourceNotFoundException", 404)
	_, err = e.Raw.DeletePushNotificationRegistration(e.ctx(), &connect.DeletePushNotificationRegistrationInput{
		InstanceId: aws.String(e.iid), RegistrationId: aws.String(id)})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "ContactId")
	if _, err := e.App.Chat.SendSystemMessage(e.ctx(), e.iid, chat, "text/plain", "Bye"); err != nil {
		t.Fatal(err)
	}
	if p := nextPush(t, h, "push-secret"); p.DeviceToken != "device-2" || p.Body != "Bye" {
		t.Errorf("after the delete: %+v", p)
	}

	// At most MaxPushRegistrationsPerContact devices per chat: device-2
	// and nine more.
	for i := 3; i <= 11; i++ {
		if _, err := e.Client.CreatePushNotificationRegistration(e.ctx(), pushInput(e, chat, "device-"+strconv.Itoa(i), "q"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.Raw.CreatePushNotificationRegistration(e.ctx(), pushInput(e, chat, "device-12", "q12"))
	ctContains(t, sbtest.APIError(t, err, "ServiceQuotaExceededException", 402), "DeletePushNotificationRegistration")

	e.stop(chat)
	_, err = e.Raw.CreatePushNotificationRegistration(e.ctx(), pushInput(e, chat, "device-13", "q13"))
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "ended")
}

func TestPushNotificationRegistrationRules(t *testing.T) {
	t.Parallel()
	e := newDeliveryCT(t, app.DeliveryConfig{})
	chat := *e.chat().ContactId
	for _, tc := range []struct {
		name   string
		mod    func(*connect.CreatePushNotificationRegistrationInput)
		exc    string
		status int
		says   string
	}{
		{"not a Pinpoint app", func(in *connect.CreatePushNotificationRegistrationInput) {
			in.PinpointAppArn = aws.String("arn:aws:sns:us-east-1:123456789012:topic")
		}, "InvalidParameterException", 400, "End User Messaging"},
		{"agent role", func(in *connect.CreatePushNotificationRegistrationInput) {
			in.ContactConfiguration.ParticipantRole = types.ParticipantRoleAgent
		}, "InvalidParameterException", 400, "CUSTOMER"},
		{"unknown role", func(in *connect.CreatePushNotificationRegistrationInput) {
			in.ContactConfiguration.ParticipantRole = "VISITOR"
		}, "InvalidParameterException", 400, "ParticipantRole"},
		{"unknown device type", func(in *connect.CreatePushNotificationRegistrationInput) { in.DeviceType = "WINDOWS" },
			"InvalidParameterException", 400, "DeviceType"},
		{"no device token", func(in *connect.CreatePushNotificationRegistrationInput) { in.DeviceToken = nil },
			"InvalidParameterException", 400, "DeviceToken"},
		{"empty device token", func(in *connect.CreatePushNotificationRegistrationInput) { in.DeviceToken = aws.String("") },
			"InvalidParameterException", 400, "DeviceToken"},
		{"long device token", func(in *connect.CreatePushNotificationRegistrationInput) {
			in.DeviceToken = aws.String(strings.Repeat("a", 501))
		},
			"InvalidParameterException", 400, "DeviceToken"},
		{"no contact configuration", func(in *connect.CreatePushNotificationRegistrationInput) { in.ContactConfiguration = nil },
			"InvalidParameterException", 400, "ContactConfiguration"},
		{"no contact", func(in *connect.CreatePushNotificationRegistrationInput) { in.ContactConfiguration.ContactId = nil },
			"InvalidParameterException", 400, "ContactId"},
		{"unknown contact", func(in *connect.CreatePushNotificationRegistrationInput) {
			in.ContactConfiguration.ContactId = aws.String("00000000-0000-0000-0000-000000000000")
		}, "ResourceNotFoundException", 404, "Contact"},
		{"a task", func(in *connect.CreatePushNotificationRegistrationInput) {
			in.ContactConfiguration.ContactId = aws.String(e.task("t"))
		}, "InvalidParameterException", 400, "only chat contacts"},
		{"unknown instance", func(in *connect.CreatePushNotificationRegistrationInput) {
			in.InstanceId = aws.String("00000000-0000-0000-0000-000000000000")
		}, "ResourceNotFoundException", 404, "instance"},
	} {
		in := pushInput(e, chat, "device", "x-"+tc.name)
		tc.mod(in)
		_, err := e.Raw.CreatePushNotificationRegistration(e.ctx(), in)
		ctContains(t, sbtest.APIError(t, err, tc.exc, tc.status), tc.says)
	}
	// Without --push-webhook a registration is still kept (the messages
	// are logged and dropped, as texts are without --sms-webhook).
	if _, err := e.Client.CreatePushNotificationRegistration(e.ctx(), pushInput(e, chat, "device", "ok")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Chat.SendSystemMessage(e.ctx(), e.iid, chat, "text/plain", "Hello"); err != nil {
		t.Fatal(err)
	}
	e.App.Delivery().WaitIdle()
}

// A registration is stored with the chat: after a restart the chat's next
// message is still pushed.
func TestPushNotificationRegistrationSurvivesRestart(t *testing.T) {
	t.Parallel()
	h := newHook(t, 0)
	dir := t.TempDir()
	dc := app.DeliveryConfig{PushWebhook: h.URL, PushSecret: []byte("s")}
	e := newDeliveryCT(t, dc, dir)
	chat := *e.chat().ContactId
	if _, err := e.Client.CreatePushNotificationRegistration(e.ctx(), pushInput(e, chat, "device", "t")); err != nil {
		t.Fatal(err)
	}
	e.Close()
	e2 := sbtest.New(t, sbtest.Options{DataDir: dir, Delivery: dc})
	if _, err := e2.App.Chat.SendSystemMessage(sbtest.Ctx(t), e.iid, chat, "text/plain", "Are you still there?"); err != nil {
		t.Fatal(err)
	}
	if p := nextPush(t, h, "s"); p.DeviceToken != "device" || p.Body != "Are you still there?" {
		t.Errorf("after restart: %+v", p)
	}
}
