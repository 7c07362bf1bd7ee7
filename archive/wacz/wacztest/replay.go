package wacztest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Replay is a WACZ opened in ReplayWeb.page, in a headless chromium.
type Replay struct {
	t      testing.TB
	ctx    context.Context
	prefix string // the replay's URL up to the collection: …/w/COLL/
}

// OpenReplay serves ReplayWeb.page's web application (ReplayWebPage) and
// the WACZ at path from a local server, opens it in chromium at the page
// url captured at ts (14 digits) as an archivist would
// (?source=…#view=replay&url=…&ts=…), and waits until ReplayWeb.page shows
// it in its replay frame. It skips t without npm or chromium, unless
// VIGIA_REQUIRE_NPM or VIGIA_REQUIRE_BROWSER is set.
func OpenReplay(t testing.TB, path, pageURL, ts string) *Replay {
	t.Helper()
	app := ReplayWebPage(t)
	browser := Chromium(t)
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(app)))
	mux.HandleFunc("/evidencia.wacz", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, path) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel)
	u := srv.URL + "/?source=" + url.QueryEscape(srv.URL+"/evidencia.wacz") +
		"#view=replay&url=" + url.QueryEscape(pageURL) + "&ts=" + ts
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatal(err)
	}
	// ReplayWeb.page loads the WACZ in its service worker, then shows the
	// page in a frame at …/w/COLL/TSmp_/URL.
	want := ts + "mp_/" + pageURL
	var frames []string
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		res, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (page.GetFrameTreeResult, error) {
			return cdp.Call(ctx, tg, page.GetFrameTree, cdp.Empty{})
		})
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
		walk(res.FrameTree)
		for _, fu := range frames {
			if i := strings.Index(fu, want); i >= 0 {
				return &Replay{t: t, ctx: ctx, prefix: fu[:i]}
			}
		}
	}
	t.Fatalf("ReplayWeb.page shows no frame of %s at %s; frames %q", pageURL, ts, frames)
	return nil
}

// Fetch returns what ReplayWeb.page's service worker serves for the
// capture of u at ts (14 digits): the replay, as the frame receives it.
func (r *Replay) Fetch(u, ts string) string {
	r.t.Helper()
	src := r.prefix + ts + "mp_/" + u
	txt, err := chromedp.Run(r.ctx, chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(r => r.text())`, src), chromedp.EvalAwaitPromise))
	if err != nil {
		r.t.Fatalf("fetch %s in ReplayWeb.page: %v", src, err)
	}
	return txt
}

// FetchSHA256 returns the SHA-256, in hex, of the bytes ReplayWeb.page's
// service worker serves for the capture of u at ts (14 digits).
func (r *Replay) FetchSHA256(u, ts string) string {
	r.t.Helper()
	src := r.prefix + ts + "mp_/" + u
	js := fmt.Sprintf(`fetch(%q).then(r => r.arrayBuffer()).then(b => crypto.subtle.digest("SHA-256", b))
		.then(h => Array.from(new Uint8Array(h)).map(x => x.toString(16).padStart(2, "0")).join(""))`, src)
	sum, err := chromedp.Run(r.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		r.t.Fatalf("fetch %s in ReplayWeb.page: %v", src, err)
	}
	return sum
}
