package access_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
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
	pkg := build(t, request(), f.hits, access.Options{WARCDir: f.warcDir, Redact: redact})
	files := contents(t, pkg)

	t.Run("counts", func(t *testing.T) {
		got := [...]int{pkg.Delivered, pkg.Excluded, pkg.Undetermined, len(pkg.Redactions), pkg.EvidenceRecords, len(pkg.Missing), len(pkg.Withheld)}
		want := [...]int{4, 1, 1, 3, 2, 0, 2}
		if got != want {
			t.Errorf("delivered, excluded, undetermined, redactions, records, missing, withheld = %v, want %v", got, want)
		}
		if wantFiles := []string{"evidencia.warc.gz", "publicaciones.csv", "publicaciones.jsonl", "respuesta.html"}; !slices.Equal(pkg.Files, wantFiles) {
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
		rows, err := csv.NewReader(strings.NewReader(files["publicaciones.csv"])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5 {
			t.Fatalf("%d rows, want a header and 4 posts", len(rows))
		}
		header := strings.Join(rows[0], ",")
		if want := "red,cuenta,id,url,autor,publicado,editado,versiones,texto,etiqueta,confianza,fundamento,eliminado_en_origen,sha256,warc_archivo,warc_registro"; header != want {
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
		want := []string{"mastodon", "2026-11-18T15:04:00Z", "no", "1", textRepaving, "funciones", "Sexta", "",
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
			var h archive.HitJSON
			dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&h); err != nil {
				t.Fatalf("line %d: %v", len(got)+1, err)
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
		// posts; the meeting's holds what was masked and the councillor's
		// listing holds her personal post: both withheld.
		recs := verifyEvidence(t, pkg, 3)
		if recs[0].typ != "warcinfo" || !strings.Contains(string(recs[0].block), "140285725000123") {
			t.Errorf("first record is %s: %q", recs[0].typ, recs[0].block)
		}
		got := []string{recs[1].id, recs[2].id}
		want := []string{f.requests[f.listing.RecordID], f.listing.RecordID}
		if !slices.Equal(got, want) {
			t.Errorf("records %q, want the listing's request and response %q", got, want)
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
			"20 de noviembre de 2026",                              // received
			"11 de diciembre de 2026 (15 días hábiles)",            // deadline
			"27 de noviembre de 2026, 12:00 h",                     // prepared
			"18 de noviembre de 2026, 09:04 h",                     // a post, in Mexico City
			"cuentas: obras-gdl, regidora-lopez; desde 2026-11-01", // searched
			"Solicito las publicaciones de la Dirección de Obras Públicas",
			"<strong>4</strong> publicaciones relacionadas con las funciones se entregan",
			"<strong>1</strong> publicación se excluye",
			"Política Sexta de las Políticas Generales para la Difusión de Información Pública mediante las Redes Sociales Digitales",
			"<strong>1</strong> publicación está pendiente de revisión",
			"<td>mastodon/obras-gdl/113</td><td>mención</td><td>Artículo 116",
			"<td>correo</td>", "<td>teléfono</td>",
			"2 registros WARC",
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
	})
}

// checkManifest checks MANIFIESTO.sha256 with sha256sum and in Go.
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
	for l := range strings.Lines(string(readFile(t, filepath.Join(pkg.Dir, "MANIFIESTO.sha256")))) {
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
	for _, r := range recs {
		if _, ok := ix.Lookup(r.id); !ok {
			t.Errorf("verify did not index %s", r.id)
		}
	}
	return recs
}

func TestBuildWithoutRedactCopiesEvidenceOfDeliveredPosts(t *testing.T) {
	f := newFixture(t)
	pkg := build(t, request(), f.hits, access.Options{WARCDir: f.warcDir})
	// The listing and the meeting (request and response each); the
	// councillor's listing holds her personal post.
	recs := verifyEvidence(t, pkg, 5)
	meeting := f.hits[2].WARC.RecordID
	if got, want := recs[4].id, meeting; got != want {
		t.Errorf("last record %s, want %s", got, want)
	}
	if got, want := recs[3].id, f.requests[meeting]; got != want {
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
	refs := make([]archive.WARCRef, 5)
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
	}
	pkg := build(t, request(), hits, access.Options{WARCDir: ev.dir})

	verifyEvidence(t, pkg, 3) // warcinfo, and the first post's request and response
	want := []string{
		"mastodon/obras-gdl/2 (archivo " + refs[1].File + ", registro " + refs[1].RecordID + "): no se encontró el archivo",
		"mastodon/obras-gdl/3 (archivo " + refs[2].File + ", registro " + refs[2].RecordID + "): su WARC-Block-Digest no es el de la referencia",
		"mastodon/obras-gdl/4 (archivo " + refs[3].File + ", registro " + wrongID.RecordID + "): en el desplazamiento " +
			strconv.FormatInt(refs[3].Offset, 10) + " está el registro " + refs[3].RecordID + ", no el referido",
		"mastodon/obras-gdl/5 (archivo " + refs[4].File + ", registro " + refs[4].RecordID + "): no se pudo leer el registro en el desplazamiento " + strconv.FormatInt(refs[4].Offset, 10),
		"mastodon/obras-gdl/6: sin referencia a evidencia WARC",
		"mastodon/obras-gdl/7 (archivo ../x.warc.gz, registro <urn:uuid:x>): nombre de archivo no válido",
	}
	if len(pkg.Missing) != len(want) {
		t.Fatalf("Missing = %q, want %d entries", pkg.Missing, len(want))
	}
	report := contents(t, pkg)["respuesta.html"]
	for i, w := range want {
		if !strings.HasPrefix(pkg.Missing[i], w) {
			t.Errorf("Missing[%d] = %q, want it to start %q", i, pkg.Missing[i], w)
		}
		if !strings.Contains(report, "<li>"+html.EscapeString(w)) {
			t.Errorf("respuesta.html lacks %q", w)
		}
	}
	if !strings.Contains(report, "No se pudo incluir la evidencia de 6 publicaciones") {
		t.Error("respuesta.html does not say evidence is missing")
	}
	checkManifest(t, pkg)
}

func TestBuildReadsFileBeingWritten(t *testing.T) {
	ev := newEvidence(t, false)
	ref := ev.add("https://social.example/api/v1/statuses/1", page(textPotholes), false)
	if _, err := os.Stat(filepath.Join(ev.dir, ref.File+".open")); err != nil {
		t.Fatalf("the writer's file is not open: %v", err)
	}
	pkg := build(t, request(), []archive.Hit{hit("obras-gdl", "1", archive.Function, textPotholes, ref)}, access.Options{WARCDir: ev.dir})
	if recs := verifyEvidence(t, pkg, 3); recs[2].id != ref.RecordID {
		t.Errorf("copied %s, want %s", recs[2].id, ref.RecordID)
	}
}

func TestBuildWithoutWARCDir(t *testing.T) {
	f := newFixture(t)
	pkg := build(t, request(), f.hits, access.Options{Redact: redact})
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
	for _, folio := range []string{"", "../140285725000123", "1402/85", "folio 1", "año-2026", "..", strings.Repeat("1", 65)} {
		req := request()
		req.Folio = folio
		dir := filepath.Join(t.TempDir(), "paquete")
		_, err := access.Build(t.Context(), req, nil, dir, access.Options{})
		if !errors.Is(err, access.ErrBadFolio) {
			t.Errorf("folio %q: error %v, want ErrBadFolio", folio, err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("folio %q: %s was created", folio, dir)
		}
	}
	for _, folio := range []string{"140285725000123", "SO-2026_01.a", strings.Repeat("9", 64)} {
		req := request()
		req.Folio = folio
		if _, err := access.Build(t.Context(), req, nil, filepath.Join(t.TempDir(), "p"), access.Options{}); err != nil {
			t.Errorf("folio %q: %v", folio, err)
		}
	}

	t.Run("folder not empty", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "otro.txt"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := access.Build(t.Context(), request(), nil, dir, access.Options{}); !errors.Is(err, access.ErrExists) {
			t.Errorf("error %v, want ErrExists", err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("the folder holds %d files, want its 1", len(entries))
		}
	})
	t.Run("empty folder is taken", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := access.Build(t.Context(), request(), nil, dir, access.Options{}); err != nil {
			t.Error(err)
		}
	})
	t.Run("zip there", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "p")
		if err := os.WriteFile(dir+".zip", []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := access.Build(t.Context(), request(), nil, dir, access.Options{}); !errors.Is(err, access.ErrExists) {
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
			_, err := access.Build(t.Context(), request(), hits, dir, access.Options{Redact: fn})
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
	_, err := access.Build(ctx, request(), f.hits, dir, access.Options{WARCDir: f.warcDir})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	for _, path := range []string{dir, dir + ".zip"} {
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind", path)
		}
	}
}
