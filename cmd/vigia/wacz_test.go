package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive/wacz/wacztest"
	"github.com/vigia-mx/vigia/archive/warc"
	"github.com/vigia-mx/vigia/samplenet"
)

// The evidence opens as archivists open web archives: the crawl indexes
// each WARC file as it closes it, an access package holds evidencia.wacz
// with what the package may deliver and nothing it withholds, export
// --wacz-only writes that WACZ alone, and archive wacz writes the whole
// evidence of a selection; each WACZ is read back with Go and with
// warcio.js and yauzl from npm, and the package's in ReplayWeb.page. On
// both engines.
func TestWACZ(t *testing.T) {
	t.Run("duckdb", func(t *testing.T) {
		sn, _, dirFile, arc := liveSample(t)
		testWACZ(t, sn, dirFile, arc, cli{}, true)
	})
	t.Run("clickhouse", func(t *testing.T) {
		arc := clickhouseArchive(t)
		sn, _, dirFile, local := liveSample(t)
		t.Setenv("VIGIA_SPOOL_DIR", local+"-spool")
		t.Chdir(filepath.Dir(local))
		testWACZ(t, sn, dirFile, arc, cli{"VIGIA_USERS": local + "-users.json", "VIGIA_SPOOL_DIR": local + "-spool"}, false)
	})
}

