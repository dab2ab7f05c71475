package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
)

// MaxTags is how many tags one resource may carry, as in AWS.
const MaxTags = 50

// MaxContactTags is how many user-defined tags a contact may carry
// (connect-semantics §1.7); tags whose keys begin aws: are Connect's own.
const MaxContactTags = 6

// TagContact adds tags to, or replaces tags of, a contact, ended or not.
// DescribeContact shows them.
func (s *Service) TagContact(ctx context.Context, instanceID, contactID string, tags map[string]string) error {
	return s.retagContact(ctx, instanceID, contactID, func(have map[string]string) error {
		maps.Copy(have, tags)
		n := 0
		for k := range have {
			if !strings.HasPrefix(k, "aws:") {
				n++
			}
		}
		if n > MaxContactTags {
			return Errorf(ErrInvalidParameter, "Contact %s would carry %d tags; a contact may have at most %d. Remove some with UntagContact first.", contactID, n, MaxContactTags)
		}
		return nil
	})
}

// UntagContact removes the tags with these keys from a contact; a key it
// does not carry is no error.
func (s *Service) UntagContact(ctx context.Context, instanceID, contactID string, keys []string) error {
	return s.retagContact(ctx, instanceID, contactID, without(keys))
}

// without is the tag change that removes keys.
func without(keys []string) func(map[string]string) error {
	return func(have map[string]string) error {
		for _, k := range keys {
			delete(have, k)
		}
		return nil
	}
}

// retagContact applies change to a contact's tags. Like TagResource it
// changes nothing else: not LastUpdateTimestamp, and no contact event.
func (s *Service) retagContact(ctx context.Context, instanceID, contactID string, change func(map[string]string) error) error {
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		c, err := s.getContact(tx, iid, contactID)
		if err != nil {
			return err
		}
		tags := maps.Clone(c.Tags)
		if tags == nil {
			tags = map[string]string{}
		}
		if err := change(tags); err != nil {
			return err
		}
		c.Tags = tags
		if len(tags) == 0 {
			c.Tags = nil
		}
		return s.putContact(tx, c)
	})
}

// TagResource adds tags to, or replaces tags of, the resource arn names:
// an instance, a phone number, or a resource of an instance (queue, flow,
// hours of operation, routing profile, user, …). Describe operations show
// the result in their Tags.
func (s *Service) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	return s.retag(ctx, arn, func(have map[string]string) error {
		maps.Copy(have, tags)
		if len(have) > MaxTags {
			return Errorf(ErrInvalidParameter, "%s would carry %d tags; a resource may have at most %d. Remove some with UntagResource first.", clip(arn, 256), len(have), MaxTags)
		}
		return nil
	})
}

// UntagResource removes the tags with these keys; a key the resource does
// not carry is no error.
func (s *Service) UntagResource(ctx context.Context, arn string, keys []string) error {
	return s.retag(ctx, arn, without(keys))
}

// ListTagsForResource returns the tags of the resource arn names.
func (s *Service) ListTagsForResource(ctx context.Context, arn string) (map[string]string, error) {
	var tags map[string]string
	err := s.view(ctx, func(tx ReadTx) error {
		rec, err := s.taggedRecord(tx, arn)
		if err != nil {
			return err
		}
		_, tags, err = decodeTags(rec)
		return err
	})
	return tags, err
}

// retag applies change to the tags of the resource arn names, in one
// write.
func (s *Service) retag(ctx context.Context, arn string, change func(map[string]string) error) error {
	var rec Record
	err := s.update(ctx, func(tx Tx) error {
		var err error
		rec, err = s.taggedRecord(tx, arn)
		if err != nil {
			return err
		}
		doc, tags, err := decodeTags(rec)
		if err != nil {
			return err
		}
		if err := change(tags); err != nil {
			return err
		}
		// Every taggable document keeps its tags under "Tags"; the rest
		// of the document goes back as it was read. Tagging is not a
		// change of the resource's configuration, so its times stay.
		if len(tags) == 0 {
			delete(doc, "Tags")
		} else if doc["Tags"], err = json.Marshal(tags); err != nil {
			return err
		}
		if rec.Data, err = json.Marshal(doc); err != nil {
			return err
		}
		return tx.PutRecord(rec)
	})
	if err == nil && rec.InstanceID != "" {
		// The runtime caches some of these documents (queues, flows);
		// what it holds must not outlive the change.
		s.notifyConfig(rec.InstanceID, rec.Kind, rec.ID)
	}
	return err
}

