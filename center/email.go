package center

import (
	"context"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/domain"
)

var _ agentapi.EmailReader = (*Center)(nil)

// ContactEmail implements agentapi.EmailReader: the agent who accepted an
// email contact reads its message, while connected to it and in the
// after-contact work that follows. (Amazon Connect keeps the message as an
// attached file, fetched with GetAttachedFile, which Switchboard does not
// implement yet.)
func (c *Center) ContactEmail(ctx context.Context, instanceID, userID, contactID string) (agentapi.ContactEmail, error) {
	err := c.withAgent(ctx, instanceID, userID, func(_ *inst, a *agent) error {
		hc, err := heldBy(a, contactID, "CONNECTED", "CONNECTED_ONHOLD", "PAUSED", "ENDED")
		if err != nil {
			return err
		}
		if hc.channel != "EMAIL" {
			return agentapi.Errorf(agentapi.CodeInvalidState, "Contact %s is a %s contact; only an email contact has an email to read.", contactID, hc.channel)
		}
		return nil
	})
	if err != nil {
		return agentapi.ContactEmail{}, err
	}
	// Read outside the instance's lock, like JoinChat: the message is the
	// contact's, not the runtime's.
	ct, err := c.svc.DescribeContact(ctx, instanceID, contactID)
	if err != nil {
		return agentapi.ContactEmail{}, agentErr(err)
	}
	m := ct.Email
	if m == nil {
		return agentapi.ContactEmail{}, agentapi.Errorf(agentapi.CodeInvalidState, "Contact %s has no message yet.", contactID)
	}
	out := agentapi.ContactEmail{ContactID: ct.ID, From: emailAddress(m.From), Destination: m.Destination,
		Subject: m.Subject, ContentType: m.ContentType, Body: m.Body, Headers: m.Headers}
	for _, e := range m.To {
		out.To = append(out.To, emailAddress(e))
	}
	for _, e := range m.Cc {
		out.Cc = append(out.Cc, emailAddress(e))
	}
	for _, f := range m.Attachments {
		out.Attachments = append(out.Attachments, agentapi.EmailAttachment{FileName: f.FileName, URL: f.URL})
	}
	return out, nil
}

func emailAddress(e domain.Endpoint) agentapi.EmailAddress {
	return agentapi.EmailAddress{Address: e.Address, DisplayName: e.DisplayName}
}
