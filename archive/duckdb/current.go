package duckdb

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vigia-mx/vigia/archive"
)

// heads is post_heads (see heads.go) with the decision that stands for each
// post worked out (on its latest version: a person's over any rule's or
// model's; otherwise the latest; otherwise undetermined), whether a person
// decided any version, whether it is gone at its source, and its account's
// type and area: the current_posts view of
// migrations/0006_version_decisions.sql without the versions' wide columns, which
// Search reads only for the page it returns. The conformance suite and
// TestHeadsMatchTheView check that both give the same posts.
// headsJoined is heads with a join on post_heads h, and the columns also
// of the other side: joined to the table itself, the other side's keys
// filter the scan of post_heads.
func headsJoined(join, also string) string {
	return `SELECT ` + also + `h.network, h.account_id, h.post_id, h.version, h.versions, h.published_at, h.edited,
       h.content_sha256, h.captured_at,
       coalesce(h.p_label, h.s_label, 'undetermined') AS label,
       coalesce(h.p_confidence, h.s_confidence, 0)    AS confidence,
       coalesce(h.p_basis, h.s_basis, '')             AS basis,
       coalesce(h.p_decided_by, h.s_decided_by, '')   AS decided_by,
       coalesce(h.p_decided_at, h.s_decided_at)       AS decided_at,
       CASE WHEN h.gone_kind = 'deleted_at_source' THEN h.deleted_at END AS deleted_at_source,
       coalesce(a.type, '') AS account_type,
       coalesce(a.area, '') AS area,
       h.reviewed
FROM post_heads h` + join + `
LEFT JOIN (
    SELECT account_id, type, area
    FROM accounts
    QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY recorded_at DESC) = 1
) a ON a.account_id = h.account_id
WHERE h.version > 0`
}

var heads = headsJoined("", "")

// matching returns the query of the posts q selects (every column of
// heads, in no order; q's Limit and Offset aside) and its arguments: what
// Search pages through and Facets counts.
func matching(q archive.Query) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, arg ...any) {
		where = append(where, cond)
		args = append(args, arg...)
	}
	from := "(" + heads + ")"
	if q.Text != "" {
		// A post matches when its latest version does: the versions that
		// hold the term, joined to the heads by key and version. Versions
		// stored before text_folded existed fold their text here.
		folded := archive.FoldText(q.Text)
		from = "(" + headsJoined(` JOIN (
				SELECT DISTINCT network, account_id, post_id, version FROM post_versions
				WHERE contains(text_folded, ?) OR (text_folded IS NULL AND contains(strip_accents(lower(text)), ?))
			) c ON h.network = c.network AND h.account_id = c.account_id AND h.post_id = c.post_id AND h.version = c.version`, "") + ")"
		args = append(args, folded, folded)
	}
	if q.Account != "" {
		add("account_id = ?", q.Account)
	}
	if q.Public {
		// archive.Visibility.Admits
		add("label = 'function' AND (decided_by LIKE 'person:%' OR (NOT reviewed AND (decided_by LIKE 'rule:%' OR confidence >= ?)))",
			q.Visibility.ModelFloor())
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
	if accts, acctArgs := accountsMatching(q); accts != "" {
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
		add("decided_by NOT LIKE 'person:%' AND (reviewed OR label = 'undetermined' OR confidence < ? OR "+belowThreshold("", q.Visibility)+")", q.NeedsReview)
	}
	sqlText := "SELECT * FROM " + from
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

// belowThreshold is the condition on a row of heads (its columns prefixed
// by t) of archive.Visibility.BelowThreshold: a model's function decision
// that the publication threshold keeps from the public. The threshold is
// written as a literal (a float formatted by Go) so that it can stand in
// an ORDER BY too.
func belowThreshold(t string, v archive.Visibility) string {
	return fmt.Sprintf("(%[1]slabel = 'function' AND %[1]sdecided_by NOT LIKE 'person:%%' AND %[1]sdecided_by NOT LIKE 'rule:%%' AND %[1]sconfidence < CAST(%[2]s AS DOUBLE))",
		t, strconv.FormatFloat(v.ModelFloor(), 'g', -1, 64))
}

// reviewOrder is the review queue's order (archive.ReviewRank, then the
// closest to publication first among the model's function decisions below
// the threshold, then oldest first) of heads' rows, their columns prefixed
// by t.
func reviewOrder(t string, v archive.Visibility) string {
	below := belowThreshold(t, v)
	return fmt.Sprintf(` ORDER BY CASE WHEN %[1]sreviewed THEN 0 WHEN %[2]s THEN 1 WHEN %[1]slabel = 'undetermined' THEN 2 ELSE 3 END,
		CASE WHEN NOT %[1]sreviewed AND %[2]s THEN %[1]sconfidence END DESC NULLS LAST,
		%[1]spublished_at ASC NULLS FIRST, %[1]snetwork, %[1]saccount_id, %[1]spost_id`, t, below)
}
