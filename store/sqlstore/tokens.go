package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// tokenIndex is the idempotency table's key (instance, operation, token)
// kept in memory, for a store that is its database's only user
// (Dialect.TokenIndexInMemory: SQLite).
//
// Why not an index in the database: the key ends in the client's token,
// which is random (the SDKs send a UUIDv4), so every new entry lands on its
// own leaf of that index. Each such leaf is a page the next WAL checkpoint
// writes at a scattered place of the database file, and that flush is what
// the writer waits for: on a slow virtual disk about 90 % of a checkpoint's
// scattered pages were these leaves (BENCHMARKS.md, "The idempotency key in
// memory"). Without the index the table only grows at its right edge, and
// its age index too.
//
// The index is derived data, rebuilt from the table when the store opens;
// the table stays the record, so a 2xx still means the token is on disk.
// Keys are a 128-bit hash of the key's parts, so an entry costs about 84
// bytes of heap whatever the token's length (BenchmarkOpenWithTokens). Two
// keys would share a hash with a chance of about n²/2¹²⁹ among n entries;
// even so, an answer is only ever built from a row whose parts were read
// back and checked (getTokenRow). A Go map does not shrink when entries are
// deleted, so after a burst of tokens expires the map keeps its size until
// the next start; in a steady state the 7-day window keeps it level.
type tokenIndex struct {
	mu sync.RWMutex // guards m; only the writer changes it
	m  map[tokenKey]tokenSlot

	// batch holds the changes of the writer's open transaction made by
	// requests whose savepoint was released; they reach m when it commits.
	// It is emptied, not dropped, between batches, to be reused. Only the
	// writer goroutine touches batch, scratch and stale.
	batch map[tokenKey]tokenSlot
	// scratch is the slice the writer lends each request for its changes.
	scratch tokenChanges
	// stale is set when a commit failed: the database may or may not hold
	// the batch, so m is rebuilt before the next batch runs.
	stale bool
}

type tokenKey [16]byte

// tokenSlot locates an entry: its row and its creation time (Unix
// microseconds; noCreatedAt for an entry without one, which a claim
// replaces and the age sweep never removes, as with the SQL index).
type tokenSlot struct {
	seq     int64
	created int64
}

const noCreatedAt = math.MinInt64

// tokenChange is a pending change to the index; a zero slot (seq 0, which
// SQLite never assigns) means the entry was deleted.
type tokenChange struct {
	key  tokenKey
	slot tokenSlot
}

// tokenChanges are one request's changes, in order. A request makes one
// or two, so a slice the writer reuses from request to request costs no
// allocation, where a map per request cost three (chat sends one per
// message).
type tokenChanges []tokenChange

// find returns the latest change to k.
func (c tokenChanges) find(k tokenKey) (tokenSlot, bool) {
	for i := len(c) - 1; i >= 0; i-- {
		if c[i].key == k {
			return c[i].slot, true
		}
	}
	return tokenSlot{}, false
}

