package domain

import (
	"context"
	"errors"
	"slices"
	"time"
)

// PredefinedAttribute is a named list of values that user proficiencies
// and routing criteria refer to (connect-semantics §3.4). Its name is its
// identifier on the wire, so the record's ID is the name.
type PredefinedAttribute struct {
	Name             string
	InstanceID       string
	Values           []string
	Purposes         []string
	ValidateValues   *bool // AttributeConfiguration.EnableValueValidationOnAssociation
	LastModifiedTime time.Time
}

func (a *PredefinedAttribute) recordKey() (string, string) { return a.Name, a.Name }

// PredefinedAttributeParams are the inputs of Create/UpdatePredefinedAttribute.
// For an update, nil members are left as they are.
type PredefinedAttributeParams struct {
	Values         []string
	HasValues      bool // Values was given (an update may empty the list)
	Purposes       []string
	HasPurposes    bool
	ValidateValues *bool
}

const (
	maxAttributeValues  = 500
	maxAttributeValue   = 100
	maxAttributePurpose = 10
)

// checkAttributeValues repeats the model's limits and refuses a value
// listed twice, which would make proficiencies ambiguous.
func checkAttributeValues(values []string) error {
	if len(values) > maxAttributeValues {
		return Errorf(ErrInvalidParameter, "Values.StringList has %d values; a predefined attribute holds at most %d.", len(values), maxAttributeValues)
	}
	seen := make(map[string]bool, len(values))
	for _, v := range values {
		if v == "" || len([]rune(v)) > maxAttributeValue {
			return Errorf(ErrInvalidParameter, "Value %q is not valid: each value is 1 to %d characters.", clip(v, 120), maxAttributeValue)
		}
		if seen[v] {
			return Errorf(ErrInvalidParameter, "Value %q is listed twice in Values.StringList; list each value once.", clip(v, 120))
		}
		seen[v] = true
	}
	return nil
}

