package samplenet

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var (
	itemLink  = regexp.MustCompile(`<link>(https://[^<]+)</link>|<link href="(https://[^"]+)" rel="alternate"`)
	watchLink = regexp.MustCompile(`<link rel="alternate" href="(https://www.youtube.com/watch\?v=[^"]+)"/>`)
)

// Each feed item's link and each video's watch page are served; a deleted
// item's page is 404, a deleted video's watch page says ERROR, an unlisted
// post leaves the feed but keeps its page, and SetPageStatus overrides the
// answer.
func TestPostPages(t *testing.T) {
	s, ts := newTestServer(t)
	for _, feed := range []struct{ path, account, key string }{
		{"/boletin/rss.xml", "boletin-prensa", "inicia-bacheo-2026"},
		{"/blog-cultura/atom.xml", "cultura-blog", ""},
	} {
		body := string(getOK(t, ts.URL+feed.path).body)
		var links []string
		for _, m := range itemLink.FindAllStringSubmatch(body, -1) {
			if l := m[1] + m[2]; strings.Contains(l, "/20") { // an item, not the site
				links = append(links, l)
			}
		}
		if len(links) < 5 {
			t.Fatalf("%s: %d item links found", feed.path, len(links))
		}
		for _, l := range links {
			if r := getOK(t, onServer(t, ts, l)); !strings.Contains(string(r.body), "<article>") {
				t.Errorf("%s: not an article page: %.200s", l, r.body)
			}
		}
		if feed.key == "" {
			continue
		}
		page := ""
		for _, l := range links {
			if strings.Contains(l, "/"+feed.key+".html") {
				page = onServer(t, ts, l)
			}
		}
		if err := s.Unlist(feed.account, feed.key); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(getOK(t, ts.URL+feed.path).body), feed.key) {
			t.Errorf("an unlisted item is still in the feed")
		}
		getOK(t, page)
		if err := s.SetPageStatus(feed.account, feed.key, 500); err != nil {
			t.Fatal(err)
		}
		if r := get(t, page); r.status != 500 {
			t.Errorf("page with status 500 answers %d", r.status)
		}
		if err := s.SetPageStatus(feed.account, feed.key, 0); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(feed.account, feed.key); err != nil {
			t.Fatal(err)
		}
		if r := get(t, page); r.status != http.StatusNotFound {
			t.Errorf("a deleted item's page answers %d, want 404", r.status)
		}
	}

	feed := string(getOK(t, ts.URL+"/feeds/videos.xml?channel_id="+s.sample.byID["cabildo-gdl"].spec.Profile.Handle).body)
	m := watchLink.FindStringSubmatch(feed)
	if m == nil {
		t.Fatal("no watch link in the channel feed")
	}
	watch := onServer(t, ts, m[1])
	if r := getOK(t, watch); !strings.Contains(string(r.body), `"playabilityStatus":{"miniplayer"`) && !strings.Contains(string(r.body), `"status":"OK"`) {
		t.Errorf("watch page of a published video: %.300s", r.body)
	}
	if err := s.Delete("cabildo-gdl", "ordinaria-34"); err != nil {
		t.Fatal(err)
	}
	id := s.sample.byID["cabildo-gdl"].posts[0].id
	for _, p := range s.sample.byID["cabildo-gdl"].posts {
		if p.key == "ordinaria-34" {
			id = p.id
		}
	}
	r := getOK(t, ts.URL+"/watch?v="+id)
	if !strings.Contains(string(r.body), `"status":"ERROR"`) || !strings.Contains(string(r.body), "Video unavailable") {
		t.Errorf("watch page of a deleted video: %.300s", r.body)
	}
}
