package presign

import (
	"net/url"
	"slices"
	"testing"
	"time"
)

const prefix = "/p/files/"

func TestSignedURL(t *testing.T) {
	exp := time.Unix(1_800_000_000, 0).UTC()
	segs := []string{"inst 1", "file/2"}
	sig := Sign("secret", "PUT", segs, exp)
	u, err := url.Parse("http://h" + Path(prefix, segs, exp, sig))
	if err != nil {
		t.Fatal(err)
	}
	got, gotExp, gotSig, ok := Parse(u, prefix, 2)
	if !ok || !slices.Equal(got, segs) || !gotExp.Equal(exp) || gotSig != sig {
		t.Fatalf("Parse(%s) = %q %v %q %v", u, got, gotExp, gotSig, ok)
	}
	if !Valid("secret", "PUT", got, gotExp, gotSig) {
		t.Error("the signature does not verify")
	}
	for name, bad := range map[string]bool{
		"other method":  Valid("secret", "GET", segs, exp, sig),
		"other secret":  Valid("other", "PUT", segs, exp, sig),
		"other expiry":  Valid("secret", "PUT", segs, exp.Add(time.Second), sig),
		"other segment": Valid("secret", "PUT", []string{"inst 1", "file/3"}, exp, sig),
	} {
		if bad {
			t.Errorf("%s: verifies", name)
		}
	}
	// Moving the boundary between two segments changes the signature,
	// whatever characters they hold.
	if Sign("s", "GET", []string{"a\nb", "c"}, exp) == Sign("s", "GET", []string{"a", "b\nc"}, exp) ||
		Sign("s", "GET", []string{"a/b", "c"}, exp) == Sign("s", "GET", []string{"a", "b/c"}, exp) {
		t.Error("two lists of segments sign alike")
	}
	if _, _, _, ok := Parse(u, prefix, 3); ok {
		t.Error("a URL of two segments parsed as one of three")
	}
}

// FuzzParse: signed URLs come from anyone who holds or guesses one. Any
// URL parses or is refused without a panic, and every URL Path renders
// parses back to what it names.
func FuzzParse(f *testing.F) {
	f.Add("i-1", "f-1", int64(1700000000), "ab12", "/p/files/i/f?Expires=1&Signature=x")
	f.Add("a/b", "%zz", int64(-1), "s", "/p/files//?Expires=&Signature=")
	f.Add("é", "f f", int64(1<<40), "sig", "/p/files/a/b/c?Expires=1e3")
	f.Fuzz(func(t *testing.T, a, b string, exp int64, sig, raw string) {
		if u, err := url.Parse(raw); err == nil {
			Parse(u, prefix, 2)
		}
		if a == "" || b == "" || sig == "" {
			return
		}
		segs := []string{a, b}
		u, err := url.Parse(Path(prefix, segs, time.Unix(exp, 0), sig))
		if err != nil {
			t.Fatalf("rendered URL does not parse: %v", err)
		}
		got, gotExp, gotSig, ok := Parse(u, prefix, 2)
		if !ok || !slices.Equal(got, segs) || gotExp.Unix() != exp || gotSig != sig {
			t.Fatalf("round trip of %q %d %q: %q %v %q %v", segs, exp, sig, got, gotExp, gotSig, ok)
		}
	})
}
