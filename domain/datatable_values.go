package domain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Data table records and values. A record is identified by its values of
// the table's primary attributes; the default record has none (it holds
// the values that apply when no record matches, and every value of a table
// without primary attributes). A record exists while it holds a value:
// values are those of the non-primary attributes, and a primary
// attribute's value is the record's primary value, set when a value is
// created with it and changed with UpdateDataTablePrimaryValues.

// dataTableRecords is a table's KindDataTableRecords document.
type dataTableRecords struct {
	Records []DataTableRecord
}

// DataTableRecord is a record of a table.
type DataTableRecord struct {
	ID string
	// Primary maps primary attribute IDs to their values; empty for the
	// default record.
	Primary          map[string]string
	Values           map[string]*DataTableCell
	Lock             int64
	LastModifiedTime time.Time
}

// DataTableCell is one value.
type DataTableCell struct {
	Value            string
	Lock             int64
	LastModifiedTime time.Time
}

func (r *DataTableRecord) isDefault() bool { return len(r.Primary) == 0 }

func loadRecords(tx ReadTx, iid, tableID string) (*dataTableRecords, error) {
	recs, err := getDoc[dataTableRecords](tx, KindDataTableRecords, iid, tableID)
	if errors.Is(err, ErrStoreNotFound) {
		return &dataTableRecords{}, nil
	}
	return recs, err
}

func putRecords(tx Tx, iid, tableID string, recs *dataTableRecords, now time.Time) error {
	return putDoc(tx, KindDataTableRecords, iid, tableID, "", now, now, recs)
}

// key is what tells a record apart: its primary values in the table's
// attribute order, in lower case for attributes that ignore case.
func (r *DataTableRecord) key(t *DataTable) string {
	var b strings.Builder
	for _, a := range t.primaries() {
		v := r.Primary[a.ID]
		if a.Validation != nil && a.Validation.IgnoreCase {
			v = strings.ToLower(v)
		}
		fmt.Fprintf(&b, "%d:%s", len(v), v)
	}
	return b.String()
}

// distinct refuses records that share their primary values.
func (recs *dataTableRecords) distinct(t *DataTable) error {
	seen := map[string]bool{}
	for i := range recs.Records {
		k := recs.Records[i].key(t)
		if seen[k] {
			return Errorf(ErrConflict, "Two records of data table %s would have the same primary values; change one with UpdateDataTablePrimaryValues first.", t.ID)
		}
		seen[k] = true
	}
	return nil
}

// dropEmpty removes the records left without values.
func (recs *dataTableRecords) dropEmpty() {
	recs.Records = slices.DeleteFunc(recs.Records, func(r DataTableRecord) bool { return len(r.Values) == 0 })
}

// find returns the record with the primary values of key.
func (recs *dataTableRecords) find(t *DataTable, primary map[string]string) *DataTableRecord {
	probe := DataTableRecord{Primary: primary}
	k := probe.key(t)
	for i := range recs.Records {
		if recs.Records[i].key(t) == k {
			return &recs.Records[i]
		}
	}
	return nil
}

func (recs *dataTableRecords) byID(id string) *DataTableRecord {
	for i := range recs.Records {
		if recs.Records[i].ID == id {
			return &recs.Records[i]
		}
	}
	return nil
}

// PrimaryValue names a record by one primary attribute's value.
type PrimaryValue struct {
	AttributeName, AttributeID, Value string
}

// primaryValues resolves a record's primary values as a request names
// them: all of the table's primary attributes, or none for the default
// record, each value checked against its attribute.
func primaryValues(t *DataTable, given []PrimaryValue) (map[string]string, error) {
	out := map[string]string{}
	for _, pv := range given {
		a := t.attribute(pv.AttributeName)
		if a == nil || !a.Primary {
			return nil, Errorf(ErrInvalidParameter, "PrimaryValues names %q, which is not a primary attribute of data table %s.", clip(pv.AttributeName, 127), t.ID)
		}
		if _, dup := out[a.ID]; dup {
			return nil, Errorf(ErrInvalidParameter, "PrimaryValues names attribute %s twice.", a.Name)
		}
		v, err := checkValue(a, pv.Value)
		if err != nil {
			return nil, err
		}
		out[a.ID] = v
	}
	if n := len(t.primaries()); len(out) != 0 && len(out) != n {
		return nil, Errorf(ErrInvalidParameter, "PrimaryValues gives %d of the table's %d primary attributes; give all of them, or none for the default record.", len(out), n)
	}
	return out, nil
}

