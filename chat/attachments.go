package chat

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/presign"
)

// Attachments.
//
// Storage: the bytes live in the store, next to the attachment's metadata
// (PutChatAttachmentContent), not in files under the data directory. The
// upload is then one transaction: when the PUT answers 2xx the bytes are
// committed with everything else, backups and DeleteInstance cover them,
// and there is no orphan-file cleanup to get wrong. The price is that an
// upload is held in memory once (at most MaxAttachmentBytes).
//
// URLs: Connect hands out presigned S3 URLs; Switchboard hands out URLs to
// itself signed the same way. Each attachment has a random secret kept in
// its metadata (never shown); a URL carries its expiry and an HMAC of
// method, attachment and expiry under that secret. Nothing is written per
// URL, any number of GetAttachment URLs may be live at once, and URLs keep
// working across restarts until they expire.

// Attachment limits (connect-semantics §5.6, the model and Connect's
// feature specifications).
const (
	// MaxAttachmentBytes is the most any chat attachment can be: the
	// model's bound on a configured limit (100 MB). An instance's own
	// limit, 20 MB unless UpdateAttachedFilesConfiguration changed it, is
	// checked against the declared size.
	MaxAttachmentBytes = domain.MaxAttachmentBytes
	// MaxAttachmentsPerChat is the per-chat quota. Every started upload
	// counts, so abandoned uploads cannot grow a chat's rows without
	// bound.
	MaxAttachmentsPerChat = 35
	// uploadURLTTL is how long the upload URL of StartAttachmentUpload
	// can be used (checked when the PUT starts, as S3 does).
	uploadURLTTL = 5 * time.Minute
	// defaultDownloadTTL is GetAttachment's URL lifetime when
	// UrlExpiryInSeconds is omitted (the model allows 5..300).
	defaultDownloadTTL = 300 * time.Second

	opStartAttachment    = "participant:StartAttachmentUpload"
	opCompleteAttachment = "participant:CompleteAttachmentUpload"

	statusApproved = "APPROVED"
)

