package bluesky

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vigia-mx/vigia/archive"
)

// FuzzParseAuthorFeed checks a page's posts against the page: one
// post per feed item, each with the item's bytes as Raw and a bsky.app link
// ending in its record key.
func FuzzParseAuthorFeed(f *testing.F) {
	src := items(f)
	for _, item := range src[:min(len(src), 8)] {
		f.Add([]byte(`{"feed":[` + string(item) + `],"cursor":"2025-03-10T10:43:01.212Z"}`))
	}
	for _, name := range []string{"author-feed-end.http", "profile-not-found.http", "author-feed-forms.http"} {
		_, body := fixtures.ReadResponse(f, name)
		f.Add(body)
	}
	_, truncated := fixtures.ReadResponse(f, "author-feed-truncated.http")
	f.Add(truncated)
	f.Add([]byte(oddities))
	f.Fuzz(func(t *testing.T, body []byte) {
		in := bytes.Clone(body)
		posts, cursor, err := ParseAuthorFeed(body)
		if !bytes.Equal(body, in) {
			t.Fatal("ParseAuthorFeed modified its input")
		}
		if err != nil {
			if posts != nil || cursor != "" {
				t.Fatalf("ParseAuthorFeed returned %d posts and cursor %q with error %v", len(posts), cursor, err)
			}
			return
		}
		posts2, cursor2, err := ParseAuthorFeed(body)
		if err != nil || cursor2 != cursor || !reflect.DeepEqual(posts, posts2) {
			t.Fatalf("second parse differs: %v", err)
		}
		if !utf8.ValidString(cursor) {
			t.Errorf("cursor %q is not valid UTF-8", cursor)
		}
		var page struct{ Feed []json.RawMessage }
		if err := json.Unmarshal(body, &page); err != nil || len(page.Feed) != len(posts) {
			t.Errorf("%d posts from a feed of %d items (%v)", len(posts), len(page.Feed), err)
		}
		for i, p := range posts {
			checkFeedPost(t, i, p, body)
		}
	})
}

// checkFeedPost checks what holds of every post ParseAuthorFeed returns.
func checkFeedPost(t *testing.T, i int, p archive.Post, body []byte) {
	t.Helper()
	if p.PostID == "" || strings.Contains(p.PostID, "/") {
		t.Errorf("post %d: id %q is not a record key", i, p.PostID)
	}
	if p.RawType != "application/json" || !json.Valid(p.Raw) || !bytes.Contains(body, p.Raw) {
		t.Errorf("post %d: Raw %.80q of type %q is not a JSON value of the input", i, p.Raw, p.RawType)
	}
	rest, ok := strings.CutPrefix(p.URL, "https://bsky.app/profile/")
	if _, rkey, found := strings.Cut(rest, "/post/"); !ok || !found || rkey == "" || strings.Contains(rkey, "/") {
		t.Errorf("post %d: URL %q is not a bsky.app post link", i, p.URL)
	}
	for _, s := range []string{p.PostID, p.URL, p.Author, p.Text, p.Language, p.ReplyTo, p.RepostOf} {
		if !utf8.ValidString(s) {
			t.Errorf("post %d: %q is not valid UTF-8", i, s)
		}
	}
	if p.RepostOf != "" && (p.RepostOf != p.URL || p.Text != "" || p.Media != nil) {
		t.Errorf("post %d: repost of %q at %q with text %q and %d media", i, p.RepostOf, p.URL, p.Text, len(p.Media))
	}
	checkMedia(t, i, p.Media)
	if sh := p.Shared; sh != nil {
		switch {
		case sh.Kind == archive.Repost && (p.RepostOf == "" || sh.URL != p.RepostOf):
			t.Errorf("post %d: a repost of %q that carries %q", i, p.RepostOf, sh.URL)
		case sh.Kind == archive.Quote && p.RepostOf != "":
			t.Errorf("post %d: a quote that is also a repost of %q", i, p.RepostOf)
		case sh.Kind != archive.Repost && sh.Kind != archive.Quote:
			t.Errorf("post %d: shared kind %q", i, sh.Kind)
		}
		for _, s := range []string{sh.URL, sh.Author, sh.AuthorName, sh.Text} {
			if !utf8.ValidString(s) {
				t.Errorf("post %d: shared %q is not valid UTF-8", i, s)
			}
		}
		if sh.URL == "" {
			t.Errorf("post %d: a shared post without its link", i)
		}
		checkMedia(t, i, sh.Media)
	} else if p.RepostOf != "" {
		t.Errorf("post %d: a repost of %q without the reposted post", i, p.RepostOf)
	}
	for k := range p.Metrics {
		switch k {
		case "replies", "reposts", "likes", "quotes":
		default:
			t.Errorf("post %d: metric %q", i, k)
		}
	}
}

func checkMedia(t *testing.T, i int, media []archive.Media) {
	t.Helper()
	for _, m := range media {
		switch m.Kind {
		case "image", "video", "link":
		default:
			t.Errorf("post %d: media kind %q", i, m.Kind)
		}
	}
}
