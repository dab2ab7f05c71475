package domain

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// Security profiles of entities other than users (AssociateSecurityProfiles
// and the rest): Connect supports Q in Connect AI agents only. Switchboard
// has no AI agents, so it keeps each agent's list of profiles by the
// agent's ARN without checking that the agent exists; the profiles must
// exist in the instance.

// KindEntitySecurityProfiles holds an entity's profiles, keyed by its ARN.
const KindEntitySecurityProfiles Kind = "entity-security-profiles"

// entityProfiles is an entity's security profiles.
type entityProfiles struct {
	EntityArn  string
	ProfileIDs []string
}

func (e *entityProfiles) recordKey() (string, string) { return e.EntityArn, "" }

// checkEntity accepts only an AI agent: the one type the operations take.
func checkEntity(entityType, entityArn string) error {
	if entityType != "AI_AGENT" {
		return Errorf(ErrInvalidRequest, "EntityType %q is not supported; the only type is AI_AGENT (users' profiles are set with UpdateUserSecurityProfiles).", clip(entityType, 32))
	}
	if !strings.HasPrefix(entityArn, "arn:aws:wisdom:") || !strings.Contains(entityArn, ":ai-agent/") {
		return Errorf(ErrInvalidParameter, "EntityArn %q is not the ARN of a Q in Connect AI agent (arn:aws:wisdom:{region}:{account}:ai-agent/{assistantId}/{aiAgentId}).", clip(entityArn, 256))
	}
	return nil
}

// AssociateSecurityProfiles adds profiles to an AI agent.
func (s *Service) AssociateSecurityProfiles(ctx context.Context, instanceID, entityType, entityArn string, profileIDs []string) error {
	return s.changeEntityProfiles(ctx, instanceID, entityType, entityArn, profileIDs, func(have []string, id string) []string {
		if slices.Contains(have, id) {
			return have
		}
		return append(have, id)
	})
}

// DisassociateSecurityProfiles removes profiles from an AI agent; a
// profile it does not have is no error.
func (s *Service) DisassociateSecurityProfiles(ctx context.Context, instanceID, entityType, entityArn string, profileIDs []string) error {
	return s.changeEntityProfiles(ctx, instanceID, entityType, entityArn, profileIDs, func(have []string, id string) []string {
		return slices.DeleteFunc(have, func(h string) bool { return h == id })
	})
}

func (s *Service) changeEntityProfiles(ctx context.Context, instanceID, entityType, entityArn string, profileIDs []string, change func(have []string, id string) []string) error {
	if err := checkEntity(entityType, entityArn); err != nil {
		return err
	}
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		e, err := getDoc[entityProfiles](tx, KindEntitySecurityProfiles, iid, entityArn)
		if errors.Is(err, ErrStoreNotFound) {
			e, err = &entityProfiles{EntityArn: entityArn}, nil
		}
		if err != nil {
			return err
		}
		for _, ref := range profileIDs {
			p, err := getIn[SecurityProfile](tx, KindSecurityProfile, iid, ref)
			if err != nil {
				return err
			}
			e.ProfileIDs = change(e.ProfileIDs, p.ID)
		}
		now := s.now()
		if len(e.ProfileIDs) == 0 {
			if err := tx.DeleteRecord(KindEntitySecurityProfiles, iid, entityArn); err != nil && !errors.Is(err, ErrStoreNotFound) {
				return err
			}
			return nil
		}
		return save(tx, KindEntitySecurityProfiles, iid, e, now, now)
	})
}

// ListEntitySecurityProfiles pages through an AI agent's profiles (none
// for an agent never given any); profiles deleted since are left out.
func (s *Service) ListEntitySecurityProfiles(ctx context.Context, instanceID, entityType, entityArn string, page Page) ([]string, string, error) {
	if err := checkEntity(entityType, entityArn); err != nil {
		return nil, "", err
	}
	var out []string
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		e, err := getDoc[entityProfiles](tx, KindEntitySecurityProfiles, iid, entityArn)
		if err != nil && !errors.Is(err, ErrStoreNotFound) {
			return err
		}
		var ids []string
		if e != nil {
			for _, id := range e.ProfileIDs {
				if ok, err := tx.HasRecord(KindSecurityProfile, iid, id); err != nil {
					return err
				} else if ok {
					ids = append(ids, id)
				}
			}
		}
		out, next, err = pageSlice(ids, page)
		return err
	})
	return out, next, err
}
