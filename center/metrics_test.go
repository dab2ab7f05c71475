package center_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// GetCurrentMetricData through the SDK, in virtual time. Every expected
// figure is derived in the comments from the scripted events.

// allMetrics is every served metric, in the order requested (on purpose
// not alphabetical, to check the order is kept).
var allMetrics = []types.CurrentMetricName{
	types.CurrentMetricNameOldestContactAge, types.CurrentMetricNameAgentsOnline, types.CurrentMetricNameAgentsAvailable,
	types.CurrentMetricNameAgentsOnCall, types.CurrentMetricNameAgentsOnContact, types.CurrentMetricNameAgentsNonProductive,
	types.CurrentMetricNameAgentsAfterContactWork, types.CurrentMetricNameAgentsError, types.CurrentMetricNameAgentsStaffed,
	types.CurrentMetricNameContactsInQueue, types.CurrentMetricNameContactsScheduled, types.CurrentMetricNameSlotsActive,
	types.CurrentMetricNameSlotsAvailable,
}

// figures are a row's expected values; ON_CALL and ON_CONTACT share one.
type figures struct {
	online, available, onContact, npt, acw, errs, staffed, inQueue, scheduled, slotsActive, slotsAvailable int
	oldest                                                                                                 float64
}

func (f figures) of(name types.CurrentMetricName) float64 {
	return map[types.CurrentMetricName]float64{
		types.CurrentMetricNameAgentsOnline: float64(f.online), types.CurrentMetricNameAgentsAvailable: float64(f.available),
		types.CurrentMetricNameAgentsOnCall: float64(f.onContact), types.CurrentMetricNameAgentsOnContact: float64(f.onContact),
		types.CurrentMetricNameAgentsNonProductive: float64(f.npt), types.CurrentMetricNameAgentsAfterContactWork: float64(f.acw),
		types.CurrentMetricNameAgentsError: float64(f.errs), types.CurrentMetricNameAgentsStaffed: float64(f.staffed),
		types.CurrentMetricNameContactsInQueue: float64(f.inQueue), types.CurrentMetricNameContactsScheduled: float64(f.scheduled),
		types.CurrentMetricNameOldestContactAge: f.oldest, types.CurrentMetricNameSlotsActive: float64(f.slotsActive),
		types.CurrentMetricNameSlotsAvailable: float64(f.slotsAvailable),
	}[name]
}

func metricsReq(iid string, f *types.Filters, groupings ...types.Grouping) *connect.GetCurrentMetricDataInput {
	in := &connect.GetCurrentMetricDataInput{InstanceId: &iid, Filters: f, Groupings: groupings}
	for _, m := range allMetrics {
		in.CurrentMetrics = append(in.CurrentMetrics, types.CurrentMetric{Name: m})
	}
	return in
}

// current fetches the metrics and checks each row carries every requested
// metric, in request order, with its unit.
func (w *world) current(in *connect.GetCurrentMetricDataInput) *connect.GetCurrentMetricDataOutput {
	w.t.Helper()
	out, err := w.Client.GetCurrentMetricData(sbtest.Ctx(w.t), in)
	must(w.t, err)
	for _, r := range out.MetricResults {
		if len(r.Collections) != len(in.CurrentMetrics) {
			w.t.Fatalf("row has %d metrics, want %d", len(r.Collections), len(in.CurrentMetrics))
		}
		for i, c := range r.Collections {
			unit := types.UnitCount
			if c.Metric.Name == types.CurrentMetricNameOldestContactAge {
				unit = types.UnitSeconds
			}
			if c.Metric.Name != in.CurrentMetrics[i].Name || c.Metric.Unit != unit || c.Value == nil {
				w.t.Fatalf("metric %d is %s %s %v, want %s %s", i, c.Metric.Name, c.Metric.Unit, c.Value, in.CurrentMetrics[i].Name, unit)
			}
		}
	}
	return out
}

