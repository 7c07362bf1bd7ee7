package samplenet

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

func TestDirectoryParses(t *testing.T) {
	s, ts := newTestServer(t)
	d, err := directory.Parse("samplenet.yaml", s.DirectoryAt(ts.URL), specs)
	if err != nil {
		t.Fatalf("directory.Parse: %v", err)
	}
	if got, want := d.Subject, "Ayuntamiento de Guadalajara (muestra)"; got != want {
		t.Errorf("subject = %q, want %q", got, want)
	}
	if got := len(d.Accounts); got < 9 {
		t.Fatalf("%d accounts, want at least 9", got)
	}
	networks := map[archive.Network]int{}
	levels := map[int]bool{}
	var official, administered, ended int
	loc := d.Location
	sampleEnd := time.Date(2026, 11, 20, 0, 0, 0, 0, loc)
	for _, a := range d.Accounts {
		networks[a.Network]++
		switch a.Network {
		case archive.RSS:
			if !strings.HasPrefix(a.Handle, ts.URL+"/") || a.Endpoint != "" {
				t.Errorf("%s: rss handle %q endpoint %q, want the feed's URL on %s and no endpoint", a.ID, a.Handle, a.Endpoint, ts.URL)
			}
		default:
			if a.Endpoint != ts.URL {
				t.Errorf("%s: endpoint = %q, want %q", a.ID, a.Endpoint, ts.URL)
			}
		}
		if a.Type == directory.Official {
			official++
		}
		if a.Servant != nil {
			levels[a.Servant.Level] = true
		}
		from, to := a.Term(loc)
		inOffice := !sampleEnd.Before(from) && (to.IsZero() || sampleEnd.Before(to))
		if a.AdministeredByArea && inOffice {
			administered++
		}
		if a.Type == directory.Personal && !a.Office.To.IsZero() && !inOffice {
			ended++
		}
	}
	for _, n := range archive.Networks {
		if networks[n] == 0 && ExportBuilders[n] == nil {
			t.Errorf("no %s account, and no export of one", n)
		}
	}
	for l := 0; l <= 4; l++ {
		if !levels[l] {
			t.Errorf("no servant of level %d", l)
		}
	}
	if official < 5 || administered != 1 || ended != 1 {
		t.Errorf("official %d (want ≥5), administered in office %d (want 1), personal with office ended %d (want 1)", official, administered, ended)
	}
}

func TestDirectoryHandles(t *testing.T) {
	s, ts := newTestServer(t)
	d, err := directory.Parse("samplenet.yaml", s.DirectoryAt(ts.URL), specs)
	if err != nil {
		t.Fatal(err)
	}
	formats := map[archive.Network]*regexp.Regexp{
		archive.Mastodon: regexp.MustCompile(`^@[a-z0-9_]+@social\.guadalajara\.example$`),
		archive.Bluesky:  regexp.MustCompile(`^[a-z0-9.-]+\.guadalajara\.example$`),
		archive.Telegram: regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{3,31}$`),
		archive.YouTube:  regexp.MustCompile(`^UC[A-Za-z0-9_-]{22}$`),
		archive.RSS:      regexp.MustCompile(`^http://127\.0\.0\.1:\d+/[a-z-]+/(rss|atom)\.xml$`),
	}
	id := regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	for _, a := range d.Accounts {
		if !formats[a.Network].MatchString(a.Handle) {
			t.Errorf("%s: %s handle %q has the wrong form", a.ID, a.Network, a.Handle)
		}
		if !id.MatchString(a.ID) {
			t.Errorf("id %q has the wrong form", a.ID)
		}
	}
	if got := s.Counts(); len(got) != len(d.Accounts) {
		t.Errorf("Counts has %d accounts, directory %d", len(got), len(d.Accounts))
	}
}

