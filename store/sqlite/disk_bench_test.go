package sqlite_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// The two benchmarks below time the disk under the data directory, not
// the store: the two kinds of flush a SQLite store in WAL mode asks of it.
// They say how much of the store's latency is the machine's, and they make
// figures from different machines comparable (BENCHMARKS.md).
//
//	go test -run XXX -bench Flush ./store/sqlite
//
// They write under b.TempDir: set TMPDIR to a directory on the data
// directory's disk if /tmp is elsewhere (a tmpfs never really syncs).

// BenchmarkFlushWALCommit: what a commit costs the disk. Ten pages
// appended to a file in one place, then fsync, as SQLite does with a
// commit's frames at the end of its WAL.
func BenchmarkFlushWALCommit(b *testing.B) {
	f := scratchFile(b, 0)
	page := make([]byte, 4096)
	var off int64
	for b.Loop() {
		for range 10 {
			if _, err := f.WriteAt(page, off); err != nil {
				b.Fatal(err)
			}
			off += int64(len(page))
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		if off >= 64<<20 {
			off = 0 // the WAL is reused from its start, too
		}
	}
}

// BenchmarkFlushCheckpoint: what a checkpoint costs the disk. 300 pages
// written at scattered places in a 128 MiB file, then fsync, as SQLite does
// when it copies WAL frames back into the database file; a page that a
// random key (such as an idempotency token) lands on is one of these.
func BenchmarkFlushCheckpoint(b *testing.B) {
	const size = 128 << 20
	f := scratchFile(b, size)
	page := make([]byte, 4096)
	for b.Loop() {
		for range 300 {
			if _, err := f.WriteAt(page, rand.Int64N(size/4096)*4096); err != nil {
				b.Fatal(err)
			}
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}

// scratchFile returns a file of size bytes, written out and synced so
// that the benchmark pays for no block allocation, removed when b ends.
func scratchFile(b *testing.B, size int64) *os.File {
	b.Helper()
	f, err := os.Create(filepath.Join(b.TempDir(), "flush"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	chunk := make([]byte, 1<<20)
	for off := int64(0); off < size; off += int64(len(chunk)) {
		if _, err := f.WriteAt(chunk, off); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	return f
}
