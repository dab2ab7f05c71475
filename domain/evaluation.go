package domain

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"time"
)

// Contact evaluations: a form's active version filled in for a contact.
// An evaluation is a DRAFT while answers are added (UpdateContactEvaluation
// merges them; an empty answer deletes one) and SUBMITTED once submitted,
// when its scores are worked out. Submitting again resubmits.
//
// Scores (Switchboard's reading of Connect's scoring, which its
// documentation describes in outline only): a select or numeric answer
// scores the chosen option's score (0 to 10) as a percentage of 10; a
// multi-select answer the mean of its options'. Text and date questions,
// questions excluded from scoring and answers marked not applicable do not
// count, and the weights of what counts are scaled to fill the whole. With
// QUESTION_ONLY the form's and each section's score is the weighted mean
// of its questions; with SECTION_ONLY a section's is the plain mean of its
// questions and the form's the weighted mean of its top-level sections.
// An option marked AutomaticFail makes its section and the form 0 %, with
// AutomaticFail set. POINTS_BASED forms and forms without scoring have no
// scores.

// Kinds of the evaluation records. KindEvaluationIndex lists a contact's
// evaluations under the contact's ID, so that finding them reads one
// record, not every evaluation of the instance.
const (
	KindContactEvaluation Kind = "contact-evaluation"
	KindEvaluationIndex   Kind = "contact-evaluation-index"
)

// evaluationIndex is the list of a contact's evaluations.
type evaluationIndex struct {
	ContactID   string
	Evaluations []string
}

func (x *evaluationIndex) recordKey() (string, string) { return x.ContactID, "" }

// contactEvaluations loads a contact's evaluations, oldest first.
func contactEvaluations(tx ReadTx, iid, contactID string) ([]ContactEvaluation, error) {
	x, err := getDoc[evaluationIndex](tx, KindEvaluationIndex, iid, contactID)
	if errors.Is(err, ErrStoreNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]ContactEvaluation, 0, len(x.Evaluations))
	for _, id := range x.Evaluations {
		e, err := getDoc[ContactEvaluation](tx, KindContactEvaluation, iid, id)
		if err != nil {
			return nil, fmt.Errorf("evaluation %s of contact %s: %w", id, contactID, err)
		}
		out = append(out, *e)
	}
	return out, nil
}

// indexEvaluation adds (add) or removes an evaluation from its contact's
// index.
func indexEvaluation(tx Tx, iid string, e *ContactEvaluation, add bool, now time.Time) error {
	x, err := getDoc[evaluationIndex](tx, KindEvaluationIndex, iid, e.ContactID)
	if errors.Is(err, ErrStoreNotFound) {
		x, err = &evaluationIndex{ContactID: e.ContactID}, nil
	}
	if err != nil {
		return err
	}
	x.Evaluations = slices.DeleteFunc(x.Evaluations, func(id string) bool { return id == e.ID })
	if add {
		x.Evaluations = append(x.Evaluations, e.ID)
	}
	if len(x.Evaluations) == 0 {
		return tx.DeleteRecord(KindEvaluationIndex, iid, e.ContactID)
	}
	return save(tx, KindEvaluationIndex, iid, x, now, now)
}

