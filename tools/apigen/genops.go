package main

import (
	"bytes"
	"fmt"
	"strings"
)

func (g *generator) outputType(op *Operation) string {
	if op.Output == "" {
		return g.emptyOut[op.Name]
	}
	return g.typeName[op.Output]
}

// validationException picks the error an operation reports for invalid
// input: the one the SDK documents for bad parameters where it exists.
func (g *generator) validationException(op *Operation) string {
	for _, want := range []string{"InvalidParameterException", "InvalidRequestException"} {
		for _, e := range op.Errors {
			if e == want {
				return e
			}
		}
	}
	for _, e := range op.Errors {
		s := g.m.Shapes[e]
		if !s.Fault && (s.HTTPStatus == 400 || s.HTTPStatus == 0) {
			return e
		}
	}
	return ""
}

func (g *generator) genOps(buf *bytes.Buffer) error {
	buf.WriteString("import (\n\t\"context\"\n\n\t\"" + wireImport + "\"\n)\n\n")
	// The wire runtime's names this package's API shows, so that callers
	// need only this package.
	buf.WriteString("// Names of internal/wire that this package's API shows.\ntype (\n\tRequest            = wire.Request\n\tRoute              = wire.Route[Service]\n" +
		"\tException          = wire.Exception\n\tOperationRef       = wire.OperationRef\n\tViolation          = wire.Violation\n" +
		"\tValidationError    = wire.ValidationError\n\tSerializationError = wire.SerializationError\n")
	if g.usesTimestamps() {
		buf.WriteString("\tTime               = wire.Time\n")
	}
	buf.WriteString(")\n\n")

	buf.WriteString("// Service is implemented by the server: one method per operation.\ntype Service interface {\n")
	for _, op := range g.m.Ops {
		in := "struct{}"
		if op.Input != "" {
			in = g.typeName[op.Input]
		}
		fmt.Fprintf(buf, "\t%s(ctx context.Context, in *%s) (*%s, error)\n", exported(op.Name), in, g.outputType(op))
	}
	buf.WriteString("}\n\n")

	buf.WriteString("// Routes lists every implemented operation with its HTTP binding.\nvar Routes = []Route{\n")
	for _, op := range g.m.Ops {
		fmt.Fprintf(buf, "\t{Operation: %q, Method: %q, Path: %q, ValidationException: %q, Errors: %#v, Handle: %s},\n",
			op.Name, op.Method, op.URI, g.validationException(op), op.Errors, g.funcName["handle:"+op.Name])
	}
	buf.WriteString("}\n\n")

	for _, op := range g.m.Ops {
		if err := g.genHandler(buf, op); err != nil {
			return err
		}
	}

	buf.WriteString("// Exceptions describes every error shape the implemented operations can return.\nvar Exceptions = map[string]Exception{\n")
	seen := map[string]bool{}
	for _, n := range g.m.Order {
		s := g.m.Shapes[n]
		if !s.Exception {
			continue
		}
		used := false
		for _, op := range g.m.Ops {
			for _, e := range op.Errors {
				used = used || e == n
			}
		}
		if !used || seen[n] {
			continue
		}
		seen[n] = true
		status, fault := s.HTTPStatus, "client"
		if s.Fault {
			fault = "server"
		}
		if status == 0 {
			status = map[bool]int{false: 400, true: 500}[s.Fault]
		}
		var extra []string
		for _, mb := range s.Members {
			if !strings.EqualFold(mb.Name, "message") {
				extra = append(extra, mb.Name)
			}
		}
		fmt.Fprintf(buf, "\t%q: {Name: %q, HTTPStatus: %d, Fault: %q", n, n, status, fault)
		if len(extra) > 0 {
			fmt.Fprintf(buf, ", ExtraMembers: %#v", extra)
		}
		buf.WriteString("},\n")
	}
	buf.WriteString("}\n\n")

	buf.WriteString("// OtherOperations are the model's operations Switchboard does not implement.\nvar OtherOperations = []OperationRef{\n")
	for _, o := range g.m.Others {
		fmt.Fprintf(buf, "\t{Name: %q, Method: %q, Path: %q},\n", o.Name, o.Method, o.URI)
	}
	buf.WriteString("}\n")
	return nil
}

