package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// memArchive is a hand-written in-memory archive for the loop's tests.
type memArchive struct {
	mu      sync.Mutex
	batches []archive.Batch
	all     archive.Batch
	failing error
}

func (m *memArchive) Append(_ context.Context, b *archive.Batch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failing != nil {
		return m.failing
	}
	m.batches = append(m.batches, *b)
	m.all.Merge(b)
	return nil
}

func (m *memArchive) Heads(_ context.Context, ids []string) (map[archive.Key]archive.Head, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	heads := map[archive.Key]archive.Head{}
	for _, p := range m.all.Posts {
		if h, ok := heads[p.Key()]; !ok || p.Version > h.Version {
			heads[p.Key()] = archive.Head{ContentSHA256: p.ContentSHA256, Version: p.Version, PublishedAt: p.PublishedAt}
		}
	}
	for _, e := range m.all.Events { // in order of arrival, which the tests keep in time order
		h, ok := heads[archive.Key{Network: e.Network, AccountID: e.AccountID, PostID: e.PostID}]
		if !ok || (e.Kind != archive.DeletedAtSource && e.Kind != archive.Restored) {
			continue
		}
		h.Deleted = e.Kind == archive.DeletedAtSource
		heads[archive.Key{Network: e.Network, AccountID: e.AccountID, PostID: e.PostID}] = h
	}
	return heads, nil
}

func (m *memArchive) Health(context.Context) ([]archive.AccountHealth, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	last := map[string]archive.AccountHealth{}
	for _, c := range m.all.Crawls {
		h := last[c.AccountID]
		h.AccountID, h.Network, h.LastAttempt, h.LastStatus = c.AccountID, c.Network, c.FinishedAt, c.Status
		if c.Sweep && c.Status == archive.CrawlOK {
			h.LastSweep, h.LastSweepChecked, h.LastSweepComplete = c.FinishedAt, c.SweepChecked, c.SweepComplete
		}
		last[c.AccountID] = h
	}
	var out []archive.AccountHealth
	for _, h := range last {
		out = append(out, h)
	}
	return out, nil
}

func (m *memArchive) History(_ context.Context, k archive.Key) (*archive.PostHistory, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := &archive.PostHistory{Key: k}
	for _, p := range m.all.Posts {
		if p.Key() == k {
			h.Versions = append(h.Versions, p)
		}
	}
	for _, d := range m.all.Decisions {
		if d.Network == k.Network && d.AccountID == k.AccountID && d.PostID == k.PostID {
			h.Decisions = append(h.Decisions, d)
		}
	}
	if len(h.Versions) == 0 {
		return nil, archive.ErrNotFound
	}
	return h, nil
}

func (m *memArchive) Accounts(context.Context) ([]archive.Account, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	latest := map[string]archive.Account{}
	for _, a := range m.all.Accounts {
		latest[a.ID] = a
	}
	var out []archive.Account
	for _, a := range latest {
		out = append(out, a)
	}
	return out, nil
}

// pagedAdapter serves posts from a loopback server, pageSize per page, and
// records how many pages it was asked for.
type pagedAdapter struct {
	base  string
	texts map[string][]string // account handle → post texts, newest first
	size  int

	mu    sync.Mutex
	pages map[string]int
}

func (a *pagedAdapter) List(ctx context.Context, f Fetcher, acct *directory.Account, yield func(Page) bool) error {
	texts, ok := a.texts[acct.Handle]
	if !ok {
		_, err := f.Get(ctx, a.base+"/missing/"+acct.Handle, "")
		return fmt.Errorf("list %q: %w", acct.Handle, err)
	}
	for start := 0; start < len(texts); start += a.size {
		url := fmt.Sprintf("%s/%s?page=%d", a.base, acct.Handle, start/a.size)
		if _, err := f.Get(ctx, url, ""); err != nil {
			return err
		}
		a.mu.Lock()
		a.pages[acct.Handle]++
		a.mu.Unlock()
		var posts []archive.Post
		for i := start; i < min(start+a.size, len(texts)); i++ {
			posts = append(posts, archive.Post{
				PostID: fmt.Sprint(len(texts) - i), Text: texts[i],
				PublishedAt: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(len(texts)-i) * time.Hour),
			})
		}
		if !yield(Page{URL: url, Posts: posts}) {
			return nil
		}
	}
	return nil
}

