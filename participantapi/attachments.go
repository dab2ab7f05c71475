package participantapi

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/internal/presign"
)

// AttachmentsPath is where attachment bytes are uploaded (PUT) and
// downloaded (GET): AttachmentsPath + instance/contact/attachment, with the
// expiry and signature in the query. They stand in for the presigned S3
// URLs of Connect, so clients use them the same way: chatjs PUTs the file
// with HeadersToInclude and fetches GetAttachment's Url.
const AttachmentsPath = "/participant/attachments/"

// attachmentURL returns how the client reaches this server's attachment
// URLs: the WebsocketBase's host when one is configured (behind a proxy),
// else the host the request came to.
func (s *Server) attachmentURL(r *http.Request) func(chat.SignedURL) string {
	base := ""
	if b := s.opts.WebsocketBase; b != "" {
		if rest, ok := strings.CutPrefix(b, "wss://"); ok {
			base = "https://" + rest
		} else if rest, ok := strings.CutPrefix(b, "ws://"); ok {
			base = "http://" + rest
		}
	}
	if base == "" {
		base = presign.BaseURL(r)
	}
	base = strings.TrimSuffix(base, "/")
	return func(u chat.SignedURL) string {
		return base + presign.Path(AttachmentsPath, u.Segments(), u.Expires, u.Signature)
	}
}

// parseAttachmentURL is attachmentURL's inverse; ok is false for a path or
// query that is not one.
func parseAttachmentURL(r *http.Request) (chat.SignedURL, bool) {
	parts, exp, sig, ok := presign.Parse(r.URL, AttachmentsPath, 3)
	if !ok {
		return chat.SignedURL{}, false
	}
	return chat.SignedURL{InstanceID: parts[0], ContactID: parts[1], AttachmentID: parts[2], Expires: exp, Signature: sig}, true
}

// serveAttachment uploads (PUT) or downloads (GET, HEAD) an attachment's
// bytes. Errors have the participant service's shape (x-amzn-ErrorType and
// a JSON Message); browsers' fetch only looks at the status.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request) {
	reqID := newRequestID()
	w.Header().Set("x-amzn-RequestId", reqID)
	u, ok := parseAttachmentURL(r)
	if !ok {
		s.attachmentError(w, reqID, &chat.Error{Code: chat.ErrAccessDenied, Message: "This is not a valid attachment URL; use the Url returned by StartAttachmentUpload or GetAttachment."})
		return
	}
	switch r.Method {
	case http.MethodPut:
		// The declared size is checked in the chat; this only stops a
		// body far beyond any attachment from being read at all.
		body := http.MaxBytesReader(w, r.Body, chat.MaxAttachmentBytes+1)
		if err := s.chat.PutAttachmentContent(r.Context(), u, r.Header.Get("Content-Type"), body); err != nil {
			s.attachmentError(w, reqID, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodGet, http.MethodHead:
		a, err := s.chat.AttachmentData(r.Context(), u)
		if err != nil {
			s.attachmentError(w, reqID, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.ContentType)
		h.Set("Content-Length", strconv.Itoa(len(a.Data)))
		// Uploaded files are shown as downloads, never rendered as pages
		// of this origin.
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "private, max-age=300")
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(a.Data)
		}
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT")
		writeError(w, wireError{Name: chat.ErrValidation, Status: http.StatusMethodNotAllowed, Message: "Attachment URLs take PUT (upload) and GET (download)."})
	}
}

func (s *Server) attachmentError(w http.ResponseWriter, reqID string, err error) {
	w.Header().Set("Content-Type", "application/json")
	var ce *chat.Error
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		writeError(w, wireError{Name: chat.ErrValidation, Status: http.StatusRequestEntityTooLarge,
			Message: "The upload is larger than any attachment can be (" + strconv.Itoa(chat.MaxAttachmentBytes) + " bytes)."})
	case errors.As(err, &ce):
		writeError(w, wireError{Name: ce.Code, Status: statusOf(ce.Code), Message: ce.Message})
	default:
		writeError(w, s.toWire(nil, err, reqID))
	}
}
