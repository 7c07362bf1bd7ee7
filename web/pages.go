package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/internal/spanish"
)

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "login", map[string]any{"Back": safeBack(r.URL.Query().Get("volver"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	name, password := r.PostFormValue("usuario"), r.PostFormValue("contrasena")
	back := safeBack(r.PostFormValue("volver"))
	u, err := s.cfg.Users.Login(name, []byte(password))
	if err != nil {
		if aerr := s.cfg.Audit.Record(auth.Entry{User: name, Action: "login_failed", Remote: r.RemoteAddr, Detail: err.Error()}); aerr != nil {
			s.cfg.Logger.Error("audit log", "err", aerr)
		}
		msg := "usuario o contraseña incorrectos"
		switch {
		case errors.Is(err, auth.ErrThrottled):
			msg = "demasiados intentos fallidos: espere 15 minutos"
		case errors.Is(err, auth.ErrDisabled):
			msg = "la cuenta está desactivada"
		}
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, r, "login", map[string]any{"Back": back, "Error": msg, "Name": name})
		return
	}
	// A login that cannot be audited is refused: no session starts.
	if err := s.cfg.Audit.Record(auth.Entry{User: u.Name, Role: u.Role, Action: "login", Remote: r.RemoteAddr}); err != nil {
		s.cfg.Logger.Error("audit log: login refused", "user", u.Name, "err", err)
		s.fail(w, r, false, http.StatusServiceUnavailable, "no se pudo registrar el acceso en la bitácora, así que no se inició la sesión; avise al administrador")
		return
	}
	if _, err := s.cfg.Sessions.Start(w, u); err != nil {
		s.internal(w, r, false, err)
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// safeBack keeps a return address only when it is a path of this site: it
// parses as a URL with no scheme, host or user, begins with one "/" (not
// "//" nor "/\\"), and holds no backslash and no control character (tab,
// CR, LF…, which browsers drop, turning "/\t/evil.example" into
// "//evil.example"), as sent or once percent-decoded. Anything else
// returns to "/".
func safeBack(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	decoded, err := url.PathUnescape(s)
	if err != nil {
		return "/"
	}
	for _, v := range []string{s, decoded} {
		if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.ContainsRune(v, '\\') ||
			strings.ContainsFunc(v, unicode.IsControl) {
			return "/"
		}
	}
	return s
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.cfg.Sessions.End(w, r)
	http.Redirect(w, r, "/entrar", http.StatusSeeOther)
}

// landingDays is the period the search page opens on: the latest posts,
// not the whole archive, whose facets cost seconds on a large one.
const landingDays = 30

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	recent := r.URL.RawQuery == ""
	if recent {
		v := url.Values{"from": {s.cfg.Now().In(s.cfg.Location).AddDate(0, 0, -landingDays).Format("2006-01-02")}}
		r.URL.RawQuery = v.Encode()
	}
	q, res, facets, code, err := s.search(r, 50, true)
	if err != nil {
		if code == http.StatusBadRequest {
			w.WriteHeader(code)
			s.render(w, r, "search", map[string]any{"Form": r.URL.Query(), "Error": err.Error()})
			return
		}
		s.internal(w, r, false, err)
		return
	}
	names, err := s.accountNames(r.Context())
	if err != nil {
		s.internal(w, r, false, err)
		return
	}
	s.render(w, r, "search", map[string]any{
		"Form": r.URL.Query(), "Query": q, "Result": res, "Facets": facets, "Recent": recent, "RecentDays": landingDays, "Names": names,
		"Networks": archive.Networks, "Pages": pages(r.URL.Query(), q, res.Total), "ExportURL": exportURL(r.URL.Query()),
	})
}

// exportURL opens the form of an access package with a search's filters:
// all but its label (a package delivers what is public information among
// every post found, and counts the rest) and its page.
func exportURL(v url.Values) string {
	w := url.Values{}
	for k, vs := range v {
		switch k {
		case "label", "limit", "offset":
		default:
			w[k] = vs
		}
	}
	if len(w) == 0 {
		return "/exportar"
	}
	return "/exportar?" + w.Encode()
}

// page is a link of the pager.
type page struct {
	Label   string
	URL     string
	Current bool
}

// pages is the pager of a search: previous, next, and where the page is.
func pages(v url.Values, q archive.Query, total int) []page {
	var out []page
	link := func(label string, offset int, current bool) {
		w := url.Values{}
		for k, vs := range v {
			w[k] = vs
		}
		w.Set("offset", itoa(offset))
		out = append(out, page{label, "/?" + w.Encode(), current})
	}
	if q.Offset > 0 {
		link("« Anterior", max(0, q.Offset-q.Limit), false)
	}
	if q.Offset+q.Limit < total {
		link("Siguiente »", q.Offset+q.Limit, false)
	}
	return out
}

// pagePost reads the post of the path for a page, or answers why not.
func (s *Server) pagePost(w http.ResponseWriter, r *http.Request) (*post, bool) {
	p, err := s.loadPost(r)
	switch {
	case errors.Is(err, errNotFound):
		s.fail(w, r, false, http.StatusNotFound, err.Error())
	case err != nil:
		s.internal(w, r, false, err)
	}
	return p, err == nil
}

func (s *Server) postPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.pagePost(w, r)
	if !ok {
		return
	}
	c, err := s.captureView(r, p)
	if err != nil {
		s.internal(w, r, false, err)
		return
	}
	s.render(w, r, "post", map[string]any{"Post": p, "Versions": versionsView(p), "Capture": c})
}

func (s *Server) rawPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.pagePost(w, r)
	if !ok {
		return
	}
	v, ok := version(r, p.History)
	if !ok {
		s.fail(w, r, false, http.StatusNotFound, "no existe esa versión")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", "inline")
	w.Header().Set("X-Vigia-Content-SHA256", v.ContentSHA256)
	w.Header().Set("X-Vigia-WARC-Digest", v.WARC.Digest)
	_, _ = w.Write(v.Raw)
}

func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request) {
	health, accts, err := s.directory(r)
	if err != nil {
		s.internal(w, r, false, err)
		return
	}
	s.render(w, r, "accounts", map[string]any{"Health": health, "Accounts": accts})
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) {
	q, res, _, code, err := s.reviewQueue(r)
	if err != nil {
		if code == http.StatusBadRequest {
			s.fail(w, r, false, code, err.Error())
			return
		}
		s.internal(w, r, false, err)
		return
	}
	names, err := s.accountNames(r.Context())
	if err != nil {
		s.internal(w, r, false, err)
		return
	}
	s.render(w, r, "review", map[string]any{"Query": q, "Result": res, "Done": r.URL.Query().Get("hecho"), "Names": names})
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request) {
	_, err := s.decision(r, r.PostFormValue("etiqueta"), r.PostFormValue("motivo"))
	var bad *badRequest
	switch {
	case errors.Is(err, errNotFound):
		s.fail(w, r, false, http.StatusNotFound, err.Error())
	case errors.As(err, &bad):
		s.fail(w, r, false, http.StatusBadRequest, "decisión no registrada: "+decisionErrorES(r.PostFormValue("etiqueta"), r.PostFormValue("motivo"), bad))
	case err != nil:
		s.internal(w, r, false, err)
	default:
		http.Redirect(w, r, "/revision?hecho="+url.QueryEscape(r.PathValue("account")+"/"+r.PathValue("id")), http.StatusSeeOther)
	}
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	users, err := s.cfg.Users.List()
	if err == nil {
		err = s.record(r, "users_read", "", "", len(users))
	}
	if err != nil {
		s.internal(w, r, false, err)
		return
	}
	s.render(w, r, "users", map[string]any{"Users": users, "Roles": auth.Roles, "Done": r.URL.Query().Get("hecho")})
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("usuario"))
	role, err := auth.ParseRole(r.PostFormValue("rol"))
	if err == nil {
		err = s.cfg.Users.Add(name, role, []byte(r.PostFormValue("contrasena")))
	}
	if err != nil {
		s.fail(w, r, false, http.StatusBadRequest, "no se agregó el usuario: "+userErrorES(err))
		return
	}
	if err := s.record(r, "user_add", name, string(role), 1); err != nil {
		s.internal(w, r, false, err)
		return
	}
	http.Redirect(w, r, "/usuarios?hecho="+url.QueryEscape(name), http.StatusSeeOther)
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	entries, damage, err := s.auditEntries(r)
	var bad *badRequest
	switch {
	case errors.As(err, &bad):
		s.fail(w, r, false, http.StatusBadRequest, bad.Error())
		return
	case err != nil:
		s.internal(w, r, false, err)
		return
	}
	if err := s.record(r, "audit_read", r.URL.RawQuery, "", len(entries)); err != nil {
		s.internal(w, r, false, err)
		return
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRowOf(e, s.cfg.Location)
	}
	data := map[string]any{"Entries": rows, "Form": r.URL.Query(), "Actions": actions}
	if damage.Count > 0 {
		data["Damaged"], data["DamagedAt"] = damage.Count, damagePlaces(damage)
	}
	s.render(w, r, "audit", data)
}

