package domain

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Runtime is the live contact center (package center): it runs flows, keeps
// queues and agents in a routing engine and offers contacts to agents. The
// service tells it about committed changes; it answers by calling the
// lifecycle methods below, which keep the rules and the store in one place.
//
// The calls are made after the change is committed and before the API call
// answers, so a client that started a contact sees it routed (or waiting,
// with the reason available from the runtime) as soon as the call returns.
type Runtime interface {
	// ContactStarted runs a new contact's flow, or schedules it when the
	// contact is a scheduled task.
	ContactStarted(ctx context.Context, c *Contact)
	// ContactChanged reports a change to a contact's routing (priority, age,
	// criteria), schedule, or its end by StopContact.
	ContactChanged(ctx context.Context, c *Contact, change ContactChange)
	// AgentChanged reports a change to a user's status, routing profile,
	// proficiencies or phone configuration, or the user's deletion.
	AgentChanged(ctx context.Context, instanceID, userID string)
}

// ContactChange says what changed about a contact.
type ContactChange string

// Contact changes a Runtime is told about.
const (
	ChangeRouting  ContactChange = "routing"
	ChangeSchedule ContactChange = "schedule"
	ChangeStopped  ContactChange = "stopped"
	// ChangePaused and ChangeResumed report PauseContact and
	// ResumeContact; the contact's RunFlowID names a flow to run beside it.
	ChangePaused  ContactChange = "paused"
	ChangeResumed ContactChange = "resumed"
)

// SetRuntime connects the live contact center. Without one (tests of the
// API alone), contacts stay in the state their start operation left them.
func (s *Service) SetRuntime(rt Runtime) { s.runtime = rt }

func (s *Service) notifyStarted(ctx context.Context, c *Contact) {
	if c != nil {
		s.emitStarted(c)
		if c.FlowDone {
			// Its flow ran before commit: report where it left the contact.
			switch {
			case c.Ended():
				s.emitEnded(c)
			case c.State == StateQueued:
				s.emit(c, EventQueued)
			}
		}
	}
	if s.runtime != nil && c != nil {
		s.runtime.ContactStarted(ctx, c)
	}
}

func (s *Service) notifyChanged(ctx context.Context, c *Contact, ch ContactChange) {
	switch ch {
	case ChangeStopped:
		s.emitEnded(c)
	case ChangeSchedule:
		s.emit(c, EventContactDataUpdated, "ScheduledTimestamp")
	case ChangePaused:
		s.emit(c, EventPaused)
	case ChangeResumed:
		s.emit(c, EventResumed)
	case ChangeRouting:
		if c != nil && c.RoutingCriteria != nil {
			s.emit(c, EventContactDataUpdated, "RoutingCriteria")
		}
	}
	if s.runtime != nil && c != nil {
		s.runtime.ContactChanged(ctx, c, ch)
	}
}

// NotifyAgentChanged tells the runtime that a user's routing-relevant data
// changed.
func (s *Service) NotifyAgentChanged(ctx context.Context, instanceID, userID string) {
	if s.runtime != nil {
		if userID != "" {
			userID = idFromARN(userID, "agent")
		}
		s.runtime.AgentChanged(ctx, instanceIDFrom(instanceID), userID)
	}
}

// FlowEffects is what running a segment of a contact's flow changed, applied
// to the contact in one commit by ApplyFlow.
type FlowEffects struct {
	// Attributes are merged into the chain's attributes ("" removes).
	Attributes        map[string]string
	Name, Description *string
	// TargetQueueID is the queue (or, with TargetAgentID, the agent queue)
	// the contact goes to when it is transferred to a queue.
	TargetQueueID string
	TargetAgentID string
	// Enqueue places the contact in TargetQueueID now.
	Enqueue                    bool
	QueuePriority              *int64
	QueueTimeAdjustmentSeconds *int32
	RoutingCriteria            *RoutingCriteria
	EventHooks                 map[string]string
	FlowLogging                *bool
	// Disconnect ends the contact (DisconnectParticipant, or the flow
	// ending without placing the contact in a queue).
	Disconnect       bool
	DisconnectReason string
	// Wait is set when the segment ended in a wait (a Wait block): it is
	// kept with the contact, so that a restarted server resumes the flow.
	// Nil clears a stored wait: the flow is not waiting any more.
	Wait *FlowWait
}

// FlowWait is a contact's flow waiting for a time or an event, with the
// runtime's state for resuming it (opaque here).
type FlowWait struct {
	Until  time.Time
	Events []string `json:",omitempty"`
	State  json.RawMessage
}

