package metrics_test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// The scenario every test here shares, in virtual time from sbtest.Start
// (09:00:00 UTC), one agent (ada) and the default queue:
//
//	A task  queued 09:00:00, accepted 09:00:35, ended 09:01:35, ACW to 09:02:20
//	B task  queued 09:02:20, accepted 09:02:30, ended 09:02:50, ACW to 09:02:55
//	C task  queued 09:03:00, stopped while queued 09:04:40      (abandoned, 100 s)
//	D task  queued 09:06:00, stopped while queued 09:06:50      (abandoned, 50 s)
//	E chat  queued 09:07:00, stopped while queued 09:07:20      (abandoned, 20 s)
//
// Hand-derived from it:
//
//	queued 5 (TASK 4, CHAT 1; 09:00-09:05: A B C, 09:05-09:10: D E)
//	handled 2 (A, B; both API-initiated, both ended by the agent)
//	abandoned 3; abandon time (100+50+20)/3; max queued time 100
//	queue answer time (35+10)/2 = 22.5
//	handle time ((60+45) + (20+5))/2 = 65; ACW (45+5)/2 = 25; interaction 0 (tasks)
//	removed from queue in < 30 s: B, E → SL30 = 2/5 = 40 %; < 60 s: A B D E → 80 %
type world struct {
	*sbtest.Env
	t                          *testing.T
	iid, flow, queue, rp, ada  string
	available, offline, token  string
	a, b, c, d, e, instanceArn string
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newWorld(t *testing.T) *world {
	e := sbtest.New(t, sbtest.Options{Runtime: true})
	return attach(t, e, e.Instance(t))
}

// attach finds an instance's default resources and the agent.
func attach(t *testing.T, e *sbtest.Env, iid string) *world {
	w := &world{Env: e, t: t, iid: iid, instanceArn: e.Service.InstanceARN(iid)}
	ctx := sbtest.Ctx(t)
	flows, err := e.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	must(t, err)
	w.flow = *flows.ContactFlowSummaryList[0].Id
	qs, err := e.Client.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: &iid, QueueTypes: []types.QueueType{types.QueueTypeStandard}})
	must(t, err)
	w.queue = *qs.QueueSummaryList[0].Id
	rps, err := e.Client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: &iid})
	must(t, err)
	w.rp = *rps.RoutingProfileSummaryList[0].Id
	sts, err := e.Client.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: &iid})
	must(t, err)
	for _, s := range sts.AgentStatusSummaryList {
		switch s.Type {
		case types.AgentStatusTypeRoutable:
			w.available = *s.Id
		case types.AgentStatusTypeOffline:
			w.offline = *s.Id
		}
	}
	return w
}

func (w *world) createAgent() {
	ctx := sbtest.Ctx(w.t)
	sps, err := w.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: &w.iid})
	must(w.t, err)
	out, err := w.Client.CreateUser(ctx, &connect.CreateUserInput{
		InstanceId: &w.iid, Username: aws.String("ada"), Password: aws.String("Passw0rd!"),
		IdentityInfo:     &types.UserIdentityInfo{FirstName: aws.String("Ada"), LastName: aws.String("Agent")},
		PhoneConfig:      &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
		RoutingProfileId: &w.rp, SecurityProfileIds: []string{*sps.SecurityProfileSummaryList[0].Id},
	})
	must(w.t, err)
	w.ada = *out.UserId
	status, body := w.agentAPI("POST", "/agent/v1/instances/"+w.iid+"/login", "", map[string]string{"username": "ada", "password": "Passw0rd!"})
	if status != 200 {
		w.t.Fatalf("login: %d %v", status, body)
	}
	w.token = body["token"].(string)
}

func (w *world) agentAPI(method, path, token string, body any) (int, map[string]any) {
	w.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, w.URL+path, bytes.NewReader(b))
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

func (w *world) act(contact, action string) {
	w.t.Helper()
	if status, out := w.agentAPI("POST", "/agent/v1/instances/"+w.iid+"/contacts/"+contact+"/"+action, w.token, nil); status != 204 {
		w.t.Fatalf("%s %s: %d %v", action, contact, status, out)
	}
}

func (w *world) setStatus(status string) {
	_, err := w.Client.PutUserStatus(sbtest.Ctx(w.t), &connect.PutUserStatusInput{InstanceId: &w.iid, UserId: &w.ada, AgentStatusId: &status})
	must(w.t, err)
}

