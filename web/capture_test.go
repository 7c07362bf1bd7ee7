package web

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/archive/warc"
	"github.com/vigia-mx/vigia/auth"
)

// keep writes body to the site's WARC evidence as the crawler keeps a
// fetched image, points m at it, and returns m.
func (s *site) keep(t *testing.T, m archive.Media, contentType string, body []byte) archive.Media {
	t.Helper()
	dir := filepath.Join(s.dir, "warc")
	w, err := warc.NewWriter(warc.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := w.Write(&warc.Exchange{TargetURI: m.URL, Date: t0,
		Request:  []byte("GET /x HTTP/1.1\r\nHost: files.example\r\n\r\n"),
		Response: fmt.Appendf(nil, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", contentType, len(body)),
		Body:     body})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s.app.cfg.WARCDir = dir
	m.WARCFile, m.WARCRecordID, m.WARCOffset, m.WARCDigest, m.Bytes = ref.File, ref.RecordID, ref.Offset, ref.BlockDigest, int64(len(body))
	return m
}

func pngOf(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// post300 is a public post of ana's in two versions, the second with a
// kept image, an image not kept and an HTML page the network said was an
// image.
func (s *site) post300(t *testing.T) (v1, v2 archive.Post, img []byte) {
	t.Helper()
	img = pngOf(t)
	v1 = edit("300", 1, "Primera versión: informe de obras, dudas al 33 1234 5678.")
	v2 = edit("300", 2, "Segunda versión: informe de obras en https://obras.example/informe, dudas al 33 1234 5678.")
	v2.Media = []archive.Media{
		s.keep(t, archive.Media{Kind: "image", URL: "https://files.example/obra.png", Alt: "Foto de la obra", ID: "m1"}, "image/png", img),
		{Kind: "image", URL: "https://files.example/otra.jpg", Alt: "No conservada", ID: "m2", Note: "not fetched: 404"},
		s.keep(t, archive.Media{Kind: "image", URL: "https://files.example/trampa.svg", Alt: "trampa", ID: "m3"}, "image/svg+xml",
			[]byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>`)),
	}
	v2.ContentSHA256 = v2.ContentHash()
	s.add(t, &archive.Batch{Posts: []archive.Post{v1, v2}, Events: []archive.Event{seen(v1), seen(v2)},
		Decisions: []archive.Decision{archivetest.Decide(v1, archive.Function, "rule", t0), archivetest.Decide(v2, archive.Function, "rule", t0)}})
	return v1, v2, img
}

// The post page renders the captured version above the details: the
// archivist's with its images from the evidence and the raw capture one
// click away; any version can be selected.
func TestPostPageRendersCapture(t *testing.T) {
	s := newSite(t)
	_, v2, img := s.post300(t)
	code, body := s.get(t, auth.Archivist, "/publicaciones/mastodon/ana/300")
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	section := body[strings.Index(body, `<section aria-labelledby="captura"`):strings.Index(body, `<section aria-labelledby="decision"`)]
	for _, want := range []string{
		"La publicación capturada (versión 2)",
		`<a href="https://obras.example/informe" rel="nofollow noopener noreferrer"><bdi>https://obras.example/informe</bdi></a>`,
		`<img src="/publicaciones/mastodon/ana/300/medios/2/0" alt="Foto de la obra"`,
		"No conservada", "vigia no conservó una copia",
		`<a href="/publicaciones/mastodon/ana/300/captura/2">Ver la captura tal como se recibió</a>`,
		"huella SHA-256 <code>" + v2.ContentSHA256, "Ana Pérez", "ana@social.example",
		`<a href="/publicaciones/mastodon/ana/300?version=1#captura">1</a>`,
	} {
		if !strings.Contains(section, want) {
			t.Errorf("the rendering lacks %q:\n%s", want, section)
		}
	}
	resp, err := http.Get(s.URL + "/static/captura.css")
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("captura.css: %v %v", resp, err)
	}
	if _, body := s.get(t, auth.Archivist, "/publicaciones/mastodon/ana/300?version=1"); !strings.Contains(body, "La publicación capturada (versión 1)") ||
		!strings.Contains(body[strings.Index(body, "captura"):strings.Index(body, `aria-labelledby="decision"`)], "Primera versión") {
		t.Errorf("version 1 not rendered when selected")
	}

	got, ct := s.media(t, auth.Archivist, "/publicaciones/mastodon/ana/300/medios/2/0")
	if !bytes.Equal(got, img) || ct != "image/png" {
		t.Errorf("image from the evidence: %q, %d bytes", ct, len(got))
	}
	for path, want := range map[string]int{
		"/publicaciones/mastodon/ana/300/medios/2/1":  http.StatusNotFound,             // not kept
		"/publicaciones/mastodon/ana/300/medios/2/2":  http.StatusUnsupportedMediaType, // an SVG with a script is not served
		"/publicaciones/mastodon/ana/300/medios/2/3":  http.StatusNotFound,
		"/publicaciones/mastodon/ana/300/medios/2/00": http.StatusNotFound,
		"/publicaciones/mastodon/ana/300/medios/2/-1": http.StatusNotFound,
		"/publicaciones/mastodon/ana/300/medios/2/c0": http.StatusNotFound,
		"/publicaciones/mastodon/ana/300/medios/1/0":  http.StatusNotFound, // version 1 has no kept image
		"/publicaciones/mastodon/ana/300/medios/9/0":  http.StatusNotFound,
		"/publicaciones/mastodon/ana/999/medios/1/0":  http.StatusNotFound,
		"/publicaciones/mastodon/ana/201/medios/1/0":  http.StatusNotFound, // the personal post's image was not kept
	} {
		if code, body := s.get(t, auth.Archivist, path); code != want {
			t.Errorf("archivist %s: %d, want %d: %.200s", path, code, want, body)
		}
	}
}

// media fetches an image as role and returns it with its Content-Type.
func (s *site) media(t *testing.T, role auth.Role, path string) ([]byte, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+s.tokens[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, b.String())
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
		t.Errorf("%s: Content-Security-Policy %q", path, csp)
	}
	return b.Bytes(), resp.Header.Get("Content-Type")
}

// The public role's rendering is of the masked public view: no image, no
// raw capture, no source, no hash of a masked text; and no image of any
// post through the media route.
func TestPublicCaptureIsMasked(t *testing.T) {
	s := newSite(t)
	s.post300(t)
	code, body := s.get(t, auth.Public, "/publicaciones/mastodon/ana/300")
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	section := body[strings.Index(body, `<section aria-labelledby="captura"`):strings.Index(body, `<section aria-labelledby="decision"`)]
	for _, want := range []string{"Segunda versión: informe de obras", "testado]", "imagen no disponible en la consulta pública",
		"huella SHA-256 omitida", "Consulta pública"} {
		if !strings.Contains(section, want) {
			t.Errorf("public rendering lacks %q:\n%s", want, section)
		}
	}
	for _, leak := range []string{"1234 5678", "<img", "/medios/", "/captura/", "10.0.0.7", "warc.gz"} {
		if strings.Contains(body, leak) {
			t.Errorf("public post page holds %q", leak)
		}
	}
	for _, path := range []string{"/publicaciones/mastodon/ana/300/medios/2/0", "/publicaciones/mastodon/ana/201/medios/1/0"} {
		if code, _ := s.get(t, auth.Public, path); code != http.StatusForbidden {
			t.Errorf("public %s: %d, want 403", path, code)
		}
	}
}

// A post that carries someone else's: the public role reads the carried
// text masked, and not who a private person is.
func TestPublicCaptureMasksSharedPost(t *testing.T) {
	s := newSite(t)
	p := archivetest.Post("gobierno", "400", 1, "", t0)
	p.Shared = &archive.Shared{Kind: archive.Repost, URL: "https://otra.example/@vecina/9", Author: "@vecina@otra.example",
		AuthorName: "Vecina Particular", Text: "Se fue la luz en mi calle, llámenme al 33 8765 4321", PublishedAt: t0}
	p.RepostOf = p.Shared.URL
	p.ContentSHA256 = p.ContentHash()
	s.add(t, &archive.Batch{Posts: []archive.Post{p}, Decisions: []archive.Decision{archivetest.Decide(p, archive.Function, "rule", t0)}})
	_, body := s.get(t, auth.Archivist, "/publicaciones/mastodon/gobierno/400")
	if !strings.Contains(body, "Vecina Particular") || !strings.Contains(body, "Palabras de otra cuenta") {
		t.Skip("the archive does not keep Post.Shared yet") // (the engines' storage of Shared lands with another change)
	}
	code, body := s.get(t, auth.Public, "/publicaciones/mastodon/gobierno/400")
	if code != http.StatusOK {
		t.Fatalf("%d", code)
	}
	for _, leak := range []string{"8765 4321", "vecina", "Vecina Particular"} {
		if strings.Contains(body, leak) {
			t.Errorf("public page holds %q", leak)
		}
	}
	if !strings.Contains(body, "Se fue la luz en mi calle") {
		t.Error("the carried text is not shown to the public role")
	}
}

// hostileText is what a crawled post may say to run script in the page.
const hostileText = `<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> "><svg onload=window.pwned=3> javascript:window.pwned=4 https://x.example/"onmouseover="window.pwned=5`

func hostilePost() archive.Post {
	p := archivetest.Post("gobierno", "666", 1, hostileText, t0.Add(-time.Hour))
	p.Author = `"><img src=x onerror=window.pwned=6>`
	p.URL = "javascript:window.pwned=7"
	p.Media = []archive.Media{{Kind: "link", URL: "javascript:window.pwned=8", Alt: `</p><script>window.pwned=9</script>`}}
	p.ContentSHA256 = p.ContentHash()
	return p
}

// A hostile post's text is text in the rendering.
func TestCaptureOfHostilePost(t *testing.T) {
	s := newSite(t)
	p := hostilePost()
	s.add(t, &archive.Batch{Posts: []archive.Post{p}, Decisions: []archive.Decision{archivetest.Decide(p, archive.Function, "rule", t0)}})
	for _, role := range []auth.Role{auth.Archivist, auth.Public} {
		_, body := s.get(t, role, "/publicaciones/mastodon/gobierno/666")
		for _, bad := range []string{"<script>window", "<img src=x", "<svg", `href="javascript:`, `onmouseover="window`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the page holds %q", role, bad)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;window.pwned=1&lt;/script&gt;") {
			t.Errorf("%s: the hostile text is not shown escaped", role)
		}
	}
}

// In a real browser, the archivist's post page shows the rendering with
// the image kept in the evidence, and a hostile post's text runs nothing,
// for the archivist or the public role.
func TestBrowserCapture(t *testing.T) {
	s := newSite(t)
	s.post300(t)
	p := hostilePost()
	s.add(t, &archive.Batch{Posts: []archive.Post{p}, Decisions: []archive.Decision{archivetest.Decide(p, archive.Function, "rule", t0)}})
	for _, role := range []auth.Role{auth.Archivist, auth.Public} {
		ctx := browse(t)
		shown := text(t, ctx, "#captura + nav + article.vc-post, #captura ~ article.vc-post",
			signIn(s, role),
			chromedp.Navigate(s.URL+"/publicaciones/mastodon/ana/300"),
			chromedp.WaitVisible(chromedp.CSS("article.vc-post")))
		if !strings.Contains(shown, "Segunda versión: informe de obras") || !strings.Contains(shown, "Capturado por test") {
			t.Errorf("%s: the rendering shows %q", role, shown)
		}
		// (the image loads on its own time: wait for it, up to 10 s)
		width := 0
		for range 100 {
			var err error
			width, err = chromedp.Run(ctx, chromedp.Evaluate[int](
				`(() => { const i = document.querySelector("article.vc-post img"); return !i ? -1 : i.complete ? i.naturalWidth : 0 })()`))
			if err != nil {
				t.Fatal(err)
			}
			if width != 0 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if want := map[auth.Role]int{auth.Archivist: 4, auth.Public: -1}[role]; width != want {
			t.Errorf("%s: image of the rendering %d px wide, want %d", role, width, want)
		}
		hostile := text(t, ctx, "article.vc-post",
			chromedp.Navigate(s.URL+"/publicaciones/mastodon/gobierno/666"),
			chromedp.WaitVisible(chromedp.CSS("article.vc-post")),
			chromedp.Sleep(300*time.Millisecond))
		pwned, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.pwned)`))
		if err != nil {
			t.Fatal(err)
		}
		if pwned != "undefined" {
			t.Errorf("%s: the hostile post ran script: window.pwned = %s", role, pwned)
		}
		if !strings.Contains(hostile, "<script>window.pwned=1</script>") {
			t.Errorf("%s: the hostile text is not shown as text: %q", role, hostile)
		}
	}
}

// The public role cannot select a personal version: the page renders the
// latest public one, and nothing of the personal version.
func TestPublicCannotSelectPersonalVersion(t *testing.T) {
	s := newSite(t)
	const person = "person:lucia"
	v1, v2, v3 := edit("303", 1, "Bacheo nocturno en la colonia Americana."), edit("303", 2, "SECRETO-V2: llevo a mi hija al pediatra"),
		edit("303", 3, "Bacheo nocturno en la colonia Americana y en Lafayette.")
	s.add(t, &archive.Batch{Posts: []archive.Post{v1, v2, v3}, Events: []archive.Event{seen(v1), seen(v2), seen(v3)},
		Decisions: []archive.Decision{
			archivetest.Decide(v1, archive.Function, person, t0.Add(time.Hour)),
			archivetest.Decide(v2, archive.Personal, person, t0.Add(2*time.Hour)),
			archivetest.Decide(v3, archive.Function, person, t0.Add(3*time.Hour)),
		}})
	for _, q := range []string{"?version=2", "?version=1", "?version=x", ""} {
		code, body := s.get(t, auth.Public, "/publicaciones/mastodon/ana/303"+q)
		if code != http.StatusOK || strings.Contains(body, "SECRETO-V2") || strings.Contains(body, "versión 2)") {
			t.Errorf("public %s: %d, shows the personal version", q, code)
		}
		want := "La publicación capturada (versión 3)"
		if q == "?version=1" {
			want = "La publicación capturada (versión 1)"
		}
		if !strings.Contains(body, want) {
			t.Errorf("public %s: no %q", q, want)
		}
	}
	if _, body := s.get(t, auth.Archivist, "/publicaciones/mastodon/ana/303?version=2"); !strings.Contains(body, "La publicación capturada (versión 2)") ||
		!strings.Contains(body, "SECRETO-V2") {
		t.Error("the archivist cannot select the personal version")
	}
}
