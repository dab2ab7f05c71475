package awsapi_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-cc/switchboard/awsapi"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func TestClockEndpoint(t *testing.T) {
	t.Parallel()
	e := sbtest.New(t)
	iid := e.Instance(t)
	ctx := sbtest.Ctx(t)
	flows, err := e.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	// A task scheduled an hour ahead is in the future until the clock moves.
	at := sbtest.Start.Add(time.Hour)
	if _, err := e.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(iid), Name: aws.String("later"),
		ContactFlowId: flows.ContactFlowSummaryList[0].Id, ScheduledTime: aws.Time(at)}); err != nil {
		t.Fatal(err)
	}

	get := func() awsapi.ClockResponse {
		resp, body := signedRequest(t, e, "GET", awsapi.ClockPath, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("GET clock: %d %v", resp.StatusCode, body)
		}
		b, _ := json.Marshal(body)
		var c awsapi.ClockResponse
		_ = json.Unmarshal(b, &c)
		return c
	}
	if c := get(); !c.Now.Equal(sbtest.Start) || !c.Virtual {
		t.Fatalf("clock = %+v, want %s virtual", c, sbtest.Start)
	}
	resp, body := signedRequest(t, e, "POST", awsapi.ClockPath, []byte(`{"advance":"90m"}`))
	if resp.StatusCode != 200 {
		t.Fatalf("advance: %d %v", resp.StatusCode, body)
	}
	if now := e.Clock.Now(); !now.Equal(sbtest.Start.Add(90 * time.Minute)) {
		t.Fatalf("clock at %s after advancing 90m", now)
	}
	// The scheduled time has now passed: rescheduling to it is refused.
	_, err = e.Raw.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(iid), Name: aws.String("past"),
		ContactFlowId: flows.ContactFlowSummaryList[0].Id, ScheduledTime: aws.Time(at)})
	sbtest.APIError(t, err, "InvalidRequestException", 400)

	for name, c := range map[string]struct {
		body   string
		status int
		code   string
	}{
		"negative":  {`{"advance":"-1s"}`, 400, "InvalidParameterException"},
		"garbage":   {`{"advance":"soon"}`, 400, "InvalidParameterException"},
		"both":      {`{"advance":"1s","set":"2030-01-01T00:00:00Z"}`, 400, "InvalidParameterException"},
		"backwards": {`{"set":"2020-01-01T00:00:00Z"}`, 400, "InvalidParameterException"},
		"empty":     {`{}`, 400, "InvalidParameterException"},
		"not json":  {`{`, 400, "SerializationException"},
	} {
		resp, body := signedRequest(t, e, "POST", awsapi.ClockPath, []byte(c.body))
		if resp.StatusCode != c.status || resp.Header.Get("X-Amzn-ErrorType") != c.code {
			t.Errorf("%s: %d %s %v", name, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
		}
	}
	req, _ := http.NewRequest("POST", e.URL+awsapi.ClockPath, nil)
	if resp, _ := do(t, req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned clock request: %d", resp.StatusCode)
	}
}
