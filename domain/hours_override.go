package domain

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/hours"
)

// Hours of operation overrides change the hours on some dates: closed on
// a holiday, open late in December, closed at noon on the last Friday of
// each month. They are kept in their hours' document
// (HoursOfOperation.Overrides), at most 50 each, and apply to the hours'
// children too (HoursOfOperation.ParentIDs), as in Connect. Package hours
// says what they do to a date.

// MaxOverridesPerHours is Connect's fixed quota of overrides per hours.
const MaxOverridesPerHours = 50

// MaxEffectiveHoursDays bounds a GetEffectiveHoursOfOperations range.
const MaxEffectiveHoursDays = 366

// HoursOverride is one override.
type HoursOverride struct {
	ID                           string
	Name, Description            string
	Config                       []HoursConfig
	EffectiveFrom, EffectiveTill string           // YYYY-MM-DD
	Recurrence                   *HoursRecurrence `json:",omitempty"`
	Type                         string           // STANDARD | OPEN | CLOSED
	LastModifiedTime             time.Time
}

// HoursRecurrence is a RecurrencePattern (see hours.Recurrence).
type HoursRecurrence struct {
	Frequency                                string
	Interval                                 int
	ByMonth, ByMonthDay, ByWeekdayOccurrence []int
}

// HoursOverrideParams are the inputs of the create and update operations;
// in an update nil members are left as they are.
type HoursOverrideParams struct {
	Name, Description            *string
	Config                       []HoursConfig
	EffectiveFrom, EffectiveTill *string
	Recurrence                   *HoursRecurrence
	Type                         *string
}

// schedule converts o for package hours.
func (o *HoursOverride) schedule() hours.Override {
	out := hours.Override{Name: o.Name, Type: o.Type, From: o.EffectiveFrom, Till: o.EffectiveTill, Config: intervals(o.Config)}
	if r := o.Recurrence; r != nil {
		out.Recurrence = &hours.Recurrence{Frequency: r.Frequency, Interval: r.Interval, ByMonth: r.ByMonth, ByMonthDay: r.ByMonthDay,
			ByWeekdayOccurrence: r.ByWeekdayOccurrence}
	}
	return out
}

func intervals(cfg []HoursConfig) []hours.Interval {
	out := make([]hours.Interval, 0, len(cfg))
	for _, c := range cfg {
		out = append(out, hours.Interval{Day: c.Day, StartHours: c.StartHours, StartMinutes: c.StartMinutes, EndHours: c.EndHours, EndMinutes: c.EndMinutes})
	}
	return out
}

