package wire

import (
	"regexp"
	"testing"
)

// No input of the implemented operations is a union today, so the helper
// the generated code calls is tested directly (tools/apigen's test covers
// the call site).
func TestValidateUnion(t *testing.T) {
	v := &Validator{}
	v.Union("X", true, false)
	if len(v.violations) != 0 {
		t.Fatalf("one member set: %+v", v.violations)
	}
	v.Union("X", true, false, true)
	if len(v.violations) != 1 || v.violations[0].Rule != "union" || v.violations[0].Path != "X" {
		t.Fatalf("union: %+v", v.violations)
	}
}

// A bounded class ({m,n}) is checked as the class repeated freely plus a
// character count (RePattern.Runes). Every string up to a length past the
// bound, over an alphabet with a control character, a newline, a
// multi-byte rune and an invalid UTF-8 byte, gets the same answer both
// ways.
func TestCountedPatternMatchesUnrolled(t *testing.T) {
	for _, c := range []struct {
		unrolled, counted string
		runes             [2]int
	}{
		{`^[\P{C}\r\n\t]{1,3}$`, `^[\P{C}\r\n\t]*$`, [2]int{1, 3}},
		{`^[a-c]{0,2}$`, `^[a-c]*$`, [2]int{0, 2}},
		{`^[a-c]{2,2}$`, `^[a-c]*$`, [2]int{2, 2}},
	} {
		u := &RePattern{RE: regexp.MustCompile(c.unrolled)}
		k := &RePattern{RE: regexp.MustCompile(c.counted), Runes: c.runes}
		alphabet := []string{"a", "d", "\x01", "\n", "é", "\xff"}
		var walk func(s string, depth int)
		walk = func(s string, depth int) {
			if u.match(s) != k.match(s) {
				t.Errorf("%s: %q: unrolled %v, counted %v", c.unrolled, s, u.match(s), k.match(s))
			}
			if depth == 0 {
				return
			}
			for _, r := range alphabet {
				walk(s+r, depth-1)
			}
		}
		walk("", c.runes[1]+1)
	}
}
