package sigv4

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	// algorithm is the only SigV4 flavour we verify. SigV4a
	// (AWS4-ECDSA-P256-SHA256) needs asymmetric keys derived from the secret
	// and is only used by multi-region endpoints, which we do not emulate.
	algorithm = "AWS4-HMAC-SHA256"
	// scopeTerminator closes every credential scope.
	scopeTerminator = "aws4_request"
	// amzDateFormat is ISO-8601 basic format, as used in X-Amz-Date and in
	// the string to sign.
	amzDateFormat = "20060102T150405Z"
	// scopeDateFormat is the date element of the credential scope.
	scopeDateFormat = "20060102"
	// maxPresignExpires is the longest X-Amz-Expires AWS accepts (7 days).
	maxPresignExpires = 7 * 24 * time.Hour
	// maxEcho bounds how much client-supplied text we repeat in an error
	// message, so a garbage header cannot inflate the response.
	maxEcho = 128
)

// Presigned-URL query parameter names. AWS treats them case-sensitively.
const (
	qAlgorithm     = "X-Amz-Algorithm"
	qCredential    = "X-Amz-Credential"
	qDate          = "X-Amz-Date"
	qSignedHeaders = "X-Amz-SignedHeaders"
	qSignature     = "X-Amz-Signature"
	qExpires       = "X-Amz-Expires"
)

// credentialScope is the parsed "<date>/<region>/<service>/aws4_request"
// part of a credential.
type credentialScope struct {
	date, region, service string
}

// String renders the scope exactly as it appears in the string to sign.
func (s credentialScope) String() string {
	return s.date + "/" + s.region + "/" + s.service + "/" + scopeTerminator
}

// signedRequest is everything a request claims about its own signature,
// before any of it has been checked against a secret.
type signedRequest struct {
	accessKeyID      string
	scope            credentialScope
	signedHeaders    []string // as listed by the client, in its order
	signedHeadersRaw string   // verbatim; it is a line of the canonical request
	signature        string   // hex as sent
	amzDate          string   // ISO-8601 basic form used in the string to sign
	signedAt         time.Time
	presigned        bool
	expires          time.Duration // presigned only; 0 when X-Amz-Expires is absent
}

// authorizationHeader holds the three parameters of an Authorization header.
type authorizationHeader struct {
	credential, signedHeaders, signature string
}

// parseAuthorization splits an Authorization header value of the form
//
//	AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...
//
// It only checks shape; the returned message lists every missing parameter at
// once, the way AWS does, so a client author sees all problems in one try.
func parseAuthorization(value string) (authorizationHeader, string) {
	var a authorizationHeader
	value = strings.TrimSpace(value)
	algo, rest, _ := strings.Cut(value, " ")
	if algo != algorithm {
		return a, "Unsupported AWS 'algorithm': " + clip(algo) + ". Only " + algorithm + " is supported."
	}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return a, "Authorization header parameter " + clip(part) + " is not of the form key=value."
		}
		if seen[k] {
			// Two Credential= (say) would leave us guessing which one the
			// client meant; refuse rather than pick.
			return a, "Authorization header has duplicate parameter " + clip(k) + "."
		}
		seen[k] = true
		switch k {
		case "Credential":
			a.credential = v
		case "SignedHeaders":
			a.signedHeaders = v
		case "Signature":
			a.signature = v
		}
		// Unknown parameters are ignored: they are not part of the
		// canonical request, so they cannot weaken the signature.
	}
	var missing strings.Builder
	for _, p := range [...]struct{ name, val string }{
		{"Credential", a.credential}, {"Signature", a.signature}, {"SignedHeaders", a.signedHeaders},
	} {
		if p.val == "" {
			missing.WriteString("Authorization header requires '" + p.name + "' parameter. ")
		}
	}
	return a, strings.TrimSpace(missing.String())
}

// parseCredential splits "<access key id>/<date>/<region>/<service>/aws4_request".
func parseCredential(cred string) (string, credentialScope, string) {
	var s credentialScope
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return "", s, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got " + clip(cred) + "."
	}
	akid := parts[0]
	s = credentialScope{date: parts[1], region: parts[2], service: parts[3]}
	switch {
	case akid == "":
		return "", s, "Credential must include an access key id, got " + clip(cred) + "."
	case parts[4] != scopeTerminator:
		return "", s, "Credential should be scoped with a valid terminator: 'aws4_request', not " + clip(parts[4]) + "."
	case !validScopeName(s.region):
		return "", s, "Credential should be scoped to a valid region, not " + clip(s.region) + "."
	case !validScopeName(s.service):
		return "", s, "Credential should be scoped to a valid service, not " + clip(s.service) + "."
	}
	return akid, s, ""
}

// validScopeName accepts the characters AWS region and service names are made
// of. Rejecting the rest keeps control bytes out of the key cache and out of
// error messages.
func validScopeName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// parseSignedHeaders splits the SignedHeaders list. Names are kept as sent:
// the list is itself a line of the canonical request, and header lookups are
// case-insensitive anyway. host (or :authority for HTTP/2 clients) must be
// signed, otherwise a signature could be replayed against another endpoint.
func parseSignedHeaders(list string) ([]string, string) {
	names := strings.Split(list, ";")
	hasHost := false
	for _, n := range names {
		if n == "" || strings.TrimSpace(n) != n {
			return nil, "SignedHeaders contains an empty or padded header name: " + clip(list) + "."
		}
		if strings.EqualFold(n, "host") || n == ":authority" {
			hasHost = true
		}
	}
	if !hasHost {
		return nil, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
	}
	return names, ""
}

