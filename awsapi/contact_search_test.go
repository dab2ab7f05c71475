package awsapi_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// searchFixture starts five contacts a minute apart:
//
//	alpha  TASK  Start      "Alpha billing"  tier=gold region=eu
//	chat   CHAT  Start+1m                    tier=silver
//	beta   EMAIL Start+2m   "Beta"           (CreateContact EMAIL/FLOW), stopped at Start+4m
//	gamma  TASK  Start+3m   "Gamma billing"  tier=gold, scheduled at Start+2h
//	delta  TASK  Start+4m   "Delta"          queued in BasicQueue
//
// The API tests run without the runtime, so nothing is queued by a flow;
// delta is placed in BasicQueue the way the runtime does it after a flow's
// TransferContactToQueue (Service.ApplyFlow).
type searchFixture struct {
	*ctEnv
	alpha, chat, beta, gamma, delta string
	queue                           string
}

func newSearchFixture(t *testing.T) *searchFixture {
	e := newCT(t)
	f := &searchFixture{ctEnv: e}
	_, f.queue = resBasic(t, e.Env, e.iid)
	f.alpha = e.task("Alpha billing", func(in *connect.StartTaskContactInput) {
		in.Attributes = map[string]string{"tier": "gold", "region": "eu"}
	})
	e.Clock.Advance(time.Minute)
	f.chat = *e.chat(func(in *connect.StartChatContactInput) { in.Attributes = map[string]string{"tier": "silver"} }).ContactId
	e.Clock.Advance(time.Minute)
	b, err := e.Client.CreateContact(e.ctx(), &connect.CreateContactInput{InstanceId: aws.String(e.iid), Channel: types.ChannelEmail, InitiationMethod: types.ContactInitiationMethodFlow, Name: aws.String("Beta")})
	if err != nil {
		t.Fatal(err)
	}
	f.beta = *b.ContactId
	e.Clock.Advance(time.Minute)
	f.gamma = e.task("Gamma billing", func(in *connect.StartTaskContactInput) {
		in.Attributes = map[string]string{"tier": "gold"}
		in.ScheduledTime = aws.Time(sbtest.Start.Add(2 * time.Hour))
	})
	e.Clock.Advance(time.Minute)
	f.delta = e.task("Delta")
	if _, err := e.Service.ApplyFlow(e.ctx(), e.iid, f.delta, domain.FlowEffects{Enqueue: true, TargetQueueID: f.queue}); err != nil {
		t.Fatal(err)
	}
	e.stop(f.beta)
	return f
}

func (f *searchFixture) search(t *testing.T, in *connect.SearchContactsInput) (*connect.SearchContactsOutput, error) {
	in.InstanceId = aws.String(f.iid)
	if in.TimeRange == nil {
		in.TimeRange = window(types.SearchContactsTimeRangeTypeInitiationTimestamp, sbtest.Start, sbtest.Start.Add(time.Hour))
	}
	return f.Raw.SearchContacts(sbtest.Ctx(t), in)
}

func window(typ types.SearchContactsTimeRangeType, from, to time.Time) *types.SearchContactsTimeRange {
	return &types.SearchContactsTimeRange{Type: typ, StartTime: aws.Time(from), EndTime: aws.Time(to)}
}

func ids(cs []types.ContactSearchSummary) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, aws.ToString(c.Id))
	}
	return out
}

