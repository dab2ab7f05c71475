package domain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/presign"
)

// Attached files: StartAttachedFileUpload, CompleteAttachedFileUpload,
// GetAttachedFile, BatchGetAttachedFileMetadata, DeleteAttachedFile.
//
// Connect keeps these files in S3 and hands out presigned S3 URLs. Here a
// file's metadata is a record (KindAttachedFile) and its bytes a second
// record (KindAttachedFileContent), so that an upload is committed like
// any other write, DeleteInstance removes both, and reading the metadata
// never loads the bytes. The URLs point at this server (the awsapi
// package serves them) and are signed like presigned S3 URLs (package
// presign), under a secret kept in the file's metadata.
//
// Connect accepts files for Cases and for email contacts. Switchboard has
// no Cases, so the associated resource is always an email contact of the
// instance.

// Kinds of the attached-file records.
const (
	KindAttachedFile Kind = "attached-file"
	// KindAttachedFileContent holds a file's bytes as they were uploaded,
	// under the file's ID.
	KindAttachedFileContent Kind = "attached-file-content"
	// KindAttachedFileIndex lists the files of one contact, under the
	// contact's ID: it counts them for the quota without a scan.
	KindAttachedFileIndex Kind = "attached-file-index"
)

// Attached-file limits.
const (
	// MaxAttachedFileBytes is the most an attached file can be: files
	// attach to email contacts, whose attachments Connect bounds at 20 MB.
	// The instance's EMAIL configuration may set less.
	MaxAttachedFileBytes = maxEmailAttachmentBytes
	// MaxAttachedFilesPerContact bounds the files of one contact, the
	// attachments an email may carry.
	MaxAttachedFilesPerContact = 50
	// defaultFileURLExpiry is how long upload and download URLs live when
	// UrlExpiryInSeconds is not given (the model allows 5..300).
	defaultFileURLExpiry = 300 * time.Second
)

// File statuses (FileStatusType).
const (
	FileProcessing = "PROCESSING"
	FileApproved   = "APPROVED"
)

// Reasons of InvalidRequestException and ServiceQuotaExceededException for
// attached files (the model's AttachedFile…ExceptionReason enums).
const (
	ReasonInvalidFileSize = "INVALID_FILE_SIZE"
	ReasonInvalidFileType = "INVALID_FILE_TYPE"
	ReasonInvalidFileName = "INVALID_FILE_NAME"
	ReasonTotalFileCount  = "TOTAL_FILE_COUNT_EXCEEDED"
)

const (
	// fileUseCaseAttachment is the only FileUseCaseType a caller uploads;
	// the others name files Connect makes itself (email bodies,
	// recordings, analyses).
	fileUseCaseAttachment = "ATTACHMENT"
	fileURLMethodPut      = "PUT"
	fileURLMethodGet      = "GET"
	attachedFileARNType   = "file"
	// fileErrMissing is AttachedFileError.ErrorCode for a file that is not
	// there: the HTTP status GetAttachedFile would have answered.
	fileErrMissing = "404"
)

// AttachedFile is an attached file's metadata.
type AttachedFile struct {
	ID, Arn, InstanceID   string
	Name                  string
	Size                  int64
	UseCaseType           string
	AssociatedResourceArn string
	// ContactID is the contact of AssociatedResourceArn.
	ContactID   string
	CreatedBy   FileCreator
	Tags        map[string]string `json:",omitempty"`
	CreatedTime time.Time
	Status      string
	// Uploaded is set once the bytes have been PUT.
	Uploaded bool `json:",omitempty"`
	// Secret signs the file's URLs; it never leaves the server.
	Secret string
}

func (f *AttachedFile) recordKey() (string, string) { return f.ID, "" }

// FileCreator is CreatedByInfo: one of the two is set.
type FileCreator struct {
	ConnectUserArn string `json:",omitempty"`
	AWSIdentityArn string `json:",omitempty"`
}

// AttachedFileParams are StartAttachedFileUpload's inputs.
type AttachedFileParams struct {
	ClientToken           string
	Name                  string
	Size                  int64
	UseCaseType           string
	AssociatedResourceArn string
	// URLExpiry is UrlExpiryInSeconds; 0 means the default.
	URLExpiry time.Duration
	CreatedBy FileCreator
	Tags      map[string]string
}

// FileURL is what an upload or download URL names and proves.
type FileURL struct {
	InstanceID, FileID string
	Expires            time.Time
	Signature          string
}

// AttachedFileUpload is StartAttachedFileUpload's result.
type AttachedFileUpload struct {
	File *AttachedFile
	URL  FileURL
}

// AttachedFileError is one file BatchGetAttachedFileMetadata could not
// return.
type AttachedFileError struct {
	FileID, Code, Message string
}

