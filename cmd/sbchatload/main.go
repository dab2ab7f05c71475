// Command sbchatload measures chat over WebSockets on one node: many
// concurrent subscribed sockets, the server memory they cost while idle,
// and the fan-out latency of messages sent at a fixed rate.
//
//	go run ./cmd/sbchatload [-n 1000,10000] [-rate 2000] [-duration 20s]
//
// For each N it builds `switchboard serve`, starts it as a child process on
// a kernel-chosen loopback port with a temporary data dir (a separate
// process because each side needs an fd per socket and `ulimit -n` is per
// process), starts N/conns-per-chat chats through the Connect API (SigV4
// signed by the AWS SDK), opens and subscribes N sockets the way chatjs
// does, reads the server's memory before and after, then sends messages
// with SendMessage over HTTP, open loop, round robin across the chats, and
// times each push on every socket of the chat.
//
// Latency is measured from just before the SendMessage request is written
// to the moment a socket has read the push; senders and receivers are in
// this process, so one monotonic clock times both ends. It includes the
// HTTP request, the SQLite commit (fsync) of the message and the push; the
// SendMessage round trip is reported beside it to tell them apart. The
// generator's own garbage collector is off while it sends and drains, so
// that its pauses are not counted as the server's latency.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/coder/websocket"
)

const (
	keyID  = "AKIASBCHATLOAD"
	secret = "sbchatload-secret"
	region = "us-east-1"
	// prefix marks this command's messages; the flow may push its own.
	prefix = "sbchatload "
)

type config struct {
	ns           []int
	perChat      int
	rate         float64
	duration     time.Duration
	idle         time.Duration
	heartbeat    time.Duration
	senders      int
	setupWorkers int
	drain        time.Duration
	serverBin    string
	keep         bool
}

// generatorMemoryLimit bounds the generator's heap while its collector is
// off during the send phase (about 1 GB is allocated in 20 s at 2,000
// msg/s over 10,000 sockets).
const generatorMemoryLimit = 4 << 30

func main() {
	var cfg config
	nList := flag.String("n", "1000,10000", "comma-separated socket counts; each gets a fresh server")
	flag.IntVar(&cfg.perChat, "conns-per-chat", 1, "sockets per chat (1–5: the server allows 5 per participant); chats = N / this")
	flag.Float64Var(&cfg.rate, "rate", 2000, "SendMessage calls per second, open loop")
	flag.DurationVar(&cfg.duration, "duration", 20*time.Second, "how long messages are sent")
	flag.DurationVar(&cfg.idle, "idle", 5*time.Second, "how long the sockets sit idle before memory is read")
	flag.DurationVar(&cfg.heartbeat, "heartbeat", 10*time.Second, "aws/heartbeat interval per socket, as chatjs sends (0: none)")
	flag.IntVar(&cfg.senders, "senders", 256, "most SendMessage calls in flight; a send due when all are busy is counted as an error, not queued")
	flag.IntVar(&cfg.setupWorkers, "setup-workers", 32, "concurrent calls while starting chats and opening sockets")
	flag.DurationVar(&cfg.drain, "drain", 5*time.Second, "how long to wait for the last pushes after sending stops")
	flag.StringVar(&cfg.serverBin, "server", "", "switchboard binary to run (default: go build it)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the temporary directory (server log, binary)")
	timeout := flag.Duration("timeout", 15*time.Minute, "bound on the whole run")
	flag.Parse()
	for _, f := range strings.Split(*nList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			log.Fatalf("-n: %q is not a positive count", f)
		}
		cfg.ns = append(cfg.ns, n)
	}
	if cfg.perChat < 1 || cfg.perChat > 5 || cfg.rate <= 0 || cfg.senders < 1 || cfg.setupWorkers < 1 {
		log.Fatal("need 1 ≤ -conns-per-chat ≤ 5, -rate > 0, -senders ≥ 1, -setup-workers ≥ 1")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := runAll(ctx, cfg); err != nil {
		cancel()
		log.Fatal(err)
	}
}

