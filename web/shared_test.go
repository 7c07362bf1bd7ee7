package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/auth"
)

// TestSharedPosts: the post and review pages show a reposted, quoted or
// forwarded post in a block marked as another account's words. The public
// role reads its text masked as a post's, and the author only when the
// author is an account of the directory (a citizen reposted is a third
// party); of a post it may not see, nothing of what it shares.
func TestSharedPosts(t *testing.T) {
	s := newSite(t)
	const phone, citizen = "33 9876 5432", "@vecina_chapalita@otra.example"
	// ana reposts a citizen's post (public); gobierno quotes ana (a
	// directory account); ana reposts something personal (personal).
	repost := archivetest.Post("ana", "300", 1, "", t0)
	repost.Media = nil
	repost.RepostOf = "https://otra.example/@vecina_chapalita/77"
	repost.Shared = &archive.Shared{Kind: archive.Repost, URL: repost.RepostOf, Author: citizen, AuthorName: "Lupita Chapalita",
		PublishedAt: t0.Add(-time.Hour), Text: "BACHE-ENORME en Av. Guadalupe, llamen al " + phone,
		Media: []archive.Media{{Kind: "image", URL: "https://otra.example/m/bache.jpg", Alt: "Bache; teléfono " + phone}}}
	repost.ContentSHA256 = repost.ContentHash()
	quote := archivetest.Post("gobierno", "301", 1, "Atendemos el reporte de la regidora.", t0)
	quote.Shared = &archive.Shared{Kind: archive.Quote, URL: "https://social.example/@ana/250", Author: "@ana@social.example", AuthorName: "Ana Pérez",
		Text: "CITA-PUBLICA: urge bacheo en Chapalita"}
	quote.ContentSHA256 = quote.ContentHash()
	hidden := archivetest.Post("ana", "302", 1, "", t0)
	hidden.RepostOf = "https://otra.example/@primo/5"
	hidden.Shared = &archive.Shared{Kind: archive.Repost, URL: hidden.RepostOf, Author: "@primo@otra.example", Text: "COMPARTIDO-PERSONAL: la boda de mi primo"}
	hidden.ContentSHA256 = hidden.ContentHash()
	pendingRepost := repost
	pendingRepost.PostID = "303"
	s.add(t, &archive.Batch{
		Posts: []archive.Post{repost, quote, hidden, pendingRepost},
		Decisions: []archive.Decision{archivetest.Decide(repost, archive.Function, "person:lucia", t0),
			archivetest.Decide(quote, archive.Function, "rule", t0), archivetest.Decide(hidden, archive.Personal, "person:lucia", t0),
			archivetest.Decide(pendingRepost, archive.Undetermined, "rule", t0)},
	})

	// Archivists read the block whole, marked as someone else's words.
	code, body := s.get(t, auth.Archivist, "/publicaciones/mastodon/ana/300")
	for _, want := range []string{`class="shared shared-repost"`, "Publicación de Lupita Chapalita (" + citizen + ") compartida por la cuenta",
		"BACHE-ENORME", phone, "Son palabras de otra cuenta", `href="https://otra.example/@vecina_chapalita/77"`} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("archivist post page: %d, lacks %q", code, want)
		}
	}
	if _, body := s.get(t, auth.Archivist, "/publicaciones/mastodon/gobierno/301"); !strings.Contains(body, "Cita a Ana Pérez (@ana@social.example)") ||
		!strings.Contains(body, "CITA-PUBLICA") {
		t.Errorf("quote's page lacks the quoted post: %s", body)
	}
	// The review queue shows what the repost shares, not an empty paragraph.
	code, body = s.get(t, auth.Admin, "/revision")
	if code != http.StatusOK || !strings.Contains(body, "Compartió una publicación de otra cuenta") || !strings.Contains(body, "BACHE-ENORME") {
		t.Errorf("review page: %d, lacks the reposted post: %s", code, body)
	}

	// The public role: the text masked, the citizen unnamed.
	for _, path := range []string{"/publicaciones/mastodon/ana/300", "/api/v1/posts/mastodon/ana/300", "/api/v1/posts?account=ana", "/?from=&account=ana"} {
		code, body := s.get(t, auth.Public, path)
		if code != http.StatusOK || !strings.Contains(body, "BACHE-ENORME") || !strings.Contains(body, "[teléfono testado]") {
			t.Errorf("public %s: %d, want the shared text masked: %s", path, code, body)
		}
		for _, leak := range []string{phone, "9876", "vecina_chapalita", "Lupita", "COMPARTIDO-PERSONAL", "primo"} {
			if strings.Contains(body, leak) {
				t.Errorf("public %s holds %q", path, leak)
			}
		}
	}
	// A directory account quoted is named to the public.
	if _, body := s.get(t, auth.Public, "/publicaciones/mastodon/gobierno/301"); !strings.Contains(body, "Cita a Ana Pérez (@ana@social.example)") {
		t.Errorf("public quote page lacks the directory account quoted: %s", body)
	}
	// A post the public may not see shows nothing of what it shares.
	if code, body := s.get(t, auth.Public, "/publicaciones/mastodon/ana/302"); code == http.StatusOK || strings.Contains(body, "COMPARTIDO-PERSONAL") {
		t.Errorf("public personal repost: %d %s", code, body)
	}
	// Search finds a repost by the words it shares; the public by the masked
	// words only.
	for _, q := range []string{phone, "9876 5432", "vecina_chapalita", "COMPARTIDO-PERSONAL"} {
		if _, body := s.get(t, auth.Public, "/api/v1/posts?text="+url.QueryEscape(q)); !strings.HasPrefix(body, `{"total":0`) {
			t.Errorf("public search for %q: %s", q, body)
		}
	}
	if _, body := s.get(t, auth.Public, "/api/v1/posts?text=bache-enorme"); !strings.HasPrefix(body, `{"total":1`) {
		t.Errorf("public search by a shared word: %s", body)
	}
	if _, body := s.get(t, auth.Archivist, "/api/v1/posts?text="+url.QueryEscape(phone)); !strings.HasPrefix(body, `{"total":2`) {
		t.Errorf("archivist search by a shared word: %s", body)
	}
}