// primaryOut lists a record's primary values in the table's order.
func primaryOut(t *DataTable, r *DataTableRecord) []PrimaryValue {
	var out []PrimaryValue
	for _, a := range t.primaries() {
		if v, ok := r.Primary[a.ID]; ok {
			out = append(out, PrimaryValue{AttributeName: a.Name, AttributeID: a.ID, Value: v})
		}
	}
	return out
}

// LockVersions are the four lock versions of a value, as the wire shows
// them; "" when not applicable.
type LockVersions struct {
	DataTable, Attribute, PrimaryValues, Value string
}

// lockVersions of a value (attr, r and c may be nil).
func lockVersions(t *DataTable, a *DataTableAttribute, r *DataTableRecord, c *DataTableCell) LockVersions {
	lv := LockVersions{DataTable: LockString(t.Lock)}
	if a != nil {
		lv.Attribute = LockString(a.Lock)
	}
	if r != nil {
		lv.PrimaryValues = LockString(r.Lock)
	}
	if c != nil {
		lv.Value = LockString(c.Lock)
	}
	return lv
}

// lockHeld checks a change's lock versions at lock level level (the
// table's, for a value); for a create (required false) an absent version
// is not checked.
func lockHeld(level string, t *DataTable, a *DataTableAttribute, r *DataTableRecord, c *DataTableCell, given LockVersions, required bool) error {
	var member, have string
	switch level {
	case LockDataTable:
		member, have = "DataTable", LockString(t.Lock)
	case LockPrimaryValue:
		if r == nil {
			return nil
		}
		member, have = "PrimaryValues", LockString(r.Lock)
	case LockAttribute:
		if a == nil {
			return nil
		}
		member, have = "Attribute", LockString(a.Lock)
	case LockValue:
		if c == nil {
			return nil
		}
		member, have = "Value", LockString(c.Lock)
	default:
		return nil
	}
	got := map[string]string{"DataTable": given.DataTable, "PrimaryValues": given.PrimaryValues, "Attribute": given.Attribute, "Value": given.Value}[member]
	switch {
	case got == "" && !required:
		return nil
	case got == "":
		return Errorf(ErrConflict, "LockVersion.%s is required: data table %s locks values at the %s level. Read the current one with BatchDescribeDataTableValue.", member, t.ID, level)
	case got != have:
		return Errorf(ErrConflict, "LockVersion.%s %q is not the current one (%s): the data changed since it was read. Read it again with BatchDescribeDataTableValue and retry.", member, clip(got, 32), have)
	}
	return nil
}

// touched moves the lock versions a value change moves: the value's, and
// the one of the table's lock level. It reports whether the table document
// changed (its own version or an attribute's).
func touched(t *DataTable, a *DataTableAttribute, r *DataTableRecord, c *DataTableCell, now time.Time) bool {
	c.Lock++
	c.LastModifiedTime = now
	r.LastModifiedTime = now
	switch t.ValueLockLevel {
	case LockDataTable:
		t.Lock++
		return true
	case LockPrimaryValue:
		r.Lock++
	case LockAttribute:
		a.Lock++
		return true
	}
	return false
}

// ValueInput is one value of BatchCreate/BatchUpdate/BatchDelete/
// BatchDescribeDataTableValue.
type ValueInput struct {
	PrimaryValues []PrimaryValue
	AttributeName string
	Value         string
	LockVersion   LockVersions
}

// ValueResult is one value's outcome: Err is set when it failed.
type ValueResult struct {
	PrimaryValues []PrimaryValue
	AttributeName string
	AttributeID   string
	RecordID      string
	Value         string
	ValueType     string
	LockVersion   LockVersions
	LastModified  time.Time
	Err           error
}