// CreatePredefinedAttribute creates an attribute; names are unique.
func (s *Service) CreatePredefinedAttribute(ctx context.Context, instanceID, name string, p PredefinedAttributeParams) (*PredefinedAttribute, error) {
	if name == "" {
		return nil, Errorf(ErrInvalidParameter, "Name is required.")
	}
	if err := checkAttributeValues(p.Values); err != nil {
		return nil, err
	}
	if len(p.Purposes) > maxAttributePurpose {
		return nil, Errorf(ErrInvalidParameter, "Purposes has %d entries; at most %d are allowed.", len(p.Purposes), maxAttributePurpose)
	}
	var a *PredefinedAttribute
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		// The record's ID is the name, so PutRecord would replace an
		// existing attribute rather than report the name taken.
		taken, err := tx.HasRecord(KindPredefinedAttribute, iid, name)
		if err != nil {
			return err
		}
		if taken {
			return Errorf(ErrDuplicate, "Predefined attribute %q already exists in this instance; names must be unique, update it with UpdatePredefinedAttribute instead.", clip(name, 100))
		}
		if err := checkQuota(tx, KindPredefinedAttribute, iid, s.quotas.PredefinedAttributes, ErrLimitExceeded, "predefined-attributes"); err != nil {
			return err
		}
		now := s.now()
		a = &PredefinedAttribute{Name: name, InstanceID: iid, Values: p.Values, Purposes: p.Purposes, ValidateValues: p.ValidateValues, LastModifiedTime: now}
		return save(tx, KindPredefinedAttribute, iid, a, now, now)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// DescribePredefinedAttribute returns an attribute by name.
func (s *Service) DescribePredefinedAttribute(ctx context.Context, instanceID, name string) (*PredefinedAttribute, error) {
	return describe[PredefinedAttribute](s, ctx, KindPredefinedAttribute, instanceID, name)
}

// ListPredefinedAttributes pages through the attributes in name order.
func (s *Service) ListPredefinedAttributes(ctx context.Context, instanceID string, page Page) ([]PredefinedAttribute, string, error) {
	return listIn[PredefinedAttribute](s, ctx, KindPredefinedAttribute, instanceID, page, nil)
}

// UpdatePredefinedAttribute replaces the members given. A value that a
// user proficiency uses cannot be removed: the proficiency would then name
// a value that does not exist.
func (s *Service) UpdatePredefinedAttribute(ctx context.Context, instanceID, name string, p PredefinedAttributeParams) error {
	if p.HasValues {
		if err := checkAttributeValues(p.Values); err != nil {
			return err
		}
	}
	if len(p.Purposes) > maxAttributePurpose {
		return Errorf(ErrInvalidParameter, "Purposes has %d entries; at most %d are allowed.", len(p.Purposes), maxAttributePurpose)
	}
	_, err := modify(s, ctx, KindPredefinedAttribute, instanceID, name, func(tx Tx, iid string, now time.Time, a *PredefinedAttribute) error {
		if p.HasValues {
			users, err := all[User](tx, KindUser, iid)
			if err != nil {
				return err
			}
			for _, u := range users {
				for _, pr := range u.Proficiencies {
					if pr.AttributeName == a.Name && !slices.Contains(p.Values, pr.AttributeValue) {
						return Errorf(ErrResourceInUse, "Value %q of predefined attribute %q is a proficiency of user %s (%s); disassociate it from the user before removing the value.", pr.AttributeValue, a.Name, u.Username, u.ID)
					}
				}
			}
			a.Values = p.Values
		}
		if p.HasPurposes {
			a.Purposes = p.Purposes
		}
		if p.ValidateValues != nil {
			a.ValidateValues = p.ValidateValues
		}
		a.LastModifiedTime = now
		return nil
	})
	return err
}

// DeletePredefinedAttribute deletes an attribute no user proficiency uses.
func (s *Service) DeletePredefinedAttribute(ctx context.Context, instanceID, name string) error {
	return s.remove(ctx, KindPredefinedAttribute, instanceID, name, func(tx Tx, iid, id string) error {
		users, err := all[User](tx, KindUser, iid)
		if err != nil {
			return err
		}
		for _, u := range users {
			for _, pr := range u.Proficiencies {
				if pr.AttributeName == id {
					return Errorf(ErrResourceInUse, "Predefined attribute %q is a proficiency of user %s (%s); disassociate it from every user before deleting it.", id, u.Username, u.ID)
				}
			}
		}
		return nil
	})
}

// predefinedAttributeSearchFields: Connect documents no field list for this
// search; name is the one every client uses, and values is a natural
// companion.
var predefinedAttributeSearchFields = map[string]func(*PredefinedAttribute) []string{
	"name":   func(a *PredefinedAttribute) []string { return []string{a.Name} },
	"values": func(a *PredefinedAttribute) []string { return a.Values },
}

// SearchPredefinedAttributes returns one page of the attributes matching
// criteria, and how many match in all.
func (s *Service) SearchPredefinedAttributes(ctx context.Context, instanceID string, criteria *SearchCriteria, page Page) ([]PredefinedAttribute, string, int, error) {
	match, err := compileFields(criteria, predefinedAttributeSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindPredefinedAttribute, instanceID, page, match, func(a *PredefinedAttribute) string { return a.Name })
}

// attributeValueExists checks that name is a predefined attribute with
// value among its values.
func attributeValueExists(tx ReadTx, iid, name, value string) error {
	a, err := getDoc[PredefinedAttribute](tx, KindPredefinedAttribute, iid, name)
	if errors.Is(err, ErrStoreNotFound) {
		return Errorf(ErrNotFound, "Predefined attribute %q not found in instance %s; create it with CreatePredefinedAttribute first.", clip(name, 100), iid)
	}
	if err != nil {
		return err
	}
	if !slices.Contains(a.Values, value) {
		return Errorf(ErrInvalidRequest, "%q is not a value of predefined attribute %q; add it to the attribute's values with UpdatePredefinedAttribute first.", clip(value, 100), a.Name)
	}
	return nil
}
