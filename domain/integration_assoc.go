package domain

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"time"
)

// Integration associations tie an instance to other AWS services' resources
// (AppIntegrations event sources, Amazon Q, Cases domains, Pinpoint, …),
// and use cases say what an association is for (rules evaluation,
// campaigns). None of those services exist here: an association is a
// record, so that infrastructure code that creates, lists and deletes them
// works, and nothing reads it.

// IntegrationAssociation is one association of an instance.
type IntegrationAssociation struct {
	ID, Arn, InstanceID   string
	IntegrationType       string
	IntegrationArn        string
	SourceApplicationURL  string `json:",omitempty"`
	SourceApplicationName string `json:",omitempty"`
	SourceType            string `json:",omitempty"`
	Tags                  map[string]string
	CreatedTime           time.Time
}

// An instance associates an integration once: the ARN is the record's
// unique name.
func (a *IntegrationAssociation) recordKey() (string, string) { return a.ID, a.IntegrationArn }

// UseCase is a use of an integration association.
type UseCase struct {
	ID, Arn, InstanceID string
	AssociationID       string
	UseCaseType         string
	Tags                map[string]string
}

// An association has one use case of each type.
func (u *UseCase) recordKey() (string, string) { return u.ID, u.AssociationID + "/" + u.UseCaseType }

// IntegrationAssociationParams are the inputs of
// CreateIntegrationAssociation.
type IntegrationAssociationParams struct {
	IntegrationType, IntegrationArn                         string
	SourceApplicationURL, SourceApplicationName, SourceType string
	Tags                                                    map[string]string
}

var anyARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$`)

// CreateIntegrationAssociation records an association. EVENT associations
// (an external application's events through AppIntegrations) need their
// source: URL, name and type.
func (s *Service) CreateIntegrationAssociation(ctx context.Context, instanceID string, p IntegrationAssociationParams) (*IntegrationAssociation, error) {
	if !anyARNPattern.MatchString(p.IntegrationArn) {
		return nil, Errorf(ErrInvalidRequest, "IntegrationArn %q is not an ARN (arn:aws:service:region:account:resource).", clip(p.IntegrationArn, 200))
	}
	source := p.SourceApplicationURL != "" || p.SourceApplicationName != "" || p.SourceType != ""
	if p.IntegrationType == "EVENT" && (p.SourceApplicationURL == "" || p.SourceApplicationName == "" || p.SourceType == "") {
		return nil, Errorf(ErrInvalidRequest, "An EVENT integration needs SourceApplicationUrl, SourceApplicationName and SourceType.")
	}
	if p.IntegrationType != "EVENT" && source {
		return nil, Errorf(ErrInvalidRequest, "SourceApplicationUrl, SourceApplicationName and SourceType are for EVENT integrations only; leave them out for %s.", p.IntegrationType)
	}
	var out *IntegrationAssociation
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		now := s.now()
		id := s.newID()
		a := &IntegrationAssociation{ID: id, Arn: s.newARN(KindIntegrationAssociation, iid, id), InstanceID: iid,
			IntegrationType: p.IntegrationType, IntegrationArn: p.IntegrationArn, SourceApplicationURL: p.SourceApplicationURL,
			SourceApplicationName: p.SourceApplicationName, SourceType: p.SourceType, Tags: p.Tags, CreatedTime: now}
		err = save(tx, KindIntegrationAssociation, iid, a, now, now)
		var de *Error
		if errors.As(err, &de) && de.Code == ErrDuplicate {
			return Errorf(ErrDuplicate, "Integration %s is already associated with instance %s; ListIntegrationAssociations shows its association.", clip(p.IntegrationArn, 200), iid)
		}
		out = a
		return err
	})
	return out, err
}

// DeleteIntegrationAssociation removes an association that has no use
// cases left.
func (s *Service) DeleteIntegrationAssociation(ctx context.Context, instanceID, associationID string) error {
	return s.remove(ctx, KindIntegrationAssociation, instanceID, associationID, func(tx Tx, iid, id string) error {
		cases, err := all[UseCase](tx, KindUseCase, iid)
		if err != nil {
			return err
		}
		if i := slices.IndexFunc(cases, func(u UseCase) bool { return u.AssociationID == id }); i >= 0 {
			return Errorf(ErrInvalidRequest, "Integration association %s still has use case %s (%s); DeleteUseCase it first.", id, cases[i].ID, cases[i].UseCaseType)
		}
		return nil
	})
}

// ListIntegrationAssociations pages through an instance's associations,
// of one integration type and ARN when given, by ID.
func (s *Service) ListIntegrationAssociations(ctx context.Context, instanceID, integrationType, integrationArn string, page Page) ([]IntegrationAssociation, string, error) {
	return listIn(s, ctx, KindIntegrationAssociation, instanceID, page, func(a *IntegrationAssociation) bool {
		return (integrationType == "" || a.IntegrationType == integrationType) && (integrationArn == "" || a.IntegrationArn == integrationArn)
	})
}

// CreateUseCase adds a use case to an association, one of each type.
func (s *Service) CreateUseCase(ctx context.Context, instanceID, associationID, useCaseType string, tags map[string]string) (*UseCase, error) {
	var out *UseCase
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		a, err := getIn[IntegrationAssociation](tx, KindIntegrationAssociation, iid, associationID)
		if err != nil {
			return err
		}
		now := s.now()
		id := s.newID()
		u := &UseCase{ID: id, Arn: s.newARN(KindUseCase, iid, id), InstanceID: iid, AssociationID: a.ID, UseCaseType: useCaseType, Tags: tags}
		err = save(tx, KindUseCase, iid, u, now, now)
		var de *Error
		if errors.As(err, &de) && de.Code == ErrDuplicate {
			return Errorf(ErrDuplicate, "Integration association %s already has a %s use case; an association has one of each type.", a.ID, useCaseType)
		}
		out = u
		return err
	})
	return out, err
}

// DeleteUseCase removes a use case of an association.
func (s *Service) DeleteUseCase(ctx context.Context, instanceID, associationID, useCaseID string) error {
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		u, err := s.useCaseOf(tx, iid, associationID, useCaseID)
		if err != nil {
			return err
		}
		return tx.DeleteRecord(KindUseCase, iid, u.ID)
	})
}

// useCaseOf loads a use case of an association: ResourceNotFoundException
// for an unknown association, or a use case of another.
func (s *Service) useCaseOf(tx ReadTx, iid, associationID, useCaseID string) (*UseCase, error) {
	a, err := getIn[IntegrationAssociation](tx, KindIntegrationAssociation, iid, associationID)
	if err != nil {
		return nil, err
	}
	u, err := getIn[UseCase](tx, KindUseCase, iid, useCaseID)
	if err != nil {
		return nil, err
	}
	if u.AssociationID != a.ID {
		return nil, Errorf(ErrNotFound, "Use case %s belongs to integration association %s, not %s.", u.ID, u.AssociationID, a.ID)
	}
	return u, nil
}

// ListUseCases pages through an association's use cases, by ID.
func (s *Service) ListUseCases(ctx context.Context, instanceID, associationID string, page Page) ([]UseCase, string, error) {
	var out []UseCase
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		a, err := getIn[IntegrationAssociation](tx, KindIntegrationAssociation, iid, associationID)
		if err != nil {
			return err
		}
		out, next, err = listWhere(tx, KindUseCase, iid, page, func(u *UseCase) bool { return u.AssociationID == a.ID })
		return err
	})
	return out, next, err
}
