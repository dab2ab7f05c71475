// Command sbload measures StartTaskContact end to end over HTTP — signed by
// the AWS SigV4 signer, verified, decoded, validated, and committed to the
// SQLite store with fsync — beside a trivial net/http handler measured in the
// same run with the same load generator, and then latency at half of the
// measured capacity, with what the store's single writer did meanwhile (how
// busy it was, how long its commits took).
//
//	go run ./cmd/sbload [-duration 10s] [-workers 64] [-rounds 3] [-runtime=false]
//
// Both servers run in this process on loopback; the load generator signs
// every request (as an SDK would) for both targets, so the ratio compares the
// servers, not the clients.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/app"
	"github.com/switchboard-cc/switchboard/awsapi/sigv4"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
	"github.com/switchboard-cc/switchboard/store/sqlite"
	"github.com/switchboard-cc/switchboard/store/sqlstore"
)

const (
	keyID  = "AKIASBLOAD"
	secret = "sbload-secret"
	region = "us-east-1"
)

func main() {
	duration := flag.Duration("duration", 10*time.Second, "how long each phase runs")
	workers := flag.Int("workers", 64, "concurrent connections of the closed-loop phases")
	runtimeOn := flag.Bool("runtime", true, "run the contact runtime (flows, queues); false measures the Connect API and the store alone")
	rounds := flag.Int("rounds", 3, "alternating trivial/Switchboard rounds; medians are reported, which resists noise from other processes")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to `file`")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*duration, *workers, *rounds, *runtimeOn); err != nil {
		log.Print(err)
	}
}

func run(d time.Duration, workers, rounds int, runtimeOn bool) error {
	dir, err := os.MkdirTemp("", "sbload")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := sqlite.Open(filepath.Join(dir, "switchboard.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	// The server as `switchboard serve` assembles it. With the runtime each
	// task also runs the default inbound flow and waits in BasicQueue;
	// without it (the Connect API and the store alone) the task is stored
	// in its initial state.
	a, err := app.New(app.Config{Store: st, Clock: clock.Real{}, Region: region, AccountID: "000000000000",
		Quotas:      domain.Quotas{ActiveTasks: 1 << 30},
		Credentials: []sigv4.Credentials{{AccessKeyID: keyID, SecretAccessKey: secret}},
		NoRuntime:   !runtimeOn})
	if err != nil {
		return err
	}
	defer a.Close()
	sb := httptest.NewServer(a.Handler())
	defer sb.Close()
	trivial := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ContactId":"00000000-0000-0000-0000-000000000000"}`))
	}))
	defer trivial.Close()

	instanceID, flowID, err := setup(sb.URL)
	if err != nil {
		return err
	}
	body := func(i int64) []byte {
		b, _ := json.Marshal(map[string]any{"InstanceId": instanceID, "ContactFlowId": flowID, "Name": fmt.Sprintf("load task %d", i),
			"Attributes": map[string]string{"customer": "c-42", "priority": "high"}})
		return b
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers * 2, MaxConnsPerHost: workers * 2}}

	mode := "API and store only (-runtime=false)"
	if runtimeOn {
		mode = "whole server with the runtime (flow run, task queued)"
	}
	fmt.Printf("sbload: %s, %d CPUs (GOMAXPROCS %d), %s, %s per phase, %d workers, %s\n", time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), d, workers, mode)
	var trs, sbrs []result
	for i := 0; i < rounds; i++ {
		tr := closedLoop(client, trivial.URL, body, d, workers)
		fmt.Printf("round %d trivial handler:   %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d\n", i+1, tr.rate, ms(tr.p50), ms(tr.p99), tr.errors)
		sbr := closedLoop(client, sb.URL, body, d, workers)
		fmt.Printf("round %d StartTaskContact:  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d\n", i+1, sbr.rate, ms(sbr.p50), ms(sbr.p99), sbr.errors)
		trs, sbrs = append(trs, tr), append(sbrs, sbr)
	}
	tr, sbr := median(trs), median(sbrs)
	fmt.Printf("median: trivial %.0f req/s, StartTaskContact %.0f req/s: %.1f%% of the trivial handler (target ≥ 25%%)\n", tr.rate, sbr.rate, 100*sbr.rate/tr.rate)
	half := sbr.rate / 2
	w := watchWriter(st)
	hl := openLoop(client, sb.URL, body, d, half)
	ws := w.stop()
	fmt.Printf("at half load (%.0f req/s offered): achieved %.0f req/s  p50 %.2f ms  p99 %.2f ms  max %.2f ms  errors %d (target p99 < 10 ms)\n",
		half, hl.rate, ms(hl.p50), ms(hl.p99), ms(hl.max), hl.errors)
	fmt.Printf("  store writer at half load: busy %.0f%% of the time (%.0f%% of it committing), %.1f updates per commit, commit p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
		100*ws.busy, 100*ws.commitShare, ws.perCommit, ms(ws.p50), ms(ws.p99), ms(ws.max))
	return nil
}

