package center_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// A chat form: the inbound flow's ShowView block shows the customer a
// view; the customer's client reads it with the participant service's
// DescribeView and answers with an interactive.response naming the action
// chosen and what was typed; the flow branches on the action, reads the
// answer in $.Views, and queues the chat.

const addressTemplate = `{"Head":{"Title":"$.Heading"},"Body":[{"_id":"f","Type":"Form","Props":{},"Content":[
 {"_id":"a","Type":"FormInput","Props":{"Name":"address","Label":"New address"}},
 {"_id":"ok","Type":"Button","Props":{"Action":"Submit"}},
 {"_id":"no","Type":"Button","Props":{"Action":"Cancel"}}]}]}`

// viewDesk is a chat desk whose inbound flow shows the address form
// before queueing: Submit keeps the address, Cancel and the time limit
// say so and queue anyway.
func viewDesk(t *testing.T) (*chatDesk, *types.View) {
	return viewDeskIn(newWorld(t))
}

func viewDeskIn(w *world) (*chatDesk, *types.View) {
	t := w.t
	out, err := w.Client.CreateView(sbtest.Ctx(t), &connect.CreateViewInput{InstanceId: &w.iid, Name: aws.String("Address"),
		Status: types.ViewStatusPublished, Content: &types.ViewInputContent{Template: aws.String(addressTemplate), Actions: []string{"Submit", "Cancel"}}})
	must(t, err)
	show := action("show", "ShowView", map[string]any{
		"ViewResource":               map[string]string{"Id": *out.View.Arn, "Version": "$LATEST"},
		"InvocationTimeLimitSeconds": "120",
		"ViewData":                   map[string]any{"Heading": "Hello $.Attributes.name", "Address": map[string]string{"Current": "$.Attributes.address"}},
	}, `{"NextAction":"setq","Conditions":[
	   {"NextAction":"keep","Condition":{"Operator":"Equals","Operands":["Submit"]}},
	   {"NextAction":"cancelled","Condition":{"Operator":"Equals","Operands":["Cancel"]}}],
	  "Errors":[{"NextAction":"late","ErrorType":"TimeLimitExceeded"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}`)
	keep := action("keep", "UpdateContactAttributes", map[string]any{"Attributes": map[string]string{
		"address": "$.Views.ViewResultData.address", "choice": "$.Views.Action"}}, next("thanks"))
	q := w.newQueue("chat", 0)
	return newChatDeskOn(w, q, show, keep, say("thanks", "Thanks, we have your new address.", "setq"),
		say("cancelled", "No change made.", "setq"), say("late", "We will ask an agent to help.", "setq")), out.View
}

// startForm starts a chat whose customer may answer interactive messages,
// joins the customer and returns the chat, the customer and the view
// message they were shown.
func (d *chatDesk) startForm() (string, *party, chat.Item) {
	d.t.Helper()
	id, tok := d.start(func(in *connect.StartChatContactInput) {
		in.Attributes = map[string]string{"name": "Jane", "address": "1 Old Road"}
		in.SupportedMessagingContentTypes = []string{"text/plain", chat.CTInteractiveResponse}
	})
	customer, shown := d.rejoinForm(tok)
	return id, customer, shown
}

// rejoinForm connects a customer and finds the view they were shown.
func (d *chatDesk) rejoinForm(tok string) (*party, chat.Item) {
	d.t.Helper()
	customer := d.join(tok)
	for _, it := range customer.items() {
		if it.ContentType == chat.CTInteractive {
			return customer, it
		}
	}
	for {
		if it := customer.next(); it.ContentType == chat.CTInteractive {
			return customer, it
		}
	}
}

// items reads the transcript, oldest first.
func (p *party) items() []chat.Item {
	p.w.t.Helper()
	var out struct{ Transcript []chat.Item }
	if st := p.w.participant("/participant/transcript", p.conn, map[string]any{"MaxResults": 100, "SortOrder": "ASCENDING"}, &out); st != 200 {
		p.w.t.Fatalf("GetTranscript: %d", st)
	}
	return out.Transcript
}

// viewShown is the content of a view's interactive message.
type viewShown struct {
	TemplateType string
	Data         struct {
		Content struct {
			ViewID, ViewArn, ViewName, ViewToken string
			ViewData                             map[string]any
		}
	}
}

func parseView(t *testing.T, it chat.Item) viewShown {
	t.Helper()
	var v viewShown
	must(t, json.Unmarshal([]byte(it.Content), &v))
	if v.TemplateType != "ViewResource" || v.Data.Content.ViewToken == "" || it.ParticipantRole != chat.RoleSystem {
		t.Fatalf("view message %+v", it)
	}
	return v
}

