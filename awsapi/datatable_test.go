package awsapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func tableInput(iid, name string) *connect.CreateDataTableInput {
	return &connect.CreateDataTableInput{InstanceId: aws.String(iid), Name: aws.String(name), TimeZone: aws.String("Europe/London"),
		ValueLockLevel: types.DataTableLockLevelNone, Status: types.DataTableStatusPublished}
}

func createTable(t *testing.T, env *sbtest.Env, iid, name string) *connect.CreateDataTableOutput {
	t.Helper()
	out, err := env.Client.CreateDataTable(sbtest.Ctx(t), tableInput(iid, name))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDataTableLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{DataTables: 3})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)

	create := tableInput(iid, "  Holiday rates ")
	create.Description = aws.String("Rates by country")
	create.Tags = map[string]string{"team": "billing"}
	made, err := env.Client.CreateDataTable(ctx, create)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(*made.Arn, ":instance/"+iid+"/data-table/"+*made.Id) || aws.ToString(made.LockVersion.DataTable) == "" {
		t.Fatalf("CreateDataTable = %+v", made)
	}
	got, err := env.Client.DescribeDataTable(ctx, &connect.DescribeDataTableInput{InstanceId: in, DataTableId: made.Id})
	if err != nil {
		t.Fatal(err)
	}
	dt := got.DataTable
	if *dt.Name != "Holiday rates" || *dt.Description != "Rates by country" || *dt.TimeZone != "Europe/London" ||
		dt.ValueLockLevel != types.DataTableLockLevelNone || dt.Status != types.DataTableStatusPublished || dt.Tags["team"] != "billing" ||
		dt.CreatedTime == nil || dt.LastModifiedTime == nil || aws.ToString(dt.LastModifiedRegion) != sbtest.Region ||
		*dt.LockVersion.DataTable != *made.LockVersion.DataTable {
		t.Fatalf("DescribeDataTable = %+v", dt)
	}
	// The ARN and the $LATEST and $SAVED qualifiers name the same table.
	for _, ref := range []string{*made.Arn, *made.Id + ":$LATEST", *made.Arn + ":$SAVED"} {
		if _, err := env.Client.DescribeDataTable(ctx, &connect.DescribeDataTableInput{InstanceId: in, DataTableId: aws.String(ref)}); err != nil {
			t.Errorf("DescribeDataTable(%s): %v", ref, err)
		}
	}
	_, err = env.Raw.DescribeDataTable(ctx, &connect.DescribeDataTableInput{InstanceId: in, DataTableId: aws.String(*made.Id + ":3")})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest), "versions")

	// Names are unique whatever their case.
	_, err = env.Raw.CreateDataTable(ctx, tableInput(iid, "HOLIDAY RATES"))
	ctContains(t, sbtest.APIError(t, err, "DuplicateResourceException", http.StatusConflict), "already exists")

	other := createTable(t, env, iid, "Agents")
	list, err := env.Client.ListDataTables(ctx, &connect.ListDataTablesInput{InstanceId: in})
	if err != nil || len(list.DataTableSummaryList) != 2 || *list.DataTableSummaryList[0].Name != "Agents" || *list.DataTableSummaryList[1].Id != *made.Id {
		t.Fatalf("ListDataTables = %+v, %v", list, err)
	}
	page, err := env.Client.ListDataTables(ctx, &connect.ListDataTablesInput{InstanceId: in, MaxResults: aws.Int32(1)})
	if err != nil || len(page.DataTableSummaryList) != 1 || page.NextToken == nil {
		t.Fatalf("first page = %+v, %v", page, err)
	}

	found, err := env.Client.SearchDataTables(ctx, &connect.SearchDataTablesInput{InstanceId: in, SearchCriteria: &types.DataTableSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("name"), Value: aws.String("holi"), ComparisonType: types.StringComparisonTypeStartsWith}}})
	if err != nil || len(found.DataTables) != 1 || *found.DataTables[0].Id != *made.Id || *found.ApproximateTotalCount != 1 || found.DataTables[0].LockVersion != nil {
		t.Fatalf("SearchDataTables by name = %+v, %v", found, err)
	}
	tagged, err := env.Client.SearchDataTables(ctx, &connect.SearchDataTablesInput{InstanceId: in, SearchFilter: &types.DataTableSearchFilter{
		AttributeFilter: &types.ControlPlaneAttributeFilter{TagCondition: &types.TagCondition{TagKey: aws.String("team"), TagValue: aws.String("billing")}}}})
	if err != nil || len(tagged.DataTables) != 1 || *tagged.DataTables[0].Id != *made.Id {
		t.Fatalf("SearchDataTables by tag = %+v, %v", tagged, err)
	}
	_, err = env.Raw.SearchDataTables(ctx, &connect.SearchDataTablesInput{InstanceId: in, SearchCriteria: &types.DataTableSearchCriteria{
		StringCondition: &types.StringCondition{FieldName: aws.String("color"), Value: aws.String("x"), ComparisonType: types.StringComparisonTypeExact}}})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest), "FieldName")

	upd, err := env.Client.UpdateDataTableMetadata(ctx, &connect.UpdateDataTableMetadataInput{InstanceId: in, DataTableId: made.Id,
		Name: aws.String("Rates"), TimeZone: aws.String("America/New_York"), ValueLockLevel: types.DataTableLockLevelValue})
	if err != nil || *upd.LockVersion.DataTable == *made.LockVersion.DataTable {
		t.Fatalf("UpdateDataTableMetadata = %+v, %v (the lock version must move)", upd, err)
	}
	got, _ = env.Client.DescribeDataTable(ctx, &connect.DescribeDataTableInput{InstanceId: in, DataTableId: made.Id})
	if *got.DataTable.Name != "Rates" || got.DataTable.Description != nil || *got.DataTable.TimeZone != "America/New_York" || got.DataTable.ValueLockLevel != types.DataTableLockLevelValue {
		t.Errorf("after the update: %+v", got.DataTable)
	}
	_, err = env.Raw.UpdateDataTableMetadata(ctx, &connect.UpdateDataTableMetadataInput{InstanceId: in, DataTableId: made.Id,
		Name: aws.String("agents"), TimeZone: aws.String("UTC"), ValueLockLevel: types.DataTableLockLevelNone})
	sbtest.APIError(t, err, "DuplicateResourceException", http.StatusConflict)
	_, err = env.Raw.UpdateDataTableMetadata(ctx, &connect.UpdateDataTableMetadataInput{InstanceId: in, DataTableId: aws.String(*made.Id + ":$SAVED"),
		Name: aws.String("Rates"), TimeZone: aws.String("UTC"), ValueLockLevel: types.DataTableLockLevelNone})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest), "$LATEST")

	// Tagged like any resource, by its ARN.
	if _, err := env.Client.TagResource(ctx, &connect.TagResourceInput{ResourceArn: made.Arn, Tags: map[string]string{"tier": "gold"}}); err != nil {
		t.Fatal(err)
	}
	got, _ = env.Client.DescribeDataTable(ctx, &connect.DescribeDataTableInput{InstanceId: in, DataTableId: made.Id})
	if got.DataTable.Tags["tier"] != "gold" || got.DataTable.Tags["team"] != "billing" {
		t.Errorf("tags after TagResource: %v", got.DataTable.Tags)
	}

	// The quota (3 here) is the model's InvalidRequestException.
	createTable(t, env, iid, "Third")
	_, err = env.Raw.CreateDataTable(ctx, tableInput(iid, "Fourth"))
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest), "--quota data-tables")

	if _, err := env.Client.DeleteDataTable(ctx, &connect.DeleteDataTableInput{InstanceId: in, DataTableId: other.Arn}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribeDataTable(ctx, &connect.DescribeDataTableInput{InstanceId: in, DataTableId: other.Id})
	ctContains(t, sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound), "ListDataTables")
	_, err = env.Raw.DeleteDataTable(ctx, &connect.DeleteDataTableInput{InstanceId: in, DataTableId: other.Id})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestDataTableRules(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	for _, tc := range []struct {
		name   string
		mod    func(*connect.CreateDataTableInput)
		exc    string
		status int
		says   string
	}{
		{"reserved prefix", func(in *connect.CreateDataTableInput) { in.Name = aws.String("Connect:rates") }, "InvalidParameterException", 400, "reserved"},
		{"aws prefix", func(in *connect.CreateDataTableInput) { in.Name = aws.String("aws:x") }, "InvalidParameterException", 400, "reserved"},
		{"blank name", func(in *connect.CreateDataTableInput) { in.Name = aws.String("   ") }, "InvalidParameterException", 400, "empty"},
		{"name pattern", func(in *connect.CreateDataTableInput) { in.Name = aws.String("a/b") }, "InvalidParameterException", 400, "Name"},
		{"long name", func(in *connect.CreateDataTableInput) { in.Name = aws.String(strings.Repeat("n", 128)) }, "InvalidParameterException", 400, "Name"},
		{"no name", func(in *connect.CreateDataTableInput) { in.Name = nil }, "InvalidParameterException", 400, "Name"},
		{"time zone", func(in *connect.CreateDataTableInput) { in.TimeZone = aws.String("Mars/Olympus") }, "InvalidParameterException", 400, "IANA"},
		{"no time zone", func(in *connect.CreateDataTableInput) { in.TimeZone = nil }, "InvalidParameterException", 400, "TimeZone"},
		{"lock level", func(in *connect.CreateDataTableInput) { in.ValueLockLevel = "ROW" }, "InvalidParameterException", 400, "ValueLockLevel"},
		{"status", func(in *connect.CreateDataTableInput) { in.Status = "SAVED" }, "InvalidParameterException", 400, "Status"},
		{"no status", func(in *connect.CreateDataTableInput) { in.Status = "" }, "InvalidParameterException", 400, "Status"},
		{"long description", func(in *connect.CreateDataTableInput) { in.Description = aws.String(strings.Repeat("d", 251)) }, "InvalidParameterException", 400, "Description"},
		{"aws tag", func(in *connect.CreateDataTableInput) { in.Tags = map[string]string{"aws:x": "y"} }, "InvalidParameterException", 400, "Tags"},
		{"unknown instance", func(in *connect.CreateDataTableInput) {
			in.InstanceId = aws.String("00000000-0000-0000-0000-000000000000")
		}, "ResourceNotFoundException", 404, "nstance"},
	} {
		in := tableInput(iid, "t-"+strings.ReplaceAll(tc.name, " ", "-"))
		tc.mod(in)
		_, err := env.Raw.CreateDataTable(ctx, in)
		ctContains(t, sbtest.APIError(t, err, tc.exc, tc.status), tc.says)
	}
	_, err := env.Raw.DescribeDataTable(ctx, &connect.DescribeDataTableInput{InstanceId: aws.String(iid),
		DataTableId: aws.String("arn:aws:connect:us-east-1:000000000000:instance/" + iid + "/queue/q")})
	ctContains(t, sbtest.APIError(t, err, "ResourceNotFoundException", 404), "data table")
}

