// Package duckdb is the embedded archive engine: one DuckDB file, no server,
// columnar storage. It implements archive.Store.
//
// Tables are append-only (post_versions, captures, events, decisions,
// fetches, accounts, runs); the view current_posts reads the latest version
// of each post with the decision that stands for it. The schema is versioned
// by numbered migrations in migrations/, applied in order on open and
// recorded in schema_migrations. Appends use DuckDB's Appender inside one
// transaction per batch, so a batch is stored whole or not at all. Nothing
// in this package updates or deletes a record.
//
// DuckDB admits one writing process per file: a second process opening the
// same archive gets archive.ErrLocked.
package duckdb
