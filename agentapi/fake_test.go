package agentapi_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/agentapi"
)

// fakeBackend is a tiny in-memory runtime: enough state machine to tell a
// right request from a wrong one, and a hand-driven event source.
type fakeBackend struct {
	mu       sync.Mutex
	now      func() time.Time
	users    map[string]fakeUser // instance + "/" + username
	statuses []agentapi.AgentStatus
	status   map[string]agentapi.AgentStatus
	contacts map[string][]*agentapi.AgentContact // by user id, oldest first
	subs     map[*fakeSub]struct{}
	// failNext makes the next call of any method return this error.
	failNext error

	subscribed   chan string // user id, each time a subscription starts
	unsubscribed chan string // user id, each time one ends
}

type fakeUser struct{ id, password string }

type fakeSub struct {
	userID string
	ctx    context.Context
	mu     sync.Mutex // held while sending, so closing cannot race a send
	ch     chan agentapi.AgentUpdate
}

var (
	available = agentapi.AgentStatus{ID: "st-available", Name: "Available", Type: "ROUTABLE"}
	offline   = agentapi.AgentStatus{ID: "st-offline", Name: "Offline", Type: "OFFLINE"}
	onBreak   = agentapi.AgentStatus{ID: "st-break", Name: "Break", Type: "CUSTOM"}
)

func newFakeBackend(now func() time.Time) *fakeBackend {
	return &fakeBackend{
		now: now,
		users: map[string]fakeUser{
			"inst-1/alice": {id: "user-alice", password: "correct horse"},
			"inst-1/bob":   {id: "user-bob", password: "battery staple"},
			"inst-2/carol": {id: "user-carol", password: "pw"},
		},
		statuses:     []agentapi.AgentStatus{available, onBreak, offline},
		status:       map[string]agentapi.AgentStatus{},
		contacts:     map[string][]*agentapi.AgentContact{},
		subs:         map[*fakeSub]struct{}{},
		subscribed:   make(chan string, 16),
		unsubscribed: make(chan string, 16),
	}
}

func (f *fakeBackend) fail() error {
	err := f.failNext
	f.failNext = nil
	return err
}

func (f *fakeBackend) Authenticate(_ context.Context, instanceID, username, password string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(); err != nil {
		return "", err
	}
	u, ok := f.users[instanceID+"/"+username]
	if !ok || u.password != password {
		return "", agentapi.Errorf(agentapi.CodeInvalidCredentials, "bad credentials")
	}
	return u.id, nil
}

func (f *fakeBackend) SetStatus(_ context.Context, _, userID, statusID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(); err != nil {
		return err
	}
	i := slices.IndexFunc(f.statuses, func(s agentapi.AgentStatus) bool { return s.ID == statusID })
	if i < 0 {
		return agentapi.Errorf(agentapi.CodeStatusNotFound, "No status %s.", statusID)
	}
	st := f.statuses[i]
	st.Since = f.now()
	f.status[userID] = st
	f.publishLocked(userID, agentapi.AgentUpdate{Type: agentapi.UpdateStatus, Status: &st})
	return nil
}

func (f *fakeBackend) Snapshot(_ context.Context, _, userID string) (agentapi.AgentSnapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(); err != nil {
		return agentapi.AgentSnapshot{}, err
	}
	st, ok := f.status[userID]
	if !ok {
		st = offline
	}
	snap := agentapi.AgentSnapshot{UserID: userID, Status: st, Statuses: f.statuses,
		Slots: []agentapi.ChannelSlots{{Channel: "CHAT", Max: 2, Used: len(f.contacts[userID])}}}
	for _, c := range f.contacts[userID] {
		snap.Contacts = append(snap.Contacts, *c)
	}
	return snap, nil
}

