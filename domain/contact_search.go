package domain

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// SearchContactsParams are the inputs of SearchContacts.
type SearchContactsParams struct {
	InstanceID        string
	TimeField         ContactTimeField
	From, To          time.Time
	Channels          []string
	InitiationMethods []string
	QueueIDs          []string
	AgentIDs          []string
	NameTexts         []string
	NameMatch         string // MATCH_ALL | MATCH_ANY | MATCH_EXACT | MATCH_NONE
	Attributes        []SearchCriterion
	AttributesMatch   string
	Segments          []SearchCriterion
	SegmentsMatch     string
	// SortBy is a time field, or "INITIATION_METHOD" / "CHANNEL".
	SortBy     string
	Descending bool
	Page       Page
}

// SearchCriterion matches a key against a set of values.
type SearchCriterion struct {
	Key    string
	Values []string
}

// SearchResult is one page of SearchContacts.
type SearchResult struct {
	Contacts  []Contact
	NextToken string
	Total     int
}

// SearchContacts finds contacts of an instance. Every contact attribute is
// searchable (Connect needs attributes to be configured as searchable first;
// Switchboard does not). The store narrows by time range, channel, method,
// queue and agent; names and attributes are matched here.
func (s *Service) SearchContacts(ctx context.Context, p SearchContactsParams) (*SearchResult, error) {
	if !p.From.Before(p.To) {
		return nil, Errorf(ErrInvalidParameter, "TimeRange.StartTime (%s) must be before TimeRange.EndTime (%s).", p.From.UTC().Format(time.RFC3339), p.To.UTC().Format(time.RFC3339))
	}
	// The token is bound to the search, not to the page: hash the request
	// without its Page, or the token of page 1 could never match page 2's
	// request (which carries that token). Offsets stay meaningful when
	// MaxResults changes between pages, so it is left out too.
	keyed := p
	keyed.Page = Page{}
	queryKey := hashParams(keyed)
	p.Page.Default = 100
	tok, err := decodePageToken(p.Page.NextToken)
	if err != nil {
		return nil, err
	}
	if p.Page.NextToken != "" && tok.Query != queryKey[:16] {
		return nil, Errorf(ErrInvalidParameter, "The NextToken belongs to a search with other parameters; repeat the same search to continue it, or omit NextToken to start over.")
	}
	var out SearchResult
	err = s.view(ctx, func(tx ReadTx) error {
		iid, err := s.instanceID(tx, p.InstanceID)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContacts(ContactQuery{
			InstanceID: iid, TimeField: p.TimeField, From: p.From, To: p.To,
			Channels: p.Channels, InitiationMethods: p.InitiationMethods, QueueIDs: p.QueueIDs, AgentIDs: p.AgentIDs,
			SortField: TimeInitiation, Descending: true,
		})
		if err != nil {
			return err
		}
		var matched []Contact
		for _, r := range rows {
			c, err := decodeContact(r)
			if err != nil {
				return err
			}
			if !matchText(c.Name, p.NameTexts, p.NameMatch) {
				continue
			}
			if len(p.Attributes) > 0 {
				attrs, err := s.attributesOf(tx, c)
				if err != nil {
					return err
				}
				if !matchCriteria(func(k string) (string, bool) { v, ok := attrs[k]; return v, ok }, p.Attributes, p.AttributesMatch) {
					continue
				}
			}
			if len(p.Segments) > 0 && !matchCriteria(func(k string) (string, bool) {
				v, ok := c.SegmentAttributes[k]
				if !ok || v.String == nil {
					return "", false
				}
				return *v.String, true
			}, p.Segments, p.SegmentsMatch) {
				continue
			}
			matched = append(matched, *c)
		}
		sortContacts(matched, p.SortBy, p.Descending)
		out.Total = len(matched)
		start := tok.Offset
		if start > len(matched) {
			start = len(matched)
		}
		end := start + p.Page.limit()
		if end < len(matched) {
			b := pageToken{Offset: end, Query: queryKey[:16]}
			out.NextToken = encodeTokenValue(b)
		} else {
			end = len(matched)
		}
		out.Contacts = matched[start:end]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func matchText(name string, texts []string, match string) bool {
	if len(texts) == 0 {
		return true
	}
	lower := strings.ToLower(name)
	hits := 0
	for _, t := range texts {
		if match == "MATCH_EXACT" {
			if name == t {
				hits++
			}
			continue
		}
		if strings.Contains(lower, strings.ToLower(t)) {
			hits++
		}
	}
	switch match {
	case "MATCH_ALL":
		return hits == len(texts)
	case "MATCH_NONE":
		return hits == 0
	default: // MATCH_ANY, MATCH_EXACT
		return hits > 0
	}
}

// matchCriteria: a criterion holds when the key's value is one of Values;
// MATCH_ANY needs one criterion to hold, anything else (MATCH_ALL, the
// default) all of them.
func matchCriteria(get func(string) (string, bool), cs []SearchCriterion, match string) bool {
	hits := 0
	for _, c := range cs {
		if v, ok := get(c.Key); ok && contains(c.Values, v) {
			hits++
		}
	}
	if match == "MATCH_ANY" {
		return hits > 0
	}
	return hits == len(cs)
}

func sortContacts(cs []Contact, by string, desc bool) {
	key := func(c *Contact) string {
		switch by {
		case "INITIATION_METHOD":
			return c.InitiationMethod
		case "CHANNEL":
			return c.Channel
		}
		t := contactTime(c, ContactTimeField(by))
		if t.IsZero() {
			return ""
		}
		return fmt.Sprintf("%020d", t.UnixNano())
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := key(&cs[i]), key(&cs[j])
		// Contacts without the sort value come last either way.
		if a == "" || b == "" {
			return a != "" && b == ""
		}
		if a == b {
			return cs[i].ID < cs[j].ID
		}
		if desc {
			return a > b
		}
		return a < b
	})
}

// contactTime returns the contact's value of a time field.
func contactTime(c *Contact, f ContactTimeField) time.Time {
	switch f {
	case TimeScheduled:
		return c.ScheduledTime
	case TimeEnqueue:
		return c.EnqueueTime
	case TimeConnectedToAgent:
		return c.ConnectedToAgentTime
	case TimeDisconnect:
		return c.DisconnectTime
	case TimeExpiry:
		return c.ExpiryTime
	}
	return c.InitiationTime
}
