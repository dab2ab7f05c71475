package awsapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func TestPhoneNumberLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	other := env.Instance(t)
	ctx := sbtest.Ctx(t)
	inst, err := env.Client.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	claims := []struct {
		number, country string
		typ             types.PhoneNumberType
		byArn           bool
		instance        string
	}{
		{"+12065550100", "US", types.PhoneNumberTypeDid, true, iid},
		{"+18005550100", "US", types.PhoneNumberTypeTollFree, false, iid},
		{"+442071234567", "GB", types.PhoneNumberTypeDid, false, iid},
		{"+4930123456", "DE", types.PhoneNumberTypeDid, false, other},
	}
	ids := map[string]string{}
	for _, c := range claims {
		in := &connect.ClaimPhoneNumberInput{PhoneNumber: aws.String(c.number), PhoneNumberDescription: aws.String("line " + c.number), Tags: map[string]string{"n": c.number}}
		if c.byArn {
			in.TargetArn = inst.Instance.Arn
		} else {
			in.InstanceId = aws.String(c.instance)
		}
		out, err := env.Client.ClaimPhoneNumber(ctx, in)
		if err != nil {
			t.Fatalf("claim %s: %v", c.number, err)
		}
		if want := ":" + sbtest.AccountID + ":phone-number/" + *out.PhoneNumberId; !strings.HasSuffix(*out.PhoneNumberArn, want) {
			t.Errorf("ARN %s is not an account-level phone-number ARN", *out.PhoneNumberArn)
		}
		ids[c.number] = *out.PhoneNumberId
		for _, ref := range []string{*out.PhoneNumberId, *out.PhoneNumberArn} {
			d, err := env.Client.DescribePhoneNumber(ctx, &connect.DescribePhoneNumberInput{PhoneNumberId: aws.String(ref)})
			if err != nil {
				t.Fatal(err)
			}
			s := d.ClaimedPhoneNumberSummary
			if *s.PhoneNumber != c.number || string(s.PhoneNumberCountryCode) != c.country || s.PhoneNumberType != c.typ ||
				*s.InstanceId != c.instance || !strings.HasSuffix(*s.TargetArn, ":instance/"+c.instance) ||
				s.PhoneNumberStatus.Status != types.PhoneNumberWorkflowStatusClaimed || *s.PhoneNumberDescription != "line "+c.number || s.Tags["n"] != c.number {
				t.Errorf("Describe %s = %+v", ref, s)
			}
		}
	}

	tests := []struct {
		name string
		in   connect.ListPhoneNumbersV2Input
		want int
	}{
		{"whole account", connect.ListPhoneNumbersV2Input{}, 4},
		{"instance", connect.ListPhoneNumbersV2Input{InstanceId: aws.String(iid)}, 3},
		{"target arn", connect.ListPhoneNumbersV2Input{TargetArn: inst.Instance.Arn}, 3},
		{"country", connect.ListPhoneNumbersV2Input{PhoneNumberCountryCodes: []types.PhoneNumberCountryCode{types.PhoneNumberCountryCodeGb, types.PhoneNumberCountryCodeDe}}, 2},
		{"type", connect.ListPhoneNumbersV2Input{PhoneNumberTypes: []types.PhoneNumberType{types.PhoneNumberTypeTollFree}}, 1},
		{"prefix", connect.ListPhoneNumbersV2Input{PhoneNumberPrefix: aws.String("+1")}, 2},
		{"prefix without plus", connect.ListPhoneNumbersV2Input{PhoneNumberPrefix: aws.String("44")}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.MaxResults = aws.Int32(1)
			seen := map[string]bool{}
			p := connect.NewListPhoneNumbersV2Paginator(env.Client, &in)
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range page.ListPhoneNumbersSummaryList {
					seen[*s.PhoneNumberId] = true
				}
			}
			if len(seen) != tc.want {
				t.Errorf("listed %d, want %d", len(seen), tc.want)
			}
		})
	}

	// A number that is a queue's caller ID stays until the queue lets go.
	_, queue := resBasic(t, env, iid)
	if _, err := env.Client.UpdateQueueOutboundCallerConfig(ctx, &connect.UpdateQueueOutboundCallerConfigInput{InstanceId: aws.String(iid), QueueId: aws.String(queue),
		OutboundCallerConfig: &types.OutboundCallerConfig{OutboundCallerIdNumberId: aws.String(ids["+12065550100"])}}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.ReleasePhoneNumber(ctx, &connect.ReleasePhoneNumberInput{PhoneNumberId: aws.String(ids["+12065550100"])})
	sbtest.APIError(t, err, "ResourceInUseException", http.StatusConflict)

	// Release, retry with the same token, and claim the number again.
	rel := &connect.ReleasePhoneNumberInput{PhoneNumberId: aws.String(ids["+442071234567"]), ClientToken: aws.String("release-1")}
	for i := 0; i < 2; i++ {
		if _, err := env.Client.ReleasePhoneNumber(ctx, rel); err != nil {
			t.Fatalf("release #%d: %v", i+1, err)
		}
	}
	_, err = env.Client.DescribePhoneNumber(ctx, &connect.DescribePhoneNumberInput{PhoneNumberId: aws.String(ids["+442071234567"])})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	if _, err := env.Client.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+442071234567")}); err != nil {
		t.Fatalf("claim after release: %v", err)
	}
}

func TestPhoneNumberErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{PhoneNumbers: 2})
	ctx := sbtest.Ctx(t)
	claim := func(c *connect.Client, in connect.ClaimPhoneNumberInput) error {
		_, err := c.ClaimPhoneNumber(ctx, &in)
		return err
	}
	if err := claim(env.Client, connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+12065550111")}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		// The model lists no conflict exception for ClaimPhoneNumber, so
		// the operation's validation exception reports a taken number.
		{"already claimed", func() error {
			return claim(env.Client, connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+12065550111")})
		}, "InvalidParameterException", 400},
		{"no target", func() error {
			return claim(env.Client, connect.ClaimPhoneNumberInput{PhoneNumber: aws.String("+12065550112")})
		}, "InvalidParameterException", 400},
		{"target not an instance", func() error {
			return claim(env.Client, connect.ClaimPhoneNumberInput{TargetArn: aws.String("arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/x"), PhoneNumber: aws.String("+12065550112")})
		}, "InvalidParameterException", 400},
		{"unknown instance", func() error {
			return claim(env.Client, connect.ClaimPhoneNumberInput{InstanceId: aws.String("nope"), PhoneNumber: aws.String("+12065550112")})
		}, "ResourceNotFoundException", 404},
		{"unknown calling code", func() error {
			return claim(env.Client, connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+999123456")})
		}, "InvalidParameterException", 400},
		{"not E.164", func() error {
			return claim(env.Raw, connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("2065550100")})
		}, "InvalidParameterException", 400},
		{"missing number", func() error { return claim(env.Raw, connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid)}) }, "InvalidParameterException", 400},
		{"describe unknown", func() error {
			_, err := env.Client.DescribePhoneNumber(ctx, &connect.DescribePhoneNumberInput{PhoneNumberId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"list bad type", func() error {
			// The SDK validates no member of this operation (Raw cannot
			// even remove its validation step), and never checks enums.
			_, err := env.Client.ListPhoneNumbersV2(ctx, &connect.ListPhoneNumbersV2Input{PhoneNumberTypes: []types.PhoneNumberType{"MOBILE"}})
			return err
		}, "InvalidParameterException", 400},
		{"list unknown instance", func() error {
			_, err := env.Client.ListPhoneNumbersV2(ctx, &connect.ListPhoneNumbersV2Input{InstanceId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"release unknown", func() error {
			_, err := env.Client.ReleasePhoneNumber(ctx, &connect.ReleasePhoneNumberInput{PhoneNumberId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
	if err := claim(env.Client, connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+12065550112")}); err != nil {
		t.Fatal(err)
	}
	// Over the quota; again reported as the validation exception because
	// the model lists no quota exception for ClaimPhoneNumber.
	sbtest.APIError(t, claim(env.Client, connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+12065550113")}), "InvalidParameterException", 400)
}
