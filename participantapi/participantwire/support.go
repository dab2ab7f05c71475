package participantwire

import (
	"context"

	"github.com/switchboard-cc/switchboard/internal/wire"
)

// The wire runtime this package's generated code is written against lives
// in internal/wire, shared with the other generated wire package; these
// names keep this package's API whole for its callers.
type (
	Request            = wire.Request
	Exception          = wire.Exception
	OperationRef       = wire.OperationRef
	Violation          = wire.Violation
	ValidationError    = wire.ValidationError
	SerializationError = wire.SerializationError
)

// Route binds one operation to its HTTP method and URI template.
type Route struct {
	Operation string
	Method    string
	// Path is the model's requestUri template as is, with {Label} and
	// greedy {Label+} segments.
	Path string
	// ValidationException is the error shape to use when decoding or
	// validation fails (a *SerializationError or *ValidationError).
	ValidationException string
	// Errors are the error shapes the model lists for the operation.
	Errors []string
	// Handle decodes and validates the request, calls svc and returns the
	// output struct to encode with encoding/json.
	Handle func(ctx context.Context, svc Service, r *Request) (any, error)
}
