package rss

import (
	"strings"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/htmltext"
)

// itemMedia lists the files an item carries: its enclosures (Atom links
// rel="enclosure" included) and its Media RSS media:content, alone or in a
// media:group. A file listed twice, as Mastodon does with an audio
// attachment, is kept once. Thumbnails at the item level preview every
// media:content without one (as Media RSS defines them); with no
// media:content they are images of their own. A file's ID is its URL.
func itemMedia(it *gofeed.Item) []archive.Media {
	var out []archive.Media
	seen := map[string]int{}
	add := func(m archive.Media) {
		m.URL = strings.TrimSpace(m.URL)
		if m.URL == "" {
			return
		}
		m.ID = m.URL
		if i, ok := seen[m.URL]; ok {
			if out[i].Alt == "" {
				out[i].Alt = m.Alt
			}
			if out[i].PreviewURL == "" {
				out[i].PreviewURL = m.PreviewURL
			}
			return
		}
		seen[m.URL] = len(out)
		out = append(out, m)
	}
	for _, e := range it.Enclosures {
		if e != nil {
			add(archive.Media{Kind: mediaKind("", e.Type), URL: e.URL, MimeType: e.Type})
		}
	}

	media := it.Extensions["media"]
	contents, thumbs := media["content"], media["thumbnail"]
	for _, g := range media["group"] {
		contents = append(contents, g.Children["content"]...)
		thumbs = append(thumbs, g.Children["thumbnail"]...)
	}
	preview := ""
	if len(thumbs) > 0 {
		preview = strings.TrimSpace(thumbs[0].Attrs["url"])
	}
	for _, c := range contents {
		m := archive.Media{
			Kind:       mediaKind(c.Attrs["medium"], c.Attrs["type"]),
			URL:        c.Attrs["url"],
			MimeType:   c.Attrs["type"],
			Alt:        mediaText(first(c.Children["description"])),
			PreviewURL: strings.TrimSpace(first(c.Children["thumbnail"]).Attrs["url"]),
		}
		if m.PreviewURL == "" {
			m.PreviewURL = preview
		}
		add(m)
	}
	if len(contents) == 0 {
		for _, t := range thumbs {
			add(archive.Media{Kind: "image", URL: t.Attrs["url"]})
		}
	}
	return out
}

// mediaKind is an archive media kind from a Media RSS medium or, failing
// that, a MIME type.
func mediaKind(medium, mimeType string) string {
	switch medium = strings.ToLower(strings.TrimSpace(medium)); medium {
	case "image", "video", "audio", "document":
		return medium
	}
	major, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(mimeType)), "/")
	switch major {
	case "image", "video", "audio":
		return major
	}
	return "document"
}

// mediaText is the plain text of a Media RSS text element, whose type
// attribute says whether it holds HTML.
func mediaText(e ext.Extension) string {
	if strings.EqualFold(e.Attrs["type"], "html") {
		return htmltext.Plain(e.Value)
	}
	return strings.TrimSpace(e.Value)
}

func first(es []ext.Extension) ext.Extension {
	if len(es) == 0 {
		return ext.Extension{}
	}
	return es[0]
}
