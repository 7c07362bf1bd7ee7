package duckdb

import (
	"strings"

	"github.com/vigia-mx/vigia/archive"
)

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

// matching returns the query of the current posts q selects (every column
// of currentPosts, in no order; q's Limit and Offset aside) and its
// arguments: what Search pages through and Facets counts.
func matching(q archive.Query) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, arg ...any) {
		where = append(where, cond)
		args = append(args, arg...)
	}
	accts, acctArgs := accountsMatching(q)
	// The posts that may match, found cheaply, narrow the computation of the
	// latest versions (see currentPosts). Its arguments come first, as cand
	// comes first in the query.
	var cand string
	switch {
	case q.Text != "":
		cand = "SELECT post_id FROM post_versions WHERE contains(coalesce(text_folded, strip_accents(lower(text))), ?)"
		args = append(args, archive.FoldText(q.Text))
	case q.NeedsReview > 0:
		// (Every post version the crawler archives comes with a decision.)
		cand = "SELECT post_id FROM decisions WHERE label = 'undetermined' OR confidence < ?"
		args = append(args, q.NeedsReview)
	case q.Account != "":
		cand = "SELECT post_id FROM post_versions WHERE account_id = ?"
		args = append(args, q.Account)
	case accts != "":
		cand = "SELECT post_id FROM post_versions WHERE account_id IN (" + accts + ")"
		args = append(args, acctArgs...)
	case q.Deleted:
		cand = "SELECT post_id FROM events WHERE kind = 'deleted_at_source'"
	case !q.From.IsZero():
		// The posts published in the period (a version's date stands for
		// the post's: the outer filter reads the latest's).
		cand = "SELECT post_id FROM post_versions WHERE published_at >= ?"
		args = append(args, q.From.UTC())
		if !q.To.IsZero() {
			cand += " AND published_at < ?"
			args = append(args, q.To.UTC())
		}
	}
	if q.Account != "" {
		add("account_id = ?", q.Account)
	}
	if q.Network != "" {
		add("network = ?", string(q.Network))
	}
	if q.Label != "" {
		add("label = ?", string(q.Label))
	}
	if len(q.Labels) > 0 {
		labels := make([]any, len(q.Labels))
		for i, l := range q.Labels {
			labels[i] = string(l)
		}
		add("label IN ("+placeholders(len(labels))+")", labels...)
	}
	if !q.From.IsZero() {
		add("published_at >= ?", q.From.UTC())
	}
	if !q.To.IsZero() {
		add("published_at < ?", q.To.UTC())
	}
	if q.Text != "" {
		add("contains(strip_accents(lower(text)), strip_accents(lower(?)))", q.Text)
	}
	if accts != "" {
		add("account_id IN ("+accts+")", acctArgs...)
	}
	if q.Basis != "" {
		add("basis = ?", q.Basis)
	}
	if q.Edited {
		add("(edited OR versions > 1)")
	}
	if q.Deleted {
		add("deleted_at_source IS NOT NULL")
	}
	if q.NeedsReview > 0 {
		add("decided_by NOT LIKE 'person:%' AND (label = 'undetermined' OR confidence < ?)", q.NeedsReview)
	}
	sqlText := "SELECT * FROM (" + currentPosts(cand) + ")"
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	return sqlText, args
}

// accountsMatching returns a query of the ids of the accounts whose latest
// snapshot is in q's Area and names a servant whose name holds q's Servant,
// and its arguments; "" when q asks for neither.
func accountsMatching(q archive.Query) (string, []any) {
	var where []string
	var args []any
	if q.Area != "" {
		where, args = append(where, "area = ?"), append(args, q.Area)
	}
	if q.Servant != "" {
		where, args = append(where, "contains(strip_accents(lower(servant_name)), strip_accents(lower(?)))"), append(args, q.Servant)
	}
	if len(where) == 0 {
		return "", nil
	}
	return `SELECT account_id FROM (
			SELECT account_id, area, servant_name FROM accounts
			QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY recorded_at DESC) = 1
		) WHERE ` + strings.Join(where, " AND "), args
}
