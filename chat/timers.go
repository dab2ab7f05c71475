package chat

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// Chat timers (UpdateParticipantRoleConfig; Connect's "Set up chat
// timeouts for chat participants"):
//
//   - per role (CUSTOMER, AGENT) an IDLE and a DISCONNECT_NONCUSTOMER
//     timer, 2..480 minutes each;
//   - they run only while the customer and an agent (or custom bot) are
//     both in the chat: they start when the agent joins (or when the
//     configuration arrives with both already there) and stop when either
//     leaves or the chat ends;
//   - a role's idle timer runs first; when it fires everyone sees
//     participant.idle for that role's participant, and the role's
//     disconnect timer starts;
//   - a message (or attachment) from the participant restarts its role's
//     timers, announcing participant.returned if it was idle;
//   - the disconnect timer firing shows participant.autodisconnection and
//     takes every non-customer participant out of the chat; the runtime
//     then ends the contact as when the agent leaves (Hook), since chats
//     have no disconnect flow in Switchboard.
//
// The idle, returned and autodisconnection notices are pushed, not stored:
// Connect displays them but keeps them out of transcripts.
//
// The configuration is stored with the customer participant, so it
// survives restarts; the running timers are in memory and start again at
// the next join, message or configuration change after a restart.

// Timer types and the event content types the timers push.
const (
	TimerIdle       = "IDLE"
	TimerDisconnect = "DISCONNECT_NONCUSTOMER"

	CTParticipantIdle              = ctPrefix + "event.participant.idle"
	CTParticipantReturned          = ctPrefix + "event.participant.returned"
	CTParticipantAutoDisconnection = ctPrefix + "event.participant.autodisconnection"

	minTimer = 2 * time.Minute
	maxTimer = 480 * time.Minute
)

// TimerConfig is a chat's timers; zero durations are unset.
type TimerConfig struct {
	CustomerIdle       time.Duration `json:",omitempty"`
	CustomerDisconnect time.Duration `json:",omitempty"`
	AgentIdle          time.Duration `json:",omitempty"`
	AgentDisconnect    time.Duration `json:",omitempty"`
}

func (c *TimerConfig) slot(role Role, typ string) *time.Duration {
	switch {
	case role == RoleCustomer && typ == TimerIdle:
		return &c.CustomerIdle
	case role == RoleCustomer && typ == TimerDisconnect:
		return &c.CustomerDisconnect
	case role == RoleAgent && typ == TimerIdle:
		return &c.AgentIdle
	case role == RoleAgent && typ == TimerDisconnect:
		return &c.AgentDisconnect
	}
	return nil
}

func (c *TimerConfig) durations(role Role) (idle, disconnect time.Duration) {
	return *c.slot(role, TimerIdle), *c.slot(role, TimerDisconnect)
}

func (c *TimerConfig) empty() bool { return *c == TimerConfig{} }

// TimerSetting is one entry of ParticipantTimerConfigList: a duration, or
// Unset to remove the timer.
type TimerSetting struct {
	Role     Role
	Type     string
	Duration time.Duration
	Unset    bool
}

// UpdateTimers is UpdateParticipantRoleConfig for a chat: it merges the
// settings into the chat's timers (timers not named keep their value) and
// restarts them if the customer and an agent are both in the chat.
func (s *Service) UpdateTimers(ctx context.Context, instanceID, contactID string, settings []TimerSetting) error {
	seen := map[[2]string]bool{}
	for _, st := range settings {
		if st.Role != RoleCustomer && st.Role != RoleAgent {
			return errorf(ErrValidation, "ParticipantRole %q has no timers; use CUSTOMER or AGENT.", st.Role)
		}
		if st.Type != TimerIdle && st.Type != TimerDisconnect {
			return errorf(ErrValidation, "TimerType %q is not a timer; use IDLE or DISCONNECT_NONCUSTOMER.", st.Type)
		}
		k := [2]string{string(st.Role), st.Type}
		if seen[k] {
			return errorf(ErrValidation, "The %s %s timer is set twice in ParticipantTimerConfigList.", st.Role, st.Type)
		}
		seen[k] = true
		if !st.Unset && (st.Duration < minTimer || st.Duration > maxTimer) {
			return errorf(ErrValidation, "ParticipantTimerDurationInMinutes must be between 2 and 480; the %s %s timer has %v.", st.Role, st.Type, st.Duration)
		}
	}
	var cfg TimerConfig
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		c, err := getContact(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		if c.Chat == nil {
			return errorf(ErrValidation, "Contact %s is a %s contact; timers apply to chats.", contactID, c.Channel)
		}
		if done, err := s.over(tx, c, s.now()); err != nil {
			return err
		} else if done {
			return errorf(ErrValidation, "Chat %s has ended.", contactID)
		}
		cust, _, err := s.setup(tx, c)
		if err != nil {
			return err
		}
		if cust.Timers != nil {
			cfg = *cust.Timers
		}
		for _, st := range settings {
			d := st.Duration
			if st.Unset {
				d = 0
			}
			*cfg.slot(st.Role, st.Type) = d
		}
		cust.Timers = &cfg
		if cfg.empty() {
			cust.Timers = nil
		}
		return putParticipant(tx, instanceID, contactID, hashToken(kindParticipant, c.Chat.ParticipantToken), cust)
	})
	if err != nil {
		return err
	}
	s.startTimers(instanceID, contactID)
	return nil
}

