package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// intPtr converts an optional wire count to the domain's *int.
func intPtr(v *int32) *int {
	if v == nil {
		return nil
	}
	n := int(*v)
	return &n
}

func outboundCallerIn(c *cw.OutboundCallerConfig) domain.OutboundCaller {
	return domain.OutboundCaller{Name: deref(c.OutboundCallerIdName), NumberID: deref(c.OutboundCallerIdNumberId), FlowID: deref(c.OutboundFlowId)}
}

// CreateQueue handles the operation of the same name.
func (h *Handlers) CreateQueue(ctx context.Context, in *cw.CreateQueueRequest) (*cw.CreateQueueResponse, error) {
	p := domain.QueueParams{Name: deref(in.Name), Description: deref(in.Description), HoursOfOperationID: deref(in.HoursOfOperationId),
		MaxContacts: intPtr(in.MaxContacts), QuickConnectIDs: in.QuickConnectIds, Tags: in.Tags}
	if in.OutboundCallerConfig != nil {
		c := outboundCallerIn(in.OutboundCallerConfig)
		p.OutboundCaller = &c
	}
	if in.OutboundEmailConfig != nil {
		p.OutboundEmailID = deref(in.OutboundEmailConfig.OutboundEmailAddressId)
	}
	for _, e := range in.EmailAddressesConfig {
		p.EmailAddressIDs = append(p.EmailAddressIDs, deref(e.EmailAddressId))
	}
	q, err := h.svc.CreateQueue(ctx, deref(in.InstanceId), p)
	if err != nil {
		return nil, err
	}
	return &cw.CreateQueueResponse{QueueId: ref(q.ID), QueueArn: ref(q.Arn)}, nil
}

// DescribeQueue handles the operation of the same name.
func (h *Handlers) DescribeQueue(ctx context.Context, in *cw.DescribeQueueRequest) (*cw.DescribeQueueResponse, error) {
	q, err := h.svc.DescribeQueue(ctx, deref(in.InstanceId), deref(in.QueueId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeQueueResponse{Queue: queueOut(h, q)}, nil
}

// queueOut is a queue as DescribeQueue and SearchQueues show it.
func queueOut(h *Handlers, q *domain.Queue) *cw.Queue {
	out := &cw.Queue{
		QueueId: ref(q.ID), QueueArn: ref(q.Arn), Name: ref(q.Name), Description: ptr(q.Description),
		HoursOfOperationId: ptr(q.HoursOfOperationID), Status: cw.QueueStatus(q.Status), Tags: q.Tags,
		LastModifiedTime: wtime(q.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()),
	}
	if q.MaxContacts != nil {
		out.MaxContacts = ref(int32(*q.MaxContacts))
	}
	if q.OutboundCallerIDName != "" || q.OutboundCallerIDNumber != "" || q.OutboundFlowID != "" {
		out.OutboundCallerConfig = &cw.OutboundCallerConfig{OutboundCallerIdName: ptr(q.OutboundCallerIDName),
			OutboundCallerIdNumberId: ptr(q.OutboundCallerIDNumber), OutboundFlowId: ptr(q.OutboundFlowID)}
	}
	if q.OutboundEmailAddressID != "" {
		out.OutboundEmailConfig = &cw.OutboundEmailConfig{OutboundEmailAddressId: ref(q.OutboundEmailAddressID)}
	}
	return out
}

// queueCriteriaIn converts SearchQueues' criteria. A QueueTypeCondition
// beside a node's other condition joins it with AND.
func queueCriteriaIn(c *cw.QueueSearchCriteria) *domain.SearchCriteria {
	if c == nil {
		return nil
	}
	out := &domain.SearchCriteria{String: stringConditionIn(c.StringCondition)}
	for i := range c.AndConditions {
		out.And = append(out.And, *queueCriteriaIn(&c.AndConditions[i]))
	}
	for i := range c.OrConditions {
		out.Or = append(out.Or, *queueCriteriaIn(&c.OrConditions[i]))
	}
	return withEnums(out, domain.EnumCondition{Field: "QueueType", Value: string(c.QueueTypeCondition)})
}

// withEnums joins a criteria node with the enum conditions set beside it
// (those with a Value) by AND, as the search models mean them.
func withEnums(c *domain.SearchCriteria, conds ...domain.EnumCondition) *domain.SearchCriteria {
	var and []domain.SearchCriteria
	if c.String != nil || len(c.And) > 0 || len(c.Or) > 0 {
		and = append(and, *c)
	}
	for _, e := range conds {
		if e.Value != "" {
			and = append(and, domain.SearchCriteria{Enum: &e})
		}
	}
	switch len(and) {
	case 0:
		return c
	case 1:
		return &and[0]
	}
	return &domain.SearchCriteria{And: and}
}

// SearchQueues handles the operation of the same name.
func (h *Handlers) SearchQueues(ctx context.Context, in *cw.SearchQueuesRequest) (*cw.SearchQueuesResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = tagFilterIn(in.SearchFilter.TagFilter)
	}
	list, next, total, err := h.svc.SearchQueues(ctx, deref(in.InstanceId), queueCriteriaIn(in.SearchCriteria), filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchQueuesResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), Queues: []cw.Queue{}}
	for i := range list {
		out.Queues = append(out.Queues, *queueOut(h, &list[i]))
	}
	return out, nil
}

