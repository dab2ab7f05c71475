//go:build !linux

package routing

import "time"

// threadCPU is unavailable off Linux; the decisions/cpu-s metric is then
// not reported.
func threadCPU() time.Duration { return 0 }
