package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/events"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
	"github.com/switchboard-cc/switchboard/store/sqlite"
)

// TestContactEventsToWebhook starts a task and stops it, and checks that a
// webhook receives the contact's events in order, shaped like Connect's.
func TestContactEventsToWebhook(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []events.ContactEvent
	delivered := make(chan struct{}, 16)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var e events.ContactEvent
		if err := json.Unmarshal(b, &e); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		mu.Lock()
		got = append(got, e)
		mu.Unlock()
		delivered <- struct{}{}
	}))
	defer recv.Close()

	env := sbtest.New(t, sbtest.Options{Runtime: true})
	cfg, err := events.ParseWebhookSpec("url="+recv.URL+",events=contact", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.App.StartWebhooks([]events.WebhookConfig{cfg}, env.Clock, nil); err != nil {
		t.Fatal(err)
	}
	iid := env.Instance(t)
	ctx := sbtest.Ctx(t)
	flows, err := env.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := env.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &iid, Name: aws.String("t"), ContactFlowId: flows.ContactFlowSummaryList[0].Id})
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Minute)
	if _, err := env.Client.StopContact(ctx, &connect.StopContactInput{InstanceId: &iid, ContactId: out.ContactId}); err != nil {
		t.Fatal(err)
	}
	want := []string{"INITIATED", "CONNECTED_TO_SYSTEM", "QUEUED", "DISCONNECTED", "COMPLETED"}
	for range want {
		select {
		case <-delivered:
		case <-time.After(10 * time.Second): // a bound on a hang, not a timing assertion
			t.Fatalf("webhook received only %d events", len(got))
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for i, e := range got {
		if e.Detail.EventType != want[i] || e.Detail.ContactID != *out.ContactId || e.Source != "aws.connect" || e.DetailType != "Amazon Connect Contact Event" {
			t.Errorf("event %d: %s %s %s %s, want %s", i, e.Detail.EventType, e.Detail.ContactID, e.Source, e.DetailType, want[i])
		}
	}
	if q := got[2].Detail.QueueInfo; q == nil || q.QueueType != "STANDARD" {
		t.Errorf("QUEUED event queueInfo = %+v", q)
	}
	if d := got[3].Detail; d.DisconnectReason != "API" || d.DisconnectTimestamp.IsZero() {
		t.Errorf("DISCONNECTED event: reason %q at %v", d.DisconnectReason, d.DisconnectTimestamp)
	}
}

// TestAgentEvents checks the agent event stream records an agent's status
// change and an offer, each with the previous snapshot.
func TestAgentEvents(t *testing.T) {
	t.Parallel()
	env := sbtest.New(t, sbtest.Options{Runtime: true})
	sub := env.App.Events.Subscribe(events.Filter{Kinds: []events.Kind{events.KindAgent}}, events.SubscribeOpts{Buffer: 64})
	defer sub.Close()
	iid := env.Instance(t)
	ctx := sbtest.Ctx(t)
	rps, err := env.Client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: &iid})
	if err != nil {
		t.Fatal(err)
	}
	sps, err := env.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: &iid})
	if err != nil {
		t.Fatal(err)
	}
	u, err := env.Client.CreateUser(ctx, &connect.CreateUserInput{InstanceId: &iid, Username: aws.String("ada"), Password: aws.String("Passw0rd!"),
		IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("Ada"), LastName: aws.String("L")}, PhoneConfig: &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
		RoutingProfileId: rps.RoutingProfileSummaryList[0].Id, SecurityProfileIds: []string{*sps.SecurityProfileSummaryList[0].Id}})
	if err != nil {
		t.Fatal(err)
	}
	sts, err := env.Client.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: &iid, AgentStatusTypes: []types.AgentStatusType{types.AgentStatusTypeRoutable}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: &iid, UserId: u.UserId, AgentStatusId: sts.AgentStatusSummaryList[0].Id}); err != nil {
		t.Fatal(err)
	}
	flows, err := env.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil {
		t.Fatal(err)
	}
	task, err := env.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &iid, Name: aws.String("t"), ContactFlowId: flows.ContactFlowSummaryList[0].Id})
	if err != nil {
		t.Fatal(err)
	}
	var last *events.AgentEvent
	for last == nil || len(last.CurrentAgentSnapshot.Contacts) == 0 {
		select {
		case ev := <-sub.C():
			last = ev.(*events.AgentEvent)
		case <-time.After(10 * time.Second): // a bound on a hang
			t.Fatal("no agent event with the offered contact")
		}
	}
	cur := last.CurrentAgentSnapshot
	if last.EventType != "STATE_CHANGE" || cur.AgentStatus.Name != "Available" || cur.Configuration.Username != "ada" {
		t.Fatalf("event %s status %q user %q", last.EventType, cur.AgentStatus.Name, cur.Configuration.Username)
	}
	if c := cur.Contacts[0]; c.ContactID != *task.ContactId || c.State != "CONNECTING" || c.Channel != "TASK" {
		t.Fatalf("contact in snapshot: %+v", c)
	}
	if last.PreviousAgentSnapshot == nil || len(last.PreviousAgentSnapshot.Contacts) != 0 {
		t.Fatalf("previous snapshot: %+v", last.PreviousAgentSnapshot)
	}
}

// TestNewRefusesABadWebhook: a webhook New cannot start is an error of New,
// not a server that silently delivers nothing.
func TestNewRefusesABadWebhook(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = app.New(app.Config{Store: st, Clock: clock.NewVirtual(sbtest.Start), Region: sbtest.Region, AccountID: sbtest.AccountID,
		Webhooks: []events.WebhookConfig{{URL: "ftp://example.com/hook"}}})
	if err == nil || !strings.Contains(err.Error(), "ftp://example.com/hook") {
		t.Fatalf("New with an ftp:// webhook: %v, want an error naming the URL", err)
	}
}
