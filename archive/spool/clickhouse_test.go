package spool

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/archive/clickhouse"
)

// clickHouse opens a new database on the test server (scripts/test starts
// one: VIGIA_TEST_CLICKHOUSE), dropped when the test ends.
func clickHouse(t *testing.T) archive.Store {
	t.Helper()
	u := strings.TrimRight(os.Getenv("VIGIA_TEST_CLICKHOUSE"), "/")
	if u == "" {
		if os.Getenv("VIGIA_REQUIRE_CLICKHOUSE") != "" {
			t.Fatal("VIGIA_REQUIRE_CLICKHOUSE is set but VIGIA_TEST_CLICKHOUSE names no server: scripts/test starts one")
		}
		t.Skip("no ClickHouse server: scripts/test starts one (set VIGIA_TEST_CLICKHOUSE=clickhouse://127.0.0.1:PORT)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	db := "vigia_spool_" + hex.EncodeToString(b[:])
	s, err := clickhouse.Open(context.Background(), u+"/"+db, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		if pu, err := url.Parse(u); err == nil {
			_ = exec.Command("clickhouse-client", "--port", pu.Port(), "-q", "DROP DATABASE IF EXISTS "+db).Run()
		}
	})
	return s
}

// halfway stores only the versions of a batch (one table of several, as
// a ClickHouse append interrupted between its INSERTs leaves it), then
// fails.
type halfway struct{ archive.Store }

func (h halfway) Append(ctx context.Context, b *archive.Batch) error {
	if err := h.Store.Append(ctx, &archive.Batch{ID: b.ID, Replayed: b.Replayed, Posts: b.Posts}); err != nil {
		return err
	}
	return errors.New("connection reset by peer")
}

// TestOfflineBatchHalfDeliveredToClickHouse: an offline batch whose first
// delivery stored its versions and nothing else is delivered again after a
// restart exactly as the first time (its rebased form is kept in the
// spool), so that its events and decisions arrive and nothing twice.
func TestOfflineBatchHalfDeliveredToClickHouse(t *testing.T) {
	ctx := context.Background()
	st := clickHouse(t)
	same := archivetest.Post("obras", "same", 1, "Sin cambios", published)
	edited := archivetest.Post("obras", "edited", 1, "Antes", published)
	for _, p := range []archive.Post{same, edited} {
		if err := st.Append(ctx, crawled(p, archive.FirstSeen)); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	sp, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A crawl with no head cache, the archive unreachable, in one batch.
	later := published.Add(24 * time.Hour)
	b := &archive.Batch{}
	for _, p := range []archive.Post{same, archivetest.Post("obras", "edited", 1, "Después", published), archivetest.Post("obras", "fresh", 1, "Nuevo", later)} {
		p.CapturedAt = later
		b.Merge(crawled(p, archive.FirstSeen))
	}
	front := &Front{Store: NewUnreachable(errors.New("connection refused")), Spool: sp}
	if _, err := front.Heads(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := front.Append(ctx, b); err != nil {
		t.Fatal(err)
	}
	if n, err := sp.Flush(ctx, halfway{st}); n != 0 || err == nil {
		t.Fatalf("half a delivery: %d delivered, %v", n, err)
	}
	if kept, _ := filepath.Glob(filepath.Join(dir, rebasedPrefix+"*")); len(kept) != 1 {
		t.Fatalf("the rebased batch is not kept in the spool: %v", kept)
	}
	// Killed there; the next process delivers it again.
	sp2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := sp2.Flush(ctx, st); n != 1 || err != nil {
		t.Fatalf("the replay: %d delivered, %v", n, err)
	}
	if h := history(t, st, "obras", "same"); len(h.Versions) != 1 || len(h.Decisions) != 1 || kinds(h)[archive.FirstSeen] != 1 || h.Captures != 2 {
		t.Errorf("unchanged post: %d versions, %d decisions, %d captures, events %v; want 1, 1, 2, one first seen", len(h.Versions), len(h.Decisions), h.Captures, kinds(h))
	}
	if h := history(t, st, "obras", "edited"); len(h.Versions) != 2 || kinds(h)[archive.Edited] != 1 || kinds(h)[archive.FirstSeen] != 1 || len(h.Decisions) != 2 {
		t.Errorf("edited post: %d versions, events %v, %d decisions; want 2, first seen and one edit, 2", len(h.Versions), kinds(h), len(h.Decisions))
	}
	if h := history(t, st, "obras", "fresh"); len(h.Versions) != 1 || kinds(h)[archive.FirstSeen] != 1 || len(h.Decisions) != 1 {
		t.Errorf("new post: %d versions, events %v, %d decisions", len(h.Versions), kinds(h), len(h.Decisions))
	}
	if kept, _ := filepath.Glob(filepath.Join(dir, rebasedPrefix+"*")); len(kept) != 0 {
		t.Errorf("rebased batches left after delivery: %v", kept)
	}
}
