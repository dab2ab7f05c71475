package awsapi_test

import (
	"net/http"
	"strings"
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

// SearchAvailablePhoneNumbers offers numbers that ClaimPhoneNumber then
// takes, as Terraform's aws_connect_phone_number does, never one already
// claimed.
func TestSearchAvailablePhoneNumbers(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	search := func(country types.PhoneNumberCountryCode, typ types.PhoneNumberType, prefix *string, next *string) *connect.SearchAvailablePhoneNumbersOutput {
		t.Helper()
		out, err := env.Client.SearchAvailablePhoneNumbers(ctx, &connect.SearchAvailablePhoneNumbersInput{InstanceId: aws.String(iid),
			PhoneNumberCountryCode: country, PhoneNumberType: typ, PhoneNumberPrefix: prefix, MaxResults: aws.Int32(2), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := search(types.PhoneNumberCountryCodeUs, types.PhoneNumberTypeDid, nil, nil)
	if len(first.AvailableNumbersList) != 2 || first.NextToken == nil || first.AvailableNumbersList[0].PhoneNumberType != types.PhoneNumberTypeDid {
		t.Fatalf("first page %+v", first)
	}
	n := *first.AvailableNumbersList[0].PhoneNumber
	if _, err := env.Client.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String(n)}); err != nil {
		t.Fatal(err)
	}
	again := search(types.PhoneNumberCountryCodeUs, types.PhoneNumberTypeDid, nil, nil)
	if *again.AvailableNumbersList[0].PhoneNumber == n {
		t.Errorf("a claimed number is offered again: %s", n)
	}
	second := search(types.PhoneNumberCountryCodeUs, types.PhoneNumberTypeDid, nil, again.NextToken)
	if *second.AvailableNumbersList[0].PhoneNumber == *again.AvailableNumbersList[1].PhoneNumber {
		t.Errorf("the second page repeats the first: %+v", second.AvailableNumbersList)
	}
	tf := search(types.PhoneNumberCountryCodeUs, types.PhoneNumberTypeTollFree, aws.String("+1888"), nil)
	if !strings.HasPrefix(*tf.AvailableNumbersList[0].PhoneNumber, "+1888") || len(*tf.AvailableNumbersList[0].PhoneNumber) != 12 {
		t.Errorf("toll-free numbers %+v", tf.AvailableNumbersList)
	}
	gb := search(types.PhoneNumberCountryCodeGb, types.PhoneNumberTypeDid, aws.String("+4420"), nil)
	if !strings.HasPrefix(*gb.AvailableNumbersList[0].PhoneNumber, "+4420") || gb.AvailableNumbersList[0].PhoneNumberCountryCode != types.PhoneNumberCountryCodeGb {
		t.Errorf("GB numbers %+v", gb.AvailableNumbersList)
	}
	if none := search(types.PhoneNumberCountryCodeGb, types.PhoneNumberTypeTollFree, nil, nil); len(none.AvailableNumbersList) != 0 {
		t.Errorf("GB toll-free numbers %+v", none.AvailableNumbersList)
	}
	_, err := env.Raw.SearchAvailablePhoneNumbers(ctx, &connect.SearchAvailablePhoneNumbersInput{InstanceId: aws.String(iid),
		PhoneNumberCountryCode: types.PhoneNumberCountryCodeUs, PhoneNumberType: types.PhoneNumberTypeDid, PhoneNumberPrefix: aws.String("+44")})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.SearchAvailablePhoneNumbers(ctx, &connect.SearchAvailablePhoneNumbersInput{
		PhoneNumberCountryCode: types.PhoneNumberCountryCodeUs, PhoneNumberType: types.PhoneNumberTypeDid})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
}
