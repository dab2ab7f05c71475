package observe_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
	"github.com/switchboard-cc/switchboard/observe"
	"github.com/switchboard-cc/switchboard/store/sqlite"
)

// server is an app with the Prometheus instruments on, as serve
// --metrics-addr assembles it (sbtest has no such option).
type server struct {
	api, metrics *httptest.Server
	client       *connect.Client
	// streamEnded receives when a request to the agent stream endpoint
	// has returned, and with it the gauge's decrement: the server notices
	// a client's close on its own time, which a test waits for here
	// rather than polling.
	streamEnded chan struct{}
}

func newServer(t *testing.T) *server {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	prom := observe.New()
	a, err := app.New(app.Config{Store: st, Clock: clock.NewVirtual(sbtest.Start), Region: sbtest.Region, AccountID: sbtest.AccountID,
		Credentials: []sigv4.Credentials{{AccessKeyID: sbtest.AccessKeyID, SecretAccessKey: sbtest.SecretAccessKey}}, Prometheus: prom})
	if err != nil {
		t.Fatal(err)
	}
	h := a.Handler()
	s := &server{streamEnded: make(chan struct{}, 8), metrics: httptest.NewServer(prom.Handler(sbtest.AccessKeyID, sbtest.SecretAccessKey))}
	s.api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.URL.Path == "/agent/v1/stream" {
			s.streamEnded <- struct{}{}
		}
	}))
	t.Cleanup(func() {
		a.Close()
		s.api.Close()
		s.metrics.Close()
		_ = st.Close()
	})
	s.client = connect.New(connect.Options{Region: sbtest.Region, BaseEndpoint: aws.String(s.api.URL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(sbtest.AccessKeyID, sbtest.SecretAccessKey, "")})
	return s
}

// scrape returns the metrics page's sample lines by series.
func (s *server) scrape(t *testing.T) map[string]string {
	t.Helper()
	req, _ := http.NewRequest("GET", s.metrics.URL, nil)
	req.SetBasicAuth(sbtest.AccessKeyID, sbtest.SecretAccessKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("scrape: %d", resp.StatusCode)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		out[line[:i]] = line[i+1:]
	}
	return out
}

func TestMetricsAuth(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for name, set := range map[string]func(*http.Request){
		"none":         func(*http.Request) {},
		"wrong secret": func(r *http.Request) { r.SetBasicAuth(sbtest.AccessKeyID, "nope") },
		"wrong user":   func(r *http.Request) { r.SetBasicAuth("AKIAOTHER", sbtest.SecretAccessKey) },
		"bearer":       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+sbtest.SecretAccessKey) },
	} {
		req, _ := http.NewRequest("GET", s.metrics.URL, nil)
		set(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" || bytes.Contains(b, []byte("switchboard_")) {
			t.Errorf("%s: %d %q", name, resp.StatusCode, b)
		}
	}
}

