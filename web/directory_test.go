package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/directory"
)

// adminClient signs in as the admin and posts forms and files as the
// browser does.
type adminClient struct {
	t    *testing.T
	s    *site
	c    *http.Client
	csrf string
}

func newAdminClient(t *testing.T, s *site) *adminClient {
	c, csrf := s.login(t, auth.Admin)
	return &adminClient{t, s, c, csrf}
}

func (a *adminClient) read(resp *http.Response, err error) (int, string) {
	a.t.Helper()
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (a *adminClient) post(path string, form url.Values) (int, string) {
	a.t.Helper()
	form.Set("csrf", a.csrf)
	return a.read(a.c.PostForm(a.s.URL+path, form))
}

func (a *adminClient) get(path string) (int, string) {
	a.t.Helper()
	return a.read(a.c.Get(a.s.URL + path))
}

func (a *adminClient) upload(name string, data []byte) (int, string) {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", a.csrf)
	fw, _ := mw.CreateFormFile("hoja", name)
	fw.Write(data)
	mw.Close()
	return a.read(a.c.Post(a.s.URL+"/directorio/importar", mw.FormDataContentType(), &body))
}

// loadDirectory reads the site's directory file back as the crawler does.
func loadDirectory(t *testing.T, s *site) *directory.Directory {
	t.Helper()
	d, err := directory.Load(s.directory, s.app.cfg.Networks)
	if err != nil {
		t.Fatalf("the directory file no longer loads: %v", err)
	}
	return d
}

func accountOf(d *directory.Directory, id string) *directory.Account {
	for i := range d.Accounts {
		if d.Accounts[i].ID == id {
			return &d.Accounts[i]
		}
	}
	return nil
}

// An admin adds, edits and retires accounts in the table: each change is
// checked, refused with its field in Spanish when wrong (the file
// untouched), saved with the previous version kept, and audited; an
// account is never removed.
func TestDirectoryTableAddEditRetire(t *testing.T) {
	s := newSite(t)
	a := newAdminClient(t, s)

	code, body := a.get("/directorio/archivo")
	for _, want := range []string{`<table class="accounts" id="cuentas">`, "<code>ana</code>", "Ana Pérez, Regidora (nivel 1)", "01/10/2024", "Agregar una cuenta", "Importar la hoja de cálculo", "Ayuda: columnas"} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("the directory page lacks %q (%d)", want, code)
		}
	}
	if strings.Contains(body, "docs/directory.md") {
		t.Error("the page still points to a docs file the admin cannot open")
	}

	// A personal account without its level or request date is refused,
	// naming the fields as the form does.
	form := url.Values{"cuenta": {"tesorero"}, "red": {"telegram"}, "usuario": {"https://t.me/tesoreria_ejemplo"}, "tipo": {"personal"},
		"area": {"Tesorería"}, "nombre": {"Raúl Ortega"}, "cargo": {"Tesorero"}, "desde": {"2024-10-01"}}
	code, body = a.post("/directorio/cuentas", form)
	if code != http.StatusBadRequest || !strings.Contains(body, "No se guardó") || !strings.Contains(body, "<strong>nivel</strong>") || !strings.Contains(body, "<strong>registro</strong>") {
		t.Errorf("a personal account without level nor request date: %d\n%s", code, body)
	}
	if b, _ := os.ReadFile(s.directory); string(b) != validDirectory {
		t.Fatal("a refused account changed the file")
	}

	// Complete, with dates written dd/mm/aaaa: added, the handle read
	// from its address, and the change listed.
	form.Set("nivel", "1")
	form.Set("registro", "04/11/2024")
	code, body = a.post("/directorio/cuentas", form)
	if code != http.StatusOK || !strings.Contains(body, "Cuenta tesorero agregada") || !strings.Contains(body, "Directorio guardado con 3 cuentas") ||
		!strings.Contains(body, "<strong>usuario</strong>: <code>https://t.me/tesoreria_ejemplo</code> se leyó como <code>tesoreria_ejemplo</code>") {
		t.Fatalf("adding an account: %d\n%s", code, body)
	}
	d := loadDirectory(t, s)
	if tes := accountOf(d, "tesorero"); tes == nil || tes.Handle != "tesoreria_ejemplo" || tes.RegisteredOn.String() != "2024-11-04" || tes.Servant.Level != 1 {
		t.Fatalf("the account added: %+v", tes)
	}

	// Adding an id already taken does not replace that account.
	code, body = a.post("/directorio/cuentas", url.Values{"cuenta": {"ana"}, "red": {"telegram"}, "usuario": {"@otro_canal"}, "tipo": {"official"}, "area": {"X"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "ya hay una cuenta") {
		t.Errorf("adding an id that exists: %d", code)
	}

	// Editing: the form is filled, the change saved.
	code, body = a.get("/directorio/archivo?editar=ana")
	if code != http.StatusOK || !strings.Contains(body, "Editar la cuenta ana") || !strings.Contains(body, `value="Ana Pérez"`) || !strings.Contains(body, `value="2024-10-01"`) {
		t.Fatalf("the edit form of ana: %d\n%s", code, body)
	}
	code, body = a.post("/directorio/cuentas", url.Values{"editando": {"1"}, "cuenta": {"ana"}, "red": {"mastodon"}, "usuario": {"https://social.example/@ana"},
		"tipo": {"personal"}, "area": {"Regiduría"}, "nombre": {"Ana Pérez"}, "cargo": {"Regidora presidenta de la Comisión de Cultura"}, "nivel": {"1"},
		"desde": {"2024-10-01"}, "registro": {"2024-10-03"}})
	if code != http.StatusOK || !strings.Contains(body, "Cuenta ana modificada") {
		t.Fatalf("editing ana: %d\n%s", code, body)
	}
	d = loadDirectory(t, s)
	if ana := accountOf(d, "ana"); ana.Servant.Position != "Regidora presidenta de la Comisión de Cultura" || ana.Handle != "@ana@social.example" {
		t.Errorf("ana after the edit: %+v %+v", ana, ana.Servant)
	}

	// Retiring sets hasta; the account stays. A date before the term
	// starts is refused.
	code, body = a.post("/directorio/cuentas/retirar", url.Values{"cuenta": {"ana"}, "hasta": {"2024-09-01"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "hasta</strong>") || !strings.Contains(body, "termina antes de empezar") {
		t.Errorf("retiring before the term: %d\n%s", code, body)
	}
	code, body = a.post("/directorio/cuentas/retirar", url.Values{"cuenta": {"ana"}, "hasta": {"15/09/2026"}})
	if code != http.StatusOK || !strings.Contains(body, "Cuenta ana retirada") || !strings.Contains(body, "15/09/2026 (retirada)") {
		t.Fatalf("retiring ana: %d\n%s", code, body)
	}
	d = loadDirectory(t, s)
	if len(d.Accounts) != 3 || accountOf(d, "ana").Office.To.String() != "2026-09-15" {
		t.Errorf("after retiring ana: %d accounts, ana until %s", len(d.Accounts), accountOf(d, "ana").Office.To)
	}
	if code, _ := a.post("/directorio/cuentas/retirar", url.Values{"cuenta": {"nadie"}, "hasta": {"2026-09-15"}}); code != http.StatusNotFound {
		t.Errorf("retiring an account that is not there: %d, want 404", code)
	}

	// Three saves, three versions kept; the first is the original file.
	kept, _ := filepath.Glob(s.directory + ".*")
	if len(kept) != 3 {
		t.Fatalf("versions kept: %v", kept)
	}
	found := false
	for _, k := range kept {
		if b, _ := os.ReadFile(k); string(b) == validDirectory {
			found = true
		}
	}
	if !found {
		t.Error("no kept version is the original directory")
	}
	_, log := s.get(t, auth.Admin, "/api/v1/audit?action=directory_update")
	for _, want := range []string{"cuenta tesorero agregada", "cuenta ana modificada", "cuenta ana retirada desde 2026-09-15", `"results":3`} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log lacks %q: %s", want, log)
		}
	}
	// Not for an archivist.
	if code, _ := s.get(t, auth.Archivist, "/directorio/archivo"); code != http.StatusForbidden {
		t.Errorf("an archivist opens the directory editor: %d", code)
	}
}

// officeCSV is a spreadsheet as an office saves it from Excel in Spanish:
// Windows-1252, semicolons, Spanish headers, @handles and addresses,
// dd/mm/aaaa.
const officeCSV = "Cuenta;Red;Usuario;Tipo;Área;Nombre;Cargo;Nivel;Desde;Hasta;Fecha de solicitud\r\n" +
	"Comunicación Social;Telegram;t.me/comunicacion_ejemplo;Oficial;Coordinación de Comunicación Social;;;;;;\r\n" +
	"Presidenta;Bluesky;https://bsky.app/profile/presidenta.ejemplo.mx;Personal;Presidencia;María Núñez;Presidenta Municipal;0;01/10/2024;;08/10/2024\r\n" +
	"ana;Mastodon;https://social.example/@ana;Personal;Regiduría;Ana Pérez;Regidora;1;01/10/2024;;03/10/2024\r\n"

// An admin uploads the office's spreadsheet: what was read another way and
// the accounts are shown, nothing is saved until confirmed; then the
// directory holds the sheet's accounts and keeps the one it does not list.
// A sheet with problems names each cell and saves nothing.
func TestDirectoryUploadSpreadsheet(t *testing.T) {
	s := newSite(t)
	a := newAdminClient(t, s)
	latin1, err := charmap.Windows1252.NewEncoder().String(officeCSV)
	if err != nil {
		t.Fatal(err)
	}
	code, body := a.upload("Directorio oficina.csv", []byte(latin1))
	for _, want := range []string{"Hoja de cálculo «Directorio oficina.csv»", "se leyó como Windows-1252", "La hoja no tiene problemas: 3 cuentas",
		"<td>Usuario</td><td><code>t.me/comunicacion_ejemplo</code></td><td>comunicacion_ejemplo</td>",
		"línea 3</td><td>Desde</td><td><code>01/10/2024</code></td><td>1 de octubre de 2024 (día/mes/año)</td>",
		"Las cuentas del directorio que la hoja no lista se conservan: <code>gobierno</code>", "María Núñez, Presidenta Municipal (nivel 0)"} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("the upload's review lacks %q (%d)", want, code)
		}
	}
	if b, _ := os.ReadFile(s.directory); string(b) != validDirectory {
		t.Fatal("an upload changed the file before it was confirmed")
	}
	if !strings.Contains(body, "<td><code>presidenta</code></td><td>cuenta nueva</td>") || strings.Contains(body, "<td><code>ana</code></td><td><ul>") {
		t.Errorf("the review's changes: two new accounts, ana unchanged\n%s", between(body, "Lo que cambiaría", "</table>"))
	}
	confirm := func(body string) (int, string) {
		t.Helper()
		return a.post("/directorio/archivo", url.Values{
			"directorio": {htmlUnescape(between(body, `<textarea name="directorio" hidden readonly>`, "</textarea>"))},
			"origen":     {"Directorio oficina.csv"},
			"base":       {between(body, `<input type="hidden" name="base" value="`, `"`)},
		})
	}
	// The directory changes while the sheet is reviewed: confirming the
	// review made on the file as it was is refused, and undoes nothing.
	if code, _ := a.post("/directorio/cuentas/retirar", url.Values{"cuenta": {"ana"}, "hasta": {"15/09/2026"}}); code != http.StatusOK {
		t.Fatalf("retiring ana: %d", code)
	}
	code, stale := confirm(body)
	if code != http.StatusConflict || !strings.Contains(stale, "el directorio cambió mientras se revisaba la hoja") {
		t.Errorf("confirming a review of a file that changed since: %d", code)
	}
	if d := loadDirectory(t, s); len(d.Accounts) != 2 || accountOf(d, "ana").Office.To.String() != "2026-09-15" {
		t.Fatalf("a stale confirmation changed the directory: %+v", d.Accounts)
	}
	// Reviewed again: the sheet's blank Hasta would end ana's retirement,
	// and the review says so before anything is saved.
	_, body = a.upload("Directorio oficina.csv", []byte(latin1))
	if !strings.Contains(body, "<li><strong>hasta</strong>: 15/09/2026 → (vacío)</li>") {
		t.Errorf("the review does not show that ana's retirement would end:\n%s", between(body, "Lo que cambiaría", "</table>"))
	}
	code, body = confirm(body)
	if code != http.StatusOK || !strings.Contains(body, "Directorio guardado con 4 cuentas") {
		t.Fatalf("confirming the upload: %d\n%s", code, body)
	}
	d := loadDirectory(t, s)
	if len(d.Accounts) != 4 || accountOf(d, "gobierno") == nil || accountOf(d, "comunicacion-social").Handle != "comunicacion_ejemplo" ||
		accountOf(d, "presidenta").Servant.Name != "María Núñez" || accountOf(d, "ana").Area != "Regiduría" {
		t.Errorf("the directory after the upload: %+v", d.Accounts)
	}
	_, log := s.get(t, auth.Admin, "/api/v1/audit")
	for _, want := range []string{`"action":"directory_upload"`, "hoja revisada, sin guardar", "hoja Directorio oficina.csv importada"} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}

	// The same office's workbook with mistakes: each named by its cell.
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Cuenta", "Red", "Usuario", "Tipo", "Área", "Nombre", "Cargo", "Nivel", "Desde", "Hasta", "Fecha de solicitud"},
		{"obras", "Mastodon", "@obras@social.example", "Personal", "Obras Públicas", "Jorge Ruelas", "Director", 7, "01/10/2024", "", "21/10/2024"},
		{"avisos", "Telgram", "@avisos_ejemplo", "Oficial", "Atención Ciudadana"},
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		f.SetSheetRow("Sheet1", cell, &row)
	}
	var book bytes.Buffer
	if err := f.Write(&book); err != nil {
		t.Fatal(err)
	}
	code, body = a.upload("directorio.xlsx", book.Bytes())
	for _, want := range []string{"La hoja tiene problemas", "Sheet1!H2", "contraviene la política Quinta", "Sheet1!B3", "red desconocida (¿quiso decir &#34;telegram&#34;?)"} {
		if code != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("the review of a workbook with mistakes lacks %q (%d)\n", want, code)
		}
	}
	if strings.Contains(body, "Guardar estas cuentas") {
		t.Error("a sheet with problems can be saved")
	}
	if d := loadDirectory(t, s); len(d.Accounts) != 4 {
		t.Errorf("a refused sheet changed the directory: %d accounts", len(d.Accounts))
	}
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(rest, to)
	return out
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}
