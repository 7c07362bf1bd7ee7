package archivetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// testRandomHistories appends random histories of posts (edits, an edit
// undone, decisions of rules, models and people on any version, a person's
// superseding the rest, deletions and restorations), shuffled into random
// batches appended two at a time, and checks every query shape: the posts
// Search finds, and what it says of each, are what the posts' histories
// (History reads the records, not the engine's summary of them) say they
// should be, and Facets counts exactly what Search finds. Both engines run
// it, so both give the answers the histories give.
func testRandomHistories(t *testing.T, s archive.Store) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			checkRandomHistory(t, s, seed)
		})
	}
}

func checkRandomHistory(t *testing.T, s archive.Store, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 20))
	pre := fmt.Sprintf("s%d-", seed) // each seed's own accounts
	accounts := []string{pre + "obras", pre + "cultura", pre + "prensa", pre + "huerfana"}
	networks := []archive.Network{archive.Mastodon, archive.Telegram, archive.Mastodon, archive.RSS}
	areas := []string{"Obras Públicas", "Cultura", "Comunicación Social", ""}
	words := []string{"bacheo", "poda", "cine", "familia", "fútbol", "vecinos", "Juárez"}
	labels := []archive.Label{archive.Function, archive.Function, archive.Personal, archive.Undetermined}
	bases := []string{"Tercera", "Sexta", "Cuarta", ""}
	deciders := []string{"model v1", "model v2", "rule:v1", "person:ana"}
	var records []archive.Batch // one record each, shuffled below
	add := func(b archive.Batch) { records = append(records, b) }
	for i, id := range accounts[:3] {
		a := archive.Account{ID: id, Network: networks[i], Handle: "@" + id, Type: "personal", Area: areas[i], ServantName: "Servidor " + id,
			ServantLevel: 2, RecordedAt: t0}
		a.FactsSHA256 = a.FactsHash()
		add(archive.Batch{Accounts: []archive.Account{a}})
	}
	at := func() time.Time { return t0.Add(time.Duration(rng.IntN(1000)) * time.Minute) }
	var keys []archive.Key
	for n := range 40 {
		ai := rng.IntN(len(accounts))
		published := t0.Add(time.Duration(rng.IntN(96)) * time.Hour)
		var versions []archive.Post
		for v := 1; v <= 1+rng.IntN(3); v++ {
			text := fmt.Sprintf("Aviso %d: %s", n, words[rng.IntN(len(words))])
			if v == 3 && rng.IntN(2) == 0 {
				text = versions[0].Text // an edit undone: version 1's content again
			}
			p := Post(accounts[ai], fmt.Sprint(n), v, text, published)
			p.Network = networks[ai]
			p.Edited = rng.IntN(5) == 0
			p.CapturedAt = t0.Add(time.Duration(v*200+rng.IntN(100)) * time.Hour)
			p.ContentSHA256 = p.ContentHash()
			versions = append(versions, p)
			add(archive.Batch{Posts: []archive.Post{p}})
		}
		keys = append(keys, versions[0].Key())
		// Every version the crawler archives comes with a decision; more
		// come later, on any version.
		decide := func(p archive.Post) {
			d := Decide(p, labels[rng.IntN(len(labels))], deciders[rng.IntN(len(deciders))], at())
			d.Confidence, d.Basis = []float64{0.4, 0.7, 0.8, 1}[rng.IntN(4)], bases[rng.IntN(len(bases))]
			if d.Label == archive.Undetermined {
				d.Basis = ""
			}
			add(archive.Batch{Decisions: []archive.Decision{d}})
		}
		for _, p := range versions {
			decide(p)
		}
		for range rng.IntN(3) {
			decide(versions[rng.IntN(len(versions))])
		}
		// Deleted, perhaps restored, perhaps deleted again, at distinct
		// times.
		for e, kind := range []archive.EventKind{archive.DeletedAtSource, archive.Restored, archive.DeletedAtSource}[:rng.IntN(4)] {
			p := versions[len(versions)-1]
			add(archive.Batch{Events: []archive.Event{{Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, Kind: kind,
				ObservedAt: t0.Add(time.Duration(2000+100*e+rng.IntN(50)) * time.Hour), ContentSHA256: p.ContentSHA256}}})
		}
	}
	rng.Shuffle(len(records), func(i, j int) { records[i], records[j] = records[j], records[i] })
	// Random batches, appended by two writers at once.
	var batches []*archive.Batch
	for len(records) > 0 {
		n := min(len(records), 1+rng.IntN(12))
		b := &archive.Batch{}
		for _, r := range records[:n] {
			b.Posts, b.Decisions = append(b.Posts, r.Posts...), append(b.Decisions, r.Decisions...)
			b.Events, b.Accounts = append(b.Events, r.Events...), append(b.Accounts, r.Accounts...)
		}
		batches, records = append(batches, b), records[n:]
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < len(batches); i += 2 {
				if err := s.Append(ctx, batches[i]); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("Append: %v", err)
		}
	}

	// What each post's history says it is now.
	type current struct {
		key      archive.Key
		latest   archive.Post
		versions int
		standing archive.Decision
		reviewed bool
		deleted  bool
		area     string
	}
	var posts []current
	for _, k := range keys {
		h, err := s.History(ctx, k)
		if err != nil {
			t.Fatalf("History(%v): %v", k, err)
		}
		c := current{key: k, latest: h.Versions[len(h.Versions)-1], versions: len(h.Versions), standing: h.Standing(), reviewed: h.Reviewed()}
		var last *archive.Event
		for i := range h.Events {
			e := &h.Events[i]
			if (e.Kind == archive.DeletedAtSource || e.Kind == archive.Restored) && (last == nil || e.ObservedAt.After(last.ObservedAt)) {
				last = e
			}
		}
		c.deleted = last != nil && last.Kind == archive.DeletedAtSource
		c.area = areas[slices.Index(accounts, k.AccountID)]
		posts = append(posts, c)
	}
	vis := archive.Visibility{Threshold: 0.75}
	from, to := t0.Add(24*time.Hour), t0.Add(72*time.Hour)
	tests := []struct {
		name  string
		q     archive.Query
		match func(c current) bool
	}{
		{"all", archive.Query{}, func(c current) bool { return true }},
		{"label", archive.Query{Label: archive.Function}, func(c current) bool { return c.standing.Label == archive.Function }},
		{"labels", archive.Query{Labels: []archive.Label{archive.Personal, archive.Undetermined}}, func(c current) bool {
			return c.standing.Label == archive.Personal || c.standing.Label == archive.Undetermined
		}},
		{"public", archive.Query{Public: true, Visibility: vis}, func(c current) bool { return vis.Admits(c.standing, c.reviewed) }},
		{"account", archive.Query{Account: accounts[0]}, func(c current) bool { return c.key.AccountID == accounts[0] }},
		{"network", archive.Query{Network: archive.Telegram}, func(c current) bool { return c.key.Network == archive.Telegram }},
		{"area", archive.Query{Area: areas[1]}, func(c current) bool { return c.area == areas[1] }},
		{"servant", archive.Query{Servant: "servidor " + accounts[2]}, func(c current) bool { return c.key.AccountID == accounts[2] }},
		{"text", archive.Query{Text: "BACHEO"}, func(c current) bool { return strings.Contains(archive.FoldPost(&c.latest), "bacheo") }},
		{"period", archive.Query{From: from, To: to}, func(c current) bool {
			return !c.latest.PublishedAt.Before(from) && c.latest.PublishedAt.Before(to)
		}},
		{"edited", archive.Query{Edited: true}, func(c current) bool { return c.latest.Edited || c.versions > 1 }},
		{"deleted", archive.Query{Deleted: true}, func(c current) bool { return c.deleted }},
		{"basis", archive.Query{Basis: "Sexta"}, func(c current) bool { return c.standing.Basis == "Sexta" }},
		{"needs review", archive.Query{NeedsReview: 0.75, Visibility: vis}, func(c current) bool {
			d := c.standing
			return !archive.IsPerson(d.DecidedBy) && (c.reviewed || d.Label == archive.Undetermined || d.Confidence < 0.75 || vis.BelowThreshold(d))
		}},
		{"public in an area, edited", archive.Query{Public: true, Visibility: vis, Area: areas[0], Edited: true}, func(c current) bool {
			return vis.Admits(c.standing, c.reviewed) && c.area == areas[0] && (c.latest.Edited || c.versions > 1)
		}},
		{"function text of an account, deleted", archive.Query{Labels: []archive.Label{archive.Function}, Text: "poda", Account: accounts[1], Deleted: true},
			func(c current) bool {
				return c.standing.Label == archive.Function && strings.Contains(archive.FoldPost(&c.latest), "poda") && c.key.AccountID == accounts[1] && c.deleted
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			want := map[archive.Key]current{}
			for _, c := range posts {
				if tt.match(c) {
					want[c.key] = c
				}
			}
			res, err := s.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var own []archive.Hit // this seed's: the store holds the others' too
			for _, h := range res.Hits {
				if strings.HasPrefix(h.AccountID, pre) {
					own = append(own, h)
				}
			}
			if len(own) != len(want) {
				t.Errorf("Search(%+v) found %d posts of this history, want %d", q, len(own), len(want))
			}
			for _, h := range own {
				c, ok := want[h.Key()]
				if !ok {
					t.Errorf("Search(%+v) found %v, which its history does not match", q, h.Key())
					continue
				}
				if h.Version != c.latest.Version || h.Versions != c.versions || h.Decision.Label != c.standing.Label || h.Decision.Basis != c.standing.Basis ||
					h.Decision.DecidedBy != c.standing.DecidedBy || h.Reviewed != c.reviewed || h.DeletedAtSource.IsZero() == c.deleted || h.Area != c.area {
					t.Errorf("Search(%+v) says of %v: version %d of %d, %s %q by %q, reviewed %v, deleted %v, area %q; its history: version %d of %d, %s %q by %q, reviewed %v, deleted %v, area %q",
						q, h.Key(), h.Version, h.Versions, h.Decision.Label, h.Decision.Basis, h.Decision.DecidedBy, h.Reviewed, !h.DeletedAtSource.IsZero(), h.Area,
						c.latest.Version, c.versions, c.standing.Label, c.standing.Basis, c.standing.DecidedBy, c.reviewed, c.deleted, c.area)
				}
			}
			f, err := s.Facets(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if want := tally(res.Hits); !reflect.DeepEqual(f, want) {
				t.Errorf("Facets(%+v) =\n%+v\nwant the counts of the posts Search finds:\n%+v", q, f, want)
			}
		})
	}
}
