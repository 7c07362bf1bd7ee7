package feed

import (
	"bytes"
	"reflect"
	"testing"
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
