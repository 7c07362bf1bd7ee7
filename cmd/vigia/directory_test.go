package main

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/samplenet"
)

// officeSheet is testdata/directorio-oficina.csv as the transparency office
// keeps it: saved by Excel in Spanish as "CSV (delimitado por comas)", so in
// Windows-1252 with semicolons and CRLF, a title above the table, Spanish
// headers, ids as people write them, accounts written @name, as profile
// addresses with or without https://, YouTube channels by their @handle,
// dates dd/mm/aaaa. Its accounts are the sample network's (a sample
// channel's @handle is its account id); the one column an office would not
// have, Servidor (endpoint), holds BASE, the sample's address in the test.
func officeSheet(t *testing.T, base string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/directorio-oficina.csv")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.ReplaceAll(data, []byte("BASE"), []byte(base))
}

// buildVigia builds the binary the office runs.
func buildVigia(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "vigia")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build vigia: %v\n%s", err, out)
	}
	return bin
}

func runBin(t *testing.T, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "VIGIA_AUDIT="+filepath.Join(t.TempDir(), "audit.jsonl"), "VIGIA_AUDIT_KEY="+testAuditKey)
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// sameAccounts checks that the directory imported holds the sample's own
// accounts, fact by fact, as the crawl records them, but for the YouTube
// channels the sheet names by their @handle.
func sameAccounts(t *testing.T, imported string, sampleYAML []byte) {
	t.Helper()
	got, err := directory.Load(imported, networks())
	if err != nil {
		t.Fatalf("the imported directory does not load: %v", err)
	}
	want, err := directory.Parse("sample.yaml", sampleYAML, networks())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Accounts) != len(want.Accounts) {
		t.Fatalf("imported %d accounts, the sample has %d", len(got.Accounts), len(want.Accounts))
	}
	for i := range want.Accounts {
		g, w := got.Snapshot(&got.Accounts[i], time.Time{}), want.Snapshot(&want.Accounts[i], time.Time{})
		g.Subject, w.Subject = "", ""
		g.FactsSHA256, w.FactsSHA256 = "", ""
		if byHandle := "@" + w.ID; w.Network == archive.YouTube && g.Handle == byHandle {
			w.Handle = byHandle
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("account %d imported as\n%+v\nthe sample's is\n%+v", i, g, w)
		}
	}
}

