package awsapi

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/presign"
)

// FilesPath is where attached files' bytes are uploaded (PUT) and
// downloaded (GET, HEAD): FilesPath + {instanceId}/{fileId}, with the
// expiry and the signature in the query. These URLs stand in for the
// presigned S3 URLs Connect returns, so they carry their own proof and are
// not signed with SigV4; clients use them as they would S3's.
const FilesPath = AdminPrefix + "files/"

// requestKey carries, in a request's context, the HTTP request itself, so
// that a handler that hands out URLs (fileURL) can make them lead back to
// the scheme and host the client used. One context value is all the other
// requests pay.
type requestKey struct{}

func withRequest(r *http.Request) context.Context {
	return context.WithValue(r.Context(), requestKey{}, r)
}

// fileURL renders a signed file URL for the client of ctx.
func fileURL(ctx context.Context, u domain.FileURL) string {
	base := ""
	if r, ok := ctx.Value(requestKey{}).(*http.Request); ok {
		base = presign.BaseURL(r)
	}
	return base + presign.Path(FilesPath, u.Segments(), u.Expires, u.Signature)
}

// parseFileURL is fileURL's inverse; ok is false for anything else.
func parseFileURL(r *http.Request) (domain.FileURL, bool) {
	parts, exp, sig, ok := presign.Parse(r.URL, FilesPath, 2)
	if !ok {
		return domain.FileURL{}, false
	}
	return domain.FileURL{InstanceID: parts[0], FileID: parts[1], Expires: exp, Signature: sig}, true
}

// serveFile uploads or downloads an attached file's bytes. Errors have the
// Connect API's shape; a bad or expired URL is AccessDeniedException (403),
// as S3 answers a bad presigned URL.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) error {
	u, ok := parseFileURL(r)
	if !ok {
		return domain.Errorf(domain.ErrAccessDenied, "This is not a valid file URL; use the Url that StartAttachedFileUpload or GetAttachedFile returned.")
	}
	svc := s.handlers.svc
	switch r.Method {
	case http.MethodPut:
		// The declared size is checked in the domain; this only stops a
		// body far beyond any file from being read at all.
		data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, domain.MaxAttachedFileBytes+1))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return &protocolError{Name: "RequestEntityTooLargeException", Status: http.StatusRequestEntityTooLarge,
					Message: "The upload is larger than any attached file can be (" + strconv.Itoa(domain.MaxAttachedFileBytes) + " bytes)."}
			}
			return domain.Errorf(domain.ErrInvalidRequest, "The upload could not be read (%v); send it again.", err)
		}
		if err := svc.PutAttachedFileContent(r.Context(), u, data); err != nil {
			return err
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodGet, http.MethodHead:
		f, data, err := svc.AttachedFileContent(r.Context(), u)
		if err != nil {
			return err
		}
		h := w.Header()
		ct := mime.TypeByExtension(strings.ToLower(path.Ext(f.Name)))
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		h.Set("Content-Length", strconv.Itoa(len(data)))
		// Files are offered as downloads, never rendered as pages of this
		// server's origin.
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
		h.Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(data)
		}
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT")
		return &protocolError{Name: "InvalidRequestException", Status: http.StatusMethodNotAllowed, Message: "File URLs take PUT (upload) and GET (download)."}
	}
	return nil
}

func creatorOut(c domain.FileCreator) *cw.CreatedByInfo {
	return &cw.CreatedByInfo{ConnectUserArn: ptr(c.ConnectUserArn), AWSIdentityArn: ptr(c.AWSIdentityArn)}
}

