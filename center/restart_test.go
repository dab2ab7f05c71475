package center_test

import (
	"testing"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestRestartKeepsAgentWork: a contact in after-contact work and one waiting
// in the queue survive a restart; the agent still holds the first and gets
// the second once they complete it.
func TestRestartKeepsAgentWork(t *testing.T) {
	dir := t.TempDir()
	w := newWorldIn(t, dir)
	ada := w.user("ada")
	token := w.login("ada")
	w.setStatus(ada, w.available)
	first := w.task("first")
	w.act(token, first, "accept", 204)
	w.act(token, first, "end", 204)
	second := w.task("second")
	w.Env.Close()

	w2 := reopenWorld(t, dir, w)
	token = w2.login("ada")
	s := w2.snapshot(token)
	if len(s.Contacts) != 1 || s.Contacts[0].ContactID != first || s.Contacts[0].State != "ENDED" {
		t.Fatalf("after restart the agent holds %+v, want %s in after-contact work", s.Contacts, first)
	}
	w2.act(token, first, "complete", 204)
	s = w2.snapshot(token)
	if len(s.Contacts) != 1 || s.Contacts[0].ContactID != second || s.Contacts[0].State != "CONNECTING" {
		t.Fatalf("queued task not offered after restart: %+v", s.Contacts)
	}
}

// newWorldIn is newWorld on a given data directory.
func newWorldIn(t *testing.T, dir string) *world {
	t.Helper()
	e := sbtest.New(t, sbtest.Options{Runtime: true, DataDir: dir})
	return lookupWorld(t, e, e.Instance(t))
}

// reopenWorld starts a server again on dir, for the instance of w.
func reopenWorld(t *testing.T, dir string, w *world) *world {
	t.Helper()
	e := sbtest.New(t, sbtest.Options{Runtime: true, DataDir: dir})
	return lookupWorld(t, e, w.iid)
}
