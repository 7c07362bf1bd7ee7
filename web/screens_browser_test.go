package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/archive/warc"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/bluesky"
	"github.com/vigia-mx/vigia/crawler/mastodon"
	"github.com/vigia-mx/vigia/crawler/rss"
	"github.com/vigia-mx/vigia/crawler/telegram"
	"github.com/vigia-mx/vigia/crawler/youtube"
	"github.com/vigia-mx/vigia/decision"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/samplenet"
)

// crawledSite is the application over an archive built as an office builds
// it: the sample network (samplenet) crawled with its media into a DuckDB
// file and WARC evidence, then changed (a post with an image edited, one
// deleted, one published) and crawled again.
func crawledSite(t *testing.T) *site {
	t.Helper()
	sn, err := samplenet.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sn.Handler())
	t.Cleanup(srv.Close)
	nets := directory.Networks{mastodon.Network, bluesky.Network, telegram.Network, youtube.Network, rss.Network}
	dir := t.TempDir()
	s := &site{dir: dir, tokens: map[auth.Role]string{}, audit: filepath.Join(dir, "audit.jsonl"),
		directory: filepath.Join(dir, "directorio.yaml")}
	if err := os.WriteFile(s.directory, sn.DirectoryAt(srv.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := directory.Load(s.directory, nets)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "vigia.duckdb")
	warcDir := filepath.Join(dir, "warc")
	crawl := func() {
		t.Helper()
		w, err := warc.NewWriter(warc.Options{Dir: warcDir, Software: "vigia/test", Operator: d.Subject})
		if err != nil {
			t.Fatal(err)
		}
		copts := crawler.DefaultClientOptions()
		copts.HostRate, copts.Retries, copts.AllowPrivateNetworks, copts.Evidence = 0, 0, true, w
		copts.Mirror = mustURL(t, srv.URL)
		st, err := duckdb.Open(context.Background(), path, duckdb.WriterOptions())
		if err != nil {
			t.Fatal(err)
		}
		opts := crawler.DefaultOptions()
		opts.RelistWindow = 24 * 365 * time.Hour
		adapters := map[archive.Network]crawler.Adapter{archive.Mastodon: mastodon.New(), archive.Bluesky: bluesky.New(),
			archive.Telegram: telegram.New(), archive.YouTube: youtube.New(), archive.RSS: rss.New()}
		judge := decision.ForDirectory(classifier.DefaultPolicy(), classifier.DefaultModel(), d, nets).Crawled
		c := crawler.New(crawler.NewClient(copts, nil), adapters, st, judge, opts, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
		if _, err := c.Once(context.Background(), d, d.Accounts); err != nil {
			t.Fatal(err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	crawl()
	now := time.Now()
	for _, change := range []error{
		sn.Edit("gobierno-gdl", "mundial-operativo", "Operativo de movilidad por el partido del Mundial en el Estadio Guadalajara: cierres viales en Periférico y Av. Obreros de Cananea desde las 11:00 h.\n\nUsa transporte público y las rutas alternas del mapa. #Mundial2026", now),
		sn.Delete("proteccion-civil", "puntos-inundacion"),
		sn.Publish("avisos-gdl", "aviso-nuevo", "Nuevo horario de atención en las oficinas de Tesorería a partir del lunes.", now),
	} {
		if change != nil {
			t.Fatal(change)
		}
	}
	crawl()

	users, err := auth.OpenUsers(filepath.Join(dir, "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	s.addRoleUsers(t, users)
	audit, err := auth.OpenAudit(s.audit, auditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { audit.Close() })
	s.app, err = New(Config{
		Open:    duckdbOpener(path),
		WARCDir: warcDir, ExportDir: filepath.Join(dir, "exports"), DirectoryFile: s.directory, Networks: nets,
		Users: users, Sessions: auth.NewSessions(users, auth.SessionOptions{}), Audit: audit, Subject: d.Subject,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Server = httptest.NewServer(s.app)
	t.Cleanup(s.Close)
	return s
}

// screens is where the screenshots go: $VIGIA_SCREENSHOTS, else a
// temporary folder (kept out of the repository either way).
func screens(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("VIGIA_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// layoutCheck measures the page as shown: nothing wider than the window,
// no style attribute, the navigation inside the header's width, every
// input of a form narrower than 500 px, every image of a rendered post
// loaded. It returns what is wrong, "" when nothing.
const layoutCheck = `(() => {
	const bad = [];
	const w = window.innerWidth;
	if (document.documentElement.scrollWidth > w) {
		const wide = [...document.querySelectorAll("body *")].filter(el => el.getBoundingClientRect().right > w + 1 || (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible")).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
		bad.push("page " + document.documentElement.scrollWidth + " px wide in a " + w + " px window (" + wide.slice(-3).join(", ") + ")");
	}
	const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) { if (["auto", "scroll"].includes(getComputedStyle(p).overflowX)) return true; } return false; };
	for (const el of document.querySelectorAll("body *")) {
		const r = el.getBoundingClientRect();
		if (r.width > 0 && r.right > w + 1 && !scrolls(el)) { bad.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className : "") + " ends at " + Math.round(r.right) + " px"); break; }
	}
	const styled = document.querySelectorAll("[style]");
	if (styled.length) bad.push(styled.length + " elements with a style attribute, first " + styled[0].outerHTML.slice(0, 80));
	const nav = document.querySelector("header nav");
	if (nav) {
		const r = nav.getBoundingClientRect();
		if (r.right > w || nav.scrollWidth > nav.clientWidth + 1) bad.push("the navigation does not fit: " + Math.round(r.right) + " px, scroll " + nav.scrollWidth);
	}
	for (const i of document.querySelectorAll("main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea")) {
		if (i.getBoundingClientRect().width >= 500 && i.closest("form.login")) bad.push("#" + i.id + " is " + Math.round(i.getBoundingClientRect().width) + " px wide");
	}
	// contrast of text against its background (WCAG AA: 4.5, 3 for large text)
	const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
	const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
	const background = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0.9) return c; } return [255, 255, 255]; };
	for (const el of document.querySelectorAll("body *")) {
		if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
		const st = getComputedStyle(el);
		if (st.visibility === "hidden" || el.getBoundingClientRect().width === 0) continue;
		const a = lum(rgb(st.color)), b = lum(background(el));
		const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
		const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight) >= 700;
		if (ratio < (size >= 24 || (bold && size >= 18.66) ? 3 : 4.5)) { bad.push("contrast " + ratio.toFixed(2) + " of " + el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " «" + el.textContent.trim().slice(0, 30) + "»"); break; }
	}
	for (const img of document.querySelectorAll(".vc-post img")) {
		if (!img.complete || img.naturalWidth === 0) bad.push("image not shown: " + img.getAttribute("src"));
	}
	return bad.join("; ");
})()`

// The main pages at 1366x768 and on a phone (375x812), signed in as each
// role that reads them, over a crawled archive: an archivist decides a
// post of the review queue and exports the results of a search, as the
// office does; each page is shot (see screens) and its layout measured
// (layoutCheck).
func TestBrowserScreens(t *testing.T) {
	s := crawledSite(t)
	out := screens(t)
	look := func(ctx context.Context, name, path, ready string) {
		t.Helper()
		for _, size := range [][2]int64{{1366, 768}, {375, 812}} {
			file := fmt.Sprintf("%s-%dx%d.png", name, size[0], size[1])
			steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(size[0], size[1])}
			if path != "" {
				steps = append(steps, chromedp.Navigate(s.URL+path))
			}
			steps = append(steps, chromedp.WaitVisible(chromedp.CSS(ready)))
			if err := chromedp.Do(ctx, steps...); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			// (a card's images load lazily, when scrolled to: all at once
			// for the whole page's screenshot)
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll(".vc-post img")].every(i => { i.loading = "eager"; return i.complete; }) || null`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
				t.Fatalf("%s: the images did not load: %v", file, err)
			}
			problems, err := chromedp.Run(ctx, chromedp.Evaluate[string](layoutCheck))
			if err != nil {
				t.Fatal(err)
			}
			if problems != "" {
				t.Errorf("%s: %s", file, problems)
			}
			// what the window shows, and the whole page
			for shot, act := range map[string]chromedp.Action[[]byte]{file: chromedp.CaptureScreenshot(),
				strings.TrimSuffix(file, ".png") + "-completa.png": chromedp.FullScreenshot(100)} {
				png, err := chromedp.Run(ctx, act)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(out, shot), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}

	anon := browse(t)
	look(anon, "entrar", "/entrar", "#usuario")

	ctx := browse(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768), signIn(s, auth.Archivist)); err != nil {
		t.Fatal(err)
	}
	look(ctx, "revision", "/revision", "main h1")
	decided := text(t, ctx, "[role=status]",
		chromedp.Click(chromedp.CSS("input[name=etiqueta][value=personal]")),
		chromedp.SendKeys(chromedp.CSS("input[name=motivo]"), "felicitación familiar, sin relación con el cargo\n"),
		chromedp.WaitVisible(chromedp.CSS("[role=status]")))
	if decided == "" {
		t.Error("no confirmation of the person's decision")
	}
	look(ctx, "buscar", "/?text=Cananea&edited=true&from=", "article.hit")
	// Focus is visible: the keyboard's first Tab reaches the skip link,
	// shown on the page, and a focused field is outlined.
	err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768), chromedp.Navigate(s.URL+"/?text=Cananea&edited=true&from="), chromedp.WaitVisible(chromedp.CSS("article.hit")), chromedp.KeyEvent("\t"))
	var focus string
	if err == nil {
		focus, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const a = document.activeElement, r = a.getBoundingClientRect(), st = getComputedStyle(a);
			const first = a.className + " " + (r.left >= 0 && r.top >= 0 && r.width > 0) + " " + st.outlineStyle;
			const u = document.querySelector("#text"); u.focus();
			const o = getComputedStyle(u);
			return first + "; #text " + o.outlineStyle + " " + o.outlineWidth;
		})()`))
	}
	if err != nil || focus != "skip true solid; #text solid 3px" {
		t.Errorf("focus on the search page: %q %v", focus, err)
	}
	edited, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("article.hit a[href^='/publicaciones/']")?.getAttribute("href") || ""`))
	if err != nil || edited == "" {
		t.Fatalf("no post in the results: %q %v", edited, err)
	}
	look(ctx, "publicacion", edited, "#versiones")
	// Printed as evidence: the post, its versions and record, without the
	// navigation and the forms; a PDF beside the screenshots.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	printed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const shown = sel => { const e = document.querySelector(sel); return !!e && getComputedStyle(e).display !== "none" && e.getBoundingClientRect().height > 0; };
		return ["body > header", "main form", ".vc-post", ".vc-post img", "#versiones", "#eventos"].map(s => s + ":" + shown(s)).join(" ");
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if printed != "body > header:false main form:false .vc-post:true .vc-post img:true #versiones:true #eventos:true" {
		t.Errorf("the post page printed: %s", printed)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "publicacion-impresa.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "publicacion.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	look(ctx, "directorio", "/directorio", "main h1")
	// videos: their posters kept as evidence
	look(ctx, "buscar-videos", "/?network=youtube&from=", "article.hit .vc-media img")
	// From a search, "Exportar estos resultados" opens the access
	// request's form with the search's filters; its result shows the
	// report before the download.
	look(ctx, "buscar-eliminadas", "/?deleted=true&from=", "#exportar")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768), chromedp.Click(chromedp.CSS("#exportar")), chromedp.WaitVisible(chromedp.CSS("#folio"))); err != nil {
		t.Fatal(err)
	}
	look(ctx, "exportar", "", "#folio")
	if kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("input[name=deleted]").checked && !document.querySelector("input[name=edited]").checked`)); err != nil || !kept {
		t.Errorf("the export form does not carry the search's filter (deleted at source): %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768), chromedp.SendKeys(chromedp.CSS("#folio"), "140285726000888"),
		chromedp.Submit(chromedp.CSS("#folio")), chromedp.WaitVisible(chromedp.CSS("#resumen"))); err != nil {
		t.Fatal(err)
	}
	look(ctx, "exportado", "", "#resumen")
	// the answer is shown before the download, and is of the search
	order, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
		const s = document.querySelector("#resumen"), f = document.querySelector("iframe.respuesta"), d = document.querySelector("a[download]");
		const before = (a, b) => !!(a && b && (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
		const doc = f && f.contentDocument;
		if (!doc || doc.readyState !== "complete" || !doc.body) return null;
		return before(s, f) + " " + before(f, d) + " " + doc.body.innerText.includes("solo eliminadas en su origen");
	})()`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil || order != "true true true" {
		t.Errorf("the export's page: summary before answer, answer before download, answer of the search's filter: %q %v", order, err)
	}

	admin := browse(t)
	if err := chromedp.Do(admin, chromedp.EmulateViewport(1366, 768), signIn(s, auth.Admin)); err != nil {
		t.Fatal(err)
	}
	look(admin, "cuentas", "/directorio/archivo", "main h1")
	look(admin, "bitacora", "/bitacora", "main h1")
	look(admin, "usuarios", "/usuarios", "main h1")

	public := browse(t)
	if err := chromedp.Do(public, chromedp.EmulateViewport(1366, 768), signIn(s, auth.Public)); err != nil {
		t.Fatal(err)
	}
	look(public, "buscar-publico", "/?text=Cananea&from=", "#total")
	if err := chromedp.Do(public, chromedp.Click(chromedp.CSS("article.hit a.record")), chromedp.WaitVisible(chromedp.CSS("#versiones"))); err != nil {
		t.Fatal(err)
	}
	look(public, "publicacion-publica", "", "#versiones")
	if imgs, err := chromedp.Run(public, chromedp.Evaluate[int](`document.querySelectorAll("main img").length`)); err != nil || imgs != 0 {
		t.Errorf("the public post page shows %d images (%v)", imgs, err)
	}
	if !strings.HasPrefix(edited, "/publicaciones/mastodon/gobierno-gdl/") {
		t.Errorf("the edited post: %q", edited)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
