// Package duckdb is the embedded archive engine: one DuckDB file, no server,
// columnar storage. It implements archive.Store.
//
// Tables are append-only (post_versions, captures, events, decisions,
// fetches, accounts, runs); the view current_posts reads the latest version
// of each post with the decision that stands for it. Searches read instead
// post_heads, one narrow row per post derived from the records, which every
// append updates for the posts it touches (heads.go), and read the
// versions in full only for the page they return. The schema is versioned
// by numbered migrations in migrations/, applied in order on open and
// recorded in schema_migrations. Appends use DuckDB's Appender inside one
// transaction per batch, so a batch is stored whole or not at all, its
// post_heads rows with it. Nothing in this package updates or deletes a
// record; only post_heads rows, derived from the records, are replaced.
//
// DuckDB admits one writing process per file: a second process opening the
// same archive gets archive.ErrLocked.
package duckdb
