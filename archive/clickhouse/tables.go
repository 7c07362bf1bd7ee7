package clickhouse

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// column is a column of a table and its ClickHouse type.
type column struct{ name, typ string }

// table maps one record type of a Batch to a table: its columns, how it is
// partitioned and ordered, and how a record becomes a row (values in column
// order, of the Go types clickhouse-go expects for each column type).
type table struct {
	name      string
	columns   []column
	partition string // expression on a column of microseconds
	order     string
	// granule, when set, is the table's index_granularity: rows per mark
	// of the primary index. The post tables use small granules because a
	// search reads one account's posts, a few rows in each part, and the
	// default 8,192 rows per granule made it read most of every part.
	granule int
	rows    func(b *archive.Batch) int
	row     func(b *archive.Batch, i int) ([]any, error)
}

func cols(spec string) []column {
	var out []column
	for _, f := range strings.Split(spec, ",") {
		name, typ, _ := strings.Cut(strings.TrimSpace(f), " ")
		out = append(out, column{name, typ})
	}
	return out
}

// postGranule is the index granularity of the tables read post by post.
const postGranule = 1024

// month partitions by the month of a microseconds column.
func month(col string) string { return "toYYYYMM(toDateTime(intDiv(" + col + ", 1000000)))" }

var tables = []table{
	{
		name: "post_versions",
		columns: cols(`network String, account_id String, post_id String, version Int32, url String, author String,
			published_at Int64, edited_at Int64, edited UInt8, captured_at Int64, text String, text_folded String,
			raw String, raw_type String, language String, reply_to String, repost_of String, media String, metrics String,
			content_sha256 String, source_url String, warc_file String, warc_record_id String, warc_offset Int64,
			warc_digest String, crawler_version String, run_id String, shared String`),
		partition: month("captured_at"), order: "(account_id, network, post_id, version)", granule: postGranule,
		rows: func(b *archive.Batch) int { return len(b.Posts) },
		row: func(b *archive.Batch, i int) ([]any, error) {
			p := &b.Posts[i]
			media, metrics, err := encodeMediaMetrics(p)
			if err != nil {
				return nil, err
			}
			shared, err := encodeShared(p)
			if err != nil {
				return nil, err
			}
			return []any{string(p.Network), p.AccountID, p.PostID, int32(p.Version), p.URL, p.Author,
				us(p.PublishedAt), us(p.EditedAt), flag(p.Edited), us(p.CapturedAt), p.Text, archive.FoldPost(p),
				string(p.Raw), p.RawType, p.Language, p.ReplyTo, p.RepostOf, media, metrics,
				p.ContentSHA256, p.SourceURL, p.WARC.File, p.WARC.RecordID, p.WARC.Offset,
				p.WARC.Digest, p.CrawlerVersion, p.RunID, shared}, nil
		},
	},
	{
		name:      "captures",
		columns:   cols(`network String, account_id String, post_id String, captured_at Int64, content_sha256 String, source_url String, run_id String`),
		partition: month("captured_at"), order: "(account_id, network, post_id, captured_at)", granule: postGranule,
		rows: func(b *archive.Batch) int { return len(b.Captures) },
		row: func(b *archive.Batch, i int) ([]any, error) {
			c := &b.Captures[i]
			return []any{string(c.Network), c.AccountID, c.PostID, us(c.CapturedAt), c.ContentSHA256, c.SourceURL, c.RunID}, nil
		},
	},
	{
		name:      "events",
		columns:   cols(`network String, account_id String, post_id String, kind String, observed_at Int64, content_sha256 String, evidence String, run_id String`),
		partition: month("observed_at"), order: "(account_id, network, post_id, observed_at)", granule: postGranule,
		rows: func(b *archive.Batch) int { return len(b.Events) },
		row: func(b *archive.Batch, i int) ([]any, error) {
			e := &b.Events[i]
			return []any{string(e.Network), e.AccountID, e.PostID, string(e.Kind), us(e.ObservedAt), e.ContentSHA256, e.Evidence, e.RunID}, nil
		},
	},
	{
		name: "decisions",
		columns: cols(`network String, account_id String, post_id String, content_sha256 String, label String,
			confidence Float64, basis String, rationale String, decided_by String, decided_at Int64`),
		partition: month("decided_at"), order: "(account_id, network, post_id, decided_at)", granule: postGranule,
		rows: func(b *archive.Batch) int { return len(b.Decisions) },
		row: func(b *archive.Batch, i int) ([]any, error) {
			d := &b.Decisions[i]
			return []any{string(d.Network), d.AccountID, d.PostID, d.ContentSHA256, string(d.Label),
				d.Confidence, d.Basis, d.Rationale, d.DecidedBy, us(d.DecidedAt)}, nil
		},
	},
	{
		name: "fetches",
		columns: cols(`run_id String, account_id String, network String, url String, status Int32, bytes Int64,
			duration_ms Float64, attempt Int32, error String, fetched_at Int64, warc_file String, warc_record_id String,
			warc_offset Int64, warc_digest String`),
		partition: month("fetched_at"), order: "(account_id, fetched_at)",
		rows: func(b *archive.Batch) int { return len(b.Fetches) },
		row: func(b *archive.Batch, i int) ([]any, error) {
			f := &b.Fetches[i]
			return []any{f.RunID, f.AccountID, string(f.Network), f.URL, int32(f.Status), f.Bytes,
				float64(f.Duration) / float64(time.Millisecond), int32(f.Attempt), f.Error, us(f.FetchedAt),
				f.WARC.File, f.WARC.RecordID, f.WARC.Offset, f.WARC.Digest}, nil
		},
	},
	{
		name: "accounts",
		columns: cols(`account_id String, network String, handle String, endpoint String, type String, area String,
			administered_by_area UInt8, servant_name String, servant_position String, servant_level Int32,
			office_from Int64, office_to Int64, registered_on Int64, subject String, facts_sha256 String, recorded_at Int64,
			electoral String`),
		partition: month("recorded_at"), order: "(account_id, recorded_at)",
		rows: func(b *archive.Batch) int { return len(b.Accounts) },
		row: func(b *archive.Batch, i int) ([]any, error) {
			a := &b.Accounts[i]
			electoral := ""
			if !a.Electoral.IsZero() {
				e, err := json.Marshal(a.Electoral)
				if err != nil {
					return nil, err
				}
				electoral = string(e)
			}
			return []any{a.ID, string(a.Network), a.Handle, a.Endpoint, a.Type, a.Area, flag(a.AdministeredByArea),
				a.ServantName, a.ServantPosition, int32(a.ServantLevel), us(a.OfficeFrom), us(a.OfficeTo), us(a.RegisteredOn),
				a.Subject, a.FactsSHA256, us(a.RecordedAt), electoral}, nil
		},
	},
	{
		name: "runs",
		columns: cols(`run_id String, started_at Int64, finished_at Int64, crawler_version String, directory String,
			accounts Int32, accounts_failed Int32, fetches Int32, posts_seen Int32, versions_new Int32`),
		partition: month("started_at"), order: "(started_at, run_id)",
		rows: func(b *archive.Batch) int { return len(b.Runs) },
		row: func(b *archive.Batch, i int) ([]any, error) {
			r := &b.Runs[i]
			return []any{r.ID, us(r.StartedAt), us(r.FinishedAt), r.CrawlerVersion, r.Directory,
				int32(r.Accounts), int32(r.AccountsFailed), int32(r.Fetches), int32(r.PostsSeen), int32(r.VersionsNew)}, nil
		},
	},
	{
		name: "account_crawls",
		columns: cols(`run_id String, account_id String, network String, started_at Int64, finished_at Int64, status String,
			error String, pages Int32, posts_seen Int32, versions_new Int32, deleted Int32, newest_post_at Int64,
			sweep UInt8, sweep_complete UInt8, sweep_checked Int32`),
		partition: month("finished_at"), order: "(account_id, finished_at)",
		rows: func(b *archive.Batch) int { return len(b.Crawls) },
		row: func(b *archive.Batch, i int) ([]any, error) {
			c := &b.Crawls[i]
			return []any{c.RunID, c.AccountID, string(c.Network), us(c.StartedAt), us(c.FinishedAt), string(c.Status),
				c.Error, int32(c.Pages), int32(c.PostsSeen), int32(c.VersionsNew), int32(c.Deleted), us(c.NewestPostAt),
				flag(c.Sweep), flag(c.SweepComplete), int32(c.SweepChecked)}, nil
		},
	},
	{
		name:      "fixity_checks",
		columns:   cols(`checked_at Int64, warc_dir String, files Int32, records Int64, refs Int64, problems Int64, report String`),
		partition: month("checked_at"), order: "checked_at",
		rows: func(b *archive.Batch) int { return len(b.Fixity) },
		row: func(b *archive.Batch, i int) ([]any, error) {
			f := &b.Fixity[i]
			return []any{us(f.CheckedAt), f.WARCDir, int32(f.Files), int64(f.Records), int64(f.References), int64(f.Problems), f.Report}, nil
		},
	},
}