// ContactEvaluationsOf returns a contact's evaluations (DescribeContact's
// ContactEvaluations).
func (s *Service) ContactEvaluationsOf(ctx context.Context, instanceID, contactID string) ([]ContactEvaluation, error) {
	var out []ContactEvaluation
	err := s.view(ctx, func(tx ReadTx) error {
		iid, c, err := s.contactIn(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		out, err = contactEvaluations(tx, iid, c.ID)
		return err
	})
	return out, err
}

// Evaluation statuses.
const (
	EvaluationDraft     = "DRAFT"
	EvaluationSubmitted = "SUBMITTED"
)

// ContactEvaluation is an evaluation of a contact.
type ContactEvaluation struct {
	ID, Arn, InstanceID string
	ContactID           string
	// ContactAgentID is the agent who handled the contact, when one did.
	ContactAgentID string `json:",omitzero"`
	FormID         string
	FormVersion    int32
	FormTitle      string
	Status         string
	Answers        map[string]EvalAnswer `json:",omitempty"`
	Notes          map[string]string     `json:",omitempty"`
	// Scores are by section and question RefId; Score is the form's.
	Scores           map[string]EvalScore `json:",omitempty"`
	Score            *EvalScore           `json:",omitempty"`
	EvaluatorArn     string
	Tags             map[string]string `json:",omitempty"`
	CreatedTime      time.Time
	LastModifiedTime time.Time
}

func (e *ContactEvaluation) recordKey() (string, string) { return e.ID, "" }

// EvalAnswer is one answer: exactly one member is set.
type EvalAnswer struct {
	String        *string  `json:",omitempty"`
	Number        *float64 `json:",omitempty"`
	Strings       []string `json:",omitempty"`
	DateTime      *string  `json:",omitempty"`
	NotApplicable bool     `json:",omitempty"`
}

// empty reports an answer with nothing in it, which deletes the answer.
func (a EvalAnswer) empty() bool {
	return a.String == nil && a.Number == nil && a.Strings == nil && a.DateTime == nil && !a.NotApplicable
}

// EvalScore is the score of a question, a section or the form.
type EvalScore struct {
	Percentage    float64
	NotApplicable bool `json:",omitempty"`
	AutomaticFail bool `json:",omitempty"`
}

// EvaluationChange is what UpdateContactEvaluation and
// SubmitContactEvaluation merge in: answers and notes by RefId, an empty
// one deleting.
type EvaluationChange struct {
	Answers map[string]EvalAnswer
	Notes   map[string]string
	// By is the Connect user's ARN given as UpdatedBy or SubmittedBy.
	By string
}

// StartContactEvaluation starts an empty evaluation of a contact with the
// form's active version.
func (s *Service) StartContactEvaluation(ctx context.Context, instanceID, contactID, formID, clientToken string, tags map[string]string) (*ContactEvaluation, error) {
	var e *ContactEvaluation
	tok := newClientToken("StartContactEvaluation", clientToken, []any{contactID, formID, tags})
	err := s.update(ctx, func(tx Tx) error {
		iid, f, err := resourceIn[EvaluationForm](s, tx, KindEvaluationForm, instanceID, formID)
		if err != nil {
			return err
		}
		now := s.now()
		id := s.newID()
		if e, err = claimOrReplay[ContactEvaluation](s, tx, KindContactEvaluation, iid, tok, id, now); err != nil || e != nil {
			return err
		}
		c, err := s.getContact(tx, iid, contactID)
		if err != nil {
			return err
		}
		if f.ActiveVersion == 0 {
			return Errorf(ErrResourceConflict, "Evaluation form %s has no active version; activate one (ActivateEvaluationForm) before evaluating contacts with it.", f.ID)
		}
		v, err := evalVersion(tx, iid, f, f.ActiveVersion)
		if err != nil {
			return err
		}
		e = &ContactEvaluation{ID: id, Arn: s.newARN(KindContactEvaluation, iid, id), InstanceID: iid, ContactID: c.ID, ContactAgentID: c.AgentID,
			FormID: f.ID, FormVersion: v.Version, FormTitle: v.Title, Status: EvaluationDraft, EvaluatorArn: s.rootARN(), Tags: tags,
			CreatedTime: now, LastModifiedTime: now}
		if err := indexEvaluation(tx, iid, e, true, now); err != nil {
			return err
		}
		return save(tx, KindContactEvaluation, iid, e, now, now)
	})
	return e, err
}

// DescribeContactEvaluation returns an evaluation and its form version.
func (s *Service) DescribeContactEvaluation(ctx context.Context, instanceID, evaluationID string) (*ContactEvaluation, *EvaluationForm, *EvaluationFormVersion, error) {
	var e *ContactEvaluation
	var f *EvaluationForm
	var v *EvaluationFormVersion
	err := viewResource(s, ctx, KindContactEvaluation, instanceID, evaluationID, func(tx ReadTx, iid string, ev *ContactEvaluation) error {
		e = ev
		var err error
		if f, v, err = evaluationForm(tx, iid, ev); err != nil {
			return err
		}
		return nil
	})
	return e, f, v, err
}

// evaluationForm loads the form version an evaluation uses.
func evaluationForm(tx ReadTx, iid string, e *ContactEvaluation) (*EvaluationForm, *EvaluationFormVersion, error) {
	f, err := getIn[EvaluationForm](tx, KindEvaluationForm, iid, e.FormID)
	if err != nil {
		return nil, nil, Errorf(ErrResourceConflict, "Evaluation %s uses evaluation form %s, which no longer exists.", e.ID, e.FormID)
	}
	v, err := evalVersion(tx, iid, f, e.FormVersion)
	if err != nil {
		return nil, nil, Errorf(ErrResourceConflict, "Evaluation %s uses version %d of form %s, which no longer exists.", e.ID, e.FormVersion, f.ID)
	}
	return f, v, nil
}

// ListContactEvaluations pages through a contact's evaluations, oldest
// first.
func (s *Service) ListContactEvaluations(ctx context.Context, instanceID, contactID string, page Page) ([]ContactEvaluation, string, error) {
	var out []ContactEvaluation
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		iid, c, err := s.contactIn(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		every, err := contactEvaluations(tx, iid, c.ID)
		if err != nil {
			return err
		}
		out, next, err = pageSlice(every, page)
		return err
	})
	return out, next, err
}

