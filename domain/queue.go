package domain

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// QueueParams are the inputs of CreateQueue.
type QueueParams struct {
	Name, Description  string
	HoursOfOperationID string
	MaxContacts        *int
	OutboundCaller     *OutboundCaller
	OutboundEmailID    string
	QuickConnectIDs    []string
	EmailAddressIDs    []string
	Tags               map[string]string
}

// OutboundCaller is a queue's OutboundCallerConfig.
type OutboundCaller struct {
	Name, NumberID, FlowID string
}

// checkMaxContacts repeats the model's minimum so that the rule holds for
// callers other than the API too.
func checkMaxContacts(n *int) error {
	if n != nil && *n < 0 {
		return Errorf(ErrInvalidParameter, "MaxContacts is %d; it must be 0 or more (omit it for no limit of the queue's own).", *n)
	}
	return nil
}

// checkOutboundCaller checks that the caller ID number is a phone number
// claimed to this instance and that the outbound whisper flow exists, and
// returns the config with bare IDs.
func checkOutboundCaller(tx ReadTx, iid string, c *OutboundCaller) (OutboundCaller, error) {
	out := OutboundCaller{Name: c.Name, NumberID: idFromARN(c.NumberID, "phone-number"), FlowID: idFromARN(c.FlowID, "contact-flow")}
	if out.NumberID != "" {
		pn, err := getDoc[PhoneNumber](tx, KindPhoneNumber, "", out.NumberID)
		if err != nil || pn.InstanceID != iid {
			if err != nil && !isNotFound(err) {
				return out, err
			}
			return out, Errorf(ErrNotFound, "Phone number %s (OutboundCallerIdNumberId) is not claimed to instance %s; claim it with ClaimPhoneNumber first.", clip(c.NumberID, 100), iid)
		}
	}
	if out.FlowID != "" {
		if err := exists(tx, KindContactFlow, iid, out.FlowID, "OutboundFlowId"); err != nil {
			return out, err
		}
	}
	return out, nil
}

// checkQueueRefs checks quick connects and email addresses a queue names.
func checkQueueRefs(tx ReadTx, iid string, quickConnects, emails []string) ([]string, []string, error) {
	var qcs, eas []string
	for _, id := range quickConnects {
		id = idFromARN(id, "transfer-destination")
		if err := exists(tx, KindQuickConnect, iid, id, "QuickConnectIds"); err != nil {
			return nil, nil, err
		}
		if !slices.Contains(qcs, id) {
			qcs = append(qcs, id)
		}
	}
	for _, id := range emails {
		id = idFromARN(id, "email-address")
		if err := exists(tx, KindEmailAddress, iid, id, "EmailAddressesConfig"); err != nil {
			return nil, nil, err
		}
		if !slices.Contains(eas, id) {
			eas = append(eas, id)
		}
	}
	return qcs, eas, nil
}

