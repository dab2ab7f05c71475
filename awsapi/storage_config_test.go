package awsapi_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func TestInstanceStorageConfig(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	s3 := &types.InstanceStorageConfig{StorageType: types.StorageTypeS3, S3Config: &types.S3Config{BucketName: aws.String("transcripts"),
		BucketPrefix: aws.String("connect/chat"), EncryptionConfig: &types.EncryptionConfig{EncryptionType: types.EncryptionTypeKms, KeyId: aws.String("alias/connect")}}}
	assoc, err := env.Client.AssociateInstanceStorageConfig(ctx, &connect.AssociateInstanceStorageConfigInput{InstanceId: in,
		ResourceType: types.InstanceStorageResourceTypeChatTranscripts, StorageConfig: s3, ClientToken: aws.String("t1")})
	if err != nil {
		t.Fatal(err)
	}
	// A retry answers the same association; a new request conflicts.
	again, err := env.Client.AssociateInstanceStorageConfig(ctx, &connect.AssociateInstanceStorageConfigInput{InstanceId: in,
		ResourceType: types.InstanceStorageResourceTypeChatTranscripts, StorageConfig: s3, ClientToken: aws.String("t1")})
	if err != nil || *again.AssociationId != *assoc.AssociationId {
		t.Fatalf("retry: %+v, %v", again, err)
	}
	_, err = env.Raw.AssociateInstanceStorageConfig(ctx, &connect.AssociateInstanceStorageConfigInput{InstanceId: in,
		ResourceType: types.InstanceStorageResourceTypeChatTranscripts, StorageConfig: s3})
	sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict)

	kinesis := &types.InstanceStorageConfig{StorageType: types.StorageTypeKinesisStream,
		KinesisStreamConfig: &types.KinesisStreamConfig{StreamArn: aws.String("arn:aws:kinesis:us-east-1:123456789012:stream/ctr")}}
	ctr, err := env.Client.AssociateInstanceStorageConfig(ctx, &connect.AssociateInstanceStorageConfigInput{InstanceId: in,
		ResourceType: types.InstanceStorageResourceTypeContactTraceRecords, StorageConfig: kinesis})
	if err != nil {
		t.Fatal(err)
	}
	d, err := env.Client.DescribeInstanceStorageConfig(ctx, &connect.DescribeInstanceStorageConfigInput{InstanceId: in, AssociationId: assoc.AssociationId,
		ResourceType: types.InstanceStorageResourceTypeChatTranscripts})
	if err != nil {
		t.Fatal(err)
	}
	if c := d.StorageConfig; c.StorageType != types.StorageTypeS3 || *c.S3Config.BucketName != "transcripts" || *c.S3Config.EncryptionConfig.KeyId != "alias/connect" ||
		*c.AssociationId != *assoc.AssociationId {
		t.Errorf("Describe = %+v", c)
	}
	list, err := env.Client.ListInstanceStorageConfigs(ctx, &connect.ListInstanceStorageConfigsInput{InstanceId: in, ResourceType: types.InstanceStorageResourceTypeContactTraceRecords})
	if err != nil || len(list.StorageConfigs) != 1 || *list.StorageConfigs[0].KinesisStreamConfig.StreamArn != "arn:aws:kinesis:us-east-1:123456789012:stream/ctr" {
		t.Errorf("List = %+v, %v", list, err)
	}
	firehose := &types.InstanceStorageConfig{StorageType: types.StorageTypeKinesisFirehose,
		KinesisFirehoseConfig: &types.KinesisFirehoseConfig{FirehoseArn: aws.String("arn:aws:firehose:us-east-1:123456789012:deliverystream/ctr")}}
	if _, err := env.Client.UpdateInstanceStorageConfig(ctx, &connect.UpdateInstanceStorageConfigInput{InstanceId: in, AssociationId: ctr.AssociationId,
		ResourceType: types.InstanceStorageResourceTypeContactTraceRecords, StorageConfig: firehose}); err != nil {
		t.Fatal(err)
	}
	d, _ = env.Client.DescribeInstanceStorageConfig(ctx, &connect.DescribeInstanceStorageConfigInput{InstanceId: in, AssociationId: ctr.AssociationId,
		ResourceType: types.InstanceStorageResourceTypeContactTraceRecords})
	if d.StorageConfig.KinesisFirehoseConfig == nil || d.StorageConfig.KinesisStreamConfig != nil {
		t.Errorf("after update: %+v", d.StorageConfig)
	}
	if _, err := env.Client.DisassociateInstanceStorageConfig(ctx, &connect.DisassociateInstanceStorageConfigInput{InstanceId: in, AssociationId: ctr.AssociationId,
		ResourceType: types.InstanceStorageResourceTypeContactTraceRecords}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.DescribeInstanceStorageConfig(ctx, &connect.DescribeInstanceStorageConfigInput{InstanceId: in, AssociationId: ctr.AssociationId,
		ResourceType: types.InstanceStorageResourceTypeContactTraceRecords})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)

	// A storage type the resource type does not take, and mismatched members.
	for name, c := range map[string]struct {
		rt  types.InstanceStorageResourceType
		cfg *types.InstanceStorageConfig
	}{
		"recordings in Kinesis": {types.InstanceStorageResourceTypeCallRecordings, kinesis},
		"S3 type, Kinesis member": {types.InstanceStorageResourceTypeCallRecordings, &types.InstanceStorageConfig{StorageType: types.StorageTypeS3,
			KinesisStreamConfig: kinesis.KinesisStreamConfig}},
		"two members": {types.InstanceStorageResourceTypeCallRecordings, &types.InstanceStorageConfig{StorageType: types.StorageTypeS3,
			S3Config: s3.S3Config, KinesisStreamConfig: kinesis.KinesisStreamConfig}},
	} {
		_, err := env.Raw.AssociateInstanceStorageConfig(ctx, &connect.AssociateInstanceStorageConfigInput{InstanceId: in, ResourceType: c.rt, StorageConfig: c.cfg})
		t.Run(name, func(t *testing.T) { sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest) })
	}
}

