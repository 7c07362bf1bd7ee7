package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testCampaigns is an office's own campaign calendar (the directory's
// campaigns: setting). Its process is invented for the test, dated so that
// the sample network's posts of November 2026 fall in it; the real periods
// are in decision/electoral/campanas.yaml.
const testCampaigns = `# Calendario de prueba: proceso inventado para las pruebas.
procesos:
  - jurisdiccion: MX-JAL
    proceso: Proceso Electoral Local Extraordinario de Prueba 2026 de Jalisco
    jornada: 2026-12-06
    campanas:
      - cargos: [ayuntamiento]
        periodo: 2026-11-10..2026-12-02
    veda: 2026-12-03..2026-12-05
    fuente: Inventado para las pruebas de vigia.
`

// electoralSample serves the sample network with, in its directory, the
// director of Public Works as a candidate for the ayuntamiento in the test
// process and the head of the pothole unit on leave from 2026-10-15 to
// 2026-11-05; it publishes a campaign post of each kind and returns the
// directory file.
func electoralSample(t *testing.T) (srvURL, dirFile, arc string) {
	t.Helper()
	sn, srvURL, dirFile, arc := liveSample(t)
	if err := os.WriteFile(filepath.Join(filepath.Dir(dirFile), "campanas.yaml"), []byte(testCampaigns), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(dirFile)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), "accounts:\n", "jurisdiction: MX-JAL\ncampaigns: campanas.yaml\naccounts:\n", 1)
	s = insertAfterID(t, s, "obras-director", "    candidacy: {election: 2026-12-06, office: ayuntamiento}\n")
	s = insertAfterID(t, s, "bacheo-jefa", "    leave: [{from: 2026-10-15, to: 2026-11-05}]\n")
	if err := os.WriteFile(dirFile, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	gdl, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		acct, key, text string
		at              time.Time
	}{
		{"obras-director", "mitin-oblatos", "¡Este 6 de diciembre vota por el cambio en Guadalajara! Gracias a las vecinas de Oblatos por recibirnos en el mitin de campaña.", time.Date(2026, 11, 20, 19, 0, 0, 0, gdl)},
		{"obras-director", "colector-campana", "Revisamos el avance del colector pluvial Patria: la obra concluye en diciembre y evitará inundaciones en Oblatos.", time.Date(2026, 11, 21, 10, 0, 0, 0, gdl)},
		{"obras-director", "veda-familia", "Domingo de descanso con mi familia en Chapala antes de la jornada.", time.Date(2026, 12, 4, 23, 30, 0, 0, gdl)},
		{"bacheo-jefa", "regreso-licencia", "Hoy atendimos 40 baches en la colonia Oblatos con la cuadrilla de la unidad.", time.Date(2026, 11, 6, 9, 0, 0, 0, gdl)},
	} {
		if err := sn.Publish(p.acct, p.key, p.text, p.at); err != nil {
			t.Fatal(err)
		}
	}
	return srvURL, dirFile, arc
}

// insertAfterID adds YAML lines to the account with the given id, after
// its id line.
func insertAfterID(t *testing.T, doc, id, lines string) string {
	t.Helper()
	marker := "- id: " + id + "\n"
	i := strings.Index(doc, marker)
	if i < 0 {
		t.Fatalf("no account %q in the sample directory", id)
	}
	i += len(marker)
	return doc[:i] + lines + doc[i:]
}

