package awsapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"

	"github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
	"github.com/switchboard-cc/switchboard/domain"
)

// wireError is an error as the client sees it: the exception name (sent in
// X-Amzn-ErrorType), the HTTP status and the JSON body.
type wireError struct {
	Name    string
	Status  int
	Message string
	// Problems fills InvalidContactFlowException's "problems" member.
	Problems []string
	// Properties fills PropertyValidationException's "PropertyList".
	Properties []domain.PropertyProblem
	// Reason fills the Reason union of InvalidRequestException and
	// ServiceQuotaExceededException (attached files).
	Reason string
}

// toWireError is the one place where errors become wire errors. op is the
// operation's route (nil before routing). Every error a client can cause is a
// 4xx with a message saying what to do; anything else is logged and shown as
// an opaque InternalServiceException.
func toWireError(op *connectwire.Route, err error, log *slog.Logger) wireError {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The client went away or the server is shutting down before the
		// request was committed: nothing was changed. 408 tells a retrying
		// SDK it may try again.
		return wireError{Name: "RequestTimeoutException", Status: http.StatusRequestTimeout, Message: "The request was cancelled before it completed; nothing was changed. Retry it."}
	}
	var (
		de  *domain.Error
		ve  *connectwire.ValidationError
		se  *connectwire.SerializationError
		sig *sigv4.Error
		pe  *protocolError
	)
	switch {
	case errors.As(err, &pe):
		return wireError{Name: pe.Name, Status: pe.Status, Message: pe.Message}
	case errors.As(err, &sig):
		return wireError{Name: sig.Code, Status: sig.Status, Message: sig.Message}
	case errors.As(err, &se):
		return wireError{Name: "SerializationException", Status: http.StatusBadRequest, Message: se.Error()}
	case errors.As(err, &ve):
		name := "InvalidParameterException"
		if op != nil && op.ValidationException != "" {
			name = op.ValidationException
		}
		return wireError{Name: name, Status: statusOf(name), Message: ve.Error()}
	case errors.As(err, &de):
		name := string(de.Code)
		if de.Code == domain.ErrInternal {
			break
		}
		// The model lists, per operation, the exceptions it may raise; SDKs
		// turn only those into typed errors. A rule that picked a name the
		// operation does not list (a conflict, a quota, a resource in use)
		// falls back to InvalidRequestException — "this request cannot be
		// done" — or, where the operation does not list that either, to its
		// validation exception, so clients always get a typed 4xx.
		if op != nil && !slices.Contains(op.Errors, name) && statusOf(name) < 500 && statusOf(name) != http.StatusNotFound {
			fallback := op.ValidationException
			if slices.Contains(op.Errors, string(domain.ErrInvalidRequest)) {
				fallback = string(domain.ErrInvalidRequest)
			}
			log.Debug("exception not modelled for operation; using a modelled one", "operation", op.Operation, "exception", name, "sent", fallback)
			name = fallback
		}
		return wireError{Name: name, Status: statusOf(name), Message: de.Message, Problems: de.Problems, Properties: de.Properties, Reason: de.Reason}
	}
	opName := ""
	if op != nil {
		opName = op.Operation
	}
	log.Error("internal error", "operation", opName, "err", err)
	return wireError{Name: "InternalServiceException", Status: http.StatusInternalServerError, Message: "Switchboard hit an internal error; the server log has the details. The request may be retried."}
}

// statusOf returns the HTTP status the model gives an exception.
func statusOf(name string) int {
	if e, ok := connectwire.Exceptions[name]; ok && e.HTTPStatus != 0 {
		return e.HTTPStatus
	}
	if s, ok := extraStatuses[name]; ok {
		return s
	}
	return http.StatusBadRequest
}

// extraStatuses covers exceptions that come from the protocol rather than
// the model.
var extraStatuses = map[string]int{
	"SerializationException":     http.StatusBadRequest,
	"UnknownOperationException":  http.StatusNotFound,
	"RequestTimeoutException":    http.StatusRequestTimeout,
	"DuplicateResourceException": http.StatusConflict,
}

// protocolError is an error of the HTTP protocol layer itself (unknown route,
// body too large).
type protocolError struct {
	Name    string
	Status  int
	Message string
}

func (e *protocolError) Error() string { return e.Name + ": " + e.Message }

// notImplemented answers an operation whose route exists but whose behaviour
// is still being built.
func notImplemented(op string) error {
	return &protocolError{Name: "UnknownOperationException", Status: http.StatusNotFound,
		Message: "Amazon Connect operation " + op + " is not implemented by Switchboard yet; see the README for the operations it serves."}
}
