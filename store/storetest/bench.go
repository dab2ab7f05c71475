package storetest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
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
	start := taskStarter(b, s)
	b.ReportAllocs()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := start(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// taskStarter makes an instance in s and returns a function that starts
// one task in it as cmd/sbload's requests do.
func taskStarter(b *testing.B, s domain.Store) func() error {
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
	return func() error {
		n := benchSeq.Add(1)
		_, err := svc.StartTaskContact(ctx, domain.StartTaskParams{InstanceID: inst.ID, ContactFlowID: flowID,
			Name: fmt.Sprintf("load task %d", n), ClientToken: fmt.Sprintf("%08x-bench-token-%012d", uint32(n*2654435761), n),
			Attributes: map[string]string{"customer": "c-42", "priority": "high"}})
		return err
	}
}

// TaskRate is the rate BenchmarkStartTaskContactAtRate offers: about half
// of what cmd/sbload's closed loop gets from the whole server on the
// project's 2-core machine.
const TaskRate = 3500

// BenchmarkStartTaskContactAtRate offers b.N StartTaskContact calls at
// TaskRate a second, each in its own goroutine, to a store that already
// holds 50,000 tasks (filled first, untimed), and reports the latency of
// each call from its scheduled start: the store's share of cmd/sbload's
// half-load phase, without HTTP and without a load generator in another
// process sharing the cores. Run it with a fixed count, for example
// -benchtime 28000x (8 s); runs shorter than 1,000 calls are not measured.
// ns/op is only the interval between calls; the metrics are what it is for.
// watch, if not nil, is called as the measured calls begin, and what it
// returns as they end (a store reports its writer's commits there).
func BenchmarkStartTaskContactAtRate(b *testing.B, s domain.Store, watch func() (stop func())) {
	start := taskStarter(b, s)
	if b.N < 1000 {
		// The testing package's first probe (b.N = 1), or a run too short
		// to have a tail: the calls are made, nothing is measured.
		for range b.N {
			if err := start(); err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	if err := prefill(start, 50_000); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, b.N)
	var failed atomic.Int64
	var wg sync.WaitGroup
	interval := time.Second / TaskRate
	stop := func() {}
	if watch != nil {
		stop = watch()
	}
	b.ResetTimer()
	begin := time.Now()
	for i := range b.N {
		at := begin.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(at))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := start(); err != nil {
				failed.Add(1)
			}
			lat[i] = time.Since(at)
		}()
	}
	wg.Wait()
	b.StopTimer()
	stop()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d calls failed", n, b.N)
	}
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(ms(0.999), "p99.9-ms")
}

// prefill starts n tasks from 64 callers.
func prefill(start func() error, n int) error {
	var left atomic.Int64
	left.Store(int64(n))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				if err := start(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}
