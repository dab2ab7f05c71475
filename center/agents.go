package center

import (
	"context"
	"errors"
	"net/netip"
	"time"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/routing"
)

var _ agentapi.Backend = (*Center)(nil)

// AgentChanged implements domain.Runtime: the user's routing profile,
// proficiencies, channel settings or status changed (or the user is gone).
// userID "" reloads every agent of the instance (a routing profile changed).
func (c *Center) AgentChanged(ctx context.Context, instanceID, userID string) {
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		c.log.Error("load instance", "instance", instanceID, "err", err)
		return
	}
	defer in.unlock()
	snaps, err := c.svc.AgentsForRouting(ctx, instanceID, false)
	if err != nil {
		c.log.Error("load agents", "instance", instanceID, "err", err)
		return
	}
	seen := map[string]bool{}
	for _, s := range snaps {
		seen[s.UserID] = true
		if userID == "" || s.UserID == userID {
			in.apply(ctx, in.putAgent(s))
		}
	}
	for id, a := range in.agents {
		if !seen[id] && (userID == "" || id == userID) {
			res, err := in.engine.RemoveAgent(id, c.clock.Now())
			if !errIgnore(err) {
				c.log.Warn("remove agent", "agent", id, "err", err)
			}
			for _, ch := range a.subs {
				close(ch)
			}
			delete(in.agents, id)
			in.apply(ctx, res)
		}
	}
}

// putAgent brings the engine up to date with a user's snapshot. A new
// status clears a missed offer's block, as an agent does in Connect by
// changing status. Called with in.mu held.
func (in *inst) putAgent(s domain.AgentSnapshot) routing.Result {
	now := in.c.clock.Now()
	a, ok := in.agents[s.UserID]
	if !ok {
		a = &agent{contacts: map[string]*heldContact{}, subs: map[int]chan agentapi.AgentUpdate{}}
		in.agents[s.UserID] = a
	}
	statusChanged := !ok || a.snap.Status.StatusID != s.Status.StatusID || !a.snap.Status.Since.Equal(s.Status.Since)
	a.snap = s
	res, err := in.engine.PutAgent(agentParams(s), now)
	if err != nil {
		in.c.log.Warn("put agent", "agent", s.UserID, "err", err)
		return res
	}
	if statusChanged {
		in.clearMiss(a)
		st := s.Status
		in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateStatus, Status: &agentapi.AgentStatus{ID: st.StatusID, Name: st.Name, Type: st.Type, Since: st.Since}})
	}
	routable := s.Status.Type == "ROUTABLE" && !a.missed
	if routable != a.routable || statusChanged {
		r, err := in.engine.SetRoutable(s.UserID, routable, now)
		if err != nil {
			in.c.log.Warn("set routable", "agent", s.UserID, "err", err)
		}
		a.routable = routable
		res = mergeResults(res, r)
	}
	return res
}

// clearMiss ends the Missed/Rejected state an unanswered or rejected offer
// left the agent in, and forgets those contacts. Called with in.mu held.
func (in *inst) clearMiss(a *agent) {
	a.missed = false
	for id, hc := range a.contacts {
		if hc.state == "MISSED" || hc.state == "REJECTED" {
			delete(a.contacts, id)
		}
	}
}

// withAgent runs f on a known agent of an instance under its lock.
func (c *Center) withAgent(ctx context.Context, instanceID, userID string, f func(in *inst, a *agent) error) error {
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		return agentErr(err)
	}
	defer in.unlock()
	a := in.agents[userID]
	if a == nil {
		return agentapi.Errorf(agentapi.CodeAccessDenied, "User %s is not an agent of instance %s; give the user a routing profile.", userID, instanceID)
	}
	return f(in, a)
}

// agentErr turns a domain error into the agent API's error.
func agentErr(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	switch de.Code {
	case domain.ErrNotFound:
		return agentapi.Errorf(agentapi.CodeNotFound, "%s", de.Message)
	case domain.ErrAccessDenied:
		return agentapi.Errorf(agentapi.CodeInvalidCredentials, "%s", de.Message)
	case domain.ErrConflict, domain.ErrResourceConflict:
		return agentapi.Errorf(agentapi.CodeInvalidState, "%s", de.Message)
	}
	return agentapi.Errorf(agentapi.CodeInvalidRequest, "%s", de.Message)
}

