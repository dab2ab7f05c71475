package awsapi_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// replays checks one create with a ClientToken: a retry answers what the
// first call made; once remove has deleted that, a retry makes it anew,
// and the next retry answers the new one. It returns the new one's ID.
func replays(t *testing.T, create func() (string, error), remove func(id string) error) string {
	t.Helper()
	first, err := create()
	if err != nil {
		t.Fatal(err)
	}
	if again, err := create(); err != nil || again != first {
		t.Fatalf("retry: %q %v, want %s", again, err, first)
	}
	if err := remove(first); err != nil {
		t.Fatal(err)
	}
	renewed, err := create()
	if err != nil || renewed == first {
		t.Fatalf("retry after the delete: %q %v, want it made anew", renewed, err)
	}
	if again, err := create(); err != nil || again != renewed {
		t.Fatalf("retry of the one made anew: %q %v, want %s", again, err, renewed)
	}
	return renewed
}

// The operations that create a resource other than a contact claim their
// ClientToken as the contact-starting ones do (domain.claimToken): a retry
// answers the first result, a token reused with other parameters is
// refused, and a token whose resource was deleted since makes it again
// and then answers the new one.
func TestClientTokenOfResources(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)

	t.Run("CreateInstance", func(t *testing.T) {
		in := &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("tok-inst"),
			InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true), ClientToken: aws.String("inst-1")}
		replays(t, func() (string, error) {
			out, err := env.Client.CreateInstance(ctx, in)
			if err != nil {
				return "", err
			}
			return *out.Id, nil
		}, func(id string) error {
			_, err := env.Client.DeleteInstance(ctx, &connect.DeleteInstanceInput{InstanceId: aws.String(id)})
			return err
		})
		bad := *in
		bad.InstanceAlias = aws.String("tok-inst-2")
		_, err := env.Client.CreateInstance(ctx, &bad)
		// CreateInstance models no IdempotencyException.
		ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest), "inst-1", "different parameters")
	})

	t.Run("ClaimPhoneNumber", func(t *testing.T) {
		in := &connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+12065550177"), ClientToken: aws.String("claim-1")}
		replays(t, func() (string, error) {
			out, err := env.Client.ClaimPhoneNumber(ctx, in)
			if err != nil {
				return "", err
			}
			return *out.PhoneNumberId, nil
		}, func(id string) error {
			_, err := env.Client.ReleasePhoneNumber(ctx, &connect.ReleasePhoneNumberInput{PhoneNumberId: aws.String(id)})
			return err
		})
		_, err := env.Client.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+12065550178"), ClientToken: aws.String("claim-1")})
		ctContains(t, sbtest.APIError(t, err, "IdempotencyException", http.StatusConflict), "claim-1")
	})

	t.Run("ReleasePhoneNumber", func(t *testing.T) {
		var ids []string
		for _, num := range []string{"+12065550181", "+12065550182"} {
			out, err := env.Client.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String(num)})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, *out.PhoneNumberId)
		}
		rel := &connect.ReleasePhoneNumberInput{PhoneNumberId: aws.String(ids[0]), ClientToken: aws.String("rel-1")}
		for i := 0; i < 2; i++ {
			if _, err := env.Client.ReleasePhoneNumber(ctx, rel); err != nil {
				t.Fatalf("release #%d: %v", i+1, err)
			}
		}
		_, err := env.Client.ReleasePhoneNumber(ctx, &connect.ReleasePhoneNumberInput{PhoneNumberId: aws.String(ids[1]), ClientToken: aws.String("rel-1")})
		ctContains(t, sbtest.APIError(t, err, "IdempotencyException", http.StatusConflict), "rel-1")
		if _, err := env.Client.DescribePhoneNumber(ctx, &connect.DescribePhoneNumberInput{PhoneNumberId: aws.String(ids[1])}); err != nil {
			t.Errorf("the refused release released the number: %v", err)
		}
	})

	t.Run("CreateTaskTemplate", func(t *testing.T) {
		flow := resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)
		in := ttInput(iid, "Tokened", flow)
		in.ClientToken = aws.String("tt-1")
		first, err := env.Client.CreateTaskTemplate(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := env.Client.CreateTaskTemplate(ctx, in)
		if err != nil || *again.Id != *first.Id {
			t.Fatalf("retry: %v %v, want template %s", again, err, *first.Id)
		}
		in.Name = aws.String("Tokened again")
		_, err = env.Client.CreateTaskTemplate(ctx, in)
		// CreateTaskTemplate models no IdempotencyException.
		ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest), "tt-1", "different parameters")
	})

	t.Run("CreateEmailAddress after a delete", func(t *testing.T) {
		in := &connect.CreateEmailAddressInput{InstanceId: aws.String(iid), EmailAddress: aws.String("tok@example.com"), ClientToken: aws.String("addr-1")}
		replays(t, func() (string, error) {
			out, err := env.Client.CreateEmailAddress(ctx, in)
			if err != nil {
				return "", err
			}
			return *out.EmailAddressId, nil
		}, func(id string) error {
			_, err := env.Client.DeleteEmailAddress(ctx, &connect.DeleteEmailAddressInput{InstanceId: aws.String(iid), EmailAddressId: aws.String(id)})
			return err
		})
	})
}
