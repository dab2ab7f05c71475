package awsapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

const (
	fnA = "arn:aws:lambda:us-east-1:123456789012:function:lookup"
	fnB = "arn:aws:lambda:us-east-1:123456789012:function:score:live"
)

// Lambda functions, approved origins and Lex bots are lists on the
// instance: associated once, listed in pages, disassociated, and a retried
// request (same ClientToken) answers as the first did.
func TestInstanceIntegrations(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)

	for _, fn := range []string{fnA, fnB} {
		if _, err := env.Client.AssociateLambdaFunction(ctx, &connect.AssociateLambdaFunctionInput{InstanceId: in, FunctionArn: aws.String(fn), ClientToken: aws.String("t-" + fn)}); err != nil {
			t.Fatal(err)
		}
	}
	// The retry of the first, with its token, succeeds; a new request for
	// the same function conflicts.
	if _, err := env.Client.AssociateLambdaFunction(ctx, &connect.AssociateLambdaFunctionInput{InstanceId: in, FunctionArn: aws.String(fnA), ClientToken: aws.String("t-" + fnA)}); err != nil {
		t.Errorf("retry: %v", err)
	}
	_, err := env.Raw.AssociateLambdaFunction(ctx, &connect.AssociateLambdaFunctionInput{InstanceId: in, FunctionArn: aws.String(fnA), ClientToken: aws.String("other")})
	sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict)
	var fns []string
	p := connect.NewListLambdaFunctionsPaginator(env.Client, &connect.ListLambdaFunctionsInput{InstanceId: in, MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		fns = append(fns, page.LambdaFunctions...)
	}
	if !slices.Equal(fns, []string{fnA, fnB}) {
		t.Errorf("ListLambdaFunctions = %v", fns)
	}
	if _, err := env.Client.DisassociateLambdaFunction(ctx, &connect.DisassociateLambdaFunctionInput{InstanceId: in, FunctionArn: aws.String(fnA)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DisassociateLambdaFunction(ctx, &connect.DisassociateLambdaFunctionInput{InstanceId: in, FunctionArn: aws.String(fnA)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	if out, _ := env.Client.ListLambdaFunctions(ctx, &connect.ListLambdaFunctionsInput{InstanceId: in}); !slices.Equal(out.LambdaFunctions, []string{fnB}) {
		t.Errorf("after disassociating: %v", out.LambdaFunctions)
	}

	// Origins are kept as a browser sends them: no trailing slash.
	if _, err := env.Client.AssociateApprovedOrigin(ctx, &connect.AssociateApprovedOriginInput{InstanceId: in, Origin: aws.String("https://shop.example.com/")}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.AssociateApprovedOrigin(ctx, &connect.AssociateApprovedOriginInput{InstanceId: in, Origin: aws.String("https://shop.example.com")})
	sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict)
	origins, err := env.Client.ListApprovedOrigins(ctx, &connect.ListApprovedOriginsInput{InstanceId: in})
	if err != nil || !slices.Equal(origins.Origins, []string{"https://shop.example.com"}) {
		t.Errorf("ListApprovedOrigins = %v, %v", origins, err)
	}
	if _, err := env.Client.DisassociateApprovedOrigin(ctx, &connect.DisassociateApprovedOriginInput{InstanceId: in, Origin: aws.String("https://shop.example.com")}); err != nil {
		t.Fatal(err)
	}

	// Bots: V1 through either API, V2 through AssociateBot, listed by version.
	alias := "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/TSTALIASID"
	if _, err := env.Client.AssociateLexBot(ctx, &connect.AssociateLexBotInput{InstanceId: in, LexBot: &types.LexBot{Name: aws.String("Orders"), LexRegion: aws.String("us-east-1")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.AssociateBot(ctx, &connect.AssociateBotInput{InstanceId: in, LexV2Bot: &types.LexV2Bot{AliasArn: aws.String(alias)}}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.AssociateBot(ctx, &connect.AssociateBotInput{InstanceId: in, LexBot: &types.LexBot{Name: aws.String("Orders"), LexRegion: aws.String("us-east-1")}})
	sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict)
	v1, err := env.Client.ListLexBots(ctx, &connect.ListLexBotsInput{InstanceId: in})
	if err != nil || len(v1.LexBots) != 1 || *v1.LexBots[0].Name != "Orders" {
		t.Errorf("ListLexBots = %+v, %v", v1, err)
	}
	v2, err := env.Client.ListBots(ctx, &connect.ListBotsInput{InstanceId: in, LexVersion: types.LexVersionV2})
	if err != nil || len(v2.LexBots) != 1 || v2.LexBots[0].LexV2Bot == nil || *v2.LexBots[0].LexV2Bot.AliasArn != alias {
		t.Errorf("ListBots V2 = %+v, %v", v2, err)
	}
	if _, err := env.Client.DisassociateLexBot(ctx, &connect.DisassociateLexBotInput{InstanceId: in, BotName: aws.String("Orders"), LexRegion: aws.String("us-east-1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.DisassociateBot(ctx, &connect.DisassociateBotInput{InstanceId: in, LexV2Bot: &types.LexV2Bot{AliasArn: aws.String(alias)}}); err != nil {
		t.Fatal(err)
	}
	if out, _ := env.Client.ListBots(ctx, &connect.ListBotsInput{InstanceId: in, LexVersion: types.LexVersionV1}); len(out.LexBots) != 0 {
		t.Errorf("bots left: %+v", out.LexBots)
	}
}

func TestInstanceIntegrationErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{LambdaFunctions: 1})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	missing := aws.String("00000000-0000-0000-0000-000000000000")

	for name, fn := range map[string]string{"not an ARN": "lookup", "another service": "arn:aws:s3:::bucket", "no account": "arn:aws:lambda:us-east-1::function:x"} {
		_, err := env.Raw.AssociateLambdaFunction(ctx, &connect.AssociateLambdaFunctionInput{InstanceId: in, FunctionArn: aws.String(fn)})
		t.Run(name, func(t *testing.T) { sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest) })
	}
	if _, err := env.Client.AssociateLambdaFunction(ctx, &connect.AssociateLambdaFunctionInput{InstanceId: in, FunctionArn: aws.String(fnA)}); err != nil {
		t.Fatal(err)
	}
	_, err := env.Raw.AssociateLambdaFunction(ctx, &connect.AssociateLambdaFunctionInput{InstanceId: in, FunctionArn: aws.String(fnB)})
	sbtest.APIError(t, err, "ServiceQuotaExceededException", http.StatusPaymentRequired)
	_, err = env.Raw.AssociateLambdaFunction(ctx, &connect.AssociateLambdaFunctionInput{InstanceId: missing, FunctionArn: aws.String(fnA)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.ListLambdaFunctions(ctx, &connect.ListLambdaFunctionsInput{InstanceId: in, MaxResults: aws.Int32(26)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)

	for _, o := range []string{"shop.example.com", "ftp://shop.example.com", "https://shop.example.com/path", "https://"} {
		_, err := env.Raw.AssociateApprovedOrigin(ctx, &connect.AssociateApprovedOriginInput{InstanceId: in, Origin: aws.String(o)})
		sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	}

	// A bot is exactly one of V1 and V2, each complete.
	_, err = env.Raw.AssociateBot(ctx, &connect.AssociateBotInput{InstanceId: in})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
	_, err = env.Raw.AssociateBot(ctx, &connect.AssociateBotInput{InstanceId: in, LexBot: &types.LexBot{Name: aws.String("a"), LexRegion: aws.String("us-east-1")},
		LexV2Bot: &types.LexV2Bot{AliasArn: aws.String("arn:aws:lex:us-east-1:123456789012:bot-alias/A/B")}})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
	_, err = env.Raw.AssociateBot(ctx, &connect.AssociateBotInput{InstanceId: in, LexV2Bot: &types.LexV2Bot{AliasArn: aws.String("arn:aws:lex:us-east-1:123456789012:bot/A")}})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest) // AssociateBot's model has no InvalidParameterException
	_, err = env.Raw.AssociateLexBot(ctx, &connect.AssociateLexBotInput{InstanceId: in, LexBot: &types.LexBot{Name: aws.String("a"), LexRegion: aws.String("")}})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.DisassociateBot(ctx, &connect.DisassociateBotInput{InstanceId: in, LexV2Bot: &types.LexV2Bot{AliasArn: aws.String("arn:aws:lex:us-east-1:123456789012:bot-alias/A/B")}})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.ListBots(ctx, &connect.ListBotsInput{InstanceId: in, LexVersion: "V3"})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
}
