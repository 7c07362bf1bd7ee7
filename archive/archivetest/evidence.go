package archivetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

func testHeadsDeleted(t *testing.T, s archive.Store) {
	p := Post("obras", "1", 1, "Aviso", t0)
	q := Post("obras", "2", 1, "Aviso dos", t0.Add(time.Hour))
	ev := func(id string, kind archive.EventKind, at time.Time) archive.Event {
		return archive.Event{Network: p.Network, AccountID: "obras", PostID: id, Kind: kind, ObservedAt: at}
	}
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{p, q}, Events: []archive.Event{
		ev("1", archive.DeletedAtSource, t0.Add(2*time.Hour)),
		ev("2", archive.DeletedAtSource, t0.Add(2*time.Hour)),
		ev("2", archive.Restored, t0.Add(3*time.Hour)),
		{Network: p.Network, AccountID: "obras", Kind: archive.AccountUnreachable, ObservedAt: t0.Add(4 * time.Hour)},
	}})
	heads, err := s.Heads(context.Background(), []string{"obras"})
	if err != nil {
		t.Fatal(err)
	}
	if got := heads[p.Key()]; !got.Deleted || !got.PublishedAt.Equal(t0) {
		t.Errorf("head of the deleted post = %+v, want deleted, published %v", got, t0)
	}
	if got := heads[q.Key()]; got.Deleted || !got.PublishedAt.Equal(q.PublishedAt) {
		t.Errorf("head of the restored post = %+v, want not deleted, published %v", got, q.PublishedAt)
	}
	if len(heads) != 2 {
		t.Errorf("heads = %v: an account-level event must not make a post", heads)
	}
}

func testHealth(t *testing.T, s archive.Store) {
	acct := func(id string) archive.Account {
		a := archive.Account{ID: id, Network: archive.Mastodon, Handle: "@" + id + "@social.example", Type: "official", ServantLevel: -1, RecordedAt: t0}
		a.FactsSHA256 = a.FactsHash()
		return a
	}
	crawl := func(id string, status archive.CrawlStatus, at time.Time, msg string) archive.AccountCrawl {
		return archive.AccountCrawl{RunID: "r", AccountID: id, Network: archive.Mastodon, StartedAt: at.Add(-time.Second), FinishedAt: at, Status: status, Error: msg}
	}
	p := Post("obras", "1", 1, "Aviso", t0.Add(-48*time.Hour))
	mustAppend(t, s, &archive.Batch{
		Accounts: []archive.Account{acct("obras"), acct("nunca")},
		Posts:    []archive.Post{p},
		Crawls: []archive.AccountCrawl{
			crawl("obras", archive.CrawlUnreachable, t0, "lookup: 503"),
			crawl("obras", archive.CrawlOK, t0.Add(time.Hour), ""),
			crawl("obras", archive.CrawlPartial, t0.Add(2*time.Hour), "page 2: timeout"),
			crawl("obras", archive.CrawlUnreachable, t0.Add(3*time.Hour), "lookup: 404"),
		},
	})
	got, err := s.Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].AccountID != "nunca" || got[1].AccountID != "obras" {
		t.Fatalf("Health = %+v, want nunca and obras", got)
	}
	if n := got[0]; !n.LastAttempt.IsZero() || n.ConsecutiveFailures != 0 || n.Posts != 0 {
		t.Errorf("never crawled account = %+v", n)
	}
	o := got[1]
	if !o.LastAttempt.Equal(t0.Add(3*time.Hour)) || !o.LastSuccess.Equal(t0.Add(time.Hour)) || o.LastStatus != archive.CrawlUnreachable {
		t.Errorf("obras attempts = %+v, want last attempt at +3h, success at +1h, unreachable", o)
	}
	if o.ConsecutiveFailures != 2 || o.LastError != "lookup: 404" || !o.LastErrorAt.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("obras failures = %d %q at %v, want 2, the 404, at +3h", o.ConsecutiveFailures, o.LastError, o.LastErrorAt)
	}
	if o.Posts != 1 || !o.NewestPostAt.Equal(p.PublishedAt) || o.Lag(t0) != 48*time.Hour {
		t.Errorf("obras posts = %d newest %v lag %v, want 1, %v, 48h", o.Posts, o.NewestPostAt, o.Lag(t0), p.PublishedAt)
	}
	if !o.LastSweep.IsZero() || !got[0].LastSweep.IsZero() {
		t.Errorf("accounts never swept show sweeps at %v and %v", o.LastSweep, got[0].LastSweep)
	}

	// Sweeps: the latest one that ended ok is the account's last sweep,
	// with its count and whether it reached the end; a later sweep that
	// failed and a later crawl that was no sweep change nothing.
	sweep := func(status archive.CrawlStatus, at time.Time, complete bool, checked int) archive.AccountCrawl {
		c := crawl("obras", status, at, "")
		c.Sweep, c.SweepComplete, c.SweepChecked = true, complete, checked
		return c
	}
	mustAppend(t, s, &archive.Batch{Crawls: []archive.AccountCrawl{
		sweep(archive.CrawlOK, t0.Add(4*time.Hour), true, 120),
		sweep(archive.CrawlOK, t0.Add(5*time.Hour), false, 80),
		sweep(archive.CrawlPartial, t0.Add(6*time.Hour), false, 3),
		crawl("obras", archive.CrawlOK, t0.Add(7*time.Hour), ""),
	}})
	if got, err = s.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if o := got[1]; !o.LastSweep.Equal(t0.Add(5*time.Hour)) || o.LastSweepChecked != 80 || o.LastSweepComplete {
		t.Errorf("obras last sweep = %v, %d checked, complete %v; want +5h, 80, false", o.LastSweep, o.LastSweepChecked, o.LastSweepComplete)
	}
}

