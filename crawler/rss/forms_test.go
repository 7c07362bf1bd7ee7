package rss_test

import (
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/crawler/feed"
	"github.com/vigia-mx/vigia/crawler/rss"
)

// TestParseFeedForms states, for each form a feed item takes, the text and
// media the archive must hold: formas-rss.xml (RSS 2.0) and formas-atom.xml
// (Atom) hold an item of an image alone, an HTML description, a title
// alone, a video described in Media RSS, an Atom summary in text and in
// HTML, an Atom enclosure link, and XHTML content. Feeds have no reposts
// or quotes: Shared stays nil.
func TestParseFeedForms(t *testing.T) {
	const zap = "https://www.zapopan.gob.mx/"
	const cong = "https://www.congresojal.gob.mx/comunicados/2026/01/"
	tests := []struct {
		file string
		typ  string
		want []archive.Post // Raw left out; see TestRawItems
	}{
		{
			file: "formas-rss.xml", typ: feed.TypeRSS,
			want: []archive.Post{
				{ // an image alone: no title, an empty description
					PostID: zap + "galeria/2026/01/14/jornada-de-reforestacion/", URL: zap + "galeria/2026/01/14/jornada-de-reforestacion/",
					Author: "Zapopan · Avisos y galería", PublishedAt: date("2026-01-15T00:05:00Z"),
					Media: []archive.Media{{Kind: "image", MimeType: "image/jpeg",
						URL: zap + "wp-content/uploads/2026/01/reforestacion-colomos.jpg", ID: zap + "wp-content/uploads/2026/01/reforestacion-colomos.jpg"}},
				},
				{ // HTML description, escaped: tags dropped, line break kept, entities decoded once
					PostID: zap + "avisos/2026/01/14/suspension-agua-ciudad-granja/", URL: zap + "avisos/2026/01/14/suspension-agua-ciudad-granja/",
					Author: "Zapopan · Avisos y galería", PublishedAt: date("2026-01-14T17:30:00Z"),
					Text: "Suspensión temporal del servicio de agua en Ciudad Granja\n\n" +
						"Jueves 15 de enero, de 09:00 a 18:00 h\nColonias: Ciudad Granja, El Vigía & Jardines Vallarta.\n\nPipas gratuitas: 33 3818 2200.",
				},
				{ // a title alone
					PostID: zap + "avisos/2026/01/13/feria-del-empleo/", URL: zap + "avisos/2026/01/13/feria-del-empleo/",
					Author: "Zapopan · Avisos y galería", PublishedAt: date("2026-01-13T15:00:00Z"),
					Text: "Feria del empleo en la Unidad Administrativa Basílica, viernes 16 de enero",
				},
				{ // a video whose Media RSS description is the file's
					PostID: zap + "galeria/2026/01/12/colector-avenida-guadalupe/", URL: zap + "galeria/2026/01/12/colector-avenida-guadalupe/",
					Author: "Zapopan · Avisos y galería", PublishedAt: date("2026-01-12T23:45:00Z"),
					Text: "Video: así se construye el colector pluvial de avenida Guadalupe",
					Media: []archive.Media{{Kind: "video", MimeType: "video/mp4",
						URL: zap + "wp-content/uploads/2026/01/colector-guadalupe.mp4", ID: zap + "wp-content/uploads/2026/01/colector-guadalupe.mp4",
						PreviewURL: zap + "wp-content/uploads/2026/01/colector-guadalupe.jpg",
						Alt:        "Recorrido por la obra del colector pluvial, con la tubería de 2.4 metros ya colocada."}},
				},
			},
		},
		{
			file: "formas-atom.xml", typ: feed.TypeAtom,
			want: []archive.Post{
				{ // a text summary alone
					PostID: "tag:congresojal.gob.mx,2026-01-14:/comunicados/ley-ingresos-guadalajara", URL: cong + "14/ley-ingresos-guadalajara",
					Author: "Coordinación de Comunicación Social", PublishedAt: date("2026-01-14T19:40:00Z"),
					Text: "Aprueba el Pleno la Ley de Ingresos de Guadalajara 2026\n\n" +
						"Con 31 votos a favor y 4 en contra, el Pleno aprobó la Ley de Ingresos del municipio de Guadalajara para el ejercicio fiscal 2026.",
				},
				{ // an HTML title and summary, updated after published
					PostID: "tag:congresojal.gob.mx,2026-01-13:/comunicados/comision-hacienda", URL: cong + "13/comision-hacienda",
					Author: "Coordinación de Comunicación Social", PublishedAt: date("2026-01-13T17:00:00Z"), EditedAt: date("2026-01-13T18:10:00Z"),
					Text: "Sesión de la Comisión de Hacienda & Presupuesto\n\nLa comisión dictaminó 12 iniciativas.\nOrden del día: PDF",
				},
				{ // a title and an enclosure link
					PostID: "tag:congresojal.gob.mx,2026-01-12:/comunicados/estenografica-112", URL: cong + "12/estenografica-112",
					Author: "Coordinación de Comunicación Social", PublishedAt: date("2026-01-12T23:00:00Z"),
					Text: "Versión estenográfica de la sesión ordinaria 112",
					Media: []archive.Media{{Kind: "document", MimeType: "application/pdf",
						URL: "https://www.congresojal.gob.mx/archivos/estenograficas/sesion-112.pdf", ID: "https://www.congresojal.gob.mx/archivos/estenograficas/sesion-112.pdf"}},
				},
				{ // XHTML content; a link without rel
					PostID: "tag:congresojal.gob.mx,2026-01-12:/comunicados/agenda-semana", URL: cong + "12/agenda-semana",
					Author: "Coordinación de Comunicación Social", PublishedAt: date("2026-01-12T15:00:00Z"),
					Text: "Agenda legislativa de la semana\n\nMartes: Comisión de Puntos Constitucionales.\n\nJueves: sesión ordinaria a las 11:00 h.",
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			posts, err := rss.ParseFeed(fixtures.ReadFile(t, tt.file), "https://example.gob.mx/"+tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(posts) != len(tt.want) {
				t.Fatalf("got %d posts, want %d", len(posts), len(tt.want))
			}
			for i, want := range tt.want {
				want.Network, want.RawType, want.Language = archive.RSS, tt.typ, "es"
				if raw := crawlertest.CheckPost(t, posts[i], want); len(raw) == 0 {
					t.Errorf("post %d: no raw item", i)
				}
			}
		})
	}
}