// CreateQueue creates a standard queue.
func (s *Service) CreateQueue(ctx context.Context, instanceID string, p QueueParams) (*Queue, error) {
	if err := checkMaxContacts(p.MaxContacts); err != nil {
		return nil, err
	}
	var q *Queue
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := checkStandardQueueQuota(tx, iid, s.quotas.Queues); err != nil {
			return err
		}
		hoursID := idFromARN(p.HoursOfOperationID, "operating-hours")
		if err := exists(tx, KindHoursOfOperation, iid, hoursID, "HoursOfOperationId"); err != nil {
			return err
		}
		now := s.now()
		q = &Queue{ID: s.newID(), InstanceID: iid, Name: p.Name, Description: p.Description, HoursOfOperationID: hoursID,
			MaxContacts: p.MaxContacts, Status: "ENABLED", QueueType: "STANDARD", Tags: p.Tags, LastModifiedTime: now}
		if p.OutboundCaller != nil {
			c, err := checkOutboundCaller(tx, iid, p.OutboundCaller)
			if err != nil {
				return err
			}
			q.OutboundCallerIDName, q.OutboundCallerIDNumber, q.OutboundFlowID = c.Name, c.NumberID, c.FlowID
		}
		if p.OutboundEmailID != "" {
			q.OutboundEmailAddressID = idFromARN(p.OutboundEmailID, "email-address")
			if err := exists(tx, KindEmailAddress, iid, q.OutboundEmailAddressID, "OutboundEmailConfig.OutboundEmailAddressId"); err != nil {
				return err
			}
		}
		if q.QuickConnectIDs, q.EmailAddressIDs, err = checkQueueRefs(tx, iid, p.QuickConnectIDs, p.EmailAddressIDs); err != nil {
			return err
		}
		q.Arn = s.newARN(KindQueue, iid, q.ID)
		return save(tx, KindQueue, iid, q, now, now)
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// DescribeQueue returns a queue by ID or ARN.
func (s *Service) DescribeQueue(ctx context.Context, instanceID, queueID string) (*Queue, error) {
	return describe[Queue](s, ctx, KindQueue, instanceID, queueID)
}

// ListQueues pages through an instance's queues of the given types (all
// when empty). Agent queues (type AGENT) come with users, one each.
func (s *Service) ListQueues(ctx context.Context, instanceID string, types []string, page Page) ([]Queue, string, error) {
	var keep func(*Queue) bool
	if in := oneOf(types); in != nil {
		keep = func(q *Queue) bool { return in(q.QueueType) }
	}
	return listIn(s, ctx, KindQueue, instanceID, page, keep)
}

// updateQueue applies fn to a standard queue; agent queues are owned by
// their user and have no name, hours or caller config of their own.
func (s *Service) updateQueue(ctx context.Context, instanceID, queueID string, fn func(tx Tx, iid string, q *Queue) error) error {
	_, err := modify(s, ctx, KindQueue, instanceID, queueID, func(tx Tx, iid string, now time.Time, q *Queue) error {
		if q.QueueType == "AGENT" {
			return Errorf(ErrInvalidRequest, "Queue %s is an agent queue; agent queues are managed with their user and cannot be changed directly.", q.ID)
		}
		if err := fn(tx, iid, q); err != nil {
			return err
		}
		q.LastModifiedTime = now
		return nil
	})
	return err
}

// MaxQueueQuickConnects is how many quick connects one queue may offer
// (Connect's feature limit; CreateQueue takes at most 50 at once).
const MaxQueueQuickConnects = 700

// AssociateQueueQuickConnects adds quick connects to those a standard
// queue offers its agents; one it already offers is no error.
func (s *Service) AssociateQueueQuickConnects(ctx context.Context, instanceID, queueID string, ids []string) error {
	return s.updateQueue(ctx, instanceID, queueID, func(tx Tx, iid string, q *Queue) error {
		add, _, err := checkQueueRefs(tx, iid, ids, nil)
		if err != nil {
			return err
		}
		for _, id := range add {
			if !slices.Contains(q.QuickConnectIDs, id) {
				q.QuickConnectIDs = append(q.QuickConnectIDs, id)
			}
		}
		if n := len(q.QuickConnectIDs); n > MaxQueueQuickConnects {
			return Errorf(ErrLimitExceeded, "Queue %s would offer %d quick connects; a queue offers at most %d. Disassociate some first.", q.ID, n, MaxQueueQuickConnects)
		}
		return nil
	})
}

// DisassociateQueueQuickConnects takes quick connects off a standard
// queue; one it does not offer is no error.
func (s *Service) DisassociateQueueQuickConnects(ctx context.Context, instanceID, queueID string, ids []string) error {
	return s.updateQueue(ctx, instanceID, queueID, func(_ Tx, _ string, q *Queue) error {
		for _, ref := range ids {
			id := idFromARN(ref, "transfer-destination")
			q.QuickConnectIDs = slices.DeleteFunc(q.QuickConnectIDs, func(v string) bool { return v == id })
		}
		return nil
	})
}

// ListQueueQuickConnects pages through the quick connects a queue offers,
// in ID order, with the queue's last modification.
func (s *Service) ListQueueQuickConnects(ctx context.Context, instanceID, queueID string, page Page) ([]QuickConnect, string, time.Time, error) {
	var (
		out      []QuickConnect
		next     string
		modified time.Time
	)
	err := viewResource(s, ctx, KindQueue, instanceID, queueID, func(tx ReadTx, iid string, q *Queue) error {
		modified = q.LastModifiedTime
		all := make([]QuickConnect, 0, len(q.QuickConnectIDs))
		for _, id := range q.QuickConnectIDs {
			qc, err := getDoc[QuickConnect](tx, KindQuickConnect, iid, id)
			if err != nil {
				return fmt.Errorf("queue %s names quick connect %s: %w", q.ID, id, err)
			}
			all = append(all, *qc)
		}
		slices.SortFunc(all, func(a, b QuickConnect) int { return strings.Compare(a.ID, b.ID) })
		var err error
		out, next, err = pageOf(all, page, func(qc *QuickConnect) string { return qc.ID })
		return err
	})
	return out, next, modified, err
}

// MaxQueueEmailAddresses is how many email addresses a queue has, its
// default outbound address included, as Connect allows.
const MaxQueueEmailAddresses = 50

// AssociateQueueEmailAddresses adds email addresses of the instance to a
// standard queue; one it has already is no error.
func (s *Service) AssociateQueueEmailAddresses(ctx context.Context, instanceID, queueID string, ids []string) error {
	return s.updateQueue(ctx, instanceID, queueID, func(tx Tx, iid string, q *Queue) error {
		_, add, err := checkQueueRefs(tx, iid, nil, ids)
		if err != nil {
			return err
		}
		for _, id := range add {
			if !slices.Contains(q.EmailAddressIDs, id) {
				q.EmailAddressIDs = append(q.EmailAddressIDs, id)
			}
		}
		if n := len(q.queueEmailAddresses()); n > MaxQueueEmailAddresses {
			return Errorf(ErrLimitExceeded, "Queue %s would have %d email addresses; a queue has at most %d, its default outbound address included. Disassociate some first.", q.ID, n, MaxQueueEmailAddresses)
		}
		return nil
	})
}

// DisassociateQueueEmailAddresses takes email addresses off a queue; one
// it does not have is no error. The default outbound address stays: it is
// changed with UpdateQueueOutboundEmailConfig.
func (s *Service) DisassociateQueueEmailAddresses(ctx context.Context, instanceID, queueID string, ids []string) error {
	return s.updateQueue(ctx, instanceID, queueID, func(_ Tx, _ string, q *Queue) error {
		for _, ref := range ids {
			id := idFromARN(ref, "email-address")
			q.EmailAddressIDs = slices.DeleteFunc(q.EmailAddressIDs, func(v string) bool { return v == id })
		}
		return nil
	})
}

// QueueEmailAddress is one of a queue's email addresses, as
// ListQueueEmailAddresses reports it.
type QueueEmailAddress struct {
	EmailAddress
	DefaultOutbound bool
}

// queueEmailAddresses are the IDs of the queue's addresses: the default
// outbound one first, then the associated ones.
func (q *Queue) queueEmailAddresses() []string {
	var ids []string
	if q.OutboundEmailAddressID != "" {
		ids = append(ids, q.OutboundEmailAddressID)
	}
	for _, id := range q.EmailAddressIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// ListQueueEmailAddresses pages through a queue's email addresses, the
// default outbound one first, with the queue's last modification.
func (s *Service) ListQueueEmailAddresses(ctx context.Context, instanceID, queueID string, page Page) ([]QueueEmailAddress, string, time.Time, error) {
	var (
		out      []QueueEmailAddress
		next     string
		modified time.Time
	)
	err := viewResource(s, ctx, KindQueue, instanceID, queueID, func(tx ReadTx, iid string, q *Queue) error {
		modified = q.LastModifiedTime
		ids, nextPage, err := pageSlice(q.queueEmailAddresses(), page)
		if err != nil {
			return err
		}
		next = nextPage
		for _, id := range ids {
			e, err := getDoc[EmailAddress](tx, KindEmailAddress, iid, id)
			if err != nil {
				return fmt.Errorf("queue %s names email address %s: %w", q.ID, id, err)
			}
			out = append(out, QueueEmailAddress{EmailAddress: *e, DefaultOutbound: id == q.OutboundEmailAddressID})
		}
		return nil
	})
	return out, next, modified, err
}

// queueSearchFields are the FieldName values the model lists for
// SearchQueues.
var queueSearchFields = map[string]func(*Queue) []string{
	"name":        func(q *Queue) []string { return []string{q.Name} },
	"description": func(q *Queue) []string { return []string{q.Description} },
	"resourceid":  func(q *Queue) []string { return []string{q.ID} },
}

// SearchQueues finds the queues, standard and agent, that match criteria
// (whose Type leaves are QueueTypeConditions) and filter, with the total
// count.
func (s *Service) SearchQueues(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]Queue, string, int, error) {
	match, err := compileSearch(criteria, queueSearchFields, map[string]func(*Queue) string{"QueueType": func(q *Queue) string { return q.QueueType }})
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindQueue, instanceID, page, func(q *Queue) bool {
		return match(q) && filter.matchTags(q.Tags)
	}, func(q *Queue) string { return q.ID })
}