func (w *world) task(name string) string {
	out, err := w.Client.StartTaskContact(sbtest.Ctx(w.t), &connect.StartTaskContactInput{InstanceId: &w.iid, ContactFlowId: &w.flow, Name: &name})
	must(w.t, err)
	return *out.ContactId
}

func (w *world) chat() string {
	out, err := w.Client.StartChatContact(sbtest.Ctx(w.t), &connect.StartChatContactInput{InstanceId: &w.iid, ContactFlowId: &w.flow,
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("customer")}})
	must(w.t, err)
	return *out.ContactId
}

func (w *world) stop(id string) {
	_, err := w.Client.StopContact(sbtest.Ctx(w.t), &connect.StopContactInput{InstanceId: &w.iid, ContactId: &id})
	must(w.t, err)
}

// advanceTo moves the virtual clock to sbtest.Start + d.
func (w *world) advanceTo(d time.Duration) {
	w.Clock.Advance(sbtest.Start.Add(d).Sub(w.Clock.Now()))
}

func sec(s int) time.Duration { return time.Duration(s) * time.Second }

// play runs the scenario and leaves the clock at 09:10:00.
func (w *world) play() {
	w.createAgent()
	w.a = w.task("A")
	w.advanceTo(sec(30))
	w.setStatus(w.available) // A is offered
	w.advanceTo(sec(35))
	w.act(w.a, "accept")
	w.advanceTo(sec(95))
	w.act(w.a, "end")
	w.advanceTo(sec(140))
	w.act(w.a, "complete")
	w.b = w.task("B") // offered at once: ada is free
	w.advanceTo(sec(150))
	w.act(w.b, "accept")
	w.advanceTo(sec(170))
	w.act(w.b, "end")
	w.advanceTo(sec(175))
	w.act(w.b, "complete")
	w.setStatus(w.offline) // the rest wait
	w.advanceTo(sec(180))
	w.c = w.task("C")
	w.advanceTo(sec(280))
	w.stop(w.c)
	w.advanceTo(sec(360))
	w.d = w.task("D")
	w.advanceTo(sec(410))
	w.stop(w.d)
	w.advanceTo(sec(420))
	w.e = w.chat()
	w.advanceTo(sec(440))
	w.stop(w.e)
	w.advanceTo(10 * time.Minute)
}

func hm(name types.HistoricalMetricName) types.HistoricalMetric {
	return types.HistoricalMetric{Name: name}
}

func sl(x float64) types.HistoricalMetric {
	return types.HistoricalMetric{Name: types.HistoricalMetricNameServiceLevel, Threshold: &types.Threshold{Comparison: types.ComparisonLt, ThresholdValue: aws.Float64(x)}}
}