// The office's spreadsheet, as Excel in Spanish saves it, is imported with
// the built binary into a directory that validates, holds the sample's
// accounts fact by fact, and that vigia crawl and vigia accounts take as it
// is; every change made to read a cell is listed with its line.
func TestImportOfficeSpreadsheetThenCrawl(t *testing.T) {
	bin := buildVigia(t)
	sn, err := samplenet.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sn.Handler())
	defer srv.Close()
	tmp := t.TempDir()
	sheet := filepath.Join(tmp, "directorio-oficina.csv")
	if err := os.WriteFile(sheet, officeSheet(t, srv.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	yamlFile := filepath.Join(tmp, "directorio.yaml")
	_, errs, code := runBin(t, bin, "directory", "import", sheet, "--subject", "Ayuntamiento de Guadalajara", "--out", yamlFile)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s", code, errs)
	}
	for _, want := range []string{
		"not UTF-8: read as Windows-1252",
		"directorio-oficina.csv:4: the 3 row(s) above the header row were skipped",
		`directorio-oficina.csv:5: Usuario: "https://social.guadalajara.example/@gobierno": read as "@gobierno@social.guadalajara.example"`,
		`directorio-oficina.csv:5: Cuenta: "Gobierno GDL": read as "gobierno-gdl"`,
		`directorio-oficina.csv:8: Usuario: "https://bsky.app/profile/proteccioncivil.guadalajara.example": read as "proteccioncivil.guadalajara.example"`,
		`directorio-oficina.csv:9: Usuario: "@MQuintero.guadalajara.example": read as "mquintero.guadalajara.example"`,
		`directorio-oficina.csv:10: Usuario: "https://t.me/avisos_gdl_muestra": read as "avisos_gdl_muestra"`,
		`directorio-oficina.csv:11: Usuario: "@tesorero_rortega": read as "tesorero_rortega"`,
		`directorio-oficina.csv:11: Desde: "1/10/2024": read as "2024-10-01" (day/month/year)`,
		`directorio-oficina.csv:12: Usuario: "https://www.youtube.com/@cabildo-gdl": read as "@cabildo-gdl"`,
		`directorio-oficina.csv:15: Hasta: "30/06/2026": read as "2026-06-30" (day/month/year)`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("the import's notes lack %q:\n%s", want, errs)
		}
	}
	yamlData, _ := os.ReadFile(yamlFile)
	for _, want := range []string{"Dirección de Obras Públicas", "Jorge Alberto Villaseñor Ruelas", "Regiduría (Comisión de Educación y Cultura)"} {
		if !strings.Contains(string(yamlData), want) {
			t.Errorf("the directory lacks %q as written (accents converted from Windows-1252):\n%s", want, yamlData)
		}
	}
	out, errs, code := runBin(t, bin, "directory", "validate", yamlFile)
	if code != 0 || !strings.Contains(out, "11 accounts") || !strings.Contains(out, "5 official, 6 personal") {
		t.Fatalf("validate: exit %d\n%s%s", code, out, errs)
	}
	sameAccounts(t, yamlFile, sn.DirectoryAt(srv.URL))

	arc := filepath.Join(tmp, "a.duckdb")
	out, errs, code = runBin(t, bin, "crawl", "--directory", yamlFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0", "--progress=false")
	if code != 0 || !strings.Contains(out, "11 accounts") {
		t.Fatalf("crawl of the imported directory: exit %d\n%s\n%s", code, out, errs)
	}
	out, errs, code = runBin(t, bin, "accounts", "--archive", arc, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("accounts: exit %d\n%s", code, errs)
	}
	ok := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var a map[string]any
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("accounts line %q: %v", line, err)
		}
		if a["consecutive_failures"] == float64(0) && a["last_error"] == nil {
			ok++
		}
	}
	if ok != 11 {
		t.Errorf("accounts crawled without error: %d, want 11\n%s", ok, out)
	}
	if got := len(searchJSONL(t, "--archive", arc)); got != 88 {
		t.Errorf("archive holds %d posts, want the sample's 88", got)
	}
	// The channels named by their @handle were found and listed.
	for _, id := range []string{"cabildo-gdl", "regidora-orozco"} {
		if got := len(searchJSONL(t, "--archive", arc, "--account", id)); got == 0 {
			t.Errorf("no video of %s, named by its @handle", id)
		}
	}
}

// The same spreadsheet kept as an Excel workbook: dates as date cells (and
// one as text), read from the first sheet; a problem names its cell.
func TestImportOfficeWorkbook(t *testing.T) {
	bin := buildVigia(t)
	sn, err := samplenet.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sn.Handler())
	defer srv.Close()
	tmp := t.TempDir()
	rows := sheetRows(t, officeSheet(t, srv.URL))
	book := filepath.Join(tmp, "Directorio 2026.xlsx")
	writeWorkbook(t, book, rows, func(col, row int, v string) any {
		if (col == 10 || col == 12) && row > 4 && row%2 == 0 && v != "" { // Desde, Fecha de solicitud on even rows: date cells
			d, err := time.Parse("2/1/2006", v)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		if col == 9 && row > 4 && v != "" { // Nivel: a number cell
			return int(v[0] - '0')
		}
		return v
	})
	yamlFile := filepath.Join(tmp, "directorio.yaml")
	_, errs, code := runBin(t, bin, "directory", "import", book, "--subject", "Ayuntamiento de Guadalajara", "--out", yamlFile)
	if code != 0 {
		t.Fatalf("import of the workbook: exit %d\n%s", code, errs)
	}
	if want := `Directorio 2026.xlsx, Directorio!C5: Usuario: "https://social.guadalajara.example/@gobierno": read as "@gobierno@social.guadalajara.example"`; !strings.Contains(errs, want) {
		t.Errorf("the import's notes lack %q:\n%s", want, errs)
	}
	sameAccounts(t, yamlFile, sn.DirectoryAt(srv.URL))

	// A workbook with mistakes: each problem names its cell.
	rows[6][8] = "7"     // Nivel of a personal account, row 7
	rows[10][2] = "@tso" // too short for a Telegram channel, row 11
	rows[12][9] = "31/02/2025"
	bad := filepath.Join(tmp, "con errores.xlsx")
	writeWorkbook(t, bad, rows, func(_, _ int, v string) any { return v })
	_, errs, code = runBin(t, bin, "directory", "import", bad, "--subject", "Ayuntamiento de Guadalajara", "--out", filepath.Join(tmp, "no.yaml"))
	if code != 2 {
		t.Fatalf("import of a workbook with mistakes: exit %d, want 2\n%s", code, errs)
	}
	for _, want := range []string{
		`con errores.xlsx, Directorio!I7: Nivel: "7": breaks policy Quinta`,
		`con errores.xlsx, Directorio!C11: Usuario: "tso": not a telegram handle`,
		`con errores.xlsx, Directorio!J13: Desde: "31/02/2025": not a date read as day/month/year (dd/mm/aaaa); there is no day 31 of month 2`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("problems lack %q:\n%s", want, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "no.yaml")); err == nil {
		t.Error("a workbook with problems wrote a directory")
	}
}

