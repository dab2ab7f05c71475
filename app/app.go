// Package app assembles a Switchboard server from its parts: the domain
// service over a store, the live contact center, the Connect API and the
// agent API on one HTTP handler. The switchboard command and the tests'
// server (internal/sbtest) both build it here, so tests exercise exactly
// what users run.
package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/awsapi"
	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
	"github.com/switchboard-cc/switchboard/center"
	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/contactrecords"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/events"
	"github.com/switchboard-cc/switchboard/flowrun"
	"github.com/switchboard-cc/switchboard/metrics"
	"github.com/switchboard-cc/switchboard/observe"
	"github.com/switchboard-cc/switchboard/participantapi"
)

// Config is what a server is made of.
type Config struct {
	Store       domain.Store
	Clock       clock.Clock
	Region      string
	AccountID   string
	Quotas      domain.Quotas
	Credentials []sigv4.Credentials
	Log         *slog.Logger
	// NoRuntime leaves contacts where their start operations put them (no
	// flows, no routing): the Connect API alone.
	NoRuntime bool
	// OfferTimeout is how long agents have to accept an offer.
	OfferTimeout time.Duration
	// LambdaEndpoints maps Lambda function ARNs (or names) to the URLs that
	// stand in for them when flows invoke them.
	LambdaEndpoints map[string]string
	// Delivery says where chat streams, texts and email go (delivery.go).
	Delivery DeliveryConfig
	// Prometheus, if set, is fed by the API, the store, the runtime and the
	// agent streams; serve it with Prometheus.Handler on a listener of its
	// own (serve --metrics-addr).
	Prometheus *observe.Metrics
	// Webhooks receive contact and agent events (serve --events-webhook).
	// They start before the runtime loads, so they also get the events of
	// what a restart resumes.
	Webhooks []events.WebhookConfig
}

// App is an assembled server.
type App struct {
	Service *domain.Service
	Center  *center.Center // nil with NoRuntime
	// Chat holds chats and their sockets; the participant service's core.
	Chat *chat.Service
	// Events carries contact events; subscribe to watch them.
	Events *events.Bus
	// Metrics aggregates contact and agent events for the historical
	// metric operations.
	Metrics     *metrics.Aggregator
	metricsSub  *events.Subscription
	metricsDone chan struct{}
	log         *slog.Logger
	agents      *agentapi.Server
	handler     http.Handler
	delivery    *deliveryParts
	store       domain.Store
	webhooks    []*events.WebhookSink
	tokens      *tokenSweeper
}

// AgentPrefix is where the agent API is served.
const AgentPrefix = "/agent/"