func testHistory(t *testing.T, s archive.Store) {
	v1 := Post("obras", "7", 1, "Bacheo", t0)
	v2 := Post("obras", "7", 2, "Bacheo en Vallarta", t0)
	v2.CapturedAt = v1.CapturedAt.Add(time.Hour)
	v2.WARC = archive.WARCRef{File: "a.warc.gz", RecordID: "<urn:uuid:1>", Offset: 1234, Digest: "sha256:AA"}
	other := Post("cultura", "7", 1, "Cine", t0)
	other.Network = archive.Bluesky
	other.ContentSHA256 = other.ContentHash()
	cap := func(p archive.Post, at time.Time) archive.Capture {
		return archive.Capture{Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, CapturedAt: at, ContentSHA256: p.ContentSHA256}
	}
	mustAppend(t, s, &archive.Batch{
		Posts:     []archive.Post{v1, v2, other},
		Captures:  []archive.Capture{cap(v1, t0), cap(v1, t0.Add(time.Hour)), cap(v2, t0.Add(2*time.Hour))},
		Decisions: []archive.Decision{Decide(v1, archive.Function, "rule:v1", t0), Decide(v2, archive.Function, "rule:v1", t0.Add(time.Hour))},
		Events: []archive.Event{
			{Network: v1.Network, AccountID: "obras", PostID: "7", Kind: archive.FirstSeen, ObservedAt: t0},
			{Network: v1.Network, AccountID: "obras", PostID: "7", Kind: archive.Edited, ObservedAt: t0.Add(time.Hour), Evidence: "visto"},
		},
	})
	ctx := context.Background()
	for ref, want := range map[string]int{"7": 2, "obras/7": 1, v1.URL: 1, "nada": 0} {
		keys, err := s.Lookup(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != want {
			t.Errorf("Lookup(%q) = %v, want %d keys", ref, keys, want)
		}
	}
	h, err := s.History(ctx, v1.Key())
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 2 || h.Versions[0].Text != v1.Text || h.Versions[1].Text != v2.Text || string(h.Versions[1].Raw) != string(v2.Raw) {
		t.Errorf("versions = %+v, want both, oldest first, raw included", h.Versions)
	}
	if h.Versions[1].WARC != v2.WARC {
		t.Errorf("WARC reference = %+v, want %+v", h.Versions[1].WARC, v2.WARC)
	}
	if len(h.Events) != 2 || h.Events[1].Kind != archive.Edited || h.Events[1].Evidence != "visto" {
		t.Errorf("events = %+v", h.Events)
	}
	if len(h.Decisions) != 2 || h.Captures != 3 || !h.FirstCaptured.Equal(t0) || !h.LastCaptured.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("decisions %d, captures %d from %v to %v; want 2, 3 from %v to %v", len(h.Decisions), h.Captures, h.FirstCaptured, h.LastCaptured, t0, t0.Add(2*time.Hour))
	}
	wantSeen := []archive.Seen{{ContentSHA256: v1.ContentSHA256, First: t0, Last: t0.Add(time.Hour), Captures: 2},
		{ContentSHA256: v2.ContentSHA256, First: t0.Add(2 * time.Hour), Last: t0.Add(2 * time.Hour), Captures: 1}}
	if len(h.Seen) != len(wantSeen) {
		t.Errorf("seen = %+v, want %+v", h.Seen, wantSeen)
	}
	for i := range min(len(h.Seen), len(wantSeen)) {
		if g, w := h.Seen[i], wantSeen[i]; g.ContentSHA256 != w.ContentSHA256 || !g.First.Equal(w.First) || !g.Last.Equal(w.Last) || g.Captures != w.Captures {
			t.Errorf("seen[%d] = %+v, want %+v", i, g, w)
		}
	}
	// Histories reads many posts' at once, each as History does; a key
	// the archive does not hold, or that only crosses another key's
	// account and id, is left out.
	hr, ok := s.(archive.HistoryReader)
	if !ok {
		t.Fatalf("%T does not read many histories at once (archive.HistoryReader)", s)
	}
	crossed := archive.Key{Network: archive.Mastodon, AccountID: "cultura", PostID: "7"}
	nada := archive.Key{Network: archive.Mastodon, AccountID: "obras", PostID: "nada"}
	hs, err := hr.Histories(ctx, []archive.Key{v1.Key(), other.Key(), crossed, nada})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 2 || hs[crossed] != nil || hs[nada] != nil {
		t.Errorf("Histories gave %d posts, want the 2 held", len(hs))
	}
	for _, k := range []archive.Key{v1.Key(), other.Key()} {
		one, err := s.History(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprintf("%+v", hs[k]), fmt.Sprintf("%+v", one); got != want {
			t.Errorf("Histories of %v\n got %s\nwant %s", k, got, want)
		}
	}
	if _, err := s.History(ctx, archive.Key{Network: archive.Mastodon, AccountID: "obras", PostID: "nada"}); !errorsIsNotFound(err) {
		t.Errorf("History of an unknown post: %v, want ErrNotFound", err)
	}
}

func testWARCRefs(t *testing.T, s archive.Store) {
	p := Post("obras", "1", 1, "Aviso", t0)
	p.WARC = archive.WARCRef{File: "a.warc.gz", RecordID: "<urn:uuid:p>", Offset: 10, Digest: "sha256:P"}
	p.Media[0].WARCFile, p.Media[0].WARCRecordID, p.Media[0].WARCOffset, p.Media[0].WARCDigest = "a.warc.gz", "<urn:uuid:m>", 30, "sha256:M"
	plain := Post("obras", "2", 1, "Sin evidencia", t0)
	f := archive.Fetch{AccountID: "obras", Network: archive.Mastodon, URL: "https://social.example/api", Status: 200, Attempt: 1, FetchedAt: t0,
		WARC: archive.WARCRef{File: "a.warc.gz", RecordID: "<urn:uuid:f>", Offset: 20, Digest: "sha256:F"}}
	failed := archive.Fetch{AccountID: "obras", Network: archive.Mastodon, URL: "https://social.example/x", Attempt: 1, FetchedAt: t0, Error: "refused"}
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{p, plain}, Fetches: []archive.Fetch{f, failed}})
	var got []string
	err := s.WARCRefs(context.Background(), func(u archive.WARCUse) error {
		got = append(got, fmt.Sprint(u.Table, " ", u.Ref.File, " ", u.Ref.RecordID, " ", u.Ref.Offset, " ", u.Ref.Digest))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{
		"fetches a.warc.gz <urn:uuid:f> 20 sha256:F",
		"media a.warc.gz <urn:uuid:m> 30 sha256:M",
		"post_versions a.warc.gz <urn:uuid:p> 10 sha256:P",
	}
	if !slices.Equal(got, want) {
		t.Errorf("WARCRefs = %q, want %q", got, want)
	}
	// A search hit carries the reference of its version, which is what an
	// access package copies its evidence from; an edit, its own.
	searchRefs := func(when string, want map[string]archive.WARCRef) {
		t.Helper()
		res, err := s.Search(context.Background(), archive.Query{Account: "obras"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != len(want) {
			t.Fatalf("%s: search found %d posts, want %d", when, len(res.Hits), len(want))
		}
		for _, h := range res.Hits {
			if h.WARC != want[h.PostID] {
				t.Errorf("%s: post %s carries WARC %+v, want %+v", when, h.PostID, h.WARC, want[h.PostID])
			}
		}
	}
	searchRefs("appended", map[string]archive.WARCRef{"1": p.WARC, "2": {}})
	edit := Post("obras", "1", 2, "Aviso corregido", t0)
	edit.WARC = archive.WARCRef{File: "b.warc.gz", RecordID: "<urn:uuid:e>", Offset: 1 << 33, Digest: "sha256:E"}
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{edit}})
	searchRefs("edited", map[string]archive.WARCRef{"1": edit.WARC, "2": {}})
}

func errorsIsNotFound(err error) bool { return errors.Is(err, archive.ErrNotFound) }

func testReviewQueue(t *testing.T, s archive.Store) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	sure := Post("obras", "1", 1, "Licitación", at(1))
	unsure := Post("obras", "2", 1, "Algo", at(2))
	undecided := Post("obras", "3", 1, "Otra cosa", at(0))
	reviewed := Post("obras", "4", 1, "Revisada", at(3))
	low := Decide(unsure, archive.Function, "model:es-1", t0)
	low.Confidence = 0.7
	mustAppend(t, s, &archive.Batch{
		Posts: []archive.Post{sure, unsure, undecided, reviewed},
		Decisions: []archive.Decision{
			Decide(sure, archive.Function, "model:es-1", t0), low,
			Decide(undecided, archive.Undetermined, "model:es-1", t0),
			Decide(reviewed, archive.Undetermined, "model:es-1", t0),
			Decide(reviewed, archive.Personal, "person:ana", t0.Add(time.Minute)),
		},
	})
	res, err := s.Search(context.Background(), archive.Query{NeedsReview: 0.8, Visibility: archive.Visibility{Threshold: 0.75}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.PostID)
	}
	if fmt.Sprint(got) != "[2 3]" || res.Total != 2 {
		t.Errorf("review queue = %v (total %d), want [2 3]: the model's function below the threshold, then the undetermined; none a person decided", got, res.Total)
	}
}

