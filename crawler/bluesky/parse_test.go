package bluesky

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
)

var at = crawlertest.Time

const (
	me    = "https://bsky.app/profile/obraspublicasgdl.bsky.social/post/"
	cdn   = "https://cdn.bsky.app/img/"
	video = "https://video.bsky.app/watch/did%3Aplc%3Aq7bm3zkdy4wtvx2nc5hfrj6a/bafkreib52vlhajsfpuuaabmu37x2at4vxr6sqiv4uwl6q7ygu45isl3ybo/"
)

// oddities holds items as an AppView may also serve them: a repost from
// before reasons carried the repost's uri, an author whose handle does not
// verify, and a createdAt that is not a datetime.
const oddities = `{"feed":[` +
	`{"post":{"uri":"at://did:plc:rhunws7dr4erd7tibtpup7uh/app.bsky.feed.post/3lkcxlqhpisjt","cid":"bafyreia","author":{"did":"did:plc:rhunws7dr4erd7tibtpup7uh","handle":"pcjalisco.bsky.social"},"record":{"$type":"app.bsky.feed.post","createdAt":"2025-03-14T06:17:08.759Z","text":"Rachas de viento"},"indexedAt":"2025-03-14T06:17:09.440Z"},"reason":{"$type":"app.bsky.feed.defs#reasonRepost","by":{"did":"did:plc:q7bm3zkdy4wtvx2nc5hfrj6a","handle":"obraspublicasgdl.bsky.social"},"indexedAt":"2025-03-14T07:09:08.759Z"}},` +
	`{"post":{"uri":"at://did:plc:q7bm3zkdy4wtvx2nc5hfrj6a/app.bsky.feed.post/3ljz6hfhfpktn","cid":"bafyreib","author":{"did":"did:plc:q7bm3zkdy4wtvx2nc5hfrj6a","handle":"handle.invalid"},"record":{"$type":"app.bsky.feed.post","createdAt":"el lunes","text":"Bacheo en Av. Patria"},"indexedAt":"2025-03-10T08:53:21.806Z"}}` +
	`]}`

