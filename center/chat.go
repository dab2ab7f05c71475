package center

import (
	"context"
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
	pid, tok, err := svc.AddParticipant(ctx, in.id, ct.ID, chat.RoleAgent, in.c.displayName(ctx, in.id, a.snap))
	if err != nil {
		in.c.log.Warn("add agent to chat", "contact", ct.ID, "agent", a.snap.UserID, "err", err)
		return
	}
	in.c.chat.mu.Lock()
	in.c.chat.seats[seatKey(in.id, ct.ID)] = chatSeat{userID: a.snap.UserID, participantID: pid, token: tok}
	in.c.chat.mu.Unlock()
}

// displayName is how an agent appears in a chat: the user's first name,
// as the CCP shows agents to customers, else the username.
func (c *Center) displayName(ctx context.Context, instanceID string, s domain.AgentSnapshot) string {
	if u, err := c.svc.DescribeUser(ctx, instanceID, s.UserID); err == nil && strings.TrimSpace(u.Identity.FirstName) != "" {
		return u.Identity.FirstName
	}
	return s.Username
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
// with no disconnect flow for chats to continue the customer's side, the
// agent is disconnected either way.
//
// The agent leaving (their client disconnected its participant rather than
// ending the contact through the agent API) ends the contact with
// AGENT_DISCONNECT, which ends the chat: without a disconnect flow nothing
// else would talk to the customer. Supervisors and bots leave alone.
func (c *Center) ParticipantDisconnected(ctx context.Context, instanceID, contactID string, role chat.Role) {
	var reason string
	switch role {
	case chat.RoleCustomer:
		reason = "CUSTOMER_DISCONNECT"
	case chat.RoleAgent:
		reason = "AGENT_DISCONNECT"
		// The participant is gone: its token is of no use any more.
		c.dropSeat(instanceID, contactID)
	default:
		return
	}
	ct, err := c.svc.EndContact(ctx, instanceID, contactID, reason)
	if err != nil {
		c.log.Error("end chat contact after a participant left", "contact", contactID, "role", role, "err", err)
		return
	}
	c.ContactChanged(ctx, ct, domain.ChangeStopped)
}

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
	name := userID
	if u, err := c.svc.DescribeUser(ctx, instanceID, userID); err == nil {
		name = u.Username
		if u.Identity.FirstName != "" {
			name = u.Identity.FirstName
		}
	}
	return svc.AddParticipant(ctx, instanceID, contactID, chat.RoleSupervisor, name)
}
