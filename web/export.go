package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
)

func (s *Server) exportPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "export", map[string]any{"Form": r.URL.Query(), "Networks": archive.Networks,
		"Today": s.cfg.Now().In(s.cfg.Location).Format("2006-01-02")})
}

// exportRequest is what an export asks for, from the form or the API.
type exportRequest struct {
	Folio    string `json:"folio"`
	Received string `json:"received"` // YYYY-MM-DD
	Scope    string `json:"scope"`
	Redact   bool   `json:"redact"` // mask third-party personal data (versión pública)
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
		Redact: r.PostForm.Get("testar") != "", AllowMissingEvidence: r.PostForm.Get("sin_evidencia") != "", Filters: r.PostForm}
	pkg, err := s.buildExport(r, req)
	var bad *badRequest
	var missing *missingEvidence
	switch {
	case errors.As(err, &bad):
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, r, "export", map[string]any{"Form": r.PostForm, "Networks": archive.Networks, "Error": bad.Error()})
	case errors.As(err, &missing):
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, "export", map[string]any{"Form": r.PostForm, "Networks": archive.Networks, "Error": missing.Error(), "Missing": missing.Posts})
	case err != nil:
		s.internal(w, r, false, err)
	default:
		s.render(w, r, "exported", map[string]any{"Package": pkg, "Folio": req.Folio, "Download": "/exportar/descargas/" + filepath.Base(pkg.Zip)})
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
	pkg, err := s.buildExport(r, req)
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

// buildExport builds the package of req in the exports folder.
func (s *Server) buildExport(r *http.Request, req exportRequest) (*access.Package, error) {
	if s.cfg.ExportDir == "" {
		return nil, errors.New("no exports folder configured")
	}
	q, err := parseQuery(req.Filters, s.cfg.Location, 0)
	if err != nil {
		return nil, &badRequest{err}
	}
	received := s.cfg.Now()
	if strings.TrimSpace(req.Received) != "" {
		if received, err = time.ParseInLocation("2006-01-02", strings.TrimSpace(req.Received), s.cfg.Location); err != nil {
			return nil, &badRequest{errors.New("fecha de recepción: se espera AAAA-MM-DD")}
		}
	}
	u := auth.UserFrom(r.Context())
	ar := access.Request{Folio: strings.TrimSpace(req.Folio), Received: received, Scope: strings.TrimSpace(req.Scope),
		Deadline: s.cfg.Calendar.Deadline(received), DaysAllowed: s.cfg.Calendar.Days(), Subject: s.cfg.Subject, PreparedBy: u.Name}
	st, err := s.cfg.Open(r.Context(), false)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	opt := access.Options{WARCDir: s.cfg.WARCDir, Now: s.cfg.Now, AllowMissingEvidence: req.AllowMissingEvidence, Visibility: s.vis}
	if req.Redact {
		if opt.Redact, err = access.RedactPublic(r.Context(), st, s.cfg.Public); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(s.cfg.ExportDir, 0o700); err != nil {
		return nil, err
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
		return nil, &badRequest{errors.New("folio: escríbalo como lo asignó la unidad de transparencia, de 1 a 100 caracteres y sin caracteres de control")}
	case errors.Is(err, access.ErrExists):
		return nil, &badRequest{errors.New("ya hay demasiados paquetes con ese folio en este segundo: intente de nuevo")}
	case errors.As(err, &missing):
		return nil, &missingEvidence{missing}
	case err != nil:
		return nil, err
	}
	if err := s.record(r, "export", ar.Folio, describeQuery(q), pkg.Delivered); err != nil {
		// an export nobody can find in the log is not left behind
		return nil, errors.Join(err, os.RemoveAll(pkg.Dir), os.RemoveAll(pkg.Zip))
	}
	return pkg, nil
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
