package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// errTxDone is returned when a Tx is used after its fn has returned.
var errTxDone = errors.New("store: transaction used after its function returned")

// queries are the fixed statements, rebound once for the dialect.
type queries struct {
	getRecord, getRecordByName, countRecords      string
	hasRecord                                     string
	putRecord, deleteRecord                       string
	getContact, putContact                        string
	getIdem, putIdem, claimIdem, deleteIdemBefore string
	delInstRecords, delInstContacts, delInstIdem  string
	delInstActive, countActive                    string
	delInstanceRecord                             string
	listRecordsAll, listRecordsLimit              string

	// tok replaces the idempotency statements above when the dialect
	// keeps the idempotency key in memory (tokens.go).
	tok tokenQueries

	// chat: the chat statements (chat.go), prepared with the rest. ----
	chat chatQueries
}

const recordCols = "kind, instance_id, id, name, data, created_at, updated_at"

const contactCols = "instance_id, id, initial_contact_id, previous_contact_id, related_contact_id, " +
	"channel, initiation_method, queue_id, agent_id, active, initiation_time, scheduled_time, " +
	"enqueue_time, connected_to_agent_time, disconnect_time, expiry_time, data"

// contactReadCols are what reads of a contact select: the written columns
// and rev, the store's count of the row's writes.
const contactReadCols = contactCols + ", rev"

const idemCols = "instance_id, operation, token, request_hash, result_id, created_at"

func newQueries(d *Dialect) queries {
	q := queries{
		getRecord:        "SELECT " + recordCols + " FROM records WHERE kind = ? AND instance_id = ? AND id = ?",
		hasRecord:        "SELECT COUNT(*) FROM records WHERE kind = ? AND instance_id = ? AND id = ?",
		getRecordByName:  "SELECT " + recordCols + " FROM records WHERE kind = ? AND instance_id = ? AND name = ? AND name <> ''",
		countRecords:     "SELECT COUNT(*) FROM records WHERE kind = ? AND instance_id = ?",
		listRecordsAll:   "SELECT " + recordCols + " FROM records WHERE kind = ? AND instance_id = ? AND id > ? ORDER BY id",
		listRecordsLimit: "SELECT " + recordCols + " FROM records WHERE kind = ? AND instance_id = ? AND id > ? ORDER BY id LIMIT ?",
		putRecord: "INSERT INTO records (" + recordCols + ") VALUES (?, ?, ?, ?, ?, ?, ?) " +
			"ON CONFLICT (kind, instance_id, id) DO UPDATE SET name = excluded.name, data = excluded.data, " +
			"created_at = excluded.created_at, updated_at = excluded.updated_at",
		deleteRecord: "DELETE FROM records WHERE kind = ? AND instance_id = ? AND id = ?",
		getContact:   "SELECT " + contactReadCols + " FROM contacts WHERE instance_id = ? AND id = ?",
		putContact: "INSERT INTO contacts (" + contactCols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " +
			"ON CONFLICT (instance_id, id) DO UPDATE SET initial_contact_id = excluded.initial_contact_id, " +
			"previous_contact_id = excluded.previous_contact_id, related_contact_id = excluded.related_contact_id, " +
			"channel = excluded.channel, initiation_method = excluded.initiation_method, queue_id = excluded.queue_id, " +
			"agent_id = excluded.agent_id, active = excluded.active, initiation_time = excluded.initiation_time, " +
			"scheduled_time = excluded.scheduled_time, enqueue_time = excluded.enqueue_time, " +
			"connected_to_agent_time = excluded.connected_to_agent_time, disconnect_time = excluded.disconnect_time, " +
			"expiry_time = excluded.expiry_time, data = excluded.data, rev = contacts.rev + 1",
		getIdem: "SELECT " + idemCols + " FROM idempotency WHERE instance_id = ? AND operation = ? AND token = ?",
		putIdem: "INSERT INTO idempotency (" + idemCols + ") VALUES (?, ?, ?, ?, ?, ?) " +
			"ON CONFLICT (instance_id, operation, token) DO UPDATE SET request_hash = excluded.request_hash, " +
			"result_id = excluded.result_id, created_at = excluded.created_at",
		// claimIdem inserts an entry unless a live one holds the key; one
		// created at or before the bound has expired and is replaced. The
		// rows it affected (1 or 0) say which happened.
		claimIdem: "INSERT INTO idempotency (" + idemCols + ") VALUES (?, ?, ?, ?, ?, ?) " +
			"ON CONFLICT (instance_id, operation, token) DO UPDATE SET request_hash = excluded.request_hash, " +
			"result_id = excluded.result_id, created_at = excluded.created_at " +
			"WHERE idempotency.created_at IS NULL OR idempotency.created_at <= ?",
		// The oldest first, a bounded number at a time: the sweep runs on
		// the single writer, between other writes (row values work in both
		// dialects).
		deleteIdemBefore: "DELETE FROM idempotency WHERE (instance_id, operation, token) IN " +
			"(SELECT instance_id, operation, token FROM idempotency WHERE created_at < ? ORDER BY created_at LIMIT ?)",
		delInstRecords:  "DELETE FROM records WHERE instance_id = ?",
		delInstContacts: "DELETE FROM contacts WHERE instance_id = ?",
		delInstActive:   "DELETE FROM active_contacts WHERE instance_id = ?",
		// Maintained by triggers (migration 002): one lookup instead of a
		// count over every active contact.
		countActive:       "SELECT COALESCE((SELECT n FROM active_contacts WHERE instance_id = ? AND channel = ?), 0)",
		delInstIdem:       "DELETE FROM idempotency WHERE instance_id = ?",
		delInstanceRecord: "DELETE FROM records WHERE kind = ? AND instance_id = '' AND id = ?",
	}
	if d.TokenIndexInMemory {
		// The table has no key to look up or conflict on; an empty
		// statement is never prepared.
		q.getIdem, q.putIdem, q.claimIdem, q.deleteIdemBefore, q.delInstIdem = "", "", "", "", ""
		q.tok = newTokenQueries()
	}
	for _, p := range q.all() {
		*p = d.rebind(*p)
	}
	q.chat = newChatQueries(d) // chat: rebound there
	return q
}

