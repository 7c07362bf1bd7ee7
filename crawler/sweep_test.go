package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/directory"
)

// lastCrawl is the latest account crawl record of the archive.
func lastCrawl(t *testing.T, arc *memArchive) archive.AccountCrawl {
	t.Helper()
	arc.mu.Lock()
	defer arc.mu.Unlock()
	if len(arc.all.Crawls) == 0 {
		t.Fatal("no crawl recorded")
	}
	return arc.all.Crawls[len(arc.all.Crawls)-1]
}

func deleteIDs(ad *liveAdapter, ids ...string) {
	ad.change(func() { ad.ids = slices.DeleteFunc(ad.ids, func(id string) bool { return slices.Contains(ids, id) }) })
}

// A post older than the re-listed window, deleted at its source, is not
// seen by a crawl; a deep sweep lists the whole history and confirms it.
func TestSweepSeesDeletionsOfAnyAge(t *testing.T) {
	c, arc, ad, dir, _ := liveTest(t, Options{RelistWindow: 90 * time.Minute})
	ctx := context.Background()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	deleteIDs(ad, "1") // five hours old
	n := len(arc.all.Events)
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if got := countEvents(arc.all.Events[n:]); got != "" {
		t.Fatalf("a crawl saw %s; post 1 lies past its window", got)
	}
	if cr := lastCrawl(t, arc); cr.Sweep || cr.SweepChecked != 0 {
		t.Errorf("a plain crawl recorded as a sweep: %+v", cr)
	}

	c.opts.Sweep = true
	rep, err := c.Once(ctx, dir, dir.Accounts)
	if err != nil {
		t.Fatal(err)
	}
	got := arc.all.Events[n:]
	if countEvents(got) != "deleted_at_source:1" || got[0].PostID != "1" ||
		!strings.Contains(got[0].Evidence, "deep sweep that listed the account's whole history") || !strings.Contains(got[0].Evidence, "404") {
		t.Fatalf("events of the sweep = %+v, want post 1 deleted, with the sweep and the 404 as evidence", got)
	}
	cr := lastCrawl(t, arc)
	if !cr.Sweep || !cr.SweepComplete || cr.SweepChecked != 5 || cr.Deleted != 1 || cr.Pages != 2 {
		t.Errorf("sweep record = %+v, want a complete sweep of 2 pages, 5 posts checked (4 listed, 1 asked), 1 deleted", cr)
	}
	if r := rep.Accounts[0]; !r.Sweep || !r.SweepComplete || r.SweepChecked != 5 {
		t.Errorf("report = %+v", r)
	}
}

// A sweep stopped by its page budget checks only the posts newer than the
// oldest it listed: a deleted post past it is left for a sweep that
// reaches it.
func TestSweepStoppedByItsBudgetChecksOnlyWhatItListed(t *testing.T) {
	c, arc, ad, dir, _ := liveTest(t, Options{})
	ctx := context.Background()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	deleteIDs(ad, "4", "1") // page 0 now shows 5 and 3; 1 is past it
	c.opts.Sweep, c.opts.SweepPages = true, 1
	n := len(arc.all.Events)
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	got := arc.all.Events[n:]
	if countEvents(got) != "deleted_at_source:1" || got[0].PostID != "4" || !strings.Contains(got[0].Evidence, "stopped by its page budget") {
		t.Fatalf("events of a sweep of one page = %+v, want only post 4 deleted", got)
	}
	if cr := lastCrawl(t, arc); !cr.Sweep || cr.SweepComplete || cr.Pages != 1 || cr.SweepChecked != 3 {
		t.Errorf("sweep record = %+v, want an incomplete sweep of 1 page, 3 checked (5 and 3 listed, 4 asked)", cr)
	}

	// The directory's budget for the account overrides the crawl's.
	dir.Accounts[0].SweepPages = 10
	n = len(arc.all.Events)
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if got := arc.all.Events[n:]; countEvents(got) != "deleted_at_source:1" || got[0].PostID != "1" {
		t.Fatalf("events of a sweep with sweep_pages 10 = %+v, want post 1 deleted", got)
	}
	if cr := lastCrawl(t, arc); !cr.SweepComplete {
		t.Errorf("sweep record = %+v, want complete", cr)
	}
}

