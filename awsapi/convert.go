package awsapi

import (
	"time"

	"github.com/switchboard-cc/switchboard/awsapi/connectwire"
)

// Small conversions between the wire's pointers and the domain's values.

// deref returns *p, or the zero value for nil.
func deref[T any](p *T) T {
	if p == nil {
		var z T
		return z
	}
	return *p
}

// ptr returns a pointer to v, or nil for the zero value, so that absent
// fields stay absent in responses.
func ptr[T comparable](v T) *T {
	var z T
	if v == z {
		return nil
	}
	return &v
}

// ref returns a pointer to v even when v is the zero value.
func ref[T any](v T) *T { return &v }

// wtime converts a domain time to the wire (nil when zero).
func wtime(t time.Time) *connectwire.Time {
	if t.IsZero() {
		return nil
	}
	return &connectwire.Time{Time: t}
}

// dtime converts a wire time to the domain (zero when absent).
func dtime(t *connectwire.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time
}
