package rss

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigia-mx/vigia/archive"
)

// feedFixtures are the feeds of testdata/rss, every one small enough to
// fuzz whole.
var feedFixtures = []string{
	"guadalajara-boletines.xml", "transparencia-atom.xml", "mastodon-account.rss", "cabildo-rdf.xml",
	"proteccion-civil-latin1.xml", "malformed.xml", "not-a-feed.html",
}

// FuzzParse checks that every item Parse reads carries, when the scan
// located them, its own element's bytes: an <item> or <entry> of the input,
// whole.
func FuzzParse(f *testing.F) {
	for _, name := range feedFixtures {
		f.Add(fixtures.ReadFile(f, name))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in := bytes.Clone(body)
		feed, err := Parse(body)
		if !bytes.Equal(body, in) {
			t.Fatal("Parse modified its input")
		}
		if err != nil {
			if feed != nil {
				t.Fatalf("Parse returned a feed with error %v", err)
			}
			return
		}
		again, err := Parse(body)
		if err != nil || !reflect.DeepEqual(feed, again) {
			t.Fatalf("second parse differs: %v", err)
		}
		switch {
		case feed.Type == TypeRSS && feed.Info.FeedType == "rss", feed.Type == TypeAtom && feed.Info.FeedType == "atom":
		default:
			t.Fatalf("feed of type %q read as %q", feed.Type, feed.Info.FeedType)
		}
		if len(feed.Items) != len(feed.Info.Items) {
			t.Fatalf("%d items, gofeed read %d", len(feed.Items), len(feed.Info.Items))
		}
		for i, it := range feed.Items {
			if it.Item != feed.Info.Items[i] {
				t.Errorf("item %d is not gofeed's item %d", i, i)
			}
			if (it.Raw == nil) != (feed.RawErr != nil) {
				t.Errorf("item %d: Raw %.80q with RawErr %v", i, it.Raw, feed.RawErr)
			}
			if it.Raw != nil && !isElement(it.Raw, body) {
				t.Errorf("item %d: Raw %q is not an item element of the input", i, it.Raw)
			}
		}
	})
}

// isElement reports whether raw, a part of body, is a whole <item> or
// <entry> element, whatever its prefix and case.
func isElement(raw, body []byte) bool {
	if !bytes.Contains(body, raw) || !bytes.HasPrefix(raw, []byte("<")) || !bytes.HasSuffix(raw, []byte(">")) {
		return false
	}
	name := raw[1:]
	if end := bytes.IndexAny(name, " \t\r\n/>"); end >= 0 {
		name = name[:end]
	}
	if colon := bytes.LastIndexByte(name, ':'); colon >= 0 {
		name = name[colon+1:]
	}
	return bytes.EqualFold(name, []byte("item")) || bytes.EqualFold(name, []byte("entry"))
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
		if feed, err := Parse(body); err != nil || len(feed.Items) != len(posts) {
			t.Fatalf("%d posts from a feed Parse reads as %v", len(posts), err)
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
	case "", TypeRSS, TypeAtom:
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
