package center

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/flowrun"
	"github.com/switchboard-cc/switchboard/routing"
)

// ContactStarted implements domain.Runtime: a scheduled task waits for its
// time; any other contact runs its flow now.
func (c *Center) ContactStarted(ctx context.Context, ct *domain.Contact) {
	in, err := c.instance(ctx, ct.InstanceID)
	if err != nil {
		c.log.Error("load instance", "instance", ct.InstanceID, "err", err)
		return
	}
	in.scheduleExpiry(ct)
	switch {
	case ct.State == domain.StateScheduled:
		in.scheduleStart(ct)
	case ct.FlowDone:
		// The flow ran in the creating transaction (PreFlow): hand the
		// contact to routing, or let go of it.
		in.afterPreFlow(ctx, ct)
	default:
		in.unlock()
		in.runFlow(ctx, ct, ct.ContactFlowID)
		return
	}
	in.unlock()
}

// afterPreFlow takes over a contact whose flow ran before commit. Called
// with in.mu held.
func (in *inst) afterPreFlow(ctx context.Context, ct *domain.Contact) {
	if ct.Ended() {
		in.stopTimer("expiry:" + ct.ID)
		in.apply(ctx, in.contactEnded(ctx, ct))
		return
	}
	if ct.State != domain.StateQueued {
		return
	}
	r, err := in.engine.Enqueue(contactParams(ct), in.c.clock.Now())
	if err != nil {
		in.c.log.Warn("enqueue", "contact", ct.ID, "err", err)
	}
	in.apply(ctx, r)
	if hook := ct.EventHooks["CustomerQueue"]; hook != "" && in.waiting(ct.ID) {
		in.deferred = append(in.deferred, func() { in.runFlow(context.Background(), ct, hook) })
	}
}

// ContactChanged implements domain.Runtime.
func (c *Center) ContactChanged(ctx context.Context, ct *domain.Contact, change domain.ContactChange) {
	in, err := c.instance(ctx, ct.InstanceID)
	if err != nil {
		c.log.Error("load instance", "instance", ct.InstanceID, "err", err)
		return
	}
	defer in.unlock()
	now := c.clock.Now()
	switch change {
	case domain.ChangeStopped:
		in.stopTimer("start:" + ct.ID)
		in.stopTimer("expiry:" + ct.ID)
		in.stopTimer("flow:" + ct.ID)
		in.apply(ctx, in.contactEnded(ctx, ct))
	case domain.ChangeSchedule:
		// UpdateContact's connect:ContactExpiry reports a schedule change
		// too, for contacts long started: only a scheduled task has a start
		// to re-arm (a start timer for the others would fire at once and
		// fail).
		if ct.State == domain.StateScheduled {
			in.scheduleStart(ct)
		}
		in.scheduleExpiry(ct)
	case domain.ChangePaused:
		in.paused(ctx, ct, now)
	case domain.ChangeResumed:
		in.resumed(ctx, ct, now)
	case domain.ChangeRouting:
		if ct.State != domain.StateQueued {
			return
		}
		if rc := ct.RoutingCriteria; rc != nil && rc.ActivationTime.Equal(ct.LastUpdateTime) {
			in.apply(ctx, in.replaceCriteria(ct, now))
			return
		}
		// Only the priority or the age changed. The criteria are left out
		// on purpose: the engine restarts the steps of any criteria it is
		// given, which would push every step's expiry past the
		// ExpiryTimestamp the domain stored and DescribeContact shows.
		u := routing.ContactUpdate{QueuePriority: &ct.QueuePriority}
		adj := time.Duration(ct.QueueTimeAdjustmentSeconds) * time.Second
		u.QueueTimeAdjustment = &adj
		res, err := in.engine.UpdateContact(ct.ID, u, now)
		if err != nil {
			c.log.Info("update queued contact", "contact", ct.ID, "err", err)
		}
		in.apply(ctx, res)
	}
}

