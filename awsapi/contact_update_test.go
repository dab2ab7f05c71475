package awsapi_test

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// attrsOfBytes returns one attribute whose key and value together are n
// UTF-8 bytes, mostly 3-byte characters, so that a byte limit cannot be
// mistaken for a character limit.
func attrsOfBytes(n int) map[string]string {
	v := strings.Repeat("€", (n-1)/3) + strings.Repeat("a", (n-1)%3)
	return map[string]string{"k": v}
}

func TestContactAttributesLimits(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	if n := len("k") + len(attrsOfBytes(32768)["k"]); n != 32768 {
		t.Fatalf("fixture is %d bytes", n)
	}
	id := e.task("limit", func(in *connect.StartTaskContactInput) { in.Attributes = attrsOfBytes(32768) })
	_, err := e.Client.StartTaskContact(e.ctx(), &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("over"),
		ContactFlowId: aws.String(e.flow), Attributes: attrsOfBytes(32769)})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "32769 bytes", "32768")

	upd := func(a map[string]string) error {
		_, err := e.Client.UpdateContactAttributes(e.ctx(), &connect.UpdateContactAttributesInput{InstanceId: aws.String(e.iid), InitialContactId: aws.String(id), Attributes: a})
		return err
	}
	ctContains(t, sbtest.APIError(t, upd(map[string]string{"b": "c"}), "InvalidParameterException", 400), "32770 bytes")
	// An empty value removes the attribute, which makes room in the same call.
	if err := upd(map[string]string{"k": "", "b": "c"}); err != nil {
		t.Fatal(err)
	}
	if got := e.attrs(id); !reflect.DeepEqual(got, map[string]string{"b": "c"}) {
		t.Errorf("attributes = %v, want only b", got)
	}
	// Related contacts copy attributes, so the copy counts towards the new
	// contact's limit too.
	e.setAttrs(id, attrsOfBytes(32766))
	_, err = e.Client.StartTaskContact(e.ctx(), &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("rel"),
		ContactFlowId: aws.String(e.flow), RelatedContactId: aws.String(id), Attributes: map[string]string{"x": "y"}})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "32770 bytes")
}

func TestContactAttributesKeys(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	id := e.task("keys")
	for _, tc := range []struct {
		key string
		ok  bool
	}{
		{"Az09-_", true}, {"a b", false}, {"a.b", false}, {"clé", false}, {"a:b", false}, {"", false},
	} {
		t.Run(fmt.Sprintf("%q", tc.key), func(t *testing.T) {
			_, err := e.Raw.UpdateContactAttributes(sbtest.Ctx(t), &connect.UpdateContactAttributesInput{InstanceId: aws.String(e.iid), InitialContactId: aws.String(id), Attributes: map[string]string{tc.key: "v"}})
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			msg := sbtest.APIError(t, err, "InvalidParameterException", 400)
			if tc.key != "" {
				ctContains(t, msg, "letters, digits")
			}
		})
	}
}

func TestContactAttributesEndedAndUnknown(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	id := e.task("ended", func(in *connect.StartTaskContactInput) { in.Attributes = map[string]string{"a": "1"} })
	e.stop(id)
	e.Clock.Advance(time.Hour)
	e.setAttrs(id, map[string]string{"after": "end", "a": ""})
	if got := e.attrs(id); !reflect.DeepEqual(got, map[string]string{"after": "end"}) {
		t.Errorf("attributes = %v", got)
	}
	ctTime(t, "LastUpdateTimestamp", e.describe(id).LastUpdateTimestamp, sbtest.Start.Add(time.Hour))
	_, err := e.Client.GetContactAttributes(e.ctx(), &connect.GetContactAttributesInput{InstanceId: aws.String(e.iid), InitialContactId: aws.String("nope")})
	ctContains(t, sbtest.APIError(t, err, "ResourceNotFoundException", 404), "nope")
	_, err = e.Client.UpdateContactAttributes(e.ctx(), &connect.UpdateContactAttributesInput{InstanceId: aws.String(e.iid), InitialContactId: aws.String("nope"), Attributes: map[string]string{"a": "b"}})
	ctContains(t, sbtest.APIError(t, err, "ResourceNotFoundException", 404), "nope")
	_, err = e.Raw.UpdateContactAttributes(e.ctx(), &connect.UpdateContactAttributesInput{InstanceId: aws.String(e.iid), InitialContactId: aws.String(id)})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "Attributes")
}