// decodeTags splits a stored document into its members and its tags
// (never nil).
func decodeTags(rec Record) (map[string]json.RawMessage, map[string]string, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(rec.Data, &doc); err != nil {
		return nil, nil, fmt.Errorf("decode %s %s: %w", rec.Kind, rec.ID, err)
	}
	tags := map[string]string{}
	if raw, ok := doc["Tags"]; ok {
		if err := json.Unmarshal(raw, &tags); err != nil {
			return nil, nil, fmt.Errorf("decode the tags of %s %s: %w", rec.Kind, rec.ID, err)
		}
		if tags == nil { // stored as null
			tags = map[string]string{}
		}
	}
	return doc, tags, nil
}

// taggedRecord finds the stored record of the resource an ARN names. ARNs
// are this server's own (its Region and account), as the resources'
// Describe operations and Create answers give them.
func (s *Service) taggedRecord(tx ReadTx, arn string) (Record, error) {
	kind, instanceID, id, err := s.parseTaggableARN(arn)
	if err != nil {
		return Record{}, err
	}
	rec, err := tx.GetRecord(kind, instanceID, id)
	if errors.Is(err, ErrStoreNotFound) {
		return Record{}, Errorf(ErrNotFound, "No resource has the ARN %s; check it against the ARN the resource's Describe operation shows.", clip(arn, 256))
	}
	return rec, err
}

// parseTaggableARN takes an ARN apart: instance/{id} (an instance),
// phone-number/{id}, or instance/{id}/{type}/{id} with a type of
// kindInfo. Every kind it accepts keeps its tags in a Tags field of its
// document, which retag relies on: a kind without one would lose the
// tags at its next update.
func (s *Service) parseTaggableARN(arn string) (kind Kind, instanceID, id string, err error) {
	prefix := s.arn("")
	rest, ok := strings.CutPrefix(arn, prefix)
	if !ok {
		return "", "", "", Errorf(ErrNotFound, "%s is not an ARN of this server's resources: they all begin %s (its --region and --account-id).", clip(arn, 256), prefix)
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 2 && parts[0] == "instance" && parts[1] != "":
		return KindInstance, "", parts[1], nil
	case len(parts) == 2 && parts[0] == kindInfo[KindPhoneNumber].arnType && parts[1] != "":
		return KindPhoneNumber, "", parts[1], nil
	case len(parts) == 4 && parts[0] == "instance" && parts[1] != "" && parts[3] != "":
		for k, info := range kindInfo {
			if info.arnType == parts[2] && k != KindPhoneNumber && k != KindPredefinedAttribute {
				return k, parts[1], parts[3], nil
			}
		}
		switch parts[2] {
		case "contact":
			return "", "", "", Errorf(ErrInvalidParameter, "%s is a contact; tag contacts with TagContact.", clip(arn, 256))
		case kindInfo[KindPredefinedAttribute].arnType:
			// Its document has no Tags (nor has the model's shape): tags
			// written into it would be dropped by its next update.
			return "", "", "", Errorf(ErrInvalidParameter, "%s is a predefined attribute, which takes no tags.", clip(arn, 256))
		}
	}
	return "", "", "", Errorf(ErrInvalidParameter, "%s does not name a resource that takes tags: an instance, a phone number, or a queue, flow, hours of operation, routing profile, quick connect, user, security profile, agent status, task template or email address of an instance.", clip(arn, 256))
}
