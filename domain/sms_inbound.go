package domain

import (
	"context"
	"errors"
	"time"
)

// ErrNoSMSFlow answers StartInboundSMSChat for a number that is not
// claimed or has no flow: the text has nowhere to go.
var ErrNoSMSFlow = errors.New("no flow for inbound texts")

// StartInboundSMSChat starts the chat contact a customer's text opens when
// no chat with them is open on the number: an SMS chat (segment attribute
// connect:Subtype connect:SMS) initiated INBOUND, in the flow associated
// with the number (AssociatePhoneNumberContactFlow). It answers
// ErrNoSMSFlow when system is not a claimed number with a flow.
func (s *Service) StartInboundSMSChat(ctx context.Context, customer, system string) (*Contact, error) {
	var created *Contact
	err := s.update(ctx, func(tx Tx) error {
		pn, err := getDocByName[PhoneNumber](tx, KindPhoneNumber, "", system)
		if isNotFound(err) {
			return ErrNoSMSFlow
		}
		if err != nil {
			return err
		}
		if pn.InstanceID == "" || pn.ContactFlowID == "" {
			return ErrNoSMSFlow
		}
		now := s.now()
		fid, err := s.flowID(tx, pn.InstanceID, pn.ContactFlowID)
		if err != nil {
			return err
		}
		sub := "connect:SMS"
		c := s.newContact(pn.InstanceID, "CHAT", "INBOUND", now)
		c.ContactFlowID = fid
		c.SegmentAttributes = map[string]SegmentValue{"connect:Subtype": {String: &sub}}
		c.CustomerEndpoint = &Endpoint{Type: "TELEPHONE_NUMBER", Address: customer}
		c.SystemEndpoint = &Endpoint{Type: "TELEPHONE_NUMBER", Address: pn.Number}
		c.ConnectedToSystemTime = now
		c.ExpiryTime = now.Add(DefaultChatMinutes * time.Minute)
		c.Chat = &ChatDetails{ParticipantID: s.newID(), ParticipantToken: newToken(), DisplayName: customer,
			DurationMinutes: DefaultChatMinutes, SupportedContentTypes: []string{"text/plain"}}
		created = c
		return s.commitNew(tx, c, map[string]string{}, nil, ErrInvalidRequest, "StartInboundSMSChat", "", nil, now)
	})
	if err != nil {
		return nil, err
	}
	s.notifyStarted(ctx, created)
	return created, nil
}
