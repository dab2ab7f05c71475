package participantapi_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestJavaScriptSDK drives the participant service with the real
// @aws-sdk/client-connectparticipant (what amazon-connect-chatjs uses):
// CreateParticipantConnection, SendMessage, GetTranscript, and a modelled
// error. It needs node and npm, and installs the locked packages with
// npm ci into testdata/node.
func TestJavaScriptSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the Node SDK test")
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; skipping the JavaScript SDK test", tool)
		}
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "node"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@aws-sdk", "client-connectparticipant")); err != nil {
		ci := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		ci.Dir = dir
		if out, err := ci.CombinedOutput(); err != nil {
			t.Skipf("npm ci failed (offline?); skipping: %v\n%s", err, out)
		}
	}
	e := newEnv(t)
	cid, tok := e.chat()
	cmd := exec.Command("node", "sdk.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SWITCHBOARD_URL="+e.URL, "PARTICIPANT_TOKEN="+tok)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node sdk.mjs: %v\n%s", err, stderr.String())
	}
	var got struct {
		WebsocketURL, Expiry, SentID, SentTime, InitialContactID string
		Transcript                                               []struct{ Id, Type, Content, ContentType, Role string }
		Error                                                    *struct {
			Name    string
			Status  int
			Message string
		}
		Attachment struct {
			ID, Body, ContentType string
			PutStatus, Size       int
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("output %s: %v", out, err)
	}
	if !strings.HasPrefix(got.WebsocketURL, "ws://127.0.0.1:") || got.Expiry != "2026-03-03T09:00:00.000Z" {
		t.Errorf("connection %+v", got)
	}
	if got.SentID == "" || got.SentTime != "2026-03-02T09:00:00.000Z" || got.InitialContactID != cid {
		t.Errorf("send/transcript %+v", got)
	}
	if n := len(got.Transcript); n != 2 || got.Transcript[1].Content != "hello from the JS SDK" || got.Transcript[1].Id != got.SentID ||
		got.Transcript[1].Role != "CUSTOMER" || got.Transcript[0].Type != "EVENT" {
		t.Errorf("transcript %+v", got.Transcript)
	}
	if a := got.Attachment; a.ID == "" || a.PutStatus != 200 || a.Size != 13 || a.Body != "attached text" || a.ContentType != "text/plain" {
		t.Errorf("attachment %+v", a)
	}
	if got.Error == nil || got.Error.Name != "ValidationException" || got.Error.Status != 400 || got.Error.Message == "" {
		t.Errorf("modelled error %+v", got.Error)
	}
}
