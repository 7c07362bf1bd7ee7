package clickhouse

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/vigia-mx/vigia/archive"
)

// Export calls fn with every record, table after table (each in its sort
// order), in batches of at most size.
func (s *Store) Export(ctx context.Context, size int, fn func(*archive.Batch) error) error {
	if size <= 0 {
		size = 10_000
	}
	for _, t := range exports {
		if err := s.export(ctx, t, size, fn); err != nil {
			return fmt.Errorf("export %s of archive %q: %w", t.table, s.name, err)
		}
	}
	return nil
}

type export struct {
	table string
	query string
	scan  func(rows driver.Rows, b *archive.Batch) error
}

func (s *Store) export(ctx context.Context, t export, size int, fn func(*archive.Batch) error) error {
	var order string
	for _, tb := range tables {
		if tb.name == t.table {
			order = tb.order
		}
	}
	rows, err := s.conn.Query(ctx, t.query+" FROM "+s.db+"."+t.table+" ORDER BY "+order)
	if err != nil {
		return err
	}
	defer rows.Close()
	return archive.Gather(rows, size, t.scan, fn)
}

var exports = []export{
	{"post_versions", "SELECT " + postColumns, func(rows driver.Rows, b *archive.Batch) error {
		p, err := scanPost(rows)
		b.Posts = append(b.Posts, p)
		return err
	}},
	{"captures", `SELECT network, account_id, post_id, captured_at, content_sha256, source_url, run_id`,
		func(rows driver.Rows, b *archive.Batch) error {
			var c archive.Capture
			var network string
			var at int64
			if err := rows.Scan(&network, &c.AccountID, &c.PostID, &at, &c.ContentSHA256, &c.SourceURL, &c.RunID); err != nil {
				return err
			}
			c.Network, c.CapturedAt = archive.Network(network), fromUS(at)
			b.Captures = append(b.Captures, c)
			return nil
		}},
	{"events", `SELECT network, account_id, post_id, kind, observed_at, content_sha256, evidence, run_id`,
		func(rows driver.Rows, b *archive.Batch) error {
			var e archive.Event
			var network, kind string
			var at int64
			if err := rows.Scan(&network, &e.AccountID, &e.PostID, &kind, &at, &e.ContentSHA256, &e.Evidence, &e.RunID); err != nil {
				return err
			}
			e.Network, e.Kind, e.ObservedAt = archive.Network(network), archive.EventKind(kind), fromUS(at)
			b.Events = append(b.Events, e)
			return nil
		}},
	{"decisions", `SELECT network, account_id, post_id, content_sha256, label, confidence, basis, rationale, decided_by, decided_at`,
		func(rows driver.Rows, b *archive.Batch) error {
			var d archive.Decision
			var network, label string
			var at int64
			if err := rows.Scan(&network, &d.AccountID, &d.PostID, &d.ContentSHA256, &label, &d.Confidence, &d.Basis, &d.Rationale,
				&d.DecidedBy, &at); err != nil {
				return err
			}
			d.Network, d.Label, d.DecidedAt = archive.Network(network), archive.Label(label), fromUS(at)
			b.Decisions = append(b.Decisions, d)
			return nil
		}},
	{"fetches", `SELECT run_id, account_id, network, url, status, bytes, duration_ms, attempt, error, fetched_at, warc_file,
		warc_record_id, warc_offset, warc_digest`,
		func(rows driver.Rows, b *archive.Batch) error {
			var f archive.Fetch
			var network string
			var status, attempt int32
			var ms float64
			var at int64
			if err := rows.Scan(&f.RunID, &f.AccountID, &network, &f.URL, &status, &f.Bytes, &ms, &attempt, &f.Error, &at,
				&f.WARC.File, &f.WARC.RecordID, &f.WARC.Offset, &f.WARC.Digest); err != nil {
				return err
			}
			f.Network, f.Status, f.Attempt, f.FetchedAt = archive.Network(network), int(status), int(attempt), fromUS(at)
			f.Duration = time.Duration(ms * float64(time.Millisecond))
			b.Fetches = append(b.Fetches, f)
			return nil
		}},
	{"accounts", "SELECT " + accountColumns, func(rows driver.Rows, b *archive.Batch) error {
		a, err := scanAccount(rows)
		b.Accounts = append(b.Accounts, a)
		return err
	}},
	{"runs", `SELECT run_id, started_at, finished_at, crawler_version, directory, accounts, accounts_failed, fetches, posts_seen, versions_new`,
		func(rows driver.Rows, b *archive.Batch) error {
			var r archive.Run
			var started, finished int64
			var accounts, failed, fetches, seen, versions int32
			if err := rows.Scan(&r.ID, &started, &finished, &r.CrawlerVersion, &r.Directory, &accounts, &failed, &fetches, &seen, &versions); err != nil {
				return err
			}
			r.StartedAt, r.FinishedAt = fromUS(started), fromUS(finished)
			r.Accounts, r.AccountsFailed, r.Fetches, r.PostsSeen, r.VersionsNew = int(accounts), int(failed), int(fetches), int(seen), int(versions)
			b.Runs = append(b.Runs, r)
			return nil
		}},
	{"account_crawls", `SELECT run_id, account_id, network, started_at, finished_at, status, error, pages, posts_seen,
		versions_new, deleted, newest_post_at, sweep, sweep_complete, sweep_checked`,
		func(rows driver.Rows, b *archive.Batch) error {
			var c archive.AccountCrawl
			var network, status string
			var started, finished, newest int64
			var pages, seen, versions, deleted, checked int32
			var sweep, complete uint8
			if err := rows.Scan(&c.RunID, &c.AccountID, &network, &started, &finished, &status, &c.Error, &pages, &seen,
				&versions, &deleted, &newest, &sweep, &complete, &checked); err != nil {
				return err
			}
			c.Sweep, c.SweepComplete, c.SweepChecked = sweep == 1, complete == 1, int(checked)
			c.Network, c.Status = archive.Network(network), archive.CrawlStatus(status)
			c.StartedAt, c.FinishedAt, c.NewestPostAt = fromUS(started), fromUS(finished), fromUS(newest)
			c.Pages, c.PostsSeen, c.VersionsNew, c.Deleted = int(pages), int(seen), int(versions), int(deleted)
			b.Crawls = append(b.Crawls, c)
			return nil
		}},
	{"fixity_checks", `SELECT checked_at, warc_dir, files, records, refs, problems, report`,
		func(rows driver.Rows, b *archive.Batch) error {
			var f archive.FixityCheck
			var at, records, refs, problems int64
			var files int32
			if err := rows.Scan(&at, &f.WARCDir, &files, &records, &refs, &problems, &f.Report); err != nil {
				return err
			}
			f.CheckedAt, f.Files, f.Records, f.References, f.Problems = fromUS(at), int(files), int(records), int(refs), int(problems)
			b.Fixity = append(b.Fixity, f)
			return nil
		}},
}

