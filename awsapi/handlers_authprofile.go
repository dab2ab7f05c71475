package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// DescribeAuthenticationProfile handles the operation of the same name.
func (h *Handlers) DescribeAuthenticationProfile(ctx context.Context, in *cw.DescribeAuthenticationProfileRequest) (*cw.DescribeAuthenticationProfileResponse, error) {
	p, err := h.svc.DescribeAuthenticationProfile(ctx, deref(in.InstanceId), deref(in.AuthenticationProfileId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeAuthenticationProfileResponse{AuthenticationProfile: &cw.AuthenticationProfile{
		Id: ref(p.ID), Arn: ref(p.Arn), Name: ref(p.Name), Description: ptr(p.Description), AllowedIps: p.AllowedIPs, BlockedIps: p.BlockedIPs,
		IsDefault: ref(p.IsDefault), CreatedTime: wtime(p.CreatedTime), LastModifiedTime: wtime(p.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()),
		PeriodicSessionDuration: ref(int32(p.PeriodicSessionDuration)), MaxSessionDuration: ref(int32(p.MaxSessionDuration)),
		SessionInactivityDuration: ref(int32(p.SessionInactivityDuration)), SessionInactivityHandlingEnabled: ref(p.SessionInactivityHandling),
	}}, nil
}

// ListAuthenticationProfiles handles the operation of the same name.
func (h *Handlers) ListAuthenticationProfiles(ctx context.Context, in *cw.ListAuthenticationProfilesRequest) (*cw.ListAuthenticationProfilesResponse, error) {
	list, next, err := h.svc.ListAuthenticationProfiles(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListAuthenticationProfilesResponse{AuthenticationProfileSummaryList: make([]cw.AuthenticationProfileSummary, len(list)), NextToken: ptr(next)}
	for i, p := range list {
		out.AuthenticationProfileSummaryList[i] = cw.AuthenticationProfileSummary{Id: ref(p.ID), Arn: ref(p.Arn), Name: ref(p.Name), IsDefault: ref(p.IsDefault),
			LastModifiedTime: wtime(p.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())}
	}
	return out, nil
}

// UpdateAuthenticationProfile handles the operation of the same name. An
// empty AllowedIps or BlockedIps list clears it; an absent one leaves it.
func (h *Handlers) UpdateAuthenticationProfile(ctx context.Context, in *cw.UpdateAuthenticationProfileRequest) (*cw.UpdateAuthenticationProfileResponse, error) {
	u := domain.AuthenticationProfileUpdate{Name: in.Name, Description: in.Description,
		AllowedIPs: in.AllowedIps, SetAllowedIPs: in.AllowedIps != nil, BlockedIPs: in.BlockedIps, SetBlockedIPs: in.BlockedIps != nil,
		SessionInactivityHandling: in.SessionInactivityHandlingEnabled}
	if in.PeriodicSessionDuration != nil {
		u.PeriodicSessionDuration = ref(int(*in.PeriodicSessionDuration))
	}
	if in.SessionInactivityDuration != nil {
		u.SessionInactivityDuration = ref(int(*in.SessionInactivityDuration))
	}
	if err := h.svc.UpdateAuthenticationProfile(ctx, deref(in.InstanceId), deref(in.AuthenticationProfileId), u); err != nil {
		return nil, err
	}
	return &cw.UpdateAuthenticationProfileResponse{}, nil
}