// DeleteContactEvaluation deletes an evaluation.
func (s *Service) DeleteContactEvaluation(ctx context.Context, instanceID, evaluationID string) error {
	return s.update(ctx, func(tx Tx) error {
		iid, e, err := resourceIn[ContactEvaluation](s, tx, KindContactEvaluation, instanceID, evaluationID)
		if err != nil {
			return err
		}
		if err := indexEvaluation(tx, iid, e, false, s.now()); err != nil {
			return err
		}
		return tx.DeleteRecord(KindContactEvaluation, iid, e.ID)
	})
}

// UpdateContactEvaluation merges answers and notes into a DRAFT.
func (s *Service) UpdateContactEvaluation(ctx context.Context, instanceID, evaluationID string, ch EvaluationChange) (*ContactEvaluation, error) {
	return s.changeEvaluation(ctx, instanceID, evaluationID, ch, false)
}

// SubmitContactEvaluation merges answers and notes, checks every scored
// question is answered, works out the scores and submits.
func (s *Service) SubmitContactEvaluation(ctx context.Context, instanceID, evaluationID string, ch EvaluationChange) (*ContactEvaluation, error) {
	return s.changeEvaluation(ctx, instanceID, evaluationID, ch, true)
}

func (s *Service) changeEvaluation(ctx context.Context, instanceID, evaluationID string, ch EvaluationChange, submit bool) (*ContactEvaluation, error) {
	return modify(s, ctx, KindContactEvaluation, instanceID, evaluationID, func(tx Tx, iid string, now time.Time, e *ContactEvaluation) error {
		if !submit && e.Status != EvaluationDraft {
			return Errorf(ErrResourceConflict, "Evaluation %s is %s; only a DRAFT can be updated (SubmitContactEvaluation resubmits it with changes).", e.ID, e.Status)
		}
		_, v, err := evaluationForm(tx, iid, e)
		if err != nil {
			return err
		}
		questions, sections := formIndex(v.Content.Items)
		for ref, a := range ch.Answers {
			q := questions[ref]
			if q == nil {
				return Errorf(ErrInvalidParameter, "Answers names %q, which is not a question of the form.", clip(ref, 64))
			}
			if a.empty() {
				delete(e.Answers, ref)
				continue
			}
			if err := checkAnswer(q, a); err != nil {
				return err
			}
			if e.Answers == nil {
				e.Answers = map[string]EvalAnswer{}
			}
			e.Answers[ref] = a
		}
		for ref, n := range ch.Notes {
			if questions[ref] == nil && !sections[ref] {
				return Errorf(ErrInvalidParameter, "Notes names %q, which is not a section or question of the form.", clip(ref, 64))
			}
			if n == "" {
				delete(e.Notes, ref)
				continue
			}
			if e.Notes == nil {
				e.Notes = map[string]string{}
			}
			e.Notes[ref] = n
		}
		if ch.By != "" {
			e.EvaluatorArn = ch.By
		}
		e.LastModifiedTime = now
		if !submit {
			return nil
		}
		for ref, q := range questions {
			if _, ok := e.Answers[ref]; !ok && scorable(q) {
				return Errorf(ErrInvalidParameter, "Question %q (%s) has no answer; answer every scored question, or mark it NotApplicable where the form allows, before submitting.", ref, clip(q.Title, 100))
			}
		}
		e.Status = EvaluationSubmitted
		e.Scores, e.Score = scoreEvaluation(v.Content, e.Answers)
		return nil
	})
}

