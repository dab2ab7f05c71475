package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Evaluation forms: the questionnaires of quality management. A form has
// numbered versions; each is a DRAFT or the ACTIVE one (at most one), and
// a version once activated is locked: changing it makes a new version.
// Switchboard checks a form's structure and, unless it is saved as a
// draft, its questions and scoring weights; contact evaluations are not
// implemented.

// Kinds of the evaluation-form records.
const (
	KindEvaluationForm        Kind = "evaluation-form"
	KindEvaluationFormVersion Kind = "evaluation-form-version"
)

// Evaluation form version statuses.
const (
	EvalFormDraft  = "DRAFT"
	EvalFormActive = "ACTIVE"
)

// Limits of a form's items (the model's documentation of Items).
const (
	maxEvalSections  = 100
	maxEvalQuestions = 100
)

// EvaluationForm is a form: what its versions share.
type EvaluationForm struct {
	ID, Arn, InstanceID string
	// Title is the latest version's.
	Title         string
	Tags          map[string]string `json:",omitempty"`
	LatestVersion int32
	// ActiveVersion is 0 while no version is active.
	ActiveVersion     int32     `json:",omitzero"`
	LastActivatedTime time.Time `json:",omitzero"`
	LastActivatedBy   string    `json:",omitzero"`
	CreatedTime       time.Time
	CreatedBy         string
	LastModifiedTime  time.Time
	LastModifiedBy    string
}

func (f *EvaluationForm) recordKey() (string, string) { return f.ID, "" }

// EvaluationFormVersion is one version of a form.
type EvaluationFormVersion struct {
	FormID           string
	Version          int32
	Status           string
	Locked           bool
	Title            string
	Description      string `json:",omitzero"`
	Content          EvalFormContent
	CreatedTime      time.Time
	CreatedBy        string
	LastModifiedTime time.Time
	LastModifiedBy   string
}

func (v *EvaluationFormVersion) recordKey() (string, string) {
	return evalVersionKey(v.FormID, v.Version), ""
}

func evalVersionKey(formID string, version int32) string {
	return formID + ":" + strconv.Itoa(int(version))
}

// EvalFormContent is what a version holds: the items and scoring that
// the rules here check, and the whole content as the caller wrote it
// (Definition, the wire JSON of items, scoring and configurations) to
// show back.
type EvalFormContent struct {
	Items []EvalItem
	// ScoringMode is QUESTION_ONLY, SECTION_ONLY or POINTS_BASED, set
	// when scoring is ENABLED.
	ScoringMode string `json:",omitempty"`
	Definition  json.RawMessage
}

// EvalItem is a section or a question.
type EvalItem struct {
	Section  *EvalSection  `json:",omitempty"`
	Question *EvalQuestion `json:",omitempty"`
}

// EvalSection is a section of a form.
type EvalSection struct {
	RefID, Title string
	Items        []EvalItem
	Weight       *float64 `json:",omitempty"`
	Excluded     bool     `json:",omitempty"`
}

// EvalQuestion is a question of a form. Properties names the
// QuestionTypeProperties member given ("" for none).
type EvalQuestion struct {
	RefID, Title, Type string
	NotApplicable      bool         `json:",omitempty"` // NotApplicableEnabled
	Properties         string       `json:",omitempty"`
	Weight             *float64     `json:",omitempty"`
	Excluded           bool         `json:",omitempty"`
	Min, Max           *int32       `json:",omitempty"`
	Options            []EvalOption `json:",omitempty"`
}

// EvalOption is an answer option: a select option (RefID) or a numeric
// range (Min, Max), with its score (0 to 10) and whether choosing it
// fails the evaluation.
type EvalOption struct {
	RefID    string `json:",omitempty"`
	Min, Max *int32 `json:",omitempty"`
	Score    int32  `json:",omitzero"`
	AutoFail bool   `json:",omitempty"`
}

