package clickhouse

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/vigia-mx/vigia/archive"
)

// Health returns the crawl health of every account of the archive, from its
// crawl outcomes and the posts seen (read apart and joined here: 18.16 joins
// one table per SELECT).
func (s *Store) Health(ctx context.Context) ([]archive.AccountHealth, error) {
	fail := func(err error) ([]archive.AccountHealth, error) {
		return nil, fmt.Errorf("read account health from archive %q: %w", s.name, err)
	}
	accts, err := s.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]archive.AccountHealth, len(accts))
	byID := map[string]*archive.AccountHealth{}
	for i, a := range accts {
		out[i] = archive.AccountHealth{AccountID: a.ID, Network: a.Network, Handle: a.Handle}
		byID[a.ID] = &out[i]
	}
	rows, err := s.conn.Query(ctx, `SELECT account_id, max(finished_at), maxIf(finished_at, status = 'ok'),
			argMax(status, finished_at), maxIf(finished_at, status != 'ok'), argMaxIf(error, finished_at, status != 'ok')
		FROM `+s.db+`.account_crawls GROUP BY account_id`)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	lastSuccess := map[string]int64{}
	for rows.Next() {
		var id, status, lastErr string
		var attempt, success, errAt int64
		if err := rows.Scan(&id, &attempt, &success, &status, &errAt, &lastErr); err != nil {
			return fail(err)
		}
		if h := byID[id]; h != nil {
			h.LastAttempt, h.LastSuccess, h.LastStatus = fromUS(attempt), fromUS(success), archive.CrawlStatus(status)
			h.LastErrorAt, h.LastError = fromUS(errAt), lastErr
			lastSuccess[id] = success
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	srows, err := s.conn.Query(ctx, `SELECT account_id, max(finished_at), argMax(sweep_checked, finished_at), argMax(sweep_complete, finished_at)
		FROM `+s.db+`.account_crawls WHERE sweep = 1 AND status = 'ok' GROUP BY account_id`)
	if err != nil {
		return fail(err)
	}
	defer srows.Close()
	for srows.Next() {
		var id string
		var at int64
		var checked int32
		var complete uint8
		if err := srows.Scan(&id, &at, &checked, &complete); err != nil {
			return fail(err)
		}
		if h := byID[id]; h != nil {
			h.LastSweep, h.LastSweepChecked, h.LastSweepComplete = fromUS(at), int(checked), complete == 1
		}
	}
	if err := srows.Err(); err != nil {
		return fail(err)
	}
	frows, err := s.conn.Query(ctx, `SELECT account_id, finished_at FROM `+s.db+`.account_crawls WHERE status != 'ok'`)
	if err != nil {
		return fail(err)
	}
	defer frows.Close()
	for frows.Next() {
		var id string
		var at int64
		if err := frows.Scan(&id, &at); err != nil {
			return fail(err)
		}
		if h := byID[id]; h != nil && at > lastSuccess[id] {
			h.ConsecutiveFailures++
		}
	}
	if err := frows.Err(); err != nil {
		return fail(err)
	}
	prows, err := s.conn.Query(ctx, `SELECT account_id, uniqExact(network, post_id), max(published_at)
		FROM `+s.db+`.post_versions GROUP BY account_id`)
	if err != nil {
		return fail(err)
	}
	defer prows.Close()
	for prows.Next() {
		var id string
		var n uint64
		var newest int64
		if err := prows.Scan(&id, &n, &newest); err != nil {
			return fail(err)
		}
		if h := byID[id]; h != nil {
			h.Posts, h.NewestPostAt = int(n), fromUS(newest)
		}
	}
	return out, prows.Err()
}

// Lookup resolves a post reference: a URL, ACCOUNT/ID or a bare id.
func (s *Store) Lookup(ctx context.Context, ref string) ([]archive.Key, error) {
	q := `SELECT DISTINCT network, account_id, post_id FROM ` + s.db + `.post_versions WHERE `
	where, args := archive.ParseRef(ref).Where()
	q += where
	rows, err := s.conn.Query(ctx, q+` ORDER BY network, account_id, post_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("look up post %q in archive %q: %w", ref, s.name, err)
	}
	defer rows.Close()
	var keys []archive.Key
	for rows.Next() {
		var k archive.Key
		var network string
		if err := rows.Scan(&network, &k.AccountID, &k.PostID); err != nil {
			return nil, fmt.Errorf("look up post %q in archive %q: %w", ref, s.name, err)
		}
		k.Network = archive.Network(network)
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
		return nil, fmt.Errorf("read history of post %s/%s/%s from archive %q: %w", k.Network, k.AccountID, k.PostID, s.name, err)
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
			return nil, fmt.Errorf("read the history of %d posts from archive %q: %w", len(keys), s.name, err)
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
	rows, err := s.conn.Query(ctx, `SELECT `+postColumns+` FROM `+s.db+`.post_versions`+where+` ORDER BY network, account_id, post_id, version`, args...)
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
	key := func(network, account, id string) *archive.PostHistory {
		return out[archive.Key{Network: archive.Network(network), AccountID: account, PostID: id}]
	}
	erows, err := s.conn.Query(ctx, `SELECT network, account_id, post_id, kind, observed_at, content_sha256, evidence, run_id
		FROM `+s.db+`.events`+where+` ORDER BY observed_at, kind`, args...)
	if err != nil {
		return nil, err
	}
	defer erows.Close()
	for erows.Next() {
		var e archive.Event
		var network, kind string
		var at int64
		if err := erows.Scan(&network, &e.AccountID, &e.PostID, &kind, &at, &e.ContentSHA256, &e.Evidence, &e.RunID); err != nil {
			return nil, err
		}
		e.Network, e.Kind, e.ObservedAt = archive.Network(network), archive.EventKind(kind), fromUS(at)
		if h := key(network, e.AccountID, e.PostID); h != nil {
			h.Events = append(h.Events, e)
		}
	}
	if err := erows.Err(); err != nil {
		return nil, err
	}
	drows, err := s.conn.Query(ctx, `SELECT network, account_id, post_id, content_sha256, label, confidence, basis, rationale, decided_by, decided_at
		FROM `+s.db+`.decisions`+where+` ORDER BY decided_at`, args...)
	if err != nil {
		return nil, err
	}
	defer drows.Close()
	for drows.Next() {
		var d archive.Decision
		var network, label string
		var at int64
		if err := drows.Scan(&network, &d.AccountID, &d.PostID, &d.ContentSHA256, &label, &d.Confidence, &d.Basis, &d.Rationale, &d.DecidedBy, &at); err != nil {
			return nil, err
		}
		d.Network, d.Label, d.DecidedAt = archive.Network(network), archive.Label(label), fromUS(at)
		if h := key(network, d.AccountID, d.PostID); h != nil {
			h.Decisions = append(h.Decisions, d)
		}
	}
	if err := drows.Err(); err != nil {
		return nil, err
	}
	crows, err := s.conn.Query(ctx, `SELECT network, account_id, post_id, content_sha256, min(captured_at) AS first, max(captured_at), count()
		FROM `+s.db+`.captures`+where+` GROUP BY network, account_id, post_id, content_sha256 ORDER BY first, content_sha256`, args...)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var network, account, id string
		var c archive.Seen
		var first, last int64
		var n uint64
		if err := crows.Scan(&network, &account, &id, &c.ContentSHA256, &first, &last, &n); err != nil {
			return nil, err
		}
		c.First, c.Last, c.Captures = fromUS(first), fromUS(last), int(n)
		if h := key(network, account, id); h != nil {
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
	fail := func(err error) error { return fmt.Errorf("read WARC references from archive %q: %w", s.name, err) }
	for _, q := range []struct{ table, sql string }{
		{"post_versions", `SELECT concat(network, '/', account_id, '/', post_id, ' v', toString(version)), warc_file, warc_record_id,
			warc_offset, warc_digest, media FROM ` + s.db + `.post_versions WHERE warc_record_id != '' OR media LIKE '%"warc_record_id"%'`},
		{"fetches", `SELECT url, warc_file, warc_record_id, warc_offset, warc_digest, '' FROM ` + s.db + `.fetches WHERE warc_record_id != ''`},
	} {
		if err := s.warcRefs(ctx, q.table, q.sql, fn); err != nil {
			return fail(err)
		}
	}
	return nil
}

func (s *Store) warcRefs(ctx context.Context, table, query string, fn func(archive.WARCUse) error) error {
	rows, err := s.conn.Query(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	var media []archive.WARCUse
	for rows.Next() {
		u := archive.WARCUse{Table: table}
		var m string
		if err := rows.Scan(&u.What, &u.Ref.File, &u.Ref.RecordID, &u.Ref.Offset, &u.Ref.Digest, &m); err != nil {
			return err
		}
		if u.Ref.RecordID != "" {
			if err := fn(u); err != nil {
				return err
			}
		}
		if !strings.Contains(m, `"warc_record_id"`) {
			continue
		}
		ms, err := decodeMedia(u.What, m)
		if err != nil {
			return err
		}
		for _, x := range ms {
			if x.WARCRecordID != "" {
				media = append(media, archive.WARCUse{Table: "media", What: u.What + " " + x.URL,
					Ref: archive.WARCRef{File: x.WARCFile, RecordID: x.WARCRecordID, Offset: x.WARCOffset, Digest: x.WARCDigest}})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range media {
		if err := fn(u); err != nil {
			return err
		}
	}
	return nil
}

// Store reads many histories at once.
var _ archive.HistoryReader = (*Store)(nil)
