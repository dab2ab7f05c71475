package awsapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// ctCall is one contact operation called with otherwise valid input.
type ctCall struct {
	op   string
	call func(ctx context.Context, c *connect.Client, iid, contact string) error
}

// ctCalls returns a valid call of every contact operation on instance iid
// and contact id (a scheduled task), using e's flow, email address and
// phone number.
func ctCalls(e *ctEnv, dest, phoneArn string) []ctCall {
	flow := e.flow
	return []ctCall{
		{"CreateContact", func(ctx context.Context, c *connect.Client, iid, _ string) error {
			_, err := c.CreateContact(ctx, &connect.CreateContactInput{InstanceId: aws.String(iid), Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi})
			return err
		}},
		{"DescribeContact", func(ctx context.Context, c *connect.Client, iid, id string) error {
			_, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(iid), ContactId: aws.String(id)})
			return err
		}},
		{"UpdateContact", func(ctx context.Context, c *connect.Client, iid, id string) error {
			_, err := c.UpdateContact(ctx, &connect.UpdateContactInput{InstanceId: aws.String(iid), ContactId: aws.String(id), Name: aws.String("n")})
			return err
		}},
		{"StartTaskContact", func(ctx context.Context, c *connect.Client, iid, _ string) error {
			_, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(iid), Name: aws.String("t"), ContactFlowId: aws.String(flow)})
			return err
		}},
		{"StartChatContact", func(ctx context.Context, c *connect.Client, iid, _ string) error {
			in := e.chatInput()
			in.InstanceId = aws.String(iid)
			_, err := c.StartChatContact(ctx, in)
			return err
		}},
		{"StartEmailContact", func(ctx context.Context, c *connect.Client, iid, _ string) error {
			in := e.emailInput(dest)
			in.InstanceId = aws.String(iid)
			_, err := c.StartEmailContact(ctx, in)
			return err
		}},
		{"StartOutboundChatContact", func(ctx context.Context, c *connect.Client, iid, _ string) error {
			in := e.outboundInput(phoneArn)
			in.InstanceId = aws.String(iid)
			_, err := c.StartOutboundChatContact(ctx, in)
			return err
		}},
		{"UpdateContactRoutingData", func(ctx context.Context, c *connect.Client, iid, id string) error {
			_, err := c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: aws.String(iid), ContactId: aws.String(id), QueuePriority: aws.Int64(2)})
			return err
		}},
		{"UpdateContactAttributes", func(ctx context.Context, c *connect.Client, iid, id string) error {
			_, err := c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: aws.String(iid), InitialContactId: aws.String(id), Attributes: map[string]string{"a": "b"}})
			return err
		}},
		{"GetContactAttributes", func(ctx context.Context, c *connect.Client, iid, id string) error {
			_, err := c.GetContactAttributes(ctx, &connect.GetContactAttributesInput{InstanceId: aws.String(iid), InitialContactId: aws.String(id)})
			return err
		}},
		{"ListContactReferences", func(ctx context.Context, c *connect.Client, iid, id string) error {
			_, err := c.ListContactReferences(ctx, &connect.ListContactReferencesInput{InstanceId: aws.String(iid), ContactId: aws.String(id), ReferenceTypes: []types.ReferenceType{types.ReferenceTypeUrl}})
			return err
		}},
		{"UpdateContactSchedule", func(ctx context.Context, c *connect.Client, iid, id string) error {
			_, err := c.UpdateContactSchedule(ctx, &connect.UpdateContactScheduleInput{InstanceId: aws.String(iid), ContactId: aws.String(id), ScheduledTime: aws.Time(sbtest.Start.Add(2 * time.Hour))})
			return err
		}},
		{"SearchContacts", func(ctx context.Context, c *connect.Client, iid, _ string) error {
			_, err := c.SearchContacts(ctx, &connect.SearchContactsInput{InstanceId: aws.String(iid), TimeRange: window(types.SearchContactsTimeRangeTypeInitiationTimestamp, sbtest.Start, sbtest.Start.Add(time.Hour))})
			return err
		}},
		// StopContact last: it ends the contact the others use.
		{"StopContact", func(ctx context.Context, c *connect.Client, iid, id string) error {
			_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(iid), ContactId: aws.String(id)})
			return err
		}},
	}
}

// TestContactOperationsUnknownInstance: every contact operation answers an
// unknown instance with ResourceNotFoundException (404) naming it, and the
// same calls succeed on the real instance (so the 404 is about the instance).
func TestContactOperationsUnknownInstance(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	dest := e.emailAddress("in@shop.example")
	phone := e.phoneNumber("+12065550111")
	id := e.task("scheduled", func(in *connect.StartTaskContactInput) { in.ScheduledTime = aws.Time(sbtest.Start.Add(time.Hour)) })
	const ghost = "11111111-2222-3333-4444-555555555555"
	calls := ctCalls(e, dest, phone)
	if len(calls) != 14 {
		t.Fatalf("%d operations covered, want 14", len(calls))
	}
	for _, c := range calls {
		t.Run(c.op, func(t *testing.T) {
			err := c.call(sbtest.Ctx(t), e.Client, ghost, id)
			ctContains(t, sbtest.APIError(t, err, "ResourceNotFoundException", 404), ghost, "ListInstances")
		})
	}
	for _, c := range calls {
		if err := c.call(e.ctx(), e.Client, e.iid, id); err != nil {
			t.Errorf("%s on the real instance: %v", c.op, err)
		}
	}
}

