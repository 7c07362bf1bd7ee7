// Package crawlertest holds what the network adapters' tests share:
// fixtures recorded in HTTP wire format, a loopback server replaying them,
// and a fetcher for it. It is imported by tests only.
//
// It also holds the checks those tests repeat on what an adapter lists and
// parses: the error, the pages, the posts.
package crawlertest

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

// Dir is a folder of fixtures, such as "../../testdata/mastodon".
type Dir string

// ReadFile returns the contents of the fixture name. It fails tb if the file
// cannot be read.
func (d Dir) ReadFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(string(d), name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// ReadResponse reads the fixture name, a response stored in HTTP/1.1 wire
// format (status line, headers, blank line, body), and returns it with its
// body read.
func (d Dir) ReadResponse(tb testing.TB, name string) (*http.Response, []byte) {
	tb.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(d.ReadFile(tb, name))), nil)
	if err != nil {
		tb.Fatalf("read fixture %q: %v", name, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read fixture %q: %v", name, err)
	}
	return resp, body
}

// Recorded reads the wire-format fixtures that files names, keyed by the
// request path and query each answers, and returns them as Replay routes.
func (d Dir) Recorded(tb testing.TB, files map[string]string) map[string]Reply {
	tb.Helper()
	routes := make(map[string]Reply, len(files))
	for uri, name := range files {
		resp, body := d.ReadResponse(tb, name)
		routes[uri] = Reply{Status: resp.StatusCode, Header: resp.Header, Body: body}
	}
	return routes
}

// Reply is the response a Server gives to one route.
type Reply struct {
	Status int // 200 when 0
	Header http.Header
	Body   []byte
}

// Replay describes what a Server answers.
type Replay struct {
	// Routes maps the path and query of a request to its reply; query
	// parameters match in any order and escaping. Other requests get 404.
	Routes map[string]Reply
	// Robots is the site's robots.txt, served as text/plain; nil for 404.
	Robots []byte
	// Accept, when set, is the Accept header a request must carry to get
	// its reply rather than 404.
	Accept string
	// Origin, when set, is the origin the replies were recorded from. The
	// server names itself instead in reply headers (Mastodon's Link
	// header), and leaves bodies alone.
	Origin string
	// OriginInBodies makes the server name itself instead of Origin in
	// reply bodies too (Graph API's paging links are in the body).
	OriginInBodies bool
	// Authorization, when set, is the Authorization header a request must
	// carry to get its reply rather than 401.
	Authorization string
}

// Server is a loopback HTTP server replaying a Replay. It logs the requests
// it gets, robots.txt aside.
type Server struct {
	*httptest.Server
	replay Replay // Routes keyed by canonical URI

	mu   sync.Mutex
	seen []string
}

// Serve starts a Server for r, closed when tb's test ends.
func Serve(tb testing.TB, r Replay) *Server {
	tb.Helper()
	routes := make(map[string]Reply, len(r.Routes))
	for uri, reply := range r.Routes {
		routes[canonical(uri)] = reply
	}
	r.Routes = routes
	s := &Server{replay: r}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/robots.txt" {
		if s.replay.Robots == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write(s.replay.Robots)
		return
	}
	uri := canonical(r.URL.RequestURI())
	s.mu.Lock()
	s.seen = append(s.seen, uri)
	s.mu.Unlock()
	reply, ok := s.replay.Routes[uri]
	if !ok || s.replay.Accept != "" && r.Header.Get("Accept") != s.replay.Accept {
		http.NotFound(w, r)
		return
	}
	if s.replay.Authorization != "" && r.Header.Get("Authorization") != s.replay.Authorization {
		http.Error(w, `{"error":"no or wrong token"}`, http.StatusUnauthorized)
		return
	}
	for k, vs := range reply.Header {
		for _, v := range vs {
			if s.replay.Origin != "" {
				v = strings.ReplaceAll(v, s.replay.Origin, s.URL)
			}
			w.Header().Add(k, v)
		}
	}
	body := reply.Body
	if s.replay.OriginInBodies && s.replay.Origin != "" {
		body = []byte(strings.ReplaceAll(string(body), s.replay.Origin, s.URL))
	}
	w.WriteHeader(cmp.Or(reply.Status, http.StatusOK))
	w.Write(body)
}

