package clickhouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/ext"

	"github.com/vigia-mx/vigia/archive"
)

// currentPosts is the current state of every post: its latest version's
// number, dates, flag and hash, how many versions it has, the decision that
// stands for its latest version (a person's on that version over any rule's
// or model's on it; otherwise the latest on it), whether a person decided
// any version (reviewed), whether it is gone at its source, and its
// account's type and area. It is DuckDB's current_posts view without the
// versions' wide columns, which Search reads only for the page it returns,
// merged from the states of post_heads (heads.go), in SQL that ClickHouse
// 18.16 runs: each post's decisions come as an array, the standing one
// chosen from it.
//
// The states are merged by reading the table FINAL, which merges the rows
// of a post as the sorted parts are read, and finalizeAggregation then
// gives each merged state's value: the same values as merging them with
// GROUP BY, at about a tenth of the cost for the whole archive (no hash
// table of a million string keys). On a cluster each shard merges its own
// posts: a post's rows are all on one shard (sharded by account).
// Every filter on post_heads itself is on its key columns, so it keeps or
// drops all the rows of a post alike and may run before the merge (18.16
// moves WHERE to PREWHERE, which runs before it); the condition on the
// merged versions is a query outside.
//
// keys, when not empty, is a condition on account_id and network, so that
// one account's posts are all that is read; its arguments are needed once.
// candidates, when set, keeps to the posts whose ids are in the external
// table _candidates (as a PREWHERE: one string column is compared, the rest
// is read only for the rows that pass).
func (s *Store) currentPosts(keys string, candidates bool) string {
	filter := ""
	if candidates {
		filter = " PREWHERE post_id IN (SELECT post_id FROM _candidates)"
	}
	if keys != "" {
		filter += " WHERE " + keys
	}
	posts := `SELECT account_id, network, post_id,
			finalizeAggregation(heads.latest_version) AS latest_version, finalizeAggregation(heads.versions) AS versions,
			finalizeAggregation(latest_published) AS published_at, finalizeAggregation(latest_edited) AS edited,
			finalizeAggregation(latest_captured) AS captured_at, finalizeAggregation(latest_sha) AS sha,
			finalizeAggregation(heads.decisions) AS decided, finalizeAggregation(last_gone) AS last_kind,
			finalizeAggregation(last_deleted) AS deleted_at
		FROM ` + s.db + `.post_heads AS heads FINAL` + filter
	// (An aggregate's alias that is the name of its column reads the column
	// qualified: the analyzer of current releases would read the alias.
	// 18.16 drops from a subquery the columns that only a lambda reads:
	// the latest hash reaches the lambda as an argument.)
	standing := `SELECT *, arrayElement(arrayReverseSort(d -> d.2,
			arrayFilter((d, h) -> d.1 = h, decided, replicate(sha, decided))), 1) AS standing,
			arrayExists(d -> d.2 >= ` + personRank + `, decided) AS reviewed
		FROM (` + posts + `)
		WHERE versions > 0`
	acct := `SELECT account_id, argMax(type, recorded_at) AS account_type, argMax(acc.area, recorded_at) AS area
		FROM ` + s.db + `.accounts AS acc GROUP BY account_id`
	return `SELECT *, if(d_label = '', 'undetermined', d_label) AS label,
			if(last_kind = 'deleted_at_source', deleted_at, 0) AS deleted_at_source
		FROM (
			SELECT *, tupleElement(standing, 3) AS d_label, tupleElement(standing, 4) AS d_confidence,
				tupleElement(standing, 5) AS d_basis, tupleElement(standing, 6) AS d_decided_by,
				tupleElement(standing, 7) AS d_decided_at
			FROM (` + standing + `)
		) ANY LEFT JOIN (` + acct + `) USING account_id`
}

