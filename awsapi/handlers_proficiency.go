package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

func proficienciesIn(in []cw.UserProficiency) []domain.UserProficiency {
	out := make([]domain.UserProficiency, 0, len(in))
	for _, p := range in {
		out = append(out, domain.UserProficiency{AttributeName: deref(p.AttributeName), AttributeValue: deref(p.AttributeValue), Level: deref(p.Level)})
	}
	return out
}

// AssociateUserProficiencies handles the operation of the same name.
func (h *Handlers) AssociateUserProficiencies(ctx context.Context, in *cw.AssociateUserProficienciesRequest) (*cw.AssociateUserProficienciesResponse, error) {
	if err := h.svc.AssociateUserProficiencies(ctx, deref(in.InstanceId), deref(in.UserId), proficienciesIn(in.UserProficiencies)); err != nil {
		return nil, err
	}
	return &cw.AssociateUserProficienciesResponse{}, nil
}

// UpdateUserProficiencies handles the operation of the same name.
func (h *Handlers) UpdateUserProficiencies(ctx context.Context, in *cw.UpdateUserProficienciesRequest) (*cw.UpdateUserProficienciesResponse, error) {
	if err := h.svc.UpdateUserProficiencies(ctx, deref(in.InstanceId), deref(in.UserId), proficienciesIn(in.UserProficiencies)); err != nil {
		return nil, err
	}
	return &cw.UpdateUserProficienciesResponse{}, nil
}

// DisassociateUserProficiencies handles the operation of the same name.
func (h *Handlers) DisassociateUserProficiencies(ctx context.Context, in *cw.DisassociateUserProficienciesRequest) (*cw.DisassociateUserProficienciesResponse, error) {
	keys := make([]domain.ProficiencyKey, 0, len(in.UserProficiencies))
	for _, p := range in.UserProficiencies {
		keys = append(keys, domain.ProficiencyKey{AttributeName: deref(p.AttributeName), AttributeValue: deref(p.AttributeValue)})
	}
	if err := h.svc.DisassociateUserProficiencies(ctx, deref(in.InstanceId), deref(in.UserId), keys); err != nil {
		return nil, err
	}
	return &cw.DisassociateUserProficienciesResponse{}, nil
}

// ListUserProficiencies handles the operation of the same name.
func (h *Handlers) ListUserProficiencies(ctx context.Context, in *cw.ListUserProficienciesRequest) (*cw.ListUserProficienciesResponse, error) {
	list, next, modified, err := h.svc.ListUserProficiencies(ctx, deref(in.InstanceId), deref(in.UserId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListUserProficienciesResponse{NextToken: ptr(next), UserProficiencyList: []cw.UserProficiency{},
		LastModifiedTime: wtime(modified), LastModifiedRegion: ref(h.svc.HomeRegion())}
	for _, p := range list {
		out.UserProficiencyList = append(out.UserProficiencyList, cw.UserProficiency{AttributeName: ref(p.AttributeName), AttributeValue: ref(p.AttributeValue), Level: ref(p.Level)})
	}
	return out, nil
}
