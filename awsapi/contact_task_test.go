package awsapi_test

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestStartTaskContactDescribe walks one task through its life and checks
// that DescribeContact shows every field set so far, with exact virtual
// timestamps.
func TestStartTaskContactDescribe(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	segs := map[string]types.SegmentAttributeValue{
		"color":    segStr("blue"),
		"priority": {ValueInteger: aws.Int32(7)},
		"customer": {ValueMap: map[string]types.SegmentAttributeValue{
			"tier":    segStr("gold"),
			"age":     {ValueInteger: aws.Int32(42)},
			"address": {ValueMap: map[string]types.SegmentAttributeValue{"city": segStr("Lyon")}},
		}},
		"connect:ContactExpiry": {ValueMap: map[string]types.SegmentAttributeValue{"ExpiryDuration": {ValueInteger: aws.Int32(120)}}},
	}
	id := e.task("Call back Ana", func(in *connect.StartTaskContactInput) {
		in.Description = aws.String("She asked about her order")
		in.Attributes = map[string]string{"order": "A-17", "lang": "fr"}
		in.References = map[string]types.Reference{"ticket": strRef(types.ReferenceTypeUrl, "https://tickets.example.com/17")}
		in.SegmentAttributes = segs
		in.Attachments = []types.TaskAttachment{{FileName: aws.String("invoice.pdf"), S3Url: aws.String("https://bucket.s3.amazonaws.com/invoice.pdf")}}
	})
	c := e.describe(id)
	wantArn := fmt.Sprintf("arn:aws:connect:us-east-1:123456789012:instance/%s/contact/%s", e.iid, id)
	ctEq(t, "Id", aws.ToString(c.Id), id)
	ctEq(t, "Arn", aws.ToString(c.Arn), wantArn)
	ctEq(t, "InitialContactId", aws.ToString(c.InitialContactId), id)
	ctEq(t, "ContactAssociationId", aws.ToString(c.ContactAssociationId), id)
	ctEq(t, "PreviousContactId", c.PreviousContactId, nil)
	ctEq(t, "RelatedContactId", c.RelatedContactId, nil)
	ctEq(t, "Channel", c.Channel, types.ChannelTask)
	ctEq(t, "InitiationMethod", c.InitiationMethod, types.ContactInitiationMethodApi)
	ctEq(t, "Name", aws.ToString(c.Name), "Call back Ana")
	ctEq(t, "Description", aws.ToString(c.Description), "She asked about her order")
	if c.ContactDetails == nil || aws.ToString(c.ContactDetails.Name) != "Call back Ana" || aws.ToString(c.ContactDetails.Description) != "She asked about her order" {
		t.Errorf("ContactDetails = %+v", c.ContactDetails)
	}
	ctTime(t, "InitiationTimestamp", c.InitiationTimestamp, sbtest.Start)
	ctTime(t, "ConnectedToSystemTimestamp", c.ConnectedToSystemTimestamp, sbtest.Start)
	ctTime(t, "LastUpdateTimestamp", c.LastUpdateTimestamp, sbtest.Start)
	ctTime(t, "ScheduledTimestamp", c.ScheduledTimestamp, time.Time{})
	ctTime(t, "DisconnectTimestamp", c.DisconnectTimestamp, time.Time{})
	ctEq(t, "QueuePriority", aws.ToInt64(c.QueuePriority), 5)
	ctEq(t, "QueueTimeAdjustmentSeconds", aws.ToInt32(c.QueueTimeAdjustmentSeconds), 0)
	ctEq(t, "DisconnectReason", c.DisconnectReason, nil)
	if !reflect.DeepEqual(c.Attributes, map[string]string{"order": "A-17", "lang": "fr"}) {
		t.Errorf("Attributes = %v", c.Attributes)
	}
	if !reflect.DeepEqual(c.SegmentAttributes, segs) {
		t.Errorf("SegmentAttributes round trip:\n got %#v\nwant %#v", c.SegmentAttributes, segs)
	}

	// An update moves LastUpdateTimestamp to the (virtual) time of the update.
	e.Clock.Advance(90 * time.Minute)
	e.setAttrs(id, map[string]string{"lang": "en"})
	c = e.describe(id)
	ctTime(t, "LastUpdateTimestamp after attributes", c.LastUpdateTimestamp, sbtest.Start.Add(90*time.Minute))
	ctTime(t, "InitiationTimestamp after attributes", c.InitiationTimestamp, sbtest.Start)
	ctEq(t, "Attributes[lang]", c.Attributes["lang"], "en")

	e.Clock.Advance(time.Hour)
	e.stop(id)
	c = e.describe(id)
	end := sbtest.Start.Add(150 * time.Minute)
	ctTime(t, "DisconnectTimestamp", c.DisconnectTimestamp, end)
	ctTime(t, "LastUpdateTimestamp after stop", c.LastUpdateTimestamp, end)
	ctEq(t, "DisconnectReason", aws.ToString(c.DisconnectReason), "API")
}

