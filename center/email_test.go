package center_test

import (
	"net/smtp"

	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestAgentReadsEmail: the agent who accepts an email contact reads its
// message through the agent API, until after-contact work is complete;
// nobody else, and not before accepting.
func TestAgentReadsEmail(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	desk := w.newProfile("email desk", []mc{{channel: types.ChannelEmail, slots: 1}, {channel: types.ChannelTask, slots: 1}},
		[]qc{{queue: w.queue, channel: types.ChannelEmail, priority: 1}, {queue: w.queue, channel: types.ChannelTask, priority: 1}})
	bob, tb := w.agentOn("bob", desk)
	_, other := w.agentOn("cy", desk)
	_, err := w.Client.CreateEmailAddress(sbtest.Ctx(t), &connect.CreateEmailAddressInput{InstanceId: &w.iid, EmailAddress: aws.String("help@example.com")})
	must(t, err)
	out, err := w.Client.StartEmailContact(sbtest.Ctx(t), &connect.StartEmailContactInput{
		InstanceId: &w.iid, ContactFlowId: &w.flow, DestinationEmailAddress: aws.String("help@example.com"),
		FromEmailAddress:     &types.EmailAddressInfo{EmailAddress: aws.String("ana@customer.example"), DisplayName: aws.String("Ana")},
		AdditionalRecipients: &types.InboundAdditionalRecipients{CcAddresses: []types.EmailAddressInfo{{EmailAddress: aws.String("boss@customer.example")}}},
		EmailMessage: &types.InboundEmailContent{MessageSourceType: types.InboundMessageSourceTypeRaw,
			RawMessage: &types.InboundRawMessage{Subject: aws.String("Order 17"), Body: aws.String("Where is it?"), ContentType: aws.String("text/plain"),
				Headers: map[string]string{"MESSAGE_ID": "<m1@customer.example>"}}},
	})
	must(t, err)
	email := *out.ContactId
	path := "/agent/v1/instances/" + w.iid + "/contacts/" + email + "/email"

	w.setStatus(bob, w.available)
	w.expectHeld("bob", tb, email, "CONNECTING")
	if status, got := w.agentAPI("GET", path, tb, nil); status != 409 || got["code"] != "invalid_state" {
		t.Fatalf("email on offer: %d %v, want 409 invalid_state", status, got)
	}
	w.act(tb, email, "accept", 204)
	status, got := w.agentAPI("GET", path, tb, nil)
	if status != 200 {
		t.Fatalf("read email: %d %v", status, got)
	}
	want := map[string]any{"contactId": email, "subject": "Order 17", "body": "Where is it?", "contentType": "text/plain",
		"destination": "help@example.com", "from": map[string]any{"address": "ana@customer.example", "displayName": "Ana"},
		"cc": []any{map[string]any{"address": "boss@customer.example"}}, "to": []any{}, "attachments": []any{},
		"headers": map[string]any{"MESSAGE_ID": "<m1@customer.example>"}}
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("email:\n got %s\nwant %s", mustJSON(got), mustJSON(want))
	}
	// Another agent does not hold it.
	if status, got := w.agentAPI("GET", path, other, nil); status != 404 || got["code"] != "contact_not_found" {
		t.Errorf("another agent: %d %v, want 404 contact_not_found", status, got)
	}
	// After-contact work still shows it; completing lets it go.
	w.act(tb, email, "end", 204)
	if status, _ := w.agentAPI("GET", path, tb, nil); status != 200 {
		t.Errorf("in after-contact work: %d, want 200", status)
	}
	w.act(tb, email, "complete", 204)
	if status, _ := w.agentAPI("GET", path, tb, nil); status != 404 {
		t.Errorf("after completing: %d, want 404", status)
	}
	// A task has no email.
	task := w.task("not an email")
	w.act(tb, task, "accept", 204)
	if status, got := w.agentAPI("GET", "/agent/v1/instances/"+w.iid+"/contacts/"+task+"/email", tb, nil); status != 409 {
		t.Errorf("task: %d %v, want 409", status, got)
	}
}

