package samplenet

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// blueskyCrawl pages through an author feed with limit=100, passing the
// cursor back until it is absent.
func blueskyCrawl(t *testing.T, base, actor string) (items []bFeedItem, pages []int) {
	t.Helper()
	cursor := ""
	for {
		u := base + "/xrpc/app.bsky.feed.getAuthorFeed?actor=" + url.QueryEscape(actor) + "&limit=100"
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		r := getOK(t, u)
		if !json.Valid(r.body) {
			t.Fatalf("GET %s: invalid JSON", u)
		}
		var out bFeedOutput
		if err := json.Unmarshal(r.body, &out); err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		items = append(items, out.Feed...)
		pages = append(pages, len(out.Feed))
		if out.Cursor == "" || len(pages) > 20 {
			return items, pages
		}
		cursor = out.Cursor
	}
}

func TestBlueskyPagination(t *testing.T) {
	s, ts := newTestServer(t)
	tests := []struct {
		actor, id string
		pages     []int
	}{
		{"proteccioncivil.guadalajara.example", "proteccion-civil", []int{5, 3}},
		{"mquintero.guadalajara.example", "presidenta", []int{5, 5, 0}},
		{s.sample.byID["presidenta"].did, "presidenta", []int{5, 5, 0}},
	}
	for _, tt := range tests {
		items, pages := blueskyCrawl(t, ts.URL, tt.actor)
		if !slices.Equal(pages, tt.pages) {
			t.Errorf("%s: pages %v, want %v", tt.actor, pages, tt.pages)
		}
		if got, want := len(items), s.Counts()[tt.id]; got != want {
			t.Errorf("%s: %d items, want %d", tt.actor, got, want)
		}
		seen := map[string]bool{}
		for _, it := range items {
			key := it.Post.URI
			if it.Reason != nil {
				key = it.Reason.URI
			}
			if seen[key] {
				t.Errorf("%s: %s listed twice", tt.actor, key)
			}
			seen[key] = true
		}
	}
}

func TestBlueskyItems(t *testing.T) {
	s, ts := newTestServer(t)
	pc, pres := s.sample.byID["proteccion-civil"], s.sample.byID["presidenta"]
	items, _ := blueskyCrawl(t, ts.URL, "mquintero.guadalajara.example")
	var repost, reply, images *bFeedItem
	for i := range items {
		it := &items[i]
		switch {
		case it.Reason != nil:
			repost = it
		case it.Reply != nil:
			reply = it
		case it.Post.Embed != nil:
			images = it
		}
	}
	if repost == nil || repost.Reason.Type != "app.bsky.feed.defs#reasonRepost" || repost.Reason.By.DID != pres.did ||
		repost.Post.Author.Handle != "proteccioncivil.guadalajara.example" || repost.Post.Embed == nil {
		t.Errorf("repost = %+v, want the presidenta reposting the storm alert", repost)
	}
	alert, update := pc.posts[7], pc.posts[6]
	if reply == nil || reply.Post.Record.Reply == nil {
		t.Fatalf("reply = %+v", reply)
	}
	if got, want := reply.Post.Record.Reply.Parent.URI, "at://"+pc.did+"/app.bsky.feed.post/"+update.id; got != want {
		t.Errorf("reply parent = %s, want %s", got, want)
	}
	if got, want := reply.Reply.Root.URI, "at://"+pc.did+"/app.bsky.feed.post/"+alert.id; got != want || reply.Reply.Root.Type != "app.bsky.feed.defs#postView" {
		t.Errorf("reply root = %s (%s), want %s", got, reply.Reply.Root.Type, want)
	}
	if reply.Reply.GrandparentAuthor == nil || reply.Reply.GrandparentAuthor.DID != pc.did {
		t.Errorf("grandparentAuthor = %+v, want Protección Civil", reply.Reply.GrandparentAuthor)
	}
	facets := reply.Post.Record.Facets
	if len(facets) != 1 || facets[0].Features[0].DID != pc.did ||
		reply.Post.Record.Text[facets[0].Index.ByteStart:facets[0].Index.ByteEnd] != "@proteccioncivil.guadalajara.example" {
		t.Errorf("mention facet = %+v", facets)
	}
	if images == nil || len(images.Post.Embed.Images) != 2 || images.Post.Embed.Type != "app.bsky.embed.images#view" {
		t.Fatalf("images = %+v, want the Fan Festival post with two images", images)
	}
	view, blob := images.Post.Embed.Images[0], images.Post.Record.Embed.Images[0]
	if !strings.HasPrefix(view.Fullsize, "https://cdn.bsky.app/img/feed_fullsize/plain/"+images.Post.Author.DID+"/") {
		t.Errorf("fullsize %s: want the CDN", view.Fullsize)
	}
	img := getOK(t, onServer(t, ts, view.Fullsize))
	if img.header.Get("Content-Type") != "image/jpeg" || len(img.body) != blob.Image.Size || view.Alt != blob.Alt {
		t.Errorf("GET %s: %s, %d bytes; record says %d bytes", view.Fullsize, img.header.Get("Content-Type"), len(img.body), blob.Image.Size)
	}
	for _, it := range items {
		if len(it.Post.CID) != 59 || it.Post.CID[:7] != "bafyrei" || len(it.Post.URI) != len("at://did:plc:")+24+len("/app.bsky.feed.post/")+13 {
			t.Errorf("post %s has cid %s: want real-looking identifiers", it.Post.URI, it.Post.CID)
		}
	}
}

func TestBlueskyFacets(t *testing.T) {
	s, _ := newTestServer(t)
	text := "Mapa: https://pc.guadalajara.example/refugios, ¿listos? #FrenteFrío y correo@ejemplo.mx"
	facets := s.blueskyFacets(text)
	var got []string
	for _, f := range facets {
		got = append(got, text[f.Index.ByteStart:f.Index.ByteEnd])
	}
	if want := []string{"https://pc.guadalajara.example/refugios", "#FrenteFrío"}; !slices.Equal(got, want) {
		t.Errorf("facets cover %q, want %q", got, want)
	}
}

func TestBlueskyErrors(t *testing.T) {
	_, ts := newTestServer(t)
	tests := []struct {
		query  string
		status int
		body   string
	}{
		{"actor=nadie.bsky.social", http.StatusBadRequest, `{"error":"InvalidRequest","message":"Profile not found"}`},
		{"", http.StatusBadRequest, `{"error":"InvalidRequest","message":"Error: Params must have the property \"actor\""}`},
		{"actor=mquintero.guadalajara.example&cursor=basura", http.StatusOK, `{"feed":[]}`},
		{"actor=mquintero.guadalajara.example&limit=101", http.StatusBadRequest, `{"error":"InvalidRequest","message":"Error: limit must be an integer between 1 and 100"}`},
	}
	for _, tt := range tests {
		r := get(t, ts.URL+"/xrpc/app.bsky.feed.getAuthorFeed?"+tt.query)
		if r.status != tt.status || string(r.body) != tt.body {
			t.Errorf("?%s: %d %s, want %d %s", tt.query, r.status, r.body, tt.status, tt.body)
		}
	}
}
