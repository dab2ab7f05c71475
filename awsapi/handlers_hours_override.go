package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/hours"
)

// overrideParams converts the members the create and update operations
// share; a nil Config stays nil (left as it is by an update).
func overrideParams(name, description *string, config []cw.HoursOfOperationOverrideConfig, from, till *string, rc *cw.RecurrenceConfig, typ cw.OverrideType) domain.HoursOverrideParams {
	p := domain.HoursOverrideParams{Name: name, Description: description, EffectiveFrom: from, EffectiveTill: till}
	if config != nil {
		p.Config = []domain.HoursConfig{}
		for _, c := range config {
			hc := domain.HoursConfig{Day: string(c.Day)}
			if c.StartTime != nil {
				hc.StartHours, hc.StartMinutes = int(deref(c.StartTime.Hours)), int(deref(c.StartTime.Minutes))
			}
			if c.EndTime != nil {
				hc.EndHours, hc.EndMinutes = int(deref(c.EndTime.Hours)), int(deref(c.EndTime.Minutes))
			}
			p.Config = append(p.Config, hc)
		}
	}
	if rc != nil && rc.RecurrencePattern != nil {
		r := rc.RecurrencePattern
		p.Recurrence = &domain.HoursRecurrence{Frequency: string(r.Frequency), Interval: int(deref(r.Interval)),
			ByMonth: ints(r.ByMonth), ByMonthDay: ints(r.ByMonthDay), ByWeekdayOccurrence: ints(r.ByWeekdayOccurrence)}
	}
	if typ != "" {
		p.Type = ref(string(typ))
	}
	return p
}

func ints(in []int32) []int {
	if in == nil {
		return nil
	}
	out := make([]int, len(in))
	for i, v := range in {
		out[i] = int(v)
	}
	return out
}

func int32s(in []int) []int32 {
	if in == nil {
		return nil
	}
	out := make([]int32, len(in))
	for i, v := range in {
		out[i] = int32(v)
	}
	return out
}

func timeSlice(minutes int) *cw.OverrideTimeSlice {
	// The model's hours run 0–23: a span to midnight ends at 00:00, as
	// Connect writes the whole day (00:00–00:00).
	minutes %= 24 * 60
	return &cw.OverrideTimeSlice{Hours: ref(int32(minutes / 60)), Minutes: ref(int32(minutes % 60))}
}

func overrideOut(o *domain.HoursOverride, hoursID, hoursArn string) cw.HoursOfOperationOverride {
	out := cw.HoursOfOperationOverride{HoursOfOperationOverrideId: ref(o.ID), HoursOfOperationId: ref(hoursID), HoursOfOperationArn: ref(hoursArn),
		Name: ref(o.Name), Description: ptr(o.Description), EffectiveFrom: ref(o.EffectiveFrom), EffectiveTill: ref(o.EffectiveTill),
		OverrideType: cw.OverrideType(o.Type), Config: []cw.HoursOfOperationOverrideConfig{}}
	for _, c := range o.Config {
		out.Config = append(out.Config, cw.HoursOfOperationOverrideConfig{Day: cw.OverrideDays(c.Day),
			StartTime: timeSlice(c.StartHours*60 + c.StartMinutes), EndTime: timeSlice(c.EndHours*60 + c.EndMinutes)})
	}
	if r := o.Recurrence; r != nil {
		out.RecurrenceConfig = &cw.RecurrenceConfig{RecurrencePattern: &cw.RecurrencePattern{Frequency: cw.RecurrenceFrequency(r.Frequency),
			Interval: ref(int32(r.Interval)), ByMonth: int32s(r.ByMonth), ByMonthDay: int32s(r.ByMonthDay), ByWeekdayOccurrence: int32s(r.ByWeekdayOccurrence)}}
	}
	return out
}

// CreateHoursOfOperationOverride handles the operation of the same name.
func (h *Handlers) CreateHoursOfOperationOverride(ctx context.Context, in *cw.CreateHoursOfOperationOverrideRequest) (*cw.CreateHoursOfOperationOverrideResponse, error) {
	o, err := h.svc.CreateHoursOfOperationOverride(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId),
		overrideParams(in.Name, in.Description, in.Config, in.EffectiveFrom, in.EffectiveTill, in.RecurrenceConfig, in.OverrideType))
	if err != nil {
		return nil, err
	}
	return &cw.CreateHoursOfOperationOverrideResponse{HoursOfOperationOverrideId: ref(o.ID)}, nil
}

// DescribeHoursOfOperationOverride handles the operation of the same name.
func (h *Handlers) DescribeHoursOfOperationOverride(ctx context.Context, in *cw.DescribeHoursOfOperationOverrideRequest) (*cw.DescribeHoursOfOperationOverrideResponse, error) {
	o, hrs, err := h.svc.DescribeHoursOfOperationOverride(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId), deref(in.HoursOfOperationOverrideId))
	if err != nil {
		return nil, err
	}
	out := overrideOut(o, hrs.ID, hrs.Arn)
	return &cw.DescribeHoursOfOperationOverrideResponse{HoursOfOperationOverride: &out}, nil
}

