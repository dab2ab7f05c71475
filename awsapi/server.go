// Package awsapi serves the Amazon Connect API over HTTP in the restJson1
// protocol the AWS SDKs speak: it authenticates requests (SigV4), routes them
// by the model's URI templates, decodes and validates them with the code
// generated from the model (package connectwire), calls the domain service
// and encodes the answer or the error.
//
// Handlers are named after the operations (handlers_*.go) and only translate
// between wire shapes and domain calls; rules live in package domain.
package awsapi

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// MaxBodyBytes bounds a request body. The largest Connect input is an email
// body of 5,242,880 characters; JSON escaping can grow it, so allow headroom.
const MaxBodyBytes = 32 << 20

// Server is the HTTP handler of the Connect API.
type Server struct {
	handlers *Handlers
	verifier *sigv4.Verifier
	log      *slog.Logger
	routes   *router[*connectwire.Route]
	others   *router[connectwire.OperationRef]
	clock    clock.Clock
	// inspector answers the runtime inspection endpoints (nil without a
	// runtime).
	inspector Inspector
	// records exports contact records (admin_records.go); observer is told
	// every request's outcome (metrics). Both are optional.
	records  RecordExporter
	observer RequestObserver
}

// RequestObserver is told, after each request, the operation it named (see
// operationOf), the HTTP status answered and how long it took.
type RequestObserver interface {
	ObserveRequest(operation string, status int, d time.Duration)
}

// SetRequestObserver connects a RequestObserver (the metrics endpoint).
func (s *Server) SetRequestObserver(o RequestObserver) { s.observer = o }

// NewServer returns the API server over svc, authenticating with verifier.
func NewServer(svc *domain.Service, verifier *sigv4.Verifier, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{handlers: &Handlers{svc: svc}, verifier: verifier, log: log, clock: svc.Clock(),
		routes: newRouter[*connectwire.Route](), others: newRouter[connectwire.OperationRef]()}
	for i := range connectwire.Routes {
		r := &connectwire.Routes[i]
		s.routes.add(r.Method, r.Path, r)
	}
	for _, o := range connectwire.OtherOperations {
		s.others.add(o.Method, o.Path, o)
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := newRequestID()
	w.Header().Set("x-amzn-RequestId", reqID)
	w.Header().Set("Content-Type", "application/json")

	if strings.HasPrefix(r.URL.Path, FilesPath) {
		// Attached files' bytes: signed URLs of their own, not SigV4, and
		// bodies larger than any API request.
		status := http.StatusOK
		if err := s.serveFile(w, r); err != nil {
			we := toWireError(nil, err, s.log.With("requestId", reqID))
			status = we.Status
			writeError(w, we)
		}
		if s.observer != nil {
			s.observer.ObserveRequest("AttachedFileTransfer", status, time.Since(start))
		}
		return
	}
	route, out, err := s.serve(r)
	status := http.StatusOK
	var streamErr error
	if err != nil {
		we := toWireError(route, err, s.log.With("requestId", reqID))
		status = we.Status
		writeError(w, we)
	} else if st, ok := out.(streamer); ok {
		// Streamed outputs (contact-record exports) write their own body.
		streamErr = st.stream(w)
	} else {
		writeJSON(w, out)
	}
	if s.observer != nil {
		s.observer.ObserveRequest(s.operationOf(r, route), status, time.Since(start))
	}
	if streamErr != nil {
		// The 200 is out: cutting the connection is the only way left to
		// tell the client the body is incomplete (it also lacks its
		// trailer).
		panic(http.ErrAbortHandler)
	}
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		op := ""
		if route != nil {
			op = route.Operation
		}
		s.log.Debug("request", "operation", op, "method", r.Method, "path", r.URL.Path, "status", status, "duration", time.Since(start), "requestId", reqID)
	}
}

// serve runs one request and returns the output to encode.
func (s *Server) serve(r *http.Request) (*connectwire.Route, any, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.verifier.Verify(r, body); err != nil {
		return nil, nil, err
	}
	path := r.URL.EscapedPath()
	if path == ClockPath {
		out, err := s.serveClock(r, body)
		return nil, out, err
	}
	if iid, ok := recordsInstance(path); ok {
		out, err := s.serveRecords(r, iid)
		return nil, out, err
	}
	if strings.HasPrefix(path, InstancesPath) {
		out, err := s.serveInspect(r, path)
		return nil, out, err
	}
	route, params, ok := s.routes.match(r.Method, path)
	if !ok {
		return nil, nil, s.unknownRoute(r.Method, path)
	}
	req := &connectwire.Request{PathParams: params, Query: r.URL.Query(), Header: r.Header, Body: body}
	out, err := route.Handle(withRequest(r), s.handlers, req)
	return route, out, err
}