// timerSet holds the running timers of every chat.
type timerSet struct {
	mu    sync.Mutex
	chats map[string]*chatTimers // by chatKey
}

type chatTimers struct {
	cfg   TimerConfig
	roles map[Role]*roleTimer
}

// roleTimer is one role's pending timer. gen tells a stale callback (its
// timer was replaced after it was due) from the current one.
type roleTimer struct {
	t    clock.Timer
	gen  int
	idle bool
}

func (ts *timerSet) init() {
	if ts.chats == nil {
		ts.chats = map[string]*chatTimers{}
	}
}

// timerState is what the timers need to know about a chat now.
type timerState struct {
	contact *domain.Contact
	cfg     TimerConfig
	// byRole are the participants still in the chat, by role.
	byRole map[Role][]*Participant
}

// running reports whether the timers run: customer and agent (or custom
// bot) both in a live chat with timers configured.
func (st *timerState) running() bool {
	return st != nil && !st.cfg.empty() && len(st.byRole[RoleCustomer]) > 0 &&
		(len(st.byRole[RoleAgent]) > 0 || len(st.byRole[RoleCustomBot]) > 0)
}

func (s *Service) loadTimerState(ctx context.Context, instanceID, contactID string) (*timerState, error) {
	var st *timerState
	err := s.store.View(ctx, func(tx domain.ReadTx) error {
		c, err := getContact(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		if done, err := s.over(tx, c, s.now()); err != nil || done {
			return err
		}
		ps, _, err := participants(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		st = &timerState{contact: c, byRole: map[Role][]*Participant{}}
		for _, p := range ps {
			if p.Role == RoleCustomer && p.Timers != nil {
				st.cfg = *p.Timers
			}
			if !p.Left() {
				st.byRole[p.Role] = append(st.byRole[p.Role], p)
			}
		}
		return nil
	})
	return st, err
}

// startTimers (re)starts a chat's timers from scratch if they should run
// (an agent joined, the configuration changed), and stops them otherwise.
func (s *Service) startTimers(instanceID, contactID string) {
	st, err := s.loadTimerState(context.Background(), instanceID, contactID)
	if err != nil {
		s.log.Warn("chat timers", "contact", contactID, "err", err)
		return
	}
	key := chatKey(instanceID, contactID)
	s.timers.mu.Lock()
	defer s.timers.mu.Unlock()
	s.timers.init()
	s.stopLocked(key)
	if !st.running() {
		return
	}
	ct := &chatTimers{cfg: st.cfg, roles: map[Role]*roleTimer{}}
	s.timers.chats[key] = ct
	for _, role := range []Role{RoleCustomer, RoleAgent} {
		s.armLocked(key, instanceID, contactID, ct, role)
	}
}

func (s *Service) stopLocked(key string) {
	if ct := s.timers.chats[key]; ct != nil {
		for _, rt := range ct.roles {
			if rt.t != nil {
				rt.t.Stop()
			}
		}
		delete(s.timers.chats, key)
	}
}

// armLocked starts a role's timers over: the idle timer if set, else the
// disconnect timer.
func (s *Service) armLocked(key, instanceID, contactID string, ct *chatTimers, role Role) {
	rt := ct.roles[role]
	if rt == nil {
		rt = &roleTimer{}
		ct.roles[role] = rt
	}
	if rt.t != nil {
		rt.t.Stop()
		rt.t = nil
	}
	rt.gen++
	rt.idle = false
	idle, disconnect := ct.cfg.durations(role)
	switch {
	case idle > 0:
		s.scheduleLocked(key, instanceID, contactID, rt, role, TimerIdle, idle)
	case disconnect > 0:
		s.scheduleLocked(key, instanceID, contactID, rt, role, TimerDisconnect, disconnect)
	}
}

func (s *Service) scheduleLocked(key, instanceID, contactID string, rt *roleTimer, role Role, typ string, d time.Duration) {
	gen := rt.gen
	rt.t = s.clock.AfterFunc(d, func() { s.timerFired(key, instanceID, contactID, role, typ, gen) })
}

// current returns the role's timer if gen is still its generation.
func (s *Service) currentLocked(key string, role Role, gen int) (*chatTimers, *roleTimer) {
	ct := s.timers.chats[key]
	if ct == nil {
		return nil, nil
	}
	rt := ct.roles[role]
	if rt == nil || rt.gen != gen {
		return nil, nil
	}
	return ct, rt
}

// timerFired runs a due timer: it rechecks the chat in the store (someone
// may have left since), then announces idleness or disconnects.
func (s *Service) timerFired(key, instanceID, contactID string, role Role, typ string, gen int) {
	s.timers.mu.Lock()
	ct, _ := s.currentLocked(key, role, gen)
	s.timers.mu.Unlock()
	if ct == nil {
		return
	}
	ctx := context.Background()
	st, err := s.loadTimerState(ctx, instanceID, contactID)
	if err != nil {
		s.log.Warn("chat timers", "contact", contactID, "err", err)
		return
	}
	if !st.running() || len(st.byRole[role]) == 0 {
		s.timers.mu.Lock()
		if cur, _ := s.currentLocked(key, role, gen); cur != nil {
			s.stopLocked(key)
		}
		s.timers.mu.Unlock()
		return
	}
	who := st.byRole[role][0]
	if typ == TimerIdle {
		s.timers.mu.Lock()
		ct, rt := s.currentLocked(key, role, gen)
		if ct == nil {
			s.timers.mu.Unlock()
			return
		}
		rt.idle, rt.t = true, nil
		if _, disconnect := ct.cfg.durations(role); disconnect > 0 {
			s.scheduleLocked(key, instanceID, contactID, rt, role, TimerDisconnect, disconnect)
		}
		s.timers.mu.Unlock()
		s.notice(st.contact, who, CTParticipantIdle)
		return
	}
	s.timers.mu.Lock()
	if cur, _ := s.currentLocked(key, role, gen); cur == nil {
		s.timers.mu.Unlock()
		return
	}
	s.stopLocked(key)
	s.timers.mu.Unlock()
	s.notice(st.contact, who, CTParticipantAutoDisconnection)
	s.autoDisconnect(ctx, st)
}

// autoDisconnect takes every non-customer participant out of the chat and
// tells the runtime the agent left (it ends the contact).
func (s *Service) autoDisconnect(ctx context.Context, st *timerState) {
	c := st.contact
	agentLeft, agentID := false, ""
	for role, ps := range st.byRole {
		if role == RoleCustomer {
			continue
		}
		for _, p := range ps {
			err := s.RemoveParticipant(ctx, c.InstanceID, c.ID, p.ID)
			if err != nil && !IsChatError(err, ErrNotFound) {
				s.log.Warn("chat auto-disconnect", "contact", c.ID, "participant", p.ID, "err", err)
				continue
			}
			if role == RoleAgent {
				agentLeft, agentID = true, p.ID
			}
		}
	}
	if h := s.currentHook(); h != nil && agentLeft {
		h.ParticipantDisconnected(ctx, c.InstanceID, c.ID, agentID, RoleAgent)
	}
}

// notice pushes a timer event about p (not stored; see above).
func (s *Service) notice(c *domain.Contact, p *Participant, contentType string) {
	it := s.eventItem(p, contentType, s.now())
	stamp(it, c)
	s.hub.publish(chatKey(c.InstanceID, c.ID), it)
}

// participantActive restarts the timers of the participant's role after a
// message (or attachment) from them, announcing participant.returned if
// they were idle. Chats without running timers cost a map lookup.
func (s *Service) participantActive(key, participantID string) {
	// Instance IDs are UUIDs: the first slash ends them.
	instanceID, contactID, _ := strings.Cut(key, "/")
	s.timers.mu.Lock()
	running := s.timers.chats[key] != nil
	s.timers.mu.Unlock()
	if !running {
		return
	}
	st, err := s.loadTimerState(context.Background(), instanceID, contactID)
	if err != nil {
		s.log.Warn("chat timers", "contact", contactID, "err", err)
		return
	}
	if st == nil {
		return
	}
	// Only customers and agents have timers.
	var who *Participant
	for _, role := range []Role{RoleCustomer, RoleAgent} {
		for _, p := range st.byRole[role] {
			if p.ID == participantID {
				who = p
			}
		}
	}
	if who == nil {
		return
	}
	role := who.Role
	s.timers.mu.Lock()
	ct := s.timers.chats[key]
	if ct == nil {
		s.timers.mu.Unlock()
		return
	}
	wasIdle := ct.roles[role] != nil && ct.roles[role].idle
	s.armLocked(key, instanceID, contactID, ct, role)
	s.timers.mu.Unlock()
	if wasIdle {
		s.notice(st.contact, who, CTParticipantReturned)
	}
}

// timersJoined starts the timers when a participant that makes them run
// joins (the runtime adds the agent through AddParticipant).
func (s *Service) timersJoined(instanceID, contactID string, role Role) {
	if role == RoleAgent || role == RoleCustomBot {
		s.startTimers(instanceID, contactID)
	}
}

// Timers returns a chat's timer configuration (nil when none is set).
func (s *Service) Timers(ctx context.Context, instanceID, contactID string) (*TimerConfig, error) {
	st, err := s.loadTimerState(ctx, instanceID, contactID)
	if err != nil {
		return nil, err
	}
	if st == nil || st.cfg.empty() {
		return nil, nil
	}
	cfg := st.cfg
	return &cfg, nil
}
