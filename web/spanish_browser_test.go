package web

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigia-mx/vigia/auth"
)

// The command line the office runs beside the web application: built once
// from ../cmd/vigia, run as a person runs it, writing the same audit log.
var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

func vigiaCLI(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vigia-web-cli-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "vigia")
		if out, err := exec.Command("go", "build", "-o", cliPath, "../cmd/vigia").CombinedOutput(); err != nil {
			cliErr = &buildError{err, string(out)}
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "go build ../cmd/vigia: " + e.err.Error() + "\n" + e.out }

// cli runs the vigia binary on s's archive and audit log.
func (s *site) cli(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(vigiaCLI(t), args...)
	cmd.Env = append(os.Environ(), "VIGIA_AUDIT="+s.audit, "VIGIA_AUDIT_KEY="+hex.EncodeToString(auditKey), "USER=lucia", "LANG=es_MX.UTF-8")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("vigia %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
	}
	return string(out)
}

// What no page may show a person: the archive's codes (as written, so
// that "Mastodon" the name passes and "mastodon" the code does not) and
// English words (in any case). Each is matched as a whole word, a code's
// own punctuation included, in the visible text with its URLs and e-mail
// addresses left out (an address is not a word).
var (
	codes = []string{
		"first_seen", "edited", "deleted_at_source", "restored", "reparsed", "missing_from_export", "account_unreachable",
		"function", "undetermined", "official", "archivist", "admin", "officer", "public",
		"ok", "partial", "unreachable",
		"rule", "model", "person", "rule:", "model:", "person:", "politicas-2019-v1",
		"view_personal", "view_post", "view_raw", "review_queue", "audit_read", "users_read", "user_add", "login_failed",
		"decision_failed", "directory_upload", "directory_update", "view_report", "model_adopt", "archive_wacz",
		"export", "api", "provenance", "mastodon", "bluesky", "telegram", "youtube", "rss",
	}
	english = []string{
		"the", "of", "and", "or", "in", "to", "from", "by", "with", "at", "on", "is", "not", "for",
		"version", "versions", "seen", "post", "posts", "search", "review", "account", "accounts", "label",
		"status", "listed", "again", "missing", "listing", "covering", "onwards", "sweep", "answered", "found",
		"shows", "denied", "results", "user", "users", "role", "date", "expected", "invalid", "unknown", "capture",
		"page", "source", "deleted", "first", "every", "record", "records", "shown", "edited", "official", "public",
		"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
	}
)

var (
	urls     = regexp.MustCompile(`\b(?:https?://|at://|www\.)\S+|\S+@\S+\.\S+|\b(?:[\w-]+\.)+(?:page|com|org|net|mx|example|social)\b`)
	isoTime  = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)
	encoded  = regexp.MustCompile(`%[0-9A-F]{2}|\w+=\w+&\w+=`)
	codeW    = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_:-])(` + alternatives(codes) + `)(?:$|[^\p{L}\p{N}_-])`)
	englishW = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_:-])(` + alternatives(english) + `)(?:$|[^\p{L}\p{N}_-])`)
)

func alternatives(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(q, "|")
}

// checkSpanish fails on every code, English word, timestamp or URL-encoded
// query in a page's visible text.
func checkSpanish(t *testing.T, who, page, text string) {
	t.Helper()
	if strings.TrimSpace(text) == "" {
		t.Errorf("%s, %s: the page shows nothing", who, page)
		return
	}
	plain := urls.ReplaceAllString(text, " ")
	for _, line := range strings.Split(plain, "\n") {
		var found []string
		for _, re := range []*regexp.Regexp{codeW, englishW} {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				found = append(found, m[1])
			}
		}
		if m := isoTime.FindString(line); m != "" {
			found = append(found, m)
		}
		if m := encoded.FindString(line); m != "" {
			found = append(found, m)
		}
		if len(found) > 0 {
			t.Errorf("%s, %s: %q in %q", who, page, found, strings.TrimSpace(line))
		}
	}
}

// visible navigates to path and returns the page's visible text
// (document.body.innerText) once sel is shown.
func visible(t *testing.T, ctx context.Context, url, sel string, steps ...chromedp.Action[chromedp.Void]) string {
	t.Helper()
	steps = append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(url)}, steps...)
	steps = append(steps, chromedp.WaitVisible(chromedp.CSS(sel)))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return innerText(t, ctx)
}

