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
)

var published = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

// crawled is what a crawl sends of a new version: the version, its capture,
// its event and its decision.
func crawled(p archive.Post, kind archive.EventKind) *archive.Batch {
	return &archive.Batch{
		Posts:     []archive.Post{p},
		Captures:  []archive.Capture{{Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, CapturedAt: p.CapturedAt, ContentSHA256: p.ContentSHA256}},
		Events:    []archive.Event{{Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, Kind: kind, ObservedAt: p.CapturedAt, ContentSHA256: p.ContentSHA256, Evidence: "version 1 seen in x"}},
		Decisions: []archive.Decision{archivetest.Decide(p, archive.Function, "rule", p.CapturedAt)},
	}
}

// history reads a post's history from the archive.
func history(t *testing.T, s archive.Store, account, id string) *archive.PostHistory {
	t.Helper()
	h, err := s.History(context.Background(), archive.Key{Network: archive.Mastodon, AccountID: account, PostID: id})
	if err != nil {
		t.Fatalf("history of %s/%s: %v", account, id, err)
	}
	return h
}

func kinds(h *archive.PostHistory) map[archive.EventKind]int {
	out := map[archive.EventKind]int{}
	for _, ev := range h.Events {
		out[ev.Kind]++
	}
	return out
}

// TestHeadCacheReadsWhileTheArchiveIsDown: the Front's reads refresh the
// cache while the archive answers; with the archive unreachable they come
// from the cache, including what was spooled meanwhile, also after the
// process stops without saving (the pending batches are applied again).
func TestHeadCacheReadsWhileTheArchiveIsDown(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := store(t)
	p1 := archivetest.Post("obras", "1", 1, "Aviso 1", published)
	p2 := archivetest.Post("obras", "2", 1, "Aviso 2", published)
	if err := st.Append(ctx, &archive.Batch{Posts: []archive.Post{p1, p2}}); err != nil {
		t.Fatal(err)
	}
	sp, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	front := &Front{Store: st, Spool: sp}
	if _, err := front.Heads(ctx, []string{"obras"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, headsFile)); err != nil {
		t.Fatalf("the head cache was not saved: %v", err)
	}

	// The archive goes away; a crawl edits post 2 and sees post 1 deleted.
	down := &Front{Store: NewUnreachable(errors.New("connection refused")), Spool: sp}
	heads, err := down.Heads(ctx, []string{"obras"})
	if err != nil || len(heads) != 2 || heads[p2.Key()].ContentSHA256 != p2.ContentSHA256 {
		t.Fatalf("heads from the cache: %v, %v", heads, err)
	}
	p2b := archivetest.Post("obras", "2", 2, "Aviso 2, corregido", published)
	b := crawled(p2b, archive.Edited)
	b.Events = append(b.Events, archive.Event{Network: archive.Mastodon, AccountID: "obras", PostID: "1", Kind: archive.DeletedAtSource, ObservedAt: time.Now().UTC()})
	if err := down.Append(ctx, b); err != nil {
		t.Fatal(err)
	}
	if !b.Offline {
		t.Error("a batch crawled from the cache is not marked offline")
	}
	// Killed: no Close, no save. The next process reads the cache back
	// with the pending batch applied.
	sp2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	heads, _ = (&Front{Store: NewUnreachable(errors.New("connection refused")), Spool: sp2}).Heads(ctx, nil)
	if h := heads[p2.Key()]; h.Version != 2 || h.ContentSHA256 != p2b.ContentSHA256 {
		t.Errorf("post 2 after a restart: %+v, want version 2 of the edit", h)
	}
	if !heads[p1.Key()].Deleted {
		t.Errorf("post 1 after a restart: %+v, want deleted", heads[p1.Key()])
	}
	if bl := sp2.Backlog(); bl.Batches != 1 || bl.Records != 5 || bl.Oldest.IsZero() || bl.HeadsPosts != 2 || bl.HeadsRefreshed.IsZero() {
		t.Errorf("backlog %+v, want 1 batch of 5 records, 2 heads known", bl)
	}

	// The archive is back: delivered once, and the archive's heads agree.
	if n, err := sp2.Flush(ctx, st); n != 1 || err != nil {
		t.Fatalf("flush: %d, %v", n, err)
	}
	if h := history(t, st, "obras", "2"); len(h.Versions) != 2 || kinds(h)[archive.Edited] != 1 {
		t.Errorf("post 2: %d versions, events %v", len(h.Versions), kinds(h))
	}
	if h := history(t, st, "obras", "1"); kinds(h)[archive.DeletedAtSource] != 1 {
		t.Errorf("post 1: events %v, want one deletion", kinds(h))
	}
}

