package flowrun

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/switchboard-cc/switchboard/flow"
)

// params reads one action's parameters, resolving references, and records
// each value as resolved so the flow log shows what the action really used.
type params struct {
	r        *run
	a        *flow.Action
	resolved map[string]any
	// forceLog logs this action even with logging off (the action that
	// turns logging off is still logged).
	forceLog bool
}

func (p *params) raw(name string) (any, bool) {
	v, ok := p.a.Parameters[name]
	return v, ok
}

// literal returns a static scalar parameter as written.
func (p *params) literal(name string) (string, bool) {
	s, ok := p.a.Param(name)
	if ok {
		p.resolved[name] = s
	}
	return s, ok
}

// value returns a scalar parameter with its references resolved. It serves
// both "single" and "dynamic" parameters: a value that is one whole
// reference interpolates to exactly that reference's value.
func (p *params) value(name string) (string, bool) {
	s, ok := p.a.Param(name)
	if !ok {
		return "", false
	}
	s = p.r.interpolate(s)
	p.resolved[name] = s
	return s, true
}

// object returns an object parameter (not recorded; callers record what
// they resolve from it).
func (p *params) object(name string) (map[string]any, bool) {
	m, ok := p.a.Parameters[name].(map[string]any)
	return m, ok
}

// stringMap resolves an object of scalars, keys and values both dynamic.
// present is false when the parameter is absent.
func (p *params) stringMap(name string) (m map[string]string, present bool, err error) {
	v, ok := p.raw(name)
	if !ok {
		return nil, false, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, true, fmt.Errorf("parameter %s must be an object", name)
	}
	m = make(map[string]string, len(obj))
	for _, k := range sortedKeys(obj) {
		s, ok := scalar(obj[k])
		if !ok {
			return nil, true, fmt.Errorf("parameter %s.%s must be a string", name, k)
		}
		key := p.r.interpolate(k)
		if key == "" {
			return nil, true, fmt.Errorf("parameter %s has a key %q that resolves to nothing", name, k)
		}
		m[key] = p.r.interpolate(s)
	}
	p.resolved[name] = m
	return m, true, nil
}

// references resolves task-style References {name: {Type, Value}}.
func (p *params) references(name string) (map[string]Reference, error) {
	v, ok := p.raw(name)
	if !ok {
		return nil, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("parameter %s must be an object", name)
	}
	out := make(map[string]Reference, len(obj))
	for _, k := range sortedKeys(obj) {
		ref, ok := obj[k].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("parameter %s.%s must be an object with Type and Value", name, k)
		}
		typ, _ := scalar(ref["Type"])
		val, _ := scalar(ref["Value"])
		out[k] = Reference{Type: typ, Value: p.r.interpolate(val)}
	}
	p.resolved[name] = out
	return out, nil
}

// strings returns an array parameter of strings, resolved.
func (p *params) stringList(name string) ([]string, error) {
	v, ok := p.raw(name)
	if !ok || v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("parameter %s must be an array", name)
	}
	out := make([]string, 0, len(list))
	for i, item := range list {
		s, ok := scalar(item)
		if !ok {
			return nil, fmt.Errorf("parameter %s[%d] must be a string", name, i)
		}
		out = append(out, p.r.interpolate(s))
	}
	p.resolved[name] = out
	return out, nil
}

// integer parses a whole number written as "8", "8.0" or 8.
func integer(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return int64(f), nil
}

// intParam reads a resolved whole-number parameter within [min, max].
func (p *params) intParam(name string, min, max int64) (n int64, present bool, err error) {
	s, ok := p.value(name)
	if !ok {
		return 0, false, nil
	}
	n, err = integer(s)
	if err != nil {
		return 0, true, fmt.Errorf("parameter %s: %v", name, err)
	}
	if n < min || n > max {
		return 0, true, fmt.Errorf("parameter %s is %d; it must be from %d to %d", name, n, min, max)
	}
	return n, true, nil
}

// scalar returns a JSON scalar's string form, writing booleans Connect's
// way ("True"/"False"), as flow.Action.Param does.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		if x {
			return "True", true
		}
		return "False", true
	}
	return "", false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// unsupportedError marks an action the engine cannot run: an unknown type,
// or a known one without an implementation. Such failures are always
// logged.
type unsupportedError struct{ msg string }

func (e *unsupportedError) Error() string { return e.msg }

func isUnsupported(err error) bool {
	var u *unsupportedError
	return errors.As(err, &u)
}

