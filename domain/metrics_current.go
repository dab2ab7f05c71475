package domain

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"weak"
)

// GetCurrentMetricData (connect-semantics.md §4.1). The domain checks the
// request, resolves its filters to a scope of queue+channel pairs, asks the
// runtime (MetricsView) for the counts of each group, renders them as the
// requested metrics, sorts them and pages them from a cached snapshot.

// Current metric names.
const (
	MetricAgentsOnline        = "AGENTS_ONLINE"
	MetricAgentsAvailable     = "AGENTS_AVAILABLE"
	MetricAgentsOnCall        = "AGENTS_ON_CALL"
	MetricAgentsOnContact     = "AGENTS_ON_CONTACT"
	MetricAgentsNonProductive = "AGENTS_NON_PRODUCTIVE"
	MetricAgentsACW           = "AGENTS_AFTER_CONTACT_WORK"
	MetricAgentsError         = "AGENTS_ERROR"
	MetricAgentsStaffed       = "AGENTS_STAFFED"
	MetricContactsInQueue     = "CONTACTS_IN_QUEUE"
	MetricContactsScheduled   = "CONTACTS_SCHEDULED"
	MetricOldestContactAge    = "OLDEST_CONTACT_AGE"
	MetricSlotsActive         = "SLOTS_ACTIVE"
	MetricSlotsAvailable      = "SLOTS_AVAILABLE"
	MetricEstimatedWaitTime   = "ESTIMATED_WAIT_TIME"
)

// Groupings.
const (
	GroupQueue          = "QUEUE"
	GroupChannel        = "CHANNEL"
	GroupRoutingProfile = "ROUTING_PROFILE"
	GroupStepExpression = "ROUTING_STEP_EXPRESSION"
	GroupAgentStatus    = "AGENT_STATUS"
	GroupSubtype        = "SUBTYPE"
	GroupValidationTest = "VALIDATION_TEST_TYPE"
)

// metricUnits is every metric Switchboard knows with its only unit.
var metricUnits = map[string]string{
	MetricAgentsOnline: "COUNT", MetricAgentsAvailable: "COUNT", MetricAgentsOnCall: "COUNT", MetricAgentsOnContact: "COUNT",
	MetricAgentsNonProductive: "COUNT", MetricAgentsACW: "COUNT", MetricAgentsError: "COUNT", MetricAgentsStaffed: "COUNT",
	MetricContactsInQueue: "COUNT", MetricContactsScheduled: "COUNT", MetricOldestContactAge: "SECONDS",
	MetricSlotsActive: "COUNT", MetricSlotsAvailable: "COUNT", MetricEstimatedWaitTime: "SECONDS",
}

// queueMetrics are computed from contacts waiting in queues rather than
// from agents; a grouping by routing profile needs a routing-profile filter
// for them, since a queue belongs to many profiles.
var queueMetrics = []string{MetricContactsInQueue, MetricContactsScheduled, MetricOldestContactAge}

// metricsTokenTTL is how long a NextToken stays valid after it is issued.
const metricsTokenTTL = 5 * time.Minute

// CurrentMetric is one requested metric.
type CurrentMetric struct {
	Name, MetricID, Unit string
}

// CurrentMetricsParams is a GetCurrentMetricData request.
type CurrentMetricsParams struct {
	InstanceID                            string
	Queues, RoutingProfiles, Channels     []string
	RoutingStepExpressions, AgentStatuses []string
	Subtypes, ValidationTestTypes         []string
	Groupings                             []string
	Metrics                               []CurrentMetric
	SortMetric, SortOrder                 string
	NextToken                             string
	MaxResults                            int
}

// CurrentMetricValue is one metric of a result row; Value nil means the
// value cannot be computed.
type CurrentMetricValue struct {
	Name, Unit string
	Value      *float64
}

