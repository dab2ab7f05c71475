package awsapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func TestSearchQueues(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	hours, basic := resBasic(t, env, iid)
	names := map[string]string{} // ID → name
	for _, q := range []struct {
		name, description string
		tags              map[string]string
	}{
		{"Sales East", "new orders", map[string]string{"team": "sales"}},
		{"Sales West", "returns", nil},
		{"Support", "help desk", map[string]string{"team": "care"}},
	} {
		out, err := env.Client.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: aws.String(iid), Name: aws.String(q.name),
			Description: aws.String(q.description), HoursOfOperationId: aws.String(hours), Tags: q.tags})
		if err != nil {
			t.Fatal(err)
		}
		names[*out.QueueId] = q.name
	}
	names[basic] = "BasicQueue"
	// A user brings an agent queue, which only a QueueTypeCondition leaves out.
	rps, err := env.Client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	sps, err := env.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.CreateUser(ctx, &connect.CreateUserInput{InstanceId: aws.String(iid), Username: aws.String("ada"), Password: aws.String("Passw0rd!x"),
		IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("Ada"), LastName: aws.String("L")},
		PhoneConfig:  &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone}, RoutingProfileId: rps.RoutingProfileSummaryList[0].Id,
		SecurityProfileIds: []string{*sps.SecurityProfileSummaryList[0].Id}}); err != nil {
		t.Fatal(err)
	}

	str := func(field, value string, cmp types.StringComparisonType) *types.QueueSearchCriteria {
		return &types.QueueSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(value), ComparisonType: cmp}}
	}
	for _, tc := range []struct {
		name     string
		criteria *types.QueueSearchCriteria
		filter   *types.QueueSearchFilter
		want     []string // names; "agent" stands for the agent queue
	}{
		{"everything", nil, nil, []string{"BasicQueue", "Sales East", "Sales West", "Support", "agent"}},
		{"standard queues", &types.QueueSearchCriteria{QueueTypeCondition: types.SearchableQueueTypeStandard}, nil,
			[]string{"BasicQueue", "Sales East", "Sales West", "Support"}},
		{"name contains, any case", str("name", "SALES", types.StringComparisonTypeContains), nil, []string{"Sales East", "Sales West"}},
		{"description starts with", str("description", "help", types.StringComparisonTypeStartsWith), nil, []string{"Support"}},
		{"resourceID exact", str("resourceID", basic, types.StringComparisonTypeExact), nil, []string{"BasicQueue"}},
		{"or", &types.QueueSearchCriteria{OrConditions: []types.QueueSearchCriteria{*str("name", "Support", types.StringComparisonTypeExact),
			*str("name", "West", types.StringComparisonTypeContains)}}, nil, []string{"Sales West", "Support"}},
		{"and", &types.QueueSearchCriteria{AndConditions: []types.QueueSearchCriteria{*str("name", "Sales", types.StringComparisonTypeStartsWith),
			*str("description", "orders", types.StringComparisonTypeContains)}}, nil, []string{"Sales East"}},
		{"a string and a type condition in one node", &types.QueueSearchCriteria{QueueTypeCondition: types.SearchableQueueTypeStandard,
			StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("e"), ComparisonType: types.StringComparisonTypeContains}},
			nil, []string{"BasicQueue", "Sales East", "Sales West"}},
		{"tag filter", nil, &types.QueueSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("sales")}}},
			[]string{"Sales East"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			p := connect.NewSearchQueuesPaginator(env.Client, &connect.SearchQueuesInput{InstanceId: aws.String(iid), SearchCriteria: tc.criteria,
				SearchFilter: tc.filter, MaxResults: aws.Int32(2)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if int(*page.ApproximateTotalCount) != len(tc.want) {
					t.Errorf("ApproximateTotalCount %d, want %d", *page.ApproximateTotalCount, len(tc.want))
				}
				for _, q := range page.Queues {
					n, ok := names[*q.QueueId]
					if !ok {
						n = "agent"
					}
					if ok && (*q.Name != n || q.QueueArn == nil || q.LastModifiedTime == nil) {
						t.Errorf("queue %+v", q)
					}
					got = append(got, n)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("found %v, want %v", got, tc.want)
			}
		})
	}

	// The search shows what DescribeQueue shows.
	out, err := env.Client.SearchQueues(ctx, &connect.SearchQueuesInput{InstanceId: aws.String(iid), SearchCriteria: str("name", "Support", types.StringComparisonTypeExact)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := env.Client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(iid), QueueId: out.Queues[0].QueueId})
	if err != nil {
		t.Fatal(err)
	}
	if q := out.Queues[0]; *q.Description != *d.Queue.Description || q.Tags["team"] != "care" || *q.HoursOfOperationId != *d.Queue.HoursOfOperationId ||
		q.Status != d.Queue.Status {
		t.Errorf("search %+v, describe %+v", q, d.Queue)
	}

	_, err = env.Raw.SearchQueues(ctx, &connect.SearchQueuesInput{InstanceId: aws.String(iid), SearchCriteria: str("hours", "x", types.StringComparisonTypeExact)})
	if msg := sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest); !strings.Contains(msg, "resourceid") {
		t.Errorf("message %q does not list the fields", msg)
	}
	_, err = env.Raw.SearchQueues(ctx, &connect.SearchQueuesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(501)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.SearchQueues(ctx, &connect.SearchQueuesInput{InstanceId: aws.String(iid), SearchCriteria: &types.QueueSearchCriteria{QueueTypeCondition: "AGENT"}})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Client.SearchQueues(ctx, &connect.SearchQueuesInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestSearchQuickConnects(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	for _, q := range []struct{ name, number, team string }{{"Billing", "+12065550111", "money"}, {"Billing escalations", "+12065550112", ""}, {"Shipping", "+12065550113", "ops"}} {
		in := &connect.CreateQuickConnectInput{InstanceId: aws.String(iid), Name: aws.String(q.name), Description: aws.String("call " + q.name),
			QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypePhoneNumber,
				PhoneConfig: &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String(q.number)}}}
		if q.team != "" {
			in.Tags = map[string]string{"team": q.team}
		}
		if _, err := env.Client.CreateQuickConnect(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	search := func(c *types.QuickConnectSearchCriteria, f *types.QuickConnectSearchFilter) []string {
		t.Helper()
		out, err := env.Client.SearchQuickConnects(ctx, &connect.SearchQuickConnectsInput{InstanceId: aws.String(iid), SearchCriteria: c, SearchFilter: f})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, q := range out.QuickConnects {
			if q.QuickConnectConfig == nil || q.QuickConnectConfig.PhoneConfig == nil || q.QuickConnectARN == nil {
				t.Errorf("quick connect %+v", q)
			}
			names = append(names, *q.Name)
		}
		if int(*out.ApproximateTotalCount) != len(names) {
			t.Errorf("ApproximateTotalCount %d for %d", *out.ApproximateTotalCount, len(names))
		}
		slices.Sort(names)
		return names
	}
	str := func(field, value string, cmp types.StringComparisonType) *types.QuickConnectSearchCriteria {
		return &types.QuickConnectSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(value), ComparisonType: cmp}}
	}
	if got := search(nil, nil); len(got) != 3 {
		t.Errorf("everything: %v", got)
	}
	if got := search(str("name", "billing", types.StringComparisonTypeStartsWith), nil); !slices.Equal(got, []string{"Billing", "Billing escalations"}) {
		t.Errorf("name starts with: %v", got)
	}
	if got := search(str("description", "call shipping", types.StringComparisonTypeExact), nil); !slices.Equal(got, []string{"Shipping"}) {
		t.Errorf("description exact: %v", got)
	}
	if got := search(nil, &types.QuickConnectSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("team")}}}); !slices.Equal(got, []string{"Billing", "Shipping"}) {
		t.Errorf("tag key: %v", got)
	}
	_, err := env.Raw.SearchQuickConnects(ctx, &connect.SearchQuickConnectsInput{InstanceId: aws.String(iid), SearchCriteria: str("type", "x", types.StringComparisonTypeExact)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.SearchQuickConnects(ctx, &connect.SearchQuickConnectsInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(101)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
}
