package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// CreateQuickConnect handles the operation of the same name.
func (h *Handlers) CreateQuickConnect(ctx context.Context, in *cw.CreateQuickConnectRequest) (*cw.CreateQuickConnectResponse, error) {
	p := domain.QuickConnectParams{Name: deref(in.Name), Description: deref(in.Description), Tags: in.Tags}
	quickConnectConfigIn(in.QuickConnectConfig, &p)
	qc, err := h.svc.CreateQuickConnect(ctx, deref(in.InstanceId), p)
	if err != nil {
		return nil, err
	}
	return &cw.CreateQuickConnectResponse{QuickConnectId: ref(qc.ID), QuickConnectARN: ref(qc.Arn)}, nil
}

// quickConnectConfigIn copies a wire config's type and destination into p.
func quickConnectConfigIn(c *cw.QuickConnectConfig, p *domain.QuickConnectParams) {
	if c == nil {
		return
	}
	p.Type = string(c.QuickConnectType)
	if c.UserConfig != nil {
		p.HasUser, p.UserID, p.ContactFlowID = true, deref(c.UserConfig.UserId), deref(c.UserConfig.ContactFlowId)
	}
	if c.QueueConfig != nil {
		p.HasQueue, p.QueueID, p.ContactFlowID = true, deref(c.QueueConfig.QueueId), deref(c.QueueConfig.ContactFlowId)
	}
	if c.PhoneConfig != nil {
		p.HasPhone, p.PhoneNumber = true, deref(c.PhoneConfig.PhoneNumber)
	}
	if c.FlowConfig != nil {
		p.HasFlow, p.ContactFlowID = true, deref(c.FlowConfig.ContactFlowId)
	}
}

// UpdateQuickConnectName handles the operation of the same name.
func (h *Handlers) UpdateQuickConnectName(ctx context.Context, in *cw.UpdateQuickConnectNameRequest) (*cw.UpdateQuickConnectNameResponse, error) {
	if err := h.svc.UpdateQuickConnectName(ctx, deref(in.InstanceId), deref(in.QuickConnectId), in.Name, in.Description); err != nil {
		return nil, err
	}
	return &cw.UpdateQuickConnectNameResponse{}, nil
}

// UpdateQuickConnectConfig handles the operation of the same name.
func (h *Handlers) UpdateQuickConnectConfig(ctx context.Context, in *cw.UpdateQuickConnectConfigRequest) (*cw.UpdateQuickConnectConfigResponse, error) {
	var p domain.QuickConnectParams
	quickConnectConfigIn(in.QuickConnectConfig, &p)
	if err := h.svc.UpdateQuickConnectConfig(ctx, deref(in.InstanceId), deref(in.QuickConnectId), p); err != nil {
		return nil, err
	}
	return &cw.UpdateQuickConnectConfigResponse{}, nil
}

// quickConnectConfigOut rebuilds the config of the quick connect's type.
func quickConnectConfigOut(qc *domain.QuickConnect) *cw.QuickConnectConfig {
	c := &cw.QuickConnectConfig{QuickConnectType: cw.QuickConnectType(qc.Type)}
	switch qc.Type {
	case "USER":
		c.UserConfig = &cw.UserQuickConnectConfig{UserId: ref(qc.UserID), ContactFlowId: ref(qc.ContactFlowID)}
	case "QUEUE":
		c.QueueConfig = &cw.QueueQuickConnectConfig{QueueId: ref(qc.QueueID), ContactFlowId: ref(qc.ContactFlowID)}
	case "PHONE_NUMBER":
		c.PhoneConfig = &cw.PhoneNumberQuickConnectConfig{PhoneNumber: ref(qc.PhoneNumber)}
	case "FLOW":
		c.FlowConfig = &cw.FlowQuickConnectConfig{ContactFlowId: ref(qc.ContactFlowID)}
	}
	return c
}

