package sqlite_test

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/store/sqlite"
	"github.com/switchboard-cc/switchboard/store/sqlstore"
	"github.com/switchboard-cc/switchboard/store/storetest"
)

func bench(b *testing.B, run func(*testing.B, *sqlstore.Store)) {
	s, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	before := s.Stats()
	run(b, s)
	b.StopTimer()
	after := s.Stats()
	if c := after.Commits - before.Commits; c > 0 {
		b.ReportMetric(float64(after.Updates-before.Updates)/float64(c), "updates/commit")
	}
}

func BenchmarkUpdateSerial(b *testing.B) {
	bench(b, func(b *testing.B, s *sqlstore.Store) { storetest.BenchmarkUpdateSerial(b, s) })
}

func BenchmarkUpdateParallel(b *testing.B) {
	bench(b, func(b *testing.B, s *sqlstore.Store) { storetest.BenchmarkUpdateParallel(b, s) })
}

func BenchmarkLinkedTaskCount(b *testing.B) {
	bench(b, func(b *testing.B, s *sqlstore.Store) { storetest.BenchmarkLinkedTaskCount(b, s) })
}

func BenchmarkStartTaskContact(b *testing.B) {
	bench(b, func(b *testing.B, s *sqlstore.Store) { storetest.BenchmarkStartTaskContact(b, s) })
}

// BenchmarkStartTaskContactAtRate: see storetest. Beside the calls'
// latency it reports the writer's commits while they ran: how many
// requests each took, the commits' p99, and how many took over 2 ms.
//
//	go test -run XXX -bench AtRate -benchtime 28000x ./store/sqlite
func BenchmarkStartTaskContactAtRate(b *testing.B) {
	s, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkStartTaskContactAtRate(b, s, func() func() {
		var mu sync.Mutex
		var commits []time.Duration
		before := s.Stats()
		s.ObserveCommits(func(d time.Duration) {
			mu.Lock()
			commits = append(commits, d)
			mu.Unlock()
		})
		return func() {
			s.ObserveCommits(nil)
			after := s.Stats()
			mu.Lock()
			defer mu.Unlock()
			if len(commits) == 0 {
				return
			}
			slices.Sort(commits)
			slow := 0
			for _, d := range commits {
				if d > 2*time.Millisecond {
					slow++
				}
			}
			b.ReportMetric(float64(after.Updates-before.Updates)/float64(after.Commits-before.Commits), "updates/commit")
			b.ReportMetric(float64(commits[len(commits)*99/100].Microseconds())/1000, "commit-p99-ms")
			b.ReportMetric(float64(slow), "commits>2ms")
		}
	})
}
