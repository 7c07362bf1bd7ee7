package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/vigia-mx/vigia/archive"
)

// Health returns the crawl health of every account of the archive, from its
// crawl outcomes and the posts seen.
func (s *Store) Health(ctx context.Context) ([]archive.AccountHealth, error) {
	rows, err := s.db.QueryContext(ctx, `
		WITH acct AS (
			SELECT account_id, network, handle FROM accounts
			QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY recorded_at DESC) = 1),
		last AS (
			SELECT account_id,
			       max(finished_at) AS last_attempt,
			       max(finished_at) FILTER (WHERE status = 'ok') AS last_success,
			       arg_max(status, finished_at) AS last_status,
			       max(finished_at) FILTER (WHERE status <> 'ok') AS last_error_at,
			       arg_max(error, finished_at) FILTER (WHERE status <> 'ok') AS last_error
			FROM account_crawls GROUP BY account_id),
		sweeps AS (
			SELECT account_id, max(finished_at) AS at,
			       arg_max(sweep_checked, finished_at) AS checked, arg_max(sweep_complete, finished_at) AS complete
			FROM account_crawls WHERE sweep AND status = 'ok' GROUP BY account_id),
		fails AS (
			SELECT c.account_id, count(*) AS n
			FROM account_crawls c JOIN last l USING (account_id)
			WHERE c.status <> 'ok' AND (l.last_success IS NULL OR c.finished_at > l.last_success)
			GROUP BY c.account_id),
		posts AS (
			SELECT account_id, count(DISTINCT (network, post_id)) AS n, max(published_at) AS newest
			FROM post_versions GROUP BY account_id)
		SELECT a.account_id, a.network, a.handle, l.last_attempt, l.last_success, coalesce(l.last_status, ''),
		       coalesce(l.last_error, ''), l.last_error_at, coalesce(f.n, 0), p.newest, coalesce(p.n, 0),
		       sw.at, coalesce(sw.checked, 0), coalesce(sw.complete, false)
		FROM acct a
		LEFT JOIN last l USING (account_id)
		LEFT JOIN sweeps sw USING (account_id)
		LEFT JOIN fails f USING (account_id)
		LEFT JOIN posts p USING (account_id)
		ORDER BY a.account_id`)
	if err != nil {
		return nil, fmt.Errorf("read account health from archive %q: %w", s.path, err)
	}
	defer rows.Close()
	var out []archive.AccountHealth
	for rows.Next() {
		var h archive.AccountHealth
		var attempt, success, errAt, newest, swept sql.NullTime
		if err := rows.Scan(&h.AccountID, &h.Network, &h.Handle, &attempt, &success, &h.LastStatus,
			&h.LastError, &errAt, &h.ConsecutiveFailures, &newest, &h.Posts,
			&swept, &h.LastSweepChecked, &h.LastSweepComplete); err != nil {
			return nil, fmt.Errorf("read account health from archive %q: %w", s.path, err)
		}
		h.LastAttempt, h.LastSuccess, h.LastErrorAt, h.NewestPostAt = attempt.Time, success.Time, errAt.Time, newest.Time
		h.LastSweep = swept.Time
		out = append(out, h)
	}
	return out, rows.Err()
}

