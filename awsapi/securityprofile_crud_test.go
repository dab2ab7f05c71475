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

// A security profile made, read, changed, listed in parts and deleted, as
// infrastructure-as-code tools manage them.
func TestSecurityProfileLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	module := resModule(t, env, iid, "Allowed module")
	created, err := env.Client.CreateSecurityProfile(ctx, &connect.CreateSecurityProfileInput{InstanceId: aws.String(iid),
		SecurityProfileName: aws.String("Supervisor"), Description: aws.String("watches queues"),
		Permissions:              []string{"BasicAgentAccess", "OutboundCallAccess", "RealtimeMetrics.Access", "BasicAgentAccess"},
		AllowedAccessControlTags: map[string]string{"team": "sales"}, TagRestrictedResources: []string{"User"},
		HierarchyRestrictedResources: []string{"User"}, Tags: map[string]string{"env": "dev"},
		Applications:       []types.Application{{Namespace: aws.String("crm.example.com"), ApplicationPermissions: []string{"Read"}, Type: types.ApplicationTypeThirdPartyApplication}},
		AllowedFlowModules: []types.FlowModule{{Type: types.FlowModuleTypeMcp, FlowModuleId: module.Id}}})
	if err != nil {
		t.Fatal(err)
	}
	id := *created.SecurityProfileId
	if !strings.HasSuffix(*created.SecurityProfileArn, "/security-profile/"+id) {
		t.Errorf("ARN %s", *created.SecurityProfileArn)
	}
	d, err := env.Client.DescribeSecurityProfile(ctx, &connect.DescribeSecurityProfileInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	sp := d.SecurityProfile
	if *sp.SecurityProfileName != "Supervisor" || *sp.Description != "watches queues" || sp.AllowedAccessControlTags["team"] != "sales" ||
		!slices.Equal(sp.TagRestrictedResources, []string{"User"}) || sp.Tags["env"] != "dev" || *sp.OrganizationResourceId != iid {
		t.Errorf("Describe = %+v", sp)
	}
	perms := func() []string {
		t.Helper()
		var out []string
		p := connect.NewListSecurityProfilePermissionsPaginator(env.Client, &connect.ListSecurityProfilePermissionsInput{InstanceId: aws.String(iid),
			SecurityProfileId: aws.String(id), MaxResults: aws.Int32(2)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, page.Permissions...)
		}
		return out
	}
	// A permission given twice is kept once.
	if got := perms(); !slices.Equal(got, []string{"BasicAgentAccess", "OutboundCallAccess", "RealtimeMetrics.Access"}) {
		t.Errorf("permissions %v", got)
	}
	apps, err := env.Client.ListSecurityProfileApplications(ctx, &connect.ListSecurityProfileApplicationsInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if len(apps.Applications) != 1 || *apps.Applications[0].Namespace != "crm.example.com" || apps.Applications[0].Type != types.ApplicationTypeThirdPartyApplication {
		t.Errorf("applications %+v", apps.Applications)
	}
	mods, err := env.Client.ListSecurityProfileFlowModules(ctx, &connect.ListSecurityProfileFlowModulesInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if len(mods.AllowedFlowModules) != 1 || *mods.AllowedFlowModules[0].FlowModuleId != *module.Id {
		t.Errorf("flow modules %+v", mods.AllowedFlowModules)
	}

	// An update replaces the lists it gives and leaves the rest.
	if _, err := env.Client.UpdateSecurityProfile(ctx, &connect.UpdateSecurityProfileInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String(id),
		Permissions: []string{"BasicAgentAccess"}}); err != nil {
		t.Fatal(err)
	}
	if got := perms(); !slices.Equal(got, []string{"BasicAgentAccess"}) {
		t.Errorf("permissions after update %v", got)
	}
	d, _ = env.Client.DescribeSecurityProfile(ctx, &connect.DescribeSecurityProfileInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String(id)})
	if *d.SecurityProfile.Description != "watches queues" || d.SecurityProfile.AllowedAccessControlTags["team"] != "sales" {
		t.Errorf("update changed what it did not give: %+v", d.SecurityProfile)
	}

	// Search by name, among the four provisioned profiles.
	out, err := env.Client.SearchSecurityProfiles(ctx, &connect.SearchSecurityProfilesInput{InstanceId: aws.String(iid),
		SearchCriteria: &types.SecurityProfileSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("SecurityProfileName"),
			Value: aws.String("super"), ComparisonType: types.StringComparisonTypeContains}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.SecurityProfiles) != 1 || *out.SecurityProfiles[0].Id != id || *out.ApproximateTotalCount != 1 {
		t.Errorf("search %+v", out.SecurityProfiles)
	}
	all, err := env.Client.SearchSecurityProfiles(ctx, &connect.SearchSecurityProfilesInput{InstanceId: aws.String(iid)})
	if err != nil || len(all.SecurityProfiles) != 5 {
		t.Errorf("every profile: %v, %v", all, err)
	}

	// A profile a user has cannot go; once the user has another, it can.
	rp, agent := agBasics(t, env, iid)
	u, err := env.Client.CreateUser(ctx, agUserInput(iid, "sam", rp, id))
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DeleteSecurityProfile(ctx, &connect.DeleteSecurityProfileInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String(id)})
	if msg := sbtest.APIError(t, err, "ResourceInUseException", http.StatusConflict); !strings.Contains(msg, "UpdateUserSecurityProfiles") {
		t.Errorf("message %q", msg)
	}
	if _, err := env.Client.UpdateUserSecurityProfiles(ctx, &connect.UpdateUserSecurityProfilesInput{InstanceId: aws.String(iid), UserId: u.UserId,
		SecurityProfileIds: []string{agent}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.DeleteSecurityProfile(ctx, &connect.DeleteSecurityProfileInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribeSecurityProfile(ctx, &connect.DescribeSecurityProfileInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String(id)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestSecurityProfileWriteErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{SecurityProfiles: 5})
	ctx := sbtest.Ctx(t)
	create := func(in *connect.CreateSecurityProfileInput) error {
		in.InstanceId = aws.String(iid)
		if in.SecurityProfileName == nil {
			in.SecurityProfileName = aws.String("P")
		}
		_, err := env.Raw.CreateSecurityProfile(ctx, in)
		return err
	}
	// The model's rules.
	for name, in := range map[string]*connect.CreateSecurityProfileInput{
		"no name":             {SecurityProfileName: aws.String("")},
		"name with a slash":   {SecurityProfileName: aws.String("a/b")},
		"long name":           {SecurityProfileName: aws.String(strings.Repeat("n", 128))},
		"long description":    {Description: aws.String(strings.Repeat("d", 251))},
		"empty permission":    {Permissions: []string{""}},
		"501 permissions":     {Permissions: make([]string, 501)},
		"five access tags":    {AllowedAccessControlTags: map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}},
		"11 tag restrictions": {TagRestrictedResources: slices.Repeat([]string{"User"}, 11)},
		"unknown app type":    {Applications: []types.Application{{Namespace: aws.String("x"), ApplicationPermissions: []string{"p"}, Type: "ROBOT"}}},
	} {
		t.Run(name, func(t *testing.T) { sbtest.APIError(t, create(in), "InvalidParameterException", http.StatusBadRequest) })
	}
	// Data-table access control is refused: Switchboard has no data tables.
	err := create(&connect.CreateSecurityProfileInput{GranularAccessControlConfiguration: &types.GranularAccessControlConfiguration{}})
	if msg := sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest); !strings.Contains(msg, "data tables") {
		t.Errorf("message %q", msg)
	}
	// An allowed module that does not exist.
	err = create(&connect.CreateSecurityProfileInput{AllowedFlowModules: []types.FlowModule{{Type: types.FlowModuleTypeMcp, FlowModuleId: aws.String("nope")}}})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	// Names are unique; four profiles come with the instance and the quota is 5 here.
	sbtest.APIError(t, create(&connect.CreateSecurityProfileInput{SecurityProfileName: aws.String("Admin")}), "DuplicateResourceException", http.StatusConflict)
	if err := create(&connect.CreateSecurityProfileInput{SecurityProfileName: aws.String("Fifth")}); err != nil {
		t.Fatal(err)
	}
	msg := sbtest.APIError(t, create(&connect.CreateSecurityProfileInput{SecurityProfileName: aws.String("Sixth")}), "LimitExceededException", http.StatusTooManyRequests)
	if !strings.Contains(msg, "security-profiles") {
		t.Errorf("message %q", msg)
	}

	// Admin stays; unknown profiles and instances are 404s.
	sps, err := env.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	admin := resByName(t, sps.SecurityProfileSummaryList, func(s types.SecurityProfileSummary) string { return *s.Name },
		func(s types.SecurityProfileSummary) string { return *s.Id }, "Admin")
	_, err = env.Raw.DeleteSecurityProfile(ctx, &connect.DeleteSecurityProfileInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String(admin)})
	sbtest.APIError(t, err, "AccessDeniedException", http.StatusForbidden)
	_, err = env.Raw.UpdateSecurityProfile(ctx, &connect.UpdateSecurityProfileInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String("nope"), Description: aws.String("x")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.ListSecurityProfilePermissions(ctx, &connect.ListSecurityProfilePermissionsInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.CreateSecurityProfile(ctx, &connect.CreateSecurityProfileInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000"), SecurityProfileName: aws.String("X")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}
