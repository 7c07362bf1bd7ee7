package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"

	"github.com/vigia-mx/vigia/auth"
)

// An admin uses the directory's table in a real browser at 1366x768: the
// table fits the window with each date on one line, an account is added
// through the form, the office's spreadsheet is uploaded, reviewed and
// saved. Screenshots go to $VIGIA_SCREENSHOTS when it is set.
func TestBrowserDirectoryTable(t *testing.T) {
	s := newSite(t)
	ctx := browse(t)
	sheet := filepath.Join(t.TempDir(), "Directorio oficina.csv")
	latin1, err := charmap.Windows1252.NewEncoder().String(officeCSV)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sheet, []byte(latin1), 0o644); err != nil {
		t.Fatal(err)
	}
	table := text(t, ctx, "#cuentas",
		chromedp.EmulateViewport(1366, 768),
		signIn(s, auth.Admin),
		chromedp.Navigate(s.URL+"/directorio/archivo"),
		chromedp.WaitVisible(chromedp.CSS("#cuentas")))
	if !strings.Contains(table, "Ana Pérez, Regidora (nivel 1)") || !strings.Contains(table, "01/10/2024") || !strings.Contains(table, "Editar") {
		t.Errorf("the table of accounts: %q", table)
	}
	fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const box = document.querySelector('#cuentas').parentElement;
		if (box.scrollWidth > box.clientWidth || box.getBoundingClientRect().right > window.innerWidth) return false;
		const lh = parseFloat(getComputedStyle(document.body).lineHeight) || 24;
		return [...document.querySelectorAll('#cuentas td.nowrap')].every(td => {
			const r = document.createRange();
			r.selectNodeContents(td);
			return td.textContent.trim() === '' || r.getBoundingClientRect().height < 1.6 * lh;
		});
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !fits {
		dims, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({w: window.innerWidth, scroll: document.querySelector('#cuentas').parentElement.scrollWidth, box: document.querySelector('#cuentas').parentElement.clientWidth, cells: [...document.querySelectorAll('#cuentas td.nowrap')].map(td => { const r = document.createRange(); r.selectNodeContents(td); return r.getBoundingClientRect().height; })})`))
		t.Errorf("at 1366x768 the table overflows the window or a date wraps: %s", dims)
	}
	shot(t, ctx, "directorio-tabla.png")
	// On a phone the page does not widen: the table scrolls in its box.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	narrow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("main").scrollWidth <= window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if !narrow {
		t.Error("at 390 px wide the directory page is wider than the phone")
	}
	shot(t, ctx, "directorio-telefono.png")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}

	added := text(t, ctx, "[role=status]",
		chromedp.SendKeys(chromedp.CSS("#f-cuenta"), "avisos"),
		chromedp.SetValue(chromedp.CSS("#f-red"), "telegram"),
		chromedp.SendKeys(chromedp.CSS("#f-usuario"), "https://t.me/avisos_ejemplo"),
		chromedp.SendKeys(chromedp.CSS("#f-area"), "Atención Ciudadana"),
		chromedp.Submit(chromedp.CSS("#f-area")),
		chromedp.WaitVisible(chromedp.CSS("[role=status]")))
	if !strings.Contains(added, "Cuenta avisos agregada") || !strings.Contains(added, "3 cuentas") {
		t.Errorf("adding an account in the browser: %q", added)
	}

	review := text(t, ctx, "main",
		chromedp.SetUploadFiles(chromedp.CSS("#hoja"), []string{sheet}),
		chromedp.Submit(chromedp.CSS("#hoja")),
		chromedp.WaitVisible(chromedp.CSS("#hoja-titulo")))
	for _, want := range []string{"La hoja no tiene problemas: 3 cuentas", "t.me/comunicacion_ejemplo", "María Núñez"} {
		if !strings.Contains(review, want) {
			t.Errorf("the upload's review lacks %q:\n%s", want, review)
		}
	}
	shot(t, ctx, "directorio-hoja.png")
	saved := text(t, ctx, "[role=status]",
		chromedp.Click(chromedp.CSS("#hoja-titulo ~ form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("p.ok")))
	if !strings.Contains(saved, "Directorio guardado con 5 cuentas") {
		t.Errorf("saving the uploaded sheet: %q", saved)
	}
	retired := text(t, ctx, "p.ok",
		chromedp.Evaluate[chromedp.Void]("document.body.dataset.before = 'retire'"),
		chromedp.Click(chromedp.CSS("#cuentas details.retire summary")),
		chromedp.WaitVisible(chromedp.CSS("#cuentas details.retire[open] button")),
		chromedp.Click(chromedp.CSS("#cuentas details.retire[open] button")),
		chromedp.WaitVisible(chromedp.CSS("body:not([data-before]) p.ok")))
	if !strings.Contains(retired, "Cuenta gobierno retirada") {
		t.Errorf("retiring in the browser: %q", retired)
	}
	shot(t, ctx, "directorio-retirada.png")
	if d := loadDirectory(t, s); len(d.Accounts) != 5 {
		t.Errorf("the directory file holds %d accounts, want 5", len(d.Accounts))
	}
}

// shot saves a screenshot of the page in $VIGIA_SCREENSHOTS, if set (kept
// out of the repository).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("VIGIA_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