func runAll(ctx context.Context, cfg config) error {
	dir, err := os.MkdirTemp("", "sbchatload")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Println("temporary directory:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	bin := cfg.serverBin
	if bin == "" {
		bin = filepath.Join(dir, "switchboard")
		// The module path, not ./cmd/..., so that it builds from any
		// directory inside the module.
		out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/switchboard-cc/switchboard/cmd/switchboard").CombinedOutput()
		if err != nil {
			return fmt.Errorf("build switchboard: %v\n%s", err, out)
		}
	}
	fmt.Printf("sbchatload: %s, %d CPUs, %s, %s; rate %.0f msg/s for %s, %d socket(s) per chat, heartbeat %s\n",
		time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), cpuModel(), runtime.Version(), cfg.rate, cfg.duration, cfg.perChat, cfg.heartbeat)
	var results []*result
	for i, n := range cfg.ns {
		r, err := runOne(ctx, cfg, bin, filepath.Join(dir, fmt.Sprintf("run%d", i)), n)
		if err != nil {
			return fmt.Errorf("N=%d: %w", n, err)
		}
		results = append(results, r)
	}
	fmt.Println()
	fmt.Println("| sockets | chats | offered msg/s | achieved msg/s | pushes/s | p50 | p99 | max | SendMessage p99 | errors | missing pushes | RSS/socket | heap/socket | goroutines/socket | server GCs | commits > 25 / > 100 ms |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		fmt.Println(r.row())
	}
	return nil
}

// cpuModel is the first model name in /proc/cpuinfo.
func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// server is the child process.
type server struct {
	cmd        *exec.Cmd
	url        string
	metricsURL string
	logPath    string
	exited     chan struct{}
}

func startServer(ctx context.Context, bin, dir string, chats int) (*server, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "server.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	// Port 0: the kernel picks a free loopback port and the banner says
	// which, so there is no race between finding a port and binding it.
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
		"--data-dir", filepath.Join(dir, "data"), "--log-level", "warn",
		// The default quota is 500 active chats per instance.
		"--quota", fmt.Sprintf("active-chats=%d", chats+100))
	cmd.Env = append(os.Environ(), "SWITCHBOARD_ACCESS_KEY_ID="+keyID, "SWITCHBOARD_SECRET_ACCESS_KEY="+secret)
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); logf.Close(); close(s.exited) }()
	found := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			l := strings.TrimSpace(sc.Text())
			if v, ok := strings.CutPrefix(l, "Prometheus metrics: "); ok {
				s.metricsURL, _, _ = strings.Cut(v, " ")
			}
			if v, ok := strings.CutPrefix(l, "endpoint:"); ok && s.url == "" {
				s.url = strings.TrimSpace(v)
				close(found) // the metrics line comes first
			}
		}
		// Keep reading to EOF so that the child never blocks on stdout.
	}()
	select {
	case <-found:
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("server exited at start: %s", tail(logPath))
	case <-time.After(30 * time.Second):
		s.stop()
		return nil, errors.New("server did not print its endpoint within 30 s")
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
}

// stop sends SIGTERM, then kills the child if it has not exited in 10 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// memory is what the server uses at one moment, and how many GC cycles it
// has completed.
type memory struct {
	rss, heapInuse, goroutines float64
	gcCycles                   float64 // completed GC cycles so far
	// The store's commits so far: all of them, and those that finished
	// within 25 ms and 100 ms (switchboard_store_commit_duration_seconds).
	commits, commitsIn25ms, commitsIn100ms float64
}

// slowCommits counts the commits since before that took over 25 ms and
// over 100 ms: a stalled flush of the disk, which every message queued
// behind it waits for.
func (m memory) slowCommits(before memory) (over25ms, over100ms int) {
	return int((m.commits - m.commitsIn25ms) - (before.commits - before.commitsIn25ms)),
		int((m.commits - m.commitsIn100ms) - (before.commits - before.commitsIn100ms))
}

