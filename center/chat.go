package center

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/flowrun"
)

// ChatService is what the runtime needs from the chat domain (package
// chat's *Service). It is an interface so that a Center without chats
// (tests, a server with no participant service) needs none.
type ChatService interface {
	AddParticipant(ctx context.Context, instanceID, contactID string, role chat.Role, displayName string) (participantID, participantToken string, err error)
	RemoveParticipant(ctx context.Context, instanceID, contactID, participantID string) error
	EndChat(ctx context.Context, instanceID, contactID string) error
	SendSystemMessage(ctx context.Context, instanceID, contactID, contentType, content string) (*chat.Item, error)
	ShowView(ctx context.Context, instanceID, contactID, ref string, v *domain.View, data map[string]any) (token string, err error)
	AddMonitor(ctx context.Context, instanceID, contactID, displayName string) (participantID, participantToken string, err error)
	Barge(ctx context.Context, instanceID, contactID, participantID string) error
}

// chatSide is the runtime's half of chat: the chat service, and the seat
// each agent holds in the chats they accepted. An agent's ParticipantToken
// exists only here (the chat stores its hash), which is why the agent API
// can show it to the agent and nobody else.
//
// Seats live in memory: after a restart an agent still connected to a chat
// has no token to show; ending or completing the contact works as before.
type chatSide struct {
	mu    sync.Mutex
	svc   ChatService
	seats map[string]chatSeat // by instance/contact

	// returns are the chats whose flow waits in a Wait block for the
	// customer to write (CustomerReturned) or in a ShowView block for the
	// customer's answer, by instance/contact, holding the suspended
	// flow.State. A sync.Map, because every customer message looks here
	// and almost never finds anything.
	returns sync.Map
}

// chatSeat is an agent's participant in a chat.
type chatSeat struct {
	userID, participantID, token string
}

func seatKey(instanceID, contactID string) string { return instanceID + "/" + contactID }

// SetChat connects the chat service: accepted chats get their agent as a
// participant, flows' messages reach the transcript, and participants
// leaving through the participant service move contacts along (the Center
// is the chat's Hook). Call it once, before serving.
func (c *Center) SetChat(svc ChatService) {
	c.chat.mu.Lock()
	c.chat.svc, c.chat.seats = svc, map[string]chatSeat{}
	c.chat.mu.Unlock()
}

func (c *Center) chatService() ChatService {
	c.chat.mu.Lock()
	defer c.chat.mu.Unlock()
	return c.chat.svc
}

func (c *Center) seat(instanceID, contactID string) (chatSeat, bool) {
	c.chat.mu.Lock()
	defer c.chat.mu.Unlock()
	s, ok := c.chat.seats[seatKey(instanceID, contactID)]
	return s, ok
}

// dropSeat forgets a seat and returns it.
func (c *Center) dropSeat(instanceID, contactID string) (chatSeat, bool) {
	c.chat.mu.Lock()
	defer c.chat.mu.Unlock()
	key := seatKey(instanceID, contactID)
	s, ok := c.chat.seats[key]
	delete(c.chat.seats, key)
	return s, ok
}

// chatAccepted adds the agent who just accepted a chat to it, as Connect
// does when the agent's CCP joins: participant.joined with the agent's
// first name reaches the customer, and the agent gets a ParticipantToken
// to connect with. A failure leaves the contact connected (the agent can
// still end it); it is logged. Called with in.mu held.
func (in *inst) chatAccepted(ctx context.Context, a *agent, ct *domain.Contact) {
	svc := in.c.chatService()
	if ct.Channel != "CHAT" || svc == nil {
		return
	}
	pid, tok, err := svc.AddParticipant(ctx, in.id, ct.ID, chat.RoleAgent, in.c.displayName(ctx, in.id, a.snap.UserID))
	if err != nil {
		in.c.log.Warn("add agent to chat", "contact", ct.ID, "agent", a.snap.UserID, "err", err)
		return
	}
	in.c.chat.mu.Lock()
	in.c.chat.seats[seatKey(in.id, ct.ID)] = chatSeat{userID: a.snap.UserID, participantID: pid, token: tok}
	in.c.chat.mu.Unlock()
}

// displayName is how a user appears in a chat: their first name, as the
// CCP shows agents to customers, else their username (else their ID).
func (c *Center) displayName(ctx context.Context, instanceID, userID string) string {
	u, err := c.svc.DescribeUser(ctx, instanceID, userID)
	switch {
	case err != nil:
		return userID
	case strings.TrimSpace(u.Identity.FirstName) != "":
		return u.Identity.FirstName
	}
	return u.Username
}