// Authenticate implements agentapi.Backend.
func (c *Center) Authenticate(ctx context.Context, instanceID, username, password string) (string, error) {
	u, err := c.svc.AuthenticateUser(ctx, instanceID, username, password)
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) && (de.Code == domain.ErrAccessDenied || de.Code == domain.ErrNotFound) {
			return "", agentapi.Errorf(agentapi.CodeInvalidCredentials, "The username or password is not right for instance %s.", instanceID)
		}
		return "", err
	}
	return u.ID, nil
}

// SetStatus implements agentapi.Backend (PutUserStatus tells the runtime
// through AgentChanged).
func (c *Center) SetStatus(ctx context.Context, instanceID, userID, statusID string) error {
	if err := c.svc.PutUserStatus(ctx, instanceID, userID, statusID); err != nil {
		var de *domain.Error
		if errors.As(err, &de) && de.Code == domain.ErrNotFound {
			return agentapi.Errorf(agentapi.CodeStatusNotFound, "%s", de.Message)
		}
		return agentErr(err)
	}
	// Choosing a status is how an agent leaves the Missed/Rejected state,
	// and the agent in it still has the status they had, usually
	// Available. PutUserStatus keeps that status's start time (so a
	// repeated call costs no idle time) and putAgent therefore sees no
	// change, which left an agent who picked Available again stuck
	// unroutable until they went through another status.
	return c.withAgent(ctx, instanceID, userID, func(in *inst, a *agent) error {
		if !a.missed {
			return nil
		}
		in.clearMiss(a)
		routable := a.snap.Status.Type == "ROUTABLE"
		res, err := in.engine.SetRoutable(userID, routable, c.clock.Now())
		if err != nil {
			c.log.Warn("set routable", "agent", userID, "err", err)
		}
		a.routable = routable
		in.apply(ctx, res)
		return nil
	})
}

// Snapshot implements agentapi.Backend.
func (c *Center) Snapshot(ctx context.Context, instanceID, userID string) (agentapi.AgentSnapshot, error) {
	statuses, _, err := c.svc.ListAgentStatuses(ctx, instanceID, nil, domain.Page{MaxResults: 1000})
	if err != nil {
		return agentapi.AgentSnapshot{}, agentErr(err)
	}
	var out agentapi.AgentSnapshot
	err = c.withAgent(ctx, instanceID, userID, func(in *inst, a *agent) error {
		st := a.snap.Status
		out = agentapi.AgentSnapshot{UserID: userID, Status: agentapi.AgentStatus{ID: st.StatusID, Name: st.Name, Type: st.Type, Since: st.Since},
			Statuses: []agentapi.AgentStatus{}, Contacts: []agentapi.AgentContact{}, Slots: []agentapi.ChannelSlots{}}
		for _, s := range statuses {
			if s.State == "ENABLED" {
				out.Statuses = append(out.Statuses, agentapi.AgentStatus{ID: s.ID, Name: s.Name, Type: s.Type})
			}
		}
		used := map[string]int{}
		for _, hc := range a.contacts {
			out.Contacts = append(out.Contacts, *in.view(a, hc))
			if hc.state == "CONNECTING" || hc.state == "CONNECTED" || hc.state == "ENDED" {
				used[hc.channel]++
			}
		}
		for _, mc := range a.snap.RoutingProfile.MediaConcurrencies {
			out.Slots = append(out.Slots, agentapi.ChannelSlots{Channel: mc.Channel, Max: mc.Concurrency, Used: used[mc.Channel]})
		}
		return nil
	})
	return out, err
}

// heldBy returns the agent's contact in one of the given states.
func heldBy(a *agent, contactID string, states ...string) (*heldContact, error) {
	hc := a.contacts[contactID]
	if hc == nil {
		return nil, agentapi.Errorf(agentapi.CodeContactNotFound, "Contact %s is not with this agent.", contactID)
	}
	for _, s := range states {
		if hc.state == s {
			return hc, nil
		}
	}
	return nil, agentapi.Errorf(agentapi.CodeInvalidState, "Contact %s is %s for this agent; that action needs it %v.", contactID, hc.state, states)
}