// parseAmzDate parses an X-Amz-Date value (header or query parameter).
func parseAmzDate(v string) (time.Time, string) {
	t, err := time.Parse(amzDateFormat, v)
	if err != nil {
		return time.Time{}, "Date must be in ISO-8601 'basic format'. Got " + clip(v) + ". See http://en.wikipedia.org/wiki/ISO_8601"
	}
	return t, ""
}

// requestDate finds the signing time of a header-signed request: X-Amz-Date
// wins, the HTTP Date header is the fallback AWS also honours.
func requestDate(h http.Header) (time.Time, string) {
	if v := h.Get("X-Amz-Date"); v != "" {
		return parseAmzDate(v)
	}
	if v := h.Get("Date"); v != "" {
		t, err := http.ParseTime(v)
		if err != nil {
			return time.Time{}, "Date header is not a valid HTTP date: " + clip(v) + "."
		}
		return t.UTC(), ""
	}
	return time.Time{}, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
}

// parseHeaderAuth extracts the claimed signature from an Authorization header
// and the date headers.
func parseHeaderAuth(authz string, h http.Header) (*signedRequest, *Error) {
	a, msg := parseAuthorization(authz)
	signedAt, dateMsg := requestDate(h)
	if msg != "" || dateMsg != "" {
		// Report header and date problems together, as AWS does.
		return nil, errIncomplete(strings.TrimSpace(msg + " " + dateMsg))
	}
	return finishParse(a.credential, a.signedHeaders, a.signature, signedAt, false, 0)
}

// parsePresigned extracts the claimed signature from presigned query
// parameters. params holds the decoded query pairs in wire order.
func parsePresigned(params []queryParam) (*signedRequest, *Error) {
	vals := map[string]string{}
	for _, p := range params {
		switch p.key {
		case qAlgorithm, qCredential, qDate, qSignedHeaders, qSignature, qExpires:
			if _, dup := vals[p.key]; dup {
				return nil, errIncomplete("Query-string parameter " + p.key + " must appear only once.")
			}
			vals[p.key] = p.value
		}
	}
	var missing strings.Builder
	for _, k := range [...]string{qAlgorithm, qCredential, qSignature, qDate, qSignedHeaders} {
		if vals[k] == "" {
			missing.WriteString("AWS query-string parameters must include '" + k + "'. ")
		}
	}
	if missing.Len() > 0 {
		return nil, errIncomplete(missing.String() + "Re-examine the query-string parameters.")
	}
	if a := vals[qAlgorithm]; a != algorithm {
		return nil, errIncomplete("Unsupported AWS 'algorithm': " + clip(a) + ". Only " + algorithm + " is supported.")
	}
	signedAt, msg := parseAmzDate(vals[qDate])
	if msg != "" {
		return nil, errIncomplete(msg)
	}
	var expires time.Duration
	if e, ok := vals[qExpires]; ok {
		n, err := strconv.ParseInt(e, 10, 64)
		switch {
		case err != nil || n <= 0:
			return nil, errIncomplete("X-Amz-Expires should be a positive number of seconds, got " + clip(e) + ".")
		case n > int64(maxPresignExpires/time.Second):
			return nil, errIncomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800")
		}
		expires = time.Duration(n) * time.Second
	}
	return finishParse(vals[qCredential], vals[qSignedHeaders], vals[qSignature], signedAt, true, expires)
}

// finishParse is the part shared by header and query authentication.
func finishParse(cred, signedHeaders, signature string, signedAt time.Time, presigned bool, expires time.Duration) (*signedRequest, *Error) {
	akid, scope, msg := parseCredential(cred)
	if msg != "" {
		return nil, errIncomplete(msg)
	}
	names, msg := parseSignedHeaders(signedHeaders)
	if msg != "" {
		return nil, errIncomplete(msg)
	}
	return &signedRequest{
		accessKeyID:      akid,
		scope:            scope,
		signedHeaders:    names,
		signedHeadersRaw: signedHeaders,
		signature:        signature,
		amzDate:          signedAt.UTC().Format(amzDateFormat),
		signedAt:         signedAt.UTC(),
		presigned:        presigned,
		expires:          expires,
	}, nil
}

// queryParam is one decoded name/value pair of the query string.
type queryParam struct{ key, value string }

// parseQuery decodes the raw query into pairs, preserving duplicates and
// order. Pairs that do not decode are dropped, matching url.ParseQuery which
// is what the Go SDK signer canonicalizes from; keeping them would make us
// disagree with that client about the canonical query.
func parseQuery(raw string) []queryParam {
	if raw == "" {
		return nil
	}
	out := make([]queryParam, 0, strings.Count(raw, "&")+1)
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, queryParam{key: dk, value: dv})
	}
	return out
}

// isPresigned reports whether the query carries presigned-URL parameters.
// Any one of them is enough: a half-presigned URL should get a precise
// "missing parameter" error rather than "missing authentication token".
func isPresigned(params []queryParam) bool {
	for _, p := range params {
		if p.key == qAlgorithm || p.key == qCredential || p.key == qSignature {
			return true
		}
	}
	return false
}

// decodeSignature turns the hex signature into bytes; ok=false when it is not
// a 32-byte hex string, which can never match.
func decodeSignature(s string) ([]byte, bool) {
	if len(s) != 64 {
		return nil, false
	}
	b, err := hex.DecodeString(s)
	return b, err == nil
}

// clip quotes client-supplied text for an error message, bounded in length
// and with non-printable bytes replaced.
func clip(s string) string {
	if len(s) > maxEcho {
		s = s[:maxEcho] + "..."
	}
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c >= 0x7f {
			b[i] = '?'
		}
	}
	return "'" + string(b) + "'"
}
