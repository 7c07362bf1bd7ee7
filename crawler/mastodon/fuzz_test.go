package mastodon

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vigia-mx/vigia/archive"
)

// FuzzParseAccountID checks that a lookup response gives an id or an
// error, never both nor neither, and the same answer twice.
func FuzzParseAccountID(f *testing.F) {
	for _, name := range []string{"lookup.http", "lookup-not-found.http", "lookup-login-required.http"} {
		_, body := fixtures.ReadResponse(f, name)
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in := bytes.Clone(body)
		id, err := ParseAccountID(body)
		if !bytes.Equal(body, in) {
			t.Fatal("ParseAccountID modified its input")
		}
		if (err == nil) == (id == "") {
			t.Fatalf("ParseAccountID = %q, %v: want an id or an error", id, err)
		}
		if !utf8.ValidString(id) {
			t.Errorf("id %q is not valid UTF-8", id)
		}
		if id2, err2 := ParseAccountID(body); id2 != id || (err2 == nil) != (err == nil) {
			t.Errorf("second parse = %q, %v; first = %q, %v", id2, err2, id, err)
		}
	})
}

// FuzzParseStatuses checks a page's posts against the page: one
// post per status, in order, each with its own bytes as Raw.
func FuzzParseStatuses(f *testing.F) {
	for _, name := range []string{"statuses-page1.http", "statuses-page2.http", "statuses-forms.http"} {
		_, body := fixtures.ReadResponse(f, name)
		var raws []json.RawMessage
		if err := json.Unmarshal(body, &raws); err != nil {
			f.Fatal(err)
		}
		// One status at a time, and one pair, keep the inputs small.
		for _, raw := range raws[:min(len(raws), 6)] {
			f.Add(append(append([]byte("["), raw...), ']'))
		}
		if len(raws) >= 2 {
			f.Add([]byte("[" + string(raws[0]) + ",\n " + string(raws[1]) + "]"))
		}
	}
	_, truncated := fixtures.ReadResponse(f, "statuses-truncated.http")
	f.Add(truncated[:min(len(truncated), 2048)])
	f.Add([]byte(olderServer))
	f.Fuzz(func(t *testing.T, body []byte) {
		in := bytes.Clone(body)
		posts, err := ParseStatuses(body, domain)
		if !bytes.Equal(body, in) {
			t.Fatal("ParseStatuses modified its input")
		}
		if err != nil {
			if posts != nil {
				t.Fatalf("ParseStatuses returned %d posts with error %v", len(posts), err)
			}
			return
		}
		again, err := ParseStatuses(body, domain)
		if err != nil || !reflect.DeepEqual(posts, again) {
			t.Fatalf("second parse differs: %v", err)
		}
		var page []json.RawMessage
		if json.Unmarshal(body, &page) == nil && len(page) != len(posts) {
			t.Errorf("%d posts from a page of %d statuses", len(posts), len(page))
		}
		next := 0 // each Raw lies after the previous one
		for i, p := range posts {
			checkStatusPost(t, i, p)
			at := bytes.Index(body[next:], p.Raw)
			if at < 0 {
				t.Errorf("post %d: Raw %.80q is not the input after post %d", i, p.Raw, i-1)
				continue
			}
			next += at + len(p.Raw)
		}
	})
}

// checkStatusPost checks what holds of every post ParseStatuses returns.
func checkStatusPost(t *testing.T, i int, p archive.Post) {
	t.Helper()
	if p.PostID == "" {
		t.Errorf("post %d has no id", i)
	}
	if p.RawType != "application/json" || !json.Valid(p.Raw) || !bytes.HasPrefix(p.Raw, []byte("{")) || !bytes.HasSuffix(p.Raw, []byte("}")) {
		t.Errorf("post %d: Raw %.80q of type %q is not a JSON object", i, p.Raw, p.RawType)
	}
	for _, s := range []string{p.PostID, p.URL, p.Author, p.Text, p.Language, p.ReplyTo, p.RepostOf} {
		if !utf8.ValidString(s) {
			t.Errorf("post %d: %q is not valid UTF-8", i, s)
		}
	}
	if p.Text != strings.TrimSpace(p.Text) {
		t.Errorf("post %d: text %q is not trimmed", i, p.Text)
	}
	if p.Author != "" && !strings.Contains(p.Author, "@") {
		t.Errorf("post %d: author %q has no instance", i, p.Author)
	}
	if p.ReplyTo != "" && !strings.HasPrefix(p.ReplyTo, "https://"+domain+"/api/v1/statuses/") {
		t.Errorf("post %d: ReplyTo %q is not a status of %s", i, p.ReplyTo, domain)
	}
	if p.RepostOf != "" && (p.Text != "" || p.Media != nil) {
		t.Errorf("post %d: a repost of %q with text %q and %d media", i, p.RepostOf, p.Text, len(p.Media))
	}
	if !p.Edited && !p.EditedAt.IsZero() {
		t.Errorf("post %d: edited at %v but not marked edited", i, p.EditedAt)
	}
	checkMedia(t, i, p.Media)
	if sh := p.Shared; sh != nil {
		switch {
		case sh.Kind == archive.Repost && sh.URL != p.RepostOf:
			t.Errorf("post %d: a repost of %q that carries %q", i, p.RepostOf, sh.URL)
		case sh.Kind == archive.Quote && p.RepostOf != "":
			t.Errorf("post %d: a quote that is also a repost of %q", i, p.RepostOf)
		case sh.Kind != archive.Repost && sh.Kind != archive.Quote:
			t.Errorf("post %d: shared kind %q", i, sh.Kind)
		}
		if sh.Text != strings.TrimSpace(sh.Text) || !utf8.ValidString(sh.Text) {
			t.Errorf("post %d: shared text %q is not trimmed UTF-8", i, sh.Text)
		}
		if sh.Author != "" && !strings.Contains(sh.Author, "@") {
			t.Errorf("post %d: shared author %q has no instance", i, sh.Author)
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
		case "image", "gifv", "video", "audio", "document":
		case "link":
			if m.URL == "" {
				t.Errorf("post %d: a link card without its link", i)
			}
		default:
			t.Errorf("post %d: media kind %q", i, m.Kind)
		}
	}
}
