package domain

import (
	"context"
	"slices"
	"time"
)

// Security profiles: four are provisioned with the instance (Admin, Agent,
// CallCenterManager, QualityAnalyst) and more can be made. Switchboard
// stores their permissions and access controls and shows them, but does
// not enforce them: every request signed with the root credentials may do
// everything.

// SecurityProfileParams are the inputs of CreateSecurityProfile and
// UpdateSecurityProfile. In an update, nil members are left as they are.
type SecurityProfileParams struct {
	Name                                 string // create only
	Description                          *string
	Permissions                          []string
	AllowedAccessControlTags             map[string]string
	TagRestrictedResources               []string
	HierarchyRestrictedResources         []string
	AllowedAccessControlHierarchyGroupID *string
	Applications                         []SecurityProfileApplication
	AllowedFlowModules                   []SecurityProfileFlowModule
	Tags                                 map[string]string // create only
}

// adminProfileName is the profile Connect never lets go: without it no one
// could administer the instance.
const adminProfileName = "Admin"

// apply sets what p gives on sp.
func (p *SecurityProfileParams) apply(sp *SecurityProfile) {
	if p.Description != nil {
		sp.Description = *p.Description
	}
	if p.Permissions != nil {
		sp.Permissions = dedupe(p.Permissions)
	}
	if p.AllowedAccessControlTags != nil {
		sp.AllowedAccessControlTags = p.AllowedAccessControlTags
	}
	if p.TagRestrictedResources != nil {
		sp.TagRestrictedResources = p.TagRestrictedResources
	}
	if p.HierarchyRestrictedResources != nil {
		sp.HierarchyRestrictedResources = p.HierarchyRestrictedResources
	}
	if p.AllowedAccessControlHierarchyGroupID != nil {
		sp.AllowedAccessControlHierarchyGroupID = *p.AllowedAccessControlHierarchyGroupID
	}
	if p.Applications != nil {
		sp.Applications = p.Applications
	}
	if p.AllowedFlowModules != nil {
		sp.AllowedFlowModules = p.AllowedFlowModules
	}
}

// dedupe keeps the first of each value, in order.
func dedupe(list []string) []string {
	out := make([]string, 0, len(list))
	for _, v := range list {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// checkAllowedModules refuses allowed flow modules that are not modules
// of the instance.
func checkAllowedModules(tx ReadTx, iid string, mods []SecurityProfileFlowModule) error {
	for _, m := range mods {
		if err := exists(tx, KindFlowModule, iid, m.ID, "AllowedFlowModules"); err != nil {
			return err
		}
	}
	return nil
}

// CreateSecurityProfile creates a security profile; names are unique in
// the instance.
func (s *Service) CreateSecurityProfile(ctx context.Context, instanceID string, p SecurityProfileParams) (*SecurityProfile, error) {
	var sp *SecurityProfile
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := checkQuota(tx, KindSecurityProfile, iid, s.quotas.SecurityProfiles, ErrLimitExceeded, "security-profiles"); err != nil {
			return err
		}
		if err := checkAllowedModules(tx, iid, p.AllowedFlowModules); err != nil {
			return err
		}
		now := s.now()
		sp = &SecurityProfile{ID: s.newID(), InstanceID: iid, Name: p.Name, Permissions: []string{}, Tags: p.Tags, LastModifiedTime: now}
		sp.Arn = s.newARN(KindSecurityProfile, iid, sp.ID)
		p.apply(sp)
		return save(tx, KindSecurityProfile, iid, sp, now, now)
	})
	if err != nil {
		return nil, err
	}
	return sp, nil
}

// UpdateSecurityProfile changes what p gives. A new Permissions list
// replaces the old one whole, as in Connect.
func (s *Service) UpdateSecurityProfile(ctx context.Context, instanceID, profileID string, p SecurityProfileParams) error {
	_, err := modify(s, ctx, KindSecurityProfile, instanceID, profileID, func(tx Tx, iid string, now time.Time, sp *SecurityProfile) error {
		if err := checkAllowedModules(tx, iid, p.AllowedFlowModules); err != nil {
			return err
		}
		p.apply(sp)
		sp.LastModifiedTime = now
		return nil
	})
	return err
}

