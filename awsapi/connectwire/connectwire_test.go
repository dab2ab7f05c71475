package connectwire

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/wire"
)

func validTask() *StartTaskContactRequest {
	return &StartTaskContactRequest{InstanceId: wire.String("inst-1"), Name: wire.String("task")}
}

func violations(t *testing.T, err error) []Violation {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *ValidationError, got %T %v", err, err)
	}
	return ve.Violations
}

// has reports whether a violation with this path and rule exists.
func has(vs []Violation, path, rule string) bool {
	for _, v := range vs {
		if v.Path == path && v.Rule == rule {
			return true
		}
	}
	return false
}

func TestValidateOK(t *testing.T) {
	if err := validTask().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateRequiredAndLength(t *testing.T) {
	in := &StartTaskContactRequest{Name: wire.String(strings.Repeat("é", 1025)), Description: wire.String("ok")}
	vs := violations(t, in.Validate())
	if len(vs) != 2 || !has(vs, "InstanceId", "required") || !has(vs, "Name", "maxLength") {
		t.Fatalf("got %+v", vs)
	}
	if vs[0].Message != "Value null at 'InstanceId' failed to satisfy constraint: Member must not be null" {
		t.Errorf("message: %s", vs[0].Message)
	}
	// Name is sensitive in the model: not echoed.
	if vs[1].Message != "Value at 'Name' failed to satisfy constraint: Member must have length less than or equal to 1024" {
		t.Errorf("message: %s", vs[1].Message)
	}
	// 1024 multi-byte runes are fine: length counts characters.
	in = validTask()
	in.Name = wire.String(strings.Repeat("é", 1024))
	if err := in.Validate(); err != nil {
		t.Error(err)
	}
	in.InstanceId = wire.String("")
	err := in.Validate()
	if got := err.Error(); got != "1 validation error detected: Value '' at 'InstanceId' failed to satisfy constraint: Member must have length greater than or equal to 1" {
		t.Errorf("Error(): %s", got)
	}
}

func TestValidateEchoTruncated(t *testing.T) {
	in := validTask()
	in.InstanceId = wire.String(strings.Repeat("x", 200))
	vs := violations(t, in.Validate())
	if len(vs) != 1 || !strings.Contains(vs[0].Message, "'"+strings.Repeat("x", 64)+"...'") {
		t.Fatalf("got %+v", vs)
	}
}

func TestValidateNestedPaths(t *testing.T) {
	in := validTask()
	in.References = map[string]Reference{
		"myKey": {Type: "NOPE", Value: wire.String(strings.Repeat("v", 4097))},
		"":      {Type: ReferenceTypeUrl},
	}
	in.Attachments = []TaskAttachment{{FileName: wire.String("ok.txt"), S3Url: wire.String("https://x")}, {S3Url: wire.String("https://x")}}
	vs := violations(t, in.Validate())
	for _, want := range [][2]string{
		{"References", "key.minLength"},
		{"References.myKey.Type", "enum"},
		{"References.myKey.Value", "maxLength"},
		{"Attachments[1].FileName", "required"},
	} {
		if !has(vs, want[0], want[1]) {
			t.Errorf("missing %v in %+v", want, vs)
		}
	}
	for _, v := range vs {
		if v.Rule == "key.minLength" && !strings.Contains(v.Message, "Map keys must satisfy constraint: [Member must have length greater than or equal to 1]") {
			t.Errorf("key message: %s", v.Message)
		}
		if v.Rule == "enum" && !strings.Contains(v.Message, "Member must satisfy enum value set: [") {
			t.Errorf("enum message: %s", v.Message)
		}
	}
}

func TestValidateListSizeAndPattern(t *testing.T) {
	in := validTask()
	in.Attachments = []TaskAttachment{}
	if vs := violations(t, in.Validate()); !has(vs, "Attachments", "minItems") {
		t.Errorf("empty list: %+v", vs)
	}
	in.Attachments = make([]TaskAttachment, 6)
	for i := range in.Attachments {
		in.Attachments[i] = TaskAttachment{FileName: wire.String("f"), S3Url: wire.String("u")}
	}
	if vs := violations(t, in.Validate()); !has(vs, "Attachments", "maxItems") {
		t.Errorf("6 attachments: %+v", vs)
	}
	// FileName must match ^\P{C}*$: no control characters.
	in.Attachments = []TaskAttachment{{FileName: wire.String("a\x00b"), S3Url: wire.String("u")}}
	vs := violations(t, in.Validate())
	if !has(vs, "Attachments[0].FileName", "pattern") || !strings.Contains(vs[0].Message, `regular expression pattern: ^\P{C}*$`) {
		t.Errorf("pattern: %+v", vs)
	}
}

func TestValidateNegativeLookaheadPattern(t *testing.T) {
	in := &CreateQueueRequest{InstanceId: wire.String("i"), Name: wire.String("q"), HoursOfOperationId: wire.String("h"),
		Tags: map[string]string{"aws:reserved": "x", "fine": "y"}}
	vs := violations(t, in.Validate())
	if len(vs) != 1 || !has(vs, "Tags", "key.pattern") {
		t.Fatalf("got %+v", vs)
	}
}

func TestValidateRange(t *testing.T) {
	in := &ListQueuesRequest{InstanceId: wire.String("i"), MaxResults: wire.Int32(0)}
	vs := violations(t, in.Validate())
	if !has(vs, "MaxResults", "minValue") || vs[0].Message != "Value '0' at 'MaxResults' failed to satisfy constraint: Member must have value greater than or equal to 1" {
		t.Fatalf("got %+v", vs)
	}
	in.MaxResults = wire.Int32(1001)
	if vs := violations(t, in.Validate()); !has(vs, "MaxResults", "maxValue") {
		t.Fatalf("got %+v", vs)
	}
}

func TestValidateRecursionDepth(t *testing.T) {
	leaf := SegmentAttributeValue{ValueString: wire.String("x")}
	for i := 0; i < 40; i++ {
		leaf = SegmentAttributeValue{ValueMap: map[string]SegmentAttributeValue{"k": leaf}}
	}
	in := validTask()
	in.SegmentAttributes = map[string]SegmentAttributeValue{"connect:Subtype": leaf}
	vs := violations(t, in.Validate())
	if len(vs) != 1 || vs[0].Rule != "depth" || !strings.HasPrefix(vs[0].Path, "SegmentAttributes.connect:Subtype.ValueMap.k.") {
		t.Fatalf("got %+v", vs)
	}
	// Shallow nesting is fine.
	in.SegmentAttributes = map[string]SegmentAttributeValue{"a": {ValueMap: map[string]SegmentAttributeValue{"b": {ValueInteger: wire.Int32(3)}}}}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{`{"Name": `, "not valid JSON"},
		{`{"Name": 5}`, "Cannot deserialize value at 'Name': expected string, got JSON number"},
		{`[1]`, "must be a JSON object"},
		{`{"ScheduledTime": "yesterday"}`, "timestamp"},
		{`{"Attributes": {"a": 1}}`, "Attributes"},
	} {
		_, err := decodeStartTaskContact(&Request{Body: []byte(c.body)})
		var se *SerializationError
		if !errors.As(err, &se) || !strings.Contains(se.Error(), c.want) {
			t.Errorf("%s: got %T %v, want SerializationError containing %q", c.body, err, err, c.want)
		}
	}
	// Empty body is an empty object: the result is a validation error.
	_, err := decodeStartTaskContact(&Request{})
	if vs := violations(t, err); len(vs) != 2 {
		t.Errorf("empty body: %+v", vs)
	}
}

