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

// yesNo is a single-select question worth weight.
func yesNo(ref, title string, weight float64, options ...string) types.EvaluationFormItem {
	if options == nil {
		options = []string{"yes", "no"}
	}
	var opts []types.EvaluationFormSingleSelectQuestionOption
	for i, o := range options {
		opts = append(opts, types.EvaluationFormSingleSelectQuestionOption{RefId: aws.String(ref + "-" + o), Text: aws.String(o), Score: int32(10 - 10*i)})
	}
	return question(types.EvaluationFormQuestion{RefId: aws.String(ref), Title: aws.String(title),
		QuestionType: types.EvaluationFormQuestionTypeSingleselect, Weight: weight,
		QuestionTypeProperties: &types.EvaluationFormQuestionTypePropertiesMemberSingleSelect{Value: types.EvaluationFormSingleSelectQuestionProperties{Options: opts}}})
}

func question(q types.EvaluationFormQuestion) types.EvaluationFormItem {
	return &types.EvaluationFormItemMemberQuestion{Value: q}
}

// section wraps items in a section.
func section(ref, title string, items ...types.EvaluationFormItem) types.EvaluationFormItem {
	if items == nil {
		items = []types.EvaluationFormItem{}
	}
	return &types.EvaluationFormItemMemberSection{Value: types.EvaluationFormSection{RefId: aws.String(ref), Title: aws.String(title), Items: items}}
}

func sectionOf(it types.EvaluationFormItem) types.EvaluationFormSection {
	return it.(*types.EvaluationFormItemMemberSection).Value
}

var questionScoring = &types.EvaluationFormScoringStrategy{Mode: types.EvaluationFormScoringModeQuestionOnly, Status: types.EvaluationFormScoringStatusEnabled}

