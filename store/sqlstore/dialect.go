package sqlstore

import (
	"database/sql"
	"io/fs"
	"strconv"
	"strings"
)

// Dialect is what differs between the SQL databases the store runs on. It
// is deliberately small: both supported databases accept the same DML
// (INSERT … ON CONFLICT (…) DO UPDATE SET c = excluded.c, partial indexes,
// NULLS LAST, LIMIT/OFFSET), so the differences left are placeholders,
// error classification, transaction options and the schema itself, whose
// column types live in the per-dialect migrations.
type Dialect struct {
	// Name is used in error messages.
	Name string
	// NumberedPlaceholders is set when the driver wants $1, $2, … instead of
	// ?. Queries are written with ? and rebound once.
	NumberedPlaceholders bool
	// Migrations holds NNN_name.sql files at its root, applied in numeric
	// order, each in its own transaction.
	Migrations fs.FS
	// MigrationLock, when not empty, is executed first in every migration
	// transaction so that several processes starting at once apply each
	// migration exactly once (PostgreSQL: an advisory transaction lock).
	// SQLite needs none: its writer lock already serialises them.
	MigrationLock string
	// IsUniqueViolation reports whether err is a unique-constraint error,
	// which PutRecord turns into domain.ErrStoreDuplicate.
	IsUniqueViolation func(err error) bool
	// ErrorAbortsTx is set when a failed statement poisons the whole
	// transaction (PostgreSQL: "current transaction is aborted"). Statements
	// whose failure is an expected outcome (a duplicate name) then run under
	// their own savepoint so the caller's fn can carry on after the error.
	ErrorAbortsTx bool
	// TokenIndexInMemory is set when the store is its database's only
	// user (SQLite, which the store locks for its process): the
	// idempotency table then has no key in the database, and the store
	// keeps it in memory instead (tokens.go says why). The dialect's
	// migrations must give the table a seq INTEGER PRIMARY KEY and no
	// unique key.
	TokenIndexInMemory bool
	// ViewOptions are the options of View transactions. PostgreSQL needs
	// REPEATABLE READ for a View to read one snapshot; SQLite's deferred
	// read transaction already does.
	ViewOptions sql.TxOptions
}

// rebind turns ? placeholders into $n when the dialect wants them. The
// store's queries never contain a literal '?', so no quoting is parsed.
func (d *Dialect) rebind(q string) string {
	if !d.NumberedPlaceholders || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
