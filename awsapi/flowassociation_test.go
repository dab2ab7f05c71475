package awsapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestFlowAssociations: AssociateFlow sets the flow of a claimed number's
// texts and of an email address; the Get, List and BatchGet operations
// read them back (with the voice flow of AssociatePhoneNumberContactFlow
// among them), and a text to the number now starts a chat.
func TestFlowAssociations(t *testing.T) {
	t.Parallel()
	e := newDeliveryCT(t, app.DeliveryConfig{SMSSecret: smsSecret})
	ctx := e.ctx()
	number := e.phoneNumber("+12065550123")
	e.emailAddress("help@example.com")
	addresses, err := e.Client.SearchEmailAddresses(ctx, &connect.SearchEmailAddressesInput{InstanceId: &e.iid})
	if err != nil {
		t.Fatal(err)
	}
	address := *addresses.EmailAddresses[0].EmailAddressArn
	associate := func(resource, flow string, typ types.FlowAssociationResourceType) error {
		_, err := e.Raw.AssociateFlow(ctx, &connect.AssociateFlowInput{InstanceId: &e.iid, ResourceId: &resource, FlowId: &flow, ResourceType: typ})
		return err
	}
	get := func(resource string, typ types.FlowAssociationResourceType) (*connect.GetFlowAssociationOutput, error) {
		return e.Raw.GetFlowAssociation(ctx, &connect.GetFlowAssociationInput{InstanceId: &e.iid, ResourceId: &resource, ResourceType: typ})
	}
	list := func(typ types.ListFlowAssociationResourceType) []string {
		t.Helper()
		out, err := e.Client.ListFlowAssociations(ctx, &connect.ListFlowAssociationsInput{InstanceId: &e.iid, ResourceType: typ})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range out.FlowAssociationSummaryList {
			got = append(got, string(a.ResourceType)+" "+*a.ResourceId)
		}
		return got
	}

	// No flow yet: a text from a new customer has nowhere to go.
	now := e.Clock.Now().Unix()
	text := `{"from":"+14155550111","to":"+12065550123","body":"hi"}`
	if status, _ := postSMS(t, e, smsSecret, now, text); status != 404 {
		t.Fatalf("a text to a number without a flow: %d, want 404", status)
	}
	_, err = get(number, types.FlowAssociationResourceTypeSmsPhoneNumber)
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)

	if err := associate(number, e.flow, types.FlowAssociationResourceTypeSmsPhoneNumber); err != nil {
		t.Fatal(err)
	}
	g, err := get(number, types.FlowAssociationResourceTypeSmsPhoneNumber)
	if err != nil {
		t.Fatal(err)
	}
	if *g.ResourceId != number || !strings.HasSuffix(*g.FlowId, ":instance/"+e.iid+"/contact-flow/"+e.flow) || g.ResourceType != types.FlowAssociationResourceTypeSmsPhoneNumber {
		t.Fatalf("GetFlowAssociation = %+v", g)
	}
	status, res := postSMS(t, e, smsSecret, now, text)
	if status != 200 || res["contactId"] == "" {
		t.Fatalf("a text to a number with an SMS flow: %d %v", status, res)
	}
	if c := e.describe(res["contactId"]); c.Channel != types.ChannelChat || c.InitiationMethod != types.ContactInitiationMethodInbound {
		t.Fatalf("the text's contact: %s %s", c.Channel, c.InitiationMethod)
	}

	// Email flows, and the voice flow in the listings.
	if err := associate(address, e.flow, types.FlowAssociationResourceTypeInboundEmail); err != nil {
		t.Fatal(err)
	}
	if err := associate(address, e.flow, types.FlowAssociationResourceTypeOutboundEmail); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.AssociatePhoneNumberContactFlow(ctx, &connect.AssociatePhoneNumberContactFlowInput{InstanceId: &e.iid, PhoneNumberId: &number, ContactFlowId: &e.flow}); err != nil {
		t.Fatal(err)
	}
	// The listings' ResourceType has no SMS_PHONE_NUMBER: Get shows those.
	want := []string{"INBOUND_EMAIL " + address, "OUTBOUND_EMAIL " + address, "VOICE_PHONE_NUMBER " + number}
	if got := list(""); !slices.Equal(got, want) {
		t.Fatalf("all associations %q, want %q", got, want)
	}
	if got := list(types.ListFlowAssociationResourceTypeVoicePhoneNumber); !slices.Equal(got, want[2:]) {
		t.Fatalf("voice associations %q", got)
	}
	if got := list(types.ListFlowAssociationResourceTypeWhatsappMessagingPhoneNumber); len(got) != 0 {
		t.Fatalf("WhatsApp associations %q", got)
	}
	page, err := e.Client.ListFlowAssociations(ctx, &connect.ListFlowAssociationsInput{InstanceId: &e.iid, MaxResults: aws.Int32(2)})
	if err != nil || len(page.FlowAssociationSummaryList) != 2 || page.NextToken == nil {
		t.Fatalf("first page of 2: %v %+v", err, page)
	}
	b, err := e.Client.BatchGetFlowAssociation(ctx, &connect.BatchGetFlowAssociationInput{InstanceId: &e.iid, ResourceIds: []string{number, "arn:aws:connect:us-east-1:123456789012:phone-number/nope"},
		ResourceType: types.ListFlowAssociationResourceTypeVoicePhoneNumber})
	if err != nil || len(b.FlowAssociationSummaryList) != 1 || *b.FlowAssociationSummaryList[0].ResourceId != number {
		t.Fatalf("BatchGetFlowAssociation: %v %+v", err, b)
	}

	// Disassociate, once.
	dis := func(resource string, typ types.FlowAssociationResourceType) error {
		_, err := e.Raw.DisassociateFlow(ctx, &connect.DisassociateFlowInput{InstanceId: &e.iid, ResourceId: &resource, ResourceType: typ})
		return err
	}
	if err := dis(address, types.FlowAssociationResourceTypeOutboundEmail); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, dis(address, types.FlowAssociationResourceTypeOutboundEmail), "ResourceNotFoundException", 404)
	if got := list(""); len(got) != 2 {
		t.Fatalf("after DisassociateFlow: %q", got)
	}

	// Refusals.
	queueFlow := resDefaultFlow(t, e.Env, e.iid, types.ContactFlowTypeCustomerQueue)
	sbtest.APIError(t, associate(number, queueFlow, types.FlowAssociationResourceTypeSmsPhoneNumber), "InvalidRequestException", 400)
	sbtest.APIError(t, associate(number, "no-such-flow", types.FlowAssociationResourceTypeSmsPhoneNumber), "ResourceNotFoundException", 404)
	sbtest.APIError(t, associate("arn:aws:connect:us-east-1:123456789012:phone-number/nope", e.flow, types.FlowAssociationResourceTypeSmsPhoneNumber), "ResourceNotFoundException", 404)
	sbtest.APIError(t, associate(address, e.flow, types.FlowAssociationResourceTypeAnalyticsConnector), "InvalidRequestException", 400)
	sbtest.APIError(t, associate(address, e.flow, "PIGEON"), "InvalidParameterException", 400)
	_, err = get("arn:aws:connect:us-east-1:123456789012:instance/"+e.iid+"/email-address/nope", types.FlowAssociationResourceTypeInboundEmail)
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}
