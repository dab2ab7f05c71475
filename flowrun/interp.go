// Package flowrun interprets Amazon Connect flows (package flow's documents)
// for one contact.
//
// The interpreter is pure with respect to the outside world: it reads the
// contact and makes every effect through an Env that the runtime
// implements, takes time from a clock.Clock and randomness from Env.Intn.
// It never sleeps and never starts goroutines. Run executes a flow until it
// ends or has to wait; waiting returns a Suspended result whose State the
// runtime persists and later hands to Resume, when the timer fires or the
// awaited event happens:
//
//	in := &flowrun.Interpreter{Clock: clk}
//	res := in.Run(ctx, env, flowID)
//	for res.Suspended != nil {
//		// persist res.Suspended.State; at res.Suspended.Until or on one of
//		// res.Suspended.Events:
//		res = in.Resume(ctx, env, res.Suspended.State, event) // "" = timer
//	}
//	// res.Reason says why the flow ended.
//
// Transition rules follow the flow-language spec (§4): terminal actions end
// the flow; a result is tested against Conditions in order, then the
// NoMatchingCondition error branch, then NextAction; an error takes its own
// error branch, else NoMatchingError, else the flow ends with EndError; a
// missing NextAction ends the flow.
//
// # Actions
//
// Run with their documented effect: MessageParticipant (no effect on TASK
// and EMAIL), DisconnectParticipant, UpdateContactAttributes,
// UpdateContactData, UpdateContactTextToSpeechVoice,
// UpdateContactTargetQueue, TransferContactToQueue (QueueAtCapacity,
// NoMatchingError), UpdateContactRoutingBehavior and UpdateRoutingCriteria
// (priority, age, routing criteria), UpdateContactEventHooks, CreateTask,
// Compare, CheckHoursOfOperation, CheckMetricData, GetMetricData,
// DistributeByPercentage, Loop, Wait, EndFlowExecution, TransferToFlow,
// UpdateFlowLoggingBehavior, UpdateFlowAttributes, InvokeLambdaFunction,
// InvokeFlowModule and EndFlowModuleExecution (State.Calls remembers where
// each module returns to), and ShowView in chats (showview.go).
//
// Take their error branch as Connect does outside voice:
// GetParticipantInput, MessageParticipantIteratively. Succeed without
// effect: UpdateContactRecordingBehavior and
// UpdateContactRecordingAndAnalyticsBehavior. Every other type, known to
// the flow language or not, takes its error branch with an ERROR log entry.
//
// # References
//
// $.Attributes, $.External, $.FlowAttributes, $.Metrics, $.Views, $.Queue,
// $.CustomerEndpoint, $.SystemEndpoint, $.References, $.SegmentAttributes
// (typed values unwrapped), $.Agent, $.Task.ContactId and the scalar
// contact fields resolve from ContactData and the run's State; any other
// namespace ($.Lex, $.Customer, …) is walked in ContactData.Extra. A
// reference to nothing reads as "".
package flowrun

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/flow"
)

// DefaultMaxSteps is the action budget of one Run or Resume call. No real
// flow runs a thousand actions without waiting; a loop without a Wait in it
// would, and must not hold the server.
const DefaultMaxSteps = 1000

// Interpreter runs flows. It holds no per-contact state and is safe for
// concurrent use.
type Interpreter struct {
	// Clock is the time Wait, CheckHoursOfOperation, CreateTask's delay and
	// log timestamps use. nil means clock.Real.
	Clock clock.Clock
	// MaxSteps is the action budget per Run or Resume; 0 means
	// DefaultMaxSteps.
	MaxSteps int
}

// EndReason says why a flow ended.
type EndReason string

const (
	// EndDisconnected: DisconnectParticipant ran; the runtime ends the
	// customer's participation.
	EndDisconnected EndReason = "Disconnected"
	// EndTransferredToQueue: TransferContactToQueue queued the contact; the
	// runtime starts the customer queue flow.
	EndTransferredToQueue EndReason = "TransferredToQueue"
	// EndFlowEnded: EndFlowExecution ran, or a path ran out (no
	// NextAction). An unqueued contact ends; a queued one keeps waiting.
	EndFlowEnded EndReason = "EndOfFlow"
	// EndError: an error with no branch to take, the step budget, a flow
	// that cannot be loaded or resumed. Result.Err says which. The spec
	// treats it like EndFlowEnded; it is separate so it can be reported.
	EndError EndReason = "Error"
)

