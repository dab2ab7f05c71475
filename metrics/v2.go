package metrics

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// GetMetricDataV2 (§4.3).

// V2Filter is a FilterV2.
type V2Filter struct {
	Key       string
	Values    []string
	NotExists bool
}

// V2Threshold is a ThresholdV2.
type V2Threshold struct {
	Comparison string
	Value      *float64
}

// V2MetricFilter is a MetricFilterV2.
type V2MetricFilter struct {
	Key    string
	Values []string
	Negate bool
}

// V2Metric is a requested MetricV2.
type V2Metric struct {
	Name, MetricID string
	Thresholds     []V2Threshold
	MetricFilters  []V2MetricFilter
}

// V2Request is a GetMetricDataV2 request.
type V2Request struct {
	ResourceArn              string
	Start, End               time.Time
	IntervalPeriod, TimeZone string
	Filters                  []V2Filter
	Groupings                []string
	Metrics                  []V2Metric
	NextToken                string `json:"-"`
	MaxResults               int    `json:"-"`
}

// V2Row is one result.
type V2Row struct {
	Dimensions                 map[string]string
	Period                     string
	IntervalStart, IntervalEnd time.Time
	Values                     []*float64
}

// V2Page is a page of results, with the metrics as requested.
type V2Page struct {
	Metrics   []V2Metric
	Rows      []V2Row
	NextToken string
}

// v2Keys are the filter and grouping keys Switchboard has dimensions for.
var v2Keys = map[string]dim{"QUEUE": dimQueue, "CHANNEL": dimChannel, "AGENT": dimAgent, "ROUTING_PROFILE": dimProfile, "INITIATION_METHOD": dimMethod}

// v2Def computes a metric; thresholds names the histogram its threshold
// reads (nil: the metric takes no threshold). agent metrics read the agent
// cells.
type v2Def struct {
	eval      func(s *Cell, below int64) *float64
	threshold *histKind
	agentTime bool
}

func hk(k histKind) *histKind { return &k }

