package mastodon

import (
	"errors"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/directory"
)

const (
	fixtures crawlertest.Dir = "../../testdata/mastodon/"

	origin = "https://social.gdl.example" // the instance the fixtures were recorded from
	handle = "@obraspublicas@social.gdl.example"

	lookupPath = "/api/v1/accounts/lookup?acct=obraspublicas%40social.gdl.example"
	page1Path  = "/api/v1/accounts/110265487391823764/statuses?limit=40"
	page2Path  = page1Path + "&max_id=114066024187572272"
)

// serve replays the fixtures that routes names, by request path and query,
// as the instance would: with its robots.txt, to JSON requests only, and
// with Link headers that lead back to the test server.
func serve(t *testing.T, routes map[string]string) *crawlertest.Server {
	t.Helper()
	return crawlertest.Serve(t, crawlertest.Replay{
		Routes: fixtures.Recorded(t, routes),
		Robots: fixtures.ReadFile(t, "robots.txt"),
		Accept: "application/json",
		Origin: origin,
	})
}

func TestList(t *testing.T) {
	listing := map[string]string{
		lookupPath: "lookup.http",
		page1Path:  "statuses-page1.http",
		page2Path:  "statuses-page2.http",
	}
	tests := []struct {
		name      string
		handle    string
		routes    map[string]string
		stopAfter int // pages after which yield returns false; 0 for never
		wantPages []crawlertest.Page
		wantReqs  []string
		wantErr   error  // matched with errors.Is
		wantMsg   string // the whole message; {srv} is the server's URL
	}{
		{
			name:   "two pages through the Link header",
			handle: handle, routes: listing,
			wantPages: []crawlertest.Page{{Path: page1Path, Posts: 40, First: "114162488476499244"}, {Path: page2Path, Posts: 7, First: "114063891249288489"}},
			wantReqs:  []string{lookupPath, page1Path, page2Path},
		},
		{
			name:   "yield returning false stops paging",
			handle: handle, routes: listing, stopAfter: 1,
			wantPages: []crawlertest.Page{{Path: page1Path, Posts: 40, First: "114162488476499244"}},
			wantReqs:  []string{lookupPath, page1Path},
		},
		{
			name:   "account not found",
			handle: handle, routes: map[string]string{lookupPath: "lookup-not-found.http"},
			wantReqs: []string{lookupPath},
			wantErr:  ErrAccountNotFound,
			wantMsg:  `look up account "@obraspublicas@social.gdl.example" at {srv}` + lookupPath + `: account not found (404)`,
		},
		{
			name:   "instance requires login",
			handle: handle, routes: map[string]string{lookupPath: "lookup-login-required.http"},
			wantReqs: []string{lookupPath},
			wantErr:  ErrLoginRequired,
			wantMsg:  `look up account "@obraspublicas@social.gdl.example" at {srv}` + lookupPath + `: the instance requires login for its API (401: This API requires an authenticated user)`,
		},
		{
			name:   "malformed JSON",
			handle: handle, routes: map[string]string{lookupPath: "lookup.http", page1Path: "statuses-truncated.http"},
			wantReqs: []string{lookupPath, page1Path},
			wantMsg:  `parse statuses from {srv}` + page1Path + `: status 1: jsontext: unexpected EOF within "/1/account" after offset 7507`,
		},
		{
			name:    "not a Mastodon handle",
			handle:  "obraspublicas",
			wantMsg: `parse handle "obraspublicas": want @user@instance`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.routes)
			acct := &directory.Account{ID: "gdl-obras-mastodon", Network: archive.Mastodon, Handle: tt.handle, Endpoint: srv.URL}
			pages, err := crawlertest.List(New(), acct, tt.stopAfter)

			crawlertest.CheckError(t, err, strings.ReplaceAll(tt.wantMsg, "{srv}", srv.URL))
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("List error %v: not %v", err, tt.wantErr)
			}
			srv.CheckRequests(t, tt.wantReqs)
			crawlertest.CheckPages(t, srv.URL, pages, tt.wantPages)
			for _, p := range pages {
				for _, post := range p.Posts {
					if post.ReplyTo != "" && !strings.HasPrefix(post.ReplyTo, "https://social.gdl.example/api/v1/statuses/") {
						t.Errorf("post %s ReplyTo = %s, want it on the instance's domain, whatever the endpoint", post.PostID, post.ReplyTo)
					}
				}
			}
		})
	}
}

func TestListStatusError(t *testing.T) {
	srv := serve(t, map[string]string{lookupPath: "lookup-not-found.http"})
	acct := &directory.Account{Network: archive.Mastodon, Handle: handle, Endpoint: srv.URL}
	_, err := crawlertest.List(New(), acct, 0)
	var se *crawler.StatusError
	if !errors.As(err, &se) {
		t.Fatalf("List error %v holds no *crawler.StatusError", err)
	}
	if got, want := string(se.Body), `{"error":"Record not found"}`; got != want {
		t.Errorf("StatusError body = %s, want %s", got, want)
	}
}

func TestLookupURL(t *testing.T) {
	tests := []struct {
		base, want string
	}{
		{"https://social.gdl.example", "https://social.gdl.example/api/v1/accounts/lookup?acct=obraspublicas"},
		{"https://SOCIAL.gdl.example", "https://SOCIAL.gdl.example/api/v1/accounts/lookup?acct=obraspublicas"},
		{"https://api.gdl.example", "https://api.gdl.example/api/v1/accounts/lookup?acct=obraspublicas%40social.gdl.example"},
	}
	for _, tt := range tests {
		if got := lookupURL(tt.base, "obraspublicas", "social.gdl.example"); got != tt.want {
			t.Errorf("lookupURL(%q) = %s, want %s", tt.base, got, tt.want)
		}
	}
}
