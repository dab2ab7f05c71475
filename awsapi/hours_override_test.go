package awsapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func ots(h, m int32) *types.OverrideTimeSlice {
	return &types.OverrideTimeSlice{Hours: aws.Int32(h), Minutes: aws.Int32(m)}
}

// An override's life, and the effective hours it makes: resHours is open
// Mondays 09:00–17:30 in London.
func TestHoursOverrides(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	hours := resHours(t, env, iid, "Support")

	// A bank holiday Monday, closed all day, and a late opening a week on.
	holiday, err := env.Client.CreateHoursOfOperationOverride(ctx, &connect.CreateHoursOfOperationOverrideInput{InstanceId: in, HoursOfOperationId: aws.String(hours),
		Name: aws.String("Bank holiday"), Description: aws.String("closed"), EffectiveFrom: aws.String("2026-05-04"), EffectiveTill: aws.String("2026-05-04"),
		OverrideType: types.OverrideTypeClosed,
		Config:       []types.HoursOfOperationOverrideConfig{{Day: types.OverrideDaysMonday, StartTime: ots(0, 0), EndTime: ots(0, 0)}}})
	if err != nil {
		t.Fatal(err)
	}
	late, err := env.Client.CreateHoursOfOperationOverride(ctx, &connect.CreateHoursOfOperationOverrideInput{InstanceId: in, HoursOfOperationId: aws.String(hours),
		Name: aws.String("Late Mondays"), EffectiveFrom: aws.String("2026-05-05"), EffectiveTill: aws.String("2026-05-31"), OverrideType: types.OverrideTypeOpen,
		Config:           []types.HoursOfOperationOverrideConfig{{Day: types.OverrideDaysMonday, StartTime: ots(17, 30), EndTime: ots(20, 0)}},
		RecurrenceConfig: &types.RecurrenceConfig{RecurrencePattern: &types.RecurrencePattern{Frequency: types.RecurrenceFrequencyWeekly, Interval: aws.Int32(1)}}})
	if err != nil {
		t.Fatal(err)
	}

	d, err := env.Client.DescribeHoursOfOperationOverride(ctx, &connect.DescribeHoursOfOperationOverrideInput{InstanceId: in, HoursOfOperationId: aws.String(hours),
		HoursOfOperationOverrideId: late.HoursOfOperationOverrideId})
	if err != nil {
		t.Fatal(err)
	}
	o := d.HoursOfOperationOverride
	if *o.Name != "Late Mondays" || o.OverrideType != types.OverrideTypeOpen || *o.EffectiveTill != "2026-05-31" || *o.HoursOfOperationId != hours ||
		o.RecurrenceConfig == nil || o.RecurrenceConfig.RecurrencePattern.Frequency != types.RecurrenceFrequencyWeekly || len(o.Config) != 1 ||
		*o.Config[0].StartTime.Hours != 17 || *o.Config[0].EndTime.Hours != 20 || !strings.HasSuffix(*o.HoursOfOperationArn, "/operating-hours/"+hours) {
		t.Errorf("Describe = %+v", o)
	}

	eff, err := env.Client.GetEffectiveHoursOfOperations(ctx, &connect.GetEffectiveHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(hours),
		FromDate: aws.String("2026-05-04"), ToDate: aws.String("2026-05-11")})
	if err != nil {
		t.Fatal(err)
	}
	if *eff.TimeZone != "Europe/London" || len(eff.EffectiveHoursOfOperationList) != 8 {
		t.Fatalf("effective hours: %+v", eff)
	}
	hoursOn := func(i int) string {
		var parts []string
		for _, h := range eff.EffectiveHoursOfOperationList[i].OperationalHours {
			parts = append(parts, clock(h.Start)+"-"+clock(h.End))
		}
		return *eff.EffectiveHoursOfOperationList[i].Date + " " + strings.Join(parts, ",")
	}
	for i, want := range map[int]string{0: "2026-05-04 ", 1: "2026-05-05 ", 7: "2026-05-11 09:00-20:00"} {
		if got := hoursOn(i); got != want {
			t.Errorf("day %d: %q, want %q", i, got, want)
		}
	}
	if l := eff.EffectiveOverrideHoursList; len(l) != 2 || *l[0].Date != "2026-05-04" || l[0].OverrideHours[0].OperationalStatus != types.OperationalStatusClosed ||
		*l[1].OverrideHours[0].OverrideName != "Late Mondays" {
		t.Errorf("override hours %+v", l)
	}

	// List, update, search, delete.
	list, err := env.Client.ListHoursOfOperationOverrides(ctx, &connect.ListHoursOfOperationOverridesInput{InstanceId: in, HoursOfOperationId: aws.String(hours)})
	if err != nil || len(list.HoursOfOperationOverrideList) != 2 || list.LastModifiedTime == nil {
		t.Fatalf("list %+v, %v", list, err)
	}
	if _, err := env.Client.UpdateHoursOfOperationOverride(ctx, &connect.UpdateHoursOfOperationOverrideInput{InstanceId: in, HoursOfOperationId: aws.String(hours),
		HoursOfOperationOverrideId: holiday.HoursOfOperationOverrideId, EffectiveTill: aws.String("2026-05-05")}); err != nil {
		t.Fatal(err)
	}
	found, err := env.Client.SearchHoursOfOperationOverrides(ctx, &connect.SearchHoursOfOperationOverridesInput{InstanceId: in,
		SearchCriteria: &types.HoursOfOperationOverrideSearchCriteria{DateCondition: &types.DateCondition{FieldName: aws.String("EffectiveTill"),
			Value: aws.String("2026-05-10"), ComparisonType: types.DateComparisonTypeLessThan}}})
	if err != nil || len(found.HoursOfOperationOverrides) != 1 || *found.HoursOfOperationOverrides[0].Name != "Bank holiday" || *found.ApproximateTotalCount != 1 {
		t.Errorf("search by date: %+v, %v", found, err)
	}
	byName, err := env.Client.SearchHoursOfOperationOverrides(ctx, &connect.SearchHoursOfOperationOverridesInput{InstanceId: in,
		SearchCriteria: &types.HoursOfOperationOverrideSearchCriteria{StringCondition: &types.StringCondition{FieldName: aws.String("name"),
			Value: aws.String("late"), ComparisonType: types.StringComparisonTypeContains}}})
	if err != nil || len(byName.HoursOfOperationOverrides) != 1 {
		t.Errorf("search by name: %+v, %v", byName, err)
	}
	if _, err := env.Client.DeleteHoursOfOperationOverride(ctx, &connect.DeleteHoursOfOperationOverrideInput{InstanceId: in, HoursOfOperationId: aws.String(hours),
		HoursOfOperationOverrideId: late.HoursOfOperationOverrideId}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribeHoursOfOperationOverride(ctx, &connect.DescribeHoursOfOperationOverrideInput{InstanceId: in, HoursOfOperationId: aws.String(hours),
		HoursOfOperationOverrideId: late.HoursOfOperationOverrideId})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	// Child hours take their parent's overrides.
	child, err := env.Client.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{InstanceId: in, Name: aws.String("Child"), TimeZone: aws.String("Europe/London"),
		Config: []types.HoursOfOperationConfig{{Day: types.HoursOfOperationDaysMonday, StartTime: &types.HoursOfOperationTimeSlice{Hours: aws.Int32(8), Minutes: aws.Int32(0)},
			EndTime: &types.HoursOfOperationTimeSlice{Hours: aws.Int32(12), Minutes: aws.Int32(0)}}},
		ParentHoursOfOperationConfigs: []types.ParentHoursOfOperationConfig{{HoursOfOperationId: aws.String(hours)}}})
	if err != nil {
		t.Fatal(err)
	}
	eff, err = env.Client.GetEffectiveHoursOfOperations(ctx, &connect.GetEffectiveHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: child.HoursOfOperationId,
		FromDate: aws.String("2026-05-04"), ToDate: aws.String("2026-05-04")})
	if err != nil || len(eff.EffectiveHoursOfOperationList[0].OperationalHours) != 0 {
		t.Errorf("the child on its parent's holiday: %+v, %v", eff, err)
	}
}

