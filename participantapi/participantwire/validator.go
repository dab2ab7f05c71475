package participantwire

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds structure nesting while validating; the participant
// shapes are shallow, this only guards against future recursive shapes.
const maxDepth = 32

// validator collects violations for the generated validate methods.
type validator struct {
	violations []Violation
	depth      int
}

func (v *validator) result() error {
	if len(v.violations) == 0 {
		return nil
	}
	return &ValidationError{Violations: v.violations}
}

func (v *validator) enter(path string) bool {
	if v.depth >= maxDepth {
		v.add(path, "depth", "", fmt.Sprintf("Member must have nesting depth less than or equal to %d", maxDepth))
		return false
	}
	v.depth++
	return true
}

func (v *validator) leave() { v.depth-- }

// add records a violation; shown is the quoted rejected value or "".
func (v *validator) add(path, rule, shown, constraint string) {
	subject := "Value"
	if shown != "" {
		subject += " " + shown
	}
	v.violations = append(v.violations, Violation{Path: path, Rule: rule,
		Message: fmt.Sprintf("%s at '%s' failed to satisfy constraint: %s", subject, path, constraint)})
}

func quoted(s string, sensitive bool) string {
	if sensitive {
		return ""
	}
	return "'" + clipEcho(s) + "'"
}

func (v *validator) required(path string) {
	v.add(path, "required", "null", "Member must not be null")
}

func (v *validator) minLen(path, s string, min int, sensitive bool) {
	if utf8.RuneCountInString(s) < min {
		v.add(path, "minLength", quoted(s, sensitive), fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
}

func (v *validator) maxLen(path, s string, max int, sensitive bool) {
	if len(s) > max && utf8.RuneCountInString(s) > max {
		v.add(path, "maxLength", quoted(s, sensitive), fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

func (v *validator) enum(path, s string, sensitive bool, values []string) {
	if !slices.Contains(values, s) {
		v.add(path, "enum", quoted(s, sensitive), "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
	}
}

func (v *validator) minInt(path string, n, min int64) {
	if n < min {
		v.add(path, "minValue", "'"+strconv.FormatInt(n, 10)+"'", fmt.Sprintf("Member must have value greater than or equal to %d", min))
	}
}

func (v *validator) maxInt(path string, n, max int64) {
	if n > max {
		v.add(path, "maxValue", "'"+strconv.FormatInt(n, 10)+"'", fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
}

func (v *validator) minItems(path string, n, min int) {
	if n < min {
		v.add(path, "minItems", "", fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
}

func (v *validator) maxItems(path string, n, max int) {
	if n > max {
		v.add(path, "maxItems", "", fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

func memberPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }
