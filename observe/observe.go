// Package observe exposes the server's own health as Prometheus metrics:
// API requests and their latency, store transactions and group commit,
// the runtime's queues and agents, agent-API streams, and the Go process.
// Every metric is documented in docs/metrics.md; keep the two in step.
//
// It uses github.com/prometheus/client_golang, the reference client: its
// exposition is what Prometheus and every compatible scraper parse, and its
// process and Go collectors give CPU, memory, file descriptors, GC and
// goroutines portably, which would be most of the work of a hand-written
// exporter.
package observe

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/switchboard-cc/switchboard/store/sqlstore"
)

// Namespace prefixes every Switchboard metric.
const Namespace = "switchboard"

// latencyBuckets span the API's range: a cached read answers in well under
// a millisecond, a write waits for a durable group commit (milliseconds),
// and an export streams for seconds or more.
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// Metrics is the registry of one server and the instruments it feeds.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	storeTx  *prometheus.HistogramVec
	storeErr *prometheus.CounterVec
	streams  *prometheus.GaugeVec
}

// New returns a registry with the request, store and stream instruments and
// the process and Go runtime collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "api_requests_total",
		Help: "Requests to the Connect API and Switchboard's admin endpoints, by operation and HTTP status.",
	}, []string{"operation", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "api_request_duration_seconds",
		Help:    "Time from receiving a request to having answered it, by operation.",
		Buckets: latencyBuckets,
	}, []string{"operation"})
	m.storeTx = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "store_transaction_duration_seconds",
		Help:    "Duration of store transactions: kind=update until durable (including the wait for a group commit), kind=view for reads.",
		Buckets: latencyBuckets,
	}, []string{"kind"})
	m.storeErr = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "store_transaction_errors_total",
		Help: "Store transactions that returned an error (including domain errors that rolled an update back).",
	}, []string{"kind"})
	m.streams = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "agent_streams",
		Help: "Open agent API event streams, by transport.",
	}, []string{"transport"})
	m.reg.MustRegister(m.requests, m.latency, m.storeTx, m.storeErr, m.streams,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	// Both transports exist from the start, at 0.
	m.streams.WithLabelValues("websocket")
	m.streams.WithLabelValues("sse")
	return m
}

// Registry is where further collectors go (tests read it directly).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObserveRequest records one API request (awsapi.RequestObserver).
func (m *Metrics) ObserveRequest(operation string, status int, d time.Duration) {
	m.requests.WithLabelValues(operation, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(operation).Observe(d.Seconds())
}

// commitBuckets span a commit's duration: a fraction of a millisecond on a
// fast disk's flush, to the 100 ms and more a congested virtual disk
// sometimes takes, which is what an operator looking for a latency tail
// needs to see.
var commitBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1}

// GroupCommit exposes a store's writer counters, read at each scrape.
func (m *Metrics) GroupCommit(stats func() sqlstore.Stats) {
	counter := func(name, help string, pick func(sqlstore.Stats) float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: Namespace, Subsystem: "store", Name: name, Help: help},
			func() float64 { return pick(stats()) })
	}
	m.reg.MustRegister(
		counter("group_commit_updates_total", "Update functions the store's writer ran.", func(s sqlstore.Stats) float64 { return float64(s.Updates) }),
		counter("group_commit_batches_total", "Write transactions the store's writer opened (several updates share one when they arrive together).", func(s sqlstore.Stats) float64 { return float64(s.Batches) }),
		counter("group_commit_commits_total", "Write transactions committed (a batch whose every update failed is rolled back instead).", func(s sqlstore.Stats) float64 { return float64(s.Commits) }),
		counter("writer_busy_seconds_total", "Time the store's single writer spent with a batch open; its rate is the writer's utilisation (1 = saturated).", func(s sqlstore.Stats) float64 { return s.Busy.Seconds() }),
		counter("writer_commit_seconds_total", "Part of the writer's busy time spent committing (on SQLite, the fsync of the WAL).", func(s sqlstore.Stats) float64 { return s.Committing.Seconds() }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: Namespace, Subsystem: "store", Name: "idempotency_tokens_in_memory",
			Help: "ClientTokens whose index the store keeps in memory (SQLite; 0 on PostgreSQL, which keeps it on disk)."},
			func() float64 { return float64(stats().TokensInMemory) }),
	)
}

// CommitDurations returns the observer of a store's commit durations
// (sqlstore.Store.ObserveCommits), registering its histogram.
func (m *Metrics) CommitDurations() func(time.Duration) {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: Namespace, Subsystem: "store", Name: "commit_duration_seconds",
		Help:    "Duration of each write transaction's commit: the durable flush every write in the batch waits for.",
		Buckets: commitBuckets,
	})
	m.reg.MustRegister(h)
	return func(d time.Duration) { h.Observe(d.Seconds()) }
}

// Handler serves the metrics in the Prometheus text format, to requests
// with HTTP basic auth of user and password (the server's root access key
// ID and secret). There is no unauthenticated access: the numbers name
// instances and queues.
func (m *Metrics) Handler(user, password string) http.Handler {
	inner := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
	// Compare digests so the comparison's time says nothing about the
	// secret's length either.
	wantUser, wantPass := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(password))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		gotUser, gotPass := sha256.Sum256([]byte(u)), sha256.Sum256([]byte(p))
		userOK := subtle.ConstantTimeCompare(gotUser[:], wantUser[:])
		passOK := subtle.ConstantTimeCompare(gotPass[:], wantPass[:])
		if !ok || userOK&passOK != 1 || user == "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="switchboard metrics", charset="UTF-8"`)
			http.Error(w, "Unauthorized: use HTTP basic auth with the server's access key ID as user and its secret access key as password.", http.StatusUnauthorized)
			return
		}
		inner.ServeHTTP(w, r)
	})
}

// scrapeTimeout bounds the store reads a scrape makes (the runtime's queue
// list); Prometheus's default scrape timeout is 10 s.
const scrapeTimeout = 5 * time.Second

func scrapeContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), scrapeTimeout)
}