func TestParseAuthorFeed(t *testing.T) {
	_, page1 := fixtures.ReadResponse(t, "author-feed-page1.http")
	_, page2 := fixtures.ReadResponse(t, "author-feed-page2.http")
	tests := []struct {
		name  string
		body  []byte
		index int
		want  archive.Post
	}{
		{
			name: "link card", body: page1, index: 0,
			want: archive.Post{
				PostID: "3lkeehg5wgcki", URL: me + "3lkeehg5wgcki", Author: "obraspublicasgdl.bsky.social",
				PublishedAt: at("2025-03-14T19:40:02.117Z"),
				Text:        "Arrancan los trabajos en la Calzada Independencia: un carril por sentido durante tres semanas. Calendario de cierres: obras.gdl.example/calendario... #ObrasGDL",
				Language:    "es",
				Media: []archive.Media{{Kind: "link", URL: "https://obras.gdl.example/calendario-cierres-marzo-2025", Alt: "Calendario de cierres viales · marzo 2025",
					PreviewURL: cdn + "feed_thumbnail/plain/did:plc:q7bm3zkdy4wtvx2nc5hfrj6a/bafkrei4rlpc2433tnnpllsgyyvy7v4y7q5lue3yj4nmrebb6gxamv6yqbx@jpeg"}},
				Metrics: archive.Metrics{"replies": 3, "reposts": 22, "likes": 71, "quotes": 1},
			},
		},
		{
			name: "repost", body: page1, index: 1,
			want: archive.Post{
				PostID:      "3lkd2ipwkisuo",
				URL:         "https://bsky.app/profile/pcjalisco.bsky.social/post/3lkcxlqhpisjt",
				Author:      "obraspublicasgdl.bsky.social",
				PublishedAt: at("2025-03-14T07:09:08.759Z"),
				RepostOf:    "https://bsky.app/profile/pcjalisco.bsky.social/post/3lkcxlqhpisjt",
				Shared: &archive.Shared{
					Kind:        archive.Repost,
					URL:         "https://bsky.app/profile/pcjalisco.bsky.social/post/3lkcxlqhpisjt",
					Author:      "pcjalisco.bsky.social",
					AuthorName:  "Protección Civil Jalisco",
					PublishedAt: at("2025-03-14T06:17:08.759Z"),
					Text:        "Se pronostican rachas de viento de hasta 60 km/h esta tarde en la zona metropolitana de Guadalajara. Evita resguardarte bajo árboles o anuncios.",
					Media: []archive.Media{{Kind: "image", ID: "bafkreinvcpkmy63hnzk4i3mpxz5gp2dmi2t5d6vq62ilzqmoakbvfr7l22", MimeType: "image/jpeg",
						URL:        cdn + "feed_fullsize/plain/did:plc:rhunws7dr4erd7tibtpup7uh/bafkreinvcpkmy63hnzk4i3mpxz5gp2dmi2t5d6vq62ilzqmoakbvfr7l22@jpeg",
						PreviewURL: cdn + "feed_thumbnail/plain/did:plc:rhunws7dr4erd7tibtpup7uh/bafkreinvcpkmy63hnzk4i3mpxz5gp2dmi2t5d6vq62ilzqmoakbvfr7l22@jpeg",
						Alt:        "Mapa de la zona metropolitana con las áreas de viento fuerte en naranja."}},
				},
			},
		},
		{
			name: "reply", body: page1, index: 2,
			want: archive.Post{
				PostID: "3lkc4q7jupska", URL: me + "3lkc4q7jupska", Author: "obraspublicasgdl.bsky.social",
				PublishedAt: at("2025-03-13T22:16:27.747Z"),
				Text:        "Gracias por el reporte. La cuadrilla de alumbrado la atiende este jueves; folio AP-2025-0412.",
				Language:    "es",
				ReplyTo:     "at://did:plc:rjacjiplrhbacgtrnuv2z7p3/app.bsky.feed.post/3lkbsodtzpsxo",
				Metrics:     archive.Metrics{"replies": 1, "reposts": 0, "likes": 6, "quotes": 0},
			},
		},
		{
			name: "two images", body: page1, index: 3,
			want: archive.Post{
				PostID: "3lkaz5f3nak4t", URL: me + "3lkaz5f3nak4t", Author: "obraspublicasgdl.bsky.social",
				PublishedAt: at("2025-03-13T11:39:35.074Z"),
				Text:        "Así avanza el nuevo mercado de Santa Cecilia: estructura metálica terminada y colado de losa al 70 %.",
				Language:    "es",
				Media: []archive.Media{
					{Kind: "image", ID: "bafkreipohtfj5yl3in4u5deen6fechtkkfoa2nrwxdnmleeaute7m4ojd4", MimeType: "image/jpeg",
						URL:        cdn + "feed_fullsize/plain/did:plc:q7bm3zkdy4wtvx2nc5hfrj6a/bafkreipohtfj5yl3in4u5deen6fechtkkfoa2nrwxdnmleeaute7m4ojd4@jpeg",
						PreviewURL: cdn + "feed_thumbnail/plain/did:plc:q7bm3zkdy4wtvx2nc5hfrj6a/bafkreipohtfj5yl3in4u5deen6fechtkkfoa2nrwxdnmleeaute7m4ojd4@jpeg",
						Alt:        "Estructura metálica del mercado Santa Cecilia con trabajadores en andamios."},
					{Kind: "image", ID: "bafkreieogdmvteoyygtfknfpuogo6akim2nmhiq4aqqfykogx7gw25s6xg", MimeType: "image/jpeg",
						URL:        cdn + "feed_fullsize/plain/did:plc:q7bm3zkdy4wtvx2nc5hfrj6a/bafkreieogdmvteoyygtfknfpuogo6akim2nmhiq4aqqfykogx7gw25s6xg@jpeg",
						PreviewURL: cdn + "feed_thumbnail/plain/did:plc:q7bm3zkdy4wtvx2nc5hfrj6a/bafkreieogdmvteoyygtfknfpuogo6akim2nmhiq4aqqfykogx7gw25s6xg@jpeg",
						Alt:        "Losa de concreto recién colada en la nave principal del mercado."},
				},
				Metrics: archive.Metrics{"replies": 4, "reposts": 17, "likes": 88, "quotes": 1},
			},
		},
		{
			name: "video", body: page1, index: 4,
			want: archive.Post{
				PostID: "3lk7x2ity52he", URL: me + "3lk7x2ity52he", Author: "obraspublicasgdl.bsky.social",
				PublishedAt: at("2025-03-13T01:29:31.132Z"),
				Text:        "Video: así funciona la planta de asfalto municipal, que produce hasta 80 toneladas de mezcla por hora para el programa de bacheo.",
				Language:    "es",
				Media: []archive.Media{{Kind: "video", ID: "bafkreib52vlhajsfpuuaabmu37x2at4vxr6sqiv4uwl6q7ygu45isl3ybo", MimeType: "video/mp4",
					URL: video + "playlist.m3u8", PreviewURL: video + "thumbnail.jpg",
					Alt: "Recorrido por la planta de asfalto: tolvas, banda transportadora y camiones cargando mezcla."}},
				Metrics: archive.Metrics{"replies": 2, "reposts": 9, "likes": 53, "quotes": 0},
			},
		},
		{
			name: "quote with an image", body: page1, index: 5,
			want: archive.Post{
				PostID: "3lk6wjk5fzkb5", URL: me + "3lk6wjk5fzkb5", Author: "obraspublicasgdl.bsky.social",
				PublishedAt: at("2025-03-12T15:47:22.326Z"),
				Text:        "Con estos datos priorizamos la ciclovía de Federalismo: ya van 4.5 km pintados y 60 confinamientos repuestos.",
				Language:    "es",
				Media: []archive.Media{{Kind: "image", ID: "bafkrei4hrs7l7vidtqaybw6cp435sfgog5xspfks2nlgdlaq37a5od4odr", MimeType: "image/jpeg",
					URL:        cdn + "feed_fullsize/plain/did:plc:q7bm3zkdy4wtvx2nc5hfrj6a/bafkrei4hrs7l7vidtqaybw6cp435sfgog5xspfks2nlgdlaq37a5od4odr@jpeg",
					PreviewURL: cdn + "feed_thumbnail/plain/did:plc:q7bm3zkdy4wtvx2nc5hfrj6a/bafkrei4hrs7l7vidtqaybw6cp435sfgog5xspfks2nlgdlaq37a5od4odr@jpeg",
					Alt:        "Ciclovía recién pintada en avenida Federalismo con confinamientos nuevos."}},
				Metrics: archive.Metrics{"replies": 1, "reposts": 6, "likes": 30, "quotes": 0},
				Shared: &archive.Shared{
					Kind:        archive.Quote,
					URL:         "https://bsky.app/profile/movilidad.gdl.example/post/3lk47e2a3zknt",
					Author:      "movilidad.gdl.example",
					AuthorName:  "Movilidad Metropolitana",
					PublishedAt: at("2025-03-11T13:47:22.326Z"),
					Text:        "Publicamos el estudio origen-destino 2024 de la zona metropolitana: 41 % de los viajes al centro se hacen en transporte público.",
				},
			},
		},
		{
			name: "no declared language", body: page2, index: 3,
			want: archive.Post{
				PostID: "3lk24btzbs25d", URL: me + "3lk24btzbs25d", Author: "obraspublicasgdl.bsky.social",
				PublishedAt: at("2025-03-10T17:47:08.000Z"),
				Text:        "Nuevo horario de la ventanilla de licencias de construcción: lunes a viernes de 8:30 a 15:30 h.",
				Metrics:     archive.Metrics{"replies": 9, "reposts": 22, "likes": 8, "quotes": 2},
			},
		},
		{
			name: "repost without its uri", body: []byte(oddities), index: 0,
			want: archive.Post{
				PostID:      "repost-3lkcxlqhpisjt",
				URL:         "https://bsky.app/profile/pcjalisco.bsky.social/post/3lkcxlqhpisjt",
				Author:      "obraspublicasgdl.bsky.social",
				PublishedAt: at("2025-03-14T07:09:08.759Z"),
				RepostOf:    "https://bsky.app/profile/pcjalisco.bsky.social/post/3lkcxlqhpisjt",
				Shared: &archive.Shared{
					Kind:        archive.Repost,
					URL:         "https://bsky.app/profile/pcjalisco.bsky.social/post/3lkcxlqhpisjt",
					Author:      "pcjalisco.bsky.social",
					PublishedAt: at("2025-03-14T06:17:08.759Z"),
					Text:        "Rachas de viento",
				},
			},
		},
		{
			name: "unverified handle, unreadable createdAt", body: []byte(oddities), index: 1,
			want: archive.Post{
				PostID:      "3ljz6hfhfpktn",
				URL:         "https://bsky.app/profile/did:plc:q7bm3zkdy4wtvx2nc5hfrj6a/post/3ljz6hfhfpktn",
				Author:      "did:plc:q7bm3zkdy4wtvx2nc5hfrj6a",
				PublishedAt: at("2025-03-10T08:53:21.806Z"),
				Text:        "Bacheo en Av. Patria",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			posts, _, err := ParseAuthorFeed(tt.body)
			if err != nil {
				t.Fatalf("ParseAuthorFeed: %v", err)
			}
			got := posts[tt.index]
			var page struct{ Feed []json.RawMessage }
			if err := json.Unmarshal(tt.body, &page); err != nil {
				t.Fatal(err)
			}
			tt.want.RawType = "application/json"
			if raw := crawlertest.CheckPost(t, got, tt.want); !bytes.Equal(raw, page.Feed[tt.index]) {
				t.Errorf("Raw is not the feed item as received:\n got  %.120s\n want %.120s", raw, page.Feed[tt.index])
			}
		})
	}
}

