package clickhouse

import (
	"fmt"
	"strings"
)

// post_heads holds, for every post, the partial aggregates of what a search
// needs to know of it: its latest version's number, dates, flag and hash,
// how many versions it has, its decisions, and its latest deletion or
// restoration. It is an AggregatingMergeTree the server fills itself: one
// materialized view per table it reads (headsSources) turns every block
// inserted into post_versions, decisions or events into rows of aggregate
// states, and a search merges the states of the posts it reads (currentPosts)
// instead of reading the records. Several crawlers and vigia serve may
// append at once: states merge in any order, and merging one twice changes
// nothing (max, argMax and uniqExact; a decision listed twice chooses the
// same), so a block pushed again by a replay (repairHeads) or a rebuild
// (fillHeads) does no harm.

// headColumn is one aggregate column of post_heads: the state a row of its
// source adds, and the empty state the other sources add.
type headColumn struct {
	name, typ string
	source    string // the table whose rows fill it
	state     string
	empty     string
}

// personRank lifts a person's decision above any other when decisions are
// ranked by decided_at (microseconds, far below it).
const personRank = "100000000000000000"

var headColumns = []headColumn{
	{"latest_version", "AggregateFunction(maxIf, Int32, UInt8)", "post_versions",
		"maxIfState(version, toUInt8(1))", "maxIfState(toInt32(0), toUInt8(0))"},
	{"versions", "AggregateFunction(uniqExactIf, Int32, UInt8)", "post_versions",
		"uniqExactIfState(version, toUInt8(1))", "uniqExactIfState(toInt32(0), toUInt8(0))"},
	{"latest_published", "AggregateFunction(argMaxIf, Int64, Int32, UInt8)", "post_versions",
		"argMaxIfState(published_at, version, toUInt8(1))", "argMaxIfState(toInt64(0), toInt32(0), toUInt8(0))"},
	{"latest_edited", "AggregateFunction(argMaxIf, UInt8, Int32, UInt8)", "post_versions",
		"argMaxIfState(edited, version, toUInt8(1))", "argMaxIfState(toUInt8(0), toInt32(0), toUInt8(0))"},
	{"latest_captured", "AggregateFunction(argMaxIf, Int64, Int32, UInt8)", "post_versions",
		"argMaxIfState(captured_at, version, toUInt8(1))", "argMaxIfState(toInt64(0), toInt32(0), toUInt8(0))"},
	// The hash as a 64-bit number: it only tells a post's versions apart.
	{"latest_sha", "AggregateFunction(argMaxIf, UInt64, Int32, UInt8)", "post_versions",
		"argMaxIfState(sipHash64(content_sha256), version, toUInt8(1))", "argMaxIfState(toUInt64(0), toInt32(0), toUInt8(0))"},
	// (hash, rank, label, confidence, basis, decided_by, decided_at)
	{"decisions", "AggregateFunction(groupArrayIf, Tuple(UInt64, Int64, String, Float64, String, String, Int64), UInt8)", "decisions",
		"groupArrayIfState((sipHash64(content_sha256), toInt64((decided_by LIKE 'person:%') * " + personRank + " + decided_at), " +
			"label, confidence, basis, decided_by, decided_at), toUInt8(1))",
		"groupArrayIfState((toUInt64(0), toInt64(0), '', toFloat64(0), '', '', toInt64(0)), toUInt8(0))"},
	{"last_gone", "AggregateFunction(argMaxIf, String, Int64, UInt8)", "events",
		"argMaxIfState(kind, observed_at, toUInt8(1))", "argMaxIfState('', toInt64(0), toUInt8(0))"},
	{"last_deleted", "AggregateFunction(maxIf, Int64, UInt8)", "events",
		"maxIfState(observed_at, kind = 'deleted_at_source')", "maxIfState(toInt64(0), toUInt8(0))"},
}

// headsSources are the tables that feed post_heads, and which of their
// rows count.
var headsSources = []struct{ table, where string }{
	{"post_versions", ""},
	{"decisions", ""},
	{"events", "kind IN ('deleted_at_source', 'restored')"},
}

// headsTableColumns is the column list of post_heads.
func headsTableColumns() string {
	cs := []string{"account_id String", "network String", "post_id String"}
	for _, c := range headColumns {
		cs = append(cs, c.name+" "+c.typ)
	}
	return strings.Join(cs, ", ")
}

// headsSelect is the query turning rows of source (the table, in db, named
// from) that meet cond into rows of post_heads, one per post.
func headsSelect(db, source, from, cond string) string {
	cols := []string{"account_id", "network", "post_id"}
	for _, c := range headColumns {
		expr := c.empty
		if c.source == source {
			expr = c.state
		}
		cols = append(cols, expr+" AS "+c.name)
	}
	where := ""
	if cond != "" {
		where = " WHERE " + cond
	}
	return fmt.Sprintf("SELECT %s FROM %s.%s%s GROUP BY account_id, network, post_id", strings.Join(cols, ", "), db, from, where)
}

// headsDDL returns the statements creating post_heads (local is the name of
// the table the views write to: post_heads, or post_heads_local on a
// cluster) and the views that fill it, reading the sources' tables of this
// server (suffix: "" or "_local").
func headsDDL(db, on, local, engine, suffix string) []string {
	stmts := []string{fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.%s%s (%s) ENGINE = %s ORDER BY (account_id, network, post_id) SETTINGS index_granularity = %d",
		db, local, on, headsTableColumns(), engine, postGranule)}
	for _, src := range headsSources {
		stmts = append(stmts, fmt.Sprintf("CREATE MATERIALIZED VIEW IF NOT EXISTS %s.post_heads_from_%s%s TO %s.%s AS %s",
			db, src.table, on, db, local, headsSelect(db, src.table, src.table+suffix, src.where)))
	}
	return stmts
}

// fillHeads returns the statements that add to post_heads the states of
// every record already stored (for an archive made before post_heads
// existed), or of the records of one batch when batch is set (? in the
// statement): what repairs a replay whose block reached its table but
// perhaps not the view.
func fillHeads(db string, batch bool) []string {
	var stmts []string
	for _, src := range headsSources {
		cond := src.where
		if batch {
			cond = strings.TrimPrefix(cond+" AND batch_id = ?", " AND ")
		}
		stmts = append(stmts, "INSERT INTO "+db+".post_heads "+headsSelect(db, src.table, src.table, cond))
	}
	return stmts
}