// Requests returns the path and query of each request the server got, in
// order and robots.txt aside, with the query parameters put in order.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

// CheckRequests checks that the server got the requests want, in order:
// paths and queries, with the query parameters in any order.
func (s *Server) CheckRequests(tb testing.TB, want []string) {
	tb.Helper()
	want = canonicalAll(want)
	if got := s.Requests(); !slices.Equal(got, want) {
		tb.Errorf("requests:\n got  %q\n want %q", got, want)
	}
}

// canonical puts the query parameters of a URL or request URI in order, and
// escapes them alike, so that URLs compare however a client writes its
// query.
func canonical(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.RawQuery == "" {
		return uri
	}
	u.RawQuery = u.Query().Encode()
	return u.String()
}

func canonicalAll(uris []string) []string {
	out := make([]string, len(uris))
	for i, u := range uris {
		out[i] = canonical(u)
	}
	return out
}

// Fetcher returns a Fetcher for network that reaches loopback servers,
// with no rate limit and no retries.
func Fetcher(network archive.Network) crawler.Fetcher {
	return crawler.NewClient(crawler.ClientOptions{AllowPrivateNetworks: true, HostRate: 0, Retries: 0}, nil).For(network)
}

// List runs a's List for acct, through a Fetcher for acct's network, and
// returns the pages it yielded and the error it returned. With stopAfter
// above 0, yield returns false on page stopAfter.
func List(a crawler.Adapter, acct *directory.Account, stopAfter int) ([]crawler.Page, error) {
	var pages []crawler.Page
	err := a.List(context.Background(), Fetcher(acct.Network), acct, func(p crawler.Page) bool {
		pages = append(pages, p)
		return stopAfter == 0 || len(pages) < stopAfter
	})
	return pages, err
}

// CheckError checks err against want, its whole message, or "" for no
// error. An unexpected error is fatal.
func CheckError(tb testing.TB, err error, want string) {
	tb.Helper()
	switch {
	case want == "" && err != nil:
		tb.Fatalf("unexpected error: %v", err)
	case want != "" && fmt.Sprint(err) != want:
		tb.Errorf("error:\n got  %v\n want %s", err, want)
	}
}

// Page is what a listing page should be.
type Page struct {
	Path  string // its URL after the server's; query parameters in any order
	Posts int    // how many posts it holds
	First string // the PostID of its first post; unchecked if ""
}

// CheckPages checks that pages, listed from the server at base, are the ones
// want describes, in order. A different number of pages is fatal.
func CheckPages(tb testing.TB, base string, pages []crawler.Page, want []Page) {
	tb.Helper()
	if got, want := len(pages), len(want); got != want {
		tb.Fatalf("got %d pages, want %d", got, want)
	}
	for i, w := range want {
		p := pages[i]
		if got, want := canonical(p.URL), canonical(base+w.Path); got != want {
			tb.Errorf("page %d URL = %s, want %s", i, got, want)
		}
		if got, want := len(p.Posts), w.Posts; got != want {
			tb.Errorf("page %d has %d posts, want %d", i, got, want)
		}
		first := ""
		if len(p.Posts) > 0 {
			first = p.Posts[0].PostID
		}
		if w.First != "" && first != w.First {
			tb.Errorf("page %d starts with %q, want %q", i, first, w.First)
		}
	}
}

// CheckPost checks got against want, every field but Raw, and returns got's
// Raw: the bytes as received, which each test checks in its own way.
func CheckPost(tb testing.TB, got, want archive.Post) (raw []byte) {
	tb.Helper()
	raw, got.Raw, want.Raw = got.Raw, nil, nil
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("post %s:\n got  %+v\n want %+v", want.PostID, got, want)
	}
	return raw
}

// Time parses an RFC 3339 time, fractional seconds allowed, into UTC. It
// panics on a malformed one, for test tables, which have no test to fail.
func Time(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}
