package awsapi_test

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// Tags go on and come off any taggable resource by its ARN, and its
// Describe operation shows them.
func TestTagResource(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	_, queueID := resBasic(t, env, iid)
	q, err := env.Client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(iid), QueueId: aws.String(queueID)})
	if err != nil {
		t.Fatal(err)
	}
	inst, err := env.Client.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}
	pn, err := env.Client.ClaimPhoneNumber(ctx, &connect.ClaimPhoneNumberInput{InstanceId: aws.String(iid), PhoneNumber: aws.String("+12065550123"),
		Tags: map[string]string{"team": "support"}})
	if err != nil {
		t.Fatal(err)
	}
	flows, err := env.Client.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: aws.String(iid)})
	if err != nil {
		t.Fatal(err)
	}

	list := func(arn string) map[string]string {
		t.Helper()
		out, err := env.Client.ListTagsForResource(ctx, &connect.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil {
			t.Fatalf("ListTagsForResource %s: %v", arn, err)
		}
		return out.Tags
	}
	for _, arn := range []string{*q.Queue.QueueArn, *inst.Instance.Arn, *pn.PhoneNumberArn, *flows.ContactFlowSummaryList[0].Arn} {
		before := list(arn)
		if _, err := env.Client.TagResource(ctx, &connect.TagResourceInput{ResourceArn: aws.String(arn),
			Tags: map[string]string{"cost-center": "42", "env": "dev"}}); err != nil {
			t.Fatalf("TagResource %s: %v", arn, err)
		}
		want := maps.Clone(before)
		if want == nil {
			want = map[string]string{}
		}
		want["cost-center"], want["env"] = "42", "dev"
		if got := list(arn); !maps.Equal(got, want) {
			t.Errorf("%s tags %v, want %v", arn, got, want)
		}
		// A second TagResource replaces a value and keeps the others.
		if _, err := env.Client.TagResource(ctx, &connect.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"env": "prod"}}); err != nil {
			t.Fatal(err)
		}
		want["env"] = "prod"
		if got := list(arn); !maps.Equal(got, want) {
			t.Errorf("%s tags %v after retagging, want %v", arn, got, want)
		}
		// Untagging a key the resource lacks is no error.
		if _, err := env.Client.UntagResource(ctx, &connect.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"env", "cost-center", "absent"}}); err != nil {
			t.Fatalf("UntagResource %s: %v", arn, err)
		}
		if got := list(arn); !maps.Equal(got, before) && !(len(got) == 0 && len(before) == 0) {
			t.Errorf("%s tags %v after untagging, want %v", arn, got, before)
		}
	}
	if got := list(*pn.PhoneNumberArn); got["team"] != "support" {
		t.Errorf("the phone number lost the tag it was claimed with: %v", got)
	}

	// Describe shows the tags, and the resource is otherwise unchanged.
	if _, err := env.Client.TagResource(ctx, &connect.TagResourceInput{ResourceArn: q.Queue.QueueArn, Tags: map[string]string{"tier": "gold"}}); err != nil {
		t.Fatal(err)
	}
	after, err := env.Client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(iid), QueueId: aws.String(queueID)})
	if err != nil {
		t.Fatal(err)
	}
	if after.Queue.Tags["tier"] != "gold" || *after.Queue.Name != *q.Queue.Name || *after.Queue.HoursOfOperationId != *q.Queue.HoursOfOperationId ||
		!after.Queue.LastModifiedTime.Equal(*q.Queue.LastModifiedTime) {
		t.Errorf("DescribeQueue after tagging = %+v, before %+v", after.Queue, q.Queue)
	}
}

