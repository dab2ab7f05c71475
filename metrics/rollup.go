package metrics

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Rollups. A query that reads the agent detail family (a QUEUE filter or
// grouping together with AGENT or ROUTING_PROFILE) would otherwise scan one
// cell per agent, queue, channel and initiation method per 5-minute bucket:
// about two cells per handled contact, so its cost grows with contacts.
// Rollups hold the same contributions per agent, routing profile and queue
// (channel and method dropped) per 15 minutes, hour and UTC day, and per
// agent, routing profile, queue, channel and method per hour and UTC day:
// a bounded number of cells per block whatever the traffic. A query reads
// the largest blocks of its family (plain when channel and method are free
// of filters, groupings and metric filters; else the channel family) that
// lie whole inside its range and inside one of its result intervals, and
// 5-minute cells for the rest. Wherever a block
// would straddle two result intervals (an unaligned range, or a zone whose
// offset is not whole hours) the next smaller level is tried, down to the
// 5-minute cells.
//
// Rollups are never stored. They are a function of the agent detail cells,
// which are the only persisted truth: apply updates them together with the
// detail cells (same contributions, so the same sums and histograms),
// Start derives them from the loaded cells, and a recomputation derives
// again every block its range touches once the replay is done. So the
// write-behind flush, restarts and the recompute-from-contacts path cannot
// make them disagree with the 5-minute cells, and no migration is needed.
// At the benchmark's traffic (1 M contacts a day, 200 agents, 20 queues,
// 3 channels, one method) a day holds 1.23 M detail cells and 465 k rollup
// cells (361 k of 15 minutes, 96 k of an hour, 8 k of a day): the
// 15-minute level is most of the cost, and what FIFTEEN_MIN and THIRTY_MIN
// intervals need.

// rollupLevels are the rollup block sizes in seconds and whether the level
// keeps channel and initiation method. The plain levels (channel and
// method dropped) serve queries that leave both free, smallest first, and
// every size is a multiple of the one before, so a day block is whole
// hours. The channel levels serve by-agent queries that filter or group by
// CHANNEL or INITIATION_METHOD (or filter metrics by method), which would
// otherwise read every 5-minute agent cell of the range: at an hour or a
// day per block they hold at most agents × queues × channels × methods
// cells whatever the traffic. There is no 15-minute channel level: at
// that size it would hold about as many cells as the 5-minute buckets it
// sums (at the benchmark's traffic an agent sees about one contact per
// queue and channel in 15 minutes), so it would cost memory and save
// nothing.
var rollupLevels = [...]struct {
	size    int64
	channel bool
}{{15 * 60, false}, {3600, false}, {24 * 3600, false}, {3600, true}, {24 * 3600, true}}

const numRollups = len(rollupLevels)

// rollupKey is the key of the rollup cell a detail key contributes to at a
// level that keeps the channel and method, or not.
func rollupKey(k Key, channel bool) Key {
	rk := Key{ByAgent: true, Agent: k.Agent, Profile: k.Profile, Queue: k.Queue}
	if channel {
		rk.Channel, rk.Method = k.Channel, k.Method
	}
	return rk
}

// rollupCell returns the rollup cell of (level, block start, key), creating
// it. Rollup cells are not marked dirty: they are never written. Callers
// hold mu.
func (ic *instCells) rollupCell(level int, block int64, k Key) *Cell {
	m := ic.rollups[level]
	bc := m[block]
	if bc == nil {
		bc = &bucketCells{index: map[Key]int{}}
		m[block] = bc
	}
	ic.touched(bc, blockRef{level, block})
	if i, ok := bc.index[k]; ok {
		return bc.cells[i]
	}
	return bc.add(k)
}

// rollupCells appends the rollup cells that an agent detail contribution to
// bucket b under k also goes to.
func (ic *instCells) rollupCells(cells []*Cell, b int64, k Key) []*Cell {
	plain, kept := rollupKey(k, false), rollupKey(k, true)
	for l, lv := range rollupLevels {
		rk := plain
		if lv.channel {
			rk = kept
		}
		cells = append(cells, ic.rollupCell(l, b-mod(b, lv.size), rk))
	}
	return cells
}

// allBuckets asks rebuildRollupsLocked for every block.
const allBuckets = math.MinInt64

// rebuildRollupsLocked derives again, from the detail cells, every rollup
// block of ic that holds a bucket >= from. Callers hold mu.
func (ic *instCells) rebuildRollupsLocked(from int64) {
	for l, lv := range rollupLevels {
		size := lv.size
		lo := from
		if from != allBuckets {
			lo = from - mod(from, size)
		}
		for blk := range ic.rollups[l] {
			if blk >= lo {
				delete(ic.rollups[l], blk)
			}
		}
		for b, bc := range ic.buckets {
			if b < lo {
				continue
			}
			blk := b - mod(b, size)
			for i := range bc.keys {
				if k := bc.keys[i]; k.ByAgent && !k.Summary {
					ic.rollupCell(l, blk, rollupKey(k, lv.channel)).merge(bc.cells[i])
				}
			}
		}
	}
}

// pruneRollups drops the blocks that start before limit: the oldest one
// may have lost some of its buckets, and no query can start before limit
// (see pruneLocked), so none would read it anyway.
func (ic *instCells) pruneRollups(limit int64) {
	for l := range ic.rollups {
		for blk := range ic.rollups[l] {
			if blk < limit {
				delete(ic.rollups[l], blk)
			}
		}
	}
}

// merge sums o into c, histograms included.
func (c *Cell) merge(o *Cell) {
	c.add(o)
	c.AnsweredIn.addHist(o.AnsweredIn)
	c.AbandonedIn.addHist(o.AbandonedIn)
}

// addHist counts every value of o in h.
func (h *Hist) addHist(o Hist) {
	var prev int64
	for i := 0; i < len(o); i += 2 {
		if n := o[i+1] - prev; n > 0 {
			h.addN(o[i], n)
		}
		prev = o[i+1]
	}
}

// nextBlock is where a scan of s reads bucket b from: the largest rollup
// block starting at b that lies whole inside the range and inside b's
// interval, or else b's own 5-minute bucket. It returns the cells (nil if
// none), the interval index and the next bucket to read.
func (s *selection) nextBlock(ic *instCells, b int64) (*bucketCells, int, int64) {
	iv := 0
	if s.interval != nil {
		iv = s.interval(b)
	}
	if s.rollups != noRollups {
		for l := numRollups - 1; l >= 0; l-- {
			if rollupLevels[l].channel != (s.rollups == channelRollups) {
				continue
			}
			size := rollupLevels[l].size
			last := b + size - step // the last bucket the block holds
			if mod(b, size) != 0 || last >= s.to || (s.interval != nil && s.interval(last) != iv) {
				continue
			}
			return ic.rollups[l][b], iv, b + size
		}
	}
	return ic.buckets[b], iv, b + step
}

// step is the size of a bucket in seconds.
const step = int64(BucketSize / time.Second)

// blockRef names a 5-minute bucket (level -1) or a rollup block of an
// instance.
type blockRef struct {
	level int
	start int64
}

func (r blockRef) size() int64 {
	if r.level < 0 {
		return step
	}
	return rollupLevels[r.level].size
}

// touched notes that a cell of bc (the block r) is about to change, so
// that packLocked packs it again once the block is over.
func (ic *instCells) touched(bc *bucketCells, r blockRef) {
	if !bc.unpacked {
		bc.unpacked = true
		ic.unpacked[r] = struct{}{}
	}
}

// packLocked packs every block of every instance that ended by now and
// changed since it was last packed. Histograms are appended to one by
// one, each growing in an allocation of its own somewhere on the heap;
// a scan reading a threshold from each cell then misses the cache on
// nearly every one (that was two thirds of a by-agent query's time).
// Packing copies them into one array per block, in the order the scan
// reads them. A block still in progress is left alone: it would scatter
// again at once. Flush calls it, holding mu.
func (a *Aggregator) packLocked(now time.Time) {
	t := now.Unix()
	for _, ic := range a.inst {
		for r := range ic.unpacked {
			if r.start+r.size() > t {
				continue
			}
			delete(ic.unpacked, r)
			var bc *bucketCells
			if r.level < 0 {
				bc = ic.buckets[r.start]
			} else {
				bc = ic.rollups[r.level][r.start]
			}
			if bc != nil { // else pruned or recomputed away
				bc.pack()
			}
		}
	}
}

// pack orders bc's cells by family and channel, notes where each
// channel's agent detail cells are, and copies the histograms of the cells
// into one array, in cell order.
func (bc *bucketCells) pack() {
	order := make([]int, len(bc.keys))
	for i := range order {
		order[i] = i
	}
	famRank := func(k *Key) int {
		switch {
		case !k.ByAgent:
			return 0
		case k.Summary:
			return 2
		}
		return 1
	}
	slices.SortStableFunc(order, func(x, y int) int {
		kx, ky := &bc.keys[x], &bc.keys[y]
		if c := cmp.Compare(famRank(kx), famRank(ky)); c != 0 {
			return c
		}
		return cmp.Compare(kx.Channel, ky.Channel)
	})
	// The cells move to one new slab in that order too, so that a scan
	// still reads memory front to back (scattered, a 5-minute scan took
	// twice as long). Nothing keeps a *Cell across calls: callers hold mu.
	keys, cells, slab := make([]Key, len(order)), make([]*Cell, len(order)), make([]Cell, len(order))
	bc.channels = bc.channels[:0]
	for i, o := range order {
		slab[i] = *bc.cells[o]
		keys[i], cells[i] = bc.keys[o], &slab[i]
		bc.index[keys[i]] = i
		if k := &keys[i]; famRank(k) == 1 {
			if n := len(bc.channels); n == 0 || bc.channels[n-1].channel != k.Channel {
				bc.channels = append(bc.channels, channelRun{channel: k.Channel, lo: i})
			}
			bc.channels[len(bc.channels)-1].hi = i + 1
		}
	}
	bc.keys, bc.cells, bc.slab = keys, cells, slab
	n := 0
	for _, c := range bc.cells {
		n += len(c.AnsweredIn) + len(c.AbandonedIn)
	}
	arena := make([]int64, 0, n)
	for _, c := range bc.cells {
		c.AnsweredIn, arena = place(c.AnsweredIn, arena)
		c.AbandonedIn, arena = place(c.AbandonedIn, arena)
	}
	bc.unpacked = false
}

// place copies h to the end of arena and returns the copy, its capacity
// cut to its length so that a later insertion reallocates it instead of
// overwriting the next histogram.
func place(h Hist, arena []int64) (Hist, []int64) {
	if len(h) == 0 {
		return h, arena
	}
	off := len(arena)
	arena = append(arena, h...)
	return Hist(arena[off:len(arena):len(arena)]), arena
}
