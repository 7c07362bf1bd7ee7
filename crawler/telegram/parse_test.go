package telegram

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
)

const fixtures crawlertest.Dir = "../../testdata/telegram/"

func tme(path string) string { return "https://t.me/" + path }

var utc = crawlertest.Time

func TestParsePage(t *testing.T) {
	posts, before, err := ParsePage(fixtures.ReadFile(t, "avisos_gdl.html"), DefaultBase)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := before, "9"; got != want {
		t.Errorf("before = %q, want %q", got, want)
	}
	// Newest first; 15 was deleted and 18 is a service message ("pinned").
	if got, want := postIDs(posts), "30 29 28 27 26 25 24 23 22 21 19 17 16 14 13 12 11 10 9"; got != want {
		t.Errorf("post ids = %s, want %s", got, want)
	}
	byID := map[string]archive.Post{}
	for _, p := range posts {
		byID[p.PostID] = p
	}

	tests := []struct {
		name string
		want archive.Post
	}{
		{"text with line breaks and emoji", archive.Post{
			PostID: "10", URL: tme("avisos_gdl/10"), Author: "avisos_gdl", PublishedAt: utc("2025-03-04T13:30:00Z"),
			Text:    "💧 Corte de agua programado\n\nEl miércoles 5 de marzo, de 08:00 a 20:00 h, no habrá servicio en las colonias Americana, Lafayette y Arcos Vallarta por la reparación de una línea de 36 pulgadas.\n\n📍 Se instalarán pipas en el Jardín del Carmen.\nLlena tus depósitos con anticipación.",
			Metrics: archive.Metrics{"views": 5100},
		}},
		{"photo with caption", archive.Post{
			PostID: "9", URL: tme("avisos_gdl/9"), Author: "avisos_gdl", PublishedAt: utc("2025-03-03T15:02:11Z"),
			Text:    "Arranca la repavimentación de Av. Hidalgo\n\nDesde hoy y hasta el 28 de marzo se trabaja en el tramo de Av. Federalismo a Calzada Independencia. Habrá cierres parciales de carril de 22:00 a 06:00 h.\nToma tus precauciones 🚧",
			Media:   []archive.Media{{Kind: "image", URL: photo9, ID: tme("avisos_gdl/9#image0")}},
			Metrics: archive.Metrics{"views": 2900},
		}},
		{"forwarded from a channel", archive.Post{
			PostID: "11", URL: tme("avisos_gdl/11"), Author: "avisos_gdl", PublishedAt: utc("2025-03-05T02:14:40Z"),
			Text:     "Aviso por lluvias\nSe prevén tormentas fuertes esta noche en la Zona Metropolitana de Guadalajara. Evita cruzar pasos a desnivel inundados.",
			RepostOf: tme("pcjalisco_avisos/5120"),
			Shared:   &archive.Shared{Kind: archive.Forward, URL: tme("pcjalisco_avisos/5120"), Author: "pcjalisco_avisos", AuthorName: "Protección Civil Jalisco"},
			Metrics:  archive.Metrics{"views": 7800},
		}},
		{"document", archive.Post{
			PostID: "12", URL: tme("avisos_gdl/12"), Author: "avisos_gdl", PublishedAt: utc("2025-03-05T17:45:03Z"),
			Text:    "Consulta el programa de obra pública 2025 aprobado por el Cabildo: 143 obras en las seis zonas de la ciudad.",
			Media:   []archive.Media{{Kind: "document", Alt: "Programa_de_obra_publica_2025.pdf", ID: tme("avisos_gdl/12#document0")}},
			Metrics: archive.Metrics{"views": 1600},
		}},
		{"signed author", archive.Post{
			PostID: "13", URL: tme("avisos_gdl/13"), Author: "Laura Méndez", PublishedAt: utc("2025-03-06T16:20:00Z"),
			Text:    "Esta semana las brigadas de Parques y Jardines podaron 312 árboles en riesgo de caída en las zonas Centro y Oblatos. Si identificas un árbol en riesgo, repórtalo al 070.",
			Metrics: archive.Metrics{"views": 1100},
		}},
		{"video", archive.Post{
			PostID: "14", URL: tme("avisos_gdl/14"), Author: "avisos_gdl", PublishedAt: utc("2025-03-07T14:05:30Z"),
			Text:    "Así avanza la construcción del colector pluvial en la colonia Jardines del Bosque 🏗",
			Media:   []archive.Media{{Kind: "video", URL: video14, PreviewURL: thumb14, ID: tme("avisos_gdl/14#video0")}},
			Metrics: archive.Metrics{"views": 3700},
		}},
		{"reply keeps the quote out of the text", archive.Post{
			PostID: "16", URL: tme("avisos_gdl/16"), Author: "avisos_gdl", PublishedAt: utc("2025-03-07T21:10:00Z"),
			Text:    "Actualización sobre el corte del miércoles: las colonias Americana y Lafayette ya tienen servicio normal; en Arcos Vallarta la presión termina de recuperarse hoy.",
			ReplyTo: tme("avisos_gdl/10"),
			Metrics: archive.Metrics{"views": 2200},
		}},
		{"edited keeps the original time", archive.Post{
			PostID: "17", URL: tme("avisos_gdl/17"), Author: "avisos_gdl", PublishedAt: utc("2025-03-08T15:00:00Z"), Edited: true,
			Text:    "Horario del Mercado Corona durante las obras de mantenimiento: de lunes a sábado de 07:00 a 19:00 h y domingos de 08:00 a 15:00 h.",
			Metrics: archive.Metrics{"views": 1900},
		}},
		{"album with nested text", archive.Post{
			PostID: "19", URL: tme("avisos_gdl/19"), Author: "avisos_gdl", PublishedAt: utc("2025-03-10T18:30:00Z"),
			Text: "Entregamos la rehabilitación de la Unidad Deportiva López Mateos: nuevas canchas, alumbrado LED y bebederos.\n\n#ObrasGDL",
			Media: []archive.Media{
				{Kind: "image", URL: photo19a, ID: tme("avisos_gdl/19#image0")},
				{Kind: "image", URL: photo19b, ID: tme("avisos_gdl/19#image1")},
			},
			Metrics: archive.Metrics{"views": 4400},
		}},
		{"views 33.4K", archive.Post{
			PostID: "21", URL: tme("avisos_gdl/21"), Author: "avisos_gdl", PublishedAt: utc("2025-03-11T01:05:00Z"),
			Text:    "⚠️ Protección Civil Guadalajara\n\nSe atiende una fuga de gas en Av. Vallarta y Chapultepec. Evita la zona; hay cierre vial en ambos sentidos mientras se controla la fuga.\n\nEmergencias: 911.",
			Metrics: archive.Metrics{"views": 33400},
		}},
		{"forwarded from a hidden sender", archive.Post{
			PostID: "22", URL: tme("avisos_gdl/22"), Author: "avisos_gdl", PublishedAt: utc("2025-03-11T03:40:00Z"),
			Text:     "Reporte ciudadano: bache de gran tamaño en Av. Ávila Camacho frente al número 1450. Ya se canalizó a la Dirección de Obras Públicas.",
			RepostOf: "telegram:forwarded:Vecinos de Santa Tere",
			Shared:   &archive.Shared{Kind: archive.Forward, AuthorName: "Vecinos de Santa Tere"},
			Metrics:  archive.Metrics{"views": 980},
		}},
		{"video too big for the preview", archive.Post{
			PostID: "23", URL: tme("avisos_gdl/23"), Author: "avisos_gdl", PublishedAt: utc("2025-03-11T19:22:00Z"),
			Text:    "Sesión de Cabildo del 11 de marzo: aprobación del programa de bacheo nocturno.",
			Media:   []archive.Media{{Kind: "video", PreviewURL: thumb23, ID: tme("avisos_gdl/23#video0")}},
			Metrics: archive.Metrics{"views": 1300},
		}},
		{"link and link preview", archive.Post{
			PostID: "24", URL: tme("avisos_gdl/24"), Author: "avisos_gdl", PublishedAt: utc("2025-03-12T14:00:00Z"),
			Text:    "Consulta los cierres viales de la semana en el mapa interactivo: guadalajara.gob.mx/cierres-viales",
			Media:   []archive.Media{{Kind: "link", URL: "https://guadalajara.gob.mx/cierres-viales", PreviewURL: preview24, Alt: "Cierres viales"}},
			Metrics: archive.Metrics{"views": 2000},
		}},
		{"entities and hashtags", archive.Post{
			PostID: "25", URL: tme("avisos_gdl/25"), Author: "avisos_gdl", PublishedAt: utc("2025-03-12T20:15:00Z"),
			Text:    "Jornada de vacunación antirrábica gratuita para perros y gatos este sábado en los 12 centros de salud animal & módulos itinerantes. #SaludAnimal #Guadalajara",
			Metrics: archive.Metrics{"views": 845},
		}},
		{"reactions stay out of the text", archive.Post{
			PostID: "26", URL: tme("avisos_gdl/26"), Author: "avisos_gdl", PublishedAt: utc("2025-03-13T15:30:00Z"),
			Text:    "Recolección de residuos: por el día feriado del 17 de marzo, las rutas del lunes se recorren al martes. ♻️",
			Metrics: archive.Metrics{"views": 3200},
		}},
		{"photo without text", archive.Post{
			PostID: "28", URL: tme("avisos_gdl/28"), Author: "avisos_gdl", PublishedAt: utc("2025-03-14T14:10:00Z"),
			Media:   []archive.Media{{Kind: "image", URL: photo28, ID: tme("avisos_gdl/28#image0")}},
			Metrics: archive.Metrics{"views": 1700},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := byID[tt.want.PostID]
			if !ok {
				t.Fatalf("post %s not found", tt.want.PostID)
			}
			tt.want.RawType = "text/html"
			raw := crawlertest.CheckPost(t, got, tt.want)
			if !bytes.HasPrefix(raw, []byte(`<div class="tgme_widget_message_wrap`)) ||
				!bytes.Contains(raw, []byte(`data-post="avisos_gdl/`+tt.want.PostID+`"`)) ||
				bytes.Count(raw, []byte("data-post=")) != 1 {
				t.Errorf("post %s: Raw is not its own message wrap: %.200s", tt.want.PostID, raw)
			}
		})
	}
}

