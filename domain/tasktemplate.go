package domain

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrPropertyValidation is the exception task template operations raise for
// a field, constraint or default that is not valid.
const ErrPropertyValidation ErrorCode = "PropertyValidationException"

// TaskTemplateParams are the inputs of CreateTaskTemplate and, as a full
// replacement (the operation does not update partially),
// UpdateTaskTemplate. On update an empty Name or Status keeps the current
// value, since a template cannot be without either.
type TaskTemplateParams struct {
	ClientToken       string
	Name, Description string
	ContactFlowID     string
	SelfAssignFlowID  string
	Status            string
	Constraints       TaskTemplateConstraints
	Defaults          []TaskTemplateDefault
	Fields            []TaskTemplateField
	Tags              map[string]string
}

// maxTemplateFields is Connect's (non-adjustable) quota of fields per
// template.
const maxTemplateFields = 50

// checkTemplate applies the rules the model states only in prose: field
// names are unique, exactly one field is of type NAME and it is required,
// constraints and defaults name existing fields, single-select fields have
// options (and defaults among them), and the template has a flow or a
// QUICK_CONNECT field to route the task.
func checkTemplate(t *TaskTemplate) error {
	bad := func(path, reason, format string, args ...any) error {
		e := Errorf(ErrPropertyValidation, format, args...)
		e.Properties = []PropertyProblem{{Path: path, Reason: reason, Message: e.Message}}
		return e
	}
	if t.Status != "ACTIVE" && t.Status != "INACTIVE" {
		return Errorf(ErrInvalidParameter, "Status %q is not valid; use ACTIVE or INACTIVE.", clip(t.Status, 32))
	}
	if len(t.Fields) > maxTemplateFields {
		return Errorf(ErrQuotaExceeded, "The template has %d fields; a template holds at most %d.", len(t.Fields), maxTemplateFields)
	}
	byName := map[string]*TaskTemplateField{}
	var nameFields []string
	hasQuickConnect := false
	for i := range t.Fields {
		f := &t.Fields[i]
		if f.Name == "" {
			return bad(fmt.Sprintf("Fields[%d].Id.Name", i), "REQUIRED_PROPERTY_MISSING", "Fields[%d] has no Id.Name; every field needs a name.", i)
		}
		if byName[f.Name] != nil {
			return bad("Fields", "UNIQUE_CONSTRAINT_VIOLATED", "Fields has two fields named %q; field names must be unique.", f.Name)
		}
		byName[f.Name] = f
		switch f.Type {
		case "NAME":
			nameFields = append(nameFields, f.Name)
		case "QUICK_CONNECT":
			hasQuickConnect = true
		case "SINGLE_SELECT":
			if len(f.SingleSelectOptions) == 0 {
				return bad("Fields", "REQUIRED_PROPERTY_MISSING", "Field %q is SINGLE_SELECT but has no SingleSelectOptions; list the options.", f.Name)
			}
		}
		if f.Type != "SINGLE_SELECT" && len(f.SingleSelectOptions) > 0 {
			return bad("Fields", "TYPE_MISMATCH", "Field %q has SingleSelectOptions but is of type %q; options belong to SINGLE_SELECT fields.", f.Name, f.Type)
		}
	}
	if len(nameFields) != 1 {
		return bad("Fields", "INVALID_FORMAT", "The template has %d fields of type NAME (%s); it needs exactly one.", len(nameFields), strings.Join(nameFields, ", "))
	}
	if t.ContactFlowID == "" && !hasQuickConnect {
		return bad("ContactFlowId", "REQUIRED_PROPERTY_MISSING", "The template has neither a ContactFlowId nor a QUICK_CONNECT field; give one so tasks can be routed.")
	}
	for _, c := range []struct {
		member string
		names  []string
	}{{"RequiredFields", t.Constraints.Required}, {"ReadOnlyFields", t.Constraints.ReadOnly}, {"InvisibleFields", t.Constraints.Invisible}} {
		for _, n := range c.names {
			if byName[n] == nil {
				return bad("Constraints."+c.member, "REFERENCED_RESOURCE_NOT_FOUND", "Constraints.%s names field %q, which is not in Fields.", c.member, n)
			}
		}
	}
	if !slices.Contains(t.Constraints.Required, nameFields[0]) {
		return bad("Constraints.RequiredFields", "REQUIRED_PROPERTY_MISSING", "The NAME field %q must be listed in Constraints.RequiredFields.", nameFields[0])
	}
	seen := map[string]bool{}
	for _, d := range t.Defaults {
		f := byName[d.Field]
		if f == nil {
			return bad("Defaults", "REFERENCED_RESOURCE_NOT_FOUND", "Defaults names field %q, which is not in Fields.", d.Field)
		}
		if seen[d.Field] {
			return bad("Defaults", "UNIQUE_CONSTRAINT_VIOLATED", "Defaults gives field %q two default values.", d.Field)
		}
		seen[d.Field] = true
		if f.Type == "SINGLE_SELECT" && !slices.Contains(f.SingleSelectOptions, d.Value) {
			return bad("Defaults", "INVALID_FORMAT", "The default %q of field %q is not one of its SingleSelectOptions.", d.Value, d.Field)
		}
	}
	return nil
}

