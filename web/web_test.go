package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/crawler/bluesky"
	"github.com/vigia-mx/vigia/crawler/mastodon"
	"github.com/vigia-mx/vigia/crawler/rss"
	"github.com/vigia-mx/vigia/crawler/telegram"
	"github.com/vigia-mx/vigia/crawler/youtube"
	"github.com/vigia-mx/vigia/directory"
)

// secret is in the text and raw capture of the personal post, of the post
// awaiting review and of the model's guess (function below the publication
// threshold): no page or answer for a public user may hold it.
const secret = "SECRETO-PERSONAL"

const password = "una contraseña larga"

// auditKey signs the test site's audit log.
var auditKey = []byte("una clave de bitácora de 32 bytes o más")

// site is a running application over a real DuckDB archive.
type site struct {
	*httptest.Server
	app    *Server
	dir    string
	tokens map[auth.Role]string
	audit  string
	reg    *prometheus.Registry // of the application's metrics
	// directory is the directory file admins may replace.
	directory string
}

// validDirectory is a directory of the fixture's two accounts.
const validDirectory = `subject: Ayuntamiento de Ejemplo
accounts:
  - id: gobierno
    network: mastodon
    handle: "@gobierno@social.example"
    type: official
    area: Comunicación Social
  - id: ana
    network: mastodon
    handle: "@ana@social.example"
    type: personal
    area: Regiduría
    servant: {name: Ana Pérez, position: Regidora, level: 1}
    office: {from: 2024-10-01}
    registered_on: 2024-10-03
`

var (
	t0       = time.Date(2026, 10, 5, 16, 0, 0, 0, time.UTC)
	official = archivetest.Post("gobierno", "100", 1, "Arranca el programa de bacheo nocturno en la colonia Americana.", t0)
	public   = archivetest.Post("ana", "200", 1, "Hoy presenté el informe de la Comisión de Cultura en cabildo.", t0.Add(time.Hour))
	personal = archivetest.Post("ana", "201", 1, secret+": feliz cumpleaños a mi sobrina, escríbeme a ana.familia@example.com", t0.Add(2*time.Hour))
	pending  = archivetest.Post("ana", "202", 1, secret+" pendiente: qué buen partido el de anoche", t0.Add(3*time.Hour))
	// guess is decided function by the model at 0.74, below the default
	// policy's publication threshold (0.75): it waits for a person.
	guess = archivetest.Post("ana", "203", 1, secret+" adivinada: la comisión de cultura y mi fiesta de cumpleaños", t0.Add(30*time.Minute))
)

