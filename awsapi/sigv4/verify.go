// Package sigv4 verifies AWS Signature Version 4 on incoming requests, so the
// official AWS SDKs and CLI can authenticate against Switchboard unchanged.
//
// Both forms are supported: the Authorization header, and presigned URLs
// (X-Amz-* query parameters). Verification is built from small pure steps
// (parse, canonical request, string to sign, signing key, signature) and
// ends in a constant-time comparison. Failures are *Error values carrying the
// exception name and HTTP status AWS itself would return.
package sigv4

import (
	"crypto/hmac"
	"net/http"
	"strings"
	"time"
)

// ClockSkew is how far the request time may be from the server's clock in
// either direction, as on AWS.
const ClockSkew = 15 * time.Minute

// Credentials is an access key pair.
type Credentials struct{ AccessKeyID, SecretAccessKey string }

// StaticLookup returns a Verifier.Lookup over a fixed set of credentials.
// The set is copied, so later changes to creds do not affect it.
func StaticLookup(creds ...Credentials) func(accessKeyID string) (string, bool) {
	m := make(map[string]string, len(creds))
	for _, c := range creds {
		m[c.AccessKeyID] = c.SecretAccessKey
	}
	return func(id string) (string, bool) {
		s, ok := m[id]
		return s, ok
	}
}

// Verifier checks SigV4 signatures. Configure the exported fields, then use it
// from any number of goroutines; do not copy it after first use (it owns a
// cache guarded by a mutex).
type Verifier struct {
	// Lookup returns the secret for an access key id; ok=false if unknown.
	Lookup func(accessKeyID string) (secret string, ok bool)
	// Now is the clock; nil means time.Now. Injectable for tests.
	Now func() time.Time
	// Service is the expected signing service (e.g. "connect"); "" accepts any.
	Service string
	// Region is the expected region; "" accepts any. The default is to accept
	// any, because users point SDKs at us with whatever region they have
	// configured.
	Region string

	keys keyCache
}

// Identity is who signed a verified request, and for which scope.
type Identity struct {
	AccessKeyID, Region, Service string
	SignedAt                     time.Time
}

// Verify checks r. body is the full request body already read by the caller
// (the caller restores r.Body). On failure the error is always an *Error.
//
// Checks run from cheapest to most expensive, and nothing about the secret is
// consulted until the request is well-formed and its key id is known:
// parse → scope → key lookup → clock → signature → payload hash.
func (v *Verifier) Verify(r *http.Request, body []byte) (*Identity, error) {
	sr, params, err := v.parse(r)
	if err != nil {
		return nil, err
	}
	if err := v.checkScope(sr); err != nil {
		return nil, err
	}
	var secret string
	ok := false
	if v.Lookup != nil {
		secret, ok = v.Lookup(sr.accessKeyID)
	}
	if !ok {
		return nil, errUnrecognized()
	}
	if err := checkTime(sr, v.now()); err != nil {
		return nil, err
	}
	if err := v.checkSignature(r, body, sr, params, secret); err != nil {
		return nil, err
	}
	return &Identity{
		AccessKeyID: sr.accessKeyID,
		Region:      sr.scope.region,
		Service:     sr.scope.service,
		SignedAt:    sr.signedAt,
	}, nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now().UTC()
	}
	return time.Now().UTC()
}

// parse picks the authentication form and extracts the claimed signature.
func (v *Verifier) parse(r *http.Request) (*signedRequest, []queryParam, *Error) {
	var rawQuery string
	if r.URL != nil {
		rawQuery = r.URL.RawQuery
	}
	params := parseQuery(rawQuery)
	// An empty Authorization header carries no credentials at all; treat it
	// as absent so the client is told a token is missing, not malformed.
	var authz []string
	for _, a := range r.Header.Values("Authorization") {
		if strings.TrimSpace(a) != "" {
			authz = append(authz, a)
		}
	}
	presigned := isPresigned(params)
	switch {
	case len(authz) == 0 && !presigned:
		return nil, nil, errMissingToken()
	case len(authz) > 1:
		return nil, nil, errIncomplete("Only one Authorization header may be sent.")
	case len(authz) == 1 && presigned:
		// Two signatures over one request would leave it unclear which one
		// authorizes it; AWS refuses the combination too.
		return nil, nil, errIncomplete("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.")
	case presigned:
		sr, err := parsePresigned(params)
		return sr, params, err
	default:
		sr, err := parseHeaderAuth(authz[0], r.Header)
		return sr, params, err
	}
}

