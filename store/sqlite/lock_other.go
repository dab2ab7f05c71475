//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package sqlite

// lockFile does nothing where flock(2) is missing: there, keeping a second
// process off the database is left to the user (README, "Data").
func lockFile(string) (func(), error) { return func() {}, nil }
