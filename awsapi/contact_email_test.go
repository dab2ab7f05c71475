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

// emailInput is a valid StartEmailContact request to dest.
func (e *ctEnv) emailInput(dest string) *connect.StartEmailContactInput {
	return &connect.StartEmailContactInput{
		InstanceId:              aws.String(e.iid),
		FromEmailAddress:        &types.EmailAddressInfo{EmailAddress: aws.String("ana@customer.example"), DisplayName: aws.String("Ana")},
		DestinationEmailAddress: aws.String(dest),
		EmailMessage: &types.InboundEmailContent{MessageSourceType: types.InboundMessageSourceTypeRaw,
			RawMessage: &types.InboundRawMessage{Subject: aws.String("Order 17"), Body: aws.String("Where is it?"), ContentType: aws.String("text/plain")}},
	}
}

func recipients(n int, prefix string) []types.EmailAddressInfo {
	out := make([]types.EmailAddressInfo, n)
	for i := range out {
		out[i] = types.EmailAddressInfo{EmailAddress: aws.String(fmt.Sprintf("%s%d@example.com", prefix, i)), DisplayName: aws.String(fmt.Sprintf("R%d", i))}
	}
	return out
}

func TestStartEmailContactDescribe(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	dest := e.emailAddress("support@shop.example")
	in := e.emailInput(dest)
	in.Name, in.Description = aws.String("Order question"), aws.String("from the web shop")
	in.Attributes = map[string]string{"order": "17"}
	in.References = map[string]types.Reference{"site": strRef(types.ReferenceTypeUrl, "https://shop.example/17")}
	in.AdditionalRecipients = &types.InboundAdditionalRecipients{ToAddresses: recipients(1, "to"), CcAddresses: recipients(2, "cc")}
	in.Attachments = []types.EmailAttachment{{FileName: aws.String("photo.jpg"), S3Url: aws.String("https://bucket.s3.amazonaws.com/photo.jpg")}}
	out, err := e.Client.StartEmailContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	c := e.describe(*out.ContactId)
	ctEq(t, "Channel", c.Channel, types.ChannelEmail)
	ctEq(t, "Tags[aws:connect:systemEndpoint]", c.Tags["aws:connect:systemEndpoint"], "support@shop.example")
	ctEq(t, "Tags[aws:connect:instanceId]", c.Tags["aws:connect:instanceId"], e.iid)
	ctEq(t, "InitiationMethod", c.InitiationMethod, types.ContactInitiationMethodApi)
	ctEq(t, "Name", aws.ToString(c.Name), "Order question")
	ctEq(t, "Attributes[order]", c.Attributes["order"], "17")
	ctTime(t, "InitiationTimestamp", c.InitiationTimestamp, sbtest.Start)
	ctTime(t, "ConnectedToSystemTimestamp", c.ConnectedToSystemTimestamp, sbtest.Start)
	want := &types.EndpointInfo{Type: types.EndpointTypeEmailAddress, Address: aws.String("ana@customer.example"), DisplayName: aws.String("Ana")}
	if !reflect.DeepEqual(c.CustomerEndpoint, want) {
		t.Errorf("CustomerEndpoint = %+v", c.CustomerEndpoint)
	}
	if c.SystemEndpoint == nil || aws.ToString(c.SystemEndpoint.Address) != dest || aws.ToString(c.SystemEndpoint.DisplayName) != "Support" {
		t.Errorf("SystemEndpoint = %+v", c.SystemEndpoint)
	}
	r := c.AdditionalEmailRecipients
	if r == nil || len(r.ToList) != 1 || len(r.CcList) != 2 || aws.ToString(r.CcList[1].Address) != "cc1@example.com" || aws.ToString(r.CcList[1].DisplayName) != "R1" {
		t.Errorf("AdditionalEmailRecipients = %+v", r)
	}
	// DescribeContact has no member for email attachments; the domain keeps
	// their metadata for the email runtime.
	v, err := e.Service.DescribeContact(e.ctx(), e.iid, *out.ContactId)
	if err != nil {
		t.Fatal(err)
	}
	if v.Email == nil || len(v.Email.Attachments) != 1 || v.Email.Attachments[0].FileName != "photo.jpg" || v.Email.Attachments[0].URL != "https://bucket.s3.amazonaws.com/photo.jpg" {
		t.Errorf("email attachments = %+v", v.Email)
	}
}

