package awsapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// Hours inherit overrides from up to three parents, set and unset after
// creation; ListChildHoursOfOperations shows the children.
func TestHoursParents(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	holidays, child := resHours(t, env, iid, "Holidays"), resHours(t, env, iid, "Support")
	others := []string{resHours(t, env, iid, "A"), resHours(t, env, iid, "B"), resHours(t, env, iid, "C")}
	parents := func(ids ...string) []types.ParentHoursOfOperationConfig {
		var out []types.ParentHoursOfOperationConfig
		for _, id := range ids {
			out = append(out, types.ParentHoursOfOperationConfig{HoursOfOperationId: aws.String(id)})
		}
		return out
	}
	if _, err := env.Client.AssociateHoursOfOperations(ctx, &connect.AssociateHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(child),
		ParentHoursOfOperationConfigs: parents(holidays)}); err != nil {
		t.Fatal(err)
	}
	// The parent's override reaches the child.
	if _, err := env.Client.CreateHoursOfOperationOverride(ctx, &connect.CreateHoursOfOperationOverrideInput{InstanceId: in, HoursOfOperationId: aws.String(holidays),
		Name: aws.String("Closed"), EffectiveFrom: aws.String("2026-05-04"), EffectiveTill: aws.String("2026-05-04"), OverrideType: types.OverrideTypeClosed,
		Config: []types.HoursOfOperationOverrideConfig{{Day: types.OverrideDaysMonday, StartTime: ots(0, 0), EndTime: ots(0, 0)}}}); err != nil {
		t.Fatal(err)
	}
	eff, err := env.Client.GetEffectiveHoursOfOperations(ctx, &connect.GetEffectiveHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(child),
		FromDate: aws.String("2026-05-04"), ToDate: aws.String("2026-05-04")})
	if err != nil || len(eff.EffectiveHoursOfOperationList[0].OperationalHours) != 0 {
		t.Errorf("the child on the parent's holiday: %+v, %v", eff, err)
	}
	kids, err := env.Client.ListChildHoursOfOperations(ctx, &connect.ListChildHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(holidays)})
	if err != nil || len(kids.ChildHoursOfOperationsSummaryList) != 1 || *kids.ChildHoursOfOperationsSummaryList[0].Id != child ||
		*kids.ChildHoursOfOperationsSummaryList[0].Name != "Support" {
		t.Errorf("children: %+v, %v", kids, err)
	}
	d, _ := env.Client.DescribeHoursOfOperation(ctx, &connect.DescribeHoursOfOperationInput{InstanceId: in, HoursOfOperationId: aws.String(child)})
	if len(d.HoursOfOperation.ParentHoursOfOperations) != 1 {
		t.Errorf("Describe shows parents %+v", d.HoursOfOperation.ParentHoursOfOperations)
	}

	// Three parents at most; no two hours each other's parent; not itself.
	_, err = env.Raw.AssociateHoursOfOperations(ctx, &connect.AssociateHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(child),
		ParentHoursOfOperationConfigs: parents(others...)})
	sbtest.APIError(t, err, "ServiceQuotaExceededException", http.StatusPaymentRequired)
	_, err = env.Raw.AssociateHoursOfOperations(ctx, &connect.AssociateHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(holidays),
		ParentHoursOfOperationConfigs: parents(child)})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
	_, err = env.Raw.AssociateHoursOfOperations(ctx, &connect.AssociateHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(child),
		ParentHoursOfOperationConfigs: parents(child)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.AssociateHoursOfOperations(ctx, &connect.AssociateHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(child),
		ParentHoursOfOperationConfigs: parents("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	if _, err := env.Client.DisassociateHoursOfOperations(ctx, &connect.DisassociateHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(child),
		ParentHoursOfOperationIds: []string{holidays}}); err != nil {
		t.Fatal(err)
	}
	kids, _ = env.Client.ListChildHoursOfOperations(ctx, &connect.ListChildHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(holidays)})
	if len(kids.ChildHoursOfOperationsSummaryList) != 0 {
		t.Errorf("children after disassociating: %+v", kids.ChildHoursOfOperationsSummaryList)
	}
}

func TestListPhoneNumbers(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	for _, n := range []string{"+12065550100", "+18005550100", "+442079460000"} {
		if _, err := env.Client.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := env.Client.ListPhoneNumbers(ctx, &connect.ListPhoneNumbersInput{InstanceId: aws.String(iid), PhoneNumberCountryCodes: []types.PhoneNumberCountryCode{types.PhoneNumberCountryCodeUs}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.PhoneNumberSummaryList) != 2 || !strings.Contains(*out.PhoneNumberSummaryList[0].Arn, ":instance/"+iid+"/phone-number/") {
		t.Errorf("US numbers %+v", out.PhoneNumberSummaryList)
	}
	tollFree, err := env.Client.ListPhoneNumbers(ctx, &connect.ListPhoneNumbersInput{InstanceId: aws.String(iid), PhoneNumberTypes: []types.PhoneNumberType{types.PhoneNumberTypeTollFree}})
	if err != nil || len(tollFree.PhoneNumberSummaryList) != 1 || *tollFree.PhoneNumberSummaryList[0].PhoneNumber != "+18005550100" {
		t.Errorf("toll-free numbers %+v, %v", tollFree, err)
	}
	_, err = env.Raw.ListPhoneNumbers(ctx, &connect.ListPhoneNumbersInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}