// sheetRows reads the Windows-1252 CSV fixture into rows of cells.
func sheetRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	utf, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(string(utf), "\r\n"), "\r\n") {
		rows = append(rows, strings.Split(line, ";"))
	}
	return rows
}

// writeWorkbook writes rows to the first sheet, "Directorio", of a new
// workbook, each cell as value returns it (col and row 1-based).
func writeWorkbook(t *testing.T, path string, rows [][]string, value func(col, row int, v string) any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Directorio"); err != nil {
		t.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")})
	if err != nil {
		t.Fatal(err)
	}
	for r, cells := range rows {
		for c, v := range cells {
			if v == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			val := value(c+1, r+1, v)
			if err := f.SetCellValue("Directorio", cell, val); err != nil {
				t.Fatal(err)
			}
			if _, isDate := val.(time.Time); isDate {
				f.SetCellStyle("Directorio", cell, cell, dateStyle)
			}
		}
	}
	f.NewSheet("Notas") // a second sheet, not read
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

// Problems in the office's spreadsheet name the line and the column as
// written, in Spanish; a misspelt Spanish header gets a Spanish suggestion.
func TestImportSpreadsheetProblems(t *testing.T) {
	tmp := t.TempDir()
	tests := []struct{ name, csv, want string }{
		{"misspelt header", "cuenta;redes;usuario;tipo;área\n", `column 2: "redes": unknown column (did you mean "red"?)`},
		{"English header misspelt", "id,netwrok,handle,type,area\n", `column 2: "netwrok": unknown column (did you mean "network"?)`},
		{"YouTube legacy address", "cuenta;red;usuario;tipo;área\ncabildo;YouTube;https://www.youtube.com/c/CabildoGDL;oficial;Secretaría\n",
			`x.csv:2: usuario: "https://www.youtube.com/c/CabildoGDL": not a youtube handle; expected the channel id (UC followed by 22 characters) or the channel's @handle`},
		{"month first", "cuenta;red;usuario;tipo;área;desde\navisos;telegram;@avisos_gdl;oficial;X;12/25/2024\n",
			`x.csv:2: desde: "12/25/2024": not a date read as day/month/year (dd/mm/aaaa); there is no day 12 of month 25`},
		{"unknown type", "cuenta;red;usuario;tipo;área\navisos;telegram;@avisos_gdl;ofical;X\n",
			`x.csv:2: tipo: "ofical": expected official or personal (did you mean "official"?)`},
		{"personal without servant", "cuenta;red;usuario;tipo;área\nana;telegram;@ana_regidora;personal;Regiduría\n",
			`x.csv:2: accounts[0].servant: missing`},
		{"same account twice", "cuenta;red;usuario;tipo;área\na;telegram;@avisos_gdl;oficial;X\nb;telegram;https://t.me/avisos_gdl;oficial;X\n",
			`x.csv:3: usuario: "avisos_gdl": the same telegram account is registered at line 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(tmp, "x.csv")
			os.WriteFile(file, []byte(tt.csv), 0o644)
			_, errs, code := vigia(t, "", "directory", "import", file, "--subject", "S")
			if code != 2 || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant it to contain %q", code, errs, tt.want)
			}
		})
	}
}

// Every usual way of writing an account of each network is read as its
// handle by the wiring's networks, and what cannot be read stays refused.
func TestHandlesAsOfficesWriteThem(t *testing.T) {
	tests := []struct{ network, written, want string }{
		{"telegram", "@canal_publico", "canal_publico"},
		{"telegram", "https://t.me/canal_publico", "canal_publico"},
		{"telegram", "t.me/canal_publico/", "canal_publico"},
		{"telegram", "https://t.me/s/canal_publico", "canal_publico"},
		{"telegram", " 'telegram.me/canal_publico\u200b", "canal_publico"},
		{"bluesky", "@nombre.bsky.social", "nombre.bsky.social"},
		{"bluesky", "https://bsky.app/profile/Nombre.bsky.social", "nombre.bsky.social"},
		{"bluesky", "bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur", "did:plc:z72i7hdynmk6r22z27h6tvur"},
		{"mastodon", "@usuario@instancia.social", "@usuario@instancia.social"},
		{"mastodon", "usuario@Instancia.Social", "@usuario@instancia.social"},
		{"mastodon", "https://instancia.social/@usuario", "@usuario@instancia.social"},
		{"mastodon", "instancia.social/@usuario/", "@usuario@instancia.social"},
		{"mastodon", "https://instancia.social/@usuario@otra.social", "@usuario@otra.social"},
		{"mastodon", "https://instancia.social/users/usuario", "@usuario@instancia.social"},
		{"youtube", "https://www.youtube.com/channel/UC4R8DWoMoI7CAwX8_LjQHig", "UC4R8DWoMoI7CAwX8_LjQHig"},
		{"youtube", "m.youtube.com/channel/UC4R8DWoMoI7CAwX8_LjQHig/videos", "UC4R8DWoMoI7CAwX8_LjQHig"},
		{"youtube", "https://www.youtube.com/feeds/videos.xml?channel_id=UC4R8DWoMoI7CAwX8_LjQHig", "UC4R8DWoMoI7CAwX8_LjQHig"},
		{"youtube", "https://www.youtube.com/@GobiernoGDL/videos", "@GobiernoGDL"},
		{"youtube", "@GobiernoGDL", "@GobiernoGDL"},
		{"youtube", "https://www.youtube.com/c/GobiernoGDL", "https://www.youtube.com/c/GobiernoGDL"}, // a legacy address names no channel: refused
		{"rss", "ejemplo.gob.mx/comunicados/rss.xml", "https://ejemplo.gob.mx/comunicados/rss.xml"},
		{"rss", "feed://ejemplo.gob.mx/feed/", "https://ejemplo.gob.mx/feed/"},
		{"rss", "https://ejemplo.gob.mx/feed/", "https://ejemplo.gob.mx/feed/"},
	}
	nets := networks()
	for _, tt := range tests {
		spec, ok := nets.Spec(archive.Network(tt.network))
		if !ok {
			t.Fatalf("no network %q", tt.network)
		}
		if got := spec.NormalizeHandle(tt.written); got != tt.want {
			t.Errorf("%s %q read as %q, want %q", tt.network, tt.written, got, tt.want)
		}
		refused := spec.CheckHandle(spec.NormalizeHandle(tt.written)) != ""
		if wantRefused := strings.Contains(tt.written, "/c/"); refused != wantRefused {
			t.Errorf("%s %q: refused %v, want %v", tt.network, tt.written, refused, wantRefused)
		}
	}
}

// A YAML directory keeps its strict handles, and says how to write one
// written as people do.
func TestValidateSaysHowToWriteAHandle(t *testing.T) {
	file := filepath.Join(t.TempDir(), "d.yaml")
	os.WriteFile(file, []byte("subject: S\naccounts:\n  - id: avisos\n    network: telegram\n    handle: \"https://t.me/avisos_gdl\"\n    type: official\n    area: X\n"), 0o644)
	_, errs, code := vigia(t, "", "directory", "validate", file)
	if want := `d.yaml:5: accounts[0].handle: "https://t.me/avisos_gdl": not a telegram handle; write it "avisos_gdl"`; code != 2 || !strings.Contains(errs, want) {
		t.Errorf("validate: exit %d\n%s\nwant %q", code, errs, want)
	}
}
