package domain

import "context"

// Security profiles are provisioned with the instance (Admin, Agent,
// CallCenterManager, QualityAnalyst); Switchboard serves them read-only
// and does not enforce their permissions.

// ListSecurityProfiles pages through an instance's security profiles.
func (s *Service) ListSecurityProfiles(ctx context.Context, instanceID string, page Page) ([]SecurityProfile, string, error) {
	return listIn[SecurityProfile](s, ctx, KindSecurityProfile, instanceID, page, nil)
}

// DescribeSecurityProfile returns a security profile by ID or ARN.
func (s *Service) DescribeSecurityProfile(ctx context.Context, instanceID, profileID string) (*SecurityProfile, error) {
	return describe[SecurityProfile](s, ctx, KindSecurityProfile, instanceID, profileID)
}
