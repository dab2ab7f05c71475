package domain

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Notifications are messages to agents (CreateNotification): localized
// text, a priority and an expiry, sent to users or to a whole instance. A
// recipient is a user named by ARN, or every user of the instance when
// the instance's ARN is a recipient, those created later included: who
// receives a notification is worked out when it is read. Each recipient
// has the notification UNREAD until they mark it READ or HIDDEN; expired
// notifications are not listed to users. The runtime pushes a new
// notification to its recipients' agent streams.

// Notification is a notification to agents.
type Notification struct {
	ID, Arn, InstanceID string
	Content             map[string]string // locale → text
	Priority            string            // HIGH | LOW
	Recipients          []string          // ARNs as given
	Source              string            // CUSTOMER
	CreatedAt           time.Time
	ExpiresAt           time.Time
	LastModifiedTime    time.Time
	Tags                map[string]string
}

func (n *Notification) recordKey() (string, string) { return n.ID, "" }

// UserNotification is a notification as one recipient has it.
type UserNotification struct {
	Notification
	UserID string
	Status string // UNREAD | READ | HIDDEN
}

// notificationStatus is a recipient's status of a notification, stored
// once they change it.
type notificationStatus struct {
	Status           string
	LastModifiedTime time.Time
}

// Kinds of notifications and recipients' statuses (keyed
// "{notification}/{user}").
const (
	KindNotification       Kind = "notification"
	KindNotificationStatus Kind = "notification-status"
)

const (
	// maxNotificationText is Connect's documented limit per locale (the
	// model allows 500).
	maxNotificationText = 250
	// DefaultNotificationLife is how long a notification shows when
	// ExpiresAt is not given.
	DefaultNotificationLife = 7 * 24 * time.Hour
)

// NotificationParams are the inputs of CreateNotification.
type NotificationParams struct {
	ClientToken  string
	Content      map[string]string
	Priority     string
	Recipients   []string
	ExpiresAt    time.Time
	PredefinedID string
	Tags         map[string]string
}

// NotificationWatcher is the part of the Runtime that delivers new
// notifications to agents who are connected.
type NotificationWatcher interface {
	NotificationCreated(n *Notification)
}

func checkNotificationContent(content map[string]string) error {
	if len(content) == 0 {
		return Errorf(ErrInvalidParameter, "Content needs the text in at least one locale, such as {\"en_US\": \"…\"}.")
	}
	for _, loc := range sortedKeys(content) {
		if n := utf8.RuneCountInString(content[loc]); n == 0 || n > maxNotificationText {
			return Errorf(ErrInvalidParameter, "Content for %s has %d characters; a notification's text has 1 to %d per locale.", loc, n, maxNotificationText)
		}
	}
	return nil
}

// CreateNotification records a notification and hands it to the runtime
// for the agents connected.
func (s *Service) CreateNotification(ctx context.Context, instanceID string, p NotificationParams) (*Notification, error) {
	if p.PredefinedID != "" {
		return nil, Errorf(ErrInvalidRequest, "PredefinedNotificationId names one of Connect's own notifications, which this server does not have; give Content instead.")
	}
	if err := checkNotificationContent(p.Content); err != nil {
		return nil, err
	}
	var n *Notification
	tok := newClientToken("CreateNotification", p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		iid, id, now, prior, err := newIn[Notification](s, tx, KindNotification, instanceID, tok)
		if err != nil || prior != nil {
			n = prior
			return err
		}
		for _, r := range p.Recipients {
			if err := s.checkRecipient(tx, iid, r); err != nil {
				return err
			}
		}
		expires := p.ExpiresAt
		if expires.IsZero() {
			expires = now.Add(DefaultNotificationLife)
		}
		if !expires.After(now) {
			return Errorf(ErrInvalidParameter, "ExpiresAt %s is not in the future.", expires.UTC().Format(time.RFC3339))
		}
		priority := p.Priority
		if priority == "" {
			priority = "LOW"
		}
		n = &Notification{ID: id, Arn: s.newARN(KindNotification, iid, id), InstanceID: iid, Content: p.Content, Priority: priority,
			Recipients: p.Recipients, Source: "CUSTOMER", CreatedAt: now, ExpiresAt: expires.UTC(), LastModifiedTime: now, Tags: p.Tags}
		return save(tx, KindNotification, iid, n, now, now)
	})
	if err != nil {
		return nil, err
	}
	if w, ok := s.runtime.(NotificationWatcher); ok {
		w.NotificationCreated(n)
	}
	return n, nil
}

// checkRecipient accepts the instance's ARN or the ARN of one of its
// users.
func (s *Service) checkRecipient(tx ReadTx, iid, arn string) error {
	if arn == s.instanceARN(iid) {
		return nil
	}
	prefix := s.resourceARN(iid, kindInfo[KindUser].arnType, "")
	if !strings.HasPrefix(arn, prefix) {
		return Errorf(ErrInvalidParameter, "Recipient %q is neither this instance's ARN (%s) nor the ARN of one of its users (%s{userId}).", clip(arn, 200), s.instanceARN(iid), prefix)
	}
	_, err := getIn[User](tx, KindUser, iid, strings.TrimPrefix(arn, prefix))
	return err
}