// questionProperties is the QuestionTypeProperties member each question
// type takes ("" for none).
var questionProperties = map[string]string{
	"TEXT": "Text", "SINGLESELECT": "SingleSelect", "MULTISELECT": "MultiSelect", "NUMERIC": "Numeric", "DATETIME": "",
}

// checkEvalForm lists what is wrong with a form's content. A draft is
// held to its structure only; a form to be used (not a draft, or being
// activated) also to complete questions and scoring weights.
func checkEvalForm(c EvalFormContent, draft bool) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	refs := map[string]bool{}
	sections, questions := 0, 0
	var questionWeights float64
	var walk func(path string, items []EvalItem)
	walk = func(path string, items []EvalItem) {
		for i, it := range items {
			at := fmt.Sprintf("%s[%d]", path, i)
			switch {
			case it.Section != nil && it.Question != nil, it.Section == nil && it.Question == nil:
				add("%s must be either a Section or a Question", at)
			case it.Section != nil:
				s := it.Section
				sections++
				if refs[s.RefID] {
					add("%s.Section.RefId %q is used twice; RefIds are unique in a form", at, s.RefID)
				}
				refs[s.RefID] = true
				if !draft && len(s.Items) == 0 {
					add("%s.Section %q has no items", at, s.RefID)
				}
				walk(at+".Section.Items", s.Items)
			default:
				q := it.Question
				questions++
				if path == "Items" {
					add("%s is a question outside any section; questions must be in a section", at)
				}
				if refs[q.RefID] {
					add("%s.Question.RefId %q is used twice; RefIds are unique in a form", at, q.RefID)
				}
				refs[q.RefID] = true
				problems = append(problems, checkEvalQuestion(at+".Question", q, draft)...)
				if scorable(q) && q.Weight != nil {
					questionWeights += *q.Weight
				}
			}
		}
	}
	walk("Items", c.Items)
	if sections > maxEvalSections {
		add("the form has %d sections; at most %d are allowed", sections, maxEvalSections)
	}
	if questions > maxEvalQuestions {
		add("the form has %d questions; at most %d are allowed", questions, maxEvalQuestions)
	}
	if !draft {
		switch c.ScoringMode {
		case "QUESTION_ONLY":
			if !near100(questionWeights) {
				add("with ScoringStrategy QUESTION_ONLY the weights of the scored questions must add up to 100; they add up to %g", questionWeights)
			}
		case "SECTION_ONLY":
			var sum float64
			for _, it := range c.Items {
				if it.Section != nil && !it.Section.Excluded && it.Section.Weight != nil {
					sum += *it.Section.Weight
				}
			}
			if !near100(sum) {
				add("with ScoringStrategy SECTION_ONLY the weights of the top-level sections must add up to 100; they add up to %g", sum)
			}
		}
	}
	return problems
}

// scorable reports whether a question can carry a score: not excluded,
// and not a text or date question.
func scorable(q *EvalQuestion) bool {
	return !q.Excluded && q.Type != "TEXT" && q.Type != "DATETIME"
}

func near100(sum float64) bool { return math.Abs(sum-100) < 0.01 }

