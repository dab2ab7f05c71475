package flow

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// checker reports problems with one action; the catalogue's check functions
// use its helpers so that every parameter rule words its message the same way.
type checker struct {
	v     *validator
	a     *Action
	index int
}

func (c *checker) problem(format string, args ...any) {
	c.v.problems = append(c.v.problems, newProblem(c.index+1, c.a.Identifier, label(c.a, c.index)+": "+fmt.Sprintf(format, args...)))
}

// malformed reports whether decode already reported the action's field.
func (c *checker) malformed(field string) bool {
	return c.v.malformed[fmt.Sprintf("Actions[%d].%s", c.index, field)]
}

// regime is how a string parameter may use references to contact data.
type regime int

const (
	// static values are literals; a reference is refused at publish.
	static regime = iota
	// single values are a literal or exactly one reference, nothing around it.
	single
	// reference values must be exactly one reference.
	reference
	// dynamic values are text with references interpolated anywhere.
	dynamic
)

// referencePattern is one whole reference: "$" then dotted keys or
// bracketed quoted keys, e.g. $.Attributes.tier or $.Attributes['my key'].
var referencePattern = regexp.MustCompile(`^\$(?:\.[A-Za-z0-9_-]+|\['[^']+'\]|\["[^"]+"\])+$`)

// mentionsReference reports whether s contains something that reads as a
// reference, which a static parameter may not.
func mentionsReference(s string) bool {
	return strings.Contains(s, "$.") || strings.Contains(s, "$[")
}

// params is the object a helper reads from and the prefix that names its
// fields in messages: the action's Parameters, or an object nested in them.
type params struct {
	obj    map[string]any
	prefix string
}

func (c *checker) top() params { return params{c.a.Parameters, ""} }

func (p params) name(key string) string { return p.prefix + key }

func (p params) has(key string) bool {
	_, ok := p.obj[key]
	return ok
}

// nested returns the object at key as params of its own, reporting a value
// of another type. ok is false when it is absent or not an object.
func (c *checker) nested(p params, key string, required bool) (params, bool) {
	v, present := p.obj[key]
	if !present {
		if required {
			c.problem("parameter %s is required", p.name(key))
		}
		return params{}, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		c.problem("parameter %s must be a JSON object, not %s", p.name(key), kind(v))
		return params{}, false
	}
	return params{m, p.name(key) + "."}, true
}

// str checks a string parameter under a reference regime. ok is false when
// it is absent or unusable.
func (c *checker) str(p params, key string, r regime, required bool) (string, bool) {
	v, present := p.obj[key]
	if !present {
		if required {
			c.problem("parameter %s is required", p.name(key))
		}
		return "", false
	}
	s, ok := scalar(v)
	if !ok {
		c.problem("parameter %s must be a string, not %s", p.name(key), kind(v))
		return "", false
	}
	if strings.TrimSpace(s) == "" {
		c.problem("parameter %s must not be empty", p.name(key))
		return "", false
	}
	switch r {
	case static:
		if mentionsReference(s) {
			c.problem("parameter %s must be a literal value, not a reference such as $.Attributes.x", p.name(key))
			return "", false
		}
	case single:
		if mentionsReference(s) && !referencePattern.MatchString(s) {
			c.problem("parameter %s must be a literal or a single reference such as $.Attributes.x, with no surrounding text", p.name(key))
			return "", false
		}
	case reference:
		if !referencePattern.MatchString(s) {
			c.problem("parameter %s must be a single reference such as $.Attributes.x, not %s", p.name(key), quote(s))
			return "", false
		}
	}
	return s, true
}

// enum checks a static parameter that takes one of a fixed set of values.
func (c *checker) enum(p params, key string, required bool, values ...string) (string, bool) {
	s, ok := c.str(p, key, static, required)
	if !ok {
		return "", false
	}
	if !slices.Contains(values, s) {
		c.problem("parameter %s must be one of %s, not %s", p.name(key), strings.Join(values, ", "), quote(s))
		return "", false
	}
	return s, true
}

