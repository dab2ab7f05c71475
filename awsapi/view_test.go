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

// viewTemplate is a form with two buttons whose title and first field
// come from the ShowView block's ViewData.
const viewTemplate = `{"Head":{"Title":"$.Heading"},"Body":[{"_id":"form","Type":"Form","Props":{},"Content":[
 {"_id":"name","Type":"FormInput","Props":{"Name":"name","Label":"Name","DefaultValue":"$.Customer.Name"}},
 {"_id":"ok","Type":"Button","Props":{"Action":"Submit"}},
 {"_id":"no","Type":"Button","Props":{"Action":"Cancel"}}]}]}`

func createView(t *testing.T, env *sbtest.Env, iid, name string, status types.ViewStatus) *types.View {
	t.Helper()
	out, err := env.Client.CreateView(sbtest.Ctx(t), &connect.CreateViewInput{InstanceId: aws.String(iid), Name: aws.String(name),
		Status: status, Content: &types.ViewInputContent{Template: aws.String(viewTemplate), Actions: []string{"Submit", "Cancel"}}})
	if err != nil {
		t.Fatal(err)
	}
	return out.View
}

func TestViewLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)

	draft := createView(t, env, iid, "Update address", types.ViewStatusSaved)
	if draft.Status != types.ViewStatusSaved || draft.Type != types.ViewTypeCustomerManaged ||
		!strings.HasSuffix(*draft.Arn, ":instance/"+iid+"/view/"+*draft.Id) || draft.CreatedTime == nil || len(*draft.ViewContentSha256) != 64 {
		t.Fatalf("CreateView = %+v", draft)
	}
	if !strings.Contains(*draft.Content.InputSchema, `"Heading"`) || !strings.Contains(*draft.Content.InputSchema, `"Name"`) {
		t.Errorf("InputSchema %s does not list the template's inputs", *draft.Content.InputSchema)
	}
	// Never published: the bare ID ($LATEST) is not there, $SAVED is.
	_, err := env.Raw.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: draft.Id})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	saved, err := env.Client.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: aws.String(*draft.Id + ":$SAVED")})
	if err != nil || *saved.View.Name != "Update address" || !slices.Equal(saved.View.Content.Actions, []string{"Submit", "Cancel"}) {
		t.Fatalf("DescribeView $SAVED = %+v, %v", saved, err)
	}
	_, err = env.Raw.CreateViewVersion(ctx, &connect.CreateViewVersionInput{InstanceId: in, ViewId: draft.Id})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)

	// Publish, then freeze version 1; asking again without a change
	// answers version 1.
	pub, err := env.Client.UpdateViewContent(ctx, &connect.UpdateViewContentInput{InstanceId: in, ViewId: draft.Arn, Status: types.ViewStatusPublished,
		Content: &types.ViewInputContent{Template: aws.String(viewTemplate), Actions: []string{"Submit", "Cancel"}}})
	if err != nil || pub.View.Status != types.ViewStatusPublished {
		t.Fatalf("UpdateViewContent = %+v, %v", pub, err)
	}
	v1, err := env.Client.CreateViewVersion(ctx, &connect.CreateViewVersionInput{InstanceId: in, ViewId: draft.Id,
		VersionDescription: aws.String("first"), ViewContentSha256: pub.View.ViewContentSha256})
	if err != nil || v1.View.Version != 1 || *v1.View.VersionDescription != "first" || !strings.HasSuffix(*v1.View.Arn, ":1") {
		t.Fatalf("CreateViewVersion = %+v, %v", v1, err)
	}
	again, err := env.Client.CreateViewVersion(ctx, &connect.CreateViewVersionInput{InstanceId: in, ViewId: draft.Id})
	if err != nil || again.View.Version != 1 {
		t.Fatalf("CreateViewVersion without a change = %+v, %v", again, err)
	}

	// A saved edit leaves $LATEST as published; a stale hash is refused.
	const edited = `{"Head":{"Title":"Edited"},"Body":[{"_id":"ok","Type":"Button","Props":{"Action":"Submit"}}]}`
	if _, err := env.Client.UpdateViewContent(ctx, &connect.UpdateViewContentInput{InstanceId: in, ViewId: draft.Id, Status: types.ViewStatusSaved,
		Content: &types.ViewInputContent{Template: aws.String(edited), Actions: []string{"Submit"}}}); err != nil {
		t.Fatal(err)
	}
	latest, err := env.Client.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: draft.Id})
	if err != nil || *latest.View.Content.Template != viewTemplate {
		t.Fatalf("$LATEST after a SAVED update = %+v, %v", latest, err)
	}
	if s, _ := env.Client.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: aws.String(*draft.Id + ":$SAVED")}); *s.View.Content.Template != edited || s.View.Status != types.ViewStatusSaved {
		t.Errorf("$SAVED after a SAVED update = %+v", s.View)
	}
	if _, err := env.Client.UpdateViewContent(ctx, &connect.UpdateViewContentInput{InstanceId: in, ViewId: draft.Id, Status: types.ViewStatusPublished,
		Content: &types.ViewInputContent{Template: aws.String(edited), Actions: []string{"Submit"}}}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.CreateViewVersion(ctx, &connect.CreateViewVersionInput{InstanceId: in, ViewId: draft.Id, ViewContentSha256: pub.View.ViewContentSha256})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
	v2, err := env.Client.CreateViewVersion(ctx, &connect.CreateViewVersionInput{InstanceId: in, ViewId: draft.Id})
	if err != nil || v2.View.Version != 2 {
		t.Fatalf("second version = %+v, %v", v2, err)
	}

	versions, err := env.Client.ListViewVersions(ctx, &connect.ListViewVersionsInput{InstanceId: in, ViewId: draft.Id})
	if err != nil || len(versions.ViewVersionSummaryList) != 2 || versions.ViewVersionSummaryList[0].Version != 2 {
		t.Fatalf("ListViewVersions = %+v, %v", versions, err)
	}
	old, err := env.Client.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: aws.String(*draft.Arn + ":1")})
	if err != nil || *old.View.Content.Template != viewTemplate || old.View.Version != 1 {
		t.Fatalf("DescribeView :1 = %+v, %v", old, err)
	}

	if _, err := env.Client.UpdateViewMetadata(ctx, &connect.UpdateViewMetadataInput{InstanceId: in, ViewId: draft.Id,
		Name: aws.String("Change address"), Description: aws.String("Collects a new postal address")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.TagResource(ctx, &connect.TagResourceInput{ResourceArn: draft.Arn, Tags: map[string]string{"team": "care"}}); err != nil {
		t.Fatal(err)
	}
	d, err := env.Client.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: draft.Id})
	if err != nil || *d.View.Name != "Change address" || *d.View.Description != "Collects a new postal address" || d.View.Tags["team"] != "care" {
		t.Fatalf("after metadata and tags = %+v, %v", d, err)
	}

	if _, err := env.Client.DeleteViewVersion(ctx, &connect.DeleteViewVersionInput{InstanceId: in, ViewId: draft.Id, ViewVersion: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: aws.String(*draft.Id + ":1")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.DeleteViewVersion(ctx, &connect.DeleteViewVersionInput{InstanceId: in, ViewId: draft.Id, ViewVersion: aws.Int32(1)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	if _, err := env.Client.DeleteView(ctx, &connect.DeleteViewInput{InstanceId: in, ViewId: draft.Id}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: aws.String(*draft.Id + ":2")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.DeleteView(ctx, &connect.DeleteViewInput{InstanceId: in, ViewId: draft.Id})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestViewListsAndManagedViews(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	createView(t, env, iid, "Zeta", types.ViewStatusPublished)
	createView(t, env, iid, "Alpha", types.ViewStatusSaved)

	list, err := env.Client.ListViews(ctx, &connect.ListViewsInput{InstanceId: in})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range list.ViewsSummaryList {
		names = append(names, string(v.Type)+"/"+*v.Name+"/"+string(v.Status))
	}
	want := []string{"AWS_MANAGED/Cards/PUBLISHED", "AWS_MANAGED/Confirmation/PUBLISHED", "AWS_MANAGED/Detail/PUBLISHED", "AWS_MANAGED/Form/PUBLISHED",
		"AWS_MANAGED/List/PUBLISHED", "CUSTOMER_MANAGED/Alpha/SAVED", "CUSTOMER_MANAGED/Zeta/PUBLISHED"}
	if !slices.Equal(names, want) {
		t.Errorf("ListViews = %v, want %v", names, want)
	}
	own, err := env.Client.ListViews(ctx, &connect.ListViewsInput{InstanceId: in, Type: types.ViewTypeCustomerManaged, MaxResults: aws.Int32(1)})
	if err != nil || len(own.ViewsSummaryList) != 1 || *own.ViewsSummaryList[0].Name != "Alpha" || own.NextToken == nil {
		t.Fatalf("ListViews CUSTOMER_MANAGED page 1 = %+v, %v", own, err)
	}
	rest, err := env.Client.ListViews(ctx, &connect.ListViewsInput{InstanceId: in, Type: types.ViewTypeCustomerManaged, NextToken: own.NextToken})
	if err != nil || len(rest.ViewsSummaryList) != 1 || *rest.ViewsSummaryList[0].Name != "Zeta" {
		t.Fatalf("ListViews page 2 = %+v, %v", rest, err)
	}

	form := "arn:aws:connect:us-east-1:aws:view/form"
	d, err := env.Client.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: aws.String(form)})
	if err != nil || d.View.Type != types.ViewTypeAwsManaged || d.View.Version != 1 || *d.View.Arn != form {
		t.Fatalf("DescribeView managed = %+v, %v", d, err)
	}
	versions, err := env.Client.ListViewVersions(ctx, &connect.ListViewVersionsInput{InstanceId: in, ViewId: aws.String(form)})
	if err != nil || len(versions.ViewVersionSummaryList) != 1 {
		t.Fatalf("ListViewVersions managed = %+v, %v", versions, err)
	}
	_, err = env.Raw.UpdateViewContent(ctx, &connect.UpdateViewContentInput{InstanceId: in, ViewId: aws.String(form), Status: types.ViewStatusPublished,
		Content: &types.ViewInputContent{Template: aws.String(viewTemplate)}})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
	_, err = env.Raw.DeleteView(ctx, &connect.DeleteViewInput{InstanceId: in, ViewId: aws.String(form)})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
	_, err = env.Raw.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: aws.String(form + ":2")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	for name, tc := range map[string]struct {
		criteria *types.ViewSearchCriteria
		filter   *types.ViewSearchFilter
		want     []string
	}{
		"name contains": {criteria: &types.ViewSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("name"),
			Value: aws.String("zet"), ComparisonType: types.StringComparisonTypeContains}}, want: []string{"Zeta"}},
		"customer managed and saved": {criteria: &types.ViewSearchCriteria{AndConditions: []types.ViewSearchCriteria{
			{ViewTypeCondition: types.ViewTypeCustomerManaged}, {ViewStatusCondition: types.ViewStatusSaved}}}, want: []string{"Alpha"}},
		"managed": {criteria: &types.ViewSearchCriteria{ViewTypeCondition: types.ViewTypeAwsManaged}, want: []string{"Cards", "Confirmation", "Detail", "Form", "List"}},
		"no tags": {filter: &types.ViewSearchFilter{AttributeFilter: &types.ControlPlaneAttributeFilter{TagCondition: &types.TagCondition{TagKey: aws.String("x")}}}},
	} {
		t.Run(name, func(t *testing.T) {
			out, err := env.Client.SearchViews(ctx, &connect.SearchViewsInput{InstanceId: in, SearchCriteria: tc.criteria, SearchFilter: tc.filter})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range out.Views {
				got = append(got, *v.Name)
			}
			if !slices.Equal(got, tc.want) || aws.ToInt64(out.ApproximateTotalCount) != int64(len(tc.want)) {
				t.Errorf("SearchViews = %v (%d), want %v", got, aws.ToInt64(out.ApproximateTotalCount), tc.want)
			}
		})
	}
}

func TestViewErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{Views: 2, ViewVersions: 1})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	create := func(name string, status types.ViewStatus, tpl string, actions ...string) error {
		_, err := env.Raw.CreateView(ctx, &connect.CreateViewInput{InstanceId: in, Name: aws.String(name), Status: status,
			Content: &types.ViewInputContent{Template: aws.String(tpl), Actions: actions}})
		return err
	}
	for name, tc := range map[string]struct {
		err        error
		code       string
		status     int
		mentioning string
	}{
		"not JSON":          {create("V", types.ViewStatusSaved, `{"Body":`), "InvalidRequestException", 400, "not valid JSON"},
		"not an object":     {create("V", types.ViewStatusPublished, `[1]`), "InvalidRequestException", 400, "JSON object"},
		"no body":           {create("V", types.ViewStatusPublished, `{"Head":{}}`), "InvalidRequestException", 400, "Body"},
		"component no type": {create("V", types.ViewStatusPublished, `{"Body":[{"Props":{}}]}`), "InvalidRequestException", 400, "Body[0] has no Type"},
		"undeclared action": {create("V", types.ViewStatusPublished, viewTemplate, "Submit"), "InvalidRequestException", 400, `"Cancel" is not in Content.Actions`},
		"empty published":   {create("V", types.ViewStatusPublished, ""), "InvalidRequestException", 400, "empty"},
		"action twice":      {create("V", types.ViewStatusSaved, viewTemplate, "Submit", "Submit"), "InvalidParameterException", 400, "twice"},
		"no status":         {create("V", "", viewTemplate), "InvalidParameterException", 400, "Status"},
		"bad status":        {create("V", "DRAFT", viewTemplate), "InvalidParameterException", 400, "Status"},
		"no name":           {create("", types.ViewStatusSaved, viewTemplate), "InvalidParameterException", 400, "Name"},
		"name pattern":      {create("a<b", types.ViewStatusSaved, viewTemplate), "InvalidParameterException", 400, "Name"},
		"too large":         {create("V", types.ViewStatusSaved, `"`+strings.Repeat("x", 400*1024)+`"`), "InvalidParameterException", 400, "400 kB"},
		"action pattern":    {create("V", types.ViewStatusSaved, "{}", "bad<action"), "InvalidParameterException", 400, "Actions"},
		"no such instance": {func() error {
			_, err := env.Raw.ListViews(ctx, &connect.ListViewsInput{InstanceId: aws.String("nope")})
			return err
		}(), "ResourceNotFoundException", 404, "nope"},
		"unknown qualifier": {func() error {
			_, err := env.Raw.DescribeView(ctx, &connect.DescribeViewInput{InstanceId: in, ViewId: aws.String("abc:$DRAFT")})
			return err
		}(), "InvalidParameterException", 400, "qualifier"},
		"metadata nothing": {func() error {
			_, err := env.Raw.UpdateViewMetadata(ctx, &connect.UpdateViewMetadataInput{InstanceId: in, ViewId: aws.String("abc")})
			return err
		}(), "InvalidRequestException", 400, "nothing to update"},
		"no such view": {func() error {
			_, err := env.Raw.UpdateViewMetadata(ctx, &connect.UpdateViewMetadataInput{InstanceId: in, ViewId: aws.String("abc"), Name: aws.String("x")})
			return err
		}(), "ResourceNotFoundException", 404, "abc"},
		"sha not hex": {func() error {
			_, err := env.Raw.CreateViewVersion(ctx, &connect.CreateViewVersionInput{InstanceId: in, ViewId: aws.String("abc"), ViewContentSha256: aws.String(strings.Repeat("a", 65))})
			return err
		}(), "InvalidParameterException", 400, "ViewContentSha256"},
		"bad search type": {func() error {
			_, err := env.Raw.SearchViews(ctx, &connect.SearchViewsInput{InstanceId: in, SearchCriteria: &types.ViewSearchCriteria{ViewTypeCondition: "OTHER"}})
			return err
		}(), "InvalidParameterException", 400, "ViewTypeCondition"},
		"bad search field": {func() error {
			_, err := env.Raw.SearchViews(ctx, &connect.SearchViewsInput{InstanceId: in, SearchCriteria: &types.ViewSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("color"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}}})
			return err
		}(), "InvalidParameterException", 400, "color"},
	} {
		t.Run(name, func(t *testing.T) {
			msg := sbtest.APIError(t, tc.err, tc.code, tc.status)
			if !strings.Contains(msg, tc.mentioning) {
				t.Errorf("message %q does not mention %q", msg, tc.mentioning)
			}
		})
	}

	// Names are unique; a ClientToken replays; the quota holds.
	first, err := env.Client.CreateView(ctx, &connect.CreateViewInput{InstanceId: in, Name: aws.String("One"), Status: types.ViewStatusPublished,
		ClientToken: aws.String("tok-1"), Content: &types.ViewInputContent{Template: aws.String(viewTemplate), Actions: []string{"Submit", "Cancel"}}})
	if err != nil {
		t.Fatal(err)
	}
	replay, err := env.Client.CreateView(ctx, &connect.CreateViewInput{InstanceId: in, Name: aws.String("One"), Status: types.ViewStatusPublished,
		ClientToken: aws.String("tok-1"), Content: &types.ViewInputContent{Template: aws.String(viewTemplate), Actions: []string{"Submit", "Cancel"}}})
	if err != nil || *replay.View.Id != *first.View.Id {
		t.Fatalf("replayed CreateView = %+v, %v", replay, err)
	}
	sbtest.APIError(t, create("One", types.ViewStatusSaved, "{}"), "DuplicateResourceException", http.StatusConflict)
	if err := create("Two", types.ViewStatusSaved, "{}"); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create("Three", types.ViewStatusSaved, "{}"), "ServiceQuotaExceededException", http.StatusPaymentRequired)
	_, err = env.Raw.UpdateViewMetadata(ctx, &connect.UpdateViewMetadataInput{InstanceId: in, ViewId: first.View.Id, Name: aws.String("Two")})
	sbtest.APIError(t, err, "DuplicateResourceException", http.StatusConflict)

	// One version per view under this quota: the second is refused.
	if _, err := env.Client.CreateViewVersion(ctx, &connect.CreateViewVersionInput{InstanceId: in, ViewId: first.View.Id}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.UpdateViewContent(ctx, &connect.UpdateViewContentInput{InstanceId: in, ViewId: first.View.Id, Status: types.ViewStatusPublished,
		Content: &types.ViewInputContent{Template: aws.String(`{"Body":[]}`)}}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.CreateViewVersion(ctx, &connect.CreateViewVersionInput{InstanceId: in, ViewId: first.View.Id})
	sbtest.APIError(t, err, "ServiceQuotaExceededException", http.StatusPaymentRequired)
}