// CurrentMetricResult is one row: the dimensions of its group (only those
// grouped by are set) and every requested metric in request order.
type CurrentMetricResult struct {
	QueueID, QueueArn                   string
	Channel                             string
	RoutingProfileID, RoutingProfileArn string
	AgentStatusID, AgentStatusArn       string
	RoutingStepExpression               string
	Collections                         []CurrentMetricValue
}

// CurrentMetricsPage is one page of a snapshot.
type CurrentMetricsPage struct {
	Results      []CurrentMetricResult
	NextToken    string
	SnapshotTime time.Time
	Total        int
}

// MetricsScope is what the runtime counts: the queue+channel pairs the
// filters select, and how to split the counts into groups.
type MetricsScope struct {
	// Pairs are the queue+channel pairs in scope (agent queues excluded).
	// An agent is counted when its routing profile serves one of them; a
	// contact when it is in one of them.
	Pairs []QueueChannel
	// Profiles, set with a routing-profile filter, maps each filtered
	// profile to its pairs in scope; only agents of these profiles count.
	Profiles map[string][]QueueChannel
	// AgentStatuses, when set, keeps only agents in one of these statuses.
	AgentStatuses []string
	// Groupings among QUEUE, CHANNEL, ROUTING_PROFILE, AGENT_STATUS.
	Groupings []string
	// Scheduled has one entry per scheduled contact not yet queued, placed
	// at the queue it is bound for.
	Scheduled []QueueChannel
}

// Grouped reports whether the scope splits by g.
func (sc *MetricsScope) Grouped(g string) bool { return slices.Contains(sc.Groupings, g) }

// CurrentCounts are the raw figures of a group, from which every metric is
// rendered.
type CurrentCounts struct {
	AgentsOnline, AgentsAvailable, AgentsOnContact, AgentsNonProductive int
	AgentsError, AgentsStaffed                                          int
	// ContactsInACW counts contacts, not agents: AGENTS_AFTER_CONTACT_WORK
	// is named after agents but Connect counts contacts in ACW.
	ContactsInACW               int
	ContactsInQueue, Scheduled  int
	SlotsActive, SlotsAvailable int
	OldestEnqueued              time.Time // zero when nothing waits
}

// MetricsCell is one group's counts, keyed by the grouped dimensions.
type MetricsCell struct {
	QueueID, Channel, RoutingProfileID, AgentStatusID string
	Counts                                            CurrentCounts
}

// MetricsView is the part of the runtime that counts live agents and
// queued contacts for GetCurrentMetricData.
type MetricsView interface {
	// CurrentMetrics returns the groups of sc that have any data, and the
	// time the counts were taken.
	CurrentMetrics(ctx context.Context, instanceID string, sc *MetricsScope) ([]MetricsCell, time.Time, error)
}

// GetCurrentMetricData returns one page of real-time metrics.
func (s *Service) GetCurrentMetricData(ctx context.Context, p CurrentMetricsParams) (*CurrentMetricsPage, error) {
	if p.MaxResults < 0 || p.MaxResults > 100 {
		return nil, Errorf(ErrInvalidParameter, "MaxResults must be between 1 and 100; got %d.", p.MaxResults)
	}
	if err := checkCurrentMetrics(&p); err != nil {
		return nil, err
	}
	key := currentMetricsKey(p)
	if p.NextToken != "" {
		return s.metricsCache().page(p.NextToken, p.InstanceID, key, p.MaxResults, s.clock.Now(), s.newID)
	}
	rows, at, err := s.currentMetricRows(ctx, p)
	if err != nil {
		return nil, err
	}
	snap := &metricsSnapshot{instance: p.InstanceID, key: key, rows: rows, at: at}
	return s.metricsCache().first(snap, p.MaxResults, s.clock.Now(), s.newID), nil
}

