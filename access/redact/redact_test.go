package redact

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// found is a mark as the tests write it: its kind and the original text.
type found struct{ kind, text string }

func marksOf(text string, marks []Mark) []found {
	var got []found
	for _, m := range marks {
		got = append(got, found{m.Kind, text[m.Start:m.End]})
	}
	return got
}

var public = []string{"@GobiernoGDL", "transparencia.bsky.social", "alcaldia@mastodon.social"}

func TestRedact(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
		// marks, in order; nil when the text must come back unchanged
		marks []found
	}{
		// E-mail addresses.
		{"e-mail", "Escríbeme a juana.perez@correo.mx para la cita.", "Escríbeme a [correo testado] para la cita.",
			[]found{{KindEmail, "juana.perez@correo.mx"}}},
		{"e-mail with accents and capitals", "Contacto: María.López@Ejemplo.com.MX, gracias", "Contacto: [correo testado], gracias",
			[]found{{KindEmail, "María.López@Ejemplo.com.MX"}}},
		{"mailto", "mailto:ana+obra@correo-vecinal.org.mx", "mailto:[correo testado]",
			[]found{{KindEmail, "ana+obra@correo-vecinal.org.mx"}}},
		{"two e-mails", "ana@correo.mx, beto@correo.mx.", "[correo testado], [correo testado].",
			[]found{{KindEmail, "ana@correo.mx"}, {KindEmail, "beto@correo.mx"}}},

		// Telephone numbers that need no context.
		{"2-4-4 with spaces", "Llamó al 33 1234 5678 ayer", "Llamó al [teléfono testado] ayer", []found{{KindPhone, "33 1234 5678"}}},
		{"area code in parentheses", "(33) 1234-5678", "[teléfono testado]", []found{{KindPhone, "(33) 1234-5678"}}},
		{"+52", "Marque +52 33 1234 5678.", "Marque [teléfono testado].", []found{{KindPhone, "+52 33 1234 5678"}}},
		{"+52 1 for mobiles", "+52 1 33 1234 5678", "[teléfono testado]", []found{{KindPhone, "+52 1 33 1234 5678"}}},
		{"+52 and parentheses", "+52 (33) 1234 5678", "[teléfono testado]", []found{{KindPhone, "+52 (33) 1234 5678"}}},
		{"52 without plus", "52 33 1234 5678", "[teléfono testado]", []found{{KindPhone, "52 33 1234 5678"}}},
		{"+52 run together", "+523312345678", "[teléfono testado]", []found{{KindPhone, "+523312345678"}}},
		{"ten digits run together", "mi número es 3312345678", "mi número es [teléfono testado]", []found{{KindPhone, "3312345678"}}},
		{"01 long distance", "01 33 1234 5678", "[teléfono testado]", []found{{KindPhone, "01 33 1234 5678"}}},
		{"044 mobile", "044 33 1234 5678", "[teléfono testado]", []found{{KindPhone, "044 33 1234 5678"}}},
		{"dots", "333.123.4567", "[teléfono testado]", []found{{KindPhone, "333.123.4567"}}},
		{"dashes", "33-1234-5678", "[teléfono testado]", []found{{KindPhone, "33-1234-5678"}}},
		{"3-3-2-2", "477 123 45 67", "[teléfono testado]", []found{{KindPhone, "477 123 45 67"}}},
		{"three-digit area code", "(477) 123 4567", "[teléfono testado]", []found{{KindPhone, "(477) 123 4567"}}},
		{"no-break spaces", "33\u00a01234\u00a05678", "[teléfono testado]", []found{{KindPhone, "33\u00a01234\u00a05678"}}},
		{"alternative ending", "33 1234 5678/79", "[teléfono testado]/79", []found{{KindPhone, "33 1234 5678"}}},
		{"in parentheses", "(3312345678)", "([teléfono testado])", []found{{KindPhone, "3312345678"}}},

		// Telephone numbers that need a word before them.
		{"tel. and 8 digits", "Tel. 3614-5678", "Tel. [teléfono testado]", []found{{KindPhone, "3614-5678"}}},
		{"cel: and 8 digits", "CEL: 3614 5678", "CEL: [teléfono testado]", []found{{KindPhone, "3614 5678"}}},
		{"whatsapp", "Whatsapp 36145678", "Whatsapp [teléfono testado]", []found{{KindPhone, "36145678"}}},
		{"word a few words back", "al teléfono de la oficina 3614-5678", "al teléfono de la oficina [teléfono testado]",
			[]found{{KindPhone, "3614-5678"}}},
		{"accent in NFD", "Tele\u0301fono: 3614-5678", "Tele\u0301fono: [teléfono testado]", []found{{KindPhone, "3614-5678"}}},
		{"telephone emoji", "📞 3614-5678", "📞 [teléfono testado]", []found{{KindPhone, "3614-5678"}}},
		{"a list of numbers", "Tels. 3614-5678 y 3615-0000", "Tels. [teléfono testado] y [teléfono testado]",
			[]found{{KindPhone, "3614-5678"}, {KindPhone, "3615-0000"}}},
		{"ten digits in pairs", "cel. 33 12 34 56 78", "cel. [teléfono testado]", []found{{KindPhone, "33 12 34 56 78"}}},

		// Mentions.
		{"mention", "Gracias @juan_perez.", "Gracias [mención testada].", []found{{KindMention, "@juan_perez"}}},
		{"bluesky mention", "cc @vecina.bsky.social", "cc [mención testada]", []found{{KindMention, "@vecina.bsky.social"}}},
		{"fediverse mention", "(@vecina@mastodon.social)", "([mención testada])", []found{{KindMention, "@vecina@mastodon.social"}}},
		{"public reply", ".@vecina gracias", ".[mención testada] gracias", []found{{KindMention, "@vecina"}}},
		{"mention with accents", "¡Hola @José!", "¡Hola [mención testada]!", []found{{KindMention, "@José"}}},
		{"public mentions kept in any case", "@gobiernogdl @GOBIERNOGDL @Transparencia.bsky.social @alcaldia@Mastodon.Social", "@gobiernogdl @GOBIERNOGDL @Transparencia.bsky.social @alcaldia@Mastodon.Social", nil},
		{"public only on its instance", "@alcaldia @gobiernogdl@otra.social", "[mención testada] [mención testada]",
			[]found{{KindMention, "@alcaldia"}, {KindMention, "@gobiernogdl@otra.social"}}},

		// Everything at once, with offsets after multi-byte text.
		{"mixed", "Señora Núñez: escríbame a ana@correo.mx o al 33 1234 5678; @beto ya sabe.",
			"Señora Núñez: escríbame a [correo testado] o al [teléfono testado]; [mención testada] ya sabe.",
			[]found{{KindEmail, "ana@correo.mx"}, {KindPhone, "33 1234 5678"}, {KindMention, "@beto"}}},

		// Left alone.
		{"date", "El plazo vence el 2026-11-27 a las 10:30 horas.", "", nil},
		{"dates other ways", "del 27/11/2026 al 27.12.2026", "", nil},
		{"time range", "Horario 10:00-14:00", "", nil},
		{"amount", "Se invirtieron $1,234,567.00 en la obra.", "", nil},
		{"amount without commas", "Se pagaron $ 3312345678 al contratista.", "", nil},
		{"amount in pesos", "La obra costó 3312345678 pesos.", "", nil},
		{"percentage", "creció 3312345678%", "", nil},
		{"folio", "Folio 3312345678", "", nil},
		{"folio with number sign", "folio n.º 33 1234 5678", "", nil},
		{"expediente", "Expediente: 3312345678", "", nil},
		{"oficio", "Oficio No. 3312345678", "", nil},
		{"years", "En 2026 y 2027 habrá obra; periodo 2024-2027.", "", nil},
		{"annual reports", "Informes 2025 2026", "", nil},
		{"eight digits without a word", "Se repartieron 1234-5678 despensas", "", nil},
		{"pairs without a word", "Rutas 25 30 45 50 62", "", nil},
		{"starts with 1", "1234567890", "", nil},
		{"long id", "1864201600123456789", "", nil},
		{"inside a word", "ABC3312345678", "", nil},
		{"too many digits", "33 1234 56789", "", nil},
		{"decimal", "3312345678.50", "", nil},
		{"isbn", "ISBN 978-607-1234-56-7", "", nil},
		{"coordinates", "20.6736, -103.3440", "", nil},
		{"time after @", "nos vemos @12:00", "", nil},
		{"no domain", "escribe a ana@correo o a @", "", nil},
		{"status URL", "https://x.com/vecina/status/1864201600123456789", "", nil},
		{"@ inside URLs", "https://mastodon.social/@vecina y https://ejemplo.com/@usuario?correo=ana@correo.mx", "", nil},
		{"URL without scheme", "x.com/@vecina y www.ejemplo.mx/contacto/3312345678", "", nil},
	}
	r := New(public)
	for _, tt := range tests {
		got, marks := r.Redact(tt.text)
		want := tt.want
		if want == "" {
			want = tt.text
		}
		if got != want {
			t.Errorf("%s: Redact(%q) = %q, want %q", tt.name, tt.text, got, want)
		}
		if g := marksOf(tt.text, marks); !slices.Equal(g, tt.marks) {
			t.Errorf("%s: marks = %q, want %q", tt.name, g, tt.marks)
		}
		for _, m := range marks {
			if !strings.HasPrefix(m.Basis, "Artículo 115 de la Ley General de Transparencia") {
				t.Errorf("%s: mark %+v has no legal basis", tt.name, m)
			}
		}
	}
}

