package render

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/vigia-mx/vigia/archive"
)

var mexico = func() *time.Location {
	loc, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		panic(err)
	}
	return loc
}()

// base is a captured version as the archive returns it.
func base() archive.Post {
	return archive.Post{
		Network: archive.Mastodon, AccountID: "sep", PostID: "113000000000000001",
		URL: "https://mx.example/@sep/113000000000000001", Author: "@sep@mx.example",
		PublishedAt:   time.Date(2026, 11, 27, 16, 5, 0, 0, time.UTC),
		CapturedAt:    time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC),
		Text:          "Hoy inicia la campaña de vacunación. Sedes: https://sep.example/sedes.",
		Language:      "es",
		SourceURL:     "https://mx.example/api/v1/accounts/1/statuses?limit=40",
		ContentSHA256: strings.Repeat("ab", 32), Version: 2, CrawlerVersion: "vigia/1.4.0",
		WARC:    archive.WARCRef{File: "vigia-20261127.warc.gz", RecordID: "<urn:uuid:1>", Offset: 1234},
		Metrics: archive.Metrics{"replies": 3, "likes": 1},
	}
}

func image(url string, kept bool) archive.Media {
	m := archive.Media{Kind: "image", URL: url, Alt: "Mapa de sedes", ID: "9"}
	if kept {
		m.WARCFile, m.WARCRecordID, m.WARCOffset = "vigia-20261127.warc.gz", "<urn:uuid:img>", 999
	}
	return m
}

// page renders p as a standalone page, checks it is safe, and returns it
// with its visible text.
func page(t *testing.T, p archive.Post, o Options) (string, string) {
	t.Helper()
	if o.Location == nil {
		o.Location = mexico
	}
	out, err := Page(&p, o)
	if err != nil {
		t.Fatal(err)
	}
	checkSafe(t, out, true)
	f, err := Fragment(&p, o)
	if err != nil {
		t.Fatal(err)
	}
	checkSafe(t, []byte(f), false)
	return string(out), visible(t, out)
}

