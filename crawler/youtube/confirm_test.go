package youtube

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/directory"
)

// Watch pages in the shapes YouTube answers with (testdata/youtube/watch-*):
// only a removed video (ERROR) and a private one count as gone; an age
// gate, a bot check, a country block and a consent page tell nothing.
func TestUnavailable(t *testing.T) {
	for _, tt := range []struct {
		page, want string // want: "" for not gone
	}{
		{"ok", ""},
		{"removed", `ERROR ("Video unavailable"): the video was removed`},
		{"private", "LOGIN_REQUIRED (\"This is a private video. Please sign in to verify that you may see it.\"): the video was made private"},
		{"age", ""},
		{"bot", ""},
		{"unplayable", ""},
		{"consent", ""},
	} {
		t.Run(tt.page, func(t *testing.T) {
			body, err := os.ReadFile("../../testdata/youtube/watch-" + tt.page + ".html")
			if err != nil {
				t.Fatal(err)
			}
			why, gone := Unavailable(body, "Zq3sG7hXk2A")
			if gone != (tt.want != "") || !strings.Contains(why, tt.want) {
				t.Errorf("Unavailable = %q, %v; want %q", why, gone, tt.want)
			}
		})
	}
	ok, _ := os.ReadFile("../../testdata/youtube/watch-ok.html")
	removed, _ := os.ReadFile("../../testdata/youtube/watch-removed.html")
	if _, gone := Unavailable(ok, "otroVideo01"); gone {
		t.Error("the page of another video says this one is gone")
	}
	if _, gone := Unavailable(removed[:len(removed)/2], "Zq3sG7hXk2A"); gone {
		t.Error("a page cut before its player response ends counts")
	}
}

// Gone asks each video's watch page on the account's endpoint; a 404 is
// gone, a 403 tells nothing, and 5xx in a row or no answer stop it with an
// error, deciding nothing.
func TestGone(t *testing.T) {
	pages := map[string]string{"Zq3sG7hXk2A": "ok", "removedVid1": "removed", "privateVid1": "private", "ageGateVid1": "age"}
	status := map[string]int{"notFoundVd1": 404, "forbiddenV1": 403, "brokenVid01": 500}
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("v")
		if r.URL.Path != "/watch" {
			http.NotFound(w, r)
			return
		}
		asked = append(asked, id)
		if s := status[id]; s != 0 {
			http.Error(w, http.StatusText(s), s)
			return
		}
		body, err := os.ReadFile("../../testdata/youtube/watch-" + pages[id] + ".html")
		if err != nil {
			t.Error(err)
		}
		w.Write([]byte(strings.ReplaceAll(string(body), "Zq3sG7hXk2A", id)))
	}))
	defer srv.Close()
	acct := &directory.Account{ID: "cabildo", Network: archive.YouTube, Handle: "UCv3GdlCabildo8TxQm2pL0w", Endpoint: srv.URL}
	f := crawlertest.Fetcher(archive.YouTube)
	gone, err := New().Gone(context.Background(), f, acct, []string{"Zq3sG7hXk2A", "removedVid1", "privateVid1", "ageGateVid1", "notFoundVd1", "forbiddenV1", "brokenVid01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 3 || gone["removedVid1"] == "" || gone["privateVid1"] == "" || !strings.Contains(gone["notFoundVd1"], "404") {
		t.Errorf("gone = %v, want the removed, the private and the 404", gone)
	}
	if !strings.Contains(gone["removedVid1"], srv.URL+"/watch?v=removedVid1") {
		t.Errorf("evidence %q does not name the page asked", gone["removedVid1"])
	}
	if len(asked) != 7 {
		t.Errorf("asked %d pages, want 7", len(asked))
	}

	for id := range 5 {
		status["down"+string(rune('a'+id))] = 503
	}
	if g, err := New().Gone(context.Background(), f, acct, []string{"removedVid1", "downa", "downb", "downc", "downd", "downe"}); err == nil || !strings.Contains(err.Error(), "5xx") {
		t.Errorf("5 watch pages in a row answering 503: %v, %v; want an error", g, err)
	}
	srv.Close()
	if g, err := New().Gone(context.Background(), f, acct, []string{"removedVid1"}); err == nil {
		t.Errorf("YouTube unreachable: %v, no error", g)
	}
}
