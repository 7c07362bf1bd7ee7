package rss_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/crawler/feed"
	"github.com/vigia-mx/vigia/crawler/rss"
)

const fixtures crawlertest.Dir = "../../testdata/rss/"

var date = crawlertest.Time

// rawElements cuts the <item> or <entry> elements of a fixture naively: the
// fixtures do not nest them, so the n-th start tag up to the n-th end tag.
func rawElements(t *testing.T, body []byte, name string) [][]byte {
	t.Helper()
	var out [][]byte
	rest, off := body, 0
	for {
		i := bytes.Index(rest, []byte("<"+name))
		if i < 0 || i+len(name)+1 >= len(rest) {
			return out
		}
		if c := rest[i+len(name)+1]; c != '>' && c != ' ' {
			rest, off = rest[i+1:], off+i+1
			continue
		}
		j := bytes.Index(rest[i:], []byte("</"+name+">"))
		if j < 0 {
			t.Fatalf("unclosed <%s> at %d", name, off+i)
		}
		end := i + j + len("</"+name+">")
		out = append(out, body[off+i:off+end])
		rest, off = rest[end:], off+end
	}
}

func TestParseFeed(t *testing.T) {
	const gdl = "https://guadalajara.gob.mx/"
	const masto = "https://files.mastodon.social/media_attachments/files/"
	tests := []struct {
		file    string
		element string // item or entry
		wantLen int
		want    map[int]archive.Post // Raw left out; see TestRawItems
	}{
		{
			file: "guadalajara-boletines.xml", element: "item", wantLen: 6,
			want: map[int]archive.Post{
				0: { // content:encoded preferred to the description
					PostID: gdl + "?p=48213", URL: gdl + "boletines/arranca-programa-de-bacheo-nocturno-en-14-colonias-del-oriente/",
					Author: "Comunicación Social", PublishedAt: date("2026-01-13T01:05:42Z"),
					Text: "Arranca programa de bacheo nocturno en 14 colonias del oriente\n\n" +
						"Guadalajara, Jalisco, 12 de enero de 2026.- Las cuadrillas de Obras Públicas trabajarán de 22:00 a 05:00 horas para no afectar la circulación diurna.\n\n" +
						"“Queremos calles dignas sin cerrar la ciudad”, señaló la Presidenta Municipal durante el arranque en la colonia San Andrés.\n\n" +
						"Las colonias incluidas en la primera etapa son:\n\nSan Andrés\n\nOblatos\n\nJardines de la Paz\n\n" +
						"El calendario completo puede consultarse en el portal municipal.",
				},
				1: { // CDATA description and a PDF enclosure
					PostID: gdl + "?p=48190", URL: gdl + "boletines/convocatoria-presupuesto-participativo-2026/",
					Author: "Comunicación Social", PublishedAt: date("2026-01-12T19:30:00Z"),
					Text: "Convocatoria: Presupuesto Participativo 2026\n\n" +
						"Vecinas y vecinos podrán votar del 1 al 28 de febrero las obras que se harán en su colonia con un fondo de 150 millones de pesos. Consulta las bases en el documento adjunto.\n\n" +
						"La entrada Convocatoria: Presupuesto Participativo 2026 se publicó primero en Gobierno de Guadalajara.",
					Media: []archive.Media{{Kind: "document", MimeType: "application/pdf",
						URL: gdl + "wp-content/uploads/2026/01/bases-presupuesto-participativo-2026.pdf",
						ID:  gdl + "wp-content/uploads/2026/01/bases-presupuesto-participativo-2026.pdf"}},
				},
				2: { // the description starts with the title: not repeated
					PostID: gdl + "?p=48177", URL: gdl + "avisos/cierre-vial-en-avenida-juarez/",
					Author: "Movilidad GDL", PublishedAt: date("2026-01-12T15:10:27Z"),
					Text: "Cierre vial en avenida Juárez entre Federalismo y Enrique Díaz de León, el sábado 17 de enero de 07:00 a 14:00 horas, por el desfile cívico. Toma tus precauciones.",
				},
				3: {
					PostID: gdl + "?p=48150", URL: gdl + "boletines/capsula-licencia-de-giro-en-linea/",
					Author: "Comunicación Social", PublishedAt: date("2026-01-11T17:00:00Z"),
					Text: "Cápsula informativa: cómo tramitar tu licencia de giro en línea\n\n" +
						"Escucha en cuatro minutos los pasos para obtener tu licencia de giro sin acudir a ventanilla: requisitos, costos y tiempos de respuesta.\n\n" +
						gdl + "wp-content/uploads/2026/01/capsula-licencia-giro.mp3",
					Media: []archive.Media{{Kind: "audio", MimeType: "audio/mpeg",
						URL: gdl + "wp-content/uploads/2026/01/capsula-licencia-giro.mp3",
						ID:  gdl + "wp-content/uploads/2026/01/capsula-licencia-giro.mp3"}},
				},
			},
		},
		{
			file: "transparencia-atom.xml", element: "entry", wantLen: 3,
			want: map[int]archive.Post{
				0: { // updated later than published: an edit
					PostID: "https://transparencia.guadalajara.gob.mx/2026/01/09/padron-de-proveedores",
					URL:    "https://transparencia.guadalajara.gob.mx/2026/01/09/padron-de-proveedores.html",
					Author: "Unidad de Transparencia", PublishedAt: date("2026-01-09T16:00:00Z"), EditedAt: date("2026-01-12T23:45:00Z"),
					Text: "Publicamos el padrón de proveedores actualizado\n\n" +
						"El padrón incluye 2,314 personas físicas y morales con contrato vigente, con su RFC, giro y monto adjudicado en 2025.\n\n" +
						"Actualización 12/01/2026: se corrigió el monto de tres contratos de mantenimiento vial.\n\n" +
						"Descarga el archivo en formato abierto desde datos.guadalajara.gob.mx.",
				},
				1: { // updated equal to published: no edit; media:content
					PostID: "https://transparencia.guadalajara.gob.mx/2026/01/07/gasto-comunicacion-social",
					URL:    "https://transparencia.guadalajara.gob.mx/2026/01/07/gasto-comunicacion-social.html",
					Author: "Unidad de Transparencia", PublishedAt: date("2026-01-07T15:00:00Z"),
					Text: "Informe trimestral de gasto en comunicación social\n\n" +
						"Entre octubre y diciembre de 2025 se ejercieron 18.4 millones de pesos en campañas de difusión; el 62 % correspondió a medios digitales.",
					Media: []archive.Media{{Kind: "image",
						URL: "https://transparencia.guadalajara.gob.mx/assets/img/grafica-gasto-4t-2025.png",
						ID:  "https://transparencia.guadalajara.gob.mx/assets/img/grafica-gasto-4t-2025.png"}},
				},
				2: { // an empty author name: the feed's author
					PostID: "https://transparencia.guadalajara.gob.mx/2026/01/05/calendario-comite",
					URL:    "https://transparencia.guadalajara.gob.mx/2026/01/05/calendario-comite.html",
					Author: "Dirección de Transparencia", PublishedAt: date("2026-01-05T18:30:00Z"),
					Text: "“Guadalajara Abierta”: calendario de sesiones del Comité de Transparencia\n\n" +
						"Las sesiones ordinarias serán el último jueves de cada mes a las 10:00 horas, con transmisión en vivo.",
				},
			},
		},
		{
			file: "mastodon-account.rss", element: "item", wantLen: 4,
			want: map[int]archive.Post{
				0: {
					PostID: "https://mastodon.social/@GobiernoGDL/115882310447615203", URL: "https://mastodon.social/@GobiernoGDL/115882310447615203",
					Author: "Gobierno de Guadalajara", PublishedAt: date("2026-01-12T23:41:08Z"),
					Text: "Esta noche arranca el bacheo nocturno en 14 colonias del oriente. Las cuadrillas trabajan de 22:00 a 05:00 h para no afectar la circulación. #Guadalajara #ObrasPúblicas",
					Media: []archive.Media{{Kind: "image", MimeType: "image/jpeg",
						URL: masto + "115/882/309/112/734/501/original/2b7c95e0f1d4a3c8.jpg", ID: masto + "115/882/309/112/734/501/original/2b7c95e0f1d4a3c8.jpg",
						PreviewURL: masto + "115/882/309/112/734/501/small/2b7c95e0f1d4a3c8.jpg",
						Alt:        "Cuadrilla de Obras Públicas con chalecos reflejantes rellenando un bache en la colonia San Andrés, de noche."}},
				},
				1: { // an audio attachment, listed as enclosure and media:content, kept once
					PostID: "https://mastodon.social/@GobiernoGDL/115879402216731988", URL: "https://mastodon.social/@GobiernoGDL/115879402216731988",
					Author: "Gobierno de Guadalajara", PublishedAt: date("2026-01-12T11:21:30Z"),
					Text: "🎧 Cápsula informativa: cómo tramitar tu licencia de giro en línea, en cuatro minutos.\n\nMás trámites en https://guadalajara.gob.mx/tramites",
					Media: []archive.Media{{Kind: "audio", MimeType: "audio/mpeg",
						URL: masto + "115/879/398/004/118/222/original/91e0d7c2a5b3f846.mp3", ID: masto + "115/879/398/004/118/222/original/91e0d7c2a5b3f846.mp3",
						PreviewURL: masto + "115/879/398/004/118/222/small/91e0d7c2a5b3f846.png",
						Alt:        "Audio de la cápsula: requisitos, costos y tiempos para la licencia de giro."}},
				},
				3: {
					PostID: "https://mastodon.social/@GobiernoGDL/115862774903518840", URL: "https://mastodon.social/@GobiernoGDL/115862774903518840",
					Author: "Gobierno de Guadalajara", PublishedAt: date("2026-01-09T08:52:44Z"),
					Text: "Así quedó la rehabilitación del Parque Morelos. #EspacioPúblico",
					Media: []archive.Media{
						{Kind: "video", MimeType: "video/mp4",
							URL: masto + "115/862/770/228/337/104/original/c4a8e1f27d0b9356.mp4", ID: masto + "115/862/770/228/337/104/original/c4a8e1f27d0b9356.mp4",
							PreviewURL: masto + "115/862/770/228/337/104/small/c4a8e1f27d0b9356.png"},
						{Kind: "image", MimeType: "image/jpeg",
							URL: masto + "115/862/771/905/611/270/original/0e6f3b9a82c1d547.jpg", ID: masto + "115/862/771/905/611/270/original/0e6f3b9a82c1d547.jpg",
							PreviewURL: masto + "115/862/771/905/611/270/small/0e6f3b9a82c1d547.jpg",
							Alt:        "Vista aérea del Parque Morelos con los andadores nuevos y la fuente restaurada."},
					},
				},
			},
		},
		{
			file: "cabildo-rdf.xml", element: "item", wantLen: 3,
			want: map[int]archive.Post{
				0: { // RSS 1.0: no guid, the link identifies; dc:date, dc:creator, dc:language
					PostID: "https://cabildo.guadalajara.gob.mx/gacetas/2026/tomo-i-ejemplar-3", URL: "https://cabildo.guadalajara.gob.mx/gacetas/2026/tomo-i-ejemplar-3",
					Author: "Secretaría General del Ayuntamiento", PublishedAt: date("2026-01-09T20:02:00Z"),
					Text: "Gaceta Municipal Tomo I, Ejemplar 3, Año 109\n\nAcuerdo que aprueba el Programa Municipal de Bacheo 2026 y reglamento de mercados.",
				},
				1: {
					PostID: "https://cabildo.guadalajara.gob.mx/gacetas/2026/tomo-i-ejemplar-2", URL: "https://cabildo.guadalajara.gob.mx/gacetas/2026/tomo-i-ejemplar-2",
					Author: "Secretaría General del Ayuntamiento", PublishedAt: date("2026-01-02T15:15:00Z"),
					Text: "Gaceta Municipal Tomo I, Ejemplar 2, Año 109\n\nPresupuesto de Egresos del Municipio de Guadalajara para el ejercicio fiscal 2026, aprobado en la sesión ordinaria del 18 de diciembre de 2025.\n\nDescargar PDF",
				},
			},
		},
		{
			file: "proteccion-civil-latin1.xml", element: "item", wantLen: 3,
			want: map[int]archive.Post{
				0: { // ISO-8859-1, no guid: the link identifies; no author: the feed's title
					PostID: "https://proteccioncivil.guadalajara.gob.mx/aviso.aspx?id=1187", URL: "https://proteccioncivil.guadalajara.gob.mx/aviso.aspx?id=1187",
					Author: "Protección Civil y Bomberos Guadalajara - Avisos", PublishedAt: date("2026-01-08T16:15:00Z"),
					Text: "Temporada de estiaje: prohíbe quemas agrícolas y de basura\n\nDel 1 de enero al 30 de junio queda prohibida la quema de pastizales, basura y residuos agrícolas en el municipio. Reporta incendios al 911.",
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body := fixtures.ReadFile(t, tt.file)
			posts, err := rss.ParseFeed(body, "https://example.gob.mx/"+tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(posts), tt.wantLen; got != want {
				t.Fatalf("got %d posts, want %d", got, want)
			}
			wantType, wantLang := feed.TypeRSS, "es"
			if tt.element == "entry" {
				wantType = feed.TypeAtom
			}
			if strings.HasPrefix(tt.file, "mastodon") {
				wantLang = "" // Mastodon's feed declares no language
			}
			for i, want := range tt.want {
				got := posts[i]
				if got.Network != archive.RSS || got.RawType != wantType || got.Language != wantLang || len(got.Metrics) != 0 {
					t.Errorf("post %d: network %q, raw type %q, language %q, metrics %v; want rss, %q, %q, none",
						i, got.Network, got.RawType, got.Language, got.Metrics, wantType, wantLang)
				}
				want.Network, want.RawType, want.Language = archive.RSS, wantType, wantLang
				crawlertest.CheckPost(t, got, want)
			}
		})
	}
}

func TestRawItems(t *testing.T) {
	tests := []struct {
		file, element string
	}{
		{"guadalajara-boletines.xml", "item"},
		{"transparencia-atom.xml", "entry"}, // one line, as jekyll-feed writes it
		{"mastodon-account.rss", "item"},
		{"cabildo-rdf.xml", "item"},
		{"proteccion-civil-latin1.xml", "item"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body := fixtures.ReadFile(t, tt.file)
			posts, err := rss.ParseFeed(body, "https://example.gob.mx/"+tt.file)
			if err != nil {
				t.Fatal(err)
			}
			want := rawElements(t, body, tt.element)
			if got, want := len(posts), len(want); got != want {
				t.Fatalf("got %d posts, want %d", got, want)
			}
			for i := range posts {
				if got := posts[i].Raw; !bytes.Equal(got, want[i]) {
					t.Errorf("post %d raw:\n got %q\nwant %q", i, got, want[i])
				}
			}
		})
	}
}

func TestParseFeedLegacyCharset(t *testing.T) {
	body := fixtures.ReadFile(t, "proteccion-civil-latin1.xml")
	posts, err := rss.ParseFeed(body, "https://proteccioncivil.guadalajara.gob.mx/rss.aspx")
	if err != nil {
		t.Fatal(err)
	}
	// The raw item stays in the feed's own encoding: "í" is the byte 0xED.
	if got, want := posts[0].Raw, []byte("proh\xedbe"); !bytes.Contains(got, want) {
		t.Errorf("raw item %q does not hold %q", got, want)
	}
	// An item with neither guid nor link is named by the hash of its bytes.
	last := posts[2]
	sum := sha256.Sum256(rawElements(t, body, "item")[2])
	if got, want := last.PostID, hex.EncodeToString(sum[:]); got != want {
		t.Errorf("post id %q, want %q", got, want)
	}
	if got, want := last.URL, ""; got != want {
		t.Errorf("url %q, want %q", got, want)
	}
}

func TestParseFeedControlCharacters(t *testing.T) {
	// A stray vertical tab, as some CMSs copy from word processors: XML
	// forbids it, gofeed drops it, and the raw item keeps it.
	body := bytes.Replace(fixtures.ReadFile(t, "guadalajara-boletines.xml"), []byte("Toma tus precauciones."), []byte("Toma tus\x0b precauciones."), 1)
	posts, err := rss.ParseFeed(body, "https://guadalajara.gob.mx/feed/")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := posts[2].Raw, []byte("Toma tus\x0b precauciones."); !bytes.Contains(got, want) {
		t.Errorf("raw item %q does not hold %q", got, want)
	}
	if got, want := posts[2].Text, "precauciones."; !strings.HasSuffix(got, want) {
		t.Errorf("text %q, want it to end with %q", got, want)
	}
}

func TestParseFeedErrors(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"truncated", fixtures.ReadFile(t, "malformed.xml"), "parse feed https://example.gob.mx/feed: XML syntax error on line 32: unexpected EOF"},
		{"html page", fixtures.ReadFile(t, "not-a-feed.html"), "parse feed https://example.gob.mx/feed: not an RSS or Atom feed"},
		{"empty", nil, "parse feed https://example.gob.mx/feed: not an RSS or Atom feed"},
		{"json feed", []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"Avisos","items":[]}`),
			"parse feed https://example.gob.mx/feed: json feeds are not supported, only RSS and Atom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rss.ParseFeed(tt.body, "https://example.gob.mx/feed")
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error %q, want %q", got, tt.want)
			}
		})
	}
}
