package domain

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Agent statuses (connect-semantics §3.5). Every instance starts with
// Available (ROUTABLE) and Offline (OFFLINE); statuses created through the
// API are always CUSTOM. Connect has no DeleteAgentStatus: a status is
// retired by disabling it.

func (a *AgentStatus) recordKey() (string, string) { return a.ID, a.Name }

// AgentStatusParams are the inputs of CreateAgentStatus.
type AgentStatusParams struct {
	Name, Description string
	State             string // ENABLED | DISABLED
	DisplayOrder      *int
	Tags              map[string]string
}

// maxDisplayOrder is AgentStatusOrderNumber's maximum in the model.
const maxDisplayOrder = 50

func checkStatusState(state string) error {
	if state != "ENABLED" && state != "DISABLED" {
		return Errorf(ErrInvalidParameter, "State %q is not valid; use ENABLED or DISABLED.", clip(state, 32))
	}
	return nil
}

func checkDisplayOrder(n *int) error {
	if n != nil && (*n < 1 || *n > maxDisplayOrder) {
		return Errorf(ErrInvalidParameter, "DisplayOrder is %d; it must be between 1 and %d.", *n, maxDisplayOrder)
	}
	return nil
}

// CreateAgentStatus creates a CUSTOM status. Without a DisplayOrder the
// status goes after the last one, as the admin website places new ones.
func (s *Service) CreateAgentStatus(ctx context.Context, instanceID string, p AgentStatusParams) (*AgentStatus, error) {
	if err := checkStatusState(p.State); err != nil {
		return nil, err
	}
	if err := checkDisplayOrder(p.DisplayOrder); err != nil {
		return nil, err
	}
	var st *AgentStatus
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		// Connect's quota of 50 statuses is not adjustable; Switchboard
		// lets --quota agent-statuses raise it for load tests.
		if err := checkQuota(tx, KindAgentStatus, iid, s.quotas.AgentStatuses, ErrLimitExceeded, "agent-statuses"); err != nil {
			return err
		}
		now := s.now()
		st = &AgentStatus{ID: s.newID(), InstanceID: iid, Name: p.Name, Description: p.Description, Type: "CUSTOM",
			State: p.State, Tags: p.Tags, LastModifiedTime: now}
		if p.DisplayOrder != nil {
			st.DisplayOrder = *p.DisplayOrder
		} else {
			every, err := all[AgentStatus](tx, KindAgentStatus, iid)
			if err != nil {
				return err
			}
			for _, o := range every {
				st.DisplayOrder = max(st.DisplayOrder, o.DisplayOrder)
			}
			st.DisplayOrder = min(st.DisplayOrder+1, maxDisplayOrder)
		}
		st.Arn = s.newARN(KindAgentStatus, iid, st.ID)
		return save(tx, KindAgentStatus, iid, st, now, now)
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// DescribeAgentStatus returns a status by ID or ARN.
func (s *Service) DescribeAgentStatus(ctx context.Context, instanceID, statusID string) (*AgentStatus, error) {
	return describe[AgentStatus](s, ctx, KindAgentStatus, instanceID, statusID)
}

// ListAgentStatuses pages through the statuses of the given types (all when
// empty).
func (s *Service) ListAgentStatuses(ctx context.Context, instanceID string, types []string, page Page) ([]AgentStatus, string, error) {
	var keep func(*AgentStatus) bool
	if in := oneOf(types); in != nil {
		keep = func(a *AgentStatus) bool { return in(a.Type) }
	}
	return listIn(s, ctx, KindAgentStatus, instanceID, page, keep)
}

// AgentStatusUpdate is UpdateAgentStatus: nil members are left as they are.
type AgentStatusUpdate struct {
	Name, Description *string
	State             *string
	DisplayOrder      *int
	// ResetOrderNumber removes the status's display order.
	ResetOrderNumber bool
}

// UpdateAgentStatus changes a status. The provisioned Available and Offline
// statuses may be renamed and reordered, but they cannot be disabled: an
// instance always needs a routable and an offline status.
func (s *Service) UpdateAgentStatus(ctx context.Context, instanceID, statusID string, u AgentStatusUpdate) error {
	if u.State != nil {
		if err := checkStatusState(*u.State); err != nil {
			return err
		}
	}
	if err := checkDisplayOrder(u.DisplayOrder); err != nil {
		return err
	}
	if u.ResetOrderNumber && u.DisplayOrder != nil {
		return Errorf(ErrInvalidRequest, "Give either DisplayOrder or ResetOrderNumber, not both.")
	}
	_, err := modify(s, ctx, KindAgentStatus, instanceID, statusID, func(_ Tx, _ string, now time.Time, st *AgentStatus) error {
		if u.State != nil && *u.State == "DISABLED" && st.Type != "CUSTOM" {
			return Errorf(ErrInvalidRequest, "Agent status %q is the instance's %s status and cannot be disabled; only CUSTOM statuses can.", st.Name, st.Type)
		}
		if u.Name != nil {
			st.Name = *u.Name
		}
		if u.Description != nil {
			st.Description = *u.Description
		}
		if u.State != nil {
			st.State = *u.State
		}
		if u.DisplayOrder != nil {
			st.DisplayOrder = *u.DisplayOrder
		}
		if u.ResetOrderNumber {
			st.DisplayOrder = 0
		}
		st.LastModifiedTime = now
		return nil
	})
	return err
}

// agentStatusSearchFields are the FieldName values SearchAgentStatuses
// accepts (the model's list).
var agentStatusSearchFields = map[string]func(*AgentStatus) []string{
	"name":        func(a *AgentStatus) []string { return []string{a.Name} },
	"description": func(a *AgentStatus) []string { return []string{a.Description} },
	"state":       func(a *AgentStatus) []string { return []string{a.State} },
	"type":        func(a *AgentStatus) []string { return []string{a.Type} },
	"displayorder": func(a *AgentStatus) []string {
		if a.DisplayOrder == 0 {
			return nil
		}
		return []string{strconv.Itoa(a.DisplayOrder)}
	},
	"resourceid": func(a *AgentStatus) []string { return []string{a.ID} },
}

// SearchAgentStatuses returns one page of the statuses matching criteria
// and the tag filter, and how many match in all.
func (s *Service) SearchAgentStatuses(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]AgentStatus, string, int, error) {
	match, err := compileFields(criteria, agentStatusSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindAgentStatus, instanceID, page, func(a *AgentStatus) bool {
		return match(a) && filter.matchTags(a.Tags)
	}, func(a *AgentStatus) string { return a.ID })
}

