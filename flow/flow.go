// Package flow parses and validates Amazon Connect flow content: the
// "2019-10-30" flow language that CreateContactFlow and
// UpdateContactFlowContent carry as a JSON string.
//
// Parse only decodes; it accepts any action type so that an interpreter can
// still load a flow that names an action it does not know (it takes the
// error branch at run time). Validate is what publishing a flow runs: it
// reports every problem Connect's editor would refuse, each naming the action
// and the field to fix.
package flow

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Version is the only flow-language version Connect defines.
const Version = "2019-10-30"

// Limits from the API model and the flow-language documentation.
const (
	// MaxContentLength is the model's length limit on ContactFlowContent, in characters.
	MaxContentLength = 256000
	// MaxActions is the most actions one flow may hold.
	MaxActions = 250
	// MaxIdentifierLength is the longest action Identifier, in characters.
	MaxIdentifierLength = 50
	// MaxProblems is the most entries InvalidContactFlowException may carry;
	// Validate returns them all, the wire layer keeps the first MaxProblems.
	MaxProblems = 50
)

// Flow is a parsed flow document.
type Flow struct {
	Version     string   `json:"Version"`
	StartAction string   `json:"StartAction"`
	Actions     []Action `json:"Actions"`
	// Metadata is kept verbatim: the console stores canvas positions and
	// display names there, and an engine must neither read nor change it.
	Metadata json.RawMessage `json:"Metadata,omitempty"`

	// index maps an Identifier to its position in Actions; the first action
	// wins when identifiers repeat (Validate rejects that).
	index map[string]int
}

// Action is one block of a flow.
type Action struct {
	Identifier string `json:"Identifier"`
	Type       string `json:"Type"`
	// Parameters holds the decoded JSON object: values are string,
	// json.Number, bool, nil, []any or map[string]any. Connect writes
	// scalars as strings even when they are numbers; use Param to read one
	// without caring which form was used.
	Parameters  map[string]any `json:"Parameters"`
	Transitions Transitions    `json:"Transitions"`
}

// Transitions says where execution goes after an action.
type Transitions struct {
	// NextAction is taken on plain success, and when no condition matches
	// and there is no NoMatchingCondition error branch.
	NextAction string            `json:"NextAction,omitempty"`
	Errors     []ErrorTransition `json:"Errors,omitempty"`
	Conditions []Condition       `json:"Conditions,omitempty"`
}

// ErrorTransition is the branch taken when an action fails with ErrorType.
type ErrorTransition struct {
	NextAction string `json:"NextAction"`
	ErrorType  string `json:"ErrorType"`
}

// Condition is a branch taken when the action's result satisfies Operator
// against Operands. Conditions are tried in order; the first match wins.
type Condition struct {
	NextAction string
	Operator   string
	Operands   []string
}

// Common error types every interpreter needs to know by name.
const (
	ErrNoMatchingError     = "NoMatchingError"
	ErrNoMatchingCondition = "NoMatchingCondition"
)

// Problem is one reason a flow cannot be published.
type Problem struct {
	// Message is complete on its own: it names the action and field.
	Message string
	// Action is the Identifier of the action at fault, "" for problems with
	// the document as a whole or with an action that has no Identifier.
	Action string

	// order is 0 for document problems and 1+ the action's position
	// otherwise; Validate sorts by it to merge its two passes.
	order int
}

func (p Problem) String() string { return p.Message }

// MarshalJSON writes the condition in the flow language's nested shape.
func (c Condition) MarshalJSON() ([]byte, error) {
	type predicate struct {
		Operator string   `json:"Operator"`
		Operands []string `json:"Operands"`
	}
	return json.Marshal(struct {
		NextAction string    `json:"NextAction"`
		Condition  predicate `json:"Condition"`
	}{c.NextAction, predicate{c.Operator, c.Operands}})
}