func fileReasonError(code ErrorCode, reason, format string, args ...any) *Error {
	e := Errorf(code, format, args...)
	e.Reason = reason
	return e
}

// checkAttachedFile applies the rules on a new file's name and size.
func checkAttachedFile(p AttachedFileParams) error {
	if p.UseCaseType != fileUseCaseAttachment {
		return Errorf(ErrInvalidRequest, "FileUseCaseType %s cannot be uploaded through the API; use ATTACHMENT.", clip(p.UseCaseType, 50))
	}
	if p.Size > MaxAttachedFileBytes {
		return fileReasonError(ErrInvalidRequest, ReasonInvalidFileSize,
			"FileSizeInBytes is %d; an attached file may have at most %d bytes (20 MB).", p.Size, MaxAttachedFileBytes)
	}
	if strings.ContainsAny(p.Name, `/\`) || strings.Trim(p.Name, ". ") == "" {
		return fileReasonError(ErrInvalidRequest, ReasonInvalidFileName,
			"FileName %q is not a file name; give the name alone, without a path.", clip(p.Name, 100))
	}
	if p.CreatedBy.AWSIdentityArn != "" {
		return Errorf(ErrInvalidRequest, "CreatedBy.AWSIdentityArn is set by the service from the caller's identity; pass CreatedBy.ConnectUserArn or leave CreatedBy out.")
	}
	return nil
}

// fileWithinLimits checks a new file against the scope's attached files
// configuration (UpdateAttachedFilesConfiguration).
func fileWithinLimits(tx ReadTx, iid, scope string, p AttachedFileParams) error {
	lim, err := AttachmentLimits(tx, iid, scope)
	if err != nil {
		return err
	}
	if p.Size > lim.MaxBytes {
		return fileReasonError(ErrInvalidRequest, ReasonInvalidFileSize,
			"FileSizeInBytes is %d; %s attachments of this instance may have at most %d bytes (UpdateAttachedFilesConfiguration sets the limit).", p.Size, scope, lim.MaxBytes)
	}
	if !lim.Allows(p.Name) {
		return fileReasonError(ErrInvalidRequest, ReasonInvalidFileType,
			"FileName %q does not end in a file type this instance accepts for %s attachments; use one of %s (UpdateAttachedFilesConfiguration sets the list).",
			clip(p.Name, 100), scope, strings.Join(lim.Extensions, " "))
	}
	return nil
}

// fileContact resolves an AssociatedResourceArn to an email contact of
// the instance.
func (s *Service) fileContact(tx ReadTx, iid, resourceArn string) (*Contact, error) {
	prefix := s.ContactARN(iid, "")
	cid, ok := strings.CutPrefix(resourceArn, prefix)
	if !ok || cid == "" || strings.Contains(cid, "/") {
		return nil, Errorf(ErrInvalidRequest, "AssociatedResourceArn %s is not the ARN of a contact of instance %s; Switchboard attaches files to email contacts (%s{contactId}). Cases are not supported.",
			clip(resourceArn, 200), iid, prefix)
	}
	c, err := s.getContact(tx, iid, cid)
	if err != nil {
		return nil, err
	}
	if c.Channel != "EMAIL" {
		return nil, Errorf(ErrInvalidRequest, "Contact %s is a %s contact; files attach to email contacts (chats use the participant service's StartAttachmentUpload).", cid, c.Channel)
	}
	return c, nil
}

// fileIndex is the list of a contact's attached files.
type fileIndex struct {
	Files []string
}

// StartAttachedFileUpload creates a file in PROCESSING and returns the URL
// to PUT its bytes to. A retry with the same ClientToken returns the same
// file, with a fresh URL.
func (s *Service) StartAttachedFileUpload(ctx context.Context, instanceID string, p AttachedFileParams) (*AttachedFileUpload, error) {
	if err := checkAttachedFile(p); err != nil {
		return nil, err
	}
	if p.URLExpiry == 0 {
		p.URLExpiry = defaultFileURLExpiry
	}
	var f *AttachedFile
	tok := newClientToken("StartAttachedFileUpload", p.ClientToken, struct {
		P   AttachedFileParams
		IID string
	}{p, instanceID})
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		c, err := s.fileContact(tx, iid, p.AssociatedResourceArn)
		if err != nil {
			return err
		}
		if err := fileWithinLimits(tx, iid, "EMAIL", p); err != nil {
			return err
		}
		now := s.now()
		id := s.newID()
		if f, err = claimOrReplay[AttachedFile](s, tx, KindAttachedFile, iid, tok, id, now); err != nil || f != nil {
			return err
		}
		idx, err := getDoc[fileIndex](tx, KindAttachedFileIndex, iid, c.ID)
		if isNotFound(err) {
			idx, err = &fileIndex{}, nil
		}
		if err != nil {
			return err
		}
		if len(idx.Files) >= MaxAttachedFilesPerContact {
			return fileReasonError(ErrQuotaExceeded, ReasonTotalFileCount,
				"Contact %s already has %d attached files, the most one email may carry; delete one first.", c.ID, len(idx.Files))
		}
		secret, err := presign.NewSecret()
		if err != nil {
			return err
		}
		creator := p.CreatedBy
		if u := creator.ConnectUserArn; u != "" {
			if !strings.HasPrefix(u, s.resourceARN(iid, kindInfo[KindUser].arnType, "")) {
				return Errorf(ErrInvalidRequest, "CreatedBy.ConnectUserArn %s is not the ARN of a user of instance %s; DescribeUser shows a user's Arn.", clip(u, 200), iid)
			}
			if err := exists(tx, KindUser, iid, u, "CreatedBy.ConnectUserArn"); err != nil {
				return err
			}
		} else {
			// Every caller signs with the root credentials.
			creator.AWSIdentityArn = fmt.Sprintf("arn:aws:iam::%s:root", s.cfg.AccountID)
		}
		f = &AttachedFile{ID: id, Arn: s.resourceARN(iid, attachedFileARNType, id), InstanceID: iid, Name: p.Name, Size: p.Size,
			UseCaseType: p.UseCaseType, AssociatedResourceArn: p.AssociatedResourceArn, ContactID: c.ID, CreatedBy: creator,
			Tags: p.Tags, CreatedTime: now, Status: FileProcessing, Secret: secret}
		idx.Files = append(idx.Files, id)
		if err := putDoc(tx, KindAttachedFileIndex, iid, c.ID, "", now, now, idx); err != nil {
			return err
		}
		return save(tx, KindAttachedFile, iid, f, now, now)
	})
	if err != nil {
		return nil, err
	}
	return &AttachedFileUpload{File: f, URL: f.sign(fileURLMethodPut, s.now().Add(p.URLExpiry))}, nil
}

func (f *AttachedFile) sign(method string, expires time.Time) FileURL {
	u := FileURL{InstanceID: f.InstanceID, FileID: f.ID, Expires: expires.Truncate(time.Second)}
	u.Signature = presign.Sign(f.Secret, method, u.Segments(), u.Expires)
	return u
}

// Segments are what a file URL's path names, in order.
func (u FileURL) Segments() []string { return []string{u.InstanceID, u.FileID} }

// fileOf loads a file of the instance that belongs to resourceArn.
func (s *Service) fileOf(tx ReadTx, instanceID, fileID, resourceArn string) (*AttachedFile, error) {
	iid, err := s.resolveInstance(tx, instanceID)
	if err != nil {
		return nil, err
	}
	return fileIn(tx, iid, fileID, resourceArn)
}

// fileIn is fileOf in an instance already resolved.
func fileIn(tx ReadTx, iid, fileID, resourceArn string) (*AttachedFile, error) {
	f, err := getDoc[AttachedFile](tx, KindAttachedFile, iid, idFromARN(fileID, attachedFileARNType))
	if isNotFound(err) || (err == nil && f.AssociatedResourceArn != resourceArn) {
		return nil, Errorf(ErrNotFound, "Attached file %s of %s not found in instance %s; check the FileId and the AssociatedResourceArn it was uploaded for.",
			clip(fileID, 256), clip(resourceArn, 200), iid)
	}
	return f, err
}

// CompleteAttachedFileUpload approves a file whose bytes have been
// uploaded. Connect scans the file first; Switchboard approves at once.
func (s *Service) CompleteAttachedFileUpload(ctx context.Context, instanceID, fileID, resourceArn string) error {
	return s.update(ctx, func(tx Tx) error {
		f, err := s.fileOf(tx, instanceID, fileID, resourceArn)
		if err != nil {
			return err
		}
		if f.Status == FileApproved {
			return nil
		}
		if !f.Uploaded {
			return Errorf(ErrInvalidRequest, "Attached file %s has no content yet; PUT it to the UploadUrlMetadata.Url of StartAttachedFileUpload first.", f.ID)
		}
		f.Status = FileApproved
		return save(tx, KindAttachedFile, f.InstanceID, f, f.CreatedTime, s.now())
	})
}

// GetAttachedFile returns a file's metadata and, once it is approved, a
// URL to download it that lives for expiry (0: the default).
func (s *Service) GetAttachedFile(ctx context.Context, instanceID, fileID, resourceArn string, expiry time.Duration) (*AttachedFile, *FileURL, error) {
	var f *AttachedFile
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		f, err = s.fileOf(tx, instanceID, fileID, resourceArn)
		return err
	})
	if err != nil || f.Status != FileApproved {
		return f, nil, err
	}
	if expiry == 0 {
		expiry = defaultFileURLExpiry
	}
	u := f.sign(fileURLMethodGet, s.now().Add(expiry))
	return f, &u, nil
}

// BatchGetAttachedFileMetadata returns the files of resourceArn among ids;
// the others are listed as errors.
func (s *Service) BatchGetAttachedFileMetadata(ctx context.Context, instanceID string, ids []string, resourceArn string) ([]AttachedFile, []AttachedFileError, error) {
	var files []AttachedFile
	var missing []AttachedFileError
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		files, missing = nil, nil
		for _, id := range ids {
			f, err := fileIn(tx, iid, id, resourceArn)
			var de *Error
			if errors.As(err, &de) && de.Code == ErrNotFound {
				missing = append(missing, AttachedFileError{FileID: id, Code: fileErrMissing, Message: de.Message})
				continue
			}
			if err != nil {
				return err
			}
			files = append(files, *f)
		}
		return nil
	})
	return files, missing, err
}

// DeleteAttachedFile deletes a file and its bytes.
func (s *Service) DeleteAttachedFile(ctx context.Context, instanceID, fileID, resourceArn string) error {
	return s.update(ctx, func(tx Tx) error {
		f, err := s.fileOf(tx, instanceID, fileID, resourceArn)
		if err != nil {
			return err
		}
		idx, err := getDoc[fileIndex](tx, KindAttachedFileIndex, f.InstanceID, f.ContactID)
		if err == nil {
			idx.Files = slices.DeleteFunc(idx.Files, func(id string) bool { return id == f.ID })
			now := s.now()
			if err := putDoc(tx, KindAttachedFileIndex, f.InstanceID, f.ContactID, "", now, now, idx); err != nil {
				return err
			}
		} else if !isNotFound(err) {
			return err
		}
		if err := tx.DeleteRecord(KindAttachedFileContent, f.InstanceID, f.ID); err != nil && !isNotFound(err) {
			return err
		}
		return tx.DeleteRecord(KindAttachedFile, f.InstanceID, f.ID)
	})
}

// verifyFileURL loads the file a URL names and checks its signature for
// method and its expiry. Every failure is the same AccessDeniedException,
// as S3 answers a bad presigned URL, so a URL reveals nothing by probing.
func (s *Service) verifyFileURL(tx ReadTx, u FileURL, method string) (*AttachedFile, error) {
	denied := Errorf(ErrAccessDenied, "This file URL is not valid or has expired; ask StartAttachedFileUpload or GetAttachedFile for a new one.")
	if !s.now().Before(u.Expires) {
		return nil, denied
	}
	f, err := getDoc[AttachedFile](tx, KindAttachedFile, u.InstanceID, u.FileID)
	if isNotFound(err) {
		return nil, denied
	}
	if err != nil {
		return nil, err
	}
	if !presign.Valid(f.Secret, method, u.Segments(), u.Expires, u.Signature) {
		return nil, denied
	}
	return f, nil
}

// PutAttachedFileContent stores the bytes PUT to an upload URL. They must
// be exactly the size StartAttachedFileUpload declared; a file may be
// uploaded again until it is completed.
func (s *Service) PutAttachedFileContent(ctx context.Context, u FileURL, data []byte) error {
	return s.update(ctx, func(tx Tx) error {
		f, err := s.verifyFileURL(tx, u, fileURLMethodPut)
		if err != nil {
			return err
		}
		if f.Status != FileProcessing {
			return Errorf(ErrInvalidRequest, "Attached file %s is already %s; start a new upload to change it.", f.ID, f.Status)
		}
		if int64(len(data)) != f.Size {
			return fileReasonError(ErrInvalidRequest, ReasonInvalidFileSize,
				"The upload has %d bytes but StartAttachedFileUpload declared FileSizeInBytes %d; upload the whole file.", len(data), f.Size)
		}
		now := s.now()
		if err := tx.PutRecord(Record{Kind: KindAttachedFileContent, InstanceID: f.InstanceID, ID: f.ID, Data: data, CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		f.Uploaded = true
		return save(tx, KindAttachedFile, f.InstanceID, f, f.CreatedTime, now)
	})
}

// AttachedFileContent returns the file a download URL names and its bytes.
func (s *Service) AttachedFileContent(ctx context.Context, u FileURL) (*AttachedFile, []byte, error) {
	var f *AttachedFile
	var data []byte
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		if f, err = s.verifyFileURL(tx, u, fileURLMethodGet); err != nil {
			return err
		}
		rec, err := tx.GetRecord(KindAttachedFileContent, f.InstanceID, f.ID)
		if err != nil {
			return err
		}
		data = bytes.Clone(rec.Data)
		return nil
	})
	return f, data, err
}