// routingCriteria parses a RoutingCriteria parameter value.
func (p *params) routingCriteria(v any) (*RoutingCriteria, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("RoutingCriteria must be an object")
	}
	steps, ok := obj["Steps"].([]any)
	if !ok || len(steps) == 0 {
		return nil, errors.New("RoutingCriteria.Steps must be an array of at least one step")
	}
	rc := &RoutingCriteria{}
	for i, item := range steps {
		step, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("RoutingCriteria.Steps[%d] must be an object", i)
		}
		expr, err := p.expression(step["Expression"], 0)
		if err != nil {
			return nil, fmt.Errorf("RoutingCriteria.Steps[%d].Expression: %v", i, err)
		}
		s := RoutingStep{Expression: expr}
		if exp, ok := step["Expiry"].(map[string]any); ok {
			if d, ok := scalar(exp["DurationInSeconds"]); ok {
				n, err := integer(p.r.interpolate(d))
				if err != nil || n < 0 {
					return nil, fmt.Errorf("RoutingCriteria.Steps[%d].Expiry.DurationInSeconds must be a whole number of seconds", i)
				}
				s.ExpirySeconds = &n
			}
		}
		rc.Steps = append(rc.Steps, s)
	}
	return rc, nil
}

// maxExpressionDepth bounds nesting; the API allows far less, and a hostile
// document must not recurse deeply.
const maxExpressionDepth = 8

func (p *params) expression(v any, depth int) (Expression, error) {
	var e Expression
	if depth > maxExpressionDepth {
		return e, errors.New("expressions are nested too deeply")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return e, errors.New("must be an object")
	}
	var err error
	if c, ok := obj["AttributeCondition"]; ok {
		if e.AttributeCondition, err = p.attributeCondition(c); err != nil {
			return e, err
		}
	}
	if c, ok := obj["NotAttributeCondition"]; ok {
		if e.NotAttributeCondition, err = p.attributeCondition(c); err != nil {
			return e, err
		}
	}
	for _, key := range []string{"AndExpression", "OrExpression"} {
		raw, present := obj[key]
		if !present {
			continue
		}
		list, ok := raw.([]any)
		if !ok || len(list) == 0 {
			return e, fmt.Errorf("%s must be a non-empty array", key)
		}
		subs := make([]Expression, 0, len(list))
		for _, item := range list {
			sub, err := p.expression(item, depth+1)
			if err != nil {
				return e, err
			}
			subs = append(subs, sub)
		}
		if key == "AndExpression" {
			e.AndExpression = subs
		} else {
			e.OrExpression = subs
		}
	}
	if e.AttributeCondition == nil && e.NotAttributeCondition == nil && e.AndExpression == nil && e.OrExpression == nil {
		return e, errors.New("needs AttributeCondition, NotAttributeCondition, AndExpression or OrExpression")
	}
	return e, nil
}

func (p *params) attributeCondition(v any) (*AttributeCondition, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("AttributeCondition must be an object")
	}
	str := func(key string) string {
		s, _ := scalar(obj[key])
		return p.r.interpolate(s)
	}
	level := func(m map[string]any, key string) (*float64, error) {
		s, ok := scalar(m[key])
		if !ok {
			return nil, nil
		}
		f, good := number(p.r.interpolate(s))
		if !good {
			return nil, fmt.Errorf("%s must be a number", key)
		}
		return &f, nil
	}
	c := &AttributeCondition{Name: str("Name"), Value: str("Value"), ComparisonOperator: str("ComparisonOperator")}
	var err error
	if c.ProficiencyLevel, err = level(obj, "ProficiencyLevel"); err != nil {
		return nil, err
	}
	if rng, ok := obj["Range"].(map[string]any); ok {
		if c.MinProficiencyLevel, err = level(rng, "MinProficiencyLevel"); err != nil {
			return nil, err
		}
		if c.MaxProficiencyLevel, err = level(rng, "MaxProficiencyLevel"); err != nil {
			return nil, err
		}
	}
	if mc, ok := obj["MatchCriteria"].(map[string]any); ok {
		if ac, ok := mc["AgentsCriteria"].(map[string]any); ok {
			ids, _ := ac["AgentIds"].([]any)
			for _, id := range ids {
				if s, ok := scalar(id); ok {
					c.AgentIDs = append(c.AgentIDs, p.r.interpolate(s))
				}
			}
		}
	}
	if c.ComparisonOperator == "" {
		return nil, errors.New("AttributeCondition.ComparisonOperator is required")
	}
	if c.ComparisonOperator != "Match" && c.Name == "" {
		return nil, errors.New("AttributeCondition.Name is required")
	}
	return c, nil
}