func attrInput(iid, table, name string, vt types.DataTableAttributeValueType) *connect.CreateDataTableAttributeInput {
	return &connect.CreateDataTableAttributeInput{InstanceId: aws.String(iid), DataTableId: aws.String(table), Name: aws.String(name), ValueType: vt}
}

func TestDataTableAttributes(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{DataTableAttributes: 4})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	table := *createTable(t, env, iid, "Rates").Id

	code := attrInput(iid, table, " Code ", types.DataTableAttributeValueTypeText)
	code.Primary = true
	code.Description = aws.String("ISO country code")
	code.Validation = &types.Validation{MinLength: 2, MaxLength: 2, IgnoreCase: true}
	made, err := env.Client.CreateDataTableAttribute(ctx, code)
	if err != nil || *made.Name != "Code" || aws.ToString(made.AttributeId) == "" || aws.ToString(made.LockVersion.Attribute) == "" {
		t.Fatalf("CreateDataTableAttribute = %+v, %v", made, err)
	}
	rate := attrInput(iid, table, "Rate", types.DataTableAttributeValueTypeNumber)
	rate.Validation = &types.Validation{Minimum: 1, Maximum: 100, MultipleOf: 0.5, Enum: &types.ValidationEnum{Values: []string{"10", "20"}}}
	if _, err := env.Client.CreateDataTableAttribute(ctx, rate); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.CreateDataTableAttribute(ctx, attrInput(iid, table, "Tags", types.DataTableAttributeValueTypeTextList)); err != nil {
		t.Fatal(err)
	}

	got, err := env.Client.DescribeDataTableAttribute(ctx, &connect.DescribeDataTableAttributeInput{InstanceId: in, DataTableId: aws.String(table), AttributeName: aws.String("code")})
	if err != nil {
		t.Fatal(err)
	}
	a := got.Attribute
	if *a.Name != "Code" || !a.Primary || a.ValueType != types.DataTableAttributeValueTypeText || *a.Description != "ISO country code" ||
		*a.DataTableId != table || a.Validation == nil || a.Validation.MaxLength != 2 || !a.Validation.IgnoreCase || *a.AttributeId != *made.AttributeId {
		t.Fatalf("DescribeDataTableAttribute = %+v", a)
	}
	list, err := env.Client.ListDataTableAttributes(ctx, &connect.ListDataTableAttributesInput{InstanceId: in, DataTableId: aws.String(table)})
	if err != nil || len(list.Attributes) != 3 || *list.Attributes[0].Name != "Code" || *list.Attributes[2].Name != "Tags" ||
		list.Attributes[1].Validation.Enum == nil || len(list.Attributes[1].Validation.Enum.Values) != 2 {
		t.Fatalf("ListDataTableAttributes = %+v, %v", list, err)
	}
	picked, err := env.Client.ListDataTableAttributes(ctx, &connect.ListDataTableAttributesInput{InstanceId: in, DataTableId: aws.String(table), AttributeIds: []string{*made.AttributeId}})
	if err != nil || len(picked.Attributes) != 1 || *picked.Attributes[0].Name != "Code" {
		t.Fatalf("ListDataTableAttributes by ID = %+v, %v", picked, err)
	}

	// Adding an attribute moves the table's lock version.
	before, _ := env.Client.DescribeDataTable(ctx, &connect.DescribeDataTableInput{InstanceId: in, DataTableId: aws.String(table)})
	upd, err := env.Client.UpdateDataTableAttribute(ctx, &connect.UpdateDataTableAttributeInput{InstanceId: in, DataTableId: aws.String(table),
		AttributeName: aws.String("TAGS"), Name: aws.String("Labels"), ValueType: types.DataTableAttributeValueTypeTextList,
		Validation: &types.Validation{MaxValues: 3}})
	if err != nil || *upd.Name != "Labels" || *upd.LockVersion.DataTable == *before.DataTable.LockVersion.DataTable {
		t.Fatalf("UpdateDataTableAttribute = %+v, %v", upd, err)
	}

	bad := func(name string, mod func(*connect.CreateDataTableAttributeInput), exc string, status int, says string) {
		t.Helper()
		in := attrInput(iid, table, name, types.DataTableAttributeValueTypeText)
		mod(in)
		_, err := env.Raw.CreateDataTableAttribute(ctx, in)
		ctContains(t, sbtest.APIError(t, err, exc, status), says)
	}
	none := func(*connect.CreateDataTableAttributeInput) {}
	bad("code", none, "DuplicateResourceException", 409, "already has")
	bad("aws:x", none, "InvalidParameterException", 400, "reserved")
	bad("List", func(in *connect.CreateDataTableAttributeInput) {
		in.ValueType, in.Primary = types.DataTableAttributeValueTypeNumberList, true
	}, "InvalidParameterException", 400, "primary")
	bad("Len", func(in *connect.CreateDataTableAttributeInput) {
		in.Validation = &types.Validation{MinLength: 5, MaxLength: 2}
	}, "InvalidParameterException", 400, "MinLength")
	bad("Len2", func(in *connect.CreateDataTableAttributeInput) { in.Validation = &types.Validation{MaxLength: 1001} }, "InvalidParameterException", 400, "MaxLength")
	bad("Bounds", func(in *connect.CreateDataTableAttributeInput) {
		in.ValueType, in.Validation = types.DataTableAttributeValueTypeNumber, &types.Validation{Minimum: 5, ExclusiveMaximum: 5}
	}, "InvalidParameterException", 400, "no room")
	bad("Multiple", func(in *connect.CreateDataTableAttributeInput) {
		in.ValueType, in.Validation = types.DataTableAttributeValueTypeNumber, &types.Validation{MultipleOf: -2}
	}, "InvalidParameterException", 400, "MultipleOf")
	bad("Enum", func(in *connect.CreateDataTableAttributeInput) {
		in.Validation = &types.Validation{Enum: &types.ValidationEnum{Values: []string{"a", "b", "c", "d", "e", "f"}}}
	}, "InvalidParameterException", 400, "at most 5")
	bad("Enum2", func(in *connect.CreateDataTableAttributeInput) {
		in.ValueType, in.Validation = types.DataTableAttributeValueTypeNumber, &types.Validation{Enum: &types.ValidationEnum{Values: []string{"one"}}}
	}, "InvalidParameterException", 400, "Enum")
	bad("Type", func(in *connect.CreateDataTableAttributeInput) { in.ValueType = "DATE" }, "InvalidParameterException", 400, "ValueType")
	bad("Fine", func(in *connect.CreateDataTableAttributeInput) { in.DataTableId = aws.String("nope") }, "ResourceNotFoundException", 404, "Data table")

	// The fourth attribute fills the quota (4 here).
	if _, err := env.Client.CreateDataTableAttribute(ctx, attrInput(iid, table, "Open", types.DataTableAttributeValueTypeBoolean)); err != nil {
		t.Fatal(err)
	}
	bad("Fifth", none, "InvalidRequestException", 400, "--quota data-table-attributes")

	_, err = env.Raw.UpdateDataTableAttribute(ctx, &connect.UpdateDataTableAttributeInput{InstanceId: in, DataTableId: aws.String(table),
		AttributeName: aws.String("Nope"), Name: aws.String("X"), ValueType: types.DataTableAttributeValueTypeText})
	ctContains(t, sbtest.APIError(t, err, "ResourceNotFoundException", 404), "ListDataTableAttributes")
	_, err = env.Raw.UpdateDataTableAttribute(ctx, &connect.UpdateDataTableAttributeInput{InstanceId: in, DataTableId: aws.String(table),
		AttributeName: aws.String("Open"), Name: aws.String("rate"), ValueType: types.DataTableAttributeValueTypeBoolean})
	ctContains(t, sbtest.APIError(t, err, "ConflictException", 409), "already has")

	del, err := env.Client.DeleteDataTableAttribute(ctx, &connect.DeleteDataTableAttributeInput{InstanceId: in, DataTableId: aws.String(table), AttributeName: aws.String("open")})
	if err != nil || aws.ToString(del.LockVersion.DataTable) == "" {
		t.Fatalf("DeleteDataTableAttribute = %+v, %v", del, err)
	}
	_, err = env.Raw.DescribeDataTableAttribute(ctx, &connect.DescribeDataTableAttributeInput{InstanceId: in, DataTableId: aws.String(table), AttributeName: aws.String("Open")})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}