// searchIn runs a search over every record of a kind: Connect's search
// operations report the total count, so all matches are found, then paged.
func searchIn[T any](s *Service, ctx context.Context, kind Kind, instanceID string, page Page, keep func(*T) bool, id func(*T) string) ([]T, string, int, error) {
	var (
		out   []T
		next  string
		total int
	)
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		every, err := all[T](tx, kind, iid)
		if err != nil {
			return err
		}
		var hits []T
		for i := range every {
			if keep(&every[i]) {
				hits = append(hits, every[i])
			}
		}
		total = len(hits)
		out, next, err = pageOf(hits, page, id)
		return err
	})
	return out, next, total, err
}

// compileFields is compileCriteria for resources whose searchable fields
// may hold several values (a routing profile's queues, a user's security
// profiles): a leaf matches when any value does. Field names are matched
// without regard to case because the model's documentation spells them
// inconsistently (resourceId, resourceID).
func compileFields[T any](c *SearchCriteria, fields map[string]func(*T) []string) (func(*T) bool, error) {
	return compileSearch(c, fields, nil)
}

// compileSearch is compileFields for searches that also have conditions
// on enumerated fields (SearchCriteria.Enum), which enums reads by the
// condition's field name.
func compileSearch[T any](c *SearchCriteria, fields map[string]func(*T) []string, enums map[string]func(*T) string) (func(*T) bool, error) {
	return compileSearchDates(c, fields, enums, nil)
}

// compileSearchDates is compileSearch for searches with date conditions
// too (SearchCriteria.Date), dates reading each date field by its
// lower-case name.
func compileSearchDates[T any](c *SearchCriteria, fields map[string]func(*T) []string, enums map[string]func(*T) string, dates map[string]func(*T) string) (func(*T) bool, error) {
	if c == nil {
		return func(*T) bool { return true }, nil
	}
	leaves := 0
	for _, set := range []bool{c.String != nil, len(c.And) > 0, len(c.Or) > 0, c.Enum != nil, c.Date != nil} {
		if set {
			leaves++
		}
	}
	if leaves > 1 {
		return nil, Errorf(ErrInvalidParameter, "A SearchCriteria node holds one of StringCondition, AndConditions or OrConditions; nest them to combine.")
	}
	switch {
	case c.Enum != nil:
		get, ok := enums[c.Enum.Field]
		if !ok {
			return nil, Errorf(ErrInvalidParameter, "This search has no %s condition.", clip(c.Enum.Field, 64))
		}
		want := c.Enum.Value
		return func(v *T) bool { return get(v) == want }, nil
	case c.Date != nil:
		get, err := searchField(dates, c.Date.FieldName)
		if err != nil {
			return nil, err
		}
		cmp, err := dateComparison(c.Date)
		if err != nil {
			return nil, err
		}
		return func(v *T) bool { return cmp(get(v)) }, nil
	case c.String != nil:
		get, err := searchField(fields, c.String.FieldName)
		if err != nil {
			return nil, err
		}
		cmp, err := stringComparison(c.String)
		if err != nil {
			return nil, err
		}
		return func(v *T) bool { return slices.ContainsFunc(get(v), cmp) }, nil
	case len(c.And) > 0 || len(c.Or) > 0:
		list, anyOf := c.And, false
		if len(c.Or) > 0 {
			list, anyOf = c.Or, true
		}
		subs := make([]func(*T) bool, 0, len(list))
		for i := range list {
			m, err := compileSearchDates(&list[i], fields, enums, dates)
			if err != nil {
				return nil, err
			}
			subs = append(subs, m)
		}
		return combine(subs, anyOf), nil
	}
	return func(*T) bool { return true }, nil
}

// dateComparison compiles a date condition. YYYY-MM-DD dates compare as
// strings do.
func dateComparison(c *DateCondition) (func(string) bool, error) {
	if _, err := time.Parse("2006-01-02", c.Value); err != nil {
		return nil, Errorf(ErrInvalidParameter, "DateCondition Value %q is not a date; use YYYY-MM-DD.", clip(c.Value, 32))
	}
	want := c.Value
	switch c.ComparisonType {
	case "GREATER_THAN":
		return func(v string) bool { return v > want }, nil
	case "LESS_THAN":
		return func(v string) bool { return v < want }, nil
	case "GREATER_THAN_OR_EQUAL_TO":
		return func(v string) bool { return v >= want }, nil
	case "LESS_THAN_OR_EQUAL_TO":
		return func(v string) bool { return v <= want }, nil
	case "EQUAL_TO":
		return func(v string) bool { return v == want }, nil
	}
	return nil, Errorf(ErrInvalidParameter, "DateCondition ComparisonType %q is not valid; use GREATER_THAN, LESS_THAN, GREATER_THAN_OR_EQUAL_TO, LESS_THAN_OR_EQUAL_TO or EQUAL_TO.", clip(c.ComparisonType, 32))
}

// combine returns the AND (anyOf false) or OR of matchers.
func combine[T any](subs []func(*T) bool, anyOf bool) func(*T) bool {
	return func(v *T) bool {
		for _, m := range subs {
			if m(v) == anyOf {
				return anyOf
			}
		}
		return !anyOf
	}
}

// searchField finds a field by name, ignoring case.
func searchField[F any](fields map[string]F, name string) (F, error) {
	if f, ok := fields[strings.ToLower(name)]; ok {
		return f, nil
	}
	var zero F
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	slices.Sort(names)
	return zero, Errorf(ErrInvalidParameter, "StringCondition FieldName %q cannot be searched; use one of %s.", clip(name, 64), strings.Join(names, ", "))
}

// stringComparison compiles a string condition's comparison; comparisons
// ignore case, as Connect's search does.
func stringComparison(c *StringCondition) (func(string) bool, error) {
	want := strings.ToLower(c.Value)
	switch c.ComparisonType {
	case "EXACT":
		return func(v string) bool { return strings.ToLower(v) == want }, nil
	case "STARTS_WITH":
		return func(v string) bool { return strings.HasPrefix(strings.ToLower(v), want) }, nil
	case "CONTAINS":
		return func(v string) bool { return strings.Contains(strings.ToLower(v), want) }, nil
	}
	return nil, Errorf(ErrInvalidParameter, "StringCondition ComparisonType %q is not valid; use STARTS_WITH, CONTAINS or EXACT.", clip(c.ComparisonType, 32))
}