// valueOp is what a batch does to one value; it returns the value's
// result (without PrimaryValues and AttributeName, which the batch fills).
type valueOp func(t *DataTable, recs *dataTableRecords, in ValueInput, now time.Time) (ValueResult, bool, error)

// batchValues runs op for each input in one transaction: the failures of
// some do not undo the others, as the Batch operations promise.
func (s *Service) batchValues(ctx context.Context, instanceID, ref string, ins []ValueInput, write bool, op valueOp) ([]ValueResult, error) {
	out := make([]ValueResult, len(ins))
	run := func(tx ReadTx) (iid string, t *DataTable, recs *dataTableRecords, tableChanged, recsChanged bool, err error) {
		iid, t, err = s.dataTableIn(tx, instanceID, ref, false)
		if err != nil {
			return
		}
		if recs, err = loadRecords(tx, iid, t.ID); err != nil {
			return
		}
		now := s.now()
		for i, in := range ins {
			res, changedTable, err := op(t, recs, in, now)
			if res.PrimaryValues == nil {
				res.PrimaryValues = in.PrimaryValues
			}
			res.AttributeName = in.AttributeName
			if err != nil {
				res.Err = err
			} else {
				recsChanged = recsChanged || write
				tableChanged = tableChanged || changedTable
			}
			out[i] = res
		}
		return
	}
	if !write {
		return out, s.view(ctx, func(tx ReadTx) error {
			_, _, _, _, _, err := run(tx)
			return err
		})
	}
	return out, s.update(ctx, func(tx Tx) error {
		iid, t, recs, tableChanged, recsChanged, err := run(tx)
		if err != nil {
			return err
		}
		now := s.now()
		if tableChanged {
			if err := save(tx, KindDataTable, iid, t, t.CreatedTime, t.LastModifiedTime); err != nil {
				return err
			}
		}
		if recsChanged {
			recs.dropEmpty()
			return putRecords(tx, iid, t.ID, recs, now)
		}
		return nil
	})
}

// locate resolves an input's attribute and record; the record is nil when
// none has the primary values.
func locate(t *DataTable, recs *dataTableRecords, in ValueInput) (*DataTableAttribute, map[string]string, *DataTableRecord, error) {
	a := t.attribute(in.AttributeName)
	if a == nil {
		return nil, nil, nil, attributeNotFound(t, in.AttributeName)
	}
	if a.Primary {
		return nil, nil, nil, Errorf(ErrInvalidParameter, "Attribute %s is primary: its values are the records' primary values (PrimaryValues), not values of their own.", a.Name)
	}
	primary, err := primaryValues(t, in.PrimaryValues)
	if err != nil {
		return nil, nil, nil, err
	}
	return a, primary, recs.find(t, primary), nil
}

// BatchCreateDataTableValue creates values; a value with primary values no
// record has yet creates that record.
func (s *Service) BatchCreateDataTableValue(ctx context.Context, instanceID, ref string, ins []ValueInput) ([]ValueResult, error) {
	return s.batchValues(ctx, instanceID, ref, ins, true, func(t *DataTable, recs *dataTableRecords, in ValueInput, now time.Time) (ValueResult, bool, error) {
		a, primary, r, err := locate(t, recs, in)
		if err != nil {
			return ValueResult{}, false, err
		}
		v, err := checkValue(a, in.Value)
		if err != nil {
			return ValueResult{}, false, err
		}
		if r != nil {
			if _, ok := r.Values[a.ID]; ok {
				return ValueResult{}, false, Errorf(ErrDuplicate, "The record already has a value of %s; change it with BatchUpdateDataTableValue.", a.Name)
			}
		}
		if err := lockHeld(t.ValueLockLevel, t, a, r, nil, in.LockVersion, false); err != nil {
			return ValueResult{}, false, err
		}
		if r == nil {
			if len(recs.Records) >= s.quotas.DataTableRecords {
				return ValueResult{}, false, Errorf(ErrInvalidRequest, "Data table %s already has %d records, its quota; delete some, or start the server with --quota data-table-records=N.", t.ID, len(recs.Records))
			}
			recs.Records = append(recs.Records, DataTableRecord{ID: s.newID(), Primary: primary, Values: map[string]*DataTableCell{}, Lock: 1})
			r = &recs.Records[len(recs.Records)-1]
		}
		c := &DataTableCell{Value: v}
		r.Values[a.ID] = c
		changed := touched(t, a, r, c, now)
		return ValueResult{RecordID: r.ID, AttributeID: a.ID, LockVersion: lockVersions(t, a, r, c)}, changed, nil
	})
}