// chatAgentLeaving takes the agent out of a chat they end from the agent
// API, before the contact ends: the customer sees participant.left for the
// agent and then chat.ended, in that order, as in Connect. Called with
// in.mu held, before the domain ends the contact.
func (in *inst) chatAgentLeaving(ctx context.Context, contactID string) {
	svc := in.c.chatService()
	if svc == nil {
		return
	}
	s, ok := in.c.seat(in.id, contactID)
	if !ok {
		return
	}
	if err := svc.RemoveParticipant(ctx, in.id, contactID, s.participantID); err != nil {
		in.c.log.Info("remove agent from chat", "contact", contactID, "err", err)
	}
}

// chatView adds the agent's chat connection to a contact they are
// connected to. Called with in.mu held.
func (in *inst) chatView(a *agent, hc *heldContact, v *agentapi.AgentContact) {
	if hc.channel != "CHAT" || hc.state != "CONNECTED" {
		return
	}
	if s, ok := in.c.seat(in.id, hc.id); ok && s.userID == a.snap.UserID {
		v.ParticipantID, v.ParticipantToken = s.participantID, s.token
	}
}

// chatMessage shows a flow's message in a chat as a SYSTEM message. The
// flow's text is what a chat shows; SSML and prompts are voice-only, so a
// message with neither text nor a fallback is dropped.
func (c *Center) chatMessage(ctx context.Context, ct *domain.Contact, m flowrun.Message) error {
	svc := c.chatService()
	if svc == nil || ct.Channel != "CHAT" {
		return nil
	}
	text := m.Text
	if text == "" {
		text = stripSSML(m.SSML)
	}
	if text == "" {
		return nil
	}
	_, err := svc.SendSystemMessage(ctx, ct.InstanceID, ct.ID, "text/plain", text)
	return err
}