func TestRedactBasis(t *testing.T) {
	_, marks := New(nil).Redact("ana@correo.mx")
	if len(marks) != 1 {
		t.Fatalf("marks = %v, want one", marks)
	}
	want := "Artículo 115 de la Ley General de Transparencia y Acceso a la Información Pública (DOF 20-03-2025), información confidencial: correo electrónico que puede identificar a una persona particular"
	if got := marks[0].Basis; got != want {
		t.Errorf("Basis = %q, want %q", got, want)
	}
	// the office's own texts replace the built-in ones
	r := New(nil)
	r.Bases = map[string]string{KindEmail: "Artículo 99 de la ley local"}
	if _, marks := r.Redact("ana@correo.mx y 33 1234 5678"); len(marks) != 2 || marks[0].Basis != "Artículo 99 de la ley local" || !strings.HasPrefix(marks[1].Basis, "Artículo 115") {
		t.Errorf("with Bases: marks = %+v", marks)
	}
}

// An office's own address (a domain under gob.mx) is not a third party's
// data: it is kept; a private one beside it is masked.
func TestInstitutionalEmailKept(t *testing.T) {
	text := "Escriba a transparencia@guadalajara.gob.mx o a ana.ruiz@correo.mx"
	got, marks := New(nil).Redact(text)
	if want := "Escriba a transparencia@guadalajara.gob.mx o a [correo testado]"; got != want || len(marks) != 1 {
		t.Errorf("Redact(%q) = %q, %+v; want %q", text, got, marks, want)
	}
}

