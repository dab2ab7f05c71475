package awsapi_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// fileEnv is a server with one email contact to attach files to.
type fileEnv struct {
	*ctEnv
	contactArn string
}

func newFileEnv(t *testing.T) *fileEnv {
	e := newCT(t)
	out, err := e.Client.StartEmailContact(e.ctx(), e.emailInput(e.emailAddress("support@shop.example")))
	if err != nil {
		t.Fatal(err)
	}
	return &fileEnv{ctEnv: e, contactArn: e.Service.ContactARN(e.iid, *out.ContactId)}
}

func (e *fileEnv) startInput(name string, size int64) *connect.StartAttachedFileUploadInput {
	return &connect.StartAttachedFileUploadInput{InstanceId: aws.String(e.iid), FileName: aws.String(name),
		FileSizeInBytes: aws.Int64(size), FileUseCaseType: types.FileUseCaseTypeAttachment, AssociatedResourceArn: aws.String(e.contactArn)}
}

func (e *fileEnv) start(name string, size int64) *connect.StartAttachedFileUploadOutput {
	e.t.Helper()
	out, err := e.Client.StartAttachedFileUpload(e.ctx(), e.startInput(name, size))
	if err != nil {
		e.t.Fatalf("StartAttachedFileUpload: %v", err)
	}
	return out
}

// transfer sends method to a file URL and returns the status, the body and
// the response's headers.
func (e *fileEnv) transfer(method, url string, body []byte) (int, []byte, http.Header) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.ctx(), method, url, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

func (e *fileEnv) get(id string) *connect.GetAttachedFileOutput {
	e.t.Helper()
	out, err := e.Client.GetAttachedFile(e.ctx(), &connect.GetAttachedFileInput{InstanceId: aws.String(e.iid), FileId: aws.String(id), AssociatedResourceArn: aws.String(e.contactArn)})
	if err != nil {
		e.t.Fatalf("GetAttachedFile: %v", err)
	}
	return out
}

func (e *fileEnv) complete(id string) error {
	_, err := e.Client.CompleteAttachedFileUpload(e.ctx(), &connect.CompleteAttachedFileUploadInput{InstanceId: aws.String(e.iid), FileId: aws.String(id), AssociatedResourceArn: aws.String(e.contactArn)})
	return err
}

