package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/samplenet"
)

// A package delivers every version of a post that is public information,
// each on its own decision, in every file: a post of the official account
// edited between two crawls shows both texts in the CSV, the JSON lines
// and the report (with the change marked), each with its own response
// record in the evidence. A post a person decided, edited into a personal
// text, delivers its first version only: the edit awaiting a person, then
// decided personal, is counted in the report and its text is in no file
// of the package, the evidence included. On both engines.
func TestPackagesDeliverEveryVersion(t *testing.T) {
	t.Run("duckdb", func(t *testing.T) {
		sn, _, dirFile, arc := liveSample(t)
		testPackageVersions(t, sn, dirFile, arc, cli{})
	})
	t.Run("clickhouse", func(t *testing.T) {
		arc := clickhouseArchive(t)
		sn, _, dirFile, local := liveSample(t)
		t.Setenv("VIGIA_SPOOL_DIR", local+"-spool")
		testPackageVersions(t, sn, dirFile, arc, cli{"VIGIA_USERS": local + "-users.json", "VIGIA_AUDIT": local + "-audit.jsonl", "VIGIA_SPOOL_DIR": local + "-spool"})
	})
}

// versionLine is a line of publicaciones.jsonl, as far as versions go.
type versionLine struct {
	PostID            string `json:"post_id"`
	Text              string `json:"text"`
	DecidedBy         string `json:"decided_by"`
	WithheldVersions  int    `json:"withheld_versions"`
	DeliveredVersions []struct {
		Version      int     `json:"version"`
		Text         string  `json:"text"`
		FirstSeen    string  `json:"first_seen"`
		LastSeen     *string `json:"last_seen"`
		Label        string  `json:"label"`
		DecidedBy    string  `json:"decided_by"`
		WARCRecordID string  `json:"warc_record_id"`
	} `json:"delivered_versions"`
}

