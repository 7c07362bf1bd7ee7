package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vigia-mx/vigia/access/calendar"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/directory"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the application needs.
type Config struct {
	// Open opens the archive for one request; the handler closes what it
	// gets. write asks for a store that accepts decisions.
	Open    func(ctx context.Context, write bool) (archive.Store, error)
	WARCDir string // the archive's WARC evidence, for the raw capture and exports
	// ExportDir is where access-request packages are built and kept.
	ExportDir string
	// DirectoryFile, when set, is the directory of accounts admins may
	// check and replace from the browser.
	DirectoryFile string
	// Networks are the networks such a directory may name (the wiring's
	// list, from the adapters).
	Networks directory.Networks
	Users    *auth.Users
	Sessions *auth.Sessions
	Audit    *auth.Audit
	Calendar *calendar.Calendar
	// Public lists handles whose mentions are not masked in a versión
	// pública, beside the directory's own accounts.
	Public   []string
	Subject  string         // the obligated body, for reports
	Location *time.Location // of the dates shown; default America/Mexico_City
	Logger   *slog.Logger
	Now      func() time.Time
	// Metrics, when not nil, count and time every request (NewMetrics).
	Metrics *Metrics
	// Policy is the policy in use (vigia serve --policy), whose clauses a
	// person's decision rests on; default the embedded one.
	Policy *classifier.Policy
}

// Server is the application.
type Server struct {
	cfg Config
	// vis is the policy's publication rule: what the public role reads
	// (a model's function decision only at or above the threshold), what
	// the review queue takes and what packages deliver.
	vis    archive.Visibility
	mux    *http.ServeMux
	pages  map[string]*template.Template
	routes []route // every route, for the tests that walk them all
	// handler is the mux, measured by Metrics.
	handler http.Handler
	// directoryMu orders the changes to the directory file (directory.go):
	// each reads the file, changes it and writes it whole.
	directoryMu sync.Mutex
}

// route is a registered pattern and what it needs.
type route struct {
	pattern string
	need    need
}

// need is what a route requires of the user: a capability of auth.Roles,
// or anyone (not signed in).
type need auth.Capability

const (
	anyone   need = ""                     // the login page and the style sheet
	signedIn      = need(auth.ReadPublic)  // any role, public included
	seesRaw       = need(auth.SeePersonal) // raw captures
	reviewer      = need(auth.Review)      // the review queue and decisions
	exporter      = need(auth.Export)      // access-request packages
	admin         = need(auth.Administer)  // users, the directory file and the audit log
)

func (n need) allows(u *auth.User) bool {
	if n == anyone {
		return true
	}
	return u != nil && auth.RoleOf(u).Can(auth.Capability(n))
}

// New returns the application with cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Open == nil || cfg.Users == nil || cfg.Sessions == nil || cfg.Audit == nil {
		return nil, errors.New("web: Open, Users, Sessions and Audit are required")
	}
	if cfg.Policy == nil {
		cfg.Policy = classifier.DefaultPolicy()
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation("America/Mexico_City")
		if err != nil {
			return nil, err
		}
		cfg.Location = loc
	}
	if cfg.Calendar == nil {
		cfg.Calendar = calendar.Default()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), vis: archive.Visibility{Threshold: cfg.Policy.PublishThreshold()}}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.register()
	s.handler = cfg.Metrics.instrument(s.mux)
	return s, nil
}

