package rss

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/crawler/feed"
)

const fixtures crawlertest.Dir = "../../testdata/rss/"

// TestToPostWithoutRaw: items whose raw bytes could not be located (the
// feed's RawErr set) are kept: no raw type, and an item with neither guid
// nor link is named by what gofeed read.
func TestToPostWithoutRaw(t *testing.T) {
	f := &feed.Feed{Info: &gofeed.Feed{Title: "Avisos"}, Type: feed.TypeRSS, Items: []feed.Item{
		{Item: &gofeed.Item{Title: "Aviso uno", Description: "Primer aviso"}},
		{Item: &gofeed.Item{Title: "Aviso dos", Description: "Segundo aviso"}},
	}, RawErr: errors.New("locate raw items: found 1, the feed parser read 2")}
	p0, p1 := toPost(f, f.Items[0]), toPost(f, f.Items[1])
	if p0.Raw != nil || p0.RawType != "" {
		t.Errorf("raw %q, raw type %q; want none", p0.Raw, p0.RawType)
	}
	if len(p0.PostID) != 64 || p0.PostID == p1.PostID || p0.PostID != toPost(f, f.Items[0]).PostID {
		t.Errorf("post ids %q and %q: want distinct, stable SHA-256 hex", p0.PostID, p1.PostID)
	}
}

// benchPage is a feed page of the size government sites serve: the items of
// the WordPress fixture repeated to 30.
func benchPage(b *testing.B) []byte {
	body := fixtures.ReadFile(b, "guadalajara-boletines.xml")
	f, err := feed.Parse(body)
	if err != nil {
		b.Fatal(err)
	}
	if f.RawErr != nil {
		b.Fatal(f.RawErr)
	}
	first, last := f.Items[0].Raw, f.Items[len(f.Items)-1].Raw
	start := bytes.Index(body, first)
	end := bytes.Index(body, last) + len(last)
	page := bytes.Clone(body[:start])
	for range 5 {
		page = append(page, body[start:end]...)
	}
	return append(page, body[end:]...)
}

func BenchmarkParseFeed(b *testing.B) {
	page := benchPage(b)
	posts, err := ParseFeed(page, "https://guadalajara.gob.mx/feed/")
	if err != nil || len(posts) != 30 || posts[29].Raw == nil {
		b.Fatalf("bench page: %d posts, %v", len(posts), err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		posts, _ := ParseFeed(page, "https://guadalajara.gob.mx/feed/")
		n += len(posts)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
}
