package awsapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// agBasics returns the provisioned Basic Routing Profile and the Agent
// security profile.
func agBasics(t *testing.T, env *sbtest.Env, iid string) (profileID, securityID string) {
	t.Helper()
	ctx := sbtest.Ctx(t)
	rps, err := env.Client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	sps, err := env.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	profileID = resByName(t, rps.RoutingProfileSummaryList, func(s types.RoutingProfileSummary) string { return *s.Name },
		func(s types.RoutingProfileSummary) string { return *s.Id }, domain.DefaultRoutingProfileName)
	securityID = resByName(t, sps.SecurityProfileSummaryList, func(s types.SecurityProfileSummary) string { return *s.Name },
		func(s types.SecurityProfileSummary) string { return *s.Id }, "Agent")
	return profileID, securityID
}

// agUserInput is a valid CreateUser request for a Connect-managed instance.
func agUserInput(iid, username, profileID, securityID string) *connect.CreateUserInput {
	return &connect.CreateUserInput{InstanceId: aws.String(iid), Username: aws.String(username), Password: aws.String("Secret123"),
		IdentityInfo:     &types.UserIdentityInfo{FirstName: aws.String("Ada"), LastName: aws.String("Lovelace")},
		RoutingProfileId: aws.String(profileID), SecurityProfileIds: []string{securityID}}
}

func agUser(t *testing.T, env *sbtest.Env, iid, username string) string {
	t.Helper()
	rp, sp := agBasics(t, env, iid)
	out, err := env.Client.CreateUser(sbtest.Ctx(t), agUserInput(iid, username, rp, sp))
	if err != nil {
		t.Fatal(err)
	}
	return *out.UserId
}

func TestUserLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	rp, sp := agBasics(t, env, iid)
	in := agUserInput(iid, "ada", rp, sp)
	in.IdentityInfo.Email = aws.String("ada@example.com")
	in.PhoneConfig = &types.UserPhoneConfig{PhoneType: types.PhoneTypeDeskPhone, DeskPhoneNumber: aws.String("+12065550100"), AutoAccept: true, AfterContactWorkTimeLimit: 30}
	in.Tags = map[string]string{"site": "lon"}
	created, err := env.Client.CreateUser(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	id := *created.UserId
	if !strings.HasSuffix(*created.UserArn, "/agent/"+id) {
		t.Errorf("ARN %s", *created.UserArn)
	}
	describe := func() *types.User {
		t.Helper()
		d, err := env.Client.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: aws.String(iid), UserId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		return d.User
	}
	u := describe()
	if *u.Username != "ada" || *u.IdentityInfo.Email != "ada@example.com" || u.PhoneConfig.PhoneType != types.PhoneTypeDeskPhone ||
		!u.PhoneConfig.AutoAccept || u.PhoneConfig.AfterContactWorkTimeLimit != 30 || *u.RoutingProfileId != rp ||
		u.SecurityProfileIds[0] != sp || u.Tags["site"] != "lon" || len(u.AfterContactWorkConfigs) != 4 {
		t.Errorf("Describe = %+v", u)
	}
	// The agent queue comes with the user and is listed as AGENT.
	qs, err := env.Client.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String(iid), QueueTypes: []types.QueueType{types.QueueTypeAgent}})
	if err != nil {
		t.Fatal(err)
	}
	if len(qs.QueueSummaryList) != 1 || !strings.HasSuffix(*qs.QueueSummaryList[0].Arn, "/queue/agent/"+id) {
		t.Errorf("agent queues = %+v", qs.QueueSummaryList)
	}

	other, err := env.Client.CreateRoutingProfile(ctx, agProfileInput(iid, "Other", resBasicQueue(t, env, iid)))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name  string
		call  func() error
		check func(*types.User) bool
	}{
		{"routing profile", func() error {
			_, err := env.Client.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: aws.String(iid), UserId: aws.String(id), RoutingProfileId: other.RoutingProfileId})
			return err
		}, func(u *types.User) bool { return *u.RoutingProfileId == *other.RoutingProfileId }},
		{"identity", func() error {
			_, err := env.Client.UpdateUserIdentityInfo(ctx, &connect.UpdateUserIdentityInfoInput{InstanceId: aws.String(iid), UserId: aws.String(id),
				IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("Augusta"), LastName: aws.String("King"), Mobile: aws.String("+447700900000")}})
			return err
		}, func(u *types.User) bool {
			return *u.IdentityInfo.FirstName == "Augusta" && u.IdentityInfo.Email == nil && *u.IdentityInfo.Mobile == "+447700900000"
		}},
		{"security profiles", func() error {
			_, err := env.Client.UpdateUserSecurityProfiles(ctx, &connect.UpdateUserSecurityProfilesInput{InstanceId: aws.String(iid), UserId: aws.String(id), SecurityProfileIds: []string{sp, sp}})
			return err
		}, func(u *types.User) bool { return len(u.SecurityProfileIds) == 1 }},
		{"phone config", func() error {
			_, err := env.Client.UpdateUserPhoneConfig(ctx, &connect.UpdateUserPhoneConfigInput{InstanceId: aws.String(iid), UserId: aws.String(id),
				PhoneConfig: &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone, AfterContactWorkTimeLimit: 60}})
			return err
		}, func(u *types.User) bool {
			return u.PhoneConfig.PhoneType == types.PhoneTypeSoftPhone && u.PhoneConfig.AutoAccept && u.AfterContactWorkConfigs[1].AfterContactWorkConfig.AfterContactWorkTimeLimit == 60
		}},
		{"per-channel config", func() error {
			_, err := env.Client.UpdateUserConfig(ctx, &connect.UpdateUserConfigInput{InstanceId: aws.String(iid), UserId: aws.String(id),
				AutoAcceptConfigs:       []types.AutoAcceptConfig{{Channel: types.ChannelChat, AutoAccept: true}},
				AfterContactWorkConfigs: []types.AfterContactWorkConfigPerChannel{{Channel: types.ChannelTask, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: 5}}},
				VoiceEnhancementConfigs: []types.VoiceEnhancementConfig{{Channel: types.ChannelVoice, VoiceEnhancementMode: types.VoiceEnhancementModeNoiseSuppression}}})
			return err
		}, func(u *types.User) bool {
			acw := map[types.Channel]int32{}
			for _, c := range u.AfterContactWorkConfigs {
				acw[c.Channel] = c.AfterContactWorkConfig.AfterContactWorkTimeLimit
			}
			return len(u.AutoAcceptConfigs) == 2 && acw[types.ChannelTask] == 5 && acw[types.ChannelVoice] == 60 && len(u.VoiceEnhancementConfigs) == 1
		}},
	}
	for _, s := range steps {
		if err := s.call(); err != nil {
			t.Fatalf("update %s: %v", s.name, err)
		}
		if u := describe(); !s.check(u) {
			t.Errorf("after update %s: %+v", s.name, u)
		}
	}
	// The runtime sees the per-channel settings.
	snaps, err := env.Service.AgentsForRouting(ctx, iid, false)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("AgentsForRouting = %+v, %v", snaps, err)
	}
	if ch := snaps[0].Channels["TASK"]; ch.ACWTimeLimit != 5*time.Second || !snaps[0].Channels["CHAT"].AutoAccept || snaps[0].RoutingProfile.ID != *other.RoutingProfileId {
		t.Errorf("snapshot %+v", snaps[0])
	}
	if _, err := env.Service.AuthenticateUser(ctx, iid, "ADA", "Secret123"); err != nil {
		t.Errorf("login with the password: %v", err)
	}
	if _, err := env.Service.AuthenticateUser(ctx, iid, "ada", "Secret124"); domain.CodeOf(err) != domain.ErrAccessDenied {
		t.Errorf("login with a wrong password: %v", err)
	}

	if _, err := env.Client.DeleteUser(ctx, &connect.DeleteUserInput{InstanceId: aws.String(iid), UserId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: aws.String(iid), UserId: aws.String(id)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(iid), QueueId: qs.QueueSummaryList[0].Id})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

// resBasicQueue returns BasicQueue's ID.
func resBasicQueue(t *testing.T, env *sbtest.Env, iid string) string {
	t.Helper()
	_, q := resBasic(t, env, iid)
	return q
}

