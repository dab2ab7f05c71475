package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// ClaimPhoneNumber handles the operation of the same name.
func (h *Handlers) ClaimPhoneNumber(ctx context.Context, in *cw.ClaimPhoneNumberRequest) (*cw.ClaimPhoneNumberResponse, error) {
	pn, err := h.svc.ClaimPhoneNumber(ctx, domain.ClaimPhoneNumberParams{
		ClientToken: deref(in.ClientToken), TargetArn: deref(in.TargetArn), InstanceID: deref(in.InstanceId),
		Number: deref(in.PhoneNumber), Description: deref(in.PhoneNumberDescription), Tags: in.Tags,
	})
	if err != nil {
		return nil, err
	}
	return &cw.ClaimPhoneNumberResponse{PhoneNumberId: ref(pn.ID), PhoneNumberArn: ref(pn.Arn)}, nil
}

// DescribePhoneNumber handles the operation of the same name.
func (h *Handlers) DescribePhoneNumber(ctx context.Context, in *cw.DescribePhoneNumberRequest) (*cw.DescribePhoneNumberResponse, error) {
	pn, err := h.svc.DescribePhoneNumber(ctx, deref(in.PhoneNumberId))
	if err != nil {
		return nil, err
	}
	return &cw.DescribePhoneNumberResponse{ClaimedPhoneNumberSummary: &cw.ClaimedPhoneNumberSummary{
		PhoneNumberId: ref(pn.ID), PhoneNumberArn: ref(pn.Arn), PhoneNumber: ref(pn.Number),
		PhoneNumberCountryCode: cw.PhoneNumberCountryCode(pn.CountryCode), PhoneNumberType: cw.PhoneNumberType(pn.Type),
		PhoneNumberDescription: ptr(pn.Description), TargetArn: ref(pn.TargetArn), InstanceId: ref(pn.InstanceID), Tags: pn.Tags,
		PhoneNumberStatus: &cw.PhoneNumberStatus{Status: cw.PhoneNumberWorkflowStatus(pn.Status)},
	}}, nil
}

