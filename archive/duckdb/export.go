package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// Export calls fn with every record, table after table, in the order each
// table received them, in batches of at most size.
func (s *Store) Export(ctx context.Context, size int, fn func(*archive.Batch) error) error {
	if size <= 0 {
		size = 10_000
	}
	for _, t := range exports {
		if err := s.export(ctx, t, size, fn); err != nil {
			return fmt.Errorf("export %s of archive %q: %w", t.table, s.path, err)
		}
	}
	return nil
}

// export is how one table's rows become records again.
type export struct {
	table string
	query string
	scan  func(rows *sql.Rows, b *archive.Batch) error
}

func (s *Store) export(ctx context.Context, t export, size int, fn func(*archive.Batch) error) error {
	rows, err := s.db.QueryContext(ctx, t.query+" FROM "+t.table+" ORDER BY rowid")
	if err != nil {
		return err
	}
	defer rows.Close()
	return archive.Gather(rows, size, t.scan, fn)
}

func nt(t sql.NullTime) time.Time { return t.Time }

var exports = []export{
	{"post_versions", "SELECT " + postColumns, func(rows *sql.Rows, b *archive.Batch) error {
		p, err := scanPost(rows)
		b.Posts = append(b.Posts, p)
		return err
	}},
	{"captures", `SELECT network, account_id, post_id, captured_at, content_sha256, coalesce(source_url, ''), coalesce(run_id, '')`,
		func(rows *sql.Rows, b *archive.Batch) error {
			var c archive.Capture
			if err := rows.Scan(&c.Network, &c.AccountID, &c.PostID, &c.CapturedAt, &c.ContentSHA256, &c.SourceURL, &c.RunID); err != nil {
				return err
			}
			b.Captures = append(b.Captures, c)
			return nil
		}},
	{"events", `SELECT network, account_id, post_id, kind, observed_at, coalesce(content_sha256, ''), coalesce(evidence, ''), coalesce(run_id, '')`,
		func(rows *sql.Rows, b *archive.Batch) error {
			var e archive.Event
			if err := rows.Scan(&e.Network, &e.AccountID, &e.PostID, &e.Kind, &e.ObservedAt, &e.ContentSHA256, &e.Evidence, &e.RunID); err != nil {
				return err
			}
			b.Events = append(b.Events, e)
			return nil
		}},
	{"decisions", `SELECT network, account_id, post_id, content_sha256, label, confidence, basis, rationale, decided_by, decided_at`,
		func(rows *sql.Rows, b *archive.Batch) error {
			var d archive.Decision
			if err := rows.Scan(&d.Network, &d.AccountID, &d.PostID, &d.ContentSHA256, &d.Label, &d.Confidence, &d.Basis,
				&d.Rationale, &d.DecidedBy, &d.DecidedAt); err != nil {
				return err
			}
			b.Decisions = append(b.Decisions, d)
			return nil
		}},
	{"fetches", `SELECT coalesce(run_id, ''), account_id, network, url, status, bytes, duration_ms, attempt, coalesce(error, ''),
		fetched_at, coalesce(warc_file, ''), coalesce(warc_record_id, ''), coalesce(warc_offset, 0), coalesce(warc_digest, '')`,
		func(rows *sql.Rows, b *archive.Batch) error {
			var f archive.Fetch
			var ms float64
			if err := rows.Scan(&f.RunID, &f.AccountID, &f.Network, &f.URL, &f.Status, &f.Bytes, &ms, &f.Attempt, &f.Error,
				&f.FetchedAt, &f.WARC.File, &f.WARC.RecordID, &f.WARC.Offset, &f.WARC.Digest); err != nil {
				return err
			}
			f.Duration = time.Duration(ms * float64(time.Millisecond))
			b.Fetches = append(b.Fetches, f)
			return nil
		}},
	{"accounts", "SELECT " + accountColumns, func(rows *sql.Rows, b *archive.Batch) error {
		a, err := scanAccount(rows)
		b.Accounts = append(b.Accounts, a)
		return err
	}},
	{"runs", `SELECT run_id, started_at, finished_at, coalesce(crawler_version, ''), coalesce(directory, ''), accounts,
		accounts_failed, fetches, posts_seen, versions_new`,
		func(rows *sql.Rows, b *archive.Batch) error {
			var r archive.Run
			if err := rows.Scan(&r.ID, &r.StartedAt, &r.FinishedAt, &r.CrawlerVersion, &r.Directory, &r.Accounts,
				&r.AccountsFailed, &r.Fetches, &r.PostsSeen, &r.VersionsNew); err != nil {
				return err
			}
			b.Runs = append(b.Runs, r)
			return nil
		}},
	{"account_crawls", `SELECT run_id, account_id, network, started_at, finished_at, status, coalesce(error, ''), pages,
		posts_seen, versions_new, deleted, newest_post_at, coalesce(sweep, false), coalesce(sweep_complete, false), coalesce(sweep_checked, 0)`,
		func(rows *sql.Rows, b *archive.Batch) error {
			var c archive.AccountCrawl
			var newest sql.NullTime
			if err := rows.Scan(&c.RunID, &c.AccountID, &c.Network, &c.StartedAt, &c.FinishedAt, &c.Status, &c.Error, &c.Pages,
				&c.PostsSeen, &c.VersionsNew, &c.Deleted, &newest, &c.Sweep, &c.SweepComplete, &c.SweepChecked); err != nil {
				return err
			}
			c.NewestPostAt = nt(newest)
			b.Crawls = append(b.Crawls, c)
			return nil
		}},
	{"fixity_checks", `SELECT checked_at, warc_dir, files, records, refs, problems, coalesce(report, '')`,
		func(rows *sql.Rows, b *archive.Batch) error {
			var f archive.FixityCheck
			if err := rows.Scan(&f.CheckedAt, &f.WARCDir, &f.Files, &f.Records, &f.References, &f.Problems, &f.Report); err != nil {
				return err
			}
			b.Fixity = append(b.Fixity, f)
			return nil
		}},
}

