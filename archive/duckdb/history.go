package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"

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
	hs, err := s.histories(ctx, []archive.Key{k})
	if err == nil && hs[k] == nil {
		err = archive.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read history of post %s/%s/%s from archive %q: %w", k.Network, k.AccountID, k.PostID, s.path, err)
	}
	return hs[k], nil
}

// historyBatch is how many posts' histories one reading of each table
// gathers.
const historyBatch = 500

// Histories returns the history of every post of keys the archive holds,
// as History would, reading each table once for every 500 posts.
func (s *Store) Histories(ctx context.Context, keys []archive.Key) (map[archive.Key]*archive.PostHistory, error) {
	out := make(map[archive.Key]*archive.PostHistory, len(keys))
	for start := 0; start < len(keys); start += historyBatch {
		hs, err := s.histories(ctx, keys[start:min(len(keys), start+historyBatch)])
		if err != nil {
			return nil, fmt.Errorf("read the history of %d posts from archive %q: %w", len(keys), s.path, err)
		}
		maps.Copy(out, hs)
	}
	return out, nil
}

// histories reads the histories of keys: the rows of their accounts and
// ids, kept when they are of one of keys.
func (s *Store) histories(ctx context.Context, keys []archive.Key) (map[archive.Key]*archive.PostHistory, error) {
	where, args := archive.KeysWhere(keys)
	out := map[archive.Key]*archive.PostHistory{}
	want := make(map[archive.Key]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}

	rows, err := s.db.QueryContext(ctx, `SELECT `+postColumns+` FROM post_versions`+where+` ORDER BY network, account_id, post_id, version`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, err
		}
		k := p.Key()
		if !want[k] {
			continue
		}
		h := out[k]
		if h == nil {
			h = &archive.PostHistory{Key: k}
			out[k] = h
		}
		h.Versions = append(h.Versions, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}

	erows, err := s.db.QueryContext(ctx, `SELECT network, account_id, post_id, kind, observed_at, coalesce(content_sha256, ''), coalesce(evidence, ''), coalesce(run_id, '')
		FROM events`+where+` ORDER BY observed_at, kind`, args...)
	if err != nil {
		return nil, err
	}
	defer erows.Close()
	for erows.Next() {
		var e archive.Event
		if err := erows.Scan(&e.Network, &e.AccountID, &e.PostID, &e.Kind, &e.ObservedAt, &e.ContentSHA256, &e.Evidence, &e.RunID); err != nil {
			return nil, err
		}
		if h := out[archive.Key{Network: e.Network, AccountID: e.AccountID, PostID: e.PostID}]; h != nil {
			h.Events = append(h.Events, e)
		}
	}
	if err := erows.Err(); err != nil {
		return nil, err
	}

	drows, err := s.db.QueryContext(ctx, `SELECT network, account_id, post_id, content_sha256, label, confidence, basis, rationale, decided_by, decided_at
		FROM decisions`+where+` ORDER BY decided_at`, args...)
	if err != nil {
		return nil, err
	}
	defer drows.Close()
	for drows.Next() {
		var d archive.Decision
		if err := drows.Scan(&d.Network, &d.AccountID, &d.PostID, &d.ContentSHA256, &d.Label, &d.Confidence, &d.Basis, &d.Rationale, &d.DecidedBy, &d.DecidedAt); err != nil {
			return nil, err
		}
		if h := out[archive.Key{Network: d.Network, AccountID: d.AccountID, PostID: d.PostID}]; h != nil {
			h.Decisions = append(h.Decisions, d)
		}
	}
	if err := drows.Err(); err != nil {
		return nil, err
	}

	crows, err := s.db.QueryContext(ctx, `SELECT network, account_id, post_id, coalesce(content_sha256, ''), min(captured_at), max(captured_at), count(*)
		FROM captures`+where+` GROUP BY ALL ORDER BY 5, 4`, args...)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var k archive.Key
		var c archive.Seen
		if err := crows.Scan(&k.Network, &k.AccountID, &k.PostID, &c.ContentSHA256, &c.First, &c.Last, &c.Captures); err != nil {
			return nil, err
		}
		if h := out[k]; h != nil {
			h.Seen = append(h.Seen, c)
		}
	}
	if err := crows.Err(); err != nil {
		return nil, err
	}
	for _, h := range out {
		h.Captures, h.FirstCaptured, h.LastCaptured = archive.SeenSpan(h.Seen)
	}
	return out, nil
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

// Store reads many histories at once.
var _ archive.HistoryReader = (*Store)(nil)