// checkEvalQuestion checks a question's type properties.
func checkEvalQuestion(at string, q *EvalQuestion, draft bool) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	want, known := questionProperties[q.Type]
	if !known {
		return []string{fmt.Sprintf("%s.QuestionType %q is not a question type", at, q.Type)}
	}
	if q.Properties != "" && q.Properties != want {
		add("%s is %s and takes QuestionTypeProperties.%s, not %s", at, q.Type, cmpOr(want, "nothing"), q.Properties)
		return problems
	}
	if draft {
		return problems
	}
	switch q.Type {
	case "SINGLESELECT", "MULTISELECT":
		if q.Properties == "" || len(q.Options) < 2 {
			add("%s is %s and needs QuestionTypeProperties.%s with at least 2 options", at, q.Type, want)
		}
		seen := map[string]bool{}
		for _, o := range q.Options {
			if seen[o.RefID] {
				add("%s has two options with RefId %q", at, o.RefID)
			}
			seen[o.RefID] = true
		}
	case "NUMERIC":
		if q.Properties == "" || q.Min == nil || q.Max == nil {
			add("%s is NUMERIC and needs QuestionTypeProperties.Numeric with MinValue and MaxValue", at)
			return problems
		}
		if *q.Min >= *q.Max {
			add("%s has MinValue %d, not below MaxValue %d", at, *q.Min, *q.Max)
		}
		ranges := slices.Clone(q.Options)
		slices.SortFunc(ranges, func(a, b EvalOption) int { return int(deref32(a.Min)) - int(deref32(b.Min)) })
		for i, o := range ranges {
			lo, hi := deref32(o.Min), deref32(o.Max)
			switch {
			case lo > hi:
				add("%s has an option from %d to %d, whose MinValue is above its MaxValue", at, lo, hi)
			case lo < *q.Min || hi > *q.Max:
				add("%s has an option from %d to %d, outside the question's %d to %d", at, lo, hi, *q.Min, *q.Max)
			case i > 0 && lo <= deref32(ranges[i-1].Max):
				add("%s has options that overlap: %d to %d and %d to %d", at, deref32(ranges[i-1].Min), deref32(ranges[i-1].Max), lo, hi)
			}
		}
	}
	return problems
}

func deref32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

func cmpOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// evalFormProblems turns problems into InvalidParameterException.
func evalFormProblems(problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	msg := "The evaluation form is not valid: " + problems[0]
	if len(problems) > 1 {
		msg = fmt.Sprintf("The evaluation form is not valid (%d problems): %s", len(problems), strings.Join(problems, "; "))
	}
	return &Error{Code: ErrInvalidParameter, Message: msg, Problems: problems}
}

// EvalFormParams are CreateEvaluationForm's and UpdateEvaluationForm's
// inputs.
type EvalFormParams struct {
	ClientToken        string
	Title, Description string
	Content            EvalFormContent
	AsDraft            bool
	Tags               map[string]string
}

// CreateEvaluationForm creates a form with its version 1, a DRAFT.
func (s *Service) CreateEvaluationForm(ctx context.Context, instanceID string, p EvalFormParams) (*EvaluationForm, error) {
	if err := evalFormProblems(checkEvalForm(p.Content, p.AsDraft)); err != nil {
		return nil, err
	}
	var f *EvaluationForm
	tok := newClientToken("CreateEvaluationForm", p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		iid, id, now, prior, err := newIn[EvaluationForm](s, tx, KindEvaluationForm, instanceID, tok)
		if err != nil || prior != nil {
			f = prior
			return err
		}
		if err := checkQuota(tx, KindEvaluationForm, iid, s.quotas.EvaluationForms, ErrQuotaExceeded, "evaluation-forms"); err != nil {
			return err
		}
		who := s.rootARN()
		f = &EvaluationForm{ID: id, Arn: s.newARN(KindEvaluationForm, iid, id), InstanceID: iid, Title: p.Title, Tags: p.Tags, LatestVersion: 1,
			CreatedTime: now, CreatedBy: who, LastModifiedTime: now, LastModifiedBy: who}
		v := &EvaluationFormVersion{FormID: id, Version: 1, Status: EvalFormDraft, Title: p.Title, Description: p.Description, Content: p.Content,
			CreatedTime: now, CreatedBy: who, LastModifiedTime: now, LastModifiedBy: who}
		if err := save(tx, KindEvaluationFormVersion, iid, v, now, now); err != nil {
			return err
		}
		return save(tx, KindEvaluationForm, iid, f, now, now)
	})
	return f, err
}

