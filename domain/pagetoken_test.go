package domain

import (
	"errors"
	"testing"
)

func TestPageTokenRoundTrip(t *testing.T) {
	for _, after := range []string{"", "a", "0190-uuid", "ключ/with spaces"} {
		got, err := decodeToken(encodeToken(after))
		if err != nil || got != after {
			t.Errorf("round trip of %q = %q, %v", after, got, err)
		}
	}
	for name, tok := range map[string]string{"not base64": "***", "not json": "bm90IGpzb24", "wrong type": "eyJhIjo1fQ", "negative offset": "eyJvIjotMX0"} {
		_, err := decodeToken(tok)
		var de *Error
		if !errors.As(err, &de) || de.Code != ErrInvalidParameter {
			t.Errorf("%s: decodeToken(%q) = %v, want InvalidParameterException", name, tok, err)
		}
	}
}

// FuzzDecodePageToken: NextToken comes from clients; any string must give
// a token or an InvalidParameterException, never a panic.
func FuzzDecodePageToken(f *testing.F) {
	f.Add(encodeToken("abc"))
	f.Add(encodeTokenValue(pageToken{Offset: 100, Query: "0123456789abcdef"}))
	f.Add("")
	f.Add("eyJvIjotMX0")
	f.Fuzz(func(t *testing.T, tok string) {
		pt, err := decodePageToken(tok)
		if err != nil {
			if CodeOf(err) != ErrInvalidParameter {
				t.Fatalf("error %v is not InvalidParameterException", err)
			}
			return
		}
		_ = encodeTokenValue(pt)
	})
}
