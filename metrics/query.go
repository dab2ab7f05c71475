package metrics

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/switchboard-cc/switchboard/domain"
)

// The query engine both APIs share: select the cells of an instance over a
// bucket range that pass the filters, sum them per group (the requested
// dimensions and, for V2, the interval), and count the histogram values
// under each requested threshold.

// dim is a dimension a query can filter or group on.
type dim int

const (
	dimQueue dim = iota
	dimChannel
	dimAgent
	dimProfile
	dimMethod
	numDims
)

func (k *Key) value(d dim) uint32 {
	switch d {
	case dimQueue:
		return k.Queue
	case dimChannel:
		return k.Channel
	case dimAgent:
		return k.Agent
	case dimProfile:
		return k.Profile
	}
	return k.Method
}

// idSet is a set of interned names, indexed by id for a branch-free test
// in the scan loop.
type idSet []bool

func (s idSet) has(id uint32) bool { return int(id) < len(s) && s[id] }

// setOf interns nothing: names never seen match no cell.
func (a *Aggregator) setOf(values []string) idSet {
	s := make(idSet, len(a.names.list))
	for _, v := range values {
		if id, ok := a.names.lookup(v); ok {
			s[id] = true
		}
	}
	return s
}

// histKind names a histogram a threshold reads.
type histKind int

const (
	histAnswered histKind = iota
	histAbandoned
	histRemoved
)

// threshold is a count of queue removals under a limit: values < limit
// whole seconds.
type threshold struct {
	kind  histKind
	limit int64
}

func (t threshold) count(c *Cell) int64 {
	switch t.kind {
	case histAnswered:
		return c.AnsweredIn.Below(t.limit)
	case histAbandoned:
		return c.AbandonedIn.Below(t.limit)
	}
	return c.AnsweredIn.Below(t.limit) + c.AbandonedIn.Below(t.limit)
}

// selection is what a query reads.
type selection struct {
	inst    string
	byAgent bool
	// summary reads the agent summary cells (byAgent, nothing but agent
	// and routing profile asked for).
	summary bool
	// rollups lets the scan read agent×queue rollup blocks (agent detail
	// family with channel and method free; see rollup.go).
	rollups bool
	filters [numDims]idSet // nil: any value
	from    int64          // first bucket
	to      int64          // bucket limit (exclusive)
	groupBy []dim
	// interval maps a bucket to its interval index (nil: one interval).
	interval   func(bucket int64) int
	thresholds []threshold
	// methodFilters are per-metric initiation-method filters (V2
	// MetricFilters): each gets a sum of its own.
	methodFilters []idSet
}

type groupKey struct {
	v  [numDims]uint32
	iv int
}

type group struct {
	key      groupKey
	sum      Cell
	below    []int64
	filtered []Cell // per methodFilters
	cells    int
}

// scan sums the selected cells per group. Callers hold mu (read).
func (a *Aggregator) scan(s *selection) map[groupKey]*group {
	out := map[groupKey]*group{}
	ic := a.inst[s.inst]
	if ic == nil {
		return out
	}
	// With one grouping dimension or none, groups are found by interval
	// and interned value in slices: hashing a groupKey per cell was a third
	// of the time of a scan over many groups (by AGENT in FIFTEEN_MIN
	// intervals).
	var dense [][]*group
	if len(s.groupBy) <= 1 {
		dense = [][]*group{}
	}
	for b := s.from; b < s.to; {
		bc, iv, next := s.nextBlock(ic, b)
		b = next
		if bc == nil {
			continue
		}
		var byValue []*group
		if dense != nil {
			for len(dense) <= iv {
				dense = append(dense, nil)
			}
			if dense[iv] == nil {
				dense[iv] = make([]*group, len(a.names.list))
			}
			byValue = dense[iv]
		}
	cells:
		for i := range bc.keys {
			k := &bc.keys[i]
			if k.ByAgent != s.byAgent || k.Summary != s.summary {
				continue
			}
			for d := range numDims {
				if f := s.filters[d]; f != nil && !f.has(k.value(d)) {
					continue cells
				}
			}
			gk := groupKey{iv: iv}
			for _, d := range s.groupBy {
				gk.v[d] = k.value(d)
			}
			var g *group
			var v uint32
			if byValue != nil {
				if len(s.groupBy) == 1 {
					v = gk.v[s.groupBy[0]]
				}
				g = byValue[v]
			} else {
				g = out[gk]
			}
			if g == nil {
				g = &group{key: gk, below: make([]int64, len(s.thresholds)), filtered: make([]Cell, len(s.methodFilters))}
				out[gk] = g
				if byValue != nil {
					byValue[v] = g
				}
			}
			c := bc.cells[i]
			g.cells++
			g.sum.add(c)
			for j, t := range s.thresholds {
				g.below[j] += t.count(c)
			}
			for j, mf := range s.methodFilters {
				if mf == nil || mf.has(k.Method) {
					g.filtered[j].add(c)
				}
			}
		}
	}
	return out
}

