package awsapi

import (
	"context"
	"errors"
	"time"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/domain"
)

// ChatTimers sets chats' idle and auto-disconnect timers (package chat's
// *Service). It is an interface so that a server without chats needs none.
type ChatTimers interface {
	UpdateTimers(ctx context.Context, instanceID, contactID string, settings []chat.TimerSetting) error
}

// SetChatTimers connects UpdateParticipantRoleConfig to the chat service.
func (s *Server) SetChatTimers(t ChatTimers) { s.handlers.chatTimers = t }

// UpdateParticipantRoleConfig handles the operation of the same name: the
// chat timers of ParticipantTimerConfigList (chat/timers.go has the rules).
func (h *Handlers) UpdateParticipantRoleConfig(ctx context.Context, in *cw.UpdateParticipantRoleConfigRequest) (*cw.UpdateParticipantRoleConfigResponse, error) {
	if h.chatTimers == nil {
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
	if err := h.chatTimers.UpdateTimers(ctx, deref(in.InstanceId), deref(in.ContactId), settings); err != nil {
		return nil, chatTimerError(err)
	}
	return &cw.UpdateParticipantRoleConfigResponse{}, nil
}

// chatTimerError maps the chat's errors to this operation's exceptions.
func chatTimerError(err error) error {
	var ce *chat.Error
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Code {
	case chat.ErrNotFound:
		return domain.Errorf(domain.ErrNotFound, "%s", ce.Message)
	case chat.ErrValidation:
		return domain.Errorf(domain.ErrInvalidRequest, "%s", ce.Message)
	}
	return domain.Errorf(domain.ErrInvalidRequest, "%s", ce.Message)
}
