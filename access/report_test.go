package access

import (
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/vigia-mx/vigia/archive"
)

func TestDate(t *testing.T) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	b := &builder{loc: loc}
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC), "27 de noviembre de 2026"},
		{time.Date(2027, 1, 1, 3, 0, 0, 0, time.UTC), "31 de diciembre de 2026"}, // still the 31st in Mexico City
		{time.Date(2026, 5, 1, 6, 0, 0, 0, time.UTC), "1 de mayo de 2026"},
		{time.Time{}, ""},
	} {
		if got := b.date(tc.t); got != tc.want {
			t.Errorf("date(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestWithheldLine(t *testing.T) {
	for _, tc := range []struct {
		personal, pending, below int
		want                     string
	}{
		{0, 0, 0, ""},
		{1, 0, 0, "1 versión no se entrega: 1 por tratarse de contenido personal"},
		{0, 1, 0, "1 versión no se entrega: 1 pendiente de revisión"},
		{0, 2, 0, "2 versiones no se entregan: 2 pendientes de revisión"},
		{2, 1, 0, "3 versiones no se entregan: 2 por tratarse de contenido personal y 1 pendiente de revisión"},
		{0, 0, 1, "1 versión no se entrega: 1 decidida por el modelo con confianza por debajo del umbral de publicación 0.75, en espera de la decisión de una persona"},
		{1, 0, 2, "3 versiones no se entregan: 1 por tratarse de contenido personal y 2 decididas por el modelo con confianza por debajo del umbral de publicación 0.75, en espera de la decisión de una persona"},
	} {
		if got := withheldLine(tc.personal, tc.pending, tc.below, archive.Visibility{Threshold: 0.75}); got != tc.want {
			t.Errorf("withheldLine(%d, %d, %d) = %q, want %q", tc.personal, tc.pending, tc.below, got, tc.want)
		}
	}
}

func TestDeciderES(t *testing.T) {
	for by, want := range map[string]string{
		"person:lucia":              "una persona",
		"rule":                      "regla de la cuenta",
		"rule:politicas-2019-v1":    "regla de la cuenta (Políticas generales 2019, versión 1)",
		"model v3":                  "modelo de contenido v3",
		"model:es-3408a35877d5":     "modelo de contenido es-3408a35877d5",
		"":                          "",
		"person:<script>x</script>": "una persona",
	} {
		if got := deciderES(by); got != want {
			t.Errorf("deciderES(%q) = %q, want %q", by, got, want)
		}
	}
}
