package awsapi_test

import (
	"bytes"
	"io"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	gosmtp "github.com/emersion/go-smtp"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/delivery"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// smtpMail is one message a test SMTP relay received.
type smtpMail struct {
	from  string
	rcpts []string
	data  []byte
}

// relay is a test SMTP server (go-smtp) handing each message to got.
type relay struct {
	addr string
	got  chan smtpMail
}

func newRelay(t *testing.T) *relay {
	t.Helper()
	r := &relay{got: make(chan smtpMail, 10)}
	srv := gosmtp.NewServer(r)
	srv.Domain = "relay.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return r
}

func (r *relay) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &relaySession{r: r}, nil }

type relaySession struct {
	r *relay
	m smtpMail
}

func (s *relaySession) Reset()        { s.m = smtpMail{} }
func (s *relaySession) Logout() error { return nil }
func (s *relaySession) Mail(from string, _ *gosmtp.MailOptions) error {
	s.m.from = from
	return nil
}
func (s *relaySession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.m.rcpts = append(s.m.rcpts, to)
	return nil
}
func (s *relaySession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.m.data = b
	s.r.got <- s.m
	return err
}

func (r *relay) next(t *testing.T) smtpMail {
	t.Helper()
	select {
	case m := <-r.got:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no mail within 10 s")
		return smtpMail{}
	}
}

// inboundEmail starts an inbound email contact carrying a Message-ID.
func (e *ctEnv) inboundEmail(dest string) string {
	e.t.Helper()
	in := e.emailInput(dest)
	in.EmailMessage.RawMessage.Subject = aws.String("Help")
	in.EmailMessage.RawMessage.Headers = map[string]string{"MESSAGE_ID": "<abc@customer.example>", "REFERENCES": "<root@customer.example>"}
	out, err := e.Client.StartEmailContact(e.ctx(), in)
	if err != nil {
		e.t.Fatal(err)
	}
	return *out.ContactId
}

func (e *ctEnv) emailContact(method types.ContactInitiationMethod, related string) string {
	e.t.Helper()
	in := &connect.CreateContactInput{InstanceId: aws.String(e.iid), Channel: types.ChannelEmail, InitiationMethod: method,
		UserInfo: &types.UserInfo{UserId: aws.String(e.agentID())}}
	if related != "" {
		in.RelatedContactId = aws.String(related)
	}
	out, err := e.Client.CreateContact(e.ctx(), in)
	if err != nil {
		e.t.Fatalf("CreateContact: %v", err)
	}
	return *out.ContactId
}

func (e *ctEnv) replyInput(contactID string) *connect.StartOutboundEmailContactInput {
	return &connect.StartOutboundEmailContactInput{InstanceId: aws.String(e.iid), ContactId: aws.String(contactID),
		DestinationEmailAddress: &types.EmailAddressInfo{EmailAddress: aws.String("ana@customer.example"), DisplayName: aws.String("Ana Müller")},
		AdditionalRecipients:    &types.OutboundAdditionalRecipients{CcEmailAddresses: []types.EmailAddressInfo{{EmailAddress: aws.String("boss@customer.example")}}},
		EmailMessage: &types.OutboundEmailContent{MessageSourceType: types.OutboundMessageSourceTypeRaw,
			RawMessage: &types.OutboundRawMessage{Subject: aws.String("Re: Help — your order"), Body: aws.String("Hello Ana,\nit ships today. Café?"), ContentType: aws.String("text/plain")}},
	}
}

