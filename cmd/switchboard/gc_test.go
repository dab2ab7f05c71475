package main

import (
	"os"
	"testing"
)

func TestPlanGC(t *testing.T) {
	const gib = int64(1) << 30
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, tc := range []struct {
		name   string
		getenv func(string) string
		memory int64
		want   gcPlan
	}{
		{"defaults", env(), 24 * gib, gcPlan{percent: 400, limit: 18 * gib}},
		{"memory unknown: no limit", env(), 0, gcPlan{percent: 400}},
		{"operator's GOGC wins, and no limit is added to it", env("GOGC", "100"), 24 * gib, gcPlan{}},
		{"GOGC=off is the operator's too", env("GOGC", "off"), 24 * gib, gcPlan{}},
		{"operator's GOMEMLIMIT is kept", env("GOMEMLIMIT", "2GiB"), 24 * gib, gcPlan{percent: 400}},
	} {
		if got := planGC(tc.getenv, tc.memory); got != tc.want {
			t.Errorf("%s: planGC = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestAvailableMemoryParsers(t *testing.T) {
	if n, ok := parseCgroupLimit([]byte("max\n")); ok || n != 0 {
		t.Errorf(`parseCgroupLimit("max") = %d, %v; want no limit`, n, ok)
	}
	if n, ok := parseCgroupLimit([]byte("2147483648\n")); !ok || n != 2<<30 {
		t.Errorf("parseCgroupLimit(2 GiB) = %d, %v", n, ok)
	}
	if n, ok := parseCgroupLimit([]byte("")); ok || n != 0 {
		t.Errorf("parseCgroupLimit(empty) = %d, %v", n, ok)
	}
	meminfo := []byte("MemTotal:       24594060 kB\nMemFree:        20000000 kB\n")
	if got := parseMemTotal(meminfo); got != 24594060<<10 {
		t.Errorf("parseMemTotal = %d", got)
	}
	if got := parseMemTotal([]byte("MemFree: 1 kB\n")); got != 0 {
		t.Errorf("parseMemTotal without MemTotal = %d, want 0", got)
	}
	if got := parseMemTotal([]byte("MemTotal: lots kB\n")); got != 0 {
		t.Errorf("parseMemTotal of garbage = %d, want 0", got)
	}
}

func TestAvailableMemory(t *testing.T) {
	const meminfo = "MemTotal:       24594060 kB\n"
	ram := int64(24594060) << 10
	files := func(kv ...string) func(string) ([]byte, error) {
		return func(name string) ([]byte, error) {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == name {
					return []byte(kv[i+1]), nil
				}
			}
			return nil, os.ErrNotExist
		}
	}
	for _, tc := range []struct {
		name string
		read func(string) ([]byte, error)
		want int64
	}{
		{"a machine", files("/proc/meminfo", meminfo), ram},
		{"a cgroup v2 container", files("/proc/meminfo", meminfo, "/sys/fs/cgroup/memory.max", "2147483648\n"), 2 << 30},
		{"cgroup v2 without a limit", files("/proc/meminfo", meminfo, "/sys/fs/cgroup/memory.max", "max\n"), ram},
		{"a cgroup v1 container", files("/proc/meminfo", meminfo, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "1073741824\n"), 1 << 30},
		{"cgroup v1 without a limit", files("/proc/meminfo", meminfo, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n"), ram},
		{"nothing readable", files(), 0},
	} {
		if got := availableMemory(tc.read); got != tc.want {
			t.Errorf("%s: availableMemory = %d, want %d", tc.name, got, tc.want)
		}
	}
}
