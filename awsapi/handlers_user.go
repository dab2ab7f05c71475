package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

func identityIn(in *cw.UserIdentityInfo) domain.UserIdentity {
	if in == nil {
		return domain.UserIdentity{}
	}
	return domain.UserIdentity{FirstName: deref(in.FirstName), LastName: deref(in.LastName), Email: deref(in.Email),
		SecondaryEmail: deref(in.SecondaryEmail), Mobile: deref(in.Mobile)}
}

func phoneConfigIn(in *cw.UserPhoneConfig) domain.PhoneConfig {
	return domain.PhoneConfig{PhoneType: string(in.PhoneType), AutoAccept: in.AutoAccept, AfterContactWorkTimeLimit: intPtr(in.AfterContactWorkTimeLimit),
		DeskPhoneNumber: deref(in.DeskPhoneNumber), PersistentConnection: in.PersistentConnection}
}

// channelConfigIn gathers the per-channel lists CreateUser and
// UpdateUserConfig share.
func channelConfigIn(aa []cw.AutoAcceptConfig, acw []cw.AfterContactWorkConfigPerChannel, pn []cw.PhoneNumberConfig,
	pc []cw.PersistentConnectionConfig, ve []cw.VoiceEnhancementConfig) domain.UserChannelConfig {
	var c domain.UserChannelConfig
	for _, a := range aa {
		c.AutoAccept = append(c.AutoAccept, domain.AutoAcceptSetting{Channel: string(a.Channel), AutoAccept: deref(a.AutoAccept), AgentFirstCallbackAutoAccept: a.AgentFirstCallbackAutoAccept})
	}
	for _, a := range acw {
		s := domain.AfterContactWorkSetting{Channel: string(a.Channel)}
		if a.AfterContactWorkConfig != nil {
			s.TimeLimit = int(deref(a.AfterContactWorkConfig.AfterContactWorkTimeLimit))
		}
		if a.AgentFirstCallbackAfterContactWorkConfig != nil {
			s.AgentFirstCallbackTimeLimit = intPtr(a.AgentFirstCallbackAfterContactWorkConfig.AfterContactWorkTimeLimit)
			if s.AgentFirstCallbackTimeLimit == nil {
				s.AgentFirstCallbackTimeLimit = ref(0)
			}
		}
		c.AfterContactWork = append(c.AfterContactWork, s)
	}
	for _, p := range pn {
		c.PhoneNumbers = append(c.PhoneNumbers, domain.PhoneNumberSetting{Channel: string(p.Channel), PhoneType: string(p.PhoneType), PhoneNumber: deref(p.PhoneNumber)})
	}
	for _, p := range pc {
		c.PersistentConnections = append(c.PersistentConnections, domain.PersistentConnectionSetting{Channel: string(p.Channel), PersistentConnection: deref(p.PersistentConnection)})
	}
	for _, v := range ve {
		c.VoiceEnhancements = append(c.VoiceEnhancements, domain.VoiceEnhancementSetting{Channel: string(v.Channel), Mode: string(v.VoiceEnhancementMode)})
	}
	return c
}

