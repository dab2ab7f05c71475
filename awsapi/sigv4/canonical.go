package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/smithy-go/encoding/httpbinding"
)

// unsignedPayload is the payload hash a client uses when it chose not to hash
// the body.
const unsignedPayload = "UNSIGNED-PAYLOAD"

// wirePath returns the request path exactly as the client sent it, still
// percent-encoded. The signature covers the encoded form, and decoding then
// re-encoding is lossy ("%2F" vs "/", "%3A" vs ":"), so we take it from the
// request line whenever the server kept it.
func wirePath(r *http.Request) string {
	if p := r.RequestURI; strings.HasPrefix(p, "/") {
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		return p
	}
	// Absolute-form request lines, or requests built in-process (tests,
	// handlers called directly): url.URL keeps RawPath when the sent form
	// differs from the default encoding, so EscapedPath is faithful.
	if r.URL == nil {
		return "/"
	}
	return r.URL.EscapedPath()
}

// canonicalURI encodes the wire path once more, as SigV4 requires for every
// service except S3. We use the same encoder the SDK signer uses so both
// sides agree byte for byte on which characters survive.
func canonicalURI(path string) string {
	if path == "" {
		return "/"
	}
	return httpbinding.EscapePath(path, false)
}

// encodeQueryComponent applies SigV4 URI encoding to a query name or value:
// everything but A-Z a-z 0-9 - _ . ~ is %XX-encoded, and a space is %20.
// url.QueryEscape has the same unreserved set but writes a space as '+';
// a literal '+' comes out as %2B, so swapping '+' back only touches spaces.
func encodeQueryComponent(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// canonicalQuery sorts the encoded pairs by name then value. SigV4 sorts
// after encoding, and the two orders differ ('%' sorts before '-'), so the
// sort must see encoded strings. For presigned URLs the signature parameter
// is excluded: it cannot sign itself.
func canonicalQuery(params []queryParam, presigned bool) string {
	if len(params) == 0 {
		return ""
	}
	enc := make([]queryParam, 0, len(params))
	for _, p := range params {
		if presigned && p.key == qSignature {
			continue
		}
		enc = append(enc, queryParam{encodeQueryComponent(p.key), encodeQueryComponent(p.value)})
	}
	slices.SortFunc(enc, func(a, b queryParam) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	var b strings.Builder
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

// headerValues returns the values of one signed header as the server sees
// them. Go moves Host out of the header map into r.Host, and a request built
// in-process has its length only in r.ContentLength, so both are special.
func headerValues(r *http.Request, name string) []string {
	switch {
	case strings.EqualFold(name, "host"), name == ":authority":
		if r.Host != "" {
			return []string{r.Host}
		}
		if r.URL != nil {
			return []string{r.URL.Host}
		}
		return nil
	case strings.EqualFold(name, "content-length"):
		if v := r.Header.Values("Content-Length"); len(v) > 0 {
			return v
		}
		if r.ContentLength >= 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
		return nil
	}
	if v := r.Header.Values(name); len(v) > 0 {
		return v
	}
	// Header maps filled by hand may hold non-canonical keys.
	for k, v := range r.Header {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// canonicalHeaders renders "name:value\n" for each signed header, in the
// order the client listed them. Values are trimmed, inner runs of spaces are
// folded to one, and repeated headers are joined with commas.
func canonicalHeaders(r *http.Request, names []string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(':')
		for i, v := range headerValues(r, n) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeFolded(&b, strings.TrimSpace(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// writeFolded writes v with each run of spaces collapsed to a single space.
func writeFolded(b *strings.Builder, v string) {
	prevSpace := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if prevSpace {
				continue
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
		b.WriteByte(c)
	}
}

// canonicalRequest assembles the six lines SigV4 hashes. headers already ends
// in a newline, which yields the blank line the format calls for.
func canonicalRequest(method, uri, query, headers, signedHeaders, payloadHash string) string {
	return method + "\n" + uri + "\n" + query + "\n" + headers + "\n" + signedHeaders + "\n" + payloadHash
}

// stringToSign binds the canonical request to the time and scope.
func stringToSign(amzDate string, scope credentialScope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return algorithm + "\n" + amzDate + "\n" + scope.String() + "\n" + hex.EncodeToString(sum[:])
}

// deriveSigningKey runs the SigV4 HMAC chain from the secret down to the
// per-day, per-region, per-service key.
func deriveSigningKey(secret string, scope credentialScope) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), scope.date)
	k = hmacSHA256(k, scope.region)
	k = hmacSHA256(k, scope.service)
	return hmacSHA256(k, scopeTerminator)
}

// signature is the raw (not hex) HMAC of the string to sign.
func signature(signingKey []byte, sts string) []byte {
	return hmacSHA256(signingKey, sts)
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// payloadSHA256 is the hex SHA-256 of the body.
func payloadSHA256(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}
