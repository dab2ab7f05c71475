package chat

import (
	"context"

	"github.com/switchboard-cc/switchboard/domain"
)

// Monitoring (MonitorContact). A supervisor monitoring a chat is a
// SUPERVISOR participant marked Silent: they connect through the
// participant service like anyone, read the transcript and every message
// live, and nobody is told they joined. They cannot write (messages,
// typing, attachments) until they barge, which shows their
// participant.joined to everyone; from then on they are an ordinary
// supervisor participant. A silent monitor leaves without
// participant.left.

// mayWrite refuses a silent monitor's writes.
func mayWrite(p *Participant) error {
	if p.Silent {
		return errorf(ErrAccessDenied, "Participant %s is monitoring the chat silently and cannot write to it; barge in first.", p.ID)
	}
	return nil
}

// AddMonitor adds a silent SUPERVISOR participant to a live chat and
// returns their ID and ParticipantToken.
func (s *Service) AddMonitor(ctx context.Context, instanceID, contactID, displayName string) (participantID, participantToken string, err error) {
	return s.addParticipant(ctx, instanceID, contactID, &Participant{Role: RoleSupervisor, DisplayName: displayName, Silent: true}, "; it cannot be monitored")
}

// Barge turns a silent monitor into a participant everyone sees: their
// participant.joined is stored and pushed, and they may write.
func (s *Service) Barge(ctx context.Context, instanceID, contactID, participantID string) error {
	var items []*Item
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		c, _, setupItems, err := s.openLive(tx, instanceID, contactID, now, "; there is nothing to barge into")
		if err != nil {
			return err
		}
		ps, hashes, err := participants(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		for i, p := range ps {
			if p.ID != participantID {
				continue
			}
			if p.Left() {
				return errorf(ErrAccessDenied, "Participant %s has left the chat.", p.ID)
			}
			if !p.Silent {
				return nil // barged already
			}
			p.Silent = false
			if err := putParticipant(tx, instanceID, contactID, hashes[i], p); err != nil {
				return err
			}
			joined := s.eventItem(p, CTParticipantJoined, now)
			items = append(setupItems, joined)
			return appendItems(tx, c, items...)
		}
		return errorf(ErrNotFound, "Participant %s is not in chat %s.", participantID, c.ID)
	})
	if err != nil {
		return err
	}
	s.publish(instanceID, contactID, items...)
	return nil
}
