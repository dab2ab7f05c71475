package sqlstore

import (
	"strings"
	"testing"
)

// The in-memory idempotency key: the rebuild (bytes) and the writer
// (strings) must agree, and moving text between the parts must change it.
func TestTokenKey(t *testing.T) {
	if keyOf("i1", "op", "tok") != keyOf([]byte("i1"), []byte("op"), []byte("tok")) {
		t.Error("the same key from strings and from bytes hashes differently")
	}
	seen := map[tokenKey]string{}
	for _, parts := range [][3]string{
		{"i1", "op", "tok"}, {"i1o", "p", "tok"}, {"i1", "opt", "ok"}, {"", "i1op", "tok"}, {"i1", "op", "tok "},
		{"i1", "op", strings.Repeat("x", 500)}, // longer than the stack buffer
	} {
		k := keyOf(parts[0], parts[1], parts[2])
		if prev, ok := seen[k]; ok {
			t.Errorf("%q and %s hash alike", parts, prev)
		}
		seen[k] = strings.Join(parts[:], "|")
	}
}
