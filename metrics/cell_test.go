package metrics

import (
	"math/rand/v2"
	"testing"
)

// TestHistBelow checks the cumulative histogram against a plain count for
// every limit, values added in random order.
func TestHistBelow(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var h Hist
	var vals []int64
	for range 500 {
		v := rng.Int64N(120)
		h.Add(v)
		vals = append(vals, v)
	}
	for limit := int64(-1); limit <= 121; limit++ {
		var want int64
		for _, v := range vals {
			if v < limit {
				want++
			}
		}
		if got := h.Below(limit); got != want {
			t.Fatalf("Below(%d) = %d, want %d", limit, got, want)
		}
	}
}
