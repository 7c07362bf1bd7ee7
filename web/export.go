package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/access/redact"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/internal/spanish"
)

// exportPage is the form of an access package; a search's "exportar estos
// resultados" opens it with the search's filters.
func (s *Server) exportPage(w http.ResponseWriter, r *http.Request) {
	s.renderExport(w, r, http.StatusOK, r.URL.Query(), nil)
}

// renderExport renders the export form with form's values, the accounts to
// pick from, and what more (an error) data holds.
func (s *Server) renderExport(w http.ResponseWriter, r *http.Request, code int, form url.Values, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	accts, err := s.exportAccounts(r)
	if err != nil {
		s.internal(w, r, false, err)
		return
	}
	data["Form"], data["Networks"], data["Accounts"] = form, archive.Networks, accts
	data["Today"] = s.cfg.Now().In(s.cfg.Location).Format("2006-01-02")
	w.WriteHeader(code)
	s.render(w, r, "export", data)
}

// exportAccount is an account of the export form's list.
type exportAccount struct{ ID, Label string }

// exportAccounts lists the accounts the archive recorded, by id, each
// named by whose it is (access.Owner).
func (s *Server) exportAccounts(r *http.Request) ([]exportAccount, error) {
	st, err := s.cfg.Open(r.Context(), false)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	accts, err := st.Accounts(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]exportAccount, len(accts))
	for i, a := range accts {
		out[i] = exportAccount{a.ID, a.ID + " — " + access.Owner(&a, a.ID, a.Network)}
	}
	slices.SortFunc(out, func(a, b exportAccount) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// masking is how a versión pública of the application masks: the
// directory's accounts and the configured public ones kept (plus extra,
// those an officer adds to one package), the policy's legal bases cited.
func (s *Server) masking(extra []string) access.Masking {
	return access.Masking{Public: slices.Concat(s.cfg.Public, extra), Networks: s.cfg.Networks, Texts: &s.cfg.Policy.Answer}
}

// exportRequest is what an export asks for, from the form or the API.
type exportRequest struct {
	Folio    string `json:"folio"`
	Received string `json:"received"` // YYYY-MM-DD
	Scope    string `json:"scope"`
	Redact   bool   `json:"redact"` // mask third-party personal data (versión pública)
	// Public are more handles of public bodies and figures whose mentions
	// this package keeps, beside the directory's and the configured ones:
	// a list separated by commas or lines.
	Public string `json:"public_accounts"`
	// AllowMissingEvidence delivers the package even when the evidence of
	// some posts cannot be copied; the report names them.
	AllowMissingEvidence bool `json:"allow_missing_evidence"`
	Filters              url.Values
}

// missingEvidence is the refusal to build a package without the evidence
// of some delivered posts, which the officer did not allow.
type missingEvidence struct{ *access.MissingEvidenceError }

func (e *missingEvidence) Error() string {
	return fmt.Sprintf("No se pudo copiar al paquete la evidencia de %d %s, y no se generó. Para entregarlo sin ella, marque "+
		"«Entregar aunque falte evidencia»: el informe nombrará esas publicaciones.", len(e.Posts), plural(len(e.Posts), "publicación", "publicaciones"))
}

// plural is one when n is 1, many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, false, http.StatusBadRequest, err.Error())
		return
	}
	req := exportRequest{Folio: r.PostForm.Get("folio"), Received: r.PostForm.Get("recibida"), Scope: r.PostForm.Get("alcance"),
		Redact: r.PostForm.Get("testar") != "", AllowMissingEvidence: r.PostForm.Get("sin_evidencia") != "", Public: r.PostForm.Get("publicas"),
		Filters: r.PostForm}
	pkg, ar, err := s.buildExport(r, req)
	var bad *badRequest
	var missing *missingEvidence
	switch {
	case errors.As(err, &bad):
		s.renderExport(w, r, http.StatusBadRequest, r.PostForm, map[string]any{"Error": bad.Error()})
	case errors.As(err, &missing):
		s.renderExport(w, r, http.StatusUnprocessableEntity, r.PostForm, map[string]any{"Error": "No se puede copiar al paquete la evidencia de " +
			spanish.Plural(len(missing.Posts), "publicación entregada", "publicaciones entregadas") +
			"; marque «Entregar aunque falte evidencia» para generarlo sin ella (el informe las nombrará):", "Missing": missing.Posts})
	case err != nil:
		s.internal(w, r, false, err)
	default:
		s.render(w, r, "exported", map[string]any{"Package": pkg, "Folio": req.Folio, "Download": "/exportar/descargas/" + filepath.Base(pkg.Zip),
			"Report": "/exportar/respuestas/" + filepath.Base(pkg.Dir), "Deadline": s.date(ar.Deadline), "Days": ar.DaysAllowed,
			"Received": s.date(ar.Received)})
	}
}

