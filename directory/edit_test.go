package directory

import (
	"strings"
	"testing"
)

const editBase = `subject: S
accounts:
  - id: ana
    network: telegram
    handle: ana_regidora
    type: personal
    area: Regiduría
    servant: {name: Ana Pérez, position: Regidora, level: 1}
    office: {from: 2024-10-01, to: 2026-09-15}
    registered_on: 2024-10-03
    sweep_pages: 50
    leave:
      - {from: 2025-03-01, to: 2025-03-31}
`

// A sheet or form changes what its columns hold and keeps the rest: a
// sheet without a hasta column leaves a retired account retired, leaves
// and the sweep budget stay; an account the sheet does not list stays.
func TestMergeAndAmendKeepWhatTheyDoNotHold(t *testing.T) {
	sheet := "cuenta;red;usuario;tipo;área;nombre;cargo;nivel;desde;registro\n" +
		"ana;Telegram;@ana_regidora;personal;Regiduría;Ana Pérez;Regidora presidenta;1;01/10/2024;03/10/2024\n" +
		"avisos;telegram;https://t.me/avisos_gdl;oficial;Atención\n"
	imp, err := ImportCSV("h.csv", strings.NewReader(sheet), "S", testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	out, kept, err := Merge("d.yml", []byte(editBase), imp, testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != 0 {
		t.Errorf("kept %v, want none: the sheet lists ana", kept)
	}
	d, err := Parse("d.yml", out, testNetworks)
	if err != nil {
		t.Fatalf("merged directory: %v\n%s", err, out)
	}
	ana := d.Accounts[0]
	if ana.Servant.Position != "Regidora presidenta" || ana.Servant.Name != "Ana Pérez" || ana.Servant.Level != 1 ||
		ana.Office.To.String() != "2026-09-15" || ana.RegisteredOn.String() != "2024-10-03" || ana.SweepPages != 50 || len(ana.Leaves) != 1 {
		t.Errorf("ana after the merge: %+v %+v", ana, ana.Servant)
	}
	if len(d.Accounts) != 2 || d.Accounts[1].Handle != "avisos_gdl" {
		t.Errorf("accounts after the merge: %+v", d.Accounts)
	}

	// The form holds every column but these: a blank hasta ends the
	// retirement, the leave and the sweep budget stay.
	out, notes, err := Amend("d.yml", []byte(editBase), Row{ID: "ana", Network: "telegram", Handle: "https://t.me/ana_regidora", Type: "personal",
		Area: "Regiduría", Name: "Ana Pérez", Position: "Regidora", Level: "1", From: "01/10/2024", RegisteredOn: "2024-10-03"}, testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	d, _ = Parse("d.yml", out, testNetworks)
	if a := d.Accounts[0]; !a.Office.To.IsZero() || a.SweepPages != 50 || len(a.Leaves) != 1 || a.Office.From.String() != "2024-10-01" {
		t.Errorf("ana after the form: %+v", a)
	}
	if len(notes) != 2 || notes[0].Field != "usuario" || notes[0].Read != "ana_regidora" || notes[1].Kind != ReadDayMonthYear {
		t.Errorf("the form's notes: %+v", notes)
	}

	// A form with a problem names the field by its Spanish header.
	_, _, err = Amend("d.yml", []byte(editBase), Row{ID: "ana", Network: "telegram", Handle: "ana_regidora", Type: "personal",
		Area: "Regiduría", Name: "Ana Pérez", Position: "Regidora", Level: "9", RegisteredOn: "2024-10-03"}, testNetworks)
	if err == nil || !strings.Contains(err.Error(), `nivel: "9": breaks policy Quinta`) {
		t.Errorf("a level of 9: %v", err)
	}
	if _, err := Retire("d.yml", []byte(editBase), "nadie", Date{}, testNetworks); err == nil {
		t.Error("retired an account that is not there")
	}
}
