package awsapi_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func ttField(name string, typ types.TaskTemplateFieldType, options ...string) types.TaskTemplateField {
	return types.TaskTemplateField{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String(name)}, Type: typ, SingleSelectOptions: options}
}

func ttRequired(names ...string) *types.TaskTemplateConstraints {
	c := &types.TaskTemplateConstraints{}
	for _, n := range names {
		c.RequiredFields = append(c.RequiredFields, types.RequiredFieldInfo{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String(n)}})
	}
	return c
}

// ttInput is a valid template: a NAME field, required, and a flow.
func ttInput(iid, name, flow string) *connect.CreateTaskTemplateInput {
	return &connect.CreateTaskTemplateInput{InstanceId: aws.String(iid), Name: aws.String(name), ContactFlowId: aws.String(flow),
		Fields:      []types.TaskTemplateField{ttField("Title", types.TaskTemplateFieldTypeName), ttField("Priority", types.TaskTemplateFieldTypeSingleSelect, "low", "high")},
		Constraints: ttRequired("Title")}
}

func TestTaskTemplateLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	flow := resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)
	in := ttInput(iid, "Callback", flow)
	in.Description = aws.String("call the customer back")
	in.Defaults = &types.TaskTemplateDefaults{DefaultFieldValues: []types.TaskTemplateDefaultFieldValue{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Priority")}, DefaultValue: aws.String("low")}}}
	in.Constraints.ReadOnlyFields = []types.ReadOnlyFieldInfo{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Priority")}}}
	created, err := env.Client.CreateTaskTemplate(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(*created.Arn, ":instance/"+iid+"/task-template/"+*created.Id) {
		t.Errorf("ARN %s", *created.Arn)
	}
	g, err := env.Client.GetTaskTemplate(ctx, &connect.GetTaskTemplateInput{InstanceId: aws.String(iid), TaskTemplateId: created.Id})
	if err != nil {
		t.Fatal(err)
	}
	if *g.Name != "Callback" || *g.Description != "call the customer back" || *g.ContactFlowId != flow || g.Status != types.TaskTemplateStatusActive ||
		len(g.Fields) != 2 || len(g.Fields[1].SingleSelectOptions) != 2 || *g.Constraints.RequiredFields[0].Id.Name != "Title" ||
		*g.Constraints.ReadOnlyFields[0].Id.Name != "Priority" || *g.Defaults.DefaultFieldValues[0].DefaultValue != "low" ||
		*g.InstanceId != iid || !g.CreatedTime.Equal(sbtest.Start) {
		t.Errorf("Get = %+v", g)
	}

	// Update replaces the content; Status switches the template off.
	up, err := env.Client.UpdateTaskTemplate(ctx, &connect.UpdateTaskTemplateInput{InstanceId: aws.String(iid), TaskTemplateId: created.Id,
		Name: aws.String("Callback v2"), ContactFlowId: aws.String(flow), Status: types.TaskTemplateStatusInactive,
		Fields: []types.TaskTemplateField{ttField("Subject", types.TaskTemplateFieldTypeName)}, Constraints: ttRequired("Subject")})
	if err != nil {
		t.Fatal(err)
	}
	if *up.Name != "Callback v2" || up.Status != types.TaskTemplateStatusInactive || len(up.Fields) != 1 || up.Description != nil || len(up.Defaults.DefaultFieldValues) != 0 {
		t.Errorf("Update = %+v", up)
	}

	for _, n := range []string{"Second", "Third"} {
		if _, err := env.Client.CreateTaskTemplate(ctx, ttInput(iid, n, flow)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		in   connect.ListTaskTemplatesInput
		want int
	}{
		{"all", connect.ListTaskTemplatesInput{}, 3},
		{"active", connect.ListTaskTemplatesInput{Status: types.TaskTemplateStatusActive}, 2},
		{"inactive", connect.ListTaskTemplatesInput{Status: types.TaskTemplateStatusInactive}, 1},
		{"by name", connect.ListTaskTemplatesInput{Name: aws.String("Third")}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.InstanceId, in.MaxResults = aws.String(iid), aws.Int32(1)
			n := 0
			p := connect.NewListTaskTemplatesPaginator(env.Client, &in)
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				n += len(page.TaskTemplates)
			}
			if n != tc.want {
				t.Errorf("listed %d, want %d", n, tc.want)
			}
		})
	}

	// The flow a template uses cannot be deleted.
	mine := resFlow(t, env, iid, "Task flow", types.ContactFlowTypeContactFlow)
	if _, err := env.Client.CreateTaskTemplate(ctx, ttInput(iid, "Uses mine", mine)); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DeleteContactFlow(ctx, &connect.DeleteContactFlowInput{InstanceId: aws.String(iid), ContactFlowId: aws.String(mine)})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)

	if _, err := env.Client.DeleteTaskTemplate(ctx, &connect.DeleteTaskTemplateInput{InstanceId: aws.String(iid), TaskTemplateId: created.Id}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.GetTaskTemplate(ctx, &connect.GetTaskTemplateInput{InstanceId: aws.String(iid), TaskTemplateId: created.Id})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestTaskTemplateErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{TaskTemplates: 2})
	ctx := sbtest.Ctx(t)
	flow := resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)
	existing, err := env.Client.CreateTaskTemplate(ctx, ttInput(iid, "Existing", flow))
	if err != nil {
		t.Fatal(err)
	}
	variant := func(change func(in *connect.CreateTaskTemplateInput)) func() error {
		return func() error {
			in := ttInput(iid, "x", flow)
			change(in)
			_, err := env.Raw.CreateTaskTemplate(ctx, in)
			return err
		}
	}
	const prop = "PropertyValidationException"
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"unknown flow", variant(func(in *connect.CreateTaskTemplateInput) { in.ContactFlowId = aws.String("nope") }), "ResourceNotFoundException", 404},
		{"unknown self-assign flow", variant(func(in *connect.CreateTaskTemplateInput) { in.SelfAssignFlowId = aws.String("nope") }), "ResourceNotFoundException", 404},
		{"duplicate field names", variant(func(in *connect.CreateTaskTemplateInput) {
			in.Fields = append(in.Fields, ttField("Title", types.TaskTemplateFieldTypeText))
		}), prop, 400},
		{"no NAME field", variant(func(in *connect.CreateTaskTemplateInput) {
			in.Fields = []types.TaskTemplateField{ttField("Title", types.TaskTemplateFieldTypeText)}
		}), prop, 400},
		{"NAME field not required", variant(func(in *connect.CreateTaskTemplateInput) { in.Constraints = nil }), prop, 400},
		{"constraint on unknown field", variant(func(in *connect.CreateTaskTemplateInput) { in.Constraints = ttRequired("Title", "Ghost") }), prop, 400},
		{"default for unknown field", variant(func(in *connect.CreateTaskTemplateInput) {
			in.Defaults = &types.TaskTemplateDefaults{DefaultFieldValues: []types.TaskTemplateDefaultFieldValue{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Ghost")}, DefaultValue: aws.String("v")}}}
		}), prop, 400},
		{"default not an option", variant(func(in *connect.CreateTaskTemplateInput) {
			in.Defaults = &types.TaskTemplateDefaults{DefaultFieldValues: []types.TaskTemplateDefaultFieldValue{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Priority")}, DefaultValue: aws.String("urgent")}}}
		}), prop, 400},
		{"single select without options", variant(func(in *connect.CreateTaskTemplateInput) { in.Fields[1].SingleSelectOptions = nil }), prop, 400},
		{"no flow and no quick connect field", variant(func(in *connect.CreateTaskTemplateInput) { in.ContactFlowId = nil }), prop, 400},
		{"bad status enum", variant(func(in *connect.CreateTaskTemplateInput) { in.Status = "ARCHIVED" }), "InvalidParameterException", 400},
		{"bad field type enum", variant(func(in *connect.CreateTaskTemplateInput) { in.Fields[1].Type = "COLOR" }), "InvalidParameterException", 400},
		{"name too long", variant(func(in *connect.CreateTaskTemplateInput) { in.Name = aws.String(strings.Repeat("t", 101)) }), "InvalidParameterException", 400},
		{"missing fields", variant(func(in *connect.CreateTaskTemplateInput) { in.Fields = nil }), "InvalidParameterException", 400},
		{"get unknown", func() error {
			_, err := env.Client.GetTaskTemplate(ctx, &connect.GetTaskTemplateInput{InstanceId: aws.String(iid), TaskTemplateId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"list bad status", func() error {
			_, err := env.Raw.ListTaskTemplates(ctx, &connect.ListTaskTemplatesInput{InstanceId: aws.String(iid), Status: "ARCHIVED"})
			return err
		}, "InvalidParameterException", 400},
		{"list MaxResults over 100", func() error {
			_, err := env.Raw.ListTaskTemplates(ctx, &connect.ListTaskTemplatesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(101)})
			return err
		}, "InvalidParameterException", 400},
		{"update breaks constraints", func() error {
			_, err := env.Client.UpdateTaskTemplate(ctx, &connect.UpdateTaskTemplateInput{InstanceId: aws.String(iid), TaskTemplateId: existing.Id,
				ContactFlowId: aws.String(flow), Fields: []types.TaskTemplateField{ttField("Title", types.TaskTemplateFieldTypeName)}, Constraints: ttRequired("Gone")})
			return err
		}, prop, 400},
		{"update unknown", func() error {
			_, err := env.Client.UpdateTaskTemplate(ctx, &connect.UpdateTaskTemplateInput{InstanceId: aws.String(iid), TaskTemplateId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"update bad status", func() error {
			_, err := env.Raw.UpdateTaskTemplate(ctx, &connect.UpdateTaskTemplateInput{InstanceId: aws.String(iid), TaskTemplateId: existing.Id, Status: "OFF"})
			return err
		}, "InvalidParameterException", 400},
		{"delete unknown", func() error {
			_, err := env.Client.DeleteTaskTemplate(ctx, &connect.DeleteTaskTemplateInput{InstanceId: aws.String(iid), TaskTemplateId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"delete id too long", func() error {
			_, err := env.Raw.DeleteTaskTemplate(ctx, &connect.DeleteTaskTemplateInput{InstanceId: aws.String(iid), TaskTemplateId: aws.String(strings.Repeat("t", 600))})
			return err
		}, "InvalidParameterException", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
	if _, err := env.Client.CreateTaskTemplate(ctx, ttInput(iid, "Second", flow)); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.CreateTaskTemplate(ctx, ttInput(iid, "Third", flow))
	sbtest.APIError(t, err, "ServiceQuotaExceededException", http.StatusPaymentRequired)
}

// TestTaskTemplatePropertyList checks that PropertyValidationException
// reaches the SDK as its typed error with the offending property listed.
func TestTaskTemplatePropertyList(t *testing.T) {
	t.Parallel()
	env := sbtest.New(t)
	ctx := sbtest.Ctx(t)
	iid := env.Instance(t)
	flows, err := env.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: aws.String(iid), ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil {
		t.Fatal(err)
	}
	in := ttInput(iid, "x", *flows.ContactFlowSummaryList[0].Id)
	in.Constraints = ttRequired("Title", "Ghost")
	_, err = env.Raw.CreateTaskTemplate(ctx, in)
	var pe *types.PropertyValidationException
	if !errors.As(err, &pe) {
		t.Fatalf("want *types.PropertyValidationException, got %v", err)
	}
	if len(pe.PropertyList) != 1 || aws.ToString(pe.PropertyList[0].PropertyPath) != "Constraints.RequiredFields" ||
		pe.PropertyList[0].Reason != types.PropertyValidationExceptionReasonReferencedResourceNotFound ||
		!strings.Contains(aws.ToString(pe.PropertyList[0].Message), "Ghost") {
		t.Fatalf("PropertyList = %+v", pe.PropertyList)
	}
}
