package rss

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/directory"
)

// withURLs is a Fetcher that gives archived URLs, as the loop's does.
type withURLs struct {
	crawler.Fetcher
	urls map[string]string
}

func (f withURLs) PostURL(id string) string { return f.urls[id] }

// Gone asks each item's own page: 404 and 410 are gone; 200 (also after a
// redirect), 403 and a lone 500 tell nothing; an item without an http(s)
// link is not asked; five 5xx in a row, or no answer, stop it with an
// error.
func TestGone(t *testing.T) {
	codes := map[string]int{"/vivo": 200, "/borrado": 404, "/retirado": 410, "/prohibido": 403, "/roto": 500}
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		asked = append(asked, r.URL.Path)
		if r.URL.Path == "/movido" {
			http.Redirect(w, r, "/vivo", http.StatusMovedPermanently)
			return
		}
		code, ok := codes[r.URL.Path]
		if !ok {
			code = 503
		}
		w.WriteHeader(code)
		w.Write([]byte("<html>página</html>"))
	}))
	defer srv.Close()
	acct := &directory.Account{ID: "boletin", Network: archive.RSS, Handle: srv.URL + "/rss.xml"}
	urls := map[string]string{}
	for _, p := range []string{"vivo", "borrado", "retirado", "prohibido", "roto", "movido"} {
		urls["guid-"+p] = srv.URL + "/" + p
	}
	f := withURLs{crawlertest.Fetcher(archive.RSS), urls}
	ids := []string{"guid-vivo", "guid-borrado", "guid-retirado", "guid-prohibido", "guid-roto", "guid-movido", "tag:sin-enlace", srv.URL + "/borrado"}
	gone, err := New().Gone(context.Background(), f, acct, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 3 || !strings.Contains(gone["guid-borrado"], "404 Not Found") || !strings.Contains(gone["guid-retirado"], "410 Gone") ||
		!strings.Contains(gone[srv.URL+"/borrado"], srv.URL+"/borrado answered 404") {
		t.Errorf("gone = %v; want the 404, the 410, and the guid that is a permalink", gone)
	}
	if len(asked) != 8 { // six pages, the redirect's target, the permalink guid
		t.Errorf("asked %v", asked)
	}

	// a site down behind 5xx decides nothing
	var down []string
	for _, p := range []string{"a", "b", "c", "d", "e"} {
		urls["caido-"+p] = srv.URL + "/caido-" + p
		down = append(down, "caido-"+p)
	}
	if g, err := New().Gone(context.Background(), f, acct, append([]string{"guid-borrado"}, down...)); err == nil || !strings.Contains(err.Error(), "5xx") {
		t.Errorf("five item pages in a row answering 503: %v, %v; want an error", g, err)
	}
	srv.Close()
	if g, err := New().Gone(context.Background(), f, acct, []string{"guid-borrado"}); err == nil {
		t.Errorf("site unreachable: %v, no error", g)
	}
}
