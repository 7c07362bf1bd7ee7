package web

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/auth"
)

// safeBack keeps a path of this site and turns anything else into "/".
func TestSafeBack(t *testing.T) {
	for in, want := range map[string]string{
		"/":                                  "/",
		"/revision":                          "/revision",
		"/?text=agua&from=2026-01-01":        "/?text=agua&from=2026-01-01",
		"/publicaciones/mastodon/ana/201#v2": "/publicaciones/mastodon/ana/201#v2",
		"/b%C3%BAsqueda":                     "/b%C3%BAsqueda",
		"":                                   "/",
		"revision":                           "/",
		"//evil.example/x":                   "/",
		"/\\evil.example/x":                  "/",
		"/\t/evil.example/x":                 "/",
		"/%09/evil.example/x":                "/",
		"/\r\n/evil.example/x":               "/",
		"/%0d%0a/evil.example":               "/",
		"/%0A/evil.example":                  "/",
		"/%2F/evil.example":                  "/",
		"/%5C/evil.example":                  "/",
		"/x\\y":                              "/",
		"/x\x00y":                            "/",
		"/x\x7fy":                            "/",
		"/x\u0085y":                          "/",
		"https://evil.example/":              "/",
		"http:/evil.example":                 "/",
		"javascript:alert(1)":                "/",
		"\t//evil.example":                   "/",
		" /x":                                "/",
		"/%zz":                               "/",
		"///evil.example":                    "/",
	} {
		if got := safeBack(in); got != want {
			t.Errorf("safeBack(%q) = %q, want %q", in, got, want)
		}
	}
}

// The return address after a login is this site's, whatever the link to
// the login page said: the one the issue showed led browsers to
// //evil.example.
func TestLoginReturnsOnlyToThisSite(t *testing.T) {
	s := newSite(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(s.URL + "/entrar?volver=/%09/evil.example/x")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if m := regexp.MustCompile(`name="volver" value="([^"]*)"`).FindSubmatch(page); m == nil || string(m[1]) != "/" {
		t.Errorf("the login form returns to %q, want /", m)
	}
	resp, err = c.PostForm(s.URL+"/entrar", url.Values{"usuario": {"archivist-user"}, "contrasena": {password}, "volver": {"/\t/evil.example/x"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("after login: %d to %q, want / ", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// An admin's reads of the users and of the audit log are audited, page
// and API alike.
func TestAdminReadsAreAudited(t *testing.T) {
	s := newSite(t)
	c, _ := s.login(t, auth.Admin)
	for _, path := range []string{"/usuarios", "/bitacora?action=login"} {
		resp, err := c.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
	if code, body := s.get(t, auth.Admin, "/api/v1/users"); code != http.StatusOK || !strings.Contains(body, "archivist-user") {
		t.Fatalf("/api/v1/users: %d %s", code, body)
	}
	var got []string
	if _, err := s.app.cfg.Audit.Read(auth.AuditFilter{User: "admin-user"}, func(e auth.Entry) error {
		if strings.HasSuffix(e.Action, "_read") {
			got = append(got, e.Action+" "+e.Target)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := "users_read ,audit_read action=login,users_read "; strings.Join(got, ",") != want {
		t.Errorf("the admin's entries: %q, want %q", strings.Join(got, ","), want)
	}
}

// With the audit log unwritable, a login is refused (no session cookie)
// and a decision is not made: neither happens unrecorded.
func TestNothingHappensUnaudited(t *testing.T) {
	s := newSite(t)
	c, csrf := s.login(t, auth.Archivist)
	if err := s.app.cfg.Audit.Close(); err != nil {
		t.Fatal(err)
	}
	resp, err := c.PostForm(s.URL+"/publicaciones/mastodon/ana/202/decision",
		url.Values{"csrf": {csrf}, "etiqueta": {"personal"}, "motivo": {"es un comentario sobre un partido"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("a decision with the audit log closed: %d, want 500", resp.StatusCode)
	}
	if code, _ := s.do(t, auth.Archivist, http.MethodPost, "/api/v1/posts/mastodon/ana/202/decision", `{"label":"personal","reason":"un partido"}`); code != http.StatusInternalServerError {
		t.Errorf("a decision through the API with the audit log closed: %d, want 500", code)
	}
	st, err := s.app.cfg.Open(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := st.History(t.Context(), pending.Key())
	if err != nil {
		t.Fatal(err)
	}
	if h.Reviewed() {
		t.Errorf("a decision was made unaudited: %+v", h.Decisions)
	}
	if code, body := s.do(t, auth.Archivist, http.MethodPost, "/api/v1/exports", `{"folio":"F-9","filters":{"account":"ana"}}`); code != http.StatusInternalServerError {
		t.Errorf("an export with the audit log closed: %d %s, want 500", code, body)
	}
	if left, _ := os.ReadDir(s.app.cfg.ExportDir); len(left) != 0 {
		t.Errorf("an export that could not be audited left %d files behind", len(left))
	}

	jar, _ := cookiejar.New(nil)
	fresh := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = fresh.PostForm(s.URL+"/entrar", url.Values{"usuario": {"admin-user"}, "contrasena": {password}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "no se pudo registrar el acceso en la bitácora") {
		t.Errorf("a login with the audit log closed: %d %s", resp.StatusCode, body)
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("a session cookie was issued: %v", resp.Cookies())
	}
}
