package bluesky

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/directory"
)

const (
	fixtures crawlertest.Dir = "../../testdata/bluesky/"

	handle = "obraspublicasgdl.bsky.social"
	did    = "did:plc:q7bm3zkdy4wtvx2nc5hfrj6a"

	feedPath = "/xrpc/app.bsky.feed.getAuthorFeed?actor=obraspublicasgdl.bsky.social&limit=100&filter=posts_with_replies&includePins=false"
	feed2    = feedPath + "&cursor=2025-03-11T16%3A10%3A32.494Z"
	feed3    = feedPath + "&cursor=2025-03-10T10%3A43%3A01.212Z"
)

// serve replays the fixtures that routes names, by request path and query,
// as the AppView would: to JSON requests only, and with no robots.txt.
func serve(t *testing.T, routes map[string]string) *crawlertest.Server {
	t.Helper()
	return crawlertest.Serve(t, crawlertest.Replay{Routes: fixtures.Recorded(t, routes), Accept: "application/json"})
}

func TestList(t *testing.T) {
	listing := map[string]string{
		feedPath: "author-feed-page1.http",
		feed2:    "author-feed-page2.http",
		feed3:    "author-feed-end.http",
	}
	didPath := strings.Replace(feedPath, handle, url.QueryEscape(did), 1)
	tests := []struct {
		name      string
		actor     string
		routes    map[string]string
		stopAfter int // pages after which yield returns false; 0 for never
		wantPages []crawlertest.Page
		wantReqs  []string
		wantErr   error  // matched with errors.Is
		wantMsg   string // the whole message; {srv} is the server's URL
	}{
		{
			name:  "cursor over two pages, then an empty one",
			actor: handle, routes: listing,
			wantPages: []crawlertest.Page{{Path: feedPath, Posts: 8, First: "3lkeehg5wgcki"}, {Path: feed2, Posts: 5, First: "3lk4fx2cd62a7"}},
			wantReqs:  []string{feedPath, feed2, feed3},
		},
		{
			name:  "yield returning false stops paging",
			actor: handle, routes: listing, stopAfter: 1,
			wantPages: []crawlertest.Page{{Path: feedPath, Posts: 8, First: "3lkeehg5wgcki"}},
			wantReqs:  []string{feedPath},
		},
		{
			name:  "DID as actor",
			actor: did, routes: map[string]string{didPath: "author-feed-page1.http"}, stopAfter: 1,
			wantPages: []crawlertest.Page{{Path: didPath, Posts: 8, First: "3lkeehg5wgcki"}},
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
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.routes)
			acct := &directory.Account{ID: "gdl-obras-bluesky", Network: archive.Bluesky, Handle: tt.actor, Endpoint: srv.URL}
			pages, err := crawlertest.List(New(), acct, tt.stopAfter)

			crawlertest.CheckError(t, err, strings.ReplaceAll(tt.wantMsg, "{srv}", srv.URL))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("List error %v: not %v", err, tt.wantErr)
				}
				var se *crawler.StatusError
				if !errors.As(err, &se) {
					t.Errorf("List error %v holds no *crawler.StatusError", err)
				}
			}
			srv.CheckRequests(t, tt.wantReqs)
			crawlertest.CheckPages(t, srv.URL, pages, tt.wantPages)
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
