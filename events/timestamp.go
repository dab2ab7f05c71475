package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// timestampLayout is the layout of every timestamp inside Connect's event
// payloads: ISO-8601, UTC, always three fractional digits.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// envelopeTimeLayout is EventBridge's envelope "time": whole seconds.
const envelopeTimeLayout = "2006-01-02T15:04:05Z"

// Timestamp is a point in time written the way Connect's event payloads write
// it ("2019-05-25T18:43:59.049Z"). The zero Timestamp means "not set": it is
// written as null, or left out by fields tagged omitzero.
type Timestamp time.Time

// At converts t, the usual way to fill a Timestamp field.
func At(t time.Time) Timestamp { return Timestamp(t) }

// Time returns t as a time.Time.
func (t Timestamp) Time() time.Time { return time.Time(t) }

// IsZero reports whether t is unset; it drives omitzero.
func (t Timestamp) IsZero() bool { return time.Time(t).IsZero() }

// String formats t like the payloads do, or "" when unset.
func (t Timestamp) String() string {
	if t.IsZero() {
		return ""
	}
	return time.Time(t).UTC().Format(timestampLayout)
}

// MarshalJSON writes the ISO string, or null when unset.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.String() + `"`), nil
}

// UnmarshalJSON accepts null and any RFC 3339 time, with or without
// fractional seconds, so payloads captured from Connect decode too.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*t = Timestamp{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	*t = Timestamp(v)
	return nil
}

// NullString is a string that is written as null when empty, because agent
// event stream records carry null, not "", for absent ids such as
// InitialContactId.
type NullString string

// MarshalJSON writes null for "".
func (s NullString) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(s))
}

// UnmarshalJSON reads null as "".
func (s *NullString) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*s = ""
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = NullString(v)
	return nil
}
