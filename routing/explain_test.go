package routing

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestExplainGolden pins the Explain output, as the runtime will render it,
// for a contact held back by every kind of reason at once.
func TestExplainGolden(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.agent(mustAgent("busy", serves("q", Chat, 1, 0), slots(Chat, 1, RouteCurrentChannelOnly), skill("lang", "en", 5)))
	h.agent(mustAgent("delayed", serves("q", Chat, 2, 60), slots(Chat, 2, RouteCurrentChannelOnly), skill("lang", "en", 4)))
	h.agent(mustAgent("novice", serves("q", Chat, 1, 0), slots(Chat, 2, RouteCurrentChannelOnly), skill("lang", "en", 1)))
	h.offline(mustAgent("offline", serves("q", Chat, 1, 0), slots(Chat, 2, RouteCurrentChannelOnly), skill("lang", "en", 5)))
	h.agent(mustAgent("on-voice", serves("q", Chat, 1, 0), slots(Chat, 2, RouteCurrentChannelOnly), skill("lang", "en", 5), skill("lang", "fr", 2)))
	h.do(h.e.Hold("on-voice", "call-1", Voice, h.now))
	h.enqueue(mustContact("first", "q", on(Chat)))
	h.advance(10 * time.Second)
	h.enqueue(mustContact("c1", "q", on(Chat), withSteps(
		step(or(ge("lang", "en", 4), and(between("lang", "fr", 3, 5), not(ge("lang", "en", 1)))), 30),
		step(ge("lang", "en", 1), -1))))
	h.advance(5 * time.Second)
	x := h.explain("c1")
	got, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "explain.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Explain output differs from %s (run with -update to accept):\n%s", path, got)
	}
}
