// Command sbload measures StartTaskContact end to end over HTTP — signed by
// the AWS SigV4 signer, verified, decoded, validated, and committed to the
// SQLite store with fsync — beside a trivial net/http handler measured in the
// same run with the same load generator, and then latency at half of the
// measured capacity, with what the store's single writer did meanwhile (how
// busy it was, how long its commits took).
//
//	go run ./cmd/sbload [-duration 10s] [-workers 64] [-rounds 3] [-runtime=false]
//
// Both servers run in a child process (this program run again with
// -serve-child), on loopback, and the load generator in this one, as a
// client and a server would: each has its own garbage collector and
// scheduler, so the generator's allocations and goroutines do not show up
// as the server's latency. The child runs with GOGC=400 unless GOGC is set,
// as `switchboard serve` does. In the closed-loop phases the load
// generator signs every request and sends it through net/http's client (as
// an SDK would) for both targets, so the ratio compares the servers, not
// the clients. The half-load phase measures latency, so there the
// generator does as little as it can: its requests are signed beforehand
// and written on connections it drives itself. Each task carries its own
// ClientToken, as the SDKs send one.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
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

// generatorMemoryLimit bounds the generator's heap while its collector is
// off in the half-load phase (it allocates about 9 KB a request: 450 MB
// at 5,000 requests/s for 10 s).
const generatorMemoryLimit = 4 << 30

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
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the servers' process for the whole run to `file`")
	halfOnly := flag.Bool("cpuprofile-half", false, "with -cpuprofile, profile only the half-load phase")
	flag.Float64Var(&fixedRate, "rate", 0, "offer this many req/s in the open-loop phase instead of half the measured throughput, so that builds or settings compare at the same load")
	diskWatch := flag.Duration("disk-watch", 0, "instead of the load test, time the disk alone for this long: back-to-back flushes shaped like a WAL commit, with their tail and the stalls over 10 ms, to tell whether a slow run was the disk's")
	serveChild := flag.Bool("serve-child", false, "internal: run the servers for a parent sbload, which talks to this process over stdin and stdout")
	flag.Parse()
	var err error
	switch {
	case *serveChild:
		err = serveForParent(*runtimeOn, *cpuprofile, *halfOnly)
	case *diskWatch > 0:
		err = watchDisk(os.TempDir(), *diskWatch)
	default:
		err = run(*duration, *workers, *rounds, *runtimeOn, *cpuprofile, *halfOnly)
	}
	if err != nil {
		log.Fatal(err)
	}
}