// expectRow compares a row with figures.
func expectRow(t *testing.T, what string, r types.CurrentMetricResult, f figures) {
	t.Helper()
	var diffs []string
	for _, c := range r.Collections {
		if want := f.of(c.Metric.Name); *c.Value != want {
			diffs = append(diffs, fmt.Sprintf("%s=%v want %v", c.Metric.Name, *c.Value, want))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%s: %s", what, strings.Join(diffs, ", "))
	}
}

// metricsWorld is the scripted contact center of the tests:
//
//	queues qa, qb; profile p1 = {qa CHAT, qa TASK, qb TASK} with CHAT 2,
//	TASK 1 (both ROUTE_CURRENT_CHANNEL_ONLY); p2 = {qb TASK} with TASK 1.
//	ann, bob, dee on p1; cid, eve on p2. Flows fa, fb queue in qa, qb.
type metricsWorld struct {
	*world
	qa, qb, p1, p2, fa, fb, brk string
	ann, bob, cid, eve, dee     string
	annTok, bobTok              string
}

func newMetricsWorld(t *testing.T) *metricsWorld {
	w := &metricsWorld{world: newWorld(t)}
	w.qa, w.qb = w.newQueue("qa", 0), w.newQueue("qb", 0)
	w.p1 = w.newProfile("p1", []mc{{types.ChannelChat, 2, false}, {types.ChannelTask, 1, false}},
		[]qc{{w.qa, types.ChannelChat, 1, 0}, {w.qa, types.ChannelTask, 1, 0}, {w.qb, types.ChannelTask, 1, 0}})
	w.p2 = w.newProfile("p2", []mc{{types.ChannelTask, 1, false}}, []qc{{w.qb, types.ChannelTask, 1, 0}})
	w.fa, w.fb = w.queueFlow("fa", w.qa), w.queueFlow("fb", w.qb)
	st, err := w.Client.CreateAgentStatus(sbtest.Ctx(t), &connect.CreateAgentStatusInput{InstanceId: &w.iid, Name: aws.String("Break"), State: types.AgentStatusStateEnabled})
	must(t, err)
	w.brk = *st.AgentStatusId
	w.ann, w.annTok = w.agentOn("ann", w.p1)
	w.bob, w.bobTok = w.agentOn("bob", w.p1)
	w.dee, _ = w.agentOn("dee", w.p1)
	w.cid, _ = w.agentOn("cid", w.p2)
	w.eve, _ = w.agentOn("eve", w.p2)
	return w
}

// script plays the events up to 7m:
//
//	1m ann Available; 2m bob Available; 3m cid Break.
//	4m task T1 in qb: ann is idle longest, it is offered to her; she accepts.
//	5m chat C1 in qa: ann holds a TASK exclusively, so bob gets the offer;
//	   5m20s he misses it: bob is in error and C1 waits again (enqueued 5m).
//	6m task T2 in qa: ann is full, bob blocked, so it waits (enqueued 6m).
//	6m30s eve Available (p2 does not serve qa, so T2 still waits).
//	6m45s ann ends T1: after-contact work, the TASK slot still held.
//
// dee stays Offline throughout.
func (w *metricsWorld) script() (t1, c1, t2 string) {
	w.Clock.Advance(time.Minute)
	w.setStatus(w.ann, w.available)
	w.Clock.Advance(time.Minute)
	w.setStatus(w.bob, w.available)
	w.Clock.Advance(time.Minute)
	w.setStatus(w.cid, w.brk)
	w.Clock.Advance(time.Minute)
	t1 = w.taskOn(w.fb, "t1")
	if got := w.offeredTo("ann", w.annTok); got != t1 {
		w.t.Fatalf("T1 offered as %s", got)
	}
	w.act(w.annTok, t1, "accept", 204)
	w.Clock.Advance(time.Minute)
	c1 = w.chatOn(w.fa, "c1")
	if got := w.offeredTo("bob", w.bobTok); got != c1 {
		w.t.Fatalf("C1 offered as %s", got)
	}
	w.Clock.Advance(20 * time.Second)
	w.Clock.Advance(40 * time.Second)
	t2 = w.taskOn(w.fa, "t2")
	w.Clock.Advance(30 * time.Second)
	w.setStatus(w.eve, w.available)
	w.Clock.Advance(15 * time.Second)
	w.act(w.annTok, t1, "end", 204)
	w.Clock.Advance(15 * time.Second)
	return t1, c1, t2
}

// TestCurrentMetricsAtSevenMinutes checks every metric with no grouping and
// with each grouping and filter, at 7m of the script.
func TestCurrentMetricsAtSevenMinutes(t *testing.T) {
	t.Parallel()
	w := newMetricsWorld(t)

	// Nobody online and nothing queued: no data, so no rows.
	out := w.current(metricsReq(w.iid, &types.Filters{Queues: []string{w.qa, w.qb}}))
	if len(out.MetricResults) != 0 || !out.DataSnapshotTime.Equal(sbtest.Start) {
		t.Fatalf("empty center: %d rows at %v", len(out.MetricResults), out.DataSnapshotTime)
	}
	w.script()
	now := at(7 * time.Minute)

	// No grouping over qa and qb (by ID and by ARN, mixed):
	//   online ann, bob, cid, eve = 4; available eve = 1; on contact ann
	//   (ACW) = 1; NPT cid = 1; ACW contacts T1 = 1; error bob = 1;
	//   staffed ann, bob, eve = 3; in queue C1, T2 = 2; oldest C1 since 5m
	//   = 120 s, in MILLISECONDS without grouping = 120000; slots active
	//   T1 in ACW = 1; slots available: eve's TASK slot = 1 (ann's is held,
	//   bob is blocked, cid is on a break).
	qbArn := w.queueArn(w.qb)
	out = w.current(metricsReq(w.iid, &types.Filters{Queues: []string{w.qa, qbArn}}))
	if len(out.MetricResults) != 1 || !out.DataSnapshotTime.Equal(now) || aws.ToInt64(out.ApproximateTotalCount) != 1 {
		t.Fatalf("aggregate: %d rows at %v", len(out.MetricResults), out.DataSnapshotTime)
	}
	expectRow(t, "aggregate", out.MetricResults[0], figures{online: 4, available: 1, onContact: 1, npt: 1, acw: 1, errs: 1, staffed: 3, inQueue: 2, oldest: 120000, slotsActive: 1, slotsAvailable: 1})
	if d := out.MetricResults[0].Dimensions; d != nil && (d.Queue != nil || d.Channel != "" || d.RoutingProfile != nil) {
		t.Errorf("aggregate has dimensions %+v", d)
	}

	// Grouped by QUEUE, sorted by AGENTS_ONLINE descending:
	//   qb: agents of p1 and p2 serve it: ann, bob, cid, eve online = 4,
	//       eve available, ann on contact, cid NPT, T1 in ACW, bob error,
	//       staffed 3, nothing queued, T1's slot active, eve's slot free.
	//   qa: only p1 serves it: ann, bob = 2 online and staffed, ann on
	//       contact, bob error; T1 is qb's so no ACW or active slot here;
	//       C1 and T2 queued, oldest 120 s (SECONDS when grouped).
	out = w.current(metricsReq(w.iid, &types.Filters{Queues: []string{w.qa, w.qb}}, types.GroupingQueue))
	if len(out.MetricResults) != 2 {
		t.Fatalf("by queue: %d rows", len(out.MetricResults))
	}
	r0, r1 := out.MetricResults[0], out.MetricResults[1]
	if *r0.Dimensions.Queue.Id != w.qb || *r0.Dimensions.Queue.Arn != qbArn || *r1.Dimensions.Queue.Id != w.qa {
		t.Fatalf("queue rows: %+v, %+v", r0.Dimensions.Queue, r1.Dimensions.Queue)
	}
	expectRow(t, "qb", r0, figures{online: 4, available: 1, onContact: 1, npt: 1, acw: 1, errs: 1, staffed: 3, slotsActive: 1, slotsAvailable: 1})
	expectRow(t, "qa", r1, figures{online: 2, onContact: 1, errs: 1, staffed: 2, inQueue: 2, oldest: 120})

	// Sorted ascending by CONTACTS_IN_QUEUE instead: qb (0) then qa (2).
	in := metricsReq(w.iid, &types.Filters{Queues: []string{w.qa, w.qb}}, types.GroupingQueue)
	in.SortCriteria = []types.CurrentMetricSortCriteria{{SortByMetric: types.CurrentMetricNameContactsInQueue, SortOrder: types.SortOrderAscending}}
	if out = w.current(in); *out.MetricResults[0].Dimensions.Queue.Id != w.qb {
		t.Errorf("ascending by in queue starts with %s", *out.MetricResults[0].Dimensions.Queue.Id)
	}

	// Grouped by CHANNEL over qa (a Channels filter is required):
	//   CHAT: ann and bob serve qa CHAT: online 2, staffed 2, ann on
	//         contact, bob error; C1 waits since 5m = 120 s; ann's chat
	//         slots are blocked by her exclusive TASK, bob is blocked.
	//   TASK: the same agents; T2 waits since 6m = 60 s.
	//   Online ties at 2, so rows follow the dimension: CHAT, TASK.
	out = w.current(metricsReq(w.iid, &types.Filters{Queues: []string{w.qa}, Channels: []types.Channel{types.ChannelChat, types.ChannelTask}}, types.GroupingChannel))
	if len(out.MetricResults) != 2 || out.MetricResults[0].Dimensions.Channel != types.ChannelChat || out.MetricResults[1].Dimensions.Channel != types.ChannelTask {
		t.Fatalf("by channel: %+v", out.MetricResults)
	}
	expectRow(t, "qa CHAT", out.MetricResults[0], figures{online: 2, onContact: 1, errs: 1, staffed: 2, inQueue: 1, oldest: 120})
	expectRow(t, "qa TASK", out.MetricResults[1], figures{online: 2, onContact: 1, errs: 1, staffed: 2, inQueue: 1, oldest: 60})

	// QUEUE then CHANNEL: qa CHAT, qa TASK, qb TASK (qb CHAT: nobody
	// serves it and nothing waits there, so no row).
	out = w.current(metricsReq(w.iid, &types.Filters{Queues: []string{w.qa, w.qb}, Channels: []types.Channel{types.ChannelChat, types.ChannelTask}}, types.GroupingQueue, types.GroupingChannel))
	var keys []string
	for _, r := range out.MetricResults {
		keys = append(keys, *r.Dimensions.Queue.Id+"/"+string(r.Dimensions.Channel))
	}
	if want := []string{w.qb + "/TASK", w.qa + "/CHAT", w.qa + "/TASK"}; !slices.Equal(keys, want) {
		t.Errorf("by queue and channel: %v", keys)
	}

	// Channel filter without grouping: only CHAT pairs of qa and qb. Agents
	// serving a CHAT pair: ann, bob. C1 waits, oldest 120000 ms; T1 (a
	// TASK) is not counted in ACW.
	out = w.current(metricsReq(w.iid, &types.Filters{Queues: []string{w.qa, w.qb}, Channels: []types.Channel{types.ChannelChat}}))
	expectRow(t, "CHAT only", out.MetricResults[0], figures{online: 2, onContact: 1, errs: 1, staffed: 2, inQueue: 1, oldest: 120000})

	// Grouped by ROUTING_PROFILE with a routing-profile filter:
	//   p1: ann, bob (dee is offline): online 2, staffed 2, ann on contact
	//       with T1 in ACW (qb TASK is in p1), bob error; p1's queues hold
	//       C1 and T2, oldest 120 s; T1's slot active.
	//   p2: cid, eve: online 2, eve available and staffed, cid NPT; qb TASK
	//       is empty; eve's slot free.
	out = w.current(metricsReq(w.iid, &types.Filters{RoutingProfiles: []string{w.p1, w.p2}}, types.GroupingRoutingProfile))
	if len(out.MetricResults) != 2 {
		t.Fatalf("by profile: %d rows", len(out.MetricResults))
	}
	rows := map[string]types.CurrentMetricResult{}
	for _, r := range out.MetricResults {
		rows[*r.Dimensions.RoutingProfile.Id] = r
		if !strings.HasSuffix(*r.Dimensions.RoutingProfile.Arn, "/routing-profile/"+*r.Dimensions.RoutingProfile.Id) {
			t.Errorf("profile ARN %s", *r.Dimensions.RoutingProfile.Arn)
		}
	}
	// Online ties at 2: rows follow the profile IDs.
	if first := min(w.p1, w.p2); *out.MetricResults[0].Dimensions.RoutingProfile.Id != first {
		t.Errorf("tied rows not in ID order")
	}
	expectRow(t, "p1", rows[w.p1], figures{online: 2, onContact: 1, acw: 1, errs: 1, staffed: 2, inQueue: 2, oldest: 120, slotsActive: 1})
	expectRow(t, "p2", rows[w.p2], figures{online: 2, available: 1, npt: 1, staffed: 1, slotsAvailable: 1})

	// Routing-profile filter alone: p2's agents, no grouping.
	out = w.current(metricsReq(w.iid, &types.Filters{RoutingProfiles: []string{w.p2}}))
	expectRow(t, "p2 aggregate", out.MetricResults[0], figures{online: 2, available: 1, npt: 1, staffed: 1, slotsAvailable: 1})

	// ROUTING_PROFILE under a queue filter serves agent metrics: qa is
	// served by p1 only.
	in = &connect.GetCurrentMetricDataInput{InstanceId: &w.iid, Filters: &types.Filters{Queues: []string{w.qa}}, Groupings: []types.Grouping{types.GroupingRoutingProfile},
		CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameAgentsOnline}, {Name: types.CurrentMetricNameAgentsError}}}
	out = w.current(in)
	if len(out.MetricResults) != 1 || *out.MetricResults[0].Dimensions.RoutingProfile.Id != w.p1 || *out.MetricResults[0].Collections[0].Value != 2 || *out.MetricResults[0].Collections[1].Value != 1 {
		t.Errorf("qa by profile: %+v", out.MetricResults)
	}

	// AgentStatuses filter: only cid is on Break among qb's agents.
	out = w.current(metricsReq(w.iid, &types.Filters{Queues: []string{w.qb}, AgentStatuses: []string{w.brk}}))
	expectRow(t, "qb on break", out.MetricResults[0], figures{online: 1, npt: 1})

	// QUEUE then AGENT_STATUS (AGENTS_ONLINE only): qb has ann, bob, eve
	// Available and cid on Break.
	in = &connect.GetCurrentMetricDataInput{InstanceId: &w.iid, Filters: &types.Filters{Queues: []string{w.qb}}, Groupings: []types.Grouping{types.GroupingQueue, types.GroupingAgentStatus},
		CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameAgentsOnline}}}
	out = w.current(in)
	if len(out.MetricResults) != 2 || *out.MetricResults[0].Dimensions.AgentStatus.Id != w.available || *out.MetricResults[0].Collections[0].Value != 3 ||
		*out.MetricResults[1].Dimensions.AgentStatus.Id != w.brk || *out.MetricResults[1].Collections[0].Value != 1 || *out.MetricResults[1].Dimensions.Queue.Id != w.qb {
		t.Errorf("qb by status: %+v", out.MetricResults)
	}
}