// formIndex maps a form's questions and sections by RefId.
func formIndex(items []EvalItem) (map[string]*EvalQuestion, map[string]bool) {
	questions, sections := map[string]*EvalQuestion{}, map[string]bool{}
	var walk func([]EvalItem)
	walk = func(items []EvalItem) {
		for _, it := range items {
			if it.Section != nil {
				sections[it.Section.RefID] = true
				walk(it.Section.Items)
			}
			if it.Question != nil {
				questions[it.Question.RefID] = it.Question
			}
		}
	}
	walk(items)
	return questions, sections
}

// checkAnswer checks an answer against its question.
func checkAnswer(q *EvalQuestion, a EvalAnswer) error {
	set := 0
	for _, b := range []bool{a.String != nil, a.Number != nil, a.Strings != nil, a.DateTime != nil, a.NotApplicable} {
		if b {
			set++
		}
	}
	if set != 1 {
		return Errorf(ErrInvalidParameter, "The answer to %q must have exactly one value.", q.RefID)
	}
	if a.NotApplicable {
		if !q.NotApplicable {
			return Errorf(ErrInvalidParameter, "Question %q does not allow NotApplicable (NotApplicableEnabled is off).", q.RefID)
		}
		return nil
	}
	option := func(ref string) bool {
		return slices.ContainsFunc(q.Options, func(o EvalOption) bool { return o.RefID == ref })
	}
	wrong := func(want string) error {
		return Errorf(ErrInvalidParameter, "Question %q is %s and takes %s.", q.RefID, q.Type, want)
	}
	switch q.Type {
	case "TEXT":
		if a.String == nil {
			return wrong("a StringValue")
		}
	case "SINGLESELECT":
		if a.String == nil || !option(*a.String) {
			return wrong("a StringValue naming one of its options' RefIds")
		}
	case "MULTISELECT":
		if a.Strings == nil || len(a.Strings) == 0 || slices.ContainsFunc(a.Strings, func(r string) bool { return !option(r) }) {
			return wrong("StringValues naming some of its options' RefIds")
		}
	case "NUMERIC":
		if a.Number == nil || math.IsNaN(*a.Number) || (q.Min != nil && *a.Number < float64(*q.Min)) || (q.Max != nil && *a.Number > float64(*q.Max)) {
			return wrong(fmt.Sprintf("a NumericValue from %d to %d", deref32(q.Min), deref32(q.Max)))
		}
	case "DATETIME":
		if a.DateTime == nil {
			return wrong("a DateTimeValue")
		}
	}
	return nil
}

