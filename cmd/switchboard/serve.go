package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
	"github.com/switchboard-cc/switchboard/center"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/events"
	"github.com/switchboard-cc/switchboard/observe"
	"github.com/switchboard-cc/switchboard/store/postgres"
	"github.com/switchboard-cc/switchboard/store/sqlite"
)

// Defaults of `switchboard serve`.
const (
	// DefaultAddr: 2600 Hz was the tone that opened the old telephone
	// switchboards' trunks — easy to remember for a switchboard.
	DefaultAddr      = "127.0.0.1:2600"
	DefaultRegion    = "us-east-1"
	DefaultAccountID = "000000000000"
	// ShutdownTimeout bounds how long in-flight requests may take to
	// finish after SIGTERM/SIGINT.
	ShutdownTimeout = 30 * time.Second
)

// Main is the serve command: parsed flags, then Run. Tests drive it with
// Addr "127.0.0.1:0" and a temporary data dir.
type Main struct {
	Addr      string
	DataDir   string
	Store     string
	Region    string
	AccountID string
	Clock     string
	LogLevel  string
	Quotas    domain.Quotas
	// OfferTimeout is how long agents have to accept an offered contact.
	OfferTimeout time.Duration
	// Lambda maps Lambda function ARNs (or names) to the URLs standing in
	// for them.
	Lambda map[string]string
	// Webhooks receive contact events.
	Webhooks []events.WebhookConfig
	// MetricsAddr, when set, serves Prometheus metrics at /metrics on a
	// listener of its own, behind HTTP basic auth with the root
	// credentials (docs/metrics.md).
	MetricsAddr string
	// Delivery is where chat streams, texts and email go; SMTPListen
	// receives email (delivery flags).
	Delivery   app.DeliveryConfig
	SMTPListen string

	// Stdout receives the start-up banner (endpoint, credentials).
	Stdout io.Writer
	// Ready, if set, receives the bound address once the server listens.
	Ready chan<- string
	// MetricsReady, if set, receives the metrics listener's address.
	MetricsReady chan<- string
	// GCTuning says what the command changed in the garbage collector's
	// settings (gc.go), for the start-up log; "" when nothing.
	GCTuning string
}

// NewMain returns a Main with the defaults.
func NewMain() *Main {
	return &Main{Addr: DefaultAddr, DataDir: defaultDataDir(), Region: DefaultRegion, AccountID: DefaultAccountID,
		Clock: "real", LogLevel: "info", Stdout: os.Stdout}
}

// defaultDataDir is ~/.switchboard, or ./.switchboard without a home.
func defaultDataDir() string {
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, ".switchboard")
	}
	return ".switchboard"
}

// ParseFlags reads the serve flags.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("switchboard serve", flag.ContinueOnError)
	fs.StringVar(&m.Addr, "addr", m.Addr, "`host:port` to listen on")
	fs.StringVar(&m.DataDir, "data-dir", m.DataDir, "`directory` for the embedded database and the generated credentials")
	fs.StringVar(&m.Store, "store", m.Store, "where to keep data: empty for SQLite in the data dir, or a `postgres://` URL")
	fs.StringVar(&m.Region, "region", m.Region, "AWS `region` used in ARNs")
	fs.StringVar(&m.AccountID, "account-id", m.AccountID, "12-digit AWS `account` ID used in ARNs")
	fs.StringVar(&m.Clock, "clock", m.Clock, "`real`, or virtual: time starts at the wall-clock time of start-up and then moves only when advanced")
	fs.StringVar(&m.LogLevel, "log-level", m.LogLevel, "`level` of logging: debug, info, warn or error")
	fs.StringVar(&m.MetricsAddr, "metrics-addr", m.MetricsAddr, "`host:port` to serve Prometheus metrics on at /metrics, with HTTP basic auth: user = access key ID, password = secret access key (off when empty)")
	fs.DurationVar(&m.OfferTimeout, "offer-timeout", center.DefaultOfferTimeout, "how long an agent has to accept an offered contact before it is missed")
	fs.Func("events-webhook", "deliver contact events to a webhook (repeatable): "+events.WebhookSpecHelp, func(spec string) error {
		c, err := events.ParseWebhookSpec(spec, os.LookupEnv)
		if err != nil {
			return err
		}
		m.Webhooks = append(m.Webhooks, c)
		return nil
	})
	fs.Func("lambda", "`ARN=URL`: flows invoking the Lambda function ARN (or function name) POST its event to URL instead (repeatable)", func(s string) error {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" || !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")) {
			return fmt.Errorf("want ARN=http(s)://URL")
		}
		if m.Lambda == nil {
			m.Lambda = map[string]string{}
		}
		m.Lambda[k] = v
		return nil
	})
	m.deliveryFlags(fs)
	names := m.Quotas.QuotaNames()
	fs.Func("quota", "raise or lower a quota, `name=value` (repeatable): "+quotaList(names), func(s string) error {
		k, v, ok := strings.Cut(s, "=")
		n, err := strconv.Atoi(v)
		p, known := names[k]
		if !ok || err != nil || n < 1 || !known {
			return fmt.Errorf("want name=positive-number with name one of %s", quotaList(names))
		}
		*p = n
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: switchboard serve [flags]\n\nRuns the Amazon Connect compatible API. Flags:")
		fs.PrintDefaults()
		fmt.Fprintln(fs.Output(), "\nEnvironment: SWITCHBOARD_ACCESS_KEY_ID and SWITCHBOARD_SECRET_ACCESS_KEY set the root credentials;\nwithout them a pair is generated on first start and kept in the data dir.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; serve takes only flags", fs.Arg(0))
	}
	return m.validate()
}

