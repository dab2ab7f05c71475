package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// outboundEmailIn converts the parts the two outbound email operations
// share.
func outboundEmailIn(from, dest *cw.EmailAddressInfo, extra *cw.OutboundAdditionalRecipients, msg *cw.OutboundEmailContent) domain.OutboundEmailParams {
	var p domain.OutboundEmailParams
	if from != nil {
		p.From = &domain.Endpoint{Type: "EMAIL_ADDRESS", Address: deref(from.EmailAddress), DisplayName: deref(from.DisplayName)}
	}
	if dest != nil {
		p.Destination = domain.Endpoint{Type: "EMAIL_ADDRESS", Address: deref(dest.EmailAddress), DisplayName: deref(dest.DisplayName)}
	}
	if extra != nil {
		for _, c := range extra.CcEmailAddresses {
			p.Cc = append(p.Cc, domain.Endpoint{Type: "EMAIL_ADDRESS", Address: deref(c.EmailAddress), DisplayName: deref(c.DisplayName)})
		}
	}
	if msg != nil {
		p.MessageSourceType = string(msg.MessageSourceType)
		if raw := msg.RawMessage; raw != nil {
			p.HasRaw = true
			p.Subject, p.Body, p.ContentType = deref(raw.Subject), deref(raw.Body), deref(raw.ContentType)
		}
	}
	return p
}

// StartOutboundEmailContact handles the operation of the same name.
func (h *Handlers) StartOutboundEmailContact(ctx context.Context, in *cw.StartOutboundEmailContactRequest) (*cw.StartOutboundEmailContactResponse, error) {
	p := outboundEmailIn(in.FromEmailAddress, in.DestinationEmailAddress, in.AdditionalRecipients, in.EmailMessage)
	p.InstanceID, p.ContactID, p.ClientToken = deref(in.InstanceId), deref(in.ContactId), deref(in.ClientToken)
	id, err := h.svc.StartOutboundEmailContact(ctx, p)
	if err != nil {
		return nil, err
	}
	return &cw.StartOutboundEmailContactResponse{ContactId: ref(id)}, nil
}

// SendOutboundEmail handles the operation of the same name.
func (h *Handlers) SendOutboundEmail(ctx context.Context, in *cw.SendOutboundEmailRequest) (*cw.SendOutboundEmailResponse, error) {
	p := outboundEmailIn(in.FromEmailAddress, in.DestinationEmailAddress, in.AdditionalRecipients, in.EmailMessage)
	p.InstanceID, p.TrafficType, p.ClientToken = deref(in.InstanceId), string(in.TrafficType), deref(in.ClientToken)
	if err := h.svc.SendOutboundEmail(ctx, p); err != nil {
		return nil, err
	}
	return &cw.SendOutboundEmailResponse{}, nil
}
