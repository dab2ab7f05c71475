package center_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// sseStream opens an agent's event stream (Server-Sent Events) and returns
// its messages as they come.
func (w *world) sseStream(token string) <-chan agentapi.StreamMessage {
	w.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", w.URL+"/agent/v1/stream", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	must(w.t, err)
	out := make(chan agentapi.StreamMessage, 64)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var m agentapi.StreamMessage
				if json.Unmarshal([]byte(data), &m) == nil {
					out <- m
				}
			}
		}
	}()
	return out
}

// nextOf waits for the stream's next message of a type.
func nextOf(t *testing.T, ch <-chan agentapi.StreamMessage, typ string) agentapi.StreamMessage {
	t.Helper()
	timeout := time.After(10 * time.Second) // a bound on a hang, not a timing assertion
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				t.Fatalf("the stream closed before a %s message", typ)
			}
			if m.Type == typ {
				return m
			}
		case <-timeout:
			t.Fatalf("no %s message on the stream", typ)
		}
	}
}

// TestNotifications: a notification to a user reaches their open stream at
// once, one to the instance reaches every user, and each user reads and
// marks their own, until it expires.
func TestNotifications(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	ada, bob := w.user("ada"), w.user("bob")
	adaToken := w.login("ada")
	stream := w.sseStream(adaToken)
	nextOf(t, stream, "hello")
	userARN := func(id string) string {
		u, err := w.Client.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: &w.iid, UserId: &id})
		must(t, err)
		return *u.User.Arn
	}
	inst, err := w.Client.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: &w.iid})
	must(t, err)
	create := func(in connect.CreateNotificationInput) (*connect.CreateNotificationOutput, error) {
		in.InstanceId = &w.iid
		return w.Raw.CreateNotification(ctx, &in)
	}

	toAda, err := create(connect.CreateNotificationInput{Recipients: []string{userARN(ada)}, Priority: types.ConfigurableNotificationPriorityHigh,
		Content: map[string]string{"en_US": "Queue is long: please stay available", "de_DE": "Lange Warteschlange"}})
	must(t, err)
	m := nextOf(t, stream, "notification")
	if m.Notification == nil || m.Notification.ID != *toAda.NotificationId || m.Notification.Priority != "HIGH" || m.Notification.Content["de_DE"] != "Lange Warteschlange" ||
		!m.Notification.ExpiresAt.Equal(sbtest.Start.Add(7*24*time.Hour)) {
		t.Fatalf("streamed notification %+v", m.Notification)
	}
	w.Clock.Advance(time.Minute)
	toAll, err := create(connect.CreateNotificationInput{Recipients: []string{*inst.Instance.Arn}, Content: map[string]string{"en_US": "Team meeting at 3"},
		ExpiresAt: aws.Time(sbtest.Start.Add(time.Hour))})
	must(t, err)
	if m := nextOf(t, stream, "notification"); m.Notification.ID != *toAll.NotificationId || m.Notification.Priority != "LOW" {
		t.Fatalf("the instance-wide notification on ada's stream: %+v", m.Notification)
	}

	list := func(user string) []types.UserNotificationSummary {
		t.Helper()
		out, err := w.Client.ListUserNotifications(ctx, &connect.ListUserNotificationsInput{InstanceId: &w.iid, UserId: &user})
		must(t, err)
		return out.UserNotifications
	}
	if l := list(ada); len(l) != 2 || *l[0].NotificationId != *toAda.NotificationId || l[0].NotificationStatus != types.NotificationStatusUnread ||
		l[0].Source != types.NotificationSourceCustomer || *l[0].RecipientId != ada {
		t.Fatalf("ada's notifications (HIGH first): %+v", l)
	}
	if l := list(bob); len(l) != 1 || *l[0].NotificationId != *toAll.NotificationId {
		t.Fatalf("bob's notifications: %+v", l)
	}
	if _, err := w.Client.UpdateUserNotificationStatus(ctx, &connect.UpdateUserNotificationStatusInput{InstanceId: &w.iid, UserId: &ada,
		NotificationId: toAda.NotificationId, Status: types.NotificationStatusRead}); err != nil {
		t.Fatal(err)
	}
	if l := list(ada); l[0].NotificationStatus != types.NotificationStatusRead || l[1].NotificationStatus != types.NotificationStatusUnread {
		t.Fatalf("after ada read one: %+v", l)
	}
	_, err = w.Raw.UpdateUserNotificationStatus(ctx, &connect.UpdateUserNotificationStatusInput{InstanceId: &w.iid, UserId: &bob,
		NotificationId: toAda.NotificationId, Status: types.NotificationStatusRead})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404) // not sent to bob

	// Through the agent API, as the CCP's notification widget does.
	status, out := w.agentAPI("GET", "/agent/v1/instances/"+w.iid+"/notifications", adaToken, nil)
	if got, _ := out["notifications"].([]any); status != 200 || len(got) != 2 || got[0].(map[string]any)["status"] != "READ" || got[1].(map[string]any)["status"] != "UNREAD" {
		t.Fatalf("agent API notifications: %d %v", status, out)
	}
	if status, out := w.agentAPI("PUT", "/agent/v1/instances/"+w.iid+"/notifications/"+*toAll.NotificationId, adaToken, map[string]string{"status": "HIDDEN"}); status != 204 {
		t.Fatalf("hide through the agent API: %d %v", status, out)
	}
	if l := list(ada); l[1].NotificationStatus != types.NotificationStatusHidden {
		t.Fatalf("after ada hid one: %+v", l)
	}
	if status, _ := w.agentAPI("PUT", "/agent/v1/instances/"+w.iid+"/notifications/"+*toAll.NotificationId, adaToken, map[string]string{"status": "GONE"}); status != 400 {
		t.Fatalf("a bad status: %d, want 400", status)
	}
	if status, _ := w.agentAPI("PUT", "/agent/v1/instances/"+w.iid+"/notifications/nope", adaToken, map[string]string{"status": "READ"}); status != 404 {
		t.Fatalf("an unknown notification: %d, want 404", status)
	}

	// Content changes for everyone; the meeting reminder expires.
	if _, err := w.Client.UpdateNotificationContent(ctx, &connect.UpdateNotificationContentInput{InstanceId: &w.iid, NotificationId: toAll.NotificationId,
		Content: map[string]string{"en_US": "Team meeting moved to 4"}}); err != nil {
		t.Fatal(err)
	}
	if l := list(bob); l[0].Content["en_US"] != "Team meeting moved to 4" {
		t.Fatalf("bob's updated notification: %+v", l[0].Content)
	}
	w.Clock.Advance(time.Hour)
	if l := list(bob); len(l) != 0 {
		t.Fatalf("an expired notification is still listed: %+v", l)
	}

	// Admin views.
	d, err := w.Client.DescribeNotification(ctx, &connect.DescribeNotificationInput{InstanceId: &w.iid, NotificationId: toAda.NotificationId})
	must(t, err)
	if n := d.Notification; *n.Arn != *toAda.NotificationArn || len(n.Recipients) != 1 || !n.CreatedAt.Equal(sbtest.Start) || n.Priority != types.NotificationPriorityHigh {
		t.Fatalf("DescribeNotification %+v", n)
	}
	all, err := w.Client.ListNotifications(ctx, &connect.ListNotificationsInput{InstanceId: &w.iid})
	must(t, err)
	if len(all.NotificationSummaryList) != 2 {
		t.Fatalf("ListNotifications: %d", len(all.NotificationSummaryList))
	}
	found, err := w.Client.SearchNotifications(ctx, &connect.SearchNotificationsInput{InstanceId: &w.iid, SearchCriteria: &types.NotificationSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("content"), Value: aws.String("meeting"), ComparisonType: types.StringComparisonTypeContains}}})
	must(t, err)
	if len(found.Notifications) != 1 || *found.Notifications[0].Id != *toAll.NotificationId || aws.ToInt64(found.ApproximateTotalCount) != 1 {
		t.Fatalf("search for 'meeting': %+v", found.Notifications)
	}
	if _, err := w.Client.DeleteNotification(ctx, &connect.DeleteNotificationInput{InstanceId: &w.iid, NotificationId: toAda.NotificationId}); err != nil {
		t.Fatal(err)
	}
	_, err = w.Raw.DescribeNotification(ctx, &connect.DescribeNotificationInput{InstanceId: &w.iid, NotificationId: toAda.NotificationId})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)

	// Refusals.
	for name, tc := range map[string]struct {
		in   connect.CreateNotificationInput
		exc  string
		code int
	}{
		"text too long":       {connect.CreateNotificationInput{Recipients: []string{*inst.Instance.Arn}, Content: map[string]string{"en_US": strings.Repeat("x", 251)}}, "InvalidParameterException", 400},
		"empty text":          {connect.CreateNotificationInput{Recipients: []string{*inst.Instance.Arn}, Content: map[string]string{"en_US": ""}}, "InvalidParameterException", 400},
		"unknown locale":      {connect.CreateNotificationInput{Recipients: []string{*inst.Instance.Arn}, Content: map[string]string{"xx_XX": "hi"}}, "InvalidParameterException", 400},
		"in the past":         {connect.CreateNotificationInput{Recipients: []string{*inst.Instance.Arn}, Content: map[string]string{"en_US": "hi"}, ExpiresAt: aws.Time(sbtest.Start)}, "InvalidParameterException", 400},
		"unknown user":        {connect.CreateNotificationInput{Recipients: []string{strings.TrimSuffix(userARN(ada), ada) + "nobody"}, Content: map[string]string{"en_US": "hi"}}, "ResourceNotFoundException", 404},
		"not a recipient":     {connect.CreateNotificationInput{Recipients: []string{"arn:aws:connect:us-east-1:123456789012:instance/other"}, Content: map[string]string{"en_US": "hi"}}, "InvalidParameterException", 400},
		"predefined":          {connect.CreateNotificationInput{Recipients: []string{*inst.Instance.Arn}, Content: map[string]string{"en_US": "hi"}, PredefinedNotificationId: aws.String("p")}, "InvalidRequestException", 400},
		"urgent is Connect's": {connect.CreateNotificationInput{Recipients: []string{*inst.Instance.Arn}, Content: map[string]string{"en_US": "hi"}, Priority: "URGENT"}, "InvalidParameterException", 400},
	} {
		_, err := create(tc.in)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		sbtest.APIError(t, err, tc.exc, tc.code)
	}
}