func TestStartOutboundEmailContactReply(t *testing.T) {
	t.Parallel()
	r := newRelay(t)
	e := newDeliveryCT(t, app.DeliveryConfig{SMTPRelay: delivery.SMTPRelay{Addr: r.addr}})
	dest := e.emailAddress("support@shop.example")
	inbound := e.inboundEmail(dest)
	reply := e.emailContact(types.ContactInitiationMethodAgentReply, inbound)
	in := e.replyInput(reply)
	in.ClientToken = aws.String("reply-1")
	out, err := e.Client.StartOutboundEmailContact(e.ctx(), in)
	if err != nil || aws.ToString(out.ContactId) != reply {
		t.Fatalf("StartOutboundEmailContact: %v %v", out, err)
	}
	again, err := e.Client.StartOutboundEmailContact(e.ctx(), in)
	if err != nil || aws.ToString(again.ContactId) != reply {
		t.Errorf("replay with the same ClientToken: %v %v", again, err)
	}
	m := r.next(t)
	if m.from != "support@shop.example" || strings.Join(m.rcpts, ",") != "ana@customer.example,boss@customer.example" {
		t.Errorf("envelope from %s to %v", m.from, m.rcpts)
	}
	if !bytes.Contains(m.data, []byte("\r\n\r\n")) {
		t.Errorf("message lines must end in CRLF")
	}
	msg, err := mail.ReadMessage(bytes.NewReader(m.data))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(h.Get("Subject"))
	from, _ := mail.ParseAddress(h.Get("From"))
	to, _ := mail.ParseAddress(h.Get("To"))
	for field, pair := range map[string][2]string{
		"Subject":      {subject, "Re: Help — your order"},
		"From":         {from.String(), (&mail.Address{Name: "Support", Address: "support@shop.example"}).String()},
		"To":           {to.Name + " " + to.Address, "Ana Müller ana@customer.example"},
		"Cc":           {h.Get("Cc"), "<boss@customer.example>"},
		"In-Reply-To":  {h.Get("In-Reply-To"), "<abc@customer.example>"},
		"References":   {h.Get("References"), "<root@customer.example> <abc@customer.example>"},
		"MIME-Version": {h.Get("MIME-Version"), "1.0"},
		"Content-Type": {h.Get("Content-Type"), "text/plain; charset=utf-8"},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s = %q, want %q", field, pair[0], pair[1])
		}
	}
	if id := h.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@shop.example>") {
		t.Errorf("Message-ID %q", id)
	}
	if _, err := h.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	body, _ := io.ReadAll(quotedBody(msg))
	if string(body) != "Hello Ana,\r\nit ships today. Café?\r\n" {
		t.Errorf("body %q", body)
	}
	c := e.describe(reply)
	if c.CustomerEndpoint == nil || aws.ToString(c.CustomerEndpoint.Address) != "ana@customer.example" ||
		c.SystemEndpoint == nil || aws.ToString(c.SystemEndpoint.Address) != "support@shop.example" {
		t.Errorf("endpoints %+v %+v", c.CustomerEndpoint, c.SystemEndpoint)
	}
	// The email went once, however often the request was made.
	e.App.Delivery().WaitIdle()
	select {
	case m := <-r.got:
		t.Errorf("a second mail: %s", m.data)
	default:
	}
}