func TestForms(t *testing.T) {
	cases := []struct {
		name  string
		post  func(*archive.Post)
		opt   Options
		want  []string // in the visible text
		wantH []string // in the HTML
		not   []string // nowhere in the HTML
	}{
		{
			name: "plain",
			post: func(*archive.Post) {},
			want: []string{"@sep@mx.example", "Mastodon", "27 de noviembre de 2026, 10:05 CST",
				"Hoy inicia la campaña de vacunación. Sedes: https://sep.example/sedes.",
				"Capturado por vigia/1.4.0 el 27 de noviembre de 2026, 11:00 CST desde https://mx.example/api/v1/accounts/1/statuses?limit=40; versión 2; huella SHA-256 " + strings.Repeat("ab", 32),
				"3 respuestas · 1 me gusta"},
			wantH: []string{`<a href="https://sep.example/sedes" rel="nofollow noopener noreferrer"><bdi>https://sep.example/sedes</bdi></a>.`,
				`<time datetime="2026-11-27T10:05:00-06:00">`, `lang="es"`},
		},
		{
			name:  "reply",
			post:  func(p *archive.Post) { p.ReplyTo = "https://mx.example/@otra/1" },
			want:  []string{"En respuesta a https://mx.example/@otra/1"},
			wantH: []string{`href="https://mx.example/@otra/1"`},
		},
		{
			name: "repost",
			post: func(p *archive.Post) {
				p.Text = ""
				p.RepostOf = "https://otra.example/@salud/5"
				p.Shared = &archive.Shared{Kind: archive.Repost, URL: "https://otra.example/@salud/5", Author: "@salud@otra.example",
					AuthorName: "Secretaría de Salud", PublishedAt: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC),
					Text: "Aviso de salud: vacúnate.", Media: []archive.Media{image("https://otra.example/m/1.png", true)}}
			},
			opt:   Options{Images: OriginalURLs},
			want:  []string{"Palabras de otra cuenta Compartió una publicación de otra cuenta", "Secretaría de Salud @salud@otra.example", "26 de noviembre de 2026, 06:00 CST", "Aviso de salud: vacúnate."},
			wantH: []string{`<blockquote class="vc-shared" cite="https://otra.example/@salud/5">`, `<img src="https://otra.example/m/1.png" alt="Mapa de sedes"`},
			not:   []string{"Compartió <"},
		},
		{
			name: "quote",
			post: func(p *archive.Post) {
				p.Text = "Lo que dijo la Secretaría:"
				p.Shared = &archive.Shared{Kind: archive.Quote, URL: "at://did:plc:x/app.bsky.feed.post/3k", Author: "salud.gob.example", Text: "Cita textual."}
			},
			want: []string{"Lo que dijo la Secretaría:", "Cita una publicación de otra cuenta", "salud.gob.example", "at://did:plc:x/app.bsky.feed.post/3k", "Cita textual."},
			not:  []string{`href="at:`},
		},
		{
			name: "forward",
			post: func(p *archive.Post) {
				p.Network = archive.Telegram
				p.Text = "Mensaje reenviado con https://t.me/origen/7"
				p.Shared = &archive.Shared{Kind: archive.Forward, URL: "https://t.me/origen/7", AuthorName: "Canal de origen"}
				p.Media = []archive.Media{image("https://cdn.example/f.jpg", true)}
			},
			opt:   Options{Images: ImagePaths, ImageSrc: func(i Image) string { return "medios/" + map[bool]string{true: "s", false: "p"}[i.Shared] + "0.jpg" }},
			want:  []string{"Telegram", "Reenvió un mensaje de otro origen", "Canal de origen", "Mensaje reenviado con https://t.me/origen/7"},
			wantH: []string{`<img src="medios/p0.jpg"`},
		},
		{
			name: "images not kept or not shown",
			post: func(p *archive.Post) {
				p.Media = []archive.Media{image("https://cdn.example/a.jpg", false), image("https://cdn.example/b.jpg", true),
					{Kind: "video", URL: "https://cdn.example/v.mp4", Note: "video referenced, not fetched"}}
			},
			want: []string{"Imagen: Mapa de sedes (vigia no conservó una copia)", "Imagen: Mapa de sedes (copia conservada en la evidencia WARC; no se muestra aquí)",
				"Video original: https://cdn.example/v.mp4"},
			not: []string{"<img"},
		},
		{
			name: "link card",
			post: func(p *archive.Post) {
				p.Network = archive.Bluesky
				p.Media = []archive.Media{{Kind: "link", URL: "https://gob.example/boletin/12", Alt: "Boletín 12: calendario", PreviewURL: "https://cdn.example/thumb.jpg"}}
			},
			opt:   Options{Images: OriginalURLs},
			want:  []string{"Boletín 12: calendario", "gob.example", "https://gob.example/boletin/12"},
			wantH: []string{`<div class="vc-card">`},
			not:   []string{"thumb.jpg"}, // not kept: never loaded from the network
		},
		{
			name: "masked public view",
			post: func(p *archive.Post) {
				p.Text = "Escriba a [testado]"
				p.ContentSHA256, p.SourceURL, p.WARC, p.Raw = "", "", archive.WARCRef{}, nil
			},
			want: []string{"huella SHA-256 omitida (el texto tiene datos testados)"},
			not:  []string{"desde", "Evidencia WARC"},
		},
		{
			name:  "edited, no time",
			post:  func(p *archive.Post) { p.Edited = true },
			opt:   Options{RawURL: "/publicaciones/mastodon/sep/1/captura/2"},
			want:  []string{"editada (la red no dice cuándo)", "Ver la captura tal como se recibió"},
			wantH: []string{`<a href="/publicaciones/mastodon/sep/1/captura/2">`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base()
			c.post(&p)
			h, text := page(t, p, c.opt)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("visible text lacks %q:\n%s", w, text)
				}
			}
			for _, w := range c.wantH {
				if !strings.Contains(h, w) {
					t.Errorf("HTML lacks %q:\n%s", w, h)
				}
			}
			for _, w := range c.not {
				if strings.Contains(h, w) {
					t.Errorf("HTML holds %q:\n%s", w, h)
				}
			}
		})
	}
}