// stripSSML keeps the text of an SSML message: chats cannot speak it, and
// Connect shows chat customers the words.
func stripSSML(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '<':
			depth++
		case r == '>' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

var _ chat.Hook = (*Center)(nil)

// ParticipantDisconnected implements chat.Hook: a participant left through
// the participant service's DisconnectParticipant.
//
// The customer leaving has already ended the chat; the contact ends with
// CUSTOMER_DISCONNECT and its agent moves to after-contact work. Whether
// DisconnectOnCustomerExit names AGENT or not makes no difference here:
// the agent is disconnected either way, as nobody is left to talk to.
//
// The agent leaving (their client disconnected its participant rather than
// ending the contact through the agent API, or the chat's idle timer took
// them out) is the agent's side ending (agentLeft). A supervisor leaving
// ends their monitoring contact (monitorLeft). Bots leave alone.
func (c *Center) ParticipantDisconnected(ctx context.Context, instanceID, contactID, participantID string, role chat.Role) {
	switch role {
	case chat.RoleCustomer:
		ct, err := c.svc.EndContact(ctx, instanceID, contactID, "CUSTOMER_DISCONNECT")
		if err != nil {
			c.log.Error("end chat contact after the customer left", "contact", contactID, "err", err)
			return
		}
		c.ContactChanged(ctx, ct, domain.ChangeStopped)
	case chat.RoleAgent:
		// The participant is gone: its token is of no use any more.
		c.dropSeat(instanceID, contactID)
		in, err := c.instance(ctx, instanceID)
		if err != nil {
			c.log.Error("load instance", "instance", instanceID, "err", err)
			return
		}
		defer in.unlock()
		if err := in.agentLeft(ctx, contactID); err != nil {
			c.log.Error("end chat contact after the agent left", "contact", contactID, "err", err)
		}
	case chat.RoleSupervisor:
		c.monitorLeft(ctx, instanceID, contactID, participantID)
	}
}

// agentLeft ends the agent's side of a contact (domain.EndAgentSide): the
// agent goes to after-contact work, and a chat with a disconnect flow goes
// on in a new contact that runs it, which is handed to the runtime once
// the instance lock is released. Without a disconnect flow the contact
// ends with AGENT_DISCONNECT, which ends the chat: nothing else would talk
// to the customer. Called with in.mu held.
func (in *inst) agentLeft(ctx context.Context, contactID string) error {
	ct, next, err := in.c.svc.EndAgentSide(ctx, in.id, contactID, "AGENT_DISCONNECT")
	if err != nil {
		return err
	}
	in.handOver(ctx, ct, next)
	return nil
}

// handOver finishes an agent's side that ended (ct): its timers stop and
// the agent goes to after-contact work; next, the contact the chat goes on
// in (nil if none), goes to the runtime once the instance lock is
// released. Called with in.mu held.
func (in *inst) handOver(ctx context.Context, ct, next *domain.Contact) {
	in.stopTimer("start:" + ct.ID)
	in.stopTimer("expiry:" + ct.ID)
	in.stopTimer("flow:" + ct.ID)
	in.apply(ctx, in.contactEnded(ctx, ct))
	if next != nil {
		in.deferred = append(in.deferred, func() { in.c.ContactStarted(context.Background(), next) })
	}
}

// CustomerReturned implements chat.ReturnWatcher: a customer wrote in a
// chat whose flow may be waiting for that. A Wait block's CustomerReturned
// branch (typically a disconnect flow's "are you still there?") takes any
// message; a ShowView block takes only the answer to the view it showed.
// The wait ends then and the flow goes on.
func (c *Center) CustomerReturned(ctx context.Context, instanceID, contactID, contentType, content string) {
	key := seatKey(instanceID, contactID)
	v, ok := c.chat.returns.Load(key)
	if !ok {
		return
	}
	event := "CustomerReturned"
	var answer chat.ViewAnswer
	if st := v.(flowrun.State); slices.Contains(st.Events, flowrun.EventViewResult) {
		answer, ok = chat.ParseViewAnswer(contentType, content)
		if !ok || st.Views == nil || answer.Token != st.Views.Token {
			return // not the answer to this view: the wait goes on
		}
		event = flowrun.EventViewResult
	}
	in, err := c.instance(ctx, instanceID)
	if err != nil {
		return
	}
	defer in.unlock()
	// Taken under the lock, which the wait's timer takes too: exactly
	// one of them resumes the flow.
	v, ok = c.chat.returns.LoadAndDelete(key)
	if !ok {
		return
	}
	in.stopTimer("flow:" + contactID)
	st := v.(flowrun.State)
	if event == flowrun.EventViewResult {
		st.Views = &flowrun.ViewResult{Token: answer.Token, Action: answer.Action, Data: answer.Output}
	}
	in.deferred = append(in.deferred, func() { in.resumeFlow(context.Background(), contactID, st, event) })
}

var _ chat.ReturnWatcher = (*Center)(nil)

// JoinChat adds a supervisor (or another agent) to a chat in progress, as
// a SUPERVISOR participant: they read and write the conversation through
// the participant service with the token returned.
func (c *Center) JoinChat(ctx context.Context, instanceID, contactID, userID string) (participantID, participantToken string, err error) {
	svc := c.chatService()
	if svc == nil {
		return "", "", agentapi.Errorf(agentapi.CodeInvalidRequest, "This server has no chat service.")
	}
	ct, err := c.svc.DescribeContact(ctx, instanceID, contactID)
	if err != nil {
		return "", "", agentErr(err)
	}
	if ct.Channel != "CHAT" || ct.Ended() {
		return "", "", agentapi.Errorf(agentapi.CodeInvalidState, "Contact %s is not a chat in progress; only those can be joined.", contactID)
	}
	return svc.AddParticipant(ctx, instanceID, contactID, chat.RoleSupervisor, c.displayName(ctx, instanceID, userID))
}

var _ agentapi.Transferer = (*Center)(nil)

// Transfer implements agentapi.Transferer: an agent transfers a contact
// they are connected to through a quick connect, as with the CCP's quick
// connects. A chat goes on, with its customer, in a new contact that runs
// the quick connect's flow (domain.TransferChat), handed to the runtime
// once the lock is released. A task or an email is transferred as the
// Connect API's TransferContact does it. Either way the agent moves to
// after-contact work.
func (c *Center) Transfer(ctx context.Context, instanceID, userID, contactID, quickConnectID string) error {
	var channel string
	err := c.withAgent(ctx, instanceID, userID, func(in *inst, a *agent) error {
		// A paused task may be transferred too, as in the CCP.
		hc, err := heldBy(a, contactID, "CONNECTED", "PAUSED")
		if err != nil {
			return err
		}
		if channel = hc.channel; channel != "CHAT" {
			return nil
		}
		ct, next, err := c.svc.TransferChat(ctx, instanceID, contactID, quickConnectID)
		if err != nil {
			return agentErr(err)
		}
		in.handOver(ctx, ct, next)
		return nil
	})
	if err != nil || channel == "CHAT" {
		return err
	}
	if channel != "TASK" && channel != "EMAIL" {
		return agentapi.Errorf(agentapi.CodeInvalidRequest, "Contact %s is a %s contact; the agent API transfers chats, tasks and emails.", contactID, channel)
	}
	// TransferContact tells the runtime itself, which takes the instance
	// lock: it runs outside it. A contact that ended meanwhile is refused
	// there.
	p, err := c.svc.QuickConnectTransfer(ctx, instanceID, contactID, quickConnectID)
	if err != nil {
		return agentErr(err)
	}
	_, err = c.svc.TransferContact(ctx, p)
	return agentErr(err)
}
