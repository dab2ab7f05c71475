package sigv4

import "sync"

// keyCacheSize bounds the signing-key cache. One entry serves every request
// an SDK client signs in a UTC day, so a few hundred covers many concurrent
// users while keeping memory trivially small.
const keyCacheSize = 256

// keyCacheKey identifies a derived signing key. A struct key (rather than a
// joined string) means no choice of region or service text can collide with
// another tuple.
type keyCacheKey struct {
	secret, date, region, service string
}

// keyCache memoizes deriveSigningKey. Derivation is four HMACs; caching it
// roughly halves the cost of a verification for the common case of an SDK
// client signing every call with the same credentials.
type keyCache struct {
	mu sync.Mutex
	m  map[keyCacheKey][]byte
}

func (c *keyCache) get(secret string, scope credentialScope) []byte {
	k := keyCacheKey{secret, scope.date, scope.region, scope.service}
	c.mu.Lock()
	key, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return key
	}
	// Derive outside the lock; a concurrent miss on the same key just does
	// the work twice, which is cheaper than serializing all verifiers.
	key = deriveSigningKey(secret, scope)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[keyCacheKey][]byte, keyCacheSize)
	}
	if len(c.m) >= keyCacheSize {
		// Evict an arbitrary entry. Keys roll over daily, so stale entries
		// are the bulk of the map once it is full and any victim will do;
		// true LRU is not worth its bookkeeping here.
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[k] = key
	return key
}

// len reports the number of cached keys (tests use it via export_test.go).
func (c *keyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
