package agentapi

import (
	"context"
	"net/http"
)

// Monitoring: the chats a supervisor monitors (the Connect API's
// MonitorContact starts it). The supervisor lists their monitoring
// sessions here to get the ParticipantToken they read the chat with, and
// barges in or stops through the monitoring contact:
//
//	GET  /agent/v1/instances/{instanceId}/monitoring
//	POST /agent/v1/instances/{instanceId}/monitoring/{contactId}/barge
//	POST /agent/v1/instances/{instanceId}/monitoring/{contactId}/stop

// Monitor is one monitoring session of the caller.
type Monitor struct {
	// ContactID is the monitoring contact (MonitorContact's answer);
	// MonitoredContactID the chat monitored.
	ContactID          string `json:"contactId"`
	MonitoredContactID string `json:"monitoredContactId"`
	ParticipantID      string `json:"participantId"`
	// ParticipantToken connects through the participant service; it is
	// empty after a restart (the chat keeps only its hash).
	ParticipantToken string `json:"participantToken,omitempty"`
	// Capabilities are AllowedMonitorCapabilities; Barged is whether the
	// supervisor has barged in.
	Capabilities []string `json:"capabilities"`
	Barged       bool     `json:"barged"`
}

// Monitorer is implemented by backends whose users can monitor chats
// (Backend implementations need not).
type Monitorer interface {
	// Monitors lists userID's monitoring sessions.
	Monitors(ctx context.Context, instanceID, userID string) ([]Monitor, error)
	// Barge makes userID's silent monitor of contactID (the monitoring
	// contact) a participant everyone sees. CodeInvalidState when the
	// session does not allow barging.
	Barge(ctx context.Context, instanceID, userID, contactID string) error
	// StopMonitoring ends the monitoring contact.
	StopMonitoring(ctx context.Context, instanceID, userID, contactID string) error
}

type monitorList struct {
	Monitors []Monitor `json:"monitors"`
}

func (s *Server) monitorer() (Monitorer, error) {
	m, ok := s.backend.(Monitorer)
	if !ok {
		return nil, Errorf(CodeNotFound, "This server does not let users monitor contacts.")
	}
	return m, nil
}

// getMonitors serves GET /agent/v1/instances/{instanceId}/monitoring.
func (s *Server) getMonitors(r *http.Request, sess *session) (any, error) {
	m, err := s.monitorer()
	if err != nil {
		return nil, err
	}
	list, err := m.Monitors(r.Context(), sess.instanceID, sess.userID)
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []Monitor{}
	}
	return monitorList{Monitors: list}, nil
}

// monitorAction serves POST
// /agent/v1/instances/{instanceId}/monitoring/{contactId}/{barge|stop}.
func (s *Server) monitorAction(r *http.Request, sess *session) (any, error) {
	m, err := s.monitorer()
	if err != nil {
		return nil, err
	}
	contactID, err := pathID(r, "contactId")
	if err != nil {
		return nil, err
	}
	if _, err := readBody(r); err != nil {
		return nil, err
	}
	switch r.PathValue("action") {
	case "barge":
		return nil, m.Barge(r.Context(), sess.instanceID, sess.userID, contactID)
	case "stop":
		return nil, m.StopMonitoring(r.Context(), sess.instanceID, sess.userID, contactID)
	}
	return nil, Errorf(CodeNotFound, "Unknown monitoring action %q; use barge or stop.", r.PathValue("action"))
}