func TestStartEmailContactValidation(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	dest := e.emailAddress("help@shop.example")
	cases := []struct {
		name   string
		mod    func(*connect.StartEmailContactInput)
		exc    string
		status int
		says   string
	}{
		{"ok: 49 additional recipients", func(in *connect.StartEmailContactInput) {
			in.AdditionalRecipients = &types.InboundAdditionalRecipients{ToAddresses: recipients(25, "to"), CcAddresses: recipients(24, "cc")}
		}, "", 0, ""},
		{"ok: destination in another case", func(in *connect.StartEmailContactInput) { in.DestinationEmailAddress = aws.String("HELP@shop.example") }, "", 0, ""},
		{"ok: url number string date references", func(in *connect.StartEmailContactInput) {
			in.References = map[string]types.Reference{"u": strRef(types.ReferenceTypeUrl, "http://a.example"), "n": strRef(types.ReferenceTypeNumber, "3"),
				"s": strRef(types.ReferenceTypeString, "x"), "d": strRef(types.ReferenceTypeDate, "1772442000000")}
		}, "", 0, ""},
		{"50 additional recipients", func(in *connect.StartEmailContactInput) {
			in.AdditionalRecipients = &types.InboundAdditionalRecipients{ToAddresses: recipients(25, "to"), CcAddresses: recipients(25, "cc")}
		}, "InvalidRequestException", 400, "51 recipients"},
		{"bad recipient", func(in *connect.StartEmailContactInput) {
			in.AdditionalRecipients = &types.InboundAdditionalRecipients{ToAddresses: []types.EmailAddressInfo{{EmailAddress: aws.String("nobody")}}}
		}, "InvalidRequestException", 400, "ToAddresses[0].EmailAddress"},
		{"bad from", func(in *connect.StartEmailContactInput) {
			in.FromEmailAddress.EmailAddress = aws.String("ana@customer")
		}, "InvalidRequestException", 400, "FromEmailAddress.EmailAddress"},
		{"destination not of the instance", func(in *connect.StartEmailContactInput) {
			in.DestinationEmailAddress = aws.String("other@shop.example")
		}, "ResourceNotFoundException", 404, "CreateEmailAddress"},
		{"email reference refused", func(in *connect.StartEmailContactInput) {
			in.References = map[string]types.Reference{"e": strRef(types.ReferenceTypeEmail, "a@b.example")}
		}, "InvalidRequestException", 400, "URL, NUMBER, STRING, DATE"},
		{"attachment reference refused", func(in *connect.StartEmailContactInput) {
			in.References = map[string]types.Reference{"a": strRef(types.ReferenceTypeAttachment, "https://a.example/f")}
		}, "InvalidRequestException", 400, "does not accept"},
		{"bad date reference", func(in *connect.StartEmailContactInput) {
			in.References = map[string]types.Reference{"d": strRef(types.ReferenceTypeDate, "yesterday")}
		}, "InvalidRequestException", 400, "epoch"},
		{"bad attribute key", func(in *connect.StartEmailContactInput) { in.Attributes = map[string]string{"a.b": "x"} }, "InvalidRequestException", 400, "a.b"},
		{"missing message (model)", func(in *connect.StartEmailContactInput) { in.EmailMessage = nil }, "InvalidRequestException", 400, "EmailMessage"},
		{"unknown flow", func(in *connect.StartEmailContactInput) { in.ContactFlowId = aws.String("nope") }, "ResourceNotFoundException", 404, "nope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := e.emailInput(dest)
			tc.mod(in)
			_, err := e.Raw.StartEmailContact(sbtest.Ctx(t), in)
			if tc.exc == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			ctContains(t, sbtest.APIError(t, err, tc.exc, tc.status), tc.says)
		})
	}
}