// ApplyFlow commits the effects of a flow segment on a contact and returns
// the contact as stored. A contact that ended meanwhile (StopContact) is left
// alone and returned as is.
func (s *Service) ApplyFlow(ctx context.Context, instanceID, contactID string, fx FlowEffects) (*Contact, error) {
	var out *Contact
	var wasEnded bool
	err := s.update(ctx, func(tx Tx) error {
		now := s.now()
		c, err := s.getContact(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		out = c
		if c.Ended() {
			wasEnded = true
			return nil
		}
		if len(fx.Attributes) > 0 {
			cur, err := s.attributesOf(tx, c)
			if err != nil {
				return err
			}
			if cur, err = mergeFlowAttributes(cur, fx.Attributes); err != nil {
				return err
			}
			if err := s.putAttributes(tx, instanceID, c.InitialContactID, cur, now); err != nil {
				return err
			}
		}
		s.applyEffects(c, fx, now)
		return s.putContact(tx, c)
	})
	if err == nil && out != nil && !wasEnded {
		switch {
		case out.Ended():
			s.emitEnded(out)
		case fx.Enqueue && out.State == StateQueued:
			s.emit(out, EventQueued)
		case len(fx.Attributes) > 0:
			s.emit(out, EventContactDataUpdated, "UserDefinedAttributes")
		}
	}
	return out, err
}

// mergeFlowAttributes applies a flow's attribute changes ("" removes).
func mergeFlowAttributes(cur, changes map[string]string) (map[string]string, error) {
	for k, v := range changes {
		if v == "" {
			delete(cur, k)
		} else {
			cur[k] = v
		}
	}
	return cur, validateAttributes(cur, ErrInvalidParameter)
}

// applyEffects applies a flow segment's effects, other than attributes, to
// a contact in memory.
func (s *Service) applyEffects(c *Contact, fx FlowEffects, now time.Time) {
	c.FlowWait = fx.Wait
	if fx.Name != nil {
		c.Name = *fx.Name
	}
	if fx.Description != nil {
		c.Description = *fx.Description
	}
	if fx.QueuePriority != nil {
		c.QueuePriority = *fx.QueuePriority
	}
	if fx.QueueTimeAdjustmentSeconds != nil {
		c.QueueTimeAdjustmentSeconds = *fx.QueueTimeAdjustmentSeconds
	}
	if fx.RoutingCriteria != nil {
		s.setCriteria(c, fx.RoutingCriteria, now)
	}
	for k, v := range fx.EventHooks {
		if c.EventHooks == nil {
			c.EventHooks = map[string]string{}
		}
		c.EventHooks[k] = v
	}
	if fx.FlowLogging != nil {
		c.FlowLogging = *fx.FlowLogging
	}
	switch {
	case fx.Disconnect:
		s.endContact(c, now, fx.DisconnectReason)
	case fx.Enqueue && c.State != StateConnected && c.State != StatePaused:
		// (A contact an agent accepted while a customer queue flow ran
		// stays with the agent; a paused task stays paused.)
		c.QueueID, c.AgentID = fx.TargetQueueID, ""
		if fx.TargetAgentID != "" {
			c.AgentID = fx.TargetAgentID
		}
		c.State, c.EnqueueTime = StateQueued, now
		if c.RoutingCriteria != nil && c.RoutingCriteria.ActivationTime.IsZero() {
			activateCriteria(c.RoutingCriteria, now)
		}
	}
	c.LastUpdateTime = now
}

// PreFlowRunner is a Runtime that can run a new contact's flow inside the
// transaction that creates it, when the flow only reads configuration and
// decides (no Lambda, no waits, no tasks, no chat messages): the contact is
// then stored already queued (or ended), in one commit instead of two. It
// must not write to the store or take locks a committing request may hold.
type PreFlowRunner interface {
	// PreFlow runs c's flow against c and attrs in memory. ok is false when
	// the flow cannot run this way; the runtime then runs it after commit.
	PreFlow(ctx context.Context, c *Contact, attrs map[string]string) (fx FlowEffects, ok bool)
}

// preFlow runs a new contact's flow in its creating transaction when the
// runtime can, applying the effects to c and attrs.
func (s *Service) preFlow(ctx context.Context, c *Contact, attrs map[string]string, now time.Time) (map[string]string, error) {
	pf, ok := s.runtime.(PreFlowRunner)
	if !ok || c.ContactFlowID == "" || c.State != StateInitiated {
		return attrs, nil
	}
	fx, ok := pf.PreFlow(ctx, c, attrs)
	if !ok {
		return attrs, nil
	}
	if len(fx.Attributes) > 0 {
		var err error
		if attrs, err = mergeFlowAttributes(mergeAttributes(attrs, nil), fx.Attributes); err != nil {
			// The Set contact attributes block takes its error branch on
			// this; run the flow after commit, where it can.
			return attrs, nil
		}
	}
	s.applyEffects(c, fx, now)
	c.FlowDone = true
	return attrs, nil
}

// setCriteria replaces a contact's routing criteria with the next Index.
func (s *Service) setCriteria(c *Contact, rc *RoutingCriteria, now time.Time) {
	n := *rc
	n.Steps = append([]RoutingStep(nil), rc.Steps...)
	n.Index = 0
	if c.RoutingCriteria != nil {
		n.Index = c.RoutingCriteria.Index + 1
	}
	n.ActivationTime = time.Time{}
	for i := range n.Steps {
		n.Steps[i].Status, n.Steps[i].ExpiryTime = "INACTIVE", time.Time{}
	}
	if c.State == StateQueued {
		activateCriteria(&n, now)
	}
	c.RoutingCriteria = &n
}

// ConnectToAgent records that agentID accepted the contact: it leaves the
// queue and is connected, and the routing step it matched (step >= 0)
// becomes JOINED.
func (s *Service) ConnectToAgent(ctx context.Context, instanceID, contactID, agentID string, step int) (*Contact, error) {
	return s.transition(ctx, instanceID, contactID, func(c *Contact, now time.Time) error {
		if c.State != StateQueued {
			return Errorf(ErrConflict, "Contact %s is %s, not waiting in a queue; it cannot be connected to an agent.", c.ID, c.State)
		}
		c.State, c.AgentID, c.ConnectedToAgentTime = StateConnected, agentID, now
		// A customer queue flow waiting stops when an agent takes the
		// contact.
		c.FlowWait = nil
		if rc := c.RoutingCriteria; rc != nil && step >= 0 && step < len(rc.Steps) {
			rc.Steps[step].Status = "JOINED"
		}
		return nil
	}, EventConnectedToAgent)
}

// EndContact ends a contact for reason (the customer or agent left, the
// flow disconnected, the contact expired). A contact with an agent enters
// after-contact work; one without is complete at once.
func (s *Service) EndContact(ctx context.Context, instanceID, contactID, reason string) (*Contact, error) {
	return s.transition(ctx, instanceID, contactID, func(c *Contact, now time.Time) error {
		if c.Ended() {
			return errNoChange
		}
		s.endContact(c, now, reason)
		return nil
	}, EventDisconnected)
}

// CompleteContact ends the after-contact work of an ended contact.
func (s *Service) CompleteContact(ctx context.Context, instanceID, contactID string) (*Contact, error) {
	return s.transition(ctx, instanceID, contactID, func(c *Contact, now time.Time) error {
		if !c.Ended() || c.AfterContactWorkStart.IsZero() {
			return Errorf(ErrConflict, "Contact %s is not in after-contact work.", c.ID)
		}
		if !c.AfterContactWorkEnd.IsZero() {
			return errNoChange
		}
		c.AfterContactWorkEnd = now
		return nil
	}, EventCompleted)
}

// RecordStepStatus stores a routing-step status change the engine decided
// (an expiry), stamped with the time it happened.
func (s *Service) RecordStepStatus(ctx context.Context, instanceID, contactID string, step int, status string, at time.Time) (*Contact, error) {
	return s.transition(ctx, instanceID, contactID, func(c *Contact, now time.Time) error {
		rc := c.RoutingCriteria
		if rc == nil || step < 0 || step >= len(rc.Steps) {
			return nil
		}
		rc.Steps[step].Status = status
		if status == "ACTIVE" {
			if d := rc.Steps[step].ExpirySeconds; d != nil {
				rc.Steps[step].ExpiryTime = at.Add(time.Duration(*d) * time.Second)
			}
		}
		return nil
	}, EventContactDataUpdated, "RoutingCriteria.Step.Status")
}

// StartScheduled moves a scheduled task whose time has come into its flow:
// it is now connected to the system.
func (s *Service) StartScheduled(ctx context.Context, instanceID, contactID string) (*Contact, error) {
	return s.transition(ctx, instanceID, contactID, func(c *Contact, now time.Time) error {
		if c.State != StateScheduled {
			return Errorf(ErrConflict, "Contact %s is not a scheduled task waiting to start.", c.ID)
		}
		c.State, c.ConnectedToSystemTime = StateInitiated, now
		return nil
	}, EventConnectedToSystem)
}

// errNoChange lets a transition say there is nothing to do: the contact is
// returned as stored and no event is published.
var errNoChange = errors.New("no change")

// transition loads a contact, applies f and stores it, in one commit, then
// publishes eventType (with updated properties for CONTACT_DATA_UPDATED).
func (s *Service) transition(ctx context.Context, instanceID, contactID string, f func(c *Contact, now time.Time) error, eventType string, updated ...string) (*Contact, error) {
	var out *Contact
	changed := false
	err := s.update(ctx, func(tx Tx) error {
		now := s.now()
		c, err := s.getContact(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		out = c
		if err := f(c, now); err != nil {
			if errors.Is(err, errNoChange) {
				return nil
			}
			return err
		}
		c.LastUpdateTime = now
		changed = true
		return s.putContact(tx, c)
	})
	if err == nil && changed {
		if eventType == EventDisconnected {
			s.emitEnded(out)
		} else {
			s.emit(out, eventType, updated...)
		}
	}
	return out, err
}

// LiveContacts returns the contacts of an instance that the runtime must
// keep track of after a restart: queued, scheduled, connected, or in
// after-contact work.
func (s *Service) LiveContacts(ctx context.Context, instanceID string) ([]Contact, error) {
	var out []Contact
	err := s.view(ctx, func(tx ReadTx) error {
		rows, err := tx.QueryContacts(ContactQuery{InstanceID: instanceID, ActiveOnly: true})
		if err != nil {
			return err
		}
		// Ended contacts still in after-contact work hold their agent's
		// slot; ACW rarely lasts days, so a week back finds them.
		now := s.now()
		ended, err := tx.QueryContacts(ContactQuery{InstanceID: instanceID, TimeField: TimeDisconnect, From: now.Add(-7 * 24 * time.Hour), To: now.Add(time.Second)})
		if err != nil {
			return err
		}
		for _, r := range ended {
			c, err := decodeContact(r)
			if err != nil {
				return err
			}
			if c.AgentID != "" && !c.AfterContactWorkStart.IsZero() && c.AfterContactWorkEnd.IsZero() {
				out = append(out, *c)
			}
		}
		for _, r := range rows {
			c, err := decodeContact(r)
			if err != nil {
				return err
			}
			out = append(out, *c)
		}
		return nil
	})
	return out, err
}

// Now is the service's clock reading, as stored (millisecond precision).
func (s *Service) Now() time.Time { return s.now() }

// InstanceARN is the ARN of an instance.
func (s *Service) InstanceARN(instanceID string) string { return s.instanceARN(instanceID) }

// AgentQueueARN is the ARN of a user's agent queue.
func (s *Service) AgentQueueARN(instanceID, userID string) string {
	return s.resourceARN(instanceID, "queue", "agent/"+userID)
}

// ValidateAttributes checks user-defined attributes (keys, total size) as a
// flow's Set contact attributes block must before it takes its success
// branch.
func ValidateAttributes(attrs map[string]string) error {
	return validateAttributes(attrs, ErrInvalidParameter)
}

// ValidateRoutingCriteria checks criteria set by a flow's Set routing
// criteria block.
func ValidateRoutingCriteria(rc *RoutingCriteria) error {
	return validateRoutingCriteria(rc, ErrInvalidParameter)
}

// AccountID is the account the server's ARNs name.
func (s *Service) AccountID() string { return s.cfg.AccountID }

// ConfigWatcher is told when a configuration resource changes or goes, so
// that caches of it (the runtime keeps parsed flows and queues) drop it.
type ConfigWatcher interface {
	ConfigChanged(instanceID string, kind Kind, id string)
}

// notifyConfig tells a runtime that watches configuration about a change.
func (s *Service) notifyConfig(instanceID string, kind Kind, ref string) {
	if w, ok := s.runtime.(ConfigWatcher); ok {
		w.ConfigChanged(instanceIDFrom(instanceID), kind, idFromARN(ref, kindInfo[kind].arnType))
	}
}

// ResourceID returns the ID in a resource reference that may be an ID or an
// ARN of the kind.
func ResourceID(kind Kind, ref string) string {
	id := idFromARN(ref, kindInfo[kind].arnType)
	if kind == KindQueue {
		// Agent queue ARNs end in queue/agent/{userId}; the queue's ID is
		// the user's.
		id = strings.TrimPrefix(id, "agent/")
	}
	return id
}