func (q *queries) all() []*string {
	return []*string{&q.getRecord, &q.hasRecord, &q.getRecordByName, &q.countRecords, &q.putRecord,
		&q.deleteRecord, &q.getContact, &q.putContact, &q.getIdem, &q.putIdem, &q.claimIdem, &q.deleteIdemBefore,
		&q.delInstRecords, &q.delInstContacts, &q.delInstIdem, &q.delInstanceRecord, &q.delInstActive, &q.countActive,
		&q.listRecordsAll, &q.listRecordsLimit}
}

// readQueries are the statements a View can run; writer pools prepare
// every statement.
func (q *queries) read() []string {
	out := []string{q.getRecord, q.hasRecord, q.getRecordByName, q.countRecords, q.listRecordsAll,
		q.listRecordsLimit, q.getContact, q.getIdem, q.countActive, q.tok.get}
	return append(out, q.chat.read()...) // chat: its View statements
}

// Savepoint statements the writer runs around every grouped request.
const (
	spBegin    = "SAVEPOINT req"
	spRelease  = "RELEASE SAVEPOINT req"
	spRollback = "ROLLBACK TO SAVEPOINT req"
)

func (q *queries) write() []string {
	out := []string{spBegin, spRelease, spRollback}
	for _, p := range q.all() {
		out = append(out, *p)
	}
	out = append(out, q.tok.list()...)
	return append(out, q.chat.write()...) // chat: every chat statement
}

// Times are stored as integer Unix microseconds, NULL for the zero time, in
// both dialects, so that ordering and equality are exact and identical
// whatever the database's own time types would do (SQLite has none;
// PostgreSQL's timestamptz is also microseconds but zone-sensitive on
// input). Sub-microsecond precision is dropped on the way in.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func timeOf(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

