// Package participantapi serves the Amazon Connect Participant Service
// (the API of amazon-connect-chatjs and the connectparticipant SDKs) under
// /participant/ on the same port as the Connect API: the operations
// generated into participantwire, the chat WebSocket at /participant/ws,
// and CORS for browser clients. Requests authenticate with the bearer token
// in X-Amz-Bearer; the SigV4 headers the SDKs add anyway are ignored.
package participantapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/participantapi/participantwire"
)

// Prefix is where the participant service is mounted.
const Prefix = "/participant/"

// WebsocketPath is the path of the chat WebSocket.
const WebsocketPath = "/participant/ws"

// maxBody bounds a request body; the largest input is a 16,384-character
// message, which JSON escaping can make up to six times longer.
const maxBody = 1 << 20

// CORS: what browsers running chatjs on another origin send.
const (
	corsAllowHeaders = "content-type, x-amz-bearer, authorization, x-amz-date, x-amz-content-sha256, x-amz-user-agent, x-amz-security-token, amz-sdk-invocation-id, amz-sdk-request"
	corsExpose       = "x-amzn-errortype, x-amzn-requestid"
)

// Options tune the server.
type Options struct {
	Log *slog.Logger
	// WebsocketBase, when set, is the ws:// or wss:// base URL returned in
	// Websocket.Url (behind a proxy); otherwise it is derived from the
	// request.
	WebsocketBase string
}

// Server is the participant service's HTTP handler.
type Server struct {
	chat   *chat.Service
	log    *slog.Logger
	opts   Options
	routes map[string]*participantwire.Route // "METHOD /path"
}

