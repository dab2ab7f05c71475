package participantapi

import (
	"context"
	"slices"
	"time"

	"github.com/switchboard-cc/switchboard/chat"
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
		ParticipantToken:   pw.ToString(in.ParticipantToken),
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
		out.Websocket = &pw.Websocket{Url: pw.String(c.WebsocketURL), ConnectionExpiry: pw.String(c.WebsocketExpiry)}
	}
	if req.Credentials {
		out.ConnectionCredentials = &pw.ConnectionCredentials{ConnectionToken: pw.String(c.ConnectionToken), Expiry: pw.String(c.Expiry)}
	}
	return out, nil
}

func (h *handlers) SendMessage(ctx context.Context, in *pw.SendMessageRequest) (*pw.SendMessageResponse, error) {
	out, err := h.chat.SendMessage(ctx, pw.ToString(in.ConnectionToken), pw.ToString(in.ContentType), pw.ToString(in.Content), pw.ToString(in.ClientToken))
	if err != nil {
		return nil, err
	}
	return &pw.SendMessageResponse{Id: pw.String(out.ID), AbsoluteTime: pw.String(out.AbsoluteTime)}, nil
}

func (h *handlers) SendEvent(ctx context.Context, in *pw.SendEventRequest) (*pw.SendEventResponse, error) {
	out, err := h.chat.SendEvent(ctx, pw.ToString(in.ConnectionToken), pw.ToString(in.ContentType), pw.ToString(in.Content))
	if err != nil {
		return nil, err
	}
	return &pw.SendEventResponse{Id: pw.String(out.ID), AbsoluteTime: pw.String(out.AbsoluteTime)}, nil
}

func (h *handlers) GetTranscript(ctx context.Context, in *pw.GetTranscriptRequest) (*pw.GetTranscriptResponse, error) {
	q := chat.TranscriptQuery{
		ConnectionToken:  pw.ToString(in.ConnectionToken),
		ContactID:        pw.ToString(in.ContactId),
		NextToken:        pw.ToString(in.NextToken),
		Forward:          in.ScanDirection == pw.ScanDirectionForward,
		ScanDirectionSet: in.ScanDirection != "",
		Ascending:        in.SortOrder == pw.SortKeyAscending,
	}
	if in.MaxResults != nil {
		q.MaxResults = int(*in.MaxResults)
	}
	if sp := in.StartPosition; sp != nil {
		q.StartID, q.StartTime = pw.ToString(sp.Id), pw.ToString(sp.AbsoluteTime)
		if sp.MostRecent != nil {
			n := int(*sp.MostRecent)
			q.MostRecent = &n
		}
	}
	t, err := h.chat.GetTranscript(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &pw.GetTranscriptResponse{InitialContactId: pw.String(t.InitialContactID), Transcript: make([]pw.Item, 0, len(t.Items))}
	if t.NextToken != "" {
		out.NextToken = pw.String(t.NextToken)
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
	if err := h.chat.Disconnect(ctx, pw.ToString(in.ConnectionToken), pw.ToString(in.ClientToken)); err != nil {
		return nil, err
	}
	return &pw.DisconnectParticipantResponse{}, nil
}

// DescribeView: Switchboard has no views (step-by-step guides) yet, so
// every ViewToken is unknown.
func (h *handlers) DescribeView(ctx context.Context, in *pw.DescribeViewRequest) (*pw.DescribeViewResponse, error) {
	if err := h.chat.CheckConnection(ctx, pw.ToString(in.ConnectionToken)); err != nil {
		return nil, err
	}
	return nil, &chat.Error{Code: chat.ErrNotFound, Message: "View " + pw.ToString(in.ViewToken) + " does not exist; Switchboard does not serve views.",
		ResourceID: pw.ToString(in.ViewToken)}
}

func (h *handlers) StartAttachmentUpload(ctx context.Context, in *pw.StartAttachmentUploadRequest) (*pw.StartAttachmentUploadResponse, error) {
	var size int64
	if in.AttachmentSizeInBytes != nil {
		size = *in.AttachmentSizeInBytes
	}
	up, err := h.chat.StartAttachmentUpload(ctx, pw.ToString(in.ConnectionToken), pw.ToString(in.AttachmentName), pw.ToString(in.ContentType), size, pw.ToString(in.ClientToken))
	if err != nil {
		return nil, err
	}
	return &pw.StartAttachmentUploadResponse{AttachmentId: pw.String(up.AttachmentID), UploadMetadata: &pw.UploadMetadata{
		Url: pw.String(h.attachmentURL(up.URL)), UrlExpiry: pw.String(chat.FormatTime(up.URL.Expires)), HeadersToInclude: up.Headers}}, nil
}

func (h *handlers) CompleteAttachmentUpload(ctx context.Context, in *pw.CompleteAttachmentUploadRequest) (*pw.CompleteAttachmentUploadResponse, error) {
	if err := h.chat.CompleteAttachmentUpload(ctx, pw.ToString(in.ConnectionToken), in.AttachmentIds, pw.ToString(in.ClientToken)); err != nil {
		return nil, err
	}
	return &pw.CompleteAttachmentUploadResponse{}, nil
}

func (h *handlers) GetAttachment(ctx context.Context, in *pw.GetAttachmentRequest) (*pw.GetAttachmentResponse, error) {
	var ttl time.Duration
	if in.UrlExpiryInSeconds != nil {
		ttl = time.Duration(*in.UrlExpiryInSeconds) * time.Second
	}
	d, err := h.chat.GetAttachment(ctx, pw.ToString(in.ConnectionToken), pw.ToString(in.AttachmentId), ttl)
	if err != nil {
		return nil, err
	}
	return &pw.GetAttachmentResponse{Url: pw.String(h.attachmentURL(d.URL)), UrlExpiry: pw.String(chat.FormatTime(d.URL.Expires)),
		AttachmentSizeInBytes: &d.Size}, nil
}