var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

func (m *Main) validate() error {
	if !accountPattern.MatchString(m.AccountID) {
		return fmt.Errorf("--account-id %q must be 12 digits", m.AccountID)
	}
	if m.Region == "" {
		return errors.New("--region must not be empty")
	}
	if m.Clock != "real" && m.Clock != "virtual" {
		return fmt.Errorf("--clock must be real or virtual, not %q", m.Clock)
	}
	if m.Store != "" && !strings.HasPrefix(m.Store, "postgres://") && !strings.HasPrefix(m.Store, "postgresql://") {
		return fmt.Errorf("--store must be empty (SQLite in --data-dir) or a postgres:// URL, not %q", m.Store)
	}
	if _, _, err := net.SplitHostPort(m.Addr); err != nil {
		return fmt.Errorf("--addr %q is not host:port: %v", m.Addr, err)
	}
	if _, _, err := net.SplitHostPort(m.MetricsAddr); m.MetricsAddr != "" && err != nil {
		return fmt.Errorf("--metrics-addr %q is not host:port: %v", m.MetricsAddr, err)
	}
	return nil
}

func quotaList(names map[string]*int) string {
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// Run serves until ctx ends, then shuts down gracefully: the listener
// closes, in-flight requests finish (their writes are committed before they
// answer), and the store closes.
func (m *Main) Run(ctx context.Context) error {
	log := newLogger(m.LogLevel)
	if m.GCTuning != "" {
		log.Info("garbage collector set for a server (GOGC or GOMEMLIMIT in the environment override this)", "set", m.GCTuning)
	}
	if err := os.MkdirAll(m.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	creds, generated, err := loadCredentials(m.DataDir)
	if err != nil {
		return err
	}
	st, storeDesc, err := m.openStore(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()

	var clk clock.Clock = clock.Real{}
	if m.Clock == "virtual" {
		clk = clock.NewVirtual(time.Now().UTC().Truncate(time.Second))
	}
	var prom *observe.Metrics
	if m.MetricsAddr != "" {
		prom = observe.New()
	}
	a, err := app.New(app.Config{Prometheus: prom, Store: st, Clock: clk, Region: m.Region, AccountID: m.AccountID, Quotas: m.Quotas, Log: log,
		Credentials: []sigv4.Credentials{creds}, OfferTimeout: m.OfferTimeout, LambdaEndpoints: m.Lambda, Delivery: m.Delivery,
		Webhooks: m.Webhooks})
	if err != nil {
		return err
	}
	defer a.Close()
	if m.SMTPListen != "" {
		bound, err := a.StartSMTPListener(m.SMTPListen)
		if err != nil {
			return fmt.Errorf("--smtp-listen: %w", err)
		}
		log.Info("receiving email", "addr", bound)
	}

	ln, err := net.Listen("tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (pick another with --addr)", m.Addr, err)
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	if prom != nil {
		stop, err := m.serveMetrics(prom, creds, log)
		if err != nil {
			ln.Close()
			return err
		}
		defer stop()
	}
	endpoint := "http://" + ln.Addr().String()
	m.banner(endpoint, storeDesc, creds, generated)
	if m.Ready != nil {
		m.Ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	// Agent streams are hijacked connections Shutdown does not wait for.
	a.Close()
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

func (m *Main) openStore(ctx context.Context, log *slog.Logger) (domain.Store, string, error) {
	if m.Store != "" {
		st, err := postgres.Open(ctx, m.Store)
		if err != nil {
			return nil, "", fmt.Errorf("open PostgreSQL store: %w", err)
		}
		return st, "PostgreSQL", nil
	}
	path := filepath.Join(m.DataDir, "switchboard.db")
	st, err := sqlite.OpenWith(path, sqlite.Options{Progress: func(msg string) { log.Info(msg) }})
	if err != nil {
		return nil, "", fmt.Errorf("open SQLite store %s: %w", path, err)
	}
	return st, "SQLite " + path, nil
}

func (m *Main) banner(endpoint, store string, c sigv4.Credentials, generated bool) {
	origin := "from SWITCHBOARD_ACCESS_KEY_ID / SWITCHBOARD_SECRET_ACCESS_KEY"
	if generated {
		origin = "generated and kept in " + filepath.Join(m.DataDir, credentialsFile)
	}
	fmt.Fprintf(m.Stdout, `Switchboard is serving the Amazon Connect API
  endpoint:    %s
  region:      %s   account: %s
  store:       %s
  credentials: %s

Use it from the AWS CLI:
  export AWS_ACCESS_KEY_ID=%s
  export AWS_SECRET_ACCESS_KEY=%s
  export AWS_DEFAULT_REGION=%s
  aws connect list-instances --endpoint-url %s

From the AWS SDK for Go v2:
  connect.NewFromConfig(cfg, func(o *connect.Options) { o.BaseEndpoint = aws.String(%q) })
`, endpoint, m.Region, m.AccountID, store, origin, c.AccessKeyID, c.SecretAccessKey, m.Region, endpoint, endpoint)
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

const credentialsFile = "credentials.json"

// loadCredentials returns the root credentials: from the environment, else
// from the data dir, else freshly generated and saved there (0600).
func loadCredentials(dir string) (sigv4.Credentials, bool, error) {
	id, secret := os.Getenv("SWITCHBOARD_ACCESS_KEY_ID"), os.Getenv("SWITCHBOARD_SECRET_ACCESS_KEY")
	if id != "" || secret != "" {
		if id == "" || secret == "" {
			return sigv4.Credentials{}, false, errors.New("set both SWITCHBOARD_ACCESS_KEY_ID and SWITCHBOARD_SECRET_ACCESS_KEY, or neither")
		}
		return sigv4.Credentials{AccessKeyID: id, SecretAccessKey: secret}, false, nil
	}
	path := filepath.Join(dir, credentialsFile)
	var c sigv4.Credentials
	b, err := os.ReadFile(path)
	if err == nil {
		if err := json.Unmarshal(b, &c); err != nil || c.AccessKeyID == "" || c.SecretAccessKey == "" {
			return c, false, fmt.Errorf("%s is not valid credentials JSON; delete it to generate a new pair", path)
		}
		return c, true, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return c, false, err
	}
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return c, false, err
	}
	c = sigv4.Credentials{
		AccessKeyID:     "AKIASB" + strings.ToUpper(hex.EncodeToString(raw[:7])),
		SecretAccessKey: base64.RawStdEncoding.EncodeToString(raw[7:]) + base64.RawStdEncoding.EncodeToString(raw[:9]),
	}
	b, _ = json.MarshalIndent(c, "", "  ")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return c, false, fmt.Errorf("save generated credentials: %w", err)
	}
	return c, true, nil
}

// serveMetrics starts the Prometheus listener (--metrics-addr) and returns
// the function that stops it. It is apart from the API's listener so that
// it can be exposed to a monitoring network only; it still requires the
// root credentials, as basic auth.
func (m *Main) serveMetrics(prom *observe.Metrics, creds sigv4.Credentials, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", m.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s for metrics: %w (pick another with --metrics-addr)", m.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", prom.Handler(creds.AccessKeyID, creds.SecretAccessKey))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", "err", err)
		}
	}()
	fmt.Fprintf(m.Stdout, "Prometheus metrics: http://%s/metrics (basic auth: access key ID / secret access key)\n", ln.Addr())
	if m.MetricsReady != nil {
		m.MetricsReady <- ln.Addr().String()
	}
	return func() { _ = srv.Close() }, nil
}