// unknownRoute explains why no operation matched.
func (s *Server) unknownRoute(method, path string) error {
	if op, _, ok := s.others.match(method, path); ok {
		return &protocolError{Name: "UnknownOperationException", Status: http.StatusNotFound,
			Message: fmt.Sprintf("Amazon Connect operation %s (%s %s) is not implemented by Switchboard yet; see the README for the operations it serves.", op.Name, op.Method, op.Path)}
	}
	if ms := s.routes.methods(path); len(ms) > 0 {
		sort.Strings(ms)
		return &protocolError{Name: "UnknownOperationException", Status: http.StatusNotFound,
			Message: fmt.Sprintf("No Amazon Connect operation is %s %s; this path accepts %s.", method, path, strings.Join(ms, ", "))}
	}
	return &protocolError{Name: "UnknownOperationException", Status: http.StatusNotFound,
		Message: fmt.Sprintf("No Amazon Connect operation matches %s %s. Is the SDK's endpoint URL set to this server's address without a path?", method, path)}
}

// readBody reads the whole body (SigV4 needs it to check the payload hash)
// up to MaxBodyBytes.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	defer r.Body.Close()
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, &protocolError{Name: "SerializationException", Status: http.StatusBadRequest, Message: "The request body could not be read: " + err.Error()}
	}
	if len(body) > MaxBodyBytes {
		return nil, &protocolError{Name: "RequestEntityTooLargeException", Status: http.StatusRequestEntityTooLarge,
			Message: fmt.Sprintf("The request body is larger than %d bytes, more than any Connect operation accepts.", MaxBodyBytes)}
	}
	return body, nil
}

func writeJSON(w http.ResponseWriter, out any) {
	b, err := json.Marshal(out)
	if err != nil {
		// Outputs are built by our own code from validated data; failing to
		// encode one is a bug, reported as such.
		writeError(w, wireError{Name: "InternalServiceException", Status: http.StatusInternalServerError, Message: "Switchboard could not encode its response."})
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, we wireError) {
	w.Header().Set("X-Amzn-ErrorType", we.Name)
	body := map[string]any{"Message": we.Message}
	if len(we.Problems) > 0 {
		ps := make([]map[string]string, len(we.Problems))
		for i, p := range we.Problems {
			ps[i] = map[string]string{"message": p}
		}
		// The model spells the member "problems" on
		// InvalidContactFlowException and "Problems" on
		// InvalidContactFlowModuleException; the SDKs read only their own.
		key := "problems"
		if we.Name == string(domain.ErrInvalidModuleContent) {
			key = "Problems"
		}
		body[key] = ps
	}
	if len(we.Properties) > 0 {
		ps := make([]map[string]string, len(we.Properties))
		for i, p := range we.Properties {
			ps[i] = map[string]string{"PropertyPath": p.Path, "Reason": p.Reason, "Message": p.Message}
		}
		body["PropertyList"] = ps
	}
	if we.Reason != "" {
		// The exceptions' Reason unions, as the model (and so the
		// generated wire types) names their members.
		switch we.Name {
		case string(domain.ErrInvalidRequest):
			body["Reason"] = connectwire.InvalidRequestExceptionReason{
				AttachedFileInvalidRequestExceptionReason: connectwire.AttachedFileInvalidRequestExceptionReason(we.Reason)}
		case string(domain.ErrQuotaExceeded):
			body["Reason"] = connectwire.ServiceQuotaExceededExceptionReason{
				AttachedFileServiceQuotaExceededExceptionReason: connectwire.AttachedFileServiceQuotaExceededExceptionReason(we.Reason)}
		}
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

// Handlers implements every Connect operation Switchboard serves, one method
// per operation, named after it.
type Handlers struct {
	svc *domain.Service
	// history answers the historical metric operations (nil: not set).
	history MetricsHistory
	// streaming reports whether a streaming endpoint ARN has a sink
	// (handlers_streaming.go; nil: none has).
	streaming func(arn string) bool
	// chats serves the chat operations (handlers_participantconfig.go;
	// nil: no chat service).
	chats Chats
}

var _ connectwire.Service = (*Handlers)(nil)
