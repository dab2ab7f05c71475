package center

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/routing"
)

// Estimated wait time (GetContactMetrics' ESTIMATED_WAIT_TIME). Connect
// predicts it with a model of its own; Switchboard estimates it from how
// fast the contact's queue and channel has been served lately: the last
// servedKeep contacts agents accepted from it within servedWindow give a
// rate, and a contact at position p waits about p divided by that rate.

const (
	// servedKeep is how many recent accepts a queue+channel remembers.
	servedKeep = 20
	// servedWindow is how far back an accept still counts.
	servedWindow = 30 * time.Minute
)

// served records that an agent accepted a contact of queue+channel at t.
// Called with in.mu held.
func (in *inst) served(queueID, channel string, t time.Time) {
	if in.accepts == nil {
		in.accepts = map[string][]time.Time{}
	}
	key := queueID + "/" + channel
	l := append(in.accepts[key], t)
	if len(l) > servedKeep {
		l = l[len(l)-servedKeep:]
	}
	in.accepts[key] = l
}

// serviceInterval is the recent mean time between accepts of a
// queue+channel; false when too few are recent. Called with in.mu held.
func (in *inst) serviceInterval(queueID, channel string, now time.Time) (time.Duration, bool) {
	var recent []time.Time
	for _, t := range in.accepts[queueID+"/"+channel] {
		if now.Sub(t) <= servedWindow {
			recent = append(recent, t)
		}
	}
	if len(recent) < 2 {
		return 0, false
	}
	return recent[len(recent)-1].Sub(recent[0]) / time.Duration(len(recent)-1), true
}

var _ domain.QueueView = (*Center)(nil)

// ContactInQueue implements domain.QueueView.
func (c *Center) ContactInQueue(ctx context.Context, instanceID, contactID string) (domain.QueuePosition, error) {
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		return domain.QueuePosition{}, err
	}
	defer in.unlock()
	now := c.clock.Now()
	in.apply(ctx, in.engine.Advance(now))
	ex, err := in.engine.Explain(contactID, now)
	if errors.Is(err, routing.ErrUnknownContact) {
		return domain.QueuePosition{}, nil
	}
	if err != nil {
		return domain.QueuePosition{}, err
	}
	p := domain.QueuePosition{InQueue: true, Position: ex.Position}
	if ex.State == "OFFERED" {
		// Being offered now: first in line, and the wait is over once
		// the agent accepts.
		p.Position, p.EstimatedWait, p.WaitKnown = 1, 0, true
		return p, nil
	}
	if every, ok := in.serviceInterval(ex.QueueID, ex.Channel.String(), now); ok {
		p.EstimatedWait, p.WaitKnown = every*time.Duration(ex.Position), true
	}
	return p, nil
}