// DescribeQuickConnect handles the operation of the same name.
func (h *Handlers) DescribeQuickConnect(ctx context.Context, in *cw.DescribeQuickConnectRequest) (*cw.DescribeQuickConnectResponse, error) {
	qc, err := h.svc.DescribeQuickConnect(ctx, deref(in.InstanceId), deref(in.QuickConnectId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeQuickConnectResponse{QuickConnect: quickConnectOut(h, qc)}, nil
}

// quickConnectOut is a quick connect as DescribeQuickConnect and
// SearchQuickConnects show it.
func quickConnectOut(h *Handlers, qc *domain.QuickConnect) *cw.QuickConnect {
	return &cw.QuickConnect{
		QuickConnectId: ref(qc.ID), QuickConnectARN: ref(qc.Arn), Name: ref(qc.Name), Description: ptr(qc.Description),
		QuickConnectConfig: quickConnectConfigOut(qc), Tags: qc.Tags, LastModifiedTime: wtime(qc.LastModifiedTime),
		LastModifiedRegion: ref(h.svc.HomeRegion()),
	}
}

// SearchQuickConnects handles the operation of the same name.
func (h *Handlers) SearchQuickConnects(ctx context.Context, in *cw.SearchQuickConnectsRequest) (*cw.SearchQuickConnectsResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = tagFilterIn(in.SearchFilter.TagFilter)
	}
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.QuickConnectSearchCriteria) ([]cw.QuickConnectSearchCriteria, []cw.QuickConnectSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchQuickConnects(ctx, deref(in.InstanceId), criteria, filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchQuickConnectsResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), QuickConnects: []cw.QuickConnect{}}
	for i := range list {
		out.QuickConnects = append(out.QuickConnects, *quickConnectOut(h, &list[i]))
	}
	return out, nil
}

// ListQuickConnects handles the operation of the same name.
func (h *Handlers) ListQuickConnects(ctx context.Context, in *cw.ListQuickConnectsRequest) (*cw.ListQuickConnectsResponse, error) {
	list, next, err := h.svc.ListQuickConnects(ctx, deref(in.InstanceId), enumStrings(in.QuickConnectTypes), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListQuickConnectsResponse{NextToken: ptr(next), QuickConnectSummaryList: []cw.QuickConnectSummary{}}
	for _, qc := range list {
		out.QuickConnectSummaryList = append(out.QuickConnectSummaryList, quickConnectSummary(h, &qc))
	}
	return out, nil
}

func quickConnectSummary(h *Handlers, qc *domain.QuickConnect) cw.QuickConnectSummary {
	return cw.QuickConnectSummary{Id: ref(qc.ID), Arn: ref(qc.Arn), Name: ref(qc.Name), QuickConnectType: cw.QuickConnectType(qc.Type),
		LastModifiedTime: wtime(qc.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())}
}

// DeleteQuickConnect handles the operation of the same name.
func (h *Handlers) DeleteQuickConnect(ctx context.Context, in *cw.DeleteQuickConnectRequest) (*cw.DeleteQuickConnectResponse, error) {
	if err := h.svc.DeleteQuickConnect(ctx, deref(in.InstanceId), deref(in.QuickConnectId)); err != nil {
		return nil, err
	}
	return &cw.DeleteQuickConnectResponse{}, nil
}

// AssociateQueueQuickConnects handles the operation of the same name.
func (h *Handlers) AssociateQueueQuickConnects(ctx context.Context, in *cw.AssociateQueueQuickConnectsRequest) (*cw.AssociateQueueQuickConnectsResponse, error) {
	if err := h.svc.AssociateQueueQuickConnects(ctx, deref(in.InstanceId), deref(in.QueueId), in.QuickConnectIds); err != nil {
		return nil, err
	}
	return &cw.AssociateQueueQuickConnectsResponse{}, nil
}

// DisassociateQueueQuickConnects handles the operation of the same name.
func (h *Handlers) DisassociateQueueQuickConnects(ctx context.Context, in *cw.DisassociateQueueQuickConnectsRequest) (*cw.DisassociateQueueQuickConnectsResponse, error) {
	if err := h.svc.DisassociateQueueQuickConnects(ctx, deref(in.InstanceId), deref(in.QueueId), in.QuickConnectIds); err != nil {
		return nil, err
	}
	return &cw.DisassociateQueueQuickConnectsResponse{}, nil
}

// ListQueueQuickConnects handles the operation of the same name.
func (h *Handlers) ListQueueQuickConnects(ctx context.Context, in *cw.ListQueueQuickConnectsRequest) (*cw.ListQueueQuickConnectsResponse, error) {
	list, next, modified, err := h.svc.ListQueueQuickConnects(ctx, deref(in.InstanceId), deref(in.QueueId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListQueueQuickConnectsResponse{NextToken: ptr(next), QuickConnectSummaryList: []cw.QuickConnectSummary{},
		LastModifiedTime: wtime(modified), LastModifiedRegion: ref(h.svc.HomeRegion())}
	for _, qc := range list {
		out.QuickConnectSummaryList = append(out.QuickConnectSummaryList, quickConnectSummary(h, &qc))
	}
	return out, nil
}