func run(d time.Duration, workers, rounds int, runtimeOn bool, cpuprofile string, halfOnly bool) error {
	// The disk first, while nothing else runs: the store's latency can be
	// no better than its flushes, and machines differ most in them.
	disk, err := probeDisk(os.TempDir())
	if err != nil {
		return fmt.Errorf("probe the disk: %w", err)
	}
	srv, err := startServers(runtimeOn, cpuprofile, halfOnly)
	if err != nil {
		return err
	}
	defer srv.stop()

	instanceID, flowID, err := setup(srv.sbURL)
	if err != nil {
		return err
	}
	// Each task carries a ClientToken of its own, as the SDKs send one
	// with every StartTaskContact (they fill it in when the caller does
	// not), so the store records it as it would for them.
	run := time.Now().UnixNano()
	body := func(i int64) []byte {
		b, _ := json.Marshal(map[string]any{"InstanceId": instanceID, "ContactFlowId": flowID, "Name": fmt.Sprintf("load task %d", i),
			"ClientToken": fmt.Sprintf("sbload-%x-%d", run, i),
			"Attributes":  map[string]string{"customer": "c-42", "priority": "high"}})
		return b
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers * 2, MaxConnsPerHost: workers * 2}}

	mode := "API and store only (-runtime=false)"
	if runtimeOn {
		mode = "whole server with the runtime (flow run, task queued)"
	}
	fmt.Printf("sbload: %s, %d CPUs (GOMAXPROCS %d), %s, %s per phase, %d workers, %s; servers in child process %d (%s)\n",
		time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), d, workers, mode, srv.cmd.Process.Pid, srv.gc)
	fmt.Println(disk)
	var trs, sbrs []result
	for i := 0; i < rounds; i++ {
		tr := closedLoop(client, srv.trivialURL, body, d, workers)
		fmt.Printf("round %d trivial handler:   %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d\n", i+1, tr.rate, ms(tr.p50), ms(tr.p99), tr.errors)
		sbr := closedLoop(client, srv.sbURL, body, d, workers)
		fmt.Printf("round %d StartTaskContact:  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d\n", i+1, sbr.rate, ms(sbr.p50), ms(sbr.p99), sbr.errors)
		trs, sbrs = append(trs, tr), append(sbrs, sbr)
	}
	tr, sbr := median(trs), median(sbrs)
	fmt.Printf("median: trivial %.0f req/s, StartTaskContact %.0f req/s: %.1f%% of the trivial handler (target ≥ 25%%)\n", tr.rate, sbr.rate, 100*sbr.rate/tr.rate)
	half := sbr.rate / 2
	if fixedRate > 0 {
		half = fixedRate
	}
	// Every request of the half-load phase is built, signed and
	// serialized before it starts, and sent over connections the
	// generator drives itself (openLoop), so that the generator, on the
	// same two cores, takes as little CPU from the server as it can while
	// latency is measured. The signatures stay valid: the phase is far
	// shorter than SigV4's 15-minute window. (The closed-loop phases sign
	// as they go and send through http.Client, for both servers alike, as
	// an SDK would.)
	reqs, err := presign(srv.sbURL, body, int(half*d.Seconds())+1)
	if err != nil {
		return err
	}
	// The generator does not collect while it offers the half load: its
	// own cycles would delay sending and reading and count as the
	// server's latency. What one phase allocates fits in memory; the soft
	// limit is a safety net.
	runtime.GC()
	gcPercent, memLimit := debug.SetGCPercent(-1), debug.SetMemoryLimit(generatorMemoryLimit)
	if err := srv.command("watch"); err != nil {
		return err
	}
	genCPU, genStart := processCPU(), time.Now()
	hl, err := openLoop(strings.TrimPrefix(srv.sbURL, "http://"), reqs, 2*workers, d, half)
	if err != nil {
		return err
	}
	genCores := (processCPU() - genCPU).Seconds() / time.Since(genStart).Seconds()
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memLimit)
	var ws writerSummary
	if err := srv.command("stop", &ws); err != nil {
		return err
	}
	fmt.Printf("at half load (%.0f req/s offered): achieved %.0f req/s  p50 %.2f ms  p99 %.2f ms  max %.2f ms  errors %d (target p99 < 10 ms); generator late by p99 %.2f ms\n",
		half, hl.rate, ms(hl.p50), ms(hl.p99), ms(hl.max), hl.errors, ms(hl.lagP99))
	fmt.Printf("  inside the server: p50 %.2f ms  p99 %.2f ms  max %.2f ms (from the request's arrival in the handler to its response written)\n",
		ms(ws.Server.P50), ms(ws.Server.P99), ms(ws.Server.Max))
	fmt.Printf("  store writer at half load: busy %.0f%% of the time (%.0f%% of it committing), %.1f updates per commit, commit p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
		100*ws.Busy, 100*ws.CommitShare, ws.PerCommit, ms(ws.P50), ms(ws.P99), ms(ws.Max))
	fmt.Printf("  CPU at half load: servers %.2f cores (%d µs a request), generator %.2f cores, of %d\n",
		ws.Cores, ws.PerRequest.Microseconds(), genCores, runtime.NumCPU())
	if ws.GCs > 0 {
		fmt.Printf("  garbage collector at half load: %d cycles, one every %.0f ms; %.1f KB allocated a request; live heap %.0f MB after the last\n",
			ws.GCs, float64(ws.Elapsed.Milliseconds())/float64(ws.GCs), float64(ws.AllocPerRequest)/1024, float64(ws.LiveHeap)/(1<<20))
	}
	return nil
}

// fixedRate is -rate: the open-loop phase's rate when not half the
// measured throughput.
var fixedRate float64

// servers is the child process that runs both servers, as seen from the
// load generator.
type servers struct {
	cmd               *exec.Cmd
	in                io.WriteCloser
	out               *bufio.Scanner
	trivialURL, sbURL string
	gc                string
}

