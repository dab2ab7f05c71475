package domain

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// ErrNoSMSFlow answers StartInboundSMSChat for a number that is not
// claimed or has no flow: the text has nowhere to go.
var ErrNoSMSFlow = errors.New("no flow for inbound texts")

// StartInboundSMSChat returns the open SMS chat between the two numbers,
// or starts the chat contact a customer's text opens when there is none: an SMS chat (segment attribute
// connect:Subtype connect:SMS) initiated INBOUND, in the flow associated
// with the number (AssociateFlow's SMS_PHONE_NUMBER, or else
// AssociatePhoneNumberContactFlow's). It answers
// ErrNoSMSFlow when system is not a claimed number with a flow.
func (s *Service) StartInboundSMSChat(ctx context.Context, customer, system string) (*Contact, error) {
	c, _, err := s.StartInboundSMSChatWith(ctx, customer, system, SMSSession{})
	return c, err
}

// SMSSession is how a new SMS chat starts (SendChatIntegrationEvent's
// NewSessionDetails): the customer's display name (their number when
// empty) and the chat's first attributes.
type SMSSession struct {
	DisplayName string
	Attributes  map[string]string
}

// StartInboundSMSChatWith is StartInboundSMSChat with the new chat's
// details; created says whether the chat is new.
func (s *Service) StartInboundSMSChatWith(ctx context.Context, customer, system string, ns SMSSession) (c *Contact, created bool, err error) {
	if err := validateAttributes(ns.Attributes, ErrInvalidRequest); err != nil {
		return nil, false, err
	}
	var out, started *Contact
	err = s.update(ctx, func(tx Tx) error {
		// Looked for again in the writer: two texts of one customer that
		// both found no chat must not open two.
		open, err := findSMSChat(tx, customer, system)
		if err != nil || open != nil {
			out = open
			return err
		}
		pn, err := getDocByName[PhoneNumber](tx, KindPhoneNumber, "", system)
		if isNotFound(err) {
			return ErrNoSMSFlow
		}
		if err != nil {
			return err
		}
		// AssociateFlow's SMS flow, as Connect; the number's inbound flow
		// otherwise, as Switchboard did before it had AssociateFlow.
		flow := pn.SMSFlowID
		if flow == "" {
			flow = pn.ContactFlowID
		}
		if pn.InstanceID == "" || flow == "" {
			return ErrNoSMSFlow
		}
		now := s.now()
		fid, err := s.flowID(tx, pn.InstanceID, flow)
		if err != nil {
			return err
		}
		sub := "connect:SMS"
		c := s.newContact(s.newID(), pn.InstanceID, "CHAT", "INBOUND", now)
		c.ContactFlowID = fid
		c.SegmentAttributes = map[string]SegmentValue{"connect:Subtype": {String: &sub}}
		c.CustomerEndpoint = &Endpoint{Type: "TELEPHONE_NUMBER", Address: customer}
		c.SystemEndpoint = &Endpoint{Type: "TELEPHONE_NUMBER", Address: pn.Number}
		c.ConnectedToSystemTime = now
		c.ExpiryTime = now.Add(DefaultChatMinutes * time.Minute)
		name := ns.DisplayName
		if name == "" {
			name = customer
		}
		c.Chat = &ChatDetails{ParticipantID: s.newID(), ParticipantToken: newToken(), DisplayName: name,
			DurationMinutes: DefaultChatMinutes, SupportedContentTypes: []string{"text/plain"}}
		out, started = c, c
		return s.commitNew(tx, c, map[string]string{}, ns.Attributes, ErrInvalidRequest, now)
	})
	if err != nil {
		return nil, false, err
	}
	if started != nil {
		s.notifyStarted(ctx, started)
	}
	return out, started != nil, nil
}

// SMSChat reports whether c is an SMS chat: its texts go to the customer's
// phone rather than to a chat widget.
func (c *Contact) SMSChat() bool {
	v, ok := c.SegmentAttributes["connect:Subtype"]
	return ok && v.String != nil && *v.String == "connect:SMS" &&
		c.CustomerEndpoint != nil && c.SystemEndpoint != nil
}

// FindSMSChat returns the open SMS chat between a customer's number and a
// claimed number (the most recently started one), nil when there is none.
func (s *Service) FindSMSChat(ctx context.Context, customer, system string) (*Contact, error) {
	var out *Contact
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		out, err = findSMSChat(tx, customer, system)
		return err
	})
	return out, err
}

func findSMSChat(tx ReadTx, customer, system string) (*Contact, error) {
	pn, err := getDocByName[PhoneNumber](tx, KindPhoneNumber, "", system)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil || pn.InstanceID == "" {
		return nil, err
	}
	rows, err := tx.QueryContacts(ContactQuery{InstanceID: pn.InstanceID, Channels: []string{"CHAT"}, ActiveOnly: true, Descending: true})
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		var c Contact
		if err := json.Unmarshal(row.Data, &c); err != nil {
			return nil, err
		}
		if c.SMSChat() && c.CustomerEndpoint.Address == customer && c.SystemEndpoint.Address == system {
			return &c, nil
		}
	}
	return nil, nil
}
