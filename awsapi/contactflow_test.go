package awsapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

const resBadFlow = `{"Version":"2019-10-30","StartAction":"nope","Actions":[]}`

// resInvalidFlow asserts an InvalidContactFlowException (400) carrying
// problems. The model gives this exception no Message member, only
// problems, so the SDK's ErrorMessage is always empty and sbtest.APIError
// does not fit.
func resInvalidFlow(t *testing.T, err error) []types.ProblemDetail {
	t.Helper()
	return resProblems(t, err, func(e *types.InvalidContactFlowException) []types.ProblemDetail { return e.Problems })
}

// resProblems asserts an error of type E, status 400, that lists problems
// (problems reads them), and returns them.
func resProblems[E error](t *testing.T, err error, problems func(E) []types.ProblemDetail) []types.ProblemDetail {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("expected %T, got %v", e, err)
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != http.StatusBadRequest {
		t.Errorf("status %d, want 400", re.HTTPStatusCode())
	}
	ps := problems(e)
	if len(ps) == 0 || aws.ToString(ps[0].Message) == "" {
		t.Fatalf("no problems reported: %+v", ps)
	}
	return ps
}

func TestContactFlowLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	created, err := env.Client.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: aws.String(iid), Name: aws.String("Main"),
		Type: types.ContactFlowTypeContactFlow, Description: aws.String("entry"), Content: aws.String(resFlowContent), Tags: map[string]string{"a": "b"}})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(resFlowContent))
	if *created.FlowContentSha256 != hex.EncodeToString(sum[:]) {
		t.Errorf("FlowContentSha256 = %s", *created.FlowContentSha256)
	}
	id := *created.ContactFlowId
	describe := func(ref string) *types.ContactFlow {
		t.Helper()
		d, err := env.Client.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(ref)})
		if err != nil {
			t.Fatalf("DescribeContactFlow %s: %v", ref, err)
		}
		return d.ContactFlow
	}
	f := describe(id)
	if *f.Name != "Main" || *f.Description != "entry" || *f.Content != resFlowContent || f.State != types.ContactFlowStateActive ||
		f.Status != types.ContactFlowStatusPublished || f.Type != types.ContactFlowTypeContactFlow || *f.Version != 1 ||
		*f.FlowContentSha256 != *created.FlowContentSha256 || f.Tags["a"] != "b" || !f.LastModifiedTime.Equal(sbtest.Start) ||
		!strings.HasSuffix(*f.Arn, ":instance/"+iid+"/contact-flow/"+id) {
		t.Errorf("Describe = %+v", f)
	}
	for _, ref := range []string{id + ":$SAVED", id + ":$LATEST", id + ":1", *f.Arn, *f.Arn + ":$SAVED"} {
		if got := describe(ref); *got.Id != id {
			t.Errorf("Describe %s = %s", ref, *got.Id)
		}
	}
	_, err = env.Client.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(id + ":7")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	// New content makes a new version; invalid content is refused with its problems.
	next := strings.Replace(resFlowContent, `"end"`, `"bye"`, 2)
	if _, err := env.Client.UpdateContactFlowContent(ctx, &connect.UpdateContactFlowContentInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(id), Content: aws.String(next)}); err != nil {
		t.Fatal(err)
	}
	if f := describe(id); *f.Content != next || *f.Version != 2 {
		t.Errorf("after content update: version %d content %s", *f.Version, *f.Content)
	}
	_, err = env.Client.UpdateContactFlowContent(ctx, &connect.UpdateContactFlowContentInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(id), Content: aws.String(resBadFlow)})
	resInvalidFlow(t, err)

	if _, err := env.Client.UpdateContactFlowMetadata(ctx, &connect.UpdateContactFlowMetadataInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(id),
		Name: aws.String("Main v2"), ContactFlowState: types.ContactFlowStateArchived}); err != nil {
		t.Fatal(err)
	}
	if f := describe(id); *f.Name != "Main v2" || f.State != types.ContactFlowStateArchived || *f.Description != "entry" {
		t.Errorf("after metadata update: %+v", f)
	}
	if _, err := env.Client.UpdateContactFlowName(ctx, &connect.UpdateContactFlowNameInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(id),
		Description: aws.String("new")}); err != nil {
		t.Fatal(err)
	}
	if f := describe(id); *f.Name != "Main v2" || *f.Description != "new" {
		t.Errorf("after name update: %+v", f)
	}
	if _, err := env.Client.DeleteContactFlow(ctx, &connect.DeleteContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(id)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestContactFlowSavedSkipsValidation(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	out, err := env.Client.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: aws.String(iid), Name: aws.String("Draft"),
		Type: types.ContactFlowTypeContactFlow, Content: aws.String(resBadFlow), Status: types.ContactFlowStatusSaved})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.UpdateContactFlowContent(ctx, &connect.UpdateContactFlowContentInput{InstanceId: aws.String(iid), ContactFlowId: out.ContactFlowId, Content: aws.String(`{"still":"draft"}`)}); err != nil {
		t.Fatal(err)
	}
	d, err := env.Client.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(*out.ContactFlowId + ":$SAVED")})
	if err != nil {
		t.Fatal(err)
	}
	if d.ContactFlow.Status != types.ContactFlowStatusSaved || *d.ContactFlow.Content != `{"still":"draft"}` {
		t.Errorf("saved flow = %+v", d.ContactFlow)
	}
}

