package duckdb

import (
	"database/sql/driver"
	"encoding/json"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// table maps one record type of a Batch to the columns of its table, in the
// table's column order (the Appender fills every column).
type table struct {
	name string
	rows func(b *archive.Batch) int
	row  func(b *archive.Batch, i int) ([]driver.Value, error)
}

var tables = []table{
	{"post_versions", func(b *archive.Batch) int { return len(b.Posts) }, postRow},
	{"captures", func(b *archive.Batch) int { return len(b.Captures) }, func(b *archive.Batch, i int) ([]driver.Value, error) {
		c := &b.Captures[i]
		return []driver.Value{string(c.Network), c.AccountID, c.PostID, c.CapturedAt.UTC(), c.ContentSHA256, null(c.SourceURL), null(c.RunID)}, nil
	}},
	{"events", func(b *archive.Batch) int { return len(b.Events) }, func(b *archive.Batch, i int) ([]driver.Value, error) {
		e := &b.Events[i]
		return []driver.Value{string(e.Network), e.AccountID, e.PostID, string(e.Kind), e.ObservedAt.UTC(), null(e.ContentSHA256), null(e.Evidence), null(e.RunID)}, nil
	}},
	{"decisions", func(b *archive.Batch) int { return len(b.Decisions) }, func(b *archive.Batch, i int) ([]driver.Value, error) {
		d := &b.Decisions[i]
		return []driver.Value{string(d.Network), d.AccountID, d.PostID, d.ContentSHA256, string(d.Label), d.Confidence, d.Basis, d.Rationale, d.DecidedBy, d.DecidedAt.UTC()}, nil
	}},
	{"fetches", func(b *archive.Batch) int { return len(b.Fetches) }, func(b *archive.Batch, i int) ([]driver.Value, error) {
		f := &b.Fetches[i]
		return []driver.Value{null(f.RunID), f.AccountID, string(f.Network), f.URL, int32(f.Status), f.Bytes,
			float64(f.Duration) / float64(time.Millisecond), int32(f.Attempt), null(f.Error), f.FetchedAt.UTC(),
			null(f.WARC.File), null(f.WARC.RecordID), nullOffset(f.WARC), null(f.WARC.Digest)}, nil
	}},
	{"accounts", func(b *archive.Batch) int { return len(b.Accounts) }, func(b *archive.Batch, i int) ([]driver.Value, error) {
		a := &b.Accounts[i]
		var level driver.Value
		if a.ServantLevel >= 0 {
			level = int32(a.ServantLevel)
		}
		var electoral driver.Value
		if !a.Electoral.IsZero() {
			e, err := json.Marshal(a.Electoral)
			if err != nil {
				return nil, err
			}
			electoral = string(e)
		}
		return []driver.Value{a.ID, string(a.Network), a.Handle, null(a.Endpoint), a.Type, null(a.Area), a.AdministeredByArea,
			null(a.ServantName), null(a.ServantPosition), level, nullTime(a.OfficeFrom), nullTime(a.OfficeTo), nullTime(a.RegisteredOn),
			null(a.Subject), a.FactsSHA256, a.RecordedAt.UTC(), electoral}, nil
	}},
	{"runs", func(b *archive.Batch) int { return len(b.Runs) }, func(b *archive.Batch, i int) ([]driver.Value, error) {
		r := &b.Runs[i]
		return []driver.Value{r.ID, r.StartedAt.UTC(), r.FinishedAt.UTC(), null(r.CrawlerVersion), null(r.Directory),
			int32(r.Accounts), int32(r.AccountsFailed), int32(r.Fetches), int32(r.PostsSeen), int32(r.VersionsNew)}, nil
	}},
	{"account_crawls", func(b *archive.Batch) int { return len(b.Crawls) }, func(b *archive.Batch, i int) ([]driver.Value, error) {
		c := &b.Crawls[i]
		return []driver.Value{c.RunID, c.AccountID, string(c.Network), c.StartedAt.UTC(), c.FinishedAt.UTC(), string(c.Status), null(c.Error),
			int32(c.Pages), int32(c.PostsSeen), int32(c.VersionsNew), int32(c.Deleted), nullTime(c.NewestPostAt),
			c.Sweep, c.SweepComplete, int32(c.SweepChecked)}, nil
	}},
	{"fixity_checks", func(b *archive.Batch) int { return len(b.Fixity) }, func(b *archive.Batch, i int) ([]driver.Value, error) {
		f := &b.Fixity[i]
		return []driver.Value{f.CheckedAt.UTC(), f.WARCDir, int32(f.Files), int64(f.Records), int64(f.References), int64(f.Problems), null(f.Report)}, nil
	}},
}

func postRow(b *archive.Batch, i int) ([]driver.Value, error) {
	p := &b.Posts[i]
	media, metrics, err := encodeMediaMetrics(p)
	if err != nil {
		return nil, err
	}
	shared, err := encodeShared(p)
	if err != nil {
		return nil, err
	}
	var raw driver.Value
	if p.Raw != nil {
		raw = p.Raw
	}
	return []driver.Value{
		string(p.Network), p.AccountID, p.PostID, int32(p.Version), null(p.URL), null(p.Author),
		nullTime(p.PublishedAt), nullTime(p.EditedAt), p.Edited, p.CapturedAt.UTC(), p.Text,
		raw, null(p.RawType), null(p.Language), null(p.ReplyTo), null(p.RepostOf), media, metrics,
		p.ContentSHA256, null(p.SourceURL), null(p.WARC.File), null(p.WARC.RecordID), null(p.CrawlerVersion), null(p.RunID),
		nullOffset(p.WARC), null(p.WARC.Digest), archive.FoldPost(p), shared,
	}, nil
}

func nullOffset(r archive.WARCRef) driver.Value {
	if r.IsZero() {
		return nil
	}
	return r.Offset
}

func encodeMediaMetrics(p *archive.Post) (media, metrics driver.Value, err error) {
	if len(p.Media) > 0 {
		j, err := json.Marshal(p.Media)
		if err != nil {
			return nil, nil, err
		}
		media = string(j)
	}
	if len(p.Metrics) > 0 {
		j, err := json.Marshal(p.Metrics)
		if err != nil {
			return nil, nil, err
		}
		metrics = string(j)
	}
	return media, metrics, nil
}

// encodeShared gives the post's Shared as a JSON object, or NULL.
func encodeShared(p *archive.Post) (driver.Value, error) {
	if p.Shared == nil {
		return nil, nil
	}
	j, err := json.Marshal(p.Shared)
	if err != nil {
		return nil, err
	}
	return string(j), nil
}

func null(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func nullTime(t time.Time) driver.Value {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}
