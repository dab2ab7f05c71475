package center_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestAuthenticationProfile: an instance has its default profile; its IP
// ranges decide where agents may log in from and use the agent API, and
// tokens already given stop working when their address is shut out.
func TestAuthenticationProfile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := sbtest.Ctx(t)
	w.user("ada")
	list, err := w.Client.ListAuthenticationProfiles(ctx, &connect.ListAuthenticationProfilesInput{InstanceId: &w.iid})
	if err != nil {
		t.Fatal(err)
	}
	if l := list.AuthenticationProfileSummaryList; len(l) != 1 || !l[0].IsDefault || !strings.HasSuffix(*l[0].Arn, "/authentication-profile/"+*l[0].Id) {
		t.Fatalf("profiles %+v", l)
	}
	id := *list.AuthenticationProfileSummaryList[0].Id
	d, err := w.Client.DescribeAuthenticationProfile(ctx, &connect.DescribeAuthenticationProfileInput{InstanceId: &w.iid, AuthenticationProfileId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if p := d.AuthenticationProfile; *p.Id != id || aws.ToInt32(p.MaxSessionDuration) != 720 || aws.ToInt32(p.PeriodicSessionDuration) != 60 ||
		aws.ToBool(p.SessionInactivityHandlingEnabled) || len(p.AllowedIps) != 0 || !p.CreatedTime.Equal(sbtest.Start) {
		t.Fatalf("default profile %+v", p)
	}
	update := func(in connect.UpdateAuthenticationProfileInput) error {
		in.InstanceId, in.AuthenticationProfileId = &w.iid, &id
		_, err := w.Raw.UpdateAuthenticationProfile(ctx, &in)
		return err
	}
	login := func() int {
		status, _ := w.agentAPI("POST", "/agent/v1/instances/"+w.iid+"/login", "", map[string]string{"username": "ada", "password": "Passw0rd!"})
		return status
	}
	token := w.login("ada")

	// Only 10.0.0.0/8 may: the test's loopback may not, with or without a
	// token.
	if err := update(connect.UpdateAuthenticationProfileInput{AllowedIps: []string{"10.0.0.0/8"}, Description: aws.String("office only")}); err != nil {
		t.Fatal(err)
	}
	if status := login(); status != 403 {
		t.Fatalf("login from outside AllowedIps: %d, want 403", status)
	}
	if status, out := w.agentAPI("GET", "/agent/v1/instances/"+w.iid+"/snapshot", token, nil); status != 403 || out["code"] != "access_denied" {
		t.Fatalf("a token used from outside AllowedIps: %d %v", status, out)
	}
	// Loopback allowed, then blocked: blocking wins.
	if err := update(connect.UpdateAuthenticationProfileInput{AllowedIps: []string{"127.0.0.1", "::1"}}); err != nil {
		t.Fatal(err)
	}
	if status := login(); status != 200 {
		t.Fatalf("login from an allowed address: %d", status)
	}
	if err := update(connect.UpdateAuthenticationProfileInput{BlockedIps: []string{"127.0.0.0/8", "::1/128"}}); err != nil {
		t.Fatal(err)
	}
	if status := login(); status != 403 {
		t.Fatalf("login from a blocked address: %d, want 403", status)
	}
	if err := update(connect.UpdateAuthenticationProfileInput{AllowedIps: []string{}, BlockedIps: []string{}, SessionInactivityHandlingEnabled: aws.Bool(true),
		SessionInactivityDuration: aws.Int32(30)}); err != nil {
		t.Fatal(err)
	}
	if status := login(); status != 200 {
		t.Fatalf("login after the ranges were cleared: %d", status)
	}
	d, err = w.Client.DescribeAuthenticationProfile(ctx, &connect.DescribeAuthenticationProfileInput{InstanceId: &w.iid, AuthenticationProfileId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if p := d.AuthenticationProfile; len(p.AllowedIps)+len(p.BlockedIps) != 0 || *p.Description != "office only" || !aws.ToBool(p.SessionInactivityHandlingEnabled) ||
		aws.ToInt32(p.SessionInactivityDuration) != 30 || !p.LastModifiedTime.Equal(sbtest.Start) {
		t.Fatalf("updated profile %+v", p)
	}

	// Refusals.
	sbtest.APIError(t, update(connect.UpdateAuthenticationProfileInput{AllowedIps: []string{"10.0.0.0/33"}}), "InvalidParameterException", 400)
	sbtest.APIError(t, update(connect.UpdateAuthenticationProfileInput{PeriodicSessionDuration: aws.Int32(5)}), "InvalidParameterException", 400)
	_, err = w.Raw.UpdateAuthenticationProfile(ctx, &connect.UpdateAuthenticationProfileInput{InstanceId: &w.iid, AuthenticationProfileId: aws.String("nope"), Name: aws.String("x")})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = w.Raw.DescribeAuthenticationProfile(ctx, &connect.DescribeAuthenticationProfileInput{InstanceId: &w.iid, AuthenticationProfileId: aws.String("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}
