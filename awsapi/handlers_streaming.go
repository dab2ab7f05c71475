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
