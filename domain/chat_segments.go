package domain

import (
	"context"
	"errors"
	"time"
)

// HookCustomerRemaining is the event hook that names a contact's
// disconnect flow (UpdateContactEventHooks' CustomerRemaining).
const HookCustomerRemaining = "CustomerRemaining"

// EndAgentSide ends the agent's side of a contact: the agent left a chat
// (ended it from the agent API, disconnected their participant, or the
// chat's idle timer removed them).
//
// Without a disconnect flow the contact ends with reason, as EndContact
// does, and next is nil. A chat whose contact has one (EventHooks
// CustomerRemaining) does what Connect does for post-chat surveys and
// "the agent left, do you still need help?": the contact ends with reason
// and the agent goes to after-contact work, and the customer stays in the
// chat, which goes on in a new contact (InitiationMethod DISCONNECT,
// PreviousContactId the ended one, the same chain and attributes) that
// runs the disconnect flow. The new contact starts connected to the
// system; the runtime runs its flow.
//
// Events go out in the order the chat needs them: the new contact's
// INITIATED first (the chat moves its customer into it), then the ended
// contact's DISCONNECTED (which must not end the chat that moved on).
//
// An ended contact is left as it is: ended is returned, next is nil.
// Nothing calls the runtime: the caller (the runtime itself) hands next to
// it once it can.
func (s *Service) EndAgentSide(ctx context.Context, instanceID, contactID, reason string) (ended, next *Contact, err error) {
	changed := false
	err = s.update(ctx, func(tx Tx) error {
		ended, next, changed = nil, nil, false
		now := s.now()
		c, err := s.getContact(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		ended = c
		if c.Ended() {
			return nil
		}
		s.endContact(c, now, reason)
		if err := s.putContact(tx, c); err != nil {
			return err
		}
		changed = true
		flowID := c.EventHooks[HookCustomerRemaining]
		if c.Channel != "CHAT" || c.Chat == nil || flowID == "" {
			return nil
		}
		fl, err := getDoc[ContactFlow](tx, KindContactFlow, c.InstanceID, flowID)
		if errors.Is(err, ErrStoreNotFound) {
			// The flow was deleted since the hook was set: Connect cannot
			// run it either, so the chat simply ends.
			return nil
		}
		if err != nil {
			return err
		}
		n := s.nextSegment(c, "DISCONNECT", fl.ID, now)
		attrs, err := s.attributesOf(tx, c)
		if err != nil {
			return err
		}
		next = n
		return s.commitNew(tx, n, attrs, nil, ErrInvalidRequest, now)
	})
	if err != nil {
		return nil, nil, err
	}
	if !changed {
		return ended, nil, nil
	}
	if next == nil {
		s.emitEnded(ended)
		return ended, nil, nil
	}
	s.emitContinued(ended, next)
	return ended, next, nil
}

// nextSegment is the contact a chat goes on in after c: the same chain
// (InitialContactId, attributes), customer and chat, a new ID, started by
// method and running flowID, connected to the system now.
func (s *Service) nextSegment(c *Contact, method, flowID string, now time.Time) *Contact {
	n := s.newContact(s.newID(), c.InstanceID, c.Channel, method, now)
	n.PreviousContactID, n.InitialContactID, n.ContactAssociationID = c.ID, c.InitialContactID, c.ContactAssociationID
	n.RelatedContactID, n.Name, n.Description, n.References = c.RelatedContactID, c.Name, c.Description, c.References
	n.SegmentAttributes, n.CustomerEndpoint, n.SystemEndpoint, n.CustomerID = c.SegmentAttributes, c.CustomerEndpoint, c.SystemEndpoint, c.CustomerID
	n.QueuePriority, n.ContactFlowID, n.FlowLogging, n.Transfers = c.QueuePriority, flowID, c.FlowLogging, c.Transfers
	// The chat's duration is the chat's, not the segment's: a later
	// segment cannot make a chat outlive ChatDurationInMinutes.
	n.ConnectedToSystemTime, n.ExpiryTime = now, c.ExpiryTime
	if c.Chat != nil {
		chat := *c.Chat
		// The InitialMessage belongs to the chat's start; it is not sent
		// again.
		chat.InitialMessage, chat.InitialMessageType = "", ""
		n.Chat = &chat
	}
	return n
}

// TransferChat is an agent's quick-connect transfer of a chat they are
// connected to (Connect's CCP does it; the agent API exposes it): the
// agent's contact ends (reason TRANSFER) and goes to after-contact work,
// and the chat goes on, with its customer, in a new contact
// (InitiationMethod TRANSFER, PreviousContactId the agent's contact) that
// runs the quick connect's flow with its queue, or its user's agent queue,
// as the target. At most MaxTransfers per chain.
//
// Events go out as for EndAgentSide: the new contact's INITIATED first
// (the chat moves its customer and announces transfer.succeeded), then the
// old contact's DISCONNECTED. Nothing calls the runtime: the caller hands
// next to it.
func (s *Service) TransferChat(ctx context.Context, instanceID, contactID, quickConnectID string) (ended, next *Contact, err error) {
	err = s.update(ctx, func(tx Tx) error {
		ended, next = nil, nil
		now := s.now()
		c, err := s.getContact(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		if c.Channel != "CHAT" || c.Chat == nil {
			return Errorf(ErrInvalidRequest, "Contact %s is a %s contact; TransferChat moves chats (tasks and emails go through TransferContact).", c.ID, c.Channel)
		}
		if c.State != StateConnected {
			return Errorf(ErrConflict, "Chat %s is not connected to an agent; only a connected chat can be transferred.", c.ID)
		}
		if c.Transfers >= MaxTransfers {
			return Errorf(ErrQuotaExceeded, "Contact %s has been transferred %d times, the most Connect allows.", c.ID, c.Transfers)
		}
		dest, err := quickConnectDestination(tx, c.InstanceID, quickConnectID, "a chat can be transferred with")
		if err != nil {
			return err
		}
		n := s.nextSegment(c, "TRANSFER", dest.flowID, now)
		n.Transfers = c.Transfers + 1
		n.TransferQueueID, n.TransferAgentID = dest.queueID, dest.agentID
		s.endContact(c, now, "TRANSFER")
		if err := s.putContact(tx, c); err != nil {
			return err
		}
		attrs, err := s.attributesOf(tx, c)
		if err != nil {
			return err
		}
		ended, next = c, n
		return s.commitNew(tx, n, attrs, nil, ErrInvalidRequest, now)
	})
	if err != nil {
		return nil, nil, err
	}
	s.emitContinued(ended, next)
	return ended, next, nil
}

// emitContinued publishes a chat going on from ended into next in the
// order the chat needs (see EndAgentSide).
func (s *Service) emitContinued(ended, next *Contact) {
	s.emitStarted(next)
	s.emitEnded(ended)
	switch {
	case next.FlowDone && next.Ended():
		// The flow ran before commit and ended the chat.
		s.emitEnded(next)
	case next.FlowDone && next.State == StateQueued:
		s.emit(next, EventQueued)
	}
}

// destination is where a quick connect sends a contact: the flow to run
// and, as that flow's target, a queue or a user's agent queue.
type destination struct {
	flowID, queueID, agentID string
}

// quickConnectDestination resolves a QUEUE or USER quick connect (ID or
// ARN) that has a flow; use says what it is being used for, in errors
// ("tasks can only be started with").
func quickConnectDestination(tx ReadTx, instanceID, ref, use string) (destination, error) {
	qc, err := getDoc[QuickConnect](tx, KindQuickConnect, instanceID, idFromARN(ref, "transfer-destination"))
	if err != nil {
		return destination{}, mapNotFound(err, "Quick connect", ref)
	}
	if qc.Type != "QUEUE" && qc.Type != "USER" {
		return destination{}, Errorf(ErrInvalidRequest, "Quick connect %s is of type %s; %s a QUEUE or USER quick connect only.", qc.ID, qc.Type, use)
	}
	if qc.ContactFlowID == "" {
		return destination{}, Errorf(ErrInvalidRequest, "Quick connect %s has no flow; give it one with UpdateQuickConnectConfig to use it here.", qc.ID)
	}
	d := destination{flowID: qc.ContactFlowID, queueID: qc.QueueID}
	if qc.Type == "USER" {
		u, err := getIn[User](tx, KindUser, instanceID, qc.UserID)
		if err != nil {
			return destination{}, err
		}
		d.queueID, d.agentID = u.AgentQueueID, u.ID
	}
	return d, nil
}

// QuickConnectTransfer resolves a QUEUE or USER quick connect into the
// parameters TransferContact takes for it (the agent API's transfer of a
// task or an email through a quick connect, as the CCP does).
func (s *Service) QuickConnectTransfer(ctx context.Context, instanceID, contactID, quickConnectID string) (TransferParams, error) {
	p := TransferParams{InstanceID: instanceID, ContactID: contactID}
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		dest, err := quickConnectDestination(tx, iid, quickConnectID, "a contact can be transferred with")
		if err != nil {
			return err
		}
		p.ContactFlowID = dest.flowID
		if dest.agentID != "" {
			p.UserID = dest.agentID
		} else {
			p.QueueID = dest.queueID
		}
		return nil
	})
	return p, err
}