// matching returns the query of the current posts q selects (every column
// of currentPosts, in no order; q's Limit and Offset aside), its arguments,
// and the context to run it in, which carries the external tables it reads:
// what Search pages through and Facets counts.
func (s *Store) matching(ctx context.Context, q archive.Query) (context.Context, string, []any, error) {
	var where []string
	var args []any
	add := func(cond string, arg ...any) {
		where = append(where, cond)
		args = append(args, arg...)
	}
	// Account and network narrow the reading of post_heads through its
	// primary index.
	var keys []string
	var keyArgs []any
	if q.Account != "" {
		keys, keyArgs = append(keys, "account_id = ?"), append(keyArgs, q.Account)
	}
	if q.Network != "" {
		keys, keyArgs = append(keys, "network = ?"), append(keyArgs, string(q.Network))
	}
	var external []*ext.Table
	// So do the accounts of an area or a servant, and the posts that may
	// match a term, await review or stand deleted, found cheaply first and
	// sent with the query: 18.16 would run a subquery again wherever the
	// query names it.
	if q.Area != "" || q.Servant != "" {
		t, err := s.accountsMatching(ctx, q)
		if err != nil {
			return nil, "", nil, err
		}
		keys, external = append(keys, "account_id IN _accounts"), append(external, t)
	}
	// The candidates are keys with a version: for a term, the versions
	// that hold it, of which a post matches when its latest does; for the
	// others, the outer filters decide and the version is not read.
	var cand string
	var candArg []any
	switch {
	case q.Text != "":
		cand, candArg = "SELECT DISTINCT account_id, network, post_id, version FROM "+s.db+".post_versions WHERE position(text_folded, ?) > 0", []any{archive.FoldText(q.Text)}
	case q.NeedsReview > 0:
		// (Every post version the crawler archives comes with a decision.)
		cand, candArg = "SELECT DISTINCT account_id, network, post_id, toInt32(0) FROM "+s.db+".decisions WHERE label = 'undetermined' OR confidence < ? OR decided_by LIKE 'person:%' OR "+
			"(label = 'function' AND decided_by NOT LIKE 'rule:%' AND confidence < ?)", []any{q.NeedsReview, q.Visibility.ModelFloor()}
	case q.Deleted:
		cand = "SELECT DISTINCT account_id, network, post_id, toInt32(0) FROM " + s.db + ".events WHERE kind = 'deleted_at_source'"
	case !q.From.IsZero() && q.Account == "" && q.Area == "" && q.Servant == "":
		// The posts published in the period (a version's date stands for
		// the post's: the outer filter reads the latest's); an account
		// narrows better through the primary index.
		cand, candArg = "SELECT DISTINCT account_id, network, post_id, toInt32(0) FROM "+s.db+".post_versions WHERE published_at >= ?", []any{us(q.From)}
		if !q.To.IsZero() {
			cand, candArg = cand+" AND published_at < ?", append(candArg, us(q.To))
		}
	}
	var t *ext.Table
	if cand != "" {
		var err error
		if t, err = s.candidates(ctx, cand, candArg...); err != nil {
			return nil, "", nil, err
		}
	}
	args = append(args, keyArgs...)
	switch {
	case t != nil:
		external = append(external, t)
		if q.Text != "" {
			add("(account_id, network, post_id, latest_version) IN _candidates")
		} else {
			add("(account_id, network, post_id) IN (SELECT account_id, network, post_id FROM _candidates)")
		}
	case q.Text != "": // too many to send: the server finds them again
		add("(account_id, network, post_id, latest_version) IN ("+cand+")", candArg...)
	}
	if q.Label != "" {
		add("label = ?", string(q.Label))
	}
	if len(q.Labels) > 0 {
		labels := make([]any, len(q.Labels))
		for i, l := range q.Labels {
			labels[i] = string(l)
		}
		add("label IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(labels)), ", ")+")", labels...)
	}
	if !q.From.IsZero() {
		add("published_at >= ?", us(q.From))
	}
	if !q.To.IsZero() {
		add("published_at < ?", us(q.To))
	}
	if q.Basis != "" {
		add("d_basis = ?", q.Basis)
	}
	if q.Edited {
		add("(edited = 1 OR versions > 1)")
	}
	if q.Deleted {
		add("deleted_at_source != 0")
	}
	if q.NeedsReview > 0 {
		add("d_decided_by NOT LIKE 'person:%' AND (reviewed OR label = 'undetermined' OR d_confidence < ? OR "+belowThreshold(q.Visibility)+")", q.NeedsReview)
	}
	if q.Public {
		// archive.Visibility.Admits
		add("label = 'function' AND (d_decided_by LIKE 'person:%' OR (NOT reviewed AND (d_decided_by LIKE 'rule:%' OR d_confidence >= ?)))",
			q.Visibility.ModelFloor())
	}
	from := "SELECT * FROM (" + s.currentPosts(strings.Join(keys, " AND "), t != nil) + ")"
	if len(where) > 0 {
		from += " WHERE " + strings.Join(where, " AND ")
	}
	if len(external) > 0 {
		ctx = clickhouse.Context(ctx, clickhouse.WithExternalTable(external...))
	}
	return ctx, from, args, nil
}

// maxCandidates is the most post keys a search sends along with its query.
const maxCandidates = 200_000 // a few MB

