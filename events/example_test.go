package events_test

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboard-cc/switchboard/events"
)

// The runtime publishes; a consumer subscribes to the events it wants.
func ExampleBus() {
	bus := events.NewBus()
	defer bus.Close()
	queued := bus.Subscribe(events.Filter{
		Kinds: []events.Kind{events.KindContact},
		Types: []string{events.ContactQueued},
	}, events.SubscribeOpts{Name: "dashboard"})

	at := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	instance := "arn:aws:connect:us-east-1:111122223333:instance/i-1"
	for _, typ := range []string{events.ContactInitiated, events.ContactQueued} {
		bus.Publish(events.NewContactEvent("ev-"+typ, "111122223333", "us-east-1", at, events.ContactDetail{
			EventType: typ, ContactID: "c-1", Channel: "CHAT", InstanceARN: instance, InitiationMethod: "API",
		}))
	}

	e := (<-queued.C()).(*events.ContactEvent)
	fmt.Println(e.Detail.EventType, e.Resources[1])
	fmt.Printf("%+v\n", queued.Stats())
	// Output:
	// QUEUED arn:aws:connect:us-east-1:111122223333:instance/i-1/contact/c-1
	// {ID:1 Name:dashboard Published:1 Delivered:1 Dropped:0 Buffered:0 Capacity:1024}
}

// The server turns each --events-webhook flag into a running sink.
func ExampleStartWebhook() {
	cfg, err := events.ParseWebhookSpec("url=https://hooks.example.com/connect,events=agent,types=STATE_CHANGE", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg, cfg.Filter.Types, cfg.MaxAttempts)

	bus := events.NewBus()
	sink, err := events.StartWebhook(bus, cfg, events.WebhookOpts{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sink.Close(context.Background())

	_, err = events.ParseWebhookSpec("url=https://hooks.example.com,types=QUEUD", nil)
	fmt.Println(err)
	// Output:
	// webhook https://hooks.example.com/connect [STATE_CHANGE] 8
	// events-webhook: event type "QUEUD" is neither a contact event type (INITIATED, CONNECTED_TO_SYSTEM, CONTACT_DATA_UPDATED, QUEUED, CONNECTED_TO_AGENT, DISCONNECTED, COMPLETED, PAUSED, RESUMED) nor an agent event type (LOGIN, LOGOUT, STATE_CHANGE, HEART_BEAT)
}
