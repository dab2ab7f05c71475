package domain

import (
	"encoding/json"
	"fmt"
)

// The AWS managed views. Connect ships its own templates for these; the
// templates here are Switchboard's, small and renderable, with the same
// names and ARNs (arn:aws:connect:{region}:aws:view/{name}) so that flows
// written against Connect find them. They declare no actions: ShowView
// takes whatever action the user chose as its result, so a flow's
// conditions on Connect's action names work unchanged.

// managedViewTemplates are the managed views by name (the last part of
// their ARN), each a template of one component of that kind.
var managedViewTemplates = []struct{ name, title, component string }{
	{"cards", "Cards", "Cards"},
	{"confirmation", "Confirmation", "Confirmation"},
	{"detail", "Detail", "Detail"},
	{"form", "Form", "Form"},
	{"list", "List", "List"},
}

// managedViewARN is a managed view's ARN: account "aws", no instance.
func (s *Service) managedViewARN(name string) string {
	return fmt.Sprintf("arn:aws:connect:%s:aws:view/%s", s.cfg.Region, name)
}

// managedViews returns the managed views, sorted by name.
func (s *Service) managedViews() []View {
	out := make([]View, 0, len(managedViewTemplates))
	for _, m := range managedViewTemplates {
		tpl, _ := json.Marshal(map[string]any{
			"Head": map[string]any{"Title": "$.Heading"},
			"Body": []any{map[string]any{"_id": m.name, "Type": m.component, "Props": "$.Props"}},
		})
		c := ViewContent{Template: string(tpl), InputSchema: viewInputSchemaOf(string(tpl))}
		arn := s.managedViewARN(m.name)
		out = append(out, View{ID: arn, Arn: arn, Name: m.title, Description: "AWS managed " + m.name + " view",
			Status: ViewPublished, Type: ViewAWSManaged, Content: c, Saved: c, Latest: &c, Version: 1, Versions: 1})
	}
	return out
}

// managedView returns the managed view id names (its name or its ARN's
// last part), or nil.
func (s *Service) managedView(id string) *View {
	for _, v := range s.managedViews() {
		if id == v.ID || id == idFromARN(v.ID, "view") {
			return &v
		}
	}
	return nil
}

// viewInputSchemaOf is viewInputSchema of a template given as text.
func viewInputSchemaOf(template string) string {
	var doc any
	if json.Unmarshal([]byte(template), &doc) != nil {
		return ""
	}
	return viewInputSchema(doc)
}