// UpdateQueueName changes a queue's name and/or description.
func (s *Service) UpdateQueueName(ctx context.Context, instanceID, queueID string, name, description *string) error {
	if name == nil && description == nil {
		return Errorf(ErrInvalidRequest, "Give a Name, a Description or both to change.")
	}
	return s.updateQueue(ctx, instanceID, queueID, func(_ Tx, _ string, q *Queue) error {
		if name != nil {
			q.Name = *name
		}
		if description != nil {
			q.Description = *description
		}
		return nil
	})
}

// UpdateQueueHoursOfOperation points a queue at other hours.
func (s *Service) UpdateQueueHoursOfOperation(ctx context.Context, instanceID, queueID, hoursID string) error {
	return s.updateQueue(ctx, instanceID, queueID, func(tx Tx, iid string, q *Queue) error {
		id := idFromARN(hoursID, "operating-hours")
		if err := exists(tx, KindHoursOfOperation, iid, id, "HoursOfOperationId"); err != nil {
			return err
		}
		q.HoursOfOperationID = id
		return nil
	})
}

// UpdateQueueMaxContacts sets the queue's capacity; nil removes the limit.
func (s *Service) UpdateQueueMaxContacts(ctx context.Context, instanceID, queueID string, maxContacts *int) error {
	if err := checkMaxContacts(maxContacts); err != nil {
		return err
	}
	return s.updateQueue(ctx, instanceID, queueID, func(_ Tx, _ string, q *Queue) error {
		q.MaxContacts = maxContacts
		return nil
	})
}