// ListPhoneNumbersV2 handles the operation of the same name.
func (h *Handlers) ListPhoneNumbersV2(ctx context.Context, in *cw.ListPhoneNumbersV2Request) (*cw.ListPhoneNumbersV2Response, error) {
	list, next, err := h.svc.ListPhoneNumbersV2(ctx, domain.PhoneNumberFilter{
		TargetArn: deref(in.TargetArn), InstanceID: deref(in.InstanceId), CountryCodes: enumStrings(in.PhoneNumberCountryCodes),
		Types: enumStrings(in.PhoneNumberTypes), Prefix: deref(in.PhoneNumberPrefix),
	}, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListPhoneNumbersV2Response{NextToken: ptr(next), ListPhoneNumbersSummaryList: []cw.ListPhoneNumbersSummary{}}
	for _, pn := range list {
		out.ListPhoneNumbersSummaryList = append(out.ListPhoneNumbersSummaryList, cw.ListPhoneNumbersSummary{
			PhoneNumberId: ref(pn.ID), PhoneNumberArn: ref(pn.Arn), PhoneNumber: ref(pn.Number),
			PhoneNumberCountryCode: cw.PhoneNumberCountryCode(pn.CountryCode), PhoneNumberType: cw.PhoneNumberType(pn.Type),
			TargetArn: ref(pn.TargetArn), InstanceId: ref(pn.InstanceID), PhoneNumberDescription: ptr(pn.Description),
		})
	}
	return out, nil
}

// ReleasePhoneNumber handles the operation of the same name.
func (h *Handlers) ReleasePhoneNumber(ctx context.Context, in *cw.ReleasePhoneNumberRequest) (*cw.ReleasePhoneNumberResponse, error) {
	if err := h.svc.ReleasePhoneNumber(ctx, deref(in.PhoneNumberId), deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.ReleasePhoneNumberResponse{}, nil
}

// AssociatePhoneNumberContactFlow handles the operation of the same name.
func (h *Handlers) AssociatePhoneNumberContactFlow(ctx context.Context, in *cw.AssociatePhoneNumberContactFlowRequest) (*cw.AssociatePhoneNumberContactFlowResponse, error) {
	if err := h.svc.AssociatePhoneNumberContactFlow(ctx, deref(in.PhoneNumberId), deref(in.InstanceId), deref(in.ContactFlowId)); err != nil {
		return nil, err
	}
	return &cw.AssociatePhoneNumberContactFlowResponse{}, nil
}

// DisassociatePhoneNumberContactFlow handles the operation of the same name.
func (h *Handlers) DisassociatePhoneNumberContactFlow(ctx context.Context, in *cw.DisassociatePhoneNumberContactFlowRequest) (*cw.DisassociatePhoneNumberContactFlowResponse, error) {
	if err := h.svc.DisassociatePhoneNumberContactFlow(ctx, deref(in.PhoneNumberId), deref(in.InstanceId)); err != nil {
		return nil, err
	}
	return &cw.DisassociatePhoneNumberContactFlowResponse{}, nil
}

// UpdatePhoneNumber handles the operation of the same name.
func (h *Handlers) UpdatePhoneNumber(ctx context.Context, in *cw.UpdatePhoneNumberRequest) (*cw.UpdatePhoneNumberResponse, error) {
	pn, err := h.svc.UpdatePhoneNumber(ctx, deref(in.PhoneNumberId), deref(in.TargetArn), deref(in.InstanceId), deref(in.ClientToken))
	if err != nil {
		return nil, err
	}
	return &cw.UpdatePhoneNumberResponse{PhoneNumberId: ref(pn.ID), PhoneNumberArn: ref(pn.Arn)}, nil
}

// UpdatePhoneNumberMetadata handles the operation of the same name.
func (h *Handlers) UpdatePhoneNumberMetadata(ctx context.Context, in *cw.UpdatePhoneNumberMetadataRequest) (*cw.UpdatePhoneNumberMetadataResponse, error) {
	if err := h.svc.UpdatePhoneNumberMetadata(ctx, deref(in.PhoneNumberId), in.PhoneNumberDescription, deref(in.ClientToken)); err != nil {
		return nil, err
	}
	return &cw.UpdatePhoneNumberMetadataResponse{}, nil
}

// ListPhoneNumbers handles the operation of the same name.
func (h *Handlers) ListPhoneNumbers(ctx context.Context, in *cw.ListPhoneNumbersRequest) (*cw.ListPhoneNumbersResponse, error) {
	list, next, err := h.svc.ListPhoneNumbers(ctx, deref(in.InstanceId), enumStrings(in.PhoneNumberTypes), enumStrings(in.PhoneNumberCountryCodes), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListPhoneNumbersResponse{NextToken: ptr(next), PhoneNumberSummaryList: []cw.PhoneNumberSummary{}}
	for i := range list {
		pn := &list[i]
		out.PhoneNumberSummaryList = append(out.PhoneNumberSummaryList, cw.PhoneNumberSummary{Id: ref(pn.ID), Arn: ref(h.svc.LegacyPhoneNumberARN(pn)),
			PhoneNumber: ref(pn.Number), PhoneNumberType: cw.PhoneNumberType(pn.Type), PhoneNumberCountryCode: cw.PhoneNumberCountryCode(pn.CountryCode)})
	}
	return out, nil
}

// SearchAvailablePhoneNumbers handles the operation of the same name.
func (h *Handlers) SearchAvailablePhoneNumbers(ctx context.Context, in *cw.SearchAvailablePhoneNumbersRequest) (*cw.SearchAvailablePhoneNumbersResponse, error) {
	list, next, err := h.svc.SearchAvailablePhoneNumbers(ctx, deref(in.TargetArn), deref(in.InstanceId), string(in.PhoneNumberCountryCode),
		string(in.PhoneNumberType), deref(in.PhoneNumberPrefix), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchAvailablePhoneNumbersResponse{NextToken: ptr(next), AvailableNumbersList: []cw.AvailableNumberSummary{}}
	for _, n := range list {
		out.AvailableNumbersList = append(out.AvailableNumbersList, cw.AvailableNumberSummary{PhoneNumber: ref(n.Number),
			PhoneNumberCountryCode: cw.PhoneNumberCountryCode(n.CountryCode), PhoneNumberType: cw.PhoneNumberType(n.Type)})
	}
	return out, nil
}