func TestForwardTextInsideTheOthersBlock(t *testing.T) {
	p := base()
	p.Text = "texto del origen"
	p.Shared = &archive.Shared{Kind: archive.Forward, AuthorName: "Origen"}
	out, err := Fragment(&p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	block := s[strings.Index(s, "<blockquote"):strings.Index(s, "</blockquote>")]
	if !strings.Contains(block, "texto del origen") || strings.Count(s, "texto del origen") != 1 {
		t.Errorf("a forward's text belongs in the block of someone else's words, once:\n%s", s)
	}
}

// hostile is text a crawled post may hold to break out of the page.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`' onmouseover='alert(1)`,
	`javascript:alert(1)`,
	`JaVaScRiPt:alert(1)`,
	" javascript:alert(1)",
	"java\tscript:alert(1)",
	`data:text/html,<script>alert(1)</script>`,
	`vbscript:msgbox(1)`,
	`https://x.example/"onmouseover="alert(1)`,
	`https://x.example/<script>`,
	`http://x.example/a'onerror='alert(1)`,
	`expression(alert(1)); background:url(javascript:alert(1))`,
	`</style><script>alert(1)</script>`,
	`</title><script>alert(1)</script>`,
	`</textarea><svg onload=alert(1)>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	"\u202egpj.exe",
	"\u202e\u2066@admin\u2069",
	"{{.}}{{template \"x\"}}",
	"https://user:pass@x.example/",
	"//evil.example/x",
	"https://x.example/\u202eevil",
	"\x00\x01\x7f",
}

func TestHostile(t *testing.T) {
	for _, s := range hostile {
		p := base()
		p.Text = s + " https://ok.example/ " + s
		p.Author, p.URL, p.ReplyTo, p.RepostOf, p.SourceURL, p.Language, p.CrawlerVersion = s, s, s, s, s, s, s
		p.Media = []archive.Media{
			{Kind: s, URL: s, PreviewURL: s, Alt: s, WARCRecordID: "<r>"},
			{Kind: "image", URL: s, Alt: s, WARCRecordID: "<r>"},
			{Kind: "link", URL: s, Alt: s, PreviewURL: s, WARCRecordID: "<r>"},
		}
		p.Shared = &archive.Shared{Kind: archive.SharedKind(s), URL: s, Author: s, AuthorName: s, Text: s, Media: p.Media}
		for _, o := range []Options{
			{Images: OriginalURLs, AuthorName: s, RawURL: s, ImageNote: s},
			{Images: ImagePaths, ImageSrc: func(Image) string { return s }, AuthorName: s, RawURL: s},
		} {
			_, text := page(t, p, o)
			if want := strings.Join(strings.Fields(strings.Map(dropControl, s)), " "); !strings.Contains(text, want) {
				t.Errorf("%q: not shown as text:\n%s", s, text)
			}
		}
	}
}

func dropControl(r rune) rune {
	if r < ' ' && r != '\t' && r != '\n' || r == 0x7f {
		return -1
	}
	return r
}

func TestHugeText(t *testing.T) {
	p := base()
	p.Text = strings.Repeat("aé https://x.example/ <b>", 400_000) // 10 MB
	start := time.Now()
	_, text := page(t, p, Options{})
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("a 10 MB text took %s", d)
	}
	if !strings.Contains(text, "se omiten aquí") {
		t.Error("a text past the cap should say what it left out")
	}
}

func TestLinkify(t *testing.T) {
	cases := []struct {
		in   string
		want []segment
	}{
		{"ver https://a.example/x.", []segment{{Text: "ver "}, {"https://a.example/x", "https://a.example/x"}, {Text: "."}}},
		{"(https://a.example/x)", []segment{{Text: "("}, {"https://a.example/x", "https://a.example/x"}, {Text: ")"}}},
		{"https://es.wikipedia.org/wiki/Sol_(astro)", []segment{{"https://es.wikipedia.org/wiki/Sol_(astro)", "https://es.wikipedia.org/wiki/Sol_(astro)"}}},
		{"HTTP://A.EXAMPLE", []segment{{"HTTP://A.EXAMPLE", "http://A.EXAMPLE"}}},
		{"xhttps://a.example", []segment{{Text: "xhttps://a.example"}}},
		{"https://", []segment{{Text: "https://"}}},
		{"https:// a", []segment{{Text: "https:// a"}}},
		{"ftp://a.example javascript:alert(1)", []segment{{Text: "ftp://a.example javascript:alert(1)"}}},
		{"https://u:p@a.example/", []segment{{Text: "https://u:p@a.example/"}}},
		{"https://a.example/\u202ex", []segment{{"https://a.example/", "https://a.example/"}, {Text: "\u202ex"}}},
	}
	for _, c := range cases {
		got := linkify(c.in)
		if !equal(got, c.want) {
			t.Errorf("linkify(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func equal(a, b []segment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func FuzzRender(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, text, url, name string) {
		p := base()
		p.Text, p.URL, p.Author = text, url, name
		p.Media = []archive.Media{{Kind: "image", URL: url, Alt: name, WARCRecordID: "r"}, {Kind: "link", URL: url, Alt: text}}
		p.Shared = &archive.Shared{Kind: archive.Quote, URL: url, AuthorName: name, Text: text}
		for _, o := range []Options{{Images: OriginalURLs}, {Images: ImagePaths, ImageSrc: func(Image) string { return url }, RawURL: url}} {
			out, err := Page(&p, o)
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, out, true)
		}
	})
}

// checkSafe parses a rendering as a browser would and fails on anything
// that could run or load what the page did not mean to: script, style or
// embedding elements (but the page's own style), event handlers, style
// attributes, and URLs that are not http(s) or paths of the page's own.
func checkSafe(t *testing.T, out []byte, document bool) {
	t.Helper()
	var nodes []*html.Node
	if document {
		doc, err := html.Parse(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		nodes = []*html.Node{doc}
	} else {
		ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
		var err error
		nodes, err = html.ParseFragment(bytes.NewReader(out), ctx)
		if err != nil {
			t.Fatal(err)
		}
	}
	styles := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "frame", "frameset", "svg", "math", "form", "input", "textarea", "button", "link", "base", "applet", "noscript", "template", "video", "audio", "source":
				t.Errorf("element <%s> in the rendering:\n%s", n.Data, out)
			case "style":
				styles++
				if !document || n.Parent == nil || n.Parent.Data != "head" || n.FirstChild == nil || n.FirstChild.Data != CSS {
					t.Errorf("a <style> that is not the page's own:\n%s", out)
				}
			case "meta":
				for _, a := range n.Attr {
					if a.Key == "http-equiv" && strings.EqualFold(a.Val, "refresh") {
						t.Errorf("meta refresh:\n%s", out)
					}
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"), key == "style", key == "srcdoc", key == "formaction", key == "xlink:href":
					t.Errorf("attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
				case key == "href" || key == "src" || key == "cite" || key == "action" || key == "poster" || key == "srcset" || key == "background":
					if !safeAttrURL(a.Val) {
						t.Errorf("%s=%q on <%s>: not http(s) nor a path of the page's own", a.Key, a.Val, n.Data)
					}
				case key == "class":
					for _, c := range strings.Fields(a.Val) {
						if !strings.HasPrefix(c, "vc-") {
							t.Errorf("class %q on <%s> is not the rendering's", c, n.Data)
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	if document && styles != 1 {
		t.Errorf("%d <style> elements, want the page's own", styles)
	}
}

func safeAttrURL(v string) bool {
	low := strings.ToLower(v)
	if strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://") {
		return safeURL(v) != ""
	}
	return safeLocal(v) != ""
}

// visible is the text a reader sees, spaces collapsed.
func visible(t *testing.T, out []byte) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "style" || n.Data == "head") {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.Join(strings.Fields(b.String()), " ")
}

var _ template.HTML // Fragment's type

// A version read from its holder's data export says so where a capture
// says who captured it and from where, and names its evidence: its part of
// the export, kept with the whole.
func TestImportedVersion(t *testing.T) {
	p := base()
	p.Network, p.Author, p.URL = archive.X, "GobiernoGDL", "https://x.com/GobiernoGDL/status/1857000000000000300"
	p.SourceURL = archive.ExportSource{Network: archive.X, SHA256: strings.Repeat("0f", 32), Received: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}.URI()
	_, text := page(t, p, Options{})
	for _, want := range []string{"GobiernoGDL X ·", "En la exportación: 3 respuestas", "Importado de la exportación del titular, entregada el 2026-11-28; leída por vigia/1.4.0",
		"la evidencia es la parte de la exportación que la contiene"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "urn:vigia:export") || strings.Contains(text, "Capturado por") {
		t.Errorf("the page of an imported version names it as a capture:\n%s", text)
	}
}

// A card (a result of a list) shows the post, its images and its link
// card, but not its capture's footer nor the original address of each
// image, which the post's own page has.
func TestCard(t *testing.T) {
	p := base()
	p.Media = []archive.Media{image("https://files.example/sedes.png", true), {Kind: "link", URL: "https://sep.example/sedes", Alt: "Sedes de vacunación"}}
	src := func(img Image) string { return "/medios/" + string(rune('0'+img.Index)) }
	full, err := Fragment(&p, Options{Location: mexico, Images: ImagePaths, ImageSrc: src, RawURL: "/captura/2"})
	if err != nil {
		t.Fatal(err)
	}
	card, err := Fragment(&p, Options{Location: mexico, Images: ImagePaths, ImageSrc: src, RawURL: "/captura/2", Card: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<img src="/medios/0" alt="Mapa de sedes"`, "Sedes de vacunación", "Hoy inicia la campaña", "27 de noviembre de 2026"} {
		if !strings.Contains(string(card), want) {
			t.Errorf("the card lacks %q:\n%s", want, card)
		}
	}
	for _, gone := range []string{"vc-foot", "huella SHA-256", "/captura/2", "imagen original: "} {
		if strings.Contains(strings.ToLower(string(card)), strings.ToLower(gone)) {
			t.Errorf("the card has %q:\n%s", gone, card)
		}
		if gone != "imagen original: " && !strings.Contains(string(full), gone) {
			t.Errorf("the full rendering lacks %q", gone)
		}
	}
}

// A video's kept poster is shown as the still of a video, not as an image
// the account published.
func TestPoster(t *testing.T) {
	p := base()
	p.Media = []archive.Media{{Kind: "video", URL: "https://www.youtube.example/watch?v=x", PreviewURL: "https://i.example/x.jpg", Alt: "Sesión de cabildo",
		WARCFile: "a.warc.gz", WARCRecordID: "<urn:uuid:p>", WARCOffset: 1}}
	out, err := Fragment(&p, Options{Location: mexico, Images: ImagePaths, ImageSrc: func(Image) string { return "/medios/0" }})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `<figure class="vc-poster"><img src="/medios/0" alt="Sesión de cabildo" loading="lazy"><figcaption dir="auto"><span class="vc-kind">Video</span> (imagen de portada): Sesión de cabildo</figcaption>`) {
		t.Errorf("the poster:\n%s", out)
	}
}
