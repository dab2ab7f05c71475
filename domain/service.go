// Package domain holds Switchboard's business rules: what an Amazon Connect
// instance, its resources and its contacts are, and which requests are
// allowed to change them. It has no HTTP and no SQL in it: the awsapi package
// turns wire requests into calls on Service, and Service keeps its state in a
// Store (store/sqlite or store/postgres).
package domain

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/switchboard-cc/switchboard/clock"
)

// Config holds what the service needs to know about where it runs.
type Config struct {
	Region    string // used in ARNs, e.g. us-east-1
	AccountID string // 12 digits, used in ARNs
	Quotas    Quotas
}

// Service implements the Connect operations over a Store.
type Service struct {
	store  Store
	clock  clock.Clock
	cfg    Config
	newID  func() string
	quotas Quotas
	// runtime is the live contact center, told about committed changes.
	runtime Runtime
	// events receives contact events after commits.
	events EventSink
}

// NewService returns a service. A zero Quotas takes Connect's defaults.
func NewService(store Store, clk clock.Clock, cfg Config) *Service {
	q := cfg.Quotas.withDefaults()
	return &Service{store: store, clock: clk, cfg: cfg, newID: newUUID, quotas: q}
}

// newUUID returns a version 7 UUID. Connect's IDs are UUIDs; time-ordered
// ones keep the store's B-tree inserts at the right edge of each index
// instead of scattering them, which cuts the pages a commit writes several
// times over when contacts arrive quickly.
func newUUID() string {
	if id, err := uuid.NewV7(); err == nil {
		return id.String()
	}
	return uuid.NewString()
}

// SetIDGenerator replaces the generator of resource IDs (tests use it to get
// stable IDs).
func (s *Service) SetIDGenerator(f func() string) { s.newID = f }

// Clock returns the service's clock.
func (s *Service) Clock() clock.Clock { return s.clock }

// now returns the current time truncated to milliseconds: the wire carries
// milliseconds, and a value read back must equal the value written.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

// arn builds an ARN in this server's partition, region and account.
func (s *Service) arn(resource string) string {
	return fmt.Sprintf("arn:aws:connect:%s:%s:%s", s.cfg.Region, s.cfg.AccountID, resource)
}

// instanceARN is the ARN of an instance.
func (s *Service) instanceARN(instanceID string) string { return s.arn("instance/" + instanceID) }

// resourceARN is the ARN of a resource under an instance, e.g.
// kind "queue" → arn:aws:connect:…:instance/{i}/queue/{id}.
func (s *Service) resourceARN(instanceID, arnType, id string) string {
	return s.arn("instance/" + instanceID + "/" + arnType + "/" + id)
}

// idFromARN accepts an ID or an ARN of the given type under the instance and
// returns the bare ID. Connect accepts either in many places.
func idFromARN(v, arnType string) string {
	if !strings.HasPrefix(v, "arn:") {
		return v
	}
	// Most resources live under an instance (…:instance/{i}/queue/{id});
	// phone numbers hang off the account (…:phone-number/{id}).
	for _, marker := range []string{"/" + arnType + "/", ":" + arnType + "/"} {
		if i := strings.LastIndex(v, marker); i >= 0 {
			return v[i+len(marker):]
		}
	}
	return v
}

// instanceIDFrom accepts an instance ID or instance ARN.
func instanceIDFrom(v string) string {
	if strings.HasPrefix(v, "arn:") {
		if i := strings.Index(v, ":instance/"); i >= 0 {
			rest := v[i+len(":instance/"):]
			if j := strings.IndexByte(rest, '/'); j >= 0 {
				rest = rest[:j]
			}
			return rest
		}
	}
	return v
}

// deref returns *p, or the zero value for nil (an optional input).
func deref[T any](p *T) T {
	if p == nil {
		var z T
		return z
	}
	return *p
}

// getDoc loads the record (kind, instance, id) into a T.
func getDoc[T any](tx ReadTx, kind Kind, instanceID, id string) (*T, error) {
	rec, err := tx.GetRecord(kind, instanceID, id)
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal(rec.Data, v); err != nil {
		return nil, fmt.Errorf("decode %s %s: %w", kind, id, err)
	}
	return v, nil
}

