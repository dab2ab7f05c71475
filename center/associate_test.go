package center_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestAssociateContactWithUser: a queued contact goes to the user named,
// whatever their status and free slots, and is taken from an agent it was
// offered to; a reject sends it back to its queue.
func TestAssociateContactWithUser(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	associate := func(contact, user string) error {
		_, err := w.Raw.AssociateContactWithUser(ctx, &connect.AssociateContactWithUserInput{InstanceId: &w.iid, ContactId: &contact, UserId: &user})
		return err
	}
	ada, bob := w.user("ada"), w.user("bob")
	adaToken, bobToken := w.login("ada"), w.login("bob")

	// Bob is Offline: he gets it anyway, and takes it.
	first := w.task("first")
	must(t, associate(first, bob))
	w.expectHeld("bob", bobToken, first, "CONNECTING")
	w.act(bobToken, first, "accept", 204)
	if c := w.describe(first); c.AgentInfo == nil || *c.AgentInfo.Id != bob {
		t.Fatalf("associated contact connected to %+v, want %s", c.AgentInfo, bob)
	}

	// Ada is offered the second; it is taken from her for Bob, who is at
	// his one task slot already.
	w.setStatus(ada, w.available)
	second := w.task("second")
	w.expectHeld("ada", adaToken, second, "CONNECTING")
	must(t, associate(second, bob))
	w.expectHeld("ada", adaToken)
	w.expectHeld("bob", bobToken, first, "CONNECTED", second, "CONNECTING")

	// Bob rejects it: back in the queue, Ada gets it.
	w.act(bobToken, second, "reject", 204)
	w.expectHeld("ada", adaToken, second, "CONNECTING")

	// Refusals.
	sbtest.APIError(t, associate(first, ada), "InvalidRequestException", 400) // connected, not queued
	sbtest.APIError(t, associate("00000000-0000-0000-0000-000000000000", ada), "ResourceNotFoundException", 404)
	sbtest.APIError(t, associate(second, "00000000-0000-0000-0000-000000000000"), "ResourceNotFoundException", 404)
	sbtest.APIError(t, associate(second, ""), "InvalidParameterException", 400)
	_, err := w.Raw.AssociateContactWithUser(ctx, &connect.AssociateContactWithUserInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000"), ContactId: &second, UserId: &ada})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}