// us is a time in microseconds since 1970, UTC; 0 for the zero time.
func us(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromUS undoes us.
func fromUS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func flag(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func encodeMediaMetrics(p *archive.Post) (media, metrics string, err error) {
	if len(p.Media) > 0 {
		j, err := json.Marshal(p.Media)
		if err != nil {
			return "", "", err
		}
		media = string(j)
	}
	if len(p.Metrics) > 0 {
		j, err := json.Marshal(p.Metrics)
		if err != nil {
			return "", "", err
		}
		metrics = string(j)
	}
	return media, metrics, nil
}

// encodeShared gives the post's Shared as a JSON object, or "".
func encodeShared(p *archive.Post) (string, error) {
	if p.Shared == nil {
		return "", nil
	}
	j, err := json.Marshal(p.Shared)
	return string(j), err
}

// decodeShared sets the post's Shared from its JSON column ("": none).
func decodeShared(p *archive.Post, shared string) error {
	if shared == "" {
		return nil
	}
	p.Shared = new(archive.Shared)
	if err := json.Unmarshal([]byte(shared), p.Shared); err != nil {
		return fmt.Errorf("decode shared post: %w", err)
	}
	return nil
}

func decodeMediaMetrics(p *archive.Post, media, metrics string) error {
	if media != "" {
		if err := json.Unmarshal([]byte(media), &p.Media); err != nil {
			return err
		}
	}
	if metrics != "" {
		if err := json.Unmarshal([]byte(metrics), &p.Metrics); err != nil {
			return err
		}
	}
	return nil
}