// checkScope compares the credential scope with the signing time and with
// the service and region this Verifier expects.
func (v *Verifier) checkScope(sr *signedRequest) *Error {
	if want := sr.signedAt.Format(scopeDateFormat); sr.scope.date != want {
		return errInvalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
			clip(sr.scope.date) + " != '" + want + "', from '" + sr.amzDate + "'.")
	}
	if v.Region != "" && sr.scope.region != v.Region {
		return errInvalid("Credential should be scoped to a valid region, not " + clip(sr.scope.region) + ".")
	}
	if v.Service != "" && sr.scope.service != v.Service {
		return errInvalid("Credential should be scoped to correct service: '" + v.Service + "'.")
	}
	return nil
}

// checkTime enforces the clock-skew window, and for presigned URLs the
// X-Amz-Expires lifetime, which replaces the lower bound of the window.
func checkTime(sr *signedRequest, now time.Time) *Error {
	if late := now.Add(ClockSkew); sr.signedAt.After(late) {
		return errInvalid("Signature not yet current: " + sr.amzDate + " is still later than " +
			late.Format(amzDateFormat) + " (" + now.Format(amzDateFormat) + " + 15 min.)")
	}
	if sr.presigned && sr.expires > 0 {
		if now.After(sr.signedAt.Add(sr.expires)) {
			return errPresignExpired()
		}
		return nil
	}
	if early := now.Add(-ClockSkew); sr.signedAt.Before(early) {
		return errInvalid("Signature expired: " + sr.amzDate + " is now earlier than " +
			early.Format(amzDateFormat) + " (" + now.Format(amzDateFormat) + " - 15 min.)")
	}
	return nil
}

// checkSignature recomputes the signature and compares it in constant time.
// The payload hash is taken from x-amz-content-sha256 when the client sent
// it; that value is what it signed. Only after the signature matches do we
// hold the header to the body, so an unauthenticated caller only ever sees a
// 403 and the 400 is reserved for a correctly signed but inconsistent request.
func (v *Verifier) checkSignature(r *http.Request, body []byte, sr *signedRequest, params []queryParam, secret string) *Error {
	want, ok := decodeSignature(sr.signature)
	if !ok {
		return errSignatureMismatch()
	}
	contentHash := r.Header.Get("X-Amz-Content-Sha256")
	var candidates []string
	switch {
	case contentHash != "":
		candidates = []string{contentHash}
	case sr.presigned:
		// A presigned URL carries no hash of its own; clients use the body
		// hash (most services) or UNSIGNED-PAYLOAD (S3 style). Try both.
		candidates = []string{payloadSHA256(body), unsignedPayload}
	default:
		candidates = []string{payloadSHA256(body)}
	}

	uri := canonicalURI(wirePath(r))
	query := canonicalQuery(params, sr.presigned)
	headers := canonicalHeaders(r, sr.signedHeaders)
	key := v.keys.get(secret, sr.scope)
	matched := false
	for _, ph := range candidates {
		cr := canonicalRequest(r.Method, uri, query, headers, sr.signedHeadersRaw, ph)
		if hmac.Equal(signature(key, stringToSign(sr.amzDate, sr.scope, cr)), want) {
			matched = true
			break
		}
	}
	if !matched {
		return errSignatureMismatch()
	}
	return checkContentHash(contentHash, body)
}

// checkContentHash holds a signed x-amz-content-sha256 to the body received.
func checkContentHash(contentHash string, body []byte) *Error {
	switch {
	case contentHash == "" || contentHash == unsignedPayload:
		return nil
	case len(contentHash) != 64:
		// STREAMING-AWS4-HMAC-SHA256-PAYLOAD and friends (aws-chunked) are
		// S3-only and would need per-chunk verification; say so plainly.
		return errContentMismatch("x-amz-content-sha256 must be the hex SHA-256 of the body or UNSIGNED-PAYLOAD; got " +
			clip(contentHash) + " (streaming payloads are not supported).")
	case !strings.EqualFold(contentHash, payloadSHA256(body)):
		return errContentMismatch(msgContentMismatch)
	}
	return nil
}
