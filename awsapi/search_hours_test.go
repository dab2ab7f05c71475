package awsapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func TestSearchHoursOfOperations(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	london := resHours(t, env, iid, "London office") // Europe/London
	child, err := env.Client.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{InstanceId: aws.String(iid), Name: aws.String("London holidays"),
		Description: aws.String("bank holidays"), TimeZone: aws.String("Europe/London"), Tags: map[string]string{"site": "uk"},
		ParentHoursOfOperationConfigs: []types.ParentHoursOfOperationConfig{{HoursOfOperationId: aws.String(london)}},
		Config: []types.HoursOfOperationConfig{{Day: types.HoursOfOperationDaysTuesday,
			StartTime: &types.HoursOfOperationTimeSlice{Hours: aws.Int32(10), Minutes: aws.Int32(0)},
			EndTime:   &types.HoursOfOperationTimeSlice{Hours: aws.Int32(16), Minutes: aws.Int32(0)}}}})
	if err != nil {
		t.Fatal(err)
	}
	search := func(c *types.HoursOfOperationSearchCriteria, f *types.HoursOfOperationSearchFilter) []types.HoursOfOperation {
		t.Helper()
		var all []types.HoursOfOperation
		p := connect.NewSearchHoursOfOperationsPaginator(env.Client, &connect.SearchHoursOfOperationsInput{InstanceId: aws.String(iid),
			SearchCriteria: c, SearchFilter: f, MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page.HoursOfOperations...)
		}
		return all
	}
	names := func(hs []types.HoursOfOperation) []string {
		var out []string
		for _, h := range hs {
			out = append(out, *h.Name)
		}
		slices.Sort(out)
		return out
	}
	str := func(field, value string, cmp types.StringComparisonType) *types.HoursOfOperationSearchCriteria {
		return &types.HoursOfOperationSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(value), ComparisonType: cmp}}
	}
	if got := names(search(nil, nil)); !slices.Equal(got, []string{"Basic Hours", "London holidays", "London office"}) {
		t.Errorf("everything: %v", got)
	}
	if got := names(search(str("timezone", "europe/london", types.StringComparisonTypeExact), nil)); !slices.Equal(got, []string{"London holidays", "London office"}) {
		t.Errorf("time zone: %v", got)
	}
	if got := names(search(&types.HoursOfOperationSearchCriteria{AndConditions: []types.HoursOfOperationSearchCriteria{
		*str("name", "london", types.StringComparisonTypeStartsWith), *str("description", "bank", types.StringComparisonTypeContains)}}, nil)); !slices.Equal(got, []string{"London holidays"}) {
		t.Errorf("and: %v", got)
	}
	found := search(nil, &types.HoursOfOperationSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("site"), TagValue: aws.String("uk")}}})
	if len(found) != 1 || *found[0].HoursOfOperationId != *child.HoursOfOperationId {
		t.Fatalf("tag filter: %v", names(found))
	}
	// The search shows what DescribeHoursOfOperation shows, parents by name included.
	h := found[0]
	if len(h.Config) != 1 || h.Config[0].Day != types.HoursOfOperationDaysTuesday || len(h.ParentHoursOfOperations) != 1 ||
		*h.ParentHoursOfOperations[0].Id != london || *h.ParentHoursOfOperations[0].Name != "London office" || *h.TimeZone != "Europe/London" {
		t.Errorf("found %+v", h)
	}

	_, err = env.Raw.SearchHoursOfOperations(ctx, &connect.SearchHoursOfOperationsInput{InstanceId: aws.String(iid), SearchCriteria: str("config", "x", types.StringComparisonTypeExact)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.SearchHoursOfOperations(ctx, &connect.SearchHoursOfOperationsInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(101)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Client.SearchHoursOfOperations(ctx, &connect.SearchHoursOfOperationsInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}
