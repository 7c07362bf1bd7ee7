package crawler_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/crawler/mastodon"
)

// TestMastodonReparsedNotEdited: an archive made by a vigia that read
// Mastodon statuses without their polls, link cards and quotes is crawled
// by this one. The quotes (whose "RE:" line it kept as text), the polls and
// the link card get a new version each, recorded as reparsed; the boost and
// the image alone, whose hash does not change, get none. A real change
// afterwards (a poll's option) is an edit.
func TestMastodonReparsedNotEdited(t *testing.T) {
	ctx := context.Background()
	const fixtures crawlertest.Dir = "../testdata/mastodon/"
	_, lookup := fixtures.ReadResponse(t, "lookup.http")
	_, body := fixtures.ReadResponse(t, "statuses-forms.http")
	page := string(body)
	var mu sync.Mutex
	srv := serveHost(t)
	srv.handle(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch r.URL.Path {
		case "/api/v1/accounts/lookup":
			_, _ = w.Write(lookup)
		case statusesPath:
			_, _ = w.Write([]byte(page))
		default:
			http.NotFound(w, r)
		}
	})

	arc, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "a.duckdb"), duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()

	// The archive as the earlier vigia left it.
	posts, err := mastodon.ParseStatuses(body, "social.gdl.example")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC)
	old := &archive.Batch{}
	for _, p := range posts {
		e, _ := mastodon.New().Earlier(&p)
		e.Network, e.AccountID, e.CapturedAt, e.Version = archive.Mastodon, "obras", at, 1
		e.ContentSHA256 = e.ContentHash()
		old.Posts = append(old.Posts, e)
		old.Events = append(old.Events, archive.Event{Network: e.Network, AccountID: e.AccountID, PostID: e.PostID,
			Kind: archive.FirstSeen, ObservedAt: at, ContentSHA256: e.ContentSHA256})
	}
	if err := arc.Append(ctx, old); err != nil {
		t.Fatal(err)
	}

	crawl := func() {
		t.Helper()
		dir := directoryOf(t, []string{entry("obras", archive.Mastodon, "@obraspublicas@social.gdl.example", srv.URL)})
		rep, err := hostileCrawler(hostileClient(true, &evidenceLog{}), arc, 1).Once(ctx, dir, dir.Accounts)
		if err != nil || rep.Accounts[0].Err != nil {
			t.Fatalf("crawl: %v %+v", err, rep)
		}
	}
	kinds := func(since time.Time) map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, p := range posts {
			h, err := arc.History(ctx, archive.Key{Network: archive.Mastodon, AccountID: "obras", PostID: p.PostID})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range h.Events {
				if e.ObservedAt.After(since) {
					out[p.PostID] += string(e.Kind) + " "
				}
			}
		}
		return out
	}
	const (
		quote, quoteOfDeleted, boost, poll = "114163748982623481", "114162209450034023", "114161623965368832", "114158469127733293"
		card, imageAlone, editedPoll       = "114156957460203132", "114154321834213383", "114151588472684664"
	)

	crawl()
	want := map[string]string{quote: "reparsed ", quoteOfDeleted: "reparsed ", poll: "reparsed ", card: "reparsed ", editedPoll: "reparsed "}
	if got := kinds(at); len(got) != len(want) || got[quote] != want[quote] || got[quoteOfDeleted] != want[quoteOfDeleted] ||
		got[poll] != want[poll] || got[card] != want[card] || got[editedPoll] != want[editedPoll] {
		t.Errorf("events of the first crawl by this vigia: %v, want %v (none for the boost %s nor the image %s)", got, want, boost, imageAlone)
	}
	h, err := arc.History(ctx, archive.Key{Network: archive.Mastodon, AccountID: "obras", PostID: poll})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 2 || strings.Contains(h.Versions[0].Text, "Gigantes") || !strings.HasSuffix(h.Versions[1].Text, "- Pablo Valdez\n- Gigantes\n- Jesús García") {
		t.Errorf("poll: versions %+v", h.Versions)
	}
	if h, err = arc.History(ctx, archive.Key{Network: archive.Mastodon, AccountID: "obras", PostID: quote}); err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 2 || !strings.HasPrefix(h.Versions[0].Text, "RE: ") || strings.HasPrefix(h.Versions[1].Text, "RE: ") ||
		h.Versions[1].Shared == nil || h.Versions[1].Shared.AuthorName != "Protección Civil Jalisco" {
		t.Errorf("quote: versions %+v", h.Versions)
	}

	second := time.Now().UTC()
	crawl()
	if got := kinds(second); len(got) != 0 {
		t.Errorf("a crawl of the same page found %v", got)
	}

	// The account edits the poll's options.
	mu.Lock()
	page = strings.Replace(page, `{"title":"Gigantes","votes_count":61}`, `{"title":"Gigantes y Belisario Domínguez","votes_count":61}`, 1)
	mu.Unlock()
	third := time.Now().UTC()
	crawl()
	if got := kinds(third); len(got) != 1 || got[poll] != "edited " {
		t.Errorf("after a real change: %v, want the poll edited", got)
	}
}