// checkTemplateFlows checks that the flows a template names exist.
func checkTemplateFlows(tx ReadTx, iid string, t *TaskTemplate) error {
	if t.ContactFlowID != "" {
		if err := exists(tx, KindContactFlow, iid, t.ContactFlowID, "ContactFlowId"); err != nil {
			return err
		}
	}
	if t.SelfAssignFlowID != "" {
		if err := exists(tx, KindContactFlow, iid, t.SelfAssignFlowID, "SelfAssignFlowId"); err != nil {
			return err
		}
	}
	return nil
}

// CreateTaskTemplate creates a task template (ACTIVE unless Status says so).
func (s *Service) CreateTaskTemplate(ctx context.Context, instanceID string, p TaskTemplateParams) (*TaskTemplate, error) {
	if p.Status == "" {
		p.Status = "ACTIVE"
	}
	t := &TaskTemplate{Name: p.Name, Description: p.Description, ContactFlowID: idFromARN(p.ContactFlowID, "contact-flow"),
		SelfAssignFlowID: idFromARN(p.SelfAssignFlowID, "contact-flow"), Status: p.Status, Constraints: p.Constraints,
		Defaults: p.Defaults, Fields: p.Fields, Tags: p.Tags}
	if err := checkTemplate(t); err != nil {
		return nil, err
	}
	tok := newClientToken("CreateTaskTemplate", p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		now := s.now()
		id := s.newID()
		found, err := claimOrReplay[TaskTemplate](s, tx, KindTaskTemplate, iid, tok, id, now)
		if err != nil {
			return err
		}
		if found != nil {
			t = found
			return nil
		}
		if err := checkQuota(tx, KindTaskTemplate, iid, s.quotas.TaskTemplates, ErrQuotaExceeded, "task-templates"); err != nil {
			return err
		}
		if err := checkTemplateFlows(tx, iid, t); err != nil {
			return err
		}
		t.ID, t.InstanceID, t.CreatedTime, t.LastModifiedTime = id, iid, now, now
		t.Arn = s.newARN(KindTaskTemplate, iid, t.ID)
		return save(tx, KindTaskTemplate, iid, t, now, now)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// GetTaskTemplate returns a task template by ID or ARN.
func (s *Service) GetTaskTemplate(ctx context.Context, instanceID, templateID string) (*TaskTemplate, error) {
	return describe[TaskTemplate](s, ctx, KindTaskTemplate, instanceID, templateID)
}

// ListTaskTemplates pages through the templates with the given status and
// name ("" matches any).
func (s *Service) ListTaskTemplates(ctx context.Context, instanceID, status, name string, page Page) ([]TaskTemplate, string, error) {
	keep := func(t *TaskTemplate) bool {
		return (status == "" || t.Status == status) && (name == "" || t.Name == name)
	}
	return listIn(s, ctx, KindTaskTemplate, instanceID, page, keep)
}

// UpdateTaskTemplate replaces a template's content.
func (s *Service) UpdateTaskTemplate(ctx context.Context, instanceID, templateID string, p TaskTemplateParams) (*TaskTemplate, error) {
	return modify(s, ctx, KindTaskTemplate, instanceID, templateID, func(tx Tx, iid string, now time.Time, t *TaskTemplate) error {
		next := *t
		if p.Name != "" {
			next.Name = p.Name
		}
		if p.Status != "" {
			next.Status = p.Status
		}
		next.Description, next.Constraints, next.Defaults, next.Fields = p.Description, p.Constraints, p.Defaults, p.Fields
		next.ContactFlowID = idFromARN(p.ContactFlowID, "contact-flow")
		next.SelfAssignFlowID = idFromARN(p.SelfAssignFlowID, "contact-flow")
		if err := checkTemplate(&next); err != nil {
			return err
		}
		if err := checkTemplateFlows(tx, iid, &next); err != nil {
			return err
		}
		next.LastModifiedTime = now
		*t = next
		return nil
	})
}

// DeleteTaskTemplate deletes a task template.
func (s *Service) DeleteTaskTemplate(ctx context.Context, instanceID, templateID string) error {
	return s.remove(ctx, KindTaskTemplate, instanceID, templateID, nil)
}
