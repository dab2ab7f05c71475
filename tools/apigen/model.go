package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Model is the part of a botocore model the generator understands. Loading
// rejects keys it does not know, so a model feature we do not implement
// (event streams, payload members, XML, ...) fails generation loudly instead
// of producing a silently wrong wire layer.
type Model struct {
	Protocol string
	Ops      []*Operation
	Shapes   map[string]*Shape
	Order    []string // shape names in model order
	Others   []OtherOp
}

type Operation struct {
	Name, Method, URI string
	Input, Output     string
	Errors            []string
}

type OtherOp struct{ Name, Method, URI string }

type Shape struct {
	Name, Type        string
	Members           []*Member // in model order
	Required          map[string]bool
	Member, Key, Val  string // list element / map key and value shapes
	Enum              []string
	Min, Max          string // number literals; "" when absent
	Pattern           string
	Union, Exception  bool
	Fault             bool
	HTTPStatus        int
	TimestampFormat   string
	Sensitive         bool
	reachableByInput  bool
	reachableByOutput bool
}

type Member struct {
	Name, Shape     string
	Location        string // "", uri, querystring, header, headers, statusCode
	LocationName    string
	JSONName        string
	TimestampFormat string
}

var knownShapeKeys = setOf("type", "members", "required", "enum", "min", "max", "pattern",
	"union", "error", "exception", "fault", "sensitive", "box", "timestampFormat",
	"member", "key", "value", "deprecated", "retryable", "documentation")

var knownMemberKeys = setOf("shape", "location", "locationName", "jsonName", "box",
	"idempotencyToken", "deprecated", "timestampFormat", "documentation")

func setOf(ks ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range ks {
		m[k] = true
	}
	return m
}

func loadModel(data []byte) (*Model, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, fmt.Errorf("parse model: %w", err)
	}
	m := &Model{Shapes: map[string]*Shape{}}
	m.Protocol = root.get("metadata").getString("protocol")
	if m.Protocol != "rest-json" {
		return nil, fmt.Errorf("protocol %q not supported (only rest-json)", m.Protocol)
	}
	shapes := root.get("shapes")
	if shapes == nil {
		return nil, fmt.Errorf("model has no shapes")
	}
	for _, name := range shapes.keys {
		s, err := loadShape(name, shapes.fields[name])
		if err != nil {
			return nil, err
		}
		m.Shapes[name] = s
		m.Order = append(m.Order, name)
	}
	ops := root.get("operations")
	if ops == nil {
		return nil, fmt.Errorf("model has no operations")
	}
	for _, name := range ops.keys {
		o := ops.fields[name]
		op := &Operation{
			Name:   name,
			Method: o.get("http").getString("method"),
			URI:    o.get("http").getString("requestUri"),
			Input:  o.get("input").getString("shape"),
			Output: o.get("output").getString("shape"),
		}
		if op.Method == "" || op.URI == "" {
			return nil, fmt.Errorf("operation %s: missing http method or requestUri", name)
		}
		if o.get("endpoint") != nil || o.get("httpChecksum") != nil {
			return nil, fmt.Errorf("operation %s: endpoint/httpChecksum traits not supported", name)
		}
		if errs := o.get("errors"); errs != nil {
			for _, e := range errs.items {
				op.Errors = append(op.Errors, e.getString("shape"))
			}
		}
		for _, ref := range append([]string{op.Input, op.Output}, op.Errors...) {
			if ref != "" && m.Shapes[ref] == nil {
				return nil, fmt.Errorf("operation %s: shape %s not in model (was the model trimmed?)", name, ref)
			}
		}
		m.Ops = append(m.Ops, op)
	}
	if others := root.get(otherOpsKey); others != nil {
		for _, it := range others.items {
			m.Others = append(m.Others, OtherOp{it.getString("name"), it.getString("method"), it.getString("requestUri")})
		}
	}
	for _, s := range m.Shapes {
		for _, ref := range s.refs() {
			if m.Shapes[ref] == nil {
				return nil, fmt.Errorf("shape %s: refers to undefined shape %s", s.Name, ref)
			}
		}
	}
	for _, op := range m.Ops {
		if op.Input != "" {
			m.mark(op.Input, func(s *Shape) *bool { return &s.reachableByInput })
		}
		if op.Output != "" {
			m.mark(op.Output, func(s *Shape) *bool { return &s.reachableByOutput })
		}
	}
	return m, nil
}

func (m *Model) mark(name string, flag func(*Shape) *bool) {
	s := m.Shapes[name]
	if *flag(s) {
		return
	}
	*flag(s) = true
	for _, r := range s.refs() {
		m.mark(r, flag)
	}
}

func (s *Shape) refs() []string {
	var out []string
	for _, mb := range s.Members {
		out = append(out, mb.Shape)
	}
	for _, r := range []string{s.Member, s.Key, s.Val} {
		if r != "" {
			out = append(out, r)
		}
	}
	return out
}

func loadShape(name string, n *node) (*Shape, error) {
	s := &Shape{Name: name, Type: n.getString("type"), Required: map[string]bool{}}
	var unknown []string
	for _, k := range n.keys {
		if !knownShapeKeys[k] && !docOnlyKeys[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("shape %s: unsupported keys %s", name, strings.Join(unknown, ", "))
	}
	switch s.Type {
	case "structure", "string", "list", "map", "integer", "long", "float", "double",
		"boolean", "timestamp", "blob", "document":
	default:
		return nil, fmt.Errorf("shape %s: unsupported type %q", name, s.Type)
	}
	if ms := n.get("members"); ms != nil {
		for _, mn := range ms.keys {
			mnode := ms.fields[mn]
			for _, k := range mnode.keys {
				if !knownMemberKeys[k] && !docOnlyKeys[k] {
					return nil, fmt.Errorf("shape %s member %s: unsupported key %q", name, mn, k)
				}
			}
			s.Members = append(s.Members, &Member{
				Name:            mn,
				Shape:           mnode.getString("shape"),
				Location:        mnode.getString("location"),
				LocationName:    mnode.getString("locationName"),
				JSONName:        mnode.getString("jsonName"),
				TimestampFormat: mnode.getString("timestampFormat"),
			})
		}
	}
	if req := n.get("required"); req != nil {
		for _, it := range req.items {
			s.Required[it.str] = true
		}
	}
	if e := n.get("enum"); e != nil {
		for _, it := range e.items {
			s.Enum = append(s.Enum, it.str)
		}
	}
	s.Member = n.get("member").getString("shape")
	s.Key = n.get("key").getString("shape")
	s.Val = n.get("value").getString("shape")
	if v := n.get("min"); v != nil {
		s.Min = v.str
	}
	if v := n.get("max"); v != nil {
		s.Max = v.str
	}
	s.Pattern = n.getString("pattern")
	s.Union = n.get("union") != nil && n.get("union").b
	s.Exception = n.get("exception") != nil && n.get("exception").b
	s.Fault = n.get("fault") != nil && n.get("fault").b
	s.Sensitive = n.get("sensitive") != nil && n.get("sensitive").b
	s.TimestampFormat = n.getString("timestampFormat")
	if e := n.get("error"); e != nil {
		if c := e.get("httpStatusCode"); c != nil {
			code, err := strconv.Atoi(c.str)
			if err != nil {
				return nil, fmt.Errorf("shape %s: bad httpStatusCode %q", name, c.str)
			}
			s.HTTPStatus = code
		}
		if e.get("senderFault") != nil && !e.get("senderFault").b {
			s.Fault = true
		}
	}
	return s, nil
}
