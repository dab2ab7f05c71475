package awsapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/delivery"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestSendChatIntegrationEvent: texts sent the way AWS End User Messaging
// sends them start an SMS chat in the number's SMS flow (with the new
// session's name, attributes and streaming), go on in it, and a DISCONNECT
// ends it.
func TestSendChatIntegrationEvent(t *testing.T) {
	t.Parallel()
	stream := newHook(t, 0)
	e := newDeliveryCT(t, app.DeliveryConfig{StreamingEndpoints: map[string]delivery.Endpoint{topicA: {Kind: "webhook", URL: stream.URL}}})
	ctx := e.ctx()
	number := e.phoneNumber("+12065550142")
	if _, err := e.Client.AssociateFlow(ctx, &connect.AssociateFlowInput{InstanceId: &e.iid, ResourceId: &number, FlowId: &e.flow,
		ResourceType: types.FlowAssociationResourceTypeSmsPhoneNumber}); err != nil {
		t.Fatal(err)
	}
	send := func(in connect.SendChatIntegrationEventInput) (*connect.SendChatIntegrationEventOutput, error) {
		if in.SourceId == nil {
			in.SourceId = aws.String("+14155550177")
		}
		if in.DestinationId == nil {
			in.DestinationId = aws.String("+12065550142")
		}
		return e.Raw.SendChatIntegrationEvent(ctx, &in)
	}
	text := func(s string) *types.ChatEvent {
		return &types.ChatEvent{Type: types.ChatEventTypeMessage, ContentType: aws.String("text/plain"), Content: aws.String(s)}
	}

	first, err := send(connect.SendChatIntegrationEventInput{Subtype: aws.String("connect:SMS"), Event: text("hi"),
		NewSessionDetails: &types.NewSessionDetails{ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Ana")},
			Attributes: map[string]string{"order": "42"}, StreamingConfiguration: &types.ChatStreamingConfiguration{StreamingEndpointArn: aws.String(topicA)}}})
	if err != nil {
		t.Fatal(err)
	}
	if !aws.ToBool(first.NewChatCreated) || first.InitialContactId == nil {
		t.Fatalf("first text: %+v", first)
	}
	id := *first.InitialContactId
	c := e.describe(id)
	if c.Channel != types.ChannelChat || c.InitiationMethod != types.ContactInitiationMethodInbound || c.Attributes["order"] != "42" ||
		aws.ToString(c.CustomerEndpoint.Address) != "+14155550177" || aws.ToString(c.SegmentAttributes["connect:Subtype"].ValueString) != "connect:SMS" {
		t.Fatalf("the chat a text started: %+v", c)
	}
	var msg map[string]any
	for range 5 {
		if _, item := streamedItem(t, stream.next(t)); item["Type"] == "MESSAGE" {
			msg = item
			break
		}
	}
	if msg == nil || msg["Content"] != "hi" || msg["ParticipantRole"] != "CUSTOMER" || msg["DisplayName"] != "Ana" {
		t.Fatalf("streamed message %v", msg)
	}

	again, err := send(connect.SendChatIntegrationEventInput{Event: text("are you there?")})
	if err != nil || aws.ToBool(again.NewChatCreated) || *again.InitialContactId != id {
		t.Fatalf("second text: %v %+v", err, again)
	}
	if _, err := send(connect.SendChatIntegrationEventInput{Event: &types.ChatEvent{Type: types.ChatEventTypeDisconnect}}); err != nil {
		t.Fatal(err)
	}
	if c := e.describe(id); c.DisconnectTimestamp == nil {
		t.Fatal("DISCONNECT did not end the chat")
	}
	_, err = send(connect.SendChatIntegrationEventInput{Event: &types.ChatEvent{Type: types.ChatEventTypeDisconnect}})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)

	// Refusals.
	_, err = send(connect.SendChatIntegrationEventInput{Subtype: aws.String("connect:WhatsApp"), Event: text("x")})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = send(connect.SendChatIntegrationEventInput{Event: &types.ChatEvent{Type: types.ChatEventTypeEvent, ContentType: aws.String("application/vnd.amazonaws.connect.event.typing")}})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = send(connect.SendChatIntegrationEventInput{Event: &types.ChatEvent{Type: types.ChatEventTypeMessage, ContentType: aws.String("text/markdown"), Content: aws.String("*x*")}})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = send(connect.SendChatIntegrationEventInput{Event: text(strings.Repeat("x", 1025))})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = send(connect.SendChatIntegrationEventInput{DestinationId: aws.String("+12065550999"), Event: text("x")})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = send(connect.SendChatIntegrationEventInput{SourceId: aws.String("+14155550188"), Event: text("x"),
		NewSessionDetails: &types.NewSessionDetails{StreamingConfiguration: &types.ChatStreamingConfiguration{StreamingEndpointArn: aws.String(topicB)}}})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	if out, err := send(connect.SendChatIntegrationEventInput{SourceId: aws.String("+14155550188"), Event: text("x")}); err != nil || !aws.ToBool(out.NewChatCreated) {
		t.Fatalf("the refused streaming endpoint left a chat behind: %v %+v", err, out)
	}
	_, err = e.Raw.SendChatIntegrationEvent(ctx, &connect.SendChatIntegrationEventInput{DestinationId: aws.String("+12065550142"), Event: text("x")})
	sbtest.APIError(t, err, "InvalidRequestException", 400) // no SourceId
}
