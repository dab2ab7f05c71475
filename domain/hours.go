package domain

import (
	"context"
	"slices"
	"strings"
	"time"
)

// HoursParams are the inputs of CreateHoursOfOperation. For
// UpdateHoursOfOperation, nil pointers and a nil Config leave the current
// value.
type HoursParams struct {
	Name, Description, TimeZone *string
	Config                      []HoursConfig
	ParentIDs                   []string
	Tags                        map[string]string
}

// validTimeZone accepts IANA zone names. time.LoadLocation also accepts ""
// and "Local", which mean the server's zone and are not zones a client can
// name, so those are refused.
func validTimeZone(tz string) error {
	if tz == "" || tz == "Local" {
		return Errorf(ErrInvalidParameter, "TimeZone %q is not an IANA time zone name; use one such as Europe/London or America/New_York.", tz)
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return Errorf(ErrInvalidParameter, "TimeZone %q is not an IANA time zone name; use one such as Europe/London or America/New_York.", clip(tz, 64))
	}
	return nil
}

var weekDays = []string{"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"}

// checkHoursConfig checks what the model's ranges do not: that a day's
// intervals do not repeat.
func checkHoursConfig(cfg []HoursConfig) error {
	seen := map[HoursConfig]bool{}
	for _, c := range cfg {
		if !slices.Contains(weekDays, c.Day) {
			return Errorf(ErrInvalidParameter, "Config Day %q is not a day of the week; use one of %s.", c.Day, strings.Join(weekDays, ", "))
		}
		if c.StartHours < 0 || c.StartHours > 23 || c.EndHours < 0 || c.EndHours > 23 ||
			c.StartMinutes < 0 || c.StartMinutes > 59 || c.EndMinutes < 0 || c.EndMinutes > 59 {
			return Errorf(ErrInvalidParameter, "Config for %s has a time outside 00:00-23:59.", c.Day)
		}
		if seen[c] {
			return Errorf(ErrInvalidParameter, "Config lists the interval %02d:%02d-%02d:%02d on %s twice; list each interval once.", c.StartHours, c.StartMinutes, c.EndHours, c.EndMinutes, c.Day)
		}
		seen[c] = true
	}
	return nil
}

// checkParents checks that parent hours exist and are not the hours itself.
func checkParents(tx ReadTx, iid, selfID string, parents []string) ([]string, error) {
	out := make([]string, 0, len(parents))
	for _, p := range parents {
		id := idFromARN(p, "operating-hours")
		if id == selfID {
			return nil, Errorf(ErrInvalidParameter, "Hours of operation %s cannot be its own parent.", id)
		}
		if err := exists(tx, KindHoursOfOperation, iid, id, "ParentHoursOfOperationConfigs"); err != nil {
			return nil, err
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// CreateHoursOfOperation creates hours of operation.
func (s *Service) CreateHoursOfOperation(ctx context.Context, instanceID string, p HoursParams) (*HoursOfOperation, error) {
	if err := validTimeZone(sval(p.TimeZone)); err != nil {
		return nil, err
	}
	if err := checkHoursConfig(p.Config); err != nil {
		return nil, err
	}
	var h *HoursOfOperation
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := checkQuota(tx, KindHoursOfOperation, iid, s.quotas.HoursOfOperations, ErrQuotaExceeded, "hours-of-operations"); err != nil {
			return err
		}
		parents, err := checkParents(tx, iid, "", p.ParentIDs)
		if err != nil {
			return err
		}
		now := s.now()
		h = &HoursOfOperation{ID: s.newID(), InstanceID: iid, Name: sval(p.Name), Description: sval(p.Description),
			TimeZone: sval(p.TimeZone), Config: p.Config, ParentIDs: parents, Tags: p.Tags, LastModifiedTime: now}
		h.Arn = s.newARN(KindHoursOfOperation, iid, h.ID)
		return save(tx, KindHoursOfOperation, iid, h, now, now)
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// DescribeHoursOfOperation returns hours of operation by ID or ARN.
func (s *Service) DescribeHoursOfOperation(ctx context.Context, instanceID, hoursID string) (*HoursOfOperation, error) {
	return describe[HoursOfOperation](s, ctx, KindHoursOfOperation, instanceID, hoursID)
}

// hoursSearchFields are the FieldName values the model lists for
// SearchHoursOfOperations.
var hoursSearchFields = map[string]func(*HoursOfOperation) []string{
	"name":        func(h *HoursOfOperation) []string { return []string{h.Name} },
	"description": func(h *HoursOfOperation) []string { return []string{h.Description} },
	"timezone":    func(h *HoursOfOperation) []string { return []string{h.TimeZone} },
	"resourceid":  func(h *HoursOfOperation) []string { return []string{h.ID} },
}

// SearchHoursOfOperations finds the hours of operation that match
// criteria and filter, with the total count.
func (s *Service) SearchHoursOfOperations(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]HoursOfOperation, string, int, error) {
	match, err := compileFields(criteria, hoursSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindHoursOfOperation, instanceID, page, func(h *HoursOfOperation) bool {
		return match(h) && filter.matchTags(h.Tags)
	}, func(h *HoursOfOperation) string { return h.ID })
}

// HoursNames returns the names of hours of operation by ID, for the
// ParentHoursOfOperations identifiers Describe reports. Missing IDs are left
// out.
func (s *Service) HoursNames(ctx context.Context, instanceID string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			rec, err := tx.GetRecord(KindHoursOfOperation, iid, id)
			if err == nil {
				out[id] = rec.Name
			}
		}
		return nil
	})
	return out, err
}

