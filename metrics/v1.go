package metrics

import (
	"context"
	"slices"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// GetMetricData (V1, §4.2).

// V1Threshold is a HistoricalMetric's threshold.
type V1Threshold struct {
	Comparison string
	Value      *float64
}

// V1Metric is a requested HistoricalMetric.
type V1Metric struct {
	Name, Statistic, Unit string
	Threshold             *V1Threshold
}

// V1Request is a GetMetricData request.
type V1Request struct {
	InstanceID       string
	Start, End       time.Time
	Queues, Channels []string
	OtherFilters     []string // names of filters V1 does not take
	Groupings        []string
	Metrics          []V1Metric
	NextToken        string `json:"-"`
	MaxResults       int    `json:"-"`
}

// V1Row is one result: its dimensions and one value per requested metric
// (nil: no data), with the metrics as answered (unit and statistic filled).
type V1Row struct {
	QueueID, QueueArn, Channel string
	Values                     []*float64
}

// V1Page is a page of results.
type V1Page struct {
	Metrics   []V1Metric
	Rows      []V1Row
	NextToken string
}

// v1Def is a historical metric: its fixed unit and statistic, and how it
// is computed from a group's sums.
type v1Def struct {
	unit, stat string
	eval       func(g *group, th int) *float64
}

// methodCount is CONTACTS_HANDLED restricted to initiation methods; the
// scan keeps one filtered sum per such metric.
var v1Methods = map[string][]string{
	"CONTACTS_HANDLED_INCOMING": {"INBOUND", "TRANSFER", "QUEUE_TRANSFER"},
	"CONTACTS_HANDLED_OUTBOUND": {"OUTBOUND"},
	"CALLBACK_CONTACTS_HANDLED": {"CALLBACK"},
	"API_CONTACTS_HANDLED":      {"API"},
	"CONTACTS_TRANSFERRED_IN":   {"TRANSFER", "QUEUE_TRANSFER"},
}

var zero = func(*group, int) *float64 { return count(0) }

var v1Defs = map[string]v1Def{
	"CONTACTS_QUEUED":    {"COUNT", "SUM", func(g *group, _ int) *float64 { return count(g.sum.Queued) }},
	"CONTACTS_HANDLED":   {"COUNT", "SUM", func(g *group, _ int) *float64 { return count(g.sum.Handled) }},
	"CONTACTS_ABANDONED": {"COUNT", "SUM", func(g *group, _ int) *float64 { return count(g.sum.Abandoned) }},
	// Deprecated by Connect in 2019; Switchboard has no consult calls,
	// customer hold or flow queue-to-queue transfers, so these are 0.
	"CONTACTS_CONSULTED":                  {"COUNT", "SUM", zero},
	"CONTACTS_HOLD_ABANDONS":              {"COUNT", "SUM", zero},
	"CONTACTS_TRANSFERRED_IN_FROM_QUEUE":  {"COUNT", "SUM", zero},
	"CONTACTS_TRANSFERRED_OUT_FROM_QUEUE": {"COUNT", "SUM", zero},
	"CONTACTS_AGENT_HUNG_UP_FIRST":        {"COUNT", "SUM", func(g *group, _ int) *float64 { return count(g.sum.AgentHungUpFirst) }},
	"CONTACTS_HANDLED_INCOMING":           {"COUNT", "SUM", nil},
	"CONTACTS_HANDLED_OUTBOUND":           {"COUNT", "SUM", nil},
	"CALLBACK_CONTACTS_HANDLED":           {"COUNT", "SUM", nil},
	"API_CONTACTS_HANDLED":                {"COUNT", "SUM", nil},
	"CONTACTS_TRANSFERRED_IN":             {"COUNT", "SUM", nil},
	"CONTACTS_TRANSFERRED_OUT":            {"COUNT", "SUM", func(g *group, _ int) *float64 { return count(g.sum.TransferredOut) }},
	// Offers are not contact events, and agent time is not by queue: no
	// value (null) rather than an invented one.
	"CONTACTS_MISSED":           {"COUNT", "SUM", func(*group, int) *float64 { return nil }},
	"OCCUPANCY":                 {"PERCENT", "AVG", func(*group, int) *float64 { return nil }},
	"HANDLE_TIME":               {"SECONDS", "AVG", func(g *group, _ int) *float64 { return secs(g.sum.HandleMs, g.sum.Completed) }},
	"AFTER_CONTACT_WORK_TIME":   {"SECONDS", "AVG", func(g *group, _ int) *float64 { return secs(g.sum.ACWMs, g.sum.Completed) }},
	"QUEUED_TIME":               {"SECONDS", "MAX", func(g *group, _ int) *float64 { return secs(g.sum.MaxQueuedMs, 1) }},
	"ABANDON_TIME":              {"SECONDS", "AVG", func(g *group, _ int) *float64 { return secs(g.sum.AbandonMs, g.sum.Abandoned) }},
	"QUEUE_ANSWER_TIME":         {"SECONDS", "AVG", func(g *group, _ int) *float64 { return secs(g.sum.AnswerMs, g.sum.Answered) }},
	"HOLD_TIME":                 {"SECONDS", "AVG", func(g *group, _ int) *float64 { return secs(g.sum.HoldMs, g.sum.Held) }},
	"INTERACTION_TIME":          {"SECONDS", "AVG", func(g *group, _ int) *float64 { return secs(g.sum.InteractionMs, g.sum.Completed) }},
	"INTERACTION_AND_HOLD_TIME": {"SECONDS", "AVG", func(g *group, _ int) *float64 { return secs(g.sum.InteractionMs+g.sum.HoldMs, g.sum.Completed) }},
	"SERVICE_LEVEL": {"PERCENT", "AVG", func(g *group, th int) *float64 {
		return pct(g.below[th], g.sum.Answered+g.sum.Abandoned)
	}},
}

var v1Channels = []string{"VOICE", "CHAT", "TASK"}

func invalid(format string, args ...any) error {
	return domain.Errorf(domain.ErrInvalidParameter, format, args...)
}

// onFiveMinutes reports whether t is on a 5-minute boundary.
func onFiveMinutes(t time.Time) bool { return t.Equal(time.Unix(bucketOf(t), 0)) }

// GetMetricData answers a V1 request.
func (a *Aggregator) GetMetricData(ctx context.Context, r V1Request) (*V1Page, error) {
	if _, err := a.o.Resources.DescribeInstance(ctx, r.InstanceID); err != nil {
		return nil, err
	}
	now := a.o.Clock.Now()
	switch {
	case !onFiveMinutes(r.Start) || !onFiveMinutes(r.End):
		return nil, invalid("StartTime and EndTime must be on 5-minute boundaries (hh:00, hh:05, …, with no seconds).")
	case !r.End.After(r.Start):
		return nil, invalid("EndTime must be later than StartTime.")
	case r.End.Sub(r.Start) >= 24*time.Hour:
		return nil, invalid("The range from StartTime to EndTime must be less than 24 hours.")
	case r.Start.Before(now.Add(-24 * time.Hour)):
		return nil, invalid("StartTime must be within the last 24 hours: historical data is kept for 24 hours.")
	case len(r.OtherFilters) > 0:
		return nil, invalid("GetMetricData filters by Queues and Channels only; %s is not valid here.", r.OtherFilters[0])
	case len(r.Queues) == 0:
		return nil, invalid("Filters.Queues is required: name 1 to 100 queues by ID or ARN.")
	case len(r.Metrics) == 0:
		return nil, invalid("HistoricalMetrics is required.")
	}
	for _, c := range r.Channels {
		if !slices.Contains(v1Channels, c) {
			return nil, invalid("Channel %s is not valid for GetMetricData: use VOICE, CHAT or TASK.", c)
		}
	}
	var groupBy []dim
	for _, g := range r.Groupings {
		var d dim
		switch g {
		case "QUEUE":
			d = dimQueue
		case "CHANNEL":
			d = dimChannel
		default:
			return nil, invalid("Grouping %s is not valid for GetMetricData: use QUEUE and/or CHANNEL.", g)
		}
		if slices.Contains(groupBy, d) {
			return nil, invalid("Grouping %s is repeated.", g)
		}
		groupBy = append(groupBy, d)
	}
	metrics := make([]V1Metric, len(r.Metrics))
	thIndex := make([]int, len(r.Metrics))
	var ths []threshold
	var mfs []idSet
	mfIndex := make([]int, len(r.Metrics))
	serviceLevels := 0
	a.mu.RLock()
	for i, m := range r.Metrics {
		def, ok := v1Defs[m.Name]
		if !ok {
			a.mu.RUnlock()
			return nil, invalid("HistoricalMetric %q is not a historical metric name.", m.Name)
		}
		if err := checkV1Metric(m, def); err != nil {
			a.mu.RUnlock()
			return nil, err
		}
		if m.Name == "SERVICE_LEVEL" {
			if serviceLevels++; serviceLevels > 20 {
				a.mu.RUnlock()
				return nil, invalid("At most 20 SERVICE_LEVEL metrics can be requested at once.")
			}
			limit, _ := wholeSeconds(m.Threshold.Value, "SERVICE_LEVEL")
			thIndex[i] = len(ths)
			ths = append(ths, threshold{kind: histRemoved, limit: limit})
		}
		if ms, ok := v1Methods[m.Name]; ok {
			mfIndex[i] = len(mfs)
			mfs = append(mfs, a.setOf(ms))
		}
		metrics[i] = V1Metric{Name: m.Name, Unit: def.unit, Statistic: def.stat, Threshold: m.Threshold}
	}
	sel := &selection{inst: r.InstanceID, from: r.Start.Unix(), to: r.End.Unix(), groupBy: groupBy, thresholds: ths, methodFilters: mfs}
	sel.filters[dimQueue] = a.setOf(resourceIDs(r.Queues))
	if len(r.Channels) > 0 {
		sel.filters[dimChannel] = a.setOf(r.Channels)
	}
	gs := a.scan(sel)
	a.sortGroups(gs, groupBy)
	h := hashRequest(r)
	offset, err := parseToken(r.NextToken, h)
	if err != nil {
		a.mu.RUnlock()
		return nil, err
	}
	// Only the page's rows are built.
	lo, hi, next := page(len(gs), offset, r.MaxResults, h)
	rows := make([]V1Row, hi-lo)
	for i, g := range gs[lo:hi] {
		row := V1Row{Values: make([]*float64, len(metrics))}
		if slices.Contains(groupBy, dimQueue) {
			row.QueueID = a.names.list[g.key.v[dimQueue]]
		}
		if slices.Contains(groupBy, dimChannel) {
			row.Channel = a.names.list[g.key.v[dimChannel]]
		}
		for j, m := range metrics {
			if _, ok := v1Methods[m.Name]; ok {
				row.Values[j] = count(g.filtered[mfIndex[j]].Handled)
				if m.Name == "CONTACTS_TRANSFERRED_IN" {
					row.Values[j] = count(g.filtered[mfIndex[j]].Created)
				}
				continue
			}
			row.Values[j] = v1Defs[m.Name].eval(g, thIndex[j])
		}
		rows[i] = row
	}
	a.mu.RUnlock()
	out := &V1Page{Metrics: metrics, Rows: rows, NextToken: next}
	for i := range out.Rows {
		if id := out.Rows[i].QueueID; id != "" {
			out.Rows[i].QueueArn = a.o.Resources.ResourceARN(r.InstanceID, domain.KindQueue, id)
		}
	}
	return out, nil
}

func checkV1Metric(m V1Metric, def v1Def) error {
	if m.Unit != "" && m.Unit != def.unit {
		return invalid("HistoricalMetric %s has unit %s, not %s.", m.Name, def.unit, m.Unit)
	}
	if m.Statistic != "" && m.Statistic != def.stat {
		return invalid("HistoricalMetric %s has statistic %s, not %s.", m.Name, def.stat, m.Statistic)
	}
	if m.Name != "SERVICE_LEVEL" {
		if m.Threshold != nil {
			return invalid("Only SERVICE_LEVEL takes a Threshold; %s does not.", m.Name)
		}
		return nil
	}
	if m.Threshold == nil {
		return invalid("SERVICE_LEVEL needs a Threshold: Comparison LT and a ThresholdValue in seconds.")
	}
	if m.Threshold.Comparison != "LT" {
		return invalid("SERVICE_LEVEL Threshold.Comparison must be LT, not %q.", m.Threshold.Comparison)
	}
	_, err := wholeSeconds(m.Threshold.Value, "SERVICE_LEVEL")
	return err
}

// resourceIDs turns IDs or ARNs into IDs.
func resourceIDs(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = lastSegment(v)
	}
	return out
}
