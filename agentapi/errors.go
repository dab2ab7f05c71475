package agentapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
)

// Code classifies an error. It is the "code" of every error body, so
// clients switch on it; the HTTP status follows from it (codeStatus).
type Code string

// Error codes. A Backend returns the ones its methods document; the rest are
// the API's own.
const (
	CodeInvalidRequest     Code = "invalid_request"     // 400: bad JSON, field or path
	CodeInvalidCredentials Code = "invalid_credentials" // 401: login refused
	CodeUnauthenticated    Code = "unauthenticated"     // 401: no, unknown or expired token
	CodeAccessDenied       Code = "access_denied"       // 403: the user may not act as an agent
	CodeWrongInstance      Code = "wrong_instance"      // 403: token is for another instance
	CodeNotFound           Code = "not_found"           // 404: no such endpoint
	CodeContactNotFound    Code = "contact_not_found"   // 404
	CodeStatusNotFound     Code = "status_not_found"    // 404
	CodeMethodNotAllowed   Code = "method_not_allowed"  // 405
	CodeNotAcceptable      Code = "not_acceptable"      // 406: stream without WebSocket or SSE
	CodeInvalidState       Code = "invalid_state"       // 409: e.g. accepting a contact not on offer
	CodeRequestTooLarge    Code = "request_too_large"   // 413
	CodeTooManyRequests    Code = "too_many_requests"   // 429: login throttled, too many streams
	CodeInternal           Code = "internal"            // 500: a bug or a backend failure, logged
	CodeUnavailable        Code = "unavailable"         // 503: shutting down, backend unavailable
)

// codeStatus is the one place codes become HTTP statuses.
var codeStatus = map[Code]int{
	CodeInvalidRequest:     http.StatusBadRequest,
	CodeInvalidCredentials: http.StatusUnauthorized,
	CodeUnauthenticated:    http.StatusUnauthorized,
	CodeAccessDenied:       http.StatusForbidden,
	CodeWrongInstance:      http.StatusForbidden,
	CodeNotFound:           http.StatusNotFound,
	CodeContactNotFound:    http.StatusNotFound,
	CodeStatusNotFound:     http.StatusNotFound,
	CodeMethodNotAllowed:   http.StatusMethodNotAllowed,
	CodeNotAcceptable:      http.StatusNotAcceptable,
	CodeInvalidState:       http.StatusConflict,
	CodeRequestTooLarge:    http.StatusRequestEntityTooLarge,
	CodeTooManyRequests:    http.StatusTooManyRequests,
	CodeInternal:           http.StatusInternalServerError,
	CodeUnavailable:        http.StatusServiceUnavailable,
}

// Error is a failure the client may act on. Message is shown to the client
// as is, so it must say what was wrong and what to do about it.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
	// RetryAfter, when positive, becomes a Retry-After header (seconds).
	RetryAfter int `json:"-"`
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of err, or CodeInternal when err is not an *Error.
func CodeOf(err error) Code {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return CodeInternal
}

// toAPIError turns any error into what the client sees. Unknown codes from
// a backend are treated as internal so that a typo cannot leak a 200 or an
// unmapped status.
func (s *Server) toAPIError(r *http.Request, err error) *Error {
	if e, ok := errors.AsType[*Error](err); ok {
		if _, known := codeStatus[e.Code]; known {
			return e
		}
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The client went away; nobody reads this, and it is not a fault.
		return &Error{Code: CodeUnavailable, Message: "The request was cancelled."}
	}
	s.log.Error("agentapi: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	return &Error{Code: CodeInternal, Message: "Internal error; the server logged it. Retry, and report it if it persists."}
}

// writeError writes err as {code, message} with its status.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := s.toAPIError(r, err)
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	writeJSON(w, codeStatus[e.Code], e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own types reach here, and they always marshal.
		status, b = http.StatusInternalServerError, []byte(`{"code":"internal","message":"Internal error."}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// discardLogger is used when Options.Logger is nil.
var discardLogger = slog.New(slog.DiscardHandler)
