package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

func fieldName(id *cw.TaskTemplateFieldIdentifier) string {
	if id == nil {
		return ""
	}
	return deref(id.Name)
}

func fieldID(name string) *cw.TaskTemplateFieldIdentifier {
	return &cw.TaskTemplateFieldIdentifier{Name: ref(name)}
}

// templateParams converts the members shared by Create and Update.
func templateParams(name, description, flowID, selfAssignID *string, status cw.TaskTemplateStatus,
	c *cw.TaskTemplateConstraints, d *cw.TaskTemplateDefaults, fields []cw.TaskTemplateField) domain.TaskTemplateParams {
	p := domain.TaskTemplateParams{Name: deref(name), Description: deref(description), ContactFlowID: deref(flowID),
		SelfAssignFlowID: deref(selfAssignID), Status: string(status)}
	if c != nil {
		for _, f := range c.RequiredFields {
			p.Constraints.Required = append(p.Constraints.Required, fieldName(f.Id))
		}
		for _, f := range c.ReadOnlyFields {
			p.Constraints.ReadOnly = append(p.Constraints.ReadOnly, fieldName(f.Id))
		}
		for _, f := range c.InvisibleFields {
			p.Constraints.Invisible = append(p.Constraints.Invisible, fieldName(f.Id))
		}
	}
	if d != nil {
		for _, v := range d.DefaultFieldValues {
			p.Defaults = append(p.Defaults, domain.TaskTemplateDefault{Field: fieldName(v.Id), Value: deref(v.DefaultValue)})
		}
	}
	for _, f := range fields {
		p.Fields = append(p.Fields, domain.TaskTemplateField{Name: fieldName(f.Id), Description: deref(f.Description),
			Type: string(f.Type), SingleSelectOptions: f.SingleSelectOptions})
	}
	return p
}

func constraintsOut(c domain.TaskTemplateConstraints) *cw.TaskTemplateConstraints {
	out := &cw.TaskTemplateConstraints{RequiredFields: []cw.RequiredFieldInfo{}, ReadOnlyFields: []cw.ReadOnlyFieldInfo{}, InvisibleFields: []cw.InvisibleFieldInfo{}}
	for _, n := range c.Required {
		out.RequiredFields = append(out.RequiredFields, cw.RequiredFieldInfo{Id: fieldID(n)})
	}
	for _, n := range c.ReadOnly {
		out.ReadOnlyFields = append(out.ReadOnlyFields, cw.ReadOnlyFieldInfo{Id: fieldID(n)})
	}
	for _, n := range c.Invisible {
		out.InvisibleFields = append(out.InvisibleFields, cw.InvisibleFieldInfo{Id: fieldID(n)})
	}
	return out
}

func defaultsOut(ds []domain.TaskTemplateDefault) *cw.TaskTemplateDefaults {
	out := &cw.TaskTemplateDefaults{DefaultFieldValues: []cw.TaskTemplateDefaultFieldValue{}}
	for _, d := range ds {
		out.DefaultFieldValues = append(out.DefaultFieldValues, cw.TaskTemplateDefaultFieldValue{Id: fieldID(d.Field), DefaultValue: ref(d.Value)})
	}
	return out
}

func fieldsOut(fs []domain.TaskTemplateField) []cw.TaskTemplateField {
	out := make([]cw.TaskTemplateField, 0, len(fs))
	for _, f := range fs {
		out = append(out, cw.TaskTemplateField{Id: fieldID(f.Name), Description: ptr(f.Description),
			Type: cw.TaskTemplateFieldType(f.Type), SingleSelectOptions: f.SingleSelectOptions})
	}
	return out
}

// CreateTaskTemplate handles the operation of the same name.
func (h *Handlers) CreateTaskTemplate(ctx context.Context, in *cw.CreateTaskTemplateRequest) (*cw.CreateTaskTemplateResponse, error) {
	p := templateParams(in.Name, in.Description, in.ContactFlowId, in.SelfAssignFlowId, in.Status, in.Constraints, in.Defaults, in.Fields)
	p.ClientToken = deref(in.ClientToken)
	t, err := h.svc.CreateTaskTemplate(ctx, deref(in.InstanceId), p)
	if err != nil {
		return nil, err
	}
	return &cw.CreateTaskTemplateResponse{Id: ref(t.ID), Arn: ref(t.Arn)}, nil
}

