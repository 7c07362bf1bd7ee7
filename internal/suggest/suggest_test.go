package suggest

import "testing"

func TestDidYouMean(t *testing.T) {
	keys := []string{"dias_habiles", "zona_horaria", "inhabiles"}
	for _, c := range []struct{ in, want string }{
		{"dias_habile", ` (did you mean "dias_habiles"?)`},
		{"Días_Hábiles", ` (did you mean "dias_habiles"?)`},
		{"zona", ""},
		{"inabiles", ` (did you mean "inhabiles"?)`},
	} {
		if got := DidYouMean(c.in, keys); got != c.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