// A sweep whose listing fails half way deletes nothing, not even what the
// pages it did list no longer show, and is not recorded as a sweep done.
func TestSweepThatFailsMidListingDeletesNothing(t *testing.T) {
	c, arc, ad, dir, _ := liveTest(t, Options{})
	ctx := context.Background()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	deleteIDs(ad, "4", "1")
	ad.change(func() { ad.failFrom = 1 })
	c.opts.Sweep = true
	n := len(arc.all.Events)
	rep, err := c.Once(ctx, dir, dir.Accounts)
	if err != nil {
		t.Fatal(err)
	}
	if got := countEvents(arc.all.Events[n:]); got != "" {
		t.Errorf("a sweep that failed at page 1 recorded %s, want nothing", got)
	}
	if cr := lastCrawl(t, arc); cr.Status != archive.CrawlPartial || !cr.Sweep || cr.SweepComplete || cr.Deleted != 0 {
		t.Errorf("crawl record = %+v, want a partial, incomplete sweep", cr)
	}
	if rep.Accounts[0].Err == nil {
		t.Error("the failure is not reported")
	}
	h, _ := arc.Health(ctx)
	if !h[0].LastSweep.IsZero() {
		t.Errorf("a failed sweep counts as the last sweep: %v", h[0].LastSweep)
	}
}

// SweepDue spreads accounts over the period, sweeps each once a period
// from its last sweep, and counts an account never swept from since.
func TestSweepDue(t *testing.T) {
	week := 7 * 24 * time.Hour
	since := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// Over a week of hourly crawls, every account comes due once, at
	// instants spread over the week.
	days := map[int]int{}
	for i := range 200 {
		id := fmt.Sprintf("cuenta-%d", i)
		var last time.Time
		sweeps := 0
		for now := since; now.Before(since.Add(week)); now = now.Add(time.Hour) {
			if SweepDue(id, week, last, since, now) {
				sweeps++
				last = now.Add(time.Minute) // the sweep ends a minute later
				days[int(now.Sub(since)/(24*time.Hour))]++
			}
		}
		if sweeps != 1 {
			t.Errorf("%s swept %d times in a week, want 1", id, sweeps)
		}
		// After its sweep it is due again a week later, and not before.
		next := nextSweep(id, week, last)
		if d := next.Sub(last); d <= week-time.Hour-time.Minute || d > week {
			t.Errorf("%s: next sweep %v after the last, want about a week", id, d)
		}
		if SweepDue(id, week, last, since, next.Add(-time.Second)) || !SweepDue(id, week, last, since, next) {
			t.Errorf("%s: not due exactly at %v", id, next)
		}
	}
	for d := range 7 {
		if days[d] < 10 {
			t.Errorf("day %d of the week holds %d of 200 sweeps: not spread (%v)", d, days[d], days)
		}
	}
	if SweepDue("x", 0, time.Time{}, since, since.Add(1000*week)) {
		t.Error("a zero period sweeps")
	}
}

// Under a sweep schedule, an account is swept when its turn comes and not
// again in the same period, from the last sweep the archive records (so a
// restarted crawler keeps the schedule).
func TestOnceSweepsOnSchedule(t *testing.T) {
	c, arc, _, dir, _ := liveTest(t, Options{SweepEvery: time.Hour, SweepSince: time.Now().Add(-2 * time.Hour)})
	ctx := context.Background()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if cr := lastCrawl(t, arc); !cr.Sweep {
		t.Fatalf("an account never swept, two periods after since: not swept (%+v)", cr)
	}
	// a new crawler on the same archive: the archive's last sweep holds
	c2, _, _, _, _ := liveTest(t, Options{SweepEvery: time.Hour, SweepSince: time.Now().Add(-2 * time.Hour)})
	c2.archive, c2.adapters = c.archive, c.adapters
	if _, err := c2.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if cr := lastCrawl(t, arc); cr.Sweep {
		t.Errorf("swept again right after a sweep: %+v", cr)
	}
}

// A sweep that ends well sets the account's last-sweep gauge and counts
// the posts it checked; a restarted crawler restores the gauge from the
// archive's health.
func TestSweepMetrics(t *testing.T) {
	c, _, _, dir, _ := liveTest(t, Options{Sweep: true})
	m := NewMetrics(prometheus.NewRegistry())
	c.metrics = m
	ctx := context.Background()
	for range 2 {
		if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
			t.Fatal(err)
		}
	}
	// the first sweep finds 5 new posts (none archived yet), the second checks them
	if got := testutil.ToFloat64(m.sweepChecked.WithLabelValues("mastodon")); got != 5 {
		t.Errorf("posts checked by sweeps = %v, want 5", got)
	}
	if got := testutil.ToFloat64(m.lastSweep.WithLabelValues("uno", "mastodon")); got < unixSeconds(time.Now().Add(-time.Minute)) {
		t.Errorf("last sweep gauge = %v, want the sweep's end", got)
	}
	restored := NewMetrics(prometheus.NewRegistry())
	at := time.Unix(1_800_000_000, 0)
	restored.RestoreHealth([]archive.AccountHealth{{AccountID: "uno", LastAttempt: at, LastSuccess: at, LastStatus: archive.CrawlOK, LastSweep: at}}, dir.Accounts)
	if got := testutil.ToFloat64(restored.lastSweep.WithLabelValues("uno", "mastodon")); got != 1_800_000_000 {
		t.Errorf("restored last sweep gauge = %v, want 1800000000", got)
	}
}

