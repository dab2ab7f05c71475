package participantwire

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Violation is one failed model constraint.
type Violation struct {
	// Path names the member: "Content", "StartPosition.MostRecent",
	// "AttachmentIds[0]".
	Path string
	// Rule is required, minLength, maxLength, minValue, maxValue, enum,
	// minItems, maxItems or depth.
	Rule string
	// Message is worded as AWS words it.
	Message string
}

// ValidationError holds every violation found in one request.
type ValidationError struct{ Violations []Violation }

// Error reads like AWS: "1 validation error detected: Value ...".
func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Violations))
	for _, v := range e.Violations {
		parts = append(parts, v.Message)
	}
	noun := "errors"
	if len(parts) == 1 {
		noun = "error"
	}
	return fmt.Sprintf("%d validation %s detected: %s", len(parts), noun, strings.Join(parts, "; "))
}

// SerializationError is a request whose body could not be decoded at all.
type SerializationError struct {
	Member  string
	Message string
	Err     error
}

func (e *SerializationError) Error() string { return e.Message }

func (e *SerializationError) Unwrap() error { return e.Err }

// echoLimit bounds how much of a rejected value is quoted back.
const echoLimit = 64

func clipEcho(s string) string {
	if utf8.RuneCountInString(s) <= echoLimit {
		return s
	}
	return string([]rune(s)[:echoLimit]) + "..."
}
