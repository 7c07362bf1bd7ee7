package wacz_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/vigia-mx/vigia/archive/wacz"
	"github.com/vigia-mx/vigia/archive/wacz/wacztest"
)

// ReplayWeb.page itself, from npm, in a headless chromium, opens a WACZ
// this package writes and replays a page's rendering at its vigia.invalid
// URL, and the capture it was made from.
func TestReplayWebPage(t *testing.T) {
	app := wacztest.ReplayWebPage(t)
	browser := wacztest.Chromium(t)
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

	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(app)))
	mux.HandleFunc("/evidencia.wacz", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, path) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	ts := strings.NewReplacer("-", "", ":", "", "T", "").Replace(sum.Pages[0].TS)[:14]
	u := srv.URL + "/?source=" + url.QueryEscape(srv.URL+"/evidencia.wacz") +
		"#view=replay&url=" + url.QueryEscape(sum.Pages[0].URL) + "&ts=" + ts
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatal(err)
	}
	var frames []string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(time.Second) {
		res, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (page.GetFrameTreeResult, error) {
			return cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		})
		tree := res.FrameTree
		if err != nil {
			t.Fatal(err)
		}
		frames = frames[:0]
		var walk func(*page.FrameTree)
		walk = func(ft *page.FrameTree) {
			frames = append(frames, ft.Frame.URL)
			for _, c := range ft.ChildFrames {
				walk(c)
			}
		}
		walk(tree)
		for _, fu := range frames {
			i := strings.Index(fu, ts+"mp_/https://vigia.invalid/")
			if i < 0 {
				continue
			}
			// The replay frame is the service worker's: fetch what it
			// serves there, and at the capture's own URL and time.
			fetch := func(u string) string {
				txt, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(r => r.text())`, u), chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("fetch %s in the replay: %v", u, err)
				}
				return txt
			}
			if got := fetch(fu); got != string(pages[0].HTML) {
				t.Errorf("ReplayWeb.page replays the rendering at %s as %q", fu, got)
			}
			capture := ""
			for _, l := range sum.Index {
				if l.URL == exchanges()[0].TargetURI {
					capture = fu[:i] + l.Timestamp + "mp_/" + l.URL
				}
			}
			if got := fetch(capture); got != string(exchanges()[0].Body) {
				t.Errorf("ReplayWeb.page replays the capture at %s as %q", capture, got)
			}
			return
		}
	}
	t.Fatalf("no replay frame of the rendering; frames %q", frames)
}