func TestUpdateContact(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	id := e.task("before", func(in *connect.StartTaskContactInput) {
		in.References = map[string]types.Reference{"a": strRef(types.ReferenceTypeString, "1")}
	})
	upd := func(in *connect.UpdateContactInput) error {
		in.InstanceId = aws.String(e.iid)
		if in.ContactId == nil {
			in.ContactId = aws.String(id)
		}
		_, err := e.Raw.UpdateContact(e.ctx(), in)
		return err
	}
	e.Clock.Advance(5 * time.Minute)
	err := upd(&connect.UpdateContactInput{Name: aws.String("after"), Description: aws.String("d"),
		References: map[string]types.Reference{
			"b":    {Type: types.ReferenceTypeAttachment, Value: aws.String("https://a.example/f"), Status: types.ReferenceStatusApproved},
			"mail": {Type: types.ReferenceTypeEmailMessage, Value: aws.String("m")},
		},
		SegmentAttributes: map[string]types.SegmentAttributeValue{
			"connect:ContactExpiry": {ValueMap: map[string]types.SegmentAttributeValue{"ExpiryDuration": {ValueInteger: aws.Int32(60)}}},
			"note":                  segStr("x"),
		}})
	if err != nil {
		t.Fatal(err)
	}
	c := e.describe(id)
	ctEq(t, "Name", aws.ToString(c.Name), "after")
	ctEq(t, "Description", aws.ToString(c.Description), "d")
	ctTime(t, "LastUpdateTimestamp", c.LastUpdateTimestamp, sbtest.Start.Add(5*time.Minute))
	ctEq(t, "segment note", aws.ToString(c.SegmentAttributes["note"].ValueString), "x")

	// UpdateContact works after StopContact.
	e.stop(id)
	if err := upd(&connect.UpdateContactInput{Name: aws.String("closed")}); err != nil {
		t.Fatalf("update after stop: %v", err)
	}
	ctEq(t, "Name after stop", aws.ToString(e.describe(id).Name), "closed")

	voice, err := e.Client.CreateContact(e.ctx(), &connect.CreateContactInput{InstanceId: aws.String(e.iid), Channel: types.ChannelVoice, InitiationMethod: types.ContactInitiationMethodTransfer})
	if err != nil {
		t.Fatal(err)
	}
	_, queueID := resBasic(t, e.Env, e.iid)
	err = upd(&connect.UpdateContactInput{ContactId: voice.ContactId, QueueInfo: &types.QueueInfoInput{Id: aws.String(queueID)},
		UserInfo:         &types.UserInfo{UserId: aws.String(e.agentID())},
		CustomerEndpoint: &types.Endpoint{Type: types.EndpointTypeTelephoneNumber, Address: aws.String("+14155550123")},
		SystemEndpoint:   &types.Endpoint{Type: types.EndpointTypeTelephoneNumber, Address: aws.String("+12065550100")}})
	if err != nil {
		t.Fatalf("external audio update: %v", err)
	}
	err = upd(&connect.UpdateContactInput{ContactId: voice.ContactId, UserInfo: &types.UserInfo{UserId: aws.String("nobody")}})
	ctContains(t, sbtest.APIError(t, err, "ResourceNotFoundException", 404), "nobody")
	v := e.describe(*voice.ContactId)
	if v.QueueInfo == nil || aws.ToString(v.QueueInfo.Id) != queueID || v.AgentInfo == nil || aws.ToString(v.AgentInfo.Id) != e.agentID() {
		t.Errorf("QueueInfo %+v AgentInfo %+v", v.QueueInfo, v.AgentInfo)
	}
	if v.CustomerEndpoint == nil || aws.ToString(v.CustomerEndpoint.Address) != "+14155550123" || v.SystemEndpoint == nil || aws.ToString(v.SystemEndpoint.Address) != "+12065550100" {
		t.Errorf("endpoints %+v %+v", v.CustomerEndpoint, v.SystemEndpoint)
	}

	for _, tc := range []struct {
		name   string
		in     connect.UpdateContactInput
		exc    string
		status int
		says   string
	}{
		{"nothing to update", connect.UpdateContactInput{}, "InvalidRequestException", 400, "at least one"},
		{"queue on a task", connect.UpdateContactInput{QueueInfo: &types.QueueInfoInput{Id: aws.String(queueID)}}, "InvalidRequestException", 400, "external audio"},
		{"user on a task", connect.UpdateContactInput{UserInfo: &types.UserInfo{UserId: aws.String("u")}}, "InvalidRequestException", 400, "external audio"},
		{"unknown queue", connect.UpdateContactInput{ContactId: voice.ContactId, QueueInfo: &types.QueueInfoInput{Id: aws.String("nope")}}, "ResourceNotFoundException", 404, "nope"},
		{"subtype change", connect.UpdateContactInput{SegmentAttributes: map[string]types.SegmentAttributeValue{"connect:Subtype": segStr("connect:Chat")}}, "InvalidRequestException", 400, "connect:Subtype"},
		{"bad expiry", connect.UpdateContactInput{SegmentAttributes: map[string]types.SegmentAttributeValue{
			"connect:ContactExpiry": {ValueMap: map[string]types.SegmentAttributeValue{"ExpiryDuration": {ValueInteger: aws.Int32(0)}}}}}, "InvalidParameterException", 400, "ExpiryDuration"},
		{"bad url reference", connect.UpdateContactInput{References: map[string]types.Reference{"u": strRef(types.ReferenceTypeUrl, "not a url")}}, "InvalidParameterException", 400, "http(s) URL"},
		{"unknown contact", connect.UpdateContactInput{ContactId: aws.String("nope"), Name: aws.String("x")}, "ResourceNotFoundException", 404, "nope"},
		{"name too long (model)", connect.UpdateContactInput{Name: aws.String(strings.Repeat("n", 1025))}, "InvalidParameterException", 400, "Name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			ctContains(t, sbtest.APIError(t, upd(&in), tc.exc, tc.status), tc.says)
		})
	}
}