// ListHoursOfOperations pages through an instance's hours of operation.
func (s *Service) ListHoursOfOperations(ctx context.Context, instanceID string, page Page) ([]HoursOfOperation, string, error) {
	return listIn[HoursOfOperation](s, ctx, KindHoursOfOperation, instanceID, page, nil)
}

// UpdateHoursOfOperation changes the members given.
func (s *Service) UpdateHoursOfOperation(ctx context.Context, instanceID, hoursID string, p HoursParams) error {
	if p.TimeZone != nil {
		if err := validTimeZone(*p.TimeZone); err != nil {
			return err
		}
	}
	if err := checkHoursConfig(p.Config); err != nil {
		return err
	}
	_, err := modify(s, ctx, KindHoursOfOperation, instanceID, hoursID, func(tx Tx, iid string, now time.Time, h *HoursOfOperation) error {
		if p.Name != nil {
			h.Name = *p.Name
		}
		if p.Description != nil {
			h.Description = *p.Description
		}
		if p.TimeZone != nil {
			h.TimeZone = *p.TimeZone
		}
		if p.Config != nil {
			h.Config = p.Config
		}
		h.LastModifiedTime = now
		return nil
	})
	return err
}

// DeleteHoursOfOperation deletes hours of operation no queue and no other
// hours of operation use.
func (s *Service) DeleteHoursOfOperation(ctx context.Context, instanceID, hoursID string) error {
	return s.remove(ctx, KindHoursOfOperation, instanceID, hoursID, func(tx Tx, iid, id string) error {
		queues, err := all[Queue](tx, KindQueue, iid)
		if err != nil {
			return err
		}
		for _, q := range queues {
			if q.HoursOfOperationID == id {
				return Errorf(ErrResourceInUse, "Hours of operation %s is used by queue %q (%s); give the queue other hours (UpdateQueueHoursOfOperation) first.", id, q.Name, q.ID)
			}
		}
		hours, err := all[HoursOfOperation](tx, KindHoursOfOperation, iid)
		if err != nil {
			return err
		}
		for _, h := range hours {
			if slices.Contains(h.ParentIDs, id) {
				return Errorf(ErrResourceInUse, "Hours of operation %s is a parent of hours of operation %q (%s); remove it from there first.", id, h.Name, h.ID)
			}
		}
		return nil
	})
}

// sval returns *p or "" for nil.
func sval(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// MaxParentHours is how many hours of operation one may inherit overrides
// from.
const MaxParentHours = 3

// AssociateHoursOfOperations makes hours inherit the overrides of more
// parents; a parent it has already is no error. Two hours cannot be each
// other's parent.
func (s *Service) AssociateHoursOfOperations(ctx context.Context, instanceID, hoursID string, parentIDs []string) error {
	_, err := modify(s, ctx, KindHoursOfOperation, instanceID, hoursID, func(tx Tx, iid string, now time.Time, h *HoursOfOperation) error {
		add, err := checkParents(tx, iid, h.ID, parentIDs)
		if err != nil {
			return err
		}
		for _, id := range add {
			parent, err := getDoc[HoursOfOperation](tx, KindHoursOfOperation, iid, id)
			if err != nil {
				return err
			}
			if slices.Contains(parent.ParentIDs, h.ID) {
				return Errorf(ErrInvalidRequest, "Hours of operation %s is a child of %s, so it cannot be its parent too.", id, h.ID)
			}
			if !slices.Contains(h.ParentIDs, id) {
				h.ParentIDs = append(h.ParentIDs, id)
			}
		}
		if len(h.ParentIDs) > MaxParentHours {
			return Errorf(ErrQuotaExceeded, "Hours of operation %s would have %d parents; it may have at most %d.", h.ID, len(h.ParentIDs), MaxParentHours)
		}
		h.LastModifiedTime = now
		return nil
	})
	return err
}

// DisassociateHoursOfOperations removes parents; one the hours do not have
// is no error.
func (s *Service) DisassociateHoursOfOperations(ctx context.Context, instanceID, hoursID string, parentIDs []string) error {
	_, err := modify(s, ctx, KindHoursOfOperation, instanceID, hoursID, func(_ Tx, _ string, now time.Time, h *HoursOfOperation) error {
		for _, ref := range parentIDs {
			id := idFromARN(ref, "operating-hours")
			h.ParentIDs = slices.DeleteFunc(h.ParentIDs, func(v string) bool { return v == id })
		}
		h.LastModifiedTime = now
		return nil
	})
	return err
}

// ListChildHoursOfOperations pages through the hours that inherit from
// hoursID, with its last modification.
func (s *Service) ListChildHoursOfOperations(ctx context.Context, instanceID, hoursID string, page Page) ([]HoursOfOperation, string, time.Time, error) {
	var (
		out      []HoursOfOperation
		next     string
		modified time.Time
	)
	err := viewResource(s, ctx, KindHoursOfOperation, instanceID, hoursID, func(tx ReadTx, iid string, h *HoursOfOperation) error {
		modified = h.LastModifiedTime
		every, err := all[HoursOfOperation](tx, KindHoursOfOperation, iid)
		if err != nil {
			return err
		}
		children := slices.DeleteFunc(every, func(c HoursOfOperation) bool { return !slices.Contains(c.ParentIDs, h.ID) })
		out, next, err = pageSlice(children, page)
		return err
	})
	return out, next, modified, err
}