func (w *world) queueArn(id string) string {
	out, err := w.Client.DescribeQueue(sbtest.Ctx(w.t), &connect.DescribeQueueInput{InstanceId: &w.iid, QueueId: &id})
	must(w.t, err)
	return *out.Queue.QueueArn
}

// TestCurrentMetricsLater follows the script on: concurrency, the ACW quirk
// and scheduled contacts.
func TestCurrentMetricsLater(t *testing.T) {
	t.Parallel()
	w := newMetricsWorld(t)
	t1, c1, t2 := w.script()
	qa := &types.Filters{Queues: []string{w.qa}}

	// 8m ann completes T1: free, she takes the oldest contact of her
	// queues, C1 (5m, before T2 at 6m), and accepts it.
	w.Clock.Advance(time.Minute)
	w.act(w.annTok, t1, "complete", 204)
	if got := w.offeredTo("ann", w.annTok); got != c1 {
		t.Fatalf("ann offered %s, want C1", got)
	}
	w.act(w.annTok, c1, "accept", 204)
	// Over qa: ann, bob online and staffed; ann on contact with C1 (one
	// active slot), one CHAT slot left of 2 (the chat blocks TASK); bob in
	// error; T2 waits since 6m = 120000 ms.
	expectRow(t, "8m qa", w.current(metricsReq(w.iid, qa)).MetricResults[0],
		figures{online: 2, onContact: 1, errs: 1, staffed: 2, inQueue: 1, oldest: 120000, slotsActive: 1, slotsAvailable: 1})

	// 9m chat C3 in qa: ann has a free CHAT slot and bob is blocked, so
	// ann gets it and accepts. Then she ends both chats: two contacts in
	// ACW for one agent — AGENTS_AFTER_CONTACT_WORK counts contacts, so 2,
	// while AGENTS_ON_CONTACT is 1.
	w.Clock.Advance(time.Minute)
	c3 := w.chatOn(w.fa, "c3")
	if got := w.offeredTo("ann", w.annTok); got != c3 {
		t.Fatalf("ann offered %s, want C3", got)
	}
	// While offered, C3 still counts in queue (2) and its slot is not free.
	expectRow(t, "9m C3 offered", w.current(metricsReq(w.iid, qa)).MetricResults[0],
		figures{online: 2, onContact: 1, errs: 1, staffed: 2, inQueue: 2, oldest: 180000, slotsActive: 1})
	w.act(w.annTok, c3, "accept", 204)
	w.act(w.annTok, c1, "end", 204)
	w.act(w.annTok, c3, "end", 204)
	expectRow(t, "9m ACW quirk", w.current(metricsReq(w.iid, qa)).MetricResults[0],
		figures{online: 2, onContact: 1, acw: 2, errs: 1, staffed: 2, inQueue: 1, oldest: 180000, slotsActive: 2})

	// bob takes a break and comes back: the missed contact is cleared, he
	// is no longer in error and is offered T2 (the only contact waiting in
	// qa), which counts in queue until he accepts it. Then ann and bob are
	// both on contact, with three active slots (C1, C3 in ACW, T2).
	w.setStatus(w.bob, w.brk)
	w.setStatus(w.bob, w.available)
	if got := w.offeredTo("bob", w.bobTok); got != t2 {
		t.Fatalf("bob offered %s, want T2", got)
	}
	expectRow(t, "9m T2 offered", w.current(metricsReq(w.iid, qa)).MetricResults[0],
		figures{online: 2, onContact: 1, acw: 2, staffed: 2, inQueue: 1, oldest: 180000, slotsActive: 2})
	w.act(w.bobTok, t2, "accept", 204)
	expectRow(t, "9m T2 accepted", w.current(metricsReq(w.iid, qa)).MetricResults[0],
		figures{online: 2, onContact: 2, acw: 2, staffed: 2, slotsActive: 3})

	// Scheduled: a task bound for qb through a quick connect, due in an
	// hour, is scheduled in qb; one started with a flow only is bound for
	// no queue yet and is in no queue's count.
	qt := w.flowOfType(types.ContactFlowTypeQueueTransfer)
	qcOut, err := w.Client.CreateQuickConnect(sbtest.Ctx(t), &connect.CreateQuickConnectInput{InstanceId: &w.iid, Name: aws.String("to qb"),
		QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue,
			QueueConfig: &types.QueueQuickConnectConfig{QueueId: &w.qb, ContactFlowId: &qt}}})
	must(t, err)
	due := w.Clock.Now().Add(time.Hour)
	_, err = w.Client.StartTaskContact(sbtest.Ctx(t), &connect.StartTaskContactInput{InstanceId: &w.iid, QuickConnectId: qcOut.QuickConnectId, Name: aws.String("later"), ScheduledTime: &due})
	must(t, err)
	_, err = w.Client.StartTaskContact(sbtest.Ctx(t), &connect.StartTaskContactInput{InstanceId: &w.iid, ContactFlowId: &w.fa, Name: aws.String("later too"), ScheduledTime: &due})
	must(t, err)
	sched := &connect.GetCurrentMetricDataInput{InstanceId: &w.iid, Filters: &types.Filters{Queues: []string{w.qa, w.qb}}, Groupings: []types.Grouping{types.GroupingQueue},
		CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameContactsScheduled}, {Name: types.CurrentMetricNameContactsInQueue}}}
	byQueue := func() map[string][2]float64 {
		m := map[string][2]float64{}
		for _, r := range w.current(sched).MetricResults {
			m[*r.Dimensions.Queue.Id] = [2]float64{*r.Collections[0].Value, *r.Collections[1].Value}
		}
		return m
	}
	if m := byQueue(); m[w.qb] != [2]float64{1, 0} || m[w.qa] != [2]float64{0, 0} {
		t.Errorf("scheduled by queue: %v", m)
	}
	// The same in a profile's scope: p2 serves qb TASK.
	in := &connect.GetCurrentMetricDataInput{InstanceId: &w.iid, Filters: &types.Filters{RoutingProfiles: []string{w.p2}}, Groupings: []types.Grouping{types.GroupingRoutingProfile},
		CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameContactsScheduled}}}
	if out := w.current(in); len(out.MetricResults) != 1 || *out.MetricResults[0].Collections[0].Value != 1 {
		t.Errorf("scheduled in p2: %+v", out.MetricResults)
	}
	// At its time the task runs the quick connect's flow into qb, where
	// eve (p2, Available) is offered it: no longer scheduled, in queue
	// while offered.
	w.Clock.Advance(time.Hour)
	if m := byQueue(); m[w.qb] != [2]float64{0, 1} {
		t.Errorf("after the scheduled time: %v", m)
	}
}

