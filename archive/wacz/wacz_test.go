package wacz_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive/wacz"
	"github.com/vigia-mx/vigia/archive/wacz/wacztest"
	"github.com/vigia-mx/vigia/archive/warc"
)

var t0 = time.Date(2026, 3, 14, 15, 9, 26, 535000000, time.UTC)

// exchanges are what a crawl records, with URLs whose keys a reader must
// compute as warcio.js does: www., ports, upper case, unsorted queries.
func exchanges() []*warc.Exchange {
	type ex struct{ url, status, ctype, body string }
	list := []ex{
		{"https://social.example/api/v1/accounts/1/statuses?limit=40&exclude_replies=false", "200 OK", "application/json; charset=utf-8", `[{"id":"1","content":"<p>Bache en Av. Juárez</p>"}]`},
		{"https://www.Example.GOB.mx/Comunicados/feed.xml?b=2&a=1", "200 OK", "application/rss+xml", "<rss><channel><item><title>Obra</title></item></channel></rss>"},
		{"https://bsky.example:8443/xrpc/app.bsky.feed.getAuthorFeed?actor=did%3Aplc%3Aabc&limit=50", "200 OK", "application/json", `{"feed":[]}`},
		{"https://social.example/api/v1/statuses/404", "404 Not Found", "", "gone"},
		{"http://www2.t.example/s/canal", "200 OK", "text/html", "<html><body>canal</body></html>"},
	}
	var out []*warc.Exchange
	for i, e := range list {
		head := "HTTP/1.1 " + e.status + "\r\n"
		if e.ctype != "" {
			head += "Content-Type: " + e.ctype + "\r\n"
		}
		head += fmt.Sprintf("Content-Length: %d\r\n\r\n", len(e.body))
		out = append(out, &warc.Exchange{
			TargetURI: e.url,
			Date:      t0.Add(time.Duration(i) * time.Minute),
			IP:        "203.0.113.7",
			Request:   []byte("GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: vigia\r\n\r\n"),
			Response:  []byte(head),
			Body:      []byte(e.body),
		})
	}
	return out
}

