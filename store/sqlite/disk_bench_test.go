package sqlite_test

import (
	"testing"

	"github.com/switchboard-cc/switchboard/store/sqlite"
)

// The two benchmarks below time the disk under the data directory, not
// the store (sqlite.FlushFile):
//
//	go test -run XXX -bench Flush ./store/sqlite
//
// They write under b.TempDir: set TMPDIR to a directory on the data
// directory's disk if /tmp is elsewhere (a tmpfs never really syncs).

// BenchmarkFlushWALCommit: what a commit costs the disk.
func BenchmarkFlushWALCommit(b *testing.B) {
	benchFlush(b, 64<<20, (*sqlite.FlushFile).Commit)
}

// BenchmarkFlushCheckpoint: what a checkpoint costs the disk.
func BenchmarkFlushCheckpoint(b *testing.B) {
	benchFlush(b, 128<<20, (*sqlite.FlushFile).Checkpoint)
}

func benchFlush(b *testing.B, size int64, flush func(*sqlite.FlushFile) error) {
	p, err := sqlite.NewFlushFile(b.TempDir(), size)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for b.Loop() {
		if err := flush(p); err != nil {
			b.Fatal(err)
		}
	}
}
