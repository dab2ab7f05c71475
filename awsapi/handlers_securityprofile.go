package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// listPage turns a list request's paging members into a domain.Page.
func listPage(nextToken *string, maxResults *int32) domain.Page {
	return domain.Page{NextToken: deref(nextToken), MaxResults: int(deref(maxResults))}
}

// enumStrings turns a list of wire enum values into plain strings.
func enumStrings[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// ListSecurityProfiles handles the operation of the same name.
func (h *Handlers) ListSecurityProfiles(ctx context.Context, in *cw.ListSecurityProfilesRequest) (*cw.ListSecurityProfilesResponse, error) {
	list, next, err := h.svc.ListSecurityProfiles(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListSecurityProfilesResponse{NextToken: ptr(next), SecurityProfileSummaryList: []cw.SecurityProfileSummary{}}
	for _, p := range list {
		out.SecurityProfileSummaryList = append(out.SecurityProfileSummaryList, cw.SecurityProfileSummary{
			Id: ref(p.ID), Arn: ref(p.Arn), Name: ref(p.Name), LastModifiedTime: wtime(p.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()),
		})
	}
	return out, nil
}

// DescribeSecurityProfile handles the operation of the same name.
func (h *Handlers) DescribeSecurityProfile(ctx context.Context, in *cw.DescribeSecurityProfileRequest) (*cw.DescribeSecurityProfileResponse, error) {
	p, err := h.svc.DescribeSecurityProfile(ctx, deref(in.InstanceId), deref(in.SecurityProfileId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeSecurityProfileResponse{SecurityProfile: &cw.SecurityProfile{
		Id: ref(p.ID), Arn: ref(p.Arn), OrganizationResourceId: ref(p.InstanceID), SecurityProfileName: ref(p.Name),
		Description: ptr(p.Description), Tags: p.Tags, LastModifiedTime: wtime(p.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()),
	}}, nil
}
