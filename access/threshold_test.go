package access

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/archive/duckdb"
)

// A package under the default policy's threshold (0.75): a version the
// model decided function at 0.68 is withheld, counted and explained in
// Spanish; a post whose only version is such a guess is left out and
// counted apart; a rule's function is delivered.
func TestPackageWithholdsBelowThreshold(t *testing.T) {
	ctx := context.Background()
	st, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "a.duckdb"), duckdb.WriterOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	decide := func(p archive.Post, by string, conf float64) archive.Decision {
		d := archivetest.Decide(p, archive.Function, by, at)
		d.Confidence = conf
		return d
	}
	v1 := archivetest.Post("ana", "1", 1, "Sesión de la comisión de cultura en cabildo", at)
	v2 := archivetest.Post("ana", "1", 2, "Sesión de la comisión de cultura en cabildo, y luego a la fiesta de mi prima", at)
	only := archivetest.Post("ana", "2", 1, "Reunión con vecinos de la colonia y luego tacos con mis amigos", at.Add(time.Hour))
	rule := archivetest.Post("obras", "3", 1, "Aviso de cierre vial por obras de drenaje", at.Add(2*time.Hour))
	if err := st.Append(ctx, &archive.Batch{Posts: []archive.Post{v1, v2, only, rule}, Decisions: []archive.Decision{
		decide(v1, "model:es-1", 0.9), decide(v2, "model:es-1", 0.68), decide(only, "model:es-1", 0.6), decide(rule, "rule:v1", 1),
	}}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "paquete")
	pkg, err := Answer(ctx, st, archive.Query{}, Request{Folio: "UT/7/2026", Received: at, Deadline: at.AddDate(0, 1, 0), DaysAllowed: 20},
		dir, Options{Visibility: archive.Visibility{Threshold: 0.75}, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	if pkg.Delivered != 2 || pkg.Versions != 2 || pkg.WithheldBelowThreshold != 1 || pkg.BelowThreshold != 1 || pkg.Undetermined != 0 || pkg.WithheldVersions() != 1 {
		t.Errorf("package: %d delivered, %d versions, %d withheld below the threshold, %d posts below it, %d awaiting review; want 2, 2, 1, 1, 0",
			pkg.Delivered, pkg.Versions, pkg.WithheldBelowThreshold, pkg.BelowThreshold, pkg.Undetermined)
	}
	report, err := os.ReadFile(filepath.Join(dir, "respuesta.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"La versión 2 de esta publicación no se entrega: decidida por el modelo con confianza 0.68, por debajo del umbral de publicación 0.75: espera la decisión de una persona.",
		"1 versión no se entrega: 1 decidida por el modelo con confianza por debajo del umbral de publicación 0.75, en espera de la decisión de una persona",
		"<strong>1</strong> publicación fue decidida por el modelo de clasificación como relacionada con las funciones, con una confianza por debajo del umbral de publicación (0.75): espera la decisión de una persona",
	} {
		if !strings.Contains(string(report), want) {
			t.Errorf("respuesta.html lacks %q", want)
		}
	}
	for _, name := range []string{"respuesta.html", "publicaciones.csv", "publicaciones.jsonl"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"fiesta de mi prima", "tacos con mis amigos"} {
			if strings.Contains(string(data), secret) {
				t.Errorf("%s holds %q, of a version below the threshold", name, secret)
			}
		}
	}
}
