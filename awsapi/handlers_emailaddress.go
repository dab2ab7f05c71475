package awsapi

import (
	"context"
	"time"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// isoTime formats the ISO8601Datetime strings some operations use (email
// addresses, participant credentials), unlike the epoch-second timestamps
// of other shapes.
func isoTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	return ref(t.UTC().Format("2006-01-02T15:04:05.000Z"))
}

// CreateEmailAddress handles the operation of the same name.
func (h *Handlers) CreateEmailAddress(ctx context.Context, in *cw.CreateEmailAddressRequest) (*cw.CreateEmailAddressResponse, error) {
	e, err := h.svc.CreateEmailAddress(ctx, deref(in.InstanceId), domain.EmailAddressParams{
		ClientToken: deref(in.ClientToken), Address: deref(in.EmailAddress), DisplayName: deref(in.DisplayName),
		Description: deref(in.Description), Tags: in.Tags,
	})
	if err != nil {
		return nil, err
	}
	return &cw.CreateEmailAddressResponse{EmailAddressId: ref(e.ID), EmailAddressArn: ref(e.Arn)}, nil
}

// DescribeEmailAddress handles the operation of the same name.
func (h *Handlers) DescribeEmailAddress(ctx context.Context, in *cw.DescribeEmailAddressRequest) (*cw.DescribeEmailAddressResponse, error) {
	e, err := h.svc.DescribeEmailAddress(ctx, deref(in.InstanceId), deref(in.EmailAddressId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeEmailAddressResponse{
		EmailAddressId: ref(e.ID), EmailAddressArn: ref(e.Arn), EmailAddress: ref(e.Address), DisplayName: ptr(e.DisplayName),
		Description: ptr(e.Description), CreateTimestamp: isoTime(e.CreatedTime), ModifiedTimestamp: isoTime(e.LastModifiedTime), Tags: e.Tags,
		AliasConfigurations: aliasesOut(e),
	}, nil
}

// aliasesOut lists the addresses that forward to e.
func aliasesOut(e *domain.EmailAddress) []cw.AliasConfiguration {
	var out []cw.AliasConfiguration
	for _, id := range e.AliasIDs {
		out = append(out, cw.AliasConfiguration{EmailAddressId: ref(id)})
	}
	return out
}

// aliasOf reads an alias operation's AliasConfiguration.
func aliasOf(c *cw.AliasConfiguration) string {
	if c == nil {
		return ""
	}
	return deref(c.EmailAddressId)
}

// AssociateEmailAddressAlias handles the operation of the same name.
func (h *Handlers) AssociateEmailAddressAlias(ctx context.Context, in *cw.AssociateEmailAddressAliasRequest) (*cw.AssociateEmailAddressAliasResponse, error) {
	if err := h.svc.AssociateEmailAddressAlias(ctx, deref(in.InstanceId), deref(in.EmailAddressId), aliasOf(in.AliasConfiguration), deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.AssociateEmailAddressAliasResponse{}, nil
}

// DisassociateEmailAddressAlias handles the operation of the same name.
func (h *Handlers) DisassociateEmailAddressAlias(ctx context.Context, in *cw.DisassociateEmailAddressAliasRequest) (*cw.DisassociateEmailAddressAliasResponse, error) {
	if err := h.svc.DisassociateEmailAddressAlias(ctx, deref(in.InstanceId), deref(in.EmailAddressId), aliasOf(in.AliasConfiguration), deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.DisassociateEmailAddressAliasResponse{}, nil
}

func searchCriteriaIn(c *cw.EmailAddressSearchCriteria) *domain.SearchCriteria {
	if c == nil {
		return nil
	}
	out := &domain.SearchCriteria{}
	if sc := c.StringCondition; sc != nil {
		out.String = &domain.StringCondition{FieldName: deref(sc.FieldName), Value: deref(sc.Value), ComparisonType: string(sc.ComparisonType)}
	}
	for i := range c.AndConditions {
		out.And = append(out.And, *searchCriteriaIn(&c.AndConditions[i]))
	}
	for i := range c.OrConditions {
		out.Or = append(out.Or, *searchCriteriaIn(&c.OrConditions[i]))
	}
	return out
}

func tagConditionsIn(in []cw.TagCondition) []domain.TagCondition {
	out := make([]domain.TagCondition, 0, len(in))
	for _, c := range in {
		out = append(out, domain.TagCondition{Key: deref(c.TagKey), Value: deref(c.TagValue)})
	}
	return out
}

func tagFilterIn(f *cw.ControlPlaneTagFilter) *domain.TagFilter {
	if f == nil {
		return nil
	}
	out := &domain.TagFilter{And: tagConditionsIn(f.AndConditions)}
	for _, and := range f.OrConditions {
		out.Or = append(out.Or, tagConditionsIn(and))
	}
	if f.TagCondition != nil {
		out.Tag = &domain.TagCondition{Key: deref(f.TagCondition.TagKey), Value: deref(f.TagCondition.TagValue)}
	}
	return out
}

// SearchEmailAddresses handles the operation of the same name.
func (h *Handlers) SearchEmailAddresses(ctx context.Context, in *cw.SearchEmailAddressesRequest) (*cw.SearchEmailAddressesResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = tagFilterIn(in.SearchFilter.TagFilter)
	}
	list, next, total, err := h.svc.SearchEmailAddresses(ctx, deref(in.InstanceId), searchCriteriaIn(in.SearchCriteria), filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchEmailAddressesResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), EmailAddresses: []cw.EmailAddressMetadata{}}
	for i := range list {
		e := &list[i]
		out.EmailAddresses = append(out.EmailAddresses, cw.EmailAddressMetadata{
			EmailAddressId: ref(e.ID), EmailAddressArn: ref(e.Arn), EmailAddress: ref(e.Address),
			DisplayName: ptr(e.DisplayName), Description: ptr(e.Description), AliasConfigurations: aliasesOut(e),
		})
	}
	return out, nil
}

// DeleteEmailAddress handles the operation of the same name.
func (h *Handlers) DeleteEmailAddress(ctx context.Context, in *cw.DeleteEmailAddressRequest) (*cw.DeleteEmailAddressResponse, error) {
	if err := h.svc.DeleteEmailAddress(ctx, deref(in.InstanceId), deref(in.EmailAddressId)); err != nil {
		return nil, err
	}
	return &cw.DeleteEmailAddressResponse{}, nil
}

// UpdateEmailAddressMetadata handles the operation of the same name.
func (h *Handlers) UpdateEmailAddressMetadata(ctx context.Context, in *cw.UpdateEmailAddressMetadataRequest) (*cw.UpdateEmailAddressMetadataResponse, error) {
	e, err := h.svc.UpdateEmailAddressMetadata(ctx, deref(in.InstanceId), deref(in.EmailAddressId), in.Description, in.DisplayName, deref(in.ClientToken))
	if err != nil {
		return nil, err
	}
	return &cw.UpdateEmailAddressMetadataResponse{EmailAddressId: ref(e.ID), EmailAddressArn: ref(e.Arn)}, nil
}
