package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

func hoursConfigIn(in []cw.HoursOfOperationConfig) []domain.HoursConfig {
	if in == nil {
		return nil
	}
	out := make([]domain.HoursConfig, 0, len(in))
	for _, c := range in {
		var start, end cw.HoursOfOperationTimeSlice
		if c.StartTime != nil {
			start = *c.StartTime
		}
		if c.EndTime != nil {
			end = *c.EndTime
		}
		out = append(out, domain.HoursConfig{Day: string(c.Day),
			StartHours: int(deref(start.Hours)), StartMinutes: int(deref(start.Minutes)),
			EndHours: int(deref(end.Hours)), EndMinutes: int(deref(end.Minutes))})
	}
	return out
}

func hoursConfigOut(in []domain.HoursConfig) []cw.HoursOfOperationConfig {
	out := make([]cw.HoursOfOperationConfig, 0, len(in))
	for _, c := range in {
		out = append(out, cw.HoursOfOperationConfig{Day: cw.HoursOfOperationDays(c.Day),
			StartTime: &cw.HoursOfOperationTimeSlice{Hours: ref(int32(c.StartHours)), Minutes: ref(int32(c.StartMinutes))},
			EndTime:   &cw.HoursOfOperationTimeSlice{Hours: ref(int32(c.EndHours)), Minutes: ref(int32(c.EndMinutes))}})
	}
	return out
}

// CreateHoursOfOperation handles the operation of the same name.
func (h *Handlers) CreateHoursOfOperation(ctx context.Context, in *cw.CreateHoursOfOperationRequest) (*cw.CreateHoursOfOperationResponse, error) {
	p := domain.HoursParams{Name: in.Name, Description: in.Description, TimeZone: in.TimeZone, Config: hoursConfigIn(in.Config), Tags: in.Tags}
	for _, ph := range in.ParentHoursOfOperationConfigs {
		p.ParentIDs = append(p.ParentIDs, deref(ph.HoursOfOperationId))
	}
	hours, err := h.svc.CreateHoursOfOperation(ctx, deref(in.InstanceId), p)
	if err != nil {
		return nil, err
	}
	return &cw.CreateHoursOfOperationResponse{HoursOfOperationId: ref(hours.ID), HoursOfOperationArn: ref(hours.Arn)}, nil
}

// DescribeHoursOfOperation handles the operation of the same name.
func (h *Handlers) DescribeHoursOfOperation(ctx context.Context, in *cw.DescribeHoursOfOperationRequest) (*cw.DescribeHoursOfOperationResponse, error) {
	hours, err := h.svc.DescribeHoursOfOperation(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId))
	if err != nil {
		return nil, err
	}
	names, err := h.svc.HoursNames(ctx, hours.InstanceID, hours.ParentIDs)
	if err != nil {
		return nil, err
	}
	return &cw.DescribeHoursOfOperationResponse{HoursOfOperation: hoursOut(h, hours, names)}, nil
}

// hoursOut is hours of operation as Describe and Search show them; names
// holds the names of its parents (HoursNames).
func hoursOut(h *Handlers, hours *domain.HoursOfOperation, names map[string]string) *cw.HoursOfOperation {
	out := &cw.HoursOfOperation{
		HoursOfOperationId: ref(hours.ID), HoursOfOperationArn: ref(hours.Arn), Name: ref(hours.Name),
		Description: ptr(hours.Description), TimeZone: ref(hours.TimeZone), Config: hoursConfigOut(hours.Config),
		Tags: hours.Tags, LastModifiedTime: wtime(hours.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()),
	}
	for _, id := range hours.ParentIDs {
		if name, ok := names[id]; ok {
			out.ParentHoursOfOperations = append(out.ParentHoursOfOperations, cw.HoursOfOperationsIdentifier{Id: ref(id), Name: ref(name)})
		}
	}
	return out
}

// SearchHoursOfOperations handles the operation of the same name.
func (h *Handlers) SearchHoursOfOperations(ctx context.Context, in *cw.SearchHoursOfOperationsRequest) (*cw.SearchHoursOfOperationsResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = tagFilterIn(in.SearchFilter.TagFilter)
	}
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.HoursOfOperationSearchCriteria) ([]cw.HoursOfOperationSearchCriteria, []cw.HoursOfOperationSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchHoursOfOperations(ctx, deref(in.InstanceId), criteria, filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchHoursOfOperationsResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), HoursOfOperations: []cw.HoursOfOperation{}}
	// One lookup for the parents' names of the whole page.
	var parents []string
	for i := range list {
		parents = append(parents, list[i].ParentIDs...)
	}
	var names map[string]string
	if len(list) > 0 && len(parents) > 0 {
		if names, err = h.svc.HoursNames(ctx, list[0].InstanceID, parents); err != nil {
			return nil, err
		}
	}
	for i := range list {
		out.HoursOfOperations = append(out.HoursOfOperations, *hoursOut(h, &list[i], names))
	}
	return out, nil
}

