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

// agStatuses returns the instance's statuses by name.
func agStatuses(t *testing.T, env *sbtest.Env, iid string) map[string]types.AgentStatusSummary {
	t.Helper()
	out, err := env.Client.ListAgentStatuses(sbtest.Ctx(t), &connect.ListAgentStatusesInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]types.AgentStatusSummary{}
	for _, s := range out.AgentStatusSummaryList {
		m[*s.Name] = s
	}
	return m
}

func TestAgentStatusLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	created, err := env.Client.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String("Lunch"),
		Description: aws.String("out to lunch"), State: types.AgentStatusStateEnabled, Tags: map[string]string{"team": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(*created.AgentStatusARN, "/agent-state/"+*created.AgentStatusId) {
		t.Errorf("ARN %s", *created.AgentStatusARN)
	}
	d, err := env.Client.DescribeAgentStatus(ctx, &connect.DescribeAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: created.AgentStatusId})
	if err != nil {
		t.Fatal(err)
	}
	s := d.AgentStatus
	// Available and Offline hold display orders 1 and 2.
	if *s.Name != "Lunch" || s.Type != types.AgentStatusTypeCustom || s.State != types.AgentStatusStateEnabled || *s.DisplayOrder != 3 || s.Tags["team"] != "a" {
		t.Errorf("Describe = %+v", s)
	}
	_, err = env.Client.UpdateAgentStatus(ctx, &connect.UpdateAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: created.AgentStatusId,
		Name: aws.String("Long lunch"), State: types.AgentStatusStateDisabled, DisplayOrder: aws.Int32(7)})
	if err != nil {
		t.Fatal(err)
	}
	d, _ = env.Client.DescribeAgentStatus(ctx, &connect.DescribeAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: created.AgentStatusId})
	if *d.AgentStatus.Name != "Long lunch" || d.AgentStatus.State != types.AgentStatusStateDisabled || *d.AgentStatus.DisplayOrder != 7 || *d.AgentStatus.Description != "out to lunch" {
		t.Errorf("after update %+v", d.AgentStatus)
	}
	_, err = env.Client.UpdateAgentStatus(ctx, &connect.UpdateAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: created.AgentStatusId, ResetOrderNumber: true})
	if err != nil {
		t.Fatal(err)
	}
	d, _ = env.Client.DescribeAgentStatus(ctx, &connect.DescribeAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: created.AgentStatusId})
	if d.AgentStatus.DisplayOrder != nil {
		t.Errorf("order not reset: %d", *d.AgentStatus.DisplayOrder)
	}
	// The default statuses can be renamed.
	avail := agStatuses(t, env, iid)["Available"]
	if _, err := env.Client.UpdateAgentStatus(ctx, &connect.UpdateAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: avail.Id, Name: aws.String("Ready")}); err != nil {
		t.Fatal(err)
	}
	if got := agStatuses(t, env, iid)["Ready"]; got.Type != types.AgentStatusTypeRoutable {
		t.Errorf("renamed Available = %+v", got)
	}
}

func TestListAgentStatuses(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	for _, n := range []string{"Break", "Training", "Meeting"} {
		if _, err := env.Client.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String(n), State: types.AgentStatusStateEnabled}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		types []types.AgentStatusType
		want  int
	}{
		{"all", nil, 5},
		{"custom", []types.AgentStatusType{types.AgentStatusTypeCustom}, 3},
		{"routable and offline", []types.AgentStatusType{types.AgentStatusTypeRoutable, types.AgentStatusTypeOffline}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen := map[string]bool{}
			p := connect.NewListAgentStatusesPaginator(env.Client, &connect.ListAgentStatusesInput{InstanceId: aws.String(iid), AgentStatusTypes: tc.types, MaxResults: aws.Int32(2)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(page.AgentStatusSummaryList) > 2 {
					t.Fatalf("page of %d", len(page.AgentStatusSummaryList))
				}
				for _, s := range page.AgentStatusSummaryList {
					if seen[*s.Id] {
						t.Errorf("repeated %s", *s.Id)
					}
					seen[*s.Id] = true
				}
			}
			if len(seen) != tc.want {
				t.Errorf("listed %d, want %d", len(seen), tc.want)
			}
		})
	}
}