// Action returns the action with the given Identifier.
func (f *Flow) Action(id string) (*Action, bool) {
	if f.index == nil {
		f.buildIndex()
	}
	i, ok := f.index[id]
	if !ok {
		return nil, false
	}
	return &f.Actions[i], true
}

func (f *Flow) buildIndex() {
	f.index = make(map[string]int, len(f.Actions))
	for i, a := range f.Actions {
		if _, dup := f.index[a.Identifier]; !dup {
			f.index[a.Identifier] = i
		}
	}
}

// Param returns a scalar parameter as a string. Connect stores numbers and
// booleans as strings ("8", "True"), hand-written flows often do not, so
// JSON numbers come back in their literal form and booleans as "True" or
// "False". ok is false when the parameter is absent or not a scalar.
func (a *Action) Param(name string) (value string, ok bool) {
	v, present := a.Parameters[name]
	if !present {
		return "", false
	}
	return scalar(v)
}

// ErrorTarget returns the action to go to when this action fails with
// errorType: the branch for that type, else the NoMatchingError branch.
// ok is false when neither exists, and the flow then ends.
func (t *Transitions) ErrorTarget(errorType string) (next string, ok bool) {
	catchAll := ""
	for _, e := range t.Errors {
		if e.ErrorType == errorType {
			return e.NextAction, true
		}
		if e.ErrorType == ErrNoMatchingError && catchAll == "" {
			catchAll = e.NextAction
		}
	}
	return catchAll, catchAll != ""
}

// Parse decodes content without checking its semantics: unknown action
// types, missing fields and dangling transitions are all accepted. It
// reports content that is not a JSON object of the flow language's shape
// (invalid JSON, or a field of the wrong JSON type) and returns a nil Flow
// with those problems; otherwise it returns the flow and nil.
func Parse(content string) (*Flow, []Problem) {
	f, d := decode(content)
	if len(d.problems) > 0 {
		return nil, d.problems
	}
	return f, nil
}

// decode does Parse's work but also returns the partial flow alongside the
// problems, so Validate can go on checking what did decode. The flow is nil
// only when the content is not a JSON object at all.
func decode(content string) (*Flow, *decoder) {
	d := &decoder{malformed: make(map[string]bool)}
	if content == "" {
		d.doc("Flow content is empty; provide a flow document in JSON")
		return nil, d
	}
	// Counting runes is linear and the byte test spares it for most input.
	if len(content) > MaxContentLength {
		if n := utf8.RuneCountInString(content); n > MaxContentLength {
			d.doc("Flow content is %d characters long; the maximum is %d", n, MaxContentLength)
			return nil, d
		}
	}
	dec := json.NewDecoder(strings.NewReader(content))
	dec.UseNumber() // keep "8" and 8.0 apart from float rounding
	var root any
	err := dec.Decode(&root)
	if err == nil {
		// A second value after the document is as wrong as a broken one.
		if _, tokErr := dec.Token(); tokErr != io.EOF {
			err = fmt.Errorf("unexpected data after the flow document")
		}
	}
	if err != nil {
		d.doc("Flow content is not valid JSON: %s", jsonError(err, len(content)))
		return nil, d
	}
	top, ok := root.(map[string]any)
	if !ok {
		d.doc("Flow content must be a JSON object, not %s", kind(root))
		return nil, d
	}
	f := &Flow{}
	f.Version = d.docString(top, "Version")
	f.StartAction = d.docString(top, "StartAction")
	if m, present := top["Metadata"]; present {
		// Re-encoding a decoded value cannot fail: it came from JSON.
		f.Metadata, _ = json.Marshal(m)
	}
	if v, present := top["Actions"]; present {
		list, ok := v.([]any)
		if !ok {
			d.doc("Actions must be an array of action objects, not %s", kind(v))
			d.malformed["Actions"] = true
		}
		f.Actions = make([]Action, 0, len(list))
		for i, item := range list {
			f.Actions = append(f.Actions, d.action(i, item))
		}
	}
	f.buildIndex()
	return f, d
}

