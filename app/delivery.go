package app

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/awsapi"
	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/delivery"
	"github.com/switchboard-cc/switchboard/domain"
)

// DeliveryConfig says where outgoing chat streams, texts, push
// notifications and email go. Everything is optional: without a sink,
// StartContactStreaming refuses the endpoint, and texts, push
// notifications and email are logged and dropped.
type DeliveryConfig struct {
	// StreamingEndpoints maps SNS topic ARNs to their sinks
	// (serve --streaming-endpoint).
	StreamingEndpoints map[string]delivery.Endpoint
	// NATSURL is the NATS server of "nats:" endpoints (serve --nats-url).
	NATSURL string
	// SMSWebhook receives outgoing texts (serve --sms-webhook).
	SMSWebhook string
	// SMSSecret signs outgoing texts and authenticates inbound ones
	// (SWITCHBOARD_SMS_SECRET); without it inbound SMS is refused.
	SMSSecret []byte
	// PushWebhook receives the push notifications of chats that mobile
	// devices registered for (serve --push-webhook).
	PushWebhook string
	// PushSecret signs them (SWITCHBOARD_PUSH_SECRET); unsigned without.
	PushSecret []byte
	// SMTPRelay sends outgoing email (serve --smtp-relay; Addr "" = none).
	SMTPRelay delivery.SMTPRelay
	// HTTPClient posts to webhooks (nil: a client with a 10 s timeout).
	HTTPClient *http.Client
}

// deliveryParts is the running delivery side of an App.
type deliveryParts struct {
	cfg    DeliveryConfig
	worker *delivery.Worker
	nats   *delivery.NATSConn
	smtpIn *delivery.SMTPInbound
	sinks  map[string]delivery.Sink
}

// newDelivery builds the outbox worker and wraps the store so that every
// commit that appends to the outbox wakes it; New calls it before anything
// holds the store.
func newDelivery(cfg *Config) *deliveryParts {
	dc := cfg.Delivery
	if dc.HTTPClient == nil {
		dc.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	d := &deliveryParts{cfg: dc, sinks: map[string]delivery.Sink{}}
	for arn, ep := range dc.StreamingEndpoints {
		switch ep.Kind {
		case "webhook":
			d.sinks[domain.OutboxStreamPrefix+arn] = &delivery.SNSWebhook{URL: ep.URL, Client: dc.HTTPClient}
		case "nats":
			if d.nats == nil {
				url := dc.NATSURL
				if url == "" {
					url = "nats://127.0.0.1:4222"
				}
				d.nats = &delivery.NATSConn{URL: url}
			}
			d.sinks[domain.OutboxStreamPrefix+arn] = &delivery.NATSSink{Conn: d.nats, Subject: ep.Subject}
		}
	}
	if dc.SMSWebhook != "" {
		d.sinks[domain.OutboxSMS] = &delivery.JSONWebhook{URL: dc.SMSWebhook, Secret: dc.SMSSecret, Client: dc.HTTPClient, Clock: cfg.Clock}
	}
	if dc.PushWebhook != "" {
		d.sinks[domain.OutboxPush] = &delivery.JSONWebhook{URL: dc.PushWebhook, Secret: dc.PushSecret, Client: dc.HTTPClient, Clock: cfg.Clock}
	}
	if dc.SMTPRelay.Addr != "" {
		relay := dc.SMTPRelay
		d.sinks[domain.OutboxEmail] = &relay
	}
	d.worker = delivery.NewWorker(cfg.Store, cfg.Clock, cfg.Log, func(target string) (delivery.Sink, bool) {
		s, ok := d.sinks[target]
		return s, ok
	})
	cfg.Store = delivery.NotifyStore(cfg.Store, d.worker.Kick)
	return d
}

// start serves inbound SMS, tells the API which streaming endpoints exist
// and starts delivering (rows left by an earlier run first).
func (d *deliveryParts) start(mux *http.ServeMux, api *awsapi.Server, svc *domain.Service, st domain.Store, ch *chat.Service, clk clock.Clock, log *slog.Logger) {
	api.SetStreamingEndpoints(func(arn string) bool {
		_, ok := d.sinks[domain.OutboxStreamPrefix+arn]
		return ok
	})
	mux.Handle(delivery.SMSInboundPath, &delivery.SMSInbound{Service: svc, Chat: ch, Secret: d.cfg.SMSSecret, Clock: clk, Log: log})
	d.worker.Start()
}

func (d *deliveryParts) close() {
	if d.smtpIn != nil {
		_ = d.smtpIn.Close()
	}
	d.worker.Close()
	if d.nats != nil {
		d.nats.Close()
	}
}

// StartSMTPListener receives email on addr (serve --smtp-listen): mail
// to an instance's email address becomes an inbound email contact. It
// returns the bound address.
func (a *App) StartSMTPListener(addr string) (string, error) {
	in := &delivery.SMTPInbound{Service: a.Service, Store: a.store, Log: a.log}
	bound, err := in.Listen(addr)
	if err != nil {
		return "", err
	}
	a.delivery.smtpIn = in
	return bound, nil
}

// Delivery is the outbox worker (tests wait on it with WaitIdle).
func (a *App) Delivery() *delivery.Worker { return a.delivery.worker }

// IsDeliveryTarget reports whether s names an outbox target (for logs).
func IsDeliveryTarget(s string) bool {
	return s == domain.OutboxSMS || s == domain.OutboxEmail || strings.HasPrefix(s, domain.OutboxStreamPrefix)
}
