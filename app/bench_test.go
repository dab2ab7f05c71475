package app_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
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