// NotifiedUser reports whether a notification is for the user.
func (s *Service) NotifiedUser(n *Notification, userID string) bool {
	return slices.Contains(n.Recipients, s.instanceARN(n.InstanceID)) ||
		slices.Contains(n.Recipients, s.resourceARN(n.InstanceID, kindInfo[KindUser].arnType, userID))
}

// DescribeNotification returns a notification by ID or ARN.
func (s *Service) DescribeNotification(ctx context.Context, instanceID, id string) (*Notification, error) {
	return describe[Notification](s, ctx, KindNotification, instanceID, id)
}

// ListNotifications pages through an instance's notifications, oldest
// first.
func (s *Service) ListNotifications(ctx context.Context, instanceID string, page Page) ([]Notification, string, error) {
	return listIn[Notification](s, ctx, KindNotification, instanceID, page, nil)
}

// UpdateNotificationContent replaces a notification's text, for every
// recipient.
func (s *Service) UpdateNotificationContent(ctx context.Context, instanceID, id string, content map[string]string) error {
	if err := checkNotificationContent(content); err != nil {
		return err
	}
	_, err := modify(s, ctx, KindNotification, instanceID, id, func(_ Tx, _ string, now time.Time, n *Notification) error {
		n.Content, n.LastModifiedTime = content, now
		return nil
	})
	return err
}

// DeleteNotification removes a notification and its recipients' statuses.
func (s *Service) DeleteNotification(ctx context.Context, instanceID, id string) error {
	return s.remove(ctx, KindNotification, instanceID, id, func(tx Tx, iid, nid string) error {
		recs, err := tx.ListRecords(KindNotificationStatus, iid, "", 0)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if strings.HasPrefix(r.ID, nid+"/") {
				if err := tx.DeleteRecord(KindNotificationStatus, iid, r.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// notificationSearchFields are the FieldName values SearchNotifications
// takes.
var notificationSearchFields = map[string]func(*Notification) []string{
	"content":    func(n *Notification) []string { return mapValues(n.Content) },
	"priority":   func(n *Notification) []string { return []string{n.Priority} },
	"resourceid": func(n *Notification) []string { return []string{n.ID} },
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

// SearchNotifications finds notifications matching criteria and tags,
// newest first, with the total count.
func (s *Service) SearchNotifications(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]Notification, string, int, error) {
	match, err := compileSearch[Notification](criteria, notificationSearchFields, nil)
	if err != nil {
		return nil, "", 0, err
	}
	var hits []Notification
	err = s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		every, err := all[Notification](tx, KindNotification, iid)
		hits = slices.DeleteFunc(every, func(n Notification) bool { return !match(&n) || !filter.matchTags(n.Tags) })
		return err
	})
	if err != nil {
		return nil, "", 0, err
	}
	slices.SortFunc(hits, func(a, b Notification) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	out, next, err := pageSlice(hits, page)
	return out, next, len(hits), err
}

// notificationRank orders what a user sees: URGENT, then HIGH, then LOW.
func notificationRank(p string) int {
	switch p {
	case "URGENT":
		return 0
	case "HIGH":
		return 1
	}
	return 2
}

// ListUserNotifications pages through the notifications a user has that
// have not expired, with their status: by priority, newest first.
func (s *Service) ListUserNotifications(ctx context.Context, instanceID, userID string, page Page) ([]UserNotification, string, error) {
	var out []UserNotification
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		u, err := getIn[User](tx, KindUser, iid, userID)
		if err != nil {
			return err
		}
		every, err := all[Notification](tx, KindNotification, iid)
		if err != nil {
			return err
		}
		now := s.now()
		for _, n := range every {
			if !s.NotifiedUser(&n, u.ID) || !now.Before(n.ExpiresAt) {
				continue
			}
			st, err := s.notificationStatusOf(tx, iid, n.ID, u.ID)
			if err != nil {
				return err
			}
			out = append(out, UserNotification{Notification: n, UserID: u.ID, Status: st})
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	slices.SortFunc(out, func(a, b UserNotification) int {
		if c := notificationRank(a.Priority) - notificationRank(b.Priority); c != 0 {
			return c
		}
		return b.CreatedAt.Compare(a.CreatedAt)
	})
	return pageSlice(out, page)
}

func (s *Service) notificationStatusOf(tx ReadTx, iid, notificationID, userID string) (string, error) {
	st, err := getDoc[notificationStatus](tx, KindNotificationStatus, iid, notificationID+"/"+userID)
	if errors.Is(err, ErrStoreNotFound) {
		return "UNREAD", nil
	}
	if err != nil {
		return "", err
	}
	return st.Status, nil
}

// UpdateUserNotificationStatus marks a notification READ, UNREAD or
// HIDDEN for one of its recipients.
func (s *Service) UpdateUserNotificationStatus(ctx context.Context, instanceID, userID, notificationID, status string) error {
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		u, err := getIn[User](tx, KindUser, iid, userID)
		if err != nil {
			return err
		}
		n, err := getIn[Notification](tx, KindNotification, iid, notificationID)
		if err != nil {
			return err
		}
		if !s.NotifiedUser(n, u.ID) {
			return Errorf(ErrNotFound, "Notification %s was not sent to user %s; ListUserNotifications shows theirs.", n.ID, u.ID)
		}
		now := s.now()
		return putDoc(tx, KindNotificationStatus, iid, n.ID+"/"+u.ID, "", now, now, &notificationStatus{Status: status, LastModifiedTime: now})
	})
}
