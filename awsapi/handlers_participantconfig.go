package awsapi

import (
	"context"
	"errors"
	"time"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/domain"
)

// Chats is what the Connect operations on chats need of package chat's
// *Service: their timers (UpdateParticipantRoleConfig) and custom-bot
// participants (CreateParticipant). It is an interface so that a server
// without chats needs none.
type Chats interface {
	UpdateTimers(ctx context.Context, instanceID, contactID string, settings []chat.TimerSetting) error
	CreateParticipant(ctx context.Context, instanceID, contactID string, role chat.Role, displayName string) (participantID, participantToken string, expires time.Time, err error)
	ReceiveCustomerMessage(ctx context.Context, instanceID, contactID, contentType, content string) (*chat.Sent, error)
	CustomerLeft(ctx context.Context, instanceID, contactID string) error
}

// SetChats connects the chat operations to the chat service.
func (s *Server) SetChats(c Chats) { s.handlers.chats = c }

// UpdateParticipantRoleConfig handles the operation of the same name: the
// chat timers of ParticipantTimerConfigList (chat/timers.go has the rules).
func (h *Handlers) UpdateParticipantRoleConfig(ctx context.Context, in *cw.UpdateParticipantRoleConfigRequest) (*cw.UpdateParticipantRoleConfigResponse, error) {
	if h.chats == nil {
		return nil, domain.Errorf(domain.ErrInvalidRequest, "This server has no chat service; chat timers cannot be set.")
	}
	cc := in.ChannelConfiguration
	if cc == nil || cc.Chat == nil {
		return nil, domain.Errorf(domain.ErrInvalidParameter, "ChannelConfiguration must set Chat; chat is the only channel with participant timers.")
	}
	settings := make([]chat.TimerSetting, 0, len(cc.Chat.ParticipantTimerConfigList))
	for _, tc := range cc.Chat.ParticipantTimerConfigList {
		st := chat.TimerSetting{Role: chat.Role(tc.ParticipantRole), Type: string(tc.TimerType)}
		v := tc.TimerValue
		switch {
		case v != nil && v.ParticipantTimerAction == cw.ParticipantTimerActionUnset:
			st.Unset = true
		case v != nil && v.ParticipantTimerDurationInMinutes != nil:
			st.Duration = time.Duration(*v.ParticipantTimerDurationInMinutes) * time.Minute
		default:
			return nil, domain.Errorf(domain.ErrInvalidParameter, "TimerValue of the %s %s timer must set ParticipantTimerDurationInMinutes (2-480) or ParticipantTimerAction Unset.", st.Role, st.Type)
		}
		settings = append(settings, st)
	}
	if err := h.chats.UpdateTimers(ctx, deref(in.InstanceId), deref(in.ContactId), settings); err != nil {
		return nil, chatError(err)
	}
	return &cw.UpdateParticipantRoleConfigResponse{}, nil
}

// chatError maps the chat's errors to the chat operations' exceptions.
func chatError(err error) error {
	var ce *chat.Error
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Code {
	case chat.ErrNotFound:
		return domain.Errorf(domain.ErrNotFound, "%s", ce.Message)
	case chat.ErrValidation:
		return domain.Errorf(domain.ErrInvalidRequest, "%s", ce.Message)
	case chat.ErrConflict:
		// An operation whose model has no ConflictException answers
		// InvalidRequestException instead (errors.go).
		return domain.Errorf(domain.ErrConflict, "%s", ce.Message)
	}
	return domain.Errorf(domain.ErrInvalidRequest, "%s", ce.Message)
}

// CreateParticipant handles the operation of the same name: a custom bot
// joins a chat. Each call adds a participant: the ParticipantToken is kept
// only as a hash, so a retry could not be answered with the first
// participant's token, and the ClientToken is not recorded.
func (h *Handlers) CreateParticipant(ctx context.Context, in *cw.CreateParticipantRequest) (*cw.CreateParticipantResponse, error) {
	if h.chats == nil {
		return nil, domain.Errorf(domain.ErrInvalidRequest, "This server has no chat service; participants cannot be added.")
	}
	var role, name string
	if d := in.ParticipantDetails; d != nil {
		role, name = string(d.ParticipantRole), deref(d.DisplayName)
	}
	id, tok, expires, err := h.chats.CreateParticipant(ctx, deref(in.InstanceId), deref(in.ContactId), chat.Role(role), name)
	if err != nil {
		return nil, chatError(err)
	}
	return &cw.CreateParticipantResponse{ParticipantId: ref(id),
		ParticipantCredentials: &cw.ParticipantTokenCredentials{ParticipantToken: ref(tok), Expiry: isoTime(expires)}}, nil
}
