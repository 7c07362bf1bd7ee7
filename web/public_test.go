package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/auth"
)

// add appends b to the site's archive, as a crawl does between requests.
func (s *site) add(t *testing.T, b *archive.Batch) {
	t.Helper()
	st, err := duckdb.Open(context.Background(), filepath.Join(s.dir, "vigia.duckdb"), duckdb.WriterOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Append(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// versionsOf reads the version numbers of GET /api/v1/posts/… .
func versionsOf(t *testing.T, body string) []int {
	t.Helper()
	var got struct {
		Versions []struct{ Version int }
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var out []int
	for _, v := range got.Versions {
		out = append(out, v.Version)
	}
	return out
}

// edit is the version n of a post of ana's, edited at t0 plus n hours.
func edit(id string, n int, text string) archive.Post {
	p := archivetest.Post("ana", id, n, text, t0)
	p.CapturedAt = t0.Add(time.Duration(n) * time.Hour)
	p.SourceURL = "https://10.0.0.7:8443/api/v1/accounts/ana/statuses"
	return p
}

// seen is the event of a version's capture, with the crawl's evidence.
func seen(p archive.Post) archive.Event {
	kind := archive.Edited
	if p.Version == 1 {
		kind = archive.FirstSeen
	}
	return archive.Event{Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, Kind: kind, ObservedAt: p.CapturedAt,
		ContentSHA256: p.ContentSHA256, Evidence: "version seen in " + p.SourceURL, RunID: "run-1"}
}

// The public role reads a version of a post only when that version's own
// standing decision is function: a post is public while its latest version
// is, and its history, decisions, events and differences hold its public
// versions only. The cases: a person decided function, the servant
// edited the post into personal text; and the reverse.
func TestPublicHistoryHoldsPublicVersionsOnly(t *testing.T) {
	const official1 = "Inauguramos la biblioteca pública Fray Antonio Alcalde en Santa Tere."
	const personalEdit = "EDICION-PERSONAL: feliz cumpleaños a mi hija Regina, la fiesta es en casa"
	const personalV1 = "SECRETO-V1: mi hija Regina cumple años; la fiesta es el sábado"
	const official2 = "Licitación pública LPN-GDL-020/2026 para la rehabilitación del colector de Av. Patria"
	person := "person:lucia"

	t.Run("edited into personal text after a person's decision", func(t *testing.T) {
		for name, decide := range map[string]func(archive.Post) []archive.Decision{
			"edit judged personal": func(p archive.Post) []archive.Decision {
				return []archive.Decision{archivetest.Decide(p, archive.Personal, "model v1", t0.Add(3*time.Hour))}
			},
			"edit undecided": func(archive.Post) []archive.Decision { return nil },
		} {
			t.Run(name, func(t *testing.T) {
				s := newSite(t)
				v1, v2 := edit("300", 1, official1), edit("300", 2, personalEdit)
				s.add(t, &archive.Batch{Posts: []archive.Post{v1}, Events: []archive.Event{seen(v1)},
					Decisions: []archive.Decision{archivetest.Decide(v1, archive.Function, person, t0.Add(time.Hour))}})
				code, body := s.get(t, auth.Public, "/api/v1/posts/mastodon/ana/300")
				if code != http.StatusOK {
					t.Fatalf("public, before the edit: %d, want 200", code)
				}
				// that a person decided, not which user
				if strings.Contains(body, `"decided_by":"person:lucia"`) || !strings.Contains(body, `"decided_by":"person"`) {
					t.Errorf("public, before the edit: the decider as %s", body)
				}
				if _, page := s.get(t, auth.Public, "/publicaciones/mastodon/ana/300"); strings.Contains(page, "decidió: person:lucia") || strings.Contains(page, "<td>person:lucia</td>") {
					t.Errorf("the public page names the archivist who decided")
				}
				s.add(t, &archive.Batch{Posts: []archive.Post{v2}, Events: []archive.Event{seen(v2)}, Decisions: decide(v2)})

				for _, path := range []string{"/api/v1/posts/mastodon/ana/300", "/publicaciones/mastodon/ana/300",
					"/publicaciones/mastodon/ana/300/captura/1", "/publicaciones/mastodon/ana/300/captura/2"} {
					code, body := s.get(t, auth.Public, path)
					if code != http.StatusNotFound && code != http.StatusForbidden {
						t.Errorf("public %s: %d, want 404 or 403", path, code)
					}
					if strings.Contains(body, "Regina") || strings.Contains(body, "biblioteca") {
						t.Errorf("public %s holds the post: %s", path, body)
					}
				}
				for _, q := range []string{"text=Regina", "text=" + url.QueryEscape("EDICION-PERSONAL"), "text=biblioteca", "account=ana"} {
					for _, path := range []string{"/api/v1/posts?", "/api/v1/facets?"} {
						code, body := s.get(t, auth.Public, path+q)
						if code != http.StatusOK || strings.Contains(body, `"300"`) || strings.Contains(body, "Regina") {
							t.Errorf("public %s%s: %d %s", path, q, code, body)
						}
						if strings.HasPrefix(q, "text=") && !strings.HasPrefix(body, `{"total":0`) {
							t.Errorf("public %s%s finds the post: %s", path, q, body)
						}
					}
					if _, body := s.get(t, auth.Public, "/?from=&"+q); strings.Contains(body, "ana/300") {
						t.Errorf("public search page %s lists the post", q)
					}
				}
				code, body = s.get(t, auth.Archivist, "/api/v1/posts/mastodon/ana/300")
				if code != http.StatusOK || !strings.Contains(body, "Regina") || !slices.Equal(versionsOf(t, body), []int{1, 2}) {
					t.Errorf("archivist: %d %s", code, body)
				}
			})
		}
	})

	t.Run("a personal version before a public one", func(t *testing.T) {
		s := newSite(t)
		v1, v2 := edit("301", 1, personalV1), edit("301", 2, official2)
		d1 := archivetest.Decide(v1, archive.Personal, person, t0.Add(time.Hour))
		d1.Rationale = "RAZON-V1: asunto familiar"
		s.add(t, &archive.Batch{Posts: []archive.Post{v1, v2}, Events: []archive.Event{seen(v1), seen(v2)},
			Decisions: []archive.Decision{
				archivetest.Decide(v1, archive.Function, "model v1", t0.Add(time.Hour)), d1,
				archivetest.Decide(v2, archive.Function, "model v1", t0.Add(2*time.Hour)),
			}})
		// A person decided version 1: the model's word on the edit is not
		// enough for the public, a person's is.
		if code, body := s.get(t, auth.Public, "/api/v1/posts/mastodon/ana/301"); code != http.StatusNotFound {
			t.Errorf("public API, the edit decided by a model only: %d %s, want 404", code, body)
		}
		if _, body := s.get(t, auth.Public, "/api/v1/posts?text=LPN-GDL-020"); !strings.HasPrefix(body, `{"total":0`) {
			t.Errorf("public search finds the edit decided by a model only: %s", body)
		}
		s.add(t, &archive.Batch{Decisions: []archive.Decision{archivetest.Decide(v2, archive.Function, person, t0.Add(3*time.Hour))}})
		leaks := []string{"SECRETO-V1", "Regina", "RAZON-V1", v1.ContentSHA256, "10.0.0.7", "/captura/"}
		code, body := s.get(t, auth.Public, "/api/v1/posts/mastodon/ana/301")
		if code != http.StatusOK || !slices.Equal(versionsOf(t, body), []int{2}) || !strings.Contains(body, "LPN-GDL-020/2026") {
			t.Errorf("public API: %d, want version 2 only: %s", code, body)
		}
		for _, leak := range leaks {
			if strings.Contains(body, leak) {
				t.Errorf("public API holds %q: %s", leak, body)
			}
		}
		code, page := s.get(t, auth.Public, "/publicaciones/mastodon/ana/301")
		if code != http.StatusOK || !strings.Contains(page, "Versión 2") || strings.Contains(page, "Versión 1") || !strings.Contains(page, "LPN-GDL-020/2026") {
			t.Errorf("public page: %d %s", code, page)
		}
		for _, leak := range leaks {
			if strings.Contains(page, leak) {
				t.Errorf("public page holds %q", leak)
			}
		}
		for _, v := range []string{"1", "2"} {
			if code, body := s.get(t, auth.Public, "/publicaciones/mastodon/ana/301/captura/"+v); code != http.StatusForbidden || strings.Contains(body, "SECRETO-V1") {
				t.Errorf("public /captura/%s: %d, want 403", v, code)
			}
		}
		if _, body := s.get(t, auth.Public, "/api/v1/posts?text=SECRETO-V1"); !strings.HasPrefix(body, `{"total":0`) {
			t.Errorf("public finds the personal version by its text: %s", body)
		}
		code, body = s.get(t, auth.Archivist, "/api/v1/posts/mastodon/ana/301")
		if code != http.StatusOK || !slices.Equal(versionsOf(t, body), []int{1, 2}) || !strings.Contains(body, "SECRETO-V1") || !strings.Contains(body, "RAZON-V1") {
			t.Errorf("archivist: %d %s", code, body)
		}
		if code, body := s.get(t, auth.Archivist, "/publicaciones/mastodon/ana/301/captura/1"); code != http.StatusOK || !strings.Contains(body, `"id":"301"`) {
			t.Errorf("archivist /captura/1: %d %s", code, body)
		}
	})

	t.Run("a personal version between two public ones", func(t *testing.T) {
		s := newSite(t)
		const bacheo1 = "Bacheo nocturno en la colonia Americana."
		const bacheo3 = "Bacheo nocturno en la colonia Americana y en Lafayette."
		v1, v2, v3 := edit("302", 1, bacheo1), edit("302", 2, "SECRETO-V2: llevo a mi hija Regina al pediatra"), edit("302", 3, bacheo3)
		s.add(t, &archive.Batch{Posts: []archive.Post{v1, v2, v3}, Events: []archive.Event{seen(v1), seen(v2), seen(v3)},
			Decisions: []archive.Decision{
				archivetest.Decide(v1, archive.Function, person, t0.Add(time.Hour)),
				archivetest.Decide(v2, archive.Personal, person, t0.Add(2*time.Hour)),
				archivetest.Decide(v3, archive.Function, person, t0.Add(3*time.Hour)),
			}})
		code, body := s.get(t, auth.Public, "/api/v1/posts/mastodon/ana/302")
		if code != http.StatusOK || !slices.Equal(versionsOf(t, body), []int{1, 3}) {
			t.Errorf("public API: %d, want versions 1 and 3: %s", code, body)
		}
		code, page := s.get(t, auth.Public, "/publicaciones/mastodon/ana/302")
		if code != http.StatusOK || !strings.Contains(page, "Versión 1 <span class=\"tag\">versión anterior</span>") ||
			strings.Contains(page, "Versión 3 <span class=\"tag\">versión anterior") || strings.Contains(page, "Versión 2") {
			t.Errorf("public page: %d, want version 3 and version 1 marked superseded: %s", code, page)
		}
		// The difference shown is between the public versions.
		if !strings.Contains(page, "<del>Americana.</del> <ins>Americana y en Lafayette.</ins>") {
			t.Errorf("public page lacks the difference between versions 1 and 3: %s", page)
		}
		for _, leak := range []string{"SECRETO-V2", "Regina", "pediatra", v2.ContentSHA256} {
			if strings.Contains(body, leak) || strings.Contains(page, leak) {
				t.Errorf("public answer holds %q", leak)
			}
		}
		if _, page := s.get(t, auth.Archivist, "/publicaciones/mastodon/ana/302"); !strings.Contains(page, "SECRETO-V2") || !strings.Contains(page, "Versión 2") {
			t.Errorf("archivist page lacks version 2: %s", page)
		}
	})
}

// A raw capture holds more than the post: a Bluesky reply's holds the whole
// text of the post it answers. The public role gets the post's own text,
// media and metadata, never the capture.
func TestPublicNeverGetsRawCapture(t *testing.T) {
	s := newSite(t)
	const parent = "PADRE-PERSONAL: mi esposo sigue en el hospital, oren por él"
	reply := archivetest.Post("gobierno-bsky", "3kreply", 1, "Con gusto: ya enviamos una cuadrilla a revisar la luminaria.", t0)
	reply.Network = archive.Bluesky
	reply.URL = "https://bsky.app/profile/gobierno.bsky.social/post/3kreply"
	reply.ReplyTo = "at://did:plc:vecina/app.bsky.feed.post/3kparent"
	reply.Raw = []byte(`{"post":{"uri":"at://did:plc:gob/app.bsky.feed.post/3kreply","record":{"text":"Con gusto: ya enviamos una cuadrilla a revisar la luminaria."}},` +
		`"reply":{"parent":{"uri":"` + reply.ReplyTo + `","record":{"text":"` + parent + `"}},"root":{"uri":"` + reply.ReplyTo + `","record":{"text":"` + parent + `"}}}}`)
	reply.Media = []archive.Media{{Kind: "image", URL: "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:gob/luminaria@jpeg", Alt: "La luminaria",
		WARCFile: "vigia-20261101-000002.warc.gz", WARCRecordID: "<urn:uuid:registro-del-rastreo-medio>", WARCOffset: 99, WARCDigest: "sha256:MEDIO"}}
	reply.ContentSHA256 = reply.ContentHash()
	reply.WARC = archive.WARCRef{File: "vigia-20261101-000001.warc.gz", RecordID: "<urn:uuid:registro-del-rastreo>", Offset: 4242, Digest: "sha256:EVIDENCIA"}
	reply.RunID = "corrida-interna-7"
	s.add(t, &archive.Batch{
		Accounts:  []archive.Account{{ID: "gobierno-bsky", Network: archive.Bluesky, Handle: "gobierno.bsky.social", Type: "official", ServantLevel: -1, RecordedAt: t0}},
		Posts:     []archive.Post{reply},
		Decisions: []archive.Decision{archivetest.Decide(reply, archive.Function, "rule", t0)},
	})
	for _, path := range []string{"/api/v1/posts/bluesky/gobierno-bsky/3kreply", "/publicaciones/bluesky/gobierno-bsky/3kreply", "/api/v1/posts?q=cuadrilla"} {
		code, body := s.get(t, auth.Public, path)
		if code != http.StatusOK || !strings.Contains(body, "cuadrilla") {
			t.Errorf("public %s: %d, want the post's own text: %s", path, code, body)
		}
		for _, leak := range []string{"PADRE-PERSONAL", `"raw"`, `"raw_text"`, "/captura/", "registro-del-rastreo", "vigia-20261101", "corrida-interna-7", "sha256:MEDIO"} {
			if strings.Contains(body, leak) {
				t.Errorf("public %s holds %q", path, leak)
			}
		}
	}
	if code, body := s.get(t, auth.Public, "/publicaciones/bluesky/gobierno-bsky/3kreply/captura/1"); code != http.StatusForbidden || strings.Contains(body, "PADRE-PERSONAL") {
		t.Errorf("public raw capture: %d, want 403: %s", code, body)
	}
	if code, body := s.get(t, auth.Archivist, "/publicaciones/bluesky/gobierno-bsky/3kreply/captura/1"); code != http.StatusOK || !strings.Contains(body, "PADRE-PERSONAL") {
		t.Errorf("archivist raw capture: %d %s", code, body)
	}
	if _, body := s.get(t, auth.Public, "/api/v1/posts?account=gobierno-bsky"); !strings.Contains(body, `"reply_to":"`+reply.ReplyTo+`"`) {
		t.Errorf("public search lacks what the post answers: %s", body)
	}
	if _, body := s.get(t, auth.Archivist, "/api/v1/posts/bluesky/gobierno-bsky/3kreply"); !strings.Contains(body, `"raw":{"post"`) {
		t.Errorf("archivist API lacks the raw capture: %s", body)
	}
}

// Every text the public role reads is masked as the versión pública of an
// access package masks it: citizens' telephones, e-mail addresses and
// mentions, in the post, its rationale and its media's descriptions; and a
// text search matches the masked text, so that it cannot confirm a guess of
// what was masked. Archivists read the text as archived.
func TestPublicTextIsMasked(t *testing.T) {
	s := newSite(t)
	const email, phone, mention = "vecina.reportes@correo.mx", "33 1234 5678", "@vecina_tlaquepaque"
	p := archivetest.Post("gobierno", "110", 1, "Atendimos el reporte de luminarias: la vecina escribió a "+email+" y llamó al "+phone+". Gracias "+mention+" por avisar.", t0)
	p.Media[0].Alt = "Captura del correo de " + email
	p.ContentSHA256 = p.ContentHash()
	d := archivetest.Decide(p, archive.Function, "person:lucia", t0)
	d.Rationale = "Servicio público; se confirmó con la vecina al " + phone
	s.add(t, &archive.Batch{Posts: []archive.Post{p}, Decisions: []archive.Decision{archivetest.Decide(p, archive.Function, "rule", t0), d}})

	paths := []string{"/api/v1/posts?account=gobierno", "/api/v1/posts?text=luminarias", "/api/v1/posts/mastodon/gobierno/110",
		"/publicaciones/mastodon/gobierno/110", "/?from=&account=gobierno", "/?from=&text=luminarias"}
	for _, path := range paths {
		code, body := s.get(t, auth.Public, path)
		if code != http.StatusOK || !strings.Contains(body, "[correo testado]") || !strings.Contains(body, "[teléfono testado]") || !strings.Contains(body, "[mención testada]") {
			t.Errorf("public %s: %d, want the text masked: %s", path, code, body)
		}
		for _, leak := range []string{email, phone, mention, "vecina.reportes", "1234", p.ContentSHA256} {
			if strings.Contains(body, leak) {
				t.Errorf("public %s holds %q", path, leak)
			}
		}
		code, body = s.get(t, auth.Archivist, path)
		if code != http.StatusOK || !strings.Contains(body, email) || !strings.Contains(body, phone) || !strings.Contains(body, mention) {
			t.Errorf("archivist %s: %d, want the text as archived: %s", path, code, body)
		}
	}
	// Searching for what was masked finds nothing, one character at a time
	// or whole; the rest of the text is still found.
	for _, q := range []string{"vecina.reportes", email, phone, "1234 5678", "vecina_tlaquepaque", "correo.mx"} {
		for _, path := range []string{"/api/v1/posts?text=", "/api/v1/facets?text="} {
			if code, body := s.get(t, auth.Public, path+url.QueryEscape(q)); code != http.StatusOK || !strings.HasPrefix(body, `{"total":0`) {
				t.Errorf("public %s%s: %d, want nothing found: %s", path, q, code, body)
			}
			if _, body := s.get(t, auth.Archivist, path+url.QueryEscape(q)); !strings.HasPrefix(body, `{"total":1`) {
				t.Errorf("archivist %s%s: want the post: %s", path, q, body)
			}
		}
	}
	code, body := s.get(t, auth.Public, "/api/v1/facets?text=vecina")
	if code != http.StatusOK || !strings.HasPrefix(body, `{"total":1`) || !strings.Contains(body, `"accounts":[{"value":"gobierno","count":1}]`) {
		t.Errorf("public facets of a word outside the masks: %d %s", code, body)
	}
}

// As public, the directory and GET /api/v1/accounts count and date the
// public information only, and say nothing of why a crawl failed (its
// error names the URLs and addresses crawled). Archivists see everything.
func TestPublicAccountHealth(t *testing.T) {
	s := newSite(t)
	const failure = "get https://10.0.0.7:8443/api/v1/accounts/ana/statuses: dial tcp 10.0.0.7:8443: connection refused"
	s.add(t, &archive.Batch{Crawls: []archive.AccountCrawl{
		{RunID: "run-1", AccountID: "ana", Network: archive.Mastodon, StartedAt: t0.Add(4 * time.Hour), FinishedAt: t0.Add(4 * time.Hour), Status: archive.CrawlOK, Pages: 1},
		{RunID: "run-2", AccountID: "ana", Network: archive.Mastodon, StartedAt: t0.Add(5 * time.Hour), FinishedAt: t0.Add(5 * time.Hour), Status: archive.CrawlPartial, Error: failure, Pages: 1},
	}})
	health := func(role auth.Role) archive.HealthJSON {
		t.Helper()
		code, body := s.get(t, role, "/api/v1/accounts")
		var got struct{ Accounts []archive.HealthJSON }
		if err := json.Unmarshal([]byte(body), &got); code != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %v %s", role, code, err, body)
		}
		if role == auth.Public && (strings.Contains(body, "10.0.0.7") || strings.Contains(body, "last_error\"")) {
			t.Errorf("public accounts hold the crawl's error: %s", body)
		}
		for _, h := range got.Accounts {
			if h.Account == "ana" {
				return h
			}
		}
		t.Fatalf("no account ana: %s", body)
		return archive.HealthJSON{}
	}
	rfc := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	h := health(auth.Public)
	if h.Posts != 1 || h.NewestPostAt == nil || *h.NewestPostAt != rfc(public.PublishedAt) || h.Status != "partial" || h.LastErrorAt != nil {
		t.Errorf("public health of ana: %+v; want 1 post, the newest at %s, status partial, no error", h, rfc(public.PublishedAt))
	}
	h = health(auth.Archivist)
	if h.Posts != 4 || h.NewestPostAt == nil || *h.NewestPostAt != rfc(pending.PublishedAt) || h.LastError != failure {
		t.Errorf("archivist health of ana: %+v; want 4 posts, the newest at %s, the error", h, rfc(pending.PublishedAt))
	}
	code, page := s.get(t, auth.Public, "/directorio")
	if code != http.StatusOK || strings.Contains(page, "10.0.0.7") || !strings.Contains(page, `data-label="Publicaciones">1</td></tr>`) || strings.Contains(page, `data-label="Publicaciones">4</td></tr>`) {
		t.Errorf("public directory: %d %s", code, page)
	}
	if _, page := s.get(t, auth.Archivist, "/directorio"); !strings.Contains(page, "10.0.0.7") || !strings.Contains(page, `data-label="Publicaciones">4</td></tr>`) {
		t.Errorf("archivist directory: %s", page)
	}
}