// Accept implements agentapi.Backend.
func (c *Center) Accept(ctx context.Context, instanceID, userID, contactID string) error {
	return c.withAgent(ctx, instanceID, userID, func(in *inst, a *agent) error {
		if _, err := heldBy(a, contactID, "CONNECTING"); err != nil {
			return err
		}
		in.apply(ctx, in.accept(ctx, a, contactID))
		return nil
	})
}

// Reject implements agentapi.Backend: the contact goes back to its place in
// the queue, and the agent, in a Rejected state, gets no more contacts until
// they set a status again.
func (c *Center) Reject(ctx context.Context, instanceID, userID, contactID string) error {
	return c.withAgent(ctx, instanceID, userID, func(in *inst, a *agent) error {
		hc, err := heldBy(a, contactID, "CONNECTING")
		if err != nil {
			return err
		}
		if of, ok := in.offers[contactID]; ok {
			of.timer.Stop()
			delete(in.offers, contactID)
		}
		res, err := in.engine.Reject(contactID, c.clock.Now())
		if !errIgnore(err) {
			return err
		}
		a.routable, a.missed = false, true
		hc.state, hc.since, hc.expiresAt = "REJECTED", c.clock.Now(), time.Time{}
		if hc.channel == "VOICE" {
			hc.state = "MISSED"
		}
		in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContact, Contact: in.view(a, hc)})
		in.apply(ctx, res)
		return nil
	})
}

// EndContact implements agentapi.Backend: the agent ends the conversation
// and enters after-contact work.
func (c *Center) EndContact(ctx context.Context, instanceID, userID, contactID string) error {
	return c.withAgent(ctx, instanceID, userID, func(in *inst, a *agent) error {
		// A task the agent paused may be ended too, as in the CCP.
		if _, err := heldBy(a, contactID, "CONNECTED", "PAUSED"); err != nil {
			return err
		}
		// In a chat the agent leaves first, so the customer sees
		// participant.left before chat.ended, or before the disconnect
		// flow's first message (chat.go).
		in.chatAgentLeaving(ctx, contactID)
		return agentErr(in.agentLeft(ctx, contactID))
	})
}

// CompleteContact implements agentapi.Backend: after-contact work is done
// (or a missed or rejected contact is cleared) and the slot is free.
func (c *Center) CompleteContact(ctx context.Context, instanceID, userID, contactID string) error {
	return c.withAgent(ctx, instanceID, userID, func(in *inst, a *agent) error {
		hc, err := heldBy(a, contactID, "ENDED", "MISSED", "REJECTED")
		if err != nil {
			return err
		}
		if hc.state != "ENDED" {
			delete(a.contacts, contactID)
			in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContactRemoved, Contact: &agentapi.AgentContact{ContactID: contactID}, Reason: "cleared"})
			return nil
		}
		in.apply(ctx, in.complete(ctx, a, contactID))
		return nil
	})
}

var _ domain.Dismisser = (*Center)(nil)

// DismissUserContact implements domain.Dismisser: as CompleteContact, and
// a missed or rejected contact's block on new offers is lifted, as
// Connect's DismissUserContact returns the agent to an available state.
func (c *Center) DismissUserContact(ctx context.Context, instanceID, userID, contactID string) error {
	err := c.withAgent(ctx, instanceID, userID, func(in *inst, a *agent) error {
		hc, err := heldBy(a, contactID, "ENDED", "MISSED", "REJECTED")
		if err != nil {
			return err
		}
		if hc.state == "ENDED" {
			in.apply(ctx, in.complete(ctx, a, contactID))
			return nil
		}
		delete(a.contacts, contactID)
		in.notify(a, agentapi.AgentUpdate{Type: agentapi.UpdateContactRemoved, Contact: &agentapi.AgentContact{ContactID: contactID}, Reason: "dismissed"})
		in.clearMiss(a)
		if routable := a.snap.Status.Type == "ROUTABLE"; routable != a.routable {
			res, err := in.engine.SetRoutable(userID, routable, c.clock.Now())
			if err != nil {
				return err
			}
			a.routable = routable
			in.apply(ctx, res)
		}
		return nil
	})
	var ae *agentapi.Error
	if errors.As(err, &ae) {
		switch ae.Code {
		case agentapi.CodeContactNotFound, agentapi.CodeNotFound:
			return domain.Errorf(domain.ErrNotFound, "%s", ae.Message)
		default:
			return domain.Errorf(domain.ErrInvalidRequest, "%s DismissUserContact clears contacts that are MISSED, REJECTED or ENDED (in after-contact work).", ae.Message)
		}
	}
	return err
}