// Result is what Run and Resume return: either Suspended is set, or the flow
// ended for Reason.
type Result struct {
	Suspended *Suspended
	Reason    EndReason
	// Err explains EndError.
	Err error
	// FlowID is the flow that was running last (after TransferToFlow, the
	// target).
	FlowID string
	// Steps is how many actions this call executed.
	Steps int
}

// Ended reports whether the flow is over.
func (r Result) Ended() bool { return r.Suspended == nil }

// Suspended is a flow waiting for a time or an event.
type Suspended struct {
	// Until is when the wait times out; the runtime calls Resume with
	// event "" then.
	Until time.Time
	// Events are the events that end the wait early (Wait's Events, e.g.
	// CustomerReturned); the runtime calls Resume with the event's name.
	Events []string
	// State is what Resume needs; it marshals to JSON.
	State State
}

// State is a suspended run. Every field is exported and JSON-serialisable
// so the runtime can persist it with the contact.
type State struct {
	FlowID string `json:"FlowId"`
	// Action is the Identifier of the action that is waiting.
	Action string    `json:"Action"`
	Until  time.Time `json:"Until"`
	Events []string  `json:"Events,omitempty"`
	// Loops counts Loop visits per "flowId/Identifier".
	Loops map[string]int `json:"Loops,omitempty"`
	// Logging is whether flow logging is on.
	Logging bool `json:"Logging,omitempty"`
	// External is the last Lambda response, $.External; it lives as long
	// as the flow run, not on the contact.
	External map[string]any `json:"External,omitempty"`
	// FlowAttributes are $.FlowAttributes, scoped to the run.
	FlowAttributes map[string]string `json:"FlowAttributes,omitempty"`
	// TaskContactID is the last CreateTask's contact, $.Task.ContactId.
	TaskContactID string `json:"TaskContactId,omitempty"`
	// Metrics is what GetMetricData last read, $.Metrics.
	Metrics map[string]any `json:"Metrics,omitempty"`
	// Calls are the InvokeFlowModule actions the run is inside, the
	// outermost first; FlowID is then the innermost module's.
	Calls []Call `json:"Calls,omitempty"`
	// Views is the last ShowView: while it waits, the token its answer
	// must carry; then the answer, $.Views.
	Views *ViewResult `json:"Views,omitempty"`
}

// Call is an InvokeFlowModule action waiting for its module to return.
type Call struct {
	// FlowID is the flow (or, when nested, the module) that invoked it.
	FlowID string `json:"FlowId"`
	// Action is the InvokeFlowModule action's Identifier.
	Action string `json:"Action"`
}

// MaxModuleDepth bounds how deeply modules may invoke modules, so that a
// module invoking itself fails instead of growing the State without end.
const MaxModuleDepth = 10

// EventTimeout is the result a Wait takes when its time runs out; Resume
// also accepts it in place of "".
const EventTimeout = "WaitCompleted"

// LogEntry is one flow-log record. Field names follow Connect's CloudWatch
// flow logs so that existing tooling reads them.
type LogEntry struct {
	Timestamp  time.Time      `json:"Timestamp"`
	Level      string         `json:"Level"` // INFO, or ERROR for engine errors
	ContactID  string         `json:"ContactId"`
	FlowID     string         `json:"ContactFlowId"`
	FlowName   string         `json:"ContactFlowName"`
	FlowType   string         `json:"ContactFlowType,omitempty"`
	Identifier string         `json:"Identifier,omitempty"`
	ActionType string         `json:"ActionType,omitempty"`
	Parameters map[string]any `json:"Parameters,omitempty"`
	// Results is the action's result value, when it has one.
	Results string `json:"Results,omitempty"`
	// Branch says which transition was taken: "NextAction",
	// "Condition[1]", "Error:QueueAtCapacity", "NoMatchingCondition",
	// "Suspended", "End".
	Branch string `json:"Branch,omitempty"`
	// Next is the Identifier execution continues at, "" when the flow
	// ends or waits.
	Next  string `json:"NextAction,omitempty"`
	Error string `json:"Error,omitempty"`
	// ExternalResults is the Lambda response, for InvokeLambdaFunction.
	ExternalResults map[string]any `json:"ExternalResults,omitempty"`
}