func testPackageVersions(t *testing.T, sn *samplenet.Server, dirFile, arc string, c cli) {
	tmp := filepath.Dir(dirFile)
	warcDir := filepath.Join(tmp, "warc")
	// (the sample's posts are months old: each crawl lists them all
	// again, to see their edits)
	crawl := func() {
		t.Helper()
		if _, errs, code := c.run(t, "", "crawl", "--warc-dir", warcDir, "--directory", dirFile, "--archive", arc,
			"--allow-private-networks", "--host-rate", "0", "--once", "--progress=false", "--relist-window", "8760h"); code != 0 {
			t.Fatalf("crawl: exit %d: %s", code, errs)
		}
	}
	export := func(folio string, args ...string) (*pkg, string) {
		t.Helper()
		out := filepath.Join(tmp, strings.ReplaceAll(folio, "/", "-"))
		args = append([]string{"export", "--archive", arc, "--warc-dir", warcDir, "--request", folio, "--out", out}, args...)
		stdout, errs, code := c.run(t, "", args...)
		if code != 0 {
			t.Fatalf("export %s: exit %d\n%s%s", folio, code, stdout, errs)
		}
		return readPackage(t, "export "+folio, out+".zip", filepath.Base(out)), stdout
	}
	postID := func(text string) string {
		t.Helper()
		out, errs, code := c.run(t, "", "search", "--format", "jsonl", "--archive", arc, "--account", "gobierno-gdl", "--text", text)
		var hit struct {
			PostID string `json:"post_id"`
		}
		if code != 0 || strings.Count(out, "\n") != 1 || json.Unmarshal([]byte(out), &hit) != nil {
			t.Fatalf("search %q: exit %d, want one post: %s%s", text, code, out, errs)
		}
		return hit.PostID
	}
	crawl()
	luminarias := postID("LPN-GDL-014/2026")
	cabildo := postID("sesión ordinaria de Cabildo")

	// An edit of a function post, decided by the classifier alone: both
	// versions are public information.
	const email = "juan.perez@correo.example"
	const edited = "Publicamos la convocatoria de la licitación pública LPN-GDL-014/2026 para sustituir 15,000 luminarias por tecnología LED. Bases: https://transparencia.guadalajara.example/licitaciones/lpn-gdl-014-2026 #Transparencia. Dudas del vecino: " + email
	if err := sn.Edit("gobierno-gdl", "licitacion-luminarias", edited, time.Now()); err != nil {
		t.Fatal(err)
	}
	crawl()
	p, stdout := export("UT/0100/2026", "--account", "gobierno-gdl", "--no-redact")
	p.check(t, "UT/0100/2026", true)
	if !strings.Contains(stdout, "versions delivered") {
		t.Errorf("export says nothing of versions: %s", stdout)
	}
	rows := p.rowsOf(luminarias)
	if len(rows) != 2 {
		t.Fatalf("publicaciones.csv has %d rows of the edited post, want one per version: %q", len(rows), rows)
	}
	responses := p.responses()
	for i, want := range []string{"12,400 luminarias", "15,000 luminarias"} {
		r := rows[i]
		switch {
		case r[16] != []string{"1", "2"}[i]:
			t.Errorf("row %d of the edited post is version %q", i, r[16])
		case !strings.Contains(r[8], want):
			t.Errorf("version %s's text %q lacks %q", r[16], r[8], want)
		case r[9] != "funciones" || r[17] == "" || r[18] == "" || r[19] == "":
			t.Errorf("version %s: label %q, decided by %q, seen %q to %q", r[16], r[9], r[17], r[18], r[19])
		case !responses[r[15]]:
			t.Errorf("version %s: its response record %s is not in the package's evidence", r[16], r[15])
		}
	}
	if rows[0][15] == rows[1][15] {
		t.Errorf("both versions name the same record %s", rows[0][15])
	}
	// the spreadsheet's dates are Mexico City's, day first, to the second
	seen := func(cell string) time.Time {
		loc, _ := time.LoadLocation("America/Mexico_City")
		at, err := time.ParseInLocation("02/01/2006 15:04:05", cell, loc)
		if err != nil {
			t.Fatalf("a date of publicaciones.csv: %v", err)
		}
		return at
	}
	if seen(rows[0][18]).After(seen(rows[1][18])) || !seen(rows[0][19]).Before(seen(rows[1][18])) {
		t.Errorf("version 1 seen %s to %s, version 2 from %s: want version 1 seen before version 2", rows[0][18], rows[0][19], rows[1][18])
	}
	line := p.line(t, luminarias)
	if len(line.DeliveredVersions) != 2 || line.WithheldVersions != 0 || line.Text != line.DeliveredVersions[1].Text ||
		!strings.Contains(line.DeliveredVersions[0].Text, "12,400") || !strings.Contains(line.DeliveredVersions[1].Text, "15,000") ||
		line.DeliveredVersions[0].WARCRecordID != rows[0][15] || line.DeliveredVersions[1].WARCRecordID != rows[1][15] {
		t.Errorf("publicaciones.jsonl: %+v", line)
	}
	report := string(p.files["respuesta.html"])
	for _, want := range []string{"<h4>Versión 2</h4>", "<h4>Versión 1 <span class=\"nota\">(versión anterior)</span></h4>",
		"Cambios respecto de la versión 1:", "<del>12,400</del> <ins>15,000</ins>", html.EscapeString(rows[0][15]), html.EscapeString(rows[1][15])} {
		if !strings.Contains(report, want) {
			t.Errorf("respuesta.html lacks %q", want)
		}
	}
	if strings.Contains(report, "no se entrega") {
		t.Error("respuesta.html says a version is withheld, and none is")
	}

	// The versión pública masks every version delivered: the third
	// party's e-mail of version 2 is in no file, the evidence included.
	masked, _ := export("UT/0104/2026", "--account", "gobierno-gdl")
	if rows := masked.rowsOf(luminarias); len(rows) != 2 || !strings.Contains(rows[1][8], "15,000") || rows[1][13] != "" {
		t.Errorf("versión pública: rows of the edited post %q", rows)
	}
	files := map[string][]byte{"evidencia.warc.gz (decompressed)": readGzip(t, filepath.Join(tmp, "UT-0104-2026", "evidencia.warc.gz"))}
	for name, data := range masked.files {
		files[name] = data
	}
	for name, data := range files {
		if bytes.Contains(data, []byte(email)) {
			t.Errorf("versión pública: %s holds the e-mail masked in version 2", name)
		}
	}

	// A post a person decided function, edited into a personal text: the
	// edit waits for a person, so only the first version is delivered.
	if _, errs, code := c.run(t, "", "review", "decide", "gobierno-gdl/"+cabildo, "function", "--reason", "Sesión de Cabildo",
		"--by", "lucia", "--archive", arc); code != 0 {
		t.Fatalf("review decide: exit %d: %s", code, errs)
	}
	// (the edit keeps the first paragraph: what version 1 says, delivered
	// with it, does not make its evidence withheld)
	const personal = "Mañana jueves a las 11:00 h, sesión ordinaria de Cabildo. El orden del día incluye el reglamento de arbolado urbano y el informe de avance de obra pública.\n\n" +
		"Feliz cumpleaños a mi hija Regina; para la fiesta en casa llámenme al 33 1234 5678"
	secrets := []string{"a mi hija Regina", "para la fiesta en casa", "1234 5678", "lucia"}
	if err := sn.Edit("gobierno-gdl", "cabildo-julio", personal, time.Now()); err != nil {
		t.Fatal(err)
	}
	crawl()
	if !warcDirHolds(t, warcDir, "para la fiesta en casa") {
		t.Fatal("the crawl's WARC files do not hold the personal edit: nothing to withhold")
	}
	for _, tc := range []struct{ folio, why, decide string }{
		{"UT/0101/2026", "1 versión no se entrega: 1 pendiente de revisión", ""},
		{"UT/0102/2026", "1 versión no se entrega: 1 por tratarse de contenido personal", "personal"},
	} {
		if tc.decide != "" {
			if _, errs, code := c.run(t, "", "review", "decide", "gobierno-gdl/"+cabildo, tc.decide, "--reason", "Felicitación familiar",
				"--by", "lucia", "--archive", arc); code != 0 {
				t.Fatalf("review decide: exit %d: %s", code, errs)
			}
		}
		p, _ := export(tc.folio, "--account", "gobierno-gdl", "--no-redact")
		p.check(t, tc.folio, true)
		rows := p.rowsOf(cabildo)
		if len(rows) != 1 || rows[0][16] != "1" || !strings.Contains(rows[0][8], "sesión ordinaria de Cabildo") || rows[0][17] != "una persona" {
			t.Fatalf("%s: rows of the post edited into a personal text: %q", tc.folio, rows)
		}
		if !p.responses()[rows[0][15]] {
			t.Errorf("%s: version 1's response record %s is not in the evidence", tc.folio, rows[0][15])
		}
		line := p.line(t, cabildo)
		if len(line.DeliveredVersions) != 1 || line.WithheldVersions != 1 || line.DecidedBy != "person" || line.DeliveredVersions[0].DecidedBy != "person" {
			t.Errorf("%s: publicaciones.jsonl: %+v", tc.folio, line)
		}
		report := string(p.files["respuesta.html"])
		for _, want := range []string{tc.why, "Es una versión de una publicación que sí se entrega",
			"La versión 2 de esta publicación no se entrega: " + strings.SplitN(tc.why, ": 1 ", 2)[1]} {
			if !strings.Contains(report, want) {
				t.Errorf("%s: respuesta.html lacks %q", tc.folio, want)
			}
		}
		files := map[string][]byte{"evidencia.warc.gz (decompressed)": readGzip(t, filepath.Join(tmp, strings.ReplaceAll(tc.folio, "/", "-"), "evidencia.warc.gz"))}
		for name, data := range p.files {
			files[name] = data
		}
		for name, data := range files {
			for _, s := range secrets {
				if bytes.Contains(data, []byte(s)) {
					t.Errorf("%s: %s holds %q, of the withheld version or who decided", tc.folio, name, s)
				}
			}
		}
	}

	// Nor does a search for the withheld text deliver the post through
	// its earlier version: that would tell what the edit says.
	p, _ = export("UT/0103/2026", "--account", "gobierno-gdl", "--no-redact", "--text", "cumpleaños a mi hija")
	if len(p.rows) != 0 {
		t.Errorf("a search for the withheld text delivers %q", p.rows)
	}
}

// rowsOf returns the rows of publicaciones.csv of the post with id.
func (p *pkg) rowsOf(id string) [][]string {
	var out [][]string
	for _, r := range p.rows {
		if r[2] == id {
			out = append(out, r)
		}
	}
	return out
}

// responses returns the WARC-Record-IDs of the response records of the
// package's evidence.
func (p *pkg) responses() map[string]bool {
	out := map[string]bool{}
	for _, r := range p.records {
		if r.typ == "response" {
			out[r.id] = true
		}
	}
	return out
}

// line returns the line of publicaciones.jsonl of the post with id.
func (p *pkg) line(t *testing.T, id string) versionLine {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(p.files["publicaciones.jsonl"]))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l versionLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		if l.PostID == id {
			return l
		}
	}
	t.Fatalf("%s: no post %s in publicaciones.jsonl", p.where, id)
	return versionLine{}
}

// warcDirHolds reports whether a WARC file of dir holds s, decompressed.
func warcDirHolds(t *testing.T, dir, s string) bool {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.warc.gz*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if fi, err := os.Stat(n); err == nil && fi.Mode().IsRegular() && bytes.Contains(readGzip(t, n), []byte(s)) {
			return true
		}
	}
	return false
}