// feedAdapter is a feed: one page of its newest items, and a Confirmer by
// each item's own page, which the server answers.
type feedAdapter struct {
	base   string
	mu     sync.Mutex
	window []string       // ids in the feed, newest first
	status map[string]int // id → what its page answers (200 when absent)
}

func (a *feedAdapter) ConfirmsByURL() {}

func (a *feedAdapter) List(ctx context.Context, f Fetcher, acct *directory.Account, yield func(Page) bool) error {
	if _, err := f.Get(ctx, a.base+"/feed.xml", ""); err != nil {
		return err
	}
	a.mu.Lock()
	var posts []archive.Post
	for i, id := range a.window {
		posts = append(posts, archive.Post{PostID: id, URL: a.base + "/item/" + id, Text: "boletín " + id, PublishedAt: time.Now().Add(-time.Duration(24*(i+30)) * time.Hour)})
	}
	a.mu.Unlock()
	yield(Page{URL: a.base + "/feed.xml", Posts: posts})
	return nil
}

func (a *feedAdapter) Gone(ctx context.Context, f Fetcher, _ *directory.Account, ids []string) (map[string]string, error) {
	gone := map[string]string{}
	for _, id := range ids {
		u := f.(PostURLs).PostURL(id)
		if u == "" {
			continue
		}
		_, err := f.Get(ctx, u, "")
		// by the status, not the message: the server's port may hold "404"
		if se := (*StatusError)(nil); errors.As(err, &se) && se.Status == http.StatusNotFound {
			gone[id] = "GET " + u + " answered 404"
		}
	}
	return gone, nil
}

