// Package postgres is the PostgreSQL store, for deployments where several
// server nodes share one database. It is sqlstore over pgx's database/sql
// driver; behaviour is identical to the SQLite store (same conformance
// suite), including group commit, which here saves a WAL flush and a round
// trip per grouped Update.
//
// Each process runs one writer connection; several processes may write at
// once (PostgreSQL's row locks arbitrate). Views run in REPEATABLE READ
// read-only transactions so that all reads of a View share one snapshot.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/switchboard-cc/switchboard/store/postgres/migrations"
	"github.com/switchboard-cc/switchboard/store/sqlstore"
)

// Dialect is the PostgreSQL dialect of sqlstore.
var Dialect = &sqlstore.Dialect{
	Name:                 "postgres",
	NumberedPlaceholders: true,
	Migrations:           migrations.FS,
	// Any constant will do as long as nothing else in the database uses it
	// for an advisory lock; it spells "swbd".
	MigrationLock:     "SELECT pg_advisory_xact_lock(1937204836)",
	IsUniqueViolation: isUniqueViolation,
	ErrorAbortsTx:     true,
	ViewOptions:       sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
}

func isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value string), applies pending migrations and starts the writer.
//
// The schema used is the connection's search_path, which the DSN may set
// (postgres://…/db?search_path=tenant_a); the schema must exist. This is
// how tests, or several Switchboard deployments, share one database.
func Open(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	w := stdlib.OpenDB(*cfg)
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	// Fail here, with the server's error, rather than on the first Update.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	r := stdlib.OpenDB(*cfg)
	n := max(4, 2*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s, err := sqlstore.New(ctx, sqlstore.Config{Dialect: Dialect, Writer: w, Reader: r})
	if err != nil {
		w.Close()
		r.Close()
		return nil, err // already prefixed by sqlstore
	}
	return s, nil
}
