package participantapi_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
	pw "github.com/switchboard-cc/switchboard/participantapi/participantwire"
)

// startUpload calls StartAttachmentUpload for a PNG of n bytes.
func (e *env) startUpload(conn, name string, n int, clientToken string) *pw.StartAttachmentUploadResponse {
	e.t.Helper()
	var out pw.StartAttachmentUploadResponse
	e.ok(e.call("POST", "/participant/start-attachment-upload", conn, map[string]any{"AttachmentName": name,
		"AttachmentSizeInBytes": n, "ContentType": "image/png", "ClientToken": clientToken}), &out)
	return &out
}

// transfer sends a raw request to an attachment URL, as fetch does.
func (e *env) transfer(method, url string, headers map[string]string, body []byte) (int, http.Header, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(sbtest.Ctx(e.t), method, url, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

func TestAttachmentRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.chat()
	conn := e.connToken(tok)
	ws := e.dial(tok)
	ws.subscribe()

	png := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 256)
	up := e.startUpload(conn, "screenshot 1.png", len(png), "start-1")
	id := aws.ToString(up.AttachmentId)
	meta := up.UploadMetadata
	url := aws.ToString(meta.Url)
	if !strings.HasPrefix(url, e.URL+"/participant/attachments/") {
		t.Fatalf("upload Url %s does not point at this server", url)
	}
	if got, want := aws.ToString(meta.UrlExpiry), "2026-03-02T09:05:00.000Z"; got != want {
		t.Errorf("UrlExpiry = %s, want %s", got, want)
	}
	if got := meta.HeadersToInclude["Content-Type"]; got != "image/png" {
		t.Errorf("HeadersToInclude = %v, want Content-Type image/png", meta.HeadersToInclude)
	}
	// A retry with the same ClientToken is the same attachment.
	if again := e.startUpload(conn, "screenshot 1.png", len(png), "start-1"); aws.ToString(again.AttachmentId) != id {
		t.Errorf("retry gave attachment %s, want %s", aws.ToString(again.AttachmentId), id)
	}

	// Completing before the bytes arrived is refused.
	complete := func(clientToken string) resp {
		return e.call("POST", "/participant/complete-attachment-upload", conn, map[string]any{"AttachmentIds": []string{id}, "ClientToken": clientToken})
	}
	if msg := e.fails(complete("c-early"), "ValidationException", 400); !strings.Contains(msg, "not been uploaded") {
		t.Errorf("early complete: %s", msg)
	}
	// The upload must match what was declared.
	if st, _, _ := e.transfer("PUT", url, meta.HeadersToInclude, png[:10]); st != 400 {
		t.Errorf("short upload answered %d, want 400", st)
	}
	if st, _, _ := e.transfer("PUT", url, meta.HeadersToInclude, append(bytes.Clone(png), 0)); st != 400 {
		t.Errorf("long upload answered %d, want 400", st)
	}
	if st, _, _ := e.transfer("PUT", url, map[string]string{"Content-Type": "text/html"}, png); st != 400 {
		t.Errorf("upload with another Content-Type answered %d, want 400", st)
	}
	if st, _, _ := e.transfer("PUT", strings.Replace(url, "Signature=", "Signature=0", 1), meta.HeadersToInclude, png); st != 403 {
		t.Errorf("upload with a forged signature answered %d, want 403", st)
	}
	if st, _, b := e.transfer("PUT", url, meta.HeadersToInclude, png); st != 200 {
		t.Fatalf("upload answered %d: %s", st, b)
	}

	e.ok(complete("c-1"), nil)
	e.ok(complete("c-1"), nil) // retried: nothing new
	e.fails(complete("c-2"), "ConflictException", 409)

	// The ATTACHMENT item is pushed and in the transcript, as chatjs
	// reads it.
	it := ws.item()
	if it.Type != chat.TypeAttachment || len(it.Attachments) != 1 || it.Attachments[0].AttachmentId != id ||
		it.Attachments[0].AttachmentName != "screenshot 1.png" || it.Attachments[0].ContentType != "image/png" ||
		it.Attachments[0].Status != "APPROVED" || it.ParticipantRole != chat.RoleCustomer || it.InitialContactId == "" {
		t.Errorf("pushed item = %+v", it)
	}
	tr := e.transcript(conn, map[string]any{"SortOrder": "ASCENDING"})
	last := tr.Transcript[len(tr.Transcript)-1]
	if last.Type != "ATTACHMENT" || len(last.Attachments) != 1 || aws.ToString(last.Attachments[0].AttachmentId) != id {
		t.Errorf("transcript ends with %+v", last)
	}
	// After completion the bytes cannot change.
	if st, _, _ := e.transfer("PUT", url, meta.HeadersToInclude, png); st != 409 {
		t.Errorf("upload after completion answered %d, want 409", st)
	}

	var got pw.GetAttachmentResponse
	e.ok(e.call("POST", "/participant/attachment", conn, map[string]any{"AttachmentId": id, "UrlExpiryInSeconds": 60}), &got)
	if aws.ToInt64(got.AttachmentSizeInBytes) != int64(len(png)) {
		t.Errorf("AttachmentSizeInBytes = %d", aws.ToInt64(got.AttachmentSizeInBytes))
	}
	if want := "2026-03-02T09:01:00.000Z"; aws.ToString(got.UrlExpiry) != want {
		t.Errorf("UrlExpiry = %s, want %s", aws.ToString(got.UrlExpiry), want)
	}
	st, h, body := e.transfer("GET", aws.ToString(got.Url), nil, nil)
	if st != 200 || !bytes.Equal(body, png) || h.Get("Content-Type") != "image/png" ||
		!strings.Contains(h.Get("Content-Disposition"), `filename="screenshot 1.png"`) {
		t.Errorf("download: %d %v (%d bytes)", st, h, len(body))
	}
	// The download URL cannot upload and expires.
	if st, _, _ := e.transfer("PUT", aws.ToString(got.Url), meta.HeadersToInclude, png); st != 403 {
		t.Errorf("PUT to a download URL answered %d, want 403", st)
	}
	e.Clock.Advance(time.Minute)
	if st, _, _ := e.transfer("GET", aws.ToString(got.Url), nil, nil); st != 403 {
		t.Errorf("expired download answered %d, want 403", st)
	}

	// The other participant (an agent) reads it too.
	_, agentTok, err := e.App.Chat.AddParticipant(sbtest.Ctx(t), e.iid, it.ContactId, chat.RoleAgent, "Sam")
	if err != nil {
		t.Fatal(err)
	}
	e.ok(e.call("POST", "/participant/attachment", e.connToken(agentTok), map[string]any{"AttachmentId": id}), &got)
	if want := "2026-03-02T09:06:00.000Z"; aws.ToString(got.UrlExpiry) != want {
		t.Errorf("default UrlExpiry = %s, want %s (300 s)", aws.ToString(got.UrlExpiry), want)
	}
}

func TestAttachmentValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.chat()
	conn := e.connToken(tok)
	start := func(body map[string]any) resp {
		return e.call("POST", "/participant/start-attachment-upload", conn, body)
	}
	ok := map[string]any{"AttachmentName": "a.pdf", "AttachmentSizeInBytes": 10, "ContentType": "application/pdf", "ClientToken": "x"}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range ok {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	for name, body := range map[string]map[string]any{
		"too large":       with("AttachmentSizeInBytes", domain.DefaultAttachmentBytes+1),
		"over any limit":  with("AttachmentSizeInBytes", chat.MaxAttachmentBytes+1),
		"extension":       with("AttachmentName", "setup.exe"),
		"no extension":    with("AttachmentName", "README"),
		"zero size":       with("AttachmentSizeInBytes", 0),
		"html":            with("ContentType", "text/html"),
		"no name":         with("AttachmentName", nil),
		"long name":       with("AttachmentName", strings.Repeat("n", 257)),
		"path in name":    with("AttachmentName", "../etc/passwd"),
		"control in name": with("AttachmentName", "a\x00.pdf"),
		"no type":         with("ContentType", nil),
	} {
		if r := start(body); r.Status != 400 || r.ErrType != "ValidationException" {
			t.Errorf("%s: %d %s %s", name, r.Status, r.ErrType, r.Body)
		}
	}
	// The size limit is inclusive.
	e.ok(start(with("AttachmentSizeInBytes", domain.DefaultAttachmentBytes)), nil)
	e.fails(e.call("POST", "/participant/start-attachment-upload", "bad-token", ok), "AccessDeniedException", 403)

	// 35 attachments per chat; the 36th is over the quota, in the model's
	// shape (402, Message).
	for i := 1; i < chat.MaxAttachmentsPerChat; i++ {
		e.ok(start(with("ClientToken", "t"+string(rune('A'+i)))), nil)
	}
	if msg := e.fails(start(with("ClientToken", "one-more")), "ServiceQuotaExceededException", 402); !strings.Contains(msg, "35") {
		t.Errorf("quota message %q", msg)
	}

	complete := func(body map[string]any) resp {
		return e.call("POST", "/participant/complete-attachment-upload", conn, body)
	}
	e.fails(complete(map[string]any{"AttachmentIds": []string{}, "ClientToken": "c"}), "ValidationException", 400)
	e.fails(complete(map[string]any{"AttachmentIds": []string{"a", "b"}, "ClientToken": "c"}), "ValidationException", 400)
	e.fails(complete(map[string]any{"AttachmentIds": []string{"nope"}, "ClientToken": "c"}), "ValidationException", 400)

	get := func(body map[string]any) resp { return e.call("POST", "/participant/attachment", conn, body) }
	e.fails(get(map[string]any{"AttachmentId": "nope"}), "ValidationException", 400)
	e.fails(get(map[string]any{"AttachmentId": "nope", "UrlExpiryInSeconds": 4}), "ValidationException", 400)
	e.fails(get(map[string]any{"AttachmentId": "nope", "UrlExpiryInSeconds": 301}), "ValidationException", 400)
	e.fails(get(map[string]any{}), "ValidationException", 400)

	// Attachment URLs that were never issued.
	if st, _, _ := e.transfer("GET", e.URL+"/participant/attachments/x/y/z?Expires=1&Signature=00", nil, nil); st != 403 {
		t.Errorf("unknown attachment URL answered %d, want 403", st)
	}
	if st, _, _ := e.transfer("GET", e.URL+"/participant/attachments/x", nil, nil); st != 403 {
		t.Errorf("malformed attachment URL answered %d, want 403", st)
	}
}