// userChannelsOut renders the per-channel lists; acwScale multiplies ACW
// limits (SearchUsers reports them in milliseconds).
func userChannelsOut(c domain.UserChannelConfig, acwScale int) ([]cw.AutoAcceptConfig, []cw.AfterContactWorkConfigPerChannel, []cw.PhoneNumberConfig, []cw.PersistentConnectionConfig, []cw.VoiceEnhancementConfig) {
	var (
		aa  []cw.AutoAcceptConfig
		acw []cw.AfterContactWorkConfigPerChannel
		pn  []cw.PhoneNumberConfig
		pc  []cw.PersistentConnectionConfig
		ve  []cw.VoiceEnhancementConfig
	)
	for _, a := range c.AutoAccept {
		aa = append(aa, cw.AutoAcceptConfig{Channel: cw.Channel(a.Channel), AutoAccept: ref(a.AutoAccept), AgentFirstCallbackAutoAccept: a.AgentFirstCallbackAutoAccept})
	}
	for _, a := range c.AfterContactWork {
		o := cw.AfterContactWorkConfigPerChannel{Channel: cw.Channel(a.Channel), AfterContactWorkConfig: &cw.AfterContactWorkConfig{AfterContactWorkTimeLimit: ref(int32(a.TimeLimit * acwScale))}}
		if a.AgentFirstCallbackTimeLimit != nil {
			o.AgentFirstCallbackAfterContactWorkConfig = &cw.AfterContactWorkConfig{AfterContactWorkTimeLimit: ref(int32(*a.AgentFirstCallbackTimeLimit * acwScale))}
		}
		acw = append(acw, o)
	}
	for _, p := range c.PhoneNumbers {
		pn = append(pn, cw.PhoneNumberConfig{Channel: cw.Channel(p.Channel), PhoneType: cw.PhoneType(p.PhoneType), PhoneNumber: ptr(p.PhoneNumber)})
	}
	for _, p := range c.PersistentConnections {
		pc = append(pc, cw.PersistentConnectionConfig{Channel: cw.Channel(p.Channel), PersistentConnection: ref(p.PersistentConnection)})
	}
	for _, v := range c.VoiceEnhancements {
		ve = append(ve, cw.VoiceEnhancementConfig{Channel: cw.Channel(v.Channel), VoiceEnhancementMode: cw.VoiceEnhancementMode(v.Mode)})
	}
	return aa, acw, pn, pc, ve
}

func phoneConfigOut(u *domain.User, acwScale int) *cw.UserPhoneConfig {
	pc := u.PhoneConfig()
	out := &cw.UserPhoneConfig{PhoneType: cw.PhoneType(pc.PhoneType), AutoAccept: pc.AutoAccept, DeskPhoneNumber: ptr(pc.DeskPhoneNumber), PersistentConnection: pc.PersistentConnection}
	if pc.AfterContactWorkTimeLimit != nil {
		out.AfterContactWorkTimeLimit = ref(int32(*pc.AfterContactWorkTimeLimit * acwScale))
	}
	return out
}

// SearchUsers reports ACW limits in milliseconds, as its documentation says.
const searchACWScale = 1000

// CreateUser handles the operation of the same name.
func (h *Handlers) CreateUser(ctx context.Context, in *cw.CreateUserRequest) (*cw.CreateUserResponse, error) {
	p := domain.CreateUserParams{Username: deref(in.Username), Password: deref(in.Password), Identity: identityIn(in.IdentityInfo),
		Channels:        channelConfigIn(in.AutoAcceptConfigs, in.AfterContactWorkConfigs, in.PhoneNumberConfigs, in.PersistentConnectionConfigs, in.VoiceEnhancementConfigs),
		DirectoryUserID: deref(in.DirectoryUserId), SecurityProfileIDs: in.SecurityProfileIds, RoutingProfileID: deref(in.RoutingProfileId),
		HierarchyGroupID: deref(in.HierarchyGroupId), Tags: in.Tags}
	if in.PhoneConfig != nil {
		pc := phoneConfigIn(in.PhoneConfig)
		p.PhoneConfig = &pc
	}
	u, err := h.svc.CreateUser(ctx, deref(in.InstanceId), p)
	if err != nil {
		return nil, err
	}
	return &cw.CreateUserResponse{UserId: ref(u.ID), UserArn: ref(u.Arn)}, nil
}

// DescribeUser handles the operation of the same name.
func (h *Handlers) DescribeUser(ctx context.Context, in *cw.DescribeUserRequest) (*cw.DescribeUserResponse, error) {
	u, err := h.svc.DescribeUser(ctx, deref(in.InstanceId), deref(in.UserId))
	if err != nil {
		return nil, err
	}
	id := u.Identity
	out := &cw.User{Id: ref(u.ID), Arn: ref(u.Arn), Username: ref(u.Username),
		IdentityInfo: &cw.UserIdentityInfo{FirstName: ptr(id.FirstName), LastName: ptr(id.LastName), Email: ptr(id.Email), SecondaryEmail: ptr(id.SecondaryEmail), Mobile: ptr(id.Mobile)},
		PhoneConfig:  phoneConfigOut(u, 1), DirectoryUserId: ptr(u.DirectoryUserID), SecurityProfileIds: u.SecurityProfileIDs,
		RoutingProfileId: ref(u.RoutingProfileID), HierarchyGroupId: ptr(u.HierarchyGroupID), Tags: u.Tags,
		LastModifiedTime: wtime(u.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())}
	out.AutoAcceptConfigs, out.AfterContactWorkConfigs, out.PhoneNumberConfigs, out.PersistentConnectionConfigs, out.VoiceEnhancementConfigs = userChannelsOut(u.Channels, 1)
	return &cw.DescribeUserResponse{User: out}, nil
}

