package domain

import (
	"context"
	"sort"
	"strings"
	"time"
)

// UserDataFilter selects agents for GetCurrentUserData. At most one of
// Queues, RoutingProfiles, Agents and HierarchyGroups may be given, as in
// Connect; ContactStates keeps only agents with a contact in those states.
type UserDataFilter struct {
	Queues, RoutingProfiles, Agents, HierarchyGroups []string
	ContactStates                                    []string
}

// UserData is an agent's live state.
type UserData struct {
	UserID, UserArn                     string
	RoutingProfileID, RoutingProfileArn string
	StatusArn, StatusName               string
	StatusStart                         time.Time
	// HierarchyPath is the agent's hierarchy group and its ancestors,
	// level 1 first: ID and ARN of each.
	HierarchyPath []GroupRef
	// Slots per channel: the concurrency, the contacts held, and how many
	// more the agent could be offered now.
	MaxSlots, ActiveSlots, AvailableSlots map[string]int
	Contacts                              []AgentContactData
}

// GroupRef names a hierarchy group by ID and ARN.
type GroupRef struct{ ID, Arn string }

// AgentContactData is a contact an agent holds.
type AgentContactData struct {
	ContactID, Channel, InitiationMethod string
	State                                string // ContactState: CONNECTING, CONNECTED, ENDED, MISSED, REJECTED…
	StateStart, ConnectedToAgent         time.Time
	QueueID, QueueArn                    string
}

// Dismisser is the part of the Runtime that clears a contact from an
// agent (DismissUserContact).
type Dismisser interface {
	// DismissUserContact clears a contact the agent holds in ENDED,
	// MISSED or REJECTED state and lets routing offer the agent contacts
	// again. Its errors are domain errors.
	DismissUserContact(ctx context.Context, instanceID, userID, contactID string) error
}

// DismissUserContact clears a missed, rejected or ended contact from an
// agent, who can then be offered new contacts.
func (s *Service) DismissUserContact(ctx context.Context, instanceID, userID, contactID string) error {
	var iid, uid string
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		if iid, err = s.instanceID(tx, instanceID); err != nil {
			return err
		}
		u, err := getIn[User](tx, KindUser, iid, userID)
		if err != nil {
			return err
		}
		uid = u.ID
		_, err = s.getContact(tx, iid, contactID)
		return err
	})
	if err != nil {
		return err
	}
	d, ok := s.runtime.(Dismisser)
	if !ok {
		return Errorf(ErrInvalidRequest, "Contact %s is not with user %s: this server runs no contact center (agents and routing are off).", clip(contactID, 256), uid)
	}
	return d.DismissUserContact(ctx, iid, uid, contactID)
}

// ContactAssigner is the part of the Runtime that offers a queued contact
// to a chosen agent (AssociateContactWithUser).
type ContactAssigner interface {
	// OfferToUser offers the contact to the user whatever their status,
	// queues and free slots.
	OfferToUser(ctx context.Context, instanceID, contactID, userID string) error
}

// AssociateContactWithUser offers a queued contact to a user, as Connect
// does for custom routing: the user gets it even in a custom or offline
// status, from a queue outside their routing profile, or at full
// concurrency. The offer is the runtime's, like any offer: it is not
// stored, and after a restart the contact waits in its queue again.
func (s *Service) AssociateContactWithUser(ctx context.Context, instanceID, contactID, userID string) error {
	var iid, uid string
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		if iid, err = s.instanceID(tx, instanceID); err != nil {
			return err
		}
		c, err := s.getContact(tx, iid, contactID)
		if err != nil {
			return err
		}
		u, err := getIn[User](tx, KindUser, iid, userID)
		if err != nil {
			return err
		}
		uid = u.ID
		if c.State != StateQueued {
			return Errorf(ErrInvalidRequest, "Contact %s is not waiting in a queue (it is %s); only a queued contact can be associated with a user.", c.ID, c.State)
		}
		return nil
	})
	if err != nil {
		return err
	}
	a, ok := s.runtime.(ContactAssigner)
	if !ok {
		return Errorf(ErrInvalidRequest, "Contact %s cannot be offered to user %s: this server runs no contact center (agents and routing are off).", clip(contactID, 256), uid)
	}
	return a.OfferToUser(ctx, iid, contactID, uid)
}

// QueueView is the part of the Runtime that knows where a queued contact
// stands (GetContactMetrics).
type QueueView interface {
	// ContactInQueue reports a contact's place in its queue; InQueue is
	// false when it is not waiting in one.
	ContactInQueue(ctx context.Context, instanceID, contactID string) (QueuePosition, error)
}

// QueuePosition is a queued contact's place: Position 1 is served next.
// WaitKnown is false when there is too little recent service in the queue
// to estimate the wait.
type QueuePosition struct {
	InQueue       bool
	Position      int
	EstimatedWait time.Duration
	WaitKnown     bool
}

// ContactMetric is one of GetContactMetrics' results.
type ContactMetric struct {
	Name  string
	Value float64
}

