package awsapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// agProfileInput is a valid CreateRoutingProfile request with voice and
// chat and no queues.
func agProfileInput(iid, name, outboundQueue string) *connect.CreateRoutingProfileInput {
	return &connect.CreateRoutingProfileInput{InstanceId: aws.String(iid), Name: aws.String(name), Description: aws.String(name + " agents"),
		DefaultOutboundQueueId: aws.String(outboundQueue), MediaConcurrencies: []types.MediaConcurrency{
			{Channel: types.ChannelVoice, Concurrency: aws.Int32(1)},
			{Channel: types.ChannelChat, Concurrency: aws.Int32(3), CrossChannelBehavior: &types.CrossChannelBehavior{BehaviorType: types.BehaviorTypeRouteAnyChannel}},
		}}
}

func qc(queue string, ch types.Channel, priority, delay int32) types.RoutingProfileQueueConfig {
	return types.RoutingProfileQueueConfig{QueueReference: &types.RoutingProfileQueueReference{QueueId: aws.String(queue), Channel: ch}, Priority: aws.Int32(priority), Delay: aws.Int32(delay)}
}

func TestRoutingProfileLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	hours, basicQ := resBasic(t, env, iid)
	sales := resQueue(t, env, iid, "Sales", hours)
	in := agProfileInput(iid, "Sales agents", basicQ)
	in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(sales, types.ChannelVoice, 1, 0), qc(sales, types.ChannelChat, 2, 30)}
	in.AgentAvailabilityTimer = types.AgentAvailabilityTimerTimeSinceLastInbound
	in.Tags = map[string]string{"k": "v"}
	created, err := env.Client.CreateRoutingProfile(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	id := created.RoutingProfileId
	describe := func() *types.RoutingProfile {
		t.Helper()
		d, err := env.Client.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: aws.String(iid), RoutingProfileId: id})
		if err != nil {
			t.Fatal(err)
		}
		return d.RoutingProfile
	}
	rp := describe()
	if *rp.Name != "Sales agents" || *rp.DefaultOutboundQueueId != basicQ || *rp.NumberOfAssociatedQueues != 1 || *rp.NumberOfAssociatedUsers != 0 ||
		rp.IsDefault || rp.AgentAvailabilityTimer != types.AgentAvailabilityTimerTimeSinceLastInbound || len(rp.MediaConcurrencies) != 2 ||
		rp.MediaConcurrencies[1].CrossChannelBehavior.BehaviorType != types.BehaviorTypeRouteAnyChannel || rp.MediaConcurrencies[0].CrossChannelBehavior.BehaviorType != types.BehaviorTypeRouteCurrentChannelOnly ||
		rp.Tags["k"] != "v" || len(rp.AssociatedQueueIds) != 1 {
		t.Errorf("Describe = %+v", rp)
	}

	support := resQueue(t, env, iid, "Support", hours)
	steps := []struct {
		name  string
		call  func() error
		check func(*types.RoutingProfile) bool
	}{
		{"associate", func() error {
			_, err := env.Client.AssociateRoutingProfileQueues(ctx, &connect.AssociateRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id,
				QueueConfigs: []types.RoutingProfileQueueConfig{qc(support, types.ChannelChat, 5, 0)}})
			return err
		}, func(rp *types.RoutingProfile) bool { return *rp.NumberOfAssociatedQueues == 2 }},
		{"update queues", func() error {
			_, err := env.Client.UpdateRoutingProfileQueues(ctx, &connect.UpdateRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id,
				QueueConfigs: []types.RoutingProfileQueueConfig{qc(support, types.ChannelChat, 9, 99)}})
			return err
		}, func(*types.RoutingProfile) bool { return true }},
		{"disassociate", func() error {
			_, err := env.Client.DisassociateRoutingProfileQueues(ctx, &connect.DisassociateRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id,
				QueueReferences: []types.RoutingProfileQueueReference{{QueueId: aws.String(sales), Channel: types.ChannelVoice}}})
			return err
		}, func(rp *types.RoutingProfile) bool { return *rp.NumberOfAssociatedQueues == 2 }},
		{"concurrency", func() error {
			_, err := env.Client.UpdateRoutingProfileConcurrency(ctx, &connect.UpdateRoutingProfileConcurrencyInput{InstanceId: aws.String(iid), RoutingProfileId: id,
				MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(10)}}})
			return err
		}, func(rp *types.RoutingProfile) bool {
			return len(rp.MediaConcurrencies) == 1 && rp.MediaConcurrencies[0].Channel == types.ChannelTask && *rp.MediaConcurrencies[0].Concurrency == 10
		}},
		{"outbound queue", func() error {
			_, err := env.Client.UpdateRoutingProfileDefaultOutboundQueue(ctx, &connect.UpdateRoutingProfileDefaultOutboundQueueInput{InstanceId: aws.String(iid), RoutingProfileId: id, DefaultOutboundQueueId: aws.String(sales)})
			return err
		}, func(rp *types.RoutingProfile) bool { return *rp.DefaultOutboundQueueId == sales }},
		{"name", func() error {
			_, err := env.Client.UpdateRoutingProfileName(ctx, &connect.UpdateRoutingProfileNameInput{InstanceId: aws.String(iid), RoutingProfileId: id, Description: aws.String("new")})
			return err
		}, func(rp *types.RoutingProfile) bool { return *rp.Name == "Sales agents" && *rp.Description == "new" }},
		{"timer", func() error {
			_, err := env.Client.UpdateRoutingProfileAgentAvailabilityTimer(ctx, &connect.UpdateRoutingProfileAgentAvailabilityTimerInput{InstanceId: aws.String(iid), RoutingProfileId: id,
				AgentAvailabilityTimer: types.AgentAvailabilityTimerTimeSinceLastActivity})
			return err
		}, func(rp *types.RoutingProfile) bool {
			return rp.AgentAvailabilityTimer == types.AgentAvailabilityTimerTimeSinceLastActivity
		}},
	}
	for _, s := range steps {
		if err := s.call(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if rp := describe(); !s.check(rp) {
			t.Errorf("after %s: %+v", s.name, rp)
		}
	}
	// ListRoutingProfileQueues pages through the remaining configurations.
	var got []types.RoutingProfileQueueConfigSummary
	p := connect.NewListRoutingProfileQueuesPaginator(env.Client, &connect.ListRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id, MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.RoutingProfileQueueConfigSummaryList...)
	}
	if len(got) != 2 || *got[0].QueueName != "Sales" || got[0].Channel != types.ChannelChat || *got[1].QueueName != "Support" || *got[1].Priority != 9 || got[1].Delay != 99 {
		t.Errorf("queues = %+v", got)
	}

	// A profile in use cannot be deleted; nor can the queue it holds.
	u := agUser(t, env, iid, "seller")
	if _, err := env.Client.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: aws.String(iid), UserId: aws.String(u), RoutingProfileId: id}); err != nil {
		t.Fatal(err)
	}
	if n := *describe().NumberOfAssociatedUsers; n != 1 {
		t.Errorf("NumberOfAssociatedUsers = %d", n)
	}
	_, err = env.Client.DeleteRoutingProfile(ctx, &connect.DeleteRoutingProfileInput{InstanceId: aws.String(iid), RoutingProfileId: id})
	sbtest.APIError(t, err, "ResourceInUseException", http.StatusConflict)
	if _, err := env.Client.DeleteUser(ctx, &connect.DeleteUserInput{InstanceId: aws.String(iid), UserId: aws.String(u)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.DeleteRoutingProfile(ctx, &connect.DeleteRoutingProfileInput{InstanceId: aws.String(iid), RoutingProfileId: id}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: aws.String(iid), RoutingProfileId: id})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestListAndSearchRoutingProfiles(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	hours, basicQ := resBasic(t, env, iid)
	sales := resQueue(t, env, iid, "Sales", hours)
	for i, n := range []string{"Tier one", "Tier two", "Backoffice"} {
		in := agProfileInput(iid, n, basicQ)
		if i == 0 {
			in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(sales, types.ChannelVoice, 1, 0)}
			in.Tags = map[string]string{"tier": "1"}
		}
		if _, err := env.Client.CreateRoutingProfile(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	seen := 0
	p := connect.NewListRoutingProfilesPaginator(env.Client, &connect.ListRoutingProfilesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(3)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen += len(page.RoutingProfileSummaryList)
	}
	if seen != 4 {
		t.Errorf("listed %d profiles, want 4", seen)
	}
	str := func(field, value string, cmp types.StringComparisonType) *types.RoutingProfileSearchCriteria {
		return &types.RoutingProfileSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String(field), Value: aws.String(value), ComparisonType: cmp}}
	}
	tests := []struct {
		name     string
		criteria *types.RoutingProfileSearchCriteria
		filter   *types.RoutingProfileSearchFilter
		want     int
	}{
		{"all", nil, nil, 4},
		{"name prefix", str("name", "tier", types.StringComparisonTypeStartsWith), nil, 2},
		{"associated queue", str("associatedQueueIds", sales, types.StringComparisonTypeExact), nil, 1},
		{"basic queue", str("associatedQueueIds", basicQ, types.StringComparisonTypeExact), nil, 1},
		{"or", &types.RoutingProfileSearchCriteria{OrConditions: []types.RoutingProfileSearchCriteria{*str("name", "Backoffice", types.StringComparisonTypeExact), *str("name", "two", types.StringComparisonTypeContains)}}, nil, 2},
		{"tag", nil, &types.RoutingProfileSearchFilter{TagFilter: &types.ControlPlaneTagFilter{TagCondition: &types.TagCondition{TagKey: aws.String("tier")}}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := env.Client.SearchRoutingProfiles(ctx, &connect.SearchRoutingProfilesInput{InstanceId: aws.String(iid), SearchCriteria: tc.criteria, SearchFilter: tc.filter, MaxResults: aws.Int32(1)})
			if err != nil {
				t.Fatal(err)
			}
			if *out.ApproximateTotalCount != int64(tc.want) {
				t.Errorf("count %d, want %d", *out.ApproximateTotalCount, tc.want)
			}
			n := len(out.RoutingProfiles)
			for out.NextToken != nil {
				out, err = env.Client.SearchRoutingProfiles(ctx, &connect.SearchRoutingProfilesInput{InstanceId: aws.String(iid), SearchCriteria: tc.criteria, SearchFilter: tc.filter, MaxResults: aws.Int32(1), NextToken: out.NextToken})
				if err != nil {
					t.Fatal(err)
				}
				n += len(out.RoutingProfiles)
			}
			if n != tc.want {
				t.Errorf("paged through %d, want %d", n, tc.want)
			}
		})
	}
}

func TestRoutingProfileErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{RoutingProfileQueues: 3, RoutingProfiles: 3})
	ctx := sbtest.Ctx(t)
	hours, basicQ := resBasic(t, env, iid)
	sales := resQueue(t, env, iid, "Sales", hours)
	in := agProfileInput(iid, "Existing", basicQ)
	in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(sales, types.ChannelVoice, 1, 0)}
	existing, err := env.Client.CreateRoutingProfile(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	id := existing.RoutingProfileId
	basicProfile, _ := agBasics(t, env, iid)
	agent := agUser(t, env, iid, "agent")
	var agentQueue string
	qs, _ := env.Client.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String(iid), QueueTypes: []types.QueueType{types.QueueTypeAgent}})
	if len(qs.QueueSummaryList) == 1 {
		agentQueue = *qs.QueueSummaryList[0].Id
	}
	_ = agent
	create := func(c *connect.Client, mod func(*connect.CreateRoutingProfileInput)) error {
		in := agProfileInput(iid, "New", basicQ)
		mod(in)
		_, err := c.CreateRoutingProfile(ctx, in)
		return err
	}
	conc := func(ch types.Channel, n int32) []types.MediaConcurrency {
		return []types.MediaConcurrency{{Channel: ch, Concurrency: aws.Int32(n)}}
	}
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"duplicate name", func() error {
			return create(env.Client, func(in *connect.CreateRoutingProfileInput) { in.Name = aws.String("Existing") })
		}, "DuplicateResourceException", 409},
		{"voice concurrency 2", func() error {
			return create(env.Client, func(in *connect.CreateRoutingProfileInput) { in.MediaConcurrencies = conc(types.ChannelVoice, 2) })
		}, "InvalidParameterException", 400},
		{"chat concurrency 11", func() error {
			return create(env.Raw, func(in *connect.CreateRoutingProfileInput) { in.MediaConcurrencies = conc(types.ChannelChat, 11) })
		}, "InvalidParameterException", 400},
		{"channel twice", func() error {
			return create(env.Client, func(in *connect.CreateRoutingProfileInput) {
				in.MediaConcurrencies = append(conc(types.ChannelChat, 1), conc(types.ChannelChat, 2)...)
			})
		}, "InvalidParameterException", 400},
		{"priority 100", func() error {
			return create(env.Raw, func(in *connect.CreateRoutingProfileInput) {
				in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(sales, types.ChannelVoice, 100, 0)}
			})
		}, "InvalidParameterException", 400},
		{"delay 10000", func() error {
			return create(env.Raw, func(in *connect.CreateRoutingProfileInput) {
				in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(sales, types.ChannelVoice, 1, 10000)}
			})
		}, "InvalidParameterException", 400},
		{"queue channel twice", func() error {
			return create(env.Client, func(in *connect.CreateRoutingProfileInput) {
				in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(sales, types.ChannelVoice, 1, 0), qc(sales, types.ChannelVoice, 2, 0)}
			})
		}, "InvalidParameterException", 400},
		{"eleven queue configs", func() error {
			return create(env.Raw, func(in *connect.CreateRoutingProfileInput) {
				for i := range 11 {
					in.QueueConfigs = append(in.QueueConfigs, qc(fmt.Sprint("q", i), types.ChannelVoice, 1, 0))
				}
			})
		}, "InvalidParameterException", 400},
		{"unknown queue", func() error {
			return create(env.Client, func(in *connect.CreateRoutingProfileInput) {
				in.QueueConfigs = []types.RoutingProfileQueueConfig{qc("nope", types.ChannelVoice, 1, 0)}
			})
		}, "ResourceNotFoundException", 404},
		{"agent queue", func() error {
			return create(env.Client, func(in *connect.CreateRoutingProfileInput) {
				in.QueueConfigs = []types.RoutingProfileQueueConfig{qc(agentQueue, types.ChannelVoice, 1, 0)}
			})
		}, "InvalidRequestException", 400},
		{"unknown outbound queue", func() error {
			return create(env.Client, func(in *connect.CreateRoutingProfileInput) { in.DefaultOutboundQueueId = aws.String("nope") })
		}, "ResourceNotFoundException", 404},
		{"missing description", func() error {
			return create(env.Raw, func(in *connect.CreateRoutingProfileInput) { in.Description = nil })
		}, "InvalidParameterException", 400},
		{"describe unknown", func() error {
			_, err := env.Client.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: aws.String(iid), RoutingProfileId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"describe unknown instance", func() error {
			_, err := env.Client.DescribeRoutingProfile(ctx, &connect.DescribeRoutingProfileInput{InstanceId: aws.String("nope"), RoutingProfileId: id})
			return err
		}, "ResourceNotFoundException", 404},
		{"list page size", func() error {
			_, err := env.Raw.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(1001)})
			return err
		}, "InvalidParameterException", 400},
		{"list queues page size", func() error {
			_, err := env.Raw.ListRoutingProfileQueues(ctx, &connect.ListRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id, MaxResults: aws.Int32(101)})
			return err
		}, "InvalidParameterException", 400},
		{"search bad field", func() error {
			_, err := env.Client.SearchRoutingProfiles(ctx, &connect.SearchRoutingProfilesInput{InstanceId: aws.String(iid),
				SearchCriteria: &types.RoutingProfileSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("colour"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}}})
			return err
		}, "InvalidParameterException", 400},
		{"associate already associated", func() error {
			_, err := env.Client.AssociateRoutingProfileQueues(ctx, &connect.AssociateRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id,
				QueueConfigs: []types.RoutingProfileQueueConfig{qc(sales, types.ChannelVoice, 3, 0)}})
			return err
		}, "InvalidRequestException", 400},
		{"associate over the pair quota", func() error {
			_, err := env.Client.AssociateRoutingProfileQueues(ctx, &connect.AssociateRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id,
				QueueConfigs: []types.RoutingProfileQueueConfig{qc(sales, types.ChannelChat, 1, 0), qc(sales, types.ChannelTask, 1, 0), qc(sales, types.ChannelEmail, 1, 0)}})
			return err
		}, "InvalidRequestException", 400},
		{"associate nothing", func() error {
			_, err := env.Client.AssociateRoutingProfileQueues(ctx, &connect.AssociateRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id})
			return err
		}, "InvalidParameterException", 400},
		{"update unassociated", func() error {
			_, err := env.Client.UpdateRoutingProfileQueues(ctx, &connect.UpdateRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id,
				QueueConfigs: []types.RoutingProfileQueueConfig{qc(sales, types.ChannelChat, 3, 0)}})
			return err
		}, "InvalidRequestException", 400},
		{"update queues missing", func() error {
			_, err := env.Raw.UpdateRoutingProfileQueues(ctx, &connect.UpdateRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id})
			return err
		}, "InvalidParameterException", 400},
		{"disassociate eleven", func() error {
			refs := make([]types.RoutingProfileQueueReference, 11)
			for i := range refs {
				refs[i] = types.RoutingProfileQueueReference{QueueId: aws.String(sales), Channel: types.ChannelVoice}
			}
			_, err := env.Client.DisassociateRoutingProfileQueues(ctx, &connect.DisassociateRoutingProfileQueuesInput{InstanceId: aws.String(iid), RoutingProfileId: id, QueueReferences: refs})
			return err
		}, "InvalidParameterException", 400},
		{"concurrency missing", func() error {
			_, err := env.Raw.UpdateRoutingProfileConcurrency(ctx, &connect.UpdateRoutingProfileConcurrencyInput{InstanceId: aws.String(iid), RoutingProfileId: id})
			return err
		}, "InvalidParameterException", 400},
		{"concurrency voice 2", func() error {
			_, err := env.Client.UpdateRoutingProfileConcurrency(ctx, &connect.UpdateRoutingProfileConcurrencyInput{InstanceId: aws.String(iid), RoutingProfileId: id, MediaConcurrencies: conc(types.ChannelVoice, 2)})
			return err
		}, "InvalidParameterException", 400},
		{"outbound queue unknown", func() error {
			_, err := env.Client.UpdateRoutingProfileDefaultOutboundQueue(ctx, &connect.UpdateRoutingProfileDefaultOutboundQueueInput{InstanceId: aws.String(iid), RoutingProfileId: id, DefaultOutboundQueueId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"outbound queue missing", func() error {
			_, err := env.Raw.UpdateRoutingProfileDefaultOutboundQueue(ctx, &connect.UpdateRoutingProfileDefaultOutboundQueueInput{InstanceId: aws.String(iid), RoutingProfileId: id})
			return err
		}, "InvalidParameterException", 400},
		{"rename to taken", func() error {
			_, err := env.Client.UpdateRoutingProfileName(ctx, &connect.UpdateRoutingProfileNameInput{InstanceId: aws.String(iid), RoutingProfileId: id, Name: aws.String(domain.DefaultRoutingProfileName)})
			return err
		}, "DuplicateResourceException", 409},
		{"rename nothing", func() error {
			_, err := env.Client.UpdateRoutingProfileName(ctx, &connect.UpdateRoutingProfileNameInput{InstanceId: aws.String(iid), RoutingProfileId: id})
			return err
		}, "InvalidRequestException", 400},
		{"timer bad", func() error {
			_, err := env.Raw.UpdateRoutingProfileAgentAvailabilityTimer(ctx, &connect.UpdateRoutingProfileAgentAvailabilityTimerInput{InstanceId: aws.String(iid), RoutingProfileId: id, AgentAvailabilityTimer: "SOMETIMES"})
			return err
		}, "InvalidParameterException", 400},
		{"delete default", func() error {
			_, err := env.Client.DeleteRoutingProfile(ctx, &connect.DeleteRoutingProfileInput{InstanceId: aws.String(iid), RoutingProfileId: aws.String(basicProfile)})
			return err
		}, "ResourceInUseException", 409},
		{"delete unknown", func() error {
			_, err := env.Client.DeleteRoutingProfile(ctx, &connect.DeleteRoutingProfileInput{InstanceId: aws.String(iid), RoutingProfileId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
	// Basic and Existing hold 2 of 3 routing profiles.
	if err := create(env.Client, func(*connect.CreateRoutingProfileInput) {}); err != nil {
		t.Fatal(err)
	}
	err = create(env.Client, func(in *connect.CreateRoutingProfileInput) { in.Name = aws.String("Fourth") })
	sbtest.APIError(t, err, "LimitExceededException", http.StatusTooManyRequests)
}