func TestSearchContacts(t *testing.T) {
	t.Parallel()
	f := newSearchFixture(t)
	m := sbtest.Start.Add
	cases := []struct {
		name string
		in   connect.SearchContactsInput
		want []string
	}{
		{"all, newest first", connect.SearchContactsInput{}, []string{f.delta, f.gamma, f.beta, f.chat, f.alpha}},
		{"start inclusive end exclusive", connect.SearchContactsInput{TimeRange: window(types.SearchContactsTimeRangeTypeInitiationTimestamp, m(time.Minute), m(3*time.Minute))}, []string{f.beta, f.chat}},
		{"scheduled", connect.SearchContactsInput{TimeRange: window(types.SearchContactsTimeRangeTypeScheduledTimestamp, m(time.Hour), m(3*time.Hour))}, []string{f.gamma}},
		{"disconnected", connect.SearchContactsInput{TimeRange: window(types.SearchContactsTimeRangeTypeDisconnectTimestamp, sbtest.Start, m(time.Hour))}, []string{f.beta}},
		{"enqueued", connect.SearchContactsInput{TimeRange: window(types.SearchContactsTimeRangeTypeEnqueueTimestamp, sbtest.Start, m(time.Hour))}, []string{f.delta}},
		{"channel", connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{Channels: []types.Channel{types.ChannelChat, types.ChannelEmail}}}, []string{f.beta, f.chat}},
		{"initiation method", connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{InitiationMethods: []types.ContactInitiationMethod{types.ContactInitiationMethodFlow}}}, []string{f.beta}},
		{"queue", connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{QueueIds: []string{f.queue}}}, []string{f.delta}},
		{"name match all", connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{Name: &types.NameCriteria{MatchType: types.SearchContactsMatchTypeMatchAll, SearchText: []string{"BILLING", "alpha"}}}}, []string{f.alpha}},
		{"name match any", connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{Name: &types.NameCriteria{MatchType: types.SearchContactsMatchTypeMatchAny, SearchText: []string{"alpha", "gamma"}}}}, []string{f.gamma, f.alpha}},
		{"attributes match all", connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{SearchableContactAttributes: &types.SearchableContactAttributes{
			MatchType: types.SearchContactsMatchTypeMatchAll, Criteria: []types.SearchableContactAttributesCriteria{
				{Key: aws.String("tier"), Values: []string{"gold"}}, {Key: aws.String("region"), Values: []string{"eu"}}}}}}, []string{f.alpha}},
		{"attributes match any", connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{SearchableContactAttributes: &types.SearchableContactAttributes{
			MatchType: types.SearchContactsMatchTypeMatchAny, Criteria: []types.SearchableContactAttributesCriteria{
				{Key: aws.String("tier"), Values: []string{"silver"}}, {Key: aws.String("region"), Values: []string{"eu"}}}}}}, []string{f.chat, f.alpha}},
		{"criteria are AND-ed", connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{Channels: []types.Channel{types.ChannelTask},
			SearchableContactAttributes: &types.SearchableContactAttributes{MatchType: types.SearchContactsMatchTypeMatchAll,
				Criteria: []types.SearchableContactAttributesCriteria{{Key: aws.String("tier"), Values: []string{"gold", "silver"}}}}}}, []string{f.gamma, f.alpha}},
		{"ascending", connect.SearchContactsInput{Sort: &types.Sort{FieldName: types.SortableFieldNameInitiationTimestamp, Order: types.SortOrderAscending}}, []string{f.alpha, f.chat, f.beta, f.gamma, f.delta}},
		{"by channel", connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{Channels: []types.Channel{types.ChannelChat, types.ChannelEmail}},
			Sort: &types.Sort{FieldName: types.SortableFieldNameChannel, Order: types.SortOrderAscending}}, []string{f.chat, f.beta}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := tc.in
			out, err := f.search(t, &in)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(out.Contacts); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("contacts = %v, want %v", got, tc.want)
			}
			ctEq(t, "TotalCount", aws.ToInt64(out.TotalCount), int64(len(tc.want)))
		})
	}
	t.Run("summary fields", func(t *testing.T) {
		out, err := f.search(t, &connect.SearchContactsInput{SearchCriteria: &types.SearchCriteria{QueueIds: []string{f.queue}}})
		if err != nil || len(out.Contacts) != 1 {
			t.Fatalf("%v %d", err, len(out.Contacts))
		}
		c := out.Contacts[0]
		ctEq(t, "Name", aws.ToString(c.Name), "Delta")
		ctEq(t, "Channel", c.Channel, types.ChannelTask)
		ctTime(t, "InitiationTimestamp", c.InitiationTimestamp, sbtest.Start.Add(4*time.Minute))
		if c.QueueInfo == nil || aws.ToString(c.QueueInfo.Id) != f.queue {
			t.Errorf("QueueInfo = %+v", c.QueueInfo)
		}
		if !strings.HasSuffix(aws.ToString(c.Arn), "/contact/"+f.delta) {
			t.Errorf("Arn = %s", aws.ToString(c.Arn))
		}
	})
}

func TestSearchContactsPaging(t *testing.T) {
	t.Parallel()
	f := newSearchFixture(t)
	var got []string
	var tok *string
	for page := 0; ; page++ {
		out, err := f.search(t, &connect.SearchContactsInput{MaxResults: aws.Int32(2), NextToken: tok})
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		ctEq(t, "TotalCount", aws.ToInt64(out.TotalCount), 5)
		got = append(got, ids(out.Contacts)...)
		if out.NextToken == nil {
			ctEq(t, "pages", page, 2)
			break
		}
		if len(out.Contacts) != 2 {
			t.Fatalf("page %d has %d contacts", page, len(out.Contacts))
		}
		tok = out.NextToken
		if page == 0 {
			_, err := f.search(t, &connect.SearchContactsInput{MaxResults: aws.Int32(2), NextToken: tok, SearchCriteria: &types.SearchCriteria{Channels: []types.Channel{types.ChannelTask}}})
			ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "other parameters")
		}
	}
	if want := []string{f.delta, f.gamma, f.beta, f.chat, f.alpha}; !reflect.DeepEqual(got, want) {
		t.Errorf("paged = %v, want %v", got, want)
	}
	for _, tc := range []struct {
		name string
		in   connect.SearchContactsInput
		says string
	}{
		{"start after end", connect.SearchContactsInput{TimeRange: window(types.SearchContactsTimeRangeTypeInitiationTimestamp, sbtest.Start.Add(time.Hour), sbtest.Start)}, "before"},
		{"bad token", connect.SearchContactsInput{NextToken: aws.String("###")}, "NextToken"},
		{"missing time range type (model)", connect.SearchContactsInput{TimeRange: &types.SearchContactsTimeRange{StartTime: aws.Time(sbtest.Start), EndTime: aws.Time(sbtest.Start.Add(time.Hour))}}, "TimeRange.Type"},
		{"bad time range type (model)", connect.SearchContactsInput{TimeRange: window("WHENEVER", sbtest.Start, sbtest.Start.Add(time.Hour))}, "TimeRange.Type"},
		{"max results 101 (model)", connect.SearchContactsInput{MaxResults: aws.Int32(101)}, "MaxResults"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			_, err := f.search(t, &in)
			ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), tc.says)
		})
	}
}