// ratio is num/den, or no value when den is 0 (Connect's null for
// "insufficient data").
func ratio(num, den float64) *float64 {
	if den == 0 {
		return nil
	}
	v := num / den
	return &v
}

func count(n int64) *float64 { v := float64(n); return &v }

func secs(msSum int64, n int64) *float64 { return ratio(float64(msSum)/1000, float64(n)) }

func pct(num, den int64) *float64 {
	v := ratio(float64(num)*100, float64(den))
	if v != nil {
		*v = math.Round(*v*100) / 100
	}
	return v
}

// pageToken is an opaque offset bound to the request it continues: a
// token used with other parameters is refused.
func pageToken(offset int, reqHash []byte) string {
	b := binary.BigEndian.AppendUint32(nil, uint32(offset))
	return base64.RawURLEncoding.EncodeToString(append(b, reqHash[:12]...))
}

func parseToken(tok string, reqHash []byte) (int, error) {
	if tok == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != 16 || string(b[4:]) != string(reqHash[:12]) {
		return 0, domain.Errorf(domain.ErrInvalidParameter, "NextToken is not valid for this request: repeat the parameters of the request that returned it.")
	}
	return int(binary.BigEndian.Uint32(b)), nil
}

// hashRequest identifies a request's parameters, NextToken and MaxResults
// excluded by the caller.
func hashRequest(v any) []byte {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return h[:]
}

// page cuts rows [offset, offset+max) and the next token.
func page(n, offset, maxResults int, reqHash []byte) (lo, hi int, next string) {
	if maxResults <= 0 {
		maxResults = 100
	}
	lo = min(offset, n)
	hi = min(lo+maxResults, n)
	if hi < n {
		next = pageToken(hi, reqHash)
	}
	return lo, hi, next
}

// sortGroups orders groups by interval, then by the names of their
// grouping values.
func (a *Aggregator) sortGroups(gs []*group, by []dim) {
	sort.Slice(gs, func(i, j int) bool {
		x, y := gs[i].key, gs[j].key
		if x.iv != y.iv {
			return x.iv < y.iv
		}
		for _, d := range by {
			if nx, ny := a.names.list[x.v[d]], a.names.list[y.v[d]]; nx != ny {
				return nx < ny
			}
		}
		return false
	})
}

// wholeSeconds checks a threshold value: a whole number of seconds in
// 1..604,800 (7 days).
func wholeSeconds(v *float64, what string) (int64, error) {
	if v == nil {
		return 0, domain.Errorf(domain.ErrInvalidParameter, "%s: ThresholdValue is required.", what)
	}
	if *v != math.Trunc(*v) || *v < 1 || *v > 604800 {
		return 0, domain.Errorf(domain.ErrInvalidParameter, "%s: ThresholdValue must be a whole number of seconds from 1 to 604800, not %s.", what, strconv.FormatFloat(*v, 'f', -1, 64))
	}
	return int64(*v), nil
}

var _ = fmt.Sprint
