package sqlite

import (
	"fmt"
	"strings"
)

// errInUse is lockFile's answer when another process (or another store
// in this one) holds the lock at path.
func errInUse(path string) error {
	return fmt.Errorf("sqlite: %s is in use by another process, which holds its lock %s; "+
		"stop that process, or give this one its own data directory", strings.TrimSuffix(path, "-lock"), path)
}
