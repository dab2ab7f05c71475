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

// SearchContactFlows finds flows by name, type, state and status, by tags
// and by the flow-attribute filter, among the instance's default flows
// and the ones created here.
func TestSearchContactFlows(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	create := func(name string, typ types.ContactFlowType, status types.ContactFlowStatus, tags map[string]string) string {
		t.Helper()
		out, err := env.Client.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: aws.String(iid), Name: aws.String(name),
			Type: typ, Content: aws.String(resFlowContent), Status: status, Tags: tags})
		if err != nil {
			t.Fatal(err)
		}
		return *out.ContactFlowId
	}
	create("Sales entry", types.ContactFlowTypeContactFlow, "", map[string]string{"team": "sales"})
	create("Sales queue music", types.ContactFlowTypeCustomerQueue, "", map[string]string{"team": "sales", "tier": "gold"})
	create("Support entry draft", types.ContactFlowTypeContactFlow, types.ContactFlowStatusSaved, nil)
	archived := create("Old entry", types.ContactFlowTypeContactFlow, "", nil)
	if _, err := env.Client.UpdateContactFlowMetadata(ctx, &connect.UpdateContactFlowMetadataInput{InstanceId: aws.String(iid),
		ContactFlowId: aws.String(archived), ContactFlowState: types.ContactFlowStateArchived}); err != nil {
		t.Fatal(err)
	}

	search := func(c *types.ContactFlowSearchCriteria, f *types.ContactFlowSearchFilter) []string {
		t.Helper()
		var names []string
		p := connect.NewSearchContactFlowsPaginator(env.Client, &connect.SearchContactFlowsInput{InstanceId: aws.String(iid),
			SearchCriteria: c, SearchFilter: f, MaxResults: aws.Int32(3)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatalf("SearchContactFlows: %v", err)
			}
			for _, fl := range out.ContactFlows {
				if fl.Content == nil || fl.FlowContentSha256 == nil {
					t.Errorf("flow %s comes without its content", *fl.Name)
				}
				names = append(names, *fl.Name)
			}
		}
		slices.Sort(names)
		return names
	}
	name := func(v string) *types.StringCondition {
		return &types.StringCondition{FieldName: aws.String("name"), Value: aws.String(v), ComparisonType: types.StringComparisonTypeContains}
	}
	typeIs := func(t types.ContactFlowType) *types.ContactFlowTypeCondition {
		return &types.ContactFlowTypeCondition{ContactFlowType: t}
	}
	for label, c := range map[string]struct {
		criteria *types.ContactFlowSearchCriteria
		filter   *types.ContactFlowSearchFilter
		want     []string
	}{
		"name contains": {&types.ContactFlowSearchCriteria{StringCondition: name("entry")}, nil,
			[]string{"Old entry", "Sales entry", "Support entry draft"}},
		"name and type": {&types.ContactFlowSearchCriteria{StringCondition: name("sales"), TypeCondition: types.ContactFlowTypeCustomerQueue}, nil,
			[]string{"Sales queue music"}},
		"archived": {&types.ContactFlowSearchCriteria{StateCondition: types.ContactFlowStateArchived}, nil, []string{"Old entry"}},
		"saved":    {&types.ContactFlowSearchCriteria{StatusCondition: types.ContactFlowStatusSaved}, nil, []string{"Support entry draft"}},
		"or": {&types.ContactFlowSearchCriteria{OrConditions: []types.ContactFlowSearchCriteria{
			{StatusCondition: types.ContactFlowStatusSaved}, {StateCondition: types.ContactFlowStateArchived}}}, nil,
			[]string{"Old entry", "Support entry draft"}},
		"tag filter": {nil, &types.ContactFlowSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("sales")}}},
			[]string{"Sales entry", "Sales queue music"}},
		"attribute filter, AND of tags and type": {nil, &types.ContactFlowSearchFilter{FlowAttributeFilter: &types.ContactFlowAttributeFilter{
			AndCondition: &types.ContactFlowAttributeAndCondition{TagConditions: []types.TagCondition{{TagKey: aws.String("team")}}, ContactFlowTypeCondition: typeIs(types.ContactFlowTypeContactFlow)}}},
			[]string{"Sales entry"}},
		"attribute filter, OR": {&types.ContactFlowSearchCriteria{StringCondition: name("a")}, &types.ContactFlowSearchFilter{FlowAttributeFilter: &types.ContactFlowAttributeFilter{
			OrConditions: []types.ContactFlowAttributeAndCondition{
				{TagConditions: []types.TagCondition{{TagKey: aws.String("tier"), TagValue: aws.String("gold")}}},
				{ContactFlowTypeCondition: typeIs(types.ContactFlowTypeContactFlow), TagConditions: []types.TagCondition{{TagKey: aws.String("team"), TagValue: aws.String("sales")}}}}}},
			[]string{"Sales entry", "Sales queue music"}},
	} {
		if got := search(c.criteria, c.filter); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", label, got, c.want)
		}
	}
	// With no criteria every flow matches: the nine defaults and four more.
	if got := search(nil, nil); len(got) != 13 {
		t.Errorf("every flow: %d, want 13", len(got))
	}
	// The default inbound flow by type and name, as scripts look it up.
	if got := search(&types.ContactFlowSearchCriteria{TypeCondition: types.ContactFlowTypeContactFlow,
		AndConditions: []types.ContactFlowSearchCriteria{{StringCondition: &types.StringCondition{FieldName: aws.String("name"),
			Value: aws.String("Default inbound flow"), ComparisonType: types.StringComparisonTypeExact}}}}, nil); len(got) != 1 {
		t.Errorf("default inbound flow: %v", got)
	}

	// Errors: an unknown field, a node with two conditions, an unknown
	// instance, an enum the model does not have.
	for label, c := range map[string]*types.ContactFlowSearchCriteria{
		"unknown field": {StringCondition: &types.StringCondition{FieldName: aws.String("colour"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}},
		"unknown type":  {TypeCondition: "PHONE_TREE"},
	} {
		_, err := env.Raw.SearchContactFlows(ctx, &connect.SearchContactFlowsInput{InstanceId: aws.String(iid), SearchCriteria: c})
		t.Run(label, func(t *testing.T) { sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest) })
	}
	_, err := env.Raw.SearchContactFlows(ctx, &connect.SearchContactFlowsInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.SearchContactFlows(ctx, &connect.SearchContactFlowsInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(101)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
}
