package sqlite_test

import (
	"path/filepath"
	"testing"

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