// postColumns are the columns scanPost reads, in its order.
const postColumns = `network, account_id, post_id, version, coalesce(url, ''), coalesce(author, ''), published_at,
	edited_at, edited, captured_at, text, raw, coalesce(raw_type, ''), coalesce(language, ''), coalesce(reply_to, ''),
	coalesce(repost_of, ''), media, metrics, content_sha256, coalesce(source_url, ''), coalesce(warc_file, ''),
	coalesce(warc_record_id, ''), coalesce(warc_offset, 0), coalesce(warc_digest, ''), coalesce(crawler_version, ''),
	coalesce(run_id, ''), shared`

// scanPost reads a row of postColumns.
func scanPost(rows *sql.Rows) (archive.Post, error) {
	var p archive.Post
	var published, edited sql.NullTime
	var media, metrics, shared sql.NullString
	if err := rows.Scan(&p.Network, &p.AccountID, &p.PostID, &p.Version, &p.URL, &p.Author, &published, &edited, &p.Edited,
		&p.CapturedAt, &p.Text, &p.Raw, &p.RawType, &p.Language, &p.ReplyTo, &p.RepostOf, &media, &metrics, &p.ContentSHA256,
		&p.SourceURL, &p.WARC.File, &p.WARC.RecordID, &p.WARC.Offset, &p.WARC.Digest, &p.CrawlerVersion, &p.RunID, &shared); err != nil {
		return p, err
	}
	p.PublishedAt, p.EditedAt = nt(published), nt(edited)
	if err := decodeShared(&p, shared); err != nil {
		return p, err
	}
	return p, decodeMediaMetrics(&p, media, metrics)
}

// accountColumns are the columns scanAccount reads, in its order.
const accountColumns = `account_id, network, handle, coalesce(endpoint, ''), type, coalesce(area, ''), administered_by_area,
	coalesce(servant_name, ''), coalesce(servant_position, ''), coalesce(servant_level, -1), office_from, office_to,
	registered_on, coalesce(subject, ''), facts_sha256, recorded_at, electoral`

// scanAccount reads a row of accountColumns.
func scanAccount(rows *sql.Rows) (archive.Account, error) {
	var a archive.Account
	var from, to, reg sql.NullTime
	var electoral sql.NullString
	if err := rows.Scan(&a.ID, &a.Network, &a.Handle, &a.Endpoint, &a.Type, &a.Area, &a.AdministeredByArea, &a.ServantName,
		&a.ServantPosition, &a.ServantLevel, &from, &to, &reg, &a.Subject, &a.FactsSHA256, &a.RecordedAt, &electoral); err != nil {
		return a, err
	}
	a.OfficeFrom, a.OfficeTo, a.RegisteredOn = nt(from), nt(to), nt(reg)
	if electoral.Valid {
		if err := json.Unmarshal([]byte(electoral.String), &a.Electoral); err != nil {
			return a, fmt.Errorf("decode the electoral facts of account %q: %w", a.ID, err)
		}
	}
	return a, nil
}
