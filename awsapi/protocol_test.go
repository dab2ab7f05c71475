package awsapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// signedRequest sends a request signed like the SDK signs, with any body.
func signedRequest(t *testing.T, e *sbtest.Env, method, path string, body []byte) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, e.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	h := sha256Hex(body)
	creds := aws.Credentials{AccessKeyID: sbtest.AccessKeyID, SecretAccessKey: sbtest.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, h, "connect", sbtest.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if resp.Header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("response without x-amzn-RequestId: %d %s", resp.StatusCode, b)
	}
	return resp, m
}

func TestProtocolErrors(t *testing.T) {
	t.Parallel()
	e := sbtest.New(t)
	iid := e.Instance(t)
	cases := []struct {
		name, method, path, body string
		status                   int
		errType, msgHas          string
	}{
		{"malformed JSON", "PUT", "/contact/task", `{"InstanceId": `, 400, "SerializationException", ""},
		{"wrong JSON type", "PUT", "/contact/task", `{"InstanceId": 5, "Name": "x"}`, 400, "SerializationException", ""},
		{"unknown route", "GET", "/no/such/thing", ``, 404, "UnknownOperationException", "/no/such/thing"},
		{"wrong method", "DELETE", "/contact/task", ``, 404, "UnknownOperationException", "PUT"},
		{"operation not implemented", "GET", "/traffic-distribution-groups", ``, 404, "UnknownOperationException", "ListTrafficDistributionGroups"},
		{"validation", "PUT", "/contact/task", `{"InstanceId": "` + iid + `"}`, 400, "InvalidParameterException", "Name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := signedRequest(t, e, c.method, c.path, []byte(c.body))
			if resp.StatusCode != c.status || resp.Header.Get("X-Amzn-ErrorType") != c.errType {
				t.Fatalf("got %d %s %v, want %d %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body, c.status, c.errType)
			}
			msg, _ := body["Message"].(string)
			if msg == "" || !strings.Contains(msg, c.msgHas) {
				t.Fatalf("message %q should mention %q", msg, c.msgHas)
			}
		})
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	e := sbtest.New(t)
	ctx := sbtest.Ctx(t)
	t.Run("unsigned", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.URL+"/instance", nil)
		resp, body := do(t, req)
		if resp.StatusCode != 403 || resp.Header.Get("X-Amzn-ErrorType") != "MissingAuthenticationTokenException" {
			t.Fatalf("got %d %s %v", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		_, err := e.NewClient(sbtest.AccessKeyID, "not-the-secret", true).ListInstances(ctx, &connect.ListInstancesInput{})
		sbtest.APIError(t, err, "InvalidSignatureException", 403)
	})
	t.Run("unknown key", func(t *testing.T) {
		_, err := e.NewClient("AKIAUNKNOWN", "whatever", true).ListInstances(ctx, &connect.ListInstancesInput{})
		sbtest.APIError(t, err, "UnrecognizedClientException", 403)
	})
	t.Run("signed", func(t *testing.T) {
		if _, err := e.Client.ListInstances(ctx, &connect.ListInstancesInput{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	e := sbtest.New(t)
	body := bytes.Repeat([]byte(" "), 33<<20)
	resp, _ := signedRequest(t, e, "PUT", "/contact/task", body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("got %d", resp.StatusCode)
	}
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