// checkCurrentMetrics applies the request rules that need no data. Rules
// about what may be combined are InvalidParameterException, as for any bad
// parameter value; features Switchboard does not serve are
// InvalidRequestException so clients can tell the two apart.
func checkCurrentMetrics(p *CurrentMetricsParams) error {
	bad := func(format string, args ...any) error { return Errorf(ErrInvalidParameter, format, args...) }
	if len(p.Metrics) == 0 {
		return bad("CurrentMetrics must name at least one metric.")
	}
	seen := map[string]bool{}
	for i, m := range p.Metrics {
		switch {
		case m.Name != "" && m.MetricID != "":
			return bad("CurrentMetrics[%d] has both Name and MetricId; give one of them.", i)
		case m.MetricID != "":
			return Errorf(ErrInvalidRequest, "CurrentMetrics[%d]: MetricId %q is not supported; Switchboard has no custom metrics, so name the metric with Name.", i, clip(m.MetricID, 100))
		case m.Name == "":
			return bad("CurrentMetrics[%d] needs a Name.", i)
		}
		unit, ok := metricUnits[m.Name]
		if !ok {
			return bad("CurrentMetrics[%d]: %q is not a current metric name.", i, clip(m.Name, 100))
		}
		if m.Unit != "" && m.Unit != unit {
			return bad("CurrentMetrics[%d]: the unit of %s is %s, not %s.", i, m.Name, unit, m.Unit)
		}
		if seen[m.Name] {
			return bad("CurrentMetrics lists %s twice; list each metric once.", m.Name)
		}
		seen[m.Name] = true
		if m.Name == MetricEstimatedWaitTime {
			// An estimate needs a model of handle times and agent
			// behaviour Switchboard does not have; a made-up number
			// would mislead whoever routes on it.
			return Errorf(ErrInvalidRequest, "ESTIMATED_WAIT_TIME is not supported by Switchboard: it has no honest estimate of wait times. Use OLDEST_CONTACT_AGE and CONTACTS_IN_QUEUE instead.")
		}
	}
	if len(p.Queues) > 0 && len(p.RoutingProfiles) > 0 {
		return bad("Filters may name Queues or RoutingProfiles, not both.")
	}
	if len(p.Queues) == 0 && len(p.RoutingProfiles) == 0 {
		return bad("Filters must name Queues (up to 100) or RoutingProfiles (up to 100).")
	}
	if len(p.Queues) > 100 || len(p.RoutingProfiles) > 100 {
		return bad("Filters may name at most 100 queues or 100 routing profiles.")
	}
	chs := map[string]bool{}
	for _, c := range p.Channels {
		if c != "VOICE" && c != "CHAT" && c != "TASK" && c != "EMAIL" {
			return bad("Filters.Channels: %q is not a channel (VOICE, CHAT, TASK or EMAIL).", clip(c, 20))
		}
		if chs[c] {
			return bad("Filters.Channels lists %s twice.", c)
		}
		chs[c] = true
	}
	if len(p.AgentStatuses) > 50 {
		return bad("Filters.AgentStatuses may name at most 50 agent statuses.")
	}
	if len(p.AgentStatuses) > 0 && len(p.Queues) == 0 {
		return bad("Filters.AgentStatuses needs a Queues filter.")
	}
	if len(p.Subtypes) > 0 || len(p.ValidationTestTypes) > 0 {
		return Errorf(ErrInvalidRequest, "Filters.Subtypes and Filters.ValidationTestTypes are not supported by Switchboard.")
	}
	if len(p.Groupings) > 2 {
		return bad("Groupings may list at most 2 groupings.")
	}
	for i, g := range p.Groupings {
		switch g {
		case GroupQueue, GroupChannel, GroupRoutingProfile, GroupStepExpression, GroupAgentStatus:
		case GroupSubtype, GroupValidationTest:
			return Errorf(ErrInvalidRequest, "Grouping %s is not supported by Switchboard.", g)
		default:
			return bad("Groupings[%d]: %q is not a grouping.", i, clip(g, 40))
		}
		if slices.Index(p.Groupings, g) != i {
			return bad("Groupings lists %s twice.", g)
		}
	}
	grouped := func(g string) bool { return slices.Contains(p.Groupings, g) }
	if grouped(GroupChannel) && len(p.Channels) == 0 {
		return bad("Grouping by CHANNEL needs a Channels filter.")
	}
	if grouped(GroupAgentStatus) {
		if p.Groupings[0] != GroupQueue || len(p.Queues) == 0 {
			return bad("Grouping by AGENT_STATUS needs QUEUE as the first grouping and a Queues filter.")
		}
		for _, m := range p.Metrics {
			if m.Name != MetricAgentsOnline {
				return bad("With grouping AGENT_STATUS the only metric available is AGENTS_ONLINE; %s is not.", m.Name)
			}
		}
	}
	if grouped(GroupRoutingProfile) && len(p.RoutingProfiles) == 0 {
		if len(p.Queues) == 0 {
			return bad("Grouping by ROUTING_PROFILE needs a Queues or RoutingProfiles filter.")
		}
		for _, m := range p.Metrics {
			if slices.Contains(queueMetrics, m.Name) {
				return bad("Grouping by ROUTING_PROFILE needs a RoutingProfiles filter for %s.", m.Name)
			}
		}
	}
	if len(p.RoutingStepExpressions) > 50 {
		return bad("Filters.RoutingStepExpressions may list at most 50 expressions.")
	}
	if len(p.RoutingStepExpressions) > 0 && !grouped(GroupStepExpression) {
		return bad("Filters.RoutingStepExpressions needs grouping ROUTING_STEP_EXPRESSION.")
	}
	if grouped(GroupStepExpression) {
		if len(p.Queues) != 1 {
			return bad("Grouping by ROUTING_STEP_EXPRESSION needs a Queues filter of exactly one queue.")
		}
		if len(p.Groupings) > 1 {
			return bad("ROUTING_STEP_EXPRESSION cannot be combined with another grouping.")
		}
		for _, m := range p.Metrics {
			// Agents are not split by expression: an agent matches many.
			if m.Name != MetricContactsInQueue && m.Name != MetricOldestContactAge {
				return Errorf(ErrInvalidRequest, "With grouping ROUTING_STEP_EXPRESSION Switchboard serves CONTACTS_IN_QUEUE and OLDEST_CONTACT_AGE; %s is not supported.", m.Name)
			}
		}
		for i, x := range p.RoutingStepExpressions {
			if len(x) == 0 || len(x) > 3000 {
				return bad("Filters.RoutingStepExpressions[%d] must be 1 to 3000 characters.", i)
			}
			if _, err := canonicalJSON([]byte(x)); err != nil {
				return bad("Filters.RoutingStepExpressions[%d] is not a JSON expression: %v.", i, err)
			}
		}
	}
	if p.SortMetric != "" {
		if _, ok := metricUnits[p.SortMetric]; !ok {
			return bad("SortCriteria.SortByMetric: %q is not a current metric name.", clip(p.SortMetric, 100))
		}
		if p.SortMetric == MetricSlotsActive || p.SortMetric == MetricSlotsAvailable || p.SortMetric == MetricEstimatedWaitTime {
			return bad("Sorting by %s is not supported.", p.SortMetric)
		}
	}
	if p.SortOrder != "" && p.SortOrder != "ASCENDING" && p.SortOrder != "DESCENDING" {
		return bad("SortCriteria.SortOrder must be ASCENDING or DESCENDING.")
	}
	return nil
}

