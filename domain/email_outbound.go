package domain

import (
	"context"
	"errors"
	"strings"
	"time"
)

// OutboundEmailParams are the inputs of StartOutboundEmailContact and
// SendOutboundEmail (ContactID is empty for the latter).
type OutboundEmailParams struct {
	InstanceID, ContactID string
	From                  *Endpoint // nil: the instance address the reply goes out from
	Destination           Endpoint
	Cc                    []Endpoint
	MessageSourceType     string
	Subject, Body         string
	ContentType           string
	HasRaw                bool
	TrafficType           string
	ClientToken           string
}

// validate holds the rules both operations share.
func (p *OutboundEmailParams) validate() error {
	if p.MessageSourceType == "TEMPLATE" {
		return Errorf(ErrInvalidRequest, "EmailMessage.MessageSourceType TEMPLATE needs Amazon Q in Connect message templates, which Switchboard does not have; send MessageSourceType RAW with a RawMessage.")
	}
	if p.MessageSourceType != "RAW" || !p.HasRaw {
		return Errorf(ErrInvalidRequest, "EmailMessage needs MessageSourceType RAW and a RawMessage with Subject, Body and ContentType.")
	}
	if p.Subject == "" || p.Body == "" {
		return Errorf(ErrInvalidRequest, "EmailMessage.RawMessage needs a non-empty Subject and Body.")
	}
	if strings.ContainsAny(p.Subject, "\r\n") {
		return Errorf(ErrInvalidRequest, "EmailMessage.RawMessage.Subject must be one line.")
	}
	if p.ContentType != "text/plain" && p.ContentType != "text/html" {
		return Errorf(ErrInvalidRequest, "EmailMessage.RawMessage.ContentType must be text/plain or text/html, not %q.", clip(p.ContentType, 64))
	}
	if !emailPattern.MatchString(p.Destination.Address) {
		return Errorf(ErrInvalidRequest, "DestinationEmailAddress.EmailAddress %q is not an email address.", clip(p.Destination.Address, 255))
	}
	if n := 1 + len(p.Cc); n > MaxEmailRecipients {
		return Errorf(ErrInvalidRequest, "The email has %d recipients including DestinationEmailAddress; at most %d are allowed (1 To and up to 49 CC).", n, MaxEmailRecipients)
	}
	for _, r := range p.Cc {
		if !emailPattern.MatchString(r.Address) {
			return Errorf(ErrInvalidRequest, "CC recipient %q is not an email address.", clip(r.Address, 255))
		}
	}
	for _, e := range append([]Endpoint{p.Destination}, p.Cc...) {
		if strings.ContainsAny(e.DisplayName, "\r\n") {
			return Errorf(ErrInvalidRequest, "Display name %q must be one line.", clip(e.DisplayName, 64))
		}
	}
	return nil
}

// instanceAddress finds an email address of the instance (case-insensitive).
func instanceAddress(tx ReadTx, iid, address string) (*EmailAddress, error) {
	ea, err := getDocByName[EmailAddress](tx, KindEmailAddress, iid, strings.ToLower(address))
	if errors.Is(err, ErrStoreNotFound) {
		return nil, Errorf(ErrNotFound, "FromEmailAddress %s is not an email address of instance %s; create it with CreateEmailAddress first.", clip(address, 255), iid)
	}
	return ea, err
}

// messageDomain is the part of an address after '@', for Message-IDs.
func messageDomain(address string) string {
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		return address[i+1:]
	}
	return "switchboard.invalid"
}

// threadHeaders returns In-Reply-To and References for a reply to an
// inbound email contact.
func threadHeaders(rel *Contact) (string, []string) {
	if rel == nil || rel.Email == nil {
		return "", nil
	}
	id := angle(rel.Email.Headers["MESSAGE_ID"])
	if id == "" {
		return "", nil
	}
	refs := strings.Fields(rel.Email.Headers["REFERENCES"])
	if len(refs) == 0 {
		if irt := angle(rel.Email.Headers["IN_REPLY_TO"]); irt != "" {
			refs = []string{irt}
		}
	}
	return id, append(refs, id)
}

// angle puts a message ID in angle brackets, as the headers carry it.
func angle(id string) string {
	id = strings.TrimSpace(id)
	if id == "" || strings.HasPrefix(id, "<") {
		return id
	}
	return "<" + id + ">"
}

