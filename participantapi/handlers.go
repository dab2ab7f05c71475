package participantapi

import (
	"context"
	"slices"
	"time"

	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/internal/wire"
	pw "github.com/switchboard-cc/switchboard/participantapi/participantwire"
)

// handlers implements the generated participantwire.Service for one
// request (wsURL depends on how the request reached the server).
type handlers struct {
	chat  *chat.Service
	wsURL func(token string) string
	// attachmentURL turns a signed attachment URL into an absolute one
	// on this server (attachments.go).
	attachmentURL func(chat.SignedURL) string
}

var _ pw.Service = (*handlers)(nil)

func (h *handlers) CreateParticipantConnection(ctx context.Context, in *pw.CreateParticipantConnectionRequest) (*pw.CreateParticipantConnectionResponse, error) {
	req := chat.ConnectRequest{
		ParticipantToken:   wire.ToString(in.ParticipantToken),
		Websocket:          slices.Contains(in.Type, pw.ConnectionTypeWebsocket),
		Credentials:        slices.Contains(in.Type, pw.ConnectionTypeConnectionCredentials),
		ConnectParticipant: in.ConnectParticipant != nil && *in.ConnectParticipant,
		WebsocketURL:       h.wsURL,
	}
	if slices.Contains(in.Type, pw.ConnectionTypeWebrtcConnection) {
		return nil, &chat.Error{Code: chat.ErrValidation, Message: "Type WEBRTC_CONNECTION is not supported by Switchboard; ask for WEBSOCKET and/or CONNECTION_CREDENTIALS."}
	}
	c, err := h.chat.Connect(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &pw.CreateParticipantConnectionResponse{}
	if req.Websocket {
		out.Websocket = &pw.Websocket{Url: wire.String(c.WebsocketURL), ConnectionExpiry: wire.String(c.WebsocketExpiry)}
	}
	if req.Credentials {
		out.ConnectionCredentials = &pw.ConnectionCredentials{ConnectionToken: wire.String(c.ConnectionToken), Expiry: wire.String(c.Expiry)}
	}
	return out, nil
}

func (h *handlers) SendMessage(ctx context.Context, in *pw.SendMessageRequest) (*pw.SendMessageResponse, error) {
	out, err := h.chat.SendMessage(ctx, wire.ToString(in.ConnectionToken), wire.ToString(in.ContentType), wire.ToString(in.Content), wire.ToString(in.ClientToken))
	if err != nil {
		return nil, err
	}
	return &pw.SendMessageResponse{Id: wire.String(out.ID), AbsoluteTime: wire.String(out.AbsoluteTime)}, nil
}

func (h *handlers) SendEvent(ctx context.Context, in *pw.SendEventRequest) (*pw.SendEventResponse, error) {
	out, err := h.chat.SendEvent(ctx, wire.ToString(in.ConnectionToken), wire.ToString(in.ContentType), wire.ToString(in.Content))
	if err != nil {
		return nil, err
	}
	return &pw.SendEventResponse{Id: wire.String(out.ID), AbsoluteTime: wire.String(out.AbsoluteTime)}, nil
}

func (h *handlers) GetTranscript(ctx context.Context, in *pw.GetTranscriptRequest) (*pw.GetTranscriptResponse, error) {
	q := chat.TranscriptQuery{
		ConnectionToken:  wire.ToString(in.ConnectionToken),
		ContactID:        wire.ToString(in.ContactId),
		NextToken:        wire.ToString(in.NextToken),
		Forward:          in.ScanDirection == pw.ScanDirectionForward,
		ScanDirectionSet: in.ScanDirection != "",
		Ascending:        in.SortOrder == pw.SortKeyAscending,
	}
	if in.MaxResults != nil {
		q.MaxResults = int(*in.MaxResults)
	}
	if sp := in.StartPosition; sp != nil {
		q.StartID, q.StartTime = wire.ToString(sp.Id), wire.ToString(sp.AbsoluteTime)
		if sp.MostRecent != nil {
			n := int(*sp.MostRecent)
			q.MostRecent = &n
		}
	}
	t, err := h.chat.GetTranscript(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &pw.GetTranscriptResponse{InitialContactId: wire.String(t.InitialContactID), Transcript: make([]pw.Item, 0, len(t.Items))}
	if t.NextToken != "" {
		out.NextToken = wire.String(t.NextToken)
	}
	for _, it := range t.Items {
		out.Transcript = append(out.Transcript, wireItem(it))
	}
	return out, nil
}

// wireItem converts an item to the model's Item (which, unlike pushed
// copies, has no InitialContactId).
func wireItem(it *chat.Item) pw.Item {
	w := pw.Item{
		AbsoluteTime: opt(it.AbsoluteTime), Content: opt(it.Content), ContentType: opt(it.ContentType), Id: opt(it.Id),
		Type: pw.ChatItemType(it.Type), ParticipantId: opt(it.ParticipantId), DisplayName: opt(it.DisplayName),
		ParticipantRole: pw.ParticipantRole(it.ParticipantRole), RelatedContactId: opt(it.RelatedContactId), ContactId: opt(it.ContactId),
	}
	for _, a := range it.Attachments {
		w.Attachments = append(w.Attachments, pw.AttachmentItem{ContentType: opt(a.ContentType), AttachmentId: opt(a.AttachmentId),
			AttachmentName: opt(a.AttachmentName), Status: pw.ArtifactStatus(a.Status)})
	}
	if m := it.MessageMetadata; m != nil {
		wm := &pw.MessageMetadata{MessageId: opt(m.MessageId), MessageProcessingStatus: pw.MessageProcessingStatus(m.MessageProcessingStatus)}
		for _, r := range m.Receipts {
			wm.Receipts = append(wm.Receipts, pw.Receipt{DeliveredTimestamp: opt(r.DeliveredTimestamp), ReadTimestamp: opt(r.ReadTimestamp),
				RecipientParticipantId: opt(r.RecipientParticipantId)})
		}
		w.MessageMetadata = wm
	}
	return w
}

// opt leaves empty strings out of the JSON.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (h *handlers) DisconnectParticipant(ctx context.Context, in *pw.DisconnectParticipantRequest) (*pw.DisconnectParticipantResponse, error) {
	if err := h.chat.Disconnect(ctx, wire.ToString(in.ConnectionToken), wire.ToString(in.ClientToken)); err != nil {
		return nil, err
	}
	return &pw.DisconnectParticipantResponse{}, nil
}

// DescribeView returns the view a flow's ShowView block sent to this chat
// (chat/views.go).
func (h *handlers) DescribeView(ctx context.Context, in *pw.DescribeViewRequest) (*pw.DescribeViewResponse, error) {
	v, err := h.chat.DescribeView(ctx, wire.ToString(in.ConnectionToken), wire.ToString(in.ViewToken))
	if err != nil {
		return nil, err
	}
	out := &pw.View{Id: wire.String(v.ID), Arn: wire.String(v.Arn), Name: wire.String(v.Name),
		Content: &pw.ViewContent{Template: wire.String(v.Content.Template), Actions: v.Content.Actions}}
	if v.Version > 0 {
		out.Version = &v.Version
	}
	if v.Content.InputSchema != "" {
		out.Content.InputSchema = wire.String(v.Content.InputSchema)
	}
	return &pw.DescribeViewResponse{View: out}, nil
}

func (h *handlers) StartAttachmentUpload(ctx context.Context, in *pw.StartAttachmentUploadRequest) (*pw.StartAttachmentUploadResponse, error) {
	var size int64
	if in.AttachmentSizeInBytes != nil {
		size = *in.AttachmentSizeInBytes
	}
	up, err := h.chat.StartAttachmentUpload(ctx, wire.ToString(in.ConnectionToken), wire.ToString(in.AttachmentName), wire.ToString(in.ContentType), size, wire.ToString(in.ClientToken))
	if err != nil {
		return nil, err
	}
	return &pw.StartAttachmentUploadResponse{AttachmentId: wire.String(up.AttachmentID), UploadMetadata: &pw.UploadMetadata{
		Url: wire.String(h.attachmentURL(up.URL)), UrlExpiry: wire.String(chat.FormatTime(up.URL.Expires)), HeadersToInclude: up.Headers}}, nil
}

func (h *handlers) CompleteAttachmentUpload(ctx context.Context, in *pw.CompleteAttachmentUploadRequest) (*pw.CompleteAttachmentUploadResponse, error) {
	if err := h.chat.CompleteAttachmentUpload(ctx, wire.ToString(in.ConnectionToken), in.AttachmentIds, wire.ToString(in.ClientToken)); err != nil {
		return nil, err
	}
	return &pw.CompleteAttachmentUploadResponse{}, nil
}

func (h *handlers) GetAttachment(ctx context.Context, in *pw.GetAttachmentRequest) (*pw.GetAttachmentResponse, error) {
	var ttl time.Duration
	if in.UrlExpiryInSeconds != nil {
		ttl = time.Duration(*in.UrlExpiryInSeconds) * time.Second
	}
	d, err := h.chat.GetAttachment(ctx, wire.ToString(in.ConnectionToken), wire.ToString(in.AttachmentId), ttl)
	if err != nil {
		return nil, err
	}
	return &pw.GetAttachmentResponse{Url: wire.String(h.attachmentURL(d.URL)), UrlExpiry: wire.String(chat.FormatTime(d.URL.Expires)),
		AttachmentSizeInBytes: &d.Size}, nil
}
