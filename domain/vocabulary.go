package domain

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"
)

// Custom vocabularies teach Contact Lens words it would mishear; an
// instance has a default one per language. Switchboard has no speech
// analytics, so a vocabulary is a record: ACTIVE as soon as it is made,
// where Connect takes minutes, and its content is kept as given.

// Vocabulary is a custom vocabulary.
type Vocabulary struct {
	ID, Arn, InstanceID string
	Name, LanguageCode  string
	Content             string
	State               string // ACTIVE
	Tags                map[string]string
	LastModifiedTime    time.Time
}

func (v *Vocabulary) recordKey() (string, string) { return v.ID, v.Name }

// VocabularyParams are the inputs of CreateVocabulary.
type VocabularyParams struct {
	ClientToken                 string
	Name, LanguageCode, Content string
	Tags                        map[string]string
}

// CreateVocabulary records a vocabulary; names are unique in the
// instance. A ClientToken makes a retry answer the first vocabulary.
func (s *Service) CreateVocabulary(ctx context.Context, instanceID string, p VocabularyParams) (*Vocabulary, error) {
	var v *Vocabulary
	tok := newClientToken("CreateVocabulary", p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		iid, id, now, prior, err := newIn[Vocabulary](s, tx, KindVocabulary, instanceID, tok)
		if err != nil || prior != nil {
			v = prior
			return err
		}
		if err := checkQuota(tx, KindVocabulary, iid, s.quotas.Vocabularies, ErrQuotaExceeded, "vocabularies"); err != nil {
			return err
		}
		v = &Vocabulary{ID: id, InstanceID: iid, Name: p.Name, LanguageCode: p.LanguageCode, Content: p.Content, State: "ACTIVE",
			Tags: p.Tags, LastModifiedTime: now}
		v.Arn = s.newARN(KindVocabulary, iid, id)
		err = save(tx, KindVocabulary, iid, v, now, now)
		var de *Error
		if errors.As(err, &de) && de.Code == ErrDuplicate {
			// The model gives CreateVocabulary ResourceConflictException
			// for a taken name.
			return Errorf(ErrResourceConflict, "%s", de.Message)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// DescribeVocabulary returns a vocabulary by ID or ARN.
func (s *Service) DescribeVocabulary(ctx context.Context, instanceID, vocabularyID string) (*Vocabulary, error) {
	return describe[Vocabulary](s, ctx, KindVocabulary, instanceID, vocabularyID)
}

// DeleteVocabulary deletes a vocabulary that is no language's default.
func (s *Service) DeleteVocabulary(ctx context.Context, instanceID, vocabularyID string) (*Vocabulary, error) {
	v, err := s.DescribeVocabulary(ctx, instanceID, vocabularyID)
	if err != nil {
		return nil, err
	}
	err = s.remove(ctx, KindVocabulary, instanceID, v.ID, func(tx Tx, iid, id string) error {
		inst, err := s.getInstance(tx, iid)
		if err != nil {
			return err
		}
		for lang, def := range inst.DefaultVocabularies {
			if def == id {
				return Errorf(ErrResourceInUse, "Vocabulary %s is the default for %s; make another the default, or none (AssociateDefaultVocabulary without VocabularyId), first.", id, lang)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	v.State = "DELETE_IN_PROGRESS" // what Connect answers; here it is gone already
	return v, nil
}

// SearchVocabularies pages through the vocabularies with the state,
// language and name prefix given (any when empty), by name.
func (s *Service) SearchVocabularies(ctx context.Context, instanceID, state, namePrefix, language string, page Page) ([]Vocabulary, string, error) {
	var out []Vocabulary
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		every, err := all[Vocabulary](tx, KindVocabulary, iid)
		if err != nil {
			return err
		}
		hits := slices.DeleteFunc(every, func(v Vocabulary) bool {
			return state != "" && v.State != state || language != "" && v.LanguageCode != language || !strings.HasPrefix(v.Name, namePrefix)
		})
		slices.SortFunc(hits, func(a, b Vocabulary) int { return strings.Compare(a.Name, b.Name) })
		out, next, err = pageSlice(hits, page)
		return err
	})
	return out, next, err
}

// AssociateDefaultVocabulary makes a vocabulary of the language its
// default, or, with no vocabulary, leaves the language without one.
func (s *Service) AssociateDefaultVocabulary(ctx context.Context, instanceID, language, vocabularyID string) error {
	return s.modifyInstance(ctx, instanceID, func(tx Tx, inst *Instance) error {
		if vocabularyID == "" {
			delete(inst.DefaultVocabularies, language)
			return nil
		}
		v, err := getIn[Vocabulary](tx, KindVocabulary, inst.ID, vocabularyID)
		if err != nil {
			return err
		}
		if v.LanguageCode != language {
			return Errorf(ErrInvalidRequest, "Vocabulary %s is in %s; it cannot be the default for %s.", v.ID, v.LanguageCode, language)
		}
		if inst.DefaultVocabularies == nil {
			inst.DefaultVocabularies = map[string]string{}
		}
		inst.DefaultVocabularies[language] = v.ID
		return nil
	})
}

// DefaultVocabulary is one language's default vocabulary.
type DefaultVocabulary struct {
	InstanceID, Language, VocabularyID, VocabularyName string
}

// ListDefaultVocabularies pages through the defaults, of one language when
// language is set, by language.
func (s *Service) ListDefaultVocabularies(ctx context.Context, instanceID, language string, page Page) ([]DefaultVocabulary, string, error) {
	var out []DefaultVocabulary
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		inst, err := s.getInstance(tx, instanceID)
		if err != nil {
			return err
		}
		var defs []DefaultVocabulary
		for _, lang := range slices.Sorted(maps.Keys(inst.DefaultVocabularies)) {
			if language != "" && lang != language {
				continue
			}
			v, err := getDoc[Vocabulary](tx, KindVocabulary, inst.ID, inst.DefaultVocabularies[lang])
			if err != nil {
				return err
			}
			defs = append(defs, DefaultVocabulary{InstanceID: inst.ID, Language: lang, VocabularyID: v.ID, VocabularyName: v.Name})
		}
		out, next, err = pageSlice(defs, page)
		return err
	})
	return out, next, err
}
