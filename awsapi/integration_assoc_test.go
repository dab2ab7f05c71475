package awsapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestIntegrationAssociations: associations and their use cases are
// created, listed, tagged and deleted as Connect's infrastructure tools do
// it, with Connect's refusals.
func TestIntegrationAssociations(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	create := func(in connect.CreateIntegrationAssociationInput) (*connect.CreateIntegrationAssociationOutput, error) {
		in.InstanceId = &iid
		return env.Raw.CreateIntegrationAssociation(ctx, &in)
	}
	cases := "arn:aws:cases:us-east-1:123456789012:domain/d-1"
	events := "arn:aws:app-integrations:us-east-1:123456789012:event-integration/zendesk"
	domainAssoc, err := create(connect.CreateIntegrationAssociationInput{IntegrationType: types.IntegrationTypeCasesDomain, IntegrationArn: &cases,
		Tags: map[string]string{"team": "cases"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(*domainAssoc.IntegrationAssociationArn, ":instance/"+iid+"/integration-association/"+*domainAssoc.IntegrationAssociationId) {
		t.Fatalf("ARN %s", *domainAssoc.IntegrationAssociationArn)
	}
	eventAssoc, err := create(connect.CreateIntegrationAssociationInput{IntegrationType: types.IntegrationTypeEvent, IntegrationArn: &events,
		SourceApplicationUrl: aws.String("https://example.zendesk.com"), SourceApplicationName: aws.String("Zendesk"), SourceType: types.SourceTypeZendesk})
	if err != nil {
		t.Fatal(err)
	}

	list, err := env.Client.ListIntegrationAssociations(ctx, &connect.ListIntegrationAssociationsInput{InstanceId: &iid, IntegrationType: types.IntegrationTypeEvent})
	if err != nil {
		t.Fatal(err)
	}
	if l := list.IntegrationAssociationSummaryList; len(l) != 1 || *l[0].IntegrationAssociationId != *eventAssoc.IntegrationAssociationId ||
		*l[0].IntegrationArn != events || *l[0].SourceApplicationName != "Zendesk" || l[0].SourceType != types.SourceTypeZendesk || *l[0].InstanceId != iid {
		t.Fatalf("EVENT associations %+v", l)
	}
	list, err = env.Client.ListIntegrationAssociations(ctx, &connect.ListIntegrationAssociationsInput{InstanceId: &iid, IntegrationArn: &cases})
	if err != nil || len(list.IntegrationAssociationSummaryList) != 1 || list.IntegrationAssociationSummaryList[0].IntegrationType != types.IntegrationTypeCasesDomain {
		t.Fatalf("by ARN: %v %+v", err, list)
	}
	tags, err := env.Client.ListTagsForResource(ctx, &connect.ListTagsForResourceInput{ResourceArn: domainAssoc.IntegrationAssociationArn})
	if err != nil || tags.Tags["team"] != "cases" {
		t.Fatalf("tags: %v %v", err, tags)
	}

	// Use cases: one of each type per association.
	uc, err := env.Client.CreateUseCase(ctx, &connect.CreateUseCaseInput{InstanceId: &iid, IntegrationAssociationId: eventAssoc.IntegrationAssociationId,
		UseCaseType: types.UseCaseTypeRulesEvaluation})
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.CreateUseCase(ctx, &connect.CreateUseCaseInput{InstanceId: &iid, IntegrationAssociationId: eventAssoc.IntegrationAssociationId,
		UseCaseType: types.UseCaseTypeRulesEvaluation})
	sbtest.APIError(t, err, "DuplicateResourceException", 409)
	ucs, err := env.Client.ListUseCases(ctx, &connect.ListUseCasesInput{InstanceId: &iid, IntegrationAssociationId: eventAssoc.IntegrationAssociationId})
	if err != nil || len(ucs.UseCaseSummaryList) != 1 || *ucs.UseCaseSummaryList[0].UseCaseId != *uc.UseCaseId || ucs.UseCaseSummaryList[0].UseCaseType != types.UseCaseTypeRulesEvaluation {
		t.Fatalf("ListUseCases: %v %+v", err, ucs)
	}
	_, err = env.Raw.DeleteIntegrationAssociation(ctx, &connect.DeleteIntegrationAssociationInput{InstanceId: &iid, IntegrationAssociationId: eventAssoc.IntegrationAssociationId})
	sbtest.APIError(t, err, "InvalidRequestException", 400) // it has a use case
	_, err = env.Raw.DeleteUseCase(ctx, &connect.DeleteUseCaseInput{InstanceId: &iid, IntegrationAssociationId: domainAssoc.IntegrationAssociationId, UseCaseId: uc.UseCaseId})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404) // another association's
	if _, err := env.Client.DeleteUseCase(ctx, &connect.DeleteUseCaseInput{InstanceId: &iid, IntegrationAssociationId: eventAssoc.IntegrationAssociationId, UseCaseId: uc.UseCaseId}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.DeleteIntegrationAssociation(ctx, &connect.DeleteIntegrationAssociationInput{InstanceId: &iid, IntegrationAssociationId: eventAssoc.IntegrationAssociationId}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DeleteIntegrationAssociation(ctx, &connect.DeleteIntegrationAssociationInput{InstanceId: &iid, IntegrationAssociationId: eventAssoc.IntegrationAssociationId})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = env.Raw.ListUseCases(ctx, &connect.ListUseCasesInput{InstanceId: &iid, IntegrationAssociationId: eventAssoc.IntegrationAssociationId})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)

	// Refusals.
	_, err = create(connect.CreateIntegrationAssociationInput{IntegrationType: types.IntegrationTypeCasesDomain, IntegrationArn: &cases})
	sbtest.APIError(t, err, "DuplicateResourceException", 409)
	_, err = create(connect.CreateIntegrationAssociationInput{IntegrationType: types.IntegrationTypeEvent, IntegrationArn: &events})
	sbtest.APIError(t, err, "InvalidRequestException", 400) // an EVENT integration without its source
	_, err = create(connect.CreateIntegrationAssociationInput{IntegrationType: types.IntegrationTypeVoiceId, IntegrationArn: aws.String("arn:aws:voiceid:us-east-1:123456789012:domain/x"),
		SourceType: types.SourceTypeSalesforce})
	sbtest.APIError(t, err, "InvalidRequestException", 400) // a source on a non-EVENT integration
	_, err = create(connect.CreateIntegrationAssociationInput{IntegrationType: types.IntegrationTypeCasesDomain, IntegrationArn: aws.String("cases-domain")})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	// The model lists no InvalidParameterException here: validation
	// failures are InvalidRequestException.
	_, err = create(connect.CreateIntegrationAssociationInput{IntegrationType: "FAX", IntegrationArn: &cases})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = create(connect.CreateIntegrationAssociationInput{IntegrationType: types.IntegrationTypeEvent, IntegrationArn: &events,
		SourceApplicationUrl: aws.String("https://x"), SourceApplicationName: aws.String("no/slashes"), SourceType: types.SourceTypeZendesk})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = env.Raw.CreateUseCase(ctx, &connect.CreateUseCaseInput{InstanceId: &iid, IntegrationAssociationId: aws.String("nope"), UseCaseType: types.UseCaseTypeConnectCampaigns})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}