// Subscribe implements agentapi.Backend. The channel closes when ctx ends
// or the user stops being an agent.
func (c *Center) Subscribe(ctx context.Context, instanceID, userID string) (<-chan agentapi.AgentUpdate, error) {
	var ch chan agentapi.AgentUpdate
	var in *inst
	var key int
	err := c.withAgent(ctx, instanceID, userID, func(i *inst, a *agent) error {
		in, ch, key = i, make(chan agentapi.AgentUpdate, 256), a.nextSub
		a.nextSub++
		a.subs[key] = ch
		return nil
	})
	if err != nil {
		return nil, err
	}
	go func() {
		<-ctx.Done()
		in.mu.Lock()
		defer in.unlock()
		if a := in.agents[userID]; a != nil {
			if _, ok := a.subs[key]; ok {
				delete(a.subs, key)
				close(ch)
			}
		}
	}()
	return ch, nil
}

var _ agentapi.ChatJoiner = (*Center)(nil)

var _ agentapi.IPChecker = (*Center)(nil)

// CheckIP implements agentapi.IPChecker with the instance's authentication
// profile (domain.CheckAgentIP).
func (c *Center) CheckIP(ctx context.Context, instanceID string, ip netip.Addr) error {
	err := c.svc.CheckAgentIP(ctx, instanceID, ip)
	var de *domain.Error
	if errors.As(err, &de) && de.Code == domain.ErrAccessDenied {
		// agentErr would make it a wrong password.
		return agentapi.Errorf(agentapi.CodeAccessDenied, "%s", de.Message)
	}
	if errors.As(err, &de) && de.Code == domain.ErrNotFound {
		// An unknown instance: login answers it as a wrong password does,
		// so that nobody learns which instances exist.
		return nil
	}
	return agentErr(err)
}

var _ domain.NotificationWatcher = (*Center)(nil)

// NotificationCreated implements domain.NotificationWatcher: the agents
// the notification is for get it on their streams at once. Those not
// connected read it with ListUserNotifications.
func (c *Center) NotificationCreated(n *domain.Notification) {
	in, err := c.instance(context.Background(), n.InstanceID)
	if err != nil {
		c.log.Error("load instance", "instance", n.InstanceID, "err", err)
		return
	}
	defer in.unlock()
	u := agentapi.AgentUpdate{Type: agentapi.UpdateNotification, Notification: &agentapi.Notification{ID: n.ID, Content: n.Content,
		Priority: n.Priority, CreatedAt: n.CreatedAt, ExpiresAt: n.ExpiresAt}}
	for id, a := range in.agents {
		if len(a.subs) > 0 && c.svc.NotifiedUser(n, id) {
			in.send(a, u)
		}
	}
}

var _ agentapi.Notifier = (*Center)(nil)

// Notifications implements agentapi.Notifier with the user's notifications
// (domain.ListUserNotifications).
func (c *Center) Notifications(ctx context.Context, instanceID, userID string) ([]agentapi.Notification, error) {
	var out []agentapi.Notification
	page := domain.Page{MaxResults: 1000}
	for {
		list, next, err := c.svc.ListUserNotifications(ctx, instanceID, userID, page)
		if err != nil {
			return nil, agentErr(err)
		}
		for _, n := range list {
			out = append(out, agentapi.Notification{ID: n.ID, Content: n.Content, Priority: n.Priority, CreatedAt: n.CreatedAt,
				ExpiresAt: n.ExpiresAt, Status: n.Status})
		}
		if next == "" {
			return out, nil
		}
		page.NextToken = next
	}
}

// SetNotificationStatus implements agentapi.Notifier.
func (c *Center) SetNotificationStatus(ctx context.Context, instanceID, userID, notificationID, status string) error {
	return agentErr(c.svc.UpdateUserNotificationStatus(ctx, instanceID, userID, notificationID, status))
}
