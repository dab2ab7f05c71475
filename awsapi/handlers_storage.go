package awsapi

import (
	"context"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

func encryptionIn(e *cw.EncryptionConfig) *domain.StorageEncryption {
	if e == nil {
		return nil
	}
	return &domain.StorageEncryption{Type: string(e.EncryptionType), KeyID: deref(e.KeyId)}
}

func encryptionOut(e *domain.StorageEncryption) *cw.EncryptionConfig {
	if e == nil {
		return nil
	}
	return &cw.EncryptionConfig{EncryptionType: cw.EncryptionType(e.Type), KeyId: ref(e.KeyID)}
}

// storageConfigIn converts an InstanceStorageConfig for resourceType.
func storageConfigIn(resourceType string, c *cw.InstanceStorageConfig) domain.StorageConfig {
	out := domain.StorageConfig{ResourceType: resourceType}
	if c == nil {
		return out
	}
	out.StorageType = string(c.StorageType)
	if s3 := c.S3Config; s3 != nil {
		out.S3 = &domain.S3Storage{Bucket: deref(s3.BucketName), Prefix: deref(s3.BucketPrefix), Encryption: encryptionIn(s3.EncryptionConfig)}
	}
	if kv := c.KinesisVideoStreamConfig; kv != nil {
		out.KinesisVideo = &domain.KinesisVideoStorage{Prefix: deref(kv.Prefix), RetentionHours: int(deref(kv.RetentionPeriodHours))}
		if e := encryptionIn(kv.EncryptionConfig); e != nil {
			out.KinesisVideo.Encryption = *e
		}
	}
	if c.KinesisStreamConfig != nil {
		out.KinesisStreamArn = deref(c.KinesisStreamConfig.StreamArn)
	}
	if c.KinesisFirehoseConfig != nil {
		out.FirehoseArn = deref(c.KinesisFirehoseConfig.FirehoseArn)
	}
	return out
}

func storageConfigOut(c *domain.StorageConfig) cw.InstanceStorageConfig {
	out := cw.InstanceStorageConfig{AssociationId: ref(c.AssociationID), StorageType: cw.StorageType(c.StorageType)}
	if s3 := c.S3; s3 != nil {
		out.S3Config = &cw.S3Config{BucketName: ref(s3.Bucket), BucketPrefix: ref(s3.Prefix), EncryptionConfig: encryptionOut(s3.Encryption)}
	}
	if kv := c.KinesisVideo; kv != nil {
		out.KinesisVideoStreamConfig = &cw.KinesisVideoStreamConfig{Prefix: ref(kv.Prefix), RetentionPeriodHours: ref(int32(kv.RetentionHours)),
			EncryptionConfig: encryptionOut(&kv.Encryption)}
	}
	if c.KinesisStreamArn != "" {
		out.KinesisStreamConfig = &cw.KinesisStreamConfig{StreamArn: ref(c.KinesisStreamArn)}
	}
	if c.FirehoseArn != "" {
		out.KinesisFirehoseConfig = &cw.KinesisFirehoseConfig{FirehoseArn: ref(c.FirehoseArn)}
	}
	return out
}

// AssociateInstanceStorageConfig handles the operation of the same name.
func (h *Handlers) AssociateInstanceStorageConfig(ctx context.Context, in *cw.AssociateInstanceStorageConfigRequest) (*cw.AssociateInstanceStorageConfigResponse, error) {
	id, err := h.svc.AssociateInstanceStorageConfig(ctx, deref(in.InstanceId), storageConfigIn(string(in.ResourceType), in.StorageConfig), deref(in.ClientToken))
	if err != nil {
		return nil, err
	}
	return &cw.AssociateInstanceStorageConfigResponse{AssociationId: ref(id)}, nil
}

// DescribeInstanceStorageConfig handles the operation of the same name.
func (h *Handlers) DescribeInstanceStorageConfig(ctx context.Context, in *cw.DescribeInstanceStorageConfigRequest) (*cw.DescribeInstanceStorageConfigResponse, error) {
	c, err := h.svc.DescribeInstanceStorageConfig(ctx, deref(in.InstanceId), deref(in.AssociationId), string(in.ResourceType))
	if err != nil {
		return nil, err
	}
	out := storageConfigOut(c)
	return &cw.DescribeInstanceStorageConfigResponse{StorageConfig: &out}, nil
}

// ListInstanceStorageConfigs handles the operation of the same name.
func (h *Handlers) ListInstanceStorageConfigs(ctx context.Context, in *cw.ListInstanceStorageConfigsRequest) (*cw.ListInstanceStorageConfigsResponse, error) {
	list, next, err := h.svc.ListInstanceStorageConfigs(ctx, deref(in.InstanceId), string(in.ResourceType), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListInstanceStorageConfigsResponse{NextToken: ptr(next), StorageConfigs: []cw.InstanceStorageConfig{}}
	for i := range list {
		out.StorageConfigs = append(out.StorageConfigs, storageConfigOut(&list[i]))
	}
	return out, nil
}

// UpdateInstanceStorageConfig handles the operation of the same name.
func (h *Handlers) UpdateInstanceStorageConfig(ctx context.Context, in *cw.UpdateInstanceStorageConfigRequest) (*cw.UpdateInstanceStorageConfigResponse, error) {
	if err := h.svc.UpdateInstanceStorageConfig(ctx, deref(in.InstanceId), deref(in.AssociationId), storageConfigIn(string(in.ResourceType), in.StorageConfig)); err != nil {
		return nil, err
	}
	return &cw.UpdateInstanceStorageConfigResponse{}, nil
}

// DisassociateInstanceStorageConfig handles the operation of the same name.
func (h *Handlers) DisassociateInstanceStorageConfig(ctx context.Context, in *cw.DisassociateInstanceStorageConfigRequest) (*cw.DisassociateInstanceStorageConfigResponse, error) {
	if err := h.svc.DisassociateInstanceStorageConfig(ctx, deref(in.InstanceId), deref(in.AssociationId), string(in.ResourceType)); err != nil {
		return nil, err
	}
	return &cw.DisassociateInstanceStorageConfigResponse{}, nil
}

// AssociateSecurityKey handles the operation of the same name.
func (h *Handlers) AssociateSecurityKey(ctx context.Context, in *cw.AssociateSecurityKeyRequest) (*cw.AssociateSecurityKeyResponse, error) {
	id, err := h.svc.AssociateSecurityKey(ctx, deref(in.InstanceId), deref(in.Key), deref(in.ClientToken))
	if err != nil {
		return nil, err
	}
	return &cw.AssociateSecurityKeyResponse{AssociationId: ref(id)}, nil
}

// ListSecurityKeys handles the operation of the same name.
func (h *Handlers) ListSecurityKeys(ctx context.Context, in *cw.ListSecurityKeysRequest) (*cw.ListSecurityKeysResponse, error) {
	list, next, err := h.svc.ListSecurityKeys(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListSecurityKeysResponse{NextToken: ptr(next), SecurityKeys: []cw.SecurityKey{}}
	for _, k := range list {
		out.SecurityKeys = append(out.SecurityKeys, cw.SecurityKey{AssociationId: ref(k.AssociationID), Key: ref(k.Key), CreationTime: wtime(k.CreationTime)})
	}
	return out, nil
}

// DisassociateSecurityKey handles the operation of the same name.
func (h *Handlers) DisassociateSecurityKey(ctx context.Context, in *cw.DisassociateSecurityKeyRequest) (*cw.DisassociateSecurityKeyResponse, error) {
	if err := h.svc.DisassociateSecurityKey(ctx, deref(in.InstanceId), deref(in.AssociationId)); err != nil {
		return nil, err
	}
	return &cw.DisassociateSecurityKeyResponse{}, nil
}
