package classifier

import (
	"strings"
	"testing"
	"time"
)

// TestElectoralRules decides posts of a candidate's account, with no
// content model, at the edges of a leave and of a campaign read in
// Guadalajara's time.
func TestElectoralRules(t *testing.T) {
	gdl, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, gdl) }
	a := Account{
		TermFrom: day(2021, 10, 1), Location: gdl,
		Leaves:    []Span{{From: day(2024, 5, 1), To: day(2024, 5, 16)}, {From: day(2024, 7, 1)}},
		Campaigns: []Campaign{{Process: "Proceso de prueba", Span: Span{From: day(2024, 3, 31), To: day(2024, 5, 30)}}, {Process: "Proceso de prueba", Veda: true, Span: Span{From: day(2024, 5, 30), To: day(2024, 6, 2)}}},
	}
	c := New(DefaultPolicy(), nil)
	tests := []struct {
		name      string
		at        time.Time
		label     Label
		rationale string
	}{
		{"the last minute before the campaign", day(2024, 3, 31).Add(-time.Minute), Undetermined, "Cuenta personal registrada"},
		{"the first minute of the campaign", day(2024, 3, 31), Personal, "durante la campaña del Proceso de prueba (del 2024-03-31 al 2024-05-29)"},
		{"the leave, during the campaign", day(2024, 5, 15).Add(23 * time.Hour), Personal, "(del 2024-05-01 al 2024-05-15): mientras no ejerce el cargo, lo que publica no deriva del ejercicio de funciones. Publicada el 2024-05-15, durante la campaña del Proceso de prueba"},
		{"the veda", day(2024, 6, 1).Add(23 * time.Hour), Personal, "durante la veda electoral del Proceso de prueba (del 2024-05-30 al 2024-06-01)"},
		{"election day", day(2024, 6, 2), Undetermined, "Cuenta personal registrada"},
		{"an open leave", day(2025, 1, 1), Personal, "(desde el 2024-07-01, sin fecha de término)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := c.Classify(a, Post{Text: "texto", PublishedAt: tt.at})
			if d.Label != tt.label || d.Basis != "Sexta" || !strings.Contains(d.Rationale, tt.rationale) {
				t.Errorf("%s %s: %q; want %s saying %q", d.Label, d.Basis, d.Rationale, tt.label, tt.rationale)
			}
		})
	}
}
