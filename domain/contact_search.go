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
	// Tags filters on the contacts' tags (ContactTags).
	Tags *TagFilter
	// MoreTimes are AdditionalTimeRange's criteria, MoreTimesMatch its
	// MatchType.
	MoreTimes      []TimeCriterion
	MoreTimesMatch string
	// HierarchyGroups are AgentHierarchyGroups' L1Ids…L5Ids: the agent's
	// group at each level given must be one of those listed.
	HierarchyGroups [5][]string
	// RoutingAgents are RoutingCriteria's steps: each must match a step of
	// the contact's routing criteria that names the agents.
	RoutingAgents []AgentsCriterion
	// ActiveRegions, when given, must name this server's Region.
	ActiveRegions []string
	// SortBy is a time field, or "INITIATION_METHOD" / "CHANNEL".
	SortBy     string
	Descending bool
	Page       Page
}

// TimeCriterion is one of AdditionalTimeRange's criteria: the field in
// [From, To), or, with NotExists, the field unset.
type TimeCriterion struct {
	Field     ContactTimeField
	From, To  time.Time
	NotExists bool
}

// AgentsCriterion matches a routing step whose Match condition names
// AgentIDs: all of them (MATCH_ALL, the default) or any (MATCH_ANY).
type AgentsCriterion struct {
	AgentIDs []string
	Match    string
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
	for _, t := range p.MoreTimes {
		if !t.NotExists && !t.From.Before(t.To) {
			return nil, Errorf(ErrInvalidParameter, "AdditionalTimeRange: StartTime (%s) must be before EndTime (%s).", t.From.UTC().Format(time.RFC3339), t.To.UTC().Format(time.RFC3339))
		}
	}
	var out SearchResult
	if len(p.ActiveRegions) > 0 && !contains(p.ActiveRegions, s.cfg.Region) {
		// Every contact here is active in this server's one Region.
		out.Contacts = []Contact{}
		return &out, nil
	}
	err = s.view(ctx, func(tx ReadTx) error {
		iid, err := s.instanceID(tx, p.InstanceID)
		if err != nil {
			return err
		}
		inGroups, err := s.agentsInGroups(tx, iid, p.HierarchyGroups)
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
			if !matchText(c.Name, p.NameTexts, p.NameMatch) || !p.Tags.matchTags(c.AllTags()) ||
				inGroups != nil && !inGroups[c.AgentID] || !matchTimes(c, p.MoreTimes, p.MoreTimesMatch) ||
				!matchRoutingAgents(c.RoutingCriteria, p.RoutingAgents) {
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

// agentsInGroups returns the users whose hierarchy groups match levels
// (the group at each level given is one of those listed), or nil when no
// level is given.
func (s *Service) agentsInGroups(tx ReadTx, iid string, levels [5][]string) (map[string]bool, error) {
	given := false
	for _, ids := range levels {
		given = given || len(ids) > 0
	}
	if !given {
		return nil, nil
	}
	users, err := all[User](tx, KindUser, iid)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, u := range users {
		ok := true
		for i, ids := range levels {
			if len(ids) > 0 && (i >= len(u.HierarchyPath) || !contains(ids, u.HierarchyPath[i])) {
				ok = false
			}
		}
		if ok {
			out[u.ID] = true
		}
	}
	return out, nil
}

// matchTimes applies AdditionalTimeRange: each criterion holds when the
// field is in its range (or unset, for NOT_EXISTS); MATCH_ANY needs one,
// anything else all.
func matchTimes(c *Contact, ts []TimeCriterion, match string) bool {
	if len(ts) == 0 {
		return true
	}
	hits := 0
	for _, t := range ts {
		v := contactTime(c, t.Field)
		if t.NotExists && v.IsZero() || !t.NotExists && !v.IsZero() && !v.Before(t.From) && v.Before(t.To) {
			hits++
		}
	}
	if match == "MATCH_ANY" {
		return hits > 0
	}
	return hits == len(ts)
}

// matchRoutingAgents applies RoutingCriteria: every criterion must match a
// step of the contact's criteria whose expression names the agents.
func matchRoutingAgents(rc *RoutingCriteria, cs []AgentsCriterion) bool {
	if len(cs) == 0 {
		return true
	}
	if rc == nil {
		return false
	}
	for _, c := range cs {
		found := false
		for _, st := range rc.Steps {
			named := map[string]bool{}
			st.Expression.agents(named)
			hits := 0
			for _, id := range c.AgentIDs {
				if named[id] {
					hits++
				}
			}
			if c.Match == "MATCH_ANY" && hits > 0 || c.Match != "MATCH_ANY" && hits == len(c.AgentIDs) && hits > 0 {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// agents adds the agents an expression's Match conditions name (not the
// agents a negated condition excludes).
func (x Expression) agents(into map[string]bool) {
	if c := x.Attribute; c != nil {
		for _, id := range c.AgentIDs {
			into[id] = true
		}
	}
	for _, sub := range append(append([]Expression(nil), x.And...), x.Or...) {
		sub.agents(into)
	}
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