func TestListAndSearchUsers(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	rp, sp := agBasics(t, env, iid)
	for _, u := range []struct{ name, first, last string }{{"ann", "Ann", "Smith"}, {"bob", "Bob", "Smithers"}, {"cat", "Cat", "Jones"}} {
		in := agUserInput(iid, u.name, rp, sp)
		in.IdentityInfo = &types.UserIdentityInfo{FirstName: aws.String(u.first), LastName: aws.String(u.last)}
		in.Tags = map[string]string{"team": u.last}
		if _, err := env.Client.CreateUser(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	p := connect.NewListUsersPaginator(env.Client, &connect.ListUsersInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.UserSummaryList {
			seen[*s.Username] = true
		}
	}
	if len(seen) != 3 {
		t.Errorf("listed %v", seen)
	}
	str := func(field, value string, cmp types.StringComparisonType) *types.UserSearchCriteria {
		return &types.UserSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(value), ComparisonType: cmp}}
	}
	tests := []struct {
		name     string
		criteria *types.UserSearchCriteria
		filter   *types.UserSearchFilter
		want     int
	}{
		{"all", nil, nil, 3},
		{"last name prefix", str("LastName", "smith", types.StringComparisonTypeStartsWith), nil, 2},
		{"username exact", str("Username", "cat", types.StringComparisonTypeExact), nil, 1},
		{"security profile", str("SecurityProfileId", sp, types.StringComparisonTypeExact), nil, 3},
		{"and", &types.UserSearchCriteria{AndConditions: []types.UserSearchCriteria{*str("LastName", "smith", types.StringComparisonTypeContains), *str("FirstName", "bob", types.StringComparisonTypeExact)}}, nil, 1},
		{"or", &types.UserSearchCriteria{OrConditions: []types.UserSearchCriteria{*str("Username", "ann", types.StringComparisonTypeExact), *str("Username", "cat", types.StringComparisonTypeExact)}}, nil, 2},
		{"tag filter", nil, &types.UserSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("Jones")}}}, 1},
		{"unknown hierarchy group matches nobody", &types.UserSearchCriteria{HierarchyGroupCondition: &types.HierarchyGroupCondition{Value: aws.String("g"), HierarchyGroupMatchType: types.HierarchyGroupMatchTypeExact}}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := env.Client.SearchUsers(ctx, &connect.SearchUsersInput{InstanceId: aws.String(iid), SearchCriteria: tc.criteria, SearchFilter: tc.filter, MaxResults: aws.Int32(2)})
			if err != nil {
				t.Fatal(err)
			}
			if *out.ApproximateTotalCount != int64(tc.want) {
				t.Errorf("count %d, want %d", *out.ApproximateTotalCount, tc.want)
			}
			n := len(out.Users)
			for out.NextToken != nil {
				out, err = env.Client.SearchUsers(ctx, &connect.SearchUsersInput{InstanceId: aws.String(iid), SearchCriteria: tc.criteria, SearchFilter: tc.filter, MaxResults: aws.Int32(2), NextToken: out.NextToken})
				if err != nil {
					t.Fatal(err)
				}
				n += len(out.Users)
			}
			if n != tc.want {
				t.Errorf("paged through %d, want %d", n, tc.want)
			}
		})
	}
}

func TestUserErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{Users: 2})
	ctx := sbtest.Ctx(t)
	rp, sp := agBasics(t, env, iid)
	existing := agUser(t, env, iid, "taken")
	create := func(c *connect.Client, mod func(*connect.CreateUserInput)) error {
		in := agUserInput(iid, "newbie", rp, sp)
		mod(in)
		_, err := c.CreateUser(ctx, in)
		return err
	}
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"duplicate username ignoring case", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) { in.Username = aws.String("TAKEN") })
		}, "DuplicateResourceException", 409},
		{"username too long", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) { in.Username = aws.String(strings.Repeat("u", 21)) })
		}, "InvalidParameterException", 400},
		{"username with @ not an email", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) { in.Username = aws.String("a@b") })
		}, "InvalidParameterException", 400},
		{"username bad characters", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) { in.Username = aws.String("a b") })
		}, "InvalidParameterException", 400},
		{"password missing", func() error { return create(env.Client, func(in *connect.CreateUserInput) { in.Password = nil }) }, "InvalidParameterException", 400},
		{"password without digit", func() error {
			return create(env.Raw, func(in *connect.CreateUserInput) { in.Password = aws.String("SecretSecret") })
		}, "InvalidParameterException", 400},
		{"password too short", func() error {
			return create(env.Raw, func(in *connect.CreateUserInput) { in.Password = aws.String("Ab1") })
		}, "InvalidParameterException", 400},
		{"password with space", func() error {
			return create(env.Raw, func(in *connect.CreateUserInput) { in.Password = aws.String("Secret 123") })
		}, "InvalidParameterException", 400},
		{"last name missing", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) {
				in.IdentityInfo = &types.UserIdentityInfo{FirstName: aws.String("A")}
			})
		}, "InvalidParameterException", 400},
		{"bad email", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) { in.IdentityInfo.Email = aws.String("not-an-email") })
		}, "InvalidParameterException", 400},
		{"unknown routing profile", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) { in.RoutingProfileId = aws.String("nope") })
		}, "ResourceNotFoundException", 404},
		{"unknown security profile", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) { in.SecurityProfileIds = []string{"nope"} })
		}, "ResourceNotFoundException", 404},
		{"unknown hierarchy group", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) { in.HierarchyGroupId = aws.String("g") })
		}, "ResourceNotFoundException", 404},
		{"no security profiles", func() error {
			return create(env.Raw, func(in *connect.CreateUserInput) { in.SecurityProfileIds = []string{} })
		}, "InvalidParameterException", 400},
		{"missing routing profile", func() error { return create(env.Raw, func(in *connect.CreateUserInput) { in.RoutingProfileId = nil }) }, "InvalidParameterException", 400},
		{"desk phone without number", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) {
				in.PhoneConfig = &types.UserPhoneConfig{PhoneType: types.PhoneTypeDeskPhone}
			})
		}, "InvalidParameterException", 400},
		{"phone config conflicts with per-channel", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) {
				in.PhoneConfig = &types.UserPhoneConfig{AutoAccept: true}
				in.AutoAcceptConfigs = []types.AutoAcceptConfig{{Channel: types.ChannelVoice, AutoAccept: true}}
			})
		}, "InvalidRequestException", 400},
		{"channel twice", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) {
				in.AutoAcceptConfigs = []types.AutoAcceptConfig{{Channel: types.ChannelChat, AutoAccept: true}, {Channel: types.ChannelChat, AutoAccept: false}}
			})
		}, "InvalidParameterException", 400},
		{"phone number config for chat", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) {
				in.PhoneNumberConfigs = []types.PhoneNumberConfig{{Channel: types.ChannelChat, PhoneType: types.PhoneTypeSoftPhone}}
			})
		}, "InvalidParameterException", 400},
		{"negative ACW", func() error {
			return create(env.Raw, func(in *connect.CreateUserInput) {
				in.PhoneConfig = &types.UserPhoneConfig{AfterContactWorkTimeLimit: -1}
			})
		}, "InvalidParameterException", 400},
		{"unknown instance", func() error {
			return create(env.Client, func(in *connect.CreateUserInput) { in.InstanceId = aws.String("nope") })
		}, "ResourceNotFoundException", 404},
		{"describe unknown", func() error {
			_, err := env.Client.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: aws.String(iid), UserId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"list page size", func() error {
			_, err := env.Raw.ListUsers(ctx, &connect.ListUsersInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(1001)})
			return err
		}, "InvalidParameterException", 400},
		{"search bad field", func() error {
			_, err := env.Client.SearchUsers(ctx, &connect.SearchUsersInput{InstanceId: aws.String(iid),
				SearchCriteria: &types.UserSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("Shoe"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}}})
			return err
		}, "InvalidParameterException", 400},
		{"search page size", func() error {
			_, err := env.Raw.SearchUsers(ctx, &connect.SearchUsersInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(501)})
			return err
		}, "InvalidParameterException", 400},
		{"routing profile unknown", func() error {
			_, err := env.Client.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: aws.String(iid), UserId: aws.String(existing), RoutingProfileId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"routing profile missing", func() error {
			_, err := env.Raw.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: aws.String(iid), UserId: aws.String(existing)})
			return err
		}, "InvalidParameterException", 400},
		{"security profiles too many", func() error {
			ids := make([]string, 11)
			for i := range ids {
				ids[i] = sp
			}
			_, err := env.Raw.UpdateUserSecurityProfiles(ctx, &connect.UpdateUserSecurityProfilesInput{InstanceId: aws.String(iid), UserId: aws.String(existing), SecurityProfileIds: ids})
			return err
		}, "InvalidParameterException", 400},
		{"identity missing", func() error {
			_, err := env.Raw.UpdateUserIdentityInfo(ctx, &connect.UpdateUserIdentityInfoInput{InstanceId: aws.String(iid), UserId: aws.String(existing)})
			return err
		}, "InvalidParameterException", 400},
		{"identity without names", func() error {
			_, err := env.Client.UpdateUserIdentityInfo(ctx, &connect.UpdateUserIdentityInfoInput{InstanceId: aws.String(iid), UserId: aws.String(existing), IdentityInfo: &types.UserIdentityInfo{}})
			return err
		}, "InvalidParameterException", 400},
		{"phone config missing", func() error {
			_, err := env.Raw.UpdateUserPhoneConfig(ctx, &connect.UpdateUserPhoneConfigInput{InstanceId: aws.String(iid), UserId: aws.String(existing)})
			return err
		}, "InvalidParameterException", 400},
		{"user config empty", func() error {
			_, err := env.Client.UpdateUserConfig(ctx, &connect.UpdateUserConfigInput{InstanceId: aws.String(iid), UserId: aws.String(existing)})
			return err
		}, "InvalidParameterException", 400},
		{"user config bad mode", func() error {
			_, err := env.Raw.UpdateUserConfig(ctx, &connect.UpdateUserConfigInput{InstanceId: aws.String(iid), UserId: aws.String(existing),
				VoiceEnhancementConfigs: []types.VoiceEnhancementConfig{{Channel: types.ChannelVoice, VoiceEnhancementMode: "LOUD"}}})
			return err
		}, "InvalidParameterException", 400},
		{"delete unknown", func() error {
			_, err := env.Client.DeleteUser(ctx, &connect.DeleteUserInput{InstanceId: aws.String(iid), UserId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
	// The quota of users counts "taken"; the model gives CreateUser
	// LimitExceededException.
	if err := create(env.Client, func(*connect.CreateUserInput) {}); err != nil {
		t.Fatal(err)
	}
	err := create(env.Client, func(in *connect.CreateUserInput) { in.Username = aws.String("third") })
	sbtest.APIError(t, err, "LimitExceededException", http.StatusTooManyRequests)
}

func TestUserPasswordOutsideConnectManaged(t *testing.T) {
	t.Parallel()
	env := sbtest.New(t)
	ctx := sbtest.Ctx(t)
	inst, err := env.Client.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeSaml, InstanceAlias: aws.String("saml-users"),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	iid := *inst.Id
	rp, sp := agBasics(t, env, iid)
	in := agUserInput(iid, "someone@example.com", rp, sp)
	_, err = env.Client.CreateUser(ctx, in)
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	in.Password = nil
	if _, err := env.Client.CreateUser(ctx, in); err != nil {
		t.Fatal(err)
	}
}

func TestPutUserStatus(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	id := agUser(t, env, iid, "agent1")
	statuses := agStatuses(t, env, iid)
	st, err := env.Service.UserStatus(ctx, iid, id)
	if err != nil || st.Type != "OFFLINE" || st.Explicit || !st.Since.Equal(sbtest.Start) {
		t.Fatalf("initial status %+v, %v", st, err)
	}
	if snaps, _ := env.Service.AgentsForRouting(ctx, iid, true); len(snaps) != 0 {
		t.Errorf("offline user listed as routable: %+v", snaps)
	}
	env.Clock.Advance(time.Minute)
	if _, err := env.Client.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: aws.String(iid), UserId: aws.String(id), AgentStatusId: statuses["Available"].Id}); err != nil {
		t.Fatal(err)
	}
	st, _ = env.Service.UserStatus(ctx, iid, id)
	if st.Name != "Available" || st.Type != "ROUTABLE" || !st.Since.Equal(sbtest.Start.Add(time.Minute)) {
		t.Errorf("after PutUserStatus %+v", st)
	}
	// Repeating the same status keeps the start time (longest idle).
	env.Clock.Advance(time.Minute)
	if _, err := env.Client.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: aws.String(iid), UserId: aws.String(id), AgentStatusId: statuses["Available"].Id}); err != nil {
		t.Fatal(err)
	}
	snaps, err := env.Service.AgentsForRouting(ctx, iid, true)
	if err != nil || len(snaps) != 1 || !snaps[0].Status.Since.Equal(sbtest.Start.Add(time.Minute)) || snaps[0].RoutingProfile.Name != domain.DefaultRoutingProfileName {
		t.Errorf("routable snapshot %+v, %v", snaps, err)
	}
	brk, err := env.Client.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: aws.String(iid), Name: aws.String("Break"), State: types.AgentStatusStateDisabled})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		client *connect.Client
		in     connect.PutUserStatusInput
		code   string
		status int
	}{
		{"disabled status", env.Client, connect.PutUserStatusInput{UserId: aws.String(id), AgentStatusId: brk.AgentStatusId}, "InvalidRequestException", 400},
		{"unknown status", env.Client, connect.PutUserStatusInput{UserId: aws.String(id), AgentStatusId: aws.String("nope")}, "ResourceNotFoundException", 404},
		{"unknown user", env.Client, connect.PutUserStatusInput{UserId: aws.String("nope"), AgentStatusId: statuses["Offline"].Id}, "ResourceNotFoundException", 404},
		{"missing status", env.Raw, connect.PutUserStatusInput{UserId: aws.String(id)}, "InvalidParameterException", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.InstanceId = aws.String(iid)
			_, err := tc.client.PutUserStatus(ctx, &tc.in)
			sbtest.APIError(t, err, tc.code, tc.status)
		})
	}
}
