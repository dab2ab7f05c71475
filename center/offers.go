package center

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/routing"
)

// apply carries out an engine result: it records step changes, tells agents
// about offers (accepting at once for agents with auto-accept), handles
// withdrawn offers and re-arms the wake-up timer. Called with in.mu held.
// Accepting can free nothing, but rejecting or failing can produce further
// results, which are applied in turn.
func (in *inst) apply(ctx context.Context, res routing.Result) {
	for len(res.Offers)+len(res.Steps)+len(res.Withdrawn) > 0 || !res.Wake.IsZero() {
		next := routing.Result{}
		for _, sc := range res.Steps {
			if _, err := in.c.svc.RecordStepStatus(ctx, in.id, sc.ContactID, sc.Step, string(sc.Status), sc.At); err != nil {
				in.c.log.Warn("record routing step", "contact", sc.ContactID, "err", err)
			}
		}
		for _, w := range res.Withdrawn {
			in.dropOffer(w.ContactID, w.AgentID, "withdrawn")
		}
		for _, o := range res.Offers {
			next = mergeResults(next, in.offer(ctx, o))
		}
		in.armWake(res.Wake)
		res = next
		if len(res.Offers)+len(res.Steps)+len(res.Withdrawn) == 0 {
			in.armWake(res.Wake)
			return
		}
	}
}

// armWake schedules the engine's next time-based work.
func (in *inst) armWake(at time.Time) {
	if at.IsZero() {
		if w, ok := in.engine.NextWake(); ok {
			at = w
		}
	}
	if at.IsZero() || (in.wake != nil && at.Equal(in.wakeAt)) {
		return
	}
	if in.wake != nil {
		in.wake.Stop()
	}
	in.wakeAt = at
	d := at.Sub(in.c.clock.Now())
	in.wake = in.c.clock.AfterFunc(d, func() {
		ctx := context.Background()
		in.mu.Lock()
		defer in.unlock()
		in.wake = nil
		in.apply(ctx, in.engine.Advance(in.c.clock.Now()))
	})
}

// offer presents a contact to its agent. With auto-accept for the channel
// the contact is connected at once; otherwise the agent has OfferTimeout to
// accept before the offer is missed.
func (in *inst) offer(ctx context.Context, o routing.Offer) routing.Result {
	a := in.agents[o.AgentID]
	ch := o.Channel.String()
	if a == nil {
		// The engine knows an agent we do not: refuse the offer so the
		// contact goes back to its queue.
		res, _ := in.engine.Reject(o.ContactID, o.At)
		return res
	}
	now := in.c.clock.Now()
	hc := &heldContact{id: o.ContactID, queueID: o.QueueID, channel: ch, state: "CONNECTING", since: now, step: o.Step, expiresAt: now.Add(in.c.opts.OfferTimeout)}
	a.contacts[o.ContactID] = hc
	if a.snap.Channels[ch].AutoAccept {
		return in.accept(ctx, a, o.ContactID)
	}
	of := &offer{o: o}
	of.timer = in.c.clock.AfterFunc(in.c.opts.OfferTimeout, func() { in.offerTimedOut(o.ContactID, o.AgentID) })
	in.offers[o.ContactID] = of
	in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateOffer, Contact: in.view(a, hc)})
	return routing.Result{}
}

// offerTimedOut misses an offer the agent did not take: the contact goes
// back to its place in the queue and the agent, in a Missed state, gets no
// more contacts until they set a status again.
func (in *inst) offerTimedOut(contactID, agentID string) {
	ctx := context.Background()
	in.mu.Lock()
	defer in.unlock()
	of, ok := in.offers[contactID]
	if !ok || of.o.AgentID != agentID {
		return
	}
	delete(in.offers, contactID)
	res, err := in.engine.Reject(contactID, in.c.clock.Now())
	if !errIgnore(err) {
		in.c.log.Warn("miss offer", "contact", contactID, "err", err)
	}
	if a := in.agents[agentID]; a != nil {
		a.routable, a.missed = false, true
		if hc := a.contacts[contactID]; hc != nil {
			hc.state, hc.since = "MISSED", in.c.clock.Now()
			// The agent sees the contact as missed until they complete it
			// or set a status.
			hc.expiresAt = time.Time{}
			in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContact, Contact: in.view(a, hc), Reason: "the offer was not accepted in time"})
		}
	}
	in.apply(ctx, res)
}

