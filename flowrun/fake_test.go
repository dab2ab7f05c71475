package flowrun

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/flow"
)

// fakeEnv is an in-memory runtime: it records every effect and answers
// from fields the test sets.
type fakeEnv struct {
	cd      ContactData
	flows   map[string]string // id → content
	modules map[string]string // flow module id → content

	fail map[string]error // method name → error to return

	attrs      map[string]map[string]string // target → merged attributes
	updates    []ContactUpdate
	queues     map[string]QueueInfo // id or agent id → queue
	transfers  []string
	transferTo TransferOutcome
	messages   []Message
	routing    []RoutingUpdate
	hooks      map[string]string
	hours      map[string]Hours // hours id, or "queue:"+queue id
	metrics    QueueMetrics
	metricsQ   []MetricsQuery
	tasks      []TaskRequest
	disconnect int
	lambda     func(LambdaRequest) (map[string]any, error)
	lambdaReqs []LambdaRequest
	logging    []bool
	rand       []int
	logs       []LogEntry
	loads      []string
	views      []ViewRequest
}

// ShowView records the view and answers a token named after it.
func (f *fakeEnv) ShowView(_ context.Context, v ViewRequest) (string, error) {
	f.views = append(f.views, v)
	return "token-" + v.ViewID, f.err("ShowView")
}

func newFake() *fakeEnv {
	return &fakeEnv{
		cd: ContactData{ContactID: "c-1", InitialContactID: "c-1", Channel: "CHAT", InitiationMethod: "API",
			InstanceARN: "arn:aws:connect:us-east-1:111122223333:instance/inst", AwsRegion: "us-east-1",
			Attributes: map[string]string{"tier": "gold", "name": "Ana"}, FlowLogging: true},
		flows:   map[string]string{},
		modules: map[string]string{},
		fail:    map[string]error{},
		attrs:   map[string]map[string]string{},
		queues:  map[string]QueueInfo{"q-sales": {ID: "q-sales", ARN: "arn:aws:connect:us-east-1:111122223333:instance/inst/queue/q-sales", Name: "Sales"}},
		hooks:   map[string]string{},
		hours:   map[string]Hours{},
	}
}

func (f *fakeEnv) err(method string) error { return f.fail[method] }

func (f *fakeEnv) ContactData(context.Context) (ContactData, error) {
	return f.cd, f.err("ContactData")
}

func (f *fakeEnv) LoadFlow(_ context.Context, id string) (LoadedFlow, error) {
	f.loads = append(f.loads, id)
	id = flow.ResourceID(id)
	content, ok := f.flows[id]
	if !ok {
		return LoadedFlow{}, fmt.Errorf("flow %s not found", id)
	}
	fl, problems := flow.Parse(content)
	if problems != nil {
		return LoadedFlow{}, fmt.Errorf("flow %s: %v", id, problems)
	}
	return LoadedFlow{ID: id, Name: "flow " + id, Type: "CONTACT_FLOW", Flow: fl}, nil
}

func (f *fakeEnv) LoadFlowModule(_ context.Context, id string) (LoadedFlow, error) {
	f.loads = append(f.loads, "module:"+id)
	id = flow.ResourceID(id)
	content, ok := f.modules[id]
	if !ok {
		return LoadedFlow{}, fmt.Errorf("flow module %s not found", id)
	}
	fl, problems := flow.Parse(content)
	if problems != nil {
		return LoadedFlow{}, fmt.Errorf("flow module %s: %v", id, problems)
	}
	return LoadedFlow{ID: id, Name: "module " + id, Type: "FLOW_MODULE", Flow: fl}, nil
}

func (f *fakeEnv) SetAttributes(_ context.Context, target string, attrs map[string]string) error {
	if err := f.err("SetAttributes"); err != nil {
		return err
	}
	if f.attrs[target] == nil {
		f.attrs[target] = map[string]string{}
	}
	for k, v := range attrs {
		f.attrs[target][k] = v
	}
	return nil
}

func (f *fakeEnv) UpdateContactData(_ context.Context, u ContactUpdate) error {
	f.updates = append(f.updates, u)
	return f.err("UpdateContactData")
}

func (f *fakeEnv) SetTargetQueue(_ context.Context, t QueueTarget) (QueueInfo, error) {
	key := flow.ResourceID(t.QueueID)
	if t.AgentID != "" {
		key = "agent:" + flow.ResourceID(t.AgentID)
	}
	q, ok := f.queues[key]
	if !ok {
		return QueueInfo{}, fmt.Errorf("queue %s not found", key)
	}
	f.cd.Queue = &q // the runtime's own record of the working queue
	return q, nil
}

