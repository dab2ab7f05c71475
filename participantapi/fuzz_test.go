package participantapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// FuzzRequests sends the participant service what any browser could: any
// method, path under /participant/, token and body, with a live chat's
// real tokens among the choices so that requests get past authentication
// into the operations. Every answer must be a 2xx or 4xx that names its
// exception; never a 5xx, a panic or a hang. An input that ends the chat
// (DisconnectParticipant) has the next ones use a new one.
//
//	go test -run XXX -fuzz FuzzRequests -fuzztime 60s ./participantapi
func FuzzRequests(f *testing.F) {
	e := sbtest.New(f)
	// Not sbtest.Ctx: a fuzzing run outlasts its 30 s. The client's
	// timeout is what catches a hang.
	ctx := context.Background()
	iid := e.Instance(f)
	flows, err := e.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: aws.String(iid),
		ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil || len(flows.ContactFlowSummaryList) == 0 {
		f.Fatalf("ListContactFlows: %v", err)
	}
	client := &http.Client{Timeout: 20 * time.Second}
	post := func(path, bearer, body string) (*http.Response, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, "POST", e.URL+path, strings.NewReader(body))
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Amz-Bearer", bearer)
		res, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return res, b, err
	}
	// tokens are the choices of bearer: none, the customer's participant
	// token, its connection token, and garbage. newChat starts a chat for
	// them, again whenever an input has ended the last one.
	var tokens []string
	newChat := func(t testing.TB) {
		started, err := e.Client.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: aws.String(iid),
			ContactFlowId: flows.ContactFlowSummaryList[0].Id, ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Fuzz")}})
		if err != nil {
			t.Fatalf("StartChatContact: %v", err)
		}
		_, b, err := post("/participant/connection", *started.ParticipantToken, `{"Type":["CONNECTION_CREDENTIALS"]}`)
		if err != nil {
			t.Fatal(err)
		}
		var conn struct {
			ConnectionCredentials struct{ ConnectionToken string }
		}
		if err := json.Unmarshal(b, &conn); err != nil || conn.ConnectionCredentials.ConnectionToken == "" {
			t.Fatalf("CreateParticipantConnection: %s", b)
		}
		tokens = []string{"", *started.ParticipantToken, conn.ConnectionCredentials.ConnectionToken, "not-a-token"}
	}
	newChat(f)

	for _, s := range []struct {
		method, path string
		token        uint8
		body         string
	}{
		{"POST", "message", 2, `{"ContentType":"text/plain","Content":"hi","ClientToken":"t-1"}`},
		{"POST", "message", 2, `{"ContentType":"text/markdown","Content":""}`},
		{"POST", "event", 2, `{"ContentType":"application/vnd.amazonaws.connect.event.typing"}`},
		{"POST", "transcript", 2, `{"MaxResults":3,"SortOrder":"ASCENDING","StartPosition":{"MostRecent":2}}`},
		{"POST", "transcript", 2, `{"NextToken":"%%%","ScanDirection":"BACKWARD"}`},
		{"POST", "connection", 1, `{"Type":["WEBSOCKET"],"ConnectParticipant":true}`},
		{"POST", "start-attachment-upload", 2, `{"ContentType":"text/plain","AttachmentSizeInBytes":5,"AttachmentName":"a.txt","ClientToken":"u"}`},
		{"POST", "complete-attachment-upload", 2, `{"AttachmentIds":["x"],"ClientToken":"c"}`},
		{"POST", "attachment", 2, `{"AttachmentId":"x"}`},
		{"POST", "authentication-url", 2, `{"SessionId":"s","RedirectUri":"https://example.com"}`},
		{"GET", "views/v", 2, ``},
		{"POST", "disconnect", 2, `{"ClientToken":"d"}`},
		{"PUT", "message", 0, `[`},
		{"POST", "connection", 3, `{"Type":[]}`},
	} {
		f.Add(s.method, s.path, s.token, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, method, path string, token uint8, body []byte) {
		req, err := http.NewRequestWithContext(ctx, method, e.URL+"/participant/"+path, bytes.NewReader(body))
		if err != nil || strings.ContainsFunc(req.URL.RequestURI(), func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			// Not a request HTTP can carry: net/http's client would
			// write the space into the request line, and its server
			// refuses such a line before any handler sees it.
			return
		}
		req.Header.Set("Content-Type", "application/json")
		if tok := tokens[int(token)%len(tokens)]; tok != "" {
			req.Header.Set("X-Amz-Bearer", tok)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s /participant/%s: %v", method, path, err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 500 {
			t.Fatalf("%s /participant/%s %q: %d %s", method, path, body, res.StatusCode, out)
		}
		if res.StatusCode >= 400 && res.Header.Get("X-Amzn-ErrorType") == "" {
			t.Fatalf("%s /participant/%s: %d without X-Amzn-ErrorType: %s", method, path, res.StatusCode, out)
		}
		if res.StatusCode == http.StatusOK && strings.Contains(path, "disconnect") {
			newChat(t)
		}
	})
}
