package chat_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// Persistent chat: a chat that continues an ended one (StartChatContact's
// PersistentChat) shows the past sessions through GetTranscript, reached
// with the NextToken of the page that reads the current contact back to
// its first item.

type pchat struct {
	*sbtest.Env
	t         *testing.T
	iid, flow string
}

func newPChat(t *testing.T) *pchat {
	e := sbtest.New(t)
	p := &pchat{Env: e, t: t, iid: e.Instance(t)}
	flows, err := e.Client.ListContactFlows(sbtest.Ctx(t), &connect.ListContactFlowsInput{InstanceId: &p.iid,
		ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil {
		t.Fatal(err)
	}
	p.flow = *flows.ContactFlowSummaryList[0].Id
	return p
}

// start starts a chat, continuing source with rehydration kind when set,
// and returns the contact, its ConnectionToken and ContinuedFromContactId.
func (p *pchat) start(kind, source string) (id, conn, continued string) {
	p.t.Helper()
	in := &connect.StartChatContactInput{InstanceId: &p.iid, ContactFlowId: &p.flow,
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Jane")}}
	if kind != "" {
		in.PersistentChat = &types.PersistentChat{RehydrationType: types.RehydrationType(kind), SourceContactId: &source}
	}
	out, err := p.Client.StartChatContact(sbtest.Ctx(p.t), in)
	if err != nil {
		p.t.Fatalf("StartChatContact: %v", err)
	}
	var c struct {
		ConnectionCredentials struct{ ConnectionToken string }
	}
	p.post("/participant/connection", *out.ParticipantToken, map[string]any{"Type": []string{"CONNECTION_CREDENTIALS"}}, &c)
	return *out.ContactId, c.ConnectionCredentials.ConnectionToken, aws.ToString(out.ContinuedFromContactId)
}

func (p *pchat) post(path, bearer string, body, out any) {
	p.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", p.URL+path, bytes.NewReader(b))
	req.Header.Set("X-Amz-Bearer", bearer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		var e map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&e)
		p.t.Fatalf("%s: %d %v", path, resp.StatusCode, e)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			p.t.Fatal(err)
		}
	}
}

func (p *pchat) say(conn, text string) {
	p.t.Helper()
	p.post("/participant/message", conn, map[string]string{"ContentType": "text/plain", "Content": text}, nil)
}

func (p *pchat) stop(id string) {
	p.t.Helper()
	if _, err := p.Client.StopContact(sbtest.Ctx(p.t), &connect.StopContactInput{InstanceId: &p.iid, ContactId: &id}); err != nil {
		p.t.Fatal(err)
	}
}

type page struct {
	InitialContactId string
	Transcript       []chat.Item
	NextToken        string
}

// page reads a page the way chatjs does by default (15 items, BACKWARD,
// ASCENDING, an empty StartPosition), continuing from next when set.
func (p *pchat) page(conn, next string) page {
	p.t.Helper()
	req := map[string]any{"MaxResults": 15, "ScanDirection": "BACKWARD", "SortOrder": "ASCENDING", "StartPosition": map[string]any{}}
	if next != "" {
		req["NextToken"] = next
	}
	var out page
	p.post("/participant/transcript", conn, req, &out)
	return out
}

// contents renders items as content or event name, with the contact they
// belong to: C for ContactId (current), R:<id> for RelatedContactId.
func contents(items []chat.Item, ids map[string]string) []string {
	var out []string
	for _, it := range items {
		s := it.Content
		if it.Type == chat.TypeEvent {
			s = it.ContentType[len("application/vnd.amazonaws.connect.event."):]
		}
		switch {
		case it.ContactId != "" && it.RelatedContactId == "":
			s += "@" + ids[it.ContactId]
		case it.RelatedContactId != "" && it.ContactId == "":
			s += "@past:" + ids[it.RelatedContactId]
		default:
			s += "@?"
		}
		out = append(out, s)
	}
	return out
}

func TestPersistentChatTranscript(t *testing.T) {
	t.Parallel()
	p := newPChat(t)
	a, connA, _ := p.start("", "")
	p.say(connA, "a1")
	p.stop(a)

	// FROM_SEGMENT continues exactly the contact given.
	b, connB, from := p.start("FROM_SEGMENT", a)
	if from != a {
		t.Fatalf("ContinuedFromContactId %q, want %s", from, a)
	}
	p.say(connB, "b1")
	ids := map[string]string{a: "A", b: "B"}
	first := p.page(connB, "")
	if got, want := contents(first.Transcript, ids), []string{"participant.joined@B", "b1@B"}; !slices.Equal(got, want) {
		t.Fatalf("first page %q, want %q", got, want)
	}
	if first.NextToken == "" || first.InitialContactId != b {
		t.Fatalf("first page of a persistent chat: NextToken %q InitialContactId %q", first.NextToken, first.InitialContactId)
	}
	past := p.page(connB, first.NextToken)
	if got, want := contents(past.Transcript, ids), []string{"participant.joined@past:A", "a1@past:A", "chat.ended@past:A"}; !slices.Equal(got, want) {
		t.Fatalf("past page %q, want %q", got, want)
	}
	if past.NextToken != "" {
		t.Errorf("history goes on past the first chat: %q", past.NextToken)
	}
	// A StartPosition reads the current contact only.
	var pos page
	p.post("/participant/transcript", connB, map[string]any{"StartPosition": map[string]any{"MostRecent": 0}, "ScanDirection": "BACKWARD"}, &pos)
	if pos.NextToken != "" {
		t.Errorf("a StartPosition scan leads into the past: %+v", pos)
	}
	p.stop(b)

	// ENTIRE_PAST_SESSION names the past session's initial contact and
	// reads back through everything before it, chained.
	c, connC, from := p.start("ENTIRE_PAST_SESSION", b)
	if from != b {
		t.Fatalf("ContinuedFromContactId %q, want %s", from, b)
	}
	ids[c] = "C"
	var got []string
	next := ""
	for range 5 {
		pg := p.page(connC, next)
		got = append(contents(pg.Transcript, ids), got...)
		if next = pg.NextToken; next == "" {
			break
		}
	}
	want := []string{"participant.joined@past:A", "a1@past:A", "chat.ended@past:A",
		"participant.joined@past:B", "b1@past:B", "chat.ended@past:B", "participant.joined@C"}
	if !slices.Equal(got, want) {
		t.Errorf("whole history %q, want %q", got, want)
	}
	// A token into the past is good only within the chat's own history.
	d, connD, _ := p.start("", "")
	_ = d
	var e map[string]any
	b2, _ := json.Marshal(map[string]any{"NextToken": first.NextToken})
	req, _ := http.NewRequest("POST", p.URL+"/participant/transcript", bytes.NewReader(b2))
	req.Header.Set("X-Amz-Bearer", connD)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_ = json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 400 {
		t.Errorf("another chat's past token: %d %v, want 400", resp.StatusCode, e)
	}
}

// TestCreatePersistentContactAssociation: a chat started without
// PersistentChat is made to continue an ended one afterwards, and its
// transcript then leads into the past chat.
func TestCreatePersistentContactAssociation(t *testing.T) {
	t.Parallel()
	p := newPChat(t)
	ctx := sbtest.Ctx(t)
	associate := func(current, kind, source string) (string, error) {
		out, err := p.Raw.CreatePersistentContactAssociation(ctx, &connect.CreatePersistentContactAssociationInput{InstanceId: &p.iid,
			InitialContactId: &current, RehydrationType: types.RehydrationType(kind), SourceContactId: &source})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.ContinuedFromContactId), nil
	}
	a, connA, _ := p.start("", "")
	p.say(connA, "a1")
	b, connB, _ := p.start("", "")
	p.say(connB, "b1")

	_, err := associate(b, "FROM_SEGMENT", a)
	sbtest.APIError(t, err, "InvalidRequestException", 400) // a is still going
	p.stop(a)
	from, err := associate(b, "FROM_SEGMENT", a)
	if err != nil || from != a {
		t.Fatalf("ContinuedFromContactId %q (%v), want %s", from, err, a)
	}
	if again, err := associate(b, "FROM_SEGMENT", a); err != nil || again != a {
		t.Fatalf("a retry: %q %v", again, err)
	}
	ids := map[string]string{a: "A", b: "B"}
	first := p.page(connB, "")
	if first.NextToken == "" {
		t.Fatalf("the associated chat's transcript does not lead into the past: %+v", first)
	}
	past := p.page(connB, first.NextToken)
	if got, want := contents(past.Transcript, ids), []string{"participant.joined@past:A", "a1@past:A", "chat.ended@past:A"}; !slices.Equal(got, want) {
		t.Fatalf("past page %q, want %q", got, want)
	}

	// Once only; chats only; live chats only; ended sources only.
	c, _, _ := p.start("", "")
	p.stop(c)
	_, err = associate(b, "FROM_SEGMENT", c)
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = associate(c, "FROM_SEGMENT", a)
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	task, err := p.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &p.iid, ContactFlowId: &p.flow, Name: aws.String("t")})
	if err != nil {
		t.Fatal(err)
	}
	d, _, _ := p.start("", "")
	_, err = associate(*task.ContactId, "FROM_SEGMENT", a)
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = associate(d, "FROM_SEGMENT", *task.ContactId)
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = associate(d, "FROM_SEGMENT", d)
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = associate(d, "SOMETIMES", a)
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	_, err = associate(d, "FROM_SEGMENT", "00000000-0000-0000-0000-000000000000")
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = associate("00000000-0000-0000-0000-000000000000", "FROM_SEGMENT", a)
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}
