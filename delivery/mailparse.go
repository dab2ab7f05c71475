package delivery

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/ianaindex"
)

// Reading received mail (SMTPInbound): the text of a message and its
// Subject, as UTF-8, whatever transfer encoding and charset the sender's
// client chose. Everything here reads what an unauthenticated SMTP client
// sent, so it is bounded: the nesting of parts (maxPartDepth) and the text
// kept (maxTextBytes); the listener bounds the message itself.

// maxPartDepth bounds how deeply multipart bodies may nest. Real mail nests
// two or three levels (mixed > alternative > related); each level is a
// recursive call, so without a bound a message of nothing but nested
// boundaries could exhaust the stack, which no recover catches.
const maxPartDepth = 16

// maxTextBytes is the most text kept from one part, above StartEmailContact's
// limit on a body, so that an over-long body is refused there with its
// reason rather than cut here.
const maxTextBytes = 5<<20 + 1

var errNoText = errors.New("no text/plain or text/html part")

// textBody picks the message's text: the body itself when it is text, or
// the first text/plain (else text/html) part of a multipart message,
// transfer-decoded and converted to UTF-8. It returns the part's media
// type and its text.
func textBody(contentType, encoding string, r io.Reader) (string, string, error) {
	return textPart(contentType, encoding, r, 0)
}

func textPart(contentType, encoding string, r io.Reader, depth int) (string, string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if contentType == "" || err != nil {
		// RFC 2045: no (or an unreadable) Content-Type means plain ASCII
		// text; read it as UTF-8, of which that is a part.
		mt, params = "text/plain", map[string]string{}
	}
	if strings.HasPrefix(mt, "multipart/") {
		if depth >= maxPartDepth {
			return "", "", fmt.Errorf("parts nested more than %d deep", maxPartDepth)
		}
		mr := multipart.NewReader(r, params["boundary"])
		var html string
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return "", "", err
			}
			ct, body, err := textPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, depth+1)
			if err != nil {
				continue
			}
			if ct == "text/plain" && body != "" {
				return ct, body, nil
			}
			if ct == "text/html" && html == "" {
				html = body
			}
		}
		if html != "" {
			return "text/html", html, nil
		}
		return "", "", errNoText
	}
	if mt != "text/plain" && mt != "text/html" {
		return "", "", errNoText
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		// multipart.Part undoes quoted-printable itself (and drops the
		// header); a top-level body needs it done here.
		if _, ok := r.(*multipart.Part); !ok {
			r = QuotedReader(r)
		}
	case "base64":
		// The decoder skips the line breaks mail puts in base64.
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxTextBytes))
	if err != nil {
		return "", "", err
	}
	return mt, strings.TrimRight(toUTF8(b, params["charset"]), "\r\n"), nil
}

// toUTF8 converts text in the named MIME charset to UTF-8. No charset, one
// this server does not know, or bytes its decoder refuses, read as UTF-8,
// with any byte that is not valid UTF-8 replaced by U+FFFD: the text is
// kept, readable where it can be, and never carries invalid UTF-8 into a
// contact.
func toUTF8(b []byte, charset string) string {
	cs := strings.ToLower(strings.TrimSpace(charset))
	if cs != "" && cs != "utf-8" && cs != "us-ascii" {
		if enc, err := ianaindex.MIME.Encoding(cs); err == nil && enc != nil {
			if out, err := enc.NewDecoder().Bytes(b); err == nil {
				b = out
			}
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
}

// headerDecoder decodes RFC 2047 encoded words in any charset toUTF8 knows.
var headerDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxTextBytes))
	if err != nil {
		return nil, err
	}
	return strings.NewReader(toUTF8(b, charset)), nil
}}

// decodeHeader returns a header's text with its encoded words decoded; a
// header that does not decode is kept as it came, so a Subject is never
// lost to an odd encoding. Either way the result is valid UTF-8 (raw
// 8-bit bytes in a header are not).
func decodeHeader(h string) string {
	if s, err := headerDecoder.DecodeHeader(h); err == nil {
		h = s
	}
	return strings.ToValidUTF8(h, "\uFFFD")
}
