package awsapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// FuzzOperations sends every operation of the route table signed requests
// with fuzzed bodies and query strings, its path naming resources that
// exist (an instance with its defaults, a user, a task), so that inputs
// get past authentication and routing into the handlers and the domain.
// Every answer must be a 2xx or a 4xx that names its exception; never a
// 5xx, a panic or a hang.
//
//	go test -run XXX -fuzz FuzzOperations -fuzztime 120s ./awsapi
func FuzzOperations(f *testing.F) {
	e := sbtest.New(f)
	// Not sbtest.Ctx: a fuzzing run outlasts its 30 s. The client's
	// timeout is what catches a hang.
	ctx := context.Background()
	ids := fuzzResources(f, e)
	// DeleteInstance would leave every later input a 404; the instance
	// operations have their own tests.
	var routes []connectwire.Route
	for _, r := range connectwire.Routes {
		if r.Operation != "DeleteInstance" {
			routes = append(routes, r)
		}
	}
	label := regexp.MustCompile(`\{(\w+)\+?\}`)
	pathOf := func(r connectwire.Route) string {
		return label.ReplaceAllStringFunc(r.Path, func(m string) string {
			if id, ok := ids[strings.Trim(m, "{}+")]; ok {
				return id
			}
			return "x"
		})
	}
	client := &http.Client{Timeout: 20 * time.Second}
	creds := aws.Credentials{AccessKeyID: sbtest.AccessKeyID, SecretAccessKey: sbtest.SecretAccessKey}
	signer := v4.NewSigner()

	for i := range routes {
		f.Add(uint16(i), "", []byte(`{}`))
	}
	for i, r := range routes {
		switch r.Operation {
		case "StartTaskContact":
			f.Add(uint16(i), "", []byte(`{"InstanceId":"`+ids["InstanceId"]+`","ContactFlowId":"`+ids["ContactFlowId"]+`","Name":"n","Attributes":{"a":"b"},"References":{"r":{"Type":"URL","Value":"https://e.x"}}}`))
		case "StartChatContact":
			f.Add(uint16(i), "", []byte(`{"InstanceId":"`+ids["InstanceId"]+`","ContactFlowId":"`+ids["ContactFlowId"]+`","ParticipantDetails":{"DisplayName":"d"},"ChatDurationInMinutes":60}`))
		case "UpdateContactRoutingData":
			f.Add(uint16(i), "", []byte(`{"QueuePriority":1,"RoutingCriteria":{"Steps":[{"Expression":{"AttributeCondition":{"Name":"Technology","Value":"Go","ProficiencyLevel":3,"ComparisonOperator":"NumberGreaterOrEqualTo"}},"Expiry":{"DurationInSeconds":30}}]}}`))
		case "SearchContacts":
			f.Add(uint16(i), "", []byte(`{"InstanceId":"`+ids["InstanceId"]+`","TimeRange":{"Type":"INITIATION_TIMESTAMP","StartTime":0,"EndTime":4102444800},"SearchCriteria":{"Channels":["TASK"]},"MaxResults":2}`))
		case "ListQueues":
			f.Add(uint16(i), "maxResults=1&nextToken=%ff", []byte(nil))
		case "CreateView", "UpdateViewContent":
			f.Add(uint16(i), "", []byte(`{"Name":"v","Status":"PUBLISHED","Content":{"Template":"{\"Head\":{\"Title\":\"$.T\"},\"Body\":[{\"Type\":\"Card\",\"Content\":[{\"Type\":\"Button\",\"Props\":{\"Action\":\"Go\"}}]}]}","Actions":["Go"]}}`))
		case "CreateRule":
			f.Add(uint16(i), "", []byte(`{"Name":"r","TriggerEventSource":{"EventSourceName":"OnMetricDataUpdate"},"Function":"f","PublishStatus":"DRAFT","Actions":[{"ActionType":"CREATE_TASK","TaskAction":{"Name":"t","ContactFlowId":"`+ids["ContactFlowId"]+`"}}]}`))
		case "MonitorContact":
			f.Add(uint16(i), "", []byte(`{"InstanceId":"`+ids["InstanceId"]+`","ContactId":"`+ids["ContactId"]+`","UserId":"`+ids["UserId"]+`","AllowedMonitorCapabilities":["BARGE"]}`))
		case "UpdateAttachedFilesConfiguration":
			f.Add(uint16(i), "", []byte(`{"MaximumSizeLimitInBytes":5,"ExtensionConfiguration":{"AllowedExtensions":[{"Extension":"pdf"}]}}`))
		case "CreateEvaluationForm", "UpdateEvaluationForm":
			f.Add(uint16(i), "", []byte(`{"Title":"t","EvaluationFormVersion":1,"Items":[{"Section":{"RefId":"s","Title":"S","Items":[{"Question":{"RefId":"q","Title":"Q","QuestionType":"NUMERIC","Weight":100,"QuestionTypeProperties":{"Numeric":{"MinValue":0,"MaxValue":9,"Options":[{"MinValue":0,"MaxValue":4},{"MinValue":5,"MaxValue":9}]}}}}]}}],"ScoringStrategy":{"Mode":"QUESTION_ONLY","Status":"ENABLED"}}`))
		case "UpdateContactEvaluation", "SubmitContactEvaluation":
			f.Add(uint16(i), "", []byte(`{"Answers":{"q":{"Value":{"NumericValue":3}},"r":{}},"Notes":{"s":{"Value":"n"}}}`))
		case "BatchCreateDataTableValue", "BatchUpdateDataTableValue":
			f.Add(uint16(i), "", []byte(`{"Values":[{"PrimaryValues":[{"AttributeName":"Key","Value":"k"}],"AttributeName":"Amount","Value":"[1, 2.5]","LockVersion":{"Value":"1"}},{"AttributeName":"Amount","Value":"[]"}]}`))
		case "EvaluateDataTableValues":
			f.Add(uint16(i), "maxResults=1", []byte(`{"Values":[{"PrimaryValues":[{"AttributeName":"Key","Value":"k"}],"AttributeNames":["Amount","Key","x"]}],"TimeZone":"Europe/Paris"}`))
		case "UpdateDataTableAttribute":
			f.Add(uint16(i), "", []byte(`{"Name":"Key","ValueType":"TEXT","Primary":false,"Validation":{"Enum":{"Strict":true,"Values":["a"]},"MinLength":1}}`))
		case "CreateWorkspace", "UpdateWorkspaceTheme":
			f.Add(uint16(i), "", []byte(`{"Name":"w","Theme":{"Light":{"Palette":{"Header":{"Background":"#fff","InvertActionsColors":true}},"Typography":{"FontFamily":{"Default":"Arial"}}}}}`))
		case "AssociateWorkspace", "DisassociateWorkspace":
			f.Add(uint16(i), "", []byte(`{"ResourceArns":["arn:aws:connect:us-east-1:000000000000:instance/`+ids["InstanceId"]+`/agent/`+ids["UserId"]+`","x"]}`))
		case "CreatePushNotificationRegistration":
			f.Add(uint16(i), "", []byte(`{"PinpointAppArn":"arn:aws:mobiletargeting:us-east-1:123456789012:apps/a1","DeviceToken":"d","DeviceType":"APNS","ContactConfiguration":{"ContactId":"`+ids["ContactId"]+`","ParticipantRole":"CUSTOMER","IncludeRawMessage":true}}`))
		case "DeletePushNotificationRegistration":
			f.Add(uint16(i), "contactId="+ids["ContactId"], []byte(nil))
		case "SearchViews":
			f.Add(uint16(i), "", []byte(`{"InstanceId":"`+ids["InstanceId"]+`","SearchCriteria":{"OrConditions":[{"ViewTypeCondition":"AWS_MANAGED"},{"StringCondition":{"FieldName":"name","Value":"f","ComparisonType":"STARTS_WITH"}}]}}`))
		}
	}
	f.Fuzz(func(t *testing.T, op uint16, query string, body []byte) {
		r := routes[int(op)%len(routes)]
		target := e.URL + pathOf(r)
		if query != "" {
			target += "?" + query
		}
		req, err := http.NewRequestWithContext(ctx, r.Method, target, bytes.NewReader(body))
		if err != nil || strings.ContainsFunc(req.URL.RequestURI(), func(c rune) bool { return c <= ' ' || c == 0x7f }) {
			return // not a request HTTP can carry (see participantapi's FuzzRequests)
		}
		req.Header.Set("Content-Type", "application/json")
		sum := sha256.Sum256(body)
		if err := signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "connect", sbtest.Region, time.Now()); err != nil {
			t.Fatal(err)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", r.Operation, target, err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s %q: %d %s", r.Operation, target, body, res.StatusCode, out)
		}
		if res.StatusCode >= 400 && res.Header.Get("X-Amzn-ErrorType") == "" {
			t.Fatalf("%s: %d without X-Amzn-ErrorType: %s", r.Operation, res.StatusCode, out)
		}
	})
}