// New returns the server over a chat service.
func New(c *chat.Service, opts Options) *Server {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{chat: c, log: opts.Log, opts: opts, routes: map[string]*participantwire.Route{}}
	for i := range participantwire.Routes {
		r := &participantwire.Routes[i]
		s.routes[r.Method+" "+r.Path] = r
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.cors(w, r)
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.URL.Path == WebsocketPath {
		s.chat.ServeWebsocket(w, r)
		return
	}
	// Attachment bytes go to and come from presigned-style URLs, not the
	// JSON operations (attachments.go).
	if strings.HasPrefix(r.URL.Path, AttachmentsPath) {
		s.serveAttachment(w, r)
		return
	}
	reqID := newRequestID()
	w.Header().Set("x-amzn-RequestId", reqID)
	w.Header().Set("Content-Type", "application/json")
	route, out, err := s.serve(w, r)
	if err != nil {
		writeError(w, s.toWire(route, err, reqID))
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		writeError(w, s.toWire(route, err, reqID))
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// cors lets browsers call from any origin: chat widgets are embedded in
// customers' sites, and the bearer tokens, not cookies, authenticate.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	origin := r.Header.Get("Origin")
	if origin == "" {
		origin = "*"
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS")
	h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
	h.Set("Access-Control-Expose-Headers", corsExpose)
	h.Set("Access-Control-Max-Age", "600")
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) (*participantwire.Route, any, error) {
	path := r.URL.EscapedPath()
	route, params := s.match(r.Method, path)
	if route == nil {
		return nil, nil, s.unknown(r.Method, path)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return route, nil, &chat.Error{Code: chat.ErrValidation, Message: fmt.Sprintf("The request body could not be read or is larger than %d bytes.", maxBody)}
	}
	h := &handlers{chat: s.chat, wsURL: s.websocketURL(r), attachmentURL: s.attachmentURL(r)}
	req := &participantwire.Request{PathParams: params, Header: r.Header, Body: body}
	out, err := route.Handle(r.Context(), h, req)
	return route, out, err
}

// match finds the route; DescribeView is the only templated path.
func (s *Server) match(method, path string) (*participantwire.Route, map[string]string) {
	if rt := s.routes[method+" "+path]; rt != nil {
		return rt, nil
	}
	const views = "/participant/views/"
	if rest, ok := strings.CutPrefix(path, views); ok && rest != "" && !strings.Contains(rest, "/") {
		if rt := s.routes[method+" "+views+"{ViewToken}"]; rt != nil {
			tok, err := url.PathUnescape(rest)
			if err == nil {
				return rt, map[string]string{"ViewToken": tok}
			}
		}
	}
	return nil, nil
}

// websocketURL returns how the client reaches this server's WebSocket.
func (s *Server) websocketURL(r *http.Request) func(token string) string {
	base := s.opts.WebsocketBase
	if base == "" {
		scheme := "ws"
		if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
			scheme = "wss"
		}
		host := r.Host
		// chatjs accepts plain ws:// only to 127.0.0.1 (it refuses
		// ws://localhost), so a local server is named by address.
		if h, port, err := net.SplitHostPort(host); err == nil && h == "localhost" {
			host = net.JoinHostPort("127.0.0.1", port)
		} else if host == "localhost" {
			host = "127.0.0.1"
		}
		base = scheme + "://" + host
	}
	base = strings.TrimSuffix(base, "/")
	return func(token string) string { return base + WebsocketPath + "?token=" + url.QueryEscape(token) }
}

// unknownError is an operation Switchboard does not serve or a wrong path.
type unknownError struct{ msg string }

func (e *unknownError) Error() string { return e.msg }

func (s *Server) unknown(method, path string) error {
	for _, o := range participantwire.OtherOperations {
		if o.Method == method && o.Path == path {
			return &unknownError{fmt.Sprintf("Participant service operation %s is not implemented by Switchboard yet.", o.Name)}
		}
	}
	return &unknownError{fmt.Sprintf("No participant service operation is %s %s. Is the SDK's endpoint set to this server's address without a path?", method, path)}
}

// wireError is an error as the client sees it.
type wireError struct {
	Name, Message            string
	Status                   int
	ResourceID, ResourceType string
}

func statusOf(name string) int {
	if e, ok := participantwire.Exceptions[name]; ok {
		return e.HTTPStatus
	}
	return http.StatusBadRequest
}

// toWire maps errors to the model's exceptions. Every error a client can
// cause is a 4xx; anything else is logged and shown as an opaque
// InternalServerException.
func (s *Server) toWire(route *participantwire.Route, err error, reqID string) wireError {
	var (
		ce *chat.Error
		ve *participantwire.ValidationError
		se *participantwire.SerializationError
		ue *unknownError
	)
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return wireError{Name: "RequestTimeoutException", Status: http.StatusRequestTimeout, Message: "The request was cancelled before it completed; nothing was changed. Retry it."}
	case errors.As(err, &ue):
		return wireError{Name: "UnknownOperationException", Status: http.StatusNotFound, Message: ue.msg}
	case errors.As(err, &ve):
		return wireError{Name: chat.ErrValidation, Status: http.StatusBadRequest, Message: ve.Error()}
	case errors.As(err, &se):
		return wireError{Name: chat.ErrValidation, Status: http.StatusBadRequest, Message: se.Error()}
	case errors.As(err, &ce):
		name := ce.Code
		// SDKs type only the exceptions an operation lists; a rule's
		// conflict on an operation without ConflictException is a
		// validation error for that client.
		if route != nil && !slices.Contains(route.Errors, name) {
			name = chat.ErrValidation
			if ce.Code == chat.ErrNotFound {
				// The token named something that is gone.
				name = chat.ErrAccessDenied
			}
		}
		return wireError{Name: name, Status: statusOf(name), Message: ce.Message, ResourceID: ce.ResourceID, ResourceType: ce.ResourceType}
	}
	op := ""
	if route != nil {
		op = route.Operation
	}
	s.log.Error("participant service internal error", "operation", op, "requestId", reqID, "err", err)
	return wireError{Name: "InternalServerException", Status: http.StatusInternalServerError, Message: "Switchboard hit an internal error; the server log has the details. The request may be retried."}
}

func writeError(w http.ResponseWriter, we wireError) {
	w.Header().Set("X-Amzn-ErrorType", we.Name)
	body := map[string]string{"Message": we.Message}
	if we.ResourceID != "" {
		body["ResourceId"] = we.ResourceID
	}
	if we.ResourceType != "" {
		body["ResourceType"] = we.ResourceType
	}
	b, _ := json.Marshal(body)
	w.WriteHeader(we.Status)
	_, _ = w.Write(b)
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
