package directory

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestElectoral(t *testing.T) {
	d, err := Load("testdata/electoral.yml", testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	reg, obras := d.Accounts[1], d.Accounts[2]
	if reg.Jurisdiction != "MX-JAL" || len(reg.Leaves) != 1 || reg.Leaves[0].From.String() != "2024-03-20" || reg.Leaves[0].To.String() != "2024-06-03" {
		t.Errorf("regidora: jurisdiction %q, leaves %+v", reg.Jurisdiction, reg.Leaves)
	}
	// A lone mapping is one candidacy; the directory's jurisdiction is its
	// default; the calendar gives its office's campaign.
	if len(reg.Candidacies) != 1 {
		t.Fatalf("regidora: candidacies %+v", reg.Candidacies)
	}
	c := reg.Candidacies[0]
	if c.Jurisdiction != "MX-JAL" || c.Process != "Proceso Electoral Local Concurrente 2023-2024 de Jalisco" || c.Campaign.String() != "2024-03-31..2024-05-29" || c.Veda.String() != "2024-05-30..2024-06-01" {
		t.Errorf("regidora's candidacy %+v", c)
	}
	if len(obras.Candidacies) != 1 || obras.Candidacies[0].Process != "Proceso Electoral Federal 2023-2024" || obras.Candidacies[0].Campaign.String() != "2024-03-01..2024-05-29" {
		t.Errorf("obras' candidacy %+v", obras.Candidacies)
	}
	// The snapshot keeps it all; an official account has none.
	snap := d.Snapshot(&d.Accounts[1], time.Now())
	e := snap.Electoral
	if e.Jurisdiction != "MX-JAL" || len(e.Leaves) != 1 || len(e.Candidacies) != 1 || e.Candidacies[0].Campaign.From.Format(time.DateOnly) != "2024-03-31" {
		t.Errorf("snapshot electoral %+v", e)
	}
	if s := d.Snapshot(&d.Accounts[0], time.Now()); !s.Electoral.IsZero() {
		t.Errorf("official account's electoral %+v", s.Electoral)
	}
}

// TestElectoralUnchangedHash: an account the electoral fields say nothing
// of keeps the facts hash it had before they existed, so that a crawl after
// an upgrade records no new snapshot for it.
func TestElectoralUnchangedHash(t *testing.T) {
	d, err := Load("testdata/valid.yml", testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	s := d.Snapshot(&d.Accounts[1], time.Time{})
	s.Electoral.Jurisdiction = "MX-JAL"
	if s.FactsHash() == d.Snapshot(&d.Accounts[1], time.Time{}).FactsSHA256 {
		t.Error("the jurisdiction does not change the facts hash")
	}
	// The hash of snapshots without electoral facts, computed as before
	// the field existed.
	if got, want := d.Snapshot(&d.Accounts[0], time.Time{}).FactsSHA256, legacyHash(t); got != want {
		t.Errorf("facts hash %s, want %s as before", got, want)
	}
}

func TestElectoralProblems(t *testing.T) {
	_, err := Load("testdata/electoral.bad.yml", testNetworks)
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Load error = %v, want a *ValidationError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`testdata/electoral.bad.yml:2: jurisdiction: "MX-JLA": unknown jurisdiction`,
		`testdata/electoral.bad.yml:9: accounts[0].leave: applies only to personal accounts`,
		`testdata/electoral.bad.yml:18: accounts[1].licencia: unknown key`,
		`testdata/electoral.bad.yml:20: accounts[1].leave[0].to: "2024-06-03"`[:60],
		`testdata/electoral.bad.yml:21: accounts[1].leave[1].from: missing: the first day of the leave`,
		`testdata/electoral.bad.yml:23: accounts[1].candidacy[0].office: missing: Proceso Electoral Local Concurrente 2023-2024 de Jalisco has campaigns on different dates; name the office, one of gubernatura, diputacion, ayuntamiento`,
		`testdata/electoral.bad.yml:24: accounts[1].candidacy[1].office: "presidencia_municipal": not an office of Proceso Electoral Local Concurrente 2023-2024 de Jalisco`,
		`testdata/electoral.bad.yml:25: accounts[1].candidacy[2].ofice: unknown key (did you mean "office"?)`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the problems lack\n%s\nin\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "candidacy[3]") {
		t.Errorf("a valid candidacy is reported:\n%s", msg)
	}
}

func TestElectoralCampaignsFile(t *testing.T) {
	dir := t.TempDir()
	cal := "procesos:\n  - jurisdiccion: MX-JAL\n    proceso: Proceso Electoral Local 2026-2027 de Jalisco\n    jornada: 2027-06-06\n    campanas:\n      - cargos: [ayuntamiento]\n        periodo: 2027-04-04..2027-06-02\n    fuente: IEPC Jalisco (prueba)\n"
	if err := os.WriteFile(filepath.Join(dir, "campanas.yaml"), []byte(cal), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := `subject: Ayuntamiento de Guadalajara
jurisdiction: MX-JAL
campaigns: campanas.yaml
accounts:
  - id: regidora
    network: mastodon
    handle: "@regidora_ana@social.example"
    type: personal
    area: Regidurías
    servant: {name: Ana Torres Vidal, position: Regidora, level: 1}
    registered_on: 2021-10-05
    candidacy: {election: 2027-06-06}
`
	path := filepath.Join(dir, "directorio.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Load(path, testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	if c := d.Accounts[0].Candidacies[0]; c.Campaign.String() != "2027-04-04..2027-06-02" {
		t.Errorf("candidacy %+v", c)
	}
	// The office's calendar adds to the embedded one: 2024 is known too.
	both := strings.Replace(doc, "candidacy: {election: 2027-06-06}", "candidacy: {election: 2024-06-02, office: ayuntamiento}", 1)
	if err := os.WriteFile(path, []byte(both), 0o644); err != nil {
		t.Fatal(err)
	}
	if d, err := Load(path, testNetworks); err != nil || d.Accounts[0].Candidacies[0].Campaign.String() != "2024-03-31..2024-05-29" {
		t.Errorf("Load = %v", err)
	}
	bad := strings.Replace(doc, "2027-06-06", "2030-06-02", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path, testNetworks)
	if err == nil || !strings.Contains(err.Error(), `directorio.yaml:12: accounts[0].candidacy[0].election: "2030-06-02": the campaign calendar (campanas.yaml (embedded) and `+filepath.Join(dir, "campanas.yaml")+`) has no process of MX-JAL with that election day (it knows: 2024-06-02, 2021-06-06, 2027-06-06)`) {
		t.Errorf("Load = %v", err)
	}
	// A bad calendar is reported at the directory's campaigns: line, with
	// the calendar's own file and line.
	if err := os.WriteFile(filepath.Join(dir, "campanas.yaml"), []byte(strings.Replace(cal, "jornada", "jornda", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path, testNetworks)
	if err == nil || !strings.Contains(err.Error(), `directorio.yaml:3: campaigns: "campanas.yaml": campaign calendar `) || !strings.Contains(err.Error(), `campanas.yaml:4: procesos[0].jornda: unknown key (did you mean "jornada"?)`) {
		t.Errorf("Load = %v", err)
	}
}

// legacyHash is the facts hash of valid.yml's first account as computed
// before the electoral facts existed.
func legacyHash(t *testing.T) string {
	t.Helper()
	d, err := Load("testdata/valid.yml", testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	a := d.Snapshot(&d.Accounts[0], time.Time{})
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %q %q %q %q %t %q %q %d %s %s %s %q",
		a.ID, a.Network, a.Handle, a.Endpoint, a.Type, a.Area, a.AdministeredByArea,
		a.ServantName, a.ServantPosition, a.ServantLevel,
		a.OfficeFrom.Format(time.DateOnly), a.OfficeTo.Format(time.DateOnly),
		a.RegisteredOn.Format(time.DateOnly), a.Subject)
	return hex.EncodeToString(h.Sum(nil))
}

// TestImportCSVJurisdiction: the spreadsheet may name each account's
// jurisdiction; a wrong code names the CSV line; the YAML written keeps it.
func TestImportCSVJurisdiction(t *testing.T) {
	sheet := "id,network,handle,type,area,servant_name,servant_position,servant_level,registered_on,jurisdiction\n" +
		"gobierno,mastodon,@gobierno@social.ejemplo.mx,official,Comunicación,,,,,\n" +
		"presidenta,bluesky,presidenta.ejemplo.mx,personal,Presidencia,Laura Méndez,Presidenta Municipal,0,2024-10-03,mx-jal\n"
	d, err := ImportCSV("s.csv", strings.NewReader(sheet), "Ayuntamiento de Ejemplo", testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Accounts[1].Jurisdiction; got != "MX-JAL" {
		t.Errorf("jurisdiction %q, want MX-JAL", got)
	}
	var buf strings.Builder
	if err := d.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "    jurisdiction: MX-JAL\n") {
		t.Errorf("the YAML lacks the jurisdiction:\n%s", buf.String())
	}
	_, err = ImportCSV("s.csv", strings.NewReader(strings.Replace(sheet, "mx-jal", "JAL", 1)), "Ayuntamiento de Ejemplo", testNetworks)
	if err == nil || !strings.Contains(err.Error(), `s.csv:3: jurisdiction: "JAL": unknown jurisdiction`) {
		t.Errorf("ImportCSV = %v", err)
	}
}
