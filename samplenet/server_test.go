package samplenet

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/directory"
)

func TestDirectoryParses(t *testing.T) {
	s, ts := newTestServer(t)
	d, err := directory.Parse("samplenet.yaml", s.DirectoryAt(ts.URL))
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
		if a.AdministeredByArea && a.InOffice(sampleEnd, loc) {
			administered++
		}
		if a.Type == directory.Personal && !a.Office.To.IsZero() && !a.InOffice(sampleEnd, loc) {
			ended++
		}
	}
	for _, n := range archive.Networks {
		if networks[n] == 0 {
			t.Errorf("no %s account", n)
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
	d, err := directory.Parse("samplenet.yaml", s.DirectoryAt(ts.URL))
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
	if _, err := directory.Parse("dir.yaml", s.Directory()); err != nil {
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
