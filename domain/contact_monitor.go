package domain

import (
	"context"
	"slices"
)

// MonitorContact: a supervisor monitors a chat in progress. The
// monitoring is a contact of its own (InitiationMethod MONITOR, the
// supervisor its agent, RelatedContactId the contact monitored) that the
// runtime (ContactMonitor) joins to the chat as a silent participant. It
// ends when the monitored contact ends, when the supervisor stops, or at
// the chat's expiry.

// Monitor capabilities (AllowedMonitorCapabilities).
const (
	MonitorSilent = "SILENT_MONITOR"
	MonitorBarge  = "BARGE"
)

// ContactMonitor is the part of a Runtime that seats a supervisor in a
// contact to monitor it.
type ContactMonitor interface {
	// Monitor joins userID to monitored as a silent participant, tracked
	// under the monitoring contact; barge says whether they may barge in.
	Monitor(ctx context.Context, monitored, monitoring *Contact, userID string, barge bool) error
}

// MonitorContact starts userID monitoring contactID and returns the
// monitoring contact. A retry with the same ClientToken returns it again.
func (s *Service) MonitorContact(ctx context.Context, instanceID, contactID, userID string, capabilities []string, clientToken string) (*Contact, error) {
	for _, c := range capabilities {
		if c != MonitorSilent && c != MonitorBarge {
			return nil, Errorf(ErrInvalidRequest, "AllowedMonitorCapabilities %q is not valid; use SILENT_MONITOR or BARGE.", clip(c, 32))
		}
	}
	m, ok := s.runtime.(ContactMonitor)
	if !ok {
		return nil, Errorf(ErrInvalidRequest, "Contact %s cannot be monitored: this server runs no contact center (agents and routing are off).", clip(contactID, 256))
	}
	var monitored, monitoring *Contact
	var replay bool
	tok := newClientToken("MonitorContact", clientToken, []any{contactID, userID, capabilities})
	err := s.update(ctx, func(tx Tx) error {
		cl, err := s.claimNew(tx, instanceID, tok)
		if err != nil {
			return err
		}
		iid, now := cl.instanceID, cl.now
		if cl.prior != "" {
			replay = true
			monitoring, err = s.getContact(tx, iid, cl.prior)
			return err
		}
		if monitored, err = s.getContact(tx, iid, contactID); err != nil {
			return err
		}
		u, err := getIn[User](tx, KindUser, iid, userID)
		if err != nil {
			return err
		}
		switch {
		case monitored.Channel != "CHAT":
			return Errorf(ErrInvalidRequest, "Contact %s is a %s contact; Switchboard monitors chats only.", monitored.ID, monitored.Channel)
		case monitored.InitiationMethod == "MONITOR":
			return Errorf(ErrInvalidRequest, "Contact %s is itself a monitoring session; monitor the contact it monitors (%s).", monitored.ID, monitored.RelatedContactID)
		case monitored.State != StateConnected || monitored.AgentID == "":
			return Errorf(ErrInvalidRequest, "Contact %s is %s, not connected to an agent; only a conversation in progress can be monitored.", monitored.ID, monitored.State)
		case monitored.AgentID == u.ID:
			return Errorf(ErrInvalidRequest, "User %s is the agent on contact %s and cannot monitor it.", u.ID, monitored.ID)
		}
		c := s.newContact(cl.id, iid, "CHAT", "MONITOR", now)
		c.State, c.AgentID, c.ConnectedToAgentTime, c.ConnectedToSystemTime = StateConnected, u.ID, now, now
		c.RelatedContactID, c.QueueID, c.ExpiryTime = monitored.ID, monitored.QueueID, monitored.ExpiryTime
		c.CustomerEndpoint, c.SystemEndpoint = monitored.CustomerEndpoint, monitored.SystemEndpoint
		monitoring = c
		return s.putContact(tx, c)
	})
	if err != nil || replay {
		return monitoring, err
	}
	s.emitStarted(monitoring)
	if err := m.Monitor(ctx, monitored, monitoring, monitoring.AgentID, slices.Contains(capabilities, MonitorBarge)); err != nil {
		// The seat could not be made: the monitoring ends as it began.
		if _, endErr := s.EndContact(ctx, monitoring.InstanceID, monitoring.ID, "OTHER"); endErr != nil {
			return nil, endErr
		}
		return nil, err
	}
	return monitoring, nil
}