func TestDecodeBodyAndUnknownFields(t *testing.T) {
	in, err := decodeStartTaskContact(&Request{Body: []byte(`{"InstanceId":"i","Name":"n","Bogus":[1],"ScheduledTime":1700000000.5,"Attributes":{"a":"b"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if *in.InstanceId != "i" || in.Attributes["a"] != "b" || in.ScheduledTime.UnixMilli() != 1700000000500 {
		t.Errorf("decoded %+v", in)
	}
}

type stubService struct {
	Service // unimplemented methods panic; tests only call what they stub
	queues  *ListQueuesRequest
}

func (s *stubService) ListQueues(_ context.Context, in *ListQueuesRequest) (*ListQueuesResponse, error) {
	s.queues = in
	return nil, nil
}

func TestHandlerBindsPathAndQuery(t *testing.T) {
	svc := &stubService{}
	r := &Request{
		PathParams: map[string]string{"InstanceId": "inst/1"},
		Query:      url.Values{"maxResults": {"10"}, "queueTypes": {"STANDARD", "AGENT"}, "nextToken": {"t"}},
		Header:     http.Header{},
		// Body members of a GET are ignored: ListQueues has none.
		Body: []byte("not json"),
	}
	out, err := handleListQueues(context.Background(), svc, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.(*ListQueuesResponse); !ok {
		t.Errorf("nil output not replaced: %T", out)
	}
	in := svc.queues
	if *in.InstanceId != "inst/1" || *in.MaxResults != 10 || *in.NextToken != "t" ||
		!reflect.DeepEqual(in.QueueTypes, []QueueType{QueueTypeStandard, QueueTypeAgent}) {
		t.Errorf("bound %+v", in)
	}
	r.Query.Set("maxResults", "ten")
	_, err = handleListQueues(context.Background(), svc, r)
	var se *SerializationError
	if !errors.As(err, &se) || se.Member != "maxResults" {
		t.Errorf("bad int: %T %v", err, err)
	}
	r.Query.Set("maxResults", "5000")
	if vs := violations(t, func() error { _, err := handleListQueues(context.Background(), svc, r); return err }()); !has(vs, "MaxResults", "maxValue") {
		t.Errorf("range: %+v", vs)
	}
	delete(r.PathParams, "InstanceId")
	r.Query.Del("maxResults")
	if vs := violations(t, func() error { _, err := handleListQueues(context.Background(), svc, r); return err }()); !has(vs, "InstanceId", "required") {
		t.Errorf("missing label: %+v", vs)
	}
}

func TestTimeJSON(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1700000000, 0), "1700000000"},
		{time.Unix(1700000000, 123_000_000), "1700000000.123"},
		{time.Unix(1700000000, 500_900_000), "1700000000.5"}, // millisecond precision
	} {
		b, err := json.Marshal(Time{Time: c.t})
		if err != nil || string(b) != c.want {
			t.Errorf("marshal %v = %s %v, want %s", c.t, b, err, c.want)
		}
	}
	var s struct{ T *Time }
	for in, want := range map[string]int64{
		`{"T": 1700000000}`:                  1700000000000,
		`{"T": 1700000000.123}`:              1700000000123,
		`{"T": "2023-11-14T22:13:20.5Z"}`:    1700000000500,
		`{"T": "2023-11-14T23:13:20+01:00"}`: 1700000000000,
	} {
		s.T = nil
		if err := json.Unmarshal([]byte(in), &s); err != nil || s.T.UnixMilli() != want {
			t.Errorf("%s: %v %v", in, s.T, err)
		}
	}
	for _, bad := range []string{`{"T": true}`, `{"T": 1e300}`, `{"T": "soon"}`} {
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	for _, q := range []string{"1700000000", "2023-11-14T22:13:20Z", "Tue, 14 Nov 2023 22:13:20 GMT"} {
		if tm, err := wire.ParseTime(q); err != nil || tm.Unix() != 1700000000 {
			t.Errorf("wire.ParseTime(%q) = %v, %v", q, tm, err)
		}
	}
}

func TestRoutesAndExceptions(t *testing.T) {
	// One route per operation in api/connect-operations.txt.
	list, err := os.ReadFile("../../api/connect-operations.txt")
	if err != nil {
		t.Fatal(err)
	}
	ops := 0
	for line := range strings.Lines(string(list)) {
		line, _, _ = strings.Cut(line, "#")
		ops += len(strings.Fields(line))
	}
	if len(Routes) != ops {
		t.Errorf("%d routes for %d operations", len(Routes), ops)
	}
	for _, r := range Routes {
		if r.ValidationException == "" || r.Handle == nil {
			t.Errorf("%s: incomplete route %+v", r.Operation, r)
		}
		for _, e := range append([]string{r.ValidationException}, r.Errors...) {
			if _, ok := Exceptions[e]; !ok {
				t.Errorf("%s: error %s not in Exceptions", r.Operation, e)
			}
		}
	}
	if e := Exceptions["InvalidRequestException"]; e.HTTPStatus != 400 || e.Fault != "client" || !reflect.DeepEqual(e.ExtraMembers, []string{"Reason"}) {
		t.Errorf("InvalidRequestException: %+v", e)
	}
	if e := Exceptions["InternalServiceException"]; e.HTTPStatus != 500 {
		t.Errorf("InternalServiceException: %+v", e)
	}
	if len(OtherOperations) == 0 || OtherOperations[0].Method == "" || OtherOperations[0].Path == "" {
		t.Errorf("OtherOperations: %v", OtherOperations[:1])
	}
}

// TestSkippedPatterns pins the list of model patterns that are not
// enforced, so a model update that adds one is noticed and reviewed.
func TestSkippedPatterns(t *testing.T) {
	var got []string
	for _, s := range skippedPatterns {
		got = append(got, s.Shape+": "+s.Pattern)
	}
	// Password needs lookaheads; the domain checks its complexity instead.
	// PrimaryAttributeContextKeyName is inside
	// GranularAccessControlConfiguration, which the security-profile
	// handlers refuse whole.
	// IpCidr's pattern has no '.' and would refuse IPv4 ranges
	// (tools/apigen modelErrata); the domain parses the CIDR.
	// ViewContentSha256's pattern allows one character, never a SHA-256
	// (modelErrata); the domain compares the hash.
	want := []string{`IpCidr: ^[A-Za-z0-9:/]*$`, `Password: /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$/`,
		`PrimaryAttributeContextKeyName: (?!aws:|connect:)[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]+$`,
		`ViewContentSha256: ^[a-zA-Z0-9]$`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("skipped patterns changed:\n got %q\nwant %q", got, want)
	}
}

func TestDecodeTypeMessages(t *testing.T) {
	for body, want := range map[string]string{
		`{"References":{"k":{"Type":3}}}`:                  "at 'References.Type': expected string, got JSON number", // encoding/json omits map keys from the path
		`{"Attachments":{}}`:                               "at 'Attachments': expected array, got JSON object",
		`{"Attributes":[]}`:                                "at 'Attributes': expected object, got JSON array",
		`{"SegmentAttributes":{"a":{"ValueInteger":"1"}}}`: "expected number, got JSON string",
	} {
		_, err := decodeStartTaskContact(&Request{Body: []byte(body)})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", body, err, want)
		}
	}
}
