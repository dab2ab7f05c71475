package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/store/postgres"
	"github.com/switchboard-cc/switchboard/store/sqlstore"
	"github.com/switchboard-cc/switchboard/store/storetest"
)

// envDSN names the server the tests use. CI sets it to the machine's local
// server, so there the tests must run: an unreachable server is a failure,
// never a skip.
const envDSN = "SWITCHBOARD_TEST_POSTGRES"

func baseDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(envDSN)
	if dsn == "" {
		tb.Skipf("%s is not set; set it to a PostgreSQL DSN such as "+
			"postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run the PostgreSQL store tests", envDSN)
	}
	return dsn
}

// freshSchema creates an empty schema for one test, dropped at its end,
// and returns a DSN whose search_path points into it.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	dsn := baseDSN(tb)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		tb.Fatalf("%s: %v", envDSN, err)
	}
	admin := stdlib.OpenDB(*cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "swtest_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		tb.Fatalf("PostgreSQL from %s: create schema: %v", envDSN, err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withSearchPath(tb, dsn, schema)
}

func withSearchPath(tb testing.TB, dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			tb.Fatalf("%s: %v", envDSN, err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

func open(tb testing.TB, dsn string) *sqlstore.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("postgres.Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	baseDSN(t)
	storetest.Run(t, func(t *testing.T) (domain.Store, func(t *testing.T) domain.Store) {
		dsn := freshSchema(t)
		return open(t, dsn), func(t *testing.T) domain.Store { return open(t, dsn) }
	})
}

// The tables land in the DSN's schema, and nowhere else.
func TestSearchPathIsolates(t *testing.T) {
	dsn := freshSchema(t)
	s := open(t, dsn)
	defer s.Close()
	cfg, _ := pgx.ParseConfig(dsn)
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	var schema string
	if err := db.QueryRow("SELECT table_schema FROM information_schema.tables WHERE table_name = 'contacts' AND table_schema = current_schema()").Scan(&schema); err != nil {
		t.Fatalf("contacts table not in the search_path schema: %v", err)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n < 1 {
		t.Errorf("schema_migrations = %d, %v", n, err)
	}
}

// Two processes starting at once apply each migration once.
func TestConcurrentMigrations(t *testing.T) {
	dsn := freshSchema(t)
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			s, err := postgres.Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Errorf("Open: %v", err)
		}
	}
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if s, err := postgres.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"); err == nil {
		s.Close()
		t.Fatal("Open of an unreachable server succeeded")
	}
}

// TestClaimAcrossNodes: two nodes claiming one ClientToken at once get one
// winner; the other is told of the winner's entry (it waits on the
// winner's row and then sees it committed), or claims the token itself
// when the winner rolls back.
func TestClaimAcrossNodes(t *testing.T) {
	dsn := freshSchema(t)
	a, b := open(t, dsn), open(t, dsn)
	defer a.Close()
	defer b.Close()
	ctx := context.Background()
	at := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	entry := func(token, result string) domain.Idempotency {
		return domain.Idempotency{InstanceID: "i1", Operation: "StartTaskContact", Token: token,
			RequestHash: "h", ResultID: result, CreatedAt: at}
	}
	for _, commitFirst := range []bool{true, false} {
		token := fmt.Sprint("tok-", commitFirst)
		first, second := entry(token, "contact-a"), entry(token, "contact-b")
		claimed, gate := make(chan struct{}), make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- a.Update(ctx, func(tx domain.Tx) error {
				if _, ok, err := tx.ClaimIdempotency(first, at.Add(-time.Hour)); err != nil || !ok {
					return fmt.Errorf("first claim: %v, %v", ok, err)
				}
				close(claimed)
				<-gate
				if !commitFirst {
					return errors.New("roll back")
				}
				return nil
			})
		}()
		<-claimed
		var prior domain.Idempotency
		var ok bool
		errB := make(chan error, 1)
		go func() {
			errB <- b.Update(ctx, func(tx domain.Tx) error {
				var err error
				prior, ok, err = tx.ClaimIdempotency(second, at.Add(-time.Hour))
				return err
			})
		}()
		close(gate)
		if err := <-done; commitFirst && err != nil {
			t.Fatal(err)
		}
		if err := <-errB; err != nil {
			t.Fatal(err)
		}
		switch {
		case commitFirst && (ok || prior.ResultID != first.ResultID):
			t.Errorf("after the first node committed: claimed %v, prior %+v; want the first's entry", ok, prior)
		case !commitFirst && !ok:
			t.Errorf("after the first node rolled back: claimed %v, prior %+v; want the claim", ok, prior)
		}
	}
}
