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

func TestQueueEmailAddresses(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	addr := func(a string) string {
		t.Helper()
		out, err := env.Client.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: in, EmailAddress: aws.String(a)})
		if err != nil {
			t.Fatal(err)
		}
		return *out.EmailAddressId
	}
	support, sales, billing := addr("support@example.com"), addr("sales@example.com"), addr("billing@example.com")
	q := resBasicQueue(t, env, iid)
	if _, err := env.Client.UpdateQueueOutboundEmailConfig(ctx, &connect.UpdateQueueOutboundEmailConfigInput{InstanceId: in, QueueId: aws.String(q),
		OutboundEmailConfig: &types.OutboundEmailConfig{OutboundEmailAddressId: aws.String(support)}}); err != nil {
		t.Fatal(err)
	}
	cfg := func(ids ...string) []types.EmailAddressConfig {
		var out []types.EmailAddressConfig
		for _, id := range ids {
			out = append(out, types.EmailAddressConfig{EmailAddressId: aws.String(id)})
		}
		return out
	}
	if _, err := env.Client.AssociateQueueEmailAddresses(ctx, &connect.AssociateQueueEmailAddressesInput{InstanceId: in, QueueId: aws.String(q),
		EmailAddressesConfig: cfg(sales, billing, sales)}); err != nil {
		t.Fatal(err)
	}
	list := func() string {
		t.Helper()
		var parts []string
		var next *string
		for {
			// The SDK has no paginator for this operation; page by hand.
			page, err := env.Client.ListQueueEmailAddresses(ctx, &connect.ListQueueEmailAddressesInput{InstanceId: in, QueueId: aws.String(q),
				MaxResults: aws.Int32(2), NextToken: next})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page.EmailAddressMetadataList {
				s := *e.Id
				if e.IsDefaultOutboundEmail {
					s += "*"
				}
				parts = append(parts, s)
			}
			if next = page.NextToken; next == nil {
				return strings.Join(parts, ",")
			}
		}
	}
	if got, want := list(), support+"*,"+sales+","+billing; got != want {
		t.Errorf("ListQueueEmailAddresses = %s, want %s", got, want)
	}
	if _, err := env.Client.DisassociateQueueEmailAddresses(ctx, &connect.DisassociateQueueEmailAddressesInput{InstanceId: in, QueueId: aws.String(q),
		EmailAddressesId: []string{sales, "not-associated"}}); err != nil {
		t.Fatal(err)
	}
	if got, want := list(), support+"*,"+billing; got != want {
		t.Errorf("after disassociating: %s, want %s", got, want)
	}
	// An address in use by a queue cannot be deleted.
	_, err := env.Raw.DeleteEmailAddress(ctx, &connect.DeleteEmailAddressInput{InstanceId: in, EmailAddressId: aws.String(billing)})
	if err == nil {
		t.Error("deleted an address a queue has")
	}
	_, err = env.Raw.AssociateQueueEmailAddresses(ctx, &connect.AssociateQueueEmailAddressesInput{InstanceId: in, QueueId: aws.String(q), EmailAddressesConfig: cfg("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.AssociateQueueEmailAddresses(ctx, &connect.AssociateQueueEmailAddressesInput{InstanceId: in, QueueId: aws.String(q)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.ListQueueEmailAddresses(ctx, &connect.ListQueueEmailAddressesInput{InstanceId: in, QueueId: aws.String("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestListRoutingProfileManualAssignmentQueues(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	q := resBasicQueue(t, env, iid)
	rps, err := env.Client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: in})
	if err != nil {
		t.Fatal(err)
	}
	rp := rps.RoutingProfileSummaryList[0].Id
	if _, err := env.Client.AssociateRoutingProfileQueues(ctx, &connect.AssociateRoutingProfileQueuesInput{InstanceId: in, RoutingProfileId: rp,
		ManualAssignmentQueueConfigs: []types.RoutingProfileManualAssignmentQueueConfig{
			{QueueReference: &types.RoutingProfileQueueReference{QueueId: aws.String(q), Channel: types.ChannelTask}},
			{QueueReference: &types.RoutingProfileQueueReference{QueueId: aws.String(q), Channel: types.ChannelEmail}}}}); err != nil {
		t.Fatal(err)
	}
	out, err := env.Client.ListRoutingProfileManualAssignmentQueues(ctx, &connect.ListRoutingProfileManualAssignmentQueuesInput{InstanceId: in, RoutingProfileId: rp})
	if err != nil {
		t.Fatal(err)
	}
	l := out.RoutingProfileManualAssignmentQueueConfigSummaryList
	if len(l) != 2 || *l[0].QueueId != q || l[0].Channel != types.ChannelTask || l[1].Channel != types.ChannelEmail || *l[0].QueueName == "" || out.LastModifiedTime == nil {
		t.Errorf("manual queues %+v", l)
	}
	_, err = env.Raw.ListRoutingProfileManualAssignmentQueues(ctx, &connect.ListRoutingProfileManualAssignmentQueuesInput{InstanceId: in, RoutingProfileId: aws.String("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}
