package awsapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

func extensions(c *types.ExtensionConfiguration) []string {
	var out []string
	for _, e := range c.AllowedExtensions {
		out = append(out, *e.Extension)
	}
	return out
}

// TestAttachedFilesConfiguration: every scope starts on Connect's
// defaults; an update changes what it gives and keeps the rest; the
// list shows each scope's effective configuration; an email attachment
// is checked against the EMAIL scope.
func TestAttachedFilesConfiguration(t *testing.T) {
	t.Parallel()
	e := newCT(t)
	in := aws.String(e.iid)
	d, err := e.Client.DescribeAttachedFilesConfiguration(e.ctx(), &connect.DescribeAttachedFilesConfigurationInput{InstanceId: in, AttachmentScope: types.AttachmentScopeEmail})
	if err != nil {
		t.Fatal(err)
	}
	c := d.AttachedFilesConfiguration
	if aws.ToInt64(c.MaximumSizeLimitInBytes) != 20*1024*1024 || !slices.Contains(extensions(c.ExtensionConfiguration), "pdf") || c.LastModifiedTime != nil || *c.InstanceId != e.iid {
		t.Fatalf("default EMAIL configuration %+v", c)
	}

	up, err := e.Client.UpdateAttachedFilesConfiguration(e.ctx(), &connect.UpdateAttachedFilesConfigurationInput{InstanceId: in, AttachmentScope: types.AttachmentScopeEmail,
		ExtensionConfiguration: &types.ExtensionConfiguration{AllowedExtensions: []types.AllowedExtension{{Extension: aws.String("PDF")}, {Extension: aws.String("pdf")}, {Extension: aws.String("ics")}}}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(up.MaximumSizeLimitInBytes) != 20*1024*1024 || !slices.Equal(extensions(up.ExtensionConfiguration), []string{"pdf", "ics"}) || up.LastModifiedTime == nil {
		t.Fatalf("UpdateAttachedFilesConfiguration = %+v", up)
	}
	if _, err := e.Client.UpdateAttachedFilesConfiguration(e.ctx(), &connect.UpdateAttachedFilesConfigurationInput{InstanceId: in, AttachmentScope: types.AttachmentScopeEmail,
		MaximumSizeLimitInBytes: aws.Int64(2048)}); err != nil {
		t.Fatal(err)
	}
	list, err := e.Client.ListAttachedFilesConfigurations(e.ctx(), &connect.ListAttachedFilesConfigurationsInput{InstanceId: in})
	if err != nil || len(list.AttachedFilesConfigurations) != 4 {
		t.Fatalf("ListAttachedFilesConfigurations = %+v, %v", list, err)
	}
	for _, s := range list.AttachedFilesConfigurations {
		want := int64(20 * 1024 * 1024)
		if s.AttachmentScope == types.AttachmentScopeEmail {
			want = 2048
			if got := extensions(s.ExtensionConfiguration); !slices.Equal(got, []string{"pdf", "ics"}) {
				t.Errorf("EMAIL extensions after a size-only update: %v", got)
			}
		}
		if aws.ToInt64(s.MaximumSizeLimitInBytes) != want {
			t.Errorf("%s limit %d, want %d", s.AttachmentScope, aws.ToInt64(s.MaximumSizeLimitInBytes), want)
		}
	}

	// StartAttachedFileUpload on an email contact follows EMAIL.
	out, err := e.Client.StartEmailContact(e.ctx(), e.emailInput(e.emailAddress("files@shop.example")))
	if err != nil {
		t.Fatal(err)
	}
	contactARN := "arn:aws:connect:us-east-1:123456789012:instance/" + e.iid + "/contact/" + *out.ContactId
	upload := func(name string, size int64) error {
		_, err := e.Raw.StartAttachedFileUpload(e.ctx(), &connect.StartAttachedFileUploadInput{InstanceId: in, FileName: aws.String(name),
			FileSizeInBytes: aws.Int64(size), FileUseCaseType: types.FileUseCaseTypeAttachment, AssociatedResourceArn: aws.String(contactARN)})
		return err
	}
	if err := upload("invite.ics", 2048); err != nil {
		t.Fatal(err)
	}
	if msg := sbtest.APIError(t, upload("photo.png", 10), "InvalidRequestException", http.StatusBadRequest); !strings.Contains(msg, "pdf ics") {
		t.Errorf("type message %q", msg)
	}
	sbtest.APIError(t, upload("big.pdf", 2049), "InvalidRequestException", http.StatusBadRequest)

	for name, err := range map[string]error{
		"email over 20 MB": func() error {
			_, err := e.Raw.UpdateAttachedFilesConfiguration(e.ctx(), &connect.UpdateAttachedFilesConfigurationInput{InstanceId: in,
				AttachmentScope: types.AttachmentScopeEmail, MaximumSizeLimitInBytes: aws.Int64(20*1024*1024 + 1)})
			return err
		}(),
		"over 100 MB": func() error {
			_, err := e.Raw.UpdateAttachedFilesConfiguration(e.ctx(), &connect.UpdateAttachedFilesConfigurationInput{InstanceId: in,
				AttachmentScope: types.AttachmentScopeChat, MaximumSizeLimitInBytes: aws.Int64(100*1024*1024 + 1)})
			return err
		}(),
		"zero": func() error {
			_, err := e.Raw.UpdateAttachedFilesConfiguration(e.ctx(), &connect.UpdateAttachedFilesConfigurationInput{InstanceId: in,
				AttachmentScope: types.AttachmentScopeChat, MaximumSizeLimitInBytes: aws.Int64(0)})
			return err
		}(),
		"extension with a dot": func() error {
			_, err := e.Raw.UpdateAttachedFilesConfiguration(e.ctx(), &connect.UpdateAttachedFilesConfigurationInput{InstanceId: in,
				AttachmentScope: types.AttachmentScopeChat, ExtensionConfiguration: &types.ExtensionConfiguration{AllowedExtensions: []types.AllowedExtension{{Extension: aws.String(".pdf")}}}})
			return err
		}(),
		"unknown scope": func() error {
			_, err := e.Raw.DescribeAttachedFilesConfiguration(e.ctx(), &connect.DescribeAttachedFilesConfigurationInput{InstanceId: in, AttachmentScope: "VOICE"})
			return err
		}(),
	} {
		t.Run(name, func(t *testing.T) { sbtest.APIError(t, err, "InvalidParameterException", http.StatusBadRequest) })
	}
	_, err = e.Raw.ListAttachedFilesConfigurations(e.ctx(), &connect.ListAttachedFilesConfigurationsInput{InstanceId: aws.String("nope")})
	sbtest.APIError(t, err, "ResourceNotFoundException", http.StatusNotFound)
}
