package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// Heads returns the latest hash, version and publication time of every post
// of the accounts, and whether it stands deleted at its source.
func (s *Store) Heads(ctx context.Context, accountIDs []string) (map[archive.Key]archive.Head, error) {
	q := `SELECT network, account_id, post_id, content_sha256, version, published_at,
			coalesce(gone_kind = 'deleted_at_source', false)
		FROM post_heads WHERE version > 0`
	var args []any
	if len(accountIDs) > 0 {
		q += ` AND account_id IN (` + placeholders(len(accountIDs)) + `)`
		for _, id := range accountIDs {
			args = append(args, id)
		}
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read heads from archive %q: %w", s.path, err)
	}
	defer rows.Close()
	heads := map[archive.Key]archive.Head{}
	for rows.Next() {
		var k archive.Key
		var h archive.Head
		var published sql.NullTime
		if err := rows.Scan(&k.Network, &k.AccountID, &k.PostID, &h.ContentSHA256, &h.Version, &published, &h.Deleted); err != nil {
			return nil, fmt.Errorf("read heads from archive %q: %w", s.path, err)
		}
		h.PublishedAt = published.Time
		heads[k] = h
	}
	return heads, rows.Err()
}

// Accounts returns the latest snapshot of every account.
func (s *Store) Accounts(ctx context.Context) ([]archive.Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+accountColumns+`
		FROM accounts
		QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY recorded_at DESC) = 1
		ORDER BY account_id`)
	if err != nil {
		return nil, fmt.Errorf("read accounts from archive %q: %w", s.path, err)
	}
	defer rows.Close()
	var out []archive.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("read accounts from archive %q: %w", s.path, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Search returns the latest version of matching posts, newest first.
func (s *Store) Search(ctx context.Context, q archive.Query) (*archive.Result, error) {
	from, args := matching(q)
	// newest first; a review queue in its own order
	order := func(t string) string {
		if q.NeedsReview > 0 {
			return reviewOrder(t, q.Visibility)
		}
		return fmt.Sprintf(" ORDER BY %[1]spublished_at DESC NULLS LAST, %[1]snetwork, %[1]saccount_id, %[1]spost_id", t)
	}
	// The page is chosen reading the few columns that order it; then its
	// posts only are read in full: their heads, their latest version, and
	// the rationale of the decision that stands.
	page := `SELECT network, account_id, post_id, published_at, count(*) OVER () AS total FROM (` + from + `)` + order("")
	if q.Limit > 0 {
		page += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	if q.Offset > 0 {
		page += fmt.Sprintf(" OFFSET %d", q.Offset)
	}
	sqlText := `WITH page AS (` + page + `)
		SELECT h.network, h.account_id, h.post_id, h.version, h.versions, coalesce(v.url, ''), coalesce(v.author, ''),
			v.published_at, v.edited_at, v.edited, v.captured_at, v.text, coalesce(v.language, ''),
			coalesce(v.reply_to, ''), coalesce(v.repost_of, ''), v.media, v.metrics, v.content_sha256,
			coalesce(v.source_url, ''), coalesce(v.crawler_version, ''), coalesce(v.run_id, ''),
			coalesce(v.warc_file, ''), coalesce(v.warc_record_id, ''), coalesce(v.warc_offset, 0), coalesce(v.warc_digest, ''), v.shared,
			h.label, h.confidence, h.basis, coalesce(d.rationale, ''), h.decided_by, h.decided_at, h.deleted_at_source,
			h.account_type, h.area, h.reviewed, h.total
		FROM (` + headsJoined(` JOIN page p ON h.network = p.network AND h.account_id = p.account_id AND h.post_id = p.post_id`, "p.total, ") + `) h
		JOIN post_versions v
			ON v.network = h.network AND v.account_id = h.account_id AND v.post_id = h.post_id AND v.version = h.version
			AND v.captured_at = h.captured_at -- (a key whose range skips most of the table)
		LEFT JOIN decisions d
			ON d.network = h.network AND d.account_id = h.account_id AND d.post_id = h.post_id
			AND d.content_sha256 = h.content_sha256
			AND d.decided_by = h.decided_by AND d.decided_at = h.decided_at AND d.label = h.label
		QUALIFY row_number() OVER (PARTITION BY h.network, h.account_id, h.post_id ORDER BY d.rationale) = 1` + order("h.")
	rows, err := s.db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("search archive %q: %w", s.path, err)
	}
	defer rows.Close()
	res := &archive.Result{}
	for rows.Next() {
		var h archive.Hit
		var published, edited, decidedAt, deleted sql.NullTime
		var media, metrics, shared sql.NullString
		p := &h.Post
		d := &h.Decision
		if err := rows.Scan(&p.Network, &p.AccountID, &p.PostID, &p.Version, &h.Versions, &p.URL, &p.Author,
			&published, &edited, &p.Edited, &p.CapturedAt, &p.Text, &p.Language,
			&p.ReplyTo, &p.RepostOf, &media, &metrics, &p.ContentSHA256,
			&p.SourceURL, &p.CrawlerVersion, &p.RunID,
			&p.WARC.File, &p.WARC.RecordID, &p.WARC.Offset, &p.WARC.Digest, &shared,
			&d.Label, &d.Confidence, &d.Basis, &d.Rationale, &d.DecidedBy, &decidedAt, &deleted,
			&h.AccountType, &h.Area, &h.Reviewed, &res.Total); err != nil {
			return nil, fmt.Errorf("search archive %q: %w", s.path, err)
		}
		p.PublishedAt, p.EditedAt, d.DecidedAt, h.DeletedAtSource = published.Time, edited.Time, decidedAt.Time, deleted.Time
		d.Network, d.AccountID, d.PostID, d.ContentSHA256 = p.Network, p.AccountID, p.PostID, p.ContentSHA256
		if err := errors.Join(decodeMediaMetrics(p, media, metrics), decodeShared(p, shared)); err != nil {
			return nil, fmt.Errorf("search archive %q: post %s: %w", s.path, p.PostID, err)
		}
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search archive %q: %w", s.path, err)
	}
	if len(res.Hits) == 0 && q.Offset > 0 {
		// the window count is lost past the last page; count apart
		count := q
		count.Offset, count.Limit = 0, 1
		all, err := s.Search(ctx, count)
		if err != nil {
			return nil, err
		}
		res.Total = all.Total
	}
	return res, nil
}

// Summary counts posts, versions, labels and events per account.
func (s *Store) Summary(ctx context.Context) ([]archive.AccountSummary, error) {
	byID := map[string]*archive.AccountSummary{}
	var order []string
	get := func(id string) *archive.AccountSummary {
		if a, ok := byID[id]; ok {
			return a
		}
		a := &archive.AccountSummary{AccountID: id, Labels: map[archive.Label]int{}, Newest: map[archive.Label]time.Time{}, Events: map[archive.EventKind]int{}}
		byID[id] = a
		order = append(order, id)
		return a
	}
	rows, err := s.db.QueryContext(ctx, `SELECT account_id, any_value(network), any_value(account_type), label,
			count(*), sum(versions), count(*) FILTER (WHERE edited OR versions > 1), max(published_at)
		FROM (`+heads+`) GROUP BY account_id, label ORDER BY account_id, label`)
	if err != nil {
		return nil, fmt.Errorf("summarise archive %q: %w", s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, typ string
		var network archive.Network
		var label archive.Label
		var posts, versions, edited int
		var newest sql.NullTime
		if err := rows.Scan(&id, &network, &typ, &label, &posts, &versions, &edited, &newest); err != nil {
			return nil, fmt.Errorf("summarise archive %q: %w", s.path, err)
		}
		a := get(id)
		a.Network, a.Type = network, typ
		a.Posts += posts
		a.Versions += versions
		a.Edited += edited
		a.Labels[label] = posts
		if newest.Valid {
			a.Newest[label] = newest.Time
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summarise archive %q: %w", s.path, err)
	}
	erows, err := s.db.QueryContext(ctx, `SELECT account_id, kind, count(*) FROM events GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		return nil, fmt.Errorf("summarise archive %q: %w", s.path, err)
	}
	defer erows.Close()
	for erows.Next() {
		var id string
		var kind archive.EventKind
		var n int
		if err := erows.Scan(&id, &kind, &n); err != nil {
			return nil, fmt.Errorf("summarise archive %q: %w", s.path, err)
		}
		get(id).Events[kind] = n
	}
	if err := erows.Err(); err != nil {
		return nil, fmt.Errorf("summarise archive %q: %w", s.path, err)
	}
	out := make([]archive.AccountSummary, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	return out, nil
}

func decodeMediaMetrics(p *archive.Post, media, metrics sql.NullString) error {
	if media.Valid {
		if err := json.Unmarshal([]byte(media.String), &p.Media); err != nil {
			return fmt.Errorf("decode media: %w", err)
		}
	}
	if metrics.Valid {
		if err := json.Unmarshal([]byte(metrics.String), &p.Metrics); err != nil {
			return fmt.Errorf("decode metrics: %w", err)
		}
	}
	return nil
}

// decodeShared sets the post's Shared from its JSON column.
func decodeShared(p *archive.Post, shared sql.NullString) error {
	if !shared.Valid {
		return nil
	}
	p.Shared = new(archive.Shared)
	if err := json.Unmarshal([]byte(shared.String), p.Shared); err != nil {
		return fmt.Errorf("decode shared post: %w", err)
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