// GetContactMetrics reports a queued contact's POSITION_IN_QUEUE and
// ESTIMATED_WAIT_TIME (seconds). The metrics exist only while the contact
// waits in a queue; an estimate that cannot be made yet (too little recent
// service) is left out of the results.
func (s *Service) GetContactMetrics(ctx context.Context, instanceID, contactID string, names []string) (*Contact, []ContactMetric, error) {
	c, err := s.DescribeContact(ctx, instanceID, contactID)
	if err != nil {
		return nil, nil, err
	}
	qv, ok := s.runtime.(QueueView)
	if !ok {
		return nil, nil, Errorf(ErrInvalidRequest, "Contact %s is not in a queue: this server runs no contact center (routing is off).", c.ID)
	}
	pos, err := qv.ContactInQueue(ctx, c.InstanceID, c.ID)
	if err != nil {
		return nil, nil, err
	}
	if !pos.InQueue {
		return nil, nil, Errorf(ErrInvalidRequest, "Contact %s is not waiting in a queue (it is %s); these metrics exist only while a contact is in queue.", c.ID, c.State)
	}
	var out []ContactMetric
	for _, n := range names {
		switch n {
		case "POSITION_IN_QUEUE":
			out = append(out, ContactMetric{Name: n, Value: float64(pos.Position)})
		case "ESTIMATED_WAIT_TIME":
			if pos.WaitKnown {
				out = append(out, ContactMetric{Name: n, Value: pos.EstimatedWait.Seconds()})
			}
		default:
			return nil, nil, Errorf(ErrInvalidParameter, "Metric %q is not a contact metric; use POSITION_IN_QUEUE or ESTIMATED_WAIT_TIME.", clip(n, 64))
		}
	}
	return &c.Contact, out, nil
}

// LiveView is the part of the Runtime that answers questions about what is
// happening now.
type LiveView interface {
	// UserData returns the live state of the agents matching f (IDs in f
	// are resolved already), ordered by user ID.
	UserData(ctx context.Context, instanceID string, f UserDataFilter) ([]UserData, error)
}

// GetCurrentUserData returns one page of agents' live state. Agents who
// are offline and hold no contact are not listed (Connect lists agents
// logged in to the contact control panel).
func (s *Service) GetCurrentUserData(ctx context.Context, instanceID string, f UserDataFilter, page Page) ([]UserData, string, int, error) {
	n := 0
	for _, l := range [][]string{f.Queues, f.RoutingProfiles, f.Agents, f.HierarchyGroups} {
		if len(l) > 0 {
			n++
		}
	}
	if n > 1 {
		return nil, "", 0, Errorf(ErrInvalidParameter, "Filters may name Queues, RoutingProfiles, Agents or UserHierarchyGroups, but only one of them per request.")
	}
	if n == 0 {
		return nil, "", 0, Errorf(ErrInvalidParameter, "Filters must name Queues, RoutingProfiles, Agents or UserHierarchyGroups (one of them).")
	}
	// A bad token is refused before any work.
	if _, err := decodePageToken(page.NextToken); err != nil {
		return nil, "", 0, err
	}
	var iid string
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		if iid, err = s.instanceID(tx, instanceID); err != nil {
			return err
		}
		resolve := func(ids []string, kind Kind) ([]string, error) {
			out := make([]string, 0, len(ids))
			for _, id := range ids {
				rid := idFromARN(id, kindInfo[kind].arnType)
				if kind == KindQueue {
					// Agent queue ARNs end in queue/agent/{userId}.
					rid = strings.TrimPrefix(rid, "agent/")
				}
				ok, err := tx.HasRecord(kind, iid, rid)
				if err != nil {
					return nil, err
				}
				if !ok {
					return nil, Errorf(ErrNotFound, "%s %s not found in instance %s.", kindInfo[kind].what, clip(id, 100), iid)
				}
				out = append(out, rid)
			}
			return out, nil
		}
		if f.Queues, err = resolve(f.Queues, KindQueue); err != nil {
			return err
		}
		if f.RoutingProfiles, err = resolve(f.RoutingProfiles, KindRoutingProfile); err != nil {
			return err
		}
		if f.HierarchyGroups, err = resolve(f.HierarchyGroups, KindHierarchyGroup); err != nil {
			return err
		}
		f.Agents, err = resolve(f.Agents, KindUser)
		return err
	})
	if err != nil {
		return nil, "", 0, err
	}
	lv, ok := s.runtime.(LiveView)
	if !ok {
		return []UserData{}, "", 0, nil
	}
	all, err := lv.UserData(ctx, iid, f)
	if err != nil {
		return nil, "", 0, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].UserID < all[j].UserID })
	list, next, err := pageSlice(all, page)
	if err != nil {
		return nil, "", 0, err
	}
	return list, next, len(all), nil
}

// ResourceARN is the ARN of a resource of an instance.
func (s *Service) ResourceARN(instanceID string, kind Kind, id string) string {
	return s.resourceARN(instanceID, kindInfo[kind].arnType, id)
}