// evalVersion loads a version of a form.
func evalVersion(tx ReadTx, iid string, f *EvaluationForm, version int32) (*EvaluationFormVersion, error) {
	v, err := getDoc[EvaluationFormVersion](tx, KindEvaluationFormVersion, iid, evalVersionKey(f.ID, version))
	if errors.Is(err, ErrStoreNotFound) {
		return nil, Errorf(ErrNotFound, "Evaluation form %s has no version %d; ListEvaluationFormVersions shows its versions.", f.ID, version)
	}
	return v, err
}

// DescribeEvaluationForm returns a form and one version of it, the latest
// when version is 0.
func (s *Service) DescribeEvaluationForm(ctx context.Context, instanceID, formID string, version int32) (*EvaluationForm, *EvaluationFormVersion, error) {
	var f *EvaluationForm
	var v *EvaluationFormVersion
	err := viewResource(s, ctx, KindEvaluationForm, instanceID, formID, func(tx ReadTx, iid string, form *EvaluationForm) error {
		f = form
		if version == 0 {
			version = form.LatestVersion
		}
		var err error
		v, err = evalVersion(tx, iid, form, version)
		return err
	})
	return f, v, err
}

// ListEvaluationForms pages through an instance's forms.
func (s *Service) ListEvaluationForms(ctx context.Context, instanceID string, page Page) ([]EvaluationForm, string, error) {
	return listIn[EvaluationForm](s, ctx, KindEvaluationForm, instanceID, page, nil)
}

// ListEvaluationFormVersions pages through a form's versions, oldest
// first.
func (s *Service) ListEvaluationFormVersions(ctx context.Context, instanceID, formID string, page Page) (*EvaluationForm, []EvaluationFormVersion, string, error) {
	var f *EvaluationForm
	var out []EvaluationFormVersion
	var next string
	err := viewResource(s, ctx, KindEvaluationForm, instanceID, formID, func(tx ReadTx, iid string, form *EvaluationForm) error {
		f = form
		every, err := evalVersions(tx, iid, form.ID)
		if err != nil {
			return err
		}
		out, next, err = pageSlice(every, page)
		return err
	})
	return f, out, next, err
}

func evalVersions(tx ReadTx, iid, formID string) ([]EvaluationFormVersion, error) {
	return allOf(tx, KindEvaluationFormVersion, iid, func(v *EvaluationFormVersion) bool { return v.FormID == formID },
		func(a, b EvaluationFormVersion) int { return int(a.Version - b.Version) })
}

// UpdateEvaluationForm replaces the content of the form's latest version,
// or with newVersion makes a new version of it. A locked version (one
// that was activated) can only be followed by a new version.
func (s *Service) UpdateEvaluationForm(ctx context.Context, instanceID, formID string, version int32, newVersion bool, p EvalFormParams) (*EvaluationForm, int32, error) {
	if err := evalFormProblems(checkEvalForm(p.Content, p.AsDraft)); err != nil {
		return nil, 0, err
	}
	var out int32
	f, err := modify(s, ctx, KindEvaluationForm, instanceID, formID, func(tx Tx, iid string, now time.Time, f *EvaluationForm) error {
		v, err := evalVersion(tx, iid, f, version)
		if err != nil {
			return err
		}
		if version != f.LatestVersion {
			return Errorf(ErrResourceConflict, "Version %d of evaluation form %s is not its latest (%d); update the latest version.", version, f.ID, f.LatestVersion)
		}
		who := s.rootARN()
		if newVersion {
			f.LatestVersion++
			v = &EvaluationFormVersion{FormID: f.ID, Version: f.LatestVersion, Status: EvalFormDraft, CreatedTime: now, CreatedBy: who}
		} else if v.Locked {
			return Errorf(ErrResourceConflict, "Version %d of evaluation form %s is locked, since it was activated; pass CreateNewVersion to change the form.", version, f.ID)
		}
		v.Title, v.Description, v.Content = p.Title, p.Description, p.Content
		v.LastModifiedTime, v.LastModifiedBy = now, who
		f.Title, f.LastModifiedTime, f.LastModifiedBy = p.Title, now, who
		out = v.Version
		return save(tx, KindEvaluationFormVersion, iid, v, v.CreatedTime, now)
	})
	return f, out, err
}

