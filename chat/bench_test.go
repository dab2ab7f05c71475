package chat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// BenchmarkSendMessage is one customer message through the participant
// service's HTTP API, committed and pushed to the chat's subscribed
// socket, which reads it before the next is sent. Its allocations per
// message decide how often the garbage collector runs at a given message
// rate, and so the fan-out tail that cmd/sbchatload measures; run it with
// -benchmem and -memprofile to see where they come from (the client's
// share is in the same process: focus on the server's frames).
func BenchmarkSendMessage(b *testing.B) {
	e := sbtest.New(b)
	iid := e.Instance(b)
	ctx := context.Background()
	flows, err := e.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &iid,
		ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil {
		b.Fatal(err)
	}
	out, err := e.Client.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: &iid,
		ContactFlowId: flows.ContactFlowSummaryList[0].Id, ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Jane")}})
	if err != nil {
		b.Fatal(err)
	}
	post := func(path, bearer string, body []byte) []byte {
		req, _ := http.NewRequest("POST", e.URL+path, bytes.NewReader(body))
		req.Header.Set("X-Amz-Bearer", bearer)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%s: %d %s", path, resp.StatusCode, data)
		}
		return data
	}
	var conn struct {
		Websocket             struct{ Url string }
		ConnectionCredentials struct{ ConnectionToken string }
	}
	if err := json.Unmarshal(post("/participant/connection", *out.ParticipantToken,
		[]byte(`{"Type":["WEBSOCKET","CONNECTION_CREDENTIALS"]}`)), &conn); err != nil {
		b.Fatal(err)
	}
	ws, _, err := websocket.Dial(ctx, conn.Websocket.Url, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ws.CloseNow()
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}`)); err != nil {
		b.Fatal(err)
	}
	if _, _, err := ws.Read(ctx); err != nil { // the subscription's answer
		b.Fatal(err)
	}
	tok := conn.ConnectionCredentials.ConnectionToken
	body := []byte(`{"ContentType":"text/plain","Content":"Hello, I need help with my order."}`)
	post("/participant/message", tok, body)
	if _, _, err := ws.Read(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		post("/participant/message", tok, body)
		if _, _, err := ws.Read(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
