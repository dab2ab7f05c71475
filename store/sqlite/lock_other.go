//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package sqlite

// lockFile does nothing where neither flock(2) nor LockFileEx is at hand:
// there, keeping a second process off the database is left to the user.
func lockFile(string) (func(), error) { return func() {}, nil }
