package app

import (
	"context"
	"log/slog"

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

// chatRuntime is the chat's Hook until the runtime implements one itself:
// a customer who leaves ends the contact with CUSTOMER_DISCONNECT, and the
// runtime is told as for StopContact (it drops the contact from routing and
// puts its agent in after-contact work). An agent leaving changes nothing
// yet: the customer stays (the disconnect flow is runtime work to come).
type chatRuntime struct {
	svc *domain.Service
	rt  domain.Runtime
	log *slog.Logger
}

func (h *chatRuntime) ParticipantDisconnected(ctx context.Context, instanceID, contactID string, role chat.Role) {
	if role != chat.RoleCustomer {
		return
	}
	c, err := h.svc.EndContact(ctx, instanceID, contactID, "CUSTOMER_DISCONNECT")
	if err != nil {
		h.log.Error("end contact after customer disconnect", "contact", contactID, "err", err)
		return
	}
	h.rt.ContactChanged(ctx, c, domain.ChangeStopped)
}