// TestSegmentAttributes: every value form round-trips exactly; ValueList and
// ValueArn are for system keys only.
func TestSegmentAttributes(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	arn := "arn:aws:connect:us-east-1:123456789012:instance/x/queue/y"
	good := map[string]types.SegmentAttributeValue{
		"s":            segStr(""),
		"i":            {ValueInteger: aws.Int32(-3)},
		"m":            {ValueMap: map[string]types.SegmentAttributeValue{"deep": {ValueMap: map[string]types.SegmentAttributeValue{"n": {ValueInteger: aws.Int32(1)}}}}},
		"connect:List": {ValueList: []types.SegmentAttributeValue{segStr("a"), {ValueInteger: aws.Int32(2)}}},
		"connect:Arn":  {ValueArn: aws.String(arn)},
	}
	id := e.task("segs", func(in *connect.StartTaskContactInput) { in.SegmentAttributes = good })
	if got := e.describe(id).SegmentAttributes; !reflect.DeepEqual(got, good) {
		t.Errorf("round trip:\n got %#v\nwant %#v", got, good)
	}
	for _, tc := range []struct {
		name string
		segs map[string]types.SegmentAttributeValue
		says string
	}{
		{"list on user key", map[string]types.SegmentAttributeValue{"l": {ValueList: []types.SegmentAttributeValue{segStr("a")}}}, "system-defined"},
		{"arn on user key", map[string]types.SegmentAttributeValue{"a": {ValueArn: aws.String(arn)}}, "system-defined"},
		{"arn nested in user map", map[string]types.SegmentAttributeValue{"m": {ValueMap: map[string]types.SegmentAttributeValue{"a": {ValueArn: aws.String(arn)}}}}, "m.a"},
		{"two values", map[string]types.SegmentAttributeValue{"x": {ValueString: aws.String("a"), ValueInteger: aws.Int32(1)}}, "exactly one"},
		{"no value", map[string]types.SegmentAttributeValue{"x": {}}, "exactly one"},
		{"bad key", map[string]types.SegmentAttributeValue{"a b": segStr("x")}, "a b"},
		{"expiry not a map", map[string]types.SegmentAttributeValue{"connect:ContactExpiry": {ValueInteger: aws.Int32(5)}}, "ExpiryDuration"},
		{"expiry over 90 days", map[string]types.SegmentAttributeValue{"connect:ContactExpiry": {ValueMap: map[string]types.SegmentAttributeValue{"ExpiryDuration": {ValueInteger: aws.Int32(129601)}}}}, "129601"},
		{"subtype not a string", map[string]types.SegmentAttributeValue{"connect:Subtype": {ValueInteger: aws.Int32(1)}}, "connect:Subtype"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Raw.StartTaskContact(sbtest.Ctx(t), &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("x"), ContactFlowId: aws.String(e.flow), SegmentAttributes: tc.segs})
			ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), tc.says)
		})
	}
}