// Lookup resolves a post reference: a URL, ACCOUNT/ID or a bare id.
func (s *Store) Lookup(ctx context.Context, ref string) ([]archive.Key, error) {
	q := `SELECT DISTINCT network, account_id, post_id FROM post_versions WHERE `
	where, args := archive.ParseRef(ref).Where()
	q += where
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY ALL`, args...)
	if err != nil {
		return nil, fmt.Errorf("look up post %q in archive %q: %w", ref, s.path, err)
	}
	defer rows.Close()
	var keys []archive.Key
	for rows.Next() {
		var k archive.Key
		if err := rows.Scan(&k.Network, &k.AccountID, &k.PostID); err != nil {
			return nil, fmt.Errorf("look up post %q in archive %q: %w", ref, s.path, err)
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// History returns every version, event and decision of one post.
func (s *Store) History(ctx context.Context, k archive.Key) (*archive.PostHistory, error) {
	fail := func(err error) (*archive.PostHistory, error) {
		return nil, fmt.Errorf("read history of post %s/%s/%s from archive %q: %w", k.Network, k.AccountID, k.PostID, s.path, err)
	}
	args := []any{string(k.Network), k.AccountID, k.PostID}
	const where = ` WHERE network = ? AND account_id = ? AND post_id = ?`
	h := &archive.PostHistory{Key: k}

	rows, err := s.db.QueryContext(ctx, `SELECT `+postColumns+` FROM post_versions`+where+` ORDER BY version`, args...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return fail(err)
		}
		h.Versions = append(h.Versions, p)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if len(h.Versions) == 0 {
		return fail(archive.ErrNotFound)
	}

	erows, err := s.db.QueryContext(ctx, `SELECT kind, observed_at, coalesce(content_sha256, ''), coalesce(evidence, ''), coalesce(run_id, '')
		FROM events`+where+` ORDER BY observed_at, kind`, args...)
	if err != nil {
		return fail(err)
	}
	defer erows.Close()
	for erows.Next() {
		e := archive.Event{Network: k.Network, AccountID: k.AccountID, PostID: k.PostID}
		if err := erows.Scan(&e.Kind, &e.ObservedAt, &e.ContentSHA256, &e.Evidence, &e.RunID); err != nil {
			return fail(err)
		}
		h.Events = append(h.Events, e)
	}
	if err := erows.Err(); err != nil {
		return fail(err)
	}

	drows, err := s.db.QueryContext(ctx, `SELECT content_sha256, label, confidence, basis, rationale, decided_by, decided_at
		FROM decisions`+where+` ORDER BY decided_at`, args...)
	if err != nil {
		return fail(err)
	}
	defer drows.Close()
	for drows.Next() {
		d := archive.Decision{Network: k.Network, AccountID: k.AccountID, PostID: k.PostID}
		if err := drows.Scan(&d.ContentSHA256, &d.Label, &d.Confidence, &d.Basis, &d.Rationale, &d.DecidedBy, &d.DecidedAt); err != nil {
			return fail(err)
		}
		h.Decisions = append(h.Decisions, d)
	}
	if err := drows.Err(); err != nil {
		return fail(err)
	}

	crows, err := s.db.QueryContext(ctx, `SELECT coalesce(content_sha256, ''), min(captured_at), max(captured_at), count(*)
		FROM captures`+where+` GROUP BY ALL ORDER BY 2, 1`, args...)
	if err != nil {
		return fail(err)
	}
	defer crows.Close()
	for crows.Next() {
		var c archive.Seen
		if err := crows.Scan(&c.ContentSHA256, &c.First, &c.Last, &c.Captures); err != nil {
			return fail(err)
		}
		h.Seen = append(h.Seen, c)
	}
	if err := crows.Err(); err != nil {
		return fail(err)
	}
	h.Captures, h.FirstCaptured, h.LastCaptured = archive.SeenSpan(h.Seen)
	return h, nil
}

// WARCRefs calls fn with every reference to WARC evidence: post versions,
// fetched exchanges and media files.
func (s *Store) WARCRefs(ctx context.Context, fn func(archive.WARCUse) error) error {
	fail := func(err error) error { return fmt.Errorf("read WARC references from archive %q: %w", s.path, err) }
	rows, err := s.db.QueryContext(ctx, `
		SELECT 'post_versions', network || '/' || account_id || '/' || post_id || ' v' || version,
		       coalesce(warc_file, ''), warc_record_id, coalesce(warc_offset, 0), coalesce(warc_digest, '')
		FROM post_versions WHERE warc_record_id IS NOT NULL
		UNION ALL
		SELECT 'fetches', url, coalesce(warc_file, ''), warc_record_id, coalesce(warc_offset, 0), coalesce(warc_digest, '')
		FROM fetches WHERE warc_record_id IS NOT NULL`)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var u archive.WARCUse
		if err := rows.Scan(&u.Table, &u.What, &u.Ref.File, &u.Ref.RecordID, &u.Ref.Offset, &u.Ref.Digest); err != nil {
			return fail(err)
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return s.mediaRefs(ctx, fn)
}

// mediaRefs calls fn with the WARC reference of every media file fetched.
func (s *Store) mediaRefs(ctx context.Context, fn func(archive.WARCUse) error) error {
	fail := func(err error) error {
		return fmt.Errorf("read media WARC references from archive %q: %w", s.path, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT network || '/' || account_id || '/' || post_id || ' v' || version, media
		FROM post_versions WHERE media LIKE '%"warc_record_id"%'`)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var what, media string
		if err := rows.Scan(&what, &media); err != nil {
			return fail(err)
		}
		var ms []archive.Media
		if err := json.Unmarshal([]byte(media), &ms); err != nil {
			return fail(fmt.Errorf("post %s: decode media: %w", what, err))
		}
		for _, m := range ms {
			if m.WARCRecordID == "" {
				continue
			}
			u := archive.WARCUse{Table: "media", What: what + " " + m.URL, Ref: archive.WARCRef{File: m.WARCFile, RecordID: m.WARCRecordID, Offset: m.WARCOffset, Digest: m.WARCDigest}}
			if err := fn(u); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}
