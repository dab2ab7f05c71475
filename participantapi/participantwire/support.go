package participantwire

import (
	"context"
	"net/http"
)

// Request is the part of an HTTP request a generated decoder reads.
type Request struct {
	// PathParams are the URI labels of the matched route, percent-decoded,
	// keyed by label name ({ViewToken} -> "ViewToken").
	PathParams map[string]string
	Header     http.Header
	Body       []byte
}

// Route binds one operation to its method and URI template.
type Route struct {
	Operation string
	Method    string
	Path      string
	// ValidationException names the error for undecodable or invalid
	// input.
	ValidationException string
	// Errors are the error shapes the model lists for the operation.
	Errors []string
	// Handle decodes and validates the request, calls svc and returns the
	// output to encode with encoding/json.
	Handle func(ctx context.Context, svc Service, r *Request) (any, error)
}

// Exception describes an error shape of the model.
type Exception struct {
	Name       string
	HTTPStatus int
	Fault      string // "client" or "server"
	// ExtraMembers are body members besides Message (ResourceId, …).
	ExtraMembers []string
}

// OperationRef is an operation of the model Switchboard does not serve;
// the server names it in its "not implemented" answer.
type OperationRef struct {
	Name   string
	Method string
	Path   string
}

// skippedPattern is a model pattern RE2 cannot express (the generator
// lists them; the participant model has none today).
type skippedPattern struct{ Shape, Pattern, Reason string }

// String returns a pointer to s, for filling generated structs.
func String(s string) *string { return &s }

// Int32 returns a pointer to n.
func Int32(n int32) *int32 { return &n }

// Int64 returns a pointer to n.
func Int64(n int64) *int64 { return &n }

// Bool returns a pointer to b.
func Bool(b bool) *bool { return &b }

// ToString returns *p, or "" for nil.
func ToString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
