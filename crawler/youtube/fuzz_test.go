package youtube_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/feed"
	"github.com/vigia-mx/vigia/crawler/youtube"
)

// FuzzParse checks a channel feed's posts: one per entry, each
// with a video id that needs no escaping in the watch URL it ends with, and
// counters that are never negative.
func FuzzParse(f *testing.F) {
	body := fixtures.ReadFile(f, feedFile)
	f.Add(body)
	f.Add(fixtures.ReadFile(f, "truncated.xml"))
	// The fixture's entries one at a time keep the inputs small.
	head, entries, _ := bytes.Cut(body, []byte("<entry>"))
	for _, entry := range bytes.Split(entries, []byte("<entry>"))[:3] {
		entry, _, _ = bytes.Cut(entry, []byte("</entry>"))
		f.Add([]byte(string(head) + "<entry>" + string(entry) + "</entry></feed>"))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		const feedURL = "https://www.youtube.com/feeds/videos.xml?channel_id=" + channel
		in := bytes.Clone(body)
		ch, err := youtube.Parse(body, feedURL)
		if !bytes.Equal(body, in) {
			t.Fatal("Parse modified its input")
		}
		if err != nil {
			if ch != nil {
				t.Fatalf("Parse returned a feed with error %v", err)
			}
			return
		}
		again, err := youtube.Parse(body, feedURL)
		if err != nil || !reflect.DeepEqual(ch, again) {
			t.Fatalf("second parse differs: %v", err)
		}
		if f, err := feed.Parse(body); err != nil || len(f.Items) != len(ch.Posts) {
			t.Fatalf("%d posts from a feed feed.Parse reads as %v", len(ch.Posts), err)
		}
		if ch.ChannelID != strings.TrimSpace(ch.ChannelID) || ch.Title != strings.TrimSpace(ch.Title) {
			t.Errorf("channel %q, title %q: not trimmed", ch.ChannelID, ch.Title)
		}
		for i, p := range ch.Posts {
			checkVideoPost(t, i, p, body)
		}
	})
}

// checkVideoPost checks what holds of every post Parse returns.
func checkVideoPost(t *testing.T, i int, p archive.Post, body []byte) {
	t.Helper()
	if p.Network != archive.YouTube || p.PostID == "" || strings.ContainsAny(p.PostID, ":/?&# ") || p.URL == "" {
		t.Errorf("post %d: network %q, id %q, URL %q", i, p.Network, p.PostID, p.URL)
	}
	if (p.Raw == nil) != (p.RawType == "") || p.Raw != nil && (p.RawType != feed.TypeAtom || !bytes.Contains(body, p.Raw)) {
		t.Errorf("post %d: Raw %.80q of type %q is not an entry of the input", i, p.Raw, p.RawType)
	}
	if p.PublishedAt.Location() != time.UTC || !p.EditedAt.IsZero() {
		t.Errorf("post %d: published %v, edited %v: want a time in UTC and no edit time", i, p.PublishedAt, p.EditedAt)
	}
	watch := "https://www.youtube.com/watch?v=" + p.PostID
	if n := len(p.Media); n == 0 || n > 2 || p.Media[n-1].Kind != "video" || p.Media[n-1].URL != watch || p.Media[n-1].ID != watch ||
		n == 2 && (p.Media[0].Kind != "image" || p.Media[0].URL == "" || p.Media[0].URL != p.Media[1].PreviewURL) {
		t.Errorf("post %d: media %+v, want a thumbnail and the video %s", i, p.Media, watch)
	}
	if p.Metrics != nil && len(p.Metrics) == 0 {
		t.Errorf("post %d: empty metrics are not nil", i)
	}
	for k, v := range p.Metrics {
		if k != "views" && k != "likes" || v < 0 {
			t.Errorf("post %d: metric %q = %d", i, k, v)
		}
	}
}
