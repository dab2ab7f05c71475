package domain

import (
	"context"
	"math"
	"time"
)

// UserProficiency says how good a user is at one value of a predefined
// attribute; routing criteria compare contacts' requirements with it.
type UserProficiency struct {
	AttributeName, AttributeValue string
	Level                         float64 // 1..5, whole numbers
}

// ProficiencyKey names a proficiency without its level.
type ProficiencyKey struct {
	AttributeName, AttributeValue string
}

func (p UserProficiency) key() ProficiencyKey {
	return ProficiencyKey{p.AttributeName, p.AttributeValue}
}

// checkLevel: the model's range is 1.0..5.0, and its documentation says
// the valid values are 1, 2, 3, 4 and 5.
func checkLevel(l float64) error {
	if l < 1 || l > 5 || l != math.Trunc(l) {
		return Errorf(ErrInvalidParameter, "Level %v is not valid; use 1, 2, 3, 4 or 5.", l)
	}
	return nil
}

// modifyUser applies fn to a user and stores it.
func (s *Service) modifyUser(ctx context.Context, instanceID, userID string, fn func(tx Tx, iid string, now time.Time, u *User) error) error {
	_, err := modify(s, ctx, KindUser, instanceID, userID, func(tx Tx, iid string, now time.Time, u *User) error {
		if err := fn(tx, iid, now, u); err != nil {
			return err
		}
		u.LastModifiedTime = now
		return nil
	})
	if err == nil {
		// Profiles, proficiencies and channel settings drive routing.
		s.NotifyAgentChanged(ctx, instanceID, userID)
	}
	return err
}

// AssociateUserProficiencies adds proficiencies to a user. Each must name
// a predefined attribute and one of its values, appear once, and not be
// associated already; a user holds at most the proficiency quota (10).
func (s *Service) AssociateUserProficiencies(ctx context.Context, instanceID, userID string, ps []UserProficiency) error {
	if len(ps) == 0 {
		return Errorf(ErrInvalidParameter, "UserProficiencies is empty; give at least one proficiency.")
	}
	for _, p := range ps {
		if err := checkLevel(p.Level); err != nil {
			return err
		}
	}
	return s.modifyUser(ctx, instanceID, userID, func(tx Tx, iid string, now time.Time, u *User) error {
		have := make(map[ProficiencyKey]bool, len(u.Proficiencies))
		for _, p := range u.Proficiencies {
			have[p.key()] = true
		}
		for _, p := range ps {
			if have[p.key()] {
				return Errorf(ErrInvalidRequest, "User %s already has proficiency %s=%s (or it is listed twice); use UpdateUserProficiencies to change its level.", u.Username, p.AttributeName, p.AttributeValue)
			}
			if err := attributeValueExists(tx, iid, p.AttributeName, p.AttributeValue); err != nil {
				return err
			}
			have[p.key()] = true
		}
		if n := len(u.Proficiencies) + len(ps); n > s.quotas.Proficiencies {
			return Errorf(ErrInvalidRequest, "User %s would have %d proficiencies; a user holds at most %d (start the server with --quota proficiencies=N to raise it).", u.Username, n, s.quotas.Proficiencies)
		}
		u.Proficiencies = append(u.Proficiencies, ps...)
		u.ProficienciesModified = now
		return nil
	})
}

// UpdateUserProficiencies changes the levels of proficiencies the user
// already has.
func (s *Service) UpdateUserProficiencies(ctx context.Context, instanceID, userID string, ps []UserProficiency) error {
	if len(ps) == 0 {
		return Errorf(ErrInvalidParameter, "UserProficiencies is empty; give at least one proficiency.")
	}
	for _, p := range ps {
		if err := checkLevel(p.Level); err != nil {
			return err
		}
	}
	return s.modifyUser(ctx, instanceID, userID, func(_ Tx, _ string, now time.Time, u *User) error {
		seen := make(map[ProficiencyKey]bool, len(ps))
		for _, p := range ps {
			if seen[p.key()] {
				return Errorf(ErrInvalidRequest, "Proficiency %s=%s is listed twice; list each once.", p.AttributeName, p.AttributeValue)
			}
			seen[p.key()] = true
			i := u.proficiency(p.key())
			if i < 0 {
				return Errorf(ErrInvalidRequest, "User %s has no proficiency %s=%s; associate it with AssociateUserProficiencies first.", u.Username, p.AttributeName, p.AttributeValue)
			}
			u.Proficiencies[i].Level = p.Level
		}
		u.ProficienciesModified = now
		return nil
	})
}

// DisassociateUserProficiencies removes proficiencies from a user. Removing
// one the user does not have is not an error, so a retried call succeeds.
func (s *Service) DisassociateUserProficiencies(ctx context.Context, instanceID, userID string, keys []ProficiencyKey) error {
	if len(keys) == 0 {
		return Errorf(ErrInvalidParameter, "UserProficiencies is empty; give at least one proficiency.")
	}
	return s.modifyUser(ctx, instanceID, userID, func(_ Tx, _ string, now time.Time, u *User) error {
		for _, k := range keys {
			if i := u.proficiency(k); i >= 0 {
				u.Proficiencies = append(u.Proficiencies[:i], u.Proficiencies[i+1:]...)
			}
		}
		u.ProficienciesModified = now
		return nil
	})
}

// proficiency returns the index of the user's proficiency k, or -1.
func (u *User) proficiency(k ProficiencyKey) int {
	for i, p := range u.Proficiencies {
		if p.key() == k {
			return i
		}
	}
	return -1
}

// ListUserProficiencies pages through a user's proficiencies in the order
// they were associated, and says when they last changed.
func (s *Service) ListUserProficiencies(ctx context.Context, instanceID, userID string, page Page) ([]UserProficiency, string, time.Time, error) {
	u, err := s.DescribeUser(ctx, instanceID, userID)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	list, next, err := pageSlice(u.Proficiencies, page)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	modified := u.ProficienciesModified
	if modified.IsZero() {
		modified = u.LastModifiedTime
	}
	return list, next, modified, nil
}