func (f *fakeEnv) TransferToQueue(_ context.Context, q string) (TransferOutcome, error) {
	f.transfers = append(f.transfers, q)
	return f.transferTo, f.err("TransferToQueue")
}

func (f *fakeEnv) SendMessage(_ context.Context, m Message) error {
	if err := f.err("SendMessage"); err != nil {
		return err
	}
	f.messages = append(f.messages, m)
	return nil
}

func (f *fakeEnv) UpdateRouting(_ context.Context, u RoutingUpdate) error {
	f.routing = append(f.routing, u)
	return f.err("UpdateRouting")
}

func (f *fakeEnv) SetEventHook(_ context.Context, hook, id string) error {
	if err := f.err("SetEventHook"); err != nil {
		return err
	}
	f.hooks[hook] = id
	return nil
}

func (f *fakeEnv) HoursOfOperation(_ context.Context, id, queue string) (Hours, error) {
	key := flow.ResourceID(id)
	if id == "" {
		key = "queue:" + queue
	}
	h, ok := f.hours[key]
	if !ok {
		return Hours{}, fmt.Errorf("hours %s not found", key)
	}
	return h, nil
}

func (f *fakeEnv) QueueMetrics(_ context.Context, q MetricsQuery) (QueueMetrics, error) {
	f.metricsQ = append(f.metricsQ, q)
	return f.metrics, f.err("QueueMetrics")
}

func (f *fakeEnv) CreateTask(_ context.Context, t TaskRequest) (string, error) {
	if err := f.err("CreateTask"); err != nil {
		return "", err
	}
	f.tasks = append(f.tasks, t)
	return fmt.Sprintf("task-%d", len(f.tasks)), nil
}

func (f *fakeEnv) Disconnect(context.Context) error {
	f.disconnect++
	return f.err("Disconnect")
}

func (f *fakeEnv) InvokeLambda(_ context.Context, r LambdaRequest) (map[string]any, error) {
	f.lambdaReqs = append(f.lambdaReqs, r)
	if f.lambda == nil {
		return nil, errors.New("no lambda")
	}
	return f.lambda(r)
}

func (f *fakeEnv) SetFlowLogging(_ context.Context, on bool) error {
	f.logging = append(f.logging, on)
	return nil
}

func (f *fakeEnv) Intn(n int) int {
	if len(f.rand) == 0 {
		return 0
	}
	v := f.rand[0]
	f.rand = f.rand[1:]
	return v % n
}

func (f *fakeEnv) Log(e LogEntry) { f.logs = append(f.logs, e) }

// path lists the identifiers the flow logs show, in order.
func (f *fakeEnv) path() string {
	var ids []string
	for _, e := range f.logs {
		ids = append(ids, e.Identifier)
	}
	return strings.Join(ids, " ")
}

// doc builds flow content from action JSON objects.
func doc(start string, actions ...string) string {
	return `{"Version":"2019-10-30","StartAction":"` + start + `","Metadata":{},"Actions":[` + strings.Join(actions, ",") + `]}`
}

// end is a terminal action used as a branch marker.
func end(id string) string {
	return `{"Identifier":"` + id + `","Type":"EndFlowExecution","Parameters":{},"Transitions":{}}`
}

// markers are the branch targets the action tables use.
var markers = []string{end("ok"), end("err"), end("full"), end("yes"), end("no"), end("c1"), end("c2"), end("nomatch")}

// epoch is Monday 2024-01-08 10:00 UTC.
var epoch = time.Date(2024, 1, 8, 10, 0, 0, 0, time.UTC)

func newInterp(start time.Time) (*Interpreter, *clock.Virtual) {
	clk := clock.NewVirtual(start)
	return &Interpreter{Clock: clk}, clk
}

// runFlow runs content as flow "main" and returns the result.
func runFlow(t *testing.T, env *fakeEnv, in *Interpreter, content string) Result {
	t.Helper()
	env.flows["main"] = content
	return in.Run(context.Background(), env, "main")
}

// reached is the identifier of the last logged action.
func (f *fakeEnv) reached() string {
	if len(f.logs) == 0 {
		return ""
	}
	return f.logs[len(f.logs)-1].Identifier
}

// entry returns the log entry of the action with identifier id.
func (f *fakeEnv) entry(id string) (LogEntry, bool) {
	for _, e := range f.logs {
		if e.Identifier == id {
			return e, true
		}
	}
	return LogEntry{}, false
}
