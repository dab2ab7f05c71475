package domain

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Data table attributes (columns) and the rules for their values.

// Default limits of every value, which an attribute's validation may
// narrow but not widen (the model's own bounds of MaxLength and MaxValues).
const (
	dataTableMaxText   = 1000
	dataTableMaxValues = 100
	// dataTableMaxEnum is the longest Enum.Values list: the documentation
	// caps arrays within validations at 5.
	dataTableMaxEnum = 5
)

// AttributeParams are the inputs of CreateDataTableAttribute and
// UpdateDataTableAttribute.
type AttributeParams struct {
	Name, Description string
	ValueType         string
	Primary           bool
	Validation        *DataTableValidation
}

func (p *AttributeParams) check() error {
	name, err := reservedName(p.Name, "Name")
	if err != nil {
		return err
	}
	p.Name, p.Description = name, strings.TrimSpace(p.Description)
	if p.Primary && isList(p.ValueType) {
		return Errorf(ErrInvalidParameter, "Attribute %q cannot be primary with ValueType %s: a record is identified by single values (TEXT, NUMBER or BOOLEAN).", clip(name, 127), p.ValueType)
	}
	return checkValidation(p.ValueType, p.Validation)
}

func isList(valueType string) bool { return valueType == ValueTextList || valueType == ValueNumberList }

// checkValidation checks that an attribute's rules are consistent.
func checkValidation(valueType string, v *DataTableValidation) error {
	if v == nil {
		return nil
	}
	bad := func(format string, args ...any) error {
		return Errorf(ErrInvalidParameter, "Validation: "+format, args...)
	}
	if v.MinLength != nil && v.MaxLength != nil && *v.MinLength > *v.MaxLength {
		return bad("MinLength %d is greater than MaxLength %d.", *v.MinLength, *v.MaxLength)
	}
	if v.MinValues != nil && v.MaxValues != nil && *v.MinValues > *v.MaxValues {
		return bad("MinValues %d is greater than MaxValues %d.", *v.MinValues, *v.MaxValues)
	}
	for _, f := range []*float64{v.Minimum, v.Maximum, v.ExclusiveMinimum, v.ExclusiveMaximum, v.MultipleOf} {
		if f != nil && (math.IsNaN(*f) || math.IsInf(*f, 0)) {
			return bad("numeric bounds must be finite numbers.")
		}
	}
	lows := []struct {
		name      string
		v         *float64
		exclusive bool
	}{{"Minimum", v.Minimum, false}, {"ExclusiveMinimum", v.ExclusiveMinimum, true}}
	highs := []struct {
		name      string
		v         *float64
		exclusive bool
	}{{"Maximum", v.Maximum, false}, {"ExclusiveMaximum", v.ExclusiveMaximum, true}}
	for _, lo := range lows {
		for _, hi := range highs {
			if lo.v == nil || hi.v == nil {
				continue
			}
			if (lo.exclusive || hi.exclusive) && *lo.v >= *hi.v || *lo.v > *hi.v {
				return bad("%s %g leaves no room below %s %g.", lo.name, *lo.v, hi.name, *hi.v)
			}
		}
	}
	if v.MultipleOf != nil && *v.MultipleOf <= 0 {
		return bad("MultipleOf must be greater than 0.")
	}
	if v.HasEnum {
		if len(v.EnumValues) > dataTableMaxEnum {
			return bad("Enum has %d values; at most %d are allowed.", len(v.EnumValues), dataTableMaxEnum)
		}
		for _, e := range v.EnumValues {
			if err := checkScalar(valueType, e, nil); err != nil {
				return bad("Enum value %q is not a valid %s.", clip(e, 64), valueType)
			}
		}
	}
	return nil
}

// elementType is the type of a list's elements (a scalar type is its own).
func elementType(valueType string) string {
	switch valueType {
	case ValueTextList:
		return ValueText
	case ValueNumberList:
		return ValueNumber
	}
	return valueType
}