// readMemory reads VmRSS from /proc, and the Go heap, goroutine count, GC
// cycles and commit durations from the server's Prometheus endpoint.
func (s *server) readMemory(ctx context.Context) (memory, error) {
	var m memory
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return m, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			m.rss = kb * 1024
		}
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.metricsURL, nil)
	req.SetBasicAuth(keyID, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return m, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, v, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		f, _ := strconv.ParseFloat(v, 64)
		switch name {
		case "go_memstats_heap_inuse_bytes":
			m.heapInuse = f
		case "go_goroutines":
			m.goroutines = f
		case "go_gc_duration_seconds_count":
			m.gcCycles = f
		case "switchboard_store_commit_duration_seconds_count":
			m.commits = f
		case `switchboard_store_commit_duration_seconds_bucket{le="0.025"}`:
			m.commitsIn25ms = f
		case `switchboard_store_commit_duration_seconds_bucket{le="0.1"}`:
			m.commitsIn100ms = f
		}
	}
	return m, sc.Err()
}

// sock is one customer socket.
type sock struct {
	ws        *websocket.Conn
	url, conn string // the websocket URL and the ConnectionToken
}

type result struct {
	n, chats               int
	offered, achieved      float64
	pushRate               float64
	p50, p99, max          time.Duration
	ackP50, ackP99         time.Duration
	sendP50, sendP99       time.Duration
	lagMax                 time.Duration
	sent, errors, busy     int64
	serverGCs              int
	slowCommits            [2]int // commits over 25 ms and over 100 ms while sending and draining
	expected, got          int64
	closed                 int64
	before, after          memory
	rssPer, heapPer, grPer float64
}

func (r *result) row() string {
	return fmt.Sprintf("| %d | %d | %.0f | %.0f | %.0f | %s | %s | %s | %s | %d | %d | %.1f KiB | %.1f KiB | %.2f | %d | %d / %d |",
		r.n, r.chats, r.offered, r.achieved, r.pushRate, fmtMS(r.p50), fmtMS(r.p99), fmtMS(r.max), fmtMS(r.sendP99),
		r.errors+r.busy, r.expected-r.got, r.rssPer/1024, r.heapPer/1024, r.grPer, r.serverGCs, r.slowCommits[0], r.slowCommits[1])
}

