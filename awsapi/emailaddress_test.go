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

func TestEmailAddressLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	ids := map[string]string{}
	for _, a := range []struct{ addr, display string }{{"sales@example.com", "Sales"}, {"support@example.com", "Support"}, {"billing@other.org", "Billing"}} {
		out, err := env.Client.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: aws.String(iid), EmailAddress: aws.String(a.addr),
			DisplayName: aws.String(a.display), Description: aws.String("d " + a.display), Tags: map[string]string{"team": strings.ToLower(a.display)}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(*out.EmailAddressArn, ":instance/"+iid+"/email-address/"+*out.EmailAddressId) {
			t.Errorf("ARN %s", *out.EmailAddressArn)
		}
		ids[a.addr] = *out.EmailAddressId
	}
	d, err := env.Client.DescribeEmailAddress(ctx, &connect.DescribeEmailAddressInput{InstanceId: aws.String(iid), EmailAddressId: aws.String(ids["sales@example.com"])})
	if err != nil {
		t.Fatal(err)
	}
	if *d.EmailAddress != "sales@example.com" || *d.DisplayName != "Sales" || *d.Description != "d Sales" || d.Tags["team"] != "sales" ||
		!strings.HasPrefix(aws.ToString(d.CreateTimestamp), "2026-03-02T09:00:00") || d.ModifiedTimestamp == nil {
		t.Errorf("Describe = %+v", d)
	}

	str := func(field, value string, cmp types.StringComparisonType) *types.EmailAddressSearchCriteria {
		return &types.EmailAddressSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(value), ComparisonType: cmp}}
	}
	tests := []struct {
		name     string
		criteria *types.EmailAddressSearchCriteria
		filter   *types.EmailAddressSearchFilter
		want     int
	}{
		{"everything", nil, nil, 3},
		{"exact address ignores case", str("EmailAddress", "SALES@example.com", types.StringComparisonTypeExact), nil, 1},
		{"domain contains", str("EmailAddress", "example.com", types.StringComparisonTypeContains), nil, 2},
		{"display name prefix", str("DisplayName", "Su", types.StringComparisonTypeStartsWith), nil, 1},
		{"or", &types.EmailAddressSearchCriteria{OrConditions: []types.EmailAddressSearchCriteria{
			*str("DisplayName", "Sales", types.StringComparisonTypeExact), *str("DisplayName", "Billing", types.StringComparisonTypeExact)}}, nil, 2},
		{"and", &types.EmailAddressSearchCriteria{AndConditions: []types.EmailAddressSearchCriteria{
			*str("EmailAddress", "example.com", types.StringComparisonTypeContains), *str("DisplayName", "Sup", types.StringComparisonTypeStartsWith)}}, nil, 1},
		{"tag filter", nil, &types.EmailAddressSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("billing")}}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen := 0
			var total int64
			// The SDK has no paginator for this operation; follow NextToken by hand.
			var token *string
			for {
				page, err := env.Client.SearchEmailAddresses(ctx, &connect.SearchEmailAddressesInput{InstanceId: aws.String(iid),
					SearchCriteria: tc.criteria, SearchFilter: tc.filter, MaxResults: aws.Int32(1), NextToken: token})
				if err != nil {
					t.Fatal(err)
				}
				if len(page.EmailAddresses) > 1 {
					t.Fatalf("page of %d with MaxResults 1", len(page.EmailAddresses))
				}
				seen += len(page.EmailAddresses)
				total = aws.ToInt64(page.ApproximateTotalCount)
				if token = page.NextToken; token == nil {
					break
				}
			}
			if seen != tc.want || total != int64(tc.want) {
				t.Errorf("found %d (total %d), want %d", seen, total, tc.want)
			}
		})
	}

	// An address used by a queue cannot be deleted.
	hours, _ := resBasic(t, env, iid)
	q, err := env.Client.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: aws.String(iid), Name: aws.String("Mail"), HoursOfOperationId: aws.String(hours),
		OutboundEmailConfig: &types.OutboundEmailConfig{OutboundEmailAddressId: aws.String(ids["sales@example.com"])}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DeleteEmailAddress(ctx, &connect.DeleteEmailAddressInput{InstanceId: aws.String(iid), EmailAddressId: aws.String(ids["sales@example.com"])})
	if msg := sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict); !strings.Contains(msg, *q.QueueId) {
		t.Errorf("message %q does not name the queue", msg)
	}
	if _, err := env.Client.DeleteEmailAddress(ctx, &connect.DeleteEmailAddressInput{InstanceId: aws.String(iid), EmailAddressId: aws.String(ids["billing@other.org"])}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DescribeEmailAddress(ctx, &connect.DescribeEmailAddressInput{InstanceId: aws.String(iid), EmailAddressId: aws.String(ids["billing@other.org"])})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestEmailAddressIdempotent(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := &connect.CreateEmailAddressInput{InstanceId: aws.String(iid), EmailAddress: aws.String("a@example.com"), ClientToken: aws.String("tok-1")}
	first, err := env.Client.CreateEmailAddress(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := env.Client.CreateEmailAddress(ctx, in)
	if err != nil || *again.EmailAddressId != *first.EmailAddressId {
		t.Fatalf("retry: %v %v", err, again)
	}
	_, err = env.Client.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: aws.String(iid), EmailAddress: aws.String("b@example.com"), ClientToken: aws.String("tok-1")})
	sbtest.APIError(t, err, "IdempotencyException", http.StatusConflict)
}

func TestEmailAddressErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{EmailAddresses: 2})
	ctx := sbtest.Ctx(t)
	create := func(c *connect.Client, addr string) error {
		_, err := c.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: aws.String(iid), EmailAddress: aws.String(addr)})
		return err
	}
	if err := create(env.Client, "taken@example.com"); err != nil {
		t.Fatal(err)
	}
	search := func(c *types.EmailAddressSearchCriteria) error {
		_, err := env.Raw.SearchEmailAddresses(ctx, &connect.SearchEmailAddressesInput{InstanceId: aws.String(iid), SearchCriteria: c})
		return err
	}
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"duplicate address, other case", func() error { return create(env.Client, "TAKEN@example.com") }, "DuplicateResourceException", 409},
		{"not an address", func() error { return create(env.Raw, "not-an-address") }, "InvalidParameterException", 400},
		{"too long", func() error { return create(env.Raw, strings.Repeat("a", 250)+"@example.com") }, "InvalidParameterException", 400},
		{"missing address", func() error {
			_, err := env.Raw.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: aws.String(iid)})
			return err
		}, "InvalidParameterException", 400},
		{"unknown instance", func() error {
			_, err := env.Client.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: aws.String("nope"), EmailAddress: aws.String("x@example.com")})
			return err
		}, "ResourceNotFoundException", 404},
		{"describe unknown", func() error {
			_, err := env.Client.DescribeEmailAddress(ctx, &connect.DescribeEmailAddressInput{InstanceId: aws.String(iid), EmailAddressId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"search unknown field", func() error {
			return search(&types.EmailAddressSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("Color"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}})
		}, "InvalidParameterException", 400},
		{"search bad comparison", func() error {
			return search(&types.EmailAddressSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("EmailAddress"), Value: aws.String("x"), ComparisonType: "LIKE"}})
		}, "InvalidParameterException", 400},
		{"search MaxResults over 100", func() error {
			_, err := env.Raw.SearchEmailAddresses(ctx, &connect.SearchEmailAddressesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(101)})
			return err
		}, "InvalidParameterException", 400},
		{"search missing instance", func() error {
			_, err := env.Raw.SearchEmailAddresses(ctx, &connect.SearchEmailAddressesInput{})
			return err
		}, "InvalidParameterException", 400},
		{"delete unknown", func() error {
			_, err := env.Client.DeleteEmailAddress(ctx, &connect.DeleteEmailAddressInput{InstanceId: aws.String(iid), EmailAddressId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"delete id too long", func() error {
			_, err := env.Raw.DeleteEmailAddress(ctx, &connect.DeleteEmailAddressInput{InstanceId: aws.String(iid), EmailAddressId: aws.String(strings.Repeat("e", 600))})
			return err
		}, "InvalidParameterException", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
	if err := create(env.Client, "second@example.com"); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create(env.Client, "third@example.com"), "ServiceQuotaExceededException", http.StatusPaymentRequired)
}
