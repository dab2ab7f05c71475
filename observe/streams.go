package observe

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"sync"
)

// AgentStreams wraps the agent API's stream endpoint (GET
// /agent/v1/stream) to count open streams without the agent API knowing:
// a request counts from the moment it becomes a stream — its WebSocket
// upgrade hijacks the connection, or its Server-Sent Events response
// starts with 200 text/event-stream — until its handler returns, which the
// agent API does when the stream ends. Refused requests never count.
func (m *Metrics) AgentStreams(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &streamWriter{ResponseWriter: w, m: m}
		defer sw.close()
		next.ServeHTTP(sw, r)
	})
}

// streamWriter notices a response turning into a stream.
type streamWriter struct {
	http.ResponseWriter
	m         *Metrics
	once      sync.Once
	transport string
}

func (w *streamWriter) open(transport string) {
	w.once.Do(func() {
		w.transport = transport
		w.m.streams.WithLabelValues(transport).Inc()
	})
}

func (w *streamWriter) close() {
	if w.transport != "" {
		w.m.streams.WithLabelValues(w.transport).Dec()
	}
}

func (w *streamWriter) WriteHeader(code int) {
	if code == http.StatusOK && strings.HasPrefix(w.Header().Get("Content-Type"), "text/event-stream") {
		w.open("sse")
	}
	w.ResponseWriter.WriteHeader(code)
}

// Hijack is how a WebSocket upgrade takes the connection over.
func (w *streamWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.open("websocket")
	}
	return c, rw, err
}

// Unwrap lets http.ResponseController reach the connection (flushes and
// write deadlines of the SSE writer).
func (w *streamWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