func TestAttachedFileLifecycle(t *testing.T) {
	t.Parallel()
	e := newFileEnv(t)
	content := []byte("%PDF-1.7 an invoice")
	in := e.startInput("invoice.pdf", int64(len(content)))
	in.Tags = map[string]string{"team": "billing"}
	in.UrlExpiryInSeconds = aws.Int32(60)
	up, err := e.Client.StartAttachedFileUpload(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(up.FileId)
	ctEq(t, "FileArn", aws.ToString(up.FileArn), "arn:aws:connect:us-east-1:123456789012:instance/"+e.iid+"/file/"+id)
	ctEq(t, "FileStatus", up.FileStatus, types.FileStatusTypeProcessing)
	ctEq(t, "CreationTime", aws.ToString(up.CreationTime), sbtest.Start.UTC().Format("2006-01-02T15:04:05.000Z"))
	if m, ok := up.CreatedBy.(*types.CreatedByInfoMemberAWSIdentityArn); !ok || m.Value != "arn:aws:iam::123456789012:root" {
		t.Errorf("CreatedBy = %#v, want the caller's identity", up.CreatedBy)
	}
	ctEq(t, "UrlExpiry", aws.ToString(up.UploadUrlMetadata.UrlExpiry), sbtest.Start.Add(time.Minute).UTC().Format("2006-01-02T15:04:05.000Z"))
	upload := aws.ToString(up.UploadUrlMetadata.Url)
	if !strings.HasPrefix(upload, e.URL+"/switchboard/files/") {
		t.Fatalf("upload Url %s does not lead to this server (%s)", upload, e.URL)
	}

	// Before its bytes arrive the file is PROCESSING, without a download.
	g := e.get(id)
	if g.FileStatus != types.FileStatusTypeProcessing || g.DownloadUrlMetadata != nil {
		t.Errorf("before upload: status %s, download %+v", g.FileStatus, g.DownloadUrlMetadata)
	}
	msg := sbtest.APIError(t, e.complete(id), "InvalidRequestException", 400)
	ctContains(t, msg, "PUT")

	if st, b, _ := e.transfer(http.MethodPut, upload, content); st != http.StatusOK {
		t.Fatalf("PUT: %d %s", st, b)
	}
	if err := e.complete(id); err != nil {
		t.Fatalf("CompleteAttachedFileUpload: %v", err)
	}
	if err := e.complete(id); err != nil {
		t.Fatalf("CompleteAttachedFileUpload again: %v", err)
	}
	g = e.get(id)
	ctEq(t, "FileStatus", g.FileStatus, types.FileStatusTypeApproved)
	ctEq(t, "FileName", aws.ToString(g.FileName), "invoice.pdf")
	ctEq(t, "FileSizeInBytes", aws.ToInt64(g.FileSizeInBytes), int64(len(content)))
	ctEq(t, "FileUseCaseType", g.FileUseCaseType, types.FileUseCaseTypeAttachment)
	ctEq(t, "AssociatedResourceArn", aws.ToString(g.AssociatedResourceArn), e.contactArn)
	ctEq(t, "Tags[team]", g.Tags["team"], "billing")
	if g.DownloadUrlMetadata == nil {
		t.Fatal("an approved file has no DownloadUrlMetadata")
	}
	st, b, h := e.transfer(http.MethodGet, aws.ToString(g.DownloadUrlMetadata.Url), nil)
	if st != http.StatusOK || !bytes.Equal(b, content) {
		t.Fatalf("download: %d %q", st, b)
	}
	ctEq(t, "Content-Type", h.Get("Content-Type"), "application/pdf")
	ctContains(t, h.Get("Content-Disposition"), "attachment", "invoice.pdf")

	// A completed file cannot be overwritten through its upload URL.
	st, b, _ = e.transfer(http.MethodPut, upload, content)
	ctEq(t, "PUT after completion", st, http.StatusBadRequest)
	ctContains(t, string(b), "APPROVED")

	batch, err := e.Client.BatchGetAttachedFileMetadata(e.ctx(), &connect.BatchGetAttachedFileMetadataInput{
		InstanceId: aws.String(e.iid), FileIds: []string{id, "no-such-file"}, AssociatedResourceArn: aws.String(e.contactArn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(batch.Files) != 1 || aws.ToString(batch.Files[0].FileId) != id || batch.Files[0].FileStatus != types.FileStatusTypeApproved {
		t.Errorf("Files = %+v", batch.Files)
	}
	if len(batch.Errors) != 1 || aws.ToString(batch.Errors[0].FileId) != "no-such-file" || aws.ToString(batch.Errors[0].ErrorCode) != "404" || aws.ToString(batch.Errors[0].ErrorMessage) == "" {
		t.Errorf("Errors = %+v", batch.Errors)
	}

	if _, err := e.Client.DeleteAttachedFile(e.ctx(), &connect.DeleteAttachedFileInput{InstanceId: aws.String(e.iid), FileId: aws.String(id), AssociatedResourceArn: aws.String(e.contactArn)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.Client.GetAttachedFile(e.ctx(), &connect.GetAttachedFileInput{InstanceId: aws.String(e.iid), FileId: aws.String(id), AssociatedResourceArn: aws.String(e.contactArn)})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	_, err = e.Client.DeleteAttachedFile(e.ctx(), &connect.DeleteAttachedFileInput{InstanceId: aws.String(e.iid), FileId: aws.String(id), AssociatedResourceArn: aws.String(e.contactArn)})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	if st, _, _ := e.transfer(http.MethodGet, aws.ToString(g.DownloadUrlMetadata.Url), nil); st != http.StatusForbidden {
		t.Errorf("download of a deleted file: %d, want 403", st)
	}
}

// A file is found only under the resource it was uploaded for.
func TestAttachedFileOtherResource(t *testing.T) {
	t.Parallel()
	e := newFileEnv(t)
	id := aws.ToString(e.start("a.txt", 1).FileId)
	other, err := e.Client.StartEmailContact(e.ctx(), e.emailInput("support@shop.example"))
	if err != nil {
		t.Fatal(err)
	}
	otherArn := e.Service.ContactARN(e.iid, *other.ContactId)
	_, err = e.Client.GetAttachedFile(e.ctx(), &connect.GetAttachedFileInput{InstanceId: aws.String(e.iid), FileId: aws.String(id), AssociatedResourceArn: aws.String(otherArn)})
	ctContains(t, sbtest.APIError(t, err, "ResourceNotFoundException", 404), "AssociatedResourceArn")
	_, err = e.Client.CompleteAttachedFileUpload(e.ctx(), &connect.CompleteAttachedFileUploadInput{InstanceId: aws.String(e.iid), FileId: aws.String(id), AssociatedResourceArn: aws.String(otherArn)})
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
}

func TestAttachedFileURLs(t *testing.T) {
	t.Parallel()
	e := newFileEnv(t)
	up := e.start("photo.jpg", 4)
	url := aws.ToString(up.UploadUrlMetadata.Url)

	st, b, _ := e.transfer(http.MethodPut, url, []byte("abc"))
	ctEq(t, "short upload", st, http.StatusBadRequest)
	ctContains(t, string(b), "3 bytes", "4")
	st, _, _ = e.transfer(http.MethodPut, strings.Replace(url, "Signature=", "Signature=0", 1), []byte("abcd"))
	ctEq(t, "tampered signature", st, http.StatusForbidden)
	st, _, _ = e.transfer(http.MethodGet, url, nil)
	ctEq(t, "GET with the upload URL", st, http.StatusForbidden)
	st, _, _ = e.transfer(http.MethodPut, e.URL+"/switchboard/files/x", []byte("abcd"))
	ctEq(t, "not a file URL", st, http.StatusForbidden)
	st, _, _ = e.transfer(http.MethodPost, url, []byte("abcd"))
	ctEq(t, "POST", st, http.StatusMethodNotAllowed)
	st, b, h := e.transfer(http.MethodPut, url, make([]byte, 20*1024*1024+2))
	ctEq(t, "upload over 20 MB", st, http.StatusRequestEntityTooLarge)
	ctEq(t, "X-Amzn-ErrorType", h.Get("X-Amzn-ErrorType"), "RequestEntityTooLargeException")
	ctContains(t, string(b), "20971520")

	// The URL lives 300 s by default, on the server's clock.
	e.Clock.Advance(301 * time.Second)
	st, b, h = e.transfer(http.MethodPut, url, []byte("abcd"))
	ctEq(t, "expired upload URL", st, http.StatusForbidden)
	ctEq(t, "X-Amzn-ErrorType", h.Get("X-Amzn-ErrorType"), "AccessDeniedException")
	ctContains(t, string(b), "expired")

	// A retry with the same ClientToken is the same file, with a new URL.
	in := e.startInput("photo.jpg", 4)
	in.ClientToken = aws.String("retry-1")
	first, err := e.Client.StartAttachedFileUpload(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.Client.StartAttachedFileUpload(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	ctEq(t, "FileId of the retry", aws.ToString(again.FileId), aws.ToString(first.FileId))
	in.FileName = aws.String("other.jpg")
	_, err = e.Client.StartAttachedFileUpload(e.ctx(), in)
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "ClientToken", "different parameters")
	if st, b, _ := e.transfer(http.MethodPut, aws.ToString(again.UploadUrlMetadata.Url), []byte("abcd")); st != http.StatusOK {
		t.Fatalf("PUT to the retry's URL: %d %s", st, b)
	}
}

func TestAttachedFileValidation(t *testing.T) {
	t.Parallel()
	e := newFileEnv(t)
	chat := e.chat()
	reason := func(err error, want types.AttachedFileInvalidRequestExceptionReason) {
		t.Helper()
		var ire *types.InvalidRequestException
		if !errors.As(err, &ire) {
			t.Fatalf("%v is not an InvalidRequestException", err)
		}
		m, ok := ire.Reason.(*types.InvalidRequestExceptionReasonMemberAttachedFileInvalidRequestExceptionReason)
		if !ok || m.Value != want {
			t.Errorf("Reason = %#v, want %s", ire.Reason, want)
		}
	}
	for _, c := range []struct {
		name   string
		mod    func(*connect.StartAttachedFileUploadInput)
		status int
		exc    string
		reason types.AttachedFileInvalidRequestExceptionReason
		msg    string
	}{
		{"too large", func(in *connect.StartAttachedFileUploadInput) { in.FileSizeInBytes = aws.Int64(20*1024*1024 + 1) }, 400, "InvalidRequestException", types.AttachedFileInvalidRequestExceptionReasonInvalidFileSize, "20 MB"},
		{"file type", func(in *connect.StartAttachedFileUploadInput) { in.FileName = aws.String("setup.exe") }, 400, "InvalidRequestException", types.AttachedFileInvalidRequestExceptionReasonInvalidFileType, "pdf"},
		{"no extension", func(in *connect.StartAttachedFileUploadInput) { in.FileName = aws.String("README") }, 400, "InvalidRequestException", types.AttachedFileInvalidRequestExceptionReasonInvalidFileType, "txt"},
		{"a path", func(in *connect.StartAttachedFileUploadInput) { in.FileName = aws.String("../etc/a.txt") }, 400, "InvalidRequestException", types.AttachedFileInvalidRequestExceptionReasonInvalidFileName, "without a path"},
		{"use case", func(in *connect.StartAttachedFileUploadInput) { in.FileUseCaseType = types.FileUseCaseTypeEmailMessage }, 400, "InvalidRequestException", "", "ATTACHMENT"},
		{"identity", func(in *connect.StartAttachedFileUploadInput) {
			in.CreatedBy = &types.CreatedByInfoMemberAWSIdentityArn{Value: "arn:aws:iam::123456789012:user/x"}
		}, 400, "InvalidRequestException", "", "ConnectUserArn"},
		{"not a user", func(in *connect.StartAttachedFileUploadInput) {
			in.CreatedBy = &types.CreatedByInfoMemberConnectUserArn{Value: "arn:aws:iam::123456789012:user/x"}
		}, 400, "InvalidRequestException", "", "DescribeUser"},
		{"unknown user", func(in *connect.StartAttachedFileUploadInput) {
			in.CreatedBy = &types.CreatedByInfoMemberConnectUserArn{Value: "arn:aws:connect:us-east-1:123456789012:instance/" + e.iid + "/agent/nobody"}
		}, 404, "ResourceNotFoundException", "", "CreatedBy.ConnectUserArn"},
		{"a case", func(in *connect.StartAttachedFileUploadInput) {
			in.AssociatedResourceArn = aws.String("arn:aws:cases:us-east-1:123456789012:domain/d/case/c")
		}, 400, "InvalidRequestException", "", "Cases"},
		{"a chat", func(in *connect.StartAttachedFileUploadInput) {
			in.AssociatedResourceArn = aws.String(e.Service.ContactARN(e.iid, aws.ToString(chat.ContactId)))
		}, 400, "InvalidRequestException", "", "StartAttachmentUpload"},
		{"unknown contact", func(in *connect.StartAttachedFileUploadInput) {
			in.AssociatedResourceArn = aws.String(e.Service.ContactARN(e.iid, "no-such-contact"))
		}, 404, "ResourceNotFoundException", "", "no-such-contact"},
		{"unknown instance", func(in *connect.StartAttachedFileUploadInput) { in.InstanceId = aws.String("no-such-instance") }, 404, "ResourceNotFoundException", "", ""},
		{"model: size", func(in *connect.StartAttachedFileUploadInput) { in.FileSizeInBytes = aws.Int64(0) }, 400, "InvalidRequestException", "", "FileSizeInBytes"},
		{"model: expiry", func(in *connect.StartAttachedFileUploadInput) { in.UrlExpiryInSeconds = aws.Int32(301) }, 400, "InvalidRequestException", "", "UrlExpiryInSeconds"},
		{"model: name", func(in *connect.StartAttachedFileUploadInput) { in.FileName = aws.String("a\x07.txt") }, 400, "InvalidRequestException", "", "FileName"},
		{"model: resource", func(in *connect.StartAttachedFileUploadInput) { in.AssociatedResourceArn = nil }, 400, "InvalidRequestException", "", "AssociatedResourceArn"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := e.startInput("report.pdf", 10)
			c.mod(in)
			_, err := e.Raw.StartAttachedFileUpload(e.ctx(), in)
			msg := sbtest.APIError(t, err, c.exc, c.status)
			ctContains(t, msg, c.msg)
			if c.reason != "" {
				reason(err, c.reason)
			}
		})
	}

	_, err := e.Raw.BatchGetAttachedFileMetadata(e.ctx(), &connect.BatchGetAttachedFileMetadataInput{InstanceId: aws.String(e.iid),
		FileIds: make([]string, 101), AssociatedResourceArn: aws.String(e.contactArn)})
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "FileIds")
	_, err = e.Raw.GetAttachedFile(e.ctx(), &connect.GetAttachedFileInput{InstanceId: aws.String(e.iid), FileId: aws.String("f"),
		AssociatedResourceArn: aws.String(e.contactArn), UrlExpiryInSeconds: aws.Int32(4)})
	ctContains(t, sbtest.APIError(t, err, "InvalidRequestException", 400), "UrlExpiryInSeconds")
}

func TestAttachedFileQuota(t *testing.T) {
	t.Parallel()
	e := newFileEnv(t)
	var last string
	for range 50 {
		last = aws.ToString(e.start("scan.png", 1).FileId)
	}
	_, err := e.Client.StartAttachedFileUpload(e.ctx(), e.startInput("scan.png", 1))
	ctContains(t, sbtest.APIError(t, err, "ServiceQuotaExceededException", 402), "50")
	var qe *types.ServiceQuotaExceededException
	if !errors.As(err, &qe) {
		t.Fatal("not a ServiceQuotaExceededException")
	}
	if m, ok := qe.Reason.(*types.ServiceQuotaExceededExceptionReasonMemberAttachedFileServiceQuotaExceededExceptionReason); !ok || m.Value != types.AttachedFileServiceQuotaExceededExceptionReasonTotalFileCountExceeded {
		t.Errorf("Reason = %#v", qe.Reason)
	}
	// Deleting a file makes room for another.
	if _, err := e.Client.DeleteAttachedFile(e.ctx(), &connect.DeleteAttachedFileInput{InstanceId: aws.String(e.iid), FileId: aws.String(last), AssociatedResourceArn: aws.String(e.contactArn)}); err != nil {
		t.Fatal(err)
	}
	e.start("scan.png", 1)
}

// CreatedBy names the agent who attached the file, when given.
func TestAttachedFileCreatedByUser(t *testing.T) {
	t.Parallel()
	e := newFileEnv(t)
	arn := "arn:aws:connect:us-east-1:123456789012:instance/" + e.iid + "/agent/" + agUser(t, e.Env, e.iid, "ada")
	in := e.startInput("notes.txt", 3)
	in.CreatedBy = &types.CreatedByInfoMemberConnectUserArn{Value: arn}
	out, err := e.Client.StartAttachedFileUpload(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []types.CreatedByInfo{out.CreatedBy, e.get(aws.ToString(out.FileId)).CreatedBy} {
		if m, ok := got.(*types.CreatedByInfoMemberConnectUserArn); !ok || m.Value != arn {
			t.Errorf("CreatedBy = %#v, want %s", got, arn)
		}
	}
}

// Files, their bytes and their URLs survive a restart.
func TestAttachedFileRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ct := newCTIn(t, dir)
	env := ct.Env
	out, err := ct.Client.StartEmailContact(ct.ctx(), ct.emailInput(ct.emailAddress("support@shop.example")))
	if err != nil {
		t.Fatal(err)
	}
	e := &fileEnv{ctEnv: ct, contactArn: ct.Service.ContactARN(ct.iid, *out.ContactId)}
	done := e.start("done.csv", 5)
	if st, b, _ := e.transfer(http.MethodPut, aws.ToString(done.UploadUrlMetadata.Url), []byte("a,b,c")); st != http.StatusOK {
		t.Fatalf("PUT: %d %s", st, b)
	}
	if err := e.complete(aws.ToString(done.FileId)); err != nil {
		t.Fatal(err)
	}
	pending := e.start("later.txt", 2)
	env.Close()

	env2 := sbtest.New(t, sbtest.Options{DataDir: dir})
	e2 := &fileEnv{ctEnv: &ctEnv{Env: env2, t: t, iid: ct.iid, flow: ct.flow}, contactArn: e.contactArn}
	g := e2.get(aws.ToString(done.FileId))
	if g.FileStatus != types.FileStatusTypeApproved || g.DownloadUrlMetadata == nil {
		t.Fatalf("after restart: %s, %+v", g.FileStatus, g.DownloadUrlMetadata)
	}
	if st, b, _ := e2.transfer(http.MethodGet, aws.ToString(g.DownloadUrlMetadata.Url), nil); st != http.StatusOK || string(b) != "a,b,c" {
		t.Fatalf("download after restart: %d %q", st, b)
	}
	// The upload URL handed out before the restart still works, on the
	// new server's address.
	old := aws.ToString(pending.UploadUrlMetadata.Url)
	moved := env2.URL + old[strings.Index(old, "/switchboard/files/"):]
	if st, b, _ := e2.transfer(http.MethodPut, moved, []byte("hi")); st != http.StatusOK {
		t.Fatalf("PUT after restart: %d %s", st, b)
	}
	if err := e2.complete(aws.ToString(pending.FileId)); err != nil {
		t.Fatal(err)
	}
}
