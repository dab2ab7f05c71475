package awsapi

import (
	"context"
	"errors"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// SendChatIntegrationEvent handles the operation of the same name: what
// AWS End User Messaging calls when a customer texts a Connect number. A
// MESSAGE is the customer's text in the open SMS chat between SourceId
// (the customer's number) and DestinationId (the claimed number), or in a
// new chat that the number's SMS flow runs; DISCONNECT is the customer
// leaving the open chat. It is the SDK's way to the inbound path that
// serve's signed /switchboard/v1/sms/inbound webhook also takes.
func (h *Handlers) SendChatIntegrationEvent(ctx context.Context, in *cw.SendChatIntegrationEventRequest) (*cw.SendChatIntegrationEventResponse, error) {
	if h.chats == nil {
		return nil, domain.Errorf(domain.ErrInvalidRequest, "This server has no chat service; chat integration events cannot be taken.")
	}
	if sub := deref(in.Subtype); sub != "" && sub != "connect:SMS" {
		return nil, domain.Errorf(domain.ErrInvalidRequest, "Subtype %q is not supported; this server takes connect:SMS integration events.", sub)
	}
	customer, system := deref(in.SourceId), deref(in.DestinationId)
	ev := in.Event
	switch ev.Type {
	case cw.ChatEventTypeMessage:
		if ct := deref(ev.ContentType); ct != "text/plain" {
			return nil, domain.Errorf(domain.ErrInvalidRequest, "An SMS MESSAGE event has ContentType text/plain, not %q.", ct)
		}
		if deref(ev.Content) == "" {
			return nil, domain.Errorf(domain.ErrInvalidRequest, "A MESSAGE event needs its Content: the text.")
		}
	case cw.ChatEventTypeDisconnect:
	default:
		return nil, domain.Errorf(domain.ErrInvalidRequest, "Event type %s is not supported for SMS; send MESSAGE or DISCONNECT.", ev.Type)
	}
	if d := in.NewSessionDetails; d != nil && d.StreamingConfiguration != nil {
		// Checked before a chat is started, so that a bad endpoint leaves
		// nothing behind: StartContactStreaming's own checks, which refuse
		// an endpoint that is not configured before they write anything.
		if arn := deref(d.StreamingConfiguration.StreamingEndpointArn); h.streaming == nil || !h.streaming(arn) {
			_, err := h.svc.StartContactStreaming(ctx, domain.StartStreamingParams{EndpointARN: arn, ClientToken: "check"}, false)
			return nil, err
		}
	}
	c, err := h.svc.FindSMSChat(ctx, customer, system)
	if err != nil {
		return nil, err
	}
	created := false
	if c == nil {
		if ev.Type == cw.ChatEventTypeDisconnect {
			return nil, domain.Errorf(domain.ErrNotFound, "No open SMS chat between %s and %s to disconnect.", customer, system)
		}
		var ns domain.SMSSession
		if d := in.NewSessionDetails; d != nil {
			if d.ParticipantDetails != nil {
				ns.DisplayName = deref(d.ParticipantDetails.DisplayName)
			}
			ns.Attributes = d.Attributes
		}
		c, created, err = h.svc.StartInboundSMSChatWith(ctx, customer, system, ns)
		if errors.Is(err, domain.ErrNoSMSFlow) {
			return nil, domain.Errorf(domain.ErrNotFound, "No open SMS chat between %s and %s, and %s is not a claimed number with a flow for texts: associate one with AssociateFlow (SMS_PHONE_NUMBER).", customer, system, system)
		}
		if err != nil {
			return nil, err
		}
		if d := in.NewSessionDetails; created && d != nil && d.StreamingConfiguration != nil {
			p := domain.StartStreamingParams{InstanceID: c.InstanceID, ContactID: c.ID, EndpointARN: deref(d.StreamingConfiguration.StreamingEndpointArn),
				ClientToken: "SendChatIntegrationEvent:" + c.ID}
			if _, err := h.svc.StartContactStreaming(ctx, p, h.streaming != nil && h.streaming(p.EndpointARN)); err != nil {
				return nil, err
			}
		}
	}
	if ev.Type == cw.ChatEventTypeDisconnect {
		err = h.chats.CustomerLeft(ctx, c.InstanceID, c.ID)
	} else {
		_, err = h.chats.ReceiveCustomerMessage(ctx, c.InstanceID, c.ID, "text/plain", deref(ev.Content))
	}
	if err != nil {
		return nil, chatError(err)
	}
	return &cw.SendChatIntegrationEventResponse{InitialContactId: ref(c.InitialContactID), NewChatCreated: ref(created)}, nil
}
