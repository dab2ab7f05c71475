package awsapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// Helpers shared by the contact tests (contact_*_test.go). They are prefixed
// "ct" so they do not collide with the configuration-resource helpers.

// ctEnv is a test server with one instance and the ID of its default
// inbound flow, which every contact test needs to start a contact.
type ctEnv struct {
	*sbtest.Env
	t    *testing.T
	iid  string
	flow string
	// agent is a user of the instance, made on first use (agentID).
	agent string
}

// agentID returns a user of the instance for the operations that name one
// (CreateContact's and UpdateContact's UserInfo).
func (e *ctEnv) agentID() string {
	e.t.Helper()
	if e.agent == "" {
		e.agent = agUser(e.t, e.Env, e.iid, "agent")
	}
	return e.agent
}

func newCT(t *testing.T, quotas ...domain.Quotas) *ctEnv {
	t.Helper()
	var o sbtest.Options
	if len(quotas) > 0 {
		o.Quotas = quotas[0]
	}
	return newCTWith(t, o)
}

// newCTIn is newCT on a data directory that a restart test opens again.
func newCTIn(t *testing.T, dir string) *ctEnv {
	t.Helper()
	return newCTWith(t, sbtest.Options{DataDir: dir})
}

func newCTWith(t *testing.T, o sbtest.Options) *ctEnv {
	t.Helper()
	env := sbtest.New(t, o)
	iid := env.Instance(t)
	e := &ctEnv{Env: env, t: t, iid: iid}
	e.flow = resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)
	return e
}

func (e *ctEnv) ctx() context.Context { return sbtest.Ctx(e.t) }

// task starts a task on the default flow; mod adjusts the input first.
func (e *ctEnv) task(name string, mod ...func(*connect.StartTaskContactInput)) string {
	e.t.Helper()
	in := &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String(name), ContactFlowId: aws.String(e.flow)}
	for _, m := range mod {
		m(in)
	}
	out, err := e.Client.StartTaskContact(e.ctx(), in)
	if err != nil {
		e.t.Fatalf("StartTaskContact: %v", err)
	}
	return *out.ContactId
}

// chat starts a chat on the default flow.
func (e *ctEnv) chat(mod ...func(*connect.StartChatContactInput)) *connect.StartChatContactOutput {
	e.t.Helper()
	in := e.chatInput()
	for _, m := range mod {
		m(in)
	}
	out, err := e.Client.StartChatContact(e.ctx(), in)
	if err != nil {
		e.t.Fatalf("StartChatContact: %v", err)
	}
	return out
}

func (e *ctEnv) chatInput() *connect.StartChatContactInput {
	return &connect.StartChatContactInput{InstanceId: aws.String(e.iid), ContactFlowId: aws.String(e.flow),
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Customer")}}
}

// describe returns DescribeContact's contact.
func (e *ctEnv) describe(id string) *types.Contact {
	e.t.Helper()
	out, err := e.Client.DescribeContact(e.ctx(), &connect.DescribeContactInput{InstanceId: aws.String(e.iid), ContactId: aws.String(id)})
	if err != nil {
		e.t.Fatalf("DescribeContact %s: %v", id, err)
	}
	return out.Contact
}

func (e *ctEnv) stop(id string) {
	e.t.Helper()
	if _, err := e.Client.StopContact(e.ctx(), &connect.StopContactInput{InstanceId: aws.String(e.iid), ContactId: aws.String(id)}); err != nil {
		e.t.Fatalf("StopContact %s: %v", id, err)
	}
}

func (e *ctEnv) attrs(id string) map[string]string {
	e.t.Helper()
	out, err := e.Client.GetContactAttributes(e.ctx(), &connect.GetContactAttributesInput{InstanceId: aws.String(e.iid), InitialContactId: aws.String(id)})
	if err != nil {
		e.t.Fatalf("GetContactAttributes %s: %v", id, err)
	}
	return out.Attributes
}

func (e *ctEnv) setAttrs(id string, a map[string]string) {
	e.t.Helper()
	if _, err := e.Client.UpdateContactAttributes(e.ctx(), &connect.UpdateContactAttributesInput{InstanceId: aws.String(e.iid), InitialContactId: aws.String(id), Attributes: a}); err != nil {
		e.t.Fatalf("UpdateContactAttributes %s: %v", id, err)
	}
}

// emailAddress creates an instance email address and returns it.
func (e *ctEnv) emailAddress(addr string) string {
	e.t.Helper()
	if _, err := e.Client.CreateEmailAddress(e.ctx(), &connect.CreateEmailAddressInput{InstanceId: aws.String(e.iid), EmailAddress: aws.String(addr), DisplayName: aws.String("Support")}); err != nil {
		e.t.Fatalf("CreateEmailAddress: %v", err)
	}
	return addr
}

// phoneNumber claims a number and returns its ARN.
func (e *ctEnv) phoneNumber(num string) string {
	e.t.Helper()
	out, err := e.Client.ClaimPhoneNumber(e.ctx(), &connect.ClaimPhoneNumberInput{InstanceId: aws.String(e.iid), PhoneNumber: aws.String(num)})
	if err != nil {
		e.t.Fatalf("ClaimPhoneNumber: %v", err)
	}
	return *out.PhoneNumberArn
}

// ctTime asserts a timestamp pointer equals want exactly (nil when want is zero).
func ctTime(t *testing.T, field string, got *time.Time, want time.Time) {
	t.Helper()
	switch {
	case want.IsZero() && got != nil:
		t.Errorf("%s = %v, want unset", field, *got)
	case !want.IsZero() && got == nil:
		t.Errorf("%s unset, want %v", field, want)
	case got != nil && !got.Equal(want):
		t.Errorf("%s = %v, want %v", field, got.UTC(), want)
	}
}

func ctEq[T comparable](t *testing.T, field string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", field, got, want)
	}
}

// ctContains asserts an error message says something a user can act on.
func ctContains(t *testing.T, msg string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !containsFold(msg, p) {
			t.Errorf("message %q does not mention %q", msg, p)
		}
	}
}

func strRef(typ types.ReferenceType, v string) types.Reference {
	return types.Reference{Type: typ, Value: aws.String(v)}
}

func segStr(v string) types.SegmentAttributeValue {
	return types.SegmentAttributeValue{ValueString: aws.String(v)}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