// attachmentTypes are the content types Connect's chat accepts (the file
// types of its feature specifications: csv, doc, docx, heic, jfif, jpeg,
// jpg, mov, mp4, pdf, png, ppt, pptx, rtf, txt, wav, xls, xlsx).
var attachmentTypes = []string{
	"text/csv",
	"application/msword",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"image/heic",
	"image/jpeg",
	"image/pjpeg",
	"video/quicktime",
	"video/mp4",
	"application/pdf",
	"image/png",
	"application/vnd.ms-powerpoint",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"application/rtf",
	"text/rtf",
	"text/plain",
	"audio/wav",
	"audio/x-wav",
	"audio/wave",
	"application/vnd.ms-excel",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// AttachmentTypes returns the accepted attachment content types.
func AttachmentTypes() []string { return slices.Clone(attachmentTypes) }

// attachment is an attachment's metadata (ChatAttachmentRow.Data).
type attachment struct {
	ID            string
	Name          string
	ContentType   string
	Size          int64
	ParticipantID string
	Role          Role
	DisplayName   string
	// Secret signs the attachment's URLs; it never leaves the server.
	Secret    string
	CreatedAt time.Time
	Uploaded  bool
	// ItemID is the ATTACHMENT item written by CompleteAttachmentUpload.
	ItemID string `json:",omitempty"`
}

// SignedURL is what a transfer URL names: the participant service turns
// it into /participant/attachments/… and back.
type SignedURL struct {
	InstanceID, ContactID, AttachmentID string
	Expires                             time.Time
	Signature                           string
}

// AttachmentUpload is StartAttachmentUpload's result.
type AttachmentUpload struct {
	AttachmentID string
	URL          SignedURL
	// Headers are the headers the PUT must carry (HeadersToInclude).
	Headers map[string]string
}

// AttachmentDownload is GetAttachment's result.
type AttachmentDownload struct {
	URL  SignedURL
	Size int64
}

// AttachmentContent is an attachment's bytes as downloaded.
type AttachmentContent struct {
	Name, ContentType string
	Data              []byte
}

func (s *Service) sign(a *attachment, method, instanceID, contactID string, expires time.Time) SignedURL {
	u := SignedURL{InstanceID: instanceID, ContactID: contactID, AttachmentID: a.ID, Expires: expires.Truncate(time.Second)}
	u.Signature = signature(a.Secret, method, u)
	return u
}

func signature(secret, method string, u SignedURL) string {
	return presign.Sign(secret, method, u.Segments(), u.Expires)
}

// Segments are what a transfer URL's path names, in order.
func (u SignedURL) Segments() []string { return []string{u.InstanceID, u.ContactID, u.AttachmentID} }

func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func getAttachment(tx domain.ReadTx, instanceID, contactID, id string) (*attachment, error) {
	row, err := tx.GetChatAttachment(instanceID, contactID, id)
	if errors.Is(err, domain.ErrStoreNotFound) {
		return nil, errorf(ErrValidation, "Attachment %s is not in this chat; use an AttachmentId returned by StartAttachmentUpload.", id)
	}
	if err != nil {
		return nil, err
	}
	var a attachment
	if err := json.Unmarshal(row.Data, &a); err != nil {
		return nil, fmt.Errorf("chat: decode attachment %s: %w", id, err)
	}
	return &a, nil
}

func putAttachment(tx domain.Tx, instanceID, contactID string, a *attachment) error {
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return tx.PutChatAttachment(domain.ChatAttachmentRow{InstanceID: instanceID, ContactID: contactID, ID: a.ID, CreatedAt: a.CreatedAt, Data: data})
}

// checkAttachmentName refuses names a download could not carry safely:
// control characters (Connect's file names are ^\P{C}*$) and path
// separators.
func checkAttachmentName(name string) error {
	if strings.TrimSpace(name) == "" {
		return errorf(ErrValidation, "AttachmentName must not be blank.")
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '/' || r == '\\' {
			return errorf(ErrValidation, "AttachmentName %q contains a control character or a path separator; send the file's base name.", name)
		}
	}
	return nil
}

// StartAttachmentUpload registers an attachment and returns where to PUT
// its bytes. A retry with the same ClientToken returns the same attachment
// (with a fresh URL).
func (s *Service) StartAttachmentUpload(ctx context.Context, connectionToken, name, contentType string, size int64, clientToken string) (*AttachmentUpload, error) {
	if err := checkAttachmentName(name); err != nil {
		return nil, err
	}
	ct := strings.ToLower(strings.TrimSpace(contentType))
	if !slices.Contains(attachmentTypes, ct) {
		return nil, errorf(ErrValidation, "ContentType %q is not an attachment type Amazon Connect chat accepts; use one of %s.", contentType, strings.Join(attachmentTypes, ", "))
	}
	if size > MaxAttachmentBytes {
		return nil, errorf(ErrValidation, "AttachmentSizeInBytes %d is over the %d-byte (100 MB) limit of any attachment.", size, MaxAttachmentBytes)
	}
	if size < 1 {
		return nil, errorf(ErrValidation, "AttachmentSizeInBytes must be at least 1.")
	}
	var out *AttachmentUpload
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		out = nil
		ss, err := s.authenticate(tx, kindConnection, connectionToken, now)
		if err != nil {
			return err
		}
		c, p := ss.contact, ss.participant
		hash := requestHash(name, ct, strconv.FormatInt(size, 10))
		aid := s.newID()
		prior, err := claim(tx, ss, opStartAttachment, clientToken, hash, &Sent{ID: aid}, now)
		if err != nil {
			return err
		}
		var a *attachment
		if prior != nil {
			if a, err = getAttachment(tx, c.InstanceID, c.ID, prior.ID); err != nil {
				return err
			}
		} else {
			if err := s.live(tx, ss, now); err != nil {
				return err
			}
			if err := mayWrite(p); err != nil {
				return err
			}
			if err := withinLimits(tx, c.InstanceID, name, size); err != nil {
				return err
			}
			n, err := tx.CountChatAttachments(c.InstanceID, c.ID)
			if err != nil {
				return err
			}
			if n >= MaxAttachmentsPerChat {
				return errorf(ErrQuota, "Chat %s already has %d attachments, the most a chat can have.", c.ID, MaxAttachmentsPerChat)
			}
			a = &attachment{ID: aid, Name: name, ContentType: ct, Size: size, ParticipantID: p.ID, Role: p.Role,
				DisplayName: p.DisplayName, Secret: newSecret(), CreatedAt: now}
			if err := putAttachment(tx, c.InstanceID, c.ID, a); err != nil {
				return err
			}
		}
		out = &AttachmentUpload{AttachmentID: a.ID, URL: s.sign(a, "PUT", c.InstanceID, c.ID, now.Add(uploadURLTTL)),
			Headers: map[string]string{"Content-Type": a.ContentType}}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// withinLimits checks a new attachment against the instance's CHAT
// attached files configuration.
func withinLimits(tx domain.ReadTx, instanceID, name string, size int64) error {
	lim, err := domain.AttachmentLimits(tx, instanceID, "CHAT")
	if err != nil {
		return err
	}
	if size > lim.MaxBytes {
		return errorf(ErrValidation, "AttachmentSizeInBytes %d is over this instance's %d-byte limit for chat attachments.", size, lim.MaxBytes)
	}
	if !lim.Allows(name) {
		return errorf(ErrValidation, "AttachmentName %q does not end in a file type this instance accepts in chats; use one of %s.", name, strings.Join(lim.Extensions, " "))
	}
	return nil
}

// verify checks a transfer URL against the attachment's secret and the
// clock. Every failure is the same AccessDenied: which part was wrong is
// of no use to a guesser.
func (s *Service) verify(a *attachment, method string, u SignedURL) error {
	if !presign.Valid(a.Secret, method, u.Segments(), u.Expires, u.Signature) {
		return errBadAttachmentURL
	}
	if !s.now().Before(u.Expires) {
		return errorf(ErrAccessDenied, "This attachment URL expired at %s; ask for a new one.", FormatTime(u.Expires))
	}
	return nil
}

var errBadAttachmentURL = errorf(ErrAccessDenied, "This attachment URL is not valid.")

// lookupSigned loads the attachment a URL names and checks the URL.
func (s *Service) lookupSigned(tx domain.ReadTx, method string, u SignedURL) (*attachment, error) {
	row, err := tx.GetChatAttachment(u.InstanceID, u.ContactID, u.AttachmentID)
	if errors.Is(err, domain.ErrStoreNotFound) {
		return nil, errBadAttachmentURL
	}
	if err != nil {
		return nil, err
	}
	var a attachment
	if err := json.Unmarshal(row.Data, &a); err != nil {
		return nil, fmt.Errorf("chat: decode attachment %s: %w", u.AttachmentID, err)
	}
	return &a, s.verify(&a, method, u)
}

// PutAttachmentContent stores the bytes PUT to an upload URL. The body
// must be exactly the declared size and come with the declared Content-Type
// (S3 refuses a presigned PUT that does not match what was signed). When
// it returns nil the bytes are committed. Uploading again before
// CompleteAttachmentUpload replaces the bytes; afterwards it is refused.
func (s *Service) PutAttachmentContent(ctx context.Context, u SignedURL, contentType string, body io.Reader) error {
	var a *attachment
	err := s.store.View(ctx, func(tx domain.ReadTx) error {
		var err error
		a, err = s.lookupSigned(tx, "PUT", u)
		return err
	})
	if err != nil {
		return err
	}
	if got := strings.ToLower(strings.TrimSpace(contentType)); got != a.ContentType {
		return errorf(ErrValidation, "The upload's Content-Type is %q; StartAttachmentUpload declared %q. Send the HeadersToInclude it returned.", contentType, a.ContentType)
	}
	// One byte more than declared tells a longer body from an exact one.
	data, err := io.ReadAll(io.LimitReader(body, a.Size+1))
	if err != nil {
		return errorf(ErrValidation, "The upload could not be read: %v.", err)
	}
	if int64(len(data)) != a.Size {
		return errorf(ErrValidation, "The upload has %s bytes; StartAttachmentUpload declared %d.", sizeText(len(data), a.Size), a.Size)
	}
	return s.store.Update(ctx, func(tx domain.Tx) error {
		cur, err := s.lookupSigned(tx, "PUT", u)
		if err != nil {
			return err
		}
		if cur.ItemID != "" {
			return errorf(ErrConflict, "Attachment %s was already completed; its content cannot change.", cur.ID)
		}
		if err := tx.PutChatAttachmentContent(u.InstanceID, u.ContactID, cur.ID, data); err != nil {
			return err
		}
		cur.Uploaded = true
		return putAttachment(tx, u.InstanceID, u.ContactID, cur)
	})
}

func sizeText(n int, declared int64) string {
	if int64(n) > declared {
		return "more than " + strconv.FormatInt(declared, 10)
	}
	return strconv.Itoa(n)
}

// CompleteAttachmentUpload finishes uploads: each attachment must have
// been uploaded by this participant. One ATTACHMENT item per attachment is
// stored and pushed (chatjs shows it from its Attachments array).
func (s *Service) CompleteAttachmentUpload(ctx context.Context, connectionToken string, ids []string, clientToken string) error {
	var items []*Item
	var key, participantID string
	replayed := false
	err := s.store.Update(ctx, func(tx domain.Tx) error {
		now := s.now()
		items, replayed = nil, false
		ss, err := s.authenticate(tx, kindConnection, connectionToken, now)
		if err != nil {
			return err
		}
		c, p := ss.contact, ss.participant
		key, participantID = chatKey(c.InstanceID, c.ID), p.ID
		hash := requestHash(ids...)
		if prior, err := claim(tx, ss, opCompleteAttachment, clientToken, hash, &Sent{ID: strings.Join(ids, ",")}, now); err != nil || prior != nil {
			replayed = prior != nil
			return err
		}
		if err := s.live(tx, ss, now); err != nil {
			return err
		}
		for _, id := range ids {
			a, err := getAttachment(tx, c.InstanceID, c.ID, id)
			if err != nil {
				return err
			}
			if a.ParticipantID != p.ID {
				return errorf(ErrValidation, "Attachment %s was started by another participant; only its uploader can complete it.", id)
			}
			if a.ItemID != "" {
				return errorf(ErrConflict, "Attachment %s was already completed.", id)
			}
			if !a.Uploaded {
				return errorf(ErrValidation, "Attachment %s has not been uploaded; PUT its bytes to the UploadMetadata Url first.", id)
			}
			it := &Item{Id: s.newID(), Type: TypeAttachment, ContentType: a.ContentType, ParticipantId: p.ID,
				DisplayName: p.DisplayName, ParticipantRole: p.Role, at: now,
				Attachments: []AttachmentItem{{ContentType: a.ContentType, AttachmentId: a.ID, AttachmentName: a.Name, Status: statusApproved}}}
			a.ItemID = it.Id
			if err := putAttachment(tx, c.InstanceID, c.ID, a); err != nil {
				return err
			}
			items = append(items, it)
		}
		return appendItems(tx, c, items...)
	})
	if err != nil || replayed {
		return err
	}
	for _, it := range items {
		s.hub.publish(key, it)
	}
	// Sending an attachment is activity, like a message (chat timers).
	s.participantActive(key, participantID)
	return nil
}

// GetAttachment returns a download URL of a completed attachment of the
// caller's chat, valid for ttl (0: 300 s). It works after the chat ended,
// like GetTranscript. Custom bots may not read attachments.
func (s *Service) GetAttachment(ctx context.Context, connectionToken, id string, ttl time.Duration) (*AttachmentDownload, error) {
	if ttl <= 0 {
		ttl = defaultDownloadTTL
	}
	var out *AttachmentDownload
	err := s.store.View(ctx, func(tx domain.ReadTx) error {
		now := s.now()
		ss, err := s.authenticate(tx, kindConnection, connectionToken, now)
		if err != nil {
			return err
		}
		if ss.participant.Role == RoleCustomBot {
			return errorf(ErrAccessDenied, "Custom bot participants cannot read attachments.")
		}
		c := ss.contact
		a, err := getAttachment(tx, c.InstanceID, c.ID, id)
		if err != nil {
			return err
		}
		if a.ItemID == "" {
			return errorf(ErrValidation, "Attachment %s has not been completed; it cannot be downloaded yet.", id)
		}
		out = &AttachmentDownload{URL: s.sign(a, "GET", c.InstanceID, c.ID, now.Add(ttl)), Size: a.Size}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AttachmentData returns the bytes a download URL names.
func (s *Service) AttachmentData(ctx context.Context, u SignedURL) (*AttachmentContent, error) {
	var out *AttachmentContent
	err := s.store.View(ctx, func(tx domain.ReadTx) error {
		a, err := s.lookupSigned(tx, "GET", u)
		if err != nil {
			return err
		}
		data, err := tx.GetChatAttachmentContent(u.InstanceID, u.ContactID, a.ID)
		if err != nil {
			return err
		}
		out = &AttachmentContent{Name: a.Name, ContentType: a.ContentType, Data: bytes.Clone(data)}
		return nil
	})
	return out, err
}
