// Package events turns what happens in Switchboard into the two streams
// Amazon Connect users already consume, and lets them subscribe to it.
//
// # Payloads
//
// ContactEvent is shaped like the EventBridge "Amazon Connect Contact Event"
// (shared/spec/connect-semantics.md §1.3): an EventBridge envelope with a
// camelCase detail, because that is how real payloads arrive whatever the
// doc samples' casing. AgentEvent is shaped like a Kinesis agent event stream
// record (§3.5, Version "2019-05-25"): PascalCase keys, absent values written
// as null, as real records do. Timestamps are ISO-8601 UTC with milliseconds
// (Timestamp); the EventBridge envelope "time" has whole seconds. Code that
// already parses Connect's payloads should parse ours unchanged.
//
// # Bus
//
// The runtime calls Bus.Publish; consumers call Bus.Subscribe with a Filter
// (instance, kind, event types, channels) and read Subscription.C. Publish
// never blocks (guideline 28): each subscription has its own bounded buffer,
// and when it is full the event is dropped for that subscription only and
// its Dropped counter grows. The subscription stays connected: Connect
// documents its events as best-effort, so consumers already tolerate gaps,
// and a disconnect would turn one burst into losing everything after it.
//
// Ordering: Publish calls are serialised, so every subscription sees the
// events it receives in one global publish order (a subsequence of it when
// the filter or a full buffer left some out). Events from one goroutine are
// therefore seen in the order that goroutine published them.
//
// Published events are shared by every subscriber and must not be modified
// after Publish.
//
// # Webhooks
//
// WebhookSink drains a Subscription into HTTP POSTs, one event per request,
// with retries, backoff and an optional HMAC signature (see WebhookSink).
// ParseWebhookSpec reads the `--events-webhook` flag form.
//
// # Limits
//
// Delivery is at-most-once end to end: nothing is persisted, events published
// while a buffer is full or still queued when the process stops are lost (and
// counted). A webhook event is retried until it is acknowledged, rejected, or
// its attempt or age budget runs out, so a receiver sees an event again when
// it processed it but its 2xx did not reach us (a timeout, a 5xx after the
// work was done); dedupe on the event id, which every attempt repeats.
//
// Bus.Close ends subscriptions after their buffered events, so a running
// WebhookSink still delivers those; WebhookSink.Close instead abandons them.
package events