func TestContactFlowInvalidContentProblems(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	_, err := env.Client.CreateContactFlow(sbtest.Ctx(t), &connect.CreateContactFlowInput{InstanceId: aws.String(iid), Name: aws.String("Bad"),
		Type: types.ContactFlowTypeContactFlow, Content: aws.String(resBadFlow)})
	if problems := resInvalidFlow(t, err); len(problems) < 2 {
		t.Errorf("problems = %+v; the empty Actions and the dangling StartAction are two", problems)
	}
}

func TestDefaultFlowsProvisioned(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	byType := map[types.ContactFlowType]int{}
	var inbound string
	p := connect.NewListContactFlowsPaginator(env.Client, &connect.ListContactFlowsInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.ContactFlowSummaryList {
			byType[s.ContactFlowType]++
			if *s.Name == domain.DefaultInboundFlowName {
				inbound = *s.Id
			}
			if s.ContactFlowState != types.ContactFlowStateActive || s.ContactFlowStatus != types.ContactFlowStatusPublished {
				t.Errorf("default flow %s is %s/%s", *s.Name, s.ContactFlowState, s.ContactFlowStatus)
			}
		}
	}
	for _, typ := range []types.ContactFlowType{"CONTACT_FLOW", "CUSTOMER_QUEUE", "CUSTOMER_HOLD", "CUSTOMER_WHISPER", "AGENT_HOLD", "AGENT_WHISPER", "OUTBOUND_WHISPER", "AGENT_TRANSFER", "QUEUE_TRANSFER"} {
		if byType[typ] != 1 {
			t.Errorf("%d default flows of type %s, want 1", byType[typ], typ)
		}
	}
	if inbound == "" {
		t.Fatal("no default inbound flow")
	}
	d, err := env.Client.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(inbound)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(*d.ContactFlow.Content, "TransferContactToQueue") {
		t.Errorf("inbound flow content %s", *d.ContactFlow.Content)
	}
	// Filtered listing.
	out, err := env.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: aws.String(iid),
		ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeAgentHold, types.ContactFlowTypeCustomerHold}})
	if err != nil || len(out.ContactFlowSummaryList) != 2 {
		t.Errorf("filtered list: %v %d", err, len(out.ContactFlowSummaryList))
	}
	// Default flows cannot be deleted.
	_, err = env.Client.DeleteContactFlow(ctx, &connect.DeleteContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(inbound)})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
}

func TestContactFlowErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{ContactFlows: 11})
	ctx := sbtest.Ctx(t)
	existing := resFlow(t, env, iid, "Taken", types.ContactFlowTypeContactFlow)
	create := func(c *connect.Client, name string, typ types.ContactFlowType, content string) error {
		_, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: aws.String(iid), Name: aws.String(name), Type: typ, Content: aws.String(content)})
		return err
	}
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"duplicate name", func() error { return create(env.Client, "Taken", types.ContactFlowTypeContactFlow, resFlowContent) }, "DuplicateResourceException", 409},
		{"bad type enum", func() error { return create(env.Raw, "x", "SOMETHING", resFlowContent) }, "InvalidParameterException", 400},
		{"missing content", func() error {
			_, err := env.Raw.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: aws.String(iid), Name: aws.String("x"), Type: types.ContactFlowTypeContactFlow})
			return err
		}, "InvalidParameterException", 400},
		{"unknown instance", func() error {
			_, err := env.Client.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: aws.String("nope"), Name: aws.String("x"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(resFlowContent)})
			return err
		}, "ResourceNotFoundException", 404},
		{"describe unknown", func() error {
			_, err := env.Client.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"describe bad qualifier", func() error {
			_, err := env.Client.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(existing + ":$PUBLISHED")})
			return err
		}, "InvalidParameterException", 400},
		{"list bad type", func() error {
			_, err := env.Raw.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: aws.String(iid), ContactFlowTypes: []types.ContactFlowType{"NOPE"}})
			return err
		}, "InvalidParameterException", 400},
		{"content missing", func() error {
			_, err := env.Raw.UpdateContactFlowContent(ctx, &connect.UpdateContactFlowContentInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(existing)})
			return err
		}, "InvalidParameterException", 400},
		{"content unknown flow", func() error {
			_, err := env.Client.UpdateContactFlowContent(ctx, &connect.UpdateContactFlowContentInput{InstanceId: aws.String(iid), ContactFlowId: aws.String("nope"), Content: aws.String(resFlowContent)})
			return err
		}, "ResourceNotFoundException", 404},
		{"metadata bad state", func() error {
			_, err := env.Raw.UpdateContactFlowMetadata(ctx, &connect.UpdateContactFlowMetadataInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(existing), ContactFlowState: "DELETED"})
			return err
		}, "InvalidParameterException", 400},
		{"metadata taken name", func() error {
			_, err := env.Client.UpdateContactFlowMetadata(ctx, &connect.UpdateContactFlowMetadataInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(existing), Name: aws.String(domain.DefaultInboundFlowName)})
			return err
		}, "DuplicateResourceException", 409},
		{"name taken", func() error {
			_, err := env.Client.UpdateContactFlowName(ctx, &connect.UpdateContactFlowNameInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(existing), Name: aws.String(domain.DefaultInboundFlowName)})
			return err
		}, "DuplicateResourceException", 409},
		{"name empty", func() error {
			_, err := env.Raw.UpdateContactFlowName(ctx, &connect.UpdateContactFlowNameInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(existing), Name: aws.String("")})
			return err
		}, "InvalidParameterException", 400},
		{"delete unknown", func() error {
			_, err := env.Client.DeleteContactFlow(ctx, &connect.DeleteContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"delete id too long", func() error {
			_, err := env.Raw.DeleteContactFlow(ctx, &connect.DeleteContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(strings.Repeat("f", 501))})
			return err
		}, "InvalidParameterException", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
	resInvalidFlow(t, create(env.Client, "x", types.ContactFlowTypeContactFlow, "not json"))
	// Nine default flows and Taken: one more fits the quota of 11.
	if err := create(env.Client, "eleventh", types.ContactFlowTypeContactFlow, resFlowContent); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create(env.Client, "twelfth", types.ContactFlowTypeContactFlow, resFlowContent), "LimitExceededException", http.StatusTooManyRequests)
}
