package wacz_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive/wacz"
	"github.com/vigia-mx/vigia/archive/wacz/wacztest"
)

// ReplayWeb.page itself, from npm, in a headless chromium, opens a WACZ
// this package writes and replays a page's rendering at its vigia.invalid
// URL, and the capture it was made from at the capture's own URL.
func TestReplayWebPage(t *testing.T) {
	dir, refs := crawl(t)
	files := []wacz.File{{Name: refs[0].File, Path: filepath.Join(dir, refs[0].File)}}
	pages := []wacz.Page{{ID: "rss/boletin/https://b.example/1?x=1/v2", RecordID: refs[0].RecordID, Title: "uno",
		URL:  wacz.RenderingURL("rss", "boletin", "https://b.example/1?x=1 ñ", "v2"),
		HTML: []byte("<!doctype html><title>Versión 2</title><p id=texto>Bache en Av. Juárez, atendido</p>")}}
	path := filepath.Join(t.TempDir(), "r.wacz")
	f, _ := os.Create(path)
	sum, err := wacz.Write(f, files, pages, wacz.Options{Created: t0, Title: "prueba"})
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	ts := strings.NewReplacer("-", "", ":", "", "T", "").Replace(sum.Pages[0].TS)[:14]
	r := wacztest.OpenReplay(t, path, sum.Pages[0].URL, ts)
	if got := r.Fetch(sum.Pages[0].URL, ts); got != string(pages[0].HTML) {
		t.Errorf("ReplayWeb.page replays the rendering as %q", got)
	}
	for _, l := range sum.Index {
		if l.URL == exchanges()[0].TargetURI {
			if got := r.Fetch(l.URL, l.Timestamp); got != string(exchanges()[0].Body) {
				t.Errorf("ReplayWeb.page replays the capture %s as %q", l.URL, got)
			}
			return
		}
	}
	t.Errorf("the capture is not in the index: %v", sum.Index)
}
