package contactrecords_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/awsapi"
	"github.com/switchboard-cc/switchboard/contactrecords"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// center is an instance with an agent, driven through the SDK and the
// agent API in virtual time as center/center_test.go does.
type center struct {
	*sbtest.Env
	t                         *testing.T
	iid, flow, queue          string
	rp, agt, available, token string
	ada                       string
}

func newCenter(t *testing.T) *center {
	t.Helper()
	e := sbtest.New(t, sbtest.Options{Runtime: true})
	c := &center{Env: e, t: t, iid: e.Instance(t)}
	ctx := sbtest.Ctx(t)
	flows, err := e.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &c.iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	must(t, err)
	c.flow = *flows.ContactFlowSummaryList[0].Id
	qs, err := e.Client.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: &c.iid, QueueTypes: []types.QueueType{types.QueueTypeStandard}})
	must(t, err)
	c.queue = *qs.QueueSummaryList[0].Id
	rps, err := e.Client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: &c.iid})
	must(t, err)
	c.rp = *rps.RoutingProfileSummaryList[0].Id
	sps, err := e.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: &c.iid})
	must(t, err)
	c.agt = *sps.SecurityProfileSummaryList[0].Id
	sts, err := e.Client.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: &c.iid})
	must(t, err)
	for _, s := range sts.AgentStatusSummaryList {
		if s.Type == types.AgentStatusTypeRoutable {
			c.available = *s.Id
		}
	}
	u, err := e.Client.CreateUser(ctx, &connect.CreateUserInput{
		InstanceId: &c.iid, Username: aws.String("ada"), Password: aws.String("Passw0rd!"),
		IdentityInfo:     &types.UserIdentityInfo{FirstName: aws.String("Ada"), LastName: aws.String("Agent")},
		PhoneConfig:      &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
		RoutingProfileId: &c.rp, SecurityProfileIds: []string{c.agt},
	})
	must(t, err)
	c.ada = *u.UserId
	status, out := c.agentAPI("POST", "/agent/v1/instances/"+c.iid+"/login", map[string]string{"username": "ada", "password": "Passw0rd!"})
	if status != 200 {
		t.Fatalf("login: %d %v", status, out)
	}
	c.token = out["token"].(string)
	return c
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (c *center) agentAPI(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.URL+path, rd)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(c.t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (c *center) act(contact, action string) {
	c.t.Helper()
	if status, out := c.agentAPI("POST", "/agent/v1/instances/"+c.iid+"/contacts/"+contact+"/"+action, nil); status != 204 {
		c.t.Fatalf("%s %s: %d %v", action, contact, status, out)
	}
}

func (c *center) task(name string) string {
	out, err := c.Client.StartTaskContact(sbtest.Ctx(c.t), &connect.StartTaskContactInput{InstanceId: &c.iid, ContactFlowId: &c.flow, Name: &name})
	must(c.t, err)
	return *out.ContactId
}

// signedGet calls a Switchboard admin endpoint with the test credentials.
func signedGet(t *testing.T, u string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	must(t, err)
	sum := sha256.Sum256(nil)
	creds := aws.Credentials{AccessKeyID: sbtest.AccessKeyID, SecretAccessKey: sbtest.SecretAccessKey}
	must(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "connect", sbtest.Region, time.Now()))
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	return resp
}

func exportURL(c *center, from, to time.Time) string {
	return c.URL + awsapi.InstancesPath + c.iid + awsapi.ContactRecordsSuffix + "?" +
		url.Values{"from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}}.Encode()
}

// readRecords reads an export's body and checks its trailer.
func readRecords(t *testing.T, resp *http.Response) []contactrecords.Record {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != awsapi.ContactRecordsContentType {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("export: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	var out []contactrecords.Record
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r contactrecords.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d is not a record: %v: %s", len(out)+1, err, sc.Bytes())
		}
		out = append(out, r)
	}
	must(t, sc.Err())
	if got := resp.Trailer.Get(awsapi.RecordCountTrailer); got != itoa(len(out)) {
		t.Fatalf("trailer %s = %q, read %d records", awsapi.RecordCountTrailer, got, len(out))
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// scenario drives three tasks: handled is accepted, worked for a minute and
// wrapped up in 30 s; abandoned is stopped while offered; open is still with
// the agent. It returns their IDs.
func (c *center) scenario() (handled, abandoned, open string) {
	ctx := sbtest.Ctx(c.t)
	_, err := c.Client.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: &c.iid, UserId: &c.ada, AgentStatusId: &c.available})
	must(c.t, err)
	handled = c.task("handled") // offered to ada at once
	_, err = c.Client.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: &c.iid, InitialContactId: &handled,
		Attributes: map[string]string{"tier": "gold"}})
	must(c.t, err)
	c.Clock.Advance(5 * time.Second)
	c.act(handled, "accept")
	c.Clock.Advance(time.Minute)
	c.act(handled, "end")
	c.Clock.Advance(30 * time.Second)
	c.act(handled, "complete")

	abandoned = c.task("abandoned")
	c.Clock.Advance(10 * time.Second)
	_, err = c.Client.StopContact(ctx, &connect.StopContactInput{InstanceId: &c.iid, ContactId: &abandoned})
	must(c.t, err)

	open = c.task("open")
	c.Clock.Advance(time.Second)
	c.act(open, "accept")
	c.Clock.Advance(time.Minute)
	return handled, abandoned, open
}

