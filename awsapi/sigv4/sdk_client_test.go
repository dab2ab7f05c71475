package sigv4_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
)

// TestConnectSDKClient drives the generated Amazon Connect client against
// the verifier: whatever the SDK serializes (ARNs in path labels, query
// parameters, JSON bodies, its own x-amz-* and amz-sdk-* headers) must verify.
func TestConnectSDKClient(t *testing.T) {
	h := newHarness(t)
	v := &sigv4.Verifier{
		Lookup:  sigv4.StaticLookup(sigv4.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}),
		Service: "connect",
	}
	client := connect.New(connect.Options{
		Region:           "eu-west-2",
		BaseEndpoint:     aws.String(h.srv.URL),
		HTTPClient:       h.srv.Client(),
		RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: "tok"}, nil
		}),
	})
	instance := "arn:aws:connect:eu-west-2:123456789012:instance/8f1c2e4a-0000-4000-8000-000000000001"
	user := "user +:/é✓ 100%"
	calls := map[string]func(ctx context.Context) error{
		"DescribeUser (ARN and odd chars in path)": func(ctx context.Context) error {
			_, err := client.DescribeUser(ctx, &connect.DescribeUserInput{InstanceId: &instance, UserId: &user})
			return err
		},
		"ListUsers (query string)": func(ctx context.Context) error {
			_, err := client.ListUsers(ctx, &connect.ListUsersInput{InstanceId: &instance, MaxResults: aws.Int32(7), NextToken: aws.String("a/b c+d=")})
			return err
		},
		"UpdateUserIdentityInfo (JSON body)": func(ctx context.Context) error {
			_, err := client.UpdateUserIdentityInfo(ctx, &connect.UpdateUserIdentityInfoInput{
				InstanceId: &instance, UserId: &user,
				IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("Ada"), LastName: aws.String("Lovelace  Byron")},
			})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			h.mu.Lock()
			h.v = v
			h.mu.Unlock()
			if err := call(t.Context()); err != nil {
				t.Fatalf("SDK call failed: %v", err)
			}
			res := <-h.results
			if res.err != nil {
				t.Fatalf("Verify: %v", res.err)
			}
			if res.id.Region != "eu-west-2" || res.id.Service != "connect" || res.id.AccessKeyID != testKeyID {
				t.Fatalf("identity = %+v", *res.id)
			}
		})
	}

	t.Run("wrong secret surfaces as InvalidSignatureException", func(t *testing.T) {
		bad := connect.New(connect.Options{
			Region: "eu-west-2", BaseEndpoint: aws.String(h.srv.URL), HTTPClient: h.srv.Client(), RetryMaxAttempts: 1,
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: "nope"}, nil
			}),
		})
		h.mu.Lock()
		h.v = v
		h.mu.Unlock()
		_, err := bad.DescribeUser(t.Context(), &connect.DescribeUserInput{InstanceId: &instance, UserId: &user})
		if err == nil {
			t.Fatal("SDK call unexpectedly succeeded")
		}
		res := <-h.results
		wantErr(t, res.err, sigv4.CodeInvalidSignature, 403)
	})
}