func innerText(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.body.innerText"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// firstHit is the address of the first post of a search.
func firstHit(t *testing.T, ctx context.Context, s *site, query string) string {
	t.Helper()
	visible(t, ctx, s.URL+"/?"+query, "#total")
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("article.hit a") || {}).href || ""`))
	if err != nil || href == "" {
		t.Fatalf("no post found by /?%s: %v", query, err)
	}
	return href
}

// Every role signs in and reads every page it may reach in a real browser,
// over an archive built as an office builds it (the sample network
// crawled, a post edited, one deleted, one decided by a person from the
// command line and one from the review page, a package exported): no page
// shows an internal code, an English word, a timestamp or a URL-encoded
// query. The bitácora says in Spanish who did what and when, the command
// line's reads and decisions as well as the web's.
func TestBrowserEveryPageInSpanish(t *testing.T) {
	s := crawledSite(t)
	arc := filepath.Join(s.dir, "vigia.duckdb")
	users := s.app.cfg.Users
	for name, role := range map[string]auth.Role{"consulta": auth.Public, "lucia": auth.Archivist, "marta": auth.Admin} {
		if err := users.Add(name, role, []byte(password)); err != nil {
			t.Fatal(err)
		}
	}
	// A person decides from the command line, and reads the post then.
	var hit struct {
		PostID string `json:"post_id"`
	}
	out := s.cli(t, "search", "--format", "jsonl", "--archive", arc, "--account", "gobierno-gdl", "--text", "sesión ordinaria de Cabildo")
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &hit); err != nil || hit.PostID == "" {
		t.Fatalf("vigia search: %v %q", err, out)
	}
	cabildo := "gobierno-gdl/" + hit.PostID
	s.cli(t, "review", "decide", cabildo, "personal", "--reason", "Felicitación familiar", "--by", "lucia", "--archive", arc)
	s.cli(t, "show", "--archive", arc, cabildo)

	type visit struct{ name, path, sel string }
	common := []visit{
		{"búsqueda", "/", "#total"},
		{"búsqueda con resultados", "/?text=Guadalajara&from=2020-01-01", "article.hit"},
		{"búsqueda con fecha mal escrita", "/?from=2026-13-01", "main .error"},
		{"publicación que no existe", "/publicaciones/mastodon/nadie/1", "main .error"},
		{"directorio", "/directorio", "main table"},
	}
	pages := map[string][]visit{
		"consulta": common,
		"lucia": append(common,
			visit{"publicación decidida por una persona", "/publicaciones/mastodon/" + cabildo, "#eventos"},
			visit{"revisión", "/revision", "#total"},
			visit{"solicitud de acceso", "/exportar", "#folio"},
		),
		"marta": append(common,
			visit{"usuarios", "/usuarios", "main table"},
			visit{"archivo del directorio", "/directorio/archivo", "#cuentas"},
			visit{"bitácora con fecha mal escrita", "/bitacora?from=2026-13-01", "main .error"},
		),
	}
	texts := map[string]map[string]string{}
	for _, who := range []string{"consulta", "lucia", "marta"} {
		texts[who] = map[string]string{}
		ctx := browse(t)
		texts[who]["entrada"] = visible(t, ctx, s.URL+"/entrar", "#usuario", chromedp.EmulateViewport(1366, 768))
		if err := chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.CSS("#usuario"), who),
			chromedp.SendKeys(chromedp.CSS("#contrasena"), password+"\n"),
			chromedp.WaitVisible(chromedp.CSS("#total"))); err != nil {
			t.Fatalf("%s signs in: %v", who, err)
		}
		for _, v := range pages[who] {
			texts[who][v.name] = visible(t, ctx, s.URL+v.path, v.sel)
		}
		// The posts with a history: an edited one and one deleted at its
		// source.
		for name, query := range map[string]string{"publicación editada": "account=gobierno-gdl&edited=true&from=2020-01-01", "publicación eliminada": "deleted=true&from=2020-01-01"} {
			texts[who][name] = visible(t, ctx, firstHit(t, ctx, s, query), "#eventos")
		}
		if who == "lucia" {
			// a decision from the review page, then a package exported
			texts[who]["decisión registrada"] = visible(t, ctx, s.URL+"/revision", "[role=status]",
				chromedp.WaitVisible(chromedp.CSS("input[name=etiqueta][value=function]")),
				chromedp.Click(chromedp.CSS("input[name=etiqueta][value=function]")),
				chromedp.SendKeys(chromedp.CSS("input[name=motivo]"), "aviso de obra pública\n"))
			texts[who]["paquete exportado"] = visible(t, ctx, s.URL+"/exportar", "#resumen",
				chromedp.WaitVisible(chromedp.CSS("#folio")),
				chromedp.SendKeys(chromedp.CSS("#folio"), "UT/0042/2026"),
				chromedp.SetValue(chromedp.CSS("#account"), "gobierno-gdl"),
				chromedp.Submit(chromedp.CSS("#folio")))
			// the answer framed in that page, as the requester reads it
			answer, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
				const d = document.querySelector("iframe.respuesta").contentDocument;
				return d && d.readyState === "complete" && d.body ? d.body.innerText : null;
			})()`, chromedp.WithPollingTimeout(30*time.Second)))
			if err != nil {
				t.Fatalf("read the framed answer: %v", err)
			}
			texts[who]["respuesta del paquete"] = answer
		}
		if who == "consulta" {
			texts[who]["página que su rol no permite"] = visible(t, ctx, s.URL+"/revision", "main .error")
		}
		if who == "marta" {
			texts[who]["cuenta con problemas"] = visible(t, ctx, s.URL+"/directorio/archivo", "#formulario .error",
				chromedp.WaitVisible(chromedp.CSS("#f-cuenta")),
				chromedp.SendKeys(chromedp.CSS("#f-cuenta"), "Cuenta Nueva"),
				chromedp.SendKeys(chromedp.CSS("#f-usuario"), "@@mal"),
				chromedp.SendKeys(chromedp.CSS("#f-area"), "Obras Públicas"),
				chromedp.SetValue(chromedp.CSS("#f-tipo"), "personal"),
				chromedp.Submit(chromedp.CSS("#f-cuenta")))
			texts[who]["usuario repetido"] = visible(t, ctx, s.URL+"/usuarios", "main .error",
				chromedp.WaitVisible(chromedp.CSS("#nuevo")),
				chromedp.SendKeys(chromedp.CSS("#nuevo"), "lucia"),
				chromedp.SendKeys(chromedp.CSS("#clave"), password),
				chromedp.Submit(chromedp.CSS("#nuevo")))
			texts[who]["bitácora"] = visible(t, ctx, s.URL+"/bitacora", "#registros")
			texts[who]["bitácora de búsquedas"] = visible(t, ctx, s.URL+"/bitacora?action=search", "#registros")
		}
		shot(t, ctx, "espanol-"+who+".png")
		for name, text := range texts[who] {
			checkSpanish(t, who, name, text)
		}
	}

	// What the pages say, in Spanish.
	post := texts["lucia"]["publicación decidida por una persona"]
	for _, want := range []string{"lucia (persona)", "Felicitación familiar", "vista por primera vez", "versión 1 vista en"} {
		if !strings.Contains(post, want) {
			t.Errorf("the post page lacks %q:\n%s", want, post)
		}
	}
	if ed := texts["lucia"]["publicación editada"]; !strings.Contains(ed, "editada") || !strings.Contains(ed, "2 versiones") {
		t.Errorf("the edited post's page:\n%s", ed)
	}
	if del := texts["lucia"]["publicación eliminada"]; !strings.Contains(del, "eliminada en su origen") || !strings.Contains(del, "ausente del listado de la cuenta desde") {
		t.Errorf("the deleted post's page:\n%s", del)
	}
	if e := texts["consulta"]["búsqueda con fecha mal escrita"]; !strings.Contains(e, "Publicadas desde: la fecha «2026-13-01» no es válida; escríbala como aaaa-mm-dd") {
		t.Errorf("a bad date:\n%s", e)
	}
	for _, want := range []string{"no es un usuario de Mastodon; se espera @usuario@instancia.social"} {
		if p := texts["marta"]["cuenta con problemas"]; !strings.Contains(p, want) {
			t.Errorf("the account form's problems lack %q:\n%s", want, p)
		}
	}
	if u := texts["marta"]["usuario repetido"]; !strings.Contains(u, "ya existe un usuario con ese nombre") {
		t.Errorf("a user added twice:\n%s", u)
	}
	audit := texts["marta"]["bitácora"]
	for _, want := range []string{
		"lucia (archivista)", "marta (administración)", "consulta (consulta pública)",
		"línea de órdenes (usuario del sistema", "decidió la clasificación de una publicación", "la clasificó como personal: «Felicitación familiar»",
		"consultó una publicación personal o por revisar", "buscó", "abrió la cola de revisión", "generó un paquete de acceso", "folio UT/0042/2026",
		"texto: «Guadalajara»; publicadas desde: 1 de enero de 2020", "entró a la aplicación",
	} {
		if !strings.Contains(audit, want) {
			t.Errorf("the bitácora lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("bitácora:\n%s", audit)
	}
}