// testExport fills an archive with every kind of record, copies it into
// another through Export, and checks that both give the same answers.
func testExport(t *testing.T, from, to archive.Store) {
	ctx := context.Background()
	v1 := Post("obras", "1", 1, "Bacheo", t0)
	v2 := Post("obras", "1", 2, "Bacheo en Vallarta", t0)
	v2.WARC = archive.WARCRef{File: "a.warc.gz", RecordID: "<urn:uuid:v2>", Offset: 99, Digest: "sha256:V2"}
	other := Post("cultura", "9", 1, "Cine en el barrio", t0.Add(time.Hour))
	acct := archive.Account{ID: "obras", Network: archive.Mastodon, Handle: "@obras@social.example", Type: "personal", Area: "Obras",
		ServantName: "Ana", ServantPosition: "Directora", ServantLevel: 2, OfficeFrom: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), RecordedAt: t0}
	acct.FactsSHA256 = acct.FactsHash()
	mustAppend(t, from, &archive.Batch{
		Posts:     []archive.Post{v1, v2, other},
		Captures:  []archive.Capture{{Network: v1.Network, AccountID: "obras", PostID: "1", CapturedAt: t0, ContentSHA256: v1.ContentSHA256, SourceURL: "u", RunID: "r"}},
		Events:    []archive.Event{{Network: v1.Network, AccountID: "obras", PostID: "1", Kind: archive.Edited, ObservedAt: t0, Evidence: "visto", RunID: "r"}},
		Decisions: []archive.Decision{Decide(v2, archive.Function, "model:es-1", t0), Decide(v2, archive.Personal, "person:ana", t0.Add(time.Minute))},
		Fetches: []archive.Fetch{{RunID: "r", AccountID: "obras", Network: archive.Mastodon, URL: "https://social.example/api", Status: 200,
			Bytes: 10, Duration: 1500 * time.Millisecond, Attempt: 1, FetchedAt: t0, WARC: v2.WARC}},
		Accounts: []archive.Account{acct},
		Runs:     []archive.Run{{ID: "r", StartedAt: t0, FinishedAt: t0.Add(time.Minute), Accounts: 1, PostsSeen: 3, VersionsNew: 3}},
		Crawls: []archive.AccountCrawl{{RunID: "r", AccountID: "obras", Network: archive.Mastodon, StartedAt: t0, FinishedAt: t0.Add(time.Minute), Status: archive.CrawlOK, Pages: 1,
			Sweep: true, SweepComplete: true, SweepChecked: 3}},
		Fixity: []archive.FixityCheck{{CheckedAt: t0, WARCDir: "w", Files: 1, Records: 2, References: 3, Report: "ok"}},
	})
	counts := func(s archive.Store) (n int, batches int) {
		err := s.Export(ctx, 2, func(b *archive.Batch) error {
			if b.Len() > 2 {
				t.Errorf("an exported batch holds %d records, more than the 2 asked", b.Len())
			}
			n += b.Len()
			batches++
			return to.Append(ctx, b)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n, batches
	}
	n, batches := counts(from)
	if n != 12 || batches < 7 {
		t.Fatalf("exported %d records in %d batches, want 12 in at least 7", n, batches)
	}
	for _, q := range []archive.Query{{}, {Label: archive.Personal}, {Text: "vallarta"}} {
		a, err := from.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := to.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", a) != fmt.Sprintf("%+v", b) {
			t.Errorf("search %+v differs after the copy:\n%+v\n%+v", q, a, b)
		}
	}
	ha, _ := from.History(ctx, v1.Key())
	hb, err := to.History(ctx, v1.Key())
	if err != nil || fmt.Sprintf("%+v", ha) != fmt.Sprintf("%+v", hb) {
		t.Errorf("history differs after the copy (%v):\n%+v\n%+v", err, ha, hb)
	}
	for _, read := range []func(archive.Store) (any, error){
		func(s archive.Store) (any, error) { return s.Health(ctx) },
		func(s archive.Store) (any, error) { return s.Accounts(ctx) },
		func(s archive.Store) (any, error) { return s.Summary(ctx) },
	} {
		a, err1 := read(from)
		b, err2 := read(to)
		if err1 != nil || err2 != nil || fmt.Sprintf("%+v", a) != fmt.Sprintf("%+v", b) {
			t.Errorf("a read differs after the copy (%v, %v):\n%+v\n%+v", err1, err2, a, b)
		}
	}
}

