// Package presign makes and reads the URLs that stand in for Amazon S3's
// presigned URLs: chat attachments (package chat) and attached files
// (package domain) are uploaded and downloaded through them.
//
// A URL names a resource by a fixed number of path segments under a
// prefix and carries its expiry and an HMAC-SHA256 signature in the query.
// The signature covers the HTTP method, the segments and the expiry, under
// a secret kept with the resource, so nothing is stored per URL, a URL
// cannot be turned into another, and every URL of a resource dies with its
// secret.
package presign

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The query parameters of a signed URL.
const (
	QueryExpires   = "Expires"
	QuerySignature = "Signature"
)

// NewSecret returns a random secret to sign a resource's URLs with.
func NewSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// Sign returns the signature that lets method reach segments until
// expires (whole seconds).
func Sign(secret, method string, segments []string, expires time.Time) string {
	m := hmac.New(sha256.New, []byte(secret))
	// The segments are signed escaped, as they stand in the path, so that
	// no two lists of segments give the same text.
	fmt.Fprintf(m, "%s\n%s\n%d", method, escaped(segments), expires.Unix())
	return hex.EncodeToString(m.Sum(nil))
}

func escaped(segments []string) string {
	esc := make([]string, len(segments))
	for i, s := range segments {
		esc[i] = url.PathEscape(s)
	}
	return strings.Join(esc, "/")
}

// Valid reports, in constant time, whether sig is Sign's answer.
func Valid(secret, method string, segments []string, expires time.Time, sig string) bool {
	return hmac.Equal([]byte(Sign(secret, method, segments, expires)), []byte(sig))
}

// Path renders the path and query of a signed URL: prefix, the escaped
// segments, then the expiry and the signature.
func Path(prefix string, segments []string, expires time.Time, sig string) string {
	q := url.Values{QueryExpires: {strconv.FormatInt(expires.Unix(), 10)}, QuerySignature: {sig}}
	return prefix + escaped(segments) + "?" + q.Encode()
}

// Parse is Path's inverse for a URL with n segments; ok is false for
// anything else. It checks the form only: Valid checks the signature.
func Parse(u *url.URL, prefix string, n int) (segments []string, expires time.Time, sig string, ok bool) {
	rest, ok := strings.CutPrefix(u.EscapedPath(), prefix)
	if !ok {
		return nil, time.Time{}, "", false
	}
	segments = strings.Split(rest, "/")
	if len(segments) != n {
		return nil, time.Time{}, "", false
	}
	for i, p := range segments {
		v, err := url.PathUnescape(p)
		if err != nil || v == "" {
			return nil, time.Time{}, "", false
		}
		segments[i] = v
	}
	q := u.Query()
	exp, err := strconv.ParseInt(q.Get(QueryExpires), 10, 64)
	if err != nil || q.Get(QuerySignature) == "" {
		return nil, time.Time{}, "", false
	}
	return segments, time.Unix(exp, 0).UTC(), q.Get(QuerySignature), true
}

// BaseURL is the scheme and host a request came to, which the URLs handed
// out in answer to it start with, so that they lead back to the same
// server (behind a TLS proxy, as X-Forwarded-Proto says).
func BaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
