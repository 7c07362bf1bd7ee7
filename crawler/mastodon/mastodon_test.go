package mastodon

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
	fixtures = "../../testdata/mastodon/"
	origin   = "https://social.gdl.example" // the instance the fixtures were recorded from
	handle   = "@obraspublicas@social.gdl.example"

	lookupPath = "/api/v1/accounts/lookup?acct=obraspublicas%40social.gdl.example"
	page1Path  = "/api/v1/accounts/110265487391823764/statuses?limit=40"
	page2Path  = page1Path + "&max_id=114066024187572272"
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

// instance is a test server replaying recorded responses for the request
// paths and queries it knows, the instance's robots.txt, and 404 for
// anything else. It logs the requests it gets.
type instance struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func serve(t *testing.T, routes map[string]string) *instance {
	t.Helper()
	robots, err := os.ReadFile(fixtures + "robots.txt")
	if err != nil {
		t.Fatal(err)
	}
	type recorded struct {
		resp *http.Response
		body []byte
	}
	replies := map[string]recorded{}
	for path, name := range routes {
		resp, body := fixture(t, name)
		replies[canonical(path)] = recorded{resp, body}
	}
	in := &instance{}
	in.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Content-Type", "text/plain")
			w.Write(robots)
			return
		}
		key := canonical(r.URL.RequestURI())
		in.mu.Lock()
		in.seen = append(in.seen, key)
		in.mu.Unlock()
		rec, ok := replies[key]
		if !ok || r.Header.Get("Accept") != "application/json" {
			http.NotFound(w, r)
			return
		}
		for k, vs := range rec.resp.Header {
			for _, v := range vs {
				w.Header().Add(k, strings.ReplaceAll(v, origin, in.URL))
			}
		}
		w.WriteHeader(rec.resp.StatusCode)
		w.Write(rec.body)
	}))
	t.Cleanup(in.Close)
	return in
}

// requests returns the API requests the server got, robots.txt aside.
func (in *instance) requests() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.seen...)
}

// canonical orders a request URI's query, so that routes match however a
// client orders its parameters.
func canonical(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.RawQuery == "" {
		return uri
	}
	return u.Path + "?" + u.Query().Encode()
}

func TestList(t *testing.T) {
	listing := map[string]string{
		lookupPath: "lookup.http",
		page1Path:  "statuses-page1.http",
		page2Path:  "statuses-page2.http",
	}
	type page struct {
		path  string
		posts int
		first string // PostID of the first post
	}
	tests := []struct {
		name      string
		handle    string
		routes    map[string]string
		stopAfter int // pages after which yield returns false; 0 for never
		wantPages []page
		wantReqs  []string
		wantErr   error  // matched with errors.Is
		wantMsg   string // the whole message; {srv} is the server's URL
	}{
		{
			name:   "two pages through the Link header",
			handle: handle, routes: listing,
			wantPages: []page{{page1Path, 40, "114162488476499244"}, {page2Path, 7, "114063891249288489"}},
			wantReqs:  []string{lookupPath, page1Path, page2Path},
		},
		{
			name:   "yield returning false stops paging",
			handle: handle, routes: listing, stopAfter: 1,
			wantPages: []page{{page1Path, 40, "114162488476499244"}},
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
	client := crawler.NewClient(crawler.ClientOptions{AllowPrivateNetworks: true, HostRate: 0, Retries: 0}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.routes)
			acct := &directory.Account{ID: "gdl-obras-mastodon", Network: archive.Mastodon, Handle: tt.handle, Endpoint: srv.URL}
			var pages []crawler.Page
			err := New().List(context.Background(), client.For(archive.Mastodon), acct, func(p crawler.Page) bool {
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
	acct := &directory.Account{Handle: handle, Endpoint: srv.URL}
	client := crawler.NewClient(crawler.ClientOptions{AllowPrivateNetworks: true, Retries: 0}, nil)
	err := New().List(context.Background(), client.For(archive.Mastodon), acct, func(crawler.Page) bool { return true })
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
