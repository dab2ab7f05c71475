package app_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// A ClientToken is removed from the store by the first hourly sweep after
// its 7-day window, and not before: a token nothing can claim any more
// must not stay forever (chat clients send one with every message).
func TestExpiredClientTokensAreSwept(t *testing.T) {
	t.Parallel()
	env := sbtest.New(t)
	iid := env.Instance(t)
	ctx := sbtest.Ctx(t)
	flows, err := env.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil {
		t.Fatal(err)
	}
	start := func(token string) {
		t.Helper()
		if _, err := env.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &iid, Name: aws.String("t"),
			ContactFlowId: flows.ContactFlowSummaryList[0].Id, ClientToken: aws.String(token)}); err != nil {
			t.Fatal(err)
		}
	}
	held := func(token string) bool {
		t.Helper()
		var found bool
		err := env.Store().View(ctx, func(tx domain.ReadTx) error {
			_, err := tx.GetIdempotency(iid, "StartTaskContact", token)
			found = err == nil
			if errors.Is(err, domain.ErrStoreNotFound) {
				return nil
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return found
	}
	start("old")
	env.Clock.Advance(domain.IdempotencyWindow - app.TokenSweepEvery)
	start("new")
	env.Clock.Advance(app.TokenSweepEvery)
	if !held("old") {
		t.Fatal("the token was swept before its 7-day window had passed")
	}
	env.Clock.Advance(app.TokenSweepEvery)
	if held("old") {
		t.Error("a token past its 7-day window is still stored after a sweep")
	}
	if !held("new") {
		t.Error("a token within its window was swept")
	}
}
