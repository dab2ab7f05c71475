package awsapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// associate and disassociate call the operations with the given client
// (Raw skips the SDK's own validation).
func associateFlow(c *connect.Client, e *ctEnv, phone, iid, flow string) error {
	in := &connect.AssociatePhoneNumberContactFlowInput{}
	if phone != "" {
		in.PhoneNumberId = aws.String(phone)
	}
	if iid != "" {
		in.InstanceId = aws.String(iid)
	}
	if flow != "" {
		in.ContactFlowId = aws.String(flow)
	}
	_, err := c.AssociatePhoneNumberContactFlow(e.ctx(), in)
	return err
}

func disassociateFlow(c *connect.Client, e *ctEnv, phone, iid string) error {
	in := &connect.DisassociatePhoneNumberContactFlowInput{}
	if phone != "" {
		in.PhoneNumberId = aws.String(phone)
	}
	if iid != "" {
		in.InstanceId = aws.String(iid)
	}
	_, err := c.DisassociatePhoneNumberContactFlow(e.ctx(), in)
	return err
}

func TestPhoneNumberContactFlowErrors(t *testing.T) {
	t.Parallel()
	e := newDeliveryCT(t, app.DeliveryConfig{SMSSecret: smsSecret})
	arn := e.phoneNumber("+12065550140")
	other := e.Instance(t)
	queueFlow := resDefaultFlow(t, e.Env, e.iid, types.ContactFlowTypeCustomerQueue)
	otherFlow := resDefaultFlow(t, e.Env, other, types.ContactFlowTypeContactFlow)

	// Associating by ARN, again (replacing), and disassociating twice all
	// succeed.
	for _, step := range []func() error{
		func() error { return associateFlow(e.Client, e, arn, e.iid, e.flow) },
		func() error { return associateFlow(e.Client, e, arn, e.iid, e.flow) },
		func() error { return disassociateFlow(e.Client, e, arn, e.iid) },
		func() error { return disassociateFlow(e.Client, e, arn, e.iid) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"missing instance", func() error { return associateFlow(e.Raw, e, arn, "", e.flow) }, "InvalidParameterException", 400},
		{"missing flow", func() error { return associateFlow(e.Raw, e, arn, e.iid, "") }, "InvalidParameterException", 400},
		{"unknown number", func() error { return associateFlow(e.Client, e, "nope", e.iid, e.flow) }, "ResourceNotFoundException", 404},
		{"unknown instance", func() error { return associateFlow(e.Client, e, arn, "nope", e.flow) }, "ResourceNotFoundException", 404},
		{"unknown flow", func() error { return associateFlow(e.Client, e, arn, e.iid, "nope") }, "ResourceNotFoundException", 404},
		{"flow of another instance", func() error { return associateFlow(e.Client, e, arn, e.iid, otherFlow) }, "ResourceNotFoundException", 404},
		{"number of another instance", func() error { return associateFlow(e.Client, e, arn, other, otherFlow) }, "ResourceNotFoundException", 404},
		{"not an inbound flow", func() error { return associateFlow(e.Client, e, arn, e.iid, queueFlow) }, "InvalidParameterException", 400},
		{"disassociate missing instance", func() error { return disassociateFlow(e.Raw, e, arn, "") }, "InvalidParameterException", 400},
		{"disassociate unknown number", func() error { return disassociateFlow(e.Client, e, "nope", e.iid) }, "ResourceNotFoundException", 404},
		{"disassociate number of another instance", func() error { return disassociateFlow(e.Client, e, arn, other) }, "ResourceNotFoundException", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
}

// A text to a number with an inbound flow and no open chat starts an SMS
// chat in that flow; later texts join it; without the flow they are refused.
func TestSMSInboundStartsChat(t *testing.T) {
	t.Parallel()
	e := newDeliveryCT(t, app.DeliveryConfig{SMSSecret: smsSecret})
	arn := e.phoneNumber("+12065550150")
	now := e.Clock.Now().Unix()
	text := `{"from":"+14155550123","to":"+12065550150","body":"Hi, is my order late?"}`
	if status, res := postSMS(t, e, smsSecret, now, text); status != 404 {
		t.Fatalf("before a flow is associated: %d %v, want 404", status, res)
	}
	if err := associateFlow(e.Client, e, arn, e.iid, e.flow); err != nil {
		t.Fatal(err)
	}
	status, res := postSMS(t, e, smsSecret, now, text)
	if status != 200 || res["contactId"] == "" || res["messageId"] == "" {
		t.Fatalf("first text: %d %v", status, res)
	}
	id := res["contactId"]
	c := e.describe(id)
	if c.Channel != types.ChannelChat || c.InitiationMethod != types.ContactInitiationMethodInbound {
		t.Errorf("channel %s, initiation %s; want CHAT, INBOUND", c.Channel, c.InitiationMethod)
	}
	if sub := c.SegmentAttributes["connect:Subtype"]; sub.ValueString == nil || *sub.ValueString != "connect:SMS" {
		t.Errorf("connect:Subtype %v, want connect:SMS", sub.ValueString)
	}
	if c.CustomerEndpoint == nil || aws.ToString(c.CustomerEndpoint.Address) != "+14155550123" ||
		c.SystemEndpoint == nil || aws.ToString(c.SystemEndpoint.Address) != "+12065550150" {
		t.Errorf("endpoints %+v %+v", c.CustomerEndpoint, c.SystemEndpoint)
	}
	// The next text joins the same chat.
	status, res = postSMS(t, e, smsSecret, now, `{"from":"+14155550123","to":"+12065550150","body":"Order 42."}`)
	if status != 200 || res["contactId"] != id {
		t.Fatalf("second text: %d %v, want contact %s", status, res, id)
	}
	// A start that raced the first text (it too found no chat) joins the
	// chat the first one opened instead of opening another.
	if c, err := e.App.Service.StartInboundSMSChat(e.ctx(), "+14155550123", "+12065550150"); err != nil || c.ID != id {
		t.Fatalf("second start: %v %v, want contact %s", c, err, id)
	}
	// After the chat ends and the flow is removed, a text has nowhere to go.
	e.stop(id)
	if err := disassociateFlow(e.Client, e, arn, e.iid); err != nil {
		t.Fatal(err)
	}
	if status, res := postSMS(t, e, smsSecret, now, text); status != 404 {
		t.Errorf("after disassociating: %d %v, want 404", status, res)
	}
}

// A text that would start a chat over the instance's chat quota is
// refused with 429, so the provider retries, and starts nothing.
func TestSMSInboundOverChatQuota(t *testing.T) {
	t.Parallel()
	env := sbtest.New(t, sbtest.Options{Delivery: app.DeliveryConfig{SMSSecret: smsSecret}, Quotas: domain.Quotas{ActiveChats: 1}})
	e := &ctEnv{Env: env, t: t, iid: env.Instance(t)}
	e.flow = resDefaultFlow(t, env, e.iid, types.ContactFlowTypeContactFlow)
	arn := e.phoneNumber("+12065550160")
	if err := associateFlow(e.Client, e, arn, e.iid, e.flow); err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now().Unix()
	if status, res := postSMS(t, e, smsSecret, now, `{"from":"+14155550001","to":"+12065550160","body":"first"}`); status != 200 {
		t.Fatalf("first customer: %d %v", status, res)
	}
	status, res := postSMS(t, e, smsSecret, now, `{"from":"+14155550002","to":"+12065550160","body":"second"}`)
	if status != 429 || res["error"] != "LimitExceededException" || res["message"] == "" {
		t.Errorf("over the quota: %d %v, want 429 LimitExceededException", status, res)
	}
}