// TestOfflineBatchesNumberedAgainAtDelivery: a crawl whose cache never saw
// the archive takes every post for new; at delivery what the archive holds
// is left out, an edit is numbered after the archive's latest, a deletion
// recorded already is not recorded again; a replay of the same batches
// (delivered, then read back as after a crash) stores nothing more.
func TestOfflineBatchesNumberedAgainAtDelivery(t *testing.T) {
	ctx := context.Background()
	st := store(t)
	same := archivetest.Post("obras", "same", 1, "Sin cambios", published)
	edited := archivetest.Post("obras", "edited", 1, "Antes", published)
	gone := archivetest.Post("obras", "gone", 1, "Borrado", published)
	for _, p := range []archive.Post{same, edited, gone} {
		if err := st.Append(ctx, crawled(p, archive.FirstSeen)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Append(ctx, &archive.Batch{Events: []archive.Event{{Network: archive.Mastodon, AccountID: "obras", PostID: "gone", Kind: archive.DeletedAtSource, ObservedAt: published.Add(2 * time.Hour)}}}); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	sp, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	front := &Front{Store: NewUnreachable(errors.New("connection refused")), Spool: sp}
	if heads, _ := front.Heads(ctx, nil); len(heads) != 0 {
		t.Fatalf("an empty cache knows %d heads", len(heads))
	}
	later := published.Add(24 * time.Hour)
	sameAgain := same
	sameAgain.CapturedAt = later
	editedNow := archivetest.Post("obras", "edited", 1, "Después", published)
	editedNow.CapturedAt = later
	fresh := archivetest.Post("obras", "fresh", 1, "Nuevo", later)
	deletion := &archive.Batch{Events: []archive.Event{{Network: archive.Mastodon, AccountID: "obras", PostID: "gone", Kind: archive.DeletedAtSource, ObservedAt: later}}}
	for _, b := range []*archive.Batch{crawled(sameAgain, archive.FirstSeen), crawled(editedNow, archive.FirstSeen), crawled(fresh, archive.FirstSeen), deletion} {
		if err := front.Append(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	segments, _ := filepath.Glob(filepath.Join(dir, "*"+suffix))
	saved := map[string][]byte{}
	for _, f := range segments {
		saved[f], _ = os.ReadFile(f)
	}

	check := func(when string) {
		t.Helper()
		if h := history(t, st, "obras", "same"); len(h.Versions) != 1 || len(h.Decisions) != 1 || kinds(h)[archive.FirstSeen] != 1 || h.Captures != 2 {
			t.Errorf("%s: unchanged post: %d versions, %d decisions, %d captures, events %v; want 1, 1, 2, one first seen", when, len(h.Versions), len(h.Decisions), h.Captures, kinds(h))
		}
		h := history(t, st, "obras", "edited")
		if len(h.Versions) != 2 || h.Versions[1].Version != 2 || kinds(h)[archive.Edited] != 1 || kinds(h)[archive.FirstSeen] != 1 || len(h.Decisions) != 2 {
			t.Errorf("%s: edited post: %d versions, events %v, %d decisions; want 2, first seen and edited, 2", when, len(h.Versions), kinds(h), len(h.Decisions))
		}
		for _, ev := range h.Events {
			if ev.Kind == archive.Edited && ev.Evidence != "version 2 seen in x" {
				t.Errorf("%s: the edit's evidence says %q", when, ev.Evidence)
			}
		}
		if h := history(t, st, "obras", "fresh"); len(h.Versions) != 1 || kinds(h)[archive.FirstSeen] != 1 {
			t.Errorf("%s: new post: %d versions, events %v", when, len(h.Versions), kinds(h))
		}
		if h := history(t, st, "obras", "gone"); kinds(h)[archive.DeletedAtSource] != 1 {
			t.Errorf("%s: deleted post: events %v, want one deletion", when, kinds(h))
		}
	}
	if n, err := sp.Flush(ctx, st); n != 4 || err != nil {
		t.Fatalf("flush: %d, %v", n, err)
	}
	check("delivered")

	// A crash after delivery, before the segments were removed: they are
	// read back and replayed.
	for f, data := range saved {
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	sp2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := sp2.Flush(ctx, st); n != 4 || err != nil {
		t.Fatalf("replay: %d, %v", n, err)
	}
	check("replayed")
}
