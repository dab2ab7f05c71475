package sigv4

// CachedSigningKeys exposes the cache size so the external tests can check
// that it stays bounded.
func CachedSigningKeys(v *Verifier) int { return v.keys.len() }