// TestStartTaskContactScheduled checks ScheduledTime and its bounds: not in
// the past, at most 6 days ahead, both bounds inclusive.
func TestStartTaskContactScheduled(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"now", sbtest.Start, true},
		{"in an hour", sbtest.Start.Add(time.Hour), true},
		{"exactly 6 days", sbtest.Start.Add(6 * 24 * time.Hour), true},
		{"6 days and a second", sbtest.Start.Add(6*24*time.Hour + time.Second), false},
		{"a second ago", sbtest.Start.Add(-time.Second), false},
		{"last year", sbtest.Start.AddDate(-1, 0, 0), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newCT(t)
			in := &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("later"), ContactFlowId: aws.String(e.flow), ScheduledTime: aws.Time(tc.at)}
			out, err := e.Client.StartTaskContact(sbtest.Ctx(t), in)
			if !tc.ok {
				msg := sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
				ctContains(t, msg, "ScheduledTime")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := e.describe(*out.ContactId)
			ctTime(t, "ScheduledTimestamp", c.ScheduledTimestamp, tc.at)
			// A scheduled task has not reached the system yet.
			ctTime(t, "ConnectedToSystemTimestamp", c.ConnectedToSystemTimestamp, time.Time{})
		})
	}
}

// TestStartTaskContactFlowSelection covers "exactly one of ContactFlowId,
// QuickConnectId and TaskTemplateId" and unknown references.
func TestStartTaskContactFlowSelection(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	_, queueID := resBasic(t, e.Env, e.iid)
	qcFlow := resDefaultFlow(t, e.Env, e.iid, types.ContactFlowTypeQueueTransfer)
	qc, err := e.Client.CreateQuickConnect(e.ctx(), &connect.CreateQuickConnectInput{InstanceId: aws.String(e.iid), Name: aws.String("to basic"),
		QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypeQueue,
			QueueConfig: &types.QueueQuickConnectConfig{QueueId: aws.String(queueID), ContactFlowId: aws.String(qcFlow)}}})
	if err != nil {
		t.Fatalf("CreateQuickConnect: %v", err)
	}
	nameField := types.TaskTemplateField{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Name")}, Type: types.TaskTemplateFieldTypeName}
	required := &types.TaskTemplateConstraints{RequiredFields: []types.RequiredFieldInfo{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Name")}}}}
	withFlow, err := e.Client.CreateTaskTemplate(e.ctx(), &connect.CreateTaskTemplateInput{InstanceId: aws.String(e.iid), Name: aws.String("Refund"),
		ContactFlowId: aws.String(e.flow), Fields: []types.TaskTemplateField{nameField,
			{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Description")}, Type: types.TaskTemplateFieldTypeDescription}},
		Constraints: required,
		Defaults: &types.TaskTemplateDefaults{DefaultFieldValues: []types.TaskTemplateDefaultFieldValue{
			{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Description")}, DefaultValue: aws.String("Refund requested")}}}})
	if err != nil {
		t.Fatalf("CreateTaskTemplate: %v", err)
	}
	// A template routed only by a QUICK_CONNECT field has no flow of its own.
	noFlow, err := e.Client.CreateTaskTemplate(e.ctx(), &connect.CreateTaskTemplateInput{InstanceId: aws.String(e.iid), Name: aws.String("Pick a queue"),
		Fields:      []types.TaskTemplateField{nameField, {Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Route")}, Type: types.TaskTemplateFieldTypeQuickConnect}},
		Constraints: required})
	if err != nil {
		t.Fatalf("CreateTaskTemplate without flow: %v", err)
	}

	t.Run("template with flow", func(t *testing.T) {
		id := e.task("refund", func(in *connect.StartTaskContactInput) { in.ContactFlowId, in.TaskTemplateId = nil, withFlow.Id })
		c := e.describe(id)
		if c.TaskTemplateInfo == nil || aws.ToString(c.TaskTemplateInfo.Arn) != aws.ToString(withFlow.Arn) || aws.ToString(c.TaskTemplateInfo.Name) != "Refund" {
			t.Errorf("TaskTemplateInfo = %+v, want %s Refund", c.TaskTemplateInfo, aws.ToString(withFlow.Arn))
		}
		ctEq(t, "Description from template default", aws.ToString(c.Description), "Refund requested")
	})
	t.Run("quick connect", func(t *testing.T) {
		id := e.task("qc", func(in *connect.StartTaskContactInput) { in.ContactFlowId, in.QuickConnectId = nil, qc.QuickConnectId })
		// The quick connect's queue is the target its flow starts with;
		// the runtime queues the task there (center tests follow it).
		c, err := e.Service.DescribeContact(e.ctx(), e.iid, id)
		if err != nil || c.TransferQueueID != queueID || c.ContactFlowID != qcFlow {
			t.Errorf("quick connect task: target %q flow %q (%v), want queue %s flow %s", c.TransferQueueID, c.ContactFlowID, err, queueID, qcFlow)
		}
	})

	bad := []struct {
		name           string
		flow, qc, tmpl *string
		prev           *string
		exc            string
		status         int
		says           string
	}{
		{"none", nil, nil, nil, nil, "InvalidRequestException", 400, "exactly one"},
		{"flow and template", aws.String(e.flow), nil, withFlow.Id, nil, "InvalidRequestException", 400, "exactly one"},
		{"flow and quick connect", aws.String(e.flow), qc.QuickConnectId, nil, nil, "InvalidRequestException", 400, "exactly one"},
		{"all three", aws.String(e.flow), qc.QuickConnectId, withFlow.Id, nil, "InvalidRequestException", 400, "got 3"},
		{"template without flow", nil, nil, noFlow.Id, nil, "InvalidRequestException", 400, "no ContactFlowId"},
		{"unknown flow", aws.String("00000000-0000-0000-0000-000000000000"), nil, nil, nil, "ResourceNotFoundException", 404, "ListContactFlows"},
		{"unknown template", nil, nil, aws.String("00000000-0000-0000-0000-000000000001"), nil, "ResourceNotFoundException", 404, "Task template"},
		{"unknown quick connect", nil, aws.String("00000000-0000-0000-0000-000000000002"), nil, nil, "ResourceNotFoundException", 404, "Quick connect"},
		{"unknown previous contact", aws.String(e.flow), nil, nil, aws.String("00000000-0000-0000-0000-000000000003"), "ResourceNotFoundException", 404, "Contact not found"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Raw.StartTaskContact(sbtest.Ctx(t), &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("x"),
				ContactFlowId: tc.flow, QuickConnectId: tc.qc, TaskTemplateId: tc.tmpl, PreviousContactId: tc.prev})
			ctContains(t, sbtest.APIError(t, err, tc.exc, tc.status), tc.says)
		})
	}
}

// TestStartTaskContactLinked covers PreviousContactId: shared attributes, the
// 12-task quota and the exclusion with RelatedContactId.
func TestStartTaskContactLinked(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	root := e.task("root", func(in *connect.StartTaskContactInput) { in.Attributes = map[string]string{"case": "1"} })
	var first string
	for i := range 12 {
		id := e.task(fmt.Sprintf("linked %d", i), func(in *connect.StartTaskContactInput) {
			in.PreviousContactId = aws.String(root)
			if i == 0 {
				in.Attributes = map[string]string{"step": "a"}
			}
		})
		if i == 0 {
			first = id
		}
	}
	c := e.describe(first)
	ctEq(t, "PreviousContactId", aws.ToString(c.PreviousContactId), root)
	ctEq(t, "InitialContactId", aws.ToString(c.InitialContactId), root)
	// The chain shares one set of attributes, whichever segment updates it.
	if got := e.attrs(root); !reflect.DeepEqual(got, map[string]string{"case": "1", "step": "a"}) {
		t.Errorf("root attributes = %v", got)
	}
	e.setAttrs(first, map[string]string{"case": "2"})
	if got := e.attrs(root)["case"]; got != "2" {
		t.Errorf("update through a linked task did not reach the chain: case = %q", got)
	}

	_, err := e.Client.StartTaskContact(e.ctx(), &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("13th"),
		ContactFlowId: aws.String(e.flow), PreviousContactId: aws.String(root)})
	ctContains(t, sbtest.APIError(t, err, "ServiceQuotaExceededException", 402), root, "12")

	_, err = e.Client.StartTaskContact(e.ctx(), &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("both"),
		ContactFlowId: aws.String(e.flow), PreviousContactId: aws.String(first), RelatedContactId: aws.String(root)})
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "PreviousContactId", "RelatedContactId")
}

// TestStartTaskContactRelated: RelatedContactId copies attributes once.
func TestStartTaskContactRelated(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	src := e.task("source", func(in *connect.StartTaskContactInput) { in.Attributes = map[string]string{"a": "1", "b": "2"} })
	rel := e.task("related", func(in *connect.StartTaskContactInput) {
		in.RelatedContactId = aws.String(src)
		in.Attributes = map[string]string{"b": "own"}
	})
	c := e.describe(rel)
	ctEq(t, "RelatedContactId", aws.ToString(c.RelatedContactId), src)
	ctEq(t, "InitialContactId", aws.ToString(c.InitialContactId), rel)
	if !reflect.DeepEqual(c.Attributes, map[string]string{"a": "1", "b": "own"}) {
		t.Errorf("related attributes = %v", c.Attributes)
	}
	e.setAttrs(rel, map[string]string{"a": "changed"})
	if got := e.attrs(src)["a"]; got != "1" {
		t.Errorf("an update of the related contact propagated back: a = %q", got)
	}
	_, err := e.Client.StartTaskContact(e.ctx(), &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("x"),
		ContactFlowId: aws.String(e.flow), RelatedContactId: aws.String("no-such-contact")})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}

// TestStartTaskContactActiveQuota: the instance's active task quota, freed by
// StopContact.
func TestStartTaskContactActiveQuota(t *testing.T) {
	t.Parallel()
	e := newCT(t, domain.Quotas{ActiveTasks: 2})
	a := e.task("a")
	e.task("b")
	_, err := e.Client.StartTaskContact(e.ctx(), &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("c"), ContactFlowId: aws.String(e.flow)})
	ctContains(t, sbtest.APIError(t, err, "ServiceQuotaExceededException", 402), "active tasks", "active-tasks")
	e.stop(a)
	e.task("c")
}

// TestStartTaskContactIdempotency: a ClientToken names one task for 7 days.
func TestStartTaskContactIdempotency(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	in := func(name string) *connect.StartTaskContactInput {
		return &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String(name), ContactFlowId: aws.String(e.flow), ClientToken: aws.String("tok-1")}
	}
	a, err := e.Client.StartTaskContact(e.ctx(), in("same"))
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Hour)
	b, err := e.Client.StartTaskContact(e.ctx(), in("same"))
	if err != nil {
		t.Fatal(err)
	}
	ctEq(t, "retried ContactId", *b.ContactId, *a.ContactId)
	// StartTaskContact models no IdempotencyException: the reuse falls back
	// to InvalidRequestException.
	_, err = e.Client.StartTaskContact(e.ctx(), in("different"))
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "ClientToken", "new ClientToken")
	e.Clock.Advance(domain.IdempotencyWindow)
	c, err := e.Client.StartTaskContact(e.ctx(), in("different"))
	if err != nil {
		t.Fatal(err)
	}
	if *c.ContactId == *a.ContactId {
		t.Errorf("after 7 days the token still named %s", *a.ContactId)
	}
}

// TestStartTaskContactFailureLeavesToken: the ClientToken is claimed as the
// request starts, and a request that fails afterwards gives it back, so a
// corrected retry with the same token starts the task.
func TestStartTaskContactFailureLeavesToken(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	in := &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("t"),
		ContactFlowId: aws.String("00000000-0000-0000-0000-000000000000"), ClientToken: aws.String("tok-retry")}
	_, err := e.Client.StartTaskContact(e.ctx(), in)
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	in.ContactFlowId = aws.String(e.flow)
	a, err := e.Client.StartTaskContact(e.ctx(), in)
	if err != nil {
		t.Fatalf("retry with the flow corrected: %v", err)
	}
	b, err := e.Client.StartTaskContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	ctEq(t, "replayed ContactId", *b.ContactId, *a.ContactId)
}