func TestStartEmailContactIdempotency(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	dest := e.emailAddress("box@shop.example")
	in := e.emailInput(dest)
	in.ClientToken = aws.String("mail-1")
	a, err := e.Client.StartEmailContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Client.StartEmailContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	ctEq(t, "ContactId", *b.ContactId, *a.ContactId)
	in.Name = aws.String("changed")
	_, err = e.Client.StartEmailContact(e.ctx(), in)
	ctContains(t, sbtest.APIError(t, err, "IdempotencyException", http.StatusConflict), "mail-1", "new ClientToken")
	e.Clock.Advance(7 * 24 * time.Hour)
	c, err := e.Client.StartEmailContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	if *c.ContactId == *a.ContactId {
		t.Error("after 7 days the token still named the old contact")
	}
}

func TestCreateContactCombinations(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	cases := []struct {
		ch      types.Channel
		method  types.ContactInitiationMethod
		user    bool
		ok      bool
		subtype string
	}{
		{types.ChannelVoice, types.ContactInitiationMethodTransfer, false, true, "connect:ExternalAudio"},
		{types.ChannelEmail, types.ContactInitiationMethodOutbound, true, true, ""},
		{types.ChannelEmail, types.ContactInitiationMethodAgentReply, true, true, ""},
		{types.ChannelEmail, types.ContactInitiationMethodFlow, false, true, ""},
		{types.ChannelTask, types.ContactInitiationMethodApi, false, true, "connect:ExternalTask"},
		{types.ChannelEmail, types.ContactInitiationMethodOutbound, false, false, "UserInfo"},
		{types.ChannelEmail, types.ContactInitiationMethodAgentReply, false, false, "UserInfo"},
		{types.ChannelChat, types.ContactInitiationMethodApi, false, false, "does not support"},
		{types.ChannelVoice, types.ContactInitiationMethodInbound, false, false, "does not support"},
		{types.ChannelTask, types.ContactInitiationMethodInbound, false, false, "does not support"},
		{types.ChannelEmail, types.ContactInitiationMethodApi, false, false, "does not support"},
	}
	agent := e.agentID() // made before the parallel subtests share it
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s+%s user=%v", tc.ch, tc.method, tc.user), func(t *testing.T) {
			t.Parallel()
			in := &connect.CreateContactInput{InstanceId: aws.String(e.iid), Channel: tc.ch, InitiationMethod: tc.method}
			if tc.user {
				in.UserInfo = &types.UserInfo{UserId: aws.String(agent)}
			}
			out, err := e.Client.CreateContact(sbtest.Ctx(t), in)
			if !tc.ok {
				ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), tc.subtype)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ctEq(t, "ContactArn", aws.ToString(out.ContactArn), fmt.Sprintf("arn:aws:connect:us-east-1:123456789012:instance/%s/contact/%s", e.iid, *out.ContactId))
			c := e.describe(*out.ContactId)
			ctEq(t, "Channel", c.Channel, tc.ch)
			ctEq(t, "InitiationMethod", c.InitiationMethod, tc.method)
			ctTime(t, "InitiationTimestamp", c.InitiationTimestamp, sbtest.Start)
			got := ""
			if v, ok := c.SegmentAttributes["connect:Subtype"]; ok {
				got = aws.ToString(v.ValueString)
			}
			ctEq(t, "connect:Subtype", got, tc.subtype)
		})
	}
}

