package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var javaUnicodeEscape = regexp.MustCompile(`\\u([0-9a-fA-F]{4})`)

// modelErrata are patterns of the model that the service does not apply
// as written, skipped with the reason; the domain checks those values
// itself.
var modelErrata = map[string]string{
	// ^[A-Za-z0-9:/]*$ has no '.', so it refuses every IPv4 range, which
	// Connect's own documentation of IP address based access control
	// uses (192.0.2.0/24).
	"IpCidr": "leaves out '.', refusing IPv4 ranges; the domain parses the CIDR instead",
	// ^[a-zA-Z0-9]$ is one character, where the member is a SHA-256 in
	// hex (64 characters), as DescribeView's ViewContentSha256 reports it.
	"ViewContentSha256": "allows one character, refusing every SHA-256; the domain compares the hash instead",
}

// translatePattern turns a model pattern (Java/ECMA regex syntax, matched
// with find semantics, i.e. not implicitly anchored) into an RE2 pattern
// plus RE2 patterns that must NOT match. reason is non-empty when the
// pattern cannot be expressed and has to be skipped.
func translatePattern(p string) (pos string, not []string, reason string) {
	src := p
	// Several Connect patterns were escaped twice when the model was
	// produced from Java sources ("\\S" meaning \S). None of them wants a
	// literal backslash, so a doubled backslash is read as a single one.
	src = strings.ReplaceAll(src, `\\`, `\`)
	// Java's \uXXXX is RE2's \x{XXXX}.
	src = javaUnicodeEscape.ReplaceAllString(src, `\x{$1}`)
	if len(src) > 1 && strings.HasPrefix(src, "/") && strings.HasSuffix(src, "/") {
		src = src[1 : len(src)-1] // a JavaScript regex literal slipped into the model
	}
	// RE2 has no lookaround, but a run of negative lookaheads right after a
	// leading '^' is equivalent to separate anchored patterns that must not
	// match: ^(?!aws:)X  ==  matches ^X and does not match ^aws:.
	for strings.HasPrefix(src, "^(?!") {
		end := groupEnd(src, 1)
		if end < 0 {
			return "", nil, "unbalanced group"
		}
		not = append(not, "^(?:"+src[4:end]+")")
		src = "^" + src[end+1:]
	}
	for _, la := range []string{"(?=", "(?!", "(?<=", "(?<!"} {
		if strings.Contains(src, la) {
			return "", nil, "lookaround " + la + ") not supported by RE2"
		}
	}
	if why := javaOnlyClassSyntax(src); why != "" {
		return "", nil, why
	}
	for _, s := range append([]string{src}, not...) {
		if _, err := regexp.Compile(s); err != nil {
			return "", nil, "RE2: " + err.Error()
		}
	}
	return src, not, ""
}

// boundedClass is an anchored pattern of one character class repeated a
// bounded number of times, as the model writes its free-text shapes:
// ^[\P{C}\r\n\t]{1,250}$.
var boundedClass = regexp.MustCompile(`^\^(\[(?:[^\]\\]|\\.)+\])\{(\d+),(\d+)\}\$$`)

// countedClass rewrites a boundedClass pattern as the class repeated any
// number of times, and returns the bounds to check by counting characters
// (wire.RePattern.Runes). RE2 unrolls {m,n} into n copies of the class,
// which for the model's Unicode classes costs megabytes of heap per
// pattern; the rewritten pair accepts exactly the same strings. Other
// patterns come back unchanged, with zero bounds.
func countedClass(pos string) (string, [2]int) {
	m := boundedClass.FindStringSubmatch(pos)
	if m == nil {
		return pos, [2]int{}
	}
	lo, err1 := strconv.Atoi(m[2])
	hi, err2 := strconv.Atoi(m[3])
	if err1 != nil || err2 != nil || hi == 0 || lo > hi {
		return pos, [2]int{}
	}
	return "^" + m[1] + "*$", [2]int{lo, hi}
}

// groupEnd returns the index of the ')' closing the group opened at i.
func groupEnd(s string, i int) int {
	depth, inClass := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// javaOnlyClassSyntax detects character-class syntax that RE2 accepts but
// reads differently from Java: nested classes and '&&' intersections.
func javaOnlyClassSyntax(s string) string {
	inClass := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			i++
		case !inClass && c == '[':
			inClass = true
			if i+1 < len(s) && s[i+1] == '^' {
				i++
			}
			if i+1 < len(s) && s[i+1] == ']' {
				i++ // a leading ']' is literal
			}
		case inClass && c == '[' && !strings.HasPrefix(s[i:], "[:"):
			return "nested character class (Java union) not supported"
		case inClass && c == '&' && i+1 < len(s) && s[i+1] == '&':
			return "character class intersection (&&) not supported"
		case inClass && c == ']':
			inClass = false
		}
	}
	return ""
}

// needsCheck reports whether values of the shape have any constraint, so
// that check functions and loops are only generated where they do work.
func (g *generator) needsCheck(name string) bool {
	s := g.m.Shapes[name]
	switch s.Type {
	case "structure":
		return true
	case "string":
		return s.Min != "" || s.Max != "" || s.Pattern != "" || len(s.Enum) > 0
	case "integer", "long", "float", "double", "blob":
		return s.Min != "" || s.Max != ""
	case "list":
		return s.Min != "" || s.Max != "" || g.needsCheck(s.Member)
	case "map":
		return s.Min != "" || s.Max != "" || g.needsCheck(s.Key) || g.needsCheck(s.Val)
	}
	return false
}

// checkCall is the statement validating value expr (of shape name, held by
// value) at path expression pathExpr.
func (g *generator) checkCall(name, pathExpr, expr string) string {
	if g.m.Shapes[name].Type == "structure" {
		return fmt.Sprintf("%s.validate(v, %s)", expr, pathExpr)
	}
	return fmt.Sprintf("%s(v, %s, %s)", g.funcName["check:"+name], pathExpr, expr)
}

func intLiteral(shape, lit string) (string, error) {
	if _, err := strconv.ParseInt(lit, 10, 64); err != nil {
		return "", fmt.Errorf("shape %s: bound %q is not an integer", shape, lit)
	}
	return lit, nil
}

func (g *generator) genValidate(buf *bytes.Buffer) error {
	var inputs []string
	for _, n := range g.m.Order {
		if g.m.Shapes[n].reachableByInput {
			inputs = append(inputs, n)
		}
	}

	// Patterns first: each is compiled once, at package init.
	var pats bytes.Buffer
	for _, n := range inputs {
		s := g.m.Shapes[n]
		if s.Type != "string" || s.Pattern == "" {
			continue
		}
		pos, not, why := translatePattern(s.Pattern)
		if reason, ok := modelErrata[n]; ok {
			why = reason
		}
		if why != "" {
			g.skipped = append(g.skipped, skippedPattern{n, s.Pattern, why})
			continue
		}
		pos, runes := countedClass(pos)
		fmt.Fprintf(&pats, "var %s = &wire.RePattern{Src: %s, RE: regexp.MustCompile(%s)", g.funcName["pattern:"+n], strconv.Quote(s.Pattern), strconv.Quote(pos))
		if runes[1] > 0 {
			fmt.Fprintf(&pats, ", Runes: [2]int{%d, %d}", runes[0], runes[1])
		}
		if len(not) > 0 {
			pats.WriteString(", Not: []*regexp.Regexp{")
			for _, x := range not {
				fmt.Fprintf(&pats, "regexp.MustCompile(%s), ", strconv.Quote(x))
			}
			pats.WriteString("}")
		}
		pats.WriteString("}\n")
	}
	if pats.Len() > 0 {
		buf.WriteString("import (\n\t\"regexp\"\n\n\t\"" + wireImport + "\"\n)\n\n")
	} else {
		buf.WriteString("import \"" + wireImport + "\"\n\n")
	}
	buf.Write(pats.Bytes())
	buf.WriteString("\n// Model patterns RE2 cannot express; they are NOT enforced:\n")
	for _, sk := range g.skipped {
		fmt.Fprintf(buf, "//   - %s: %s (%s)\n", sk.Shape, sk.Pattern, sk.Reason)
	}
	fmt.Fprintf(buf, "var %s = []wire.SkippedPattern{\n", g.funcName["skipped"])
	for _, sk := range g.skipped {
		fmt.Fprintf(buf, "\t{Shape: %q, Pattern: %s, Reason: %q},\n", sk.Shape, strconv.Quote(sk.Pattern), sk.Reason)
	}
	buf.WriteString("}\n\n")

	skippedSet := map[string]bool{}
	for _, sk := range g.skipped {
		skippedSet[sk.Shape] = true
	}

	done := map[string]bool{}
	for _, op := range g.m.Ops {
		if op.Input == "" || done[op.Input] {
			continue
		}
		done[op.Input] = true
		tn := g.typeName[op.Input]
		fmt.Fprintf(buf, "// Validate checks every constraint the model puts on %s and returns nil or a *ValidationError.\nfunc (in *%s) Validate() error {\n\tv := &wire.Validator{}\n\tin.validate(v, \"\")\n\treturn v.Result()\n}\n\n", tn, tn)
	}

	for _, n := range inputs {
		s := g.m.Shapes[n]
		if !g.needsCheck(n) {
			continue
		}
		sens := strconv.FormatBool(s.Sensitive)
		fn := g.funcName["check:"+n]
		switch s.Type {
		case "structure":
			g.genStructValidate(buf, s)
		case "string":
			val := "val"
			if g.isEnum(s) {
				fmt.Fprintf(buf, "func %s(v *wire.Validator, path string, val %s) {\n", fn, g.typeName[n])
				fmt.Fprintf(buf, "\tv.Enum(path, string(val), %s, %s)\n", sens, g.funcName["enumValues:"+n])
				val = "string(val)"
			} else {
				fmt.Fprintf(buf, "func %s(v *wire.Validator, path string, val string) {\n", fn)
			}
			if s.Min != "" && s.Min != "0" {
				fmt.Fprintf(buf, "\tv.MinLen(path, %s, %s, %s)\n", val, s.Min, sens)
			}
			if s.Max != "" {
				fmt.Fprintf(buf, "\tv.MaxLen(path, %s, %s, %s)\n", val, s.Max, sens)
			}
			if s.Pattern != "" && !skippedSet[n] {
				fmt.Fprintf(buf, "\tv.Pattern(path, %s, %s, %s)\n", val, sens, g.funcName["pattern:"+n])
			}
			buf.WriteString("}\n\n")
		case "integer", "long":
			fmt.Fprintf(buf, "func %s(v *wire.Validator, path string, val %s) {\n", fn, g.goType(n))
			for _, b := range []struct{ lit, helper string }{{s.Min, "MinInt"}, {s.Max, "MaxInt"}} {
				if b.lit == "" {
					continue
				}
				lit, err := intLiteral(n, b.lit)
				if err != nil {
					return err
				}
				fmt.Fprintf(buf, "\tv.%s(path, int64(val), %s)\n", b.helper, lit)
			}
			buf.WriteString("}\n\n")
		case "float", "double":
			fmt.Fprintf(buf, "func %s(v *wire.Validator, path string, val float64) {\n", fn)
			if s.Min != "" {
				fmt.Fprintf(buf, "\tv.MinFloat(path, val, %s)\n", s.Min)
			}
			if s.Max != "" {
				fmt.Fprintf(buf, "\tv.MaxFloat(path, val, %s)\n", s.Max)
			}
			buf.WriteString("}\n\n")
		case "blob":
			fmt.Fprintf(buf, "func %s(v *wire.Validator, path string, val []byte) {\n", fn)
			if s.Min != "" {
				fmt.Fprintf(buf, "\tv.MinBytes(path, len(val), %s)\n", s.Min)
			}
			if s.Max != "" {
				fmt.Fprintf(buf, "\tv.MaxBytes(path, len(val), %s)\n", s.Max)
			}
			buf.WriteString("}\n\n")
		case "list":
			fmt.Fprintf(buf, "func %s(v *wire.Validator, path string, val %s) {\n", fn, g.goType(n))
			if s.Min != "" {
				fmt.Fprintf(buf, "\tv.MinItems(path, len(val), %s)\n", s.Min)
			}
			if s.Max != "" {
				fmt.Fprintf(buf, "\tv.MaxItems(path, len(val), %s)\n", s.Max)
			}
			if g.needsCheck(s.Member) {
				fmt.Fprintf(buf, "\tfor i := range val {\n\t\t%s\n\t}\n", g.checkCall(s.Member, "wire.IndexPath(path, i)", "val[i]"))
			}
			buf.WriteString("}\n\n")
		case "map":
			fmt.Fprintf(buf, "func %s(v *wire.Validator, path string, val %s) {\n", fn, g.goType(n))
			if s.Min != "" {
				fmt.Fprintf(buf, "\tv.MinItems(path, len(val), %s)\n", s.Min)
			}
			if s.Max != "" {
				fmt.Fprintf(buf, "\tv.MaxItems(path, len(val), %s)\n", s.Max)
			}
			keyCheck, valCheck := g.needsCheck(s.Key), g.needsCheck(s.Val)
			if keyCheck || valCheck {
				// Sorted keys keep the violation list deterministic.
				buf.WriteString("\tfor _, k := range wire.SortedKeys(val) {\n")
				if keyCheck {
					key := "k"
					if g.isEnum(g.m.Shapes[s.Key]) {
						key = g.typeName[s.Key] + "(k)"
					}
					fmt.Fprintf(buf, "\t\tv.KeyOf = path\n\t\t%s\n\t\tv.KeyOf = \"\"\n", g.checkCall(s.Key, "path", key))
				}
				if valCheck {
					fmt.Fprintf(buf, "\t\te := val[k]\n\t\t%s\n", g.checkCall(s.Val, "wire.KeyPath(path, k)", "e"))
				}
				buf.WriteString("\t}\n")
			}
			buf.WriteString("}\n\n")
		}
	}
	return nil
}

func (g *generator) genStructValidate(buf *bytes.Buffer, s *Shape) {
	fmt.Fprintf(buf, "func (s *%s) validate(v *wire.Validator, path string) {\n", g.typeName[s.Name])
	// The depth guard bounds recursion through recursive shapes such as
	// SegmentAttributeValue.ValueMap.
	buf.WriteString("\tif !v.Enter(path) {\n\t\treturn\n\t}\n\tdefer v.Leave()\n")
	fields := fieldNames(s)
	if s.Union && len(s.Members) > 1 {
		var set []string
		for i, mb := range s.Members {
			set = append(set, g.isSet(mb.Shape, "s."+fields[i]))
		}
		fmt.Fprintf(buf, "\tv.Union(path, %s)\n", strings.Join(set, ", "))
	}
	for i, mb := range s.Members {
		field := "s." + fields[i]
		p := fmt.Sprintf("wire.MemberPath(path, %q)", mb.Name)
		req := s.Required[mb.Name]
		check := g.needsCheck(mb.Shape)
		if !req && !check {
			continue
		}
		set := g.isSet(mb.Shape, field)
		unset := g.isUnset(mb.Shape, field)
		val := field
		if g.pointerMember(mb.Shape) && g.m.Shapes[mb.Shape].Type != "structure" {
			val = "*" + field
		}
		switch {
		case req && check:
			fmt.Fprintf(buf, "\tif %s {\n\t\tv.Required(%s)\n\t} else {\n\t\t%s\n\t}\n", unset, p, g.checkCall(mb.Shape, p, val))
		case req:
			fmt.Fprintf(buf, "\tif %s {\n\t\tv.Required(%s)\n\t}\n", unset, p)
		default:
			fmt.Fprintf(buf, "\tif %s {\n\t\t%s\n\t}\n", set, g.checkCall(mb.Shape, p, val))
		}
	}
	buf.WriteString("}\n\n")
}

func (g *generator) isUnset(shape, field string) string {
	if g.isEnum(g.m.Shapes[shape]) {
		return field + ` == ""`
	}
	return field + " == nil"
}

// isSet is the Go condition telling whether a member holds a value.
func (g *generator) isSet(shape, field string) string {
	if g.isEnum(g.m.Shapes[shape]) {
		return field + ` != ""`
	}
	return field + " != nil"
}
