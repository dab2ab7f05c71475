package flow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Validate parses content and checks it as a flow of the given type (a
// ContactFlowType value such as "CONTACT_FLOW"), as publishing does. It
// returns the flow and nil when it is valid, and otherwise nil and every
// problem found: document-level problems first, then each action's in the
// order the actions appear.
func Validate(flowType, content string) (*Flow, []Problem) {
	f, d := decode(content)
	if f == nil {
		return nil, d.problems
	}
	v := &validator{flow: f, flowType: flowType, problems: d.problems, malformed: d.malformed}
	v.document()
	if len(f.Actions) > MaxActions {
		// The flow has to be cut down before anything else about its
		// actions matters, and checking them all would only bury that
		// problem under thousands of others (content up to 256,000
		// characters holds some 85,000 empty actions).
		v.problems = slices.DeleteFunc(v.problems, func(p Problem) bool { return p.order > 0 })
	} else {
		for i := range f.Actions {
			v.action(i)
		}
	}
	if len(v.problems) == 0 {
		return f, nil
	}
	sortProblems(v.problems)
	return nil, v.problems
}

// sortProblems puts document-level problems first and action problems in
// action order, keeping the order of checks within each: decode and the
// validator each emit problems in document order, and this merges the two.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int { return a.order - b.order })
}

// reservedIdentifiers are the JavaScript Object.prototype member names,
// which Connect's editor refuses as identifiers.
var reservedIdentifiers = map[string]bool{
	"__proto__": true, "__defineGetter__": true, "__defineSetter__": true,
	"__lookupGetter__": true, "__lookupSetter__": true, "constructor": true,
	"hasOwnProperty": true, "isPrototypeOf": true, "propertyIsEnumerable": true,
	"toLocaleString": true, "toString": true, "valueOf": true,
}

// identifierForbidden are the characters an Identifier may not contain.
const identifierForbidden = `%:()\/=$,;[]{}`

type validator struct {
	flow      *Flow
	flowType  string
	problems  []Problem
	malformed map[string]bool // fields decode already reported
}

func (v *validator) doc(format string, args ...any) {
	v.problems = append(v.problems, newProblem(0, "", fmt.Sprintf(format, args...)))
}

func (v *validator) document() {
	f := v.flow
	if _, ok := flowTypeBits[v.flowType]; !ok {
		v.doc("Flow type %s is not valid; use one of %s", quote(v.flowType), strings.Join(flowTypeNames, ", "))
	}
	switch {
	case v.malformed["Version"]:
	case f.Version == "":
		v.doc("Version is required; set it to %q", Version)
	case f.Version != Version:
		v.doc("Version %s is not supported; set it to %q", quote(f.Version), Version)
	}
	switch {
	case v.malformed["Actions"]:
	case f.Actions == nil:
		v.doc("Actions is required; add an array with at least one action")
	case len(f.Actions) == 0:
		v.doc("Actions is empty; add at least one action")
	case len(f.Actions) > MaxActions:
		v.doc("Actions has %d actions; the maximum is %d", len(f.Actions), MaxActions)
	}
	switch {
	case v.malformed["StartAction"]:
	case f.StartAction == "":
		v.doc("StartAction is required; set it to the Identifier of the first action to run")
	case !v.exists(f.StartAction):
		v.doc("StartAction %s does not match the Identifier of any action", quote(f.StartAction))
	}
}

func (v *validator) action(i int) {
	a := &v.flow.Actions[i]
	c := &checker{v: v, a: a, index: i}
	if v.malformed[fmt.Sprintf("Actions[%d]", i)] {
		return
	}
	if !v.malformed[fmt.Sprintf("Actions[%d].Identifier", i)] {
		v.identifier(c, i)
	}
	spec, known := catalogue[a.Type]
	switch {
	case v.malformed[fmt.Sprintf("Actions[%d].Type", i)]:
		known = false
	case a.Type == "":
		c.problem("Type is required; set it to an action type such as MessageParticipant")
	case !known:
		c.problem("Type %s is not a known action type", quote(a.Type))
	}
	v.transitions(c)
	if !known {
		return
	}
	if bit, ok := flowTypeBits[v.flowType]; ok && spec.flows != 0 && spec.flows&bit == 0 {
		c.problem("this action cannot be used in %s flows; it is available in %s flows", v.flowType, spec.flows)
	}
	if spec.results == resultNone && len(a.Transitions.Conditions) > 0 {
		c.problem("remove Transitions.Conditions; %s has no result to compare", a.Type)
	}
	if spec.check != nil {
		spec.check(c)
	}
}

