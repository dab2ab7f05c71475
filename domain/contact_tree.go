package domain

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// Contact trees (ListAssociatedContacts). Every contact carries the
// ContactAssociationId of its tree: its own ID when it starts one, its
// chain's when it joins a chain (transfers, linked tasks, chat segments),
// and, for an email reply (CreateContact with a RelatedContactId), the
// tree of the email it answers. The chains are found by InitialContactId,
// which the store indexes; a reply starts a chain of its own in another
// contact's tree, so the tree's record (KindContactTree, keyed by the
// association ID) lists the chains that joined it that way. Only replies
// write it: starting an ordinary contact costs nothing more.

// KindContactTree records the chains that joined a contact tree from
// outside its first chain.
const KindContactTree Kind = "contact-tree"

// contactTree is a tree's record.
type contactTree struct {
	// Chains are the initial contacts of the chains that joined the tree.
	Chains []string
}

// joinTree records that c's chain is in the tree of c.ContactAssociationID.
func joinTree(tx Tx, c *Contact) error {
	if c.ContactAssociationID == "" || c.ContactAssociationID == c.InitialContactID {
		return nil
	}
	t, err := getDoc[contactTree](tx, KindContactTree, c.InstanceID, c.ContactAssociationID)
	if errors.Is(err, ErrStoreNotFound) {
		t, err = &contactTree{}, nil
	}
	if err != nil {
		return err
	}
	if slices.Contains(t.Chains, c.InitialContactID) {
		return nil
	}
	t.Chains = append(t.Chains, c.InitialContactID)
	return putDoc(tx, KindContactTree, c.InstanceID, c.ContactAssociationID, "", c.InitiationTime, c.InitiationTime, t)
}

// ListAssociatedContacts pages through the contacts of a contact's tree,
// the contact included, oldest first (25 a page unless asked).
func (s *Service) ListAssociatedContacts(ctx context.Context, instanceID, contactID string, page Page) ([]Contact, string, error) {
	var tree []Contact
	err := s.view(ctx, func(tx ReadTx) error {
		iid, c, err := s.contactIn(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		root := c.ContactAssociationID
		if root == "" {
			root = c.InitialContactID
		}
		chains := []string{root}
		t, err := getDoc[contactTree](tx, KindContactTree, iid, root)
		switch {
		case err == nil:
			chains = append(chains, t.Chains...)
		case !errors.Is(err, ErrStoreNotFound):
			return err
		}
		for _, initial := range chains {
			rows, err := tx.QueryContacts(ContactQuery{InstanceID: iid, InitialContactID: initial})
			if err != nil {
				return err
			}
			for _, r := range rows {
				m, err := decodeContact(r)
				if err != nil {
					return err
				}
				if m.ContactAssociationID == root || m.ContactAssociationID == "" && root == m.InitialContactID {
					tree = append(tree, *m)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	slices.SortFunc(tree, func(a, b Contact) int {
		if c := a.InitiationTime.Compare(b.InitiationTime); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	page.Default = 25
	return pageSlice(tree, page)
}
