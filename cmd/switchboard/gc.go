package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// The garbage collector's defaults for `serve`.
//
// A server holding chat sockets keeps a large, long-lived heap (about 15
// KiB per idle socket: 150 MB for 10,000), and with Go's default target
// (GOGC=100) a collection runs each time the program has allocated as much
// again. Every message allocates (HTTP, SQL, JSON), so at 2,000 messages a
// second a cycle came every 5 s, and each one, marking that whole heap on
// a 2-core machine, held up the messages around it: most of the fan-out
// p99 (chat/BENCHMARKS.md). A higher target makes cycles rarer at the cost
// of memory, and a soft memory limit keeps that cost bounded: as the heap
// nears the limit, the runtime collects more often again. Both are what
// Go's GC guide recommends for a service that knows its memory budget, and
// both yield to the operator: GOGC or GOMEMLIMIT in the environment win.
const (
	// defaultGCPercent lets the heap grow to five times what is live
	// before a cycle.
	defaultGCPercent = 400
	// memoryLimitShare is the part of the machine's (or container's)
	// memory the soft limit is set to.
	memoryLimitShare = 0.75
)

// gcPlan is what tuneGC sets; zero fields are left as the runtime has them.
type gcPlan struct {
	percent int   // 0: leave GOGC alone
	limit   int64 // 0: leave GOMEMLIMIT alone
}

// planGC decides the collector settings from the environment and the
// memory available (0 when unknown). The higher target is only set when
// the operator has not chosen one, and the limit only comes with it: a
// GOGC the operator set is theirs to pair with a limit or not.
func planGC(getenv func(string) string, memory int64) gcPlan {
	var p gcPlan
	if getenv("GOGC") != "" {
		return p
	}
	p.percent = defaultGCPercent
	if getenv("GOMEMLIMIT") == "" && memory > 0 {
		p.limit = int64(float64(memory) * memoryLimitShare)
	}
	return p
}

// tuneGC applies planGC for this process and says what it did, for the
// start-up log ("" when it changed nothing).
func tuneGC() string {
	p := planGC(os.Getenv, availableMemory())
	var parts []string
	if p.percent != 0 {
		debug.SetGCPercent(p.percent)
		parts = append(parts, "GOGC="+strconv.Itoa(p.percent))
	}
	if p.limit != 0 {
		debug.SetMemoryLimit(p.limit)
		parts = append(parts, fmt.Sprintf("GOMEMLIMIT=%dMiB", p.limit>>20))
	}
	return strings.Join(parts, " ")
}

// availableMemory is the memory this process may use: its cgroup's limit
// when it has one (a container), else the machine's RAM; 0 when neither
// can be read.
func availableMemory() int64 {
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, ok := parseCgroupMax(b); ok {
			return n
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		return parseMemTotal(b)
	}
	return 0
}

// parseCgroupMax reads cgroup v2's memory.max: a byte count, or "max" for
// no limit (ok false).
func parseCgroupMax(b []byte) (int64, bool) {
	n, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// parseMemTotal reads MemTotal (in kB) from /proc/meminfo; 0 if absent.
func parseMemTotal(b []byte) int64 {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil || kb <= 0 {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