func fmtMS(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func runOne(ctx context.Context, cfg config, bin, dir string, n int) (*result, error) {
	chats := (n + cfg.perChat - 1) / cfg.perChat
	r := &result{n: n, chats: chats, offered: cfg.rate}
	srv, err := startServer(ctx, bin, dir, chats)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	fmt.Printf("\nN=%d sockets over %d chats; server pid %d at %s\n", n, chats, srv.cmd.Process.Pid, srv.url)

	// Participant calls share one pool; its size bounds the server's
	// HTTP connections (and fds) beside the sockets.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxConnsPerHost: cfg.senders, MaxIdleConnsPerHost: cfg.senders, IdleConnTimeout: time.Minute}}
	defer client.CloseIdleConnections()

	t0 := time.Now()
	socks, err := setupChats(ctx, cfg, srv.url, client, chats)
	if err != nil {
		return nil, fmt.Errorf("%w (server log: %s)", err, tail(srv.logPath))
	}
	fmt.Printf("  %d chats started and connected in %s\n", chats, time.Since(t0).Round(time.Millisecond))

	// Memory before the sockets, once the set-up's requests are over.
	time.Sleep(2 * time.Second)
	if r.before, err = srv.readMemory(ctx); err != nil {
		return nil, err
	}

	rec := newRecorder()
	t0 = time.Now()
	all, err := dialAll(ctx, cfg, socks, n, rec)
	defer func() {
		for _, s := range all {
			s.ws.CloseNow()
		}
	}()
	if err != nil {
		return nil, err
	}
	fmt.Printf("  %d sockets open and subscribed in %s\n", len(all), time.Since(t0).Round(time.Millisecond))
	hbCtx, hbStop := context.WithCancel(ctx)
	defer hbStop()
	go heartbeats(hbCtx, all, cfg.heartbeat)

	time.Sleep(cfg.idle)
	if r.after, err = srv.readMemory(ctx); err != nil {
		return nil, err
	}
	r.rssPer = (r.after.rss - r.before.rss) / float64(n)
	r.heapPer = (r.after.heapInuse - r.before.heapInuse) / float64(n)
	r.grPer = (r.after.goroutines - r.before.goroutines) / float64(n)
	fmt.Printf("  idle memory: RSS %.1f → %.1f MiB (%.1f KiB/socket), Go heap in use %.1f → %.1f MiB (%.1f KiB/socket), goroutines %.0f → %.0f\n",
		r.before.rss/(1<<20), r.after.rss/(1<<20), r.rssPer/1024, r.before.heapInuse/(1<<20), r.after.heapInuse/(1<<20), r.heapPer/1024,
		r.before.goroutines, r.after.goroutines)

	// The generator holds the other end of every socket and allocates
	// for every push it decodes, so its own GC cycles (every few seconds
	// at 2,000 msg/s) would delay reading pushes and be counted as server
	// latency. It does not collect while it measures: what it allocates
	// in one run fits in memory, and the limit is only a safety net.
	idle := r.after
	runtime.GC()
	gcPercent := debug.SetGCPercent(-1)
	memLimit := debug.SetMemoryLimit(generatorMemoryLimit)
	send(ctx, cfg, srv.url, client, socks, rec, r)
	// Every socket of a chat, the sender's own included, gets the push.
	r.expected = r.sent * int64(cfg.perChat)
	deadline := time.Now().Add(cfg.drain)
	for rec.count() < r.expected && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memLimit)
	// The server's collections while sending: each one slows the messages
	// around it, so a run's p99 depends on how many it caught.
	// Likewise its slow commits: a stalled disk flush holds up every
	// message queued behind it, whatever the collector does.
	if m, err := srv.readMemory(ctx); err == nil {
		r.serverGCs = int(m.gcCycles - idle.gcCycles)
		r.slowCommits[0], r.slowCommits[1] = m.slowCommits(idle)
	}
	rec.summarize(r)
	r.closed = rec.closed.Load()
	select {
	case <-srv.exited:
		return nil, fmt.Errorf("server died: %s", tail(srv.logPath))
	default:
	}
	fmt.Printf("  sent %d (%.0f/s achieved of %.0f offered), errors %d, not sent because %d calls were in flight %d, generator lag max %s; server GC cycles while sending and draining %d, commits over 25 ms %d (over 100 ms %d)\n",
		r.sent, r.achieved, r.offered, r.errors, cfg.senders, r.busy, fmtMS(r.lagMax), r.serverGCs, r.slowCommits[0], r.slowCommits[1])
	fmt.Printf("  SendMessage round trip: p50 %s p99 %s\n", fmtMS(r.sendP50), fmtMS(r.sendP99))
	fmt.Printf("  fan-out from send: %d of %d pushes (%.0f/s), p50 %s p99 %s max %s; from the SendMessage answer: p50 %s p99 %s (negative: push first); sockets closed by the server %d\n",
		r.got, r.expected, r.pushRate, fmtMS(r.p50), fmtMS(r.p99), fmtMS(r.max), fmtMS(r.ackP50), fmtMS(r.ackP99), r.closed)
	return r, nil
}

// setupChats starts the chats and asks for each customer's websocket URL
// and ConnectionToken.
func setupChats(ctx context.Context, cfg config, url string, client *http.Client, chats int) ([]sock, error) {
	cc := connect.New(connect.Options{Region: region, BaseEndpoint: aws.String(url), HTTPClient: client,
		Credentials: credentials.NewStaticCredentialsProvider(keyID, secret, "")})
	inst, err := cc.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged,
		InstanceAlias: aws.String("sbchatload"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("CreateInstance: %w", err)
	}
	flows, err := cc.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: inst.Id, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil || len(flows.ContactFlowSummaryList) == 0 {
		return nil, fmt.Errorf("find the inbound flow: %v", err)
	}
	flow := flows.ContactFlowSummaryList[0].Id
	socks := make([]sock, chats)
	err = parallel(ctx, chats, cfg.setupWorkers, func(i int) error {
		out, err := cc.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: inst.Id, ContactFlowId: flow,
			ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String(fmt.Sprintf("Load %d", i))}})
		if err != nil {
			return fmt.Errorf("StartChatContact: %w", err)
		}
		var c struct {
			Websocket             struct{ Url string }
			ConnectionCredentials struct{ ConnectionToken string }
		}
		if err := participant(ctx, client, url+"/participant/connection", *out.ParticipantToken,
			map[string]any{"Type": []string{"WEBSOCKET", "CONNECTION_CREDENTIALS"}}, &c); err != nil {
			return fmt.Errorf("CreateParticipantConnection: %w", err)
		}
		socks[i] = sock{url: c.Websocket.Url, conn: c.ConnectionCredentials.ConnectionToken}
		return nil
	})
	return socks, err
}

