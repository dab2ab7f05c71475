package awsapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// A new instance has every attribute, with the defaults a console-created
// instance shows; infrastructure-as-code tools set them one by one after
// CreateInstance and read them back.
func TestInstanceAttributes(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)

	listAll := func() map[types.InstanceAttributeType]string {
		t.Helper()
		got := map[types.InstanceAttributeType]string{}
		pages := 0
		p := connect.NewListInstanceAttributesPaginator(env.Client, &connect.ListInstanceAttributesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(7)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatalf("ListInstanceAttributes: %v", err)
			}
			pages++
			for _, a := range out.Attributes {
				got[a.AttributeType] = *a.Value
			}
		}
		if pages != 2 {
			t.Errorf("13 attributes came in %d pages of 7, want 2", pages)
		}
		return got
	}
	got := listAll()
	if len(got) != len(types.InstanceAttributeType("").Values()) {
		t.Fatalf("listed %d attributes, the model has %d: %v", len(got), len(types.InstanceAttributeType("").Values()), got)
	}
	// sbtest's instance is created with inbound and outbound calls on.
	for typ, want := range map[types.InstanceAttributeType]string{
		types.InstanceAttributeTypeInboundCalls: "true", types.InstanceAttributeTypeOutboundCalls: "true",
		types.InstanceAttributeTypeContactLens: "true", types.InstanceAttributeTypeAutoResolveBestVoices: "true",
		types.InstanceAttributeTypeEarlyMedia: "true", types.InstanceAttributeTypeContactflowLogs: "false",
		types.InstanceAttributeTypeMultiPartyConference: "false", types.InstanceAttributeTypeMessageStreaming: "false",
	} {
		if got[typ] != want {
			t.Errorf("%s = %q, want %q", typ, got[typ], want)
		}
	}

	set := func(typ types.InstanceAttributeType, v string) {
		t.Helper()
		if _, err := env.Client.UpdateInstanceAttribute(ctx, &connect.UpdateInstanceAttributeInput{InstanceId: aws.String(iid),
			AttributeType: typ, Value: aws.String(v)}); err != nil {
			t.Fatalf("UpdateInstanceAttribute %s=%s: %v", typ, v, err)
		}
	}
	describe := func(typ types.InstanceAttributeType) string {
		t.Helper()
		out, err := env.Client.DescribeInstanceAttribute(ctx, &connect.DescribeInstanceAttributeInput{InstanceId: aws.String(iid), AttributeType: typ})
		if err != nil {
			t.Fatalf("DescribeInstanceAttribute %s: %v", typ, err)
		}
		if out.Attribute.AttributeType != typ {
			t.Errorf("DescribeInstanceAttribute %s answered for %s", typ, out.Attribute.AttributeType)
		}
		return *out.Attribute.Value
	}
	set(types.InstanceAttributeTypeContactflowLogs, "true")
	set(types.InstanceAttributeTypeContactLens, "FALSE") // any case; stored in lower case
	if v := describe(types.InstanceAttributeTypeContactflowLogs); v != "true" {
		t.Errorf("CONTACTFLOW_LOGS = %q after setting it", v)
	}
	if v := describe(types.InstanceAttributeTypeContactLens); v != "false" {
		t.Errorf("CONTACT_LENS = %q after setting FALSE", v)
	}
	// Setting the same value again (a retry) changes nothing.
	set(types.InstanceAttributeTypeContactflowLogs, "true")

	// Inbound and outbound calls are the instance's own fields.
	set(types.InstanceAttributeTypeInboundCalls, "false")
	inst, err := env.Client.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	if *inst.Instance.InboundCallsEnabled || !*inst.Instance.OutboundCallsEnabled {
		t.Errorf("DescribeInstance after INBOUND_CALLS=false: inbound %v, outbound %v", *inst.Instance.InboundCallsEnabled, *inst.Instance.OutboundCallsEnabled)
	}
	got = listAll()
	if got[types.InstanceAttributeTypeInboundCalls] != "false" || got[types.InstanceAttributeTypeContactflowLogs] != "true" ||
		got[types.InstanceAttributeTypeEarlyMedia] != "true" {
		t.Errorf("attributes after the updates: %v", got)
	}
	// The instance keeps its alias and tags through an update.
	if *inst.Instance.InstanceAlias == "" {
		t.Error("the instance lost its alias")
	}
}

func TestInstanceAttributeErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	const missing = "00000000-0000-0000-0000-000000000000"

	_, err := env.Raw.DescribeInstanceAttribute(ctx, &connect.DescribeInstanceAttributeInput{InstanceId: aws.String(missing), AttributeType: types.InstanceAttributeTypeContactLens})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.UpdateInstanceAttribute(ctx, &connect.UpdateInstanceAttributeInput{InstanceId: aws.String(missing), AttributeType: types.InstanceAttributeTypeContactLens, Value: aws.String("true")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.ListInstanceAttributes(ctx, &connect.ListInstanceAttributesInput{InstanceId: aws.String(missing)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	// An attribute type the model does not have.
	_, err = env.Raw.DescribeInstanceAttribute(ctx, &connect.DescribeInstanceAttributeInput{InstanceId: aws.String(iid), AttributeType: "VIDEO"})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.UpdateInstanceAttribute(ctx, &connect.UpdateInstanceAttributeInput{InstanceId: aws.String(iid), AttributeType: "VIDEO", Value: aws.String("true")})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)

	// Values: required, 1–100 characters (the model), and a boolean.
	for name, v := range map[string]*string{
		"missing": nil, "empty": aws.String(""), "101 characters": aws.String(strings.Repeat("t", 101)), "not a boolean": aws.String("yes"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := env.Raw.UpdateInstanceAttribute(ctx, &connect.UpdateInstanceAttributeInput{InstanceId: aws.String(iid),
				AttributeType: types.InstanceAttributeTypeEarlyMedia, Value: v})
			msg := sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
			if name == "not a boolean" && !strings.Contains(msg, `"true" or "false"`) {
				t.Errorf("message %q does not say which values are allowed", msg)
			}
		})
	}
	if v, err := env.Client.DescribeInstanceAttribute(ctx, &connect.DescribeInstanceAttributeInput{InstanceId: aws.String(iid), AttributeType: types.InstanceAttributeTypeEarlyMedia}); err != nil || *v.Attribute.Value != "true" {
		t.Errorf("EARLY_MEDIA after refused updates: %v, %v", v, err)
	}

	// Page sizes 1–7, and tokens this server issued.
	for _, n := range []int32{0, 8} {
		_, err = env.Raw.ListInstanceAttributes(ctx, &connect.ListInstanceAttributesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(n)})
		sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	}
	_, err = env.Raw.ListInstanceAttributes(ctx, &connect.ListInstanceAttributesInput{InstanceId: aws.String(iid), NextToken: aws.String("garbage!")})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
}
