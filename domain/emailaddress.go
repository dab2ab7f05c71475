package domain

import (
	"context"
	"slices"
	"strings"
	"time"
)

// EmailAddressParams are the inputs of CreateEmailAddress.
type EmailAddressParams struct {
	ClientToken                       string
	Address, DisplayName, Description string
	Tags                              map[string]string
}

// CreateEmailAddress adds an address to an instance. Addresses are unique
// per instance, compared without regard to case as mail systems do.
func (s *Service) CreateEmailAddress(ctx context.Context, instanceID string, p EmailAddressParams) (*EmailAddress, error) {
	if len(p.Address) > 255 || !emailPattern.MatchString(p.Address) {
		return nil, Errorf(ErrInvalidParameter, "EmailAddress %q is not an email address; use the form name@domain.tld.", clip(p.Address, 100))
	}
	var e *EmailAddress
	tok := newClientToken("CreateEmailAddress", p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		iid, id, now, prior, err := newIn[EmailAddress](s, tx, KindEmailAddress, instanceID, tok)
		if err != nil || prior != nil {
			e = prior
			return err
		}
		if err := checkQuota(tx, KindEmailAddress, iid, s.quotas.EmailAddresses, ErrQuotaExceeded, "email-addresses"); err != nil {
			return err
		}
		e = &EmailAddress{ID: id, InstanceID: iid, Address: p.Address, DisplayName: p.DisplayName,
			Description: p.Description, Tags: p.Tags, CreatedTime: now, LastModifiedTime: now}
		e.Arn = s.newARN(KindEmailAddress, iid, e.ID)
		return save(tx, KindEmailAddress, iid, e, now, now)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// UpdateEmailAddressMetadata changes an address's description and
// display name, those given.
func (s *Service) UpdateEmailAddressMetadata(ctx context.Context, instanceID, emailID string, description, displayName *string, clientToken string) (*EmailAddress, error) {
	tok := newClientToken("UpdateEmailAddressMetadata", clientToken, []any{idFromARN(emailID, "email-address"), description, displayName})
	return modify(s, ctx, KindEmailAddress, instanceID, emailID, func(tx Tx, iid string, now time.Time, e *EmailAddress) error {
		prior, err := s.claimToken(tx, iid, tok, e.ID, now)
		if err != nil || prior != "" {
			return err
		}
		if description != nil {
			e.Description = *description
		}
		if displayName != nil {
			e.DisplayName = *displayName
		}
		e.LastModifiedTime = now
		return nil
	})
}

// DescribeEmailAddress returns an address by ID or ARN.
func (s *Service) DescribeEmailAddress(ctx context.Context, instanceID, emailID string) (*EmailAddress, error) {
	return describe[EmailAddress](s, ctx, KindEmailAddress, instanceID, emailID)
}

// DeleteEmailAddress deletes an address no queue uses, and the alias
// relationships it is in.
func (s *Service) DeleteEmailAddress(ctx context.Context, instanceID, emailID string) error {
	return s.remove(ctx, KindEmailAddress, instanceID, emailID, func(tx Tx, iid, id string) error {
		queues, err := all[Queue](tx, KindQueue, iid)
		if err != nil {
			return err
		}
		for _, q := range queues {
			if q.OutboundEmailAddressID == id || slices.Contains(q.EmailAddressIDs, id) {
				return Errorf(ErrResourceConflict, "Email address %s is used by queue %q (%s); change the queue's email configuration first.", id, q.Name, q.ID)
			}
		}
		// Its alias relationships go with it.
		e, err := getDoc[EmailAddress](tx, KindEmailAddress, iid, id)
		if err != nil {
			return err
		}
		return dropAliases(tx, iid, e, s.now())
	})
}

// StringCondition is a leaf of search criteria: FieldName compared with
// Value by ComparisonType (STARTS_WITH, CONTAINS or EXACT).
type StringCondition struct {
	FieldName, Value, ComparisonType string
}

// SearchCriteria combines string conditions: a node is a leaf (String),
// or all of And, or any of Or.
type SearchCriteria struct {
	Or, And []SearchCriteria
	String  *StringCondition
	// Enum is a leaf on one of the resource's enumerated fields, for the
	// searches whose model has such conditions (SearchQueues'
	// QueueTypeCondition, the flow searches' TypeCondition,
	// StateCondition and StatusCondition).
	Enum *EnumCondition
	// Date is a leaf comparing a YYYY-MM-DD field (the override search's
	// DateCondition).
	Date *DateCondition
}

// DateCondition compares the date field FieldName with Value (both
// YYYY-MM-DD) by ComparisonType: GREATER_THAN, LESS_THAN,
// GREATER_THAN_OR_EQUAL_TO, LESS_THAN_OR_EQUAL_TO or EQUAL_TO.
type DateCondition struct {
	FieldName, Value, ComparisonType string
}

// EnumCondition matches a resource whose field Field (as the search names
// it, e.g. "QueueType") has the value Value.
type EnumCondition struct {
	Field, Value string
}

// TagCondition matches a tag key, and the value when TagValue is set.
type TagCondition struct {
	Key, Value string
}

// TagFilter is a ControlPlaneTagFilter: any of Or (each an AND list), all
// of And, or the single Tag.
type TagFilter struct {
	Or  [][]TagCondition
	And []TagCondition
	Tag *TagCondition
}

// emailSearchFields maps the FieldName values email address search accepts
// to the value compared.
var emailSearchFields = map[string]func(*EmailAddress) string{
	"EmailAddress":    func(e *EmailAddress) string { return e.Address },
	"DisplayName":     func(e *EmailAddress) string { return e.DisplayName },
	"Description":     func(e *EmailAddress) string { return e.Description },
	"EmailAddressId":  func(e *EmailAddress) string { return e.ID },
	"EmailAddressArn": func(e *EmailAddress) string { return e.Arn },
}

// compileCriteria checks criteria once and returns a matcher; comparisons
// ignore case, as Connect's search does.
func compileCriteria[T any](c *SearchCriteria, fields map[string]func(*T) string) (func(*T) bool, error) {
	if c == nil {
		return func(*T) bool { return true }, nil
	}
	set := 0
	if c.String != nil {
		set++
	}
	if len(c.And) > 0 {
		set++
	}
	if len(c.Or) > 0 {
		set++
	}
	if set > 1 {
		return nil, Errorf(ErrInvalidParameter, "A SearchCriteria node holds one of StringCondition, AndConditions or OrConditions; nest them to combine.")
	}
	switch {
	case c.String != nil:
		get, ok := fields[c.String.FieldName]
		if !ok {
			names := make([]string, 0, len(fields))
			for n := range fields {
				names = append(names, n)
			}
			slices.Sort(names)
			return nil, Errorf(ErrInvalidParameter, "StringCondition FieldName %q cannot be searched; use one of %s.", clip(c.String.FieldName, 64), strings.Join(names, ", "))
		}
		want := strings.ToLower(c.String.Value)
		var cmp func(string) bool
		switch c.String.ComparisonType {
		case "EXACT":
			cmp = func(v string) bool { return v == want }
		case "STARTS_WITH":
			cmp = func(v string) bool { return strings.HasPrefix(v, want) }
		case "CONTAINS":
			cmp = func(v string) bool { return strings.Contains(v, want) }
		default:
			return nil, Errorf(ErrInvalidParameter, "StringCondition ComparisonType %q is not valid; use STARTS_WITH, CONTAINS or EXACT.", clip(c.String.ComparisonType, 32))
		}
		return func(v *T) bool { return cmp(strings.ToLower(get(v))) }, nil
	case len(c.And) > 0 || len(c.Or) > 0:
		list, anyOf := c.And, false
		if len(c.Or) > 0 {
			list, anyOf = c.Or, true
		}
		subs := make([]func(*T) bool, 0, len(list))
		for i := range list {
			m, err := compileCriteria(&list[i], fields)
			if err != nil {
				return nil, err
			}
			subs = append(subs, m)
		}
		return func(v *T) bool {
			for _, m := range subs {
				if m(v) == anyOf {
					return anyOf
				}
			}
			return !anyOf
		}, nil
	}
	return func(*T) bool { return true }, nil
}

// matchTags applies a tag filter to a resource's tags.
func (f *TagFilter) matchTags(tags map[string]string) bool {
	if f == nil {
		return true
	}
	if f.Tag != nil && !f.Tag.matches(tags) {
		return false
	}
	if !allTags(f.And, tags) {
		return false
	}
	if len(f.Or) > 0 {
		for _, and := range f.Or {
			if allTags(and, tags) {
				return true
			}
		}
		return false
	}
	return true
}

// matches reports whether tags hold the key, with the value when the
// condition names one.
func (c TagCondition) matches(tags map[string]string) bool {
	v, ok := tags[c.Key]
	return ok && (c.Value == "" || v == c.Value)
}

// allTags reports whether tags meet every condition.
func allTags(cs []TagCondition, tags map[string]string) bool {
	for _, c := range cs {
		if !c.matches(tags) {
			return false
		}
	}
	return true
}

// SearchEmailAddresses returns one page of the addresses matching criteria
// and filter, and how many match in all.
func (s *Service) SearchEmailAddresses(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]EmailAddress, string, int, error) {
	match, err := compileCriteria(criteria, emailSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	var (
		out   []EmailAddress
		next  string
		total int
	)
	err = s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		out, next, total, err = searchDocs(tx, KindEmailAddress, iid, page,
			func(e *EmailAddress) bool { return match(e) && filter.matchTags(e.Tags) },
			func(e *EmailAddress) string { return e.ID })
		return err
	})
	return out, next, total, err
}

// searchDocs is the Search* operations' common part for resources kept as
// documents: every document of kind in the instance that keep accepts,
// one page of them by ID, and how many there are in all.
func searchDocs[T any](tx ReadTx, kind Kind, iid string, page Page, keep func(*T) bool, id func(*T) string) ([]T, string, int, error) {
	every, err := all[T](tx, kind, iid)
	if err != nil {
		return nil, "", 0, err
	}
	var hits []T
	for i := range every {
		if keep(&every[i]) {
			hits = append(hits, every[i])
		}
	}
	out, next, err := pageOf(hits, page, id)
	return out, next, len(hits), err
}

// pageOf cuts one page out of a full, ID-ordered result.
func pageOf[T any](items []T, page Page, id func(*T) string) ([]T, string, error) {
	after, err := decodeToken(page.NextToken)
	if err != nil {
		return nil, "", err
	}
	start := 0
	if after != "" {
		for start < len(items) && id(&items[start]) <= after {
			start++
		}
	}
	end := min(start+page.limit(), len(items))
	if end < len(items) {
		return items[start:end], encodeToken(id(&items[end-1])), nil
	}
	return items[start:end], "", nil
}