// participant POSTs a participant-service call with its bearer token.
func participant(ctx context.Context, client *http.Client, url, bearer string, in, out any) error {
	b, _ := json.Marshal(in)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Amz-Bearer", bearer)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d %s: %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
	}
	if out != nil {
		return json.Unmarshal(body, out)
	}
	return nil
}

// parallel runs f(0..n-1) on workers goroutines; the first error stops it.
func parallel(ctx context.Context, n, workers int, f func(int) error) error {
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// dialAll opens n sockets, perChat of them per chat, subscribes each to
// aws/chat as chatjs does, and starts its reader.
func dialAll(ctx context.Context, cfg config, chats []sock, n int, rec *recorder) ([]*sock, error) {
	all := make([]*sock, n)
	err := parallel(ctx, n, cfg.setupWorkers, func(i int) error {
		c := chats[i%len(chats)]
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		ws, _, err := websocket.Dial(dctx, c.url, nil)
		if err != nil {
			return fmt.Errorf("dial socket %d: %w", i, err)
		}
		s := &sock{ws: ws, url: c.url, conn: c.conn}
		all[i] = s
		if err := ws.Write(dctx, websocket.MessageText, []byte(`{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}`)); err != nil {
			return fmt.Errorf("subscribe socket %d: %w", i, err)
		}
		_, b, err := ws.Read(dctx)
		if err != nil || !bytes.Contains(b, []byte(`"success"`)) {
			return fmt.Errorf("subscribe socket %d: %v %s", i, err, b)
		}
		go rec.read(ws)
		return nil
	})
	return slices.DeleteFunc(all, func(s *sock) bool { return s == nil }), err
}

// heartbeats sends aws/heartbeat on every socket once per interval, spread
// evenly over it, as each chatjs client does on its own timer.
func heartbeats(ctx context.Context, all []*sock, interval time.Duration) {
	if interval <= 0 || len(all) == 0 {
		return
	}
	step := interval / time.Duration(len(all))
	next := time.Now()
	for i := 0; ctx.Err() == nil; i = (i + 1) % len(all) {
		next = next.Add(step)
		if d := time.Until(next); d > time.Millisecond {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return
			}
		}
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_ = all[i].ws.Write(wctx, websocket.MessageText, []byte(`{"topic":"aws/heartbeat"}`))
		cancel()
	}
}

// recorder collects, per message sequence number, when it was sent and
// answered, and when each push arrived.
type recorder struct {
	start  time.Time
	mu     sync.Mutex
	sentAt map[int64]time.Duration
	ackAt  map[int64]time.Duration
	pushes []push
	closed atomic.Int64
	n      atomic.Int64
}

type push struct {
	seq int64
	at  time.Duration
}

func newRecorder() *recorder {
	return &recorder{start: time.Now(), sentAt: map[int64]time.Duration{}, ackAt: map[int64]time.Duration{}}
}

func (r *recorder) now() time.Duration { return time.Since(r.start) }
func (r *recorder) count() int64       { return r.n.Load() }