// keyOf hashes the key's parts, length-prefixed so that no two different
// triples hash the same text. It takes bytes too, for the rebuild, which
// reads them without making strings.
func keyOf[T ~string | ~[]byte](instanceID, operation, token T) tokenKey {
	var buf [192]byte // UUID, operation name and token fit: no allocation
	b := buf[:0]
	for _, s := range [...]T{instanceID, operation, token} {
		b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	sum := sha256.Sum256(b)
	return tokenKey(sum[:len(tokenKey{})])
}

func createdOf(v sql.NullInt64) int64 {
	if !v.Valid {
		return noCreatedAt
	}
	return v.Int64
}

// tokenQueries are the idempotency statements when the key is in memory.
type tokenQueries struct {
	load, get, insert, replace, deleteBefore, deleteInstance string
}

func newTokenQueries() tokenQueries {
	return tokenQueries{
		load:    "SELECT seq, instance_id, operation, token, created_at FROM idempotency",
		get:     "SELECT " + idemCols + " FROM idempotency WHERE seq = ?",
		insert:  "INSERT INTO idempotency (" + idemCols + ") VALUES (?, ?, ?, ?, ?, ?)",
		replace: "UPDATE idempotency SET request_hash = ?, result_id = ?, created_at = ? WHERE seq = ?",
		// The oldest first, a bounded number at a time, as with the SQL
		// index; RETURNING names the keys to drop from memory.
		deleteBefore: "DELETE FROM idempotency WHERE seq IN " +
			"(SELECT seq FROM idempotency WHERE created_at < ? ORDER BY created_at LIMIT ?) " +
			"RETURNING instance_id, operation, token",
		deleteInstance: "DELETE FROM idempotency WHERE instance_id = ? RETURNING instance_id, operation, token",
	}
}

func (q tokenQueries) list() []string {
	return []string{q.load, q.get, q.insert, q.replace, q.deleteBefore, q.deleteInstance}
}

// DefaultProgressEvery is how many entries the rebuild at open reads
// between two reports to Config.Progress: about half a second's work.
const DefaultProgressEvery = 250_000

// progress reports how far a long piece of work is.
type progress struct {
	say   func(string) // nil: nobody listens
	every int
}

// load rebuilds the index from the table, reporting to p now and then.
// Nothing else may write meanwhile: New runs it before the writer starts,
// the writer before its next batch.
func (ix *tokenIndex) load(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, q string, p progress) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	m := make(map[tokenKey]tokenSlot)
	for rows.Next() {
		var seq int64
		var inst, op, tok sql.RawBytes // valid until Next: hashed at once
		var c sql.NullInt64
		if err := rows.Scan(&seq, &inst, &op, &tok, &c); err != nil {
			return err
		}
		m[keyOf(inst, op, tok)] = tokenSlot{seq: seq, created: createdOf(c)}
		if p.say != nil && len(m)%p.every == 0 {
			p.say(fmt.Sprintf("rebuilding the index of idempotency tokens in memory: %d so far", len(m)))
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	ix.mu.Lock()
	ix.m = m
	ix.mu.Unlock()
	clear(ix.batch)
	ix.stale = false
	return nil
}

// len is how many keys the index holds, as committed.
func (ix *tokenIndex) len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.m)
}

// begin readies the index for a batch: nothing kept from an earlier one
// (a batch that failed before its commit leaves its changes here), and
// rebuilt if a commit failed.
func (ix *tokenIndex) begin(ctx context.Context, tx *sql.Tx, load string) error {
	clear(ix.batch)
	if ix.stale {
		return ix.load(ctx, tx, load, progress{})
	}
	return nil
}

// keep adds one request's released changes to the open transaction's.
func (ix *tokenIndex) keep(c tokenChanges) {
	if len(c) == 0 {
		return
	}
	if ix.batch == nil {
		ix.batch = make(map[tokenKey]tokenSlot)
	}
	for _, ch := range c { // in order: the latest change to a key wins
		ix.batch[ch.key] = ch.slot
	}
}

// lend gives a request the scratch slice, empty, for its changes. The
// writer takes it back (reclaim) when it keeps them, so that a slice a
// request grew serves the ones after it; a dropped request's slice is
// simply not reused.
func (ix *tokenIndex) lend() tokenChanges { return ix.scratch[:0] }

func (ix *tokenIndex) reclaim(c tokenChanges) { ix.scratch = c[:0] }

// committed applies the open transaction's changes: it has committed.
func (ix *tokenIndex) committed() {
	if len(ix.batch) == 0 {
		return
	}
	ix.mu.Lock()
	for k, v := range ix.batch {
		if v.seq == 0 {
			delete(ix.m, k)
		} else {
			ix.m[k] = v
		}
	}
	ix.mu.Unlock()
	clear(ix.batch)
}

// commitFailed drops the open transaction's changes. Whether a failed
// COMMIT left them in the database is unknown, so the index is rebuilt
// from the table before the next batch.
func (ix *tokenIndex) commitFailed() {
	clear(ix.batch)
	ix.stale = true
}

// lookup finds k as the writer's request sees it: its own changes, then
// those of the requests before it in the batch, then what is committed.
func (ix *tokenIndex) lookup(own tokenChanges, k tokenKey) (tokenSlot, bool) {
	if v, ok := own.find(k); ok {
		return v, v.seq != 0
	}
	if v, ok := ix.batch[k]; ok {
		return v, v.seq != 0
	}
	return ix.committedSlot(k)
}

func (ix *tokenIndex) committedSlot(k tokenKey) (tokenSlot, bool) {
	ix.mu.RLock()
	v, ok := ix.m[k]
	ix.mu.RUnlock()
	return v, ok
}

// The domain.Tx idempotency methods when the key is in memory. A View
// reads the committed index, which the writer updates right after each
// commit and before it answers: a View begun after an Update returned sees
// its entries.

var errTokenMismatch = errors.New("idempotency row does not hold the key the index maps to it")