func TestStartServeClose(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if s.URL() != "" {
		t.Errorf("URL before Start = %q, want empty", s.URL())
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close before Start: %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err == nil {
		t.Error("second Start succeeded")
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL = %q, want loopback", s.URL())
	}
	r := getOK(t, s.URL()+"/robots.txt")
	if got, want := string(r.body), robots; got != want {
		t.Errorf("robots.txt = %q, want %q", got, want)
	}
	if !strings.HasPrefix(string(r.body), "# ") || !strings.Contains(string(r.body), "User-agent: *\nDisallow:\n") {
		t.Errorf("robots.txt lacks a comment or the allow-all group: %q", r.body)
	}
	if _, err := directory.Parse("dir.yaml", s.Directory(), specs); err != nil {
		t.Errorf("Directory after Start: %v", err)
	}
	if !strings.Contains(string(s.Directory()), "endpoint: "+s.URL()+"\n") {
		t.Errorf("Directory does not point at %s", s.URL())
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := http.Get(s.URL() + "/robots.txt"); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestContentMix(t *testing.T) {
	s, _ := newTestServer(t)
	total := 0
	topics := map[string]int{}
	for _, a := range s.sample.accounts {
		total += len(a.posts)
		var fn, other int
		for _, p := range a.posts {
			topics[p.topic]++
			if p.at.Before(windowFrom) || !p.at.Before(windowTo) {
				t.Errorf("%s: post at %s outside the window", a.spec.ID, p.at)
			}
			if p.topic == topicFunction {
				fn++
			} else {
				other++
			}
		}
		if a.spec.Type == "personal" && !a.spec.AdministeredByArea {
			if share := float64(fn) / float64(fn+other); share < 0.3 || share > 0.7 {
				t.Errorf("%s: %d of %d posts about functions, want roughly half", a.spec.ID, fn, fn+other)
			}
		}
	}
	if total < 65 {
		t.Errorf("%d posts, want at least 65", total)
	}
	if topics[topicPersonal] < 15 || topics[topicElectoral] < 4 {
		t.Errorf("topics %v: want private life and partisan posts too", topics)
	}
	// The former director's blog keeps publishing after her term.
	a := s.sample.byID["cultura-blog"]
	end := time.Date(2026, 7, 1, 0, 0, 0, 0, time.FixedZone("CST", -6*3600))
	after := 0
	for _, p := range a.posts {
		if !p.at.Before(end) {
			after++
		}
	}
	if after < 3 || after == len(a.posts) {
		t.Errorf("cultura-blog: %d of %d entries after her term, want some before and at least 3 after", after, len(a.posts))
	}
}

// TestConcurrentRequests hits every route at once, for the race detector.
func TestConcurrentRequests(t *testing.T) {
	s, ts := newTestServer(t)
	paths := []string{
		"/robots.txt", "/api/v1/accounts/lookup?acct=gobierno",
		"/api/v1/accounts/" + s.sample.byID["gobierno-gdl"].numID + "/statuses",
		"/xrpc/app.bsky.feed.getAuthorFeed?actor=mquintero.guadalajara.example",
		"/s/avisos_gdl_muestra", "/feeds/videos.xml?channel_id=UCgdlCabildoSesiones2026",
		"/boletin/rss.xml", "/blog-cultura/atom.xml",
	}
	var wg sync.WaitGroup
	for range 4 {
		for _, p := range paths {
			wg.Go(func() {
				resp, err := http.Get(ts.URL + p)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s: %d", p, resp.StatusCode)
				}
			})
		}
	}
	wg.Wait()
}

// TestBodiesIndependentOfAddress serves the sample from two servers on
// different ports, as two runs of `vigia demo` do, and checks that every
// page a crawl reads is the same byte for byte: URLs in bodies name the
// networks' public hosts, never the address served from. Only Link headers
// name the server, and each names its own.
func TestBodiesIndependentOfAddress(t *testing.T) {
	s1, ts1 := newTestServer(t)
	s2, ts2 := newTestServer(t)
	paths1, bodies1 := sampleBodies(t, s1, ts1)
	paths2, bodies2 := sampleBodies(t, s2, ts2)
	if !slices.Equal(paths1, paths2) {
		t.Fatalf("the two servers lead a crawl to different pages:\n%v\n%v", paths1, paths2)
	}
	kinds := map[string]int{}
	for _, p := range paths1 {
		b1, b2 := bodies1[p], bodies2[p]
		if !bytes.Equal(b1, b2) {
			i := 0
			for i < min(len(b1), len(b2)) && b1[i] == b2[i] {
				i++
			}
			t.Errorf("GET %s: bodies differ at byte %d: %q vs %q", p, i, excerpt(b1, i), excerpt(b2, i))
		}
		for _, ts := range []*httptest.Server{ts1, ts2} {
			if host := strings.TrimPrefix(ts.URL, "http://"); bytes.Contains(b1, []byte(host)) {
				t.Errorf("GET %s: body names the server's address %s", p, host)
			}
		}
		kind, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		kinds[kind]++
	}
	// Every kind of page a crawl reads was compared.
	for _, k := range []string{"api", "xrpc", "s", "feeds", "boletin", "blog-cultura"} {
		if kinds[k] == 0 {
			t.Errorf("no %s page compared (%v)", k, kinds)
		}
	}

	// URLs in bodies name only public hosts, and the server answers the
	// paths of the media files they name.
	publicURL := regexp.MustCompile(`https?://[^\s"'<>()\\]+`)
	mediaPath := regexp.MustCompile(`^/(system|headers|img|file|vi|media)/`)
	fetched := map[string]bool{}
	for _, p := range paths1 {
		for _, m := range publicURL.FindAll(bodies1[p], -1) {
			u, err := url.Parse(string(m))
			if err != nil {
				t.Errorf("GET %s: bad URL %s", p, m)
				continue
			}
			if strings.HasPrefix(u.Host, "127.") || u.Hostname() == "localhost" {
				t.Errorf("GET %s: URL %s names loopback", p, m)
			}
			if !publicHosts[u.Host] || !mediaPath.MatchString(u.Path) || fetched[u.String()] {
				continue
			}
			fetched[u.String()] = true
			if r := get(t, onServer(t, ts1, u.String())); r.status != http.StatusOK || len(r.body) == 0 {
				t.Errorf("media %s (in %s): status %d, %d bytes", u, p, r.status, len(r.body))
			}
		}
	}
	if len(fetched) < 20 {
		t.Errorf("only %d media URLs found in the bodies", len(fetched))
	}
}

var linkTarget = regexp.MustCompile(`<([^>]+)>`)

func excerpt(b []byte, at int) string {
	return string(b[max(0, at-40):min(len(b), at+40)])
}

// sampleBodies reads, from one server, every page a complete crawl of the
// sample reads (with some variants of the listings' parameters) and the
// single-entity pages: request paths in order, and bodies by path. Links to
// further pages are followed as clients follow them; a Link header must
// name this server.
func sampleBodies(t *testing.T, s *Server, ts *httptest.Server) ([]string, map[string][]byte) {
	t.Helper()
	var paths []string
	bodies := map[string][]byte{}
	fetch := func(p string) response {
		t.Helper()
		r := getOK(t, ts.URL+p)
		if _, seen := bodies[p]; !seen {
			paths = append(paths, p)
		}
		bodies[p] = r.body
		return r
	}
	for _, a := range s.sample.accounts {
		h := a.spec.Profile.Handle
		switch a.spec.Network {
		case "mastodon":
			fetch("/api/v1/accounts/lookup?acct=" + url.QueryEscape(h))
			fetch("/api/v1/accounts/" + a.numID)
			endpoint := "/api/v1/accounts/" + a.numID + "/statuses"
			for _, q := range []string{"", "?limit=40", "?limit=2&exclude_replies=true", "?exclude_reblogs=1", "?only_media=true"} {
				next := endpoint + q
				for n := 0; next != ""; n++ {
					if n > 20 {
						t.Fatalf("%s: pagination does not end", endpoint+q)
					}
					page := next
					link := fetch(page).header.Get("Link")
					next = ""
					for _, l := range linkTarget.FindAllStringSubmatch(link, -1) {
						if !strings.HasPrefix(l[1], ts.URL+endpoint+"?") {
							t.Errorf("GET %s: Link %s does not lead back to %s", page, l[1], ts.URL)
						}
					}
					if m := linkNext.FindStringSubmatch(link); m != nil {
						next = strings.TrimPrefix(m[1], ts.URL)
					}
				}
			}
			for _, p := range a.posts {
				fetch("/api/v1/statuses/" + p.id)
			}
		case "bluesky":
			for _, f := range []string{"", "posts_no_replies", "posts_with_media", "posts_and_author_threads"} {
				q := url.Values{"actor": {h}, "limit": {"3"}}
				if f != "" {
					q.Set("filter", f)
				}
				for n := 0; ; n++ {
					if n > 20 {
						t.Fatalf("%s: pagination does not end", h)
					}
					var out struct {
						Cursor string `json:"cursor"`
					}
					if err := json.Unmarshal(fetch("/xrpc/app.bsky.feed.getAuthorFeed?"+q.Encode()).body, &out); err != nil {
						t.Fatal(err)
					}
					if out.Cursor == "" {
						break
					}
					q.Set("cursor", out.Cursor)
				}
			}
		case "telegram":
			next := "/s/" + h
			for n := 0; next != ""; n++ {
				if n > 10 {
					t.Fatalf("%s: pagination does not end", h)
				}
				doc := parseHTML(t, fetch(next).body)
				next = ""
				if more := find(doc, "tme_messages_more"); more != nil {
					next, _ = attr(more, "href")
					if !strings.HasPrefix(next, "/s/"+h+"?before=") {
						t.Errorf("%s: link to older messages %q, want it relative", h, next)
					}
				}
			}
			fetch("/" + h)
			for _, p := range a.posts {
				fetch("/" + h + "/" + p.id + "?embed=1")
			}
		case "youtube":
			fetch("/feeds/videos.xml?channel_id=" + h)
		case "rss":
			fetch(h)
		}
	}
	return paths, bodies
}
