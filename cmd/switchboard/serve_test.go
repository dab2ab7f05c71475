package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startMain runs `serve` on a free port over dir and returns a client and a
// stop function that shuts the server down gracefully and waits for it.
func startMain(t *testing.T, dir string) (*connect.Client, string, func()) {
	t.Helper()
	m := NewMain()
	out := &syncBuffer{}
	m.Stdout = out
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--account-id", "111122223333", "--log-level", "error"}); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	m.Ready = ready
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve exited: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, credentialsFile))
	if err != nil {
		t.Fatalf("credentials were not saved: %v", err)
	}
	var c sigv4.Credentials
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), c.AccessKeyID) || !strings.Contains(out.String(), "--endpoint-url http://"+addr) {
		t.Fatalf("banner lacks the credentials or endpoint:\n%s", out.String())
	}
	client := connect.New(connect.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://" + addr),
		Credentials: credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, ""), RetryMaxAttempts: 1})
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("serve: %v", err)
		}
	}
	return client, addr, stop
}

// TestRestartKeepsEverything starts the real server, writes through the SDK,
// stops it gracefully, starts it again on the same data dir and reads back.
func TestRestartKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	client, _, stop := startMain(t, dir)
	ctx := context.Background()
	inst, err := client.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: "CONNECT_MANAGED",
		InstanceAlias: aws.String("restart-test"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(*inst.Arn, "arn:aws:connect:us-east-1:111122223333:instance/") {
		t.Fatalf("instance ARN %s does not use --account-id", *inst.Arn)
	}
	flows, err := client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: inst.Id, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil || len(flows.ContactFlowSummaryList) == 0 {
		t.Fatalf("no inbound flow: %v", err)
	}
	var ids []string
	for i := 0; i < 20; i++ {
		out, err := client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst.Id, Name: aws.String("task"),
			ContactFlowId: flows.ContactFlowSummaryList[0].Id, Attributes: map[string]string{"n": "v"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *out.ContactId)
	}
	stop()

	client, _, stop = startMain(t, dir)
	defer stop()
	for _, id := range ids {
		d, err := client.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: inst.Id, ContactId: aws.String(id)})
		if err != nil {
			t.Fatalf("contact %s lost across restart: %v", id, err)
		}
		if d.Contact.Attributes["n"] != "v" {
			t.Fatalf("attributes of %s lost: %v", id, d.Contact.Attributes)
		}
	}
}

func TestParseFlagsRejects(t *testing.T) {
	for name, args := range map[string][]string{
		"short account":  {"--account-id", "123"},
		"bad clock":      {"--clock", "fast"},
		"bad store":      {"--store", "mysql://x"},
		"bad addr":       {"--addr", "nope"},
		"unknown quota":  {"--quota", "widgets=3"},
		"zero quota":     {"--quota", "instances=0"},
		"stray argument": {"now"},
	} {
		t.Run(name, func(t *testing.T) {
			m := NewMain()
			m.Stdout = &bytes.Buffer{}
			if err := m.ParseFlags(args); err == nil {
				t.Fatalf("ParseFlags(%v) accepted", args)
			}
		})
	}
	m := NewMain()
	if err := m.ParseFlags([]string{"--quota", "instances=50", "--quota", "active-tasks=3"}); err != nil {
		t.Fatal(err)
	}
	if m.Quotas.Instances != 50 || m.Quotas.ActiveTasks != 3 {
		t.Fatalf("quotas not applied: %+v", m.Quotas)
	}
}

// TestClockCommand moves a virtual server's clock with `switchboard clock`.
func TestClockCommand(t *testing.T) {
	dir := t.TempDir()
	m := NewMain()
	m.Stdout = &syncBuffer{}
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--clock", "virtual", "--log-level", "error"}); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	m.Ready = ready
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	addr := <-ready
	defer func() { cancel(); <-done }()
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	run := func(args ...string) string {
		var out bytes.Buffer
		if err := clockCommand(context.Background(), append([]string{"--endpoint", "http://" + addr, "--data-dir", dir}, args...), &out); err != nil {
			t.Fatalf("clock %v: %v", args, err)
		}
		return out.String()
	}
	before := run()
	if !strings.Contains(before, "virtual clock") {
		t.Fatalf("clock says %q", before)
	}
	after := run("set", "2040-01-01T00:00:00Z")
	if !strings.HasPrefix(after, "2040-01-01T00:00:00Z") {
		t.Fatalf("after set: %q", after)
	}
	if got := run("advance", "36h"); !strings.HasPrefix(got, "2040-01-02T12:00:00Z") {
		t.Fatalf("after advance: %q", got)
	}
	var out bytes.Buffer
	if err := clockCommand(context.Background(), []string{"--endpoint", "http://" + addr, "--data-dir", dir, "advance", "-1h"}, &out); err == nil || !strings.Contains(err.Error(), "InvalidParameterException") {
		t.Fatalf("negative advance: %v", err)
	}
}