func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) {
	var body struct {
		exportRequest
		Filters map[string]string `json:"filters"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&body); err != nil {
		s.fail(w, r, true, http.StatusBadRequest, "se espera JSON {\"folio\", \"received\", \"scope\", \"redact\", \"filters\": {…}}")
		return
	}
	req := body.exportRequest
	req.Filters = url.Values{}
	for k, v := range body.Filters {
		req.Filters.Set(k, v)
	}
	pkg, _, err := s.buildExport(r, req)
	if missing := (*missingEvidence)(nil); errors.As(err, &missing) {
		msg := fmt.Sprintf("no se pudo copiar al paquete la evidencia de %d %s, y no se generó; para entregarlo sin ella, "+
			"envíe \"allow_missing_evidence\": true (el informe nombrará esas publicaciones)", len(missing.Posts), plural(len(missing.Posts), "publicación", "publicaciones"))
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": msg, "missing": missing.Posts})
		return
	}
	s.answer(w, r, http.StatusOK, err, func() any {
		return map[string]any{"folio": req.Folio, "delivered": pkg.Delivered, "excluded_personal": pkg.Excluded,
			"undetermined": pkg.Undetermined, "below_threshold": pkg.BelowThreshold, "redactions": len(pkg.Redactions), "evidence_records": pkg.EvidenceRecords,
			"missing": pkg.Missing, "withheld": pkg.Withheld, "files": pkg.Files,
			"download": "/exportar/descargas/" + filepath.Base(pkg.Zip)}
	})
}

// buildExport builds the package of req in the exports folder, and says
// what request it answers.
func (s *Server) buildExport(r *http.Request, req exportRequest) (*access.Package, access.Request, error) {
	var ar access.Request
	if s.cfg.ExportDir == "" {
		return nil, ar, errors.New("no exports folder configured")
	}
	q, err := parseQuery(req.Filters, s.cfg.Location, 0)
	if err != nil {
		return nil, ar, &badRequest{err}
	}
	var extra []string
	if strings.TrimSpace(req.Public) != "" {
		if extra, err = redact.LoadPublicOrList(strings.TrimSpace(req.Public)); err != nil {
			return nil, ar, &badRequest{errors.New("otras cuentas públicas: escriba cada una como usuario, @usuario, usuario.bsky.social o usuario@mastodon.social, separadas por comas")}
		}
	}
	received := s.cfg.Now()
	if strings.TrimSpace(req.Received) != "" {
		if received, err = time.ParseInLocation("2006-01-02", strings.TrimSpace(req.Received), s.cfg.Location); err != nil {
			return nil, ar, &badRequest{errors.New("fecha de recepción: se espera AAAA-MM-DD")}
		}
	}
	u := auth.UserFrom(r.Context())
	ar = access.Request{Folio: strings.TrimSpace(req.Folio), Received: received, Scope: strings.TrimSpace(req.Scope),
		Deadline: s.cfg.Calendar.Deadline(received), DaysAllowed: s.cfg.Calendar.Days(), Subject: s.cfg.Subject, PreparedBy: u.Name}
	st, err := s.cfg.Open(r.Context(), false)
	if err != nil {
		return nil, ar, err
	}
	defer st.Close()
	// an account nobody has would answer with an empty package that
	// looks valid
	var unknown *access.UnknownAccountError
	if err := access.CheckAccount(r.Context(), st, q.Account, nil); errors.As(err, &unknown) {
		return nil, ar, &badRequest{fmt.Errorf("cuenta: %s; elíjala de la lista", unknown.Error())}
	} else if err != nil {
		return nil, ar, err
	}
	opt := access.Options{WARCDir: s.cfg.WARCDir, Now: s.cfg.Now, AllowMissingEvidence: req.AllowMissingEvidence, Visibility: s.vis,
		Texts: &s.cfg.Policy.Answer}
	if req.Redact {
		if opt.Redact, err = access.RedactPublic(r.Context(), st, s.masking(extra)); err != nil {
			return nil, ar, err
		}
	}
	if err := os.MkdirAll(s.cfg.ExportDir, 0o700); err != nil {
		return nil, ar, err
	}
	// The folio goes verbatim into the report; the folder's name is made
	// safe of it (no '/', no leading '.'), and told apart from a package of
	// the same name made in the same second (folios "a/b" and "a-b").
	base := filepath.Join(s.cfg.ExportDir, access.SafeName(ar.Folio)+"-"+s.cfg.Now().UTC().Format("20060102T150405"))
	pkg, err := access.Answer(r.Context(), st, q, ar, base, opt)
	for n := 2; errors.Is(err, access.ErrExists) && n <= maxSameName; n++ {
		pkg, err = access.Answer(r.Context(), st, q, ar, base+"-"+strconv.Itoa(n), opt)
	}
	var missing *access.MissingEvidenceError
	switch {
	case errors.Is(err, access.ErrBadFolio):
		return nil, ar, &badRequest{errors.New("folio: escríbalo como lo asignó la unidad de transparencia, de 1 a 100 caracteres y sin caracteres de control")}
	case errors.Is(err, access.ErrExists):
		return nil, ar, &badRequest{errors.New("ya hay demasiados paquetes con ese folio en este segundo: intente de nuevo")}
	case errors.As(err, &missing):
		return nil, ar, &missingEvidence{missing}
	case err != nil:
		return nil, ar, err
	}
	if err := s.record(r, "export", ar.Folio, describeQuery(q), pkg.Delivered); err != nil {
		// an export nobody can find in the log is not left behind
		return nil, ar, errors.Join(err, os.RemoveAll(pkg.Dir), os.RemoveAll(pkg.Zip), os.Remove(pkg.Record))
	}
	return pkg, ar, nil
}

// report serves the answer (respuesta.html) of a package of the exports
// folder, for the page of the package to show it before it is downloaded:
// the document as the requester will read it, framed by that page only,
// its own styles allowed and nothing else (no script, no request out).
// The page's iframe sandboxes it (no scripts, no forms); a CSP sandbox
// here left the frame blank in Chromium (TestBrowserArchivist reads it).
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if name != filepath.Base(name) || strings.HasPrefix(name, ".") || name == "" {
		s.fail(w, r, false, http.StatusNotFound, "no existe ese paquete")
		return
	}
	data, err := os.ReadFile(filepath.Join(s.cfg.ExportDir, name, "respuesta.html"))
	if err != nil {
		s.fail(w, r, false, http.StatusNotFound, "no existe ese paquete")
		return
	}
	if err := s.record(r, "view_report", name, "", 1); err != nil {
		s.internal(w, r, false, err)
		return
	}
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(data)
}

// maxSameName is the most packages of one folder name made in one second.
const maxSameName = 100

func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if name != filepath.Base(name) || !strings.HasSuffix(name, ".zip") || strings.HasPrefix(name, ".") {
		s.fail(w, r, false, http.StatusNotFound, "no existe ese paquete")
		return
	}
	f, err := os.Open(filepath.Join(s.cfg.ExportDir, name))
	if err != nil {
		s.fail(w, r, false, http.StatusNotFound, "no existe ese paquete")
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		s.internal(w, r, false, err)
		return
	}
	if err := s.record(r, "download", name, "", 1); err != nil {
		s.internal(w, r, false, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	http.ServeContent(w, r, name, fi.ModTime(), f)
}