// Run starts the flow flowID (an id or ARN) for the contact env serves.
func (in *Interpreter) Run(ctx context.Context, env Env, flowID string) Result {
	r := in.newRun(ctx, env)
	cd, err := env.ContactData(ctx)
	if err != nil {
		return r.fail(nil, fmt.Errorf("reading contact data: %w", err))
	}
	r.cd = cd
	r.st.Logging = cd.FlowLogging
	fl, err := env.LoadFlow(ctx, flowID)
	if err != nil || fl.Flow == nil {
		return r.fail(nil, fmt.Errorf("loading flow %q: %v", flowID, errOrNil(err)))
	}
	r.enter(fl)
	return r.exec(fl.Flow.StartAction, nil)
}

// Resume continues a suspended run. event is "" (or EventTimeout) when the
// wait's time has come, else the name of the event that happened. A timer
// that fires early, or an event the wait is not listening for, leaves the
// run suspended as it was.
func (in *Interpreter) Resume(ctx context.Context, env Env, st State, event string) Result {
	r := in.newRun(ctx, env)
	r.st = st
	// A runtime may retry Resume with the same State; never write into
	// the caller's maps.
	r.st.Loops = maps.Clone(st.Loops)
	r.st.FlowAttributes = maps.Clone(st.FlowAttributes)
	r.st.Calls = slices.Clone(st.Calls)
	r.fl.ID = st.FlowID // for log entries written before the flow loads
	if event == EventTimeout {
		event = ""
	}
	unchanged := Result{Suspended: &Suspended{Until: st.Until, Events: st.Events, State: st}, FlowID: st.FlowID}
	if event == "" && r.now().Before(st.Until) {
		return unchanged
	}
	if event != "" && !slices.Contains(st.Events, event) {
		return unchanged
	}
	cd, err := env.ContactData(ctx)
	if err != nil {
		return r.fail(nil, fmt.Errorf("reading contact data: %w", err))
	}
	r.cd = cd
	fl, err := r.load(st.FlowID, len(st.Calls) > 0)
	if err != nil {
		return r.fail(nil, fmt.Errorf("loading flow %q to resume: %w", st.FlowID, err))
	}
	r.enter(fl)
	r.st.Action, r.st.Until, r.st.Events = "", time.Time{}, nil
	result := EventTimeout
	if event != "" {
		result = event
	}
	return r.exec(st.Action, &result)
}

// load returns the flow id, or the flow module id when module is set.
func (r *run) load(id string, module bool) (LoadedFlow, error) {
	var fl LoadedFlow
	var err error
	if module {
		fl, err = r.env.LoadFlowModule(r.ctx, id)
	} else {
		fl, err = r.env.LoadFlow(r.ctx, id)
	}
	if err == nil && fl.Flow == nil {
		err = errors.New("no flow returned")
	}
	return fl, err
}

func errOrNil(err error) any {
	if err == nil {
		return "no flow returned"
	}
	return err
}

// run is one Run or Resume call.
type run struct {
	in    *Interpreter
	ctx   context.Context
	env   Env
	cd    ContactData
	st    State
	fl    LoadedFlow
	steps int
}

func (in *Interpreter) newRun(ctx context.Context, env Env) *run {
	return &run{in: in, ctx: ctx, env: env}
}

func (r *run) now() time.Time {
	if r.in.Clock == nil {
		return time.Now()
	}
	return r.in.Clock.Now()
}

func (r *run) maxSteps() int {
	if r.in.MaxSteps > 0 {
		return r.in.MaxSteps
	}
	return DefaultMaxSteps
}

// enter makes fl the running flow.
func (r *run) enter(fl LoadedFlow) {
	r.fl = fl
	r.st.FlowID = fl.ID
}

// outcome is what one action did.
type outcome struct {
	// result is the value Conditions test, when hasResult.
	result    string
	hasResult bool
	// errType is set when the action failed; err explains it.
	errType string
	err     error
	// end makes the action terminal.
	end EndReason
	// wait suspends the run.
	wait *Suspended
	// jump continues at another flow's start (TransferToFlow).
	jump *LoadedFlow
	// call enters a flow module (InvokeFlowModule); ret returns from one
	// (EndFlowModuleExecution).
	call *LoadedFlow
	ret  bool
	// external is logged as ExternalResults.
	external map[string]any
}