func TestTagResourceErrors(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	_, queueID := resBasic(t, env, iid)
	q, err := env.Client.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(iid), QueueId: aws.String(queueID)})
	if err != nil {
		t.Fatal(err)
	}
	arn := *q.Queue.QueueArn
	prefix := arn[:strings.Index(arn, "instance/")]

	tag := func(arn string, tags map[string]string) error {
		_, err := env.Raw.TagResource(ctx, &connect.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
		return err
	}
	// Resources that do not exist, and ARNs of another account.
	for _, missing := range []string{
		prefix + "instance/" + iid + "/queue/00000000-0000-0000-0000-000000000000",
		prefix + "instance/00000000-0000-0000-0000-000000000000",
		prefix + "phone-number/00000000-0000-0000-0000-000000000000",
		strings.Replace(arn, sbtest.AccountID, "999999999999", 1),
	} {
		sbtest.APIError(t, tag(missing, map[string]string{"k": "v"}), "ResourceNotFoundException", http.StatusNotFound)
		_, err := env.Raw.ListTagsForResource(ctx, &connect.ListTagsForResourceInput{ResourceArn: aws.String(missing)})
		sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	}
	// ARNs of things that take no tags here, one of them existing.
	agAttribute(t, env, iid, "Language", "English")
	task, err := env.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(iid),
		ContactFlowId: aws.String(resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)), Name: aws.String("t")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ arn, exception, hint string }{
		{prefix + "instance/" + iid + "/contact/" + *task.ContactId, "InvalidParameterException", "TagContact"},
		{prefix + "instance/" + iid + "/wallboard/x", "InvalidParameterException", "does not name a resource that takes tags"},
		{prefix + "instance/" + iid + "/queue/agent/x", "InvalidParameterException", "does not name a resource that takes tags"},
		{prefix + "instance/" + iid + "/predefined-attribute/Language", "InvalidParameterException", "takes no tags"},
		{"not-an-arn", "ResourceNotFoundException", "not an ARN of this server"},
	} {
		status := http.StatusBadRequest
		if c.exception == "ResourceNotFoundException" {
			status = http.StatusNotFound
		}
		msg := sbtest.APIError(t, tag(c.arn, map[string]string{"k": "v"}), c.exception, status)
		if !strings.Contains(msg, c.hint) {
			t.Errorf("%s: message %q does not say %q", c.arn, msg, c.hint)
		}
	}

	// The model's rules: at least one tag, keys 1–128 characters not
	// beginning aws:, values up to 256, and 1–50 keys to remove.
	for name, tags := range map[string]map[string]string{
		"no tags":       {},
		"aws: prefix":   {"aws:owner": "x"},
		"long key":      {strings.Repeat("k", 129): "v"},
		"long value":    {"k": strings.Repeat("v", 257)},
		"51 tags":       manyTags(51),
		"bad character": {"k#": "v"},
	} {
		t.Run(name, func(t *testing.T) {
			sbtest.APIError(t, tag(arn, tags), "InvalidParameterException", http.StatusBadRequest)
		})
	}
	_, err = env.Raw.UntagResource(ctx, &connect.UntagResourceInput{ResourceArn: aws.String(arn)})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)

	// 50 tags in all is the most a resource may carry, whichever calls
	// added them.
	if err := tag(arn, manyTags(50)); err != nil {
		t.Fatal(err)
	}
	msg := sbtest.APIError(t, tag(arn, map[string]string{"one-more": "x"}), "InvalidParameterException", http.StatusBadRequest)
	if !strings.Contains(msg, "at most 50") {
		t.Errorf("message %q", msg)
	}
	if err := tag(arn, map[string]string{"k00": "replaced"}); err != nil {
		t.Errorf("replacing a tag of a full resource: %v", err)
	}
}

func manyTags(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m[fmt.Sprintf("k%02d", i)] = "v"
	}
	return m
}

