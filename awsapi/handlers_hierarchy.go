package awsapi

import (
	"context"
	"strconv"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// CreateUserHierarchyGroup handles the operation of the same name.
func (h *Handlers) CreateUserHierarchyGroup(ctx context.Context, in *cw.CreateUserHierarchyGroupRequest) (*cw.CreateUserHierarchyGroupResponse, error) {
	g, err := h.svc.CreateUserHierarchyGroup(ctx, deref(in.InstanceId), domain.HierarchyGroupParams{Name: deref(in.Name), ParentID: deref(in.ParentGroupId), Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return &cw.CreateUserHierarchyGroupResponse{HierarchyGroupId: ref(g.ID), HierarchyGroupArn: ref(g.Arn)}, nil
}

func hierarchyGroupSummary(h *Handlers, g *domain.HierarchyGroup) *cw.HierarchyGroupSummary {
	return &cw.HierarchyGroupSummary{Id: ref(g.ID), Arn: ref(g.Arn), Name: ref(g.Name), LastModifiedTime: wtime(g.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())}
}

// hierarchyGroupOut is a group as DescribeUserHierarchyGroup and
// SearchUserHierarchyGroups show it; path is its groups from level 1 down
// (nil leaves HierarchyPath out).
func hierarchyGroupOut(h *Handlers, g *domain.HierarchyGroup, path []domain.HierarchyGroup) cw.HierarchyGroup {
	out := cw.HierarchyGroup{Id: ref(g.ID), Arn: ref(g.Arn), Name: ref(g.Name), LevelId: ref(strconv.Itoa(g.Level)), Tags: g.Tags,
		LastModifiedTime: wtime(g.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())}
	if path != nil {
		out.HierarchyPath = &cw.HierarchyPath{}
		p := out.HierarchyPath
		setLevels([]**cw.HierarchyGroupSummary{&p.LevelOne, &p.LevelTwo, &p.LevelThree, &p.LevelFour, &p.LevelFive}, len(path),
			func(i int) *cw.HierarchyGroupSummary { return hierarchyGroupSummary(h, &path[i]) })
	}
	return out
}

// DescribeUserHierarchyGroup handles the operation of the same name.
func (h *Handlers) DescribeUserHierarchyGroup(ctx context.Context, in *cw.DescribeUserHierarchyGroupRequest) (*cw.DescribeUserHierarchyGroupResponse, error) {
	v, err := h.svc.DescribeUserHierarchyGroup(ctx, deref(in.InstanceId), deref(in.HierarchyGroupId))
	if err != nil {
		return nil, err
	}
	out := hierarchyGroupOut(h, &v.HierarchyGroup, v.PathGroups)
	return &cw.DescribeUserHierarchyGroupResponse{HierarchyGroup: &out}, nil
}

// ListUserHierarchyGroups handles the operation of the same name.
func (h *Handlers) ListUserHierarchyGroups(ctx context.Context, in *cw.ListUserHierarchyGroupsRequest) (*cw.ListUserHierarchyGroupsResponse, error) {
	list, next, err := h.svc.ListUserHierarchyGroups(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListUserHierarchyGroupsResponse{NextToken: ptr(next), UserHierarchyGroupSummaryList: []cw.HierarchyGroupSummary{}}
	for i := range list {
		out.UserHierarchyGroupSummaryList = append(out.UserHierarchyGroupSummaryList, *hierarchyGroupSummary(h, &list[i]))
	}
	return out, nil
}

// UpdateUserHierarchyGroupName handles the operation of the same name.
func (h *Handlers) UpdateUserHierarchyGroupName(ctx context.Context, in *cw.UpdateUserHierarchyGroupNameRequest) (*cw.UpdateUserHierarchyGroupNameResponse, error) {
	if err := h.svc.UpdateUserHierarchyGroupName(ctx, deref(in.InstanceId), deref(in.HierarchyGroupId), deref(in.Name)); err != nil {
		return nil, err
	}
	return &cw.UpdateUserHierarchyGroupNameResponse{}, nil
}

// DeleteUserHierarchyGroup handles the operation of the same name.
func (h *Handlers) DeleteUserHierarchyGroup(ctx context.Context, in *cw.DeleteUserHierarchyGroupRequest) (*cw.DeleteUserHierarchyGroupResponse, error) {
	if err := h.svc.DeleteUserHierarchyGroup(ctx, deref(in.InstanceId), deref(in.HierarchyGroupId)); err != nil {
		return nil, err
	}
	return &cw.DeleteUserHierarchyGroupResponse{}, nil
}

// SearchUserHierarchyGroups handles the operation of the same name.
func (h *Handlers) SearchUserHierarchyGroups(ctx context.Context, in *cw.SearchUserHierarchyGroupsRequest) (*cw.SearchUserHierarchyGroupsResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = attributeFilterIn(in.SearchFilter.AttributeFilter)
	}
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.UserHierarchyGroupSearchCriteria) ([]cw.UserHierarchyGroupSearchCriteria, []cw.UserHierarchyGroupSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchUserHierarchyGroups(ctx, deref(in.InstanceId), criteria, filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchUserHierarchyGroupsResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), UserHierarchyGroups: []cw.HierarchyGroup{}}
	for i := range list {
		out.UserHierarchyGroups = append(out.UserHierarchyGroups, hierarchyGroupOut(h, &list[i], nil))
	}
	return out, nil
}

// DescribeUserHierarchyStructure handles the operation of the same name.
func (h *Handlers) DescribeUserHierarchyStructure(ctx context.Context, in *cw.DescribeUserHierarchyStructureRequest) (*cw.DescribeUserHierarchyStructureResponse, error) {
	st, err := h.svc.DescribeUserHierarchyStructure(ctx, deref(in.InstanceId))
	if err != nil {
		return nil, err
	}
	out := &cw.HierarchyStructure{}
	setLevels([]**cw.HierarchyLevel{&out.LevelOne, &out.LevelTwo, &out.LevelThree, &out.LevelFour, &out.LevelFive}, len(st.Levels),
		func(i int) *cw.HierarchyLevel {
			l := st.Levels[i]
			return &cw.HierarchyLevel{Id: ref(l.ID), Arn: ref(l.Arn), Name: ref(l.Name), LastModifiedTime: wtime(l.LastModifiedTime),
				LastModifiedRegion: ref(h.svc.HomeRegion())}
		})
	return &cw.DescribeUserHierarchyStructureResponse{HierarchyStructure: out}, nil
}

// UpdateUserHierarchyStructure handles the operation of the same name.
func (h *Handlers) UpdateUserHierarchyStructure(ctx context.Context, in *cw.UpdateUserHierarchyStructureRequest) (*cw.UpdateUserHierarchyStructureResponse, error) {
	var names [domain.MaxHierarchyLevels]string
	if st := in.HierarchyStructure; st != nil {
		for i, l := range []*cw.HierarchyLevelUpdate{st.LevelOne, st.LevelTwo, st.LevelThree, st.LevelFour, st.LevelFive} {
			if l != nil {
				names[i] = deref(l.Name)
			}
		}
	}
	if err := h.svc.UpdateUserHierarchyStructure(ctx, deref(in.InstanceId), names); err != nil {
		return nil, err
	}
	return &cw.UpdateUserHierarchyStructureResponse{}, nil
}

// UpdateUserHierarchy handles the operation of the same name.
func (h *Handlers) UpdateUserHierarchy(ctx context.Context, in *cw.UpdateUserHierarchyRequest) (*cw.UpdateUserHierarchyResponse, error) {
	if err := h.svc.UpdateUserHierarchy(ctx, deref(in.InstanceId), deref(in.UserId), deref(in.HierarchyGroupId)); err != nil {
		return nil, err
	}
	return &cw.UpdateUserHierarchyResponse{}, nil
}

// setLevels fills the model's LevelOne … LevelFive members (slots) with
// the first n items at(i) makes.
func setLevels[T any](slots []**T, n int, at func(i int) *T) {
	for i := range min(n, len(slots)) {
		*slots[i] = at(i)
	}
}
