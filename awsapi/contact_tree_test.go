package awsapi_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestListAssociatedContacts: an email thread (the inbound email, a reply,
// a reply to the reply) is one contact tree, listed oldest first from any
// of its contacts; a contact outside it has a tree of its own.
func TestListAssociatedContacts(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	dest := e.emailAddress("thread@shop.example")
	in, err := e.Client.StartEmailContact(e.ctx(), e.emailInput(dest))
	if err != nil {
		t.Fatal(err)
	}
	inbound := *in.ContactId
	e.Clock.Advance(time.Minute)
	reply := e.emailContact(types.ContactInitiationMethodAgentReply, inbound)
	e.Clock.Advance(time.Minute)
	again := e.emailContact(types.ContactInitiationMethodAgentReply, reply)
	task := e.task("elsewhere")

	list := func(id string, max int32) ([]string, *string) {
		t.Helper()
		in := &connect.ListAssociatedContactsInput{InstanceId: &e.iid, ContactId: &id}
		if max > 0 {
			in.MaxResults = aws.Int32(max)
		}
		out, err := e.Client.ListAssociatedContacts(e.ctx(), in)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range out.ContactSummaryList {
			ids = append(ids, *c.ContactId)
		}
		return ids, out.NextToken
	}
	want := []string{inbound, reply, again}
	for _, from := range want {
		if got, _ := list(from, 0); !slices.Equal(got, want) {
			t.Fatalf("tree from %s: %v, want %v", from, got, want)
		}
	}
	if got, _ := list(task, 0); !slices.Equal(got, []string{task}) {
		t.Fatalf("a task's tree: %v", got)
	}
	out, err := e.Client.ListAssociatedContacts(e.ctx(), &connect.ListAssociatedContactsInput{InstanceId: &e.iid, ContactId: &again})
	if err != nil {
		t.Fatal(err)
	}
	if c := out.ContactSummaryList[1]; *c.RelatedContactId != inbound || c.InitiationMethod != types.ContactInitiationMethodAgentReply ||
		c.Channel != types.ChannelEmail || !c.InitiationTimestamp.Equal(sbtest.Start.Add(time.Minute)) || *c.InitialContactId != reply {
		t.Fatalf("the reply's summary: %+v", c)
	}

	// Pages.
	first, next := list(again, 2)
	if len(first) != 2 || next == nil {
		t.Fatalf("first page %v next %v", first, next)
	}
	rest, err := e.Client.ListAssociatedContacts(e.ctx(), &connect.ListAssociatedContactsInput{InstanceId: &e.iid, ContactId: &again, MaxResults: aws.Int32(2), NextToken: next})
	if err != nil || len(rest.ContactSummaryList) != 1 || *rest.ContactSummaryList[0].ContactId != again || rest.NextToken != nil {
		t.Fatalf("second page: %v %+v", err, rest)
	}

	_, err = e.Raw.ListAssociatedContacts(e.ctx(), &connect.ListAssociatedContactsInput{InstanceId: &e.iid, ContactId: aws.String("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = e.Raw.ListAssociatedContacts(e.ctx(), &connect.ListAssociatedContactsInput{InstanceId: &e.iid, ContactId: &task, MaxResults: aws.Int32(101)})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
}
