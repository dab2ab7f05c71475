package domain

// Contact event types (EventBridge "Amazon Connect Contact Event").
const (
	EventInitiated          = "INITIATED"
	EventConnectedToSystem  = "CONNECTED_TO_SYSTEM"
	EventQueued             = "QUEUED"
	EventConnectedToAgent   = "CONNECTED_TO_AGENT"
	EventDisconnected       = "DISCONNECTED"
	EventCompleted          = "COMPLETED"
	EventContactDataUpdated = "CONTACT_DATA_UPDATED"
	EventPaused             = "PAUSED"
	EventResumed            = "RESUMED"
)

// EventSink receives contact events after the change they describe is
// committed. The app publishes them on the event bus (package events), where
// users subscribe with webhooks. It must not block.
type EventSink interface {
	ContactEvent(eventType string, c Contact, attributes map[string]string, updatedProperties []string)
}

// SetEventSink connects where contact events go.
func (s *Service) SetEventSink(sink EventSink) { s.events = sink }

// emit publishes a contact event for a committed change.
func (s *Service) emit(c *Contact, eventType string, updated ...string) {
	if s.events == nil || c == nil {
		return
	}
	s.events.ContactEvent(eventType, *c, nil, updated)
}

// emitEnded publishes DISCONNECTED, and COMPLETED at once when nobody is
// doing after-contact work on the contact (spec §1.3).
func (s *Service) emitEnded(c *Contact) {
	s.emit(c, EventDisconnected)
	if c != nil && c.AfterContactWorkStart.IsZero() {
		s.emit(c, EventCompleted)
	}
}

// emitStarted publishes INITIATED, and CONNECTED_TO_SYSTEM for contacts
// that are connected from the start (chats, tasks not scheduled, email).
func (s *Service) emitStarted(c *Contact) {
	s.emit(c, EventInitiated)
	if c != nil && !c.ConnectedToSystemTime.IsZero() {
		s.emit(c, EventConnectedToSystem)
	}
}
