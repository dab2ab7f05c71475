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

func slice(day types.HoursOfOperationDays, sh, sm, eh, em int32) types.HoursOfOperationConfig {
	return types.HoursOfOperationConfig{Day: day,
		StartTime: &types.HoursOfOperationTimeSlice{Hours: aws.Int32(sh), Minutes: aws.Int32(sm)},
		EndTime:   &types.HoursOfOperationTimeSlice{Hours: aws.Int32(eh), Minutes: aws.Int32(em)}}
}

func TestHoursOfOperationLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	basic, _ := resBasic(t, env, iid)

	created, err := env.Client.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{
		InstanceId: aws.String(iid), Name: aws.String("Support"), Description: aws.String("weekdays"),
		TimeZone:                      aws.String("America/New_York"),
		Config:                        []types.HoursOfOperationConfig{slice(types.HoursOfOperationDaysMonday, 8, 30, 17, 0), slice(types.HoursOfOperationDaysFriday, 22, 0, 2, 0)},
		ParentHoursOfOperationConfigs: []types.ParentHoursOfOperationConfig{{HoursOfOperationId: aws.String(basic)}},
		Tags:                          map[string]string{"team": "support"},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := *created.HoursOfOperationId
	if want := ":instance/" + iid + "/operating-hours/" + id; !strings.HasSuffix(*created.HoursOfOperationArn, want) {
		t.Errorf("ARN %s does not end in %s", *created.HoursOfOperationArn, want)
	}
	d, err := env.Client.DescribeHoursOfOperation(ctx, &connect.DescribeHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	h := d.HoursOfOperation
	if *h.Name != "Support" || *h.Description != "weekdays" || *h.TimeZone != "America/New_York" || h.Tags["team"] != "support" ||
		len(h.Config) != 2 || *h.Config[1].EndTime.Hours != 2 || *h.Config[0].StartTime.Minutes != 30 ||
		len(h.ParentHoursOfOperations) != 1 || *h.ParentHoursOfOperations[0].Name != domain.DefaultHoursName ||
		!h.LastModifiedTime.Equal(sbtest.Start) || aws.ToString(h.LastModifiedRegion) != sbtest.Region {
		t.Errorf("Describe = %+v", h)
	}

	// Update changes only what is given.
	if _, err := env.Client.UpdateHoursOfOperation(ctx, &connect.UpdateHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(id),
		Name: aws.String("Support EU"), TimeZone: aws.String("Europe/Paris")}); err != nil {
		t.Fatal(err)
	}
	d, _ = env.Client.DescribeHoursOfOperation(ctx, &connect.DescribeHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: h.HoursOfOperationArn})
	if d == nil || *d.HoursOfOperation.Name != "Support EU" || *d.HoursOfOperation.TimeZone != "Europe/Paris" || len(d.HoursOfOperation.Config) != 2 {
		t.Fatalf("after update (described by ARN): %+v", d)
	}

	// Listing pages through the default and the new hours.
	var names []string
	p := connect.NewListHoursOfOperationsPaginator(env.Client, &connect.ListHoursOfOperationsInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.HoursOfOperationSummaryList {
			names = append(names, *s.Name)
		}
	}
	if len(names) != 2 {
		t.Errorf("listed %v; want Basic Hours and Support EU", names)
	}

	// In use by a queue: refused until the queue moves.
	q := resQueue(t, env, iid, "Q", id)
	_, err = env.Client.DeleteHoursOfOperation(ctx, &connect.DeleteHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(id)})
	// DeleteHoursOfOperation's model lists no ResourceInUseException, so the
	// wire layer reports InvalidRequestException.
	if msg := sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest); !strings.Contains(msg, q) {
		t.Errorf("message %q does not name the queue", msg)
	}
	// A parent in use is refused too.
	_, err = env.Client.DeleteHoursOfOperation(ctx, &connect.DeleteHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(basic)})
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)

	if _, err := env.Client.UpdateQueueHoursOfOperation(ctx, &connect.UpdateQueueHoursOfOperationInput{InstanceId: aws.String(iid), QueueId: aws.String(q), HoursOfOperationId: aws.String(basic)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.DeleteHoursOfOperation(ctx, &connect.DeleteHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Client.DescribeHoursOfOperation(ctx, &connect.DescribeHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(id)})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestBasicHoursProvisioned(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	hoursID, _ := resBasic(t, env, iid)
	d, err := env.Client.DescribeHoursOfOperation(sbtest.Ctx(t), &connect.DescribeHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(hoursID)})
	if err != nil {
		t.Fatal(err)
	}
	if *d.HoursOfOperation.TimeZone != "UTC" || len(d.HoursOfOperation.Config) != 7 {
		t.Errorf("Basic Hours = %+v", d.HoursOfOperation)
	}
}

func TestHoursOfOperationErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{HoursOfOperations: 3})
	ctx := sbtest.Ctx(t)
	existing := resHours(t, env, iid, "Taken")
	monday := []types.HoursOfOperationConfig{slice(types.HoursOfOperationDaysMonday, 9, 0, 17, 0)}
	create := func(c *connect.Client, name, tz string, cfg []types.HoursOfOperationConfig) error {
		_, err := c.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{InstanceId: aws.String(iid), Name: aws.String(name), TimeZone: aws.String(tz), Config: cfg})
		return err
	}
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"unknown time zone", func() error { return create(env.Client, "x", "Mars/Olympus", monday) }, "InvalidParameterException", 400},
		{"Local is not a zone", func() error { return create(env.Client, "x", "Local", monday) }, "InvalidParameterException", 400},
		{"duplicate name", func() error { return create(env.Client, "Taken", "UTC", monday) }, "DuplicateResourceException", 409},
		{"interval twice", func() error { return create(env.Client, "x", "UTC", append(monday, monday[0])) }, "InvalidParameterException", 400},
		{"missing TimeZone", func() error {
			_, err := env.Raw.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{InstanceId: aws.String(iid), Name: aws.String("x"), Config: monday})
			return err
		}, "InvalidParameterException", 400},
		{"name too long", func() error { return create(env.Raw, strings.Repeat("n", 128), "UTC", monday) }, "InvalidParameterException", 400},
		{"bad day enum", func() error {
			return create(env.Raw, "x", "UTC", []types.HoursOfOperationConfig{slice("FUNDAY", 9, 0, 17, 0)})
		}, "InvalidParameterException", 400},
		{"hour 24", func() error {
			return create(env.Raw, "x", "UTC", []types.HoursOfOperationConfig{slice(types.HoursOfOperationDaysMonday, 24, 0, 17, 0)})
		}, "InvalidParameterException", 400},
		{"unknown parent", func() error {
			_, err := env.Client.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{InstanceId: aws.String(iid), Name: aws.String("x"), TimeZone: aws.String("UTC"), Config: monday,
				ParentHoursOfOperationConfigs: []types.ParentHoursOfOperationConfig{{HoursOfOperationId: aws.String("nope")}}})
			return err
		}, "ResourceNotFoundException", 404},
		{"unknown instance", func() error {
			_, err := env.Client.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{InstanceId: aws.String("nope"), Name: aws.String("x"), TimeZone: aws.String("UTC"), Config: monday})
			return err
		}, "ResourceNotFoundException", 404},
		{"describe unknown", func() error {
			_, err := env.Client.DescribeHoursOfOperation(ctx, &connect.DescribeHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
		{"update to taken name", func() error {
			other := resHours(t, env, iid, "Other")
			defer env.Client.DeleteHoursOfOperation(ctx, &connect.DeleteHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(other)})
			_, err := env.Client.UpdateHoursOfOperation(ctx, &connect.UpdateHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(other), Name: aws.String("Taken")})
			return err
		}, "DuplicateResourceException", 409},
		{"update bad zone", func() error {
			_, err := env.Client.UpdateHoursOfOperation(ctx, &connect.UpdateHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(existing), TimeZone: aws.String("Nowhere/Land")})
			return err
		}, "InvalidParameterException", 400},
		{"update name too long", func() error {
			_, err := env.Raw.UpdateHoursOfOperation(ctx, &connect.UpdateHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String(existing), Name: aws.String(strings.Repeat("n", 128))})
			return err
		}, "InvalidParameterException", 400},
		{"list MaxResults 0", func() error {
			_, err := env.Raw.ListHoursOfOperations(ctx, &connect.ListHoursOfOperationsInput{InstanceId: aws.String(iid), MaxResults: aws.Int32(0)})
			return err
		}, "InvalidParameterException", 400},
		{"delete unknown", func() error {
			_, err := env.Client.DeleteHoursOfOperation(ctx, &connect.DeleteHoursOfOperationInput{InstanceId: aws.String(iid), HoursOfOperationId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sbtest.APIError(t, tc.call(), tc.code, tc.status)
		})
	}

	// Quota: Basic Hours, Taken and one more fill the quota of 3.
	if err := create(env.Client, "third", "UTC", monday); err != nil {
		t.Fatal(err)
	}
	err := create(env.Client, "fourth", "UTC", monday)
	sbtest.APIError(t, err, "ServiceQuotaExceededException", http.StatusPaymentRequired)
}
