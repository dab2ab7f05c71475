package awsapi

import (
	"net/url"
	"strings"
)

// router matches a method and an escaped path against the model's URI
// templates ("/contacts/{InstanceId}/{ContactId}", greedy "{Key+}").
// When several templates match, the one with more literal segments wins, so
// "/x/{Id}/summary" beats "/x/{Id}/{Other}" — the precedence the AWS
// front ends apply.
type router[T any] struct {
	byMethod map[string][]routeEntry[T]
}

type routeEntry[T any] struct {
	segments []segment
	greedy   bool // last segment is {Name+}
	literals int
	value    T
}

type segment struct {
	literal string // "" for a label
	label   string
}

func newRouter[T any]() *router[T] { return &router[T]{byMethod: map[string][]routeEntry[T]{}} }

// add registers a URI template. The template's query part, if any, is
// ignored: Connect's request URIs carry none.
func (rt *router[T]) add(method, template string, v T) {
	if i := strings.IndexByte(template, '?'); i >= 0 {
		template = template[:i]
	}
	e := routeEntry[T]{value: v}
	for _, part := range splitPath(template) {
		if strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}") {
			label := part[1 : len(part)-1]
			if strings.HasSuffix(label, "+") {
				label = strings.TrimSuffix(label, "+")
				e.greedy = true
			}
			e.segments = append(e.segments, segment{label: label})
			continue
		}
		e.segments = append(e.segments, segment{literal: part})
		e.literals++
	}
	rt.byMethod[method] = append(rt.byMethod[method], e)
}

// match returns the value of the best-matching template and its labels,
// percent-decoded. ok is false when nothing matches.
func (rt *router[T]) match(method, escapedPath string) (v T, params map[string]string, ok bool) {
	parts := splitPath(escapedPath)
	best := -1
	var bestEntry *routeEntry[T]
	entries := rt.byMethod[method]
	for i := range entries {
		e := &entries[i]
		if !e.matches(parts) {
			continue
		}
		if e.literals > best {
			best, bestEntry = e.literals, e
		}
	}
	if bestEntry == nil {
		return v, nil, false
	}
	params = make(map[string]string, len(bestEntry.segments))
	for i, s := range bestEntry.segments {
		if s.literal != "" {
			continue
		}
		raw := parts[i]
		if bestEntry.greedy && i == len(bestEntry.segments)-1 {
			raw = strings.Join(parts[i:], "/")
		}
		val, err := url.PathUnescape(raw)
		if err != nil {
			return v, nil, false
		}
		params[s.label] = val
	}
	return bestEntry.value, params, true
}

// methods lists the methods for which the path matches some template, to
// tell a client that used the wrong method.
func (rt *router[T]) methods(escapedPath string) []string {
	parts := splitPath(escapedPath)
	var out []string
	for m, entries := range rt.byMethod {
		for i := range entries {
			if entries[i].matches(parts) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

func (e *routeEntry[T]) matches(parts []string) bool {
	if e.greedy {
		if len(parts) < len(e.segments) {
			return false
		}
	} else if len(parts) != len(e.segments) {
		return false
	}
	for i, s := range e.segments {
		if s.literal != "" {
			if parts[i] != s.literal {
				return false
			}
			continue
		}
		if parts[i] == "" {
			return false
		}
	}
	return true
}

// splitPath splits "/a/b/" into ["a", "b"]; a trailing slash is ignored.
func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}