// writerWatch follows the store's single writer through a phase: how busy
// it was and how long its commits took. A writer busy most of the time
// makes every write queue behind the ones before it, and a slow commit (a
// stalled fsync) delays every write of its batch and behind it; the two
// tell the latency tail of the server from that of the machine around it.
type writerWatch struct {
	st      *sqlstore.Store
	start   time.Time
	before  sqlstore.Stats
	mu      sync.Mutex
	commits []time.Duration
}

type writerSummary struct {
	busy, commitShare, perCommit float64
	p50, p99, max                time.Duration
}

func watchWriter(st *sqlstore.Store) *writerWatch {
	w := &writerWatch{st: st, start: time.Now(), before: st.Stats()}
	st.ObserveCommits(func(d time.Duration) {
		w.mu.Lock()
		w.commits = append(w.commits, d)
		w.mu.Unlock()
	})
	return w
}

func (w *writerWatch) stop() writerSummary {
	w.st.ObserveCommits(nil)
	elapsed := time.Since(w.start)
	after := w.st.Stats()
	busy, committing := after.Busy-w.before.Busy, after.Committing-w.before.Committing
	var s writerSummary
	s.busy = busy.Seconds() / elapsed.Seconds()
	if busy > 0 {
		s.commitShare = committing.Seconds() / busy.Seconds()
	}
	if c := after.Commits - w.before.Commits; c > 0 {
		s.perCommit = float64(after.Updates-w.before.Updates) / float64(c)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	r := summarize(w.commits, int64(len(w.commits)), 0, elapsed)
	s.p50, s.p99, s.max = r.p50, r.p99, r.max
	return s
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// setup creates an instance and returns it with its default inbound flow.
func setup(url string) (string, string, error) {
	ctx := context.Background()
	c := connect.New(connect.Options{Region: region, BaseEndpoint: aws.String(url), Credentials: credentials.NewStaticCredentialsProvider(keyID, secret, "")})
	inst, err := c.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged,
		InstanceAlias: aws.String("sbload"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	if err != nil {
		return "", "", err
	}
	flows, err := c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: inst.Id, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil || len(flows.ContactFlowSummaryList) == 0 {
		return "", "", fmt.Errorf("find inbound flow: %v", err)
	}
	return *inst.Id, *flows.ContactFlowSummaryList[0].Id, nil
}

var signer = v4.NewSigner()
var creds = aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}
var seq atomic.Int64

// send signs and sends one StartTaskContact request.
func send(client *http.Client, url string, body func(int64) []byte) error {
	b := body(seq.Add(1))
	req, _ := http.NewRequest(http.MethodPut, url+"/contact/task", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	h := sha256.Sum256(b)
	if err := signer.SignHTTP(context.Background(), creds, req, hex.EncodeToString(h[:]), "connect", region, time.Now()); err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

type result struct {
	rate          float64
	p50, p99, max time.Duration
	errors        int64
}

func summarize(lat []time.Duration, n int64, errs int64, elapsed time.Duration) result {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := result{rate: float64(n) / elapsed.Seconds(), errors: errs}
	if len(lat) > 0 {
		r.p50, r.p99, r.max = lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1]
	}
	return r
}

// closedLoop runs workers that each send back to back for d.
func closedLoop(client *http.Client, url string, body func(int64) []byte, d time.Duration, workers int) result {
	var mu sync.Mutex
	var all []time.Duration
	var n, errs atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := send(client, url, body); err != nil {
					errs.Add(1)
					continue
				}
				lat = append(lat, time.Since(t0))
				n.Add(1)
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return summarize(all, n.Load(), errs.Load(), time.Since(start))
}

// openLoop offers rate requests per second for d, measuring each latency from
// its scheduled start so that a stalled server cannot hide its queueing.
func openLoop(client *http.Client, url string, body func(int64) []byte, d time.Duration, rate float64) result {
	interval := time.Duration(float64(time.Second) / rate)
	var mu sync.Mutex
	var all []time.Duration
	var n, errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d {
			break
		}
		time.Sleep(time.Until(at))
		wg.Add(1)
		go func(at time.Time) {
			defer wg.Done()
			if err := send(client, url, body); err != nil {
				errs.Add(1)
				return
			}
			l := time.Since(at)
			n.Add(1)
			mu.Lock()
			all = append(all, l)
			mu.Unlock()
		}(at)
	}
	wg.Wait()
	return summarize(all, n.Load(), errs.Load(), time.Since(start))
}

// median returns the result with the median rate.
func median(rs []result) result {
	sorted := append([]result(nil), rs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].rate < sorted[j].rate })
	return sorted[len(sorted)/2]
}
