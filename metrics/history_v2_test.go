package metrics_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func m2(name string) types.MetricV2 { return types.MetricV2{Name: aws.String(name)} }

func m2th(name, cmp string, x float64) types.MetricV2 {
	return types.MetricV2{Name: aws.String(name), Threshold: []types.ThresholdV2{{Comparison: aws.String(cmp), ThresholdValue: aws.Float64(x)}}}
}

func (w *world) v2in(start, end time.Duration, iv *types.IntervalDetails, groupings []string, ms ...types.MetricV2) *connect.GetMetricDataV2Input {
	return &connect.GetMetricDataV2Input{ResourceArn: &w.instanceArn, StartTime: aws.Time(sbtest.Start.Add(start)), EndTime: aws.Time(sbtest.Start.Add(end)),
		Interval: iv, Groupings: groupings, Metrics: ms,
		Filters: []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{w.queue}}}}
}

func (w *world) v2(in *connect.GetMetricDataV2Input) *connect.GetMetricDataV2Output {
	w.t.Helper()
	out, err := w.Client.GetMetricDataV2(sbtest.Ctx(w.t), in)
	must(w.t, err)
	return out
}

func TestGetMetricDataV2(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.play()
	all := []types.MetricV2{
		m2("CONTACTS_CREATED"), m2("CONTACTS_HANDLED"), m2("CONTACTS_ABANDONED"), m2("CONTACTS_QUEUED"), m2("AVG_HANDLE_TIME"),
		m2("AVG_HOLD_TIME"), m2("AVG_AFTER_CONTACT_WORK_TIME"), m2("AVG_QUEUE_ANSWER_TIME"), m2("AVG_INTERACTION_TIME"),
		m2th("SERVICE_LEVEL", "LT", 30), m2th("SERVICE_LEVEL", "LTE", 35), m2("ABANDONMENT_RATE"), m2("MAX_QUEUED_TIME"),
		m2th("SUM_CONTACTS_ANSWERED_IN_X", "LT", 30), m2th("SUM_CONTACTS_ABANDONED_IN_X", "LT", 60), m2("AVG_ABANDON_TIME"),
	}
	// CREATED 5 (all were created with their queue known at first
	// queueing); SL LTE 35: A (35 exactly) B E of 5 = 60; abandonment 3/5 = 60;
	// answered < 30: B; abandoned < 60: D E.
	want := []float64{5, 2, 3, 5, 65, 0, 25, 22.5, 0, 40, 60, 60, 100, 1, 2, 170.0 / 3}
	out := w.v2(w.v2in(0, 10*time.Minute, nil, nil, all...))
	if len(out.MetricResults) != 1 {
		t.Fatalf("%d results", len(out.MetricResults))
	}
	r := out.MetricResults[0]
	if r.MetricInterval == nil || r.MetricInterval.Interval != "TOTAL" || !r.MetricInterval.StartTime.Equal(sbtest.Start) || !r.MetricInterval.EndTime.Equal(sbtest.Start.Add(10*time.Minute)) {
		t.Errorf("interval %+v", r.MetricInterval)
	}
	for i, c := range r.Collections {
		expect(t, aws.ToString(all[i].Name), c.Value, want[i])
	}

	// FIFTEEN_MIN over 08:45-09:10: two rows per dimension set, the empty
	// interval with zero counts and null averages.
	iv := w.v2(w.v2in(-15*time.Minute, 10*time.Minute, &types.IntervalDetails{IntervalPeriod: "FIFTEEN_MIN"}, nil, m2("CONTACTS_QUEUED"), m2("AVG_QUEUE_ANSWER_TIME")))
	if len(iv.MetricResults) != 2 {
		t.Fatalf("FIFTEEN_MIN: %d rows", len(iv.MetricResults))
	}
	expect(t, "08:45 queued", iv.MetricResults[0].Collections[0].Value, 0)
	expect(t, "08:45 answer time", iv.MetricResults[0].Collections[1].Value, null)
	expect(t, "09:00 queued", iv.MetricResults[1].Collections[0].Value, 5)
	if s := iv.MetricResults[1].MetricInterval; !s.StartTime.Equal(sbtest.Start) || !s.EndTime.Equal(sbtest.Start.Add(10*time.Minute)) {
		t.Errorf("second interval clipped to the range: %v-%v", s.StartTime, s.EndTime)
	}
	// DAY in Los Angeles (UTC-8): local midnight is 08:00 UTC, so 07:00-09:10
	// UTC is two local days; in UTC it is one.
	la := w.v2(w.v2in(-2*time.Hour, 10*time.Minute, &types.IntervalDetails{IntervalPeriod: "DAY", TimeZone: aws.String("America/Los_Angeles")}, nil, m2("CONTACTS_QUEUED")))
	if len(la.MetricResults) != 2 || !la.MetricResults[1].MetricInterval.StartTime.Equal(sbtest.Start.Add(-time.Hour)) {
		t.Fatalf("DAY in Los Angeles: %+v", la.MetricResults)
	}
	expect(t, "LA day 1", la.MetricResults[0].Collections[0].Value, 0)
	expect(t, "LA day 2", la.MetricResults[1].Collections[0].Value, 5)
	utc := w.v2(w.v2in(-2*time.Hour, 10*time.Minute, &types.IntervalDetails{IntervalPeriod: "DAY"}, nil, m2("CONTACTS_QUEUED")))
	if len(utc.MetricResults) != 1 {
		t.Fatalf("DAY in UTC: %d rows", len(utc.MetricResults))
	}
	// HOUR in Kathmandu (UTC+5:45): hours start at :15 UTC.
	ktm := w.v2(w.v2in(0, 10*time.Minute, &types.IntervalDetails{IntervalPeriod: "HOUR", TimeZone: aws.String("Asia/Kathmandu")}, nil, m2("CONTACTS_QUEUED")))
	if len(ktm.MetricResults) != 1 || !ktm.MetricResults[0].MetricInterval.EndTime.Equal(sbtest.Start.Add(10*time.Minute)) {
		t.Fatalf("HOUR in Kathmandu: %+v", ktm.MetricResults)
	}

	// Grouped by CHANNEL; filtered by CHANNEL; by AGENT and ROUTING_PROFILE.
	g := w.v2(w.v2in(0, 10*time.Minute, nil, []string{"CHANNEL"}, m2("CONTACTS_QUEUED")))
	if len(g.MetricResults) != 2 || g.MetricResults[0].Dimensions["CHANNEL"] != "CHAT" || g.MetricResults[1].Dimensions["CHANNEL"] != "TASK" {
		t.Fatalf("by channel: %+v", g.MetricResults)
	}
	expect(t, "CHAT", g.MetricResults[0].Collections[0].Value, 1)
	expect(t, "TASK", g.MetricResults[1].Collections[0].Value, 4)
	in := w.v2in(0, 10*time.Minute, nil, nil, m2("CONTACTS_ABANDONED"))
	in.Filters = append(in.Filters, types.FilterV2{FilterKey: aws.String("CHANNEL"), FilterValues: []string{"TASK"}})
	expect(t, "TASK abandoned", w.v2(in).MetricResults[0].Collections[0].Value, 2)
	in = w.v2in(0, 10*time.Minute, nil, []string{"AGENT", "ROUTING_PROFILE"}, m2("CONTACTS_HANDLED"), m2("AVG_HANDLE_TIME"))
	in.Filters = []types.FilterV2{{FilterKey: aws.String("AGENT"), FilterValues: []string{w.ada}}}
	ag := w.v2(in)
	if len(ag.MetricResults) != 1 || ag.MetricResults[0].Dimensions["AGENT"] != w.ada || ag.MetricResults[0].Dimensions["ROUTING_PROFILE"] != w.rp {
		t.Fatalf("by agent: %+v", ag.MetricResults)
	}
	expect(t, "ada handled", ag.MetricResults[0].Collections[0].Value, 2)
	expect(t, "ada handle time", ag.MetricResults[0].Collections[1].Value, 65)
	in.Filters = []types.FilterV2{{FilterKey: aws.String("ROUTING_PROFILE"), FilterValues: []string{w.rp}}}
	in.Groupings = nil
	expect(t, "profile handled", w.v2(in).MetricResults[0].Collections[0].Value, 2)
	// MetricFilters: handled by initiation method.
	in = w.v2in(0, 10*time.Minute, nil, nil,
		types.MetricV2{Name: aws.String("CONTACTS_HANDLED"), MetricFilters: []types.MetricFilterV2{{MetricFilterKey: aws.String("INITIATION_METHOD"), MetricFilterValues: []string{"API"}}}},
		types.MetricV2{Name: aws.String("CONTACTS_HANDLED"), MetricFilters: []types.MetricFilterV2{{MetricFilterKey: aws.String("INITIATION_METHOD"), MetricFilterValues: []string{"API"}, Negate: true}}})
	mf := w.v2(in).MetricResults[0]
	expect(t, "handled API", mf.Collections[0].Value, 2)
	expect(t, "handled not API", mf.Collections[1].Value, 0)

	// AGENT_OCCUPANCY from agent status and contacts: ada was available
	// from 09:00:30 to 09:02:55. On a contact (offer accepted to ACW end):
	// 09:00:35-09:02:20 and 09:02:30-09:02:55 = 105+25 = 130 s; idle
	// (available, nothing held): 09:00:30-35 and 09:02:20-30 (B offered,
	// not yet accepted) = 15 s → 130/145.
	in = w.v2in(0, 10*time.Minute, nil, nil, m2("AGENT_OCCUPANCY"))
	in.Filters = []types.FilterV2{{FilterKey: aws.String("AGENT"), FilterValues: []string{w.ada}}}
	for !w.App.AgentMetricsCaughtUp() {
		runtime.Gosched() // agent events reach the aggregator on its own goroutine
	}
	rs := w.v2(in).MetricResults
	if len(rs) != 1 {
		t.Fatalf("occupancy: %d rows", len(rs))
	}
	expect(t, "occupancy", rs[0].Collections[0].Value, 89.66) // 130/145 = 89.655… rounded to 2 places

	// Pagination.
	in = w.v2in(0, 10*time.Minute, nil, []string{"CHANNEL"}, m2("CONTACTS_QUEUED"))
	in.MaxResults = aws.Int32(1)
	p1 := w.v2(in)
	if len(p1.MetricResults) != 1 || p1.NextToken == nil {
		t.Fatalf("page 1: %+v", p1)
	}
	in.NextToken = p1.NextToken
	if p2 := w.v2(in); len(p2.MetricResults) != 1 || p2.NextToken != nil || p2.MetricResults[0].Dimensions["CHANNEL"] != "TASK" {
		t.Fatalf("page 2: %+v", p2)
	}
}

