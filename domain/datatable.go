package domain

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Data tables are an instance's own tables of configuration: attributes
// (columns) with a value type and validation, records identified by the
// values of the primary attributes, and one value per record and
// attribute. Flows, views and applications read them in Connect; here the
// API keeps and checks them (datatable_values.go holds the records).
//
// Only the PUBLISHED status exists in the model and Switchboard keeps no
// versions, so the $LATEST and $SAVED qualifiers of a table's ID or ARN
// name the same table.
//
// Optimistic locking: every table, attribute, record and value carries a
// lock version (a counter, shown as a string). The table's ValueLockLevel
// says which of them a change to values must present: DATA_TABLE, the
// table's; PRIMARY_VALUE, the record's; ATTRIBUTE, the attribute's;
// VALUE, the value's; NONE, none. A value change moves the value's version
// and the version of the level it is locked on.

const (
	// KindDataTable holds a table's metadata and attributes.
	KindDataTable Kind = "data-table"
	// KindDataTableRecords holds a table's records and values, under the
	// table's ID, apart from the table so that reading or listing tables
	// does not decode their values.
	KindDataTableRecords Kind = "data-table-records"
)

// Data table lock levels.
const (
	LockNone         = "NONE"
	LockDataTable    = "DATA_TABLE"
	LockPrimaryValue = "PRIMARY_VALUE"
	LockAttribute    = "ATTRIBUTE"
	LockValue        = "VALUE"
)

// Data table attribute value types.
const (
	ValueText       = "TEXT"
	ValueNumber     = "NUMBER"
	ValueBoolean    = "BOOLEAN"
	ValueTextList   = "TEXT_LIST"
	ValueNumberList = "NUMBER_LIST"
)

// DataTable is a data table and its attributes.
type DataTable struct {
	ID, Arn, InstanceID string
	Name, Description   string
	TimeZone            string
	ValueLockLevel      string
	Status              string
	Tags                map[string]string `json:",omitempty"`
	CreatedTime         time.Time
	LastModifiedTime    time.Time
	Lock                int64
	Attributes          []DataTableAttribute `json:",omitempty"`
}

// recordKey keys the table by its name in lower case: names are unique in
// an instance regardless of case.
func (t *DataTable) recordKey() (string, string) { return t.ID, strings.ToLower(t.Name) }

// DataTableAttribute is a column of a data table.
type DataTableAttribute struct {
	ID, Name, Description string
	ValueType             string
	Primary               bool                 `json:",omitempty"`
	Validation            *DataTableValidation `json:",omitempty"`
	Lock                  int64
	LastModifiedTime      time.Time
}

// DataTableValidation are an attribute's rules for its values.
type DataTableValidation struct {
	MinLength, MaxLength               *int32   `json:",omitempty"`
	MinValues, MaxValues               *int32   `json:",omitempty"`
	IgnoreCase                         bool     `json:",omitempty"`
	Minimum, Maximum                   *float64 `json:",omitempty"`
	ExclusiveMinimum, ExclusiveMaximum *float64 `json:",omitempty"`
	MultipleOf                         *float64 `json:",omitempty"`
	EnumStrict                         bool     `json:",omitempty"`
	EnumValues                         []string `json:",omitempty"`
	HasEnum                            bool     `json:",omitempty"`
}

// attribute finds an attribute by name, ignoring case as names do.
func (t *DataTable) attribute(name string) *DataTableAttribute {
	for i := range t.Attributes {
		if strings.EqualFold(t.Attributes[i].Name, name) {
			return &t.Attributes[i]
		}
	}
	return nil
}

func (t *DataTable) attributeByID(id string) *DataTableAttribute {
	for i := range t.Attributes {
		if t.Attributes[i].ID == id {
			return &t.Attributes[i]
		}
	}
	return nil
}

// primaries are the table's primary attributes, in the order they were
// added: a record's primary values follow it.
func (t *DataTable) primaries() []*DataTableAttribute {
	var out []*DataTableAttribute
	for i := range t.Attributes {
		if t.Attributes[i].Primary {
			out = append(out, &t.Attributes[i])
		}
	}
	return out
}

// LockString shows a lock version as the wire carries it.
func LockString(v int64) string { return strconv.FormatInt(v, 10) }