// crawl writes the exchanges with a Writer that rotates after every
// exchange, and returns the directory and the refs.
func crawl(t *testing.T) (string, []warc.Ref) {
	dir := t.TempDir()
	w, err := warc.NewWriter(warc.Options{Dir: dir, MaxFileSize: 1, Software: "vigia test"})
	if err != nil {
		t.Fatal(err)
	}
	var refs []warc.Ref
	for _, ex := range exchanges() {
		ref, err := w.Write(ex)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, refs
}

func TestCDXJWrittenAsFilesClose(t *testing.T) {
	dir, refs := crawl(t)
	for _, ref := range refs {
		b, err := os.ReadFile(warc.CDXJPath(dir, ref.File))
		if err != nil {
			t.Fatalf("no index beside %s: %v", ref.File, err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		if len(lines) != 1 {
			t.Fatalf("%s.cdxj: %q, want the response's line only", ref.File, lines)
		}
		l, err := warc.ParseCDXJ(lines[0])
		if err != nil {
			t.Fatal(err)
		}
		if l.Offset != fmt.Sprint(ref.Offset) || l.Filename != ref.File || "sha256:"+l.Digest != ref.PayloadDigest {
			t.Errorf("%s: %s; the writer's ref is %+v", ref.File, lines[0], ref)
		}
	}
}

func TestWriteWACZ(t *testing.T) {
	dir, refs := crawl(t)
	var files []wacz.File
	var pages []wacz.Page
	for i, ref := range refs {
		files = append(files, wacz.File{Name: ref.File, Path: filepath.Join(dir, ref.File)})
		pages = append(pages, wacz.Page{RecordID: ref.RecordID, Title: fmt.Sprintf("Publicación %d «ñ»", i)})
	}
	pages = append(pages, wacz.Page{RecordID: "<urn:uuid:00000000-0000-0000-0000-000000000000>", Title: "no such record"})
	path := filepath.Join(t.TempDir(), "x.wacz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := wacz.Write(f, files, pages, wacz.Options{Title: "Evidencia", Software: "vigia test", Created: t0})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if len(sum.Skipped) != 1 || len(sum.Pages) != len(refs) {
		t.Errorf("pages %d, skipped %v", len(sum.Pages), sum.Skipped)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if d := f.Modified.Sub(t0); d < -2*time.Second || d > 2*time.Second {
			t.Errorf("%s: modified %s, want %s", f.Name, f.Modified, t0)
		}
	}
	zr.Close()
	c := wacztest.Check(t, path)
	if len(c.Index) != len(refs) || len(c.Pages) != len(refs) {
		t.Fatalf("%v, want %d of each", c, len(refs))
	}
	// Each page opens the response its ref names, and the index keys are
	// those warcio.js computes (checked by Independent below).
	for i, p := range c.Pages {
		if p.URL != exchanges()[i].TargetURI || !strings.HasPrefix(p.TS, "2026-03-14T15:") {
			t.Errorf("page %d: %+v", i, p)
		}
	}
	keys := map[string]bool{}
	for _, l := range c.Index {
		keys[l.Key] = true
	}
	for _, k := range []string{"mx,gob,example)/comunicados/feed.xml?a=1&b=2", "example,bsky:8443)/xrpc/app.bsky.feed.getauthorfeed?actor=did%3aplc%3aabc&limit=50", "example,t)/s/canal"} {
		if !keys[k] {
			t.Errorf("no key %s in %v", k, keys)
		}
	}
	t.Run("independent reader", func(t *testing.T) {
		if theirs := wacztest.Independent(t, path); len(theirs) != len(refs) {
			t.Errorf("warcio.js indexed %d records, want %d", len(theirs), len(refs))
		}
	})
}

func TestWriteRejects(t *testing.T) {
	dir, refs := crawl(t)
	for _, name := range []string{"../x.warc.gz", "A.warc.gz", "x.zip", ""} {
		_, err := wacz.Write(new(bytes.Buffer), []wacz.File{{Name: name, Path: filepath.Join(dir, refs[0].File)}}, nil, wacz.Options{})
		if !errors.Is(err, wacz.ErrBadName) {
			t.Errorf("name %q: %v", name, err)
		}
	}
	// A damaged file is refused rather than indexed wrongly.
	bad := filepath.Join(t.TempDir(), "bad.warc.gz")
	b, _ := os.ReadFile(filepath.Join(dir, refs[0].File))
	b = slices.Clone(b[:len(b)-20])
	if err := os.WriteFile(bad, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := wacz.Write(new(bytes.Buffer), []wacz.File{{Name: "bad.warc.gz", Path: bad}}, nil, wacz.Options{}); err == nil {
		t.Error("a truncated WARC file was put into a WACZ")
	}
}

func TestExtract(t *testing.T) {
	dir, refs := crawl(t)
	out := t.TempDir()
	want := []wacz.Ref{{refs[1].File, refs[1].RecordID}, {refs[3].File, refs[3].RecordID},
		{refs[3].File, "<urn:uuid:00000000-0000-0000-0000-000000000000>"}, {"../" + refs[0].File, refs[0].RecordID}, {"gone.warc.gz", "<urn:uuid:x>"}}
	files, missing, err := wacz.Extract(dir, want, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Name != refs[1].File || files[1].Name != refs[3].File {
		t.Fatalf("files %v", files)
	}
	if len(missing) != 3 {
		t.Errorf("missing %v, want the unknown record, the path and the file gone", missing)
	}
	var pages []wacz.Page
	for _, i := range []int{1, 3} {
		pages = append(pages, wacz.Page{RecordID: refs[i].RecordID})
	}
	path := filepath.Join(t.TempDir(), "e.wacz")
	f, _ := os.Create(path)
	if _, err := wacz.Write(f, files, pages, wacz.Options{Created: t0}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c := wacztest.Check(t, path)
	if len(c.Index) != 2 || len(c.Pages) != 2 {
		t.Errorf("%v, want the two responses", c)
	}
	// Each file holds its warcinfo, the request and the response, byte for
	// byte as in the crawl's file.
	for _, i := range []int{1, 3} {
		src, _ := os.ReadFile(filepath.Join(dir, refs[i].File))
		got, _ := os.ReadFile(filepath.Join(out, refs[i].File))
		if !bytes.Equal(src, got) {
			t.Errorf("%s: the extract of its only exchange differs from the file (%d bytes, %d)", refs[i].File, len(got), len(src))
		}
	}
	t.Run("independent reader", func(t *testing.T) { wacztest.Independent(t, path) })
}

// A page's HTML rendering is kept as a resource record of its own, at a
// URL under vigia.invalid, that names the record it was made from; the
// page opens it.
func TestRenderings(t *testing.T) {
	dir, refs := crawl(t)
	var files []wacz.File
	for _, ref := range refs[:3] {
		files = append(files, wacz.File{Name: ref.File, Path: filepath.Join(dir, ref.File)})
	}
	html := func(i int) []byte {
		return fmt.Appendf(nil, "<!doctype html><title>v%d</title><p>Publicación %d: bache en Av. Juárez &amp; 5 de Mayo</p>", i, i)
	}
	pages := []wacz.Page{
		{ID: "mastodon/gobierno-gdl/1/v1", RecordID: refs[0].RecordID, Title: "uno", HTML: html(0)},
		{ID: "mastodon/gobierno-gdl/1/v2", RecordID: refs[1].RecordID, Title: "dos", HTML: html(1)},
		{ID: "rss/boletín/x y/v1", URL: wacz.RenderingURL("rss", "boletín", "https://b.example/x y", "v1"), RecordID: refs[2].RecordID, Title: "tres", HTML: html(2)},
		{ID: "sin/evidencia/1/v1", RecordID: refs[4].RecordID, Title: "not in these files", HTML: html(4)},
		{RecordID: refs[2].RecordID, Title: "the capture itself"},
	}
	tmp := t.TempDir()
	path := filepath.Join(tmp, "r.wacz")
	f, _ := os.Create(path)
	sum, err := wacz.Write(f, files, pages, wacz.Options{Created: t0, TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if left, _ := os.ReadDir(tmp); len(left) != 1 {
		t.Errorf("Write left %v beside the WACZ", left)
	}
	if len(sum.Skipped) != 1 || sum.Skipped[0].Title != "not in these files" {
		t.Errorf("skipped %v", sum.Skipped)
	}
	c := wacztest.Check(t, path)
	if len(c.Pages) != 4 || len(c.Index) != 3+3 {
		t.Fatalf("%v, want 4 pages and 3 responses + 3 renderings indexed", c)
	}
	for i, p := range c.Pages[:3] {
		if p.TS != exchanges()[i].Date.Format(time.RFC3339Nano) {
			t.Errorf("page %d at %s: a rendering is dated as the capture it renders, %s", i, p.TS, exchanges()[i].Date)
		}
		want := wacz.RenderingURL(pages[i].ID)
		if pages[i].URL != "" {
			want = pages[i].URL
		}
		if p.URL != want || p.ID != pages[i].ID {
			t.Errorf("page %d: %+v, want it at %s", i, p, want)
		}
		var id string
		for _, l := range c.Index {
			if l.URL == want {
				if l.Mime != "text/html; charset=utf-8" || l.Filename != wacz.RenderingsFile {
					t.Errorf("rendering line %s", l)
				}
			}
		}
		for rid, h := range c.Headers {
			if slices.Contains(h, "WARC-Target-URI: "+want) {
				id = rid
			}
		}
		if c.Types[id] != "resource" || !bytes.Equal(c.Records[id], html(i)) ||
			!slices.Contains(c.Headers[id], "WARC-Concurrent-To: "+refs[i].RecordID) {
			t.Errorf("rendering of page %d: %s %q %q", i, c.Types[id], c.Records[id], c.Headers[id])
		}
	}
	if c.Pages[2].URL != "https://vigia.invalid/rss/bolet%C3%ADn/https:%2F%2Fb.example%2Fx%20y/v1" {
		t.Errorf("escaped URL %s", c.Pages[2].URL)
	}
	if c.Pages[3].URL != exchanges()[2].TargetURI {
		t.Errorf("a page without HTML opens the capture: %+v", c.Pages[3])
	}
	t.Run("independent reader", func(t *testing.T) { wacztest.Independent(t, path) })
}

func TestRenderingURL(t *testing.T) {
	for _, c := range []struct {
		parts []string
		want  string
	}{
		{[]string{"mastodon", "gobierno-gdl", "1139", "v2"}, "https://vigia.invalid/mastodon/gobierno-gdl/1139/v2"},
		{[]string{"rss", "boletin", "https://x.example/a?b=1#f", "v1"}, "https://vigia.invalid/rss/boletin/https:%2F%2Fx.example%2Fa%3Fb=1%23f/v1"},
		{[]string{"telegram", "canal", "..", "v1"}, "https://vigia.invalid/telegram/canal/%2E%2E/v1"},
		{[]string{"telegram", "canal", ".", "v1"}, "https://vigia.invalid/telegram/canal/%2E/v1"},
		{[]string{"bluesky", "a", "x y<script>", "v3"}, "https://vigia.invalid/bluesky/a/x%20y%3Cscript%3E/v3"},
		{[]string{"mastodon/gobierno-gdl/1/v2"}, "https://vigia.invalid/mastodon%2Fgobierno-gdl%2F1%2Fv2"},
	} {
		if got := wacz.RenderingURL(c.parts...); got != c.want {
			t.Errorf("RenderingURL(%q) = %s, want %s", c.parts, got, c.want)
		}
	}
}

// A revisit record is extracted with the response it refers to, found in
// another file, so that a replay of the revisit has its payload.
func TestExtractRevisit(t *testing.T) {
	dir := t.TempDir()
	write := func() warc.Ref {
		w, err := warc.NewWriter(warc.Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		ref, err := w.Write(exchanges()[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return ref
	}
	orig, again := write(), write()
	if orig.File == again.File {
		t.Fatalf("the second capture is not in another file: %+v, %+v", orig, again)
	}
	out := t.TempDir()
	files, missing, err := wacz.Extract(dir, []wacz.Ref{{again.File, again.RecordID}}, out)
	if err != nil || len(missing) > 0 || len(files) != 2 {
		t.Fatalf("files %v, missing %v, %v; want the revisit's file and the original's", files, missing, err)
	}
	path := filepath.Join(t.TempDir(), "v.wacz")
	f, _ := os.Create(path)
	if _, err := wacz.Write(f, files, []wacz.Page{{RecordID: again.RecordID}}, wacz.Options{Created: t0}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c := wacztest.Check(t, path)
	if c.Types[orig.RecordID] != "response" || c.Types[again.RecordID] != "revisit" {
		t.Errorf("records %v", c.Types)
	}
	t.Run("independent reader", func(t *testing.T) { wacztest.Independent(t, path) })
}
