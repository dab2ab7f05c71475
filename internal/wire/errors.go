package wire

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Violation is one failed constraint.
type Violation struct {
	// Path locates the member: "Name", "Attachments[0].FileName",
	// "References.myKey.Value". Map-key violations carry the map's path.
	Path string
	// Rule is the constraint kind: required, minLength, maxLength,
	// minValue, maxValue, enum, pattern, minItems, maxItems, union, depth;
	// prefixed with "key." when a map key fails it.
	Rule string
	// Message is AWS-style: "Value 'xyz' at 'Name' failed to satisfy
	// constraint: Member must have length less than or equal to 1024".
	Message string
}

// ValidationError holds every constraint violation of one request.
type ValidationError struct {
	Violations []Violation
}

// Error mimics AWS: "2 validation errors detected: ...; ...".
func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		msgs[i] = v.Message
	}
	noun := "errors"
	if len(msgs) == 1 {
		noun = "error"
	}
	return fmt.Sprintf("%d validation %s detected: %s", len(msgs), noun, strings.Join(msgs, "; "))
}

// SerializationError reports a request that could not be decoded at all:
// malformed JSON, a JSON value of the wrong type, or an unparsable
// query/header/path value.
type SerializationError struct {
	// Member is the offending member or parameter when known.
	Member  string
	Message string
	Err     error
}

func (e *SerializationError) Error() string { return e.Message }

func (e *SerializationError) Unwrap() error { return e.Err }

// maxEcho bounds how much of a rejected value is quoted back.
const maxEcho = 64

func truncate(s string) string {
	if utf8.RuneCountInString(s) <= maxEcho {
		return s
	}
	r := []rune(s)
	return string(r[:maxEcho]) + "..."
}