// DataTableParams are the inputs of CreateDataTable and
// UpdateDataTableMetadata (which ignores Tags and Status).
type DataTableParams struct {
	Name, Description string
	TimeZone          string
	ValueLockLevel    string
	Status            string
	Tags              map[string]string
}

// check trims and checks the parameters the model cannot.
func (p *DataTableParams) check() error {
	name, err := reservedName(p.Name, "Name")
	if err != nil {
		return err
	}
	p.Name, p.Description = name, strings.TrimSpace(p.Description)
	if p.ValueLockLevel == "" {
		p.ValueLockLevel = LockNone
	}
	return validTimeZone(p.TimeZone)
}

// reservedName trims a name (of a data table, an attribute, a workspace
// page) and refuses an empty one and the reserved prefixes connect: and
// aws:.
func reservedName(name, member string) (string, error) {
	n := strings.TrimSpace(name)
	if n == "" {
		return "", Errorf(ErrInvalidParameter, "%s is empty once trimmed of white space; give it a name.", member)
	}
	for _, reserved := range []string{"connect:", "aws:"} {
		if len(n) >= len(reserved) && strings.EqualFold(n[:len(reserved)], reserved) {
			return "", Errorf(ErrInvalidParameter, "%s %q starts with %q, which is reserved; choose another name.", member, clip(n, 127), reserved)
		}
	}
	return n, nil
}

// splitDataTableRef parses a DataTableId: an ID or ARN, with an optional
// :$LATEST or :$SAVED qualifier. latestOnly refuses $SAVED, for the
// operations that change the table itself.
func splitDataTableRef(ref string, latestOnly bool) (string, error) {
	id := idFromARN(ref, "data-table")
	if strings.HasPrefix(id, "arn:") {
		return "", Errorf(ErrNotFound, "DataTableId %q is an ARN of something other than a data table; pass the table's ID or its ARN (…:instance/{id}/data-table/{id}).", clip(ref, 100))
	}
	if i := strings.LastIndex(id, ":"); i >= 0 {
		q := id[i+1:]
		id = id[:i]
		switch {
		case q == "$LATEST":
		case q == "$SAVED" && !latestOnly:
		case q == "$SAVED":
			return "", Errorf(ErrInvalidParameter, "DataTableId %q names $SAVED; this operation changes the table itself and takes the bare ID or $LATEST.", clip(ref, 100))
		default:
			return "", Errorf(ErrInvalidParameter, "DataTableId %q has the qualifier %q; Switchboard keeps no data table versions, so use the bare ID, :$LATEST or :$SAVED.", clip(ref, 100), clip(q, 32))
		}
	}
	return id, nil
}

// dataTableIn loads a table of an instance.
func (s *Service) dataTableIn(tx ReadTx, instanceID, ref string, latestOnly bool) (string, *DataTable, error) {
	id, err := splitDataTableRef(ref, latestOnly)
	if err != nil {
		return "", nil, err
	}
	iid, err := s.resolveInstance(tx, instanceID)
	if err != nil {
		return "", nil, err
	}
	t, err := getDoc[DataTable](tx, KindDataTable, iid, id)
	if errors.Is(err, ErrStoreNotFound) {
		return "", nil, Errorf(ErrNotFound, "Data table %s not found in instance %s; ListDataTables shows what exists.", clip(ref, 100), iid)
	}
	return iid, t, err
}

// changeDataTable runs fn on a table and stores it; fn returns an error to
// change nothing. The table's lock version and modification time move.
func (s *Service) changeDataTable(ctx context.Context, instanceID, ref string, latestOnly bool, fn func(tx Tx, iid string, now time.Time, t *DataTable) error) (*DataTable, error) {
	var out *DataTable
	err := s.update(ctx, func(tx Tx) error {
		iid, t, err := s.dataTableIn(tx, instanceID, ref, latestOnly)
		if err != nil {
			return err
		}
		now := s.now()
		if err := fn(tx, iid, now, t); err != nil {
			return err
		}
		t.Lock++
		t.LastModifiedTime = now
		out = t
		return save(tx, KindDataTable, iid, t, t.CreatedTime, now)
	})
	return out, err
}

