package domain

import (
	"context"
	"errors"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Attached files configurations: per instance and attachment scope (EMAIL,
// CHAT, CASE, TASK), the largest file and the file extensions accepted.
// A scope without its own configuration has Connect's defaults. The
// limits are enforced where files arrive: the participant service's
// StartAttachmentUpload (CHAT) and StartAttachedFileUpload (EMAIL). CASE
// and TASK configurations are kept and shown; nothing uploads to them
// here.

// KindAttachedFilesConfig holds an instance's configurations by scope.
const KindAttachedFilesConfig Kind = "attached-files-config"

// AttachmentScopes are the scopes in the model's order.
var AttachmentScopes = []string{"EMAIL", "CHAT", "CASE", "TASK"}

// Attachment size limits (MaximumSizeLimitInBytes).
const (
	// DefaultAttachmentBytes is Connect's default limit in every scope.
	DefaultAttachmentBytes = 20 * 1024 * 1024
	// MaxAttachmentBytes is the model's upper bound, the most any scope
	// may be configured to accept.
	MaxAttachmentBytes = 100 * 1024 * 1024
	// maxEmailAttachmentBytes bounds EMAIL: Connect's email attachments
	// are at most 20 MB.
	maxEmailAttachmentBytes = 20 * 1024 * 1024
)

// defaultAttachmentExtensions are the file types Connect accepts by
// default (its feature specification's list).
var defaultAttachmentExtensions = []string{
	"csv", "doc", "docx", "heic", "jfif", "jpeg", "jpg", "mov", "mp4", "pdf", "png",
	"ppt", "pptx", "rtf", "txt", "wav", "xls", "xlsx",
}

var extensionPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,10}$`)

// AttachedFilesConfig is the configuration of one scope.
type AttachedFilesConfig struct {
	InstanceID string
	Scope      string
	MaxBytes   int64
	Extensions []string
	// LastModifiedTime is zero for a scope still on the defaults.
	LastModifiedTime time.Time `json:",omitzero"`
}

func (c *AttachedFilesConfig) recordKey() (string, string) { return c.Scope, "" }

// Allows reports whether a file named name has an accepted extension.
func (c *AttachedFilesConfig) Allows(name string) bool {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	return ext != "" && slices.Contains(c.Extensions, ext)
}

// AttachmentLimits returns the effective configuration of a scope of an
// instance, for the operations that take files to enforce.
func AttachmentLimits(tx ReadTx, instanceID, scope string) (AttachedFilesConfig, error) {
	c, err := getDoc[AttachedFilesConfig](tx, KindAttachedFilesConfig, instanceID, scope)
	if errors.Is(err, ErrStoreNotFound) {
		return AttachedFilesConfig{InstanceID: instanceID, Scope: scope, MaxBytes: DefaultAttachmentBytes, Extensions: slices.Clone(defaultAttachmentExtensions)}, nil
	}
	if err != nil {
		return AttachedFilesConfig{}, err
	}
	return *c, nil
}

func checkScope(scope string) error {
	if !slices.Contains(AttachmentScopes, scope) {
		return Errorf(ErrInvalidParameter, "AttachmentScope %q is not valid; use one of %s.", clip(scope, 32), strings.Join(AttachmentScopes, ", "))
	}
	return nil
}

// DescribeAttachedFilesConfiguration returns a scope's configuration, its
// own or the defaults.
func (s *Service) DescribeAttachedFilesConfiguration(ctx context.Context, instanceID, scope string) (*AttachedFilesConfig, error) {
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	var out AttachedFilesConfig
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		out, err = AttachmentLimits(tx, iid, scope)
		return err
	})
	return &out, err
}

// ListAttachedFilesConfigurations pages through every scope's effective
// configuration.
func (s *Service) ListAttachedFilesConfigurations(ctx context.Context, instanceID string, page Page) ([]AttachedFilesConfig, string, error) {
	var out []AttachedFilesConfig
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		every := make([]AttachedFilesConfig, 0, len(AttachmentScopes))
		for _, scope := range AttachmentScopes {
			c, err := AttachmentLimits(tx, iid, scope)
			if err != nil {
				return err
			}
			every = append(every, c)
		}
		out, next, err = pageSlice(every, page)
		return err
	})
	return out, next, err
}

// UpdateAttachedFilesConfiguration changes what is given of a scope's
// configuration (maxBytes, and extensions when extensionsSet), creating
// the scope's own configuration from the defaults when it has none.
func (s *Service) UpdateAttachedFilesConfiguration(ctx context.Context, instanceID, scope string, maxBytes *int64, extensions []string, extensionsSet bool) (*AttachedFilesConfig, error) {
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	if maxBytes != nil {
		limit := int64(MaxAttachmentBytes)
		if scope == "EMAIL" {
			limit = maxEmailAttachmentBytes
		}
		if *maxBytes < 1 || *maxBytes > limit {
			return nil, Errorf(ErrInvalidParameter, "MaximumSizeLimitInBytes %d is out of range for %s attachments; use 1 to %d.", *maxBytes, scope, limit)
		}
	}
	var exts []string
	for _, e := range extensions {
		if !extensionPattern.MatchString(e) {
			return nil, Errorf(ErrInvalidParameter, "AllowedExtensions entry %q is not a file extension; give 1 to 10 letters, digits, '-' or '_', without the dot.", clip(e, 32))
		}
		if e = strings.ToLower(e); !slices.Contains(exts, e) {
			exts = append(exts, e)
		}
	}
	var out AttachedFilesConfig
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if out, err = AttachmentLimits(tx, iid, scope); err != nil {
			return err
		}
		if maxBytes != nil {
			out.MaxBytes = *maxBytes
		}
		if extensionsSet {
			out.Extensions = exts
		}
		now := s.now()
		out.LastModifiedTime = now
		return save(tx, KindAttachedFilesConfig, iid, &out, now, now)
	})
	return &out, err
}