func (w *world) flowOfType(typ types.ContactFlowType) string {
	out, err := w.Client.ListContactFlows(sbtest.Ctx(w.t), &connect.ListContactFlowsInput{InstanceId: &w.iid, ContactFlowTypes: []types.ContactFlowType{typ}})
	must(w.t, err)
	return *out.ContactFlowSummaryList[0].Id
}

// TestCurrentMetricsPagination: the snapshot is paged as taken, a token
// lasts 5 minutes and belongs to its parameters.
func TestCurrentMetricsPagination(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	// Five queues each with one task waiting (nobody is online).
	var queues []string
	for i := range 5 {
		q := w.newQueue(fmt.Sprintf("q%d", i), 0)
		queues = append(queues, q)
		w.taskOn(w.queueFlow(fmt.Sprintf("f%d", i), q), "t")
		w.Clock.Advance(time.Second)
	}
	in := metricsReq(w.iid, &types.Filters{Queues: queues}, types.GroupingQueue)
	in.MaxResults = aws.Int32(2)
	first := w.current(in)
	if len(first.MetricResults) != 2 || first.NextToken == nil || aws.ToInt64(first.ApproximateTotalCount) != 5 {
		t.Fatalf("first page: %d rows, token %v, total %v", len(first.MetricResults), first.NextToken, first.ApproximateTotalCount)
	}
	// The snapshot stands: a contact arriving now is not in later pages,
	// and they carry the first page's snapshot time.
	w.Clock.Advance(time.Minute)
	w.taskOn(w.queueFlow("late", queues[0]), "late")
	var seen []string
	for _, r := range first.MetricResults {
		seen = append(seen, *r.Dimensions.Queue.Id)
	}
	tok := first.NextToken
	for tok != nil {
		next := *in
		next.NextToken = tok
		out := w.current(&next)
		if !out.DataSnapshotTime.Equal(*first.DataSnapshotTime) {
			t.Errorf("page snapshot %v, want %v", out.DataSnapshotTime, first.DataSnapshotTime)
		}
		for _, r := range out.MetricResults {
			seen = append(seen, *r.Dimensions.Queue.Id)
			if v := *r.Collections[slices.Index(allMetrics, types.CurrentMetricNameContactsInQueue)].Value; v != 1 {
				t.Errorf("queue %s in queue %v in the snapshot, want 1", *r.Dimensions.Queue.Id, v)
			}
		}
		tok = out.NextToken
	}
	slices.Sort(seen)
	sorted := slices.Clone(queues)
	slices.Sort(sorted)
	if !slices.Equal(seen, sorted) {
		t.Errorf("pages cover %v, want %v", seen, sorted)
	}

	// Changed parameters are refused.
	again := w.current(in)
	changed := *in
	changed.NextToken = again.NextToken
	changed.Groupings = nil
	_, err := w.Raw.GetCurrentMetricData(ctx, &changed)
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	// A different MaxResults is not a different request.
	same := *in
	same.NextToken, same.MaxResults = again.NextToken, aws.Int32(10)
	if out := w.current(&same); len(out.MetricResults) != 3 {
		t.Errorf("rest of the snapshot: %d rows", len(out.MetricResults))
	}
	// Just under 5 minutes the token works; at 5 minutes it has expired.
	same.MaxResults = in.MaxResults
	w.Clock.Advance(5*time.Minute - time.Millisecond)
	w.current(&same)
	w.Clock.Advance(time.Millisecond)
	_, err = w.Raw.GetCurrentMetricData(ctx, &same)
	if msg := sbtest.APIError(t, err, "InvalidParameterException", 400); !strings.Contains(msg, "expired") {
		t.Errorf("expiry message: %s", msg)
	}
}

