package domain

import (
	"context"
	"slices"
	"time"
)

// Email address aliases. An alias forwards: mail to it becomes a contact
// of its primary address, which runs the primary's inbound flow and
// answers from the primary (StartEmailContact). An address has at most
// one alias, an alias forwards to one address, and aliases do not chain:
// an alias has no alias of its own and a primary is no one's alias.

// AssociateEmailAddressAlias makes aliasRef an alias of primaryRef.
func (s *Service) AssociateEmailAddressAlias(ctx context.Context, instanceID, primaryRef, aliasRef, clientToken string) error {
	return s.changeAlias(ctx, "AssociateEmailAddressAlias", instanceID, primaryRef, aliasRef, clientToken,
		func(primary, alias *EmailAddress) error {
			switch {
			case primary.ID == alias.ID:
				return Errorf(ErrInvalidRequest, "Email address %s cannot be an alias of itself; name another address in AliasConfiguration.", primary.ID)
			case slices.Contains(primary.AliasIDs, alias.ID):
				return nil // already so: nothing to change
			case len(primary.AliasIDs) > 0:
				return Errorf(ErrResourceConflict, "Email address %s already has an alias (%s), and an address can have only one; disassociate it first.", primary.ID, primary.AliasIDs[0])
			case alias.AliasOf != "":
				return Errorf(ErrResourceConflict, "Email address %s is already an alias of %s; disassociate it there first.", alias.ID, alias.AliasOf)
			case primary.AliasOf != "":
				return Errorf(ErrInvalidRequest, "Email address %s is itself an alias of %s, and aliases cannot be chained; make %s the alias of %s instead.", primary.ID, primary.AliasOf, alias.ID, primary.AliasOf)
			case len(alias.AliasIDs) > 0:
				return Errorf(ErrInvalidRequest, "Email address %s has an alias of its own (%s), and aliases cannot be chained.", alias.ID, alias.AliasIDs[0])
			}
			primary.AliasIDs = []string{alias.ID}
			alias.AliasOf = primary.ID
			return nil
		})
}

// DisassociateEmailAddressAlias ends aliasRef's forwarding to primaryRef.
// Both addresses stay.
func (s *Service) DisassociateEmailAddressAlias(ctx context.Context, instanceID, primaryRef, aliasRef, clientToken string) error {
	return s.changeAlias(ctx, "DisassociateEmailAddressAlias", instanceID, primaryRef, aliasRef, clientToken,
		func(primary, alias *EmailAddress) error {
			if alias.AliasOf != primary.ID {
				return Errorf(ErrNotFound, "Email address %s is not an alias of %s; DescribeEmailAddress shows an address's AliasConfigurations.", alias.ID, primary.ID)
			}
			primary.AliasIDs = slices.DeleteFunc(primary.AliasIDs, func(id string) bool { return id == alias.ID })
			alias.AliasOf = ""
			return nil
		})
}

// changeAlias loads both addresses, lets change them, and stores both. A
// ClientToken seen before with the same addresses answers success again.
func (s *Service) changeAlias(ctx context.Context, op, instanceID, primaryRef, aliasRef, clientToken string, change func(primary, alias *EmailAddress) error) error {
	info := kindInfo[KindEmailAddress]
	tok := newClientToken(op, clientToken, []string{idFromARN(primaryRef, info.arnType), idFromARN(aliasRef, info.arnType)})
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		primary, err := getIn[EmailAddress](tx, KindEmailAddress, iid, primaryRef)
		if err != nil {
			return err
		}
		alias, err := getIn[EmailAddress](tx, KindEmailAddress, iid, aliasRef)
		if err != nil {
			return Errorf(ErrNotFound, "AliasConfiguration.EmailAddressId: %s", err.Error())
		}
		now := s.now()
		if prior, err := s.claimToken(tx, iid, tok, primary.ID, now); err != nil || prior != "" {
			return err
		}
		if err := change(primary, alias); err != nil {
			return err
		}
		return saveAddresses(tx, iid, now, primary, alias)
	})
}

// saveAddresses stores changed addresses.
func saveAddresses(tx Tx, iid string, now time.Time, addrs ...*EmailAddress) error {
	for _, e := range addrs {
		e.LastModifiedTime = now
		if err := save(tx, KindEmailAddress, iid, e, e.CreatedTime, now); err != nil {
			return err
		}
	}
	return nil
}

// dropAliases undoes the alias relationships of an address being deleted.
func dropAliases(tx Tx, iid string, e *EmailAddress, now time.Time) error {
	var changed []*EmailAddress
	for _, other := range append(slices.Clone(e.AliasIDs), e.AliasOf) {
		if other == "" {
			continue
		}
		o, err := getIn[EmailAddress](tx, KindEmailAddress, iid, other)
		if CodeOf(err) == ErrNotFound {
			continue
		}
		if err != nil {
			return err
		}
		o.AliasIDs = slices.DeleteFunc(o.AliasIDs, func(id string) bool { return id == e.ID })
		if o.AliasOf == e.ID {
			o.AliasOf = ""
		}
		changed = append(changed, o)
	}
	return saveAddresses(tx, iid, now, changed...)
}
