package center

import (
	"context"
	"time"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/domain"
)

// Paused tasks (PauseContact, ResumeContact). A task paused in its queue
// leaves the routing engine and comes back at the back of the queue; a
// task paused with its agent frees the agent's slot and stays on the
// agent's list as PAUSED, where the agent may end it.

// paused takes a task the domain just paused out of routing. Called with
// in.mu held.
func (in *inst) paused(ctx context.Context, ct *domain.Contact, now time.Time) {
	// A customer queue flow's wait ends with the queue.
	in.stopTimer("flow:" + ct.ID)
	switch ct.PausedFrom {
	case domain.StateQueued:
		if of, ok := in.offers[ct.ID]; ok {
			in.dropOffer(ct.ID, of.o.AgentID, "the task was paused")
		}
		in.apply(ctx, in.removeFromRouting(ct.ID, now))
	case domain.StateConnected:
		if a := in.agents[ct.AgentID]; a != nil {
			if hc := a.contacts[ct.ID]; hc != nil {
				hc.state, hc.since = string(agentapi.StatePaused), now
				in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContact, Contact: in.view(a, hc), Reason: "the task was paused"})
			}
		}
		res, err := in.engine.Release(ct.ID, now)
		if !errIgnore(err) {
			in.c.log.Warn("release paused task's slot", "contact", ct.ID, "err", err)
		}
		in.apply(ctx, res)
	}
	in.runBeside(ct)
}

// resumed returns a task the domain just resumed to routing. Called with
// in.mu held.
func (in *inst) resumed(ctx context.Context, ct *domain.Contact, now time.Time) {
	// A pause flow still waiting has nothing left to do.
	in.stopTimer("flow:" + ct.ID)
	switch ct.State {
	case domain.StateQueued:
		r, err := in.engine.Enqueue(contactParams(ct), now)
		if err != nil {
			in.c.log.Warn("enqueue resumed task", "contact", ct.ID, "err", err)
		}
		in.apply(ctx, r)
		if ct.RunFlowID == "" && in.waiting(ct.ID) {
			// Back in the queue, the customer queue flow runs again.
			ct.RunFlowID = ct.EventHooks["CustomerQueue"]
		}
	case domain.StateConnected:
		in.holdPaused(ctx, ct.AgentID, ct.ID, "CONNECTED", now)
	}
	in.runBeside(ct)
}

// holdPaused gives an agent's paused task its slot again, as state
// (CONNECTED on resume, ENDED when the task ends paused: after-contact
// work holds a slot too). It may exceed the agent's concurrency, as the
// task was the agent's before. Called with in.mu held.
func (in *inst) holdPaused(ctx context.Context, agentID, contactID, state string, now time.Time) {
	a := in.agents[agentID]
	if a == nil {
		return
	}
	hc := a.contacts[contactID]
	if hc == nil {
		return
	}
	res, err := in.engine.Hold(agentID, contactID, channelOf(hc.channel), now)
	if err != nil {
		in.c.log.Warn("hold resumed task", "contact", contactID, "agent", agentID, "err", err)
	}
	hc.state, hc.since = state, now
	in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContact, Contact: in.view(a, hc)})
	in.apply(ctx, res)
}

// runBeside runs the flow PauseContact or ResumeContact asked for, once the
// lock is released.
func (in *inst) runBeside(ct *domain.Contact) {
	if ct.RunFlowID == "" {
		return
	}
	c, flowID := *ct, ct.RunFlowID
	in.deferred = append(in.deferred, func() { in.runFlow(context.Background(), &c, flowID) })
}

var _ agentapi.Pauser = (*Center)(nil)

// Pause implements agentapi.Pauser: the agent pauses a task they are
// connected to, as with the CCP's Pause button.
func (c *Center) Pause(ctx context.Context, instanceID, userID, contactID string) error {
	return c.agentPauses(ctx, instanceID, userID, contactID, "CONNECTED", c.svc.PauseContact)
}

// Resume implements agentapi.Pauser.
func (c *Center) Resume(ctx context.Context, instanceID, userID, contactID string) error {
	return c.agentPauses(ctx, instanceID, userID, contactID, "PAUSED", c.svc.ResumeContact)
}

// agentPauses checks the agent holds the contact in state, then pauses or
// resumes it through the domain, which tells the runtime itself: that
// takes the instance lock, so it runs outside it.
func (c *Center) agentPauses(ctx context.Context, instanceID, userID, contactID, state string, op func(ctx context.Context, instanceID, contactID, flowRef string) error) error {
	err := c.withAgent(ctx, instanceID, userID, func(_ *inst, a *agent) error {
		_, err := heldBy(a, contactID, state)
		return err
	})
	if err != nil {
		return err
	}
	return agentErr(op(ctx, instanceID, contactID, ""))
}
