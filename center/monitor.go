package center

import (
	"context"
	"slices"
	"strings"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/domain"
)

// Monitoring (domain.MonitorContact). Each monitoring contact has a seat:
// the supervisor's silent participant in the monitored chat. Seats live
// in memory, like agents' chat seats: after a restart the monitoring
// contacts are still there (and end with the chat's expiry), but the
// supervisor has no token to show and cannot barge.

// monitorSeat is a supervisor's silent participant in a chat.
type monitorSeat struct {
	monitoredID, userID  string
	participantID, token string
	barge, barged        bool
}

// Monitor implements domain.ContactMonitor.
func (c *Center) Monitor(ctx context.Context, monitored, monitoring *domain.Contact, userID string, barge bool) error {
	svc := c.chatService()
	if svc == nil {
		return domain.Errorf(domain.ErrInvalidRequest, "This server has no chat service; chats cannot be monitored.")
	}
	pid, token, err := svc.AddMonitor(ctx, monitored.InstanceID, monitored.ID, c.displayName(ctx, monitored.InstanceID, userID))
	if err != nil {
		return domain.Errorf(domain.ErrInvalidRequest, "Contact %s cannot be monitored: %v", monitored.ID, err)
	}
	in, err := c.instance(ctx, monitored.InstanceID)
	if err != nil {
		return err
	}
	defer in.unlock()
	if in.monitors == nil {
		in.monitors = map[string]*monitorSeat{}
	}
	in.monitors[monitoring.ID] = &monitorSeat{monitoredID: monitored.ID, userID: userID, participantID: pid, token: token, barge: barge}
	return nil
}

var _ domain.ContactMonitor = (*Center)(nil)

// endMonitoring is contactEnded's part for monitoring: a monitoring
// contact that ended takes its supervisor out of the chat, and a chat
// that ended ends its monitoring contacts, with its own reason. Called
// with in.mu held; the work runs after.
func (in *inst) endMonitoring(ct *domain.Contact) {
	if seat := in.monitors[ct.ID]; seat != nil {
		delete(in.monitors, ct.ID)
		if svc := in.c.chatService(); svc != nil {
			in.deferred = append(in.deferred, func() {
				if err := svc.RemoveParticipant(context.Background(), in.id, seat.monitoredID, seat.participantID); err != nil {
					in.c.log.Debug("monitor leaves chat", "contact", seat.monitoredID, "err", err)
				}
			})
		}
	}
	for id, seat := range in.monitors {
		if seat.monitoredID != ct.ID {
			continue
		}
		delete(in.monitors, id)
		reason := ct.DisconnectReason
		if reason == "" {
			reason = "OTHER"
		}
		in.deferred = append(in.deferred, func() {
			if _, err := in.c.svc.EndContact(context.Background(), in.id, id, reason); err != nil {
				in.c.log.Warn("end monitoring contact", "contact", id, "err", err)
			}
		})
	}
}

// Monitors implements agentapi.Monitorer.
func (c *Center) Monitors(ctx context.Context, instanceID, userID string) ([]agentapi.Monitor, error) {
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		return nil, agentErr(err)
	}
	defer in.unlock()
	var out []agentapi.Monitor
	for id, seat := range in.monitors {
		if seat.userID != userID {
			continue
		}
		caps := []string{domain.MonitorSilent}
		if seat.barge {
			caps = append(caps, domain.MonitorBarge)
		}
		out = append(out, agentapi.Monitor{ContactID: id, MonitoredContactID: seat.monitoredID, ParticipantID: seat.participantID,
			ParticipantToken: seat.token, Capabilities: caps, Barged: seat.barged})
	}
	slices.SortFunc(out, func(a, b agentapi.Monitor) int { return strings.Compare(a.ContactID, b.ContactID) })
	return out, nil
}

// seatOf finds userID's monitoring seat contactID. Called with in.mu held.
func (in *inst) seatOf(userID, contactID string) (*monitorSeat, error) {
	seat := in.monitors[contactID]
	if seat == nil || seat.userID != userID {
		return nil, agentapi.Errorf(agentapi.CodeNotFound, "Contact %s is not a monitoring session of yours; GET /monitoring lists them.", contactID)
	}
	return seat, nil
}

// Barge implements agentapi.Monitorer.
func (c *Center) Barge(ctx context.Context, instanceID, userID, contactID string) error {
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		return agentErr(err)
	}
	seat, err := in.seatOf(userID, contactID)
	if err == nil && !seat.barge {
		err = agentapi.Errorf(agentapi.CodeInvalidState, "Monitoring session %s does not allow barging; MonitorContact's AllowedMonitorCapabilities must include BARGE.", contactID)
	}
	in.unlock()
	if err != nil {
		return err
	}
	svc := c.chatService()
	if svc == nil {
		return agentapi.Errorf(agentapi.CodeInvalidRequest, "This server has no chat service.")
	}
	if err := svc.Barge(ctx, instanceID, seat.monitoredID, seat.participantID); err != nil {
		return agentapi.Errorf(agentapi.CodeInvalidState, "%v", err)
	}
	in, err = c.instance(ctx, instanceID)
	if err != nil {
		return agentErr(err)
	}
	seat.barged = true
	in.unlock()
	return nil
}

// StopMonitoring implements agentapi.Monitorer: the monitoring contact
// ends, which takes the supervisor out of the chat.
func (c *Center) StopMonitoring(ctx context.Context, instanceID, userID, contactID string) error {
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		return agentErr(err)
	}
	_, err = in.seatOf(userID, contactID)
	in.unlock()
	if err != nil {
		return err
	}
	return agentErr(c.endMonitoringContact(ctx, instanceID, contactID))
}

// endMonitoringContact ends monitoring contact id, which takes the
// supervisor out of the chat. EndContact does not come back to the
// runtime, so the seat is taken here.
func (c *Center) endMonitoringContact(ctx context.Context, instanceID, id string) error {
	ended, err := c.svc.EndContact(ctx, instanceID, id, "AGENT_DISCONNECT")
	if err != nil {
		return err
	}
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		return err
	}
	in.endMonitoring(ended)
	in.unlock()
	return nil
}

// monitorLeft ends the monitoring contact of a supervisor who left the
// monitored chat through DisconnectParticipant: the session is over, as
// when they stop it through the agent API. A supervisor without a seat
// (one added another way, or after a restart) leaves alone.
func (c *Center) monitorLeft(ctx context.Context, instanceID, monitoredID, participantID string) {
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		c.log.Error("load instance", "instance", instanceID, "err", err)
		return
	}
	id := ""
	for mid, seat := range in.monitors {
		if seat.monitoredID == monitoredID && seat.participantID == participantID {
			id = mid
		}
	}
	in.unlock()
	if id == "" {
		return
	}
	if err := c.endMonitoringContact(ctx, instanceID, id); err != nil {
		c.log.Warn("end monitoring contact after the supervisor left", "contact", id, "err", err)
	}
}

var _ agentapi.Monitorer = (*Center)(nil)
