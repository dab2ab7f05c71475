package awsapi_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// A claimed number moves to another instance without its inbound flow,
// and its description changes; a queue's caller ID keeps it where it is.
func TestUpdatePhoneNumber(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	other := env.Instance(t)
	ctx := sbtest.Ctx(t)
	pn, err := env.Client.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+12065550142")})
	if err != nil {
		t.Fatal(err)
	}
	flow := resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)
	if _, err := env.Client.AssociatePhoneNumberContactFlow(ctx, &connect.AssociatePhoneNumberContactFlowInput{InstanceId: aws.String(iid),
		PhoneNumberId: pn.PhoneNumberId, ContactFlowId: aws.String(flow)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.UpdatePhoneNumberMetadata(ctx, &connect.UpdatePhoneNumberMetadataInput{PhoneNumberId: pn.PhoneNumberId,
		PhoneNumberDescription: aws.String("support line")}); err != nil {
		t.Fatal(err)
	}
	out, err := env.Client.UpdatePhoneNumber(ctx, &connect.UpdatePhoneNumberInput{PhoneNumberId: pn.PhoneNumberId, InstanceId: aws.String(other)})
	if err != nil || *out.PhoneNumberId != *pn.PhoneNumberId {
		t.Fatalf("UpdatePhoneNumber = %+v, %v", out, err)
	}
	d, err := env.Client.DescribePhoneNumber(ctx, &connect.DescribePhoneNumberInput{PhoneNumberId: pn.PhoneNumberId})
	if err != nil {
		t.Fatal(err)
	}
	c := d.ClaimedPhoneNumberSummary
	if *c.InstanceId != other || *c.PhoneNumberDescription != "support line" || *c.TargetArn == "" {
		t.Errorf("after the move: %+v", c)
	}
	// The old instance's flow did not come along.
	_, err = env.Raw.DisassociatePhoneNumberContactFlow(ctx, &connect.DisassociatePhoneNumberContactFlowInput{InstanceId: aws.String(iid), PhoneNumberId: pn.PhoneNumberId})
	if err == nil {
		t.Error("the number still answers to its old instance")
	}

	// A number a queue shows as caller ID stays.
	q := resBasicQueue(t, env, other)
	if _, err := env.Client.UpdateQueueOutboundCallerConfig(ctx, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: aws.String(other), QueueId: aws.String(q),
		OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdNumberId: pn.PhoneNumberId}}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.UpdatePhoneNumber(ctx, &connect.UpdatePhoneNumberInput{PhoneNumberId: pn.PhoneNumberId, InstanceId: aws.String(iid)})
	sbtest.APIError(t, err, "ResourceInUseException", http.StatusConflict)
	_, err = env.Raw.UpdatePhoneNumber(ctx, &connect.UpdatePhoneNumberInput{PhoneNumberId: aws.String("00000000-0000-0000-0000-000000000000"), InstanceId: aws.String(iid)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.UpdatePhoneNumber(ctx, &connect.UpdatePhoneNumberInput{PhoneNumberId: pn.PhoneNumberId})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.UpdatePhoneNumberMetadata(ctx, &connect.UpdatePhoneNumberMetadataInput{PhoneNumberId: pn.PhoneNumberId, PhoneNumberDescription: aws.String("x"), ClientToken: aws.String("tok")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.UpdatePhoneNumberMetadata(ctx, &connect.UpdatePhoneNumberMetadataInput{PhoneNumberId: pn.PhoneNumberId, PhoneNumberDescription: aws.String("y"), ClientToken: aws.String("tok")})
	sbtest.APIError(t, err, "IdempotencyException", http.StatusConflict)
}

func TestUpdateEmailAddressMetadata(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	e, err := env.Client.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: aws.String(iid), EmailAddress: aws.String("help@example.com"),
		DisplayName: aws.String("Help"), Description: aws.String("old")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := env.Client.UpdateEmailAddressMetadata(ctx, &connect.UpdateEmailAddressMetadataInput{InstanceId: aws.String(iid), EmailAddressId: e.EmailAddressId,
		DisplayName: aws.String("Help desk")})
	if err != nil || *out.EmailAddressArn != *e.EmailAddressArn {
		t.Fatalf("UpdateEmailAddressMetadata = %+v, %v", out, err)
	}
	d, err := env.Client.DescribeEmailAddress(ctx, &connect.DescribeEmailAddressInput{InstanceId: aws.String(iid), EmailAddressId: e.EmailAddressId})
	if err != nil || *d.DisplayName != "Help desk" || *d.Description != "old" {
		t.Errorf("after the update: %+v, %v", d, err)
	}
	_, err = env.Raw.UpdateEmailAddressMetadata(ctx, &connect.UpdateEmailAddressMetadataInput{InstanceId: aws.String(iid), EmailAddressId: aws.String("nope"), Description: aws.String("x")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}