func clock(s *types.OverrideTimeSlice) string {
	return fmt.Sprintf("%02d:%02d", *s.Hours, *s.Minutes)
}

func TestHoursOverrideErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	hours := resHours(t, env, iid, "Support")
	base := func() *connect.CreateHoursOfOperationOverrideInput {
		return &connect.CreateHoursOfOperationOverrideInput{InstanceId: in, HoursOfOperationId: aws.String(hours), Name: aws.String("X"),
			EffectiveFrom: aws.String("2026-01-01"), EffectiveTill: aws.String("2026-12-31"),
			Config: []types.HoursOfOperationOverrideConfig{{Day: types.OverrideDaysMonday, StartTime: ots(9, 0), EndTime: ots(12, 0)}}}
	}
	weekly := func(p *types.RecurrencePattern) *types.RecurrenceConfig {
		return &types.RecurrenceConfig{RecurrencePattern: p}
	}
	for name, change := range map[string]func(*connect.CreateHoursOfOperationOverrideInput){
		"till before from": func(i *connect.CreateHoursOfOperationOverrideInput) { i.EffectiveTill = aws.String("2025-12-31") },
		"not a date":       func(i *connect.CreateHoursOfOperationOverrideInput) { i.EffectiveFrom = aws.String("2026-02-30") },
		"hour 24":          func(i *connect.CreateHoursOfOperationOverrideInput) { i.Config[0].EndTime = ots(24, 0) },
		"unknown type":     func(i *connect.CreateHoursOfOperationOverrideInput) { i.OverrideType = "HALF_OPEN" },
		"interval 7": func(i *connect.CreateHoursOfOperationOverrideInput) {
			i.RecurrenceConfig = weekly(&types.RecurrencePattern{Frequency: types.RecurrenceFrequencyWeekly, Interval: aws.Int32(7)})
		},
		"ByMonth not yearly": func(i *connect.CreateHoursOfOperationOverrideInput) {
			i.RecurrenceConfig = weekly(&types.RecurrencePattern{Frequency: types.RecurrenceFrequencyMonthly, Interval: aws.Int32(1), ByMonth: []int32{4}})
		},
		"day and occurrence": func(i *connect.CreateHoursOfOperationOverrideInput) {
			i.RecurrenceConfig = weekly(&types.RecurrencePattern{Frequency: types.RecurrenceFrequencyMonthly, Interval: aws.Int32(1), ByMonthDay: []int32{1}, ByWeekdayOccurrence: []int32{1}})
		},
		"two occurrences": func(i *connect.CreateHoursOfOperationOverrideInput) {
			i.RecurrenceConfig = weekly(&types.RecurrencePattern{Frequency: types.RecurrenceFrequencyMonthly, Interval: aws.Int32(1), ByWeekdayOccurrence: []int32{1, 2}})
		},
		"no name": func(i *connect.CreateHoursOfOperationOverrideInput) { i.Name = aws.String("") },
	} {
		t.Run(name, func(t *testing.T) {
			i := base()
			change(i)
			_, err := env.Raw.CreateHoursOfOperationOverride(ctx, i)
			sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
		})
	}
	if _, err := env.Client.CreateHoursOfOperationOverride(ctx, base()); err != nil {
		t.Fatal(err)
	}
	_, err := env.Raw.CreateHoursOfOperationOverride(ctx, base())
	sbtest.APIError(t, err, "DuplicateResourceException", http.StatusConflict)
	// Fifty per hours, fixed.
	for i := 1; i < 50; i++ {
		o := base()
		o.Name = aws.String(fmt.Sprintf("O%02d", i))
		if _, err := env.Client.CreateHoursOfOperationOverride(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	o := base()
	o.Name = aws.String("one too many")
	_, err = env.Raw.CreateHoursOfOperationOverride(ctx, o)
	sbtest.APIError(t, err, "LimitExceededException", http.StatusTooManyRequests)

	_, err = env.Raw.DescribeHoursOfOperationOverride(ctx, &connect.DescribeHoursOfOperationOverrideInput{InstanceId: in, HoursOfOperationId: aws.String(hours), HoursOfOperationOverrideId: aws.String("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Raw.CreateHoursOfOperationOverride(ctx, func() *connect.CreateHoursOfOperationOverrideInput {
		b := base()
		b.HoursOfOperationId = aws.String("nope")
		return b
	}())
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	for name, r := range map[string][2]string{"to before from": {"2026-05-02", "2026-05-01"}, "over a year": {"2026-01-01", "2027-01-02"}} {
		_, err := env.Raw.GetEffectiveHoursOfOperations(ctx, &connect.GetEffectiveHoursOfOperationsInput{InstanceId: in, HoursOfOperationId: aws.String(hours), FromDate: aws.String(r[0]), ToDate: aws.String(r[1])})
		t.Run(name, func(t *testing.T) { sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest) })
	}
	_, err = env.Raw.SearchHoursOfOperationOverrides(ctx, &connect.SearchHoursOfOperationOverridesInput{InstanceId: in,
		SearchCriteria: &types.HoursOfOperationOverrideSearchCriteria{DateCondition: &types.DateCondition{FieldName: aws.String("EffectiveFrom"), Value: aws.String("soon"), ComparisonType: types.DateComparisonTypeEqualTo}}})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
}
