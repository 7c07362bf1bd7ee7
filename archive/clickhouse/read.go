package clickhouse

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/ext"

	"github.com/vigia-mx/vigia/archive"
)

// currentPosts is the latest version of every post with the decision that
// stands for it (a person's over any rule's or model's; otherwise the latest
// on that version), whether it is gone at its source, and its account's type
// and area: DuckDB's current_posts view, in SQL that ClickHouse 18.16 runs
// (argMax instead of window functions; one JOIN per SELECT). keys, when not
// empty, is a condition on account_id and network applied inside, before
// the grouping, so that one account's posts are all that is read; its
// arguments are needed four times (keyArgs).
func (s *Store) currentPosts(keys string) string {
	db := s.db
	where, and := "", ""
	if keys != "" {
		where, and = " WHERE "+keys, " AND "+keys
	}
	latest := `SELECT network, account_id, post_id, max(version) AS latest_version, count() AS versions,
			argMax(url, version) AS url, argMax(author, version) AS author, argMax(published_at, version) AS published_at,
			argMax(edited_at, version) AS edited_at, argMax(edited, version) AS edited, argMax(captured_at, version) AS captured_at,
			argMax(text, version) AS text, argMax(text_folded, version) AS text_folded, argMax(language, version) AS language,
			argMax(reply_to, version) AS reply_to, argMax(repost_of, version) AS repost_of, argMax(media, version) AS media,
			argMax(metrics, version) AS metrics, argMax(content_sha256, version) AS content_sha256,
			argMax(source_url, version) AS source_url, argMax(crawler_version, version) AS crawler_version,
			argMax(run_id, version) AS run_id, argMax(warc_file, version) AS warc_file,
			argMax(warc_record_id, version) AS warc_record_id, argMax(warc_offset, version) AS warc_offset,
			argMax(warc_digest, version) AS warc_digest
		FROM ` + db + `.post_versions` + where + ` GROUP BY network, account_id, post_id`
	// A person's decision outranks any other; among equals the latest wins.
	rank := `(decided_by LIKE 'person:%') * 100000000000000000 + decided_at`
	standing := `SELECT network, account_id, post_id,
			argMax(label, ` + rank + `) AS d_label, argMax(confidence, ` + rank + `) AS d_confidence,
			argMax(basis, ` + rank + `) AS d_basis, argMax(rationale, ` + rank + `) AS d_rationale,
			argMax(decided_by, ` + rank + `) AS d_decided_by, argMax(decided_at, ` + rank + `) AS d_decided_at
		FROM (
			SELECT * FROM (SELECT * FROM ` + db + `.decisions` + where + `) ALL INNER JOIN (
				SELECT network, account_id, post_id, argMax(content_sha256, version) AS latest_sha
				FROM ` + db + `.post_versions` + where + ` GROUP BY network, account_id, post_id
			) USING (network, account_id, post_id)
			WHERE decided_by LIKE 'person:%' OR content_sha256 = latest_sha
		) GROUP BY network, account_id, post_id`
	gone := `SELECT network, account_id, post_id, argMax(kind, observed_at) AS last_kind,
			maxIf(observed_at, kind = 'deleted_at_source') AS deleted_at
		FROM ` + db + `.events WHERE kind IN ('deleted_at_source', 'restored')` + and + ` GROUP BY network, account_id, post_id`
	acct := `SELECT account_id, argMax(type, recorded_at) AS account_type, argMax(area, recorded_at) AS area
		FROM ` + db + `.accounts GROUP BY account_id`
	return `SELECT *, if(d_label = '', 'undetermined', d_label) AS label,
			if(last_kind = 'deleted_at_source', deleted_at, 0) AS deleted_at_source
		FROM (
			SELECT * FROM (
				SELECT * FROM (` + latest + `) ANY LEFT JOIN (` + standing + `) USING (network, account_id, post_id)
			) ANY LEFT JOIN (` + gone + `) USING (network, account_id, post_id)
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
	// Account and network narrow the reading of every table.
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
	// match a term, await review or stand deleted, found cheaply once:
	// 18.16 would run a subquery again in each part of the query.
	if q.Area != "" || q.Servant != "" {
		t, err := s.accountsMatching(ctx, q)
		if err != nil {
			return nil, "", nil, err
		}
		keys, external = append(keys, "account_id IN _accounts"), append(external, t)
	}
	var cand string
	var candArg []any
	switch {
	case q.Text != "":
		cand, candArg = "SELECT DISTINCT account_id, network, post_id FROM "+s.db+".post_versions WHERE position(text_folded, ?) > 0", []any{archive.FoldText(q.Text)}
	case q.NeedsReview > 0:
		// (Every post version the crawler archives comes with a decision.)
		cand, candArg = "SELECT DISTINCT account_id, network, post_id FROM "+s.db+".decisions WHERE label = 'undetermined' OR confidence < ?", []any{q.NeedsReview}
	case q.Deleted:
		cand = "SELECT DISTINCT account_id, network, post_id FROM " + s.db + ".events WHERE kind = 'deleted_at_source'"
	case !q.From.IsZero() && q.Account == "" && q.Area == "" && q.Servant == "":
		// The posts published in the period (a version's date stands for
		// the post's: the outer filter reads the latest's); an account
		// narrows better through the primary index.
		cand, candArg = "SELECT DISTINCT account_id, network, post_id FROM "+s.db+".post_versions WHERE published_at >= ?", []any{us(q.From)}
		if !q.To.IsZero() {
			cand, candArg = cand+" AND published_at < ?", append(candArg, us(q.To))
		}
	}
	if cand != "" {
		t, err := s.candidates(ctx, cand, candArg...)
		if err != nil {
			return nil, "", nil, err
		}
		// Sent as a table of keys of the tables' sort order, the
		// candidates are found through the primary index.
		if t == nil { // too many to send: let each part run the subquery
			keys, keyArgs = append(keys, "(account_id, network, post_id) IN ("+cand+")"), append(keyArgs, candArg...)
		} else {
			keys, external = append(keys, "(account_id, network, post_id) IN _candidates"), append(external, t)
		}
	}
	for range 4 { // latest, decisions, their latest hashes, events
		args = append(args, keyArgs...)
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
	if q.Text != "" {
		add("position(text_folded, ?) > 0", archive.FoldText(q.Text))
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
		add("d_decided_by NOT LIKE 'person:%' AND (label = 'undetermined' OR d_confidence < ?)", q.NeedsReview)
	}
	from := "SELECT * FROM (" + s.currentPosts(strings.Join(keys, " AND ")) + ")"
	if len(where) > 0 {
		from += " WHERE " + strings.Join(where, " AND ")
	}
	if len(external) > 0 {
		ctx = clickhouse.Context(ctx, clickhouse.WithExternalTable(external...))
	}
	return ctx, from, args, nil
}

// Search returns the latest version of matching posts, newest first.
func (s *Store) Search(ctx context.Context, q archive.Query) (*archive.Result, error) {
	ctx, from, args, err := s.matching(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search archive %q: %w", s.name, err)
	}
	order := " ORDER BY published_at DESC, network, account_id, post_id"
	if q.NeedsReview > 0 {
		order = " ORDER BY published_at ASC, network, account_id, post_id"
	}
	fail := func(err error) (*archive.Result, error) {
		return nil, fmt.Errorf("search archive %q: %w", s.name, err)
	}
	res := &archive.Result{Total: -1}
	sqlText := `SELECT network, account_id, post_id, latest_version, versions, url, author, published_at, edited_at, edited,
			captured_at, text, language, reply_to, repost_of, media, metrics, content_sha256, source_url, crawler_version,
			run_id, warc_file, warc_record_id, warc_offset, warc_digest, label, d_confidence, d_basis, d_rationale,
			d_decided_by, d_decided_at, deleted_at_source, account_type, area
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
	counting := clickhouse.Context(ctx, clickhouse.WithProfileInfo(func(p *clickhouse.ProfileInfo) {
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
		var published, edited, captured, decided, deleted int64
		var editedFlag uint8
		var media, metrics, network, label string
		if err := rows.Scan(&network, &p.AccountID, &p.PostID, &version, &versions, &p.URL, &p.Author, &published, &edited, &editedFlag,
			&captured, &p.Text, &p.Language, &p.ReplyTo, &p.RepostOf, &media, &metrics, &p.ContentSHA256, &p.SourceURL, &p.CrawlerVersion,
			&p.RunID, &p.WARC.File, &p.WARC.RecordID, &p.WARC.Offset, &p.WARC.Digest, &label, &d.Confidence, &d.Basis, &d.Rationale,
			&d.DecidedBy, &decided, &deleted, &h.AccountType, &h.Area); err != nil {
			return fail(err)
		}
		p.Network, p.Version, h.Versions, p.Edited = archive.Network(network), int(version), int(versions), editedFlag == 1
		p.PublishedAt, p.EditedAt, p.CapturedAt = fromUS(published), fromUS(edited), fromUS(captured)
		d.Label, d.DecidedAt, h.DeletedAtSource = archive.Label(label), fromUS(decided), fromUS(deleted)
		d.Network, d.AccountID, d.PostID = p.Network, p.AccountID, p.PostID
		if err := decodeMediaMetrics(p, media, metrics); err != nil {
			return fail(fmt.Errorf("post %s: %w", p.PostID, err))
		}
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
		if err := s.conn.QueryRow(ctx, "SELECT count() FROM ("+from+")", args...).Scan(&total); err != nil {
			return fail(err)
		}
		res.Total = int(total)
	}
	return res, nil
}

// Heads returns the latest hash, version and publication time of every post
// of the accounts, and whether it stands deleted at its source.
func (s *Store) Heads(ctx context.Context, accountIDs []string) (map[archive.Key]archive.Head, error) {
	filter, args := accountFilter(accountIDs)
	fail := func(err error) (map[archive.Key]archive.Head, error) {
		return nil, fmt.Errorf("read heads from archive %q: %w", s.name, err)
	}
	rows, err := s.conn.Query(ctx, `SELECT network, account_id, post_id, argMax(content_sha256, version), max(version),
			argMax(published_at, version)
		FROM `+s.db+`.post_versions`+filter+` GROUP BY network, account_id, post_id`, args...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	heads := map[archive.Key]archive.Head{}
	for rows.Next() {
		var k archive.Key
		var h archive.Head
		var network string
		var version int32
		var published int64
		if err := rows.Scan(&network, &k.AccountID, &k.PostID, &h.ContentSHA256, &version, &published); err != nil {
			return fail(err)
		}
		k.Network, h.Version, h.PublishedAt = archive.Network(network), int(version), fromUS(published)
		heads[k] = h
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	gone, err := s.conn.Query(ctx, `SELECT network, account_id, post_id, argMax(kind, observed_at)
		FROM `+s.db+`.events`+filter+andOrWhere(filter)+`kind IN ('deleted_at_source', 'restored')
		GROUP BY network, account_id, post_id`, args...)
	if err != nil {
		return fail(err)
	}
	defer gone.Close()
	for gone.Next() {
		var k archive.Key
		var network, kind string
		if err := gone.Scan(&network, &k.AccountID, &k.PostID, &kind); err != nil {
			return fail(err)
		}
		k.Network = archive.Network(network)
		if h, ok := heads[k]; ok {
			h.Deleted = kind == string(archive.DeletedAtSource)
			heads[k] = h
		}
	}
	if err := gone.Err(); err != nil {
		return fail(err)
	}
	return heads, nil
}

func accountFilter(ids []string) (string, []any) {
	if len(ids) == 0 {
		return "", nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return " WHERE account_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

func andOrWhere(filter string) string {
	if filter == "" {
		return " WHERE "
	}
	return " AND "
}

// Accounts returns the latest snapshot of every account.
func (s *Store) Accounts(ctx context.Context) ([]archive.Account, error) {
	rows, err := s.conn.Query(ctx, `SELECT `+accountColumns+`
		FROM `+s.db+`.accounts ORDER BY account_id, recorded_at DESC LIMIT 1 BY account_id`)
	if err != nil {
		return nil, fmt.Errorf("read accounts from archive %q: %w", s.name, err)
	}
	defer rows.Close()
	var out []archive.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("read accounts from archive %q: %w", s.name, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Summary counts posts, versions, labels and events per account.
func (s *Store) Summary(ctx context.Context) ([]archive.AccountSummary, error) {
	fail := func(err error) ([]archive.AccountSummary, error) {
		return nil, fmt.Errorf("summarise archive %q: %w", s.name, err)
	}
	byID := map[string]*archive.AccountSummary{}
	get := func(id string) *archive.AccountSummary {
		a, ok := byID[id]
		if !ok {
			a = &archive.AccountSummary{AccountID: id, Labels: map[archive.Label]int{}, Events: map[archive.EventKind]int{}}
			byID[id] = a
		}
		return a
	}
	rows, err := s.conn.Query(ctx, `SELECT account_id, any(network), any(account_type), label, count(), sum(versions),
			countIf(edited = 1 OR versions > 1)
		FROM (`+s.currentPosts("")+`) GROUP BY account_id, label`)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, network, typ, label string
		var posts, versions, edited uint64
		if err := rows.Scan(&id, &network, &typ, &label, &posts, &versions, &edited); err != nil {
			return fail(err)
		}
		a := get(id)
		a.Network, a.Type = archive.Network(network), typ
		a.Posts += int(posts)
		a.Versions += int(versions)
		a.Edited += int(edited)
		a.Labels[archive.Label(label)] = int(posts)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	erows, err := s.conn.Query(ctx, `SELECT account_id, kind, count() FROM `+s.db+`.events GROUP BY account_id, kind`)
	if err != nil {
		return fail(err)
	}
	defer erows.Close()
	for erows.Next() {
		var id, kind string
		var n uint64
		if err := erows.Scan(&id, &kind, &n); err != nil {
			return fail(err)
		}
		get(id).Events[archive.EventKind(kind)] = int(n)
	}
	if err := erows.Err(); err != nil {
		return fail(err)
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]archive.AccountSummary, 0, len(ids))
	for _, id := range ids {
		out = append(out, *byID[id])
	}
	return out, nil
}

func decodeMedia(what, media string) ([]archive.Media, error) {
	var ms []archive.Media
	if err := json.Unmarshal([]byte(media), &ms); err != nil {
		return nil, fmt.Errorf("post %s: decode media: %w", what, err)
	}
	return ms, nil
}

// accountsMatching returns, as the external table _accounts, the ids of
// the accounts whose latest snapshot is in q's Area and names a servant
// whose name holds q's Servant (case and accents aside). The names are
// compared here, folded as texts are, for 18.16 has no function that
// strips accents; there are as many as accounts in the directory.
func (s *Store) accountsMatching(ctx context.Context, q archive.Query) (*ext.Table, error) {
	rows, err := s.conn.Query(ctx, `SELECT account_id, argMax(area, recorded_at), argMax(servant_name, recorded_at)
		FROM `+s.db+`.accounts GROUP BY account_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t, err := ext.NewTable("_accounts", ext.Column("account_id", "String"))
	if err != nil {
		return nil, err
	}
	servant := archive.FoldText(q.Servant)
	for rows.Next() {
		var id, area, name string
		if err := rows.Scan(&id, &area, &name); err != nil {
			return nil, err
		}
		if q.Area != "" && area != q.Area || !strings.Contains(archive.FoldText(name), servant) {
			continue
		}
		if err := t.Append(id); err != nil {
			return nil, err
		}
	}
	return t, rows.Err()
}

// maxCandidates is the most post keys a search sends along with its query.
const maxCandidates = 200_000 // a few MB

// candidates runs a query of post keys (account, network, id) and returns
// them as the external table _candidates, sent with the search, or nil when
// there are more than maxCandidates.
func (s *Store) candidates(ctx context.Context, query string, args ...any) (*ext.Table, error) {
	rows, err := s.conn.Query(ctx, query+fmt.Sprintf(" LIMIT %d", maxCandidates+1), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t, err := ext.NewTable("_candidates", ext.Column("account_id", "String"), ext.Column("network", "String"), ext.Column("post_id", "String"))
	if err != nil {
		return nil, err
	}
	n := 0
	for rows.Next() {
		var acct, network, id string
		if err := rows.Scan(&acct, &network, &id); err != nil {
			return nil, err
		}
		if n++; n > maxCandidates {
			return nil, nil
		}
		if err := t.Append(acct, network, id); err != nil {
			return nil, err
		}
	}
	return t, rows.Err()
}
