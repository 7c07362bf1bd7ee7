package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/internal/durable"
	"github.com/vigia-mx/vigia/internal/spanish"
)

// maxDirectoryBytes bounds a directory sent from the browser.
const maxDirectoryBytes = 4 << 20

// The directory page gives admins the directory file as a table of
// accounts to add, edit and retire (never remove), an upload of the
// office's spreadsheet (CSV or .xlsx) shown with what was read another way
// and its problems before anything is saved, and the YAML itself for what
// the table does not hold. Every change goes through the directory's
// checks, replaces the file only when it has no problem, keeps the version
// it replaces beside it (FILE.YYYYMMDDThhmmss), and is audited.

// accountRow is an account as the table shows it.
type accountRow struct {
	directory.Row
	NetworkLabel, TypeLabel, Servant string
	FromText, ToText, RegisteredText string
	Retired                          bool // its registration ended (hasta) on or before today
}

func networkLabel(n string) string { return spanish.Network(archive.Network(n)) }

// rowsOf returns the table of d's accounts.
func (s *Server) rowsOf(d *directory.Directory) []accountRow {
	today := s.cfg.Now().In(d.Location).Format("2006-01-02")
	var rows []accountRow
	for i := range d.Accounts {
		a := &d.Accounts[i]
		r := accountRow{Row: directory.RowOf(a), NetworkLabel: networkLabel(string(a.Network)), TypeLabel: "oficial"}
		if a.Type == directory.Personal {
			r.TypeLabel = "personal"
		}
		if sv := a.Servant; sv != nil {
			r.Servant = sv.Name
			if sv.Position != "" {
				r.Servant += ", " + sv.Position
			}
			if sv.Level >= 0 {
				r.Servant += fmt.Sprintf(" (nivel %d)", sv.Level)
			}
		}
		r.FromText, r.ToText, r.RegisteredText = dayMonthYear(r.From), dayMonthYear(r.To), dayMonthYear(r.RegisteredOn)
		r.Retired = r.To != "" && r.To <= today
		rows = append(rows, r)
	}
	return rows
}

// dayMonthYear writes YYYY-MM-DD as Mexico reads a date, dd/mm/aaaa.
func dayMonthYear(iso string) string {
	if len(iso) != 10 {
		return iso
	}
	return iso[8:10] + "/" + iso[5:7] + "/" + iso[0:4]
}

// directoryView is the page's data for the directory file data.
func (s *Server) directoryView(data []byte) map[string]any {
	view := map[string]any{
		"File": s.cfg.DirectoryFile, "Text": string(data), "Columns": directory.ColumnsHelp(),
		"Networks": s.networkChoices(), "Form": directory.Row{Type: directory.Official}, "Levels": levels,
	}
	d, err := directory.Parse(s.cfg.DirectoryFile, data, s.cfg.Networks)
	var verr *directory.ValidationError
	switch {
	case errors.As(err, &verr):
		view["Problems"] = verr.Problems
	case err != nil:
		view["Error"] = err.Error()
	default:
		view["Accounts"] = len(d.Accounts)
		view["Subject"] = d.Subject
		view["Rows"] = s.rowsOf(d)
		view["Today"] = s.cfg.Now().In(d.Location).Format("2006-01-02")
	}
	return view
}

// levels are the choices of a servant's level (policy Quinta).
var levels = []string{"0: titular del sujeto obligado", "1: primer nivel debajo del titular", "2", "3", "4"}

type networkChoice struct{ Name, Label, Example string }

func (s *Server) networkChoices() []networkChoice {
	var out []networkChoice
	for _, n := range s.cfg.Networks {
		out = append(out, networkChoice{string(n.Name), networkLabel(string(n.Name)), n.Example})
	}
	return out
}

// noteView is what an import read another way than written, in Spanish.
type noteView struct {
	Where, Field, Written, Read string
	Message                     string // for the whole file: what was done
}

// longDate writes YYYY-MM-DD in words, "1 de octubre de 2024", so that a
// date read day first can be checked at a glance.
func longDate(iso string) string {
	d, err := directory.ParseDate(iso)
	if err != nil {
		return iso
	}
	return spanish.Date(d.Start(time.UTC), time.UTC)
}

