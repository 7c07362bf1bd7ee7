package calendar

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestLoadExample(t *testing.T) {
	c, err := Load("testdata/calendario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.DaysAllowed, 20; got != want {
		t.Errorf("DaysAllowed = %d, want %d", got, want)
	}
	if got, want := c.Location.String(), "America/Mexico_City"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	// 21-31 December, 1 January and 2 November.
	if got, want := len(c.NonWorking), 13; got != want {
		t.Errorf("len(NonWorking) = %d, want %d: %v", got, want, c.NonWorking)
	}
	for _, s := range []string{"2026-12-21", "2026-12-31", "2027-01-01", "2026-11-02"} {
		if c.IsWorkingDay(day(t, s)) {
			t.Errorf("IsWorkingDay(%s) = true, want false", s)
		}
	}
	if len(c.Working) != 0 || c.NoStatutory {
		t.Errorf("Working = %v, NoStatutory = %v, want none and false", c.Working, c.NoStatutory)
	}
}

func TestLoadDefaults(t *testing.T) {
	for _, data := range []string{"", "# sin cambios\n", "dias_habiles:\ninhabiles:\n"} {
		c, err := parse("c.yaml", []byte(data))
		if err != nil {
			t.Errorf("parse(%q): %v", data, err)
			continue
		}
		if c.DaysAllowed != DefaultDaysAllowed || c.Location.String() != DefaultZone || len(c.NonWorking) > 0 {
			t.Errorf("parse(%q) = %+v, want the defaults", data, c)
		}
	}
}

func TestLoadValues(t *testing.T) {
	c, err := parse("c.yaml", []byte(`
dias_habiles: 8
zona_horaria: America/Tijuana
inhabiles: ["2026-04-02 .. 2026-04-03"]
habiles:
  - 2026-11-16
sin_feriados_de_ley: sí
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.DaysAllowed != 8 || c.Location.String() != "America/Tijuana" || !c.NoStatutory {
		t.Errorf("parse = %+v", c)
	}
	if got, want := len(c.NonWorking), 2; got != want {
		t.Errorf("len(NonWorking) = %d, want %d", got, want)
	}
	if got, want := c.Working, []Day{day(t, "2026-11-16")}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("Working = %v, want %v", got, want)
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []Problem // Message is matched as a substring
	}{
		{
			name: "misspelt key",
			data: "dias_habiles: 20\ndias_habilez: 8\n",
			want: []Problem{{Line: 2, Key: "dias_habilez", Message: `unknown key (did you mean "dias_habiles"?)`}},
		},
		{
			name: "accented key",
			data: "días_hábiles: 20\n",
			want: []Problem{{Line: 1, Key: "días_hábiles", Message: `did you mean "dias_habiles"?`}},
		},
		{
			name: "unrelated key",
			data: "\n\nresponsable: Unidad de Transparencia\n",
			want: []Problem{{Line: 3, Key: "responsable", Message: "unknown key; known keys: dias_habiles, zona_horaria"}},
		},
		{
			name: "impossible day",
			data: "inhabiles:\n  - 2026-11-02\n  - 2026-13-01\n",
			want: []Problem{{Line: 3, Key: "inhabiles[1]", Value: "2026-13-01", Message: "expected a day YYYY-MM-DD"}},
		},
		{
			name: "day written the Mexican way",
			data: "habiles:\n  - 16/11/2026\n",
			want: []Problem{{Line: 2, Key: "habiles[0]", Value: "16/11/2026", Message: "expected a day"}},
		},
		{
			name: "range backwards",
			data: "inhabiles:\n  - 2027-01-01..2026-12-21\n",
			want: []Problem{{Line: 2, Key: "inhabiles[0]", Value: "2027-01-01..2026-12-21", Message: "ends before it begins"}},
		},
		{
			name: "range with a mistyped year",
			data: "inhabiles:\n  - 2026-12-21..2062-01-01\n",
			want: []Problem{{Line: 2, Key: "inhabiles[0]", Message: "longer than a year"}},
		},
		{
			name: "single day instead of a list",
			data: "inhabiles: 2026-11-02\n",
			want: []Problem{{Line: 1, Key: "inhabiles", Message: "expected a list of days"}},
		},
		{
			name: "days in words",
			data: "dias_habiles: veinte\n",
			want: []Problem{{Line: 1, Key: "dias_habiles", Value: "veinte", Message: "expected a whole number"}},
		},
		{
			name: "zero days",
			data: "dias_habiles: 0\n",
			want: []Problem{{Line: 1, Key: "dias_habiles", Value: "0", Message: "between 1 and 366"}},
		},
		{
			name: "city instead of a time zone",
			data: "zona_horaria: America/Guadalajara\n",
			want: []Problem{{Line: 1, Key: "zona_horaria", Value: "America/Guadalajara", Message: "unknown time zone"}},
		},
		{
			name: "not a boolean",
			data: "sin_feriados_de_ley: quizá\n",
			want: []Problem{{Line: 1, Key: "sin_feriados_de_ley", Value: "quizá", Message: "expected true or false"}},
		},
		{
			name: "repeated key",
			data: "habiles: []\ninhabiles: []\nhabiles: []\n",
			want: []Problem{{Line: 3, Key: "habiles", Message: "repeated key (first at line 1)"}},
		},
		{
			name: "syntax error",
			data: "dias_habiles: 20\n\tinhabiles: []\n",
			want: []Problem{{Line: 2, Message: "found a tab character"}},
		},
		{
			name: "a list at the top",
			data: "- 2026-11-02\n",
			want: []Problem{{Line: 1, Message: "expected keys such as dias_habiles"}},
		},
		{
			name: "all problems at once, by line",
			data: "inhabiles:\n  - 2026-02-30\nzona: America/Mexico_City\ndias_habiles: -3\n",
			want: []Problem{
				{Line: 2, Key: "inhabiles[0]", Message: "expected a day"},
				{Line: 3, Key: "zona", Message: "unknown key"},
				{Line: 4, Key: "dias_habiles", Message: "expected a whole number"},
			},
		},
	}
	for _, tt := range tests {
		_, err := parse("calendario.yaml", []byte(tt.data))
		var verr *ValidationError
		if !errors.As(err, &verr) {
			t.Errorf("%s: parse error = %v, want a *ValidationError", tt.name, err)
			continue
		}
		if len(verr.Problems) != len(tt.want) {
			t.Errorf("%s: got problems\n%v\nwant %d", tt.name, err, len(tt.want))
			continue
		}
		for i, got := range verr.Problems {
			want := tt.want[i]
			if got.Line != want.Line || got.Key != want.Key || (want.Value != "" && got.Value != want.Value) ||
				!strings.Contains(got.Message, want.Message) {
				t.Errorf("%s: problem %d = %+v, want %+v", tt.name, i, got, want)
			}
		}
	}
}

func TestLoadBadFile(t *testing.T) {
	_, err := Load("testdata/calendario.bad.yaml")
	if err == nil {
		t.Fatal("Load succeeded, want problems")
	}
	got := err.Error()
	want := `calendar testdata/calendario.bad.yaml: 2 problems
  testdata/calendario.bad.yaml:3: zona_horaria: "America/Guadalajara": unknown time zone; expected an IANA name such as America/Mexico_City
  testdata/calendario.bad.yaml:6: inhabiles[1]: "2026-11-31": expected a day YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD`
	if got != want {
		t.Errorf("error =\n%s\nwant\n%s", got, want)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/no-existe.yaml")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load error = %v, want fs.ErrNotExist", err)
	}
}
