package bluesky

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/directory"
)

const (
	fixtures = "../../testdata/bluesky/"
	handle   = "obraspublicasgdl.bsky.social"
	did      = "did:plc:q7bm3zkdy4wtvx2nc5hfrj6a"

	feedPath = "/xrpc/app.bsky.feed.getAuthorFeed?actor=obraspublicasgdl.bsky.social&limit=100&filter=posts_with_replies&includePins=false"
	feed2    = feedPath + "&cursor=2025-03-11T16%3A10%3A32.494Z"
	feed3    = feedPath + "&cursor=2025-03-10T10%3A43%3A01.212Z"
)

// fixture reads a recorded response, stored in HTTP/1.1 wire format.
func fixture(tb testing.TB, name string) (*http.Response, []byte) {
	tb.Helper()
	f, err := os.Open(fixtures + name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	resp, err := http.ReadResponse(bufio.NewReader(f), nil)
	if err != nil {
		tb.Fatalf("read fixture %q: %v", name, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read fixture %q: %v", name, err)
	}
	return resp, body
}

// appView is a test server replaying recorded responses for the request
// paths and queries it knows, and 404 for anything else, robots.txt
// included. It logs the requests it gets.
type appView struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func serve(t *testing.T, routes map[string]string) *appView {
	t.Helper()
	type recorded struct {
		resp *http.Response
		body []byte
	}
	replies := map[string]recorded{}
	for path, name := range routes {
		resp, body := fixture(t, name)
		replies[canonical(path)] = recorded{resp, body}
	}
	av := &appView{}
	av.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		key := canonical(r.URL.RequestURI())
		av.mu.Lock()
		av.seen = append(av.seen, key)
		av.mu.Unlock()
		rec, ok := replies[key]
		if !ok || r.Header.Get("Accept") != "application/json" {
			http.NotFound(w, r)
			return
		}
		for k, vs := range rec.resp.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.resp.StatusCode)
		w.Write(rec.body)
	}))
	t.Cleanup(av.Close)
	return av
}

// requests returns the API requests the server got, robots.txt aside.
func (av *appView) requests() []string {
	av.mu.Lock()
	defer av.mu.Unlock()
	return append([]string(nil), av.seen...)
}

// canonical orders and re-escapes a request URI's query, so that routes
// match however a client writes its parameters.
func canonical(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.RawQuery == "" {
		return uri
	}
	return u.Path + "?" + u.Query().Encode()
}