// A contact takes up to six tags of its own, ended or not, and
// DescribeContact shows them.
func TestTagContact(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	task, err := env.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(iid),
		ContactFlowId: aws.String(resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)), Name: aws.String("t")})
	if err != nil {
		t.Fatal(err)
	}
	id := task.ContactId
	tags := func() map[string]string {
		t.Helper()
		d, err := env.Client.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(iid), ContactId: id})
		if err != nil {
			t.Fatal(err)
		}
		// Connect's own tags are always there; the rest are the user's.
		if d.Contact.Tags["aws:connect:instanceId"] != iid {
			t.Errorf("aws:connect:instanceId is %q", d.Contact.Tags["aws:connect:instanceId"])
		}
		return maps.Collect(func(yield func(string, string) bool) {
			for k, v := range d.Contact.Tags {
				if !strings.HasPrefix(k, "aws:") && !yield(k, v) {
					return
				}
			}
		})
	}
	if _, err := env.Client.TagContact(ctx, &connect.TagContactInput{InstanceId: aws.String(iid), ContactId: id,
		Tags: map[string]string{"department": "billing", "case": "1234"}}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); !maps.Equal(got, map[string]string{"department": "billing", "case": "1234"}) {
		t.Errorf("tags %v", got)
	}
	if _, err := env.Client.UntagContact(ctx, &connect.UntagContactInput{InstanceId: aws.String(iid), ContactId: id, TagKeys: []string{"case", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); !maps.Equal(got, map[string]string{"department": "billing"}) {
		t.Errorf("tags %v after UntagContact", got)
	}

	// Six in all; an ended contact still takes them.
	if _, err := env.Client.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(iid), ContactId: id}); err != nil {
		t.Fatal(err)
	}
	five := map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}
	if _, err := env.Client.TagContact(ctx, &connect.TagContactInput{InstanceId: aws.String(iid), ContactId: id, Tags: five}); err != nil {
		t.Fatalf("tagging an ended contact: %v", err)
	}
	if got := tags(); len(got) != 6 {
		t.Errorf("tags %v, want six", got)
	}
	_, err = env.Raw.TagContact(ctx, &connect.TagContactInput{InstanceId: aws.String(iid), ContactId: id, Tags: map[string]string{"f": "6"}})
	if msg := sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest); !strings.Contains(msg, "at most 6") {
		t.Errorf("message %q", msg)
	}

	// The model's rules, on a contact without tags so that only they can
	// refuse the request; and contacts that do not exist.
	fresh, err := env.Client.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(iid),
		ContactFlowId: aws.String(resDefaultFlow(t, env, iid, types.ContactFlowTypeContactFlow)), Name: aws.String("fresh")})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		tags map[string]string
		says string
	}{
		"no tags":          {map[string]string{}, "Tags"},
		"seven in one":     {map[string]string{"a": "", "b": "", "c": "", "d": "", "e": "", "f": "", "g": ""}, "Tags"},
		"aws: prefix":      {map[string]string{"aws:x": "v"}, "aws:x"},
		"space in a key":   {map[string]string{"a key": "v"}, "a key"},
		"a 129-rune key":   {map[string]string{strings.Repeat("k", 129): "v"}, "128"},
		"a 257-rune value": {map[string]string{"k": strings.Repeat("v", 257)}, "256"},
	} {
		_, err := env.Raw.TagContact(ctx, &connect.TagContactInput{InstanceId: aws.String(iid), ContactId: fresh.ContactId, Tags: c.tags})
		if msg := sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest); !strings.Contains(msg, c.says) {
			t.Errorf("%s: message %q does not say %q", name, msg, c.says)
		}
	}
	// Keys may hold the characters of the model's class, digits among them
	// (its "+-=" is a range).
	if _, err := env.Client.TagContact(ctx, &connect.TagContactInput{InstanceId: aws.String(iid), ContactId: fresh.ContactId,
		Tags: map[string]string{"Team/2026:q4.east-1": "v"}}); err != nil {
		t.Errorf("a key the pattern allows: %v", err)
	}
	_, err = env.Raw.UntagContact(ctx, &connect.UntagContactInput{InstanceId: aws.String(iid), ContactId: id})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Client.TagContact(ctx, &connect.TagContactInput{InstanceId: aws.String(iid), ContactId: aws.String("00000000-0000-0000-0000-000000000000"), Tags: map[string]string{"k": "v"}})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	_, err = env.Client.UntagContact(ctx, &connect.UntagContactInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000"), ContactId: id, TagKeys: []string{"k"}})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

// SearchResourceTags lists the distinct tags of the instance's resources,
// by resource type and by key and value.
func TestSearchResourceTags(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	hours, queue := resBasic(t, env, iid)
	arn := func(kind, id string) string {
		t.Helper()
		out, err := env.Client.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: in})
		if err != nil {
			t.Fatal(err)
		}
		return *out.Instance.Arn + "/" + kind + "/" + id
	}
	for target, tags := range map[string]map[string]string{
		arn("queue", queue):           {"team": "sales", "tier": "gold"},
		arn("operating-hours", hours): {"team": "support"},
	} {
		if _, err := env.Client.TagResource(ctx, &connect.TagResourceInput{ResourceArn: aws.String(target), Tags: tags}); err != nil {
			t.Fatal(err)
		}
	}
	search := func(resourceTypes []string, c *types.TagSearchCondition) []string {
		t.Helper()
		in := &connect.SearchResourceTagsInput{InstanceId: in, ResourceTypes: resourceTypes, MaxResults: aws.Int32(2)}
		if c != nil {
			in.SearchCriteria = &types.ResourceTagsSearchCriteria{TagSearchCondition: c}
		}
		var got []string
		p := connect.NewSearchResourceTagsPaginator(env.Client, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, tag := range page.Tags {
				got = append(got, *tag.Key+"="+*tag.Value)
			}
		}
		return got
	}
	if got := search(nil, nil); strings.Join(got, " ") != "team=sales team=support tier=gold" {
		t.Errorf("every tag: %v", got)
	}
	if got := search([]string{"standard-queue"}, nil); strings.Join(got, " ") != "team=sales tier=gold" {
		t.Errorf("queue tags: %v", got)
	}
	if got := search(nil, &types.TagSearchCondition{TagKey: aws.String("team"), TagValue: aws.String("su"), TagValueComparisonType: types.StringComparisonTypeStartsWith}); strings.Join(got, " ") != "team=support" {
		t.Errorf("team=su*: %v", got)
	}
	_, err := env.Raw.SearchResourceTags(ctx, &connect.SearchResourceTagsInput{InstanceId: in, ResourceTypes: []string{"contact"}})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.SearchResourceTags(ctx, &connect.SearchResourceTagsInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}
