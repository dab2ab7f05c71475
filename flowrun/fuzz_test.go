package flowrun

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/flow"
)

// chaosEnv answers from a byte script: each call takes the next byte and
// fails, succeeds or picks an outcome by it, so the fuzzer explores every
// branch an Env can cause.
type chaosEnv struct {
	*fakeEnv
	script []byte
	pos    int
	flows  map[string]*flow.Flow
}

func (c *chaosEnv) next() byte {
	if len(c.script) == 0 {
		return 1
	}
	b := c.script[c.pos%len(c.script)]
	c.pos++
	return b
}

var errChaos = errors.New("chaos")

func (c *chaosEnv) maybe() error {
	if c.next()%4 == 0 {
		return errChaos
	}
	return nil
}

func (c *chaosEnv) LoadFlow(_ context.Context, id string) (LoadedFlow, error) {
	if err := c.maybe(); err != nil {
		return LoadedFlow{}, err
	}
	// Every id names one of two flows, so TransferToFlow can loop.
	key := "main"
	if c.next()%2 == 0 {
		key = "other"
	}
	return LoadedFlow{ID: key, Name: key, Type: "CONTACT_FLOW", Flow: c.flows[key]}, nil
}

// LoadFlowModule serves the same two documents as modules, so that a
// module may invoke itself, return into a flow, or be resumed in.
func (c *chaosEnv) LoadFlowModule(ctx context.Context, id string) (LoadedFlow, error) {
	return c.LoadFlow(ctx, id)
}

func (c *chaosEnv) SetTargetQueue(context.Context, QueueTarget) (QueueInfo, error) {
	return QueueInfo{ID: "q", Name: "Q"}, c.maybe()
}

func (c *chaosEnv) TransferToQueue(context.Context, string) (TransferOutcome, error) {
	return TransferOutcome(c.next() % 2), c.maybe()
}

func (c *chaosEnv) HoursOfOperation(context.Context, string, string) (Hours, error) {
	zones := []string{"UTC", "America/New_York", "Asia/Kolkata", "Bad/Zone"}
	b := c.next()
	h := Hours{TimeZone: zones[int(b)%len(zones)], Config: []HoursInterval{
		{Day: "MONDAY", StartHours: int(b) % 24, EndHours: int(b/3) % 24, EndMinutes: int(b) % 60}}}
	return h, c.maybe()
}

func (c *chaosEnv) QueueMetrics(context.Context, MetricsQuery) (QueueMetrics, error) {
	b := int(c.next())
	return QueueMetrics{AgentsAvailable: b % 3, AgentsStaffed: b % 5, ContactsInQueue: b, OldestContactAge: time.Duration(b) * time.Second}, c.maybe()
}

func (c *chaosEnv) InvokeLambda(context.Context, LambdaRequest) (map[string]any, error) {
	return map[string]any{"k": "v", "n": map[string]any{"x": json.Number("1")}}, c.maybe()
}

func (c *chaosEnv) SendMessage(context.Context, Message) error         { return c.maybe() }
func (c *chaosEnv) Disconnect(context.Context) error                   { return c.maybe() }
func (c *chaosEnv) UpdateRouting(context.Context, RoutingUpdate) error { return c.maybe() }
func (c *chaosEnv) Intn(n int) int                                     { return int(c.next()) * 7 % (n + 3) } // sometimes out of range on purpose

