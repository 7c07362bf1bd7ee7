package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// mentions is a post of the official account that mentions, on its own
// instance, a director of the directory (@obras_jorge, a personal account),
// the body's Bluesky account by its handle, a private person, and the
// office's own e-mail: only the private person is masked.
const mentions = "Gracias @obras_jorge y @proteccioncivil.guadalajara.example por atender el reporte de @vecina_tlaquepaque. Dudas: transparencia@guadalajara.gob.mx"

// binEnv runs the built binary with env (and the test's own audit log) and
// no $USER, as in a shell that does not set it. Its language is English
// unless env sets LANG: the test's own locale is left out.
func binEnv(t *testing.T, bin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "USER=") && !strings.HasPrefix(kv, "VIGIA_") && !isLocaleVar(kv) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// A package a citizen can read, built by the binary the office runs from a
// crawl of the sample into DuckDB, and read back from its zip: the
// directory's accounts are not masked and a private person is, citing the
// article that applies; the report names the servant and position, has the
// notice of the recurso de revisión and a signature block, and not the
// office's deadline; publicaciones.csv opens in Excel in Spanish; an
// unknown account is refused with a suggestion; verificar-paquete passes
// the package and names the file changed in a tampered copy. The README's
// review decide runs without $USER.
func TestPackageForTheCitizen(t *testing.T) {
	bin := buildVigia(t)
	sn, _, dirFile, arc := liveSample(t)
	tmp := filepath.Dir(dirFile)
	if err := sn.Publish("gobierno-gdl", "menciones", mentions, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	env := []string{"VIGIA_AUDIT=" + filepath.Join(tmp, "audit.jsonl"), "VIGIA_AUDIT_KEY=" + testAuditKey, "VIGIA_ARCHIVE=" + arc}
	warcDir := filepath.Join(tmp, "warc")
	if out, errs, code := binEnv(t, bin, env, "crawl", "--directory", dirFile, "--warc-dir", warcDir, "--allow-private-networks",
		"--host-rate", "0", "--once", "--progress=false"); code != 0 {
		t.Fatalf("crawl: exit %d\n%s%s", code, out, errs)
	}

	// The README's example, in a shell without $USER.
	out, errs, code := binEnv(t, bin, env, "review", "decide", "tesorero/718", "function", "--reason", "Informe de la Tesorería")
	if code != 0 || !strings.Contains(out, "decided by ") {
		t.Errorf("review decide without $USER: exit %d\n%s%s", code, out, errs)
	}

	// An account that is neither in the directory nor in the archive.
	for typed, want := range map[string]string{"regidora-ana": "regidora-orozco", "obras-directr": "obras-director"} {
		out, errs, code := binEnv(t, bin, append(env, "LANG=es_MX.UTF-8"), "export", "--request", "UT/1/2026", "--account", typed, "--out", filepath.Join(tmp, "nada"))
		if code != 2 || !strings.Contains(errs, `¿quiso decir "`+want+`"?`) {
			t.Errorf("export --account %s: exit %d, want 2 suggesting %s\n%s%s", typed, code, want, out, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "nada")); !os.IsNotExist(err) {
		t.Errorf("a package was written for an unknown account: %v", err)
	}

	// The whole archive, a versión pública, into a folder whose parent
	// does not exist yet.
	dir := filepath.Join(tmp, "respuestas", "2026", "UT-0042-2026")
	out, errs, code = binEnv(t, bin, env, "export", "--request", "UT/0042/2026", "--received", "2026-11-20", "--warc-dir", warcDir,
		"--subject", "Ayuntamiento de Guadalajara (muestra)", "--public-accounts", "@congresojal, ieperjalisco.bsky.social", "--out", dir)
	if code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, out, errs)
	}
	p := readPackage(t, "citizen", dir+".zip", filepath.Base(dir))

	report := string(p.files["respuesta.html"])
	for _, want := range []string{
		"Gracias @obras_jorge y @proteccioncivil.guadalajara.example por atender el reporte de [mención testada]. Dudas: transparencia@guadalajara.gob.mx",
		"Jorge Alberto Villaseñor Ruelas, Director de Obras Públicas (cuenta personal registrada, @obras_jorge@social.guadalajara.example en Mastodon)",
		"<td>mención</td><td>Artículo 115 de la Ley General de Transparencia y Acceso a la Información Pública (DOF 20-03-2025), información confidencial: cuenta de red social de una persona particular",
		"<h2>Recurso de revisión</h2>", "recurso de revisión", "quince días hábiles",
		`<div class="firma">`, "Atentamente", "Titular de la Unidad de Transparencia", "Ayuntamiento de Guadalajara (muestra)",
		"Cómo comprobar que el paquete no ha sido alterado", "vigia verificar-paquete UT-0042-2026.zip", "Get-FileHash",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("respuesta.html lacks %q", want)
		}
	}
	for _, internal := range []string{"Fecha límite", "días hábiles)", "Artículo 116", "mención testada]. Dudas: [correo", "Elaborado por"} {
		if strings.Contains(report, internal) {
			t.Errorf("respuesta.html holds %q", internal)
		}
	}
	// nothing of a personal post reaches the requester, not even where it
	// is: its id is in no file of the package
	personal, errs, code := binEnv(t, bin, env, "search", "--label", "personal", "--format", "jsonl")
	if code != 0 {
		t.Fatalf("search --label personal: exit %d: %s", code, errs)
	}
	// (by its address, and by its id where an id is long enough to be
	// told from other numbers)
	var marks []string
	for _, m := range regexp.MustCompile(`"post_id":"([^"]+)","url":"([^"]+)"`).FindAllStringSubmatch(personal, -1) {
		marks = append(marks, m[2])
		if len(m[1]) >= 10 {
			marks = append(marks, m[1])
		}
	}
	if len(marks) < 10 {
		t.Fatalf("the sample's personal posts: %q", marks)
	}
	for _, mark := range marks {
		for name, data := range p.files {
			if name != "evidencia.warc.gz" && name != "evidencia.wacz" && bytes.Contains(data, []byte(mark)) {
				t.Errorf("%s names the personal post %s", name, mark)
			}
		}
	}
	record, err := os.ReadFile(dir + "-registro-interno.html")
	if err != nil || !strings.Contains(string(record), "Fecha límite de respuesta") || !strings.Contains(string(record), "20 días hábiles") {
		t.Errorf("the office's record: %v\n%s", err, record)
	}

	// publicaciones.csv: a byte order mark, dates and confidences for
	// people; the JSON lines keep them exact
	csvData := p.files["publicaciones.csv"]
	if !bytes.HasPrefix(csvData, []byte("\uFEFF")) {
		t.Errorf("publicaciones.csv starts %q, want a byte order mark", csvData[:min(8, len(csvData))])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvData, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	date, conf := regexp.MustCompile(`^\d\d/\d\d/20\d\d \d\d:\d\d:\d\d$`), regexp.MustCompile(`^[01]\.\d\d$`)
	servants := 0
	for _, r := range rows[1:] {
		if !date.MatchString(r[col["publicado"]]) || !conf.MatchString(r[col["confianza"]]) {
			t.Errorf("row %s/%s: publicado %q, confianza %q", r[col["cuenta"]], r[col["id"]], r[col["publicado"]], r[col["confianza"]])
		}
		if r[col["persona_servidora_publica"]] == "Jorge Alberto Villaseñor Ruelas" && r[col["cargo"]] == "Director de Obras Públicas" {
			servants++
		}
	}
	if servants == 0 {
		t.Error("no row of publicaciones.csv names the director and his position")
	}
	if !regexp.MustCompile(`"confidence":0\.\d{5,}`).Match(p.files["publicaciones.jsonl"]) {
		t.Error("publicaciones.jsonl has no exact confidence")
	}

	// verificar-paquete: the package as made, then a copy with one cell
	// of the spreadsheet changed
	out, errs, code = binEnv(t, bin, env, "verificar-paquete", dir+".zip")
	if code != 0 || !strings.Contains(out, "El paquete está íntegro") || !strings.Contains(out, "evidencia.warc.gz:") || !strings.Contains(out, "evidencia.wacz:") {
		t.Errorf("verificar-paquete: exit %d\n%s%s", code, out, errs)
	}
	tampered := filepath.Join(tmp, "alterado.zip")
	rewriteZip(t, dir+".zip", tampered, "publicaciones.csv", func(b []byte) []byte { return bytes.Replace(b, []byte("funciones"), []byte("personal"), 1) })
	out, errs, code = binEnv(t, bin, env, "verify-package", tampered)
	if code != 1 || !strings.Contains(out, "ALTERADO: publicaciones.csv: su huella SHA-256 no coincide") || strings.Contains(out, "íntegro") {
		t.Errorf("verify-package of a tampered copy: exit %d, want 1 naming publicaciones.csv\n%s%s", code, out, errs)
	}
	if _, errs, code = binEnv(t, bin, env, "verify-package", dirFile); code != 2 {
		t.Errorf("verify-package of a YAML file: exit %d, want 2\n%s", code, errs)
	}
}

