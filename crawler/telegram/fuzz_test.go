package telegram

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigia-mx/vigia/archive"
)

// FuzzParsePage checks a page's posts: unique message numbers,
// newest first, times in UTC, each with its own HTML as Raw.
func FuzzParsePage(f *testing.F) {
	page := fixtures.ReadFile(f, "avisos_gdl.html")
	// The fixture's messages one at a time, inside the channel's history,
	// keep the inputs small.
	const wrap = `<div class="tgme_widget_message_wrap`
	_, messages, _ := bytes.Cut(page, []byte(wrap))
	for _, msg := range bytes.Split(messages, []byte(wrap)) {
		f.Add([]byte(`<section class="tgme_channel_history">` + wrap + string(msg) + `</section>`))
	}
	f.Add(fixtures.ReadFile(f, "avisos_gdl_formas.html"))
	f.Add(fixtures.ReadFile(f, "not_channel.html"))
	f.Add([]byte(`<div class="tgme_channel_info"></div><a class="tme_messages_more" data-before="9"></a>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		in := bytes.Clone(body)
		posts, before, err := ParsePage(body, DefaultBase)
		if !bytes.Equal(body, in) {
			t.Fatal("ParsePage modified its input")
		}
		if err != nil {
			if posts != nil || before != "" {
				t.Fatalf("ParsePage returned %d posts and before %q with error %v", len(posts), before, err)
			}
			return
		}
		posts2, before2, err := ParsePage(body, DefaultBase)
		if err != nil || before2 != before || !reflect.DeepEqual(posts, posts2) {
			t.Fatalf("second parse differs: %v", err)
		}
		if before != "" && !isNumber(before) {
			t.Errorf("before = %q, not a message number", before)
		}
		validUTF8 := utf8.Valid(body)
		seen := map[string]bool{}
		for i, p := range posts {
			if !isNumber(p.PostID) {
				t.Errorf("post %d: id %q is not a message number", i, p.PostID)
			}
			if seen[p.PostID] || i > 0 && number(p.PostID) > number(posts[i-1].PostID) {
				t.Errorf("post %d: id %s after %s, want unique ids newest first", i, p.PostID, posts[i-1].PostID)
			}
			seen[p.PostID] = true
			if p.URL == "" || p.Author == "" {
				t.Errorf("post %d: URL %q, author %q", i, p.URL, p.Author)
			}
			if p.PublishedAt.Location() != time.UTC {
				t.Errorf("post %d: published at %v, want a time in UTC", i, p.PublishedAt)
			}
			if p.RawType != "text/html" || !bytes.HasPrefix(p.Raw, []byte("<")) || !bytes.HasSuffix(p.Raw, []byte(">")) {
				t.Errorf("post %d: Raw %.80q of type %q is not a message element", i, p.Raw, p.RawType)
			}
			if p.Text != strings.TrimSpace(p.Text) || validUTF8 && !utf8.ValidString(p.Text) {
				t.Errorf("post %d: text %q is not trimmed valid UTF-8", i, p.Text)
			}
			// a forward names its origin; its text is the post's own Text
			if forward := p.Shared != nil; forward != (p.RepostOf != "") ||
				forward && (p.Shared.Kind != archive.Forward || p.Shared.Text != "" || p.Shared.AuthorName == "" && p.Shared.URL == "") {
				t.Errorf("post %d: repost of %q, shared %+v", i, p.RepostOf, p.Shared)
			}
			if e, changed := (&Adapter{}).Earlier(&p); changed == (e.ContentHash() == p.ContentHash()) {
				t.Errorf("post %d: earlier form changed %v, hash %s, now %s", i, changed, e.ContentHash(), p.ContentHash())
			}
			ids := map[string]bool{}
			for _, m := range p.Media {
				switch m.Kind {
				case "image", "video", "document":
				case "link": // a link card: the link itself, not a signed file
					if m.ID != "" {
						t.Errorf("post %d: link card with id %q", i, m.ID)
					}
					continue
				default:
					t.Errorf("post %d: media kind %q", i, m.Kind)
				}
				if !strings.HasPrefix(m.ID, p.URL+"#") || ids[m.ID] {
					t.Errorf("post %d: media id %q is not unique in the post", i, m.ID)
				}
				ids[m.ID] = true
			}
			for k, v := range p.Metrics {
				if k != "views" || v < 0 {
					t.Errorf("post %d: metric %q = %d", i, k, v)
				}
			}
		}
	})
}
