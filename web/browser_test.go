package web

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigia-mx/vigia/auth"
)

// chromium finds the headless browser: Debian's chromium, which
// scripts/test installs. Without it the browser tests are skipped, unless
// VIGIA_REQUIRE_BROWSER is set (as in CI), where that fails.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("VIGIA_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("VIGIA_REQUIRE_BROWSER") != "" {
		t.Fatal("VIGIA_REQUIRE_BROWSER is set but no chromium was found: scripts/test --install installs Debian's chromium")
	}
	t.Skip("no chromium (scripts/test --install installs it)")
	return ""
}

// browse opens a fresh headless browser (its own profile: no shared
// cookies) for one user.
func browse(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// The first Run starts the browser; a timeout there would bound its life.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// signIn logs in through the form, with the keyboard.
func signIn(s *site, role auth.Role) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#usuario")),
		chromedp.SendKeys(chromedp.CSS("#usuario"), string(role)+"-user"),
		chromedp.SendKeys(chromedp.CSS("#contrasena"), password+"\n"),
		chromedp.WaitVisible(chromedp.CSS("#total")),
	)
}

// text runs steps, then reads the visible text of sel.
func text(t *testing.T, ctx context.Context, sel string, steps ...chromedp.Action[chromedp.Void]) string {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// An archivist logs in, searches, opens a post, decides one awaiting
// review and builds an access-request package, all in a real browser.
func TestBrowserArchivist(t *testing.T) {
	s := newSite(t)
	ctx := browse(t)
	total := text(t, ctx, "#total",
		signIn(s, auth.Archivist),
		// The landing page lists posts too: mark it, to wait for the
		// results' page, which is not marked.
		chromedp.Evaluate[chromedp.Void]("document.body.dataset.before = 'search'"),
		chromedp.SendKeys(chromedp.CSS("#text"), "bacheo\n"),
		chromedp.WaitVisible(chromedp.CSS("body:not([data-before]) article.hit a")))
	post := text(t, ctx, "main",
		chromedp.Click(chromedp.CSS("article.hit a")),
		chromedp.WaitVisible(chromedp.CSS("#versiones")))
	done := text(t, ctx, "[role=status]",
		chromedp.Navigate(s.URL+"/revision"),
		chromedp.WaitVisible(chromedp.CSS("input[name=etiqueta][value=personal]")),
		chromedp.Click(chromedp.CSS("input[name=etiqueta][value=personal]")),
		chromedp.SendKeys(chromedp.CSS("input[name=motivo]"), "comentario sobre un partido de futbol\n"),
		chromedp.WaitVisible(chromedp.CSS("[role=status]")))
	summary := text(t, ctx, "#resumen",
		chromedp.Navigate(s.URL+"/exportar"),
		chromedp.WaitVisible(chromedp.CSS("#folio")),
		chromedp.SendKeys(chromedp.CSS("#folio"), "140285726000777"),
		chromedp.SendKeys(chromedp.CSS("#account"), "ana"),
		chromedp.Submit(chromedp.CSS("#folio")),
		chromedp.WaitVisible(chromedp.CSS("#resumen")))
	body := text(t, ctx, "main")
	// the answer, as the requester will read it, shown in the page before
	// the download: framed by the application's own page, its styles on
	// (the frame's document has the page's origin, but runs no script:
	// sandbox without allow-scripts, and its own CSP)
	answer, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
		const d = document.querySelector("iframe.respuesta").contentDocument;
		return d && d.readyState === "complete" && d.body ? d.body.innerText : null;
	})()`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("read the framed answer: %v", err)
	}
	for _, want := range []string{"Respuesta a la solicitud de acceso a la información", "140285726000777", "Recurso de revisión", "Atentamente"} {
		if !strings.Contains(answer, want) {
			t.Errorf("the framed answer lacks %q:\n%s", want, answer)
		}
	}
	if !strings.HasPrefix(total, "1 publicación.") {
		t.Errorf("search for bacheo: %q", total)
	}
	if !strings.Contains(post, "Versión 1") || !strings.Contains(post, "programa de bacheo nocturno") {
		t.Errorf("post page: %q", post)
	}
	// (the queue's first post: the model's function below the threshold)
	if !strings.Contains(done, "ana/203") {
		t.Errorf("review: %q", done)
	}
	if !strings.Contains(summary, "Se entrega 1 publicación;") || !strings.Contains(summary, "se excluyeron 2 de contenido personal") {
		t.Errorf("export: %q", summary)
	}
	if !strings.Contains(body, "Descargar el paquete") {
		t.Errorf("export page has no download: %q", body)
	}
}

// A public user sees the public information and no personal post, neither
// in the search nor at the personal post's address.
func TestBrowserPublicSeesNoPersonalPost(t *testing.T) {
	s := newSite(t)
	ctx := browse(t)
	all := text(t, ctx, "main", signIn(s, auth.Public))
	nav := text(t, ctx, "header")
	asked := text(t, ctx, "main", chromedp.Navigate(s.URL+"/?label=personal&account=ana"), chromedp.WaitVisible(chromedp.CSS("#total")))
	direct := text(t, ctx, "main", chromedp.Navigate(s.URL+"/publicaciones/mastodon/ana/201"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if !strings.Contains(all, "2 publicaciones") || !strings.Contains(all, "informe de la Comisión de Cultura") {
		t.Errorf("public search: %q", all)
	}
	for _, page := range []string{all, asked, direct} {
		if strings.Contains(page, secret) {
			t.Errorf("a public user sees personal content: %q", page)
		}
	}
	if !strings.Contains(asked, "0 publicaciones") || !strings.Contains(direct, "404") {
		t.Errorf("asked for personal posts: %q; at its address: %q", asked, direct)
	}
	if strings.Contains(nav, "Revisión") || strings.Contains(nav, "Solicitudes") {
		t.Errorf("a public user is offered review or exports: %q", nav)
	}
}