// ListQueues handles the operation of the same name.
func (h *Handlers) ListQueues(ctx context.Context, in *cw.ListQueuesRequest) (*cw.ListQueuesResponse, error) {
	list, next, err := h.svc.ListQueues(ctx, deref(in.InstanceId), enumStrings(in.QueueTypes), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListQueuesResponse{NextToken: ptr(next), QueueSummaryList: []cw.QueueSummary{}}
	for _, q := range list {
		out.QueueSummaryList = append(out.QueueSummaryList, cw.QueueSummary{
			Id: ref(q.ID), Arn: ref(q.Arn), Name: ptr(q.Name), QueueType: cw.QueueType(q.QueueType),
			LastModifiedTime: wtime(q.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()),
		})
	}
	return out, nil
}

// UpdateQueueName handles the operation of the same name.
func (h *Handlers) UpdateQueueName(ctx context.Context, in *cw.UpdateQueueNameRequest) (*cw.UpdateQueueNameResponse, error) {
	if err := h.svc.UpdateQueueName(ctx, deref(in.InstanceId), deref(in.QueueId), in.Name, in.Description); err != nil {
		return nil, err
	}
	return &cw.UpdateQueueNameResponse{}, nil
}

// UpdateQueueHoursOfOperation handles the operation of the same name.
func (h *Handlers) UpdateQueueHoursOfOperation(ctx context.Context, in *cw.UpdateQueueHoursOfOperationRequest) (*cw.UpdateQueueHoursOfOperationResponse, error) {
	if err := h.svc.UpdateQueueHoursOfOperation(ctx, deref(in.InstanceId), deref(in.QueueId), deref(in.HoursOfOperationId)); err != nil {
		return nil, err
	}
	return &cw.UpdateQueueHoursOfOperationResponse{}, nil
}

// UpdateQueueMaxContacts handles the operation of the same name.
func (h *Handlers) UpdateQueueMaxContacts(ctx context.Context, in *cw.UpdateQueueMaxContactsRequest) (*cw.UpdateQueueMaxContactsResponse, error) {
	if err := h.svc.UpdateQueueMaxContacts(ctx, deref(in.InstanceId), deref(in.QueueId), intPtr(in.MaxContacts)); err != nil {
		return nil, err
	}
	return &cw.UpdateQueueMaxContactsResponse{}, nil
}

// UpdateQueueStatus handles the operation of the same name.
func (h *Handlers) UpdateQueueStatus(ctx context.Context, in *cw.UpdateQueueStatusRequest) (*cw.UpdateQueueStatusResponse, error) {
	if err := h.svc.UpdateQueueStatus(ctx, deref(in.InstanceId), deref(in.QueueId), string(in.Status)); err != nil {
		return nil, err
	}
	return &cw.UpdateQueueStatusResponse{}, nil
}

// UpdateQueueOutboundCallerConfig handles the operation of the same name.
func (h *Handlers) UpdateQueueOutboundCallerConfig(ctx context.Context, in *cw.UpdateQueueOutboundCallerConfigRequest) (*cw.UpdateQueueOutboundCallerConfigResponse, error) {
	c := domain.OutboundCaller{}
	if in.OutboundCallerConfig != nil {
		c = outboundCallerIn(in.OutboundCallerConfig)
	}
	if err := h.svc.UpdateQueueOutboundCallerConfig(ctx, deref(in.InstanceId), deref(in.QueueId), c); err != nil {
		return nil, err
	}
	return &cw.UpdateQueueOutboundCallerConfigResponse{}, nil
}

// UpdateQueueOutboundEmailConfig handles the operation of the same name.
func (h *Handlers) UpdateQueueOutboundEmailConfig(ctx context.Context, in *cw.UpdateQueueOutboundEmailConfigRequest) (*cw.UpdateQueueOutboundEmailConfigResponse, error) {
	id := ""
	if in.OutboundEmailConfig != nil {
		id = deref(in.OutboundEmailConfig.OutboundEmailAddressId)
	}
	if err := h.svc.UpdateQueueOutboundEmailConfig(ctx, deref(in.InstanceId), deref(in.QueueId), id); err != nil {
		return nil, err
	}
	return &cw.UpdateQueueOutboundEmailConfigResponse{}, nil
}

// DeleteQueue handles the operation of the same name.
func (h *Handlers) DeleteQueue(ctx context.Context, in *cw.DeleteQueueRequest) (*cw.DeleteQueueResponse, error) {
	if err := h.svc.DeleteQueue(ctx, deref(in.InstanceId), deref(in.QueueId)); err != nil {
		return nil, err
	}
	return &cw.DeleteQueueResponse{}, nil
}

// AssociateQueueEmailAddresses handles the operation of the same name.
func (h *Handlers) AssociateQueueEmailAddresses(ctx context.Context, in *cw.AssociateQueueEmailAddressesRequest) (*cw.AssociateQueueEmailAddressesResponse, error) {
	ids := make([]string, 0, len(in.EmailAddressesConfig))
	for _, c := range in.EmailAddressesConfig {
		ids = append(ids, deref(c.EmailAddressId))
	}
	if err := h.svc.AssociateQueueEmailAddresses(ctx, deref(in.InstanceId), deref(in.QueueId), ids); err != nil {
		return nil, err
	}
	return &cw.AssociateQueueEmailAddressesResponse{}, nil
}

// DisassociateQueueEmailAddresses handles the operation of the same name.
func (h *Handlers) DisassociateQueueEmailAddresses(ctx context.Context, in *cw.DisassociateQueueEmailAddressesRequest) (*cw.DisassociateQueueEmailAddressesResponse, error) {
	if err := h.svc.DisassociateQueueEmailAddresses(ctx, deref(in.InstanceId), deref(in.QueueId), in.EmailAddressesId); err != nil {
		return nil, err
	}
	return &cw.DisassociateQueueEmailAddressesResponse{}, nil
}

// ListQueueEmailAddresses handles the operation of the same name.
func (h *Handlers) ListQueueEmailAddresses(ctx context.Context, in *cw.ListQueueEmailAddressesRequest) (*cw.ListQueueEmailAddressesResponse, error) {
	list, next, modified, err := h.svc.ListQueueEmailAddresses(ctx, deref(in.InstanceId), deref(in.QueueId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListQueueEmailAddressesResponse{NextToken: ptr(next), EmailAddressMetadataList: []cw.EmailAddressSummary{},
		LastModifiedTime: wtime(modified), LastModifiedRegion: ref(h.svc.HomeRegion())}
	for _, e := range list {
		out.EmailAddressMetadataList = append(out.EmailAddressMetadataList, cw.EmailAddressSummary{Id: ref(e.ID), Arn: ref(e.Arn), IsDefaultOutboundEmail: ref(e.DefaultOutbound)})
	}
	return out, nil
}
