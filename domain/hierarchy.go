package domain

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Agent hierarchies: an instance's structure names up to five levels, and
// its hierarchy groups form a tree over them, a group at level N having a
// parent at level N-1. A user belongs to at most one group. Groups never
// move (Connect has no operation to re-parent one), so a group's path from
// the top is fixed when it is made and is stored with it, and with each
// user in it (User.HierarchyPath), so that "in this group or under it" is
// a lookup.

// MaxHierarchyLevels is how deep a hierarchy goes.
const MaxHierarchyLevels = 5

// hierarchyLevelNames are the model's names of the levels, in order.
var hierarchyLevelNames = [MaxHierarchyLevels]string{"LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive"}

// HierarchyLevel is one level of the structure. Its ID is its number
// ("1" … "5"), as Connect's level ARNs show.
type HierarchyLevel struct {
	ID, Arn, Name    string
	LastModifiedTime time.Time
}

// HierarchyStructure is an instance's levels, LevelOne first.
type HierarchyStructure struct {
	Levels []HierarchyLevel
}

// HierarchyGroup is a group of agents at one level of the hierarchy.
type HierarchyGroup struct {
	ID, Arn, InstanceID, Name string
	Level                     int    // 1 … 5
	ParentID                  string // "" at level 1
	// Path is the IDs of the group's ancestors and of the group, from
	// level 1 down.
	Path             []string
	Tags             map[string]string
	LastModifiedTime time.Time
}

// Group names are unique among siblings only, which the domain checks, so
// the record carries no name for the store's unique index.
func (g *HierarchyGroup) recordKey() (string, string) { return g.ID, "" }

// hierarchyStructureID is the ID of the one structure record an instance
// has.
const hierarchyStructureID = "structure"

func (s *Service) loadStructure(tx ReadTx, iid string) (*HierarchyStructure, error) {
	st, err := getDoc[HierarchyStructure](tx, KindHierarchyStructure, iid, hierarchyStructureID)
	if errors.Is(err, ErrStoreNotFound) {
		return &HierarchyStructure{}, nil
	}
	return st, err
}

// DescribeUserHierarchyStructure returns the instance's levels.
func (s *Service) DescribeUserHierarchyStructure(ctx context.Context, instanceID string) (*HierarchyStructure, error) {
	var st *HierarchyStructure
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		st, err = s.loadStructure(tx, iid)
		return err
	})
	return st, err
}

// UpdateUserHierarchyStructure sets the levels' names: names[i] is level
// i+1's, "" for a level not given. The levels given must run from LevelOne
// without a gap. A level that goes away must have no groups; one that is
// renamed keeps its ID.
func (s *Service) UpdateUserHierarchyStructure(ctx context.Context, instanceID string, names [MaxHierarchyLevels]string) error {
	n := 0
	for i, name := range names {
		if name == "" {
			continue
		}
		if i != n {
			return Errorf(ErrInvalidParameter, "HierarchyStructure gives %s without %s: levels run from LevelOne down without a gap.", hierarchyLevelNames[i], hierarchyLevelNames[n])
		}
		if len(name) > 50 || strings.TrimSpace(name) == "" {
			return Errorf(ErrInvalidParameter, "The name of %s must be 1 to 50 characters, not all spaces.", hierarchyLevelNames[i])
		}
		n++
	}
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		old, err := s.loadStructure(tx, iid)
		if err != nil {
			return err
		}
		if len(old.Levels) > n {
			groups, err := all[HierarchyGroup](tx, KindHierarchyGroup, iid)
			if err != nil {
				return err
			}
			for _, g := range groups {
				if g.Level > n {
					return Errorf(ErrResourceInUse, "%s has hierarchy group %q (%s); delete the groups of the levels you remove first.", hierarchyLevelNames[g.Level-1], g.Name, g.ID)
				}
			}
		}
		now := s.now()
		st := &HierarchyStructure{}
		for i := range n {
			l := HierarchyLevel{ID: strconv.Itoa(i + 1), Name: names[i], LastModifiedTime: now}
			l.Arn = s.resourceARN(iid, "agent-group-level", l.ID)
			if i < len(old.Levels) && old.Levels[i].Name == l.Name {
				l.LastModifiedTime = old.Levels[i].LastModifiedTime
			}
			st.Levels = append(st.Levels, l)
		}
		return putDoc(tx, KindHierarchyStructure, iid, hierarchyStructureID, "", now, now, st)
	})
}