func pemKey(t *testing.T) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func TestSecurityKeys(t *testing.T) {
	t.Parallel()
	env, iid := resEnv(t)
	ctx := sbtest.Ctx(t)
	in := aws.String(iid)
	a, b, c := pemKey(t), pemKey(t), pemKey(t)
	first, err := env.Client.AssociateSecurityKey(ctx, &connect.AssociateSecurityKeyInput{InstanceId: in, Key: aws.String(a)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.AssociateSecurityKey(ctx, &connect.AssociateSecurityKeyInput{InstanceId: in, Key: aws.String(b)}); err != nil {
		t.Fatal(err)
	}
	_, err = env.Raw.AssociateSecurityKey(ctx, &connect.AssociateSecurityKeyInput{InstanceId: in, Key: aws.String(a)})
	sbtest.APIError(t, err, "ResourceConflictException", http.StatusConflict)
	_, err = env.Raw.AssociateSecurityKey(ctx, &connect.AssociateSecurityKeyInput{InstanceId: in, Key: aws.String(c)})
	sbtest.APIError(t, err, "ServiceQuotaExceededException", http.StatusPaymentRequired)
	list, err := env.Client.ListSecurityKeys(ctx, &connect.ListSecurityKeysInput{InstanceId: in})
	if err != nil || len(list.SecurityKeys) != 2 || *list.SecurityKeys[0].Key != a || list.SecurityKeys[0].CreationTime == nil {
		t.Fatalf("ListSecurityKeys = %+v, %v", list, err)
	}
	if _, err := env.Client.DisassociateSecurityKey(ctx, &connect.DisassociateSecurityKeyInput{InstanceId: in, AssociationId: first.AssociationId}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.AssociateSecurityKey(ctx, &connect.AssociateSecurityKeyInput{InstanceId: in, Key: aws.String(c)}); err != nil {
		t.Errorf("a key after rotating one out: %v", err)
	}
	_, err = env.Raw.AssociateSecurityKey(ctx, &connect.AssociateSecurityKeyInput{InstanceId: in, Key: aws.String("not a key")})
	sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest)
	_, err = env.Raw.DisassociateSecurityKey(ctx, &connect.DisassociateSecurityKeyInput{InstanceId: in, AssociationId: first.AssociationId})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}