func (t *readTx) getTokenRow(slot tokenSlot, inst, op, tok string) (domain.Idempotency, error) {
	var i domain.Idempotency
	var c sql.NullInt64
	err := t.sc.queryRow(t.tx, t.s.q.tok.get, slot.seq).
		Scan(&i.InstanceID, &i.Operation, &i.Token, &i.RequestHash, &i.ResultID, &c)
	if errors.Is(err, sql.ErrNoRows) {
		// A View's snapshot can predate the commit the index already shows.
		return domain.Idempotency{}, domain.ErrStoreNotFound
	}
	if err != nil {
		return domain.Idempotency{}, t.wrap("get idempotency", err)
	}
	if i.InstanceID != inst || i.Operation != op || i.Token != tok {
		return domain.Idempotency{}, t.wrap("get idempotency", fmt.Errorf("%w (seq %d)", errTokenMismatch, slot.seq))
	}
	i.CreatedAt = timeOf(c)
	return i, nil
}

func (t *readTx) getTokenCommitted(inst, op, tok string) (domain.Idempotency, error) {
	slot, ok := t.s.tokens.committedSlot(keyOf(inst, op, tok))
	if !ok {
		return domain.Idempotency{}, domain.ErrStoreNotFound
	}
	return t.getTokenRow(slot, inst, op, tok)
}

func (t *writeTx) getToken(inst, op, tok string) (domain.Idempotency, error) {
	if err := t.check(); err != nil {
		return domain.Idempotency{}, err
	}
	slot, ok := t.s.tokens.lookup(t.tokens, keyOf(inst, op, tok))
	if !ok {
		return domain.Idempotency{}, domain.ErrStoreNotFound
	}
	return t.getTokenRow(slot, inst, op, tok)
}

// setToken writes i's row, replacing the one at slot when there is one,
// and records the change for the index.
func (t *writeTx) setToken(k tokenKey, slot tokenSlot, found bool, i domain.Idempotency) error {
	created := timeArg(i.CreatedAt)
	if found {
		if _, err := t.exec("put idempotency", t.s.q.tok.replace, i.RequestHash, i.ResultID, created, slot.seq); err != nil {
			return err
		}
	} else {
		res, err := t.exec("put idempotency", t.s.q.tok.insert,
			i.InstanceID, i.Operation, i.Token, i.RequestHash, i.ResultID, created)
		if err != nil {
			return err
		}
		if slot.seq, err = res.LastInsertId(); err != nil {
			return t.wrap("put idempotency", err)
		}
	}
	slot.created = noCreatedAt
	if !i.CreatedAt.IsZero() {
		slot.created = i.CreatedAt.UnixMicro()
	}
	t.tokens = append(t.tokens, tokenChange{key: k, slot: slot})
	return nil
}

func (t *writeTx) putToken(i domain.Idempotency) error {
	if err := t.check(); err != nil {
		return err
	}
	k := keyOf(i.InstanceID, i.Operation, i.Token)
	slot, found := t.s.tokens.lookup(t.tokens, k)
	return t.setToken(k, slot, found, i)
}

func (t *writeTx) claimToken(i domain.Idempotency, expiredBy time.Time) (domain.Idempotency, bool, error) {
	if err := t.check(); err != nil {
		return domain.Idempotency{}, false, err
	}
	k := keyOf(i.InstanceID, i.Operation, i.Token)
	slot, found := t.s.tokens.lookup(t.tokens, k)
	if found && slot.created > expiredBy.UnixMicro() {
		// A live entry holds the token: the caller decides between a
		// replay and a conflict from what it recorded.
		prior, err := t.getTokenRow(slot, i.InstanceID, i.Operation, i.Token)
		return prior, false, err
	}
	if err := t.setToken(k, slot, found, i); err != nil {
		return domain.Idempotency{}, false, err
	}
	return i, true, nil
}

// deleteTokens runs a DELETE … RETURNING instance_id, operation, token and
// records the keys it removed.
func (t *writeTx) deleteTokens(op, q string, args ...any) (int, error) {
	if err := t.check(); err != nil {
		return 0, err
	}
	rows, err := t.sc.query(t.tx, q, args...)
	if err != nil {
		return 0, t.wrap(op, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var inst, o, tok string
		if err := rows.Scan(&inst, &o, &tok); err != nil {
			return 0, t.wrap(op, err)
		}
		t.tokens = append(t.tokens, tokenChange{key: keyOf(inst, o, tok)})
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, t.wrap(op, err)
	}
	return n, nil
}
