package web

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/auth"
)

// Results show posts as people saw them, over a crawled archive: the
// archivist's cards carry the images kept as evidence and the reposted
// post nested; the public role's carry no image, no address of one, and
// nothing of a personal post (its text, its image's description, its
// image's address, which it may not fetch either).
func TestCardsShowPostsAsSeen(t *testing.T) {
	s := crawledSite(t)
	code, body := s.get(t, auth.Archivist, "/?text=Cananea&from=")
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	img := regexp.MustCompile(`<img src="(/publicaciones/mastodon/gobierno-gdl/[0-9]+/medios/2/0)" alt="Mapa de cierres viales alrededor del Estadio Guadalajara`).FindStringSubmatch(body)
	if img == nil {
		t.Fatalf("the edited post's card has no image of its version 2:\n%s", body)
	}
	for _, want := range []string{`class="vc-post"`, "gobierno@social.guadalajara.example", "10 de junio de 2026, 18:00", "desde las 11:00 h.\n\nUsa transporte público"} {
		if !strings.Contains(body, want) {
			t.Errorf("the archivist's card lacks %q", want)
		}
	}
	if data, ct := s.media(t, auth.Archivist, img[1]); ct != "image/png" || !bytes.HasPrefix(data, []byte("\x89PNG")) {
		t.Errorf("the card's image %s: %q, %d bytes", img[1], ct, len(data))
	}
	// a repost shows the reposted post inside the card, as someone
	// else's words
	if _, body := s.get(t, auth.Archivist, "/?account=obras-director&from="); !strings.Contains(body, `<blockquote class="vc-shared"`) ||
		!strings.Contains(body, "Gobierno de Guadalajara (muestra)") {
		t.Errorf("obras-director's repost is not shown nested")
	}

	// The tesorero's personal post with a photo of Chapala (Telegram
	// gives an image no description).
	_, body = s.get(t, auth.Archivist, "/?account=tesorero&text=Chapala&from=")
	personal := regexp.MustCompile(`<img src="(/publicaciones/telegram/tesorero/[0-9]+/medios/[0-9]+/0)"`).FindStringSubmatch(body)
	if personal == nil || !strings.Contains(body, "personal") {
		t.Fatalf("the archivist does not see the tesorero's personal post with its photo:\n%s", body)
	}
	for _, path := range []string{"/?from=", "/?from=&account=tesorero", "/?from=&text=Chapala", "/?from=&label=personal", "/revision", "/directorio"} {
		code, body := s.get(t, auth.Public, path)
		if code != http.StatusOK && code != http.StatusForbidden && code != http.StatusNotFound {
			t.Errorf("public %s: %d", path, code)
		}
		for _, leak := range []string{"<img", "/medios/", "Fin de semana en Chapala", "charales", "warc.gz"} {
			if strings.Contains(body, leak) {
				t.Errorf("public %s holds %q", path, leak)
			}
		}
	}
	if code, body := s.get(t, auth.Public, "/?from="); code != http.StatusOK || !strings.Contains(body, `class="vc-post"`) ||
		!strings.Contains(body, "imagen no disponible en la consulta pública") {
		t.Errorf("the public cards: %d, no post rendered or no note for the images", code)
	}
	for _, path := range []string{img[1], personal[1]} {
		if code, _ := s.get(t, auth.Public, path); code == http.StatusOK {
			t.Errorf("the public role fetched %s", path)
		}
	}
}
