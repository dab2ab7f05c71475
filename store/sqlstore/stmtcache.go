package sqlstore

import (
	"context"
	"database/sql"
	"errors"
)

// stmtCache holds the store's fixed statements prepared once per pool.
// Parsing and planning dominated the writer's CPU time for small writes
// with SQLite, which has no statement cache of its own; database/sql then
// keeps the prepared statement on each connection that has run it.
//
// The statements are prepared eagerly, in New: preparing lazily would need
// a free connection while a transaction holds one, which deadlocks the
// single-connection writer pool and can starve a busy reader pool.
// Statements built per call (contact queries) therefore run unprepared.
type stmtCache struct {
	m map[string]*sql.Stmt // read-only after newStmtCache
}

func newStmtCache(ctx context.Context, db *sql.DB, qs []string) (*stmtCache, error) {
	c := &stmtCache{m: make(map[string]*sql.Stmt, len(qs))}
	for _, q := range qs {
		if q == "" {
			continue // a statement the dialect does without
		}
		if _, ok := c.m[q]; ok {
			continue
		}
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			c.close()
			return nil, errors.Join(errors.New("prepare "+q), err)
		}
		c.m[q] = st
	}
	return c, nil
}

func (c *stmtCache) close() {
	for _, st := range c.m {
		st.Close()
	}
}

// The helpers below run q in tx, prepared when it is one of the cached.

func (c *stmtCache) exec(tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if st := c.m[q]; st != nil {
		return tx.StmtContext(bg, st).ExecContext(bg, args...)
	}
	return tx.ExecContext(bg, q, args...)
}

func (c *stmtCache) query(tx *sql.Tx, q string, args ...any) (*sql.Rows, error) {
	if st := c.m[q]; st != nil {
		return tx.StmtContext(bg, st).QueryContext(bg, args...)
	}
	return tx.QueryContext(bg, q, args...)
}

func (c *stmtCache) queryRow(tx *sql.Tx, q string, args ...any) *sql.Row {
	if st := c.m[q]; st != nil {
		return tx.StmtContext(bg, st).QueryRowContext(bg, args...)
	}
	return tx.QueryRowContext(bg, q, args...)
}