// UserStatusRecord is the stored current status of a user (kind
// KindUserStatus, ID = the user's ID).
type UserStatusRecord struct {
	UserID   string
	StatusID string
	Since    time.Time
}

// CurrentStatus is a user's current agent status as the routing runtime
// sees it.
type CurrentStatus struct {
	StatusID, Name string
	Type           string // ROUTABLE | CUSTOM | OFFLINE
	// Since is when the user entered the status (the user's creation time
	// for a user who never set one). Longest-idle routing orders ROUTABLE
	// users by it.
	Since time.Time
	// Explicit is false for a user who never set a status and is therefore
	// Offline.
	Explicit bool
}

// PutUserStatus sets a user's current status; the status must exist and be
// ENABLED. Setting the status the user is already in keeps its start time,
// so that repeating the call does not cost the agent their place in the
// longest-idle order.
func (s *Service) PutUserStatus(ctx context.Context, instanceID, userID, statusID string) error {
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		u, err := getIn[User](tx, KindUser, iid, userID)
		if err != nil {
			return err
		}
		st, err := getIn[AgentStatus](tx, KindAgentStatus, iid, statusID)
		if err != nil {
			return err
		}
		if st.State != "ENABLED" {
			return Errorf(ErrInvalidRequest, "Agent status %q (%s) is DISABLED; enable it with UpdateAgentStatus or choose another status.", st.Name, st.ID)
		}
		prev, err := getDoc[UserStatusRecord](tx, KindUserStatus, iid, u.ID)
		if err != nil && !isNotFound(err) {
			return err
		}
		if prev != nil && prev.StatusID == st.ID {
			return nil
		}
		now := s.now()
		rec := UserStatusRecord{UserID: u.ID, StatusID: st.ID, Since: now}
		return putDoc(tx, KindUserStatus, iid, u.ID, "", now, now, rec)
	})
	if err == nil {
		s.NotifyAgentChanged(ctx, instanceID, userID)
	}
	return err
}

// UserStatus returns a user's current status. A user who never set one is
// in the instance's OFFLINE status since the user was created.
func (s *Service) UserStatus(ctx context.Context, instanceID, userID string) (CurrentStatus, error) {
	var out CurrentStatus
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		u, err := getIn[User](tx, KindUser, iid, userID)
		if err != nil {
			return err
		}
		statuses, err := statusIndex(tx, iid)
		if err != nil {
			return err
		}
		rec, err := getDoc[UserStatusRecord](tx, KindUserStatus, iid, u.ID)
		if err != nil && !isNotFound(err) {
			return err
		}
		out = statuses.current(u, rec)
		return nil
	})
	return out, err
}

// statusSet indexes an instance's statuses for resolving users' statuses.
type statusSet struct {
	byID    map[string]AgentStatus
	offline AgentStatus
}

func statusIndex(tx ReadTx, iid string) (statusSet, error) {
	every, err := all[AgentStatus](tx, KindAgentStatus, iid)
	if err != nil {
		return statusSet{}, err
	}
	set := statusSet{byID: make(map[string]AgentStatus, len(every))}
	for _, st := range every {
		set.byID[st.ID] = st
		if st.Type == "OFFLINE" {
			set.offline = st
		}
	}
	if set.offline.ID == "" {
		return set, errors.New("instance " + iid + " has no OFFLINE agent status")
	}
	return set, nil
}

func (set statusSet) current(u *User, rec *UserStatusRecord) CurrentStatus {
	if rec != nil {
		if st, ok := set.byID[rec.StatusID]; ok {
			return CurrentStatus{StatusID: st.ID, Name: st.Name, Type: st.Type, Since: rec.Since, Explicit: true}
		}
	}
	return CurrentStatus{StatusID: set.offline.ID, Name: set.offline.Name, Type: set.offline.Type, Since: u.CreatedTime}
}