// HierarchyGroupParams are the inputs of CreateUserHierarchyGroup.
type HierarchyGroupParams struct {
	Name, ParentID string
	Tags           map[string]string
}

// checkSiblingName refuses a name another group under the same parent has.
func checkSiblingName(tx ReadTx, iid string, g *HierarchyGroup) error {
	groups, err := all[HierarchyGroup](tx, KindHierarchyGroup, iid)
	if err != nil {
		return err
	}
	for _, o := range groups {
		if o.ID != g.ID && o.ParentID == g.ParentID && strings.EqualFold(o.Name, g.Name) {
			return Errorf(ErrDuplicate, "Hierarchy group %q already exists at this place of the hierarchy (%s); names are unique under a parent.", g.Name, o.ID)
		}
	}
	return nil
}

// CreateUserHierarchyGroup creates a group at level 1 or, with a parent,
// one level under it. Its level must be in the structure.
func (s *Service) CreateUserHierarchyGroup(ctx context.Context, instanceID string, p HierarchyGroupParams) (*HierarchyGroup, error) {
	if strings.TrimSpace(p.Name) == "" {
		return nil, Errorf(ErrInvalidParameter, "Name must not be empty.")
	}
	var g *HierarchyGroup
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := checkQuota(tx, KindHierarchyGroup, iid, s.quotas.HierarchyGroups, ErrLimitExceeded, "hierarchy-groups"); err != nil {
			return err
		}
		st, err := s.loadStructure(tx, iid)
		if err != nil {
			return err
		}
		now := s.now()
		g = &HierarchyGroup{ID: s.newID(), InstanceID: iid, Name: p.Name, Level: 1, Tags: p.Tags, LastModifiedTime: now}
		if p.ParentID != "" {
			parent, err := getIn[HierarchyGroup](tx, KindHierarchyGroup, iid, p.ParentID)
			if err != nil {
				return err
			}
			g.ParentID, g.Level, g.Path = parent.ID, parent.Level+1, slices.Clone(parent.Path)
		}
		if g.Level > len(st.Levels) {
			if g.Level > MaxHierarchyLevels {
				return Errorf(ErrInvalidRequest, "The parent group is at %s, the lowest level a hierarchy has; it cannot have child groups.", hierarchyLevelNames[MaxHierarchyLevels-1])
			}
			return Errorf(ErrInvalidRequest, "The hierarchy structure has %d levels, so there is no %s for this group; add it with UpdateUserHierarchyStructure first.", len(st.Levels), hierarchyLevelNames[g.Level-1])
		}
		g.Path = append(g.Path, g.ID)
		g.Arn = s.newARN(KindHierarchyGroup, iid, g.ID)
		if err := checkSiblingName(tx, iid, g); err != nil {
			return err
		}
		return save(tx, KindHierarchyGroup, iid, g, now, now)
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// HierarchyGroupView is a group with its path as DescribeUserHierarchyGroup
// shows it: the groups from level 1 down to this one.
type HierarchyGroupView struct {
	HierarchyGroup
	PathGroups []HierarchyGroup
}

// DescribeUserHierarchyGroup returns a group with its path.
func (s *Service) DescribeUserHierarchyGroup(ctx context.Context, instanceID, groupID string) (*HierarchyGroupView, error) {
	var v *HierarchyGroupView
	err := viewResource(s, ctx, KindHierarchyGroup, instanceID, groupID, func(tx ReadTx, iid string, g *HierarchyGroup) error {
		v = &HierarchyGroupView{HierarchyGroup: *g}
		for _, id := range g.Path {
			p, err := getDoc[HierarchyGroup](tx, KindHierarchyGroup, iid, id)
			if err != nil {
				return err
			}
			v.PathGroups = append(v.PathGroups, *p)
		}
		return nil
	})
	return v, err
}

// ListUserHierarchyGroups pages through an instance's groups.
func (s *Service) ListUserHierarchyGroups(ctx context.Context, instanceID string, page Page) ([]HierarchyGroup, string, error) {
	return listIn[HierarchyGroup](s, ctx, KindHierarchyGroup, instanceID, page, nil)
}

// UpdateUserHierarchyGroupName renames a group.
func (s *Service) UpdateUserHierarchyGroupName(ctx context.Context, instanceID, groupID, name string) error {
	if strings.TrimSpace(name) == "" {
		return Errorf(ErrInvalidParameter, "Name must not be empty.")
	}
	_, err := modify(s, ctx, KindHierarchyGroup, instanceID, groupID, func(tx Tx, iid string, now time.Time, g *HierarchyGroup) error {
		g.Name, g.LastModifiedTime = name, now
		return checkSiblingName(tx, iid, g)
	})
	return err
}

// DeleteUserHierarchyGroup deletes a group with no child groups and no
// users.
func (s *Service) DeleteUserHierarchyGroup(ctx context.Context, instanceID, groupID string) error {
	return s.remove(ctx, KindHierarchyGroup, instanceID, groupID, func(tx Tx, iid, id string) error {
		groups, err := all[HierarchyGroup](tx, KindHierarchyGroup, iid)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.ParentID == id {
				return Errorf(ErrResourceInUse, "Hierarchy group %s has child group %q (%s); delete its child groups first.", id, g.Name, g.ID)
			}
		}
		users, err := all[User](tx, KindUser, iid)
		if err != nil {
			return err
		}
		for _, u := range users {
			if u.HierarchyGroupID == id {
				return Errorf(ErrResourceInUse, "Hierarchy group %s has user %q (%s); move the user elsewhere (UpdateUserHierarchy) first.", id, u.Username, u.ID)
			}
		}
		return nil
	})
}

