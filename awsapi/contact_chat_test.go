package awsapi_test

import (
	"net/http"
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

func TestStartChatContactDescribe(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	out := e.chat(func(in *connect.StartChatContactInput) {
		in.CustomerId = aws.String("cust-42")
		in.Attributes = map[string]string{"topic": "billing"}
		in.InitialMessage = &types.ChatMessage{ContentType: aws.String("text/plain"), Content: aws.String("Hello")}
		in.SupportedMessagingContentTypes = []string{"text/plain", "text/markdown"}
	})
	if aws.ToString(out.ParticipantId) == "" || aws.ToString(out.ParticipantToken) == "" {
		t.Fatalf("StartChatContact returned no participant: %+v", out)
	}
	if out.ContinuedFromContactId != nil {
		t.Errorf("ContinuedFromContactId = %q on a new chat", *out.ContinuedFromContactId)
	}
	c := e.describe(*out.ContactId)
	ctEq(t, "Channel", c.Channel, types.ChannelChat)
	ctEq(t, "InitiationMethod", c.InitiationMethod, types.ContactInitiationMethodApi)
	ctEq(t, "CustomerId", aws.ToString(c.CustomerId), "cust-42")
	ctEq(t, "Attributes[topic]", c.Attributes["topic"], "billing")
	ctTime(t, "InitiationTimestamp", c.InitiationTimestamp, sbtest.Start)
	ctTime(t, "ConnectedToSystemTimestamp", c.ConnectedToSystemTimestamp, sbtest.Start)
	if !reflect.DeepEqual(c.SegmentAttributes, map[string]types.SegmentAttributeValue{"connect:Subtype": segStr("connect:Chat")}) {
		t.Errorf("SegmentAttributes = %#v, want connect:Subtype connect:Chat", c.SegmentAttributes)
	}
	e.Clock.Advance(10 * time.Minute)
	e.stop(*out.ContactId)
	ctTime(t, "DisconnectTimestamp", e.describe(*out.ContactId).DisconnectTimestamp, sbtest.Start.Add(10*time.Minute))
}

func TestStartChatContactIdempotency(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	tok := func(in *connect.StartChatContactInput) { in.ClientToken = aws.String("chat-tok") }
	a := e.chat(tok)
	b := e.chat(tok)
	ctEq(t, "ContactId", *b.ContactId, *a.ContactId)
	ctEq(t, "ParticipantId", *b.ParticipantId, *a.ParticipantId)
	ctEq(t, "ParticipantToken", *b.ParticipantToken, *a.ParticipantToken)
	// StartChatContact models no IdempotencyException; the reuse is reported
	// as InvalidRequestException.
	in := e.chatInput()
	tok(in)
	in.Attributes = map[string]string{"other": "request"}
	_, err := e.Client.StartChatContact(e.ctx(), in)
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "ClientToken")
	e.Clock.Advance(7 * 24 * time.Hour)
	c := e.chat(tok)
	if *c.ContactId == *a.ContactId || *c.ParticipantToken == *a.ParticipantToken {
		t.Errorf("after 7 days the token still named the old chat")
	}
}