func TestParsePageFirstPage(t *testing.T) {
	posts, before, err := ParsePage(fixtures.ReadFile(t, "avisos_gdl_before_9.html"), DefaultBase)
	if err != nil {
		t.Fatal(err)
	}
	// The first page links newer messages only (data-after); 1 is "Channel created".
	if before != "" {
		t.Errorf("before = %q on the channel's first page, want none", before)
	}
	if got, want := postIDs(posts), "8 7 6 5 4 3 2"; got != want {
		t.Errorf("post ids = %s, want %s", got, want)
	}
}

func TestParsePageErrors(t *testing.T) {
	page := fixtures.ReadFile(t, "avisos_gdl.html")
	moreLink := bytes.Index(page, []byte(`<div class="tgme_widget_message_centered`))
	lastFooter := bytes.LastIndex(page, []byte(`<div class="tgme_widget_message_footer`))
	history := `<section class="tgme_channel_history js-message_history">`
	message := func(dataPost, datetime string) []byte {
		return []byte(history + `<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="` + dataPost + `"><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/` + dataPost + `"><time datetime="` + datetime + `" class="time">10:00</time></a></span></div></div></section>`)
	}
	tests := []struct {
		name    string
		body    []byte
		wantErr error  // matched with errors.Is, when set
		wantMsg string // else a part of the message
	}{
		{"empty body", nil, ErrNotChannelPage, ""},
		{"content filter page", fixtures.ReadFile(t, "not_channel.html"), ErrNotChannelPage, ""},
		{"user page without preview", fixtures.ReadFile(t, "regidora_ana_gdl.html"), ErrNotChannelPage, ""},
		{"truncated before the channel header", page[:2000], ErrNotChannelPage, ""},
		{"truncated in the last message", page[:lastFooter], nil, `read message "avisos_gdl/30": no publication time`},
		{"data-post without a number", message("avisos_gdl/abc", "2025-03-14T10:00:00+00:00"), nil, `read message "avisos_gdl/abc": data-post is not CHANNEL/NUMBER`},
		{"unreadable time", message("avisos_gdl/7", "ayer"), nil, `read message "avisos_gdl/7": parse time "ayer"`},
		{"nested messages", []byte(history + `<div class="tgme_widget_message" data-post="avisos_gdl/7"><div class="tgme_widget_message" data-post="avisos_gdl/8"></div></div>`), nil, `read message "avisos_gdl/7": it holds another message`},
		{"bad older-page cursor", append(page[:moreLink:moreLink], `<a class="tme_messages_more" data-before="9x"></a>`...), nil, `read older-page cursor "9x": not a message number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			posts, before, err := ParsePage(tt.body, DefaultBase)
			if err == nil {
				t.Fatalf("ParsePage = %d posts, before %q, no error", len(posts), before)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("ParsePage error = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("ParsePage error = %q, want it to contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestParsePageWithoutMessages(t *testing.T) {
	// A channel page past the first message: the header, no messages, an
	// empty ?before= link.
	page := fixtures.ReadFile(t, "avisos_gdl_before_9.html")
	head := page[:bytes.Index(page, []byte(`<section class="tgme_channel_history`))]
	body := append(head[:len(head):len(head)], `<section class="tgme_channel_history js-message_history"><div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/avisos_gdl?before=" class="tme_messages_more js-messages_more" data-before=""></a></div></section></div></main></body></html>`...)
	posts, before, err := ParsePage(body, DefaultBase)
	if err != nil || len(posts) != 0 || before != "" {
		t.Errorf("ParsePage = %d posts, before %q, error %v; want none", len(posts), before, err)
	}
}

// A wrap left open swallows the next messages; Raw then falls back to the
// message element, so that no post carries another.
func TestParsePageUnclosedWrap(t *testing.T) {
	msg := func(id string) string {
		return `<div class="tgme_widget_message js-widget_message" data-post="avisos_gdl/` + id + `"><div class="tgme_widget_message_text js-message_text" dir="auto">Aviso ` + id + `</div><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/avisos_gdl/` + id + `"><time datetime="2025-03-14T10:00:00+00:00" class="time">10:00</time></a></span></div>`
	}
	body := `<section class="tgme_channel_history js-message_history"><div class="tgme_widget_message_wrap js-widget_message_wrap">` + msg("7") +
		`<div class="tgme_widget_message_wrap js-widget_message_wrap">` + msg("8") + `</div></section>`
	posts, _, err := ParsePage([]byte(body), DefaultBase)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := postIDs(posts), "8 7"; got != want {
		t.Fatalf("post ids = %s, want %s", got, want)
	}
	if got, want := string(posts[1].Raw), msg("7"); got != want {
		t.Errorf("Raw of 7 = %s\nwant %s", got, want)
	}
	if got := string(posts[0].Raw); !strings.HasPrefix(got, `<div class="tgme_widget_message_wrap`) {
		t.Errorf("Raw of 8 = %s, want its wrap", got)
	}
}

// Telegram signs its CDN links anew on every render: the content hash of a
// post must not change with them.
func TestContentHashIgnoresSignedURLs(t *testing.T) {
	page := fixtures.ReadFile(t, "avisos_gdl.html")
	resigned := bytes.ReplaceAll(page, []byte("telesco.pe/file/"), []byte("telesco.pe/file/Zz9"))
	resigned = bytes.ReplaceAll(resigned, []byte("?token="), []byte("?token=Q1"))
	a, _, err := ParsePage(page, DefaultBase)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := ParsePage(resigned, DefaultBase)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if len(a[i].Media) > 0 && a[i].Media[0].Kind != "document" && a[i].Media[0].URL == b[i].Media[0].URL && a[i].Media[0].PreviewURL == b[i].Media[0].PreviewURL {
			t.Fatalf("post %s: media URLs did not change; the test is broken", a[i].PostID)
		}
		if got, want := b[i].ContentHash(), a[i].ContentHash(); got != want {
			t.Errorf("post %s: content hash changed with the media URLs", a[i].PostID)
		}
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		in     string
		want   int64
		wantOK bool
	}{
		{"845", 845, true},
		{"33.4K", 33400, true},
		{"4.85K", 4850, true},
		{"1.2M", 1200000, true},
		{" 1K ", 1000, true},
		{"", 0, false},
		{"K", 0, false},
		{"n/a", 0, false},
		{"1.2.3K", 0, false},
		{"-5", 0, false},
		{"1e5", 0, false},
		{"NaN", 0, false},
		{"999999999999999B", 0, false}, // past int64: not a count
	}
	for _, tt := range tests {
		got, ok := parseCount(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseCount(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestStyleURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"width:718px;background-image:url('https://cdn4.telesco.pe/file/a.jpg')", "https://cdn4.telesco.pe/file/a.jpg"},
		{`left: 220px; background-image: url("https://cdn4.telesco.pe/file/b.jpg");`, "https://cdn4.telesco.pe/file/b.jpg"},
		{"background-image:url(//telegram.org/img/c.png)", "//telegram.org/img/c.png"},
		{"width:624px;padding-top:133%", ""},
		{"background-image:url('https://cut", ""},
	}
	for _, tt := range tests {
		if got := styleURL(tt.in); got != tt.want {
			t.Errorf("styleURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkParsePage(b *testing.B) {
	page := fixtures.ReadFile(b, "avisos_gdl.html")
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		posts, _, err := ParsePage(page, DefaultBase)
		if err != nil {
			b.Fatal(err)
		}
		n += len(posts)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
}

func postIDs(posts []archive.Post) string {
	ids := make([]string, len(posts))
	for i, p := range posts {
		ids[i] = p.PostID
	}
	return strings.Join(ids, " ")
}

// Signed CDN links of testdata/telegram/avisos_gdl.html.
const (
	preview24 = "https://cdn4.telesco.pe/file/cBXSD0bIqUlMhELcSdMGHJpz5eLo3s5WDgu4hU_gKv2uNH9jXJnq6JTMtiS2QsxCyRv80MH8wHF0nmA9PPctnInXP353Ajkusae60WoE2D9XeTImjdZB0AZJvh-6r8N2IITMVrK12wGxMxY5G0wkob5V98kNQqT8NZ95UCyCyI6zn1LIBsa8hSJkU5lJmD8H0XXxfdcA3INlE8w8au9HPXPY1mAUSSNon8iKF5WjpdBGMtBs9IFkZDslhoTfwtcVUeRsRwov-l2fRW3KaRXv4F6Y8lhF8C9IiYb5x9SApPeAInTAjXJyNm_vDDG1-zpD2qzMjtp8KSxDBAGWkuj3Pd.jpg"
	photo9    = "https://cdn4.telesco.pe/file/fTHu6LQ6ROulhDxUQySiscbAIqp8IBFKSNM5agw0XVI-_saqFfVZx83PayV5Q3Yeuy7Me0HYQ1m7G9qg80QXyhZcBVCrLj_X10PfPwmsoWHWsgB7xjEGDMjSgT_--YDOvDjigvd-lVD_UWHAgCJs9HwkI1pl90TA0U-lhZroAqJQwIShbnhm2aFH7qlnSNp9ehzx9Vj-JmUiZ2kB7htJeJU-j3cr0OVc3_oRUGNRbZduf2sfzj4w5ui4yG2aRSNK6JbncIgkypDbpgMjNvs_1oyqnwQ7t_gIntFcyyANrVsC5LqDmgfsRwTFzk20ecOnKS7xW2Rb5p6GIJa9KIFOmV.jpg"
	video14   = "https://cdn4.telesco.pe/file/2f958e3b4a.mp4?token=h17_Myl6rZ6mXThMf5Z6Mie-Tu-V-2h2Cn-vyCZIS0ZTmVor6d4J1zILxeSQs2SuLtb2GJ8T7ygaxRyIqWK57U9jRzpuJtZgbOubujlYo2MRmmXz-hRlNZGClvZmTg3rJ605jHpQ3lSDcGFpYqI5-MIoNESCUTEgU982w5GPk_zXZS0BDdvWkmx4MOx9bDOw57PR3W4qDCAKytoBAWJRwUsnO6maNcm0oPl5qJuMtlz4gkJr-Cqg688o_ZSu7-S5NvYhIITAxmGW2gHSgiptWJtvG9CAvGc4-eopRMLPVIlo"
	thumb14   = "https://cdn4.telesco.pe/file/dYeSLuMlYGhBAwmEr88uE6EAuruV_TfymiWCaplnAyD71rXPBSkKfpoAACYp3-v1Bn5quj8kgRq4psX9g-xMo56RkW2wCcuHafhyuK9cI2KKX7BYdwIAW0iHuqFLSKv1S4voZPu9otXQYeh5qBVLfIqQnGY3hwc7E4UvBXez3Zf99lTQKB_GT6DjIhmmJBvpX3JbDxv2P0zZKJ4Ojl-X_qRGmhAwDt8Fe527kLNcN6ukfKUl1bWMGXBg2_A7cG5dGizO2ueybxe2nBWmZfYLzyHFydP5rHt2rFNL-9TIgmAYkiwwTViWE1rdL7UEP0jhIPUITx-PAtyTXGNc-B0ljq"
	photo19a  = "https://cdn4.telesco.pe/file/5jbGx0COgxv76FHB8ZBeIWL6pFIiu-kYEqXos2Kj0xqT6Wexz1XpI4czD2b2LqCWpBJT6RBkLP412W63CwGAz-oDW39zX43UFMs7TnymDqnSEPXtdD8CMYZM77V6Lwk1ohAqhrLGAcJjVlwGs-vgZgUM_Tlg_AwXRn_zZuAXRkeVcRumJJZmF8b_3jolehDBwL10CuaagkGKZKpOhDuqJQGxwktJgyB4_HRG9sQ26uH-6Z9W1tQgRt_CB101R29YscrOlTEYfoT6MHJD9lkcM5YekLakO9DHlyTQpFSVbOpV7nJ4qplpSmfkArVckp8cFpCuGLveUiAK9-36Obrkes.jpg"
	photo19b  = "https://cdn4.telesco.pe/file/4G8_8HMzz1gNXsKo3pQkW2eyA_XVFdXqWU54XdoD3y0HvQCSMoTGugalksLhVPugvLccs8DeYAQgFLPeFtaPjtSo8ysjnVijmE8EKntazC4gqGNgEnIkfdDs2KegjGIRwhn1vnY22d-a8UM1delfBp0dSwDDd3PhJ4NvYqVsHeWCyQ36DEYbupbmPH3rtmn8PcuBKADa-t-11Y1ba_9GqjSQ1ocO8I2ec6zL_ri1xWA8vnlr1WfIy4pbIhbBFOSg_bs2rJpANcOmJgkr3L4j0PvO-BiqwG7h1L06FvuYheWldUh-v6_MJpqUb86bXt6gzvVoPaJp8U6-n_hoYdko69.jpg"
	thumb23   = "https://cdn4.telesco.pe/file/wQZHOnH9XTZDPHE3b1tI7hS0y3HX-q67ixVoeTT6vLNHgP3EPrw0UnmFRwjk3ooD0XMfd46m6u3jctuzOrL7u1Z--sC_SzKQlpncShVgak117UvtMsrSX5gaK_tw1RkoPpmT_3Bbj97zdX3yituCNXotc3b0oZzOdKGF80ZnIAZXyd8iY4K2ZGRwd72Utf5nXVYOx1_j6jXh4KcA3-p0qWQ72pvYtfd_jHuUQK8cDWmU_lgBFMsT2LRggeoTLKaBurvGxlpnekmOXgR2fH8k-ywyOn0b1WgX94-Y-cvpqBYtuxvuvUJEbIaN3JY6nR4GJnVx_YOJ4xJqjuisv4Q2lx"
	photo28   = "https://cdn4.telesco.pe/file/bVacgh_2fpDIe8sig-fUCde41HYeBDwPdtz8Gn-02OSimR3sy4N5HcMJGxqZy8BLG6DhQLYgh1lKX1r3-JRT0mejQdP51BUpg_G4lD1VckofyEAKNoZD7StIkUUfMcixK_3TLB96txxVRM7-g-J5EnA6X6eSrkG4V2QFv8uW-RqCXtExRwemej7pmXBU-uX3EJ2JDUr7KlFexmakgN9qqII4_pORZpYEPAdBG4se3vjUUrcUhRYdw_suv3DviqWyqdkpXfCoCizrl8vePJnLoFx-bG1o7g1Mmeq8xnTwmxVOTVdcU6wrH76qsCW2bAwX57094uNk413teNLY-F5k-S.jpg"
)
