package contactrecords

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// DefaultPageSize is how many contacts one store read takes. A page is
// decoded, completed with its lookups and written out before the next is
// read, so an export holds one page in memory however long its range.
const DefaultPageSize = 500

// MaxRange bounds an export's time range: Connect keeps contact data for
// 24 months (spec §1.5), so nothing older can be asked for in one go.
const MaxRange = 2 * 366 * 24 * time.Hour

// Query selects the records of an instance whose contacts disconnected in
// [From, To).
//
// The range is on DisconnectTimestamp because that is when a contact can
// first have a record and it never changes afterwards, which makes the
// store's offset paging stable while contacts keep ending: new ones sort
// after every row already read. A contact still in after-contact work at
// export time is skipped (it has no record yet); exporting a window again
// later picks it up. Consumers dedupe by ContactId keeping the highest
// LastUpdateTimestamp, as Connect's own at-least-once records require.
type Query struct {
	InstanceID string
	From, To   time.Time
}

// ParseQuery reads an export request: from and to as RFC 3339 times, from
// before to, at most MaxRange apart. Unknown parameters are refused so
// that a typo (form=…) does not silently export everything.
func ParseQuery(instanceID string, v url.Values) (Query, error) {
	q := Query{InstanceID: instanceID}
	if instanceID == "" {
		return q, errors.New("the instance ID is empty")
	}
	for k, vs := range v {
		if k != "from" && k != "to" {
			return q, fmt.Errorf("unknown parameter %q; the parameters are from and to", k)
		}
		if len(vs) != 1 {
			return q, fmt.Errorf("give %s once", k)
		}
	}
	var err error
	if q.From, err = parseTime("from", v.Get("from")); err != nil {
		return q, err
	}
	if q.To, err = parseTime("to", v.Get("to")); err != nil {
		return q, err
	}
	if !q.From.Before(q.To) {
		return q, fmt.Errorf("from (%s) must be before to (%s)", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	if q.To.Sub(q.From) > MaxRange {
		return q, fmt.Errorf("the range from %s to %s is longer than the 24 months contact data is kept; export it in parts", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	return q, nil
}

func parseTime(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("%s is required: an RFC 3339 time such as 2026-03-02T09:00:00Z", name)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not an RFC 3339 time such as 2026-03-02T09:00:00Z", name, s)
	}
	// Keep the range inside what the store's columns and Go's durations
	// can represent (year 1 or 9999 would overflow To.Sub(From)).
	if t.Year() < 1970 || t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("%s %q is out of range", name, s)
	}
	return t.UTC(), nil
}

// Exporter reads completed contacts page by page and builds their records.
type Exporter struct {
	Store   domain.Store
	Service *domain.Service
	// PageSize is how many contacts one store read takes; 0 means
	// DefaultPageSize.
	PageSize int
}

// Export calls emit with each record of q in disconnect order (ties by
// ContactId) and returns how many it emitted. It stops at the first error
// of emit or of the store. An unknown instance is the domain's
// ResourceNotFoundException, before anything is emitted.
func (e *Exporter) Export(ctx context.Context, q Query, emit func(*Record) error) (int, error) {
	inst, err := e.Service.DescribeInstance(ctx, q.InstanceID)
	if err != nil {
		return 0, err
	}
	size := e.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	names := newNames(e.Service, inst.ID)
	n := 0
	for offset := 0; ; offset += size {
		page, rows, err := e.page(ctx, inst.ID, q, offset, size)
		if err != nil {
			return n, err
		}
		for i := range page {
			in := &page[i]
			in.AccountID, in.InstanceARN = e.Service.AccountID(), inst.Arn
			in.QueueName = names.queue(ctx, in.Contact.QueueID)
			if !in.Contact.ConnectedToAgentTime.IsZero() {
				in.AgentUsername = names.user(ctx, in.Contact.AgentID)
			}
			rec := Build(*in)
			if err := emit(&rec); err != nil {
				return n, err
			}
			n++
		}
		if rows < size {
			return n, nil
		}
		if err := ctx.Err(); err != nil {
			return n, err
		}
	}
}

// page reads one page of contacts in one read transaction, with each
// completed contact's attributes and successor, and returns the inputs of
// the completed ones and how many rows the page had (fewer than size ends
// the export).
func (e *Exporter) page(ctx context.Context, iid string, q Query, offset, size int) ([]Input, int, error) {
	var out []Input
	rows := 0
	err := e.Store.View(ctx, func(tx domain.ReadTx) error {
		out, rows = nil, 0
		rs, err := tx.QueryContacts(domain.ContactQuery{InstanceID: iid, TimeField: domain.TimeDisconnect, From: q.From, To: q.To,
			SortField: domain.TimeDisconnect, Offset: offset, Limit: size})
		if err != nil {
			return err
		}
		rows = len(rs)
		for _, r := range rs {
			var c domain.Contact
			if err := json.Unmarshal(r.Data, &c); err != nil {
				return fmt.Errorf("decode contact %s: %w", r.ID, err)
			}
			if !Completed(&c) {
				continue
			}
			in := Input{Contact: c}
			if in.Attributes, err = domain.ChainAttributes(tx, iid, c.InitialContactID); err != nil {
				return err
			}
			if in.NextContactID, err = next(tx, iid, c.ID); err != nil {
				return err
			}
			out = append(out, in)
		}
		return nil
	})
	return out, rows, err
}

// next finds the contact that continued id (a transfer's new segment, or
// the first task linked to it): the earliest one naming id as previous.
func next(tx domain.ReadTx, iid, id string) (string, error) {
	rs, err := tx.QueryContacts(domain.ContactQuery{InstanceID: iid, PreviousContactID: id, SortField: domain.TimeInitiation, Limit: 1})
	if err != nil || len(rs) == 0 {
		return "", err
	}
	return rs[0].ID, nil
}

// names caches the queue names and usernames of one export: a range of
// contacts names few queues and agents many times.
type names struct {
	svc    *domain.Service
	iid    string
	queues map[string]string
	users  map[string]string
}

func newNames(svc *domain.Service, iid string) *names {
	return &names{svc: svc, iid: iid, queues: map[string]string{}, users: map[string]string{}}
}

// queue returns a queue's name; "" for a deleted queue (the record shows
// null rather than failing the export).
func (n *names) queue(ctx context.Context, id string) string {
	if id == "" {
		return ""
	}
	if name, ok := n.queues[id]; ok {
		return name
	}
	q, err := n.svc.DescribeQueue(ctx, n.iid, id)
	switch {
	case err == nil:
		n.queues[id] = q.Name
		return q.Name
	case domain.CodeOf(err) == domain.ErrNotFound:
		n.queues[id] = ""
	}
	// Another failure (a cancelled context) is not cached: it says
	// nothing about the queue.
	return ""
}

func (n *names) user(ctx context.Context, id string) string {
	if id == "" {
		return ""
	}
	if name, ok := n.users[id]; ok {
		return name
	}
	u, err := n.svc.DescribeUser(ctx, n.iid, id)
	switch {
	case err == nil:
		n.users[id] = u.Username
		return u.Username
	case domain.CodeOf(err) == domain.ErrNotFound:
		n.users[id] = ""
	}
	return ""
}
