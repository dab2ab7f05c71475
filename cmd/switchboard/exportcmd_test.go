package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestExportCommand: the CLI signs, streams the records to stdout, checks
// the trailer and reports on stderr. (Not parallel: it sets the AWS
// credential variables.)
func TestExportCommand(t *testing.T) {
	e := sbtest.New(t, sbtest.Options{Runtime: true})
	iid := e.Instance(t)
	ctx := sbtest.Ctx(t)
	flows, err := e.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 3 {
		out, err := e.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: &iid, ContactFlowId: flows.ContactFlowSummaryList[0].Id, Name: aws.String("t")})
		if err != nil {
			t.Fatal(err)
		}
		e.Clock.Advance(time.Duration(i+1) * time.Second)
		if _, err := e.Client.StopContact(ctx, &connect.StopContactInput{InstanceId: &iid, ContactId: out.ContactId}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *out.ContactId)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", sbtest.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", sbtest.SecretAccessKey)
	var stdout, stderr bytes.Buffer
	args := []string{"--endpoint", e.URL, "--instance", iid, "--from", sbtest.Start.Format(time.RFC3339), "--to", sbtest.Start.Add(time.Hour).Format(time.RFC3339)}
	if err := exportCommand(ctx, args, &stdout, &stderr); err != nil {
		t.Fatalf("export: %v (stderr %s)", err, stderr.String())
	}
	var got []string
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		var r struct{ ContactId, DisconnectReason string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("not a record: %s", sc.Bytes())
		}
		got = append(got, r.ContactId)
	}
	if strings.Join(got, ",") != strings.Join(ids, ",") {
		t.Fatalf("exported %v, want %v in disconnect order", got, ids)
	}
	if !strings.Contains(stderr.String(), "3 contact records exported") {
		t.Fatalf("no final progress line on stderr: %q", stderr.String())
	}

	err = exportCommand(ctx, []string{"--endpoint", e.URL, "--instance", "nope", "--from", "2026-03-02T09:00:00Z", "--to", "2026-03-02T10:00:00Z"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Fatalf("unknown instance: %v", err)
	}
	if err := exportCommand(ctx, []string{"--instance", iid}, &stdout, &stderr); err == nil {
		t.Fatal("missing --from/--to accepted")
	}
}

// TestCopyRecordsTruncated: a stream cut inside a record is an error, not a
// shorter export.
func TestCopyRecordsTruncated(t *testing.T) {
	var out bytes.Buffer
	n, err := copyRecords(bufio.NewWriter(&out), strings.NewReader("{\"ContactId\":\"a\"}\n{\"Contact"), func(int) {})
	if err == nil || n != 1 {
		t.Fatalf("copyRecords = %d, %v; want 1 and an error", n, err)
	}
}