func (g *generator) genHandler(buf *bytes.Buffer, op *Operation) error {
	in := "struct{}"
	var s *Shape
	if op.Input != "" {
		in = g.typeName[op.Input]
		s = g.m.Shapes[op.Input]
	}
	dec, handle := g.funcName["decode:"+op.Name], g.funcName["handle:"+op.Name]
	fmt.Fprintf(buf, "// %s builds and validates the %s input from an HTTP request.\nfunc %s(r *Request) (*%s, error) {\n\tin := &%s{}\n", dec, op.Name, dec, in, in)
	hasBody := false
	if s != nil {
		for _, mb := range s.Members {
			hasBody = hasBody || mb.Location == ""
		}
	}
	if hasBody {
		buf.WriteString("\tif err := wire.DecodeBody(r.Body, in); err != nil {\n\t\treturn nil, err\n\t}\n")
	}
	if s != nil {
		fields := fieldNames(s)
		for i, mb := range s.Members {
			if mb.Location == "" {
				continue
			}
			if err := g.genBinding(buf, mb, "in."+fields[i]); err != nil {
				return fmt.Errorf("operation %s: %w", op.Name, err)
			}
		}
		buf.WriteString("\tif err := in.Validate(); err != nil {\n\t\treturn nil, err\n\t}\n")
	}
	buf.WriteString("\treturn in, nil\n}\n\n")

	out := g.outputType(op)
	fmt.Fprintf(buf, "func %s(ctx context.Context, svc Service, r *Request) (any, error) {\n\tin, err := %s(r)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tout, err := svc.%s(ctx, in)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tif out == nil {\n\t\tout = &%s{}\n\t}\n\treturn out, nil\n}\n\n",
		handle, dec, exported(op.Name), out)
	return nil
}

// genBinding emits code filling one uri/querystring/header member.
func (g *generator) genBinding(buf *bytes.Buffer, mb *Member, field string) error {
	t := g.m.Shapes[mb.Shape]
	where := map[string]string{"uri": "path", "querystring": "query", "header": "header"}[mb.Location]
	if t.Type == "list" {
		elem := g.m.Shapes[t.Member]
		fmt.Fprintf(buf, "\tif raws, ok := wire.%sParams(r, %q); ok {\n\t\t%s = make(%s, 0, len(raws))\n\t\tfor _, raw := range raws {\n", exported(where), mb.LocationName, field, g.goType(mb.Shape))
		conv, err := g.convertParam(elem, mb, where)
		if err != nil {
			return err
		}
		fmt.Fprintf(buf, "%s\t\t\t%s = append(%s, x)\n\t\t}\n\t}\n", conv, field, field)
		return nil
	}
	fmt.Fprintf(buf, "\tif raw, ok := wire.%sParam(r, %q); ok {\n", exported(where), mb.LocationName)
	conv, err := g.convertParam(t, mb, where)
	if err != nil {
		return err
	}
	buf.WriteString(conv)
	if g.pointerMember(mb.Shape) {
		fmt.Fprintf(buf, "\t\t%s = &x\n\t}\n", field)
	} else {
		fmt.Fprintf(buf, "\t\t%s = x\n\t}\n", field)
	}
	return nil
}

// convertParam emits statements declaring x, the typed value of the string
// raw, returning a *SerializationError when it does not parse.
func (g *generator) convertParam(t *Shape, mb *Member, where string) (string, error) {
	parse := ""
	switch t.Type {
	case "string":
		if g.isEnum(t) {
			return fmt.Sprintf("\t\tx := %s(raw)\n", g.typeName[t.Name]), nil
		}
		return "\t\tx := raw\n", nil
	case "integer":
		parse = "wire.ParseInt32Param"
	case "long":
		parse = "wire.ParseInt64Param"
	case "float", "double":
		parse = "wire.ParseFloatParam"
	case "boolean":
		parse = "wire.ParseBoolParam"
	case "timestamp":
		parse = "wire.ParseTimeParam"
	default:
		return "", fmt.Errorf("cannot bind %s of type %s", mb.Name, t.Type)
	}
	return fmt.Sprintf("\t\tx, err := %s(raw, %q, %q)\n\t\tif err != nil {\n\t\t\treturn nil, err\n\t\t}\n", parse, where, mb.LocationName), nil
}