// startServers runs this program again as the servers' process and reads
// their addresses from its first line.
func startServers(runtimeOn bool, cpuprofile string, halfOnly bool) (*servers, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-serve-child", fmt.Sprintf("-runtime=%t", runtimeOn), "-cpuprofile", cpuprofile,
		fmt.Sprintf("-cpuprofile-half=%t", halfOnly))
	cmd.Stderr = os.Stderr
	gc := "GOGC " + os.Getenv("GOGC")
	if os.Getenv("GOGC") == "" {
		// What `switchboard serve` sets when the operator has not.
		cmd.Env, gc = append(os.Environ(), "GOGC=400"), "GOGC 400 as in serve"
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &servers{cmd: cmd, in: in, out: bufio.NewScanner(out), gc: gc}
	var addrs struct{ Trivial, Switchboard string }
	if err := s.read(&addrs); err != nil {
		s.stop()
		return nil, fmt.Errorf("start the servers: %w", err)
	}
	s.trivialURL, s.sbURL = addrs.Trivial, addrs.Switchboard
	return s, nil
}

// command sends one command line to the child and decodes its one-line
// JSON answer into v.
func (s *servers) command(c string, v ...any) error {
	if _, err := fmt.Fprintln(s.in, c); err != nil {
		return fmt.Errorf("servers' process: %w", err)
	}
	var ok struct{}
	if len(v) == 0 {
		return s.read(&ok)
	}
	return s.read(v[0])
}

func (s *servers) read(v any) error {
	if !s.out.Scan() {
		return fmt.Errorf("servers' process ended: %v", s.out.Err())
	}
	return json.Unmarshal(s.out.Bytes(), v)
}

// stop closes the child's stdin, which ends it, and waits for it.
func (s *servers) stop() {
	s.in.Close()
	_ = s.cmd.Wait()
}

// serveForParent is the child: it runs both servers until its stdin ends,
// answering the parent's "watch" and "stop" (the writer during the
// half-load phase) with a JSON line each.
func serveForParent(runtimeOn bool, cpuprofile string, halfOnly bool) error {
	profile := func() {}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
		profile = func() { _ = pprof.StartCPUProfile(f) }
		if !halfOnly {
			profile()
		}
	}
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
	// While the parent watches a phase, every Switchboard request's time
	// inside the server is recorded: beside the generator's measure it
	// tells the server's share of the latency from the client's, the
	// loopback's and the shared CPUs'.
	var watching atomic.Pointer[writerWatch]
	h := a.Handler()
	sb := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		t0 := time.Now()
		h.ServeHTTP(rw, r)
		if w := watching.Load(); w != nil {
			w.served(time.Since(t0))
		}
	}))
	defer sb.Close()
	trivial := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ContactId":"00000000-0000-0000-0000-000000000000"}`))
	}))
	defer trivial.Close()

	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(map[string]string{"Trivial": trivial.URL, "Switchboard": sb.URL}); err != nil {
		return err
	}
	var w *writerWatch
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		switch in.Text() {
		case "watch":
			if halfOnly {
				profile()
			}
			w = watchWriter(st)
			watching.Store(w)
			err = out.Encode(struct{}{})
		case "stop":
			if w == nil {
				return errors.New(`"stop" before "watch"`)
			}
			watching.Store(nil)
			if halfOnly {
				pprof.StopCPUProfile()
			}
			err = out.Encode(w.stop())
			w = nil
		default:
			return fmt.Errorf("unknown command %q", in.Text())
		}
		if err != nil {
			return err
		}
	}
	return in.Err()
}

// writerWatch follows the store's single writer through a phase (how busy
// it was and how long its commits took) and how long requests spent inside
// the server. A writer busy most of the time
// makes every write queue behind the ones before it, and a slow commit (a
// stalled fsync) delays every write of its batch and behind it; the two
// tell the latency tail of the server from that of the machine around it.
type writerWatch struct {
	st      *sqlstore.Store
	start   time.Time
	cpu     time.Duration // the process's CPU time at the start
	before  sqlstore.Stats
	mem     gcStats
	mu      sync.Mutex
	commits []time.Duration
	inside  []time.Duration
}