func TestGetMetricDataV2Validation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.advanceTo(10 * time.Minute)
	base := func() *connect.GetMetricDataV2Input { return w.v2in(0, 5*time.Minute, nil, nil, m2("CONTACTS_QUEUED")) }
	q := func(key string, vals ...string) types.FilterV2 {
		return types.FilterV2{FilterKey: aws.String(key), FilterValues: vals}
	}
	many := make([]string, 60)
	for i := range many {
		many[i] = "q" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	cases := []struct {
		name   string
		mod    func(in *connect.GetMetricDataV2Input)
		code   string
		status int
	}{
		{"not an ARN", func(in *connect.GetMetricDataV2Input) { in.ResourceArn = aws.String("instance") }, "InvalidParameterException", 400},
		{"unknown instance", func(in *connect.GetMetricDataV2Input) {
			in.ResourceArn = aws.String(w.Service.InstanceARN("00000000-0000-0000-0000-000000000000"))
		}, "ResourceNotFoundException", 404},
		{"end before start", func(in *connect.GetMetricDataV2Input) { in.EndTime = aws.Time(sbtest.Start.Add(-time.Minute)) }, "InvalidParameterException", 400},
		{"end in the future", func(in *connect.GetMetricDataV2Input) { in.EndTime = aws.Time(sbtest.Start.Add(time.Hour)) }, "InvalidParameterException", 400},
		{"older than 3 months", func(in *connect.GetMetricDataV2Input) {
			in.StartTime = aws.Time(sbtest.Start.Add(-94 * 24 * time.Hour))
			in.EndTime = aws.Time(sbtest.Start.Add(-93 * 24 * time.Hour))
		}, "InvalidParameterException", 400},
		{"hourly over 3 days", func(in *connect.GetMetricDataV2Input) {
			in.StartTime = aws.Time(sbtest.Start.Add(-73 * time.Hour))
			in.Interval = &types.IntervalDetails{IntervalPeriod: "HOUR"}
		}, "InvalidParameterException", 400},
		{"total over 35 days", func(in *connect.GetMetricDataV2Input) {
			in.StartTime = aws.Time(sbtest.Start.Add(-36 * 24 * time.Hour))
		}, "InvalidParameterException", 400},
		{"bad time zone", func(in *connect.GetMetricDataV2Input) {
			in.Interval = &types.IntervalDetails{IntervalPeriod: "DAY", TimeZone: aws.String("Mars/Olympus")}
		}, "InvalidParameterException", 400},
		{"only a channel filter", func(in *connect.GetMetricDataV2Input) { in.Filters = []types.FilterV2{q("CHANNEL", "VOICE")} }, "InvalidParameterException", 400},
		{"unsupported filter key", func(in *connect.GetMetricDataV2Input) { in.Filters = append(in.Filters, q("CAMPAIGN", "x")) }, "InvalidParameterException", 400},
		{"repeated filter key", func(in *connect.GetMetricDataV2Input) { in.Filters = append(in.Filters, q("QUEUE", "x")) }, "InvalidParameterException", 400},
		{"over 100 filter values", func(in *connect.GetMetricDataV2Input) {
			in.Filters = []types.FilterV2{q("QUEUE", many...), q("AGENT", many...)}
		}, "InvalidParameterException", 400},
		{"NOT_EXISTS with values", func(in *connect.GetMetricDataV2Input) {
			in.Filters[0].StringCondition = &types.FilterV2StringCondition{Comparison: "NOT_EXISTS"}
		}, "InvalidParameterException", 400},
		{"unsupported grouping", func(in *connect.GetMetricDataV2Input) { in.Groupings = []string{"CAMPAIGN"} }, "InvalidParameterException", 400},
		{"unknown metric", func(in *connect.GetMetricDataV2Input) { in.Metrics = []types.MetricV2{m2("NOPE")} }, "InvalidParameterException", 400},
		{"service level without threshold", func(in *connect.GetMetricDataV2Input) { in.Metrics = []types.MetricV2{m2("SERVICE_LEVEL")} }, "InvalidParameterException", 400},
		{"service level GT", func(in *connect.GetMetricDataV2Input) { in.Metrics = []types.MetricV2{m2th("SERVICE_LEVEL", "GT", 20)} }, "InvalidParameterException", 400},
		{"service level over 7 days", func(in *connect.GetMetricDataV2Input) {
			in.Metrics = []types.MetricV2{m2th("SERVICE_LEVEL", "LT", 604801)}
		}, "InvalidParameterException", 400},
		{"threshold on a count", func(in *connect.GetMetricDataV2Input) {
			in.Metrics = []types.MetricV2{m2th("CONTACTS_QUEUED", "LT", 20)}
		}, "InvalidParameterException", 400},
		{"21 service levels", func(in *connect.GetMetricDataV2Input) {
			in.Metrics = nil
			for i := range 21 {
				in.Metrics = append(in.Metrics, m2th("SERVICE_LEVEL", "LT", float64(i+1)))
			}
		}, "InvalidParameterException", 400},
		{"unsupported metric filter", func(in *connect.GetMetricDataV2Input) {
			in.Metrics = []types.MetricV2{{Name: aws.String("CONTACTS_HANDLED"), MetricFilters: []types.MetricFilterV2{{MetricFilterKey: aws.String("DISCONNECT_REASON"), MetricFilterValues: []string{"X"}}}}}
		}, "InvalidParameterException", 400},
		{"occupancy by queue", func(in *connect.GetMetricDataV2Input) { in.Metrics = []types.MetricV2{m2("AGENT_OCCUPANCY")} }, "InvalidParameterException", 400},
		{"bad token", func(in *connect.GetMetricDataV2Input) { in.NextToken = aws.String("garbage") }, "InvalidParameterException", 400},
	}
	for _, c := range cases {
		in := base()
		c.mod(in)
		_, err := w.Raw.GetMetricDataV2(sbtest.Ctx(t), in)
		t.Run(c.name, func(t *testing.T) { sbtest.APIError(t, err, c.code, c.status) })
	}
	// The limits themselves pass: 3 days hourly, a managed metric ARN.
	in := base()
	in.StartTime, in.EndTime = aws.Time(w.Clock.Now().Add(-72*time.Hour)), aws.Time(w.Clock.Now())
	in.Interval = &types.IntervalDetails{IntervalPeriod: "HOUR"}
	in.Metrics = []types.MetricV2{{MetricId: aws.String("arn:aws:connect:us-east-1:aws:metric/CONTACTS_QUEUED")}}
	_, err := w.Raw.GetMetricDataV2(sbtest.Ctx(t), in)
	must(t, err)
}