var v2Defs = map[string]v2Def{
	"CONTACTS_CREATED":              {eval: func(s *Cell, _ int64) *float64 { return count(s.Created) }},
	"CONTACTS_HANDLED":              {eval: func(s *Cell, _ int64) *float64 { return count(s.Handled) }},
	"CONTACTS_QUEUED":               {eval: func(s *Cell, _ int64) *float64 { return count(s.Queued) }},
	"CONTACTS_ABANDONED":            {eval: func(s *Cell, _ int64) *float64 { return count(s.Abandoned) }},
	"CONTACTS_TRANSFERRED_OUT":      {eval: func(s *Cell, _ int64) *float64 { return count(s.TransferredOut) }},
	"CONTACTS_HOLD_ABANDONS":        {eval: func(*Cell, int64) *float64 { return count(0) }},
	"AVG_HANDLE_TIME":               {eval: func(s *Cell, _ int64) *float64 { return secs(s.HandleMs, s.Completed) }},
	"AVG_HOLD_TIME":                 {eval: func(s *Cell, _ int64) *float64 { return secs(s.HoldMs, s.Completed) }},
	"AVG_AFTER_CONTACT_WORK_TIME":   {eval: func(s *Cell, _ int64) *float64 { return secs(s.ACWMs, s.Completed) }},
	"AVG_INTERACTION_TIME":          {eval: func(s *Cell, _ int64) *float64 { return secs(s.InteractionMs, s.Completed) }},
	"AVG_INTERACTION_AND_HOLD_TIME": {eval: func(s *Cell, _ int64) *float64 { return secs(s.InteractionMs+s.HoldMs, s.Completed) }},
	"AVG_QUEUE_ANSWER_TIME":         {eval: func(s *Cell, _ int64) *float64 { return secs(s.AnswerMs, s.Answered) }},
	"AVG_ABANDON_TIME":              {eval: func(s *Cell, _ int64) *float64 { return secs(s.AbandonMs, s.Abandoned) }},
	"MAX_QUEUED_TIME":               {eval: func(s *Cell, _ int64) *float64 { return secs(s.MaxQueuedMs, 1) }},
	"SUM_HANDLE_TIME":               {eval: func(s *Cell, _ int64) *float64 { return secs(s.HandleMs, 1) }},
	"SUM_AFTER_CONTACT_WORK_TIME":   {eval: func(s *Cell, _ int64) *float64 { return secs(s.ACWMs, 1) }},
	"ABANDONMENT_RATE":              {eval: func(s *Cell, _ int64) *float64 { return pct(s.Abandoned, s.Queued) }},
	"SERVICE_LEVEL": {threshold: hk(histRemoved), eval: func(s *Cell, below int64) *float64 {
		return pct(below, s.Answered+s.Abandoned)
	}},
	"SUM_CONTACTS_ANSWERED_IN_X":       {threshold: hk(histAnswered), eval: func(_ *Cell, below int64) *float64 { return count(below) }},
	"SUM_CONTACTS_ABANDONED_IN_X":      {threshold: hk(histAbandoned), eval: func(_ *Cell, below int64) *float64 { return count(below) }},
	"CONTACTS_REMOVED_FROM_QUEUE_IN_X": {threshold: hk(histRemoved), eval: func(_ *Cell, below int64) *float64 { return count(below) }},
	"AGENT_OCCUPANCY": {agentTime: true, eval: func(s *Cell, _ int64) *float64 {
		return pct(s.ContactMs, s.ContactMs+s.IdleMs)
	}},
	"SUM_ONLINE_TIME_AGENT":  {agentTime: true, eval: func(s *Cell, _ int64) *float64 { return secs(s.OnlineMs, 1) }},
	"SUM_IDLE_TIME_AGENT":    {agentTime: true, eval: func(s *Cell, _ int64) *float64 { return secs(s.IdleMs, 1) }},
	"SUM_CONTACT_TIME_AGENT": {agentTime: true, eval: func(s *Cell, _ int64) *float64 { return secs(s.ContactMs, 1) }},
}

// managedMetricPrefix starts the ARN of an AWS-managed metric; its name
// follows the last '/'.
const managedMetricPrefix = "arn:aws:connect:"

// span is one result interval.
type span struct{ start, end time.Time }

// intervals cuts [start, end) at the period's boundaries in loc: periods
// start on the clock (quarter hours, half hours, hours), at local midnight
// (DAY) or at local Monday midnight (WEEK); the first and last are clipped
// to the range. TOTAL is the range itself.
func intervals(period string, loc *time.Location, start, end time.Time) []span {
	if period == "TOTAL" {
		return []span{{start, end}}
	}
	l := start.In(loc)
	var t time.Time
	next := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	switch period {
	case "FIFTEEN_MIN", "THIRTY_MIN", "HOUR":
		step := map[string]int{"FIFTEEN_MIN": 15, "THIRTY_MIN": 30, "HOUR": 60}[period]
		t = time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute()-l.Minute()%step, 0, 0, loc)
		// Offsets are whole quarter hours, so these boundaries are the
		// same instants in every zone; stepping by duration keeps DST
		// days right.
		d := time.Duration(step) * time.Minute
		next = func(t time.Time) time.Time { return t.Add(d) }
	case "DAY":
		t = time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	case "WEEK":
		back := (int(l.Weekday()) + 6) % 7 // days since Monday
		t = time.Date(l.Year(), l.Month(), l.Day()-back, 0, 0, 0, 0, loc)
		next = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	}
	var out []span
	for ; t.Before(end); t = next(t) {
		s, e := t, next(t)
		if s.Before(start) {
			s = start
		}
		if e.After(end) {
			e = end
		}
		if e.After(s) {
			out = append(out, span{s, e})
		}
	}
	return out
}