// TestMetricsMove: SDK calls move the request counters and histograms, the
// store's, and the runtime's gauges; an agent's SSE stream counts while
// open.
func TestMetricsMove(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	before := s.scrape(t)
	if before[`switchboard_agent_streams{transport="sse"}`] != "0" || before["process_open_fds"] == "" && before["go_goroutines"] == "" {
		t.Fatalf("initial page lacks stream or process series: %v", before)
	}
	ctx := sbtest.Ctx(t)
	inst, err := s.client.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: "CONNECT_MANAGED", InstanceAlias: aws.String("metrics"),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	iid := *inst.Id
	qs, err := s.client.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: &iid, QueueTypes: []types.QueueType{types.QueueTypeStandard}})
	if err != nil {
		t.Fatal(err)
	}
	queue := *qs.QueueSummaryList[0].Id
	if _, err := s.client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: &iid, QueueId: aws.String("missing")}); err == nil {
		t.Fatal("DescribeQueue of a missing queue succeeded")
	}
	flows, err := s.client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil {
		t.Fatal(err)
	}
	// No agent is available: the task waits in BasicQueue.
	if _, err := s.client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &iid, ContactFlowId: flows.ContactFlowSummaryList[0].Id, Name: aws.String("wait")}); err != nil {
		t.Fatal(err)
	}
	rps, _ := s.client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: &iid})
	sps, _ := s.client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: &iid})
	if _, err := s.client.CreateUser(ctx, &connect.CreateUserInput{InstanceId: &iid, Username: aws.String("ada"), Password: aws.String("Passw0rd!"),
		IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("Ada"), LastName: aws.String("A")},
		PhoneConfig:  &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone}, RoutingProfileId: rps.RoutingProfileSummaryList[0].Id,
		SecurityProfileIds: []string{*sps.SecurityProfileSummaryList[0].Id}}); err != nil {
		t.Fatal(err)
	}
	token := login(t, s.api.URL, iid)
	stream := openSSE(t, s.api.URL, token)

	m := s.scrape(t)
	for series, want := range map[string]string{
		`switchboard_api_requests_total{operation="CreateInstance",status="200"}`:                                                "1",
		`switchboard_api_requests_total{operation="ListQueues",status="200"}`:                                                    "1",
		`switchboard_api_requests_total{operation="DescribeQueue",status="404"}`:                                                 "1",
		`switchboard_api_request_duration_seconds_count{operation="CreateInstance"}`:                                             "1",
		`switchboard_queue_contacts{instance_id="` + iid + `",queue_id="` + queue + `",queue_name="BasicQueue",state="waiting"}`: "1",
		`switchboard_queue_contacts{instance_id="` + iid + `",queue_id="` + queue + `",queue_name="BasicQueue",state="offered"}`: "0",
		`switchboard_agents{instance_id="` + iid + `",status_type="OFFLINE"}`:                                                    "1",
		`switchboard_agents{instance_id="` + iid + `",status_type="ROUTABLE"}`:                                                   "0",
		`switchboard_agent_streams{transport="sse"}`:                                                                             "1",
	} {
		if m[series] != want {
			t.Errorf("%s = %q, want %s", series, m[series], want)
		}
	}
	for _, series := range []string{"switchboard_store_group_commit_updates_total", "switchboard_store_group_commit_commits_total",
		"switchboard_store_writer_busy_seconds_total", "switchboard_store_writer_commit_seconds_total",
		"switchboard_store_commit_duration_seconds_count", "switchboard_store_idempotency_tokens_in_memory",
		`switchboard_store_transaction_duration_seconds_count{kind="update"}`, `switchboard_store_transaction_duration_seconds_count{kind="view"}`} {
		if v := m[series]; v == "" || v == "0" {
			t.Errorf("%s = %q, want it moved", series, v)
		}
	}
	if m[`switchboard_queue_oldest_contact_enqueued_timestamp_seconds{instance_id="`+iid+`",queue_id="`+queue+`",queue_name="BasicQueue"}`] == "" {
		t.Error("no oldest-contact series for the waiting task")
	}

	stream.Close()
	select {
	case <-s.streamEnded:
	case <-time.After(10 * time.Second): // a bound on a hang, not a wait
		t.Fatal("the server never noticed the stream's close")
	}
	if got := s.scrape(t)[`switchboard_agent_streams{transport="sse"}`]; got != "0" {
		t.Fatalf("closed stream still counted: %s", got)
	}
	// A scrape does not count as an API request.
	if got := s.scrape(t)[`switchboard_api_requests_total{operation="ListQueues",status="200"}`]; got != "1" {
		t.Fatalf("ListQueues count %s after scrapes", got)
	}
}

func login(t *testing.T, base, iid string) string {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"username": "ada", "password": "Passw0rd!"})
	resp, err := http.Post(base+"/agent/v1/instances/"+iid+"/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
		t.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	return out.Token
}

// openSSE opens the agent stream as Server-Sent Events and waits for its
// first event.
func openSSE(t *testing.T, base, token string) io.Closer {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/agent/v1/stream", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("stream: %d", resp.StatusCode)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "id:") {
		t.Fatalf("first stream line %q, %v", line, err)
	}
	return resp.Body
}
