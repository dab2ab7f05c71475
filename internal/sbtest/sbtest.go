// Package sbtest starts a Switchboard API server inside a test and hands out
// real aws-sdk-go-v2 Connect clients pointed at it. Every SDK-driven test in
// the repository uses it, so that all of them exercise the same stack a user
// gets: SigV4, routing, generated decoding and validation, the domain and a
// real SQLite store on disk.
package sbtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
	"github.com/switchboard-cc/switchboard/center"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/events"
	"github.com/switchboard-cc/switchboard/store/sqlite"
)

// Test credentials of the server started by New.
const (
	AccessKeyID     = "AKIASWITCHBOARDTEST"
	SecretAccessKey = "switchboard-test-secret-key-0123456789"
	Region          = "us-east-1"
	AccountID       = "123456789012"
)

// Start is the virtual time at which every test server starts.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Env is a running test server.
type Env struct {
	URL     string
	Clock   *clock.Virtual
	Service *domain.Service
	// Center is the runtime (nil unless Options.Runtime).
	Center *center.Center
	// App is the assembled server (its Events bus carries contact events).
	App *app.App
	// Client validates input on the client side like a user's SDK does.
	Client *connect.Client
	// Raw has the SDK's client-side validation removed so that invalid
	// input reaches the server (negative tests use it).
	Raw     *connect.Client
	DataDir string
	store   domain.Store
	srv     *httptest.Server
	app     *app.App
}

// Options tune New.
type Options struct {
	Quotas domain.Quotas
	// DataDir reuses a data directory (restart tests); "" = a fresh one.
	DataDir string
	// Runtime runs flows and routes contacts to agents (package center);
	// without it contacts stay where their start operation put them.
	Runtime bool
	// OfferTimeout is how long agents have to accept an offer.
	OfferTimeout time.Duration
	// LambdaEndpoints maps Lambda functions to URLs for flows.
	LambdaEndpoints map[string]string
	// Delivery configures chat streaming, SMS and email sinks.
	Delivery app.DeliveryConfig
	// Webhooks receive events from the start, restart included.
	Webhooks []events.WebhookConfig
}

// New starts a server on a fresh SQLite store under t.TempDir().
func New(t testing.TB, opts ...Options) *Env {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	dir := o.DataDir
	if dir == "" {
		dir = t.TempDir()
	}
	st, err := sqlite.Open(filepath.Join(dir, "switchboard.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	clk := clock.NewVirtual(Start)
	var log *slog.Logger
	if os.Getenv("SWITCHBOARD_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	a, err := app.New(app.Config{
		Store: st, Clock: clk, Region: Region, AccountID: AccountID, Quotas: o.Quotas, Log: log,
		Credentials:     []sigv4.Credentials{{AccessKeyID: AccessKeyID, SecretAccessKey: SecretAccessKey}},
		NoRuntime:       !o.Runtime,
		OfferTimeout:    o.OfferTimeout,
		LambdaEndpoints: o.LambdaEndpoints,
		Delivery:        o.Delivery,
		Webhooks:        o.Webhooks,
	})
	if err != nil {
		_ = st.Close()
		t.Fatalf("assemble server: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	e := &Env{URL: srv.URL, Clock: clk, Service: a.Service, Center: a.Center, App: a, DataDir: dir, store: st, srv: srv, app: a}
	e.Client = e.NewClient(AccessKeyID, SecretAccessKey, true)
	e.Raw = e.NewClient(AccessKeyID, SecretAccessKey, false)
	t.Cleanup(e.Close)
	return e
}

// Store is the server's store, for tests that check what it holds beyond
// what the API shows.
func (e *Env) Store() domain.Store { return e.store }

// Close stops the server and closes the store (idempotent).
func (e *Env) Close() {
	if e.srv == nil {
		return
	}
	e.app.Close()
	e.srv.Close()
	_ = e.store.Close()
	e.srv = nil
}

// NewClient returns an SDK client with the given credentials; validate=false
// removes the SDK's client-side input validation.
func (e *Env) NewClient(keyID, secret string, validate bool) *connect.Client {
	return connect.New(connect.Options{
		Region:           Region,
		BaseEndpoint:     aws.String(e.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(keyID, secret, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       http.DefaultClient,
	}, func(o *connect.Options) {
		if !validate {
			o.APIOptions = append(o.APIOptions, RemoveValidation)
		}
	})
}

// RemoveValidation is an SDK API option that removes client-side validation.
// Operations with no required members have no validation step to remove.
func RemoveValidation(stack *middleware.Stack) error {
	if _, ok := stack.Initialize.Get("OperationInputValidation"); !ok {
		return nil
	}
	_, err := stack.Initialize.Remove("OperationInputValidation")
	return err
}

// Ctx returns a context for one test call.
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// APIError asserts that err is an API error with the given exception name
// and HTTP status, and that its message is not empty; it returns the message.
func APIError(t testing.TB, err error, name string, status int) string {
	t.Helper()
	if err == nil {
		t.Fatalf("expected %s (%d), got success", name, status)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("expected %s, got non-API error %v", name, err)
	}
	if ae.ErrorCode() != name {
		t.Fatalf("expected %s, got %s: %s", name, ae.ErrorCode(), ae.ErrorMessage())
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Fatalf("expected HTTP %d for %s, got %d", status, name, re.HTTPStatusCode())
	}
	if ae.ErrorMessage() == "" {
		t.Fatalf("%s has an empty message", name)
	}
	return ae.ErrorMessage()
}

var aliasSeq atomic.Int64

// Instance creates an instance and returns its ID.
func (e *Env) Instance(t testing.TB) string {
	t.Helper()
	out, err := e.Client.CreateInstance(Ctx(t), &connect.CreateInstanceInput{
		IdentityManagementType: "CONNECT_MANAGED",
		InstanceAlias:          aws.String(fmt.Sprintf("test-%d", aliasSeq.Add(1))),
		InboundCallsEnabled:    aws.Bool(true),
		OutboundCallsEnabled:   aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("CreateInstance: %v", err)
	}
	return *out.Id
}