// postColumns are the columns scanPost reads, in its order.
const postColumns = `network, account_id, post_id, version, url, author, published_at, edited_at, edited, captured_at,
	text, raw, raw_type, language, reply_to, repost_of, media, metrics, content_sha256, source_url, warc_file, warc_record_id,
	warc_offset, warc_digest, crawler_version, run_id, shared`

// scanPost reads a row of postColumns.
func scanPost(rows driver.Rows) (archive.Post, error) {
	var p archive.Post
	var network, raw, media, metrics, shared string
	var version int32
	var published, edited, captured int64
	var editedFlag uint8
	if err := rows.Scan(&network, &p.AccountID, &p.PostID, &version, &p.URL, &p.Author, &published, &edited, &editedFlag,
		&captured, &p.Text, &raw, &p.RawType, &p.Language, &p.ReplyTo, &p.RepostOf, &media, &metrics, &p.ContentSHA256,
		&p.SourceURL, &p.WARC.File, &p.WARC.RecordID, &p.WARC.Offset, &p.WARC.Digest, &p.CrawlerVersion, &p.RunID, &shared); err != nil {
		return p, err
	}
	if err := decodeShared(&p, shared); err != nil {
		return p, err
	}
	p.Network, p.Version, p.Edited = archive.Network(network), int(version), editedFlag == 1
	p.PublishedAt, p.EditedAt, p.CapturedAt = fromUS(published), fromUS(edited), fromUS(captured)
	if raw != "" {
		p.Raw = []byte(raw)
	}
	return p, decodeMediaMetrics(&p, media, metrics)
}

// accountColumns are the columns scanAccount reads, in its order.
const accountColumns = `account_id, network, handle, endpoint, type, area, administered_by_area, servant_name,
	servant_position, servant_level, office_from, office_to, registered_on, subject, facts_sha256, recorded_at, electoral`

// scanAccount reads a row of accountColumns.
func scanAccount(rows driver.Rows) (archive.Account, error) {
	var a archive.Account
	var network string
	var administered uint8
	var level int32
	var from, to, reg, recorded int64
	var electoral string
	if err := rows.Scan(&a.ID, &network, &a.Handle, &a.Endpoint, &a.Type, &a.Area, &administered, &a.ServantName,
		&a.ServantPosition, &level, &from, &to, &reg, &a.Subject, &a.FactsSHA256, &recorded, &electoral); err != nil {
		return a, err
	}
	if electoral != "" {
		if err := json.Unmarshal([]byte(electoral), &a.Electoral); err != nil {
			return a, fmt.Errorf("decode the electoral facts of account %q: %w", a.ID, err)
		}
	}
	a.Network, a.AdministeredByArea, a.ServantLevel = archive.Network(network), administered == 1, int(level)
	a.OfficeFrom, a.OfficeTo, a.RegisteredOn, a.RecordedAt = fromUS(from), fromUS(to), fromUS(reg), fromUS(recorded)
	return a, nil
}
