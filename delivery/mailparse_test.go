package delivery

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTextBody: the text of received mail, as clients send it.
func TestTextBody(t *testing.T) {
	cases := []struct {
		name, ctype, encoding, body string
		wantType, wantText          string
	}{
		{"no content type", "", "", "Hello\r\n", "text/plain", "Hello"},
		{"plain utf-8", "text/plain; charset=utf-8", "", "Café\r\n", "text/plain", "Café"},
		{"quoted-printable", "text/plain; charset=utf-8", "quoted-printable", "Caf=C3=A9 =\r\nau lait\r\n", "text/plain", "Café au lait"},
		{"base64", "text/plain; charset=utf-8", "base64", "Q2Fmw6kgYXUg\r\nbGFpdA==\r\n", "text/plain", "Café au lait"},
		{"latin-1", "text/plain; charset=ISO-8859-1", "", "Caf\xe9", "text/plain", "Café"},
		{"windows-1252 in quoted-printable", "text/plain; charset=windows-1252", "quoted-printable", "=93Hi=94 =80", "text/plain", "“Hi” €"},
		{"shift_jis in base64", "text/plain; charset=Shift_JIS", "base64", "grGC8YLJgr+CzQ==", "text/plain", "こんにちは"},
		{"unknown charset keeps the text", "text/plain; charset=x-made-up", "", "plain", "text/plain", "plain"},
		{"invalid utf-8 is replaced", "text/plain; charset=utf-8", "", "a\xffb", "text/plain", "a\uFFFDb"},
		{"html only", "text/html", "", "<p>Hi</p>", "text/html", "<p>Hi</p>"},
		{"alternative prefers plain", "multipart/alternative; boundary=b", "",
			"--b\r\nContent-Type: text/html\r\n\r\n<p>Hi</p>\r\n--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n--b--\r\n", "text/plain", "Hi"},
		{"nested parts, base64 inside", "multipart/mixed; boundary=outer", "",
			"--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n" +
				"--inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nQ2Fmw6k=\r\n--inner--\r\n" +
				"--outer\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--outer--\r\n", "text/plain", "Café"},
		{"quoted-printable part", "multipart/alternative; boundary=b", "",
			"--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9\r\n--b--\r\n", "text/plain", "Café"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mt, text, err := textBody(c.ctype, c.encoding, strings.NewReader(c.body))
			if err != nil || mt != c.wantType || text != c.wantText {
				t.Errorf("textBody = %q, %q, %v; want %q, %q", mt, text, err, c.wantType, c.wantText)
			}
		})
	}
}

// TestTextBodyRefuses: no text part, and nesting past the bound, are
// errors rather than a crash.
func TestTextBodyRefuses(t *testing.T) {
	if _, _, err := textBody("image/png", "", strings.NewReader("png")); err == nil {
		t.Error("an image was taken for text")
	}
	if _, _, err := textBody("multipart/mixed; boundary=b", "", strings.NewReader("--b\r\nContent-Type: image/png\r\n\r\npng\r\n--b--\r\n")); err == nil {
		t.Error("a multipart without text was taken for text")
	}
	// Each level opens a part that is itself multipart; text at the bottom.
	nest := func(levels int) (string, string) {
		var b strings.Builder
		for i := 1; i < levels; i++ {
			b.WriteString("--" + boundary(i-1) + "\r\nContent-Type: multipart/mixed; boundary=" + boundary(i) + "\r\n\r\n")
		}
		b.WriteString("--" + boundary(levels-1) + "\r\nContent-Type: text/plain\r\n\r\ndeep\r\n")
		for i := levels - 1; i >= 0; i-- {
			b.WriteString("--" + boundary(i) + "--\r\n")
		}
		return "multipart/mixed; boundary=" + boundary(0), b.String()
	}
	ct, body := nest(maxPartDepth)
	if _, text, err := textBody(ct, "", strings.NewReader(body)); err != nil || text != "deep" {
		t.Errorf("%d levels: %q, %v", maxPartDepth, text, err)
	}
	ct, body = nest(maxPartDepth + 1)
	if _, _, err := textBody(ct, "", strings.NewReader(body)); err == nil {
		t.Errorf("%d levels were read", maxPartDepth+1)
	}
}

// boundary is the boundary of the i-th nested level.
func boundary(i int) string { return "b" + strings.Repeat("x", i) }

// TestDecodeHeader: encoded words in the charsets mail uses; an unknown
// charset read as UTF-8, and text that is not an encoded word kept.
func TestDecodeHeader(t *testing.T) {
	for in, want := range map[string]string{
		"Plain subject":                              "Plain subject",
		"=?utf-8?q?Caf=C3=A9_order?=":                "Café order",
		"=?windows-1252?q?=93Order=94?=":             "“Order”",
		"=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=": "こんにちは",
		"=?x-made-up?q?abc?=":                        "abc", // an unknown charset reads as UTF-8
		"=?utf-8?q?broken":                           "=?utf-8?q?broken",
	} {
		if got := decodeHeader(in); got != want {
			t.Errorf("decodeHeader(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzTextBody: whatever an SMTP client sends, reading its text ends, does
// not panic, and yields valid UTF-8.
func FuzzTextBody(f *testing.F) {
	f.Add("multipart/alternative; boundary=b", "", "--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n--b--\r\n")
	f.Add("text/plain; charset=iso-8859-1", "quoted-printable", "Caf=E9")
	f.Add("text/plain; charset=utf-8", "base64", "Q2Fmw6k=")
	f.Add("multipart/mixed; boundary=a", "", "--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n")
	f.Add("text/html; charset=shift_jis", "", "\x82\xb1")
	f.Fuzz(func(t *testing.T, ctype, encoding, body string) {
		_, text, err := textBody(ctype, encoding, strings.NewReader(body))
		if err == nil && !utf8.ValidString(text) {
			t.Errorf("text is not valid UTF-8: %q", text)
		}
		_ = decodeHeader(body)
		if s := decodeHeader(ctype); !utf8.ValidString(s) {
			t.Errorf("header is not valid UTF-8: %q", s)
		}
	})
}
