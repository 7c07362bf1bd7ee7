package textdiff

import (
	"reflect"
	"testing"
)

func TestWords(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want []Span
	}{
		{"a b c", "a b c", []Span{{Same, "a b c"}}},
		{"cierre a las 20:00 en la calzada", "cierre a las 21:00 en la calzada",
			[]Span{{Same, "cierre a las"}, {Removed, "20:00"}, {Added, "21:00"}, {Same, "en la calzada"}}},
		{"", "nuevo texto", []Span{{Added, "nuevo texto"}}},
		{"texto borrado", "", []Span{{Removed, "texto borrado"}}},
		{"a b", "a x b", []Span{{Same, "a"}, {Added, "x"}, {Same, "b"}}},
	} {
		got := Words(c.a, c.b)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Words(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if Changed(got) != (c.a != c.b) {
			t.Errorf("Changed(Words(%q, %q)) = %v", c.a, c.b, Changed(got))
		}
	}
}