// checkOverride checks what the model cannot: the dates, the recurrence's
// combination of members, and that the override evaluates.
func checkOverride(o *HoursOverride) error {
	if strings.TrimSpace(o.Name) == "" {
		return Errorf(ErrInvalidParameter, "Name must not be empty.")
	}
	from, err := time.Parse(hours.DateLayout, o.EffectiveFrom)
	if err != nil {
		return Errorf(ErrInvalidParameter, "EffectiveFrom %q is not a date; use YYYY-MM-DD.", clip(o.EffectiveFrom, 32))
	}
	till, err := time.Parse(hours.DateLayout, o.EffectiveTill)
	if err != nil {
		return Errorf(ErrInvalidParameter, "EffectiveTill %q is not a date; use YYYY-MM-DD.", clip(o.EffectiveTill, 32))
	}
	if till.Before(from) {
		return Errorf(ErrInvalidParameter, "EffectiveTill %s is before EffectiveFrom %s.", o.EffectiveTill, o.EffectiveFrom)
	}
	if err := checkHoursConfig(o.Config); err != nil {
		return err
	}
	switch o.Type {
	case "STANDARD", "OPEN", "CLOSED":
	default:
		return Errorf(ErrInvalidParameter, "OverrideType %q is not valid; use STANDARD, OPEN or CLOSED.", clip(o.Type, 32))
	}
	if r := o.Recurrence; r != nil {
		switch {
		case r.Frequency != "WEEKLY" && r.Frequency != "MONTHLY" && r.Frequency != "YEARLY":
			return Errorf(ErrInvalidParameter, "RecurrencePattern Frequency %q is not valid; use WEEKLY, MONTHLY or YEARLY.", clip(r.Frequency, 32))
		case r.Interval < 1:
			return Errorf(ErrInvalidParameter, "RecurrencePattern Interval must be 1 to 6.")
		case len(r.ByMonth) > 1 || len(r.ByMonthDay) > 1 || len(r.ByWeekdayOccurrence) > 1:
			return Errorf(ErrInvalidParameter, "ByMonth, ByMonthDay and ByWeekdayOccurrence take one value each.")
		case len(r.ByMonthDay) > 0 && len(r.ByWeekdayOccurrence) > 0:
			return Errorf(ErrInvalidParameter, "Give ByMonthDay or ByWeekdayOccurrence, not both.")
		case len(r.ByMonth) > 0 && r.Frequency != "YEARLY":
			return Errorf(ErrInvalidParameter, "ByMonth is for a YEARLY recurrence.")
		case (len(r.ByMonthDay) > 0 || len(r.ByWeekdayOccurrence) > 0) && r.Frequency == "WEEKLY":
			return Errorf(ErrInvalidParameter, "ByMonthDay and ByWeekdayOccurrence are for MONTHLY and YEARLY recurrences.")
		case slices.Contains(r.ByMonthDay, 0) || slices.Contains(r.ByWeekdayOccurrence, 0):
			return Errorf(ErrInvalidParameter, "ByMonthDay and ByWeekdayOccurrence count from 1 (or -1 for the last); 0 is not a day.")
		}
	}
	s := hours.Schedule{TimeZone: "UTC", Overrides: []hours.Override{o.schedule()}}
	if _, _, err := s.Day(from); err != nil {
		return Errorf(ErrInvalidParameter, "The override cannot be applied: %v.", err)
	}
	return nil
}

// apply sets what p gives on o.
func (p *HoursOverrideParams) apply(o *HoursOverride) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&o.Name, p.Name)
	set(&o.Description, p.Description)
	set(&o.EffectiveFrom, p.EffectiveFrom)
	set(&o.EffectiveTill, p.EffectiveTill)
	set(&o.Type, p.Type)
	if p.Config != nil {
		o.Config = p.Config
	}
	if p.Recurrence != nil {
		o.Recurrence = p.Recurrence
	}
}

// overrideIndex finds an override of h by ID.
func (h *HoursOfOperation) overrideIndex(id string) (int, error) {
	i := slices.IndexFunc(h.Overrides, func(o HoursOverride) bool { return o.ID == id })
	if i < 0 {
		return -1, Errorf(ErrNotFound, "Override %s not found in hours of operation %s; ListHoursOfOperationOverrides shows its overrides.", clip(id, 36), h.ID)
	}
	return i, nil
}

// checkOverrideName refuses a name another override of h has.
func (h *HoursOfOperation) checkOverrideName(o *HoursOverride) error {
	for _, other := range h.Overrides {
		if other.ID != o.ID && strings.EqualFold(other.Name, o.Name) {
			return Errorf(ErrDuplicate, "Hours of operation %s already has an override named %q; names are unique within the hours.", h.ID, o.Name)
		}
	}
	return nil
}