// DeleteSecurityProfile deletes a profile that no user has. The Admin
// profile cannot be deleted.
func (s *Service) DeleteSecurityProfile(ctx context.Context, instanceID, profileID string) error {
	return s.remove(ctx, KindSecurityProfile, instanceID, profileID, func(tx Tx, iid, id string) error {
		sp, err := getDoc[SecurityProfile](tx, KindSecurityProfile, iid, id)
		if err != nil {
			return err
		}
		if sp.Name == adminProfileName {
			return Errorf(ErrAccessDenied, "The Admin security profile cannot be deleted: it is what administers the instance.")
		}
		users, err := all[User](tx, KindUser, iid)
		if err != nil {
			return err
		}
		for _, u := range users {
			if slices.Contains(u.SecurityProfileIDs, id) {
				return Errorf(ErrResourceInUse, "Security profile %q (%s) is assigned to user %q (%s); give the user other profiles (UpdateUserSecurityProfiles) first.", sp.Name, id, u.Username, u.ID)
			}
		}
		return nil
	})
}

// ListSecurityProfiles pages through an instance's security profiles.
func (s *Service) ListSecurityProfiles(ctx context.Context, instanceID string, page Page) ([]SecurityProfile, string, error) {
	return listIn[SecurityProfile](s, ctx, KindSecurityProfile, instanceID, page, nil)
}

// DescribeSecurityProfile returns a security profile by ID or ARN.
func (s *Service) DescribeSecurityProfile(ctx context.Context, instanceID, profileID string) (*SecurityProfile, error) {
	return describe[SecurityProfile](s, ctx, KindSecurityProfile, instanceID, profileID)
}

// ListSecurityProfilePermissions pages through a profile's permissions,
// with the profile's last change.
func (s *Service) ListSecurityProfilePermissions(ctx context.Context, instanceID, profileID string, page Page) ([]string, string, time.Time, error) {
	return listProfilePart(s, ctx, instanceID, profileID, page, func(sp *SecurityProfile) []string { return sp.Permissions })
}

// ListSecurityProfileApplications pages through a profile's applications.
func (s *Service) ListSecurityProfileApplications(ctx context.Context, instanceID, profileID string, page Page) ([]SecurityProfileApplication, string, time.Time, error) {
	return listProfilePart(s, ctx, instanceID, profileID, page, func(sp *SecurityProfile) []SecurityProfileApplication { return sp.Applications })
}

// ListSecurityProfileFlowModules pages through a profile's allowed flow
// modules.
func (s *Service) ListSecurityProfileFlowModules(ctx context.Context, instanceID, profileID string, page Page) ([]SecurityProfileFlowModule, string, time.Time, error) {
	return listProfilePart(s, ctx, instanceID, profileID, page, func(sp *SecurityProfile) []SecurityProfileFlowModule { return sp.AllowedFlowModules })
}

// listProfilePart pages through one list of a security profile, with the
// profile's last change, as the three List operations above answer.
func listProfilePart[T any](s *Service, ctx context.Context, instanceID, profileID string, page Page, part func(*SecurityProfile) []T) ([]T, string, time.Time, error) {
	sp, err := s.DescribeSecurityProfile(ctx, instanceID, profileID)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	list, next, err := pageSlice(part(sp), page)
	return list, next, sp.LastModifiedTime, err
}

// securityProfileSearchFields are the FieldName values
// SearchSecurityProfiles takes.
var securityProfileSearchFields = map[string]func(*SecurityProfile) []string{
	"securityprofilename": func(p *SecurityProfile) []string { return []string{p.Name} },
	"name":                func(p *SecurityProfile) []string { return []string{p.Name} },
	"description":         func(p *SecurityProfile) []string { return []string{p.Description} },
	"resourceid":          func(p *SecurityProfile) []string { return []string{p.ID} },
}

// SearchSecurityProfiles finds the profiles that match criteria and
// filter, with the total count.
func (s *Service) SearchSecurityProfiles(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]SecurityProfile, string, int, error) {
	match, err := compileFields(criteria, securityProfileSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindSecurityProfile, instanceID, page, func(p *SecurityProfile) bool {
		return match(p) && filter.matchTags(p.Tags)
	}, func(p *SecurityProfile) string { return p.ID })
}