// accept connects an offered contact to its agent. Called with in.mu held.
func (in *inst) accept(ctx context.Context, a *agent, contactID string) routing.Result {
	hc := a.contacts[contactID]
	if of, ok := in.offers[contactID]; ok {
		of.timer.Stop()
		delete(in.offers, contactID)
	}
	ct, err := in.c.svc.ConnectToAgent(ctx, in.id, contactID, a.snap.UserID, hc.step)
	if err != nil {
		// The contact ended or moved while it was offered: withdraw it.
		in.c.log.Info("connect to agent", "contact", contactID, "agent", a.snap.UserID, "err", err)
		delete(a.contacts, contactID)
		res, _ := in.engine.Remove(contactID, in.c.clock.Now())
		in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContactRemoved, Contact: &agentapi.AgentContact{ContactID: contactID}, Reason: "the contact is no longer available"})
		return res
	}
	// The customer queue flow, if one was running, ends when an agent
	// takes the contact.
	in.stopTimer("flow:" + contactID)
	res, err := in.engine.Accept(contactID, in.c.clock.Now())
	if !errIgnore(err) {
		in.c.log.Warn("engine accept", "contact", contactID, "err", err)
	}
	hc.state, hc.since, hc.expiresAt, hc.initiationMethod = "CONNECTED", ct.ConnectedToAgentTime, time.Time{}, ct.InitiationMethod
	hc.connectedAt = ct.ConnectedToAgentTime
	in.served(hc.queueID, hc.channel, in.c.clock.Now())
	// A chat gets the agent as a participant before the agent hears of
	// it, so the update carries the agent's ParticipantToken (chat.go).
	in.chatAccepted(ctx, a, ct)
	in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContact, Contact: in.view(a, hc)})
	return res
}

// dropOffer forgets an offer the engine withdrew or that ended.
func (in *inst) dropOffer(contactID, agentID, reason string) {
	if of, ok := in.offers[contactID]; ok {
		of.timer.Stop()
		delete(in.offers, contactID)
	}
	if a := in.agents[agentID]; a != nil {
		if _, ok := a.contacts[contactID]; ok {
			delete(a.contacts, contactID)
			in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContactRemoved, Contact: &agentapi.AgentContact{ContactID: contactID}, Reason: reason})
		}
	}
}

// contactEnded handles a contact that ended while an agent held it: the
// agent moves to after-contact work, completed automatically when the
// channel has an ACW time limit. Called with in.mu held.
func (in *inst) contactEnded(ctx context.Context, ct *domain.Contact) routing.Result {
	// A flow waiting for the customer to return waits no more.
	in.c.chat.returns.Delete(seatKey(in.id, ct.ID))
	in.endMonitoring(ct)
	for _, a := range in.agents {
		hc := a.contacts[ct.ID]
		if hc != nil && hc.state == string(agentapi.StatePaused) {
			// The agent ended a task they paused: after-contact work.
			in.holdPaused(ctx, a.snap.UserID, ct.ID, "ENDED", in.c.clock.Now())
			in.armACW(a, hc.channel, ct.ID)
			return routing.Result{}
		}
		if hc == nil || !hc.holds() {
			// An agent who missed or rejected this contact only shows it
			// until they clear it; it is not theirs.
			continue
		}
		if hc.state == "CONNECTING" {
			in.dropOffer(ct.ID, a.snap.UserID, "the contact ended before it was accepted")
			res, _ := in.engine.Remove(ct.ID, in.c.clock.Now())
			return res
		}
		hc.state, hc.since = "ENDED", in.c.clock.Now()
		in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContact, Contact: in.view(a, hc)})
		in.armACW(a, hc.channel, ct.ID)
		return routing.Result{}
	}
	res, err := in.engine.Remove(ct.ID, in.c.clock.Now())
	if !errIgnore(err) {
		in.c.log.Warn("remove ended contact", "contact", ct.ID, "err", err)
	}
	return res
}

// armACW completes an agent's after-contact work on a contact when the
// channel's ACW time limit runs out, if it has one. Called with in.mu held.
func (in *inst) armACW(a *agent, channel, contactID string) {
	if limit := a.snap.Channels[channel].ACWTimeLimit; limit > 0 {
		in.setTimer("acw:"+contactID, limit, func(ctx context.Context) routing.Result {
			return in.complete(ctx, a, contactID)
		})
	}
}