// BatchUpdateDataTableValue changes values that exist.
func (s *Service) BatchUpdateDataTableValue(ctx context.Context, instanceID, ref string, ins []ValueInput) ([]ValueResult, error) {
	return s.batchValues(ctx, instanceID, ref, ins, true, func(t *DataTable, recs *dataTableRecords, in ValueInput, now time.Time) (ValueResult, bool, error) {
		a, r, c, err := existing(t, recs, in)
		if err != nil {
			return ValueResult{}, false, err
		}
		v, err := checkValue(a, in.Value)
		if err != nil {
			return ValueResult{}, false, err
		}
		if err := lockHeld(t.ValueLockLevel, t, a, r, c, in.LockVersion, true); err != nil {
			return ValueResult{}, false, err
		}
		c.Value = v
		changed := touched(t, a, r, c, now)
		return ValueResult{RecordID: r.ID, AttributeID: a.ID, LockVersion: lockVersions(t, a, r, c)}, changed, nil
	})
}

// existing finds a value that exists.
func existing(t *DataTable, recs *dataTableRecords, in ValueInput) (*DataTableAttribute, *DataTableRecord, *DataTableCell, error) {
	a, _, r, err := locate(t, recs, in)
	if err != nil {
		return nil, nil, nil, err
	}
	if r == nil || r.Values[a.ID] == nil {
		return nil, nil, nil, Errorf(ErrNotFound, "There is no value of %s for these primary values; create it with BatchCreateDataTableValue.", a.Name)
	}
	return a, r, r.Values[a.ID], nil
}

// BatchDeleteDataTableValue deletes values; a record left without values
// is gone.
func (s *Service) BatchDeleteDataTableValue(ctx context.Context, instanceID, ref string, ins []ValueInput) ([]ValueResult, error) {
	return s.batchValues(ctx, instanceID, ref, ins, true, func(t *DataTable, recs *dataTableRecords, in ValueInput, now time.Time) (ValueResult, bool, error) {
		a, r, c, err := existing(t, recs, in)
		if err != nil {
			return ValueResult{}, false, err
		}
		if err := lockHeld(t.ValueLockLevel, t, a, r, c, in.LockVersion, true); err != nil {
			return ValueResult{}, false, err
		}
		changed := touched(t, a, r, c, now)
		delete(r.Values, a.ID)
		return ValueResult{RecordID: r.ID, AttributeID: a.ID, LockVersion: lockVersions(t, a, r, nil)}, changed, nil
	})
}

// BatchDescribeDataTableValue reads values as stored.
func (s *Service) BatchDescribeDataTableValue(ctx context.Context, instanceID, ref string, ins []ValueInput) ([]ValueResult, error) {
	return s.batchValues(ctx, instanceID, ref, ins, false, func(t *DataTable, recs *dataTableRecords, in ValueInput, _ time.Time) (ValueResult, bool, error) {
		a, r, c, err := existing(t, recs, in)
		if err != nil {
			return ValueResult{}, false, err
		}
		return ValueResult{RecordID: r.ID, AttributeID: a.ID, PrimaryValues: primaryOut(t, r), Value: c.Value, ValueType: a.ValueType,
			LastModified: c.LastModifiedTime, LockVersion: lockVersions(t, a, r, c)}, false, nil
	})
}