// getDocByName loads the record (kind, instance) named name into a T.
func getDocByName[T any](tx ReadTx, kind Kind, instanceID, name string) (*T, error) {
	rec, err := tx.GetRecordByName(kind, instanceID, name)
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal(rec.Data, v); err != nil {
		return nil, fmt.Errorf("decode %s %s: %w", kind, name, err)
	}
	return v, nil
}

// putDoc stores v as the record (kind, instance, id) named name.
func putDoc(tx Tx, kind Kind, instanceID, id, name string, created, updated time.Time, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", kind, id, err)
	}
	return tx.PutRecord(Record{Kind: kind, InstanceID: instanceID, ID: id, Name: name, Data: data, CreatedAt: created, UpdatedAt: updated})
}

// listDocs decodes one page of records of a kind.
func listDocs[T any](tx ReadTx, kind Kind, instanceID string, page Page) ([]T, string, error) {
	after, err := decodeToken(page.NextToken)
	if err != nil {
		return nil, "", err
	}
	limit := page.limit()
	recs, err := tx.ListRecords(kind, instanceID, after, limit+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(recs) > limit {
		recs = recs[:limit]
		next = encodeToken(recs[len(recs)-1].ID)
	}
	out := make([]T, 0, len(recs))
	for _, r := range recs {
		var v T
		if err := json.Unmarshal(r.Data, &v); err != nil {
			return nil, "", fmt.Errorf("decode %s %s: %w", kind, r.ID, err)
		}
		out = append(out, v)
	}
	return out, next, nil
}

// Page asks for one page of a listing.
type Page struct {
	NextToken  string
	MaxResults int // 0 = the operation's default
	// Default is the page size when MaxResults is 0 (Connect's list
	// operations default to 100 unless noted).
	Default int
}

func (p Page) limit() int {
	if p.MaxResults > 0 {
		return p.MaxResults
	}
	if p.Default > 0 {
		return p.Default
	}
	return 100
}

// pageSlice returns the page of items that page asks for, and the token
// of the next page ("" on the last). For listings held whole in memory,
// where the token is an offset.
func pageSlice[T any](items []T, page Page) ([]T, string, error) {
	tok, err := decodePageToken(page.NextToken)
	if err != nil {
		return nil, "", err
	}
	start := min(tok.Offset, len(items))
	end := min(start+page.limit(), len(items))
	next := ""
	if end < len(items) {
		next = encodeTokenValue(pageToken{Offset: end})
	}
	return items[start:end], next, nil
}

// Pagination tokens are opaque to clients. They are base64 of a small JSON
// object so that we can extend them without breaking old tokens; a token we
// did not issue is refused with a message, never trusted.
type pageToken struct {
	After  string `json:"a,omitempty"`
	Offset int    `json:"o,omitempty"`
	Query  string `json:"q,omitempty"` // hash of the query the token belongs to
}

func encodeToken(after string) string { return encodeTokenValue(pageToken{After: after}) }

func encodeTokenValue(t pageToken) string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(tok string) (string, error) {
	t, err := decodePageToken(tok)
	return t.After, err
}

func decodePageToken(tok string) (pageToken, error) {
	var t pageToken
	if tok == "" {
		return t, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	if err == nil && t.Offset < 0 {
		err = errors.New("negative offset")
	}
	if err != nil {
		return t, Errorf(ErrInvalidParameter, "The NextToken %q is not valid: pass the NextToken from the previous response unchanged, or omit it to start from the beginning.", clip(tok, 64))
	}
	return t, nil
}

// clip shortens s for echoing in an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// notFound reports a missing resource in Connect's words.
func notFound(what, id string) *Error {
	return Errorf(ErrNotFound, "%s not found: %s", what, id)
}

// mapNotFound turns a store miss into a ResourceNotFoundException naming the
// resource, and passes other errors through.
func mapNotFound(err error, what, id string) error {
	if errors.Is(err, ErrStoreNotFound) {
		return notFound(what, id)
	}
	return err
}

// view runs fn in a read transaction.
func (s *Service) view(ctx context.Context, fn func(ReadTx) error) error {
	return s.store.View(ctx, fn)
}

// update runs fn in a write transaction; returns once durable.
func (s *Service) update(ctx context.Context, fn func(Tx) error) error {
	return s.store.Update(ctx, fn)
}
