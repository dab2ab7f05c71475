package flowrun

import (
	"context"
	"strings"
	"testing"
	"time"
)

// ret is a module's Return.
func ret(id string) string {
	return `{"Identifier":"` + id + `","Type":"EndFlowModuleExecution","Parameters":{},"Transitions":{}}`
}

// invoke calls module, going on at next, or at "err" on an error.
func invoke(id, module, next string) string {
	return act(id, "InvokeFlowModule", `{"FlowModuleId":"`+module+`"}`, next)
}

// A module runs where it is invoked and returns to the action after the
// invoke, with what it changed in place.
func TestInvokeFlowModule(t *testing.T) {
	env := newFake()
	in, _ := newInterp(epoch)
	env.modules["greet"] = doc("hi",
		act("hi", "MessageParticipant", `{"Text":"hello $.Attributes.name"}`, "set"),
		act("set", "UpdateFlowAttributes", `{"FlowAttributes":{"greeted":"yes"}}`, "back"),
		ret("back"), end("err"))
	res := runFlow(t, env, in, doc("call",
		invoke("call", "arn:aws:connect:us-east-1:1:instance/i/flow-module/greet", "after"),
		act("after", "MessageParticipant", `{"Text":"greeted: $.FlowAttributes.greeted"}`, "done"),
		end("done"), end("err")))
	if res.Reason != EndFlowEnded || res.FlowID != "main" {
		t.Fatalf("result %+v, path %s", res, env.path())
	}
	if env.path() != "call hi set back after done" {
		t.Errorf("path %s", env.path())
	}
	if len(env.messages) != 2 || env.messages[0].Text != "hello Ana" || env.messages[1].Text != "greeted: yes" {
		t.Errorf("messages %+v", env.messages)
	}
	if e, _ := env.entry("call"); e.FlowID != "main" || e.Branch != "InvokeFlowModule" {
		t.Errorf("invoke log %+v", e)
	}
	if e, _ := env.entry("hi"); e.FlowID != "greet" || e.FlowType != "FLOW_MODULE" {
		t.Errorf("module log %+v", e)
	}
	if e, _ := env.entry("back"); e.Branch != "Return" {
		t.Errorf("return log %+v", e)
	}
}

// A module that waits suspends the whole run; resuming continues in the
// module and then returns to its caller.
func TestWaitInsideFlowModule(t *testing.T) {
	env := newFake()
	in, clk := newInterp(epoch)
	env.modules["hold"] = doc("w",
		`{"Identifier":"w","Type":"Wait","Parameters":{"TimeoutSeconds":"30"},"Transitions":{"Errors":[{"NextAction":"r","ErrorType":"NoMatchingError"}],"Conditions":[`+
			cond("r", "Equals", "WaitCompleted")+`]}}`,
		ret("r"))
	res := runFlow(t, env, in, doc("call", invoke("call", "hold", "after"), end("after"), end("err")))
	if res.Suspended == nil {
		t.Fatalf("result %+v, path %s", res, env.path())
	}
	st := res.Suspended.State
	if st.FlowID != "hold" || len(st.Calls) != 1 || st.Calls[0] != (Call{FlowID: "main", Action: "call"}) {
		t.Fatalf("suspended state %+v", st)
	}
	clk.Advance(time.Minute)
	r := in.Resume(ctx, env, st, EventTimeout)
	if r.Reason != EndFlowEnded || env.reached() != "after" || r.FlowID != "main" {
		t.Fatalf("resume %+v, path %s", r, env.path())
	}
	if len(st.Calls) != 1 {
		t.Error("Resume changed the caller's State")
	}
}

func TestFlowModuleFailures(t *testing.T) {
	t.Run("unknown module takes the error branch", func(t *testing.T) {
		env := newFake()
		in, _ := newInterp(epoch)
		res := runFlow(t, env, in, doc("call", invoke("call", "nowhere", "after"), end("after"), end("err")))
		if res.Reason != EndFlowEnded || env.reached() != "err" {
			t.Fatalf("result %+v, path %s", res, env.path())
		}
	})
	t.Run("a module invoking itself stops at the depth limit", func(t *testing.T) {
		env := newFake()
		in, _ := newInterp(epoch)
		// Each level's invoke fails at the limit, takes its error branch
		// to Return, and every level returns in turn.
		env.modules["rec"] = doc("again",
			`{"Identifier":"again","Type":"InvokeFlowModule","Parameters":{"FlowModuleId":"rec"},"Transitions":{"NextAction":"r","Errors":[{"NextAction":"r","ErrorType":"NoMatchingError"}]}}`,
			ret("r"))
		res := runFlow(t, env, in, doc("call", invoke("call", "rec", "after"), end("after"), end("err")))
		if res.Reason != EndFlowEnded || env.reached() != "after" {
			t.Fatalf("result %+v, path %s", res, env.path())
		}
		if n := strings.Count(env.path(), "again"); n != MaxModuleDepth {
			t.Errorf("%d nested invokes, want %d", n, MaxModuleDepth)
		}
	})
	t.Run("Return outside a module ends the flow", func(t *testing.T) {
		env := newFake()
		in, _ := newInterp(epoch)
		res := runFlow(t, env, in, doc("r", ret("r")))
		if res.Reason != EndFlowEnded {
			t.Fatalf("result %+v", res)
		}
	})
	t.Run("a transfer leaves the module for good", func(t *testing.T) {
		env := newFake()
		in, _ := newInterp(epoch)
		env.flows["other"] = waitFlow("")
		env.modules["away"] = doc("go", act("go", "TransferToFlow", `{"ContactFlowId":"other"}`, "r"), ret("r"))
		res := runFlow(t, env, in, doc("call", invoke("call", "away", "after"), end("after"), end("err")))
		if res.Suspended == nil || res.Suspended.State.FlowID != "other" || len(res.Suspended.State.Calls) != 0 {
			t.Fatalf("result %+v", res)
		}
	})
	t.Run("a runtime without modules takes the error branch", func(t *testing.T) {
		env := &noModules{newFake()}
		in, _ := newInterp(epoch)
		env.flows["main"] = doc("call", invoke("call", "m", "after"), end("after"), end("err"))
		res := in.Run(ctx, env, "main")
		if res.Reason != EndFlowEnded || env.reached() != "err" {
			t.Fatalf("result %+v, path %s", res, env.path())
		}
	})
}

// noModules is a runtime that has not implemented LoadFlowModule.
type noModules struct{ *fakeEnv }

func (noModules) LoadFlowModule(context.Context, string) (LoadedFlow, error) {
	return LoadedFlow{}, ErrUnsupported
}