func newSite(t *testing.T) *site {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "vigia.duckdb")
	st, err := duckdb.Open(context.Background(), path, duckdb.WriterOptions())
	if err != nil {
		t.Fatal(err)
	}
	personal.Raw = []byte(`{"content":"` + personal.Text + `"}`)
	pending.Raw = []byte(`{"content":"` + pending.Text + `"}`)
	undetermined := archivetest.Decide(pending, archive.Undetermined, "model v1", t0)
	undetermined.Confidence = 0.5
	guess.Raw = []byte(`{"content":"` + guess.Text + `"}`)
	guessed := archivetest.Decide(guess, archive.Function, "model:es-1", t0)
	guessed.Confidence = 0.74
	b := &archive.Batch{
		Accounts: []archive.Account{
			{ID: "gobierno", Network: archive.Mastodon, Handle: "@gobierno@social.example", Type: "official", Area: "Comunicación Social", ServantLevel: -1, RecordedAt: t0},
			{ID: "ana", Network: archive.Mastodon, Handle: "@ana@social.example", Type: "personal", Area: "Regiduría", ServantName: "Ana Pérez", ServantLevel: 1, RecordedAt: t0},
		},
		Posts: []archive.Post{official, public, personal, pending, guess},
		Decisions: []archive.Decision{
			archivetest.Decide(official, archive.Function, "rule", t0),
			archivetest.Decide(public, archive.Function, "model v1", t0),
			archivetest.Decide(personal, archive.Personal, "model v1", t0),
			undetermined, guessed,
		},
	}
	if err := st.Append(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	st.Close()
	users, err := auth.OpenUsers(filepath.Join(dir, "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := &site{dir: dir, tokens: map[auth.Role]string{}, audit: filepath.Join(dir, "audit.jsonl"), reg: prometheus.NewRegistry(),
		directory: filepath.Join(dir, "directorio.yaml")}
	if err := os.WriteFile(s.directory, []byte(validDirectory), 0o644); err != nil {
		t.Fatal(err)
	}
	s.addRoleUsers(t, users)
	audit, err := auth.OpenAudit(s.audit, auditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { audit.Close() })
	s.app, err = New(Config{
		Open:      duckdbOpener(path),
		Now:       func() time.Time { return t0.Add(24 * time.Hour) }, // the fixture's posts are recent
		ExportDir: filepath.Join(dir, "exports"), DirectoryFile: s.directory, Networks: directory.Networks{mastodon.Network, bluesky.Network, telegram.Network, youtube.Network, rss.Network}, Users: users, Sessions: auth.NewSessions(users, auth.SessionOptions{}), Audit: audit,
		Metrics: NewMetrics(s.reg), Policy: renamedPolicy(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Server = httptest.NewServer(s.app)
	t.Cleanup(s.Close)
	return s
}

// get fetches path as role (no role: anonymous) with its API token.
func (s *site) get(t *testing.T, role auth.Role, path string) (int, string) {
	t.Helper()
	return s.do(t, role, http.MethodGet, path, "")
}

func (s *site) do(t *testing.T, role auth.Role, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[role])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// concrete fills a route's pattern with the given post.
func concrete(pattern string, p archive.Post) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	r := strings.NewReplacer("{network}", string(p.Network), "{account}", p.AccountID, "{id}", p.PostID,
		"{version}", "1", "{name}", "paquete.zip", "{$}", "")
	return method, r.Replace(path)
}

// Every route, for every role: who may not use it gets 401 (no
// credentials) or 403, and a public user never gets personal content from
// any of them, whatever post it is asked about.
func TestEveryRouteDeniesByDefault(t *testing.T) {
	s := newSite(t)
	if len(s.app.routes) < 20 {
		t.Fatalf("only %d routes registered", len(s.app.routes))
	}
	for _, rt := range s.app.routes {
		for _, p := range []archive.Post{personal, pending, guess, public} {
			method, path := concrete(rt.pattern, p)
			body := ""
			if method == http.MethodPost && strings.HasPrefix(path, "/api/") {
				body = `{"label":"function","reason":"prueba","folio":"F-1","filters":{}}`
			}
			roles := []auth.Role{""}
			for _, row := range auth.Roles {
				roles = append(roles, row.Role)
			}
			for _, role := range roles {
				code, got := s.do(t, role, method, path, body)
				var user *auth.User
				if role != "" {
					user = &auth.User{Name: "x", Role: role}
				}
				allowed := rt.need.allows(user)
				switch {
				case !allowed && role == "" && strings.HasPrefix(path, "/api/") && code != http.StatusUnauthorized:
					t.Errorf("%s %s anonymous: %d, want 401", method, path, code)
				case !allowed && role == "" && !strings.HasPrefix(path, "/api/") && code != http.StatusSeeOther && code != http.StatusUnauthorized:
					t.Errorf("%s %s anonymous: %d, want a redirect to /entrar", method, path, code)
				case !allowed && role != "" && code != http.StatusForbidden:
					t.Errorf("%s %s as %s: %d, want 403", method, path, role, code)
				case allowed && (code == http.StatusUnauthorized || code == http.StatusForbidden) && path != "/entrar": // (no password sent)
					t.Errorf("%s %s as %s: %d, want it allowed", method, path, role, code)
				}
				if role == auth.Public || role == "" {
					if strings.Contains(got, secret) || strings.Contains(got, "/ana/201") || strings.Contains(got, "/ana/202") || strings.Contains(got, "/ana/203") {
						t.Errorf("%s %s as %q: personal content in the answer", method, path, role)
					}
				}
			}
		}
	}
}

// Every route needs nothing (the login page, the style sheet) or a
// capability of auth.Capabilities, and what it allows agrees with the roles
// table row by row.
func TestRoutesNeedCapabilitiesOfTheTable(t *testing.T) {
	s := newSite(t)
	for _, rt := range s.app.routes {
		if rt.need == anyone {
			if !strings.HasPrefix(rt.pattern, "GET /static/") && !strings.HasSuffix(rt.pattern, " /entrar") {
				t.Errorf("%s needs nothing", rt.pattern)
			}
			continue
		}
		known := false
		for _, c := range auth.Capabilities {
			known = known || c.Capability == auth.Capability(rt.need)
		}
		if !known {
			t.Errorf("%s needs %q, not in auth.Capabilities", rt.pattern, rt.need)
		}
		if rt.need.allows(nil) {
			t.Errorf("%s allows a request without a user", rt.pattern)
		}
		for _, row := range auth.Roles {
			if got, want := rt.need.allows(&auth.User{Name: "x", Role: row.Role}), slices.Contains(row.Caps, auth.Capability(rt.need)); got != want {
				t.Errorf("%s as %s: allowed %v, the table says %v", rt.pattern, row.Role, got, want)
			}
		}
	}
}

// A public user asks for personal content every way the search offers and
// gets none of it, not even in counts by account or label.
func TestPublicUserGetsNoPersonalContent(t *testing.T) {
	s := newSite(t)
	for _, q := range []string{
		"", "label=personal", "label=undetermined", "label=function", "text=" + secret, "text=adivinada", "text=cumplea%C3%B1os", "account=ana",
		"account=ana&label=personal", "servant=ana", "area=Regidur%C3%ADa", "basis=Tercera", "limit=1000",
		"offset=1", "from=2026-10-01&to=2026-10-31",
	} {
		for _, path := range []string{"/api/v1/posts?", "/api/v1/facets?", "/?"} {
			code, body := s.get(t, auth.Public, path+q)
			if code != http.StatusOK {
				t.Errorf("%s%s: %d", path, q, code)
			}
			for _, leak := range []string{secret, `"post_id":"201"`, `"post_id":"202"`, `"post_id":"203"`, "ana/201", "ana/202", "ana/203", "adivinada", `"label":"personal"`,
				`"label":"undetermined"`, `"value":"personal"`, `"value":"undetermined"`} {
				// (The search page shows the text searched for in its form.)
				if strings.Contains(body, leak) && !(path == "/?" && strings.Contains(q, leak)) {
					t.Errorf("%s%s as public: answer holds %q", path, q, leak)
				}
			}
		}
		code, body := s.get(t, auth.Archivist, "/api/v1/posts?"+q)
		if code != http.StatusOK {
			t.Errorf("archivist %s: %d %s", q, code, body)
		}
	}
	// The same searches show the archivist the personal posts.
	if _, body := s.get(t, auth.Archivist, "/api/v1/posts?label=personal"); !strings.Contains(body, secret) {
		t.Errorf("archivist does not see the personal post: %s", body)
	}
	for _, path := range []string{"/api/v1/posts/mastodon/ana/201", "/publicaciones/mastodon/ana/201", "/publicaciones/mastodon/ana/201/captura/1", "/api/v1/posts/mastodon/ana/202",
		"/api/v1/posts/mastodon/ana/203", "/publicaciones/mastodon/ana/203"} {
		// (No raw capture is for the public role: 403 whatever the post.)
		want := http.StatusNotFound
		if strings.Contains(path, "/captura/") {
			want = http.StatusForbidden
		}
		if code, _ := s.get(t, auth.Public, path); code != want {
			t.Errorf("public %s: %d, want %d", path, code, want)
		}
		if code, body := s.get(t, auth.Archivist, path); code != http.StatusOK || !strings.Contains(body, secret) {
			t.Errorf("archivist %s: %d", path, code)
		}
	}
}

// GET /api/v1/posts is the contract scripts rely on: the search filters as
// parameters, {"total", "posts"} with the fields of search --format jsonl.
func TestAPIPostsContract(t *testing.T) {
	s := newSite(t)
	if code, body := s.get(t, "", "/api/v1/posts"); code != http.StatusUnauthorized || !strings.Contains(body, "error") {
		t.Errorf("no token: %d %s", code, body)
	}
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/posts", nil)
	req.Header.Set("Authorization", "Bearer vigia_notavalidtoken")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bad token: %v %v", resp.StatusCode, err)
	}
	code, body := s.get(t, auth.Archivist, "/api/v1/posts?account=ana&network=mastodon&from=2026-10-05&to=2026-10-05&limit=2&offset=1")
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	var got struct {
		Total int               `json:"total"`
		Posts []archive.HitJSON `json:"posts"`
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Total != 4 || len(got.Posts) != 2 || got.Posts[0].PostID != "201" || got.Posts[1].PostID != "200" {
		t.Errorf("total %d, posts %+v; want 4 posts of ana, the 2nd and 3rd newest", got.Total, got.Posts)
	}
	if p := got.Posts[0]; p.Label != "personal" || p.Basis != "Tercera" || p.Versions != 1 || p.PublishedAt == nil || p.URL != personal.URL {
		t.Errorf("post fields: %+v", p)
	}
	code, body = s.get(t, auth.Public, "/api/v1/accounts")
	var accts struct {
		Accounts []archive.HealthJSON `json:"accounts"`
	}
	dec = json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&accts); code != http.StatusOK || err != nil || len(accts.Accounts) != 2 || accts.Accounts[0].Status != "never crawled" {
		t.Errorf("accounts: %d %v %s", code, err, body)
	}
	for _, bad := range []string{"label=secreto", "from=ayer", "limit=-1", "network=myspace", "edited=quizá"} {
		if code, body := s.get(t, auth.Archivist, "/api/v1/posts?"+bad); code != http.StatusBadRequest || !strings.Contains(body, "error") {
			t.Errorf("%s: %d %s, want 400", bad, code, body)
		}
	}
}

// login signs in through the form and returns a client holding the session
// and the page's CSRF token.
func (s *site) login(t *testing.T, role auth.Role) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(s.URL+"/entrar", url.Values{"usuario": {string(role) + "-user"}, "contrasena": {password}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(b))
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("login as %s: %d, no CSRF token in %s", role, resp.StatusCode, b)
	}
	return c, m[1]
}

// A decision from the browser needs the session's CSRF token; with it, it
// is recorded as the person's and stands.
func TestDecisionNeedsCSRF(t *testing.T) {
	s := newSite(t)
	c, csrf := s.login(t, auth.Archivist)
	form := url.Values{"etiqueta": {"personal"}, "motivo": {"es un comentario sobre un partido"}}
	resp, err := c.PostForm(s.URL+"/publicaciones/mastodon/ana/202/decision", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("without CSRF token: %d, want 403", resp.StatusCode)
	}
	form.Set("csrf", csrf)
	resp, err = c.PostForm(s.URL+"/publicaciones/mastodon/ana/202/decision", form)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "Decisión registrada") {
		t.Fatalf("with CSRF token: %d %s", resp.StatusCode, b)
	}
	_, body := s.get(t, auth.Archivist, "/api/v1/posts/mastodon/ana/202")
	if !strings.Contains(body, `"decided_by":"person:archivist-user"`) || !strings.Contains(body, `"label":"personal"`) || !strings.Contains(body, `"basis":"Artículo 6"`) {
		t.Errorf("decision does not stand: %s", body)
	}
	if _, body := s.get(t, auth.Archivist, "/api/v1/review"); strings.Contains(body, `"202"`) {
		t.Errorf("decided post still in the review queue: %s", body)
	}
}