// currentMetricsKey identifies the parameters a NextToken belongs to:
// everything but the token and the page size.
func currentMetricsKey(p CurrentMetricsParams) string {
	p.NextToken, p.MaxResults = "", 0
	p.InstanceID = instanceIDFrom(p.InstanceID)
	return hashParams(p)[:32]
}

// currentMetricRows resolves the filters, counts and renders every row,
// sorted.
func (s *Service) currentMetricRows(ctx context.Context, p CurrentMetricsParams) ([]CurrentMetricResult, time.Time, error) {
	var (
		iid      string
		sc       MetricsScope
		queues   []Contact
		statuses []string
	)
	stepGrouped := slices.Contains(p.Groupings, GroupStepExpression)
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		if iid, err = s.instanceID(tx, p.InstanceID); err != nil {
			return err
		}
		channels := p.Channels
		if len(channels) == 0 {
			channels = []string{"VOICE", "CHAT", "TASK", "EMAIL"}
		}
		for _, ref := range p.Queues {
			id := idFromARN(ref, "queue")
			q, err := getDoc[Queue](tx, KindQueue, iid, id)
			if isNotFound(err) {
				return Errorf(ErrNotFound, "Queue %s not found in instance %s.", clip(ref, 100), iid)
			}
			if err != nil {
				return err
			}
			// Real-time metrics leave agent queues out.
			if q.QueueType != "STANDARD" || slices.ContainsFunc(sc.Pairs, func(qc QueueChannel) bool { return qc.QueueID == q.ID }) {
				continue
			}
			for _, ch := range channels {
				sc.Pairs = append(sc.Pairs, QueueChannel{QueueID: q.ID, Channel: ch})
			}
		}
		if len(p.RoutingProfiles) > 0 {
			sc.Profiles = map[string][]QueueChannel{}
			in := map[QueueChannel]bool{}
			for _, ref := range p.RoutingProfiles {
				rp, err := getIn[RoutingProfile](tx, KindRoutingProfile, iid, ref)
				if err != nil {
					return err
				}
				pairs := []QueueChannel{}
				for _, qc := range rp.QueueConfigs {
					k := QueueChannel{QueueID: qc.QueueID, Channel: qc.Channel}
					if !slices.Contains(channels, k.Channel) {
						continue
					}
					pairs = append(pairs, k)
					if !in[k] {
						in[k] = true
						sc.Pairs = append(sc.Pairs, k)
					}
				}
				sc.Profiles[rp.ID] = pairs
			}
		}
		for _, ref := range p.AgentStatuses {
			st, err := getIn[AgentStatus](tx, KindAgentStatus, iid, ref)
			if err != nil {
				return err
			}
			statuses = append(statuses, st.ID)
		}
		if len(sc.Pairs) == 0 || !slices.ContainsFunc(p.Metrics, func(m CurrentMetric) bool {
			return m.Name == MetricContactsScheduled || stepGrouped
		}) {
			return nil
		}
		// Contacts come from the store only when needed: scheduled ones
		// (the runtime knows their timers, not their queues) and, for
		// routing-step groups, queued ones with their criteria.
		rows, err := tx.QueryContacts(ContactQuery{InstanceID: iid, ActiveOnly: true})
		if err != nil {
			return err
		}
		for _, r := range rows {
			c, err := decodeContact(r)
			if err != nil {
				return err
			}
			switch {
			case c.State == StateScheduled:
				// A scheduled task is bound for the queue its quick
				// connect named, if any; without one it is in no queue
				// yet and no queue filter selects it.
				q := c.QueueID
				if q == "" {
					q = c.TransferQueueID
				}
				k := QueueChannel{QueueID: q, Channel: c.Channel}
				if q != "" && slices.Contains(sc.Pairs, k) {
					sc.Scheduled = append(sc.Scheduled, k)
				}
			case c.State == StateQueued && stepGrouped && c.AgentID == "":
				if slices.Contains(sc.Pairs, QueueChannel{QueueID: c.QueueID, Channel: c.Channel}) {
					queues = append(queues, *c)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, time.Time{}, err
	}
	sc.AgentStatuses = statuses
	if len(p.AgentStatuses) > 0 && len(statuses) == 0 {
		sc.AgentStatuses = []string{""}
	}
	for _, g := range p.Groupings {
		if g != GroupStepExpression {
			sc.Groupings = append(sc.Groupings, g)
		}
	}
	var cells []MetricsCell
	var exprs []string
	at := s.now()
	switch {
	case len(sc.Pairs) == 0:
		// Every filtered queue was an agent queue: there is no data.
	case stepGrouped:
		cells, exprs = stepCells(queues, p.RoutingStepExpressions)
	default:
		mv, ok := s.runtime.(MetricsView)
		if !ok {
			break
		}
		cells, at, err = mv.CurrentMetrics(ctx, iid, &sc)
		if err != nil {
			return nil, time.Time{}, err
		}
		at = at.UTC().Truncate(time.Millisecond)
	}
	rows := make([]CurrentMetricResult, len(cells))
	sortVals := make([]float64, len(cells))
	sortBy := p.SortMetric
	if sortBy == "" {
		sortBy = MetricAgentsOnline
	}
	grouped := len(p.Groupings) > 0
	for i, c := range cells {
		r := CurrentMetricResult{Collections: make([]CurrentMetricValue, len(p.Metrics))}
		if sc.Grouped(GroupQueue) {
			r.QueueID, r.QueueArn = c.QueueID, s.ResourceARN(iid, KindQueue, c.QueueID)
		}
		if sc.Grouped(GroupChannel) {
			r.Channel = c.Channel
		}
		if sc.Grouped(GroupRoutingProfile) {
			r.RoutingProfileID, r.RoutingProfileArn = c.RoutingProfileID, s.ResourceARN(iid, KindRoutingProfile, c.RoutingProfileID)
		}
		if sc.Grouped(GroupAgentStatus) {
			r.AgentStatusID, r.AgentStatusArn = c.AgentStatusID, s.ResourceARN(iid, KindAgentStatus, c.AgentStatusID)
		}
		if stepGrouped {
			r.RoutingStepExpression = exprs[i]
		}
		for j, m := range p.Metrics {
			v := metricValue(m.Name, &c.Counts, at, grouped)
			r.Collections[j] = CurrentMetricValue{Name: m.Name, Unit: metricUnits[m.Name], Value: &v}
		}
		rows[i] = r
		sortVals[i] = metricValue(sortBy, &c.Counts, at, grouped)
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	desc := p.SortOrder != "ASCENDING"
	sort.SliceStable(idx, func(a, b int) bool {
		va, vb := sortVals[idx[a]], sortVals[idx[b]]
		if va != vb {
			return (va > vb) == desc
		}
		// Ties in dimension order, so pages are stable.
		return rowKey(&rows[idx[a]]) < rowKey(&rows[idx[b]])
	})
	out := make([]CurrentMetricResult, len(rows))
	for i, j := range idx {
		out[i] = rows[j]
	}
	return out, at, nil
}

func rowKey(r *CurrentMetricResult) string {
	return r.QueueID + "\x00" + r.Channel + "\x00" + r.RoutingProfileID + "\x00" + r.AgentStatusID + "\x00" + r.RoutingStepExpression
}

// metricValue renders one metric from a group's counts.
func metricValue(name string, c *CurrentCounts, at time.Time, grouped bool) float64 {
	switch name {
	case MetricAgentsOnline:
		return float64(c.AgentsOnline)
	case MetricAgentsAvailable:
		return float64(c.AgentsAvailable)
	case MetricAgentsOnCall, MetricAgentsOnContact:
		return float64(c.AgentsOnContact)
	case MetricAgentsNonProductive:
		return float64(c.AgentsNonProductive)
	case MetricAgentsACW:
		return float64(c.ContactsInACW)
	case MetricAgentsError:
		return float64(c.AgentsError)
	case MetricAgentsStaffed:
		return float64(c.AgentsStaffed)
	case MetricContactsInQueue:
		return float64(c.ContactsInQueue)
	case MetricContactsScheduled:
		return float64(c.Scheduled)
	case MetricSlotsActive:
		return float64(c.SlotsActive)
	case MetricSlotsAvailable:
		return float64(c.SlotsAvailable)
	case MetricOldestContactAge:
		if c.OldestEnqueued.IsZero() {
			return 0
		}
		age := max(at.Sub(c.OldestEnqueued), 0)
		if !grouped {
			// Connect's quirk: the Unit says SECONDS but without
			// groupings the value is in milliseconds.
			return float64(age.Milliseconds())
		}
		return math.Floor(age.Seconds())
	}
	return 0
}

// stepCells groups the queued contacts of one queue by the expression of
// their active routing step. With filters, the groups are the filtered
// expressions (compared as canonical JSON: key order and spacing do not
// matter, array order does), each reported as the client wrote it;
// otherwise every active expression found. Contacts with no active step
// (no criteria, or all steps expired) are in no group. Age counts from
// enqueue, whatever step is active.
func stepCells(contacts []Contact, filters []string) ([]MetricsCell, []string) {
	var cells []MetricsCell
	var names []string
	index := map[string]int{}
	for _, f := range filters {
		k, _ := canonicalJSON([]byte(f))
		if _, ok := index[k]; !ok {
			index[k] = len(cells)
			cells = append(cells, MetricsCell{})
			names = append(names, f)
		}
	}
	for i := range contacts {
		c := &contacts[i]
		if c.RoutingCriteria == nil {
			continue
		}
		for _, st := range c.RoutingCriteria.Steps {
			if st.Status != "ACTIVE" {
				continue
			}
			b, _ := json.Marshal(connectExpression(st.Expression))
			k, _ := canonicalJSON(b)
			n, ok := index[k]
			if !ok {
				if len(filters) > 0 {
					break
				}
				n = len(cells)
				index[k] = n
				cells = append(cells, MetricsCell{})
				names = append(names, k)
			}
			cn := &cells[n].Counts
			cn.ContactsInQueue++
			if cn.OldestEnqueued.IsZero() || c.EnqueueTime.Before(cn.OldestEnqueued) {
				cn.OldestEnqueued = c.EnqueueTime
			}
			break
		}
	}
	// Groups without contacts have no data.
	var outC []MetricsCell
	var outN []string
	for i, c := range cells {
		if c.Counts.ContactsInQueue > 0 {
			outC, outN = append(outC, c), append(outN, names[i])
		}
	}
	return outC, outN
}

// connectExpression renders a stored expression in Connect's JSON shape, as
// a RoutingStepExpression filter is written.
func connectExpression(e Expression) map[string]any {
	out := map[string]any{}
	cond := func(c *AttributeCondition) map[string]any {
		m := map[string]any{"Name": c.Name, "Value": c.Value, "ComparisonOperator": c.ComparisonOperator}
		if c.ProficiencyLevel != nil {
			m["ProficiencyLevel"] = *c.ProficiencyLevel
		}
		if c.HasRange {
			r := map[string]any{}
			if c.MinLevel != nil {
				r["MinProficiencyLevel"] = *c.MinLevel
			}
			if c.MaxLevel != nil {
				r["MaxProficiencyLevel"] = *c.MaxLevel
			}
			m["Range"] = r
		}
		if c.HasMatchCriteria {
			m["MatchCriteria"] = map[string]any{"AgentsCriteria": map[string]any{"AgentIds": c.AgentIDs}}
		}
		return m
	}
	if e.Attribute != nil {
		out["AttributeCondition"] = cond(e.Attribute)
	}
	if e.Not != nil {
		out["NotAttributeCondition"] = cond(e.Not)
	}
	for _, l := range []struct {
		name string
		subs []Expression
	}{{"AndExpression", e.And}, {"OrExpression", e.Or}} {
		if len(l.subs) > 0 {
			var xs []any
			for _, s := range l.subs {
				xs = append(xs, connectExpression(s))
			}
			out[l.name] = xs
		}
	}
	return out
}

// canonicalJSON re-encodes a JSON value with sorted keys, no spacing and
// empty strings, nulls and empty objects or arrays dropped, so that two
// spellings of one expression compare equal.
func canonicalJSON(b []byte) (string, error) {
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return "", err
	}
	if _, ok := v.(map[string]any); !ok {
		return "", fmt.Errorf("an expression is a JSON object")
	}
	var prune func(v any) any
	prune = func(v any) any {
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				if x = prune(x); x == nil {
					delete(t, k)
				} else {
					t[k] = x
				}
			}
			if len(t) == 0 {
				return nil
			}
		case []any:
			out := t[:0]
			for _, x := range t {
				if x = prune(x); x != nil {
					out = append(out, x)
				}
			}
			if len(out) == 0 {
				return nil
			}
			return out
		case string:
			if t == "" {
				return nil
			}
		case json.Number:
			// 3, 3.0 and 3e0 are one level.
			f, err := t.Float64()
			if err == nil {
				return f
			}
		}
		return v
	}
	out, err := json.Marshal(prune(v))
	return string(out), err
}

