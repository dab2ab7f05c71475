package wire

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxValidationDepth bounds structure nesting during validation. Recursive
// shapes (SegmentAttributeValue.ValueMap) would otherwise let a client make
// validation recurse as deep as the JSON decoder allows.
const maxValidationDepth = 32

// Validator collects violations; the generated validate methods drive it.
type Validator struct {
	violations []Violation
	depth      int
	// keyOf is set to the map's path while a map key is being checked, so
	// violations are reported as "Map keys must satisfy constraint".
	KeyOf string
}

func (v *Validator) Result() error {
	if len(v.violations) == 0 {
		return nil
	}
	return &ValidationError{Violations: v.violations}
}

// Enter is called on entry to each structure; false means too deep.
func (v *Validator) Enter(path string) bool {
	if v.depth >= maxValidationDepth {
		v.fail(path, "depth", "", fmt.Sprintf("Member must have nesting depth less than or equal to %d", maxValidationDepth))
		return false
	}
	v.depth++
	return true
}

func (v *Validator) Leave() { v.depth-- }

// fail records a violation. echo is the already-quoted value ("'abc'",
// "null") or "" to not quote the value.
func (v *Validator) fail(path, rule, echo, constraint string) {
	if v.KeyOf != "" {
		path, rule = v.KeyOf, "key."+rule
		constraint = "Map keys must satisfy constraint: [" + constraint + "]"
	}
	value := "Value"
	if echo != "" {
		value += " " + echo
	}
	v.violations = append(v.violations, Violation{
		Path:    path,
		Rule:    rule,
		Message: fmt.Sprintf("%s at '%s' failed to satisfy constraint: %s", value, path, constraint),
	})
}

// echoString quotes a rejected string for the message; sensitive members
// (names, descriptions, attributes may hold personal data) are not echoed.
func echoString(s string, sensitive bool) string {
	if sensitive {
		return ""
	}
	return "'" + truncate(s) + "'"
}

func (v *Validator) Required(path string) {
	v.fail(path, "required", "null", "Member must not be null")
}

func (v *Validator) MinLen(path, s string, min int, sensitive bool) {
	if utf8.RuneCountInString(s) < min {
		v.fail(path, "minLength", echoString(s, sensitive), fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
}

func (v *Validator) MaxLen(path, s string, max int, sensitive bool) {
	// len(s) is an upper bound on the rune count: skip counting when short.
	if len(s) > max && utf8.RuneCountInString(s) > max {
		v.fail(path, "maxLength", echoString(s, sensitive), fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

func (v *Validator) Pattern(path, s string, sensitive bool, p *RePattern) {
	if !p.match(s) {
		v.fail(path, "pattern", echoString(s, sensitive), "Member must satisfy regular expression pattern: "+p.Src)
	}
}

func (v *Validator) Enum(path, s string, sensitive bool, values []string) {
	if !slices.Contains(values, s) {
		v.fail(path, "enum", echoString(s, sensitive), "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
	}
}

func (v *Validator) MinInt(path string, n, min int64) {
	if n < min {
		v.fail(path, "minValue", "'"+strconv.FormatInt(n, 10)+"'", fmt.Sprintf("Member must have value greater than or equal to %d", min))
	}
}

func (v *Validator) MaxInt(path string, n, max int64) {
	if n > max {
		v.fail(path, "maxValue", "'"+strconv.FormatInt(n, 10)+"'", fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
}

func (v *Validator) MinFloat(path string, f, min float64) {
	if f < min {
		v.fail(path, "minValue", "'"+strconv.FormatFloat(f, 'g', -1, 64)+"'", "Member must have value greater than or equal to "+strconv.FormatFloat(min, 'g', -1, 64))
	}
}

func (v *Validator) MaxFloat(path string, f, max float64) {
	if f > max {
		v.fail(path, "maxValue", "'"+strconv.FormatFloat(f, 'g', -1, 64)+"'", "Member must have value less than or equal to "+strconv.FormatFloat(max, 'g', -1, 64))
	}
}

// Blob values are never echoed: they may be large or binary.
func (v *Validator) MinBytes(path string, n, min int) {
	if n < min {
		v.fail(path, "minLength", "", fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
}

func (v *Validator) MaxBytes(path string, n, max int) {
	if n > max {
		v.fail(path, "maxLength", "", fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// List and map sizes: AWS words these as "length" too.
func (v *Validator) MinItems(path string, n, min int) {
	if n < min {
		v.fail(path, "minItems", "", fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
}

func (v *Validator) MaxItems(path string, n, max int) {
	if n > max {
		v.fail(path, "maxItems", "", fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// Union enforces that at most one member of a union is set.
func (v *Validator) Union(path string, set ...bool) {
	n := 0
	for _, s := range set {
		if s {
			n++
		}
	}
	if n > 1 {
		v.fail(path, "union", "", "Member must have at most one union member set")
	}
}

func MemberPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func IndexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func KeyPath(path, key string) string { return path + "." + key }

func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
