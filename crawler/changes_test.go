package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// liveAdapter lists a changing account from a loopback server, newest
// first, two posts a page, and confirms deletions by asking the server for
// each post, like the Mastodon adapter.
type liveAdapter struct {
	base string
	mu   sync.Mutex
	ids  []string // newest first
	text map[string]string
	at   map[string]time.Time
	down bool
	// failFrom > 0 makes listing page failFrom and later fail (503)
	failFrom int
	// lying: the server answers 404 for every single post, listed or not
	lying bool
}

func (a *liveAdapter) List(ctx context.Context, f Fetcher, acct *directory.Account, yield func(Page) bool) error {
	a.mu.Lock()
	down, ids, failFrom := a.down, slices.Clone(a.ids), a.failFrom
	a.mu.Unlock()
	if down {
		_, err := f.Get(ctx, a.base+"/down", "")
		return err
	}
	for start := 0; start < len(ids); start += 2 {
		url := fmt.Sprintf("%s/page/%d", a.base, start/2)
		if failFrom > 0 && start/2 >= failFrom {
			url = a.base + "/down"
		}
		if _, err := f.Get(ctx, url, ""); err != nil {
			return err
		}
		var posts []archive.Post
		a.mu.Lock()
		for _, id := range ids[start:min(start+2, len(ids))] {
			posts = append(posts, archive.Post{PostID: id, Text: a.text[id], PublishedAt: a.at[id]})
		}
		a.mu.Unlock()
		if !yield(Page{URL: url, Posts: posts}) {
			return nil
		}
	}
	return nil
}

func (a *liveAdapter) Gone(ctx context.Context, f Fetcher, _ *directory.Account, ids []string) (map[string]string, error) {
	gone := map[string]string{}
	for _, id := range ids {
		_, err := f.Get(ctx, a.base+"/post/"+id, "")
		if se := (*StatusError)(nil); errors.As(err, &se) && se.Status == http.StatusNotFound {
			gone[id] = "404"
		} else if err != nil {
			return nil, err
		}
	}
	return gone, nil
}

func (a *liveAdapter) exists(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.lying && slices.Contains(a.ids, id)
}

func (a *liveAdapter) change(fn func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	fn()
}

func liveTest(t *testing.T, opts Options) (*Crawler, *memArchive, *liveAdapter, *directory.Directory, *int) {
	t.Helper()
	ad := &liveAdapter{text: map[string]string{}, at: map[string]time.Time{}}
	now := time.Now().UTC()
	for i := 5; i >= 1; i-- { // five posts of the last five hours
		id := fmt.Sprint(i)
		ad.ids = append(ad.ids, id)
		ad.text[id], ad.at[id] = "aviso "+id, now.Add(-time.Duration(6-i)*time.Hour)
	}
	var mu sync.Mutex
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		mu.Unlock()
		switch {
		case r.URL.Path == "/down":
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
		case strings.HasPrefix(r.URL.Path, "/post/") && !ad.exists(strings.TrimPrefix(r.URL.Path, "/post/")):
			http.NotFound(w, r)
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	t.Cleanup(srv.Close)
	ad.base = srv.URL
	dir, err := directory.Parse("d.yml", []byte("subject: S\naccounts:\n  - {id: uno, network: mastodon, handle: \"@uno@social.example\", type: official, area: A}\n"), testNetworks)
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
	c := New(client, map[archive.Network]Adapter{archive.Mastodon: ad}, arc, judge, opts, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	return c, arc, ad, dir, &requests
}

func TestOnceSeesEditsDeletionsRestorationsAndUnreachableAccounts(t *testing.T) {
	c, arc, ad, dir, _ := liveTest(t, Options{})
	ctx := context.Background()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	first := len(arc.all.Events)
	ad.change(func() {
		ad.ids = slices.DeleteFunc(ad.ids, func(id string) bool { return id == "3" })
		ad.text["5"] = "aviso 5, corregido"
		ad.ids = append([]string{"6"}, ad.ids...)
		ad.text["6"], ad.at["6"] = "aviso 6", time.Now().UTC()
	})
	rep, err := c.Once(ctx, dir, dir.Accounts)
	if err != nil {
		t.Fatal(err)
	}
	second := arc.all.Events[first:]
	if got, want := countEvents(second), "deleted_at_source:1 edited:1 first_seen:1"; got != want {
		t.Fatalf("events of the second crawl = %s, want %s", got, want)
	}
	for _, e := range second {
		if e.Kind == archive.DeletedAtSource && (e.PostID != "3" || !strings.Contains(e.Evidence, "404")) {
			t.Errorf("deletion = %+v, want post 3 with the 404 as evidence", e)
		}
	}
	if r := rep.Accounts[0]; r.Deleted != 1 || r.Versions != 2 {
		t.Errorf("report = %+v, want 1 deleted, 2 new versions", r)
	}

	// The deleted post comes back; the account then goes down.
	ad.change(func() { ad.ids = append(ad.ids, "3") })
	n := len(arc.all.Events)
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if got, want := countEvents(arc.all.Events[n:]), "restored:1"; got != want {
		t.Errorf("events of the third crawl = %s, want %s", got, want)
	}
	ad.change(func() { ad.down = true })
	n = len(arc.all.Events)
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if got, want := countEvents(arc.all.Events[n:]), "account_unreachable:1"; got != want {
		t.Errorf("events of a crawl of an unreachable account = %s, want %s (never deletions)", got, want)
	}
	if last := arc.all.Crawls[len(arc.all.Crawls)-1]; last.Status != archive.CrawlUnreachable || !strings.Contains(last.Error, "503") {
		t.Errorf("last crawl record = %+v, want unreachable with the 503", last)
	}
}

func TestOnceCoversOnlyWhatItListed(t *testing.T) {
	// With one page a crawl, posts older than the page are not checked.
	c, arc, ad, dir, _ := liveTest(t, Options{MaxPages: 1})
	ctx := context.Background()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	ad.change(func() { ad.ids = slices.DeleteFunc(ad.ids, func(id string) bool { return id == "1" }) })
	n := len(arc.all.Events)
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	if got := countEvents(arc.all.Events[n:]); got != "" {
		t.Errorf("events = %s, want none: post 1 lies past the page listed", got)
	}
}

func TestOnceRelistsTheWindowAndStopsPastIt(t *testing.T) {
	c, _, _, dir, requests := liveTest(t, Options{RelistWindow: 150 * time.Minute})
	ctx := context.Background()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	*requests = 0
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	// Posts are 1..5 hours old; a window of 2.5 h is covered by page 0
	// (1 h, 2 h) and page 1 (3 h, 4 h), which reaches past it.
	if got, want := *requests, 2; got != want {
		t.Errorf("requests of an unchanged re-crawl = %d, want %d", got, want)
	}
}

func TestOnceStopsGracefully(t *testing.T) {
	c, arc, _, dir, _ := liveTest(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := c.Once(ctx, dir, dir.Accounts)
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !rep.Accounts[0].Skipped || len(arc.all.Runs) != 1 {
		t.Errorf("report %+v, runs %d: want the account skipped and the run recorded", rep.Accounts[0], len(arc.all.Runs))
	}
}