func loopTest(t *testing.T, texts map[string][]string) (*Crawler, *memArchive, *pagedAdapter, *directory.Directory) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/missing/") || r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "[]")
	}))
	t.Cleanup(srv.Close)
	dir, err := directory.Parse("d.yml", []byte(`subject: S
accounts:
  - {id: uno, network: rss, handle: "https://a.example/uno", type: official, area: A}
  - {id: dos, network: rss, handle: "https://a.example/dos", type: official, area: A}
  - {id: roto, network: rss, handle: "https://a.example/roto", type: official, area: A}
`), testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	ad := &pagedAdapter{base: srv.URL, texts: texts, size: 2, pages: map[string]int{}}
	arc := &memArchive{}
	judge := func(acct *directory.Account, p *archive.Post) archive.Decision {
		return archive.Decision{Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, ContentSHA256: p.ContentSHA256,
			Label: archive.Function, Basis: "Tercera", DecidedBy: "rule:test", DecidedAt: p.CapturedAt}
	}
	c := New(testClient(nil), map[archive.Network]Adapter{archive.RSS: ad}, arc, judge,
		Options{Concurrency: 2, CrawlerVersion: "vigia/test"}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	return c, arc, ad, dir
}

func TestOnceArchivesVersionsEventsAndDecisions(t *testing.T) {
	texts := map[string][]string{
		"https://a.example/uno": {"cinco", "cuatro", "tres", "dos", "uno"},
		"https://a.example/dos": {"hola"},
	}
	c, arc, ad, dir := loopTest(t, texts)
	rep, err := c.Once(context.Background(), dir, dir.Accounts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(arc.all.Posts), 6; got != want {
		t.Fatalf("posts archived = %d, want %d", got, want)
	}
	if got, want := rep.Run.AccountsFailed, 1; got != want {
		t.Errorf("failed accounts = %d, want %d", got, want)
	}
	for _, r := range rep.Accounts {
		if r.ID == "roto" && (r.Err == nil || !strings.Contains(r.Err.Error(), `crawl account "roto"`) || !strings.Contains(r.Err.Error(), "/missing/")) {
			t.Errorf("error of the broken account = %v, want it to name the account and the URL", r.Err)
		}
	}
	if got, want := ad.pages["https://a.example/uno"], 3; got != want {
		t.Errorf("pages of uno = %d, want %d", got, want)
	}
	for _, p := range arc.all.Posts {
		if p.Version != 1 || p.AccountID == "" || p.Network != archive.RSS || p.ContentSHA256 != p.ContentHash() ||
			p.CapturedAt.IsZero() || p.RunID != rep.Run.ID || p.CrawlerVersion != "vigia/test" || p.SourceURL == "" {
			t.Errorf("post not completed by the loop: %+v", p)
		}
	}
	if got, want := countEvents(arc.all.Events), "account_unreachable:1 first_seen:6"; got != want {
		t.Errorf("events = %s, want %s", got, want)
	}
	if got := arc.all.Crawls; len(got) != 3 {
		t.Errorf("account crawl records = %+v, want one per account", got)
	}
	for _, cr := range arc.all.Crawls {
		want := archive.CrawlOK
		if cr.AccountID == "roto" {
			want = archive.CrawlUnreachable
		}
		if cr.Status != want || (want == archive.CrawlOK) != (cr.Error == "") {
			t.Errorf("crawl of %s: status %s error %q, want %s", cr.AccountID, cr.Status, cr.Error, want)
		}
	}
	if got, want := len(arc.all.Decisions), 6; got != want {
		t.Errorf("decisions = %d, want %d", got, want)
	}
	if got, want := len(arc.all.Captures), 6; got != want {
		t.Errorf("captures = %d, want %d", got, want)
	}
	if got, want := len(arc.all.Accounts), 3; got != want {
		t.Errorf("account snapshots = %d, want %d", got, want)
	}
	if got, want := len(arc.all.Runs), 1; got != want || arc.all.Runs[0].PostsSeen != 6 {
		t.Errorf("runs = %+v, want one run that saw 6 posts", arc.all.Runs)
	}
	// robots.txt once, uno: 3 pages, roto: one 404, dos: 1 page
	if got, want := len(arc.all.Fetches), 6; got != want {
		t.Errorf("fetch records = %d, want %d", got, want)
	}

	// A second crawl of unchanged accounts adds captures only, and stops
	// paging at the first page with nothing new.
	ad.pages = map[string]int{}
	rep2, err := c.Once(context.Background(), dir, dir.Accounts)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Run.VersionsNew != 0 || len(arc.all.Posts) != 6 {
		t.Errorf("second crawl archived %d new versions, want 0", rep2.Run.VersionsNew)
	}
	if got, want := ad.pages["https://a.example/uno"], 1; got != want {
		t.Errorf("pages of uno on the second crawl = %d, want %d (caught up)", got, want)
	}
	if got, want := len(arc.all.Accounts), 3; got != want {
		t.Errorf("account snapshots after an unchanged directory = %d, want %d", got, want)
	}
	if got, want := countEvents(arc.all.Events), "account_unreachable:1 first_seen:6"; got != want {
		t.Errorf("events after the second crawl = %s, want %s (an account still unreachable is not a new event)", got, want)
	}

	// An edit adds version 2 and an edited event.
	texts["https://a.example/dos"] = []string{"hola, corregido"}
	if _, err := c.Once(context.Background(), dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	last := arc.all.Posts[len(arc.all.Posts)-1]
	if last.AccountID != "dos" || last.Version != 2 || last.Text != "hola, corregido" {
		t.Errorf("edited post = %+v, want version 2 of dos", last)
	}
	ev := arc.all.Events[len(arc.all.Events)-1]
	if ev.Kind != archive.Edited || ev.PostID != last.PostID {
		t.Errorf("last event = %+v, want edited", ev)
	}
}

func TestOnceStopsWhenTheArchiveFails(t *testing.T) {
	c, arc, _, dir := loopTest(t, map[string][]string{"https://a.example/uno": {"a", "b"}})
	arc.failing = errors.New("disk full")
	_, err := c.Once(context.Background(), dir, dir.Accounts[:1])
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want the archive's error", err)
	}
}

// An account of a network the crawler has no adapter for (one read from
// its holder's data export) is left out of the crawl: nothing is fetched or
// recorded for it, and the run counts it nowhere.
func TestOnceLeavesOutNetworksWithoutAdapter(t *testing.T) {
	c, arc, _, dir := loopTest(t, nil)
	accts := []directory.Account{{ID: "x", Network: archive.Telegram, Handle: "canal"}}
	rep, err := c.Once(context.Background(), dir, accts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Run.Accounts != 0 || len(rep.Accounts) != 0 || len(arc.all.Crawls) != 0 || len(arc.all.Fetches) != 0 {
		t.Errorf("run counted %d accounts, reported %d, archived %d crawls and %d fetches; want none", rep.Run.Accounts, len(rep.Accounts), len(arc.all.Crawls), len(arc.all.Fetches))
	}
}

// countEvents tells the events by kind, e.g. "edited:1 first_seen:6".
func countEvents(events []archive.Event) string {
	n := map[archive.EventKind]int{}
	for _, e := range events {
		n[e.Kind]++
	}
	var parts []string
	for _, k := range []archive.EventKind{archive.AccountUnreachable, archive.DeletedAtSource, archive.Edited, archive.FirstSeen, archive.Restored} {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s:%d", k, n[k]))
		}
	}
	return strings.Join(parts, " ")
}