// ListHoursOfOperations handles the operation of the same name.
func (h *Handlers) ListHoursOfOperations(ctx context.Context, in *cw.ListHoursOfOperationsRequest) (*cw.ListHoursOfOperationsResponse, error) {
	list, next, err := h.svc.ListHoursOfOperations(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListHoursOfOperationsResponse{NextToken: ptr(next), HoursOfOperationSummaryList: []cw.HoursOfOperationSummary{}}
	for _, hours := range list {
		out.HoursOfOperationSummaryList = append(out.HoursOfOperationSummaryList, cw.HoursOfOperationSummary{
			Id: ref(hours.ID), Arn: ref(hours.Arn), Name: ref(hours.Name), LastModifiedTime: wtime(hours.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()),
		})
	}
	return out, nil
}

// UpdateHoursOfOperation handles the operation of the same name.
func (h *Handlers) UpdateHoursOfOperation(ctx context.Context, in *cw.UpdateHoursOfOperationRequest) (*cw.UpdateHoursOfOperationResponse, error) {
	p := domain.HoursParams{Name: in.Name, Description: in.Description, TimeZone: in.TimeZone, Config: hoursConfigIn(in.Config)}
	if err := h.svc.UpdateHoursOfOperation(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId), p); err != nil {
		return nil, err
	}
	return &cw.UpdateHoursOfOperationResponse{}, nil
}

// DeleteHoursOfOperation handles the operation of the same name.
func (h *Handlers) DeleteHoursOfOperation(ctx context.Context, in *cw.DeleteHoursOfOperationRequest) (*cw.DeleteHoursOfOperationResponse, error) {
	if err := h.svc.DeleteHoursOfOperation(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId)); err != nil {
		return nil, err
	}
	return &cw.DeleteHoursOfOperationResponse{}, nil
}

// AssociateHoursOfOperations handles the operation of the same name.
func (h *Handlers) AssociateHoursOfOperations(ctx context.Context, in *cw.AssociateHoursOfOperationsRequest) (*cw.AssociateHoursOfOperationsResponse, error) {
	ids := make([]string, 0, len(in.ParentHoursOfOperationConfigs))
	for _, c := range in.ParentHoursOfOperationConfigs {
		ids = append(ids, deref(c.HoursOfOperationId))
	}
	if err := h.svc.AssociateHoursOfOperations(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId), ids); err != nil {
		return nil, err
	}
	return &cw.AssociateHoursOfOperationsResponse{}, nil
}

// DisassociateHoursOfOperations handles the operation of the same name.
func (h *Handlers) DisassociateHoursOfOperations(ctx context.Context, in *cw.DisassociateHoursOfOperationsRequest) (*cw.DisassociateHoursOfOperationsResponse, error) {
	if err := h.svc.DisassociateHoursOfOperations(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId), in.ParentHoursOfOperationIds); err != nil {
		return nil, err
	}
	return &cw.DisassociateHoursOfOperationsResponse{}, nil
}

// ListChildHoursOfOperations handles the operation of the same name.
func (h *Handlers) ListChildHoursOfOperations(ctx context.Context, in *cw.ListChildHoursOfOperationsRequest) (*cw.ListChildHoursOfOperationsResponse, error) {
	list, next, modified, err := h.svc.ListChildHoursOfOperations(ctx, deref(in.InstanceId), deref(in.HoursOfOperationId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListChildHoursOfOperationsResponse{NextToken: ptr(next), ChildHoursOfOperationsSummaryList: []cw.HoursOfOperationsIdentifier{},
		LastModifiedTime: wtime(modified), LastModifiedRegion: ref(h.svc.HomeRegion())}
	for _, c := range list {
		out.ChildHoursOfOperationsSummaryList = append(out.ChildHoursOfOperationsSummaryList, cw.HoursOfOperationsIdentifier{Id: ref(c.ID), Arn: ref(c.Arn), Name: ref(c.Name)})
	}
	return out, nil
}
