package awsapi

import (
	"context"
	"errors"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// Data tables (domain/datatable*.go).

func (h *Handlers) tableOut(t *domain.DataTable, withLock bool) cw.DataTable {
	out := cw.DataTable{Name: ref(t.Name), Id: ref(t.ID), Arn: ref(t.Arn), TimeZone: ref(t.TimeZone), Description: ptr(t.Description),
		ValueLockLevel: cw.DataTableLockLevel(t.ValueLockLevel), Status: cw.DataTableStatus(t.Status),
		CreatedTime: wtime(t.CreatedTime), LastModifiedTime: wtime(t.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()), Tags: t.Tags}
	if withLock {
		out.LockVersion = &cw.DataTableLockVersion{DataTable: ref(domain.LockString(t.Lock))}
	}
	return out
}

func lockOut(lv domain.LockVersions) *cw.DataTableLockVersion {
	return &cw.DataTableLockVersion{DataTable: ptr(lv.DataTable), Attribute: ptr(lv.Attribute), PrimaryValues: ptr(lv.PrimaryValues), Value: ptr(lv.Value)}
}

func lockIn(lv *cw.DataTableLockVersion) domain.LockVersions {
	if lv == nil {
		return domain.LockVersions{}
	}
	return domain.LockVersions{DataTable: deref(lv.DataTable), Attribute: deref(lv.Attribute), PrimaryValues: deref(lv.PrimaryValues), Value: deref(lv.Value)}
}

func tableParamsIn(name, description, timeZone *string, level cw.DataTableLockLevel) domain.DataTableParams {
	return domain.DataTableParams{Name: deref(name), Description: deref(description), TimeZone: deref(timeZone), ValueLockLevel: string(level)}
}

// CreateDataTable handles the operation of the same name.
func (h *Handlers) CreateDataTable(ctx context.Context, in *cw.CreateDataTableRequest) (*cw.CreateDataTableResponse, error) {
	p := tableParamsIn(in.Name, in.Description, in.TimeZone, in.ValueLockLevel)
	p.Status, p.Tags = string(in.Status), in.Tags
	t, err := h.svc.CreateDataTable(ctx, deref(in.InstanceId), p)
	if err != nil {
		return nil, err
	}
	return &cw.CreateDataTableResponse{Id: ref(t.ID), Arn: ref(t.Arn), LockVersion: &cw.DataTableLockVersion{DataTable: ref(domain.LockString(t.Lock))}}, nil
}

// DescribeDataTable handles the operation of the same name.
func (h *Handlers) DescribeDataTable(ctx context.Context, in *cw.DescribeDataTableRequest) (*cw.DescribeDataTableResponse, error) {
	t, err := h.svc.DescribeDataTable(ctx, deref(in.InstanceId), deref(in.DataTableId))
	if err != nil {
		return nil, err
	}
	out := h.tableOut(t, true)
	return &cw.DescribeDataTableResponse{DataTable: &out}, nil
}

// ListDataTables handles the operation of the same name.
func (h *Handlers) ListDataTables(ctx context.Context, in *cw.ListDataTablesRequest) (*cw.ListDataTablesResponse, error) {
	list, next, err := h.svc.ListDataTables(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListDataTablesResponse{NextToken: ptr(next), DataTableSummaryList: []cw.DataTableSummary{}}
	for _, t := range list {
		out.DataTableSummaryList = append(out.DataTableSummaryList, cw.DataTableSummary{Name: ref(t.Name), Id: ref(t.ID), Arn: ref(t.Arn),
			LastModifiedTime: wtime(t.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion())})
	}
	return out, nil
}

// UpdateDataTableMetadata handles the operation of the same name.
func (h *Handlers) UpdateDataTableMetadata(ctx context.Context, in *cw.UpdateDataTableMetadataRequest) (*cw.UpdateDataTableMetadataResponse, error) {
	t, err := h.svc.UpdateDataTableMetadata(ctx, deref(in.InstanceId), deref(in.DataTableId), tableParamsIn(in.Name, in.Description, in.TimeZone, in.ValueLockLevel))
	if err != nil {
		return nil, err
	}
	return &cw.UpdateDataTableMetadataResponse{LockVersion: &cw.DataTableLockVersion{DataTable: ref(domain.LockString(t.Lock))}}, nil
}

// DeleteDataTable handles the operation of the same name.
func (h *Handlers) DeleteDataTable(ctx context.Context, in *cw.DeleteDataTableRequest) (*cw.DeleteDataTableResponse, error) {
	if err := h.svc.DeleteDataTable(ctx, deref(in.InstanceId), deref(in.DataTableId)); err != nil {
		return nil, err
	}
	return &cw.DeleteDataTableResponse{}, nil
}

// SearchDataTables handles the operation of the same name.
func (h *Handlers) SearchDataTables(ctx context.Context, in *cw.SearchDataTablesRequest) (*cw.SearchDataTablesResponse, error) {
	var filter *domain.TagFilter
	if in.SearchFilter != nil {
		filter = attributeFilterIn(in.SearchFilter.AttributeFilter)
	}
	criteria := stringCriteriaIn(in.SearchCriteria, func(c *cw.DataTableSearchCriteria) ([]cw.DataTableSearchCriteria, []cw.DataTableSearchCriteria, *cw.StringCondition) {
		return c.OrConditions, c.AndConditions, c.StringCondition
	})
	list, next, total, err := h.svc.SearchDataTables(ctx, deref(in.InstanceId), criteria, filter, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.SearchDataTablesResponse{NextToken: ptr(next), ApproximateTotalCount: ref(int64(total)), DataTables: []cw.DataTable{}}
	for i := range list {
		out.DataTables = append(out.DataTables, h.tableOut(&list[i], false))
	}
	return out, nil
}

func validationIn(v *cw.Validation) *domain.DataTableValidation {
	if v == nil {
		return nil
	}
	out := &domain.DataTableValidation{MinLength: v.MinLength, MaxLength: v.MaxLength, MinValues: v.MinValues, MaxValues: v.MaxValues,
		IgnoreCase: deref(v.IgnoreCase), Minimum: v.Minimum, Maximum: v.Maximum, ExclusiveMinimum: v.ExclusiveMinimum,
		ExclusiveMaximum: v.ExclusiveMaximum, MultipleOf: v.MultipleOf}
	if v.Enum != nil {
		out.HasEnum, out.EnumStrict, out.EnumValues = true, deref(v.Enum.Strict), v.Enum.Values
	}
	return out
}

func validationOut(v *domain.DataTableValidation) *cw.Validation {
	if v == nil {
		return nil
	}
	out := &cw.Validation{MinLength: v.MinLength, MaxLength: v.MaxLength, MinValues: v.MinValues, MaxValues: v.MaxValues,
		IgnoreCase: ptr(v.IgnoreCase), Minimum: v.Minimum, Maximum: v.Maximum, ExclusiveMinimum: v.ExclusiveMinimum,
		ExclusiveMaximum: v.ExclusiveMaximum, MultipleOf: v.MultipleOf}
	if v.HasEnum {
		out.Enum = &cw.ValidationEnum{Strict: ref(v.EnumStrict), Values: v.EnumValues}
	}
	return out
}

func (h *Handlers) attributeOut(t *domain.DataTable, a *domain.DataTableAttribute) cw.DataTableAttribute {
	return cw.DataTableAttribute{AttributeId: ref(a.ID), Name: ref(a.Name), ValueType: cw.DataTableAttributeValueType(a.ValueType),
		Description: ptr(a.Description), DataTableId: ref(t.ID), DataTableArn: ref(t.Arn), Primary: ref(a.Primary),
		LockVersion:      &cw.DataTableLockVersion{DataTable: ref(domain.LockString(t.Lock)), Attribute: ref(domain.LockString(a.Lock))},
		LastModifiedTime: wtime(a.LastModifiedTime), LastModifiedRegion: ref(h.svc.HomeRegion()), Validation: validationOut(a.Validation)}
}

func attributeParamsIn(name *string, valueType cw.DataTableAttributeValueType, description *string, primary *bool, v *cw.Validation) domain.AttributeParams {
	return domain.AttributeParams{Name: deref(name), ValueType: string(valueType), Description: deref(description), Primary: deref(primary), Validation: validationIn(v)}
}

// CreateDataTableAttribute handles the operation of the same name.
func (h *Handlers) CreateDataTableAttribute(ctx context.Context, in *cw.CreateDataTableAttributeRequest) (*cw.CreateDataTableAttributeResponse, error) {
	t, a, err := h.svc.CreateDataTableAttribute(ctx, deref(in.InstanceId), deref(in.DataTableId),
		attributeParamsIn(in.Name, in.ValueType, in.Description, in.Primary, in.Validation))
	if err != nil {
		return nil, err
	}
	return &cw.CreateDataTableAttributeResponse{Name: ref(a.Name), AttributeId: ref(a.ID),
		LockVersion: &cw.DataTableLockVersion{DataTable: ref(domain.LockString(t.Lock)), Attribute: ref(domain.LockString(a.Lock))}}, nil
}

// DescribeDataTableAttribute handles the operation of the same name.
func (h *Handlers) DescribeDataTableAttribute(ctx context.Context, in *cw.DescribeDataTableAttributeRequest) (*cw.DescribeDataTableAttributeResponse, error) {
	t, a, err := h.svc.DescribeDataTableAttribute(ctx, deref(in.InstanceId), deref(in.DataTableId), deref(in.AttributeName))
	if err != nil {
		return nil, err
	}
	out := h.attributeOut(t, a)
	return &cw.DescribeDataTableAttributeResponse{Attribute: &out}, nil
}

// ListDataTableAttributes handles the operation of the same name.
func (h *Handlers) ListDataTableAttributes(ctx context.Context, in *cw.ListDataTableAttributesRequest) (*cw.ListDataTableAttributesResponse, error) {
	t, list, next, err := h.svc.ListDataTableAttributes(ctx, deref(in.InstanceId), deref(in.DataTableId), in.AttributeIds, listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListDataTableAttributesResponse{NextToken: ptr(next), Attributes: []cw.DataTableAttribute{}}
	for i := range list {
		out.Attributes = append(out.Attributes, h.attributeOut(t, &list[i]))
	}
	return out, nil
}

// UpdateDataTableAttribute handles the operation of the same name.
func (h *Handlers) UpdateDataTableAttribute(ctx context.Context, in *cw.UpdateDataTableAttributeRequest) (*cw.UpdateDataTableAttributeResponse, error) {
	t, a, err := h.svc.UpdateDataTableAttribute(ctx, deref(in.InstanceId), deref(in.DataTableId), deref(in.AttributeName),
		attributeParamsIn(in.Name, in.ValueType, in.Description, in.Primary, in.Validation))
	if err != nil {
		return nil, err
	}
	return &cw.UpdateDataTableAttributeResponse{Name: ref(a.Name),
		LockVersion: &cw.DataTableLockVersion{DataTable: ref(domain.LockString(t.Lock)), Attribute: ref(domain.LockString(a.Lock))}}, nil
}

// DeleteDataTableAttribute handles the operation of the same name.
func (h *Handlers) DeleteDataTableAttribute(ctx context.Context, in *cw.DeleteDataTableAttributeRequest) (*cw.DeleteDataTableAttributeResponse, error) {
	t, err := h.svc.DeleteDataTableAttribute(ctx, deref(in.InstanceId), deref(in.DataTableId), deref(in.AttributeName))
	if err != nil {
		return nil, err
	}
	return &cw.DeleteDataTableAttributeResponse{LockVersion: &cw.DataTableLockVersion{DataTable: ref(domain.LockString(t.Lock))}}, nil
}

func primaryIn(in []cw.PrimaryValue) []domain.PrimaryValue {
	out := make([]domain.PrimaryValue, 0, len(in))
	for _, p := range in {
		out = append(out, domain.PrimaryValue{AttributeName: deref(p.AttributeName), Value: deref(p.Value)})
	}
	return out
}

// primaryOut echoes primary values as a request gave them ([] rather
// than absent: the member is required).
func primaryOut(in []domain.PrimaryValue) []cw.PrimaryValue {
	out := make([]cw.PrimaryValue, 0, len(in))
	for _, p := range in {
		out = append(out, cw.PrimaryValue{AttributeName: ref(p.AttributeName), Value: ref(p.Value)})
	}
	return out
}

func primaryResponseOut(in []domain.PrimaryValue) []cw.PrimaryValueResponse {
	out := make([]cw.PrimaryValueResponse, 0, len(in))
	for _, p := range in {
		out = append(out, cw.PrimaryValueResponse{AttributeName: ref(p.AttributeName), AttributeId: ptr(p.AttributeID), Value: ref(p.Value)})
	}
	return out
}

func valuesIn(in []cw.DataTableValue) []domain.ValueInput {
	out := make([]domain.ValueInput, 0, len(in))
	for _, v := range in {
		out = append(out, domain.ValueInput{PrimaryValues: primaryIn(v.PrimaryValues), AttributeName: deref(v.AttributeName),
			Value: deref(v.Value), LockVersion: lockIn(v.LockVersion)})
	}
	return out
}

// failureMessage is a failed value's message, without the exception name
// the wire's errors carry apart.
func failureMessage(err error) *string {
	var de *domain.Error
	if errors.As(err, &de) {
		return ref(de.Message)
	}
	return ref(err.Error())
}

// BatchCreateDataTableValue handles the operation of the same name.
func (h *Handlers) BatchCreateDataTableValue(ctx context.Context, in *cw.BatchCreateDataTableValueRequest) (*cw.BatchCreateDataTableValueResponse, error) {
	res, err := h.svc.BatchCreateDataTableValue(ctx, deref(in.InstanceId), deref(in.DataTableId), valuesIn(in.Values))
	if err != nil {
		return nil, err
	}
	out := &cw.BatchCreateDataTableValueResponse{Successful: []cw.BatchCreateDataTableValueSuccessResult{}, Failed: []cw.BatchCreateDataTableValueFailureResult{}}
	for _, r := range res {
		if r.Err != nil {
			out.Failed = append(out.Failed, cw.BatchCreateDataTableValueFailureResult{PrimaryValues: primaryOut(r.PrimaryValues), AttributeName: ref(r.AttributeName), Message: failureMessage(r.Err)})
			continue
		}
		out.Successful = append(out.Successful, cw.BatchCreateDataTableValueSuccessResult{PrimaryValues: primaryOut(r.PrimaryValues),
			AttributeName: ref(r.AttributeName), RecordId: ref(r.RecordID), LockVersion: lockOut(r.LockVersion)})
	}
	return out, nil
}

// BatchUpdateDataTableValue handles the operation of the same name.
func (h *Handlers) BatchUpdateDataTableValue(ctx context.Context, in *cw.BatchUpdateDataTableValueRequest) (*cw.BatchUpdateDataTableValueResponse, error) {
	res, err := h.svc.BatchUpdateDataTableValue(ctx, deref(in.InstanceId), deref(in.DataTableId), valuesIn(in.Values))
	if err != nil {
		return nil, err
	}
	out := &cw.BatchUpdateDataTableValueResponse{Successful: []cw.BatchUpdateDataTableValueSuccessResult{}, Failed: []cw.BatchUpdateDataTableValueFailureResult{}}
	for _, r := range res {
		if r.Err != nil {
			out.Failed = append(out.Failed, cw.BatchUpdateDataTableValueFailureResult{PrimaryValues: primaryOut(r.PrimaryValues), AttributeName: ref(r.AttributeName), Message: failureMessage(r.Err)})
			continue
		}
		out.Successful = append(out.Successful, cw.BatchUpdateDataTableValueSuccessResult{PrimaryValues: primaryOut(r.PrimaryValues),
			AttributeName: ref(r.AttributeName), LockVersion: lockOut(r.LockVersion)})
	}
	return out, nil
}

// BatchDeleteDataTableValue handles the operation of the same name.
func (h *Handlers) BatchDeleteDataTableValue(ctx context.Context, in *cw.BatchDeleteDataTableValueRequest) (*cw.BatchDeleteDataTableValueResponse, error) {
	ins := make([]domain.ValueInput, 0, len(in.Values))
	for _, v := range in.Values {
		ins = append(ins, domain.ValueInput{PrimaryValues: primaryIn(v.PrimaryValues), AttributeName: deref(v.AttributeName), LockVersion: lockIn(v.LockVersion)})
	}
	res, err := h.svc.BatchDeleteDataTableValue(ctx, deref(in.InstanceId), deref(in.DataTableId), ins)
	if err != nil {
		return nil, err
	}
	out := &cw.BatchDeleteDataTableValueResponse{Successful: []cw.BatchDeleteDataTableValueSuccessResult{}, Failed: []cw.BatchDeleteDataTableValueFailureResult{}}
	for _, r := range res {
		if r.Err != nil {
			out.Failed = append(out.Failed, cw.BatchDeleteDataTableValueFailureResult{PrimaryValues: primaryOut(r.PrimaryValues), AttributeName: ref(r.AttributeName), Message: failureMessage(r.Err)})
			continue
		}
		out.Successful = append(out.Successful, cw.BatchDeleteDataTableValueSuccessResult{PrimaryValues: primaryOut(r.PrimaryValues),
			AttributeName: ref(r.AttributeName), LockVersion: lockOut(r.LockVersion)})
	}
	return out, nil
}

// BatchDescribeDataTableValue handles the operation of the same name.
func (h *Handlers) BatchDescribeDataTableValue(ctx context.Context, in *cw.BatchDescribeDataTableValueRequest) (*cw.BatchDescribeDataTableValueResponse, error) {
	ins := make([]domain.ValueInput, 0, len(in.Values))
	for _, v := range in.Values {
		ins = append(ins, domain.ValueInput{PrimaryValues: primaryIn(v.PrimaryValues), AttributeName: deref(v.AttributeName)})
	}
	res, err := h.svc.BatchDescribeDataTableValue(ctx, deref(in.InstanceId), deref(in.DataTableId), ins)
	if err != nil {
		return nil, err
	}
	out := &cw.BatchDescribeDataTableValueResponse{Successful: []cw.BatchDescribeDataTableValueSuccessResult{}, Failed: []cw.BatchDescribeDataTableValueFailureResult{}}
	for _, r := range res {
		if r.Err != nil {
			out.Failed = append(out.Failed, cw.BatchDescribeDataTableValueFailureResult{PrimaryValues: primaryOut(r.PrimaryValues), AttributeName: ref(r.AttributeName), Message: failureMessage(r.Err)})
			continue
		}
		out.Successful = append(out.Successful, cw.BatchDescribeDataTableValueSuccessResult{RecordId: ref(r.RecordID), AttributeId: ref(r.AttributeID),
			PrimaryValues: primaryResponseOut(r.PrimaryValues), AttributeName: ref(r.AttributeName), Value: ref(r.Value),
			LockVersion: lockOut(r.LockVersion), LastModifiedTime: wtime(r.LastModified), LastModifiedRegion: ref(h.svc.HomeRegion())})
	}
	return out, nil
}

func recordFilterIn(ids []string, filters []cw.PrimaryAttributeValueFilter) domain.RecordFilter {
	f := domain.RecordFilter{RecordIDs: ids}
	for _, pf := range filters {
		if f.Primary == nil {
			f.Primary = map[string][]string{}
		}
		name := deref(pf.AttributeName)
		f.Primary[name] = append(f.Primary[name], pf.Values...)
	}
	return f
}

// ListDataTableValues handles the operation of the same name.
func (h *Handlers) ListDataTableValues(ctx context.Context, in *cw.ListDataTableValuesRequest) (*cw.ListDataTableValuesResponse, error) {
	list, next, err := h.svc.ListDataTableValues(ctx, deref(in.InstanceId), deref(in.DataTableId), recordFilterIn(in.RecordIds, in.PrimaryAttributeValues),
		listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListDataTableValuesResponse{NextToken: ptr(next), Values: []cw.DataTableValueSummary{}}
	for _, r := range list {
		out.Values = append(out.Values, cw.DataTableValueSummary{RecordId: ref(r.RecordID), AttributeId: ref(r.AttributeID),
			PrimaryValues: primaryResponseOut(r.PrimaryValues), AttributeName: ref(r.AttributeName), ValueType: cw.DataTableAttributeValueType(r.ValueType),
			Value: ref(r.Value), LockVersion: lockOut(r.LockVersion), LastModifiedTime: wtime(r.LastModified), LastModifiedRegion: ref(h.svc.HomeRegion())})
	}
	return out, nil
}

// ListDataTablePrimaryValues handles the operation of the same name.
func (h *Handlers) ListDataTablePrimaryValues(ctx context.Context, in *cw.ListDataTablePrimaryValuesRequest) (*cw.ListDataTablePrimaryValuesResponse, error) {
	list, next, err := h.svc.ListDataTablePrimaryValues(ctx, deref(in.InstanceId), deref(in.DataTableId), recordFilterIn(in.RecordIds, in.PrimaryAttributeValues),
		listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListDataTablePrimaryValuesResponse{NextToken: ptr(next), PrimaryValuesList: []cw.RecordPrimaryValue{}}
	for _, r := range list {
		out.PrimaryValuesList = append(out.PrimaryValuesList, cw.RecordPrimaryValue{RecordId: ref(r.ID), PrimaryValues: primaryResponseOut(r.PrimaryValues),
			LastModifiedTime: wtime(r.LastModified), LastModifiedRegion: ref(h.svc.HomeRegion())})
	}
	return out, nil
}

// UpdateDataTablePrimaryValues handles the operation of the same name.
func (h *Handlers) UpdateDataTablePrimaryValues(ctx context.Context, in *cw.UpdateDataTablePrimaryValuesRequest) (*cw.UpdateDataTablePrimaryValuesResponse, error) {
	lv, err := h.svc.UpdateDataTablePrimaryValues(ctx, deref(in.InstanceId), deref(in.DataTableId), primaryIn(in.PrimaryValues),
		primaryIn(in.NewPrimaryValues), lockIn(in.LockVersion))
	if err != nil {
		return nil, err
	}
	return &cw.UpdateDataTablePrimaryValuesResponse{LockVersion: lockOut(lv)}, nil
}

// EvaluateDataTableValues handles the operation of the same name.
func (h *Handlers) EvaluateDataTableValues(ctx context.Context, in *cw.EvaluateDataTableValuesRequest) (*cw.EvaluateDataTableValuesResponse, error) {
	sets := make([]domain.EvaluateSet, 0, len(in.Values))
	for _, s := range in.Values {
		sets = append(sets, domain.EvaluateSet{PrimaryValues: primaryIn(s.PrimaryValues), AttributeNames: s.AttributeNames})
	}
	list, next, err := h.svc.EvaluateDataTableValues(ctx, deref(in.InstanceId), deref(in.DataTableId), sets, deref(in.TimeZone), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.EvaluateDataTableValuesResponse{NextToken: ptr(next), Values: []cw.DataTableEvaluatedValue{}}
	for _, e := range list {
		out.Values = append(out.Values, cw.DataTableEvaluatedValue{RecordId: ref(e.RecordID), PrimaryValues: primaryOut(e.PrimaryValues),
			AttributeName: ref(e.AttributeName), ValueType: cw.DataTableAttributeValueType(e.ValueType), Found: ref(e.Found), Error: ref(e.Error),
			EvaluatedValue: ref(e.EvaluatedValue)})
	}
	return out, nil
}
