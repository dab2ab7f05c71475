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

// evaluationFixture is an instance with a task to evaluate and an active
// form: section "s1" (questions greet, weight 40, and name, weight 60,
// which allows N/A) and section "s2" with a text question; scoring by
// question.
func evaluationFixture(t *testing.T) (*ctEnv, string, string) {
	t.Helper()
	e := newCT(t)
	name := yesNo("name", "Said their name?", 60)
	name.(*types.EvaluationFormItemMemberQuestion).Value.NotApplicableEnabled = true
	fail := yesNo("greet", "Greeted?", 40, "yes", "partly", "rude")
	opts := fail.(*types.EvaluationFormItemMemberQuestion).Value.QuestionTypeProperties.(*types.EvaluationFormQuestionTypePropertiesMemberSingleSelect).Value.Options
	opts[1].Score, opts[2].Score, opts[2].AutomaticFail = 5, 0, true
	form, err := e.Client.CreateEvaluationForm(e.ctx(), &connect.CreateEvaluationFormInput{InstanceId: &e.iid, Title: aws.String("Quality"),
		Items: []types.EvaluationFormItem{section("s1", "Opening", fail, name), section("s2", "Notes",
			question(types.EvaluationFormQuestion{RefId: aws.String("text"), Title: aws.String("Comments"), QuestionType: types.EvaluationFormQuestionTypeText}))},
		ScoringStrategy: questionScoring})
	if err != nil {
		t.Fatal(err)
	}
	task, err := e.Client.StartTaskContact(e.ctx(), &connect.StartTaskContactInput{InstanceId: &e.iid, ContactFlowId: &e.flow, Name: aws.String("t")})
	if err != nil {
		t.Fatal(err)
	}
	// Not active yet: no evaluation can start.
	_, err = e.Raw.StartContactEvaluation(e.ctx(), &connect.StartContactEvaluationInput{InstanceId: &e.iid, ContactId: task.ContactId, EvaluationFormId: form.EvaluationFormId})
	sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict)
	if _, err := e.Client.ActivateEvaluationForm(e.ctx(), &connect.ActivateEvaluationFormInput{InstanceId: &e.iid, EvaluationFormId: form.EvaluationFormId, EvaluationFormVersion: 1}); err != nil {
		t.Fatal(err)
	}
	return e, *form.EvaluationFormId, *task.ContactId
}

func answer(v types.EvaluationAnswerData) types.EvaluationAnswerInput {
	return types.EvaluationAnswerInput{Value: v}
}
func pick(ref string) types.EvaluationAnswerData {
	return &types.EvaluationAnswerDataMemberStringValue{Value: ref}
}

func TestContactEvaluationLifecycle(t *testing.T) {
	t.Parallel()
	e, form, contact := evaluationFixture(t)
	in := aws.String(e.iid)
	started, err := e.Client.StartContactEvaluation(e.ctx(), &connect.StartContactEvaluationInput{InstanceId: in, ContactId: &contact, EvaluationFormId: &form})
	if err != nil {
		t.Fatal(err)
	}
	id := started.EvaluationId
	if !strings.Contains(*started.EvaluationArn, "/contact-evaluation/"+*id) {
		t.Errorf("ARN %s", *started.EvaluationArn)
	}
	// A draft takes answers bit by bit; an empty one deletes.
	if _, err := e.Client.UpdateContactEvaluation(e.ctx(), &connect.UpdateContactEvaluationInput{InstanceId: in, EvaluationId: id,
		Answers: map[string]types.EvaluationAnswerInput{"greet": answer(pick("greet-partly")), "text": answer(pick("kind but slow"))},
		Notes:   map[string]types.EvaluationNote{"s1": {Value: aws.String("listen again")}}}); err != nil {
		t.Fatal(err)
	}
	// Submitting without the scored question "name" is refused.
	_, err = e.Raw.SubmitContactEvaluation(e.ctx(), &connect.SubmitContactEvaluationInput{InstanceId: in, EvaluationId: id})
	if msg := sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest); !strings.Contains(msg, `"name"`) {
		t.Errorf("message %q", msg)
	}
	if _, err := e.Client.SubmitContactEvaluation(e.ctx(), &connect.SubmitContactEvaluationInput{InstanceId: in, EvaluationId: id,
		Answers: map[string]types.EvaluationAnswerInput{"name": answer(pick("name-yes"))}}); err != nil {
		t.Fatal(err)
	}
	d, err := e.Client.DescribeContactEvaluation(e.ctx(), &connect.DescribeContactEvaluationInput{InstanceId: in, EvaluationId: id})
	if err != nil {
		t.Fatal(err)
	}
	ev := d.Evaluation
	// greet: partly = 5/10 = 50 %, weight 40; name: yes = 100 %, weight 60:
	// (50×40 + 100×60) / 100 = 80 %.
	if ev.Status != types.EvaluationStatusSubmitted || ev.Metadata.Score.Percentage != 80 || ev.Scores["greet"].Percentage != 50 ||
		ev.Scores["s1"].Percentage != 80 || *ev.Metadata.ContactId != contact || *ev.Notes["s1"].Value != "listen again" ||
		d.EvaluationForm.EvaluationFormVersion != 1 || *d.EvaluationForm.Title != "Quality" {
		t.Fatalf("DescribeContactEvaluation = %+v scores %+v", ev, ev.Scores)
	}
	if got := ev.Answers["text"].Value.(*types.EvaluationAnswerDataMemberStringValue).Value; got != "kind but slow" {
		t.Errorf("text answer %q", got)
	}

	// Submitted, it cannot be updated, only resubmitted: N/A leaves greet
	// alone (50 %); the rude option fails the whole evaluation.
	_, err = e.Raw.UpdateContactEvaluation(e.ctx(), &connect.UpdateContactEvaluationInput{InstanceId: in, EvaluationId: id,
		Answers: map[string]types.EvaluationAnswerInput{"greet": answer(pick("greet-yes"))}})
	sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict)
	score := func(answers map[string]types.EvaluationAnswerInput) *types.EvaluationScore {
		t.Helper()
		if _, err := e.Client.SubmitContactEvaluation(e.ctx(), &connect.SubmitContactEvaluationInput{InstanceId: in, EvaluationId: id, Answers: answers}); err != nil {
			t.Fatal(err)
		}
		d, err := e.Client.DescribeContactEvaluation(e.ctx(), &connect.DescribeContactEvaluationInput{InstanceId: in, EvaluationId: id})
		if err != nil {
			t.Fatal(err)
		}
		return d.Evaluation.Metadata.Score
	}
	if s := score(map[string]types.EvaluationAnswerInput{"name": answer(&types.EvaluationAnswerDataMemberNotApplicable{Value: true})}); s.Percentage != 50 {
		t.Errorf("with name N/A: %+v", s)
	}
	if s := score(map[string]types.EvaluationAnswerInput{"greet": answer(pick("greet-rude"))}); !s.AutomaticFail || s.Percentage != 0 {
		t.Errorf("with an automatic fail: %+v", s)
	}

	if ce := e.describe(contact).ContactEvaluations[form]; ce.Status != types.StatusComplete || *ce.EvaluationArn != *started.EvaluationArn || ce.EndTimestamp == nil {
		t.Errorf("DescribeContact's ContactEvaluations[%s] = %+v", form, ce)
	}
	list, err := e.Client.ListContactEvaluations(e.ctx(), &connect.ListContactEvaluationsInput{InstanceId: in, ContactId: &contact})
	if err != nil || len(list.EvaluationSummaryList) != 1 || *list.EvaluationSummaryList[0].EvaluationFormTitle != "Quality" ||
		list.EvaluationSummaryList[0].Status != types.EvaluationStatusSubmitted {
		t.Fatalf("ListContactEvaluations = %+v, %v", list, err)
	}
	if _, err := e.Client.DeleteContactEvaluation(e.ctx(), &connect.DeleteContactEvaluationInput{InstanceId: in, EvaluationId: id}); err != nil {
		t.Fatal(err)
	}
	_, err = e.Raw.DescribeContactEvaluation(e.ctx(), &connect.DescribeContactEvaluationInput{InstanceId: in, EvaluationId: id})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
	if left := e.describe(contact).ContactEvaluations; len(left) != 0 {
		t.Errorf("ContactEvaluations after the delete: %+v", left)
	}
}

