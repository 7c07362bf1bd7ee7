package archive

import (
	"testing"
	"unicode/utf8"
)

func TestFoldText(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "",
		"bacheo nocturno":               "bacheo nocturno",
		"BACHEO Nocturno":               "bacheo nocturno",
		"Rehabilitación de la CALZADA":  "rehabilitacion de la calzada",
		"Pingüino, ÑANDÚ y çedilla":     "pinguino, nandu y cedilla",
		"Ø ß Æ":                         "ø ß æ", // no decomposition: kept, in lower case
		"e\u0301xito (marca combinada)": "exito (marca combinada)",
		"Ὀδυσσεύς":                      "οδυσσευς",
		"emoji 🚧 y tilde ñ":             "emoji 🚧 y tilde n",
		"\xffinvalid":                   "\ufffdinvalid",
		"İstanbul":                      "istanbul",
		"ǅemal":                         "ǆemal",
	} {
		if got := FoldText(in); got != want {
			t.Errorf("FoldText(%q) = %q, want %q", in, got, want)
		}
		if got, ref := FoldText(in), foldGeneral(in); got != ref {
			t.Errorf("FoldText(%q) = %q, the general folding gives %q", in, got, ref)
		}
	}
}

// FuzzFoldText checks that the table gives what the general folding does.
func FuzzFoldText(f *testing.F) {
	for _, s := range []string{"Obra pública en Analco", "ÁÉÍÓÚÜÑ", "a\u0301", "\xc3", "Ǆ", "ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := FoldText(s), foldGeneral(s)
		if got != want {
			t.Errorf("FoldText(%q) = %q, the general folding gives %q", s, got, want)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("FoldText(%q) = %q: not UTF-8", s, got)
		}
	})
}

func BenchmarkFoldText(b *testing.B) {
	s := "Arrancan los trabajos de rehabilitación de la calzada, con reducción a un carril por sentido durante tres semanas."
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			FoldText(s)
		}
	})
	b.Run("general", func(b *testing.B) {
		for b.Loop() {
			foldGeneral(s)
		}
	})
}
