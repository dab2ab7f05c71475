package domain

import (
	"context"
	"slices"
	"time"
)

// QuickConnectParams are the inputs of CreateQuickConnect. Exactly the
// destination members of Type are set: UserID+ContactFlowID for USER,
// QueueID+ContactFlowID for QUEUE, PhoneNumber for PHONE_NUMBER and
// ContactFlowID for FLOW; HasUser/HasQueue/HasPhone/HasFlow say which
// configs the request carried.
type QuickConnectParams struct {
	Name, Description, Type string
	UserID, QueueID         string
	ContactFlowID           string
	PhoneNumber             string
	HasUser, HasQueue       bool
	HasPhone, HasFlow       bool
	Tags                    map[string]string
}

// quickConnectConfigs names, per type, the config member it needs.
var quickConnectConfigs = map[string]string{"USER": "UserConfig", "QUEUE": "QueueConfig", "PHONE_NUMBER": "PhoneConfig", "FLOW": "FlowConfig"}

// checkQuickConnectShape checks that the request carries the config of its
// type and no other.
func checkQuickConnectShape(p *QuickConnectParams) error {
	want, ok := quickConnectConfigs[p.Type]
	if !ok {
		return Errorf(ErrInvalidParameter, "QuickConnectType %q is not valid; use USER, QUEUE, PHONE_NUMBER or FLOW.", clip(p.Type, 32))
	}
	has := map[string]bool{"USER": p.HasUser, "QUEUE": p.HasQueue, "PHONE_NUMBER": p.HasPhone, "FLOW": p.HasFlow}
	if !has[p.Type] {
		return Errorf(ErrInvalidParameter, "QuickConnectType %s needs QuickConnectConfig.%s.", p.Type, want)
	}
	for t, present := range has {
		if present && t != p.Type {
			return Errorf(ErrInvalidParameter, "QuickConnectConfig.%s does not go with QuickConnectType %s; send only %s.", quickConnectConfigs[t], p.Type, want)
		}
	}
	if p.Type == "PHONE_NUMBER" && !e164.MatchString(p.PhoneNumber) {
		return Errorf(ErrInvalidParameter, "PhoneConfig.PhoneNumber %q is not in E.164 format; use + then the country code and number.", clip(p.PhoneNumber, 32))
	}
	return nil
}

// transferFlowType is the flow type a quick connect's flow must have: the
// flow runs on the transferred contact, as the model's docs require.
var transferFlowType = map[string]string{"USER": "AGENT_TRANSFER", "QUEUE": "QUEUE_TRANSFER"}

// CreateQuickConnect creates a quick connect. Users do not exist yet, so a
// USER destination is taken as given; its flow is checked.
func (s *Service) CreateQuickConnect(ctx context.Context, instanceID string, p QuickConnectParams) (*QuickConnect, error) {
	if err := checkQuickConnectShape(&p); err != nil {
		return nil, err
	}
	var qc *QuickConnect
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := checkQuota(tx, KindQuickConnect, iid, s.quotas.QuickConnects, ErrLimitExceeded, "quick-connects"); err != nil {
			return err
		}
		now := s.now()
		qc = &QuickConnect{ID: s.newID(), InstanceID: iid, Name: p.Name, Description: p.Description,
			Tags: p.Tags, LastModifiedTime: now}
		if err := setQuickConnectConfig(tx, iid, qc, &p); err != nil {
			return err
		}
		qc.Arn = s.newARN(KindQuickConnect, iid, qc.ID)
		return save(tx, KindQuickConnect, iid, qc, now, now)
	})
	if err != nil {
		return nil, err
	}
	return qc, nil
}

// setQuickConnectConfig gives qc the destination p describes (its Type
// and the members of that type), checking that the queue and flow exist
// and that the flow's type suits a transfer. Users are taken as given, as
// at creation.
func setQuickConnectConfig(tx ReadTx, iid string, qc *QuickConnect, p *QuickConnectParams) error {
	qc.Type, qc.UserID, qc.QueueID, qc.PhoneNumber, qc.ContactFlowID = p.Type, "", "", "", ""
	switch p.Type {
	case "USER":
		qc.UserID = p.UserID
	case "QUEUE":
		qc.QueueID = idFromARN(p.QueueID, "queue")
		if err := exists(tx, KindQueue, iid, qc.QueueID, "QueueConfig.QueueId"); err != nil {
			return err
		}
	case "PHONE_NUMBER":
		qc.PhoneNumber = p.PhoneNumber
	}
	if p.Type != "PHONE_NUMBER" {
		qc.ContactFlowID = idFromARN(p.ContactFlowID, "contact-flow")
		f, err := getIn[ContactFlow](tx, KindContactFlow, iid, qc.ContactFlowID)
		if err != nil {
			return err
		}
		if want := transferFlowType[p.Type]; want != "" && f.Type != want {
			return Errorf(ErrInvalidRequest, "Flow %q (%s) is of type %s; a %s quick connect needs a flow of type %s.", f.Name, f.ID, f.Type, p.Type, want)
		}
	}
	return nil
}