// RecordFilter picks records for the List operations: by ID, or by the
// values of primary attributes (each listed attribute must have one of its
// values).
type RecordFilter struct {
	RecordIDs []string
	Primary   map[string][]string // attribute name → values
}

func (f RecordFilter) keep(t *DataTable, r *DataTableRecord) bool {
	if len(f.RecordIDs) > 0 && !slices.Contains(f.RecordIDs, r.ID) {
		return false
	}
	for name, values := range f.Primary {
		a := t.attribute(name)
		if a == nil {
			return false
		}
		v, ok := r.Primary[a.ID]
		ignore := a.Validation != nil && a.Validation.IgnoreCase
		if !ok || !slices.ContainsFunc(values, func(w string) bool { return w == v || (ignore && strings.EqualFold(w, v)) }) {
			return false
		}
	}
	return true
}

// readRecords runs fn on a table and its records, read in one snapshot.
func (s *Service) readRecords(ctx context.Context, instanceID, ref string, fn func(t *DataTable, recs *dataTableRecords) error) error {
	return s.view(ctx, func(tx ReadTx) error {
		iid, t, err := s.dataTableIn(tx, instanceID, ref, false)
		if err != nil {
			return err
		}
		recs, err := loadRecords(tx, iid, t.ID)
		if err != nil {
			return err
		}
		return fn(t, recs)
	})
}

// ListDataTableValues pages through the values of the records f keeps,
// record by record in the order they were created.
func (s *Service) ListDataTableValues(ctx context.Context, instanceID, ref string, f RecordFilter, page Page) ([]ValueResult, string, error) {
	var out []ValueResult
	var next string
	err := s.readRecords(ctx, instanceID, ref, func(t *DataTable, recs *dataTableRecords) error {
		var all []ValueResult
		for i := range recs.Records {
			r := &recs.Records[i]
			if !f.keep(t, r) {
				continue
			}
			for j := range t.Attributes {
				a := &t.Attributes[j]
				if c := r.Values[a.ID]; c != nil {
					all = append(all, ValueResult{RecordID: r.ID, AttributeID: a.ID, AttributeName: a.Name, PrimaryValues: primaryOut(t, r),
						Value: c.Value, ValueType: a.ValueType, LastModified: c.LastModifiedTime, LockVersion: lockVersions(t, a, r, c)})
				}
			}
		}
		var err error
		out, next, err = pageSlice(all, page)
		return err
	})
	return out, next, err
}

// RecordSummary is one record of ListDataTablePrimaryValues.
type RecordSummary struct {
	ID            string
	PrimaryValues []PrimaryValue
	LastModified  time.Time
}

// ListDataTablePrimaryValues pages through the records f keeps (the
// default record, which has no primary values, is not listed).
func (s *Service) ListDataTablePrimaryValues(ctx context.Context, instanceID, ref string, f RecordFilter, page Page) ([]RecordSummary, string, error) {
	var out []RecordSummary
	var next string
	err := s.readRecords(ctx, instanceID, ref, func(t *DataTable, recs *dataTableRecords) error {
		var all []RecordSummary
		for i := range recs.Records {
			if r := &recs.Records[i]; !r.isDefault() && f.keep(t, r) {
				all = append(all, RecordSummary{ID: r.ID, PrimaryValues: primaryOut(t, r), LastModified: r.LastModifiedTime})
			}
		}
		var err error
		out, next, err = pageSlice(all, page)
		return err
	})
	return out, next, err
}