// expect compares a value to its hand-derived expectation; nan means null.
func expect(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	switch {
	case math.IsNaN(want) && got != nil:
		t.Errorf("%s = %v, want null", what, *got)
	case math.IsNaN(want):
	case got == nil:
		t.Errorf("%s = null, want %v", what, want)
	case math.Abs(*got-want) > 1e-9:
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

var null = math.NaN()

func (w *world) v1(start, end time.Duration, groupings []types.Grouping, f *types.Filters, ms ...types.HistoricalMetric) *connect.GetMetricDataOutput {
	w.t.Helper()
	if f == nil {
		f = &types.Filters{Queues: []string{w.queue}}
	}
	out, err := w.Client.GetMetricData(sbtest.Ctx(w.t), &connect.GetMetricDataInput{InstanceId: &w.iid,
		StartTime: aws.Time(sbtest.Start.Add(start)), EndTime: aws.Time(sbtest.Start.Add(end)), Filters: f, Groupings: groupings, HistoricalMetrics: ms})
	must(w.t, err)
	return out
}

func TestGetMetricDataV1(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.play()
	all := []types.HistoricalMetric{
		hm("CONTACTS_QUEUED"), hm("CONTACTS_HANDLED"), hm("CONTACTS_ABANDONED"), hm("QUEUE_ANSWER_TIME"), hm("HANDLE_TIME"),
		hm("AFTER_CONTACT_WORK_TIME"), hm("INTERACTION_TIME"), hm("QUEUED_TIME"), hm("ABANDON_TIME"), sl(30), sl(60),
		hm("CONTACTS_AGENT_HUNG_UP_FIRST"), hm("API_CONTACTS_HANDLED"), hm("CONTACTS_HANDLED_INCOMING"), hm("HOLD_TIME"),
		hm("INTERACTION_AND_HOLD_TIME"), hm("CONTACTS_TRANSFERRED_OUT"), hm("CONTACTS_CONSULTED"),
	}
	want := []float64{5, 2, 3, 22.5, 65, 25, 0, 100, 170.0 / 3, 40, 80, 2, 2, 0, null, 0, 0, 0}
	out := w.v1(0, 10*time.Minute, nil, nil, all...)
	if len(out.MetricResults) != 1 {
		t.Fatalf("%d results, want 1", len(out.MetricResults))
	}
	r := out.MetricResults[0]
	if r.Dimensions != nil && r.Dimensions.Queue != nil {
		t.Errorf("no grouping, yet dimensions %+v", r.Dimensions.Queue)
	}
	for i, c := range r.Collections {
		expect(t, string(all[i].Name), c.Value, want[i])
	}
	// Units and statistics are the fixed ones.
	for i, wantUS := range map[int][2]string{0: {"COUNT", "SUM"}, 3: {"SECONDS", "AVG"}, 7: {"SECONDS", "MAX"}, 9: {"PERCENT", "AVG"}} {
		if m := r.Collections[i].Metric; string(m.Unit) != wantUS[0] || string(m.Statistic) != wantUS[1] {
			t.Errorf("%s: unit %s statistic %s, want %v", m.Name, m.Unit, m.Statistic, wantUS)
		}
	}
	if th := r.Collections[9].Metric.Threshold; th == nil || *th.ThresholdValue != 30 || th.Comparison != types.ComparisonLt {
		t.Errorf("SERVICE_LEVEL threshold not echoed: %+v", th)
	}

	// Per interval: 09:00-09:05 has A B C, 09:05-09:10 has D E.
	first := w.v1(0, 5*time.Minute, nil, nil, hm("CONTACTS_QUEUED"), hm("CONTACTS_ABANDONED"), hm("CONTACTS_HANDLED"))
	for i, v := range []float64{3, 1, 2} {
		expect(t, "first interval", first.MetricResults[0].Collections[i].Value, v)
	}
	second := w.v1(5*time.Minute, 10*time.Minute, nil, nil, hm("CONTACTS_QUEUED"), hm("CONTACTS_ABANDONED"), hm("CONTACTS_HANDLED"), hm("QUEUE_ANSWER_TIME"))
	for i, v := range []float64{2, 2, 0, null} {
		expect(t, "second interval", second.MetricResults[0].Collections[i].Value, v)
	}
	// A range with no contacts answers no rows.
	if out := w.v1(-time.Hour, -55*time.Minute, nil, nil, hm("CONTACTS_QUEUED")); len(out.MetricResults) != 0 {
		t.Errorf("empty range: %d results", len(out.MetricResults))
	}

	// Grouped by QUEUE and CHANNEL: TASK 4 queued / 2 abandoned, CHAT 1 / 1.
	g := w.v1(0, 10*time.Minute, []types.Grouping{types.GroupingQueue, types.GroupingChannel}, nil, hm("CONTACTS_QUEUED"), hm("CONTACTS_ABANDONED"))
	if len(g.MetricResults) != 2 {
		t.Fatalf("grouped: %d results", len(g.MetricResults))
	}
	byChannel := map[types.Channel][2]float64{"CHAT": {1, 1}, "TASK": {4, 2}}
	for _, r := range g.MetricResults {
		d := r.Dimensions
		if d.Queue == nil || *d.Queue.Id != w.queue || *d.Queue.Arn != w.Service.ResourceARN(w.iid, "queue", w.queue) {
			t.Errorf("queue dimension %+v", d.Queue)
		}
		wv := byChannel[d.Channel]
		expect(t, string(d.Channel)+" queued", r.Collections[0].Value, wv[0])
		expect(t, string(d.Channel)+" abandoned", r.Collections[1].Value, wv[1])
	}
	// Channels filter (queue given by ARN).
	arn := w.Service.ResourceARN(w.iid, "queue", w.queue)
	f := w.v1(0, 10*time.Minute, nil, &types.Filters{Queues: []string{arn}, Channels: []types.Channel{types.ChannelChat}}, hm("CONTACTS_QUEUED"))
	expect(t, "CHAT only", f.MetricResults[0].Collections[0].Value, 1)
	// An unknown queue has no data.
	if out := w.v1(0, 10*time.Minute, nil, &types.Filters{Queues: []string{"nope"}}, hm("CONTACTS_QUEUED")); len(out.MetricResults) != 0 {
		t.Errorf("unknown queue: %d results", len(out.MetricResults))
	}

	// Pagination: one row per page, the token continues.
	p1, err := w.Client.GetMetricData(sbtest.Ctx(t), &connect.GetMetricDataInput{InstanceId: &w.iid, MaxResults: aws.Int32(1),
		StartTime: aws.Time(sbtest.Start), EndTime: aws.Time(sbtest.Start.Add(10 * time.Minute)), Filters: &types.Filters{Queues: []string{w.queue}},
		Groupings: []types.Grouping{types.GroupingChannel}, HistoricalMetrics: []types.HistoricalMetric{hm("CONTACTS_QUEUED")}})
	must(t, err)
	if len(p1.MetricResults) != 1 || p1.NextToken == nil || p1.MetricResults[0].Dimensions.Channel != "CHAT" {
		t.Fatalf("page 1: %+v", p1)
	}
	p2, err := w.Client.GetMetricData(sbtest.Ctx(t), &connect.GetMetricDataInput{InstanceId: &w.iid, MaxResults: aws.Int32(1), NextToken: p1.NextToken,
		StartTime: aws.Time(sbtest.Start), EndTime: aws.Time(sbtest.Start.Add(10 * time.Minute)), Filters: &types.Filters{Queues: []string{w.queue}},
		Groupings: []types.Grouping{types.GroupingChannel}, HistoricalMetrics: []types.HistoricalMetric{hm("CONTACTS_QUEUED")}})
	must(t, err)
	if len(p2.MetricResults) != 1 || p2.NextToken != nil || p2.MetricResults[0].Dimensions.Channel != "TASK" {
		t.Fatalf("page 2: %+v", p2)
	}
	// The token with other parameters is refused.
	_, err = w.Raw.GetMetricData(sbtest.Ctx(t), &connect.GetMetricDataInput{InstanceId: &w.iid, NextToken: p1.NextToken,
		StartTime: aws.Time(sbtest.Start), EndTime: aws.Time(sbtest.Start.Add(5 * time.Minute)), Filters: &types.Filters{Queues: []string{w.queue}},
		HistoricalMetrics: []types.HistoricalMetric{hm("CONTACTS_QUEUED")}})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
}

func TestGetMetricDataV1Validation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.advanceTo(10 * time.Minute)
	q := &types.Filters{Queues: []string{w.queue}}
	base := func() *connect.GetMetricDataInput {
		return &connect.GetMetricDataInput{InstanceId: &w.iid, StartTime: aws.Time(sbtest.Start), EndTime: aws.Time(sbtest.Start.Add(5 * time.Minute)),
			Filters: q, HistoricalMetrics: []types.HistoricalMetric{hm("CONTACTS_QUEUED")}}
	}
	cases := []struct {
		name   string
		mod    func(in *connect.GetMetricDataInput)
		code   string
		status int
	}{
		{"start off boundary", func(in *connect.GetMetricDataInput) { in.StartTime = aws.Time(sbtest.Start.Add(time.Minute)) }, "InvalidParameterException", 400},
		{"end with seconds", func(in *connect.GetMetricDataInput) {
			in.EndTime = aws.Time(sbtest.Start.Add(5*time.Minute + time.Second))
		}, "InvalidParameterException", 400},
		{"end before start", func(in *connect.GetMetricDataInput) { in.EndTime = aws.Time(sbtest.Start.Add(-5 * time.Minute)) }, "InvalidParameterException", 400},
		{"end equals start", func(in *connect.GetMetricDataInput) { in.EndTime = in.StartTime }, "InvalidParameterException", 400},
		{"span of 24 hours", func(in *connect.GetMetricDataInput) {
			in.StartTime, in.EndTime = aws.Time(sbtest.Start.Add(-20*time.Hour)), aws.Time(sbtest.Start.Add(4*time.Hour))
		}, "InvalidParameterException", 400},
		{"older than 24 hours", func(in *connect.GetMetricDataInput) {
			in.StartTime, in.EndTime = aws.Time(sbtest.Start.Add(-24*time.Hour)), aws.Time(sbtest.Start.Add(-23*time.Hour))
		}, "InvalidParameterException", 400},
		{"no queues", func(in *connect.GetMetricDataInput) { in.Filters = &types.Filters{Channels: []types.Channel{"VOICE"}} }, "InvalidParameterException", 400},
		{"routing profiles", func(in *connect.GetMetricDataInput) {
			in.Filters = &types.Filters{Queues: q.Queues, RoutingProfiles: []string{w.rp}}
		}, "InvalidParameterException", 400},
		{"email channel", func(in *connect.GetMetricDataInput) {
			in.Filters = &types.Filters{Queues: q.Queues, Channels: []types.Channel{"EMAIL"}}
		}, "InvalidParameterException", 400},
		{"grouping by routing profile", func(in *connect.GetMetricDataInput) { in.Groupings = []types.Grouping{"ROUTING_PROFILE"} }, "InvalidParameterException", 400},
		{"grouping by step expression", func(in *connect.GetMetricDataInput) { in.Groupings = []types.Grouping{"ROUTING_STEP_EXPRESSION"} }, "InvalidParameterException", 400},
		{"unknown metric", func(in *connect.GetMetricDataInput) { in.HistoricalMetrics = []types.HistoricalMetric{hm("NOPE")} }, "InvalidParameterException", 400},
		{"wrong unit", func(in *connect.GetMetricDataInput) {
			in.HistoricalMetrics = []types.HistoricalMetric{{Name: "HANDLE_TIME", Unit: "COUNT"}}
		}, "InvalidParameterException", 400},
		{"wrong statistic", func(in *connect.GetMetricDataInput) {
			in.HistoricalMetrics = []types.HistoricalMetric{{Name: "QUEUED_TIME", Statistic: "AVG"}}
		}, "InvalidParameterException", 400},
		{"service level without threshold", func(in *connect.GetMetricDataInput) {
			in.HistoricalMetrics = []types.HistoricalMetric{hm("SERVICE_LEVEL")}
		}, "InvalidParameterException", 400},
		{"service level threshold 0", func(in *connect.GetMetricDataInput) { in.HistoricalMetrics = []types.HistoricalMetric{sl(0)} }, "InvalidParameterException", 400},
		{"service level threshold over 7 days", func(in *connect.GetMetricDataInput) { in.HistoricalMetrics = []types.HistoricalMetric{sl(604801)} }, "InvalidParameterException", 400},
		{"service level threshold fraction", func(in *connect.GetMetricDataInput) { in.HistoricalMetrics = []types.HistoricalMetric{sl(1.5)} }, "InvalidParameterException", 400},
		{"service level comparison", func(in *connect.GetMetricDataInput) {
			in.HistoricalMetrics = []types.HistoricalMetric{{Name: "SERVICE_LEVEL", Threshold: &types.Threshold{Comparison: "GT", ThresholdValue: aws.Float64(20)}}}
		}, "InvalidParameterException", 400},
		{"threshold on another metric", func(in *connect.GetMetricDataInput) {
			in.HistoricalMetrics = []types.HistoricalMetric{{Name: "CONTACTS_QUEUED", Threshold: &types.Threshold{Comparison: "LT", ThresholdValue: aws.Float64(20)}}}
		}, "InvalidParameterException", 400},
		{"21 service levels", func(in *connect.GetMetricDataInput) {
			in.HistoricalMetrics = nil
			for i := range 21 {
				in.HistoricalMetrics = append(in.HistoricalMetrics, sl(float64(i+1)))
			}
		}, "InvalidParameterException", 400},
		{"bad token", func(in *connect.GetMetricDataInput) { in.NextToken = aws.String("garbage") }, "InvalidParameterException", 400},
		{"unknown instance", func(in *connect.GetMetricDataInput) {
			in.InstanceId = aws.String("00000000-0000-0000-0000-000000000000")
		}, "ResourceNotFoundException", 404},
	}
	for _, c := range cases {
		in := base()
		c.mod(in)
		_, err := w.Raw.GetMetricData(sbtest.Ctx(t), in)
		t.Run(c.name, func(t *testing.T) { sbtest.APIError(t, err, c.code, c.status) })
	}
	// The limits themselves are accepted: 20 service levels at 1 and
	// 604,800 s, a span of 23:55 starting exactly 24 hours ago.
	in := base()
	in.HistoricalMetrics = []types.HistoricalMetric{sl(1), sl(604800)}
	for i := range 18 {
		in.HistoricalMetrics = append(in.HistoricalMetrics, sl(float64(i+2)))
	}
	in.StartTime, in.EndTime = aws.Time(w.Clock.Now().Add(-24*time.Hour)), aws.Time(w.Clock.Now().Add(-5*time.Minute))
	_, err := w.Raw.GetMetricData(sbtest.Ctx(t), in)
	must(t, err)
}