func TestStartOutboundEmailContactRules(t *testing.T) {
	t.Parallel()
	e := newDeliveryCT(t, app.DeliveryConfig{})
	dest := e.emailAddress("support@shop.example")
	inbound := e.inboundEmail(dest)
	sent := e.emailContact(types.ContactInitiationMethodAgentReply, inbound)
	if _, err := e.Client.StartOutboundEmailContact(e.ctx(), e.replyInput(sent)); err != nil {
		t.Fatal(err)
	}
	from := func(addr string) func(*connect.StartOutboundEmailContactInput) {
		return func(in *connect.StartOutboundEmailContactInput) {
			in.FromEmailAddress = &types.EmailAddressInfo{EmailAddress: aws.String(addr)}
		}
	}
	many := make([]types.EmailAddressInfo, 50)
	for i := range many {
		many[i] = types.EmailAddressInfo{EmailAddress: aws.String("cc@customer.example")}
	}
	for _, tc := range []struct {
		name    string
		contact string
		mod     func(*connect.StartOutboundEmailContactInput)
		exc     string
		status  int
		says    string
	}{
		{"already sent", sent, nil, "InvalidRequestException", 400, "already sent"},
		{"inbound contact", inbound, nil, "InvalidRequestException", 400, "InitiationMethod"},
		{"not email", e.task("t"), nil, "InvalidRequestException", 400, "EMAIL"},
		{"unknown contact", "00000000-0000-0000-0000-000000000000", nil, "ResourceNotFoundException", 404, "Contact"},
		{"no from", e.emailContact(types.ContactInitiationMethodOutbound, ""), nil, "InvalidRequestException", 400, "FromEmailAddress"},
		{"foreign from", e.emailContact(types.ContactInitiationMethodOutbound, ""), from("me@elsewhere.example"), "ResourceNotFoundException", 404, "CreateEmailAddress"},
		{"template", e.emailContact(types.ContactInitiationMethodOutbound, ""), func(in *connect.StartOutboundEmailContactInput) {
			in.FromEmailAddress = &types.EmailAddressInfo{EmailAddress: aws.String(dest)}
			in.EmailMessage = &types.OutboundEmailContent{MessageSourceType: types.OutboundMessageSourceTypeTemplate}
		}, "InvalidRequestException", 400, "RAW"},
		{"too many recipients", e.emailContact(types.ContactInitiationMethodOutbound, ""), func(in *connect.StartOutboundEmailContactInput) {
			in.FromEmailAddress = &types.EmailAddressInfo{EmailAddress: aws.String(dest)}
			in.AdditionalRecipients.CcEmailAddresses = many
		}, "InvalidRequestException", 400, "recipients"},
		{"html ok, xml not", e.emailContact(types.ContactInitiationMethodOutbound, ""), func(in *connect.StartOutboundEmailContactInput) {
			in.FromEmailAddress = &types.EmailAddressInfo{EmailAddress: aws.String(dest)}
			in.EmailMessage.RawMessage.ContentType = aws.String("text/xml")
		}, "InvalidRequestException", 400, "text/plain or text/html"},
		{"bad destination", e.emailContact(types.ContactInitiationMethodOutbound, ""), func(in *connect.StartOutboundEmailContactInput) {
			in.FromEmailAddress = &types.EmailAddressInfo{EmailAddress: aws.String(dest)}
			in.DestinationEmailAddress.EmailAddress = aws.String("not-an-address")
		}, "InvalidRequestException", 400, "DestinationEmailAddress"},
	} {
		in := e.replyInput(tc.contact)
		if tc.mod != nil {
			tc.mod(in)
		}
		_, err := e.Raw.StartOutboundEmailContact(e.ctx(), in)
		ctContains(t, sbtest.APIError(t, err, tc.exc, tc.status), tc.says)
	}
	// Model validation: DestinationEmailAddress is required.
	in := e.replyInput(sent)
	in.DestinationEmailAddress = nil
	_, err := e.Raw.StartOutboundEmailContact(e.ctx(), in)
	sbtest.APIError(t, err, "InvalidRequestException", 400)
}

