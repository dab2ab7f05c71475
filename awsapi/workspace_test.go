package awsapi_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func TestWorkspaceLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{Workspaces: 2})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)

	theme := &types.WorkspaceTheme{Light: &types.WorkspaceThemeConfig{
		Palette:    &types.WorkspaceThemePalette{Primary: &types.PalettePrimary{Default: aws.String("#0a7d5e")}},
		Typography: &types.WorkspaceThemeTypography{FontFamily: &types.FontFamily{Default: types.WorkspaceFontFamilyGeorgia}}}}
	made, err := env.Client.CreateWorkspace(ctx, &connect.CreateWorkspaceInput{InstanceId: in, Name: aws.String("Billing desk"),
		Description: aws.String("For the billing team"), Title: aws.String("Billing"), Theme: theme, Tags: map[string]string{"team": "billing"}})
	if err != nil || !strings.HasSuffix(*made.WorkspaceArn, ":instance/"+iid+"/workspace/"+*made.WorkspaceId) {
		t.Fatalf("CreateWorkspace = %+v, %v", made, err)
	}
	id := made.WorkspaceId
	got, err := env.Client.DescribeWorkspace(ctx, &connect.DescribeWorkspaceInput{InstanceId: in, WorkspaceId: id})
	if err != nil {
		t.Fatal(err)
	}
	w := got.Workspace
	if *w.Name != "Billing desk" || *w.Title != "Billing" || w.Visibility != types.VisibilityAssigned || w.Tags["team"] != "billing" ||
		w.Theme == nil || *w.Theme.Light.Palette.Primary.Default != "#0a7d5e" || w.Theme.Light.Typography.FontFamily.Default != types.WorkspaceFontFamilyGeorgia {
		t.Fatalf("DescribeWorkspace = %+v", w)
	}

	_, err = env.Raw.CreateWorkspace(ctx, &connect.CreateWorkspaceInput{InstanceId: in, Name: aws.String("Billing desk")})
	ctContains(t, sbtest.APIError(t, err, "DuplicateResourceException", 409), "already exists")
	if _, err := env.Client.CreateWorkspace(ctx, &connect.CreateWorkspaceInput{InstanceId: in, Name: aws.String("Agents")}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.CreateWorkspace(ctx, &connect.CreateWorkspaceInput{InstanceId: in, Name: aws.String("Third")})
	ctContains(t, sbtest.APIError(t, err, "ServiceQuotaExceededException", 402), "--quota workspaces")
	_, err = env.Raw.CreateWorkspace(ctx, &connect.CreateWorkspaceInput{InstanceId: in, Name: aws.String("   ")})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	_, err = env.Raw.CreateWorkspace(ctx, &connect.CreateWorkspaceInput{InstanceId: in, Name: aws.String("Fonts"),
		Theme: &types.WorkspaceTheme{Dark: &types.WorkspaceThemeConfig{Typography: &types.WorkspaceThemeTypography{FontFamily: &types.FontFamily{Default: "Comic Sans"}}}}})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "Default")

	list, err := env.Client.ListWorkspaces(ctx, &connect.ListWorkspacesInput{InstanceId: in})
	if err != nil || len(list.WorkspaceSummaryList) != 2 || *list.WorkspaceSummaryList[0].Name != "Agents" {
		t.Fatalf("ListWorkspaces = %+v, %v", list, err)
	}
	found, err := env.Client.SearchWorkspaces(ctx, &connect.SearchWorkspacesInput{InstanceId: in, SearchCriteria: &types.WorkspaceSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("Title"), Value: aws.String("bill"), ComparisonType: types.StringComparisonTypeContains}}})
	if err != nil || len(found.Workspaces) != 1 || *found.Workspaces[0].Id != *id || found.Workspaces[0].CreatedAt == nil || *found.ApproximateTotalCount != 1 {
		t.Fatalf("SearchWorkspaces = %+v, %v", found, err)
	}

	if _, err := env.Client.UpdateWorkspaceMetadata(ctx, &connect.UpdateWorkspaceMetadataInput{InstanceId: in, WorkspaceId: id, Title: aws.String("Billing 2")}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.UpdateWorkspaceMetadata(ctx, &connect.UpdateWorkspaceMetadataInput{InstanceId: in, WorkspaceId: id, Name: aws.String("Agents")})
	sbtest.APIError(t, err, "DuplicateResourceException", 409)
	_, err = env.Raw.UpdateWorkspaceMetadata(ctx, &connect.UpdateWorkspaceMetadataInput{InstanceId: in, WorkspaceId: id})
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "nothing to update")
	if _, err := env.Client.UpdateWorkspaceVisibility(ctx, &connect.UpdateWorkspaceVisibilityInput{InstanceId: in, WorkspaceId: id, Visibility: types.VisibilityAll}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.UpdateWorkspaceVisibility(ctx, &connect.UpdateWorkspaceVisibilityInput{InstanceId: in, WorkspaceId: id, Visibility: "SOME"})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	if _, err := env.Client.UpdateWorkspaceTheme(ctx, &connect.UpdateWorkspaceThemeInput{InstanceId: in, WorkspaceId: id}); err != nil {
		t.Fatal(err)
	}
	got, _ = env.Client.DescribeWorkspace(ctx, &connect.DescribeWorkspaceInput{InstanceId: in, WorkspaceId: id})
	if *got.Workspace.Title != "Billing 2" || got.Workspace.Visibility != types.VisibilityAll || got.Workspace.Theme != nil {
		t.Errorf("after the updates: %+v", got.Workspace)
	}

	// Media: a URL or base64; deleting what is not there is a 404.
	logo := base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\n"))
	for mt, src := range map[types.MediaType]string{types.MediaTypeImageLogoLightHorizontal: logo, types.MediaTypeImageLogoDarkFavicon: "https://cdn.example.com/f.ico"} {
		if _, err := env.Client.ImportWorkspaceMedia(ctx, &connect.ImportWorkspaceMediaInput{InstanceId: in, WorkspaceId: id, MediaType: mt, MediaSource: aws.String(src)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = env.Raw.ImportWorkspaceMedia(ctx, &connect.ImportWorkspaceMediaInput{InstanceId: in, WorkspaceId: id, MediaType: types.MediaTypeImageLogoLightFavicon, MediaSource: aws.String("not base64!")})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "base64")
	media, err := env.Client.ListWorkspaceMedia(ctx, &connect.ListWorkspaceMediaInput{InstanceId: in, WorkspaceId: id})
	if err != nil || len(media.Media) != 2 || *media.Media[1].Source != logo {
		t.Fatalf("ListWorkspaceMedia = %+v, %v", media, err)
	}
	if _, err := env.Client.DeleteWorkspaceMedia(ctx, &connect.DeleteWorkspaceMediaInput{InstanceId: in, WorkspaceId: id, MediaType: types.MediaTypeImageLogoDarkFavicon}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DeleteWorkspaceMedia(ctx, &connect.DeleteWorkspaceMediaInput{InstanceId: in, WorkspaceId: id, MediaType: types.MediaTypeImageLogoDarkFavicon})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)

	if _, err := env.Client.DeleteWorkspace(ctx, &connect.DeleteWorkspaceInput{InstanceId: in, WorkspaceId: made.WorkspaceArn}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribeWorkspace(ctx, &connect.DescribeWorkspaceInput{InstanceId: in, WorkspaceId: id})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}

func TestWorkspacePagesAndAssignments(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	made, err := env.Client.CreateWorkspace(ctx, &connect.CreateWorkspaceInput{InstanceId: in, Name: aws.String("Desk")})
	if err != nil {
		t.Fatal(err)
	}
	id := made.WorkspaceId
	view := createView(t, env, iid, "Refund form", types.ViewStatusPublished)
	managed := "arn:aws:connect:" + sbtest.Region + ":aws:view/cards"

	page := func(name, arn, slug, input string) error {
		p := &connect.CreateWorkspacePageInput{InstanceId: in, WorkspaceId: id, Page: aws.String(name), ResourceArn: aws.String(arn)}
		if slug != "" {
			p.Slug = aws.String(slug)
		}
		if input != "" {
			p.InputData = aws.String(input)
		}
		_, err := env.Raw.CreateWorkspacePage(ctx, p)
		return err
	}
	if err := page("HOME", *view.Arn, "home", `{"Heading":"Refunds"}`); err != nil {
		t.Fatal(err)
	}
	if err := page("Refunds", managed, "refunds", ""); err != nil {
		t.Fatal(err)
	}
	ctContains(t, sbtest.APIError(t, page("HOME", managed, "", ""), "DuplicateResourceException", 409), "already has a page")
	ctContains(t, sbtest.APIError(t, page("Other", managed, "home", ""), "DuplicateResourceException", 409), "slug")
	ctContains(t, sbtest.APIError(t, page("connect:x", managed, "", ""), "InvalidParameterException", 400), "reserved")
	ctContains(t, sbtest.APIError(t, page("Bad", managed, "", "[1]"), "InvalidParameterException", 400), "JSON object")
	ctContains(t, sbtest.APIError(t, page("Gone", "arn:aws:connect:us-east-1:000000000000:instance/"+iid+"/view/nope", "", ""), "ResourceNotFoundException", 404), "ResourceArn")
	sbtest.APIError(t, page("..", managed, "", ""), "InvalidParameterException", 400)
	sbtest.APIError(t, page("Short", managed, "ab", ""), "InvalidParameterException", 400)

	if _, err := env.Client.UpdateWorkspacePage(ctx, &connect.UpdateWorkspacePageInput{InstanceId: in, WorkspaceId: id, Page: aws.String("Refunds"),
		NewPage: aws.String("Returns"), InputData: aws.String(`{"a":1}`)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.UpdateWorkspacePage(ctx, &connect.UpdateWorkspacePageInput{InstanceId: in, WorkspaceId: id, Page: aws.String("Returns"), NewPage: aws.String("HOME")})
	sbtest.APIError(t, err, "DuplicateResourceException", 409)
	_, err = env.Raw.UpdateWorkspacePage(ctx, &connect.UpdateWorkspacePageInput{InstanceId: in, WorkspaceId: id, Page: aws.String("Nope")})
	ctContains(t, sbtest.APIError(t, err, "ResourceNotFoundException", 404), "ListWorkspacePages")
	pages, err := env.Client.ListWorkspacePages(ctx, &connect.ListWorkspacePagesInput{InstanceId: in, WorkspaceId: id})
	if err != nil || len(pages.WorkspacePageList) != 2 || *pages.WorkspacePageList[1].Page != "Returns" || *pages.WorkspacePageList[1].InputData != `{"a":1}` ||
		*pages.WorkspacePageList[0].ResourceArn != *view.Arn {
		t.Fatalf("ListWorkspacePages = %+v, %v", pages, err)
	}
	if _, err := env.Client.DeleteWorkspacePage(ctx, &connect.DeleteWorkspacePageInput{InstanceId: in, WorkspaceId: id, Page: aws.String("Returns")}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DeleteWorkspacePage(ctx, &connect.DeleteWorkspacePageInput{InstanceId: in, WorkspaceId: id, Page: aws.String("Returns")})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)

	// Assignments: users and routing profiles of the instance, each ARN on
	// its own.
	userID := agUser(t, env, iid, "ada")
	user, err := env.Client.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: in, UserId: aws.String(userID)})
	if err != nil {
		t.Fatal(err)
	}
	rp, _ := agBasics(t, env, iid)
	profile, err := env.Client.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: in, RoutingProfileId: aws.String(rp)})
	if err != nil {
		t.Fatal(err)
	}
	queue := "arn:aws:connect:" + sbtest.Region + ":" + sbtest.AccountID + ":instance/" + iid + "/queue/q"
	ghost := "arn:aws:connect:" + sbtest.Region + ":" + sbtest.AccountID + ":instance/" + iid + "/agent/nobody"
	assoc, err := env.Client.AssociateWorkspace(ctx, &connect.AssociateWorkspaceInput{InstanceId: in, WorkspaceId: id,
		ResourceArns: []string{*user.User.Arn, *profile.RoutingProfile.RoutingProfileArn, queue, ghost}})
	if err != nil || len(assoc.SuccessfulList) != 2 || len(assoc.FailedList) != 2 || *assoc.FailedList[0].ErrorCode != "400" || *assoc.FailedList[1].ErrorCode != "404" {
		t.Fatalf("AssociateWorkspace = %+v, %v", assoc, err)
	}
	search := func(field, value string) []types.WorkspaceAssociationSearchSummary {
		t.Helper()
		out, err := env.Client.SearchWorkspaceAssociations(ctx, &connect.SearchWorkspaceAssociationsInput{InstanceId: in, SearchCriteria: &types.WorkspaceAssociationSearchCriteria{
			StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(value), ComparisonType: types.StringComparisonTypeExact}}})
		if err != nil {
			t.Fatal(err)
		}
		return out.WorkspaceAssociations
	}
	users := search("ResourceType", "USER")
	if len(users) != 1 || *users[0].ResourceName != "ada" || *users[0].ResourceId != userID || *users[0].WorkspaceId != *id {
		t.Errorf("USER associations: %+v", users)
	}
	if got := search("WorkspaceId", *id); len(got) != 2 {
		t.Errorf("the workspace's associations: %+v", got)
	}
	dis, err := env.Client.DisassociateWorkspace(ctx, &connect.DisassociateWorkspaceInput{InstanceId: in, WorkspaceId: id, ResourceArns: []string{*user.User.Arn, queue}})
	if err != nil || len(dis.SuccessfulList) != 1 || len(dis.FailedList) != 1 {
		t.Fatalf("DisassociateWorkspace = %+v, %v", dis, err)
	}
	if got := search("ResourceType", "USER"); len(got) != 0 {
		t.Errorf("after the disassociation: %+v", got)
	}
	_, err = env.Raw.AssociateWorkspace(ctx, &connect.AssociateWorkspaceInput{InstanceId: in, WorkspaceId: id, ResourceArns: []string{}})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	_, err = env.Raw.SearchWorkspaceAssociations(ctx, &connect.SearchWorkspaceAssociationsInput{InstanceId: in, SearchCriteria: &types.WorkspaceAssociationSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("color"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}}})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "FieldName")
}
