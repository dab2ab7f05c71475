package awsapi

// Operations whose implementation is in progress. Each answers that it is
// not implemented yet; its real handler replaces the stub here.

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
)

// AssociateRoutingProfileQueues is not implemented yet.
func (h *Handlers) AssociateRoutingProfileQueues(ctx context.Context, in *cw.AssociateRoutingProfileQueuesRequest) (*cw.AssociateRoutingProfileQueuesResponse, error) {
	return nil, notImplemented("AssociateRoutingProfileQueues")
}

// AssociateUserProficiencies is not implemented yet.
func (h *Handlers) AssociateUserProficiencies(ctx context.Context, in *cw.AssociateUserProficienciesRequest) (*cw.AssociateUserProficienciesResponse, error) {
	return nil, notImplemented("AssociateUserProficiencies")
}

// CreateAgentStatus is not implemented yet.
func (h *Handlers) CreateAgentStatus(ctx context.Context, in *cw.CreateAgentStatusRequest) (*cw.CreateAgentStatusResponse, error) {
	return nil, notImplemented("CreateAgentStatus")
}

// CreatePredefinedAttribute is not implemented yet.
func (h *Handlers) CreatePredefinedAttribute(ctx context.Context, in *cw.CreatePredefinedAttributeRequest) (*cw.CreatePredefinedAttributeResponse, error) {
	return nil, notImplemented("CreatePredefinedAttribute")
}

// CreateRoutingProfile is not implemented yet.
func (h *Handlers) CreateRoutingProfile(ctx context.Context, in *cw.CreateRoutingProfileRequest) (*cw.CreateRoutingProfileResponse, error) {
	return nil, notImplemented("CreateRoutingProfile")
}

// CreateUser is not implemented yet.
func (h *Handlers) CreateUser(ctx context.Context, in *cw.CreateUserRequest) (*cw.CreateUserResponse, error) {
	return nil, notImplemented("CreateUser")
}

// DeletePredefinedAttribute is not implemented yet.
func (h *Handlers) DeletePredefinedAttribute(ctx context.Context, in *cw.DeletePredefinedAttributeRequest) (*cw.DeletePredefinedAttributeResponse, error) {
	return nil, notImplemented("DeletePredefinedAttribute")
}

// DeleteRoutingProfile is not implemented yet.
func (h *Handlers) DeleteRoutingProfile(ctx context.Context, in *cw.DeleteRoutingProfileRequest) (*cw.DeleteRoutingProfileResponse, error) {
	return nil, notImplemented("DeleteRoutingProfile")
}

// DeleteUser is not implemented yet.
func (h *Handlers) DeleteUser(ctx context.Context, in *cw.DeleteUserRequest) (*cw.DeleteUserResponse, error) {
	return nil, notImplemented("DeleteUser")
}

// DescribeAgentStatus is not implemented yet.
func (h *Handlers) DescribeAgentStatus(ctx context.Context, in *cw.DescribeAgentStatusRequest) (*cw.DescribeAgentStatusResponse, error) {
	return nil, notImplemented("DescribeAgentStatus")
}

// DescribePredefinedAttribute is not implemented yet.
func (h *Handlers) DescribePredefinedAttribute(ctx context.Context, in *cw.DescribePredefinedAttributeRequest) (*cw.DescribePredefinedAttributeResponse, error) {
	return nil, notImplemented("DescribePredefinedAttribute")
}

// DescribeRoutingProfile is not implemented yet.
func (h *Handlers) DescribeRoutingProfile(ctx context.Context, in *cw.DescribeRoutingProfileRequest) (*cw.DescribeRoutingProfileResponse, error) {
	return nil, notImplemented("DescribeRoutingProfile")
}

// DescribeUser is not implemented yet.
func (h *Handlers) DescribeUser(ctx context.Context, in *cw.DescribeUserRequest) (*cw.DescribeUserResponse, error) {
	return nil, notImplemented("DescribeUser")
}

