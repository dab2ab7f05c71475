// Package chatjs_test runs a whole customer–agent chat through the
// official amazon-connect-chatjs package (from npm, run under Node)
// against a Switchboard server started here with the real clock: the
// customer talks through chatjs, the agent works through the agent API and
// joins the chat with chatjs too, and the Connect side is driven with
// @aws-sdk/client-connect.
package chatjs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/store/sqlite"
)

const (
	keyID  = "AKIACHATJSE2ETEST"
	secret = "chatjs-e2e-secret-key-0123456789"
)

// install makes sure the locked packages are in node_modules (npm ci),
// skipping the test when Node or the registry is not there.
func install(t *testing.T, dir string) {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; skipping the amazon-connect-chatjs end-to-end test", tool)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "amazon-connect-chatjs", "package.json")); err == nil {
		return
	}
	ci := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	ci.Dir = dir
	if out, err := ci.CombinedOutput(); err != nil {
		t.Skipf("npm ci failed (no registry?); skipping the chatjs test: %v\n%s", err, out)
	}
}

// run starts a server (the real clock: chatjs runs its own timers,
// heartbeats and token refresh, against the server's times) and runs a
// scenario script against it under Node, returning what it printed.
func run(t *testing.T, script string) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the amazon-connect-chatjs end-to-end test")
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	install(t, dir)

	st, err := sqlite.Open(filepath.Join(t.TempDir(), "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{Store: st, Clock: clock.Real{}, Region: "us-east-1", AccountID: "123456789012",
		Credentials: []sigv4.Credentials{{AccessKeyID: keyID, SecretAccessKey: secret}}})
	if err != nil {
		t.Fatal(err)
	}
	// httptest listens on 127.0.0.1, the one host chatjs accepts plain
	// ws:// URLs for.
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		a.Close()
		srv.Close()
		_ = st.Close()
	})

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SWITCHBOARD_URL="+srv.URL, "AWS_ACCESS_KEY_ID="+keyID, "AWS_SECRET_ACCESS_KEY="+secret)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\nstdout: %s\nstderr: %s", script, err, out, tail(stderr.String()))
	}
	return out
}