// checkValue checks a value against its attribute's type and validation,
// and returns it as stored: a list re-encoded as compact JSON, a boolean
// in lower case.
func checkValue(a *DataTableAttribute, value string) (string, error) {
	if !isList(a.ValueType) {
		if a.ValueType == ValueBoolean {
			value = strings.ToLower(value)
		}
		return value, checkScalar(a.ValueType, value, a.Validation)
	}
	v := a.Validation
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(value), &items); err != nil {
		return "", Errorf(ErrInvalidParameter, "A %s value is a JSON array, such as %s; got %q.", a.ValueType, listExample(a.ValueType), clip(value, 64))
	}
	lo, hi := 0, dataTableMaxValues
	if v != nil && v.MinValues != nil {
		lo = int(*v.MinValues)
	}
	if v != nil && v.MaxValues != nil {
		hi = int(*v.MaxValues)
	}
	if len(items) < lo || len(items) > hi {
		return "", Errorf(ErrInvalidParameter, "Attribute %s takes %d to %d values in a list; got %d.", a.Name, lo, hi, len(items))
	}
	out := make([]any, len(items))
	for i, raw := range items {
		var s string
		if a.ValueType == ValueTextList {
			if err := json.Unmarshal(raw, &s); err != nil {
				return "", Errorf(ErrInvalidParameter, "Item %d of a TEXT_LIST value is not a string.", i)
			}
			out[i] = s
		} else {
			var n json.Number
			if err := json.Unmarshal(raw, &n); err != nil {
				return "", Errorf(ErrInvalidParameter, "Item %d of a NUMBER_LIST value is not a number.", i)
			}
			s, out[i] = n.String(), n
		}
		if err := checkScalar(elementType(a.ValueType), s, v); err != nil {
			return "", err
		}
	}
	b, _ := json.Marshal(out)
	return string(b), nil
}

func listExample(valueType string) string {
	if valueType == ValueNumberList {
		return "[1, 2.5]"
	}
	return `["a", "b"]`
}

// checkScalar checks one TEXT, NUMBER or BOOLEAN value (a list's item, or
// a whole value) against v, which may be nil.
func checkScalar(valueType, value string, v *DataTableValidation) error {
	switch elementType(valueType) {
	case ValueBoolean:
		if value != "true" && value != "false" {
			return Errorf(ErrInvalidParameter, "A BOOLEAN value is true or false; got %q.", clip(value, 64))
		}
	case ValueNumber:
		n, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return Errorf(ErrInvalidParameter, "A NUMBER value is a decimal number such as 42 or -1.5; got %q.", clip(value, 64))
		}
		if v == nil {
			return nil
		}
		switch {
		case v.Minimum != nil && n < *v.Minimum:
			return Errorf(ErrInvalidParameter, "Value %s is below the Minimum %g.", value, *v.Minimum)
		case v.Maximum != nil && n > *v.Maximum:
			return Errorf(ErrInvalidParameter, "Value %s is above the Maximum %g.", value, *v.Maximum)
		case v.ExclusiveMinimum != nil && n <= *v.ExclusiveMinimum:
			return Errorf(ErrInvalidParameter, "Value %s is not above the ExclusiveMinimum %g.", value, *v.ExclusiveMinimum)
		case v.ExclusiveMaximum != nil && n >= *v.ExclusiveMaximum:
			return Errorf(ErrInvalidParameter, "Value %s is not below the ExclusiveMaximum %g.", value, *v.ExclusiveMaximum)
		case v.MultipleOf != nil && !isMultiple(n, *v.MultipleOf):
			return Errorf(ErrInvalidParameter, "Value %s is not a multiple of %g.", value, *v.MultipleOf)
		}
		if v.HasEnum && v.EnumStrict && !slices.ContainsFunc(v.EnumValues, func(e string) bool {
			m, err := strconv.ParseFloat(e, 64)
			return err == nil && m == n
		}) {
			return Errorf(ErrInvalidParameter, "Value %s is not one of the attribute's values %s (its Enum is strict).", value, strings.Join(v.EnumValues, ", "))
		}
	default: // TEXT
		n := utf8.RuneCountInString(value)
		lo, hi := 0, dataTableMaxText
		if v != nil && v.MinLength != nil {
			lo = int(*v.MinLength)
		}
		if v != nil && v.MaxLength != nil {
			hi = int(*v.MaxLength)
		}
		if n < lo || n > hi {
			return Errorf(ErrInvalidParameter, "A text value of this attribute has %d to %d characters; %q has %d.", lo, hi, clip(value, 64), n)
		}
		if v != nil && v.HasEnum && v.EnumStrict && !slices.ContainsFunc(v.EnumValues, func(e string) bool {
			return e == value || (v.IgnoreCase && strings.EqualFold(e, value))
		}) {
			return Errorf(ErrInvalidParameter, "Value %q is not one of the attribute's values %s (its Enum is strict).", clip(value, 64), strings.Join(v.EnumValues, ", "))
		}
	}
	return nil
}