// read reads a socket's frames until it closes, timing our messages.
func (r *recorder) read(ws *websocket.Conn) {
	for {
		_, b, err := ws.Read(context.Background())
		if err != nil {
			var ce websocket.CloseError
			if errors.As(err, &ce) {
				r.closed.Add(1) // the server closed it; CloseNow at the end is not a CloseError
			}
			return
		}
		at := r.now()
		// Cheap test first: most frames at idle are heartbeat answers.
		if !bytes.Contains(b, []byte(prefix)) {
			continue
		}
		var f struct{ Topic, Content string }
		if json.Unmarshal(b, &f) != nil || f.Topic != "aws/chat" {
			continue
		}
		var it struct{ Type, Content string }
		if json.Unmarshal([]byte(f.Content), &it) != nil || it.Type != "MESSAGE" {
			continue
		}
		seq, err := strconv.ParseInt(strings.TrimPrefix(it.Content, prefix), 10, 64)
		if err != nil {
			continue
		}
		r.mu.Lock()
		r.pushes = append(r.pushes, push{seq, at})
		r.mu.Unlock()
		r.n.Add(1)
	}
}

// send offers cfg.rate SendMessage calls per second for cfg.duration, each
// from the next chat's customer. A call is started at its scheduled time
// whatever happened to the earlier ones (open loop); if cfg.senders are
// still in flight it is counted as an error instead of waiting.
func send(ctx context.Context, cfg config, url string, client *http.Client, chats []sock, rec *recorder, r *result) {
	interval := time.Duration(float64(time.Second) / cfg.rate)
	total := int64(cfg.duration / interval)
	slots := make(chan struct{}, cfg.senders)
	var sent, errs, busy atomic.Int64
	var lagMax time.Duration
	var mu sync.Mutex
	var rtts []time.Duration
	var wg sync.WaitGroup
	begin := rec.now()
	for seq := int64(0); seq < total && ctx.Err() == nil; seq++ {
		due := begin + time.Duration(seq)*interval
		if d := due - rec.now(); d > 0 {
			time.Sleep(d)
		}
		lagMax = max(lagMax, rec.now()-due)
		select {
		case slots <- struct{}{}:
		default:
			busy.Add(1)
			continue
		}
		c := chats[seq%int64(len(chats))]
		wg.Go(func() {
			defer func() { <-slots }()
			t := rec.now()
			rec.mu.Lock()
			rec.sentAt[seq] = t
			rec.mu.Unlock()
			// With a ClientToken, as chatjs sends (its SDK fills one in).
			err := participant(ctx, client, url+"/participant/message", c.conn,
				map[string]string{"ContentType": "text/plain", "Content": prefix + strconv.FormatInt(seq, 10),
					"ClientToken": "msg-" + strconv.FormatInt(seq, 10)}, nil)
			done := rec.now()
			if err != nil {
				errs.Add(1)
				if errs.Load() <= 3 {
					log.Printf("SendMessage: %v", err)
				}
				return
			}
			sent.Add(1)
			rec.mu.Lock()
			rec.ackAt[seq] = done
			rec.mu.Unlock()
			mu.Lock()
			rtts = append(rtts, done-t)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := rec.now() - begin
	r.sent, r.errors, r.busy, r.lagMax = sent.Load(), errs.Load(), busy.Load(), lagMax
	r.achieved = float64(r.sent) / elapsed.Seconds()
	r.sendP50, r.sendP99, _ = percentiles(rtts)
}

// summarize turns the pushes into latencies from the send and from the
// answer.
func (rec *recorder) summarize(r *result) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var fromSend, fromAck []time.Duration
	var first, last time.Duration = math.MaxInt64, 0
	for _, p := range rec.pushes {
		t, ok := rec.sentAt[p.seq]
		if !ok {
			continue
		}
		fromSend = append(fromSend, p.at-t)
		if a, ok := rec.ackAt[p.seq]; ok {
			fromAck = append(fromAck, p.at-a)
		}
		first, last = min(first, p.at), max(last, p.at)
	}
	r.got = int64(len(fromSend))
	if last > first {
		r.pushRate = float64(r.got) / (last - first).Seconds()
	}
	r.p50, r.p99, r.max = percentiles(fromSend)
	r.ackP50, r.ackP99, _ = percentiles(fromAck)
}

func percentiles(d []time.Duration) (p50, p99, mx time.Duration) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	slices.Sort(d)
	return d[len(d)/2], d[len(d)*99/100], d[len(d)-1]
}