// testReplay appends a batch with an ID, then appends it again as a replay
// (and once more, split as if the first append had stopped half way): its
// records are stored once.
func testReplay(t *testing.T, s archive.Store) {
	ctx := context.Background()
	p := Post("obras", "1", 1, "Bacheo", t0)
	full := &archive.Batch{ID: "spool-1", Posts: []archive.Post{p},
		Captures:  []archive.Capture{{Network: p.Network, AccountID: "obras", PostID: "1", CapturedAt: t0, ContentSHA256: p.ContentSHA256}},
		Decisions: []archive.Decision{Decide(p, archive.Function, "rule:v1", t0)}}
	mustAppend(t, s, full)
	again := *full
	again.Replayed = true
	mustAppend(t, s, &again)
	mustAppend(t, s, &again)
	h, err := s.History(ctx, p.Key())
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 1 || h.Captures != 1 || len(h.Decisions) != 1 {
		t.Errorf("after two replays: %d versions, %d captures, %d decisions; want 1 each", len(h.Versions), h.Captures, len(h.Decisions))
	}
	// A new batch (another ID) is stored, replayed or not.
	q := Post("obras", "2", 1, "Poda", t0)
	mustAppend(t, s, &archive.Batch{ID: "spool-2", Replayed: true, Posts: []archive.Post{q}})
	if keys, _ := s.Lookup(ctx, "obras/2"); len(keys) != 1 {
		t.Errorf("a first delivery marked as replay was not stored: %v", keys)
	}
}