// rewriteZip copies the zip at from to to, with the entry whose name ends
// in name changed by change.
func rewriteZip(t *testing.T, from, to, name string, change func([]byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if strings.HasSuffix(f.Name, "/"+name) {
			data = change(data)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// From a search in the web application, "Exportar estos resultados" opens
// the export form with the search's filters and the account picked from
// the list; the package's page shows the answer as the requester will
// read it before the download; an account not in the list is refused;
// the public role sees neither the link nor the answer.
func TestWebExportFromSearch(t *testing.T) {
	_, _, dirFile, arc := liveSample(t)
	tmp := filepath.Dir(dirFile)
	c := cli{"VIGIA_AUDIT": filepath.Join(tmp, "audit.jsonl"), "VIGIA_AUDIT_KEY": testAuditKey}
	warcDir, exports := filepath.Join(tmp, "warc"), filepath.Join(tmp, "paquetes")
	if _, errs, code := c.run(t, "", "crawl", "--warc-dir", warcDir, "--directory", dirFile, "--archive", arc,
		"--allow-private-networks", "--host-rate", "0", "--once", "--progress=false"); code != 0 {
		t.Fatalf("crawl: exit %d: %s", code, errs)
	}
	c.newToken(t, arc, "lucia", "archivist")
	c.newToken(t, arc, "vecino", "public")
	base := startServe(t, c.getenv, "--archive", arc, "--warc-dir", warcDir, "--exports", exports)
	officer := webLogin(t, base, "lucia")

	page, code := officer.get(t, "/?account=obras-director&text=obra&label=function")
	link := regexp.MustCompile(`<a id="exportar"[^>]* href="([^"]+)">Exportar estos resultados</a>`).FindSubmatch(page)
	if code != http.StatusOK || link == nil {
		t.Fatalf("search page: %d, no export link\n%s", code, page)
	}
	href := strings.ReplaceAll(string(link[1]), "&amp;", "&")
	u, _ := url.Parse(href)
	if u.Path != "/exportar" || u.Query().Get("account") != "obras-director" || u.Query().Get("text") != "obra" || u.Query().Has("label") {
		t.Errorf("export link %q, want the search's filters but its label", href)
	}
	form, code := officer.get(t, href)
	if code != http.StatusOK || !bytes.Contains(form, []byte(`<option value="obras-director" selected>obras-director — Jorge Alberto Villaseñor Ruelas, Director de Obras Públicas`)) ||
		!bytes.Contains(form, []byte(`id="text" name="text" value="obra"`)) {
		t.Fatalf("export form from the search: %d\n%s", code, form)
	}

	done, code := officer.export(t, url.Values{"folio": {"UT/0077/2026"}, "account": {"obras-director"}, "text": {"obra"}, "testar": {"1"}})
	frame := regexp.MustCompile(`<iframe class="respuesta" src="(/exportar/respuestas/[^"]+)"`).FindStringSubmatch(done)
	if code != http.StatusOK || frame == nil || strings.Contains(done, "sha256sum") {
		t.Fatalf("export: %d, no report shown (or a sha256sum for the officer)\n%s", code, done)
	}
	if strings.Index(done, "<iframe") > strings.Index(done, "Descargar el paquete") {
		t.Error("the package's page offers the download before showing the answer")
	}
	resp, err := officer.client.Get(base + frame[1])
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// framed by the application's page only, running nothing
	if csp := resp.Header.Get("Content-Security-Policy"); resp.StatusCode != http.StatusOK || !strings.Contains(csp, "frame-ancestors 'self'") ||
		!strings.HasPrefix(csp, "default-src 'none';") || strings.Contains(done, "allow-scripts") || !strings.Contains(done, `sandbox="`) {
		t.Errorf("the answer: %d, CSP %q", resp.StatusCode, csp)
	}
	for _, want := range []string{"UT/0077/2026", "Jorge Alberto Villaseñor Ruelas, Director de Obras Públicas", "texto: obra", "Recurso de revisión"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the answer shown lacks %q", want)
		}
	}

	bad, code := officer.export(t, url.Values{"folio": {"UT/0078/2026"}, "account": {"obras-directr"}})
	if code != http.StatusBadRequest || !strings.Contains(bad, "¿quiso decir &#34;obras-director&#34;?") {
		t.Errorf("export of an unknown account: %d\n%s", code, bad)
	}

	public := webLogin(t, base, "vecino")
	if page, _ := public.get(t, "/?account=obras-director"); bytes.Contains(page, []byte("Exportar estos resultados")) {
		t.Error("the public role is offered the export")
	}
	if body, code := public.get(t, frame[1]); code == http.StatusOK || bytes.Contains(body, []byte("Villaseñor")) {
		t.Errorf("the public role reads a package's answer: %d", code)
	}
}