func TestListContactReferences(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	refs := map[string]types.Reference{
		"site": strRef(types.ReferenceTypeUrl, "https://a.example"),
		"mail": strRef(types.ReferenceTypeEmail, "a@b.example"),
		"num":  strRef(types.ReferenceTypeNumber, "4"),
		"day":  strRef(types.ReferenceTypeDate, "1772442000"),
	}
	for i := range 150 {
		refs[fmt.Sprintf("s%03d", i)] = strRef(types.ReferenceTypeString, fmt.Sprint(i))
	}
	id := e.task("refs", func(in *connect.StartTaskContactInput) { in.References = refs })
	list := func(tok *string, typ ...types.ReferenceType) *connect.ListContactReferencesOutput {
		t.Helper()
		out, err := e.Client.ListContactReferences(e.ctx(), &connect.ListContactReferencesInput{InstanceId: aws.String(e.iid), ContactId: aws.String(id), ReferenceTypes: typ, NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	one := list(nil, types.ReferenceTypeUrl, types.ReferenceTypeEmail)
	if len(one.ReferenceSummaryList) != 2 || one.NextToken != nil {
		t.Fatalf("URL+EMAIL: %d items, next %v", len(one.ReferenceSummaryList), one.NextToken)
	}
	// Ordered by name: mail, site.
	m, ok := one.ReferenceSummaryList[0].(*types.ReferenceSummaryMemberEmail)
	if !ok || aws.ToString(m.Value.Name) != "mail" || aws.ToString(m.Value.Value) != "a@b.example" {
		t.Errorf("first = %#v", one.ReferenceSummaryList[0])
	}
	if u, ok := one.ReferenceSummaryList[1].(*types.ReferenceSummaryMemberUrl); !ok || aws.ToString(u.Value.Value) != "https://a.example" {
		t.Errorf("second = %#v", one.ReferenceSummaryList[1])
	}
	if d, ok := list(nil, types.ReferenceTypeDate).ReferenceSummaryList[0].(*types.ReferenceSummaryMemberDate); !ok || aws.ToString(d.Value.Value) != "1772442000" {
		t.Errorf("date reference not listed")
	}
	// 150 strings: a page of 100 and one of 50.
	p1 := list(nil, types.ReferenceTypeString)
	if len(p1.ReferenceSummaryList) != 100 || p1.NextToken == nil {
		t.Fatalf("page 1: %d items, next %v", len(p1.ReferenceSummaryList), p1.NextToken)
	}
	p2 := list(p1.NextToken, types.ReferenceTypeString)
	if len(p2.ReferenceSummaryList) != 50 || p2.NextToken != nil {
		t.Fatalf("page 2: %d items, next %v", len(p2.ReferenceSummaryList), p2.NextToken)
	}
	var names []string
	for _, r := range append(p1.ReferenceSummaryList, p2.ReferenceSummaryList...) {
		names = append(names, aws.ToString(r.(*types.ReferenceSummaryMemberString).Value.Name))
	}
	if !sort.StringsAreSorted(names) || names[0] != "s000" || names[149] != "s149" {
		t.Errorf("names not the 150 strings in order: %v…", names[:3])
	}
	if n := len(list(nil, types.ReferenceTypeAttachment).ReferenceSummaryList); n != 0 {
		t.Errorf("ATTACHMENT: %d items", n)
	}

	_, err := e.Client.ListContactReferences(e.ctx(), &connect.ListContactReferencesInput{InstanceId: aws.String(e.iid), ContactId: aws.String(id),
		ReferenceTypes: []types.ReferenceType{types.ReferenceTypeString}, NextToken: aws.String("garbage!")})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "NextToken")
	_, err = e.Client.ListContactReferences(e.ctx(), &connect.ListContactReferencesInput{InstanceId: aws.String(e.iid), ContactId: aws.String("nope"), ReferenceTypes: []types.ReferenceType{types.ReferenceTypeUrl}})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = e.Raw.ListContactReferences(e.ctx(), &connect.ListContactReferencesInput{InstanceId: aws.String(e.iid), ContactId: aws.String(id)})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "ReferenceTypes")
}

// TestUpdateContactExpiryOfScheduledTask: a scheduled task's lifetime runs
// from its ScheduledTime, both when started and when connect:ContactExpiry
// is changed later; the expiry is visible through the EXPIRY_TIMESTAMP sort.
func TestUpdateContactExpiryOfScheduledTask(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	plain := e.task("expires in 7 days")
	sched := e.task("starts in 5 days", func(in *connect.StartTaskContactInput) {
		in.ScheduledTime = aws.Time(sbtest.Start.Add(5 * 24 * time.Hour))
	})
	order := func() []string {
		t.Helper()
		out, err := e.Client.SearchContacts(e.ctx(), &connect.SearchContactsInput{InstanceId: aws.String(e.iid),
			TimeRange: &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: aws.Time(sbtest.Start), EndTime: aws.Time(sbtest.Start.Add(time.Hour))},
			Sort:      &types.Sort{FieldName: types.SortableFieldNameExpiryTimestamp, Order: types.SortOrderAscending}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range out.Contacts {
			got = append(got, *c.Id)
		}
		return got
	}
	if got, want := order(), []string{plain, sched}; !reflect.DeepEqual(got, want) {
		t.Fatalf("before update: %v, want %v", got, want)
	}
	// Three days from the scheduled time is day 8, still after the plain
	// task's day 7 (three days from initiation would be day 3).
	_, err := e.Client.UpdateContact(e.ctx(), &connect.UpdateContactInput{InstanceId: aws.String(e.iid), ContactId: aws.String(sched),
		SegmentAttributes: map[string]types.SegmentAttributeValue{
			"connect:ContactExpiry": {ValueMap: map[string]types.SegmentAttributeValue{"ExpiryDuration": {ValueInteger: aws.Int32(3 * 24 * 60)}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := order(), []string{plain, sched}; !reflect.DeepEqual(got, want) {
		t.Errorf("after update: %v, want %v", got, want)
	}
}

// TestNewChainAttributesInFirstRow: a new chain's small attributes stay in
// its first contact's row instead of a record of their own (one B-tree
// write fewer per new task), and are read from there, also after a
// restart. A task joining the chain, or an update, writes the chain's
// record, which wins from then on; large attributes get it at once.
func TestNewChainAttributesInFirstRow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newCTIn(t, dir)
	env := e.Env
	hasRecord := func(e *ctEnv, id string) bool {
		t.Helper()
		var found bool
		err := e.Store().View(e.ctx(), func(tx domain.ReadTx) error {
			_, err := tx.GetRecord(domain.KindAttributes, e.iid, id)
			found = err == nil
			if errors.Is(err, domain.ErrStoreNotFound) {
				err = nil
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return found
	}
	want := func(e *ctEnv, id string, w map[string]string) {
		t.Helper()
		if got := e.attrs(id); !maps.Equal(got, w) {
			t.Errorf("attributes of %s: %v, want %v", id, got, w)
		}
	}

	first := e.task("first", func(in *connect.StartTaskContactInput) { in.Attributes = map[string]string{"customer": "c-42"} })
	bare := e.task("bare")
	updated := e.task("updated", func(in *connect.StartTaskContactInput) { in.Attributes = map[string]string{"tier": "gold"} })
	big := e.task("big", func(in *connect.StartTaskContactInput) { in.Attributes = attrsOfBytes(2000) })
	for _, id := range []string{first, bare, updated} {
		if hasRecord(e, id) {
			t.Errorf("the new chain %s got an attribute record of its own", id)
		}
	}
	if !hasRecord(e, big) {
		t.Error("2,000 bytes of attributes were kept in the contact's row")
	}
	want(e, first, map[string]string{"customer": "c-42"})
	want(e, bare, map[string]string{})
	e.setAttrs(updated, map[string]string{"tier": "platinum", "vip": "yes"})
	if !hasRecord(e, updated) {
		t.Error("an update left no attribute record")
	}

	env.Close()
	env2 := sbtest.New(t, sbtest.Options{DataDir: dir})
	e2 := &ctEnv{Env: env2, t: t, iid: e.iid, flow: e.flow}
	want(e2, first, map[string]string{"customer": "c-42"})
	want(e2, updated, map[string]string{"tier": "platinum", "vip": "yes"})
	want(e2, big, attrsOfBytes(2000))

	// A linked task joins the chain with its own attributes on top: the
	// chain's record now holds both, for every contact of the chain.
	linked := e2.task("linked", func(in *connect.StartTaskContactInput) {
		in.PreviousContactId, in.Attributes = aws.String(first), map[string]string{"step": "2"}
	})
	if !hasRecord(e2, first) {
		t.Error("a task joining the chain left no attribute record")
	}
	both := map[string]string{"customer": "c-42", "step": "2"}
	want(e2, first, both)
	want(e2, linked, both)
}