func TestStartChatContactValidation(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	msg := func(typ string, n int, r string) func(*connect.StartChatContactInput) {
		return func(in *connect.StartChatContactInput) {
			in.InitialMessage = &types.ChatMessage{ContentType: aws.String(typ), Content: aws.String(strings.Repeat(r, n))}
		}
	}
	cases := []struct {
		name   string
		mod    func(*connect.StartChatContactInput)
		exc    string // "" = accepted
		status int
		says   string
	}{
		{"duration 59", func(in *connect.StartChatContactInput) { in.ChatDurationInMinutes = aws.Int32(59) }, "InvalidParameterException", 400, "ChatDurationInMinutes"},
		{"duration 60", func(in *connect.StartChatContactInput) { in.ChatDurationInMinutes = aws.Int32(60) }, "", 0, ""},
		{"duration 10080", func(in *connect.StartChatContactInput) { in.ChatDurationInMinutes = aws.Int32(10080) }, "", 0, ""},
		{"duration 10081", func(in *connect.StartChatContactInput) { in.ChatDurationInMinutes = aws.Int32(10081) }, "InvalidParameterException", 400, "ChatDurationInMinutes"},
		{"content types without text/plain", func(in *connect.StartChatContactInput) { in.SupportedMessagingContentTypes = []string{"text/markdown"} }, "InvalidRequestException", 400, "text/plain"},
		{"unknown content type", func(in *connect.StartChatContactInput) {
			in.SupportedMessagingContentTypes = []string{"text/plain", "image/png"}
		}, "InvalidRequestException", 400, "image/png"},
		{"text/plain 1024", msg("text/plain", 1024, "é"), "", 0, ""},
		{"text/plain 1025", msg("text/plain", 1025, "a"), "InvalidRequestException", 400, "1024"},
		{"application/json 12000", msg("application/json", 12000, "1"), "", 0, ""},
		{"application/json 12001", msg("application/json", 12001, "1"), "InvalidRequestException", 400, "12000"},
		{"message type unknown", msg("text/html", 5, "a"), "InvalidRequestException", 400, "text/html"},
		{"message over model max", msg("text/plain", 16385, "a"), "InvalidParameterException", 400, "Content"},
		{"guide without interactive types", func(in *connect.StartChatContactInput) {
			in.SegmentAttributes = map[string]types.SegmentAttributeValue{"connect:Subtype": segStr("connect:Guide")}
		}, "InvalidRequestException", 400, "interactive"},
		{"missing participant", func(in *connect.StartChatContactInput) { in.ParticipantDetails = nil }, "InvalidParameterException", 400, "ParticipantDetails"},
		{"unknown flow", func(in *connect.StartChatContactInput) { in.ContactFlowId = aws.String("nope") }, "ResourceNotFoundException", 404, "nope"},
		{"bad attribute key", func(in *connect.StartChatContactInput) { in.Attributes = map[string]string{"a b": "x"} }, "InvalidParameterException", 400, "a b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := e.chatInput()
			tc.mod(in)
			_, err := e.Raw.StartChatContact(sbtest.Ctx(t), in)
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

// TestStartChatContactExpiry: ChatDurationInMinutes (default 25 h) is
// visible as the contact's expiry through SearchContacts' EXPIRY_TIMESTAMP
// sort.
func TestStartChatContactExpiry(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	def := e.chat()
	short := e.chat(func(in *connect.StartChatContactInput) { in.ChatDurationInMinutes = aws.Int32(60) })
	long := e.chat(func(in *connect.StartChatContactInput) { in.ChatDurationInMinutes = aws.Int32(26 * 60) })
	just := e.chat(func(in *connect.StartChatContactInput) { in.ChatDurationInMinutes = aws.Int32(25*60 - 1) })
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
	want := []string{*short.ContactId, *just.ContactId, *def.ContactId, *long.ContactId}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("expiry order = %v, want short, 25h-1m, default, 26h = %v", got, want)
	}
}

func TestStartChatContactPersistent(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	past := e.chat(func(in *connect.StartChatContactInput) { in.Attributes = map[string]string{"lang": "de"} })
	persist := func(kind types.RehydrationType, src string) func(*connect.StartChatContactInput) {
		return func(in *connect.StartChatContactInput) {
			in.PersistentChat = &types.PersistentChat{RehydrationType: kind, SourceContactId: aws.String(src)}
		}
	}
	start := func(mods ...func(*connect.StartChatContactInput)) (*connect.StartChatContactOutput, error) {
		in := e.chatInput()
		for _, m := range mods {
			m(in)
		}
		return e.Raw.StartChatContact(e.ctx(), in)
	}
	_, err := start(persist(types.RehydrationTypeFromSegment, *past.ContactId))
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "still active")

	e.Clock.Advance(time.Minute)
	e.stop(*past.ContactId)
	task := e.task("not a chat")
	e.stop(task)
	for _, tc := range []struct {
		name string
		mods []func(*connect.StartChatContactInput)
		exc  string
		says string
	}{
		{"no rehydration type", []func(*connect.StartChatContactInput){persist("", *past.ContactId)}, "InvalidRequestException", "RehydrationType"},
		{"no source", []func(*connect.StartChatContactInput){func(in *connect.StartChatContactInput) {
			in.PersistentChat = &types.PersistentChat{RehydrationType: types.RehydrationTypeFromSegment}
		}}, "InvalidRequestException", "SourceContactId"},
		{"with related contact", []func(*connect.StartChatContactInput){persist(types.RehydrationTypeFromSegment, *past.ContactId),
			func(in *connect.StartChatContactInput) { in.RelatedContactId = past.ContactId }}, "InvalidRequestException", "RelatedContactId"},
		{"source is a task", []func(*connect.StartChatContactInput){persist(types.RehydrationTypeFromSegment, task)}, "InvalidRequestException", "only chats"},
		{"unknown source", []func(*connect.StartChatContactInput){persist(types.RehydrationTypeEntirePastSession, "nope")}, "ResourceNotFoundException", "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := start(tc.mods...)
			ctContains(t, sbtest.APIError(t, err, tc.exc, map[string]int{"InvalidRequestException": 400, "ResourceNotFoundException": 404}[tc.exc]), tc.says)
		})
	}
	for _, kind := range []types.RehydrationType{types.RehydrationTypeFromSegment, types.RehydrationTypeEntirePastSession} {
		t.Run(string(kind), func(t *testing.T) {
			out, err := start(persist(kind, *past.ContactId))
			if err != nil {
				t.Fatal(err)
			}
			ctEq(t, "ContinuedFromContactId", aws.ToString(out.ContinuedFromContactId), *past.ContactId)
			c := e.describe(*out.ContactId)
			ctEq(t, "RelatedContactId", aws.ToString(c.RelatedContactId), *past.ContactId)
			ctEq(t, "copied attribute", c.Attributes["lang"], "de")
		})
	}
}

