package access_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/archive"
)

// Each post delivered gets a readable page per version, of what the
// package delivers: the text redacted, no hash of a redacted text, no
// source URL, no image; a post left out gets none, and no page runs
// anything a crawled post says.
func TestBuildWritesPages(t *testing.T) {
	ev := newEvidence(t, false)
	ref := ev.add("https://social.example/api/v1/accounts/1/statuses", page("Bacheo en la colonia Centro."), false)
	ev.close()
	plainPost := hit("obras-gdl", "111", archive.Function, "Bacheo en la colonia Centro: https://obras.example/mapa", ref)
	plainPost.Version = 1
	plainPost.SourceURL = "https://10.1.2.3/api/v1/accounts/1/statuses"
	plainPost.Media = []archive.Media{{Kind: "image", URL: "https://files.example/bache.jpg", Alt: "Foto del bache", WARCRecordID: "<urn:uuid:m>", WARCFile: ref.File}}
	masked := hit("obras-gdl", "112", archive.Function, "Dudas al 33 1234 5678 o a @vecino", ref)
	masked.Version = 2
	masked.Shared = &archive.Shared{Kind: archive.Quote, Author: "@vecino", Text: "Llámenme al 33 1234 5678"}
	masked.ContentSHA256 = masked.ContentHash()
	hostile := hit("obras-gdl", "113", archive.Function, `<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3)`, ref)
	hostile.Version = 1
	hostile.URL = "javascript:alert(4)"
	hostile.Author = `"><svg onload=alert(5)>`
	feed := hit("boletin", "https://gob.example/boletin/12?x=1&y=../../etc", archive.Function, "Boletín 12", ref)
	feed.Network, feed.Version = archive.RSS, 1
	personal := hit("regidora-lopez", "901", archive.Personal, "PERSONAL-SECRETO cumpleaños", ref)
	personal.Version = 1

	pkg := build(t, request(), []archive.Hit{plainPost, masked, hostile, feed, personal}, access.Options{Visibility: testVisibility, WARCDir: ev.dir, Redact: redact})
	files := contents(t, pkg)
	var pages []string
	for name := range files {
		if strings.HasPrefix(name, "publicaciones/") {
			pages = append(pages, name)
		}
	}
	if len(pages) != 4 {
		t.Fatalf("pages %q, want 4 (one per version delivered)", pages)
	}
	one := files["publicaciones/mastodon-obras-gdl-111-v1.html"]
	for _, want := range []string{"Bacheo en la colonia Centro", `<a href="https://obras.example/mapa"`, "Foto del bache",
		"la imagen conservada como evidencia no se incluye en este paquete", "versión 1; huella SHA-256 <code>" + plainPost.ContentSHA256,
		"18 de noviembre de 2026, 09:04 CST", "<!DOCTYPE html>"} {
		if !strings.Contains(one, want) {
			t.Errorf("page of 111 lacks %q:\n%s", want, one)
		}
	}
	two := files["publicaciones/mastodon-obras-gdl-112-v2.html"]
	for _, want := range []string{"Dudas al [teléfono testado] o a [mención testado]", "Palabras de otra cuenta", "huella SHA-256 omitida"} {
		if !strings.Contains(two, want) {
			t.Errorf("page of 112 lacks %q:\n%s", want, two)
		}
	}
	nowhere(t, files, "PERSONAL-SECRETO", "1234 5678", "10.1.2.3", masked.ContentSHA256)
	var feedPage string
	for _, name := range pages {
		if strings.HasPrefix(name, "publicaciones/rss-boletin-") {
			feedPage = name
		}
		if strings.Contains(strings.TrimPrefix(name, "publicaciones/"), "/") || strings.Contains(name, "..") {
			t.Errorf("page name %q", name)
		}
		doc, err := html.Parse(strings.NewReader(files[name]))
		if err != nil {
			t.Fatal(err)
		}
		if bad := unsafeNode(doc); bad != "" {
			t.Errorf("%s: %s", name, bad)
		}
	}
	report := files["respuesta.html"]
	for _, name := range pages {
		if !strings.Contains(report, `<a href="`+name+`">`) {
			t.Errorf("respuesta.html does not link %s", name)
		}
	}
	if feedPage == "" {
		t.Errorf("no page of the feed item among %q", pages)
	}
	if !strings.Contains(files["publicaciones/mastodon-obras-gdl-113-v1.html"], "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the hostile text is not shown as text")
	}
}

// unsafeNode names the first thing in n that could run script.
func unsafeNode(n *html.Node) string {
	if n.Type == html.ElementNode {
		switch n.Data {
		case "script", "iframe", "object", "embed", "svg", "form", "base", "link", "img": // (a package delivers no image)
			return "<" + n.Data + ">"
		}
		for _, a := range n.Attr {
			v := strings.ToLower(strings.TrimSpace(a.Val))
			if strings.HasPrefix(a.Key, "on") || a.Key == "style" ||
				(a.Key == "href" || a.Key == "src" || a.Key == "cite") && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
				return n.Data + " " + a.Key + "=" + a.Val
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if bad := unsafeNode(c); bad != "" {
			return bad
		}
	}
	return ""
}
