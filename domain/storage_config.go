package domain

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"slices"
	"strings"
	"time"
)

// Instance storage configurations say where Connect writes an instance's
// recordings, transcripts, contact records and event streams; security
// keys are the public keys that sign its chat widget's tokens. Both are
// kept on the instance document. Switchboard records them and writes
// nothing to S3 or Kinesis: its contact records and events go where its
// own flags say (docs/delivery.md).

// StorageConfig is an InstanceStorageConfig for one resource type.
type StorageConfig struct {
	AssociationID, ResourceType, StorageType string
	S3                                       *S3Storage           `json:",omitempty"`
	KinesisVideo                             *KinesisVideoStorage `json:",omitempty"`
	KinesisStreamArn                         string               `json:",omitempty"`
	FirehoseArn                              string               `json:",omitempty"`
}

// S3Storage is S3Config.
type S3Storage struct {
	Bucket, Prefix string
	Encryption     *StorageEncryption `json:",omitempty"`
}

// KinesisVideoStorage is KinesisVideoStreamConfig.
type KinesisVideoStorage struct {
	Prefix         string
	RetentionHours int
	Encryption     StorageEncryption
}

// StorageEncryption is EncryptionConfig.
type StorageEncryption struct {
	Type, KeyID string
}

// SecurityKey is a public key the instance's chat widget tokens are
// signed with.
type SecurityKey struct {
	AssociationID, Key string
	CreationTime       time.Time
}

// MaxSecurityKeys is how many keys an instance may hold, as Connect allows
// (two, so that a key can be rotated).
const MaxSecurityKeys = 2

// storageTypes are the storage types each resource type may use.
var storageTypes = map[string][]string{
	"CHAT_TRANSCRIPTS": {"S3"}, "CALL_RECORDINGS": {"S3"}, "SCHEDULED_REPORTS": {"S3"}, "ATTACHMENTS": {"S3"},
	"CONTACT_EVALUATIONS": {"S3"}, "SCREEN_RECORDINGS": {"S3"}, "EMAIL_MESSAGES": {"S3"},
	"MEDIA_STREAMS":                             {"KINESIS_VIDEO_STREAM"},
	"CONTACT_TRACE_RECORDS":                     {"KINESIS_STREAM", "KINESIS_FIREHOSE"},
	"AGENT_EVENTS":                              {"KINESIS_STREAM"},
	"REAL_TIME_CONTACT_ANALYSIS_SEGMENTS":       {"KINESIS_STREAM"},
	"REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS":  {"KINESIS_STREAM"},
	"REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS": {"KINESIS_STREAM"},
}

// check validates a configuration for its resource type: a storage type
// the resource type takes, with its own member and no other.
func (c *StorageConfig) check() error {
	allowed, ok := storageTypes[c.ResourceType]
	if !ok {
		return Errorf(ErrInvalidParameter, "ResourceType %q is not a storage resource type.", clip(c.ResourceType, 64))
	}
	if !slices.Contains(allowed, c.StorageType) {
		return Errorf(ErrInvalidParameter, "%s is stored in %s, not %s.", c.ResourceType, strings.Join(allowed, " or "), clip(c.StorageType, 32))
	}
	given := map[string]bool{"S3": c.S3 != nil, "KINESIS_VIDEO_STREAM": c.KinesisVideo != nil,
		"KINESIS_STREAM": c.KinesisStreamArn != "", "KINESIS_FIREHOSE": c.FirehoseArn != ""}
	members := map[string]string{"S3": "S3Config", "KINESIS_VIDEO_STREAM": "KinesisVideoStreamConfig",
		"KINESIS_STREAM": "KinesisStreamConfig", "KINESIS_FIREHOSE": "KinesisFirehoseConfig"}
	for typ, set := range given {
		if set != (typ == c.StorageType) {
			return Errorf(ErrInvalidParameter, "StorageType %s takes %s and no other storage configuration.", c.StorageType, members[c.StorageType])
		}
	}
	return nil
}

// AssociateInstanceStorageConfig sets where a resource type is stored; a
// resource type has one configuration (ResourceConflictException for a
// second, unless this retries the request that made the first).
func (s *Service) AssociateInstanceStorageConfig(ctx context.Context, instanceID string, c StorageConfig, clientToken string) (string, error) {
	if err := c.check(); err != nil {
		return "", err
	}
	tok := newClientToken("AssociateInstanceStorageConfig", clientToken, c)
	var id string
	err := s.modifyInstance(ctx, instanceID, func(tx Tx, inst *Instance) error {
		c.AssociationID = s.newID()
		prior, err := s.claimToken(tx, inst.ID, tok, c.AssociationID, s.now())
		if err != nil {
			return err
		}
		if prior != "" {
			id = prior
			return nil
		}
		for _, o := range inst.StorageConfigs {
			if o.ResourceType == c.ResourceType {
				return Errorf(ErrResourceConflict, "Instance %s already stores %s (association %s); change it with UpdateInstanceStorageConfig.", inst.ID, c.ResourceType, o.AssociationID)
			}
		}
		inst.StorageConfigs = append(inst.StorageConfigs, c)
		id = c.AssociationID
		return nil
	})
	return id, err
}

