package sqlstore

import (
	"database/sql"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// Chat storage (domain.ChatReadTx / domain.ChatTx). Every statement is
// fixed text, rebound once for the dialect in newChatQueries and prepared
// with the store's other statements (stmtcache.go): SendMessage runs
// several of them per message on the single writer, and re-parsing them
// on every call was a fifth of the writer's CPU under chat load.

const (
	chatParticipantCols = "instance_id, contact_id, participant_id, token_hash, data"
	chatConnectionCols  = "token_hash, instance_id, contact_id, participant_id, expires_at"
	chatItemCols        = "instance_id, contact_id, seq, id, at, data"
	chatAttachmentCols  = "instance_id, contact_id, id, created_at, data"
)

// Savepoint fencing a chat write whose conflict is an expected answer
// (execMayConflict).
const (
	chatSpBegin    = "SAVEPOINT chat_put"
	chatSpRollback = "ROLLBACK TO SAVEPOINT chat_put"
	chatSpRelease  = "RELEASE SAVEPOINT chat_put"
)

// ListChatItems' optional clauses, one bit each; with the direction they
// give every shape the query can take, so that all of them are prepared
// rather than only the one SendMessage uses.
const (
	itemsAfter = 1 << iota
	itemsBefore
	itemsFrom
	itemsDesc
	itemsShapes
)

// chatQueries are the chat statements, rebound for the dialect.
type chatQueries struct {
	sendState                                                  string
	getParticipantByToken, listParticipants, getConnection     string
	getItem, getAttachment, countAttachments, getAttachContent string
	listItems                                                  [itemsShapes]string

	putParticipant, putConnection, deleteConnectionsBefore string
	moveParticipant, moveConnections                       string
	putItem, putAttachment, putAttachContent               string
	deletes                                                []string // DeleteInstance
}

func newChatQueries(d *Dialect) chatQueries {
	q := chatQueries{
		// One statement for everything SendMessage checks (GetChatSendState).
		// The last item is found through MAX(seq), which SQLite and
		// PostgreSQL both answer from the primary key's index.
		sendState: "SELECT c.rev, " +
			"EXISTS (SELECT 1 FROM records r WHERE r.kind = ? AND r.instance_id = c.instance_id AND r.id = c.initial_contact_id), " +
			"p.instance_id, p.contact_id, p.participant_id, p.token_hash, p.data, " +
			"i.seq, i.id, i.at, i.data " +
			"FROM contacts c " +
			"LEFT JOIN chat_participants p ON p.token_hash = ? " +
			"LEFT JOIN chat_items i ON i.instance_id = c.instance_id AND i.contact_id = c.id AND i.seq = " +
			"(SELECT MAX(m.seq) FROM chat_items m WHERE m.instance_id = c.instance_id AND m.contact_id = c.id) " +
			"WHERE c.instance_id = ? AND c.id = ?",
		getParticipantByToken: "SELECT " + chatParticipantCols + " FROM chat_participants WHERE token_hash = ?",
		listParticipants: "SELECT " + chatParticipantCols +
			" FROM chat_participants WHERE instance_id = ? AND contact_id = ? ORDER BY participant_id",
		getConnection:    "SELECT " + chatConnectionCols + " FROM chat_connections WHERE token_hash = ?",
		getItem:          "SELECT " + chatItemCols + " FROM chat_items WHERE instance_id = ? AND contact_id = ? AND id = ?",
		getAttachment:    "SELECT " + chatAttachmentCols + " FROM chat_attachments WHERE instance_id = ? AND contact_id = ? AND id = ?",
		countAttachments: "SELECT COUNT(*) FROM chat_attachments WHERE instance_id = ? AND contact_id = ?",
		getAttachContent: "SELECT content FROM chat_attachments WHERE instance_id = ? AND contact_id = ? AND id = ?",
		putParticipant: "INSERT INTO chat_participants (" + chatParticipantCols + ") VALUES (?, ?, ?, ?, ?) " +
			"ON CONFLICT (instance_id, contact_id, participant_id) DO UPDATE SET token_hash = excluded.token_hash, data = excluded.data",
		putConnection: "INSERT INTO chat_connections (" + chatConnectionCols + ") VALUES (?, ?, ?, ?, ?) " +
			"ON CONFLICT (token_hash) DO UPDATE SET instance_id = excluded.instance_id, contact_id = excluded.contact_id, " +
			"participant_id = excluded.participant_id, expires_at = excluded.expires_at",
		deleteConnectionsBefore: "DELETE FROM chat_connections WHERE expires_at < ?",
		moveParticipant: "UPDATE chat_participants SET contact_id = ? " +
			"WHERE instance_id = ? AND contact_id = ? AND participant_id = ?",
		moveConnections: "UPDATE chat_connections SET contact_id = ? " +
			"WHERE instance_id = ? AND contact_id = ? AND participant_id = ?",
		putItem: "INSERT INTO chat_items (" + chatItemCols + ") VALUES (?, ?, ?, ?, ?, ?) " +
			"ON CONFLICT (instance_id, contact_id, seq) DO UPDATE SET id = excluded.id, at = excluded.at, data = excluded.data",
		putAttachment: "INSERT INTO chat_attachments (instance_id, contact_id, id, created_at, data, content) VALUES (?, ?, ?, ?, ?, ?) " +
			"ON CONFLICT (instance_id, contact_id, id) DO UPDATE SET created_at = excluded.created_at, data = excluded.data",
		putAttachContent: "UPDATE chat_attachments SET content = ? WHERE instance_id = ? AND contact_id = ? AND id = ?",
		deletes: []string{
			"DELETE FROM chat_participants WHERE instance_id = ?",
			"DELETE FROM chat_connections WHERE instance_id = ?",
			"DELETE FROM chat_items WHERE instance_id = ?",
			"DELETE FROM chat_attachments WHERE instance_id = ?",
		},
	}
	for shape := range q.listItems {
		q.listItems[shape] = listItemsQuery(shape)
	}
	for _, p := range q.fixed() {
		*p = d.rebind(*p)
	}
	for i := range q.deletes {
		q.deletes[i] = d.rebind(q.deletes[i])
	}
	for i := range q.listItems {
		q.listItems[i] = d.rebind(q.listItems[i])
	}
	return q
}

func (q *chatQueries) fixed() []*string {
	return []*string{&q.sendState, &q.getParticipantByToken, &q.listParticipants, &q.getConnection, &q.getItem,
		&q.getAttachment, &q.countAttachments, &q.getAttachContent, &q.putParticipant, &q.putConnection,
		&q.deleteConnectionsBefore, &q.moveParticipant, &q.moveConnections, &q.putItem, &q.putAttachment, &q.putAttachContent}
}

// read lists the statements a View runs, for the reader pool.
func (q *chatQueries) read() []string {
	out := []string{q.sendState, q.getParticipantByToken, q.listParticipants, q.getConnection, q.getItem,
		q.getAttachment, q.countAttachments, q.getAttachContent}
	return append(out, q.listItems[:]...)
}

// write lists every chat statement, for the writer pool.
func (q *chatQueries) write() []string {
	out := append(q.read(), q.putParticipant, q.putConnection, q.deleteConnectionsBefore, q.moveParticipant, q.moveConnections,
		q.putItem, q.putAttachment, q.putAttachContent, chatSpBegin, chatSpRollback, chatSpRelease)
	return append(out, q.deletes...)
}

// listItemsQuery is ListChatItems' statement for one shape; the arguments
// follow the clauses in this order, LIMIT last.
func listItemsQuery(shape int) string {
	var b strings.Builder
	b.WriteString("SELECT " + chatItemCols + " FROM chat_items WHERE instance_id = ? AND contact_id = ?")
	if shape&itemsAfter != 0 {
		b.WriteString(" AND seq > ?")
	}
	if shape&itemsBefore != 0 {
		b.WriteString(" AND seq < ?")
	}
	if shape&itemsFrom != 0 {
		b.WriteString(" AND at >= ?")
	}
	if shape&itemsDesc != 0 {
		b.WriteString(" ORDER BY seq DESC")
	} else {
		b.WriteString(" ORDER BY seq ASC")
	}
	b.WriteString(" LIMIT ?")
	return b.String()
}

func (t *readTx) chatRow(q string, args ...any) (*sql.Row, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	return t.sc.queryRow(t.tx, q, args...), nil
}

// notFoundOr maps "no rows" to ErrStoreNotFound and wraps other errors.
func (t *readTx) notFoundOr(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.ErrStoreNotFound
	}
	return t.wrap(op, err)
}