func TestContactEvaluationAnswers(t *testing.T) {
	t.Parallel()
	e, form, contact := evaluationFixture(t)
	in := aws.String(e.iid)
	started, err := e.Client.StartContactEvaluation(e.ctx(), &connect.StartContactEvaluationInput{InstanceId: in, ContactId: &contact, EvaluationFormId: &form})
	if err != nil {
		t.Fatal(err)
	}
	update := func(ref string, v types.EvaluationAnswerData) error {
		_, err := e.Raw.UpdateContactEvaluation(e.ctx(), &connect.UpdateContactEvaluationInput{InstanceId: in, EvaluationId: started.EvaluationId,
			Answers: map[string]types.EvaluationAnswerInput{ref: answer(v)}})
		return err
	}
	for name, tc := range map[string]struct {
		err        error
		mentioning string
	}{
		"not a question":    {update("nope", pick("x")), `"nope"`},
		"not an option":     {update("greet", pick("greet-maybe")), "RefIds"},
		"number for select": {update("greet", &types.EvaluationAnswerDataMemberNumericValue{Value: 3}), "StringValue"},
		"N/A not allowed":   {update("greet", &types.EvaluationAnswerDataMemberNotApplicable{Value: true}), "NotApplicable"},
		"note on no section": {func() error {
			_, err := e.Raw.UpdateContactEvaluation(e.ctx(), &connect.UpdateContactEvaluationInput{InstanceId: in, EvaluationId: started.EvaluationId, Notes: map[string]types.EvaluationNote{"zz": {Value: aws.String("n")}}})
			return err
		}(), `"zz"`},
	} {
		t.Run(name, func(t *testing.T) {
			if msg := sbtest.APIError(t, tc.err, "InvalidParameterException", http.StatusBadRequest); !strings.Contains(msg, tc.mentioning) {
				t.Errorf("message %q does not mention %q", msg, tc.mentioning)
			}
		})
	}
	for name, err := range map[string]error{
		"no such contact": func() error {
			_, err := e.Raw.StartContactEvaluation(e.ctx(), &connect.StartContactEvaluationInput{InstanceId: in, ContactId: aws.String("nope"), EvaluationFormId: &form})
			return err
		}(),
		"no such form": func() error {
			_, err := e.Raw.StartContactEvaluation(e.ctx(), &connect.StartContactEvaluationInput{InstanceId: in, ContactId: &contact, EvaluationFormId: aws.String("nope")})
			return err
		}(),
		"no such evaluation": func() error {
			_, err := e.Raw.SubmitContactEvaluation(e.ctx(), &connect.SubmitContactEvaluationInput{InstanceId: in, EvaluationId: aws.String("nope")})
			return err
		}(),
	} {
		t.Run(name, func(t *testing.T) { sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound) })
	}
}
