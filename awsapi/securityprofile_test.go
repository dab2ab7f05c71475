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

// The helpers below are shared by the configuration-resource tests
// (hours, queues, flows, email addresses, phone numbers, task templates,
// quick connects); they are prefixed "res" to stay out of other tests' way.

// resEnv starts a server with one instance.
func resEnv(t *testing.T, quotas ...domain.Quotas) (*sbtest.Env, string) {
	t.Helper()
	var opts sbtest.Options
	if len(quotas) > 0 {
		opts.Quotas = quotas[0]
	}
	env := sbtest.New(t, opts)
	return env, env.Instance(t)
}

// resFlowContent is a minimal valid flow of any type.
const resFlowContent = `{"Version":"2019-10-30","StartAction":"end","Metadata":{},"Actions":[{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`

// resHours creates hours of operation open all week.
func resHours(t *testing.T, env *sbtest.Env, iid, name string) string {
	t.Helper()
	out, err := env.Client.CreateHoursOfOperation(sbtest.Ctx(t), &connect.CreateHoursOfOperationInput{
		InstanceId: aws.String(iid), Name: aws.String(name), TimeZone: aws.String("Europe/London"),
		Config: []types.HoursOfOperationConfig{{Day: types.HoursOfOperationDaysMonday,
			StartTime: &types.HoursOfOperationTimeSlice{Hours: aws.Int32(9), Minutes: aws.Int32(0)},
			EndTime:   &types.HoursOfOperationTimeSlice{Hours: aws.Int32(17), Minutes: aws.Int32(30)}}},
	})
	if err != nil {
		t.Fatalf("CreateHoursOfOperation: %v", err)
	}
	return *out.HoursOfOperationId
}

// resQueue creates a queue on the given hours.
func resQueue(t *testing.T, env *sbtest.Env, iid, name, hoursID string) string {
	t.Helper()
	out, err := env.Client.CreateQueue(sbtest.Ctx(t), &connect.CreateQueueInput{
		InstanceId: aws.String(iid), Name: aws.String(name), HoursOfOperationId: aws.String(hoursID)})
	if err != nil {
		t.Fatalf("CreateQueue: %v", err)
	}
	return *out.QueueId
}

// resFlow creates a published flow of a type.
func resFlow(t *testing.T, env *sbtest.Env, iid, name string, typ types.ContactFlowType) string {
	t.Helper()
	out, err := env.Client.CreateContactFlow(sbtest.Ctx(t), &connect.CreateContactFlowInput{
		InstanceId: aws.String(iid), Name: aws.String(name), Type: typ, Content: aws.String(resFlowContent)})
	if err != nil {
		t.Fatalf("CreateContactFlow: %v", err)
	}
	return *out.ContactFlowId
}

// resByName finds the ID of a named item in a listing.
func resByName[T any](t *testing.T, items []T, name func(T) string, id func(T) string, want string) string {
	t.Helper()
	for _, it := range items {
		if name(it) == want {
			return id(it)
		}
	}
	t.Fatalf("%q not listed", want)
	return ""
}

// resDefaultFlow returns the ID of a default flow of a type.
func resDefaultFlow(t *testing.T, env *sbtest.Env, iid string, typ types.ContactFlowType) string {
	t.Helper()
	out, err := env.Client.ListContactFlows(sbtest.Ctx(t), &connect.ListContactFlowsInput{InstanceId: aws.String(iid), ContactFlowTypes: []types.ContactFlowType{typ}})
	if err != nil || len(out.ContactFlowSummaryList) == 0 {
		t.Fatalf("ListContactFlows %s: %v (%d)", typ, err, len(out.ContactFlowSummaryList))
	}
	return *out.ContactFlowSummaryList[0].Id
}

// resBasic returns the IDs of the provisioned Basic Hours and BasicQueue.
func resBasic(t *testing.T, env *sbtest.Env, iid string) (hoursID, queueID string) {
	t.Helper()
	h, err := env.Client.ListHoursOfOperations(sbtest.Ctx(t), &connect.ListHoursOfOperationsInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	q, err := env.Client.ListQueues(sbtest.Ctx(t), &connect.ListQueuesInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	hoursID = resByName(t, h.HoursOfOperationSummaryList, func(s types.HoursOfOperationSummary) string { return *s.Name },
		func(s types.HoursOfOperationSummary) string { return *s.Id }, domain.DefaultHoursName)
	queueID = resByName(t, q.QueueSummaryList, func(s types.QueueSummary) string { return aws.ToString(s.Name) },
		func(s types.QueueSummary) string { return *s.Id }, domain.DefaultQueueName)
	return hoursID, queueID
}

func TestSecurityProfilesProvisioned(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	out, err := env.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, p := range out.SecurityProfileSummaryList {
		names[*p.Name] = *p.Id
		if !strings.Contains(*p.Arn, ":instance/"+iid+"/security-profile/"+*p.Id) {
			t.Errorf("ARN %s is not a security-profile ARN of the instance", *p.Arn)
		}
		if aws.ToString(p.LastModifiedRegion) != sbtest.Region || p.LastModifiedTime == nil {
			t.Errorf("summary %s lacks LastModified fields", *p.Name)
		}
	}
	for _, want := range []string{"Admin", "Agent"} {
		id, ok := names[want]
		if !ok {
			t.Fatalf("security profile %s not provisioned; have %v", want, names)
		}
		d, err := env.Client.DescribeSecurityProfile(ctx, &connect.DescribeSecurityProfileInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if *d.SecurityProfile.SecurityProfileName != want || *d.SecurityProfile.OrganizationResourceId != iid {
			t.Errorf("DescribeSecurityProfile %s = %+v", want, d.SecurityProfile)
		}
	}

	// Pagination: one per page, every profile once.
	seen := map[string]bool{}
	p := connect.NewListSecurityProfilesPaginator(env.Client, &connect.ListSecurityProfilesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(1)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(page.SecurityProfileSummaryList) > 1 {
			t.Fatalf("page of %d with MaxResults 1", len(page.SecurityProfileSummaryList))
		}
		for _, s := range page.SecurityProfileSummaryList {
			seen[*s.Id] = true
		}
	}
	if len(seen) != len(names) || pages < len(names) {
		t.Errorf("paged %d profiles in %d pages; want %d", len(seen), pages, len(names))
	}
}

func TestSecurityProfileErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"unknown profile", func() error {
			_, err := env.Client.DescribeSecurityProfile(ctx, &connect.DescribeSecurityProfileInput{InstanceId: aws.String(iid), SecurityProfileId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", http.StatusNotFound},
		{"unknown instance", func() error {
			_, err := env.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", http.StatusNotFound},
		{"MaxResults over 1000", func() error {
			_, err := env.Raw.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(1001)})
			return err
		}, "InvalidParameterException", http.StatusBadRequest},
		{"bad token", func() error {
			_, err := env.Client.ListSecurityProfiles(ctx, &connect.ListSecurityProfilesInput{InstanceId: aws.String(iid), NextToken: aws.String("garbage!")})
			return err
		}, "InvalidParameterException", http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}
}
