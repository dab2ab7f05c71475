package awsapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func hierStructure(t *testing.T, env *sbtest.Env, iid string, names ...string) error {
	t.Helper()
	st := &types.HierarchyStructureUpdate{}
	levels := []**types.HierarchyLevelUpdate{&st.LevelOne, &st.LevelTwo, &st.LevelThree, &st.LevelFour, &st.LevelFive}
	for i, n := range names {
		if n != "" {
			*levels[i] = &types.HierarchyLevelUpdate{Name: aws.String(n)}
		}
	}
	_, err := env.Raw.UpdateUserHierarchyStructure(sbtest.Ctx(t), &connect.UpdateUserHierarchyStructureInput{InstanceId: aws.String(iid), HierarchyStructure: st})
	return err
}

func hierGroup(t *testing.T, env *sbtest.Env, iid, name, parent string) string {
	t.Helper()
	in := &connect.CreateUserHierarchyGroupInput{InstanceId: aws.String(iid), Name: aws.String(name)}
	if parent != "" {
		in.ParentGroupId = aws.String(parent)
	}
	out, err := env.Client.CreateUserHierarchyGroup(sbtest.Ctx(t), in)
	if err != nil {
		t.Fatalf("CreateUserHierarchyGroup %s: %v", name, err)
	}
	return *out.HierarchyGroupId
}