// replaceCriteria applies routing criteria that UpdateContactRoutingData
// just replaced (the domain activated them at this update's time). The
// contact is taken out of the engine and enqueued again at its original
// enqueue time with the criteria activated when the domain says, rather
// than updated in place, for two reasons: the engine refuses to change an
// offered contact's criteria, which left the new criteria stored and shown
// but never applied, so an agent they exclude kept the offer and a miss
// requeued the contact under the old criteria; and the engine would
// activate them at its own reading of the clock instead of the stored
// ActivationTime. An offer in flight is withdrawn from its agent, who stays
// routable. Called with in.mu held.
func (in *inst) replaceCriteria(ct *domain.Contact, now time.Time) routing.Result {
	if of, ok := in.offers[ct.ID]; ok {
		in.dropOffer(ct.ID, of.o.AgentID, "the contact's routing criteria changed")
	}
	res, err := in.engine.Remove(ct.ID, now)
	if !errIgnore(err) {
		in.c.log.Warn("remove contact for new criteria", "contact", ct.ID, "err", err)
	}
	r, err := in.engine.Enqueue(contactParams(ct), now)
	if err != nil {
		in.c.log.Warn("enqueue contact with new criteria", "contact", ct.ID, "err", err)
	}
	return mergeResults(res, r)
}

// scheduleStart arms the start of a scheduled task at its time. Called with
// in.mu held.
func (in *inst) scheduleStart(ct *domain.Contact) {
	id := ct.ID
	in.setTimer("start:"+id, ct.ScheduledTime.Sub(in.c.clock.Now()), func(ctx context.Context) routing.Result {
		started, err := in.c.svc.StartScheduled(ctx, in.id, id)
		if err != nil {
			in.c.log.Info("start scheduled task", "contact", id, "err", err)
			return routing.Result{}
		}
		// The flow runs without the instance lock; the timer callback
		// holds it, so hand the run to its own goroutine-free path after
		// the lock is released.
		in.deferred = append(in.deferred, func() { in.runFlow(context.Background(), started, started.ContactFlowID) })
		return routing.Result{}
	})
}

// scheduleExpiry arms the end of a contact at its expiry time. Called with
// in.mu held.
func (in *inst) scheduleExpiry(ct *domain.Contact) {
	if ct.ExpiryTime.IsZero() || ct.Ended() {
		return
	}
	id := ct.ID
	in.setTimer("expiry:"+id, ct.ExpiryTime.Sub(in.c.clock.Now()), func(ctx context.Context) routing.Result {
		ended, err := in.c.svc.EndContact(ctx, in.id, id, "EXPIRED")
		if err != nil {
			in.c.log.Info("expire contact", "contact", id, "err", err)
			return routing.Result{}
		}
		in.stopTimer("flow:" + id)
		return in.contactEnded(ctx, ended)
	})
}

// runFlow runs a contact's flow (without the instance lock), commits what it
// changed, and hands the contact to routing or ends it.
func (in *inst) runFlow(ctx context.Context, ct *domain.Contact, flowID string) {
	env, err := in.newEnv(ctx, ct)
	if err != nil {
		in.c.log.Error("flow environment", "contact", ct.ID, "err", err)
		return
	}
	res := in.c.interp.Run(ctx, env, flowID)
	in.afterFlow(ctx, env, res)
}

func (in *inst) newEnv(ctx context.Context, ct *domain.Contact) (*flowEnv, error) {
	attrs := ct.StartAttributes
	if attrs == nil {
		var err error
		if attrs, err = in.c.svc.GetContactAttributes(ctx, ct.InstanceID, ct.ID); err != nil {
			return nil, err
		}
	}
	return in.envFor(ct, attrs), nil
}

// envFor builds the environment a contact's flow runs in.
func (in *inst) envFor(ct *domain.Contact, attrs map[string]string) *flowEnv {
	env := &flowEnv{c: in.c, in: in, ct: ct, attrs: attrs}
	if ct.TransferQueueID != "" && ct.State != domain.StateQueued {
		// TransferContact's destination is the flow's target queue.
		env.fx.TargetQueueID, env.fx.TargetAgentID = ct.TransferQueueID, ct.TransferAgentID
		env.queue = &flowrun.QueueInfo{ID: ct.TransferQueueID, ARN: in.c.svc.ResourceARN(ct.InstanceID, domain.KindQueue, ct.TransferQueueID)}
		if ct.TransferAgentID != "" {
			env.queue.ARN = in.c.svc.AgentQueueARN(ct.InstanceID, ct.TransferAgentID)
		}
	}
	return env
}