// TestExportEndpoint: completed contacts come out as records, in disconnect
// order, with what the runtime recorded; a contact still with its agent
// does not.
func TestExportEndpoint(t *testing.T) {
	t.Parallel()
	c := newCenter(t)
	handled, abandoned, _ := c.scenario()

	recs := readRecords(t, signedGet(t, exportURL(c, sbtest.Start, sbtest.Start.Add(time.Hour))))
	if len(recs) != 2 || recs[0].ContactID != handled || recs[1].ContactID != abandoned {
		t.Fatalf("exported %d records %+v, want %s then %s", len(recs), recs, handled, abandoned)
	}
	h := recs[0]
	iarn := "arn:aws:connect:" + sbtest.Region + ":" + sbtest.AccountID + ":instance/" + c.iid
	at := func(d time.Duration) string { return sbtest.Start.Add(d).Format(contactrecords.TimestampLayout) }
	if h.AWSAccountID != sbtest.AccountID || h.InstanceARN != iarn || h.Channel != "TASK" || h.InitiationMethod != "API" ||
		h.Attributes["tier"] != "gold" || *h.InitiationTimestamp != at(0) || *h.DisconnectTimestamp != at(65*time.Second) ||
		h.DisconnectReason == nil || *h.DisconnectReason != "AGENT_DISCONNECT" {
		t.Fatalf("handled record: %+v", h)
	}
	if q := h.Queue; q == nil || q.ARN != iarn+"/queue/"+c.queue || q.Name == nil || *q.Name != "BasicQueue" ||
		*q.EnqueueTimestamp != at(0) || *q.DequeueTimestamp != at(5*time.Second) || q.Duration != 5 {
		t.Fatalf("handled queue section: %+v", q)
	}
	if a := h.Agent; a == nil || a.ARN != iarn+"/agent/"+c.ada || a.Username == nil || *a.Username != "ada" ||
		*a.ConnectedToAgentTimestamp != at(5*time.Second) || a.AgentInteractionDuration != 60 ||
		*a.AfterContactWorkStartTimestamp != at(65*time.Second) || *a.AfterContactWorkEndTimestamp != at(95*time.Second) ||
		a.AfterContactWorkDuration == nil || *a.AfterContactWorkDuration != 30 {
		t.Fatalf("handled agent section: %+v", a)
	}
	if ab := recs[1]; ab.Agent != nil || ab.Queue == nil || ab.Queue.Duration != 10 || *ab.DisconnectTimestamp != at(105*time.Second) {
		t.Fatalf("abandoned record: agent %+v queue %+v", ab.Agent, ab.Queue)
	}

	// The range is on the disconnect time, end exclusive.
	if recs := readRecords(t, signedGet(t, exportURL(c, sbtest.Start, sbtest.Start.Add(65*time.Second)))); len(recs) != 0 {
		t.Fatalf("range ending at the disconnect exported %+v", recs)
	}
	if recs := readRecords(t, signedGet(t, exportURL(c, sbtest.Start.Add(100*time.Second), sbtest.Start.Add(time.Hour)))); len(recs) != 1 || recs[0].ContactID != abandoned {
		t.Fatalf("later range exported %+v", recs)
	}
}

func TestExportEndpointErrors(t *testing.T) {
	t.Parallel()
	e := sbtest.New(t)
	iid := e.Instance(t)
	base := e.URL + awsapi.InstancesPath
	for name, tc := range map[string]struct {
		url, errType string
		status       int
	}{
		"missing to":       {base + iid + "/contact-records?from=2026-03-02T09:00:00Z", "InvalidParameterException", 400},
		"reversed":         {base + iid + "/contact-records?from=2026-03-02T09:00:00Z&to=2026-03-01T09:00:00Z", "InvalidParameterException", 400},
		"unknown instance": {base + "nope/contact-records?from=2026-03-02T09:00:00Z&to=2026-03-03T09:00:00Z", "ResourceNotFoundException", 404},
	} {
		resp := signedGet(t, tc.url)
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("X-Amzn-ErrorType") != tc.errType {
			t.Errorf("%s: %d %s, want %d %s", name, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), tc.status, tc.errType)
		}
	}
	resp, err := http.Get(base + iid + "/contact-records?from=2026-03-02T09:00:00Z&to=2026-03-03T09:00:00Z")
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unsigned export: %d, want 403", resp.StatusCode)
	}
}

// TestExportPages: an export pages through the store and the pages join
// up, whatever the page size.
func TestExportPages(t *testing.T) {
	t.Parallel()
	c := newCenter(t)
	handled, abandoned, _ := c.scenario()
	st := c.Store()
	for _, size := range []int{1, 2, 3, 500} {
		ex := &contactrecords.Exporter{Store: st, Service: c.Service, PageSize: size}
		var got []string
		n, err := ex.Export(sbtest.Ctx(t), contactrecords.Query{InstanceID: c.iid, From: sbtest.Start, To: sbtest.Start.Add(time.Hour)},
			func(r *contactrecords.Record) error { got = append(got, r.ContactID); return nil })
		must(t, err)
		if n != 2 || len(got) != 2 || got[0] != handled || got[1] != abandoned {
			t.Fatalf("page size %d: %d records %v", size, n, got)
		}
	}
}
