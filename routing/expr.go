package routing

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// cexpr is a compiled routing-step expression, interned by its canonical
// signature: contacts whose active steps share an expression share one
// cexpr, which keeps criteria memory per contact small and lets a queue group
// such contacts so one evaluation per agent covers all of them.
type cexpr struct {
	sig  string
	refs int // contact steps referring to it
	src  Expression
	// branches is the expression in disjunctive normal form: it matches an
	// agent when every literal of some branch does.
	branches [][]lit
	// cands lists the only agents that can match (each branch has a positive
	// Match), sorted; nil means any agent may match.
	cands []int32
}

// lit is one condition of a branch, possibly negated (NotAttributeCondition).
type lit struct {
	neg    bool
	op     Operator
	attr   int32   // interned (Name, Value), for proficiency operators
	lo, hi float64 // inclusive level bounds
	agents []int32 // sorted agent indexes, for Match
}

// signature renders an expression canonically: equal expressions (key order
// aside, which Go structs do not have) give equal strings. Array order is
// kept, as Connect treats it as significant.
func signature(e Expression) string {
	var b strings.Builder
	writeSig(&b, e)
	return b.String()
}

func writeSig(b *strings.Builder, e Expression) {
	cond := func(tag string, c *Condition) {
		b.WriteString(tag)
		b.WriteString(strconv.Quote(c.Name))
		b.WriteString(strconv.Quote(c.Value))
		b.WriteString(string(c.ComparisonOperator))
		for _, f := range []float64{c.ProficiencyLevel, c.MinProficiencyLevel, c.MaxProficiencyLevel} {
			b.WriteByte(',')
			b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
		}
		for _, id := range c.AgentIDs {
			b.WriteString(strconv.Quote(id))
		}
		b.WriteByte(')')
	}
	if e.AttributeCondition != nil {
		cond("A(", e.AttributeCondition)
	}
	if e.NotAttributeCondition != nil {
		cond("N(", e.NotAttributeCondition)
	}
	if e.AndExpression != nil {
		b.WriteString("&(")
		for _, s := range e.AndExpression {
			writeSig(b, s)
			b.WriteByte(';')
		}
		b.WriteByte(')')
	}
	if e.OrExpression != nil {
		b.WriteString("|(")
		for _, s := range e.OrExpression {
			writeSig(b, s)
			b.WriteByte(';')
		}
		b.WriteByte(')')
	}
}

// compile turns an expression into DNF. Every member set on one Expression
// is AND-ed, so the documented "And and Or side by side" form works and so
// does any nesting the domain would have rejected.
func (e *Engine) compile(x Expression) *cexpr {
	ce := &cexpr{src: x, branches: e.dnf(x)}
	var all []int32
	for _, br := range ce.branches {
		var only []int32
		found := false
		for _, l := range br {
			if l.op == OpMatch && !l.neg {
				only, found = l.agents, true
				break
			}
		}
		if !found {
			return ce // some branch admits any agent
		}
		all = append(all, only...)
	}
	slices.Sort(all)
	ce.cands = slices.Compact(all)
	if ce.cands == nil {
		ce.cands = []int32{} // restricted to nobody, not unrestricted
	}
	return ce
}

func (e *Engine) dnf(x Expression) [][]lit {
	out := [][]lit{{}} // the empty conjunction: true
	and := func(other [][]lit) {
		var next [][]lit
		for _, a := range out {
			for _, b := range other {
				next = append(next, append(slices.Clip(a), b...))
			}
		}
		out = next
	}
	if c := x.AttributeCondition; c != nil {
		and([][]lit{{e.lit(c, false)}})
	}
	if c := x.NotAttributeCondition; c != nil {
		and([][]lit{{e.lit(c, true)}})
	}
	for _, s := range x.AndExpression {
		and(e.dnf(s))
	}
	if x.OrExpression != nil {
		var any [][]lit
		for _, s := range x.OrExpression {
			any = append(any, e.dnf(s)...)
		}
		and(any)
	}
	return out
}