// TestCampaignsAndLeaves crawls the sample network with a candidacy and a
// leave in its directory, into DuckDB and into ClickHouse, and reads the
// decisions back: posts of the candidate's campaign and veda are personal
// by rule, or await a person when the model reads function in them, and
// their rationales name the process and its days; posts inside the leave
// are personal by rule naming the leave. A reclassification changes
// nothing: the archive keeps the leave and the candidacy with the account.
func TestCampaignsAndLeaves(t *testing.T) {
	for _, engine := range []string{"duckdb", "clickhouse"} {
		t.Run(engine, func(t *testing.T) {
			srvURL, dirFile, arc := electoralSample(t)
			if engine == "clickhouse" {
				arc = clickhouseArchive(t)
			}
			if out, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0",
				"--mirror", srvURL, "--progress=false"); code != 0 {
				t.Fatalf("crawl: exit %d\n%s%s", code, out, errs)
			}
			const process = "Proceso Electoral Local Extraordinario de Prueba 2026 de Jalisco"
			one := func(text string) map[string]any {
				t.Helper()
				hits := searchJSONL(t, "--archive", arc, "--text", text)
				if len(hits) != 1 {
					t.Fatalf("%d posts say %q, want 1", len(hits), text)
				}
				return hits[0]
			}
			for _, c := range []struct {
				text, label, rationale string
			}{
				{"mitin de campaña", "personal", "Publicada el 2026-11-20, durante la campaña del " + process + " (del 2026-11-10 al 2026-12-02), en el que la persona servidora pública es candidata: el contenido electoral no es ejercicio de funciones."},
				{"antes de la jornada", "personal", "Publicada el 2026-12-04, durante la veda electoral del " + process + " (del 2026-12-03 al 2026-12-05)"},
			} {
				h := one(c.text)
				if h["label"] != c.label || h["basis"] != "Sexta" || h["decided_by"] != "rule:politicas-2019-v1" || !strings.Contains(h["rationale"].(string), c.rationale) {
					t.Errorf("%q: %v %v by %v: %q\nwant %s Sexta by the rule saying %q", c.text, h["label"], h["basis"], h["decided_by"], h["rationale"], c.label, c.rationale)
				}
			}
			// Function vocabulary in the candidate's campaign: not published
			// on the model's word; a person decides, seeing its evidence.
			h := one("colector pluvial Patria")
			r := h["rationale"].(string)
			switch h["label"] {
			case "undetermined":
				if !strings.Contains(r, "durante la campaña del "+process) || !strings.Contains(r, "una persona debe decidir") || !strings.Contains(r, "Señales:") {
					t.Errorf("function vocabulary in the campaign: %q", r)
				}
				// It waits for a person, and a person's decision stands.
				out, _, _ := vigia(t, "", "review", "list", "--archive", arc, "--format", "jsonl")
				if !strings.Contains(out, `"post_id":"`+h["post_id"].(string)+`"`) {
					t.Errorf("the campaign post read as function is not in the review queue:\n%s", out)
				}
			case "personal":
				if !strings.Contains(r, "durante la campaña del "+process) {
					t.Errorf("function vocabulary in the campaign, personal: %q", r)
				}
			default:
				t.Errorf("function vocabulary in the campaign decided %v: %q", h["label"], r)
			}
			// Inside the leave, the sample's own post of 2026-11-01; after it,
			// the model decides again.
			inLeave := searchJSONL(t, "--archive", arc, "--account", "bacheo-jefa", "--from", "2026-10-15", "--to", "2026-11-05")
			if len(inLeave) == 0 {
				t.Error("no post of bacheo-jefa inside the leave")
			}
			for _, h := range inLeave {
				if h["label"] != "personal" || h["decided_by"] != "rule:politicas-2019-v1" || !strings.Contains(h["rationale"].(string), "durante una licencia de la persona servidora pública (del 2026-10-15 al 2026-11-05)") {
					t.Errorf("a post inside the leave: %v by %v: %q", h["label"], h["decided_by"], h["rationale"])
				}
			}
			if h := one("atendimos 40 baches"); !strings.HasPrefix(h["decided_by"].(string), "model:") {
				t.Errorf("a post after the leave: decided by %v: %q, want the model", h["decided_by"], h["rationale"])
			}

			// vigia show prints the decision with its rationale.
			ref := one("mitin de campaña")
			out, errs, code := vigia(t, "", "show", ref["account"].(string)+"/"+ref["post_id"].(string), "--archive", arc)
			if code != 0 || !strings.Contains(out, "durante la campaña del "+process) {
				t.Errorf("show: exit %d\n%s%s", code, out, errs)
			}

			// Reclassifying from the archive's snapshots decides alike.
			out, errs, code = vigia(t, "", "classify", "--archive", arc, "--reclassify")
			if code != 0 || !strings.Contains(out, ": 0 new decisions") {
				t.Errorf("reclassify after a crawl: exit %d, want 0 new decisions\n%s%s", code, out, errs)
			}
		})
	}
}

// TestCampaignsDirectoryValidate: vigia directory validate lists the
// leaves and candidacies of a valid directory, each candidacy with the
// campaign its calendar gives.
func TestCampaignsDirectoryValidate(t *testing.T) {
	_, dirFile, _ := electoralSample(t)
	out, errs, code := vigia(t, "", "directory", "validate", dirFile)
	if code != 0 {
		t.Fatalf("directory validate: exit %d\n%s", code, errs)
	}
	for _, want := range []string{
		"  obras-director: candidacy in Proceso Electoral Local Extraordinario de Prueba 2026 de Jalisco (MX-JAL, ayuntamiento): campaign 2026-11-10..2026-12-02, veda 2026-12-03..2026-12-05\n",
		"  bacheo-jefa: leave 2026-10-15..2026-11-05\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("directory validate lacks %q:\n%s", want, out)
		}
	}
}

// TestCampaignsDirectoryTypos: a typo in the new fields stops the crawl
// with the file, line and field, and the archive is not created.
func TestCampaignsDirectoryTypos(t *testing.T) {
	srvURL, dirFile, arc := electoralSample(t)
	data, err := os.ReadFile(dirFile)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.NewReplacer("office: ayuntamiento}", "ofice: ayuntamiento}", "leave: [", "licencia: [", "jurisdiction: MX-JAL", "jurisdiction: MX-JLC").Replace(string(data))
	if err := os.WriteFile(dirFile, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	lineOf := func(s string) string {
		for i, l := range strings.Split(bad, "\n") {
			if strings.Contains(l, s) {
				return dirFile + ":" + itoa(i+1) + ": "
			}
		}
		t.Fatalf("no line says %q", s)
		return ""
	}
	_, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--mirror", srvURL, "--progress=false")
	if code != 2 {
		t.Fatalf("crawl with typos: exit %d, want 2\n%s", code, errs)
	}
	for _, want := range []string{
		lineOf("jurisdiction: MX-JLC") + `jurisdiction: "MX-JLC": unknown jurisdiction`,
		lineOf("ofice: ayuntamiento") + `accounts[1].candidacy[0].ofice: unknown key (did you mean "office"?)`,
		lineOf("licencia: [") + `accounts[2].licencia: unknown key`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("the crawl's message lacks\n%s\nin\n%s", want, errs)
		}
	}
	if _, err := os.Stat(arc); err == nil {
		t.Error("a crawl with a bad directory created the archive")
	}
	// vigia directory validate says the same.
	_, verrs, code := vigia(t, "", "directory", "validate", dirFile)
	if code != 2 || !strings.Contains(verrs, `unknown key (did you mean "office"?)`) {
		t.Errorf("directory validate: exit %d\n%s", code, verrs)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
