package sqlite

import (
	"math/rand/v2"
	"os"
)

// FlushFile times the two kinds of flush a SQLite store in WAL mode asks of
// the disk under a directory, without SQLite: a commit (a few pages
// appended to the WAL in one place, then fsync) and a checkpoint (pages
// copied to scattered places of the database file, then fsync). Their
// costs say how much of the store's latency is the machine's, and make
// figures from different machines comparable (BENCHMARKS.md; `sbload`
// prints them).
type FlushFile struct {
	f    *os.File
	size int64
	off  int64
	page []byte
}

// Pages per flush: a commit of StartTaskContact writes about ten; a WAL
// checkpoint every 1,000 frames at 3,500 tasks/s copies a few hundred,
// most on leaves of the idempotency index, where random tokens land.
const (
	probeCommitPages     = 10
	probeCheckpointPages = 300
	probePage            = 4096
)

// NewFlushFile creates a scratch file of size bytes in dir, written out
// and synced, so that the flushes timed later pay for no block allocation.
func NewFlushFile(dir string, size int64) (*FlushFile, error) {
	f, err := os.CreateTemp(dir, "flushprobe")
	if err != nil {
		return nil, err
	}
	p := &FlushFile{f: f, size: size - size%probePage, page: make([]byte, probePage)}
	chunk := make([]byte, 1<<20)
	for off := int64(0); off < p.size; off += int64(len(chunk)) {
		if _, err := f.WriteAt(chunk[:min(int64(len(chunk)), p.size-off)], off); err != nil {
			p.Close()
			return nil, err
		}
	}
	if err := f.Sync(); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Commit writes probeCommitPages pages one after the other, then syncs,
// and wraps around at the end of the file as SQLite reuses its WAL.
func (p *FlushFile) Commit() error {
	for range probeCommitPages {
		if p.off+probePage > p.size {
			p.off = 0
		}
		if _, err := p.f.WriteAt(p.page, p.off); err != nil {
			return err
		}
		p.off += probePage
	}
	return p.f.Sync()
}

// Checkpoint writes probeCheckpointPages pages at random places, then
// syncs.
func (p *FlushFile) Checkpoint() error {
	for range probeCheckpointPages {
		if _, err := p.f.WriteAt(p.page, rand.Int64N(p.size/probePage)*probePage); err != nil {
			return err
		}
	}
	return p.f.Sync()
}

// Close removes the file.
func (p *FlushFile) Close() error {
	err := p.f.Close()
	if rerr := os.Remove(p.f.Name()); err == nil {
		err = rerr
	}
	return err
}