func TestZeroRedactorMasksAllMentions(t *testing.T) {
	var r Redactor
	got, _ := r.Redact("@gobiernogdl")
	if want := "[mención testada]"; got != want {
		t.Errorf("Redact = %q, want %q", got, want)
	}
}

func TestLoadPublic(t *testing.T) {
	got, err := LoadPublic("testdata/publicas.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"@GobiernoGDL", "transparencia.bsky.social", "alcaldia@mastodon.social"}
	if !slices.Equal(got, want) {
		t.Errorf("LoadPublic = %q, want %q", got, want)
	}
	r := New(got)
	for _, h := range []string{"gobiernogdl", "transparencia.bsky.social", "alcaldia@mastodon.social"} {
		if !r.Public[h] {
			t.Errorf("Public[%q] = false, want true", h)
		}
	}
}

func TestLoadPublicProblems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "publicas.txt")
	data := "gobiernogdl\nhttps://x.com/gobiernogdl\n\nJuan Pérez  # regidor\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadPublic(path)
	if err == nil {
		t.Fatal("LoadPublic succeeded, want problems")
	}
	for _, want := range []string{path + `:2: "https://x.com/gobiernogdl" is not a handle`, path + `:4: "Juan Pérez" is not a handle`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// --public-accounts takes a file, or the handles themselves.
func TestLoadPublicOrList(t *testing.T) {
	got, err := LoadPublicOrList("testdata/publicas.txt")
	if err != nil || len(got) != 3 {
		t.Errorf("file: %q, %v", got, err)
	}
	got, err = LoadPublicOrList("@congresojal, ieperjalisco.bsky.social;alcaldia@mastodon.social")
	if want := []string{"@congresojal", "ieperjalisco.bsky.social", "alcaldia@mastodon.social"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("list: %q, %v; want %q", got, err, want)
	}
	if _, err := LoadPublicOrList("publicas.txt"); err == nil || !strings.Contains(err.Error(), "publicas.txt") {
		t.Errorf("a missing file: %v", err)
	}
}
