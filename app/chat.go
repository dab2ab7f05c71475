package app

import (
	"github.com/switchboard-cc/switchboard/center"
	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/domain"
)

// eventSinks hands each contact event to several sinks, in order.
type eventSinks []domain.EventSink

func (ss eventSinks) ContactEvent(eventType string, c domain.Contact, attrs map[string]string, updated []string) {
	for _, s := range ss {
		s.ContactEvent(eventType, c, attrs, updated)
	}
}

// connectChat joins the chat service and the runtime both ways: the
// runtime adds agents to the chats they accept and shows flows' messages
// in them, and the chat tells the runtime when a participant leaves
// through the participant service (a customer leaving ends the contact and
// puts its agent in after-contact work). Without a runtime the chat ends
// contacts through the domain on its own.
func connectChat(ch *chat.Service, rt *center.Center) {
	rt.SetChat(ch)
	ch.SetHook(rt)
}
