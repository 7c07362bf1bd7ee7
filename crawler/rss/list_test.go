package rss_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/directory"
	"github.com/vigia-mx/vigia/crawler/rss"
)

// feedServer replays testdata/rss; it has no robots.txt (404), and counts
// the requests for feeds and the Accept headers they carried.
func feedServer(t *testing.T) (srv *httptest.Server, hits *atomic.Int64, accept *atomic.Value) {
	t.Helper()
	hits, accept = new(atomic.Int64), new(atomic.Value)
	files := http.FileServer(http.Dir(testdata))
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

func newFetcher() crawler.Fetcher {
	return crawler.NewClient(crawler.ClientOptions{AllowPrivateNetworks: true, HostRate: 0, Retries: 0}, nil).For(archive.RSS)
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
			var pages []crawler.Page
			err := rss.New().List(context.Background(), newFetcher(), acct, func(p crawler.Page) bool {
				pages = append(pages, p)
				return true
			})
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, %d pages", len(pages))
				}
				if got, want := err.Error(), strings.ReplaceAll(tt.wantErr, "%s", feedURL); got != want {
					t.Errorf("error %q, want %q", got, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(pages), 1; got != want {
				t.Fatalf("got %d pages, want %d", got, want)
			}
			if got, want := pages[0].URL, feedURL; got != want {
				t.Errorf("page url %q, want %q", got, want)
			}
			if got, want := len(pages[0].Posts), tt.wantPosts; got != want {
				t.Errorf("got %d posts, want %d", got, want)
			}
		})
	}
}

func TestListRequest(t *testing.T) {
	srv, hits, accept := feedServer(t)
	acct := &directory.Account{ID: "gdl", Network: archive.RSS, Handle: srv.URL + "/guadalajara-boletines.xml", Endpoint: "https://ignored.example"}
	yields := 0
	err := rss.New().List(context.Background(), newFetcher(), acct, func(crawler.Page) bool { yields++; return true })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hits.Load(), int64(1); got != want {
		t.Errorf("%d feed requests, want %d", got, want)
	}
	if got, want := yields, 1; got != want {
		t.Errorf("%d pages yielded, want %d", got, want)
	}
	if got, want := accept.Load(), rss.Accept; got != want {
		t.Errorf("Accept %q, want %q", got, want)
	}
}

func TestListStatusError(t *testing.T) {
	srv, _, _ := feedServer(t)
	acct := &directory.Account{ID: "gdl", Network: archive.RSS, Handle: srv.URL + "/gone.xml"}
	err := rss.New().List(context.Background(), newFetcher(), acct, func(crawler.Page) bool { return true })
	var se *crawler.StatusError
	if !errors.As(err, &se) {
		t.Fatalf("error %v is not a *crawler.StatusError", err)
	}
	if got, want := se.Status, http.StatusNotFound; got != want {
		t.Errorf("status %d, want %d", got, want)
	}
}

func TestListLegacyCharset(t *testing.T) {
	body := readFixture(t, "proteccion-civil-latin1.xml")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=ISO-8859-1")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	acct := &directory.Account{ID: "pc-gdl", Network: archive.RSS, Handle: srv.URL + "/rss.aspx"}
	var posts []archive.Post
	err := rss.New().List(context.Background(), newFetcher(), acct, func(p crawler.Page) bool { posts = p.Posts; return true })
	if err != nil {
		t.Fatal(err)
	}
	// The raw item is the bytes as served, not re-encoded on the way.
	if got, want := posts[0].Raw, rawElements(t, body, "item")[0]; !bytes.Equal(got, want) {
		t.Errorf("raw item\n got %q\nwant %q", got, want)
	}
	if got, want := posts[0].Text, "Temporada de estiaje: prohíbe quemas agrícolas y de basura\n\n"; !strings.HasPrefix(got, want) {
		t.Errorf("text %q, want it to start with %q", got, want)
	}
}