func TestStartChatContactQuota(t *testing.T) {
	t.Parallel()
	e := newCT(t, domain.Quotas{ActiveChats: 1})
	a := e.chat()
	_, err := e.Client.StartChatContact(e.ctx(), e.chatInput())
	ctContains(t, sbtest.APIError(t, err, "LimitExceededException", http.StatusTooManyRequests), "active chats")
	e.stop(*a.ContactId)
	e.chat()
}

// outboundInput is a valid StartOutboundChatContact request from src.
func (e *ctEnv) outboundInput(src string) *connect.StartOutboundChatContactInput {
	return &connect.StartOutboundChatContactInput{
		InstanceId: aws.String(e.iid), ContactFlowId: aws.String(e.flow),
		SourceEndpoint:      &types.Endpoint{Type: types.EndpointTypeConnectPhonenumberArn, Address: aws.String(src)},
		DestinationEndpoint: &types.Endpoint{Type: types.EndpointTypeTelephoneNumber, Address: aws.String("+14155550100")},
		SegmentAttributes:   map[string]types.SegmentAttributeValue{"connect:Subtype": segStr("connect:SMS")},
	}
}

func TestStartOutboundChatContact(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	src := e.phoneNumber("+12065550100")
	out, err := e.Client.StartOutboundChatContact(e.ctx(), e.outboundInput(src))
	if err != nil {
		t.Fatal(err)
	}
	c := e.describe(*out.ContactId)
	ctEq(t, "Channel", c.Channel, types.ChannelChat)
	ctEq(t, "InitiationMethod", c.InitiationMethod, types.ContactInitiationMethodApi)
	ctTime(t, "InitiationTimestamp", c.InitiationTimestamp, sbtest.Start)
	if c.CustomerEndpoint == nil || c.CustomerEndpoint.Type != types.EndpointTypeTelephoneNumber || aws.ToString(c.CustomerEndpoint.Address) != "+14155550100" {
		t.Errorf("CustomerEndpoint = %+v", c.CustomerEndpoint)
	}
	if c.SystemEndpoint == nil || aws.ToString(c.SystemEndpoint.Address) != "+12065550100" {
		t.Errorf("SystemEndpoint = %+v", c.SystemEndpoint)
	}
	ctEq(t, "Subtype", aws.ToString(c.SegmentAttributes["connect:Subtype"].ValueString), "connect:SMS")

	cases := []struct {
		name string
		mod  func(*connect.StartOutboundChatContactInput)
		exc  string
		says string
	}{
		{"source is a phone number", func(in *connect.StartOutboundChatContactInput) {
			in.SourceEndpoint = &types.Endpoint{Type: types.EndpointTypeTelephoneNumber, Address: aws.String("+12065550100")}
		}, "InvalidRequestException", "CONNECT_PHONENUMBER_ARN"},
		{"destination is VOIP", func(in *connect.StartOutboundChatContactInput) { in.DestinationEndpoint.Type = types.EndpointTypeVoip }, "InvalidRequestException", "TELEPHONE_NUMBER"},
		{"destination is an email", func(in *connect.StartOutboundChatContactInput) {
			in.DestinationEndpoint = &types.Endpoint{Type: types.EndpointTypeEmailAddress, Address: aws.String("a@b.c")}
		}, "InvalidRequestException", "TELEPHONE_NUMBER"},
		{"destination not E.164", func(in *connect.StartOutboundChatContactInput) {
			in.DestinationEndpoint.Address = aws.String("4155550100")
		}, "InvalidRequestException", "E.164"},
		{"no subtype", func(in *connect.StartOutboundChatContactInput) {
			in.SegmentAttributes = map[string]types.SegmentAttributeValue{"x": segStr("y")}
		}, "InvalidRequestException", "connect:SMS"},
		{"chat subtype", func(in *connect.StartOutboundChatContactInput) {
			in.SegmentAttributes["connect:Subtype"] = segStr("connect:Chat")
		}, "InvalidRequestException", "connect:SMS"},
		{"SMS with json", func(in *connect.StartOutboundChatContactInput) {
			in.InitialSystemMessage = &types.ChatMessage{ContentType: aws.String("application/json"), Content: aws.String("{}")}
		}, "InvalidRequestException", "text/plain"},
		{"SMS 1025 chars", func(in *connect.StartOutboundChatContactInput) {
			in.InitialSystemMessage = &types.ChatMessage{ContentType: aws.String("text/plain"), Content: aws.String(strings.Repeat("a", 1025))}
		}, "InvalidRequestException", "1024"},
		{"content types without text/plain", func(in *connect.StartOutboundChatContactInput) {
			in.SupportedMessagingContentTypes = []string{"text/markdown"}
		}, "InvalidRequestException", "text/plain"},
		{"unclaimed number", func(in *connect.StartOutboundChatContactInput) {
			in.SourceEndpoint.Address = aws.String("arn:aws:connect:us-east-1:123456789012:phone-number/00000000-0000-0000-0000-000000000000")
		}, "ResourceNotFoundException", "ClaimPhoneNumber"},
		{"unknown flow", func(in *connect.StartOutboundChatContactInput) { in.ContactFlowId = aws.String("nope") }, "ResourceNotFoundException", "nope"},
		{"missing flow (model)", func(in *connect.StartOutboundChatContactInput) { in.ContactFlowId = nil }, "InvalidRequestException", "ContactFlowId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := e.outboundInput(src)
			tc.mod(in)
			_, err := e.Raw.StartOutboundChatContact(sbtest.Ctx(t), in)
			ctContains(t, sbtest.APIError(t, err, tc.exc, map[string]int{"InvalidRequestException": 400, "ResourceNotFoundException": 404}[tc.exc]), tc.says)
		})
	}
}

