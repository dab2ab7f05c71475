package center

import (
	"context"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/flow"
	"github.com/switchboard-cc/switchboard/flowrun"
)

var _ domain.PreFlowRunner = (*Center)(nil)

// preFlowActions are the actions a flow may use to run inside the
// transaction that creates its contact: they only read configuration (from
// caches or the read pool, never the writer) and decide. Anything that
// writes (CreateTask, chat messages), calls out (Lambda), waits or jumps to
// another flow makes the flow run after commit instead.
var preFlowActions = map[string]bool{
	"UpdateContactTargetQueue": true, "TransferContactToQueue": true, "TransferContactToAgent": true,
	"UpdateContactAttributes": true, "UpdateContactData": true, "UpdateContactRoutingBehavior": true,
	"UpdateRoutingCriteria": true, "UpdateContactEventHooks": true, "UpdateFlowLoggingBehavior": true,
	"Compare": true, "CheckHoursOfOperation": true, "CheckMetricData": true, "DistributeByPercentage": true,
	"DisconnectParticipant": true, "EndFlowExecution": true,
	"UpdateContactRecordingBehavior": true, "UpdateContactRecordingAndAnalyticsBehavior": true,
}

// pureFor reports whether f can run before commit for a contact of channel.
// MessageParticipant qualifies for tasks and emails, where it does nothing.
func pureFor(f *flow.Flow, channel string) bool {
	for _, a := range f.Actions {
		if preFlowActions[a.Type] {
			continue
		}
		if a.Type == "MessageParticipant" && (channel == "TASK" || channel == "EMAIL") {
			continue
		}
		return false
	}
	return true
}

// PreFlow implements domain.PreFlowRunner. It runs inside the store's
// writer, so it must not take an instance lock (a request holding one may
// be waiting for that writer) nor write: it only reads the engine, whose
// own lock is never held across a store call, and cached configuration.
func (c *Center) PreFlow(ctx context.Context, ct *domain.Contact, attrs map[string]string) (domain.FlowEffects, bool) {
	c.mu.Lock()
	in, ok := c.insts[ct.InstanceID]
	c.mu.Unlock()
	if !ok {
		// The instance is not loaded yet; loading takes its lock.
		return domain.FlowEffects{}, false
	}
	lf, err := c.loadFlow(ctx, ct.InstanceID, ct.ContactFlowID)
	if err != nil || !pureFor(lf.Flow, ct.Channel) {
		return domain.FlowEffects{}, false
	}
	env := in.envFor(ct, attrs)
	res := c.interp.Run(ctx, env, ct.ContactFlowID)
	fx := env.fx
	switch {
	case res.Suspended != nil:
		return domain.FlowEffects{}, false
	case res.Reason == flowrun.EndTransferredToQueue && fx.Enqueue:
	default:
		fx.Disconnect, fx.DisconnectReason = true, disconnectReason(ct.Channel)
	}
	return fx, true
}