// UpdateQuickConnectName changes a quick connect's name and/or
// description.
func (s *Service) UpdateQuickConnectName(ctx context.Context, instanceID, qcID string, name, description *string) error {
	if name == nil && description == nil {
		return Errorf(ErrInvalidRequest, "Give a Name, a Description or both to change.")
	}
	_, err := modify(s, ctx, KindQuickConnect, instanceID, qcID, func(_ Tx, _ string, now time.Time, qc *QuickConnect) error {
		if name != nil {
			qc.Name = *name
		}
		if description != nil {
			qc.Description = *description
		}
		qc.LastModifiedTime = now
		return nil
	})
	return err
}

// UpdateQuickConnectConfig replaces a quick connect's destination, type
// included, under the rules of CreateQuickConnect. Transfers that use it
// from now on go to the new destination.
func (s *Service) UpdateQuickConnectConfig(ctx context.Context, instanceID, qcID string, p QuickConnectParams) error {
	if err := checkQuickConnectShape(&p); err != nil {
		return err
	}
	_, err := modify(s, ctx, KindQuickConnect, instanceID, qcID, func(tx Tx, iid string, now time.Time, qc *QuickConnect) error {
		if err := setQuickConnectConfig(tx, iid, qc, &p); err != nil {
			return err
		}
		qc.LastModifiedTime = now
		return nil
	})
	return err
}

// quickConnectSearchFields are the FieldName values the model lists for
// SearchQuickConnects.
var quickConnectSearchFields = map[string]func(*QuickConnect) []string{
	"name":        func(q *QuickConnect) []string { return []string{q.Name} },
	"description": func(q *QuickConnect) []string { return []string{q.Description} },
	"resourceid":  func(q *QuickConnect) []string { return []string{q.ID} },
}

// SearchQuickConnects finds the quick connects that match criteria and
// filter, with the total count.
func (s *Service) SearchQuickConnects(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]QuickConnect, string, int, error) {
	match, err := compileFields(criteria, quickConnectSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindQuickConnect, instanceID, page, func(q *QuickConnect) bool {
		return match(q) && filter.matchTags(q.Tags)
	}, func(q *QuickConnect) string { return q.ID })
}

// DescribeQuickConnect returns a quick connect by ID or ARN.
func (s *Service) DescribeQuickConnect(ctx context.Context, instanceID, qcID string) (*QuickConnect, error) {
	return describe[QuickConnect](s, ctx, KindQuickConnect, instanceID, qcID)
}

// ListQuickConnects pages through the quick connects of the given types
// (all when empty).
func (s *Service) ListQuickConnects(ctx context.Context, instanceID string, types []string, page Page) ([]QuickConnect, string, error) {
	var keep func(*QuickConnect) bool
	if in := oneOf(types); in != nil {
		keep = func(q *QuickConnect) bool { return in(q.Type) }
	}
	return listIn(s, ctx, KindQuickConnect, instanceID, page, keep)
}

// DeleteQuickConnect deletes a quick connect and takes it off the queues
// that offered it, as Connect does, so no queue keeps a dangling ID.
func (s *Service) DeleteQuickConnect(ctx context.Context, instanceID, qcID string) error {
	return s.remove(ctx, KindQuickConnect, instanceID, qcID, func(tx Tx, iid, id string) error {
		recs, err := tx.ListRecords(KindQueue, iid, "", 0)
		if err != nil {
			return err
		}
		for _, r := range recs {
			q, err := getDoc[Queue](tx, KindQueue, iid, r.ID)
			if err != nil {
				return err
			}
			if !slices.Contains(q.QuickConnectIDs, id) {
				continue
			}
			q.QuickConnectIDs = slices.DeleteFunc(q.QuickConnectIDs, func(v string) bool { return v == id })
			if err := save(tx, KindQueue, iid, q, r.CreatedAt, s.now()); err != nil {
				return err
			}
		}
		return nil
	})
}
