package rss_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/crawler/feed"
	"github.com/vigia-mx/vigia/crawler/rss"
	"github.com/vigia-mx/vigia/directory"
)

// feedServer replays testdata/rss; it has no robots.txt (404), and counts
// the requests for feeds and the Accept headers they carried.
func feedServer(t *testing.T) (srv *httptest.Server, hits *atomic.Int64, accept *atomic.Value) {
	t.Helper()
	hits, accept = new(atomic.Int64), new(atomic.Value)
	files := http.FileServer(http.Dir(fixtures))
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			hits.Add(1)
			accept.Store(r.Header.Get("Accept"))
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, hits, accept
}

func TestList(t *testing.T) {
	srv, _, _ := feedServer(t)
	tests := []struct {
		path      string
		wantPosts int
		wantErr   string // with %s for the feed URL
	}{
		{path: "/guadalajara-boletines.xml", wantPosts: 6},
		{path: "/mastodon-account.rss", wantPosts: 4},
		{path: "/missing.xml", wantErr: "fetch feed %s: 404 Not Found"},
		{path: "/malformed.xml", wantErr: "parse feed %s: XML syntax error on line 32: unexpected EOF"},
		{path: "/not-a-feed.html", wantErr: "parse feed %s: not an RSS or Atom feed"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			feedURL := srv.URL + tt.path
			acct := &directory.Account{ID: "gdl-" + tt.path, Network: archive.RSS, Handle: feedURL}
			pages, err := crawlertest.List(rss.New(), acct, 0)
			crawlertest.CheckError(t, err, strings.ReplaceAll(tt.wantErr, "%s", feedURL))
			if tt.wantErr == "" {
				crawlertest.CheckPages(t, srv.URL, pages, []crawlertest.Page{{Path: tt.path, Posts: tt.wantPosts}})
			}
		})
	}
}

func TestListRequest(t *testing.T) {
	srv, hits, accept := feedServer(t)
	acct := &directory.Account{ID: "gdl", Network: archive.RSS, Handle: srv.URL + "/guadalajara-boletines.xml", Endpoint: "https://ignored.example"}
	pages, err := crawlertest.List(rss.New(), acct, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hits.Load(), int64(1); got != want {
		t.Errorf("%d feed requests, want %d", got, want)
	}
	if got, want := len(pages), 1; got != want {
		t.Errorf("%d pages yielded, want %d", got, want)
	}
	if got, want := accept.Load(), feed.Accept; got != want {
		t.Errorf("Accept %q, want %q", got, want)
	}
}

func TestListStatusError(t *testing.T) {
	srv, _, _ := feedServer(t)
	acct := &directory.Account{ID: "gdl", Network: archive.RSS, Handle: srv.URL + "/gone.xml"}
	_, err := crawlertest.List(rss.New(), acct, 0)
	var se *crawler.StatusError
	if !errors.As(err, &se) {
		t.Fatalf("error %v is not a *crawler.StatusError", err)
	}
	if got, want := se.Status, http.StatusNotFound; got != want {
		t.Errorf("status %d, want %d", got, want)
	}
}

func TestListLegacyCharset(t *testing.T) {
	body := fixtures.ReadFile(t, "proteccion-civil-latin1.xml")
	srv := crawlertest.Serve(t, crawlertest.Replay{Routes: map[string]crawlertest.Reply{
		"/rss.aspx": {Header: http.Header{"Content-Type": {"application/rss+xml; charset=ISO-8859-1"}}, Body: body},
	}})
	acct := &directory.Account{ID: "pc-gdl", Network: archive.RSS, Handle: srv.URL + "/rss.aspx"}
	pages, err := crawlertest.List(rss.New(), acct, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(pages), 1; got != want {
		t.Fatalf("got %d pages, want %d", got, want)
	}
	posts := pages[0].Posts
	// The raw item is the bytes as served, not re-encoded on the way.
	if got, want := posts[0].Raw, rawElements(t, body, "item")[0]; !bytes.Equal(got, want) {
		t.Errorf("raw item\n got %q\nwant %q", got, want)
	}
	if got, want := posts[0].Text, "Temporada de estiaje: prohíbe quemas agrícolas y de basura\n\n"; !strings.HasPrefix(got, want) {
		t.Errorf("text %q, want it to start with %q", got, want)
	}
}