// number checks a whole-number parameter within [min, max]. With r ==
// single a reference is accepted and only checked when the flow runs.
func (c *checker) number(p params, key string, r regime, required bool, min, max int64) (int64, bool) {
	s, ok := c.str(p, key, r, required)
	if !ok || referencePattern.MatchString(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < min || n > max {
		switch {
		case min == -maxWhole:
			c.problem("parameter %s must be a whole number, not %s", p.name(key), quote(s))
		case max == maxWhole:
			c.problem("parameter %s must be a whole number of at least %d, not %s", p.name(key), min, quote(s))
		default:
			c.problem("parameter %s must be a whole number from %d to %d, not %s", p.name(key), min, max, quote(s))
		}
		return 0, false
	}
	return n, true
}

const maxWhole = 1<<63 - 1

// stringMap checks a parameter that maps names to string values, such as
// Attributes. Values are dynamic text; nonEmpty asks for at least one entry.
func (c *checker) stringMap(p params, key string, required, nonEmpty bool) {
	m, ok := c.nested(p, key, required)
	if !ok {
		return
	}
	if nonEmpty && len(m.obj) == 0 {
		c.problem("parameter %s must have at least one entry", p.name(key))
	}
	for _, k := range sortedKeys(m.obj) {
		if strings.TrimSpace(k) == "" {
			c.problem("parameter %s has an entry with an empty name", p.name(key))
			continue
		}
		if _, ok := scalar(m.obj[k]); !ok {
			c.problem("parameter %s must be a string, not %s", m.name(k), kind(m.obj[k]))
		}
	}
}

// exactlyOne checks that one and only one of keys is set and returns it.
func (c *checker) exactlyOne(p params, keys ...string) string {
	set := c.present(p, keys)
	switch len(set) {
	case 0:
		c.problem("set one of parameters %s", c.names(p, keys))
		return ""
	case 1:
		return set[0]
	}
	c.problem("set only one of parameters %s; they exclude each other", c.names(p, set))
	return ""
}

// atMostOne checks that no more than one of keys is set.
func (c *checker) atMostOne(p params, keys ...string) {
	if set := c.present(p, keys); len(set) > 1 {
		c.problem("set only one of parameters %s; they exclude each other", c.names(p, set))
	}
}

func (c *checker) present(p params, keys []string) []string {
	var set []string
	for _, k := range keys {
		if p.has(k) {
			set = append(set, k)
		}
	}
	return set
}

func (c *checker) names(p params, keys []string) string {
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = p.name(k)
	}
	if len(full) == 1 {
		return full[0]
	}
	return strings.Join(full[:len(full)-1], ", ") + " or " + full[len(full)-1]
}

// results checks that every condition compares the result with Equals
// against one of the values the action can produce.
func (c *checker) results(values ...string) {
	for i, cond := range c.a.Transitions.Conditions {
		if !wellFormed(cond) {
			continue // the general condition check has reported it
		}
		if cond.Operator != "Equals" {
			c.problem("Transitions.Conditions[%d] must use Equals with one of %s", i, strings.Join(values, ", "))
			continue
		}
		if !slices.Contains(values, cond.Operands[0]) {
			c.problem("Transitions.Conditions[%d] compares with %s; %s only results in %s",
				i, quote(cond.Operands[0]), c.a.Type, strings.Join(values, ", "))
		}
	}
}

// requireResults checks that each value has an Equals condition, for
// actions whose documentation asks for a branch per possible result.
func (c *checker) requireResults(values ...string) {
	for _, want := range values {
		found := false
		for _, cond := range c.a.Transitions.Conditions {
			if cond.Operator == "Equals" && len(cond.Operands) == 1 && cond.Operands[0] == want {
				found = true
				break
			}
		}
		if !found {
			c.problem("add a condition Equals %s to Transitions.Conditions; %s needs a branch for each result", quote(want), c.a.Type)
		}
	}
}

// wellFormed reports whether a condition passed the general checks, so
// that action-specific checks do not report a broken condition twice.
func wellFormed(cond Condition) bool {
	return slices.Contains(operators, cond.Operator) && len(cond.Operands) == 1
}

// operatorsOnly checks that conditions use only the given operators.
func (c *checker) operatorsOnly(ops ...string) {
	for i, cond := range c.a.Transitions.Conditions {
		if slices.Contains(operators, cond.Operator) && !slices.Contains(ops, cond.Operator) {
			c.problem("Transitions.Conditions[%d] uses %s; %s conditions may use only %s",
				i, cond.Operator, c.a.Type, strings.Join(ops, ", "))
		}
	}
}

// prompt checks the prompt of an action that speaks or writes to the
// customer: one of Text, SSML, PromptId or Media.
func (c *checker) prompt(p params, required bool) {
	keys := []string{"Text", "SSML", "PromptId", "Media"}
	var key string
	switch set := c.present(p, keys); {
	case required:
		key = c.exactlyOne(p, keys...)
	case len(set) > 1:
		c.atMostOne(p, keys...)
	case len(set) == 1:
		key = set[0]
	}
	switch key {
	case "Text", "SSML":
		c.str(p, key, dynamic, true)
	case "PromptId":
		c.str(p, key, single, true)
	case "Media":
		if m, ok := c.nested(p, "Media", true); ok {
			c.str(m, "Uri", dynamic, true)
			c.enum(m, "SourceType", true, "S3")
			c.enum(m, "MediaType", true, "Audio")
		}
	}
}