// answerScore is a question's score from its answer; ok is false when
// the question does not count.
func answerScore(q *EvalQuestion, a EvalAnswer) (pct float64, fail, ok bool) {
	if !scorable(q) || a.NotApplicable {
		return 0, false, false
	}
	switch q.Type {
	case "SINGLESELECT":
		for _, o := range q.Options {
			if a.String != nil && o.RefID == *a.String {
				return float64(o.Score) * 10, o.AutoFail, true
			}
		}
	case "MULTISELECT":
		var sum float64
		for _, r := range a.Strings {
			for _, o := range q.Options {
				if o.RefID == r {
					sum += float64(o.Score) * 10
					fail = fail || o.AutoFail
				}
			}
		}
		if len(a.Strings) > 0 {
			return sum / float64(len(a.Strings)), fail, true
		}
	case "NUMERIC":
		if a.Number == nil {
			return 0, false, false
		}
		for _, o := range q.Options {
			if *a.Number >= float64(deref32(o.Min)) && *a.Number <= float64(deref32(o.Max)) {
				return float64(o.Score) * 10, o.AutoFail, true
			}
		}
		return 0, false, true
	}
	return 0, false, false
}

// scoreEvaluation works out the scores of a submitted evaluation.
func scoreEvaluation(c EvalFormContent, answers map[string]EvalAnswer) (map[string]EvalScore, *EvalScore) {
	if c.ScoringMode != "QUESTION_ONLY" && c.ScoringMode != "SECTION_ONLY" {
		return nil, nil
	}
	scores := map[string]EvalScore{}
	// weighted is a running weighted mean.
	type weighted struct {
		sum, weights float64
		fail         bool
	}
	mean := func(w weighted) EvalScore {
		if w.fail {
			return EvalScore{Percentage: 0, AutomaticFail: true}
		}
		if w.weights == 0 {
			return EvalScore{NotApplicable: true}
		}
		return EvalScore{Percentage: math.Round(w.sum/w.weights*100) / 100}
	}
	var section func(s *EvalSection) (EvalScore, weighted)
	section = func(s *EvalSection) (EvalScore, weighted) {
		var w weighted
		for _, it := range s.Items {
			switch {
			case it.Question != nil:
				q := it.Question
				pct, fail, ok := answerScore(q, answers[q.RefID])
				if !ok {
					if scorable(q) {
						scores[q.RefID] = EvalScore{NotApplicable: true}
					}
					continue
				}
				scores[q.RefID] = EvalScore{Percentage: pct, AutomaticFail: fail}
				weight := 1.0
				if c.ScoringMode == "QUESTION_ONLY" && q.Weight != nil {
					weight = *q.Weight
				}
				w.sum, w.weights, w.fail = w.sum+pct*weight, w.weights+weight, w.fail || fail
			case it.Section != nil:
				sub, sw := section(it.Section)
				scores[it.Section.RefID] = sub
				w.sum, w.weights, w.fail = w.sum+sw.sum, w.weights+sw.weights, w.fail || sw.fail
			}
		}
		return mean(w), w
	}
	var form weighted
	for _, it := range c.Items {
		if it.Section == nil {
			continue
		}
		sc, sw := section(it.Section)
		scores[it.Section.RefID] = sc
		if c.ScoringMode == "QUESTION_ONLY" {
			form.sum, form.weights, form.fail = form.sum+sw.sum, form.weights+sw.weights, form.fail || sw.fail
			continue
		}
		if it.Section.Excluded || sc.NotApplicable {
			continue
		}
		weight := 0.0
		if it.Section.Weight != nil {
			weight = *it.Section.Weight
		}
		form.sum, form.weights, form.fail = form.sum+sc.Percentage*weight, form.weights+weight, form.fail || sc.AutomaticFail
	}
	total := mean(form)
	return scores, &total
}