// DisassociateRoutingProfileQueues is not implemented yet.
func (h *Handlers) DisassociateRoutingProfileQueues(ctx context.Context, in *cw.DisassociateRoutingProfileQueuesRequest) (*cw.DisassociateRoutingProfileQueuesResponse, error) {
	return nil, notImplemented("DisassociateRoutingProfileQueues")
}

// DisassociateUserProficiencies is not implemented yet.
func (h *Handlers) DisassociateUserProficiencies(ctx context.Context, in *cw.DisassociateUserProficienciesRequest) (*cw.DisassociateUserProficienciesResponse, error) {
	return nil, notImplemented("DisassociateUserProficiencies")
}

// ListAgentStatuses is not implemented yet.
func (h *Handlers) ListAgentStatuses(ctx context.Context, in *cw.ListAgentStatusRequest) (*cw.ListAgentStatusResponse, error) {
	return nil, notImplemented("ListAgentStatuses")
}

// ListPredefinedAttributes is not implemented yet.
func (h *Handlers) ListPredefinedAttributes(ctx context.Context, in *cw.ListPredefinedAttributesRequest) (*cw.ListPredefinedAttributesResponse, error) {
	return nil, notImplemented("ListPredefinedAttributes")
}

// ListRoutingProfileQueues is not implemented yet.
func (h *Handlers) ListRoutingProfileQueues(ctx context.Context, in *cw.ListRoutingProfileQueuesRequest) (*cw.ListRoutingProfileQueuesResponse, error) {
	return nil, notImplemented("ListRoutingProfileQueues")
}

// ListRoutingProfiles is not implemented yet.
func (h *Handlers) ListRoutingProfiles(ctx context.Context, in *cw.ListRoutingProfilesRequest) (*cw.ListRoutingProfilesResponse, error) {
	return nil, notImplemented("ListRoutingProfiles")
}

// ListUserProficiencies is not implemented yet.
func (h *Handlers) ListUserProficiencies(ctx context.Context, in *cw.ListUserProficienciesRequest) (*cw.ListUserProficienciesResponse, error) {
	return nil, notImplemented("ListUserProficiencies")
}

// ListUsers is not implemented yet.
func (h *Handlers) ListUsers(ctx context.Context, in *cw.ListUsersRequest) (*cw.ListUsersResponse, error) {
	return nil, notImplemented("ListUsers")
}

// PutUserStatus is not implemented yet.
func (h *Handlers) PutUserStatus(ctx context.Context, in *cw.PutUserStatusRequest) (*cw.PutUserStatusResponse, error) {
	return nil, notImplemented("PutUserStatus")
}

// SearchAgentStatuses is not implemented yet.
func (h *Handlers) SearchAgentStatuses(ctx context.Context, in *cw.SearchAgentStatusesRequest) (*cw.SearchAgentStatusesResponse, error) {
	return nil, notImplemented("SearchAgentStatuses")
}

// SearchPredefinedAttributes is not implemented yet.
func (h *Handlers) SearchPredefinedAttributes(ctx context.Context, in *cw.SearchPredefinedAttributesRequest) (*cw.SearchPredefinedAttributesResponse, error) {
	return nil, notImplemented("SearchPredefinedAttributes")
}

// SearchRoutingProfiles is not implemented yet.
func (h *Handlers) SearchRoutingProfiles(ctx context.Context, in *cw.SearchRoutingProfilesRequest) (*cw.SearchRoutingProfilesResponse, error) {
	return nil, notImplemented("SearchRoutingProfiles")
}

// SearchUsers is not implemented yet.
func (h *Handlers) SearchUsers(ctx context.Context, in *cw.SearchUsersRequest) (*cw.SearchUsersResponse, error) {
	return nil, notImplemented("SearchUsers")
}

// UpdateAgentStatus is not implemented yet.
func (h *Handlers) UpdateAgentStatus(ctx context.Context, in *cw.UpdateAgentStatusRequest) (*cw.UpdateAgentStatusResponse, error) {
	return nil, notImplemented("UpdateAgentStatus")
}