func (t *readTx) GetChatSendState(instanceID, contactID, participantTokenHash string) (domain.ChatSendState, error) {
	const op = "get chat send state"
	row, err := t.chatRow(t.s.q.chat.sendState, string(domain.KindContactStreams), participantTokenHash, instanceID, contactID)
	if err != nil {
		return domain.ChatSendState{}, err
	}
	var st domain.ChatSendState
	var seq, at sql.NullInt64
	var pInst, pContact, pID, pHash, itemID sql.NullString
	var pData, itemData []byte
	if err := row.Scan(&st.ContactRev, &st.HasStreams,
		&pInst, &pContact, &pID, &pHash, &pData, &seq, &itemID, &at, &itemData); err != nil {
		return domain.ChatSendState{}, t.notFoundOr(op, err)
	}
	if pID.Valid {
		st.Participant = &domain.ChatParticipantRow{InstanceID: pInst.String, ContactID: pContact.String,
			ParticipantID: pID.String, TokenHash: pHash.String, Data: pData}
	}
	if seq.Valid {
		st.Last = &domain.ChatItemRow{InstanceID: instanceID, ContactID: contactID, Seq: seq.Int64,
			ID: itemID.String, Time: timeOf(at), Data: itemData}
	}
	return st, nil
}

func (t *readTx) GetChatParticipantByToken(tokenHash string) (domain.ChatParticipantRow, error) {
	const op = "get chat participant"
	row, err := t.chatRow(t.s.q.chat.getParticipantByToken, tokenHash)
	if err != nil {
		return domain.ChatParticipantRow{}, err
	}
	var p domain.ChatParticipantRow
	if err := row.Scan(&p.InstanceID, &p.ContactID, &p.ParticipantID, &p.TokenHash, &p.Data); err != nil {
		return domain.ChatParticipantRow{}, t.notFoundOr(op, err)
	}
	return p, nil
}