// ListUsers handles the operation of the same name.
func (h *Handlers) ListUsers(ctx context.Context, in *cw.ListUsersRequest) (*cw.ListUsersResponse, error) {
	list, next, err := h.svc.ListUsers(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListUsersResponse{NextToken: ptr(next), UserSummaryList: []cw.UserSummary{}}
	for _, u := range list {
		out.UserSummaryList = append(out.UserSummaryList, cw.UserSummary{Id: ref(u.ID), Arn: ref(u.Arn), Username: ref(u.Username),
			LastModifiedTime: wtime(u.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())})
	}
	return out, nil
}

func hierarchyIn(c *cw.HierarchyGroupCondition) *domain.HierarchyGroupCondition {
	if c == nil {
		return nil
	}
	return &domain.HierarchyGroupCondition{Value: deref(c.Value), MatchType: string(c.HierarchyGroupMatchType)}
}

func userCriteriaIn(c *cw.UserSearchCriteria) *domain.UserSearchCriteria {
	if c == nil {
		return nil
	}
	out := &domain.UserSearchCriteria{String: stringConditionIn(c.StringCondition), HierarchyGroup: hierarchyIn(c.HierarchyGroupCondition)}
	if lc := c.ListCondition; lc != nil {
		pc := &domain.ProficiencyCondition{}
		for _, cond := range lc.Conditions {
			if cond.StringCondition != nil {
				pc.Strings = append(pc.Strings, *stringConditionIn(cond.StringCondition))
			}
			if nc := cond.NumberCondition; nc != nil {
				pc.Numbers = append(pc.Numbers, domain.NumberCondition{FieldName: deref(nc.FieldName), Min: intPtr(nc.MinValue), Max: intPtr(nc.MaxValue), ComparisonType: string(nc.ComparisonType)})
			}
		}
		out.Proficiency = pc
	}
	for i := range c.AndConditions {
		out.And = append(out.And, *userCriteriaIn(&c.AndConditions[i]))
	}
	for i := range c.OrConditions {
		out.Or = append(out.Or, *userCriteriaIn(&c.OrConditions[i]))
	}
	return out
}

func userFilterIn(f *cw.UserSearchFilter) *domain.UserSearchFilter {
	if f == nil {
		return nil
	}
	out := &domain.UserSearchFilter{Tags: tagFilterIn(f.TagFilter)}
	if a := f.UserAttributeFilter; a != nil {
		and := func(c cw.AttributeAndCondition) domain.UserAttributeAnd {
			return domain.UserAttributeAnd{Tags: tagConditionsIn(c.TagConditions), HierarchyGroup: hierarchyIn(c.HierarchyGroupCondition)}
		}
		da := &domain.UserAttributeFilter{HierarchyGroup: hierarchyIn(a.HierarchyGroupCondition)}
		for _, c := range a.OrConditions {
			da.Or = append(da.Or, and(c))
		}
		if a.AndCondition != nil {
			v := and(*a.AndCondition)
			da.And = &v
		}
		if a.TagCondition != nil {
			da.Tag = &domain.TagCondition{Key: deref(a.TagCondition.TagKey), Value: deref(a.TagCondition.TagValue)}
		}
		out.Attribute = da
	}
	return out
}

// SearchUsers handles the operation of the same name.
func (h *Handlers) SearchUsers(ctx context.Context, in *cw.SearchUsersRequest) (*cw.SearchUsersResponse, error) {
	list, next, total, err := h.svc.SearchUsers(ctx, deref(in.InstanceId), userCriteriaIn(in.SearchCriteria), userFilterIn(in.SearchFilter), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchUsersResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), Users: []cw.UserSearchSummary{}}
	for i := range list {
		u := &list[i]
		s := cw.UserSearchSummary{Arn: ref(u.Arn), Id: ref(u.ID), Username: ref(u.Username), DirectoryUserId: ptr(u.DirectoryUserID),
			HierarchyGroupId: ptr(u.HierarchyGroupID), IdentityInfo: &cw.UserIdentityInfoLite{FirstName: ptr(u.Identity.FirstName), LastName: ptr(u.Identity.LastName)},
			PhoneConfig: phoneConfigOut(u, searchACWScale), RoutingProfileId: ref(u.RoutingProfileID), SecurityProfileIds: u.SecurityProfileIDs, Tags: u.Tags}
		s.AutoAcceptConfigs, s.AfterContactWorkConfigs, s.PhoneNumberConfigs, s.PersistentConnectionConfigs, s.VoiceEnhancementConfigs = userChannelsOut(u.Channels, searchACWScale)
		out.Users = append(out.Users, s)
	}
	return out, nil
}