// TestStartTaskContactReferences: the reference types a task accepts and
// their well-formedness.
func TestStartTaskContactReferences(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	cases := []struct {
		name string
		ref  types.Reference
		ok   bool
	}{
		{"url", strRef(types.ReferenceTypeUrl, "https://example.com/a?b=c"), true},
		{"number", strRef(types.ReferenceTypeNumber, "-12.5"), true},
		{"string", strRef(types.ReferenceTypeString, "anything at all"), true},
		{"date", strRef(types.ReferenceTypeDate, "1772442000"), true},
		{"email", strRef(types.ReferenceTypeEmail, "ana@example.com"), true},
		{"attachment refused", strRef(types.ReferenceTypeAttachment, "https://example.com/f"), false},
		{"email message refused", strRef(types.ReferenceTypeEmailMessage, "x"), false},
		{"bad url", strRef(types.ReferenceTypeUrl, "ftp://example.com"), false},
		{"bad number", strRef(types.ReferenceTypeNumber, "twelve"), false},
		{"bad date", strRef(types.ReferenceTypeDate, "2026-03-02"), false},
		{"bad email", strRef(types.ReferenceTypeEmail, "ana at example"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := e.Client.StartTaskContact(sbtest.Ctx(t), &connect.StartTaskContactInput{InstanceId: aws.String(e.iid), Name: aws.String("r"),
				ContactFlowId: aws.String(e.flow), References: map[string]types.Reference{"ref": tc.ref}})
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), `"ref"`)
		})
	}
}

