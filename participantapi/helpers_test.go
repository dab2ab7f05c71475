package participantapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
	pw "github.com/switchboard-cc/switchboard/participantapi/participantwire"
)

// env is a server with one instance and its default flow, and a raw HTTP
// participant client (the Go SDK has no connectparticipant module here;
// the Node test drives the real JavaScript client).
type env struct {
	*sbtest.Env
	t    *testing.T
	iid  string
	flow string
}

func newEnv(t *testing.T, opts ...sbtest.Options) *env {
	t.Helper()
	e := &env{Env: sbtest.New(t, opts...), t: t}
	e.iid = e.Instance(t)
	e.flow = defaultFlow(t, e.Env, e.iid)
	return e
}

func defaultFlow(t *testing.T, e *sbtest.Env, iid string) string {
	t.Helper()
	out, err := e.Client.ListContactFlows(sbtest.Ctx(t), &connect.ListContactFlowsInput{InstanceId: aws.String(iid),
		ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil || len(out.ContactFlowSummaryList) == 0 {
		t.Fatalf("ListContactFlows: %v", err)
	}
	return *out.ContactFlowSummaryList[0].Id
}

// chat starts a chat and returns the contact ID and participant token.
func (e *env) chat(mod ...func(*connect.StartChatContactInput)) (contactID, participantToken string) {
	e.t.Helper()
	in := &connect.StartChatContactInput{InstanceId: aws.String(e.iid), ContactFlowId: aws.String(e.flow),
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Jane")}}
	for _, m := range mod {
		m(in)
	}
	out, err := e.Client.StartChatContact(sbtest.Ctx(e.t), in)
	if err != nil {
		e.t.Fatalf("StartChatContact: %v", err)
	}
	return *out.ContactId, *out.ParticipantToken
}

// resp is one participant-service answer.
type resp struct {
	Status  int
	ErrType string
	Body    []byte
	Header  http.Header
}

// call POSTs (or GETs with a nil body and method GET) to path with the
// bearer token, like the SDKs do.
func (e *env) call(method, path, bearer string, body any) resp {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		var b []byte
		switch v := body.(type) {
		case string:
			b = []byte(v)
		default:
			var err error
			if b, err = json.Marshal(v); err != nil {
				e.t.Fatal(err)
			}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(sbtest.Ctx(e.t), method, e.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("x-amz-bearer", bearer)
	}
	// What the JavaScript SDK adds and the server must ignore.
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=/20260302/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00")
	req.Header.Set("X-Amz-Date", "20260302T090000Z")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, ErrType: res.Header.Get("X-Amzn-ErrorType"), Body: b, Header: res.Header}
}

// ok decodes a 200 answer into out.
func (e *env) ok(r resp, out any) {
	e.t.Helper()
	if r.Status != http.StatusOK {
		e.t.Fatalf("status %d %s: %s", r.Status, r.ErrType, r.Body)
	}
	if out != nil {
		if err := json.Unmarshal(r.Body, out); err != nil {
			e.t.Fatalf("decode %s: %v", r.Body, err)
		}
	}
}

// fails checks an error answer's exception name, status and message.
func (e *env) fails(r resp, name string, status int) string {
	e.t.Helper()
	if r.Status != status || r.ErrType != name {
		e.t.Fatalf("got %d %q (%s), want %d %s", r.Status, r.ErrType, r.Body, status, name)
	}
	var body struct{ Message string }
	if err := json.Unmarshal(r.Body, &body); err != nil || body.Message == "" {
		e.t.Fatalf("error body %s has no Message", r.Body)
	}
	return body.Message
}

// connect calls CreateParticipantConnection for both parts.
func (e *env) connect(participantToken string) *pw.CreateParticipantConnectionResponse {
	e.t.Helper()
	var out pw.CreateParticipantConnectionResponse
	e.ok(e.call("POST", "/participant/connection", participantToken, map[string]any{"Type": []string{"WEBSOCKET", "CONNECTION_CREDENTIALS"}}), &out)
	return &out
}

// connToken returns a fresh ConnectionToken for a participant.
func (e *env) connToken(participantToken string) string {
	e.t.Helper()
	return *e.connect(participantToken).ConnectionCredentials.ConnectionToken
}

func (e *env) send(conn, text string) *pw.SendMessageResponse {
	e.t.Helper()
	var out pw.SendMessageResponse
	e.ok(e.call("POST", "/participant/message", conn, map[string]string{"ContentType": "text/plain", "Content": text}), &out)
	return &out
}

func (e *env) transcript(conn string, req map[string]any) *pw.GetTranscriptResponse {
	e.t.Helper()
	var out pw.GetTranscriptResponse
	e.ok(e.call("POST", "/participant/transcript", conn, req), &out)
	return &out
}

// contents lists the items' Content, or ContentType for items without.
func contents(items []pw.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		if it.Content != nil {
			out[i] = *it.Content
		} else {
			out[i] = *it.ContentType
		}
	}
	return out
}
