package metrics

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

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
	// rollups says which rollup levels the scan may read instead of the
	// agent detail family's 5-minute cells (see rollup.go).
	rollups rollupUse
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

// rollupUse is which rollup levels a selection may read.
type rollupUse int

const (
	noRollups      rollupUse = iota
	plainRollups             // channel and method free: the plain levels
	channelRollups           // channel or method used: the levels keeping them
)

// scan sums the selected cells per group and returns the groups in the
// order they were first seen. Callers hold mu (read).
func (a *Aggregator) scan(s *selection) []*group {
	ic := a.inst[s.inst]
	if ic == nil {
		return nil
	}
	// A long range of several intervals is read in two halves at an
	// interval boundary, at once: the halves' groups are of different
	// intervals, so they need no merging, and a query takes about half the
	// time when the other core is free.
	if mid, ok := s.split(); ok && !a.noSplit {
		first, second := *s, *s
		first.to, second.from = mid, mid
		var rest []*group
		done := make(chan struct{})
		go func() {
			defer close(done)
			rest = a.scanRange(ic, &second)
		}()
		out := a.scanRange(ic, &first)
		<-done
		return append(out, rest...)
	}
	return a.scanRange(ic, s)
}

// minSplit is the shortest range (in buckets) scan reads in two halves.
const minSplit = 48

// split finds the interval boundary nearest the middle of s's range:
// the first bucket of an interval, with buckets of another before it.
func (s *selection) split() (int64, bool) {
	if s.interval == nil || (s.to-s.from)/step < minSplit {
		return 0, false
	}
	mid := s.from + (s.to-s.from)/step/2*step
	for d := int64(0); mid-d > s.from || mid+d < s.to; d += step {
		for _, b := range []int64{mid + d, mid - d} {
			if b > s.from && b < s.to && s.interval(b) != s.interval(b-step) {
				return b, true
			}
		}
	}
	return 0, false
}

// initGroup makes g the empty group of gk, with room for s's thresholds
// and metric filters.
func (s *selection) initGroup(g *group, gk groupKey) {
	*g = group{key: gk}
	if n := len(s.thresholds); n > 0 {
		g.below = make([]int64, n)
	}
	if n := len(s.methodFilters); n > 0 {
		g.filtered = make([]Cell, n)
	}
}

// scanRange is scan over s's range in one goroutine. It only reads
// shared state (callers hold mu for reading).
func (a *Aggregator) scanRange(ic *instCells, s *selection) []*group {
	var out []*group
	// Groups come from slabs, their threshold counts and filtered sums
	// from shared arrays: a query by AGENT in FIFTEEN_MIN intervals makes
	// tens of thousands of them.
	var slab []group
	newGroup := func(gk groupKey) *group {
		if len(slab) == 0 {
			slab = make([]group, 256)
		}
		g := &slab[0]
		slab = slab[1:]
		s.initGroup(g, gk)
		out = append(out, g)
		return g
	}
	var byKey map[groupKey]*group
	// With one grouping dimension or none, groups are found by interval
	// and interned value in slices: hashing a groupKey per cell was a third
	// of the time of a scan over many groups (by AGENT in FIFTEEN_MIN
	// intervals).
	var dense [][]*group
	// With two, by interval and the first value in slices, then by the
	// second value's compact index (in order of first sight) in a short
	// slice: the second dimension has few values in practice (CHANNEL,
	// INITIATION_METHOD) and the first may have many (AGENT).
	var dense2 [][][]*group
	var compact []int32
	switch len(s.groupBy) {
	case 0, 1:
		dense = [][]*group{}
	case 2:
		compact = make([]int32, len(a.names.list))
		for i := range compact {
			compact[i] = -1
		}
	default:
		byKey = map[groupKey]*group{}
	}
	ncompact := int32(0)
	// With a CHANNEL filter on the agent detail family, a packed block is
	// read only in the runs of the filtered channels (pack orders the
	// cells by channel): a third of the cells for one channel of three.
	byChannel := s.filters[dimChannel] != nil && s.byAgent && !s.summary
	var ranges []channelRun
	for b := s.from; b < s.to; {
		bc, iv, next := s.nextBlock(ic, b)
		b = next
		if bc == nil {
			continue
		}
		ranges = append(ranges[:0], channelRun{lo: 0, hi: len(bc.keys)})
		if byChannel && !bc.unpacked {
			ranges = ranges[:0]
			for _, r := range bc.channels {
				if s.filters[dimChannel].has(r.channel) {
					ranges = append(ranges, r)
				}
			}
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
		var byFirst [][]*group
		if compact != nil {
			for len(dense2) <= iv {
				dense2 = append(dense2, nil)
			}
			if dense2[iv] == nil {
				dense2[iv] = make([][]*group, len(a.names.list))
			}
			byFirst = dense2[iv]
		}
		for _, rg := range ranges {
		cells:
			for i := rg.lo; i < rg.hi; i++ {
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
				var second []*group
				var ci int32
				switch {
				case byValue != nil:
					if len(s.groupBy) == 1 {
						v = gk.v[s.groupBy[0]]
					}
					g = byValue[v]
				case byFirst != nil:
					v = gk.v[s.groupBy[0]]
					if ci = compact[gk.v[s.groupBy[1]]]; ci < 0 {
						ci = ncompact
						compact[gk.v[s.groupBy[1]]] = ci
						ncompact++
					}
					second = byFirst[v]
					if int(ci) < len(second) {
						g = second[ci]
					}
				default:
					g = byKey[gk]
				}
				if g == nil {
					g = newGroup(gk)
					switch {
					case byValue != nil:
						byValue[v] = g
					case byFirst != nil:
						if int(ci) >= len(second) {
							second = append(second, make([]*group, int(ci)+1-len(second))...)
							byFirst[v] = second
						}
						second[ci] = g
					default:
						byKey[gk] = g
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

// compareNames orders two dimension value sets by the names of their
// values in the grouping dimensions by, in order.
func (a *Aggregator) compareNames(x, y [numDims]uint32, by []dim) int {
	for _, d := range by {
		if c := strings.Compare(a.names.list[x[d]], a.names.list[y[d]]); c != 0 {
			return c
		}
	}
	return 0
}

// sortGroups orders groups by interval, then by the names of their
// grouping values (GetMetricData; GetMetricDataV2 sorts its dimension sets
// once instead, as it has a row for every set in every interval).
func (a *Aggregator) sortGroups(gs []*group, by []dim) {
	slices.SortFunc(gs, func(x, y *group) int {
		if c := cmp.Compare(x.key.iv, y.key.iv); c != 0 {
			return c
		}
		return a.compareNames(x.key.v, y.key.v, by)
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
