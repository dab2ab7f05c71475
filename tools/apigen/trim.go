package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
)

// otherOpsKey is the top-level key of the trimmed model that lists, for
// every operation we do not implement, just enough to recognise its route.
const otherOpsKey = "x-switchboard-other-operations"

// docOnlyKeys are botocore keys that carry prose only; dropping them keeps
// the committed model small and its diffs meaningful.
var docOnlyKeys = map[string]bool{
	"documentation":     true,
	"documentationUrl":  true,
	"deprecatedMessage": true,
	"deprecatedSince":   true,
	"examples":          true,
}

// readOpsList reads one operation name per line; '#' starts a comment.
func readOpsList(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ops []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, name := range strings.Fields(line) {
			if seen[name] {
				return nil, fmt.Errorf("%s: operation %s listed twice", path, name)
			}
			seen[name] = true
			ops = append(ops, name)
		}
	}
	return ops, sc.Err()
}

// trimModel returns the pretty-printed trimmed model: metadata, the listed
// operations, every shape reachable from them, and a route-only summary of
// all other operations.
func trimModel(full []byte, ops []string) ([]byte, error) {
	root, err := parseJSON(full)
	if err != nil {
		return nil, fmt.Errorf("parse model: %w", err)
	}
	allOps, shapes := root.get("operations"), root.get("shapes")
	if allOps == nil || shapes == nil {
		return nil, fmt.Errorf("model has no operations or shapes")
	}
	want := map[string]bool{}
	var missing []string
	for _, op := range ops {
		if allOps.get(op) == nil {
			missing = append(missing, op)
		}
		want[op] = true
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("operations not in the model: %s", strings.Join(missing, ", "))
	}

	reach := map[string]bool{}
	var visit func(name string) error
	visit = func(name string) error {
		if reach[name] {
			return nil
		}
		s := shapes.get(name)
		if s == nil {
			return fmt.Errorf("shape %s referenced but not defined", name)
		}
		reach[name] = true
		var refs []string
		if m := s.get("members"); m != nil {
			for _, k := range m.keys {
				refs = append(refs, m.fields[k].getString("shape"))
			}
		}
		for _, k := range []string{"member", "key", "value"} {
			if r := s.get(k); r != nil {
				refs = append(refs, r.getString("shape"))
			}
		}
		for _, r := range refs {
			if err := visit(r); err != nil {
				return err
			}
		}
		return nil
	}

	outOps, others := objNode(), &node{kind: 'a'}
	for _, name := range allOps.keys {
		op := allOps.fields[name]
		if !want[name] {
			ref := objNode()
			ref.set("name", strNode(name))
			ref.set("method", strNode(op.get("http").getString("method")))
			ref.set("requestUri", strNode(op.get("http").getString("requestUri")))
			others.items = append(others.items, ref)
			continue
		}
		for _, k := range []string{"input", "output"} {
			if r := op.get(k); r != nil {
				if err := visit(r.getString("shape")); err != nil {
					return nil, err
				}
			}
		}
		if errs := op.get("errors"); errs != nil {
			for _, e := range errs.items {
				if err := visit(e.getString("shape")); err != nil {
					return nil, err
				}
			}
		}
		outOps.set(name, stripDocs(op))
	}
	outShapes := objNode()
	for _, name := range shapes.keys {
		if reach[name] {
			outShapes.set(name, stripDocs(shapes.fields[name]))
		}
	}

	out := objNode()
	for _, k := range root.keys {
		switch {
		case k == "operations":
			out.set(k, outOps)
		case k == "shapes":
			out.set(k, outShapes)
		case docOnlyKeys[k]:
		default:
			out.set(k, stripDocs(root.fields[k]))
		}
	}
	out.set(otherOpsKey, others)

	var buf bytes.Buffer
	out.write(&buf, "")
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// stripDocs returns a copy of n without doc-only keys at any depth.
func stripDocs(n *node) *node {
	switch n.kind {
	case 'o':
		c := objNode()
		for _, k := range n.keys {
			if !docOnlyKeys[k] {
				c.set(k, stripDocs(n.fields[k]))
			}
		}
		return c
	case 'a':
		c := &node{kind: 'a'}
		for _, it := range n.items {
			c.items = append(c.items, stripDocs(it))
		}
		return c
	}
	return n
}