// CreateHoursOfOperationOverride adds an override to hours of operation.
func (s *Service) CreateHoursOfOperationOverride(ctx context.Context, instanceID, hoursID string, p HoursOverrideParams) (*HoursOverride, error) {
	o := &HoursOverride{Type: "STANDARD"}
	p.apply(o)
	if err := checkOverride(o); err != nil {
		return nil, err
	}
	_, err := modify(s, ctx, KindHoursOfOperation, instanceID, hoursID, func(_ Tx, _ string, now time.Time, h *HoursOfOperation) error {
		if len(h.Overrides) >= MaxOverridesPerHours {
			return Errorf(ErrLimitExceeded, "Hours of operation %s already has %d overrides, the most Connect allows; delete one first.", h.ID, len(h.Overrides))
		}
		o.ID, o.LastModifiedTime = s.newID(), now
		if err := h.checkOverrideName(o); err != nil {
			return err
		}
		h.Overrides = append(h.Overrides, *o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// UpdateHoursOfOperationOverride changes what p gives.
func (s *Service) UpdateHoursOfOperationOverride(ctx context.Context, instanceID, hoursID, overrideID string, p HoursOverrideParams) error {
	_, err := modify(s, ctx, KindHoursOfOperation, instanceID, hoursID, func(_ Tx, _ string, now time.Time, h *HoursOfOperation) error {
		i, err := h.overrideIndex(overrideID)
		if err != nil {
			return err
		}
		o := h.Overrides[i]
		p.apply(&o)
		if err := checkOverride(&o); err != nil {
			return err
		}
		if err := h.checkOverrideName(&o); err != nil {
			return err
		}
		o.LastModifiedTime = now
		h.Overrides[i] = o
		return nil
	})
	return err
}

// DeleteHoursOfOperationOverride removes an override.
func (s *Service) DeleteHoursOfOperationOverride(ctx context.Context, instanceID, hoursID, overrideID string) error {
	_, err := modify(s, ctx, KindHoursOfOperation, instanceID, hoursID, func(_ Tx, _ string, _ time.Time, h *HoursOfOperation) error {
		i, err := h.overrideIndex(overrideID)
		if err != nil {
			return err
		}
		h.Overrides = slices.Delete(h.Overrides, i, i+1)
		return nil
	})
	return err
}

// DescribeHoursOfOperationOverride returns an override with its hours.
func (s *Service) DescribeHoursOfOperationOverride(ctx context.Context, instanceID, hoursID, overrideID string) (*HoursOverride, *HoursOfOperation, error) {
	h, err := s.DescribeHoursOfOperation(ctx, instanceID, hoursID)
	if err != nil {
		return nil, nil, err
	}
	i, err := h.overrideIndex(overrideID)
	if err != nil {
		return nil, nil, err
	}
	return &h.Overrides[i], h, nil
}

// ListHoursOfOperationOverrides pages through the overrides of hours of
// operation, with the hours.
func (s *Service) ListHoursOfOperationOverrides(ctx context.Context, instanceID, hoursID string, page Page) ([]HoursOverride, string, *HoursOfOperation, error) {
	h, err := s.DescribeHoursOfOperation(ctx, instanceID, hoursID)
	if err != nil {
		return nil, "", nil, err
	}
	list, next, err := pageSlice(h.Overrides, page)
	return list, next, h, err
}

// OverrideHit is an override found by SearchHoursOfOperationOverrides,
// with the hours it belongs to.
type OverrideHit struct {
	HoursOverride
	HoursID, HoursArn string
}

var overrideSearchFields = map[string]func(*OverrideHit) []string{
	"name":               func(o *OverrideHit) []string { return []string{o.Name} },
	"description":        func(o *OverrideHit) []string { return []string{o.Description} },
	"resourceid":         func(o *OverrideHit) []string { return []string{o.ID} },
	"hoursofoperationid": func(o *OverrideHit) []string { return []string{o.HoursID} },
}

var overrideSearchDates = map[string]func(*OverrideHit) string{
	"effectivefrom": func(o *OverrideHit) string { return o.EffectiveFrom },
	"effectivetill": func(o *OverrideHit) string { return o.EffectiveTill },
}

// SearchHoursOfOperationOverrides finds overrides across the instance's
// hours; the tag filter applies to their hours.
func (s *Service) SearchHoursOfOperationOverrides(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]OverrideHit, string, int, error) {
	match, err := compileSearchDates(criteria, overrideSearchFields, nil, overrideSearchDates)
	if err != nil {
		return nil, "", 0, err
	}
	var hits []OverrideHit
	err = s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		every, err := all[HoursOfOperation](tx, KindHoursOfOperation, iid)
		if err != nil {
			return err
		}
		for _, h := range every {
			if !filter.matchTags(h.Tags) {
				continue
			}
			for _, o := range h.Overrides {
				hit := OverrideHit{HoursOverride: o, HoursID: h.ID, HoursArn: h.Arn}
				if match(&hit) {
					hits = append(hits, hit)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", 0, err
	}
	slices.SortFunc(hits, func(a, b OverrideHit) int { return strings.Compare(a.HoursID+"/"+a.ID, b.HoursID+"/"+b.ID) })
	list, next, err := pageSlice(hits, page)
	return list, next, len(hits), err
}

// Schedule returns hours of operation as package hours evaluates them:
// the weekly intervals with the hours' overrides and their parents'.
func (s *Service) Schedule(ctx context.Context, instanceID, hoursID string) (hours.Schedule, error) {
	var out hours.Schedule
	err := viewResource(s, ctx, KindHoursOfOperation, instanceID, hoursID, func(tx ReadTx, iid string, h *HoursOfOperation) error {
		out = hours.Schedule{TimeZone: h.TimeZone, Config: intervals(h.Config)}
		for i := range h.Overrides {
			out.Overrides = append(out.Overrides, h.Overrides[i].schedule())
		}
		for _, pid := range h.ParentIDs {
			parent, err := getDoc[HoursOfOperation](tx, KindHoursOfOperation, iid, pid)
			if isNotFound(err) {
				continue // a parent deleted since; its overrides went with it
			}
			if err != nil {
				return err
			}
			for i := range parent.Overrides {
				out.Overrides = append(out.Overrides, parent.Overrides[i].schedule())
			}
		}
		return nil
	})
	return out, err
}

// EffectiveDay is one date of GetEffectiveHoursOfOperations.
type EffectiveDay struct {
	Date      string
	Open      []hours.Span
	Overrides []hours.Applied
}

// GetEffectiveHoursOfOperations returns the open hours of each date from
// from to to (YYYY-MM-DD, both included), overrides applied, and the time
// zone they are in.
func (s *Service) GetEffectiveHoursOfOperations(ctx context.Context, instanceID, hoursID, from, to string) ([]EffectiveDay, string, error) {
	start, err := time.Parse(hours.DateLayout, from)
	if err != nil {
		return nil, "", Errorf(ErrInvalidParameter, "FromDate %q is not a date; use YYYY-MM-DD.", clip(from, 32))
	}
	end, err := time.Parse(hours.DateLayout, to)
	if err != nil {
		return nil, "", Errorf(ErrInvalidParameter, "ToDate %q is not a date; use YYYY-MM-DD.", clip(to, 32))
	}
	if end.Before(start) {
		return nil, "", Errorf(ErrInvalidRequest, "ToDate %s is before FromDate %s.", to, from)
	}
	if days := int(end.Sub(start).Hours()/24) + 1; days > MaxEffectiveHoursDays {
		return nil, "", Errorf(ErrInvalidRequest, "The range from %s to %s is %d days; ask for at most %d at a time.", from, to, days, MaxEffectiveHoursDays)
	}
	sched, err := s.Schedule(ctx, instanceID, hoursID)
	if err != nil {
		return nil, "", err
	}
	var out []EffectiveDay
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		open, applied, err := sched.Day(d)
		if err != nil {
			return nil, "", err
		}
		out = append(out, EffectiveDay{Date: d.Format(hours.DateLayout), Open: open, Overrides: applied})
	}
	return out, sched.TimeZone, nil
}
