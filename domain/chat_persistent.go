package domain

import "context"

// CreatePersistentContactAssociation makes a live chat continue an ended
// one, as StartChatContact's PersistentChat does for a new chat: the past
// chat's transcript becomes readable in it. A chat continues at most one
// past chat; asking again for the same one answers as the first time did,
// so that a retry succeeds. It returns the contact continued from (with
// ENTIRE_PAST_SESSION, the past session's most recently ended contact).
func (s *Service) CreatePersistentContactAssociation(ctx context.Context, instanceID, contactID, rehydrationType, sourceID string) (string, error) {
	var out string
	err := s.update(ctx, func(tx Tx) error {
		iid, c, err := s.contactIn(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		switch {
		case c.Channel != "CHAT" || c.Chat == nil:
			return Errorf(ErrInvalidRequest, "Contact %s is a %s contact; only chats can be made persistent.", c.ID, c.Channel)
		case c.Ended():
			return Errorf(ErrInvalidRequest, "Chat %s has ended; only a chat in progress can continue a past one.", c.ID)
		}
		src, err := s.rehydrationSource(tx, iid, rehydrationType, sourceID)
		if err != nil {
			return err
		}
		if src.InitialContactID == c.InitialContactID {
			return Errorf(ErrInvalidRequest, "SourceContactId %s is part of chat %s itself; name a past chat.", src.ID, c.ID)
		}
		if prev := c.Chat.ContinuedFromContactID; prev != "" {
			if prev == src.ID && c.Chat.RehydrationType == rehydrationType {
				out = prev
				return nil
			}
			return Errorf(ErrInvalidRequest, "Chat %s already continues contact %s; a chat is made persistent only once.", c.ID, prev)
		}
		c.Chat.ContinuedFromContactID, c.Chat.RehydrationType = src.ID, rehydrationType
		c.LastUpdateTime = s.now()
		out = src.ID
		return s.putContact(tx, c)
	})
	return out, err
}
