package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// CreateNotification handles the operation of the same name.
func (h *Handlers) CreateNotification(ctx context.Context, in *cw.CreateNotificationRequest) (*cw.CreateNotificationResponse, error) {
	n, err := h.svc.CreateNotification(ctx, deref(in.InstanceId), domain.NotificationParams{ClientToken: deref(in.ClientToken),
		Content: in.Content, Priority: string(in.Priority), Recipients: in.Recipients, ExpiresAt: dtime(in.ExpiresAt),
		PredefinedID: deref(in.PredefinedNotificationId), Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return &cw.CreateNotificationResponse{NotificationId: ref(n.ID), NotificationArn: ref(n.Arn)}, nil
}

// notificationOut is a notification as Describe and List show it.
func (h *Handlers) notificationOut(n *domain.Notification) cw.Notification {
	return cw.Notification{Content: n.Content, Id: ref(n.ID), Arn: ref(n.Arn), Priority: cw.NotificationPriority(n.Priority),
		Recipients: n.Recipients, LastModifiedTime: wtime(n.LastModifiedTime), CreatedAt: wtime(n.CreatedAt), ExpiresAt: wtime(n.ExpiresAt),
		LastModifiedRegion: ref(h.svc.HomeRegion()), Tags: n.Tags}
}

// DescribeNotification handles the operation of the same name.
func (h *Handlers) DescribeNotification(ctx context.Context, in *cw.DescribeNotificationRequest) (*cw.DescribeNotificationResponse, error) {
	n, err := h.svc.DescribeNotification(ctx, deref(in.InstanceId), deref(in.NotificationId))
	if err != nil {
		return nil, err
	}
	out := h.notificationOut(n)
	return &cw.DescribeNotificationResponse{Notification: &out}, nil
}

// ListNotifications handles the operation of the same name.
func (h *Handlers) ListNotifications(ctx context.Context, in *cw.ListNotificationsRequest) (*cw.ListNotificationsResponse, error) {
	list, next, err := h.svc.ListNotifications(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListNotificationsResponse{NotificationSummaryList: make([]cw.Notification, len(list)), NextToken: ptr(next)}
	for i := range list {
		out.NotificationSummaryList[i] = h.notificationOut(&list[i])
	}
	return out, nil
}

// UpdateNotificationContent handles the operation of the same name.
func (h *Handlers) UpdateNotificationContent(ctx context.Context, in *cw.UpdateNotificationContentRequest) (*cw.UpdateNotificationContentResponse, error) {
	if err := h.svc.UpdateNotificationContent(ctx, deref(in.InstanceId), deref(in.NotificationId), in.Content); err != nil {
		return nil, err
	}
	return &cw.UpdateNotificationContentResponse{}, nil
}

// DeleteNotification handles the operation of the same name.
func (h *Handlers) DeleteNotification(ctx context.Context, in *cw.DeleteNotificationRequest) (*cw.DeleteNotificationResponse, error) {
	if err := h.svc.DeleteNotification(ctx, deref(in.InstanceId), deref(in.NotificationId)); err != nil {
		return nil, err
	}
	return &cw.DeleteNotificationResponse{}, nil
}

// notificationCriteriaIn converts SearchNotifications' criteria.
func notificationCriteriaIn(c *cw.NotificationSearchCriteria) *domain.SearchCriteria {
	if c == nil {
		return nil
	}
	out := &domain.SearchCriteria{String: stringConditionIn(c.StringCondition)}
	for i := range c.AndConditions {
		out.And = append(out.And, *notificationCriteriaIn(&c.AndConditions[i]))
	}
	for i := range c.OrConditions {
		out.Or = append(out.Or, *notificationCriteriaIn(&c.OrConditions[i]))
	}
	return out
}

// SearchNotifications handles the operation of the same name.
func (h *Handlers) SearchNotifications(ctx context.Context, in *cw.SearchNotificationsRequest) (*cw.SearchNotificationsResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = attributeFilterIn(in.SearchFilter.AttributeFilter)
	}
	list, next, total, err := h.svc.SearchNotifications(ctx, deref(in.InstanceId), notificationCriteriaIn(in.SearchCriteria), filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchNotificationsResponse{Notifications: make([]cw.NotificationSearchSummary, len(list)), NextToken: ptr(next), ApproximateTotalCount: ref(int64(total))}
	for i, n := range list {
		out.Notifications[i] = cw.NotificationSearchSummary{Id: ref(n.ID), Arn: ref(n.Arn), InstanceId: ref(n.InstanceID), Content: n.Content,
			Priority: cw.NotificationPriority(n.Priority), Recipients: n.Recipients, CreatedAt: wtime(n.CreatedAt), ExpiresAt: wtime(n.ExpiresAt),
			LastModifiedRegion: ref(h.svc.HomeRegion()), LastModifiedTime: wtime(n.LastModifiedTime), Tags: n.Tags}
	}
	return out, nil
}

// ListUserNotifications handles the operation of the same name.
func (h *Handlers) ListUserNotifications(ctx context.Context, in *cw.ListUserNotificationsRequest) (*cw.ListUserNotificationsResponse, error) {
	list, next, err := h.svc.ListUserNotifications(ctx, deref(in.InstanceId), deref(in.UserId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListUserNotificationsResponse{UserNotifications: make([]cw.UserNotificationSummary, len(list)), NextToken: ptr(next)}
	for i, n := range list {
		out.UserNotifications[i] = cw.UserNotificationSummary{NotificationId: ref(n.ID), NotificationStatus: cw.NotificationStatus(n.Status),
			InstanceId: ref(n.InstanceID), RecipientId: ref(n.UserID), Content: n.Content, Priority: cw.NotificationPriority(n.Priority),
			Source: cw.NotificationSource(n.Source), CreatedAt: wtime(n.CreatedAt), ExpiresAt: wtime(n.ExpiresAt)}
	}
	return out, nil
}

// UpdateUserNotificationStatus handles the operation of the same name.
func (h *Handlers) UpdateUserNotificationStatus(ctx context.Context, in *cw.UpdateUserNotificationStatusRequest) (*cw.UpdateUserNotificationStatusResponse, error) {
	if err := h.svc.UpdateUserNotificationStatus(ctx, deref(in.InstanceId), deref(in.UserId), deref(in.NotificationId), string(in.Status)); err != nil {
		return nil, err
	}
	return &cw.UpdateUserNotificationStatusResponse{}, nil
}
