package awsapi_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestSearchContactsMoreCriteria: the criteria beyond time, channel, queue,
// method and attributes — contact tags, additional time ranges, the
// agent's hierarchy groups, routing steps' agents and active Regions —
// filter as they say, and the transcript criteria are refused rather than
// ignored.
func TestSearchContactsMoreCriteria(t *testing.T) {
	t.Parallel()
	f := newSearchFixture(t)
	ctx := f.ctx()
	sorted := func(in *connect.SearchContactsInput) []string {
		t.Helper()
		out, err := f.search(t, in)
		if err != nil {
			t.Fatal(err)
		}
		got := ids(out.Contacts)
		slices.Sort(got)
		return got
	}
	want := func(list ...string) []string {
		slices.Sort(list)
		return list
	}

	// Contact tags.
	if _, err := f.Client.TagContact(ctx, &connect.TagContactInput{InstanceId: &f.iid, ContactId: &f.alpha, Tags: map[string]string{"team": "billing"}}); err != nil {
		t.Fatal(err)
	}
	byTag := &connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{ContactTags: &types.ControlPlaneTagFilter{
		TagCondition: &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("billing")}}}}
	if got := sorted(byTag); !slices.Equal(got, want(f.alpha)) {
		t.Errorf("tagged team=billing: %v, want alpha", got)
	}
	// Connect's own tags are searchable too: every contact has the
	// instance's.
	byInstance := &connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{ContactTags: &types.ControlPlaneTagFilter{
		TagCondition: &types.TagCondition{TagKey: aws.String("aws:connect:instanceId"), TagValue: aws.String(f.iid)}}}}
	if got, all := sorted(byInstance), sorted(&connect.SearchContactsInput{}); len(got) == 0 || !slices.Equal(got, all) {
		t.Errorf("tagged aws:connect:instanceId: %v, want every contact %v", got, all)
	}

	// Additional time ranges: not scheduled, and (any of) disconnected in
	// the hour or scheduled.
	notScheduled := &connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{AdditionalTimeRange: &types.SearchContactsAdditionalTimeRange{
		MatchType: types.SearchContactsMatchTypeMatchAll,
		Criteria: []types.SearchContactsAdditionalTimeRangeCriteria{{TimestampCondition: &types.SearchContactsTimestampCondition{
			Type: types.SearchContactsTimeRangeTypeScheduledTimestamp, ConditionType: types.SearchContactsTimeRangeConditionTypeNotExists}}}}}}
	if got := sorted(notScheduled); !slices.Equal(got, want(f.alpha, f.chat, f.beta, f.delta)) {
		t.Errorf("not scheduled: %v", got)
	}
	endedOrScheduled := &connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{AdditionalTimeRange: &types.SearchContactsAdditionalTimeRange{
		MatchType: types.SearchContactsMatchTypeMatchAny,
		Criteria: []types.SearchContactsAdditionalTimeRangeCriteria{
			{TimeRange: window(types.SearchContactsTimeRangeTypeDisconnectTimestamp, sbtest.Start, sbtest.Start.Add(time.Hour))},
			{TimeRange: window(types.SearchContactsTimeRangeTypeScheduledTimestamp, sbtest.Start, sbtest.Start.Add(3*time.Hour))}}}}}
	if got := sorted(endedOrScheduled); !slices.Equal(got, want(f.beta, f.gamma)) {
		t.Errorf("ended or scheduled: %v", got)
	}

	// The agent's hierarchy group: a contact connected to an agent of the
	// EMEA group, another to an agent in no group.
	if err := hierStructure(t, f.Env, f.iid, "Region"); err != nil {
		t.Fatal(err)
	}
	emea := hierGroup(t, f.Env, f.iid, "EMEA", "")
	inGroup, loner := agUser(t, f.Env, f.iid, "ines"), agUser(t, f.Env, f.iid, "lou")
	if _, err := f.Client.UpdateUserHierarchy(ctx, &connect.UpdateUserHierarchyInput{InstanceId: &f.iid, UserId: &inGroup, HierarchyGroupId: &emea}); err != nil {
		t.Fatal(err)
	}
	connected := func(user string) string {
		out, err := f.Client.CreateContact(ctx, &connect.CreateContactInput{InstanceId: &f.iid, Channel: types.ChannelVoice,
			InitiationMethod: types.ContactInitiationMethodTransfer, InitiateAs: types.InitiateAsConnectedToUser, UserInfo: &types.UserInfo{UserId: &user}})
		if err != nil {
			t.Fatal(err)
		}
		return *out.ContactId
	}
	withIngroup, withLoner := connected(inGroup), connected(loner)
	byGroup := &connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{AgentHierarchyGroups: &types.AgentHierarchyGroups{L1Ids: []string{emea}}}}
	if got := sorted(byGroup); !slices.Equal(got, want(withIngroup)) {
		t.Errorf("agents of EMEA: %v, want only %s (not %s)", got, withIngroup, withLoner)
	}

	// Routing steps naming agents (preferred agents).
	if _, err := f.Client.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: &f.iid, ContactId: &f.delta,
		RoutingCriteria: &types.RoutingCriteriaInput{Steps: []types.RoutingCriteriaInputStep{{Expression: &types.Expression{
			AttributeCondition: &types.AttributeCondition{ComparisonOperator: aws.String("Match"),
				MatchCriteria: &types.MatchCriteria{AgentsCriteria: &types.AgentsCriteria{AgentIds: []string{inGroup, loner}}}}}}}}}); err != nil {
		t.Fatal(err)
	}
	byAgents := func(match types.SearchContactsMatchType, agents ...string) *connect.SearchContactsInput {
		return &connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{RoutingCriteria: &types.SearchableRoutingCriteria{
			Steps: []types.SearchableRoutingCriteriaStep{{AgentCriteria: &types.SearchableAgentCriteriaStep{AgentIds: agents, MatchType: match}}}}}}
	}
	if got := sorted(byAgents(types.SearchContactsMatchTypeMatchAll, inGroup, loner)); !slices.Equal(got, want(f.delta)) {
		t.Errorf("routed to both agents: %v, want delta", got)
	}
	if got := sorted(byAgents(types.SearchContactsMatchTypeMatchAll, inGroup, "someone-else")); len(got) != 0 {
		t.Errorf("routed to an agent it does not name: %v", got)
	}
	if got := sorted(byAgents(types.SearchContactsMatchTypeMatchAny, "someone-else", loner)); !slices.Equal(got, want(f.delta)) {
		t.Errorf("routed to any of the agents: %v, want delta", got)
	}

	// Active Regions: this server's one Region, or nothing.
	inRegion := func(regions ...string) *connect.SearchContactsInput {
		return &connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{ActiveRegions: regions}}
	}
	if got := sorted(inRegion("us-east-1", "eu-west-1")); len(got) != 7 {
		t.Errorf("active in us-east-1: %d contacts, want all 7", len(got))
	}
	if got := sorted(inRegion("eu-west-1")); len(got) != 0 {
		t.Errorf("active in eu-west-1: %v", got)
	}

	// Refused rather than ignored.
	_, err := f.search(t, &connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{ContactAnalysis: &types.ContactAnalysis{
		Transcript: &types.Transcript{Criteria: []types.TranscriptCriteria{{ParticipantRole: types.ParticipantRoleCustomer, SearchText: []string{"refund"}, MatchType: types.SearchContactsMatchTypeMatchAny}}}}}})
	sbtest.APIError(t, err, "InvalidRequestException", 400)
	_, err = f.search(t, &connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{AdditionalTimeRange: &types.SearchContactsAdditionalTimeRange{
		MatchType: types.SearchContactsMatchTypeMatchAll, Criteria: []types.SearchContactsAdditionalTimeRangeCriteria{
			{TimeRange: window(types.SearchContactsTimeRangeTypeDisconnectTimestamp, sbtest.Start.Add(time.Hour), sbtest.Start)}}}}})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
}