func failed(errType string, err error) outcome { return outcome{errType: errType, err: err} }

func failure(format string, args ...any) outcome {
	return failed(flow.ErrNoMatchingError, fmt.Errorf(format, args...))
}

func result(v string) outcome { return outcome{result: v, hasResult: true} }

// exec runs actions from id until the flow ends or waits. resumed is the
// result of the waiting action id when resuming it.
func (r *run) exec(id string, resumed *string) Result {
	for {
		if id == "" {
			return r.end(EndFlowEnded, nil)
		}
		if err := r.ctx.Err(); err != nil {
			return r.fail(nil, err)
		}
		a, ok := r.fl.Flow.Action(id)
		if !ok {
			return r.fail(&flow.Action{Identifier: id}, fmt.Errorf("flow %s has no action %q", r.fl.ID, id))
		}
		if r.steps >= r.maxSteps() {
			return r.fail(a, fmt.Errorf("step budget of %d actions exceeded without waiting; the flow may loop forever", r.maxSteps()))
		}
		r.steps++
		p := &params{r: r, a: a, resolved: map[string]any{}}
		var o outcome
		if resumed != nil && a.Type != "Wait" && a.Type != "ShowView" {
			return r.fail(a, fmt.Errorf("cannot resume at action %q: it is a %s, not a Wait or ShowView (was the flow changed?)", id, a.Type))
		}
		if resumed != nil && a.Type == "ShowView" {
			o = r.resumedView(*resumed)
			resumed = nil
		} else if resumed != nil {
			o = result(*resumed)
			p.resolved["Event"] = *resumed
			resumed = nil
		} else {
			o = r.do(a, p)
		}
		next, branch, res := r.transition(a, o)
		if res != nil && res.Reason == EndError {
			// An error with nowhere to go is logged even with logging off.
			p.forceLog = true
			if o.err == nil || !isUnsupported(o.err) {
				o.err = res.Err
			}
		}
		r.logAction(a, p, o, branch, next)
		if res != nil {
			return *res
		}
		switch {
		case o.jump != nil:
			// A transfer leaves every module it was made from.
			r.st.Calls = nil
			r.enter(*o.jump)
			next = o.jump.Flow.StartAction
		case o.call != nil:
			r.st.Calls = append(r.st.Calls, Call{FlowID: r.fl.ID, Action: a.Identifier})
			r.enter(*o.call)
			next = o.call.Flow.StartAction
		case o.ret:
			var res *Result
			if next, res = r.returnFromModule(); res != nil {
				return *res
			}
		}
		id = next
	}
}

// transition picks where to go after a. A non-nil Result ends the call.
func (r *run) transition(a *flow.Action, o outcome) (next, branch string, res *Result) {
	t := &a.Transitions
	switch {
	case o.wait != nil:
		st := r.st
		st.Action, st.Until, st.Events = a.Identifier, o.wait.Until, o.wait.Events
		st.Loops = maps.Clone(st.Loops)
		return "", "Suspended", &Result{Suspended: &Suspended{Until: o.wait.Until, Events: o.wait.Events, State: st}, FlowID: r.fl.ID, Steps: r.steps}
	case o.jump != nil:
		return "", "TransferToFlow", nil
	case o.call != nil:
		return "", "InvokeFlowModule", nil
	case o.ret:
		if len(r.st.Calls) == 0 {
			// Not inside a module (a flow that ends with the module's
			// Return): the run ends there.
			res := r.end(EndFlowEnded, nil)
			return "", "End", &res
		}
		return "", "Return", nil
	case o.end != "":
		res := r.end(o.end, nil)
		return "", "End", &res
	case o.errType != "":
		target, ok := t.ErrorTarget(o.errType)
		if !ok {
			cause := o.err
			if cause == nil {
				cause = errors.New(o.errType)
			}
			res := r.end(EndError, fmt.Errorf("action %q (%s) failed with %s and has no error branch: %w", a.Identifier, a.Type, o.errType, cause))
			return "", "Error:" + o.errType, &res
		}
		return target, "Error:" + o.errType, nil
	case o.hasResult:
		for i, c := range t.Conditions {
			if matches(c.Operator, c.Operands, o.result) {
				return c.NextAction, "Condition[" + strconv.Itoa(i) + "]", nil
			}
		}
		// Only an explicit NoMatchingCondition branch: the NoMatchingError
		// catch-all is for failures, and exports put "else" in NextAction.
		for _, e := range t.Errors {
			if e.ErrorType == flow.ErrNoMatchingCondition {
				return e.NextAction, flow.ErrNoMatchingCondition, nil
			}
		}
	}
	return t.NextAction, "NextAction", nil
}