// afterFlow commits a flow segment's effects and acts on how it ended.
func (in *inst) afterFlow(ctx context.Context, env *flowEnv, res flowrun.Result) {
	fx := env.fx
	switch {
	case res.Reason == flowrun.EndDisconnected:
		fx.Disconnect, fx.DisconnectReason = true, disconnectReason(env.ct.Channel)
	case res.Suspended != nil:
		// Kept with the contact, so that a restart resumes the wait
		// (restoreWait).
		if b, err := json.Marshal(res.Suspended.State); err == nil {
			fx.Wait = &domain.FlowWait{Until: res.Suspended.Until, Events: res.Suspended.Events, State: b}
		} else {
			in.c.log.Warn("flow wait state", "contact", env.ct.ID, "err", err)
		}
	case res.Reason == flowrun.EndTransferredToQueue && fx.Enqueue:
	case env.ct.State == domain.StateQueued || env.ct.State == domain.StatePaused || env.ct.State == domain.StateConnected:
		// A flow run beside the contact's routing (a customer queue flow,
		// a pause or resume flow) ending leaves the contact where it is.
	default:
		// Disconnected, or the flow ran out without queueing the contact:
		// Connect ends the contact.
		fx.Disconnect, fx.DisconnectReason = true, disconnectReason(env.ct.Channel)
		if res.Reason == flowrun.EndError {
			in.c.log.Info("flow ended with an error", "contact", env.ct.ID, "flow", res.FlowID, "err", res.Err)
		}
	}
	ct, err := in.c.svc.ApplyFlow(ctx, in.id, env.ct.ID, fx)
	if err != nil {
		in.c.log.Error("apply flow", "contact", env.ct.ID, "err", err)
		return
	}
	in.mu.Lock()
	defer in.unlock()
	if res.Suspended != nil && !ct.Ended() {
		in.armWait(ct, *res.Suspended)
	}
	switch {
	case ct.Ended():
		in.stopTimer("expiry:" + ct.ID)
		in.stopTimer("flow:" + ct.ID)
		in.apply(ctx, in.contactEnded(ctx, ct))
	case !fx.Enqueue && ct.State == domain.StateQueued && (fx.QueuePriority != nil || fx.QueueTimeAdjustmentSeconds != nil || fx.RoutingCriteria != nil):
		// A customer queue flow changed how the waiting contact routes.
		if fx.RoutingCriteria != nil {
			in.apply(ctx, in.replaceCriteria(ct, in.c.clock.Now()))
		} else {
			in.apply(ctx, in.updatePriority(ct))
		}
	case fx.Enqueue && ct.State == domain.StateQueued:
		now := in.c.clock.Now()
		if env.ct.State == domain.StateQueued {
			// A flow run while queued moved the contact to another queue.
			in.apply(ctx, in.removeFromRouting(ct.ID, now))
		}
		r, err := in.engine.Enqueue(contactParams(ct), now)
		if err != nil {
			in.c.log.Warn("enqueue", "contact", ct.ID, "err", err)
		}
		in.apply(ctx, r)
		if hook := ct.EventHooks["CustomerQueue"]; hook != "" && in.waiting(ct.ID) {
			// The customer queue flow runs while the contact waits; it
			// stops when an agent takes the contact.
			in.deferred = append(in.deferred, func() { in.runFlow(context.Background(), ct, hook) })
		}
	}
}

// armWait waits for a suspended flow to go on: its timer, and for a chat
// waiting for the customer (CustomerReturned, ShowView) their next
// message. Called
// with in.mu held.
func (in *inst) armWait(ct *domain.Contact, st flowrun.Suspended) {
	id := ct.ID
	key := seatKey(in.id, id)
	if ct.Channel == "CHAT" && (slices.Contains(st.Events, "CustomerReturned") || slices.Contains(st.Events, flowrun.EventViewResult)) {
		// The customer's next message (CustomerReturned), or their answer
		// to the view shown (ShowView), ends the wait.
		in.c.chat.returns.Store(key, st.State)
	}
	in.setTimer("flow:"+id, st.Until.Sub(in.c.clock.Now()), func(ctx context.Context) routing.Result {
		in.c.chat.returns.Delete(key)
		in.deferred = append(in.deferred, func() { in.resumeFlow(context.Background(), id, st.State, "") })
		return routing.Result{}
	})
}