func TestSendOutboundEmail(t *testing.T) {
	t.Parallel()
	r := newRelay(t)
	e := newDeliveryCT(t, app.DeliveryConfig{SMTPRelay: delivery.SMTPRelay{Addr: r.addr}})
	dest := e.emailAddress("news@shop.example")
	in := &connect.SendOutboundEmailInput{InstanceId: aws.String(e.iid), TrafficType: types.TrafficTypeCampaign,
		FromEmailAddress:        &types.EmailAddressInfo{EmailAddress: aws.String(dest)},
		DestinationEmailAddress: &types.EmailAddressInfo{EmailAddress: aws.String("ana@customer.example")},
		EmailMessage: &types.OutboundEmailContent{MessageSourceType: types.OutboundMessageSourceTypeRaw,
			RawMessage: &types.OutboundRawMessage{Subject: aws.String("Spring sale"), Body: aws.String("<p>Hi</p>"), ContentType: aws.String("text/html")}},
		ClientToken: aws.String("send-1")}
	// A retry with the same ClientToken sends nothing more.
	for range 2 {
		if _, err := e.Client.SendOutboundEmail(e.ctx(), in); err != nil {
			t.Fatal(err)
		}
	}
	m := r.next(t)
	msg, err := mail.ReadMessage(bytes.NewReader(m.data))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Subject") != "Spring sale" || msg.Header.Get("Content-Type") != "text/html; charset=utf-8" || m.rcpts[0] != "ana@customer.example" {
		t.Errorf("mail %s", m.data)
	}
	// A duplicate of the first, queued before this one, would almost
	// always reach the relay first (each email is its own outbox stream,
	// so their order is not promised; with no duplicate this is exact).
	second := *in
	second.ClientToken, second.EmailMessage = aws.String("send-2"), &types.OutboundEmailContent{MessageSourceType: types.OutboundMessageSourceTypeRaw,
		RawMessage: &types.OutboundRawMessage{Subject: aws.String("Summer sale"), Body: aws.String("<p>Hi</p>"), ContentType: aws.String("text/html")}}
	if _, err := e.Client.SendOutboundEmail(e.ctx(), &second); err != nil {
		t.Fatal(err)
	}
	if m := r.next(t); !bytes.Contains(m.data, []byte("Subject: Summer sale")) {
		t.Errorf("after a retry, the next mail is\n%s\nwant the Summer sale one", m.data)
	}
	second.ClientToken = aws.String("send-1")
	_, err = e.Client.SendOutboundEmail(e.ctx(), &second)
	ctContains(t, sbtest.APIError(t, err, "IdempotencyException", 409), "send-1")
	in.FromEmailAddress.EmailAddress, in.ClientToken = aws.String("news@elsewhere.example"), nil
	_, err = e.Raw.SendOutboundEmail(e.ctx(), in)
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	in.FromEmailAddress.EmailAddress, in.TrafficType, in.ClientToken = aws.String(dest), "BULK", nil
	_, err = e.Raw.SendOutboundEmail(e.ctx(), in)
	sbtest.APIError(t, err, "InvalidRequestException", 400)
}

func TestInboundSMTPStartsEmailContact(t *testing.T) {
	t.Parallel()
	e := newDeliveryCT(t, app.DeliveryConfig{})
	dest := e.emailAddress("Support@Shop.example")
	addr, err := e.App.StartSMTPListener("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	msg := "From: Ana <ana@customer.example>\r\nTo: support@shop.example\r\nSubject: =?utf-8?q?Caf=C3=A9_order?=\r\n" +
		"Message-ID: <m1@customer.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/html\r\n\r\n<p>Where is it?</p>\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nWhere is it?\r\n--b--\r\n"
	if err := smtp.SendMail(addr, nil, "ana@customer.example", []string{"support@shop.example"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	err = smtp.SendMail(addr, nil, "ana@customer.example", []string{"nobody@shop.example"}, []byte(msg))
	if err == nil || !strings.Contains(err.Error(), "550") {
		t.Errorf("mail to an unknown address: %v, want 550", err)
	}
	out, err := e.Client.SearchContacts(e.ctx(), &connect.SearchContactsInput{InstanceId: aws.String(e.iid),
		TimeRange:      &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: aws.Time(sbtest.Start.Add(-time.Hour)), EndTime: aws.Time(sbtest.Start.Add(time.Hour))},
		SearchCriteria: &types.SearchCriteria{Channels: []types.Channel{types.ChannelEmail}}})
	if err != nil || len(out.Contacts) != 1 {
		t.Fatalf("email contacts: %v %v", out, err)
	}
	c := e.describe(*out.Contacts[0].Id)
	if aws.ToString(c.CustomerEndpoint.Address) != "ana@customer.example" || aws.ToString(c.CustomerEndpoint.DisplayName) != "Ana" ||
		!strings.EqualFold(aws.ToString(c.SystemEndpoint.Address), dest) {
		t.Errorf("endpoints %+v %+v", c.CustomerEndpoint, c.SystemEndpoint)
	}
}

// quotedBody undoes the quoted-printable transfer encoding of a message.
func quotedBody(m *mail.Message) io.Reader {
	return delivery.QuotedReader(m.Body)
}
