package center_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchboard-cc/switchboard/awsapi"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// signedGet calls a Switchboard endpoint signed with the root credentials.
func (w *world) signedGet(path string) (int, map[string]any) {
	w.t.Helper()
	req, _ := http.NewRequest("GET", w.URL+path, nil)
	sum := sha256.Sum256(nil)
	creds := aws.Credentials{AccessKeyID: sbtest.AccessKeyID, SecretAccessKey: sbtest.SecretAccessKey}
	must(w.t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "connect", sbtest.Region, time.Now()))
	resp, err := http.DefaultClient.Do(req)
	must(w.t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestExplainWaitingContact asks why a task waits: the only agent of its
// queue is offline.
func TestExplainWaitingContact(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	id := w.task("waiting")
	status, out := w.signedGet(awsapi.InstancesPath + w.iid + "/contacts/" + id + "/routing")
	if status != 200 || out["state"] != "QUEUED" || out["routing"] == nil {
		t.Fatalf("explain: %d %v", status, out)
	}
	b, _ := json.Marshal(out["routing"])
	if !json.Valid(b) || !strings.Contains(string(b), ada) {
		t.Fatalf("explanation does not mention the queue's agent %s: %s", ada, b)
	}
	// A contact that is not waiting is explained by its state.
	w.setStatus(ada, w.available)
	token := w.login("ada")
	w.act(token, id, "accept", 204)
	if status, out := w.signedGet(awsapi.InstancesPath + w.iid + "/contacts/" + id + "/routing"); status != 200 || out["state"] != "CONNECTED" || out["message"] == nil {
		t.Fatalf("explain connected: %d %v", status, out)
	}
	if status, _ := w.signedGet(awsapi.InstancesPath + w.iid + "/contacts/nope/routing"); status != 404 {
		t.Fatalf("unknown contact: %d", status)
	}
	if status, out := w.signedGet(awsapi.InstancesPath + w.iid + "/contacts/" + id + "/flow-logs"); status != 200 || out["entries"] == nil {
		t.Fatalf("flow logs: %d %v", status, out)
	}
}
