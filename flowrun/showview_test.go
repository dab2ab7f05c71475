package flowrun

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"
)

// showViewFlow shows view "v-form" and branches on the chosen action.
func showViewFlow(params string) string {
	return doc("show",
		`{"Identifier":"show","Type":"ShowView","Parameters":`+params+`,"Transitions":{"NextAction":"other","Conditions":[`+
			cond("keep", "Equals", "Submit")+`],"Errors":[{"NextAction":"late","ErrorType":"TimeLimitExceeded"},{"NextAction":"err","ErrorType":"NoMatchingError"}]}}`,
		act("keep", "UpdateContactAttributes", `{"Attributes":{"chose":"$.Views.Action","name":"$.Views.ViewResultData.name"}}`, "ok"),
		end("ok"), end("other"), end("late"), end("err"))
}

func TestShowViewWaitsForTheCustomersAction(t *testing.T) {
	env := newFake()
	in, _ := newInterp(epoch)
	res := runFlow(t, env, in, showViewFlow(`{"ViewResource":{"Id":"v-form","Version":"2"},"InvocationTimeLimitSeconds":"60",`+
		`"ViewData":{"Heading":"Hello $.Attributes.name","Rows":[{"Tier":"$.Attributes.tier"}]},"SensitiveDataConfiguration":{"HideResponseOn":["TRANSCRIPT"]}}`))
	s := res.Suspended
	if s == nil || !s.Until.Equal(epoch.Add(time.Minute)) || !reflect.DeepEqual(s.Events, []string{EventViewResult}) {
		t.Fatalf("ShowView did not wait for the view: %+v", res)
	}
	want := ViewRequest{ViewID: "v-form", Version: "2", HideResponse: true,
		Data: map[string]any{"Heading": "Hello Ana", "Rows": []any{map[string]any{"Tier": "gold"}}}}
	if len(env.views) != 1 || !reflect.DeepEqual(env.views[0], want) {
		t.Fatalf("views shown %+v, want %+v", env.views, want)
	}
	if s.State.Views == nil || s.State.Views.Token != "token-v-form" {
		t.Fatalf("state keeps %+v", s.State.Views)
	}

	// The runtime persists the state, then the customer answers.
	b, _ := json.Marshal(s.State)
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	st.Views.Action, st.Views.Data = "Submit", map[string]any{"name": "Ana Lima"}
	if r := in.Resume(ctx, env, st, EventViewResult); r.Reason != EndFlowEnded || env.reached() != "ok" {
		t.Fatalf("answer: %+v, path %s", r, env.path())
	}
	if got := env.attrs["Current"]; got["chose"] != "Submit" || got["name"] != "Ana Lima" {
		t.Errorf("$.Views read as %v", got)
	}

	// Another action is no condition's; the time limit is its own error.
	st.Views.Action = "Cancel"
	if r := in.Resume(ctx, env, st, EventViewResult); r.Reason != EndFlowEnded || env.reached() != "other" {
		t.Fatalf("other action: %+v, path %s", r, env.path())
	}
	in.Clock.(interface{ Advance(time.Duration) }).Advance(time.Minute)
	if r := in.Resume(ctx, env, s.State, ""); r.Reason != EndFlowEnded || env.reached() != "late" {
		t.Fatalf("timeout: %+v, path %s", r, env.path())
	}
}

func TestShowViewErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		channel, params string
		fail            error
	}{
		"task":         {"TASK", `{"ViewResource":{"Id":"v"}}`, nil},
		"no view":      {"CHAT", `{}`, nil},
		"empty id":     {"CHAT", `{"ViewResource":{"Id":"$.Attributes.none"}}`, nil},
		"bad limit":    {"CHAT", `{"ViewResource":{"Id":"v"},"InvocationTimeLimitSeconds":"0"}`, nil},
		"unknown view": {"CHAT", `{"ViewResource":{"Id":"v"}}`, errors.New("view v not found")},
	} {
		t.Run(name, func(t *testing.T) {
			env := newFake()
			env.cd.Channel = tc.channel
			env.fail["ShowView"] = tc.fail
			in, _ := newInterp(epoch)
			if r := runFlow(t, env, in, showViewFlow(tc.params)); r.Suspended != nil || env.reached() != "err" {
				t.Fatalf("result %+v, path %s", r, env.path())
			}
		})
	}
}

func TestShowViewDefaultTimeLimit(t *testing.T) {
	env := newFake()
	in, _ := newInterp(epoch)
	res := runFlow(t, env, in, showViewFlow(`{"ViewResource":{"Id":"v"}}`))
	if res.Suspended == nil || !res.Suspended.Until.Equal(epoch.Add(DefaultShowViewSeconds*time.Second)) {
		t.Fatalf("suspension %+v", res.Suspended)
	}
}
