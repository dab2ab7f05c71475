package wire

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"unicode/utf8"
)

// Request is what the router hands to a generated handler.
type Request struct {
	// PathParams holds the URI labels of the matched route, already
	// percent-decoded, keyed by label name without braces or the greedy
	// '+' ({InstanceId} -> "InstanceId", {Key+} -> "Key").
	PathParams map[string]string
	Query      url.Values
	Header     http.Header
	Body       []byte
}

// Route binds one operation to its HTTP method and URI template; S is the
// generated package's Service.
type Route[S any] struct {
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
	Handle func(ctx context.Context, svc S, r *Request) (any, error)
}

// Exception describes an error shape of the model.
type Exception struct {
	Name       string
	HTTPStatus int
	Fault      string // "client" or "server"
	// ExtraMembers are the body members besides Message (e.g. "Reason",
	// "problems") that the server may fill.
	ExtraMembers []string
}

// OperationRef identifies an operation of the full model that Switchboard
// does not implement, so the router can say so instead of "unknown route".
type OperationRef struct {
	Name   string
	Method string
	Path   string
}

// RePattern is a compiled model pattern. RE2 has no lookahead, so a
// leading "^(?!x)" in the model becomes an extra pattern in Not that must
// not match.
//
// Runes, when set, bounds the number of characters: a model pattern of
// one character class repeated {m,n} times is compiled as the class
// repeated any number of times plus this count. RE2 compiles {1,250} into
// 250 copies of the class, and for a class like [\P{C}] that was 5 MB of
// heap the collector scanned on every cycle, for one pattern.
type RePattern struct {
	Src   string // the model's pattern, quoted in error messages
	RE    *regexp.Regexp
	Not   []*regexp.Regexp
	Runes [2]int // at least Runes[0] and at most Runes[1] characters; unused when zero
}

func (p *RePattern) match(s string) bool {
	if p.Runes[1] > 0 {
		// Counted as RE2 reads the text: an invalid UTF-8 byte is
		// one character (U+FFFD).
		if n := utf8.RuneCountInString(s); n < p.Runes[0] || n > p.Runes[1] {
			return false
		}
	}
	if !p.RE.MatchString(s) {
		return false
	}
	for _, n := range p.Not {
		if n.MatchString(s) {
			return false
		}
	}
	return true
}

// SkippedPattern records a model pattern that is not enforced because RE2
// cannot express it.
type SkippedPattern struct{ Shape, Pattern, Reason string }

// String returns a pointer to s; handy when filling generated structs.
func String(s string) *string { return &s }

// Int32 returns a pointer to n.
func Int32(n int32) *int32 { return &n }

// Int64 returns a pointer to n.
func Int64(n int64) *int64 { return &n }

// Float64 returns a pointer to f.
func Float64(f float64) *float64 { return &f }

// Bool returns a pointer to b.
func Bool(b bool) *bool { return &b }

// ToString returns *p, or "" when p is nil.
func ToString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