// complete ends an agent's after-contact work on a contact and frees the
// slot. Called with in.mu held.
func (in *inst) complete(ctx context.Context, a *agent, contactID string) routing.Result {
	in.stopTimer("acw:" + contactID)
	if _, err := in.c.svc.CompleteContact(ctx, in.id, contactID); err != nil {
		in.c.log.Info("complete contact", "contact", contactID, "err", err)
	}
	delete(a.contacts, contactID)
	// The agent's seat in a chat goes with the contact (chat.go).
	in.c.dropSeat(in.id, contactID)
	in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContactRemoved, Contact: &agentapi.AgentContact{ContactID: contactID}, Reason: "after-contact work complete"})
	res, err := in.engine.Release(contactID, in.c.clock.Now())
	if !errIgnore(err) {
		in.c.log.Warn("release slot", "contact", contactID, "err", err)
	}
	return res
}

// setTimer runs f after d under the instance lock, applying its result;
// a timer of the same key replaces the previous one.
func (in *inst) setTimer(key string, d time.Duration, f func(ctx context.Context) routing.Result) {
	in.stopTimer(key)
	var t clock.Timer
	t = in.c.clock.AfterFunc(d, func() {
		ctx := context.Background()
		in.mu.Lock()
		defer in.unlock()
		if in.timers[key] != t {
			return
		}
		delete(in.timers, key)
		in.apply(ctx, f(ctx))
	})
	in.timers[key] = t
}

func (in *inst) stopTimer(key string) {
	if t, ok := in.timers[key]; ok {
		t.Stop()
		delete(in.timers, key)
	}
}

// notify publishes an agent event for a change of the agent's state and
// sends the update to the agent's subscribers without blocking: a
// subscriber that does not keep up loses updates (agentapi disconnects it).
func (in *inst) notify(a *agent, u agentapi.AgentUpdate) {
	in.publishAgent(a, "STATE_CHANGE")
	in.send(a, u)
}

// send hands an update to the agent's subscribers without blocking, and
// without an agent event (the agent's state did not change).
func (in *inst) send(a *agent, u agentapi.AgentUpdate) {
	for _, ch := range a.subs {
		select {
		case ch <- u:
		default:
		}
	}
}

// view renders a held contact for the agent API.
func (in *inst) view(a *agent, hc *heldContact) *agentapi.AgentContact {
	v := &agentapi.AgentContact{ContactID: hc.id, Channel: hc.channel, State: agentapi.ContactState(hc.state), StateSince: hc.since,
		Queue: &agentapi.QueueRef{ID: hc.queueID}, InitiationMethod: hc.initiationMethod, ExpiresAt: hc.expiresAt}
	// A connected chat shows how to join it (chat.go).
	in.chatView(a, hc, v)
	return v
}

// holds reports whether the agent has the contact (offered, connected or in
// after-contact work), rather than only showing a missed or rejected offer.
func (hc *heldContact) holds() bool {
	return hc.state == "CONNECTING" || hc.state == "CONNECTED" || hc.state == "ENDED"
}

var _ domain.ContactAssigner = (*Center)(nil)

// OfferToUser implements domain.ContactAssigner: the contact is offered to
// the agent at once, past the engine's choice of agent (routing.OfferTo).
// It is offered as any contact is: auto-accept and the offer timeout
// apply, and a miss or a reject returns it to its queue.
func (c *Center) OfferToUser(ctx context.Context, instanceID, contactID, userID string) error {
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		return err
	}
	defer in.unlock()
	if in.agents[userID] == nil {
		return domain.Errorf(domain.ErrInvalidRequest, "User %s has no routing profile to take contacts with.", userID)
	}
	now := c.clock.Now()
	in.apply(ctx, in.engine.Advance(now))
	res, err := in.engine.OfferTo(contactID, userID, now)
	switch {
	case errors.Is(err, routing.ErrUnknownContact):
		return domain.Errorf(domain.ErrInvalidRequest, "Contact %s is not waiting in a queue any more.", contactID)
	case err != nil:
		return err
	}
	in.apply(ctx, res)
	return nil
}