// isMultiple reports whether n/m is an integer, within the rounding of
// decimal fractions (0.3 is a multiple of 0.1).
func isMultiple(n, m float64) bool {
	q := n / m
	return math.Abs(q-math.Round(q)) < 1e-9*math.Max(1, math.Abs(q))
}

// emptyValue is what a new primary attribute gives the records that exist.
func emptyValue(valueType string) string {
	switch valueType {
	case ValueNumber:
		return "0"
	case ValueBoolean:
		return "false"
	}
	return ""
}

// CreateDataTableAttribute adds an attribute. A new primary attribute
// gives every record the empty value of its type.
func (s *Service) CreateDataTableAttribute(ctx context.Context, instanceID, ref string, p AttributeParams) (*DataTable, *DataTableAttribute, error) {
	if err := p.check(); err != nil {
		return nil, nil, err
	}
	var attr DataTableAttribute
	t, err := s.changeDataTable(ctx, instanceID, ref, false, func(tx Tx, iid string, now time.Time, t *DataTable) error {
		if t.attribute(p.Name) != nil {
			return Errorf(ErrDuplicate, "Data table %s already has an attribute named %q (names ignore case); choose another name.", t.ID, p.Name)
		}
		if len(t.Attributes) >= s.quotas.DataTableAttributes {
			// The model gives CreateDataTableAttribute no quota exception.
			return Errorf(ErrInvalidRequest, "Data table %s already has %d attributes, its quota; delete one, or start the server with --quota data-table-attributes=N.", t.ID, len(t.Attributes))
		}
		attr = DataTableAttribute{ID: s.newID(), Name: p.Name, Description: p.Description, ValueType: p.ValueType,
			Primary: p.Primary, Validation: p.Validation, Lock: 1, LastModifiedTime: now}
		t.Attributes = append(t.Attributes, attr)
		if !p.Primary {
			return nil
		}
		recs, err := loadRecords(tx, iid, t.ID)
		if err != nil || len(recs.Records) == 0 {
			return err
		}
		for i := range recs.Records {
			if r := &recs.Records[i]; !r.isDefault() {
				r.Primary[attr.ID] = emptyValue(attr.ValueType)
			}
		}
		return putRecords(tx, iid, t.ID, recs, now)
	})
	if err != nil {
		return nil, nil, err
	}
	return t, t.attributeByID(attr.ID), nil
}

// DescribeDataTableAttribute returns an attribute of a table.
func (s *Service) DescribeDataTableAttribute(ctx context.Context, instanceID, ref, name string) (*DataTable, *DataTableAttribute, error) {
	t, err := s.DescribeDataTable(ctx, instanceID, ref)
	if err != nil {
		return nil, nil, err
	}
	a := t.attribute(name)
	if a == nil {
		return nil, nil, attributeNotFound(t, name)
	}
	return t, a, nil
}

func attributeNotFound(t *DataTable, name string) error {
	return Errorf(ErrNotFound, "Data table %s has no attribute %q; ListDataTableAttributes shows its attributes.", t.ID, clip(name, 127))
}

