package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "a.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	archivetest.Run(t, func(t *testing.T) archive.Store { return openTemp(t) })
}

func TestAppendIsAtomic(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	// Break the last table a batch writes to, so that a batch fails after
	// its posts, captures and decisions were appended: none may remain.
	if _, err := s.db.Exec(`DROP TABLE runs`); err != nil {
		t.Fatal(err)
	}
	p := archivetest.Post("obras", "1", 1, "Bacheo", time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	batch := &archive.Batch{
		Posts:     []archive.Post{p},
		Captures:  []archive.Capture{{Network: p.Network, AccountID: "obras", PostID: "1", CapturedAt: p.CapturedAt, ContentSHA256: p.ContentSHA256}},
		Decisions: []archive.Decision{archivetest.Decide(p, archive.Function, "rule:v1", p.CapturedAt)},
		Runs:      []archive.Run{{ID: "r1", StartedAt: p.CapturedAt, FinishedAt: p.CapturedAt}},
	}
	if err := s.Append(context.Background(), batch); err == nil {
		t.Fatal("Append into a missing table succeeded")
	}
	for _, table := range []string{"post_versions", "captures", "decisions"} {
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("after a failed batch %s holds %d rows, want 0", table, n)
		}
	}
	batch.Runs = nil
	if err := s.Append(context.Background(), batch); err != nil {
		t.Fatalf("Append after a failed batch: %v", err)
	}
}

func TestReopenKeepsRecordsAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.duckdb")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := archivetest.Post("obras", "1", 1, "Bacheo", time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	if err := s.Append(context.Background(), &archive.Batch{Posts: []archive.Post{p}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var version int
	if err := ro.db.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if got, want := version, SchemaVersion(); got != want {
		t.Errorf("schema version = %d, want %d", got, want)
	}
	res, err := ro.Search(context.Background(), archive.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].Text != "Bacheo" {
		t.Errorf("reopened archive holds %+v", res.Hits)
	}
	if err := ro.Append(context.Background(), &archive.Batch{Posts: []archive.Post{p}}); err == nil {
		t.Error("Append to a read-only archive succeeded")
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(context.Background(), filepath.Join(dir, "none.duckdb"), Options{ReadOnly: true})
	if !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("read-only open of a missing file: %v, want ErrNotFound", err)
	}
	_, err = Open(context.Background(), filepath.Join(dir, "no-such-folder", "a.duckdb"), Options{})
	if err == nil {
		t.Error("open in a missing folder succeeded")
	}
	_, err = Open(context.Background(), filepath.Join(dir, "a?b.duckdb"), Options{})
	if err == nil {
		t.Error("open of a path with '?' succeeded")
	}
}

// TestMigratesArchivesOfEarlierVersions opens an archive written at schema
// version 1 (before WARC references) and checks that its records stay and
// the new columns and tables work.
func TestMigratesArchivesOfEarlierVersions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.duckdb")
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	old := &Store{path: path, db: sql.OpenDB(connector)}
	if err := old.apply(context.Background(), ms[0]); err != nil {
		t.Fatal(err)
	}
	p := archivetest.Post("obras", "1", 1, "Bacheo", time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	if _, err := old.db.Exec(`INSERT INTO post_versions (network, account_id, post_id, version, edited, captured_at, text, content_sha256)
		VALUES (?, ?, ?, 1, false, ?, ?, ?)`, string(p.Network), p.AccountID, p.PostID, p.CapturedAt, p.Text, p.ContentSHA256); err != nil {
		t.Fatal(err)
	}
	if err := old.db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("open an archive of schema 1: %v", err)
	}
	defer s.Close()
	q := archivetest.Post("obras", "2", 1, "Poda", time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC))
	q.WARC = archive.WARCRef{File: "f.warc.gz", RecordID: "<urn:uuid:q>", Offset: 7, Digest: "sha256:Q"}
	if err := s.Append(context.Background(), &archive.Batch{Posts: []archive.Post{q},
		Crawls: []archive.AccountCrawl{{RunID: "r", AccountID: "obras", Network: archive.Mastodon, StartedAt: q.CapturedAt, FinishedAt: q.CapturedAt, Status: archive.CrawlOK}}}); err != nil {
		t.Fatalf("append after migrating: %v", err)
	}
	res, err := s.Search(context.Background(), archive.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 {
		t.Errorf("after migrating, search finds %d posts, want the old one and the new one", len(res.Hits))
	}
	h, err := s.History(context.Background(), q.Key())
	if err != nil {
		t.Fatal(err)
	}
	if h.Versions[0].WARC != q.WARC {
		t.Errorf("WARC reference after migrating = %+v, want %+v", h.Versions[0].WARC, q.WARC)
	}
}

// absent is what fileMode returns for a file that is not there.
const absent os.FileMode = 1 << 31

// fileMode returns the permission bits of a file, or absent.
func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return absent
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// The archive holds personal content: a new archive file is its owner's
// only, and so is every write-ahead log DuckDB starts after a checkpoint.
func TestArchiveFilesAreTheOwnersOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.duckdb")
	s, err := Open(context.Background(), path, Options{CheckpointThreshold: "1KB"})
	if err != nil {
		t.Fatal(err)
	}
	if got := fileMode(t, path); got != 0o600 {
		t.Errorf("new archive: mode %v, want 0600", got)
	}
	logs := 0
	for i := range 5 {
		id := fmt.Sprint(i)
		p := archivetest.Post("obras", id, 1, "Bacheo en la colonia "+id, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
		if err := s.Append(context.Background(), &archive.Batch{Posts: []archive.Post{p}}); err != nil {
			t.Fatal(err)
		}
		switch got := fileMode(t, s.logPath()); got {
		case absent:
		case 0o600:
			logs++
		default:
			t.Errorf("after append %d: write-ahead log mode %v, want 0600", i, got)
		}
	}
	if logs == 0 {
		t.Error("no append left a write-ahead log to check")
	}

	// DuckDB writes into a log made beforehand, keeping its mode: what
	// leaves no moment with a log others may read.
	if _, err := s.db.Exec("CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	if got := fileMode(t, s.logPath()); got != absent {
		t.Fatalf("after a checkpoint: write-ahead log mode %v, want none", got)
	}
	s.prepareLog()
	if _, err := s.db.Exec("INSERT INTO batches VALUES ('prueba', now())"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(s.logPath()); err != nil || fi.Size() == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("log after a write into the one prepared: %v, %v; want it written, mode 0600", fi, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := fileMode(t, path); got != 0o600 {
		t.Errorf("closed archive: mode %v, want 0600", got)
	}

	// An archive its owner gave another mode keeps it, and its log gets it.
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	s, err = Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := archivetest.Post("obras", "otro", 1, "Bacheo", time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC))
	if err := s.Append(context.Background(), &archive.Batch{Posts: []archive.Post{p}}); err != nil {
		t.Fatal(err)
	}
	if got := fileMode(t, s.logPath()); got != 0o640 {
		t.Errorf("log of an archive of mode 0640: %v, want 0640", got)
	}
	s.Close()
	if got := fileMode(t, path); got != 0o640 {
		t.Errorf("existing archive: mode %v, want the 0640 its owner gave it", got)
	}
}