// GetMetricDataV2 answers a V2 request.
func (a *Aggregator) GetMetricDataV2(ctx context.Context, r V2Request) (*V2Page, error) {
	inst, err := a.instanceOf(ctx, r.ResourceArn)
	if err != nil {
		return nil, err
	}
	now := a.o.Clock.Now()
	period := r.IntervalPeriod
	if period == "" {
		period = "TOTAL"
	}
	maxRange := 35 * 24 * time.Hour
	if period == "FIFTEEN_MIN" || period == "THIRTY_MIN" || period == "HOUR" {
		maxRange = 3 * 24 * time.Hour
	}
	switch {
	case !r.End.After(r.Start):
		return nil, invalid("EndTime must be later than StartTime.")
	case r.End.After(now):
		return nil, invalid("EndTime must not be in the future.")
	case r.Start.Before(now.Add(-Retention)):
		return nil, invalid("StartTime must be within the last 3 months: historical metrics are kept for 3 months.")
	case r.End.Sub(r.Start) > maxRange:
		return nil, invalid("With IntervalPeriod %s the range from StartTime to EndTime can be at most %d days.", period, int(maxRange.Hours()/24))
	case len(r.Metrics) == 0:
		return nil, invalid("Metrics is required.")
	}
	loc := time.UTC
	if r.TimeZone != "" {
		if loc, err = time.LoadLocation(r.TimeZone); err != nil || strings.HasPrefix(r.TimeZone, "/") || r.TimeZone == "Local" {
			return nil, invalid("TimeZone %q is not a valid IANA time zone name.", r.TimeZone)
		}
	}
	spans := intervals(period, loc, r.Start, r.End)

	a.mu.Lock() // agent time is brought up to now before reading
	a.accrueAllLocked(now)
	a.mu.Unlock()
	a.mu.RLock()
	defer a.mu.RUnlock()

	sel := &selection{inst: inst, from: bucketOf(r.Start), to: r.End.Unix()}
	if err := a.v2Filters(sel, r.Filters); err != nil {
		return nil, err
	}
	for _, g := range r.Groupings {
		d, ok := v2Keys[g]
		if !ok {
			return nil, invalid("Grouping %q is not supported: use QUEUE, CHANNEL, ROUTING_PROFILE, AGENT or INITIATION_METHOD.", g)
		}
		if slices.Contains(sel.groupBy, d) {
			return nil, invalid("Grouping %s is repeated.", g)
		}
		sel.groupBy = append(sel.groupBy, d)
		if d == dimAgent || d == dimProfile {
			sel.byAgent = true
		}
	}
	defs := make([]v2Def, len(r.Metrics))
	thIndex := make([]int, len(r.Metrics))
	mfIndex := make([]int, len(r.Metrics))
	agentTime, serviceLevels := false, 0
	for i, m := range r.Metrics {
		name := m.Name
		if name == "" && strings.HasPrefix(m.MetricID, managedMetricPrefix) && strings.Contains(m.MetricID, ":aws:metric/") {
			name = lastSegment(m.MetricID)
		}
		def, ok := v2Defs[name]
		if !ok {
			if name == "" {
				return nil, invalid("Metric needs a Name, or a MetricId naming an AWS-managed metric; custom metrics are not supported.")
			}
			return nil, invalid("Metric %q is not supported by Switchboard.", name)
		}
		defs[i], thIndex[i], mfIndex[i] = def, -1, -1
		agentTime = agentTime || def.agentTime
		if def.threshold != nil {
			if name == "SERVICE_LEVEL" {
				if serviceLevels++; serviceLevels > 20 {
					return nil, invalid("At most 20 SERVICE_LEVEL metrics can be requested at once.")
				}
			}
			if len(m.Thresholds) != 1 {
				return nil, invalid("%s needs exactly one Threshold (Comparison LT or LTE, ThresholdValue in seconds).", name)
			}
			limit, err := wholeSeconds(m.Thresholds[0].Value, name)
			if err != nil {
				return nil, err
			}
			switch m.Thresholds[0].Comparison {
			case "LT":
			case "LTE":
				limit++ // whole seconds: <= X is < X+1
			default:
				return nil, invalid("%s Threshold.Comparison must be LT or LTE, not %q.", name, m.Thresholds[0].Comparison)
			}
			thIndex[i] = len(sel.thresholds)
			sel.thresholds = append(sel.thresholds, threshold{kind: *def.threshold, limit: limit})
		} else if len(m.Thresholds) > 0 {
			return nil, invalid("%s does not take a Threshold.", name)
		}
		for _, f := range m.MetricFilters {
			if f.Key != "INITIATION_METHOD" {
				return nil, invalid("MetricFilterKey %q is not supported: Switchboard filters metrics by INITIATION_METHOD.", f.Key)
			}
			if len(m.MetricFilters) > 1 {
				return nil, invalid("INITIATION_METHOD can be given once per metric.")
			}
			set := a.setOf(f.Values)
			if f.Negate {
				for j := range set {
					set[j] = !set[j]
				}
			}
			mfIndex[i] = len(sel.methodFilters)
			sel.methodFilters = append(sel.methodFilters, set)
		}
	}
	detail := len(sel.methodFilters) > 0
	for _, d := range []dim{dimQueue, dimChannel, dimMethod} {
		detail = detail || sel.filters[d] != nil || slices.Contains(sel.groupBy, d)
	}
	if agentTime {
		if detail {
			return nil, invalid("Agent activity metrics (AGENT_OCCUPANCY, SUM_*_TIME_AGENT) filter and group by AGENT and ROUTING_PROFILE only.")
		}
		sel.byAgent = true
	}
	sel.summary = sel.byAgent && !detail
	// The plain rollups drop channel and method: usable when the query
	// leaves both free (detail above may be true for QUEUE alone); else
	// the levels that keep them.
	if sel.byAgent && !sel.summary && !a.noRollups {
		sel.rollups = plainRollups
		if len(sel.methodFilters) > 0 || sel.filters[dimChannel] != nil || sel.filters[dimMethod] != nil ||
			slices.Contains(sel.groupBy, dimChannel) || slices.Contains(sel.groupBy, dimMethod) {
			sel.rollups = channelRollups
		}
	}
	starts := make([]int64, len(spans))
	for i, s := range spans {
		starts[i] = s.start.Unix()
	}
	sel.interval = func(b int64) int {
		t := max(b, r.Start.Unix())
		return max(sort.Search(len(starts), func(i int) bool { return starts[i] > t })-1, 0)
	}
	groups := a.scan(sel)

	// Every dimension set seen gets a row for every interval (Connect
	// answers 48 rows for THIRTY_MIN over a day).
	type dimSet [numDims]uint32
	setIndex := map[dimSet]int{}
	var sets []dimSet
	var bySet [][]*group // by set index, then interval
	for _, g := range groups {
		i, ok := setIndex[g.key.v]
		if !ok {
			i = len(sets)
			setIndex[g.key.v] = i
			sets = append(sets, g.key.v)
			bySet = append(bySet, make([]*group, len(spans)))
		}
		bySet[i][g.key.iv] = g
	}
	// Rows go by interval, then by the names of the grouping values: the
	// sets are sorted once, and row n is interval n / sets, set n % sets.
	order := make([]int, len(sets))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return a.compareNames(sets[x], sets[y], sel.groupBy) })
	h := hashRequest(r)
	offset, err := parseToken(r.NextToken, h)
	if err != nil {
		return nil, err
	}
	// Only the page's rows are built: a day of FIFTEEN_MIN by AGENT has
	// tens of thousands of rows, of which a page shows at most 100.
	lo, hi, next := page(len(sets)*len(spans), offset, r.MaxResults, h)
	rows := make([]V2Row, hi-lo)
	for i := range rows {
		iv, si := (lo+i)/len(sets), order[(lo+i)%len(sets)]
		g := bySet[si][iv]
		if g == nil {
			g = &group{}
			sel.initGroup(g, groupKey{v: sets[si], iv: iv})
		}
		row := V2Row{Dimensions: map[string]string{}, Period: period, IntervalStart: spans[g.key.iv].start, IntervalEnd: spans[g.key.iv].end,
			Values: make([]*float64, len(defs))}
		for _, key := range r.Groupings {
			row.Dimensions[key] = a.names.list[g.key.v[v2Keys[key]]]
		}
		for j, def := range defs {
			sum, below := &g.sum, int64(0)
			if mfIndex[j] >= 0 {
				sum = &g.filtered[mfIndex[j]]
			}
			if thIndex[j] >= 0 {
				below = g.below[thIndex[j]]
			}
			row.Values[j] = def.eval(sum, below)
		}
		rows[i] = row
	}
	return &V2Page{Metrics: r.Metrics, Rows: rows, NextToken: next}, nil
}

