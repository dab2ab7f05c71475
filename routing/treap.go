package routing

// The engine's ordered sets are treaps whose nodes live in one arena per key
// type. A treap gives O(log n) insert/delete and in-order iteration that can
// stop early, which is all routing needs; subtree sizes add rank() for
// Explain. Nodes refer to each other by int32 index, so the arena holds no
// pointers for the garbage collector to trace and a node costs ~40 bytes.

// node is one treap node; index 0 is the shared nil node (size 0).
type node[K any] struct {
	key         K
	val         int32
	left, right int32
	pri         uint32
	size        int32
}

// arena owns the nodes of every tree with key type K.
type arena[K any] struct {
	nodes []node[K]
	free  int32 // head of the free list, linked through left
	cmp   func(a, b K) int
	seed  uint32 // xorshift state: deterministic, so runs are reproducible
}

func newArena[K any](cmp func(a, b K) int) *arena[K] {
	return &arena[K]{nodes: make([]node[K], 1, 1024), cmp: cmp, seed: 2463534242}
}

// tree is an ordered set of unique keys, each with an int32 payload. The
// zero tree is empty. first caches the smallest node: routing mostly wants
// the head of a queue, and reading it in O(1) instead of walking the left
// spine is what makes a search over many small trees cheap.
type tree[K any] struct{ root, first int32 }

func (ar *arena[K]) alloc(key K, val int32) int32 {
	ar.seed ^= ar.seed << 13
	ar.seed ^= ar.seed >> 17
	ar.seed ^= ar.seed << 5
	var i int32
	if ar.free != 0 {
		i = ar.free
		ar.free = ar.nodes[i].left
	} else {
		ar.nodes = append(ar.nodes, node[K]{})
		i = int32(len(ar.nodes) - 1)
	}
	ar.nodes[i] = node[K]{key: key, val: val, pri: ar.seed, size: 1}
	return i
}

func (ar *arena[K]) release(i int32) {
	ar.nodes[i] = node[K]{left: ar.free}
	ar.free = i
}

func (ar *arena[K]) fix(i int32) {
	n := &ar.nodes[i]
	n.size = 1 + ar.nodes[n.left].size + ar.nodes[n.right].size
}

// split cuts t into keys < key and keys >= key.
func (ar *arena[K]) split(t int32, key K) (int32, int32) {
	if t == 0 {
		return 0, 0
	}
	if ar.cmp(ar.nodes[t].key, key) < 0 {
		l, r := ar.split(ar.nodes[t].right, key)
		ar.nodes[t].right = l
		ar.fix(t)
		return t, r
	}
	l, r := ar.split(ar.nodes[t].left, key)
	ar.nodes[t].left = r
	ar.fix(t)
	return l, t
}

// merge joins l and r, every key of l being smaller than every key of r.
func (ar *arena[K]) merge(l, r int32) int32 {
	if l == 0 {
		return r
	}
	if r == 0 {
		return l
	}
	if ar.nodes[l].pri > ar.nodes[r].pri {
		m := ar.merge(ar.nodes[l].right, r)
		ar.nodes[l].right = m
		ar.fix(l)
		return l
	}
	m := ar.merge(l, ar.nodes[r].left)
	ar.nodes[r].left = m
	ar.fix(r)
	return r
}

// insertNode descends while the heap order allows and splits there, which
// touches fewer nodes than split+merge at the root.
func (ar *arena[K]) insertNode(t, n int32) int32 {
	if t == 0 {
		return n
	}
	if ar.nodes[n].pri > ar.nodes[t].pri {
		l, r := ar.split(t, ar.nodes[n].key)
		ar.nodes[n].left, ar.nodes[n].right = l, r
		ar.fix(n)
		return n
	}
	if ar.cmp(ar.nodes[n].key, ar.nodes[t].key) < 0 {
		c := ar.insertNode(ar.nodes[t].left, n)
		ar.nodes[t].left = c
	} else {
		c := ar.insertNode(ar.nodes[t].right, n)
		ar.nodes[t].right = c
	}
	ar.fix(t)
	return t
}

// removeKey returns the new subtree root and the detached node (0 if the key
// was absent).
func (ar *arena[K]) removeKey(t int32, key K) (int32, int32) {
	if t == 0 {
		return 0, 0
	}
	c := ar.cmp(key, ar.nodes[t].key)
	if c == 0 {
		return ar.merge(ar.nodes[t].left, ar.nodes[t].right), t
	}
	var sub, rm int32
	if c < 0 {
		sub, rm = ar.removeKey(ar.nodes[t].left, key)
		ar.nodes[t].left = sub
	} else {
		sub, rm = ar.removeKey(ar.nodes[t].right, key)
		ar.nodes[t].right = sub
	}
	if rm != 0 {
		ar.fix(t)
	}
	return t, rm
}

func (tr *tree[K]) insert(ar *arena[K], key K, val int32) {
	n := ar.alloc(key, val)
	tr.root = ar.insertNode(tr.root, n)
	if tr.first == 0 || ar.cmp(key, ar.nodes[tr.first].key) < 0 {
		tr.first = n
	}
}

// remove deletes key and reports whether it was present.
func (tr *tree[K]) remove(ar *arena[K], key K) bool {
	root, rm := ar.removeKey(tr.root, key)
	tr.root = root
	if rm == 0 {
		return false
	}
	if rm == tr.first {
		tr.first = tr.root
		for tr.first != 0 && ar.nodes[tr.first].left != 0 {
			tr.first = ar.nodes[tr.first].left
		}
	}
	ar.release(rm)
	return true
}

func (tr *tree[K]) len(ar *arena[K]) int { return int(ar.nodes[tr.root].size) }

// min returns the smallest key and its payload in O(1).
func (tr *tree[K]) min(ar *arena[K]) (K, int32, bool) {
	n := &ar.nodes[tr.first]
	return n.key, n.val, tr.first != 0
}

// ascend calls fn in key order until it returns false. fn must not modify
// any tree of the arena.
func (tr *tree[K]) ascend(ar *arena[K], fn func(key K, val int32) bool) {
	var buf [48]int32
	stack := buf[:0]
	t := tr.root
	for t != 0 || len(stack) > 0 {
		for t != 0 {
			stack = append(stack, t)
			t = ar.nodes[t].left
		}
		t = stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(ar.nodes[t].key, ar.nodes[t].val) {
			return
		}
		t = ar.nodes[t].right
	}
}

// rank counts the keys smaller than key.
func (tr *tree[K]) rank(ar *arena[K], key K) int {
	n, t := 0, tr.root
	for t != 0 {
		if ar.cmp(ar.nodes[t].key, key) < 0 {
			n += int(ar.nodes[ar.nodes[t].left].size) + 1
			t = ar.nodes[t].right
		} else {
			t = ar.nodes[t].left
		}
	}
	return n
}