// TestValuesSurviveRestart: after a clean restart the aggregates are
// loaded as written; after a crash (no clean shutdown: the watermark says
// running) they are recomputed from contacts to the same values.
func TestValuesSurviveRestart(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.play()
	ms := []types.HistoricalMetric{hm("CONTACTS_QUEUED"), hm("CONTACTS_HANDLED"), hm("CONTACTS_ABANDONED"), hm("HANDLE_TIME"), sl(60)}
	want := []float64{5, 2, 3, 65, 80}
	check := func(w *world, what string) {
		t.Helper()
		out := w.v1(0, 10*time.Minute, nil, nil, ms...)
		if len(out.MetricResults) != 1 {
			t.Fatalf("%s: %d results", what, len(out.MetricResults))
		}
		for i, c := range out.MetricResults[0].Collections {
			expect(t, what+" "+string(ms[i].Name), c.Value, want[i])
		}
	}
	dir, iid, now := w.DataDir, w.iid, w.Clock.Now()
	w.Close()
	e := sbtest.New(t, sbtest.Options{Runtime: true, DataDir: dir})
	e.Clock.Advance(now.Sub(e.Clock.Now()))
	w2 := attach(t, e, iid)
	check(w2, "after restart")

	// Simulate a crash: drop the in-memory aggregates by forcing a
	// recomputation of everything since 08:55 from the stored contacts.
	if err := e.App.Metrics.RecomputeFrom(sbtest.Ctx(t), sbtest.Start.Add(-5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	check(w2, "after recomputation")
}