// dataArg stores a nil document as an empty one: data columns are NOT NULL.
func dataArg(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// readTx implements domain.ReadTx over a *sql.Tx.
type readTx struct {
	s      *Store
	tx     *sql.Tx
	sc     *stmtCache // of the pool tx belongs to
	closed atomic.Bool
}

// The domain's Tx methods take no context; statements run to completion
// and the transaction's lifetime is bounded by Update/View instead.
var bg = context.Background()

func (t *readTx) check() error {
	if t.closed.Load() {
		return errTxDone
	}
	return nil
}

func (t *readTx) wrap(op string, err error) error {
	return fmt.Errorf("%s: %s: %w", t.s.d.Name, op, err)
}

type scanner interface{ Scan(dest ...any) error }

func scanRecord(sc scanner) (domain.Record, error) {
	var r domain.Record
	var kind string
	var c, u sql.NullInt64
	if err := sc.Scan(&kind, &r.InstanceID, &r.ID, &r.Name, &r.Data, &c, &u); err != nil {
		return domain.Record{}, err
	}
	r.Kind = domain.Kind(kind)
	r.CreatedAt, r.UpdatedAt = timeOf(c), timeOf(u)
	return r, nil
}

func (t *readTx) oneRecord(op, q string, args ...any) (domain.Record, error) {
	if err := t.check(); err != nil {
		return domain.Record{}, err
	}
	r, err := scanRecord(t.sc.queryRow(t.tx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Record{}, domain.ErrStoreNotFound
	}
	if err != nil {
		return domain.Record{}, t.wrap(op, err)
	}
	return r, nil
}

func (t *readTx) GetRecord(kind domain.Kind, instanceID, id string) (domain.Record, error) {
	return t.oneRecord("get record", t.s.q.getRecord, string(kind), instanceID, id)
}

func (t *readTx) HasRecord(kind domain.Kind, instanceID, id string) (bool, error) {
	n, err := t.count("has record", t.s.q.hasRecord, string(kind), instanceID, id)
	return n > 0, err
}

func (t *readTx) GetRecordByName(kind domain.Kind, instanceID, name string) (domain.Record, error) {
	// Records without a name are not findable by the empty name: the empty
	// name is "no name", not a shared one.
	return t.oneRecord("get record by name", t.s.q.getRecordByName, string(kind), instanceID, name)
}

func (t *readTx) ListRecords(kind domain.Kind, instanceID, afterID string, limit int) ([]domain.Record, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	var rows *sql.Rows
	var err error
	if limit > 0 {
		rows, err = t.sc.query(t.tx, t.s.q.listRecordsLimit, string(kind), instanceID, afterID, limit)
	} else {
		rows, err = t.sc.query(t.tx, t.s.q.listRecordsAll, string(kind), instanceID, afterID)
	}
	if err != nil {
		return nil, t.wrap("list records", err)
	}
	defer rows.Close()
	var out []domain.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, t.wrap("list records", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap("list records", err)
	}
	return out, nil
}

func (t *readTx) count(op, q string, args ...any) (int, error) {
	if err := t.check(); err != nil {
		return 0, err
	}
	var n int64
	if err := t.sc.queryRow(t.tx, q, args...).Scan(&n); err != nil {
		return 0, t.wrap(op, err)
	}
	return int(n), nil
}

func (t *readTx) CountRecords(kind domain.Kind, instanceID string) (int, error) {
	return t.count("count records", t.s.q.countRecords, string(kind), instanceID)
}

func scanContact(sc scanner) (domain.ContactRow, error) {
	var c domain.ContactRow
	var ti, ts, te, tc, td, tx sql.NullInt64
	err := sc.Scan(&c.InstanceID, &c.ID, &c.InitialContactID, &c.PreviousContactID, &c.RelatedContactID,
		&c.Channel, &c.InitiationMethod, &c.QueueID, &c.AgentID, &c.Active,
		&ti, &ts, &te, &tc, &td, &tx, &c.Data, &c.Rev)
	if err != nil {
		return domain.ContactRow{}, err
	}
	c.InitiationTime, c.ScheduledTime, c.EnqueueTime = timeOf(ti), timeOf(ts), timeOf(te)
	c.ConnectedToAgentTime, c.DisconnectTime, c.ExpiryTime = timeOf(tc), timeOf(td), timeOf(tx)
	return c, nil
}

func (t *readTx) GetContact(instanceID, id string) (domain.ContactRow, error) {
	if err := t.check(); err != nil {
		return domain.ContactRow{}, err
	}
	c, err := scanContact(t.sc.queryRow(t.tx, t.s.q.getContact, instanceID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return domain.ContactRow{}, domain.ErrStoreNotFound
	}
	if err != nil {
		return domain.ContactRow{}, t.wrap("get contact", err)
	}
	return c, nil
}

// timeColumns maps the query's field names to columns; it is also the
// allow-list that keeps caller input out of the SQL text.
var timeColumns = map[domain.ContactTimeField]string{
	domain.TimeInitiation:       "initiation_time",
	domain.TimeScheduled:        "scheduled_time",
	domain.TimeEnqueue:          "enqueue_time",
	domain.TimeConnectedToAgent: "connected_to_agent_time",
	domain.TimeDisconnect:       "disconnect_time",
	domain.TimeExpiry:           "expiry_time",
}

// contactWhere builds the WHERE clause of q.
//
// The time range: with TimeField set, From <= t < To, where a zero From or
// To leaves that side open, and a contact whose column is NULL never
// matches (it has no such time to be in range).
func contactWhere(q domain.ContactQuery) (string, []any, error) {
	var b strings.Builder
	args := []any{q.InstanceID}
	b.WriteString(" WHERE instance_id = ?")
	if q.TimeField != "" {
		col, ok := timeColumns[q.TimeField]
		if !ok {
			return "", nil, fmt.Errorf("store: unknown contact time field %q", q.TimeField)
		}
		b.WriteString(" AND " + col + " IS NOT NULL")
		if !q.From.IsZero() {
			b.WriteString(" AND " + col + " >= ?")
			args = append(args, q.From.UnixMicro())
		}
		if !q.To.IsZero() {
			b.WriteString(" AND " + col + " < ?")
			args = append(args, q.To.UnixMicro())
		}
	}
	// A contact's chain (PreviousContactID, InitialContactID) is a handful
	// of rows, found by its own index; the list filters must then not
	// tempt the planner into contacts_active instead, which without
	// statistics it prefers and which reads every contact of the channel
	// (the linked-task count of StartTaskContact scanned all the
	// instance's tasks on the writer). "col || ''" is the same value to
	// compare and, in SQLite and PostgreSQL alike, no index's.
	chain := q.PreviousContactID != "" || q.InitialContactID != ""
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		if chain {
			col += " || ''"
		}
		b.WriteString(" AND " + col + " IN (")
		for i, v := range vals {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("?")
			args = append(args, v)
		}
		b.WriteString(")")
	}
	in("channel", q.Channels)
	in("initiation_method", q.InitiationMethods)
	in("queue_id", q.QueueIDs)
	in("agent_id", q.AgentIDs)
	if q.PreviousContactID != "" {
		// The index on previous_contact_id is partial (migration 009).
		b.WriteString(" AND previous_contact_id = ? AND previous_contact_id <> ''")
		args = append(args, q.PreviousContactID)
	}
	if q.InitialContactID != "" {
		// The index on initial_contact_id holds only the contacts that
		// joined another's chain (migration 010); the initial contact
		// itself is found by its primary key.
		b.WriteString(" AND initial_contact_id = ? AND id IN (SELECT ? UNION ALL SELECT id FROM contacts" +
			" WHERE instance_id = ? AND initial_contact_id = ? AND initial_contact_id <> id)")
		args = append(args, q.InitialContactID, q.InitialContactID, q.InstanceID, q.InitialContactID)
	}
	if q.ActiveOnly {
		b.WriteString(" AND active = ?")
		args = append(args, true)
	}
	return b.String(), args, nil
}

func (t *readTx) QueryContacts(q domain.ContactQuery) ([]domain.ContactRow, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	where, args, err := contactWhere(q)
	if err != nil {
		return nil, err
	}
	sf := q.SortField
	if sf == "" {
		sf = domain.TimeInitiation
	}
	col, ok := timeColumns[sf]
	if !ok {
		return nil, fmt.Errorf("store: unknown contact sort field %q", sf)
	}
	dir := "ASC"
	if q.Descending {
		dir = "DESC"
	}
	if q.Offset < 0 || q.Limit < 0 {
		return nil, fmt.Errorf("store: negative offset or limit")
	}
	limit := int64(q.Limit)
	if limit == 0 {
		// Both dialects accept a huge LIMIT, which keeps one query shape for
		// "no limit" (SQLite needs a LIMIT before OFFSET).
		limit = math.MaxInt64
	}
	// NULLS LAST in both directions: a contact without the sort time comes
	// after every contact that has it, ordered by ID among themselves.
	sqlText := "SELECT " + contactReadCols + " FROM contacts" + where +
		" ORDER BY " + col + " " + dir + " NULLS LAST, id " + dir + " LIMIT ? OFFSET ?"
	args = append(args, limit, int64(q.Offset))
	rows, err := t.sc.query(t.tx, t.s.d.rebind(sqlText), args...)
	if err != nil {
		return nil, t.wrap("query contacts", err)
	}
	defer rows.Close()
	var out []domain.ContactRow
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, t.wrap("query contacts", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap("query contacts", err)
	}
	return out, nil
}

func (t *readTx) CountContacts(q domain.ContactQuery) (int, error) {
	if isActiveCount(q) {
		return t.count("count active contacts", t.s.q.countActive, q.InstanceID, q.Channels[0])
	}
	where, args, err := contactWhere(q)
	if err != nil {
		return 0, err
	}
	return t.count("count contacts", t.s.d.rebind("SELECT COUNT(*) FROM contacts"+where), args...)
}

func (t *readTx) GetIdempotency(instanceID, operation, token string) (domain.Idempotency, error) {
	if err := t.check(); err != nil {
		return domain.Idempotency{}, err
	}
	if t.s.tokens != nil {
		return t.getTokenCommitted(instanceID, operation, token)
	}
	var i domain.Idempotency
	var c sql.NullInt64
	err := t.sc.queryRow(t.tx, t.s.q.getIdem, instanceID, operation, token).
		Scan(&i.InstanceID, &i.Operation, &i.Token, &i.RequestHash, &i.ResultID, &c)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Idempotency{}, domain.ErrStoreNotFound
	}
	if err != nil {
		return domain.Idempotency{}, t.wrap("get idempotency", err)
	}
	i.CreatedAt = timeOf(c)
	return i, nil
}

// writeTx implements domain.Tx.
type writeTx struct {
	readTx
	// tokens are this request's changes to the in-memory idempotency
	// index, if the store keeps one; the writer keeps them only if the
	// request's writes are kept.
	tokens tokenChanges
}

func (t *writeTx) exec(op, q string, args ...any) (sql.Result, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	res, err := t.sc.exec(t.tx, q, args...)
	if err != nil {
		return nil, t.wrap(op, err)
	}
	return res, nil
}

func (t *writeTx) PutRecord(r domain.Record) error {
	if err := t.check(); err != nil {
		return err
	}
	args := []any{string(r.Kind), r.InstanceID, r.ID, r.Name, dataArg(r.Data), timeArg(r.CreatedAt), timeArg(r.UpdatedAt)}
	// A duplicate name is an expected answer, not a failure of the
	// transaction; where the database would abort the whole transaction on
	// it, fence the statement with its own savepoint.
	fence := t.s.d.ErrorAbortsTx
	if fence {
		if _, err := t.sc.exec(t.tx, "SAVEPOINT put_record"); err != nil {
			return t.wrap("put record", err)
		}
	}
	_, err := t.sc.exec(t.tx, t.s.q.putRecord, args...)
	if fence {
		undo := "RELEASE SAVEPOINT put_record"
		if err != nil {
			undo = "ROLLBACK TO SAVEPOINT put_record"
		}
		if _, e := t.sc.exec(t.tx, undo); e != nil {
			return t.wrap("put record", errors.Join(err, e))
		}
		if err != nil {
			if _, e := t.sc.exec(t.tx, "RELEASE SAVEPOINT put_record"); e != nil {
				return t.wrap("put record", errors.Join(err, e))
			}
		}
	}
	if err != nil {
		if t.s.d.IsUniqueViolation(err) {
			return domain.ErrStoreDuplicate
		}
		return t.wrap("put record", err)
	}
	return nil
}

func (t *writeTx) DeleteRecord(kind domain.Kind, instanceID, id string) error {
	res, err := t.exec("delete record", t.s.q.deleteRecord, string(kind), instanceID, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return t.wrap("delete record", err)
	}
	if n == 0 {
		return domain.ErrStoreNotFound
	}
	return nil
}

func (t *writeTx) DeleteInstance(instanceID string) error {
	// Deleting an instance that has no rows is not an error: the domain
	// decides whether the instance exists, the store just makes it gone.
	for _, q := range []struct {
		op, q string
		args  []any
	}{
		{"delete instance records", t.s.q.delInstRecords, []any{instanceID}},
		{"delete instance contacts", t.s.q.delInstContacts, []any{instanceID}},
		{"delete instance active counts", t.s.q.delInstActive, []any{instanceID}},
		{"delete instance idempotency", t.s.q.delInstIdem, []any{instanceID}},
		{"delete instance", t.s.q.delInstanceRecord, []any{string(domain.KindInstance), instanceID}},
	} {
		if q.q == "" {
			continue
		}
		if _, err := t.exec(q.op, q.q, q.args...); err != nil {
			return err
		}
	}
	if t.s.tokens != nil {
		if _, err := t.deleteTokens("delete instance idempotency", t.s.q.tok.deleteInstance, instanceID); err != nil {
			return err
		}
	}
	if err := t.deleteInstanceMetrics(instanceID); err != nil {
		return err
	}
	// What was waiting to leave for the instance's sinks goes with it: a
	// deleted instance sends nothing more.
	if _, err := t.exec("delete instance outbox", t.s.d.rebind("DELETE FROM delivery_outbox WHERE instance_id = ?"), instanceID); err != nil {
		return err
	}
	return t.deleteInstanceChat(instanceID)
}

func (t *writeTx) PutContact(c domain.ContactRow) error {
	_, err := t.exec("put contact", t.s.q.putContact,
		c.InstanceID, c.ID, c.InitialContactID, c.PreviousContactID, c.RelatedContactID,
		c.Channel, c.InitiationMethod, c.QueueID, c.AgentID, c.Active,
		timeArg(c.InitiationTime), timeArg(c.ScheduledTime), timeArg(c.EnqueueTime),
		timeArg(c.ConnectedToAgentTime), timeArg(c.DisconnectTime), timeArg(c.ExpiryTime),
		dataArg(c.Data))
	return err
}

// GetIdempotency sees the writes of the batch so far, including this
// request's.
func (t *writeTx) GetIdempotency(instanceID, operation, token string) (domain.Idempotency, error) {
	if t.s.tokens != nil {
		return t.getToken(instanceID, operation, token)
	}
	return t.readTx.GetIdempotency(instanceID, operation, token)
}

func (t *writeTx) PutIdempotency(i domain.Idempotency) error {
	if t.s.tokens != nil {
		return t.putToken(i)
	}
	_, err := t.exec("put idempotency", t.s.q.putIdem,
		i.InstanceID, i.Operation, i.Token, i.RequestHash, i.ResultID, timeArg(i.CreatedAt))
	return err
}

func (t *writeTx) ClaimIdempotency(i domain.Idempotency, expiredBy time.Time) (domain.Idempotency, bool, error) {
	if t.s.tokens != nil {
		return t.claimToken(i, expiredBy)
	}
	res, err := t.exec("claim idempotency", t.s.q.claimIdem,
		i.InstanceID, i.Operation, i.Token, i.RequestHash, i.ResultID, timeArg(i.CreatedAt), expiredBy.UnixMicro())
	if err != nil {
		return domain.Idempotency{}, false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return domain.Idempotency{}, false, t.wrap("claim idempotency", err)
	}
	if n == 1 {
		return i, true, nil
	}
	// A live entry holds the token: the caller decides between a replay
	// and a conflict from what it recorded.
	prior, err := t.GetIdempotency(i.InstanceID, i.Operation, i.Token)
	return prior, false, err
}

func (t *writeTx) DeleteIdempotencyBefore(before time.Time, limit int) (int, error) {
	// Entries with no creation time (NULL) are never "before" anything and
	// stay; the domain always sets CreatedAt.
	if t.s.tokens != nil {
		return t.deleteTokens("delete idempotency", t.s.q.tok.deleteBefore, before.UnixMicro(), limit)
	}
	res, err := t.exec("delete idempotency", t.s.q.deleteIdemBefore, before.UnixMicro(), limit)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, t.wrap("delete idempotency", err)
	}
	return int(n), nil
}

// isActiveCount reports whether q asks exactly "how many contacts of this
// channel are active in this instance", which the active_contacts table
// answers directly.
func isActiveCount(q domain.ContactQuery) bool {
	return q.ActiveOnly && q.InstanceID != "" && len(q.Channels) == 1 && q.TimeField == "" &&
		len(q.InitiationMethods) == 0 && len(q.QueueIDs) == 0 && len(q.AgentIDs) == 0 &&
		q.PreviousContactID == "" && q.InitialContactID == ""
}
