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

const aiAgent = "arn:aws:wisdom:us-east-1:123456789012:ai-agent/11111111-2222-3333-4444-555555555555/66666666-7777-8888-9999-000000000000"

func TestEntitySecurityProfiles(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	profiles, err := env.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: in})
	if err != nil || len(profiles.SecurityProfileSummaryList) < 2 {
		t.Fatalf("ListSecurityProfiles = %+v, %v", profiles, err)
	}
	a, b := *profiles.SecurityProfileSummaryList[0].Id, *profiles.SecurityProfileSummaryList[1].Id
	items := func(ids ...string) []types.SecurityProfileItem {
		var out []types.SecurityProfileItem
		for _, id := range ids {
			out = append(out, types.SecurityProfileItem{Id: aws.String(id)})
		}
		return out
	}
	list := func() []string {
		t.Helper()
		out, err := env.Client.ListEntitySecurityProfiles(ctx, &connect.ListEntitySecurityProfilesInput{InstanceId: in, EntityType: types.EntityTypeAiAgent, EntityArn: aws.String(aiAgent)})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range out.SecurityProfiles {
			ids = append(ids, *p.Id)
		}
		return ids
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("a new agent has profiles %v", got)
	}
	for range 2 { // associating twice keeps one of each
		if _, err := env.Client.AssociateSecurityProfiles(ctx, &connect.AssociateSecurityProfilesInput{InstanceId: in, EntityType: types.EntityTypeAiAgent,
			EntityArn: aws.String(aiAgent), SecurityProfiles: items(a, b)}); err != nil {
			t.Fatal(err)
		}
	}
	if got := list(); !slices.Equal(got, []string{a, b}) {
		t.Fatalf("after associating: %v", got)
	}
	if _, err := env.Client.DisassociateSecurityProfiles(ctx, &connect.DisassociateSecurityProfilesInput{InstanceId: in, EntityType: types.EntityTypeAiAgent,
		EntityArn: aws.String(aiAgent), SecurityProfiles: items(a)}); err != nil {
		t.Fatal(err)
	}
	if got := list(); !slices.Equal(got, []string{b}) {
		t.Fatalf("after disassociating: %v", got)
	}

	for name, tc := range map[string]struct {
		entityType types.EntityType
		arn, id    string
		code       string
		status     int
	}{
		"a user":           {types.EntityTypeUser, aiAgent, a, "InvalidRequestException", 400},
		"not an AI agent":  {types.EntityTypeAiAgent, "arn:aws:connect:us-east-1:123456789012:instance/x", a, "InvalidParameterException", 400},
		"no such profile":  {types.EntityTypeAiAgent, aiAgent, "nope", "ResourceNotFoundException", 404},
		"no such instance": {types.EntityTypeAiAgent, aiAgent, a, "ResourceNotFoundException", 404},
	} {
		t.Run(name, func(t *testing.T) {
			inst := in
			if name == "no such instance" {
				inst = aws.String("nope")
			}
			_, err := env.Raw.AssociateSecurityProfiles(ctx, &connect.AssociateSecurityProfilesInput{InstanceId: inst, EntityType: tc.entityType,
				EntityArn: aws.String(tc.arn), SecurityProfiles: items(tc.id)})
			sbtest.APIError(t, err, tc.code, tc.status)
		})
	}
	_, err = env.Raw.AssociateSecurityProfiles(ctx, &connect.AssociateSecurityProfilesInput{InstanceId: in, EntityType: types.EntityTypeAiAgent,
		EntityArn: aws.String(aiAgent), SecurityProfiles: items("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11")})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
}
