package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads NNN_name.sql files; anything else in the directory
// is an error rather than silently skipped, so a misnamed file cannot
// leave a schema change unapplied.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if e.IsDir() || !ok || err != nil || v <= 0 || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("migration %q: want NNN_name.sql", name)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %q and %q share version %d", prev, name, v)
		}
		seen[v] = name
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate applies the pending migrations, each in its own transaction
// together with its schema_migrations row, so a crash leaves every
// migration either fully applied and recorded or not at all.
func migrate(ctx context.Context, d *Dialect, db *sql.DB) error {
	ms, err := loadMigrations(d.Migrations)
	if err != nil {
		return fmt.Errorf("%s: %w", d.Name, err)
	}
	if err := createMigrationsTable(ctx, d, db); err != nil {
		return fmt.Errorf("%s: create schema_migrations: %w", d.Name, err)
	}
	if err := checkNotNewer(ctx, d, db, ms); err != nil {
		return err
	}
	for _, m := range ms {
		if err := applyMigration(ctx, d, db, m); err != nil {
			return fmt.Errorf("%s: migration %s: %w", d.Name, m.name, err)
		}
	}
	return nil
}

// ErrSchemaNewer is returned by New when the database was last migrated by
// a newer build, whose schema this one would misread.
var ErrSchemaNewer = errors.New("the database's schema is newer than this build of Switchboard")

// checkNotNewer refuses a database that a newer build has migrated past
// what this one knows: its statements would meet tables they were not
// written for, and fail in ways that say nothing of the cause.
func checkNotNewer(ctx context.Context, d *Dialect, db *sql.DB, ms []migration) error {
	var newest sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&newest); err != nil {
		return fmt.Errorf("%s: read schema_migrations: %w", d.Name, err)
	}
	known := 0
	if len(ms) > 0 {
		known = ms[len(ms)-1].version
	}
	if newest.Valid && int(newest.Int64) > known {
		return fmt.Errorf("%s: %w: it is at migration %d and this build knows migrations up to %d; "+
			"run the newer build, or restore a backup taken before the upgrade", d.Name, ErrSchemaNewer, newest.Int64, known)
	}
	return nil
}

// createMigrationsTable runs under the migration lock too: PostgreSQL's
// CREATE TABLE IF NOT EXISTS is not safe against a concurrent creator (it
// fails on the catalog's unique index instead of finding the table).
func createMigrationsTable(ctx context.Context, d *Dialect, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if d.MigrationLock != "" {
		if _, err := tx.ExecContext(ctx, d.MigrationLock); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations "+
		"(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"); err != nil {
		return err
	}
	return tx.Commit()
}

func applyMigration(ctx context.Context, d *Dialect, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if d.MigrationLock != "" {
		if _, err := tx.ExecContext(ctx, d.MigrationLock); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	// Checked under the lock: another process may just have applied it.
	var n int
	if err := tx.QueryRowContext(ctx, d.rebind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"),
		m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, d.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
		m.version, m.name, time.Now().UnixMicro()); err != nil {
		return err
	}
	return tx.Commit()
}
