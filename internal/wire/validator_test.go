package wire

import "testing"

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