func TestList(t *testing.T) {
	listing := map[string]string{
		feedPath: "author-feed-page1.http",
		feed2:    "author-feed-page2.http",
		feed3:    "author-feed-end.http",
	}
	didPath := strings.Replace(feedPath, handle, url.QueryEscape(did), 1)
	type page struct {
		path  string
		posts int
		first string // PostID of the first post
	}
	tests := []struct {
		name      string
		actor     string
		routes    map[string]string
		stopAfter int // pages after which yield returns false; 0 for never
		wantPages []page
		wantReqs  []string
		wantErr   error  // matched with errors.Is
		wantMsg   string // the whole message; {srv} is the server's URL
	}{
		{
			name:  "cursor over two pages, then an empty one",
			actor: handle, routes: listing,
			wantPages: []page{{feedPath, 8, "3lkeehg5wgcki"}, {feed2, 5, "3lk4fx2cd62a7"}},
			wantReqs:  []string{feedPath, feed2, feed3},
		},
		{
			name:  "yield returning false stops paging",
			actor: handle, routes: listing, stopAfter: 1,
			wantPages: []page{{feedPath, 8, "3lkeehg5wgcki"}},
			wantReqs:  []string{feedPath},
		},
		{
			name:  "DID as actor",
			actor: did, routes: map[string]string{didPath: "author-feed-page1.http"}, stopAfter: 1,
			wantPages: []page{{didPath, 8, "3lkeehg5wgcki"}},
			wantReqs:  []string{didPath},
		},
		{
			name:  "profile not found",
			actor: handle, routes: map[string]string{feedPath: "profile-not-found.http"},
			wantReqs: []string{feedPath},
			wantErr:  ErrAccountNotFound,
			wantMsg:  `list posts of "obraspublicasgdl.bsky.social" at {srv}` + feedPath + `: account not found (400: Profile not found)`,
		},
		{
			name:  "other XRPC error",
			actor: handle, routes: map[string]string{feedPath: "rate-limited.http"},
			wantReqs: []string{feedPath},
			wantMsg:  `list posts of "obraspublicasgdl.bsky.social" at {srv}` + feedPath + `: GET {srv}` + feedPath + `: 429 Too Many Requests: RateLimitExceeded: Rate Limit Exceeded`,
		},
		{
			name:  "malformed JSON",
			actor: handle, routes: map[string]string{feedPath: "author-feed-truncated.http"},
			wantReqs: []string{feedPath},
			wantMsg:  `parse author feed from {srv}` + feedPath + `: unexpected end of JSON input`,
		},
	}
	client := crawler.NewClient(crawler.ClientOptions{AllowPrivateNetworks: true, HostRate: 0, Retries: 0}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.routes)
			acct := &directory.Account{ID: "gdl-obras-bluesky", Network: archive.Bluesky, Handle: tt.actor, Endpoint: srv.URL}
			var pages []crawler.Page
			err := New().List(context.Background(), client.For(archive.Bluesky), acct, func(p crawler.Page) bool {
				pages = append(pages, p)
				return tt.stopAfter == 0 || len(pages) < tt.stopAfter
			})

			if tt.wantMsg == "" && err != nil {
				t.Fatalf("List: %v", err)
			}
			if tt.wantMsg != "" {
				if got, want := errString(err), strings.ReplaceAll(tt.wantMsg, "{srv}", srv.URL); got != want {
					t.Errorf("List error:\n got  %s\n want %s", got, want)
				}
				var se *crawler.StatusError
				if tt.wantErr != nil && !errors.As(err, &se) {
					t.Errorf("List error %v holds no *crawler.StatusError", err)
				}
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("List error %v: not %v", err, tt.wantErr)
			}
			if got, want := strings.Join(srv.requests(), "\n"), strings.Join(canonicalAll(tt.wantReqs), "\n"); got != want {
				t.Errorf("requests:\n got  %s\n want %s", got, want)
			}
			if got, want := len(pages), len(tt.wantPages); got != want {
				t.Fatalf("got %d pages, want %d", got, want)
			}
			for i, w := range tt.wantPages {
				p := pages[i]
				if got, want := canonical(p.URL), canonical(srv.URL+w.path); got != want {
					t.Errorf("page %d URL = %s, want %s", i, got, want)
				}
				if got, want := len(p.Posts), w.posts; got != want {
					t.Errorf("page %d has %d posts, want %d", i, got, want)
				}
				if got, want := p.Posts[0].PostID, w.first; got != want {
					t.Errorf("page %d starts with %s, want %s", i, got, want)
				}
			}
		})
	}
}

func TestFeedURL(t *testing.T) {
	tests := []struct {
		actor, cursor, want string
	}{
		{handle, "", DefaultEndpoint + feedPath},
		{handle, "2025-03-11T16:10:32.494Z", DefaultEndpoint + feed2},
		{did, "", DefaultEndpoint + "/xrpc/app.bsky.feed.getAuthorFeed?actor=did%3Aplc%3Aq7bm3zkdy4wtvx2nc5hfrj6a&limit=100&filter=posts_with_replies&includePins=false"},
	}
	for _, tt := range tests {
		if got := feedURL(DefaultEndpoint, tt.actor, tt.cursor); got != tt.want {
			t.Errorf("feedURL(%q, %q) = %s, want %s", tt.actor, tt.cursor, got, tt.want)
		}
	}
}

func canonicalAll(uris []string) []string {
	out := make([]string, len(uris))
	for i, u := range uris {
		out[i] = canonical(u)
	}
	return out
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