// ActivateEvaluationForm makes a version the form's active one, after the
// full check; the version active before goes back to DRAFT. An activated
// version is locked.
func (s *Service) ActivateEvaluationForm(ctx context.Context, instanceID, formID string, version int32) (*EvaluationForm, error) {
	return modify(s, ctx, KindEvaluationForm, instanceID, formID, func(tx Tx, iid string, now time.Time, f *EvaluationForm) error {
		v, err := evalVersion(tx, iid, f, version)
		if err != nil {
			return err
		}
		if err := evalFormProblems(checkEvalForm(v.Content, false)); err != nil {
			return err
		}
		if f.ActiveVersion != 0 && f.ActiveVersion != version {
			prev, err := evalVersion(tx, iid, f, f.ActiveVersion)
			if err != nil {
				return err
			}
			prev.Status = EvalFormDraft
			if err := save(tx, KindEvaluationFormVersion, iid, prev, prev.CreatedTime, now); err != nil {
				return err
			}
		}
		who := s.rootARN()
		v.Status, v.Locked = EvalFormActive, true
		f.ActiveVersion, f.LastActivatedTime, f.LastActivatedBy = version, now, who
		return save(tx, KindEvaluationFormVersion, iid, v, v.CreatedTime, now)
	})
}

// DeactivateEvaluationForm returns the active version to DRAFT.
func (s *Service) DeactivateEvaluationForm(ctx context.Context, instanceID, formID string, version int32) (*EvaluationForm, error) {
	return modify(s, ctx, KindEvaluationForm, instanceID, formID, func(tx Tx, iid string, now time.Time, f *EvaluationForm) error {
		v, err := evalVersion(tx, iid, f, version)
		if err != nil {
			return err
		}
		if v.Status != EvalFormActive {
			return Errorf(ErrResourceConflict, "Version %d of evaluation form %s is not active; nothing to deactivate.", version, f.ID)
		}
		v.Status, f.ActiveVersion = EvalFormDraft, 0
		return save(tx, KindEvaluationFormVersion, iid, v, v.CreatedTime, now)
	})
}

// DeleteEvaluationForm deletes one version (version > 0) or the whole
// form. The active version cannot be deleted; deleting the last version
// deletes the form.
func (s *Service) DeleteEvaluationForm(ctx context.Context, instanceID, formID string, version int32) error {
	return s.update(ctx, func(tx Tx) error {
		iid, f, err := resourceIn[EvaluationForm](s, tx, KindEvaluationForm, instanceID, formID)
		if err != nil {
			return err
		}
		versions, err := evalVersions(tx, iid, f.ID)
		if err != nil {
			return err
		}
		doomed := versions
		if version != 0 {
			i := slices.IndexFunc(versions, func(v EvaluationFormVersion) bool { return v.Version == version })
			if i < 0 {
				return Errorf(ErrNotFound, "Evaluation form %s has no version %d; ListEvaluationFormVersions shows its versions.", f.ID, version)
			}
			doomed = versions[i : i+1]
		}
		for _, v := range doomed {
			if v.Status == EvalFormActive {
				return Errorf(ErrResourceConflict, "Version %d of evaluation form %s is active; deactivate it first.", v.Version, f.ID)
			}
		}
		for _, v := range doomed {
			if err := tx.DeleteRecord(KindEvaluationFormVersion, iid, evalVersionKey(f.ID, v.Version)); err != nil {
				return err
			}
		}
		if len(doomed) < len(versions) {
			if version == f.LatestVersion {
				prev := versions[len(versions)-2]
				f.LatestVersion, f.Title = prev.Version, prev.Title
			}
			now := s.now()
			return save(tx, KindEvaluationForm, iid, f, f.CreatedTime, now)
		}
		return tx.DeleteRecord(KindEvaluationForm, iid, f.ID)
	})
}
