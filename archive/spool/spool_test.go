package spool

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/archive/duckdb"
)

func store(t *testing.T) *duckdb.Store {
	t.Helper()
	s, err := duckdb.Open(context.Background(), filepath.Join(t.TempDir(), "a.duckdb"), duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func batch(id string) *archive.Batch {
	p := archivetest.Post("obras", id, 1, "Aviso "+id, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	return &archive.Batch{Posts: []archive.Post{p}, Captures: []archive.Capture{{Network: p.Network, AccountID: "obras", PostID: id,
		CapturedAt: p.CapturedAt, ContentSHA256: p.ContentSHA256}}}
}

// count says how many versions and captures the archive holds.
func count(t *testing.T, s archive.Store) (versions, captures int) {
	t.Helper()
	res, err := s.Search(context.Background(), archive.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		hist, err := s.History(context.Background(), h.Key())
		if err != nil {
			t.Fatal(err)
		}
		versions += len(hist.Versions)
		captures += hist.Captures
	}
	return versions, captures
}

// down is an archive that refuses appends while down is set.
type down struct {
	archive.Appender
	down bool
}

func (d *down) Append(ctx context.Context, b *archive.Batch) error {
	if d.down {
		return errors.New("connection refused")
	}
	return d.Appender.Append(ctx, b)
}

func TestDeliversInOrderAndHoldsWhileTheArchiveIsDown(t *testing.T) {
	dir := t.TempDir()
	sp, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := store(t)
	arc := &down{Appender: st, down: true}
	for _, id := range []string{"1", "2", "3"} {
		if err := sp.Append(batch(id)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := sp.Flush(context.Background(), arc); n != 0 || err == nil {
		t.Fatalf("flush into an archive that is down: %d delivered, %v", n, err)
	}
	if n, oldest := sp.Pending(); n != 3 || oldest.IsZero() {
		t.Errorf("pending %d since %v, want 3", n, oldest)
	}
	arc.down = false
	if n, err := sp.Flush(context.Background(), arc); n != 3 || err != nil {
		t.Fatalf("flush once it is back: %d delivered, %v", n, err)
	}
	if v, c := count(t, st); v != 3 || c != 3 {
		t.Errorf("archive holds %d versions, %d captures; want 3 and 3", v, c)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"+suffix))
	if n, _ := sp.Pending(); n != 0 || len(files) != 0 {
		t.Errorf("after delivery: %d pending, files %v", n, files)
	}
}

func TestReplayAfterARestartStoresEachBatchOnce(t *testing.T) {
	dir := t.TempDir()
	sp, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := store(t)
	first, second := batch("1"), batch("2")
	for _, b := range []*archive.Batch{first, second} {
		if err := sp.Append(b); err != nil {
			t.Fatal(err)
		}
	}
	// The first reached the archive, then the crawler died before the spool
	// could drop it.
	if err := st.Append(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	sp.Close()
	again, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := again.Pending(); n != 2 {
		t.Fatalf("pending after a restart = %d, want 2", n)
	}
	if n, err := again.Flush(context.Background(), st); n != 2 || err != nil {
		t.Fatalf("replay: %d delivered, %v", n, err)
	}
	if v, c := count(t, st); v != 2 || c != 2 {
		t.Errorf("archive holds %d versions, %d captures; want 2 and 2 (each batch once)", v, c)
	}
}

func TestTornTailIsReportedAndSkipped(t *testing.T) {
	dir := t.TempDir()
	sp, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"1", "2"} {
		if err := sp.Append(batch(id)); err != nil {
			t.Fatal(err)
		}
	}
	sp.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*"+suffix))
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	// A crash in the middle of the second frame.
	if err := os.WriteFile(files[0], data[:len(data)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := again.Pending(); n != 1 {
		t.Errorf("pending = %d, want the first batch, whole", n)
	}
	if p := again.Problems(); len(p) != 1 || p[0].File != files[0] || p[0].Offset == 0 {
		t.Errorf("problems = %v, want one naming the file and the torn frame's offset", p)
	}
	// New appends go to a new segment and are delivered after the old one.
	if err := again.Append(batch("3")); err != nil {
		t.Fatal(err)
	}
	st := store(t)
	if n, err := again.Flush(context.Background(), st); n != 2 || err != nil {
		t.Errorf("flush: %d, %v", n, err)
	}
}

func TestFullSpoolRefusesAndKeepsWhatItHas(t *testing.T) {
	dir := t.TempDir()
	sp, err := Open(dir, Options{MaxBytes: 4000}) // one batch (≈ 2.8 KB), not two
	if err != nil {
		t.Fatal(err)
	}
	if err := sp.Append(batch("1")); err != nil {
		t.Fatal(err)
	}
	err = sp.Append(batch("2"))
	if !errors.Is(err, ErrFull) {
		t.Fatalf("append past the limit: %v, want ErrFull", err)
	}
	st := store(t)
	if n, err := sp.Flush(context.Background(), st); n != 1 || err != nil {
		t.Fatalf("flush: %d, %v", n, err)
	}
	if err := sp.Append(batch("2")); err != nil {
		t.Errorf("once delivered, the spool takes records again: %v", err)
	}
}

// Spooled batches hold personal content: the folder is 0700, each segment
// 0600.
func TestSpoolIsTheOwnersOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a-spool")
	sp, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	if err := sp.Append(batch("1")); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"+suffix))
	if len(files) != 1 {
		t.Fatalf("segments %v, want one", files)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, files[0]: 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", path, got, want)
		}
	}
}
