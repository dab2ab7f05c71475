package center_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-cc/switchboard/events"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestRestartKeepsAgentWork: a contact in after-contact work and one waiting
// in the queue survive a restart; the agent still holds the first and gets
// the second once they complete it. Their login survives too: the token of
// before the restart still works, until they log out.
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
	s := w2.snapshot(token)
	if len(s.Contacts) != 1 || s.Contacts[0].ContactID != first || s.Contacts[0].State != "ENDED" {
		t.Fatalf("after restart the agent holds %+v, want %s in after-contact work", s.Contacts, first)
	}
	w2.act(token, first, "complete", 204)
	s = w2.snapshot(token)
	if len(s.Contacts) != 1 || s.Contacts[0].ContactID != second || s.Contacts[0].State != "CONNECTING" {
		t.Fatalf("queued task not offered after restart: %+v", s.Contacts)
	}
	if status, out := w2.agentAPI("POST", "/agent/v1/logout", token, nil); status != http.StatusNoContent {
		t.Fatalf("logout: %d %v", status, out)
	}
	if status, _ := w2.agentAPI("GET", "/agent/v1/instances/"+w2.iid+"/snapshot", token, nil); status != http.StatusUnauthorized {
		t.Errorf("snapshot after logout: %d, want 401", status)
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

// TestRestartResumesWaitingFlows: a chat's disconnect flow waiting for the
// customer (Wait with CustomerReturned) survives a restart: the customer
// connects again with their ParticipantToken and writes, and the flow goes
// on down CustomerReturned. A second chat's wait, with nobody writing,
// times out on schedule after the restart without any call touching its
// instance.
func TestRestartResumesWaitingFlows(t *testing.T) {
	dir := t.TempDir()
	w := newWorldIn(t, dir)
	q := w.newQueue("chat", 0)
	hook := w.newFlow("after the agent",
		say("tell", "The agent has left the chat.", "wait"),
		waitReturn("wait", "thanks", "bye", 900),
		say("thanks", "Thank you.", "bye"),
		action("bye", "DisconnectParticipant", map[string]string{}, ""))
	d := newChatDeskOn(w, q, action("hook", "UpdateContactEventHooks", map[string]any{"EventHooks": map[string]string{"CustomerRemaining": hook}}, next("setq")))
	var tokens, waiting []string
	for range 2 {
		_, tok, _, second := d.agentLeaves()
		tokens, waiting = append(tokens, tok), append(waiting, second)
	}
	d.Clock.Advance(10 * time.Minute)
	w.Env.Close()

	w2 := reopenWorld(t, dir, w)
	w2.Clock.Set(d.Clock.Now())
	back := w2.join(tokens[0])
	back.say("I'm still here")
	back.expect("CUSTOMER:Jane:I'm still here", "SYSTEM:SYSTEM_MESSAGE:Thank you.", "SYSTEM:SYSTEM_MESSAGE:chat.ended")
	back.closed()
	if c := w2.describe(waiting[0]); c.DisconnectTimestamp == nil {
		t.Errorf("the answered chat is still open: %s", mustJSON(c))
	}
	w2.Clock.Advance(5*time.Minute - time.Second)
	if c := w2.describe(waiting[1]); c.DisconnectTimestamp != nil {
		t.Fatalf("the second chat ended before its wait was over")
	}
	w2.Clock.Advance(time.Second)
	if c := w2.describe(waiting[1]); c.DisconnectTimestamp == nil || !c.DisconnectTimestamp.Equal(at(15*time.Minute)) {
		t.Errorf("the second chat's wait ended at %v, want %v", c.DisconnectTimestamp, at(15*time.Minute))
	}
}

// TestRestartRunsInterruptedFlows: a task committed while no flow could
// run for it (here: a server without the runtime, as after a stop between
// the commit and the flow) has its flow run when the server starts, so it
// is queued and offered instead of staying INITIATED until it expires. A
// webhook configured for the server gets the event of that, although it
// happens before the server answers its first request.
func TestRestartRunsInterruptedFlows(t *testing.T) {
	dir := t.TempDir()
	e := sbtest.New(t, sbtest.Options{DataDir: dir})
	w := lookupWorld(t, e, e.Instance(t))
	id := w.task("interrupted")
	if q := w.describe(id).QueueInfo; q != nil {
		t.Fatalf("without the runtime the task is already queued: %+v", q)
	}
	e.Close()

	queued := make(chan string, 16)
	recv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		var ev events.ContactEvent
		if json.NewDecoder(r.Body).Decode(&ev) == nil && ev.Detail.EventType == "QUEUED" {
			queued <- ev.Detail.ContactID
		}
	}))
	defer recv.Close()
	hook, err := events.ParseWebhookSpec("url="+recv.URL+",events=contact", nil)
	must(t, err)
	w2 := lookupWorld(t, sbtest.New(t, sbtest.Options{Runtime: true, DataDir: dir, Webhooks: []events.WebhookConfig{hook}}), w.iid)
	select {
	case got := <-queued:
		if got != id {
			t.Fatalf("QUEUED event for %s, want %s", got, id)
		}
	case <-time.After(10 * time.Second): // a bound on a hang, not a timing assertion
		t.Fatal("the webhook got no QUEUED event for the resumed task")
	}
	if q := w2.describe(id).QueueInfo; q == nil || *q.Id != w2.queue {
		t.Fatalf("after the restart the task's queue is %+v, want %s", q, w2.queue)
	}
	ada := w2.user("ada")
	token := w2.login("ada")
	w2.setStatus(ada, w2.available)
	if got, want := w2.held(token), []string{id + ":CONNECTING"}; !slices.Equal(got, want) {
		t.Fatalf("agent holds %v, want %v", got, want)
	}
}

// TestAgentTokenOfDeletedInstance: deleting an instance logs its agents
// out: once the token is next checked against the store (within
// sessionRecheck, 5 s), it is refused and forgotten, as after a logout.
func TestAgentTokenOfDeletedInstance(t *testing.T) {
	w := newWorld(t)
	w.user("ada")
	token := w.login("ada")
	if status, out := w.agentAPI("GET", "/agent/v1/session", token, nil); status != http.StatusOK {
		t.Fatalf("session before the deletion: %d %v", status, out)
	}
	if _, err := w.Client.DeleteInstance(sbtest.Ctx(t), &connect.DeleteInstanceInput{InstanceId: &w.iid}); err != nil {
		t.Fatal(err)
	}
	w.Clock.Advance(6 * time.Second)
	if status, out := w.agentAPI("GET", "/agent/v1/session", token, nil); status != http.StatusUnauthorized {
		t.Errorf("session after its instance was deleted: %d %v, want 401", status, out)
	}
}