// storageConfigIndex finds a resource type's configuration by association.
func (inst *Instance) storageConfigIndex(associationID, resourceType string) (int, error) {
	i := slices.IndexFunc(inst.StorageConfigs, func(c StorageConfig) bool {
		return c.AssociationID == associationID && c.ResourceType == resourceType
	})
	if i < 0 {
		return -1, Errorf(ErrNotFound, "Instance %s has no %s storage configuration %s; ListInstanceStorageConfigs shows them.", inst.ID, clip(resourceType, 64), clip(associationID, 100))
	}
	return i, nil
}

// DescribeInstanceStorageConfig returns one configuration.
func (s *Service) DescribeInstanceStorageConfig(ctx context.Context, instanceID, associationID, resourceType string) (*StorageConfig, error) {
	inst, err := s.DescribeInstance(ctx, instanceID)
	if err != nil {
		return nil, err
	}
	i, err := inst.storageConfigIndex(associationID, resourceType)
	if err != nil {
		return nil, err
	}
	return &inst.StorageConfigs[i], nil
}

// ListInstanceStorageConfigs pages through a resource type's
// configurations.
func (s *Service) ListInstanceStorageConfigs(ctx context.Context, instanceID, resourceType string, page Page) ([]StorageConfig, string, error) {
	if _, ok := storageTypes[resourceType]; !ok {
		return nil, "", Errorf(ErrInvalidParameter, "ResourceType %q is not a storage resource type.", clip(resourceType, 64))
	}
	inst, err := s.DescribeInstance(ctx, instanceID)
	if err != nil {
		return nil, "", err
	}
	page.Default = 10
	return pageSlice(slices.DeleteFunc(slices.Clone(inst.StorageConfigs), func(c StorageConfig) bool { return c.ResourceType != resourceType }), page)
}

// UpdateInstanceStorageConfig replaces a configuration, keeping its
// association.
func (s *Service) UpdateInstanceStorageConfig(ctx context.Context, instanceID, associationID string, c StorageConfig) error {
	if err := c.check(); err != nil {
		return err
	}
	return s.modifyInstance(ctx, instanceID, func(_ Tx, inst *Instance) error {
		i, err := inst.storageConfigIndex(associationID, c.ResourceType)
		if err != nil {
			return err
		}
		c.AssociationID = associationID
		inst.StorageConfigs[i] = c
		return nil
	})
}

// DisassociateInstanceStorageConfig removes a configuration.
func (s *Service) DisassociateInstanceStorageConfig(ctx context.Context, instanceID, associationID, resourceType string) error {
	return s.modifyInstance(ctx, instanceID, func(_ Tx, inst *Instance) error {
		i, err := inst.storageConfigIndex(associationID, resourceType)
		if err != nil {
			return err
		}
		inst.StorageConfigs = slices.Delete(inst.StorageConfigs, i, i+1)
		return nil
	})
}

// AssociateSecurityKey adds a PEM public key; an instance holds two at
// the most.
func (s *Service) AssociateSecurityKey(ctx context.Context, instanceID, key, clientToken string) (string, error) {
	block, _ := pem.Decode([]byte(key))
	if block == nil || block.Type != "PUBLIC KEY" {
		return "", Errorf(ErrInvalidParameter, "Key is not a PEM public key; give one that begins -----BEGIN PUBLIC KEY-----.")
	}
	if _, err := x509.ParsePKIXPublicKey(block.Bytes); err != nil {
		return "", Errorf(ErrInvalidParameter, "Key does not hold a public key that can be read: %v.", err)
	}
	tok := newClientToken("AssociateSecurityKey", clientToken, key)
	var id string
	err := s.modifyInstance(ctx, instanceID, func(tx Tx, inst *Instance) error {
		now := s.now()
		k := SecurityKey{AssociationID: s.newID(), Key: key, CreationTime: now}
		prior, err := s.claimToken(tx, inst.ID, tok, k.AssociationID, now)
		if err != nil {
			return err
		}
		if prior != "" {
			id = prior
			return nil
		}
		for _, o := range inst.SecurityKeys {
			if o.Key == key {
				return Errorf(ErrResourceConflict, "Instance %s already holds this key (association %s).", inst.ID, o.AssociationID)
			}
		}
		if len(inst.SecurityKeys) >= MaxSecurityKeys {
			return Errorf(ErrQuotaExceeded, "Instance %s already holds %d security keys, the most it may; disassociate one first.", inst.ID, len(inst.SecurityKeys))
		}
		inst.SecurityKeys = append(inst.SecurityKeys, k)
		id = k.AssociationID
		return nil
	})
	return id, err
}

// ListSecurityKeys pages through the instance's keys.
func (s *Service) ListSecurityKeys(ctx context.Context, instanceID string, page Page) ([]SecurityKey, string, error) {
	inst, err := s.DescribeInstance(ctx, instanceID)
	if err != nil {
		return nil, "", err
	}
	page.Default = MaxSecurityKeys
	return pageSlice(inst.SecurityKeys, page)
}

// DisassociateSecurityKey removes a key.
func (s *Service) DisassociateSecurityKey(ctx context.Context, instanceID, associationID string) error {
	return s.modifyInstance(ctx, instanceID, func(_ Tx, inst *Instance) error {
		i := slices.IndexFunc(inst.SecurityKeys, func(k SecurityKey) bool { return k.AssociationID == associationID })
		if i < 0 {
			return Errorf(ErrNotFound, "Instance %s has no security key %s; ListSecurityKeys shows its keys.", inst.ID, clip(associationID, 100))
		}
		inst.SecurityKeys = slices.Delete(inst.SecurityKeys, i, i+1)
		return nil
	})
}