// restoreWait arms the wait a contact's flow was in when the server
// stopped (domain.FlowWait). A wait whose time has passed resumes at
// once. Called with in.mu held, while loading the instance.
func (in *inst) restoreWait(ct *domain.Contact) {
	w := ct.FlowWait
	var st flowrun.State
	if err := json.Unmarshal(w.State, &st); err != nil {
		in.c.log.Warn("restore flow wait", "contact", ct.ID, "err", err)
		return
	}
	in.armWait(ct, flowrun.Suspended{Until: w.Until, Events: w.Events, State: st})
}

// removeFromRouting takes a contact out of the engine. Called with in.mu
// held.
func (in *inst) removeFromRouting(contactID string, now time.Time) routing.Result {
	res, err := in.engine.Remove(contactID, now)
	if !errIgnore(err) {
		in.c.log.Warn("remove from routing", "contact", contactID, "err", err)
	}
	return res
}

// waiting reports whether a contact is still waiting in a queue (not yet
// offered or taken). Called with in.mu held.
func (in *inst) waiting(contactID string) bool {
	_, offered := in.offers[contactID]
	if offered {
		return false
	}
	for _, a := range in.agents {
		if hc, ok := a.contacts[contactID]; ok && hc.holds() {
			return false
		}
	}
	return true
}

// resumeFlow continues a suspended flow whose wait is over: its time came
// (event "") or the event it waited for happened.
func (in *inst) resumeFlow(ctx context.Context, contactID string, st flowrun.State, event string) {
	ct, err := in.c.svc.DescribeContact(ctx, in.id, contactID)
	if err != nil || ct.Ended() {
		return
	}
	env, err := in.newEnv(ctx, &ct.Contact)
	if err != nil {
		in.c.log.Error("flow environment", "contact", contactID, "err", err)
		return
	}
	in.afterFlow(ctx, env, in.c.interp.Resume(ctx, env, st, event))
}

// disconnectReason is what a contact ended by its flow records.
func disconnectReason(channel string) string {
	if channel == "CHAT" {
		// Connect leaves a chat ended by its flow without a reason.
		return ""
	}
	return "CONTACT_FLOW_DISCONNECT"
}

// unlock releases the instance and then runs the work queued to run
// without the lock (flows that timers started).
func (in *inst) unlock() {
	todo := in.deferred
	in.deferred = nil
	in.mu.Unlock()
	for _, f := range todo {
		f()
	}
}

// metrics reports a queue's real-time numbers for CheckMetricData.
func (in *inst) metrics(queueID string, now time.Time) flowrun.QueueMetrics {
	var m flowrun.QueueMetrics
	for _, s := range in.engine.QueueStats(queueID) {
		m.ContactsInQueue += s.Waiting + s.Offered
		if !s.OldestEnqueuedAt.IsZero() && now.Sub(s.OldestEnqueuedAt) > m.OldestContactAge {
			m.OldestContactAge = now.Sub(s.OldestEnqueuedAt)
		}
		if s.Agents > m.AgentsStaffed {
			m.AgentsStaffed = s.Agents
		}
		if s.Ready > m.AgentsAvailable {
			m.AgentsAvailable = s.Ready
		}
	}
	m.AgentsOnline = m.AgentsStaffed
	return m
}

// updatePriority gives the engine a queued contact's new priority and age
// adjustment (criteria are replaced with replaceCriteria). Called with
// in.mu held.
func (in *inst) updatePriority(ct *domain.Contact) routing.Result {
	u := routing.ContactUpdate{QueuePriority: &ct.QueuePriority}
	adj := time.Duration(ct.QueueTimeAdjustmentSeconds) * time.Second
	u.QueueTimeAdjustment = &adj
	res, err := in.engine.UpdateContact(ct.ID, u, in.c.clock.Now())
	if err != nil {
		in.c.log.Info("update queued contact", "contact", ct.ID, "err", err)
	}
	return res
}