// uniqueTableName refuses name when another table of the instance has it,
// in any case.
func uniqueTableName(tx ReadTx, iid, id, name string) error {
	rec, err := tx.GetRecordByName(KindDataTable, iid, strings.ToLower(name))
	if errors.Is(err, ErrStoreNotFound) || (err == nil && rec.ID == id) {
		return nil
	}
	if err != nil {
		return err
	}
	return Errorf(ErrDuplicate, "A data table named %q already exists in this instance (names ignore case); choose another name.", clip(name, 127))
}

// CreateDataTable creates an empty table.
func (s *Service) CreateDataTable(ctx context.Context, instanceID string, p DataTableParams) (*DataTable, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	var t *DataTable
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := uniqueTableName(tx, iid, "", p.Name); err != nil {
			return err
		}
		// The model gives CreateDataTable no quota exception.
		if err := checkQuota(tx, KindDataTable, iid, s.quotas.DataTables, ErrInvalidRequest, "data-tables"); err != nil {
			return err
		}
		now, id := s.now(), s.newID()
		t = &DataTable{ID: id, InstanceID: iid, Arn: s.newARN(KindDataTable, iid, id), Name: p.Name, Description: p.Description,
			TimeZone: p.TimeZone, ValueLockLevel: p.ValueLockLevel, Status: p.Status, Tags: p.Tags,
			CreatedTime: now, LastModifiedTime: now, Lock: 1}
		return save(tx, KindDataTable, iid, t, now, now)
	})
	return t, err
}

// DescribeDataTable returns a table.
func (s *Service) DescribeDataTable(ctx context.Context, instanceID, ref string) (*DataTable, error) {
	var t *DataTable
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		_, t, err = s.dataTableIn(tx, instanceID, ref, false)
		return err
	})
	return t, err
}

// ListDataTables pages through an instance's tables by name.
func (s *Service) ListDataTables(ctx context.Context, instanceID string, page Page) ([]DataTable, string, error) {
	var out []DataTable
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		every, err := s.allDataTables(tx, instanceID)
		if err != nil {
			return err
		}
		out, next, err = pageSlice(every, page)
		return err
	})
	return out, next, err
}

func (s *Service) allDataTables(tx ReadTx, instanceID string) ([]DataTable, error) {
	iid, err := s.resolveInstance(tx, instanceID)
	if err != nil {
		return nil, err
	}
	every, err := all[DataTable](tx, KindDataTable, iid)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(every, func(a, b DataTable) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return every, nil
}

// dataTableSearchFields are the FieldName values SearchDataTables takes.
var dataTableSearchFields = map[string]func(*DataTable) []string{
	"name":        func(t *DataTable) []string { return []string{t.Name} },
	"description": func(t *DataTable) []string { return []string{t.Description} },
	"resourceid":  func(t *DataTable) []string { return []string{t.ID} },
}

// SearchDataTables finds the tables that match criteria and whose tags
// match filter, with the total count.
func (s *Service) SearchDataTables(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]DataTable, string, int, error) {
	match, err := compileFields(criteria, dataTableSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindDataTable, instanceID, page, func(t *DataTable) bool {
		return match(t) && filter.matchTags(t.Tags)
	}, func(t *DataTable) string { return t.ID })
}

// UpdateDataTableMetadata replaces a table's name, description, time zone
// and lock level.
func (s *Service) UpdateDataTableMetadata(ctx context.Context, instanceID, ref string, p DataTableParams) (*DataTable, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return s.changeDataTable(ctx, instanceID, ref, true, func(tx Tx, iid string, _ time.Time, t *DataTable) error {
		if err := uniqueTableName(tx, iid, t.ID, p.Name); err != nil {
			return err
		}
		t.Name, t.Description, t.TimeZone, t.ValueLockLevel = p.Name, p.Description, p.TimeZone, p.ValueLockLevel
		return nil
	})
}

// DeleteDataTable deletes a table with its attributes and values.
func (s *Service) DeleteDataTable(ctx context.Context, instanceID, ref string) error {
	return s.update(ctx, func(tx Tx) error {
		iid, t, err := s.dataTableIn(tx, instanceID, ref, true)
		if err != nil {
			return err
		}
		if err := tx.DeleteRecord(KindDataTableRecords, iid, t.ID); err != nil && !errors.Is(err, ErrStoreNotFound) {
			return err
		}
		return tx.DeleteRecord(KindDataTable, iid, t.ID)
	})
}
