package metrics

import (
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/events"
)

// Agent time (AGENT_OCCUPANCY) comes from the agent event stream, not from
// contacts: each agent's last known state is kept, and the time between two
// of its events (or until a query asks) is accrued into the agent cells of
// the buckets it spans. Agent time is not recomputable from contacts: a
// crash loses what was accrued since the last flush, and a restart starts
// each agent afresh at its next event.

type agentState struct {
	at                          time.Time
	online, routable, onContact bool
	profile                     string
}

// Consume reads agent events from a bus subscription until it closes.
func (a *Aggregator) Consume(sub *events.Subscription) {
	for e := range sub.C() {
		if ae, ok := e.(*events.AgentEvent); ok {
			a.AgentEvent(ae)
		}
		a.consumed.Add(1)
	}
}

// Consumed counts the events Consume has taken and applied. Beside the
// subscription's Delivered count it tells whether the aggregator has
// caught up with the bus (App.AgentMetricsCaughtUp).
func (a *Aggregator) Consumed() uint64 { return a.consumed.Load() }

// lastSegment is the resource ID at the end of an ARN.
func lastSegment(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// AgentEvent records an agent's new state, accruing the time spent in the
// previous one.
func (a *Aggregator) AgentEvent(e *events.AgentEvent) {
	cur := e.CurrentAgentSnapshot
	if cur == nil {
		return
	}
	inst, agent := lastSegment(e.InstanceARN), lastSegment(e.AgentARN)
	at := time.Time(e.EventTimestamp)
	st := &agentState{at: at, online: cur.AgentStatus.Type != "OFFLINE", routable: cur.AgentStatus.Type == "ROUTABLE",
		profile: lastSegment(cur.Configuration.RoutingProfile.ARN)}
	for _, c := range cur.Contacts {
		switch c.State {
		case "CONNECTED", "CONNECTED_ONHOLD", "ENDED", "PAUSED":
			st.onContact = true
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	k := [2]string{inst, agent}
	if prev := a.agents[k]; prev != nil {
		a.accrue(inst, agent, prev, at)
		if prev.at.After(st.at) {
			st.at = prev.at
		}
	}
	a.agents[k] = st
}

// accrueAllLocked brings every agent's time up to now (queries call it so
// that ongoing states count).
func (a *Aggregator) accrueAllLocked(now time.Time) {
	for k, st := range a.agents {
		a.accrue(k[0], k[1], st, now)
	}
}

// accrue adds st's time from st.at to until into the agent's cells, bucket
// by bucket, and moves st.at to until.
func (a *Aggregator) accrue(inst, agent string, st *agentState, until time.Time) {
	if !until.After(st.at) {
		return
	}
	key := Key{ByAgent: true, Summary: true, Agent: a.names.id(agent), Profile: a.names.id(st.profile)}
	for t := st.at; t.Before(until); {
		b := bucketOf(t)
		end := time.Unix(b, 0).Add(BucketSize)
		if end.After(until) {
			end = until
		}
		d := ms(end.Sub(t))
		if st.online {
			c := a.cell(inst, b, key)
			c.OnlineMs += d
			if st.onContact {
				c.ContactMs += d
			} else if st.routable {
				c.IdleMs += d
			}
		}
		t = end
	}
	st.at = until
}
