package awsapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func prof(name, value string, level float32) types.UserProficiency {
	return types.UserProficiency{AttributeName: aws.String(name), AttributeValue: aws.String(value), Level: aws.Float32(level)}
}

func TestUserProficiencies(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	agAttribute(t, env, iid, "Language", "English", "French", "German")
	user := agUser(t, env, iid, "polyglot")
	if _, err := env.Client.AssociateUserProficiencies(ctx, &connect.AssociateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user),
		UserProficiencies: []types.UserProficiency{prof("Language", "English", 5), prof("Language", "French", 2), prof("Language", "German", 1)}}); err != nil {
		t.Fatal(err)
	}
	list := func() map[string]float32 {
		t.Helper()
		got := map[string]float32{}
		p := connect.NewListUserProficienciesPaginator(env.Client, &connect.ListUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user), MaxResults: aws.Int32(2)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if page.LastModifiedTime == nil {
				t.Error("no LastModifiedTime")
			}
			for _, pr := range page.UserProficiencyList {
				got[*pr.AttributeValue] = *pr.Level
			}
		}
		return got
	}
	if got := list(); len(got) != 3 || got["English"] != 5 || got["French"] != 2 {
		t.Errorf("listed %v", got)
	}
	if _, err := env.Client.UpdateUserProficiencies(ctx, &connect.UpdateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user),
		UserProficiencies: []types.UserProficiency{prof("Language", "French", 4)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.DisassociateUserProficiencies(ctx, &connect.DisassociateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user),
		UserProficiencies: []types.UserProficiencyDisassociate{{AttributeName: aws.String("Language"), AttributeValue: aws.String("German")}}}); err != nil {
		t.Fatal(err)
	}
	if got := list(); len(got) != 2 || got["French"] != 4 {
		t.Errorf("after update and disassociate %v", got)
	}
	// Search by proficiency: users with French at level 3 or more.
	out, err := env.Client.SearchUsers(ctx, &connect.SearchUsersInput{InstanceId: aws.String(iid), SearchCriteria: &types.UserSearchCriteria{ListCondition: &types.ListCondition{
		TargetListType: types.TargetListTypeProficiencies, Conditions: []types.Condition{
			{StringCondition: &types.StringCondition{FieldName: aws.String("value"), Value: aws.String("French"), ComparisonType: types.StringComparisonTypeExact}},
			{NumberCondition: &types.NumberCondition{FieldName: aws.String("limit"), MinValue: aws.Int32(3), ComparisonType: types.NumberComparisonTypeGreaterOrEqual}}}}}})
	if err != nil || *out.ApproximateTotalCount != 1 {
		t.Errorf("proficiency search = %+v, %v", out, err)
	}
	snaps, err := env.Service.AgentsForRouting(ctx, iid, false)
	if err != nil || len(snaps) != 1 || len(snaps[0].Proficiencies) != 2 {
		t.Errorf("snapshot %+v, %v", snaps, err)
	}
}

func TestUserProficiencyErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{Proficiencies: 2})
	ctx := sbtest.Ctx(t)
	agAttribute(t, env, iid, "Skill", "a", "b", "c")
	user := agUser(t, env, iid, "agent")
	if _, err := env.Client.AssociateUserProficiencies(ctx, &connect.AssociateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user),
		UserProficiencies: []types.UserProficiency{prof("Skill", "a", 1)}}); err != nil {
		t.Fatal(err)
	}
	associate := func(c *connect.Client, ps ...types.UserProficiency) error {
		_, err := c.AssociateUserProficiencies(ctx, &connect.AssociateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user), UserProficiencies: ps})
		return err
	}
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"already associated", func() error { return associate(env.Client, prof("Skill", "a", 2)) }, "InvalidRequestException", 400},
		{"listed twice", func() error { return associate(env.Client, prof("Skill", "b", 2), prof("Skill", "b", 3)) }, "InvalidRequestException", 400},
		{"unknown attribute", func() error { return associate(env.Client, prof("Colour", "red", 2)) }, "ResourceNotFoundException", 404},
		{"unknown value", func() error { return associate(env.Client, prof("Skill", "z", 2)) }, "InvalidRequestException", 400},
		{"level 6", func() error { return associate(env.Raw, prof("Skill", "b", 6)) }, "InvalidParameterException", 400},
		{"level 2.5", func() error { return associate(env.Client, prof("Skill", "b", 2.5)) }, "InvalidParameterException", 400},
		{"over the per-user quota", func() error { return associate(env.Client, prof("Skill", "b", 1), prof("Skill", "c", 1)) }, "InvalidRequestException", 400},
		{"missing list", func() error { return associate(env.Raw) }, "InvalidParameterException", 400},
		{"unknown user", func() error {
			_, err := env.Client.AssociateUserProficiencies(ctx, &connect.AssociateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String("nope"), UserProficiencies: []types.UserProficiency{prof("Skill", "b", 1)}})
			return err
		}, "ResourceNotFoundException", 404},
		{"update not associated", func() error {
			_, err := env.Client.UpdateUserProficiencies(ctx, &connect.UpdateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user), UserProficiencies: []types.UserProficiency{prof("Skill", "c", 1)}})
			return err
		}, "InvalidRequestException", 400},
		{"update level 0", func() error {
			_, err := env.Raw.UpdateUserProficiencies(ctx, &connect.UpdateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user), UserProficiencies: []types.UserProficiency{prof("Skill", "a", 0)}})
			return err
		}, "InvalidParameterException", 400},
		{"disassociate missing list", func() error {
			_, err := env.Raw.DisassociateUserProficiencies(ctx, &connect.DisassociateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user)})
			return err
		}, "InvalidParameterException", 400},
		{"disassociate unknown user", func() error {
			_, err := env.Client.DisassociateUserProficiencies(ctx, &connect.DisassociateUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String("nope"),
				UserProficiencies: []types.UserProficiencyDisassociate{{AttributeName: aws.String("Skill"), AttributeValue: aws.String("a")}}})
			return err
		}, "ResourceNotFoundException", 404},
		{"list unknown user", func() error {
			_, err := env.Client.ListUserProficiencies(ctx, &connect.ListUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"list page size", func() error {
			_, err := env.Raw.ListUserProficiencies(ctx, &connect.ListUserProficienciesInput{InstanceId: aws.String(iid), UserId: aws.String(user), MaxResults: aws.Int32(101)})
			return err
		}, "InvalidParameterException", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
}
