package samplenet

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/bluesky"
	"github.com/vigia-mx/vigia/crawler/mastodon"
)

// mastodonPosts lists an account's statuses over HTTP and reads them with
// the Mastodon adapter's parser.
func mastodonPosts(t *testing.T, base, acct string) []archive.Post {
	t.Helper()
	var acc mAccount
	if err := json.Unmarshal(getOK(t, base+"/api/v1/accounts/lookup?acct="+url.QueryEscape(acct)).body, &acc); err != nil {
		t.Fatalf("lookup %s: %v", acct, err)
	}
	var posts []archive.Post
	for next := base + "/api/v1/accounts/" + acc.ID + "/statuses?limit=40"; next != ""; {
		r := getOK(t, next)
		page, err := mastodon.ParseStatuses(r.body, "social.guadalajara.example")
		if err != nil {
			t.Fatalf("GET %s: %v", next, err)
		}
		posts = append(posts, page...)
		next = mastodon.NextLink(r.header.Values("Link"), next)
		if len(posts) > 200 {
			t.Fatal("pagination does not end")
		}
	}
	return posts
}

// blueskyPosts lists an actor's feed over HTTP and reads it with the
// Bluesky adapter's parser.
func blueskyPosts(t *testing.T, base, actor string) []archive.Post {
	t.Helper()
	var posts []archive.Post
	cursor := ""
	for range 20 {
		u := base + "/xrpc/app.bsky.feed.getAuthorFeed?actor=" + url.QueryEscape(actor) + "&limit=100"
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		page, next, err := bluesky.ParseAuthorFeed(getOK(t, u).body)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		posts = append(posts, page...)
		if cursor = next; cursor == "" {
			return posts
		}
	}
	t.Fatal("pagination does not end")
	return nil
}

func sharedOf(posts []archive.Post, kind archive.SharedKind) *archive.Post {
	for i := range posts {
		if sh := posts[i].Shared; sh != nil && sh.Kind == kind {
			return &posts[i]
		}
	}
	return nil
}

// TestSharedThroughAdapters reads the sample's boost, repost and quotes
// with the real adapters: each carries the other account's post, its
// words, author and link, and a quote keeps the account's own words apart.
// Once the quoted post is deleted, the quote names it only.
func TestSharedThroughAdapters(t *testing.T) {
	s, ts := newTestServer(t)
	gov, obras := s.sample.byID["gobierno-gdl"], s.sample.byID["obras-director"]
	pc, pres := s.sample.byID["proteccion-civil"], s.sample.byID["presidenta"]
	find := func(a *account, key string) *post {
		for _, p := range a.posts {
			if p.key == key {
				return p
			}
		}
		t.Fatalf("%s has no post %q", a.spec.ID, key)
		return nil
	}
	tests := []struct {
		name      string
		posts     func() []archive.Post
		kind      archive.SharedKind
		of        *post
		url       string
		author    string
		ownText   string
		wantMedia int
	}{
		{"mastodon boost", func() []archive.Post { return mastodonPosts(t, ts.URL, "obras_jorge") }, archive.Repost,
			find(gov, "bacheo-junio"), "https://social.guadalajara.example/@gobierno/" + find(gov, "bacheo-junio").id, "gobierno@social.guadalajara.example", "", -1},
		{"mastodon quote", func() []archive.Post { return mastodonPosts(t, ts.URL, "gobierno") }, archive.Quote,
			find(obras, "fallo-independencia"), "https://social.guadalajara.example/@obras_jorge/" + find(obras, "fallo-independencia").id, "obras_jorge@social.guadalajara.example",
			"Ya puedes consultar el informe trimestral de transparencia (julio-septiembre): atendimos 1,284 solicitudes de información en un promedio de 6.2 días hábiles.\n\nInforme completo: https://transparencia.guadalajara.example/informes/2026-t3 #Transparencia", 0},
		{"bluesky repost", func() []archive.Post { return blueskyPosts(t, ts.URL, pres.spec.Profile.Handle) }, archive.Repost,
			find(pc, "alerta-tormenta"), "https://bsky.app/profile/" + pc.spec.Profile.Handle + "/post/" + find(pc, "alerta-tormenta").id, pc.spec.Profile.Handle, "", -1},
		{"bluesky quote", func() []archive.Post { return blueskyPosts(t, ts.URL, pres.spec.Profile.Handle) }, archive.Quote,
			find(pc, "pirotecnia"), "https://bsky.app/profile/" + pc.spec.Profile.Handle + "/post/" + find(pc, "pirotecnia").id, pc.spec.Profile.Handle,
			"¡Viva México! Gracias a las más de 40 mil personas que nos acompañaron en la Plaza de Armas. Saldo blanco en la noche del Grito gracias a 1,100 servidoras y servidores públicos.", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sharedOf(tt.posts(), tt.kind)
			if p == nil {
				t.Fatalf("no %s in the listing", tt.kind)
			}
			sh := p.Shared
			if sh.Text != tt.of.text || sh.URL != tt.url || sh.Author != tt.author || sh.AuthorName != tt.of.acct.spec.Profile.Name || !sh.PublishedAt.Equal(tt.of.at) {
				t.Errorf("shared = %+v\nwant the text %q of %s (%s), at %s, by %s", sh, tt.of.text, tt.url, tt.of.acct.spec.Profile.Name, tt.of.at, tt.author)
			}
			if p.Text != tt.ownText {
				t.Errorf("own text %q, want %q", p.Text, tt.ownText)
			}
			if tt.wantMedia >= 0 && len(sh.Media) != tt.wantMedia {
				t.Errorf("%d shared media, want %d", len(sh.Media), tt.wantMedia)
			}
			if tt.kind == archive.Repost && (p.RepostOf != tt.url || len(tt.of.media) != len(sh.Media)) {
				t.Errorf("repost of %q with %d media, want %q with %d", p.RepostOf, len(sh.Media), tt.url, len(tt.of.media))
			}
		})
	}

	// Deleting a quoted post leaves its link in the quote, and no words.
	for _, d := range []struct{ acct, key string }{{"obras-director", "fallo-independencia"}, {"proteccion-civil", "pirotecnia"}} {
		if err := s.Delete(d.acct, d.key); err != nil {
			t.Fatal(err)
		}
	}
	for name, posts := range map[string][]archive.Post{
		"mastodon": mastodonPosts(t, ts.URL, "gobierno"),
		"bluesky":  blueskyPosts(t, ts.URL, pres.spec.Profile.Handle),
	} {
		p := sharedOf(posts, archive.Quote)
		if p == nil || p.Text == "" || p.Shared.URL == "" || p.Shared.Text != "" || p.Shared.Author != "" {
			t.Errorf("%s: quote of a deleted post = %+v; want its own text and the quoted link only", name, p)
		}
	}
}