// instanceOf checks ResourceArn: the ARN of an instance of this account.
func (a *Aggregator) instanceOf(ctx context.Context, arn string) (string, error) {
	i := strings.LastIndex(arn, ":instance/")
	if !strings.HasPrefix(arn, "arn:") || i < 0 {
		return "", invalid("ResourceArn must be the ARN of an Amazon Connect instance, not %q.", arn)
	}
	id := arn[i+len(":instance/"):]
	if a.o.Resources.InstanceARN(id) != arn {
		return "", domain.Errorf(domain.ErrNotFound, "Instance not found: %s.", arn)
	}
	if _, err := a.o.Resources.DescribeInstance(ctx, id); err != nil {
		var de *domain.Error
		if errors.As(err, &de) && de.Code == domain.ErrNotFound {
			return "", domain.Errorf(domain.ErrNotFound, "Instance not found: %s.", arn)
		}
		return "", err
	}
	return id, nil
}

// v2Filters turns FilterV2s into the selection's filters.
func (a *Aggregator) v2Filters(sel *selection, fs []V2Filter) error {
	if len(fs) == 0 {
		return invalid("Filters is required: filter by QUEUE, ROUTING_PROFILE or AGENT.")
	}
	required, values := false, 0
	for _, f := range fs {
		d, ok := v2Keys[f.Key]
		if !ok {
			return invalid("FilterKey %q is not supported: use QUEUE, CHANNEL, ROUTING_PROFILE, AGENT or INITIATION_METHOD.", f.Key)
		}
		if sel.filters[d] != nil {
			return invalid("FilterKey %s is repeated.", f.Key)
		}
		if f.NotExists && len(f.Values) > 0 {
			return invalid("FilterKey %s: with StringCondition NOT_EXISTS, FilterValues must be empty.", f.Key)
		}
		if !f.NotExists && len(f.Values) == 0 {
			return invalid("FilterKey %s needs 1 to 100 FilterValues.", f.Key)
		}
		switch d {
		case dimQueue, dimAgent, dimProfile:
			required = true
			values += len(f.Values)
		case dimMethod:
			values += len(f.Values)
		}
		if d == dimAgent || d == dimProfile {
			sel.byAgent = true
		}
		if f.NotExists {
			sel.filters[d] = idSet{true} // only the empty name (id 0)
			continue
		}
		vs := f.Values
		if d != dimChannel && d != dimMethod {
			vs = resourceIDs(vs)
		}
		sel.filters[d] = a.setOf(vs)
	}
	switch {
	case !required:
		return invalid("Filters must include at least one of QUEUE, ROUTING_PROFILE or AGENT.")
	case values > 100:
		return invalid("Filters can have at most 100 values in all (CHANNEL values excepted), not %d.", values)
	}
	return nil
}
