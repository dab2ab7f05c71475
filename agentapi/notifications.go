package agentapi

import (
	"context"
	"net/http"
)

// Notifier is implemented by backends that keep notifications for agents
// (Connect's CreateNotification), so an agent reads and marks their own
// through this API as the CCP's notification widget does (Backend
// implementations need not).
type Notifier interface {
	// Notifications returns the agent's notifications that have not
	// expired, with their status, most important first.
	Notifications(ctx context.Context, instanceID, userID string) ([]Notification, error)
	// SetNotificationStatus marks one READ, UNREAD or HIDDEN. Returns
	// CodeNotFound for a notification the agent does not have.
	SetNotificationStatus(ctx context.Context, instanceID, userID, notificationID, status string) error
}

// notificationList is the answer of GET …/notifications.
type notificationList struct {
	Notifications []Notification `json:"notifications"`
}

type notificationStatusRequest struct {
	Status string `json:"status"`
}

// decodeNotificationStatus reads the body of PUT …/notifications/{id}.
func decodeNotificationStatus(body []byte) (notificationStatusRequest, error) {
	var req notificationStatusRequest
	if err := decodeStrict(body, &req, `{"status": "READ"}`); err != nil {
		return req, err
	}
	switch req.Status {
	case "READ", "UNREAD", "HIDDEN":
		return req, nil
	}
	return req, Errorf(CodeInvalidRequest, "status must be READ, UNREAD or HIDDEN.")
}

func (s *Server) notifier() (Notifier, error) {
	n, ok := s.backend.(Notifier)
	if !ok {
		return nil, Errorf(CodeNotFound, "This server keeps no notifications for agents.")
	}
	return n, nil
}

// getNotifications serves GET /agent/v1/instances/{instanceId}/notifications.
func (s *Server) getNotifications(r *http.Request, sess *session) (any, error) {
	n, err := s.notifier()
	if err != nil {
		return nil, err
	}
	list, err := n.Notifications(r.Context(), sess.instanceID, sess.userID)
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []Notification{}
	}
	return notificationList{Notifications: list}, nil
}

// putNotification serves PUT
// /agent/v1/instances/{instanceId}/notifications/{notificationId}.
func (s *Server) putNotification(r *http.Request, sess *session) (any, error) {
	n, err := s.notifier()
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "notificationId")
	if err != nil {
		return nil, err
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	req, err := decodeNotificationStatus(body)
	if err != nil {
		return nil, err
	}
	return nil, n.SetNotificationStatus(r.Context(), sess.instanceID, sess.userID, id, req.Status)
}