// A three-level hierarchy (region, site, team), its groups, and agents in
// them, as DescribeUserHierarchyGroup, DescribeUser and SearchUsers show.
func TestUserHierarchy(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)

	st, err := env.Client.DescribeUserHierarchyStructure(ctx, &connect.DescribeUserHierarchyStructureInput{InstanceId: in})
	if err != nil || st.HierarchyStructure.LevelOne != nil {
		t.Fatalf("a new instance's structure: %+v, %v", st, err)
	}
	if err := hierStructure(t, env, iid, "Region", "Site", "Team"); err != nil {
		t.Fatal(err)
	}
	st, err = env.Client.DescribeUserHierarchyStructure(ctx, &connect.DescribeUserHierarchyStructureInput{InstanceId: in})
	if err != nil {
		t.Fatal(err)
	}
	if l := st.HierarchyStructure.LevelTwo; l == nil || *l.Name != "Site" || *l.Id != "2" || !strings.HasSuffix(*l.Arn, ":instance/"+iid+"/agent-group-level/2") ||
		st.HierarchyStructure.LevelFour != nil {
		t.Errorf("structure %+v", st.HierarchyStructure)
	}

	emea := hierGroup(t, env, iid, "EMEA", "")
	dublin := hierGroup(t, env, iid, "Dublin", emea)
	billing := hierGroup(t, env, iid, "Billing", dublin)
	apac := hierGroup(t, env, iid, "APAC", "")
	hierGroup(t, env, iid, "Billing", hierGroup(t, env, iid, "Sydney", apac)) // the same name under another parent

	d, err := env.Client.DescribeUserHierarchyGroup(ctx, &connect.DescribeUserHierarchyGroupInput{InstanceId: in, HierarchyGroupId: aws.String(billing)})
	if err != nil {
		t.Fatal(err)
	}
	g := d.HierarchyGroup
	if *g.Name != "Billing" || *g.LevelId != "3" || !strings.HasSuffix(*g.Arn, "/agent-group/"+billing) || g.HierarchyPath == nil ||
		*g.HierarchyPath.LevelOne.Name != "EMEA" || *g.HierarchyPath.LevelTwo.Id != dublin || *g.HierarchyPath.LevelThree.Id != billing || g.HierarchyPath.LevelFour != nil {
		t.Errorf("Describe = %+v path %+v", g, g.HierarchyPath)
	}
	var names []string
	p := connect.NewListUserHierarchyGroupsPaginator(env.Client, &connect.ListUserHierarchyGroupsInput{InstanceId: in, MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.UserHierarchyGroupSummaryList {
			names = append(names, *s.Name)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"APAC", "Billing", "Billing", "Dublin", "EMEA", "Sydney"}) {
		t.Errorf("ListUserHierarchyGroups = %v", names)
	}

	// Agents: one made in a group, one moved into one, one in none.
	rp, sp := agBasics(t, env, iid)
	mk := func(name, group string) string {
		t.Helper()
		u := agUserInput(iid, name, rp, sp)
		if group != "" {
			u.HierarchyGroupId = aws.String(group)
		}
		out, err := env.Client.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return *out.UserId
	}
	ann := mk("ann", billing)
	bob := mk("bob", "")
	mk("cat", "")
	if _, err := env.Client.UpdateUserHierarchy(ctx, &connect.UpdateUserHierarchyInput{InstanceId: in, UserId: aws.String(bob), HierarchyGroupId: aws.String(dublin)}); err != nil {
		t.Fatal(err)
	}
	if u, _ := env.Client.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: in, UserId: aws.String(ann)}); *u.User.HierarchyGroupId != billing {
		t.Errorf("ann's group %v", u.User.HierarchyGroupId)
	}
	search := func(group string, match types.HierarchyGroupMatchType) []string {
		t.Helper()
		out, err := env.Client.SearchUsers(ctx, &connect.SearchUsersInput{InstanceId: in, SearchCriteria: &types.UserSearchCriteria{
			HierarchyGroupCondition: &types.HierarchyGroupCondition{Value: aws.String(group), HierarchyGroupMatchType: match}}})
		if err != nil {
			t.Fatal(err)
		}
		var users []string
		for _, u := range out.Users {
			users = append(users, *u.Username)
		}
		slices.Sort(users)
		return users
	}
	if got := search(dublin, types.HierarchyGroupMatchTypeExact); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("exactly in Dublin: %v", got)
	}
	if got := search(emea, types.HierarchyGroupMatchTypeWithChildGroups); !slices.Equal(got, []string{"ann", "bob"}) {
		t.Errorf("in EMEA or under it: %v", got)
	}
	if got := search(apac, types.HierarchyGroupMatchTypeWithChildGroups); len(got) != 0 {
		t.Errorf("in APAC: %v", got)
	}

	// A group with users or child groups stays; emptied, it goes.
	_, err = env.Raw.DeleteUserHierarchyGroup(ctx, &connect.DeleteUserHierarchyGroupInput{InstanceId: in, HierarchyGroupId: aws.String(dublin)})
	sbtest.APIError(t, err, "ResourceInUseException", http.StatusConflict)
	_, err = env.Raw.DeleteUserHierarchyGroup(ctx, &connect.DeleteUserHierarchyGroupInput{InstanceId: in, HierarchyGroupId: aws.String(billing)})
	if msg := sbtest.APIError(t, err, "ResourceInUseException", http.StatusConflict); !strings.Contains(msg, "ann") {
		t.Errorf("message %q", msg)
	}
	if _, err := env.Client.UpdateUserHierarchy(ctx, &connect.UpdateUserHierarchyInput{InstanceId: in, UserId: aws.String(ann)}); err != nil {
		t.Fatal(err)
	}
	if u, _ := env.Client.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: in, UserId: aws.String(ann)}); u.User.HierarchyGroupId != nil {
		t.Errorf("ann still in %v", *u.User.HierarchyGroupId)
	}
	if _, err := env.Client.DeleteUserHierarchyGroup(ctx, &connect.DeleteUserHierarchyGroupInput{InstanceId: in, HierarchyGroupId: aws.String(billing)}); err != nil {
		t.Fatal(err)
	}

	// Renaming, and searching groups.
	if _, err := env.Client.UpdateUserHierarchyGroupName(ctx, &connect.UpdateUserHierarchyGroupNameInput{InstanceId: in, HierarchyGroupId: aws.String(dublin), Name: aws.String("Dublin HQ")}); err != nil {
		t.Fatal(err)
	}
	found, err := env.Client.SearchUserHierarchyGroups(ctx, &connect.SearchUserHierarchyGroupsInput{InstanceId: in, SearchCriteria: &types.UserHierarchyGroupSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("hq"), ComparisonType: types.StringComparisonTypeContains}}})
	if err != nil || len(found.UserHierarchyGroups) != 1 || *found.UserHierarchyGroups[0].Id != dublin || *found.UserHierarchyGroups[0].LevelId != "2" {
		t.Errorf("search by name: %+v, %v", found, err)
	}
	top, err := env.Client.SearchUserHierarchyGroups(ctx, &connect.SearchUserHierarchyGroupsInput{InstanceId: in, SearchCriteria: &types.UserHierarchyGroupSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("levelId"), Value: aws.String("1"), ComparisonType: types.StringComparisonTypeExact}}})
	if err != nil || *top.ApproximateTotalCount != 2 {
		t.Errorf("level-one groups: %+v, %v", top, err)
	}
}

func TestUserHierarchyErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{HierarchyGroups: 3})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	create := func(name, parent string) error {
		c := &connect.CreateUserHierarchyGroupInput{InstanceId: in, Name: aws.String(name)}
		if parent != "" {
			c.ParentGroupId = aws.String(parent)
		}
		_, err := env.Raw.CreateUserHierarchyGroup(ctx, c)
		return err
	}
	// No structure, no groups.
	if msg := sbtest.APIError(t, create("EMEA", ""), "InvalidRequestException", http.StatusBadRequest); !strings.Contains(msg, "UpdateUserHierarchyStructure") {
		t.Errorf("message %q", msg)
	}
	// Levels run from LevelOne without a gap, named 1–50 characters.
	sbtest.APIError(t, hierStructure(t, env, iid, "", "Site"), "InvalidParameterException", http.StatusBadRequest)
	sbtest.APIError(t, hierStructure(t, env, iid, strings.Repeat("x", 51)), "InvalidParameterException", http.StatusBadRequest)
	if err := hierStructure(t, env, iid, "Region", "Site"); err != nil {
		t.Fatal(err)
	}
	emea := hierGroup(t, env, iid, "EMEA", "")
	sbtest.APIError(t, create("emea", ""), "DuplicateResourceException", http.StatusConflict)
	dublin := hierGroup(t, env, iid, "Dublin", emea)
	// Below the lowest level there is nowhere to go.
	sbtest.APIError(t, create("Team", dublin), "InvalidRequestException", http.StatusBadRequest)
	sbtest.APIError(t, create("X", "nope"), "ResourceNotFoundException", http.StatusNotFound)
	// Removing a level that has groups is refused.
	sbtest.APIError(t, hierStructure(t, env, iid, "Region"), "ResourceInUseException", http.StatusConflict)
	// Renaming a level keeps it.
	if err := hierStructure(t, env, iid, "Area", "Site"); err != nil {
		t.Fatal(err)
	}
	// The quota, 3 here.
	hierGroup(t, env, iid, "APAC", "")
	if msg := sbtest.APIError(t, create("AMER", ""), "LimitExceededException", http.StatusTooManyRequests); !strings.Contains(msg, "hierarchy-groups") {
		t.Errorf("message %q", msg)
	}
	// Users name existing groups only.
	rp, sp := agBasics(t, env, iid)
	u := agUserInput(iid, "ann", rp, sp)
	u.HierarchyGroupId = aws.String("nope")
	_, err := env.Raw.CreateUser(ctx, u)
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.UpdateUserHierarchyGroupName(ctx, &connect.UpdateUserHierarchyGroupNameInput{InstanceId: in, HierarchyGroupId: aws.String(dublin), Name: aws.String(" ")})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.DescribeUserHierarchyGroup(ctx, &connect.DescribeUserHierarchyGroupInput{InstanceId: in, HierarchyGroupId: aws.String("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.DescribeUserHierarchyStructure(ctx, &connect.DescribeUserHierarchyStructureInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}
