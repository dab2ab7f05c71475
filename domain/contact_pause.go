package domain

import (
	"context"
	"time"
)

// MaxPauses is how often a task may be paused: the model bounds
// TotalPauseCount to 0–10.
const MaxPauses = 10

// PauseContact pauses a task that is waiting in a queue or connected to an
// agent. A queued task leaves its queue (an offer in flight is withdrawn);
// a connected one frees its agent's slot and stays on the agent's list,
// where the agent may end it. flowRef, or else the contact's PauseContact
// event hook, names a flow the runtime runs beside the paused task.
func (s *Service) PauseContact(ctx context.Context, instanceID, contactID, flowRef string) error {
	return s.pauseOrResume(ctx, instanceID, contactID, flowRef, ChangePaused, func(c *Contact, now time.Time) error {
		if err := pausable(c); err != nil {
			return err
		}
		if c.State == StatePaused {
			return Errorf(ErrConflict, "Task %s is already paused (since %s); ResumeContact resumes it.", c.ID, c.LastPausedTime.Format(time.RFC3339))
		}
		if c.PauseCount >= MaxPauses {
			return Errorf(ErrLimitExceeded, "Task %s has been paused %d times, the most Connect allows.", c.ID, c.PauseCount)
		}
		if c.State != StateQueued && c.State != StateConnected {
			return Errorf(ErrConflict, "Task %s is still in its flow (%s); it can be paused once it is in a queue or with an agent.", c.ID, c.State)
		}
		c.PausedFrom, c.State = c.State, StatePaused
		c.LastPausedTime = now
		c.PauseCount++
		// A customer queue flow's wait ends with the queue.
		c.FlowWait = nil
		return nil
	})
}

// ResumeContact returns a paused task where it was: to its queue, at the
// back (its enqueue time is now), or to its agent, whose slot it takes
// again even when that exceeds the agent's concurrency. flowRef, or else
// the contact's ResumeContact event hook, names a flow the runtime runs
// beside the resumed task; for a queued task it may transfer it to another
// queue, as a customer queue flow can.
func (s *Service) ResumeContact(ctx context.Context, instanceID, contactID, flowRef string) error {
	return s.pauseOrResume(ctx, instanceID, contactID, flowRef, ChangeResumed, func(c *Contact, now time.Time) error {
		if err := pausable(c); err != nil {
			return err
		}
		if c.State != StatePaused {
			return Errorf(ErrConflict, "Task %s is not paused (it is %s); only a paused task can be resumed.", c.ID, c.State)
		}
		c.endPause(now)
		c.State, c.PausedFrom = c.PausedFrom, ""
		c.LastResumedTime = now
		// A pause flow still waiting has nothing left to do.
		c.FlowWait = nil
		if c.State == StateQueued {
			c.EnqueueTime = now
		}
		return nil
	})
}

// pausable refuses what is not a live task.
func pausable(c *Contact) error {
	switch {
	case c.Channel != "TASK":
		return Errorf(ErrInvalidRequest, "Contact %s is a %s contact; only task contacts can be paused and resumed.", c.ID, c.Channel)
	case c.Ended():
		return Errorf(ErrConflict, "Task %s has ended (at %s).", c.ID, c.DisconnectTime.Format(time.RFC3339))
	case c.State == StateScheduled:
		return Errorf(ErrConflict, "Task %s is scheduled for %s and has not started; UpdateContactSchedule moves it instead.", c.ID, c.ScheduledTime.Format(time.RFC3339))
	}
	return nil
}

// pauseOrResume applies f to a contact in one commit, then reports the
// change, with the flow to run beside it, to the runtime.
func (s *Service) pauseOrResume(ctx context.Context, instanceID, contactID, flowRef string, change ContactChange, f func(c *Contact, now time.Time) error) error {
	var changed *Contact
	err := s.update(ctx, func(tx Tx) error {
		now := s.now()
		iid, c, err := s.contactIn(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		flowID := ""
		if flowRef != "" {
			if flowID, err = s.flowID(tx, iid, flowRef); err != nil {
				return err
			}
		}
		if err := f(c, now); err != nil {
			return err
		}
		if flowID == "" {
			hook := "PauseContact"
			if change == ChangeResumed {
				hook = "ResumeContact"
			}
			flowID = idFromARN(c.EventHooks[hook], "contact-flow")
		}
		c.RunFlowID, c.LastUpdateTime = flowID, now
		if err := s.putContact(tx, c); err != nil {
			return err
		}
		changed = c
		return nil
	})
	if err == nil {
		s.notifyChanged(ctx, changed, change)
	}
	return err
}