func notesES(notes []directory.Note) []noteView {
	var out []noteView
	for _, n := range notes {
		v := noteView{Where: n.Cell, Field: n.Field, Written: n.Written, Read: n.Read}
		if v.Where == "" && n.Line > 0 {
			v.Where = fmt.Sprintf("línea %d", n.Line)
		}
		switch n.Kind {
		case directory.ReadDayMonthYear:
			v.Read = longDate(n.Read) + " (día/mes/año)"
		case directory.ReadDateOnly:
			v.Read = longDate(n.Read) + " (sin la hora)"
		case directory.ReadWindows1252:
			v.Message = "El archivo no está en UTF-8: se leyó como Windows-1252 (Latin-1), como Excel guarda «CSV (delimitado por comas)». Revise los acentos."
		case directory.ReadUTF16:
			v.Message = "Se leyó como UTF-16 («Texto Unicode» de Excel)."
		case directory.SkippedRows:
			v.Message = fmt.Sprintf("Se omitieron %s arriba de la fila de encabezados.", countES(n.N, "la fila", "las %d filas"))
		case directory.OtherSheets:
			v.Message = fmt.Sprintf("Se leyó la primera hoja, «%s»; %s del libro no se leyó.", n.Read, countES(n.N, "la otra hoja", "las otras %d hojas"))
			if n.N > 1 {
				v.Message = strings.Replace(v.Message, "no se leyó", "no se leyeron", 1)
			}
		}
		if v.Where == "" {
			v.Where = "archivo"
		}
		out = append(out, v)
	}
	return out
}

// countES is one when n is 1, else many with n in it.
func countES(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}

// readDirectoryFile reads the directory file, answering the request itself
// when it cannot.
func (s *Server) readDirectoryFile(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if s.cfg.DirectoryFile == "" {
		s.fail(w, r, false, http.StatusNotFound, "el servidor no tiene un archivo de directorio (vigia serve --directory ARCHIVO)")
		return nil, false
	}
	data, err := os.ReadFile(s.cfg.DirectoryFile)
	if err != nil {
		s.internal(w, r, false, fmt.Errorf("read the directory: %w", err))
		return nil, false
	}
	return data, true
}

// directoryFilePage shows the directory as a table (an account's form
// filled when ?editar=ID names it), or the file's problems.
func (s *Server) directoryFilePage(w http.ResponseWriter, r *http.Request) {
	data, ok := s.readDirectoryFile(w, r)
	if !ok {
		return
	}
	view := s.directoryView(data)
	if id := r.URL.Query().Get("editar"); id != "" {
		rows, _ := view["Rows"].([]accountRow)
		i := slices.IndexFunc(rows, func(a accountRow) bool { return a.ID == id })
		if i < 0 {
			s.fail(w, r, false, http.StatusNotFound, "el directorio no tiene la cuenta "+id)
			return
		}
		view["Form"], view["Editing"] = rows[i].Row, true
	}
	s.render(w, r, "directory", view)
}

// saveAccount adds the account of the form, or edits the one of its id.
func (s *Server) saveAccount(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDirectoryBytes)
	s.directoryMu.Lock()
	defer s.directoryMu.Unlock()
	data, ok := s.readDirectoryFile(w, r)
	if !ok {
		return
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	row := directory.Row{
		ID: f("cuenta"), Network: f("red"), Handle: f("usuario"), Endpoint: f("servidor"), Type: f("tipo"), Area: f("area"),
		AdministeredByArea: r.PostFormValue("administrada") != "",
		Name:               f("nombre"), Position: f("cargo"), Level: f("nivel"),
		From: f("desde"), To: f("hasta"), RegisteredOn: f("registro"),
	}
	editing := r.PostFormValue("editando") != ""
	before := s.directoryView(data)
	exists := slices.ContainsFunc(rowsIn(before), func(a accountRow) bool { return a.ID == row.ID })
	if editing != exists {
		// A new account whose id is taken would replace another; an edit
		// of an id that is gone would add one.
		msg := fmt.Sprintf("ya hay una cuenta %q en el directorio: elija otro identificador o edite esa cuenta", row.ID)
		if editing {
			msg = fmt.Sprintf("el directorio ya no tiene la cuenta %q", row.ID)
		}
		before["Form"], before["Editing"], before["FormError"] = row, editing, msg
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, r, "directory", before)
		return
	}
	out, notes, err := directory.Amend(s.cfg.DirectoryFile, data, row, s.cfg.Networks)
	if err != nil {
		s.refuse(w, r, before, err, func(v map[string]any) { v["Form"], v["Editing"] = row, editing })
		return
	}
	what := "agregada"
	if editing {
		what = "modificada"
	}
	s.saveDirectory(w, r, out, "cuenta "+row.ID+" "+what, func(v map[string]any) {
		v["Notes"], v["Done"] = notesES(notes), fmt.Sprintf("Cuenta %s %s.", row.ID, what)
	})
}

func rowsIn(view map[string]any) []accountRow {
	rows, _ := view["Rows"].([]accountRow)
	return rows
}