// UpdateUserRoutingProfile handles the operation of the same name.
func (h *Handlers) UpdateUserRoutingProfile(ctx context.Context, in *cw.UpdateUserRoutingProfileRequest) (*cw.UpdateUserRoutingProfileResponse, error) {
	if err := h.svc.UpdateUserRoutingProfile(ctx, deref(in.InstanceId), deref(in.UserId), deref(in.RoutingProfileId)); err != nil {
		return nil, err
	}
	return &cw.UpdateUserRoutingProfileResponse{}, nil
}

// UpdateUserSecurityProfiles handles the operation of the same name.
func (h *Handlers) UpdateUserSecurityProfiles(ctx context.Context, in *cw.UpdateUserSecurityProfilesRequest) (*cw.UpdateUserSecurityProfilesResponse, error) {
	if err := h.svc.UpdateUserSecurityProfiles(ctx, deref(in.InstanceId), deref(in.UserId), in.SecurityProfileIds); err != nil {
		return nil, err
	}
	return &cw.UpdateUserSecurityProfilesResponse{}, nil
}

// UpdateUserIdentityInfo handles the operation of the same name.
func (h *Handlers) UpdateUserIdentityInfo(ctx context.Context, in *cw.UpdateUserIdentityInfoRequest) (*cw.UpdateUserIdentityInfoResponse, error) {
	if err := h.svc.UpdateUserIdentityInfo(ctx, deref(in.InstanceId), deref(in.UserId), identityIn(in.IdentityInfo)); err != nil {
		return nil, err
	}
	return &cw.UpdateUserIdentityInfoResponse{}, nil
}

// UpdateUserPhoneConfig handles the operation of the same name.
func (h *Handlers) UpdateUserPhoneConfig(ctx context.Context, in *cw.UpdateUserPhoneConfigRequest) (*cw.UpdateUserPhoneConfigResponse, error) {
	pc := domain.PhoneConfig{}
	if in.PhoneConfig != nil {
		pc = phoneConfigIn(in.PhoneConfig)
	}
	if err := h.svc.UpdateUserPhoneConfig(ctx, deref(in.InstanceId), deref(in.UserId), pc); err != nil {
		return nil, err
	}
	return &cw.UpdateUserPhoneConfigResponse{}, nil
}

// UpdateUserConfig handles the operation of the same name.
func (h *Handlers) UpdateUserConfig(ctx context.Context, in *cw.UpdateUserConfigRequest) (*cw.UpdateUserConfigResponse, error) {
	c := channelConfigIn(in.AutoAcceptConfigs, in.AfterContactWorkConfigs, in.PhoneNumberConfigs, in.PersistentConnectionConfigs, in.VoiceEnhancementConfigs)
	if err := h.svc.UpdateUserConfig(ctx, deref(in.InstanceId), deref(in.UserId), c); err != nil {
		return nil, err
	}
	return &cw.UpdateUserConfigResponse{}, nil
}

// DeleteUser handles the operation of the same name.
func (h *Handlers) DeleteUser(ctx context.Context, in *cw.DeleteUserRequest) (*cw.DeleteUserResponse, error) {
	if err := h.svc.DeleteUser(ctx, deref(in.InstanceId), deref(in.UserId)); err != nil {
		return nil, err
	}
	return &cw.DeleteUserResponse{}, nil
}