// New assembles a server. It fails only on a webhook it cannot start.
func New(cfg Config) (*App, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Prometheus != nil {
		// Wrapped before anything holds the store, so every transaction
		// is timed.
		cfg.Store = cfg.Prometheus.InstrumentStore(cfg.Store)
	}
	dl := newDelivery(&cfg)
	svc := domain.NewService(cfg.Store, cfg.Clock, domain.Config{Region: cfg.Region, AccountID: cfg.AccountID, Quotas: cfg.Quotas})
	ver := &sigv4.Verifier{Lookup: sigv4.StaticLookup(cfg.Credentials...), Service: "connect"}
	a := &App{Service: svc, Events: events.NewBus(), log: cfg.Log, delivery: dl, store: cfg.Store}
	if err := a.StartWebhooks(cfg.Webhooks, cfg.Clock, cfg.Log); err != nil {
		a.closeWebhooks()
		a.Events.Close()
		return nil, err
	}
	// Chats follow their contacts' events (set up on start, ended on
	// disconnect); the participant service serves them at /participant/.
	a.Chat = chat.New(chat.Config{Domain: svc, Store: cfg.Store, Clock: cfg.Clock, Log: cfg.Log})
	a.Metrics = metrics.New(metrics.Options{Store: cfg.Store, Clock: cfg.Clock, Log: cfg.Log, Resources: svc,
		Profile: func(instanceID, agentID string) string {
			u, err := svc.DescribeUser(context.Background(), instanceID, agentID)
			if err != nil {
				return ""
			}
			return u.RoutingProfileID
		}})
	if err := a.Metrics.Start(context.Background()); err != nil {
		// Serving without history beats not serving; the aggregates
		// recompute at the next start since the watermark did not move.
		cfg.Log.Error("historical metrics could not be loaded", "error", err)
	}
	// Agent time (occupancy) comes from the agent event stream.
	sub := a.Events.Subscribe(events.Filter{Kinds: []events.Kind{events.KindAgent}}, events.SubscribeOpts{Name: "metrics", Buffer: 8192})
	a.metricsSub, a.metricsDone = sub, make(chan struct{})
	go func() { defer close(a.metricsDone); a.Metrics.Consume(sub) }()
	svc.SetEventSink(eventSinks{&contactEvents{bus: a.Events, svc: svc, region: cfg.Region, accountID: cfg.AccountID}, a.Chat, a.Metrics})
	mux := http.NewServeMux()
	api := awsapi.NewServer(svc, ver, cfg.Log)
	api.SetMetricsHistory(a.Metrics)
	// UpdateParticipantRoleConfig sets the chats' idle timers (chat/timers.go).
	api.SetChats(a.Chat)
	// Contact records are exported at /switchboard/v1/instances/{id}/contact-records.
	api.SetRecordExporter(&contactrecords.Exporter{Store: cfg.Store, Service: svc})
	if cfg.Prometheus != nil {
		api.SetRequestObserver(cfg.Prometheus)
	}
	a.tokens = startTokenSweeper(svc, cfg.Clock, cfg.Log)
	mux.Handle("/", api)
	mux.Handle(participantapi.Prefix, participantapi.New(a.Chat, participantapi.Options{Log: cfg.Log}))
	dl.start(mux, api, svc, cfg.Store, a.Chat, cfg.Clock, cfg.Log)
	if !cfg.NoRuntime {
		opts := center.Options{OfferTimeout: cfg.OfferTimeout, Log: cfg.Log, Events: a.Events}
		if len(cfg.LambdaEndpoints) > 0 {
			opts.Lambda = &flowrun.HTTPInvoker{Endpoints: cfg.LambdaEndpoints}
		}
		a.Center = center.New(svc, cfg.Clock, opts)
		// The runtime is the chat's other half (app/chat.go).
		connectChat(a.Chat, a.Center)
		// After a restart the runtime picks up where it stopped: timers
		// and waiting flows of every instance, not only of those used.
		a.Center.LoadInstances(context.Background())
		api.SetInspector(center.Inspector{C: a.Center})
		sessions := storeSessions{store: cfg.Store, clock: cfg.Clock}
		sessions.sweepSessions(context.Background(), cfg.Log)
		a.agents = agentapi.New(a.Center, cfg.Clock, agentapi.Options{Logger: cfg.Log, Sessions: sessions})
		mux.Handle(AgentPrefix, a.agents)
		if cfg.Prometheus != nil {
			// Streams are counted from outside the agent API: the more
			// specific pattern takes the stream endpoint's requests.
			mux.Handle(AgentPrefix+"v1/stream", cfg.Prometheus.AgentStreams(a.agents))
			cfg.Prometheus.Runtime(a.Center)
		}
	}
	a.handler = mux
	return a, nil
}

// StartWebhooks starts delivering events to more webhooks; those of
// Config.Webhooks are started by New.
func (a *App) StartWebhooks(cfgs []events.WebhookConfig, clk clock.Clock, log *slog.Logger) error {
	for _, c := range cfgs {
		sink, err := events.StartWebhook(a.Events, c, events.WebhookOpts{Clock: clk, Logger: log})
		if err != nil {
			return err
		}
		a.webhooks = append(a.webhooks, sink)
	}
	return nil
}

// closeWebhooks delivers what the webhooks have queued, for a few seconds
// at most, and stops them.
func (a *App) closeWebhooks() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, w := range a.webhooks {
		_ = w.Close(ctx)
	}
}

// Handler serves the Connect API at / and the agent API at /agent/.
func (a *App) Handler() http.Handler { return a.handler }

// AgentMetricsCaughtUp reports whether the historical metrics have applied
// every agent event the bus has delivered to them so far. Agent events
// reach the aggregator on its own goroutine; tests wait for this instead
// of sleeping.
func (a *App) AgentMetricsCaughtUp() bool {
	return a.Metrics.Consumed() >= a.metricsSub.Stats().Delivered
}

// Close ends agent streams; call it before shutting the HTTP server down
// (which does not wait for WebSocket connections) and closing the store.
func (a *App) Close() {
	a.tokens.stop()
	if a.agents != nil {
		a.agents.Close()
	}
	a.Chat.Close()
	a.delivery.close()
	a.closeWebhooks()
	a.Events.Close()
	<-a.metricsDone
	if err := a.Metrics.Close(); err != nil {
		a.log.Error("historical metrics not written at shutdown; they recompute at the next start", "error", err)
	}
}