// An export through the API is a package that verifies with sha256sum and
// holds no personal content; the audit log records it with everything else.
func TestExportAndAudit(t *testing.T) {
	s := newSite(t)
	code, body := s.do(t, auth.Archivist, http.MethodPost, "/api/v1/exports",
		`{"folio":"140285726000123","received":"2026-11-02","scope":"publicaciones de la regidora","redact":true,"filters":{"account":"ana"}}`)
	if code != http.StatusOK {
		t.Fatalf("export: %d %s", code, body)
	}
	var got struct {
		Delivered, ExcludedPersonal, Undetermined int
		Download                                  string
	}
	if err := json.Unmarshal([]byte(strings.ReplaceAll(body, "excluded_personal", "excludedpersonal")), &got); err != nil {
		t.Fatal(err)
	}
	if got.Delivered != 1 || got.ExcludedPersonal != 1 || got.Undetermined != 1 {
		t.Errorf("delivered %d, excluded %d, undetermined %d; want 1 each: %s", got.Delivered, got.ExcludedPersonal, got.Undetermined, body)
	}
	dirs, _ := filepath.Glob(filepath.Join(s.dir, "exports", "140285726000123-*"))
	var folder string
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			folder = d
		}
	}
	if folder == "" {
		t.Fatalf("no package folder in %v", dirs)
	}
	cmd := exec.Command("sha256sum", "--strict", "-c", "MANIFIESTO.sha256")
	cmd.Dir = folder
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v\n%s", err, out)
	}
	files, _ := os.ReadDir(folder)
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(folder, f.Name()))
		if strings.Contains(string(b), secret) {
			t.Errorf("%s holds personal content", f.Name())
		}
	}
	if code, _ := s.get(t, auth.Archivist, got.Download); code != http.StatusOK {
		t.Errorf("download %s: %d", got.Download, code)
	}
	if code, _ := s.do(t, auth.Public, http.MethodPost, "/api/v1/exports", `{"folio":"F-2"}`); code != http.StatusForbidden {
		t.Errorf("public export: %d, want 403", code)
	}
	s.get(t, auth.Archivist, "/api/v1/posts/mastodon/ana/201")
	s.get(t, auth.Public, "/api/v1/posts?text=bacheo")

	code, log := s.get(t, auth.Admin, "/api/v1/audit")
	if code != http.StatusOK {
		t.Fatalf("audit: %d", code)
	}
	for _, want := range []string{
		`"user":"archivist-user","role":"archivist","action":"export","target":"140285726000123"`,
		`"user":"archivist-user","role":"archivist","action":"view_personal","target":"mastodon/ana/201"`,
		`"user":"public-user","role":"public","action":"search"`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
	if v, err := auth.VerifyChain(s.audit, auditKey, auth.Head{}); err != nil || v.Signed < 4 {
		t.Errorf("audit chain: %+v, %v", v, err)
	}
	if code, _ := s.get(t, auth.Archivist, "/api/v1/audit"); code != http.StatusForbidden {
		t.Errorf("archivist reads the audit log: %d, want 403", code)
	}
}