func (e *Engine) lit(c *Condition, neg bool) lit {
	l := lit{neg: neg, op: c.ComparisonOperator}
	switch c.ComparisonOperator {
	case OpMatch:
		for _, id := range c.AgentIDs {
			l.agents = append(l.agents, e.agentIndex(id))
		}
		slices.Sort(l.agents)
		if l.agents == nil {
			l.agents = []int32{}
		}
	case OpRange:
		l.attr = e.attrIndex(c.Name, c.Value)
		l.lo, l.hi = c.MinProficiencyLevel, c.MaxProficiencyLevel
	default:
		// NumberGreaterOrEqualTo; an unknown operator is treated the same
		// way rather than failing a contact the domain should have refused.
		l.attr = e.attrIndex(c.Name, c.Value)
		l.lo, l.hi = c.ProficiencyLevel, 1e308
	}
	return l
}

// holds reports whether the literal is true for the agent.
func (l *lit) holds(a *agent) bool {
	var ok bool
	if l.op == OpMatch {
		_, ok = slices.BinarySearch(l.agents, a.idx)
	} else {
		lv, has := a.level(l.attr)
		ok = has && lv >= l.lo && lv <= l.hi
	}
	return ok != l.neg
}

// matches reports whether the agent satisfies the expression. A nil
// expression (no active step) matches everyone.
func (ce *cexpr) matches(a *agent) bool {
	if ce == nil {
		return true
	}
next:
	for _, br := range ce.branches {
		for i := range br {
			if !br[i].holds(a) {
				continue next
			}
		}
		return true
	}
	return false
}

// why explains a non-match: for each OR branch, the first condition the
// agent fails, with the agent's own level.
func (ce *cexpr) why(a *agent, attrName func(int32) string) string {
	var parts []string
	for _, br := range ce.branches {
		for i := range br {
			l := &br[i]
			if l.holds(a) {
				continue
			}
			parts = append(parts, describeFailure(l, a, attrName))
			break
		}
	}
	return strings.Join(parts, "; ")
}

func describeFailure(l *lit, a *agent, attrName func(int32) string) string {
	not := ""
	if l.neg {
		not = "NOT "
	}
	if l.op == OpMatch {
		if l.neg {
			return "NOT Match: agent is in AgentIds"
		}
		return "Match: agent is not in AgentIds"
	}
	have := "agent lacks the proficiency"
	if lv, ok := a.level(l.attr); ok {
		have = "agent has " + strconv.FormatFloat(lv, 'g', -1, 64)
	}
	want := ">= " + strconv.FormatFloat(l.lo, 'g', -1, 64)
	if l.op == OpRange {
		want = fmt.Sprintf("in [%g, %g]", l.lo, l.hi)
	}
	return fmt.Sprintf("%s%s %s (%s)", not, attrName(l.attr), want, have)
}

// internExpr returns the shared compiled form of x, counting a reference.
func (e *Engine) internExpr(x Expression) *cexpr {
	sig := signature(x)
	if ce, ok := e.exprs[sig]; ok {
		ce.refs++
		return ce
	}
	ce := e.compile(x)
	ce.src = cloneExpr(x) // the caller may reuse its slices
	ce.sig = sig
	ce.refs = 1
	e.exprs[sig] = ce
	return ce
}

func (e *Engine) releaseExpr(ce *cexpr) {
	if ce.refs--; ce.refs == 0 {
		delete(e.exprs, ce.sig)
	}
}

func cloneExpr(x Expression) Expression {
	cc := func(c *Condition) *Condition {
		if c == nil {
			return nil
		}
		d := *c
		d.AgentIDs = slices.Clone(c.AgentIDs)
		return &d
	}
	y := Expression{AttributeCondition: cc(x.AttributeCondition), NotAttributeCondition: cc(x.NotAttributeCondition)}
	for _, s := range x.AndExpression {
		y.AndExpression = append(y.AndExpression, cloneExpr(s))
	}
	for _, s := range x.OrExpression {
		y.OrExpression = append(y.OrExpression, cloneExpr(s))
	}
	return y
}
