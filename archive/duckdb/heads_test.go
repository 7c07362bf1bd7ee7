package duckdb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
)

// TestHeadsMatchTheView appends random histories — edits, reverts to an
// earlier text, decisions by models and people, deletions and
// restorations — shuffled and cut into random batches, so that records
// arrive out of order (a decision before its version, version 2 before
// version 1), and checks after every batch that post_heads, as searches
// read it, gives what the current_posts view computes from the records.
// At the end it also rebuilds the table as the migration does and checks
// the rebuild gives the same.
func TestHeadsMatchTheView(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			ctx := context.Background()
			s, err := Open(ctx, filepath.Join(t.TempDir(), "a.duckdb"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			r := rand.New(rand.NewPCG(seed, 42))
			records := randomHistory(r)
			for len(records) > 0 {
				n := min(len(records), 1+r.IntN(12))
				b := &archive.Batch{}
				for _, add := range records[:n] {
					add(b)
				}
				records = records[n:]
				if err := s.Append(ctx, b); err != nil {
					t.Fatal(err)
				}
				compareHeadsWithView(t, s)
			}
			var before int
			if err := s.db.QueryRow("SELECT count(*) FROM post_heads").Scan(&before); err != nil {
				t.Fatal(err)
			}
			ms, err := migrations()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.db.Exec(ms[5].sql); err != nil {
				t.Fatal(err)
			}
			var after int
			if err := s.db.QueryRow("SELECT count(*) FROM post_heads").Scan(&after); err != nil {
				t.Fatal(err)
			}
			if after != before {
				t.Errorf("the migration rebuilds %d post heads, appends kept %d", after, before)
			}
			compareHeadsWithView(t, s)
		})
	}
}

// randomHistory returns, shuffled, functions adding to a batch the records
// of a few accounts' posts.
func randomHistory(r *rand.Rand) []func(*archive.Batch) {
	var out []func(*archive.Batch)
	clock := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	tick := func() time.Time { // distinct times: the view breaks no ties
		clock = clock.Add(time.Duration(1+r.IntN(90)) * time.Minute)
		return clock
	}
	texts := []string{"Bacheo en la colonia Centro", "Bacheo en la colonia Centro y Analco", "Feliz cumpleaños, mamá"}
	labels := []archive.Label{archive.Function, archive.Personal, archive.Undetermined}
	for a := range 3 {
		account := fmt.Sprintf("cuenta%d", a)
		for i := range 6 {
			id := fmt.Sprint(i)
			published := tick()
			var shas []string
			for v := 1; v <= 1+r.IntN(4); v++ {
				p := archivetest.Post(account, id, v, texts[r.IntN(len(texts))], published)
				p.Edited = v > 1 && r.IntN(2) == 0
				p.ContentSHA256 = p.ContentHash()
				shas = append(shas, p.ContentSHA256)
				out = append(out, func(b *archive.Batch) { b.Posts = append(b.Posts, p) })
				d := archivetest.Decide(p, labels[r.IntN(len(labels))], "model v1", tick())
				d.Confidence = r.Float64()
				out = append(out, func(b *archive.Batch) { b.Decisions = append(b.Decisions, d) })
			}
			for range r.IntN(3) { // later decisions, on any version
				p := archivetest.Post(account, id, 1, "", published)
				p.ContentSHA256 = shas[r.IntN(len(shas))]
				by := "model v2"
				if r.IntN(3) == 0 {
					by = "person:ana"
				}
				d := archivetest.Decide(p, labels[r.IntN(len(labels))], by, tick())
				out = append(out, func(b *archive.Batch) { b.Decisions = append(b.Decisions, d) })
			}
			for range r.IntN(3) {
				kind := archive.DeletedAtSource
				if r.IntN(2) == 0 {
					kind = archive.Restored
				}
				e := archive.Event{Network: archive.Mastodon, AccountID: account, PostID: id, Kind: kind, ObservedAt: tick(), RunID: "r"}
				out = append(out, func(b *archive.Batch) { b.Events = append(b.Events, e) })
			}
		}
		acct := archive.Account{ID: account, Network: archive.Mastodon, Handle: account, Type: "personal", Area: "Obras", ServantLevel: -1, FactsSHA256: "f", RecordedAt: tick()}
		out = append(out, func(b *archive.Batch) { b.Accounts = append(b.Accounts, acct) })
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// compareHeadsWithView fails t with the posts on which the heads searches
// read and the current_posts view differ.
func compareHeadsWithView(t *testing.T, s *Store) {
	t.Helper()
	const cols = `network, account_id, post_id, version, versions, published_at, edited, content_sha256,
		label, confidence, basis, decided_by, decided_at, deleted_at_source, account_type, area, reviewed`
	for _, q := range []struct{ name, sql string }{
		{"the view, not the heads", "SELECT " + cols + " FROM current_posts EXCEPT SELECT " + cols + " FROM (" + heads + ")"},
		{"the heads, not the view", "SELECT " + cols + " FROM (" + heads + ") EXCEPT SELECT " + cols + " FROM current_posts"},
	} {
		rows, err := s.db.Query(q.sql)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals := make([]any, 17)
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			t.Errorf("in %s: %v", q.name, vals)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
