package domain

import "context"

// MaxTransfers is how many times a contact may be transferred with
// TransferContact (Connect: 11 per contact).
const MaxTransfers = 11

// TransferParams are the inputs of TransferContact.
type TransferParams struct {
	InstanceID, ContactID string
	QueueID, UserID       string
	ContactFlowID         string
	ClientToken           string
}

// TransferContact moves a task or email to a queue or an agent through a
// flow. As in Connect, the transfer creates a new contact (InitiationMethod
// TRANSFER, PreviousContactId the transferred one, same chain and
// attributes) and ends the transferred one; the runtime runs the flow with
// the destination as its target queue.
func (s *Service) TransferContact(ctx context.Context, p TransferParams) (*Contact, error) {
	const op = "TransferContact"
	if p.QueueID != "" && p.UserID != "" {
		return nil, Errorf(ErrInvalidRequest, "Pass QueueId or UserId, not both: a contact is transferred to a queue or to an agent's queue.")
	}
	var out, ended *Contact
	var created bool
	tok := newClientToken(op, p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		cl, err := s.claimNew(tx, p.InstanceID, tok)
		if err != nil {
			return err
		}
		now, iid, cid := cl.now, cl.instanceID, cl.id
		if cl.prior != "" {
			out, err = s.getContact(tx, iid, cl.prior)
			return err
		}
		old, err := s.getContact(tx, iid, p.ContactID)
		if err != nil {
			return err
		}
		if old.Channel != "TASK" && old.Channel != "EMAIL" {
			return Errorf(ErrInvalidRequest, "TransferContact supports TASK and EMAIL contacts; contact %s is %s.", old.ID, old.Channel)
		}
		if old.Ended() {
			return Errorf(ErrInvalidRequest, "Contact %s has ended; only active contacts can be transferred.", old.ID)
		}
		if old.Transfers >= MaxTransfers {
			return Errorf(ErrQuotaExceeded, "Contact %s has been transferred %d times, the most Connect allows.", old.ID, old.Transfers)
		}
		fl, err := getIn[ContactFlow](tx, KindContactFlow, iid, p.ContactFlowID)
		if err != nil {
			return err
		}
		switch fl.Type {
		case "CONTACT_FLOW", "AGENT_TRANSFER", "QUEUE_TRANSFER":
		default:
			return Errorf(ErrInvalidRequest, "Flow %s (%s) is of type %s; TransferContact takes an inbound (CONTACT_FLOW), AGENT_TRANSFER or QUEUE_TRANSFER flow.", fl.ID, fl.Name, fl.Type)
		}
		c := s.newContact(cid, iid, old.Channel, "TRANSFER", now)
		c.PreviousContactID, c.InitialContactID, c.ContactAssociationID = old.ID, old.InitialContactID, old.ContactAssociationID
		c.RelatedContactID, c.Name, c.Description, c.References = old.RelatedContactID, old.Name, old.Description, old.References
		c.SegmentAttributes, c.CustomerEndpoint, c.SystemEndpoint, c.Email = old.SegmentAttributes, old.CustomerEndpoint, old.SystemEndpoint, old.Email
		c.TaskTemplateID, c.TaskTemplateName, c.Attachments = old.TaskTemplateID, old.TaskTemplateName, old.Attachments
		c.QueuePriority, c.ContactFlowID, c.Transfers = old.QueuePriority, fl.ID, old.Transfers+1
		c.ConnectedToSystemTime, c.ExpiryTime = now, old.ExpiryTime
		switch {
		case p.QueueID != "":
			q, err := getIn[Queue](tx, KindQueue, iid, p.QueueID)
			if err != nil {
				return err
			}
			c.TransferQueueID = q.ID
		case p.UserID != "":
			u, err := getIn[User](tx, KindUser, iid, p.UserID)
			if err != nil {
				return err
			}
			c.TransferQueueID, c.TransferAgentID = u.AgentQueueID, u.ID
		}
		s.endContact(old, now, "TRANSFER")
		if err := s.putContact(tx, old); err != nil {
			return err
		}
		attrs, err := s.attributesOf(tx, old)
		if err != nil {
			return err
		}
		out, ended, created = c, old, true
		return s.commitNew(tx, c, attrs, nil, ErrInvalidRequest, now)
	})
	if err == nil && created {
		s.notifyChanged(ctx, ended, ChangeStopped)
		s.notifyStarted(ctx, out)
	}
	return out, err
}