// TestCurrentMetricsValidation: the request rules, with their exceptions.
func TestCurrentMetricsValidation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	online := []types.CurrentMetric{{Name: types.CurrentMetricNameAgentsOnline}}
	q := []string{w.queue}
	var hundredOne []string
	for range 101 {
		hundredOne = append(hundredOne, w.queue)
	}
	expr := `{"AttributeCondition":{"Name":"Tech","Value":"Go","ProficiencyLevel":3,"ComparisonOperator":"NumberGreaterOrEqualTo"}}`
	cases := []struct {
		name      string
		in        connect.GetCurrentMetricDataInput
		exception string
	}{
		{"no filters", connect.GetCurrentMetricDataInput{CurrentMetrics: online}, "InvalidParameterException"},
		{"no queue or profile", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Channels: []types.Channel{types.ChannelChat}}, CurrentMetrics: online}, "InvalidParameterException"},
		{"queues and profiles", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q, RoutingProfiles: []string{w.rp}}, CurrentMetrics: online}, "InvalidParameterException"},
		{"101 queues", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: hundredOne}, CurrentMetrics: online}, "InvalidParameterException"},
		{"no metrics", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}}, "InvalidParameterException"},
		{"unknown metric", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, CurrentMetrics: []types.CurrentMetric{{Name: "AGENTS_DANCING"}}}, "InvalidParameterException"},
		{"wrong unit", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameOldestContactAge, Unit: types.UnitCount}}}, "InvalidParameterException"},
		{"three groupings", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q, Channels: []types.Channel{types.ChannelChat}}, CurrentMetrics: online,
			Groupings: []types.Grouping{types.GroupingQueue, types.GroupingChannel, types.GroupingRoutingProfile}}, "InvalidParameterException"},
		{"channel grouping without channels", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, CurrentMetrics: online, Groupings: []types.Grouping{types.GroupingChannel}}, "InvalidParameterException"},
		{"profile grouping, queue metric, queue filter", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, Groupings: []types.Grouping{types.GroupingRoutingProfile},
			CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameContactsInQueue}}}, "InvalidParameterException"},
		{"agent status grouping not under queue", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, CurrentMetrics: online, Groupings: []types.Grouping{types.GroupingAgentStatus}}, "InvalidParameterException"},
		{"agent status grouping, other metric", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, Groupings: []types.Grouping{types.GroupingQueue, types.GroupingAgentStatus},
			CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameAgentsAvailable}}}, "InvalidParameterException"},
		{"agent statuses without queues", connect.GetCurrentMetricDataInput{Filters: &types.Filters{RoutingProfiles: []string{w.rp}, AgentStatuses: []string{w.available}}, CurrentMetrics: online}, "InvalidParameterException"},
		{"step expression without grouping", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q, RoutingStepExpressions: []string{expr}},
			CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameContactsInQueue}}}, "InvalidParameterException"},
		{"step grouping over two queues", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{w.queue, w.newQueue("other", 0)}}, Groupings: []types.Grouping{types.GroupingRoutingStepExpression},
			CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameContactsInQueue}}}, "InvalidParameterException"},
		{"step expression not JSON", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q, RoutingStepExpressions: []string{"{nope"}}, Groupings: []types.Grouping{types.GroupingRoutingStepExpression},
			CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameContactsInQueue}}}, "InvalidParameterException"},
		{"sort by slots", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, CurrentMetrics: online,
			SortCriteria: []types.CurrentMetricSortCriteria{{SortByMetric: types.CurrentMetricNameSlotsActive, SortOrder: types.SortOrderAscending}}}, "InvalidParameterException"},
		{"MaxResults 0", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, CurrentMetrics: online, MaxResults: aws.Int32(0)}, "InvalidParameterException"},
		{"MaxResults 101", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, CurrentMetrics: online, MaxResults: aws.Int32(101)}, "InvalidParameterException"},
		{"bad token", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, CurrentMetrics: online, NextToken: aws.String("nope")}, "InvalidParameterException"},
		{"estimated wait time", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q, Channels: []types.Channel{types.ChannelVoice}}, Groupings: []types.Grouping{types.GroupingQueue, types.GroupingChannel},
			CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameEstimatedWaitTime}}}, "InvalidRequestException"},
		{"custom metric", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, CurrentMetrics: []types.CurrentMetric{{MetricId: aws.String("arn:aws:connect:us-east-1:123456789012:instance/x/metric/y")}}}, "InvalidRequestException"},
		{"subtypes", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q, Subtypes: []string{"connect:Guide"}}, CurrentMetrics: online}, "InvalidRequestException"},
		{"agent metric by step", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: q}, Groupings: []types.Grouping{types.GroupingRoutingStepExpression}, CurrentMetrics: online}, "InvalidRequestException"},
		{"unknown queue", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{"00000000-0000-0000-0000-000000000000"}}, CurrentMetrics: online}, "ResourceNotFoundException"},
		{"unknown profile", connect.GetCurrentMetricDataInput{Filters: &types.Filters{RoutingProfiles: []string{"00000000-0000-0000-0000-000000000000"}}, CurrentMetrics: online}, "ResourceNotFoundException"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.InstanceId = &w.iid
			_, err := w.Raw.GetCurrentMetricData(ctx, &in)
			status := 400
			if c.exception == "ResourceNotFoundException" {
				status = 404
			}
			sbtest.APIError(t, err, c.exception, status)
		})
	}
}