func TestCreateContactOptions(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	create := func(in *connect.CreateContactInput) (*connect.CreateContactOutput, error) {
		in.InstanceId = aws.String(e.iid)
		return e.Raw.CreateContact(e.ctx(), in)
	}
	t.Run("completed task", func(t *testing.T) {
		out, err := create(&connect.CreateContactInput{Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, InitiateAs: types.InitiateAsCompleted,
			Name: aws.String("imported"), References: map[string]types.Reference{"file": {Type: types.ReferenceTypeAttachment, Value: aws.String("https://a.example/f.pdf"), Status: types.ReferenceStatusApproved}}})
		if err != nil {
			t.Fatal(err)
		}
		c := e.describe(*out.ContactId)
		ctTime(t, "DisconnectTimestamp", c.DisconnectTimestamp, sbtest.Start)
		ctEq(t, "DisconnectReason", aws.ToString(c.DisconnectReason), "OTHER")
		ctEq(t, "Name", aws.ToString(c.Name), "imported")
		_, err = e.Client.StopContact(e.ctx(), &connect.StopContactInput{InstanceId: aws.String(e.iid), ContactId: out.ContactId})
		sbtest.APIError(t, err, "ContactNotFoundException", 410)
	})
	t.Run("connected to user", func(t *testing.T) {
		out, err := create(&connect.CreateContactInput{Channel: types.ChannelVoice, InitiationMethod: types.ContactInitiationMethodTransfer,
			InitiateAs: types.InitiateAsConnectedToUser, UserInfo: &types.UserInfo{UserId: aws.String(e.agentID())}})
		if err != nil {
			t.Fatal(err)
		}
		c := e.describe(*out.ContactId)
		if c.AgentInfo == nil || aws.ToString(c.AgentInfo.Id) != e.agentID() {
			t.Fatalf("AgentInfo = %+v", c.AgentInfo)
		}
		ctTime(t, "ConnectedToAgentTimestamp", c.AgentInfo.ConnectedToAgentTimestamp, sbtest.Start)
		ctTime(t, "ConnectedToSystemTimestamp", c.ConnectedToSystemTimestamp, sbtest.Start)
	})
	t.Run("voice chain", func(t *testing.T) {
		first, err := create(&connect.CreateContactInput{Channel: types.ChannelVoice, InitiationMethod: types.ContactInitiationMethodTransfer, Attributes: map[string]string{"a": "1"}})
		if err != nil {
			t.Fatal(err)
		}
		next, err := create(&connect.CreateContactInput{Channel: types.ChannelVoice, InitiationMethod: types.ContactInitiationMethodTransfer, PreviousContactId: first.ContactId})
		if err != nil {
			t.Fatal(err)
		}
		c := e.describe(*next.ContactId)
		ctEq(t, "PreviousContactId", aws.ToString(c.PreviousContactId), *first.ContactId)
		ctEq(t, "InitialContactId", aws.ToString(c.InitialContactId), *first.ContactId)
		ctEq(t, "shared attribute", c.Attributes["a"], "1")
	})
	t.Run("email reply joins the thread", func(t *testing.T) {
		dest := e.emailAddress("thread@shop.example")
		in, err := e.Client.StartEmailContact(e.ctx(), e.emailInput(dest))
		if err != nil {
			t.Fatal(err)
		}
		out, err := create(&connect.CreateContactInput{Channel: types.ChannelEmail, InitiationMethod: types.ContactInitiationMethodAgentReply,
			UserInfo: &types.UserInfo{UserId: aws.String(e.agentID())}, RelatedContactId: in.ContactId})
		if err != nil {
			t.Fatal(err)
		}
		c := e.describe(*out.ContactId)
		ctEq(t, "ContactAssociationId", aws.ToString(c.ContactAssociationId), *in.ContactId)
		ctEq(t, "RelatedContactId", aws.ToString(c.RelatedContactId), *in.ContactId)
	})
	for _, tc := range []struct {
		name   string
		in     connect.CreateContactInput
		exc    string
		status int
		says   string
	}{
		{"expiry 1 minute", connect.CreateContactInput{Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, ExpiryDurationInMinutes: aws.Int32(1)}, "", 0, ""},
		{"expiry 90 days", connect.CreateContactInput{Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, ExpiryDurationInMinutes: aws.Int32(129600)}, "", 0, ""},
		{"expiry 0", connect.CreateContactInput{Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, ExpiryDurationInMinutes: aws.Int32(0)}, "InvalidParameterException", 400, "ExpiryDurationInMinutes"},
		{"expiry over 90 days", connect.CreateContactInput{Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, ExpiryDurationInMinutes: aws.Int32(129601)}, "InvalidParameterException", 400, "90 days"},
		{"completed email", connect.CreateContactInput{Channel: types.ChannelEmail, InitiationMethod: types.ContactInitiationMethodFlow, InitiateAs: types.InitiateAsCompleted}, "InvalidRequestException", 400, "TASK"},
		{"connected without user", connect.CreateContactInput{Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, InitiateAs: types.InitiateAsConnectedToUser}, "InvalidRequestException", 400, "UserInfo"},
		{"previous on a task", connect.CreateContactInput{Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, PreviousContactId: aws.String("x")}, "InvalidRequestException", 400, "VOICE"},
		{"unknown previous", connect.CreateContactInput{Channel: types.ChannelVoice, InitiationMethod: types.ContactInitiationMethodTransfer, PreviousContactId: aws.String("nope")}, "ResourceNotFoundException", 404, "nope"},
		{"unknown related", connect.CreateContactInput{Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, RelatedContactId: aws.String("nope")}, "ResourceNotFoundException", 404, "nope"},
		{"unknown user", connect.CreateContactInput{Channel: types.ChannelEmail, InitiationMethod: types.ContactInitiationMethodOutbound, UserInfo: &types.UserInfo{UserId: aws.String("nobody")}}, "ResourceNotFoundException", 404, "nobody"},
		{"bad enum (model)", connect.CreateContactInput{Channel: "FAX", InitiationMethod: types.ContactInitiationMethodApi}, "InvalidParameterException", 400, "Channel"},
		{"missing channel (model)", connect.CreateContactInput{InitiationMethod: types.ContactInitiationMethodApi}, "InvalidParameterException", 400, "Channel"},
		{"bad number reference", connect.CreateContactInput{Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi,
			References: map[string]types.Reference{"n": strRef(types.ReferenceTypeNumber, "1,5")}}, "InvalidParameterException", 400, "a number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			_, err := create(&in)
			if tc.exc == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			ctContains(t, sbtest.APIError(t, err, tc.exc, tc.status), tc.says)
		})
	}
}