func (w *writerWatch) served(d time.Duration) {
	w.mu.Lock()
	w.inside = append(w.inside, d)
	w.mu.Unlock()
}

// writerSummary is what the child reports of the writer after a phase.
type writerSummary struct {
	Busy, CommitShare, PerCommit float64
	P50, P99, Max                time.Duration // of the commits
	Server                       struct{ P50, P99, Max time.Duration }
	// Cores is the servers' process's CPU time over the phase's, in
	// cores; PerRequest that CPU time over the requests it answered.
	Cores      float64
	PerRequest time.Duration
	// The collector over the phase: its cycles, the bytes allocated per
	// request and the heap live after the last cycle. Each cycle's mark
	// takes a share of the two cores for milliseconds, and the requests
	// answered meanwhile wait for it: its pace shows in the tail.
	Elapsed         time.Duration
	GCs             uint32
	AllocPerRequest uint64
	LiveHeap        uint64
}

func watchWriter(st *sqlstore.Store) *writerWatch {
	w := &writerWatch{st: st, start: time.Now(), cpu: processCPU(), before: st.Stats()}
	w.mem = readGC()
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
	cpu := processCPU() - w.cpu
	s.Cores = cpu.Seconds() / elapsed.Seconds()
	s.Busy = busy.Seconds() / elapsed.Seconds()
	if busy > 0 {
		s.CommitShare = committing.Seconds() / busy.Seconds()
	}
	if c := after.Commits - w.before.Commits; c > 0 {
		s.PerCommit = float64(after.Updates-w.before.Updates) / float64(c)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	r := summarize(w.commits, int64(len(w.commits)), 0, elapsed)
	s.P50, s.P99, s.Max = r.p50, r.p99, r.max
	r = summarize(w.inside, int64(len(w.inside)), 0, elapsed)
	s.Server.P50, s.Server.P99, s.Server.Max = r.p50, r.p99, r.max
	mem := readGC()
	s.Elapsed, s.GCs, s.LiveHeap = elapsed, uint32(mem.cycles-w.mem.cycles), mem.live
	if len(w.inside) > 0 {
		s.PerRequest = cpu / time.Duration(len(w.inside))
		s.AllocPerRequest = (mem.allocated - w.mem.allocated) / uint64(len(w.inside))
	}
	return s
}

// gcStats is what the collector has done so far.
type gcStats struct{ cycles, allocated, live uint64 }

func readGC() gcStats {
	m := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(m)
	return gcStats{cycles: m[0].Value.Uint64(), allocated: m[1].Value.Uint64(), live: m[2].Value.Uint64()}
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

// sign builds one signed StartTaskContact request.
func sign(url string, body func(int64) []byte) (*http.Request, error) {
	b := body(seq.Add(1))
	req, err := http.NewRequest(http.MethodPut, url+"/contact/task", bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	h := sha256.Sum256(b)
	if err := signer.SignHTTP(context.Background(), creds, req, hex.EncodeToString(h[:]), "connect", region, time.Now()); err != nil {
		return nil, err
	}
	return req, nil
}

// presign builds and serializes n signed requests ahead of a phase.
func presign(url string, body func(int64) []byte, n int) ([][]byte, error) {
	reqs := make([][]byte, n)
	for i := range reqs {
		r, err := sign(url, body)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		if err := r.Write(&b); err != nil {
			return nil, err
		}
		reqs[i] = b.Bytes()
	}
	return reqs, nil
}

// send signs and sends one StartTaskContact request.
func send(client *http.Client, url string, body func(int64) []byte) error {
	req, err := sign(url, body)
	if err != nil {
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
	lagP99        time.Duration // open loop: how late the generator sent, p99
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

// openLoop offers rate requests per second for d over conns kept-alive
// connections to addr, measuring each latency from its scheduled start so
// that a stalled server cannot hide its queueing: a request that finds
// every connection busy waits for one, and that wait counts. Go's timers
// wake the generator up to about a millisecond late, which also counts;
// how late it was is reported beside it.
//
// It drives the connections itself rather than through http.Client: each
// connection's goroutine writes a request serialized beforehand and reads
// the answer with http.ReadResponse, which costs the generator a fraction
// of the client's CPU (its transport hands every request between three
// goroutines). On two shared cores, what the generator spends is taken
// from the server it measures.
func openLoop(addr string, reqs [][]byte, conns int, d time.Duration, rate float64) (result, error) {
	type job struct {
		at  time.Time
		req []byte
	}
	jobs := make(chan job, len(reqs))
	var mu sync.Mutex
	var all []time.Duration
	var n, errs atomic.Int64
	var wg sync.WaitGroup
	for range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			close(jobs)
			wg.Wait()
			return result{}, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			br := bufio.NewReader(c)
			defer func() { c.Close() }()
			var lat []time.Duration
			for j := range jobs {
				if err := roundTrip(c, br, j.req); err != nil {
					// The connection may be left mid-answer: start afresh.
					errs.Add(1)
					c.Close()
					if c, err = net.Dial("tcp", addr); err != nil {
						break
					}
					br.Reset(c)
					continue
				}
				lat = append(lat, time.Since(j.at))
				n.Add(1)
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	interval := time.Duration(float64(time.Second) / rate)
	var lags []time.Duration
	start := time.Now()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d || i == len(reqs) {
			break
		}
		time.Sleep(time.Until(at))
		lags = append(lags, time.Since(at))
		jobs <- job{at, reqs[i]}
	}
	close(jobs)
	wg.Wait()
	r := summarize(all, n.Load(), errs.Load(), time.Since(start))
	r.lagP99 = summarize(lags, 0, 0, time.Second).p99
	return r, nil
}

// roundTrip writes one serialized request on c and reads its answer, which
// must be a 200, to the end of its body.
func roundTrip(c net.Conn, br *bufio.Reader, req []byte) error {
	if _, err := c.Write(req); err != nil {
		return err
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// median returns the result with the median rate.
func median(rs []result) result {
	sorted := append([]result(nil), rs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].rate < sorted[j].rate })
	return sorted[len(sorted)/2]
}

// watchDisk flushes commit-shaped writes (sqlite.FlushFile.Commit) one
// after another under dir for d and prints their distribution. A disk
// that now and then takes 100 ms over one flush holds back every write
// queued meanwhile; no store can answer a durable write sooner, and 100 ms
// is 1 % of an 8 s phase.
func watchDisk(dir string, d time.Duration) error {
	p, err := sqlite.NewFlushFile(dir, 64<<20)
	if err != nil {
		return err
	}
	defer p.Close()
	var ds []time.Duration
	stalls := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		start := time.Now()
		if err := p.Commit(); err != nil {
			return err
		}
		t := time.Since(start)
		ds = append(ds, t)
		if t > 10*time.Millisecond {
			stalls++
			fmt.Printf("  %s: one flush took %.1f ms\n", start.UTC().Format("15:04:05.000"), ms(t))
		}
	}
	slices.Sort(ds)
	at := func(q float64) float64 { return ms(ds[int(q*float64(len(ds)-1))]) }
	fmt.Printf("disk under %s, alone for %s: %d flushes of 10 pages in a row, p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms; %d over 10 ms\n",
		dir, d, len(ds), at(0.5), at(0.99), at(0.999), ms(ds[len(ds)-1]), stalls)
	return nil
}

// probeDisk times the disk under dir, where the child keeps its database:
// the median of 20 flushes shaped like a WAL commit and of 10 shaped like a
// checkpoint (sqlite.FlushFile).
func probeDisk(dir string) (string, error) {
	p, err := sqlite.NewFlushFile(dir, 64<<20)
	if err != nil {
		return "", err
	}
	defer p.Close()
	timeIt := func(n int, flush func() error) (time.Duration, error) {
		ds := make([]time.Duration, n)
		for i := range ds {
			start := time.Now()
			if err := flush(); err != nil {
				return 0, err
			}
			ds[i] = time.Since(start)
		}
		slices.Sort(ds)
		return ds[n/2], nil
	}
	commit, err := timeIt(20, p.Commit)
	if err != nil {
		return "", err
	}
	ckpt, err := timeIt(10, p.Checkpoint)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("disk under %s: a commit's flush (10 pages in a row) p50 %.2f ms, a checkpoint's (300 scattered pages) p50 %.2f ms", dir, ms(commit), ms(ckpt)), nil
}