// TestCurrentMetricsByStepExpression: contacts grouped by their active
// routing step's expression, filtered by expressions written in another
// key order; age counts from enqueue across steps.
func TestCurrentMetricsByStepExpression(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.attribute("Tech", "Go", "Rust")
	q := w.newQueue("skills", 0)
	f := w.queueFlow("skills", q)
	// Nobody is online: contacts wait. a and b ask for Go, c for Rust with
	// a 30 s first step then Go.
	a := w.taskOn(f, "a")
	w.criteria(a, step(0, atLeast("Tech", "Go", 3)))
	w.Clock.Advance(10 * time.Second)
	b := w.taskOn(f, "b")
	w.criteria(b, step(0, atLeast("Tech", "Go", 3)))
	w.Clock.Advance(10 * time.Second)
	c := w.taskOn(f, "c")
	w.criteria(c, step(30, atLeast("Tech", "Rust", 2)), step(0, atLeast("Tech", "Go", 3)))
	w.taskOn(f, "no criteria")
	w.Clock.Advance(10 * time.Second)

	goX := `{ "AttributeCondition": { "ComparisonOperator": "NumberGreaterOrEqualTo", "ProficiencyLevel": 3.0, "Value": "Go", "Name": "Tech" } }`
	rustX := `{"AttributeCondition":{"Name":"Tech","Value":"Rust","ProficiencyLevel":2,"ComparisonOperator":"NumberGreaterOrEqualTo"}}`
	in := &connect.GetCurrentMetricDataInput{InstanceId: &w.iid, Filters: &types.Filters{Queues: []string{q}, RoutingStepExpressions: []string{goX, rustX}},
		Groupings:      []types.Grouping{types.GroupingRoutingStepExpression},
		CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameContactsInQueue}, {Name: types.CurrentMetricNameOldestContactAge}}}
	get := func() map[string][2]float64 {
		m := map[string][2]float64{}
		for _, r := range w.current(in).MetricResults {
			m[*r.Dimensions.RoutingStepExpression] = [2]float64{*r.Collections[0].Value, *r.Collections[1].Value}
		}
		return m
	}
	// At 30s: Go has a (enqueued 0s) and b: 2, oldest 30 s; Rust has c
	// (enqueued 20s): 1, 10 s. The contact without criteria is in neither.
	if m := get(); m[goX] != [2]float64{2, 30} || m[rustX] != [2]float64{1, 10} || len(m) != 2 {
		t.Errorf("at 30s: %v", m)
	}
	// At 50s c's first step has expired (20s + 30s): c is under Go now,
	// its age still counted from enqueue (30 s), and Rust has no data.
	w.Clock.Advance(20 * time.Second)
	if m := get(); m[goX] != [2]float64{3, 50} || len(m) != 1 {
		t.Errorf("at 50s: %v", m)
	}
	_ = c
}
