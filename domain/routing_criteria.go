package domain

import "fmt"

// Limits on routing criteria that Connect documents for its flow block and
// routing-criteria data model (shared/spec/connect-semantics.md §3.4).
const (
	MaxRoutingSteps     = 5
	MaxAndConditions    = 8
	MaxOrBranches       = 3
	MaxPreferredAgents  = 10
	minProficiencyLevel = 1.0
	maxProficiencyLevel = 5.0
)

// Comparison operators of AttributeCondition.
const (
	OpNumberGreaterOrEqualTo = "NumberGreaterOrEqualTo"
	OpRange                  = "Range"
	OpMatch                  = "Match"
)

// validateRoutingCriteria checks criteria given to UpdateContactRoutingData
// (or a flow). Errors use code so each caller reports its own exception.
func validateRoutingCriteria(rc *RoutingCriteria, code ErrorCode) error {
	if len(rc.Steps) == 0 {
		return Errorf(code, "RoutingCriteria.Steps must have at least one step.")
	}
	if len(rc.Steps) > MaxRoutingSteps {
		return Errorf(code, "RoutingCriteria has %d steps; at most %d are allowed.", len(rc.Steps), MaxRoutingSteps)
	}
	for i, st := range rc.Steps {
		path := fmt.Sprintf("RoutingCriteria.Steps[%d]", i)
		if st.ExpirySeconds != nil && *st.ExpirySeconds < 0 {
			return Errorf(code, "%s.Expiry.DurationInSeconds is %d; it must be 0 or more.", path, *st.ExpirySeconds)
		}
		if err := validateExpression(st.Expression, path+".Expression", true, code); err != nil {
			return err
		}
	}
	return nil
}

// validateExpression enforces Connect's nesting rules: OR only at the top
// level, AND may sit inside OR, no OR inside AND; at most 8 conditions in an
// AND and 3 OR branches.
func validateExpression(e Expression, path string, top bool, code ErrorCode) error {
	members := 0
	for _, b := range []bool{e.Attribute != nil, e.Not != nil, e.And != nil, e.Or != nil} {
		if b {
			members++
		}
	}
	if members == 0 {
		return Errorf(code, "%s is empty: set AttributeCondition, NotAttributeCondition, AndExpression or OrExpression.", path)
	}
	if members > 1 && !(members == 2 && e.And != nil && e.Or != nil) {
		return Errorf(code, "%s sets more than one of AttributeCondition, NotAttributeCondition, AndExpression and OrExpression; nest them with AndExpression instead.", path)
	}
	if e.Attribute != nil {
		if err := validateCondition(*e.Attribute, path+".AttributeCondition", code); err != nil {
			return err
		}
	}
	if e.Not != nil {
		if err := validateCondition(*e.Not, path+".NotAttributeCondition", code); err != nil {
			return err
		}
		if e.Not.ComparisonOperator == OpMatch {
			return Errorf(code, "%s.NotAttributeCondition cannot use the Match operator; exclude agents by proficiency instead.", path)
		}
	}
	if e.Or != nil {
		if !top {
			return Errorf(code, "%s.OrExpression is nested inside an AndExpression; OR is only allowed at the top of a step's expression.", path)
		}
		if len(e.Or) < 1 || len(e.Or) > MaxOrBranches {
			return Errorf(code, "%s.OrExpression has %d branches; it must have 1 to %d.", path, len(e.Or), MaxOrBranches)
		}
		for i, sub := range e.Or {
			if err := validateExpression(sub, fmt.Sprintf("%s.OrExpression[%d]", path, i), false, code); err != nil {
				return err
			}
		}
	}
	if e.And != nil {
		if len(e.And) < 1 || len(e.And) > MaxAndConditions {
			return Errorf(code, "%s.AndExpression has %d conditions; it must have 1 to %d.", path, len(e.And), MaxAndConditions)
		}
		for i, sub := range e.And {
			if sub.Or != nil {
				return Errorf(code, "%s.AndExpression[%d] contains an OrExpression; OR is only allowed at the top of a step's expression.", path, i)
			}
			if sub.And != nil {
				return Errorf(code, "%s.AndExpression[%d] nests another AndExpression; list its conditions in the outer AndExpression.", path, i)
			}
			if err := validateExpression(sub, fmt.Sprintf("%s.AndExpression[%d]", path, i), false, code); err != nil {
				return err
			}
		}
	}
	return nil
}

func validateCondition(c AttributeCondition, path string, code ErrorCode) error {
	levelOK := func(v float64) bool { return v >= minProficiencyLevel && v <= maxProficiencyLevel }
	switch c.ComparisonOperator {
	case OpNumberGreaterOrEqualTo:
		if c.Name == "" || c.Value == "" {
			return Errorf(code, "%s: NumberGreaterOrEqualTo needs Name and Value (the predefined attribute and its value).", path)
		}
		if c.ProficiencyLevel == nil || !levelOK(*c.ProficiencyLevel) {
			return Errorf(code, "%s: NumberGreaterOrEqualTo needs ProficiencyLevel between 1.0 and 5.0.", path)
		}
		if c.HasRange || c.HasMatchCriteria {
			return Errorf(code, "%s: NumberGreaterOrEqualTo takes ProficiencyLevel only, not Range or MatchCriteria.", path)
		}
	case OpRange:
		if c.Name == "" || c.Value == "" {
			return Errorf(code, "%s: Range needs Name and Value (the predefined attribute and its value).", path)
		}
		if !c.HasRange || c.MinLevel == nil || c.MaxLevel == nil || !levelOK(*c.MinLevel) || !levelOK(*c.MaxLevel) {
			return Errorf(code, "%s: Range needs Range.MinProficiencyLevel and Range.MaxProficiencyLevel between 1.0 and 5.0.", path)
		}
		if *c.MinLevel > *c.MaxLevel {
			return Errorf(code, "%s: Range.MinProficiencyLevel %.1f is greater than MaxProficiencyLevel %.1f.", path, *c.MinLevel, *c.MaxLevel)
		}
		if c.ProficiencyLevel != nil || c.HasMatchCriteria {
			return Errorf(code, "%s: Range takes Range only, not ProficiencyLevel or MatchCriteria.", path)
		}
	case OpMatch:
		if !c.HasMatchCriteria || len(c.AgentIDs) == 0 {
			return Errorf(code, "%s: Match needs MatchCriteria.AgentsCriteria.AgentIds with at least one agent.", path)
		}
		if len(c.AgentIDs) > MaxPreferredAgents {
			return Errorf(code, "%s: MatchCriteria lists %d agents; at most %d preferred agents are allowed.", path, len(c.AgentIDs), MaxPreferredAgents)
		}
		if c.ProficiencyLevel != nil || c.HasRange {
			return Errorf(code, "%s: Match takes MatchCriteria only, not ProficiencyLevel or Range.", path)
		}
	case "":
		return Errorf(code, "%s.ComparisonOperator is required: use NumberGreaterOrEqualTo, Range or Match.", path)
	default:
		return Errorf(code, "%s.ComparisonOperator %q is not supported; use NumberGreaterOrEqualTo, Range or Match.", path, clip(c.ComparisonOperator, 64))
	}
	return nil
}