func feedTest(t *testing.T, opts Options) (*Crawler, *memArchive, *feedAdapter, *directory.Directory, *[]string) {
	t.Helper()
	ad := &feedAdapter{status: map[string]int{}}
	for i := 10; i >= 1; i-- {
		ad.window = append(ad.window, fmt.Sprint(i))
	}
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/item/") {
			fmt.Fprint(w, "<rss/>")
			return
		}
		id := strings.TrimPrefix(r.URL.Path, "/item/")
		mu.Lock()
		asked = append(asked, id)
		mu.Unlock()
		ad.mu.Lock()
		code := ad.status[id]
		ad.mu.Unlock()
		if code == 0 {
			code = 200
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(srv.Close)
	ad.base = srv.URL
	dir, err := directory.Parse("d.yml", []byte("subject: S\naccounts:\n  - {id: boletin, network: rss, handle: \"https://ejemplo.gob.mx/rss.xml\", type: official, area: A}\n"), testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	arc := &memArchive{}
	judge := func(acct *directory.Account, p *archive.Post) archive.Decision {
		return archive.Decision{Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, ContentSHA256: p.ContentSHA256, Label: archive.Function}
	}
	opts.CrawlerVersion = "vigia/test"
	client := testClient(nil)
	client.opts.Retries = 0
	c := New(client, map[archive.Network]Adapter{archive.RSS: ad}, arc, judge, opts, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	return c, arc, ad, dir, &asked
}

// A feed shows its newest items only: a plain crawl asks about nothing
// missing from it; a sweep asks about every archived item the feed no
// longer shows, by its own page, up to its budget, and believes a 404 only
// when an item listed right now does not answer 404 too.
func TestSweepOfAFeedAsksEachMissingItemsPage(t *testing.T) {
	c, arc, ad, dir, asked := feedTest(t, Options{})
	ctx := context.Background()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	ad.mu.Lock()
	ad.window = ad.window[:4]                 // 10..7 shown; 6..1 left the window
	ad.status["3"], ad.status["5"] = 404, 500 // 3 taken down; 5's page broken
	ad.mu.Unlock()
	n := len(arc.all.Events)
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if got := countEvents(arc.all.Events[n:]); got != "" || len(*asked) != 0 {
		t.Fatalf("a plain crawl of a feed: events %s, pages asked %v; want none", got, *asked)
	}

	c.opts.Sweep = true
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	got := arc.all.Events[n:]
	if countEvents(got) != "deleted_at_source:1" || got[0].PostID != "3" || !strings.Contains(got[0].Evidence, "missing from the feed") ||
		!strings.Contains(got[0].Evidence, "/item/3 answered 404") {
		t.Fatalf("events of the sweep = %+v, want item 3 deleted by its 404", got)
	}
	// six missing items asked, then one listed item as the check
	if len(*asked) != 7 || !slices.Contains((*asked)[6:], "10") {
		t.Errorf("pages asked = %v, want 1..6 and a listed item", *asked)
	}
	if cr := lastCrawl(t, arc); !cr.Sweep || !cr.SweepComplete || cr.SweepChecked != 10 {
		t.Errorf("sweep record = %+v, want complete, 10 checked (4 listed, 6 asked)", cr)
	}

	// A site answering 404 for every page, listed items too: nothing.
	ad.mu.Lock()
	for _, id := range []string{"1", "2", "4", "6", "7", "8", "9", "10"} {
		ad.status[id] = 404
	}
	ad.mu.Unlock()
	n = len(arc.all.Events)
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if got := countEvents(arc.all.Events[n:]); got != "" {
		t.Errorf("a site answering 404 for its listed items too: %s, want nothing", got)
	}
	if cr := lastCrawl(t, arc); cr.SweepComplete {
		t.Errorf("a sweep whose answers were not believed is complete: %+v", cr)
	}

	// The budget bounds the pages asked: 2 of the 5 still missing.
	ad.mu.Lock()
	clear(ad.status)
	ad.mu.Unlock()
	c.opts.SweepPages = 2
	*asked = nil
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if len(*asked) != 2 {
		t.Errorf("pages asked with a budget of 2: %v", *asked)
	}
	if cr := lastCrawl(t, arc); cr.SweepComplete || cr.SweepChecked != 6 {
		t.Errorf("sweep record = %+v, want incomplete, 6 checked (4 listed, 2 asked)", cr)
	}
}

// The sweep schedule survives a restart: a crawler reads each account's
// last sweep from the archive's health records (a real DuckDB file,
// closed and opened again), and sweeps again only when the account's
// place in the next period has come.
func TestSweepScheduleSurvivesRestarts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.duckdb")
	start := time.Now().Add(-2 * time.Hour)
	// crawlWith runs one crawl on the archive, opened for it, and returns
	// the account's health and whether that crawl was a sweep.
	crawlWith := func(opts Options) (archive.AccountHealth, bool) {
		t.Helper()
		arc, err := duckdb.Open(ctx, path, duckdb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer arc.Close()
		c, _, _, dir, _ := liveTest(t, opts)
		c.archive = arc
		if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
			t.Fatal(err)
		}
		h, err := arc.Health(ctx)
		if err != nil || len(h) != 1 {
			t.Fatalf("health: %v, %v", h, err)
		}
		return h[0], !h[0].LastSweep.IsZero() && h[0].LastSweep.Equal(h[0].LastAttempt)
	}
	// never swept, its place in the hourly period since start has come
	first, swept := crawlWith(Options{SweepEvery: time.Hour, SweepSince: start})
	if !swept || !first.LastSweepComplete || first.LastSweepChecked != 0 {
		t.Fatalf("first crawl: %+v, want a complete sweep (of nothing archived yet)", first)
	}
	// a restarted crawler: the sweep just made holds for the period
	if again, swept := crawlWith(Options{SweepEvery: time.Hour, SweepSince: time.Now()}); swept || !again.LastSweep.Equal(first.LastSweep) {
		t.Errorf("a restarted crawler swept again at once: %+v", again)
	}
	// the same archive under a shorter period whose next place has come
	// since that sweep: swept again, though its crawler started just now
	period := time.Second
	for !SweepDue("uno", period, first.LastSweep, time.Now(), time.Now()) {
		time.Sleep(100 * time.Millisecond)
	}
	if third, swept := crawlWith(Options{SweepEvery: period, SweepSince: time.Now()}); !swept || third.LastSweepChecked != 5 {
		t.Errorf("after the account's next place in the period: %+v, want a new sweep checking the 5 posts", third)
	}
}

// A network that says every post it is asked about is gone (an API
// answering every query with nothing) is not believed in a sweep: the
// check on a post listed right now fails, and nothing is deleted.
func TestSweepDoesNotBelieveANetworkThatSaysEverythingIsGone(t *testing.T) {
	c, arc, ad, dir, _ := liveTest(t, Options{Sweep: true})
	ctx := context.Background()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	deleteIDs(ad, "1")
	ad.change(func() { ad.lying = true })
	n := len(arc.all.Events)
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if got := countEvents(arc.all.Events[n:]); got != "" {
		t.Fatalf("a network that says everything is gone: %s, want nothing deleted", got)
	}
	if cr := lastCrawl(t, arc); cr.SweepComplete {
		t.Errorf("a sweep whose answers were not believed is complete: %+v", cr)
	}
	ad.change(func() { ad.lying = false })
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if got := arc.all.Events[n:]; countEvents(got) != "deleted_at_source:1" || got[0].PostID != "1" {
		t.Errorf("once the network answers truly: %+v, want post 1 deleted", got)
	}
}