// TestAgentReadsReceivedMail: mail from the SMTP listener, in Latin-1 and
// base64 with an encoded Subject, reaches the agent as UTF-8 text.
func TestAgentReadsReceivedMail(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	bob, tb := w.agentOn("bob", w.newProfile("email desk", []mc{{channel: types.ChannelEmail, slots: 1}},
		[]qc{{queue: w.queue, channel: types.ChannelEmail, priority: 1}}))
	_, err := w.Client.CreateEmailAddress(sbtest.Ctx(t), &connect.CreateEmailAddressInput{InstanceId: &w.iid, EmailAddress: aws.String("help@example.com")})
	must(t, err)
	addr, err := w.App.StartSMTPListener("127.0.0.1:0")
	must(t, err)
	// "Café fermé ?" in ISO-8859-1, then base64; the Subject in
	// windows-1252 quoted-printable words.
	msg := "From: =?windows-1252?q?Ren=E9_=96_shop?= <rene@customer.example>\r\nTo: help@example.com\r\n" +
		"Subject: =?windows-1252?q?=93Caf=E9=94?=\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=m\r\n\r\n" +
		"--m\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: base64\r\n\r\nQ2Fm6SBmZXJt6SA/\r\n" +
		"--m\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--m--\r\n"
	must(t, smtp.SendMail(addr, nil, "rene@customer.example", []string{"help@example.com"}, []byte(msg)))

	w.setStatus(bob, w.available)
	id := w.offeredTo("bob", tb)
	w.act(tb, id, "accept", 204)
	status, got := w.agentAPI("GET", "/agent/v1/instances/"+w.iid+"/contacts/"+id+"/email", tb, nil)
	if status != 200 || got["body"] != "Café fermé ?" || got["subject"] != "“Café”" || got["contentType"] != "text/plain" {
		t.Fatalf("received mail: %d %v", status, got)
	}
	if from, _ := got["from"].(map[string]any); from["address"] != "rene@customer.example" || from["displayName"] != "René – shop" {
		t.Errorf("from %v", got["from"])
	}
}

// TestEmailAddressInboundFlow: an email to an address with an inbound flow
// (AssociateFlow INBOUND_EMAIL), or to an alias of it, runs that flow when
// StartEmailContact names none.
func TestEmailAddressInboundFlow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	_, err := w.Client.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: &w.iid, EmailAddress: aws.String("orders@example.com")})
	must(t, err)
	found, err := w.Client.SearchEmailAddresses(ctx, &connect.SearchEmailAddressesInput{InstanceId: &w.iid})
	must(t, err)
	orders := w.queueFlow("orders", w.queue,
		action("mark", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{"via": "orders flow"}}, next("setq")))
	_, err = w.Client.AssociateFlow(ctx, &connect.AssociateFlowInput{InstanceId: &w.iid, ResourceId: found.EmailAddresses[0].EmailAddressArn,
		FlowId: &orders, ResourceType: types.FlowAssociationResourceTypeInboundEmail})
	must(t, err)
	out, err := w.Client.StartEmailContact(ctx, &connect.StartEmailContactInput{InstanceId: &w.iid, DestinationEmailAddress: aws.String("orders@example.com"),
		FromEmailAddress: &types.EmailAddressInfo{EmailAddress: aws.String("ana@customer.example")},
		EmailMessage: &types.InboundEmailContent{MessageSourceType: types.InboundMessageSourceTypeRaw,
			RawMessage: &types.InboundRawMessage{Subject: aws.String("Order 18"), Body: aws.String("Late?"), ContentType: aws.String("text/plain")}}})
	must(t, err)
	if c := w.describe(*out.ContactId); c.Attributes["via"] != "orders flow" || c.QueueInfo == nil {
		t.Fatalf("the email did not run the address's inbound flow: attributes %v, queue %+v", c.Attributes, c.QueueInfo)
	}

	// Mail to an alias of the address runs the same flow.
	alias, err := w.Client.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: &w.iid, EmailAddress: aws.String("sales@example.com")})
	must(t, err)
	_, err = w.Client.AssociateEmailAddressAlias(ctx, &connect.AssociateEmailAddressAliasInput{InstanceId: &w.iid, EmailAddressId: found.EmailAddresses[0].EmailAddressId,
		AliasConfiguration: &types.AliasConfiguration{EmailAddressId: alias.EmailAddressId}})
	must(t, err)
	out, err = w.Client.StartEmailContact(ctx, &connect.StartEmailContactInput{InstanceId: &w.iid, DestinationEmailAddress: aws.String("sales@example.com"),
		FromEmailAddress: &types.EmailAddressInfo{EmailAddress: aws.String("ana@customer.example")},
		EmailMessage: &types.InboundEmailContent{MessageSourceType: types.InboundMessageSourceTypeRaw,
			RawMessage: &types.InboundRawMessage{Subject: aws.String("Order 19"), Body: aws.String("Price?"), ContentType: aws.String("text/plain")}}})
	must(t, err)
	if c := w.describe(*out.ContactId); c.Attributes["via"] != "orders flow" || aws.ToString(c.SystemEndpoint.Address) != "orders@example.com" {
		t.Fatalf("mail to the alias: attributes %v, system endpoint %+v", c.Attributes, c.SystemEndpoint)
	}
}