// hierarchyGroupSearchFields are the FieldName values
// SearchUserHierarchyGroups takes.
var hierarchyGroupSearchFields = map[string]func(*HierarchyGroup) []string{
	"name":       func(g *HierarchyGroup) []string { return []string{g.Name} },
	"resourceid": func(g *HierarchyGroup) []string { return []string{g.ID} },
	"parentid":   func(g *HierarchyGroup) []string { return []string{g.ParentID} },
	"levelid":    func(g *HierarchyGroup) []string { return []string{strconv.Itoa(g.Level)} },
}

// SearchUserHierarchyGroups finds the groups that match criteria and
// filter, with the total count.
func (s *Service) SearchUserHierarchyGroups(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]HierarchyGroup, string, int, error) {
	match, err := compileFields(criteria, hierarchyGroupSearchFields)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindHierarchyGroup, instanceID, page, func(g *HierarchyGroup) bool {
		return match(g) && filter.matchTags(g.Tags)
	}, func(g *HierarchyGroup) string { return g.ID })
}

// hierarchyPath resolves a HierarchyGroupId a user is given to the group's
// path; "" is no group.
func hierarchyPath(tx ReadTx, iid, groupID string) ([]string, error) {
	if groupID == "" {
		return nil, nil
	}
	g, err := getDoc[HierarchyGroup](tx, KindHierarchyGroup, iid, idFromARN(groupID, "agent-group"))
	if isNotFound(err) {
		return nil, Errorf(ErrNotFound, "Hierarchy group %s (HierarchyGroupId) not found in instance %s; CreateUserHierarchyGroup makes one.", clip(groupID, 100), iid)
	}
	if err != nil {
		return nil, err
	}
	return g.Path, nil
}

// UpdateUserHierarchy puts a user in a group, or in none when groupID is
// "".
func (s *Service) UpdateUserHierarchy(ctx context.Context, instanceID, userID, groupID string) error {
	return s.modifyUser(ctx, instanceID, userID, func(tx Tx, iid string, _ time.Time, u *User) error {
		path, err := hierarchyPath(tx, iid, groupID)
		if err != nil {
			return err
		}
		u.setHierarchy(path)
		return nil
	})
}

// setHierarchy puts u in the last group of path (none when empty).
func (u *User) setHierarchy(path []string) {
	u.HierarchyPath, u.HierarchyGroupID = path, ""
	if len(path) > 0 {
		u.HierarchyGroupID = path[len(path)-1]
	}
}

// inHierarchy reports whether the user is in group id, or under it when
// withChildren.
func (u *User) inHierarchy(id string, withChildren bool) bool {
	if withChildren {
		return slices.Contains(u.HierarchyPath, id)
	}
	return u.HierarchyGroupID != "" && u.HierarchyGroupID == id
}
