package center

import (
	"context"
	"errors"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/routing"
)

// Explanation says why a contact is where it is: for a waiting contact,
// the routing engine's account of its queue position, active step and
// every agent who could take it and why they have not; otherwise its state.
type Explanation struct {
	ContactID string               `json:"contactId"`
	State     string               `json:"state"`
	Routing   *routing.Explanation `json:"routing,omitempty"`
	Message   string               `json:"message,omitempty"`
}

// Explain answers "why has this contact not been routed?" — something
// Amazon Connect cannot tell you.
func (c *Center) Explain(ctx context.Context, instanceID, contactID string) (*Explanation, error) {
	ct, err := c.svc.DescribeContact(ctx, instanceID, contactID)
	if err != nil {
		return nil, err
	}
	in, err := c.instance(ctx, ct.InstanceID)
	if err != nil {
		return nil, err
	}
	defer in.unlock()
	now := c.clock.Now()
	// Timers due by now first, so the explanation is current.
	in.apply(ctx, in.engine.Advance(now))
	out := &Explanation{ContactID: ct.ID, State: ct.State}
	ex, err := in.engine.Explain(ct.ID, now)
	switch {
	case err == nil:
		out.Routing = &ex
	case errors.Is(err, routing.ErrUnknownContact):
		out.Message = explainState(&ct.Contact)
	default:
		return nil, err
	}
	return out, nil
}

func explainState(ct *domain.Contact) string {
	switch ct.State {
	case domain.StateScheduled:
		return "The task is scheduled; it enters its flow at its ScheduledTimestamp."
	case domain.StateConnected:
		return "The contact is connected to agent " + ct.AgentID + "."
	case domain.StateEnded:
		return "The contact has ended."
	case domain.StateInitiated:
		return "The contact is in its flow and has not been placed in a queue."
	}
	return "The contact is not waiting in a queue."
}

// Inspector adapts the Center to awsapi.Inspector.
type Inspector struct{ C *Center }

// Explain implements awsapi.Inspector.
func (i Inspector) Explain(ctx context.Context, instanceID, contactID string) (any, error) {
	return i.C.Explain(ctx, instanceID, contactID)
}

// FlowLogs implements awsapi.Inspector.
func (i Inspector) FlowLogs(instanceID, contactID string) any {
	entries := i.C.FlowLogs(instanceID, contactID)
	if entries == nil {
		return []any{}
	}
	return entries
}