func testWACZ(t *testing.T, sn *samplenet.Server, dirFile, arc string, c cli, replay bool) {
	tmp := filepath.Dir(dirFile)
	warcDir := filepath.Join(tmp, "warc")
	c["VIGIA_AUDIT"], c["VIGIA_AUDIT_KEY"] = filepath.Join(tmp, "audit.jsonl"), testAuditKey
	crawl := func() {
		t.Helper()
		if _, errs, code := c.run(t, "", "crawl", "--warc-dir", warcDir, "--directory", dirFile, "--archive", arc,
			"--allow-private-networks", "--host-rate", "0", "--once", "--progress=false"); code != 0 {
			t.Fatalf("crawl: exit %d: %s", code, errs)
		}
	}
	// A post whose e-mail and phone a versión pública masks.
	masked := []string{"ana.perez@gmail.example", "9876 5432"}
	if err := sn.Publish("gobierno-gdl", "queja", "Atendimos el reporte de la vecina: escríbale a ana.perez@gmail.example o llame al 33 9876 5432 para dar seguimiento.", time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	crawl()
	if err := sn.Edit("gobierno-gdl", "panteones", "Horario de los panteones municipales el 1 y 2 de noviembre: de 6:00 a 21:00 h.", time.Now()); err != nil {
		t.Fatal(err)
	}
	crawl()

	// Every WARC file the crawls closed has its CDXJ index, which warcio.js
	// agrees with.
	entries, err := os.ReadDir(warcDir)
	if err != nil {
		t.Fatal(err)
	}
	var names, ours []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".warc.gz") {
			continue
		}
		names = append(names, e.Name())
		b, err := os.ReadFile(warc.CDXJPath(warcDir, e.Name()))
		if err != nil {
			t.Fatalf("no CDXJ index of %s: %v", e.Name(), err)
		}
		ours = append(ours, strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")...)
	}
	if len(names) < 2 || len(ours) < 10 {
		t.Fatalf("%d WARC files, %d index lines", len(names), len(ours))
	}
	slices.Sort(ours)
	t.Run("crawl indexes, warcio.js", func(t *testing.T) {
		if d := wacztest.Diff(wacztest.Warcio(t, warcDir, names...), ours); d != "" {
			t.Errorf("warcio.js indexes the crawl's files otherwise than the crawl did:\n%s", d)
		}
	})

	personal := searchTexts(t, c, arc, "personal")
	if len(personal) == 0 {
		t.Fatal("the sample has no personal posts")
	}

	// A package of the whole archive, a versión pública: its WACZ holds
	// its evidencia.warc.gz, byte for byte, and so withholds what it does.
	out := filepath.Join(tmp, "respuesta")
	if stdout, errs, code := c.run(t, "", "export", "--archive", arc, "--warc-dir", warcDir, "--request", "UT/0042/2026",
		"--out", out); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, errs)
	}
	zr, err := zip.OpenReader(out + ".zip")
	if err != nil {
		t.Fatal(err)
	}
	var inPackage []byte
	for _, f := range zr.File {
		if f.Name == "respuesta/evidencia.wacz" {
			if f.Method != zip.Store {
				t.Errorf("evidencia.wacz is compressed in the package's zip (method %d)", f.Method)
			}
			rc, _ := f.Open()
			inPackage, err = io.ReadAll(rc)
			rc.Close()
		}
	}
	zr.Close()
	if err != nil || inPackage == nil {
		t.Fatalf("the package's zip holds no evidencia.wacz: %v", err)
	}
	pkgWACZ := filepath.Join(t.TempDir(), "evidencia.wacz")
	if err := os.WriteFile(pkgWACZ, inPackage, 0o600); err != nil {
		t.Fatal(err)
	}
	got := wacztest.Check(t, pkgWACZ)
	extract, err := os.ReadFile(filepath.Join(out, "evidencia.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	inside, err := os.ReadFile(filepath.Join(got.Dir, "archive", "evidencia.warc.gz"))
	if err != nil || !bytes.Equal(inside, extract) {
		t.Errorf("the WACZ's WARC file is not the package's evidencia.warc.gz (%v)", err)
	}
	if report, _ := os.ReadFile(filepath.Join(out, "respuesta.html")); !strings.Contains(string(report), "<code>evidencia.wacz</code>") ||
		!strings.Contains(string(report), "replayweb.page") {
		t.Errorf("respuesta.html does not tell the requester how to open evidencia.wacz")
	}
	manifest, _ := os.ReadFile(filepath.Join(out, "MANIFIESTO.sha256"))
	sum := sha256.Sum256(inPackage)
	if !strings.Contains(string(manifest), hex.EncodeToString(sum[:])+"  evidencia.wacz") {
		t.Errorf("MANIFIESTO.sha256 does not list evidencia.wacz:\n%s", manifest)
	}
	if len(got.Pages) == 0 || len(got.Index) == 0 {
		t.Fatalf("the package's WACZ: %v", got)
	}
	noneOf(t, "the package's WACZ", pkgWACZ, append(slices.Clone(personal), masked...))
	t.Run("package, independent reader", func(t *testing.T) { wacztest.Independent(t, pkgWACZ) })
	// ReplayWeb.page opens it and shows a version's page: the package's own
	// page of that version (publicaciones/), byte for byte.
	if replay {
		t.Run("package, ReplayWeb.page", func(t *testing.T) { checkReplay(t, pkgWACZ, got, out) })
	}

	// --wacz-only: the same WACZ alone, no package left beside it.
	only := filepath.Join(tmp, "solo", "evidencia-UT-0043.wacz")
	if err := os.MkdirAll(filepath.Dir(only), 0o700); err != nil {
		t.Fatal(err)
	}
	if stdout, errs, code := c.run(t, "", "export", "--archive", arc, "--warc-dir", warcDir, "--request", "UT/0043/2026",
		"--wacz-only", "--out", only); code != 0 {
		t.Fatalf("export --wacz-only: exit %d\n%s%s", code, stdout, errs)
	}
	if left, _ := os.ReadDir(filepath.Dir(only)); len(left) != 1 {
		t.Errorf("export --wacz-only left %v", left)
	}
	alone := wacztest.Check(t, only)
	if len(alone.Index) != len(got.Index) || len(alone.Pages) != len(got.Pages) {
		t.Errorf("--wacz-only: %v; the package's: %v", alone, got)
	}
	noneOf(t, "export --wacz-only", only, append(slices.Clone(personal), masked...))
	if _, errs, code := c.run(t, "", "export", "--archive", arc, "--warc-dir", warcDir, "--request", "UT/0044/2026",
		"--wacz-only", "--out", filepath.Join(tmp, "x")); code != 2 || !strings.Contains(errs, ".wacz") {
		t.Errorf("export --wacz-only --out without .wacz: exit %d, %s", code, errs)
	}

	// archive wacz: the whole evidence, every version of every post,
	// personal ones included, and the audit log says so.
	all := filepath.Join(tmp, "todo.wacz")
	stdout, errs, code := c.run(t, "", "archive", "wacz", "--archive", arc, "--warc-dir", warcDir, "--out", all)
	if code != 0 {
		t.Fatalf("archive wacz: exit %d\n%s%s", code, stdout, errs)
	}
	whole := wacztest.Check(t, all)
	versions := 0
	for _, h := range searchJSONL(t, "--archive", arc) {
		versions += int(h["versions"].(float64))
	}
	if len(whole.Pages) != versions {
		t.Errorf("archive wacz: %d pages, the archive holds %d versions\n%s", len(whole.Pages), versions, stdout)
	}
	if len(holding(whole, masked)) == 0 {
		t.Errorf("archive wacz holds no record with the data a versión pública masks: it is the whole evidence")
	}
	if len(holding(whole, personal)) == 0 {
		t.Errorf("archive wacz holds no record with a personal post's text: it is the whole evidence")
	}
	t.Run("archive wacz, independent reader", func(t *testing.T) { wacztest.Independent(t, all) })
	audit, _ := os.ReadFile(c["VIGIA_AUDIT"])
	if !strings.Contains(string(audit), `"archive_wacz"`) || !strings.Contains(string(audit), "todo.wacz") {
		t.Errorf("the audit log does not record archive wacz:\n%s", audit)
	}
	if _, errs, code := c.run(t, "", "archive", "wacz", "--archive", arc, "--warc-dir", warcDir, "--out", all); code != 2 {
		t.Errorf("archive wacz over an existing file: exit %d, %s", code, errs)
	}

	// A selection: one account, dates.
	one := filepath.Join(tmp, "gobierno.wacz")
	if stdout, errs, code := c.run(t, "", "archive", "wacz", "--archive", arc, "--warc-dir", warcDir,
		"--account", "gobierno-gdl", "--from", "2000-01-01", "--to", "2100-01-01", "--out", one); code != 0 {
		t.Fatalf("archive wacz --account: exit %d\n%s%s", code, stdout, errs)
	}
	sel := wacztest.Check(t, one)
	if len(sel.Pages) == 0 || len(sel.Pages) >= len(whole.Pages) {
		t.Errorf("one account: %d pages of %d", len(sel.Pages), len(whole.Pages))
	}
	edited := 0
	for _, p := range append(slices.Clone(sel.Pages), got.Pages...) {
		if !strings.HasPrefix(p.URL, "https://vigia.invalid/") {
			t.Errorf("page %+v does not open its rendering", p)
		}
	}
	for _, p := range sel.Pages {
		if !strings.HasPrefix(p.Title, "mastodon/gobierno-gdl/") {
			t.Errorf("page of another account: %+v", p)
		}
		if strings.HasSuffix(p.Title, "versión 2") {
			edited++
		}
	}
	if edited == 0 {
		t.Errorf("the edited post's second version has no page: %v", sel.Pages)
	}
}

// In the demo, whose crawl kept images, the renderings of vigia archive
// wacz show them from the evidence: every image they refer to is a record
// of the WACZ, which ReplayWeb.page serves at that URL.
func TestArchiveWACZShowsKeptImages(t *testing.T) {
	arc := demoArchive(t)
	all := filepath.Join(t.TempDir(), "todo.wacz")
	if stdout, errs, code := vigia(t, "", "archive", "wacz", "--archive", arc, "--out", all); code != 0 {
		t.Fatalf("archive wacz: exit %d\n%s%s", code, stdout, errs)
	}
	whole := wacztest.Check(t, all)
	images := map[string]bool{}
	for _, l := range whole.Index {
		if strings.HasPrefix(l.Mime, "image/") {
			images[l.URL] = true
		}
	}
	shown := 0
	for id, block := range whole.Records {
		if whole.Types[id] != "resource" {
			continue
		}
		for _, m := range regexp.MustCompile(`<img src="([^"]+)"`).FindAllSubmatch(block, -1) {
			shown++
			if src := html.UnescapeString(string(m[1])); !images[src] {
				t.Errorf("a rendering shows the image %s, which the WACZ does not hold", src)
			}
		}
	}
	if shown == 0 || len(images) == 0 {
		t.Errorf("archive wacz: %d images shown, %d image records", shown, len(images))
	}
	// ReplayWeb.page shows a page with an image, and serves the image's
	// bytes as the crawler received them.
	t.Run("ReplayWeb.page", func(t *testing.T) {
		for _, p := range whole.Pages {
			for id, block := range whole.Records {
				m := regexp.MustCompile(`<img src="([^"]+)"`).FindSubmatch(block)
				if whole.Types[id] != "resource" || m == nil || !slices.Contains(whole.Headers[id], "WARC-Target-URI: "+p.URL) {
					continue
				}
				src := html.UnescapeString(string(m[1]))
				ts := strings.NewReplacer("-", "", ":", "", "T", "").Replace(p.TS)[:14]
				r := wacztest.OpenReplay(t, all, p.URL, ts)
				for _, l := range whole.Index {
					if l.URL == src {
						if got := r.FetchSHA256(src, l.Timestamp); got != l.Digest {
							t.Errorf("ReplayWeb.page serves the image %s with SHA-256 %s, the record's payload has %s", src, got, l.Digest)
						}
						return
					}
				}
			}
		}
		t.Error("no page with an image")
	})
}

// checkReplay opens the WACZ at path in ReplayWeb.page at its first page,
// which must show the package's own page of that version (in out's
// publicaciones/), byte for byte.
func checkReplay(t *testing.T, path string, c *wacztest.Contents, out string) {
	t.Helper()
	first := c.Pages[0]
	ts := strings.NewReplacer("-", "", ":", "", "T", "").Replace(first.TS)[:14]
	shown := wacztest.OpenReplay(t, path, first.URL, ts).Fetch(first.URL, ts)
	pagesDir, _ := os.ReadDir(filepath.Join(out, "publicaciones"))
	same := false
	for _, e := range pagesDir {
		b, _ := os.ReadFile(filepath.Join(out, "publicaciones", e.Name()))
		same = same || string(b) == shown
	}
	if !same || !strings.Contains(shown, "<html") {
		t.Errorf("ReplayWeb.page shows page %+v as %.300q, which is none of the package's %d pages", first, shown, len(pagesDir))
	}
}

// searchTexts returns the texts of the posts of the archive with label.
func searchTexts(t *testing.T, c cli, arc, label string) []string {
	t.Helper()
	var out []string
	for _, h := range searchJSONL(t, "--archive", arc, "--label", label) {
		if s, _ := h["text"].(string); len(s) > 20 {
			out = append(out, s)
		}
	}
	return out
}

// noneOf fails t when a text of texts is in any record of the WACZ at path
// (decompressed), or anywhere in its other files.
func noneOf(t *testing.T, what, path string, texts []string) {
	t.Helper()
	c := wacztest.Check(t, path)
	if held := holding(c, texts); len(held) > 0 {
		t.Errorf("%s: records hold the text of a personal post: %q", what, held)
	}
	for _, name := range []string{"indexes/index.cdxj", "pages/pages.jsonl", "datapackage.json"} {
		b, _ := os.ReadFile(filepath.Join(c.Dir, name))
		for _, s := range texts {
			if strings.Contains(string(b), s) {
				t.Errorf("%s: %s holds the personal text %q", what, name, s)
			}
		}
	}
}

// holding names the records of c whose block, or its payload
// decompressed, holds one of texts (as JSON or HTML may escape it: its
// first words), with the words.
func holding(c *wacztest.Contents, texts []string) []string {
	var held []string
	for id, block := range c.Records {
		body := block
		if i := bytes.Index(block, []byte("\r\n\r\n")); i >= 0 {
			if zr, err := gzip.NewReader(bytes.NewReader(block[i+4:])); err == nil {
				if b, err := io.ReadAll(zr); err == nil {
					body = append(slices.Clip(block[:i+4]), b...)
				}
			}
		}
		for _, s := range texts {
			if bytes.Contains(body, []byte(firstWords(s))) {
				held = append(held, id+" ("+c.Types[id]+"): "+firstWords(s))
				break
			}
		}
	}
	return held
}

func firstWords(s string) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(6, len(f))], " ")
}
