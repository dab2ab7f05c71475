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

func agAttribute(t *testing.T, env *sbtest.Env, iid, name string, values ...string) {
	t.Helper()
	_, err := env.Client.CreatePredefinedAttribute(sbtest.Ctx(t), &connect.CreatePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String(name),
		Values: &types.PredefinedAttributeValuesMemberStringList{Value: values}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPredefinedAttributeLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	_, err := env.Client.CreatePredefinedAttribute(ctx, &connect.CreatePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("Language"),
		Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"English", "French"}}, Purposes: []string{"routing"},
		AttributeConfiguration: &types.InputPredefinedAttributeConfiguration{EnableValueValidationOnAssociation: true}})
	if err != nil {
		t.Fatal(err)
	}
	describe := func() *types.PredefinedAttribute {
		t.Helper()
		d, err := env.Client.DescribePredefinedAttribute(ctx, &connect.DescribePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("Language")})
		if err != nil {
			t.Fatal(err)
		}
		return d.PredefinedAttribute
	}
	a := describe()
	vals, _ := a.Values.(*types.PredefinedAttributeValuesMemberStringList)
	if *a.Name != "Language" || vals == nil || len(vals.Value) != 2 || a.Purposes[0] != "routing" || !a.AttributeConfiguration.EnableValueValidationOnAssociation {
		t.Errorf("Describe = %+v", a)
	}
	if _, err := env.Client.UpdatePredefinedAttribute(ctx, &connect.UpdatePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("Language"),
		Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"English", "German"}}}); err != nil {
		t.Fatal(err)
	}
	a = describe()
	vals, _ = a.Values.(*types.PredefinedAttributeValuesMemberStringList)
	if len(vals.Value) != 2 || vals.Value[1] != "German" || a.Purposes[0] != "routing" {
		t.Errorf("after update %+v", a)
	}
	for _, n := range []string{"Skill", "Region"} {
		agAttribute(t, env, iid, n, "a")
	}
	var names []string
	p := connect.NewListPredefinedAttributesPaginator(env.Client, &connect.ListPredefinedAttributesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.PredefinedAttributeSummaryList {
			names = append(names, *s.Name)
		}
	}
	if strings.Join(names, ",") != "Language,Region,Skill" {
		t.Errorf("listed %v", names)
	}
	tests := []struct {
		name     string
		criteria *types.PredefinedAttributeSearchCriteria
		want     int
	}{
		{"all", nil, 3},
		{"name prefix", &types.PredefinedAttributeSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("re"), ComparisonType: types.StringComparisonTypeStartsWith}}, 1},
		{"or", &types.PredefinedAttributeSearchCriteria{OrConditions: []types.PredefinedAttributeSearchCriteria{
			{StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("Skill"), ComparisonType: types.StringComparisonTypeExact}},
			{StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("guage"), ComparisonType: types.StringComparisonTypeContains}}}}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := env.Client.SearchPredefinedAttributes(ctx, &connect.SearchPredefinedAttributesInput{InstanceId: aws.String(iid), SearchCriteria: tc.criteria, MaxResults: aws.Int32(1)})
			if err != nil {
				t.Fatal(err)
			}
			n := len(out.PredefinedAttributes)
			for out.NextToken != nil {
				out, err = env.Client.SearchPredefinedAttributes(ctx, &connect.SearchPredefinedAttributesInput{InstanceId: aws.String(iid), SearchCriteria: tc.criteria, MaxResults: aws.Int32(1), NextToken: out.NextToken})
				if err != nil {
					t.Fatal(err)
				}
				n += len(out.PredefinedAttributes)
			}
			if n != tc.want || *out.ApproximateTotalCount != int64(tc.want) {
				t.Errorf("found %d (count %d), want %d", n, *out.ApproximateTotalCount, tc.want)
			}
		})
	}
	if _, err := env.Client.DeletePredefinedAttribute(ctx, &connect.DeletePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("Region")}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DescribePredefinedAttribute(ctx, &connect.DescribePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("Region")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestPredefinedAttributeErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{PredefinedAttributes: 2})
	ctx := sbtest.Ctx(t)
	agAttribute(t, env, iid, "Skill", "billing", "sales")
	user := agUser(t, env, iid, "agent")
	if _, err := env.Client.AssociateUserProficiencies(ctx, &connect.AssociateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user),
		UserProficiencies: []types.UserProficiency{{AttributeName: aws.String("Skill"), AttributeValue: aws.String("billing"), Level: aws.Float32(3)}}}); err != nil {
		t.Fatal(err)
	}
	create := func(c *connect.Client, name string, values ...string) error {
		_, err := c.CreatePredefinedAttribute(ctx, &connect.CreatePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String(name),
			Values: &types.PredefinedAttributeValuesMemberStringList{Value: values}})
		return err
	}
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"duplicate name", func() error { return create(env.Client, "Skill", "x") }, "DuplicateResourceException", 409},
		{"value twice", func() error { return create(env.Client, "Lang", "en", "en") }, "InvalidParameterException", 400},
		{"value too long", func() error { return create(env.Raw, "Lang", strings.Repeat("v", 101)) }, "InvalidParameterException", 400},
		{"too many values", func() error { return create(env.Raw, "Lang", make([]string, 501)...) }, "InvalidParameterException", 400},
		{"name too long", func() error { return create(env.Raw, strings.Repeat("n", 101), "x") }, "InvalidParameterException", 400},
		{"unknown instance", func() error {
			_, err := env.Client.CreatePredefinedAttribute(ctx, &connect.CreatePredefinedAttributeInput{InstanceId: aws.String("nope"), Name: aws.String("x")})
			return err
		}, "ResourceNotFoundException", 404},
		{"describe unknown", func() error {
			_, err := env.Client.DescribePredefinedAttribute(ctx, &connect.DescribePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"list page size", func() error {
			_, err := env.Raw.ListPredefinedAttributes(ctx, &connect.ListPredefinedAttributesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(101)})
			return err
		}, "InvalidParameterException", 400},
		{"update removes a value in use", func() error {
			_, err := env.Client.UpdatePredefinedAttribute(ctx, &connect.UpdatePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("Skill"),
				Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"sales"}}})
			return err
		}, "InvalidRequestException", 400},
		{"update unknown", func() error {
			_, err := env.Client.UpdatePredefinedAttribute(ctx, &connect.UpdatePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("nope"),
				Values: &types.PredefinedAttributeValuesMemberStringList{Value: []string{"x"}}})
			return err
		}, "ResourceNotFoundException", 404},
		{"update too many purposes", func() error {
			_, err := env.Raw.UpdatePredefinedAttribute(ctx, &connect.UpdatePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("Skill"), Purposes: make([]string, 11)})
			return err
		}, "InvalidParameterException", 400},
		{"delete in use", func() error {
			_, err := env.Client.DeletePredefinedAttribute(ctx, &connect.DeletePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("Skill")})
			return err
		}, "ResourceInUseException", 409},
		{"delete unknown", func() error {
			_, err := env.Client.DeletePredefinedAttribute(ctx, &connect.DeletePredefinedAttributeInput{InstanceId: aws.String(iid), Name: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"search bad field", func() error {
			_, err := env.Client.SearchPredefinedAttributes(ctx, &connect.SearchPredefinedAttributesInput{InstanceId: aws.String(iid),
				SearchCriteria: &types.PredefinedAttributeSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("colour"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}}})
			return err
		}, "InvalidParameterException", 400},
		{"search page size", func() error {
			_, err := env.Raw.SearchPredefinedAttributes(ctx, &connect.SearchPredefinedAttributesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(101)})
			return err
		}, "InvalidParameterException", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
	if err := create(env.Client, "Second", "x"); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create(env.Client, "Third", "x"), "LimitExceededException", http.StatusTooManyRequests)
}
