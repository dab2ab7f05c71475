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

// resModuleContent is a module that sets an attribute and returns.
const resModuleContent = `{"Version":"2019-10-30","StartAction":"set","Metadata":{},"Actions":[` +
	`{"Identifier":"set","Type":"UpdateContactAttributes","Parameters":{"Attributes":{"fromModule":"yes"}},"Transitions":{"NextAction":"ret","Errors":[{"NextAction":"ret","ErrorType":"NoMatchingError"}]}},` +
	`{"Identifier":"ret","Type":"EndFlowModuleExecution","Parameters":{},"Transitions":{}}]}`

func resModule(t *testing.T, env *sbtest.Env, iid, name string) *connect.CreateContactFlowModuleOutput {
	t.Helper()
	out, err := env.Client.CreateContactFlowModule(sbtest.Ctx(t), &connect.CreateContactFlowModuleInput{InstanceId: aws.String(iid),
		Name: aws.String(name), Content: aws.String(resModuleContent)})
	if err != nil {
		t.Fatalf("CreateContactFlowModule: %v", err)
	}
	return out
}

// resInvalidModule asserts an InvalidContactFlowModuleException (400)
// carrying its problems, which the model spells "Problems" here.
func resInvalidModule(t *testing.T, err error) []types.ProblemDetail {
	t.Helper()
	return resProblems(t, err, func(e *types.InvalidContactFlowModuleException) []types.ProblemDetail { return e.Problems })
}

func TestFlowModuleLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	created, err := env.Client.CreateContactFlowModule(ctx, &connect.CreateContactFlowModuleInput{InstanceId: aws.String(iid),
		Name: aws.String("Greeting"), Description: aws.String("says hello"), Content: aws.String(resModuleContent),
		Settings: aws.String(`{"InputParameters":[]}`), Tags: map[string]string{"team": "cx"},
		ExternalInvocationConfiguration: &types.ExternalInvocationConfiguration{Enabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	id := *created.Id
	if !strings.HasSuffix(*created.Arn, ":instance/"+iid+"/flow-module/"+id) {
		t.Errorf("Arn = %s", *created.Arn)
	}
	describe := func(ref string) *types.ContactFlowModule {
		t.Helper()
		d, err := env.Client.DescribeContactFlowModule(ctx, &connect.DescribeContactFlowModuleInput{InstanceId: aws.String(iid), ContactFlowModuleId: aws.String(ref)})
		if err != nil {
			t.Fatalf("DescribeContactFlowModule %s: %v", ref, err)
		}
		return d.ContactFlowModule
	}
	m := describe(id)
	if *m.Name != "Greeting" || *m.Description != "says hello" || *m.Content != resModuleContent || m.State != types.ContactFlowModuleStateActive ||
		m.Status != types.ContactFlowModuleStatusPublished || m.Tags["team"] != "cx" || *m.Settings != `{"InputParameters":[]}` ||
		m.ExternalInvocationConfiguration == nil || !m.ExternalInvocationConfiguration.Enabled || len(*m.FlowModuleContentSha256) != 64 {
		t.Errorf("Describe = %+v", m)
	}
	if got := describe(*created.Arn); *got.Id != id {
		t.Errorf("Describe by ARN = %s", *got.Id)
	}

	// Content: replaced when valid, refused with its problems when not.
	next := strings.Replace(resModuleContent, `"yes"`, `"again"`, 1)
	if _, err := env.Client.UpdateContactFlowModuleContent(ctx, &connect.UpdateContactFlowModuleContentInput{InstanceId: aws.String(iid),
		ContactFlowModuleId: aws.String(id), Content: aws.String(next)}); err != nil {
		t.Fatal(err)
	}
	if got := describe(id); *got.Content != next || *got.FlowModuleContentSha256 == *m.FlowModuleContentSha256 || *got.Settings != `{"InputParameters":[]}` {
		t.Errorf("after UpdateContactFlowModuleContent: %+v", got)
	}
	_, err = env.Client.UpdateContactFlowModuleContent(ctx, &connect.UpdateContactFlowModuleContentInput{InstanceId: aws.String(iid),
		ContactFlowModuleId: aws.String(id), Content: aws.String(resBadFlow)})
	resInvalidModule(t, err)
	if got := describe(id); *got.Content != next {
		t.Error("refused content replaced the module's")
	}

	// Metadata: name, description, state; archived modules list apart.
	if _, err := env.Client.UpdateContactFlowModuleMetadata(ctx, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: aws.String(iid),
		ContactFlowModuleId: aws.String(id), Name: aws.String("Hello"), State: types.ContactFlowModuleStateArchived}); err != nil {
		t.Fatal(err)
	}
	if got := describe(id); *got.Name != "Hello" || *got.Description != "says hello" || got.State != types.ContactFlowModuleStateArchived {
		t.Errorf("after UpdateContactFlowModuleMetadata: %+v", got)
	}
	other := resModule(t, env, iid, "Other")
	list := func(state types.ContactFlowModuleState) []string {
		t.Helper()
		var ids []string
		p := connect.NewListContactFlowModulesPaginator(env.Client, &connect.ListContactFlowModulesInput{InstanceId: aws.String(iid),
			ContactFlowModuleState: state, MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range out.ContactFlowModulesSummaryList {
				ids = append(ids, *s.Id)
			}
		}
		return ids
	}
	if got := list(""); len(got) != 2 {
		t.Errorf("ListContactFlowModules = %v, want both", got)
	}
	if got := list(types.ContactFlowModuleStateArchived); len(got) != 1 || got[0] != id {
		t.Errorf("archived = %v, want [%s]", got, id)
	}
	if got := list(types.ContactFlowModuleStateActive); len(got) != 1 || got[0] != *other.Id {
		t.Errorf("active = %v, want [%s]", got, *other.Id)
	}

	// Tags by ARN, like every other resource.
	if _, err := env.Client.TagResource(ctx, &connect.TagResourceInput{ResourceArn: created.Arn, Tags: map[string]string{"env": "dev"}}); err != nil {
		t.Fatal(err)
	}
	if got := describe(id); got.Tags["env"] != "dev" || got.Tags["team"] != "cx" {
		t.Errorf("tags after TagResource = %v", got.Tags)
	}

	// Delete, then it is gone.
	if _, err := env.Client.DeleteContactFlowModule(ctx, &connect.DeleteContactFlowModuleInput{InstanceId: aws.String(iid), ContactFlowModuleId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DescribeContactFlowModule(ctx, &connect.DescribeContactFlowModuleInput{InstanceId: aws.String(iid), ContactFlowModuleId: aws.String(id)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Client.DeleteContactFlowModule(ctx, &connect.DeleteContactFlowModuleInput{InstanceId: aws.String(iid), ContactFlowModuleId: aws.String(id)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

// A ClientToken makes a retried create answer the first module; the same
// token with other parameters is an IdempotencyException.
func TestFlowModuleClientToken(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := &connect.CreateContactFlowModuleInput{InstanceId: aws.String(iid), Name: aws.String("M"), Content: aws.String(resModuleContent), ClientToken: aws.String("tok-1")}
	a, err := env.Client.CreateContactFlowModule(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := env.Client.CreateContactFlowModule(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if *a.Id != *b.Id {
		t.Errorf("retry created %s, first %s", *b.Id, *a.Id)
	}
	in.Name = aws.String("N")
	_, err = env.Raw.CreateContactFlowModule(ctx, in)
	sbtest.APIError(t, err, "IdempotencyException", http.StatusConflict)
}

func TestFlowModuleErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{FlowModules: 2})
	ctx := sbtest.Ctx(t)
	const missing = "00000000-0000-0000-0000-000000000000"
	create := func(name, content string) error {
		_, err := env.Raw.CreateContactFlowModule(ctx, &connect.CreateContactFlowModuleInput{InstanceId: aws.String(iid), Name: aws.String(name), Content: aws.String(content)})
		return err
	}

	// Content is checked as an inbound flow's.
	if problems := resInvalidModule(t, create("Bad", resBadFlow)); !strings.Contains(aws.ToString(problems[0].Message), "StartAction") &&
		!strings.Contains(aws.ToString(problems[0].Message), "Actions") {
		t.Errorf("problems = %+v", problems)
	}
	resInvalidModule(t, create("Bad", "not json"))

	// The model's rules: name 1–127 characters with a non-space, content
	// 1–256,000, description up to 500.
	for name, err := range map[string]error{
		"no name":       create("", resModuleContent),
		"blank name":    create("   ", resModuleContent),
		"long name":     create(strings.Repeat("n", 128), resModuleContent),
		"empty content": create("C", ""),
		"long content":  create("C", strings.Repeat(" ", 256001)),
		"long description": func() error {
			_, err := env.Raw.CreateContactFlowModule(ctx, &connect.CreateContactFlowModuleInput{InstanceId: aws.String(iid), Name: aws.String("D"),
				Content: aws.String(resModuleContent), Description: aws.String(strings.Repeat("d", 501))})
			return err
		}(),
	} {
		t.Run(name, func(t *testing.T) { sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest) })
	}

	// Unknown instance and module.
	_, err := env.Raw.CreateContactFlowModule(ctx, &connect.CreateContactFlowModuleInput{InstanceId: aws.String(missing), Name: aws.String("X"), Content: aws.String(resModuleContent)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	for _, call := range []func() error{
		func() error {
			_, err := env.Raw.DescribeContactFlowModule(ctx, &connect.DescribeContactFlowModuleInput{InstanceId: aws.String(iid), ContactFlowModuleId: aws.String(missing)})
			return err
		},
		func() error {
			_, err := env.Raw.UpdateContactFlowModuleContent(ctx, &connect.UpdateContactFlowModuleContentInput{InstanceId: aws.String(iid), ContactFlowModuleId: aws.String(missing), Content: aws.String(resModuleContent)})
			return err
		},
		func() error {
			_, err := env.Raw.UpdateContactFlowModuleMetadata(ctx, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: aws.String(iid), ContactFlowModuleId: aws.String(missing), Name: aws.String("x")})
			return err
		},
		func() error {
			_, err := env.Raw.ListContactFlowModules(ctx, &connect.ListContactFlowModulesInput{InstanceId: aws.String(missing)})
			return err
		},
	} {
		sbtest.APIError(t, call(), "ResourceNotFoundException", http.StatusNotFound)
	}

	// Names are unique; the quota (lowered to 2 here) is LimitExceeded.
	first := resModule(t, env, iid, "One")
	sbtest.APIError(t, create("One", resModuleContent), "DuplicateResourceException", http.StatusConflict)
	resModule(t, env, iid, "Two")
	msg := sbtest.APIError(t, create("Three", resModuleContent), "LimitExceededException", http.StatusTooManyRequests)
	if !strings.Contains(msg, "flow-modules") {
		t.Errorf("message %q does not name the quota", msg)
	}
	_, err = env.Raw.UpdateContactFlowModuleMetadata(ctx, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: aws.String(iid), ContactFlowModuleId: first.Id, Name: aws.String("Two")})
	sbtest.APIError(t, err, "DuplicateResourceException", http.StatusConflict)

	// Updates that change nothing, and an unknown state.
	_, err = env.Raw.UpdateContactFlowModuleMetadata(ctx, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: aws.String(iid), ContactFlowModuleId: first.Id})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
	_, err = env.Raw.UpdateContactFlowModuleContent(ctx, &connect.UpdateContactFlowModuleContentInput{InstanceId: aws.String(iid), ContactFlowModuleId: first.Id})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
	_, err = env.Raw.UpdateContactFlowModuleMetadata(ctx, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: aws.String(iid), ContactFlowModuleId: first.Id, State: "DELETED"})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.ListContactFlowModules(ctx, &connect.ListContactFlowModulesInput{InstanceId: aws.String(iid), ContactFlowModuleState: "DELETED"})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
}

func TestSearchContactFlowModules(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	a := resModule(t, env, iid, "Greeting module")
	b := resModule(t, env, iid, "Survey module")
	resModule(t, env, iid, "Other")
	if _, err := env.Client.UpdateContactFlowModuleMetadata(ctx, &connect.UpdateContactFlowModuleMetadataInput{InstanceId: aws.String(iid),
		ContactFlowModuleId: b.Id, State: types.ContactFlowModuleStateArchived}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.TagResource(ctx, &connect.TagResourceInput{ResourceArn: a.Arn, Tags: map[string]string{"team": "cx"}}); err != nil {
		t.Fatal(err)
	}
	search := func(c *types.ContactFlowModuleSearchCriteria, f *types.ContactFlowModuleSearchFilter) []string {
		t.Helper()
		out, err := env.Client.SearchContactFlowModules(ctx, &connect.SearchContactFlowModulesInput{InstanceId: aws.String(iid), SearchCriteria: c, SearchFilter: f})
		if err != nil {
			t.Fatalf("SearchContactFlowModules: %v", err)
		}
		if int(*out.ApproximateTotalCount) != len(out.ContactFlowModules) {
			t.Errorf("ApproximateTotalCount %d for %d modules", *out.ApproximateTotalCount, len(out.ContactFlowModules))
		}
		var names []string
		for _, m := range out.ContactFlowModules {
			names = append(names, *m.Name)
		}
		return names
	}
	module := &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("module"), ComparisonType: types.StringComparisonTypeContains}
	for name, c := range map[string]struct {
		criteria *types.ContactFlowModuleSearchCriteria
		filter   *types.ContactFlowModuleSearchFilter
		want     int
	}{
		"everything":    {nil, nil, 3},
		"name contains": {&types.ContactFlowModuleSearchCriteria{StringCondition: module}, nil, 2},
		"and active":    {&types.ContactFlowModuleSearchCriteria{StringCondition: module, StateCondition: types.ContactFlowModuleStateActive}, nil, 1},
		"archived":      {&types.ContactFlowModuleSearchCriteria{StateCondition: types.ContactFlowModuleStateArchived}, nil, 1},
		"published":     {&types.ContactFlowModuleSearchCriteria{StatusCondition: types.ContactFlowModuleStatusPublished}, nil, 3},
		"saved":         {&types.ContactFlowModuleSearchCriteria{StatusCondition: types.ContactFlowModuleStatusSaved}, nil, 0},
		"or of two":     {&types.ContactFlowModuleSearchCriteria{OrConditions: []types.ContactFlowModuleSearchCriteria{{StateCondition: types.ContactFlowModuleStateArchived}, {StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("Other"), ComparisonType: types.StringComparisonTypeExact}}}}, nil, 2},
		"tagged":        {nil, &types.ContactFlowModuleSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("cx")}}}, 1},
	} {
		if got := search(c.criteria, c.filter); len(got) != c.want {
			t.Errorf("%s: %v, want %d modules", name, got, c.want)
		}
	}
	_, err := env.Raw.SearchContactFlowModules(ctx, &connect.SearchContactFlowModulesInput{InstanceId: aws.String(iid),
		SearchCriteria: &types.ContactFlowModuleSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("colour"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}}})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.SearchContactFlowModules(ctx, &connect.SearchContactFlowModulesInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}
