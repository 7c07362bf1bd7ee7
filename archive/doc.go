// Package archive holds vigia's records and the contract of the stores that
// keep them.
//
// The records are evidence: a Post is one observed version of a post, an
// Event marks what happened to a post (first seen, edited, deleted at source,
// restored), a Decision says whether a version is public information and why,
// a Capture logs every observation, a Fetch logs every HTTP exchange, an
// Account snapshots the directory entry a post was crawled under and a Run
// summarises one crawl. Records are only ever appended: no store offers a way
// to update or delete one (archive law, policy Cuarta).
//
// Engines live in sub-packages (archive/duckdb is the embedded default) and
// implement Store. The archive never fetches and never judges: crawlers hand
// it records and the classifier hands it decisions.
package archive
