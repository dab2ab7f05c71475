package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
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
// nears the limit, the runtime collects more often again (the pairing Go's
// GC guide describes: a generous target, the limit as the backstop). Both
// yield to the operator: GOGC or GOMEMLIMIT in the environment win.
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
	p := planGC(os.Getenv, availableMemory(os.ReadFile))
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

// availableMemory is the memory this process may use: the smallest of
// the machine's RAM and its cgroup's limit (v2 or v1) when it has one (a
// container); 0 when none can be read.
func availableMemory(readFile func(string) ([]byte, error)) int64 {
	var limits []int64
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := readFile(f); err == nil {
			if n, ok := parseCgroupLimit(b); ok {
				limits = append(limits, n)
			}
		}
	}
	if b, err := readFile("/proc/meminfo"); err == nil {
		if n := parseMemTotal(b); n > 0 {
			limits = append(limits, n)
		}
	}
	if len(limits) == 0 {
		return 0
	}
	return slices.Min(limits)
}

// parseCgroupLimit reads a cgroup memory limit: a byte count, or "max"
// (v2) for none (ok false). v1 writes "no limit" as a number near 2^63,
// which the machine's RAM, the smaller, then overrides.
func parseCgroupLimit(b []byte) (int64, bool) {
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