// TestUpdateContactSchedule: only scheduled tasks, the same bounds as
// StartTaskContact, and 20 reschedules.
func TestUpdateContactSchedule(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	sched := e.task("later", func(in *connect.StartTaskContactInput) { in.ScheduledTime = aws.Time(sbtest.Start.Add(time.Hour)) })
	now := e.task("now")
	move := func(id string, at time.Time) error {
		_, err := e.Client.UpdateContactSchedule(e.ctx(), &connect.UpdateContactScheduleInput{InstanceId: aws.String(e.iid), ContactId: aws.String(id), ScheduledTime: aws.Time(at)})
		return err
	}
	e.Clock.Advance(time.Minute)
	at := sbtest.Start.Add(3 * time.Hour)
	if err := move(sched, at); err != nil {
		t.Fatal(err)
	}
	c := e.describe(sched)
	ctTime(t, "ScheduledTimestamp", c.ScheduledTimestamp, at)
	ctTime(t, "LastUpdateTimestamp", c.LastUpdateTimestamp, sbtest.Start.Add(time.Minute))

	for _, tc := range []struct {
		name string
		id   string
		at   time.Time
		exc  string
		says string
	}{
		{"not scheduled", now, at, "InvalidRequestException", "scheduled task"},
		{"past", sched, sbtest.Start, "InvalidRequestException", "in the past"},
		{"beyond 6 days", sched, e.Clock.Now().Add(6*24*time.Hour + time.Second), "InvalidRequestException", "6 days"},
		{"unknown", "nope", at, "ResourceNotFoundException", "Contact not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := move(tc.id, tc.at)
			ctContains(t, sbtest.APIError(t, err, tc.exc, map[string]int{"InvalidRequestException": 400, "ResourceNotFoundException": 404}[tc.exc]), tc.says)
		})
	}
	if err := move(sched, e.Clock.Now().Add(6*24*time.Hour)); err != nil {
		t.Fatalf("exactly 6 days ahead: %v", err)
	}
	for i := 2; i < 20; i++ {
		if err := move(sched, at.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatalf("reschedule %d: %v", i+1, err)
		}
	}
	ctContains(t, sbtest.APIError(t, move(sched, at), "LimitExceededException", 429), "20")
	e.stop(sched)
	err := move(sched, at)
	sbtest.APIError(t, err, "InvalidRequestException", 400)
}