// The search page opens on the last 30 days, not on the whole archive;
// clearing the date searches everything.
func TestLandingOpensOnRecentPosts(t *testing.T) {
	s := newSite(t)
	c, _ := s.login(t, auth.Archivist)
	get := func(path string) string {
		resp, err := c.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if body := get("/"); !strings.Contains(body, "5 publicaciones") || !strings.Contains(body, "últimos 30 días") {
		t.Errorf("landing a day after the posts: %s", body)
	}
	s.app.cfg.Now = func() time.Time { return t0.AddDate(0, 0, 40) }
	if body := get("/"); !strings.Contains(body, `id="total" role="status">0 publicaciones`) || !strings.Contains(body, `value="2026-10-15"`) {
		t.Errorf("landing 40 days after the posts: %s", body)
	}
	if body := get("/?from="); !strings.Contains(body, "5 publicaciones") || strings.Contains(body, "últimos 30 días") {
		t.Errorf("with the date cleared: %s", body)
	}
}

// An admin replaces the directory from the browser: a directory with a
// problem is refused with its line, a sound one takes the file's place and
// the version it replaces is kept.
func TestAdminReplacesDirectory(t *testing.T) {
	s := newSite(t)
	c, csrf := s.login(t, auth.Admin)
	post := func(text string) (int, string) {
		resp, err := c.PostForm(s.URL+"/directorio/archivo", url.Values{"csrf": {csrf}, "directorio": {text}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	bad := strings.Replace(validDirectory, "level: 1", "level: 7", 1)
	code, body := post(bad)
	if code != http.StatusBadRequest || !strings.Contains(body, "No se guardó") || !strings.Contains(body, "<td>13</td>") {
		t.Errorf("a directory with a level of 7: %d\n%s", code, body)
	}
	if b, _ := os.ReadFile(s.directory); string(b) != validDirectory {
		t.Error("a refused directory changed the file")
	}
	better := strings.Replace(validDirectory, "Regidora", "Regidora presidenta de la Comisión de Cultura", 1)
	code, body = post(better)
	if code != http.StatusOK || !strings.Contains(body, "Directorio guardado con 2 cuentas") {
		t.Fatalf("a sound directory: %d\n%s", code, body)
	}
	if b, _ := os.ReadFile(s.directory); string(b) != better {
		t.Error("the directory file was not replaced")
	}
	kept, _ := filepath.Glob(s.directory + ".*")
	if len(kept) != 1 {
		t.Fatalf("previous versions kept: %v", kept)
	}
	if b, _ := os.ReadFile(kept[0]); string(b) != validDirectory {
		t.Error("the kept version is not the previous directory")
	}
	if _, log := s.get(t, auth.Admin, "/api/v1/audit?action=directory_update"); !strings.Contains(log, `"results":2`) {
		t.Errorf("no audit entry of the update: %s", log)
	}
}

// renamedPolicy is the embedded policy with other clause names, as an office
// would write another (vigia serve --policy): a person's decision takes its
// basis from it.
func renamedPolicy(t *testing.T) *classifier.Policy {
	t.Helper()
	data, err := os.ReadFile("../classifier/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer("Tercera", "Artículo 3", "Sexta", "Artículo 6", "Décima novena", "Artículo 19").Replace(string(data))
	pol, err := classifier.ParsePolicy("politica.yaml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

// addRoleUsers adds a user of each role (ROLE-user) to users, and keeps an
// API token of each in s.tokens.
func (s *site) addRoleUsers(t *testing.T, users *auth.Users) {
	t.Helper()
	for _, r := range []auth.Role{auth.Public, auth.Archivist, auth.Admin} {
		if err := users.Add(string(r)+"-user", r, []byte(password)); err != nil {
			t.Fatal(err)
		}
		tok, err := users.NewToken(string(r) + "-user")
		if err != nil {
			t.Fatal(err)
		}
		s.tokens[r] = tok
	}
}

// duckdbOpener opens the DuckDB archive at path as the web application
// asks: read-only, or as the writer.
func duckdbOpener(path string) func(context.Context, bool) (archive.Store, error) {
	return func(ctx context.Context, write bool) (archive.Store, error) {
		opts := duckdb.Options{ReadOnly: true}
		if write {
			opts = duckdb.WriterOptions()
		}
		return duckdb.Open(ctx, path, opts)
	}
}