// StartAttachedFileUpload handles the operation of the same name.
func (h *Handlers) StartAttachedFileUpload(ctx context.Context, in *cw.StartAttachedFileUploadRequest) (*cw.StartAttachedFileUploadResponse, error) {
	p := domain.AttachedFileParams{ClientToken: deref(in.ClientToken), Name: deref(in.FileName), Size: deref(in.FileSizeInBytes),
		UseCaseType: string(in.FileUseCaseType), AssociatedResourceArn: deref(in.AssociatedResourceArn),
		URLExpiry: time.Duration(deref(in.UrlExpiryInSeconds)) * time.Second, Tags: in.Tags}
	if in.CreatedBy != nil {
		p.CreatedBy = domain.FileCreator{ConnectUserArn: deref(in.CreatedBy.ConnectUserArn), AWSIdentityArn: deref(in.CreatedBy.AWSIdentityArn)}
	}
	up, err := h.svc.StartAttachedFileUpload(ctx, deref(in.InstanceId), p)
	if err != nil {
		return nil, err
	}
	f := up.File
	return &cw.StartAttachedFileUploadResponse{FileArn: ref(f.Arn), FileId: ref(f.ID), CreationTime: isoTime(f.CreatedTime),
		FileStatus: cw.FileStatusType(f.Status), CreatedBy: creatorOut(f.CreatedBy),
		UploadUrlMetadata: &cw.UploadUrlMetadata{Url: ref(fileURL(ctx, up.URL)), UrlExpiry: isoTime(up.URL.Expires),
			// The PUT needs no header of its own; the map is there for
			// clients that copy it onto their request.
			HeadersToInclude: map[string]string{}}}, nil
}

// CompleteAttachedFileUpload handles the operation of the same name.
func (h *Handlers) CompleteAttachedFileUpload(ctx context.Context, in *cw.CompleteAttachedFileUploadRequest) (*cw.CompleteAttachedFileUploadResponse, error) {
	if err := h.svc.CompleteAttachedFileUpload(ctx, deref(in.InstanceId), deref(in.FileId), deref(in.AssociatedResourceArn)); err != nil {
		return nil, err
	}
	return &cw.CompleteAttachedFileUploadResponse{}, nil
}

// GetAttachedFile handles the operation of the same name.
func (h *Handlers) GetAttachedFile(ctx context.Context, in *cw.GetAttachedFileRequest) (*cw.GetAttachedFileResponse, error) {
	expiry := time.Duration(deref(in.UrlExpiryInSeconds)) * time.Second
	f, u, err := h.svc.GetAttachedFile(ctx, deref(in.InstanceId), deref(in.FileId), deref(in.AssociatedResourceArn), expiry)
	if err != nil {
		return nil, err
	}
	out := &cw.GetAttachedFileResponse{FileArn: ref(f.Arn), FileId: ref(f.ID), CreationTime: isoTime(f.CreatedTime),
		FileStatus: cw.FileStatusType(f.Status), FileName: ref(f.Name), FileSizeInBytes: ref(f.Size),
		AssociatedResourceArn: ref(f.AssociatedResourceArn), FileUseCaseType: cw.FileUseCaseType(f.UseCaseType),
		CreatedBy: creatorOut(f.CreatedBy), Tags: f.Tags}
	if u != nil {
		out.DownloadUrlMetadata = &cw.DownloadUrlMetadata{Url: ref(fileURL(ctx, *u)), UrlExpiry: isoTime(u.Expires)}
	}
	return out, nil
}

// BatchGetAttachedFileMetadata handles the operation of the same name.
func (h *Handlers) BatchGetAttachedFileMetadata(ctx context.Context, in *cw.BatchGetAttachedFileMetadataRequest) (*cw.BatchGetAttachedFileMetadataResponse, error) {
	files, missing, err := h.svc.BatchGetAttachedFileMetadata(ctx, deref(in.InstanceId), in.FileIds, deref(in.AssociatedResourceArn))
	if err != nil {
		return nil, err
	}
	out := &cw.BatchGetAttachedFileMetadataResponse{Files: []cw.AttachedFile{}, Errors: []cw.AttachedFileError{}}
	for _, f := range files {
		out.Files = append(out.Files, cw.AttachedFile{CreationTime: isoTime(f.CreatedTime), FileArn: ref(f.Arn), FileId: ref(f.ID),
			FileName: ref(f.Name), FileSizeInBytes: ref(f.Size), FileStatus: cw.FileStatusType(f.Status), CreatedBy: creatorOut(f.CreatedBy),
			FileUseCaseType: cw.FileUseCaseType(f.UseCaseType), AssociatedResourceArn: ref(f.AssociatedResourceArn), Tags: f.Tags})
	}
	for _, e := range missing {
		out.Errors = append(out.Errors, cw.AttachedFileError{ErrorCode: ref(e.Code), ErrorMessage: ref(e.Message), FileId: ref(e.FileID)})
	}
	return out, nil
}

