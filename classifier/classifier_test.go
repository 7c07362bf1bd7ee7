package classifier

import (
	"strings"
	"testing"
	"time"
)

func TestClassifyAccountRules(t *testing.T) {
	loc, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2024, 10, 1, 0, 0, 0, 0, loc)
	to := time.Date(2026, 7, 1, 0, 0, 0, 0, loc) // term ends 2026-06-30
	inTerm := time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	// 2026-07-01 02:00 UTC is still 2026-06-30 in Guadalajara: inside the term.
	lastEvening := time.Date(2026, 7, 1, 2, 0, 0, 0, time.UTC)
	after := time.Date(2026, 9, 15, 18, 0, 0, 0, time.UTC)

	tests := []struct {
		name          string
		acct          Account
		post          Post
		label         Label
		basis         string
		confidence    float64
		rationaleHave string
	}{
		{"official", Account{Official: true}, Post{Text: "Inauguramos el parque", PublishedAt: after}, Function, "Tercera", 1, "Cuenta oficial"},
		{"official repost", Account{Official: true}, Post{Repost: true, PublishedAt: after}, Function, "Tercera", 1, "Cuenta oficial"},
		{"administered in term", Account{AdministeredByArea: true, TermFrom: from, Location: loc}, Post{PublishedAt: inTerm}, Function, "Décima novena", 1, "desde el 2024-10-01, en funciones"},
		{"administered after term", Account{AdministeredByArea: true, TermFrom: from, TermTo: to, Location: loc}, Post{PublishedAt: after}, Personal, "Sexta", 1, "fuera del periodo del cargo (desde el 2024-10-01 hasta el 2026-06-30)"},
		{"personal last evening of term", Account{TermFrom: from, TermTo: to, Location: loc}, Post{PublishedAt: lastEvening}, Undetermined, "Sexta", 0, "falta decidir"},
		{"personal before term", Account{TermFrom: from, Location: loc}, Post{PublishedAt: time.Date(2024, 9, 30, 12, 0, 0, 0, loc)}, Personal, "Sexta", 1, "publicada el 2024-09-30"},
		{"personal in term", Account{TermFrom: from, Location: loc}, Post{Text: "Feliz cumpleaños, mamá", PublishedAt: inTerm}, Undetermined, "Sexta", 0, "revisión del contenido pendiente"},
		{"personal repost", Account{}, Post{Repost: true, PublishedAt: inTerm}, Undetermined, "Sexta", 0, "Republicación"},
	}
	c := New(DefaultPolicy(), nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.acct, tt.post)
			if got.Label != tt.label || got.Basis != tt.basis || got.Confidence != tt.confidence {
				t.Errorf("Classify = %s/%s/%v, want %s/%s/%v", got.Label, got.Basis, got.Confidence, tt.label, tt.basis, tt.confidence)
			}
			if !strings.Contains(strings.ToLower(got.Rationale), strings.ToLower(tt.rationaleHave)) {
				t.Errorf("rationale %q does not mention %q", got.Rationale, tt.rationaleHave)
			}
			if got, want := got.DecidedBy, "rule:politicas-2019-v1"; got != want {
				t.Errorf("DecidedBy = %q, want %q", got, want)
			}
		})
	}
}

func TestParsePolicyRejects(t *testing.T) {
	base := string(defaultPolicy)
	tests := []struct {
		name, data, want string
	}{
		{"unknown key", base + "\nextra: 1\n", "field extra not found"},
		{"unknown clause", strings.Replace(base, "basis: Tercera", "basis: Trigésima", 1), `rules.official.basis: "Trigésima": not one of the clauses`},
		{"bad label", strings.Replace(base, "label: function", "label: publica", 1), `rules.official.label: "publica"`},
		{"no version", strings.Replace(base, "version: politicas-2019-v1", "", 1), "version: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePolicy("p.yaml", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParsePolicy error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestDefaultPolicyClauses(t *testing.T) {
	p := DefaultPolicy()
	for _, id := range []string{"Tercera", "Quinta", "Sexta", "Séptima", "Décima novena"} {
		if c, ok := p.Clause(id); !ok || c.Text == "" {
			t.Errorf("clause %q missing or empty", id)
		}
	}
}