// retireAccount ends an account's registration on the day the form gives.
func (s *Server) retireAccount(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDirectoryBytes)
	s.directoryMu.Lock()
	defer s.directoryMu.Unlock()
	data, ok := s.readDirectoryFile(w, r)
	if !ok {
		return
	}
	id := r.PostFormValue("cuenta")
	before := s.directoryView(data)
	to, err := directory.ReadDate(r.PostFormValue("hasta"))
	if err != nil {
		before["FormError"] = "fecha de retiro no válida: escriba dd/mm/aaaa"
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, r, "directory", before)
		return
	}
	out, err := directory.Retire(s.cfg.DirectoryFile, data, id, to, s.cfg.Networks)
	if errors.Is(err, directory.ErrNoAccount) {
		s.fail(w, r, false, http.StatusNotFound, "el directorio no tiene la cuenta "+id)
		return
	}
	if err != nil {
		s.refuse(w, r, before, err, nil)
		return
	}
	s.saveDirectory(w, r, out, "cuenta "+id+" retirada desde "+to.String(), func(v map[string]any) {
		v["Done"] = fmt.Sprintf("Cuenta %s retirada: su registro termina el %s. Sigue en el directorio y lo archivado de ella se conserva.", id, dayMonthYear(to.String()))
	})
}

// uploadSpreadsheet reads the office's spreadsheet and shows what the
// directory would become: what was read another way than written, the
// problems, the accounts; nothing is saved until the admin confirms.
func (s *Server) uploadSpreadsheet(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, directory.MaxSheetBytes+1<<20)
	data, ok := s.readDirectoryFile(w, r)
	if !ok {
		return
	}
	view := s.directoryView(data)
	file, header, err := r.FormFile("hoja")
	if err != nil {
		view["UploadError"] = "elija el archivo de la hoja de cálculo (.xlsx o .csv)"
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, r, "directory", view)
		return
	}
	defer file.Close()
	name := uploadName(header.Filename)
	sheet, err := io.ReadAll(io.LimitReader(file, directory.MaxSheetBytes+1))
	if err != nil {
		s.internal(w, r, false, fmt.Errorf("read the upload: %w", err))
		return
	}
	subject, _ := view["Subject"].(string)
	if subject == "" {
		view["UploadError"] = "el archivo del directorio tiene problemas: corríjalos antes de importar una hoja"
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, r, "directory", view)
		return
	}
	up := map[string]any{"Name": name}
	view["Upload"] = up
	imported, err := directory.ImportSpreadsheet(name, sheet, subject, s.cfg.Networks)
	var out []byte
	var kept []string
	if err == nil {
		up["Notes"], up["Rows"] = notesES(imported.Notes), s.rowsOf(imported)
		out, kept, err = directory.Merge(s.cfg.DirectoryFile, data, imported, s.cfg.Networks)
	}
	results := 0
	if imported != nil {
		results = len(imported.Accounts)
	}
	detail := "hoja revisada, sin guardar"
	if err != nil {
		detail = "hoja con problemas, sin guardar"
	}
	if rerr := s.record(r, "directory_upload", name, detail, results); rerr != nil {
		s.internal(w, r, false, rerr)
		return
	}
	var verr *directory.ValidationError
	switch {
	case errors.As(err, &verr):
		up["Problems"] = verr.Problems
		w.WriteHeader(http.StatusBadRequest)
	case err != nil:
		up["Error"] = err.Error()
		w.WriteHeader(http.StatusBadRequest)
	default:
		up["Kept"], up["YAML"], up["Base"] = kept, string(out), versionOf(data)
		up["Changes"] = s.changes(data, out)
	}
	s.render(w, r, "directory", view)
}

// change is what saving an uploaded sheet would change in one account.
type change struct {
	ID, What string
	Fields   []fieldChange // for an account the directory has
}

type fieldChange struct{ Label, From, To string }