// UpdateQueueStatus enables or disables a queue.
func (s *Service) UpdateQueueStatus(ctx context.Context, instanceID, queueID, status string) error {
	if status != "ENABLED" && status != "DISABLED" {
		return Errorf(ErrInvalidParameter, "Status %q is not valid; use ENABLED or DISABLED.", clip(status, 32))
	}
	return s.updateQueue(ctx, instanceID, queueID, func(_ Tx, _ string, q *Queue) error {
		q.Status = status
		return nil
	})
}

// UpdateQueueOutboundCallerConfig replaces the outbound caller config.
func (s *Service) UpdateQueueOutboundCallerConfig(ctx context.Context, instanceID, queueID string, c OutboundCaller) error {
	return s.updateQueue(ctx, instanceID, queueID, func(tx Tx, iid string, q *Queue) error {
		checked, err := checkOutboundCaller(tx, iid, &c)
		if err != nil {
			return err
		}
		q.OutboundCallerIDName, q.OutboundCallerIDNumber, q.OutboundFlowID = checked.Name, checked.NumberID, checked.FlowID
		return nil
	})
}

// UpdateQueueOutboundEmailConfig sets the address outbound email is sent
// from; "" clears it.
func (s *Service) UpdateQueueOutboundEmailConfig(ctx context.Context, instanceID, queueID, emailID string) error {
	return s.updateQueue(ctx, instanceID, queueID, func(tx Tx, iid string, q *Queue) error {
		id := idFromARN(emailID, "email-address")
		if id != "" {
			if err := exists(tx, KindEmailAddress, iid, id, "OutboundEmailAddressId"); err != nil {
				return err
			}
		}
		q.OutboundEmailAddressID = id
		return nil
	})
}

// DeleteQueue deletes a queue that is not the default BasicQueue and that no
// routing profile or quick connect uses.
func (s *Service) DeleteQueue(ctx context.Context, instanceID, queueID string) error {
	return s.remove(ctx, KindQueue, instanceID, queueID, func(tx Tx, iid, id string) error {
		q, err := getDoc[Queue](tx, KindQueue, iid, id)
		if err != nil {
			return err
		}
		if q.Name == DefaultQueueName {
			return Errorf(ErrResourceInUse, "Queue %s is the instance's default queue %s, which the default flows use; it cannot be deleted.", id, DefaultQueueName)
		}
		if q.QueueType == "AGENT" {
			return Errorf(ErrInvalidRequest, "Queue %s is an agent queue; it is deleted with its user.", id)
		}
		profiles, err := all[RoutingProfile](tx, KindRoutingProfile, iid)
		if err != nil {
			return err
		}
		for _, rp := range profiles {
			used := rp.DefaultOutboundQueueID == id
			for _, c := range rp.QueueConfigs {
				used = used || c.QueueID == id
			}
			if used {
				return Errorf(ErrResourceInUse, "Queue %s is used by routing profile %q (%s); remove it from the routing profile first.", id, rp.Name, rp.ID)
			}
		}
		qcs, err := all[QuickConnect](tx, KindQuickConnect, iid)
		if err != nil {
			return err
		}
		for _, qc := range qcs {
			if qc.Type == "QUEUE" && qc.QueueID == id {
				return Errorf(ErrResourceInUse, "Queue %s is the destination of quick connect %q (%s); delete the quick connect first.", id, qc.Name, qc.ID)
			}
		}
		return nil
	})
}
