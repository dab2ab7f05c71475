package sigv4_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
)

func hmacBytes(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// checkFuzzResult asserts the only two acceptable outcomes: an identity, or
// an *Error with a status the HTTP layer can send.
func checkFuzzResult(t *testing.T, id *sigv4.Identity, err error) {
	if err == nil {
		if id == nil {
			t.Fatal("nil identity without error")
		}
		return
	}
	var e *sigv4.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is %T, want *sigv4.Error", err, err)
	}
	if (e.Status != http.StatusForbidden && e.Status != http.StatusBadRequest) || e.Code == "" || e.Message == "" {
		t.Fatalf("bad error %+v", *e)
	}
}

// FuzzParseAuthorization feeds arbitrary Authorization and X-Amz-Date values
// through Verify. It is seeded with a genuine SDK signature so mutations stay
// close to the interesting, almost-valid inputs.
func FuzzParseAuthorization(f *testing.F) {
	req := httptest.NewRequest("POST", "https://connect.example.com/users/a%2Fb?x=1", nil)
	signReq(f, req, []byte("{}"), testCreds, testSvc, testRegion, t0)
	f.Add(req.Header.Get("Authorization"), req.Header.Get("X-Amz-Date"), "")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host, Signature=00", "20260314T120000Z", "")
	f.Add("AWS4-HMAC-SHA256 ,,,=,=,Credential=", "", "Sat, 14 Mar 2026 12:00:00 GMT")
	f.Add("AWS4-HMAC-SHA256 Credential=////, SignedHeaders=;;, Signature=", "x", "y")
	f.Add("", "", "")
	v := newVerifier(t0)
	f.Fuzz(func(t *testing.T, authz, amzDate, date string) {
		r := httptest.NewRequest("POST", "https://connect.example.com/users/a%2Fb?x=1", nil)
		r.Header.Set("Authorization", authz)
		if amzDate != "" {
			r.Header.Set("X-Amz-Date", amzDate)
		}
		if date != "" {
			r.Header.Set("Date", date)
		}
		id, err := v.Verify(r, []byte("{}"))
		checkFuzzResult(t, id, err)
	})
}

// FuzzParsePresignedQuery feeds arbitrary raw query strings through Verify,
// seeded with a genuine SDK presigned URL.
func FuzzParsePresignedQuery(f *testing.F) {
	req := httptest.NewRequest("GET", "https://connect.example.com/x?a=1&b=%20", nil)
	signed, _, err := v4.NewSigner().PresignHTTP(f.Context(), testCreds, req, sha256Hex(nil), testSvc, testRegion, t0)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed[len("https://connect.example.com/x?"):])
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=-1")
	f.Add("X-Amz-Signature=&X-Amz-Signature=")
	f.Add("X-Amz-Credential=%zz&X-Amz-Algorithm&=&&;")
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=k%2F20260314%2Fr%2Fs%2Faws4_request&X-Amz-Date=20260314T120000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=99999999999999999999")
	v := newVerifier(t0)
	f.Fuzz(func(t *testing.T, rawQuery string) {
		r := httptest.NewRequest("GET", "https://connect.example.com/x", nil)
		r.URL.RawQuery = rawQuery
		r.RequestURI = ""
		id, err := v.Verify(r, nil)
		checkFuzzResult(t, id, err)
	})
}