// candidates runs a query of post keys with a version (account, network,
// id, version) and returns them as the external table _candidates, sent
// with the search, or nil when there are more than maxCandidates.
func (s *Store) candidates(ctx context.Context, query string, args ...any) (*ext.Table, error) {
	rows, err := s.conn.Query(ctx, query+fmt.Sprintf(" LIMIT %d", maxCandidates+1), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t, err := ext.NewTable("_candidates", ext.Column("account_id", "String"), ext.Column("network", "String"),
		ext.Column("post_id", "String"), ext.Column("version", "Int32"))
	if err != nil {
		return nil, err
	}
	n := 0
	for rows.Next() {
		var acct, network, id string
		var version int32
		if err := rows.Scan(&acct, &network, &id, &version); err != nil {
			return nil, err
		}
		if n++; n > maxCandidates {
			return nil, nil
		}
		if err := t.Append(acct, network, id, version); err != nil {
			return nil, err
		}
	}
	return t, rows.Err()
}

// Search returns the latest version of matching posts, newest first. It
// chooses the page from the posts' current state, then reads the page's
// versions and decisions in full (fill).
func (s *Store) Search(ctx context.Context, q archive.Query) (*archive.Result, error) {
	fail := func(err error) (*archive.Result, error) {
		return nil, fmt.Errorf("search archive %q: %w", s.name, err)
	}
	mctx, from, args, err := s.matching(ctx, q)
	if err != nil {
		return fail(err)
	}
	order := " ORDER BY published_at DESC, network, account_id, post_id"
	if q.NeedsReview > 0 {
		order = reviewOrder(q.Visibility)
	}
	res := &archive.Result{Total: -1}
	sqlText := `SELECT network, account_id, post_id, latest_version, versions, published_at, edited, captured_at,
			label, d_confidence, d_basis, d_decided_by, d_decided_at, deleted_at_source, account_type, area, reviewed
		FROM (` + from + `)` + order
	if q.Limit > 0 || q.Offset > 0 {
		limit := q.Limit
		if limit <= 0 {
			limit = 1 << 62
		}
		sqlText += fmt.Sprintf(" LIMIT %d, %d", q.Offset, limit)
	}
	// The server counts the rows that reached the LIMIT, which saves
	// running the whole query again to count them.
	var counted uint64
	counting := clickhouse.Context(mctx, clickhouse.WithProfileInfo(func(p *clickhouse.ProfileInfo) {
		if p.CalculatedRowsBeforeLimit {
			counted = max(counted, p.RowsBeforeLimit)
			res.Total = int(counted)
		}
	}))
	rows, err := s.conn.Query(counting, sqlText, args...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var h archive.Hit
		p, d := &h.Post, &h.Decision
		var version int32
		var versions uint64
		var published, captured, decided, deleted int64
		var editedFlag, reviewed uint8
		var network, label string
		if err := rows.Scan(&network, &p.AccountID, &p.PostID, &version, &versions, &published, &editedFlag, &captured,
			&label, &d.Confidence, &d.Basis, &d.DecidedBy, &decided, &deleted, &h.AccountType, &h.Area, &reviewed); err != nil {
			return fail(err)
		}
		p.Network, p.Version, h.Versions, p.Edited, h.Reviewed = archive.Network(network), int(version), int(versions), editedFlag == 1, reviewed == 1
		p.PublishedAt, p.CapturedAt = fromUS(published), fromUS(captured)
		d.Network, d.AccountID, d.PostID = p.Network, p.AccountID, p.PostID
		d.Label, d.DecidedAt, h.DeletedAtSource = archive.Label(label), fromUS(decided), fromUS(deleted)
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	rows.Close() // the profile arrives with the end of the stream
	switch {
	case q.Limit <= 0 && q.Offset <= 0:
		res.Total = len(res.Hits)
	case res.Total < 0 || (len(res.Hits) > 0 && res.Total < q.Offset+len(res.Hits)):
		var total uint64
		if err := s.conn.QueryRow(mctx, "SELECT count() FROM ("+from+")", args...).Scan(&total); err != nil {
			return fail(err)
		}
		res.Total = int(total)
	}
	for i := 0; i < len(res.Hits); i += fillBatch {
		if err := s.fill(ctx, res.Hits[i:min(i+fillBatch, len(res.Hits))]); err != nil {
			return fail(err)
		}
	}
	return res, nil
}

// fillBatch is the most hits fill reads at once.
const fillBatch = 10_000

// fill reads the rest of the hits' latest versions, and the rationale of
// the decisions that stand for them, through the tables' primary index;
// the span of their dates leaves out the parts that cannot hold them (a
// page of posts of a few days reads a few parts).
func (s *Store) fill(ctx context.Context, hits []archive.Hit) error {
	page := func() (context.Context, error) {
		t, err := ext.NewTable("_page", ext.Column("account_id", "String"), ext.Column("network", "String"),
			ext.Column("post_id", "String"), ext.Column("version", "Int32"))
		if err != nil {
			return nil, err
		}
		for i := range hits {
			p := &hits[i].Post
			if err := t.Append(p.AccountID, string(p.Network), p.PostID, int32(p.Version)); err != nil {
				return nil, err
			}
		}
		return clickhouse.Context(ctx, clickhouse.WithExternalTable(t)), nil
	}
	at := make(map[archive.Key]*archive.Hit, len(hits))
	var captured, decided span
	for i := range hits {
		h := &hits[i]
		at[h.Key()] = h
		captured.add(us(h.CapturedAt))
		if h.Decision.DecidedBy != "" {
			decided.add(us(h.Decision.DecidedAt))
		}
	}
	vctx, err := page()
	if err != nil {
		return err
	}
	rows, err := s.conn.Query(vctx, `SELECT network, account_id, post_id, content_sha256, url, author, edited_at, text,
			language, reply_to, repost_of, media, metrics, source_url, crawler_version, run_id,
			warc_file, warc_record_id, warc_offset, warc_digest, shared
		FROM `+s.db+`.post_versions
		WHERE captured_at BETWEEN ? AND ? AND (account_id, network, post_id, version) IN _page`, captured.min, captured.max)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v archive.Post
		var network, media, metrics, shared string
		var edited int64
		if err := rows.Scan(&network, &v.AccountID, &v.PostID, &v.ContentSHA256, &v.URL, &v.Author, &edited, &v.Text,
			&v.Language, &v.ReplyTo, &v.RepostOf, &media, &metrics, &v.SourceURL, &v.CrawlerVersion, &v.RunID,
			&v.WARC.File, &v.WARC.RecordID, &v.WARC.Offset, &v.WARC.Digest, &shared); err != nil {
			return err
		}
		v.Network = archive.Network(network)
		h := at[v.Key()]
		if h == nil {
			continue
		}
		p := &h.Post
		p.ContentSHA256, p.URL, p.Author, p.EditedAt, p.Text = v.ContentSHA256, v.URL, v.Author, fromUS(edited), v.Text
		p.Language, p.ReplyTo, p.RepostOf, p.SourceURL = v.Language, v.ReplyTo, v.RepostOf, v.SourceURL
		p.CrawlerVersion, p.RunID, p.WARC = v.CrawlerVersion, v.RunID, v.WARC
		h.Decision.ContentSHA256 = v.ContentSHA256 // the standing decision is on the latest version
		if err := decodeMediaMetrics(p, media, metrics); err != nil {
			return fmt.Errorf("post %s: %w", p.PostID, err)
		}
		if err := decodeShared(p, shared); err != nil {
			return fmt.Errorf("post %s: %w", p.PostID, err)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !decided.set {
		return nil // no decision, no rationale
	}
	dctx, err := page()
	if err != nil {
		return err
	}
	drows, err := s.conn.Query(dctx, `SELECT network, account_id, post_id, label, decided_by, decided_at, rationale
		FROM `+s.db+`.decisions
		WHERE decided_at BETWEEN ? AND ? AND (account_id, network, post_id) IN (SELECT account_id, network, post_id FROM _page)`,
		decided.min, decided.max)
	if err != nil {
		return err
	}
	defer drows.Close()
	for drows.Next() {
		var k archive.Key
		var network, label, by, rationale string
		var decided int64
		if err := drows.Scan(&network, &k.AccountID, &k.PostID, &label, &by, &decided, &rationale); err != nil {
			return err
		}
		k.Network = archive.Network(network)
		if h := at[k]; h != nil && h.Decision.DecidedBy == by && us(h.Decision.DecidedAt) == decided && string(h.Decision.Label) == label {
			h.Decision.Rationale = rationale
		}
	}
	return drows.Err()
}

// span is the least and the greatest of some values.
type span struct {
	min, max int64
	set      bool
}

func (s *span) add(v int64) {
	if !s.set || v < s.min {
		s.min = v
	}
	if !s.set || v > s.max {
		s.max = v
	}
	s.set = true
}

// belowThreshold is the condition on a current post of
// archive.Visibility.BelowThreshold: a model's function decision that the
// publication threshold keeps from the public. The threshold is written as
// a literal (a float formatted by Go) so that it can stand in an ORDER BY
// too.
func belowThreshold(v archive.Visibility) string {
	return fmt.Sprintf("(label = 'function' AND d_decided_by NOT LIKE 'person:%%' AND d_decided_by NOT LIKE 'rule:%%' AND d_confidence < toFloat64(%s))",
		strconv.FormatFloat(v.ModelFloor(), 'g', -1, 64))
}

// reviewOrder is the review queue's order (archive.ReviewRank, then the
// closest to publication first among the model's function decisions below
// the threshold, then oldest first).
func reviewOrder(v archive.Visibility) string {
	below := belowThreshold(v)
	return fmt.Sprintf(` ORDER BY multiIf(reviewed, 0, %[1]s, 1, label = 'undetermined', 2, 3),
		if(NOT reviewed AND %[1]s, -d_confidence, toFloat64(0)), published_at ASC, network, account_id, post_id`, below)
}