// ListHoursOfOperationOverrides handles the operation of the same name.
func (h *Handlers) ListHoursOfOperationOverrides(ctx context.Context, in *cw.ListHoursOfOperationOverridesRequest) (*cw.ListHoursOfOperationOverridesResponse, error) {
	list, next, hrs, err := h.svc.ListHoursOfOperationOverrides(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListHoursOfOperationOverridesResponse{NextToken: ptr(next), HoursOfOperationOverrideList: []cw.HoursOfOperationOverride{},
		LastModifiedTime: wtime(hrs.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())}
	for i := range list {
		out.HoursOfOperationOverrideList = append(out.HoursOfOperationOverrideList, overrideOut(&list[i], hrs.ID, hrs.Arn))
	}
	return out, nil
}

// UpdateHoursOfOperationOverride handles the operation of the same name.
func (h *Handlers) UpdateHoursOfOperationOverride(ctx context.Context, in *cw.UpdateHoursOfOperationOverrideRequest) (*cw.UpdateHoursOfOperationOverrideResponse, error) {
	if err := h.svc.UpdateHoursOfOperationOverride(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId), deref(in.HoursOfOperationOverrideId),
		overrideParams(in.Name, in.Description, in.Config, in.EffectiveFrom, in.EffectiveTill, in.RecurrenceConfig, in.OverrideType)); err != nil {
		return nil, err
	}
	return &cw.UpdateHoursOfOperationOverrideResponse{}, nil
}

// DeleteHoursOfOperationOverride handles the operation of the same name.
func (h *Handlers) DeleteHoursOfOperationOverride(ctx context.Context, in *cw.DeleteHoursOfOperationOverrideRequest) (*cw.DeleteHoursOfOperationOverrideResponse, error) {
	if err := h.svc.DeleteHoursOfOperationOverride(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId), deref(in.HoursOfOperationOverrideId)); err != nil {
		return nil, err
	}
	return &cw.DeleteHoursOfOperationOverrideResponse{}, nil
}

// overrideCriteriaIn converts SearchHoursOfOperationOverrides' criteria.
func overrideCriteriaIn(c *cw.HoursOfOperationOverrideSearchCriteria) *domain.SearchCriteria {
	if c == nil {
		return nil
	}
	out := &domain.SearchCriteria{String: stringConditionIn(c.StringCondition)}
	if d := c.DateCondition; d != nil {
		out.Date = &domain.DateCondition{FieldName: deref(d.FieldName), Value: deref(d.Value), ComparisonType: string(d.ComparisonType)}
	}
	for i := range c.AndConditions {
		out.And = append(out.And, *overrideCriteriaIn(&c.AndConditions[i]))
	}
	for i := range c.OrConditions {
		out.Or = append(out.Or, *overrideCriteriaIn(&c.OrConditions[i]))
	}
	return out
}

// SearchHoursOfOperationOverrides handles the operation of the same name.
func (h *Handlers) SearchHoursOfOperationOverrides(ctx context.Context, in *cw.SearchHoursOfOperationOverridesRequest) (*cw.SearchHoursOfOperationOverridesResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = tagFilterIn(in.SearchFilter.TagFilter)
	}
	list, next, total, err := h.svc.SearchHoursOfOperationOverrides(ctx, deref(in.InstanceId), overrideCriteriaIn(in.SearchCriteria), filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchHoursOfOperationOverridesResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), HoursOfOperationOverrides: []cw.HoursOfOperationOverride{}}
	for i := range list {
		out.HoursOfOperationOverrides = append(out.HoursOfOperationOverrides, overrideOut(&list[i].HoursOverride, list[i].HoursID, list[i].HoursArn))
	}
	return out, nil
}

// GetEffectiveHoursOfOperations handles the operation of the same name.
func (h *Handlers) GetEffectiveHoursOfOperations(ctx context.Context, in *cw.GetEffectiveHoursOfOperationsRequest) (*cw.GetEffectiveHoursOfOperationsResponse, error) {
	days, tz, err := h.svc.GetEffectiveHoursOfOperations(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId), deref(in.FromDate), deref(in.ToDate))
	if err != nil {
		return nil, err
	}
	out := &cw.GetEffectiveHoursOfOperationsResponse{TimeZone: ref(tz), EffectiveHoursOfOperationList: []cw.EffectiveHoursOfOperations{},
		EffectiveOverrideHoursList: []cw.EffectiveOverrideHours{}}
	for _, d := range days {
		e := cw.EffectiveHoursOfOperations{Date: ref(d.Date), OperationalHours: []cw.OperationalHour{}}
		for _, sp := range d.Open {
			e.OperationalHours = append(e.OperationalHours, cw.OperationalHour{Start: timeSlice(sp.Start), End: timeSlice(sp.End)})
		}
		out.EffectiveHoursOfOperationList = append(out.EffectiveHoursOfOperationList, e)
		if len(d.Overrides) > 0 {
			o := cw.EffectiveOverrideHours{Date: ref(d.Date)}
			for _, a := range d.Overrides {
				o.OverrideHours = append(o.OverrideHours, overrideHour(a))
			}
			out.EffectiveOverrideHoursList = append(out.EffectiveOverrideHoursList, o)
		}
	}
	return out, nil
}

func overrideHour(a hours.Applied) cw.OverrideHour {
	return cw.OverrideHour{Start: timeSlice(a.Start), End: timeSlice(a.End), OverrideName: ref(a.Name), OperationalStatus: cw.OperationalStatus(a.Status)}
}
