package wire

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Time is a model timestamp. On the wire restJson1 carries timestamps as
// epoch seconds (a JSON number, fractional for sub-second precision); the
// SDKs send and expect exactly that, so Time marshals that way. Unmarshal is
// lenient and also takes ISO-8601 strings, which members declared with
// timestampFormat iso8601 use.
type Time struct{ time.Time }

// NewTime returns a pointer to t wrapped as a Time.
func NewTime(t time.Time) *Time { return &Time{t} }

// Representable range: years 0001 to 9999, so a hostile number cannot make
// time arithmetic overflow.
const (
	minEpochSeconds = -62135596800
	maxEpochSeconds = 253402300799
)

// MarshalJSON writes epoch seconds, with a millisecond fraction only when
// it is non-zero (1700000000 or 1700000000.123).
func (t Time) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return strconv.AppendInt(nil, ms/1000, 10), nil
	}
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// UnmarshalJSON accepts a JSON number of epoch seconds (fraction allowed)
// or an ISO-8601 string; null leaves t unchanged.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		s, err := strconv.Unquote(string(b))
		if err != nil {
			return &SerializationError{Message: "invalid timestamp string"}
		}
		parsed, err := parseISO8601(s)
		if err != nil {
			return &SerializationError{Message: fmt.Sprintf("timestamp %q is not ISO-8601 or epoch seconds", truncate(s))}
		}
		t.Time = parsed
		return nil
	}
	parsed, err := parseEpoch(string(b))
	if err != nil {
		return &SerializationError{Message: fmt.Sprintf("timestamp %s is not a number of epoch seconds", truncate(string(b)))}
	}
	t.Time = parsed
	return nil
}

// ParseTime reads a timestamp as it may appear in a query string, header or
// URI: epoch seconds, ISO-8601 (the query/URI default) or an HTTP date (the
// header default).
func ParseTime(s string) (Time, error) {
	s = strings.TrimSpace(s)
	if t, err := parseEpoch(s); err == nil {
		return Time{t}, nil
	}
	if t, err := parseISO8601(s); err == nil {
		return Time{t}, nil
	}
	if t, err := http.ParseTime(s); err == nil {
		return Time{t.UTC()}, nil
	}
	return Time{}, fmt.Errorf("timestamp %q is not epoch seconds, ISO-8601 or an HTTP date", truncate(s))
}

func parseEpoch(s string) (time.Time, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < minEpochSeconds || f > maxEpochSeconds {
		return time.Time{}, fmt.Errorf("bad epoch seconds %q", s)
	}
	sec := math.Floor(f)
	ms := math.Round((f - sec) * 1000)
	return time.Unix(int64(sec), int64(ms)*int64(time.Millisecond)).UTC(), nil
}

func parseISO8601(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad ISO-8601 timestamp %q", s)
}