// changes lists, account by account, what the directory after would change
// of the directory before: new accounts, and each field that differs.
func (s *Server) changes(before, after []byte) []change {
	b, err1 := directory.Parse(s.cfg.DirectoryFile, before, s.cfg.Networks)
	a, err2 := directory.Parse(s.cfg.DirectoryFile, after, s.cfg.Networks)
	if err1 != nil || err2 != nil {
		return nil
	}
	old := map[string]accountRow{}
	for _, r := range s.rowsOf(b) {
		old[r.ID] = r
	}
	var out []change
	for _, n := range s.rowsOf(a) {
		o, ok := old[n.ID]
		if !ok {
			out = append(out, change{ID: n.ID, What: "cuenta nueva"})
			continue
		}
		c := change{ID: n.ID, What: "cambia"}
		add := func(label, from, to string) {
			if from != to {
				c.Fields = append(c.Fields, fieldChange{label, orNone(from), orNone(to)})
			}
		}
		add("red", o.NetworkLabel, n.NetworkLabel)
		add("usuario", o.Handle, n.Handle)
		add("servidor", o.Endpoint, n.Endpoint)
		add("tipo", o.TypeLabel, n.TypeLabel)
		add("área", o.Area, n.Area)
		add("administrada por el área", yesNo(o.AdministeredByArea), yesNo(n.AdministeredByArea))
		add("nombre", o.Name, n.Name)
		add("cargo", o.Position, n.Position)
		add("nivel", o.Level, n.Level)
		add("desde", o.FromText, n.FromText)
		add("hasta", o.ToText, n.ToText)
		add("registro", o.RegisteredText, n.RegisteredText)
		if len(c.Fields) > 0 {
			out = append(out, c)
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(vacío)"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "sí"
	}
	return "no"
}

// versionOf names a version of the directory file: its SHA-256.
func versionOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// uploadName is the name of an uploaded file as messages and the audit
// log show it: its base, without control characters, at most 120 bytes.
func uploadName(s string) string {
	s = filepath.Base(strings.ReplaceAll(s, `\`, "/"))
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
	if len(s) > 120 {
		s = strings.ToValidUTF8(s[:120], "")
	}
	if s == "" || s == "." || s == "/" {
		s = "hoja"
	}
	return s
}

// replaceDirectory checks the directory YAML an admin sent (edited by
// hand, or an imported spreadsheet's once confirmed) and, when it has no
// problem, puts it in place of the file.
func (s *Server) replaceDirectory(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDirectoryBytes)
	s.directoryMu.Lock()
	defer s.directoryMu.Unlock()
	current, ok := s.readDirectoryFile(w, r)
	if !ok {
		return
	}
	if base := r.PostFormValue("base"); base != "" && base != versionOf(current) {
		// A spreadsheet reviewed on the file as it was: saving it now
		// would undo what was changed since.
		view := s.directoryView(current)
		view["UploadError"] = "el directorio cambió mientras se revisaba la hoja: no se guardó; vuelva a subirla para revisarla sobre el directorio actual"
		w.WriteHeader(http.StatusConflict)
		s.render(w, r, "directory", view)
		return
	}
	text := strings.ReplaceAll(r.PostFormValue("directorio"), "\r\n", "\n")
	if _, err := directory.Parse(s.cfg.DirectoryFile, []byte(text), s.cfg.Networks); err != nil {
		view := s.directoryView([]byte(text))
		view["Rejected"], view["OpenYAML"] = true, true
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, r, "directory", view)
		return
	}
	what := "archivo reemplazado"
	if src := r.PostFormValue("origen"); src != "" {
		what = "hoja " + uploadName(src) + " importada"
	}
	s.saveDirectory(w, r, []byte(text), what, nil)
}

// refuse shows the page again with the problems of a change that was not
// saved; the file is untouched.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, view map[string]any, err error, with func(map[string]any)) {
	var verr *directory.ValidationError
	if errors.As(err, &verr) {
		view["FormProblems"] = verr.Problems
	} else {
		view["FormError"] = err.Error()
	}
	if with != nil {
		with(view)
	}
	w.WriteHeader(http.StatusBadRequest)
	s.render(w, r, "directory", view)
}

// saveDirectory puts data in place of the file, keeps the version it
// replaces, records what changed in the audit log and shows the page.
func (s *Server) saveDirectory(w http.ResponseWriter, r *http.Request, data []byte, what string, with func(map[string]any)) {
	kept, err := s.writeDirectory(data)
	if err != nil {
		s.internal(w, r, false, err)
		return
	}
	view := s.directoryView(data)
	accounts, _ := view["Accounts"].(int)
	if err := s.record(r, "directory_update", s.cfg.DirectoryFile, what+"; versión anterior conservada como "+filepath.Base(kept), accounts); err != nil {
		s.internal(w, r, false, err)
		return
	}
	view["Saved"] = filepath.Base(kept)
	if with != nil {
		with(view)
	}
	s.render(w, r, "directory", view)
}

// writeDirectory keeps the current file under a dated name and writes data
// in its place, durably; it returns the name the old version has now.
func (s *Server) writeDirectory(data []byte) (string, error) {
	path := s.cfg.DirectoryFile
	dir := filepath.Dir(path)
	kept := path + "." + s.cfg.Now().UTC().Format("20060102T150405")
	for i := 2; ; i++ { // two changes within a second keep two versions
		if _, err := os.Lstat(kept); errors.Is(err, os.ErrNotExist) {
			break
		}
		kept = fmt.Sprintf("%s.%s-%d", path, s.cfg.Now().UTC().Format("20060102T150405"), i)
	}
	if err := os.Link(path, kept); err != nil {
		return "", fmt.Errorf("keep the previous directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".directorio-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name()) // once renamed, this finds nothing
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if fi, err := os.Stat(path); err == nil {
		_ = os.Chmod(tmp.Name(), fi.Mode().Perm())
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return kept, durable.SyncDir(dir)
}