// describeView is the participant service's DescribeView.
func (p *party) describeView(token string) (int, map[string]any) {
	p.w.t.Helper()
	req, _ := http.NewRequest("GET", p.w.URL+"/participant/views/"+url.PathEscape(token), nil)
	req.Header.Set("X-Amz-Bearer", p.conn)
	resp, err := http.DefaultClient.Do(req)
	must(p.w.t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// answer sends an interactive.response to a view.
func (p *party) answer(token, action string, output map[string]any) {
	p.w.t.Helper()
	b, _ := json.Marshal(map[string]any{"templateType": "ViewResource", "version": "1.0",
		"data": map[string]any{"content": map[string]any{"viewToken": token, "action": action, "output": output}}})
	if st := p.w.participant("/participant/message", p.conn, map[string]string{"ContentType": chat.CTInteractiveResponse, "Content": string(b)}, nil); st != 200 {
		p.w.t.Fatalf("SendMessage interactive.response: %d", st)
	}
}

func (d *chatDesk) attributes(id string) map[string]string {
	d.t.Helper()
	out, err := d.Client.GetContactAttributes(sbtest.Ctx(d.t), &connect.GetContactAttributesInput{InstanceId: &d.iid, InitialContactId: &id})
	must(d.t, err)
	return out.Attributes
}

// TestChatShowViewForm: the customer reads the view and submits it; only
// the answer to this view moves the flow on, which then reads it.
func TestChatShowViewForm(t *testing.T) {
	t.Parallel()
	d, view := viewDesk(t)
	id, customer, msg := d.startForm()
	v := parseView(t, msg)
	if v.Data.Content.ViewArn != *view.Arn || v.Data.Content.ViewName != "Address" ||
		v.Data.Content.ViewData["Heading"] != "Hello Jane" || v.Data.Content.ViewData["Address"].(map[string]any)["Current"] != "1 Old Road" {
		t.Fatalf("view shown %+v", v.Data.Content)
	}
	token := v.Data.Content.ViewToken

	st, got := customer.describeView(token)
	if st != 200 {
		t.Fatalf("DescribeView: %d %v", st, got)
	}
	shown := got["View"].(map[string]any)
	content := shown["Content"].(map[string]any)
	if shown["Id"] != *view.Id || shown["Name"] != "Address" || content["Template"] != addressTemplate ||
		!slices.Equal(anyStrings(content["Actions"]), []string{"Submit", "Cancel"}) {
		t.Fatalf("DescribeView answered %v", got)
	}
	if st, _ := customer.describeView("not-a-token"); st != 404 {
		t.Errorf("DescribeView of a made-up token: %d, want 404", st)
	}

	// Chatting, or answering some other view, does not end the wait.
	customer.say("is this the right form?")
	customer.answer("stale-token", "Submit", map[string]any{"address": "nowhere"})
	if c := d.snapshot(d.token).Contacts; len(c) != 0 {
		t.Fatalf("the chat was queued before the form was answered: ada has %+v", c)
	}

	customer.answer(token, "Submit", map[string]any{"address": "2 New Street"})
	if a := d.attributes(id); a["address"] != "2 New Street" || a["choice"] != "Submit" {
		t.Errorf("attributes after the form %v", a)
	}
	d.accept(id)
	var said []string
	for _, it := range customer.items() {
		if it.ParticipantRole == chat.RoleSystem && it.ContentType == "text/plain" {
			said = append(said, it.Content)
		}
	}
	if !slices.Contains(said, "Thanks, we have your new address.") {
		t.Errorf("the flow said %q", said)
	}

	// The token is good only on a connection of its own chat.
	_, other, _ := d.startForm()
	if st, _ := other.describeView(token); st != 404 {
		t.Errorf("another chat's customer read the view: %d", st)
	}
}

// TestChatShowViewBranches: Cancel takes its condition; no answer within
// InvocationTimeLimitSeconds takes TimeLimitExceeded. Both then queue.
func TestChatShowViewBranches(t *testing.T) {
	t.Parallel()
	d, _ := viewDesk(t)
	id, customer, msg := d.startForm()
	customer.answer(parseView(t, msg).Data.Content.ViewToken, "Cancel", nil)
	if a := d.attributes(id); a["address"] != "1 Old Road" || a["choice"] != "" {
		t.Errorf("Cancel changed the attributes: %v", a)
	}
	d.accept(id)

	id2, customer2, _ := d.startForm()
	d.Clock.Advance(119 * time.Second)
	if c := d.snapshot(d.token).Contacts; len(c) != 1 {
		t.Fatalf("before the time limit ada has %+v, want only the first chat", c)
	}
	d.Clock.Advance(time.Second)
	var late bool
	for _, it := range customer2.items() {
		late = late || it.Content == "We will ask an agent to help."
	}
	if !late {
		t.Errorf("no time-limit message in %v", customer2.items())
	}
	if got := d.describe(id2); got.QueueInfo == nil {
		t.Errorf("the timed-out chat was not queued: %+v", got)
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

// TestRestartKeepsShowViewWaiting: a ShowView waiting for the customer
// survives a restart; the answer given afterwards, with the token shown
// before it, moves the flow on.
func TestRestartKeepsShowViewWaiting(t *testing.T) {
	dir := t.TempDir()
	d, _ := viewDeskIn(newWorldIn(t, dir))
	id, tok := d.start(func(in *connect.StartChatContactInput) {
		in.Attributes = map[string]string{"name": "Jane"}
		in.SupportedMessagingContentTypes = []string{"text/plain", chat.CTInteractiveResponse}
	})
	d.Clock.Advance(30 * time.Second)
	d.Env.Close()

	w2 := reopenWorld(t, dir, d.world)
	w2.Clock.Set(d.Clock.Now())
	d2 := &chatDesk{world: w2, queue: d.queue, flow: d.flow, agent: d.agent, token: w2.login("ada")}
	customer, shown := d2.rejoinForm(tok)
	customer.answer(parseView(t, shown).Data.Content.ViewToken, "Submit", map[string]any{"address": "3 Mill Lane"})
	if a := d2.attributes(id); a["address"] != "3 Mill Lane" {
		t.Errorf("attributes after the restart and the answer: %v", a)
	}
	if c := d2.describe(id); c.QueueInfo == nil {
		t.Errorf("the answered chat was not queued: %s", mustJSON(c))
	}
}
