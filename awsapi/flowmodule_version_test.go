package awsapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestFlowModuleVersionsAndAliases: versions snapshot a module's content,
// DescribeContactFlowModule reads one back with its qualifier, aliases
// point at versions and move between them, and what an alias points at
// cannot be deleted.
func TestFlowModuleVersionsAndAliases(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	mod := resModule(t, env, iid, "greeting")
	id := *mod.Id
	describe := func(ref string) (*connect.DescribeContactFlowModuleOutput, error) {
		return env.Raw.DescribeContactFlowModule(ctx, &connect.DescribeContactFlowModuleInput{InstanceId: &iid, ContactFlowModuleId: &ref})
	}
	version := func(desc, sha string) (*connect.CreateContactFlowModuleVersionOutput, error) {
		in := &connect.CreateContactFlowModuleVersionInput{InstanceId: &iid, ContactFlowModuleId: &id, Description: aws.String(desc)}
		if sha != "" {
			in.FlowModuleContentSha256 = &sha
		}
		return env.Raw.CreateContactFlowModuleVersion(ctx, in)
	}

	cur, err := describe(id)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := version("first", *cur.ContactFlowModule.FlowModuleContentSha256)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(v1.Version) != 1 || *v1.ContactFlowModuleArn != *mod.Arn {
		t.Fatalf("first version: %+v", v1)
	}
	changed := strings.Replace(resModuleContent, `"yes"`, `"v2"`, 1)
	if _, err := env.Client.UpdateContactFlowModuleContent(ctx, &connect.UpdateContactFlowModuleContentInput{InstanceId: &iid, ContactFlowModuleId: &id,
		Content: &changed}); err != nil {
		t.Fatal(err)
	}
	// The hash read before the change no longer matches.
	_, err = version("stale", *cur.ContactFlowModule.FlowModuleContentSha256)
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	v2, err := version("second", "")
	if err != nil || aws.ToInt64(v2.Version) != 2 {
		t.Fatalf("second version: %v %+v", err, v2)
	}

	// Version 1 is still the old content; the module itself is the new.
	old, err := describe(id + ":1")
	if err != nil {
		t.Fatal(err)
	}
	if m := old.ContactFlowModule; !strings.Contains(*m.Content, `"yes"`) || aws.ToInt64(m.Version) != 1 || aws.ToString(m.VersionDescription) != "first" {
		t.Fatalf("version 1: version %d %q, content %s", aws.ToInt64(m.Version), aws.ToString(m.VersionDescription), *m.Content)
	}
	if now, err := describe(*mod.Arn); err != nil || !strings.Contains(*now.ContactFlowModule.Content, `"v2"`) || now.ContactFlowModule.Version != nil {
		t.Fatalf("the module itself: %v %+v", err, now)
	}
	_, err = describe(id + ":9")
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = describe(id + ":$PUBLISHED")
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	versions, err := env.Client.ListContactFlowModuleVersions(ctx, &connect.ListContactFlowModuleVersionsInput{InstanceId: &iid, ContactFlowModuleId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if l := versions.ContactFlowModuleVersionSummaryList; len(l) != 2 || aws.ToInt64(l[0].Version) != 1 || *l[1].Arn != *mod.Arn+":2" || *l[1].VersionDescription != "second" {
		t.Fatalf("versions %+v", l)
	}

	// An alias on version 1, moved to 2.
	alias, err := env.Client.CreateContactFlowModuleAlias(ctx, &connect.CreateContactFlowModuleAliasInput{InstanceId: &iid, ContactFlowModuleId: &id,
		AliasName: aws.String("prod"), ContactFlowModuleVersion: aws.Int64(1), Description: aws.String("what callers use")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.CreateContactFlowModuleAlias(ctx, &connect.CreateContactFlowModuleAliasInput{InstanceId: &iid, ContactFlowModuleId: &id,
		AliasName: aws.String("prod"), ContactFlowModuleVersion: aws.Int64(2)})
	sbtest.APIError(t, err, "DuplicateResourceException", 409)
	_, err = env.Raw.DeleteContactFlowModuleVersion(ctx, &connect.DeleteContactFlowModuleVersionInput{InstanceId: &iid, ContactFlowModuleId: &id, ContactFlowModuleVersion: aws.Int64(1)})
	sbtest.APIError(t, err, "InvalidRequestException", 400) // prod points at it
	d, err := env.Client.DescribeContactFlowModuleAlias(ctx, &connect.DescribeContactFlowModuleAliasInput{InstanceId: &iid, ContactFlowModuleId: &id, AliasId: alias.Id})
	if err != nil {
		t.Fatal(err)
	}
	if a := d.ContactFlowModuleAlias; *a.Name != "prod" || aws.ToInt64(a.Version) != 1 || *a.ContactFlowModuleId != id || *a.Description != "what callers use" || *a.LastModifiedRegion != "us-east-1" {
		t.Fatalf("alias %+v", a)
	}
	if _, err := env.Client.UpdateContactFlowModuleAlias(ctx, &connect.UpdateContactFlowModuleAliasInput{InstanceId: &iid, ContactFlowModuleId: &id, AliasId: alias.Id,
		ContactFlowModuleVersion: aws.Int64(2)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.UpdateContactFlowModuleAlias(ctx, &connect.UpdateContactFlowModuleAliasInput{InstanceId: &iid, ContactFlowModuleId: &id, AliasId: alias.Id,
		ContactFlowModuleVersion: aws.Int64(7)})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	aliases, err := env.Client.ListContactFlowModuleAliases(ctx, &connect.ListContactFlowModuleAliasesInput{InstanceId: &iid, ContactFlowModuleId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if l := aliases.ContactFlowModuleAliasSummaryList; len(l) != 1 || aws.ToInt64(l[0].Version) != 2 || *l[0].AliasName != "prod" || *l[0].AliasId != *alias.Id {
		t.Fatalf("aliases %+v", l)
	}
	if _, err := env.Client.DeleteContactFlowModuleVersion(ctx, &connect.DeleteContactFlowModuleVersionInput{InstanceId: &iid, ContactFlowModuleId: &id,
		ContactFlowModuleVersion: aws.Int64(1)}); err != nil {
		t.Fatal(err)
	}
	_, err = describe(id + ":1")
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	if _, err := env.Client.DeleteContactFlowModuleAlias(ctx, &connect.DeleteContactFlowModuleAliasInput{InstanceId: &iid, ContactFlowModuleId: &id, AliasId: alias.Id}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribeContactFlowModuleAlias(ctx, &connect.DescribeContactFlowModuleAliasInput{InstanceId: &iid, ContactFlowModuleId: &id, AliasId: alias.Id})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)

	// Refusals.
	_, err = env.Raw.CreateContactFlowModuleAlias(ctx, &connect.CreateContactFlowModuleAliasInput{InstanceId: &iid, ContactFlowModuleId: &id,
		AliasName: aws.String("bad name!"), ContactFlowModuleVersion: aws.Int64(2)})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	_, err = env.Raw.CreateContactFlowModuleAlias(ctx, &connect.CreateContactFlowModuleAliasInput{InstanceId: &iid, ContactFlowModuleId: &id,
		AliasName: aws.String("old"), ContactFlowModuleVersion: aws.Int64(1)})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404) // version 1 is gone
	_, err = env.Raw.CreateContactFlowModuleVersion(ctx, &connect.CreateContactFlowModuleVersionInput{InstanceId: &iid, ContactFlowModuleId: aws.String("00000000-0000-0000-0000-000000000000")})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = version("x", "not-a-hash")
	sbtest.APIError(t, err, "InvalidParameterException", 400)

	// Deleting the module takes its versions with it.
	if _, err := env.Client.DeleteContactFlowModule(ctx, &connect.DeleteContactFlowModuleInput{InstanceId: &iid, ContactFlowModuleId: &id}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.ListContactFlowModuleVersions(ctx, &connect.ListContactFlowModuleVersionsInput{InstanceId: &iid, ContactFlowModuleId: &id})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}
