package center

import (
	"context"
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
	if ct.State == domain.StateScheduled {
		in.scheduleStart(ct)
		in.unlock()
		return
	}
	in.unlock()
	in.runFlow(ctx, ct, ct.ContactFlowID)
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
		in.scheduleStart(ct)
		in.scheduleExpiry(ct)
	case domain.ChangeRouting:
		if ct.State != domain.StateQueued {
			return
		}
		u := routing.ContactUpdate{QueuePriority: &ct.QueuePriority}
		adj := time.Duration(ct.QueueTimeAdjustmentSeconds) * time.Second
		u.QueueTimeAdjustment = &adj
		if ct.RoutingCriteria != nil {
			steps := stepsOf(ct.RoutingCriteria)
			u.Criteria = &steps
		}
		res, err := in.engine.UpdateContact(ct.ID, u, now)
		if err != nil {
			c.log.Info("update queued contact", "contact", ct.ID, "err", err)
		}
		in.apply(ctx, res)
	}
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
	attrs, err := in.c.svc.GetContactAttributes(ctx, ct.InstanceID, ct.ID)
	if err != nil {
		return nil, err
	}
	env := &flowEnv{c: in.c, in: in, ct: ct, attrs: attrs}
	if ct.TransferQueueID != "" && ct.State != domain.StateQueued {
		// TransferContact's destination is the flow's target queue.
		env.fx.TargetQueueID, env.fx.TargetAgentID = ct.TransferQueueID, ct.TransferAgentID
		env.queue = &flowrun.QueueInfo{ID: ct.TransferQueueID, ARN: in.c.svc.ResourceARN(ct.InstanceID, domain.KindQueue, ct.TransferQueueID)}
		if ct.TransferAgentID != "" {
			env.queue.ARN = in.c.svc.AgentQueueARN(ct.InstanceID, ct.TransferAgentID)
		}
	}
	return env, nil
}

// afterFlow commits a flow segment's effects and acts on how it ended.
func (in *inst) afterFlow(ctx context.Context, env *flowEnv, res flowrun.Result) {
	fx := env.fx
	switch {
	case res.Suspended != nil:
	case res.Reason == flowrun.EndTransferredToQueue && fx.Enqueue:
	case env.ct.State == domain.StateQueued:
		// A flow run while queued (customer queue flow) ending leaves the
		// contact waiting.
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
	switch {
	case ct.Ended():
		in.stopTimer("expiry:" + ct.ID)
		in.apply(ctx, in.contactEnded(ctx, ct))
	case res.Suspended != nil:
		st, id := *res.Suspended, ct.ID
		in.setTimer("flow:"+id, st.Until.Sub(in.c.clock.Now()), func(ctx context.Context) routing.Result {
			in.deferred = append(in.deferred, func() { in.resumeFlow(context.Background(), id, st.State) })
			return routing.Result{}
		})
	case fx.Enqueue:
		r, err := in.engine.Enqueue(contactParams(ct), in.c.clock.Now())
		if err != nil {
			in.c.log.Warn("enqueue", "contact", ct.ID, "err", err)
		}
		in.apply(ctx, r)
	}
}

// resumeFlow continues a suspended flow whose wait is over.
func (in *inst) resumeFlow(ctx context.Context, contactID string, st flowrun.State) {
	ct, err := in.c.svc.DescribeContact(ctx, in.id, contactID)
	if err != nil || ct.Ended() {
		return
	}
	env, err := in.newEnv(ctx, &ct.Contact)
	if err != nil {
		in.c.log.Error("flow environment", "contact", contactID, "err", err)
		return
	}
	in.afterFlow(ctx, env, in.c.interp.Resume(ctx, env, st, ""))
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
