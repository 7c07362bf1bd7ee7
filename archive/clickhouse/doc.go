// Package clickhouse is the archive engine for scale: the records of
// archive.Batch in MergeTree tables of a ClickHouse server, reached by the
// native protocol (github.com/ClickHouse/clickhouse-go/v2), with the same
// answers as the embedded DuckDB engine (the archivetest suite runs against
// both).
//
// The schema and its queries run on ClickHouse 18.16 (Debian's package, the
// oldest release supported) and on current releases: times are Int64
// microseconds since 1970 (0 for none), booleans UInt8, and the reads avoid
// window functions, which 18.16 lacks — the latest version of a post is an
// argMax by version, the standing decision the greatest by (person, time)
// of its decisions. Every INSERT names its columns. Tables are partitioned
// by month and ordered by account and post (tables.go). Searches read
// post_heads, partial aggregates per post that the server's materialized
// views add at every insert (heads.go), and read whole versions only for
// the page they return (search.go).
//
// ClickHouse has no transactions: an append writes table by table, so a
// failed append may leave some of its tables written. The spool in front of
// the archive replays batches, and the reads tolerate repeats (see the
// package documentation of the spool, issue 5).
package clickhouse