func TestStartOutboundChatContactIdempotency(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	src := e.phoneNumber("+12065550101")
	in := e.outboundInput(src)
	in.ClientToken = aws.String("sms-1")
	a, err := e.Client.StartOutboundChatContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Client.StartOutboundChatContact(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	ctEq(t, "ContactId", *b.ContactId, *a.ContactId)
	other := e.outboundInput(src)
	other.ClientToken, other.DestinationEndpoint.Address = aws.String("sms-1"), aws.String("+14155550199")
	_, err = e.Client.StartOutboundChatContact(e.ctx(), other)
	ctContains(t, sbtest.APIError(t, err, "ConflictException", http.StatusConflict), "ClientToken")
	e.Clock.Advance(7 * 24 * time.Hour)
	c, err := e.Client.StartOutboundChatContact(e.ctx(), other)
	if err != nil {
		t.Fatal(err)
	}
	if *c.ContactId == *a.ContactId {
		t.Error("after 7 days the token still named the old contact")
	}
}

func TestStartOutboundChatContactQuota(t *testing.T) {
	t.Parallel()
	e := newCT(t, domain.Quotas{ActiveChats: 1})
	src := e.phoneNumber("+12065550102")
	e.chat()
	_, err := e.Client.StartOutboundChatContact(e.ctx(), e.outboundInput(src))
	ctContains(t, sbtest.APIError(t, err, "LimitExceededException", http.StatusTooManyRequests), "active chats")
}