// damagePlaces names the damaged lines of the audit log as FILE:LINE, the
// first 20 of them.
func damagePlaces(d auth.Damage) string {
	var places []string
	for _, e := range d.Lines[:min(len(d.Lines), 20)] {
		places = append(places, filepath.Base(e.Path)+":"+strconv.Itoa(e.Line))
	}
	if d.Count > len(places) {
		places = append(places, "…")
	}
	return strings.Join(places, ", ")
}

// render executes the page's template with the layout's data.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data map[string]any) {
	su, sess := s.cfg.Sessions.User(r)
	u := auth.UserFrom(r.Context())
	if u == nil {
		u = su
	}
	data["User"] = u
	data["Role"] = auth.RoleOf(u)
	if sess != nil {
		data["CSRF"] = sess.CSRF()
	}
	data["Path"] = r.URL.Path
	data["Office"] = s.cfg.Subject
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.pages[name].ExecuteTemplate(w, "layout", data); err != nil {
		s.cfg.Logger.Error("render", "page", name, "err", err)
	}
}

// parseTemplates reads each page with the layout.
func (s *Server) parseTemplates() error {
	funcs := template.FuncMap{
		"date":     s.date,
		"datetime": s.datetime,
		"pct":      func(f float64) string { return itoa(int(f*100+0.5)) + " %" },
		"labelES":  labelES,
		"network":  networkES,
		"role":     roleES,
		"event":    func(k archive.EventKind) string { return spanish.Event(k) },
		"decider":  spanish.Decider,
		"acctType": spanish.AccountType,
		"status":   func(st archive.CrawlStatus) string { return spanish.CrawlStatus(st) },
		"evidence": s.evidenceWords,
		"plural":   spanish.Plural,
		"postLine": spanish.PostLine,
		"media":    spanish.Media,
		"field":    problemFieldES,
		"keyPath":  keyPath,
		"postPath": func(h archive.Hit) string { return "/publicaciones/" + keyPath(h.Key()) },
		"facetURL": facetURL,
		"card":     s.card,
		"short":    s.shortDateTime,
		"add":      func(a, b int) int { return a + b },
	}
	s.pages = map[string]*template.Template{}
	for _, name := range []string{"login", "search", "post", "accounts", "review", "export", "exported", "users", "audit", "directory", "error"} {
		files := []string{"templates/layout.html", "templates/" + name + ".html", "templates/shared.html"}
		if name == "post" {
			files = append(files, "templates/capture.html") // the rendering of the capture (capture.go)
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, files...)
		if err != nil {
			return err
		}
		s.pages[name] = t
	}
	return nil
}
