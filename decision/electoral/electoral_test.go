package electoral

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDefault: the embedded calendar reads, and holds the documented
// periods of 2021 and 2024, federal and of Jalisco.
func TestDefault(t *testing.T) {
	c := Default()
	tests := []struct {
		jurisdiction, election, office string
		from, to                       string
		name                           string
	}{
		{"MX", "2024-06-02", "presidencia", "2024-03-01", "2024-05-29", "Proceso Electoral Federal 2023-2024"},
		{"MX", "2024-06-02", "diputacion", "2024-03-01", "2024-05-29", "Proceso Electoral Federal 2023-2024"},
		{"MX-JAL", "2024-06-02", "gubernatura", "2024-03-01", "2024-05-29", "Proceso Electoral Local Concurrente 2023-2024 de Jalisco"},
		{"MX-JAL", "2024-06-02", "ayuntamiento", "2024-03-31", "2024-05-29", "Proceso Electoral Local Concurrente 2023-2024 de Jalisco"},
		{"MX", "2021-06-06", "", "2021-04-04", "2021-06-02", "Proceso Electoral Federal 2020-2021"},
		{"MX-JAL", "2021-06-06", "ayuntamiento", "2021-04-04", "2021-06-02", "Proceso Electoral Local Concurrente 2020-2021 de Jalisco"},
		{"MX-CMX", "2024-06-02", "alcaldia", "2024-03-31", "2024-05-29", "Proceso Electoral Local Ordinario 2023-2024 de la Ciudad de México"},
		{"MX-CMX", "2024-06-02", "jefatura_gobierno", "2024-03-01", "2024-05-29", "Proceso Electoral Local Ordinario 2023-2024 de la Ciudad de México"},
	}
	for _, tt := range tests {
		p, ok := c.Process(tt.jurisdiction, day(t, tt.election))
		if !ok {
			t.Errorf("no process of %s on %s", tt.jurisdiction, tt.election)
			continue
		}
		camp, ok := p.Campaign(tt.office)
		if !ok {
			t.Errorf("%s: no campaign for %q", p.Name, tt.office)
			continue
		}
		if got, want := camp.Period.String(), tt.from+".."+tt.to; got != want || p.Name != tt.name || p.Source == "" {
			t.Errorf("%s %s %s: %s %q (source %q), want %s %q", tt.jurisdiction, tt.election, tt.office, got, p.Name, p.Source, want, tt.name)
		}
	}
	p, _ := c.Process("MX-JAL", day(t, "2024-06-02"))
	if _, ok := p.Campaign(""); ok {
		t.Error("a process with two campaigns answers for no office")
	}
	if !p.Veda.Contains(day(t, "2024-06-01")) || p.Veda.Contains(day(t, "2024-06-02")) {
		t.Errorf("veda %s", p.Veda)
	}
	if _, ok := c.Process("MX-JAL", day(t, "2027-06-06")); ok {
		t.Error("a process the calendar does not hold was found")
	}
}

func TestLoadBadFile(t *testing.T) {
	_, err := Load("testdata/campanas.bad.yaml")
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load = %v, want a *ValidationError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`testdata/campanas.bad.yaml:3: procesos[0].jurisdiccion: "MX-JL": unknown jurisdiction (did you mean "MX-JAL"?)`,
		`testdata/campanas.bad.yaml:8: procesos[0].campanas[0].periodo: "2027-04-04..2026-06-02": the period ends before it begins`,
		`testdata/campanas.bad.yaml:10: procesos[0].campanas[1].perido: unknown key (did you mean "periodo"?)`,
		`testdata/campanas.bad.yaml:12: procesos[1].campanas[0].periodo: "2027-04-04..2027-06-07": the campaign does not end before the election day 2027-06-06`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks\n%s\nin\n%s", want, msg)
		}
	}
}

func TestParseProblems(t *testing.T) {
	for _, tt := range []struct{ name, data, want string }{
		{"empty", "", "c.yaml: the file is empty"},
		{"not a list", "procesos: MX\n", "c.yaml:1: procesos: expected a list"},
		{"missing keys", "procesos:\n  - jurisdiccion: MX\n", "c.yaml:2: procesos[0].proceso: missing"},
		{"bad election day", "procesos:\n  - {jurisdiccion: MX, proceso: P, jornada: 2024-13-01, campanas: [{cargos: [diputacion], periodo: 2024-03-01..2024-05-29}], fuente: F}\n",
			`c.yaml:2: procesos[0].jornada: "2024-13-01": expected the election day`},
		{"office with accent", "procesos:\n  - {jurisdiccion: MX, proceso: P, jornada: 2024-06-02, campanas: [{cargos: [diputación], periodo: 2024-03-01..2024-05-29}], fuente: F}\n",
			`procesos[0].campanas[0].cargos: "diputación": write an office in lower case without accents`},
		{"year typo", "procesos:\n  - {jurisdiccion: MX, proceso: P, jornada: 2024-06-02, campanas: [{cargos: [diputacion], periodo: 2023-03-01..2024-05-29}], fuente: F}\n",
			"longer than 120 days"},
		{"same election twice", "procesos:\n  - {jurisdiccion: MX, proceso: P, jornada: 2024-06-02, campanas: [{cargos: [diputacion], periodo: 2024-03-01..2024-05-29}], fuente: F}\n  - {jurisdiccion: MX, proceso: Q, jornada: 2024-06-02, campanas: [{cargos: [senaduria], periodo: 2024-03-01..2024-05-29}], fuente: F}\n",
			"c.yaml:3: procesos[1]: MX already has a process with election day 2024-06-02 (line 2)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestWith: an office's file adds its processes to the embedded calendar
// and replaces one of the same jurisdiction and election day.
func TestWith(t *testing.T) {
	office, err := Parse("oficina.yaml", []byte(`procesos:
  - jurisdiccion: MX-JAL
    proceso: Proceso Electoral Local Concurrente 2023-2024 de Jalisco (corregido)
    jornada: 2024-06-02
    campanas:
      - cargos: [ayuntamiento]
        periodo: 2024-04-01..2024-05-29
    fuente: prueba
  - jurisdiccion: MX-JAL
    proceso: Proceso de prueba 2027
    jornada: 2027-06-06
    campanas:
      - cargos: [ayuntamiento]
        periodo: 2027-04-04..2027-06-02
    fuente: prueba
`))
	if err != nil {
		t.Fatal(err)
	}
	c := Default().With(office)
	if got, want := len(c.Processes), len(Default().Processes)+1; got != want {
		t.Errorf("%d processes, want %d", got, want)
	}
	if p, ok := c.Process("MX-JAL", day(t, "2024-06-02")); !ok || p.Campaigns[0].Period.String() != "2024-04-01..2024-05-29" {
		t.Errorf("the office's correction: %+v", p)
	}
	if _, ok := c.Process("MX", day(t, "2024-06-02")); !ok {
		t.Error("the embedded federal process is lost")
	}
	if !strings.Contains(c.File, "oficina.yaml") {
		t.Errorf("File = %q", c.File)
	}
}