// TestParseAuthorFeedForms states, for each form a feed item takes, the
// text and the shared post the archive must hold: author-feed-forms.http
// holds a repost of a post with a link card, a quote of a post with an
// image, quotes of a post not found, blocked and detached, an image alone,
// a plain post, and a quoted feed. Replies, videos, link cards, reposts of
// images and quotes with media are in TestParseAuthorFeed.
func TestParseAuthorFeedForms(t *testing.T) {
	_, body := fixtures.ReadResponse(t, "author-feed-forms.http")
	const (
		myDID   = "did:plc:q7bm3zkdy4wtvx2nc5hfrj6a"
		pcDID   = "did:plc:rhunws7dr4erd7tibtpup7uh"
		movDID  = "did:plc:wl742by63jexciiopyjdti4j"
		rain    = "bafkreibony2sw5p4ntf67dwwql3c6fs3mngy7k5tqhcqxhirlotojdyyfq"
		pothole = "bafkrei5laqala5s7t7kv4cjzfy5nrkk2smeayvsde7thgoaswxevkwrcla"
	)
	const author = "obraspublicasgdl.bsky.social"
	tests := []struct {
		name string
		want archive.Post
	}{
		{
			name: "repost of a post with a link card",
			want: archive.Post{
				PostID:      "3lkgjryjzlk25",
				URL:         "https://bsky.app/profile/movilidad.gdl.example/post/3lkgc27vdykiv",
				Author:      author,
				PublishedAt: at("2025-03-15T16:20:45.118Z"),
				RepostOf:    "https://bsky.app/profile/movilidad.gdl.example/post/3lkgc27vdykiv",
				Shared: &archive.Shared{
					Kind:        archive.Repost,
					URL:         "https://bsky.app/profile/movilidad.gdl.example/post/3lkgc27vdykiv",
					Author:      "movilidad.gdl.example",
					AuthorName:  "Movilidad Metropolitana",
					PublishedAt: at("2025-03-15T14:02:11.330Z"),
					Text:        "La tarifa del transporte público se mantiene en 11 pesos durante 2025. Consulta el acuerdo: movilidad.gdl.example/tarifa-2025",
					Media: []archive.Media{{Kind: "link", URL: "https://movilidad.gdl.example/tarifa-2025", Alt: "Tarifa 2025 del transporte público",
						PreviewURL: cdn + "feed_thumbnail/plain/" + movDID + "/bafkreik5gep6oijz42g33qfhvhtolph2t22eru27o3k5xce63ylrtic3ca@jpeg"}},
				},
			},
		},
		{
			name: "quote of a post with an image",
			want: archive.Post{
				PostID: "3lkg3fw3oi2ct", URL: me + "3lkg3fw3oi2ct", Author: author,
				PublishedAt: at("2025-03-15T12:03:27.512Z"),
				Text:        "Cuadrillas de desazolve listas en los pasos a desnivel de López Mateos y Lázaro Cárdenas. Reporta encharcamientos al 070.",
				Language:    "es",
				Metrics:     archive.Metrics{"replies": 2, "reposts": 14, "likes": 33, "quotes": 0},
				Shared: &archive.Shared{
					Kind:        archive.Quote,
					URL:         "https://bsky.app/profile/pcjalisco.bsky.social/post/3lkg2f6hur2to",
					Author:      "pcjalisco.bsky.social",
					AuthorName:  "Protección Civil Jalisco",
					PublishedAt: at("2025-03-15T11:45:09.004Z"),
					Text:        "Lluvia fuerte en las próximas dos horas en Zapopan y Guadalajara. Evita cruzar calles inundadas.",
					Media: []archive.Media{{Kind: "image", ID: rain, MimeType: "image/jpeg",
						URL:        cdn + "feed_fullsize/plain/" + pcDID + "/" + rain + "@jpeg",
						PreviewURL: cdn + "feed_thumbnail/plain/" + pcDID + "/" + rain + "@jpeg",
						Alt:        "Radar meteorológico con núcleos de lluvia intensa sobre Zapopan y Guadalajara."}},
				},
			},
		},
		{
			name: "quote of a deleted post: its link, no text",
			want: archive.Post{
				PostID: "3lkejsgiy2s72", URL: me + "3lkejsgiy2s72", Author: author,
				PublishedAt: at("2025-03-14T21:15:40.287Z"),
				Text:        "Aclaramos: el cierre de Av. Federalismo no es por obra municipal.",
				Language:    "es",
				Metrics:     archive.Metrics{"replies": 5, "reposts": 3, "likes": 12, "quotes": 0},
				Shared:      &archive.Shared{Kind: archive.Quote, URL: "https://bsky.app/profile/" + movDID + "/post/3lkdbatauk2iu"},
			},
		},
		{
			name: "quote of a blocked post: its link, no text",
			want: archive.Post{
				PostID: "3lkd6zoizt2sm", URL: me + "3lkd6zoizt2sm", Author: author,
				PublishedAt: at("2025-03-14T08:30:12.660Z"),
				Text:        "Esta información es falsa: el puente de Av. Revolución sigue cerrado hasta tener el dictamen.",
				Language:    "es",
				Metrics:     archive.Metrics{"replies": 12, "reposts": 6, "likes": 25, "quotes": 0},
				Shared:      &archive.Shared{Kind: archive.Quote, URL: "https://bsky.app/profile/did:plc:b3k5xq2n7yfdjw4ho6rvzgla/post/3lkbofmn422em"},
			},
		},
		{
			name: "quote its author detached: its link, no text",
			want: archive.Post{
				PostID: "3lkbu7pbulkr5", URL: me + "3lkbu7pbulkr5", Author: author,
				PublishedAt: at("2025-03-13T19:44:03.902Z"),
				Text:        "Gracias a Protección Civil por el apoyo en el operativo.",
				Language:    "es",
				Metrics:     archive.Metrics{"replies": 0, "reposts": 1, "likes": 9, "quotes": 0},
				Shared:      &archive.Shared{Kind: archive.Quote, URL: "https://bsky.app/profile/" + pcDID + "/post/3lkatlcsu22sy"},
			},
		},
		{
			name: "an image alone",
			want: archive.Post{
				PostID: "3lkbig5dtcshf", URL: me + "3lkbig5dtcshf", Author: author,
				PublishedAt: at("2025-03-13T16:12:55.071Z"),
				Language:    "es",
				Media: []archive.Media{{Kind: "image", ID: pothole, MimeType: "image/jpeg",
					URL:        cdn + "feed_fullsize/plain/" + myDID + "/" + pothole + "@jpeg",
					PreviewURL: cdn + "feed_thumbnail/plain/" + myDID + "/" + pothole + "@jpeg",
					Alt:        "Bache reparado en avenida Patria, con el asfalto nuevo aún oscuro."}},
				Metrics: archive.Metrics{"replies": 1, "reposts": 4, "likes": 40, "quotes": 0},
			},
		},
		{
			name: "plain",
			want: archive.Post{
				PostID: "3lkaqaxvdbcdv", URL: me + "3lkaqaxvdbcdv", Author: author,
				PublishedAt: at("2025-03-13T09:00:31.777Z"),
				Text:        "Hoy no hay cierres viales programados por obra municipal en Guadalajara.",
				Language:    "es",
				Metrics:     archive.Metrics{"replies": 0, "reposts": 5, "likes": 19, "quotes": 0},
			},
		},
		{
			name: "a quoted feed is not a post: no Shared",
			want: archive.Post{
				PostID: "3lk7oymvyqcvp", URL: me + "3lk7oymvyqcvp", Author: author,
				PublishedAt: at("2025-03-12T23:05:18.349Z"),
				Text:        "Sigue este feed para ver los avisos de obra de todos los municipios.",
				Language:    "es",
				Metrics:     archive.Metrics{"replies": 0, "reposts": 11, "likes": 27, "quotes": 0},
			},
		},
	}
	posts, _, err := ParseAuthorFeed(body)
	if err != nil {
		t.Fatalf("ParseAuthorFeed: %v", err)
	}
	var page struct{ Feed []json.RawMessage }
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	if len(posts) != len(tests) {
		t.Fatalf("%d posts, want %d", len(posts), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.RawType = "application/json"
			if raw := crawlertest.CheckPost(t, posts[i], tt.want); !bytes.Equal(raw, page.Feed[i]) {
				t.Errorf("Raw is not the feed item as received:\n got  %.120s\n want %.120s", raw, page.Feed[i])
			}
		})
	}
}

