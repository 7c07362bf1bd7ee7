package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// vigia export writes a readable page per version delivered
// (publicaciones/NAME-vN.html), of the version as the package delivers it;
// a version withheld as personal has none, and no page holds its text.
func TestExportWritesPages(t *testing.T) {
	sn, _, dirFile, arc := liveSample(t)
	c := cli{}
	tmp := filepath.Dir(dirFile)
	warcDir := filepath.Join(tmp, "warc")
	crawl := func() {
		t.Helper()
		if _, errs, code := c.run(t, "", "crawl", "--warc-dir", warcDir, "--directory", dirFile, "--archive", arc,
			"--allow-private-networks", "--host-rate", "0", "--once", "--progress=false", "--relist-window", "8760h"); code != 0 {
			t.Fatalf("crawl: exit %d: %s", code, errs)
		}
	}
	postID := func(text string) string {
		t.Helper()
		out, errs, code := c.run(t, "", "search", "--format", "jsonl", "--archive", arc, "--account", "gobierno-gdl", "--text", text)
		var hit struct {
			PostID string `json:"post_id"`
		}
		if code != 0 || strings.Count(out, "\n") != 1 || json.Unmarshal([]byte(out), &hit) != nil {
			t.Fatalf("search %q: exit %d, want one post: %s%s", text, code, out, errs)
		}
		return hit.PostID
	}
	crawl()
	luminarias, cabildo := postID("LPN-GDL-014/2026"), postID("sesión ordinaria de Cabildo")
	if err := sn.Edit("gobierno-gdl", "licitacion-luminarias", "Corrección: son 15,000 luminarias LED, bases en https://transparencia.guadalajara.example/lpn", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := c.run(t, "", "review", "decide", "gobierno-gdl/"+cabildo, "function", "--reason", "Sesión de Cabildo",
		"--by", "lucia", "--archive", arc); code != 0 {
		t.Fatalf("review decide: exit %d: %s", code, errs)
	}
	const personal = "Feliz cumpleaños a mi hija Regina; llámenme al 33 1234 5678"
	if err := sn.Edit("gobierno-gdl", "cabildo-julio", personal, time.Now()); err != nil {
		t.Fatal(err)
	}
	crawl()
	if _, errs, code := c.run(t, "", "review", "decide", "gobierno-gdl/"+cabildo, "personal", "--reason", "Felicitación familiar",
		"--by", "lucia", "--archive", arc); code != 0 {
		t.Fatalf("review decide: exit %d: %s", code, errs)
	}

	out := filepath.Join(tmp, "UT-0200-2026")
	if stdout, errs, code := c.run(t, "", "export", "--archive", arc, "--warc-dir", warcDir, "--request", "UT/0200/2026",
		"--account", "gobierno-gdl", "--out", out); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, errs)
	}
	p := readPackage(t, "export UT/0200/2026", out+".zip", filepath.Base(out))
	p.check(t, "UT/0200/2026", false)
	var pages []string
	for name := range p.files {
		if strings.HasPrefix(name, "publicaciones/") {
			pages = append(pages, name)
		}
	}
	slices.Sort(pages)
	page := func(id string, n int) string {
		return "publicaciones/mastodon-gobierno-gdl-" + id + "-v" + strconv.Itoa(n) + ".html"
	}
	for name, want := range map[string]string{
		page(luminarias, 1): "12,400 luminarias",
		page(luminarias, 2): "Corrección: son 15,000 luminarias LED",
		page(cabildo, 1):    "sesión ordinaria de Cabildo",
	} {
		got := string(p.files[name])
		if !strings.Contains(got, want) || !strings.Contains(got, "Capturado por <bdi>vigia") {
			t.Errorf("%s lacks %q; pages: %q", name, want, pages)
		}
	}
	if _, ok := p.files[page(cabildo, 2)]; ok {
		t.Errorf("the personal version has a page")
	}
	if len(pages) != len(p.rows) {
		t.Errorf("%d pages, %d versions delivered in publicaciones.csv", len(pages), len(p.rows))
	}
	// respuesta.html links each page, and nothing else of the folder
	var linked []string
	for _, m := range regexp.MustCompile(`href="(publicaciones/[^"]+)"`).FindAllStringSubmatch(string(p.files["respuesta.html"]), -1) {
		linked = append(linked, m[1])
	}
	slices.Sort(linked)
	if !slices.Equal(linked, pages) {
		t.Errorf("respuesta.html links %q, the package holds %q", linked, pages)
	}
	manifest := string(p.files["MANIFIESTO.sha256"])
	for _, name := range pages {
		if !strings.Contains(manifest, "  "+name+"\n") {
			t.Errorf("the manifest does not list %s", name)
		}
		data := p.files[name]
		for _, s := range []string{"a mi hija Regina", "1234 5678", "lucia", "127.0.0.1"} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds %q", name, s)
			}
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var scripts int
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && (n.Data == "script" || slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return strings.HasPrefix(a.Key, "on") })) {
				scripts++
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		if walk(doc); scripts > 0 {
			t.Errorf("%s: %d scripts or event handlers", name, scripts)
		}
	}
}