// UpdatePredefinedAttribute is not implemented yet.
func (h *Handlers) UpdatePredefinedAttribute(ctx context.Context, in *cw.UpdatePredefinedAttributeRequest) (*cw.UpdatePredefinedAttributeResponse, error) {
	return nil, notImplemented("UpdatePredefinedAttribute")
}

// UpdateRoutingProfileAgentAvailabilityTimer is not implemented yet.
func (h *Handlers) UpdateRoutingProfileAgentAvailabilityTimer(ctx context.Context, in *cw.UpdateRoutingProfileAgentAvailabilityTimerRequest) (*cw.UpdateRoutingProfileAgentAvailabilityTimerResponse, error) {
	return nil, notImplemented("UpdateRoutingProfileAgentAvailabilityTimer")
}

// UpdateRoutingProfileConcurrency is not implemented yet.
func (h *Handlers) UpdateRoutingProfileConcurrency(ctx context.Context, in *cw.UpdateRoutingProfileConcurrencyRequest) (*cw.UpdateRoutingProfileConcurrencyResponse, error) {
	return nil, notImplemented("UpdateRoutingProfileConcurrency")
}

// UpdateRoutingProfileDefaultOutboundQueue is not implemented yet.
func (h *Handlers) UpdateRoutingProfileDefaultOutboundQueue(ctx context.Context, in *cw.UpdateRoutingProfileDefaultOutboundQueueRequest) (*cw.UpdateRoutingProfileDefaultOutboundQueueResponse, error) {
	return nil, notImplemented("UpdateRoutingProfileDefaultOutboundQueue")
}

// UpdateRoutingProfileName is not implemented yet.
func (h *Handlers) UpdateRoutingProfileName(ctx context.Context, in *cw.UpdateRoutingProfileNameRequest) (*cw.UpdateRoutingProfileNameResponse, error) {
	return nil, notImplemented("UpdateRoutingProfileName")
}

// UpdateRoutingProfileQueues is not implemented yet.
func (h *Handlers) UpdateRoutingProfileQueues(ctx context.Context, in *cw.UpdateRoutingProfileQueuesRequest) (*cw.UpdateRoutingProfileQueuesResponse, error) {
	return nil, notImplemented("UpdateRoutingProfileQueues")
}

// UpdateUserConfig is not implemented yet.
func (h *Handlers) UpdateUserConfig(ctx context.Context, in *cw.UpdateUserConfigRequest) (*cw.UpdateUserConfigResponse, error) {
	return nil, notImplemented("UpdateUserConfig")
}

// UpdateUserIdentityInfo is not implemented yet.
func (h *Handlers) UpdateUserIdentityInfo(ctx context.Context, in *cw.UpdateUserIdentityInfoRequest) (*cw.UpdateUserIdentityInfoResponse, error) {
	return nil, notImplemented("UpdateUserIdentityInfo")
}

// UpdateUserPhoneConfig is not implemented yet.
func (h *Handlers) UpdateUserPhoneConfig(ctx context.Context, in *cw.UpdateUserPhoneConfigRequest) (*cw.UpdateUserPhoneConfigResponse, error) {
	return nil, notImplemented("UpdateUserPhoneConfig")
}

// UpdateUserProficiencies is not implemented yet.
func (h *Handlers) UpdateUserProficiencies(ctx context.Context, in *cw.UpdateUserProficienciesRequest) (*cw.UpdateUserProficienciesResponse, error) {
	return nil, notImplemented("UpdateUserProficiencies")
}

// UpdateUserRoutingProfile is not implemented yet.
func (h *Handlers) UpdateUserRoutingProfile(ctx context.Context, in *cw.UpdateUserRoutingProfileRequest) (*cw.UpdateUserRoutingProfileResponse, error) {
	return nil, notImplemented("UpdateUserRoutingProfile")
}

// UpdateUserSecurityProfiles is not implemented yet.
func (h *Handlers) UpdateUserSecurityProfiles(ctx context.Context, in *cw.UpdateUserSecurityProfilesRequest) (*cw.UpdateUserSecurityProfilesResponse, error) {
	return nil, notImplemented("UpdateUserSecurityProfiles")
}