// transition moves a contact from one of the states in from to to, or
// removes it when to is empty, and publishes the change.
func (f *fakeBackend) transition(userID, contactID string, to agentapi.ContactState, from ...agentapi.ContactState) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(); err != nil {
		return err
	}
	list := f.contacts[userID]
	i := slices.IndexFunc(list, func(c *agentapi.AgentContact) bool { return c.ContactID == contactID })
	if i < 0 {
		return agentapi.Errorf(agentapi.CodeContactNotFound, "No contact %s.", contactID)
	}
	c := list[i]
	if !slices.Contains(from, c.State) {
		return agentapi.Errorf(agentapi.CodeInvalidState, "Contact %s is %s.", contactID, c.State)
	}
	if to == "" {
		f.contacts[userID] = slices.Delete(list, i, i+1)
		f.publishLocked(userID, agentapi.AgentUpdate{Type: agentapi.UpdateContactRemoved, Contact: c})
		return nil
	}
	c.State, c.StateSince, c.ExpiresAt = to, f.now(), time.Time{}
	cp := *c
	f.publishLocked(userID, agentapi.AgentUpdate{Type: agentapi.UpdateContact, Contact: &cp})
	return nil
}

func (f *fakeBackend) Accept(_ context.Context, _, userID, contactID string) error {
	return f.transition(userID, contactID, agentapi.StateConnected, agentapi.StateConnecting, agentapi.StateIncoming)
}

func (f *fakeBackend) Reject(_ context.Context, _, userID, contactID string) error {
	return f.transition(userID, contactID, agentapi.StateRejected, agentapi.StateConnecting, agentapi.StateIncoming)
}

func (f *fakeBackend) EndContact(_ context.Context, _, userID, contactID string) error {
	return f.transition(userID, contactID, agentapi.StateEnded, agentapi.StateConnected, agentapi.StateConnectedOnHold)
}

func (f *fakeBackend) CompleteContact(_ context.Context, _, userID, contactID string) error {
	return f.transition(userID, contactID, "", agentapi.StateEnded, agentapi.StateMissed, agentapi.StateRejected, agentapi.StateError)
}

func (f *fakeBackend) Subscribe(ctx context.Context, _, userID string) (<-chan agentapi.AgentUpdate, error) {
	f.mu.Lock()
	if err := f.fail(); err != nil {
		f.mu.Unlock()
		return nil, err
	}
	// Unbuffered on purpose: a publish completes only when the API has
	// taken the update, so a test that publishes proves the API reads.
	sub := &fakeSub{userID: userID, ctx: ctx, ch: make(chan agentapi.AgentUpdate)}
	f.subs[sub] = struct{}{}
	f.mu.Unlock()
	f.subscribed <- userID
	go func() {
		<-ctx.Done()
		f.mu.Lock()
		delete(f.subs, sub)
		f.mu.Unlock()
		sub.mu.Lock()
		close(sub.ch)
		sub.mu.Unlock()
		f.unsubscribed <- userID
	}()
	return sub.ch, nil
}

// publishLocked sends u to the user's subscribers, blocking like a real
// runtime would if the API stopped reading.
func (f *fakeBackend) publishLocked(userID string, u agentapi.AgentUpdate) {
	for sub := range f.subs {
		if sub.userID != userID {
			continue
		}
		sub.mu.Lock()
		select {
		case sub.ch <- u:
		case <-sub.ctx.Done():
		}
		sub.mu.Unlock()
	}
}

// offer puts a new contact on offer to the user and publishes it.
func (f *fakeBackend) offer(userID, contactID string) agentapi.AgentContact {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &agentapi.AgentContact{ContactID: contactID, Channel: "CHAT", State: agentapi.StateConnecting,
		StateSince: f.now(), Queue: &agentapi.QueueRef{ID: "q-sales", Name: "Sales"}, InitiationMethod: "API",
		Attributes: map[string]string{"customer": "Ada"}, ExpiresAt: f.now().Add(20 * time.Second)}
	f.contacts[userID] = append(f.contacts[userID], c)
	cp := *c
	f.publishLocked(userID, agentapi.AgentUpdate{Type: agentapi.UpdateOffer, Contact: &cp})
	return cp
}

// setFail makes the next backend call fail with err.
func (f *fakeBackend) setFail(err error) {
	f.mu.Lock()
	f.failNext = err
	f.mu.Unlock()
}

var errBoom = errors.New("database on fire")