func FuzzRun(f *testing.F) {
	for _, typ := range []string{"CONTACT_FLOW", "CUSTOMER_QUEUE", "QUEUE_TRANSFER"} {
		f.Add(flow.DefaultContent(typ, "q"), flow.DefaultContent("CUSTOMER_QUEUE", ""), []byte{1, 2, 3, 0})
	}
	for _, name := range []string{"spec-inbound-chat.json", "spec-document-structure.json"} {
		if b, err := os.ReadFile("../flow/testdata/" + name); err == nil {
			f.Add(string(b), waitFlow(`,"Events":["CustomerReturned"]`), []byte{5, 0, 9})
		}
	}
	f.Add(doc("l",
		`{"Identifier":"l","Type":"Loop","Parameters":{"LoopCount":"$.Attributes.n"},"Transitions":{"Conditions":[`+
			cond("w", "Equals", "ContinueLooping")+`]}}`,
		`{"Identifier":"w","Type":"Wait","Parameters":{"TimeoutSeconds":"5","Events":["CustomerReturned"]},"Transitions":{"NextAction":"t"}}`,
		act("t", "TransferToFlow", `{"ContactFlowId":"x"}`, "l"), end("err")),
		doc("d", `{"Identifier":"d","Type":"DistributeByPercentage","Parameters":{},"Transitions":{"NextAction":"d","Conditions":[`+
			cond("d", "NumberLessThan", "50")+`]}}`),
		[]byte{7, 7, 0})
	f.Add(doc("i", act("i", "InvokeFlowModule", `{"FlowModuleId":"m"}`, "e"), end("e"), end("err")),
		doc("w", `{"Identifier":"w","Type":"Wait","Parameters":{"TimeoutSeconds":"5"},"Transitions":{"NextAction":"r"}}`,
			act("r", "EndFlowModuleExecution", `{}`, "")), []byte{1, 1, 1, 2})
	f.Add(doc("a", act("a", "UpdateContactRoutingBehavior", `{"RoutingCriteria":{"Steps":[{"Expression":{"AndExpression":[{"AndExpression":[{}]}]}}]}}`, "b"),
		act("b", "InvokeLambdaFunction", `{"LambdaFunctionARN":"$.External.n","InvocationTimeLimitSeconds":1e400}`, "c"),
		act("c", "MessageParticipant", `{"Text":"$['x$.$[","Media":{"Uri":7}}`, "a")), "{}", []byte{})

	f.Fuzz(func(t *testing.T, main, other string, script []byte) {
		flows := map[string]*flow.Flow{}
		for key, content := range map[string]string{"main": main, "other": other} {
			fl, problems := flow.Parse(content)
			if problems != nil {
				fl, _ = flow.Parse(doc("x", end("x")))
			}
			flows[key] = fl
		}
		env := &chaosEnv{fakeEnv: newFake(), script: script, flows: flows}
		env.cd.Attributes["n"] = "3"
		in, clk := newInterp(epoch)
		in.MaxSteps = 200
		res := in.Run(context.Background(), env, "main")
		for i := 0; res.Suspended != nil; i++ {
			if i > 50 {
				return // waits forever by design (a loop of Waits): not a hang
			}
			if res.Steps > in.MaxSteps {
				t.Fatalf("ran %d steps, budget %d", res.Steps, in.MaxSteps)
			}
			b, err := json.Marshal(res.Suspended.State)
			if err != nil {
				t.Fatalf("state does not marshal: %v", err)
			}
			var st State
			if err := json.Unmarshal(b, &st); err != nil {
				t.Fatalf("state does not unmarshal: %v", err)
			}
			event := ""
			if evs := res.Suspended.Events; len(evs) > 0 && env.next()%2 == 0 {
				event = evs[0]
			} else {
				clk.Set(res.Suspended.Until)
			}
			res = in.Resume(context.Background(), env, st, event)
		}
		if res.Steps > in.MaxSteps {
			t.Fatalf("ran %d steps, budget %d", res.Steps, in.MaxSteps)
		}
		switch res.Reason {
		case EndDisconnected, EndTransferredToQueue, EndFlowEnded:
		case EndError:
			if res.Err == nil {
				t.Fatal("EndError without an error")
			}
		default:
			t.Fatalf("unknown end reason %q", res.Reason)
		}
		if _, err := json.Marshal(env.logs); err != nil {
			t.Fatalf("logs do not marshal: %v", err)
		}
	})
}
