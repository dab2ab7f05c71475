// Package migrations embeds the PostgreSQL schema migrations.
package migrations

import "embed"

// FS holds NNN_name.sql files, applied in order by sqlstore.
//
//go:embed *.sql
var FS embed.FS