func TestSearchAgentStatuses(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	for _, n := range []string{"Break", "Breakfast", "Training"} {
		if _, err := env.Client.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String(n), State: types.AgentStatusStateEnabled,
			Tags: map[string]string{"kind": strings.ToLower(n[:1])}}); err != nil {
			t.Fatal(err)
		}
	}
	str := func(field, value string, cmp types.StringComparisonType) *types.AgentStatusSearchCriteria {
		return &types.AgentStatusSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(value), ComparisonType: cmp}}
	}
	tests := []struct {
		name     string
		criteria *types.AgentStatusSearchCriteria
		filter   *types.AgentStatusSearchFilter
		want     int
	}{
		{"everything", nil, nil, 5},
		{"name starts with", str("name", "break", types.StringComparisonTypeStartsWith), nil, 2},
		{"exact name", str("name", "Break", types.StringComparisonTypeExact), nil, 1},
		{"type", str("type", "CUSTOM", types.StringComparisonTypeExact), nil, 3},
		{"or", &types.AgentStatusSearchCriteria{OrConditions: []types.AgentStatusSearchCriteria{*str("name", "Training", types.StringComparisonTypeExact), *str("type", "OFFLINE", types.StringComparisonTypeExact)}}, nil, 2},
		{"and", &types.AgentStatusSearchCriteria{AndConditions: []types.AgentStatusSearchCriteria{*str("name", "fast", types.StringComparisonTypeContains), *str("state", "ENABLED", types.StringComparisonTypeExact)}}, nil, 1},
		{"tag", nil, &types.AgentStatusSearchFilter{AttributeFilter: &types.ControlPlaneAttributeFilter{TagCondition: &types.TagCondition{TagKey: aws.String("kind"), TagValue: aws.String("b")}}}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := env.Client.SearchAgentStatuses(ctx, &connect.SearchAgentStatusesInput{InstanceId: aws.String(iid), SearchCriteria: tc.criteria, SearchFilter: tc.filter, MaxResults: aws.Int32(1)})
			if err != nil {
				t.Fatal(err)
			}
			if *out.ApproximateTotalCount != int64(tc.want) {
				t.Errorf("count %d, want %d", *out.ApproximateTotalCount, tc.want)
			}
			n := len(out.AgentStatuses)
			for out.NextToken != nil {
				out, err = env.Client.SearchAgentStatuses(ctx, &connect.SearchAgentStatusesInput{InstanceId: aws.String(iid), SearchCriteria: tc.criteria, SearchFilter: tc.filter, MaxResults: aws.Int32(1), NextToken: out.NextToken})
				if err != nil {
					t.Fatal(err)
				}
				n += len(out.AgentStatuses)
			}
			if n != tc.want {
				t.Errorf("paged through %d, want %d", n, tc.want)
			}
		})
	}
}

func TestAgentStatusErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{AgentStatuses: 4})
	ctx := sbtest.Ctx(t)
	brk, err := env.Client.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String("Break"), State: types.AgentStatusStateEnabled})
	if err != nil {
		t.Fatal(err)
	}
	offline := agStatuses(t, env, iid)["Offline"]
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"duplicate name", func() error {
			_, err := env.Client.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String("Break"), State: types.AgentStatusStateEnabled})
			return err
		}, "DuplicateResourceException", 409},
		{"quota", func() error {
			if _, err := env.Client.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String("Fourth"), State: types.AgentStatusStateEnabled}); err != nil {
				t.Fatal(err)
			}
			_, err := env.Client.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String("Fifth"), State: types.AgentStatusStateEnabled})
			return err
		}, "LimitExceededException", 429},
		{"create bad state", func() error {
			_, err := env.Raw.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String("x"), State: "PAUSED"})
			return err
		}, "InvalidParameterException", 400},
		{"create order out of range", func() error {
			_, err := env.Raw.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String("x"), State: types.AgentStatusStateEnabled, DisplayOrder: aws.Int32(51)})
			return err
		}, "InvalidParameterException", 400},
		{"create unknown instance", func() error {
			_, err := env.Client.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String("nope"), Name: aws.String("x"), State: types.AgentStatusStateEnabled})
			return err
		}, "ResourceNotFoundException", 404},
		{"describe unknown", func() error {
			_, err := env.Client.DescribeAgentStatus(ctx, &connect.DescribeAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"list bad type", func() error {
			_, err := env.Raw.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: aws.String(iid), AgentStatusTypes: []types.AgentStatusType{"BUSY"}})
			return err
		}, "InvalidParameterException", 400},
		{"disable offline", func() error {
			_, err := env.Client.UpdateAgentStatus(ctx, &connect.UpdateAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: offline.Id, State: types.AgentStatusStateDisabled})
			return err
		}, "InvalidRequestException", 400},
		{"rename to taken", func() error {
			_, err := env.Client.UpdateAgentStatus(ctx, &connect.UpdateAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: brk.AgentStatusId, Name: aws.String("Offline")})
			return err
		}, "DuplicateResourceException", 409},
		{"update name too long", func() error {
			_, err := env.Raw.UpdateAgentStatus(ctx, &connect.UpdateAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: brk.AgentStatusId, Name: aws.String(strings.Repeat("n", 128))})
			return err
		}, "InvalidParameterException", 400},
		{"update unknown", func() error {
			_, err := env.Client.UpdateAgentStatus(ctx, &connect.UpdateAgentStatusInput{InstanceId: aws.String(iid), AgentStatusId: aws.String("nope"), Name: aws.String("x")})
			return err
		}, "ResourceNotFoundException", 404},
		{"search unknown field", func() error {
			_, err := env.Client.SearchAgentStatuses(ctx, &connect.SearchAgentStatusesInput{InstanceId: aws.String(iid),
				SearchCriteria: &types.AgentStatusSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("colour"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}}})
			return err
		}, "InvalidParameterException", 400},
		{"search page size", func() error {
			_, err := env.Raw.SearchAgentStatuses(ctx, &connect.SearchAgentStatusesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(101)})
			return err
		}, "InvalidParameterException", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
	_, err = env.Raw.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String("x")})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
}