func (s *Server) register() {
	static, _ := fs.Sub(staticFS, "static")
	s.handle("GET /static/", anyone, http.StripPrefix("/static/", http.FileServerFS(static)).ServeHTTP)
	s.handle("GET /static/captura.css", anyone, s.captureCSS)
	s.handle("GET /entrar", anyone, s.loginPage)
	s.handle("POST /entrar", anyone, s.login)
	s.handle("POST /salir", signedIn, s.logout)

	s.handle("GET /{$}", signedIn, s.searchPage)
	s.handle("GET /publicaciones/{network}/{account}/{id}", signedIn, s.postPage)
	// A raw capture holds more than the post: the text of the post it
	// answers or quotes, which may be personal. The public role never gets one.
	s.handle("GET /publicaciones/{network}/{account}/{id}/captura/{version}", seesRaw, s.rawPage)
	// The images the crawler kept, from the WARC evidence, named by their
	// place in a version's media: like the raw capture, never for the
	// public role (an image cannot be masked as a text is).
	s.handle("GET /publicaciones/{network}/{account}/{id}/medios/{version}/{media}", seesRaw, s.mediaFile)
	s.handle("GET /directorio", signedIn, s.accountsPage)
	s.handle("GET /revision", reviewer, s.reviewPage)
	s.handle("POST /publicaciones/{network}/{account}/{id}/decision", reviewer, s.decide)
	s.handle("GET /exportar", exporter, s.exportPage)
	s.handle("POST /exportar", exporter, s.export)
	s.handle("GET /exportar/descargas/{name}", exporter, s.download)
	s.handle("GET /exportar/respuestas/{name}", exporter, s.report)
	s.handle("GET /usuarios", admin, s.usersPage)
	s.handle("POST /usuarios", admin, s.addUser)
	s.handle("GET /bitacora", admin, s.auditPage)
	s.handle("GET /directorio/archivo", admin, s.directoryFilePage)
	s.handle("POST /directorio/archivo", admin, s.replaceDirectory)
	s.handle("POST /directorio/cuentas", admin, s.saveAccount)
	s.handle("POST /directorio/cuentas/retirar", admin, s.retireAccount)
	s.handle("POST /directorio/importar", admin, s.uploadSpreadsheet)

	s.handle("GET /api/v1/posts", signedIn, s.apiPosts)
	s.handle("GET /api/v1/facets", signedIn, s.apiFacets)
	s.handle("GET /api/v1/posts/{network}/{account}/{id}", signedIn, s.apiPost)
	s.handle("GET /api/v1/accounts", signedIn, s.apiAccounts)
	s.handle("GET /api/v1/review", reviewer, s.apiReview)
	s.handle("POST /api/v1/posts/{network}/{account}/{id}/decision", reviewer, s.apiDecide)
	s.handle("POST /api/v1/exports", exporter, s.apiExport)
	s.handle("GET /api/v1/audit", admin, s.apiAudit)
	s.handle("GET /api/v1/users", admin, s.apiUsers)
}

// handle registers h behind authentication, CSRF protection of unsafe
// methods, and the check of n.
func (s *Server) handle(pattern string, n need, h http.HandlerFunc) {
	s.routes = append(s.routes, route{pattern, n})
	api := strings.Contains(pattern, "/api/")
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
		u, _, err := s.cfg.Sessions.Authenticate(r)
		if err != nil {
			s.fail(w, r, api, http.StatusUnauthorized, "credenciales no válidas")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := s.cfg.Sessions.CheckCSRF(r); err != nil {
				s.fail(w, r, api, http.StatusForbidden, "solicitud rechazada: falta o no coincide el token CSRF o el origen")
				return
			}
		}
		if !n.allows(u) {
			switch {
			case u == nil && api:
				w.Header().Set("WWW-Authenticate", `Bearer realm="vigia"`)
				s.fail(w, r, api, http.StatusUnauthorized, "se requiere un token (Authorization: Bearer TOKEN)")
			case u == nil:
				http.Redirect(w, r, "/entrar?volver="+templateURL(r.URL.RequestURI()), http.StatusSeeOther)
			default:
				s.fail(w, r, api, http.StatusForbidden, "su rol no permite esta operación")
			}
			return
		}
		h(w, r.WithContext(auth.WithUser(r.Context(), u)))
	})
}

// ServeHTTP serves the application.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// record writes an entry of the audit log for the request's user.
func (s *Server) record(r *http.Request, action, target, detail string, results int) error {
	u := auth.UserFrom(r.Context())
	e := auth.Entry{Action: action, Target: target, Detail: detail, Results: results, Remote: r.RemoteAddr}
	if u != nil {
		e.User, e.Role = u.Name, u.Role
	}
	if err := s.cfg.Audit.Record(e); err != nil {
		s.cfg.Logger.Error("audit log", "err", err)
		return fmt.Errorf("record in the audit log: %w", err)
	}
	return nil
}

// fail answers an error: JSON for the API, a page otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, api bool, code int, msg string) {
	if api {
		writeJSON(w, code, map[string]string{"error": msg})
		return
	}
	w.WriteHeader(code)
	s.render(w, r, "error", map[string]any{"Code": code, "Message": msg})
}

// internal answers an unexpected failure without its details, which go to
// the log.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, api bool, err error) {
	code, msg := http.StatusInternalServerError, "error interno; quedó en el registro del servidor"
	if errors.Is(err, archive.ErrLocked) {
		code, msg = http.StatusServiceUnavailable, "el archivo está ocupado por otro proceso de vigia; intente en unos segundos"
	}
	s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	s.fail(w, r, api, code, msg)
}

func templateURL(s string) string { return template.URLQueryEscaper(s) }