// Pagination. A first request takes a snapshot; its NextTokens page
// through that snapshot, each valid for five minutes after it is issued and
// only with the same parameters. Snapshots live in memory beside their
// Service: a restart forgets them, and the client starts over, as with an
// expired token.

type metricsSnapshot struct {
	instance, key string
	rows          []CurrentMetricResult
	at            time.Time
}

type metricsToken struct {
	snap    *metricsSnapshot
	offset  int
	expires time.Time
}

type metricsTokens struct {
	mu     sync.Mutex
	tokens map[string]metricsToken
}

var (
	metricsCachesMu sync.Mutex
	// metricsCaches is keyed weakly so that a Service no longer used
	// (tests make many) takes its snapshots with it.
	metricsCaches = map[weak.Pointer[Service]]*metricsTokens{}
)

// metricsCache returns the service's token cache.
func (s *Service) metricsCache() *metricsTokens {
	k := weak.Make(s)
	metricsCachesMu.Lock()
	defer metricsCachesMu.Unlock()
	c, ok := metricsCaches[k]
	if !ok {
		c = &metricsTokens{tokens: map[string]metricsToken{}}
		metricsCaches[k] = c
		runtime.AddCleanup(s, func(k weak.Pointer[Service]) {
			metricsCachesMu.Lock()
			delete(metricsCaches, k)
			metricsCachesMu.Unlock()
		}, k)
	}
	return c
}

