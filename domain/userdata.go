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
