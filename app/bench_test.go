package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// BenchmarkStartTaskContact measures one StartTaskContact through the SDK,
// with and without the runtime (the default inbound flow queueing the
// task), to show what running the flow adds. cmd/sbload measures
// throughput under load; this isolates the cost per request.
func BenchmarkStartTaskContact(b *testing.B) {
	for _, rt := range []bool{false, true} {
		name := "api-only"
		if rt {
			name = "with-runtime"
		}
		b.Run(name, func(b *testing.B) {
			env := sbtest.New(b, sbtest.Options{Runtime: rt, Quotas: domain.Quotas{ActiveTasks: 1 << 30}})
			iid := env.Instance(b)
			ctx := sbtest.Ctx(b)
			flows, err := env.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
			if err != nil {
				b.Fatal(err)
			}
			in := &connect.StartTaskContactInput{InstanceId: &iid, Name: aws.String("bench"), ContactFlowId: flows.ContactFlowSummaryList[0].Id}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := env.Client.StartTaskContact(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkServeStartTaskContact is the server's side of one
// StartTaskContact: a signed request, prepared beforehand, handed to the
// server's handler, verified, decoded, committed and answered, with no
// client or network in the loop (signed with the wall clock, as the SDK
// signs and the server checks). Its B/op and allocs/op are what each
// request costs the collector, whose cycles show in cmd/sbload's tail.
func BenchmarkServeStartTaskContact(b *testing.B) {
	env := sbtest.New(b, sbtest.Options{Quotas: domain.Quotas{ActiveTasks: 1 << 30}})
	iid := env.Instance(b)
	flows, err := env.Client.ListContactFlows(sbtest.Ctx(b), &connect.ListContactFlowsInput{InstanceId: &iid, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil {
		b.Fatal(err)
	}
	fid := *flows.ContactFlowSummaryList[0].Id
	signer := v4.NewSigner()
	creds := aws.Credentials{AccessKeyID: sbtest.AccessKeyID, SecretAccessKey: sbtest.SecretAccessKey}
	type prepared struct {
		header http.Header
		body   []byte
	}
	reqs := make([]prepared, b.N)
	for i := range reqs {
		body := fmt.Appendf(nil, `{"InstanceId":%q,"ContactFlowId":%q,"Name":"bench","ClientToken":"bench-%d"}`, iid, fid, i)
		r := httptest.NewRequest(http.MethodPut, "/contact/task", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		sum := sha256.Sum256(body)
		if err := signer.SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "connect", sbtest.Region, time.Now()); err != nil {
			b.Fatal(err)
		}
		reqs[i] = prepared{r.Header, body}
	}
	h := env.App.Handler()
	u, _ := url.Parse("/contact/task")
	w := &discard{header: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		// The request as net/http's server hands it over, without the
		// reader per request that httptest.NewRequest allocates (a
		// server keeps one per connection).
		r := &http.Request{Method: http.MethodPut, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: reqs[i].header, Body: io.NopCloser(bytes.NewReader(reqs[i].body)),
			ContentLength: int64(len(reqs[i].body)), Host: "example.com", RequestURI: u.Path}
		clear(w.header)
		h.ServeHTTP(w, r.WithContext(context.Background()))
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

// discard is a ResponseWriter that keeps the status and drops the body.
type discard struct {
	header http.Header
	status int
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(code int)        { d.status = code }
