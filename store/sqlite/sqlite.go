// Package sqlite is the default, embedded store: a single SQLite file
// (modernc.org/sqlite, pure Go) in WAL mode with synchronous=FULL, so that
// a committed Update has reached stable storage before it returns.
//
// Concurrency limits. SQLite allows one writer at a time per database, so
// the store keeps exactly one write connection, driven by sqlstore's single
// writer goroutine; concurrent Updates are grouped into one transaction and
// one fsync (group commit) rather than contending for the lock. Write
// throughput is therefore bounded by fsync latency times batch size, not by
// the number of callers. Reads run on a separate pool of query-only
// connections; WAL lets them proceed while the writer commits, each View
// seeing the last commit before its first read.
//
// Only one process may use the file, and Open makes sure of it: it locks
// a file beside the database (path + "-lock") for as long as the store is
// open, and a second Open of the same database fails at once. The store
// relies on this: it keeps the idempotency key in memory
// (sqlstore.Dialect.TokenIndexInMemory). The database must be on a local
// filesystem (WAL needs shared memory; network filesystems are not
// supported by SQLite).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/switchboard-cc/switchboard/store/sqlite/migrations"
	"github.com/switchboard-cc/switchboard/store/sqlstore"
)

// busyTimeoutMS is how long a connection waits for a lock. In-process the
// writer never waits (it is alone); it bounds waits on WAL checkpoints and
// on another process that opened the file by mistake.
const busyTimeoutMS = 10000

// Dialect is the SQLite dialect of sqlstore.
var Dialect = &sqlstore.Dialect{
	Name:              "sqlite",
	Migrations:        migrations.FS,
	IsUniqueViolation: isUniqueViolation,
	// Open locks the file for this process, so the store may keep the
	// idempotency key in memory (migration 011).
	TokenIndexInMemory: true,
}

func isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	// Extended result codes are on (the driver enables them), so a
	// constraint error says which constraint.
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// Options are Open's optional settings.
type Options struct {
	// Progress, if set, is told how the longer work of opening is going:
	// the idempotency key's rebuild reports every ProgressEvery tokens
	// (0 means sqlstore.DefaultProgressEvery, 250,000).
	Progress      func(msg string)
	ProgressEvery int
}

// Open opens (creating if needed) the database file at path, applies
// pending migrations and starts the writer. path is a plain file path; it
// must not contain '?' (the driver reads connection options after it).
func Open(path string) (*sqlstore.Store, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with options.
func OpenWith(path string, opts Options) (*sqlstore.Store, error) {
	if path == "" || strings.Contains(path, "?") || strings.HasPrefix(path, "file:") || path == ":memory:" {
		return nil, fmt.Errorf("sqlite: invalid database path %q", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	unlock, err := lockFile(path + "-lock")
	if err != nil {
		return nil, err
	}
	s, err := open(path, unlock, opts)
	if err != nil {
		unlock()
		return nil, err
	}
	return s, nil
}

// open opens the database once it is locked; the store releases the lock
// (unlock) when it closes.
func open(path string, unlock func(), opts Options) (*sqlstore.Store, error) {
	common := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)", busyTimeoutMS)
	// The writer takes the write lock at BEGIN (immediate), so a batch
	// never fails half-way on lock upgrade; synchronous=FULL syncs the WAL
	// on every commit, which is what makes a 2xx mean durable.
	//
	// temp_store=MEMORY keeps the savepoint sub-journal (the undo data for
	// each grouped request) in memory instead of a temporary file written
	// page by page; it only ever holds data of the open transaction, so
	// durability is unaffected.
	w, err := sql.Open("sqlite", path+"?"+common+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Open the writer first so the file is in WAL mode before any reader.
	ctx, cancel := context.WithTimeout(context.Background(), 2*busyTimeoutMS*time.Millisecond)
	defer cancel()
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// query_only makes a write through a reader an error instead of a
	// second writer competing for the lock.
	r, err := sql.Open("sqlite", path+"?"+common+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	cp, err := sql.Open("sqlite", path+"?"+common+"&_pragma=synchronous(FULL)")
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	cp.SetMaxOpenConns(1)
	s, err := sqlstore.New(ctx, sqlstore.Config{Dialect: Dialect, Writer: w, Reader: r,
		Maintain: func(ctx context.Context) { checkpointer(ctx, cp) }, Closed: unlock,
		Progress: opts.Progress, ProgressEvery: opts.ProgressEvery})
	if err != nil {
		w.Close()
		r.Close()
		cp.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// CheckpointInterval is how often the checkpointer copies committed WAL
// frames into the database file.
const CheckpointInterval = 200 * time.Millisecond

// checkpointer runs PASSIVE checkpoints until ctx ends, then a final full
// one so the next open starts from a short WAL. PASSIVE never blocks the
// writer or readers; it copies what it can and leaves the rest for the next
// round. It uses wall-clock time: it is I/O housekeeping, not contact-center
// time.
func checkpointer(ctx context.Context, db *sql.DB) {
	defer db.Close()
	t := time.NewTicker(CheckpointInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			_, _ = db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
			return
		case <-t.C:
			_, _ = db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}
