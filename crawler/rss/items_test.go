package rss_test

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/rss"
)

// Small feeds for the cases the captured fixtures do not hold.
func TestParseFeedItems(t *testing.T) {
	tests := []struct {
		name string
		feed string
		get  func(archive.Post) any
		want []any
	}{
		{
			name: "a guid shared by every item falls back to the link",
			feed: `<rss version="2.0"><channel><title>Avisos</title>` +
				`<item><title>Aviso 1</title><link>https://avisos.example.gob.mx/1</link><guid>https://avisos.example.gob.mx/</guid></item>` +
				`<item><title>Aviso 2</title><link>https://avisos.example.gob.mx/2</link><guid>https://avisos.example.gob.mx/</guid></item>` +
				`<item><title>Aviso 3</title><link>https://avisos.example.gob.mx/3</link><guid>aviso-3</guid></item>` +
				`</channel></rss>`,
			get:  func(p archive.Post) any { return p.PostID },
			want: []any{"https://avisos.example.gob.mx/1", "https://avisos.example.gob.mx/2", "aviso-3"},
		},
		{
			name: "a shared guid and a shared link fall back to the hash of the item",
			feed: `<rss version="2.0"><channel><title>Avisos</title>` +
				`<item><title>Uno</title><link>https://avisos.example.gob.mx/</link><guid>x</guid></item>` +
				`<item><title>Dos</title><link>https://avisos.example.gob.mx/</link><guid>x</guid></item>` +
				`</channel></rss>`,
			get:  func(p archive.Post) any { return p.PostID },
			want: []any{sha(`<item><title>Uno</title><link>https://avisos.example.gob.mx/</link><guid>x</guid></item>`), sha(`<item><title>Dos</title><link>https://avisos.example.gob.mx/</link><guid>x</guid></item>`)},
		},
		{
			name: "the title is left out only when the body starts with its words",
			feed: `<rss version="2.0"><channel><title>Avisos</title>` +
				`<item><title>Aviso</title><description>Aviso: cierre vial.</description></item>` +
				`<item><title>Aviso</title><description>Avisos de obra en el centro.</description></item>` +
				`<item><title>Sin cuerpo</title></item>` +
				`</channel></rss>`,
			get:  func(p archive.Post) any { return p.Text },
			want: []any{"Aviso: cierre vial.", "Aviso\n\nAvisos de obra en el centro.", "Sin cuerpo"},
		},
		{
			name: "a PHP warning after </rss> leaves the items and their bytes alone",
			feed: `<rss version="2.0"><channel><title>Avisos</title><item><guid>a-1</guid><title>Uno</title></item></channel></rss>` +
				"\n<br />\n<b>Warning</b>:  Cannot modify header information - headers already sent in <b>/var/www/feed.php</b> on line <b>12</b><br />\n",
			get:  func(p archive.Post) any { return []any{p.PostID, string(p.Raw)} },
			want: []any{[]any{"a-1", `<item><guid>a-1</guid><title>Uno</title></item>`}},
		},
		{
			name: "an Atom link without rel is the entry's URL; no published: updated",
			feed: `<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><author><name>Prensa</name></author>` +
				`<entry><id>tag:gdl,2026:1</id><title>Uno</title><link href="https://blog.example.gob.mx/1"/><updated>2026-01-02T10:00:00Z</updated></entry>` +
				`</feed>`,
			get: func(p archive.Post) any {
				return []any{p.URL, p.Author, p.PublishedAt.Format("2006-01-02T15:04Z"), p.EditedAt.IsZero(), p.Language}
			},
			want: []any{[]any{"https://blog.example.gob.mx/1", "Prensa", "2026-01-02T10:00Z", true, ""}},
		},
		{
			name: "a media:thumbnail alone is an image; media:group is read",
			feed: `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Fotos</title><language>es-mx</language>` +
				`<item><guid>1</guid><media:thumbnail url="https://fotos.example.gob.mx/1.jpg"/></item>` +
				`<item><guid>2</guid><media:thumbnail url="https://fotos.example.gob.mx/2-mini.jpg"/><media:group>` +
				`<media:content url="https://fotos.example.gob.mx/2.mp4" type="video/mp4"><media:description type="html">&lt;b&gt;Desfile&lt;/b&gt; cívico</media:description></media:content>` +
				`</media:group></item>` +
				`</channel></rss>`,
			get: func(p archive.Post) any { return []any{p.Language, p.Media} },
			want: []any{
				[]any{"es", []archive.Media{{Kind: "image", URL: "https://fotos.example.gob.mx/1.jpg", ID: "https://fotos.example.gob.mx/1.jpg"}}},
				[]any{"es", []archive.Media{{Kind: "video", URL: "https://fotos.example.gob.mx/2.mp4", ID: "https://fotos.example.gob.mx/2.mp4",
					MimeType: "video/mp4", PreviewURL: "https://fotos.example.gob.mx/2-mini.jpg", Alt: "Desfile cívico"}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			posts, err := rss.ParseFeed([]byte(tt.feed), "https://example.gob.mx/feed")
			if err != nil {
				t.Fatal(err)
			}
			var got []any
			for _, p := range posts {
				got = append(got, tt.get(p))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