// GetTaskTemplate handles the operation of the same name. Switchboard keeps
// no template snapshots, so SnapshotVersion is not used.
func (h *Handlers) GetTaskTemplate(ctx context.Context, in *cw.GetTaskTemplateRequest) (*cw.GetTaskTemplateResponse, error) {
	t, err := h.svc.GetTaskTemplate(ctx, deref(in.InstanceId), deref(in.TaskTemplateId))
	if err != nil {
		return nil, err
	}
	return &cw.GetTaskTemplateResponse{
		InstanceId: ref(t.InstanceID), Id: ref(t.ID), Arn: ref(t.Arn), Name: ref(t.Name), Description: ptr(t.Description),
		ContactFlowId: ptr(t.ContactFlowID), SelfAssignFlowId: ptr(t.SelfAssignFlowID), Constraints: constraintsOut(t.Constraints),
		Defaults: defaultsOut(t.Defaults), Fields: fieldsOut(t.Fields), Status: cw.TaskTemplateStatus(t.Status),
		LastModifiedTime: wtime(t.LastModifiedTime), CreatedTime: wtime(t.CreatedTime), Tags: t.Tags,
	}, nil
}

// ListTaskTemplates handles the operation of the same name.
func (h *Handlers) ListTaskTemplates(ctx context.Context, in *cw.ListTaskTemplatesRequest) (*cw.ListTaskTemplatesResponse, error) {
	list, next, err := h.svc.ListTaskTemplates(ctx, deref(in.InstanceId), string(in.Status), deref(in.Name), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListTaskTemplatesResponse{NextToken: ptr(next), TaskTemplates: []cw.TaskTemplateMetadata{}}
	for _, t := range list {
		out.TaskTemplates = append(out.TaskTemplates, cw.TaskTemplateMetadata{
			Id: ref(t.ID), Arn: ref(t.Arn), Name: ref(t.Name), Description: ptr(t.Description), Status: cw.TaskTemplateStatus(t.Status),
			LastModifiedTime: wtime(t.LastModifiedTime), CreatedTime: wtime(t.CreatedTime),
		})
	}
	return out, nil
}

// UpdateTaskTemplate handles the operation of the same name.
func (h *Handlers) UpdateTaskTemplate(ctx context.Context, in *cw.UpdateTaskTemplateRequest) (*cw.UpdateTaskTemplateResponse, error) {
	p := templateParams(in.Name, in.Description, in.ContactFlowId, in.SelfAssignFlowId, in.Status, in.Constraints, in.Defaults, in.Fields)
	t, err := h.svc.UpdateTaskTemplate(ctx, deref(in.InstanceId), deref(in.TaskTemplateId), p)
	if err != nil {
		return nil, err
	}
	return &cw.UpdateTaskTemplateResponse{
		InstanceId: ref(t.InstanceID), Id: ref(t.ID), Arn: ref(t.Arn), Name: ref(t.Name), Description: ptr(t.Description),
		ContactFlowId: ptr(t.ContactFlowID), SelfAssignFlowId: ptr(t.SelfAssignFlowID), Constraints: constraintsOut(t.Constraints),
		Defaults: defaultsOut(t.Defaults), Fields: fieldsOut(t.Fields), Status: cw.TaskTemplateStatus(t.Status),
		LastModifiedTime: wtime(t.LastModifiedTime), CreatedTime: wtime(t.CreatedTime),
	}, nil
}

// DeleteTaskTemplate handles the operation of the same name.
func (h *Handlers) DeleteTaskTemplate(ctx context.Context, in *cw.DeleteTaskTemplateRequest) (*cw.DeleteTaskTemplateResponse, error) {
	if err := h.svc.DeleteTaskTemplate(ctx, deref(in.InstanceId), deref(in.TaskTemplateId)); err != nil {
		return nil, err
	}
	return &cw.DeleteTaskTemplateResponse{}, nil
}
