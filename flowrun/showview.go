package flowrun

import (
	"context"
	"time"

	"github.com/switchboard-cc/switchboard/flow"
)

// ShowView shows a view to a chat customer and waits for the action they
// choose in it: the run suspends with the event EventViewResult, and the
// runtime resumes it with State.Views set when the customer answers, or
// with no event when InvocationTimeLimitSeconds have passed, which takes
// the TimeLimitExceeded error branch. The result Conditions test is the
// action's name; $.Views.Action and $.Views.ViewResultData read the
// answer afterwards.

// EventViewResult is the event a ShowView waits for.
const EventViewResult = "ViewResult"

// ErrTimeLimitExceeded is ShowView's error when the customer does not
// answer in time.
const ErrTimeLimitExceeded = "TimeLimitExceeded"

// DefaultShowViewSeconds is how long ShowView waits when the flow does not
// say (InvocationTimeLimitSeconds).
const DefaultShowViewSeconds = 400

// ViewRequest is a ShowView to make.
type ViewRequest struct {
	// ViewID is ViewResource.Id as written (an id or ARN) and Version
	// ViewResource.Version ("" for $LATEST).
	ViewID, Version string
	// Data is ViewData with its references resolved.
	Data map[string]any
	// HideResponse is SensitiveDataConfiguration.HideResponseOn TRANSCRIPT.
	HideResponse bool
}

// ViewResult is the customer's answer to a ShowView, as $.Views shows it.
type ViewResult struct {
	// Token is the view token the runtime gave the customer; an answer
	// must carry it.
	Token  string         `json:"Token,omitempty"`
	Action string         `json:"Action,omitempty"`
	Data   map[string]any `json:"ViewResultData,omitempty"`
}

// ViewShower is the part of Env that shows views; an Env without it (or
// one that fails) sends ShowView down its error branch.
type ViewShower interface {
	// ShowView sends the view to the chat customer and returns the token
	// the customer's answer will carry.
	ShowView(ctx context.Context, v ViewRequest) (token string, err error)
}

func showView(r *run, p *params) outcome {
	if r.cd.Channel != "CHAT" {
		return failure("ShowView needs a chat customer; channel %s takes the error branch", r.cd.Channel)
	}
	res, ok := p.object("ViewResource")
	if !ok {
		return failure("ShowView needs ViewResource")
	}
	id, _ := scalar(res["Id"])
	version, _ := scalar(res["Version"])
	req := ViewRequest{ViewID: r.interpolate(id), Version: r.interpolate(version)}
	p.resolved["ViewResource.Id"], p.resolved["ViewResource.Version"] = req.ViewID, req.Version
	if req.ViewID == "" {
		return failure("ShowView needs ViewResource.Id")
	}
	secs, present, err := p.intParam("InvocationTimeLimitSeconds", 1, flow.MaxShowViewSeconds)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	if !present {
		secs = DefaultShowViewSeconds
	}
	if data, ok := p.object("ViewData"); ok {
		req.Data = r.resolveJSON(data).(map[string]any)
	}
	if cfg, ok := p.object("SensitiveDataConfiguration"); ok {
		list, _ := cfg["HideResponseOn"].([]any)
		for _, v := range list {
			req.HideResponse = req.HideResponse || v == "TRANSCRIPT"
		}
	}
	shower, ok := r.env.(ViewShower)
	if !ok {
		return failed(flow.ErrNoMatchingError, ErrUnsupported)
	}
	token, err := shower.ShowView(r.ctx, req)
	if err != nil {
		return failed(flow.ErrNoMatchingError, err)
	}
	r.st.Views = &ViewResult{Token: token}
	return outcome{wait: &Suspended{Until: r.now().Add(time.Duration(secs) * time.Second), Events: []string{EventViewResult}}}
}

// resumedView is the outcome of a ShowView the run resumes at: the
// customer's action, or TimeLimitExceeded when the time ran out.
func (r *run) resumedView(event string) outcome {
	if event != EventViewResult {
		return failed(ErrTimeLimitExceeded, errTimeLimit)
	}
	if r.st.Views == nil || r.st.Views.Action == "" {
		return failure("ShowView resumed without the customer's action")
	}
	return result(r.st.Views.Action)
}

var errTimeLimit = timeLimitError{}

type timeLimitError struct{}

func (timeLimitError) Error() string { return "the customer did not answer the view in time" }

// resolveJSON resolves the references in every string of a JSON value.
func (r *run) resolveJSON(v any) any {
	switch t := v.(type) {
	case string:
		if segs, end, ok := parseRef(t, 0); ok && end == len(t) {
			// A whole reference keeps the referenced value's shape.
			if got, found := r.lookup(segs); found {
				return got
			}
			return ""
		}
		return r.interpolate(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = r.resolveJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = r.resolveJSON(e)
		}
		return out
	}
	return v
}
