//go:build linux

package routing

import (
	"syscall"
	"time"
)

// threadCPU is the CPU time the calling OS thread has used. Benchmarks lock
// the goroutine to its thread and sum this around each decision, which gives
// a decisions-per-CPU-second figure that other load on the machine does not
// distort (wall-clock latency still includes being descheduled).
func threadCPU() time.Duration {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
