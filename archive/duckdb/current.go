package duckdb

import "strings"

// currentPosts is the current_posts view of migrations/0002_evidence.sql
// as a query whose reading can be narrowed: cand, when not empty, is a query
// returning the post ids that may match (with its arguments once), read by
// every part of the view before the window functions run — so that a
// search for a term or a review queue computes the latest version of the
// posts that may match, not of the whole archive. The view stays for people
// who query the archive directly; the conformance suite checks that both
// give the same posts.
func currentPosts(cand string) string {
	in := ""
	with := "WITH "
	if cand != "" {
		with = "WITH cand AS (" + cand + "), "
		in = " WHERE post_id IN (SELECT post_id FROM cand)"
	}
	and := strings.Replace(in, " WHERE ", " AND ", 1)
	return with + `latest AS (
    SELECT *, count(*) OVER (PARTITION BY network, account_id, post_id) AS versions
    FROM post_versions` + in + `
    QUALIFY row_number() OVER (PARTITION BY network, account_id, post_id ORDER BY version DESC) = 1
),
standing AS (
    SELECT d.*
    FROM (SELECT * FROM decisions` + in + `) d
    JOIN latest l USING (network, account_id, post_id)
    WHERE d.decided_by LIKE 'person:%' OR d.content_sha256 = l.content_sha256
    QUALIFY row_number() OVER (
        PARTITION BY d.network, d.account_id, d.post_id
        ORDER BY (d.decided_by LIKE 'person:%') DESC, d.decided_at DESC) = 1
),
gone AS (
    SELECT network, account_id, post_id,
           arg_max(kind, observed_at) AS last_kind,
           max(observed_at) FILTER (WHERE kind = 'deleted_at_source') AS deleted_at
    FROM events
    WHERE kind IN ('deleted_at_source', 'restored')` + and + `
    GROUP BY network, account_id, post_id
),
acct AS (
    SELECT account_id, type, area
    FROM accounts
    QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY recorded_at DESC) = 1
)
SELECT l.network, l.account_id, l.post_id, l.version, l.versions, l.url, l.author,
       l.published_at, l.edited_at, l.edited, l.captured_at, l.text, l.language,
       l.reply_to, l.repost_of, l.media, l.metrics, l.content_sha256, l.source_url,
       l.crawler_version, l.run_id, l.warc_file, l.warc_record_id, l.warc_offset, l.warc_digest,
       coalesce(s.label, 'undetermined') AS label,
       coalesce(s.confidence, 0)         AS confidence,
       coalesce(s.basis, '')             AS basis,
       coalesce(s.rationale, '')         AS rationale,
       coalesce(s.decided_by, '')        AS decided_by,
       s.decided_at,
       CASE WHEN g.last_kind = 'deleted_at_source' THEN g.deleted_at END AS deleted_at_source,
       coalesce(a.type, '')              AS account_type,
       coalesce(a.area, '')              AS area
FROM latest l
LEFT JOIN standing s USING (network, account_id, post_id)
LEFT JOIN gone g USING (network, account_id, post_id)
LEFT JOIN acct a ON a.account_id = l.account_id`
}
