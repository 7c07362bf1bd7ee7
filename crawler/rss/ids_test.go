package rss

import (
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/feed"
)

func TestUniqueIDsLeaveNoRepeats(t *testing.T) {
	items := []feed.Item{
		{Item: &gofeed.Item{GUID: "x", Link: "L"}},
		{Item: &gofeed.Item{GUID: "x", Link: "M"}},
		{Item: &gofeed.Item{GUID: "L", Link: "N"}},
		{Item: &gofeed.Item{GUID: "y", Title: "igual"}, Raw: []byte("<item>igual</item>")},
		{Item: &gofeed.Item{GUID: "y", Title: "igual"}, Raw: []byte("<item>igual</item>")},
	}
	posts := make([]archive.Post, len(items))
	for i, it := range items {
		posts[i].PostID = it.GUID
	}
	uniqueIDs(posts, items)
	seen := map[string]bool{}
	for _, p := range posts {
		if seen[p.PostID] {
			t.Errorf("id %q repeats: %v", p.PostID, posts)
		}
		seen[p.PostID] = true
	}
	if posts[1].PostID != "M" || posts[2].PostID != "L" {
		t.Errorf("ids = %q, %q; want the unique link M, and L kept by the item whose guid it is", posts[1].PostID, posts[2].PostID)
	}
}