// StartOutboundEmailContact sends the email of an EMAIL contact created by
// CreateContact (InitiationMethod OUTBOUND, AGENT_REPLY or FLOW). The email
// is queued for the SMTP relay in the same transaction that records it on
// the contact, so an accepted email is sent even across a restart.
func (s *Service) StartOutboundEmailContact(ctx context.Context, p OutboundEmailParams) (string, error) {
	const op = "StartOutboundEmailContact"
	if err := p.validate(); err != nil {
		return "", err
	}
	var id string
	tok := newClientToken(op, p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		now := s.now()
		iid, err := s.instanceID(tx, p.InstanceID)
		if err != nil {
			return err
		}
		c, err := s.getContact(tx, iid, p.ContactID)
		if err != nil {
			return err
		}
		// The result is the contact, so the token is claimed once it is
		// found, and before the checks that a replay (the email already
		// sent) would fail.
		if id, err = s.claimToken(tx, iid, tok, c.ID, now); err != nil || id != "" {
			return err
		}
		switch {
		case c.Channel != "EMAIL":
			return Errorf(ErrInvalidRequest, "Contact %s is a %s contact; StartOutboundEmailContact sends the email of an EMAIL contact made by CreateContact.", c.ID, c.Channel)
		case c.InitiationMethod != "OUTBOUND" && c.InitiationMethod != "AGENT_REPLY" && c.InitiationMethod != "FLOW":
			return Errorf(ErrInvalidRequest, "Contact %s has InitiationMethod %s; create the contact with CreateContact Channel EMAIL and InitiationMethod OUTBOUND, AGENT_REPLY or FLOW.", c.ID, c.InitiationMethod)
		case c.Email != nil:
			return Errorf(ErrInvalidRequest, "The email of contact %s was already sent; create a new contact with CreateContact for another email.", c.ID)
		case c.Ended():
			return Errorf(ErrInvalidRequest, "Contact %s has ended.", c.ID)
		}
		var rel *Contact
		if c.RelatedContactID != "" {
			if rel, err = s.getContact(tx, iid, c.RelatedContactID); err != nil {
				return err
			}
		}
		var from *EmailAddress
		switch {
		case p.From != nil:
			from, err = instanceAddress(tx, iid, p.From.Address)
		case rel != nil && rel.Channel == "EMAIL" && rel.SystemEndpoint != nil:
			// A reply goes out from the address the inbound email came to.
			from, err = instanceAddress(tx, iid, rel.SystemEndpoint.Address)
		default:
			return Errorf(ErrInvalidRequest, "FromEmailAddress is required unless the contact replies to an inbound email (CreateContact RelatedContactId): pass an email address of the instance.")
		}
		if err != nil {
			return err
		}
		mail := s.outboundMail(iid, c.ID, s.newID(), from, p, now)
		mail.InReplyTo, mail.References = threadHeaders(rel)
		row, err := outboxRow(iid, "email/"+iid+"/"+c.ID, OutboxEmail, mail, now)
		if err != nil {
			return err
		}
		if err := tx.AppendOutbox(row); err != nil {
			return err
		}
		c.SystemEndpoint = &Endpoint{Type: "EMAIL_ADDRESS", Address: mail.From.Address, DisplayName: mail.From.DisplayName}
		c.CustomerEndpoint = &Endpoint{Type: "EMAIL_ADDRESS", Address: p.Destination.Address, DisplayName: p.Destination.DisplayName}
		c.Email = &EmailDetails{From: mail.From, Destination: p.Destination.Address, To: []Endpoint{p.Destination}, Cc: p.Cc,
			Subject: p.Subject, Body: p.Body, ContentType: p.ContentType, MessageSourceType: p.MessageSourceType,
			Headers: map[string]string{"MESSAGE_ID": "<" + mail.MessageID + ">"}}
		if mail.InReplyTo != "" {
			c.Email.Headers["IN_REPLY_TO"] = mail.InReplyTo
			c.Email.Headers["REFERENCES"] = strings.Join(mail.References, " ")
		}
		if c.ConnectedToSystemTime.IsZero() {
			c.ConnectedToSystemTime = now
		}
		c.LastUpdateTime = now
		id = c.ID
		return s.putContact(tx, c)
	})
	return id, err
}

// SendOutboundEmail sends an email that belongs to no contact (campaigns).
func (s *Service) SendOutboundEmail(ctx context.Context, p OutboundEmailParams) error {
	const op = "SendOutboundEmail"
	if p.TrafficType != "GENERAL" && p.TrafficType != "CAMPAIGN" {
		return Errorf(ErrInvalidRequest, "TrafficType must be GENERAL or CAMPAIGN, not %q.", clip(p.TrafficType, 32))
	}
	if p.From == nil || !emailPattern.MatchString(p.From.Address) {
		return Errorf(ErrInvalidRequest, "FromEmailAddress.EmailAddress must be an email address of the instance.")
	}
	if err := p.validate(); err != nil {
		return err
	}
	tok := newClientToken(op, p.ClientToken, p)
	return s.update(ctx, func(tx Tx) error {
		// The token records the local part of the email's Message-ID.
		cl, err := s.claimNew(tx, p.InstanceID, tok)
		if err != nil || cl.prior != "" {
			return err
		}
		now, iid, local := cl.now, cl.instanceID, cl.id
		from, err := instanceAddress(tx, iid, p.From.Address)
		if err != nil {
			return err
		}
		mail := s.outboundMail(iid, "", local, from, p, now)
		row, err := outboxRow(iid, "email/"+iid+"/"+mail.MessageID, OutboxEmail, mail, now)
		if err != nil {
			return err
		}
		return tx.AppendOutbox(row)
	})
}

// outboundMail fixes what the MIME message will say. localID is the local
// part of its Message-ID, made by the caller so that a ClientToken can
// record it.
func (s *Service) outboundMail(iid, contactID, localID string, from *EmailAddress, p OutboundEmailParams, now time.Time) *OutboundEmail {
	fromEP := Endpoint{Type: "EMAIL_ADDRESS", Address: from.Address, DisplayName: from.DisplayName}
	if p.From != nil && p.From.DisplayName != "" {
		fromEP.DisplayName = p.From.DisplayName
	}
	return &OutboundEmail{InstanceID: iid, ContactID: contactID, MessageID: localID + "@" + messageDomain(from.Address), Date: now,
		From: fromEP, To: []Endpoint{p.Destination}, Cc: p.Cc, Subject: p.Subject, Body: p.Body, ContentType: p.ContentType}
}
