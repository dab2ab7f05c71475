package chat

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// TranscriptQuery is GetTranscript's input.
type TranscriptQuery struct {
	ConnectionToken string
	// ContactID reads another contact of the chat (a transferred or a
	// continued chat); "" is the participant's own contact.
	ContactID  string
	MaxResults int // 0 = the default, 10
	NextToken  string
	// Forward scans toward newer items; set ScanDirection says whether
	// Forward was given (the default depends on StartPosition).
	Forward, ScanDirectionSet bool
	Ascending                 bool // SortOrder ASCENDING; DESCENDING is the default
	StartID                   string
	StartTime                 string
	MostRecent                *int
}

// Transcript is one page of GetTranscript.
type Transcript struct {
	InitialContactID string
	Items            []*Item
	NextToken        string
}

// cursor is the decoded NextToken: where the scan goes on.
type cursor struct {
	Contact string `json:"c"`
	Seq     int64  `json:"s"` // next item to return (inclusive)
	Forward bool   `json:"f"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, false
	}
	var c cursor
	if json.Unmarshal(b, &c) != nil || c.Seq <= 0 {
		return cursor{}, false
	}
	return c, true
}

// GetTranscript pages through a contact's items.
//
// The scan starts at StartPosition (an item Id; the first item at or after
// AbsoluteTime scanning forward, the last at or before it scanning
// backward; MostRecent n = n items back from the newest), or without one
// at the newest item scanning BACKWARD and at the oldest scanning FORWARD.
// It takes up to MaxResults items in the scan direction, the start
// included, then orders the page by SortOrder. NextToken continues the
// scan; new items never shift a page, because positions are fixed.
func (s *Service) GetTranscript(ctx context.Context, q TranscriptQuery) (*Transcript, error) {
	limit := q.MaxResults
	if limit == 0 {
		limit = 10
	}
	startSet := 0
	for _, set := range []bool{q.StartID != "", q.StartTime != "", q.MostRecent != nil} {
		if set {
			startSet++
		}
	}
	if startSet > 1 {
		return nil, errorf(ErrValidation, "StartPosition takes one of Id, AbsoluteTime or MostRecent, not several.")
	}
	var startTime time.Time
	if q.StartTime != "" {
		t, err := time.Parse(time.RFC3339Nano, q.StartTime)
		if err != nil {
			return nil, errorf(ErrValidation, "StartPosition.AbsoluteTime %q is not an ISO-8601 time such as 2019-11-08T02:41:28.172Z.", q.StartTime)
		}
		startTime = t.UTC()
	}
	forward := q.Forward
	if !q.ScanDirectionSet {
		forward = startSet > 0
	}
	var out *Transcript
	err := s.store.View(ctx, func(tx domain.ReadTx) error {
		ss, err := s.authenticate(tx, kindConnection, q.ConnectionToken, s.now())
		if err != nil {
			return err
		}
		c, err := s.transcriptContact(tx, ss.contact, q.ContactID)
		if err != nil {
			return err
		}
		out = &Transcript{InitialContactID: c.InitialContactID}
		// A persistent chat's transcript goes on into the sessions it
		// continues: reading the current contact backward, the page that
		// reaches its first item hands out a NextToken into the past
		// (connect-semantics §5.5). StartPosition and ContactId do not
		// reach past sessions.
		intoPast := startSet == 0 && c.ID == ss.contact.ID
		var cur cursor
		if q.NextToken != "" {
			var ok bool
			if cur, ok = decodeCursor(q.NextToken); ok && cur.Contact != c.ID && intoPast {
				if past, err := pastContact(tx, c, cur.Contact); err != nil {
					return err
				} else if past != nil {
					c = past
				}
			}
			if !ok || cur.Contact != c.ID {
				return errorf(ErrValidation, "NextToken is not one GetTranscript returned for contact %s.", c.ID)
			}
		}
		base := domain.ChatItemQuery{InstanceID: c.InstanceID, ContactID: c.ID}
		var from int64 // the first item to return; 0 = none
		switch {
		case q.NextToken != "":
			from, forward = cur.Seq, cur.Forward
		case q.StartID != "":
			row, err := tx.GetChatItem(c.InstanceID, c.ID, q.StartID)
			if err != nil {
				if errors.Is(err, domain.ErrStoreNotFound) {
					return errorf(ErrValidation, "StartPosition.Id %s is not an item of contact %s.", q.StartID, c.ID)
				}
				return err
			}
			from = row.Seq
		case q.StartTime != "" && forward:
			from, err = firstSeq(tx, domain.ChatItemQuery{InstanceID: c.InstanceID, ContactID: c.ID, FromTime: startTime, Limit: 1})
		case q.StartTime != "":
			// The last item at or before the time: the one before the
			// first item after it.
			after, err2 := firstSeq(tx, domain.ChatItemQuery{InstanceID: c.InstanceID, ContactID: c.ID, FromTime: startTime.Add(time.Microsecond), Limit: 1})
			if err2 != nil {
				return err2
			}
			q := domain.ChatItemQuery{InstanceID: c.InstanceID, ContactID: c.ID, Descending: true, Limit: 1, BeforeSeq: after}
			from, err = firstSeq(tx, q)
		case q.MostRecent != nil:
			rows, err2 := tx.ListChatItems(domain.ChatItemQuery{InstanceID: c.InstanceID, ContactID: c.ID, Descending: true, Limit: *q.MostRecent + 1})
			if err2 != nil {
				return err2
			}
			if len(rows) > 0 {
				from = rows[len(rows)-1].Seq
			}
		case forward:
			from, err = firstSeq(tx, base)
		default:
			from, err = firstSeq(tx, domain.ChatItemQuery{InstanceID: c.InstanceID, ContactID: c.ID, Descending: true, Limit: 1})
		}
		if err != nil || from == 0 {
			return err
		}
		page := base
		page.Limit = limit + 1 // one more tells whether there is a next page
		if forward {
			page.AfterSeq = from - 1
		} else {
			page.BeforeSeq, page.Descending = from+1, true
		}
		rows, err := tx.ListChatItems(page)
		if err != nil {
			return err
		}
		if len(rows) > limit {
			out.NextToken = encodeCursor(cursor{Contact: c.ID, Seq: rows[limit].Seq, Forward: forward})
			rows = rows[:limit]
		} else if intoPast && !forward {
			if out.NextToken, err = pastToken(tx, c, c.ID == ss.contact.ID); err != nil {
				return err
			}
		}
		for _, r := range rows {
			it, err := decodeItem(r)
			if err != nil {
				return err
			}
			if c.ID != ss.contact.ID {
				// Items of an earlier contact of the chat are related, not
				// current (persistent chat).
				it.RelatedContactId, it.ContactId = c.ID, ""
			}
			out.Items = append(out.Items, it)
		}
		// Pages are built in scan order; SortOrder decides how they read.
		if forward != q.Ascending {
			slices.Reverse(out.Items)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// firstSeq returns the Seq of the first row q selects, 0 when none.
func firstSeq(tx domain.ReadTx, q domain.ChatItemQuery) (int64, error) {
	q.Limit = 1
	rows, err := tx.ListChatItems(q)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return rows[0].Seq, nil
}

// transcriptContact resolves GetTranscript's ContactId: the participant's
// own contact, another contact of the same chain, or a contact the chat
// continues (persistent chat, up to 100 back).
func (s *Service) transcriptContact(tx domain.ReadTx, own *domain.Contact, id string) (*domain.Contact, error) {
	if id == "" || id == own.ID {
		return own, nil
	}
	denied := errorf(ErrAccessDenied, "Contact %s is not part of this chat; a participant can read the transcripts of its own chat only.", id)
	other, err := getContact(tx, own.InstanceID, id)
	if err != nil {
		if e, ok := err.(*Error); ok && e.Code == ErrNotFound {
			return nil, denied
		}
		return nil, err
	}
	if other.Channel != "CHAT" {
		return nil, denied
	}
	if other.InitialContactID == own.InitialContactID {
		return other, nil
	}
	cur := own
	for range 100 {
		if cur.Chat == nil || cur.Chat.ContinuedFromContactID == "" {
			break
		}
		if cur, err = getContact(tx, own.InstanceID, cur.Chat.ContinuedFromContactID); err != nil {
			return nil, denied
		}
		if cur.ID == id || cur.InitialContactID == other.InitialContactID {
			return other, nil
		}
	}
	return nil, denied
}

// previousSession returns the contact before c in a persistent chat's
// history, nil at the start. Within a past session segments follow their
// transfers (PreviousContactID); a session's first segment leads to the
// session it continued. The current contact looks only at what it
// continued: its own transfers are read with ContactId.
func previousSession(tx domain.ReadTx, c *domain.Contact, current bool) (*domain.Contact, error) {
	id := ""
	switch {
	case !current && c.PreviousContactID != "":
		id = c.PreviousContactID
	case c.Chat != nil:
		id = c.Chat.ContinuedFromContactID
	}
	if id == "" {
		return nil, nil
	}
	p, err := getContact(tx, c.InstanceID, id)
	if IsChatError(err, ErrNotFound) {
		return nil, nil
	}
	return p, err
}

// maxPastContacts bounds how far back a persistent chat reads (the
// service traverses at most 100 past contacts).
const maxPastContacts = 100

// pastContact finds contact id among the past contacts of own's chat.
func pastContact(tx domain.ReadTx, own *domain.Contact, id string) (*domain.Contact, error) {
	c, current := own, true
	for range maxPastContacts {
		p, err := previousSession(tx, c, current)
		if err != nil || p == nil {
			return nil, err
		}
		if p.ID == id {
			return p, nil
		}
		c, current = p, false
	}
	return nil, nil
}

// pastToken is the NextToken that continues a backward scan which read c
// (the current contact when current) to its first item: the newest item
// of the nearest earlier contact that has items, or "" when the history
// ends here.
func pastToken(tx domain.ReadTx, c *domain.Contact, current bool) (string, error) {
	for range maxPastContacts {
		p, err := previousSession(tx, c, current)
		if err != nil || p == nil {
			return "", err
		}
		seq, err := firstSeq(tx, domain.ChatItemQuery{InstanceID: p.InstanceID, ContactID: p.ID, Descending: true})
		if err != nil {
			return "", err
		}
		if seq > 0 {
			return encodeCursor(cursor{Contact: p.ID, Seq: seq}), nil
		}
		c, current = p, false
	}
	return "", nil
}