// fuzzResources makes an instance, a user and a task in e and returns the
// IDs that route labels name ({InstanceId}, {QueueId}, …).
func fuzzResources(t testing.TB, e *sbtest.Env) map[string]string {
	ctx := sbtest.Ctx(t)
	iid := e.Instance(t)
	in := aws.String(iid)
	ids := map[string]string{"InstanceId": iid}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	flows, err := e.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: in, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	must(err)
	ids["ContactFlowId"] = *flows.ContactFlowSummaryList[0].Id
	queues, err := e.Client.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: in, QueueTypes: []types.QueueType{types.QueueTypeStandard}})
	must(err)
	ids["QueueId"] = *queues.QueueSummaryList[0].Id
	profiles, err := e.Client.ListRoutingProfiles(ctx, &connect.ListRoutingProfilesInput{InstanceId: in})
	must(err)
	ids["RoutingProfileId"] = *profiles.RoutingProfileSummaryList[0].Id
	hours, err := e.Client.ListHoursOfOperations(ctx, &connect.ListHoursOfOperationsInput{InstanceId: in})
	must(err)
	ids["HoursOfOperationId"] = *hours.HoursOfOperationSummaryList[0].Id
	sps, err := e.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: in})
	must(err)
	ids["SecurityProfileId"] = *sps.SecurityProfileSummaryList[0].Id
	statuses, err := e.Client.ListAgentStatuses(ctx, &connect.ListAgentStatusesInput{InstanceId: in})
	must(err)
	ids["AgentStatusId"] = *statuses.AgentStatusSummaryList[0].Id
	user, err := e.Client.CreateUser(ctx, &connect.CreateUserInput{InstanceId: in, Username: aws.String("fuzz"), Password: aws.String("Fuzz-1234-pass"),
		IdentityInfo: &types.UserIdentityInfo{FirstName: aws.String("F"), LastName: aws.String("Z")},
		PhoneConfig:  &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone}, RoutingProfileId: aws.String(ids["RoutingProfileId"]),
		SecurityProfileIds: []string{ids["SecurityProfileId"]}})
	must(err)
	ids["UserId"] = *user.UserId
	task, err := e.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: in, ContactFlowId: aws.String(ids["ContactFlowId"]), Name: aws.String("fuzz")})
	must(err)
	ids["ContactId"], ids["InitialContactId"] = *task.ContactId, *task.ContactId
	q, err := e.Client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: in, QueueId: aws.String(ids["QueueId"])})
	must(err)
	ids["resourceArn"] = url.PathEscape(*q.Queue.QueueArn) // the tagging operations'
	ids["AttributeType"] = string(types.InstanceAttributeTypeContactLens)
	module, err := e.Client.CreateContactFlowModule(ctx, &connect.CreateContactFlowModuleInput{InstanceId: in, Name: aws.String("fuzz"),
		Content: aws.String(`{"Version":"2019-10-30","StartAction":"r","Actions":[{"Identifier":"r","Type":"EndFlowModuleExecution","Parameters":{},"Transitions":{}}]}`)})
	must(err)
	ids["ContactFlowModuleId"] = *module.Id
	_, err = e.Client.UpdateUserHierarchyStructure(ctx, &connect.UpdateUserHierarchyStructureInput{InstanceId: in,
		HierarchyStructure: &types.HierarchyStructureUpdate{LevelOne: &types.HierarchyLevelUpdate{Name: aws.String("Region")}}})
	must(err)
	group, err := e.Client.CreateUserHierarchyGroup(ctx, &connect.CreateUserHierarchyGroupInput{InstanceId: in, Name: aws.String("fuzz")})
	must(err)
	ids["HierarchyGroupId"] = *group.HierarchyGroupId
	override, err := e.Client.CreateHoursOfOperationOverride(ctx, &connect.CreateHoursOfOperationOverrideInput{InstanceId: in,
		HoursOfOperationId: aws.String(ids["HoursOfOperationId"]), Name: aws.String("fuzz"), EffectiveFrom: aws.String("2026-01-01"),
		EffectiveTill: aws.String("2026-12-31"), Config: []types.HoursOfOperationOverrideConfig{{Day: types.OverrideDaysMonday,
			StartTime: &types.OverrideTimeSlice{Hours: aws.Int32(9), Minutes: aws.Int32(0)}, EndTime: &types.OverrideTimeSlice{Hours: aws.Int32(12), Minutes: aws.Int32(0)}}}})
	must(err)
	ids["HoursOfOperationOverrideId"] = *override.HoursOfOperationOverrideId
	prompt, err := e.Client.CreatePrompt(ctx, &connect.CreatePromptInput{InstanceId: in, Name: aws.String("fuzz"), S3Uri: aws.String("s3://b/k.wav")})
	must(err)
	ids["PromptId"] = *prompt.PromptId
	assoc, err := e.Client.CreateIntegrationAssociation(ctx, &connect.CreateIntegrationAssociationInput{InstanceId: in,
		IntegrationType: types.IntegrationTypeCasesDomain, IntegrationArn: aws.String("arn:aws:cases:us-east-1:123456789012:domain/fuzz")})
	must(err)
	ids["IntegrationAssociationId"] = *assoc.IntegrationAssociationId
	uc, err := e.Client.CreateUseCase(ctx, &connect.CreateUseCaseInput{InstanceId: in, IntegrationAssociationId: assoc.IntegrationAssociationId,
		UseCaseType: types.UseCaseTypeRulesEvaluation})
	must(err)
	ids["UseCaseId"] = *uc.UseCaseId
	view, err := e.Client.CreateView(ctx, &connect.CreateViewInput{InstanceId: in, Name: aws.String("fuzz"), Status: types.ViewStatusPublished,
		Content: &types.ViewInputContent{Template: aws.String(`{"Body":[{"Type":"Button","Props":{"Action":"Go"}}]}`), Actions: []string{"Go"}}})
	must(err)
	ids["ViewId"], ids["ViewVersion"] = *view.View.Id, "1"
	table, err := e.Client.CreateDataTable(ctx, &connect.CreateDataTableInput{InstanceId: in, Name: aws.String("fuzz"), TimeZone: aws.String("UTC"),
		ValueLockLevel: types.DataTableLockLevelValue, Status: types.DataTableStatusPublished})
	must(err)
	for _, a := range []*connect.CreateDataTableAttributeInput{
		{InstanceId: in, DataTableId: table.Id, Name: aws.String("Key"), ValueType: types.DataTableAttributeValueTypeText, Primary: true},
		{InstanceId: in, DataTableId: table.Id, Name: aws.String("Amount"), ValueType: types.DataTableAttributeValueTypeNumberList,
			Validation: &types.Validation{MaxValues: 3, Minimum: -5, MultipleOf: 0.5}},
	} {
		_, err = e.Client.CreateDataTableAttribute(ctx, a)
		must(err)
	}
	ids["DataTableId"], ids["AttributeName"] = *table.Id, "Amount"
	ws, err := e.Client.CreateWorkspace(ctx, &connect.CreateWorkspaceInput{InstanceId: in, Name: aws.String("fuzz")})
	must(err)
	_, err = e.Client.CreateWorkspacePage(ctx, &connect.CreateWorkspacePageInput{InstanceId: in, WorkspaceId: ws.WorkspaceId, Page: aws.String("HOME"),
		ResourceArn: view.View.Arn, InputData: aws.String(`{"a":1}`)})
	must(err)
	ids["WorkspaceId"], ids["Page"] = *ws.WorkspaceId, "HOME"
	ids["AttachmentScope"] = "CHAT"
	return ids
}
