package clickhouse

import (
	"context"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
)

// headsBatch is a batch of one post with two versions, a decision on each
// and a deletion.
func headsBatch(id string) (*archive.Batch, archive.Post) {
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	p1 := archivetest.Post("obras", "1", 1, "Bacheo", t0)
	p2 := archivetest.Post("obras", "1", 2, "Bacheo nocturno", t0)
	return &archive.Batch{ID: id, Posts: []archive.Post{p1, p2},
		Decisions: []archive.Decision{archivetest.Decide(p1, archive.Personal, "model v1", t0), archivetest.Decide(p2, archive.Function, "model v1", t0.Add(time.Hour))},
		Events:    []archive.Event{{Network: p2.Network, AccountID: "obras", PostID: "1", Kind: archive.DeletedAtSource, ObservedAt: t0.Add(2 * time.Hour)}},
	}, p2
}

// checkHead fails t unless the one post of headsBatch searches as it should.
func checkHead(t *testing.T, s *Store, p archive.Post) {
	t.Helper()
	res, err := s.Search(context.Background(), archive.Query{Text: "nocturno", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Total != 1 {
		t.Fatalf("found %d posts (total %d), want the one", len(res.Hits), res.Total)
	}
	h := res.Hits[0]
	if h.Version != 2 || h.Versions != 2 || h.ContentSHA256 != p.ContentSHA256 || h.Decision.Label != archive.Function ||
		h.Decision.Rationale != "motivo model v1" || h.DeletedAtSource.IsZero() {
		t.Errorf("the post searches as version %d of %d, %s, %q, %q, deleted %v; want version 2 of 2, its hash, function, its rationale, deleted",
			h.Version, h.Versions, h.ContentSHA256, h.Decision.Label, h.Decision.Rationale, h.DeletedAtSource)
	}
}

// A replayed batch whose blocks reached their tables but not post_heads
// (the server stopped between the two) puts them in post_heads; replaying
// it again changes nothing.
func TestReplayRepairsHeads(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	b, p := headsBatch("b1")
	if err := s.Append(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.conn.Exec(ctx, "TRUNCATE TABLE "+s.db+".post_heads"); err != nil {
		t.Fatal(err)
	}
	if res, err := s.Search(ctx, archive.Query{}); err != nil || res.Total != 0 {
		t.Fatalf("without its heads the post searches: %v, %v", res, err)
	}
	for range 2 {
		b.Replayed = true
		if err := s.Append(ctx, b); err != nil {
			t.Fatal(err)
		}
		checkHead(t, s, p)
	}
}

// An archive made before post_heads gets it, filled from its records, when
// it is opened.
func TestOpenFillsHeadsOfAnOlderArchive(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	b, p := headsBatch("")
	if err := s.Append(ctx, b); err != nil {
		t.Fatal(err)
	}
	// Back to schema 1: no post_heads, no views.
	for _, stmt := range []string{"DROP TABLE " + s.db + ".post_heads_from_post_versions", "DROP TABLE " + s.db + ".post_heads_from_decisions",
		"DROP TABLE " + s.db + ".post_heads_from_events", "DROP TABLE " + s.db + ".post_heads", "TRUNCATE TABLE " + s.db + ".schema_migrations"} {
		if err := s.conn.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	old, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.db+".schema_migrations (version, applied_at)")
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Append(int32(1), time.Now().UnixMicro()); err != nil {
		t.Fatal(err)
	}
	if err := old.Send(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, server(t)+"/"+s.db, "")
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	checkHead(t, again, p)
}
