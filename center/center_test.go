package center_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// world is an instance with its default resources looked up.
type world struct {
	*sbtest.Env
	t                       *testing.T
	iid, flow, queue, rp    string
	available, offline, agt string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	e := sbtest.New(t, sbtest.Options{Runtime: true})
	return lookupWorld(t, e, e.Instance(t))
}

// lookupWorld finds an instance's default resources.
func lookupWorld(t *testing.T, e *sbtest.Env, iid string) *world {
	t.Helper()
	w := &world{Env: e, t: t, iid: iid}
	ctx := sbtest.Ctx(t)
	flows, err := e.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &w.iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	must(t, err)
	w.flow = *flows.ContactFlowSummaryList[0].Id
	qs, err := e.Client.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: &w.iid, QueueTypes: []types.QueueType{types.QueueTypeStandard}})
	must(t, err)
	w.queue = *qs.QueueSummaryList[0].Id
	rps, err := e.Client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: &w.iid})
	must(t, err)
	w.rp = *rps.RoutingProfileSummaryList[0].Id
	sts, err := e.Client.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: &w.iid})
	must(t, err)
	for _, s := range sts.AgentStatusSummaryList {
		switch s.Type {
		case types.AgentStatusTypeRoutable:
			w.available = *s.Id
		case types.AgentStatusTypeOffline:
			w.offline = *s.Id
		}
	}
	sps, err := e.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: &w.iid})
	must(t, err)
	w.agt = *sps.SecurityProfileSummaryList[0].Id
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// user creates a CONNECT_MANAGED user with the basic routing profile.
func (w *world) user(name string) string {
	out, err := w.Client.CreateUser(sbtest.Ctx(w.t), &connect.CreateUserInput{
		InstanceId: &w.iid, Username: aws.String(name), Password: aws.String("Passw0rd!"),
		IdentityInfo:     &types.UserIdentityInfo{FirstName: aws.String(name), LastName: aws.String("Agent")},
		PhoneConfig:      &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
		RoutingProfileId: &w.rp, SecurityProfileIds: []string{w.agt},
	})
	must(w.t, err)
	return *out.UserId
}

func (w *world) setStatus(user, status string) {
	_, err := w.Client.PutUserStatus(sbtest.Ctx(w.t), &connect.PutUserStatusInput{InstanceId: &w.iid, UserId: &user, AgentStatusId: &status})
	must(w.t, err)
}

func (w *world) task(name string) string {
	out, err := w.Client.StartTaskContact(sbtest.Ctx(w.t), &connect.StartTaskContactInput{InstanceId: &w.iid, ContactFlowId: &w.flow, Name: &name})
	must(w.t, err)
	return *out.ContactId
}

func (w *world) describe(id string) *types.Contact {
	out, err := w.Client.DescribeContact(sbtest.Ctx(w.t), &connect.DescribeContactInput{InstanceId: &w.iid, ContactId: &id})
	must(w.t, err)
	return out.Contact
}

