package rss

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/feed"
)

// feedFixtures are the feeds of testdata/rss, every one small enough to
// fuzz whole (the feed package fuzzes Parse with the same).
var feedFixtures = []string{
	"guadalajara-boletines.xml", "transparencia-atom.xml", "mastodon-account.rss", "cabildo-rdf.xml",
	"proteccion-civil-latin1.xml", "malformed.xml", "not-a-feed.html",
}

// FuzzParseFeed checks the posts of a feed: one per item, with a
// trimmed id, times in UTC, and files listed once.
func FuzzParseFeed(f *testing.F) {
	for _, name := range feedFixtures {
		f.Add(fixtures.ReadFile(f, name))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		const feedURL = "https://example.gob.mx/feed"
		posts, err := ParseFeed(body, feedURL)
		if err != nil {
			if posts != nil {
				t.Fatalf("ParseFeed returned %d posts with error %v", len(posts), err)
			}
			if !strings.HasPrefix(err.Error(), "parse feed "+feedURL+": ") {
				t.Errorf("error %q does not name the feed", err)
			}
			return
		}
		again, err := ParseFeed(body, feedURL)
		if err != nil || !reflect.DeepEqual(posts, again) {
			t.Fatalf("second parse differs: %v", err)
		}
		if fd, err := feed.Parse(body); err != nil || len(fd.Items) != len(posts) {
			t.Fatalf("%d posts from a feed feed.Parse reads as %v", len(posts), err)
		}
		validUTF8 := utf8.Valid(body)
		for i, p := range posts {
			checkFeedPost(t, i, p, validUTF8)
		}
	})
}

// checkFeedPost checks what holds of every post ParseFeed returns.
func checkFeedPost(t *testing.T, i int, p archive.Post, validUTF8 bool) {
	t.Helper()
	if p.Network != archive.RSS || p.PostID == "" || p.PostID != strings.TrimSpace(p.PostID) {
		t.Errorf("post %d: network %q, id %q", i, p.Network, p.PostID)
	}
	switch p.RawType {
	case "", feed.TypeRSS, feed.TypeAtom:
	default:
		t.Errorf("post %d: raw type %q", i, p.RawType)
	}
	if (p.Raw == nil) != (p.RawType == "") {
		t.Errorf("post %d: Raw %.80q with raw type %q", i, p.Raw, p.RawType)
	}
	if p.Text != strings.TrimSpace(p.Text) {
		t.Errorf("post %d: text %q is not trimmed", i, p.Text)
	}
	if validUTF8 {
		for _, s := range []string{p.PostID, p.URL, p.Author, p.Text} {
			if !utf8.ValidString(s) {
				t.Errorf("post %d: %q is not valid UTF-8", i, s)
			}
		}
	}
	if l := p.Language; l != "" && (len(l) != 2 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") != "") {
		t.Errorf("post %d: language %q", i, l)
	}
	if p.PublishedAt.Location() != time.UTC || p.EditedAt.Location() != time.UTC {
		t.Errorf("post %d: published %v, edited %v: want times in UTC", i, p.PublishedAt, p.EditedAt)
	}
	if !p.EditedAt.IsZero() && !p.EditedAt.After(p.PublishedAt) {
		t.Errorf("post %d: edited %v, not after its publication %v", i, p.EditedAt, p.PublishedAt)
	}
	seen := map[string]bool{}
	for _, m := range p.Media {
		switch m.Kind {
		case "image", "video", "audio", "document":
		default:
			t.Errorf("post %d: media kind %q", i, m.Kind)
		}
		if m.URL == "" || m.URL != strings.TrimSpace(m.URL) || m.ID != m.URL || seen[m.URL] {
			t.Errorf("post %d: media URL %q, id %q: want trimmed URLs listed once", i, m.URL, m.ID)
		}
		seen[m.URL] = true
	}
}
