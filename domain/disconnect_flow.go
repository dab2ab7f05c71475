package domain

import (
	"context"
	"errors"
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
		n := s.newContact(c.InstanceID, c.Channel, "DISCONNECT", now)
		n.PreviousContactID, n.InitialContactID, n.ContactAssociationID = c.ID, c.InitialContactID, c.ContactAssociationID
		n.RelatedContactID, n.Name, n.Description, n.References = c.RelatedContactID, c.Name, c.Description, c.References
		n.SegmentAttributes, n.CustomerEndpoint, n.SystemEndpoint, n.CustomerID = c.SegmentAttributes, c.CustomerEndpoint, c.SystemEndpoint, c.CustomerID
		n.QueuePriority, n.ContactFlowID, n.FlowLogging, n.Transfers = c.QueuePriority, fl.ID, c.FlowLogging, c.Transfers
		// The chat's duration is the chat's, not the segment's: a
		// disconnect flow cannot make a chat outlive ChatDurationInMinutes.
		n.ConnectedToSystemTime, n.ExpiryTime = now, c.ExpiryTime
		chat := *c.Chat
		// The InitialMessage belongs to the chat's start; it is not sent
		// again.
		chat.InitialMessage, chat.InitialMessageType = "", ""
		n.Chat = &chat
		attrs, err := s.attributesOf(tx, c)
		if err != nil {
			return err
		}
		next = n
		return s.commitNew(tx, n, attrs, nil, ErrInvalidRequest, "", "", nil, now)
	})
	if err != nil {
		return nil, nil, err
	}
	if !changed {
		return ended, nil, nil
	}
	if next != nil {
		s.emitStarted(next)
	}
	s.emitEnded(ended)
	if next != nil && next.FlowDone && next.Ended() {
		// The disconnect flow ran before commit and ended the chat.
		s.emitEnded(next)
	} else if next != nil && next.FlowDone && next.State == StateQueued {
		s.emit(next, EventQueued)
	}
	return ended, next, nil
}