// first returns the first page of a new snapshot.
func (c *metricsTokens) first(snap *metricsSnapshot, limit int, now time.Time, newID func() string) *CurrentMetricsPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep(now)
	return c.cut(snap, 0, limit, now, newID)
}

// page returns the page a token points at.
func (c *metricsTokens) page(token, instanceID, key string, limit int, now time.Time, newID func() string) (*CurrentMetricsPage, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep(now)
	t, ok := c.tokens[token]
	if !ok {
		return nil, Errorf(ErrInvalidParameter, "The NextToken is not valid or has expired (tokens last 5 minutes); repeat the request without NextToken to take a new snapshot.")
	}
	if t.snap.key != key || t.snap.instance != instanceIDFrom(instanceID) {
		return nil, Errorf(ErrInvalidParameter, "The NextToken belongs to a request with other parameters; repeat the same Filters, Groupings, CurrentMetrics and SortCriteria to continue, or omit NextToken to start over.")
	}
	// A token may be used again while it lives (a client retrying a
	// page), so it is kept until it expires.
	return c.cut(t.snap, t.offset, limit, now, newID), nil
}

// cut renders rows [offset, offset+limit) of snap and issues the token of
// the next page.
func (c *metricsTokens) cut(snap *metricsSnapshot, offset, limit int, now time.Time, newID func() string) *CurrentMetricsPage {
	if limit <= 0 {
		limit = 100
	}
	end := min(offset+limit, len(snap.rows))
	out := &CurrentMetricsPage{Results: snap.rows[offset:end], SnapshotTime: snap.at, Total: len(snap.rows)}
	if end < len(snap.rows) {
		tok := strings.ReplaceAll(newID(), "-", "")
		c.tokens[tok] = metricsToken{snap: snap, offset: end, expires: now.Add(metricsTokenTTL)}
		out.NextToken = tok
	}
	return out
}

// sweep forgets expired tokens; a token at exactly its expiry is expired.
func (c *metricsTokens) sweep(now time.Time) {
	for k, t := range c.tokens {
		if !now.Before(t.expires) {
			delete(c.tokens, k)
		}
	}
}