// An upload URL expires; a completed upload survives a restart (a 2xx
// means stored).
func TestAttachmentExpiryAndRestart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.chat()
	conn := e.connToken(tok)
	up := e.startUpload(conn, "late.png", 3, "s")
	e.Clock.Advance(5 * time.Minute)
	if st, _, _ := e.transfer("PUT", aws.ToString(up.UploadMetadata.Url), up.UploadMetadata.HeadersToInclude, []byte("abc")); st != 403 {
		t.Errorf("expired upload URL answered %d, want 403", st)
	}
	up = e.startUpload(conn, "ok.png", 3, "s2")
	if st, _, b := e.transfer("PUT", aws.ToString(up.UploadMetadata.Url), up.UploadMetadata.HeadersToInclude, []byte("abc")); st != 200 {
		t.Fatalf("upload: %d %s", st, b)
	}
	e.ok(e.call("POST", "/participant/complete-attachment-upload", conn, map[string]any{"AttachmentIds": []string{aws.ToString(up.AttachmentId)}, "ClientToken": "c"}), nil)

	dir := e.DataDir
	e.Close()
	e2 := &env{Env: sbtest.New(t, sbtest.Options{DataDir: dir}), t: t, iid: e.iid}
	var got pw.GetAttachmentResponse
	e2.ok(e2.call("POST", "/participant/attachment", conn, map[string]any{"AttachmentId": aws.ToString(up.AttachmentId)}), &got)
	if st, _, body := e2.transfer("GET", aws.ToString(got.Url), nil, nil); st != 200 || string(body) != "abc" {
		t.Errorf("download after restart: %d %q", st, body)
	}
}

// TestAttachmentLimitsFollowTheConfiguration: UpdateAttachedFilesConfiguration
// for CHAT changes what StartAttachmentUpload accepts, in size and file
// type; other instances keep the defaults.
func TestAttachmentLimitsFollowTheConfiguration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.Client.UpdateAttachedFilesConfiguration(sbtest.Ctx(t), &connect.UpdateAttachedFilesConfigurationInput{InstanceId: &e.iid,
		AttachmentScope: types.AttachmentScopeChat, MaximumSizeLimitInBytes: aws.Int64(1000),
		ExtensionConfiguration: &types.ExtensionConfiguration{AllowedExtensions: []types.AllowedExtension{{Extension: aws.String("PNG")}, {Extension: aws.String("zip")}}}}); err != nil {
		t.Fatal(err)
	}
	_, tok := e.chat()
	conn := e.connToken(tok)
	start := func(name string, size int, token string) resp {
		return e.call("POST", "/participant/start-attachment-upload", conn, map[string]any{"AttachmentName": name,
			"AttachmentSizeInBytes": size, "ContentType": "image/png", "ClientToken": token})
	}
	if msg := e.fails(start("big.png", 1001, "a"), "ValidationException", 400); !strings.Contains(msg, "1000") {
		t.Errorf("size message %q", msg)
	}
	if msg := e.fails(start("photo.jpg", 10, "b"), "ValidationException", 400); !strings.Contains(msg, "png zip") {
		t.Errorf("type message %q", msg)
	}
	e.ok(start("photo.PNG", 1000, "c"), nil)

	other := newEnv(t)
	_, tok2 := other.chat()
	other.ok(other.call("POST", "/participant/start-attachment-upload", other.connToken(tok2), map[string]any{"AttachmentName": "big.png",
		"AttachmentSizeInBytes": 5000, "ContentType": "image/png", "ClientToken": "d"}), nil)
}