func (t *readTx) ListChatParticipants(instanceID, contactID string) ([]domain.ChatParticipantRow, error) {
	const op = "list chat participants"
	if err := t.check(); err != nil {
		return nil, err
	}
	rows, err := t.sc.query(t.tx, t.s.q.chat.listParticipants, instanceID, contactID)
	if err != nil {
		return nil, t.wrap(op, err)
	}
	defer rows.Close()
	var out []domain.ChatParticipantRow
	for rows.Next() {
		var p domain.ChatParticipantRow
		if err := rows.Scan(&p.InstanceID, &p.ContactID, &p.ParticipantID, &p.TokenHash, &p.Data); err != nil {
			return nil, t.wrap(op, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap(op, err)
	}
	return out, nil
}

func (t *readTx) GetChatConnection(tokenHash string) (domain.ChatConnectionRow, error) {
	const op = "get chat connection"
	row, err := t.chatRow(t.s.q.chat.getConnection, tokenHash)
	if err != nil {
		return domain.ChatConnectionRow{}, err
	}
	var c domain.ChatConnectionRow
	var exp sql.NullInt64
	if err := row.Scan(&c.TokenHash, &c.InstanceID, &c.ContactID, &c.ParticipantID, &exp); err != nil {
		return domain.ChatConnectionRow{}, t.notFoundOr(op, err)
	}
	c.ExpiresAt = timeOf(exp)
	return c, nil
}

func scanChatItem(sc scanner) (domain.ChatItemRow, error) {
	var i domain.ChatItemRow
	var at sql.NullInt64
	if err := sc.Scan(&i.InstanceID, &i.ContactID, &i.Seq, &i.ID, &at, &i.Data); err != nil {
		return domain.ChatItemRow{}, err
	}
	i.Time = timeOf(at)
	return i, nil
}

func (t *readTx) GetChatItem(instanceID, contactID, id string) (domain.ChatItemRow, error) {
	const op = "get chat item"
	row, err := t.chatRow(t.s.q.chat.getItem, instanceID, contactID, id)
	if err != nil {
		return domain.ChatItemRow{}, err
	}
	i, err := scanChatItem(row)
	if err != nil {
		return domain.ChatItemRow{}, t.notFoundOr(op, err)
	}
	return i, nil
}

func (t *readTx) ListChatItems(q domain.ChatItemQuery) ([]domain.ChatItemRow, error) {
	const op = "list chat items"
	if err := t.check(); err != nil {
		return nil, err
	}
	if q.Limit < 0 {
		return nil, errors.New("store: negative limit")
	}
	shape := 0
	args := make([]any, 2, 6)
	args[0], args[1] = q.InstanceID, q.ContactID
	if q.AfterSeq != 0 {
		shape |= itemsAfter
		args = append(args, q.AfterSeq)
	}
	if q.BeforeSeq != 0 {
		shape |= itemsBefore
		args = append(args, q.BeforeSeq)
	}
	if !q.FromTime.IsZero() {
		shape |= itemsFrom
		args = append(args, q.FromTime.UnixMicro())
	}
	if q.Descending {
		shape |= itemsDesc
	}
	limit := int64(q.Limit)
	if limit == 0 {
		limit = math.MaxInt64
	}
	args = append(args, limit)
	rows, err := t.sc.query(t.tx, t.s.q.chat.listItems[shape], args...)
	if err != nil {
		return nil, t.wrap(op, err)
	}
	defer rows.Close()
	var out []domain.ChatItemRow
	for rows.Next() {
		i, err := scanChatItem(rows)
		if err != nil {
			return nil, t.wrap(op, err)
		}
		out = append(out, i)
	}
	if err := rows.Err(); err != nil {
		return nil, t.wrap(op, err)
	}
	return out, nil
}

func (t *readTx) GetChatAttachment(instanceID, contactID, id string) (domain.ChatAttachmentRow, error) {
	const op = "get chat attachment"
	row, err := t.chatRow(t.s.q.chat.getAttachment, instanceID, contactID, id)
	if err != nil {
		return domain.ChatAttachmentRow{}, err
	}
	var a domain.ChatAttachmentRow
	var c sql.NullInt64
	if err := row.Scan(&a.InstanceID, &a.ContactID, &a.ID, &c, &a.Data); err != nil {
		return domain.ChatAttachmentRow{}, t.notFoundOr(op, err)
	}
	a.CreatedAt = timeOf(c)
	return a, nil
}

func (t *readTx) CountChatAttachments(instanceID, contactID string) (int, error) {
	return t.count("count chat attachments", t.s.q.chat.countAttachments, instanceID, contactID)
}

func (t *readTx) GetChatAttachmentContent(instanceID, contactID, id string) ([]byte, error) {
	const op = "get chat attachment content"
	row, err := t.chatRow(t.s.q.chat.getAttachContent, instanceID, contactID, id)
	if err != nil {
		return nil, err
	}
	var b []byte
	if err := row.Scan(&b); err != nil {
		return nil, t.notFoundOr(op, err)
	}
	return b, nil
}

// execMayConflict runs a write whose unique-constraint failure is an
// expected answer (ErrStoreDuplicate). Where a failed statement would abort
// the whole transaction (PostgreSQL), it runs under its own savepoint so
// the caller's fn can go on, as PutRecord does.
func (t *writeTx) execMayConflict(op, q string, args ...any) error {
	if err := t.check(); err != nil {
		return err
	}
	fence := t.s.d.ErrorAbortsTx
	if fence {
		if _, err := t.sc.exec(t.tx, chatSpBegin); err != nil {
			return t.wrap(op, err)
		}
	}
	_, err := t.sc.exec(t.tx, q, args...)
	if fence {
		if err != nil {
			if _, e := t.sc.exec(t.tx, chatSpRollback); e != nil {
				return t.wrap(op, errors.Join(err, e))
			}
		}
		if _, e := t.sc.exec(t.tx, chatSpRelease); e != nil {
			return t.wrap(op, errors.Join(err, e))
		}
	}
	if err != nil {
		if t.s.d.IsUniqueViolation(err) {
			return domain.ErrStoreDuplicate
		}
		return t.wrap(op, err)
	}
	return nil
}

func (t *writeTx) PutChatParticipant(p domain.ChatParticipantRow) error {
	return t.execMayConflict("put chat participant", t.s.q.chat.putParticipant,
		p.InstanceID, p.ContactID, p.ParticipantID, p.TokenHash, dataArg(p.Data))
}

func (t *writeTx) PutChatConnection(c domain.ChatConnectionRow) error {
	_, err := t.exec("put chat connection", t.s.q.chat.putConnection,
		c.TokenHash, c.InstanceID, c.ContactID, c.ParticipantID, timeArg(c.ExpiresAt))
	return err
}

func (t *writeTx) DeleteChatConnectionsBefore(before time.Time) error {
	_, err := t.exec("delete chat connections", t.s.q.chat.deleteConnectionsBefore, before.UnixMicro())
	return err
}

func (t *writeTx) MoveChatParticipant(instanceID, fromContactID, participantID, toContactID string) error {
	const op = "move chat participant"
	res, err := t.exec(op, t.s.q.chat.moveParticipant, toContactID, instanceID, fromContactID, participantID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return t.wrap(op, err)
	} else if n == 0 {
		return domain.ErrStoreNotFound
	}
	_, err = t.exec(op, t.s.q.chat.moveConnections, toContactID, instanceID, fromContactID, participantID)
	return err
}

func (t *writeTx) PutChatItem(i domain.ChatItemRow) error {
	return t.execMayConflict("put chat item", t.s.q.chat.putItem,
		i.InstanceID, i.ContactID, i.Seq, i.ID, timeArg(i.Time), dataArg(i.Data))
}

func (t *writeTx) PutChatAttachment(a domain.ChatAttachmentRow) error {
	_, err := t.exec("put chat attachment", t.s.q.chat.putAttachment,
		a.InstanceID, a.ContactID, a.ID, timeArg(a.CreatedAt), dataArg(a.Data), []byte{})
	return err
}

func (t *writeTx) PutChatAttachmentContent(instanceID, contactID, id string, content []byte) error {
	const op = "put chat attachment content"
	res, err := t.exec(op, t.s.q.chat.putAttachContent, dataArg(content), instanceID, contactID, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return t.wrap(op, err)
	}
	if n == 0 {
		return domain.ErrStoreNotFound
	}
	return nil
}

// deleteInstanceChat removes an instance's chat rows (DeleteInstance).
func (t *writeTx) deleteInstanceChat(instanceID string) error {
	for _, q := range t.s.q.chat.deletes {
		if _, err := t.exec("delete instance chat", q, instanceID); err != nil {
			return err
		}
	}
	return nil
}