func TestCreateContactIdempotency(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	in := &connect.CreateContactInput{InstanceId: aws.String(e.iid), Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, ClientToken: aws.String("cc-1"), Name: aws.String("a")}
	a, err := e.Client.CreateContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Client.CreateContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	ctEq(t, "ContactId", *b.ContactId, *a.ContactId)
	ctEq(t, "ContactArn", *b.ContactArn, *a.ContactArn)
	in.Name = aws.String("b")
	_, err = e.Client.CreateContact(e.ctx(), in)
	ctContains(t, sbtest.APIError(t, err, "IdempotencyException", http.StatusConflict), "cc-1")
	e.Clock.Advance(7*24*time.Hour - time.Second)
	_, err = e.Client.CreateContact(e.ctx(), in)
	sbtest.APIError(t, err, "IdempotencyException", http.StatusConflict)
	e.Clock.Advance(time.Second)
	c, err := e.Client.CreateContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	if *c.ContactId == *a.ContactId {
		t.Error("after 7 days the token still named the old contact")
	}
}

// TestCreateContactCompletedIgnoresActiveQuota: a task created as COMPLETED
// never becomes active, so the active-task quota does not apply to it.
func TestCreateContactCompletedIgnoresActiveQuota(t *testing.T) {
	t.Parallel()
	e := newCT(t, domain.Quotas{ActiveTasks: 1})
	e.task("fills the quota")
	in := &connect.CreateContactInput{InstanceId: aws.String(e.iid), Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi}
	_, err := e.Client.CreateContact(e.ctx(), in)
	sbtest.APIError(t, err, "ServiceQuotaExceededException", 402)
	in.InitiateAs = types.InitiateAsCompleted
	if _, err := e.Client.CreateContact(e.ctx(), in); err != nil {
		t.Fatalf("completed task refused: %v", err)
	}
}