// rateTable makes a table keyed by a case-insensitive Code, with a Rate
// (1 to 100), Tags (at most 2) and Open, at lock level level.
func rateTable(t *testing.T, env *sbtest.Env, iid string, level types.DataTableLockLevel) string {
	t.Helper()
	ctx := sbtest.Ctx(t)
	in := tableInput(iid, "Rates")
	in.ValueLockLevel = level
	table, err := env.Client.CreateDataTable(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	code := attrInput(iid, *table.Id, "Code", types.DataTableAttributeValueTypeText)
	code.Primary, code.Validation = true, &types.Validation{IgnoreCase: true}
	rate := attrInput(iid, *table.Id, "Rate", types.DataTableAttributeValueTypeNumber)
	rate.Validation = &types.Validation{Minimum: 1, Maximum: 100}
	tags := attrInput(iid, *table.Id, "Tags", types.DataTableAttributeValueTypeTextList)
	tags.Validation = &types.Validation{MaxValues: 2}
	for _, a := range []*connect.CreateDataTableAttributeInput{code, rate, tags, attrInput(iid, *table.Id, "Open", types.DataTableAttributeValueTypeBoolean)} {
		if _, err := env.Client.CreateDataTableAttribute(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	return *table.Id
}

func pv(code string) []types.PrimaryValue {
	if code == "" {
		return nil
	}
	return []types.PrimaryValue{{AttributeName: aws.String("Code"), Value: aws.String(code)}}
}

func dtValue(code, attr, value string) types.DataTableValue {
	return types.DataTableValue{PrimaryValues: pv(code), AttributeName: aws.String(attr), Value: aws.String(value)}
}

func TestDataTableValues(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	table := aws.String(rateTable(t, env, iid, types.DataTableLockLevelNone))

	created, err := env.Client.BatchCreateDataTableValue(ctx, &connect.BatchCreateDataTableValueInput{InstanceId: in, DataTableId: table, Values: []types.DataTableValue{
		dtValue("uk", "Rate", "10"),
		dtValue("us", "Rate", "20"),
		dtValue("", "Rate", "5"), // the default record
		dtValue("uk", "Open", "TRUE"),
		dtValue("uk", "Tags", `["a", "b"]`),
		dtValue("fr", "Rate", "500"),
		dtValue("UK", "Rate", "11"),
		dtValue("uk", "Nope", "1"),
		dtValue("uk", "Tags", `["a","b","c"]`),
		dtValue("uk", "Code", "uk"),
		dtValue("de", "Rate", "ten"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(created.Successful) != 5 || len(created.Failed) != 6 {
		t.Fatalf("BatchCreateDataTableValue: %d successful, %d failed: %+v", len(created.Successful), len(created.Failed), created.Failed)
	}
	ukRecord := *created.Successful[0].RecordId
	if *created.Successful[3].RecordId != ukRecord || *created.Successful[1].RecordId == ukRecord || aws.ToString(created.Successful[0].LockVersion.Value) == "" {
		t.Errorf("records: %+v", created.Successful)
	}
	for i, says := range []string{"Maximum", "already has a value", "no attribute", "0 to 2 values", "primary", "NUMBER"} {
		ctContains(t, *created.Failed[i].Message, says)
	}
	if *created.Failed[0].AttributeName != "Rate" || *created.Failed[0].PrimaryValues[0].Value != "fr" {
		t.Errorf("a failure names its value: %+v", created.Failed[0])
	}

	desc, err := env.Client.BatchDescribeDataTableValue(ctx, &connect.BatchDescribeDataTableValueInput{InstanceId: in, DataTableId: table, Values: []types.DataTableValueIdentifier{
		{PrimaryValues: pv("UK"), AttributeName: aws.String("Rate")}, // Code ignores case
		{PrimaryValues: pv("uk"), AttributeName: aws.String("Open")},
		{AttributeName: aws.String("Rate")},
		{PrimaryValues: pv("de"), AttributeName: aws.String("Rate")},
	}})
	if err != nil || len(desc.Successful) != 3 || len(desc.Failed) != 1 {
		t.Fatalf("BatchDescribeDataTableValue = %+v, %v", desc, err)
	}
	uk := desc.Successful[0]
	if *uk.Value != "10" || *uk.RecordId != ukRecord || *uk.PrimaryValues[0].Value != "uk" || aws.ToString(uk.PrimaryValues[0].AttributeId) == "" ||
		*desc.Successful[1].Value != "true" || *desc.Successful[2].Value != "5" || uk.LastModifiedTime == nil {
		t.Errorf("described: %+v", desc.Successful)
	}
	ctContains(t, *desc.Failed[0].Message, "BatchCreateDataTableValue")

	values, err := env.Client.ListDataTableValues(ctx, &connect.ListDataTableValuesInput{InstanceId: in, DataTableId: table})
	if err != nil || len(values.Values) != 5 {
		t.Fatalf("ListDataTableValues = %+v, %v", values, err)
	}
	onlyUS, err := env.Client.ListDataTableValues(ctx, &connect.ListDataTableValuesInput{InstanceId: in, DataTableId: table,
		PrimaryAttributeValues: []types.PrimaryAttributeValueFilter{{AttributeName: aws.String("Code"), Values: []string{"US"}}}})
	if err != nil || len(onlyUS.Values) != 1 || *onlyUS.Values[0].Value != "20" || onlyUS.Values[0].ValueType != types.DataTableAttributeValueTypeNumber {
		t.Fatalf("ListDataTableValues for us = %+v, %v", onlyUS, err)
	}
	byRecord, err := env.Client.ListDataTableValues(ctx, &connect.ListDataTableValuesInput{InstanceId: in, DataTableId: table, RecordIds: []string{ukRecord}})
	if err != nil || len(byRecord.Values) != 3 {
		t.Fatalf("ListDataTableValues for uk's record = %+v, %v", byRecord, err)
	}
	records, err := env.Client.ListDataTablePrimaryValues(ctx, &connect.ListDataTablePrimaryValuesInput{InstanceId: in, DataTableId: table})
	if err != nil || len(records.PrimaryValuesList) != 2 || *records.PrimaryValuesList[0].RecordId != ukRecord {
		t.Fatalf("ListDataTablePrimaryValues = %+v, %v (the default record is not listed)", records, err)
	}

	// Evaluate: a record's own value, else the default record's.
	ev, err := env.Client.EvaluateDataTableValues(ctx, &connect.EvaluateDataTableValuesInput{InstanceId: in, DataTableId: table, Values: []types.DataTableValueEvaluationSet{
		{PrimaryValues: pv("us"), AttributeNames: []string{"Rate", "Open", "Nope", "Code"}},
		{PrimaryValues: pv("zz"), AttributeNames: []string{"Rate"}},
	}})
	if err != nil || len(ev.Values) != 5 {
		t.Fatalf("EvaluateDataTableValues = %+v, %v", ev, err)
	}
	want := []struct {
		value        string
		found, error bool
	}{{"20", true, false}, {"", false, false}, {"", false, true}, {"us", true, false}, {"5", true, false}}
	for i, w := range want {
		e := ev.Values[i]
		if aws.ToString(e.EvaluatedValue) != w.value || e.Found != w.found || e.Error != w.error {
			t.Errorf("evaluated %d (%s): %q found %v error %v, want %+v", i, *e.AttributeName, aws.ToString(e.EvaluatedValue), e.Found, e.Error, w)
		}
	}
	_, err = env.Raw.EvaluateDataTableValues(ctx, &connect.EvaluateDataTableValuesInput{InstanceId: in, DataTableId: table, TimeZone: aws.String("Nowhere/Else"),
		Values: []types.DataTableValueEvaluationSet{{AttributeNames: []string{"Rate"}}}})
	ctContains(t, sbtest.APIError(t, err, "InvalidParameterException", 400), "IANA")

	updated, err := env.Client.BatchUpdateDataTableValue(ctx, &connect.BatchUpdateDataTableValueInput{InstanceId: in, DataTableId: table, Values: []types.DataTableValue{
		dtValue("uk", "Rate", "12"), dtValue("it", "Rate", "3"),
	}})
	if err != nil || len(updated.Successful) != 1 || len(updated.Failed) != 1 {
		t.Fatalf("BatchUpdateDataTableValue = %+v, %v", updated, err)
	}
	ctContains(t, *updated.Failed[0].Message, "BatchCreateDataTableValue")

	// New primary values for a record; they must stay unique.
	upd := func(from, to string) error {
		_, err := env.Raw.UpdateDataTablePrimaryValues(ctx, &connect.UpdateDataTablePrimaryValuesInput{InstanceId: in, DataTableId: table,
			PrimaryValues: pv(from), NewPrimaryValues: pv(to), LockVersion: &types.DataTableLockVersion{}})
		return err
	}
	if err := upd("us", "ca"); err != nil {
		t.Fatal(err)
	}
	ctContains(t, sbtest.APIError(t, upd("ca", "UK"), "ConflictException", 409), "already has")
	sbtest.APIError(t, upd("us", "mx"), "ResourceNotFoundException", 404)
	ctContains(t, sbtest.APIError(t, upd("ca", ""), "InvalidParameterException", 400), "NewPrimaryValues")

	// A record whose values are all deleted is gone.
	deleted, err := env.Client.BatchDeleteDataTableValue(ctx, &connect.BatchDeleteDataTableValueInput{InstanceId: in, DataTableId: table, Values: []types.DataTableDeleteValueIdentifier{
		{PrimaryValues: pv("ca"), AttributeName: aws.String("Rate"), LockVersion: &types.DataTableLockVersion{}},
		{PrimaryValues: pv("ca"), AttributeName: aws.String("Rate"), LockVersion: &types.DataTableLockVersion{}},
	}})
	if err != nil || len(deleted.Successful) != 1 || len(deleted.Failed) != 1 {
		t.Fatalf("BatchDeleteDataTableValue = %+v, %v", deleted, err)
	}
	records, _ = env.Client.ListDataTablePrimaryValues(ctx, &connect.ListDataTablePrimaryValuesInput{InstanceId: in, DataTableId: table})
	if len(records.PrimaryValuesList) != 1 {
		t.Errorf("records after the delete: %+v", records.PrimaryValuesList)
	}

	// A new primary attribute gives the records its empty value; deleting
	// the first one would leave two records alike.
	region := attrInput(iid, *table, "Region", types.DataTableAttributeValueTypeText)
	region.Primary = true
	if _, err := env.Client.CreateDataTableAttribute(ctx, region); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.BatchCreateDataTableValue(ctx, &connect.BatchCreateDataTableValueInput{InstanceId: in, DataTableId: table, Values: []types.DataTableValue{
		{PrimaryValues: []types.PrimaryValue{{AttributeName: aws.String("Code"), Value: aws.String("uk")}, {AttributeName: aws.String("Region"), Value: aws.String("north")}},
			AttributeName: aws.String("Rate"), Value: aws.String("7")},
	}}); err != nil {
		t.Fatal(err)
	}
	records, _ = env.Client.ListDataTablePrimaryValues(ctx, &connect.ListDataTablePrimaryValuesInput{InstanceId: in, DataTableId: table})
	if len(records.PrimaryValuesList) != 2 || len(records.PrimaryValuesList[0].PrimaryValues) != 2 || *records.PrimaryValuesList[0].PrimaryValues[1].Value != "" {
		t.Errorf("records with Region: %+v", records.PrimaryValuesList)
	}
	half, err := env.Client.BatchCreateDataTableValue(ctx, &connect.BatchCreateDataTableValueInput{InstanceId: in, DataTableId: table, Values: []types.DataTableValue{dtValue("uk", "Rate", "1")}})
	if err != nil || len(half.Failed) != 1 {
		t.Fatalf("a value naming one of two primary attributes: %+v, %v", half, err)
	}
	ctContains(t, *half.Failed[0].Message, "1 of the table's 2 primary attributes")
	_, err = env.Raw.DeleteDataTableAttribute(ctx, &connect.DeleteDataTableAttributeInput{InstanceId: in, DataTableId: table, AttributeName: aws.String("Region")})
	ctContains(t, sbtest.APIError(t, err, "ConflictException", 409), "same primary values")

	_, err = env.Raw.BatchCreateDataTableValue(ctx, &connect.BatchCreateDataTableValueInput{InstanceId: in, DataTableId: table, Values: []types.DataTableValue{}})
	sbtest.APIError(t, err, "InvalidParameterException", 400)
	_, err = env.Raw.BatchCreateDataTableValue(ctx, &connect.BatchCreateDataTableValueInput{InstanceId: in, DataTableId: aws.String("nope"), Values: []types.DataTableValue{dtValue("", "Rate", "1")}})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}

// TestDataTableLocking: at the VALUE level a change must present the
// value's current lock version; each change moves it.
func TestDataTableLocking(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	table := aws.String(rateTable(t, env, iid, types.DataTableLockLevelValue))
	created, err := env.Client.BatchCreateDataTableValue(ctx, &connect.BatchCreateDataTableValueInput{InstanceId: in, DataTableId: table,
		Values: []types.DataTableValue{dtValue("uk", "Rate", "10")}})
	if err != nil || len(created.Successful) != 1 {
		t.Fatalf("create: %+v, %v", created, err)
	}
	first := created.Successful[0].LockVersion.Value
	update := func(lock *types.DataTableLockVersion, value string) *connect.BatchUpdateDataTableValueOutput {
		t.Helper()
		v := dtValue("uk", "Rate", value)
		v.LockVersion = lock
		out, err := env.Client.BatchUpdateDataTableValue(ctx, &connect.BatchUpdateDataTableValueInput{InstanceId: in, DataTableId: table, Values: []types.DataTableValue{v}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if out := update(nil, "11"); len(out.Failed) != 1 || !strings.Contains(*out.Failed[0].Message, "LockVersion.Value is required") {
		t.Errorf("no lock version: %+v", out)
	}
	ok := update(&types.DataTableLockVersion{Value: first}, "11")
	if len(ok.Successful) != 1 || *ok.Successful[0].LockVersion.Value == *first {
		t.Fatalf("with the current lock version: %+v", ok)
	}
	if out := update(&types.DataTableLockVersion{Value: first}, "12"); len(out.Failed) != 1 || !strings.Contains(*out.Failed[0].Message, "not the current one") {
		t.Errorf("a stale lock version: %+v", out)
	}
	desc, _ := env.Client.BatchDescribeDataTableValue(ctx, &connect.BatchDescribeDataTableValueInput{InstanceId: in, DataTableId: table,
		Values: []types.DataTableValueIdentifier{{PrimaryValues: pv("uk"), AttributeName: aws.String("Rate")}}})
	if *desc.Successful[0].Value != "11" || *desc.Successful[0].LockVersion.Value != *ok.Successful[0].LockVersion.Value {
		t.Errorf("described: %+v", desc.Successful[0])
	}

	// A record's primary values are versioned by the record at this level.
	_, err = env.Raw.UpdateDataTablePrimaryValues(ctx, &connect.UpdateDataTablePrimaryValuesInput{InstanceId: in, DataTableId: table,
		PrimaryValues: pv("uk"), NewPrimaryValues: pv("gb"), LockVersion: &types.DataTableLockVersion{}})
	ctContains(t, sbtest.APIError(t, err, "ConflictException", 409), "LockVersion.PrimaryValues")
	moved, err := env.Client.UpdateDataTablePrimaryValues(ctx, &connect.UpdateDataTablePrimaryValuesInput{InstanceId: in, DataTableId: table,
		PrimaryValues: pv("uk"), NewPrimaryValues: pv("gb"), LockVersion: &types.DataTableLockVersion{PrimaryValues: desc.Successful[0].LockVersion.PrimaryValues}})
	if err != nil || aws.ToString(moved.LockVersion.PrimaryValues) == aws.ToString(desc.Successful[0].LockVersion.PrimaryValues) {
		t.Fatalf("UpdateDataTablePrimaryValues = %+v, %v", moved, err)
	}

	// Deleting at the VALUE level needs the value's version too.
	del, err := env.Client.BatchDeleteDataTableValue(ctx, &connect.BatchDeleteDataTableValueInput{InstanceId: in, DataTableId: table,
		Values: []types.DataTableDeleteValueIdentifier{{PrimaryValues: pv("gb"), AttributeName: aws.String("Rate"), LockVersion: &types.DataTableLockVersion{Value: first}}}})
	if err != nil || len(del.Failed) != 1 {
		t.Fatalf("a stale delete: %+v, %v", del, err)
	}
	del, err = env.Client.BatchDeleteDataTableValue(ctx, &connect.BatchDeleteDataTableValueInput{InstanceId: in, DataTableId: table,
		Values: []types.DataTableDeleteValueIdentifier{{PrimaryValues: pv("gb"), AttributeName: aws.String("Rate"), LockVersion: ok.Successful[0].LockVersion}}})
	if err != nil || len(del.Successful) != 1 {
		t.Fatalf("delete: %+v, %v", del, err)
	}
}

// TestDataTablePrimaryConversion: making an attribute primary turns each
// record's value of it into its primary value; undoing it turns them
// back. Renaming an attribute keeps its values. The records quota holds.
func TestDataTablePrimaryConversion(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{DataTableRecords: 3})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	table := aws.String(rateTable(t, env, iid, types.DataTableLockLevelNone))
	out, err := env.Client.BatchCreateDataTableValue(ctx, &connect.BatchCreateDataTableValueInput{InstanceId: in, DataTableId: table, Values: []types.DataTableValue{
		dtValue("uk", "Rate", "10"), dtValue("uk", "Open", "true"), dtValue("us", "Rate", "20"), dtValue("us", "Open", "false"),
		dtValue("", "Rate", "5"), dtValue("fr", "Rate", "30"),
	}})
	if err != nil || len(out.Successful) != 5 || len(out.Failed) != 1 {
		t.Fatalf("create: %+v, %v", out, err)
	}
	ctContains(t, *out.Failed[0].Message, "--quota data-table-records")

	setPrimary := func(name string, primary bool, vt types.DataTableAttributeValueType) error {
		_, err := env.Raw.UpdateDataTableAttribute(ctx, &connect.UpdateDataTableAttributeInput{InstanceId: in, DataTableId: table,
			AttributeName: aws.String(name), Name: aws.String(name), ValueType: vt, Primary: primary})
		return err
	}
	// The default record's Rate stands in the way of Rate becoming primary.
	ctContains(t, sbtest.APIError(t, setPrimary("Rate", true, types.DataTableAttributeValueTypeNumber), "ConflictException", 409), "default record")
	if err := setPrimary("Open", true, types.DataTableAttributeValueTypeBoolean); err != nil {
		t.Fatal(err)
	}
	recs, err := env.Client.ListDataTablePrimaryValues(ctx, &connect.ListDataTablePrimaryValuesInput{InstanceId: in, DataTableId: table,
		PrimaryAttributeValues: []types.PrimaryAttributeValueFilter{{AttributeName: aws.String("Open"), Values: []string{"true"}}}})
	if err != nil || len(recs.PrimaryValuesList) != 1 || *recs.PrimaryValuesList[0].PrimaryValues[0].Value != "uk" {
		t.Fatalf("records with Open primary: %+v, %v", recs, err)
	}
	if err := setPrimary("Open", false, types.DataTableAttributeValueTypeBoolean); err != nil {
		t.Fatal(err)
	}
	desc, err := env.Client.BatchDescribeDataTableValue(ctx, &connect.BatchDescribeDataTableValueInput{InstanceId: in, DataTableId: table,
		Values: []types.DataTableValueIdentifier{{PrimaryValues: pv("us"), AttributeName: aws.String("Open")}}})
	if err != nil || len(desc.Successful) != 1 || *desc.Successful[0].Value != "false" {
		t.Fatalf("Open back as a value: %+v, %v", desc, err)
	}
	// Without its only primary attribute, two records would be one.
	ctContains(t, sbtest.APIError(t, setPrimary("Code", false, types.DataTableAttributeValueTypeText), "ConflictException", 409), "same primary values")

	if _, err := env.Client.UpdateDataTableAttribute(ctx, &connect.UpdateDataTableAttributeInput{InstanceId: in, DataTableId: table,
		AttributeName: aws.String("Rate"), Name: aws.String("Price"), ValueType: types.DataTableAttributeValueTypeNumber}); err != nil {
		t.Fatal(err)
	}
	ev, err := env.Client.EvaluateDataTableValues(ctx, &connect.EvaluateDataTableValuesInput{InstanceId: in, DataTableId: table,
		Values: []types.DataTableValueEvaluationSet{{PrimaryValues: pv("uk"), AttributeNames: []string{"Price"}}}})
	if err != nil || len(ev.Values) != 1 || aws.ToString(ev.Values[0].EvaluatedValue) != "10" {
		t.Fatalf("the renamed attribute's value: %+v, %v", ev, err)
	}
}
