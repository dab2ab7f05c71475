package chat

import (
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzParseViewAnswer feeds arbitrary customer messages to the view
// answer parser: it must never panic, and accept only an
// interactive.response naming a token and a non-blank action.
func FuzzParseViewAnswer(f *testing.F) {
	for _, s := range []string{
		`{"templateType":"ViewResource","version":"1.0","data":{"content":{"viewToken":"t","action":"Submit","output":{"a":1}}}}`,
		`{"templateType":"ViewResource","data":{"content":{"viewToken":"t","action":" "}}}`,
		`{"templateType":"ListPicker","data":{"content":{"viewToken":"t","action":"x"}}}`,
		`{"templateType":"ViewResource","data":{"content":{"output":[]}}}`, `{"data":null}`, `[]`, `null`, ``, `{`, "\xff",
	} {
		f.Add(CTInteractiveResponse, s)
	}
	f.Add("text/plain", `{"templateType":"ViewResource","data":{"content":{"viewToken":"t","action":"Submit"}}}`)
	f.Fuzz(func(t *testing.T, contentType, content string) {
		a, ok := ParseViewAnswer(contentType, content)
		if !ok {
			return
		}
		if contentType != CTInteractiveResponse || a.Token == "" || strings.TrimSpace(a.Action) == "" {
			t.Fatalf("accepted %q %q as %+v", contentType, content, a)
		}
	})
}

// FuzzParseViewToken feeds arbitrary tokens to DescribeView's decoder: it
// must never panic, and accept only tokens naming a contact and a view.
func FuzzParseViewToken(f *testing.F) {
	for _, s := range []string{
		`{"c":"contact","v":"view:1","n":"nonce"}`, `{"c":"","v":"x"}`, `{"c":"c"}`, `[]`, `null`, `{`, "\xff",
	} {
		f.Add(base64.RawURLEncoding.EncodeToString([]byte(s)))
	}
	f.Add("not base64!")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		vt, ok := parseViewToken(token)
		if ok && (vt.ContactID == "" || vt.View == "") {
			t.Fatalf("accepted %q as %+v", token, vt)
		}
	})
}
