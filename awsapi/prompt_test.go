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

func TestPromptLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	created, err := env.Client.CreatePrompt(ctx, &connect.CreatePromptInput{InstanceId: in, Name: aws.String("Welcome"),
		Description: aws.String("greeting"), S3Uri: aws.String("s3://prompts-bucket/en/welcome.wav"), Tags: map[string]string{"lang": "en"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(*created.PromptARN, ":instance/"+iid+"/prompt/"+*created.PromptId) {
		t.Errorf("ARN %s", *created.PromptARN)
	}
	d, err := env.Client.DescribePrompt(ctx, &connect.DescribePromptInput{InstanceId: in, PromptId: created.PromptId})
	if err != nil {
		t.Fatal(err)
	}
	if *d.Prompt.Name != "Welcome" || *d.Prompt.Description != "greeting" || d.Prompt.Tags["lang"] != "en" || d.Prompt.LastModifiedTime == nil {
		t.Errorf("Describe = %+v", d.Prompt)
	}
	file, err := env.Client.GetPromptFile(ctx, &connect.GetPromptFileInput{InstanceId: in, PromptId: created.PromptId})
	if err != nil || *file.PromptPresignedUrl != "https://prompts-bucket.s3.amazonaws.com/en/welcome.wav" {
		t.Errorf("GetPromptFile = %+v, %v", file, err)
	}
	up, err := env.Client.UpdatePrompt(ctx, &connect.UpdatePromptInput{InstanceId: in, PromptId: created.PromptId, Name: aws.String("Welcome (EN)")})
	if err != nil || *up.PromptId != *created.PromptId {
		t.Fatalf("UpdatePrompt = %+v, %v", up, err)
	}
	if _, err := env.Client.CreatePrompt(ctx, &connect.CreatePromptInput{InstanceId: in, Name: aws.String("Hold music"), S3Uri: aws.String("s3://prompts-bucket/hold.wav")}); err != nil {
		t.Fatal(err)
	}
	list, err := env.Client.ListPrompts(ctx, &connect.ListPromptsInput{InstanceId: in})
	if err != nil || len(list.PromptSummaryList) != 2 {
		t.Errorf("ListPrompts = %+v, %v", list, err)
	}
	found, err := env.Client.SearchPrompts(ctx, &connect.SearchPromptsInput{InstanceId: in, SearchCriteria: &types.PromptSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("(en)"), ComparisonType: types.StringComparisonTypeContains}}})
	if err != nil || len(found.Prompts) != 1 || *found.Prompts[0].PromptId != *created.PromptId {
		t.Errorf("SearchPrompts = %+v, %v", found, err)
	}
	if _, err := env.Client.DeletePrompt(ctx, &connect.DeletePromptInput{InstanceId: in, PromptId: created.PromptId}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribePrompt(ctx, &connect.DescribePromptInput{InstanceId: in, PromptId: created.PromptId})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestPromptErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{Prompts: 1})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	create := func(name, uri string) error {
		_, err := env.Raw.CreatePrompt(ctx, &connect.CreatePromptInput{InstanceId: in, Name: aws.String(name), S3Uri: aws.String(uri)})
		return err
	}
	for name, err := range map[string]error{
		"not an S3 URI": create("P", "ftp://host/file.wav"),
		"no key":        create("P", "s3://bucket"),
		"no name":       create("", "s3://bucket/a.wav"),
		"long name":     create(strings.Repeat("n", 128), "s3://bucket/a.wav"),
	} {
		t.Run(name, func(t *testing.T) { sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest) })
	}
	if err := create("P", "s3://bucket/a.wav"); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create("Q", "s3://bucket/b.wav"), "LimitExceededException", http.StatusTooManyRequests)
	_, err := env.Raw.GetPromptFile(ctx, &connect.GetPromptFileInput{InstanceId: in, PromptId: aws.String("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.UpdatePrompt(ctx, &connect.UpdatePromptInput{InstanceId: in, PromptId: aws.String("nope"), Name: aws.String("x")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestPromptNamesAreUnique(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := &connect.CreatePromptInput{InstanceId: aws.String(iid), Name: aws.String("Beep"), S3Uri: aws.String("s3://bucket/beep.wav")}
	if _, err := env.Client.CreatePrompt(ctx, in); err != nil {
		t.Fatal(err)
	}
	_, err := env.Raw.CreatePrompt(ctx, in)
	sbtest.APIError(t, err, "DuplicateResourceException", http.StatusConflict)
}