func (v *validator) identifier(c *checker, i int) {
	id := c.a.Identifier
	if id == "" {
		c.problem("Identifier is required; give the action a name unique in this flow")
		return
	}
	if n := utf8.RuneCountInString(id); n > MaxIdentifierLength {
		c.problem("Identifier is %d characters long; the maximum is %d", n, MaxIdentifierLength)
	}
	if k := strings.IndexAny(id, identifierForbidden); k >= 0 {
		c.problem("Identifier must not contain %q; none of %s may be used", id[k], identifierForbidden)
	}
	if reservedIdentifiers[id] {
		c.problem("Identifier %s is a reserved name; choose another", quote(id))
	}
	if first := v.flow.index[id]; first != i {
		c.problem("Identifier %s is already used by Actions[%d]; identifiers must be unique", quote(id), first)
	}
}

func (v *validator) transitions(c *checker) {
	t := &c.a.Transitions
	c.target("Transitions.NextAction", t.NextAction, false)
	seen := make(map[string]bool, len(t.Errors))
	for i, e := range t.Errors {
		where := fmt.Sprintf("Transitions.Errors[%d]", i)
		c.target(where+".NextAction", e.NextAction, true)
		switch {
		case e.ErrorType == "":
			c.problem("%s.ErrorType is required; use NoMatchingError to catch every error", where)
		case seen[e.ErrorType]:
			c.problem("%s.ErrorType %s appears more than once; keep one branch per error type", where, quote(e.ErrorType))
		}
		seen[e.ErrorType] = true
	}
	for i, cond := range t.Conditions {
		where := fmt.Sprintf("Transitions.Conditions[%d]", i)
		c.target(where+".NextAction", cond.NextAction, true)
		c.condition(where+".Condition", cond)
	}
}

// operators are the documented condition operators.
var operators = []string{
	"Equals", "TextStartsWith", "TextEndsWith", "TextContains",
	"NumberGreaterThan", "NumberGreaterOrEqualTo", "NumberLessThan", "NumberLessOrEqualTo",
}

func numericOperator(op string) bool { return strings.HasPrefix(op, "Number") }

func (c *checker) condition(where string, cond Condition) {
	switch {
	case c.malformed(where + ".Operator"):
		return
	case cond.Operator == "":
		c.problem("%s.Operator is required; use one of %s", where, strings.Join(operators, ", "))
		return
	case !slices.Contains(operators, cond.Operator):
		c.problem("%s.Operator %s is not supported; use one of %s", where, quote(cond.Operator), strings.Join(operators, ", "))
		return
	}
	if len(cond.Operands) != 1 {
		c.problem("%s.Operands must hold exactly one value, not %d", where, len(cond.Operands))
		return
	}
	if numericOperator(cond.Operator) {
		if _, err := strconv.ParseFloat(cond.Operands[0], 64); err != nil {
			c.problem("%s.Operands[0] %s must be a number for %s", where, quote(cond.Operands[0]), cond.Operator)
		}
	}
}

// target checks that a transition names an existing action.
func (c *checker) target(where, id string, required bool) {
	if c.malformed(where) {
		return
	}
	if id == "" {
		if required {
			c.problem("%s is required; set it to the Identifier of the action to go to", where)
		}
		return
	}
	if !c.v.exists(id) {
		c.problem("%s %s does not match the Identifier of any action", where, quote(id))
	}
}

func (v *validator) exists(id string) bool {
	_, ok := v.flow.index[id]
	return ok
}
