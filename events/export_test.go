package events

// Stopping exposes, to tests only, the signal Close raises before it waits,
// so a test can order "Close has begun" before "the receiver answers"
// without sleeping (guideline 32).
func (w *WebhookSink) Stopping() <-chan struct{} { return w.stop }