// agentAPI calls the agent API as an HTTP client would.
func (w *world) agentAPI(method, path, token string, body any) (int, map[string]any) {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, w.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(w.t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (w *world) login(name string) string {
	status, out := w.agentAPI("POST", "/agent/v1/instances/"+w.iid+"/login", "", map[string]string{"username": name, "password": "Passw0rd!"})
	if status != 200 {
		w.t.Fatalf("login %s: %d %v", name, status, out)
	}
	return out["token"].(string)
}

func (w *world) snapshot(token string) agentapi.AgentSnapshot {
	status, out := w.agentAPI("GET", "/agent/v1/instances/"+w.iid+"/snapshot", token, nil)
	if status != 200 {
		w.t.Fatalf("snapshot: %d %v", status, out)
	}
	b, _ := json.Marshal(out)
	var s agentapi.AgentSnapshot
	must(w.t, json.Unmarshal(b, &s))
	return s
}

func (w *world) act(token, contact, action string, want int) {
	w.t.Helper()
	status, out := w.agentAPI("POST", "/agent/v1/instances/"+w.iid+"/contacts/"+contact+"/"+action, token, nil)
	if status != want {
		w.t.Fatalf("%s %s: %d %v, want %d", action, contact, status, out, want)
	}
}

// TestTaskRoutedToAgent: a task started through the SDK runs the default
// inbound flow, waits in BasicQueue, is offered to the available agent, and
// goes through accept, end and after-contact work — each step visible
// through DescribeContact and the agent API.
func TestTaskRoutedToAgent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")

	id := w.task("call back")
	c := w.describe(id)
	if c.QueueInfo == nil || *c.QueueInfo.Id != w.queue || !c.QueueInfo.EnqueueTimestamp.Equal(sbtest.Start) {
		t.Fatalf("task not queued in BasicQueue at start: %+v", c.QueueInfo)
	}
	if c.AgentInfo != nil {
		t.Fatalf("task connected with no agent available: %+v", c.AgentInfo)
	}

	w.Clock.Advance(30 * time.Second)
	w.setStatus(ada, w.available) // the oldest waiting task is offered now
	snap := w.snapshot(token)
	if len(snap.Contacts) != 1 || snap.Contacts[0].ContactID != id || snap.Contacts[0].State != agentapi.StateConnecting {
		t.Fatalf("offer not shown to the agent: %+v", snap.Contacts)
	}

	w.Clock.Advance(5 * time.Second)
	w.act(token, id, "accept", 204)
	c = w.describe(id)
	wantConnected := sbtest.Start.Add(35 * time.Second)
	if c.AgentInfo == nil || *c.AgentInfo.Id != ada || !c.AgentInfo.ConnectedToAgentTimestamp.Equal(wantConnected) {
		t.Fatalf("AgentInfo after accept = %+v, want %s at %s", c.AgentInfo, ada, wantConnected)
	}

	w.Clock.Advance(time.Minute)
	w.act(token, id, "end", 204)
	c = w.describe(id)
	if c.DisconnectTimestamp == nil || !c.DisconnectTimestamp.Equal(wantConnected.Add(time.Minute)) || aws.ToString(c.DisconnectReason) != "AGENT_DISCONNECT" {
		t.Fatalf("after end: disconnect %v reason %v", c.DisconnectTimestamp, aws.ToString(c.DisconnectReason))
	}
	if s := w.snapshot(token); len(s.Contacts) != 1 || s.Contacts[0].State != agentapi.StateEnded {
		t.Fatalf("agent not in after-contact work: %+v", s.Contacts)
	}

	// A second task waits: the agent's only task slot is held by ACW.
	second := w.task("second")
	if s := w.snapshot(token); len(s.Contacts) != 1 {
		t.Fatalf("offered during after-contact work: %+v", s.Contacts)
	}
	w.Clock.Advance(45 * time.Second)
	w.act(token, id, "complete", 204)
	if s := w.snapshot(token); len(s.Contacts) != 1 || s.Contacts[0].ContactID != second {
		t.Fatalf("second task not offered after ACW: %+v", s.Contacts)
	}
	ai := w.describe(id).AgentInfo
	acwStart := wantConnected.Add(time.Minute)
	if !ai.AfterContactWorkStartTimestamp.Equal(acwStart) || !ai.AfterContactWorkEndTimestamp.Equal(acwStart.Add(45*time.Second)) || aws.ToInt32(ai.AfterContactWorkDuration) != 45 {
		t.Fatalf("after-contact work: start %v end %v duration %v", ai.AfterContactWorkStartTimestamp, ai.AfterContactWorkEndTimestamp, aws.ToInt32(ai.AfterContactWorkDuration))
	}
}

// TestMissedOfferReturnsContact: an offer not accepted within the offer
// timeout goes back to its queue, and the agent gets nothing more until
// they set a status again.
func TestMissedOfferReturnsContact(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	w.setStatus(ada, w.available)
	id := w.task("ring")
	if s := w.snapshot(token); len(s.Contacts) != 1 {
		t.Fatalf("no offer: %+v", s)
	}
	w.Clock.Advance(21 * time.Second) // default offer timeout is 20 s
	s := w.snapshot(token)
	if len(s.Contacts) != 1 || s.Contacts[0].State != agentapi.StateMissed {
		t.Fatalf("after timeout the agent shows %+v, want the contact MISSED", s.Contacts)
	}
	if c := w.describe(id); c.AgentInfo != nil || c.QueueInfo == nil {
		t.Fatalf("missed contact not back in queue: agent %+v queue %+v", c.AgentInfo, c.QueueInfo)
	}
	// Setting a status again clears the miss, and the contact is offered.
	w.setStatus(ada, w.offline)
	w.setStatus(ada, w.available)
	s = w.snapshot(token)
	if len(s.Contacts) != 1 || s.Contacts[0].ContactID != id || s.Contacts[0].State != agentapi.StateConnecting {
		t.Fatalf("contact not offered again: %+v", s.Contacts)
	}
}

// TestStopContactWhileQueued: StopContact takes a waiting contact out of
// routing, so an agent coming online gets nothing.
func TestStopContactWhileQueued(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	id := w.task("never mind")
	_, err := w.Client.StopContact(sbtest.Ctx(t), &connect.StopContactInput{InstanceId: &w.iid, ContactId: &id})
	must(t, err)
	w.setStatus(ada, w.available)
	if s := w.snapshot(token); len(s.Contacts) != 0 {
		t.Fatalf("stopped contact offered: %+v", s.Contacts)
	}
}
