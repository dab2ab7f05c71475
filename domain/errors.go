package domain

import (
	"errors"
	"fmt"
)

// ErrorCode classifies a domain error. The values are the names of the Amazon
// Connect exceptions they become on the wire, because our domain *is* the
// Connect API: a rule written here already knows which exception the
// documentation promises. The HTTP status for each name comes from the API
// model; awsapi maps codes to the wire in one place.
type ErrorCode string

// Error codes used by the domain. Anything that is not a *Error becomes an
// InternalServiceException, is logged, and is never shown to the client.
const (
	ErrInvalidRequest       ErrorCode = "InvalidRequestException"
	ErrInvalidParameter     ErrorCode = "InvalidParameterException"
	ErrNotFound             ErrorCode = "ResourceNotFoundException"
	ErrContactNotFound      ErrorCode = "ContactNotFoundException"
	ErrDuplicate            ErrorCode = "DuplicateResourceException"
	ErrConflict             ErrorCode = "ConflictException"
	ErrResourceConflict     ErrorCode = "ResourceConflictException"
	ErrResourceInUse        ErrorCode = "ResourceInUseException"
	ErrIdempotency          ErrorCode = "IdempotencyException"
	ErrQuotaExceeded        ErrorCode = "ServiceQuotaExceededException"
	ErrLimitExceeded        ErrorCode = "LimitExceededException"
	ErrAccessDenied         ErrorCode = "AccessDeniedException"
	ErrInvalidContactFlow   ErrorCode = "InvalidContactFlowException"
	ErrInvalidModuleContent ErrorCode = "InvalidContactFlowModuleException"
	ErrInternal             ErrorCode = "InternalServiceException"
)

// Error is a failure the client caused or may act on. Message is shown to the
// client as is, so it must say what was wrong and what to do about it.
type Error struct {
	Code    ErrorCode
	Message string
	// Problems lists individual findings (flow validation), shown on the wire
	// where the exception shape has a place for them.
	Problems []string
	// Properties lists the invalid properties of a
	// PropertyValidationException.
	Properties []PropertyProblem
	// Reason is the attached-file reason of an InvalidRequestException
	// (INVALID_FILE_SIZE, …) or a ServiceQuotaExceededException
	// (TOTAL_FILE_COUNT_EXCEEDED), shown in the exception's Reason member.
	Reason string
}

// PropertyProblem is one invalid property: its path in the request, a
// reason code (PropertyValidationExceptionReason) and a message.
type PropertyProblem struct {
	Path, Reason, Message string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of err, or ErrInternal when err is not an *Error.
func CodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ErrInternal
}

// ErrStoreNotFound is returned by stores when a row does not exist. The
// service turns it into a ResourceNotFoundException naming the resource.
var ErrStoreNotFound = errors.New("not found")

// ErrStoreDuplicate is returned by stores when a unique name is taken.
var ErrStoreDuplicate = errors.New("duplicate")