// TestContactModelValidation: input the model forbids reaches the server
// through env.Raw and is answered with the operation's validation exception
// (HTTP 400) and a message naming the member.
func TestContactModelValidation(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	id := e.task("t")
	long := strings.Repeat("x", 1025)
	longID := strings.Repeat("c", 257)
	iid := aws.String(e.iid)
	cases := []struct {
		name, exc, says string
		call            func(ctx context.Context) error
	}{
		{"CreateContact missing InitiationMethod", "InvalidParameterException", "InitiationMethod", func(ctx context.Context) error {
			_, err := e.Raw.CreateContact(ctx, &connect.CreateContactInput{InstanceId: iid, Channel: types.ChannelTask})
			return err
		}},
		{"CreateContact long Name", "InvalidParameterException", "Name", func(ctx context.Context) error {
			_, err := e.Raw.CreateContact(ctx, &connect.CreateContactInput{InstanceId: iid, Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, Name: aws.String(long)})
			return err
		}},
		{"CreateContact bad InitiateAs", "InvalidParameterException", "InitiateAs", func(ctx context.Context) error {
			_, err := e.Raw.CreateContact(ctx, &connect.CreateContactInput{InstanceId: iid, Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, InitiateAs: "LATER"})
			return err
		}},
		{"StartTaskContact missing Name", "InvalidParameterException", "Name", func(ctx context.Context) error {
			_, err := e.Raw.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: iid, ContactFlowId: aws.String(e.flow)})
			return err
		}},
		{"StartTaskContact long Name", "InvalidParameterException", "Name", func(ctx context.Context) error {
			_, err := e.Raw.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: iid, ContactFlowId: aws.String(e.flow), Name: aws.String(long)})
			return err
		}},
		{"StartTaskContact 6 attachments", "InvalidParameterException", "Attachments", func(ctx context.Context) error {
			att := make([]types.TaskAttachment, 6)
			for i := range att {
				att[i] = types.TaskAttachment{FileName: aws.String("f"), S3Url: aws.String("https://b.example/f")}
			}
			_, err := e.Raw.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: iid, ContactFlowId: aws.String(e.flow), Name: aws.String("n"), Attachments: att})
			return err
		}},
		{"StartChatContact bad RehydrationType", "InvalidParameterException", "RehydrationType", func(ctx context.Context) error {
			in := e.chatInput()
			in.PersistentChat = &types.PersistentChat{RehydrationType: "SOME", SourceContactId: aws.String(id)}
			_, err := e.Raw.StartChatContact(ctx, in)
			return err
		}},
		{"StartEmailContact missing From", "InvalidRequestException", "FromEmailAddress", func(ctx context.Context) error {
			in := e.emailInput("x@y.example")
			in.FromEmailAddress = nil
			_, err := e.Raw.StartEmailContact(ctx, in)
			return err
		}},
		{"StartEmailContact long Name", "InvalidRequestException", "Name", func(ctx context.Context) error {
			in := e.emailInput("x@y.example")
			in.Name = aws.String(long)
			_, err := e.Raw.StartEmailContact(ctx, in)
			return err
		}},
		{"StartOutboundChatContact bad endpoint type", "InvalidRequestException", "Type", func(ctx context.Context) error {
			in := e.outboundInput("arn")
			in.DestinationEndpoint.Type = "PIGEON"
			_, err := e.Raw.StartOutboundChatContact(ctx, in)
			return err
		}},
		{"DescribeContact long ContactId", "InvalidParameterException", "ContactId", func(ctx context.Context) error {
			_, err := e.Raw.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: iid, ContactId: aws.String(longID)})
			return err
		}},
		{"GetContactAttributes long InitialContactId", "InvalidRequestException", "InitialContactId", func(ctx context.Context) error {
			_, err := e.Raw.GetContactAttributes(ctx, &connect.GetContactAttributesInput{InstanceId: iid, InitialContactId: aws.String(longID)})
			return err
		}},
		{"UpdateContact long Description", "InvalidParameterException", "Description", func(ctx context.Context) error {
			_, err := e.Raw.UpdateContact(ctx, &connect.UpdateContactInput{InstanceId: iid, ContactId: aws.String(id), Description: aws.String(strings.Repeat("d", 4097))})
			return err
		}},
		{"UpdateContactRoutingData long ContactId", "InvalidParameterException", "ContactId", func(ctx context.Context) error {
			_, err := e.Raw.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: iid, ContactId: aws.String(longID), QueuePriority: aws.Int64(1)})
			return err
		}},
		{"StopContact missing ContactId", "InvalidParameterException", "ContactId", func(ctx context.Context) error {
			_, err := e.Raw.StopContact(ctx, &connect.StopContactInput{InstanceId: iid})
			return err
		}},
		{"UpdateContactSchedule missing ScheduledTime", "InvalidParameterException", "ScheduledTime", func(ctx context.Context) error {
			_, err := e.Raw.UpdateContactSchedule(ctx, &connect.UpdateContactScheduleInput{InstanceId: iid, ContactId: aws.String(id)})
			return err
		}},
		{"ListContactReferences bad type", "InvalidParameterException", "ReferenceTypes", func(ctx context.Context) error {
			_, err := e.Raw.ListContactReferences(ctx, &connect.ListContactReferencesInput{InstanceId: iid, ContactId: aws.String(id), ReferenceTypes: []types.ReferenceType{"BOGUS"}})
			return err
		}},
		{"SearchContacts missing TimeRange", "InvalidParameterException", "TimeRange", func(ctx context.Context) error {
			_, err := e.Raw.SearchContacts(ctx, &connect.SearchContactsInput{InstanceId: iid})
			return err
		}},
		{"UpdateContactAttributes long key", "InvalidParameterException", "Attributes", func(ctx context.Context) error {
			_, err := e.Raw.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: iid, InitialContactId: aws.String(id), Attributes: map[string]string{strings.Repeat("k", 32768): "v"}})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctContains(t, sbtest.APIError(t, tc.call(sbtest.Ctx(t)), tc.exc, 400), tc.says)
		})
	}
}
