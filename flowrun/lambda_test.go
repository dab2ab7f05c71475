package flowrun

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// lambdaServer answers every POST with respond's status and body and
// records the decoded event.
func lambdaServer(t *testing.T, status int, body string) (*httptest.Server, *[]map[string]any) {
	t.Helper()
	var got []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s", r.Method, r.Header.Get("Content-Type"))
		}
		var ev map[string]any
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Errorf("event is not JSON: %v", err)
		}
		got = append(got, ev)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

const fnARN = "arn:aws:lambda:us-east-1:111122223333:function:lookup"

func testRequest() LambdaRequest {
	r := &run{cd: newFake().cd}
	r.cd.Queue = &QueueInfo{ARN: "arn:q", Name: "Sales"}
	return LambdaRequest{FunctionARN: fnARN, Timeout: time.Second, ResponseType: "STRING_MAP",
		Event: r.lambdaEvent(map[string]string{"who": "Ana"})}
}

func TestHTTPInvokerSuccess(t *testing.T) {
	srv, events := lambdaServer(t, 200, `{"vip":"yes","score":42,"ok":true,"none":null}`)
	inv := &HTTPInvoker{Endpoints: map[string]string{fnARN: srv.URL}}
	out, err := inv.InvokeLambda(context.Background(), testRequest())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"vip": "yes", "score": "42", "ok": "true", "none": ""}
	if len(out) != len(want) {
		t.Fatalf("out %v", out)
	}
	for k, v := range want {
		if out[k] != v {
			t.Errorf("%s = %#v, want %#v", k, out[k], v)
		}
	}
	ev := (*events)[0]
	details := ev["Details"].(map[string]any)
	cd := details["ContactData"].(map[string]any)
	if ev["Name"] != "ContactFlowEvent" || details["Parameters"].(map[string]any)["who"] != "Ana" ||
		cd["ContactId"] != "c-1" || cd["Channel"] != "CHAT" || cd["Attributes"].(map[string]any)["tier"] != "gold" ||
		cd["Queue"].(map[string]any)["Name"] != "Sales" || cd["InstanceARN"] == nil || cd["CustomerEndpoint"] != nil {
		t.Errorf("event %v", ev)
	}
	for _, key := range []string{"References", "SegmentAttributes", "MediaStreams", "InitialContactId", "PreviousContactId", "InitiationMethod", "SystemEndpoint"} {
		if _, ok := cd[key]; !ok {
			t.Errorf("event ContactData lacks %s", key)
		}
	}
}

func TestHTTPInvokerJSONResponse(t *testing.T) {
	srv, _ := lambdaServer(t, 200, `{"customer":{"tier":"gold","orders":[1,2]}}`)
	inv := &HTTPInvoker{Endpoints: map[string]string{"lookup": srv.URL}} // by function name
	req := testRequest()
	req.FunctionARN += ":prod" // qualified ARN still finds it
	req.ResponseType = "JSON"
	out, err := inv.InvokeLambda(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := walk(out, []string{"customer", "orders", "1"}); render(v) != "2" {
		t.Errorf("out %v", out)
	}
}

func TestHTTPInvokerErrors(t *testing.T) {
	big := `{"k":"` + strings.Repeat("x", MaxLambdaResponse) + `"}`
	cases := []struct {
		name, body string
		status     int
		want       string
	}{
		{"non-200", `{"errorMessage":"boom"}`, 500, "HTTP 500"},
		{"bad JSON", `{"vip":`, 200, "not valid JSON"},
		{"not an object", `["a"]`, 200, "JSON object"},
		{"trailing data", `{} {}`, 200, "after the JSON"},
		{"nested for STRING_MAP", `{"a":{"b":"c"}}`, 200, "flat map"},
		{"too large", big, 200, "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := lambdaServer(t, tc.status, tc.body)
			inv := &HTTPInvoker{Endpoints: map[string]string{fnARN: srv.URL}}
			_, err := inv.InvokeLambda(context.Background(), testRequest())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
	inv := &HTTPInvoker{}
	if _, err := inv.InvokeLambda(context.Background(), testRequest()); !errors.Is(err, ErrNoEndpoint) {
		t.Errorf("no endpoint: %v", err)
	}
}

func TestHTTPInvokerTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	inv := &HTTPInvoker{Endpoints: map[string]string{fnARN: srv.URL}}
	req := testRequest()
	req.Timeout = 50 * time.Millisecond
	start := time.Now()
	_, err := inv.InvokeLambda(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}

// httpEnv is a runtime that sends Lambda calls over HTTP.
type httpEnv struct {
	*fakeEnv
	inv *HTTPInvoker
}

func (e httpEnv) InvokeLambda(ctx context.Context, r LambdaRequest) (map[string]any, error) {
	return e.inv.InvokeLambda(ctx, r)
}

// TestLambdaThroughHTTP runs flows whose Lambda answers, fails and hangs.
func TestLambdaThroughHTTP(t *testing.T) {
	hang := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"vip":"yes"}`) })
	mux.HandleFunc("/fail", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) })
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		// The server notices the client leaving only once the body is read.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-hang:
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(hang) // before Close, which waits for handlers
	inv := &HTTPInvoker{Endpoints: map[string]string{"ok": srv.URL + "/ok", "fail": srv.URL + "/fail", "hang": srv.URL + "/hang"}}
	for fn, want := range map[string]string{"ok": "vip", "fail": "err", "hang": "err"} {
		t.Run(fn, func(t *testing.T) {
			env := newFake()
			in, _ := newInterp(epoch)
			env.flows["main"] = doc("fn",
				act("fn", "InvokeLambdaFunction", `{"LambdaFunctionARN":"arn:aws:lambda:us-east-1:1:function:$.Attributes.fn","InvocationTimeLimitSeconds":"1"}`, "cmp"),
				`{"Identifier":"cmp","Type":"Compare","Parameters":{"ComparisonValue":"$.External.vip"},"Transitions":{"NextAction":"other","Conditions":[`+cond("vip", "Equals", "yes")+`]}}`,
				end("vip"), end("other"), end("err"))
			env.cd.Attributes["fn"] = fn
			res := in.Run(context.Background(), httpEnv{env, inv}, "main")
			if res.Reason != EndFlowEnded || env.reached() != want {
				t.Errorf("result %+v path %s", res, env.path())
			}
			if e, _ := env.entry("fn"); want == "err" && e.Error == "" {
				t.Errorf("the failure is not logged: %+v", e)
			}
		})
	}
}
