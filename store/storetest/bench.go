package storetest

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// benchData is about the size of a new task contact's JSON document.
var benchData = bytes.Repeat([]byte("x"), 600)

var benchSeq atomic.Int64

// putContact is the write StartTaskContact makes: one contact row in one
// durable Update.
func putContact(s domain.Store) error {
	id := fmt.Sprintf("bench-%012d", benchSeq.Add(1))
	now := time.Now()
	return s.Update(context.Background(), func(tx domain.Tx) error {
		return tx.PutContact(domain.ContactRow{
			InstanceID: "bench", ID: id, InitialContactID: id, Channel: "TASK", InitiationMethod: "API",
			QueueID: "q1", Active: true, InitiationTime: now, Data: benchData,
		})
	})
}

// BenchmarkUpdateSerial measures one caller doing durable Updates back to
// back: each pays a full commit (the fsync), the baseline group commit
// improves on.
func BenchmarkUpdateSerial(b *testing.B, s domain.Store) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := putContact(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateParallel measures many concurrent callers, as the API
// under load: group commit shares each commit among the waiting Updates.
// Use -cpu or SetParallelism-like flags to vary the caller count; it runs
// 64 callers per GOMAXPROCS, since callers mostly wait on I/O.
func BenchmarkUpdateParallel(b *testing.B, s domain.Store) {
	b.ReportAllocs()
	b.SetParallelism(64)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := putContact(s); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkLinkedTaskCount measures what StartTaskContact asks before it
// links a task to a PreviousContactId: how many tasks already name it, in
// an instance holding tasks many other tasks (100,000). It must cost what
// the chain costs, not what the instance holds.
func BenchmarkLinkedTaskCount(b *testing.B, s domain.Store) {
	const tasks, perCommit = 100_000, 5_000
	now := time.Now()
	for i := 0; i < tasks; i += perCommit {
		err := s.Update(context.Background(), func(tx domain.Tx) error {
			for j := i; j < i+perCommit; j++ {
				id := fmt.Sprintf("linked-%08d", j)
				prev := ""
				if j%1000 == 0 && j > 0 {
					prev = "linked-00000000"
				}
				if err := tx.PutContact(domain.ContactRow{InstanceID: "bench", ID: id, InitialContactID: id, PreviousContactID: prev,
					Channel: "TASK", InitiationMethod: "API", Active: true, InitiationTime: now, Data: benchData}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	q := domain.ContactQuery{InstanceID: "bench", PreviousContactID: "linked-00000000", Channels: []string{"TASK"}}
	b.ResetTimer()
	for b.Loop() {
		err := s.View(context.Background(), func(tx domain.ReadTx) error {
			n, err := tx.CountContacts(q)
			if err == nil && n != tasks/1000-1 {
				err = fmt.Errorf("counted %d linked tasks, want %d", n, tasks/1000-1)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartTaskContact measures what the single writer can do with
// StartTaskContact, the busiest write: many concurrent callers of the
// domain operation (no HTTP), each task with a ClientToken and two
// attributes as cmd/sbload sends them. With the callers doing almost
// nothing else, ns/op is the writer's serial cost per task (its
// transaction body plus its share of a commit), the ceiling of the
// server's task throughput.
func BenchmarkStartTaskContact(b *testing.B, s domain.Store) {
	svc := domain.NewService(s, clock.Real{}, domain.Config{Region: "us-east-1", AccountID: "000000000000",
		Quotas: domain.Quotas{ActiveTasks: 1 << 30}})
	ctx := context.Background()
	inst, err := svc.CreateInstance(ctx, domain.CreateInstanceParams{IdentityManagementType: "CONNECT_MANAGED", Alias: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	flows, _, err := svc.ListContactFlows(ctx, inst.ID, []string{"CONTACT_FLOW"}, domain.Page{})
	if err != nil || len(flows) == 0 {
		b.Fatalf("no inbound flow (%v)", err)
	}
	flowID := flows[0].ID
	b.ReportAllocs()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := benchSeq.Add(1)
			_, err := svc.StartTaskContact(ctx, domain.StartTaskParams{InstanceID: inst.ID, ContactFlowID: flowID,
				Name: fmt.Sprintf("load task %d", n), ClientToken: fmt.Sprintf("%08x-bench-token-%012d", uint32(n*2654435761), n),
				Attributes: map[string]string{"customer": "c-42", "priority": "high"}})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}
