package awsapi

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/contactrecords"
)

// ContactRecordsSuffix ends the path of the contact-record export:
//
//	GET /switchboard/v1/instances/{instanceId}/contact-records?from=RFC3339&to=RFC3339
//
// The answer is JSON lines (application/x-ndjson), one contact record per
// line, for the contacts that disconnected in [from, to) and are completed,
// in disconnect order. It is streamed as the store is paged through. The
// trailer RecordCountTrailer carries the number of records once the last
// one is written: a body without it was cut short (the server aborts the
// connection when an export fails half-way, since the status is sent).
const ContactRecordsSuffix = "/contact-records"

// RecordCountTrailer is the HTTP trailer ending a complete export.
const RecordCountTrailer = "X-Switchboard-Record-Count"

// ContactRecordsContentType is the media type of an export.
const ContactRecordsContentType = "application/x-ndjson"

// RecordExporter exports contact records; *contactrecords.Exporter is one.
type RecordExporter interface {
	Export(ctx context.Context, q contactrecords.Query, emit func(*contactrecords.Record) error) (int, error)
}

// SetRecordExporter connects the contact-record export (without it the
// endpoint answers 409).
func (s *Server) SetRecordExporter(e RecordExporter) { s.records = e }

// streamer is an output that writes its own response body: ServeHTTP hands
// it the ResponseWriter instead of encoding it as one JSON document. An
// error means the body is incomplete.
type streamer interface {
	stream(w http.ResponseWriter) error
}

// recordsInstance returns the instance ID of a contact-records path.
func recordsInstance(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, InstancesPath)
	if !ok {
		return "", false
	}
	iid, ok := strings.CutSuffix(rest, ContactRecordsSuffix)
	if !ok || iid == "" || strings.Contains(iid, "/") {
		return "", false
	}
	return iid, true
}

// serveRecords checks an export request and returns the stream that will
// write it. Everything that can be refused is refused here, while an error
// status can still be sent.
func (s *Server) serveRecords(r *http.Request, rawIID string) (any, error) {
	if r.Method != http.MethodGet {
		return nil, &protocolError{Name: "UnknownOperationException", Status: http.StatusNotFound,
			Message: "Use GET " + InstancesPath + "{instanceId}" + ContactRecordsSuffix + "?from=RFC3339&to=RFC3339."}
	}
	if s.records == nil {
		return nil, &protocolError{Name: "ConflictException", Status: http.StatusConflict, Message: "This server does not export contact records."}
	}
	iid, err := url.PathUnescape(rawIID)
	if err != nil {
		return nil, badClock("The instance ID is not a valid path segment.")
	}
	q, err := contactrecords.ParseQuery(iid, r.URL.Query())
	if err != nil {
		return nil, badClock("Export query: " + err.Error() + ".")
	}
	if _, err := s.handlers.svc.DescribeInstance(r.Context(), iid); err != nil {
		return nil, err
	}
	return &recordStream{s: s, ctx: r.Context(), q: q}, nil
}

// recordStream writes one export.
type recordStream struct {
	s   *Server
	ctx context.Context
	q   contactrecords.Query
}

// flushEvery bounds how long records sit in buffers: a client showing
// progress sees them at least every so many records.
const flushEvery = 200

func (rs *recordStream) stream(w http.ResponseWriter) error {
	h := w.Header()
	h.Set("Content-Type", ContactRecordsContentType)
	h.Set("Trailer", RecordCountTrailer)
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw) // Encode ends each record with "\n"
	enc.SetEscapeHTML(false)
	written := 0
	n, err := rs.s.records.Export(rs.ctx, rs.q, func(rec *contactrecords.Record) error {
		if err := enc.Encode(rec); err != nil {
			return err
		}
		if written++; written%flushEvery == 0 {
			if err := bw.Flush(); err != nil {
				return err
			}
			// Flush is ErrNotSupported only on writers that buffer
			// nothing of their own; the data went out either way.
			_ = rc.Flush()
		}
		return nil
	})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		rs.s.log.Warn("contact-record export cut short", "instance", rs.q.InstanceID, "records", n, "err", err)
		return err
	}
	// Set after the body: net/http sends headers named in "Trailer" that
	// are set by the end of the handler as trailers.
	h.Set(RecordCountTrailer, strconv.Itoa(n))
	_ = rc.Flush()
	return nil
}

// operationOf names a request for metrics: its Connect operation, one of
// Switchboard's own endpoints, or the operation its path and method name
// when it failed before routing (a bad signature still counts against the
// operation it tried).
func (s *Server) operationOf(r *http.Request, route *connectwire.Route) string {
	if route != nil {
		return route.Operation
	}
	path := r.URL.EscapedPath()
	switch {
	case path == ClockPath:
		return "Switchboard.Clock"
	case strings.HasPrefix(path, InstancesPath):
		if _, ok := recordsInstance(path); ok {
			return "Switchboard.ExportContactRecords"
		}
		return "Switchboard.Inspect"
	}
	if rt, _, ok := s.routes.match(r.Method, path); ok {
		return rt.Operation
	}
	return "Unknown"
}