// UpdateDataTablePrimaryValues gives a record new primary values, which no
// other record may have.
func (s *Service) UpdateDataTablePrimaryValues(ctx context.Context, instanceID, ref string, current, next []PrimaryValue, lock LockVersions) (LockVersions, error) {
	var out LockVersions
	err := s.update(ctx, func(tx Tx) error {
		iid, t, err := s.dataTableIn(tx, instanceID, ref, false)
		if err != nil {
			return err
		}
		if len(t.primaries()) == 0 {
			return Errorf(ErrInvalidRequest, "Data table %s has no primary attributes, so its records have no primary values to change.", t.ID)
		}
		recs, err := loadRecords(tx, iid, t.ID)
		if err != nil {
			return err
		}
		from, err := primaryValues(t, current)
		if err != nil {
			return err
		}
		to, err := primaryValues(t, next)
		if err != nil {
			return err
		}
		if len(from) == 0 || len(to) == 0 {
			return Errorf(ErrInvalidParameter, "PrimaryValues and NewPrimaryValues must each give every primary attribute of data table %s.", t.ID)
		}
		r := recs.find(t, from)
		if r == nil {
			return Errorf(ErrNotFound, "Data table %s has no record with these primary values; ListDataTablePrimaryValues shows its records.", t.ID)
		}
		if other := recs.find(t, to); other != nil && other.ID != r.ID {
			return Errorf(ErrConflict, "Record %s already has the new primary values; records must be told apart.", other.ID)
		}
		level := t.ValueLockLevel
		if level == LockAttribute || level == LockValue {
			// The change is to a record, which those levels do not
			// version: the record's own version stands for it.
			level = LockPrimaryValue
		}
		if err := lockHeld(level, t, nil, r, nil, lock, true); err != nil {
			return err
		}
		now := s.now()
		r.Primary, r.LastModifiedTime = to, now
		r.Lock++
		if t.ValueLockLevel == LockDataTable {
			t.Lock++
			if err := save(tx, KindDataTable, iid, t, t.CreatedTime, t.LastModifiedTime); err != nil {
				return err
			}
		}
		out = LockVersions{DataTable: LockString(t.Lock), PrimaryValues: LockString(r.Lock)}
		return putRecords(tx, iid, t.ID, recs, now)
	})
	return out, err
}

// EvaluateSet asks for some attributes of one record.
type EvaluateSet struct {
	PrimaryValues  []PrimaryValue
	AttributeNames []string
}

// Evaluated is one answer of EvaluateDataTableValues.
type Evaluated struct {
	RecordID       string
	PrimaryValues  []PrimaryValue
	AttributeName  string
	ValueType      string
	Found, Error   bool
	EvaluatedValue string
}

// EvaluateDataTableValues answers each set's attributes for its record: the
// record's own value, else the default record's; Found is false when
// neither has one. Error marks an attribute or primary value the table
// does not have, and a stored value its attribute's type no longer takes.
// Values are literals here (no expressions), so time zones change nothing
// beyond being checked.
func (s *Service) EvaluateDataTableValues(ctx context.Context, instanceID, ref string, sets []EvaluateSet, timeZone string, page Page) ([]Evaluated, string, error) {
	if timeZone != "" {
		if err := validTimeZone(timeZone); err != nil {
			return nil, "", err
		}
	}
	var out []Evaluated
	var next string
	err := s.readRecords(ctx, instanceID, ref, func(t *DataTable, recs *dataTableRecords) error {
		def := recs.find(t, nil)
		var all []Evaluated
		for _, set := range sets {
			primary, perr := primaryValues(t, set.PrimaryValues)
			var r *DataTableRecord
			if perr == nil {
				r = recs.find(t, primary)
			}
			for _, name := range set.AttributeNames {
				e := Evaluated{PrimaryValues: set.PrimaryValues, AttributeName: name}
				a := t.attribute(name)
				if a == nil || perr != nil {
					e.Error = true
					all = append(all, e)
					continue
				}
				e.ValueType = a.ValueType
				for _, from := range []*DataTableRecord{r, def} {
					if from == nil {
						continue
					}
					if v, ok := from.Primary[a.ID]; ok {
						e.RecordID, e.Found, e.EvaluatedValue = from.ID, true, v
						break
					}
					if c := from.Values[a.ID]; c != nil {
						e.RecordID, e.Found = from.ID, true
						if v, err := checkValue(&DataTableAttribute{Name: a.Name, ValueType: a.ValueType}, c.Value); err == nil {
							e.EvaluatedValue = v
						} else {
							e.Error = true
						}
						break
					}
				}
				all = append(all, e)
			}
		}
		var err error
		out, next, err = pageSlice(all, page)
		return err
	})
	return out, next, err
}
