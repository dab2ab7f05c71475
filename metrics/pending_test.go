package metrics

import "testing"

// A UUID in its canonical spelling is kept as 16 bytes; any other ID,
// including the same UUID in capitals, keeps its own string, so that no
// two IDs share an entry.
func TestPendingSet(t *testing.T) {
	p := pendingSet{ids: map[[16]byte]struct{}{}, other: map[string]struct{}{}}
	const id = "0193b2a4-7c1e-7d2a-9f00-3c4d5e6f7a8b"
	const upper = "0193B2A4-7C1E-7D2A-9F00-3C4D5E6F7A8B"
	for _, v := range []string{id, upper, "task-1"} {
		p.add(v)
	}
	if len(p.ids) != 1 || len(p.other) != 2 {
		t.Fatalf("ids %d, other %d; want 1 and 2", len(p.ids), len(p.other))
	}
	if !p.remove(upper) || p.remove(upper) || !p.remove(id) || p.remove(id) || !p.remove("task-1") || p.remove("nope") {
		t.Error("remove reports what was there, once")
	}
}