// jsonError words a decoding error for someone editing the document.
func jsonError(err error, end int) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("%s (at byte offset %d)", e.Error(), e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("%s (at byte offset %d)", e.Error(), e.Offset)
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Sprintf("the document ends early (at byte offset %d)", end)
	}
	return err.Error()
}

// decoder collects structural problems while turning the generic JSON tree
// into a Flow.
type decoder struct {
	problems []Problem
	// malformed records the fields reported as the wrong JSON type
	// ("Version", "Actions[2].Type", ...), so that Validate does not report
	// them a second time as missing.
	malformed map[string]bool
}

func (d *decoder) doc(format string, args ...any) {
	d.problems = append(d.problems, newProblem(0, "", fmt.Sprintf(format, args...)))
}

func (d *decoder) at(a *Action, index int, format string, args ...any) {
	d.problems = append(d.problems, newProblem(index+1, a.Identifier, label(a, index)+": "+fmt.Sprintf(format, args...)))
}

func (d *decoder) docString(obj map[string]any, key string) string {
	v, present := obj[key]
	if !present {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		d.doc("%s must be a string, not %s", key, kind(v))
		d.malformed[key] = true
	}
	return s
}

func (d *decoder) action(index int, item any) Action {
	var a Action
	obj, ok := item.(map[string]any)
	if !ok {
		d.at(&a, index, "must be a JSON object, not %s", kind(item))
		d.malformed[fmt.Sprintf("Actions[%d]", index)] = true
		return a
	}
	// Identifier first, so the messages below can name the action.
	str := func(key string) string {
		v, present := obj[key]
		if !present {
			return ""
		}
		s, ok := v.(string)
		if !ok {
			d.at(&a, index, "%s must be a string, not %s", key, kind(v))
			d.malformed[fmt.Sprintf("Actions[%d].%s", index, key)] = true
		}
		return s
	}
	a.Identifier = str("Identifier")
	a.Type = str("Type")
	if v, present := obj["Parameters"]; present {
		if m, ok := v.(map[string]any); ok {
			a.Parameters = m
		} else {
			d.at(&a, index, "Parameters must be a JSON object (use {} for none), not %s", kind(v))
		}
	}
	if v, present := obj["Transitions"]; present {
		if m, ok := v.(map[string]any); ok {
			a.Transitions = d.transitions(&a, index, m)
		} else {
			d.at(&a, index, "Transitions must be a JSON object (use {} for none), not %s", kind(v))
		}
	}
	return a
}

func (d *decoder) transitions(a *Action, index int, obj map[string]any) Transitions {
	var t Transitions
	// str reads a string field of a nested object; where names the field.
	str := func(o map[string]any, key, where string) string {
		v, present := o[key]
		if !present {
			return ""
		}
		s, ok := v.(string)
		if !ok {
			d.at(a, index, "%s must be a string, not %s", where, kind(v))
			d.malformed[fmt.Sprintf("Actions[%d].%s", index, where)] = true
		}
		return s
	}
	t.NextAction = str(obj, "NextAction", "Transitions.NextAction")
	for i, item := range d.list(a, index, obj, "Errors") {
		where := fmt.Sprintf("Transitions.Errors[%d]", i)
		o, ok := item.(map[string]any)
		if !ok {
			d.at(a, index, "%s must be a JSON object, not %s", where, kind(item))
			continue
		}
		t.Errors = append(t.Errors, ErrorTransition{
			NextAction: str(o, "NextAction", where+".NextAction"),
			ErrorType:  str(o, "ErrorType", where+".ErrorType"),
		})
	}
	for i, item := range d.list(a, index, obj, "Conditions") {
		where := fmt.Sprintf("Transitions.Conditions[%d]", i)
		o, ok := item.(map[string]any)
		if !ok {
			d.at(a, index, "%s must be a JSON object, not %s", where, kind(item))
			continue
		}
		c := Condition{NextAction: str(o, "NextAction", where+".NextAction")}
		if v, present := o["Condition"]; present {
			p, ok := v.(map[string]any)
			if !ok {
				d.at(a, index, "%s.Condition must be a JSON object, not %s", where, kind(v))
			} else {
				c.Operator = str(p, "Operator", where+".Condition.Operator")
				c.Operands = d.operands(a, index, p, where+".Condition.Operands")
			}
		}
		t.Conditions = append(t.Conditions, c)
	}
	return t
}

