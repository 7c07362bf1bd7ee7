package telegram

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
)

// TestForms: each form a channel message takes, with the text the archive
// must hold for it, the origin a forward names, and the kinds of its media
// (avisos_gdl.html and avisos_gdl_formas.html; testdata/telegram/README.md).
func TestForms(t *testing.T) {
	byID := map[string]archive.Post{}
	for _, file := range []string{"avisos_gdl.html", "avisos_gdl_formas.html"} {
		posts, _, err := ParsePage(fixtures.ReadFile(t, file), DefaultBase)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range posts {
			byID[p.PostID] = p
		}
	}
	tests := []struct {
		form, id, text string
		repostOf       string
		shared         *archive.Shared
		media          string // kinds, in order
		edited         bool
	}{
		{form: "plain", id: "25", text: "Jornada de vacunación antirrábica gratuita para perros y gatos este sábado en los 12 centros de salud animal & módulos itinerantes. #SaludAnimal #Guadalajara"},
		{form: "reply", id: "16", text: "Actualización sobre el corte del miércoles: las colonias Americana y Lafayette ya tienen servicio normal; en Arcos Vallarta la presión termina de recuperarse hoy."},
		{form: "forward from a channel", id: "11",
			text:     "Aviso por lluvias\nSe prevén tormentas fuertes esta noche en la Zona Metropolitana de Guadalajara. Evita cruzar pasos a desnivel inundados.",
			repostOf: "https://t.me/pcjalisco_avisos/5120",
			shared:   &archive.Shared{Kind: archive.Forward, URL: "https://t.me/pcjalisco_avisos/5120", Author: "pcjalisco_avisos", AuthorName: "Protección Civil Jalisco"}},
		{form: "forward from a hidden user", id: "22",
			text:     "Reporte ciudadano: bache de gran tamaño en Av. Ávila Camacho frente al número 1450. Ya se canalizó a la Dirección de Obras Públicas.",
			repostOf: "telegram:forwarded:Vecinos de Santa Tere",
			shared:   &archive.Shared{Kind: archive.Forward, AuthorName: "Vecinos de Santa Tere"}},
		{form: "forward of a photo with a caption and a link", id: "41",
			text:     "La planta potabilizadora Miravalle opera al 60 % por mantenimiento.\nConsulta las colonias afectadas en siapa.gob.mx/avisos",
			repostOf: "https://t.me/siapa_gdl/902",
			shared:   &archive.Shared{Kind: archive.Forward, URL: "https://t.me/siapa_gdl/902", Author: "siapa_gdl", AuthorName: "SIAPA Guadalajara"},
			media:    "image"},
		{form: "forward of a photo alone, from a hidden user", id: "43", text: "",
			repostOf: "telegram:forwarded:Comité Vecinal Oblatos",
			shared:   &archive.Shared{Kind: archive.Forward, AuthorName: "Comité Vecinal Oblatos"},
			media:    "image"},
		{form: "photo alone", id: "28", text: "", media: "image"},
		{form: "video alone", id: "42", text: "", media: "video"},
		{form: "poll", id: "40", text: "¿Qué horario prefieres para la recolección de residuos en tu colonia?\n- Matutino (06:00 a 10:00 h)\n- Nocturno (20:00 a 24:00 h)"},
		{form: "edited", id: "17", edited: true, text: "Horario del Mercado Corona durante las obras de mantenimiento: de lunes a sábado de 07:00 a 19:00 h y domingos de 08:00 a 15:00 h."},
		{form: "link preview", id: "24", text: "Consulta los cierres viales de la semana en el mapa interactivo: guadalajara.gob.mx/cierres-viales", media: "link"},
		{form: "link preview of a video, edited", id: "44", edited: true, text: "Mira la transmisión de la sesión de Cabildo 🎥\n\nhttps://t.me/cabildo_gdl/310", media: "link"},
	}
	for _, tt := range tests {
		t.Run(tt.form, func(t *testing.T) {
			p, ok := byID[tt.id]
			if !ok {
				t.Fatalf("message %s not parsed", tt.id)
			}
			if p.Text != tt.text {
				t.Errorf("text\n got %q\nwant %q", p.Text, tt.text)
			}
			if p.RepostOf != tt.repostOf || p.Edited != tt.edited {
				t.Errorf("repost of %q, edited %v; want %q, %v", p.RepostOf, p.Edited, tt.repostOf, tt.edited)
			}
			if (p.Shared == nil) != (tt.shared == nil) || p.Shared != nil && !reflect.DeepEqual(p.Shared, tt.shared) {
				t.Errorf("shared %+v, want %+v", p.Shared, tt.shared)
			}
			var kinds []string
			for _, m := range p.Media {
				kinds = append(kinds, m.Kind)
			}
			if got := strings.Join(kinds, " "); got != tt.media {
				t.Errorf("media %q, want %q", got, tt.media)
			}
		})
	}
	// The link cards: the linked page, its title, its picture.
	if m := byID["44"].Media[0]; m.URL != "https://t.me/cabildo_gdl/310" || m.Alt != "Cabildo de Guadalajara" ||
		m.PreviewURL != "https://cdn4.telesco.pe/file/cabildo-thumb.jpg" || m.ID != "" {
		t.Errorf("link card of 44: %+v", m)
	}
}

// TestEarlier: the earlier form of each post is what vigia read before it
// kept forwards' text, polls and link cards — the posts the earlier tests
// expected (a forward with no text, no link media, a poll with no text) —
// and posts of no such form are their own earlier form.
func TestEarlier(t *testing.T) {
	posts, _, err := ParsePage(fixtures.ReadFile(t, "avisos_gdl.html"), DefaultBase)
	if err != nil {
		t.Fatal(err)
	}
	formas, _, err := ParsePage(fixtures.ReadFile(t, "avisos_gdl_formas.html"), DefaultBase)
	if err != nil {
		t.Fatal(err)
	}
	posts = append(posts, formas...)
	// the posts as the earlier parser gave them (its tests' table); a
	// forward without text (43) hashes as it did, and is not among them
	was := map[string]archive.Post{
		"11": {RepostOf: tme("pcjalisco_avisos/5120")},
		"22": {RepostOf: "telegram:forwarded:Vecinos de Santa Tere"},
		"24": {Text: "Consulta los cierres viales de la semana en el mapa interactivo: guadalajara.gob.mx/cierres-viales"},
		"40": {},
		"41": {RepostOf: "https://t.me/siapa_gdl/902", Media: []archive.Media{{Kind: "image", ID: tme("avisos_gdl/41#image0")}}},
		"44": {Text: "Mira la transmisión de la sesión de Cabildo 🎥\n\nhttps://t.me/cabildo_gdl/310"},
	}
	a := New()
	for _, p := range posts {
		e, changed := a.Earlier(&p)
		old, reparsed := was[p.PostID]
		if changed != reparsed {
			t.Errorf("post %s: earlier form changed = %v, want %v", p.PostID, changed, reparsed)
			continue
		}
		if !reparsed {
			if e.ContentHash() != p.ContentHash() {
				t.Errorf("post %s: earlier form hashes differently though unchanged", p.PostID)
			}
			continue
		}
		if e.ContentHash() != old.ContentHash() || e.ContentHash() == p.ContentHash() {
			t.Errorf("post %s: earlier form %+v, want the hash of %+v", p.PostID, e, old)
		}
	}
}