func TestChatJSConversation(t *testing.T) {
	out := run(t, "customer.mjs")
	var got struct {
		ContactID, Joined, Reply, DisconnectReason string
		CustomerTranscript                         []string
		Agent                                      struct {
			ContactID, Bye, Left, Ended, State string
			Before                             []string
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("output %s: %v", out, err)
	}
	// The customer saw the agent join under the user's first name and
	// reply, live.
	if got.Joined != "Ada" || got.Reply != "Hi Jane, this is Ada. Let me check." {
		t.Errorf("customer saw join %q, reply %q", got.Joined, got.Reply)
	}
	// The agent found what was said before they joined in the transcript,
	// then saw the goodbye live, the customer leave and the chat end.
	if !slices.Contains(got.Agent.Before, "CUSTOMER:Jane:Hello, my order is late") || got.Agent.Bye != "Thanks, bye" ||
		got.Agent.Left != "Jane" || got.Agent.Ended == "" || got.Agent.State != "ENDED" || got.Agent.ContactID != got.ContactID {
		t.Errorf("agent side %+v", got.Agent)
	}
	// The agent joins whenever the offer is accepted, which may be before
	// or after the customer's first message: that one item is checked
	// apart from the order of the rest.
	const joined = "AGENT:Ada:participant.joined"
	rest := slices.DeleteFunc(slices.Clone(got.CustomerTranscript), func(s string) bool { return s == joined })
	want := []string{"CUSTOMER:Jane:participant.joined", "SYSTEM:SYSTEM_MESSAGE:Thank you for contacting us. Please wait while we connect you.",
		"CUSTOMER:Jane:Hello, my order is late", "AGENT:Ada:Hi Jane, this is Ada. Let me check.", "CUSTOMER:Jane:Thanks, bye"}
	if !slices.Equal(rest, want) || len(got.CustomerTranscript) != len(want)+1 {
		t.Errorf("customer's transcript\n%q\nwant\n%q", got.CustomerTranscript, want)
	}
	if got.DisconnectReason != "CUSTOMER_DISCONNECT" {
		t.Errorf("DisconnectReason %q", got.DisconnectReason)
	}
}

// TestChatJSDisconnectFlow: a post-chat survey. The agent ends the
// contact; the customer's chatjs session, without reconnecting, sees the
// agent leave, gets the disconnect flow's question from the new contact
// (InitiationMethod DISCONNECT, chained to the first), answers, and sees
// the chat end; the agent's contact ended with AGENT_DISCONNECT.
func TestChatJSDisconnectFlow(t *testing.T) {
	out := run(t, "survey.mjs")
	var got struct {
		ContactID, Left, Question, Thanks, Ended, FirstReason string
		Shown                                                 []string
		SurveyContact                                         struct {
			ID, Method, Previous, Initial string
			Ended                         bool
		}
		Agent struct{ ContactID, Left, State string }
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("output %s: %v", out, err)
	}
	if got.Left != "Ada" || got.Question != "Ada has left the chat. How did we do, 1 to 5?" || got.Thanks != "Thank you for your answer." || got.Ended == "" {
		t.Errorf("customer saw %+v", got)
	}
	sc := got.SurveyContact
	if sc.ID == got.ContactID || sc.Method != "DISCONNECT" || sc.Previous != got.ContactID || sc.Initial != got.ContactID || !sc.Ended {
		t.Errorf("survey contact %+v, first contact %s", sc, got.ContactID)
	}
	if got.FirstReason != "AGENT_DISCONNECT" || got.Agent.ContactID != got.ContactID || got.Agent.State != "ENDED" {
		t.Errorf("first contact's reason %q, agent side %+v", got.FirstReason, got.Agent)
	}
	// What the customer was shown after the agent left: the survey's
	// items in order (chatjs reports the chat ending separately too).
	want := []string{"SYSTEM:SYSTEM_MESSAGE:Ada has left the chat. How did we do, 1 to 5?", "CUSTOMER:Jane:5",
		"SYSTEM:SYSTEM_MESSAGE:Thank you for your answer.", "SYSTEM:SYSTEM_MESSAGE:chat.ended"}
	shown := slices.DeleteFunc(slices.Clone(got.Shown), func(s string) bool { return !strings.HasPrefix(s, "SYSTEM:") && !strings.HasPrefix(s, "CUSTOMER:") })
	if !slices.Equal(shown, want) {
		t.Errorf("the customer was shown\n%q\nwant\n%q", got.Shown, want)
	}
}

// TestChatJSTransfer: an agent transfers the chat through a QUEUE quick
// connect. The customer's chatjs session, without reconnecting, sees
// transfer.succeeded, the transfer flow's message and the second agent
// joining from the new contact (TRANSFER, chained to the first, queued in
// Billing), and talks with them; the first agent's session saw the
// transfer and their contact ended with TRANSFER.
func TestChatJSTransfer(t *testing.T) {
	out := run(t, "transfer.mjs")
	var got struct {
		ContactID, Transferred, Told, Joined, Greeting, FirstReason string
		Ada                                                         struct{ ContactID, Transfer, State string }
		Bob                                                         struct{ ContactID, Bye, Left, State string }
		Second                                                      struct{ ID, Method, Previous, Queue, Billing, Reason string }
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("output %s: %v", out, err)
	}
	if !strings.HasSuffix(got.Transferred, "transfer.succeeded") || got.Told != "Transferring you to billing." ||
		got.Joined != "Bob" || got.Greeting != "Billing here, how can I help?" {
		t.Errorf("customer saw %+v", got)
	}
	if got.FirstReason != "TRANSFER" || got.Ada.ContactID != got.ContactID || !strings.HasSuffix(got.Ada.Transfer, "transfer.succeeded") || got.Ada.State != "ENDED" {
		t.Errorf("first contact's reason %q, ada %+v", got.FirstReason, got.Ada)
	}
	s := got.Second
	if s.ID == got.ContactID || s.Method != "TRANSFER" || s.Previous != got.ContactID || s.Queue != s.Billing || s.Reason != "CUSTOMER_DISCONNECT" {
		t.Errorf("transferred contact %+v (first %s)", s, got.ContactID)
	}
	if got.Bob.ContactID != s.ID || got.Bob.Bye != "Thanks, bye" || got.Bob.Left != "Jane" || got.Bob.State != "ENDED" {
		t.Errorf("bob %+v", got.Bob)
	}
}

// TestChatJSShowView: a form in a chat. The flow's ShowView block shows a
// view; the customer's chatjs session finds its token in the interactive
// message, reads the view with describeView, submits it with an
// interactive.response, and sees the flow thank them with what they
// typed, which the flow also stored on the contact.
func TestChatJSShowView(t *testing.T) {
	out := run(t, "view.mjs")
	var got struct {
		ViewArn, ShownArn, Heading, Role, Template, Thanks, Ended, Address string
		Described                                                          struct {
			ID, Name, Template string
			Actions            []string
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("output %s: %v", out, err)
	}
	if got.ShownArn != got.ViewArn || got.Heading != "Hello Jane" || got.Role != "SYSTEM" {
		t.Errorf("view message: %+v", got)
	}
	d := got.Described
	if !strings.HasSuffix(got.ViewArn, "/view/"+d.ID) || d.Name != "Address" || d.Template != got.Template || !slices.Equal(d.Actions, []string{"Submit"}) {
		t.Errorf("describeView answered %+v", d)
	}
	if got.Thanks != "Thanks, we will write to 2 New Street." || got.Address != "2 New Street" || got.Ended == "" {
		t.Errorf("after the answer: %+v", got)
	}
}

// tail keeps the end of a long log.
func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return strings.TrimSpace(s)
}