// list returns obj[key] as an array, reporting any other JSON type.
func (d *decoder) list(a *Action, index int, obj map[string]any, key string) []any {
	v, present := obj[key]
	if !present || v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		d.at(a, index, "Transitions.%s must be an array, not %s", key, kind(v))
	}
	return l
}

// operands accepts scalar operands in their string form. The documentation
// allows Condition objects as operands of compound operators, but documents
// no such operator, so a nested condition could never be evaluated and is
// reported instead of silently dropped.
func (d *decoder) operands(a *Action, index int, p map[string]any, where string) []string {
	v, present := p["Operands"]
	if !present || v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		d.at(a, index, "%s must be an array of strings, not %s", where, kind(v))
		return nil
	}
	out := make([]string, 0, len(l))
	for i, item := range l {
		s, ok := scalar(item)
		if !ok {
			d.at(a, index, "%s[%d] must be a string, not %s; compound conditions are not supported", where, i, kind(item))
			continue
		}
		out = append(out, s)
	}
	return out
}

// scalar returns the string form of a JSON scalar, following Connect's
// habit of writing booleans as "True" and "False".
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "True", true
		}
		return "False", true
	}
	return "", false
}

// kind names a decoded JSON value's type for messages.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// label names an action in a message: by Identifier and Type when it has
// them, by position when it has no Identifier to go by.
func label(a *Action, index int) string {
	var b strings.Builder
	if a.Identifier != "" {
		b.WriteString("Action " + quote(a.Identifier))
	} else {
		fmt.Fprintf(&b, "Actions[%d]", index)
	}
	if a.Type != "" {
		b.WriteString(" (" + clip(a.Type) + ")")
	}
	return b.String()
}

// quote quotes user text for a message, clipped to keep messages short.
// Escapes can make the quoted form far longer than the text (an invalid
// byte becomes four characters), so the clipping works on the result.
func quote(s string) string {
	const max = 52 // an Identifier of the maximum 50 characters fits whole
	r, cut := prefix(s, max)
	for n := len(r); ; n-- {
		q := strconv.Quote(string(r[:n]))
		if cut || n < len(r) {
			q = q[:len(q)-1] + `…"`
		}
		if n == 0 || utf8.RuneCountInString(q) <= max {
			return q
		}
	}
}

// clip shortens user text shown unquoted in a message.
func clip(s string) string {
	const max = 40
	if r, cut := prefix(s, max); cut {
		return string(r[:max-1]) + "…"
	}
	return s
}

// prefix returns the first n runes of s and whether s is longer. It reads
// no further than it must: messages quote text that may be 256,000
// characters long, and an action can have thousands of problems.
func prefix(s string, n int) (r []rune, cut bool) {
	r = make([]rune, 0, n)
	for _, c := range s {
		if len(r) == n {
			return r, true
		}
		r = append(r, c)
	}
	return r, false
}

// maxMessage is ProblemDetail.message's length limit in the API model.
const maxMessage = 256

// newProblem makes a Problem whose message fits the wire. The messages are
// written to fit; clipping is the guarantee for unusual combinations of
// long identifiers, types and values.
func newProblem(order int, action, msg string) Problem {
	if utf8.RuneCountInString(msg) > maxMessage {
		msg = string([]rune(msg)[:maxMessage-1]) + "…"
	}
	return Problem{Message: msg, Action: action, order: order}
}