func TestPostURL(t *testing.T) {
	for uri, want := range map[string]string{
		"at://did:plc:abc/app.bsky.feed.post/3lk":          "https://bsky.app/profile/did:plc:abc/post/3lk",
		"at://did:plc:abc/app.bsky.feed.generator/obras":   "at://did:plc:abc/app.bsky.feed.generator/obras",
		"at://did:plc:abc/app.bsky.feed.post/":             "at://did:plc:abc/app.bsky.feed.post/",
		"at://did:plc:abc/app.bsky.feed.post/3lk/de-sobra": "at://did:plc:abc/app.bsky.feed.post/3lk/de-sobra",
		"https://bsky.app/profile/x/post/1":                "https://bsky.app/profile/x/post/1",
		"":                                                 "",
	} {
		if got := postURL(uri); got != want {
			t.Errorf("postURL(%q) = %q, want %q", uri, got, want)
		}
	}
}

func TestParseAuthorFeedCursor(t *testing.T) {
	tests := []struct {
		fixture    string
		wantPosts  int
		wantCursor string
	}{
		{"author-feed-page1.http", 8, "2025-03-11T16:10:32.494Z"},
		{"author-feed-page2.http", 5, "2025-03-10T10:43:01.212Z"},
		{"author-feed-end.http", 0, ""},
	}
	for _, tt := range tests {
		_, body := fixtures.ReadResponse(t, tt.fixture)
		posts, cursor, err := ParseAuthorFeed(body)
		if err != nil {
			t.Fatalf("%s: %v", tt.fixture, err)
		}
		if len(posts) != tt.wantPosts || cursor != tt.wantCursor {
			t.Errorf("%s: %d posts, cursor %q; want %d, %q", tt.fixture, len(posts), cursor, tt.wantPosts, tt.wantCursor)
		}
	}
}

