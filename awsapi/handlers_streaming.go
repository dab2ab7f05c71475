package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// SetStreamingEndpoints tells StartContactStreaming which endpoint ARNs the
// server can publish to (serve --streaming-endpoint).
func (s *Server) SetStreamingEndpoints(configured func(arn string) bool) {
	s.handlers.streaming = configured
}

// StartContactStreaming handles the operation of the same name.
func (h *Handlers) StartContactStreaming(ctx context.Context, in *cw.StartContactStreamingRequest) (*cw.StartContactStreamingResponse, error) {
	p := domain.StartStreamingParams{InstanceID: deref(in.InstanceId), ContactID: deref(in.ContactId), ClientToken: deref(in.ClientToken)}
	if in.ChatStreamingConfiguration != nil {
		p.EndpointARN = deref(in.ChatStreamingConfiguration.StreamingEndpointArn)
	}
	configured := h.streaming != nil && h.streaming(p.EndpointARN)
	id, err := h.svc.StartContactStreaming(ctx, p, configured)
	if err != nil {
		return nil, err
	}
	return &cw.StartContactStreamingResponse{StreamingId: ref(id)}, nil
}

// StopContactStreaming handles the operation of the same name.
func (h *Handlers) StopContactStreaming(ctx context.Context, in *cw.StopContactStreamingRequest) (*cw.StopContactStreamingResponse, error) {
	if err := h.svc.StopContactStreaming(ctx, deref(in.InstanceId), deref(in.ContactId), deref(in.StreamingId)); err != nil {
		return nil, err
	}
	return &cw.StopContactStreamingResponse{}, nil
}

// CreatePushNotificationRegistration handles the operation of the same name.
func (h *Handlers) CreatePushNotificationRegistration(ctx context.Context, in *cw.CreatePushNotificationRegistrationRequest) (*cw.CreatePushNotificationRegistrationResponse, error) {
	p := domain.PushRegistrationParams{InstanceID: deref(in.InstanceId), PinpointAppARN: deref(in.PinpointAppArn),
		DeviceToken: deref(in.DeviceToken), DeviceType: string(in.DeviceType), ClientToken: deref(in.ClientToken)}
	if cc := in.ContactConfiguration; cc != nil {
		p.ContactID, p.ParticipantRole = deref(cc.ContactId), string(cc.ParticipantRole)
		p.IncludeRawMessage = cc.IncludeRawMessage != nil && *cc.IncludeRawMessage
	}
	id, err := h.svc.CreatePushNotificationRegistration(ctx, p)
	if err != nil {
		return nil, err
	}
	return &cw.CreatePushNotificationRegistrationResponse{RegistrationId: ref(id)}, nil
}

// DeletePushNotificationRegistration handles the operation of the same name.
func (h *Handlers) DeletePushNotificationRegistration(ctx context.Context, in *cw.DeletePushNotificationRegistrationRequest) (*cw.DeletePushNotificationRegistrationResponse, error) {
	if err := h.svc.DeletePushNotificationRegistration(ctx, deref(in.InstanceId), deref(in.RegistrationId), deref(in.ContactId)); err != nil {
		return nil, err
	}
	return &cw.DeletePushNotificationRegistrationResponse{}, nil
}
