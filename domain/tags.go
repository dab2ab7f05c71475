package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
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
		_, c, err := s.contactIn(tx, instanceID, contactID)
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

// tagSearchType is a resource type SearchResourceTags searches: its name
// in the operation and its kind here.
type tagSearchType struct {
	name string
	kind Kind
}

// tagSearchTypes are the resource types SearchResourceTags searches.
var tagSearchTypes = []tagSearchType{
	{"agent", KindUser}, {"agent-state", KindAgentStatus}, {"routing-profile", KindRoutingProfile},
	{"standard-queue", KindQueue}, {"security-profile", KindSecurityProfile}, {"operating-hours", KindHoursOfOperation},
	{"prompt", KindPrompt}, {"contact-flow", KindContactFlow}, {"flow-module", KindFlowModule},
	{"transfer-destination", KindQuickConnect},
}

// TagSearch is SearchResourceTags' TagSearchCondition; an empty Key or
// Value matches any.
type TagSearch struct {
	Key, Value                     string
	KeyComparison, ValueComparison string
}

// Tag is one key and value.
type Tag struct{ Key, Value string }

// SearchResourceTags pages through the distinct tags (key and value) on
// the instance's resources of the given types (all the operation supports
// when none), sorted, that match the search.
func (s *Service) SearchResourceTags(ctx context.Context, instanceID string, resourceTypes []string, search *TagSearch, page Page) ([]Tag, string, error) {
	var kinds []Kind
	for _, t := range resourceTypes {
		i := slices.IndexFunc(tagSearchTypes, func(st tagSearchType) bool { return st.name == t })
		if i < 0 {
			names := make([]string, len(tagSearchTypes))
			for j, st := range tagSearchTypes {
				names[j] = st.name
			}
			return nil, "", Errorf(ErrInvalidParameter, "ResourceTypes %q is not a type whose tags can be searched; use %s.", clip(t, 64), strings.Join(names, ", "))
		}
		kinds = append(kinds, tagSearchTypes[i].kind)
	}
	if len(kinds) == 0 {
		for _, st := range tagSearchTypes {
			kinds = append(kinds, st.kind)
		}
	}
	keyOK, valueOK := func(string) bool { return true }, func(string) bool { return true }
	if search != nil {
		var err error
		if search.Key != "" {
			if keyOK, err = stringComparison(&StringCondition{Value: search.Key, ComparisonType: orExact(search.KeyComparison)}); err != nil {
				return nil, "", err
			}
		}
		if search.Value != "" {
			if valueOK, err = stringComparison(&StringCondition{Value: search.Value, ComparisonType: orExact(search.ValueComparison)}); err != nil {
				return nil, "", err
			}
		}
	}
	found := map[Tag]bool{}
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		for _, k := range kinds {
			docs, err := all[struct {
				Tags      map[string]string
				QueueType string
			}](tx, k, iid)
			if err != nil {
				return err
			}
			for _, d := range docs {
				if k == KindQueue && d.QueueType == "AGENT" {
					continue
				}
				for key, value := range d.Tags {
					if keyOK(key) && valueOK(value) {
						found[Tag{key, value}] = true
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	tags := make([]Tag, 0, len(found))
	for t := range found {
		tags = append(tags, t)
	}
	slices.SortFunc(tags, func(a, b Tag) int { return strings.Compare(a.Key+"\x00"+a.Value, b.Key+"\x00"+b.Value) })
	return pageSlice(tags, page)
}

// orExact is a comparison type, EXACT when none is given.
func orExact(c string) string {
	if c == "" {
		return "EXACT"
	}
	return c
}