// ListDataTableAttributes pages through a table's attributes in the order
// they were created; ids, when given and no page token is, picks some.
func (s *Service) ListDataTableAttributes(ctx context.Context, instanceID, ref string, ids []string, page Page) (*DataTable, []DataTableAttribute, string, error) {
	t, err := s.DescribeDataTable(ctx, instanceID, ref)
	if err != nil {
		return nil, nil, "", err
	}
	attrs := t.Attributes
	if len(ids) > 0 && page.NextToken == "" {
		attrs = slices.DeleteFunc(slices.Clone(attrs), func(a DataTableAttribute) bool { return !slices.Contains(ids, a.ID) })
	}
	out, next, err := pageSlice(attrs, page)
	return t, out, next, err
}

// UpdateDataTableAttribute replaces every property of an attribute.
// Making it primary turns each record's value of it into the record's
// primary value; making it not primary turns the primary values back
// into values. Either way records must stay told apart.
func (s *Service) UpdateDataTableAttribute(ctx context.Context, instanceID, ref, name string, p AttributeParams) (*DataTable, *DataTableAttribute, error) {
	if err := p.check(); err != nil {
		return nil, nil, err
	}
	var id string
	t, err := s.changeDataTable(ctx, instanceID, ref, false, func(tx Tx, iid string, now time.Time, t *DataTable) error {
		a := t.attribute(name)
		if a == nil {
			return attributeNotFound(t, name)
		}
		if other := t.attribute(p.Name); other != nil && other.ID != a.ID {
			// The model gives this operation ConflictException, not
			// DuplicateResourceException.
			return Errorf(ErrConflict, "Data table %s already has an attribute named %q (names ignore case); choose another name.", t.ID, p.Name)
		}
		id = a.ID
		wasPrimary := a.Primary
		a.Name, a.Description, a.ValueType, a.Primary, a.Validation = p.Name, p.Description, p.ValueType, p.Primary, p.Validation
		a.Lock++
		a.LastModifiedTime = now
		if wasPrimary == p.Primary {
			return nil
		}
		recs, err := loadRecords(tx, iid, t.ID)
		if err != nil {
			return err
		}
		for i := range recs.Records {
			r := &recs.Records[i]
			switch {
			case r.isDefault() && p.Primary:
				if _, ok := r.Values[a.ID]; ok {
					return Errorf(ErrConflict, "The default record has a value of %s, which a primary attribute cannot have; delete it with BatchDeleteDataTableValue first.", a.Name)
				}
			case p.Primary:
				v := emptyValue(a.ValueType)
				if c, ok := r.Values[a.ID]; ok {
					v = c.Value
					delete(r.Values, a.ID)
				}
				r.Primary[a.ID] = v
			default:
				if v, ok := r.Primary[a.ID]; ok {
					delete(r.Primary, a.ID)
					r.Values[a.ID] = &DataTableCell{Value: v, Lock: 1, LastModifiedTime: now}
				}
			}
		}
		if err := recs.distinct(t); err != nil {
			return err
		}
		return putRecords(tx, iid, t.ID, recs, now)
	})
	if err != nil {
		return nil, nil, err
	}
	return t, t.attributeByID(id), nil
}

// DeleteDataTableAttribute deletes an attribute with its values. Deleting
// a primary attribute must leave the records told apart.
func (s *Service) DeleteDataTableAttribute(ctx context.Context, instanceID, ref, name string) (*DataTable, error) {
	return s.changeDataTable(ctx, instanceID, ref, false, func(tx Tx, iid string, now time.Time, t *DataTable) error {
		a := t.attribute(name)
		if a == nil {
			return attributeNotFound(t, name)
		}
		id := a.ID
		t.Attributes = slices.DeleteFunc(t.Attributes, func(x DataTableAttribute) bool { return x.ID == id })
		recs, err := loadRecords(tx, iid, t.ID)
		if err != nil || len(recs.Records) == 0 {
			return err
		}
		for i := range recs.Records {
			delete(recs.Records[i].Primary, id)
			delete(recs.Records[i].Values, id)
		}
		recs.dropEmpty()
		if err := recs.distinct(t); err != nil {
			return Errorf(ErrConflict, "Deleting primary attribute %s would leave records with the same primary values; change them with UpdateDataTablePrimaryValues first.", name)
		}
		return putRecords(tx, iid, t.ID, recs, now)
	})
}