// returnFromModule leaves the innermost module and says where the caller
// goes on: the InvokeFlowModule action's success transition. A caller that
// no longer loads, or no longer has the action, ends the run.
func (r *run) returnFromModule() (string, *Result) {
	c := r.st.Calls[len(r.st.Calls)-1]
	r.st.Calls = r.st.Calls[:len(r.st.Calls)-1]
	fl, err := r.load(c.FlowID, len(r.st.Calls) > 0)
	if err != nil {
		res := r.fail(nil, fmt.Errorf("returning from a flow module to %q: %w", c.FlowID, err))
		return "", &res
	}
	r.enter(fl)
	a, ok := fl.Flow.Action(c.Action)
	if !ok {
		res := r.fail(nil, fmt.Errorf("returning from a flow module: flow %s has no action %q (was the flow changed?)", fl.ID, c.Action))
		return "", &res
	}
	return a.Transitions.NextAction, nil
}

func (r *run) end(reason EndReason, err error) Result {
	return Result{Reason: reason, Err: err, FlowID: r.fl.ID, Steps: r.steps}
}

// fail ends the run with an engine error and always logs it.
func (r *run) fail(a *flow.Action, err error) Result {
	e := r.entry(a)
	e.Level = "ERROR"
	e.Branch = "End"
	e.Error = err.Error()
	r.env.Log(e)
	return r.end(EndError, err)
}

func (r *run) entry(a *flow.Action) LogEntry {
	e := LogEntry{Timestamp: r.now(), Level: "INFO", ContactID: r.cd.ContactID,
		FlowID: r.fl.ID, FlowName: r.fl.Name, FlowType: r.fl.Type}
	if a != nil {
		e.Identifier, e.ActionType = a.Identifier, a.Type
	}
	return e
}

// logAction writes the entry for one executed action: always while logging
// is on, and for an action the engine cannot run even when it is off, so
// that an operator sees why a contact took an error branch.
func (r *run) logAction(a *flow.Action, p *params, o outcome, branch, next string) {
	unsupported := o.errType != "" && isUnsupported(o.err)
	if !r.st.Logging && !p.forceLog && !unsupported {
		return
	}
	e := r.entry(a)
	if len(p.resolved) > 0 {
		e.Parameters = p.resolved
	}
	if o.hasResult {
		e.Results = o.result
	}
	e.Branch, e.Next = branch, next
	if o.err != nil {
		e.Error = o.err.Error()
	}
	if unsupported || branch != "" && next == "" && o.errType != "" {
		e.Level = "ERROR"
	}
	e.ExternalResults = o.external
	r.env.Log(e)
}

// matches evaluates one condition operator against a result. Several
// operands mean "any of them"; an unknown operator is false.
func matches(op string, operands []string, v string) bool {
	for _, o := range operands {
		var ok bool
		switch op {
		case "Equals":
			ok = v == o
		case "TextStartsWith":
			ok = strings.HasPrefix(v, o)
		case "TextEndsWith":
			ok = strings.HasSuffix(v, o)
		case "TextContains":
			ok = strings.Contains(v, o)
		case "NumberGreaterThan", "NumberGreaterOrEqualTo", "NumberLessThan", "NumberLessOrEqualTo":
			x, okx := number(v)
			y, oky := number(o)
			if !okx || !oky {
				break
			}
			switch op {
			case "NumberGreaterThan":
				ok = x > y
			case "NumberGreaterOrEqualTo":
				ok = x >= y
			case "NumberLessThan":
				ok = x < y
			case "NumberLessOrEqualTo":
				ok = x <= y
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// number parses a finite decimal number; Number* operators are strictly
// numeric, so anything else makes them false.
func number(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}
