package access

import (
	"slices"
	"testing"
)

func TestNeedles(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Feliz cumpleaños a mi mamá.\n\n¡Gracias!\nComimos  pozole   en familia.", []string{"Feliz cumpleaños a mi mamá.", "Comimos pozole en familia."}},
		{"¡Qué día!\n😂", []string{"¡Qué día! 😂"}}, // no line long enough: the whole text
		{"  \n", nil},
	} {
		if got := needles(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("needles(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