func TestParseAuthorFeedErrors(t *testing.T) {
	_, truncated := fixtures.ReadResponse(t, "author-feed-truncated.http")
	tests := []struct {
		name, body, want string
	}{
		{"truncated", string(truncated), "unexpected end of JSON input"},
		{"an XRPC error", `{"error":"InvalidRequest","message":"Profile not found"}`, `no "feed" in the response`},
		{"null feed", `{"feed":null}`, `no "feed" in the response`},
		{"array", `[]`, "json: cannot unmarshal array into Go value of type struct { Feed *[]json.RawMessage \"json:\\\"feed\\\"\"; Cursor string \"json:\\\"cursor\\\"\" }"},
		{"item without a post", `{"feed":[{}]}`, `feed item 0 (""): no "uri" in the post`},
		{"item not an object", `{"feed":[7]}`, "feed item 0: json: cannot unmarshal number into Go value of type bluesky.feedItem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseAuthorFeed([]byte(tt.body))
			if got := fmt.Sprint(err); got != tt.want {
				t.Errorf("ParseAuthorFeed error:\n got  %s\n want %s", got, tt.want)
			}
		})
	}
}

// items returns the feed items of the fixture pages.
func items(tb testing.TB) []json.RawMessage {
	var all []json.RawMessage
	for _, name := range []string{"author-feed-page1.http", "author-feed-page2.http"} {
		_, body := fixtures.ReadResponse(tb, name)
		var page struct{ Feed []json.RawMessage }
		if err := json.Unmarshal(body, &page); err != nil {
			tb.Fatal(err)
		}
		all = append(all, page.Feed...)
	}
	return all
}

// BenchmarkParseAuthorFeed parses a full page: 100 feed items, made of the
// fixture items over and over.
func BenchmarkParseAuthorFeed(b *testing.B) {
	const n = 100
	src := items(b)
	page := make([]json.RawMessage, n)
	for i := range page {
		page[i] = src[i%len(src)]
	}
	body, err := json.Marshal(map[string]any{"feed": page, "cursor": "2025-03-10T10:43:01.212Z"})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		posts, _, err := ParseAuthorFeed(body)
		if err != nil || len(posts) != n {
			b.Fatalf("ParseAuthorFeed: %d posts, %v", len(posts), err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
}