// DeleteAttachedFile handles the operation of the same name.
func (h *Handlers) DeleteAttachedFile(ctx context.Context, in *cw.DeleteAttachedFileRequest) (*cw.DeleteAttachedFileResponse, error) {
	if err := h.svc.DeleteAttachedFile(ctx, deref(in.InstanceId), deref(in.FileId), deref(in.AssociatedResourceArn)); err != nil {
		return nil, err
	}
	return &cw.DeleteAttachedFileResponse{}, nil
}

// extensionsOut is a configuration's AllowedExtensions.
func extensionsOut(exts []string) *cw.ExtensionConfiguration {
	out := &cw.ExtensionConfiguration{AllowedExtensions: []cw.AllowedExtension{}}
	for _, e := range exts {
		out.AllowedExtensions = append(out.AllowedExtensions, cw.AllowedExtension{Extension: ref(e)})
	}
	return out
}

// attachedFilesConfigOut is a scope's configuration on the wire.
func attachedFilesConfigOut(c *domain.AttachedFilesConfig) *cw.AttachedFilesConfiguration {
	return &cw.AttachedFilesConfiguration{InstanceId: ref(c.InstanceID), AttachmentScope: cw.AttachmentScope(c.Scope),
		MaximumSizeLimitInBytes: ref(c.MaxBytes), ExtensionConfiguration: extensionsOut(c.Extensions), LastModifiedTime: wtime(c.LastModifiedTime)}
}

// DescribeAttachedFilesConfiguration handles the operation of the same name.
func (h *Handlers) DescribeAttachedFilesConfiguration(ctx context.Context, in *cw.DescribeAttachedFilesConfigurationRequest) (*cw.DescribeAttachedFilesConfigurationResponse, error) {
	c, err := h.svc.DescribeAttachedFilesConfiguration(ctx, deref(in.InstanceId), string(in.AttachmentScope))
	if err != nil {
		return nil, err
	}
	return &cw.DescribeAttachedFilesConfigurationResponse{AttachedFilesConfiguration: attachedFilesConfigOut(c)}, nil
}

// ListAttachedFilesConfigurations handles the operation of the same name.
func (h *Handlers) ListAttachedFilesConfigurations(ctx context.Context, in *cw.ListAttachedFilesConfigurationsRequest) (*cw.ListAttachedFilesConfigurationsResponse, error) {
	list, next, err := h.svc.ListAttachedFilesConfigurations(ctx, deref(in.InstanceId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListAttachedFilesConfigurationsResponse{NextToken: ptr(next), AttachedFilesConfigurations: []cw.AttachedFilesConfigurationSummary{}}
	for _, c := range list {
		out.AttachedFilesConfigurations = append(out.AttachedFilesConfigurations, cw.AttachedFilesConfigurationSummary{InstanceId: ref(c.InstanceID),
			AttachmentScope: cw.AttachmentScope(c.Scope), MaximumSizeLimitInBytes: ref(c.MaxBytes), ExtensionConfiguration: extensionsOut(c.Extensions)})
	}
	return out, nil
}

// UpdateAttachedFilesConfiguration handles the operation of the same name.
func (h *Handlers) UpdateAttachedFilesConfiguration(ctx context.Context, in *cw.UpdateAttachedFilesConfigurationRequest) (*cw.UpdateAttachedFilesConfigurationResponse, error) {
	var exts []string
	if in.ExtensionConfiguration != nil {
		for _, e := range in.ExtensionConfiguration.AllowedExtensions {
			exts = append(exts, deref(e.Extension))
		}
	}
	c, err := h.svc.UpdateAttachedFilesConfiguration(ctx, deref(in.InstanceId), string(in.AttachmentScope), in.MaximumSizeLimitInBytes, exts, in.ExtensionConfiguration != nil)
	if err != nil {
		return nil, err
	}
	out := attachedFilesConfigOut(c)
	return &cw.UpdateAttachedFilesConfigurationResponse{InstanceId: out.InstanceId, AttachmentScope: out.AttachmentScope,
		MaximumSizeLimitInBytes: out.MaximumSizeLimitInBytes, ExtensionConfiguration: out.ExtensionConfiguration, LastModifiedTime: out.LastModifiedTime}, nil
}