// TestStopContact: unknown and ended contacts are ContactNotFoundException.
func TestStopContact(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	id := e.task("t")
	e.stop(id)
	for _, tc := range []struct{ name, id, says string }{
		{"unknown", "00000000-0000-0000-0000-00000000dead", "not found"},
		{"already ended", id, "already ended"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.StopContact(sbtest.Ctx(t), &connect.StopContactInput{InstanceId: aws.String(e.iid), ContactId: aws.String(tc.id)})
			ctContains(t, sbtest.APIError(t, err, "ContactNotFoundException", 410), tc.says)
		})
	}
	live := e.task("u")
	_, err := e.Client.StopContact(e.ctx(), &connect.StopContactInput{InstanceId: aws.String(e.iid), ContactId: aws.String(live),
		DisconnectReason: &types.DisconnectReason{Code: aws.String("OUTBOUND_ATTEMPT_FAILED")}})
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "DisconnectReason")
	// A chat stopped by the API carries no DisconnectReason.
	ch := e.chat()
	e.stop(*ch.ContactId)
	if r := e.describe(*ch.ContactId).DisconnectReason; r != nil {
		t.Errorf("chat DisconnectReason = %q, want none", *r)
	}
}

// TestStopContactExternalAudio: StopContact does not end voice contacts
// created by a transfer (external audio is ended by the external system).
func TestStopContactExternalAudio(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	v, err := e.Client.CreateContact(e.ctx(), &connect.CreateContactInput{InstanceId: aws.String(e.iid), Channel: types.ChannelVoice, InitiationMethod: types.ContactInitiationMethodTransfer})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Client.StopContact(e.ctx(), &connect.StopContactInput{InstanceId: aws.String(e.iid), ContactId: v.ContactId})
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "TRANSFER")
	ctTime(t, "DisconnectTimestamp", e.describe(*v.ContactId).DisconnectTimestamp, time.Time{})
}