func TestEvaluationFormLifecycle(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	items := []types.EvaluationFormItem{section("greeting", "Greeting", yesNo("q1", "Did the agent greet?", 40), yesNo("q2", "Did the agent say their name?", 60)),
		section("notes", "Notes", question(types.EvaluationFormQuestion{RefId: aws.String("q3"), Title: aws.String("Anything else?"),
			QuestionType: types.EvaluationFormQuestionTypeText}))}
	created, err := env.Client.CreateEvaluationForm(ctx, &connect.CreateEvaluationFormInput{InstanceId: in, Title: aws.String("Chat quality"),
		Items: items, ScoringStrategy: questionScoring, Tags: map[string]string{"team": "qa"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(*created.EvaluationFormArn, ":instance/"+iid+"/evaluation-form/"+*created.EvaluationFormId) {
		t.Errorf("ARN %s", *created.EvaluationFormArn)
	}
	id := created.EvaluationFormId
	d, err := env.Client.DescribeEvaluationForm(ctx, &connect.DescribeEvaluationFormInput{InstanceId: in, EvaluationFormId: id})
	if err != nil {
		t.Fatal(err)
	}
	f := d.EvaluationForm
	if *f.Title != "Chat quality" || f.EvaluationFormVersion != 1 || f.Locked || f.Status != types.EvaluationFormVersionStatusDraft ||
		len(f.Items) != 2 || sectionOf(f.Items[0]).Items[1].(*types.EvaluationFormItemMemberQuestion).Value.Weight != 60 || f.ScoringStrategy.Mode != types.EvaluationFormScoringModeQuestionOnly ||
		f.Tags["team"] != "qa" || f.CreatedBy == nil {
		t.Fatalf("DescribeEvaluationForm = %+v", f)
	}

	// Version 1 is edited in place until it is activated; then it is
	// locked and a change is a new version.
	items[0] = section("greeting", "Opening", yesNo("q1", "Did the agent greet?", 40), yesNo("q2", "Did the agent say their name?", 60))
	up, err := env.Client.UpdateEvaluationForm(ctx, &connect.UpdateEvaluationFormInput{InstanceId: in, EvaluationFormId: id, EvaluationFormVersion: 1,
		Title: aws.String("Chat quality"), Items: items, ScoringStrategy: questionScoring})
	if err != nil || up.EvaluationFormVersion != 1 {
		t.Fatalf("UpdateEvaluationForm in place = %+v, %v", up, err)
	}
	act, err := env.Client.ActivateEvaluationForm(ctx, &connect.ActivateEvaluationFormInput{InstanceId: in, EvaluationFormId: id, EvaluationFormVersion: 1})
	if err != nil || act.EvaluationFormVersion != 1 {
		t.Fatalf("ActivateEvaluationForm = %+v, %v", act, err)
	}
	_, err = env.Raw.UpdateEvaluationForm(ctx, &connect.UpdateEvaluationFormInput{InstanceId: in, EvaluationFormId: id, EvaluationFormVersion: 1,
		Title: aws.String("Chat quality"), Items: items, ScoringStrategy: questionScoring})
	sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict)
	v2, err := env.Client.UpdateEvaluationForm(ctx, &connect.UpdateEvaluationFormInput{InstanceId: in, EvaluationFormId: id, EvaluationFormVersion: 1,
		CreateNewVersion: aws.Bool(true), Title: aws.String("Chat quality v2"), Items: items, ScoringStrategy: questionScoring})
	if err != nil || v2.EvaluationFormVersion != 2 {
		t.Fatalf("new version = %+v, %v", v2, err)
	}
	if _, err := env.Client.ActivateEvaluationForm(ctx, &connect.ActivateEvaluationFormInput{InstanceId: in, EvaluationFormId: id, EvaluationFormVersion: 2}); err != nil {
		t.Fatal(err)
	}
	versions, err := env.Client.ListEvaluationFormVersions(ctx, &connect.ListEvaluationFormVersionsInput{InstanceId: in, EvaluationFormId: id})
	if err != nil || len(versions.EvaluationFormVersionSummaryList) != 2 {
		t.Fatalf("ListEvaluationFormVersions = %+v, %v", versions, err)
	}
	if v := versions.EvaluationFormVersionSummaryList; v[0].Status != types.EvaluationFormVersionStatusDraft || !v[0].Locked ||
		v[1].Status != types.EvaluationFormVersionStatusActive || !v[1].Locked {
		t.Errorf("versions after activating 2: %+v", v)
	}
	list, err := env.Client.ListEvaluationForms(ctx, &connect.ListEvaluationFormsInput{InstanceId: in})
	if err != nil || len(list.EvaluationFormSummaryList) != 1 {
		t.Fatalf("ListEvaluationForms = %+v, %v", list, err)
	}
	if s := list.EvaluationFormSummaryList[0]; *s.Title != "Chat quality v2" || s.LatestVersion != 2 || aws.ToInt32(s.ActiveVersion) != 2 || s.LastActivatedTime == nil {
		t.Errorf("summary %+v", s)
	}
	old, err := env.Client.DescribeEvaluationForm(ctx, &connect.DescribeEvaluationFormInput{InstanceId: in, EvaluationFormId: id, EvaluationFormVersion: aws.Int32(1)})
	if err != nil || *old.EvaluationForm.Title != "Chat quality" || *sectionOf(old.EvaluationForm.Items[0]).Title != "Opening" {
		t.Fatalf("version 1 = %+v, %v", old, err)
	}

	// The active version cannot go; deactivated, it can, and the form
	// with its last version.
	_, err = env.Raw.DeleteEvaluationForm(ctx, &connect.DeleteEvaluationFormInput{InstanceId: in, EvaluationFormId: id})
	sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict)
	if _, err := env.Client.DeleteEvaluationForm(ctx, &connect.DeleteEvaluationFormInput{InstanceId: in, EvaluationFormId: id, EvaluationFormVersion: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.DeactivateEvaluationForm(ctx, &connect.DeactivateEvaluationFormInput{InstanceId: in, EvaluationFormId: id, EvaluationFormVersion: 2}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DeactivateEvaluationForm(ctx, &connect.DeactivateEvaluationFormInput{InstanceId: in, EvaluationFormId: id, EvaluationFormVersion: 2})
	sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict)
	if _, err := env.Client.DeleteEvaluationForm(ctx, &connect.DeleteEvaluationFormInput{InstanceId: in, EvaluationFormId: id, EvaluationFormVersion: aws.Int32(2)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribeEvaluationForm(ctx, &connect.DescribeEvaluationFormInput{InstanceId: in, EvaluationFormId: id})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}

func TestEvaluationFormRules(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t, domain.Quotas{EvaluationForms: 2})
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	create := func(draft bool, scoring *types.EvaluationFormScoringStrategy, items ...types.EvaluationFormItem) error {
		_, err := env.Raw.CreateEvaluationForm(ctx, &connect.CreateEvaluationFormInput{InstanceId: in, Title: aws.String("f"), Items: items,
			ScoringStrategy: scoring, AsDraft: draft})
		return err
	}
	numeric := func(min, max int32, ranges ...[2]int32) types.EvaluationFormItem {
		p := types.EvaluationFormNumericQuestionProperties{MinValue: min, MaxValue: max}
		for _, r := range ranges {
			p.Options = append(p.Options, types.EvaluationFormNumericQuestionOption{MinValue: r[0], MaxValue: r[1]})
		}
		return question(types.EvaluationFormQuestion{RefId: aws.String("n"), Title: aws.String("How long?"),
			QuestionType: types.EvaluationFormQuestionTypeNumeric, QuestionTypeProperties: &types.EvaluationFormQuestionTypePropertiesMemberNumeric{Value: p}})
	}
	lonely := yesNo("q", "Alone?", 100, "only")
	for name, tc := range map[string]struct {
		err        error
		mentioning string
	}{
		"question at top":  {create(false, nil, yesNo("q", "Loose?", 100)), "outside any section"},
		"refId twice":      {create(false, nil, section("s", "S", yesNo("s", "Same id", 100))), `"s" is used twice`},
		"weights not 100":  {create(false, questionScoring, section("s", "S", yesNo("a", "A", 30), yesNo("b", "B", 30))), "add up to 100; they add up to 60"},
		"section weights":  {create(false, &types.EvaluationFormScoringStrategy{Mode: types.EvaluationFormScoringModeSectionOnly, Status: types.EvaluationFormScoringStatusEnabled}, section("s", "S", yesNo("a", "A", 100))), "top-level sections"},
		"one option":       {create(false, nil, section("s", "S", lonely)), "at least 2 options"},
		"numeric range":    {create(false, nil, section("s", "S", numeric(5, 5))), "not below MaxValue"},
		"numeric overlap":  {create(false, nil, section("s", "S", numeric(0, 10, [2]int32{0, 5}, [2]int32{5, 10}))), "overlap"},
		"numeric outside":  {create(false, nil, section("s", "S", numeric(0, 10, [2]int32{0, 11}))), "outside"},
		"empty section":    {create(false, nil, section("s", "S")), "no items"},
		"wrong properties": {create(true, nil, section("s", "S", question(types.EvaluationFormQuestion{RefId: aws.String("t"), Title: aws.String("T"), QuestionType: types.EvaluationFormQuestionTypeText, QuestionTypeProperties: &types.EvaluationFormQuestionTypePropertiesMemberNumeric{Value: types.EvaluationFormNumericQuestionProperties{MinValue: 0, MaxValue: 1}}}))), "takes QuestionTypeProperties.Text"},
		"no such form": {func() error {
			_, err := env.Raw.DescribeEvaluationForm(ctx, &connect.DescribeEvaluationFormInput{InstanceId: in, EvaluationFormId: aws.String("nope")})
			return err
		}(), "nope"},
	} {
		t.Run(name, func(t *testing.T) {
			code, status := "InvalidParameterException", http.StatusBadRequest
			if name == "no such form" {
				code, status = "ResourceNotFoundException", http.StatusNotFound
			}
			if msg := sbtest.APIError(t, tc.err, code, status); !strings.Contains(msg, tc.mentioning) {
				t.Errorf("message %q does not mention %q", msg, tc.mentioning)
			}
		})
	}

	// A draft may be incomplete; activating it checks it all.
	draft, err := env.Client.CreateEvaluationForm(ctx, &connect.CreateEvaluationFormInput{InstanceId: in, Title: aws.String("draft"),
		Items: []types.EvaluationFormItem{section("s", "S")}, AsDraft: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.ActivateEvaluationForm(ctx, &connect.ActivateEvaluationFormInput{InstanceId: in, EvaluationFormId: draft.EvaluationFormId, EvaluationFormVersion: 1})
	if msg := sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest); !strings.Contains(msg, "no items") {
		t.Errorf("activation message %q", msg)
	}
	_, err = env.Raw.ActivateEvaluationForm(ctx, &connect.ActivateEvaluationFormInput{InstanceId: in, EvaluationFormId: draft.EvaluationFormId, EvaluationFormVersion: 3})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	if err := create(false, nil, section("s", "S", yesNo("a", "A", 100))); err != nil {
		t.Fatal(err)
	}
	sbtest.APIError(t, create(false, nil, section("s", "S", yesNo("a", "A", 100))), "ServiceQuotaExceededException", http.StatusPaymentRequired)
}
